"""The reception-centre app without a browser: controls drive the engine, the charts' data
follows, checking a plan grades it and records the attempt. Also the chart functions' specs."""

from __future__ import annotations

import re

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
from mixedflows.charts.specs import rows
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
    lines = {x["label"]: x["people"] for x in rows(app.occupancy.spec, OCCUPANCY_LINES)}
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
    assert len(rows(app.occupancy.spec, OCCUPANCY_DAYS)) == 365
    app.season.value = app.params.season
    app.kids_first.value = False


def test_check_grades_the_season_shown(tmp_path):
    """Issue 13.10: Check grades the season the picker shows, and records it as that season's
    attempt (a cold trial found every season but the exercise's own failing at Check)."""
    from mixedflows.grading import grade

    app = _fresh_app(tmp_path, "season-check")
    other = next(sid for _t, sid in app.season.options if sid != app.params.season)
    app.season.value = other
    app.submit_answer()
    assert app.result is not None, app.status.value
    assert "went wrong" not in app.status.value
    shown = app.exercise.model_copy(
        update={"params": app.exercise.params.model_copy(update={"season": other})}
    )
    assert app.result.score == grade(shown, app.plan()).score
    assert app.graded_exercise().params.season == other
    assert app.exercise.params.season != other  # the exercise itself unchanged
    (attempt,) = app.recorder.store.attempts(learner="season-check")
    assert attempt.score == app.result.score


def test_a_check_on_another_season_is_practice_never_the_grade(tmp_path):
    """A cold trial scored 20% on the exercise's season and 45% on an easier one, and the app,
    the grade and the LMS export all said 45%. Another season's Check is graded, shown and
    recorded as practice, its season named for the facilitator; the grade counts the
    exercise's season only, in the app and in the export alike."""
    from mixedflows.facilitator.tables import participant_exercise
    from mixedflows.gradebook import exercise_grade, graded_of

    app = _fresh_app(tmp_path, "practice")
    titles = {sid: title for title, sid in app.season.options}
    other = next(sid for sid in titles if sid != app.params.season)
    app.season.value = other
    practice = app.submit_answer()
    assert practice is not None and practice.practice
    assert f"Practice: only &#39;{titles[app.params.season]}&#39; counts" in app.status.value
    assert "No grade for this exercise yet: practice does not count." in app.status.value
    (stored,) = app.recorder.store.attempts(learner="practice")
    assert stored.feedback["practice"] is True
    assert stored.feedback["context"] == f"{titles[other]} (practice)"
    assert exercise_grade([graded_of(stored)]).score is None
    app.season.value = app.params.season
    counted = app.submit_answer()
    assert counted is not None and not counted.practice
    assert "Practice" not in app.status.value
    stored = app.recorder.store.attempts(learner="practice")
    grade = exercise_grade([graded_of(a) for a in stored])
    assert grade.score == counted.score and grade.practice == 1
    assert f"Your grade for this exercise: {grade.text}" in app.status.value
    export = participant_exercise(stored)  # what the LMS export writes
    assert list(export["grade"]) == [grade.score]


def test_another_season_and_intervals(app):
    seed = app.seed
    app.another.click()
    assert app.seed == seed + 1
    app.replicate_btn.click()
    assert "90% of seasons between" in app.intervals.value
    assert app.intervals.value.count("<tr>") == 7
    # people and days in whole numbers, hours to one decimal (a cold trial read "387.4 children")
    import re

    from mixedflows.reception.outputs import MEASURES

    rows = re.findall(r"<tr>(.*?)</tr>", app.intervals.value, re.S)[1:]
    for row in rows:
        label, *cells = [
            re.sub(r"<[^>]+>", "", c).strip()
            for c in re.findall(r"<t[dh][^>]*>(.*?)</t[dh]>", row, re.S)
        ]
        figures = re.findall(r"[\d,]+(?:\.\d+)?", " ".join(cells))
        hours = label in {MEASURES["child_max_wait"], MEASURES["mean_interview_wait"]}
        assert figures and all(("." in f) == hours for f in figures), (label, cells)


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


