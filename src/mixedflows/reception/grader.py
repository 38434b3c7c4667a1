"""The module 4 exercise graded by simulation: "reception.staffing".

The learner's answer is a :class:`~.inputs.Plan` (staff by role with shifts, beds, transfers a
day). The grader runs the season the exercise names with that plan over several seeds (the same
seeds for every learner, so that two learners with one plan get one grade) and checks each
objective of the exercise file. Partial credit is the weight of each objective met; the feedback
names every objective, says by how much a failed one was missed, and gives the interval across
runs, since arrivals and service times are drawn by chance.

Nothing here is typed in as an answer: the objectives are targets, and whether a plan meets them
is measured by running the engine. :func:`mixedflows.reception.suggest.suggest_plan` finds, by
running the engine too, one plan that meets them (for the debrief).
"""

from __future__ import annotations

import math
from typing import TYPE_CHECKING, Annotated, Any

from pydantic import Field, ValidationError

from mixedflows.citations import Citation, para
from mixedflows.errors import Strict, from_validation, loadable
from mixedflows.reception.inputs import (
    CAPACITY_CITATION,
    CHILD_CITATION,
    ROLES,
    Config,
    Limits,
    Plan,
    get_season,
)
from mixedflows.results import AnswerError, Feedback, GradeResult

if TYPE_CHECKING:
    from mixedflows.exercises import ModelExercise
    from mixedflows.reception.outputs import Replicated


class Costs(Strict):
    """What a plan costs per day, in budget points. Illustrative teaching values."""

    staff_shift: Annotated[float, Field(ge=0)] = 1.0
    """One staff member on duty for 12 hours."""
    bed: Annotated[float, Field(ge=0)] = 0.02
    """One bed for one day."""
    transfer_seat: Annotated[float, Field(ge=0)] = 0.02
    """One seat out of the centre (ferry, flight or bus), per day."""


class Objective(Strict):
    weight: Annotated[float, Field(gt=0, le=1)]


class ChildObjective(Objective):
    """No unaccompanied child waits longer than ``max_wait_hours`` for a child-protection
    interview, in at least ``min_share_of_seasons`` of the simulated seasons."""

    max_wait_hours: Annotated[float, Field(gt=0)] = 24.0
    min_share_of_seasons: Annotated[float, Field(gt=0, le=1)] = 1.0


class ScreeningObjective(Objective):
    """Everyone else starts a screening interview within ``max_wait_hours`` of landing, in at
    least ``min_share_of_seasons`` of the simulated seasons."""

    max_wait_hours: Annotated[float, Field(gt=0)] = 72.0
    min_share_of_seasons: Annotated[float, Field(gt=0, le=1)] = 1.0


class OccupancyObjective(Objective):
    """People in the centre stay within its beds on all but ``max_share_days_over`` of the
    season's days (on average over the runs)."""

    max_share_days_over: Annotated[float, Field(ge=0, le=1)] = 0.2


class BudgetObjective(Objective):
    """The plan costs at most ``points_per_day``."""

    points_per_day: Annotated[float, Field(gt=0)]


class Objectives(Strict):
    children: ChildObjective
    screening: ScreeningObjective | None = None
    occupancy: OccupancyObjective
    budget: BudgetObjective


class StaffingParams(Strict):
    """The ``params`` of a ``reception.staffing`` exercise."""

    season: Annotated[str, loadable(get_season, "season")]
    """A season id (datasets/reception/ or a scenario with arrivals)."""
    seeds: Annotated[tuple[int, ...], Field(min_length=1, max_length=50)] = (1, 2, 3, 4, 5)
    costs: Costs = Costs()
    objectives: Objectives
    starting_plan: Plan = Plan()
    """The plan the app starts from (a learner changes it)."""

    def config(self) -> Config:
        o = self.objectives
        limits = Limits(
            child_interview_hours=o.children.max_wait_hours,
            screening_hours=o.screening.max_wait_hours if o.screening else 72.0,
        )
        return Config(limits=limits)


BUDGET_CITATION = Citation(
    framework="Praesidium project: designed for 20,000 arrivals a year, 50,000 by August 2011 "
    "(IOM MICIC initiative, good-practice page on the Praesidium project)",
    seed=para(16),
    caveat="costs in budget points are illustrative, not real prices",
)
SCREENING_CITATION = Citation(
    framework="UNHCR 10-Point Plan (2007), point 5 (mechanisms for profiling and referral)",
    seed=para(17),
    caveat="the 72-hour limit is a course target, not a rule of the Plan",
)


def plan_cost(plan: Plan, costs: Costs) -> float:
    """Budget points per day: staff shifts (12 staff-hours each), beds, transfer seats."""
    staff_hours = sum(plan.staff_hours_per_day(r) for r in ROLES)
    return (
        costs.staff_shift * staff_hours / 12
        + costs.bed * plan.beds
        + costs.transfer_seat * plan.transfers_per_day
    )


def coerce_plan(answer: Any) -> Plan:
    """A Plan from an answer (a Plan, or its JSON form); AnswerError names what is wrong."""
    if isinstance(answer, Plan):
        return answer
    if not isinstance(answer, dict):
        raise AnswerError(
            f"the answer must be a plan (staff, beds, transfers), got {type(answer).__name__}"
        )
    try:
        return Plan.model_validate(answer)
    except ValidationError as e:
        err = from_validation("plan", e)
        raise AnswerError(f"plan field '{err.field}': {err.detail}") from None


def measure(params: StaffingParams, plan: Plan, keep: bool = False) -> Replicated:
    """Run the exercise's season under ``plan`` once per seed (the simulation loads here)."""
    from mixedflows.reception.simulation import replicate

    return replicate(params.season, plan, params.config(), seeds=params.seeds, keep=keep)


