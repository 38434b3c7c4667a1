"""Facts as sentences: grounds, urgent conditions, needs, motives, relatives, the interview's
questions and the topic each observation belongs to, and pronouns.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from mixedflows.narratives.names import _GROUNDS, fits_origin
from mixedflows.profiles import Motivation, Sex, SpecificNeed, UrgentCondition

if TYPE_CHECKING:
    from mixedflows.profiles import Person


# --- Facts as sentences ------------------------------------------------------------------------


def ground_line(p: Person) -> str:
    """The sentence telling the person's persecution ground, among the lines that fit their
    nationality (chosen from the person id, so the same person always reads the same)."""
    assert p.persecution_ground is not None
    fits = tuple(
        t for i, t in _GROUNDS[p.persecution_ground] if fits_origin(i, p.nationality)
    ) or tuple(t for _, t in _GROUNDS[p.persecution_ground])
    return _pick(fits, p.person_id)


_URGENT: dict[UrgentCondition, str] = {
    UrgentCondition.DEHYDRATION: "{Sub} has had no water for two days and is confused.",
    UrgentCondition.HYPOTHERMIA: "{Sub} is soaked and shivering uncontrollably.",
    UrgentCondition.FUEL_BURNS: "{Sub} has burns on the legs from fuel mixed with seawater.",
    UrgentCondition.INJURY: "{Sub} has a deep, bleeding cut on the arm.",
    UrgentCondition.LATE_PREGNANCY: "{Sub} is eight months pregnant and has abdominal pain.",
    UrgentCondition.EXHAUSTION: "{Sub} collapsed on the quay and cannot stand unaided.",
    UrgentCondition.ACUTE_DISTRESS: "{Sub} saw people drown on the way and is in acute "
    "distress, unable to stop shaking.",
}


_NEEDS: dict[SpecificNeed, str] = {
    SpecificNeed.WOMAN_AT_RISK: "{Sub} travelled alone and was repeatedly harassed by men at "
    "the departure point; {sub} is afraid of the men around {obj} here.",
    SpecificNeed.SURVIVOR_OF_VIOLENCE: "{Sub} has scars from beatings in a detention centre and "
    "wakes up screaming at night.",
    # Not "has none left": that is an acute need, which the rules read only from an urgent
    # condition (screening's urgent medical referral, module 4's evacuation); a serious medical
    # condition alone is met by the specific-needs referral (cold trial: module 6 said "No acute
    # medical need" of Kedir A., told he had no insulin left).
    SpecificNeed.SERIOUS_MEDICAL: "{Sub} has diabetes and needs insulin every day; {sub} has "
    "enough for a few days.",
    SpecificNeed.DISABILITY: "{Sub} walks with a crutch since an old injury.",
    SpecificNeed.OLDER_PERSON: "{Sub} is old and frail, and needs help with daily care.",
    SpecificNeed.SINGLE_PARENT: "{Sub} is caring for {pos} children alone; no partner is with "
    "{obj}.",
    SpecificNeed.FAMILY_UNITY: "{Sub} was separated from {pos} spouse at the departure point "
    "and does not know where they are.",
}


_MOTIVES: dict[Motivation, str] = {
    Motivation.WORK: "{Sub} hopes to find work and send money home.",
    # No country named: the same line serves every route (Europe, the Gulf, southern Africa).
    Motivation.FAMILY: "{Sub} wants to join a brother who works abroad.",
    Motivation.STUDY: "{Sub} hopes to go to school abroad.",
    Motivation.ENVIRONMENT: "{Sub} left after three years of failed harvests dried up the "
    "family's land.",
    Motivation.SAFETY: "",
    Motivation.WITH_FAMILY: "{Pos_} family decided to leave; {sub} is too young to say more.",
}


RELATIVES = (
    "aunt",
    "uncle",
    "older cousin",
    "cousin",
    "grandmother",
    "grandfather",
    "older brother",
    "older sister",
    "daughter-in-law",
    "son-in-law",
    "son",
    "daughter",
    "nephew",
    "niece",
    "relatives",
)
"""Who a person travelling with a relative (not a parent, not a spouse) may travel with."""


PARENTS = ("mother", "father")


QUESTIONS: dict[str, str] = {
    "health": "How are you feeling? Do you need a doctor or any medicine?",
    "company": "Who are you travelling with? Where is your family?",
    "age": "How old are you? Do you have a paper that shows it?",
    "private": "(Take the person aside, away from anyone travelling with them.) Can we talk "
    "here, just the two of us?",
    "reasons": "Why did you leave your country?",
    "return": "What would happen if you went back home?",
    "journey": "How did you travel here? Who organised the journey, and who paid?",
    "work": "Did you work on the way? Were you paid? How were you treated?",
    "control": "Who keeps your papers? Do you owe anyone money? Are you free to come and go?",
    "asylum": "(Tell the person they may ask for asylum.) Do you want to ask for protection?",
}
"""The questions of a screening interview, in a sensible order (after urgent care)."""


QUESTION_LABELS: dict[str, str] = {
    "health": "Health",
    "company": "Company and family",
    "age": "Age and papers",
    "private": "Talk in private",
    "reasons": "Reasons for leaving",
    "return": "Going back",
    "journey": "The journey",
    "work": "Work on the way",
    "control": "Papers, debts, freedom",
    "asylum": "Asylum",
}


TRAFFICKING_QUESTIONS = ("journey", "work", "control")
"""The questions under which trafficking facts come out (the trafficking interview)."""


_TOPIC_OF_DIMENSION = {
    1: "journey",
    2: "journey",
    3: "journey",
    4: "work",
    5: "control",
    6: "control",
}


_TOPIC_OF_PALERMO = {
    "se.promised_job_abroad": "journey",
    "se.promised_earnings": "journey",
    "se.oath_to_repay": "journey",
    "se.journey_debt": "control",
    "se.passport_held_by_companion": "control",
    "se.watched_by_companion": "control",
    "se.forced_prostitution": "work",
    "se.earnings_taken_for_debt": "work",
    "se.confined_in_house": "control",
    "se.threats_to_family": "control",
}


def topic_of_dimension(dimension: int) -> str:
    """The interview question under which indicators of an ILO/EC dimension come out."""
    return _TOPIC_OF_DIMENSION[dimension]


_WORK_AT_DESTINATION = {
    "d5.forced_into_illicit_criminal_activities",
    "d5.forced_tasks_or_clients",
    "d5.withholding_of_wages",
}
"""Coercion at destination that is told when asked about work (what they were made to do, and
their pay), not about papers and debts."""


def topic_of(observation_id: str) -> str:
    """The interview question under which an observation comes out: by ILO/EC dimension
    (recruitment under the journey, exploitation under work, coercion and abuse at destination
    under control), except forced tasks and withheld wages, told under work."""
    from mixedflows.trafficking import observations

    if observation_id in _WORK_AT_DESTINATION:
        return "work"
    ind = observations()[observation_id]
    if ind.ilo:
        return _TOPIC_OF_DIMENSION[ind.dimension]
    return _TOPIC_OF_PALERMO.get(observation_id, "control")


def pronouns(sex: Sex) -> dict[str, str]:
    """The placeholders of the sentences: {sub}, {obj}, {pos}, {Sub}, {Pos_}."""
    return _pronouns(sex)


def _pronouns(sex: Sex) -> dict[str, str]:
    sub, obj, pos = ("she", "her", "her") if sex is Sex.FEMALE else ("he", "him", "his")
    return {"sub": sub, "obj": obj, "pos": pos, "Sub": sub.capitalize(), "Pos_": pos.capitalize()}


def _pick(options: tuple[str, ...], key: str) -> str:
    h = 0
    for ch in key.encode():
        h = (h * 131 + ch) % 1_000_003
    return options[h % len(options)]
