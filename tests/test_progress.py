"""Progress export and import (issue 16): a learner's attempts and drafts as one file, checked
whole on import, added exactly once to a fresh store, with no feedback (which can show answers)
in it; a changed or damaged file refused with what is wrong; the Binder notice."""

from __future__ import annotations

import json

import pytest

from mixedflows import exercises as ex
from mixedflows import progress
from mixedflows.exercises import load_exercise
from mixedflows.grading import cohort_reference, grade
from mixedflows.store import Store
from mixedflows.widgets import ui


def _learner_with_work(path, learner="amina-k") -> Store:
    store = Store(str(path))
    boat = load_exercise("m1_who_is_in_the_boat")
    ref = cohort_reference(boat)
    answer = {pid: r for pid, r in list(ref.items())[:3]}
    result = grade(boat, answer)
    store.record(
        learner=learner,
        exercise_id=boat.id,
        answer=answer,
        score=result.score,
        feedback=result.to_json(),
        feedback_items=result.items_json(),
        grade_shown=f"{result.score:.0%}",
    )
    store.record(learner="someone-else", exercise_id=boat.id, answer={}, score=0.0, feedback="x")
    store.save_draft(learner=learner, exercise_id="m5_screening_desk", draft={"case": 2})
    return store


def test_export_import_continue_and_exactly_once(tmp_path):
    old = _learner_with_work(tmp_path / "old.sqlite")
    data = progress.export_progress(old, "amina-k")
    body = json.loads(data)
    assert [a["exercise_id"] for a in body["attempts"]] == ["m1_who_is_in_the_boat"]
    assert body["drafts"][0]["draft"] == {"case": 2}
    # No feedback in the file: it can say what the right answer was.
    for a in body["attempts"]:
        assert "feedback" not in a and "feedback_items" not in a
    assert "someone-else" not in data.decode()

    fresh = Store(str(tmp_path / "fresh.sqlite"))
    r = progress.import_progress(fresh, "amina-k", data)
    assert (r.attempts_added, r.attempts_already_here, r.drafts_added) == (1, 0, 1)
    (a,) = fresh.attempts(learner="amina-k")
    (orig,) = old.attempts(learner="amina-k")
    assert (a.uid, a.score, a.answer, a.created_at) == (
        orig.uid,
        orig.score,
        orig.answer,
        orig.created_at,
    )
    assert a.feedback["imported"] is True
    assert fresh.load_draft(learner="amina-k", exercise_id="m5_screening_desk") == {"case": 2}
    # The learner continues: a new attempt, then the same file again adds nothing.
    fresh.record(
        learner="amina-k", exercise_id="m1_who_is_in_the_boat", answer={}, score=0, feedback=""
    )
    r2 = progress.import_progress(fresh, "amina-k", data)
    assert (r2.attempts_added, r2.attempts_already_here) == (0, 1)
    assert len(fresh.attempts(learner="amina-k")) == 2
    assert "0 attempt(s) added, 1 already here" in r2.summary("amina-k")


