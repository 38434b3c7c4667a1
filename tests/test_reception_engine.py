"""The reception simulation: seeded reproducibility, invariants, priorities, inputs and outputs.

Invariants checked on every run below: no one is seen before landing or out of step order;
no staff member serves two people at once; a service starts only when a staff member of that
pool is on duty; transfers leave at the transfer hour with at most the seats of the day;
occupancy never goes negative.
"""

from __future__ import annotations

import datetime as dt

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from mixedflows.errors import DataFileError
from mixedflows.reception import Config, Plan, Season, ServiceTimes, Shift, simulate
from mixedflows.reception.arrivals import (
    SPECIFIC,
    UASC,
    URGENT,
    draw_arrivals,
    draw_cohort_arrivals,
    specific_needs_share,
)
from mixedflows.reception.inputs import ROLES, load_season, parse_period, resolve
from mixedflows.reception.model import on_duty_matrix
from mixedflows.scenarios import ArrivalPeriod

SMALL = Season(
    id="test_week",
    title="A test week at the 2011 rate",
    scenario="lampedusa_2013",
    start=dt.date(2011, 3, 1),
    days=7,
    arrivals=(
        ArrivalPeriod(period="2011-03-01/2011-03-07", people=1400, landings=16, source="test"),
    ),
    capacity=190,
    capacity_source="test",
)
PLAN = Plan.simple(
    medical=(3, 2),
    screening=(6, 3),
    child_protection=(2, 1),
    mediation=(6, 3),
    beds=250,
    transfers_per_day=220,
)


def check_invariants(r) -> None:
    a, t, plan = r.arrivals, r.timeline, r.plan
    # The instant of landing, as the event loop reached it (within a rounding of the drawn time)
    land = t.landed
    np.testing.assert_allclose(land, a.land, rtol=1e-12)
    seen_med = ~np.isnan(t.medical_start)
    # Steps in order, and nothing before landing.
    assert (t.medical_start[seen_med] >= land[seen_med]).all()
    for x, y in [
        (t.medical_start, t.medical_end),
        (t.medical_end, t.interviewer_assigned),
        (t.interviewer_assigned, t.interview_start),
        (t.interview_start, t.referral),
        (t.referral, t.transfer),
    ]:
        both = ~np.isnan(x) & ~np.isnan(y)
        assert (y[both] >= x[both]).all()
        assert not (np.isnan(x) & ~np.isnan(y)).any(), "a later step without the earlier one"
    on = on_duty_matrix(plan)
    pools = [
        (0, t.medical_staff, t.medical_start, t.medical_end, seen_med),
        (1, t.interview_staff, t.interviewer_assigned, t.referral, ~a.child_route),
        (2, t.interview_staff, t.interviewer_assigned, t.referral, a.child_route),
        (3, t.mediator, t.interview_start, t.referral, a.interpreter),
    ]
    for p, staff, start, end, sel in pools:
        m = sel & ~np.isnan(start)
        s, e, who = start[m], np.where(np.isnan(end[m]), np.inf, end[m]), staff[m]
        assert (who >= 0).all() and (who < max(1, on[p].max())).all()
        # No staff member serves two people at once.
        order = np.lexsort((s, who))
        s, e, who = s[order], e[order], who[order]
        same = who[1:] == who[:-1]
        assert (s[1:][same] >= e[:-1][same]).all(), f"pool {p}: a staff member double-booked"
        # A service starts only when a staff member is on duty: at each start, the services
        # under way (this one included) never exceed the staff on duty in that hour.
        if s.size:
            starts = np.sort(s)
            ends = np.sort(e)
            busy = np.searchsorted(starts, starts, "right") - np.searchsorted(ends, starts, "right")
            hour = (starts % 24).astype(int)
            assert (busy <= on[p][hour]).all(), f"pool {p}: service while off duty"
    # Transfers: at the transfer hour, at most the day's seats.
    tr = t.transfer[~np.isnan(t.transfer)]
    assert np.allclose(tr % 24, plan.transfer_hour)
    if tr.size:
        assert np.unique(tr, return_counts=True)[1].max() <= plan.transfers_per_day
    # Occupancy never negative, and everyone who left had landed.
    d = r.daily()
    assert (d.peak_occupancy >= 0).all() and (d.end_occupancy >= 0).all()
    assert d.arrivals.sum() == len(a)
    assert (d.end_occupancy.to_numpy() == np.cumsum(d.arrivals - d.transfers)).all()


@pytest.mark.parametrize("seed", [0, 1, 2])
def test_invariants_hold(seed):
    check_invariants(simulate(SMALL, PLAN, seed=seed))


