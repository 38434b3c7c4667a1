"""Module 4, rescue at sea: the rescue decision and the holding-facility exercise.

The widgets only collect input, ask the engine and render: the case from
:mod:`mixedflows.rescue.case`, the grade from :func:`mixedflows.grading.grade` (rules in
:mod:`mixedflows.rescue.rules` and :mod:`mixedflows.rescue.holding`). Attempts are recorded
through :class:`~.common.Recorder`.

- :func:`rescue_exercise`: where to disembark, what happens on board, who is informed;
- :func:`holding_exercise`: where each person goes after landing; the facility's standards;
- :func:`rescue_app`: both, one after the other (the Voila app ``widgets/rescue_at_sea.ipynb``).
"""

from __future__ import annotations

from typing import Any

import ipywidgets as w

from mixedflows.exercises import ModelExercise, load_exercise
from mixedflows.grading import AnswerError, grade
from mixedflows.widgets.common import (
    CSS,
    Recorder,
    app_entry,
    esc,
    feedback_html,
    safe,
    title,
)

RESCUE_CSS = """
<style>
.mf-people li {margin-bottom:4px} .mf-ports td, .mf-ports th {padding:3px 8px;
  border-bottom:1px solid #e3e8ee; text-align:left; vertical-align:top}
.mf-ports {border-collapse:collapse; max-width:820px}
</style>
"""

WRAPPING_CSS = """
<style>
/* Long option labels wrap on a phone: the row grows with its label instead of overlapping. */
.mf-wrap .widget-checkbox {width:auto; max-width:100%; height:auto; min-height:28px;
  align-items:flex-start}
.mf-wrap .widget-checkbox label {white-space:normal; height:auto; line-height:1.35;
  padding:4px 0}
.mf-wrap .widget-checkbox input {margin-top:7px}
.mf-wrap .widget-radio-box label {white-space:normal; height:auto; line-height:1.35;
  margin-bottom:6px; display:flex; align-items:flex-start}
.mf-wrap .widget-radio-box input {float:none; order:-1; flex-shrink:0; margin-top:3px}
</style>
"""


def _cite_line(ex: Any) -> str:
    return f"Module {ex.module} · MC/INF/294 " + ", ".join(f"¶{p}" for p in ex.seed_paragraphs)


def _load(exercise_id: str, model: str) -> tuple[ModelExercise, Any]:
    from mixedflows.rescue import load_rescue

    ex = load_exercise(exercise_id)
    if not isinstance(ex, ModelExercise) or ex.model != model:
        raise TypeError(f"{exercise_id} is not a '{model}' exercise")
    return ex, load_rescue(ex.params.case)


def people_html(case: Any) -> str:
    """Who is aboard, as the master reports them (synthetic persons)."""
    lis = "".join(f"<li>{esc(p.narrative)}</li>" for p in case.persons)
    return f'<ol class="mf-people">{lis}</ol>'


def ports_html(case: Any) -> str:
    rows = "".join(
        f"<tr><td><b>{esc(p.name)}</b></td><td>{esc(p.state)}</td><td>{p.hours:g} h</td>"
        f"<td>{esc(p.note)}</td></tr>"
        for p in case.spec.ports
    )
    return (
        '<table class="mf-ports"><tr><th scope="col">Port</th><th scope="col">State</th>'
        f'<th scope="col">Sailing</th><th scope="col">What you know</th></tr>{rows}</table>'
    )


def _checks(options: Any, css: str) -> dict[str, w.Checkbox]:
    out = {}
    for o in options:
        cb = w.Checkbox(description=o.label, indent=False, layout=w.Layout(width="auto"))
        cb.add_class(f"{css}-{o.id.replace('_', '-')}")
        out[o.id] = cb
    return out


class RescueApp:
    """Where to disembark, what happens on board, who is informed."""

    def __init__(
        self, exercise_id: str = "m4_rescue_decision", *, recorder: Recorder | None = None
    ) -> None:
        from mixedflows.rescue import INFORMED, ON_BOARD

        self.exercise, self.case = _load(exercise_id, "rescue.decision")
        self.recorder = recorder or Recorder()
        ex, spec = self.exercise, self.case.spec
        self.status = w.HTML()
        self.status.add_class("mf-status")
        self.port = w.RadioButtons(
            options=[(f"{p.name} ({p.state}, {p.hours:g} h)", p.id) for p in spec.ports],
            value=None,
            description="Port",
            layout=w.Layout(width="auto"),
        )
        self.port.add_class("mf-rescue-port")
        self.on_board = _checks(ON_BOARD, "mf-board")
        self.informed = _checks(INFORMED, "mf-inform")
        self.submit = w.Button(
            description="Check my decision", button_style="primary", layout=w.Layout(width="auto")
        )
        self.submit.add_class("mf-rescue-submit")
        self.submit.on_click(safe(self.status)(self._on_submit))
        self.feedback = w.HTML()
        self.feedback.add_class("mf-rescue-feedback")
        self.widget = w.VBox(
            [
                title(ex.title, _cite_line(ex)),
                w.HTML(
                    RESCUE_CSS + WRAPPING_CSS + f"<p>{esc(ex.instructions)}</p>"
                    f'<div class="mf-card"><p>{esc(spec.situation)}</p>'
                    f"<p><b>The ship:</b> {esc(spec.ship)}.</p>"
                    f"<p><b>Aboard</b> (synthetic people):</p>{people_html(self.case)}</div>"
                    f"<h3>1. Where are they disembarked?</h3>{ports_html(self.case)}"
                ),
                self.port,
                w.HTML("<h3>2. What does the master do on board until then?</h3>"),
                w.VBox(list(self.on_board.values())),
                w.HTML("<h3>3. Whom does your centre inform?</h3>"),
                w.VBox(list(self.informed.values())),
                self.submit,
                self.status,
                self.feedback,
            ],
            layout=w.Layout(max_width="900px"),
        )
        self.widget.add_class("mf-rescue")
        self.widget.add_class("mf-wrap")

    def answer(self) -> dict[str, Any]:
        return {
            "port": self.port.value,
            "on_board": [k for k, cb in self.on_board.items() if cb.value],
            "informed": [k for k, cb in self.informed.items() if cb.value],
        }

    def _on_submit(self, _b: Any) -> None:
        answer = self.answer()
        if answer["port"] is None:
            raise AnswerError("choose a port first")
        self.recorder.admit(answer)  # too long or too fast: refused before grading
        result = grade(self.exercise, answer)
        self.recorder.record(self.exercise.id, answer, result)
        self.status.value = self.recorder.status(
            f"Score {result.score:.0%}. Change anything and check again."
        )
        self.feedback.value = feedback_html(result)