def test_the_page_draws_golden_specs_that_altair_builds(result):
    """The page fills golden files instead of building charts with altair: they are what altair
    builds now, and their Vega goldens what Vega-Lite compiles them to (refresh both: python -m
    mixedflows.charts.reception --update-goldens); filled, they give altair's specs compiled,
    exactly (the page's front end then has nothing to compile)."""
    import vl_convert

    from mixedflows.charts import reception as altair_charts
    from mixedflows.charts import reception_data as chart_data
    from mixedflows.charts import specs

    for name, spec in altair_charts.templates().items():
        assert specs.template(name) == spec, name
        assert specs.compiled(name) == vl_convert.vegalite_to_vega(spec), name
    assert set(chart_data.GOLDENS) == set(altair_charts.templates())
    daily, waits = result.daily(), result.waits_by_group()
    assert chart_data.occupancy_spec(
        chart_data.occupancy_data(daily)
    ) == vl_convert.vegalite_to_vega(occupancy_spec(daily))
    assert chart_data.waits_spec(
        chart_data.waits_data(waits, 24, 72)
    ) == vl_convert.vegalite_to_vega(waits_spec(waits, 24, 72))
    with pytest.raises(KeyError, match="needs datasets"):
        chart_data.occupancy_spec({"reception_days": []})
    with pytest.raises(KeyError, match="no dataset 'nope'"):
        chart_data.waits_spec({"reception_waits": [], "reception_limits": [], "nope": []})


@pytest.fixture
def cache(tmp_path, monkeypatch):
    """An empty cache folder (the chart bundle copied in, as ./mfl leaves it)."""
    from mixedflows.charts.offline import cache_dir, warm_cache

    warm_cache()
    bundles = list(cache_dir().glob("jupyterchart-offline-*.js"))
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path))
    cache_dir().mkdir(parents=True)
    for b in bundles:
        (cache_dir() / b.name).write_bytes(b.read_bytes())
    return cache_dir()


def _fresh_app(tmp_path, name="a"):
    from mixedflows.widgets.common import Recorder
    from mixedflows.widgets.reception import ReceptionApp

    store = Store(tmp_path / f"{name}.sqlite")
    return ReceptionApp(recorder=Recorder(store=store, learner=name, session=""))


def test_the_first_view_is_a_memo_of_the_simulation(cache, tmp_path, monkeypatch):
    """The page's first season is computed by the simulation once (by ./mfl, or by the first
    page), kept, and shown from the memo after: the same charts and summary; a memo of other
    code or data, or a damaged one, is not used."""
    import json

    import mixedflows.widgets.reception as mod

    first = _fresh_app(tmp_path, "a")
    assert first.runs == 1  # no memo yet: simulated, then kept
    memos = list(cache.glob("reception-view-*.json"))
    assert [m.name for m in memos] == [f"reception-view-{first._first_key}.json"]
    assert mod.warm_first_view() == memos[0]  # ./mfl's warm-up keys the page's first view

    second = _fresh_app(tmp_path, "b")
    assert second.runs == 0  # shown from the memo
    assert {k: v for k, v in second.view.items() if k not in ("key", "svg")} == first.view
    assert second.occupancy.spec == first.occupancy.spec
    assert second.waits.spec == first.waits.spec
    assert second.summary.value == first.summary.value
    assert second.caveats.value == first.caveats.value
    second.sliders["beds"].value += 10  # a move runs the simulation
    assert second.runs == 1

    # Changed code or data: another key, the simulation runs again.
    monkeypatch.setattr(mod, "_fingerprint", lambda: "other files")
    assert _fresh_app(tmp_path, "c").runs == 1
    monkeypatch.undo()
    monkeypatch.setenv("XDG_CACHE_HOME", str(cache.parent))
    # A damaged memo, or one for another key: ignored, never shown.
    for bad in ("{not json", json.dumps({"key": "another", "metrics": {}})):
        for m in cache.glob("reception-view-*.json"):
            m.write_text(bad)
        assert _fresh_app(tmp_path, "d").runs == 1


def test_the_season_picker_is_a_memo_of_the_seasons_offered(cache, tmp_path, monkeypatch):
    """The picker's choices are the seasons offered (each scenario file read and validated)
    the first time, kept, and read from the memo after (issue 13 start-up); changed code or
    data, or a damaged memo, and they are read from the files again."""
    import mixedflows.widgets.reception as mod
    from mixedflows import memo
    from mixedflows.reception.inputs import season_choices

    offered = season_choices()
    first = _fresh_app(tmp_path, "s1")
    assert list(first.season.options) == offered and len(offered) > 3
    (kept,) = cache.glob(f"{mod.SEASONS_MEMO}-*.json")

    def read_again():
        raise AssertionError("the scenario files were read again")

    monkeypatch.setattr(mod, "season_choices", read_again)
    assert list(_fresh_app(tmp_path, "s2").season.options) == offered  # from the memo
    monkeypatch.setattr(memo, "fingerprint", lambda: "other files")  # changed code or data
    with pytest.raises(AssertionError, match="read again"):
        mod.seasons_offered()
    monkeypatch.undo()
    monkeypatch.setenv("XDG_CACHE_HOME", str(cache.parent))
    for bad in ("{not json", '{"key": "another", "value": []}'):
        kept.write_text(bad)
        assert mod.seasons_offered() == offered  # read from the files, and kept again
    assert kept.read_text() != bad


