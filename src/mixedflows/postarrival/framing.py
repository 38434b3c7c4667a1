"""Destigmatization in public discourse (MC/INF/294 ¶22): a message about migrants in an
irregular situation, graded criterion by criterion against documented evidence.

A message brief is a data file in ``datasets/messages/`` in the format of module 3's campaign
briefs (:class:`mixedflows.departure.campaign.CampaignBrief`: fields, options, criteria with
rules and weights), whose criteria name findings in
``datasets/evidence/public_discourse_findings.csv``. The feedback quotes each finding with its
source, how far it was verified and its limits; where the evidence is weak or contested, the
brief's evidence note says so and the grade says it again.
"""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

from mixedflows.citations import para
from mixedflows.departure.campaign import (
    CampaignBrief,
    Criterion,
    CriterionResult,
    assess_with,
    coerce_design,
    summary_of,
)
from mixedflows.departure.evidence import Finding, evidence_dir, read_evidence
from mixedflows.errors import DataFileError, Strict, load_model, loadable
from mixedflows.results import Feedback, GradeResult

if TYPE_CHECKING:
    from mixedflows.exercises import ModelExercise

SEED = para(22)
FINDINGS_FILE = "public_discourse_findings.csv"


def findings() -> dict[str, Finding]:
    """The evidence on messages about migrants, each finding with its source and limits."""
    rows = read_evidence(FINDINGS_FILE, ("finding", "study", "kind", "limits"))
    return {
        r.id: Finding(r.id, r.finding, r.study, r.kind, r.source, r.verification, r.limits)
        for r in rows
    }


def messages_dir() -> Path:
    from mixedflows.paths import datasets_dir

    return datasets_dir() / "messages"


def load_message_brief(path_or_id: Path | str) -> CampaignBrief:
    """Load a message brief; every field, option and finding a criterion names must exist."""
    p, brief = load_model(path_or_id, messages_dir(), CampaignBrief)
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


def assess(brief: CampaignBrief, design: Mapping[str, set[str]]) -> list[CriterionResult]:
    """Each criterion's credit for a message (coerced by ``coerce_design``)."""
    return assess_with(brief, design, findings())


def best_message(brief: CampaignBrief) -> dict[str, Any]:
    """The message the criteria rate highest, derived from them (never typed): each criterion
    reads one field, so the best choice is found field by field (every option of a single
    field; every subset of a multiple one, smallest first). The tests check it scores 1."""
    from itertools import combinations

    out: dict[str, Any] = {}
    for f in brief.fields:
        on_field = [c for c in brief.criteria if c.rule.field == f.id]
        if not on_field:
            continue
        ids = f.ids()
        if f.multiple:
            candidates = [set(x) for k in range(len(ids) + 1) for x in combinations(ids, k)]
        else:
            candidates = [{o} for o in ids]

        def value(chosen: set[str], on_field: list[Criterion] = on_field) -> float:
            return sum(c.weight * c.rule.credit_for(chosen) for c in on_field)

        best = max(candidates, key=value)  # max keeps the first (smallest) best
        out[f.id] = [o for o in ids if o in best] if f.multiple else next(iter(best))
    return out


def _message(r: CriterionResult) -> str:
    c = r.criterion
    head = c.met if r.credit >= 0.999 else c.not_met
    if 0 < r.credit < 0.999:
        head = f"Partly ({r.credit:.0%}). {c.not_met}"
    if not r.answered:
        head = f"Not answered. {c.not_met}"
    if r.weakness:
        head = f"Weakness ({c.weakness_name().lower()}): {head}"
    evidence = " ".join(f"Evidence: {f.finding}" for f in r.findings)
    return f"{head} {evidence}"


class MessageParams(Strict):
    """``params`` of a "postarrival.message" exercise."""

    brief: Annotated[str, loadable(load_message_brief, "message brief")]


def grade_message(exercise: ModelExercise, answer: Any) -> GradeResult:
    """One item per criterion, weighted; weaknesses named; every finding quoted with its source,
    verification and limits; the brief's note on the strength of the evidence in the summary."""
    brief = load_message_brief(exercise.params.brief)
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
