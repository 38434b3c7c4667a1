"""Module 8 exercises graded by running the model: "regularization.programme" (design a
programme that meets objectives) and "regularization.predict" (predict, then see).

Nothing here holds an answer. A design is graded by running :func:`.model.run` on the
learner's reform and checking each objective of the exercise file; a prediction is graded
against the direction in which the model moves. :func:`suggest_design` finds, by running the
model too, one design that meets every objective (for the debrief, and to prove in a test
that the exercise can be solved).
"""

from __future__ import annotations

import itertools
import math
from collections.abc import Collection, Mapping
from typing import TYPE_CHECKING, Annotated, Any

from pydantic import AfterValidator, Field, model_validator

from mixedflows import coursefiles
from mixedflows.citations import Citation, para
from mixedflows.course import SeedParagraphs
from mixedflows.coursefiles import check_weights
from mixedflows.errors import Strict, loadable
from mixedflows.regularization.levers import ReformError, load_levers, validate_reform
from mixedflows.regularization.model import (
    CASES_PER_STAFF_MONTH,
    OUTCOME_INFO,
    Outcomes,
    run,
)
from mixedflows.regularization.programme import SECTOR_LABELS, SECTOR_LEVERS, load_programme
from mixedflows.results import AnswerError, Feedback, GradeResult

if TYPE_CHECKING:
    from mixedflows.exercises import ModelExercise

SEED = para(23)
DESIGN_CITATION = Citation(
    framework="Policy-lab model of module 8 (teaching assumptions); REGINE (ICMPD 2009) on "
    "programme design",
    seed=SEED,
)
REFLECTION_ID = "m8_reflection"
REFLECTION_TITLE = "Module 8: reflection on the programme you designed"
"""What the facilitator's dashboard and exports call the reflection (no exercise file)."""
REFLECTION_PROMPT = (
    "MC/INF/294 ¶23 calls regularization controversial yet useful for integration, for "
    "recognising migrants' contribution and for preventing exploitation. Looking at the "
    "programme you designed: which trade-off did you accept, who gains and who is left out, "
    "and what would you tell a minister who fears a 'pull' effect? (A few sentences.)"
)
REFLECTION_NOTE = (
    "Not auto-graded: your answer is recorded for the facilitator, who discusses it in the "
    "debrief. There is no right answer the machine could check."
)


# Measures an objective may name, beyond the fixed outcomes: a sector's coverage, and the ratio
# of fee revenue to processing cost.
EXTRA_MEASURES = {
    **{
        f"coverage_{s}": f"Share of workers in {SECTOR_LABELS[s].lower()} regularised"
        for s in SECTOR_LEVERS
    },
    "fee_cost_ratio": "Fee revenue as a share of processing cost",
    "approval_rate": "Approvals as a share of applications",
}


def measure_label(key: str) -> str:
    return OUTCOME_INFO[key].label if key in OUTCOME_INFO else EXTRA_MEASURES[key]


def measure_value(out: Outcomes, key: str) -> float:
    if key == "fee_cost_ratio":
        return out.fee_revenue / out.processing_cost if out.processing_cost else math.inf
    return out.value(key)


class Objective(coursefiles.Objective):
    """One objective: a measure of the outcome at least or at most a target (the measure one of
    the model's outcomes or :data:`EXTRA_MEASURES`, checked when the exercise is loaded)."""

    @classmethod
    def known_measures(cls) -> Collection[str]:
        return {*OUTCOME_INFO, *EXTRA_MEASURES}


def _levers(keys: tuple[str, ...]) -> tuple[str, ...]:
    levers = load_levers()
    for key in keys:
        if key not in levers:
            raise ValueError(f"'{key}' is not a lever")
    return keys


def _valid_reform(reform: dict[str, Any]) -> dict[str, Any]:
    try:
        validate_reform(reform)
    except ReformError as e:
        raise ValueError(str(e)) from None
    return reform


def _measure(measure: str) -> str:
    if measure not in OUTCOME_INFO and measure not in EXTRA_MEASURES:
        raise ValueError(f"unknown measure '{measure}'")
    return measure


ProgrammeId = Annotated[str, loadable(load_programme, "programme")]
"""A programme in datasets/regularization/programmes/ (checked when the exercise is loaded)."""


class DesignParams(Strict):
    """``params`` of a "regularization.programme" exercise."""

    programme: ProgrammeId
    objectives: Annotated[tuple[Objective, ...], Field(min_length=1)]
    locked: Annotated[tuple[str, ...], AfterValidator(_levers)] = ()
    """Levers the learner may not change (the exercise's scope)."""

    @model_validator(mode="after")
    def _weights(self) -> DesignParams:
        check_weights(o.weight for o in self.objectives)
        return self


