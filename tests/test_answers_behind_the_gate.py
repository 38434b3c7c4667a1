"""No module page gives an exercise's or the knowledge check's answers before the learner has
answered (a cold trial: module 9's prose named the answers of its Exercise 3 and of knowledge-check
question 10; its return-desk debrief opened after the first of three attempts, whose notes
correct nothing until the last; module 3's debrief, not gated, named the answers of its
predict-then-see and of check questions 4 and 5, and the predictions could be submitted again
once the studies were shown).

What a learner reads on load is every markdown cell of the page; the debriefs that speak of the
answers are run as the page runs them (tests/test_debrief_gate.py's helpers) against a real
store. The answers themselves are derived by the graders (the knowledge check's items and their
reference answers, :mod:`mixedflows.knowledge`), never typed here.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from test_debrief_gate import _attempt, _cell, _run, _shown

from mixedflows.debriefs import of_module
from mixedflows.knowledge import check_items
from mixedflows.store import Store, make_row
from mixedflows.widgets import debrief_gate
from mixedflows.widgets.before_departure import DevelopmentPredict
from mixedflows.widgets.common import Recorder

ROOT = Path(__file__).resolve().parents[1]


def _prose(notebook: str) -> str:
    nb = json.loads((ROOT / "modules" / f"{notebook}.ipynb").read_text(encoding="utf-8"))
    return "\n".join("".join(c["source"]) for c in nb["cells"] if c["cell_type"] == "markdown")


# (page, a sentence that gave an answer on load, whose answer: checked below to be one)
LEAKS = [
    (
        "01_who_is_in_the_boat",
        "Did you tick him as an environmental migrant *and* a possible victim of trafficking?",
        "m1_who_is_in_the_boat",
    ),
    (
        "01_who_is_in_the_boat",
        "**Senait K.** on the same boat needs the asylum procedure *and* a trafficking referral",
        "m1_who_is_in_the_boat",
    ),
    (
        "08_regularization_tradeoffs",
        "a prior-residence requirement acting as a brake",
        "m8_predict_then_see/residence",
    ),
    (
        "08_regularization_tradeoffs",
        "makes those regularised more likely to be in declared work",
        "m8_predict_then_see/contract",
    ),
    (
        "08_regularization_tradeoffs",
        "up to the point where it kept people out",
        "m8_predict_then_see/fee",
    ),
    (
        "08_regularization_tradeoffs",
        "legal labour channels (¶15, ¶26) lower its upper end",
        "m9_labour_mobility/future",
    ),
    (
        "09_return_and_reintegration",
        "regularize no one already here",
        "m8_predict_then_see/channels",
    ),
    (
        "09_return_and_reintegration",
        'lower the upper end of the "pull" range',
        "m9_labour_mobility/future",
    ),
    (
        "09_return_and_reintegration",
        "for future movements rather than for the people already here",
        "m9_labour_mobility/present",
    ),
    (
        "03_before_departure",
        "If emigration rises, at first, as a poor country grows",
        "m3_development_and_emigration/within_countries",
    ),
    (
        "03_before_departure",
        "The studies disagree on development and emigration within a country",
        "m3_development_and_emigration/within_countries",
    ),
    ("03_before_departure", "where it disagrees", "m3_development_and_emigration/within_countries"),
    ("03_before_departure", 'narrows the contested "pull" range', "m9_labour_mobility/future"),
]


def test_the_leaked_answers_are_the_graders_answers():
    """Each sentence above did give an answer: the grader's reference for its item."""
    from mixedflows.exercises import load_exercise
    from mixedflows.grading import grade

    keys = {i.key for i in check_items()}
    assert "m8_predict_then_see/channels" in keys
    assert {"m3_development_and_emigration/within_countries"} <= keys
    ex = load_exercise("m9_labour_mobility")
    right = {f.item: f for f in grade(ex, {"future": "down", "present": "same"}).items}
    assert right["future"].correct and right["present"].correct
    ex = load_exercise("m8_predict_then_see")
    m8 = {"fee": "down", "residence": "down", "contract": "down", "channels": "same"}
    right = {f.item: f for f in grade(ex, m8).items}
    assert all(right[k].correct for k in m8), right
    assert {f"m8_predict_then_see/{k}" for k in m8} <= keys
    ex = load_exercise("m3_development_and_emigration")
    within = grade(ex, {"within_countries": "disagree"}).items
    assert [f.credit for f in within if f.item == "within_countries"] == [1.0]


@pytest.mark.parametrize(
    "notebook,sentence,item", LEAKS, ids=[f"{n[:2]}-{s[:24]}" for n, s, _ in LEAKS]
)
def test_no_answer_in_the_prose_shown_on_load(notebook, sentence, item):
    assert sentence not in _prose(notebook), f"{notebook} gives {item} on load"


def test_module3_debrief_is_gated_and_listed_for_the_dashboard(tmp_path):
    store = Store(tmp_path / "a.sqlite")
    rec = Recorder(store, learner="ana", session="room")
    box = _run(_cell("03_before_departure", "mixedflows.departure.debrief"), rec, cheap=False)
    assert _shown(box) == "" and debrief_gate.GATE_TEXT in box.children[0].value
    _attempt(store, "ana", "m3_design_a_campaign")  # the other exercise opens nothing
    box.children[1].click()
    assert _shown(box) == ""
    _attempt(store, "ana", "m3_development_and_emigration")
    box.children[1].click()
    text = _shown(box)
    assert "disagree" in text and "If emigration rises, at first" in text
    store.close()
    # The dashboard's list of gated debriefs reads the page: module 3's is in it.
    [gated] = of_module(3)
    assert gated.exercise_ids == ("m3_development_and_emigration",)
    assert "disagree" in gated.prepare()


