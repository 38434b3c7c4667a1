"""Module 9 apps (MC/INF/294 ¶24-26): the return desk, the reintegration programme and the
labour-mobility item, each on the :class:`~mixedflows.widgets.base.ExerciseApp` base.

The widgets only collect input, ask the engine and render: decisions from
:mod:`mixedflows.returns.policy`, scores from the teaching model of
:mod:`mixedflows.returns.reintegration`, grades from :func:`mixedflows.grading.grade`.

- :class:`ReturnDeskApp`: one returnee at a time (a picker); a decision and its measures each;
  one submit grades every returnee answered so far, within the exercise's attempts
  (``max_attempts``); the feedback shown is the returnee's on screen, and before the last
  attempt it explains what was answered and counts what was missed;
- :class:`ReintegrationApp`: a budget split across five measures, the model's scores live
  beside the objectives, the same programme for other returnees, every assumption listed with
  its source; after two attempts, the programme found by optimising the model;
- :func:`return_app`: the Voila app, the three steps built when first opened.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import Any

import ipywidgets as w

from mixedflows.exercises import ModelExercise
from mixedflows.grading import AnswerError, GradeResult
from mixedflows.returns import policy
from mixedflows.widgets import ui
from mixedflows.widgets.base import ExerciseApp, ExercisePage, result_from_json
from mixedflows.widgets.common import Recorder, app_entry, recorder_or_default, safe

log = logging.getLogger("mixedflows")


def html() -> Any:
    """The apps' macros (``templates/returns.html.j2``)."""
    return ui.macros("returns.html.j2")


def _css(text: str) -> str:
    return text.replace("_", "-")


# --- The return desk (¶24) -----------------------------------------------------------------------


