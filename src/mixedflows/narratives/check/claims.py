"""The claims of :mod:`mixedflows.narratives.check`: each kind of sentence a narrative may
hold, with the facts of the person it needs (:data:`CLAIMS`), and the predicates they use.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass

from mixedflows import trafficking
from mixedflows.profiles import Company, Ground, Motivation, Person, SpecificNeed, UrgentCondition

Pred = Callable[[Person], bool]


def _kinds(p: Person, element: str) -> set[str]:
    table = trafficking.observations()
    return {table[i].element(element) for i in p.trafficking_indicators} - {""}


def _has(*ids: str) -> Pred:
    return lambda p: bool(set(ids) & set(p.trafficking_indicators))


def _means(*kinds: str) -> Pred:
    return lambda p: bool(set(kinds) & _kinds(p, "means"))


def _purpose(p: Person) -> bool:
    return bool(_kinds(p, "purpose"))


def _worked(p: Person) -> bool:
    """The person was put to work on the way: an exploitation told (a purpose other than a debt
    still to be repaid), or held where they worked (a means that tells of work)."""
    table = trafficking.observations()
    return bool(_kinds(p, "purpose") - {_INTENDED}) or any(
        trafficking.held_at_work(table[i]) for i in p.trafficking_indicators
    )


def _protection(p: Person) -> bool:
    from mixedflows.screening import protection_indicated

    return protection_indicated(p)


def _interview_apart(p: Person) -> bool:
    from mixedflows.screening import interview_apart

    return interview_apart(p)


def _ground(*g: Ground) -> Pred:
    return lambda p: p.persecution_ground in g


def _need(n: SpecificNeed) -> Pred:
    return lambda p: n in p.specific_needs


def _urgent(c: UrgentCondition) -> Pred:
    return lambda p: c in p.urgent


def _motive(m: Motivation) -> Pred:
    return lambda p: p.motivation is m


def _company(*c: Company) -> Pred:
    return lambda p: p.company in c


def _any(*preds: Pred) -> Pred:
    return lambda p: any(f(p) for f in preds)


def _all(*preds: Pred) -> Pred:
    return lambda p: all(f(p) for f in preds)


def _not(pred: Pred) -> Pred:
    return lambda p: not pred(p)


WORKING_AGE_MAX = 50
"""The oldest age at which the course's stories recruit an adult for labour (18-50)."""


OLDER = SpecificNeed.OLDER_PERSON


_INTENDED = "debt bondage (a practice similar to slavery)"
"""A purpose that may still lie ahead (a debt to repay by work at destination)."""


_HEALTH_NEEDS = {
    SpecificNeed.SERIOUS_MEDICAL,
    SpecificNeed.DISABILITY,
    SpecificNeed.OLDER_PERSON,
    SpecificNeed.SURVIVOR_OF_VIOLENCE,
}


_OATH = ("d3.abuse_of_cultural_religious_beliefs", "se.oath_to_repay")


@dataclass(frozen=True)
class Claim:
    """What a phrase claims, and the facts that must hold for it to be true."""

    name: str
    pattern: re.Pattern[str]
    holds: Pred


def _c(name: str, pattern: str, holds: Pred) -> Claim:
    return Claim(name, re.compile(pattern, re.IGNORECASE), holds)


P = r"(?:his|her)"


