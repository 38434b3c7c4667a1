"""Module 3, "Before departure" (MC/INF/294 ¶14-15, ¶26): the campaign design exercise and the
predict-then-see item on development and emigration.

The campaign's fields and options are built from the brief (``datasets/campaigns/``); the
grade comes from :mod:`mixedflows.departure`, criterion by criterion, each with its evidence and
source. The widgets only collect the choices and render.
"""

from __future__ import annotations

from typing import Any

import ipywidgets as w

from mixedflows.departure import CHOICES, load_brief
from mixedflows.exercises import ModelExercise, load_exercise
from mixedflows.grading import GradeResult, grade
from mixedflows.widgets.common import (
    Recorder,
    app_entry,
    esc,
    feedback_html,
    message,
    safe,
    title,
)

DEPARTURE_CSS = """
<style>
.mf-departure .widget-hbox {flex-wrap:wrap; gap:4px 8px}
.mf-departure, .mf-departure .widget-box {max-width:100%; box-sizing:border-box}
.mf-departure .widget-checkbox {height:auto}
.mf-departure .widget-checkbox label.widget-label-basic {white-space:normal; line-height:1.3}
.mf-departure .widget-checkbox label.widget-label-basic > span {white-space:normal}
.mf-departure .widget-radio-box label {white-space:normal; line-height:1.3}
.mf-departure .widget-radio {width:100%}
.mf-departure .widget-radio > .widget-label {width:auto; max-width:100%}
.mf-departure .widget-toggle-buttons {flex-wrap:wrap}
.mf-departure .mf-field {margin-top:8px}
.mf-departure .mf-weak {padding:6px 10px; border-left:4px solid #a12b2b; background:#fdf3f3;
                        color:#222}
</style>
"""


def _load(exercise_id: str, model: str) -> ModelExercise:
    ex = load_exercise(exercise_id)
    if not isinstance(ex, ModelExercise) or ex.model != model:
        raise TypeError(f"{exercise_id} is not a {model} exercise")
    return ex


class CampaignApp:
    """``CampaignApp().widget``: a control per field of the brief, Submit, feedback."""

    def __init__(
        self, exercise_id: str = "m3_design_a_campaign", *, recorder: Recorder | None = None
    ) -> None:
        ex = _load(exercise_id, "departure.campaign")
        self.exercise = ex
        self.brief = load_brief(ex.params.brief)
        self.recorder = recorder or Recorder()
        self.result: GradeResult | None = None
        self.attempts = 0
        self.status = w.HTML()
        self.status.add_class("mf-status")
        self.controls: dict[str, Any] = {}
        rows: list[w.Widget] = []
        for f in self.brief.fields:
            rows.append(w.HTML(f"<div class='mf-field'><b>{esc(f.label)}</b></div>"))
            if f.multiple:
                boxes = {}
                for o in f.options:
                    cb = w.Checkbox(description=o.label, indent=False)
                    cb.add_class(f"mf-{f.id}-{o.id}".replace("_", "-"))
                    boxes[o.id] = cb
                self.controls[f.id] = boxes
                rows.append(w.VBox(list(boxes.values())))
            else:
                rb = w.RadioButtons(
                    options=[(o.label, o.id) for o in f.options],
                    value=None,
                    description=f.label,
                    style={"description_width": "0px"},
                    layout=w.Layout(width="100%"),
                )
                rb.add_class(f"mf-{f.id}".replace("_", "-"))
                self.controls[f.id] = rb
                rows.append(rb)
        self.submit = w.Button(description="Submit the design", button_style="primary")
        self.submit.add_class("mf-campaign-submit")
        self.submit.on_click(safe(self.status)(lambda _b: self.submit_answer()))
        self.weak = w.HTML()
        self.weak.add_class("mf-weaknesses")
        self.feedback = w.HTML()
        self.feedback.add_class("mf-campaign-feedback")
        self.widget = w.VBox(
            [
                w.HTML(DEPARTURE_CSS),
                title(ex.title, "Module 3 · MC/INF/294 ¶14 · deck IV.4"),
                w.HTML(
                    f"<div class='mf-card'><h3>{esc(self.brief.title)}</h3>"
                    f"<p>{esc(self.brief.situation)}</p></div><p>{esc(ex.instructions)}</p>"
                ),
                *rows,
                self.submit,
                self.status,
                self.weak,
                self.feedback,
            ]
        )
        self.widget.add_class("mf-departure")

    def answer(self) -> dict[str, Any]:
        out: dict[str, Any] = {}
        for fid, ctl in self.controls.items():
            if isinstance(ctl, dict):
                out[fid] = [oid for oid, cb in ctl.items() if cb.value]
            else:
                out[fid] = ctl.value or ""
        return out

    def set_design(self, design: dict[str, Any]) -> None:
        """Fill the controls from a design (tests and the debrief use it)."""
        for fid, ctl in self.controls.items():
            v = design.get(fid)
            if isinstance(ctl, dict):
                for oid, cb in ctl.items():
                    cb.value = oid in (v or [])
            else:
                ctl.value = v or None

    def brief_weaknesses(self, result: GradeResult) -> list[str]:
        ids = set(result.details.get("weaknesses", []))
        return [c.weakness_name() for c in self.brief.criteria if c.id in ids]

    def submit_answer(self) -> GradeResult | None:
        answer = self.answer()
        if not any(answer.values()):
            self.status.value = message("part", "Nothing to grade yet: make some choices first.")
            return None
        self.recorder.admit(answer)  # too long or too fast: refused before grading
        result = grade(self.exercise, answer)
        self.result = result
        self.attempts += 1
        self.recorder.record(self.exercise.id, answer, result)
        self.status.value = self.recorder.status(
            f"Attempt {self.attempts}: {result.score:.0%}. Change anything and submit again."
        )
        weak = self.brief_weaknesses(result)
        self.weak.value = (
            "<div class='mf-weak'><b>Weaknesses of this design:</b> "
            + esc("; ".join(weak))
            + "</div>"
            if weak
            else ""
        )
        self.feedback.value = feedback_html(result)
        return result


