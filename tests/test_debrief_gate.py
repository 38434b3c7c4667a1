"""A module page's debrief gives its exercise's answers: it is shown only once this learner has
an attempt recorded for that exercise (issue 14; issue 13 point 3).

Each module notebook's debrief cell is run as written (its imports, then its one call), against
a real store: closed on load with the reason said, still closed after another learner's
attempt, opened by **Show the debrief** once this learner's attempt is in the store, opened at
once by an attempt recorded from the page, and opened for the room when the facilitator opened
the exercise's debrief (the dashboard's existing mechanism).
"""

from __future__ import annotations

import ast
import functools
import json
from pathlib import Path
from typing import Any

import pytest

from mixedflows.store import Store, make_row
from mixedflows.widgets import debrief_gate
from mixedflows.widgets.common import Recorder

ROOT = Path(__file__).resolve().parents[1]

# (notebook, the debrief's own import, the exercises it speaks of, a word of its answers)
CELLS = [
    ("01_who_is_in_the_boat", "mixedflows.boat_debrief", ["m1_who_is_in_the_boat"], "Moussa G."),
    ("02_journey_and_data", "mixedflows.journey", ["m2_a_journey_that_changes"], "Dawit"),
    (
        "03_before_departure",
        "mixedflows.departure.debrief",
        ["m3_development_and_emigration"],
        "disagree",
    ),
    (
        "04_rescue_arrival_reception",
        "mixedflows.rescue.debrief",
        ["m4_rescue_decision", "m4_holding_standards"],
        "Port Alba",
    ),
    ("04_rescue_arrival_reception", "mixedflows.reception.debrief", ["m4_staff_the_centre"], ""),
    (
        "05_screening_and_referral",
        "mixedflows.cases.debrief",
        ["m5_hard_constraints", "m5_mark_indicators", "m5_family_referrals", "m5_screening_desk"],
        "",
    ),
    ("06_stranded_migrants", "mixedflows.casework.debrief", ["m6_stranded_casework"], "Kedir"),
    ("07_after_arrival", "mixedflows.casework.debrief", ["m7_after_arrival"], "Issa"),
    (
        "09_return_and_reintegration",
        "mixedflows.returns.debrief",
        ["m9_return_decisions", "m9_reintegration_programme"],
        "Amadou",
    ),
]


def _cell(notebook: str, module: str) -> str:
    nb = json.loads((ROOT / "modules" / f"{notebook}.ipynb").read_text(encoding="utf-8"))
    found = [
        "".join(c["source"])
        for c in nb["cells"]
        if c["cell_type"] == "code"
        and any(
            line.startswith(f"from {module} import") and "debrief" in line.split(" import ")[1]
            for line in "".join(c["source"]).splitlines()
        )
    ]
    assert len(found) == 1, (notebook, module, found)
    return found[0]


def _run(source: str, rec: Recorder, cheap: bool) -> Any:
    """The cell's imports, then its last expression, the page's recorder given to the gate."""
    tree = ast.parse(source)
    *head, last = tree.body
    ns: dict[str, Any] = {}
    exec(compile(ast.Module(body=head, type_ignores=[]), "<cell>", "exec"), ns)
    if "after_attempt" in ns:
        ns["after_attempt"] = functools.partial(ns["after_attempt"], recorder=rec)
    if cheap:  # the reception debrief runs the season for seconds: its gate is what is tested
        ns["debrief"] = lambda *a: "the rules of thumb compared"
    return eval(compile(ast.Expression(last.value), "<cell>", "eval"), ns)


def _shown(box: Any) -> str:
    out = box.children[-1]
    return "\n".join(
        o["data"].get("text/markdown", "") + o["data"].get("text/plain", "") for o in out.outputs
    )


def _attempt(store: Store, learner: str, exercise_id: str, n: int = 1) -> None:
    for _ in range(n):
        store.insert(
            make_row(
                learner=learner,
                session="room",
                exercise_id=exercise_id,
                answer={"tried": True},
                score=0.5,
                feedback=None,
            )
        )


def _answered(store: Store, learner: str, exercise_id: str) -> None:
    """Attempts after which the exercise shows its answers: one, or every attempt an exercise
    with a limit allows (module 9's desk; tests/test_answers_behind_the_gate.py)."""
    from mixedflows.exercises import load_exercise

    _attempt(store, learner, exercise_id, load_exercise(exercise_id).max_attempts or 1)


@pytest.mark.parametrize(
    "notebook,module,exercises,word", CELLS, ids=[f"{c[0][:2]}-{c[1]}" for c in CELLS]
)
def test_debrief_cell_opens_only_after_this_learners_attempt(
    notebook, module, exercises, word, tmp_path
):
    store = Store(tmp_path / "a.sqlite")
    rec = Recorder(store, learner="ana", session="room")
    box = _run(_cell(notebook, module), rec, cheap=module == "mixedflows.reception.debrief")
    # On load, no attempt: the gate, not the answers.
    assert hasattr(box, "children"), f"{notebook}: the debrief is shown on load ({type(box)})"
    assert _shown(box) == ""
    gate = debrief_gate.GATE_TEXT if len(exercises) == 1 else debrief_gate.GATE_TEXT_MANY
    assert gate in box.children[0].value
    button = box.children[1]
    # Another learner's attempts open nothing; nor does this learner's attempt at one of two.
    for ex in exercises:
        _attempt(store, "ben", ex)
    for ex in exercises[:-1]:
        _answered(store, "ana", ex)
    button.click()
    assert _shown(box) == "" and gate in box.children[0].value
    # This learner's attempt at the last one, in the store: the button shows the debrief.
    _answered(store, "ana", exercises[-1])
    button.click()
    text = _shown(box)
    assert text and word in text, text[:300]
    assert box.children[0].value == "" and button.layout.display == "none"
    store.close()