CLAIMS: tuple[Claim, ...] = (
    # Who they are with (CRC GC6 reads these for a child).
    _c("alone", r"\btravelled alone\b", _company(Company.ALONE)),
    _c(
        "with a parent",
        rf"\btravels with {P} (?:mother|father)\b|\b{P} (?:mother|father) says\b",
        _company(Company.PARENT),
    ),
    _c(
        "with a relative",
        rf"\btravels with (?:{P} )?(?:aunt|uncle|older cousin|cousin|grandmother|grandfather|"
        r"older brother|older sister|daughter-in-law|son-in-law|son|daughter|nephew|niece|"
        r"relatives)\b",
        _company(Company.RELATIVE),
    ),
    _c(
        "a child without a parent",
        rf"\bnot with {P} parents\b|\b{P} parents stayed at home\b",
        lambda p: p.treated_as_child and p.company is not Company.PARENT,
    ),
    _c(
        "an unaccompanied child",
        r"\bno adult here is responsible\b|\bnobody here is responsible\b",
        lambda p: p.treated_as_child and p.company in (Company.ALONE, Company.UNRELATED_ADULT),
    ),
    _c(
        "with a spouse",
        rf"\btravels with {P} (?:husband|wife|spouse)\b",
        _company(Company.SPOUSE),
    ),
    _c("married", r"\bis married\b|\bhusband\b|\bwife\b", lambda p: p.is_married),
    _c("with own children", rf"\btravels with {P} children\b", _company(Company.OWN_CHILDREN)),
    _c(
        "with an unrelated adult",
        r"calls 'uncle', who is not a relative",
        _company(Company.UNRELATED_ADULT),
    ),
    # Age.
    _c("looks younger", r"\blooks much younger\b", lambda p: p.age_in_doubt),
    _c("primary school", r"\bfinishing primary school\b", lambda p: p.age_in_doubt),
    _c("no age document", r"\bno document\b", lambda p: not p.age_documented),
    _c("an age document", r"\bshows a document giving\b", lambda p: p.age_documented),
    # Urgent conditions and status.
    _c("dehydration", r"\bno water for two days\b", _urgent(UrgentCondition.DEHYDRATION)),
    _c("hypothermia", r"\bshivering\b", _urgent(UrgentCondition.HYPOTHERMIA)),
    _c("fuel burns", r"\bburns on the legs\b", _urgent(UrgentCondition.FUEL_BURNS)),
    _c("injury", r"\bbleeding cut\b", _urgent(UrgentCondition.INJURY)),
    _c("late pregnancy", r"\beight months pregnant\b", _urgent(UrgentCondition.LATE_PREGNANCY)),
    _c("exhaustion", r"\bcollapsed on the quay\b", _urgent(UrgentCondition.EXHAUSTION)),
    _c("acute distress", r"\bacute distress\b", _urgent(UrgentCondition.ACUTE_DISTRESS)),
    _c("pregnant", r"\bpregnant\b", lambda p: p.is_pregnant),
    _c(
        "no urgent need",
        r"\bneeds nothing urgently\b",
        lambda p: not p.urgent and not p.is_pregnant and not set(p.specific_needs) & _HEALTH_NEEDS,
    ),
    # Specific needs.
    _c("woman at risk", r"\bharassed by men\b", _need(SpecificNeed.WOMAN_AT_RISK)),
    _c(
        "survivor of torture",
        r"\bscars from beatings\b",
        _need(SpecificNeed.SURVIVOR_OF_VIOLENCE),
    ),
    _c("serious medical condition", r"\binsulin\b", _need(SpecificNeed.SERIOUS_MEDICAL)),
    # Medicine the person cannot do without and has no more of is an acute need: true only of a
    # person the rules treat as urgent (an UrgentCondition: screening's urgent medical referral).
    _c(
        "out of vital medicine",
        r"\bnone left\b|\b(?:has|have|had) run out\b|\bran out of\b",
        lambda p: bool(p.urgent),
    ),
    _c("disability", r"\bcrutch\b", _need(SpecificNeed.DISABILITY)),
    _c("older person", r"\bold and frail\b", _need(SpecificNeed.OLDER_PERSON)),
    _c("single parent", r"\bno partner is with\b", _need(SpecificNeed.SINGLE_PARENT)),
    _c(
        "family separated",
        rf"\bseparated from {P} spouse\b",
        _need(SpecificNeed.FAMILY_UNITY),
    ),
    # Reasons for leaving and for not going back.
    _c(
        "political opinion",
        r"\bafter taking part in protests\b|\bdeserted from open-ended national service\b|"
        r"\bthe father's political activity\b",
        _ground(Ground.POLITICAL_OPINION),
    ),
    _c(
        "religion",
        r"\breligious minority\b|\bbecause of its religion\b",
        _ground(Ground.RELIGION),
    ),
    _c("race", r"\bethnic group\b", _ground(Ground.RACE)),
    _c(
        "nationality",
        r"\bstripped of citizenship\b|\bits nationality\b",
        _ground(Ground.NATIONALITY),
    ),
    _c(
        "social group",
        r"\bforced marriage arranged by\b|\bis gay\b|\bbecause of its clan\b|"
        r"\brefusal of a forced marriage\b",
        _ground(Ground.SOCIAL_GROUP),
    ),
    _c(
        "fear of return",
        r"\bafraid of what would happen to (?:him|her) if sent back\b",
        lambda p: p.persecution_ground is not None or p.serious_harm_on_return,
    ),
    _c(
        "fled conflict",
        r"\bfled fighting\b|\bfighting is still going on at home\b",
        lambda p: p.fled_conflict,
    ),
    _c(
        "serious harm on return",
        r"\bwould be tortured\b",
        lambda p: p.serious_harm_on_return,
    ),
    _c(
        "fled a war in transit",
        r"\bwhen war broke out there\b",
        lambda p: bool(p.transit_conflict),
    ),
    # An older person who is frail and needs help with daily care does not "hope to find work"
    # (trainer trial of issue 10, point 7: a 72-year-old frail man did).
    _c(
        "work",
        r"\bhopes to find work and send money home\b",
        _all(_motive(Motivation.WORK), lambda p: OLDER not in p.specific_needs),
    ),
    _c(
        "family abroad",
        r"\bwants to join a brother\b|\bwants to join (?:his|her) children\b",
        _motive(Motivation.FAMILY),
    ),
    _c("study", r"\bhopes to go to school abroad\b", _motive(Motivation.STUDY)),
    _c("environment", r"\bfailed harvests\b", _motive(Motivation.ENVIRONMENT)),
    _c("with the family", r"\btoo young to say more\b", _motive(Motivation.WITH_FAMILY)),
    _c(
        "stranded",
        r"\bembassy will not confirm\b",
        lambda p: p.cannot_return and not _protection(p),
    ),
    _c("cannot go back", r"\bcannot go back\b", lambda p: p.cannot_return),
    _c(
        "could go back",
        r"\bcould go back\b",
        lambda p: not p.cannot_return and not _protection(p),
    ),
    _c("prima facie", r"\brecognised prima facie\b", lambda p: p.prima_facie),
    _c(
        "asks for asylum",
        r"\basks to apply for asylum\b|\bwants to ask for asylum\b",
        lambda p: p.requests_asylum,
    ),
    _c(
        "wants to know about asylum",
        r"\bdid not know this was possible\b",
        lambda p: _protection(p) and not p.requests_asylum,
    ),
    _c(
        "no protection sought",
        r"\bdid not come to ask for protection\b",
        lambda p: not _protection(p),
    ),
    # The journey.
    _c("smuggled", r"\bpaid a smuggler\b", lambda p: p.paid_smuggler),
    _c(
        "months on the way",
        r"\bspent \d+ months? on the way\b",
        lambda p: p.months_in_transit > 0,
    ),
    _c(
        "nothing on the journey",
        r"\bcame straight from the coast\b",
        lambda p: not p.paid_smuggler and not p.months_in_transit,
    ),
    _c(
        "no work on the way",
        r"\bdid not work on the way\b",
        lambda p: not _worked(p),
    ),
    _c(
        "nobody controls them",
        r"\bowes nobody money\b",
        lambda p: (
            not _means("confiscation of documents", "debt", "confinement")(p)
            and not _has(*_OATH)(p)
        ),
    ),
    _c(
        "work told elsewhere",
        r"\bthe work is part of what (?:he|she) told about the journey\b",
        _worked,
    ),
    _c(
        "control told elsewhere",
        r"\bpart of the journey (?:he|she) told about\b",
        lambda p: _means("confiscation of documents", "debt", "confinement")(p) or _has(*_OATH)(p),
    ),
    _c("does not want to go back", r"\bdoes not want to go back\b", _protection),
    _c("says they agreed", r"\binsists (?:he|she) agreed to go\b", lambda p: p.says_agreed),
    _c("talks in private", r"\baway from the others\b", _interview_apart),
    _c("fine talking here", r"\bfine talking where\b", _not(_interview_apart)),
    # What trafficking sentences claim beyond their own observation.
    _c(
        "confinement",
        r"\blocked in\b|\bcould not leave\b|\bnot allowed to leave\b|\bnever allowed to leave\b|"
        r"\bguarded day and night\b",
        _means("confinement"),
    ),
    _c(
        "documents taken",
        rf"\b(?:kept|took|keeps|kept all of) {P} passport\b|\bpassport is kept\b",
        _means("confiscation of documents"),
    ),
    # Trainer's review of issue 10: stories that contradict themselves or the person.
    _c(
        "lost a passport",
        rf"\blost {P} passport\b",
        _not(_means("confiscation of documents")),
    ),
    _c(
        "working where a war broke out",
        r"\bwas working in [\w ]+ when war broke out\b",
        lambda p: not p.story,
    ),
    _c(
        "recruited for building work (men, as the stories tell it)",
        r"\bbuilding work\b|\bbuilding site\b",
        lambda p: p.sex.value == "male",
    ),
    _c(
        "recruited for housework (women, as the stories tell it)",
        r"\bhousework\b|\bworking for a family in Jeddah\b|\bthat house in Jeddah\b",
        lambda p: p.sex.value == "female",
    ),
    _c(
        "recruited for work at a working age",
        r"\bpromised (?:him|her) (?:\w+ )*?(?:work|housework|a job)\b|\bmade to work\b|"
        r"\bworked from dawn\b",
        lambda p: p.is_child or (p.age <= WORKING_AGE_MAX and OLDER not in p.specific_needs),
    ),
    _c(
        "worked without the promised day off",
        r"\bday off a week; (?:he|she) never had one\b|\bthe work was nothing like it\b",
        _has("d4.excessive_working_days_or_hours"),
    ),
    _c(
        "earnings that never came, once put to work",
        r"\bthe money never came\b",
        _has("se.forced_prostitution", "se.earnings_taken_for_debt"),
    ),
    _c(
        "a debt",
        r"\bdebt\b|\bowes\b(?! nobody)",
        _any(_means("debt"), _has(*_OATH)),
    ),
    _c(
        "violence",
        r"\bbeaten\b|\bbeat them\b|\bhurt (?:him|her)\b",
        _means("force", "threats"),
    ),
    _c(
        "threats",
        r"\bthreatened to hurt\b|\bthreatened that\b|\bwould be harmed\b|\bwould jail\b|"
        r"\bhanded to the police\b|\bwould get worse\b",
        _any(_means("threats", "coercion"), _has("d2.violence_on_family_threats_or_effective")),
    ),
    _c(
        "unpaid or exploited at work",
        r"\bnever paid\b|\bno salary\b|\bwages 'for safekeeping'\b|\bdawn to night\b|"
        r"\beighteen hours a day\b|\blong days\b|\bno protection\b|\bfines that ate\b",
        _purpose,
    ),
    _c(
        "not paid",
        r"\bnever paid\b|\bno salary\b|\bnever got (?:it|paid|a wage)\b|\bwas not paid\b",
        _has("d4.low_or_no_salary"),
    ),
    _c(
        "sexual exploitation",
        r"\bprostitution\b|\bclients paid\b",
        lambda p: "sexual exploitation" in _kinds(p, "purpose"),
    ),
    _c(
        "a possible trafficker near the person",
        r"\bsame boat\b|\bfrom the boat\b|\bon the boat\b|\ba man in (?:his|her) group\b",
        lambda p: any(trafficking.observations()[i].nearby for i in p.trafficking_indicators),
    ),
)
