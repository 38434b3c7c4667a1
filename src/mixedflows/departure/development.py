"""Development and emigration in the short run (MC/INF/294 ¶15, ¶26): predict, then see.

¶15 lists targeted development assistance among the structural options. Does development reduce
emigration soon? The answer is read from ``datasets/evidence/development_emigration.csv``: for a
kind of evidence (across countries, or within countries over time), the direction its studies
find; when they disagree, the reference says so. A prediction of a direction that some of the
studies find earns half credit; the feedback quotes every study with its source.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING, Annotated, Any

from pydantic import AfterValidator, Field

from mixedflows.citations import para
from mixedflows.departure.evidence import DEVELOPMENT_FILE, VERIFICATION, read_evidence
from mixedflows.errors import DataFileError, Strict
from mixedflows.results import AnswerError, Feedback, GradeResult

SEED = para(15, 26)
DISAGREE = "disagree"
CHOICES: tuple[tuple[str, str], ...] = (
    ("rises", "Emigration rises"),
    ("falls", "Emigration falls"),
    ("same", "About the same"),
    (DISAGREE, "The studies disagree"),
)
DIRECTIONS = {"rises", "falls", "same"}
CAVEAT = (
    "Only the studies' abstracts were checked for this course; the income thresholds are quoted "
    "differently (US prices or purchasing-power parity) by different sources."
)

if TYPE_CHECKING:
    from mixedflows.exercises import ModelExercise


@dataclass(frozen=True)
class Study:
    id: str
    study: str
    evidence: str
    years: str
    direction: str
    finding: str
    note: str
    source: str
    verification: str

    def line(self) -> str:
        note = f" {self.note}" if self.note else ""
        return f"{self.study} ({self.evidence}, {self.years}): {self.finding}{note}"

    def cite(self) -> str:
        return f"{self.study} [{self.source}, {VERIFICATION[self.verification]}]"


def studies() -> list[Study]:
    rows = read_evidence(
        DEVELOPMENT_FILE, ("study", "evidence", "years", "direction", "finding", "note")
    )
    bad = sorted({r.direction for r in rows} - DIRECTIONS)
    if bad:
        from mixedflows.departure.evidence import evidence_dir

        raise DataFileError(
            evidence_dir() / DEVELOPMENT_FILE,
            "direction",
            f"unknown {bad}; use {', '.join(sorted(DIRECTIONS))}",
        )
    return [
        Study(
            r.id,
            r.study,
            r.evidence,
            r.years,
            r.direction,
            r.finding,
            r.note,
            r.source,
            r.verification,
        )
        for r in rows
    ]


def evidence_kinds() -> list[str]:
    return list(dict.fromkeys(s.evidence for s in studies()))


def what_the_evidence_says(evidence: str) -> tuple[str, list[Study]]:
    """The direction the studies of one kind of evidence find, or "disagree"."""
    rows = [s for s in studies() if s.evidence == evidence]
    if not rows:
        raise KeyError(f"no study with evidence '{evidence}'; kinds: {', '.join(evidence_kinds())}")
    found = {s.direction for s in rows}
    return (found.pop() if len(found) == 1 else DISAGREE), rows


def _known_evidence(kind: str) -> str:
    kinds = evidence_kinds()
    if kind not in kinds:
        raise ValueError(f"no study of that kind; kinds: {', '.join(kinds)}")
    return kind


class PredictItem(Strict):
    id: Annotated[str, Field(pattern=r"^[a-z0-9_]+$")]
    question: str
    evidence: Annotated[str, AfterValidator(_known_evidence)]
    """Which kind of evidence answers it (a value of the file's 'evidence' column)."""


class DevelopmentParams(Strict):
    """``params`` of a "departure.development" exercise."""

    items: Annotated[tuple[PredictItem, ...], Field(min_length=1)]


def _label(choice: str) -> str:
    return dict(CHOICES)[choice].lower()


def grade_prediction(item: PredictItem, prediction: str | None) -> Feedback:
    ref, rows = what_the_evidence_says(item.evidence)
    if prediction is None:
        credit, head = 0.0, "No prediction."
    elif prediction == ref:
        credit, head = 1.0, f"Right: {_label(ref)}."
    elif ref == DISAGREE and prediction in {s.direction for s in rows}:
        credit = 0.5
        head = f"Half right: some studies find that {_label(prediction)}, others do not."
    else:
        credit, head = 0.0, f"You predicted: {_label(prediction)}. The evidence: {_label(ref)}."
    counts = {d: sum(s.direction == d for s in rows) for d in sorted({s.direction for s in rows})}
    tally = ", ".join(
        f"{n} {'finds' if n == 1 else 'find'} that {_label(d)}" for d, n in counts.items()
    )
    body = " ".join(s.line() for s in rows)
    msg = f"{head} Of {len(rows)} {'study' if len(rows) == 1 else 'studies'} ({item.evidence}): {tally}. {body} {CAVEAT}"
    return Feedback(item.id, credit, msg, " | ".join([*(s.cite() for s in rows), SEED]))


def grade_development(exercise: ModelExercise, answer: Any) -> GradeResult:
    """One item per prediction; the reference read from the evidence file."""
    params = exercise.params
    if not isinstance(answer, Mapping):
        raise AnswerError(f"predictions map each question to a choice, got {type(answer).__name__}")
    ids = {i.id for i in params.items}
    stray = sorted(set(map(str, answer)) - ids)
    if stray:
        raise AnswerError(f"not a question here: {', '.join(stray)}")
    choices = dict(CHOICES)
    for k, v in answer.items():
        if v is not None and v not in choices:
            raise AnswerError(f"{k}: choose one of {', '.join(choices)}")
    items = tuple(grade_prediction(i, answer.get(i.id)) for i in params.items)
    score = sum(f.credit for f in items) / len(items)
    said = "; ".join(
        f"{i.evidence}: {_label(what_the_evidence_says(i.evidence)[0])}" for i in params.items
    )
    return GradeResult(exercise.id, round(score, 4), items, f"What the evidence says: {said}.")
