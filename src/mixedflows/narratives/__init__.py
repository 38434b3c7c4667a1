"""Case narratives and interviews: short, humane texts built from a synthetic person's facts.

Vocabulary follows MC/INF/294 ¶22 (destigmatization): people, migrants, children; never
"illegals". Each sentence states a fact a first-contact official could learn; the grading rules
read the facts, not the text, so the text can be rewritten freely.

A person's facts are told in two ways: :func:`narrate` gives the whole story at once (module 1),
and :func:`interview` gives what the person answers to each question of a screening interview
(module 5, the screening desk): an interview, not a form, so the official learns only what they
ask about. Wording is chosen from the person id, so the same person always reads the same.
The sentences that tell trafficking indicators, and the stories, are in :mod:`.testimony`.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Literal

import numpy as np

from mixedflows.narratives.testimony import INDICATOR_LINES, STORIES
from mixedflows.profiles import Company, Ground, Motivation, Sex, SpecificNeed, UrgentCondition

if TYPE_CHECKING:
    from mixedflows.profiles import Person

NameRegion = Literal["west_africa", "horn_of_africa", "north_africa", "south_asia", "middle_east"]
StoryName = Literal[
    "sexual_exploitation_promise",
    "labour_in_transit",
    "child_labour",
    "domestic_work_gulf",
    "held_for_ransom",
]

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
INITIALS = "ABDFGHKLMNOSTY"


def given_names(region: NameRegion, sex: Sex) -> tuple[str, ...]:
    return _NAMES[region][sex]


def synthetic_name(region: NameRegion, sex: Sex, rng: np.random.Generator) -> str:
    """A common given name and an initial: enough to tell people apart, never a real person."""
    given = str(rng.choice(_NAMES[region][sex]))
    return f"{given} {INITIALS[int(rng.integers(len(INITIALS)))]}."


# --- Trafficking testimony ---------------------------------------------------------------------


def story_indicators(name: str) -> tuple[str, ...]:
    return tuple(i for i, _ in STORIES[name])


def story_names() -> tuple[str, ...]:
    return tuple(STORIES)


def indicator_line(indicator_id: str, story: str = "") -> str:
    """The sentence that tells one indicator: the story's own wording if it has one."""
    for i, text in STORIES.get(story, ()):
        if i == indicator_id:
            return text
    return INDICATOR_LINES[indicator_id]


def trafficking_story(
    name: str, rng: np.random.Generator, *, child: bool
) -> tuple[tuple[str, ...], list[str]]:
    """A random subset (at least two items) of a story: indicator ids and their sentences."""
    if child:
        name = "child_labour"
    items = STORIES[name]
    keep = rng.random(len(items)) < 0.7
    if keep.sum() < 2:
        keep[rng.choice(len(items), size=2, replace=False)] = True
    chosen = [it for it, k in zip(items, keep, strict=True) if k]
    return tuple(i for i, _ in chosen), [s for _, s in chosen]


# --- Facts as sentences ------------------------------------------------------------------------

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
    "the departure point; {sub} is afraid of the men in the centre.",
    SpecificNeed.SURVIVOR_OF_VIOLENCE: "{Sub} has scars from beatings in a detention centre and "
    "wakes up screaming at night.",
    SpecificNeed.SERIOUS_MEDICAL: "{Sub} needs daily insulin and has none left.",
    SpecificNeed.DISABILITY: "{Sub} walks with a crutch since an old injury.",
    SpecificNeed.OLDER_PERSON: "{Sub} is old and has nobody to look after {obj} here.",
    SpecificNeed.SINGLE_PARENT: "{Sub} travels with {pos} two young children and no partner.",
    SpecificNeed.FAMILY_UNITY: "{Sub} was separated from {pos} spouse at the departure point "
    "and does not know where they are.",
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

QUESTIONS: dict[str, str] = {
    "health": "How are you feeling? Do you need a doctor or any medicine?",
    "company": "Who are you travelling with? Where is your family?",
    "age": "How old are you? Do you have a paper that shows it?",
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
    "reasons": "Reasons for leaving",
    "return": "Going back",
    "journey": "The journey",
    "work": "Work on the way",
    "control": "Papers, debts, freedom",
    "asylum": "Asylum",
}

