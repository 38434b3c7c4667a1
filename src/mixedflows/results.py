"""What grading returns, shared by the generic graders (:mod:`mixedflows.grading`) and the model
graders of each module (``reception.grader``, ``cases.graders``...), which import this module and
never :mod:`mixedflows.grading` (so neither side imports the other).

A :class:`GradeResult` is a score and one :class:`Feedback` per item: what was expected, what
was given (both as the learner sees them: labels, not ids), the credit and the message with its
citation. The items are stored with the attempt, so the dashboard and the exports read them and
never grade again.
"""

from __future__ import annotations

import html
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any


class AnswerError(TypeError):
    """The answer has the wrong shape or type; the message names the item and what is expected."""


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
    """The learner's answer for this item, as the learner saw it ('' when not answered)."""

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
        )


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

    def items_json(self) -> list[dict[str, Any]]:
        return [f.to_json() for f in self.items]

    def to_json(self) -> dict[str, Any]:
        return {
            "exercise_id": self.exercise_id,
            "score": self.score,
            "summary": self.summary,
            "items": self.items_json(),
        }

    def _repr_html_(self) -> str:
        rows = "".join(
            f"<li><b>{html.escape(f.item)}</b> ({f.credit:.0%}): {html.escape(f.message)} "
            f"<i>[{html.escape(f.citation)}]</i></li>"
            for f in self.items
        )
        return f"<div><b>Score: {share(self.score)}</b> {html.escape(self.summary)}<ul>{rows}</ul></div>"
