"""Issue 16, memory per learner: the reception event loop in plain Python (reception.plain)
gives the compiled kernel's timeline to the last bit, and the app's kernel loads neither numba
nor pandas when the learner moves a control, runs 10 seasons or checks the plan.

The agreement with the SimPy reference, on both loops, is tests/test_reception_reference.py.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys

import numpy as np
import pytest

from mixedflows.exercises import load_exercise
from mixedflows.reception import ROLES, day_night, kernel, list_seasons, model, plain
from mixedflows.reception.arrivals import draw_arrivals
from mixedflows.reception.outputs import MEASURES, Replicated
from mixedflows.reception.simulation import simulate
from mixedflows.reception.timeline import Timeline

PARAMS = load_exercise("m4_staff_the_centre").params


def loop_args(season: str, plan, seed: int) -> tuple:
    """The arguments model.run_events gives an event loop, for ``season`` under ``plan``."""
    cfg = PARAMS.config()
    rs = model.resolved(season)
    _arr, a = model.event_inputs(draw_arrivals(rs, cfg, np.random.default_rng(seed)), plan, rs, cfg)
    n = int(a[0].size)
    first = np.flatnonzero(np.r_[True, a[1][1:] != a[1][:-1]]) if n else np.zeros(0)
    return (
        np.ascontiguousarray(a[0], dtype=np.float64),
        np.append(first, n).astype(np.int64),
        np.ascontiguousarray(a[2], dtype=np.int64),
        np.where(a[3], kernel.CHILD_PROTECTION, kernel.SCREENING).astype(np.int64),
        np.ascontiguousarray(a[4], dtype=np.bool_),
        np.ascontiguousarray(a[5], dtype=np.float64),
        np.ascontiguousarray(a[6], dtype=np.float64),
        np.ascontiguousarray(a[7], dtype=np.int64),
        int(a[8]),
        int(a[9]),
        float(a[10]),
    )


def assert_identical(a: tuple, b: tuple) -> None:
    for name, x, y in zip(Timeline.__dataclass_fields__, a, b, strict=True):
        assert x.dtype == y.dtype and x.shape == y.shape, name
        bad = np.flatnonzero(
            ~((x == y) | (np.isnan(x) & np.isnan(y)) if x.dtype.kind == "f" else x == y)
        )
        assert bad.size == 0, f"{name}: {bad.size} persons differ, first {bad[:5]}"


STARTING = PARAMS.starting_plan
PLANS = {
    "starting": STARTING,
    "kids first, few beds": STARTING.model_copy(
        update={
            "priority": {**STARTING.priority, "unaccompanied_child": 0},
            "beds": 100,
            "transfers_per_day": 40,
        }
    ),
    "no staff at night": STARTING.model_copy(
        update={
            "staff": {r: day_night(3, 0) for r in ROLES},
            "transfers_per_day": 0,
        }
    ),
}


@pytest.mark.parametrize("season", list_seasons())
def test_plain_and_compiled_agree_on_every_season(season):
    """Every season an app offers, the exercise's starting plan: the same timeline."""
    args = loop_args(season, STARTING, 1)
    assert_identical(plain.run(*args), kernel.run(*args))


@pytest.mark.parametrize("plan", sorted(PLANS))
@pytest.mark.parametrize("seed", [2, 3])
def test_plain_and_compiled_agree_under_other_plans(plan, seed):
    args = loop_args(PARAMS.season, PLANS[plan], seed)
    assert_identical(plain.run(*args), kernel.run(*args))


def test_plain_and_compiled_agree_on_edge_cases():
    """Nobody lands; nobody on duty in some pools (capacity 1, always off); no transfer seat."""
    args = list(loop_args(PARAMS.season, STARTING, 4))
    empty = [
        np.zeros(0),
        np.array([0], dtype=np.int64),
        np.zeros(0, dtype=np.int64),
        np.zeros(0, dtype=np.int64),
        np.zeros(0, dtype=np.bool_),
        np.zeros(0),
        np.zeros(0),
        *args[7:],
    ]
    assert_identical(plain.run(*empty), kernel.run(*empty))
    duty = args[7].copy()
    duty[2, :] = 0  # no child-protection staff ever
    duty[3, 8:20] = 0  # mediators only at night
    odd = (*args[:7], duty, 0, args[9], 24.0 * 10)
    out = plain.run(*odd)
    assert_identical(out, kernel.run(*odd))
    assert np.isnan(out[6]).all()  # no seat: nobody left


def test_every_shipped_season_runs_in_plain_python():
    """No app loads numba by itself: every season of the course is below the size at which
    the compiled loop is chosen (its largest draw over a few seeds, with room to spare)."""
    cfg = PARAMS.config()
    for season in list_seasons():
        rs = model.resolved(season)
        most = max(len(draw_arrivals(rs, cfg, np.random.default_rng(s))) for s in range(3))
        assert 2 * most < model.PLAIN_MAX_PEOPLE, (season, most)


