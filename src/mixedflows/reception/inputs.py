"""What the reception simulation takes in: a season of arrivals, a plan, and a configuration.

- :class:`Season`: where and when. Arrivals over a window of days, read from a scenario's
  ``arrivals`` and ``reception`` fields, or from a file in ``datasets/reception/`` that borrows a
  scenario's composition and gives its own arrival periods (each with its source).
- :class:`Plan`: what the centre decides and a learner changes. Staff by role with their shifts,
  beds, transfers out per day, and the priority order of groups.
- :class:`Config`: what the course assumes. Service times, the share of people needing an
  interpreter, the limits a centre is judged by. The default values are illustrative teaching
  assumptions, not measured figures, and are labelled so wherever they are shown.

The rules rest on MC/INF/294 ¶16 (capacity to act when sudden inflows occur), ¶17 (acute welfare
needs first, then screening), and ¶19 (reception sensitive to the range of needs of diverse
groups, with separate care for women and children).
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field, model_validator

from mixedflows.citations import Citation, para
from mixedflows.errors import DataFileError, Strict, load_model
from mixedflows.scenarios import ArrivalPeriod, Scenario, check_scenario_ref, load_scenario

if TYPE_CHECKING:
    import numpy as np

Role = Literal["medical", "screening", "child_protection", "mediation"]
ROLES: tuple[Role, ...] = ("medical", "screening", "child_protection", "mediation")
"""Staff roles, in the order the engine numbers its staff pools."""

ROLE_LABELS: dict[str, str] = {
    "medical": "Medical staff (first check and urgent care)",
    "screening": "Screening and legal counselling",
    "child_protection": "Child protection",
    "mediation": "Cultural mediators and interpreters",
}
ROLE_AGENCY: dict[str, str] = {
    # Praesidium's division of work at Lampedusa (REFERENCE.md §4, UNHCR Italy page).
    "medical": "Italian Red Cross",
    "screening": "IOM and UNHCR",
    "child_protection": "Save the Children",
    "mediation": "cultural mediators working with each agency",
}

Group = Literal[
    "urgent_medical", "unaccompanied_child", "specific_needs", "child_with_family", "other"
]
GROUPS: tuple[Group, ...] = (
    "urgent_medical",
    "unaccompanied_child",
    "specific_needs",
    "child_with_family",
    "other",
)
"""Groups a person is counted in; a person is counted in the first group that applies."""

GROUP_LABELS: dict[str, str] = {
    "urgent_medical": "Urgent medical need",
    "unaccompanied_child": "Unaccompanied or separated child",
    "specific_needs": "Adult with specific needs",
    "child_with_family": "Child with a parent",
    "other": "Other adults",
}

DEFAULT_PRIORITY: dict[str, int] = {
    "urgent_medical": 0,
    "unaccompanied_child": 1,
    "specific_needs": 1,
    "child_with_family": 1,
    "other": 2,
}
"""Lower is served first. ¶17: acute welfare needs first; ¶19: then the groups the note names as
most exposed (minors, people in need of special care)."""

PRIORITY_CITATION = Citation(
    framework="UNHCR 10-Point Plan (2007), point 4 (reception arrangements) and point 5 "
    "(profiling and referral)",
    seed=para(16, 17, 19),
)
CAPACITY_CITATION = Citation(
    framework="Praesidium project, Lampedusa (UNHCR and Caritas presentation on the project; "
    "IOM MICIC initiative, good-practice page on the project)",
    seed=para(16, 18, 19),
)
CHILD_CITATION = Citation(
    framework="CRC General Comment No. 6 (2005); UNHCR Best Interests Procedure Guidelines "
    "(2021): a pending procedure must not delay urgent protection of a child",
    seed=para(19, 21),
    caveat="the 24-hour limit is a course target, not a rule of these instruments",
)


class Shift(Strict):
    """A daily shift: ``staff`` people on duty from ``start`` o'clock for ``hours`` hours."""

    start: Annotated[int, Field(ge=0, le=23)] = 8
    hours: Annotated[int, Field(ge=1, le=24)] = 12
    staff: Annotated[int, Field(ge=0, le=500)] = 0


def day_night(day: int, night: int = 0, day_start: int = 8) -> tuple[Shift, ...]:
    """Two 12-hour shifts: ``day`` staff from ``day_start``, ``night`` staff for the rest."""
    return (
        Shift(start=day_start, hours=12, staff=day),
        Shift(start=(day_start + 12) % 24, hours=12, staff=night),
    )


