"""Module 5, screening and referral: the screening desk app and the module's graded exercises.

Every widget here only collects input, asks the engine and renders: the queue and the interview
come from :mod:`mixedflows.cases` and :mod:`mixedflows.narratives`, the reference answers and
the feedback from :mod:`mixedflows.screening`, :mod:`mixedflows.trafficking` and
:mod:`mixedflows.grading`. Attempts are recorded through :class:`~.common.Recorder`.

- :func:`desk_app`: the screening desk (a queue of case files; ask, mark, refer, get feedback);
- :func:`order_exercise`: the steps for one person, graded on the hard constraints only;
- :func:`indicator_exercise`: mark the ILO/EC indicators in a testimony;
- :func:`family_exercise`: choose the referrals for each member of a family;
- :func:`caveat_box`: the trafficking rule and its caveat, from the one place they are kept.
"""

from __future__ import annotations

import contextlib
from collections.abc import Callable, Sequence
from typing import Any

import ipywidgets as w
from ipywidgets.widgets.widget_description import DescriptionStyle

from mixedflows import cases, narratives, trafficking
from mixedflows.constraints import step_label
from mixedflows.exercises import ModelExercise
from mixedflows.grading import AnswerError, GradeResult
from mixedflows.profiles import NEED_LABELS, Person
from mixedflows.screening import PRIORITY
from mixedflows.widgets import ui
from mixedflows.widgets.base import ExerciseApp, result_from_json
from mixedflows.widgets.checkgroup import CheckGroup
from mixedflows.widgets.common import Recorder, app_entry, message


def html() -> Any:
    """The apps' macros (``templates/screening_desk.html.j2``)."""
    return ui.macros("screening_desk.html.j2")


def _css_id(text: str) -> str:
    return text.replace(".", "-").replace("_", "-")


def _cite_line(ex: Any) -> str:
    return f"Module {ex.module} · MC/INF/294 " + ", ".join(f"¶{p}" for p in ex.seed_paragraphs)


def caveat_html() -> str:
    """The ILO/EC rule and its caveat, as the engine applies them."""
    return str(html().caveat(trafficking.rule_lines()))


def caveat_box() -> w.HTML:
    """The trafficking rule and its caveat (module 5 shows it before the exercises)."""
    box = ui.text(ui.styles() + caveat_html())
    box.add_class("mf-caveat-box")
    return box


def dimensions_html(marked: Sequence[str], child: bool) -> str:
    """What the marked indicators add up to: the Palermo elements (indications warranting
    referral: what the official acts on) and, beside them, the ILO/EC dimensions (a
    data-collection view, not the referral threshold)."""
    a = trafficking.assess(marked, child=child)
    elements = [
        (
            trafficking.ELEMENT_NAMES[e.element].split(" (")[0],
            e.present,
            ", ".join(e.kinds) if e.present else ("not needed" if not e.required else "not shown"),
        )
        for e in a.elements
    ]
    rows = [(d.dimension, d.name, d.strong, d.medium, d.weak, d.positive) for d in a.dimensions]
    verdict = (
        "indications warranting referral"
        if a.referral
        else "no indications warranting referral yet"
    )
    who = "a child" if child else "an adult"
    return str(html().dimensions(elements, who, verdict, a.reason, rows, a.ilo.text(child)))


