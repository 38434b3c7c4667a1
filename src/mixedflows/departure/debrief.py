"""Module 3's debrief on development and emigration, read from the evidence file.

What the studies find, across countries and within a country, is the answer to the
predict-then-see exercise (``m3_development_and_emigration``) and to questions of the course's
knowledge check. So the debrief that speaks of it is shown behind the gate
(:func:`mixedflows.widgets.debrief_gate.after_attempt`), and its facts are read from
``datasets/evidence/development_emigration.csv`` by the rule that grades the predictions
(:func:`mixedflows.departure.development.what_the_evidence_says`): a changed file gives a
changed debrief. Questions that state no finding stay in the notebook's prose.
"""

from __future__ import annotations

from mixedflows.departure.development import DISAGREE, what_the_evidence_says
from mixedflows.exercises import load_exercise
from mixedflows.text import Markdown, bullets

EXERCISE = "m3_development_and_emigration"

_FIND = {
    "rises": "emigration rises",
    "falls": "emigration falls",
    "same": "emigration stays about the same",
}


def _finding(evidence: str) -> tuple[str, str]:
    """(the direction, a clause saying what the studies of that kind find)."""
    direction, rows = what_the_evidence_says(evidence)
    if direction == DISAGREE:
        found = sorted({s.direction for s in rows})
        return direction, "the studies disagree: " + "; ".join(
            f"{k} of {len(rows)} {'finds' if k == 1 else 'find'} that {_FIND[d]}"
            for d in found
            for k in [sum(s.direction == d for s in rows)]
        )
    n = len(rows)
    return (
        direction,
        f"{'the study finds' if n == 1 else f'all {n} studies find'} that {_FIND[direction]}",
    )


def debrief(exercise_id: str = EXERCISE) -> Markdown:
    """The points of module 3's debrief that name what the studies find."""
    ex = load_exercise(exercise_id)
    points = []
    kinds: dict[str, str] = {}
    for item in ex.params.items:
        kinds[item.evidence], said = _finding(item.evidence)
        points.append(f"**{item.evidence.capitalize()}**: {said}.")
    if "rises" in kinds.values():
        points.append(
            "If emigration rises, at first, as a poor country grows, is development assistance "
            "a failure? ¶15 lists it beside legal channels: what is each expected to do, and on "
            "what time scale?"
        )
    split = [k for k, d in kinds.items() if d == DISAGREE]
    if split:
        points.append(
            f"The studies disagree ({', '.join(split)}). What would you need to see before "
            "promising a minister that aid will reduce departures?"
        )
    return bullets(points)
