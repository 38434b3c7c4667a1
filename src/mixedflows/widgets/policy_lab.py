"""The policy lab (module 8, MC/INF/294 ¶23): levers built from their metadata, the programme
as enacted against the learner's reform, outcome charts, and evidence cards with the sources
beside the numbers. Also module 8's exercises: predict-then-see, the design exercise graded by
the model, and the reflection recorded for the facilitator (not auto-graded).

The widgets only collect input, call :mod:`mixedflows.regularization` and render. The charts are
the golden spec of :mod:`mixedflows.charts.lab_data` drawn by
:class:`~mixedflows.charts.view.VegaView` (altair's offline front end: vega from vl-convert,
never from a CDN), so the page imports neither altair nor pandas.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import ipywidgets as w

from mixedflows.exercises import ModelExercise
from mixedflows.grading import MAX_TEXT_CHARS, GradeResult
from mixedflows.regularization import (
    OUTCOMES,
    Lever,
    Outcomes,
    load_levers,
    load_programme,
    run,
    sources,
)
from mixedflows.regularization.grader import (
    REFLECTION_ID,
    REFLECTION_NOTE,
    REFLECTION_PROMPT,
    DesignParams,
    PredictParams,
    measure_label,
    suggest_design,
)
from mixedflows.regularization.model import comparison_rows
from mixedflows.regularization.programme import list_programmes, summary_shown
from mixedflows.results import Reflection as ReflectionAnswer
from mixedflows.widgets import ui
from mixedflows.widgets.base import ExerciseApp, ExercisePage
from mixedflows.widgets.common import Recorder, app_entry, message, recorder_or_default, safe


def html() -> Any:
    """The lab's macros (``templates/policy_lab.html.j2``)."""
    return ui.macros("policy_lab.html.j2")


def lever_source(lever: Lever) -> str:
    """What a lever rests on, as its tooltip says it: the framework (REGINE's Table 3 named as
    the publication, read in a copy), the seed paragraph, and the lever's publications, never a
    link to a copy's site (:mod:`mixedflows.regularization.sources`)."""
    text = f"{sources.said(lever.citation.framework)} ({lever.citation.seed})"
    refs = [sources.reference_form(r.title, r.href) for r in lever.references]
    return text + (f". Publications: {'; '.join(refs)}." if refs else "")


def lever_control(lever: Lever, value: Any, currency: str) -> w.ValueWidget:
    """One control built from a lever's metadata: slider, checkbox or toggle buttons."""
    tip = f"{lever.description} Source: {lever_source(lever)}"
    style = {"description_width": "245px"}
    layout = w.Layout(width="505px")
    label = lever.label
    if lever.kind == "boolean":
        ctl: w.ValueWidget = w.Checkbox(
            value=bool(value),
            description=label,
            indent=True,
            style=style,
            layout=w.Layout(width="auto"),  # a long label runs on rather than being cut
        )
    elif lever.kind == "choice":
        ctl = w.ToggleButtons(
            options=[(c.label, c.id) for c in lever.choices],
            value=value,
            description=label,
            # Buttons as wide as their label (a label is never cut); they wrap on a phone.
            style={**style, "button_width": "auto"},
        )
    else:
        unit = lever.unit_label(currency)
        label = f"{label} ({unit})" if unit and not unit.startswith("(") else label
        cls = w.IntSlider if lever.integer else w.FloatSlider
        kw: dict[str, Any] = {"min": lever.min, "max": lever.max, "step": lever.step}
        if lever.unit.value == "share":
            kw["readout_format"] = ".0%"
        ctl = cls(
            value=value,
            description=label,
            continuous_update=False,
            style=style,
            layout=layout,
            **kw,
        )
    ctl.tooltip = tip
    ctl.add_class(f"mf-lever-{lever.id}")
    return ctl


