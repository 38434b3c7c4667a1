"""The reception centre written plainly in SimPy: the reference the engine is checked against.

SimPy is a test dependency only. This model is written the way a SimPy user would write it
(one process per person, ``PriorityResource`` pools, a process per shift rota that takes staff
off duty with top-priority requests, a daily transfer process taking people from a
``PriorityStore``), independently of the engine's event loop. On the same inputs and fixed
service times the two must agree person by person, exactly.

With ``service`` and ``rng`` given, each person's durations are drawn here, inside the person's
process, from Python's ``random`` module: the engine's durations come from numpy, so agreement
can only be statistical (see tests/test_reception_reference.py).
"""

from __future__ import annotations

import itertools
import math
import random

import numpy as np
import simpy

OFF_DUTY = -1  # shift ends outrank every person in the queue


def on_duty_changes(on_duty_24):
    """Hours of the day at which the number on duty changes."""
    return [h for h in range(24) if on_duty_24[h] != on_duty_24[h - 1]]


def rota(env, res, on_duty_24):
    """Keep ``res`` staffed as the rota says: at each change, request staff off duty (granted
    as soon as they are free) or bring them back (cancel waiting requests first)."""
    off = []

    def adjust(target):
        want_off = res.capacity - target
        while len(off) < want_off:
            off.append(res.request(priority=OFF_DUTY))
        while len(off) > want_off:
            req = off.pop()
            if req.triggered:
                res.release(req)
            else:
                req.cancel()

    adjust(on_duty_24[0])
    changes = on_duty_changes(on_duty_24)
    if not changes:
        return
    k = 0 if changes[0] > 0 else 1
    while True:
        day, j = divmod(k, len(changes))
        t = 24.0 * day + changes[j]
        yield env.timeout(t - env.now)
        adjust(on_duty_24[changes[j]])
        k += 1


def draw(dist, rnd: random.Random) -> float:
    """One duration from a Distribution (kind, mean, cv), with Python's random module."""
    kind, mean, cv = dist.kind, dist.mean, dist.cv
    if kind == "fixed" or (cv == 0 and kind != "exponential"):
        x = mean
    elif kind == "exponential":
        x = rnd.expovariate(1.0 / mean)
    elif kind == "lognormal":
        sigma = math.sqrt(math.log(1 + cv * cv))
        x = rnd.lognormvariate(math.log(mean) - sigma * sigma / 2, sigma)
    else:
        shape = 1.0 / (cv * cv)
        x = rnd.gammavariate(shape, mean / shape)
    return max(x, 1.0 / 3600)


def simulate_simpy(
    land,
    boat,
    prio,
    child_route,
    interpreter,
    medical_time,
    interview_time,
    on_duty,
    transfers_per_day,
    transfer_hour,
    horizon,
    service=None,
    rnd: random.Random | None = None,
    urgent=None,
):
    """The same system in SimPy. Arguments as ``mixedflows.reception.model.run_events``; with
    ``service`` (a ServiceTimes), ``rnd`` and ``urgent`` (who needs urgent care), durations are
    drawn here instead."""
    env = simpy.Environment()
    on_duty = np.asarray(on_duty)
    pools = [simpy.PriorityResource(env, capacity=max(1, int(on_duty[p].max()))) for p in range(4)]
    medical, screening, child_protection, mediation = pools
    ready = simpy.PriorityStore(env)
    n = len(land)
    nan = float("nan")
    referred = itertools.count()  # ties in the transfer queue: first referred, first out
    out = {
        k: [nan] * n
        for k in (
            "landed",
            "medical_start",
            "medical_end",
            "interview_start",
            "referral",
            "transfer",
        )
    }

    def person(i):
        p = int(prio[i])
        if service is None:
            t_med, t_int = float(medical_time[i]), float(interview_time[i])
        else:
            t_med = draw(service.urgent_care if urgent[i] else service.medical_check, rnd)
            t_int = draw(
                service.child_interview if child_route[i] else service.screening_interview, rnd
            )
        req = medical.request(priority=p)
        yield req
        out["medical_start"][i] = env.now
        yield env.timeout(t_med)
        medical.release(req)
        out["medical_end"][i] = env.now
        desk = child_protection if child_route[i] else screening
        req = desk.request(priority=p)
        yield req
        if interpreter[i]:
            mreq = mediation.request(priority=p)
            yield mreq
        out["interview_start"][i] = env.now
        yield env.timeout(t_int)
        if interpreter[i]:
            mediation.release(mreq)
        desk.release(req)
        out["referral"][i] = env.now
        yield ready.put(simpy.PriorityItem((p, env.now, next(referred)), i))

    def transfers():
        t = float(transfer_hour)
        while True:
            yield env.timeout(t - env.now)
            for _ in range(min(transfers_per_day, len(ready.items))):
                item = yield ready.get()
                out["transfer"][item.item] = env.now
            t += 24.0

    def landings():
        i = 0
        while i < n:
            yield env.timeout(float(land[i]) - env.now)
            b = boat[i]
            while i < n and boat[i] == b:
                out["landed"][i] = env.now
                env.process(person(i))
                i += 1

    env.process(transfers())
    for p in range(4):
        env.process(rota(env, pools[p], [int(x) for x in on_duty[p]]))
    env.process(landings())
    env.run(until=horizon)
    return {k: np.array(v) for k, v in out.items()}
