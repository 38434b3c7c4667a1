"""Issue 15, around the modules: the knowledge check at the start and the end (items drawn from
the modules' exercises, graded by their graders; the gain per participant and for the room),
the completion rule and the certificate, verified against the store; a forged or altered code
refused."""

from __future__ import annotations

import functools
import json
import math

import pytest

from mixedflows import certificate, knowledge
from mixedflows.exercises import load_exercise
from mixedflows.grading import grade
from mixedflows.results import AnswerError
from mixedflows.store import Store


def _full_credit_answers() -> dict[str, str]:
    """For each question, the option its source exercise's own grader gives full credit (the
    reference derived by the exercise's rule, not typed here); worked out once a run."""
    return dict(_full_credit_once())


@functools.cache
def _full_credit_once() -> dict[str, str]:
    out = {}
    for item in knowledge.check_items():
        ex = load_exercise(item.exercise_id)
        for value, _label in item.options:
            one = knowledge.grade_check({"phase": "end", "answers": {item.key: value}})
            (fb,) = [f for f in one.items if f.item == item.key]
            if fb.credit >= 0.999:
                out[item.key] = value
                break
        assert item.key in out, f"no option of {item.key} earns full credit in {ex.id}"
    return out


def test_items_are_the_exercises_questions():
    items = knowledge.check_items()
    assert {i.exercise_id for i in items} == set(knowledge.SOURCES)
    for ex_id in knowledge.SOURCES:
        ex = load_exercise(ex_id)
        mine = [i for i in items if i.exercise_id == ex_id]
        assert mine and all(i.module == ex.module for i in mine)
    m3 = load_exercise("m3_development_and_emigration")
    assert [i.item_id for i in items if i.exercise_id == m3.id] == [x.id for x in m3.params.items]
    assert sum(i.exercise_id == "m2_reading_the_data" for i in items) == knowledge.DATA_QUESTIONS


def test_each_question_graded_as_its_exercise_grades_it():
    """The check's credit for a question is the credit the source exercise's grader gives
    the same answer, question by question."""
    for item in knowledge.check_items():
        ex = load_exercise(item.exercise_id)
        for value, _label in item.options:
            ours = knowledge.grade_check({"phase": "start", "answers": {item.key: value}})
            (fb,) = [f for f in ours.items if f.item == item.key]
            if ex.model == "flows.data_reading":
                theirs = grade(ex, {"seed": ex.params.seed, "answers": {item.item_id: value}})
            else:
                theirs = grade(ex, {item.item_id: value})
            (ref,) = [f for f in theirs.items if f.item == item.item_id]
            assert fb.credit == ref.credit and fb.message == ref.message, item.key
            assert fb.given == dict(item.options)[value]


