"""Modules 2 and 3 apps without a browser: set a widget's value, click, read the page; the
attempt is in the store with its feedback, as for every other exercise."""

from __future__ import annotations

import pytest
from harness import no_store_no_home

from mixedflows.flows.explore import route_view
from mixedflows.screening import screen
from mixedflows.store import Store
from mixedflows.widgets.before_departure import CampaignApp, DevelopmentPredict
from mixedflows.widgets.common import Recorder
from mixedflows.widgets.flow_explorer import DataReadingApp, FlowExplorer
from mixedflows.widgets.journey import JourneyApp


@pytest.fixture
def recorder(isolated_store):
    return Recorder(Store(isolated_store), learner="apps-test", session="")


def test_explorer_follows_route_and_year():
    e = FlowExplorer("central_med")
    e.route.value = "atlantic"
    assert e.year.value == route_view("atlantic").year
    e.year.value = 2019
    assert "Atlantic" in e.facts.value and "2,687" in e.facts.value
    assert "Source:" in e.facts.value and "per 1,000 arrivals: 75.2" in e.facts.value
    assert "October" in e.months.value and "running totals" in e.months.value
    assert e.status.value == ""
    e.route.value = "western_med"
    assert "no series for this route alone" in e.facts.value
    assert "none is invented" in e.months.value
    # the chart carries the rows of the view on screen
    assert e.chart.spec["datasets"]["deaths"] == e.view.datasets["deaths"]


def test_data_reading_records_and_draws_new_sets(recorder):
    app = DataReadingApp(recorder=recorder)
    q = app.questions[0]
    app.boxes[q.id].value = q.reference if not q.numeric else str(q.reference)
    res = app.submit_answer()
    assert res is not None and res.score == pytest.approx(1 / len(app.questions), abs=1e-4)
    rows = recorder.store.attempts(learner="apps-test")
    assert rows[-1].exercise_id == "m2_reading_the_data"
    assert rows[-1].answer["seed"] == app.seed
    before = [x.id for x in app.questions]
    app.another.click()
    assert [x.id for x in app.questions] != before and app.feedback.value == ""


def test_journey_app_grades_every_stage(recorder):
    app = JourneyApp(recorder=recorder)
    assert app.submit_answer() is None and "Nothing to grade" in app.status.value
    for st, p in zip(app.journey.stages, app.journey.persons, strict=True):
        app.stage.value = st.id
        s = screen(p)
        for prof in s.profiles:
            app.profile_boxes[prof].value = True
        for n in s.needs:
            app.need_boxes[n].value = True
    res = app.submit_answer()
    assert res.score == 1.0
    assert "Stage 5" in app.feedback.value and "MC/INF/294" in app.feedback.value
    app.next.click()
    assert "Stage 1" in app.card.value and "Stage 1" in app.feedback.value
    assert recorder.store.attempts(learner="apps-test")[-1].score == 1.0


def test_campaign_app_names_weaknesses(recorder):
    app = CampaignApp(recorder=recorder)
    app.set_design(
        {
            "audience": "national_public",
            "messenger": "minister",
            "channels": ["tv_spots"],
            "content": ["hazards", "fear_images"],
            "evaluation": ["none"],
        }
    )
    res = app.submit_answer()
    assert res.score < 0.2
    assert "Deterrence-only messaging" in app.weak.value and "No evaluation plan" in app.weak.value
    assert "gmdac.iom.int" in app.feedback.value
    att = recorder.store.attempts(learner="apps-test")[-1]
    assert att.exercise_id == "m3_design_a_campaign" and att.answer["messenger"] == "minister"


def test_development_predict_records(recorder):
    app = DevelopmentPredict(recorder=recorder)
    assert app.submit_answer() is None
    app.choices["within_countries"].value = "disagree"
    res = app.submit_answer()
    assert res.score == 0.5
    assert "World Bank" in app.feedback.value
    assert recorder.store.attempts(learner="apps-test")[-1].answer == {
        "within_countries": "disagree"
    }


def test_explorer_charts_spec():
    from mixedflows.charts import flows as charts
    from mixedflows.charts import specs

    # The golden spec the app reads is what altair builds now (refresh: python -m
    # mixedflows.charts.flows --update-goldens).
    assert specs.template(charts.GOLDEN) == charts.template()
    view = route_view("central_med", 2023)
    spec = charts.explorer_chart(view.datasets).to_dict()
    fast = specs.filled(charts.GOLDEN, view.datasets)
    assert fast == spec
    bars = spec["vconcat"][0]["hconcat"][0]
    # 2023 has a whole-year and a part-year figure: they overlap, never add up.
    assert bars["encoding"]["y"]["stack"] is None
    years = [r["year"] for r in view.datasets["arrivals"]]
    assert years.count(2023) == 2
    with pytest.raises(KeyError, match="needs datasets"):
        specs.filled(charts.GOLDEN, {"arrivals": []})