class Distribution(Strict):
    """A service time in hours: its mean and coefficient of variation (sd / mean).

    ``fixed`` always gives the mean; ``exponential`` ignores ``cv`` (it is 1); ``lognormal`` and
    ``gamma`` take both.
    """

    kind: Literal["fixed", "exponential", "lognormal", "gamma"] = "lognormal"
    mean: Annotated[float, Field(gt=0, le=48)]
    cv: Annotated[float, Field(ge=0, le=3)] = 0.5

    def draw(self, rng: np.random.Generator, n: int) -> np.ndarray:
        """``n`` independent durations (hours), all strictly positive."""
        import numpy as np

        if self.kind == "fixed" or (self.cv == 0 and self.kind != "exponential"):
            return np.full(n, self.mean)
        if self.kind == "exponential":
            x = rng.exponential(self.mean, n)
        elif self.kind == "lognormal":
            s2 = np.log1p(self.cv**2)
            x = rng.lognormal(np.log(self.mean) - s2 / 2, np.sqrt(s2), n)
        else:
            k = 1.0 / self.cv**2
            x = rng.gamma(k, self.mean / k, n)
        # A zero duration would make two events of one person simultaneous; a second is enough.
        return np.maximum(x, 1.0 / 3600)

    def as_fixed(self) -> Distribution:
        return self.model_copy(update={"kind": "fixed"})


class ServiceTimes(Strict):
    """How long each step takes one staff member. Illustrative teaching assumptions."""

    medical_check: Distribution = Distribution(mean=0.1, cv=0.5)
    """First medical check (triage) at landing, for everyone: six minutes on average."""
    urgent_care: Distribution = Distribution(mean=0.5, cv=0.6)
    """Medical care at landing for a person with an acute need (replaces the check)."""
    screening_interview: Distribution = Distribution(mean=0.75, cv=0.5)
    """Screening and counselling interview (indications of protection needs, trafficking,
    options), with a mediator when the person needs one."""
    child_interview: Distribution = Distribution(mean=1.5, cv=0.4)
    """Child-protection interview with an unaccompanied or separated child (first step of a
    best interests assessment), with a mediator when needed."""

    def fixed(self) -> ServiceTimes:
        """The same means, without chance (for exact comparisons)."""
        return ServiceTimes(**{k: getattr(self, k).as_fixed() for k in type(self).model_fields})


class Limits(Strict):
    """The standards a season is judged by (course targets, labelled as such)."""

    child_interview_hours: Annotated[float, Field(gt=0)] = 24.0
    """An unaccompanied child should start a child-protection interview within this time."""
    screening_hours: Annotated[float, Field(gt=0)] = 72.0
    """Everyone should start a screening interview within this time of landing."""


class Config(Strict):
    """Assumptions of the course, shared by every plan in a comparison."""

    service: ServiceTimes = ServiceTimes()
    interpreter_share: Annotated[float, Field(ge=0, le=1)] = 0.8
    """Share of people whose interview needs a cultural mediator or interpreter (illustrative)."""
    limits: Limits = Limits()
    drain_days: Annotated[int, Field(ge=0, le=365)] = 30
    """Days simulated after the season's last arrival so that everyone can be seen."""
    landing_size_shape: Annotated[float, Field(gt=0)] = 2.0
    """Spread of people per landing (gamma shape; smaller is more uneven). Illustrative."""


class Plan(Strict):
    """The centre's plan for a season: staff with shifts, beds, transfers, priorities."""

    staff: dict[Role, tuple[Shift, ...]] = Field(default_factory=dict)
    """Shifts by role; a role left out has no staff."""
    beds: Annotated[int, Field(ge=0, le=100_000)] = 190
    transfers_per_day: Annotated[int, Field(ge=0, le=100_000)] = 200
    """Seats out of the centre per day (ferry, flight or bus to centres elsewhere)."""
    transfer_hour: Annotated[int, Field(ge=0, le=23)] = 10
    priority: dict[Group, Annotated[int, Field(ge=0, le=9)]] = Field(
        default_factory=lambda: dict(DEFAULT_PRIORITY)
    )
    """Rank of each group, lower first; a group left out is ranked last."""

    def on_duty(self, role: str) -> list[int]:
        """Staff of ``role`` on duty in each hour of the day (24 integers; plain Python, so the
        page's first view, which shows them, does not load numpy)."""
        c = [0] * 24
        for s in self.staff.get(role, ()):  # type: ignore[call-overload]
            for hour in {(s.start + k) % 24 for k in range(s.hours)}:
                c[hour] += s.staff
        return c

    def rank(self, group: str) -> int:
        return self.priority.get(group, 10)  # type: ignore[call-overload]

    def staff_hours_per_day(self, role: str) -> int:
        return sum(self.on_duty(role))

    def summary(self) -> str:
        parts = []
        for r in ROLES:
            c = self.on_duty(r)
            parts.append(f"{r.replace('_', ' ')} {max(c)} on duty at peak")
        return (
            ", ".join(parts) + f"; {self.beds} beds; {self.transfers_per_day} transfers "
            f"a day at {self.transfer_hour}:00"
        )

    @classmethod
    def simple(
        cls,
        medical: tuple[int, int] = (4, 2),
        screening: tuple[int, int] = (4, 0),
        child_protection: tuple[int, int] = (2, 0),
        mediation: tuple[int, int] = (4, 0),
        **kw: object,
    ) -> Plan:
        """A plan with a day and a night shift per role, given as (day staff, night staff)."""
        staff = {
            "medical": day_night(*medical),
            "screening": day_night(*screening),
            "child_protection": day_night(*child_protection),
            "mediation": day_night(*mediation),
        }
        return cls(staff=staff, **kw)  # type: ignore[arg-type]


