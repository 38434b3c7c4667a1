"""The recorded figures of module 2, read from ``datasets/figures/`` by route and year.

Nothing here holds a figure. :func:`load_routes` reads ``datasets/flows/routes.yaml`` (which file
and which rows belong to each route), and every function returns rows of the figure files with
their source and period, so what the explorer shows and what the data-reading questions grade
are the same numbers. Two rules decide what may be compared:

- a year's arrivals count as the whole year when the period says "full year", or when it runs
  to 28 December or later (:func:`covers_year`); other rows (January to October, say) are shown
  but never used in a rate or a ranking;
- a year's dead and missing count when the Missing Migrants Project file marks the year complete.

The rate is *recorded* dead and missing per 1,000 arrivals: people who died were never among the
arrivals, and many deaths are never recorded, so it is not the chance of dying on the crossing.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Annotated, Any

import pandas as pd
from pydantic import Field, ValidationError

from mixedflows.errors import DataFileError, Strict, from_validation, load_yaml

MONTHS = (
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
)

MMP_FILE = "mmp_dead_missing_by_route_year.csv"
MONTHLY_FILE = "monthly_arrivals.csv"
SHARES_FILE = "seasonal_share_may_october.csv"

VERIFICATION = {
    "P": "primary source",
    "S": "a reliable secondary source that cites the primary data",
    "S-weak": "reported by news reposts, not checked against the primary release",
}
"""What a row's verification tag means, in the words the learner sees."""


class ArrivalsSeries(Strict):
    file: str
    """A CSV in datasets/figures/."""
    where: dict[str, str] = Field(default_factory=dict)
    """Keep the rows whose columns equal these values."""


class Route(Strict):
    id: Annotated[str, Field(pattern=r"^[a-z0-9_]+$")]
    label: str
    arrivals: ArrivalsSeries | None = None
    deaths_route: str = ""
    """The route's name in the Missing Migrants Project file."""
    deaths_column: str = ""
    """Or: the column of the arrivals file that holds the dead and missing."""
    monthly: tuple[str, ...] = ()
    """Series of datasets/figures/monthly_arrivals.csv on this route."""
    caveat: str = ""


class RouteFile(Strict):
    id: str
    routes: Annotated[tuple[Route, ...], Field(min_length=1)]


def figures_dir() -> Path:
    from mixedflows.paths import datasets_dir

    return datasets_dir() / "figures"


def routes_path() -> Path:
    from mixedflows.paths import datasets_dir

    return datasets_dir() / "flows" / "routes.yaml"


def _read_csv(path: Path) -> pd.DataFrame:
    try:
        return pd.read_csv(path, dtype=str, keep_default_na=False)
    except FileNotFoundError:
        raise DataFileError(path, "", "file not found") from None
    except (pd.errors.ParserError, UnicodeDecodeError) as e:
        raise DataFileError(path, "", f"not a readable CSV file ({e})") from None


@lru_cache(maxsize=32)
def _figure_cached(name: str, mtime: float) -> pd.DataFrame:
    df = _read_csv(figures_dir() / name)
    if "source" not in df.columns:
        raise DataFileError(figures_dir() / name, "source", "missing: every figure needs one")
    return df


def figure(name: str) -> pd.DataFrame:
    """A figure file of datasets/figures/ as strings (a copy: callers may change it)."""
    p = figures_dir() / name
    try:
        mtime = p.stat().st_mtime
    except FileNotFoundError:
        raise DataFileError(p, "", "file not found") from None
    return _figure_cached(name, mtime).copy()


def _stamp(p: Path) -> tuple[Any, ...]:
    """What the routes and figures depend on: the files' names and modification times (an
    edited file is read again; an unchanged course is read once per process)."""
    files = sorted(figures_dir().glob("*.csv"))
    try:
        own = p.stat().st_mtime
    except FileNotFoundError:
        own = None
    return (str(p), own, tuple((f.name, f.stat().st_mtime) for f in files))


def load_routes(path: Path | None = None) -> tuple[Route, ...]:
    """The routes file, validated: every file and column it names must exist."""
    p = path or routes_path()
    return _load_routes(_stamp(p))


