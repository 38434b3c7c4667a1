"""Every graded app, whoever wrote it, records what it grades and keeps the answer hidden.

The base (:class:`mixedflows.widgets.base.ExerciseApp`) grades, records and shows an attempt
in :meth:`~mixedflows.widgets.base.ExerciseApp.submit_answer`, which an app may not override
(its own parts go in the hooks). This test does not trust that: it builds every ExerciseApp
subclass found in ``mixedflows.widgets`` with a Recorder on a fresh store, and checks, for a
valid sample answer (the gradebook test's, per exercise type and model), that

- nothing grades or computes the reference answer while the app is built and shown,
- a Submit of an empty answer grades and stores nothing, and
- one Submit of a complete answer stores exactly one attempt, with the grade the learner is
  shown, and the LMS export says that grade too (issue 13, point 5).

Every app gets a complete sample (none is left with the empty-answer check only).
"""

from __future__ import annotations

import csv
import importlib
import io
import pkgutil
import sys
from typing import Any

import pytest
from test_gradebook import _answers

import mixedflows.widgets
from mixedflows import facilitator as fac
from mixedflows import grading, progress, registry
from mixedflows.exercises import list_exercises, load_exercise
from mixedflows.store import Store
from mixedflows.widgets.base import ExerciseApp
from mixedflows.widgets.common import Recorder

for _m in pkgutil.iter_modules(mixedflows.widgets.__path__):
    importlib.import_module(f"mixedflows.widgets.{_m.name}")


def _subclasses(cls: type) -> list[type]:
    out = []
    for sub in cls.__subclasses__():
        out += [sub, *_subclasses(sub)]
    return out


APPS = sorted(
    {c for c in _subclasses(ExerciseApp) if c.__module__.startswith("mixedflows.widgets.")},
    key=lambda c: f"{c.__module__}.{c.__qualname__}",
)

# Classes that are not an app of their own, each with the app the test builds instead.
NOT_BUILT_ALONE = {
    "_RescueCase": "a base of RescueApp and HoldingApp (no exercise of its own)",
    "RoleDecisions": "a part of the multi-role room (RoomApp); built through the room below",
    "CourseCheck": "the knowledge check: several questions, each graded by grading.grade",
}


def test_the_apps_are_found():
    names = {c.__name__ for c in APPS}
    assert len(APPS) >= 20 and {"BoatApp", "SeasonApp", "DeskApp"} <= names
    assert set(NOT_BUILT_ALONE) <= names  # the list above names real classes


def test_no_app_overrides_submit():
    """Grade, record and show are one step, defined once; an app that defines its own
    ``submit_answer`` cannot even be declared."""
    with pytest.raises(TypeError, match="submit_answer"):

        class Sneaky(ExerciseApp):
            def submit_answer(self):
                return None

    for cls in APPS:
        assert "submit_answer" not in vars(cls), cls


class _Counter:
    """Counts calls to the graders and reference functions, wherever they were imported."""

    def __init__(self, monkeypatch: pytest.MonkeyPatch) -> None:
        self.calls: list[str] = []
        from mixedflows import cases
        from mixedflows.capstone import season

        targets = [grading.grade, grading.reference_answer, grading.cohort_reference]
        targets += [season.play, season.grade_season, cases.grade_desk]
        targets += [registry.resolve(k.grader) for k in registry.MODELS.values()]
        wrapped = {id(f): self._wrap(f) for f in targets}
        for mod in list(sys.modules.values()):
            if not (getattr(mod, "__name__", "") or "").startswith("mixedflows"):
                continue
            for name, value in list(vars(mod).items()):
                if callable(value) and id(value) in wrapped:
                    monkeypatch.setattr(mod, name, wrapped[id(value)])
        counted = self

        def grader(model: str) -> Any:
            return counted._wrap(registry.resolve(registry._kind(model).grader))

        monkeypatch.setattr(registry, "grader", grader)

    def _wrap(self, fn: Any) -> Any:
        def counted(*a: Any, **kw: Any) -> Any:
            self.calls.append(fn.__qualname__)
            return fn(*a, **kw)

        return counted


def _built(cls: type, rec: Recorder) -> ExerciseApp:
    exercise = cls.default_exercise
    if not exercise:  # an app for several exercises: the first it can show
        exercise = next(e for e in list_exercises() if _can_show(cls, e))
    return cls(exercise, recorder=rec)


def _can_show(cls: type, exercise_id: str) -> bool:
    try:
        cls.load(exercise_id)
    except TypeError:
        return False
    return True


def _gradable(app: ExerciseApp, answer: Any) -> bool:
    if app.is_empty(answer):
        return False
    try:
        app.check(answer)
    except grading.AnswerError:
        return False
    return True


@pytest.mark.parametrize(
    "cls", [c for c in APPS if c.__name__ not in NOT_BUILT_ALONE], ids=lambda c: c.__name__
)
def test_one_submit_is_one_attempt_stored_and_no_answer_before(cls, tmp_path, monkeypatch):
    store = Store(tmp_path / "a.sqlite")
    rec = Recorder(store, learner="probe", session="room")
    counter = _Counter(monkeypatch)
    app = _built(cls, rec)
    assert counter.calls == [], f"{cls.__name__} graded before any submit: {counter.calls}"
    answers = _answers(app.exercise)
    samples = [a for a in answers if _gradable(app, a)]
    # Every app has a complete sample answer (derived from its rules in test_gradebook).
    assert samples, f"{cls.__name__}: no sample answer the app would grade"
    empty = [a for a in answers if app.is_empty(a)]
    if empty:  # nothing to grade: nothing graded nor stored
        monkeypatch.setattr(app, "answer", lambda: empty[0])
        app.submit.click()
        assert counter.calls == [] and store.attempts(session="room") == []
    # The sample answer as the app's inputs would give it (each app's widget-level tests
    # drive the widgets themselves).
    monkeypatch.setattr(app, "answer", lambda: samples[-1])
    app.submit.click()
    assert counter.calls, f"{cls.__name__}: graders not used (test broken?) {app.status.value}"
    attempts = store.attempts(session="room")
    assert len(attempts) == 1, (cls.__name__, app.status.value)
    shown = attempts[0].grade_shown
    assert shown and shown in app.status.value, (shown, app.status.value)
    assert app.feedback.value  # the feedback is shown
    # What the app shows is what the LMS export says (issue 13, point 5).
    rows = list(csv.DictReader(io.StringIO(fac.lms_csv(attempts, _loader(app.exercise)))))
    assert [(r["participant"], r["exercise_id"]) for r in rows] == [("probe", app.exercise.id)]
    assert f"{rows[0]['grade_pct']}%" == shown, (cls.__name__, rows[0], shown)
    print(f"{cls.__name__}: shown {shown}, exported {rows[0]['grade_pct']}%")
    # A progress file's attempt is graded again from its answer as recorded (issue 16): the
    # score the app gave, or None where the page held more than the answer (then kept as is).
    (a,) = attempts
    again = progress.regraded_score(a.exercise_id, a.answer)
    assert again is None or abs(again - a.score) <= 1e-4, (cls.__name__, again, a.score)
    print(f"  graded again from the stored answer: {again}")
    store.close()


def _loader(exercise: Any) -> Any:
    def load(eid: str) -> Any:
        return exercise if eid == exercise.id else load_exercise(eid)

    return load