class ReturnDeskApp(ExerciseApp):
    """Decide each returnee's case: a decision and the measures that go with it."""

    expects = (ModelExercise,)
    model = "returns.desk"
    default_exercise = "m9_return_decisions"
    submit_label = "Submit my decisions"
    auto_watch = False  # the picker is not an answer: the app says when an answer changed
    empty_message = (
        "Nothing to grade yet: choose a decision for at least one person, then submit. "
        "Nothing was graded or recorded."
    )

    def inputs(self) -> list[w.Widget]:
        self.caseload = policy.load_caseload(self.exercise.params.caseload)
        self.returnees = list(self.caseload.returnees)
        self.answers: dict[str, dict[str, Any]] = {}
        self.index = 0
        self._loading = False
        self.picker = w.Dropdown(description="Person", layout=w.Layout(width="auto"))
        self.picker.add_class("mf-ret-picker")
        self.picker.observe(self.safe(self._on_pick), "value")
        self.next = w.Button(description="Next person ▶", layout=w.Layout(width="auto"))
        self.next.add_class("mf-ret-next")
        self.next.on_click(self.safe(lambda _b: self.show(self.index + 1)))
        self.progress = w.HTML()
        self.progress.add_class("mf-ret-progress")
        self.card = w.HTML()
        self.card.add_class("mf-ret-card")
        self.decision = w.RadioButtons(
            options=[(label, did) for did, label in policy.DECISIONS.items()],
            value=None,
            layout=w.Layout(width="100%"),  # each option is a label; a heading names the group
        )
        self.decision.add_class("mf-ret-decision")
        self.decision.observe(self.safe(self._on_answer), "value")
        self.checks: dict[str, w.Checkbox] = {}
        for mid, label in policy.MEASURES.items():
            cb = w.Checkbox(description=label, indent=False, layout=w.Layout(width="auto"))
            cb.add_class(f"mf-ret-m-{_css(mid)}")
            cb.observe(self.safe(self._on_answer), "value")
            self.checks[mid] = cb
        row = w.Box([self.picker, self.next], layout=w.Layout(flex_flow="row wrap"))
        row.add_class("mf-row")
        self._refresh()
        return [
            row,
            self.progress,
            self.card,
            w.HTML(str(html().label("Decision"))),
            self.decision,
            w.HTML(str(html().label("Measures", ": tick what must go with your decision."))),
            w.VBox(list(self.checks.values())),
        ]

    # -- one returnee on screen ----------------------------------------------------------------
    @property
    def returnee(self) -> policy.Returnee:
        return self.returnees[self.index]

    def show(self, i: int) -> None:
        self.index = i % len(self.returnees)
        self._refresh()
        if self.result is not None:
            self.show_feedback()

    def _refresh(self) -> None:
        r = self.returnee
        self._loading = True
        try:
            self.picker.options = [
                (f"{k + 1}. {x.name}" + (" ✓" if x.id in self.answers else ""), k)
                for k, x in enumerate(self.returnees)
            ]
            self.picker.value = self.index
            mine = self.answers.get(r.id, {})
            self.decision.value = mine.get("decision")
            for mid, cb in self.checks.items():
                cb.value = mid in mine.get("measures", [])
        finally:
            self._loading = False
        self.card.value = str(html().card(r.name, r.story, policy.situation_lines(r)))
        self.progress.value = str(html().answered(len(self.answers), len(self.returnees)))

    def _on_pick(self, change: Any) -> None:
        if not self._loading and change["new"] is not None and change["new"] != self.index:
            self.show(change["new"])

    def _on_answer(self, _change: Any) -> None:
        if self._loading or self._quiet:
            return
        ticked = [mid for mid, cb in self.checks.items() if cb.value]
        if self.decision.value is None and not ticked:
            self.answers.pop(self.returnee.id, None)
        else:
            self.answers[self.returnee.id] = {"decision": self.decision.value, "measures": ticked}
        self._refresh()
        self.changed()

    # -- the base's hooks ----------------------------------------------------------------------
    def answer(self) -> dict[str, Any]:
        return {k: dict(v) for k, v in self.answers.items()}

    def restore(self, draft: Any) -> None:
        ids = {r.id for r in self.returnees}
        self.answers = {
            k: {"decision": v.get("decision"), "measures": list(v.get("measures", []))}
            for k, v in draft.items()
            if k in ids and isinstance(v, dict)
        }
        self._refresh()

    # What the learner is shown: before the last attempt, what they answered is explained and
    # what they missed is counted (returns.grader.desk_feedback); the store keeps every note.
    def after_grade(self, result: GradeResult) -> None:
        from mixedflows.returns.grader import desk_feedback

        self._shown = desk_feedback(self.exercise, self.answer(), reveal=self.last_attempt_used)

    def resume(self, last: Any, final: bool) -> None:
        from mixedflows.returns.grader import desk_feedback

        if not isinstance(last.feedback, dict) or not isinstance(last.answer, dict):
            return
        try:
            result = result_from_json(last.feedback)
            shown = desk_feedback(self.exercise, last.answer, reveal=final)
        except (AnswerError, KeyError, TypeError, ValueError):  # an older form: not shown
            log.info("last attempt at %s not shown again", self.exercise.id, exc_info=True)
            return
        # What the notes are about: the answers of the last attempt, after the last one, or
        # when no draft brought anything back (a reload once showed an empty form under the
        # note "you have changed your answer since this feedback").
        if final or not self.answers:
            self.restore(last.answer)
        self.result, self._shown = result, shown
        self.stale = self.answer() != last.answer
        self.show_feedback()

    def feedback_items(self, result: GradeResult) -> list[Any]:
        name = self.returnee.name + ":"
        return [f for f in getattr(self, "_shown", ()) if f.item.startswith(name)]

    def item_label(self, item: str) -> str:
        return item.split(": ", 1)[1].capitalize() if ": " in item else item

    def hidden_note(self, result: GradeResult) -> str:
        note = (
            f"Shown: the notes on {self.returnee.name}. Pick another person to read theirs "
            "(the score is for everyone)."
        )
        if not self.last_attempt_used:
            note += (
                " A measure you did not tick is counted, not named, and a decision that is "
                "not the one the rules call for is not corrected, until your last attempt "
                f"({self.max_attempts})."
            )
        return note

    def status_line(self, result: GradeResult) -> str:
        text = (
            f"{self.attempt_text()}: {result.score:.0%} for the {len(self.returnees)} people "
            f"({len(self.answers)} answered)."
        )
        if self.last_attempt_used:
            return text + " That was your last attempt: every note is shown now."
        if result.score >= 0.999:
            return text
        left = self.max_attempts - self.attempts
        return text + (
            f" Change any answer and submit again: {left} attempt{'s' if left > 1 else ''} left."
        )


