"""The policy lab (module 8, MC/INF/294 ¶23): levers built from their metadata, the programme
as enacted against the learner's reform, outcome charts, and evidence cards with the sources
beside the numbers. Also module 8's exercises: predict-then-see, the design exercise graded by
the model, and the reflection recorded for the facilitator (not auto-graded).

The widgets only collect input, call :mod:`mixedflows.regularization` and render. Charts are
``alt.JupyterChart`` in offline mode (vega comes from vl-convert, never from a CDN).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import altair as alt
import ipywidgets as w

from mixedflows.charts import regularization as charts
from mixedflows.exercises import ModelExercise, load_exercise
from mixedflows.grading import grade
from mixedflows.regularization import (
    OUTCOMES,
    Lever,
    Outcomes,
    load_levers,
    load_programme,
    run,
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
from mixedflows.regularization.model import comparison_frame
from mixedflows.regularization.programme import list_programmes
from mixedflows.results import Reflection as ReflectionAnswer
from mixedflows.widgets.common import (
    CSS,
    Recorder,
    app_entry,
    esc,
    feedback_html,
    message,
    safe,
    title,
)

LAB_CSS = """
<style>
.mf-lab table.mf-out {border-collapse:collapse; font-size:92%}
.mf-lab table.mf-out td, .mf-lab table.mf-out th {padding:3px 8px; border-bottom:1px solid #e3e8ee}
.mf-lab table.mf-out td.num {text-align:right; white-space:nowrap}
.mf-lab table.mf-out {width:100%; table-layout:fixed}
.mf-lab table.mf-out td, .mf-lab table.mf-out th {line-height:1.35; overflow-wrap:anywhere}
.mf-lab table.mf-out tr.mf-out-pull td.num {white-space:normal}
.mf-lab .mf-up {color:#1b6e2a} .mf-lab .mf-down {color:#a12b2b}
.mf-lab .mf-cards {display:flex; flex-wrap:wrap; gap:8px}
.mf-lab .mf-ev {border:1px solid #c9d3dd; border-radius:6px; padding:8px 10px; width:380px;
                background:#fbfcfd; font-size:90%}
.mf-lab .mf-ev .fig {font-size:130%; font-weight:600}
.mf-lab .mf-src {color:#555; font-size:88%}
.mf-nograde {border-left:4px solid #8a5a00; padding:4px 10px; background:#fff8ea}
</style>
"""


def _enable_offline() -> None:
    from mixedflows.charts.offline import enable_offline_charts

    enable_offline_charts()


def lever_control(lever: Lever, value: Any, currency: str) -> w.ValueWidget:
    """One control built from a lever's metadata: slider, checkbox or toggle buttons."""
    tip = f"{lever.description} Source: {lever.citation.framework} ({lever.citation.seed})"
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
            style={**style, "button_width": "210px"},
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


def outcome_table(base: Outcomes, new: Outcomes) -> str:
    """Baseline and reform side by side, one row per outcome, escaped HTML."""
    rows = []
    for o in OUTCOMES:
        if o.key in ("pull_low", "pull_high"):
            continue
        b, r = base.value(o.key), new.value(o.key)
        delta = r - b
        cls = "" if abs(delta) <= 1e-9 * max(1.0, abs(b)) else ("mf-up" if delta > 0 else "mf-down")
        change = (
            "" if not cls else ("+" if delta > 0 else "−") + o.format(abs(delta), base.currency)
        )
        rows.append(
            f'<tr class="mf-out-{o.key}"><td title="{esc(o.description)}">{esc(o.label)}</td>'
            f'<td class="num mf-baseline">{esc(o.format(b, base.currency))}</td>'
            f'<td class="num mf-reform">{esc(o.format(r, new.currency))}</td>'
            f'<td class="num {cls}">{esc(change)}</td>'
            f'<td class="mf-src">{esc(o.citation.framework)}</td></tr>'
        )
    rows.append(
        '<tr class="mf-out-pull"><td>Pull effect (contested, a range)</td>'
        f'<td class="num mf-baseline">{esc(base.pull.text())}</td>'
        f'<td class="num mf-reform">{esc(new.pull.text())}</td><td></td>'
        '<td class="mf-src">No effect: Orrenius &amp; Zavodny (2003), Monras et al. (2019); '
        "an effect for lower-income OECD destinations: Elguezabal &amp; Martínez-Zarzoso "
        "(2024). The size of the upper end is a teaching assumption.</td></tr>"
    )
    return (
        '<table class="mf-out"><colgroup><col style="width:25%"><col style="width:17%">'
        '<col style="width:17%"><col style="width:13%"><col style="width:28%"></colgroup>'
        "<tr><th>Outcome</th><th>As enacted</th><th>Your reform</th>"
        f"<th>Change</th><th>Rests on</th></tr>{''.join(rows)}</table>"
    )


def evidence_cards(programme_id: str) -> str:
    """Recorded figures of the programme and the studies of its effects, sources beside them."""
    from mixedflows.regularization.validation import evidence, recorded_figures

    cards = []
    rec = recorded_figures()
    for _, r in rec[rec["programme_id"] == programme_id].iterrows():
        share = r["value"] <= 1.0
        fig = f"{r['value']:.1%}" if share else f"{r['value']:,.0f}"
        note = r["note"] if isinstance(r["note"], str) else ""
        use = {
            "calibration": "The model was set to reproduce this figure.",
            "check": "The model is checked against this figure.",
            "context": "Context only.",
        }[r["use"]]
        if r["source_quality"] == "unverified":
            # Shown as unverified in plain words, never as a fact (issue 10, point 10).
            fig = f"{fig} (unverified)"
            use = "Unverified: this figure could not be checked against its source. " + use.replace(
                "this figure", "this unverified figure"
            )
        cards.append(
            f'<div class="mf-ev"><div>{esc(r["measure"].replace("_", " "))}</div>'
            f'<div class="fig">{esc(fig)}</div><div>{esc(note)} <i>{esc(use)}</i></div>'
            f'<div class="mf-src">Source: {esc(r["source"])} ({esc(r["source_quality"])})'
            "</div></div>"
        )
    for _, r in evidence().iterrows():
        cards.append(
            f'<div class="mf-ev"><div><b>{esc(r["study"])}</b> — {esc(r["setting"])}</div>'
            f"<div>{esc(r['outcome'])}: {esc(r['finding'])}</div>"
            f'<div class="mf-src">Source: {esc(r["source"])}</div></div>'
        )
    return f'<div class="mf-cards">{"".join(cards)}</div>'


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
        _enable_offline()
        self.levers = load_levers()
        self.locked = locked
        self.status = w.HTML()
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
        self.summary = w.HTML()
        self.controls: dict[str, w.ValueWidget] = {}
        self.reset = w.Button(
            description="Back to the programme as enacted", layout=w.Layout(width="280px")
        )
        self.reset.add_class("mf-reset")
        self.table = w.HTML()
        self.table.add_class("mf-outcomes")
        self.evidence = w.HTML()
        self.evidence.add_class("mf-evidence")
        self.show_evidence = show_evidence
        self.groups = w.VBox()
        self.chart: alt.JupyterChart | None = None
        self.chart_box = w.Box()
        self.chart_box.add_class("mf-charts")
        self.picker.observe(safe(self.status)(lambda _c: self._load(self.picker.value)), "value")
        self.reset.on_click(safe(self.status)(lambda _b: self._load(self.picker.value)))
        self.widget = w.VBox(
            [
                w.HTML(LAB_CSS),
                self.picker,
                self.summary,
                # Levers on the left, the outcomes beside them: a lever moved shows its effect
                # without scrolling (the two wrap one under the other on a narrow screen).
                w.HBox(
                    [
                        w.VBox([self.groups, self.reset], layout=w.Layout(width="560px")),
                        w.VBox(
                            [
                                w.HTML(
                                    "<h4>Outcomes: the programme as enacted against your "
                                    "reform</h4>"
                                ),
                                self.table,
                            ],
                            layout=w.Layout(
                                flex="1 1 440px", min_width="440px", margin="0 0 0 12px"
                            ),
                        ),
                    ],
                    layout=w.Layout(flex_flow="row wrap", align_items="flex-start"),
                ),
                self.status,
                self.chart_box,
            ]
            + (
                [
                    w.HTML("<h4>Evidence: recorded figures and studies, with their sources</h4>"),
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
        self.summary.value = (
            f'<div class="mf-card"><h4>{esc(prog.title)}</h4><p>{esc(prog.summary)}</p>'
            "<p><i>Sliders start at the programme as enacted. Values marked 'assumption' in "
            "the programme file are teaching assumptions, not records.</i></p></div>"
        )
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
            boxes.append(w.VBox([w.HTML(f"<b>{esc(name)}</b>"), *ctls]))
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
        frame = comparison_frame(self.baseline, new)
        if self.chart is None:
            self.chart = alt.JupyterChart(charts.lab_chart(frame, self.programme.currency))
            self.chart_box.children = [self.chart]
        else:  # a new spec from the cached template: no chart rebuilt (see charts.lab_spec)
            self.chart.spec = charts.lab_spec(frame, self.programme.currency)
        for fn in self.on_change:
            fn(new)
        return new


@app_entry
def policy_lab(programme: str = "spain_2005") -> w.VBox:
    """The policy-lab app (the Voila page's one call)."""
    return PolicyLab(programme).widget


# --- Module 8 exercises --------------------------------------------------------------------------


class PredictThenSee:
    """Predict the direction, then see what the model says; graded and recorded."""

    CHOICES = (("Goes up", "up"), ("Goes down", "down"), ("Stays about the same", "same"))

    def __init__(
        self, exercise_id: str = "m8_predict_then_see", *, recorder: Recorder | None = None
    ) -> None:
        ex = load_exercise(exercise_id)
        if not isinstance(ex, ModelExercise):
            raise TypeError(f"{exercise_id} is not a model exercise")
        self.exercise = ex
        self.params: PredictParams = ex.params
        self.recorder = recorder or Recorder()
        self.status = w.HTML()
        self.choices: dict[str, w.ToggleButtons] = {}
        rows: list[w.Widget] = [
            title(ex.title, "Module 8 · MC/INF/294 ¶23"),
            w.HTML(f"<p>{esc(ex.instructions)}</p>"),
        ]
        for i, item in enumerate(self.params.items, 1):
            tb = w.ToggleButtons(options=self.CHOICES, value=None)
            tb.add_class(f"mf-predict-{item.id}")
            self.choices[item.id] = tb
            rows += [w.HTML(f"<p><b>{i}.</b> {esc(item.question)}</p>"), tb]
        self.see = w.Button(
            description="See what the model says",
            button_style="primary",
            layout=w.Layout(width="240px"),
        )
        self.see.add_class("mf-see")
        self.feedback = w.HTML()
        self.feedback.add_class("mf-feedback")
        self.see.on_click(safe(self.status)(self._on_see))
        self.widget = w.VBox(
            [*rows, self.see, self.status, self.feedback], layout=w.Layout(max_width="900px")
        )

    def answer(self) -> dict[str, str]:
        return {k: tb.value for k, tb in self.choices.items() if tb.value}

    def _on_see(self, _b: Any) -> None:
        answer = self.answer()
        result = grade(self.exercise, answer)
        saved = self.recorder.record(self.exercise.id, answer, result)
        self.status.value = self.recorder.status("Recorded." if saved is not None else "")
        self.feedback.value = feedback_html(result)


@app_entry
def predict_then_see(exercise_id: str = "m8_predict_then_see") -> w.VBox:
    return PredictThenSee(exercise_id).widget


class DesignExercise:
    """The design exercise: the lab on the exercise's programme, objectives, submit, feedback."""

    def __init__(
        self,
        exercise_id: str = "m8_domestic_workers_programme",
        *,
        recorder: Recorder | None = None,
    ) -> None:
        ex = load_exercise(exercise_id)
        if not isinstance(ex, ModelExercise):
            raise TypeError(f"{exercise_id} is not a model exercise")
        self.exercise = ex
        self.params: DesignParams = ex.params
        self.recorder = recorder or Recorder()
        self.lab = PolicyLab(
            self.params.programme,
            locked=self.params.locked,
            choose_programme=False,
            show_evidence=False,
        )
        self.status = w.HTML()
        objectives = "".join(
            f"<li>{esc(o.label)} (weight {o.weight:.0%}; measured as "
            f"{esc(measure_label(o.measure).lower())})</li>"
            for o in self.params.objectives
        )
        self.submit = w.Button(
            description="Submit my programme",
            button_style="primary",
            layout=w.Layout(width="200px"),
        )
        self.submit.add_class("mf-submit")
        self.hint = w.Button(
            description="Show one design that works", layout=w.Layout(width="240px"), disabled=True
        )
        self.hint.add_class("mf-hint")
        self.feedback = w.HTML()
        self.feedback.add_class("mf-feedback")
        self.submit.on_click(safe(self.status)(self._on_submit))
        self.hint.on_click(safe(self.status)(self._on_hint))
        self.attempts = 0
        self.widget = w.VBox(
            [
                title(
                    ex.title,
                    "Module 8 · MC/INF/294 " + ", ".join(f"¶{p}" for p in ex.seed_paragraphs),
                ),
                w.HTML(
                    f"<p>{esc(ex.instructions)}</p><p><b>Objectives</b></p><ul>{objectives}</ul>"
                ),
                self.lab.widget,
                w.HBox([self.submit, self.hint]),
                self.status,
                self.feedback,
            ],
            layout=w.Layout(max_width="1000px"),
        )

    def _on_submit(self, _b: Any) -> None:
        reform = self.lab.reform()
        result = grade(self.exercise, reform)
        self.attempts += 1
        self.recorder.record(self.exercise.id, {"reform": reform}, result)
        self.status.value = self.recorder.status(
            f"Attempt {self.attempts}: {result.score:.0%}. Move the levers and "
            "submit again to improve."
        )
        self.feedback.value = feedback_html(result)
        self.hint.disabled = self.attempts < 2

    def _on_hint(self, _b: Any) -> None:
        design = suggest_design(self.exercise)
        if design is None:
            self.feedback.value += message(
                "part", "No design in the search grid meets every objective; tell the facilitator."
            )
            return
        text = ", ".join(f"{self.lab.levers[k].label}: {v}" for k, v in design.items())
        self.feedback.value += (
            f'<div class="mf-card"><b>One design that meets every objective</b> (found by '
            f"running the model; many others do): {esc(text)}. What did it give up?</div>"
        )


@app_entry
def design_exercise(exercise_id: str = "m8_domestic_workers_programme") -> w.VBox:
    return DesignExercise(exercise_id).widget


def record_reflection(text: str, recorder: Recorder | None = None) -> int | None:
    """Record a reflective answer for the facilitator: no score, marked as not auto-graded."""
    rec = recorder or Recorder()
    return rec.record(
        REFLECTION_ID,
        ReflectionAnswer(prompt=REFLECTION_PROMPT, text=text).model_dump(),
        None,
        feedback={"auto_graded": False, "note": REFLECTION_NOTE},
    )


class Reflection:
    """A free-text reflection on the trade-offs, recorded for the facilitator, not graded."""

    def __init__(self, *, recorder: Recorder | None = None) -> None:
        self.recorder = recorder or Recorder()
        self.status = w.HTML()
        self.text = w.Textarea(
            placeholder="Your answer, in a few sentences",
            layout=w.Layout(width="760px", height="140px"),
        )
        self.text.add_class("mf-reflection")
        self.send = w.Button(description="Send to the facilitator", layout=w.Layout(width="220px"))
        self.send.add_class("mf-send")
        self.send.on_click(safe(self.status)(self._on_send))
        self.widget = w.VBox(
            [
                w.HTML(
                    CSS + f"<p><b>Reflection.</b> {esc(REFLECTION_PROMPT)}</p>"
                    f'<p class="mf-nograde"><b>Not auto-graded.</b> {esc(REFLECTION_NOTE)}'
                    "</p>"
                ),
                self.text,
                self.send,
                self.status,
            ],
            layout=w.Layout(max_width="900px"),
        )

    def _on_send(self, _b: Any) -> None:
        text = self.text.value.strip()
        if not text:
            self.status.value = message("part", "Write a few sentences first.")
            return
        saved = record_reflection(text, self.recorder)
        self.status.value = self.recorder.status(
            ("Sent to the facilitator. " if saved is not None else "")
            + "Not graded: there is no score for this answer."
        )


@app_entry
def reflection() -> w.VBox:
    return Reflection().widget
