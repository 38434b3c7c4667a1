"""The rationale of each referral, written from the person's facts (:data:`_RATIONALES`,
one writer per need), each sentence generated from the facts and the data it describes.
"""

from __future__ import annotations

from dataclasses import dataclass

from mixedflows import citations as cite
from mixedflows import trafficking
from mixedflows.citations import Citation, para
from mixedflows.profiles import (
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
from mixedflows.referrals.facts import (
    PREGNANT_ALONE_CAVEAT,
    _told_harm,
    family_may_be_involved,
    physical_protection,
    pointing_to_trafficking,
    pregnant_alone,
    protection_indicated,
    sgbv_told,
    survivor_of_violence,
    unaccompanied_or_separated,
)
from mixedflows.referrals.sources import (
    AGE_ASSESSMENT,
    ANSWERED_BY,
    ASYLUM,
    CATEGORY_SOURCES,
    CHILD_PROTECTION,
    FAMILY_TRACING,
    LABOUR_ABROAD,
    PRIMA_FACIE,
    RAW_CATEGORY,
    SERIOUS_HARM,
    SPECIFIC_NEEDS,
    STRANDED_COUNSELLING,
    STRANDED_PROTECTION,
    TRAFFICKER_NEARBY_SOURCE,
    CategoryFinding,
    ReturnCounselling,
    where_worked,
)


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


def lp_answered_by(p: Person) -> Need:
    """The referral that answers a physical protection need (UNHCR LP: kept apart from a possible
    trafficker): child protection for an unaccompanied or separated child, else the
    specific-needs referral (:func:`mixedflows.screening._decide` calls it), whatever else is
    referred, so that adding a fact never takes a referral away."""
    return Need.CHILD_PROTECTION if unaccompanied_or_separated(p) else Need.SPECIFIC_NEEDS


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
            Need.ASYLUM_INFORMATION,
        )
    if physical_protection(p, ta):
        # Whether or not the trafficking elements are all shown (fourth trial of issue 10: the
        # women watched by a man from the boat were interviewed apart but got no protection),
        # answered by a referral that is made (trainer's trial of issue 10: LP was said while
        # the specific-needs referral was "not called for").
        add(
            NeedCategory.LP,
            f"interviewed and kept apart from {_apart_from(p, ta)}",
            lp_answered_by(p),
            source=TRAFFICKER_NEARBY_SOURCE,
        )
    return tuple(out)


def _apart_from(p: Person, ta: trafficking.TraffickingAssessment) -> str:
    """Whom the person is interviewed and kept apart from, in words."""
    if ta.nearby:
        return "a possible trafficker in the person's group"
    return "the adult travelling with the child, who is not a relative"


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
        # "if involved in the exploitation" only where there are indications of exploitation
        # (trainer's cold trial of issue 10, major 1: said of Fatoumata D., married at 16).
        involved = " (for instance if involved in the exploitation)" if c.ta.referral else ""
        apart = (
            f" The child is interviewed apart from {_family(p)}, who may be involved."
            if family_may_be_involved(p, c.ta)
            else ""
        )
        return (
            f"A child at risk ({risks}), travelling with a parent: refer to the child protection system for a best "
            "interests assessment, before any other procedure. The parent remains the child's "
            "caregiver: no guardian is appointed unless the best interests procedure finds the "
            f"parent cannot or should not care for the child{involved}.{apart}{doubt}",
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
        if family_may_be_involved(p, c.ta):
            extra += f" The child is interviewed apart from {_family(p)}, who may be involved."
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
    citation = trafficking.CHILD_CITATION if ta.child else trafficking.CITATION
    if family_may_be_involved(p, ta):
        who = _family(p)
        apart += (
            f" The child travels with {who}, who may be involved in the exploitation: interview "
            f"the child apart from {who}, and let the best interests procedure decide the "
            "family's role."
        )
        citation = Citation(
            framework=citation.framework + "; " + FAMILY_APART_SOURCE,
            seed=citation.seed,
            caveat=citation.caveat,
        )
    view = ta.ilo.text(ta.child)
    consent = _consent(p, ta)
    return (
        f"{ta.reason}{consent} {how}{apart} Screening gives indications; it does not decide who "
        f"is a victim. {view}",
        citation,
    )


FAMILY_APART_SOURCE = (
    "UNICEF Guidelines on the Protection of Child Victims of Trafficking (provisional version "
    "2.1, September 2006): the child is interviewed apart where the family may be involved (the "
    "passage itself was not read in this course's sources)"
)
"""Why a child with indications of trafficking is interviewed apart from the parent or relative
they travel with (trainer's cold trial of issue 10, major 1)."""


def _family(p: Person) -> str:
    """The parent or relative a child travels with, as the narrative names them ("his father",
    "his older cousin": :attr:`Person.family_companion`)."""
    who = p.family_companion
    if who == "relatives":
        return who
    return ("his " if p.sex is Sex.MALE else "her ") + who


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
        consent = (
            "for a child, through the child protection system, with the guardian or the parent "
            "caring for the child and in the child's best interests, never on the child's consent "
            "alone, and in confidence"
            if c.p.treated_as_child
            else "with informed consent and in confidence"
        )
        sgbv = (
            f" For sexual violence: {consent}, refer to "
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


WORK_ABROAD = (
    "The work was done abroad, before arrival: a wage claim and the labour inspectorate here "
    "cover work done in this country, so they do not reach that employer (ILO C143 art. 9(1) "
    "gives equal treatment in rights from past employment; where they can be claimed is for "
    "national law)."
)
"""Why work told at screening (done before arrival, :func:`where_worked`) is not met by a wage
claim here: said in the same words wherever it is decided (the labour-rights referral of modules
2 and 5, and module 6/11's case work, :func:`mixedflows.casework.actions._labour`)."""

LABOUR_ABROAD_ROUTE = (
    "Refer to legal aid for advice on the remedies open to the person, and, with their informed "
    "consent, pass the facts to the authority in charge of identifying victims of trafficking "
    "and forced labour (¶21: labour rights through national legal structures, and access to "
    "legal redress)."
)
"""What is done instead of a wage claim here, for work done abroad."""


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
        f"Exploited at work {place} (told: {told}). {WORK_ABROAD} {LABOUR_ABROAD_ROUTE}"
        f"{beside}"
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
    lp = next((x for x in c.categories if x.source == TRAFFICKER_NEARBY_SOURCE), None)
    if not ta.referral and lp is not None and lp.answered_by is not None:
        # Cold trial 5 of issue 10: the LP need was computed but no text a learner reads said it;
        # said from the category itself, with the referral that answers it (trainer's trial).
        text += (
            f" Interview the person apart from {_apart_from(p, ta)}, and keep them apart: a "
            "physical protection need (UNHCR category LP), answered by the referral "
            f"'{NEED_LABELS[lp.answered_by]}'."
        )
    if ta.below_threshold:
        names = " and ".join(ta.missing)
        text += (
            f" Some facts point towards trafficking without the elements for a referral "
            f"(missing: {names}): stay alert, offer a private follow-up interview, and screen "
            f"again if more comes out. {trafficking.what_would_change(ta.missing, ahead=ta.purpose_ahead, held=ta.held)}"
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
