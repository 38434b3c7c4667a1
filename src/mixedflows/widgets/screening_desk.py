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

from mixedflows import cases, narratives, trafficking
from mixedflows.constraints import step_label
from mixedflows.exercises import ModelExercise, load_exercise
from mixedflows.grading import AnswerError, GradeResult, grade
from mixedflows.profiles import NEED_LABELS, Person
from mixedflows.screening import PRIORITY
from mixedflows.widgets.common import Recorder, app_entry, esc, feedback_html, message, safe, title

DESK_CSS = """
<style>
.mf-transcript {max-width:820px} .mf-transcript .q {color:#1f4e79; font-weight:600}
.mf-transcript .a {margin:0 0 8px 14px}
.mf-dims table {border-collapse:collapse} .mf-dims td, .mf-dims th {padding:2px 8px;
  border-bottom:1px solid #e3e8ee; text-align:left}
.mf-yes {color:#1b6e2a; font-weight:600} .mf-no {color:#777}
.mf-caveat {padding:6px 10px; border-left:4px solid #f0c36d; background:#fffaf0; max-width:820px}
.mf-testimony li {margin-bottom:4px}
</style>
"""


def _css_id(text: str) -> str:
    return text.replace(".", "-").replace("_", "-")


def _cite_line(ex: Any) -> str:
    return f"Module {ex.module} · MC/INF/294 " + ", ".join(f"¶{p}" for p in ex.seed_paragraphs)


def caveat_html() -> str:
    """The ILO/EC rule and its caveat, as the engine applies them."""
    lines = "".join(f"<li>{esc(x)}</li>" for x in trafficking.rule_lines())
    return (
        DESK_CSS + '<div class="mf-caveat"><b>How indications of trafficking are worked out '
        f"here</b><ul>{lines}</ul></div>"
    )


def caveat_box() -> w.HTML:
    """The trafficking rule and its caveat (module 5 shows it before the exercises)."""
    box = w.HTML(caveat_html())
    box.add_class("mf-caveat-box")
    return box


def dimensions_html(marked: Sequence[str], child: bool) -> str:
    """What the marked indicators add up to: the Palermo elements (indications warranting
    referral: what the official acts on) and, beside them, the ILO/EC dimensions (a
    data-collection view, not the referral threshold)."""
    a = trafficking.assess(marked, child=child)
    elements = "".join(
        f"<tr><td>{esc(trafficking.ELEMENT_NAMES[e.element].split(' (')[0])}</td>"
        f"<td class='{'mf-yes' if e.present else 'mf-no'}'>"
        f"{esc(', '.join(e.kinds)) if e.present else ('not needed' if not e.required else 'not shown')}"
        "</td></tr>"
        for e in a.elements
    )
    rows = "".join(
        f"<tr><td>{d.dimension}. {esc(d.name)}</td><td>{d.strong}</td><td>{d.medium}</td>"
        f"<td>{d.weak}</td><td class='{'mf-yes' if d.positive else 'mf-no'}'>"
        f"{'positive' if d.positive else 'not positive'}</td></tr>"
        for d in a.dimensions
    )
    verdict = (
        "indications warranting referral"
        if a.referral
        else "no indications warranting referral yet"
    )
    who = "a child" if child else "an adult"
    return (
        '<div class="mf-dims"><b>Palermo elements (the referral threshold)</b>'
        f"<table><tr><th>Element</th><th>shown by your marks</th></tr>{elements}</table>"
        f"<p>For {who}: <b>{verdict}</b>. {esc(a.reason)}</p>"
        "<b>ILO/EC dimensions (a data-collection view, not the threshold)</b>"
        "<table><tr><th>Dimension</th><th>strong</th><th>medium</th>"
        f"<th>weak</th><th></th></tr>{rows}</table><p>{esc(a.ilo.text(child))}</p></div>"
    )


