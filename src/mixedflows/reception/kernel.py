"""The centre's event loop, compiled: the SimPy model of ``tests/reception_simpy_reference.py``
told again with a few named pieces, and compiled by numba so that a season runs in milliseconds.

The pieces (mutable records, numba ``StructRef`` types, and the functions that act on them):

- a :class:`Line`: people waiting, served by priority level, then first come first served;
- a :class:`Pool`: the staff of one role, SimPy's ``PriorityResource``: who is free, who is off
  shift, shift ends waiting for a busy staff member, and the line of people asking;
- the :class:`Agenda`: SimPy's event queue in two parts, timeouts set for a later instant (a
  heap by instant, then in the order they were set) and events of this instant (first in, first
  out), with the clock;
- the :class:`Centre`: the people's path through the pools, the rotas and the daily transfer;
  :func:`run` is the story of a season: take the next event, let the centre act on it.

The agenda takes events in exactly the order SimPy takes them, so the two models agree person
by person, ties included:

- At one instant, the timeouts set earlier for it come first, in the order they were set; then
  what they set in motion at this instant (a request granted, a release taking effect, the
  transfer taking its next person), first in first out. A timeout due at the very instant it is
  set joins the events of this instant.
- People leaving a boat start before anything else at that instant (SimPy starts processes with
  urgent priority), after the landing has set the next one.
- A pool serves shift ends first (they outrank every person), then people by priority, then in
  the order they asked; a request and a release taking effect each give a free place to the
  head of the line (``_trigger_put`` in SimPy: at most one grant each).
- Events that change nothing here (a shift end granted, a store put, a process ending) are not
  kept: they take a place in SimPy's queue but have no effect.

Compiling takes a while (half a minute of CPU on a busy 2-core machine): ``cache=True`` keeps
the machine code in ``__pycache__`` beside this file, so only the first run after an install or
a change of this file compiles; later processes load it in about a second. :func:`warm`
compiles it ahead, at install time (``./mfl``, ``binder/postBuild``).
"""

from __future__ import annotations

from enum import IntEnum

import numpy as np
from numba import njit, types
from numba.experimental import structref

NOBODY = -1

MEDICAL, SCREENING, CHILD_PROTECTION, MEDIATION = range(4)
"""Staff pools, in the order of inputs.ROLES."""


class Event(IntEnum):
    """What an entry of the agenda means; its ``pool`` and ``who`` say to whom it happens."""

    # Timeouts: set for a later instant (or due at once)
    LANDING = 0
    """Boat ``who`` lands: everyone on it asks for the medical check."""
    SHIFT_CHANGE = 1
    """The rota of ``pool`` changes the number on duty."""
    TRANSFER_DEPARTS = 2
    """The daily transfer: it takes up to its seats, one person after the other."""
    MEDICAL_DONE = 3
    """Person ``who``'s medical check ends."""
    INTERVIEW_DONE = 4
    """Person ``who``'s interview ends: they are referred and wait for a transfer."""
    # Set in motion at this instant
    GRANTED = 5
    """Person ``who`` resumes holding a staff member of ``pool``."""
    RELEASED = 6
    """A release in ``pool`` takes effect: the free place goes to the head of the line."""
    TRANSFER_TAKES = 7
    """The transfer takes person ``who`` (chosen when the transfer asked for them)."""


def _record(name: str, fields: list[str], doc: str):
    """A mutable record compiled code can read and write by field (a numba StructRef)."""

    class RecordType(types.StructRef):
        def preprocess_fields(self, fields):
            return tuple((f, types.unliteral(t)) for f, t in fields)

    RecordType.__name__ = RecordType.__qualname__ = f"{name}Type"
    RecordType.__module__ = __name__
    structref.register(RecordType)
    proxy = type(name, (structref.StructRefProxy,), {"__doc__": doc, "__module__": __name__})
    structref.define_constructor(proxy, RecordType, fields)
    structref.define_attributes(RecordType)
    return proxy, RecordType


inline = njit  # a piece of the kernel, compiled with it

# -- a line of people ------------------------------------------------------------------------

Line, LineType = _record(
    "Line",
    ["first", "last", "after", "size"],
    """People waiting, by priority level (0 first), first come first served within a level:
    a linked list per level, ``first`` and ``last`` per level, ``after[person]`` the one who
    comes next. A person stands in a given line at most once in a season.""",
)


