"""The reception and screening centre as a discrete-event simulation (MC/INF/294 ¶16-19).

People land in boats. Each person has a first medical check (urgent care for an acute need),
then an interview: a child-protection interview for an unaccompanied or separated child, a
screening and counselling interview for everyone else, both with a cultural mediator when the
person needs one. After the interview the person is referred and waits for a transfer out of the
centre; transfers leave once a day with a fixed number of seats. Staff work in shifts; every
queue serves the highest-priority person first (urgent medical needs, then children and people
with specific needs), and the earliest to ask within a priority.

The event loop is :mod:`.kernel`: a pool of staff per role, a line of people per pool, an
agenda of events and the centre that acts on them, compiled by numba; :mod:`.plain` tells the
same steps in plain Python, to the same result, without numba's memory (:func:`engine`
chooses). It takes events in exactly
the order the same system written in SimPy takes them (``tests/reception_simpy_reference.py``,
the specification), so that the two agree person by person on the same inputs, ties included.
Every queue serves shift ends first, then people by priority, then in the order they asked; a
shift ending takes staff off duty as soon as they are free (a staff member busy at the end of a
shift finishes with the person first); a person given an interviewer then asks for a mediator,
the interviewer waiting with them; people leave a boat in quay order: priority, then as listed
(triage at the quay, ¶17).

Times are hours from the start of the season. Nothing here imports a widget or chart library.
"""

from __future__ import annotations

import os
import sys
from functools import lru_cache

import numpy as np

from mixedflows.reception.arrivals import Arrivals, quay_order
from mixedflows.reception.inputs import (
    ROLES,
    Config,
    Plan,
    ResolvedSeason,
    Season,
    resolve,
)
from mixedflows.reception.timeline import Timeline

__all__ = ["Timeline", "engine", "event_inputs", "on_duty_matrix", "resolved", "run_events"]

ENGINES = ("plain", "compiled")
ENGINE_ENV = "MIXEDFLOWS_RECEPTION_ENGINE"
PLAIN_MAX_PEOPLE = 250_000
"""Seasons up to this many people run in plain Python unless the compiled kernel is loaded
already: every season the course ships (the largest, the 2012 Gulf of Aden season, has about
107,000 people; tests/test_reception_plain.py checks), so no app loads numba by itself."""


def engine(people: int) -> str:
    """The event loop a season of ``people`` runs on: ``MIXEDFLOWS_RECEPTION_ENGINE`` if set
    ("plain" or "compiled"), else the compiled kernel if this process has loaded it already or
    the season is larger than :data:`PLAIN_MAX_PEOPLE`, else plain Python.

    Both give the same timeline. The compiled kernel is about 6 times faster per season but
    loading numba costs a process about 130 MB and seconds of CPU (issue 16): an app's kernel
    (a learner's memory) runs the seasons it shows in plain Python (a season of 20,000 people
    in about a quarter of a second of CPU, ``benchmarks/reception.py``), a test or benchmark
    that runs hundreds of seasons loads the kernel once (``kernel.warm()``) and keeps it."""
    chosen = os.environ.get(ENGINE_ENV, "").strip().lower()
    if chosen in ENGINES:
        return chosen
    if "mixedflows.reception.kernel" in sys.modules or people > PLAIN_MAX_PEOPLE:
        return "compiled"
    return "plain"


def run_events(
    land: np.ndarray,
    boat: np.ndarray,
    prio: np.ndarray,
    child_route: np.ndarray,
    interpreter: np.ndarray,
    medical_time: np.ndarray,
    interview_time: np.ndarray,
    on_duty: np.ndarray,
    transfers_per_day: int,
    transfer_hour: int,
    horizon: float,
) -> Timeline:
    """Run the centre over ``[0, horizon)`` hours for people already in quay order.

    ``on_duty`` is a (4, 24) array: staff of each pool (medical, screening, child protection,
    mediation) on duty in each hour of the day. Promises: the same inputs give the same
    timeline; no service starts before the person has landed and finished the previous step;
    no staff member serves two people at once; a service starts only when a staff member of
    that pool is on duty and free.
    """
    n = int(land.size)
    if engine(n) == "compiled":
        # The compiled kernel (and numba) load on its first run, not with the package.
        from mixedflows.reception import kernel as loop
    else:
        from mixedflows.reception import plain as loop  # type: ignore[no-redef]

    boat_first = np.flatnonzero(np.r_[True, boat[1:] != boat[:-1]]) if n else np.zeros(0)
    out = loop.run(
        np.ascontiguousarray(land, dtype=np.float64),
        np.append(boat_first, n).astype(np.int64),  # first person of each boat, then everyone
        np.ascontiguousarray(prio, dtype=np.int64),
        np.where(child_route, loop.CHILD_PROTECTION, loop.SCREENING).astype(np.int64),
        np.ascontiguousarray(interpreter, dtype=np.bool_),
        np.ascontiguousarray(medical_time, dtype=np.float64),
        np.ascontiguousarray(interview_time, dtype=np.float64),
        np.ascontiguousarray(on_duty, dtype=np.int64),
        int(transfers_per_day),
        int(transfer_hour),
        float(horizon),
    )
    return Timeline(*out)


def on_duty_matrix(plan: Plan) -> np.ndarray:
    """(4, 24): staff of each role on duty in each hour, in the order of ROLES."""
    return np.array([plan.on_duty(r) for r in ROLES], dtype=np.int64)


@lru_cache(maxsize=32)
def _resolved(season_id: str) -> ResolvedSeason:
    return resolve(season_id)


def resolved(season: Season | ResolvedSeason | str) -> ResolvedSeason:
    """A season looked up once per process when given by id."""
    if isinstance(season, ResolvedSeason):
        return season
    if isinstance(season, str):
        return _resolved(season)
    return resolve(season)


def horizon_hours(rs: ResolvedSeason, cfg: Config) -> float:
    return 24.0 * (rs.days + cfg.drain_days)


def event_inputs(
    arrivals: Arrivals, plan: Plan, rs: ResolvedSeason, cfg: Config
) -> tuple[Arrivals, tuple]:
    """The arrivals in quay order under ``plan``, and the arguments of :func:`run_events` for
    them (the SimPy reference takes the same arguments)."""
    arr = reorder(arrivals, quay_order(arrivals, plan))
    args = (
        arr.land,
        arr.boat,
        arr.priority(plan),
        arr.child_route,
        arr.interpreter,
        arr.medical_time,
        arr.interview_time,
        on_duty_matrix(plan),
        plan.transfers_per_day,
        plan.transfer_hour,
        horizon_hours(rs, cfg),
    )
    return arr, args


def reorder(arr: Arrivals, order: np.ndarray) -> Arrivals:
    ids = tuple(arr.person_id[i] for i in order) if arr.person_id else ()
    return Arrivals(
        arr.land[order],
        arr.boat[order],
        arr.needs[order],
        arr.interpreter[order],
        arr.medical_time[order],
        arr.interview_time[order],
        ids,
    )