class RankPicker:
    """Choose some options and their order: a place (1, 2, ...) for each, or none ("—").

    Each option is a dropdown named by its label (a visible, associated label: a screen reader
    says "Urgent medical care, place: —"); the labels wrap on a narrow screen."""

    def __init__(
        self,
        options: Sequence[tuple[str, str]],
        css: str,
        on_change: Callable[[], None] | None = None,
    ) -> None:
        n = len(options)
        self.dropdowns: dict[str, w.Dropdown] = {}
        rows = []
        # One layout and one style for every row (never changed per row): fewer widget models
        # for the page to create (issue 13 cold start).
        layout = w.Layout(width="100%", max_width="640px")
        # the label, the place (72 px) and the row's own margins within its box: at 390 px wide
        # the place ran 10 px past the box (a cold trial: its arrow cut, the label scrolled)
        style = DescriptionStyle(description_width="calc(100% - 100px)")
        for oid, label in options:
            dd = w.Dropdown(
                options=[("—", 0)] + [(str(k), k) for k in range(1, n + 1)],
                value=0,
                description=label,
                tooltip=f"Place of '{label}' (— if not needed)",
                layout=layout,
                style=style,
            )
            dd.add_class(f"{css}-{_css_id(oid)}")
            dd.add_class("mf-rank-row")
            if on_change is not None:
                dd.observe(lambda _c: on_change(), "value")
            self.dropdowns[oid] = dd
            rows.append(dd)
        self.widget = w.VBox(rows, layout=ui.shared_layout())
        self.widget.add_class("mf-ranks")

    @property
    def value(self) -> list[str]:
        """The chosen options in order; AnswerError if two share a place."""
        placed = [(dd.value, oid) for oid, dd in self.dropdowns.items() if dd.value]
        places = [p for p, _ in placed]
        dup = sorted({p for p in places if places.count(p) > 1})
        if dup:
            raise AnswerError(f"place {dup[0]} is given twice: give each place once")
        return [oid for _, oid in sorted(placed)]

    @value.setter
    def value(self, ordered: Sequence[str]) -> None:
        for oid, dd in self.dropdowns.items():
            dd.value = list(ordered).index(oid) + 1 if oid in ordered else 0


NEED_OPTIONS = [(n.value, NEED_LABELS[n]) for n in PRIORITY]
PALERMO_BOX = (
    "Sexual exploitation, read against the Palermo elements (the ILO/EC lists for it await "
    "transcription)"
)


def group_title(number: int, name: str) -> str:
    """A group of indicators' title, in the words ``html().group`` shows: its dimension's
    number (0: the Palermo box, unnumbered) and name."""
    return f"{number}. {name}" if number else name


def indicator_groups() -> list[dict[str, Any]]:
    """The desk's indicators as :class:`CheckGroup` groups: one a dimension (the Palermo box
    last), each indicator in the observation table's order."""
    table = trafficking.observations()
    return [
        {
            "key": str(d),
            "title": group_title(d, name),
            "options": [
                {"id": ind.id, "label": ind.text, "css": _css_id(ind.id)}
                for ind in table.values()
                if ind.dimension == d
            ],
        }
        for d, name in {**trafficking.DIMENSIONS, 0: PALERMO_BOX}.items()
    ]


# --- The screening desk ------------------------------------------------------------------------


REFERRALS_ID = "mf-desk-referrals"
"""The referrals' label: where the link past the 77 indicator checkboxes lands."""