@inline
def new_line(levels, people):
    return Line(
        np.full(levels, NOBODY, dtype=np.int64),
        np.full(levels, NOBODY, dtype=np.int64),
        np.full(people, NOBODY, dtype=np.int64),
        0,
    )


@inline
def join(line, person, level):
    line.after[person] = NOBODY
    if line.last[level] == NOBODY:
        line.first[level] = person
    else:
        line.after[line.last[level]] = person
    line.last[level] = person
    line.size += 1


@inline
def leave(line):
    """The first person of the highest priority level, out of the line (NOBODY if empty)."""
    for level in range(line.first.size):
        person = line.first[level]
        if person != NOBODY:
            line.first[level] = line.after[person]
            if line.first[level] == NOBODY:
                line.last[level] = NOBODY
            line.size -= 1
            return person
    return NOBODY


# -- a pool of staff -------------------------------------------------------------------------

Pool, PoolType = _record(
    "Pool",
    ["capacity", "idle", "n_idle", "off", "n_off", "shift_ends_waiting", "line", "served_by"],
    """The staff of one role: SimPy's ``PriorityResource`` whose capacity is the most ever on
    duty, with the rota taking staff off shift by top-priority requests. Staff are numbered
    0 to capacity - 1; ``idle`` (free, on duty) and ``off`` (off shift) are stacks, the first
    ``n_idle`` and ``n_off`` entries; anyone else is with a person. ``shift_ends_waiting``:
    shift ends asked for while everyone was busy. ``served_by[person]``: the staff member
    who took them (-1: none).""",
)


@inline
def new_pool(capacity, levels, people):
    return Pool(
        capacity,
        np.arange(capacity - 1, -1, -1).astype(np.int64),  # staff 0 on top: serves first
        capacity,
        np.empty(capacity, dtype=np.int64),
        0,
        0,
        new_line(levels, people),
        np.full(people, NOBODY, dtype=np.int64),
    )


@inline
def take_idle(pool):
    pool.n_idle -= 1
    return pool.idle[pool.n_idle]


@inline
def make_idle(pool, staff):
    pool.idle[pool.n_idle] = staff
    pool.n_idle += 1


@inline
def serve_next(pool):
    """A free place, if any, goes to the head of the line: a shift end first (the staff
    member goes off shift), else the first person waiting, who is returned (else NOBODY)."""
    if pool.n_idle == 0:
        return NOBODY
    if pool.shift_ends_waiting:
        pool.shift_ends_waiting -= 1
        pool.off[pool.n_off] = take_idle(pool)
        pool.n_off += 1
        return NOBODY
    person = leave(pool.line)
    if person != NOBODY:
        pool.served_by[person] = take_idle(pool)
    return person


@inline
def set_on_duty(pool, target):
    """The rota: ``target`` on duty from now. Staff to go off shift leave as soon as they are
    free; staff coming back first cancel shift ends still waiting (the latest asked). Returns
    how many are back on duty (each a release to take effect)."""
    want_off = pool.capacity - target
    while pool.shift_ends_waiting + pool.n_off < want_off:
        pool.shift_ends_waiting += 1
        serve_next(pool)  # the head of the line is a shift end: no person is served
    back = 0
    while pool.shift_ends_waiting + pool.n_off > want_off:
        if pool.shift_ends_waiting:
            pool.shift_ends_waiting -= 1
        else:
            pool.n_off -= 1
            make_idle(pool, pool.off[pool.n_off])
            back += 1
    return back


# -- the agenda ------------------------------------------------------------------------------

Agenda, AgendaType = _record(
    "Agenda",
    ["now", "at", "order", "what", "n_later", "n_set", "soon", "soon_first", "soon_end"],
    """What happens next, in SimPy's order, and the clock ``now``. Timeouts set for a later
    instant wait in a binary heap keyed by (instant, order set): ``at``, ``order`` and ``what``
    (event, pool, who), its first ``n_later`` entries; ``n_set`` counts the timeouts set.
    Events of this instant wait in ``soon``, rows (event, pool, who) from ``soon_first`` to
    ``soon_end``.""",
)


@inline
def new_agenda(later, soon):
    return Agenda(
        0.0,
        np.empty(later, dtype=np.float64),
        np.empty(later, dtype=np.int64),
        np.empty((later, 3), dtype=np.int64),
        0,
        0,
        np.empty((soon, 3), dtype=np.int64),
        0,
        0,
    )


