"""A preheated kernel builds its app before a page claims it, when its participant is not known
(issue 15 leftover: a reload of module 10 showed the role picker to a participant who held a
role). What an app reads for its participant waits for the claim
(``mixedflows.server.session.when_claimed``): the role held, the attempts made. Without a
browser: the claim's link is set as ``claim`` sets it. (In Chromium, on a real pool:
tests/test_cooperation_preheat_browser.py.)"""

from __future__ import annotations

import pytest

from mixedflows.server import session as sess
from mixedflows.store import Store
from mixedflows.widgets.common import Recorder


@pytest.fixture
def preheated(monkeypatch):
    """A kernel Voila preheats: no page yet, then one that claims it."""
    monkeypatch.setenv("VOILA_PREHEAT", "True")
    monkeypatch.delenv("QUERY_STRING", raising=False)
    monkeypatch.delenv("MIXEDFLOWS_LEARNER", raising=False)
    monkeypatch.delenv("MIXEDFLOWS_SESSION", raising=False)
    monkeypatch.setattr(sess, "_ON_CLAIM", [])
    sess.learner_id.cache_clear()
    sess.session_code.cache_clear()

    def claimed(query: str) -> None:
        monkeypatch.setenv("QUERY_STRING", query)
        sess.learner_id.cache_clear()
        sess.session_code.cache_clear()
        sess._run_claimed()

    yield claimed
    sess.learner_id.cache_clear()
    sess.session_code.cache_clear()


def test_the_role_held_is_shown_once_the_page_claims_the_kernel(preheated, isolated_store):
    store_path = isolated_store
    from mixedflows.widgets.cooperation import RoomApp

    store = Store(store_path)
    held = store.claim_role(
        session="ws", exercise_id="m10_landing_roles", learner="Eva", roles=("unhcr",)
    )
    assert held is not None
    app = RoomApp(recorder=Recorder(store=store), poll=0)
    assert app.role is None  # no participant yet: nothing looked up for anyone
    preheated("learner=Eva&session=ws")
    assert app.role == "unhcr" and app.table == held[0]
    assert "kept from before" in app.status.value
    assert app.decider.widget in app.body.children


def test_the_attempts_made_are_counted_once_the_page_claims_the_kernel(preheated, isolated_store):
    store_path = isolated_store
    from mixedflows.exercises import load_exercise
    from mixedflows.grading import grade
    from mixedflows.widgets.returns import ReturnDeskApp

    store = Store(store_path)
    ex = load_exercise("m9_return_decisions")
    answer = {"amadou": {"decision": "no_return", "measures": []}}
    rec = Recorder(store, learner="Eva", session="ws")
    for _ in range(ex.max_attempts):
        rec.record(ex.id, answer, grade(ex, answer))
    app = ReturnDeskApp(recorder=Recorder(store))
    assert app.attempts == 0 and not app.submit.disabled
    preheated("learner=Eva&session=ws")
    assert app.attempts == ex.max_attempts and app.submit.disabled
    assert "used the 3 attempts" in app.status.value


def test_outside_a_preheated_kernel_it_runs_at_once(monkeypatch):
    monkeypatch.delenv("VOILA_PREHEAT", raising=False)
    ran = []
    assert sess.when_claimed(lambda: ran.append(1)) is True
    assert ran == [1]


def test_the_draft_is_restored_once_the_page_claims_the_kernel(preheated, isolated_store):
    """Issue 13 point 4: a reload served by a preheated kernel brought no draft back."""
    from mixedflows.widgets.rescue import HoldingApp

    store = Store(isolated_store)
    probe = HoldingApp(recorder=Recorder(store, learner="probe", session="ws"))
    draft = probe.draft()
    key = next(iter(probe.standards))
    draft["failed_standards"] = [key]
    store.save_draft(learner="Eva", exercise_id=probe.exercise.id, draft=draft)
    app = HoldingApp(recorder=Recorder(store))
    assert app.standards[key].value is False  # no participant yet: no one's draft shown
    preheated("learner=Eva&session=ws")
    assert app.standards[key].value is True
    assert "from last time are back" in app.status.value


def test_the_reception_plan_is_redrawn_when_its_draft_comes_back_late(preheated, isolated_store):
    from mixedflows.widgets.reception import ReceptionApp

    store = Store(isolated_store)
    app = ReceptionApp(recorder=Recorder(store))
    key, slider = next(iter(app.sliders.items()))
    drawn, runs = app.summary.value, app.runs
    value = slider.max if slider.value != slider.max else slider.min
    store.save_draft(
        learner="Eva", exercise_id=app.exercise.id, draft={**app.draft(), "controls": {key: value}}
    )
    preheated("learner=Eva&session=ws")
    assert slider.value == value
    assert app.runs == runs + 1 and app.summary.value != drawn  # the charts show the learner's plan


def test_the_course_check_phase_is_read_once_the_page_claims_the_kernel(preheated, isolated_store):
    from mixedflows import knowledge
    from mixedflows.widgets.course_check import CourseCheck

    store = Store(isolated_store)
    Recorder(store, learner="Eva", session="ws").record(knowledge.START, {"phase": "start"}, None)
    app = CourseCheck(recorder=Recorder(store))
    assert app.phase_note.value == ""  # nobody's phase before the claim
    preheated("learner=Eva&session=ws")
    assert "end" in app.submit.description
    assert "You took the check at the start" in app.phase_note.value
