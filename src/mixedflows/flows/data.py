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

import csv
import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Annotated, Any

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
    "P": "read in the original release or a verbatim copy",
    "S": "read in a secondary source that cites the original release",
    "S-weak": "read in news reposts, not checked against the original release",
}
"""What a row's verification tag means, in the words the learner sees: how far this course read
the figure, never what kind of source it is (an agency's summary read in full is still a
summary; the row's ``source`` names the kind). The same wording as
:data:`mixedflows.departure.evidence.VERIFICATION`."""


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


@dataclass(frozen=True)
class Table:
    """A figure file as read: its columns and its rows (every value a string). Read with the
    csv module, not pandas: the files are small, and the explorer page should not wait for
    pandas to import."""

    name: str
    columns: tuple[str, ...]
    rows: tuple[dict[str, str], ...]

    def where(self, **equal: str) -> list[dict[str, str]]:
        return [r for r in self.rows if all(r[k] == v for k, v in equal.items())]

    def values(self, column: str) -> set[str]:
        return {r[column] for r in self.rows}

    def _repr_html_(self) -> str:
        """How a notebook shows the figures: a table of plain headings, each row's source as a
        learner reads it (:func:`learner_source`) and how far it was verified in words
        (:data:`VERIFICATION`); never the file's name, its column names or the recorded source."""
        from mixedflows.templating import macro

        headers, rows = self.learner_view()
        return macro("notebook.html.j2", "figure_table", _TABLE_CAPTION, headers, rows)

    def learner_view(self) -> tuple[list[str], list[list[str]]]:
        """The headings and rows a learner reads: internal columns left out, a column's name
        as a plain heading, the verification tag in words."""
        columns = [c for c in self.columns if c not in _INTERNAL_COLUMNS]
        headers = [_HEADINGS.get(c, c.replace("_", " ").capitalize()) for c in columns]
        rows = [
            [VERIFICATION.get(r[c], r[c]) if c == "verification" else r[c] for c in columns]
            for r in self.rows
        ]
        return headers, rows


_TABLE_CAPTION = "The figures, each with its source and how far this course verified it"
_INTERNAL_COLUMNS = frozenset({"source_recorded"})
_HEADINGS = {
    "verification": "How far verified",
    "confidence": "How far verified",
    "figure": "Figure",
    "item": "What",
}


def _read_csv(path: Path) -> Table:
    try:
        with path.open(encoding="utf-8", newline="") as fh:
            reader = csv.DictReader(fh)
            columns = tuple(reader.fieldnames or ())
            rows = tuple(reader)
    except FileNotFoundError:
        raise DataFileError(path, "", "file not found") from None
    except (UnicodeDecodeError, csv.Error) as e:
        raise DataFileError(path, "", f"not a readable CSV file ({e})") from None
    for i, row in enumerate(rows):
        if None in row or any(v is None for v in row.values()):
            raise DataFileError(path, "", f"line {i + 2}: not as many values as columns")
    return Table(path.name, columns, rows)


_COPY = re.compile(
    r",?\s*as (?:archived|redistributed) in GitHub repo [^;]*?(?:\(commit [^)]*\))?(?=;|$)",
    re.IGNORECASE,
)
_COMPUTED = re.compile(r"\bcomputed by (?:the course's )?researchers?\b", re.IGNORECASE)
_MIRROR = re.compile(r"\s*\([^()]*\bmirror\b[^()]*\)", re.IGNORECASE)

IN_A_COPY = "(read in a copy, not checked against the original)"
"""What a learner reads where the course's researchers read a publication in a copy (a mirror, a
document-sharing site, a site reposting it): how far it was verified, not the copy's site."""
IN_THE_NEWS = "(read in news reports, not checked against the original release)"
"""What a learner reads after a figure "reported by" news outlets."""

COPY_HOSTS = (
    "abc.com.py",
    "akoaypilipino",
    "breakinglatest",
    "dailynewsen",
    "dehai",
    "discovery.researcher.life",
    "docslib",
    "documentop",
    "egypt-today",
    "greekcitytimes",
    "hathalyoum",
    "hodhodyemennews",
    "infobae",
    "ijrcenter",
    "laprensalatina",
    "loulalanomade",
    "monteozlive",
    "myeurop",
    "reliefweb",
    "seiditenerifese",
    "pdfslide",
    "slideserve",
    "studylib",
    "the-quest",
    "vntrips",
    "yemeress",
    "yumpu",
)
"""Sites where the course's researchers read a copy of a publication (sources' "via <site>",
"<site> copy", "(<site> archive)"). ReliefWeb hosts agencies' own releases: named alone as where
a release was published ("(reliefweb)"), it stays; read "via" it, it is a copy like the others."""

