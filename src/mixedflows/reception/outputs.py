"""What a season at the centre produced: per-person times, waiting times by group, people seen
later than the limits, days over capacity and the daily occupancy series.

A :class:`Result` keeps plain arrays and builds tables on demand, so that running a season
stays fast and a chart or a grade asks only for what it shows. pandas loads only when a table
is asked for (:meth:`Result.daily`, :meth:`Result.persons`, ...): the app's charts and the
grade read the columns (:meth:`Result.daily_columns`, :meth:`Result.waits_columns`,
:attr:`Replicated.runs`) and an app's kernel never loads it (issue 16: memory per learner). Replicated runs
(:class:`Replicated`) report every measure as a mean and an interval across runs, never as a
single number, because arrivals and service times are drawn by chance.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from functools import cached_property
from typing import TYPE_CHECKING, Any

import numpy as np

from mixedflows.reception.arrivals import Arrivals
from mixedflows.reception.inputs import (
    GROUP_LABELS,
    GROUPS,
    Config,
    Plan,
    ResolvedSeason,
)
from mixedflows.reception.timeline import Timeline

if TYPE_CHECKING:
    import pandas as pd

MEASURES: dict[str, str] = {
    "people": "People who landed in the season",
    "child_max_wait": "Longest wait of an unaccompanied child for a child-protection interview "
    "(hours)",
    "children_late": "Unaccompanied children interviewed later than the limit",
    "children": "Unaccompanied or separated children",
    "screened_late": "People whose interview started later than the screening limit",
    "mean_interview_wait": "Mean wait from landing to interview (hours)",
    "days_over_capacity": "Days of the season with more people than beds",
    "share_days_over": "Share of the season's days with more people than beds",
    "peak_occupancy": "Highest number of people in the centre",
    "not_seen": "People not interviewed by the end of the run",
}
"""Scalar measures of one season, with what each means (shown next to every figure)."""


@dataclass(frozen=True)
class Result:
    """One simulated season."""

    season: ResolvedSeason
    plan: Plan
    config: Config
    seed: int
    arrivals: Arrivals
    """The people, in quay order (the order the engine saw them)."""
    timeline: Timeline

    @property
    def horizon(self) -> float:
        return 24.0 * (self.season.days + self.config.drain_days)

    @cached_property
    def interview_wait(self) -> np.ndarray:
        """Hours from landing to the start of the interview; for people not interviewed by the
        end, the time they had waited so far (a lower bound)."""
        landed = self.timeline.landed
        w = self.timeline.interview_start - landed
        return np.where(np.isnan(w), self.horizon - landed, w)

    @cached_property
    def seen(self) -> np.ndarray:
        return ~np.isnan(self.timeline.interview_start)

    def persons(self) -> pd.DataFrame:
        """One row per person: group, priority, and every time (hours from the season start)."""
        import pandas as pd

        a, t = self.arrivals, self.timeline
        groups = np.array(GROUPS)[a.group]
        df = pd.DataFrame(
            {
                "boat": a.boat,
                "group": groups,
                "priority": a.priority(self.plan),
                "interpreter": a.interpreter,
                "landing": t.landed,
                "medical_start": t.medical_start,
                "medical_end": t.medical_end,
                "interviewer_assigned": t.interviewer_assigned,
                "interview_start": t.interview_start,
                "referral": t.referral,
                "transfer": t.transfer,
                "medical_staff": t.medical_staff,
                "interview_staff": t.interview_staff,
                "mediator": t.mediator,
            }
        )
        if a.person_id:
            df.insert(0, "person_id", list(a.person_id))
        df["wait_medical"] = df.medical_start - df.landing
        df["wait_interviewer"] = df.interviewer_assigned - df.medical_end
        df["wait_mediator"] = df.interview_start - df.interviewer_assigned
        df["wait_interview"] = df.interview_start - df.landing
        df["wait_transfer"] = df.transfer - df.referral
        df["hours_in_centre"] = df.transfer - df.landing
        return df

    @cached_property
    def _occupancy(self) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
        """Per day: arrivals, transfers, peak and end-of-day occupancy (whole run)."""
        ndays = self.season.days + self.config.drain_days
        lt, sizes = self.arrivals.landings()
        tr = self.timeline.transfer
        tt, tc = np.unique(tr[~np.isnan(tr)], return_counts=True)
        times = np.concatenate([tt, lt])
        delta = np.concatenate([-tc, sizes])
        order = np.argsort(times, kind="stable")  # a transfer before a landing at one instant
        times, delta = times[order], delta[order]
        level = np.cumsum(delta)
        day = np.minimum((times // 24).astype(np.int64), ndays - 1)
        first = np.searchsorted(day, np.arange(ndays), "left")
        start_level = (
            np.where(first > 0, level[np.maximum(first - 1, 0)], 0)
            if level.size
            else (np.zeros(ndays, dtype=np.int64))
        )
        peak = start_level.astype(np.int64).copy()
        if level.size:
            np.maximum.at(peak, day, level)
        end_level = np.r_[start_level[1:], level[-1] if level.size else 0]
        arrivals = np.bincount(
            np.minimum((lt // 24).astype(np.int64), ndays - 1), weights=sizes, minlength=ndays
        ).astype(np.int64)
        transfers = np.bincount(
            np.minimum((tt // 24).astype(np.int64), ndays - 1), weights=tc, minlength=ndays
        ).astype(np.int64)
        return arrivals, transfers, peak, end_level.astype(np.int64)

    def daily_columns(self) -> dict[str, np.ndarray]:
        """:meth:`daily`'s columns, one array each (no pandas)."""
        arrivals, transfers, peak, end = self._occupancy
        ndays = peak.size
        start = self.season.start
        dates = np.empty(ndays, dtype=object)
        dates[:] = [start + dt.timedelta(days=int(d)) for d in range(ndays)]
        return {
            "day": np.arange(ndays),
            "date": dates,
            "in_season": np.arange(ndays) < self.season.days,
            "arrivals": arrivals,
            "transfers": transfers,
            "peak_occupancy": peak,
            "end_occupancy": end,
            "beds": np.full(ndays, self.plan.beds, dtype=np.int64),
            "built_for": np.full(ndays, self.season.capacity, dtype=np.int64),
            "over_capacity": peak > self.plan.beds,
        }

    def daily(self) -> pd.DataFrame:
        """One row per day: arrivals, transfers out, peak and end-of-day occupancy, beds."""
        import pandas as pd

        return pd.DataFrame(self.daily_columns())

    def waits_by_group(self) -> pd.DataFrame:
        """Per group: people, waits for the interview (mean, median, 90th percentile, longest),
        how many started later than the limit, and how many were not seen by the end."""
        import pandas as pd

        return pd.DataFrame(self._wait_rows())

    def waits_columns(self) -> dict[str, list[Any]]:
        """:meth:`waits_by_group`'s columns, one list each (no pandas)."""
        rows = self._wait_rows()
        keys = rows[0].keys() if rows else ()
        return {k: [r[k] for r in rows] for k in keys}

    def _wait_rows(self) -> list[dict[str, Any]]:
        g = self.arrivals.group
        w = self.interview_wait
        late = self.late
        rows = []
        for k, name in enumerate(GROUPS):
            m = g == k
            if not m.any():
                continue
            wk = w[m]
            rows.append(
                {
                    "group": name,
                    "label": GROUP_LABELS[name],
                    "people": int(m.sum()),
                    "mean_wait": float(wk.mean()),
                    "median_wait": float(np.median(wk)),
                    "p90_wait": float(np.quantile(wk, 0.9)),
                    "max_wait": float(wk.max()),
                    "late": int(late[m].sum()),
                    "not_seen": int((~self.seen[m]).sum()),
                }
            )
        return rows

    @cached_property
    def limit_hours(self) -> np.ndarray:
        """The limit that applies to each person: the child-protection limit for unaccompanied
        and separated children, the screening limit for everyone else."""
        lim = self.config.limits
        return np.where(self.arrivals.child_route, lim.child_interview_hours, lim.screening_hours)

    @cached_property
    def late(self) -> np.ndarray:
        """True where the interview started (or had not started by the end) after the limit."""
        return self.interview_wait > self.limit_hours

    @cached_property
    def metrics(self) -> dict[str, float]:
        """The scalar measures of :data:`MEASURES`."""
        child = self.arrivals.child_route
        _a, _t, peak, _e = self._occupancy
        season_peak = peak[: self.season.days]
        over = int((season_peak > self.plan.beds).sum())
        w = self.interview_wait
        return {
            "people": float(len(self.arrivals)),
            "child_max_wait": float(w[child].max()) if child.any() else 0.0,
            "children_late": float(self.late[child].sum()),
            "children": float(child.sum()),
            "screened_late": float(self.late.sum()),
            "mean_interview_wait": float(w.mean()) if w.size else 0.0,
            "days_over_capacity": float(over),
            "share_days_over": over / max(1, self.season.days),
            "peak_occupancy": float(season_peak.max()) if season_peak.size else 0.0,
            "not_seen": float((~self.seen).sum()),
        }

    def _repr_html_(self) -> str:
        from mixedflows.templating import macro

        rows = [(MEASURES[k], f"{v:,.1f}") for k, v in self.metrics.items()]
        title, plan = self.season.season.title, self.plan.summary()
        return macro("notebook.html.j2", "reception_result", title, self.seed, plan, rows)


