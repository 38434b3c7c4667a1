"""The module 4 rescue exercises, graded by the rules: ``rescue.decision`` (where to disembark,
what happens on board, who is informed) and ``rescue.holding`` (where each person goes after
landing; which standards the proposed facility fails). Listed in :mod:`mixedflows.registry`."""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING, Annotated, Any

from mixedflows.citations import cited
from mixedflows.errors import Strict, loadable
from mixedflows.rescue import frameworks as fw
from mixedflows.rescue import holding, rules
from mixedflows.rescue.case import RescueCase, load_rescue
from mixedflows.results import PASS_GRADE, AnswerError, Feedback, GradeResult, tick_credit

if TYPE_CHECKING:
    from mixedflows.exercises import ModelExercise

DECISION_WEIGHTS = {"port": 0.4, "on_board": 0.3, "informed": 0.3}
"""How a rescue decision is scored: the port, the steps on board, who is informed."""

NEVER_CAP = 0.5
"""The most a rescue decision scores when it ticks an option the rules call "never" (a
pushback, names sent to the State people fled, status decided by the crew): below the pass
mark (:data:`mixedflows.certificate.PASS_GRADE`), whatever else is right. Such an option is
decisive: its part scores 0 and the whole decision fails (non-refoulement, MC/INF/294 ¶7;
*Hirsi Jamaa and Others v. Italy*, 2012)."""

HOLDING_WEIGHTS = {"placements": 0.5, "standards": 0.5}
"""How the holding exercise is scored: each person's placement, the standards found failed."""


class RescueParams(Strict):
    """``params`` of a "rescue.decision" or "rescue.holding" exercise."""

    case: Annotated[str, loadable(load_rescue, "rescue case")]


def _ids(value: Any, what: str, known: Sequence[str]) -> list[str]:
    if value is None:
        return []
    if isinstance(value, str) or not isinstance(value, list | tuple | set | frozenset):
        raise AnswerError(f"{what}: give a list of option ids, got {type(value).__name__}")
    bad = [str(v) for v in value if v not in known]
    if bad:
        raise AnswerError(f"{what}: not an option: {', '.join(bad)}; options: {', '.join(known)}")
    return list(dict.fromkeys(value))


def _pass_grade() -> float:
    return PASS_GRADE


def never_rule() -> str:
    """The rule for options marked "never", as the exercise's instructions state it (from
    :data:`NEVER_CAP` and the pass mark, not typed beside them)."""
    return (
        "Some options are never right: ticking one scores its part 0% and caps the whole "
        f"decision at {NEVER_CAP:.0%}, below the {_pass_grade():.0%} pass mark, whatever else "
        "is right (a decision that sends people back to a risk, or exposes them to the State "
        "they fled, fails; non-refoulement, MC/INF/294 ¶7)."
    )


def forbidden_chosen(
    case: RescueCase, options: tuple[rules.Option, ...], chosen: Sequence[str]
) -> list[rules.Verdict]:
    """The chosen options the rules call "never" (``forbidden``) for this case."""
    return [
        v for v in rules.verdicts(case, options) if v.call == "forbidden" and v.option in chosen
    ]


def option_feedback(
    case: RescueCase, options: tuple[rules.Option, ...], chosen: Sequence[str]
) -> tuple[float, list[Feedback]]:
    """Credit (right choices over all required or chosen; 0 if an option the rules call
    "never" is chosen) and one line per option that is required or chosen, saying why, with
    its framework."""
    vs = rules.verdicts(case, options)
    need = {v.option for v in vs if v.call == "required"}
    union = need | set(chosen)
    credit = len(need & set(chosen)) / len(union) if union else 1.0
    if any(v.call == "forbidden" and v.option in chosen for v in vs):
        credit = 0.0
    items = []
    for v in vs:
        picked = v.option in chosen
        if v.call == "required":
            head = "Right" if picked else "Missed"
            items.append(Feedback(v.label, float(picked), f"{head}: {v.why}", v.citation.text()))
        elif picked:
            head = "Never" if v.call == "forbidden" else "Not called for"
            items.append(Feedback(v.label, 0.0, f"{head}: {v.why}", v.citation.text()))
    return credit, items


