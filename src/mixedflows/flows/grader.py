"""The module 2 data-reading exercise as a model grader, ``flows.data_reading``.

The exercise file names the kinds of question, how many make a set, and the first set's seed;
the questions and their answers come from :mod:`.questions`, computed from the figure files.
An answer is ``{"seed": n, "answers": {question id: value}}``; unanswered questions of the set
count as wrong, with the answer and its figures in the feedback.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Annotated, Any

from pydantic import AfterValidator, Field

from mixedflows.errors import Strict
from mixedflows.flows.questions import (
    GENERATORS,
    Question,
    answers_of,
    grade_question,
    question_set,
)
from mixedflows.results import AnswerError, GradeResult

if TYPE_CHECKING:
    from mixedflows.exercises import ModelExercise


def _known_kinds(kinds: tuple[str, ...]) -> tuple[str, ...]:
    unknown = [k for k in kinds if k not in GENERATORS]
    if unknown:
        raise ValueError(f"unknown kind(s) {unknown}; kinds: {', '.join(GENERATORS)}")
    return kinds


class DataReadingParams(Strict):
    """``params`` of a "flows.data_reading" exercise."""

    kinds: Annotated[tuple[str, ...], Field(min_length=1), AfterValidator(_known_kinds)]
    count: Annotated[int, Field(ge=1, le=30)] = 5
    seed: int = 0


def questions_for(exercise: ModelExercise, seed: int | None = None) -> list[Question]:
    """The set of questions the learner sees for a seed (the exercise's own by default)."""
    p: DataReadingParams = exercise.params
    return question_set(p.kinds, p.count, p.seed if seed is None else seed)


def grade_data_reading(exercise: ModelExercise, answer: Any) -> GradeResult:
    """One item per question of the set: the reference computed from the data, with the figures."""
    seed, given = answers_of(answer)
    qs = questions_for(exercise, seed)
    ids = {q.id for q in qs}
    stray = sorted(set(given) - ids)
    if stray:
        raise AnswerError(f"not a question of set {seed}: {', '.join(stray)}")
    items = tuple(grade_question(q, given.get(q.id), f"question {i}") for i, q in enumerate(qs, 1))
    score = sum(f.credit for f in items) / len(items)
    right = sum(f.correct for f in items)
    return GradeResult(
        exercise.id,
        round(score, 4),
        items,
        f"{right} of {len(items)} questions right (set {seed}).",
        {"seed": seed},
    )
