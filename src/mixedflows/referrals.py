"""Referrals in words: why each referral is called for, and the source it rests on.

The decisions (which referrals, which profiles) are made in :mod:`mixedflows.screening`; this
module writes the rationale of each referral from the person's facts, cites each framework
(each UNHCR specific-needs category to its own source), and holds the predicates the rules and
the texts share (protection indicated, unaccompanied or separated, what counselling may say
about return, whether to interview apart). Every sentence is generated from the facts and the
data it describes, never typed beside them.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

from mixedflows import citations as cite
from mixedflows import trafficking
from mixedflows.citations import Citation, para
from mixedflows.profiles import (
    NEED_CATEGORY_LABELS,
    NEED_LABELS,
    URGENT_LABELS,
    Company,
    Motivation,
    Need,
    NeedCategory,
    Person,
    Sex,
    SpecificNeed,
)

PRIORITY: tuple[Need, ...] = (
    Need.URGENT_MEDICAL,
    Need.CHILD_PROTECTION,
    Need.TRAFFICKING_REFERRAL,
    Need.ASYLUM_INFORMATION,
    Need.SPECIFIC_NEEDS,
    Need.LABOUR_RIGHTS,
    Need.FAMILY_TRACING,
    Need.COUNSELLING,
)
"""The order referrals are *listed* in. It is not graded: only the hard constraints of
:mod:`mixedflows.constraints` are (welfare first, a child's protection never waits, counselling
never replaces a referral)."""

# Citations of the referrals, each naming its framework and the seed paragraph.
CHILD_PROTECTION = Citation(
    framework=cite.CRC_GC6.framework + "; UNHCR 10-Point Plan in Action (2011), ch. 6.1",
    seed=cite.para(17, 21),
)
AGE_ASSESSMENT = Citation(
    framework="Where age is in doubt, the benefit of the doubt: treated as a child until an "
    "age assessment (UNHCR Guidelines on unaccompanied children seeking asylum, 1997; "
    "Directive 2011/36/EU art. 13(2), presumption of minority for a possible victim of "
    "trafficking; UN General Assembly A/79/213, 2024, recommendation (j)). CRC General "
    "Comment No. 6 (2005) deals with it under initial assessment (paras. 31-32); its own "
    "wording could not be read for this course. Praesidium: Save the Children's mandate to "
    "help develop an age-assessment procedure at Lampedusa",
    seed=cite.para(17, 21),
)
"""Not ¶18: it names IOM, UNHCR and the Italian Red Cross at Lampedusa, not Save the Children
or age assessment (trainer's review of issue 10)."""
NON_REFOULEMENT = (
    "ICCPR art. 7 (Human Rights Committee General Comment No. 31, para. 12), whoever would "
    "inflict the harm; CAT art. 3 where a public official would inflict, instigate or consent "
    "to the torture (CAT art. 1)"
)
"""ICCPR art. 7 first: a feared harm from private actors (Omar S.: 'the men who threatened
him') is not torture under CAT art. 1 unless a public official takes part or consents
(trainer's review of issue 10)."""
ASYLUM = Citation(
    framework=cite.REFUGEE_DEFINITION.framework + "; UNHCR 10-Point Plan in Action (2011), "
    "ch. 6.5 (asylum procedures)",
    seed=cite.para(7, 17),
)
SERIOUS_HARM = Citation(
    framework=f"Non-refoulement beyond refugee law: {NON_REFOULEMENT}; UNHCR 10-Point Plan in "
    "Action (2011), ch. 6.5",
    seed=cite.para(7, 17),
)
PRIMA_FACIE = Citation(
    framework="UNHCR 10-Point Plan in Action (2011), ch. 6.5; prima facie recognition of a group "
    "by the authorities or UNHCR (e.g. Somalis in Yemen, UNHCR 2013)",
    seed=cite.para(7, 17),
)
FAMILY_TRACING = Citation(
    framework="UNHCR 10-Point Plan in Action (2011), ch. 6.2 (family tracing); CRC General "
    "Comment No. 6 (2005)",
    seed=cite.para(17, 21),
)
STRANDED_COUNSELLING = Citation(
    framework=cite.COUNSELLING.framework + "; " + cite.STRANDED.framework,
    seed=cite.para(17, 20),
)
STRANDED_PROTECTION = Citation(
    framework=cite.STRANDED.framework + "; UNHCR Advisory Opinion on the rules of "
    "confidentiality regarding asylum information (2005): no contact with the authorities of "
    "the country of origin while a protection need is indicated",
    seed=cite.para(17, 20),
)
"""Not ¶21, which recommends consular assistance: the rule that suspends it for a person with a
protection need is UNHCR's Advisory Opinion (2005), cited in the framework (trainer's review of
issue 10)."""
LABOUR_ABROAD = Citation(
    framework="MC/INF/294 ¶21: protection of the human rights of migrants, including labour "
    "rights, through national legal structures, and access to legal redress for human rights "
    "violations; ILO Migrant Workers (Supplementary Provisions) Convention, 1975 (No. 143), "
    "art. 9(1): equality of treatment in rights arising from past employment (where such "
    "rights are claimed is national law's, not the Convention's); ILO Forced Labour Convention, 1930 (No. 29), art. 2(1); ILO Indicators of Forced "
    "Labour (2012)",
    seed=para(21),
    caveat="what redress a court here can give for work done abroad depends on national law "
    "and is not settled by these texts; the ILO forced-labour indicators were read in "
    "secondary summaries",
)
"""The labour-rights referral at first contact (:func:`_labour_rights`): the work told was done
before arrival, abroad (trainer's review of issue 10: a wage claim and the labour inspectorate
here were offered for work done in Libya, Nouadhibou or Jeddah)."""

WORK_PLACES: dict[str, str] = {
    "labour_in_transit": "in Libya",
    "labour_recruited_in_transit": "in Libya",
    "labour_on_the_atlantic_route": "in Nouadhibou, Mauritania",
    "domestic_work_gulf": "in Jeddah, Saudi Arabia, on an earlier journey",
    "child_labour": "on the way",
}
"""Where each story places the work it tells (the sentences of ``narratives.testimony``)."""


def where_worked(p: Person) -> str:
    """Where the work a person tells of was done, as the story tells it. Screening happens on
    arrival, so work told there was done before: on the way or on an earlier journey."""
    return WORK_PLACES.get(p.story, "before arriving here (where is not told yet)")


CODES = "UNHCR, Guidance on the Use of Standardized Specific Needs Codes (2009)"
CODES_CAVEAT = (
    "the guidance itself was not read: its eleven categories were read in a public script that "
    "cites it, and the two-letter codes only in a third-party application's list"
)
"""The provenance of the UNHCR specific-needs categories and codes (REFERENCE_screening.md §3:
the categories [S], the codes [S-weak]), said wherever they are cited (trainer trial of issue
10, point 2)."""
SPECIFIC_NEEDS = Citation(
    framework=f"{CODES}, as referred to by the UNHCR Emergency Handbook ('Persons at risk')",
    seed=cite.para(8, 19),
    caveat=CODES_CAVEAT,
)

CATEGORY_SOURCES: dict[NeedCategory, str] = {
    NeedCategory.CR: f"{CODES}, category CR; UNHCR 10-Point Plan in Action (2011), ch. 6.1",
    NeedCategory.SC: f"CRC General Comment No. 6 (2005); {CODES}, category SC",
    NeedCategory.WR: f"{CODES}, category WR; UNHCR 10-Point Plan in Action (2011), ch. 6.3 "
    "(procedures for identifying women and girls at risk)",
    NeedCategory.ER: f"{CODES}, category ER",
    NeedCategory.SP: f"{CODES}, category SP",
    NeedCategory.DS: f"{CODES}, category DS (and UNHCR's separate disability guidance)",
    NeedCategory.SM: f"{CODES}, category SM",
    NeedCategory.FU: f"{CODES}, category FU; UNHCR 10-Point Plan in Action (2011), ch. 6.2",
    NeedCategory.LP: f"{CODES}, category LP; for a risk of serious harm on return "
    f"(non-refoulement): {NON_REFOULEMENT}",
    NeedCategory.TR: f"{CODES}, category TR (torture: CAT art. 1, by or with the consent of a "
    "public official)",
    NeedCategory.SV: f"{CODES}, category SV; IASC Guidelines for Integrating Gender-Based "
    "Violence Interventions in Humanitarian Action (2015)",
    NeedCategory.VS: "UNHCR 10-Point Plan in Action (2011), ch. 6 (referral to care); violence "
    "by smugglers, captors or an employer is not coded TR unless it is torture (CAT art. 1)",
}
"""Each UNHCR category cited to its own source (the category list: REFERENCE_screening.md §3)."""
TRAFFICKER_NEARBY_SOURCE = (
    f"{CODES}, category LP; for protection from a possible trafficker in the person's group: "
    "Council of Europe Convention on Action against Trafficking in Human Beings (CETS 197), "
    "art. 13 (a recovery and reflection period, as soon as there are reasonable grounds, to "
    "recover and escape the traffickers' influence) and art. 10(2) (no removal until "
    "identification is completed); Directive 2011/36/EU art. 11(2) (assistance and support on "
    "reasonable grounds). No verified source in this course speaks of protection from a "
    "trafficker nearby at first contact: the provisions on the physical safety and protection "
    "of victims (Palermo Protocol art. 6(5); CETS 197 art. 28) could not be checked in the "
    "course's sources and are not cited"
)
"""What LP is cited for when a possible trafficker is in the person's group (fourth trial of
issue 10, major 3): not non-refoulement. Only what REFERENCE_screening.md §2.2-2.3 verifies."""

RAW_CATEGORY: dict[SpecificNeed, NeedCategory] = {
    SpecificNeed.WOMAN_AT_RISK: NeedCategory.WR,
    SpecificNeed.SURVIVOR_OF_VIOLENCE: NeedCategory.TR,
    SpecificNeed.SERIOUS_MEDICAL: NeedCategory.SM,
    SpecificNeed.DISABILITY: NeedCategory.DS,
    SpecificNeed.OLDER_PERSON: NeedCategory.ER,
    SpecificNeed.SINGLE_PARENT: NeedCategory.SP,
    SpecificNeed.FAMILY_UNITY: NeedCategory.FU,
}
ANSWERED_BY: dict[NeedCategory, Need] = {
    NeedCategory.CR: Need.CHILD_PROTECTION,
    NeedCategory.SC: Need.CHILD_PROTECTION,
    NeedCategory.FU: Need.FAMILY_TRACING,
    **{c: Need.SPECIFIC_NEEDS for c in (NeedCategory.WR, NeedCategory.ER, NeedCategory.SP)},
    **{c: Need.SPECIFIC_NEEDS for c in (NeedCategory.DS, NeedCategory.SM, NeedCategory.TR)},
    NeedCategory.VS: Need.SPECIFIC_NEEDS,
    NeedCategory.SV: Need.SPECIFIC_NEEDS,
}
"""Which referral answers each category (LP is answered by the procedure that protects: the
asylum procedure, or the trafficking referral and child protection)."""
SERVICE_NEEDS = tuple(s for s, c in RAW_CATEGORY.items() if ANSWERED_BY[c] is Need.SPECIFIC_NEEDS)

ReturnCounselling = Literal[
    "offered", "not_while_claim_pending", "after_risk_assessment", "after_best_interests"
]


@dataclass(frozen=True)
class Referral:
    need: Need
    rationale: str
    citation: Citation

    @property
    def label(self) -> str:
        return NEED_LABELS[self.need]


@dataclass(frozen=True)
class CategoryFinding:
    """One UNHCR specific-needs category that applies, with its own source."""

    category: NeedCategory
    reason: str
    source: str
    answered_by: Need | None
    """The referral that answers it (None: the protection procedure the person is referred to)."""
    possible: bool = False
    """The category depends on a fact not yet known (torture, TR, needs a public official's
    part, CAT art. 1): listed as possible, with the question that settles it in :attr:`reason`."""

    @property
    def label(self) -> str:
        name = NEED_CATEGORY_LABELS[self.category]
        return f"Possible {name.lower()} ({self.category.name})" if self.possible else name


def unaccompanied_or_separated(p: Person) -> bool:
    """CRC GC6: a child (or a person treated as one) not with a parent or primary caregiver."""
    return p.treated_as_child and p.company is not Company.PARENT


def protection_indicated(p: Person) -> bool:
    """Indications of a need for international protection: a feared persecution on a Convention
    ground, flight from armed conflict or generalized violence in the country of origin, a
    nationality recognised prima facie where the person arrived, a request for asylum, or a
    risk of torture or other serious harm on return (CAT art. 3; ICCPR art. 7)."""
    return bool(
        p.persecution_ground is not None
        or p.fled_conflict
        or p.prima_facie
        or p.requests_asylum
        or p.serious_harm_on_return
    )


def stranded(p: Person) -> bool:
    """¶20: no right to stay and unable to return home. A refugee may be stranded too (profiles
    overlap); what changes is that nobody contacts the State they fear."""
    return p.cannot_return


def survivor_of_violence(p: Person) -> bool:
    """A survivor of violence or torture (UNHCR category TR when typed as beatings in a
    detention centre and the story tells no other violence; "survivor of violence", not a UNHCR
    code, when the story tells violence by recruiters, captors or an employer): said so in the
    facts, or derived from what the person tells (beaten, abducted, held captive on the way:
    :func:`mixedflows.trafficking.harms_the_person`), so that the same facts give the same
    referral in a worked case and in a generated boat."""
    return SpecificNeed.SURVIVOR_OF_VIOLENCE in p.specific_needs or bool(
        set(p.trafficking_indicators) & set(trafficking.harm_ids())
    )


def pregnant_alone(p: Person) -> bool:
    """An adult woman, pregnant, travelling alone: a specific need in UNHCR and IOM practice
    (a woman at risk, UNHCR category WR), referred whatever else she tells (trainer trial of
    issue 10, point 2). A pregnant girl is a child at risk (category CR) instead."""
    return (
        not p.treated_as_child
        and p.sex is Sex.FEMALE
        and p.is_pregnant
        and p.company is Company.ALONE
    )


PREGNANT_ALONE_CAVEAT = (
    "the UNHCR specific-needs categories were read in a public script that cites UNHCR's "
    "guidance, their two-letter codes only in a third-party application, and 'pregnant or "
    "lactating' only as a vulnerability text in UNHCR registration data extracts: which code a "
    "pregnant woman travelling alone gets is uncertain here; that she is a woman at risk with a "
    "specific need is not (UNHCR and IOM practice), so she is referred"
)
"""What the course cannot vouch for when it refers a pregnant woman travelling alone."""


def sgbv_told(p: Person) -> bool:
    """The person tells of sexual violence done to them (:func:`trafficking.sexual_violence_ids`):
    UNHCR category SV (trainer's review of issue 10: SV was defined and never assigned)."""
    return bool(set(p.trafficking_indicators) & set(trafficking.sexual_violence_ids()))


_HARM_WORDS = {
    "force": "beaten",
    "abduction": "abducted",
    "confinement": "held captive (deprived of liberty)",
}


_HARM_WHERE = {
    2: "while recruited or moved",
    5: "where they were made to work",
}
"""Where the harm was done, from the ILO/EC dimension of the observation (2: coercive
recruitment and transport; 5: coercion at destination): by recruiters, captors or an employer."""


def _told_harm(p: Person) -> list[str]:
    table = trafficking.observations()
    harm = trafficking.harm_ids()
    told = []
    for i in p.trafficking_indicators:
        if i in harm:
            ind = table[i]
            where = _HARM_WHERE.get(ind.dimension, "")
            told.append(_HARM_WORDS[ind.means] + (f" {where}" if where else ""))
    return list(dict.fromkeys(told))


def return_counselling(p: Person, ta: trafficking.TraffickingAssessment) -> ReturnCounselling:
    """What counselling may say about voluntary return: nothing while a protection claim is
    pending; only after a risk assessment for indications of trafficking or a survivor of
    torture; for a child, only after a best interests determination."""
    if protection_indicated(p):
        return "not_while_claim_pending"
    if p.treated_as_child:
        return "after_best_interests"
    if ta.referral or survivor_of_violence(p) or pointing_to_trafficking(ta):
        return "after_risk_assessment"
    return "offered"


def pointing_to_trafficking(ta: trafficking.TraffickingAssessment) -> bool:
    """Facts point towards trafficking without a referral: a possible trafficker is in the
    person's group, or a means was used against the person (threats, debt, documents kept).
    Return waits for a risk assessment here too (module 5: no return talk before it for a
    person with indications of trafficking; a trainer's cold trial of issue 10)."""
    return not ta.referral and (ta.nearby or (bool(ta.observed) and "means" not in ta.missing))


def _interview_apart(p: Person, ta: trafficking.TraffickingAssessment) -> bool:
    escorted = p.treated_as_child and p.company is Company.UNRELATED_ADULT
    return bool(ta.nearby or escorted)


def interview_apart(p: Person) -> bool:
    """A possible trafficker is near, so the person is interviewed apart: the facts place one
    in the person's group (on the same boat, or on the same road), or a child travels with an adult who is not a relative."""
    table = trafficking.observations()
    escorted = p.treated_as_child and p.company is Company.UNRELATED_ADULT
    return escorted or any(table[i].nearby for i in p.trafficking_indicators)


@dataclass(frozen=True)
class _Context:
    p: Person
    ta: trafficking.TraffickingAssessment
    ret: ReturnCounselling
    categories: tuple[CategoryFinding, ...]
    needs: frozenset[Need]


_WITH: dict[Company, str] = {
    Company.SPOUSE: "a spouse",
    Company.OWN_CHILDREN: "{pos} children",
    Company.PARENT: "a parent",
    Company.RELATIVE: "a relative",
    Company.UNRELATED_ADULT: "an adult who is not a relative",
}


def _older(p: Person) -> str:
    """Why an older person is at risk, from the facts told (trainer trial of issue 10, point 12:
    Mustafa M., travelling with his daughter-in-law, was said to have 'nobody to care for
    him')."""
    base = "an older person, frail and needing help with daily care"
    if p.company is Company.ALONE:
        return base + ", travelling alone with nobody to give it"
    pos = "his" if p.sex is Sex.MALE else "her"
    who = f"{pos} {p.companion}" if p.companion else _WITH[p.company].format(pos=pos)
    return f"{base}, travelling with {who}, who may not be able to give it all on the way"


def _categories(p: Person, ta: trafficking.TraffickingAssessment) -> tuple[CategoryFinding, ...]:
    out: list[CategoryFinding] = []

    def add(
        c: NeedCategory, why: str, by: Need | None, possible: bool = False, source: str = ""
    ) -> None:
        out.append(CategoryFinding(c, why, source or CATEGORY_SOURCES[c], by, possible))

    child = p.treated_as_child
    if unaccompanied_or_separated(p):
        add(NeedCategory.SC, "a child without a parent or primary caregiver", Need.CHILD_PROTECTION)
    if child:
        risks = []
        if p.is_married:
            risks.append("married")
        if p.is_pregnant:
            risks.append("pregnant")
        if ta.referral:
            risks.append("with indications of trafficking")
        if risks:
            add(NeedCategory.CR, "a child who is " + " and ".join(risks), Need.CHILD_PROTECTION)
    why_raw = {
        SpecificNeed.WOMAN_AT_RISK: "a woman alone, harassed and afraid",
        SpecificNeed.SURVIVOR_OF_VIOLENCE: "a survivor of beatings in a detention centre that "
        "the facts do not say who ran: possible torture; ask who ran it (the authorities, a "
        "militia, smugglers): it is coded TR only if a public official ran the centre or "
        "consented (CAT art. 1); refer for care whatever the answer",
        SpecificNeed.SERIOUS_MEDICAL: "a serious medical condition",
        SpecificNeed.DISABILITY: "a disability",
        SpecificNeed.OLDER_PERSON: _older(p),
        SpecificNeed.SINGLE_PARENT: "a parent travelling alone with children",
        SpecificNeed.FAMILY_UNITY: "family members separated on the way",
    }
    if pregnant_alone(p) and SpecificNeed.WOMAN_AT_RISK not in p.specific_needs:
        add(
            NeedCategory.WR,
            "a pregnant woman travelling alone (uncertain: " + PREGNANT_ALONE_CAVEAT + ")",
            ANSWERED_BY[NeedCategory.WR],
        )
    harm = _told_harm(p)
    for s in p.specific_needs:
        if s is SpecificNeed.SURVIVOR_OF_VIOLENCE and harm:
            # The story tells who did the violence (recruiters, captors, an employer: private
            # actors), and the narrative gives it no other place: it is that violence, coded
            # below as survivor of violence, not TR (CAT art. 1 needs a public official's part).
            continue
        c = RAW_CATEGORY[s]
        # Beatings in a detention centre, by whom the facts do not say: TR only if a public
        # official took part (CAT art. 1), so it is listed as possible, with the question.
        add(c, why_raw[s], ANSWERED_BY[c], possible=c is NeedCategory.TR)
    if harm:
        add(
            NeedCategory.VS,
            "a survivor of violence (told: " + "; ".join(harm) + ")",
            ANSWERED_BY[NeedCategory.VS],
        )
    if sgbv_told(p):
        table = trafficking.observations()
        told = "; ".join(
            table[i].text.lower()
            for i in p.trafficking_indicators
            if i in trafficking.sexual_violence_ids()
        )
        add(
            NeedCategory.SV,
            f"a survivor of sexual violence (told: {told})",
            ANSWERED_BY[NeedCategory.SV],
        )
    if p.serious_harm_on_return:
        add(
            NeedCategory.LP,
            "at risk of torture or other serious harm if returned (at risk of refoulement)",
            None,
        )
    if ta.nearby:
        # Whether or not the trafficking elements are all shown (fourth trial of issue 10: the
        # women watched by a man from the boat were interviewed apart but got no protection).
        add(
            NeedCategory.LP,
            "a possible trafficker is in the person's group (physical protection)",
            None,
            source=TRAFFICKER_NEARBY_SOURCE,
        )
    return tuple(out)


def _urgent(c: _Context) -> tuple[str, Citation]:
    conds = ", ".join(URGENT_LABELS[x].lower() for x in c.p.urgent)
    return (
        f"Acute welfare need ({conds}): medical care comes first, before any interview or "
        "screening; the questions can wait until the person is able to answer them.",
        cite.WELFARE_FIRST,
    )


def _child(c: _Context) -> tuple[str, Citation]:
    p = c.p
    if p.age_in_doubt:
        return (
            f"The person says they are {p.age}, has no document, and may be under 18. Give the "
            "benefit of the doubt: treat them as a child and refer them to the child protection "
            "system, which arranges an age assessment with safeguards and a best interests "
            "assessment; adult procedures wait until then.",
            AGE_ASSESSMENT,
        )
    at_risk = next((x for x in c.categories if x.category is NeedCategory.CR), None)
    risks = at_risk.reason.removeprefix("a child who is ") if at_risk else ""
    risk = f" and a child at risk ({risks})" if at_risk else ""
    doubt = (
        ""
        if p.age_documented
        else " The age is undocumented: any age assessment gives the benefit of the doubt."
    )
    if p.company is Company.PARENT:
        return (
            f"A child at risk ({risks}), travelling with a parent: refer to the child protection system for a best "
            "interests assessment, before any other procedure. The parent remains the child's "
            "caregiver: no guardian is appointed unless the best interests procedure finds the "
            "parent cannot or should not care for the child (for instance if involved in the "
            f"exploitation).{doubt}",
            Citation(
                framework=CHILD_PROTECTION.framework + "; " + CATEGORY_SOURCES[NeedCategory.CR],
                seed=CHILD_PROTECTION.seed,
            ),
        )
    if p.company in (Company.ALONE, Company.UNRELATED_ADULT):
        kind = f"An unaccompanied child ({p.age})"
        extra = (
            " The adult with the child is not a relative responsible by law or custom: the "
            "child is interviewed apart from him."
            if p.company is Company.UNRELATED_ADULT
            else ""
        )
    elif p.company is Company.SPOUSE:
        kind = f"A separated child ({p.age}) travelling with a spouse"
        extra = ""
    else:
        kind = f"A separated child ({p.age}), with a relative who is not a parent"
        extra = " The relative may well stay the child's carer if the assessment finds it right."
    return (
        f"{kind}{risk}: refer to the child protection system for a best interests assessment "
        f"and a guardian; this comes before other procedures and does not wait for them.{extra}"
        f"{doubt}",
        CHILD_PROTECTION,
    )


def _consent(p: Person, ta: trafficking.TraffickingAssessment) -> str:
    """What the person's saying they agreed changes: nothing (Palermo art. 3(b), 3(c))."""
    if not p.says_agreed:
        return ""
    if ta.child:
        return (
            " The child says they agreed to go: that changes nothing. For a child, consent is "
            "irrelevant: the act and the purpose suffice, with no means needed (Palermo art. "
            "3(c))."
        )
    return (
        " The person says they agreed to go: consent to the intended exploitation is irrelevant "
        "where any of the means was used (Palermo art. 3(b))."
    )


def _trafficking(c: _Context) -> tuple[str, Citation]:
    p, ta = c.p, c.ta
    if ta.child:
        how = (
            "Refer through the child protection system, in the child's best interests"
            + (
                ", with the best interests procedure deciding the parent's role"
                if p.company is Company.PARENT
                else ", with the child's guardian"
            )
            + ": a child's referral never rests on the child's consent alone."
        )
    else:
        how = "Refer, with the person's informed consent and in safety,"
        how += " for formal identification by the competent authority and for assistance."
    apart = (
        " A possible trafficker is in the person's group: interview the person apart from "
        "him and keep them apart."
        if ta.nearby
        else ""
    )
    view = ta.ilo.text(ta.child)
    consent = _consent(p, ta)
    return (
        f"{ta.reason}{consent} {how}{apart} Screening gives indications; it does not decide who "
        f"is a victim. {view}",
        trafficking.CHILD_CITATION if ta.child else trafficking.CITATION,
    )


def _asylum(c: _Context) -> tuple[str, Citation]:
    p = c.p
    reasons = []
    citation = ASYLUM
    if p.persecution_ground is not None:
        g = p.persecution_ground.value.replace("_", " ")
        if g == "social group":
            g = "membership of a particular social group"
        reasons.append(
            f"describes a fear of persecution for reasons of {g}, one of the five Convention "
            "grounds"
        )
    if p.fled_conflict:
        home = p.nationality or "the country of origin"
        reasons.append(
            f"fled armed conflict or generalized violence in {home} (a possible need for "
            "international protection, refugee status or a complementary form)"
        )
    if p.serious_harm_on_return:
        reasons.append(
            "says they would face torture or other serious harm if returned: whatever the "
            "reason, nobody is returned to such a risk (ICCPR art. 7; CAT art. 3 if a public "
            "official would take part or consent), and "
            "complementary protection is examined in the procedure"
        )
        citation = SERIOUS_HARM
    if p.requests_asylum:
        reasons.append("asks for asylum, and every request must be registered and referred")
    if p.prima_facie:
        reasons.append(
            f"is from {p.nationality}, whose nationals are recognised prima facie as refugees "
            "where they arrived: a group recognition that the authorities or UNHCR apply at "
            "registration"
        )
        citation = PRIMA_FACIE
    why = "; and ".join(reasons)
    if p.prima_facie:
        # Trainer trial of issue 10, point 8: a prima facie refugee is not an asylum seeker
        # awaiting an individual decision.
        decide = (
            "Give access to the asylum procedure's registration, where the authorities or UNHCR "
            "apply the prima facie recognition: the person is then a refugee without an "
            "individual status determination. Applying the recognition is for them, not for "
            "screening"
        )
    else:
        decide = (
            "Give information on and access to the asylum procedure (and registration). Whether "
            "they are a refugee is for the procedure to decide, not for screening"
        )
    return (
        f"The person {why}. {decide}; meanwhile no return (non-refoulement) and no contact with "
        "the authorities of the country of origin.",
        citation,
    )


def _specific(c: _Context) -> tuple[str, Citation]:
    mine = [x for x in c.categories if x.answered_by is Need.SPECIFIC_NEEDS]
    parts = "; ".join(f"{x.label} ({x.reason}; source: {x.source})" for x in mine)
    sgbv = ""
    if any(x.category is NeedCategory.SV for x in mine):
        sgbv = (
            " For sexual violence: with informed consent and in confidence, refer to "
            "SGBV-specialised services (a caseworker and an interpreter of the sex the person prefers, psychosocial support) "
            "and to medical care (clinical care after sexual violence, sexual and reproductive "
            "health), whatever the outcome of any other referral."
        )
    return (
        f"Specific needs: {parts}. Refer to the services for them; travelling in an irregular, "
        f"mixed flow does not remove these protections.{sgbv}",
        SPECIFIC_NEEDS,
    )


def labour_rights_indicated(p: Person) -> bool:
    """An adult who tells of exploitation at work (:func:`trafficking.exploited_at_work`),
    whether or not the trafficking elements are all shown. A child's exploitation is for the
    child protection system (child at risk), not for a wage claim of their own."""
    return not p.treated_as_child and bool(trafficking.exploited_at_work(p.trafficking_indicators))


def _labour_rights(c: _Context) -> tuple[str, Citation]:
    p, ta = c.p, c.ta
    table = trafficking.observations()
    told = "; ".join(
        table[i].text.lower() for i in trafficking.exploited_at_work(p.trafficking_indicators)
    )
    place = where_worked(p)
    forced = (
        " If the work was exacted under the menace of a penalty and not offered voluntarily, it "
        "is forced labour (ILO Convention No. 29, art. 2(1)), whatever the trafficking elements."
    )
    if ta.referral:
        beside = (
            " This goes beside the trafficking referral, not instead of it: what the person is "
            "owed does not wait for the outcome of the formal identification."
        )
    else:
        missing = " and ".join(ta.missing)
        beside = (
            f" The trafficking elements are not all shown (missing: {missing}), but exploitation "
            "at work is: a person who does not qualify as trafficked still has labour rights."
        )
    return (
        f"Exploited at work {place} (told: {told}). The work was done abroad, before arrival: "
        "a wage claim and the labour inspectorate here cover work done in this country, so "
        "they do not reach that employer (ILO C143 art. 9(1) gives equal treatment in rights "
        "from past employment; where they can be claimed is for national law). Refer to legal aid for advice on the "
        "remedies open to the person, and, with their informed consent, pass the facts to the "
        "authority in charge of identifying victims of trafficking and forced labour (¶21: "
        f"labour rights through national legal structures, and access to legal redress).{beside}"
        f"{forced}",
        LABOUR_ABROAD,
    )


def _tracing(c: _Context) -> tuple[str, Citation]:
    p, ta = c.p, c.ta
    if SpecificNeed.FAMILY_UNITY in p.specific_needs:
        why = "Family members were separated on the way (family unity)"
    else:
        why = "A child without a parent here"
    care = ""
    if ta.referral or protection_indicated(p) or ta.observed:
        care = (
            " Tracing must not put anyone at risk: no contact with the country of origin or "
            "with people who may be involved without a careful assessment."
        )
    return (f"{why}: family tracing and, where safe, reunification.{care}", FAMILY_TRACING)


_RETURN_TEXT: dict[str, str] = {
    "not_while_claim_pending": " Voluntary return is not discussed while a protection claim is "
    "pending (non-refoulement).",
    "after_best_interests": " For a child, return is considered only if a best interests "
    "determination finds it right, never on the child's word alone; no contact with the "
    "authorities of the country of origin except through the child protection system.",
}


def _counselling(c: _Context) -> tuple[str, Citation]:
    text, citation = _counselling_text(c)
    if c.p.transit_conflict:  # the text says which war indicates what: cite what it rests on
        seeds = citation.seed.removeprefix(para().strip()).replace("¶", "").split(",")
        numbers = sorted({int(x) for x in seeds if x.strip().isdigit()} | {12})
        citation = Citation(
            framework=citation.framework + "; 1951 Convention, art. 1A(2)",
            seed=para(*numbers),
            caveat=citation.caveat,
        )
    return text, citation


def _counselling_text(c: _Context) -> tuple[str, Citation]:
    p, ta = c.p, c.ta
    others = bool(c.needs - {Need.COUNSELLING})
    citation = cite.COUNSELLING
    if others:
        text = (
            "Everyone is also counselled on their options, after the referrals above: "
            "counselling never replaces them."
        )
    else:
        options = "legal onward migration (work or family channels), voluntary return"
        if p.motivation is Motivation.FAMILY:
            options = "family reunification through legal channels, voluntary return"
        lead = "No indication calls for another procedure"
        if pointing_to_trafficking(ta):
            lead = "No referral is called for yet"
        text = (
            f"{lead}: counselling on options ({options}) is "
            "the main response. The person keeps their rights, may still ask for asylum, and "
            "must be told how."
        )
    text += _RETURN_TEXT.get(c.ret, "")
    if c.ret == "after_risk_assessment":
        if ta.referral:
            text += (
                " With indications of trafficking, return is discussed only after a risk "
                "assessment and with informed consent; no contact with the country of origin "
                "before it."
            )
        elif pointing_to_trafficking(ta):
            text += (
                " With facts that point towards trafficking (below), voluntary return is "
                "discussed only after a risk assessment and with informed consent; no contact "
                "with the country of origin before it."
            )
        if survivor_of_violence(p):
            # Cold trial 2 of issue 10: CAT art. 3 is about a risk of torture in the country of
            # return; it is cited where the person states a fear of return (the asylum referral),
            # not for violence suffered on the way.
            text += (
                " A survivor of violence is referred for care first; voluntary return is discussed "
                "only after a risk assessment (a safe and dignified return), with no contact with "
                "the country of origin before it."
            )
            citation = Citation(
                framework=cite.COUNSELLING.framework + "; UNHCR 10-Point Plan in Action (2011), "
                "ch. 6 (referral to care)",
                seed=cite.COUNSELLING.seed,
            )
    if not ta.referral and _interview_apart(p, ta):
        # Cold trial 5 of issue 10: the LP need was computed but no text a learner reads said it.
        who = (
            "a possible trafficker in the person's group"
            if ta.nearby
            else "the adult travelling with the child, who is not a relative"
        )
        text += (
            f" Interview the person apart from {who}, and keep them apart: a physical "
            "protection need (UNHCR category LP)."
        )
    if ta.below_threshold:
        names = " and ".join(ta.missing)
        text += (
            f" Some facts point towards trafficking without the elements for a referral "
            f"(missing: {names}): stay alert, offer a private follow-up interview, and screen "
            f"again if more comes out. {trafficking.what_would_change(ta.missing, ahead=ta.purpose_ahead)}"
        )
    if p.transit_conflict:
        origin = p.nationality or "the country of origin"
        war = p.transit_conflict
        if p.fled_conflict:
            text += (
                f" The person fled fighting in {origin} and, later, the war in {war}, where they "
                f"were living: the flight from {origin}, not from {war}, is what indicates a need "
                "for protection (1951 Convention art. 1A(2) and the wider refugee criteria look at "
                "the country of origin)."
            )
        else:
            text += (
                f" Fleeing the war in {war}, a transit country where the person was living, is "
                f"not by itself a need for protection from {origin} (a refugee fears "
                "persecution in the country of nationality, 1951 Convention art. 1A(2)); reasons "
                f"for moving change on the way (MC/INF/294 ¶12). Whether return to {origin} is "
                "safe is a question about " + origin + ". The person may still ask for asylum "
                "and must be told how; the procedure decides."
            )
    if p.cannot_return and protection_indicated(p):
        # Consular contact could expose a person who fears their own State: never while a
        # protection need is indicated (REFERENCE_modules.md D; UNHCR 2005).
        text += (
            " The person cannot return and has no right to stay. With a protection need "
            "indicated, there is no contact with the authorities of the country of origin (no "
            "consulate, no data shared): documents and status go through the asylum procedure "
            "and UNHCR."
        )
        return (text, STRANDED_PROTECTION)
    if p.cannot_return and not protection_indicated(p):
        citation = STRANDED_COUNSELLING
        if c.ret == "offered":
            # Cold trial 2 of issue 10: the embassy has already refused to confirm nationality,
            # so another consular request is not the answer; ¶20 calls for inter-State
            # cooperation, and a nationality nobody confirms is a risk of statelessness.
            text += (
                " The person cannot return and has no right to stay (a stranded migrant, ¶20): "
                "the embassy has refused to confirm their nationality, so a further consular "
                "request alone will not settle it. Since screening indicates no protection need "
                "(nothing shows a fear of their own State), and only with their consent, ask for "
                "inter-State cooperation (the authorities here with those of the country of "
                "origin, IOM helping) to establish nationality and documents, so that the person is not "
                "pushed back and forth; and, since no State confirms them as a national, screen "
                "for the risk of statelessness (1954 Convention art. 1; UNHCR Handbook on "
                "Protection of Stateless Persons, 2014)."
            )
            citation = Citation(
                framework=STRANDED_COUNSELLING.framework + "; 1954 Convention relating to the "
                "Status of Stateless Persons, art. 1; UNHCR Handbook on Protection of Stateless "
                "Persons (2014)",
                seed=STRANDED_COUNSELLING.seed,
            )
        else:
            text += (
                " The person cannot return and has no right to stay: help with documents, but "
                "no consular contact until the assessment above allows it."
            )
    return (text, citation)


_RATIONALES = {
    Need.URGENT_MEDICAL: _urgent,
    Need.CHILD_PROTECTION: _child,
    Need.TRAFFICKING_REFERRAL: _trafficking,
    Need.ASYLUM_INFORMATION: _asylum,
    Need.SPECIFIC_NEEDS: _specific,
    Need.LABOUR_RIGHTS: _labour_rights,
    Need.FAMILY_TRACING: _tracing,
    Need.COUNSELLING: _counselling,
}
