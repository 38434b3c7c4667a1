"""The engine against the SimPy reference (tests/reception_simpy_reference.py).

- Exact: on identical inputs (the same people, the same service durations) every person's
  times agree exactly, ties included, for fixed and for pre-drawn random durations.
- Statistical: with random service times, the engine draws durations with numpy and the
  reference draws them inside each SimPy process with Python's ``random``. Over 40
  replications (seeds 0-39, the same landings for both), the per-replication mean and 90th
  percentile of the wait from landing to interview are compared with a two-sample
  Kolmogorov-Smirnov test and, paired by seed, a Wilcoxon signed-rank test; the pooled
  screening durations with a two-sample KS test. Every test at alpha = 0.01 must not reject.
  A negative control shows the same tests reject a reference whose interviews last 10% longer.
  The seeds are fixed, so the tests are deterministic.
"""

from __future__ import annotations

import datetime as dt
import random

import numpy as np
import pytest
from reception_simpy_reference import simulate_simpy
from scipy.stats import ks_2samp, wilcoxon

from mixedflows.reception import Config, Plan, Season, ServiceTimes, Shift
from mixedflows.reception.arrivals import URGENT, draw_arrivals
from mixedflows.reception.inputs import resolve
from mixedflows.reception.model import (
    event_inputs,
    run_events,
)
from mixedflows.scenarios import ArrivalPeriod

ALPHA = 0.01
FIELDS = ("landed", "medical_start", "medical_end", "interview_start", "referral", "transfer")


def season(days: int, people: int, landings: int) -> Season:
    return Season(
        id="test_ref",
        title="test",
        scenario="lampedusa_2013",
        start=dt.date(2011, 3, 1),
        days=days,
        capacity=190,
        capacity_source="test",
        arrivals=(
            ArrivalPeriod(
                period=f"2011-03-01/2011-03-{days:02d}",
                people=people,
                landings=landings,
                source="test",
            ),
        ),
    )


@pytest.fixture(params=["plain", "compiled"])
def engine(request, monkeypatch):
    """Each exact test runs on both event loops (reception.plain and the compiled kernel)."""
    monkeypatch.setenv("MIXEDFLOWS_RECEPTION_ENGINE", request.param)
    return request.param


def inputs(seas: Season, plan: Plan, cfg: Config, seed: int):
    rs = resolve(seas)
    return event_inputs(draw_arrivals(rs, cfg, np.random.default_rng(seed)), plan, rs, cfg)


def assert_same(tl, ref) -> None:
    for f in FIELDS:
        a, b = getattr(tl, f), ref[f]
        same = (a == b) | (np.isnan(a) & np.isnan(b))
        bad = np.flatnonzero(~same)
        assert bad.size == 0, (
            f"{f}: {bad.size} persons differ, first {bad[:5]}: {a[bad[:5]]} vs {b[bad[:5]]}"
        )


PLANS = {
    "day_and_night": Plan.simple(
        medical=(3, 2),
        screening=(6, 4),
        child_protection=(2, 1),
        mediation=(6, 4),
        beds=250,
        transfers_per_day=220,
    ),
    "stretched": Plan.simple(
        medical=(1, 1),
        screening=(3, 0),
        child_protection=(1, 0),
        mediation=(2, 1),
        beds=250,
        transfers_per_day=120,
        transfer_hour=0,
    ),
    "uneven_shifts": Plan(
        staff={
            "medical": (
                Shift(start=6, hours=8, staff=2),
                Shift(start=14, hours=8, staff=3),
                Shift(start=22, hours=8, staff=1),
            ),
            "screening": (Shift(start=9, hours=9, staff=5),),
            "child_protection": (
                Shift(start=0, hours=24, staff=1),
                Shift(start=10, hours=4, staff=2),
            ),
            "mediation": (Shift(start=7, hours=13, staff=4),),
        },
        beds=250,
        transfers_per_day=400,
        transfer_hour=23,
        priority={"urgent_medical": 0, "unaccompanied_child": 0, "other": 3},
    ),
}


@pytest.mark.parametrize("plan_name", sorted(PLANS))
@pytest.mark.parametrize("seed", [0, 1])
def test_exact_agreement_fixed_service_times(plan_name, seed, engine):
    cfg = Config(service=ServiceTimes().fixed(), drain_days=4)
    _arr, args = inputs(season(5, 1100, 12), PLANS[plan_name], cfg, seed)
    assert_same(run_events(*args), simulate_simpy(*args))