@njit(cache=True)
def _doubled(rows):
    out = np.empty((2 * rows.shape[0], *rows.shape[1:]), dtype=rows.dtype)
    out[: rows.shape[0]] = rows
    return out


@inline
def at_once(agenda, event, pool, who):
    """Something set in motion at this instant: it happens after all that is already due."""
    if agenda.soon_end == agenda.soon.shape[0]:
        agenda.soon = _doubled(agenda.soon)
    row = agenda.soon_end
    agenda.soon[row, 0] = event
    agenda.soon[row, 1] = pool
    agenda.soon[row, 2] = who
    agenda.soon_end += 1


@inline
def earlier(agenda, a, b):
    return agenda.at[a] < agenda.at[b] or (
        agenda.at[a] == agenda.at[b] and agenda.order[a] < agenda.order[b]
    )


@inline
def swap(agenda, a, b):
    agenda.at[a], agenda.at[b] = agenda.at[b], agenda.at[a]
    agenda.order[a], agenda.order[b] = agenda.order[b], agenda.order[a]
    for j in range(3):
        agenda.what[a, j], agenda.what[b, j] = agenda.what[b, j], agenda.what[a, j]


@inline
def timeout(agenda, delay, event, pool, who):
    """SimPy's ``env.timeout(delay)``: at ``now + delay``, rounded as SimPy rounds it."""
    at = agenda.now + delay
    if at == agenda.now:
        at_once(agenda, event, pool, who)
        return
    if agenda.n_later == agenda.at.size:
        agenda.at = _doubled(agenda.at)
        agenda.order = _doubled(agenda.order)
        agenda.what = _doubled(agenda.what)
    k = agenda.n_later
    agenda.n_later += 1
    agenda.at[k] = at
    agenda.order[k] = agenda.n_set
    agenda.n_set += 1
    agenda.what[k, 0] = event
    agenda.what[k, 1] = pool
    agenda.what[k, 2] = who
    while k > 0 and earlier(agenda, k, (k - 1) // 2):  # up the heap to its place
        swap(agenda, k, (k - 1) // 2)
        k = (k - 1) // 2


@inline
def pop_later(agenda):
    event, pool, who = agenda.what[0, 0], agenda.what[0, 1], agenda.what[0, 2]
    agenda.n_later -= 1
    swap(agenda, 0, agenda.n_later)
    k = 0
    while True:  # the entry moved to the top goes down the heap to its place
        first = k
        for child in (2 * k + 1, 2 * k + 2):
            if child < agenda.n_later and earlier(agenda, child, first):
                first = child
        if first == k:
            return event, pool, who
        swap(agenda, k, first)
        k = first


@inline
def next_event(agenda, horizon):
    """The next event, the clock moved to its instant; (-1, -1, -1) when nothing is left
    before ``horizon``."""
    if agenda.n_later and agenda.at[0] == agenda.now:  # set earlier for this instant
        return pop_later(agenda)
    if agenda.soon_first < agenda.soon_end:  # set in motion at this instant
        row = agenda.soon_first
        agenda.soon_first += 1
        return agenda.soon[row, 0], agenda.soon[row, 1], agenda.soon[row, 2]
    agenda.soon_first = 0
    agenda.soon_end = 0
    if agenda.n_later == 0 or agenda.at[0] >= horizon:
        return -1, -1, -1
    agenda.now = agenda.at[0]
    return pop_later(agenda)


# -- the centre ------------------------------------------------------------------------------

Centre, CentreType = _record(
    "Centre",
    [
        # the people, in quay order, and the plan
        "land",
        "boat_first",
        "priority",
        "interviewer",
        "interpreter",
        "medical_time",
        "interview_time",
        "on_duty",
        "seats",
        # the pieces
        "agenda",
        "pools",
        "ready",
        "changes",
        "n_changes",
        "next_change",
        "next_transfer",
        "transfer_left",
        "transferred",
        # what happened to each person
        "landed",
        "medical_start",
        "medical_end",
        "interviewer_assigned",
        "interview_start",
        "referral",
        "transfer",
    ],
    """The reception centre: each person's path (medical check; interviewer, with a mediator
    for those who need one; interview; referral; transfer), the four rotas and the daily
    transfer. ``pools`` are indexed by MEDICAL, SCREENING, CHILD_PROTECTION, MEDIATION;
    ``interviewer[person]`` is the person's interview pool; ``boat_first[b]`` the first person
    of boat b (and one more entry: everyone); ``ready`` the line of people referred and waiting
    for a transfer; ``changes[pool]`` the hours of the day when its number on duty changes.""",
)


@inline
def request(c, role, person):
    served = serve_next_after_join(c.pools[role], person, c.priority[person])
    if served != NOBODY:
        at_once(c.agenda, Event.GRANTED, role, served)


@inline
def serve_next_after_join(pool, person, level):
    # SimPy's request: join the line, then the head of the line (not always this person) is
    # served if a place is free.
    join(pool.line, person, level)
    return serve_next(pool)


@inline
def release(c, role, person):
    # The staff member is free at once, but given to the next in line only when the release
    # takes effect (RELEASED, in turn).
    pool = c.pools[role]
    make_idle(pool, pool.served_by[person])
    at_once(c.agenda, Event.RELEASED, role, NOBODY)


@inline
def on_released(c, role):
    served = serve_next(c.pools[role])
    if served != NOBODY:
        at_once(c.agenda, Event.GRANTED, role, served)


@inline
def on_landing(c, boat):
    # As SimPy's landing process: it sets the next landing, then the people on this boat start
    # (at once, in quay order) and ask for the medical check.
    now = c.agenda.now
    if boat + 2 < c.boat_first.size:
        timeout(c.agenda, c.land[c.boat_first[boat + 1]] - now, Event.LANDING, 0, boat + 1)
    for person in range(c.boat_first[boat], c.boat_first[boat + 1]):
        c.landed[person] = now
        request(c, MEDICAL, person)


@inline
def start_interview(c, person):
    c.interview_start[person] = c.agenda.now
    timeout(c.agenda, c.interview_time[person], Event.INTERVIEW_DONE, 0, person)


@inline
def on_granted(c, role, person):
    if role == MEDICAL:
        c.medical_start[person] = c.agenda.now
        timeout(c.agenda, c.medical_time[person], Event.MEDICAL_DONE, role, person)
    elif role == MEDIATION:
        start_interview(c, person)
    else:  # an interviewer; with them, a person who needs a mediator asks for one
        c.interviewer_assigned[person] = c.agenda.now
        if c.interpreter[person]:
            request(c, MEDIATION, person)
        else:
            start_interview(c, person)


@inline
def on_medical_done(c, person):
    release(c, MEDICAL, person)
    c.medical_end[person] = c.agenda.now
    request(c, c.interviewer[person], person)


@inline
def on_interview_done(c, person):
    if c.interpreter[person]:
        release(c, MEDIATION, person)
    release(c, c.interviewer[person], person)
    c.referral[person] = c.agenda.now
    join(c.ready, person, c.priority[person])


@inline
def set_rota(c, role, target):
    for _ in range(set_on_duty(c.pools[role], target)):
        at_once(c.agenda, Event.RELEASED, role, NOBODY)


@inline
def next_shift_change(c, role):
    day, j = divmod(c.next_change[role], c.n_changes[role])
    at = 24.0 * day + c.changes[role, j]
    timeout(c.agenda, at - c.agenda.now, Event.SHIFT_CHANGE, role, NOBODY)


@inline
def on_shift_change(c, role):
    k = c.next_change[role]
    set_rota(c, role, c.on_duty[role, c.changes[role, k % c.n_changes[role]]])
    c.next_change[role] = k + 1
    next_shift_change(c, role)


@inline
def next_transfer_day(c):
    c.next_transfer += 24.0
    timeout(c.agenda, c.next_transfer - c.agenda.now, Event.TRANSFER_DEPARTS, 0, NOBODY)


@inline
def take_for_transfer(c):
    # The transfer asks for the next person: chosen now, taken in turn.
    c.transfer_left -= 1
    at_once(c.agenda, Event.TRANSFER_TAKES, 0, leave(c.ready))


@inline
def on_transfer_departs(c):
    c.transfer_left = min(c.seats, c.ready.size)
    if c.transfer_left:
        take_for_transfer(c)
    else:
        next_transfer_day(c)


@inline
def on_transfer_takes(c, person):
    c.transfer[person] = c.agenda.now
    c.transferred += 1
    if c.transfer_left:
        take_for_transfer(c)
    else:
        next_transfer_day(c)


@inline
def new_centre(
    land,
    boat_first,
    priority,
    interviewer,
    interpreter,
    medical_time,
    interview_time,
    on_duty,
    transfers_per_day,
    transfer_hour,
):
    n = land.size
    levels = priority.max() + 1 if n else 1
    pools = (
        new_pool(max(1, on_duty[MEDICAL].max()), levels, n),
        new_pool(max(1, on_duty[SCREENING].max()), levels, n),
        new_pool(max(1, on_duty[CHILD_PROTECTION].max()), levels, n),
        new_pool(max(1, on_duty[MEDIATION].max()), levels, n),
    )
    changes = np.zeros((4, 24), dtype=np.int64)
    n_changes = np.zeros(4, dtype=np.int64)
    for role in range(4):
        for h in range(24):
            if on_duty[role, h] != on_duty[role, h - 1]:
                changes[role, n_changes[role]] = h
                n_changes[role] += 1
    return Centre(
        land,
        boat_first,
        priority,
        interviewer,
        interpreter,
        medical_time,
        interview_time,
        on_duty,
        transfers_per_day,
        new_agenda(16 + n, 64 + n),
        pools,
        new_line(levels, n),
        changes,
        n_changes,
        np.zeros(4, dtype=np.int64),
        float(transfer_hour),
        0,
        0,
        np.full(n, np.nan),
        np.full(n, np.nan),
        np.full(n, np.nan),
        np.full(n, np.nan),
        np.full(n, np.nan),
        np.full(n, np.nan),
        np.full(n, np.nan),
    )


@inline
def start(c):
    """Time 0, in the reference's process order: the transfer, the four rotas, the landings."""
    timeout(c.agenda, c.next_transfer, Event.TRANSFER_DEPARTS, 0, NOBODY)
    for role in range(4):
        set_rota(c, role, c.on_duty[role, 0])
        if c.n_changes[role]:
            c.next_change[role] = 0 if c.changes[role, 0] > 0 else 1
            next_shift_change(c, role)
    if c.boat_first.size > 1:
        timeout(c.agenda, c.land[0], Event.LANDING, 0, 0)


@njit(cache=True)
def run(
    land,
    boat_first,
    priority,
    interviewer,
    interpreter,
    medical_time,
    interview_time,
    on_duty,
    transfers_per_day,
    transfer_hour,
    horizon,
):
    """A season over ``[0, horizon)`` hours (or until everyone has left on a transfer): the
    people's times and the staff who saw them, in the order of ``timeline.Timeline``'s fields."""
    c = new_centre(
        land,
        boat_first,
        priority,
        interviewer,
        interpreter,
        medical_time,
        interview_time,
        on_duty,
        transfers_per_day,
        transfer_hour,
    )
    start(c)
    everyone = land.size
    while everyone == 0 or c.transferred < everyone:
        event, role, who = next_event(c.agenda, horizon)
        if event == Event.GRANTED:
            on_granted(c, role, who)
        elif event == Event.RELEASED:
            on_released(c, role)
        elif event == Event.MEDICAL_DONE:
            on_medical_done(c, who)
        elif event == Event.INTERVIEW_DONE:
            on_interview_done(c, who)
        elif event == Event.LANDING:
            on_landing(c, who)
        elif event == Event.SHIFT_CHANGE:
            on_shift_change(c, role)
        elif event == Event.TRANSFER_DEPARTS:
            on_transfer_departs(c)
        elif event == Event.TRANSFER_TAKES:
            on_transfer_takes(c, who)
        else:
            break
    pools = c.pools
    interview_staff = np.where(
        interviewer == CHILD_PROTECTION,
        pools[CHILD_PROTECTION].served_by,
        pools[SCREENING].served_by,
    )
    return (
        c.landed,
        c.medical_start,
        c.medical_end,
        c.interviewer_assigned,
        c.interview_start,
        c.referral,
        c.transfer,
        pools[MEDICAL].served_by,
        interview_staff,
        pools[MEDIATION].served_by,
    )


def warm() -> None:
    """Compile :func:`run` (or load it from the cache) on a small season, so that the first
    simulation in an app does not wait for the compiler."""
    run(
        np.zeros(1),
        np.array([0, 1]),
        np.zeros(1, dtype=np.int64),
        np.full(1, SCREENING),
        np.zeros(1, dtype=np.bool_),
        np.ones(1),
        np.ones(1),
        np.ones((4, 24), dtype=np.int64),
        1,
        6,
        48.0,
    )
