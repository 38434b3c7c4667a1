"""The exercises of modules 4 (rescue), 6 and 7 are recorded in the store through the apps'
recorder, and show in the facilitator's tables (overview, wrong answers with the reason and its
source) and in the exports (the LMS grade CSV, the participant summaries), like the others."""

from __future__ import annotations

from mixedflows import casework, facilitator, rescue
from mixedflows.exercises import load_exercise
from mixedflows.grading import grade
from mixedflows.store import Store
from mixedflows.widgets.common import Recorder


def _answers() -> dict[str, object]:
    """A deliberately imperfect answer to each exercise (graded for real below)."""
    m6 = casework.check_params(load_exercise("m6_stranded_casework"))
    m7 = casework.check_params(load_exercise("m7_after_arrival"))
    return {
        "m4_rescue_decision": {"port": "bren", "on_board": ["care"], "informed": ["unhcr"]},
        "m4_holding_standards": {"placements": {"issa": "detention"}, "failed_standards": []},
        "m6_stranded_casework": {
            "person_id": casework.files_of(m6)[2].person.person_id,  # Tesfaye
            "actions": ["humanitarian", "consular"],
        },
        "m7_after_arrival": {
            "person_id": casework.files_of(m7)[0].person.person_id,
            "actions": ["asylum", "detain"],
        },
        "m7_public_message": {
            "frame": "myth_fact",
            "people": "crowd",
            "words": "illegal",
            "content": [],
            "ask": "nothing",
            "press": "briefing",
        },
    }


def test_part_two_exercises_in_dashboard_and_exports(tmp_path):
    store = Store(tmp_path / "a.sqlite")
    answers = _answers()
    for who in ("ana", "bo"):
        rec = Recorder(store, learner=who, session="ws")
        for ex_id, answer in answers.items():
            result = grade(load_exercise(ex_id), answer)
            assert 0 <= result.score < 1
            assert rec.record(ex_id, answer, result) is not None
    attempts = store.attempts(session="ws")
    rep = facilitator.session_report(attempts, "ws")
    overview = rep.overview.set_index("exercise_id")
    for ex_id in answers:
        assert overview.loc[ex_id, "participants"] == 2
    wrong = facilitator.wrong_answers(attempts, top=None)
    for ex_id in answers:
        rows = wrong[wrong.exercise_id == ex_id]
        assert len(rows) and (rows.participants == 2).all(), ex_id
        assert rows.why.str.contains("MC/INF/294").any(), ex_id  # the reason's source
    tesfaye = wrong[(wrong.exercise_id == "m6_stranded_casework")]
    assert tesfaye.wrong_answer.str.contains("Never here").any()
    export = facilitator.session_export(attempts, "ws")
    for ex_id in answers:
        assert ex_id in export.grades
        assert load_exercise(ex_id).title in export.summary
    assert rescue.reference(rescue.load_rescue("rubber_boat_state_a_region"))["port"] == "alba"