# --- The reintegration programme (¶25) -----------------------------------------------------------


class ReintegrationApp(ExerciseApp):
    """Split a budget across reintegration measures; the model's scores follow every move."""

    expects = (ModelExercise,)
    model = "returns.reintegration"
    default_exercise = "m9_reintegration_programme"
    submit_label = "Submit my programme"
    auto_watch = False  # every slider move runs the model (refresh), which marks the change
    empty_message = (
        "Nothing to grade yet: put some of the budget into at least one measure, then submit. "
        "Nothing was graded or recorded."
    )

    def inputs(self) -> list[w.Widget]:
        from mixedflows.returns import reintegration as rm

        self.rm = rm
        self.params = self.exercise.params
        p = self.params.returnee
        self.sliders: dict[str, w.IntSlider] = {}
        for mid, label in rm.MEASURES.items():
            s = w.IntSlider(
                value=0,
                min=0,
                max=self.params.budget,
                step=self.params.step,
                description=f"{label} (EUR)",
                continuous_update=False,
                style={"description_width": "initial"},
                layout=w.Layout(width="100%", max_width="620px"),
            )
            s.add_class(f"mf-re-{mid}")
            s.observe(self.safe(lambda _c: self.refresh()), "value")
            self.sliders[mid] = s
        self.live = w.HTML()
        self.live.add_class("mf-re-live")
        self.hint = w.Button(
            description="Show the programme the model finds best",
            layout=w.Layout(width="auto"),
            disabled=True,
        )
        self.hint.add_class("mf-hint")
        self.hint.on_click(self.safe(self._on_hint))
        self.hint_box = w.HTML()
        facts = [
            f"Skills: {p.skills}.",
            f"Years away: {p.years_away:g}.",
            "Savings or tools to bring home." if p.assets_to_transfer else "Nothing to transfer.",
            "In acute distress." if p.distress else "No acute distress.",
        ]
        card = ui.card(p.name, [p.story, " ".join(facts)], note="Synthetic person.")
        objectives = [
            (rm.DIMENSIONS[o.dimension], f"{o.at_least:.2f}", f"{o.weight:.0%}")
            for o in self.params.objectives
        ]
        self.refresh()
        return [
            w.HTML(card),
            w.HTML(str(html().objectives(objectives))),
            *self.sliders.values(),
            self.live,
        ]

    def actions(self) -> w.Widget:
        row = w.HBox([self.submit, self.hint])
        row.add_class("mf-row")
        return row

    def after(self) -> list[w.Widget]:
        return [self.hint_box, w.HTML(assumptions_html())]

    def programme(self) -> dict[str, float]:
        return {m: float(s.value) for m, s in self.sliders.items()}

    def refresh(self) -> None:
        """The model run on the programme on screen: scores, budget left, the same programme
        for the other returnees."""
        rm, params = self.rm, self.params
        prog = self.programme()
        left = params.budget - sum(prog.values())
        if left >= 0 and "over the budget of EUR" in self.status.value:
            # The refusal of a programme over the budget goes once the budget is kept (it
            # stayed on screen after the learner had fixed it).
            self.status.value = ""
        budget = (
            ui.message("bad", f"Over the budget by EUR {-left:,.0f}: take something off.")
            if left < 0
            else str(html().budget_left(f"{left:,.0f}", f"{params.budget:,}"))
        )
        targets = params.targets
        people = [params.returnee, *params.others]
        rows = []
        for k, person in enumerate(people):
            s = rm.run(person, prog).scores
            cells: list[Any] = [person.name + (" (the exercise)" if k == 0 else "")]
            for d in rm.DIMENSIONS:
                ok = k > 0 or d not in targets or s[d] >= targets[d] - 1e-9
                word = "" if k > 0 or d not in targets else (" met" if ok else " not met")
                cells.append((f"{s[d]:.2f}{word}", "" if k > 0 else ui.credit_class(float(ok))))
            rows.append(cells)
        table = ui.table(
            ["Returnee", *rm.DIMENSIONS.values()],
            rows,
            caption="The model's scores for this programme (the same programme for others: "
            "circumstances matter)",
            css="mf-re-scores",
        )
        self.live.value = budget + str(html().scroll(ui.Markup(table)))
        self.changed()

    def answer(self) -> dict[str, float]:
        return {m: v for m, v in self.programme().items() if v}

    def is_empty(self, answer: Any) -> bool:
        return not answer

    def restore(self, draft: Any) -> None:
        for m, v in draft.items():
            if m in self.sliders:
                self.sliders[m].value = int(v)
        self.refresh()

    def after_grade(self, result: GradeResult) -> None:
        self.hint.disabled = self.attempts < 2

    def _on_hint(self, _b: Any) -> None:
        from mixedflows.returns.grader import reference_programme

        if self.attempts < 2:  # the kernel decides, not the button's state in the browser
            self.hint_box.value = ui.message(
                "part",
                "The programme the model finds best is shown after two attempts of your own.",
            )
            return

        prog, out = reference_programme(self.exercise)
        text = ", ".join(
            f"{self.rm.MEASURES[m].lower()} EUR {v:,.0f}" for m, v in prog.items() if v
        )
        scores = ", ".join(
            f"{self.rm.DIMENSIONS[d].lower()} {s:.2f}" for d, s in out.scores.items()
        )
        self.hint_box.value = ui.card(
            "The programme the model finds best",
            [
                f"Found by running the model on every split of the budget in steps of EUR "
                f"{self.params.step:,}: {text}. Its scores: {scores}.",
                "It is the best for this model's assumptions, not for Dawit: which of them would "
                "you question first?",
            ],
        )