def test_module3_debrief_is_read_from_the_evidence(monkeypatch):
    """The debrief says what the graders' rule finds: another finding, another debrief."""
    from mixedflows.departure import debrief, development

    real = development.what_the_evidence_says

    def agree(evidence):
        _direction, rows = real(evidence)
        return "falls", [r for r in rows if r.direction == "falls"] or rows

    monkeypatch.setattr(debrief, "what_the_evidence_says", agree)
    text = debrief.debrief()
    assert "disagree" not in text and "emigration falls" in text and "rises, at first" not in text


def _desk(store, learner, score, n=1):
    for _ in range(n):
        store.insert(
            make_row(
                learner=learner,
                session="room",
                exercise_id="m9_return_decisions",
                answer={"tried": True},
                score=score,
                feedback=None,
            )
        )


def test_module9_debrief_waits_for_the_desks_answers(tmp_path):
    """The desk corrects no decision before its last attempt (3) unless all is right: its
    debrief, which names the right decisions, waits for the same. Fails before: it opened
    after the first attempt."""
    from mixedflows.exercises import load_exercise

    limit = load_exercise("m9_return_decisions").max_attempts
    assert limit == 3
    store = Store(tmp_path / "a.sqlite")
    cell = _cell("09_return_and_reintegration", "mixedflows.returns.debrief")
    ana = Recorder(store, learner="ana", session="room")
    _attempt(store, "ana", "m9_reintegration_programme")
    box = _run(cell, ana, cheap=False)
    _desk(store, "ana", 0.5, limit - 1)
    box.children[1].click()
    assert _shown(box) == ""
    assert f"after your last attempt ({limit})" in box.children[0].value
    _desk(store, "ana", 0.5)  # the last attempt
    box.children[1].click()
    assert "Amadou" in _shown(box)
    # All right at the first attempt: the desk has nothing left to correct, the debrief opens.
    _attempt(store, "ben", "m9_reintegration_programme")
    _desk(store, "ben", 1.0)
    ben = _run(cell, Recorder(store, learner="ben", session="room"), cheap=False)
    assert "Amadou" in _shown(ben)
    store.close()


def test_module9_rule_is_the_desks_own(tmp_path):
    """The gate's rule and the desk app's agree on when the answers are shown."""
    from mixedflows.widgets.returns import ReturnDeskApp

    store = Store(tmp_path / "a.sqlite")
    rec = Recorder(store, learner="ana", session="room")
    app = ReturnDeskApp(recorder=rec)
    first = app.returnees[0]
    app.answers = {first.id: {"decision": "enforced_return", "measures": []}}
    for _ in range(app.max_attempts):
        app.submit_answer()
        shown = debrief_gate.answers_shown(
            "m9_return_decisions", store.attempts(learner="ana", session="room")
        )
        assert shown == app.last_attempt_used
    store.close()


def test_module3_predictions_are_recorded_once(tmp_path):
    """After the studies are shown, a second submission is refused, said so, and not recorded
    (before: 0 % then 100 %, the best counted); a reload shows the recorded predictions."""
    store = Store(tmp_path / "a.sqlite")
    rec = Recorder(store, learner="ana", session="room")
    app = DevelopmentPredict(recorder=rec)
    app.choices["within_countries"].value = "rises"
    first = app.submit_answer()
    assert first.score < 1 and app.submit.disabled
    app.choices["within_countries"].value = "disagree"
    app.choices["across_countries"].value = "rises"
    assert app.submit_answer() is None
    assert "You have used the one attempt this exercise allows" in app.status.value
    [att] = store.attempts(learner="ana", session="room")
    assert att.score == first.score and att.answer == {"within_countries": "rises"}
    again = DevelopmentPredict(recorder=Recorder(store, learner="ana", session="room"))
    assert again.submit.disabled and "World Bank" in again.feedback.value
    assert again.choices["within_countries"].value == "rises"
    assert again.submit_answer() is None
    assert len(store.attempts(learner="ana", session="room")) == 1
    store.close()


def test_module1_debrief_names_the_boats_people_after_an_attempt(tmp_path):
    """The people named are those the grader's reference gives: trafficking with a reason to
    move, and trafficking with a protection need; shown only after this learner's attempt,
    and listed for the dashboard."""
    from mixedflows.exercises import load_exercise
    from mixedflows.grading import cohort_for, cohort_reference

    ex = load_exercise("m1_who_is_in_the_boat")
    ref = cohort_reference(ex)
    names = {p.person_id: p.name for p in cohort_for(ex.scenario, ex.seed, ex.size)}
    moved = [
        names[k]
        for k, v in ref.items()
        if "trafficking" in v["profiles"] and {"environmental", "economic"} & set(v["profiles"])
    ]
    both = [names[k] for k, v in ref.items() if {"trafficking", "protection"} <= set(v["profiles"])]
    assert moved and both
    store = Store(tmp_path / "a.sqlite")
    rec = Recorder(store, learner="ana", session="room")
    box = _run(_cell("01_who_is_in_the_boat", "mixedflows.boat_debrief"), rec, cheap=False)
    assert _shown(box) == "" and debrief_gate.GATE_TEXT in box.children[0].value
    _attempt(store, "ana", "m1_who_is_in_the_boat")
    box.children[1].click()
    text = _shown(box)
    assert f"**{moved[0]}**" in text and f"**{both[0]}**" in text
    store.close()
    [gated] = of_module(1)
    assert gated.exercise_ids == ("m1_who_is_in_the_boat",)