class PredictItem(Strict):
    id: Annotated[str, Field(pattern=r"^[a-z0-9_]+$")]
    question: str
    reform: Annotated[dict[str, Any], AfterValidator(_valid_reform)]
    measure: Annotated[str, AfterValidator(_measure)]
    why: str
    """The mechanism, for the feedback (the direction itself comes from the model)."""
    source: str = ""
    seed_paragraphs: SeedParagraphs = (23,)
    """The seed paragraph(s) the item rests on, cited in its feedback (default ¶23, on
    regularization, which the model is about; module 9's labour-mobility items rest on ¶26)."""


class PredictParams(Strict):
    """``params`` of a "regularization.predict" exercise."""

    programme: ProgrammeId
    items: Annotated[tuple[PredictItem, ...], Field(min_length=1)]
    same_within: Annotated[float, Field(ge=0, lt=1)] = 0.01
    """A relative change smaller than this counts as "about the same"."""


def _reform(answer: Any, locked: tuple[str, ...] = ()) -> dict[str, Any]:
    if not isinstance(answer, Mapping):
        raise AnswerError(f"a design maps lever names to values, got {type(answer).__name__}")
    try:
        reform = validate_reform(answer, where="your design")
    except ReformError as e:
        raise AnswerError(str(e)) from None
    touched = [k for k in locked if k in reform]
    if touched:
        raise AnswerError(f"this exercise keeps {', '.join(touched)} as the programme has it")
    return reform


# --- Feedback on a failed objective: why, from the model's own figures --------------------------


def _why(obj: Objective, out: Outcomes) -> str:
    lv = out.levers
    m = obj.measure
    if m.startswith("coverage_"):
        s = out.sector(m.removeprefix("coverage_"))
        if not lv[SECTOR_LEVERS[s.sector]]:
            return "The sector is not covered by your programme."
        elig = s.eligible / s.irregular if s.irregular else 0.0
        take = s.applications / s.eligible if s.eligible else 0.0
        parts = [f"only {elig:.0%} of these workers are eligible"]
        if lv["contract_months"] > 0:
            parts.append(
                f"the {lv['contract_months']}-month contract requirement depends on an "
                "employer willing to sign"
            )
        if lv["residence_years"] > 0:
            parts.append(f"{lv['residence_years']:g} years of residence are required")
        if lv["family_ties_required"]:
            parts.append("family ties are required")
        parts.append(
            f"applications reach {take:.0%} of the eligible (fee {out.currency} "
            f"{lv['fee']:,.0f}, window {lv['window_months']:g} months)"
        )
        return "; ".join(parts) + "."
    if m in ("months_to_clear", "backlog_at_close", "mean_decision_months"):
        per = CASES_PER_STAFF_MONTH[lv["assessment"]]
        months = obj.target if m == "months_to_clear" else 0.0
        need = math.ceil(out.applications / (per * (lv["window_months"] + months)))
        return (
            f"{out.applications:,.0f} applications, {lv['staff']:,} staff deciding about "
            f"{per:.0f} cases a month each ({lv['assessment']} assessment): about "
            f"{need:,} staff would be needed, or fewer applications, or a faster procedure."
        )
    if m == "fee_cost_ratio":
        per_app = out.processing_cost / out.applications if out.applications else 0.0
        return (
            f"fees bring {out.currency} {out.fee_revenue:,.0f} and processing costs "
            f"{out.currency} {out.processing_cost:,.0f}: at this staffing a fee of about "
            f"{out.currency} {per_app:,.0f} per application would cover it, but a higher fee "
            "also deters applicants."
        )
    return f"{measure_label(m)} is {measure_value(out, m):,.3g}."


def _is_share(key: str) -> bool:
    return (
        key.startswith("coverage_")
        or key == "approval_rate"
        or (key in OUTCOME_INFO and OUTCOME_INFO[key].unit == "share")
    )


def _fmt(key: str, v: float) -> str:
    if _is_share(key):
        return f"{v:.0%}"
    if key == "fee_cost_ratio":
        return f"{v:.0%} of costs" if math.isfinite(v) else "no cost"
    if key in OUTCOME_INFO and OUTCOME_INFO[key].unit == "months":
        return f"{v:.1f} months"
    return f"{v:,.0f}"


