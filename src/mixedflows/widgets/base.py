"""The exercise-app base: a new app is its widgets plus its grading call.

:class:`ExerciseApp` does the work every graded app shares, so an app only builds its inputs
and says what its answer is:

- loads the exercise and checks its type (a ``WrongExerciseError``, a ``TypeError``, naming
  the exercise, what it is and what the app shows; ``app_entry`` shows it as a box);
- shows the title, the instructions, the inputs, a Submit button, a status line and feedback,
  with the styles and HTML templates of :mod:`mixedflows.widgets.ui`;
- on Submit: an empty answer gets a message and is neither graded nor recorded; otherwise the
  answer is graded (``grading.grade`` unless the app overrides :meth:`grade`), recorded for the
  facilitator (:class:`~.common.Recorder`: the store, or a local file if the store fails, and
  the message says which), and the feedback is rendered;
- marks the feedback stale (its score withdrawn) as soon as an input changes after a grade;
- keeps a draft per learner and exercise in the store on every change, and restores it when
  the page is opened again (after a reload, on another day);
- routes every callback's error to a friendly line on the page and the traceback to the log.

A minimal app (a single-choice question)::

    import ipywidgets as w
    from mixedflows.exercises import ChoiceExercise
    from mixedflows.widgets.base import ExerciseApp, app_entry


    class ChoiceApp(ExerciseApp):
        expects = (ChoiceExercise,)            # the exercise types this app can show

        def inputs(self):                      # the widgets; their changes are watched
            ex = self.exercise
            self.choice = w.RadioButtons(
                options=[(o.label, o.id) for o in ex.options], value=None,
                description=ex.question,       # every input has an accessible name
            )
            return [self.choice]

        def answer(self):                      # what is graded and recorded
            return self.choice.value

        def restore(self, draft):              # show a kept draft (optional: drafts off if absent)
            self.choice.value = draft


    @app_entry
    def choice_app(exercise_id: str = "m2_some_question", **kw):
        return ChoiceApp(exercise_id, **kw).widget

:meth:`submit_answer` (grade, record, show) is final: defining it in an app raises
``TypeError`` when the class is declared. Optional hooks: :meth:`is_empty` (what counts as no answer), :meth:`check` (an answer not
complete enough to grade), :meth:`grade` (another grading
call), :meth:`record_answer` (what the store keeps), :meth:`resume` (the last attempt shown
again when an exercise with a ``max_attempts`` is reopened; the limit counts the attempts the
store holds, so a reload does not reset it), :meth:`feedback_items` / :meth:`item_label`
(which feedback items are shown, under which name), :meth:`draft` (what a draft keeps, default
the answer), :meth:`actions` (the button row), :meth:`after_grade` (extra rendering), and the
class attributes ``model`` (a ``ModelExercise``'s model name), ``submit_label``,
``default_exercise``. Tests drive an app without a browser: set an input's ``.value``, call
``app.submit.click()``, read ``app.status.value`` and ``app.feedback.value``.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterable, Sequence
from typing import Any, ClassVar

import ipywidgets as w

from mixedflows.exercises import ExerciseBase, load_expected
from mixedflows.grading import AnswerError, Feedback, GradeResult, grade
from mixedflows.widgets import ui
from mixedflows.widgets.common import (
    Recorder,
    app_entry,
    malformed_file_box,
    recorder_or_default,
    safe,
)
from mixedflows.widgets.ui import feedback_view

log = logging.getLogger("mixedflows")

__all__ = [
    "ExerciseApp",
    "ExercisePage",
    "Recorder",
    "app_entry",
    "feedback_view",
    "recorder_or_default",
    "result_from_json",
    "watch_inputs",
]

# Widgets that show, never take, an answer: not watched for changes.
_DISPLAY_ONLY = (w.HTML, w.HTMLMath, w.Label, w.Output, w.Button, w.Image)


def watch_inputs(widgets: Iterable[w.Widget], callback: Callable[[Any], None]) -> int:
    """Observe ``value`` on every input among ``widgets`` and their children; returns how many."""
    n = 0
    for widget in widgets:
        if isinstance(widget, w.Box):
            n += watch_inputs(widget.children, callback)
        elif not isinstance(widget, _DISPLAY_ONLY) and widget.has_trait("value"):
            widget.observe(callback, "value")
            n += 1
    return n


class ExerciseApp:
    """One graded exercise as a widget: ``App(exercise_id).widget`` is what the page shows.

    Subclasses implement :meth:`inputs` and :meth:`answer` (and :meth:`restore` to keep drafts);
    everything else has a default (see the module docstring)."""

    expects: ClassVar[tuple[type, ...]] = (ExerciseBase,)
    """Exercise classes this app can show."""
    model: ClassVar[str | tuple[str, ...] | None] = None
    """For a ``ModelExercise``: the model name(s) this app can show."""
    default_exercise: ClassVar[str] = ""
    submit_label: ClassVar[str] = "Submit"
    empty_message: ClassVar[str] = (
        "Nothing to grade yet: answer at least one question, then submit. "
        "Nothing was graded or recorded."
    )
    auto_watch: ClassVar[bool] = True
    """Watch every input returned by :meth:`inputs`; an app that tracks its own changes sets
    False and calls :meth:`changed` itself."""
    drafts: ClassVar[bool] = True
    """Keep a draft in the store on every change (only if the app implements restore)."""
    css: ClassVar[str] = ""
    """Extra CSS classes of the app's box, of its Submit button and of its feedback (the
    stylesheet and the browser tests find them)."""
    submit_css: ClassVar[str] = ""
    feedback_css: ClassVar[str] = ""
    max_width: ClassVar[str] = ""
    """The app's widest (CSS length; default: as wide as the page)."""

    def __init__(
        self,
        exercise_id: str | None = None,
        *,
        recorder: Recorder | None = None,
        status: w.HTML | None = None,
        feedback: w.HTML | None = None,
    ):
        # ``status`` and ``feedback``: an app shown inside a page of its own (the multi-role
        # room) writes into that page's lines, which the page shows; this app does not.
        owned = status is None, feedback is None
        self.exercise: Any = self.load(exercise_id or self.default_exercise)
        self.recorder = recorder_or_default(recorder)
        self.result: GradeResult | None = None
        self.attempts = 0
        self.stale = False
        self._quiet = 0
        self._graded_status = ""
        # The lines, the title, Submit and the app's box share the kernel's one layout and style
        # of their kind (never changed: ui.shared_layout, ui.text): nine fewer widget models for
        # every app's page to create (issue 13 start-up).
        self.status = status if status is not None else ui.text()
        self.status.add_class("mf-status")
        self.feedback = feedback if feedback is not None else ui.text()
        self.feedback.add_class("mf-feedback")
        self.submit = w.Button(
            description=self.submit_label,
            button_style="primary",
            layout=ui.shared_layout(width="auto"),
            style=ui.shared_style(w.Button),
        )
        self.submit.add_class("mf-submit")
        self.submit.on_click(self.safe(lambda _b: self.submit_answer()))
        self.header = ui.titled(ui.text(ui.title(self.exercise.title, self.subtitle())))
        self.header.add_class("mf-header")
        with self.quietly():
            body = list(self.inputs())
        if self.auto_watch:
            watch_inputs(body, self.safe(self._on_input))
        self.widget = w.VBox(
            [
                ui.style_widget(),
                self.header,
                *self.intro(),
                *body,
                self.actions(),
                *([self.status] if owned[0] else []),
                *([self.feedback] if owned[1] else []),
                *self.after(),
            ],
            layout=ui.shared_layout(**({"max_width": self.max_width} if self.max_width else {})),
        )
        self.widget.add_class("mf-app")
        self.widget.add_class(f"mf-app-{type(self).__name__.lower()}")
        for widget, classes in (
            (self.widget, self.css),
            (self.submit, self.submit_css),
            (self.feedback, self.feedback_css),
        ):
            for c in classes.split():
                widget.add_class(c)
        # The draft and the attempts are the participant's: read once the participant is known
        # (at once, or when a page claims a preheated kernel: ``session.when_claimed``).
        from mixedflows.server import session as sess

        late = sess.waiting_for_claim()

        def claimed() -> None:
            if self.restore_draft() and late:
                self.redraw()
            if self.max_attempts:
                self._resume_attempts()

        sess.when_claimed(claimed)

    _FINAL: ClassVar[tuple[str, ...]] = ("submit_answer",)
    """Methods an app may not override: grading, recording and showing an attempt are one
    step, done here; an app adds its parts through the hooks (:meth:`check`, :meth:`grade`,
    :meth:`record_answer`, :meth:`after_grade`, ...)."""

    def __init_subclass__(cls, **kw: Any) -> None:
        super().__init_subclass__(**kw)
        for name in ExerciseApp._FINAL:
            if name in vars(cls):
                raise TypeError(
                    f"{cls.__qualname__} overrides ExerciseApp.{name}: an app may not (the "
                    "attempt would be graded without being recorded, or shown before it is); "
                    "use the hooks check, grade, record_answer and after_grade instead"
                )

    # -- what an app provides ------------------------------------------------------------------
    def inputs(self) -> Sequence[w.Widget]:
        """The widgets the learner answers with (built here; their changes are watched)."""
        raise NotImplementedError

    def answer(self) -> Any:
        """The learner's answer as grading expects it."""
        raise NotImplementedError

    def restore(self, draft: Any) -> bool | None:
        """Show a kept draft in the inputs (return False to decline it). Apps that do not
        override it keep no drafts."""
        raise NotImplementedError

    # -- hooks with defaults -------------------------------------------------------------------
    @classmethod
    def load(cls, exercise_id: str) -> Any:
        """The exercise, if it is one this app can show (a ``WrongExerciseError`` otherwise)."""
        return load_expected(exercise_id, cls.expects, cls.model, who=f"this app ({cls.__name__})")

    def subtitle(self) -> str:
        ex = self.exercise
        return f"Module {ex.module} · MC/INF/294 " + ", ".join(f"¶{p}" for p in ex.seed_paragraphs)

    def intro(self) -> list[w.Widget]:
        """Widgets between the title and the inputs (default: the instructions)."""
        return [w.HTML(ui.paragraphs(self.exercise.instructions))]

    def actions(self) -> w.Widget:
        """The row of buttons under the inputs (default: Submit)."""
        return w.HBox([self.submit])

    def after(self) -> list[w.Widget]:
        """Widgets under the feedback (default: none)."""
        return []

    def is_empty(self, answer: Any) -> bool:
        """Whether there is nothing to grade (default: an empty or all-blank answer)."""
        return _blank(answer)

    def check(self, answer: Any) -> None:
        """Raise :class:`~mixedflows.grading.AnswerError` for an answer that is not empty but
        cannot be graded yet (a field left unchosen, say): the page says what is missing, and
        nothing is graded, recorded or counted against the submission limit (default: none)."""

    def grade(self, answer: Any) -> GradeResult:
        """The grading call (default: ``grading.grade`` on the exercise)."""
        return grade(self.exercise, answer)

    def record_answer(self, answer: Any) -> Any:
        """What the store keeps as the answer (default: the answer itself)."""
        return answer

    def feedback_items(self, result: GradeResult) -> Sequence[Feedback]:
        """The feedback items shown (default: all)."""
        return result.items

    def hidden_note(self, result: GradeResult) -> str:
        """A line saying which items are not shown, and why (default: none)."""
        return ""

    def item_label(self, item: str) -> str:
        """How a feedback item is named on screen (default: as graded)."""
        return item

    def draft(self) -> Any:
        """What a draft keeps (default: the answer)."""
        return self.answer()

    def after_grade(self, result: GradeResult) -> None:
        """Extra rendering after a grade (a summary table, say)."""

    def status_line(self, result: GradeResult) -> str:
        """What the status line says after a grade (the recorder adds whether it was saved)."""
        done = result.score >= 0.999 or self.last_attempt_used
        more = "" if done else " Change any answer and submit again to improve."
        return f"{self.attempt_text()}: {result.score:.0%}.{more}"

    def resume(self, last: Any, final: bool) -> None:
        """An exercise with a limit on attempts, opened again: show the learner's last
        recorded attempt (``store.Attempt``); ``final`` when it was the last one allowed
        (default: nothing shown, the draft is back)."""

    # -- a limit on attempts (the exercise's ``max_attempts``; 0: none) -------------------------
    @property
    def max_attempts(self) -> int:
        """How many attempts the exercise allows (0: no limit)."""
        return int(getattr(self.exercise, "max_attempts", 0) or 0)

    @property
    def last_attempt_used(self) -> bool:
        """Whether the learner has used every attempt the exercise allows."""
        return bool(self.max_attempts) and self.attempts >= self.max_attempts

    def attempt_text(self) -> str:
        """'Attempt 2 of 3' (or 'Attempt 2' without a limit)."""
        limit = f" of {self.max_attempts}" if self.max_attempts else ""
        return f"Attempt {self.attempts}{limit}"

    def _stored_attempts(self) -> list[Any] | None:
        """The learner's recorded attempts at this exercise in this session; None when the
        store cannot say (the page's own count stands)."""
        try:
            return self.recorder.store.attempts(
                learner=self.recorder.learner,
                exercise_id=self.exercise.id,
                session=self.recorder.session,
            )
        except Exception as e:
            log.info("attempts at %s not read: %s", self.exercise.id, e)
            return None

    def _resume_attempts(self) -> None:
        """Count the attempts already recorded (a reload, a second tab or another day does
        not give them back) and show the last one."""
        stored = self._stored_attempts()
        if not stored:
            return
        self.attempts = max(self.attempts, len(stored))
        self.submit.disabled = self.last_attempt_used
        with self.quietly():
            self.resume(stored[-1], self.last_attempt_used)
        if self.last_attempt_used:
            self.status.value = ui.message("part", self._used_up())
        elif self.result is not None:
            # The last attempt's feedback is back: so are its number and the grade (a reload
            # showed the feedback with no "Attempt 2 of 3" and no grade).
            line = f"{self.status_line(self.result)}{self._grade_sentence(stored)}"
            self.status.value = self._graded_status = ui.message("ok", line)

    def _grade_sentence(self, stored: Sequence[Any]) -> str:
        """' Your grade for this exercise: ...' from the recorded attempts ('' if none)."""
        from mixedflows.gradebook import exercise_grade, grade_sentence, graded_of

        if not stored:
            return ""
        parts: frozenset[str] = frozenset()
        part = ""
        try:
            from mixedflows.gradebook import part_ids, part_word

            parts, part = part_ids(self.exercise), part_word(self.exercise)
        except Exception:
            log.info("parts of %s not read", self.exercise.id, exc_info=True)
        grade = exercise_grade([graded_of(a) for a in stored], parts)
        return " " + grade_sentence(grade, part)

    def _used_up(self) -> str:
        grade = self._grade_sentence(self._stored_attempts() or [])
        n = self.max_attempts
        used = "the one attempt" if n == 1 else f"the {n} attempts"
        return (
            f"You have used {used} this exercise allows: nothing more is graded or recorded.{grade}"
        )

    # -- the shared work -----------------------------------------------------------------------
    def safe(self, fn: Callable[..., Any]) -> Callable[..., Any]:
        """A callback whose errors become a friendly line in ``status`` and a log line."""
        return safe(self.status)(fn)

    def quietly(self) -> _Quiet:
        """``with app.quietly():`` sets inputs without marking feedback stale or saving."""
        return _Quiet(self)

    def submit_answer(self) -> GradeResult | None:
        """Grade, record and show the current answer; None if there was nothing to grade."""
        if self.max_attempts:
            stored = self._stored_attempts()  # another tab of the same learner counts too
            self.attempts = max(self.attempts, len(stored or ()))
            if self.last_attempt_used:
                self.submit.disabled = True
                self.status.value = ui.message("part", self._used_up())
                return None
        answer = self.answer()
        if self.is_empty(answer):
            self.status.value = ui.message("part", self.empty_message)
            return None
        self.check(answer)
        self.recorder.admit(answer)  # too long or too fast: refused before grading
        result = self.grade(answer)
        self.attempts += 1
        self.recorder.record(self.exercise.id, self.record_answer(answer), result)
        self.result = result
        self.stale = False
        # The recorder's status line says, truthfully, whether the attempt was saved.
        self.status.value = self._graded_status = self.recorder.status(self.status_line(result))
        if self.recorder.last_outcome == "not_saved":
            # Numbered as stored or kept attempts are: the retry of an unsaved attempt has
            # its number (a cold trial saw 'Attempt 4' with 2 stored).
            self.attempts -= 1
        self.submit.disabled = self.last_attempt_used
        self.after_grade(result)
        self.show_feedback()  # last: a page (or a test) that sees the feedback sees it all
        return result

    def show_feedback(self) -> None:
        """Render the current grade (stale or not) into ``feedback``."""
        if self.result is None:
            self.feedback.value = ""
            return
        self.feedback.value = feedback_view(
            self.result,
            items=self.feedback_items(self.result),
            label=self.item_label,
            stale=self.stale,
            hidden=self.hidden_note(self.result),
        )

    def changed(self) -> None:
        """An input changed: mark the feedback stale and keep a draft."""
        if self._quiet:
            return
        if self.result is not None and not self.stale:
            self.stale = True
            if self.status.value == self._graded_status:  # the old score goes; a message stays
                self.status.value = ""
            self.show_feedback()
        self.save_draft()

    def _on_input(self, _change: Any) -> None:
        self.changed()

    def _keeps_drafts(self) -> bool:
        return self.drafts and type(self).restore is not ExerciseApp.restore

    def save_draft(self) -> None:
        """Keep the current draft (not while the app sets its own inputs)."""
        if self._keeps_drafts() and not self._quiet:
            try:
                draft = self.draft()
            except AnswerError:
                return  # half-edited (two referrals in one place): keep the last good draft
            self.recorder.save_draft(self.exercise.id, draft)

    def redraw(self) -> None:
        """Show what the inputs now hold, after a draft was restored once the app was built
        (a page that claimed a preheated kernel); default: nothing to redraw."""

    def restore_draft(self) -> bool:
        """Show the learner's kept draft, if any; True if one was restored."""
        if not self._keeps_drafts():
            return False
        draft = self.recorder.load_draft(self.exercise.id)
        if draft is None:
            return False
        try:
            with self.quietly():
                if self.restore(draft) is False:
                    return False
        except Exception:  # a draft from an older version of the app: start afresh
            log.warning("draft of %s not restored", self.exercise.id, exc_info=True)
            return False
        self.status.value = ui.message("ok", "Your answers from last time are back.")
        return True


