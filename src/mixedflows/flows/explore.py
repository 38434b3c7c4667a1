"""What the flow explorer shows for a route and a year: figures with their sources, and the rows
its charts draw. Pure functions of the figure files (no widgets, no altair), so a test can check
every number on screen against the files.
"""

from __future__ import annotations

from dataclasses import dataclass
from types import SimpleNamespace
from typing import Any

from mixedflows.flows import data
from mixedflows.flows.data import MONTHS, Rate, Route


@dataclass(frozen=True)
class Fact:
    """One figure on screen, with its source."""

    what: str
    """The figure in words, e.g. "Arrivals: 181,436 (full year)"."""
    source: str
    file: str
    caveat: str = ""


@dataclass(frozen=True)
class RouteView:
    """Everything the explorer shows for one route and one year."""

    route: Route
    year: int
    years: tuple[int, ...]
    facts: tuple[Fact, ...]
    """The selected year's figures, each with its source."""
    monthly: tuple[data.MonthlySeries, ...]
    datasets: dict[str, list[dict[str, Any]]]
    """Rows for the charts, by dataset name: arrivals, deaths, rates, months."""


def years(r: Route) -> tuple[int, ...]:
    """The years with any figure for the route, oldest first."""
    ys = {a.year for a in data.annual_arrivals(r)} | {d.year for d in data.dead_missing(r)}
    return tuple(sorted(ys))


def default_year(r: Route) -> int:
    """The latest year with a rate, else the latest year with any figure."""
    rs = [x.year for x in data.rates((r,))]
    ys = years(r)
    return max(rs) if rs else (ys[-1] if ys else 0)


def _n(x: float | None) -> str:
    return "not recorded" if x is None else f"{x:,.0f}"


def _facts(r: Route, year: int, rate: Rate | None) -> list[Fact]:
    out = []
    a = [x for x in data.annual_arrivals(r) if x.year == year]
    for row in a:
        kind = "whole year" if row.whole_year else "part of the year: not used in rates"
        out.append(
            Fact(f"Arrivals: {row.arrivals:,.0f} ({row.period}; {kind})", row.source, row.file)
        )
    if r.arrivals is None:
        out.append(Fact("Arrivals: no series for this route alone", "", "", r.caveat))
    elif not a:
        out.append(Fact(f"Arrivals in {year}: no figure in the course's data", "", r.arrivals.file))
    d = [x for x in data.dead_missing(r) if x.year == year]
    for row in d:
        split = "" if row.dead is None else f" ({_n(row.dead)} dead, {_n(row.missing)} missing)"
        out.append(
            Fact(
                f"Dead and missing: {row.dead_and_missing:,.0f}{split}",
                row.source,
                data.MMP_FILE if r.deaths_route else (r.arrivals.file if r.arrivals else ""),
                row.note,
            )
        )
    if not d:
        out.append(Fact(f"Dead and missing in {year}: no figure in the course's data", "", ""))
    if rate is not None:
        out.append(
            Fact(
                f"Recorded dead and missing per 1,000 arrivals: {rate.per_1000:.1f}",
                f"computed: {rate.dead_and_missing:,.0f} / {rate.arrivals:,.0f} x 1,000",
                "",
                "Not the chance of dying: people who died never arrived, and many deaths are "
                "never recorded.",
            )
        )
    return out


def _month_rows(series: tuple[data.MonthlySeries, ...]) -> list[dict[str, Any]]:
    rows = []
    for s in series:
        label = f"{s.place}, {s.period}"
        for p in s.periods:
            for m in range(p.month_from, p.month_to + 1):
                rows.append(
                    {
                        "series": label,
                        "month": MONTHS[m - 1][:3],
                        "month_number": m,
                        "arrivals": round(p.arrivals / p.months),
                        "kind": "one month"
                        if p.months == 1
                        else f"average of {p.label()} (only the total is known)",
                        "measure": s.measure,
                    }
                )
    return rows


def route_view(route_id: str, year: int | None = None) -> RouteView:
    """The explorer's content for a route and a year (the default year if None or absent)."""
    r = data.route(route_id)
    ys = years(r)
    if year is None or year not in ys:
        year = default_year(r)
    all_rates = data.rates()
    rate = next((x for x in all_rates if x.route == r.id and x.year == year), None)
    a = data.annual_arrivals(r)
    d = data.dead_missing(r)
    monthly_all = data.monthly_series()
    monthly = tuple(monthly_all[s] for s in r.monthly)
    datasets = {
        "arrivals": [
            {
                "year": int(row.year),
                "arrivals": float(row.arrivals),
                "period": row.period,
                "coverage": "whole year" if row.whole_year else "part of the year",
                "selected": int(row.year) == year,
                "source": row.source,
            }
            for row in a
        ],
        "deaths": [
            {
                "year": int(row.year),
                "dead_and_missing": float(row.dead_and_missing),
                "coverage": "whole year" if row.complete else "part of the year",
                "selected": int(row.year) == year,
                "source": row.source,
            }
            for row in d
        ],
        "rates": [
            {
                "route": x.label,
                "year": x.year,
                "per_1000": round(x.per_1000, 1),
                "selected": x.route == r.id,
            }
            for x in all_rates
        ],
        "months": _month_rows(monthly),
    }
    return RouteView(r, year, ys, tuple(_facts(r, year, rate)), monthly, datasets)


def demographics() -> list[SimpleNamespace]:
    """Who arrives: shares of men, women and children by scope and period, with sources."""
    return [SimpleNamespace(**r) for r in data.figure("mediterranean_demographic_shares.csv").rows]
