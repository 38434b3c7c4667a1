"""The exercise-app base (widgets.base): what every graded app shares, driven without a browser.

A tiny app is written here exactly as the base's docstring tells a module author to write one,
then: an empty submit is neither graded nor recorded; a submit is graded, recorded and shown;
a change marks the feedback stale and withdraws its score; a draft comes back in a new app
(another page load); the wrong exercise type is refused by name; templates escape."""

from __future__ import annotations

from typing import Any

import ipywidgets as w
import pytest

from mixedflows import cases
from mixedflows.constraints import step_label
from mixedflows.exercises import ModelExercise
from mixedflows.store import Store
from mixedflows.widgets import ui
from mixedflows.widgets.base import ExerciseApp, result_from_json
from mixedflows.widgets.boat import BoatApp
from mixedflows.widgets.common import Recorder


class FirstChoiceApp(ExerciseApp):
    """Module 5's hard-constraints exercise answered by its first step only: the smallest app."""

    expects = (ModelExercise,)
    model = "cases.constraints"
    default_exercise = "m5_hard_constraints"

    def inputs(self) -> list[w.Widget]:
        person = cases.constraint_person(self.exercise.params)
        self.options = [(step_label(x), x) for x in cases.constraint_steps(person)]
        self.choice = w.RadioButtons(options=self.options, value=None, description="First")
        return [self.choice]

    def answer(self) -> Any:
        # The chosen step first, the others after it as listed (no contact with the country
        # of origin: a step to leave out).
        if self.choice.value is None:
            return {"steps": []}
        rest = [x for _, x in self.options if x not in (self.choice.value, "origin_contact")]
        return {"steps": [self.choice.value, *rest]}

    def restore(self, draft: Any) -> None:
        self.choice.value = (draft.get("steps") or [None])[0]


@pytest.fixture
def store(store_path):
    return Store(store_path)


def rec(store, learner="base-test"):
    return Recorder(store, learner=learner, session="")


def test_the_base_widgets_share_the_kernels_layouts_and_styles(store):
    # The lines, the title, Submit and the app's box of every app share the kernel's one layout
    # and style of their kind (issue 13 start-up: nine fewer widget models per page); the
    # multi-role room hides its title with a layout of its own, the shared one unchanged.
    a, b = FirstChoiceApp(recorder=rec(store, "a")), BoatApp(recorder=rec(store, "b"))
    for name in ("status", "feedback", "header", "submit"):
        assert getattr(a, name).layout is getattr(b, name).layout, name
        assert getattr(a, name).style is getattr(b, name).style, name
    assert a.widget.layout is ui.shared_layout()
    with pytest.raises(AttributeError, match="shared"):
        a.header.layout.display = "none"


def test_empty_submit_is_not_graded_nor_recorded(store):
    app = FirstChoiceApp(recorder=rec(store))
    app.submit.click()
    assert "Nothing was graded or recorded" in app.status.value
    assert app.feedback.value == "" and app.result is None
    assert store.attempts() == []


def test_submit_grades_records_and_a_change_marks_the_feedback_stale(store):
    app = FirstChoiceApp(recorder=rec(store))
    app.choice.value = app.options[0][1]
    app.submit.click()
    assert "Score:" in app.feedback.value and "Attempt 1" in app.status.value
    [att] = store.attempts()
    assert att.answer["steps"][0] == app.options[0][1] and att.score == app.result.score
    app.choice.value = app.options[1][1]
    assert "mf-stale" in app.feedback.value and "Score:" not in app.feedback.value
    assert "submit again" in app.feedback.value
    assert app.status.value == ""  # the old score is gone from the status line too
    app.submit.click()
    assert "mf-stale" not in app.feedback.value and len(store.attempts()) == 2


def test_an_unsaved_attempt_keeps_no_number(store, monkeypatch):
    """Second cold trial of issue 11: after two submits that were NOT saved (a full disk), the
    next said 'Attempt 4' with 2 attempts stored. Attempts are numbered as stored or kept."""
    recorder = rec(store)
    app = FirstChoiceApp(recorder=recorder)
    app.choice.value = app.options[0][1]
    app.submit.click()
    assert "Attempt 1" in app.status.value
    real = recorder.record

    def lost(*args, **kwargs):  # what record() leaves when neither store nor folder took it
        recorder.last_outcome, recorder.last_cause, recorder.last_keep_problem = (
            "not_saved",
            "full",
            "full",
        )
        recorder.last_grade = None

    monkeypatch.setattr(recorder, "record", lost)
    for _ in range(2):
        app.submit.click()
        assert "NOT saved" in app.status.value and "Attempt 2" in app.status.value
    monkeypatch.setattr(recorder, "record", real)
    app.submit.click()
    assert "Attempt 2" in app.status.value and len(store.attempts()) == 2


