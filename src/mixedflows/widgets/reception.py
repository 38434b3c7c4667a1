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
from mixedflows.exercises import ModelExercise, load_exercise
from mixedflows.grading import grade
from mixedflows.reception import GROUP_LABELS, ROLE_LABELS, ROLES, Plan, day_night, simulate
from mixedflows.reception.grader import StaffingParams, plan_cost
from mixedflows.reception.inputs import ROLE_AGENCY, get_season, list_seasons
from mixedflows.reception.outputs import MEASURES
from mixedflows.reception.simulation import replicate
from mixedflows.widgets.common import Recorder, app_entry, esc, feedback_html, safe, title

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


class ReceptionApp:
    """The reception-centre app: ``ReceptionApp().widget`` is what the page shows."""

    def __init__(
        self,
        exercise_id: str = "m4_staff_the_centre",
        *,
        recorder: Recorder | None = None,
        seed: int = 1,
    ) -> None:
        ex = load_exercise(exercise_id)
        if not isinstance(ex, ModelExercise) or ex.model != "reception.staffing":
            raise TypeError(f"{exercise_id} is not a reception.staffing exercise")
        self.exercise = ex
        self.params: StaffingParams = ex.params
        self.config = self.params.config()
        self.recorder = recorder or Recorder()
        self.seed = seed
        self.status = w.HTML()
        self.status.add_class("mf-status")
        self.result = None
        self.runs = 0  # seasons simulated by this app (tests read it)
        enable_offline_charts()  # vega from vl-convert's bundle (cached), never a CDN
        self._build()
        self.refresh()

    # -- layout --------------------------------------------------------------------------------
    def _build(self) -> None:
        ex = self.exercise
        self.head = title(
            ex.title,
            f"Module {ex.module} · MC/INF/294 " + ", ".join(f"¶{p}" for p in ex.seed_paragraphs),
        )
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
                style={"description_width": "190px"},
            )
            s.add_class(f"mf-{c.key.replace('_', '-')}")
            self.sliders[c.key] = s
        self.kids_first = w.Checkbox(
            value=False,
            indent=False,
            description="Unaccompanied children first, with urgent medical needs",
            layout=w.Layout(width="440px"),
        )
        self.kids_first.add_class("mf-kids-first")
        self.cost = w.HTML()
        self.cost.add_class("mf-cost")
        self.another = w.Button(
            description="Another season",
            layout=w.Layout(width="140px"),
            tooltip="The same plan, other people and other days (a new seed)",
        )
        self.another.add_class("mf-another")
        self.replicate_btn = w.Button(
            description="Run 10 seasons",
            layout=w.Layout(width="140px"),
            tooltip="The same plan over 10 seasons: intervals",
        )
        self.replicate_btn.add_class("mf-replicate")
        self.check = w.Button(
            description="Check my plan", button_style="primary", layout=w.Layout(width="140px")
        )
        self.check.add_class("mf-check")
        self.summary = w.HTML()
        self.summary.add_class("mf-summary")
        self.intervals = w.HTML()
        self.intervals.add_class("mf-intervals")
        self.feedback = w.HTML()
        self.feedback.add_class("mf-feedback")
        self.caveats = w.HTML()

        refresh = safe(self.status)(lambda _c: self.refresh())
        for s in self.sliders.values():
            s.observe(refresh, "value")
        self.kids_first.observe(refresh, "value")
        self.season.observe(refresh, "value")
        self.another.on_click(safe(self.status)(self._on_another))
        self.replicate_btn.on_click(safe(self.status)(self._on_replicate))
        self.check.on_click(safe(self.status)(self._on_check))

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
                w.HBox([self.another, self.replicate_btn]),
                self.check,
            ],
            layout=w.Layout(width="450px"),
        )
        charts = w.VBox([self.summary, self.occupancy, self.waits], layout=w.Layout(width="760px"))
        self.widget = w.VBox(
            [
                self.head,
                w.HTML(f"<p>{esc(self.exercise.instructions)}</p>"),
                w.HBox([controls, charts]),
                self.status,
                self.intervals,
                self.feedback,
                self.caveats,
            ],
            layout=w.Layout(max_width="1240px"),
        )

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
        plan = self.plan()
        r = simulate(self.season.value, plan, self.config, seed=self.seed)
        self.result = r
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
        kind = "mf-ok" if cost <= budget else "mf-bad"
        self.cost.value = (
            f'<span class="{kind}">Cost: <b>{cost:.1f}</b> points a day (budget {budget:g})</span>'
        )
        self.caveats.value = _caveats(rs)
        self.status.value = ""

    # -- callbacks -----------------------------------------------------------------------------
    def _on_another(self, _b: Any) -> None:
        self.seed += 1
        self.refresh()

    def _on_replicate(self, _b: Any) -> None:
        rep = replicate(
            self.season.value, self.plan(), self.config, seeds=range(self.seed, self.seed + 10)
        )
        rows = "".join(
            f"<tr><td>{esc(MEASURES[k])}</td><td>{iv.mean:,.1f}</td>"
            f"<td>{iv.low:,.1f} to {iv.high:,.1f}</td></tr>"
            for k in (
                "child_max_wait",
                "children_late",
                "screened_late",
                "days_over_capacity",
                "peak_occupancy",
                "mean_interview_wait",
            )
            for iv in [rep.interval(k)]
        )
        self.intervals.value = (
            f"<h4>The same plan over 10 seasons (seeds {self.seed} to {self.seed + 9})</h4>"
            f'<table class="mf-table"><tr><th>Measure</th><th>Mean</th>'
            f"<th>90% of seasons between</th></tr>{rows}</table>"
        )

    def _on_check(self, _b: Any) -> None:
        plan = self.plan()
        result = grade(self.exercise, plan)
        answer = plan.model_dump(mode="json")
        self.recorder.record(self.exercise.id, answer, result)
        season = get_season(self.params.season).title
        self.status.value = self.recorder.status(
            f"Checked over {len(self.params.seeds)} seasons of '{season}': {result.score:.0%}."
        )
        self.feedback.value = feedback_html(result)


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
