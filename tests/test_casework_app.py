"""The module 6 and 7 widgets, driven without a browser: a queue of case files, actions ticked,
feedback and a session score; a public statement composed and graded; attempts in the store."""

from __future__ import annotations

import pytest

from mixedflows import casework
from mixedflows.postarrival import best_message, load_message_brief
from mixedflows.store import Store
from mixedflows.widgets.casework import CaseworkApp, MessageApp, after_arrival_app, stranded_app
from mixedflows.widgets.common import Recorder


@pytest.fixture
def recorder(store_path):
    return Recorder(Store(store_path), learner="case-test", session="")


def test_stranded_queue_feedback_and_score(recorder, store_path):
    app = CaseworkApp("m6_stranded_casework", recorder=recorder)
    f = app.file
    assert f.person.name in app.card.value and "Synthetic" in app.card.value
    assert "worked case" not in app.card.value  # its name would give the answer away
    assert "wants to go home" in app.card.value or "does not want" in app.card.value
    app.submit.click()
    assert "tick at least one" in app.status.value
    for aid in casework.reference(f, app.params.actions):
        app.checks[aid].value = True
    app.submit.click()
    assert "100%" in app.status.value and "Score: 100%" in app.feedback.value
    assert "comes from the worked case &#39;" in app.feedback.value
    assert "1 of" in app.score.value and "score 100%" in app.score.value
    app.next.click()
    assert app.file.person.person_id != f.person.person_id and app.feedback.value == ""
    assert not any(cb.value for cb in app.checks.values())
    app.checks["push_back"].value = True
    app.submit.click()
    assert "Never here" in app.feedback.value and "score 100%" not in app.score.value
    app.picker.value = 0  # back to the first file: its ticks and feedback return
    assert "Score: 100%" in app.feedback.value
    rows = Store(store_path).attempts(learner="case-test", exercise_id="m6_stranded_casework")
    assert len(rows) == 2 and rows[0].answer["person_id"] == f.person.person_id


def test_message_app(recorder, store_path):
    app = MessageApp(recorder=recorder)
    app.submit.click()
    assert "choose" in app.status.value
    best = best_message(load_message_brief("port_alba_statement"))
    for fid, v in best.items():
        inp = app.parts[fid]
        if isinstance(inp, dict):
            for oid in v:
                inp[oid].value = True
        else:
            inp.value = v
    for inp in app.parts.values():  # fields no criterion reads still need a choice
        if not isinstance(inp, dict) and inp.value is None:
            inp.value = inp.options[0][1]
    app.submit.click()
    assert "Score 100%" in app.status.value and "contested" in app.feedback.value
    rows = Store(store_path).attempts(learner="case-test", exercise_id="m7_public_message")
    assert len(rows) == 1 and rows[0].score == 1.0


def test_the_apps_build(recorder):
    assert stranded_app(recorder=recorder).children
    box = after_arrival_app(recorder=recorder)
    steps = next(c for c in box.children if "mf-steps" in c._dom_classes)
    body = next(c for c in box.children if "mf-step-body" in c._dom_classes)
    assert steps.value == "cases" and "mf-casework" in body.children[0]._dom_classes
    steps.value = "message"  # the statement is built when its step is first opened
    assert "mf-message" in body.children[0]._dom_classes


def test_the_apps_of_modules_4_6_7_load_neither_numba_nor_altair_nor_pandas(tmp_path):
    """numba (about 160 MB of a kernel's memory once the reception kernel is loaded), altair and
    pandas are for the reception app and the charts: these pages start without them."""
    import os
    import subprocess
    import sys

    code = (
        "import sys\n"
        "from mixedflows.widgets.casework import after_arrival_app, stranded_app\n"
        "from mixedflows.widgets.rescue import rescue_app\n"
        "stranded_app(); after_arrival_app(); rescue_app()\n"
        "print(sorted(m for m in ('numba', 'altair', 'pandas') if m in sys.modules))"
    )
    env = {**os.environ, "MIXEDFLOWS_STORE": str(tmp_path / "s.sqlite")}
    out = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True, env=env
    )
    assert out.stdout.strip().splitlines()[-1] == "[]", out.stderr[-2000:]