def test_a_draft_comes_back_in_a_new_page_and_only_for_its_learner(store):
    app = FirstChoiceApp(recorder=rec(store))
    app.choice.value = app.options[2][1]  # not submitted
    again = FirstChoiceApp(recorder=rec(store))
    assert again.choice.value == app.options[2][1]
    assert "back" in again.status.value
    other = FirstChoiceApp(recorder=rec(store, "someone-else"))
    assert other.choice.value is None
    assert store.attempts() == []  # a draft is not an attempt


def test_the_wrong_exercise_type_is_refused_by_name():
    with pytest.raises(TypeError, match=r"m1_who_is_in_the_boat.*cases.constraints"):
        FirstChoiceApp("m1_who_is_in_the_boat", recorder=Recorder(store=object()))


def test_one_check_says_which_exercise_what_it_is_and_what_was_expected():
    """Issue 12 point 1's leftovers: the apps that are not ``ExerciseApp``\\ s and the model
    graders checked an exercise's kind each in their own words ("is not a case work
    exercise"); now one check (``results.expect_exercise``) says it, the same way everywhere."""
    from mixedflows import casework
    from mixedflows.exercises import WrongExerciseError, load_exercise
    from mixedflows.returns.grader import desk_of, reintegration_params
    from mixedflows.widgets.cooperation import RoomApp

    boat = load_exercise("m1_who_is_in_the_boat")
    kind = "m1_who_is_in_the_boat is a cohort classification exercise; "
    with pytest.raises(WrongExerciseError) as e:
        FirstChoiceApp("m1_who_is_in_the_boat", recorder=Recorder(store=object()))
    assert str(e.value) == (
        kind + "this app (FirstChoiceApp) takes a model exercise (model cases.constraints)"
    )
    with pytest.raises(WrongExerciseError) as e:
        RoomApp("m1_who_is_in_the_boat", recorder=Recorder(store=object()))
    assert str(e.value) == (
        kind + "the multi-role room (RoomApp) takes a model exercise (model cooperation.room)"
    )
    for check, model in (
        (casework.check_params, "casework.file"),
        (desk_of, "returns.desk"),
        (reintegration_params, "returns.reintegration"),
    ):
        with pytest.raises(WrongExerciseError) as e:
            check(boat)
        assert str(e.value).startswith(kind) and str(e.value).endswith(
            f"takes a model exercise (model {model})"
        )
    # A model exercise of another model is named with its model.
    with pytest.raises(WrongExerciseError) as e:
        desk_of(load_exercise("m6_stranded_casework"))
    assert str(e.value) == (
        "m6_stranded_casework is a model exercise (model casework.file); "
        "the return desk takes a model exercise (model returns.desk)"
    )


@pytest.mark.parametrize(
    ("entry", "module"),
    [
        ("cooperation_roles", "mixedflows.widgets.cooperation"),
        ("who_does_what", "mixedflows.widgets.cooperation"),
        ("return_desk", "mixedflows.widgets.returns"),
    ],
)
def test_a_cell_with_the_wrong_exercise_id_shows_a_box_not_a_traceback(entry, module, store):
    """A learner's notebook cell given the id of another kind of exercise: the page says so
    (which exercise, what it is, what this page shows), as a malformed file is said."""
    import importlib

    build = getattr(importlib.import_module(module), entry)
    box = build("m1_who_is_in_the_boat", recorder=rec(store))
    assert isinstance(box, w.HTML) and "mf-app-error" in box._dom_classes
    assert (
        "This exercise cannot start: m1_who_is_in_the_boat is a cohort classification exercise"
        in (box.value)
    )
    assert "Check the exercise id" in box.value and "Traceback" not in box.value


