"""Modules 6 and 7: case work one file at a time (the screening desk's pattern), and module 7's
public message.

The widgets only collect input, ask the engine and render: the files from
:mod:`mixedflows.casework`, the grade from :func:`mixedflows.grading.grade` (the actions of
:mod:`mixedflows.casework.actions`, on top of the screening engine; the message criteria of
:mod:`mixedflows.postarrival.framing`). Attempts are recorded through :class:`~.common.Recorder`.

- :func:`casework_exercise`: a queue of case files; tick the actions; feedback per file and a
  session score (module 6: ``m6_stranded_casework``; module 7: ``m7_after_arrival``);
- :func:`message_exercise`: compose a public statement and see it graded against the evidence;
- :func:`stranded_app`, :func:`after_arrival_app`: the Voila apps of modules 6 and 7.
"""

from __future__ import annotations

from typing import Any

import ipywidgets as w

from mixedflows.exercises import ModelExercise
from mixedflows.grading import AnswerError, GradeResult
from mixedflows.widgets import ui
from mixedflows.widgets.base import ExerciseApp, ExercisePage
from mixedflows.widgets.common import app_entry


def html() -> Any:
    """The apps' macros (``templates/casework.html.j2``)."""
    return ui.macros("casework.html.j2")


def _css(text: str) -> str:
    return text.replace("_", "-").replace(".", "-")


class CaseworkApp(ExerciseApp):
    """A queue of case files; for each, tick the actions and submit. Each file is graded on
    its own (``results`` by person); the feedback shown is the file's on screen."""

    expects = (ModelExercise,)
    model = "casework.file"
    submit_label = "Submit this file"
    css = "mf-casework mf-wrap"
    submit_css = "mf-case-submit"
    feedback_css = "mf-case-feedback"
    max_width = "900px"
    auto_watch = False  # the boxes show one file at a time: _on_tick tracks the answers
    empty_message = (
        "Nothing to grade yet: tick at least one action for this file, then submit. "
        "Nothing was graded or recorded."
    )

    def inputs(self) -> list[w.Widget]:
        from mixedflows import casework

        self.params = casework.check_params(self.exercise)
        self.files = casework.files_of(self.params)
        self.results: dict[str, GradeResult] = {}
        self.chosen: dict[str, list[str]] = {}
        self._stale_files: set[str] = set()
        self.index = 0
        self.picker = w.Dropdown(description="Case file", layout=w.Layout(width="auto"))
        self.picker.add_class("mf-case-queue")
        self.picker.observe(self.safe(self._on_pick), "value")
        self.next = w.Button(description="Next file ▶", layout=w.Layout(width="auto"))
        self.next.add_class("mf-case-next")
        self.next.on_click(self.safe(lambda _b: self._show(self.index + 1)))
        self.score = w.HTML()
        self.score.add_class("mf-case-score")
        self.card = w.HTML()
        self.card.add_class("mf-case-card")
        self.checks: dict[str, w.Checkbox] = {}
        for aid in self.params.actions:
            cb = w.Checkbox(
                description=casework.ACTIONS[aid].label,
                indent=False,
                layout=w.Layout(width="auto"),
            )
            cb.add_class(f"mf-act-{_css(aid)}")
            cb.observe(self.safe(self._on_tick), "value")
            self.checks[aid] = cb
        self._show(0)
        return [
            w.Box([self.picker, self.next], layout=w.Layout(flex_flow="row wrap")),
            self.score,
            self.card,
            w.HTML(str(html().prompt())),
            w.VBox(list(self.checks.values())),
        ]

    @property
    def file(self) -> Any:
        return self.files[self.index]

    def _refresh_queue(self) -> None:
        with self.quietly():
            self.picker.options = [
                (
                    f"{i + 1}. {f.person.name}"
                    + (" ✓" if f.person.person_id in self.results else ""),
                    i,
                )
                for i, f in enumerate(self.files)
            ]
            self.picker.value = self.index
        done = [r.score for r in self.results.values()]
        avg = f"{sum(done) / len(done):.0%}" if done else "—"
        self.score.value = str(html().score(len(done), len(self.files), avg))

    def _show(self, i: int) -> None:
        from mixedflows.casework import family_line, situation_lines

        self.index = i % len(self.files)
        f = self.file
        p = f.person
        family = family_line(f) if f.family else ""
        self.card.value = str(
            html().card(p.name, p.narrative, situation_lines(p, f.situation), family)
        )
        mine = self.chosen.get(p.person_id, [])
        with self.quietly():
            for aid, cb in self.checks.items():
                cb.value = aid in mine
        self.result = self.results.get(p.person_id)
        self.stale = p.person_id in self._stale_files
        self.show_feedback()
        self.status.value = ""
        self._refresh_queue()

    def _on_pick(self, change: Any) -> None:
        if not self._quiet and change["new"] is not None and change["new"] != self.index:
            self._show(change["new"])
            self.save_draft()

    def _on_tick(self, _change: Any) -> None:
        if not self._quiet:
            self.chosen[self.file.person.person_id] = self.ticked()
            self.changed()

    def changed(self) -> None:
        super().changed()
        if self.stale:
            self._stale_files.add(self.file.person.person_id)

    def ticked(self) -> list[str]:
        return [aid for aid, cb in self.checks.items() if cb.value]

    # -- the exercise ----------------------------------------------------------------------------
    def answer(self) -> dict[str, Any]:
        return {"person_id": self.file.person.person_id, "actions": self.ticked()}

    def is_empty(self, answer: Any) -> bool:
        return not answer["actions"]

    def status_line(self, result: GradeResult) -> str:
        return f"{self.file.person.name}: {result.score:.0%}. Change anything and submit again."

    def after_grade(self, result: GradeResult) -> None:
        pid = self.file.person.person_id
        self.results[pid] = result
        self._stale_files.discard(pid)
        self._refresh_queue()

    def show_feedback(self) -> None:
        super().show_feedback()
        if self.result is not None:
            # Where a file comes from is said after an answer, never before (a worked case's
            # name could give its answer away).
            self.feedback.value += str(html().source(self.file.source))

    def draft(self) -> Any:
        return {"chosen": self.chosen, "index": self.index}

    def restore(self, draft: Any) -> None:
        ids = {f.person.person_id for f in self.files}
        allowed = set(self.checks)
        self.chosen = {
            pid: [a for a in acts if a in allowed]
            for pid, acts in (draft.get("chosen") or {}).items()
            if pid in ids
        }
        self._show(int(draft.get("index", 0)))