class RankPicker:
    """Choose some options and their order: a place (1, 2, ...) for each, or none ("—")."""

    def __init__(
        self,
        options: Sequence[tuple[str, str]],
        css: str,
        on_change: Callable[[], None] | None = None,
    ) -> None:
        n = len(options)
        self.dropdowns: dict[str, w.Dropdown] = {}
        rows = []
        for oid, label in options:
            dd = w.Dropdown(
                options=[("—", 0)] + [(str(k), k) for k in range(1, n + 1)],
                value=0,
                layout=w.Layout(width="64px"),
            )
            dd.add_class(f"{css}-{_css_id(oid)}")
            if on_change is not None:
                dd.observe(lambda _c: on_change(), "value")
            self.dropdowns[oid] = dd
            rows.append(w.HBox([dd, w.HTML(esc(label))]))
        self.widget = w.VBox(rows)

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


def _record(
    recorder: Recorder, exercise_id: str, answer: Any, result: GradeResult, text: str
) -> str:
    """Record the attempt; the status line ``text``, saying whether it was saved."""
    recorder.record(exercise_id, answer, result)
    return recorder.status(text)


# --- The screening desk ------------------------------------------------------------------------


class DeskApp:
    """The screening desk: ``DeskApp().widget`` is what the page shows."""

    def __init__(
        self, exercise_id: str = "m5_screening_desk", *, recorder: Recorder | None = None
    ) -> None:
        ex = load_exercise(exercise_id)
        if not isinstance(ex, ModelExercise) or ex.model != "cases.desk":
            raise TypeError(f"{exercise_id} is not a screening desk exercise")
        self.exercise = ex
        self.params = ex.params
        self.recorder = recorder or Recorder()
        self.queue: list[cases.CaseFile] = cases.desk_queue(
            self.params.cases, self.params.scenario, self.params.seed, self.params.generated
        )
        self.extra_boats = 0
        self.state: dict[str, dict[str, Any]] = {}
        self.index = 0
        self._loading = False
        self.status = w.HTML()
        self.status.add_class("mf-status")
        self._build()
        self._show(0)

    # -- layout --------------------------------------------------------------------------------
    def _build(self) -> None:
        ex = self.exercise
        self.head = title(ex.title, _cite_line(ex))
        self.intro = w.HTML(f"<p>{esc(ex.instructions)}</p>" + caveat_html())
        self.picker = w.Dropdown(description="Case file", layout=w.Layout(width="460px"))
        self.picker.add_class("mf-desk-queue")
        self.picker.observe(self._on_pick, "value")
        self.next = w.Button(description="Next file ▶", layout=w.Layout(width="120px"))
        self.next.add_class("mf-desk-next")
        self.next.on_click(safe(self.status)(lambda _b: self._show(self.index + 1)))
        self.more = w.Button(description="More arrivals", layout=w.Layout(width="130px"))
        self.more.add_class("mf-desk-more")
        self.more.on_click(safe(self.status)(self._on_more))
        self.score = w.HTML()
        self.score.add_class("mf-desk-score")
        self.card = w.HTML()
        self.card.add_class("mf-desk-card")
        self.ask_buttons: dict[str, w.Button] = {}
        for q, text in narratives.QUESTIONS.items():
            label = narratives.QUESTION_LABELS[q]
            b = w.Button(description=label, tooltip=text, layout=w.Layout(width="auto"))
            b.add_class(f"mf-ask-{q}")
            b.on_click(safe(self.status)(lambda _b, q=q: self._ask(q)))
            self.ask_buttons[q] = b
        self.transcript = w.HTML()
        self.transcript.add_class("mf-transcript")
        table = trafficking.observations()
        self.marks: dict[int, w.SelectMultiple] = {}
        boxes = []
        groups = {**trafficking.DIMENSIONS, 0: PALERMO_BOX}
        for d, name in groups.items():
            opts = [(ind.text, ind.id) for ind in table.values() if ind.dimension == d]
            sm = w.SelectMultiple(
                options=opts, rows=min(len(opts), 6), layout=w.Layout(width="400px")
            )
            sm.add_class(f"mf-dim-{d}")
            sm.observe(self._on_marks, "value")
            self.marks[d] = sm
            head = f"{d}. {esc(name)}" if d else esc(name)
            boxes.append(w.VBox([w.HTML(f"<b>{head}</b>"), sm]))
        self.dims = w.HTML()
        self.dims.add_class("mf-desk-dims")
        self.ranks = RankPicker(NEED_OPTIONS, "mf-rank", self._on_ranks)
        self.submit = w.Button(
            description="Submit this file", button_style="primary", layout=w.Layout(width="170px")
        )
        self.submit.add_class("mf-desk-submit")
        self.submit.on_click(safe(self.status)(self._on_submit))
        self.feedback = w.HTML()
        self.feedback.add_class("mf-desk-feedback")
        self.widget = w.VBox(
            [
                self.head,
                self.intro,
                w.HBox([self.picker, self.next, self.more]),
                self.score,
                self.card,
                w.HTML("<b>Ask</b> (each answer is added to the interview below)"),
                w.Box(list(self.ask_buttons.values()), layout=w.Layout(flex_flow="row wrap")),
                self.transcript,
                w.HTML("<b>Indicators of trafficking observed</b> (Ctrl-click to mark several)"),
                w.GridBox(boxes, layout=w.Layout(grid_template_columns="repeat(2, 410px)")),
                self.dims,
                w.HTML(
                    "<b>Referrals</b>: give a place (1 first) to each referral this person needs"
                ),
                self.ranks.widget,
                self.submit,
                self.status,
                self.feedback,
            ],
            layout=w.Layout(max_width="900px"),
        )
        self._refresh_queue()

    # -- state ---------------------------------------------------------------------------------
    @property
    def person(self) -> Person:
        return self.queue[self.index].person

    def _st(self, p: Person) -> dict[str, Any]:
        return self.state.setdefault(
            p.person_id,
            {"asked": [], "indicators": [], "referrals": [], "result": None},
        )

    def _refresh_queue(self) -> None:
        self._loading = True
        self.picker.options = [
            (f"{i + 1}. {cf.person.name}" + (" ✓" if self._st(cf.person)["result"] else ""), i)
            for i, cf in enumerate(self.queue)
        ]
        self.picker.value = self.index
        self._loading = False
        done = [s["result"] for s in self.state.values() if s["result"] is not None]
        # The grade is the one the export writes: each file once, over every file of the desk
        # (mixedflows.gradebook), as the recorder computed it for the last file checked.
        g = self.recorder.last_grade
        grade = f"; your grade for the exercise {g.text}" if g is not None and done else ""
        mean = f", score {sum(r.score for r in done) / len(done):.0%} on those" if done else ""
        self.score.value = (
            f'<div class="mf-score">Session: {len(done)} of {len(self.queue)} files done'
            f"{mean}{grade}</div>"
        )

    def _show(self, i: int) -> None:
        self.index = i % len(self.queue)
        cf = self.queue[self.index]
        p = cf.person
        s = self._st(p)
        self.card.value = (
            f'<div class="mf-card"><h4>{esc(p.name)}</h4><p>{esc(cases.arrival(p))}</p>'
            '<p class="mf-cite">Synthetic case file.</p></div>'
        )
        self._loading = True
        for d, sm in self.marks.items():
            sm.value = tuple(
                x for x in s["indicators"] if trafficking.observations()[x].dimension == d
            )
        self.ranks.value = s["referrals"]
        self._loading = False
        self._refresh_transcript()
        self._refresh_dims()
        self.feedback.value = self._feedback(cf, s["result"]) if s["result"] is not None else ""
        self.status.value = ""
        self._refresh_queue()

    def _refresh_transcript(self) -> None:
        p = self.person
        asked = self._st(p)["asked"]
        for q, b in self.ask_buttons.items():
            b.button_style = "info" if q in asked else ""
        if not asked:
            self.transcript.value = DESK_CSS + "<p><i>No question asked yet.</i></p>"
            return
        answers = narratives.interview(p)
        pr = "".join(
            f'<div class="q">{esc(narratives.QUESTIONS[q])}</div>'
            f'<div class="a">{esc(" ".join(answers[q]))}</div>'
            for q in asked
        )
        self.transcript.value = DESK_CSS + pr

    def _refresh_dims(self) -> None:
        p = self.person
        self.dims.value = dimensions_html(self._st(p)["indicators"], p.treated_as_child)

    # -- callbacks -----------------------------------------------------------------------------
    def _on_pick(self, change: Any) -> None:
        if not self._loading and change["new"] is not None and change["new"] != self.index:
            self._show(change["new"])

    def _ask(self, q: str) -> None:
        asked = self._st(self.person)["asked"]
        if q not in asked:
            asked.append(q)
        self._refresh_transcript()

    def _on_marks(self, _change: Any) -> None:
        if self._loading:
            return
        self._st(self.person)["indicators"] = [i for sm in self.marks.values() for i in sm.value]
        self._refresh_dims()

    def _on_ranks(self) -> None:
        if self._loading:
            return
        # Two referrals may share a place for a moment while the learner edits.
        with contextlib.suppress(AnswerError):
            self._st(self.person)["referrals"] = self.ranks.value

    def _on_more(self, _b: Any) -> None:
        sc = self.params.scenario or "lampedusa_2013"
        self.extra_boats += 1
        seed = self.params.seed + self.extra_boats
        more = cases.desk_queue((), sc, seed, max(self.params.generated, 4))
        self.queue += more
        self.status.value = message("ok", f"{len(more)} more people arrived.")
        self._refresh_queue()

    def answer(self) -> dict[str, Any]:
        p = self.person
        s = self._st(p)
        return {
            "person_id": p.person_id,
            "asked": list(s["asked"]),
            "indicators": list(s["indicators"]),
            "referrals": self.ranks.value,
        }

    def _on_submit(self, _b: Any) -> None:
        answer = self.answer()
        if not answer["referrals"]:
            raise AnswerError("give a place to at least one referral (1 first)")
        result = cases.grade_desk(self.person, answer, self.exercise.id)
        s = self._st(self.person)
        s["referrals"] = answer["referrals"]
        s["result"] = result
        self.status.value = _record(
            self.recorder,
            self.exercise.id,
            answer,
            result,
            f"{self.person.name}: {result.score:.0%}. Change anything and submit again.",
        )
        self.feedback.value = self._feedback(self.queue[self.index], result)
        self._refresh_queue()

    @staticmethod
    def _feedback(cf: Any, result: Any) -> str:
        # Where the file comes from is said after an answer, never before: a worked case's
        # name would give its answer away.
        return feedback_html(result) + (
            f'<p class="mf-cite">This synthetic file comes from {esc(cf.source)}.</p>'
        )


