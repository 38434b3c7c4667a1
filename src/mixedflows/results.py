"""What grading returns, shared by the generic graders (:mod:`mixedflows.grading`) and the model
graders of each module (``reception.grader``, ``cases.graders``...), which import this module and
never :mod:`mixedflows.grading` (so neither side imports the other).

A :class:`GradeResult` is a score and one :class:`Feedback` per item: what was expected, what
was given (both as the learner sees them: labels, not ids), the credit and the message with its
citation. The items are stored with the attempt, so the dashboard and the exports read them and
never grade again.

:func:`expect_exercise` is the one check that an exercise is of the kind an app or a grader
takes (:class:`WrongExerciseError` otherwise).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from pydantic import BaseModel, ConfigDict


class Reflection(BaseModel):
    """A reflective answer, recorded for the facilitator and not auto-graded: the prompt the
    learner answered and what they wrote."""

    model_config = ConfigDict(frozen=True)

    prompt: str = ""
    text: str


class AnswerError(TypeError):
    """The answer has the wrong shape or type; the message names the item and what is expected."""


class SubmissionRefusedError(AnswerError):
    """A submission not taken (too long, or too fast): nothing was graded or recorded. The
    message says why and what to do, in words shown to the learner as they are."""


def cited_once(citations: Sequence[str]) -> list[str]:
    """The citations of a feedback block as shown: one that several items share is given in full
    once, numbered ("[1] Palermo Protocol ..."), and referred to by its number after that ("see
    [1] above"); a citation only one item has is shown as it is. Third cold trial of the
    screening rules: a ~600-character citation was repeated on every indicator line."""
    heads = list(citations)
    shared = [h for h in dict.fromkeys(heads) if h and heads.count(h) > 1]
    number = {h: k for k, h in enumerate(shared, 1)}
    out, given = [], set()
    for h in heads:
        if h not in number:
            out.append(h)
        elif h in given:
            out.append(f"see [{number[h]}] above")
        else:
            given.add(h)
            out.append(f"[{number[h]}] {h}")
    return out


@dataclass(frozen=True)
class Feedback:
    """Feedback on one item of an answer."""

    item: str
    """What was answered: a person, an option, a position, a criterion."""
    credit: float
    """Credit for this item, 0 to 1."""
    message: str
    """Why: what the rule says about this item."""
    citation: str
    """The framework and the seed paragraph the message rests on."""
    expected: str = ""
    """The reference for this item, as the learner would see it ('' when the grader has none)."""
    given: str = ""
    """The learner's answer for this item, as the learner saw it."""
    answered: bool = True
    """False for an item the learner left unanswered (not a misconception, just not done)."""

    @property
    def correct(self) -> bool:
        return self.credit >= 0.999

    def to_json(self) -> dict[str, Any]:
        return {
            "item": self.item,
            "credit": self.credit,
            "message": self.message,
            "citation": self.citation,
            "expected": self.expected,
            "given": self.given,
            "answered": self.answered,
        }

    @classmethod
    def from_json(cls, data: Mapping[str, Any]) -> Feedback:
        """An item as stored (``to_json``); keys missing from older rows read as ''."""
        return cls(
            item=str(data.get("item", "")),
            credit=float(data.get("credit") or 0.0),
            message=str(data.get("message", "")),
            citation=str(data.get("citation", "")),
            expected=str(data.get("expected") or ""),
            given=str(data.get("given") or ""),
            answered=bool(data.get("answered", True)),
        )


PASS_GRADE = 0.6
"""The grade an exercise needs for its module to count as completed (the certificate's rule,
:data:`mixedflows.certificate.PASS_GRADE`; here so graders read it without the store)."""

TICK_RULE = (
    "each right tick earns its share of the right options, each wrong tick takes away its share "
    "of the wrong ones, never below 0: ticking everything scores 0"
)
"""The rule :func:`tick_credit` applies, as a question or an exercise states it."""


def tick_credit(right: set[Any], chosen: set[Any], options: Sequence[Any]) -> float:
    """Credit for a 'tick all that apply' answer (:data:`TICK_RULE`): the share of the right
    options ticked, less the share of the wrong options ticked, never below 0. Unlike an
    overlap (Jaccard), ticking every option scores 0, below any right partial answer."""
    wrong = set(options) - right
    hits = len(right & chosen) / len(right) if right else 1.0
    misses = len(wrong & chosen) / len(wrong) if wrong else 0.0
    return max(0.0, hits - misses)


def share(score: float) -> str:
    """A score as the learner sees it: a whole percentage ("86%")."""
    return f"{score:.0%}"


@dataclass(frozen=True)
class GradeResult:
    """The grade of one attempt."""

    exercise_id: str
    score: float
    """Overall score, 0 to 1 (mean of item credits, or the model's objectives met)."""
    items: tuple[Feedback, ...]
    summary: str = ""
    details: dict[str, Any] = field(default_factory=dict)
    """Exercise-specific figures (e.g. a simulation's measured objectives)."""
    part: str = ""
    """The part of the exercise this attempt answers, for an exercise answered in parts (one
    case file of the screening desk); '' when an attempt answers the whole exercise. The
    exercise's grade counts each part once (:mod:`mixedflows.gradebook`)."""
    context: str = ""
    """Where the items are, when an attempt's items depend on it (the boat of module 1)."""
    given: str = ""
    """The whole answer as the learner saw it (option labels, not ids), for an exercise whose
    answer is one choice, order or number; '' when the items say it."""
    practice: bool = False
    """An attempt graded and recorded as practice, never counted in the exercise's grade (the
    reception's plan checked on another season than the exercise's)."""

    def items_json(self) -> list[dict[str, Any]]:
        return [f.to_json() for f in self.items]

    def to_json(self) -> dict[str, Any]:
        out: dict[str, Any] = {
            "exercise_id": self.exercise_id,
            "score": self.score,
            "summary": self.summary,
            "items": self.items_json(),
        }
        if self.part:
            out["part"] = self.part
        if self.context:
            out["context"] = self.context
        if self.given:
            out["given"] = self.given
        if self.practice:
            out["practice"] = True
        return out

    def _repr_html_(self) -> str:
        from mixedflows.templating import macro

        cites = cited_once([f.citation for f in self.items])
        rows = [(f.item, f.credit, f.message, c) for f, c in zip(self.items, cites, strict=True)]
        return macro("notebook.html.j2", "grade_result", share(self.score), self.summary, rows)


class WrongExerciseError(TypeError):
    """An exercise given where another kind is expected: an app, a grader or a debrief called
    with the id of an exercise it cannot take (a notebook cell with the wrong id). The message
    names the exercise, what it is and what was expected; ``app_entry`` shows it on the page
    as a box (:func:`mixedflows.widgets.common.app_entry`), never as a traceback."""

    def __init__(self, exercise_id: str, found: str, who: str, expected: str) -> None:
        self.exercise_id = exercise_id
        self.found = found
        self.who = who
        self.expected = expected
        super().__init__(f"{exercise_id} is {found}; {who} takes {expected}")


KIND_WORDS = {
    "CohortClassification": "cohort classification exercise",
    "ChoiceExercise": "choice exercise",
    "OrderingExercise": "ordering exercise",
    "NumericExercise": "numeric exercise",
    "ModelExercise": "model exercise",
}
"""The exercise types in words, as a message to an author says them (a cold trial: the page
said "is a ModelExercise ... takes a CohortClassification")."""


def describe_kind(kinds: tuple[type, ...], model: str | tuple[str, ...] | None = None) -> str:
    """'a model exercise (model cases.constraints)': the kinds an app or a grader takes, in
    words (an exercise of a model is a ``ModelExercise``, the one type with a model)."""
    names = " or ".join(KIND_WORDS.get(k.__name__, k.__name__) for k in kinds) or (
        KIND_WORDS["ModelExercise"] if model is not None else "exercise"
    )
    text = f"{'an' if names[:1] in 'aeiouAEIOU' else 'a'} {names}"
    if model is not None:
        models = (model,) if isinstance(model, str) else model
        text += f" (model {' or '.join(models)})"
    return text


def expect_exercise(
    exercise: Any,
    kinds: type | tuple[type, ...] = (),
    model: str | tuple[str, ...] | None = None,
    *,
    who: str,
) -> Any:
    """``exercise`` itself if it is one of ``kinds`` (any, when none are given) and, when
    ``model`` is given, an exercise of that model (or one of those models); otherwise a
    :class:`WrongExerciseError` saying what it is and what ``who`` (an app, a grader) takes.
    The one check of an exercise's kind: ``ExerciseApp.load``, the apps that are not
    ``ExerciseApp``\\ s (:func:`mixedflows.exercises.load_expected`) and the model graders'
    helpers all call it. Here, not in :mod:`mixedflows.exercises`, so that a grader can call it
    (the exercise loader reads the registry, which names the graders: an import cycle)."""
    kinds = kinds if isinstance(kinds, tuple) else (kinds,)
    ok = not kinds or isinstance(exercise, kinds)
    if ok and model is not None:
        models = (model,) if isinstance(model, str) else model
        ok = getattr(exercise, "model", None) in models
    if not ok:
        found = describe_kind((type(exercise),), getattr(exercise, "model", None))
        raise WrongExerciseError(
            str(getattr(exercise, "id", exercise)), found, who, describe_kind(kinds, model)
        )
    return exercise