class MessageApp(ExerciseApp):
    """Compose a public statement from its parts; graded against the evidence. ``parts`` holds
    the input of each field (ticks for a field of several options)."""

    expects = (ModelExercise,)
    model = "postarrival.message"
    default_exercise = "m7_public_message"
    submit_label = "Check my statement"
    css = "mf-message mf-wrap"
    submit_css = "mf-msg-submit"
    feedback_css = "mf-msg-feedback"
    max_width = "900px"
    empty_message = (
        "Nothing to check yet: choose the parts of your statement first. "
        "Nothing was graded or recorded."
    )

    def inputs(self) -> list[w.Widget]:
        from mixedflows.postarrival.framing import load_message_brief

        self.brief = load_message_brief(self.exercise.params.brief)
        self.parts: dict[str, Any] = {}
        rows: list[w.Widget] = []
        for f in self.brief.fields:
            rows.append(w.HTML(str(html().field(f.label))))
            if f.multiple:
                boxes = {}
                for o in f.options:
                    cb = w.Checkbox(
                        description=o.label, indent=False, layout=w.Layout(width="auto")
                    )
                    cb.add_class(f"mf-msg-{_css(f.id)}-{_css(o.id)}")
                    boxes[o.id] = cb
                self.parts[f.id] = boxes
                rows.append(w.VBox(list(boxes.values())))
            else:
                rb = w.RadioButtons(
                    options=[(o.label, o.id) for o in f.options],
                    value=None,
                    layout=w.Layout(width="auto"),
                )
                rb.add_class(f"mf-msg-{_css(f.id)}")
                self.parts[f.id] = rb
                rows.append(rb)
        return rows

    def intro(self) -> list[w.Widget]:
        return [
            w.HTML(
                ui.paragraphs(self.exercise.instructions)
                + ui.card(paragraphs=[self.brief.situation])
            )
        ]

    def answer(self) -> dict[str, Any]:
        out: dict[str, Any] = {}
        for fid, inp in self.parts.items():
            if isinstance(inp, dict):
                out[fid] = [oid for oid, cb in inp.items() if cb.value]
            elif inp.value is not None:
                out[fid] = inp.value
        return out

    def check(self, answer: Any) -> None:
        missing = [
            f.label.lower() for f in self.brief.fields if not f.multiple and f.id not in answer
        ]
        if missing:
            raise AnswerError("choose: " + "; ".join(missing))

    def status_line(self, result: GradeResult) -> str:
        return f"Score {result.score:.0%}. Change anything and check again."

    def restore(self, draft: Any) -> None:
        for fid, inp in self.parts.items():
            v = draft.get(fid)
            if isinstance(inp, dict):
                for oid, cb in inp.items():
                    cb.value = oid in (v or [])
            elif v in {oid for _label, oid in inp.options}:
                inp.value = v


@app_entry
def casework_exercise(exercise_id: str, **kw: Any) -> w.VBox:
    return CaseworkApp(exercise_id, **kw).widget


@app_entry
def message_exercise(exercise_id: str = "m7_public_message", **kw: Any) -> w.VBox:
    return MessageApp(exercise_id, **kw).widget


def warm_first_view(exercise_id: str = "m6_stranded_casework") -> None:
    """Keep the memo of module 6's generated files, as its first page would (run by
    ``binder/postBuild`` at install), so no page of it loads numpy. (Here, not in
    :mod:`mixedflows.casework.grader`: loading the exercise from there closed an import cycle,
    casework.grader -> exercises -> gradebook -> registry -> casework.grader.)"""
    from mixedflows.casework.grader import check_params, files_of
    from mixedflows.exercises import load_exercise

    files_of(check_params(load_exercise(exercise_id)))


@app_entry
def stranded_app(**kw: Any) -> w.VBox:
    """The Voila app of module 6."""
    return CaseworkApp("m6_stranded_casework", **kw).widget


@app_entry
def after_arrival_app(**kw: Any) -> w.VBox:
    """The Voila app of module 7: case work, then the public statement (built when its step
    is first opened)."""
    return ExercisePage(
        "Module 7: after arrival",
        "MC/INF/294 ¶21-22 · procedures and services case by case; public discourse",
        [
            ("cases", "1. Case files", lambda: CaseworkApp("m7_after_arrival", **kw)),
            ("message", "2. A public statement", lambda: MessageApp(**kw)),
        ],
        css="mf-arrival-page",
    ).widget


__all__ = [
    "CaseworkApp",
    "MessageApp",
    "after_arrival_app",
    "casework_exercise",
    "message_exercise",
    "stranded_app",
]
