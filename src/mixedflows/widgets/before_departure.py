"""Module 3, "Before departure" (MC/INF/294 ¶14-15, ¶26): the campaign design exercise and the
predict-then-see item on development and emigration.

The campaign's fields and options are built from the brief (``datasets/campaigns/``); the
grade comes from :mod:`mixedflows.departure`, criterion by criterion, each with its evidence and
source. The widgets only collect the choices and render.
"""

from __future__ import annotations

from typing import Any

import ipywidgets as w

from mixedflows.exercises import ModelExercise
from mixedflows.grading import GradeResult
from mixedflows.widgets import ui
from mixedflows.widgets.base import ExerciseApp, ExercisePage, result_from_json
from mixedflows.widgets.common import app_entry


def html() -> Any:
    """The apps' macros (``templates/before_departure.html.j2``)."""
    return ui.macros("before_departure.html.j2")


class CampaignApp(ExerciseApp):
    """``CampaignApp().widget``: a control per field of the brief, Submit, feedback."""

    expects = (ModelExercise,)
    model = "departure.campaign"
    default_exercise = "m3_design_a_campaign"
    submit_label = "Submit the design"
    css = "mf-departure"
    submit_css = "mf-campaign-submit"
    feedback_css = "mf-campaign-feedback"
    empty_message = "Nothing to grade yet: make some choices first. Nothing was graded or recorded."

    def inputs(self) -> list[w.Widget]:
        from mixedflows.departure import load_brief

        self.brief = load_brief(self.exercise.params.brief)
        self.controls: dict[str, Any] = {}
        rows: list[w.Widget] = []
        for f in self.brief.fields:
            rows.append(w.HTML(str(html().field(f.label))))
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
        self.weak = w.HTML()
        self.weak.add_class("mf-weaknesses")
        return rows

    def subtitle(self) -> str:
        return super().subtitle() + " · deck IV.4"

    def intro(self) -> list[w.Widget]:
        return [
            w.HTML(
                ui.card(self.brief.title, [self.brief.situation])
                + ui.paragraphs(self.exercise.instructions)
            )
        ]

    def after(self) -> list[w.Widget]:
        return [self.weak]

    def answer(self) -> dict[str, Any]:
        out: dict[str, Any] = {}
        for fid, ctl in self.controls.items():
            if isinstance(ctl, dict):
                out[fid] = [oid for oid, cb in ctl.items() if cb.value]
            else:
                out[fid] = ctl.value or ""
        return out

    def set_design(self, design: dict[str, Any]) -> None:
        """Fill the controls from a design (tests, the debrief and a kept draft use it)."""
        for fid, ctl in self.controls.items():
            v = design.get(fid)
            if isinstance(ctl, dict):
                for oid, cb in ctl.items():
                    cb.value = oid in (v or [])
            else:
                ctl.value = v if v in {oid for _label, oid in ctl.options} else None

    def restore(self, draft: Any) -> None:
        self.set_design(draft)

    def brief_weaknesses(self, result: GradeResult) -> list[str]:
        ids = set(result.details.get("weaknesses", []))
        return [c.weakness_name() for c in self.brief.criteria if c.id in ids]

    def after_grade(self, result: GradeResult) -> None:
        weak = self.brief_weaknesses(result)
        self.weak.value = str(html().weaknesses(weak))

    def changed(self) -> None:
        super().changed()
        if self.stale:
            self.weak.value = ""


@app_entry
def campaign_design(exercise_id: str = "m3_design_a_campaign", **kw: Any) -> w.VBox:
    return CampaignApp(exercise_id, **kw).widget


class DevelopmentPredict(ExerciseApp):
    """Predict, then see what the studies say (recorded, graded from the evidence file)."""

    expects = (ModelExercise,)
    model = "departure.development"
    default_exercise = "m3_development_and_emigration"
    submit_label = "See what the studies say"
    css = "mf-departure"
    submit_css = "mf-see"
    feedback_css = "mf-predict-feedback"
    empty_message = "Make a prediction first. Nothing was graded or recorded."

    def inputs(self) -> list[w.Widget]:
        from mixedflows.departure import CHOICES

        self.params = self.exercise.params
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
            rows += [w.HTML(str(html().question(i, item.question))), rb]
        return rows

    def answer(self) -> dict[str, str]:
        return {k: rb.value for k, rb in self.choices.items() if rb.value}

    def status_line(self, result: GradeResult) -> str:
        return f"Your predictions: {result.score:.0%}."

    def restore(self, draft: Any) -> None:
        for k, rb in self.choices.items():
            v = draft.get(k)
            if v in {cid for _label, cid in rb.options}:
                rb.value = v

    def resume(self, last: Any, final: bool) -> None:
        """The page opened again after the prediction (recorded once, ``max_attempts: 1``):
        the recorded predictions and what the studies say, as they were shown."""
        if not isinstance(last.answer, dict) or not isinstance(last.feedback, dict):
            return
        try:
            result = result_from_json(last.feedback)
        except (KeyError, TypeError, ValueError):  # an older form: not shown
            return
        self.restore(last.answer)
        self.result = result
        self.show_feedback()


@app_entry
def development_predict(exercise_id: str = "m3_development_and_emigration", **kw: Any) -> w.VBox:
    return DevelopmentPredict(exercise_id, **kw).widget


@app_entry
def before_departure_app(**kw: Any) -> w.VBox:
    """The Voila page of module 3: the campaign design, then predict-then-see (built when its
    step is first opened)."""
    return ExercisePage(
        "Module 3: before departure",
        "MC/INF/294 ¶14-15, ¶26 · information campaigns and structural options",
        [
            ("campaign", "1. Design a campaign", lambda: CampaignApp(**kw)),
            ("predict", "2. Predict, then see", lambda: DevelopmentPredict(**kw)),
        ],
        css="mf-departure",
    ).widget