def test_the_engine_is_chosen_by_size_setting_and_what_is_loaded(monkeypatch):
    monkeypatch.delenv(model.ENGINE_ENV, raising=False)
    monkeypatch.delitem(sys.modules, "mixedflows.reception.kernel")
    assert model.engine(19_000) == "plain"
    assert model.engine(model.PLAIN_MAX_PEOPLE + 1) == "compiled"
    monkeypatch.setitem(sys.modules, "mixedflows.reception.kernel", kernel)
    assert model.engine(19_000) == "compiled"  # numba's memory is paid: the faster loop
    monkeypatch.setenv(model.ENGINE_ENV, "plain")
    assert model.engine(10**6) == "plain"
    monkeypatch.setenv(model.ENGINE_ENV, "compiled")
    assert model.engine(10) == "compiled"


def test_columns_without_pandas_are_the_tables():
    """The app's pandas-free columns hold what the DataFrames hold; the replicated runs too."""
    from mixedflows.charts import reception_data as chart_data

    r = simulate(PARAMS.season, STARTING, PARAMS.config(), seed=1)
    daily, cols = r.daily(), r.daily_columns()
    assert list(daily.columns) == list(cols)
    for k, v in cols.items():
        assert list(daily[k]) == list(v), k
    waits = r.waits_by_group()
    assert waits.to_dict("list") == r.waits_columns()
    lim = PARAMS.config().limits
    assert chart_data.occupancy_data(cols) == chart_data.occupancy_data(daily)
    assert chart_data.waits_data(
        r.waits_columns(), lim.child_interview_hours, lim.screening_hours
    ) == chart_data.waits_data(waits, lim.child_interview_hours, lim.screening_hours)
    runs = [simulate(PARAMS.season, STARTING, PARAMS.config(), seed=s) for s in (1, 2, 3)]
    rep = Replicated.of(runs)
    assert list(rep.runs) == ["seed", *MEASURES]
    assert rep.table().to_dict("records") == [{"seed": x.seed, **x.metrics} for x in runs]


def test_the_apps_kernel_loads_neither_numba_nor_pandas_when_the_learner_works(tmp_path):
    """A fresh process as an app's kernel: the page, a control moved, another season, 10
    seasons and Check. The view it shows is the one the compiled kernel and pandas give."""
    code = f"""
import json, sys
from mixedflows.widgets import reception as mod
app = mod.ReceptionApp()
app.sliders["beds"].value += 10
app._on_another(None)
app._on_replicate(None)
result = app.submit_answer()
loaded = [m for m in ("numba", "llvmlite", "pandas", "altair", "vl_convert", "scipy")
          if m in sys.modules]
view = app.view
json.dump({{"loaded": loaded, "score": result.score, "seed": app.seed, "runs": app.runs,
           "plan": app.plan().model_dump(mode="json"), "view": view,
           "intervals": app.intervals.value}}, open({str(tmp_path / "out.json")!r}, "w"),
          default=str)
"""
    env = {**os.environ, "MIXEDFLOWS_STORE": str(tmp_path / "s.sqlite")}
    env.pop(model.ENGINE_ENV, None)
    done = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True)
    assert done.returncode == 0, done.stderr[-3000:]
    out = json.loads((tmp_path / "out.json").read_text())
    assert out["loaded"] == []
    assert out["runs"] in (2, 3)  # the move and another season (the page: its memo, if kept)

    # The same season on the compiled kernel, through pandas: the same view and grade.
    from mixedflows.grading import grade
    from mixedflows.reception import Plan
    from mixedflows.widgets import reception as mod

    kernel.warm()
    plan = Plan.model_validate(out["plan"])
    r = simulate(PARAMS.season, plan, PARAMS.config(), seed=out["seed"])
    view = json.loads(json.dumps(mod.season_view(r, PARAMS.config()), default=str))
    assert out["view"] == view
    assert out["score"] == grade(load_exercise("m4_staff_the_centre"), plan).score


@pytest.mark.parametrize(("setting", "loads"), [("", False), ("compiled", True)])
def test_the_capstone_warms_numba_only_for_the_compiled_loop(setting, loads):
    """Module 11's stage 1 warmed the compiled kernel for stage 2 (about 130 MB of the
    kernel); the plain loop runs that season now, so it loads numba only when told to."""
    code = (
        "import sys, threading\n"
        "from mixedflows.widgets.season import warm_in_background\n"
        "warm_in_background()\n"
        "[t.join() for t in threading.enumerate() if t.name == 'mf-warm-reception']\n"
        "print('numba' in sys.modules)\n"
    )
    env = {**os.environ, model.ENGINE_ENV: setting}
    done = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True)
    assert done.returncode == 0, done.stderr[-2000:]
    assert done.stdout.strip().splitlines()[-1] == str(loads)
