"""Module 9's return desk like the course's other graded exercises (issue 15 leftover): it was
unlimited, the best attempt counted, and one try named every measure missed and the decision
the rules call for, so a second try could copy the key. Now the exercise allows three attempts
(``max_attempts``, counted from the store: a reload does not give them back); before the last,
the notes explain what was answered (a right measure gets its line too) and count what was
missed without naming it; the last attempt names everything; the grade is the course's rule
(the best attempt, said in the status line)."""

from __future__ import annotations

import pytest

from mixedflows.exercises import load_exercise
from mixedflows.grading import grade
from mixedflows.returns import DECISIONS, MEASURES, decide, load_caseload
from mixedflows.returns.grader import desk_feedback
from mixedflows.store import Store
from mixedflows.widgets.common import Recorder
from mixedflows.widgets.returns import ReturnDeskApp

EX = "m9_return_decisions"


def _wrong_everywhere() -> dict:
    """Each returnee: a decision the rules do not call for, and no measure ticked but one
    that is not wrong (so each has a right line, or none, and every required one missed)."""
    out = {}
    for r in load_caseload("return_desk").returnees:
        ruling = decide(r)
        other = next(d for d in DECISIONS if d != ruling.decision)
        out[r.id] = {"decision": other, "measures": []}
    return out


def test_before_the_last_attempt_what_was_missed_is_counted_not_named():
    ex = load_exercise(EX)
    answer = _wrong_everywhere()
    full = grade(ex, answer)
    shown = desk_feedback(ex, answer, reveal=False)
    text = " ".join(f.item + " " + f.message + " " + f.expected for f in shown)
    missed_total = 0
    for r in load_caseload("return_desk").returnees:
        ruling = decide(r)
        assert ruling.why not in text, r.id  # the decision's reason is not given away
        for m in ruling.measures:
            if m.call == "required":
                missed_total += 1
                assert f"{r.name}: {m.label}" not in text, (r.id, m.id)
                assert m.why not in text, (r.id, m.id)
        mine = [f for f in shown if f.item.startswith(f"{r.name}:")]
        decision = next(f for f in mine if f.item == f"{r.name}: decision")
        assert decision.credit == 0 and decision.message.startswith("Not this:")
        assert "after your last attempt" in decision.message and decision.expected == ""
        n = len(ruling.required)
        counted = [f for f in mine if f.item == f"{r.name}: measures not ticked"]
        assert len(counted) == (1 if n else 0), r.id
        if n:
            assert counted[0].message.startswith(f"{n} measure")
    assert missed_total
    # The store keeps every note (the facilitator's view; what the dashboard reads).
    full_text = " ".join(f.message for f in full.items)
    assert "Missed:" in full_text and "Missed:" not in text
    # The last attempt names them all: the same notes as the grade.
    assert desk_feedback(ex, answer, reveal=True) == full.items


def test_an_unanswered_returnee_gets_no_key_before_the_last_attempt():
    ex = load_exercise(EX)
    first = load_caseload("return_desk").returnees[0]
    answer = {first.id: {"decision": decide(first).decision, "measures": []}}
    for r in load_caseload("return_desk").returnees[1:]:
        ruling = decide(r)
        note = next(
            f for f in desk_feedback(ex, answer, reveal=False) if f.item == f"{r.name}: decision"
        )
        assert not note.answered and note.message.startswith("Not answered yet")
        assert ruling.why not in note.message and note.expected == ""
        last = next(
            f for f in desk_feedback(ex, answer, reveal=True) if f.item == f"{r.name}: decision"
        )
        assert DECISIONS[ruling.decision].lower() in last.message and ruling.why in last.message


def test_a_right_measure_gets_a_line_and_an_allowed_one_is_no_error():
    ex = load_exercise(EX)
    for r in load_caseload("return_desk").returnees:
        ruling = decide(r)
        allowed = [m.id for m in ruling.measures if m.call == "allowed"]
        answer = {r.id: {"decision": ruling.decision, "measures": ruling.required + allowed}}
        for reveal in (False, True):
            shown = desk_feedback(ex, answer, reveal=reveal)
            for m in ruling.measures:
                line = [f for f in shown if f.item == f"{r.name}: {m.label}"]
                if m.call == "required":
                    assert line and line[0].credit == 1.0 and line[0].message == f"Right: {m.why}"
                elif m.call == "allowed":
                    assert line and line[0].credit == 1.0
                    assert line[0].message.startswith("Not required, and no error:")
        assert grade(ex, answer).score == pytest.approx(
            1 / len(load_caseload("return_desk").returnees), abs=1e-4
        )


def test_three_attempts_counted_from_the_store_and_the_last_names_everything(store_path):
    ex = load_exercise(EX)
    assert ex.max_attempts == 3
    rec = Recorder(Store(store_path), learner="desk-limit", session="ws")
    app = ReturnDeskApp(recorder=rec)
    r = app.returnee
    ruling = decide(r)
    wrong = next(d for d in DECISIONS if d != ruling.decision)
    app.decision.value = wrong
    app.submit.click()
    assert "Attempt 1 of 3:" in app.status.value and "2 attempts left" in app.status.value
    assert "your best attempt" in app.status.value  # the course's grade rule, said
    fb = app.feedback.value
    assert "Not this:" in fb and "after your last attempt" in fb
    assert "counted, not named" in fb
    assert ruling.why not in fb and "Missed:" not in fb
    for m in ruling.required:
        assert MEASURES[m] not in fb, m
    # A reload does not give the attempts back.
    app = ReturnDeskApp(recorder=Recorder(Store(store_path), learner="desk-limit", session="ws"))
    assert app.attempts == 1 and app.answers[r.id]["decision"] == wrong  # the draft is back
    app.submit.click()
    assert "Attempt 2 of 3:" in app.status.value and "1 attempt left" in app.status.value
    app.submit.click()
    assert "Attempt 3 of 3:" in app.status.value and "last attempt" in app.status.value
    fb = app.feedback.value
    assert ruling.why in fb and "Not this:" in fb
    for m in ruling.required:
        assert MEASURES[m] in fb and "Missed:" in fb, m
    assert app.submit.disabled
    app.submit.click()  # a page that enables the button itself: the kernel refuses
    assert "used the 3 attempts" in app.status.value
    assert len(Store(store_path).attempts(learner="desk-limit", exercise_id=EX)) == 3
    # Opened again: the limit stands, and the last attempt's notes are all shown.
    again = ReturnDeskApp(recorder=Recorder(Store(store_path), learner="desk-limit", session="ws"))
    assert again.submit.disabled and "used the 3 attempts" in again.status.value
    assert ruling.why in again.feedback.value and "Missed:" in again.feedback.value
    # Another learner, or another session, has attempts of their own.
    other = ReturnDeskApp(recorder=Recorder(Store(store_path), learner="desk-limit", session="x"))
    assert other.attempts == 0 and not other.submit.disabled
