"""The reception and screening centre as a discrete-event simulation (MC/INF/294 ¶16-19).

People land in boats. Each person has a first medical check (urgent care for an acute need),
then an interview: a child-protection interview for an unaccompanied or separated child, a
screening and counselling interview for everyone else, both with a cultural mediator when the
person needs one. After the interview the person is referred and waits for a transfer out of the
centre; transfers leave once a day with a fixed number of seats. Staff work in shifts; every
queue serves the highest-priority person first (urgent medical needs, then children and people
with specific needs), and the earliest to ask within a priority.

The event loop is pure Python on plain lists, a heap and a queue, written to take events in
exactly the order the same system written in SimPy takes them
(``tests/reception_simpy_reference.py``), so that the two agree person by person on the same
inputs, ties included:

- At one instant, events set earlier for that instant come first, in the order they were set;
  then what they set in motion at that instant (a released staff member passed to the next in
  line, a person resuming with a staff member), first in first out. People leaving a boat start
  before anything else at that instant (SimPy starts processes with urgent priority).
- A queue serves shift ends first, then people by priority, then by the time they asked, then
  in the order they asked.
- A shift ending takes staff off duty as soon as they are free: a staff member busy at the end
  of a shift finishes with the person first. A shift starting brings staff back at once.
- A person given an interviewer then asks for a mediator; the interviewer waits with them.
- People leave a boat in quay order: priority, then as listed (triage at the quay, ¶17).

Times are hours from the start of the season. Nothing here imports a widget or chart library.
"""

from __future__ import annotations

import heapq
import itertools
from collections import deque
from dataclasses import dataclass
from functools import lru_cache

import numpy as np

from mixedflows.reception.arrivals import Arrivals, draw_arrivals, quay_order
from mixedflows.reception.inputs import (
    ROLES,
    Config,
    Plan,
    ResolvedSeason,
    Season,
    resolve,
)

MEDICAL, SCREENING, CHILD_PROTECTION, MEDIATION = range(4)
"""Staff pools, in the order of inputs.ROLES."""
TRANSFER_GET = -5
TIMEOUT_NOW = -6  # codes below this are timeouts that fell due at the instant they were set


@dataclass(frozen=True)
class Timeline:
    """What happened to each person (hours; NaN where it had not happened by the horizon)."""

    landed: np.ndarray
    """The instant each person's boat landed, as the event loop reached it (the landing time
    of the arrivals, to the last bit of floating point: timeouts are set as SimPy sets them)."""
    medical_start: np.ndarray
    medical_end: np.ndarray
    interviewer_assigned: np.ndarray
    """When an interviewer took the person (the interview starts once a mediator is free too,
    for people who need one)."""
    interview_start: np.ndarray
    referral: np.ndarray
    """End of the interview: the person is referred (never a status decision, ¶17)."""
    transfer: np.ndarray
    medical_staff: np.ndarray
    """Staff number (within the medical pool) who saw the person; -1 if not seen."""
    interview_staff: np.ndarray
    """Staff number within the screening or child-protection pool; -1 if not seen."""
    mediator: np.ndarray
    """Mediator number; -1 if none (not needed, or not seen)."""


