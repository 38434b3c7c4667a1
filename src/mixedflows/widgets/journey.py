"""Module 2, "A journey that changes" (MC/INF/294 ¶11-12): one person, stage by stage.

At each stage the learner reads what happened and ticks the profiles and the needs; Submit
grades every stage with the screening rules on that stage's facts (:mod:`mixedflows.journey`)
and records the attempt. The widgets keep the answers in a plain dict; the engine does the rest.
"""

from __future__ import annotations

from typing import Any

import ipywidgets as w

from mixedflows.exercises import ModelExercise, load_exercise
from mixedflows.grading import GradeResult, grade
from mixedflows.journey import load_journey
from mixedflows.profiles import NEED_LABELS, PROFILE_LABELS, Need, Profile
from mixedflows.widgets.common import (
    Recorder,
    app_entry,
    credit_class,
    esc,
    feedback_html,
    message,
    safe,
    title,
)

JOURNEY_CSS = """
<style>
.mf-journey .widget-hbox {flex-wrap:wrap; gap:4px 8px}
.mf-journey, .mf-journey .widget-box {max-width:100%; box-sizing:border-box}
.mf-journey .mf-grid {display:grid; grid-template-columns:repeat(auto-fill, minmax(min(100%, 300px), 1fr));
                      gap:2px 12px}
.mf-journey .widget-checkbox {height:auto}
.mf-journey .widget-checkbox label.widget-label-basic {white-space:normal; line-height:1.3}
.mf-journey .widget-checkbox label.widget-label-basic > span {white-space:normal}
.mf-journey .mf-testimony {margin:6px 0 0 14px; color:#222}
</style>
"""