def test_every_app_takes_its_recorder_through_one_function():
    """``recorder or Recorder()`` was written in nine places; one function now says it."""
    import re
    from pathlib import Path

    import mixedflows.widgets as widgets

    copies = [
        f"{p.name}:{n}"
        for p in sorted(Path(widgets.__file__).parent.glob("*.py"))
        for n, line in enumerate(p.read_text(encoding="utf-8").splitlines(), 1)
        if re.search(r"\brecorder or Recorder\(\)", line)
    ]
    assert copies == [], f"use widgets.common.recorder_or_default(recorder) in {copies}"


def test_templates_escape_and_a_kept_grade_shows_again(store):
    hostile = "<script>alert(1)</script>"
    assert "<script>" not in ui.message("ok", hostile)
    assert "<script>" not in ui.table(["a"], [[hostile]], caption=hostile)
    app = FirstChoiceApp(recorder=rec(store))
    app.choice.value = app.options[0][1]
    result = app.submit_answer()
    again = result_from_json(result.to_json())
    assert again.score == result.score and again.items == result.items
    assert ui.feedback_view(again) == ui.feedback_view(result)


def test_a_caveat_shared_by_items_is_said_once():
    from mixedflows.grading import Feedback, GradeResult

    cite = "ILO/EC (2009); MC/INF/294 ¶18 (caveat: weights await checking)"
    r = GradeResult("x", 0.5, tuple(Feedback(f"i{k}", 0.5, "m", cite) for k in range(5)))
    html = ui.feedback_view(r)
    assert html.count("weights await checking") == 1
    # and the citation they share is given once, the other items referring to it
    assert html.count("ILO/EC (2009)") == 1 and html.count("see [1] above") == 4


def test_boat_empty_submit_partial_answers_and_another_boat_asks(store):
    from mixedflows.grading import cohort_reference

    app = BoatApp(recorder=rec(store))
    app.submit.click()
    assert "Nothing was graded or recorded" in app.status.value and store.attempts() == []
    ref = cohort_reference(app.exercise)
    first = app.current
    app.need.value = ref[first]["first_need"]
    app.submit.click()
    [att] = store.attempts()
    assert list(att.answer["answer"]) == [first]
    # The reference is shown for the person answered, never for one not answered.
    second = app.persons[1]
    app.next.click()
    assert app.current == second.person_id
    assert second.name not in app.feedback.value and "Feedback is shown only" in app.feedback.value
    assert "not answered" in app.summary.value
    # 100 %: no "submit again to improve".
    only = BoatApp(recorder=rec(store, "full"))
    for pid, r in ref.items():
        only.answers[pid] = {"profiles": r["profiles"], "first_need": r["first_need"]}
    only.submit.click()
    assert "100%" in only.status.value and "improve" not in only.status.value
    # Another boat asks first; "Keep this boat" keeps everything.
    seed = app.seed
    app.another.click()
    assert app.confirm_row.layout.display == "flex" and app.seed == seed
    app.confirm_no.click()
    assert app.confirm_row.layout.display == "none" and app.answers[first]["first_need"]
    app.another.click()
    app.confirm_yes.click()
    assert app.seed == seed + 1 and "0 of" in app.progress.value
    # The draft follows: a reload shows the new boat.
    assert BoatApp(recorder=rec(store)).seed == seed + 1


def test_boat_profiles_without_a_first_need_are_not_graded(store):
    """Cold trial (issue 13): profiles ticked for a person but no first need chosen were graded
    (2 %) and recorded while the page said "0 of 14 answered" and the feedback "not answered"
    for everyone. A person counts as answered once a first need is chosen: such a submit is
    refused like an empty one (nothing graded or recorded), the ticks are kept; with another
    person answered, only that person is graded. Fails before."""
    app = BoatApp(recorder=rec(store))
    first = app.current
    next(iter(app.checks.values())).value = True
    assert app.answers[first]["profiles"] and "0 of" in app.progress.value
    app.submit.click()
    assert "Nothing was graded or recorded" in app.status.value and store.attempts() == []
    assert app.answers[first]["profiles"]  # kept
    app.save_draft()  # (the page saves it as the learner moves on)
    assert BoatApp(recorder=rec(store)).answers[first]["profiles"]  # and in the draft
    app.next.click()
    second = app.current
    app.need.value = (
        app.need.options[-1][1]
        if isinstance(app.need.options[-1], tuple)
        else (app.need.options[-1])
    )
    app.submit.click()
    [att] = store.attempts()
    assert list(att.answer["answer"]) == [second]
