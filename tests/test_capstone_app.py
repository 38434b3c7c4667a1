"""The capstone app, driven without a browser: each Continue plays the stages so far and opens
the next with the situation they leave; an earlier change closes the later stages; the season
is recorded (for a team: under the team's name in the session); the debrief downloads with
the learner's choices, escaped."""

from __future__ import annotations

import base64
import re

import pytest

from mixedflows.capstone import season as cs
from mixedflows.store import Store
from mixedflows.widgets.common import Recorder
from mixedflows.widgets.season import SeasonApp, season_app, team_learner

PLAN = dict(
    medical=5, screening=16, child_protection=5, mediation=18, beds=1500, transfers_per_day=300
)


@pytest.fixture
def recorder(store_path):
    return Recorder(Store(store_path), learner="season-test", session="room7")


def _to_reception(app: SeasonApp, port: str) -> None:
    app.port.value = port
    app.stages["rescue"].cont.click()


def _through(app: SeasonApp) -> None:
    for k, v in PLAN.items():
        app.plan[k].value = v
    for key in ("reception", "screening", "postarrival"):
        app.stages[key].cont.click()
        nxt = cs.STAGES[cs.STAGES.index(key) + 1]
        assert app.stages[nxt].open, app.status.value


def test_a_port_changes_the_next_stage_on_the_page(recorder):
    app = SeasonApp(recorder=recorder)
    assert [st.open for st in app.stages.values()] == [True, False, False, False, False]
    app.stages["rescue"].cont.click()
    assert "choose the port" in app.status.value
    _to_reception(app, "alba")
    alba = app.stages["reception"].situation.value
    assert "Port Alba" in app.stages["rescue"].follows.value
    # Changing stage 1 closes stage 2; continuing again shows another situation.
    app.port.value = "fiora"
    assert not app.stages["reception"].open and app.stages["rescue"].follows.value == ""
    app.stages["rescue"].cont.click()
    fiora = app.stages["reception"].situation.value
    assert app.stages["reception"].open and fiora != alba
    n_alba = int(re.search(r"About ([\d,]+) people", alba).group(1).replace(",", ""))
    n_fiora = int(re.search(r"About ([\d,]+) people", fiora).group(1).replace(",", ""))
    assert n_fiora < n_alba


def test_submit_only_after_the_fifth_stage_then_recorded(recorder, store_path):
    app = SeasonApp(recorder=recorder)
    app.submit.click()
    assert "Continue" in app.status.value and app.feedback.value == ""
    _to_reception(app, "alba")
    _through(app)
    app.submit.click()
    assert "Attempt 1:" in app.status.value
    for n in range(1, 6):
        assert f"{n}. " in app.feedback.value
    assert "MC/INF/294" in app.feedback.value
    rows = Store(store_path).attempts(learner="season-test", exercise_id="m11_season_on_the_route")
    assert len(rows) == 1 and rows[0].answer["rescue"]["port"] == "alba"
    assert rows[0].session == "room7"
    link = re.search(r'href="data:text/html;charset=utf-8;base64,([^"]+)"', app.download.value)
    page = base64.b64decode(link.group(1)).decode("utf-8")
    assert "Port: Port Alba" in page and "season-test" in page
    # A change after the grade withdraws the download with the later stages.
    app.plan["beds"].value = 200
    assert app.download.value == "" and not app.stages["screening"].open


def test_a_team_is_the_session_and_a_team_name(recorder, store_path):
    app = SeasonApp(recorder=recorder)
    app.mode.value = "team"
    assert app.team.layout.display is None
    app.team.value = '<img src=x onerror="alert(1)">Harbour'
    _to_reception(app, "alba")
    _through(app)
    app.submit.click()
    who = team_learner(app.team.value)
    rows = Store(store_path).attempts(learner=who, exercise_id="m11_season_on_the_route")
    assert len(rows) == 1 and rows[0].session == "room7"
    assert rows[0].answer["team"] == app.team.value
    page = base64.b64decode(re.search(r"base64,([^\"]+)\"", app.download.value).group(1)).decode(
        "utf-8"
    )
    assert "<img" not in page and "&lt;img src=x onerror=&quot;alert(1)&quot;&gt;Harbour" in page
    assert not Store(store_path).attempts(learner="season-test")


def test_draft_brings_the_stages_back(recorder):
    app = SeasonApp(recorder=recorder)
    _to_reception(app, "dura")
    app.plan["screening"].value = 9
    again = SeasonApp(recorder=recorder)
    assert again.port.value == "dura" and again.stages["reception"].open
    assert again.plan["screening"].value == 9
    assert "back" in again.status.value


def test_entry_point_builds(recorder):
    box = season_app(recorder=recorder)
    assert "mf-season" in box._dom_classes
