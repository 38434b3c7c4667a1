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

from mixedflows.exercises import ModelExercise
from mixedflows.grading import GradeResult
from mixedflows.widgets import ui
from mixedflows.widgets.base import ExerciseApp, ExercisePage
from mixedflows.widgets.common import app_entry


class _RescueCase(ExerciseApp):
    """What the two rescue exercises share: the case their exercise names, the layout, the
    status line."""

    expects = (ModelExercise,)
    css = "mf-rescue mf-wrap"
    max_width = "900px"

    def load_case(self) -> Any:
        from mixedflows.rescue import load_rescue

        self.case = load_rescue(self.exercise.params.case)
        return self.case

    def status_line(self, result: GradeResult) -> str:
        return f"Score {result.score:.0%}. Change anything and check again."


def html() -> Any:
    """The rescue apps' macros (``templates/rescue.html.j2``)."""
    return ui.macros("rescue.html.j2")


def people_html(case: Any) -> str:
    """Who is aboard, as the master reports them (synthetic persons)."""
    return str(html().people([p.narrative for p in case.persons]))


def ports_html(case: Any) -> str:
    """The ports the coordinator may choose: state, sailing time, what is known of each."""
    return str(html().ports(case.spec.ports))


def _checks(options: Any, css: str) -> dict[str, w.Checkbox]:
    out = {}
    for o in options:
        cb = w.Checkbox(description=o.label, indent=False, layout=w.Layout(width="auto"))
        cb.add_class(f"{css}-{o.id.replace('_', '-')}")
        out[o.id] = cb
    return out


def _standards_rule() -> str:
    """How the standards are scored, from :data:`mixedflows.results.TICK_RULE`."""
    from mixedflows.results import TICK_RULE

    return f"How the standards are scored: {TICK_RULE}."


class RescueApp(_RescueCase):
    """Where to disembark, what happens on board, who is informed."""

    model = "rescue.decision"
    default_exercise = "m4_rescue_decision"
    submit_label = "Check my decision"
    submit_css = "mf-rescue-submit"
    feedback_css = "mf-rescue-feedback"
    empty_message = (
        "Nothing to grade yet: choose a port first, then check. Nothing was graded or recorded."
    )

    def inputs(self) -> list[w.Widget]:
        from mixedflows.rescue import INFORMED, ON_BOARD

        spec = self.load_case().spec
        self.port = w.RadioButtons(
            options=[(f"{p.name} ({p.state}, {p.hours:g} h)", p.id) for p in spec.ports],
            value=None,
            description="Port",
            layout=w.Layout(width="auto"),
        )
        self.port.add_class("mf-rescue-port")
        self.on_board = _checks(ON_BOARD, "mf-board")
        self.informed = _checks(INFORMED, "mf-inform")
        return [
            self.port,
            w.HTML(str(html().heading("2. What does the master do on board until then?"))),
            w.VBox(list(self.on_board.values())),
            w.HTML(str(html().heading("3. Whom does your centre inform?"))),
            w.VBox(list(self.informed.values())),
        ]

    def intro(self) -> list[w.Widget]:
        from mixedflows.rescue.grader import never_rule

        spec = self.case.spec
        self.intro_box = w.HTML(
            str(
                html().rescue_intro(
                    ui.Markup(
                        ui.paragraphs(f"{self.exercise.instructions.strip()} {never_rule()}")
                    ),
                    spec.situation,
                    spec.ship,
                    [p.narrative for p in self.case.persons],
                    spec.ports,
                )
            )
        )
        return [self.intro_box]

    def answer(self) -> dict[str, Any]:
        return {
            "port": self.port.value,
            "on_board": [k for k, cb in self.on_board.items() if cb.value],
            "informed": [k for k, cb in self.informed.items() if cb.value],
        }

    def is_empty(self, answer: Any) -> bool:
        return answer["port"] is None

    def draft(self) -> Any:
        return self.answer()

    def restore(self, draft: Any) -> None:
        if draft.get("port") in {p for _label, p in self.port.options}:
            self.port.value = draft["port"]
        for key, boxes in (("on_board", self.on_board), ("informed", self.informed)):
            for k, cb in boxes.items():
                cb.value = k in (draft.get(key) or [])


class HoldingApp(_RescueCase):
    """After landing: a placement for each person, and the standards the facility fails."""

    model = "rescue.holding"
    default_exercise = "m4_holding_standards"
    submit_label = "Check placements and standards"
    submit_css = "mf-holding-submit"
    feedback_css = "mf-holding-feedback"
    empty_message = (
        "Nothing to grade yet: choose a placement for at least one person, then check. "
        "Nothing was graded or recorded."
    )

    def __init__(
        self,
        exercise_id: str = "m4_holding_standards",
        *,
        recorder: Any = None,
        reception_link: bool = False,
    ) -> None:
        self.reception_link = reception_link
        super().__init__(exercise_id, recorder=recorder)

    def inputs(self) -> list[w.Widget]:
        from mixedflows.rescue import PLACEMENTS, STANDARDS

        spec = self.load_case().spec
        self.placements: dict[str, w.Dropdown] = {}
        rows: list[w.Widget] = []
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
            rows.append(w.VBox([w.HTML(str(html().cite(p.narrative))), dd]))
        self.standards = _checks(STANDARDS, "mf-std")
        return [
            *rows,
            w.HTML(str(html().heading("2. Which standards does the centre fail?"))),
            w.VBox(list(self.standards.values())),
        ]

    def intro(self) -> list[w.Widget]:
        fac = self.case.spec.facility
        self.intro_box = w.HTML(
            str(
                html().holding_intro(
                    ui.Markup(
                        ui.paragraphs(f"{self.exercise.instructions.strip()} {_standards_rule()}")
                    ),
                    fac.name,
                    fac.description,
                    self.reception_link,
                )
            )
        )
        return [self.intro_box]

    def answer(self) -> dict[str, Any]:
        return {
            "placements": {k: dd.value for k, dd in self.placements.items() if dd.value},
            "failed_standards": [k for k, cb in self.standards.items() if cb.value],
        }

    def is_empty(self, answer: Any) -> bool:
        return not answer["placements"]

    def restore(self, draft: Any) -> None:
        for k, dd in self.placements.items():
            v = (draft.get("placements") or {}).get(k)
            dd.value = v if v in {x for _label, x in dd.options} else None
        for k, cb in self.standards.items():
            cb.value = k in (draft.get("failed_standards") or [])


@app_entry
def rescue_exercise(exercise_id: str = "m4_rescue_decision", **kw: Any) -> w.VBox:
    return RescueApp(exercise_id, **kw).widget


@app_entry
def holding_exercise(exercise_id: str = "m4_holding_standards", **kw: Any) -> w.VBox:
    return HoldingApp(exercise_id, **kw).widget


@app_entry
def rescue_app(**kw: Any) -> w.VBox:
    """The Voila app: the rescue decision, then the holding facility (built when its step is
    first opened)."""
    return ExercisePage(
        "Module 4: rescue at sea and after landing",
        "MC/INF/294 ¶16-19, ¶21 · the duty to render assistance, a place of safety, reception",
        [
            ("rescue", "1. The rescue", lambda: RescueApp(**kw)),
            ("holding", "2. After landing", lambda: HoldingApp(reception_link=True, **kw)),
        ],
        css="mf-rescue-page",
    ).widget


__all__ = [
    "HoldingApp",
    "RescueApp",
    "holding_exercise",
    "rescue_app",
    "rescue_exercise",
]