BETTER_WHEN: dict[str, str] = {
    # Which way an outcome is better for the people concerned: people in irregular status
    # first (access to a permit, time in limbo, fees they pay, exposure to exploitation), and
    # the declared work and contributions that come with a permit. "" means neither: a count
    # whose meaning depends on the rest (applications), or a cost to the public purse that the
    # table shows without judging it. The app says better or worse in words as well as colour
    # (WCAG 1.4.1).
    "eligible": "up",
    "applications": "",
    "approvals": "up",
    "rejections": "down",
    "approval_rate": "up",
    "backlog_at_close": "down",
    "months_to_clear": "down",
    "mean_decision_months": "down",
    "fee_revenue": "down",
    "social_security_revenue": "up",
    "processing_cost": "",
    "legal_status_12m": "up",
    "social_security_12m": "up",
    "exploitation_exposure": "down",
}


def judged(key: str, delta: float) -> tuple[str, str]:
    """(css class, word) for a change of ``delta`` in outcome ``key``: better, worse or ""."""
    way = BETTER_WHEN.get(key, "")
    if key.startswith("coverage_"):
        way = "up"
    if not way or delta == 0:
        return "", ""
    good = (delta > 0) == (way == "up")
    return ("mf-better", "better") if good else ("mf-worse", "worse")


def outcome_table(base: Outcomes, new: Outcomes) -> str:
    """Baseline and reform side by side, one row per outcome; the change is coloured and said
    (better or worse for the people concerned); what each outcome rests on is under its name."""
    rows, keys = [], []
    for o in OUTCOMES:
        if o.key in ("pull_low", "pull_high"):
            continue
        keys.append(f"mf-out-{o.key}")
        b, r = base.value(o.key), new.value(o.key)
        delta = r - b
        if abs(delta) <= 1e-9 * max(1.0, abs(b)):
            delta = 0.0
        cls, word = judged(o.key, delta)
        change = ""
        if delta:
            change = ("+" if delta > 0 else "−") + o.format(abs(delta), base.currency)
            change += f" ({word})" if word else ""
        rows.append(
            [
                html().outcome_label(o.label, o.description, sources.said(o.citation.framework)),
                (o.format(b, base.currency), "num mf-baseline"),
                (o.format(r, new.currency), "num mf-reform"),
                (change, f"num mf-change {cls}"),
            ]
        )
    keys.append("mf-out-pull")
    rows.append(
        [
            html().pull_label(),
            (base.pull.text(), "num mf-baseline"),
            (new.pull.text(), "num mf-reform"),
            ("", "num mf-change"),
        ]
    )
    return ui.table(
        ["Outcome (and what it rests on)", "As enacted", "Your reform", "Change"],
        rows,
        caption="Green is better and red worse for the people concerned; the words say so too.",
        css="mf-out",
        widths=["40%", "19%", "19%", "22%"],
        row_css=keys,
    )


READ_IN = sources.READ_IN
USE: dict[str, str] = {
    "calibration": "The model was set to reproduce this figure.",
    "check": "The model is checked against this figure.",
    "context": "Shown for context: the model is not checked against it.",
}
MEASURE_LABELS: dict[str, str] = {
    "applications": "Applications",
    "approvals": "Approvals",
    "approval_rate": "Approval rate",
    "pending_share": "Share still pending",
    "legal_status_12m": "Still in legal status after a year",
    "social_security_12m": "In social security after a year",
    "social_security_joined": "Joined social security",
    "applications_domestic_care": "Applications, domestic and care work",
}


