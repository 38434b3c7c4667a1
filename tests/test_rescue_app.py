"""The module 4 rescue widgets, driven without a browser: set values, click, read what the page
would show; attempts land in the store; a wrong answer type gets a friendly message."""

from __future__ import annotations

import pytest
from harness import no_store_no_home

from mixedflows import rescue
from mixedflows.store import Store
from mixedflows.widgets.common import Recorder
from mixedflows.widgets.rescue import HoldingApp, RescueApp, rescue_app


@pytest.fixture
def recorder(store_path):
    return Recorder(Store(store_path), learner="rescue-test", session="")


def test_rescue_decision_recorded_with_feedback(recorder, store_path):
    app = RescueApp(recorder=recorder)
    app.submit.click()
    assert "choose a port" in app.status.value and app.feedback.value == ""
    ref = rescue.reference(app.case)
    app.port.value = ref["port"]
    for k in ref["on_board"]:
        app.on_board[k].value = True
    for k in ref["informed"]:
        app.informed[k].value = True
    app.submit.click()
    assert "Score 100%" in app.status.value
    assert "SOLAS" in app.feedback.value and "MC/INF/294" in app.feedback.value
    app.informed["origin_authorities"].value = True
    app.submit.click()
    assert "Never" in app.feedback.value
    assert "Score 50%" in app.status.value
    # The rule for "never" options is in the instructions the learner reads first.
    from mixedflows.rescue.grader import never_rule

    assert "never right" in app.intro_box.value and "pass mark" in app.intro_box.value
    assert never_rule().split(":")[0] in app.intro_box.value
    rows = Store(store_path).attempts(learner="rescue-test", exercise_id="m4_rescue_decision")
    assert [r.score for r in rows] == [1.0, rows[1].score] and rows[1].score < 1
    assert rows[1].answer["port"] == ref["port"]


def test_holding_placements_and_standards(recorder, store_path):
    app = HoldingApp(recorder=recorder)
    assert "512" in app.intro_box.value  # the facility, with its figures
    from mixedflows.results import TICK_RULE

    assert TICK_RULE.split(":")[0] in app.intro_box.value  # how the standards are scored
    app.submit.click()
    assert "at least one person" in app.status.value
    for rp, pl in zip(app.case.spec.persons, rescue.placements(app.case), strict=True):
        app.placements[rp.id].value = pl.allowed[0]
    for k in rescue.failed_standards(app.case.spec.facility):
        app.standards[k].value = True
    app.submit.click()
    assert "Score 100%" in app.status.value
    app.placements["issa"].value = "detention"
    app.submit.click()
    assert "guardian" in app.feedback.value
    rows = Store(store_path).attempts(learner="rescue-test", exercise_id="m4_holding_standards")
    assert len(rows) == 2 and rows[0].score == 1.0 and rows[1].score < 1


def test_the_app_links_the_reception_app_only_where_it_exists(recorder):
    box = rescue_app(recorder=recorder)
    steps = next(c for c in box.children if "mf-steps" in c._dom_classes)
    steps.value = "holding"  # the second step, opened as a learner's click does
    holding = next(c for c in box.children if "mf-step-body" in c._dom_classes).children[0]
    html = " ".join(getattr(c, "value", "") for c in holding.children)
    assert 'href="reception_centre.ipynb"' in html
    alone = HoldingApp(recorder=recorder)
    assert "href=" not in alone.intro_box.value


def test_an_attempt_not_saved_is_said_plainly(tmp_path, monkeypatch):
    """No store and nowhere to keep the attempt: the app says NOT saved, never "kept"."""
    rec = Recorder(store=no_store_no_home(tmp_path, monkeypatch), learner="x")
    app = RescueApp(recorder=rec)
    app.port.value = "alba"
    app.submit.click()
    assert "NOT saved" in app.status.value and "mf-bad" in app.status.value
    assert "Port Alba" in app.feedback.value  # the feedback is still shown
