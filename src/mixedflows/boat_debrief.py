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
from mixedflows.profiles import Person, Profile, Sex
from mixedflows.text import Markdown, bullets

EXERCISE = "m1_who_is_in_the_boat"

_REASONS = {
    Profile.ENVIRONMENTAL: "an environmental migrant",
    Profile.ECONOMIC: "an economic migrant",
}


def _pronoun(person: Person) -> str:
    return "her" if person.sex == Sex.FEMALE else "him"


def debrief(exercise_id: str = EXERCISE) -> Markdown:
    from mixedflows.grading import _screened, cohort_for
    from mixedflows.scenarios import scenario_title

    ex = load_exercise(exercise_id)
    boat = f"{scenario_title(ex.scenario)}, boat {ex.seed}"
    screened = [(p, _screened(p)) for p in cohort_for(ex.scenario, ex.seed, ex.size)]
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
