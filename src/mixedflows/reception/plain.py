"""The centre's event loop in plain Python: the same story as :mod:`.kernel`, without numba.

:mod:`.kernel` compiles the event loop with numba, which costs an app's kernel about 130 MB of
memory (LLVM, numba's type system, the loaded machine code; issue 16) and seconds of CPU to load.
This module runs the very same steps with Python lists, a :mod:`heapq` agenda keyed by (instant,
order set) and a :class:`~collections.deque` per priority level: a timeout, a grant or a release
happens at the same instant, in the same order, so the two give the same timeline to the last
bit (``tests/test_reception_plain.py`` checks it person by person on every season, and both
against the SimPy reference). It is slower per event, so :func:`mixedflows.reception.model.
run_events` uses it for the seasons an app shows (up to :data:`~.model.PLAIN_MAX_PEOPLE`
people) and the compiled kernel beyond, unless told otherwise.

The pieces, as in :mod:`.kernel`: a line of people per pool (served by priority level, then
first come first served), a pool of staff per role (who is free, who is off shift, shift ends
waiting for a busy staff member), the agenda (timeouts for a later instant, then the events set
in motion at this instant, first in first out) and the centre's handlers.
"""

from __future__ import annotations

from collections import deque
from heapq import heappop, heappush

import numpy as np

NOBODY = -1
MEDICAL, SCREENING, CHILD_PROTECTION, MEDIATION = range(4)

# Events, as kernel.Event numbers them.
LANDING, SHIFT_CHANGE, TRANSFER_DEPARTS, MEDICAL_DONE, INTERVIEW_DONE = range(5)
GRANTED, RELEASED, TRANSFER_TAKES = 5, 6, 7