def evidence_cards(programme_id: str) -> str:
    """Recorded figures of the programme and the studies of its effects: the figure, the
    publication it comes from, and where a figure is unverified or approximate, a plain
    sentence saying so (never an internal note or a mirror site)."""
    from mixedflows.regularization.validation import evidence, recorded_figures

    cards = []
    rec = recorded_figures()
    for _, r in rec[rec["programme_id"] == programme_id].iterrows():
        share = r["value"] <= 1.0
        fig = f"{r['value']:.1%}" if share else f"{r['value']:,.0f}"
        if r["read_in"] == "unverified":
            fig += " (unverified)"
        label = MEASURE_LABELS.get(r["measure"], r["measure"].replace("_", " ").capitalize())
        cards.append(
            ui.render(
                "evidence_card.html.j2",
                heading=label,
                figure=fig,
                lines=[x for x in (READ_IN.get(r["read_in"], ""), USE[r["use"]]) if x],
                publication=sources.learner_form(r["source"], r["publication"]),
            )
        )
    for _, r in evidence().iterrows():
        if r["read_in"] == "none":
            continue  # nothing was taken from it
        cards.append(
            ui.render(
                "evidence_card.html.j2",
                heading=f"{r['setting']}: {r['outcome']}",
                figure="",
                lines=[r["finding"], READ_IN.get(r["read_in"], "")],
                publication=sources.learner_form(r["source"], r["publication"]),
            )
        )
    return str(html().cards([ui.Markup(c) for c in cards]))


def assumptions_line(programme: Any) -> str:
    """The programme's starting values that are teaching assumptions, in a plain sentence."""
    from mixedflows.regularization import load_levers

    levers = load_levers()
    assumed = [
        levers[k].label.lower()
        for k, src in programme.lever_sources.items()
        if src.strip().lower().startswith("assumption") and k in levers.ids
    ]
    if not assumed:
        return "Every starting value comes from a record of the programme."
    return (
        "Sliders start at the programme as enacted. These starting values are teaching "
        "assumptions, not records: " + ", ".join(assumed) + "."
    )


