"""The module 9 widgets driven without a browser: the return desk (one person at a time, a
decision and measures each, one submit for everyone, the feedback of the person on screen, a
draft back after a reload), the reintegration programme (the model's scores follow the sliders;
over the budget refused with nothing recorded; the optimised programme offered after two
attempts), the labour-mobility item, and the three-step app; attempts in the store."""

from __future__ import annotations

import re

import pytest

from mixedflows.returns import decide, load_caseload
from mixedflows.returns import reintegration as rm
from mixedflows.returns.grader import reference_programme
from mixedflows.store import Store
from mixedflows.widgets.common import Recorder
from mixedflows.widgets.returns import (
    ReintegrationApp,
    ReturnApp,
    ReturnDeskApp,
    assumptions_html,
    return_app,
)


@pytest.fixture
def recorder(store_path):
    return Recorder(Store(store_path), learner="return-test", session="")


def _answer_on_screen(app: ReturnDeskApp) -> None:
    ruling = decide(app.returnee)
    app.decision.value = ruling.decision
    for m in ruling.required:
        app.checks[m].value = True


def test_return_desk(recorder, store_path):
    app = ReturnDeskApp(recorder=recorder)
    first = app.returnee
    assert first.name in app.card.value and "Synthetic person" in app.card.value
    app.submit.click()
    assert "Nothing to grade yet" in app.status.value
    _answer_on_screen(app)
    assert "1 of 9 people answered" in app.progress.value
    app.submit.click()
    assert "Attempt 1 of 3:" in app.status.value
    assert f"notes on {first.name}" in app.feedback.value and "Right:" in app.feedback.value
    assert "MC/INF/294" in app.feedback.value
    app.next.click()
    assert app.returnee.id != first.id and app.decision.value is None
    assert "Not answered yet" in app.feedback.value  # this person's notes: not answered yet
    for _ in range(len(app.returnees) - 1):
        _answer_on_screen(app)
        app.next.click()
    app.submit.click()
    assert "Attempt 2 of 3: 100%" in app.status.value
    app.picker.value = 2
    assert app.decision.value == decide(app.returnee).decision  # answers stay per person
    rows = Store(store_path).attempts(learner="return-test", exercise_id="m9_return_decisions")
    assert len(rows) == 2 and rows[-1].score == 1.0
    assert set(rows[-1].answer) == {r.id for r in load_caseload("return_desk").returnees}
    # a wrong, harmful measure: named, and the score drops
    app.checks["detain"].value = True
    assert "changed your answer" in app.feedback.value  # stale until submitted again
    app.submit.click()
    assert "Never here" in app.feedback.value and "Attempt 3 of 3: 94%" in app.status.value
    # a new page: the three attempts are used; the last one's answers are back, and its notes
    again = ReturnDeskApp(recorder=recorder)
    assert "used the 3 attempts" in again.status.value and len(again.answers) == 9
    again.picker.value = 2
    assert "Never here" in again.feedback.value
    assert again.answers[app.returnee.id]["measures"][-1] == "detain"


def test_return_desk_after_a_reload(recorder, store_path):
    """A reload after two submits (cold trial, issue 13): the page shows the last attempt, its
    number and the grade, with its answers back even when no draft brought them back (a
    preheated kernel's page showed an empty form under "you have changed your answer since
    this feedback"); the stale note only once the learner changes something."""
    import sqlite3

    app = ReturnDeskApp(recorder=recorder)
    _answer_on_screen(app)
    app.submit.click()
    app.next.click()
    _answer_on_screen(app)
    app.submit.click()
    assert "Attempt 2 of 3" in app.status.value
    last = Store(store_path).attempts(learner="return-test")[-1]
    for drafts in ("kept", "lost"):
        if drafts == "lost":
            with sqlite3.connect(store_path) as db:
                db.execute("DELETE FROM drafts")
        again = ReturnDeskApp(recorder=Recorder(Store(store_path), "return-test", session=""))
        assert again.answers == last.answer, drafts
        assert "2 of 9 people answered" in again.progress.value, drafts
        assert "Attempt 2 of 3: 22%" in again.status.value, drafts
        assert "Your grade for this exercise: 22%" in again.status.value, drafts
        assert "Right:" in again.feedback.value, drafts
        assert "changed your answer" not in again.feedback.value, drafts
        assert not again.submit.disabled, drafts
    again.checks["detain"].value = True  # a change: now the feedback is stale
    assert "changed your answer" in again.feedback.value