_TOPIC_OF_DIMENSION = {
    1: "journey",
    2: "journey",
    3: "journey",
    4: "work",
    5: "control",
    6: "control",
}


def topic_of_dimension(dimension: int) -> str:
    """The interview question under which indicators of a dimension come out."""
    return _TOPIC_OF_DIMENSION[dimension]


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


_FAMILY_GROUNDS: dict[Ground, str] = {
    Ground.RACE: "its ethnic group",
    Ground.RELIGION: "its religion",
    Ground.NATIONALITY: "its nationality, which the authorities deny",
    Ground.SOCIAL_GROUP: "its clan",
    Ground.POLITICAL_OPINION: "the father's political activity",
}


def _young(p: Person) -> bool:
    return p.is_child and p.company is Company.PARENT and p.age < 12


def _why_left(p: Person, pr: dict[str, str]) -> str:
    """The reason for leaving, told by a parent for a young child travelling with one."""
    if p.persecution_ground is not None:
        if _young(p):
            return (
                "{Pos_} mother says the family was threatened because of "
                + _FAMILY_GROUNDS[p.persecution_ground]
                + "."
            ).format(**pr)
        return _pick(_GROUNDS[p.persecution_ground], p.person_id).format(**pr)
    if p.fled_conflict:
        if _young(p):
            return "{Pos_} family fled fighting that destroyed their neighbourhood.".format(**pr)
        return "{Sub} fled fighting that destroyed {pos} neighbourhood.".format(**pr)
    return ""


def _smuggler(p: Person, pr: dict[str, str]) -> str:
    who = "The family" if _young(p) else "{Sub}"
    return (who + " paid a smuggler for the crossing.").format(**pr)


def _motive(p: Person, pr: dict[str, str]) -> str:
    if _young(p) and p.motivation is not Motivation.SAFETY:
        return "{Pos_} family decided to leave; {sub} is too young to say more.".format(**pr)
    return _MOTIVES[p.motivation].format(**pr)


def arrival_note(p: Person) -> str:
    """What the official sees and hears first: who, how old they say, with whom, and any acute
    condition (visible before any question is asked)."""
    pr = _pronouns(p.sex)
    who = f"{p.name}, {p.age}, from {p.nationality}, " + _COMPANY[p.company].format(**pr) + "."
    if p.age_disputed and not p.is_child:
        who += " {Sub} looks much younger than {sub} says.".format(**pr)
    lines = [who] + [_URGENT[c].format(**pr) for c in p.urgent]
    return " ".join(lines)


