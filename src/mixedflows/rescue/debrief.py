"""Module 4's debrief of the rescue and holding exercises, generated from the case and the rules.

Every port, hour, name and placement below is read from the case file and from what the rules
derive for it (:mod:`.rules`, :mod:`.holding`): a changed case gives a changed debrief, and the
debrief cannot disagree with the grading (issue 14: the hand-written debrief named hours and
places the case could change). Questions that state no fact stay in the notebook's prose.
"""

from __future__ import annotations

from collections.abc import Callable

from mixedflows.profiles import URGENT_LABELS
from mixedflows.registry import module_ref
from mixedflows.rescue import rules
from mixedflows.rescue.case import RescueCase, load_rescue
from mixedflows.rescue.holding import PLACEMENTS, placements
from mixedflows.text import Markdown, bullets, joined, sentence

CASE = "rubber_boat_state_a_region"


def _hours(h: float) -> str:
    return f"{h:g} hour" + ("" if h == 1 else "s")


def _ports(case: RescueCase) -> list[str]:
    """Why the nearest port was not the answer (each port that failed, the rule it failed, the
    port the rules chose), and what more hours at sea would mean for those with urgent needs."""
    a = rules.Aboard(case)
    ref = rules.reference_port(case)
    failed = []
    for p in sorted(case.spec.ports, key=lambda p: (p.hours, p.id)):
        checks = rules.port_checks(case, p, a)
        if not all(c.passed for c in checks):
            failed.append((p, [c for c in checks if not c.passed]))
    out = []
    if failed:
        named = joined(f"{p.name} ({_hours(p.hours)} away)" for p, _ in failed)
        whys = " ".join(c.why for _, cs in failed for c in cs)
        end = (
            f" The rules chose {ref.name}, {_hours(ref.hours)} away."
            if ref
            else " No port passes every rule: the coordinator must find one."
        )
        out.append(f"**The nearest port was not the answer.** Why did {named} fail? {whys}{end}")
    for p, cs in failed:
        fled = a.fled(p.state)
        if (
            fled
            and all(c.rule == "non-refoulement" for c in cs)
            and not p.threat_to_life_or_freedom
        ):
            out.append(
                f"**What would change if no one aboard had fled {p.state}?** {p.name} passes "
                "every other rule. The rules derive the answer from the facts: ask your "
                "facilitator for the case with that fact changed."
            )
    if ref:
        later = [p for p in rules.acceptable_ports(case) if p.id != ref.id]
        urgent = a.urgent
        for p in later:
            extra = p.hours - ref.hours
            who = ""
            if urgent:
                needs = joined(sorted({URGENT_LABELS[u].lower() for q in urgent for u in q.urgent}))
                who = f" What would {_hours(extra)} more at sea mean for {rules.names(urgent)}, with {needs}?"
            out.append(
                f"**The ship is only a temporary place of safety.** {p.name} was safe too, "
                f"{_hours(extra)} further than {ref.name}.{who}"
            )
    return out


def _informed(case: RescueCase) -> list[str]:
    """Who is never told about the people aboard, and why."""
    never = [v for v in rules.verdicts(case, rules.INFORMED) if v.call == "forbidden"]
    if not never:
        return []
    items = " ".join(f"*{v.label}*: {sentence(v.why)}" for v in never)
    return [f"**Who is never told?** {items}"]


def _children(case: RescueCase) -> list[str]:
    """Where each child went instead of detention, with which family, and what a best interests
    procedure adds."""
    kids = [pl for pl in placements(case) if pl.person.treated_as_child]
    if not kids:
        return []
    parts = []
    for pl in kids:
        family = [q for q in case.family_of(pl.person) if not q.treated_as_child]
        with_ = f", with {rules.names(family)}" if family else ""
        where = " or ".join(PLACEMENTS[x].lower() for x in pl.allowed)
        parts.append(f"{pl.person.name}, {pl.person.age}{with_}: {where}")
    return [
        "**No child in detention.** Where did "
        + joined(pl.person.name for pl in kids)
        + " go? The rules: "
        + "; ".join(parts)
        + f". What would the best interests procedure of {module_ref(5)} add?"
    ]


POINTS: tuple[Callable[[RescueCase], list[str]], ...] = (_ports, _informed, _children)
"""The points the debrief makes, in order (each function's docstring says what it asks; the
facilitator guide lists them)."""


def debrief(case: RescueCase | str = CASE) -> Markdown:
    """The rescue and holding debrief's points that state facts, as a Markdown list."""
    c = load_rescue(case) if isinstance(case, str) else case
    return bullets([p for point in POINTS for p in point(c)])
