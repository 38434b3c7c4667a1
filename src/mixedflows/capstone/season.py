"""A season on the route: one :class:`Season` passed from stage to stage (MC/INF/294 ¶16-25).

Five stages, each run by the engine of its module, each starting from the situation the
previous ones left:

1. **rescue** (:mod:`mixedflows.rescue`): the port where the coordinator lands the first boat
   and, by the same rule, the season's boats. A port of another State receives only part of the
   season (the file's stated share); a port that is not a place of safety puts those people at
   risk. → how many people land at Port Alba's centre.
2. **reception** (:mod:`mixedflows.reception`): the learner staffs the centre; the season is
   simulated with the arrivals of stage 1. → the share of people interviewed late.
3. **screening** (:mod:`mixedflows.screening`): a sample of the season's people, of whom the
   share interviewed late at stage 2 are interviewed in a hurry and leave unsaid what people
   rarely say at a hurried first contact. The learner refers each person on what was heard.
   → who is missed, and why.
4. **post-arrival** (:mod:`mixedflows.casework`): the sample's files three months on, built from
   what screening heard; the learner chooses procedures and services. → who is left without a
   status.
5. **policy** (:mod:`mixedflows.regularization`): a programme for the season's people left
   without a status, projected from the sample, run through the policy-lab model; or return
   and reintegration (:mod:`mixedflows.capstone.returns`): module 9's return rules on each
   person's full facts, and module 9's reintegration model.

Every stage is graded by its engine's rules, each feedback line citing its framework and seed
paragraph; every consequence is a sentence generated from the state. Nothing is typed beside a
question: another scenario file gives other, correctly derived situations and answers.

Each stage is a module of :mod:`mixedflows.capstone.stages` (its situation and ``play_*``);
this module plays them in order (:func:`play`), says the season's outcome and grades it. The
stages' names are re-exported here, the capstone's public API.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

from mixedflows.capstone.spec import CapstoneSpec
from mixedflows.capstone.stages.common import _spec, start
from mixedflows.capstone.stages.policy import (
    POLICIES,
    SHARE_MEASURES,
    measure_label_of,
    play_policy,
    policy_kinds,
    policy_situation,
)
from mixedflows.capstone.stages.postarrival import (
    ROUTES,
    play_postarrival,
    postarrival_situation,
    route_of,
)
from mixedflows.capstone.stages.reception import (
    _arrivals,
    _simulate,
    play_reception,
    reception_plan,
    reception_situation,
    run_reception,
)
from mixedflows.capstone.stages.rescue import _rescue_case, play_rescue, rescue_situation
from mixedflows.capstone.stages.screening import (
    _cohort,
    heard,
    play_screening,
    screen,
    screening_sample,
    screening_situation,
)
from mixedflows.capstone.state import (
    RECEPTION_LIMITS,
    RECEPTION_ROLES,
    STAGE_TITLES,
    STAGE_WEIGHTS,
    STAGES,
    Season,
    _people,
    _resolved,
    caseload,
    postarrival_files,
)
from mixedflows.results import AnswerError, Feedback, GradeResult

__all__ = [
    "PLAY",
    "POLICIES",
    "RECEPTION_LIMITS",
    "RECEPTION_ROLES",
    "ROUTES",
    "SHARE_MEASURES",
    "SITUATION",
    "STAGES",
    "STAGE_TITLES",
    "STAGE_WEIGHTS",
    "Season",
    "_arrivals",
    "_cohort",
    "_rescue_case",
    "_resolved",
    "_simulate",
    "_spec",
    "caseload",
    "grade_season",
    "heard",
    "measure_label_of",
    "outcome_lines",
    "play",
    "play_policy",
    "play_postarrival",
    "play_reception",
    "play_rescue",
    "play_screening",
    "policy_kinds",
    "policy_situation",
    "postarrival_files",
    "postarrival_situation",
    "reception_plan",
    "reception_situation",
    "rescue_situation",
    "route_of",
    "run_reception",
    "screen",
    "screening_sample",
    "screening_situation",
    "start",
]


PLAY: dict[str, Callable[[Season, Any], Season]] = {
    "rescue": play_rescue,
    "reception": play_reception,
    "screening": play_screening,
    "postarrival": play_postarrival,
    "policy": play_policy,
}

SITUATION: dict[str, Callable[[Season], tuple[str, ...]]] = {
    "rescue": rescue_situation,
    "reception": reception_situation,
    "screening": screening_situation,
    "postarrival": postarrival_situation,
    "policy": policy_situation,
}


def play(spec: CapstoneSpec | str, answers: Mapping[str, Any], upto: str | None = None) -> Season:
    """Play the stages in order with the learner's answers, up to ``upto`` (default all the
    stages answered). Raises AnswerError naming the stage when an answer is missing or wrong."""
    s = start(spec)
    last = (
        STAGES.index(upto)
        if upto
        else max((STAGES.index(k) for k in answers if k in STAGES), default=-1)
    )
    unknown = [str(k) for k in answers if k not in STAGES]
    if unknown:
        raise AnswerError(f"not a stage: {', '.join(unknown)}; stages: {', '.join(STAGES)}")
    for stage in STAGES[: last + 1]:
        if stage not in answers:
            raise AnswerError(f"{STAGE_TITLES[stage]}: no answer yet")
        s = PLAY[stage](s, answers[stage])
    return s


def outcome_lines(season: Season) -> tuple[str, ...]:
    """The season's outcome for the people in it, in words generated from the state."""
    out = []
    if season.rescue:
        r = season.rescue
        out.append(
            f"Disembarkation: {r.port_name} ({r.port_state}); "
            f"{'a place of safety' if r.safe else 'NOT a place of safety'}; "
            f"{_people(r.people_at_risk)} of the season landed where the rules forbid it."
        )
    if season.reception:
        m = season.reception.metrics
        out.append(
            f"Reception: {m['people']:,.0f} people at the centre, {m['children_late']:.0f} "
            f"unaccompanied children seen late, {season.reception.late_share:.0%} interviewed late, "
            f"{m['days_over_capacity']:.0f} days over the beds."
        )
    if season.screening:
        sc = season.screening
        missed = sum(bool(v) for v in sc.not_heard.values())
        unref = sum(bool(v) for v in sc.not_referred.values())
        heard = {x.person.person_id: {n.value for n in screen(x.heard).needs} for x in sc.sample}
        unfounded = sum(bool(set(r) - heard.get(pid, set())) for pid, r in sc.referred.items())
        out.append(
            f"Screening: of {len(sc.sample)} people in the sample, {missed} had a "
            f"need no one heard (and no one referred), {unref} a need heard but not referred"
            + (f", {unfounded} a referral made without grounds heard" if unfounded else "")
            + "."
        )
    if season.postarrival:
        out.append(
            f"After arrival: {len(season.postarrival.without_status)} of "
            f"{len(season.postarrival.routes)} in the sample left without a status."
        )
    if season.policy:
        out.extend(season.policy.lines)
    return tuple(out)


def grade_season(season: Season, exercise_id: str = "capstone") -> GradeResult:
    """The season's grade: each stage's items, the score the weighted mean of the stages."""
    items: list[Feedback] = []
    for r in season.records:
        items.extend(r.result.items)
    parts = ", ".join(
        f"{STAGE_TITLES[r.stage].lower()} {r.result.score:.0%}" for r in season.records
    )
    return GradeResult(
        exercise_id,
        round(season.score / max(1e-9, sum(STAGE_WEIGHTS[r.stage] for r in season.records)), 4)
        if season.records
        else 0.0,
        tuple(items),
        f"Stages: {parts}." if parts else "",
        {
            "stages": {r.stage: r.result.score for r in season.records},
            "outcome": list(outcome_lines(season)),
        },
    )