_HOSTS = "|".join(re.escape(h) for h in COPY_HOSTS)
_PAREN_HOSTS = "|".join(re.escape(h) for h in COPY_HOSTS if h != "reliefweb")
_A_HOST = (
    rf"(?:\b(?:{_HOSTS})\b(?:\.[a-z]{{2,}})*"
    r"|\b[\w-]+(?:\.[\w-]+)*\.(?:com|net|org|xyz|es|eu|life|info|news|int|py)\b)"
)
_STARTS_WITH_HOST = re.compile(rf"^\s*{_A_HOST}\s*", re.IGNORECASE)
_VIA = re.compile(
    r"\s*\b(?:reported )?via\s+(?!(?:sea|land|air)\b)"
    r"(?P<items>[^;()]+?)(?=\s*(?:\(|\)|;|$|\bfor\b))",
    re.IGNORECASE,
)
_HOST_PAREN = re.compile(
    rf"\s*\((?:[^()]*[\s/])?(?:{_PAREN_HOSTS})\b[^()]*\)(?!\w)", re.IGNORECASE
)  # "(dehai.org archive)", "(slideserve.com)", "(reliefweb via hathalyoum)"
_HOST_COPY = re.compile(
    rf"[,;]?\s*(?:(?:copy|reproduced) at\s+{_A_HOST}"
    rf"|{_A_HOST}\s+copy\b(?:\s+(?:page|p\.)\s*\d+)?)",
    re.IGNORECASE,
)  # "copy at d.documentop.com", "studylib.net copy", "yumpu.com copy page 39" (the copy's
# page), "reproduced at loulalanomade.ca"
_HOST_PREFIX = re.compile(rf"^\s*{_A_HOST}\s*/\s+", re.IGNORECASE)
# "the-quest.org / IOM ...", never a site's own page ("unicef.org/georgia/our-mandate")
_REPORTED = re.compile(r"\breported by\b", re.IGNORECASE)
_CITING = re.compile(r"\b(?:citing|quoting)\b", re.IGNORECASE)
_NEWS = re.compile(r"\b(?:reuters|efe|ansa|afp|ap)\b|\.(?:com|net|org)\b", re.IGNORECASE)


def _via(m: re.Match[str]) -> str:
    """ "via A / B / c.com": the news outlets kept as "reported by", the copies' sites left out
    (and said to be copies)."""
    items = [x.strip() for x in re.split(r"\s*/\s*|,\s*|\s+and\s+", m["items"]) if x.strip()]
    kept, rest = [], []
    for x in items:
        host = _STARTS_WITH_HOST.match(x)
        if host is None:
            kept.append(re.sub(r"\s+reposts?$", "", x))
        elif x[host.end() :].strip():
            rest.append(x[host.end() :].strip())  # a host, then the article's title
    if kept:
        return " reported by " + " / ".join(kept) + "".join(" " + x for x in rest)
    return "".join(" " + x for x in rest) + " " + IN_A_COPY


def _without_copies(s: str) -> str:
    s = _HOST_PAREN.sub(" " + IN_A_COPY, s)
    s = _HOST_COPY.sub(" " + IN_A_COPY, s)
    s, prefixed = _HOST_PREFIX.subn("", s)
    s = _VIA.sub(_via, s)
    if prefixed and IN_A_COPY not in s:
        s = f"{s.rstrip(' ;,')} {IN_A_COPY}"
    news = _REPORTED.search(s) or (_CITING.search(s) and _NEWS.search(s))
    if news and "not checked" not in s:
        s = f"{s.rstrip(' ;,')} {IN_THE_NEWS}"
    return s


def learner_source(recorded: str) -> str:
    """A figure's source as a learner reads it: the primary source and what was computed from
    it. The file keeps, for facilitators (and datasets/datapackage.json describes), the
    third-party copy the course's researchers read, its repository, file and commit; a learner
    reads "(read in a third-party copy)" instead of the repository, "computed from it" instead
    of "computed by the course's researchers", and :data:`IN_A_COPY` instead of a mirror's or a
    copy's site (:data:`COPY_HOSTS`, "via <site>"); a figure "reported by" news outlets is said
    to be (:data:`IN_THE_NEWS`): how far the figure was verified is always said."""
    s = _COPY.sub(" (read in a third-party copy)", recorded)
    s = _COMPUTED.sub("computed from it", s)
    s = _MIRROR.sub(" " + IN_A_COPY, s)
    s = _without_copies(s)
    return " ".join(s.split()).strip(" ;,")


