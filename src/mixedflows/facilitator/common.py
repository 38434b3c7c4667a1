"""What the facilitator's view needs without pandas: the exercise loader, where the room's
latest scored attempts stand, and what the dashboard says of them when no wrong answer can be
listed. The dashboard's first view of a session with no attempts yet is drawn from these alone,
without loading pandas (issue 13 start-up: about 0.25 s of CPU in the dashboard's kernel).
:mod:`.misconceptions` counts the attempts into a :class:`Standing`."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

__all__ = [
    "NOTHING_SCORED",
    "ExerciseLoader",
    "Standing",
    "default_loader",
    "wrong_answers_sentence",
]

ExerciseLoader = Callable[[str], Any]
"""A function loading an exercise by id (``exercises.load_exercise``; tests pass their own)."""


def default_loader(exercise_id: str) -> Any:
    """Load an exercise from exercises/ (tests pass their own loader)."""
    from mixedflows.exercises import load_exercise

    return load_exercise(exercise_id)


@dataclass(frozen=True)
class Standing:
    """Where the room's latest scored attempts stand, for the sentences beside the wrong
    answers (issue 11, cold trial: "No wrong answers so far" was said of a room whose every
    attempt scored 0 %). Counted per participant, exercise and boat or part, like
    :func:`wrong_answers`."""

    scored: int
    """Latest scored attempts (reflections are not scored)."""
    below_full: int
    """Of those, how many scored below full marks."""
    at_zero: int
    """Of those, how many scored 0."""
    listed: int
    """Of those below full marks, how many name a wrong answer that :func:`wrong_answers`
    counts (the others' feedback names none: an unanswered question, a whole-answer grade
    with no answer text, a simulation's result)."""


NOTHING_SCORED = Standing(0, 0, 0, 0)
"""A room with no scored attempt (a session without attempts)."""


def wrong_answers_sentence(s: Standing) -> str:
    """What the dashboard says when there is no wrong answer to list, derived from the counts:
    "no wrong answers" only when every latest scored attempt has full marks."""
    if s.scored == 0:
        return "No scored answers yet: wrong answers appear here as participants submit."
    if s.below_full == 0:
        return f"No wrong answers so far: all {s.scored} latest scored attempt(s) have full marks."
    unlisted = s.below_full - s.listed
    zero = f", {s.at_zero} of them at 0 %" if s.at_zero else ""
    return (
        f"{s.below_full} of {s.scored} latest scored attempt(s) are below full marks{zero}, "
        f"but {'their feedback names' if unlisted == s.below_full else f'{unlisted} of them name'}"
        " no single wrong answer to count here (a question left unanswered, or a grade given "
        "to the whole answer): see each participant's grade under Participants."
    )
