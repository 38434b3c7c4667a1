"""Module 1's debrief points that name people of the boat, read from the boat and the rules.

The exercise's boat (its scenario and seed, ``exercises/m1_who_is_in_the_boat.yaml``) is
generated and screened as the grader does it (:func:`mixedflows.grading.cohort_for`,
:mod:`mixedflows.screening`): the people named, and the profiles the rules find for them, are
the exercise's answers. So the page shows these points behind the gate
(:func:`mixedflows.widgets.debrief_gate.after_attempt`); another scenario or seed names other
people, and a boat with no such person gives no such point.
"""

from __future__ import annotations

from mixedflows.exercises import load_exercise
from mixedflows.profiles import Motivation, Person, Profile, Sex
from mixedflows.text import Markdown, bullets

EXERCISE = "m1_who_is_in_the_boat"

_REASONS = {
    Profile.ENVIRONMENTAL: "an environmental migrant",
    Profile.ECONOMIC: "an economic migrant",
}


def _pronoun(person: Person) -> str:
    return "her" if person.sex == Sex.FEMALE else "him"


def debrief(exercise_id: str = EXERCISE) -> Markdown:
    from mixedflows.grading import cohort_for, screened_person
    from mixedflows.scenarios import scenario_title

    ex = load_exercise(exercise_id)
    boat = f"{scenario_title(ex.scenario)}, boat {ex.seed}"
    screened = [(p, screened_person(p)) for p in cohort_for(ex.scenario, ex.seed, ex.size)]
    points = []
    moved = [
        (p, s, reason)
        for p, s in screened
        if Profile.TRAFFICKING in s.profiles
        for reason in _REASONS
        if reason in s.profiles
    ]
    if moved:
        p, _s, reason = moved[0]
        points.append(
            f"**{p.name}** ({boat}): the rules find {_pronoun(p)} {_REASONS[reason]} *and* a "
            f"possible victim of trafficking. Did you tick both? Which of the facts told are the act, "
            "the means, the purpose? The reasons for movement may change on the "
            "way (¶12)."
        )
    both = [
        p
        for p, s in screened
        if Profile.TRAFFICKING in s.profiles and Profile.PROTECTION in s.profiles
    ]
    if both:
        p = both[0]
        points.append(
            f"**{p.name}** on the same boat needs the asylum procedure *and* a trafficking "
            "referral. Did you think one had to come first? No rule of the frameworks orders them."
        )
    return bullets(points)


_LEFT = {
    Motivation.ENVIRONMENT: "left after failed harvests",
    Motivation.WORK: "left to find work",
    Motivation.FAMILY: "left to join family",
    Motivation.STUDY: "left to study",
    Motivation.SAFETY: "fled for safety",
}
"""Why a person left, in the words of the guide (the motivation the narrative tells)."""


_MEANS = {
    "debt": "held in debt",
    "confiscation of documents": "{pos} passport kept",
    "confinement": "locked in",
    "force": "beaten",
    "threats": "threatened",
    "abduction": "abducted",
}
"""A means, in the words of the guide (the observations' ``means`` column)."""


def told(p: Person) -> str:
    """What the person told, from their facts: why they left, the recruitment by deception,
    each means, and the exploitation at work in the observations' own words (trainer's cold
    trial of issue 10, major 3: the guide called Moussa G. "unpaid", typed beside facts that
    have no unpaid work)."""
    from mixedflows import trafficking

    table = trafficking.observations()
    ids = list(dict.fromkeys(p.trafficking_indicators))
    pos = "his" if p.sex is Sex.MALE else "her"
    means = list(dict.fromkeys(table[i].means for i in ids if table[i].means in _MEANS))
    parts: list[str] = []
    if any(table[i].act == "recruitment" and table[i].means == "deception" for i in ids):
        parts.append("deceived by a recruiter")
    parts += [_MEANS[m] for m in means if m == "debt"]
    work = [table[i].text.lower() for i in trafficking.exploited_at_work(ids)]
    if work:
        parts.append("made to work (" + "; ".join(work) + ")")
    parts += [_MEANS[m].format(pos=pos) for m in means if m != "debt"]
    left = _LEFT.get(p.motivation, "left")
    if not parts:
        return left
    said = ", ".join(parts[:-1]) + (" and " if len(parts) > 1 else "") + parts[-1]
    return f"{left}, then was {said}"


def textbook(exercise_id: str = EXERCISE) -> list[Person]:
    """The people of the exercise's boat whom the rules find both environmental migrants and
    possible victims of trafficking."""
    from mixedflows.grading import cohort_for, screened_person

    ex = load_exercise(exercise_id)
    return [
        p
        for p in cohort_for(ex.scenario, ex.seed, ex.size)
        if {Profile.ENVIRONMENTAL, Profile.TRAFFICKING} <= screened_person(p).profiles
    ]