def _reception_line(link: bool) -> str:
    """Where to see how beds, transfers and screening decide overcrowding: a link beside the
    reception app (in Voila), the exercise above it (in module 4's notebook)."""
    app = (
        '<a href="reception_centre.ipynb" target="_blank" rel="noopener">the reception centre '
        "app</a>"
        if link
        else "the reception centre exercise of this module"
    )
    return f"<p>How beds, transfers and the pace of screening decide overcrowding: {app}.</p>"


class HoldingApp:
    """After landing: a placement for each person, and the standards the facility fails."""

    def __init__(
        self,
        exercise_id: str = "m4_holding_standards",
        *,
        recorder: Recorder | None = None,
        reception_link: bool = False,
    ) -> None:
        from mixedflows.rescue import PLACEMENTS, STANDARDS

        self.exercise, self.case = _load(exercise_id, "rescue.holding")
        self.recorder = recorder or Recorder()
        ex, spec = self.exercise, self.case.spec
        fac = spec.facility
        self.status = w.HTML()
        self.status.add_class("mf-status")
        self.placements: dict[str, w.Dropdown] = {}
        rows = []
        for rp, p in zip(spec.persons, self.case.persons, strict=True):
            dd = w.Dropdown(
                options=[("choose…", None)] + [(label, k) for k, label in PLACEMENTS.items()],
                value=None,
                description=p.name,
                style={"description_width": "110px"},
                layout=w.Layout(width="auto", max_width="620px"),
            )
            dd.add_class(f"mf-place-{rp.id.replace('_', '-')}")
            self.placements[rp.id] = dd
            rows.append(w.VBox([w.HTML(f'<p class="mf-cite">{esc(p.narrative)}</p>'), dd]))
        self.standards = _checks(STANDARDS, "mf-std")
        self.submit = w.Button(
            description="Check placements and standards",
            button_style="primary",
            layout=w.Layout(width="auto"),
        )
        self.submit.add_class("mf-holding-submit")
        self.submit.on_click(safe(self.status)(self._on_submit))
        self.feedback = w.HTML()
        self.feedback.add_class("mf-holding-feedback")
        self.widget = w.VBox(
            [
                title(ex.title, _cite_line(ex)),
                w.HTML(
                    RESCUE_CSS + WRAPPING_CSS + f"<p>{esc(ex.instructions)}</p>"
                    f'<div class="mf-card"><h4>{esc(fac.name)}</h4><p>{esc(fac.description)}</p>'
                    f"{_reception_line(reception_link)}</div>"
                    "<h3>1. Where does each person go?</h3>"
                ),
                *rows,
                w.HTML("<h3>2. Which standards does the centre fail?</h3>"),
                w.VBox(list(self.standards.values())),
                self.submit,
                self.status,
                self.feedback,
            ],
            layout=w.Layout(max_width="900px"),
        )
        self.widget.add_class("mf-rescue")
        self.widget.add_class("mf-wrap")

    def answer(self) -> dict[str, Any]:
        return {
            "placements": {k: dd.value for k, dd in self.placements.items() if dd.value},
            "failed_standards": [k for k, cb in self.standards.items() if cb.value],
        }

    def _on_submit(self, _b: Any) -> None:
        answer = self.answer()
        if not answer["placements"]:
            raise AnswerError("choose a placement for at least one person")
        self.recorder.admit(answer)  # too long or too fast: refused before grading
        result = grade(self.exercise, answer)
        self.recorder.record(self.exercise.id, answer, result)
        self.status.value = self.recorder.status(
            f"Score {result.score:.0%}. Change anything and check again."
        )
        self.feedback.value = feedback_html(result)


@app_entry
def rescue_exercise(exercise_id: str = "m4_rescue_decision", **kw: Any) -> w.VBox:
    return RescueApp(exercise_id, **kw).widget


@app_entry
def holding_exercise(exercise_id: str = "m4_holding_standards", **kw: Any) -> w.VBox:
    return HoldingApp(exercise_id, **kw).widget


@app_entry
def rescue_app(**kw: Any) -> w.VBox:
    """The Voila app: the rescue decision, then the holding facility."""
    return w.VBox(
        [
            RescueApp(**kw).widget,
            w.HTML(CSS + "<hr>"),
            HoldingApp(reception_link=True, **kw).widget,
        ]
    )


__all__ = ["HoldingApp", "RescueApp", "holding_exercise", "rescue_app", "rescue_exercise"]
