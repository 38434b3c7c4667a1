"""Rescue at sea as rules: where to disembark, what happens on board, who is informed
(MC/INF/294 ¶16-17, ¶19; UNCLOS art. 98; SOLAS ch. V reg. 33; the SAR Convention; the IMO
Guidelines on the Treatment of Persons Rescued at Sea, 2004).

The learner is the duty officer of the rescue coordination centre (RCC) of the State
responsible for the search-and-rescue region. Every call below is derived from the case's facts
and from screening each person aboard with :func:`mixedflows.screening.screen` (indications,
never a status); each carries the framework it comes from. Nothing is typed beside a question:
another case file gives other, correctly derived answers.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from functools import cached_property
from typing import Literal

from mixedflows.citations import Citation
from mixedflows.profiles import Need, Person, Profile, Sex
from mixedflows.rescue import frameworks as fw
from mixedflows.rescue.case import Port, RescueCase
from mixedflows.screening import Screening, screen

Call = Literal["required", "forbidden", "not_needed"]


def names(persons: list[Person]) -> str:
    """'Amina K.', 'Amina K. and Dawit M.', 'A, B and C'."""
    ns = [p.name for p in persons]
    return ns[0] if len(ns) == 1 else ", ".join(ns[:-1]) + " and " + ns[-1]


def verb(persons: list[Person], one: str, many: str) -> str:
    """The verb agreeing with :func:`names` of the same persons."""
    return one if len(persons) == 1 else many


@dataclass(frozen=True)
class Aboard:
    """Who is aboard, as screening sees them: indications only, never a status."""

    case: RescueCase

    @cached_property
    def screenings(self) -> dict[str, Screening]:
        return {p.person_id: screen(p) for p in self.case.persons}

    def _with(self, test: Callable[[Person, Screening], bool]) -> list[Person]:
        return [p for p in self.case.persons if test(p, self.screenings[p.person_id])]

    @cached_property
    def urgent(self) -> list[Person]:
        return self._with(lambda p, s: Need.URGENT_MEDICAL in s.needs)

    @cached_property
    def protection(self) -> list[Person]:
        return self._with(lambda p, s: Profile.PROTECTION in s.profiles)

    @cached_property
    def child_protection(self) -> list[Person]:
        return self._with(lambda p, s: Need.CHILD_PROTECTION in s.needs)

    @cached_property
    def children(self) -> list[Person]:
        return self._with(lambda p, s: p.treated_as_child)

    @cached_property
    def women_or_children(self) -> list[Person]:
        return self._with(lambda p, s: p.sex is Sex.FEMALE or p.treated_as_child)

    @cached_property
    def trafficking(self) -> list[Person]:
        return self._with(lambda p, s: Need.TRAFFICKING_REFERRAL in s.needs)

    def fled(self, state: str) -> list[Person]:
        """Persons with indications of a protection need who are nationals of ``state``."""
        return [p for p in self.protection if p.nationality == state]


# --- Where to disembark ------------------------------------------------------------------------


@dataclass(frozen=True)
class PortCheck:
    rule: str
    passed: bool
    why: str
    citation: Citation


def port_checks(case: RescueCase, port: Port, aboard: Aboard | None = None) -> list[PortCheck]:
    """The rules a port must pass to be where the rescue ends."""
    a = aboard or Aboard(case)
    out = []
    missing = [
        what
        for what, ok in (
            ("life and freedom are not safe there", not port.threat_to_life_or_freedom),
            ("food, shelter and medical care cannot be provided on landing", port.basic_needs),
            ("onward transport cannot be arranged", port.onward_transport),
        )
        if not ok
    ]
    out.append(
        PortCheck(
            "place of safety",
            not missing,
            (f"{port.name} is not a place of safety: " + "; ".join(missing) + ".")
            if missing
            else f"{port.name} is a place of safety: life is not threatened there, basic needs "
            "can be met and onward transport arranged.",
            fw.PLACE_OF_SAFETY,
        )
    )
    fled = a.fled(port.state)
    reasons = []
    if fled:
        reasons.append(
            f"{names(fled)} fled {port.state} and {verb(fled, 'describes', 'describe')} a need "
            "for protection: landing "
            f"them there would send them back to the country they fled"
        )
    if port.threat_to_life_or_freedom:
        reasons.append(
            f"people landed in {port.state} face a threat to life or freedom: handing them over "
            "there is a return to risk, wherever the ship is"
        )
    if reasons:  # shown after the place-of-safety sentence: it starts a sentence of its own
        reasons[0] = reasons[0][:1].upper() + reasons[0][1:]
    out.append(
        PortCheck(
            "non-refoulement",
            not reasons,
            ("; ".join(reasons) + ".")
            if reasons
            else f"No one aboard is sent back to a risk by landing in {port.state}.",
            fw.NON_REFOULEMENT_AT_SEA if port.threat_to_life_or_freedom else fw.RESCUE_LEAFLET,
        )
    )
    return out


def acceptable_ports(case: RescueCase) -> list[Port]:
    """Ports that pass every rule, soonest first."""
    a = Aboard(case)
    ok = [p for p in case.spec.ports if all(c.passed for c in port_checks(case, p, a))]
    return sorted(ok, key=lambda p: (p.hours, p.id))


def reference_port(case: RescueCase) -> Port | None:
    """The soonest port that passes every rule: the ship is only a temporary place of safety
    (MSC.167 para. 6.13). None if no port passes (the coordinator must then find one)."""
    ok = acceptable_ports(case)
    return ok[0] if ok else None


# --- What happens on board, who is informed ----------------------------------------------------


@dataclass(frozen=True)
class Verdict:
    """What the rules say of one option for this case."""

    option: str
    label: str
    call: Call
    why: str
    citation: Citation


@dataclass(frozen=True)
class Option:
    id: str
    label: str
    decide: Callable[[Aboard], tuple[Call, str, Citation]]

    def verdict(self, a: Aboard) -> Verdict:
        call, why, cite = self.decide(a)
        return Verdict(self.id, self.label, call, why, cite)


def _care(a: Aboard) -> tuple[Call, str, Citation]:
    n = len(a.case.persons)
    return (
        "required",
        f"All {n} people aboard get water, food, first aid and shelter: the master treats "
        "them with humanity, whoever they are.",
        fw.SOLAS_33_6,
    )


def _medevac(a: Aboard) -> tuple[Call, str, Citation]:
    if a.urgent:
        return (
            "required",
            f"{names(a.urgent)} {verb(a.urgent, 'needs', 'need')} care that cannot wait for the "
            "port: acute welfare needs come first, and the coordinator arranges evacuation or "
            "the quickest care.",
            fw.WELFARE_FIRST_AT_SEA,
        )
    return ("not_needed", "No one aboard is in acute medical danger.", fw.WELFARE_FIRST_AT_SEA)


def _families(a: Aboard) -> tuple[Call, str, Citation]:
    if a.children:
        alone = a.child_protection
        extra = (
            f" {names(alone)} {verb(alone, 'travels', 'travel')} without a parent and must be noted."
            if alone
            else ""
        )
        return (
            "required",
            f"{names(a.children)} {verb(a.children, 'is a child', 'are children')} (or may be): they stay with the parents or "
            f"carers they travel with.{extra}",
            fw.CHILDREN_AT_SEA,
        )
    return ("not_needed", "There is no child aboard.", fw.CHILDREN_AT_SEA)


def _separate(a: Aboard) -> tuple[Call, str, Citation]:
    if a.women_or_children:
        return (
            "required",
            f"{names(a.women_or_children)}: women and children get a separate, sheltered space "
            "where the ship allows it.",
            fw.SEPARATE_SPACE,
        )
    return ("not_needed", "There are no women or children aboard.", fw.SEPARATE_SPACE)


def _note_claims(a: Aboard) -> tuple[Call, str, Citation]:
    if a.protection:
        return (
            "required",
            f"{names(a.protection)} {verb(a.protection, 'describes', 'describe')} a need for protection (a fear "
            "of return, a request for asylum): note it and pass it to the "
            "RCC and UNHCR only, so that the port chosen is not the country they fled.",
            fw.RESCUE_LEAFLET,
        )
    return (
        "not_needed",
        "No one aboard has said they fear return or want asylum (they may still ask on land).",
        fw.RESCUE_LEAFLET,
    )


def _decide_status(a: Aboard) -> tuple[Call, str, Citation]:
    return (
        "forbidden",
        "A crew cannot decide who is a refugee, and the duty to assist and to land everyone in "
        "a place of safety does not depend on status: screening on land refers, the asylum "
        "procedure decides.",
        fw.SCREENING_NOT_STATUS,
    )


def _share_names(a: Aboard) -> tuple[Call, str, Citation]:
    if a.protection:
        return (
            "forbidden",
            f"{names(a.protection)} may need protection from their own State: their names "
            "are never shared with it.",
            fw.RESCUE_LEAFLET,
        )
    return (
        "not_needed",
        "No return is being decided at sea; identity is established on land, with the person's "
        "consent to any consular contact.",
        fw.SCREENING_NOT_STATUS,
    )


def _tow_back(a: Aboard) -> tuple[Call, str, Citation]:
    dep = a.case.spec.departure_state
    risky = [p for p in a.case.spec.ports if p.state == dep and p.threat_to_life_or_freedom]
    if risky:
        return (
            "forbidden",
            f"Handing the people to {dep}'s patrol boats returns them to a threat to life or "
            "freedom without examining anyone's case: a pushback, and a collective expulsion.",
            fw.NON_REFOULEMENT_AT_SEA,
        )
    return (
        "forbidden",
        "The rescue ends in a place of safety chosen with the RCC, never by handing people to "
        "another boat to take them back.",
        fw.COORDINATION,
    )


ON_BOARD: tuple[Option, ...] = (
    Option("care", "Give everyone water, food, first aid and shelter, within the ship's means", _care),
    Option("medevac", "Arrange a medical evacuation for those in acute danger", _medevac),
    Option("families", "Keep children with their parents or carers; note any child alone", _families),
    Option("separate_space", "Give women and children a separate, sheltered space on deck", _separate),
    Option("note_claims", "Note who fears return or asks for asylum; pass it only to the RCC and UNHCR", _note_claims),
    Option("decide_status", "Have the crew question everyone and decide who is a refugee, so that only refugees are landed", _decide_status),
    Option("share_names", "Send the list of names to the authorities of the countries the people come from", _share_names),
    Option("tow_back", "Hand the people to a patrol boat of the country the boat left", _tow_back),
)  # fmt: skip


def _reception(a: Aboard) -> tuple[Call, str, Citation]:
    return (
        "required",
        f"The port and its reception centre must be ready for {len(a.case.persons)} people "
        "(who is hurt, how many children): at the place of safety basic needs are met.",
        fw.RECEPTION_READY,
    )


def _port_medical(a: Aboard) -> tuple[Call, str, Citation]:
    if a.urgent:
        return (
            "required",
            f"Medical services at the port receive {names(a.urgent)} first.",
            fw.WELFARE_FIRST_AT_SEA,
        )
    return ("not_needed", "No one aboard needs urgent care on landing.", fw.WELFARE_FIRST_AT_SEA)


def _child_services(a: Aboard) -> tuple[Call, str, Citation]:
    if a.child_protection:
        return (
            "required",
            f"{names(a.child_protection)}: a child without a parent (or whose age is in doubt) "
            "is referred to child protection at once.",
            fw.CHILDREN_AT_SEA,
        )
    return (
        "not_needed",
        "Every child aboard travels with a parent; no child needs a guardian.",
        fw.CHILDREN_AT_SEA,
    )


def _unhcr(a: Aboard) -> tuple[Call, str, Citation]:
    if a.protection:
        return (
            "required",
            f"{names(a.protection)} {verb(a.protection, 'describes', 'describe')} a need for protection: "
            "UNHCR is told.",
            fw.RESCUE_LEAFLET,
        )
    return (
        "not_needed",
        "No one aboard has described a need for protection (screening on land will ask).",
        fw.RESCUE_LEAFLET,
    )


def _origin(a: Aboard) -> tuple[Call, str, Citation]:
    if a.protection:
        return (
            "forbidden",
            f"{names(a.protection)} may fear their own State: no contact with its authorities, "
            "and no personal data shared with them.",
            fw.RESCUE_LEAFLET,
        )
    return (
        "not_needed",
        "Not at sea: consular contact comes later, on land, at the person's request.",
        fw.SCREENING_NOT_STATUS,
    )


def _departure_coastguard(a: Aboard) -> tuple[Call, str, Citation]:
    dep = a.case.spec.departure_state
    if any(p.state == dep and p.threat_to_life_or_freedom for p in a.case.spec.ports):
        return (
            "forbidden",
            f"Asking {dep} to take the people back would return them to a threat to life or "
            "freedom: non-refoulement applies at sea.",
            fw.NON_REFOULEMENT_AT_SEA,
        )
    return (
        "not_needed",
        f"The place of safety is chosen by the responsible RCC; {dep} is not asked to take "
        "people back.",
        fw.COORDINATION,
    )


INFORMED: tuple[Option, ...] = (
    Option("reception", "The authorities and the reception centre at the port of disembarkation", _reception),
    Option("port_medical", "Medical services at the port", _port_medical),
    Option("child_protection", "Child protection services at the port", _child_services),
    Option("unhcr", "UNHCR", _unhcr),
    Option("origin_authorities", "The embassies of the countries the people come from", _origin),
    Option("departure_coastguard", "The coast guard of the country the boat left, to take them back", _departure_coastguard),
)  # fmt: skip


def verdicts(case: RescueCase, options: tuple[Option, ...]) -> list[Verdict]:
    a = Aboard(case)
    return [o.verdict(a) for o in options]


def required(case: RescueCase, options: tuple[Option, ...]) -> list[str]:
    return [v.option for v in verdicts(case, options) if v.call == "required"]


def reference(case: RescueCase) -> dict[str, object]:
    """The decision the rules derive for the case: port, on-board steps, who is informed."""
    port = reference_port(case)
    return {
        "port": port.id if port else None,
        "on_board": required(case, ON_BOARD),
        "informed": required(case, INFORMED),
    }