class PolicyLab:
    """The lab: ``PolicyLab().widget`` is what the page shows. Set a lever's ``.value`` and the
    outcomes, charts and table follow (also without a browser)."""

    def __init__(
        self,
        programme: str = "spain_2005",
        *,
        locked: tuple[str, ...] = (),
        choose_programme: bool = True,
        show_evidence: bool = True,
    ) -> None:
        self.levers = load_levers()
        self.locked = locked
        self.status = ui.text()
        self.status.add_class("mf-status")
        self._loading = False
        self.on_change: list[Callable[[Outcomes], None]] = []
        self.picker = w.Dropdown(
            options=[(load_programme(p).title, p) for p in list_programmes()],
            value=programme,
            description="Programme",
            layout=w.Layout(width="560px", display="" if choose_programme else "none"),
        )
        self.picker.add_class("mf-programme")
        self.summary = ui.text()
        self.controls: dict[str, w.ValueWidget] = {}
        self.reset = w.Button(
            description="Back to the programme as enacted", layout=w.Layout(width="280px")
        )
        self.reset.add_class("mf-reset")
        self.table = ui.text()
        self.table.add_class("mf-outcomes")
        self.evidence = ui.text()
        self.evidence.add_class("mf-evidence")
        self.show_evidence = show_evidence
        self.groups = w.VBox()
        self.chart: Any = None  # a VegaView, once drawn
        self.chart_box = w.Box()
        self.chart_box.add_class("mf-charts")
        self.chart_box.add_class("mf-scroll")  # wider than a phone: scrolls, by keyboard too
        self.picker.observe(safe(self.status)(lambda _c: self._load(self.picker.value)), "value")
        self.reset.on_click(safe(self.status)(lambda _b: self._load(self.picker.value)))
        self.widget = w.VBox(
            [
                ui.style_widget(),
                self.picker,
                self.summary,
                # Levers on the left, the outcomes beside them: a lever moved shows its effect
                # without scrolling (the two wrap one under the other on a narrow screen).
                w.HBox(
                    [
                        w.VBox([self.groups, self.reset], layout=w.Layout(width="560px")),
                        w.VBox(
                            [
                                ui.text(
                                    str(
                                        html().heading(
                                            "Outcomes: the programme as enacted against your reform"
                                        )
                                    )
                                ),
                                self.table,
                            ],
                            # Shrinks to the screen when the row wraps (never wider than it).
                            layout=w.Layout(flex="1 1 440px", min_width="0", margin="0 0 0 12px"),
                        ),
                    ],
                    layout=w.Layout(flex_flow="row wrap", align_items="flex-start"),
                ),
                self.status,
                self.chart_box,
            ]
            + (
                [
                    ui.text(
                        str(
                            html().heading(
                                "Evidence: recorded figures and studies, with their sources"
                            )
                        )
                    ),
                    self.evidence,
                ]
                if show_evidence
                else []
            ),
            layout=w.Layout(max_width="1320px"),
        )
        self.widget.add_class("mf-lab")
        self._load(programme)

    # -- state ---------------------------------------------------------------------------------
    def _load(self, pid: str) -> None:
        self.programme = load_programme(pid)
        self.baseline = run(self.programme)
        prog = self.programme
        self.summary.value = ui.card(prog.title, [summary_shown(prog)], note=assumptions_line(prog))
        self._loading = True
        self.controls = {}
        boxes = []
        names = {
            "criteria": "Eligibility criteria",
            "procedure": "Procedure",
            "complementary": "Complementary measures",
        }
        for group, name in names.items():
            ctls = []
            for lever in self.levers.by_group(group):
                ctl = lever_control(lever, prog.levers[lever.id], prog.currency)
                ctl.disabled = lever.id in self.locked
                ctl.observe(safe(self.status)(self._on_lever), "value")
                self.controls[lever.id] = ctl
                ctls.append(ctl)
            boxes.append(w.VBox([ui.text(str(html().group(name))), *ctls]))
        self.groups.children = boxes
        self._loading = False
        if self.show_evidence:
            self.evidence.value = evidence_cards(pid)
        self.status.value = ""
        self.refresh()

    def reform(self) -> dict[str, Any]:
        """The learner's changes: every lever whose value differs from the programme's."""
        return {k: c.value for k, c in self.controls.items() if c.value != self.programme.levers[k]}

    def _on_lever(self, _change: Any) -> None:
        if not self._loading:
            self.refresh()

    def refresh(self) -> Outcomes:
        """Run the model on the current reform and redraw the table and the charts."""
        new = run(self.programme, self.reform())
        self.outcomes = new
        self.table.value = outcome_table(self.baseline, new)
        from mixedflows.charts.lab_data import lab_spec

        # The golden spec with new rows: no chart built by altair, no pandas.
        spec = lab_spec(comparison_rows(self.baseline, new), self.programme.currency)
        if self.chart is None:
            from mixedflows.charts.view import VegaView

            self.chart = VegaView(spec, embed_options={"actions": False})  # as every app chart
            self.chart_box.children = [self.chart]
        else:
            self.chart.spec = spec
        for fn in self.on_change:
            fn(new)
        return new


# --- Module 8 exercises --------------------------------------------------------------------------


class PredictThenSee(ExerciseApp):
    """Predict the direction, then see what the model says; graded and recorded."""

    expects = (ModelExercise,)
    model = "regularization.predict"
    default_exercise = "m8_predict_then_see"
    submit_label = "See what the model says"
    empty_message = (
        "Nothing to grade yet: predict at least one direction, then ask the model. "
        "Nothing was graded or recorded."
    )
    CHOICES = (("Goes up", "up"), ("Goes down", "down"), ("Stays about the same", "same"))

    def inputs(self) -> list[w.Widget]:
        self.params: PredictParams = self.exercise.params
        self.choices: dict[str, w.ToggleButtons] = {}
        rows: list[w.Widget] = []
        for i, item in enumerate(self.params.items, 1):
            tb = w.ToggleButtons(
                options=self.CHOICES,
                value=None,
                description=f"Question {i}",
                # one layout and one style for every question (issue 13 start-up)
                layout=ui.shared_layout(),
                style=ui.shared_style(w.ToggleButtons, button_width="auto"),
            )
            tb.add_class(f"mf-predict-{item.id}")
            self.choices[item.id] = tb
            rows += [ui.text(str(html().question(i, item.question))), tb]
        self.submit.add_class("mf-see")
        self.see = self.submit
        return rows

    def answer(self) -> dict[str, str]:
        return {k: tb.value for k, tb in self.choices.items() if tb.value}

    def status_line(self, result: GradeResult) -> str:
        return f"Recorded: {result.score:.0%} of your predictions match the model."

    def restore(self, draft: Any) -> None:
        for k, v in draft.items():
            if k in self.choices and v in dict(self.CHOICES).values():
                self.choices[k].value = v


