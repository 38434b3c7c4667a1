"""The reception-centre app without a browser: controls drive the engine, the charts' data
follows, checking a plan grades it and records the attempt. Also the chart functions' specs."""

from __future__ import annotations

import pytest

from mixedflows.charts.reception import (
    OCCUPANCY_DAYS,
    OCCUPANCY_LINES,
    WAITS,
    occupancy_chart,
    occupancy_spec,
    waits_chart,
    waits_spec,
)
from mixedflows.reception import Plan, simulate
from mixedflows.store import Store


@pytest.fixture(scope="module")
def result():
    return simulate("lampedusa_2013", Plan.simple(beds=300, transfers_per_day=60), seed=3)


def test_occupancy_chart_spec(result):
    spec = occupancy_chart(result.daily()).to_dict()
    days = spec["datasets"][OCCUPANCY_DAYS]
    assert len(days) == result.season.days  # the season only, not the run-down
    assert {"date", "arrivals", "peak_occupancy", "status"} <= set(days[0])
    lines = {x["label"]: x["people"] for x in spec["datasets"][OCCUPANCY_LINES]}
    assert lines == {"beds in the plan": 300, "built for": result.season.capacity}
    marks = [
        layer["mark"]["type"] if isinstance(layer["mark"], dict) else layer["mark"]
        for layer in spec["layer"]
    ]
    assert marks == ["bar", "line", "circle", "rule"]
    # The fast path the app uses gives the same spec as the chart function.
    assert occupancy_spec(result.daily()) == spec


def test_waits_chart_spec(result):
    w = result.waits_by_group()
    spec = waits_chart(w, 24, 72).to_dict()
    rows = spec["datasets"][WAITS]
    assert len(rows) == 3 * len(w)
    kids = [r for r in rows if r["group"] == "Unaccompanied or separated child"]
    assert {r["statistic"] for r in kids} == {"mean", "90th percentile", "longest"}
    assert waits_spec(w, 24, 72) == spec


@pytest.fixture(scope="module")
def app(tmp_path_factory):
    from mixedflows.widgets.common import Recorder
    from mixedflows.widgets.reception import ReceptionApp

    store = Store(tmp_path_factory.mktemp("reception") / "attempts.sqlite")
    return ReceptionApp(recorder=Recorder(store=store, learner="tester", session=""))


def test_moving_a_control_reruns_the_season_and_changes_the_charts(app):
    runs = app.runs
    occ, waits, summary = app.occupancy.spec, app.waits.spec, app.summary.value
    app.sliders["beds"].value = app.sliders["beds"].value + 300
    assert app.runs == runs + 1
    assert app.occupancy.spec != occ
    lines = {x["label"]: x["people"] for x in app.occupancy.spec["datasets"][OCCUPANCY_LINES]}
    assert lines["beds in the plan"] == app.sliders["beds"].value
    app.sliders["child_protection_night"].value = 3
    assert app.waits.spec != waits
    assert app.summary.value != summary
    assert app.plan().on_duty("child_protection")[22] == 3
    assert app.status.value == ""


def test_children_first_and_the_season_picker(app):
    app.kids_first.value = True
    assert app.plan().priority["unaccompanied_child"] == app.plan().priority["urgent_medical"]
    app.season.value = "lampedusa_2013"
    assert "2013" in app.summary.value
    assert len(app.occupancy.spec["datasets"][OCCUPANCY_DAYS]) == 365
    app.season.value = app.params.season
    app.kids_first.value = False


def test_another_season_and_intervals(app):
    seed = app.seed
    app.another.click()
    assert app.seed == seed + 1
    app.replicate_btn.click()
    assert "90% of seasons between" in app.intervals.value
    assert app.intervals.value.count("<tr>") == 7


def test_check_grades_and_records_the_attempt(app):
    app.submit.click()  # "Check my plan" (base.check() validates an answer)
    assert "Score:" in app.feedback.value and "MC/INF/294" in app.feedback.value
    assert "Checked over 5 seasons" in app.status.value
    rows = app.recorder.store.attempts(learner="tester", exercise_id="m4_staff_the_centre")
    assert len(rows) == 1
    assert rows[0].answer["beds"] == app.sliders["beds"].value
    assert 0 <= rows[0].score <= 1


def test_a_failing_callback_shows_a_friendly_message(app, monkeypatch):
    import mixedflows.widgets.reception as mod

    def boom(*a, **k):
        raise RuntimeError("engine down")

    monkeypatch.setattr(mod, "simulate", boom)
    app.sliders["beds"].value = app.sliders["beds"].value + 10
    assert "Something went wrong" in app.status.value
    assert "engine down" not in app.status.value
