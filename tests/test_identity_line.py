"""An app opened from a session's link says under which pseudonym and session it records
answers (a cold trial: the join page kept a name otherwise than typed, and no page showed it),
once per page, escaped; a page whose link names no one says nothing."""

from __future__ import annotations

import pytest

from mixedflows.store import Store
from mixedflows.widgets import ui
from mixedflows.widgets.common import Recorder


@pytest.fixture
def fresh_page(monkeypatch):
    monkeypatch.setattr(ui, "_identity_shown", False)  # a page of its own (a kernel of its own)


def _boat(tmp_path, learner: str, session: str):
    from mixedflows.widgets.boat import BoatApp

    store = Store(tmp_path / "a.sqlite")
    return BoatApp(recorder=Recorder(store=store, learner=learner, session=session))


def test_a_page_from_a_join_link_says_the_name_recorded(tmp_path, monkeypatch, fresh_page):
    monkeypatch.setenv("QUERY_STRING", "session=s1&learner=Ana+%3Cb%3E")
    app = _boat(tmp_path, "Ana <b>", "s1")
    header = app.header.value
    assert "recorded as <b>Ana &lt;b&gt;</b> in session <b>s1</b>" in header
    second = _boat(tmp_path, "Ana <b>", "s1")  # a second app on the same page: said once
    assert "mf-identity" not in second.header.value


def test_a_page_whose_link_names_no_one_says_nothing(tmp_path, monkeypatch, fresh_page):
    monkeypatch.delenv("QUERY_STRING", raising=False)
    app = _boat(tmp_path, "learner-1", "")
    assert "mf-identity" not in app.header.value