def test_another_season_is_kept_in_the_draft(cache, tmp_path):
    """A second cold trial: after "Another season" a reload showed run 1 again (the draft kept
    the plan, not the run). The run is kept and restored; a hostile or damaged one is not."""
    app = _fresh_app(tmp_path, "another")
    app.another.click()
    app.another.click()
    assert app.seed == 3
    again = _fresh_app(tmp_path, "another")
    assert again.seed == 3 and again.view["metrics"] == app.view["metrics"]
    assert f"{3}" in again.summary.value
    for bad in (True, -1, 0, 10**9, "3", 2.5):
        fresh = _fresh_app(tmp_path, f"bad-{bad}")
        fresh.restore({**fresh.draft(), "seed": bad})
        assert fresh.seed == 1, bad


def test_a_restored_draft_is_simulated_and_not_kept_as_the_memo(cache, tmp_path):
    app = _fresh_app(tmp_path, "e")
    key = app._first_key
    app.sliders["beds"].value += 50  # a draft is kept
    again = _fresh_app(tmp_path, "e")  # the same learner comes back: their plan, simulated
    assert again.runs == 1 and again.sliders["beds"].value == app.sliders["beds"].value
    assert [m.name for m in cache.glob("reception-view-*.json")] == [f"reception-view-{key}.json"]


def test_old_memos_are_dropped(cache, tmp_path):
    import os

    from mixedflows.widgets import reception as mod

    for i in range(10):
        old = cache / f"reception-view-old{i}.json"
        old.write_text("{}")
        os.utime(old, (1000 + i, 1000 + i))
    path = mod.warm_first_view()
    left = sorted(p.name for p in cache.glob("reception-view-*.json"))
    assert len(left) == mod.MEMOS_KEPT and path.name in left and "reception-view-old9.json" in left


def test_the_page_starts_without_numba_pandas_or_altair(cache):
    """numba (its compiled kernel too), pandas and altair take seconds to load on a busy machine
    and numba about 160 MB of the kernel: with the memo kept, the page loads none of them, nor
    numpy (issue 13 start-up: the first view shows the memo and the plan's controls only)."""
    import subprocess
    import sys

    from mixedflows.widgets.reception import warm_first_view

    warm_first_view()
    code = (
        "import sys\n"
        "from mixedflows.widgets.reception import reception_app\n"
        "reception_app()\n"
        "print([m for m in ('numba', 'pandas', 'altair', 'vl_convert', 'numpy') "
        "if m in sys.modules])"
    )
    out = subprocess.run(
        [sys.executable, "-c", code],
        capture_output=True,
        text=True,
        check=True,
        env={**__import__("os").environ, "MIXEDFLOWS_STORE": str(cache / "s.sqlite")},
    )
    assert out.stdout.strip().splitlines()[-1] == "[]", out.stderr[-2000:]


FREED_HEAP = """
import ctypes, json, sys
import psutil
from mixedflows.widgets import reception as mod

proc = psutil.Process()
trim = ctypes.CDLL(None).malloc_trim


def would_free():
    # What a malloc_trim now would hand back: freed heap the app left in the process (MB).
    before = proc.memory_full_info().uss
    trim(0)
    return (before - proc.memory_full_info().uss) / 2**20


app = mod.ReceptionApp()
out = {}
app.sliders["beds"].value += 10
out["a move"] = would_free()
app._on_another(None)
out["another season"] = would_free()
app._on_replicate(None)
out["10 seasons"] = would_free()
app.submit_answer()
out["check"] = would_free()
app.season.value = "gulf_of_aden_yemen_2012"
out["the largest season"] = would_free()
print(json.dumps(out))
"""