@pytest.mark.parametrize("seed", [0, 1, 2])
def test_exact_agreement_drawn_service_times(seed, engine):
    """Random durations drawn once and given to both: still exact."""
    cfg = Config(drain_days=4)
    _arr, args = inputs(season(5, 1100, 12), PLANS["day_and_night"], cfg, seed)
    assert_same(run_events(*args), simulate_simpy(*args))


def test_exact_agreement_with_ties_everywhere(engine):
    """Landings on the hour, durations of a quarter and half hour, shifts and transfers on the
    hour: many events share an instant, and the order of ties decides who goes first."""
    cfg = Config(service=ServiceTimes().fixed(), drain_days=3)
    plan = PLANS["day_and_night"].model_copy(update={"transfers_per_day": 90})
    arr, args = inputs(season(4, 700, 20), plan, cfg, 3)
    land = np.floor(arr.land)  # every landing on the hour
    med = np.where((arr.needs & URGENT) != 0, 0.5, 0.25)
    intv = np.where(arr.child_route, 1.0, 0.5)
    args = (land, *args[1:5], med, intv, *args[7:])
    tl, ref = run_events(*args), simulate_simpy(*args)
    assert_same(tl, ref)
    # ties really happened: many services ended at an instant shared with another
    ends = np.concatenate([tl.medical_end, tl.referral])
    ends = ends[~np.isnan(ends)]
    assert np.unique(ends).size < 0.5 * ends.size


def _wait_stats(land, interview_start):
    w = interview_start - land
    w = w[~np.isnan(w)]
    return w.mean(), np.quantile(w, 0.9)


def _replicate_both(service_for_reference: ServiceTimes, reps: int = 40):
    """Per replication (seed): the engine's and the reference's (mean, p90) wait, and the
    screening durations each used."""
    cfg = Config(drain_days=3)
    seas = season(3, 420, 6)
    plan = PLANS["day_and_night"].model_copy(update={"transfers_per_day": 300})
    eng, ref, d_eng, d_ref = [], [], [], []
    for seed in range(reps):
        arr, args = inputs(seas, plan, cfg, seed)
        eng.append(_wait_stats(arr.land, run_events(*args).interview_start))
        out = simulate_simpy(
            *args,
            service=service_for_reference,
            rnd=random.Random(seed),
            urgent=(arr.needs & URGENT) != 0,
        )
        ref.append(_wait_stats(arr.land, out["interview_start"]))
        adult = ~arr.child_route
        d_eng.append(arr.interview_time[adult])
        d_ref.append((out["referral"] - out["interview_start"])[adult])
    d_ref_all = np.concatenate(d_ref)
    return (np.array(eng), np.array(ref), np.concatenate(d_eng), d_ref_all[~np.isnan(d_ref_all)])


def _p_values(eng, ref, d_eng, d_ref):
    return {
        "durations, KS": ks_2samp(d_eng, d_ref).pvalue,
        **{
            f"{name}, KS": ks_2samp(eng[:, k], ref[:, k]).pvalue
            for k, name in enumerate(("mean wait", "p90 wait"))
        },
        # Paired by seed (the same landings in both): far more power than KS alone.
        **{
            f"{name}, Wilcoxon signed-rank": wilcoxon(eng[:, k], ref[:, k]).pvalue
            for k, name in enumerate(("mean wait", "p90 wait"))
        },
    }


def test_statistical_agreement_random_service_times():
    """40 replications; every test at alpha = 0.01 must not reject."""
    service = Config().service
    eng, ref, d_eng, d_ref = _replicate_both(service)
    p = _p_values(eng, ref, d_eng, d_ref)
    assert min(p.values()) > ALPHA, p
    assert not np.allclose(eng, ref)  # two different random streams, not one


def test_the_statistical_test_detects_a_ten_percent_error():
    """Negative control: a reference whose screening interviews last 10% longer is rejected,
    so agreement above is evidence, not a test too weak to fail."""
    service = Config().service
    slower = service.model_copy(
        update={
            "screening_interview": service.screening_interview.model_copy(
                update={"mean": 0.75 * 1.1}
            )
        }
    )
    p = _p_values(*_replicate_both(slower))
    assert p["durations, KS"] < ALPHA
    assert p["mean wait, Wilcoxon signed-rank"] < ALPHA