def assumptions_html(unfolded: bool = False) -> str:
    """Every coefficient of the model with its source, as the learner reads them (folded
    unless ``unfolded``)."""
    from mixedflows.returns import reintegration as rm

    # Each row from its coefficient's data: what it acts on, what it is, its value, its source
    # and how far that backs it (five rows once read the same: the measure was not said).
    rows = [
        (*rm.subject(r), r.meaning, f"{r.value:g} {r.unit}".strip(), r.source, rm.confidence(r))
        for r in rm.assumptions()
    ]
    table = ui.table(
        ["Measure", "Dimension", "What", "Value", "Source", "How far it is backed"],
        rows,
        css="mf-re-assumptions",
    )
    unsourced, _total = rm.unsourced_count()
    return str(html().assumptions(len(rows), unsourced, ui.Markup(table), open=unfolded))


def best_programmes_html(exercise_id: str = "m9_reintegration_programme") -> str:
    """For each returnee of the exercise, the programme the model finds best and its scores:
    the same budget, different circumstances, different programmes (all from the model)."""
    from mixedflows.exercises import load_exercise
    from mixedflows.returns import reintegration as rm

    params = load_exercise(exercise_id).params
    rows = []
    for person in [params.returnee, *params.others]:
        prog, out = rm.best_programme(
            person, params.budget, params.step, params.targets, params.weights
        )
        met = sum(out.scores[d] >= t - 1e-9 for d, t in params.targets.items())
        rows.append(
            [
                f"{person.name} ({person.skills} skills, {person.years_away:g} years away)",
                *(f"{prog[m]:,.0f}" for m in rm.MEASURES),
                ", ".join(f"{s:.2f}" for s in out.scores.values()),
                f"{met} of {len(params.targets)}",
            ]
        )
    table = ui.table(
        ["Returnee", *(f"{label} (EUR)" for label in rm.MEASURES.values()), "Scores", "Met"],
        rows,
        caption=f"The best split of EUR {params.budget:,} for each returnee, found by running "
        "the model (scores: economic, social, psychosocial)",
        css="mf-re-best",
    )
    return str(html().scroll(ui.Markup(table)))


