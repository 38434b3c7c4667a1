"""The knowledge check (start and end of the course) and the certificate, as one Voila app.

The check's questions come from the modules' exercises and are graded by their graders
(:mod:`mixedflows.knowledge`). Which check the page offers is read from the store: the start
check until the learner has taken it (its score is shown, not the answers, so the end check is
a fair second measure), then the end check (with each question's feedback and the gain).

Below, the learner's standing against the completion rule (:mod:`mixedflows.certificate`) and,
once it is met, a printable HTML certificate to download, with the name they choose to print.
"""

from __future__ import annotations

import base64
import logging
from dataclasses import dataclass
from typing import Any

import ipywidgets as w

from mixedflows import certificate, knowledge
from mixedflows.results import GradeResult
from mixedflows.widgets import ui
from mixedflows.widgets.base import ExerciseApp, Recorder, app_entry
from mixedflows.widgets.common import message, safe

log = logging.getLogger("mixedflows")


def html() -> Any:
    """The app's macros (``templates/course_check.html.j2``)."""
    return ui.macros("course_check.html.j2")


@dataclass(frozen=True)
class CheckSpec:
    """The knowledge check as the exercise-app base shows it (it is not an exercise file:
    its questions are the modules' own)."""

    id: str
    title: str = "Knowledge check and certificate"
    module: int = 0
    seed_paragraphs: tuple[int, ...] = ()
    instructions: str = ""