def test_an_attempt_recorded_from_the_page_opens_its_debrief(tmp_path):
    store = Store(tmp_path / "a.sqlite")
    rec = Recorder(store, learner="ana", session="room")
    box = _run(_cell("06_stranded_migrants", "mixedflows.casework.debrief"), rec, cheap=False)
    Recorder(store, learner="ana", session="room").record("m7_after_arrival", {"x": 1}, None)
    assert _shown(box) == ""  # another exercise's attempt
    Recorder(store, learner="ana", session="room").record("m6_stranded_casework", {"x": 1}, None)
    box.opening.join(timeout=60)  # opened beside the submit, which does not wait for it
    assert "Kedir" in _shown(box)
    store.close()


def test_the_facilitator_opening_the_debrief_opens_it_for_the_room(tmp_path):
    store = Store(tmp_path / "a.sqlite")
    rec = Recorder(store, learner="ana", session="room")
    box = _run(_cell("07_after_arrival", "mixedflows.casework.debrief"), rec, cheap=False)
    store.open_debrief(session="other", exercise_id="m7_after_arrival")
    box.children[1].click()
    assert _shown(box) == ""
    store.open_debrief(session="room", exercise_id="m7_after_arrival")
    box.children[1].click()
    assert "Issa" in _shown(box)
    store.close()


def test_a_store_that_cannot_be_read_keeps_it_closed_and_says_so(tmp_path):
    store = Store(tmp_path / "a.sqlite")
    store.close()  # closed: every read raises StoreError
    rec = Recorder(store, learner="ana", session="room")
    box = debrief_gate.after_attempt("m6_stranded_casework", lambda: "answers", recorder=rec)
    assert _shown(box) == "" and "cannot be read" in box.children[0].value


def test_module10_debrief_opens_after_the_room_played_alone_or_a_role_submitted(tmp_path):
    from mixedflows.widgets.cooperation import SoloRoom

    store = Store(tmp_path / "a.sqlite")
    rec = Recorder(store, learner="ana", session="room")
    debrief_gate.PLAYED.discard("m10_landing_roles")
    cell = _cell("10_cooperation", "mixedflows.cooperation.debrief")
    box = _run(cell, rec, cheap=False)
    assert _shown(box) == "" and "Play the room above first" in box.children[0].value
    # A role's decisions in the store (the room in class) open it.
    _attempt(store, "ana", "m10_landing_roles")
    box.children[1].click()
    assert "undid the most" in _shown(box)
    # Working alone: seeing the room's outcome on this page opens it there.
    other = _run(cell, Recorder(store, learner="ben", session="room"), cheap=False)
    assert _shown(other) == ""
    try:
        SoloRoom(seed="x", recorder=Recorder(store, learner="ben", session="room")).show()
        other.opening.join(timeout=60)
        assert "undid the most" in _shown(other)
    finally:
        debrief_gate.PLAYED.discard("m10_landing_roles")
    store.close()


def test_module10_played_alone_is_kept_for_that_learner_only(tmp_path):
    """A reload (a new kernel: nothing left on the page) keeps the debrief open for the learner
    who played the room alone, and their choices on the room: kept as their draft. Fails
    before: the play was kept on the page only (``PLAYED``), and the gate closed again."""
    from mixedflows.cooperation import engine
    from mixedflows.widgets.cooperation import SoloRoom

    store = Store(tmp_path / "a.sqlite")
    ben = Recorder(store, learner="ben", session="room")
    cid = Recorder(store, learner="cid", session="room")
    debrief_gate.PLAYED.discard("m10_landing_roles")
    cell = _cell("10_cooperation", "mixedflows.cooperation.debrief")
    try:
        solo = SoloRoom(seed="x", recorder=ben)
        role = solo.room.roles[0]
        best = engine.reference(solo.room, role.id)
        for did, value in best.items():
            solo.choices[role.id][did].value = value
        solo.show()
    finally:
        debrief_gate.PLAYED.discard("m10_landing_roles")  # the page is gone: a reload
    again = _run(cell, ben, cheap=False)
    assert "undid the most" in _shown(again)
    back = SoloRoom(seed="x", recorder=ben)
    assert {d: rb.value for d, rb in back.choices[role.id].items()} == best
    assert "needs met" in back.out.value
    assert "m10_landing_roles" not in debrief_gate.PLAYED  # from the store, not the page
    # Another learner, on the same store: closed, and a blank room.
    other = _run(cell, cid, cheap=False)
    assert _shown(other) == "" and "Play the room above first" in other.children[0].value
    fresh = SoloRoom(seed="x", recorder=cid)
    assert all(rb.value == "" for boxes in fresh.choices.values() for rb in boxes.values())
    assert fresh.out.value == ""
    store.close()


def test_a_debrief_that_fails_to_render_says_so_and_stays_closed(tmp_path):
    store = Store(tmp_path / "a.sqlite")
    _attempt(store, "ana", "m6_stranded_casework")

    def broken() -> str:
        raise ValueError("a malformed case file")

    rec = Recorder(store, learner="ana", session="room")
    box = debrief_gate.after_attempt("m6_stranded_casework", broken, recorder=rec)
    assert _shown(box) == "" and "could not be prepared" in box.children[0].value
    store.close()
