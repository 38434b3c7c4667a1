"""Named rules that give reference answers to exercise files (``reference.rule``).

Each rule calls the engine; none holds an answer of its own. :data:`RULES` lists them: an
exercise file naming a rule that is not there, or giving it arguments it does not take, fails
when it is loaded. (Model graders are listed in :mod:`mixedflows.registry`.)
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from mixedflows.profiles import Person


def _person(facts: dict[str, Any]) -> Person:
    unknown = set(facts) - set(Person.model_fields)
    if unknown:
        raise KeyError(f"not a fact of a person: {', '.join(sorted(unknown))}")
    return Person.model_validate({"person_id": "case", "name": "case", **facts})


def first_need(case: dict[str, Any]) -> str:
    from mixedflows.screening import screen

    return screen(_person(case)).first_need.value


def referrals(case: dict[str, Any]) -> list[str]:
    from mixedflows.screening import screen

    return [r.need.value for r in screen(_person(case)).referrals]


def profiles(case: dict[str, Any]) -> list[str]:
    from mixedflows.screening import screen

    return sorted(p.value for p in screen(_person(case)).profiles)


def positive_dimensions(indicators: list[str], child: bool = False) -> list[str]:
    from mixedflows import trafficking

    return [str(d) for d in trafficking.assess(indicators, child=child).positive_dimensions]


def indication(indicators: list[str], child: bool = False) -> bool:
    """Indications warranting referral (the Palermo elements, on reasonable grounds)."""
    from mixedflows import trafficking

    return trafficking.assess(indicators, child=child).referral


def missing_elements(indicators: list[str], child: bool = False) -> list[str]:
    from mixedflows import trafficking

    return list(trafficking.assess(indicators, child=child).missing)


def may_come_first(case: dict[str, Any]) -> list[str]:
    """The needs that may come first under the hard constraints (any of them is right)."""
    from mixedflows.screening import screen

    return sorted(n.value for n in screen(_person(case)).may_come_first)


RULES: dict[str, Callable[..., Any]] = {
    "screening.first_need": first_need,
    "screening.referrals": referrals,
    "screening.profiles": profiles,
    "trafficking.positive_dimensions": positive_dimensions,
    "trafficking.indication": indication,
    "trafficking.missing_elements": missing_elements,
    "screening.may_come_first": may_come_first,
}
"""Every rule an exercise file may name (``reference.rule``), by name."""