@lru_cache(maxsize=8)
def _load_routes(stamp: tuple[Any, ...]) -> tuple[Route, ...]:
    p = Path(stamp[0])
    data = load_yaml(p)
    try:
        spec = RouteFile.model_validate(data)
    except ValidationError as e:
        raise from_validation(p, e) from None
    ids = [r.id for r in spec.routes]
    if len(set(ids)) != len(ids):
        raise DataFileError(p, "routes", "two routes share an id")
    monthly = set(figure(MONTHLY_FILE)["series"])
    mmp = set(figure(MMP_FILE)["route"])
    for k, r in enumerate(spec.routes):
        where = f"routes.{k}"
        if r.arrivals is not None:
            try:
                df = figure(r.arrivals.file)
            except DataFileError as e:
                raise DataFileError(p, f"{where}.arrivals.file", e.detail) from None
            for col in (*r.arrivals.where, *([r.deaths_column] if r.deaths_column else [])):
                if col not in df.columns:
                    raise DataFileError(p, f"{where}.arrivals", f"{r.arrivals.file} has no '{col}'")
            _columns(df, r.arrivals.file)
        elif r.deaths_column:
            raise DataFileError(p, f"{where}.deaths_column", "needs an arrivals file to read from")
        if r.deaths_route and r.deaths_route not in mmp:
            raise DataFileError(
                p, f"{where}.deaths_route", f"no route '{r.deaths_route}' in {MMP_FILE}"
            )
        for s in r.monthly:
            if s not in monthly:
                raise DataFileError(p, f"{where}.monthly", f"no series '{s}' in {MONTHLY_FILE}")
    return spec.routes


def route(route_id: str) -> Route:
    for r in load_routes():
        if r.id == route_id:
            return r
    raise KeyError(f"no route '{route_id}'; routes: {', '.join(r.id for r in load_routes())}")


def _columns(df: pd.DataFrame, name: str) -> tuple[str, str]:
    """The arrivals and period columns of an arrivals file (their names differ by file)."""
    value = next((c for c in ("arrivals", "value") if c in df.columns), None)
    period = next((c for c in ("period_covered", "period") if c in df.columns), None)
    if value is None or period is None or "year" not in df.columns:
        raise DataFileError(
            figures_dir() / name,
            "",
            "an arrivals file needs 'year', 'arrivals' (or 'value') and "
            "'period' (or 'period_covered') columns",
        )
    return value, period


_NEAR_END = re.compile(r"(?:to|-)\s*(\d{1,2})\s*Dec", re.IGNORECASE)


def covers_year(period: str) -> bool:
    """Whether a figure's period covers the whole year: "full year ..." or up to 28 December
    or later ("to 31 Dec 2020 08:00", "1 Jan-29 Dec"). A blank period or a part of the year does
    not ("Jan-Oct", "1 Jan-18 Nov 2024", "year estimate in Dec 2009")."""
    text = period.strip().lower()
    if text.startswith("full year"):
        return True
    m = _NEAR_END.search(period)
    return bool(m and int(m.group(1)) >= 28)


def _number(text: str) -> float | None:
    t = text.replace(",", "").strip()
    try:
        return float(t)
    except ValueError:
        return None


def _rows_of(series: ArrivalsSeries) -> pd.DataFrame:
    df = figure(series.file)
    for col, val in series.where.items():
        df = df[df[col] == val]
    return df


def annual_arrivals(r: Route) -> pd.DataFrame:
    """A route's recorded arrivals by year: columns route, year, arrivals, period, whole_year,
    source, file. Rows without a number are dropped."""
    return _by_route(_annual_arrivals, r)


def dead_missing(r: Route) -> pd.DataFrame:
    """A route's recorded dead and missing by year: columns route, year, dead, missing,
    dead_and_missing, complete, note, source. From the Missing Migrants Project file, or from the
    arrivals file's ``deaths_column`` (then dead and missing are not told apart)."""
    return _by_route(_dead_missing, r)


_FRAMES: dict[tuple[Any, ...], pd.DataFrame] = {}


def _by_route(fn: Any, r: Route) -> pd.DataFrame:
    # Routes of the routes file are read once per version of the files; others are not cached.
    key = (fn.__name__, r.model_dump_json(), _stamp(routes_path()))
    if key not in _FRAMES:
        if len(_FRAMES) > 64:
            _FRAMES.clear()
        _FRAMES[key] = fn(r)
    return _FRAMES[key].copy()


def _annual_arrivals(r: Route) -> pd.DataFrame:
    cols = ["route", "year", "arrivals", "period", "whole_year", "source", "file"]
    if r.arrivals is None:
        return pd.DataFrame(columns=cols)
    df = _rows_of(r.arrivals)
    value, period = _columns(df, r.arrivals.file)
    rows = []
    for _, row in df.iterrows():
        n = _number(row[value])
        if n is None:
            continue
        rows.append(
            {
                "route": r.id,
                "year": int(row["year"]),
                "arrivals": n,
                "period": row[period] or "period not stated",
                "whole_year": covers_year(row[period]),
                "source": row["source"],
                "file": r.arrivals.file,
            }
        )
    return pd.DataFrame(rows, columns=cols)


