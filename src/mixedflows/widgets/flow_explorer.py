"""Module 2's apps: the flow explorer (route and year pickers, charts, every figure with its
source on screen) and the data-reading exercise (questions computed from the same files).

The widgets only collect input, call :mod:`mixedflows.flows` and render. The charts are drawn by
:class:`mixedflows.charts.view.VegaView` (altair's offline front end: vega from vl-convert,
never a CDN) from the golden spec of :mod:`mixedflows.charts.flows`, filled with the rows of the
route and year: the page never imports altair.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import ipywidgets as w

from mixedflows.exercises import ModelExercise
from mixedflows.flows import MONTHS, VERIFICATION, load_routes
from mixedflows.flows.explore import RouteView, demographics, route_view
from mixedflows.grading import Feedback, GradeResult
from mixedflows.widgets import ui
from mixedflows.widgets.base import ExerciseApp, ExercisePage
from mixedflows.widgets.common import app_entry, safe

if TYPE_CHECKING:
    from mixedflows.flows.questions import Question


def html() -> Any:
    """The apps' macros (``templates/flow_explorer.html.j2``)."""
    return ui.macros("flow_explorer.html.j2")


def facts_html(view: RouteView) -> str:
    """The selected year's figures, each followed by its source (escaped)."""
    facts = [(f.what, f.source, f.caveat) for f in view.facts]
    return str(html().facts(view.route.label, view.year, facts))


def months_html(view: RouteView) -> str:
    """The monthly series of the route, with what they are and where they come from."""
    series = [
        (
            s.place,
            s.period,
            s.measure,
            "; ".join(f"{p.label()}: {p.arrivals:,.0f}" for p in s.periods),
            " ".join(s.notes),
            s.caveat(),
            s.source,
        )
        for s in view.monthly
    ]
    return str(html().months(series))


def demographics_html() -> str:
    """Who arrives, by sex and age, with the note on children alone and the source."""
    rows = [
        (
            r.scope,
            r.period,
            r.men_pct or "-",
            r.women_pct or "-",
            r.children_pct or "-",
            r.uasc_note,
            r.source,
        )
        for r in demographics()
    ]
    return str(html().demographics(rows))


class FlowExplorer:
    """The explorer: ``FlowExplorer().widget``. Set ``route.value`` or ``year.value`` and the
    figures, sources and charts follow (also without a browser)."""

    def __init__(self, route: str = "central_med", year: int | None = None) -> None:
        self.status = w.HTML()
        self.status.add_class("mf-status")
        self._loading = False
        self.routes = load_routes()
        self.route = w.Dropdown(
            options=[(r.label, r.id) for r in self.routes],
            value=route,
            description="Route",
            layout=w.Layout(width="min(520px, 100%)"),
        )
        self.route.add_class("mf-route")
        self.year = w.Dropdown(description="Year", layout=w.Layout(width="160px"))
        self.year.add_class("mf-year")
        self.caveat = w.HTML()
        self.caveat.add_class("mf-route-caveat")
        self.facts = w.HTML()
        self.facts.add_class("mf-route-facts")
        self.months = w.HTML()
        self.months.add_class("mf-route-months")
        self.chart: Any = None
        self.chart_box = w.Box()
        self.chart_box.add_class("mf-charts")
        self.route.observe(safe(self.status)(self._on_route), "value")
        self.year.observe(safe(self.status)(self._on_year), "value")
        self.widget = w.VBox(
            [
                ui.style_widget(),
                ui.titled(
                    w.HTML(
                        ui.title(
                            "Flow explorer: routes, years and months",
                            "Module 2 · MC/INF/294 ¶10-11 · recorded figures, each with its source",
                        )
                    )
                ),
                w.HBox([self.route, self.year]),
                self.caveat,
                self.facts,
                self.status,
                self.chart_box,
                self.months,
                w.HTML(demographics_html()),
            ]
        )
        self.widget.add_class("mf-app")
        self.widget.add_class("mf-flows")
        self._set_route(route, year)

    def _set_route(self, route_id: str, year: int | None) -> None:
        view = route_view(route_id, year)
        self._loading = True
        self.year.options = [(str(y), y) for y in view.years]
        self.year.value = view.year
        self._loading = False
        self.caveat.value = str(html().caveat(view.route.caveat.strip()))
        self.show(view)

    def show(self, view: RouteView) -> None:
        from mixedflows.charts import specs

        self.view = view
        self.facts.value = facts_html(view)
        self.months.value = months_html(view)
        spec = specs.filled("flow_explorer", view.datasets)
        if self.chart is None:
            from mixedflows.charts.view import VegaView

            # No actions menu: its <summary> has no accessible name (axe summary-name), and
            # its export links are of no use offline.
            self.chart = VegaView(spec, embed_options={"actions": False})
            self.chart_box.children = [self.chart]
        else:
            self.chart.spec = spec
        self.status.value = ""

    def _on_route(self, change: Any) -> None:
        if not self._loading:
            self._set_route(change["new"], self.year.value)

    def _on_year(self, change: Any) -> None:
        if not self._loading and change["new"] is not None:
            self.show(route_view(self.route.value, change["new"]))


@app_entry
def flow_explorer(route: str = "central_med", year: int | None = None) -> w.VBox:
    """The explorer alone (a notebook cell's one call)."""
    return FlowExplorer(route, year).widget


# --- The data-reading exercise ------------------------------------------------------------------


