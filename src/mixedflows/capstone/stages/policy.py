"""Stage 5, policy: a regularization programme (:mod:`mixedflows.regularization`, module 8) for
the season's people left without a status, projected from the sample and run through the
policy-lab model; or return and reintegration (:mod:`mixedflows.capstone.returns`, module 9)."""

from __future__ import annotations

import math
from collections.abc import Callable, Mapping
from dataclasses import replace
from typing import Any

from mixedflows.capstone.stages.common import _dict, _need, _prefix
from mixedflows.capstone.state import (
    PolicyOutcome,
    Season,
    StageRecord,
    _people,
    _resolved,
    caseload,
)
from mixedflows.results import AnswerError, Feedback, GradeResult


def policy_situation(season: Season) -> tuple[str, ...]:
    assert season.postarrival is not None
    pol = season.spec.policy
    n = len(season.postarrival.routes)
    k = len(season.postarrival.without_status)
    load = caseload(season)
    return (
        f"{k} of the {n} people of the sample are without a status after stage 4: projected to "
        f"the season's people at your centre, about {_people(load)}.",
        f"Design a regularization programme for them. {pol.context_source.strip()}",
    ) + (
        (
            "Or choose return and reintegration (module 9): who is returned, with which "
            "safeguards, and a reintegration programme per returnee. "
            + pol.return_reintegration.profile_source.strip(),
        )
        if pol.return_reintegration is not None
        else ()
    )


def _regularization(season: Season, reform: Mapping[str, Any]) -> PolicyOutcome:
    from mixedflows.regularization import load_programme, run
    from mixedflows.regularization.grader import measure_value
    from mixedflows.regularization.levers import ReformError

    pol = season.spec.policy
    load = caseload(season)
    prog = load_programme(pol.programme)
    rs = _resolved(season.spec.reception.season)
    # Time lived in State A: half the season on average, then the months after arrival.
    years = (rs.days / 2 + season.spec.postarrival.months_after * 30.4) / 365
    pop = prog.population.model_copy(
        update={"irregular_stock": max(1, load), "mean_residence_years": years}
    )
    prog = prog.model_copy(update={"population": pop})
    try:
        out = run(prog, reform)
    except ReformError as e:
        raise AnswerError(f"policy: {e}") from None
    measures = {o.measure: 0.0 for o in pol.objectives}
    for key in measures:
        if key == "regularised_share":
            measures[key] = min(1.0, out.approvals / load) if load else 1.0
        else:
            measures[key] = float(measure_value(out, key))
    lines = (
        f"{out.applications:,.0f} applications and {out.approvals:,.0f} approvals among the "
        f"{_people(load)} without a status; about "
        f"{_people(max(0.0, load - out.approvals * out.legal_status_12m))} still without one "
        "after a year.",
        f"Decisions take {out.mean_decision_months:.1f} months on average; the backlog clears "
        f"{out.months_to_clear:.1f} months after the window closes.",
        f"The contested 'pull' effect, as a range from the evidence: {out.pull.low:,.0f} to "
        f"{out.pull.high:,.0f} extra irregular arrivals over three years.",
    )
    return PolicyOutcome("regularization", dict(reform), load, measures, lines)


def _return_reintegration(season: Season, design: Mapping[str, Any]) -> PolicyOutcome:
    from mixedflows.capstone.returns import run_return

    return run_return(season, design)


POLICIES: dict[str, Callable[[Season, Mapping[str, Any]], PolicyOutcome]] = {
    "regularization": _regularization,
    "return_reintegration": _return_reintegration,
}
"""The policy the season ends with, by kind: the answer's ``kind`` (regularization when it names
none). Return and reintegration is offered when the scenario file has
``policy.return_reintegration`` (:mod:`mixedflows.capstone.returns`)."""


def policy_kinds(season: Season) -> tuple[str, ...]:
    """The policies this season offers."""
    pol = season.spec.policy
    return (pol.kind,) + (("return_reintegration",) if pol.return_reintegration else ())


def play_policy(season: Season, answer: Any) -> Season:
    """Stage 5: the policy for the season's people left without a status."""
    from mixedflows.regularization import load_levers
    from mixedflows.regularization.grader import DESIGN_CITATION, measure_label

    _need(season, "policy")
    a = _dict(answer, "policy")
    pol = season.spec.policy
    kind = a.get("kind", pol.kind)
    if kind not in policy_kinds(season):
        raise AnswerError(
            f"policy: '{kind}' is not a policy of this season; policies: "
            f"{', '.join(policy_kinds(season))}"
        )
    if kind == "regularization":
        a.pop("kind", None)
        unknown = set(a) - set(pol.levers)
        if unknown:
            raise AnswerError(
                f"policy: not a lever of this stage: {', '.join(sorted(map(str, unknown)))}; "
                f"levers: {', '.join(pol.levers)}"
            )
    situation = policy_situation(season)
    out = POLICIES[kind](season, a)
    items = []
    score = 0.0
    for o in out.objectives or pol.objectives:
        v = out.measures[o.measure]
        ok = o.met(v)
        score += o.weight * ok
        bound = "at least" if o.at_least is not None else "at most"
        items.append(
            Feedback(
                o.label,
                float(ok),
                f"{'Met' if ok else 'Not met'}: {measure_label_of(o.measure, measure_label)} is "
                f"{_fmt(o.measure, v)} ({bound} {_fmt(o.measure, o.target)}).",
                out.citations.get(o.measure) or DESIGN_CITATION.text(),
            )
        )
    result = GradeResult(
        "capstone.policy",
        round(score, 4),
        _prefix("policy", items),
        f"{sum(f.credit >= 0.999 for f in items)} of {len(items)} objectives met.",
        {"measures": out.measures, "caseload": out.caseload},
    )
    levers = load_levers()
    choice = (
        out.choice
        or tuple(f"{levers[k].label}: {_lever_value(v)}" for k, v in a.items())
        or ("The programme as enacted, unchanged",)
    )
    rec = StageRecord("policy", situation, choice, a, result, out.lines)
    return replace(season, records=(*season.records, rec), policy=out)


def measure_label_of(key: str, fallback: Callable[[str], str]) -> str:
    from mixedflows.capstone.spec import CAPSTONE_MEASURES

    return CAPSTONE_MEASURES.get(key) or fallback(key).lower()


SHARE_MEASURES = ("regularised_share", "approval_rate", "legal_status_12m", "social_security_12m")


def _fmt(measure: str, v: float) -> str:
    if math.isinf(v):
        return "unbounded (no processing cost)"
    if measure == "returned_before_safeguards":
        return f"{v:.0f}"
    if measure in SHARE_MEASURES or measure.startswith("coverage_"):
        return f"{v:.0%}"
    return f"{v:,.2f}"


def _lever_value(v: Any) -> str:
    if isinstance(v, bool):
        return "yes" if v else "no"
    return f"{v:g}" if isinstance(v, int | float) else str(v)