def _dead_missing(r: Route) -> pd.DataFrame:
    cols = ["route", "year", "dead", "missing", "dead_and_missing", "complete", "note", "source"]
    rows = []
    if r.deaths_route:
        df = figure(MMP_FILE)
        for _, row in df[df["route"] == r.deaths_route].iterrows():
            rows.append(
                {
                    "route": r.id,
                    "year": int(row["year"]),
                    "dead": float(row["dead"]),
                    "missing": float(row["missing"]),
                    "dead_and_missing": float(row["dead_and_missing"]),
                    "complete": row["year_complete"].strip().lower() == "yes",
                    "note": row["method_note"]
                    if row["year_complete"].strip().lower() == "yes"
                    else f"year not complete ({row['year_complete']}); {row['method_note']}",
                    "source": row["source"],
                }
            )
    elif r.deaths_column and r.arrivals is not None:
        df = _rows_of(r.arrivals)
        _, period = _columns(df, r.arrivals.file)
        for _, row in df.iterrows():
            d = _number(row[r.deaths_column])
            if d is None:
                continue
            rows.append(
                {
                    "route": r.id,
                    "year": int(row["year"]),
                    "dead": float("nan"),
                    "missing": float("nan"),
                    "dead_and_missing": d,
                    "complete": covers_year(row[period]),
                    "note": f"dead or missing as reported; period: {row[period] or 'not stated'}",
                    "source": row["source"],
                }
            )
    return pd.DataFrame(rows, columns=cols)


@dataclass(frozen=True)
class Rate:
    """Recorded dead and missing per 1,000 arrivals on one route in one year."""

    route: str
    label: str
    year: int
    dead_and_missing: float
    arrivals: float
    deaths_source: str
    arrivals_source: str
    arrivals_period: str

    @property
    def per_1000(self) -> float:
        return 1000.0 * self.dead_and_missing / self.arrivals

    def text(self) -> str:
        return (
            f"{self.label}, {self.year}: {self.dead_and_missing:,.0f} recorded dead and missing "
            f"for {self.arrivals:,.0f} arrivals ({self.arrivals_period}), that is "
            f"{self.per_1000:.1f} per 1,000"
        )


def rates(routes: tuple[Route, ...] | None = None) -> list[Rate]:
    """Every route-year with a whole year of arrivals and a complete year of dead and missing.

    Where two whole-year rows give a route's arrivals for one year, the one saying "full year"
    is used, then the first in the file (both stay visible in the explorer)."""
    ids = tuple(r.id for r in (routes or load_routes()))
    return list(_rates(ids, _stamp(routes_path())))


@lru_cache(maxsize=16)
def _rates(ids: tuple[str, ...], stamp: tuple[Any, ...]) -> tuple[Rate, ...]:
    out = []
    for r in (x for x in load_routes() if x.id in ids):
        a = annual_arrivals(r)
        a = a.loc[a["whole_year"].astype(bool)]
        d = dead_missing(r)
        d = d.loc[d["complete"].astype(bool)]
        for year in sorted(set(a["year"]) & set(d["year"])):
            ay = a[a["year"] == year]
            full = ay[ay["period"].str.lower().str.startswith("full year")]
            arow = (full if len(full) else ay).iloc[0]
            drow = d[d["year"] == year].iloc[0]
            if arow["arrivals"] <= 0:
                continue
            out.append(
                Rate(
                    r.id,
                    r.label,
                    int(year),
                    float(drow["dead_and_missing"]),
                    float(arow["arrivals"]),
                    str(drow["source"]),
                    str(arow["source"]),
                    str(arow["period"]),
                )
            )
    return tuple(out)


# --- Months --------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Period:
    """Arrivals in a run of months of one series (one month, or several when only a
    cumulative total was reported)."""

    month_from: int
    month_to: int
    arrivals: float

    @property
    def months(self) -> int:
        return self.month_to - self.month_from + 1

    def label(self) -> str:
        a, b = MONTHS[self.month_from - 1], MONTHS[self.month_to - 1]
        return a if self.month_from == self.month_to else f"{a} to {b}"