class JourneyApp:
    """``JourneyApp().widget`` is the page. ``stage.value`` picks a stage; ticking a box updates
    ``answers``; ``submit.click()`` grades every stage."""

    def __init__(
        self, exercise_id: str = "m2_a_journey_that_changes", *, recorder: Recorder | None = None
    ) -> None:
        ex = load_exercise(exercise_id)
        if not isinstance(ex, ModelExercise) or ex.model != "journey.stages":
            raise TypeError(f"{exercise_id} is not a journey exercise")
        self.exercise = ex
        self.journey = load_journey(ex.params.journey)
        self.recorder = recorder or Recorder()
        self.answers: dict[str, dict[str, list[str]]] = {
            st.id: {"profiles": [], "needs": []} for st in self.journey.stages
        }
        self.result: GradeResult | None = None
        self.attempts = 0
        self._loading = False
        self.status = w.HTML()
        self.status.add_class("mf-status")
        stages = self.journey.stages
        self.stage = w.Dropdown(
            options=[(f"{i + 1}. {st.place}, {st.when}", st.id) for i, st in enumerate(stages)],
            description="Stage",
            layout=w.Layout(width="min(440px, 100%)"),
        )
        self.stage.add_class("mf-stage")
        self.prev = w.Button(description="◀ Previous stage")
        self.next = w.Button(description="Next stage ▶")
        self.prev.add_class("mf-prev")
        self.next.add_class("mf-next")
        self.card = w.HTML()
        self.card.add_class("mf-stage-card")
        self.profile_boxes = {}
        for prof in Profile:
            cb = w.Checkbox(description=PROFILE_LABELS[prof], indent=False)
            cb.add_class(f"mf-profile-{prof.value}")
            cb.observe(self._on_change, "value")
            self.profile_boxes[prof] = cb
        self.need_boxes = {}
        for need in Need:
            cb = w.Checkbox(description=NEED_LABELS[need], indent=False)
            cb.add_class(f"mf-need-{need.value}")
            cb.observe(self._on_change, "value")
            self.need_boxes[need] = cb
        self.submit = w.Button(description="Submit all stages", button_style="primary")
        self.submit.add_class("mf-submit")
        self.feedback = w.HTML()
        self.feedback.add_class("mf-feedback")
        self.summary = w.HTML()
        self.summary.add_class("mf-summary")
        self.stage.observe(safe(self.status)(self._on_stage), "value")
        self.prev.on_click(safe(self.status)(lambda _b: self._step(-1)))
        self.next.on_click(safe(self.status)(lambda _b: self._step(1)))
        self.submit.on_click(safe(self.status)(lambda _b: self.submit_answer()))
        profiles = w.Box(list(self.profile_boxes.values()))
        profiles.add_class("mf-grid")
        needs = w.Box(list(self.need_boxes.values()))
        needs.add_class("mf-grid")
        self.widget = w.VBox(
            [
                w.HTML(JOURNEY_CSS),
                title(ex.title, "Module 2 · MC/INF/294 ¶11-12, ¶17, ¶20"),
                w.HTML(
                    f"<p>{esc(ex.instructions)}</p><p><i>{esc(self.journey.spec.summary)} "
                    "The person is synthetic.</i></p>"
                ),
                w.HBox([self.prev, self.stage, self.next]),
                self.card,
                w.HTML("<b>Profiles at this stage</b>"),
                profiles,
                w.HTML("<b>Needs at this stage</b>"),
                needs,
                self.submit,
                self.status,
                self.feedback,
                self.summary,
            ]
        )
        self.widget.add_class("mf-journey")
        self._show(stages[0].id)

    @property
    def current(self) -> str:
        return self.stage.value

    def _show(self, sid: str) -> None:
        k = [st.id for st in self.journey.stages].index(sid)
        st, p = self.journey.at(sid)
        lines = self.journey.new_indicator_lines(k)
        testimony = (
            "<ul class='mf-testimony'>" + "".join(f"<li>{esc(x)}</li>" for x in lines) + "</ul>"
            if lines
            else ""
        )
        self.card.value = (
            f"<div class='mf-card'><h3>Stage {k + 1}: {esc(st.place)}, {esc(st.when)}</h3>"
            f"<p>{esc(p.name)}, {p.age}, from {esc(p.nationality)}.</p><p>{esc(st.story)}</p>"
            f"{testimony}</div>"
        )
        a = self.answers[sid]
        self._loading = True
        for prof, cb in self.profile_boxes.items():
            cb.value = prof.value in a["profiles"]
        for need, cb in self.need_boxes.items():
            cb.value = need.value in a["needs"]
        self._loading = False
        self._refresh_feedback()

    def _refresh_feedback(self) -> None:
        if self.result is None:
            self.feedback.value = ""
            return
        self.feedback.value = feedback_html(self.result, only={self.current}, labels=self.labels())

    def labels(self) -> dict[str, str]:
        return {st.id: f"Stage {i + 1}: {st.place}" for i, st in enumerate(self.journey.stages)}

    def _on_change(self, _change: Any) -> None:
        if self._loading:
            return
        self.answers[self.current] = {
            "profiles": [p.value for p, cb in self.profile_boxes.items() if cb.value],
            "needs": [n.value for n, cb in self.need_boxes.items() if cb.value],
        }

    def _on_stage(self, change: Any) -> None:
        if change["new"]:
            self._show(change["new"])

    def _step(self, delta: int) -> None:
        ids = [st.id for st in self.journey.stages]
        self.stage.value = ids[(ids.index(self.current) + delta) % len(ids)]

    def answer(self) -> dict[str, dict[str, list[str]]]:
        return {sid: a for sid, a in self.answers.items() if a["profiles"] or a["needs"]}

    def submit_answer(self) -> GradeResult | None:
        answer = self.answer()
        if not answer:
            self.status.value = message(
                "part", "Nothing to grade yet: tick profiles and needs for at least one stage."
            )
            return None
        self.recorder.admit(answer)  # too long or too fast: refused before grading
        result = grade(self.exercise, answer)
        self.result = result
        self.attempts += 1
        self.recorder.record(self.exercise.id, answer, result)
        self.status.value = self.recorder.status(
            f"Attempt {self.attempts}: {result.score:.0%}. The feedback below is for this "
            "stage; move between stages to read the others."
        )
        labels = self.labels()
        rows = "".join(
            f"<tr><td>{esc(labels[f.item])}</td>"
            f"<td class='{credit_class(f.credit)}'>{f.credit:.0%}</td></tr>"
            for f in result.items
        )
        self.summary.value = (
            f"<h4>The whole journey: {result.score:.0%}</h4><table class='mf-table'>"
            f"<tr><th>Stage</th><th>Credit</th></tr>{rows}</table>"
        )
        self._refresh_feedback()
        return result


@app_entry
def journey_app(exercise_id: str = "m2_a_journey_that_changes", **kw: Any) -> w.VBox:
    """The journey exercise (a notebook's or a Voila page's one call)."""
    return JourneyApp(exercise_id, **kw).widget