def evaluate(
    params: StaffingParams, plan: Plan, reps: Replicated | None = None
) -> tuple[list[Feedback], dict[str, Any]]:
    """One Feedback per objective and the measured figures (``reps``: runs already made)."""
    reps = reps if reps is not None else measure(params, plan)
    o = params.objectives
    runs = len(params.seeds)
    items: list[Feedback] = []
    details: dict[str, Any] = {"runs": runs}

    oc = o.children
    waits = reps.runs["child_max_wait"]
    good = int((waits <= oc.max_wait_hours).sum())
    need = _seasons_needed(oc.min_share_of_seasons, runs)
    worst = float(waits.max())
    ok = good >= need
    details["child_max_wait"] = worst
    details["child_good_seasons"] = good
    rule = _rule(need, runs)
    if ok:
        msg = (
            f"Met: no unaccompanied child waited more than {oc.max_wait_hours:g} h for a "
            f"child-protection interview in {good} of {runs} seasons ({rule}). Longest "
            f"wait per season: {reps.interval('child_max_wait').text()} h."
        )
    else:
        msg = (
            f"Not met: no child waited more than {oc.max_wait_hours:g} h in only {good} of "
            f"{runs} seasons ({rule}): {need - good} season(s) short. The longest wait was "
            f"{worst:.1f} h, {worst - oc.max_wait_hours:.1f} h over the limit; children "
            f"waiting too long per season: {reps.interval('children_late').text(',.0f')}. "
            "Staff on duty when children land (child protection, mediators, the medical "
            "check before) shorten this wait; so does the order of priority."
        )
    items.append(Feedback("Children seen within the limit", float(ok), msg, CHILD_CITATION.text()))

    if o.screening is not None:
        osc = o.screening
        adults_late = reps.runs["screened_late"] - reps.runs["children_late"]
        good = int((adults_late == 0).sum())
        need = _seasons_needed(osc.min_share_of_seasons, runs)
        ok = good >= need
        details["screened_late"] = int(adults_late.max())
        rule = _rule(need, runs)
        if ok:
            msg = (
                f"Met: everyone else started a screening interview within "
                f"{osc.max_wait_hours:g} h of landing in {good} of {runs} seasons ({rule})."
            )
        else:
            msg = (
                f"Not met: everyone was interviewed within {osc.max_wait_hours:g} h in only "
                f"{good} of {runs} seasons ({rule}): {need - good} season(s) short. In the "
                f"worst season {int(adults_late.max()):,} people waited longer (mean wait "
                f"from landing {reps.interval('mean_interview_wait').text()} h). Screening "
                "staff and mediators set this pace, by night as well as by day."
            )
        items.append(
            Feedback(
                "Everyone screened within the limit", float(ok), msg, SCREENING_CITATION.text()
            )
        )

    share = reps.interval("share_days_over")
    days = reps.interval("days_over_capacity")
    target = o.occupancy.max_share_days_over
    ok = share.mean <= target
    details["share_days_over"] = share.mean
    if ok:
        msg = (
            f"Met: the centre held more people than its {plan.beds} beds on "
            f"{share.mean:.0%} of the season's days (target: at most {target:.0%}; "
            f"days over per run {days.text(',.0f')})."
        )
    else:
        msg = (
            f"Not met: the centre held more people than its {plan.beds} beds on "
            f"{share.mean:.0%} of the season's days, {share.mean - target:.0%} more than "
            f"the {target:.0%} allowed (days over per run {days.text(',.0f')}; peak "
            f"{reps.interval('peak_occupancy').text(',.0f')} people). More transfers a day, "
            "faster screening (people leave once referred) or more beds all help."
        )
    items.append(Feedback("Occupancy within capacity", float(ok), msg, CAPACITY_CITATION.text()))

    cost = plan_cost(plan, params.costs)
    budget = o.budget.points_per_day
    ok = cost <= budget + 1e-9
    details["cost"] = cost
    if ok:
        msg = f"Met: the plan costs {cost:.1f} points a day, within the budget of {budget:g}."
    else:
        msg = (
            f"Not met: the plan costs {cost:.1f} points a day, {cost - budget:.1f} over the "
            f"budget of {budget:g}."
        )
    items.append(Feedback("Within budget", float(ok), msg, BUDGET_CITATION.text()))
    return items, details


def _seasons_needed(share: float, runs: int) -> int:
    return max(1, math.ceil(share * runs - 1e-9))


def _rule(need: int, runs: int) -> str:
    return "needed in every season" if need == runs else f"needed in at least {need}"


def weights(params: StaffingParams) -> list[float]:
    o = params.objectives
    w = [o.children.weight]
    if o.screening is not None:
        w.append(o.screening.weight)
    return [*w, o.occupancy.weight, o.budget.weight]


def grade_staffing(exercise: ModelExercise, answer: Any) -> GradeResult:
    """Grade a staffing plan by running the season; partial credit per objective met."""
    params: StaffingParams = exercise.params
    plan = coerce_plan(answer)
    items, details = evaluate(params, plan)
    w = weights(params)
    score = sum(wi * f.credit for wi, f in zip(w, items, strict=True)) / sum(w)
    met = sum(f.correct for f in items)
    weighted = tuple(
        Feedback(f.item, f.credit, f"{f.message} (weight {wi / sum(w):.0%})", f.citation)
        for wi, f in zip(w, items, strict=True)
    )
    return GradeResult(
        exercise.id,
        round(score, 4),
        weighted,
        f"{met} of {len(items)} objectives met over {details['runs']} runs.",
        details,
    )
