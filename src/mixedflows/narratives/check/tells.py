"""What each observation's sentence must say (:data:`TELLS`), and the check of a text or a
person (:func:`check_text`, :func:`check_person`): every claim read is true of the person, and
every graded fact is told.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from typing import Any

from mixedflows.narratives.check.composition import (
    Problem,
    _identity,
    _observation_lines,
    claims_in,
    composition_problems,
)
from mixedflows.profiles import Company, Motivation, Person, SpecificNeed, UrgentCondition
from mixedflows.referrals import pregnant_alone

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
        r"\bcould never have paid\b",
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
