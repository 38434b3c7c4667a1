"""Issue 16: on the hub's dashboard service each facilitator sees only the sessions they opened.

Without a browser: the store records each session's owner (the hub username of the facilitator
who opened it); the dashboard, given an owner, lists, shows and exports that owner's sessions
only (never "all sessions", never one asked for by code that is someone else's); the Voila
prelaunch hook tells the page's kernel who opened it, and refuses a request without a hub user.
tests/test_hub.py runs it all on a real hub with two facilitators and a learner.
"""

from __future__ import annotations

import base64
import os
import re
import types

import pytest

from mixedflows.server import hub
from mixedflows.store import Store, StoreError


@pytest.fixture
def store(tmp_path):
    s = Store(tmp_path / "s.sqlite")
    yield s
    s.close()


def record(s: Store, who: str, session: str, score: float = 1.0) -> None:
    s.record(learner=who, exercise_id="quiz", answer="a", score=score, feedback={}, session=session)


def test_a_session_belongs_to_the_facilitator_who_opened_it(store):
    a1 = store.create_session("fac-a")
    b1 = store.create_session("fac-b")
    a2 = store.create_session("fac-a", code="a-second")
    assert re.fullmatch(r"mf-[0-9a-f]{8}", a1) and a1 != b1
    assert store.session_owner(a1) == "fac-a" and store.session_owner(b1) == "fac-b"
    record(store, "amina", a1)
    assert store.owned_sessions("fac-a") == [(a2, 0), (a1, 1)]
    assert store.owned_sessions("fac-b") == [(b1, 0)]
    assert store.owned_sessions("nobody") == []
    # A session is never taken over: not one already owned, not one that holds attempts.
    with pytest.raises(StoreError, match="already in use"):
        store.create_session("fac-b", code=a2)
    record(store, "bruno", "from-mfl-facilitate")
    with pytest.raises(StoreError, match="already in use"):
        store.create_session("fac-b", code="from-mfl-facilitate")
    assert store.session_owner("from-mfl-facilitate") is None
    assert store.create_session("fac-a", code=a2) == a2  # asking again for one's own: kept


@pytest.fixture
def two_facilitators(store):
    a1 = store.create_session("fac-a")
    b1 = store.create_session("fac-b")
    record(store, "amina", a1, 1.0)
    record(store, "bruno", b1, 0.0)
    record(store, "chen", "unowned", 0.5)  # a ./mfl facilitate session: no hub owner
    return store, a1, b1


def test_the_dashboard_shows_and_exports_its_owners_sessions_only(two_facilitators):
    from mixedflows.widgets.dashboard import Dashboard

    store, a1, b1 = two_facilitators
    d = Dashboard(store, owner="fac-a")
    assert [v for _l, v in d.selector.options] == [a1]  # no other session, no "all sessions"
    assert d.refresh(force=True)
    assert "amina" in d.progress.value and "bruno" not in d.progress.value
    assert "chen" not in d.progress.value
    assert a1 in d.join.value and "hub/user-redirect/voila/render/widgets/" in d.join.value
    assert "fac-a" in d.hub_box.children[0].value
    d.export()
    csv = base64.b64decode(re.findall(r"base64,([^\"]+)", d.downloads.value)[0]).decode()
    assert "amina" in csv and "bruno" not in csv and "chen" not in csv

    # Asking for another facilitator's session by its code shows nothing of it.
    d = Dashboard(store, session=b1, owner="fac-a")
    assert d.refused == b1 and d.session == a1
    assert "not one you opened" in d.hub_box.children[0].value
    d.refresh(force=True)
    assert "bruno" not in d.progress.value
    d._setting = True  # even a selector forced to it (no redraw on the change)
    d.selector.options = [("forced", b1)]
    assert d.session == b1
    assert d._compute(True).report.attempts == 0
    d.export()
    assert "0 attempt(s)" in d.downloads.value
    d._setting = False
    d.refresh(force=True)  # and the next look at the store offers the owner's only
    assert d.session == a1 and "bruno" not in d.progress.value


