"""Stage 2, reception (:mod:`mixedflows.reception`, module 4): the learner staffs the centre;
the season is simulated with the arrivals of stage 1. → the share of people interviewed late."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import replace
from functools import lru_cache
from typing import Any

from mixedflows.capstone.stages.common import _dict, _need, _prefix
from mixedflows.capstone.stages.screening import screening_sample
from mixedflows.capstone.state import (
    RECEPTION_LIMITS,
    RECEPTION_ROLES,
    RECEPTION_WEIGHTS,
    ReceptionOutcome,
    Season,
    StageRecord,
    _people,
    _resolved,
)
from mixedflows.results import AnswerError, Feedback, GradeResult


def reception_situation(season: Season) -> tuple[str, ...]:
    assert season.rescue is not None
    spec = season.spec.reception
    rs = _resolved(spec.season)
    people = rs.expected_people * season.rescue.arrivals_factor
    return (
        f"About {_people(people)} are expected at your centre in {rs.days} days (about "
        f"{people / rs.days:,.0f} a day), after your disembarkation rule at stage 1.",
        f"The centre was built for {rs.capacity:,} people. {spec.borrowed.strip()}",
        f"Staff the day shift of each role ({spec.staff_hours} hours; {spec.night_medical} "
        f"medical staff at night), the beds and the transfers out each day, within "
        f"{spec.budget_points:g} budget points a day.",
    )


def reception_plan(season: Season, answer: Mapping[str, Any]) -> Any:
    """The reception Plan of the learner's answer (day staff per role, beds, transfers)."""
    from mixedflows.reception import Plan, Shift

    spec = season.spec.reception
    values = {}
    for key, (lo, hi) in RECEPTION_LIMITS.items():
        v = answer.get(key)
        if isinstance(v, bool) or not isinstance(v, int | float) or float(v) != int(v):
            raise AnswerError(f"reception: {key}: give a whole number, got {v!r}")
        if not lo <= int(v) <= hi:
            raise AnswerError(f"reception: {key}: {int(v)} is outside {lo} to {hi}")
        values[key] = int(v)
    unknown = set(answer) - set(RECEPTION_LIMITS)
    if unknown:
        raise AnswerError(f"reception: unknown key(s): {', '.join(sorted(map(str, unknown)))}")
    h = spec.staff_hours

    def shifts(day: int, night: int = 0) -> tuple[Any, ...]:
        out = [Shift(start=8, hours=h, staff=day)]
        if night:
            out.append(Shift(start=(8 + h) % 24, hours=24 - h, staff=night))
        return tuple(out)

    return Plan(
        staff={
            "medical": shifts(values["medical"], spec.night_medical),
            "screening": shifts(values["screening"]),
            "child_protection": shifts(values["child_protection"]),
            "mediation": shifts(values["mediation"]),
        },
        beds=values["beds"],
        transfers_per_day=values["transfers_per_day"],
    )


def run_reception(season: Season, plan: Any) -> Any:
    """The season simulated at the learner's centre, with the arrivals stage 1 sent there.

    The same season, arrivals, plan and seed give the same result, so a plan already run (the
    learner pressed Continue, then submits) is not simulated again in this process."""
    assert season.rescue is not None
    spec = season.spec.reception
    return _simulate(spec.season, season.rescue.arrivals_factor, plan.model_dump_json(), spec.seed)


@lru_cache(maxsize=8)
def _arrivals(season_id: str, factor: float, seed: int) -> tuple[Any, Any]:
    """The season scaled by stage 1's share, and its arrivals: they depend on the season, the
    share and the seed, never on the plan (:func:`mixedflows.reception.simulate`), so every
    plan a learner tries meets the same people and they are drawn once per process."""
    import numpy as np

    from mixedflows.reception.arrivals import draw_arrivals
    from mixedflows.reception.inputs import Config

    rs = _resolved(season_id)
    scaled = rs.model_copy(
        update={"periods": tuple((lo, hi, p * factor, n * factor) for lo, hi, p, n in rs.periods)}
    )
    return scaled, draw_arrivals(scaled, Config(), np.random.default_rng(seed))


@lru_cache(maxsize=32)
def _simulate(season_id: str, factor: float, plan_json: str, seed: int) -> Any:
    from mixedflows.reception import Plan, simulate

    scaled, arrivals = _arrivals(season_id, factor, seed)
    return simulate(scaled, Plan.model_validate_json(plan_json), seed=seed, arrivals=arrivals)