class Season(Strict):
    """A season of arrivals at a reception centre.

    Built from a scenario (its ``arrivals`` periods and its ``reception`` capacity), or read from
    ``datasets/reception/<id>.yaml``, which names the scenario that gives the composition of the
    flow and may give its own arrival periods, window and capacity, each with its source.
    """

    id: Annotated[str, Field(pattern=r"^[a-z0-9_]+$")]
    title: str
    scenario: str
    """Scenario giving the composition (demography, urgent and specific needs)."""
    summary: str = ""
    start: dt.date | None = None
    """First day simulated; default the start of the first arrival period."""
    days: Annotated[int, Field(ge=1, le=400)] | None = None
    """Days simulated; default up to the end of the last arrival period."""
    arrivals: tuple[ArrivalPeriod, ...] = ()
    """Arrival periods; empty means the scenario's own."""
    mean_landing_size: Annotated[float, Field(ge=1)] | None = None
    """People per landing when a period gives no number of landings."""
    landing_size_source: str = ""
    capacity: Annotated[int, Field(ge=1)] | None = None
    """Beds the centre was built for; default the scenario's reception capacity."""
    capacity_source: str = ""
    sources: tuple[str, ...] = ()
    caveats: tuple[str, ...] = ()
    """What is assumed rather than measured (shown to learners)."""

    @model_validator(mode="after")
    def _sources(self) -> Season:
        if self.capacity is not None and not self.capacity_source:
            raise ValueError("a capacity needs its capacity_source")
        if self.mean_landing_size is not None and not self.landing_size_source:
            raise ValueError("a mean_landing_size needs its landing_size_source")
        return self


def parse_period(text: str) -> tuple[dt.date, dt.date]:
    """A period as [first day, day after the last): "2013", "2011-03", or "2011-01-01/2011-08-31".

    Raises ValueError naming the period when it has none of these forms.
    """
    t = text.strip()
    try:
        if "/" in t:
            a, b = (x.strip() for x in t.split("/", 1))
            return dt.date.fromisoformat(a), dt.date.fromisoformat(b) + dt.timedelta(days=1)
        if len(t) == 4 and t.isdigit():
            y = int(t)
            return dt.date(y, 1, 1), dt.date(y + 1, 1, 1)
        if len(t) == 7 and t[4] == "-":
            y, m = int(t[:4]), int(t[5:])
            end = dt.date(y + 1, 1, 1) if m == 12 else dt.date(y, m + 1, 1)
            return dt.date(y, m, 1), end
    except ValueError:
        pass
    raise ValueError(f"period '{text}': expected YYYY, YYYY-MM or YYYY-MM-DD/YYYY-MM-DD")


class ResolvedSeason(BaseModel):
    """A season with everything looked up: composition, window, periods and capacity."""

    model_config = ConfigDict(frozen=True, arbitrary_types_allowed=True)

    season: Season
    scenario: Scenario
    start: dt.date
    days: int
    periods: tuple[tuple[float, float, float, float], ...]
    """(first day, last day + 1, expected people, expected landings) inside the window."""
    capacity: int
    capacity_source: str

    @property
    def expected_people(self) -> float:
        return sum(p[2] for p in self.periods)


def _datasets_reception() -> Path:
    from mixedflows.paths import datasets_dir

    return datasets_dir() / "reception"