@app_entry
def campaign_design(exercise_id: str = "m3_design_a_campaign", **kw: Any) -> w.VBox:
    return CampaignApp(exercise_id, **kw).widget


class DevelopmentPredict:
    """Predict, then see what the studies say (recorded, graded from the evidence file)."""

    def __init__(
        self,
        exercise_id: str = "m3_development_and_emigration",
        *,
        recorder: Recorder | None = None,
    ) -> None:
        ex = _load(exercise_id, "departure.development")
        self.exercise = ex
        self.params = ex.params
        self.recorder = recorder or Recorder()
        self.status = w.HTML()
        self.status.add_class("mf-status")
        self.choices: dict[str, w.RadioButtons] = {}
        rows: list[w.Widget] = []
        for i, item in enumerate(self.params.items, 1):
            rb = w.RadioButtons(
                options=[(label, cid) for cid, label in CHOICES],
                value=None,
                description=f"Prediction {i}",
                layout=w.Layout(width="100%"),
            )
            rb.add_class(f"mf-predict-{item.id}".replace("_", "-"))
            self.choices[item.id] = rb
            rows += [w.HTML(f"<p><b>{i}.</b> {esc(item.question)}</p>"), rb]
        self.see = w.Button(description="See what the studies say", button_style="primary")
        self.see.add_class("mf-see")
        self.see.on_click(safe(self.status)(lambda _b: self.submit_answer()))
        self.feedback = w.HTML()
        self.feedback.add_class("mf-predict-feedback")
        self.widget = w.VBox(
            [
                w.HTML(DEPARTURE_CSS),
                title(ex.title, "Module 3 · MC/INF/294 ¶15, ¶26"),
                w.HTML(f"<p>{esc(ex.instructions)}</p>"),
                *rows,
                self.see,
                self.status,
                self.feedback,
            ]
        )
        self.widget.add_class("mf-departure")

    def answer(self) -> dict[str, str]:
        return {k: rb.value for k, rb in self.choices.items() if rb.value}

    def submit_answer(self) -> GradeResult | None:
        answer = self.answer()
        if not answer:
            self.status.value = message("part", "Make a prediction first.")
            return None
        self.recorder.admit(answer)  # too long or too fast: refused before grading
        result = grade(self.exercise, answer)
        self.recorder.record(self.exercise.id, answer, result)
        self.status.value = self.recorder.status(f"Your predictions: {result.score:.0%}.")
        self.feedback.value = feedback_html(result)
        return result


@app_entry
def development_predict(exercise_id: str = "m3_development_and_emigration", **kw: Any) -> w.VBox:
    return DevelopmentPredict(exercise_id, **kw).widget


@app_entry
def before_departure_app() -> w.VBox:
    """The Voila page of module 3: the campaign design, then predict-then-see."""
    return w.VBox([CampaignApp().widget, DevelopmentPredict().widget])
