"""Designing an information campaign (MC/INF/294 ¶14; deck IV.4), graded against criteria drawn
from the evaluation evidence.

A campaign brief is a data file in ``datasets/campaigns/``: the situation, the fields a design
fills (audience, messenger, channels, content, evaluation), and criteria. Each criterion names
the findings it rests on (rows of ``datasets/evidence/information_campaign_findings.csv``), a
rule over the design, a weight, and what to say when it is met or not; a criterion marked
``weakness`` is named as a weakness of the design when it fails (deterrence-only messaging, no
evaluation plan). The feedback quotes each finding with its source and how far it was verified.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any, Literal

from pydantic import Field, model_validator

from mixedflows.citations import para
from mixedflows.departure.evidence import FINDINGS_FILE, Finding, evidence_dir, findings
from mixedflows.errors import DataFileError, Strict, load_model, loadable
from mixedflows.results import AnswerError, Feedback, GradeResult

if TYPE_CHECKING:
    from mixedflows.exercises import ModelExercise

SEED = para(14)


class Option(Strict):
    id: Annotated[str, Field(pattern=r"^[a-z0-9_]+$")]
    label: str
    exclusive: bool = False
    """Chosen alone or not at all ("No evaluation" beside an evaluation plan is a
    contradiction: refused with a message, not graded)."""


class DesignField(Strict):
    id: Annotated[str, Field(pattern=r"^[a-z0-9_]+$")]
    label: str
    multiple: bool
    options: Annotated[tuple[Option, ...], Field(min_length=2)]

    def ids(self) -> list[str]:
        return [o.id for o in self.options]


class Rule(Strict):
    kind: Literal["any_of", "share_of", "best_of", "not_only", "none_of"]
    field: str
    options: tuple[str, ...] = ()
    credit: dict[str, Annotated[float, Field(ge=0, le=1)]] = Field(default_factory=dict)
    """For best_of: the credit each option earns."""

    @model_validator(mode="after")
    def _shape(self) -> Rule:
        if self.kind == "best_of" and not self.credit:
            raise ValueError("best_of needs 'credit'")
        if self.kind != "best_of" and not self.options:
            raise ValueError(f"{self.kind} needs 'options'")
        return self

    def listed(self) -> tuple[str, ...]:
        return tuple(self.credit) if self.kind == "best_of" else self.options

    def credit_for(self, chosen: set[str]) -> float:
        if self.kind == "any_of":
            return 1.0 if chosen & set(self.options) else 0.0
        if self.kind == "share_of":
            return len(chosen & set(self.options)) / len(self.options)
        if self.kind == "best_of":
            return max((self.credit[c] for c in chosen if c in self.credit), default=0.0)
        if self.kind == "none_of":  # fails when any listed option is chosen (fear images)
            return 0.0 if chosen & set(self.options) else 1.0
        # not_only: fails when nothing is chosen, or only listed options are.
        return 1.0 if chosen - set(self.options) else 0.0


class Criterion(Strict):
    id: Annotated[str, Field(pattern=r"^[a-z0-9_]+$")]
    label: str
    weight: Annotated[float, Field(gt=0, le=1)]
    rule: Rule
    findings: Annotated[tuple[str, ...], Field(min_length=1)]
    met: str
    not_met: str
    weakness: bool = False
    weakness_label: str = ""
    """How the weakness is named when the criterion fails (e.g. "Deterrence-only messaging")."""

    def weakness_name(self) -> str:
        return self.weakness_label or f"Missing: {self.label.lower()}"

    @model_validator(mode="after")
    def _named(self) -> Criterion:
        # A weakness is named by what is wrong, never by the criterion's positive label
        # ("Weaknesses: neither repeating the myth nor a threat frame" read as praise).
        if self.weakness and not self.weakness_label:
            raise ValueError(f"criterion '{self.id}' is a weakness: give its weakness_label")
        return self


class CampaignBrief(Strict):
    id: Annotated[str, Field(pattern=r"^[a-z0-9_]+$")]
    title: str
    situation: str
    fields: Annotated[tuple[DesignField, ...], Field(min_length=1)]
    criteria: Annotated[tuple[Criterion, ...], Field(min_length=1)]
    evidence_note: str

    @model_validator(mode="after")
    def _weights(self) -> CampaignBrief:
        total = sum(c.weight for c in self.criteria)
        if abs(total - 1.0) > 1e-6:
            raise ValueError(f"criteria weights must add up to 1 (they add up to {total:g})")
        return self

    def field(self, fid: str) -> DesignField:
        for f in self.fields:
            if f.id == fid:
                return f
        raise KeyError(fid)


def campaigns_dir() -> Path:
    from mixedflows.paths import datasets_dir

    return datasets_dir() / "campaigns"


def load_brief(path_or_id: Path | str) -> CampaignBrief:
    """Load a campaign brief; every field, option and finding a criterion names must exist."""
    p, brief = load_model(path_or_id, campaigns_dir(), CampaignBrief)
    known = findings()
    fields = {f.id: f for f in brief.fields}
    for k, c in enumerate(brief.criteria):
        where = f"criteria.{k}"
        if c.rule.field not in fields:
            raise DataFileError(p, f"{where}.rule.field", f"no field '{c.rule.field}'")
        bad = [o for o in c.rule.listed() if o not in fields[c.rule.field].ids()]
        if bad:
            raise DataFileError(
                p, f"{where}.rule", f"not an option of '{c.rule.field}': {', '.join(bad)}"
            )
        missing = [f for f in c.findings if f not in known]
        if missing:
            raise DataFileError(
                p,
                f"{where}.findings",
                f"not in {evidence_dir().name}/{FINDINGS_FILE}: {', '.join(missing)}",
            )
    return brief


# --- Grading -----------------------------------------------------------------------------------


def coerce_design(brief: CampaignBrief, answer: Any) -> dict[str, set[str]]:
    """A design maps each field to an option id (or a list of ids where several may be
    chosen); a message names the field and the option when something is wrong."""
    if not isinstance(answer, Mapping):
        raise AnswerError(f"a design maps each field to its choice, got {type(answer).__name__}")
    ids = [f.id for f in brief.fields]
    unknown = [k for k in answer if k not in ids]
    if unknown:
        raise AnswerError(f"not a field of this design: {', '.join(map(str, unknown))}")
    out: dict[str, set[str]] = {}
    for f in brief.fields:
        v = answer.get(f.id)
        if v is None or v == "" or v == []:
            out[f.id] = set()
            continue
        if f.multiple:
            if isinstance(v, str) or not isinstance(v, list | tuple | set | frozenset):
                raise AnswerError(f"{f.label}: give a list of options, got {type(v).__name__}")
            chosen = {str(x) for x in v}
        else:
            if not isinstance(v, str):
                raise AnswerError(f"{f.label}: choose one option, got {type(v).__name__}")
            chosen = {v}
        bad = sorted(chosen - set(f.ids()))
        if bad:
            raise AnswerError(f"{f.label}: not an option: {', '.join(bad)}")
        alone = [o for o in f.options if o.exclusive and o.id in chosen]
        if alone and len(chosen) > 1:
            others = [o.label for o in f.options if o.id in chosen and o.id != alone[0].id]
            raise AnswerError(
                f"{f.label}: '{alone[0].label}' contradicts the other choice(s) "
                f"({'; '.join(others)}): choose it alone, or untick it. Nothing was graded."
            )
        out[f.id] = chosen
    return out


@dataclass(frozen=True)
class CriterionResult:
    criterion: Criterion
    credit: float
    findings: tuple[Finding, ...]
    answered: bool = True
    """Whether the learner filled the field the criterion reads."""

    @property
    def weakness(self) -> bool:
        """A weakness of the design: a failed weakness criterion on a field the learner filled
        (an empty field is 'not answered', not a weakness of what was chosen)."""
        return self.criterion.weakness and self.answered and self.credit < 1.0


def assess(brief: CampaignBrief, design: Mapping[str, set[str]]) -> list[CriterionResult]:
    """Each criterion's credit for a design (coerced by :func:`coerce_design`)."""
    known = findings()
    return assess_with(brief, design, known)


