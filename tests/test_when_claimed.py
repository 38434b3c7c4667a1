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