def question_input(q: Question) -> w.ValueWidget:
    """The input for one question: a drop-down (one option), ticks (several) or a number box."""
    if q.numeric:
        box = w.Text(
            description="Answer",
            placeholder=q.unit,
            layout=w.Layout(width="260px"),
        )
    elif q.multiple:
        box = w.SelectMultiple(
            options=[(label, oid) for oid, label in q.options],
            description="Months",
            rows=min(12, len(q.options)),
            layout=w.Layout(width="min(360px, 100%)"),
        )
    else:
        box = w.Dropdown(
            options=[("—", "")] + [(label, oid) for oid, label in q.options],
            description="Answer",
            layout=w.Layout(width="min(560px, 100%)"),
        )
    return box


class DataReadingApp(ExerciseApp):
    """The data-reading exercise: a set of questions computed from the data; submit, feedback,
    recorded; "Another set" draws new ones. ``boxes`` holds the input of each question."""

    expects = (ModelExercise,)
    model = "flows.data_reading"
    default_exercise = "m2_reading_the_data"
    submit_label = "Submit answers"
    css = "mf-reading"
    auto_watch = False  # the questions change with the set: new_set watches its own inputs
    empty_message = (
        "Nothing to grade yet: answer at least one question, then submit. "
        "Nothing was graded or recorded."
    )

    def __init__(
        self,
        exercise_id: str = "m2_reading_the_data",
        *,
        recorder: Any = None,
        seed: int | None = None,
    ) -> None:
        self._seed_arg = seed
        super().__init__(exercise_id, recorder=recorder)

    def inputs(self) -> list[w.Widget]:
        self.questions_box = w.VBox()
        self.another = w.Button(description="Another set")
        self.another.add_class("mf-another")
        self.another.on_click(self.safe(lambda _b: self.new_set(self.seed + 1)))
        self.new_set(self.exercise.params.seed if self._seed_arg is None else self._seed_arg)
        return [self.questions_box]

    def actions(self) -> w.Widget:
        return w.HBox([self.submit, self.another])

    def new_set(self, seed: int, answers: dict[str, Any] | None = None) -> None:
        from mixedflows.flows.grader import questions_for

        self.seed = seed
        self.questions = questions_for(self.exercise, seed)
        self.boxes: dict[str, w.ValueWidget] = {}
        rows: list[w.Widget] = []
        with self.quietly():
            for i, q in enumerate(self.questions, 1):
                box = question_input(q)
                box.add_class(f"mf-q-{q.kind}")
                if answers and q.id in answers:
                    _set(box, q, answers[q.id])
                box.observe(self.safe(self._on_input), "value")
                self.boxes[q.id] = box
                rows += [w.HTML(str(html().question(i, q.prompt))), box]
        self.questions_box.children = rows
        self.result = None
        self.stale = False
        self.attempts = 0
        self.feedback.value = ""
        self.status.value = ui.message(
            "ok", f"Question set {seed}: {len(self.questions)} questions."
        )
        self.save_draft()

    def answer(self) -> dict[str, Any]:
        """``{"seed": n, "answers": {question id: value}}``, unanswered questions left out."""
        out: dict[str, Any] = {}
        for q in self.questions:
            v = self.boxes[q.id].value
            if q.multiple:
                v = list(v)
            if v in ("", [], None):
                continue
            out[q.id] = v
        return {"seed": self.seed, "answers": out}

    def is_empty(self, answer: Any) -> bool:
        return not answer["answers"]

    def check(self, answer: Any) -> None:
        """A number that cannot be read ('nan', an ambiguous '1,234', a negative count) is
        refused with its reason before anything is graded or recorded."""
        from mixedflows.flows.questions import coerce_answer

        for i, q in enumerate(self.questions, 1):
            if q.id in answer["answers"]:
                coerce_answer(q, answer["answers"][q.id], f"question {i}")

    def status_line(self, result: GradeResult) -> str:
        return f"Attempt {self.attempts}: {result.score:.0%}. {result.summary}"

    def feedback_items(self, result: GradeResult) -> list[Feedback]:
        return list(result.items)

    def item_label(self, item: str) -> str:
        labels = {q.id: f"{i}. {q.prompt}" for i, q in enumerate(self.questions, 1)}
        return labels.get(item, item)

    def restore(self, draft: Any) -> None:
        self.new_set(int(draft["seed"]), draft.get("answers") or {})


def _set(box: w.ValueWidget, q: Question, value: Any) -> None:
    """Show a kept answer in its input (a value the input does not offer is left out)."""
    if q.numeric:
        box.value = str(value)
    elif q.multiple:
        allowed = {oid for _label, oid in box.options}
        box.value = tuple(v for v in value if v in allowed)
    elif value in {oid for _label, oid in box.options}:
        box.value = value


@app_entry
def data_reading(exercise_id: str = "m2_reading_the_data", **kw: Any) -> w.VBox:
    return DataReadingApp(exercise_id, **kw).widget


@app_entry
def flow_explorer_app(route: str = "central_med", **kw: Any) -> w.VBox:
    """The Voila page: the explorer, then the data-reading exercise on the same figures (built
    when its step is first opened: the page is interactive once the explorer is)."""
    return ExercisePage(
        "Module 2: the journey in data",
        "Recorded figures, each with its source, and questions computed from them",
        [
            ("explore", "1. Explore the figures", lambda: FlowExplorer(route)),
            ("read", "2. Read the data", lambda: DataReadingApp(**kw)),
        ],
        css="mf-flows-page",
        max_width="100%",
    ).widget


__all__ = [
    "MONTHS",
    "VERIFICATION",
    "DataReadingApp",
    "ExercisePage",
    "FlowExplorer",
    "data_reading",
    "flow_explorer",
    "flow_explorer_app",
]