def test_same_seed_same_season_other_seed_another():
    a = simulate(SMALL, PLAN, seed=7)
    b = simulate(SMALL, PLAN, seed=7)
    c = simulate(SMALL, PLAN, seed=8)
    for f in ("medical_start", "interview_start", "referral", "transfer"):
        np.testing.assert_array_equal(getattr(a.timeline, f), getattr(b.timeline, f))
    assert a.metrics == b.metrics
    assert not np.array_equal(a.arrivals.land, c.arrivals.land)


def test_plans_meet_the_same_people():
    """Common random numbers: the plan changes what happens, never who lands."""
    a = simulate(SMALL, PLAN, seed=3)
    b = simulate(SMALL, PLAN.model_copy(update={"beds": 900, "transfers_per_day": 50}), seed=3)
    assert np.array_equal(np.sort(a.arrivals.land), np.sort(b.arrivals.land))
    assert a.arrivals.needs.sum() == b.arrivals.needs.sum()


@settings(max_examples=15, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    staff=st.lists(
        st.tuples(st.integers(0, 4), st.integers(0, 3), st.integers(0, 23)), min_size=4, max_size=4
    ),
    transfers=st.integers(0, 400),
    hour=st.integers(0, 23),
    seed=st.integers(0, 10_000),
    kids_first=st.booleans(),
)
def test_invariants_for_any_plan(staff, transfers, hour, seed, kids_first):
    shifts = {
        r: (Shift(start=s, hours=12, staff=d), Shift(start=(s + 12) % 24, hours=12, staff=n))
        for r, (d, n, s) in zip(ROLES, staff, strict=True)
    }
    prio = {"urgent_medical": 0, "unaccompanied_child": 0 if kids_first else 1, "other": 2}
    plan = Plan(
        staff=shifts, beds=200, transfers_per_day=transfers, transfer_hour=hour, priority=prio
    )
    cfg = Config(drain_days=3)
    r = simulate(SMALL.model_copy(update={"days": 3}), plan, cfg, seed=seed)
    check_invariants(r)


def test_priority_order_is_kept_in_the_medical_queue():
    """No one of lower priority starts a medical check while someone of higher priority who
    landed earlier is still waiting (MC/INF/294 ¶17: acute needs first)."""
    r = simulate(SMALL, Plan.simple(medical=(1, 1), beds=250, transfers_per_day=300), seed=5)
    pr = r.arrivals.priority(r.plan)
    land, start = r.timeline.landed, r.timeline.medical_start
    start = np.where(np.isnan(start), np.inf, start)
    worst = 0
    for p_hi in range(int(pr.max())):
        hi = np.flatnonzero(pr == p_hi)
        lo = np.flatnonzero(pr > p_hi)
        # a low-priority start while a high-priority person had landed and was not yet seen
        s_lo = np.sort(start[lo][np.isfinite(start[lo])])
        for i in hi:
            n_bad = np.searchsorted(s_lo, start[i], "left") - np.searchsorted(
                s_lo, land[i], "right"
            )
            worst = max(worst, n_bad)
    assert worst == 0
    # And the queue is a real one: urgent cases waited less than others on average.
    w = r.timeline.medical_start - land
    assert np.nanmean(w[pr == 0]) < np.nanmean(w[pr == 2])


def test_children_first_shortens_childrens_wait():
    base = Plan.simple(
        medical=(2, 1),
        screening=(4, 1),
        child_protection=(1, 1),
        mediation=(4, 1),
        beds=250,
        transfers_per_day=300,
    )
    first = base.model_copy(update={"priority": {**base.priority, "unaccompanied_child": 0}})
    a = simulate(SMALL, base, seed=2).waits_by_group().set_index("group")
    b = simulate(SMALL, first, seed=2).waits_by_group().set_index("group")
    assert b.loc["unaccompanied_child", "mean_wait"] < a.loc["unaccompanied_child", "mean_wait"]


def test_a_role_without_staff_serves_no_one_and_says_so():
    plan = Plan.simple(child_protection=(0, 0), beds=250, transfers_per_day=300)
    r = simulate(SMALL, plan, Config(drain_days=2), seed=1)
    kids = r.arrivals.child_route
    assert kids.any() and np.isnan(r.timeline.interview_start[kids]).all()
    assert r.metrics["not_seen"] >= kids.sum()
    assert r.metrics["children_late"] == kids.sum()  # waited past the limit, not "on time"
    check_invariants(r)