def grade_design(exercise: ModelExercise, answer: Any) -> GradeResult:
    """Partial credit: the weight of each objective met by running the model on the design."""
    params: DesignParams = exercise.params
    reform = _reform(answer, params.locked)
    prog = load_programme(params.programme)
    out = run(prog, reform)
    items = []
    met_weight = 0.0
    failed = []
    for obj in params.objectives:
        v = measure_value(out, obj.measure)
        ok = obj.met(v)
        bound = "at least" if obj.at_least is not None else "at most"
        target = _fmt(obj.measure, obj.target)
        if ok:
            met_weight += obj.weight
            msg = f"Met: {measure_label(obj.measure)} is {_fmt(obj.measure, v)} ({bound} {target})."
        else:
            gap = abs(v - obj.target)
            by = (
                f"{gap * 100:.0f} percentage points"
                if _is_share(obj.measure) or obj.measure == "fee_cost_ratio"
                else _fmt(obj.measure, gap)
            )
            failed.append(obj.label)
            msg = (
                f"Not met: {measure_label(obj.measure)} is {_fmt(obj.measure, v)}, "
                f"{bound} {target} was asked (missed by {by}). Why: " + _why(obj, out)
            )
        items.append(Feedback(obj.label, 1.0 if ok else 0.0, msg, DESIGN_CITATION.text()))
    summary = (
        "Every objective met."
        if not failed
        else f"{len(params.objectives) - len(failed)} of {len(params.objectives)} objectives "
        f"met; not met: {', '.join(failed)}."
    )
    summary += f" Pull effect of your design: {out.pull.text()}, a contested range."
    details = {
        "outcomes": {
            k: measure_value(out, k)
            for k in [*OUTCOME_INFO, *(o.measure for o in params.objectives)]
        },
        "reform": reform,
    }
    return GradeResult(exercise.id, round(met_weight, 4), tuple(items), summary, details)


def grade_predict(exercise: ModelExercise, answer: Any) -> GradeResult:
    """One item per prediction ("up", "down" or "same"), graded on the model's direction."""
    params: PredictParams = exercise.params
    if not isinstance(answer, Mapping):
        raise AnswerError("give a mapping of question id to 'up', 'down' or 'same'")
    ids = [i.id for i in params.items]
    unknown = [k for k in answer if k not in ids]
    if unknown:
        raise AnswerError(f"not a question of this exercise: {', '.join(map(str, unknown))}")
    bad = {k: v for k, v in answer.items() if v not in ("up", "down", "same")}
    if bad:
        raise AnswerError(
            "each prediction is 'up', 'down' or 'same'; got "
            + ", ".join(f"{k}={v!r}" for k, v in bad.items())
        )
    base = run(params.programme)
    items = []
    for item in params.items:
        new = run(params.programme, item.reform)
        b, n = measure_value(base, item.measure), measure_value(new, item.measure)
        rel = (n - b) / abs(b) if b else (0.0 if n == b else math.copysign(1.0, n - b))
        truth = "same" if abs(rel) < params.same_within else ("up" if rel > 0 else "down")
        given = answer.get(item.id)
        ok = given == truth
        verb = {"up": "went up", "down": "went down", "same": "stayed about the same"}[truth]
        msg = (
            f"{'Right' if ok else ('No prediction' if given is None else 'Not quite')}: "
            f"in the model, {measure_label(item.measure).lower()} {verb}, from "
            f"{_fmt(item.measure, b)} to {_fmt(item.measure, n)}. {item.why}"
        )
        seed = para(*item.seed_paragraphs)
        cite = Citation(framework=item.source or DESIGN_CITATION.framework, seed=seed).text()
        items.append(Feedback(item.id, 1.0 if ok else 0.0, msg, cite))
    score = sum(f.credit for f in items) / len(items)
    return GradeResult(
        exercise.id,
        round(score, 4),
        tuple(items),
        f"{sum(f.correct for f in items)} of {len(items)} predictions right.",
    )


def suggest_design(exercise: ModelExercise) -> dict[str, Any] | None:
    """A design meeting every objective, found by running the model over a small grid of the
    levers that matter most (None if the grid holds none). Derived, never typed in."""
    params: DesignParams = exercise.params
    prog = load_programme(params.programme)
    grid = {
        "contract_months": [0, 3, prog.levers["contract_months"]],
        "residence_years": [0, prog.levers["residence_years"]],
        "window_months": [prog.levers["window_months"], 4, 6],
        "fee": [100, 200, 300, prog.levers["fee"]],
        "assessment": ["blanket", "individual"],
    }
    grid = {k: v for k, v in grid.items() if k not in params.locked}
    best = None
    for combo in itertools.product(*grid.values()):
        reform = dict(zip(grid, combo, strict=True))
        out = run(prog, reform)
        per = CASES_PER_STAFF_MONTH[reform.get("assessment", prog.levers["assessment"])]
        months = (
            next((o.at_most for o in params.objectives if o.measure == "months_to_clear"), 0.0)
            or 0.0
        )
        window = reform.get("window_months", prog.levers["window_months"])
        reform["staff"] = max(1, math.ceil(out.applications / (per * (window + months))))
        if "staff" in params.locked:
            reform.pop("staff")
        out = run(prog, reform)
        if all(o.met(measure_value(out, o.measure)) for o in params.objectives):
            cost = out.processing_cost
            if best is None or cost < best[0]:
                best = (cost, reform)
    return None if best is None else best[1]