def test_the_explorer_page_imports_neither_altair_nor_pandas():
    import subprocess
    import sys

    from mixedflows.charts.offline import warm_cache

    warm_cache()  # as ./mfl does before a class: the bundle is then read, not built

    code = (
        "import sys\n"
        "from mixedflows.widgets.flow_explorer import flow_explorer_app\n"
        "flow_explorer_app()\n"
        "print([m for m in ('altair', 'pandas') if m in sys.modules])"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    # Both take seconds to import on a busy machine, before the page can show anything.
    assert out.stdout.strip().splitlines()[-1] == "[]", out.stderr[-2000:]


def test_an_attempt_not_saved_is_said_plainly(tmp_path, monkeypatch):
    """No store and nowhere to keep the attempt: the app says NOT saved, never "kept"."""

    rec = Recorder(store=no_store_no_home(tmp_path, monkeypatch), learner="x")
    app = DevelopmentPredict(recorder=rec)
    app.choices["across_countries"].value = "rises"
    assert app.submit_answer().score == 0.5
    assert "NOT saved" in app.status.value and "mf-bad" in app.status.value
    assert "World Bank" in app.feedback.value  # the feedback is still shown


def test_attempts_reach_the_dashboard_and_exports(isolated_store):
    """Every module 2-3 exercise, answered through its app, shows in the facilitator's tables
    and in both exports, under its title, like the other exercises."""
    from mixedflows import facilitator

    store = Store(isolated_store)
    for learner in ("ana", "ben"):
        rec = Recorder(store, learner=learner, session="room")
        reading = DataReadingApp(recorder=rec)
        q = reading.questions[0]
        reading.boxes[q.id].value = str(q.reference) if q.numeric else q.reference
        reading.submit_answer()
        journey = JourneyApp(recorder=rec)
        journey.profile_boxes[next(iter(journey.profile_boxes))].value = True
        journey.submit_answer()
        campaign = CampaignApp(recorder=rec)
        campaign.set_design({"audience": "national_public", "content": ["hazards"]})
        campaign.submit_answer()
        predict = DevelopmentPredict(recorder=rec)
        predict.choices["within_countries"].value = "rises"
        predict.submit_answer()
    attempts = store.attempts(session="room")
    ids = {
        "m2_reading_the_data",
        "m2_a_journey_that_changes",
        "m3_design_a_campaign",
        "m3_development_and_emigration",
    }
    overview = facilitator.exercise_overview(attempts)
    assert ids <= set(overview["exercise_id"])
    assert (overview.set_index("exercise_id").loc[sorted(ids), "participants"] == 2).all()
    wrong = facilitator.wrong_answers(attempts, top=None)
    assert ids <= set(wrong["exercise_id"])
    deter = wrong[
        (wrong.exercise_id == "m3_design_a_campaign") & (wrong.question == "Not deterrence only")
    ]
    assert deter["participants"].iloc[0] == 2
    export = facilitator.session_export(attempts, "room")
    for ex_id in ids:
        assert ex_id in export.grades
    for title in ("Reading the data", "A journey that changes", "Design an information campaign"):
        assert title in export.summary


def test_a_refused_number_is_neither_graded_nor_recorded(recorder):
    """Issue 14 review, major 5: 'nan' or an ambiguous '1,234' is refused with its reason;
    nothing is recorded; '18,2' style input is then graded right."""
    app = DataReadingApp(recorder=recorder)
    q = next((x for x in app.questions if x.numeric), None)
    while q is None:
        app.another.click()
        q = next((x for x in app.questions if x.numeric), None)
    n = app.questions.index(q) + 1
    for bad in ("nan", "1,234", "-5", "5.58%"):
        app.boxes[q.id].value = bad
        app.submit.click()
        assert "check your answer" in app.status.value
        # The question as the learner knows it (issue 14 cold trial), not its internal id.
        assert f"question {n}:" in app.status.value and q.id not in app.status.value
        assert recorder.store.attempts(learner="apps-test") == []
    app.boxes[q.id].value = f"{q.reference:.1f}".replace(".", ",")
    res = app.submit_answer()
    assert next(f for f in res.items if f.item == q.id).credit == 1.0
    assert len(recorder.store.attempts(learner="apps-test")) == 1


def test_no_evaluation_with_a_plan_is_refused_and_not_recorded(recorder):
    app = CampaignApp(recorder=recorder)
    app.set_design(
        {
            "audience": "district_youth",
            "messenger": "returnees",
            "channels": ["peer_events"],
            "content": ["legal_options"],
            "evaluation": ["none", "objective"],
        }
    )
    app.submit.click()
    assert "contradicts" in app.status.value
    assert recorder.store.attempts(learner="apps-test") == []
