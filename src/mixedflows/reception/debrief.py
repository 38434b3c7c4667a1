"""The module 4 debrief: plans built by simple rules of thumb, each graded by running the season.

Nothing here is a stored answer. Each plan is derived from the season (its arrivals and the
course's service times) by a rule a planner could state in a sentence, and each is graded by
the same grader as the learner's plan. The comparison shows what the rules buy and what they
cost: sizing staff for an average day fails in a surge (MC/INF/294 ¶16); sizing for busy days
meets more objectives and costs more; sizing for the largest landing protects children and costs
more still. A learner who meets every objective within the budget has found a better plan than
any of these rules.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np
import pandas as pd

from mixedflows.exercises import ModelExercise, load_exercise
from mixedflows.reception.arrivals import draw_arrivals
from mixedflows.reception.grader import StaffingParams, evaluate, plan_cost, weights
from mixedflows.reception.inputs import ROLES, Plan, day_night
from mixedflows.reception.model import resolved

USE = 0.85
"""Rules of thumb keep staff busy this share of their time on the day they are sized for."""


@dataclass(frozen=True)
class Strategy:
    name: str
    rule: str
    plan: Plan


@dataclass(frozen=True)
class Workload:
    """What a season asks of the centre, from its first seed."""

    hours: dict[str, float]
    """Staff-hours a day by role on an average day."""
    mean_day: float
    """People landing on an average day."""
    busy_day: float
    """People landing on a busy day (the 90th percentile of days)."""
    largest_landing: dict[str, float]
    """Staff-hours by role to see everyone of the largest landing."""


def workload(params: StaffingParams) -> Workload:
    rs = resolved(params.season)
    arr = draw_arrivals(rs, params.config(), np.random.default_rng(params.seeds[0]))
    per_day = np.bincount((arr.land // 24).astype(int), minlength=rs.days)[: rs.days]

    def hours(sel: np.ndarray) -> dict[str, float]:
        kids = arr.child_route & sel
        return {
            "medical": arr.medical_time[sel].sum(),
            "screening": arr.interview_time[sel & ~kids].sum(),
            "child_protection": arr.interview_time[kids].sum(),
            "mediation": arr.interview_time[sel & arr.interpreter].sum(),
        }

    everyone = np.ones(len(arr), dtype=bool)
    biggest = arr.boat == np.bincount(arr.boat).argmax()
    return Workload(
        {r: h / rs.days for r, h in hours(everyone).items()},
        float(per_day.mean()),
        float(np.quantile(per_day, 0.9)),
        hours(biggest),
    )


def _staff(hours: float, day_share: float) -> tuple[int, int]:
    shifts = hours / USE / 12  # 12-hour shifts a day
    return max(1, math.ceil(day_share * shifts)), max(1, math.ceil((1 - day_share) * shifts))


def strategies(params: StaffingParams) -> list[Strategy]:
    """The rules of thumb compared in the debrief, each turned into a plan for this season."""
    wl = workload(params)
    start = params.starting_plan
    hour = start.transfer_hour
    avg = {r: _staff(wl.hours[r], 0.6) for r in ROLES}
    scale = wl.busy_day / wl.mean_day
    busy = {r: _staff(wl.hours[r] * scale, 0.5) for r in ROLES}
    # Children and their medical check: enough staff, by day and by night, to see everyone of
    # the largest landing within 8 hours; the rest of the 24-hour limit goes in waiting.
    peak = dict(busy)
    for r in ("medical", "child_protection"):
        n = math.ceil(wl.largest_landing[r] / 8 / USE)
        peak[r] = (max(n, busy[r][0]), max(math.ceil(0.7 * n), busy[r][1]))
    seats = int(math.ceil(1.35 * wl.mean_day / 10) * 10)
    beds = int(math.ceil(3 * wl.mean_day / 50) * 50)
    mean_day, busy_day = wl.mean_day, wl.busy_day

    def plan(staff: dict[str, tuple[int, int]], **kw) -> Plan:
        return Plan(staff={r: day_night(*staff[r]) for r in ROLES}, transfer_hour=hour, **kw)

    return [
        Strategy("The starting plan", "The centre as the exercise starts it.", start),
        Strategy(
            "Staffed for an average day",
            "Staff for the work of an average day (busy 85% of the time), 60% of it by "
            "day; transfers for 1.35 times the average day's arrivals; the beds it was "
            "built for.",
            plan(avg, beds=start.beds, transfers_per_day=seats),
        ),
        Strategy(
            "Staffed for a busy day",
            f"Staff for a busy day ({busy_day:.0f} arrivals, the 90th percentile of "
            f"days, against {mean_day:.0f} on average), as many by night as by day; "
            "transfers as above; beds for three days of average arrivals.",
            plan(busy, beds=beds, transfers_per_day=seats),
        ),
        Strategy(
            "Busy day, and the largest landing",
            "As for a busy day, with medical and child-protection staff enough to see "
            "everyone of the season's largest landing within 8 hours (70% of them by "
            "night).",
            plan(peak, beds=beds, transfers_per_day=seats),
        ),
    ]


def compare(exercise: ModelExercise | str = "m4_staff_the_centre") -> pd.DataFrame:
    """Each rule of thumb, its plan's cost, and what the grader measured for it."""
    ex = load_exercise(exercise) if isinstance(exercise, str) else exercise
    params: StaffingParams = ex.params
    w = weights(params)
    rows = []
    for s in strategies(params):
        items, _ = evaluate(params, s.plan)
        row = {
            "strategy": s.name,
            "rule": s.rule,
            "cost (points a day)": round(plan_cost(s.plan, params.costs), 1),
        }
        for f in items:
            row[f.item] = "met" if f.correct else "not met"
        row["score"] = f"{sum(wi * f.credit for wi, f in zip(w, items, strict=True)) / sum(w):.0%}"
        rows.append(row)
    return pd.DataFrame(rows)


