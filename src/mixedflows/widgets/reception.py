"""Module 4, the reception centre: choose a season, staff, beds and transfers; see occupancy and
waiting times by group change as the controls move; check the plan against the exercise.

The app only collects input and renders: the season is run by
:func:`mixedflows.reception.simulate`, replicated runs by :func:`~mixedflows.reception.replicate`,
the grade by :func:`mixedflows.grading.grade`. Charts are the golden specs of
:mod:`mixedflows.charts.reception_data` drawn by :class:`~mixedflows.charts.view.VegaView`
(altair's offline front end, no CDN), so the page never imports altair.

**Cold start and memory.** The page does not wait for the simulation: the first season it
shows (the exercise's starting plan) is a memo, computed once by the simulation itself
(:func:`warm_first_view`, run by ``./mfl`` at install and by ``binder/postBuild``; or by the
first page that finds none) and kept in the cache folder under a key of the season, the plan,
the configuration, the seed, numpy's version and every file of the package and of datasets/
(size and modification time): changed code or data is never shown from an old memo. When the
learner moves a control (or Check, or Another season, or Run 10 seasons) the season runs on the
plain-Python event loop (:mod:`mixedflows.reception.plain`, the compiled kernel's result to the
last bit) and its charts and grade are read from arrays: the kernel loads neither numba (about
130 MB of a kernel) nor pandas (issue 16; ``benchmarks/kernel_memory.py``). Once a season, 10
seasons or a check have run, the memory their arrays held goes back to the system
(:func:`mixedflows.memory.release`): glibc kept 4 to 7 MB of it in the kernel after each.

**Charts drawn ahead** (issue 13 start-up). The warm-up also keeps the first season's two charts
drawn, as SVG by Vega (:func:`mixedflows.charts.view.drawn`, from the very specs the page
fills): the page shows them with its first view, and its chart front end draws them live
(tooltips, redraws) once the browser is idle or a control moves. The page's first view then
waits neither for the 900 KB chart bundle nor for Vega; its notebook fetches the bundle once
its widgets are shown (``"charts": "later"``).
"""

from __future__ import annotations

import json
import logging
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import ipywidgets as w

from mixedflows import memory
from mixedflows.charts import reception_data as chart_data
from mixedflows.exercises import ModelExercise
from mixedflows.grading import GradeResult, grade
from mixedflows.reception.grader import StaffingParams, plan_cost
from mixedflows.reception.inputs import (
    ROLE_AGENCY,
    ROLE_LABELS,
    ROLES,
    Config,
    Plan,
    day_night,
    season_choices,
)
from mixedflows.widgets import ui
from mixedflows.widgets.base import ExerciseApp
from mixedflows.widgets.common import Recorder, app_entry

EMBED = {"renderer": "svg", "actions": False}
log = logging.getLogger(__name__)


def html() -> Any:
    """The app's macros (``templates/reception.html.j2``)."""
    return ui.macros("reception.html.j2")


def simulate(*args: Any, **kwargs: Any) -> Any:
    """:func:`mixedflows.reception.simulate`, loaded when first needed."""
    from mixedflows.reception.simulation import simulate as run

    return run(*args, **kwargs)