def test_a_facilitator_with_no_session_sees_none_and_opens_one(two_facilitators):
    from mixedflows.widgets.dashboard import Dashboard

    store, _a1, _b1 = two_facilitators
    d = Dashboard(store, owner="fac-c")
    assert d.selector.options == () and d.session is None
    d.refresh(force=True)
    assert d.report.attempts == 0  # None is not "every session" here
    assert "No session yet" in d.join.value
    code = d.new_session()
    assert store.session_owner(code) == "fac-c"
    assert [v for _l, v in d.selector.options] == [code] and d.session == code
    assert code in d.join.value


def test_without_a_hub_the_dashboard_is_as_before(two_facilitators, monkeypatch):
    """./mfl facilitate and a lab on one's own computer: no owner, every session."""
    from mixedflows.widgets.dashboard import Dashboard

    monkeypatch.delenv("MIXEDFLOWS_SESSION", raising=False)
    store, a1, b1 = two_facilitators
    d = Dashboard(store)
    assert {v for _l, v in d.selector.options} == {a1, b1, "unowned", None}
    assert d.hub_box.layout.display == "none"
    with pytest.raises(PermissionError):
        d.new_session()


def test_the_kernel_learns_who_opened_the_page(monkeypatch):
    import nbformat
    from tornado.web import HTTPError

    name = "fac-a'\"\n); import os; os.system('x')  # "
    handler = types.SimpleNamespace(
        current_user=types.SimpleNamespace(username=name, hub_user={"name": name})
    )
    nb = nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell("x = 1")])
    out = hub.prelaunch_hook(handler, nb, ".")
    assert [c.source for c in out.cells][1:] == ["x = 1"]
    monkeypatch.delenv(hub.VIEWER_ENV, raising=False)
    exec(out.cells[0].source, {})  # a string literal: the hostile name is data, not code
    assert os.environ[hub.VIEWER_ENV] == name

    for user in (None, types.SimpleNamespace(username="anonymous-x")):
        with pytest.raises(HTTPError) as e:
            hub.prelaunch_hook(types.SimpleNamespace(current_user=user), nb, ".")
        assert e.value.status_code == 403


def test_facilitator_is_known_only_in_a_hub_service(monkeypatch):
    monkeypatch.delenv("JUPYTERHUB_SERVICE_NAME", raising=False)
    monkeypatch.setenv(hub.VIEWER_ENV, "fac-a")
    assert hub.facilitator() is None  # ./mfl facilitate, a lab: the facilitator key decides
    monkeypatch.setenv("JUPYTERHUB_SERVICE_NAME", "facilitator-dashboard")
    assert hub.facilitator() == "fac-a"
    monkeypatch.delenv(hub.VIEWER_ENV)
    with pytest.raises(hub.UnknownFacilitatorError):
        hub.facilitator()


def test_a_service_that_cannot_tell_who_opened_it_shows_nothing(two_facilitators, monkeypatch):
    from mixedflows.widgets.dashboard import dashboard_app

    store, _a1, _b1 = two_facilitators
    monkeypatch.setenv("JUPYTERHUB_SERVICE_NAME", "facilitator-dashboard")
    monkeypatch.delenv(hub.VIEWER_ENV, raising=False)
    widget = dashboard_app(store)
    assert "Nothing is shown" in widget.value and "amina" not in widget.value


def test_the_multi_role_panel_on_the_hub_is_for_the_owners_session(two_facilitators, monkeypatch):
    from mixedflows.widgets.cooperation import room_panel

    store, a1, b1 = two_facilitators
    monkeypatch.setenv("JUPYTERHUB_SERVICE_NAME", "facilitator-dashboard")
    monkeypatch.setenv(hub.VIEWER_ENV, "fac-a")
    refused = room_panel(store, b1)
    assert "a session you opened" in refused.value
    assert not isinstance(room_panel(store, a1), type(refused))
