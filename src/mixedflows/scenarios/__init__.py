"""Scenarios: a place, a route, a season and a composition, read from YAML in
``datasets/scenarios/``; a seeded generator turns one into a synthetic cohort.

Every number in a scenario file carries its source (a data file of ``datasets/`` or a
publication), or is marked as an illustrative teaching assumption. Generated persons are
synthetic: names are drawn from lists of common given names and an initial, and no real case is
ever described.

Two views of the same cohort: :func:`generate_frame` draws a table of facts, one row per person,
vectorised (100,000 persons in well under a second); :func:`generate_cohort` turns the rows into
:class:`~mixedflows.profiles.Person` objects with their narratives. The same scenario and seed
always give the same persons.

The scenario files' schema, their loading and summaries are in
:mod:`~mixedflows.scenarios.model`; the seeded draw of a cohort (the frame of facts, the
stories, the persons) in :mod:`~mixedflows.scenarios.frame`; every name is importable from here.
"""

from __future__ import annotations

from mixedflows.scenarios.frame import (
    COHORT_MEMO,
    cohort,
    generate_cohort,
    generate_frame,
    persons_frame,
    persons_from_frame,
)
from mixedflows.scenarios.frame import (
    _draw as _draw,
)
from mixedflows.scenarios.frame import (
    _numbers as _numbers,
)
from mixedflows.scenarios.frame import (
    _persons_from_draw as _persons_from_draw,
)
from mixedflows.scenarios.frame import (
    _stable_hash as _stable_hash,
)
from mixedflows.scenarios.model import (
    ArrivalPeriod,
    Demography,
    Journey,
    Nationality,
    Reception,
    Scenario,
    Share,
    check_scenario_ref,
    list_scenarios,
    load_scenario,
    scenario_title,
    summary_frame,
)

__all__ = [
    "COHORT_MEMO",
    "ArrivalPeriod",
    "Demography",
    "Journey",
    "Nationality",
    "Reception",
    "Scenario",
    "Share",
    "check_scenario_ref",
    "cohort",
    "generate_cohort",
    "generate_frame",
    "list_scenarios",
    "load_scenario",
    "persons_frame",
    "persons_from_frame",
    "scenario_title",
    "summary_frame",
]
