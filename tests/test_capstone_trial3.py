"""Module 11 after a learner's cold trial (issue 15, trial 3), without a browser: Submit the
season is offered only once the five stages are open; a stage still open to change says so;
every Continue keeps the draft, so a reload brings the stages back; what the page shows names
the sources, never a file path (the path of the reception season's file was shown at stage 2).
The pooled-kernel run in Chromium is tests/test_capstone_preheat_browser.py."""

from __future__ import annotations

import html
import re

import ipywidgets as w
import pytest
from test_no_internal_notes import _refs

from mixedflows.capstone import season as cs
from mixedflows.store import Store
from mixedflows.widgets.common import Recorder
from mixedflows.widgets.season import SeasonApp


@pytest.fixture
def recorder(store_path):
    return Recorder(Store(store_path), learner="trial3", session="room3")


def _texts(widget: w.Widget) -> list[str]:
    out, todo = [], [widget]
    while todo:
        x = todo.pop()
        if isinstance(x, w.HTML):
            text = re.sub(r"<style>.*?</style>", " ", x.value, flags=re.S)
            out.append(html.unescape(re.sub(r"<[^>]+>", " ", text)))
        for attr in ("description", "tooltip"):
            if isinstance(getattr(x, attr, None), str):
                out.append(getattr(x, attr))
        todo.extend(getattr(x, "children", ()) or ())
    return out


def _all_stages(app: SeasonApp) -> None:
    app.port.value = "alba"
    for key in cs.STAGES[:-1]:
        app.stages[key].cont.click()
        assert app.stages[cs.STAGES[cs.STAGES.index(key) + 1]].open, app.status.value


def test_submit_is_offered_once_the_season_is_complete(recorder):
    app = SeasonApp(recorder=recorder)
    assert app.submit.disabled and "Continue" in app.submit.tooltip
    app.port.value = "alba"
    app.stages["rescue"].cont.click()
    assert app.stages["reception"].open and app.submit.disabled
    # Stage 1 is still open to change before stage 3, and says so.
    assert "You may still change this stage" in app.stages["rescue"].follows.value
    _all_stages(app)
    assert not app.submit.disabled
    # An earlier change closes the later stages: Submit is withdrawn with them.
    app.port.value = "fiora"
    assert not app.stages["policy"].open and app.submit.disabled


def test_every_continue_keeps_the_draft_and_a_new_page_brings_it_back(recorder):
    app = SeasonApp(recorder=recorder)
    app.port.value = "alba"
    app.on_board["care"].value = True
    app.informed["unhcr"].value = True
    app.stages["rescue"].cont.click()
    again = SeasonApp(recorder=recorder)
    assert again.stages["reception"].open
    assert again.port.value == "alba" and again.on_board["care"].value
    assert again.informed["unhcr"].value
    assert "from last time are back" in again.status.value


def test_what_the_page_shows_names_no_path(recorder):
    app = SeasonApp(recorder=recorder)
    _all_stages(app)
    app.submit.click()
    assert "Attempt 1" in app.status.value, app.status.value
    texts = _texts(app.widget)
    assert any("UNHCR and Caritas presentation" in t for t in texts)
    found = [r for t in texts for r in _refs(t)]
    assert not found, found