def run(
    land: np.ndarray,
    boat_first: np.ndarray,
    priority: np.ndarray,
    interviewer: np.ndarray,
    interpreter: np.ndarray,
    medical_time: np.ndarray,
    interview_time: np.ndarray,
    on_duty: np.ndarray,
    transfers_per_day: int,
    transfer_hour: int,
    horizon: float,
) -> tuple[np.ndarray, ...]:
    """A season over ``[0, horizon)`` hours (or until everyone has left on a transfer), with
    :func:`mixedflows.reception.kernel.run`'s arguments and results."""
    land_l = land.tolist()
    first_of = boat_first.tolist()
    prio = priority.tolist()
    route = interviewer.tolist()
    interp = interpreter.tolist()
    med_time = medical_time.tolist()
    int_time = interview_time.tolist()
    duty = on_duty.tolist()
    seats = int(transfers_per_day)
    horizon = float(horizon)
    n = len(land_l)
    levels = max(prio) + 1 if n else 1
    nan = float("nan")
    landed = [nan] * n
    medical_start = [nan] * n
    medical_end = [nan] * n
    assigned = [nan] * n
    interview_start = [nan] * n
    referral = [nan] * n
    transfer = [nan] * n

    # -- the pools: staff 0 on top of the idle stack (serves first) ------------------------------
    capacity = [max(1, max(duty[r])) for r in range(4)]
    idle = [list(range(c - 1, -1, -1)) for c in capacity]
    off: list[list[int]] = [[] for _ in range(4)]
    ends_waiting = [0, 0, 0, 0]
    lines = [[deque() for _ in range(levels)] for _ in range(4)]
    waiting = [0, 0, 0, 0]
    served_by = [[NOBODY] * n for _ in range(4)]
    ready = [deque() for _ in range(levels)]
    n_ready = 0

    # -- the agenda --------------------------------------------------------------------------
    later: list[tuple[float, int, int, int, int]] = []
    soon: deque[tuple[int, int, int]] = deque()
    now = 0.0
    n_set = 0

    def timeout(delay: float, event: int, pool: int, who: int) -> None:
        nonlocal n_set
        at = now + delay
        if at == now:
            soon.append((event, pool, who))
        else:
            heappush(later, (at, n_set, event, pool, who))
            n_set += 1

    def serve_next(role: int) -> int:
        """A free place, if any, goes to the head of the line: a shift end first, else the
        first person waiting (returned; else NOBODY)."""
        free = idle[role]
        if not free:
            return NOBODY
        if ends_waiting[role]:
            ends_waiting[role] -= 1
            off[role].append(free.pop())
            return NOBODY
        if not waiting[role]:
            return NOBODY
        for level in lines[role]:
            if level:
                person = level.popleft()
                waiting[role] -= 1
                served_by[role][person] = free.pop()
                return person
        return NOBODY  # pragma: no cover - waiting counts the people in the levels

    def request(role: int, person: int) -> None:
        lines[role][prio[person]].append(person)
        waiting[role] += 1
        served = serve_next(role)
        if served != NOBODY:
            soon.append((GRANTED, role, served))

    def release(role: int, person: int) -> None:
        idle[role].append(served_by[role][person])
        soon.append((RELEASED, role, NOBODY))

    def set_rota(role: int, target: int) -> None:
        want_off = capacity[role] - target
        gone = off[role]
        while ends_waiting[role] + len(gone) < want_off:
            ends_waiting[role] += 1
            serve_next(role)  # the head of the line is a shift end: no person is served
        while ends_waiting[role] + len(gone) > want_off:
            if ends_waiting[role]:
                ends_waiting[role] -= 1
            else:
                idle[role].append(gone.pop())
                soon.append((RELEASED, role, NOBODY))

    changes = [[h for h in range(24) if duty[r][h] != duty[r][h - 1]] for r in range(4)]
    next_change = [0, 0, 0, 0]

    def next_shift_change(role: int) -> None:
        day, j = divmod(next_change[role], len(changes[role]))
        timeout(24.0 * day + changes[role][j] - now, SHIFT_CHANGE, role, NOBODY)

    next_transfer = float(transfer_hour)
    transfer_left = 0
    transferred = 0

    def take_for_transfer() -> None:
        nonlocal transfer_left, n_ready
        transfer_left -= 1
        person = NOBODY
        for level in ready:
            if level:
                person = level.popleft()
                n_ready -= 1
                break
        soon.append((TRANSFER_TAKES, 0, person))

    def next_transfer_day() -> None:
        nonlocal next_transfer
        next_transfer += 24.0
        timeout(next_transfer - now, TRANSFER_DEPARTS, 0, NOBODY)

    # -- time 0, in the reference's process order: the transfer, the rotas, the landings ------
    timeout(next_transfer, TRANSFER_DEPARTS, 0, NOBODY)
    for role in range(4):
        set_rota(role, duty[role][0])
        if changes[role]:
            next_change[role] = 0 if changes[role][0] > 0 else 1
            next_shift_change(role)
    if len(first_of) > 1:
        timeout(land_l[0], LANDING, 0, 0)

    # -- the story of a season ---------------------------------------------------------------
    while n == 0 or transferred < n:
        if later and later[0][0] == now:  # set earlier for this instant
            _at, _order, event, role, who = heappop(later)
        elif soon:  # set in motion at this instant
            event, role, who = soon.popleft()
        else:
            if not later or later[0][0] >= horizon:
                break
            now, _order, event, role, who = heappop(later)
        if event == GRANTED:
            if role == MEDICAL:
                medical_start[who] = now
                timeout(med_time[who], MEDICAL_DONE, role, who)
            elif role == MEDIATION:
                interview_start[who] = now
                timeout(int_time[who], INTERVIEW_DONE, 0, who)
            else:  # an interviewer; with them, a person who needs a mediator asks for one
                assigned[who] = now
                if interp[who]:
                    request(MEDIATION, who)
                else:
                    interview_start[who] = now
                    timeout(int_time[who], INTERVIEW_DONE, 0, who)
        elif event == RELEASED:
            served = serve_next(role)
            if served != NOBODY:
                soon.append((GRANTED, role, served))
        elif event == MEDICAL_DONE:
            release(MEDICAL, who)
            medical_end[who] = now
            request(route[who], who)
        elif event == INTERVIEW_DONE:
            if interp[who]:
                release(MEDIATION, who)
            release(route[who], who)
            referral[who] = now
            ready[prio[who]].append(who)
            n_ready += 1
        elif event == LANDING:
            if who + 2 < len(first_of):
                timeout(land_l[first_of[who + 1]] - now, LANDING, 0, who + 1)
            for person in range(first_of[who], first_of[who + 1]):
                landed[person] = now
                request(MEDICAL, person)
        elif event == SHIFT_CHANGE:
            k = next_change[role]
            set_rota(role, duty[role][changes[role][k % len(changes[role])]])
            next_change[role] = k + 1
            next_shift_change(role)
        elif event == TRANSFER_DEPARTS:
            transfer_left = min(seats, n_ready)
            if transfer_left:
                take_for_transfer()
            else:
                next_transfer_day()
        elif event == TRANSFER_TAKES:
            transfer[who] = now
            transferred += 1
            if transfer_left:
                take_for_transfer()
            else:
                next_transfer_day()

    staff = [np.array(s, dtype=np.int64) for s in served_by]
    interview_staff = np.where(
        interviewer == CHILD_PROTECTION, staff[CHILD_PROTECTION], staff[SCREENING]
    )
    return (
        np.array(landed, dtype=np.float64),
        np.array(medical_start, dtype=np.float64),
        np.array(medical_end, dtype=np.float64),
        np.array(assigned, dtype=np.float64),
        np.array(interview_start, dtype=np.float64),
        np.array(referral, dtype=np.float64),
        np.array(transfer, dtype=np.float64),
        staff[MEDICAL],
        interview_staff,
        staff[MEDIATION],
    )