def interview(p: Person) -> dict[str, list[str]]:
    """What the person answers to each question of :data:`QUESTIONS` (at least one sentence
    each). Trafficking indicators are told where they belong: recruitment under the journey,
    exploitation under work, coercion and abuse at destination under control."""
    from mixedflows.trafficking import indicators

    pr = _pronouns(p.sex)
    f = {k: [] for k in QUESTIONS}
    # health
    f["health"] += [_URGENT[c].format(**pr) for c in p.urgent]
    medical = (SpecificNeed.SERIOUS_MEDICAL, SpecificNeed.DISABILITY)
    f["health"] += [_NEEDS[n].format(**pr) for n in p.specific_needs if n in medical]
    if SpecificNeed.SURVIVOR_OF_VIOLENCE in p.specific_needs:
        f["health"].append(_NEEDS[SpecificNeed.SURVIVOR_OF_VIOLENCE].format(**pr))
    if not f["health"]:
        f["health"].append("{Sub} is tired but says {sub} needs nothing urgently.".format(**pr))
    # company and family
    f["company"].append(("{Sub} " + _COMPANY[p.company] + ".").format(**pr))
    if p.is_child and p.company is not Company.PARENT:
        f["company"].append(
            "{Pos_} parents stayed at home; nobody here is responsible for {obj}.".format(**pr)
        )
    family = (
        SpecificNeed.SINGLE_PARENT,
        SpecificNeed.FAMILY_UNITY,
        SpecificNeed.OLDER_PERSON,
        SpecificNeed.WOMAN_AT_RISK,
    )
    f["company"] += [_NEEDS[n].format(**pr) for n in p.specific_needs if n in family]
    # age
    if p.age_documented:
        f["age"].append(f"{{Sub}} shows a document giving {{pos}} age as {p.age}.".format(**pr))
    else:
        f["age"].append(f"{{Sub}} says {{sub}} is {p.age} but has no document.".format(**pr))
    if p.age_disputed and not p.is_child:
        f["age"].append(
            "{Sub} hesitates, and mentions finishing primary school two years ago.".format(**pr)
        )
    # reasons and return
    if p.persecution_ground is not None:
        f["reasons"].append(_why_left(p, pr))
        f["return"].append(
            "{Sub} is afraid of what would happen to {obj} if sent back.".format(**pr)
        )
    elif p.fled_conflict:
        f["reasons"].append(_why_left(p, pr))
        f["return"].append("{Sub} says the fighting is still going on at home.".format(**pr))
    motive = _motive(p, pr)
    if motive:
        f["reasons"].append(motive)
    if p.cannot_return:
        f["return"].append(
            "{Sub} lost {pos} passport on the way; {pos} embassy will not confirm {pos} "
            "nationality, and {sub} cannot go back.".format(**pr)
        )
    if not f["return"]:
        f["return"].append(
            "{Sub} could go back, but would face the same poverty and the debt of the "
            "journey.".format(**pr)
        )
    # journey, work and control: the trafficking testimony
    table = indicators()
    for i in p.trafficking_indicators:
        topic = _TOPIC_OF_DIMENSION[table[i].dimension]
        f[topic].append(indicator_line(i, p.story).format(**pr))
    if p.paid_smuggler:
        f["journey"].append(_smuggler(p, pr))
    if p.months_in_transit:
        f["journey"].append(f"{{Sub}} spent {p.months_in_transit} months on the way.".format(**pr))
    if not f["journey"]:
        f["journey"].append(
            "{Sub} came straight from the coast with people from home.".format(**pr)
        )
    if not f["work"]:
        f["work"].append("{Sub} did not work on the way.".format(**pr))
    if not f["control"]:
        f["control"].append("{Sub} keeps {pos} own things and owes nobody money.".format(**pr))
    # asylum
    if p.requests_asylum:
        f["asylum"].append("{Sub} says yes: {sub} wants to ask for asylum.".format(**pr))
    elif p.persecution_ground is not None or p.fled_conflict:
        f["asylum"].append(
            "{Sub} did not know this was possible and wants to know more.".format(**pr)
        )
    else:
        f["asylum"].append("{Sub} says {sub} came to work, not to ask for protection.".format(**pr))
    return f


def narrate(p: Person) -> str:
    """A few sentences stating all of the person's facts, in a humane register."""
    pr = _pronouns(p.sex)
    lines = [arrival_note(p)]
    if not p.age_documented and p.is_child:
        lines.append("{Sub} has no documents showing {pos} age.".format(**pr))
    why = _why_left(p, pr)
    if why:
        lines.append(why)
    motive = _motive(p, pr)
    if motive:
        lines.append(motive)
    lines += [indicator_line(i, p.story).format(**pr) for i in p.trafficking_indicators]
    lines += [_NEEDS[n].format(**pr) for n in p.specific_needs]
    if p.cannot_return:
        lines.append(
            "{Sub} lost {pos} passport on the way; {pos} embassy will not confirm "
            "{pos} nationality, and {sub} cannot go back.".format(**pr)
        )
    if p.requests_asylum:
        lines.append("{Sub} asks to apply for asylum.".format(**pr))
    if p.paid_smuggler:
        lines.append(_smuggler(p, pr))
    elif p.months_in_transit:
        lines.append(f"{{Sub}} spent {p.months_in_transit} months on the way.".format(**pr))
    return " ".join(lines)