def test_shift_end_lets_staff_finish_the_person():
    """A single medical staff member on duty 8-20 only: checks start only in those hours, and
    a check begun just before 20:00 ends after it."""
    plan = Plan(
        staff={
            "medical": (Shift(start=8, hours=12, staff=1),),
            "screening": (Shift(start=0, hours=24, staff=5),),
            "child_protection": (Shift(start=0, hours=24, staff=2),),
            "mediation": (Shift(start=0, hours=24, staff=5),),
        },
        beds=250,
        transfers_per_day=300,
    )
    cfg = Config(service=ServiceTimes().fixed(), drain_days=3)
    r = simulate(SMALL, plan, cfg, seed=4)
    s = r.timeline.medical_start[~np.isnan(r.timeline.medical_start)]
    assert ((s % 24 >= 8) & (s % 24 < 20)).all()
    e = r.timeline.medical_end
    assert ((e % 24 > 20) & (e % 24 < 21)).any()  # finished with the person after 20:00
    check_invariants(r)


def test_vectorised_arrivals_match_person_level_cohorts():
    """The fast draw gives the groups screening gives to generated persons, in the same
    proportions (within sampling error)."""
    rs = resolve(SMALL)
    cfg = Config()
    fast = draw_arrivals(rs, cfg, np.random.default_rng(1))
    slow = draw_cohort_arrivals(rs, cfg, np.random.default_rng(1), seed=1)
    assert len(slow.person_id) == len(slow) > 1000
    for bit in (URGENT, UASC, SPECIFIC):
        p_fast = ((fast.needs & bit) != 0).mean()
        p_slow = ((slow.needs & bit) != 0).mean()
        se = np.sqrt(p_fast * (1 - p_fast) * (1 / len(fast) + 1 / len(slow)))
        assert abs(p_fast - p_slow) < 4 * se + 1e-9, (bit, p_fast, p_slow)
    assert 0 < specific_needs_share(rs.scenario) < 1


def test_person_level_season_runs_and_keeps_ids():
    rs = resolve(SMALL.model_copy(update={"days": 2}))
    arr = draw_cohort_arrivals(rs, Config(), np.random.default_rng(0), seed=0)
    r = simulate(rs, PLAN, seed=0, arrivals=arr)
    df = r.persons()
    assert df.person_id.str.startswith("lampedusa_2013-").all()
    check_invariants(r)


def test_outputs_tables():
    r = simulate(SMALL, PLAN, seed=0)
    w = r.waits_by_group()
    assert set(w.group) <= {
        "urgent_medical",
        "unaccompanied_child",
        "specific_needs",
        "child_with_family",
        "other",
    }
    assert w.people.sum() == len(r.arrivals)
    assert (w.max_wait >= w.p90_wait).all() and (w.p90_wait >= w.median_wait).all()
    d = r.daily()
    assert len(d) == SMALL.days + Config().drain_days
    assert d.in_season.sum() == SMALL.days
    m = r.metrics
    assert m["days_over_capacity"] == (d.over_capacity & d.in_season).sum()
    assert "<table>" in r._repr_html_()


def test_replicated_runs_report_an_interval():
    from mixedflows.reception import replicate

    rep = replicate(SMALL, PLAN, seeds=range(6))
    iv = rep.interval("mean_interview_wait")
    assert iv.runs == 6 and iv.low <= iv.mean <= iv.high and iv.low < iv.high
    assert "between" in iv.text()
    s = rep.summary()
    assert {"mean", "low", "high", "meaning"} <= set(s.columns)


def test_periods_and_seasons():
    assert parse_period("2013") == (dt.date(2013, 1, 1), dt.date(2014, 1, 1))
    assert parse_period("2011-12") == (dt.date(2011, 12, 1), dt.date(2012, 1, 1))
    assert parse_period("2011-01-01/2011-08-31")[1] == dt.date(2011, 9, 1)
    with pytest.raises(ValueError, match=r"2011/13"):
        parse_period("2011/13")
    rs = resolve("lampedusa_2011_surge")
    assert rs.days == 92 and rs.capacity == 190
    # March to May at the January-August rate of 50,000 people.
    assert rs.expected_people == pytest.approx(50_000 * 92 / 243)
    assert resolve("lampedusa_2013").expected_people == pytest.approx(14_739)


def test_season_file_errors_name_the_file_and_field(tmp_path):
    bad = tmp_path / "bad_season.yaml"
    bad.write_text("id: bad_season\ntitle: x\nscenario: lampedusa_2013\ncapacity: 10\n")
    with pytest.raises(DataFileError, match=r"bad_season\.yaml.*capacity_source"):
        load_season(bad)
    bad.write_text("id: bad_season\ntitle: x\nscenario: lampedusa_2013\nbeds: 3\n")
    with pytest.raises(DataFileError, match="field 'beds': unknown key"):
        load_season(bad)
    bad.write_text("id: bad_season\ntitle: x\nscenario: nowhere\n")
    with pytest.raises(DataFileError, match="field 'scenario'"):
        load_season(bad)
    bad.write_text(
        "id: bad_season\ntitle: x\nscenario: lampedusa_2013\narrivals:\n"
        "  - {period: 'spring', people: 3, source: s}\n"
    )
    with pytest.raises(DataFileError, match=r"arrivals\.0\.period"):
        load_season(bad)


