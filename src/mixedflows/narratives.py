"""Case narratives: short, humane texts built from a synthetic person's facts.

Vocabulary follows MC/INF/294 ¶22 (destigmatization): people, migrants, children; never
"illegals". Each sentence states a fact a first-contact official could learn; the grading rules
read the facts, not the text, so the text can be rewritten freely.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Literal

import numpy as np

from mixedflows.profiles import Company, Ground, Motivation, Sex, SpecificNeed, UrgentCondition

if TYPE_CHECKING:
    from mixedflows.profiles import Person

NameRegion = Literal["west_africa", "horn_of_africa", "north_africa", "south_asia", "middle_east"]
StoryName = Literal["sexual_exploitation_promise", "labour_in_transit", "child_labour"]

_NAMES: dict[str, dict[Sex, tuple[str, ...]]] = {
    "west_africa": {
        Sex.FEMALE: ("Aminata", "Blessing", "Fatoumata", "Joy", "Mariama", "Precious", "Awa"),
        Sex.MALE: ("Moussa", "Ibrahima", "Samuel", "Lamin", "Ousmane", "Kwame", "Sekou"),
    },
    "horn_of_africa": {
        Sex.FEMALE: ("Selam", "Hodan", "Senait", "Ruta", "Ayan", "Meron", "Filsan"),
        Sex.MALE: ("Yonas", "Abdirahman", "Dawit", "Merhawi", "Abdi", "Tesfay", "Hassan"),
    },
    "north_africa": {
        Sex.FEMALE: ("Amira", "Salma", "Nour", "Yasmine", "Ines", "Rania", "Leila"),
        Sex.MALE: ("Karim", "Youssef", "Mehdi", "Anis", "Omar", "Walid", "Sami"),
    },
    "south_asia": {
        Sex.FEMALE: ("Nasrin", "Fatema", "Rupa", "Shirin", "Taslima", "Mina", "Laila"),
        Sex.MALE: ("Rahim", "Sohel", "Imran", "Jahid", "Arif", "Kamal", "Babul"),
    },
    "middle_east": {
        Sex.FEMALE: ("Rasha", "Dima", "Hiba", "Lina", "Zainab", "Maryam", "Farah"),
        Sex.MALE: ("Ahmad", "Khaled", "Mustafa", "Rami", "Bilal", "Hamza", "Tariq"),
    },
}
_INITIALS = "ABDFGHKLMNOSTY"


def synthetic_name(region: NameRegion, sex: Sex, rng: np.random.Generator) -> str:
    """A common given name and an initial: enough to tell people apart, never a real person."""
    given = str(rng.choice(_NAMES[region][sex]))
    return f"{given} {_INITIALS[int(rng.integers(len(_INITIALS)))]}."


# Trafficking stories: ILO/EC indicator ids with the sentence that shows each one. Items are
# kept at random, so some stories reach the threshold of the dimension rule and some do not.
_STORIES: dict[str, tuple[tuple[str, str], ...]] = {
    "sexual_exploitation_promise": (
        (
            "d1.deceived_about_the_nature_of_the_job_location_or",
            "A woman from {pos} town promised {obj} a job as a hairdresser in Italy.",
        ),
        (
            "d1.deceived_about_wages_earnings",
            "{Sub} was told {sub} would earn enough to send money home within a month.",
        ),
        (
            "d5.debt_bondage",
            "{Sub} says {sub} owes 30,000 euros for the journey, to be repaid "
            "by working in Europe.",
        ),
        (
            "d5.confiscation_of_documents",
            "{Pos_} passport is kept by a man who travelled on the same boat.",
        ),
        ("d5.under_strong_influence", "{Sub} looks at that man before answering any question."),
        (
            "d4.excessive_working_days_or_hours",
            "In Libya {sub} was made to work every night in a house {sub} could not leave.",
        ),
        ("d4.low_or_no_salary", "{Sub} was never paid; everything went to 'the debt'."),
        (
            "d5.violence_on_family_threats_or_effective",
            "{Sub} was told {pos} family would be harmed if {sub} talked.",
        ),
    ),
    "labour_in_transit": (
        (
            "d1.deceived_about_the_nature_of_the_job_location_or",
            "{Sub} was promised building work in Tripoli but was taken to a farm in the desert.",
        ),
        (
            "d1.deceived_about_conditions_of_work",
            "A recruiter promised {obj} paid building work in Libya.",
        ),
        ("d1.deceived_about_wages_earnings", "The wage {sub} was promised was never paid."),
        (
            "d1.deceived_about_travel_and_recruitment_conditions",
            "The 'free' transport turned out to be a debt.",
        ),
        (
            "d4.excessive_working_days_or_hours",
            "{Sub} worked from dawn to night, seven days a week, for months.",
        ),
        ("d4.low_or_no_salary", "{Sub} received no salary, only some food."),
        (
            "d5.isolation_confinement_or_surveillance",
            "At night the workers were locked in a compound.",
        ),
        ("d5.violence_on_victims", "{Sub} was beaten when {sub} asked to be paid."),
        ("d5.confiscation_of_documents", "The employer kept {pos} passport."),
    ),
    "child_labour": (
        (
            "d1.deceived_about_access_to_education_opportunities",
            "An uncle's friend told {pos} parents {sub} would go to school in Europe.",
        ),
        (
            "d1.deceived_about_travel_and_recruitment_conditions",
            "{Sub} was told the journey would take a week; it took many months.",
        ),
        (
            "d4.excessive_working_days_or_hours",
            "On the way {sub} was made to work long days on a farm.",
        ),
        ("d4.no_access_to_education", "{Sub} has not been to school since leaving home."),
        ("d5.under_strong_influence", "{Sub} says a man on the boat 'will take care of' {obj}."),
    ),
}


def story_indicators(name: str) -> tuple[str, ...]:
    return tuple(i for i, _ in _STORIES[name])


def trafficking_story(
    name: str, rng: np.random.Generator, *, child: bool
) -> tuple[tuple[str, ...], list[str]]:
    """A random subset (at least two items) of a story: indicator ids and their sentences."""
    if child:
        name = "child_labour"
    items = _STORIES[name]
    keep = rng.random(len(items)) < 0.7
    if keep.sum() < 2:
        keep[rng.choice(len(items), size=2, replace=False)] = True
    chosen = [it for it, k in zip(items, keep, strict=True) if k]
    return tuple(i for i, _ in chosen), [s for _, s in chosen]


_GROUNDS: dict[Ground, tuple[str, ...]] = {
    Ground.POLITICAL_OPINION: (
        "{Sub} was detained twice after taking part in protests and fears prison if returned.",
        "{Sub} deserted from open-ended national service and fears punishment as a traitor.",
    ),
    Ground.RELIGION: (
        "{Sub} belongs to a religious minority; members of {pos} church were arrested.",
    ),
    Ground.RACE: ("{Sub} belongs to an ethnic group targeted by armed militias in {pos} region.",),
    Ground.NATIONALITY: (
        "{Pos_} family was stripped of citizenship and {sub} was threatened with expulsion.",
    ),
    Ground.SOCIAL_GROUP: (
        "{Sub} fled a forced marriage arranged by {pos} clan and fears being sent back to it.",
        "{Sub} was attacked after people learned {sub} is gay, and the police refused to help.",
    ),
}
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
    "the departure point.",
    SpecificNeed.SURVIVOR_OF_VIOLENCE: "{Sub} has scars from beatings in a detention centre.",
    SpecificNeed.SERIOUS_MEDICAL: "{Sub} needs daily insulin and has none left.",
    SpecificNeed.DISABILITY: "{Sub} walks with a crutch since an old injury.",
    SpecificNeed.OLDER_PERSON: "{Sub} has nobody to look after {obj} here.",
    SpecificNeed.SINGLE_PARENT: "{Sub} travels with {pos} two young children.",
    SpecificNeed.FAMILY_UNITY: "{Sub} was separated from {pos} spouse at the departure point.",
}
_MOTIVES: dict[Motivation, str] = {
    Motivation.WORK: "{Sub} hopes to find work and send money home.",
    Motivation.FAMILY: "{Sub} wants to join a brother who works in France.",
    Motivation.STUDY: "{Sub} hopes to go to school in Europe.",
    Motivation.ENVIRONMENT: "{Sub} left after three years of failed harvests dried up the "
    "family's land.",
    Motivation.SAFETY: "",
}
_COMPANY: dict[Company, str] = {
    Company.ALONE: "travelled alone",
    Company.PARENT: "travels with {pos} mother",
    Company.RELATIVE: "travels with an older cousin, not with {pos} parents",
    Company.SPOUSE: "travels with {pos} spouse",
    Company.OWN_CHILDREN: "travels without a partner",
    Company.UNRELATED_ADULT: "travels with a man {sub} calls 'uncle', who is not a relative",
}


def _pronouns(sex: Sex) -> dict[str, str]:
    sub, obj, pos = ("she", "her", "her") if sex is Sex.FEMALE else ("he", "him", "his")
    return {"sub": sub, "obj": obj, "pos": pos, "Sub": sub.capitalize(), "Pos_": pos.capitalize()}


def narrate(p: Person, story: list[str], rng: np.random.Generator) -> str:
    """A few sentences stating the person's facts, in a humane register."""
    pr = _pronouns(p.sex)
    who = f"{p.name}, {p.age}, from {p.nationality}, " + _COMPANY[p.company].format(**pr) + "."
    if not p.age_documented and p.age < 18:
        who += " {Sub} has no documents showing {pos} age.".format(**pr)
    lines = [who]
    lines += [_URGENT[c].format(**pr) for c in p.urgent]
    if p.persecution_ground is not None:
        opts = _GROUNDS[p.persecution_ground]
        lines.append(opts[int(rng.integers(len(opts)))].format(**pr))
    elif p.fled_conflict:
        lines.append("{Sub} fled fighting that destroyed {pos} neighbourhood.".format(**pr))
    motive = _MOTIVES[p.motivation]
    if motive:
        lines.append(motive.format(**pr))
    lines += [s.format(**pr) for s in story]
    lines += [_NEEDS[n].format(**pr) for n in p.specific_needs]
    if p.cannot_return:
        lines.append(
            "{Sub} lost {pos} passport on the way; {pos} embassy will not confirm "
            "{pos} nationality, and {sub} cannot go back.".format(**pr)
        )
    if p.paid_smuggler:
        lines.append("{Sub} paid a smuggler for the crossing.".format(**pr))
    elif p.months_in_transit:
        lines.append(f"{{Sub}} spent {p.months_in_transit} months on the way.".format(**pr))
    return " ".join(lines)
