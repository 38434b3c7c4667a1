"""An exercise's grade, defined once: what the app shows the learner is what the grade export
(the CSV for a learning-management system) says.

The grade of a learner for an exercise is read from their graded attempts at it:

- an exercise answered whole at each attempt (a boat, a design, a set of questions): the best
  attempt's score (attempts can only raise the grade);
- an exercise answered in parts (the screening desk: one case file per attempt, the attempt's
  ``part``): each part counts once, at its best score, and the grade is their sum over the
  number of parts of the exercise (the files of the desk's queue). One file of thirteen done
  right is a grade of 8 %, not 100 %. A file the learner asked for beyond the exercise's (the
  desk's "More arrivals") is practice: graded and recorded, never part of the grade (a cold
  trial: twelve extra files and none of the exercise's were "12 of 13 files done", 56 %);
- an exercise never scored (a reflection): no grade ("answered").

A number of parts other than one is declared for a model in :mod:`mixedflows.registry`
(``ModelKind.parts``). The grade is shown as a whole percentage (:func:`grade_text`).
"""

from __future__ import annotations

from collections.abc import Collection, Iterable
from dataclasses import dataclass
from typing import Any

from mixedflows.results import share


@dataclass(frozen=True)
class Graded:
    """What the gradebook needs of one attempt."""

    score: float | None
    """None for an attempt that is recorded, not scored."""
    part: str = ""
    practice: bool = False
    """Graded as practice (``GradeResult.practice``): never counted."""


@dataclass(frozen=True)
class Grade:
    """A learner's grade for an exercise."""

    score: float | None
    """0 to 1; None when nothing was scored."""
    parts_done: int = 0
    parts: int = 0
    """How many parts the exercise has (0 when it is answered whole)."""
    mean_done: float | None = None
    """For an exercise in parts: the mean score over the parts done."""
    practice: int = 0
    """Attempts graded as practice, not counted."""

    @property
    def text(self) -> str:
        return grade_text(self)


def parts_of(exercise: Any) -> int:
    """How many parts an exercise is answered in (0: whole at each attempt)."""
    return len(part_ids(exercise))


def part_ids(exercise: Any) -> frozenset[str]:
    """The parts of an exercise answered in parts (the registry's ``ModelKind.parts``: the
    desk's case files, by person id), empty when it is answered whole: what its grade counts."""
    model = getattr(exercise, "model", None)
    if model is None:
        return frozenset()
    from mixedflows.registry import parts_of_model

    ids = parts_of_model(model)
    return frozenset(str(i) for i in ids(exercise)) if ids is not None else frozenset()


def exercise_grade(attempts: Iterable[Graded], parts: int | Collection[str] = 0) -> Grade:
    """One learner's grade for one exercise, from their attempts at it (see the module).
    ``parts``: the exercise's parts (:func:`part_ids`; an attempt at another part is practice
    and not counted), or only how many there are."""
    attempts = list(attempts)
    practice = sum(1 for a in attempts if a.practice)
    scored = [a for a in attempts if a.score is not None and not a.practice]
    if not isinstance(parts, int):
        counted = parts
        parts = len(counted)
        if counted:
            scored = [a for a in scored if not a.part or a.part in counted]
    if not scored:
        return Grade(None, practice=practice)
    in_parts = [a for a in scored if a.part]
    if not in_parts:
        return Grade(max(float(a.score) for a in scored), practice=practice)  # type: ignore[arg-type]
    best: dict[str, float] = {}
    for a in in_parts:
        best[a.part] = max(best.get(a.part, 0.0), float(a.score))  # type: ignore[arg-type]
    total = max(parts, len(best))
    return Grade(
        sum(best.values()) / total,
        parts_done=len(best),
        parts=total,
        mean_done=sum(best.values()) / len(best),
        practice=practice,
    )


def part_word(exercise: Any) -> str:
    """What the learner calls one part of ``exercise`` (the registry's ``part_name``: "file"
    at the desks), or '' when it is answered whole: the one word the instructions, the status
    line and the app's own counts use."""
    model = getattr(exercise, "model", None)
    if model is None:
        return ""
    from mixedflows.registry import part_name

    return part_name(model)


def attempt_rule(exercise: Any) -> str:
    """Which attempt counts, as the learner reads it at the end of every exercise's
    instructions (:func:`mixedflows.exercises.load_exercise` adds it): said from the rule
    :func:`exercise_grade` applies, so the instructions, the app and the export agree."""
    part = part_word(exercise)
    if part:
        return (
            f"Which attempt counts: each {part} counts once, at your best attempt at it, and "
            f"your grade is the total over all the {part}s of the exercise (a {part} you have "
            "not submitted counts as 0)."
        )
    return "Which attempt counts: your grade is your best attempt."


def grade_text(grade: Grade) -> str:
    """The grade as shown to the learner and written in the export ("20%", or "answered")."""
    return "answered" if grade.score is None else share(grade.score)


def grade_sentence(grade: Grade, part: str = "") -> str:
    """The grade in a sentence, for the app's status line; ``part``: what one part is called
    (:func:`part_word`; "part" when not given), so the line counts what the app counts."""
    if grade.score is None and grade.practice:
        return "No grade for this exercise yet: practice does not count."
    if grade.score is None:
        return "Recorded (not scored)."
    if grade.parts:
        return (
            f"Your grade for this exercise: {grade.text} ({grade.parts_done} of {grade.parts} "
            f"{part or 'part'}s done, {share(grade.mean_done or 0.0)} on those)."
        )
    return f"Your grade for this exercise: {grade.text} (your best attempt)."


def graded_of(attempt: Any) -> Graded:
    """A stored attempt (``store.Attempt``) as the gradebook reads it."""
    fb = attempt.feedback if isinstance(attempt.feedback, dict) else {}
    part = fb.get("part")
    return Graded(
        attempt.score,
        str(part) if isinstance(part, str | int) else "",
        practice=fb.get("practice") is True,
    )