class DeskApp(ExerciseApp):
    """The screening desk: ``DeskApp().widget`` is what the page shows. Each case file is
    graded on its own; the desk keeps every file's work (a draft in the store) and its grade."""

    expects = (ModelExercise,)
    model = "cases.desk"
    default_exercise = "m5_screening_desk"
    submit_label = "Submit this file"
    empty_message = (
        "Nothing to grade yet: give a place (1 first) to at least one referral this person "
        "needs, then submit. Nothing was graded or recorded."
    )
    auto_watch = False  # the inputs show one file at a time: the callbacks track changes

    def __init__(
        self, exercise_id: str = "m5_screening_desk", *, recorder: Recorder | None = None
    ) -> None:
        super().__init__(exercise_id, recorder=recorder)

    # -- layout --------------------------------------------------------------------------------
    def inputs(self) -> list[w.Widget]:
        self.params = self.exercise.params
        self.queue: list[cases.CaseFile] = cases.desk_queue(
            self.params.cases,
            self.params.scenario,
            self.params.seed,
            self.params.generated,
            keep=True,  # the first queue kept as a memo (issue 13)
        )
        # The exercise's files: the ones its grade counts (a file of "More arrivals" is
        # practice, mixedflows.gradebook)
        self.exercise_files = frozenset(cf.person.person_id for cf in self.queue)
        self.extra_boats = 0
        self.state: dict[str, dict[str, Any]] = {}
        self.index = 0
        # Buttons share one layout and one style (never changed per widget), as do the HTML
        # pieces and the boxes (ui.text, ui.shared_layout): fewer widget models for the page to
        # create (issue 13).
        auto = ui.shared_layout(width="auto")
        press = ui.shared_style(w.Button)
        self.picker = w.Dropdown(description="Case file", layout=w.Layout(width="460px"))
        self.picker.add_class("mf-desk-queue")
        self.picker.observe(self.safe(self._on_pick), "value")
        self.next = w.Button(description="Next file ▶", layout=auto, style=press)
        self.next.add_class("mf-desk-next")
        self.next.on_click(self.safe(lambda _b: self._show(self.index + 1)))
        self.more = w.Button(description="More arrivals", layout=auto, style=press)
        self.more.add_class("mf-desk-more")
        self.more.on_click(self.safe(self._on_more))
        self.score = ui.text()
        self.score.add_class("mf-desk-score")
        self.card = ui.text()
        self.card.add_class("mf-desk-card")
        self.ask_buttons: dict[str, w.Button] = {}
        for q, text in narratives.QUESTIONS.items():
            label = narratives.QUESTION_LABELS[q]
            b = w.Button(description=label, tooltip=text, layout=auto, style=press)
            b.add_class(f"mf-ask-{q}")
            b.on_click(self.safe(lambda _b, q=q: self._ask(q)))
            self.ask_buttons[q] = b
        self.transcript = ui.text()
        self.transcript.add_class("mf-transcript")
        # One checkbox per indicator, grouped by dimension: usable by touch and keyboard
        # (no Ctrl-click), each with its own label; all of them one widget model (issue 13).
        self.marks = CheckGroup(indicator_groups(), layout=ui.shared_layout())
        self.marks.add_class("mf-desk-marks")
        self.marks.observe(self.safe(self._on_marks), "value")
        self.dims = ui.text()
        self.dims.add_class("mf-desk-dims")
        self.ranks = RankPicker(NEED_OPTIONS, "mf-rank", self.safe(self._on_ranks))
        self.submit.add_class("mf-desk-submit")
        self.feedback.add_class("mf-desk-feedback")
        self._refresh_queue()
        self._show(0)
        row = w.HBox([self.picker, self.next, self.more], layout=ui.shared_layout())
        row.add_class("mf-row")
        asks = w.Box(list(self.ask_buttons.values()), layout=w.Layout(flex_flow="row wrap"))
        asks.add_class("mf-row")
        return [
            row,
            self.score,
            self.card,
            ui.text(str(html().label("Ask", " (each answer is added to the interview below)"))),
            asks,
            self.transcript,
            ui.text(
                str(
                    html().label_skipping(
                        "Indicators of trafficking observed",
                        " (tick every one you heard)",
                        REFERRALS_ID,
                        "Skip the indicators, to the referrals",
                    )
                )
            ),
            self.marks,
            self.dims,
            ui.text(
                str(
                    html().label_target(
                        "Referrals",
                        ": give a place (1 first) to each referral this person needs",
                        REFERRALS_ID,
                    )
                )
            ),
            self.ranks.widget,
        ]

    def intro(self) -> list[w.Widget]:
        return [ui.text(ui.paragraphs(self.exercise.instructions) + caveat_html())]

    # -- state ---------------------------------------------------------------------------------
    @property
    def person(self) -> Person:
        return self.queue[self.index].person

    def _st(self, p: Person) -> dict[str, Any]:
        return self.state.setdefault(
            p.person_id,
            {"asked": [], "indicators": [], "referrals": [], "result": None, "stale": False},
        )

    def _refresh_queue(self) -> None:
        with self.quietly():
            self.picker.options = [
                (f"{i + 1}. {cf.person.name}" + (" ✓" if self._st(cf.person)["result"] else ""), i)
                for i, cf in enumerate(self.queue)
            ]
            self.picker.value = self.index
        done = [s["result"] for s in self.state.values() if s["result"] is not None]
        # The grade is the one the export writes: each file once, over every file of the desk
        # (mixedflows.gradebook), as the recorder computed it for the last file checked.
        g = self.recorder.last_grade
        grade = f"; your grade for the exercise {g.text}" if g is not None and done else ""
        mean = f", score {sum(r.score for r in done) / len(done):.0%} on those" if done else ""
        self.score.value = str(html().score(len(done), len(self.queue), mean, grade))

    def _show(self, i: int) -> None:
        self.index = i % len(self.queue)
        p = self.person
        s = self._st(p)
        self.card.value = ui.card(p.name, [cases.arrival(p)], note="Synthetic case file.")
        with self.quietly():
            self.marks.value = s["indicators"]
            self.ranks.value = s["referrals"]
        self.result, self.stale = s["result"], s["stale"]
        self._refresh_transcript()
        self._refresh_dims()
        self.show_feedback()
        self.status.value = ""
        self._refresh_queue()

    def _refresh_transcript(self) -> None:
        p = self.person
        asked = self._st(p)["asked"]
        for q, b in self.ask_buttons.items():
            b.button_style = "info" if q in asked else ""
        answers = narratives.interview(p) if asked else {}
        pairs = [(narratives.QUESTIONS[q], " ".join(answers[q])) for q in asked]
        self.transcript.value = str(html().transcript(pairs))

    def _refresh_dims(self) -> None:
        p = self.person
        self.dims.value = dimensions_html(self._st(p)["indicators"], p.treated_as_child)

    # -- callbacks -----------------------------------------------------------------------------
    def _on_pick(self, change: Any) -> None:
        if not self._quiet and change["new"] is not None and change["new"] != self.index:
            self._show(change["new"])
            self.save_draft()

    def _ask(self, q: str) -> None:
        asked = self._st(self.person)["asked"]
        if q not in asked:
            asked.append(q)
            self.save_draft()
        self._refresh_transcript()

    def _on_marks(self, _change: Any) -> None:
        if self._quiet:
            return
        self._st(self.person)["indicators"] = list(self.marks.value)
        self._refresh_dims()
        self.changed()

    def _on_ranks(self) -> None:
        if self._quiet:
            return
        # Two referrals may share a place for a moment while the learner edits.
        with contextlib.suppress(AnswerError):
            self._st(self.person)["referrals"] = self.ranks.value
        self.changed()

    def changed(self) -> None:
        super().changed()
        self._st(self.person)["stale"] = self.stale

    def _on_more(self, _b: Any) -> None:
        self._add_boat()
        self.status.value = message(
            "ok", f"{len(self.queue) - self._before_more} more people arrived."
        )
        self._refresh_queue()
        self.save_draft()

    def _add_boat(self) -> None:
        sc = self.params.scenario or "lampedusa_2013"
        self._before_more = len(self.queue)
        self.extra_boats += 1
        seed = self.params.seed + self.extra_boats
        self.queue += cases.desk_queue((), sc, seed, max(self.params.generated, 4))

    # -- the exercise ----------------------------------------------------------------------------
    def answer(self) -> dict[str, Any]:
        p = self.person
        s = self._st(p)
        return {
            "person_id": p.person_id,
            "asked": list(s["asked"]),
            "indicators": list(s["indicators"]),
            "referrals": self.ranks.value,
        }

    def is_empty(self, answer: Any) -> bool:
        return not answer["referrals"]

    def grade(self, answer: Any) -> GradeResult:
        return cases.grade_desk(self.person, answer, self.exercise.id)

    def status_line(self, result: GradeResult) -> str:
        more = "" if result.score >= 0.999 else " Change anything and submit again."
        practice = (
            ""
            if self.person.person_id in self.exercise_files
            else " This file came with More arrivals: practice, not part of your grade."
        )
        return f"{self.person.name}: {result.score:.0%}.{more}{practice}"

    def after_grade(self, result: GradeResult) -> None:
        s = self._st(self.person)
        s["referrals"] = self.ranks.value
        s["result"], s["stale"] = result, False
        self._refresh_queue()
        self.save_draft()

    def show_feedback(self) -> None:
        super().show_feedback()
        if self.result is not None:
            # Where the file comes from is said after an answer, never before: a worked
            # case's name would give its answer away.
            cf = self.queue[self.index]
            self.feedback.value += str(html().source(cf.source))

    def draft(self) -> Any:
        return {
            "extra_boats": self.extra_boats,
            "index": self.index,
            "files": {
                pid: {
                    "asked": s["asked"],
                    "indicators": s["indicators"],
                    "referrals": s["referrals"],
                    "stale": s["stale"],
                    "result": s["result"].to_json() if s["result"] is not None else None,
                }
                for pid, s in self.state.items()
                if s["asked"] or s["indicators"] or s["referrals"] or s["result"]
            },
        }

    def restore(self, draft: Any) -> None:
        for _ in range(int(draft.get("extra_boats", 0))):
            self._add_boat()
        known = {cf.person.person_id for cf in self.queue}
        for pid, f in draft.get("files", {}).items():
            if pid not in known:
                continue
            self.state[pid] = {
                "asked": [q for q in f.get("asked", []) if q in narratives.QUESTIONS],
                "indicators": [i for i in f.get("indicators", []) if i in self.marks],
                "referrals": [r for r in f.get("referrals", []) if r in self.ranks.dropdowns],
                "stale": bool(f.get("stale")),
                "result": result_from_json(f["result"]) if f.get("result") else None,
            }
        self._show(int(draft.get("index", 0)))