def replicate(*args: Any, **kwargs: Any) -> Any:
    """:func:`mixedflows.reception.replicate`, loaded when first needed."""
    from mixedflows.reception.simulation import replicate as run

    return run(*args, **kwargs)


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
    "screening": "Screening",  # "Screening, counselling, ..." hid day and night (a cold trial)
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
        # What the charts and figures show: the season's view, not its simulation. The result
        # of a simulation (every person's times) is dropped once drawn: on the largest season
        # (about 107,000 people) it held 34 MB of the kernel's memory (issue 16).
        self.view: dict[str, Any] = {}
        self._drawn = False
        self._restored = False
        self._first_key = ""
        super().__init__(exercise_id, recorder=recorder)
        self.refresh()

    # -- layout --------------------------------------------------------------------------------
    def inputs(self) -> list[w.Widget]:
        self.params: StaffingParams = self.exercise.params
        self.config = self.params.config()
        self.season = w.Dropdown(
            options=seasons_offered(),  # a memo of the seasons' titles (each file read once)
            value=self.params.season,
            description="Season",
            layout=ui.shared_layout(width="430px"),
            style=ui.shared_style(w.Dropdown, description_width="60px"),
        )
        self.season.add_class("mf-reception-season")
        self.season_note = ui.text()  # when the season picked is not the instructions' one
        self.season_note.add_class("mf-season-note")
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
                # one layout and one style for every slider (issue 13 start-up)
                layout=ui.shared_layout(width="430px"),
                style=ui.shared_style(w.IntSlider, description_width="170px"),
            )
            s.add_class(f"mf-{c.key.replace('_', '-')}")
            self.sliders[c.key] = s
        self.kids_first = w.Checkbox(
            value=False,
            indent=False,
            description="Unaccompanied children first, with urgent medical needs",
            layout=ui.shared_layout(width="auto"),
            style=ui.shared_style(w.Checkbox),
        )
        self.kids_first.add_class("mf-kids-first")
        self.cost = ui.text()
        self.cost.add_class("mf-cost")
        self.another = w.Button(
            description="Another season",
            layout=ui.shared_layout(width="auto"),
            style=ui.shared_style(w.Button),
            tooltip="The same plan, other people and other days (a new seed)",
        )
        self.another.add_class("mf-another")
        self.replicate_btn = w.Button(
            description="Run 10 seasons",
            layout=ui.shared_layout(width="auto"),
            style=ui.shared_style(w.Button),
            tooltip="The same plan over 10 seasons: intervals",
        )
        self.replicate_btn.add_class("mf-replicate")
        self.submit.add_class("mf-check")
        self.summary = ui.text()
        self.summary.add_class("mf-summary")
        self.intervals = ui.text()
        self.intervals.add_class("mf-intervals")
        self.caveats = ui.text()

        refresh = self.safe(lambda _c: self.refresh())
        for s in self.sliders.values():
            s.observe(refresh, "value")
        self.kids_first.observe(refresh, "value")
        self.season.observe(refresh, "value")
        self.another.on_click(self.safe(self._on_another))
        self.replicate_btn.on_click(self.safe(self._on_replicate))

        from mixedflows.charts.view import VegaView  # vega from the cached offline bundle

        self.occupancy = VegaView(
            chart_data.empty(chart_data.OCCUPANCY_GOLDEN),
            embed_options=EMBED,
            layout=ui.shared_layout(),
        )
        self.occupancy.add_class("mf-occupancy-chart")
        self.occupancy.add_class("mf-scroll")  # scrolls sideways in its box where it must
        self.waits = VegaView(
            chart_data.empty(chart_data.WAITS_GOLDEN),
            embed_options=EMBED,
            layout=ui.shared_layout(),
        )
        self.waits.add_class("mf-waits-chart")
        self.waits.add_class("mf-scroll")  # scrolls sideways in its box where it must
        controls = w.VBox(
            [
                self.season,
                self.season_note,
                ui.text(
                    str(html().label("Staff on duty", " (day 08:00-20:00, night 20:00-08:00)"))
                ),
                *[self.sliders[f"{r}_{s}"] for r in ROLES for s in ("day", "night")],
                ui.text(str(html().label("Beds and transfers"))),
                self.sliders["beds"],
                self.sliders["transfers_per_day"],
                self.kids_first,
                self.cost,
                _row([self.another, self.replicate_btn, self.submit]),
                self.status,
            ],
            layout=ui.shared_layout(width="450px"),
        )
        controls.add_class("mf-controls")
        charts = w.VBox(
            [self.summary, self.occupancy, self.waits], layout=ui.shared_layout(width="760px")
        )
        charts.add_class("mf-charts")  # each chart scrolls in its own box where it must
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
        return shown_plan(
            {k: s.value for k, s in self.sliders.items()},
            self.kids_first.value,
            self.params.starting_plan,
        )

    def refresh(self) -> None:
        """Run the season under the current plan and redraw both charts (the first drawing of
        the page's starting plan from its memo, without loading the simulation)."""
        if self._quiet:
            return  # inputs being built or a draft restored: drawn once, after
        plan = self.plan()
        view = None
        if not self._drawn:
            self._first_key = view_key(self.season.value, plan, self.config, self.seed)
            view = load_view(self._first_key)
        if view is None:
            r = simulate(self.season.value, plan, self.config, seed=self.seed)
            self.runs += 1
            view = season_view(r, self.config)
            del r
            memory.release()  # the season's arrays, freed: their pages back to the system
            if not self._drawn and not self._restored:  # the page's starting plan
                save_view(self._first_key, view)
        self._drawn = True
        self.view = view
        lim = self.config.limits
        # New data into the golden specs: no chart built by altair on every move. The memo's
        # drawings are of these very specs (kept with them by warm_first_view); another view
        # has none, and its charts are drawn live.
        drawings = drawn_charts(view)
        with self.occupancy.hold_sync():
            self.occupancy.svg = drawings.get("occupancy", "")
            self.occupancy.spec = chart_data.occupancy_spec(view["occupancy"])
        with self.waits.hold_sync():
            self.waits.svg = drawings.get("waits", "")
            self.waits.spec = chart_data.waits_spec(view["waits"])
        m = view["metrics"]
        figures = {
            "seed": self.seed,
            "people": f"{int(m['people']):,}",
            "days": view["days"],
            "days_over": int(m["days_over_capacity"]),
            "peak": f"{int(m['peak_occupancy']):,}",
            "capacity": f"{view['capacity']:,}",
            "child_max_wait": f"{m['child_max_wait']:.1f}",
            "children_late": f"{int(m['children_late']):,}",
            "children": f"{int(m['children']):,}",
            "child_hours": f"{lim.child_interview_hours:g}",
            "screening_hours": f"{lim.screening_hours:g}",
            "screened_late": f"{int(m['screened_late']):,}",
        }
        self.summary.value = str(html().summary(view["title"], figures))
        cost = plan_cost(plan, self.params.costs)
        budget = self.params.objectives.budget.points_per_day
        within = cost <= budget
        self.cost.value = str(html().cost(f"{cost:.1f}", f"{budget:g}", within))
        self.caveats.value = _caveats(view)
        self.season_note.value = self._season_note()
        if self.result is None or self.stale:
            self.status.value = ""

    def _season_note(self) -> str:
        """What Check grades when the season picked is not the one the instructions describe
        (the exercise's): the same objectives and budget, on the season picked
        (:meth:`graded_exercise`); empty on the exercise's own season."""
        if self.season.value == self.params.season:
            return ""
        return str(
            html().season_note(self._title(self.params.season), self._title(self.season.value))
        )

    @property
    def season_id(self) -> str:
        return self.season.value

    # -- callbacks -----------------------------------------------------------------------------
    def _on_another(self, _b: Any) -> None:
        self.seed += 1
        self.refresh()
        self.save_draft()  # the season drawn is the learner's too (a reload went back to seed 1)

    def _on_replicate(self, _b: Any) -> None:
        from mixedflows.reception.outputs import MEASURES

        rep = replicate(
            self.season.value, self.plan(), self.config, seeds=range(self.seed, self.seed + 10)
        )
        rows = [
            # counts of people and days in whole numbers (a cold trial read "387.4 children")
            [MEASURES[k], _figure(k, iv.mean), f"{_figure(k, iv.low)} to {_figure(k, iv.high)}"]
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
        del rep
        memory.release()
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
        # the params are the model's params class (issue 12 point 4), not a dict: copied with
        # the season shown (a cold trial: every other season's Check failed, "StaffingParams
        # is not a mapping")
        params = self.exercise.params.model_copy(update={"season": self.season.value})
        return self.exercise.model_copy(update={"params": params})

    def grade(self, answer: Any) -> GradeResult:
        """The plan graded on the season shown; on another season than the exercise's, as
        practice: recorded with its season named, never counted in the exercise's grade (a
        cold trial earned 45% on an easier season, which the grade and the export took)."""
        import dataclasses

        try:
            result = grade(self.graded_exercise(), answer)  # the plan over several seasons
        finally:
            memory.release()
        practice = self.season.value != self.params.season
        season = self._title(self.season.value)
        return dataclasses.replace(  # the dashboard names the season of each answer
            result, context=f"{season} (practice)" if practice else season, practice=practice
        )

    def _title(self, season_id: str) -> str:
        return {sid: title for title, sid in self.season.options}.get(season_id, season_id)

    def record_answer(self, answer: Any) -> Any:
        return {**answer.model_dump(mode="json"), "season": self.season.value}

    def status_line(self, result: GradeResult) -> str:
        season = self._title(self.season.value)
        line = f"Checked over {len(self.params.seeds)} seasons of '{season}': {result.score:.0%}."
        if result.practice:
            exercise = self._title(self.params.season)
            line += f" Practice: only '{exercise}' counts for your grade."
        return line

    def draft(self) -> Any:
        return {
            "season": self.season.value,
            "kids_first": self.kids_first.value,
            "controls": {k: s.value for k, s in self.sliders.items()},
            "seed": self.seed,
        }

    def redraw(self) -> None:
        self.refresh()

    def restore(self, draft: Any) -> None:
        self._restored = True  # the page starts on the learner's plan, not the starting one
        if draft.get("season") in dict(self.season.options).values():
            self.season.value = draft["season"]
        self.kids_first.value = bool(draft.get("kids_first"))
        seed = draft.get("seed")
        if isinstance(seed, int) and not isinstance(seed, bool) and 1 <= seed <= SEEDS_KEPT:
            self.seed = seed  # the run "Another season" drew
        for k, v in draft.get("controls", {}).items():
            if k in self.sliders:
                s = self.sliders[k]
                s.value = max(s.min, min(s.max, int(v)))


SEEDS_KEPT = 10_000
"""The highest run of the season a draft restores ("Another season" counts up from 1); a
draft's other value (a hostile or damaged one) is ignored, the page shows run 1."""


HOURS = frozenset({"child_max_wait", "mean_interview_wait"})
"""The measures in hours (one decimal); the others count people or days (whole numbers)."""


def _figure(measure: str, value: float) -> str:
    return f"{value:,.1f}" if measure in HOURS else f"{round(value):,}"


def _row(children: list[w.Widget]) -> w.HBox:
    row = w.HBox(children, layout=ui.shared_layout(align_items="flex-start"))
    row.add_class("mf-row")
    return row


def _caveats(view: dict[str, Any]) -> str:
    return str(
        # in the order a person's group is chosen (mixedflows.reception.arrivals: the first
        # that applies), so the sentence saying so is the rule's
        html().caveats(view["capacity_source"], view["caveats"], chart_data.GROUP_ORDER)
    )


def shown_plan(values: dict[str, int], kids_first: bool, starting: Plan) -> Plan:
    """The plan controls showing ``values`` stand for (``kids_first``: unaccompanied children
    share the priority of urgent medical needs); what the controls do not show is
    ``starting``'s."""
    prio = dict(starting.priority)
    if kids_first:
        prio["unaccompanied_child"] = prio.get("urgent_medical", 0)
    return Plan(
        staff={r: day_night(values[f"{r}_day"], values[f"{r}_night"]) for r in ROLES},
        beds=values["beds"],
        transfers_per_day=values["transfers_per_day"],
        transfer_hour=starting.transfer_hour,
        priority=prio,
    )


def season_view(r: Any, config: Config) -> dict[str, Any]:
    """What the page shows of one simulated season (``r``: a ``Result``): the charts' rows, the
    measures, and the season's title, length, capacity, its source and caveats. Plain JSON."""
    rs, lim = r.season, config.limits
    return {
        "occupancy": chart_data.occupancy_data(r.daily_columns()),
        "waits": chart_data.waits_data(
            r.waits_columns(), lim.child_interview_hours, lim.screening_hours
        ),
        "metrics": {k: float(v) for k, v in r.metrics.items()},
        "title": rs.season.title,
        "days": int(rs.days),
        "capacity": int(rs.capacity),
        "capacity_source": rs.capacity_source,
        "caveats": [str(c) for c in rs.season.caveats],
    }


# -- the first view's memo ---------------------------------------------------------------------

MEMO = "reception-view-"
MEMO_VERSION = 2  # 2: the first season's charts drawn ahead ("svg")
MEMOS_KEPT = 6
VIEW_KEYS = {"occupancy", "waits", "metrics", "title", "days", "capacity", "capacity_source"}


def _fingerprint() -> str:
    """Every file of the package and of datasets/ by path, size and modification time (once
    per process: :func:`mixedflows.memo.fingerprint`)."""
    from mixedflows import memo

    return memo.fingerprint()


def view_key(season: str, plan: Plan, config: Config, seed: int) -> str:
    """The memo key of a season's view: its inputs, numpy's version (the random draws) and the
    fingerprint of the code and data that compute it."""
    import hashlib

    from mixedflows import memo

    what = {
        "version": MEMO_VERSION,
        "season": season,
        "plan": plan.model_dump(mode="json"),
        "config": config.model_dump(mode="json"),
        "seed": seed,
        "numpy": memo.numpy_version(),  # without loading numpy or reading every distribution
        "files": _fingerprint(),
    }
    return hashlib.sha256(json.dumps(what, sort_keys=True).encode()).hexdigest()[:40]


def _memo_path(key: str) -> Path:
    from mixedflows.charts.offline import cache_dir

    return cache_dir() / f"{MEMO}{key}.json"


def _mtime(p: Path) -> float:
    try:
        return p.stat().st_mtime
    except OSError:
        return 0.0


def load_view(key: str) -> dict[str, Any] | None:
    """The memo of ``key``, or None (none kept, or unreadable: the page then simulates)."""
    try:
        view = json.loads(_memo_path(key).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    if not isinstance(view, dict) or view.get("key") != key or not set(view) >= VIEW_KEYS:
        log.warning("reception memo %s ignored: not a view of this key", key)
        return None
    return view


def save_view(key: str, view: dict[str, Any]) -> Path | None:
    """Keep ``view`` as the memo of ``key`` (written whole or not at all), and drop old memos;
    None if the cache folder cannot be written (the page simulates next time too)."""
    import os
    import tempfile

    path = _memo_path(key)
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(dir=path.parent, suffix=".tmp")
        with os.fdopen(fd, "w", encoding="utf-8") as fh:
            json.dump({**view, "key": key}, fh)
        os.replace(tmp, path)
        # Memos of older code or data are never read again: keep the newest few (several
        # copies of the course may share the cache folder).
        kept = sorted(path.parent.glob(f"{MEMO}*.json"), key=_mtime, reverse=True)
        for stale in kept[MEMOS_KEPT:]:
            stale.unlink(missing_ok=True)
    except OSError as e:
        log.info("reception memo not kept: %s", e)
        return None
    return path


SEASONS_MEMO = "reception-seasons"


def seasons_offered() -> list[tuple[str, str]]:
    """The season picker's ``(title, id)`` choices (:func:`season_choices`), from a memo kept
    under the fingerprint of the code and data (:mod:`mixedflows.memo`): reading and
    validating the nine scenario files took the page's kernel about 0.025 s of CPU before its
    first view (issue 13); a changed file is never listed from an old memo."""
    from mixedflows import memo

    key = memo.key(SEASONS_MEMO)
    kept = memo.load(SEASONS_MEMO, key)
    if isinstance(kept, list) and all(
        isinstance(c, list) and len(c) == 2 and all(isinstance(x, str) for x in c) for c in kept
    ):
        return [(title, sid) for title, sid in kept]
    choices = season_choices()
    memo.save(SEASONS_MEMO, key, [list(c) for c in choices])
    return choices


CHARTS = ("occupancy", "waits")


def drawn_charts(view: dict[str, Any]) -> dict[str, str]:
    """The charts a view keeps drawn (``{"occupancy": svg, "waits": svg}``), or {} when it keeps
    none or not both (a memo of the page's own, or a damaged one: the page draws them live)."""
    kept = view.get("svg")
    if not isinstance(kept, dict) or set(kept) != set(CHARTS):
        return {}
    if not all(isinstance(v, str) and v.startswith("<svg") for v in kept.values()):
        return {}
    return {k: kept[k] for k in CHARTS}


def draw_charts(view: dict[str, Any]) -> dict[str, str]:
    """The view's two charts drawn as SVG, from the specs the page fills with its data."""
    from mixedflows.charts.view import drawn

    return {
        "occupancy": drawn(chart_data.occupancy_spec(view["occupancy"])),
        "waits": drawn(chart_data.waits_spec(view["waits"])),
    }


def warm_first_view(exercise_id: str = "m4_staff_the_centre", seed: int = 1) -> Path | None:
    """Compute and keep the memo of the page's first view (the exercise's starting plan), its
    two charts drawn (:func:`draw_charts`), as the page would: ``./mfl`` runs it at install, so
    no learner's page waits for the simulation or for the chart bundle. A memo the page kept
    itself (no drawings) gets them."""
    from mixedflows.exercises import load_exercise

    seasons_offered()  # the picker's memo too
    params: StaffingParams = load_exercise(exercise_id).params
    config = params.config()
    plan = shown_plan(plan_values(params.starting_plan), False, params.starting_plan)
    key = view_key(params.season, plan, config, seed)
    view = load_view(key)
    if view is not None and drawn_charts(view):
        return _memo_path(key)
    if view is None:
        view = season_view(simulate(params.season, plan, config, seed=seed), config)
    view = {k: v for k, v in view.items() if k != "key"}
    try:
        view["svg"] = draw_charts(view)
    except Exception as e:  # vl-convert missing or failing: the page draws its charts live
        log.warning("reception charts not drawn ahead: %s: %s", type(e).__name__, e)
    return save_view(key, view)


@app_entry
def reception_app(exercise_id: str = "m4_staff_the_centre", **kw: Any) -> w.VBox:
    """Build and return the reception-centre app (the notebook's last expression shows it)."""
    return ReceptionApp(exercise_id, **kw).widget