def shift_changes(on_duty: np.ndarray) -> list[int]:
    """Hours of the day at which the number on duty changes (sorted)."""
    return [h for h in range(24) if on_duty[h] != on_duty[h - 1]]


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
    nan = float("nan")
    landed = [nan] * n
    med_start = [nan] * n
    med_end = [nan] * n
    int_start = [nan] * n
    desk = [nan] * n
    int_end = [nan] * n
    transfer = [nan] * n
    med_staff = [-1] * n
    int_staff = [-1] * n
    mediator = [-1] * n
    staff_of = (med_staff, int_staff, int_staff, mediator)
    pr = prio.tolist()
    route = np.where(child_route, CHILD_PROTECTION, SCREENING).tolist()
    interp = interpreter.tolist()
    smed = medical_time.tolist()
    sint = interview_time.tolist()
    landl = land.tolist()
    nlev = (max(pr) + 1) if n else 1

    on = np.asarray(on_duty, dtype=np.int64)
    cap = [max(1, int(on[p].max())) for p in range(4)]
    changes = [shift_changes(on[p]) for p in range(4)]
    # Per pool: free staff (a stack of staff numbers), staff off duty, the queue by priority
    # level and its length, and shift ends still waiting for a busy staff member to finish.
    idle = [list(range(cap[p] - 1, -1, -1)) for p in range(4)]
    off: list[list[int]] = [[], [], [], []]
    queues = [[deque() for _ in range(nlev)] for _ in range(4)]
    qlen = [0, 0, 0, 0]
    pend = [0, 0, 0, 0]
    q0, idle0, q3, idle3 = queues[MEDICAL], idle[MEDICAL], queues[MEDIATION], idle[MEDIATION]

    # The helpers below take the loop's lists as default arguments: so bound, they leave the
    # loop's names plain local variables, which Python reads faster than shared ones.
    # Event order, as in SimPy: at one instant, first the events set earlier for it, in the
    # order they were set (`heap`, keyed by time then a running number); then what they set in
    # motion at this instant, first in first out (`fifo`: a released place passed on, a person
    # resuming with a staff member, the transfer taking its next person). A person starting a
    # service sets its end at once unless something that also sets a time is waiting in `fifo`
    # ahead of it (`wait` counts those): then it waits its turn, so that ends falling at one
    # instant are taken in the reference's order.
    # heap entries: (instant, running number, code); code 2i: person i's medical check ends,
    # 2i+1: their interview ends, -1-(8a+k): landing of boat a (k=2), shift change in pool a
    # (k=3), the daily transfer (k=4).
    heap: list[tuple[float, int, int]] = []
    push, popq = heapq.heappush, heapq.heappop
    nxt = itertools.count().__next__
    fifo: deque[int] = deque()  # grant i*4+g (g: 1 medical, 2 interviewer, 3 mediator) >= 0;
    fifo_append = fifo.append  # release -1-pool; TRANSFER_GET; due-now timeout TIMEOUT_NOW-code
    wait = 0
    # Referred people waiting for a transfer, by priority level, in the order they were referred.
    ready = [deque() for _ in range(nlev)]

    def next_ready(ready=ready) -> int:
        for dq in ready:
            if dq:
                return dq.popleft()
        raise AssertionError("no one is waiting for a transfer")

    def begin(
        i: int,
        g: int,
        now: float,
        fifo_append=fifo_append,
        med_start=med_start,
        push=push,
        heap=heap,
        nxt=nxt,
        smed=smed,
        int_start=int_start,
        sint=sint,
    ) -> None:
        # Person i holds what service g needs: it starts now (or waits its turn in fifo).
        nonlocal wait
        if wait:
            fifo_append(i * 4 + g)
            wait += 1
        elif g == 1:
            med_start[i] = now
            push(heap, (now + smed[i], nxt(), i * 2))
        else:
            int_start[i] = now
            push(heap, (now + sint[i], nxt(), i * 2 + 1))

    def granted(
        p: int, i: int, now: float, begin=begin, interp=interp, fifo_append=fifo_append
    ) -> None:
        if p == MEDICAL:
            begin(i, 1, now)
        elif p == MEDIATION:
            begin(i, 3, now)
        elif interp[i]:
            fifo_append(i * 4 + 2)  # resumes in turn, then asks for a mediator
        else:
            begin(i, 2, now)

    def trigger(
        p: int,
        now: float,
        idle=idle,
        pend=pend,
        off=off,
        qlen=qlen,
        queues=queues,
        staff_of=staff_of,
        granted=granted,
    ) -> None:
        # A free place goes to the head of the line: a shift end first, then by priority.
        idl = idle[p]
        if idl:
            if pend[p]:
                pend[p] -= 1
                off[p].append(idl.pop())
            elif qlen[p]:
                for dq in queues[p]:
                    if dq:
                        i = dq.popleft()
                        break
                qlen[p] -= 1
                staff_of[p][i] = idl.pop()
                granted(p, i, now)

    def request(
        p: int,
        i: int,
        now: float,
        idle=idle,
        qlen=qlen,
        pend=pend,
        staff_of=staff_of,
        granted=granted,
        queues=queues,
        pr=pr,
        trigger=trigger,
    ) -> None:
        if idle[p] and not qlen[p] and not pend[p]:
            staff_of[p][i] = idle[p].pop()
            granted(p, i, now)
        else:
            queues[p][pr[i]].append(i)
            qlen[p] += 1
            if idle[p]:
                trigger(p, now)

    def set_on_duty(
        p: int,
        target: int,
        now: float,
        cap=cap,
        pend=pend,
        off=off,
        trigger=trigger,
        idle=idle,
        qlen=qlen,
        fifo_append=fifo_append,
    ) -> None:
        want_off = cap[p] - target
        cur = pend[p] + len(off[p])
        if want_off > cur:
            for _ in range(want_off - cur):
                pend[p] += 1
                trigger(p, now)
        elif want_off < cur:
            k = cur - want_off
            c = min(k, pend[p])
            pend[p] -= c
            for _ in range(k - c):
                idle[p].append(off[p].pop())
                if qlen[p] or pend[p]:
                    fifo_append(-1 - p)

    def schedule(
        t: float, code: int, now: float, fifo_append=fifo_append, push=push, heap=heap, nxt=nxt
    ) -> None:
        nonlocal wait
        if t == now:  # due at the very instant it is set: it joins fifo
            fifo_append(TIMEOUT_NOW - code)
            wait += 1
        else:
            push(heap, (t, nxt(), -1 - code))

    starts = np.flatnonzero(np.r_[True, boat[1:] != boat[:-1]]).tolist() if n else []
    ends = [*starts[1:], n]
    nboats = len(starts)
    seats = int(transfers_per_day)
    done = 0  # people transferred out
    st = {"tr_left": 0, "tr_item": -1, "next_transfer": float(transfer_hour)}
    next_change = [0, 0, 0, 0]

    def other_timeout(
        code: int,
        now: float,
        starts=starts,
        ends=ends,
        landed=landed,
        idle0=idle0,
        qlen=qlen,
        pend=pend,
        med_staff=med_staff,
        fifo_append=fifo_append,
        med_start=med_start,
        push=push,
        heap=heap,
        nxt=nxt,
        smed=smed,
        q0=q0,
        pr=pr,
        trigger=trigger,
        nboats=nboats,
        schedule=schedule,
        landl=landl,
        changes=changes,
        next_change=next_change,
        set_on_duty=set_on_duty,
        on=on,
        seats=seats,
        st=st,
        next_ready=next_ready,
    ) -> None:
        # Landings, shift changes and the daily transfer (rare next to service ends).
        nonlocal wait
        kind = code & 7
        a = code >> 3
        if kind == 2:  # a boat lands: everyone on it asks for the medical check, in quay order
            # (SimPy starts their processes with urgent priority: before anything else now)
            landed[starts[a] : ends[a]] = [now] * (ends[a] - starts[a])
            for i in range(starts[a], ends[a]):  # request(MEDICAL, i, now), written out
                if idle0 and not qlen[0] and not pend[0]:
                    med_staff[i] = idle0.pop()
                    if wait:
                        fifo_append(i * 4 + 1)
                        wait += 1
                    else:
                        med_start[i] = now
                        push(heap, (now + smed[i], nxt(), i * 2))
                else:
                    q0[pr[i]].append(i)
                    qlen[0] += 1
                    if idle0:
                        trigger(MEDICAL, now)
            if a + 1 < nboats:
                schedule(now + (landl[starts[a + 1]] - now), (a + 1) * 8 + 2, now)
        elif kind == 3:  # a shift changes
            ch = changes[a]
            k = next_change[a]
            set_on_duty(a, int(on[a][ch[k % len(ch)]]), now)
            k += 1
            next_change[a] = k
            day, j = divmod(k, len(ch))
            schedule(now + ((24.0 * day + ch[j]) - now), a * 8 + 3, now)
        else:  # the daily transfer: take up to `seats` people, one after the other
            m = min(seats, sum(map(len, ready)))  # once a day: counting is cheap
            if m:
                st["tr_left"] = m - 1
                st["tr_item"] = next_ready()
                fifo_append(TRANSFER_GET)
                wait += 1
            else:
                st["next_transfer"] += 24.0
                schedule(now + (st["next_transfer"] - now), 4, now)

    # Start-up, in the reference's process order: transfers, the four shift rotas, landings.
    now = 0.0
    schedule(now + (st["next_transfer"] - now), 4, now)
    for p in range(4):
        set_on_duty(p, int(on[p][0]), now)
        ch = changes[p]
        if ch:
            k = 0 if ch[0] > 0 else 1
            next_change[p] = k
            day, j = divmod(k, len(ch))
            schedule(now + ((24.0 * day + ch[j]) - now), p * 8 + 3, now)
    if nboats:
        schedule(now + (landl[starts[0]] - now), 2, now)

    while heap or fifo:
        if not fifo:
            now = heap[0][0]
            if now >= horizon or (done == n and nboats):
                break
        # First the events set earlier for this instant, in the order they were set.
        while heap and heap[0][0] == now:
            code = popq(heap)[2]
            if code < 0:  # a landing, a shift change or the daily transfer
                other_timeout(-1 - code, now)
                continue
            a = code >> 1
            if not code & 1:  # medical check done: free the staff member, ask for an interviewer
                med_end[a] = now
                idle0.append(med_staff[a])
                if qlen[0] or pend[0]:
                    fifo_append(-1)
                p = route[a]
                idl = idle[p]
                if idl and not qlen[p] and not pend[p]:
                    int_staff[a] = idl.pop()
                    if interp[a]:
                        fifo_append(a * 4 + 2)
                    elif wait:
                        fifo_append(a * 4 + 2)
                        wait += 1
                    else:
                        int_start[a] = now
                        push(heap, (now + sint[a], nxt(), a * 2 + 1))
                else:
                    queues[p][pr[a]].append(a)
                    qlen[p] += 1
                    if idl:
                        trigger(p, now)
            else:  # interview done: referral, then wait for a transfer
                if interp[a]:
                    idle3.append(mediator[a])
                    if qlen[3] or pend[3]:
                        fifo_append(-4)
                p = route[a]
                idle[p].append(int_staff[a])
                if qlen[p] or pend[p]:
                    fifo_append(-1 - p)
                int_end[a] = now
                ready[pr[a]].append(a)
        # Then what those events set in motion, first in first out.
        while fifo:
            x = fifo.popleft()
            # A released place goes to the next in line (shift ends first), one pool at a time:
            # written out per pool, this is the busiest path of the loop.
            if x == -1:  # a medical check ended
                if idle0:
                    if pend[0]:
                        pend[0] -= 1
                        off[0].append(idle0.pop())
                    elif qlen[0]:
                        for dq in q0:
                            if dq:
                                i = dq.popleft()
                                break
                        qlen[0] -= 1
                        med_staff[i] = idle0.pop()
                        if wait:
                            fifo_append(i * 4 + 1)
                            wait += 1
                        else:
                            med_start[i] = now
                            push(heap, (now + smed[i], nxt(), i * 2))
            elif x == -4:  # a mediator is free
                if idle3:
                    if pend[3]:
                        pend[3] -= 1
                        off[3].append(idle3.pop())
                    elif qlen[3]:
                        for dq in q3:
                            if dq:
                                i = dq.popleft()
                                break
                        qlen[3] -= 1
                        mediator[i] = idle3.pop()
                        if wait:
                            fifo_append(i * 4 + 3)
                            wait += 1
                        else:
                            int_start[i] = now
                            push(heap, (now + sint[i], nxt(), i * 2 + 1))
            elif -3 <= x < 0:  # an interviewer is free
                p = -1 - x
                idl = idle[p]
                if idl:
                    if pend[p]:
                        pend[p] -= 1
                        off[p].append(idl.pop())
                    elif qlen[p]:
                        for dq in queues[p]:
                            if dq:
                                i = dq.popleft()
                                break
                        qlen[p] -= 1
                        int_staff[i] = idl.pop()
                        if interp[i]:
                            if fifo:  # resumes in turn, then asks for a mediator
                                fifo_append(i * 4 + 2)
                                continue
                            # nothing is ahead of it: it resumes now (as below, for g == 2)
                            desk[i] = now
                            if idle3 and not qlen[3] and not pend[3]:
                                mediator[i] = idle3.pop()
                                if wait:
                                    fifo_append(i * 4 + 3)
                                    wait += 1
                                else:
                                    int_start[i] = now
                                    push(heap, (now + sint[i], nxt(), i * 2 + 1))
                            else:
                                q3[pr[i]].append(i)
                                qlen[3] += 1
                                if idle3:
                                    trigger(MEDIATION, now)
                        elif wait:
                            fifo_append(i * 4 + 2)
                            wait += 1
                        else:
                            int_start[i] = now
                            push(heap, (now + sint[i], nxt(), i * 2 + 1))
            elif x >= 0:  # a person resumes holding a staff member
                i = x >> 2
                g = x & 3
                if g == 2 and interp[i]:  # now asks for a mediator
                    desk[i] = now
                    if idle3 and not qlen[3] and not pend[3]:
                        mediator[i] = idle3.pop()
                        if wait:
                            fifo_append(i * 4 + 3)
                            wait += 1
                        else:
                            int_start[i] = now
                            push(heap, (now + sint[i], nxt(), i * 2 + 1))
                    else:
                        q3[pr[i]].append(i)
                        qlen[3] += 1
                        if idle3:
                            trigger(MEDIATION, now)
                    continue
                wait -= 1  # a start that waited its turn
                # Service times are at least a second, so `now + duration` is never `now`.
                if g == 1:
                    med_start[i] = now
                    push(heap, (now + smed[i], nxt(), i * 2))
                else:
                    int_start[i] = now
                    push(heap, (now + sint[i], nxt(), i * 2 + 1))
            elif x == TRANSFER_GET:  # the transfer process takes its next person
                wait -= 1
                transfer[st["tr_item"]] = now
                done += 1
                if not fifo:  # nothing else happens at this instant: take the rest at once
                    take = st["tr_left"]
                    done += take
                    st["tr_left"] = 0
                    for dq in ready:
                        while take and dq:
                            transfer[dq.popleft()] = now
                            take -= 1
                if st["tr_left"]:
                    st["tr_left"] -= 1
                    st["tr_item"] = next_ready()
                    fifo_append(TRANSFER_GET)
                    wait += 1
                else:
                    st["next_transfer"] += 24.0
                    schedule(now + (st["next_transfer"] - now), 4, now)
            else:  # a timeout that fell due at the very instant it was set
                wait -= 1
                other_timeout(TIMEOUT_NOW - x, now)

    def times(xs: list[float]) -> np.ndarray:
        return np.fromiter(xs, dtype=np.float64, count=n)

    def staff(xs: list[int]) -> np.ndarray:
        return np.fromiter(xs, dtype=np.int64, count=n)

    int_start_a = times(int_start)
    desk_a = np.where(interpreter, times(desk), int_start_a) if n else times(desk)
    return Timeline(
        times(landed),
        times(med_start),
        times(med_end),
        desk_a,
        int_start_a,
        times(int_end),
        times(transfer),
        staff(med_staff),
        staff(int_staff),
        staff(mediator),
    )


def on_duty_matrix(plan: Plan) -> np.ndarray:
    """(4, 24): staff of each role on duty in each hour, in the order of ROLES."""
    return np.stack([plan.on_duty(r) for r in ROLES])


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


def simulate(
    season: Season | ResolvedSeason | str,
    plan: Plan,
    config: Config | None = None,
    seed: int = 0,
    arrivals: Arrivals | None = None,
):
    """One season at the centre under ``plan``: a :class:`~.outputs.Result`.

    The same season, plan, configuration and seed give the same result. Arrivals and service
    times depend on the seed and the configuration only, never on the plan, so two plans run
    with one seed meet the same people (common random numbers: differences come from the plan).
    """
    from mixedflows.reception.outputs import Result

    cfg = config or Config()
    rs = resolved(season)
    if arrivals is None:
        arrivals = draw_arrivals(rs, cfg, np.random.default_rng(seed))
    arr, args = event_inputs(arrivals, plan, rs, cfg)
    tl = run_events(*args)
    return Result(season=rs, plan=plan, config=cfg, seed=seed, arrivals=arr, timeline=tl)


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