# --- Exercises of module 5 ---------------------------------------------------------------------


class OrderApp(ExerciseApp):
    """The steps for one person, graded on the hard constraints only (any order that respects
    them is right): the module 5 constraints exercise."""

    expects = (ModelExercise,)
    model = "cases.constraints"
    default_exercise = "m5_hard_constraints"
    submit_label = "Check my steps"
    empty_message = (
        "Nothing to grade yet: give a place (1 first) to the steps you would take, then "
        "submit. Nothing was graded or recorded."
    )

    def inputs(self) -> list[w.Widget]:
        self.person = cases.constraint_person(self.exercise.params)
        steps = cases.constraint_steps(self.person)
        self.picker = RankPicker([(x, step_label(x)) for x in steps], "mf-order")
        self.submit.add_class("mf-order-submit")
        self.feedback.add_class("mf-order-feedback")
        p = self.person
        return [ui.text(ui.card(p.name, [p.narrative])), self.picker.widget]

    def answer(self) -> dict[str, list[str]]:
        return {"steps": self.picker.value}

    def restore(self, draft: Any) -> None:
        self.picker.value = [x for x in draft.get("steps", []) if x in self.picker.dropdowns]


class IndicatorApp(ExerciseApp):
    """Mark the ILO/EC indicators in a testimony and see which dimensions they make positive."""

    expects = (ModelExercise,)
    model = "cases.indicators"
    default_exercise = "m5_mark_indicators"
    submit_label = "Submit my marks"
    empty_message = (
        "Nothing to grade yet: tick the indicators the testimony shows, then submit. "
        "Nothing was graded or recorded."
    )

    def inputs(self) -> list[w.Widget]:
        params = self.exercise.params
        self.person = cases.testimony_person(params)
        table = trafficking.observations()
        self.checks: dict[str, w.Checkbox] = {}
        groups = []
        choices = cases.indicator_choices(self.person, params.distractors)
        for d, name in {**trafficking.DIMENSIONS, 0: PALERMO_BOX}.items():
            mine = [i for i in choices if table[i].dimension == d]
            if not mine:
                continue
            cbs = []
            for i in mine:
                cb = w.Checkbox(
                    description=table[i].text, indent=False, layout=w.Layout(width="auto")
                )
                cb.add_class(f"mf-ind-{_css_id(i)}")
                cb.observe(self.safe(self._on_marks), "value")
                self.checks[i] = cb
                cbs.append(cb)
            groups.append(w.VBox([ui.text(str(html().group(d, name))), *cbs]))
        self.dims = ui.text()
        self.dims.add_class("mf-ind-dims")
        self.submit.add_class("mf-ind-submit")
        self.feedback.add_class("mf-ind-feedback")
        self._on_marks(None)
        testimony = html().testimony(cases.testimony(self.person))
        return [ui.text(str(testimony)), *groups, self.dims]

    def marked(self) -> list[str]:
        return [i for i, cb in self.checks.items() if cb.value]

    def _on_marks(self, _change: Any) -> None:
        self.dims.value = dimensions_html(self.marked(), self.person.treated_as_child)

    def answer(self) -> dict[str, list[str]]:
        return {"indicators": self.marked()}

    def restore(self, draft: Any) -> None:
        for i, cb in self.checks.items():
            cb.value = i in draft.get("indicators", [])
        self._on_marks(None)