def grade_decision(case: RescueCase, answer: Any, exercise_id: str) -> GradeResult:
    if not isinstance(answer, dict):
        raise AnswerError(
            "the answer is {'port': ..., 'on_board': [...], 'informed': [...]}, "
            f"got {type(answer).__name__}"
        )
    unknown = set(answer) - set(DECISION_WEIGHTS)
    if unknown:
        raise AnswerError(f"unknown key(s): {', '.join(sorted(map(str, unknown)))}")
    port_ids = [p.id for p in case.spec.ports]
    port_id = answer.get("port")
    if port_id is not None and port_id not in port_ids:
        raise AnswerError(f"port: '{port_id}' is not a port here; ports: {', '.join(port_ids)}")
    on_board = _ids(answer.get("on_board"), "on_board", [o.id for o in rules.ON_BOARD])
    informed = _ids(answer.get("informed"), "informed", [o.id for o in rules.INFORMED])

    aboard = rules.Aboard(case)
    ref = rules.reference_port(case)
    items: list[Feedback] = []
    if port_id is None:
        port_credit = 0.0
        best = f"The rules point to {ref.name}." if ref else ""
        items.append(Feedback("Port", 0.0, f"No port chosen. {best}", fw.COORDINATION.text()))
    else:
        port = case.port(port_id)
        checks = rules.port_checks(case, port, aboard)
        failed = [c for c in checks if not c.passed]
        if failed:
            port_credit = 0.0
            msg = " ".join(c.why for c in failed)
            if ref:
                msg += f" {ref.name} ({ref.state}, {ref.hours:g} h) passes every rule."
            cites = cited(c.citation for c in failed)
        elif ref is not None and port.id != ref.id:
            port_credit = 0.5
            urgent = ""
            if aboard.urgent and "medevac" not in on_board:  # evacuated: not waiting for port
                urgent = (
                    f" {rules.names(aboard.urgent)} "
                    f"{rules.verb(aboard.urgent, 'needs', 'need')} urgent care and "
                    f"{rules.verb(aboard.urgent, 'is', 'are')} not evacuated: every hour "
                    "farther is an hour more at sea without it."
                )
            msg = (
                f"{port.name} is a place of safety, but {ref.name} is one too and "
                f"{port.hours - ref.hours:g} hours closer: the ship is only a temporary place "
                f"of safety.{urgent}"
            )
            cites = fw.TEMPORARY_SHIP.text()
        else:
            port_credit = 1.0
            msg = " ".join(c.why for c in checks) + (
                f" It is the soonest such port ({port.hours:g} h): the ship is only a temporary "
                "place of safety."
            )
            cites = cited([*(c.citation for c in checks), fw.TEMPORARY_SHIP])
        items.append(Feedback(f"Port: {port.name}", port_credit, msg, cites))
    board_credit, board_items = option_feedback(case, rules.ON_BOARD, on_board)
    inf_credit, inf_items = option_feedback(case, rules.INFORMED, informed)
    items += [Feedback(f"On board: {f.item}", f.credit, f.message, f.citation) for f in board_items]
    items += [Feedback(f"Informed: {f.item}", f.credit, f.message, f.citation) for f in inf_items]
    w = DECISION_WEIGHTS
    score = w["port"] * port_credit + w["on_board"] * board_credit + w["informed"] * inf_credit
    summary = f"Port {port_credit:.0%}, on board {board_credit:.0%}, informed {inf_credit:.0%}."
    never = forbidden_chosen(case, rules.ON_BOARD, on_board) + forbidden_chosen(
        case, rules.INFORMED, informed
    )
    if never:
        score = min(score, NEVER_CAP)
        summary += (
            f" At most {NEVER_CAP:.0%}, below the {_pass_grade():.0%} pass mark: "
            + "; ".join(f"'{v.label}'" for v in never)
            + f" {'is' if len(never) == 1 else 'are'} never right, and a decision that "
            "includes "
            + ("it" if len(never) == 1 else "them")
            + " fails whatever else is right (non-refoulement applies at sea, MC/INF/294 ¶7; "
            "each is explained below, with its framework)."
        )
    return GradeResult(
        exercise_id,
        round(score, 4),
        tuple(items),
        summary,
        {"reference": rules.reference(case)},
    )