class ExercisePage:
    """A page of several parts (exercises built on :class:`ExerciseApp`, an explorer), one
    shown at a time under a row of step buttons. A part is built when its step is first opened,
    so the page is interactive as soon as the first part is; what a learner entered in a part
    stays when they move to another and back (and, for an exercise, in its draft).

    ``steps`` is a sequence of ``(key, label, build)``; ``build()`` returns the part (an object
    with a ``.widget``). ``page.open(key)`` opens a step (as the learner's click does) and
    returns its part; ``page.parts`` holds the parts built so far."""

    def __init__(
        self,
        title: str,
        subtitle: str,
        steps: Sequence[tuple[str, str, Callable[[], Any]]],
        *,
        css: str = "",
        max_width: str = "900px",
    ) -> None:
        self.builders = {key: build for key, _label, build in steps}
        self.parts: dict[str, Any] = {}
        self.status = w.HTML()
        self.status.add_class("mf-status")
        self.step = w.ToggleButtons(
            options=[(label, key) for key, label, _build in steps],
            value=None,
            description="Step",
            style={"button_width": "auto", "description_width": "40px"},
        )
        self.step.add_class("mf-steps")
        self.body = w.VBox()
        self.body.add_class("mf-step-body")
        self.step.observe(safe(self.status)(self._on_step), "value")
        self.widget = w.VBox(
            [
                ui.style_widget(),
                ui.titled(w.HTML(ui.title(title, subtitle))),
                self.step,
                self.status,
                self.body,
            ],
            layout=w.Layout(max_width=max_width),
        )
        self.widget.add_class("mf-app")
        self.widget.add_class("mf-page")
        if css:
            self.widget.add_class(css)
        self.step.value = steps[0][0]

    def open(self, key: str) -> Any:
        """Show the step ``key`` (building its part the first time) and return the part."""
        self.step.value = key
        return self.parts[key]

    def _on_step(self, change: Any) -> None:
        key = change["new"]
        if key is None:
            return
        if key not in self.parts:
            from mixedflows.errors import DataFileError

            try:
                self.parts[key] = self.builders[key]()
            except DataFileError as e:  # a malformed course file: named, the other steps work
                self.parts[key] = _Shown(malformed_file_box(e, f"step {key}"))
        self.body.children = [self.parts[key].widget]


class _Shown:
    def __init__(self, widget: w.Widget) -> None:
        self.widget = widget


class _Quiet:
    def __init__(self, app: ExerciseApp) -> None:
        self.app = app

    def __enter__(self) -> None:
        self.app._quiet += 1

    def __exit__(self, *exc: object) -> None:
        self.app._quiet -= 1


def result_from_json(data: dict[str, Any]) -> GradeResult:
    """A grade kept as ``GradeResult.to_json()`` (in a draft), shown again as it was."""
    items = tuple(Feedback.from_json(i) for i in data.get("items", []))
    return GradeResult(
        str(data.get("exercise_id", "")),
        float(data["score"]),
        items,
        str(data.get("summary", "")),
        part=str(data.get("part", "")),
        context=str(data.get("context", "")),
        given=str(data.get("given", "")),
        practice=data.get("practice") is True,
    )


def _blank(answer: Any) -> bool:
    if answer is None or answer == "":
        return True
    if isinstance(answer, dict):
        return all(_blank(v) for v in answer.values())
    if isinstance(answer, list | tuple | set | frozenset):
        return all(_blank(v) for v in answer)
    return False