class FamilyApp(ExerciseApp):
    """Choose the referrals, in order, for each member of a family."""

    expects = (ModelExercise,)
    model = "cases.family_referrals"
    default_exercise = "m5_family_referrals"
    submit_label = "Submit the family's referrals"

    def inputs(self) -> list[w.Widget]:
        self.case = cases.load_case(self.exercise.params.case)
        self.pickers: dict[str, RankPicker] = {}
        members: list[w.Widget] = [ui.text(ui.paragraphs(self.case.spec.summary))]
        for cp, p in zip(self.case.spec.persons, self.case.persons, strict=True):
            picker = RankPicker(NEED_OPTIONS, f"mf-fam-{_css_id(cp.id)}")
            self.pickers[cp.id] = picker
            members.append(w.VBox([ui.text(ui.card(p.name, [p.narrative])), picker.widget]))
        self.submit.add_class("mf-fam-submit")
        self.feedback.add_class("mf-fam-feedback")
        return members

    def answer(self) -> dict[str, list[str]]:
        return {pid: picker.value for pid, picker in self.pickers.items()}

    def restore(self, draft: Any) -> None:
        for pid, picker in self.pickers.items():
            picker.value = [x for x in draft.get(pid, []) if x in picker.dropdowns]


def warm_first_view(exercise_id: str = "m5_screening_desk") -> None:
    """Keep the memo of the desk's first queue (its worked cases and generated files), as its
    first page would: binder/postBuild and the start-up benchmark run it before any page."""
    from mixedflows.exercises import load_exercise

    p = load_exercise(exercise_id).params
    cases.desk_queue(p.cases, p.scenario, p.seed, p.generated, keep=True)


@app_entry
def desk_app(exercise_id: str = "m5_screening_desk", **kw: Any) -> w.VBox:
    """Build and return the screening desk (the notebook's last expression displays it)."""
    return DeskApp(exercise_id, **kw).widget


@app_entry
def order_exercise(exercise_id: str = "m5_hard_constraints", **kw: Any) -> w.VBox:
    return OrderApp(exercise_id, **kw).widget


@app_entry
def indicator_exercise(exercise_id: str = "m5_mark_indicators", **kw: Any) -> w.VBox:
    return IndicatorApp(exercise_id, **kw).widget


@app_entry
def family_exercise(exercise_id: str = "m5_family_referrals", **kw: Any) -> w.VBox:
    return FamilyApp(exercise_id, **kw).widget


__all__ = [
    "DeskApp",
    "FamilyApp",
    "IndicatorApp",
    "OrderApp",
    "RankPicker",
    "caveat_box",
    "desk_app",
    "family_exercise",
    "indicator_exercise",
    "order_exercise",
]
