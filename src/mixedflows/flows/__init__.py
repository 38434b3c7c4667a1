"""Module 2, "The journey and the data": the recorded figures by route, year and month
(:mod:`.data`), and the data-reading questions whose answers are computed from them
(:mod:`.questions`, grader ``flows.data_reading`` in :mod:`.grader`, listed in
:mod:`mixedflows.registry`)."""

from __future__ import annotations

from mixedflows.flows.data import (
    MONTHS,
    VERIFICATION,
    MonthlySeries,
    Period,
    Rate,
    Route,
    annual_arrivals,
    covers_year,
    dead_missing,
    figure,
    load_routes,
    monthly_series,
    rates,
    route,
    season_shares,
)

__all__ = [
    "MONTHS",
    "VERIFICATION",
    "MonthlySeries",
    "Period",
    "Rate",
    "Route",
    "annual_arrivals",
    "covers_year",
    "dead_missing",
    "figure",
    "load_routes",
    "monthly_series",
    "rates",
    "route",
    "season_shares",
]