def assumptions() -> pd.DataFrame:
    """The service times the simulation assumes (teaching assumptions, not measured)."""
    from mixedflows.reception.inputs import ROLE_LABELS, Config

    st = Config().service
    rows = [
        ("First medical check (triage)", "medical", st.medical_check),
        ("Urgent medical care at landing", "medical", st.urgent_care),
        ("Screening and counselling interview", "screening", st.screening_interview),
        ("Child-protection interview", "child_protection", st.child_interview),
    ]
    return pd.DataFrame(
        [
            {
                "step": step,
                "by": ROLE_LABELS[role],
                "mean (minutes)": round(d.mean * 60),
                "variation (cv)": d.cv,
                "distribution": d.kind,
                "status": "teaching assumption",
            }
            for step, role, d in rows
        ]
    )


@dataclass(frozen=True)
class Debrief:
    """The rules of thumb compared (the table) and what the comparison shows, in sentences
    read from that table: a plan's result named in the debrief is the result measured."""

    table: pd.DataFrame
    lessons: tuple[tuple[str, str], ...]
    """(headline, sentences) per lesson."""

    def markdown(self) -> str:
        return "\n".join(f"- **{h}** {t}" for h, t in self.lessons)

    def _repr_html_(self) -> str:
        from mixedflows.templating import Markup, macro

        table = Markup(self.table.to_html(index=False))  # pandas' own HTML, escaped by pandas
        return macro("notebook.html.j2", "reception_debrief", table, self.lessons)


def _objectives(table: pd.DataFrame) -> list[str]:
    cols = list(table.columns)
    return cols[cols.index("cost (points a day)") + 1 : cols.index("score")]


def lessons(table: pd.DataFrame, budget: float) -> tuple[tuple[str, str], ...]:
    """What the comparison table shows, each statement read from its rows. The strategies are
    those of :func:`strategies`, in order; the last objective is the budget (the grader's)."""
    from mixedflows.text import joined

    objectives = _objectives(table)
    service, budget_col = objectives[:-1], objectives[-1]
    rows = {r["strategy"]: r for r in table.to_dict("records")}
    names = list(rows)
    avg, busy, peak = rows[names[1]], rows[names[2]], rows[names[3]]

    def met(r: dict, cols: list[str]) -> list[str]:
        return [f"“{c}”" for c in cols if r[c] == "met"]

    def failed(r: dict, cols: list[str]) -> list[str]:
        return [f"“{c}”" for c in cols if r[c] != "met"]

    out = []
    fails = failed(avg, objectives)
    out.append(
        (
            "Averages fail in a surge (¶16).",
            f"The plan sized for the average day ({avg['cost (points a day)']:g} points a day) "
            + (
                f"failed {joined(fails)}"
                + (f", and met only {joined(met(avg, objectives))}" if met(avg, objectives) else "")
                + ": the backlog of a busy day is still there the next morning, and the next "
                "boat adds to it."
                if fails
                else "met every objective in this season: is the season a surge?"
            ),
        )
    )
    child = service[0]
    out.append(
        (
            "Children are protected by peaks, not averages.",
            f"Sized for a busy day, the plan {'met' if busy[child] == 'met' else 'failed'} "
            f"“{child}”"
            + (
                f" though it met {joined(met(busy, service[1:]))}"
                if busy[child] != "met" and met(busy, service[1:])
                else ""
            )
            + f"; with staff for the season's largest landing as well, it "
            f"{'met' if peak[child] == 'met' else 'failed'} it. Child-protection staff, "
            "mediators and the medical check before them must be there when the largest boats "
            "come, by night as well as by day.",
        )
    )
    all_service = [r for r in rows.values() if not failed(r, service)]
    if all_service:
        costs = joined(
            f"“{r['strategy']}” ({r['cost (points a day)']:g} points a day)" for r in all_service
        )
        within = [r for r in all_service if r[budget_col] == "met"]
        out.append(
            (
                "Budget.",
                f"The rules that met every service objective, {costs}, "
                + (
                    f"cost more than the budget of {budget:g} points a day."
                    if not within
                    else f"include {joined('“' + r['strategy'] + '”' for r in within)} within the "
                    f"budget of {budget:g} points a day."
                )
                + " Did you find a plan that meets them all within it? What did you give up "
                "first, and who bore the cost of that choice?",
            )
        )
    else:
        out.append(
            (
                "Budget.",
                f"None of these rules met every service objective; the budget is {budget:g} "
                "points a day. Did you find a plan that meets them all within it? What did you "
                "give up first, and who bore the cost of that choice?",
            )
        )
    return tuple(out)


def debrief(exercise: ModelExercise | str = "m4_staff_the_centre") -> Debrief:
    """The comparison of the rules of thumb, and the lessons read from it."""
    ex = load_exercise(exercise) if isinstance(exercise, str) else exercise
    table = compare(ex)
    return Debrief(table, lessons(table, ex.params.objectives.budget.points_per_day))
