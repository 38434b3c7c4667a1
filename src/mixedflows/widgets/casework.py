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

from mixedflows.exercises import ModelExercise, load_exercise
from mixedflows.grading import AnswerError, GradeResult, grade
from mixedflows.widgets.common import (
    CSS,
    Recorder,
    app_entry,
    esc,
    feedback_html,
    safe,
    title,
)
from mixedflows.widgets.rescue import WRAPPING_CSS

CASE_CSS = (
    """
<style>
.mf-situation li {margin-bottom:3px}
</style>
"""
    + WRAPPING_CSS
)


def _cite_line(ex: Any) -> str:
    return f"Module {ex.module} · MC/INF/294 " + ", ".join(f"¶{p}" for p in ex.seed_paragraphs)


def _css(text: str) -> str:
    return text.replace("_", "-").replace(".", "-")


class CaseworkApp:
    """A queue of case files; for each, tick the actions and submit."""

    def __init__(self, exercise_id: str, *, recorder: Recorder | None = None) -> None:
        from mixedflows import casework

        ex = load_exercise(exercise_id)
        if not isinstance(ex, ModelExercise) or ex.model != "casework.file":
            raise TypeError(f"{exercise_id} is not a case work exercise")
        self.exercise = ex
        self.params = casework.check_params(ex)
        self.files = casework.files_of(self.params)
        self.recorder = recorder or Recorder()
        self.results: dict[str, GradeResult] = {}
        self.chosen: dict[str, list[str]] = {}
        self.index = 0
        self._loading = False
        self.status = w.HTML()
        self.status.add_class("mf-status")
        self.picker = w.Dropdown(description="Case file", layout=w.Layout(width="auto"))
        self.picker.add_class("mf-case-queue")
        self.picker.observe(self._on_pick, "value")
        self.next = w.Button(description="Next file ▶", layout=w.Layout(width="auto"))
        self.next.add_class("mf-case-next")
        self.next.on_click(safe(self.status)(lambda _b: self._show(self.index + 1)))
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
            cb.observe(self._on_tick, "value")
            self.checks[aid] = cb
        self.submit = w.Button(
            description="Submit this file", button_style="primary", layout=w.Layout(width="auto")
        )
        self.submit.add_class("mf-case-submit")
        self.submit.on_click(safe(self.status)(self._on_submit))
        self.feedback = w.HTML()
        self.feedback.add_class("mf-case-feedback")
        self.widget = w.VBox(
            [
                title(ex.title, _cite_line(ex)),
                w.HTML(CASE_CSS + f"<p>{esc(ex.instructions)}</p>"),
                w.Box([self.picker, self.next], layout=w.Layout(flex_flow="row wrap")),
                self.score,
                self.card,
                w.HTML("<b>What do you do?</b> Tick every action this person's file calls for."),
                w.VBox(list(self.checks.values())),
                self.submit,
                self.status,
                self.feedback,
            ],
            layout=w.Layout(max_width="900px"),
        )
        self.widget.add_class("mf-casework")
        self.widget.add_class("mf-wrap")
        self._show(0)

    @property
    def file(self) -> Any:
        return self.files[self.index]

    def _refresh_queue(self) -> None:
        self._loading = True
        self.picker.options = [
            (
                f"{i + 1}. {f.person.name}" + (" ✓" if f.person.person_id in self.results else ""),
                i,
            )
            for i, f in enumerate(self.files)
        ]
        self.picker.value = self.index
        self._loading = False
        done = [r.score for r in self.results.values()]
        avg = f"{sum(done) / len(done):.0%}" if done else "—"
        self.score.value = (
            f'<div class="mf-score">Session: {len(done)} of {len(self.files)} files done, '
            f"score {avg}</div>"
        )

    def _show(self, i: int) -> None:
        from mixedflows.casework import family_line, situation_lines

        self.index = i % len(self.files)
        f = self.file
        p = f.person
        lines = "".join(f"<li>{esc(x)}</li>" for x in situation_lines(p, f.situation))
        family = f"<p>{esc(family_line(f))}</p>" if f.family else ""
        self.card.value = (
            f'<div class="mf-card"><h4>{esc(p.name)}</h4><p>{esc(p.narrative)}</p>'
            f'<ul class="mf-situation">{lines}</ul>{family}'
            '<p class="mf-cite">Synthetic case file.</p></div>'
        )
        self._loading = True
        mine = self.chosen.get(p.person_id, [])
        for aid, cb in self.checks.items():
            cb.value = aid in mine
        self._loading = False
        r = self.results.get(p.person_id)
        self.feedback.value = self._feedback(f, r) if r is not None else ""
        self.status.value = ""
        self._refresh_queue()

    def _on_pick(self, change: Any) -> None:
        if not self._loading and change["new"] is not None and change["new"] != self.index:
            self._show(change["new"])

    def _on_tick(self, _change: Any) -> None:
        if not self._loading:
            self.chosen[self.file.person.person_id] = self.ticked()

    def ticked(self) -> list[str]:
        return [aid for aid, cb in self.checks.items() if cb.value]

    def answer(self) -> dict[str, Any]:
        return {"person_id": self.file.person.person_id, "actions": self.ticked()}

    def _on_submit(self, _b: Any) -> None:
        answer = self.answer()
        if not answer["actions"]:
            raise AnswerError("tick at least one action")
        self.recorder.admit(answer)  # too long or too fast: refused before grading
        result = grade(self.exercise, answer)
        self.results[answer["person_id"]] = result
        self.recorder.record(self.exercise.id, answer, result)
        self.status.value = self.recorder.status(
            f"{self.file.person.name}: {result.score:.0%}. Change anything and submit again."
        )
        self.feedback.value = self._feedback(self.file, result)
        self._refresh_queue()

    @staticmethod
    def _feedback(f: Any, result: GradeResult) -> str:
        # Where a file comes from is said after an answer, never before (a worked case's name
        # could give its answer away).
        return feedback_html(result) + (
            f'<p class="mf-cite">This synthetic file comes from {esc(f.source)}.</p>'
        )