def test_score_blank_and_bad_answers():
    right = _full_credit_answers()
    full = knowledge.grade_check({"phase": "end", "answers": right})
    assert full.score == 1.0 and full.exercise_id == knowledge.END
    blank = knowledge.grade_check({"phase": "start", "answers": {}})
    assert blank.score == 0.0 and not any(f.answered for f in blank.items)
    half = dict(list(right.items())[: len(right) // 2])
    part = knowledge.grade_check({"phase": "start", "answers": half})
    assert part.score == pytest.approx(len(half) / len(right), abs=1e-4)
    with pytest.raises(AnswerError, match="phase"):
        knowledge.grade_check({"phase": "middle", "answers": {}})
    with pytest.raises(AnswerError, match="not a question"):
        knowledge.grade_check({"phase": "end", "answers": {"m1/x": "a"}})
    with pytest.raises(AnswerError, match="options"):
        knowledge.grade_check({"phase": "end", "answers": {next(iter(right)): "nonsense"}})


def _attempt(store: Store, who: str, ex_id: str, score: float | None, session: str = "s") -> int:
    return store.record(
        learner=who, exercise_id=ex_id, answer={}, score=score, feedback={}, session=session
    )


def test_gain_per_participant_and_room(tmp_path):
    with Store(tmp_path / "a.sqlite") as s:
        _attempt(s, "ana", knowledge.START, 0.2)
        _attempt(s, "ana", knowledge.START, 0.9)  # a second start: the first counts
        _attempt(s, "ana", knowledge.END, 0.6)
        _attempt(s, "ana", knowledge.END, 0.8)  # the latest end counts
        _attempt(s, "bo", knowledge.START, 0.5)
        _attempt(s, "bo", knowledge.END, 0.5)
        _attempt(s, "cy", knowledge.START, 0.4)  # no end yet
        table = knowledge.gains(s.attempts())
    rows = {r.participant: r for r in table.itertuples(index=False)}
    assert rows["ana"].gain == pytest.approx(0.6)
    assert rows["ana"].normalised_gain == pytest.approx(0.75)
    assert rows["bo"].gain == 0 and rows["bo"].normalised_gain == 0
    assert math.isnan(rows["cy"].gain) and math.isnan(rows["cy"].end)
    room = knowledge.room_gain(table)
    assert (room.both, room.took_start, room.took_end) == (2, 3, 2)
    assert room.gain == pytest.approx(0.3) and room.start == pytest.approx(0.35)


def test_dashboard_shows_gains(tmp_path):
    from mixedflows.widgets.dashboard import Dashboard

    with Store(tmp_path / "a.sqlite") as s:
        _attempt(s, "ana", knowledge.START, 0.2, "ws")
        _attempt(s, "ana", knowledge.END, 0.8, "ws")
        _attempt(s, "bo", knowledge.START, 0.5, "ws")
        d = Dashboard(s, "ws")
        d.refresh(force=True)
        html = d.gains.value
    assert "The room (1 participant(s) who took both): 20% at the start, 80% at the end" in html
    assert "+60 points" in html and "75%" in html
    assert html.count("<tr") == 3  # the header, ana, bo (no end yet: no gain)
    assert "Knowledge check (start of the course)" in d.overview.value


# --- completion and certificates ---------------------------------------------------------------


def _complete(store: Store, who: str, modules: int = certificate.REQUIRED_MODULES) -> list[int]:
    """Attempts at every exercise of the first ``modules`` modules at 70 %, and both checks."""
    done = list(certificate.course_exercises())[:modules]
    for m in done:
        for ex_id in certificate.course_exercises()[m]:
            _attempt(store, who, ex_id, 0.7)
    _attempt(store, who, knowledge.START, 0.3)
    _attempt(store, who, knowledge.END, 0.8)
    return done


def test_the_rule_counts_modules_and_both_checks(tmp_path):
    with Store(tmp_path / "a.sqlite") as s:
        done = _complete(s, "ana")
        assert certificate.standing("ana", s.attempts()).complete
        st = certificate.standing("ana", s.attempts())
        assert list(st.completed) == done
        # One exercise below the pass grade: that module is not completed, nor the course.
        first = certificate.course_exercises()[done[0]][0]
        _attempt(s, "bo", first, 0.5)
        _complete(s, "cy", certificate.REQUIRED_MODULES - 1)
        st = certificate.standing("cy", s.attempts())
        assert not st.complete and len(st.completed) == certificate.REQUIRED_MODULES - 1
        assert any("complete 1 more module" in t for t in st.missing())
        with pytest.raises(certificate.NotCompletedError, match="1 more module"):
            certificate.issue(s, "cy")
        _attempt(s, "dee", knowledge.END, 1.0)
        st = certificate.standing("dee", s.attempts())
        assert "take the knowledge check at the start" in st.missing()


def test_the_facilitator_prints_the_name_the_learner_kept(tmp_path):
    """issue_many (the dashboard's path on a hub) prints the name each learner typed and kept,
    the pseudonym for one who kept none or an empty name, and a hostile draft is not printed."""
    with Store(tmp_path / "a.sqlite") as s:
        for who in ("ana", "bo", "cy", "dee"):
            _complete(s, who)
        assert certificate.keep_print_name(s, "ana", " Ana\tMaría  Pérez ") == "Ana María Pérez"
        assert certificate.keep_print_name(s, "bo", "   ") == "bo"
        s.save_draft(learner="cy", exercise_id=certificate.PRINT_NAME_DRAFT, draft=["x"])
        issued, not_yet = certificate.issue_many(s, ["ana", "bo", "cy", "dee"])
        assert not_yet == {}
        assert {c.learner: c.name for c in issued} == {
            "ana": "Ana María Pérez",
            "bo": "bo",
            "cy": "cy",
            "dee": "dee",
        }
        ana = next(c for c in issued if c.learner == "ana")
        assert "Ana María Pérez" in ana.html() and certificate.verify(s, ana.code).ok


def test_certificate_verified_forged_and_altered_refused(tmp_path, capsys):
    from mixedflows.server import cli

    location = tmp_path / "a.sqlite"
    with Store(location) as s:
        _complete(s, "ana")
        cert = certificate.issue(s, "ana", "Amina <Diallo>")
        ok = certificate.verify(s, cert.code)
        assert ok.ok and "Amina <Diallo>" in ok.message
        assert certificate.verify(s, cert.code.lower().replace("-", " ")).ok  # as typed

    html = cert.html()
    assert "Amina &lt;Diallo&gt;" in html and "<Diallo>" not in html
    assert cert.code in html and cert.date in html and "Pseudonym in the course: ana" in html
    assert all(certificate.module_title(m) in html for m in cert.modules)
    assert "<script" not in html and "http" not in html.replace("http-equiv", "")

    assert cli.main(["certificate", "verify", cert.code, "--store", str(location)]) == 0
    assert "Valid" in capsys.readouterr().out

    serial, mac = certificate.parse_code(cert.code)
    flip = "A" if mac[-1] != "A" else "B"
    altered = certificate.format_code(serial, mac[:-1] + flip)
    assert cli.main(["certificate", "verify", altered, "--store", str(location)]) == 1
    assert "Refused: this code was altered" in capsys.readouterr().err

    other = "B" if serial[0] != "B" else "C"
    forged = certificate.format_code(other + serial[1:], mac)
    assert cli.main(["certificate", "verify", forged, "--store", str(location)]) == 1
    assert "no certificate with the code" in capsys.readouterr().err

    assert cli.main(["certificate", "verify", "hello", "--store", str(location)]) == 1
    assert "'hello' is not a certificate code" in capsys.readouterr().err
    # A huge input is not echoed whole (issue 15): its start and its length.
    assert cli.main(["certificate", "verify", "A" * 100_000, "--store", str(location)]) == 1
    err = capsys.readouterr().err
    assert len(err) < 400 and "(100,000 characters) is not a certificate code" in err

    # Another store (its own secret, no such certificate): refused.
    elsewhere = tmp_path / "b.sqlite"
    with Store(elsewhere) as s:
        _complete(s, "ana")
        certificate.issue(s, "ana")
    assert cli.main(["certificate", "verify", cert.code, "--store", str(elsewhere)]) == 1
    assert "no certificate with the code" in capsys.readouterr().err

    # A record the certificate rests on changed in the store: refused, said so.
    with Store(location) as s:
        s._conn.execute(
            "UPDATE attempts SET score = 1.0 WHERE learner = 'ana' AND exercise_id = ?",
            (knowledge.END,),
        )
    assert cli.main(["certificate", "verify", cert.code, "--store", str(location)]) == 1
    assert "no longer match this certificate (1 of the" in capsys.readouterr().err


def test_the_secret_is_made_once_per_store(tmp_path):
    with Store(tmp_path / "a.sqlite") as s:
        _complete(s, "ana")
        a = certificate.issue(s, "ana")
        b = certificate.issue(s, "ana", "A. N. Other")
        secret = s.get_meta("certificate_secret")
        assert a.code != b.code and len(bytes.fromhex(secret)) == 32
        assert certificate.verify(s, a.code).ok and certificate.verify(s, b.code).ok
        record = json.loads(s.get_meta("certificate:" + certificate.parse_code(b.code)[0]))
        assert record["name"] == "A. N. Other" and record["learner"] == "ana"


# --- the app, without a browser ----------------------------------------------------------------


def test_the_app_start_then_end_then_certificate(tmp_path):
    import base64
    import re

    from mixedflows.widgets.common import Recorder
    from mixedflows.widgets.course_check import CourseCheck

    store = Store(tmp_path / "a.sqlite")
    app = CourseCheck(recorder=Recorder(store=store, learner="ana", session="s"))
    assert app.phase == "start" and "start" in app.submit.description
    assert "Show my progress" in app.progress.value  # not computed at start-up
    app.show.click()
    assert "Modules completed: none yet" in app.progress.value
    assert app.submit_answer() is None and "Answer at least one" in app.status.value
    right = _full_credit_answers()
    first = next(iter(right))
    app.choices[first].value = right[first]
    result = app.submit_answer()
    assert result.exercise_id == knowledge.START
    assert "Your score at the start" in app.status.value and app.feedback.value == ""
    assert app.phase == "end" and all(rb.value is None for rb in app.choices.values())
    for key, value in right.items():
        app.choices[key].value = value
    result = app.submit_answer()
    assert result.exercise_id == knowledge.END and result.score == 1.0
    gain = round((1.0 - store.attempts(exercise_id=knowledge.START)[0].score) * 100)
    assert f"your gain: +{gain} points" in app.status.value
    assert "Question 1" in app.feedback.value

    assert app.prepare_certificate() is None
    assert "complete 8 more module(s)" in app.cert_status.value and app.download.value == ""
    for m in list(certificate.course_exercises())[: certificate.REQUIRED_MODULES]:
        for ex_id in certificate.course_exercises()[m]:
            _attempt(store, "ana", ex_id, 0.9)
    app.refresh()
    assert "You meet it" in app.progress.value
    app.print_name.value = "Amina D."
    cert = app.prepare_certificate()
    data = re.search(r'base64,([^"]+)"', app.download.value).group(1)
    html = base64.b64decode(data).decode("utf-8")
    assert "Amina D." in html and cert.code in html and cert.code in app.cert_status.value
    assert certificate.verify(store, cert.code).ok
    store.close()


def test_the_score_sentence_counts_partial_credit():
    """Issue 15: "25 % (2 of 10 questions right)" with a half-credit item: the sentence names
    the partial credit, so it adds up to the score beside it."""
    right = _full_credit_answers()
    items = knowledge.check_items()
    half = None
    for n in range(max(len(i.options) for i in items)):  # the n-th option of every question
        tried = {i.key: i.options[n][0] for i in items if len(i.options) > n}
        graded = knowledge.grade_check({"phase": "start", "answers": tried})
        half = next(((f.item, tried[f.item]) for f in graded.items if 0 < f.credit < 1), None)
        if half:
            break
    assert half, "no question of the check gives partial credit"
    answers = {k: v for k, v in list(right.items())[:2] if k != half[0]}
    answers[half[0]] = half[1]
    r = knowledge.grade_check({"phase": "start", "answers": answers})
    credits = [f.credit for f in r.items]
    n_right = sum(c >= 0.999 for c in credits)
    partial = [c for c in credits if 0 < c < 0.999]
    assert len(partial) == 1
    assert r.summary.startswith(
        f"{n_right} of {len(credits)} questions right, plus partial credit on 1 ("
    )
    assert f"{partial[0]:g} of a point)." in r.summary
    assert r.score == pytest.approx((n_right + partial[0]) / len(credits), abs=1e-4)
    whole = knowledge.grade_check({"phase": "end", "answers": right})
    assert whole.summary == f"{len(right)} of {len(whole.items)} questions right."