# --- Exercises of module 5 ---------------------------------------------------------------------


class OrderApp:
    """The steps for one person, graded on the hard constraints only (any order that respects
    them is right): the module 5 constraints exercise."""

    def __init__(
        self, exercise_id: str = "m5_hard_constraints", *, recorder: Recorder | None = None
    ) -> None:
        ex = load_exercise(exercise_id)
        if not isinstance(ex, ModelExercise) or ex.model != "cases.constraints":
            raise TypeError(f"{exercise_id} is not a hard-constraints exercise")
        self.exercise = ex
        self.person = cases.constraint_person(ex.params)
        self.recorder = recorder or Recorder()
        self.status = w.HTML()
        steps = cases.constraint_steps(self.person)
        self.picker = RankPicker([(x, step_label(x)) for x in steps], "mf-order")
        self.submit = w.Button(description="Check my steps", button_style="primary")
        self.submit.add_class("mf-order-submit")
        self.submit.on_click(safe(self.status)(self._on_submit))
        self.feedback = w.HTML()
        self.feedback.add_class("mf-order-feedback")
        p = self.person
        self.widget = w.VBox(
            [
                title(ex.title, _cite_line(ex)),
                w.HTML(
                    f"<p>{esc(ex.instructions)}</p>"
                    f'<div class="mf-card"><h4>{esc(p.name)}</h4>{esc(p.narrative)}</div>'
                ),
                self.picker.widget,
                self.submit,
                self.status,
                self.feedback,
            ]
        )

    def _on_submit(self, _b: Any) -> None:
        answer = {"steps": self.picker.value}
        result = grade(self.exercise, answer)
        self.status.value = _record(
            self.recorder, self.exercise.id, answer, result, f"Score {result.score:.0%}."
        )
        self.feedback.value = feedback_html(result)