@lru_cache(maxsize=32)
def _figure_cached(name: str, mtime: float) -> Table:
    t = _read_csv(figures_dir() / name)
    if "source" not in t.columns:
        raise DataFileError(figures_dir() / name, "source", "missing: every figure needs one")
    # What the engine shows comes from these rows: the learner's form of each source (the
    # recorded form stays in the file, and in "source_recorded").
    rows = tuple(
        {**r, "source": learner_source(r["source"]), "source_recorded": r["source"]} for r in t.rows
    )
    return Table(t.name, t.columns, rows)


def figure(name: str) -> Table:
    """A figure file of datasets/figures/ (rows of strings; read once per version of the file)."""
    p = figures_dir() / name
    try:
        mtime = p.stat().st_mtime
    except FileNotFoundError:
        raise DataFileError(p, "", "file not found") from None
    return _figure_cached(name, mtime)


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
    monthly = figure(MONTHLY_FILE).values("series")
    mmp = figure(MMP_FILE).values("route")
    for k, r in enumerate(spec.routes):
        where = f"routes.{k}"
        if r.arrivals is not None:
            try:
                table = figure(r.arrivals.file)
            except DataFileError as e:
                raise DataFileError(p, f"{where}.arrivals.file", e.detail) from None
            for col in (*r.arrivals.where, *([r.deaths_column] if r.deaths_column else [])):
                if col not in table.columns:
                    raise DataFileError(p, f"{where}.arrivals", f"{r.arrivals.file} has no '{col}'")
            _columns(table)
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


