"""The course's knowledge check, taken at the start and at the end (issue 15, around the modules).

One set of questions, drawn from the modules' own exercises in ``exercises/`` and graded by
their own graders (nothing is typed here but which exercises to draw from): the data-reading
questions of module 2 (computed from the figure files), the predictions of module 3 (read from
the evidence on development and emigration) and of module 8 (the policy model's direction).
A new question in one of those exercises is a new question here.

The learner takes the check once at the start (``knowledge_check_start``: the score is shown,
not the answers, so the end is a fair second measure) and at the end (``knowledge_check_end``,
with the feedback of each question; may be taken again, the latest counts). Both are recorded
as attempts, so the dashboard, the exports and the certificate read them like any other.

The gain (:func:`gains`): per participant, the end score minus the start score (in points),
and the normalised gain, (end - start) / (1 - start), the share of what there was to learn
that was learnt (undefined for a participant who started at full marks); for the room, the
means over participants who took both.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from functools import cache
from typing import TYPE_CHECKING, Any

from mixedflows.results import AnswerError, Feedback, GradeResult

START = "knowledge_check_start"
END = "knowledge_check_end"
PHASES = {"start": START, "end": END}
TITLES = {
    START: "Knowledge check (start of the course)",
    END: "Knowledge check (end of the course)",
}
SOURCES = ("m2_reading_the_data", "m3_development_and_emigration", "m8_predict_then_see")
"""The exercises the questions are drawn from (each must have a :data:`_ADAPTERS` entry)."""
DATA_QUESTIONS = 3
"""How many of module 2's data-reading questions (its own set, choice questions only)."""


@dataclass(frozen=True)
class CheckItem:
    """One question of the check."""

    key: str
    """``<exercise id>/<item id>``: the feedback item's name and the answer's key."""
    exercise_id: str
    item_id: str
    module: int
    question: str
    options: tuple[tuple[str, str], ...]
    """(value, label) pairs, in the exercise's order."""


# --- what each source exercise asks, and how its grader wants an answer ------------------------


def _data_reading(exercise: Any) -> list[tuple[str, str, tuple[tuple[str, str], ...]]]:
    from mixedflows.flows.grader import questions_for

    out = []
    for q in questions_for(exercise):
        if q.options and not q.multiple:
            out.append((q.id, q.prompt, tuple(q.options)))
        if len(out) == DATA_QUESTIONS:
            break
    return out


def _development(exercise: Any) -> list[tuple[str, str, tuple[tuple[str, str], ...]]]:
    from mixedflows.departure.development import CHOICES

    return [(i.id, i.question, CHOICES) for i in exercise.params.items]


_DIRECTIONS = (("up", "Goes up"), ("down", "Goes down"), ("same", "Stays about the same"))


def _predict(exercise: Any) -> list[tuple[str, str, tuple[tuple[str, str], ...]]]:
    return [(i.id, i.question, _DIRECTIONS) for i in exercise.params.items]


_ADAPTERS = {
    "flows.data_reading": (
        _data_reading,
        lambda ex, given: {"seed": ex.params.seed, "answers": given},
    ),
    "departure.development": (_development, lambda ex, given: dict(given)),
    "regularization.predict": (_predict, lambda ex, given: dict(given)),
}


@cache
def check_items() -> tuple[CheckItem, ...]:
    """The questions of the check, in module order."""
    from mixedflows.exercises import load_exercise

    items = []
    for ex_id in SOURCES:
        ex = load_exercise(ex_id)
        questions, _answer = _ADAPTERS[ex.model]
        for item_id, question, options in questions(ex):
            items.append(
                CheckItem(f"{ex_id}/{item_id}", ex_id, item_id, ex.module, question, options)
            )
    return tuple(items)


