"""The dashboard's "Open a debrief for the room" panel (mixedflows.widgets.debrief_room).

Its list is every ``after_attempt`` call of the module pages (mixedflows.debriefs reads them),
checked here against the cells test_debrief_gate runs and a plain count of the calls; the store
opens every exercise id it names; the panel asks before it opens, says what opening does, opens
every exercise of the debrief chosen for this session only, and shows which are open; and each
module page's debrief cell, run for a learner with no attempt, shows its debrief after **Show the
debrief** once the panel has opened it. Against a real SQLite store."""

from __future__ import annotations

import ast
import importlib
import json
import subprocess
import sys

import pytest
from test_debrief_gate import CELLS, ROOT, _cell, _run, _shown

from mixedflows import debriefs
from mixedflows.debriefs import gated_debriefs
from mixedflows.exercises import load_exercise
from mixedflows.store import Store
from mixedflows.widgets import debrief_gate
from mixedflows.widgets.common import Recorder
from mixedflows.widgets.debrief_room import DebriefPanel, confirmation

DEBRIEFS = gated_debriefs()


def _calls(notebook: str) -> int:
    """How many times the page's code calls the gate (its text, not its syntax tree)."""
    nb = json.loads((ROOT / "modules" / notebook).read_text(encoding="utf-8"))
    return sum(
        "".join(c["source"]).count("after_attempt(")
        for c in nb["cells"]
        if c["cell_type"] == "code"
    )


def test_the_list_is_every_gate_of_the_module_pages():
    pages = sorted((ROOT / "modules").glob("*.ipynb"))
    assert sum(_calls(p.name) for p in pages) == len(DEBRIEFS) >= 8
    for p in pages:
        assert _calls(p.name) == len([d for d in DEBRIEFS if d.notebook == p.name]), p.name
    # The cells test_debrief_gate runs, and module 10's room, are all in it with their ids.
    listed = {(d.notebook[:-6], d.exercise_ids) for d in DEBRIEFS}
    for notebook, _module, exercises, _word in CELLS:
        assert (notebook, tuple(exercises)) in listed
    assert ("10_cooperation", ("m10_landing_roles",)) in listed
    assert {d.module for d in DEBRIEFS} >= {4, 5, 6, 7, 9}
    for d in DEBRIEFS:
        assert all(load_exercise(e).title for e in d.exercise_ids)
        mod, name = d.render.rsplit(".", 1)
        assert callable(getattr(importlib.import_module(mod), name)), d.render


def test_names_read_from_the_source_are_the_values_the_cells_import():
    # Module 5 and 9's pages give their exercise ids by a name they import (EXERCISES, DESK,
    # PROGRAMME): read from the module's source without importing it, they are what the cell
    # gets by importing it.
    read = 0
    for p in sorted((ROOT / "modules").glob("*.ipynb")):
        for src in debriefs._code_cells(p):
            for alias, (mod, attr) in debriefs._imports(ast.parse(src)).items():
                found = debriefs._constant(mod, attr)
                if found is debriefs._NOT_LITERAL:
                    continue
                read += 1
                imported = getattr(importlib.import_module(mod), attr)
                assert found == imported, (p.name, alias)
    assert read >= 3


def test_the_list_is_made_without_importing_the_debriefs_packages():
    # The dashboard lists the debriefs at its start: their packages (module 5's cases, module
    # 9's returns) are not imported for it (issue 13 start-up: 0.05 s of the kernel's CPU).
    code = (
        "import sys; from mixedflows.debriefs import gated_debriefs; "
        "d = gated_debriefs(); assert len(d) >= 8; "
        "print(sorted(m for m in sys.modules if m.startswith(('mixedflows.cases', "
        "'mixedflows.returns'))))"
    )
    out = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True, cwd=ROOT
    )
    assert out.stdout.strip() == "[]", out.stdout


def test_a_name_the_source_does_not_give_as_one_literal_is_imported(tmp_path, monkeypatch):
    src = tmp_path / "mixedflows" / "fake_debrief.py"
    src.parent.mkdir()
    src.write_text(
        "A = ('m1_x',)\nB = ('m1_y',)\nB = B + ('m1_z',)\nfrom os import sep as C\n"
        "D = tuple(['m1_w'])\nE: tuple = ('m1_v',)\n",
        encoding="utf-8",
    )
    import mixedflows

    monkeypatch.setattr(mixedflows, "__file__", str(src.parent / "__init__.py"))
    debriefs._constant.cache_clear()
    try:
        assert debriefs._constant("mixedflows.fake_debrief", "A") == ("m1_x",)
        assert debriefs._constant("mixedflows.fake_debrief", "E") == ("m1_v",)
        for name in ("B", "C", "D", "missing"):  # bound twice, imported, computed, absent
            assert debriefs._constant("mixedflows.fake_debrief", name) is debriefs._NOT_LITERAL
        assert debriefs._constant("os.path", "sep") is debriefs._NOT_LITERAL  # not the course's
    finally:
        debriefs._constant.cache_clear()