def grade_holding(case: RescueCase, answer: Any, exercise_id: str) -> GradeResult:
    if not isinstance(answer, dict):
        raise AnswerError(
            "the answer is {'placements': {person: placement}, 'failed_standards': [...]}, "
            f"got {type(answer).__name__}"
        )
    unknown = set(answer) - {"placements", "failed_standards"}
    if unknown:
        raise AnswerError(f"unknown key(s): {', '.join(sorted(map(str, unknown)))}")
    given = answer.get("placements") or {}
    if not isinstance(given, dict):
        raise AnswerError(f"placements: map each person to a placement, got {type(given).__name__}")
    short = {rp.id: p for rp, p in zip(case.spec.persons, case.persons, strict=True)}
    bad = [str(k) for k in given if k not in short]
    if bad:
        raise AnswerError(f"placements: not a person of this case: {', '.join(bad)}")
    for k, v in given.items():
        if v is not None and v not in holding.PLACEMENTS:
            raise AnswerError(
                f"placements: {k}: '{v}' is not a placement; choose from "
                + ", ".join(holding.PLACEMENTS)
            )
    failed = _ids(
        answer.get("failed_standards"), "failed_standards", [s.id for s in holding.STANDARDS]
    )
    items: list[Feedback] = []
    credits = []
    by_id = {p.person_id: rp.id for rp, p in zip(case.spec.persons, case.persons, strict=True)}
    for pl in holding.placements(case):
        pid = by_id[pl.person.person_id]
        chose = given.get(pid)
        ok = chose in pl.allowed
        credits.append(float(ok))
        allowed = " or ".join(f"'{holding.PLACEMENTS[a]}'" for a in pl.allowed)
        if chose is None:
            msg = f"No placement chosen. Allowed: {allowed}. {pl.why}"
        elif ok:
            msg = f"Right: {pl.why}"
        else:
            msg = f"'{holding.PLACEMENTS[chose]}' is not right here; allowed: {allowed}. {pl.why}"
        items.append(Feedback(pl.person.name, float(ok), msg, pl.citation.text()))
    place_credit = sum(credits) / len(credits)
    fac = case.spec.facility
    found = set(failed)
    ref_failed = {s.id for s, why in holding.standards(fac) if why}
    std_credit = tick_credit(ref_failed, found, [s.id for s in holding.STANDARDS])
    for s, why in holding.standards(fac):
        if why and s.id in found:
            items.append(Feedback(s.label, 1.0, f"Right, not met: {why}", s.citation.text()))
        elif why:
            items.append(Feedback(s.label, 0.0, f"Missed, not met: {why}", s.citation.text()))
        elif s.id in found:
            items.append(Feedback(s.label, 0.0, "This standard is met here.", s.citation.text()))
    w = HOLDING_WEIGHTS
    score = w["placements"] * place_credit + w["standards"] * std_credit
    return GradeResult(
        exercise_id,
        round(score, 4),
        tuple(items),
        f"Placements {place_credit:.0%}, standards {std_credit:.0%}.",
        {
            "placements": {
                by_id[pl.person.person_id]: list(pl.allowed) for pl in holding.placements(case)
            },
            "failed_standards": sorted(ref_failed),
        },
    )


def grade_decision_exercise(exercise: ModelExercise, answer: Any) -> GradeResult:
    """Where to disembark, what happens on board, who is informed."""
    return grade_decision(load_rescue(exercise.params.case), answer, exercise.id)


def grade_holding_exercise(exercise: ModelExercise, answer: Any) -> GradeResult:
    """Where each person goes after landing, and the standards the facility fails."""
    return grade_holding(load_rescue(exercise.params.case), answer, exercise.id)
