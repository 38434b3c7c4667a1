"""The predicates the screening rules and the referrals' texts share (issue 10): protection
indicated, unaccompanied or separated, stranded, a survivor of violence, pregnant and alone,
what return counselling may say, pointing to trafficking, whether to interview apart.
"""

from __future__ import annotations

from mixedflows import trafficking
from mixedflows.profiles import (
    Company,
    Person,
    Sex,
    SpecificNeed,
)
from mixedflows.referrals.sources import ReturnCounselling


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


def physical_protection(p: Person, ta: trafficking.TraffickingAssessment) -> bool:
    """A physical protection need (UNHCR category LP): a possible trafficker in the person's group
    (on the same boat, or on the same road), or a child travelling with an adult who is not a
    relative; the person is interviewed and kept apart from them."""
    escorted = p.treated_as_child and p.company is Company.UNRELATED_ADULT
    return bool(ta.nearby or escorted)


FAMILY_COMPANY = (Company.PARENT, Company.RELATIVE)
"""The family a child may travel with who may be involved in the child's exploitation."""


def family_may_be_involved(p: Person, ta: trafficking.TraffickingAssessment) -> bool:
    """A child (or a person treated as one) with indications of trafficking who travels with a
    parent or a relative: the family may be involved, so the child is interviewed apart from
    them (trainer's cold trial of issue 10, major 1: Ibrahima C., with his father, and
    Abdoulaye O., with his cousin, both referred, were interviewed in front of them)."""
    return p.treated_as_child and p.company in FAMILY_COMPANY and ta.referral


def _interview_apart(p: Person, ta: trafficking.TraffickingAssessment) -> bool:
    return physical_protection(p, ta) or family_may_be_involved(p, ta)


def interview_apart(p: Person) -> bool:
    """The person is interviewed apart: a possible trafficker is near (:func:`physical_protection`)
    or a child with indications of trafficking travels with a parent or relative who may be
    involved (:func:`family_may_be_involved`)."""
    return _interview_apart(
        p, trafficking.assess(p.trafficking_indicators, child=p.treated_as_child)
    )
