"""Stage 1, rescue (:mod:`mixedflows.rescue`, module 4): the port where the coordinator lands
the first boat and, by the same rule, the season's boats. A port of another State receives only
part of the season (the file's stated share); a port that is not a place of safety puts those
people at risk. → how many people land at Port Alba's centre."""

from __future__ import annotations

from dataclasses import replace
from functools import lru_cache
from typing import Any

from mixedflows.capstone.stages.common import _dict, _need, _stage_result
from mixedflows.capstone.state import (
    RescueOutcome,
    Season,
    StageRecord,
    _people,
    _resolved,
)
from mixedflows.results import AnswerError, GradeResult


@lru_cache(maxsize=8)
def _rescue_case(case_id: str) -> Any:
    from mixedflows.rescue import load_rescue

    return load_rescue(case_id)


def rescue_situation(season: Season) -> tuple[str, ...]:
    """The stage's instructions: the case, what the decision decides for the season, and the
    rule the stage is graded by (module 4's, :func:`mixedflows.rescue.grader.never_rule`: the
    same grader, so the same "never" cap, said where it is applied)."""
    from mixedflows.rescue.grader import never_rule

    case = _rescue_case(season.spec.rescue)
    return (
        case.spec.situation.strip(),
        "This boat is the first of the season. Your rule for this boat is the rule for the "
        "season's boats: where they land decides how many people reach your centre at stage 2.",
        never_rule(),
    )


def _ids(value: Any, what: str) -> tuple[str, ...]:
    if value is None:
        return ()
    if isinstance(value, str) or not isinstance(value, list | tuple | set | frozenset):
        raise AnswerError(f"rescue: {what}: give a list of option ids")
    return tuple(str(v) for v in value)


@lru_cache(maxsize=8)
def _aboard(case_id: str) -> Any:
    from mixedflows.rescue.rules import Aboard

    return Aboard(_rescue_case(case_id))


@lru_cache(maxsize=256)
def _grade_rescue(
    case_id: str, port: str, on_board: tuple[str, ...], informed: tuple[str, ...]
) -> GradeResult:
    """The module 4 grade of one decision (the same decision is graded once per process)."""
    from mixedflows.rescue.grader import grade_decision

    answer = {"port": port, "on_board": list(on_board), "informed": list(informed)}
    return grade_decision(_rescue_case(case_id), answer, "rescue")


def play_rescue(season: Season, answer: Any) -> Season:
    """Stage 1: the rescue decision, graded by the rules of module 4."""
    from mixedflows.rescue import port_checks
    from mixedflows.rescue.rules import INFORMED, ON_BOARD, names

    _need(season, "rescue")
    a = _dict(answer, "rescue")
    if not a.get("port"):
        raise AnswerError("rescue: choose the port where the boat is disembarked")
    case = _rescue_case(season.spec.rescue)
    situation = rescue_situation(season)
    result = _grade_rescue(
        season.spec.rescue,
        a["port"],
        _ids(a.get("on_board"), "on_board"),
        _ids(a.get("informed"), "informed"),
    )
    port = case.port(a["port"])
    safe = all(c.passed for c in port_checks(case, port, _aboard(season.spec.rescue)))
    own = port.state == case.spec.responsible_state
    rs = _resolved(season.spec.reception.season)
    share = season.spec.reception.diverted_share
    factor = 1.0 if own else 1.0 - share
    diverted = rs.expected_people * (1.0 - factor)
    at_risk = 0 if safe else (len(case.persons) if own else round(diverted))
    medevac = "medevac" in (a.get("on_board") or ())
    out = RescueOutcome(
        port.id,
        port.name,
        port.state,
        port.hours,
        own,
        safe,
        factor,
        rs.expected_people,
        at_risk,
        medevac,
    )
    cons = []
    if own:
        cons.append(
            f"The season's boats land at {port.name}: about {_people(rs.expected_people)} "
            f"reach your centre in {rs.days} days."
        )
    else:
        cons.append(
            f"{port.state} receives the boats sent to {port.name}, at most {share:.0%} of the "
            f"season's (about {_people(diverted)}); the other "
            f"{_people(rs.expected_people * factor)} still land at your centre."
        )
    if not safe:
        cons.append(
            f"{port.name} is not a place of safety: about {_people(at_risk)} of the season "
            "are landed where the rules forbid it."
        )
    urgent = _aboard(season.spec.rescue).urgent
    if urgent:
        if medevac:
            cons.append(f"{names(urgent)} evacuated for care before the ship reached port.")
        elif port.basic_needs:
            cons.append(
                f"No evacuation: {names(urgent)} waited {port.hours:g} hours at sea for care."
            )
        else:
            cons.append(
                f"No evacuation: {names(urgent)} waited {port.hours:g} hours at sea, to land at "
                f"{port.name}, where medical care cannot be provided."
            )
    labels = {o.id: o.label for o in (*ON_BOARD, *INFORMED)}
    choice = (
        f"Port: {port.name} ({port.state}, {port.hours:g} h)",
        "On board: " + ("; ".join(labels[x] for x in a.get("on_board") or ()) or "nothing"),
        "Informed: " + ("; ".join(labels[x] for x in a.get("informed") or ()) or "no one"),
    )
    rec = StageRecord("rescue", situation, choice, a, _stage_result("rescue", result), tuple(cons))
    return replace(season, records=(*season.records, rec), rescue=out)
