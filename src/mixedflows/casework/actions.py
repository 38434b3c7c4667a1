"""What a case officer does for a person, as rules (modules 6 and 7; MC/INF/294 ¶20-21).

Each :class:`Action` says, for one case file, whether the frameworks call for it
(``required``), rule it out (``forbidden``), do not call for it (``not_needed``: choosing it is
a mistake of judgement) or do not call for it yet hold it open to everyone (``allowed``: choosing
it is no error), why, and the framework. Everything that screening decides is asked of the screening engine's public API
(:func:`mixedflows.screening.screen`: the referrals with their rationale and citation, the
protection indication, what counselling may say about return, whether consular contact is
advised); the rules here add only what screening does not ask: the stranded migrant's situation
(¶20) and the services of the post-arrival stage (¶21).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from functools import cached_property
from typing import TYPE_CHECKING, Literal

from mixedflows import narratives
from mixedflows.citations import Citation, para
from mixedflows.profiles import Need, Profile, SpecificNeed
from mixedflows.referrals import LABOUR_ABROAD_ROUTE, WORK_ABROAD, where_worked
from mixedflows.screening import Screening, screen

if TYPE_CHECKING:
    from mixedflows.casework.case import CaseFile

Call = Literal["required", "forbidden", "not_needed", "allowed"]

# --- Frameworks --------------------------------------------------------------------------------

HUMANITARIAN = Citation(
    framework="MC/INF/294 ¶20: the predicament of stranded migrants 'raises immediate "
    "humanitarian questions'; ¶8: all migrants are entitled to the protection of their human "
    "rights",
    seed=para(8, 20),
)
STATELESSNESS = Citation(
    framework="UNHCR Handbook on Protection of Stateless Persons (2014): a person 'not "
    "considered as a national by any State under the operation of its law' (1954 Convention, "
    "art. 1); identification and access to a procedure, the burden of proof 'in principle "
    "shared' (para. 89)",
    seed=para(20),
    caveat="para. 89 read as quoted by a secondary source",
)
VOLUNTARY_RETURN = Citation(
    framework="IOM, A Framework for Assisted Voluntary Return and Reintegration (2018): an "
    "informed decision, and safe and dignified travel; voluntariness is freedom of choice and "
    "a decision on 'timely, unbiased and reliable information'",
    seed=para(20, 24, 25),
    caveat="the two parts of voluntariness read in an IOM country office's summary; ECRE and "
    "Newland (2018) call return voluntary only where the person could legally stay",
)
CONSULAR = Citation(
    framework="Vienna Convention on Consular Relations (1963), art. 36: nationals and their "
    "consuls communicate freely, and the consul refrains where the national 'expressly opposes "
    "such action'; MC/INF/294 ¶21 (consular assistance for protection, return or onward travel)",
    seed=para(20, 21),
)
NO_ORIGIN_CONTACT = Citation(
    framework="No contact with the authorities of the country of origin while screening rules "
    "it out: UNHCR Advisory Opinion on confidentiality (2005); UN Special Rapporteur "
    "A/73/178/Rev.1, para. 22 (a migrant may avoid their State out of fear of persecution)",
    seed=para(17, 20, 21),
)
INTER_STATE = Citation(
    framework="MC/INF/294 ¶20: inter-State cooperation, for example concerning return, 'to "
    "avoid situations in which migrants are pushed back and forth between countries'; ¶29",
    seed=para(20, 29),
)
NO_PUSHBACK = Citation(
    framework="MC/INF/294 ¶20 (not pushed back and forth between countries); non-refoulement: "
    "CAT art. 3, and CAT General Comment No. 4 (2017), para. 4 (pushback operations)",
    seed=para(7, 20),
)
NO_INDEFINITE_DETENTION = Citation(
    framework="UNHCR Detention Guidelines (2012): detention lawful, never arbitrary, on an "
    "individual assessment; no indefinite detention, maximum periods set in law; children are "
    "not detained for immigration purposes (UNHCR Issue Brief, 2017); ICCPR art. 9 (no "
    "arbitrary detention, whatever a person's status)",
    seed=para(19, 20),
    caveat="the Guidelines' titles were verified, their numbering and text not; the Issue "
    "Brief read through a secondary source",
)
TRAFFICKING_ASSISTANCE = Citation(
    framework="Council of Europe Convention on Action against Trafficking (2005), arts. 12-13: "
    "assistance, and a recovery and reflection period of at least 30 days; Directive "
    "2011/36/EU, art. 11(2)-(3): assistance on reasonable grounds, not conditional on "
    "cooperating with the criminal case",
    seed=para(17, 21),
    caveat="treaty text read in official French and Italian; the Directive in German",
)
LABOUR = Citation(
    framework="ILO Migrant Workers (Supplementary Provisions) Convention, 1975 (No. 143), art. "
    "9: equal treatment for rights arising from past employment (pay, social security, other "
    "benefits) for a worker whose position cannot be regularised, and the right to present "
    "those claims (how and where is for national law); UN Committee on "
    "Migrant Workers, General Comment No. 2 (2013); MC/INF/294 ¶21 (labour rights and access "
    "to legal redress)",
    seed=para(21),
    caveat="C143 binds only the States that ratified it (23 as of 2013, a weakly sourced figure)",
)
HEALTH = Citation(
    framework="ICRMW (1990), art. 28: emergency medical care 'shall not be refused ... by "
    "reason of any irregularity'; MC/INF/294 ¶21 (health care while status is pending); for "
    "example Italy's STP code (urgent and essential care without documents)",
    seed=para(21),
    caveat="the ICRMW binds only its States parties; the STP code is one State's practice, "
    "applied unevenly",
)
SCHOOL = Citation(
    framework="ICRMW (1990), art. 30: schooling may not be refused or limited because of the "
    "irregular status of the child or a parent; MC/INF/294 ¶21 (education while status is "
    "pending); for example Plyler v. Doe (US Supreme Court, 1982)",
    seed=para(21),
    caveat="the ICRMW binds only its States parties; Plyler is one country's law",
)

SCREENING = Citation(
    framework="The screening rules of module 5: screening refers, it does not "
    "determine status (UNHCR 10-Point Plan, point 5)",
    seed=para(17),
)

# --- The context of one decision ---------------------------------------------------------------


@dataclass(frozen=True)
class Context:
    """One case file, screened once."""

    file: CaseFile

    @cached_property
    def s(self) -> Screening:
        return screen(self.file.person)

    @property
    def name(self) -> str:
        return self.file.person.name

    def has(self, need: Need) -> bool:
        return need in self.s.needs


Decision = tuple[Call, str, Citation]


@dataclass(frozen=True)
class Action:
    id: str
    label: str
    decide: Callable[[Context], Decision]


# --- Referrals of the screening engine (its rationale and citation, not ours) ------------------


def _referral(need: Need, not_needed: str) -> Callable[[Context], Decision]:
    def decide(c: Context) -> Decision:
        r = c.s.referral(need)
        if r is not None:
            return ("required", r.rationale, r.citation)
        return ("not_needed", not_needed, SCREENING)

    decide.need = need  # type: ignore[attr-defined]  # which referral it passes on (tests)
    return decide


# --- Stranded migrants (¶20) --------------------------------------------------------------------


def _humanitarian(c: Context) -> Decision:
    if c.file.person.cannot_return:
        return (
            "required",
            f"{c.name} has no right to stay and cannot go home: food, shelter, water and health "
            "care now, whatever comes next.",
            HUMANITARIAN,
        )
    return ("not_needed", "The person is not stranded.", HUMANITARIAN)


def _statelessness(c: Context) -> Decision:
    if c.file.situation.nationality_denied:
        return (
            "required",
            f"{c.file.person.nationality}, the State {c.name} names, denies that {c.name} is "
            "its national: whether any State considers the person a national is a question "
            "for statelessness "
            "screening, the proof shared between the person and the examiner.",
            STATELESSNESS,
        )
    return (
        "not_needed",
        "No State has denied the person's nationality: establishing it comes first.",
        STATELESSNESS,
    )


ORIGIN_CONTACT_BARS: dict[str, tuple[str, str]] = {
    "not_while_claim_pending": (
        "a protection need is indicated, and the person may fear their own State",
        "documents and status go through the asylum procedure and UNHCR; if no State confirms "
        "the nationality, through statelessness screening; inter-State cooperation only between "
        "the States of transit and destination, never with the State the person may fear",
    ),
    "after_best_interests": (
        "a child: nothing is decided about return before a best interests procedure",
        "documents and family contact go through the child protection system and the best "
        "interests procedure",
    ),
    "after_risk_assessment": (
        "a risk assessment must come first (indications of trafficking, or a survivor of "
        "violence or torture)",
        "documents wait for the risk assessment; the procedure the person is referred to helps "
        "with them meanwhile",
    ),
}
"""For each reason screening rules out contact with the country of origin: the reason, and the
route for documents and nationality instead (MC/INF/294 ¶20-21)."""


def _origin_contact(c: Context) -> Decision | None:
    """Why contact with the country of origin is ruled out for this person, if it is, and what
    is done instead."""
    if c.s.origin_contact_forbidden:
        why, instead = ORIGIN_CONTACT_BARS.get(
            c.s.return_counselling, ("screening rules it out", "the referral above helps")
        )
        return (
            "forbidden",
            f"No contact with the authorities of origin: {why}. Instead, {instead}.",
            NO_ORIGIN_CONTACT,
        )
    if not c.file.situation.consents_to_consular:
        pr = narratives.pronouns(c.file.person.sex)
        return (
            "forbidden",
            f"{c.name} expressly opposes contact with the consulate: the consul refrains "
            "(VCCR art. 36). Ask {obj} why, in private: a fear of {pos} own State is a "
            "protection question, and {sub} must be told how to ask for asylum. If, without the "
            "consulate, no State confirms {pos} nationality, statelessness screening "
            "follows.".format(**pr),
            CONSULAR,
        )
    return None


def _consular(c: Context) -> Decision:
    """Consular contact only where screening indicates no protection need (nothing forbids
    contact with the country of origin) and the person consents; the text names both conditions,
    from the facts."""
    ruled_out = _origin_contact(c)
    if ruled_out:
        return ruled_out
    if c.file.situation.nationality_denied:
        return (
            "not_needed",
            "The consulate has already answered that the person is not a national: statelessness "
            "screening, not another request.",
            STATELESSNESS,
        )
    if c.s.consular_contact:
        p = c.file.person
        pr = narratives.pronouns(p.sex)
        return (
            "required",
            f"Two conditions hold, and only because both do may the consulate of "
            f"{p.nationality or 'the country of origin'} be asked: screening indicates no "
            f"protection need ({c.s.why_not(Profile.PROTECTION).split(' (')[0]}), and "
            f"{c.name} consents. "
            + "{Pos_} embassy would not confirm {pos} nationality when {sub} asked alone: the "
            "authorities here ask it, IOM helping (inter-State cooperation, ¶20), for {pos} "
            "nationality and documents; if no State confirms {obj} as a national, statelessness "
            "screening follows.".format(**pr),
            Citation(
                framework=CONSULAR.framework + "; " + INTER_STATE.framework,
                seed=para(20, 21),
            ),
        )
    return ("not_needed", "Screening does not call for consular contact.", CONSULAR)


def _voluntary_return(c: Context) -> Decision:
    if c.s.return_counselling != "offered":
        return (
            "forbidden",
            {
                "not_while_claim_pending": "A protection claim is indicated: return is not "
                "discussed until the procedure has decided.",
                "after_best_interests": "A child returns only if a best interests procedure "
                "finds it in the child's interest.",
                "after_risk_assessment": "Not before a risk assessment: return must be safe.",
            }[c.s.return_counselling],
            c.s.referral(Need.COUNSELLING).citation,
        )
    if c.file.situation.nationality_denied:
        return (
            "not_needed",
            "No State yet recognises the person as its national: there is nowhere to return to "
            "until statelessness screening has answered.",
            STATELESSNESS,
        )
    if c.file.situation.wishes_to_return:
        return (
            "required",
            f"{c.name} chooses to go home, nothing in screening makes return unsafe: assisted "
            "voluntary return, on full information, safe and dignified.",
            VOLUNTARY_RETURN,
        )
    return (
        "not_needed",
        f"{c.name} does not want to go back: a return that is not chosen is not voluntary.",
        VOLUNTARY_RETURN,
    )


def _inter_state(c: Context) -> Decision:
    if c.file.situation.readmission_refused:
        extra = (
            " Between States of transit and destination only: not with the State the person "
            "may fear."
            if c.s.origin_contact_forbidden
            else ""
        )
        return (
            "required",
            f"{c.name} has already been refused readmission once: the States concerned agree "
            f"on who receives the person, so that no one is pushed back and forth.{extra}",
            INTER_STATE,
        )
    return ("not_needed", "No State has refused to readmit the person.", INTER_STATE)


def _push_back(c: Context) -> Decision:
    return (
        "forbidden",
        "Leaving a person at a border that will not take them back is what ¶20 asks States to "
        "avoid; for anyone with a protection need it is also refoulement.",
        NO_PUSHBACK,
    )


def _detain(c: Context) -> Decision:
    """Why detention is not done here, from the person's situation: a child; a stranded person
    waiting for papers that may never come (¶20); anyone else while status is pending, where
    detention is an exception that needs an individual assessment (module 4's standards)."""
    p = c.file.person
    if p.treated_as_child:
        why = (
            f"{c.name} is treated as a child, and a child is not detained for immigration "
            "purposes: care and a guardian instead."
        )
    elif p.cannot_return:
        why = (
            "Detention with no end in sight, waiting for papers that may never come, is "
            "arbitrary: humanitarian assistance and the routes above instead."
        )
    else:
        why = (
            "Detention is an exception, never a default while status is pending: it needs a "
            "lawful ground and an individual assessment finding it necessary and proportionate, "
            "after alternatives to detention were considered, and nothing in this file shows "
            "one. Open reception or an alternative to detention instead."
        )
    return ("forbidden", why, NO_INDEFINITE_DETENTION)


# --- After arrival (¶21) -----------------------------------------------------------------------


def _trafficking_assistance(c: Context) -> Decision:
    if c.has(Need.TRAFFICKING_REFERRAL):
        return (
            "required",
            f"Indications of trafficking ({c.s.referral(Need.TRAFFICKING_REFERRAL).rationale}) "
            "Assistance and a recovery and reflection period follow, whether or not the person "
            "cooperates with the police.",
            TRAFFICKING_ASSISTANCE,
        )
    return (
        "not_needed",
        "Screening gives no indications of trafficking (stay alert all the same).",
        TRAFFICKING_ASSISTANCE,
    )


def _labour(c: Context) -> Decision:
    s = c.file.situation
    if s.unpaid_wages:
        weeks = f" for {s.weeks_unpaid} weeks" if s.weeks_unpaid else ""
        return (
            "required",
            f"{c.name} worked{weeks} and was not paid: a claim for the wages, whatever "
            "the status, through the labour inspectorate or a court.",
            LABOUR,
        )
    r = c.s.referral(Need.LABOUR_RIGHTS)
    if r is not None:
        # Screening heard of exploitation at work, done before arrival (where_worked): the
        # same rule and words as the labour-rights referral (modules 2 and 5), so no wage claim
        # here is expected; the route is legal aid and the identification authority.
        return (
            "not_needed",
            f"{c.name} told of exploitation at work {where_worked(c.file.person)}. "
            f"{WORK_ABROAD} {LABOUR_ABROAD_ROUTE}",
            r.citation,
        )
    return ("not_needed", "No unpaid work or other labour claim is known.", LABOUR)


def _health(c: Context) -> Decision:
    p = c.file.person
    medical = {SpecificNeed.SERIOUS_MEDICAL, SpecificNeed.DISABILITY}
    reasons = []
    if p.urgent:
        reasons.append("an acute condition")
    if medical & set(p.specific_needs):
        reasons.append("a serious medical condition or disability")
    if p.is_pregnant:
        reasons.append("a pregnancy")
    if reasons:
        return (
            "required",
            f"{c.name} has {' and '.join(reasons)}: care is not refused, or made to wait, "
            "because of irregular status.",
            HEALTH,
        )
    # ¶21 names access to health care while status is pending as a policy some States adopt,
    # and ICRMW art. 28 keeps emergency care open whatever the status: offering it is no error.
    return (
        "allowed",
        "No health need is known now, so there is no care to arrange on this file; but what "
        "is cited keeps care open to the person, whatever the status: emergency care 'shall "
        "not be refused' by reason of irregularity (ICRMW art. 28), and some States give "
        "access to health care while status is pending (MC/INF/294 ¶21). Offering it is not "
        "wrong.",
        HEALTH,
    )


def _school(c: Context) -> Decision:
    p = c.file.person
    if 6 <= p.age < 18:
        return (
            "required",
            f"{c.name} is {p.age}: a school place now, not when a status is decided.",
            SCHOOL,
        )
    return ("not_needed", "Not of school age.", SCHOOL)


def _report_patients(c: Context) -> Decision:
    return (
        "forbidden",
        "Care made conditional on a report to the immigration authorities is care refused by "
        "reason of irregularity: people stay away from the clinic.",
        HEALTH,
    )


ACTIONS: dict[str, Action] = {
    a.id: a
    for a in (
        Action("humanitarian", "Humanitarian assistance now: food, shelter, water, health care", _humanitarian),
        Action("medical", "Urgent medical care", _referral(Need.URGENT_MEDICAL, "No acute medical need.")),
        Action("child_protection", "Child protection, a guardian and a best interests procedure", _referral(Need.CHILD_PROTECTION, "The person is an adult, or a child with a parent and not at risk.")),
        Action("trafficking_referral", "Referral for identification as a possible victim of trafficking", _referral(Need.TRAFFICKING_REFERRAL, "Screening gives no indications of trafficking (stay alert all the same).")),
        Action("trafficking_assistance", "Assistance and a recovery and reflection period for a possible victim of trafficking", _trafficking_assistance),
        Action("asylum", "Information on and access to the asylum procedure", _referral(Need.ASYLUM_INFORMATION, "Nothing points to a protection need (the person must still be told they may ask for asylum).")),
        Action("specific_needs", "Support for specific needs (a single parent, a survivor, a disability...)", _referral(Need.SPECIFIC_NEEDS, "No UNHCR specific-needs category applies.")),
        Action("family_tracing", "Family tracing and reunification", _referral(Need.FAMILY_TRACING, "No family member is missing, and the person is not a child alone.")),
        Action("statelessness", "Statelessness screening", _statelessness),
        Action("consular", "Ask the consulate of the country of origin to confirm nationality and issue documents", _consular),
        Action("voluntary_return", "Assisted voluntary return", _voluntary_return),
        Action("inter_state", "Ask the States concerned to agree who receives the person, so no one is pushed back and forth", _inter_state),
        Action("push_back", "Take the person back to the border", _push_back),
        Action("detain", "Detain the person until their papers arrive", _detain),
        Action("labour_claim", "Help to claim unpaid wages (labour inspectorate, court)", _labour),
        Action("health_care", "Health care while status is pending", _health),
        Action("school", "A school place while status is pending", _school),
        Action("report_patients", "Make care conditional on a report to the immigration authorities", _report_patients),
    )
}  # fmt: skip
"""Every action a case officer may take in modules 6 and 7; an exercise offers a subset."""


@dataclass(frozen=True)
class Verdict:
    action: str
    label: str
    call: Call
    why: str
    citation: Citation


def verdicts(file: CaseFile, offered: list[str] | tuple[str, ...]) -> list[Verdict]:
    """What the rules say of each offered action for one case file."""
    c = Context(file)
    out = []
    for aid in offered:
        a = ACTIONS[aid]
        call, why, cite = a.decide(c)
        out.append(Verdict(aid, a.label, call, why, cite))
    return out


def reference(file: CaseFile, offered: list[str] | tuple[str, ...]) -> list[str]:
    """The offered actions the frameworks call for, for one case file."""
    return [v.action for v in verdicts(file, offered) if v.call == "required"]