@dataclass(frozen=True)
class Interval:
    """A measure over replicated runs: the mean and the range holding the central ``level``
    share of runs (empirical quantiles)."""

    measure: str
    mean: float
    low: float
    high: float
    level: float
    runs: int

    def text(self, fmt: str = ",.1f") -> str:
        return (
            f"{self.mean:{fmt}} (in {self.level:.0%} of {self.runs} runs between "
            f"{self.low:{fmt}} and {self.high:{fmt}})"
        )


@dataclass(frozen=True)
class Replicated:
    """The same plan run over several seeds: one row of measures per run."""

    runs: dict[str, np.ndarray]
    """Columns, one value per run: ``seed``, then one per measure of :data:`MEASURES`
    (:meth:`table` gives them as a DataFrame)."""
    results: tuple[Result, ...] = field(default=(), repr=False)

    @classmethod
    def of(cls, results: list[Result], keep: bool = False) -> Replicated:
        """The runs' measures of ``results`` (``keep``: the results too)."""
        runs = {"seed": np.array([r.seed for r in results], dtype=np.int64)}
        for k in MEASURES:
            runs[k] = np.array([r.metrics[k] for r in results], dtype=np.float64)
        return cls(runs, tuple(results) if keep else ())

    def table(self) -> pd.DataFrame:
        """:attr:`runs` as a DataFrame, one row per run."""
        import pandas as pd

        return pd.DataFrame(self.runs)

    def interval(self, measure: str, level: float = 0.9) -> Interval:
        x = np.asarray(self.runs[measure], dtype=float)
        lo, hi = np.quantile(x, [(1 - level) / 2, 1 - (1 - level) / 2])
        return Interval(measure, float(x.mean()), float(lo), float(hi), level, int(x.size))

    def summary(self, level: float = 0.9) -> pd.DataFrame:
        """One row per measure: what it means, its mean, and the interval across runs."""
        import pandas as pd

        rows = []
        for k in MEASURES:
            iv = self.interval(k, level)
            rows.append(
                {
                    "measure": k,
                    "meaning": MEASURES[k],
                    "mean": iv.mean,
                    "low": iv.low,
                    "high": iv.high,
                    "runs": iv.runs,
                    "level": level,
                }
            )
        return pd.DataFrame(rows)