def load_season(path_or_id: Path | str) -> Season:
    """Read ``datasets/reception/<id>.yaml`` (or a path); errors name the file and the field."""
    p, season = load_model(path_or_id, _datasets_reception(), Season)
    for i, a in enumerate(season.arrivals):
        try:
            parse_period(a.period)
        except ValueError as e:
            raise DataFileError(p, f"arrivals.{i}.period", str(e)) from None
    check_scenario_ref(p, season.scenario)
    return season


def season_from_scenario(scenario: Scenario | str) -> Season:
    """The season a scenario describes by itself (its arrival periods and reception)."""
    sc = load_scenario(scenario) if isinstance(scenario, str) else scenario
    if not sc.arrivals:
        raise ValueError(
            f"scenario '{sc.id}' has no arrivals: it cannot drive the reception simulation"
        )
    return Season(id=sc.id, title=sc.title, scenario=sc.id, summary=sc.summary, sources=sc.sources)


def list_seasons() -> list[str]:
    """Seasons the app offers: files in datasets/reception/, then scenarios with arrivals and a
    reception capacity that no such file is a window of (a cold trial met "Lampedusa, March to
    May 2011: the surge" and "Lampedusa, 2011: the surge" in one list)."""
    from mixedflows.scenarios import list_scenarios

    out = []
    d = _datasets_reception()
    if d.is_dir():
        out += sorted(p.stem for p in d.glob("*.yaml"))
    windowed = {load_season(sid).scenario for sid in out}
    for sid in list_scenarios():
        try:
            sc = load_scenario(sid)
        except DataFileError:
            continue
        if sc.arrivals and sc.reception is not None and sid not in out and sid not in windowed:
            out.append(sid)
    return out


def season_choices() -> list[tuple[str, str]]:
    """``(title, id)`` of every season :func:`list_seasons` offers, in its order: what
    ``[(get_season(s).title, s) for s in list_seasons()]`` gives, with each scenario file read
    once instead of twice (the reception page lists them before its first view)."""
    from mixedflows.scenarios import list_scenarios

    out = []
    d = _datasets_reception()
    files = sorted(p.stem for p in d.glob("*.yaml")) if d.is_dir() else []
    windowed = set()
    for sid in files:
        season = load_season(sid)
        out.append((season.title, sid))
        windowed.add(season.scenario)
    for sid in list_scenarios():
        try:
            sc = load_scenario(sid)
        except DataFileError:
            continue
        if sc.arrivals and sc.reception is not None and sid not in files and sid not in windowed:
            out.append((season_from_scenario(sc).title, sid))
    return out


def get_season(season_id: str) -> Season:
    """A season by id: a file in datasets/reception/ first, else the scenario of that id."""
    if (_datasets_reception() / f"{season_id}.yaml").exists():
        return load_season(season_id)
    return season_from_scenario(season_id)


def resolve(season: Season | str) -> ResolvedSeason:
    """Look up the scenario, the window, the arrival periods inside it and the capacity."""
    s = get_season(season) if isinstance(season, str) else season
    sc = load_scenario(s.scenario)
    periods = s.arrivals or sc.arrivals
    if not periods:
        raise ValueError(
            f"season '{s.id}': no arrival periods (neither in the season nor in scenario '{sc.id}')"
        )
    spans = [(parse_period(a.period), a) for a in periods]
    start = s.start or min(a for (a, _b), _ in spans)
    days = s.days if s.days is not None else (max(b for (_a, b), _ in spans) - start).days
    end = start + dt.timedelta(days=days)
    out = []
    for (a, b), ap in spans:
        lo, hi = max(a, start), min(b, end)
        if hi <= lo:
            continue
        frac = (hi - lo).days / (b - a).days
        people = ap.people * frac
        if ap.landings is not None:
            landings = ap.landings * frac
        elif s.mean_landing_size is not None:
            landings = people / s.mean_landing_size
        else:
            raise ValueError(
                f"season '{s.id}': period '{ap.period}' gives no number of "
                "landings and the season no mean_landing_size"
            )
        out.append(((lo - start).days, (hi - start).days, people, landings))
    if s.capacity is not None:
        cap, cap_src = s.capacity, s.capacity_source
    elif sc.reception is not None:
        cap, cap_src = sc.reception.capacity, sc.reception.capacity_source
    else:
        raise ValueError(
            f"season '{s.id}': no capacity, and scenario '{sc.id}' has no reception section"
        )
    return ResolvedSeason(
        season=s,
        scenario=sc,
        start=start,
        days=days,
        periods=tuple(out),
        capacity=cap,
        capacity_source=cap_src,
    )
