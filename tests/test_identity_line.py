"""An app opened from a session's link says under which pseudonym and session it records
answers (a cold trial: the join page kept a name otherwise than typed, and no page showed it),
once per page, under its first title, escaped; a page whose link names no one says nothing."""

from __future__ import annotations

import pytest

from mixedflows.server import session as sess
from mixedflows.store import Store
from mixedflows.widgets import ui
from mixedflows.widgets.common import Recorder


@pytest.fixture
def page_of(monkeypatch):
    """A page of its own (a kernel of its own), opened from the link ``query``."""

    def opened(query: str | None) -> None:
        monkeypatch.setattr(ui, "_identity_shown", False)
        for name in ("MIXEDFLOWS_LEARNER", "JUPYTERHUB_USER", "MIXEDFLOWS_SESSION"):
            monkeypatch.delenv(name, raising=False)
        if query is None:
            monkeypatch.delenv("QUERY_STRING", raising=False)
        else:
            monkeypatch.setenv("QUERY_STRING", query)
        sess.learner_id.cache_clear()
        sess.session_code.cache_clear()

    yield opened
    sess.learner_id.cache_clear()
    sess.session_code.cache_clear()


def _boat(tmp_path):
    from mixedflows.widgets.boat import BoatApp

    store = Store(tmp_path / "a.sqlite")
    return BoatApp(recorder=Recorder(store=store))


def test_a_page_from_a_join_link_says_the_name_recorded(tmp_path, page_of):
    page_of("session=s1&learner=Ana.Bo")
    app = _boat(tmp_path)
    assert "recorded as <b>Ana.Bo</b> in session <b>s1</b>" in app.header.value
    assert app.recorder.learner == "Ana.Bo" and app.recorder.session == "s1"  # what it says
    second = _boat(tmp_path)  # a second app on the same page: said once
    assert "mf-identity" not in second.header.value


def test_a_page_of_steps_says_it_under_the_page_title(tmp_path, page_of):
    from mixedflows.widgets.policy_lab import PolicyLabApp

    page_of("session=s2&learner=Officer+K")
    page = PolicyLabApp()
    title = page.widget.children[1].value  # the page's title, above its steps
    assert "recorded as <b>Officer K</b> in session <b>s2</b>" in title


def test_a_page_whose_link_names_no_one_says_nothing(tmp_path, page_of):
    page_of(None)
    app = _boat(tmp_path)
    assert "mf-identity" not in app.header.value


def test_the_line_is_escaped(page_of):
    page_of(None)
    line = ui.identity("<img src=x onerror=alert(1)>", "{{7*7}}")
    assert "<img" not in line and "&lt;img" in line and "{{7*7}}" in line
