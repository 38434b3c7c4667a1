"""Narratives agree with facts, mechanically.

A lexicon (:data:`CLAIMS`) says what words claim: "could not leave" claims confinement, "not
with his parents" claims a child without a parent, "nobody here is responsible for him" claims
an unaccompanied child. Each claim has a predicate on the person's facts. For every sentence a
learner reads (the module 1 narrative, and the arrival note and every interview answer of the
screening desk), :func:`check_person` reports:

- a sentence that claims something the facts do not hold (a contradiction);
- a sentence that states nothing the rules read (no claim, and not the telling of one of the
  person's trafficking observations): it could only mislead;
- a fact the rules grade that no sentence states (the learner could not know it).

The lexicon is written against the words, not against the code that writes the sentences: a
new sentence either matches an existing claim, or the check fails until a claim is added here.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

from mixedflows import trafficking
from mixedflows.profiles import Company, Ground, Motivation, Person, SpecificNeed, UrgentCondition
from mixedflows.referrals import pregnant_alone

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


# --- Composition: actors introduced before use, each fact once, one place of abuse ------------

ACTORS: dict[str, tuple[re.Pattern[str], re.Pattern[str]]] = {
    name: (re.compile(intro, re.IGNORECASE), re.compile(use))
    for name, intro, use in (
        # (actor, words that introduce it, words that refer to it as already known)
        ("recruiter", r"\ba recruiter\b|\bthe man who recruited\b", r"\b[Tt]he recruiter\b"),
        ("broker", r"\ba broker\b", r"\b[Tt]he broker\b"),
        ("farm", r"\ba farm\b", r"\b[Tt]he farm\b"),
        ("compound", r"\ba compound\b", r"\b[Tt]he compound\b"),
        (
            "captors",
            r"\barmed men\b|\bthe men who (?:moved|held)\b",
            r"^The men\b(?! who)|^They\b",
        ),
        ("madam", r"\ba 'madam'", r"\b[Tt]he madam\b"),
        (
            "a family in the Gulf",
            r"\ba family (?:in|for|\w+ worked for)\b|\bfor a family\b",
            r"\b[Tt]he family in Jeddah\b|\bthat house\b|\bthe house in Jeddah\b",
        ),
        ("agent", r"\ban agent\b", r"\b[Tt]he agent\b"),
        # Cold trial 2 of issue 10: workers, a promise and a promiser referred to as known.
        (
            "work",
            r"\bworked\b|\bmade to work\b|\bpromised (?:him |her )?(?:\w+ )?(?:job|work)\b|"
            r"\bfactory\b|\ba farm\b|\bemployer\b|\bhousework\b",
            r"\b[Tt]he workers\b",
        ),
        (
            "someone who made promises",
            r"\ba recruiter\b|\ba broker\b|\bthe man who recruited\b|\ba woman from\b|"
            r"\bfriend told\b|\ban agent\b",
            r"\b(?:He|She) was promised\b",
        ),
        (
            "a promise of building work",
            r"\bpromised (?:him |her )?(?:building work|work on a building site)\b",
            r"\bInstead of a building site\b",
        ),
        ("employer", r"\ban employer\b", r"\b[Tt]he employer\b"),
    )
}
"""Who or where a sentence may refer to only once introduced, within what a learner reads at
once (the narrative, or one answer of the interview)."""

FACTS_TOLD_ONCE: dict[str, re.Pattern[str]] = {
    name: re.compile(pattern, re.IGNORECASE)
    for name, pattern in (
        ("the promise of a job", r"\bpromised (?:him |her )?(?:a |paid )?(?:\w+ )?(?:job|work)\b"),
        ("the passport taken", rf"\b(?:kept|took|keeps) {P} passport\b|\bpassport is kept\b"),
        ("the scars", r"\bscars\b"),
        ("the smuggler paid", r"\bpaid a smuggler\b"),
        ("the months on the way", r"\bmonths? on the way\b"),
    )
}
"""Facts a person tells once: told twice in one text, the second telling repeats the first (cold
trial: Moussa G.'s promise of building work was told twice)."""

_FAMILY_ONLY = re.compile(r"\bwants to join a brother who works abroad\.$")
_RECRUITED_FOR_WORK = re.compile(
    r"\ba recruiter\b|\bpromised (?:him|her) (?:a job|\w+ work|work|housework)\b"
)
"""A reason to leave that is only to join family, then a recruitment for work with nothing
linking them (cold trial 2 of issue 10)."""

_BEATING = re.compile(r"\bbeat(?:en|ings?)?\b", re.IGNORECASE)
PLACES_OF_ABUSE: dict[str, re.Pattern[str]] = {
    name: re.compile(pattern, re.IGNORECASE)
    for name, pattern in (
        ("a detention centre", r"\bdetention centre\b"),
        ("a farm", r"\bfarm\b"),
        ("a compound", r"\bcompound\b|\bthe men who held\b"),
        ("work", r"\bat work\b|\bemployer\b"),
        ("the journey", r"\bthe men who moved\b|\bon the way\b"),
    )
}
"""Where a sentence says a person was beaten. The place a person's scars come from must be one
of the places their story tells of beatings (cold trial: scars 'from a detention centre' for a
man whose story told of beatings on a farm)."""


def composition_problems(p: Person, blocks: Iterable[tuple[str, list[str]]]) -> list[Problem]:
    """Actors used before they are introduced and facts told twice, in each block a learner
    reads at once; and places of abuse that contradict each other across all of them."""
    problems = []
    scars: list[tuple[str, str, set[str]]] = []
    beaten: set[str] = set()
    for where, sentences in blocks:
        known: set[str] = set()
        family_only = ""
        told: dict[str, str] = {}
        seen: set[str] = set()
        for sentence in sentences:
            for actor, (intro, use) in ACTORS.items():
                if intro.search(sentence):
                    known.add(actor)
                elif use.search(sentence) and actor not in known:
                    problems.append(
                        Problem(
                            p.person_id, where, sentence, f"refers to {actor} before introducing"
                        )
                    )
            if _FAMILY_ONLY.search(sentence):
                family_only = sentence
            elif family_only and _RECRUITED_FOR_WORK.search(sentence):
                problems.append(
                    Problem(
                        p.person_id,
                        where,
                        sentence,
                        "recruited for work, while the reason told is only to join family "
                        f"({family_only!r})",
                    )
                )
                family_only = ""
            if sentence in seen:
                problems.append(Problem(p.person_id, where, sentence, "repeats a sentence"))
            seen.add(sentence)
            for fact, pattern in FACTS_TOLD_ONCE.items():
                if pattern.search(sentence):
                    if fact in told and told[fact] != sentence:
                        problems.append(
                            Problem(p.person_id, where, sentence, f"tells {fact} again")
                        )
                    told.setdefault(fact, sentence)
            if _BEATING.search(sentence):
                places = {k for k, pat in PLACES_OF_ABUSE.items() if pat.search(sentence)}
                if "scars" in sentence:
                    scars.append((where, sentence, places))
                else:
                    beaten |= places
    for where, sentence, places in scars:
        if places and beaten and not places & beaten:
            problems.append(
                Problem(
                    p.person_id,
                    where,
                    sentence,
                    f"places the beatings in {', '.join(sorted(places))}, the story in "
                    f"{', '.join(sorted(beaten))}",
                )
            )
    return problems


@dataclass(frozen=True)
class Problem:
    """One disagreement between a text and the facts."""

    person_id: str
    where: str
    """'narrative' or 'interview: <question>'."""
    sentence: str
    problem: str

    def text(self) -> str:
        return f"{self.person_id} [{self.where}] {self.problem}: {self.sentence!r}"


@lru_cache(maxsize=65536)
def claims_in(sentence: str) -> tuple[Claim, ...]:
    """The claims a sentence makes (cached: generated sentences repeat a great deal)."""
    return tuple(c for c in CLAIMS if c.pattern.search(sentence))


def _identity(p: Person, sentence: str) -> bool:
    """The opening sentence names the person, the age they state and the nationality."""
    return sentence.startswith(f"{p.name}, {p.age}, from {p.nationality},")


def _observation_lines(p: Person) -> dict[str, set[str]]:
    """Each sentence that tells one of the person's observations, with every observation it
    tells (one sentence may tell two: the 'free' transport that became a debt)."""
    from mixedflows.narratives import indicator_forms, pronouns

    pr = pronouns(p.sex)
    out: dict[str, set[str]] = {}
    for i in p.trafficking_indicators:
        for t in indicator_forms(i, p.story):
            out.setdefault(t.format(**pr), set()).add(i)
    return out


# --- What each observation's sentence must say ---------------------------------------------------

_WORK_PLACE = r"\b(?:employer|owner|farm|factory|work|workers|Jeddah|warehouse)\b"
_JOURNEY = r"\b(?:journey|on the way|at the start|transport|moved|compound|armed men|held)\b"
_BROKEN = (
    r"\b(?:nothing like it|never|none|no such|no \w+ ever|turned out|lied|instead|not where|"
    r"falsely|not true|different)\b"
)
"""Words that say a promise proved false: a promise is deception only once shown false (Palermo
art. 3(a), the course's reading)."""

TELLS: dict[str, tuple[str, ...]] = {
    # Deceptive recruitment (ILO/EC dimension 1): the promise, and that it proved false.
    "d1.deceived_about_the_nature_of_the_job_location_or": (
        r"\b(?:promised|recruited)\b|\binstead of\b",
        r"\btaken to\b",
        r"\b(?:different|instead)\b",
    ),
    "d1.deceived_about_conditions_of_work": (
        r"\b(?:promised|described)\b",
        r"\b(?:hours|days?|day off)\b",
        _BROKEN,
    ),
    "d1.deceived_about_content_or_legality_of_work_contr": (
        r"\bcontract\b",
        _BROKEN + r"|\bworthless\b",
    ),
    "d1.deceived_about_family_reunification": (r"\bfamily\b", _BROKEN),
    "d1.deceived_about_housing_and_living_conditions": (r"\b(?:room|meals|housing)\b", _BROKEN),
    "d1.deceived_about_legal_documentation_or_obtaining_": (
        r"\b(?:permit|papers|visa)\b",
        _BROKEN,
    ),
    "d1.deceived_about_travel_and_recruitment_conditions": (
        r"\b(?:journey|transport)\b",
        r"\bturned out\b|\bhad to pay\b|\btook many months\b",
    ),
    "d1.deceived_about_wages_earnings": (r"\b(?:wage|earn|dollars|pay)\b", _BROKEN),
    "d1.deceived_through_promises_of_marriage_or_adoptio": (r"\bmarry\b|\badopt", _BROKEN),
    "d1.deceived_about_access_to_education_opportunities": (r"\bschool\b", _BROKEN),
    # Coercive recruitment (2): done while recruited or moved.
    "d2.violence_on_victims": (r"\bbeat(?:en)?\b", _JOURNEY),
    "d2.abduction_forced_marriage_forced_adoption_or_sel": (r"\b(?:sold|seized|abducted)\b",),
    "d2.confiscation_of_documents": (r"\bpassport\b", r"\btook\b|\btaken\b", _JOURNEY),
    "d2.debt_bondage": (r"\bdebt\b", r"\b(?:journey|transport)\b", r"\brepa(?:y|id) by work"),
    "d2.isolation_confinement_or_surveillance": (
        r"\b(?:locked in|held|guarded)\b",
        _JOURNEY,
    ),
    "d2.threat_of_denunciation_to_authorities": (r"\bpolice\b", r"\bjail\b|\bhanded\b"),
    "d2.threats_of_violence_against_victim": (r"\bthreatened to hurt\b", _JOURNEY),
    "d2.threats_to_inform_family_community_or_public": (
        r"\bthreatened\b",
        r"\bfamily would be told\b",
    ),
    "d2.violence_on_family_threats_or_effective": (
        r"\bfamily\b",
        r"\bharmed\b|\bdemanded money\b",
    ),
    "d2.withholding_of_money": (r"\b(?:money|everything)\b", r"\b(?:taken|took)\b"),
    # Recruitment by abuse of vulnerability (3).
    "d3.abuse_of_difficult_family_situation": (r"\bcould not feed\b", r"\bused that\b"),
    "d3.abuse_of_illegal_status": (r"\bwithout papers\b", r"\bno choice\b"),
    "d3.abuse_of_lack_of_education_language": (r"\bcannot read\b", r"\bunderstand\b"),
    "d3.abuse_of_lack_of_information": (r"\bonly what suited\b",),
    "d3.control_of_exploiters": (r"\brecruited\b", r"\bcontrols\b"),
    "d3.economic_reasons": (r"\bleft\b", r"\bno income\b"),
    "d3.false_information_about_law_attitude_of_authorit": (r"\bpolice\b", r"\bfalsely\b"),
    "d3.false_information_about_successful_migration": (
        r"\b(?:rich|wages)\b",
        r"\bnot true\b",
    ),
    "d3.family_situation": (r"\bsupport\b", r"\bfamily\b"),
    "d3.personal_situation": (r"\balone\b", r"\bparents died\b"),
    "d3.psychological_and_emotional_dependency": (r"\btrusted\b", r"\blike a parent\b"),
    "d3.relationship_with_authorities_legal_status": (r"\bno papers\b", r"\bfeared\b"),
    "d3.difficulties_in_the_past": (r"\babused before\b",),
    "d3.difficulty_to_organize_the_travel": (
        r"\bcould never have paid\b|\bpaid a broker\b",
        r"\barranged\b",
    ),
    "d3.abuse_of_cultural_religious_beliefs": (r"\boath\b", r"\bshrine\b"),
    "d3.general_context": (r"\bmany\b", r"\bleave through\b"),
    # Exploitation (4): what the work was.
    "d4.excessive_working_days_or_hours": (
        r"\bwork(?:ed)?\b",
        r"\bdawn to night\b|\beighteen hours\b|\blong days\b",
    ),
    "d4.bad_living_conditions": (r"\bslept\b", r"\bno water\b|\bcrowded\b"),
    "d4.hazardous_work": (r"\bchemicals\b", r"\bno protection\b"),
    "d4.low_or_no_salary": (r"\bno salary\b|\bnever paid\b",),
    "d4.no_respect_of_labour_laws_or_contract_signed": (
        r"\bagreed\b",
        r"\bnothing of what was agreed was respected\b|\bnot respected\b",
    ),
    "d4.no_social_protection_contract_social_insurance_e": (r"\bno contract\b", r"\binsurance\b"),
    "d4.very_bad_working_conditions": (r"\bheat\b", r"\bno rest\b"),
    "d4.wage_manipulation": (r"\bfines\b", r"\bwage\b"),
    "d4.no_access_to_education": (r"\bnot been to school\b",),
    # Coercion at destination (5): done where they were made to work.
    "d5.confiscation_of_documents": (r"\bpassport\b", r"\b(?:kept|took)\b", _WORK_PLACE),
    "d5.debt_bondage": (r"\bowes\b", r"\bdebt\b", r"\brepay by working\b"),
    "d5.isolation_confinement_or_surveillance": (
        r"\blocked in\b|\bnever allowed to leave\b",
        _WORK_PLACE + r"|\bhouse\b",
    ),
    "d5.violence_on_victims": (r"\bbeaten\b", _WORK_PLACE + r"|\bpay\b"),
    "d5.forced_into_illicit_criminal_activities": (r"\bmade to\b", r"\bdrugs\b"),
    "d5.forced_tasks_or_clients": (r"\bforced\b", r"\bno right to refuse\b"),
    "d5.forced_to_act_against_peers": (r"\bwatch over\b", r"\breport on\b"),
    "d5.forced_to_lie_to_authorities_family_etc": (r"\bwhat to say\b",),
    "d5.threat_of_denunciation_to_authorities": (r"\bemployer\b", r"\bpolice\b"),
    "d5.threat_to_impose_even_worse_working_conditions": (r"\bwork would get worse\b",),
    "d5.threats_of_violence_against_victim": (r"\bemployer\b", r"\bthreatened to hurt\b"),
    "d5.under_strong_influence": (
        r"\ba man\b",
        r"\blooks at\b|\bwill take care of\b",
    ),
    "d5.violence_on_family_threats_or_effective": (r"\bfamily\b", r"\bharmed if\b.*\btalked\b"),
    "d5.withholding_of_wages": (r"\bemployer\b", r"\bwages\b", r"\bkept\b"),
    "d5.threats_to_inform_family_community_or_public": (
        r"\bthreatened\b",
        r"\bfamily would learn\b",
    ),
    # Abuse of vulnerability at destination (6): why they stayed.
    "d6.dependency_on_exploiters": (r"\bdepended on\b", r"\bemployer\b"),
    "d6.difficulty_to_live_in_an_unknown_area": (r"\bdid not know where\b", r"\blanguage\b"),
    "d6.economic_reasons": (r"\bstayed\b", r"\bmoney\b"),
    "d6.family_situation": (r"\bstayed\b", r"\bfamily\b"),
    "d6.relationship_with_authorities_legal_status": (r"\bwithout papers\b", r"\bpolice\b"),
    "d6.difficulties_in_the_past": (r"\bnowhere to go back\b",),
    "d6.personal_characteristics": (r"\byoung\b", r"\balone\b"),
    # Read against Palermo (sexual exploitation).
    "se.promised_job_abroad": (r"\bpromised\b", r"\bjob\b", r"\babroad\b|\bItaly\b|\bSpain\b"),
    "se.promised_earnings": (r"\bearn\b", _BROKEN),
    "se.oath_to_repay": (r"\boath\b", r"\brepay\b"),
    "se.journey_debt": (r"\bowes\b", r"\bjourney\b", r"\brepaid by working\b"),
    "se.passport_held_by_companion": (r"\bpassport\b", r"\bsame boat\b|\bin (?:his|her) group\b"),
    "se.watched_by_companion": (r"\blooks at a man\b",),
    # The madam's house is the act (harbouring, receipt): the sentence says who kept her there.
    "se.forced_prostitution": (r"\bforced into prostitution\b", r"\bhouse run by\b", r"\bmadam\b"),
    "se.earnings_taken_for_debt": (
        r"\bclients paid\b",
        r"\bfor the debt\b",
        r"\bmadam\b",
        r"\bkept (?:her|him|them) in her house\b",
    ),
    "se.confined_in_house": (r"\bhouse\b", r"\bnot allowed to leave\b"),
    "se.threats_to_family": (r"\bfamily\b", r"\bharmed\b"),
}
"""The words a sentence must contain to *tell* an observation (all of them, case-insensitive),
not merely to be the sentence written for it (third cold trial of issue 10: the check verified
that a sentence existed for a graded fact, not that it told the fact; 'promised earnings that
never came' was told as a promise). A deception must be told as a promise that proved false;
a coercion, where it happened (on the way, or at the place of work), so the dimension can be
read. Every observation the engine knows has an entry (tests/test_narratives_tell.py)."""

_TELLS = {i: tuple(re.compile(x, re.IGNORECASE) for x in pats) for i, pats in TELLS.items()}


def tells(observation_id: str, sentence: str) -> bool:
    """The sentence says what the observation is (every pattern of :data:`TELLS` matches)."""
    pats = _TELLS.get(observation_id)
    if pats is None:
        raise KeyError(f"no words are known for observation '{observation_id}' (TELLS)")
    return all(p.search(sentence) for p in pats)


def missing_words(observation_id: str, sentence: str) -> list[str]:
    """The patterns of :data:`TELLS` the sentence does not match (what it fails to say)."""
    return [p.pattern for p in _TELLS[observation_id] if not p.search(sentence)]


def graded_facts(p: Person) -> list[tuple[str, Callable[[set[str]], bool]]]:
    """The facts the rules read for this person, each with a test on the claims found."""
    need = []

    def claim(*names: str) -> Callable[[set[str]], bool]:
        return lambda found: bool(set(names) & found)

    if p.treated_as_child:
        by_company = {
            Company.ALONE: "alone",
            Company.PARENT: "with a parent",
            Company.RELATIVE: "with a relative",
            Company.SPOUSE: "with a spouse",
            Company.OWN_CHILDREN: "with own children",
            Company.UNRELATED_ADULT: "with an unrelated adult",
        }
        need.append((f"company ({p.company.value})", claim(by_company[p.company])))
    if p.age_in_doubt:
        need.append(("age in doubt", claim("looks younger", "primary school")))
        need.append(("no age document", claim("no age document")))
    for c in p.urgent:
        need.append((f"urgent: {c.value}", claim(_urgent_claim_names()[c.value])))
    for n in p.specific_needs:
        names = {
            SpecificNeed.WOMAN_AT_RISK: "woman at risk",
            SpecificNeed.SURVIVOR_OF_VIOLENCE: "survivor of torture",
            SpecificNeed.SERIOUS_MEDICAL: "serious medical condition",
            SpecificNeed.DISABILITY: "disability",
            SpecificNeed.OLDER_PERSON: "older person",
            SpecificNeed.SINGLE_PARENT: "single parent",
            SpecificNeed.FAMILY_UNITY: "family separated",
        }
        need.append((f"specific need: {n.value}", claim(names[n])))
    if p.persecution_ground is not None:
        need.append(
            (
                f"ground: {p.persecution_ground.value}",
                claim(p.persecution_ground.value.replace("_", " ")),
            )
        )
    if p.fled_conflict:
        need.append(("fled conflict", claim("fled conflict")))
    if p.serious_harm_on_return:
        need.append(("serious harm on return", claim("serious harm on return")))
    if p.transit_conflict:
        need.append(("fled a war in transit", claim("fled a war in transit")))
    if p.requests_asylum:
        need.append(("asks for asylum", claim("asks for asylum")))
    if p.prima_facie:
        need.append(("prima facie", claim("prima facie")))
    if p.paid_smuggler:
        need.append(("paid a smuggler", claim("smuggled")))
    if p.cannot_return:
        need.append(("cannot return", claim("cannot go back")))
    motives = {
        Motivation.WORK: "work",
        Motivation.FAMILY: "family abroad",
        Motivation.STUDY: "study",
        Motivation.ENVIRONMENT: "environment",
        Motivation.WITH_FAMILY: "with the family",
    }
    if p.motivation in motives:
        need.append((f"motivation: {p.motivation.value}", claim(motives[p.motivation])))
    if p.says_agreed:
        need.append(("says they agreed", claim("says they agreed")))
    if p.treated_as_child and p.is_married:
        need.append(("married", claim("married")))
    if p.treated_as_child and p.is_pregnant:
        need.append(("pregnant", claim("pregnant", "late pregnancy")))
    if pregnant_alone(p):  # a woman at risk (trainer trial of issue 10, point 2)
        need.append(("pregnant", claim("pregnant", "late pregnancy")))
        need.append(("company (alone)", claim("alone")))
    return need


def _urgent_claim_names() -> dict[str, str]:
    return {
        UrgentCondition.DEHYDRATION.value: "dehydration",
        UrgentCondition.HYPOTHERMIA.value: "hypothermia",
        UrgentCondition.FUEL_BURNS.value: "fuel burns",
        UrgentCondition.INJURY.value: "injury",
        UrgentCondition.LATE_PREGNANCY.value: "late pregnancy",
        UrgentCondition.EXHAUSTION.value: "exhaustion",
        UrgentCondition.ACUTE_DISTRESS.value: "acute distress",
    }


def check_text(
    p: Person,
    sentences: Iterable[tuple[str, str]],
    *,
    _memo: dict[str, Any] | None = None,
) -> list[Problem]:
    """Check ``(where, sentence)`` pairs against ``p``'s facts (all three rules)."""
    memo = _memo if _memo is not None else {}
    if "obs" not in memo:
        memo["obs"] = _observation_lines(p)
        memo["graded"] = graded_facts(p)
        memo["truth"] = {}
    obs_lines, truth = memo["obs"], memo["truth"]
    problems = []
    found: set[str] = set()
    told: set[str] = set()
    for where, sentence in sentences:
        cs = claims_in(sentence)
        for c in cs:
            ok = truth.get(c.name)
            if ok is None:
                ok = truth[c.name] = c.holds(p)
            if not ok:
                problems.append(Problem(p.person_id, where, sentence, f"claims '{c.name}'"))
            found.add(c.name)
        if sentence in obs_lines:
            told |= obs_lines[sentence]
            for i in sorted(obs_lines[sentence]):
                if not tells(i, sentence):
                    problems.append(
                        Problem(
                            p.person_id,
                            where,
                            sentence,
                            f"does not tell observation '{i}' (missing: "
                            + ", ".join(missing_words(i, sentence))
                            + ")",
                        )
                    )
        elif not cs and not _identity(p, sentence):
            problems.append(Problem(p.person_id, where, sentence, "states nothing the rules read"))
    for fact, present in memo["graded"]:
        if not present(found):
            problems.append(Problem(p.person_id, "facts", "", f"'{fact}' is never stated"))
    for i in p.trafficking_indicators:
        if i not in told:
            problems.append(Problem(p.person_id, "facts", "", f"observation '{i}' is never told"))
    return problems


def check_person(p: Person) -> list[Problem]:
    """The module 1 narrative, and the desk's arrival note plus every interview answer."""
    from mixedflows.narratives import QUESTIONS, arrival_lines, interview, narrative_lines

    memo: dict[str, Any] = {}
    story = narrative_lines(p)
    out = check_text(p, (("narrative", s) for s in story), _memo=memo)
    answers = interview(p)
    desk = [("arrival", s) for s in arrival_lines(p)]
    desk += [(f"interview: {q}", s) for q in QUESTIONS for s in answers[q]]
    out += composition_problems(p, [("narrative", story)])
    out += composition_problems(
        p, [("arrival", arrival_lines(p))] + [(f"interview: {q}", answers[q]) for q in QUESTIONS]
    )
    return out + check_text(p, desk, _memo=memo)