def test_engine_import_stays_light():
    import subprocess
    import sys

    code = (
        "import sys, mixedflows.reception\n"
        "print(','.join(sorted(m for m in sys.modules if m.split('.')[0] in "
        "{'ipywidgets', 'altair', 'anywidget', 'simpy', 'IPython'})))"
    )
    out = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    ).stdout.strip()
    assert out == ""


def test_the_season_choices_are_the_seasons_offered_with_fewer_reads(monkeypatch):
    """The reception page's season list (titles and ids, in order) as the page built it
    before (every season's title from get_season), with each scenario read once instead of
    twice (a season file's scenario is read again to check the reference)."""
    from mixedflows import errors
    from mixedflows.reception.inputs import get_season, list_seasons, season_choices

    read: list[str] = []
    load_yaml = errors.load_yaml
    monkeypatch.setattr(errors, "load_yaml", lambda p: read.append(str(p)) or load_yaml(p))
    before = [(get_season(s).title, s) for s in list_seasons()]
    reads_before, read[:] = len(read), []
    assert season_choices() == before and len(before) > 3
    assert len(read) <= len(set(read)) + 1 < reads_before, sorted(read)


def test_staff_on_duty_per_hour():
    """Plan.on_duty counts in plain Python (no numpy for the page's first view): a shift over
    midnight, two shifts of one role, and the model's matrix from it."""
    plan = Plan.simple(medical=(4, 2))
    assert plan.on_duty("medical") == [2] * 8 + [4] * 12 + [2] * 4
    night = Plan(
        staff={"medical": (Shift(start=22, hours=4, staff=3), Shift(start=0, hours=24, staff=1))}
    )
    assert night.on_duty("medical") == [4, 4] + [1] * 20 + [4, 4]
    m = on_duty_matrix(night)
    assert m.dtype == np.int64 and m.shape == (4, 24) and m[0].tolist() == night.on_duty("medical")
    assert night.staff_hours_per_day("medical") == 4 * 3 + 24


def test_a_scenario_with_a_season_window_is_offered_once():
    """A cold trial met "Lampedusa, March to May 2011: the surge" and "Lampedusa, 2011: the
    surge" in one picker: a scenario that a season of datasets/reception/ is a window of is
    offered through that season only."""
    from mixedflows.reception.inputs import (
        _datasets_reception,
        list_seasons,
        load_season,
        season_choices,
    )

    offered = list_seasons()
    files = [sid for sid in offered if (_datasets_reception() / f"{sid}.yaml").exists()]
    windowed = {load_season(sid).scenario for sid in files}
    assert windowed, "no season window in datasets/reception/"
    assert not windowed & set(offered)
    titles = [t for t, _ in season_choices()]
    assert len(titles) == len(set(titles))


def test_the_groups_sentence_is_the_rule_that_picks_a_persons_group():
    """The caveats say each person is in the first group that applies, in the order listed
    (a cold trial read 946 children in the summary and 827 in the chart's child group): every
    combination of needs lands in the first listed group among those it has."""
    import numpy as np

    from mixedflows.charts.reception_data import GROUP_ORDER
    from mixedflows.reception.arrivals import UASC, URGENT, Arrivals
    from mixedflows.reception.inputs import GROUP_LABELS, GROUPS

    needs = np.arange(16, dtype=np.int64)
    arr = Arrivals(
        land=np.zeros(16),
        boat=np.zeros(16, dtype=np.int64),
        needs=needs,
        interpreter=np.zeros(16, dtype=bool),
        medical_time=np.ones(16),
        interview_time=np.ones(16),
    )
    bits = [1, 2, 4, 8]  # urgent, unaccompanied, specific, child with a parent: the groups
    for mask, g in zip(needs, arr.group, strict=True):
        applying = [GROUP_LABELS[GROUPS[i]] for i, b in enumerate(bits) if mask & b] or [
            GROUP_LABELS[GROUPS[-1]]
        ]
        first = min(applying, key=GROUP_ORDER.index)
        assert GROUP_LABELS[GROUPS[g]] == first, (mask, applying)
    # the summary's children: every unaccompanied child, the urgent ones too
    both = needs[(needs & UASC) != 0]
    assert arr.child_route.sum() == both.size and ((both & URGENT) != 0).any()