def play_reception(season: Season, answer: Any) -> Season:
    """Stage 2: staff the centre; the season is simulated with stage 1's arrivals."""
    from mixedflows.reception.grader import Costs, plan_cost
    from mixedflows.reception.inputs import CAPACITY_CITATION, CHILD_CITATION, PRIORITY_CITATION

    _need(season, "reception")
    a = _dict(answer, "reception")
    spec = season.spec.reception
    situation = reception_situation(season)
    plan = reception_plan(season, a)
    res = run_reception(season, plan)
    m = res.metrics
    lim = res.config.limits
    people = max(1.0, m["people"])
    late_share = m["screened_late"] / people
    cost = plan_cost(plan, Costs(**spec.costs))
    w = RECEPTION_WEIGHTS
    items = []
    ok_children = m["children_late"] == 0
    items.append(
        Feedback(
            "Unaccompanied children",
            float(ok_children),
            (
                f"All {m['children']:.0f} unaccompanied or separated children started a "
                f"child-protection interview within {lim.child_interview_hours:g} hours."
                if ok_children
                else f"{m['children_late']:.0f} of {m['children']:.0f} unaccompanied or separated "
                f"children waited longer than {lim.child_interview_hours:g} hours (the longest "
                f"{m['child_max_wait']:.0f} hours): a child's protection never waits."
            ),
            CHILD_CITATION.text(),
        )
    )
    ok_screen = late_share <= spec.max_late_share
    items.append(
        Feedback(
            "Screening on time",
            float(ok_screen),
            f"{m['screened_late']:,.0f} of {m['people']:,.0f} people ({late_share:.0%}) started "
            f"their interview later than {lim.screening_hours:g} hours after landing; the target "
            f"is at most {spec.max_late_share:.0%}. Those interviewed late are interviewed in a "
            "hurry at stage 3.",
            PRIORITY_CITATION.text(),
        )
    )
    ok_occ = m["share_days_over"] <= spec.max_share_days_over
    items.append(
        Feedback(
            "Beds",
            float(ok_occ),
            f"More people than beds on {m['days_over_capacity']:.0f} of {res.season.days} days "
            f"({m['share_days_over']:.0%}; target at most {spec.max_share_days_over:.0%}); at "
            f"the peak {m['peak_occupancy']:,.0f} people for {plan.beds:,} beds.",
            CAPACITY_CITATION.text(),
        )
    )
    ok_budget = cost <= spec.budget_points + 1e-9
    items.append(
        Feedback(
            "Budget",
            float(ok_budget),
            f"The plan costs {cost:.1f} points a day against a budget of "
            f"{spec.budget_points:g} (illustrative teaching costs).",
            CAPACITY_CITATION.text(),
        )
    )
    score = (
        w["children"] * ok_children
        + w["screening"] * ok_screen
        + w["occupancy"] * ok_occ
        + w["budget"] * ok_budget
    )
    result = GradeResult(
        "capstone.reception",
        round(score, 4),
        _prefix("reception", items),
        f"Children {'met' if ok_children else 'missed'}, screening "
        f"{'met' if ok_screen else 'missed'}, beds {'met' if ok_occ else 'missed'}, budget "
        f"{'met' if ok_budget else 'missed'}.",
        {"metrics": m, "cost": cost},
    )
    out = ReceptionOutcome({k: int(a[k]) for k in RECEPTION_LIMITS}, dict(m), cost, late_share)
    s2 = replace(season, reception=out)
    sample = screening_sample(s2)
    rushed = sum(x.rushed for x in sample)
    cons = (
        f"{m['people']:,.0f} people landed; {late_share:.0%} were interviewed later than "
        f"{lim.screening_hours:g} hours, and {m['not_seen']:,.0f} not at all by the end of the run.",
        f"In the sample screened at stage 3, {rushed} of {len(sample)} "
        f"{'is' if rushed == 1 else 'are'} interviewed in a hurry.",
    )
    choice = (
        *tuple(f"{RECEPTION_ROLES[k]}: {a[k]}" for k in RECEPTION_ROLES),
        f"Beds: {a['beds']}",
        f"Transfers out a day: {a['transfers_per_day']}",
    )
    rec = StageRecord("reception", situation, choice, a, result, cons)
    return replace(s2, records=(*season.records, rec))