@pytest.mark.skipif(
    not __import__("sys").platform.startswith("linux")
    or __import__("platform").libc_ver()[0] != "glibc",
    reason="malloc_trim is glibc's",
)
def test_the_apps_kernel_hands_a_seasons_memory_back(cache, tmp_path):
    """Issue 16: after every action that simulates (a move, another season, 10 seasons, Check,
    the largest season), the app's process keeps no freed heap the system could take back.
    Before mixedflows.memory.release was called, glibc kept 4.4 to 6.9 MB of freed pages after
    each (the season's lists and arrays): a malloc_trim here handed them back."""
    import json
    import os
    import subprocess
    import sys

    from mixedflows import memory

    assert memory.release() is True  # glibc: the C library can be asked
    done = subprocess.run(
        [sys.executable, "-c", FREED_HEAP],
        capture_output=True,
        text=True,
        env={**os.environ, "MIXEDFLOWS_STORE": str(tmp_path / "s.sqlite")},
    )
    assert done.returncode == 0, done.stderr[-3000:]
    freed = json.loads(done.stdout.strip().splitlines()[-1])
    assert set(freed) == {"a move", "another season", "10 seasons", "check", "the largest season"}
    assert max(freed.values()) < 1.0, freed


def test_another_season_says_the_instructions_describe_the_exercises_own(tmp_path):
    """The instructions describe the exercise's season; a cold trial picked another and read
    them as describing it. The page says which season Check grades, from the picker's titles,
    and says nothing on the exercise's own season."""
    import re

    app = _fresh_app(tmp_path, "note")
    titles = {sid: title for title, sid in app.season.options}
    assert app.season_note.value == ""
    other = next(sid for sid in titles if sid != app.params.season)
    app.season.value = other
    note = re.sub(r"<[^>]+>", "", app.season_note.value)
    assert f"describe {titles[app.params.season]}." in note
    assert f"planning for {titles[other]}:" in note
    assert f"as practice: only {titles[app.params.season]} counts for your grade" in note
    assert app.graded_exercise().params.season == other  # what the note says Check grades
    app.season.value = app.params.season
    assert app.season_note.value == ""


def test_the_first_view_keeps_its_charts_drawn_from_the_specs_the_page_fills(
    cache, tmp_path, monkeypatch
):
    """Issue 13 start-up: the warm-up keeps the first season's two charts drawn by Vega (vl-convert)
    from the very specs the page fills from the memo; the page hands them to its charts with
    those specs, and a moved control clears them (drawn live). A memo the page kept itself
    gets its drawings at the next warm-up; without vl-convert the memo is kept undrawn."""
    import json

    import vl_convert

    import mixedflows.widgets.reception as mod
    from mixedflows.charts import reception_data as chart_data

    def no_drawing(spec):
        raise RuntimeError("no vl-convert here")

    monkeypatch.setattr(vl_convert, "vega_to_svg", no_drawing)
    path = mod.warm_first_view()
    assert "svg" not in json.loads(path.read_text("utf-8"))  # kept undrawn, page draws live
    monkeypatch.undo()
    monkeypatch.setenv("XDG_CACHE_HOME", str(cache.parent))
    assert mod.warm_first_view() == path  # the same memo, now with its drawings
    view = json.loads(path.read_text("utf-8"))
    drawings = mod.drawn_charts(view)
    specs = {
        "occupancy": chart_data.occupancy_spec(view["occupancy"]),
        "waits": chart_data.waits_spec(view["waits"]),
    }
    for name, spec in specs.items():
        # Vega's drawing of the very spec the page fills: its marks, ARIA labels and text (the
        # font it is measured with aside), drawn in the browser's sans-serif as the live chart
        plain = vl_convert.vega_to_svg(spec)
        assert _marks(drawings[name]) == _marks(plain) and _marks(plain)[0]
        assert "font-family" in drawings[name] and "DejaVu" not in drawings[name]
        fonts = set(re.findall(r'font-family="([^"]*)"', drawings[name]))
        assert fonts == {"sans-serif"}, fonts
    app = _fresh_app(tmp_path, "drawn")
    assert app.runs == 0  # the first view from the memo
    assert app.occupancy.svg == drawings["occupancy"] and app.waits.svg == drawings["waits"]
    assert app.occupancy.spec == chart_data.occupancy_spec(view["occupancy"])
    app.sliders["beds"].value += 10
    assert app.runs == 1 and app.occupancy.svg == "" and app.waits.svg == ""
    assert app.occupancy.spec != chart_data.occupancy_spec(view["occupancy"])
    # damaged drawings are never shown: the charts are drawn live
    for bad in ({"occupancy": "<script>"}, {"occupancy": "<svg/>", "waits": 3}, "x"):
        assert mod.drawn_charts({**view, "svg": bad}) == {}


def _marks(svg: str) -> tuple[list[str], list[str]]:
    """A drawing's ARIA labels and texts, in order (what it says, wherever it is placed)."""
    return re.findall(r'aria-label="([^"]*)"', svg), re.findall(r"<text[^>]*>([^<]*)<", svg)