def _columns(table: Table) -> tuple[str, str]:
    """The arrivals and period columns of an arrivals file (their names differ by file)."""
    value = next((c for c in ("arrivals", "value") if c in table.columns), None)
    period = next((c for c in ("period_covered", "period") if c in table.columns), None)
    if value is None or period is None or "year" not in table.columns:
        raise DataFileError(
            figures_dir() / table.name,
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


@dataclass(frozen=True)
class Arrivals:
    """A route's recorded arrivals in one year (one row of its arrivals file)."""

    route: str
    year: int
    arrivals: float
    period: str
    whole_year: bool
    source: str
    file: str


@dataclass(frozen=True)
class DeadMissing:
    """A route's recorded dead and missing in one year."""

    route: str
    year: int
    dead: float | None
    """None where dead and missing are not told apart."""
    missing: float | None
    dead_and_missing: float
    complete: bool
    note: str
    source: str


def _year(path: Path, row: dict[str, str], line: int) -> int:
    try:
        return int(row["year"])
    except ValueError:
        raise DataFileError(path, "year", f"line {line}: '{row['year']}' is not a year") from None


def annual_arrivals(r: Route) -> list[Arrivals]:
    """A route's recorded arrivals by year, in the file's order. Rows without a number are
    left out."""
    return list(_annual_arrivals(r.model_dump_json(), _stamp(routes_path())))


def dead_missing(r: Route) -> list[DeadMissing]:
    """A route's recorded dead and missing by year: from the Missing Migrants Project file, or
    from the arrivals file's ``deaths_column`` (then dead and missing are not told apart)."""
    return list(_dead_missing(r.model_dump_json(), _stamp(routes_path())))


def _not_complete(recorded: str) -> str:
    """A year_complete value other than "yes" as a learner reads it: "no (to early May 2026)"
    -> "year not complete (to early May 2026)"; "no" -> "year not complete"."""
    rest = re.sub(r"^\s*no\b[\s,;:]*", "", recorded, flags=re.IGNORECASE).strip()
    if rest.startswith("(") and rest.endswith(")"):
        rest = rest[1:-1].strip()
    return f"year not complete ({rest})" if rest else "year not complete"


@lru_cache(maxsize=64)
def _annual_arrivals(route_json: str, stamp: tuple[Any, ...]) -> tuple[Arrivals, ...]:
    r = Route.model_validate_json(route_json)
    if r.arrivals is None:
        return ()
    table = figure(r.arrivals.file)
    value, period = _columns(table)
    path = figures_dir() / table.name
    out = []
    for i, row in enumerate(table.rows):
        if any(row[k] != v for k, v in r.arrivals.where.items()):
            continue
        n = _number(row[value])
        if n is None:
            continue
        out.append(
            Arrivals(
                r.id,
                _year(path, row, i + 2),
                n,
                row[period] or "period not stated",
                covers_year(row[period]),
                row["source"],
                r.arrivals.file,
            )
        )
    return tuple(out)


@lru_cache(maxsize=64)
def _dead_missing(route_json: str, stamp: tuple[Any, ...]) -> tuple[DeadMissing, ...]:
    r = Route.model_validate_json(route_json)
    out = []
    if r.deaths_route:
        table = figure(MMP_FILE)
        path = figures_dir() / MMP_FILE
        for i, row in enumerate(table.rows):
            if row["route"] != r.deaths_route:
                continue
            done = row["year_complete"].strip().lower() == "yes"
            out.append(
                DeadMissing(
                    r.id,
                    _year(path, row, i + 2),
                    _number(row["dead"]),
                    _number(row["missing"]),
                    _number(row["dead_and_missing"]) or 0.0,
                    done,
                    row["method_note"]
                    if done
                    else f"{_not_complete(row['year_complete'])}; {row['method_note']}",
                    row["source"],
                )
            )
    elif r.deaths_column and r.arrivals is not None:
        table = figure(r.arrivals.file)
        path = figures_dir() / table.name
        _, period = _columns(table)
        for i, row in enumerate(table.rows):
            if any(row[k] != v for k, v in r.arrivals.where.items()):
                continue
            d = _number(row[r.deaths_column])
            if d is None:
                continue
            out.append(
                DeadMissing(
                    r.id,
                    _year(path, row, i + 2),
                    None,
                    None,
                    d,
                    covers_year(row[period]),
                    f"dead or missing as reported; period: {row[period] or 'not stated'}",
                    row["source"],
                )
            )
    return tuple(out)


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
        whole = [a for a in annual_arrivals(r) if a.whole_year]
        complete = {d.year: d for d in reversed(dead_missing(r)) if d.complete}
        for year in sorted({a.year for a in whole} & set(complete)):
            ay = [a for a in whole if a.year == year]
            full = [a for a in ay if a.period.lower().startswith("full year")]
            arow = (full or ay)[0]
            drow = complete[year]
            if arow.arrivals <= 0:
                continue
            out.append(
                Rate(
                    r.id,
                    r.label,
                    year,
                    drow.dead_and_missing,
                    arow.arrivals,
                    drow.source,
                    arow.source,
                    arow.period,
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


def _periods(series: str, rows: list[dict[str, str]]) -> tuple[Period, ...]:
    path = figures_dir() / MONTHLY_FILE
    measures = {r["measure"] for r in rows}
    if len(measures) != 1:
        raise DataFileError(path, "measure", f"series '{series}' mixes {sorted(measures)}")
    measure = measures.pop()
    try:
        spans = [(int(r["month_from"]), int(r["month_to"]), float(r["value"])) for r in rows]
    except ValueError as e:
        raise DataFileError(path, "value", f"series '{series}': not a number ({e})") from None
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
    groups: dict[str, list[dict[str, str]]] = {}
    for row in figure(MONTHLY_FILE).rows:
        groups.setdefault(row["series"], []).append(row)
    out = {}
    for sid, rows in groups.items():
        first = rows[0]
        out[sid] = MonthlySeries(
            id=sid,
            route=first["route"],
            place=first["place"],
            period=first["period"],
            measure=first["measure"],
            periods=_periods(sid, rows),
            source=" | ".join(dict.fromkeys(r["source"] for r in rows)),
            verification=tuple(r["verification"] for r in rows),
            notes=tuple(x for x in dict.fromkeys(r["note"] for r in rows) if x),
        )
    return tuple(out.items())


@dataclass(frozen=True)
class SeasonShare:
    """The share of a year's arrivals that came in a run of months."""

    route: str
    place: str
    year: int
    months: str
    share_pct: float
    year_total: float | None
    note: str
    source: str
    verification: str


def season_shares() -> list[SeasonShare]:
    """The rows of seasonal_share_may_october.csv."""
    path = figures_dir() / SHARES_FILE
    out = []
    for i, r in enumerate(figure(SHARES_FILE).rows):
        share = _number(r["share_pct"])
        if share is None:
            raise DataFileError(path, "share_pct", f"line {i + 2}: not a number")
        out.append(
            SeasonShare(
                r["route"],
                r["place"],
                _year(path, r, i + 2),
                r["months"],
                share,
                _number(r["year_total"]),
                r["note"],
                r["source"],
                r["verification"],
            )
        )
    return out