class MessageApp:
    """Compose a public statement from its parts; graded against the evidence."""

    def __init__(
        self, exercise_id: str = "m7_public_message", *, recorder: Recorder | None = None
    ) -> None:
        from mixedflows.postarrival.framing import load_message_brief

        ex = load_exercise(exercise_id)
        if not isinstance(ex, ModelExercise) or ex.model != "postarrival.message":
            raise TypeError(f"{exercise_id} is not a message exercise")
        self.exercise = ex
        self.brief = load_message_brief(ex.params.brief)
        self.recorder = recorder or Recorder()
        self.status = w.HTML()
        self.status.add_class("mf-status")
        self.inputs: dict[str, Any] = {}
        parts: list[w.Widget] = []
        for f in self.brief.fields:
            parts.append(w.HTML(f"<h4>{esc(f.label)}</h4>"))
            if f.multiple:
                boxes = {}
                for o in f.options:
                    cb = w.Checkbox(
                        description=o.label, indent=False, layout=w.Layout(width="auto")
                    )
                    cb.add_class(f"mf-msg-{_css(f.id)}-{_css(o.id)}")
                    boxes[o.id] = cb
                self.inputs[f.id] = boxes
                parts.append(w.VBox(list(boxes.values())))
            else:
                rb = w.RadioButtons(
                    options=[(o.label, o.id) for o in f.options],
                    value=None,
                    layout=w.Layout(width="auto"),
                )
                rb.add_class(f"mf-msg-{_css(f.id)}")
                self.inputs[f.id] = rb
                parts.append(rb)
        self.submit = w.Button(
            description="Check my statement", button_style="primary", layout=w.Layout(width="auto")
        )
        self.submit.add_class("mf-msg-submit")
        self.submit.on_click(safe(self.status)(self._on_submit))
        self.feedback = w.HTML()
        self.feedback.add_class("mf-msg-feedback")
        self.widget = w.VBox(
            [
                title(ex.title, _cite_line(ex)),
                w.HTML(
                    CASE_CSS + f"<p>{esc(ex.instructions)}</p>"
                    f'<div class="mf-card"><p>{esc(self.brief.situation)}</p></div>'
                ),
                *parts,
                self.submit,
                self.status,
                self.feedback,
            ],
            layout=w.Layout(max_width="900px"),
        )
        self.widget.add_class("mf-message")
        self.widget.add_class("mf-wrap")

    def answer(self) -> dict[str, Any]:
        out: dict[str, Any] = {}
        for fid, inp in self.inputs.items():
            if isinstance(inp, dict):
                out[fid] = [oid for oid, cb in inp.items() if cb.value]
            elif inp.value is not None:
                out[fid] = inp.value
        return out

    def _on_submit(self, _b: Any) -> None:
        answer = self.answer()
        missing = [
            f.label.lower() for f in self.brief.fields if not f.multiple and f.id not in answer
        ]
        if missing:
            raise AnswerError("choose: " + "; ".join(missing))
        self.recorder.admit(answer)  # too long or too fast: refused before grading
        result = grade(self.exercise, answer)
        self.recorder.record(self.exercise.id, answer, result)
        self.status.value = self.recorder.status(
            f"Score {result.score:.0%}. Change anything and check again."
        )
        self.feedback.value = feedback_html(result)


@app_entry
def casework_exercise(exercise_id: str, **kw: Any) -> w.VBox:
    return CaseworkApp(exercise_id, **kw).widget


@app_entry
def message_exercise(exercise_id: str = "m7_public_message", **kw: Any) -> w.VBox:
    return MessageApp(exercise_id, **kw).widget


@app_entry
def stranded_app(**kw: Any) -> w.VBox:
    """The Voila app of module 6."""
    return CaseworkApp("m6_stranded_casework", **kw).widget


@app_entry
def after_arrival_app(**kw: Any) -> w.VBox:
    """The Voila app of module 7: case work, then the public statement."""
    return w.VBox(
        [
            CaseworkApp("m7_after_arrival", **kw).widget,
            w.HTML(CSS + "<hr>"),
            MessageApp(**kw).widget,
        ]
    )


__all__ = [
    "CaseworkApp",
    "MessageApp",
    "after_arrival_app",
    "casework_exercise",
    "message_exercise",
    "stranded_app",
]
