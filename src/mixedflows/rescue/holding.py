"""After disembarkation: where each person goes, and the standards a holding facility must meet
(MC/INF/294 ¶19; UNHCR Detention Guidelines, 2012; alternatives to detention, above all for
children).

:func:`placements` derives, for each person of a rescue case, the placements the frameworks
allow (from screening the person: indications, never a status); :func:`standards` checks the
facility the authorities propose against each standard. Each answer carries its framework.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from mixedflows.citations import Citation
from mixedflows.profiles import Need, Person, Profile
from mixedflows.rescue import frameworks as fw
from mixedflows.rescue.case import Facility, RescueCase
from mixedflows.rescue.rules import names
from mixedflows.screening import screen

PLACEMENTS: dict[str, str] = {
    "hospital": "Hospital or medical care first",
    "child_care": "A child-protection care placement, with a guardian",
    "shelter": "A specialised shelter with assistance (a recovery and reflection period)",
    "open": "An open reception centre",
    "alternative": "An alternative to detention (a registered address and regular reporting)",
    "detention": "The closed holding facility",
}
"""Where a person can go after landing; the rules say which are right for whom."""


@dataclass(frozen=True)
class Placement:
    """The placements the frameworks allow for one person, and why."""

    person: Person
    allowed: tuple[str, ...]
    why: str
    citation: Citation


def _placement(case: RescueCase, p: Person) -> Placement:
    s = screen(p)
    fac = case.spec.facility
    if Need.URGENT_MEDICAL in s.needs:
        return Placement(
            p,
            ("hospital",),
            "An acute medical need comes first: care before any other decision.",
            fw.MEDICAL_FIRST,
        )
    if Need.CHILD_PROTECTION in s.needs:
        return Placement(
            p,
            ("child_care",),
            "A child without a parent here (or whose age is in doubt) goes to a care placement "
            "with a guardian, never to a holding facility.",
            fw.CHILD_CARE,
        )
    family_children = [q for q in case.family_of(p) if q.treated_as_child]
    if p.treated_as_child or family_children:
        who = "a child" if p.treated_as_child else f"the parent of {names(family_children)}"
        return Placement(
            p,
            ("open",),
            f"{p.name} is {who}: the family stays together, and children are not detained for "
            "immigration purposes, so the family goes to open reception.",
            fw.CHILDREN_NOT_DETAINED,
        )
    if Need.TRAFFICKING_REFERRAL in s.needs:
        return Placement(
            p,
            ("shelter",),
            "Indications of trafficking: assistance in a safe place and a recovery and "
            "reflection period, not a cell.",
            fw.TRAFFICKING_ASSISTANCE,
        )
    if Profile.PROTECTION in s.profiles:
        return Placement(
            p,
            ("open", "alternative"),
            "An asylum-seeker keeps liberty and freedom of movement; detention would need a "
            "lawful ground and an individual assessment, and none has been made.",
            fw.LIBERTY,
        )
    # No protection need indicated (a labour migrant, say): ExCom 44 and the Detention
    # Guidelines are about refugees and asylum-seekers; liberty is everyone's (ICCPR art. 9).
    allowed: tuple[str, ...] = ("open", "alternative")
    why = (
        "Liberty is the rule, for a migrant with no protection need too: no individual "
        "assessment has found detention necessary, so open reception or an alternative to "
        "detention."
    )
    if fac.individual_assessment:
        allowed += ("detention",)
        why = (
            "An individual assessment found a lawful ground; detention remains a last resort, "
            "in a facility that meets the standards, and an alternative is still preferred."
        )
    return Placement(p, allowed, why, fw.NO_ARBITRARY_DETENTION)


def placements(case: RescueCase) -> list[Placement]:
    """For each person aboard, the placements the frameworks allow."""
    return [_placement(case, p) for p in case.persons]


@dataclass(frozen=True)
class Standard:
    id: str
    label: str
    failed: Callable[[Facility], str]
    """Why the facility fails the standard ("" if it meets it)."""
    citation: Citation


def _crowded(f: Facility) -> str:
    if f.held <= f.capacity:
        return ""
    over = f.held / f.capacity - 1
    return f"It holds {f.held} people in space for {f.capacity} ({over:.0%} over capacity)."


STANDARDS: tuple[Standard, ...] = (
    Standard(
        "conditions",
        "Humane and dignified conditions: no more people than the places",
        _crowded,
        fw.FACILITY_CONDITIONS,
    ),
    Standard(
        "separate",
        "Separate housing and sanitary facilities for women and children",
        lambda f: "" if f.separate_women_children else "Women, children and men share rooms.",
        fw.SEPARATE_FACILITIES,
    ),
    Standard(
        "medical",
        "Access to adequate medical care",
        lambda f: "" if f.medical_care else "There is no adequate medical care.",
        fw.MEDICAL_ACCESS,
    ),
    Standard(
        "asylum",
        "Access to the asylum procedure, UNHCR and legal counsel",
        lambda f: (
            "People held cannot reach the asylum procedure."
            if not f.asylum_access
            else ""
            if f.legal_counsel
            else "People held may be told about asylum, but nothing gives them access to legal "
            "counsel."
        ),
        fw.ASYLUM_ACCESS,
    ),
    Standard(
        "monitoring",
        "Independent monitoring",
        lambda f: "" if f.independent_monitoring else "No independent body monitors it.",
        fw.MONITORING,
    ),
    Standard(
        "time_limit",
        "A maximum period of holding set in law",
        lambda f: (
            ""
            if (f.time_limit_in_law or not f.closed)
            else "No law limits how long people are held."
        ),
        fw.TIME_LIMIT,
    ),
    Standard(
        "review",
        "Each decision to hold a person can be reviewed by a court",
        lambda f: (
            ""
            if (f.review_by_court or not f.closed)
            else "No court reviews the decision to hold anyone."
        ),
        fw.REVIEW,
    ),
    Standard(
        "no_children",
        "No child is held for immigration purposes",
        lambda f: "Children are held there." if (f.closed and f.holds_children) else "",
        fw.CHILDREN_NOT_DETAINED,
    ),
)


def standards(f: Facility) -> list[tuple[Standard, str]]:
    """Each standard with why the facility fails it ('' where it meets it)."""
    return [(s, s.failed(f)) for s in STANDARDS]


def failed_standards(f: Facility) -> list[str]:
    return [s.id for s, why in standards(f) if why]