def test_reintegration_programme(recorder, store_path):
    app = ReintegrationApp(recorder=recorder)
    p = app.params.returnee
    assert p.name in app.widget.children[2].value or any(
        p.name in getattr(c, "value", "") for c in app.widget.children
    )
    app.submit.click()
    assert "Nothing to grade yet" in app.status.value
    app.sliders["cash"].value = 1500
    app.sliders["jobs"].value = 900
    assert "Over the budget by EUR 400" in app.live.value
    app.submit.click()
    assert "over the budget of EUR 2,000" in app.status.value
    assert Store(store_path).attempts(learner="return-test") == []  # nothing recorded
    app.sliders["jobs"].value = 600  # still over: the refusal stays
    assert "over the budget of EUR 2,000" in app.status.value
    app.sliders["jobs"].value = 500  # within the budget: the refusal goes
    assert "over the budget" not in app.status.value
    # the live table is the model's figures for this programme, for every returnee
    prog = app.programme()
    for person in [p, *app.params.others]:
        for d, s in rm.run(person, prog).scores.items():
            assert f"{s:.2f}" in app.live.value, (person.name, d)
    app.submit.click()
    assert "Attempt 1:" in app.status.value and app.hint.disabled
    # A page that enables the button itself gets no answer from the kernel (cold trial).
    app._on_hint(None)
    assert "after two attempts" in app.hint_box.value and "EUR" not in app.hint_box.value
    best, out = reference_programme(app.exercise)
    for m, v in best.items():
        app.sliders[m].value = int(v)
    app.submit.click()
    assert "Attempt 2: 100%" in app.status.value and not app.hint.disabled
    app.hint.click()
    for m, v in best.items():
        if v:
            assert f"{rm.MEASURES[m].lower()} EUR {v:,.0f}" in app.hint_box.value
    shown = [float(x) for x in re.findall(r"\d\.\d\d", app.hint_box.value)]
    assert shown == [round(s, 2) for s in out.scores.values()]
    rows = Store(store_path).attempts(learner="return-test", exercise_id=app.exercise.id)
    assert [r.score for r in rows][-1] == 1.0


def test_assumptions_are_all_shown_with_their_sources():
    html = assumptions_html()
    rows = rm.assumptions()
    assert html.count("<tr") >= len(rows)
    assert html.count("teaching assumption, unsourced") == len(rows)
    assert "could not be verified" in html
    assert f"{len(rows)} coefficients, {len(rows)} of them with a size no study backs" in html


def test_the_app_builds_its_steps_when_opened(recorder, store_path):
    app = ReturnApp(recorder=recorder)
    assert set(app.parts) == {"desk"}
    app.step.value = "mobility"
    mob = app.parts["mobility"]
    assert mob.exercise.id == "m9_labour_mobility"
    mob.choices["future"].value = "down"
    mob.submit.click()
    assert "Score:" in mob.feedback.value and "¶26" in mob.feedback.value
    app.step.value = "programme"
    assert isinstance(app.parts["programme"], ReintegrationApp)
    assert return_app(recorder=recorder) is not None


def test_module_9_attempts_in_the_dashboard_and_exports(tmp_path):
    """Like the other modules' (tests/test_course_part2_reported.py): deliberately imperfect
    answers, graded for real, recorded for two learners, show in the facilitator's overview,
    its wrong answers (with the reason's source) and the exports."""
    from mixedflows import facilitator
    from mixedflows.exercises import load_exercise
    from mixedflows.grading import grade

    answers = {
        "m9_return_decisions": {"amadou": {"decision": "voluntary_return", "measures": []}},
        "m9_reintegration_programme": {"cash": 2000},
        "m9_labour_mobility": {"future": "up", "present": "down"},
    }
    store = Store(tmp_path / "a.sqlite")
    for who in ("ana", "bo"):
        rec = Recorder(store, learner=who, session="ws")
        for ex_id, answer in answers.items():
            result = grade(load_exercise(ex_id), answer)
            assert 0 <= result.score < 1
            assert rec.record(ex_id, answer, result) is not None
    attempts = store.attempts(session="ws")
    overview = facilitator.session_report(attempts, "ws").overview.set_index("exercise_id")
    wrong = facilitator.wrong_answers(attempts, top=None)
    export = facilitator.session_export(attempts, "ws")
    for ex_id in answers:
        assert overview.loc[ex_id, "participants"] == 2
        rows = wrong[wrong.exercise_id == ex_id]
        assert len(rows) and (rows.participants == 2).all(), ex_id
        assert rows.why.str.contains("MC/INF/294").any(), ex_id
        assert ex_id in export.grades and load_exercise(ex_id).title in export.summary
    amadou = wrong[wrong.exercise_id == "m9_return_decisions"]
    assert amadou.why.str.contains("best-interests determination").any()


def test_best_programmes_are_the_model_optimised_and_shown_only_when_asked(tmp_path):
    from mixedflows.exercises import load_exercise
    from mixedflows.store import Store, make_row
    from mixedflows.widgets.common import Recorder
    from mixedflows.widgets.returns import best_programmes

    store = Store(tmp_path / "a.sqlite")
    box = best_programmes(recorder=Recorder(store, learner="ana", session="room"))
    button, status, out = box.children[1], box.children[2], box.children[3]
    assert out.value == ""  # the reference answer is not on the page before it is asked for
    button.click()  # nor when asked before an attempt (issue 14): it says why
    assert out.value == "" and "Submit the exercise above first" in status.value
    ex = "m9_reintegration_programme"
    row = make_row(learner="ana", session="room", exercise_id=ex, answer={}, score=0, feedback=None)
    store.insert(row)
    button.click()
    assert status.value == ""
    params = load_exercise("m9_reintegration_programme").params
    for person in [params.returnee, *params.others]:
        prog, res = rm.best_programme(
            person, params.budget, params.step, params.targets, params.weights
        )
        row = out.value.split(person.name, 1)[1].split("</tr>", 1)[0]
        assert ", ".join(f"{s:.2f}" for s in res.scores.values()) in row
        assert [f"{prog[m]:,.0f}" for m in rm.MEASURES] == re.findall(
            r"<td[^>]*>([0-9,]+)</td>", row
        )[: len(rm.MEASURES)]
