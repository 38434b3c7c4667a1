"""Module 2, "A journey that changes" (MC/INF/294 ¶11-12): one person, stage by stage.

At each stage the learner reads what happened and ticks the profiles and the needs; Submit
grades every stage with the screening rules on that stage's facts (:mod:`mixedflows.journey`)
and records the attempt. The widgets keep the answers in a plain dict; the engine does the rest.
"""

from __future__ import annotations

from typing import Any

import ipywidgets as w

from mixedflows.exercises import ModelExercise
from mixedflows.grading import Feedback, GradeResult
from mixedflows.journey import load_journey
from mixedflows.profiles import NEED_LABELS, PROFILE_LABELS, Need, Profile
from mixedflows.widgets import ui
from mixedflows.widgets.base import ExerciseApp
from mixedflows.widgets.common import app_entry


def html() -> Any:
    """The app's macros (``templates/journey.html.j2``)."""
    return ui.macros("journey.html.j2")


class JourneyApp(ExerciseApp):
    """``JourneyApp().widget`` is the page. ``stage.value`` picks a stage; ticking a box updates
    ``answers``; ``submit.click()`` grades every stage."""

    expects = (ModelExercise,)
    model = "journey.stages"
    default_exercise = "m2_a_journey_that_changes"
    submit_label = "Submit all stages"
    css = "mf-journey"
    auto_watch = False  # the boxes show one stage at a time: _on_change tracks the answers
    empty_message = (
        "Nothing to grade yet: tick profiles and needs for at least one stage. "
        "Nothing was graded or recorded."
    )

    def inputs(self) -> list[w.Widget]:
        self.journey = load_journey(self.exercise.params.journey)
        stages = self.journey.stages
        self.answers: dict[str, dict[str, list[str]]] = {
            st.id: {"profiles": [], "needs": []} for st in stages
        }
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
        self.profile_boxes: dict[Profile, w.Checkbox] = {}
        for prof in Profile:
            cb = w.Checkbox(description=PROFILE_LABELS[prof], indent=False)
            cb.add_class(f"mf-profile-{prof.value}")
            cb.observe(self.safe(self._on_change), "value")
            self.profile_boxes[prof] = cb
        self.need_boxes: dict[Need, w.Checkbox] = {}
        for need in Need:
            cb = w.Checkbox(description=NEED_LABELS[need], indent=False)
            cb.add_class(f"mf-need-{need.value}")
            cb.observe(self.safe(self._on_change), "value")
            self.need_boxes[need] = cb
        self.summary = w.HTML()
        self.summary.add_class("mf-summary")
        self.stage.observe(self.safe(self._on_stage), "value")
        self.prev.on_click(self.safe(lambda _b: self._step(-1)))
        self.next.on_click(self.safe(lambda _b: self._step(1)))
        profiles = w.Box(list(self.profile_boxes.values()))
        profiles.add_class("mf-grid")
        needs = w.Box(list(self.need_boxes.values()))
        needs.add_class("mf-grid")
        self._show(stages[0].id)
        return [
            w.HBox([self.prev, self.stage, self.next]),
            self.card,
            w.HTML(str(html().label("Profiles at this stage"))),
            profiles,
            w.HTML(str(html().label("Needs at this stage"))),
            needs,
        ]

    def intro(self) -> list[w.Widget]:
        return [
            w.HTML(
                str(
                    html().intro(
                        ui.Markup(ui.paragraphs(self.exercise.instructions)),
                        self.journey.spec.summary,
                    )
                )
            )
        ]

    def after(self) -> list[w.Widget]:
        return [self.summary]

    @property
    def current(self) -> str:
        return self.stage.value

    def _show(self, sid: str) -> None:
        k = [st.id for st in self.journey.stages].index(sid)
        st, p = self.journey.at(sid)
        self.card.value = str(
            html().stage(
                k + 1,
                st.place,
                st.when,
                p.name,
                p.age,
                p.nationality,
                st.story,
                list(self.journey.new_indicator_lines(k)),
            )
        )
        a = self.answers[sid]
        with self.quietly():
            for prof, cb in self.profile_boxes.items():
                cb.value = prof.value in a["profiles"]
            for need, cb in self.need_boxes.items():
                cb.value = need.value in a["needs"]
        self.show_feedback()

    def labels(self) -> dict[str, str]:
        return {st.id: f"Stage {i + 1}: {st.place}" for i, st in enumerate(self.journey.stages)}

    def _on_change(self, _change: Any) -> None:
        if self._quiet:
            return
        self.answers[self.current] = {
            "profiles": [p.value for p, cb in self.profile_boxes.items() if cb.value],
            "needs": [n.value for n, cb in self.need_boxes.items() if cb.value],
        }
        self.changed()

    def _on_stage(self, change: Any) -> None:
        if change["new"]:
            self._show(change["new"])
            self.save_draft()

    def _step(self, delta: int) -> None:
        ids = [st.id for st in self.journey.stages]
        self.stage.value = ids[(ids.index(self.current) + delta) % len(ids)]

    # -- the exercise ----------------------------------------------------------------------------
    def answer(self) -> dict[str, dict[str, list[str]]]:
        return {sid: a for sid, a in self.answers.items() if a["profiles"] or a["needs"]}

    def status_line(self, result: GradeResult) -> str:
        return (
            f"Attempt {self.attempts}: {result.score:.0%}. The feedback below is for this "
            "stage; move between stages to read the others."
        )

    def feedback_items(self, result: GradeResult) -> list[Feedback]:
        return [f for f in result.items if f.item.startswith(self.current)]

    def item_label(self, item: str) -> str:
        return self.labels().get(item, item)

    def after_grade(self, result: GradeResult) -> None:
        labels = self.labels()
        rows = [
            [labels.get(f.item, f.item), (f"{f.credit:.0%}", ui.credit_class(f.credit))]
            for f in result.items
        ]
        self.summary.value = ui.table(
            ["Stage", "Credit"], rows, caption=f"The whole journey: {result.score:.0%}"
        )

    def changed(self) -> None:
        super().changed()
        if self.stale:
            self.summary.value = ""

    def draft(self) -> Any:
        return {"answers": self.answer(), "current": self.current}

    def restore(self, draft: Any) -> None:
        for sid, a in (draft.get("answers") or {}).items():
            if sid in self.answers:
                self.answers[sid] = {
                    "profiles": [
                        x for x in a.get("profiles", []) if x in Profile._value2member_map_
                    ],
                    "needs": [x for x in a.get("needs", []) if x in Need._value2member_map_],
                }
        current = draft.get("current")
        if current in self.answers:
            self.stage.value = current
        self._show(self.current)


@app_entry
def journey_app(exercise_id: str = "m2_a_journey_that_changes", **kw: Any) -> w.VBox:
    """The journey exercise (a notebook's or a Voila page's one call)."""
    app = JourneyApp(exercise_id, **kw)
    return app.widget