class IndicatorApp:
    """Mark the ILO/EC indicators in a testimony and see which dimensions they make positive."""

    def __init__(
        self, exercise_id: str = "m5_mark_indicators", *, recorder: Recorder | None = None
    ) -> None:
        ex = load_exercise(exercise_id)
        if not isinstance(ex, ModelExercise) or ex.model != "cases.indicators":
            raise TypeError(f"{exercise_id} is not an indicator exercise")
        self.exercise = ex
        params = ex.params
        self.person = cases.testimony_person(params)
        self.recorder = recorder or Recorder()
        self.status = w.HTML()
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
                    description=table[i].text, indent=False, layout=w.Layout(width="600px")
                )
                cb.add_class(f"mf-ind-{_css_id(i)}")
                cb.observe(self._on_change, "value")
                self.checks[i] = cb
                cbs.append(cb)
            head = f"{d}. {esc(name)}" if d else esc(name)
            groups.append(w.VBox([w.HTML(f"<b>{head}</b>"), *cbs]))
        lines = "".join(f"<li>{esc(s)}</li>" for s in cases.testimony(self.person))
        self.dims = w.HTML()
        self.dims.add_class("mf-ind-dims")
        self.submit = w.Button(description="Submit my marks", button_style="primary")
        self.submit.add_class("mf-ind-submit")
        self.submit.on_click(safe(self.status)(self._on_submit))
        self.feedback = w.HTML()
        self.feedback.add_class("mf-ind-feedback")
        self.widget = w.VBox(
            [
                title(ex.title, _cite_line(ex)),
                w.HTML(
                    f"<p>{esc(ex.instructions)}</p>{DESK_CSS}<ol class='mf-testimony'>{lines}</ol>"
                ),
                *groups,
                self.dims,
                self.submit,
                self.status,
                self.feedback,
            ]
        )
        self._on_change(None)

    def marked(self) -> list[str]:
        return [i for i, cb in self.checks.items() if cb.value]

    def _on_change(self, _change: Any) -> None:
        self.dims.value = dimensions_html(self.marked(), self.person.treated_as_child)

    def _on_submit(self, _b: Any) -> None:
        answer = {"indicators": self.marked()}
        result = grade(self.exercise, answer)
        self.status.value = _record(
            self.recorder, self.exercise.id, answer, result, f"Score {result.score:.0%}."
        )
        self.feedback.value = feedback_html(result)