@app_entry
def predict_then_see(exercise_id: str = "m8_predict_then_see", **kw: Any) -> w.VBox:
    return PredictThenSee(exercise_id, **kw).widget


class DesignExercise(ExerciseApp):
    """The design exercise: the lab on the exercise's programme, objectives, submit, feedback."""

    expects = (ModelExercise,)
    model = "regularization.programme"
    default_exercise = "m8_domestic_workers_programme"
    submit_label = "Submit my programme"

    def inputs(self) -> list[w.Widget]:
        self.params: DesignParams = self.exercise.params
        self.lab = PolicyLab(
            self.params.programme,
            locked=self.params.locked,
            choose_programme=False,
            show_evidence=False,
        )
        objectives = [
            (o.label, o.weight, measure_label(o.measure).lower()) for o in self.params.objectives
        ]
        self.hint = w.Button(
            description="Show one design that works", layout=w.Layout(width="auto"), disabled=True
        )
        self.hint.add_class("mf-hint")
        self.hint.on_click(self.safe(self._on_hint))
        self.hint_box = ui.text()
        return [ui.text(str(html().objectives(objectives))), self.lab.widget]

    def actions(self) -> w.Widget:
        row = w.HBox([self.submit, self.hint])
        row.add_class("mf-row")
        return row

    def after(self) -> list[w.Widget]:
        return [self.hint_box]

    def answer(self) -> dict[str, Any]:
        return self.lab.reform()

    def is_empty(self, answer: Any) -> bool:
        return False  # the programme as enacted is a design too (and graded as one)

    def record_answer(self, answer: Any) -> Any:
        return {"reform": answer}

    def status_line(self, result: GradeResult) -> str:
        more = "" if result.score >= 0.999 else " Move the levers and submit again to improve."
        return f"Attempt {self.attempts}: {result.score:.0%}.{more}"

    def after_grade(self, result: GradeResult) -> None:
        self.hint.disabled = self.attempts < 2

    def restore(self, draft: Any) -> None:
        for k, v in draft.items():
            if k in self.lab.controls and k not in self.lab.locked:
                self.lab.controls[k].value = v
        self.lab.refresh()

    def _on_hint(self, _b: Any) -> None:
        design = suggest_design(self.exercise)
        if design is None:
            self.hint_box.value = message(
                "part", "No design in the search grid meets every objective; tell the facilitator."
            )
            return
        text = ", ".join(f"{self.lab.levers[k].label}: {v}" for k, v in design.items())
        self.hint_box.value = ui.card(
            "One design that meets every objective",
            [f"Found by running the model (many others do): {text}. What did it give up?"],
        )


@app_entry
def design_exercise(exercise_id: str = "m8_domestic_workers_programme", **kw: Any) -> w.VBox:
    return DesignExercise(exercise_id, **kw).widget


def record_reflection(text: str, recorder: Recorder | None = None) -> int | None:
    """Record a reflective answer for the facilitator: no score, marked as not auto-graded."""
    rec = recorder_or_default(recorder)
    return rec.record(
        REFLECTION_ID,
        ReflectionAnswer(prompt=REFLECTION_PROMPT, text=text).model_dump(),
        None,
        feedback={"auto_graded": False, "note": REFLECTION_NOTE},
    )