@app_entry
def best_programmes(
    exercise_id: str = "m9_reintegration_programme", *, recorder: Any = None
) -> w.VBox:
    """A button that shows :func:`best_programmes_html` (the exercise's reference answer among
    them): shown when asked, and only once this learner has an attempt of the exercise in the
    store (:mod:`.debrief_gate`); before, the button says so."""
    from mixedflows.widgets.debrief_gate import GATE_TEXT, missing_attempts

    out = w.HTML()
    out.add_class("mf-re-best-box")
    status = w.HTML()
    button = w.Button(
        description="Show the best programme for each returnee", layout=w.Layout(width="auto")
    )
    button.add_class("mf-re-best-show")

    def show(_b: Any) -> None:
        if missing_attempts([exercise_id], recorder):
            status.value = ui.message("part", GATE_TEXT)
            return
        status.value = ""
        out.value = best_programmes_html(exercise_id)

    button.on_click(safe(status)(show))
    box = w.VBox([ui.style_widget(), button, status, out])
    box.add_class("mf-app")
    return box


# --- The app: three steps ------------------------------------------------------------------------

STEPS = (
    ("desk", "1. Return decisions"),
    ("programme", "2. Reintegration programme"),
    ("mobility", "3. Labour mobility"),
)


class ReturnApp(ExercisePage):
    """The module 9 app (``widgets/return_and_reintegration.ipynb``): a step is built when first
    opened (the page is interactive sooner)."""

    def __init__(self, *, recorder: Recorder | None = None) -> None:
        self.recorder = recorder_or_default(recorder)
        builders: dict[str, Callable[[], Any]] = {
            "desk": lambda: ReturnDeskApp(recorder=self.recorder),
            "programme": lambda: ReintegrationApp(recorder=self.recorder),
            "mobility": self._mobility,
        }
        super().__init__(
            "Return and reintegration",
            "Module 9 · MC/INF/294 ¶24-26 · every person synthetic",
            [(key, label, builders[key]) for key, label in STEPS],
            css="mf-returns",
            max_width="1000px",
        )

    def _mobility(self) -> Any:
        from mixedflows.widgets.policy_lab import PredictThenSee

        return PredictThenSee("m9_labour_mobility", recorder=self.recorder)


@app_entry
def model_assumptions() -> w.HTML:
    """The reintegration model's assumptions, each with its source (the notebook shows them)."""
    box = w.HTML(ui.styles() + assumptions_html(unfolded=True))
    box.add_class("mf-app")
    return box


@app_entry
def return_desk(exercise_id: str = "m9_return_decisions", **kw: Any) -> w.VBox:
    return ReturnDeskApp(exercise_id, **kw).widget


@app_entry
def reintegration_programme(exercise_id: str = "m9_reintegration_programme", **kw: Any) -> w.VBox:
    return ReintegrationApp(exercise_id, **kw).widget


@app_entry
def labour_mobility(exercise_id: str = "m9_labour_mobility", **kw: Any) -> w.VBox:
    from mixedflows.widgets.policy_lab import PredictThenSee

    return PredictThenSee(exercise_id, **kw).widget


@app_entry
def return_app(**kw: Any) -> w.VBox:
    """The Voila app of module 9."""
    return ReturnApp(**kw).widget


__all__ = [
    "ReintegrationApp",
    "ReturnApp",
    "ReturnDeskApp",
    "assumptions_html",
    "best_programmes",
    "best_programmes_html",
    "labour_mobility",
    "model_assumptions",
    "reintegration_programme",
    "return_app",
    "return_desk",
]