@pytest.mark.parametrize(
    "damage, says",
    [
        (lambda b: b.replace(b'"score": 0', b'"score": 1', 1), "changed or damaged"),
        (lambda b: b[: len(b) // 2], "not JSON"),
        (lambda b: b"\xff\xfe" + b, "not text"),
        (lambda b: b'{"format": "something else"}', "not a Mixed Flows Lab progress file"),
        (lambda b: b.replace(b'"version": 1', b'"version": 9'), "version 9"),
    ],
)
def test_a_changed_or_damaged_file_is_refused_and_nothing_is_written(tmp_path, damage, says):
    old = _learner_with_work(tmp_path / "old.sqlite")
    data = progress.export_progress(old, "amina-k")
    fresh = Store(str(tmp_path / "fresh.sqlite"))
    bad = damage(data)
    assert bad != data
    with pytest.raises(progress.ProgressFileError, match=says):
        progress.import_progress(fresh, "amina-k", bad)
    assert fresh.attempts() == [] and fresh.drafts("amina-k") == []


def test_a_score_edited_and_resealed_is_caught_by_grading_again(tmp_path, monkeypatch):
    """Someone who recomputes the digest after raising a score: the answer is graded again."""
    choice = ex.ChoiceExercise.model_validate(
        {
            "id": "q_choice",
            "title": "Q",
            "module": 2,
            "seed_paragraphs": [3],
            "instructions": "Pick.",
            "type": "single_choice",
            "question": "Which need comes first?",
            "options": [
                {"id": "urgent_medical", "label": "Urgent medical care"},
                {"id": "counselling", "label": "Counselling"},
            ],
            "reference": {
                "rule": "screening.first_need",
                "args": {
                    "case": {
                        "age": 30,
                        "sex": "male",
                        "nationality": "ERI",
                        "urgent": ["hypothermia"],
                    }
                },
            },
        }
    )
    real = ex.load_exercise
    monkeypatch.setattr(ex, "load_exercise", lambda i: choice if i == "q_choice" else real(i))
    store = Store(str(tmp_path / "s.sqlite"))
    wrong = grade(choice, "counselling")
    assert wrong.score == 0
    store.record(learner="k", exercise_id="q_choice", answer="counselling", score=0.0, feedback="")
    body = json.loads(progress.export_progress(store, "k"))
    body.pop("sha256")
    body["attempts"][0]["score"] = 1.0
    body["sha256"] = progress._digest(body)
    with pytest.raises(progress.ProgressFileError, match="says 100% but its answer grades 0%"):
        progress.read_progress(json.dumps(body).encode())
    # Untouched, it imports.
    body["attempts"][0]["score"] = 0.0
    body.pop("sha256")
    body["sha256"] = progress._digest(body)
    assert progress.read_progress(json.dumps(body).encode())["attempts"][0]["score"] == 0.0


def test_in_a_session_only_your_own_progress_is_imported(tmp_path):
    old = _learner_with_work(tmp_path / "old.sqlite")
    data = progress.export_progress(old, "amina-k")
    fresh = Store(str(tmp_path / "fresh.sqlite"))
    with pytest.raises(progress.ProgressFileError, match="only your own progress"):
        progress.import_progress(fresh, "officer-z", data, own_only=True)
    assert fresh.attempts() == []
    # Self-paced (Binder gives a new pseudonym each time): taken, and said whose it was.
    r = progress.import_progress(fresh, "learner-new", data)
    assert "saved as 'amina-k' in the file, now under 'learner-new'" in r.summary("learner-new")


def test_binder_notice_only_where_the_store_is_temporary(monkeypatch):
    for k in ("MIXEDFLOWS_STORE_TEMPORARY", *progress._TEMPORARY_ENV):
        monkeypatch.delenv(k, raising=False)
    assert progress.temporary_store_notice() == ""
    assert "not kept" not in ui.title("Who is in the boat?")
    monkeypatch.setenv("BINDER_REPO_URL", "https://github.com/example/course")
    notice = progress.temporary_store_notice()
    assert notice.startswith("This course runs on Binder: your progress is not kept")
    monkeypatch.setattr(ui, "_notice_shown", False, raising=False)  # a new page (kernel)
    assert ui.esc(notice) in ui.title("Who is in the boat?")
    assert "not kept" not in ui.title("Step 2")  # once per page, under its first title
    monkeypatch.delenv("BINDER_REPO_URL")
    monkeypatch.setenv("MIXEDFLOWS_STORE_TEMPORARY", "a temporary training server")
    assert progress.temporary_store_notice().startswith(
        "This course runs on a temporary training server: your progress is not kept"
    )


def test_binder_start_sets_the_notice():
    from pathlib import Path

    text = (Path(__file__).resolve().parents[1] / "binder" / "start").read_text()
    assert 'export MIXEDFLOWS_STORE_TEMPORARY="${MIXEDFLOWS_STORE_TEMPORARY:-Binder}"' in text


def test_imported_attempts_do_not_count_towards_a_certificate(tmp_path):
    """A progress file is sealed with no secret: a hand-made one with every exercise at 100 %
    imports (to continue), but earns no completed module and no certificate."""
    from mixedflows import certificate, knowledge
    from mixedflows.exercises import list_exercises

    every = [*list_exercises(), knowledge.START, knowledge.END]
    # A 100 % that its answer does not earn is refused where the answer can be graded again:
    graded_again = [e for e in every if progress.regraded_score(e, {}) is not None]
    assert len(graded_again) >= 10
    with pytest.raises(progress.ProgressFileError, match="says 100% but its answer grades"):
        progress.import_progress(
            Store(str(tmp_path / "r.sqlite")), "mallory", _forged("mallory", "", graded_again)
        )
    # ... the rest (graded with what the page held, not in the file) imports, earning nothing.
    ids = [e for e in every if e not in graded_again]
    body = {
        "format": progress.FORMAT,
        "version": progress.VERSION,
        "learner": "mallory",
        "exported_at": "2026-12-02T10:00:00+00:00",
        "attempts": [
            {
                "uid": f"forged-{i}",
                "exercise_id": e,
                "session": "",
                "answer": {},
                "score": 1.0,
                "grade_shown": "100 %",
                "created_at": "2026-12-02T09:00:00.000+00:00",
            }
            for i, e in enumerate(ids)
        ],
        "drafts": [],
    }
    body["sha256"] = progress._digest(body)
    store = Store(str(tmp_path / "s.sqlite"))
    r = progress.import_progress(store, "mallory", json.dumps(body).encode())
    rooms = [e for e in ids if progress.room_exercise(e)]
    assert rooms == ["m10_landing_roles"]
    assert (r.attempts_added, r.room_skipped) == (len(ids) - 1, 1)
    st = certificate.standing("mallory", store.attempts(learner="mallory"))
    assert st.completed == () and not st.took_start and not st.took_end


def _forged(learner: str, session: str, ids: list[str], score: float = 1.0) -> bytes:
    """A progress file written by hand and sealed by the public recipe (no secret)."""
    body = {
        "format": progress.FORMAT,
        "version": progress.VERSION,
        "learner": learner,
        "exported_at": "2026-12-02T10:00:00+00:00",
        "attempts": [
            {
                "uid": f"forged-{i}",
                "exercise_id": e,
                "session": session,
                "answer": {},
                "score": score,
                "grade_shown": "100%",
                "created_at": "2026-12-02T09:00:00.000+00:00",
            }
            for i, e in enumerate(ids)
        ],
        "drafts": [],
    }
    body["sha256"] = progress._digest(body)
    return json.dumps(body).encode()


def test_forged_file_never_reaches_the_facilitator_grades(tmp_path, capsys):
    """Issue 16 (blocker): a forged file imported in session SELF3 adds nothing to SELF3's LMS
    export, dashboard tables or gains; its attempts keep no session, are marked imported, and
    a room exercise is not imported at all; the message says they do not count."""
    from mixedflows import certificate
    from mixedflows import facilitator as fac
    from mixedflows.server import cli

    path = tmp_path / "s.sqlite"
    store = Store(str(path))
    boat = load_exercise("m1_who_is_in_the_boat")
    store.record(
        learner="Eve", session="SELF3", exercise_id=boat.id, answer={}, score=0.25, feedback="x"
    )
    ids = [
        "m1_who_is_in_the_boat",
        "m5_screening_desk",
        "m9_return_decisions",
        "m10_landing_roles",
        "m11_season_on_the_route",
    ]
    # m9's answer grades 0 %: the file as the trial wrote it (all at 100 %) is refused whole.
    with pytest.raises(progress.ProgressFileError, match="m9_return_decisions"):
        progress.import_progress(store, "Eve", _forged("Eve", "SELF3", ids), own_only=True)
    # With m9 at the score its answer earns, the rest (not gradable from a file) at 100 %.
    body = json.loads(_forged("Eve", "SELF3", ids))
    body.pop("sha256")
    body["attempts"][2]["score"] = progress.regraded_score("m9_return_decisions", {})
    body["sha256"] = progress._digest(body)
    data = json.dumps(body).encode()
    r = progress.import_progress(store, "Eve", data, own_only=True)
    assert (r.attempts_added, r.room_skipped) == (4, 1)
    said = r.summary("Eve")
    assert "room exercise not imported" in said and "do not count towards your grades" in said

    mine = store.attempts(learner="Eve")
    assert "m10_landing_roles" not in {a.exercise_id for a in mine}
    forged = [a for a in mine if certificate.imported(a)]
    assert len(forged) == 4
    assert {a.session for a in forged} == {""}
    assert {a.feedback["session_in_file"] for a in forged} == {"SELF3"}
    assert store.attempts(session="SELF3") == [a for a in mine if not certificate.imported(a)]

    # Every session's grades (no --session) and SELF3's: only the genuine 25 %.
    for session in ("SELF3", None):
        out = tmp_path / f"out-{session}"
        argv = ["export", "--store", str(path), "--out", str(out)]
        assert cli.main(argv + (["--session", session] if session else [])) == 0
        (csv,) = out.glob("*grades*.csv")
        text = csv.read_text(encoding="utf-8")
        assert "m5_screening_desk" not in text and "m11_season_on_the_route" not in text
        assert ",100" not in text and "100.0" not in text
        assert "m1_who_is_in_the_boat" in text
    assert "4 attempt(s) imported from progress files left out" in capsys.readouterr().err
    rep = fac.session_report(store.attempts(), "")
    assert rep.attempts == 1
    assert set(rep.progress.to_string().split()) >= {"Eve"}
    assert "m9_return_decisions" not in rep.overview.to_string()
    # Where the learner's attempts are listed ('My progress'), the imported ones are marked.
    from mixedflows.widgets.my_progress import ProgressApp

    app = ProgressApp(store=store, learner="Eve")
    app.refresh()
    assert "holds 5 attempt(s) of yours" in app.summary.value
    assert "4 of these attempts were imported from a progress file" in app.summary.value
    assert "do not count towards your grades or the certificate" in app.summary.value


def test_a_forged_attempt_with_the_genuine_uid_does_not_block_it(tmp_path):
    """Issue 16: a forged file reusing the uid of a genuine attempt (Eve's own, or another
    learner's) imported first; the genuine file then still adds its attempt, exactly once."""
    old = _learner_with_work(tmp_path / "old.sqlite", learner="Eve")
    genuine = progress.export_progress(old, "Eve")
    (orig,) = json.loads(genuine)["attempts"]
    forged = json.loads(_forged("Eve", "", ["m1_who_is_in_the_boat"], score=0.25))
    forged["attempts"][0]["uid"] = orig["uid"]
    forged.pop("sha256")
    forged["sha256"] = progress._digest(forged)

    store = Store(str(tmp_path / "new.sqlite"))
    progress.import_progress(store, "Eve", json.dumps(forged).encode())
    r = progress.import_progress(store, "Eve", genuine)
    assert (r.attempts_added, r.attempts_already_here) == (1, 0)
    assert sorted(a.answer == orig["answer"] for a in store.attempts(learner="Eve")) == [
        False,
        True,
    ]
    again = progress.import_progress(store, "Eve", genuine)
    assert (again.attempts_added, again.attempts_already_here) == (0, 1)

    # Another learner's forged attempt took the uid first: Bob's own file still adds his.
    other = Store(str(tmp_path / "other.sqlite"))
    progress.import_progress(other, "Eve", json.dumps(forged).encode())
    bobs = genuine.replace(b'"learner": "Eve"', b'"learner": "Bob"')
    body = json.loads(bobs)
    body.pop("sha256")
    body["sha256"] = progress._digest(body)
    r = progress.import_progress(other, "Bob", json.dumps(body).encode())
    assert r.attempts_added == 1
    ((bob,),) = [other.attempts(learner="Bob")]
    assert bob.answer == orig["answer"] and bob.score == orig["score"]
    assert progress.import_progress(other, "Bob", json.dumps(body).encode()).attempts_added == 0