def assess_with(
    brief: CampaignBrief, design: Mapping[str, set[str]], known: Mapping[str, Finding]
) -> list[CriterionResult]:
    """Each criterion's credit for a design, its findings read from ``known``."""
    return [
        CriterionResult(
            c,
            round(c.rule.credit_for(design.get(c.rule.field, set())), 4),
            tuple(known[f] for f in c.findings),
            bool(design.get(c.rule.field)),
        )
        for c in brief.criteria
    ]


def _lower_first(name: str) -> str:
    first = name.split(" ", 1)[0]
    return name if len(first) > 1 and first.isupper() else name[:1].lower() + name[1:]


def summary_of(brief: CampaignBrief, results: list[CriterionResult]) -> str:
    """Weaknesses named by what is wrong; fields left empty named as not answered; then the
    brief's note on the strength of the evidence."""
    # In a list after "Weaknesses:", each name in lower case (a capital after a semicolon
    # reads as a new sentence).
    weak = [_lower_first(r.criterion.weakness_name()) for r in results if r.weakness]
    read = {r.criterion.rule.field: r.answered for r in results}
    empty = [f.label for f in brief.fields if f.id in read and not read[f.id]]
    head = f"Weaknesses: {'; '.join(weak)}. " if weak else ""
    if empty:
        head += f"Not answered: {'; '.join(_lower_first(x) for x in empty)}. "
    if not weak and not empty:
        head = "No weakness among the criteria. "
    return head + " ".join(brief.evidence_note.split())


def _message(r: CriterionResult) -> str:
    c = r.criterion
    head = c.met if r.credit >= 0.999 else c.not_met
    if 0 < r.credit < 0.999:
        head = f"Partly ({r.credit:.0%}). {c.not_met}"
    if not r.answered:
        head = f"Not answered. {c.not_met}"
    if r.weakness:
        head = f"Weakness ({r.criterion.weakness_name().lower()}): {head}"
    evidence = " ".join(f"Evidence: {f.finding}" for f in r.findings)
    return f"{head} {evidence}"


class CampaignParams(Strict):
    """``params`` of a "departure.campaign" exercise."""

    brief: Annotated[str, loadable(load_brief, "brief")]


def grade_campaign(exercise: ModelExercise, answer: Any) -> GradeResult:
    """One item per criterion, weighted; weaknesses named; every finding quoted with its source."""
    brief = load_brief(exercise.params.brief)
    design = coerce_design(brief, answer)
    results = assess(brief, design)
    items = tuple(
        Feedback(
            r.criterion.label,
            r.credit,
            _message(r),
            " | ".join([*(f.cite() for f in r.findings), SEED]),
        )
        for r in results
    )
    score = sum(r.credit * r.criterion.weight for r in results)
    return GradeResult(
        exercise.id,
        round(score, 4),
        items,
        summary_of(brief, results),
        {"weaknesses": [r.criterion.id for r in results if r.weakness]},
    )