class CourseCheck(ExerciseApp):
    """The app: ``CourseCheck().widget`` is what the page shows."""

    submit_label = "Submit the check"
    css = "mf-course-check"
    empty_message = "Answer at least one question first. Nothing was graded or recorded."

    def __init__(self, *, recorder: Recorder | None = None) -> None:
        self.items = knowledge.check_items()
        self.phase_note = w.HTML()
        self.phase_note.add_class("mf-phase")
        self.progress = w.HTML()
        self.progress.add_class("mf-progress")
        self.print_name = w.Text(
            description="Name to print",
            placeholder="leave empty to print your pseudonym",
            layout=w.Layout(width="100%", max_width="520px"),
            style={"description_width": "initial"},
        )
        self.print_name.add_class("mf-print-name")
        self.make = w.Button(description="Prepare my certificate", icon="certificate")
        self.make.layout.width = "auto"
        self.make.add_class("mf-make-certificate")
        self.cert_status = w.HTML()
        self.cert_status.add_class("mf-cert-status")
        self.make.on_click(safe(self.cert_status)(lambda _b: self.prepare_certificate()))
        self.download = w.HTML()
        self.download.add_class("mf-cert-download")
        self.show = w.Button(description="Show my progress", icon="list")
        self.show.layout.width = "auto"
        self.show.add_class("mf-show-progress")
        self.show.on_click(safe(self.cert_status)(lambda _b: self.refresh()))
        super().__init__(knowledge.START, recorder=recorder)
        # Start or end is the participant's: read once a page claims a preheated kernel.
        from mixedflows.server import session as sess

        sess.when_claimed(lambda: self.refresh(progress=False))

    @classmethod
    def load(cls, exercise_id: str) -> CheckSpec:
        return CheckSpec(exercise_id)

    def subtitle(self) -> str:
        return "Questions drawn from modules 2, 3 and 8 · taken at the start and the end"

    def intro(self) -> list[w.Widget]:
        return [self.phase_note]

    def inputs(self) -> list[w.Widget]:
        self.choices: dict[str, w.RadioButtons] = {}
        rows: list[w.Widget] = []
        for n, item in enumerate(self.items, 1):
            rb = w.RadioButtons(
                options=list((label, value) for value, label in item.options),
                value=None,
                description=f"Answer {n}",
                layout=w.Layout(width="100%"),
            )
            rb.add_class(f"mf-q{n}")
            self.choices[item.key] = rb
            rows += [w.HTML(str(html().question(n, item.question, item.module))), rb]
        return rows

    def after(self) -> list[w.Widget]:
        return [
            w.HTML(str(html().heading("Your course"))),
            self.progress,
            self.show,
            self.print_name,
            self.make,
            self.cert_status,
            self.download,
        ]

    # -- what the store says ---------------------------------------------------------------------
    def _mine(self) -> list[Any]:
        try:
            return self.recorder.store.attempts(learner=self.recorder.learner)
        except Exception:
            log.warning("the learner's attempts could not be read", exc_info=True)
            return []

    @property
    def phase(self) -> str:
        return "end" if any(a.exercise_id == knowledge.START for a in self._mine()) else "start"

    def refresh(self, progress: bool = True) -> None:
        """Say which check this is and (``progress``) where the learner stands. The standing
        loads every exercise file of the course, which a page need not wait for: at start-up
        it waits for the learner's click (issue 15: cold start within 1.5x the empty
        notebook)."""
        mine = self._mine()
        took_start = [a for a in mine if a.exercise_id == knowledge.START]
        if not took_start:
            self.phase_note.value = str(html().start_phase())
            self.submit.description = "Submit the start check"
        else:
            first = took_start[0].score or 0.0
            self.phase_note.value = str(html().end_phase(f"{first:.0%}"))
            self.submit.description = "Submit the end check"
        rule = (
            f"The completion rule: the knowledge check at the start and at the end, and "
            f"{certificate.REQUIRED_MODULES} modules completed (each of their exercises with a "
            f"grade of {certificate.PASS_GRADE:.0%} or more)."
        )
        if not progress:
            self.progress.value = str(html().rule_only(rule))
            return
        st = certificate.standing(self.recorder.learner, mine)
        done = ", ".join(str(m) for m in st.completed) or "none yet"
        lines = [
            f"Modules completed: {done} ({len(st.completed)} of the "
            f"{certificate.REQUIRED_MODULES} the course asks for).",
            f"Knowledge check at the start: {'taken' if st.took_start else 'not yet'}; "
            f"at the end: {'taken' if st.took_end else 'not yet'}.",
        ]
        todo = st.missing()
        ready = (
            "You meet it: prepare your certificate below."
            if not todo
            else "Still to do: " + "; ".join(todo) + "."
        )
        self.progress.value = str(html().lines([*lines, rule, ready]))

    # -- the check -----------------------------------------------------------------------------
    def answer(self) -> dict[str, Any]:
        return {
            "phase": self.phase,
            "answers": {k: rb.value for k, rb in self.choices.items() if rb.value is not None},
        }

    def is_empty(self, answer: Any) -> bool:
        return not answer["answers"]

    def grade(self, answer: Any) -> GradeResult:
        self.exercise = CheckSpec(knowledge.PHASES[answer["phase"]])  # recorded under its phase
        return knowledge.grade_check(answer)

    def status_line(self, result: GradeResult) -> str:
        if result.exercise_id == knowledge.START:
            return (
                f"Your score at the start: {result.score:.0%} ({result.summary[:-1]}). The "
                "answers are shown after the check at the end of the course."
            )
        start = next((a.score for a in self._mine() if a.exercise_id == knowledge.START), None)
        gain = (
            f" At the start: {start:.0%}; your gain: {(result.score - start) * 100:+.0f} points."
            if start is not None
            else ""
        )
        return f"Your score at the end: {result.score:.0%} ({result.summary[:-1]}).{gain}"

    def item_label(self, item: str) -> str:
        return self._labels().get(item, item)

    def show_feedback(self) -> None:
        if self.result is not None and self.result.exercise_id == knowledge.START:
            self.feedback.value = ""  # the answers wait for the end
            return
        super().show_feedback()

    def after_grade(self, result: GradeResult) -> None:
        if result.exercise_id == knowledge.START:
            with self.quietly():
                for rb in self.choices.values():
                    rb.value = None
        self.refresh(progress=result.exercise_id == knowledge.END)

    def _labels(self) -> dict[str, str]:
        return {item.key: f"Question {n}" for n, item in enumerate(self.items, 1)}

    # -- the certificate -------------------------------------------------------------------------
    def prepare_certificate(self) -> certificate.Certificate | None:
        try:
            cert = certificate.issue(
                self.recorder.store, self.recorder.learner, self.print_name.value
            )
        except certificate.NotCompletedError as e:
            self.cert_status.value = message("part", str(e))
            self.download.value = ""
            return None
        except certificate.IssuedByFacilitatorError as e:  # a learner's server on a hub
            # The facilitator's certificate prints the name typed here: kept as a draft.
            try:
                name = certificate.keep_print_name(
                    self.recorder.store, self.recorder.learner, self.print_name.value
                )
                said = f" The name it will print: {name}."
            except Exception:
                log.warning("the name to print was not kept", exc_info=True)
                said = (
                    " The name you typed could NOT be kept (the store did not take it): your "
                    "certificate will print your pseudonym unless you press the button again "
                    "once the store answers, or tell your facilitator the name to print."
                )
            self.cert_status.value = message("ok", str(e) + said)
            self.download.value = ""
            return None
        data = base64.b64encode(cert.html().encode("utf-8")).decode("ascii")
        self.cert_status.value = message(
            "ok",
            f"Your certificate is ready. Its verification code is {cert.code}: the facilitator "
            "can check it against the course's store.",
        )
        self.download.value = str(html().download(cert.filename(), data))
        return cert


@app_entry
def course_check_app(**kw: Any) -> w.VBox:
    """The Voila page: the knowledge check and the certificate."""
    return CourseCheck(**kw).widget