def grade_check(answer: Any) -> GradeResult:
    """Grade ``{"phase": "start"|"end", "answers": {item key: value}}`` with the source
    exercises' own graders: one feedback item per question (a question left blank: no credit,
    marked unanswered); the score is the share of credit over every question."""
    from mixedflows.exercises import load_exercise
    from mixedflows.grading import grade

    if not isinstance(answer, Mapping) or set(answer) - {"phase", "answers"}:
        raise AnswerError("the check's answer is {'phase': 'start' or 'end', 'answers': {...}}")
    phase = answer.get("phase")
    if phase not in PHASES:
        raise AnswerError(f"phase must be 'start' or 'end', not {phase!r}")
    given = answer.get("answers") or {}
    if not isinstance(given, Mapping):
        raise AnswerError("answers map each question to a choice")
    items = check_items()
    by_key = {i.key: i for i in items}
    stray = sorted(set(map(str, given)) - set(by_key))
    if stray:
        raise AnswerError(f"not a question of the check: {', '.join(stray)}")
    for key, value in given.items():
        if value is not None and value not in dict(by_key[key].options):
            raise AnswerError(f"{key}: choose one of the options")
    graded: dict[str, Feedback] = {}
    for ex_id in SOURCES:
        mine = {
            i.item_id: given[i.key] for i in items if i.exercise_id == ex_id and given.get(i.key)
        }
        if not mine:
            continue
        ex = load_exercise(ex_id)
        _questions, make = _ADAPTERS[ex.model]
        result = grade(ex, make(ex, mine))
        for f in result.items:
            graded[f"{ex_id}/{f.item}"] = f
    out = []
    for item in items:
        labels = dict(item.options)
        value = given.get(item.key)
        f = graded.get(item.key)
        if not value or f is None:
            out.append(
                Feedback(item.key, 0.0, "No answer given.", f"module {item.module}", answered=False)
            )
            continue
        out.append(
            Feedback(
                item.key,
                f.credit,
                f.message,
                f.citation,
                expected=f.expected,
                given=labels.get(value, str(value)),
            )
        )
    score = sum(f.credit for f in out) / len(out)
    return GradeResult(
        PHASES[phase], round(score, 4), tuple(out), check_summary(out), {"phase": phase}
    )


def check_summary(items: Sequence[Feedback]) -> str:
    """ "2 of 10 questions right, plus partial credit on 1 (0.5 of a point)." from the grades,
    so the sentence adds up to the score beside it (issue 15: 25 % said "2 of 10 right")."""
    right = sum(f.correct for f in items)
    partial = [f.credit for f in items if not f.correct and f.credit > 0]
    text = f"{right} of {len(items)} questions right"
    if partial:
        points = sum(partial)
        text += f", plus partial credit on {len(partial)} ({points:.2f}".rstrip("0").rstrip(".") + (
            " of a point)" if points < 1 else " points)"
        )
    return text + "."


# --- the gain -----------------------------------------------------------------------------------

if TYPE_CHECKING:
    import pandas as pd

GAIN_COLUMNS = ["participant", "start", "end", "gain", "normalised_gain"]


def gains(attempts: Iterable[Any]) -> pd.DataFrame:
    """Per participant: the start score (their first start attempt), the end score (their
    latest end attempt), the gain (end - start, as shares) and the normalised gain (NaN when
    the start was full marks or a score is missing). One row per participant who took either."""
    import pandas as pd  # here: the check's page needs no pandas to start

    start: dict[str, float] = {}
    end: dict[str, float] = {}
    for a in sorted(attempts, key=lambda a: a.id):
        if a.score is None:
            continue
        if a.exercise_id == START and a.learner not in start:
            start[a.learner] = float(a.score)
        elif a.exercise_id == END:
            end[a.learner] = float(a.score)
    rows = []
    for who in sorted(set(start) | set(end)):
        s, e = start.get(who), end.get(who)
        both = s is not None and e is not None
        rows.append(
            {
                "participant": who,
                "start": float("nan") if s is None else s,
                "end": float("nan") if e is None else e,
                "gain": e - s if both else float("nan"),
                "normalised_gain": (e - s) / (1 - s) if both and s < 1 else float("nan"),
            }
        )
    return pd.DataFrame(rows, columns=GAIN_COLUMNS)


@dataclass(frozen=True)
class RoomGain:
    """The room's gain: means over the participants who took both checks."""

    both: int
    took_start: int
    took_end: int
    start: float | None
    end: float | None
    gain: float | None
    normalised_gain: float | None


def room_gain(table: pd.DataFrame) -> RoomGain:
    """The room's means from :func:`gains` (None where nobody took both)."""
    both = table.dropna(subset=["start", "end"])

    def mean(col: str) -> float | None:
        values = both[col].dropna()
        return None if values.empty else float(values.mean())

    return RoomGain(
        len(both),
        int(table["start"].notna().sum()),
        int(table["end"].notna().sum()),
        mean("start"),
        mean("end"),
        mean("gain"),
        mean("normalised_gain"),
    )


__all__ = [
    "END",
    "GAIN_COLUMNS",
    "START",
    "TITLES",
    "CheckItem",
    "RoomGain",
    "check_items",
    "gains",
    "grade_check",
    "room_gain",
]