@dataclass(frozen=True)
class MonthlySeries:
    """One series of monthly_arrivals.csv, as arrivals per period of months."""

    id: str
    route: str
    place: str
    period: str
    measure: str
    periods: tuple[Period, ...]
    source: str
    verification: tuple[str, ...]
    notes: tuple[str, ...]

    @property
    def single_months(self) -> dict[int, float]:
        return {p.month_from: p.arrivals for p in self.periods if p.months == 1}

    @property
    def complete(self) -> bool:
        """Twelve single months: every month's figure is known."""
        return sorted(self.single_months) == list(range(1, 13))

    @property
    def covers_year(self) -> bool:
        """Every month of the year is in one period (alone, or within a run of months)."""
        months = sorted(m for p in self.periods for m in range(p.month_from, p.month_to + 1))
        return months == list(range(1, 13))

    def caveat(self) -> str:
        """What the figures are and how far they were verified, in plain words."""
        tags = sorted(set(self.verification))
        text = "Sources: " + "; ".join(VERIFICATION.get(t, t) for t in tags) + "."
        if self.measure == "cumulative arrivals since 1 January":
            ends = ", ".join(MONTHS[p.month_to - 1] for p in self.periods)
            text += (
                f" Only running totals since 1 January were reported (to the end of {ends}): "
                "each run of months is the difference between two totals."
            )
        return text

    def peak_month(self) -> int | None:
        """The month with the most arrivals, when the figures decide it: every month of the year
        is covered, and one month's figure is above every other month's and above the whole
        total of every run of several months (any one month of which could hold, at most, all of
        it). None otherwise."""
        singles = self.single_months
        if not singles or not self.covers_year:
            return None
        best = max(singles, key=lambda m: singles[m])
        rivals = [v for m, v in singles.items() if m != best] + [
            p.arrivals for p in self.periods if p.months > 1
        ]
        if all(singles[best] > v for v in rivals):
            return best
        return None

    def months_above_average(self) -> tuple[int, ...] | None:
        """The months whose arrivals are above the series' average month (only when all twelve
        months are known)."""
        if not self.complete:
            return None
        s = self.single_months
        mean = sum(s.values()) / 12
        return tuple(m for m in range(1, 13) if s[m] > mean)


def _periods(series: str, rows: pd.DataFrame) -> tuple[Period, ...]:
    path = figures_dir() / MONTHLY_FILE
    measures = set(rows["measure"])
    if len(measures) != 1:
        raise DataFileError(path, "measure", f"series '{series}' mixes {sorted(measures)}")
    measure = measures.pop()
    spans = [(int(r.month_from), int(r.month_to), float(r.value)) for r in rows.itertuples()]
    for a, b, _ in spans:
        if not 1 <= a <= b <= 12:
            raise DataFileError(path, "month_from", f"series '{series}': months {a} to {b}")
    if measure == "cumulative arrivals since 1 January":
        out, prev_to, prev_total = [], 0, 0.0
        for a, b, v in sorted(spans, key=lambda s: s[1]):
            if a != 1 or v < prev_total:
                raise DataFileError(
                    path,
                    "value",
                    f"series '{series}': a cumulative total must start in January and never fall",
                )
            out.append(Period(prev_to + 1, b, v - prev_total))
            prev_to, prev_total = b, v
        return tuple(out)
    return tuple(Period(a, b, v) for a, b, v in sorted(spans))


def monthly_series() -> dict[str, MonthlySeries]:
    """Every series of monthly_arrivals.csv, cumulative totals turned into periods."""
    return dict(_monthly(_stamp(routes_path())))


@lru_cache(maxsize=4)
def _monthly(stamp: tuple[Any, ...]) -> tuple[tuple[str, MonthlySeries], ...]:
    df = figure(MONTHLY_FILE)
    out = {}
    for sid, rows in df.groupby("series", sort=False):
        out[str(sid)] = MonthlySeries(
            id=str(sid),
            route=rows["route"].iloc[0],
            place=rows["place"].iloc[0],
            period=rows["period"].iloc[0],
            measure=rows["measure"].iloc[0],
            periods=_periods(str(sid), rows),
            source=" | ".join(dict.fromkeys(rows["source"])),
            verification=tuple(rows["verification"]),
            notes=tuple(x for x in dict.fromkeys(rows["note"]) if x),
        )
    return tuple(out.items())


def season_shares() -> pd.DataFrame:
    """The share of a year's arrivals that came in a run of months (seasonal_share_may_october.csv),
    with columns route, place, year, months, share_pct, year_total, note, source, verification."""
    df = figure(SHARES_FILE)
    df["year"] = df["year"].astype(int)
    df["share_pct"] = df["share_pct"].astype(float)
    df["year_total"] = df["year_total"].map(_number)
    return df
