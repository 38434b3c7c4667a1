"""Module 4, the reception centre: choose a season, staff, beds and transfers; see occupancy and
waiting times by group change as the controls move; check the plan against the exercise.

The app only collects input and renders: the season is run by
:func:`mixedflows.reception.simulate`, replicated runs by :func:`~mixedflows.reception.replicate`,
the grade by :func:`mixedflows.grading.grade`. Charts are the functions of
:mod:`mixedflows.charts.reception`, shown with ``alt.JupyterChart`` in offline mode (no CDN).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import altair as alt
import ipywidgets as w

from mixedflows.charts.offline import enable_offline_charts
from mixedflows.charts.reception import (
    occupancy_chart,
    occupancy_spec,
    waits_chart,
    waits_spec,
)
from mixedflows.exercises import ModelExercise
from mixedflows.grading import GradeResult, grade
from mixedflows.reception import GROUP_LABELS, ROLE_LABELS, ROLES, Plan, day_night, simulate
from mixedflows.reception.grader import StaffingParams, plan_cost
from mixedflows.reception.inputs import ROLE_AGENCY, get_season, list_seasons
from mixedflows.reception.outputs import MEASURES
from mixedflows.reception.simulation import replicate
from mixedflows.widgets import ui
from mixedflows.widgets.base import ExerciseApp
from mixedflows.widgets.common import Recorder, app_entry, esc

EMBED = {"renderer": "svg", "actions": False}


@dataclass(frozen=True)
class Control:
    """A number the learner sets: declared once, the slider is built from it."""

    key: str
    label: str
    low: int
    high: int
    step: int
    help: str


SHORT_ROLE: dict[str, str] = {
    # Slider labels must fit beside the slider; the tooltip gives the full name and agency.
    "medical": "Medical staff",
    "screening": "Screening, counselling",
    "child_protection": "Child protection",
    "mediation": "Mediators",
}

CONTROLS: tuple[Control, ...] = (
    *(
        Control(
            f"{role}_{shift}",
            f"{SHORT_ROLE.get(role, role)}, {shift}",
            0,
            40,
            1,
            f"{ROLE_LABELS[role]} ({ROLE_AGENCY[role]} at Lampedusa) on the {shift} shift "
            f"({'08:00-20:00' if shift == 'day' else '20:00-08:00'})",
        )
        for role in ROLES
        for shift in ("day", "night")
    ),
    Control(
        "beds",
        "Beds",
        0,
        2000,
        10,
        "Beds in the centre; more people than beds is overcrowding (¶19)",
    ),
    Control(
        "transfers_per_day",
        "Transfers a day",
        0,
        1000,
        10,
        "Seats out of the centre each day, at 10:00, for people already referred",
    ),
)


def plan_values(plan: Plan) -> dict[str, int]:
    """The control values showing ``plan`` (staff on duty at 08:00 and at 20:00)."""
    out: dict[str, int] = {}
    for role in ROLES:
        on = plan.on_duty(role)
        out[f"{role}_day"], out[f"{role}_night"] = int(on[8]), int(on[20])
    out["beds"], out["transfers_per_day"] = plan.beds, plan.transfers_per_day
    return out


class ReceptionApp(ExerciseApp):
    """The reception-centre app: ``ReceptionApp().widget`` is what the page shows."""

    expects = (ModelExercise,)
    model = "reception.staffing"
    default_exercise = "m4_staff_the_centre"
    submit_label = "Check my plan"

    def __init__(
        self,
        exercise_id: str = "m4_staff_the_centre",
        *,
        recorder: Recorder | None = None,
        seed: int = 1,
    ) -> None:
        self.seed = seed
        self.runs = 0  # seasons simulated by this app (tests read it)
        self.sim = None
        super().__init__(exercise_id, recorder=recorder)
        self.refresh()

    # -- layout --------------------------------------------------------------------------------
    def inputs(self) -> list[w.Widget]:
        self.params: StaffingParams = self.exercise.params
        self.config = self.params.config()
        enable_offline_charts()  # vega from vl-convert's bundle (cached), never a CDN
        seasons = list_seasons()
        self.season = w.Dropdown(
            options=[(get_season(s).title, s) for s in seasons],
            value=self.params.season,
            description="Season",
            layout=w.Layout(width="430px"),
            style={"description_width": "60px"},
        )
        self.season.add_class("mf-reception-season")
        self.sliders: dict[str, w.IntSlider] = {}
        values = plan_values(self.params.starting_plan)
        for c in CONTROLS:
            s = w.IntSlider(
                value=values[c.key],
                min=c.low,
                max=c.high,
                step=c.step,
                description=c.label,
                tooltip=c.help,
                continuous_update=False,
                layout=w.Layout(width="430px"),
                style={"description_width": "170px"},
            )
            s.add_class(f"mf-{c.key.replace('_', '-')}")
            self.sliders[c.key] = s
        self.kids_first = w.Checkbox(
            value=False,
            indent=False,
            description="Unaccompanied children first, with urgent medical needs",
            layout=w.Layout(width="auto"),
        )
        self.kids_first.add_class("mf-kids-first")
        self.cost = w.HTML()
        self.cost.add_class("mf-cost")
        self.another = w.Button(
            description="Another season",
            layout=w.Layout(width="auto"),
            tooltip="The same plan, other people and other days (a new seed)",
        )
        self.another.add_class("mf-another")
        self.replicate_btn = w.Button(
            description="Run 10 seasons",
            layout=w.Layout(width="auto"),
            tooltip="The same plan over 10 seasons: intervals",
        )
        self.replicate_btn.add_class("mf-replicate")
        self.submit.add_class("mf-check")
        self.summary = w.HTML()
        self.summary.add_class("mf-summary")
        self.intervals = w.HTML()
        self.intervals.add_class("mf-intervals")
        self.caveats = w.HTML()

        refresh = self.safe(lambda _c: self.refresh())
        for s in self.sliders.values():
            s.observe(refresh, "value")
        self.kids_first.observe(refresh, "value")
        self.season.observe(refresh, "value")
        self.another.on_click(self.safe(self._on_another))
        self.replicate_btn.on_click(self.safe(self._on_replicate))

        self.occupancy = alt.JupyterChart(occupancy_chart(_empty_daily()), embed_options=EMBED)
        self.occupancy.add_class("mf-occupancy-chart")
        self.waits = alt.JupyterChart(
            waits_chart(
                _empty_waits(),
                self.config.limits.child_interview_hours,
                self.config.limits.screening_hours,
            ),
            embed_options=EMBED,
        )
        self.waits.add_class("mf-waits-chart")
        controls = w.VBox(
            [
                self.season,
                w.HTML("<b>Staff on duty</b> (day 08:00-20:00, night 20:00-08:00)"),
                *[self.sliders[f"{r}_{s}"] for r in ROLES for s in ("day", "night")],
                w.HTML("<b>Beds and transfers</b>"),
                self.sliders["beds"],
                self.sliders["transfers_per_day"],
                self.kids_first,
                self.cost,
                _row([self.another, self.replicate_btn, self.submit]),
                self.status,
            ],
            layout=w.Layout(width="450px"),
        )
        controls.add_class("mf-controls")
        charts = w.VBox([self.summary, self.occupancy, self.waits], layout=w.Layout(width="760px"))
        charts.add_class("mf-charts")
        charts.add_class("mf-scroll")  # wider than a phone: scrolls, reachable by keyboard
        # Controls and charts side by side on a wide screen, one under the other on a narrow
        # one (the row wraps): the summary never covers a control.
        return [_row([controls, charts])]

    def actions(self) -> w.Widget:
        return w.Box()  # Check sits with the controls, its status line under it

    def after(self) -> list[w.Widget]:
        return [self.intervals, self.caveats]

    # -- state ---------------------------------------------------------------------------------
    def plan(self) -> Plan:
        """The plan the controls show."""
        v = {k: s.value for k, s in self.sliders.items()}
        prio = dict(self.params.starting_plan.priority)
        if self.kids_first.value:
            prio["unaccompanied_child"] = prio.get("urgent_medical", 0)
        return Plan(
            staff={r: day_night(v[f"{r}_day"], v[f"{r}_night"]) for r in ROLES},
            beds=v["beds"],
            transfers_per_day=v["transfers_per_day"],
            transfer_hour=self.params.starting_plan.transfer_hour,
            priority=prio,
        )

    def refresh(self) -> None:
        """Run the season under the current plan and redraw both charts."""
        if self._quiet and self.sim is not None:
            return  # a draft being restored: refreshed once, after
        plan = self.plan()
        r = simulate(self.season.value, plan, self.config, seed=self.seed)
        self.sim = r
        self.runs += 1
        lim = self.config.limits
        # New data into the charts' cached specs: no altair rebuild on every move.
        self.occupancy.spec = occupancy_spec(r.daily())
        self.waits.spec = waits_spec(
            r.waits_by_group(), lim.child_interview_hours, lim.screening_hours
        )
        m = r.metrics
        rs = r.season
        self.summary.value = (
            f'<div class="mf-card"><b>{esc(rs.season.title)}</b>: one simulated season '
            f"(seed {self.seed}) of {int(m['people']):,} people over {rs.days} days. "
            f"More people than beds on <b>{int(m['days_over_capacity'])}</b> days; at most "
            f"<b>{int(m['peak_occupancy']):,}</b> people in a centre built for "
            f"{rs.capacity:,}. Longest wait of an unaccompanied child for a child-protection "
            f"interview: <b>{m['child_max_wait']:.1f} h</b>; "
            f"<b>{int(m['children_late']):,}</b> of {int(m['children']):,} children waited "
            f"more than {lim.child_interview_hours:g} h. People interviewed later than "
            f"{lim.screening_hours:g} h (children: {lim.child_interview_hours:g} h): "
            f"<b>{int(m['screened_late']):,}</b>. <i>Chance is involved: use "
            "<b>Run 10 seasons</b> for intervals.</i></div>"
        )
        cost = plan_cost(plan, self.params.costs)
        budget = self.params.objectives.budget.points_per_day
        within = cost <= budget
        self.cost.value = (
            f'<span class="{"mf-ok" if within else "mf-bad"}">Cost: <b>{cost:.1f}</b> points a '
            f"day (budget {budget:g}: {'within' if within else 'over'} budget)</span>"
        )
        self.caveats.value = _caveats(rs)
        if self.result is None or self.stale:
            self.status.value = ""

    @property
    def season_id(self) -> str:
        return self.season.value

    # -- callbacks -----------------------------------------------------------------------------
    def _on_another(self, _b: Any) -> None:
        self.seed += 1
        self.refresh()

    def _on_replicate(self, _b: Any) -> None:
        rep = replicate(
            self.season.value, self.plan(), self.config, seeds=range(self.seed, self.seed + 10)
        )
        rows = [
            [MEASURES[k], f"{iv.mean:,.1f}", f"{iv.low:,.1f} to {iv.high:,.1f}"]
            for k in (
                "child_max_wait",
                "children_late",
                "screened_late",
                "days_over_capacity",
                "peak_occupancy",
                "mean_interview_wait",
            )
            for iv in [rep.interval(k)]
        ]
        self.intervals.value = ui.table(
            ["Measure", "Mean", "90% of seasons between"],
            rows,
            caption=f"The same plan over 10 seasons (seeds {self.seed} to {self.seed + 9})",
        )

    # -- the exercise ----------------------------------------------------------------------------
    def answer(self) -> Plan:
        return self.plan()

    def is_empty(self, answer: Any) -> bool:
        return False  # every plan can be checked

    def graded_exercise(self) -> ModelExercise:
        """The exercise on the season the learner has selected (Check grades what is shown)."""
        if self.season.value == self.params.season:
            return self.exercise
        return self.exercise.model_copy(
            update={"params": {**self.exercise.params, "season": self.season.value}}
        )

    def grade(self, answer: Any) -> GradeResult:
        return grade(self.graded_exercise(), answer)

    def record_answer(self, answer: Any) -> Any:
        return {**answer.model_dump(mode="json"), "season": self.season.value}

    def status_line(self, result: GradeResult) -> str:
        season = get_season(self.season.value).title
        return f"Checked over {len(self.params.seeds)} seasons of '{season}': {result.score:.0%}."

    def draft(self) -> Any:
        return {
            "season": self.season.value,
            "kids_first": self.kids_first.value,
            "controls": {k: s.value for k, s in self.sliders.items()},
        }

    def restore(self, draft: Any) -> None:
        if draft.get("season") in dict(self.season.options).values():
            self.season.value = draft["season"]
        self.kids_first.value = bool(draft.get("kids_first"))
        for k, v in draft.get("controls", {}).items():
            if k in self.sliders:
                s = self.sliders[k]
                s.value = max(s.min, min(s.max, int(v)))


def _row(children: list[w.Widget]) -> w.HBox:
    row = w.HBox(children, layout=w.Layout(align_items="flex-start"))
    row.add_class("mf-row")
    return row


def _caveats(rs) -> str:
    items = "".join(f"<li>{esc(c)}</li>" for c in rs.season.caveats)
    if not items:
        items = (
            "<li>Service times, shifts and the share of people needing an interpreter are "
            "teaching assumptions, not measured figures.</li>"
        )
    return (
        f'<div class="mf-cite"><b>Sources and caveats.</b> Capacity: '
        f"{esc(rs.capacity_source)}.<ul>{items}</ul>Groups: "
        + ", ".join(esc(v) for v in GROUP_LABELS.values())
        + ". Everyone in the simulation is synthetic.</div>"
    )


def _empty_daily():
    import pandas as pd

    return pd.DataFrame(
        columns=[
            "date",
            "in_season",
            "arrivals",
            "transfers",
            "peak_occupancy",
            "beds",
            "built_for",
            "over_capacity",
        ]
    )


def _empty_waits():
    import pandas as pd

    return pd.DataFrame(columns=["label", "people", "mean_wait", "p90_wait", "max_wait", "late"])


@app_entry
def reception_app(exercise_id: str = "m4_staff_the_centre", **kw: Any) -> w.VBox:
    """Build and return the reception-centre app (the notebook's last expression shows it)."""
    return ReceptionApp(exercise_id, **kw).widget