class FamilyApp:
    """Choose the referrals, in order, for each member of a family."""

    def __init__(
        self, exercise_id: str = "m5_family_referrals", *, recorder: Recorder | None = None
    ) -> None:
        ex = load_exercise(exercise_id)
        if not isinstance(ex, ModelExercise) or ex.model != "cases.family_referrals":
            raise TypeError(f"{exercise_id} is not a family referral exercise")
        self.exercise = ex
        self.case = cases.load_case(ex.params.case)
        self.recorder = recorder or Recorder()
        self.status = w.HTML()
        self.pickers: dict[str, RankPicker] = {}
        members = []
        for cp, p in zip(self.case.spec.persons, self.case.persons, strict=True):
            picker = RankPicker(NEED_OPTIONS, f"mf-fam-{_css_id(cp.id)}")
            self.pickers[cp.id] = picker
            members.append(
                w.VBox(
                    [
                        w.HTML(
                            f'<div class="mf-card"><h4>{esc(p.name)}</h4>{esc(p.narrative)}</div>'
                        ),
                        picker.widget,
                    ]
                )
            )
        self.submit = w.Button(description="Submit the family's referrals", button_style="primary")
        self.submit.add_class("mf-fam-submit")
        self.submit.on_click(safe(self.status)(self._on_submit))
        self.feedback = w.HTML()
        self.feedback.add_class("mf-fam-feedback")
        self.widget = w.VBox(
            [
                title(ex.title, _cite_line(ex)),
                w.HTML(f"<p>{esc(ex.instructions)}</p><p>{esc(self.case.spec.summary)}</p>"),
                *members,
                self.submit,
                self.status,
                self.feedback,
            ]
        )

    def answer(self) -> dict[str, list[str]]:
        return {pid: picker.value for pid, picker in self.pickers.items()}

    def _on_submit(self, _b: Any) -> None:
        answer = self.answer()
        result = grade(self.exercise, answer)
        self.status.value = _record(
            self.recorder, self.exercise.id, answer, result, f"Score {result.score:.0%}."
        )
        self.feedback.value = feedback_html(result)


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