class Reflection:
    """A free-text reflection on the trade-offs, recorded for the facilitator, not graded; the
    text is kept as a draft while it is written."""

    def __init__(self, *, recorder: Recorder | None = None) -> None:
        self.recorder = recorder_or_default(recorder)
        self.status = ui.text()
        self.status.add_class("mf-status")
        self.text = w.Textarea(
            placeholder=f"Your answer, in a few sentences (at most {MAX_TEXT_CHARS:,} characters)",
            description="Your answer",
            layout=w.Layout(width="760px", height="140px"),
        )
        self.text.add_class("mf-reflection")
        self.send = w.Button(description="Send to the facilitator", layout=w.Layout(width="auto"))
        self.send.add_class("mf-send")
        self.send.on_click(safe(self.status)(self._on_send))
        self.widget = w.VBox(
            [
                ui.style_widget(),
                ui.text(str(html().reflection(REFLECTION_PROMPT, REFLECTION_NOTE))),
                self.text,
                self.send,
                self.status,
            ],
            layout=w.Layout(max_width="900px"),
        )
        self.widget.add_class("mf-app")
        from mixedflows.server import session as sess

        def claimed() -> None:  # the participant's draft, once a page claims the kernel
            kept = self.recorder.load_draft(REFLECTION_ID)
            if isinstance(kept, str):
                self.text.value = kept
            self.text.observe(lambda c: self.recorder.save_draft(REFLECTION_ID, c["new"]), "value")

        sess.when_claimed(claimed)

    def _on_send(self, _b: Any) -> None:
        text = self.text.value.strip()
        if not text:
            self.status.value = message("part", "Write a few sentences first.")
            return
        if len(text) > MAX_TEXT_CHARS:  # refused whole, never cut (issue 11)
            self.status.value = message(
                "part",
                f"Your reflection is {len(text):,} characters long; the most is "
                f"{MAX_TEXT_CHARS:,}. Please shorten it: nothing was sent yet.",
            )
            return
        saved = record_reflection(text, self.recorder)
        self.status.value = self.recorder.status(
            ("Sent to the facilitator. " if saved is not None else "")
            + "Not graded: there is no score for this answer."
        )


@app_entry
def reflection(**kw: Any) -> w.VBox:
    return Reflection(**kw).widget


# --- The app: the lab and module 8's exercises, one step at a time -------------------------------

STEPS = (
    ("predict", "1. Predict, then see"),
    ("lab", "2. Explore the lab"),
    ("design", "3. Design a programme"),
    ("reflect", "4. Reflect"),
)


class PolicyLabApp(ExercisePage):
    """The policy-lab app (``widgets/policy_lab.ipynb``): module 8's predict-then-see, the lab,
    the design exercise graded by the model, and the reflection, each graded and recorded as in
    the module's notebook. A step is built when first opened (the page is interactive sooner)."""

    def __init__(self, programme: str = "spain_2005", *, recorder: Recorder | None = None):
        self.recorder = recorder_or_default(recorder)
        self.programme = programme
        builders: dict[str, Callable[[], Any]] = {
            "predict": lambda: PredictThenSee(recorder=self.recorder),
            "lab": lambda: PolicyLab(self.programme),
            "design": lambda: DesignExercise(recorder=self.recorder),
            "reflect": lambda: Reflection(recorder=self.recorder),
        }
        super().__init__(
            "Policy lab: regularization trade-offs",
            "Module 8 · MC/INF/294 ¶23 · a teaching model, its assumptions said",
            [(key, label, builders[key]) for key, label in STEPS],
            max_width="1320px",
        )


@app_entry
def policy_lab(programme: str = "spain_2005") -> w.VBox:
    """The lab alone (module 8's notebook shows it between its exercises)."""
    return PolicyLab(programme).widget


@app_entry
def policy_lab_app(programme: str = "spain_2005", **kw: Any) -> w.VBox:
    """The policy-lab app: the lab and module 8's exercises (the Voila page's one call)."""
    return PolicyLabApp(programme, **kw).widget