def test_the_store_opens_every_gated_exercise(tmp_path):
    with Store(tmp_path / "a.sqlite") as store:
        for d in DEBRIEFS:
            for e in d.exercise_ids:
                assert not store.debrief_opened(session="room", exercise_id=e)
                store.open_debrief(session="room", exercise_id=e)
                assert store.debrief_opened(session="room", exercise_id=e)
                assert not store.debrief_opened(session="other", exercise_id=e)


def test_the_panel_asks_then_opens_one_debrief_for_this_session(tmp_path):
    store = Store(tmp_path / "a.sqlite")
    panel = DebriefPanel(store, "room")
    assert [o[1] for o in panel.pick.options] == [d.key for d in DEBRIEFS]
    assert panel.view.value.count("not open") == len(DEBRIEFS)
    rescue = next(d for d in DEBRIEFS if "m4_rescue_decision" in d.exercise_ids)
    panel.pick.value = rescue.key
    panel.ask_button.click()
    # Asked, not done: what it does is said, with the session and the exercises' titles.
    said = panel.question.value
    assert "Every participant of session room will see the debrief of" in said
    assert all(t in said for t in rescue.titles()) and "gives their answers" in said
    assert panel.confirm_box.layout.display is None
    assert not any(store.debrief_opened(session="room", exercise_id=e) for e in rescue.exercise_ids)
    panel.cancel_button.click()
    assert panel.confirm_box.layout.display == "none" and panel.question.value == ""
    assert not any(store.debrief_opened(session="room", exercise_id=e) for e in rescue.exercise_ids)
    # Confirmed: every exercise of that debrief, in this session only; the list says so.
    panel.ask_button.click()
    panel.confirm_button.click()
    for e in rescue.exercise_ids:
        assert store.debrief_opened(session="room", exercise_id=e)
        assert not store.debrief_opened(session="other", exercise_id=e)
    assert panel.confirm_box.layout.display == "none"
    assert "is open for session room" in panel.status.value
    assert panel.view.value.count("not open") == len(DEBRIEFS) - 1
    assert panel.is_open(rescue)
    assert not DebriefPanel(store, "other").is_open(rescue)
    # Asked again: already open, nothing to confirm.
    panel.ask_button.click()
    assert "already open" in panel.status.value and panel.confirm_box.layout.display == "none"
    store.close()


def test_one_exercise_says_its_answers():
    d = next(d for d in DEBRIEFS if d.exercise_ids == ("m7_after_arrival",))
    text = confirmation("S1", d)
    assert text.startswith(
        f"Every participant of session S1 will see the debrief of “{load_exercise('m7_after_arrival').title}”"
    )
    assert "which gives its answers" in text


def test_no_session_opens_nothing(tmp_path):
    store = Store(tmp_path / "a.sqlite")
    panel = DebriefPanel(store, "")
    panel.ask_button.click()
    assert "No session here" in panel.status.value
    assert panel.confirm_box.layout.display == "none"
    store.close()


@pytest.mark.parametrize("debrief", DEBRIEFS, ids=[d.key for d in DEBRIEFS])
def test_a_learner_with_no_attempt_sees_the_debrief_once_the_panel_opened_it(debrief, tmp_path):
    store = Store(tmp_path / "a.sqlite")
    debrief_gate.PLAYED.clear()  # module 10's room not played on this page
    rec = Recorder(store, learner="ana", session="room")
    box = _run(_cell(debrief.notebook[:-6], debrief.render.rsplit(".", 1)[0]), rec, cheap=False)
    show = box.children[1]
    show.click()
    assert _shown(box) == ""
    panel = DebriefPanel(store, "room")
    panel.pick.value = debrief.key
    panel.ask_button.click()
    panel.confirm_button.click()
    show.click()
    assert _shown(box), debrief.key
    assert box.children[0].value == "" and show.layout.display == "none"
    assert store.attempts(learner="ana") == []
    store.close()
