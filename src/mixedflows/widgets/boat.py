"""Module 1, "Who is in the boat?": one person at a time, profiles and first need, then feedback.

The app keeps the learner's answers in a plain dict and asks the engine for everything else:
the boat (scenarios.generate_cohort), the reference answers and feedback (grading.grade). What
every graded app does (grade, record, feedback, drafts, stale feedback) is
:class:`~mixedflows.widgets.base.ExerciseApp`'s.

A person counts as answered once a first need is chosen; feedback, and so the reference
answer, is shown only for answered persons.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import ipywidgets as w

from mixedflows.exercises import CohortClassification
from mixedflows.grading import Feedback, GradeResult, cohort_for, grade, person_item
from mixedflows.profiles import NEED_LABELS, PROFILE_LABELS, Need, Profile
from mixedflows.scenarios import list_scenarios, load_scenario, scenario_title
from mixedflows.server import session as sess
from mixedflows.server.session import query_params
from mixedflows.widgets import ui
from mixedflows.widgets.base import ExerciseApp, app_entry

NO_CHOICE = "—"


class BoatApp(ExerciseApp):
    """The module 1 exercise as a widget: ``BoatApp().widget`` is what the page shows."""

    expects = (CohortClassification,)
    auto_watch = False  # the inputs show one person at a time: _on_answer tracks changes
    default_exercise = "m1_who_is_in_the_boat"
    submit_label = "Submit answers"
    empty_message = (
        "Nothing to grade yet: choose at least one person's first need, then submit (a person "
        "counts as answered once their first need is chosen; profiles ticked are kept). "
        "Nothing was graded or recorded."
    )

    def __init__(
        self,
        exercise_id: str = "m1_who_is_in_the_boat",
        *,
        recorder: Any = None,
        seed: int | None = None,
        scenario: str | None = None,
    ) -> None:
        self._seed_arg = seed
        self._scenario_arg = scenario
        super().__init__(exercise_id, recorder=recorder)

    # -- layout --------------------------------------------------------------------------------
    def inputs(self) -> Sequence[w.Widget]:
        ex = self.exercise
        # Any scenario can fill the boat (the same rules grade it): the exercise's by default,
        # a facilitator's link (?scenario=...) or the learner's pick.
        self.scenarios = list_scenarios()
        wanted = self._scenario_arg or query_params().get("scenario") or ex.scenario
        self.scenario = wanted if wanted in self.scenarios else ex.scenario
        if self._scenario_arg is None and sess.waiting_for_claim():
            # A preheated kernel builds the boat before a page claims it, when the page's link
            # (and so its ?scenario=) is not known: that boat once the link is (before the
            # learner's draft is looked for, which then keeps to the link's boat).
            sess.when_claimed(self._boat_of_the_link)
        self.scenario_picker = w.Dropdown(
            options=[(scenario_title(x), x) for x in self.scenarios],  # not every file parsed
            value=self.scenario,
            description="Boat from",
            layout=w.Layout(width="520px"),
        )
        self.scenario_picker.add_class("mf-scenario")
        self.scenario_picker.observe(self.safe(self._on_scenario), "value")
        self.intro_box = ui.text()
        self.picker = w.Dropdown(description="Person", layout=w.Layout(width="360px"))
        self.picker.add_class("mf-picker")
        # Widgets whose look never changes share their layout and style (issue 13 start-up:
        # fewer widget models for the page to create).
        auto = ui.shared_layout(width="auto")
        press = ui.shared_style(w.Button)
        self.prev = w.Button(
            description="◀ Previous", tooltip="The previous person", layout=auto, style=press
        )
        self.next = w.Button(
            description="Next ▶", tooltip="The next person", layout=auto, style=press
        )
        for b, css in ((self.prev, "mf-prev"), (self.next, "mf-next")):
            b.add_class(css)
        self.progress = ui.text()
        self.progress.add_class("mf-progress")
        self.card = ui.text()
        self.card.add_class("mf-person")
        self.checks: dict[Profile, w.Checkbox] = {}
        for prof in Profile:
            cb = w.Checkbox(
                description=PROFILE_LABELS[prof],
                indent=False,
                layout=auto,
                style=ui.shared_style(w.Checkbox),
            )
            cb.add_class(f"mf-profile-{prof.value}")
            self.checks[prof] = cb
        self.need = w.Dropdown(
            options=[(NO_CHOICE, "")] + [(NEED_LABELS[n], n.value) for n in Need],
            description="Needs first",
            layout=w.Layout(width="620px"),
            style={"description_width": "90px"},
        )
        self.need.add_class("mf-first-need")
        self.another = w.Button(
            description="Another boat", tooltip="A new boat of people", layout=auto, style=press
        )
        self.another.add_class("mf-another")
        self.confirm = ui.text()
        self.confirm.add_class("mf-confirm-text")
        self.confirm_yes = w.Button(
            description="Yes, another boat", button_style="warning", layout=auto, style=press
        )
        self.confirm_no = w.Button(description="Keep this boat", layout=auto, style=press)
        for b, css in ((self.confirm_yes, "mf-confirm-yes"), (self.confirm_no, "mf-confirm-no")):
            b.add_class(css)
        self.confirm_row = w.HBox(
            [self.confirm, self.confirm_yes, self.confirm_no], layout=w.Layout(display="none")
        )
        self.confirm_row.add_class("mf-confirm")
        self.summary = ui.text()
        self.summary.add_class("mf-summary")

        self.picker.observe(self.safe(self._on_pick), "value")
        self.prev.on_click(self.safe(lambda _b: self._step(-1)))
        self.next.on_click(self.safe(lambda _b: self._step(1)))
        self.another.on_click(self.safe(self._on_another))
        self.confirm_yes.on_click(self.safe(self._on_confirm_yes))
        self.confirm_no.on_click(self.safe(self._on_confirm_no))
        self._pending: tuple[str, int] | None = None
        for cb in self.checks.values():
            cb.observe(self.safe(self._on_answer), "value")
        self.need.observe(self.safe(self._on_answer), "value")

        grid = w.Box(list(self.checks.values()), layout=ui.shared_layout())
        grid.add_class("mf-grid")
        self._new_boat(self.exercise.seed if self._seed_arg is None else self._seed_arg)
        return [
            self.scenario_picker,
            self.intro_box,
            _row([self.prev, self.picker, self.next, self.progress]),
            self.card,
            ui.text(str(ui.macros("boat.html.j2").label("Every profile the facts support"))),
            grid,
            self.need,
        ]

    def intro(self) -> list[w.Widget]:
        return []  # the instructions and the boat's size are in intro_box

    def actions(self) -> w.Widget:
        return w.VBox([_row([self.submit, self.another]), self.confirm_row])

    def after(self) -> list[w.Widget]:
        return [self.summary]

    # -- state ---------------------------------------------------------------------------------
    def _new_boat(
        self,
        seed: int,
        answers: dict[str, dict[str, Any]] | None = None,
        scenario: str | None = None,
    ) -> None:
        self.seed = seed
        if scenario is not None and scenario in self.scenarios:
            self.scenario = scenario
        with self.quietly():
            self.scenario_picker.value = self.scenario
        # The exercise's own boat, which every first page shows, is kept as a memo (issue 13:
        # the page then loads no numpy and draws nothing); other boats are drawn when asked.
        first = (self.scenario, seed) == (self.exercise.scenario, self.exercise.seed)
        self.persons = cohort_for(self.scenario, seed, self.exercise.size, keep=first)
        # Feedback names a person as the picker does ("3. Amina K."), not by their id.
        self.labels = {person_item(p): f"{i + 1}. {p.name}" for i, p in enumerate(self.persons)}
        self.answers: dict[str, dict[str, Any]] = {
            p.person_id: {"profiles": [], "first_need": None} for p in self.persons
        }
        for pid, a in (answers or {}).items():
            if pid in self.answers:
                self.answers[pid] = {
                    "profiles": [
                        x for x in a.get("profiles", []) if x in Profile._value2member_map_
                    ],
                    "first_need": a.get("first_need") or None,
                }
        self.result = None
        self.stale = False
        self.attempts = 0
        sc = load_scenario(self.scenario)
        self.intro_box.value = ui.paragraphs(
            self.exercise.instructions,
            f"{sc.title}, boat {seed}: {len(self.persons)} people, synthetic, drawn from the "
            "scenario's figures.",
        )
        with self.quietly():
            self.picker.options = [
                (f"{i + 1}. {p.name}", p.person_id) for i, p in enumerate(self.persons)
            ]
            self.picker.value = self.persons[0].person_id
        self.summary.value = ""
        self.status.value = ""
        self.feedback.value = ""
        self.confirm_row.layout.display = "none"
        self._show(self.persons[0].person_id)
        self.save_draft()

    def _boat_of_the_link(self) -> None:
        """The boat the claiming page's link names (``?scenario=``), if it names another."""
        wanted = query_params().get("scenario")
        if wanted and wanted in self.scenarios and wanted != self.scenario:
            with self.quietly():
                self._new_boat(self.seed, scenario=wanted)

    @property
    def current(self) -> str:
        return self.picker.value

    def _show(self, pid: str) -> None:
        p = next(x for x in self.persons if x.person_id == pid)
        self.card.value = ui.card(p.name, [p.narrative])
        a = self.answers[pid]
        with self.quietly():
            for prof, cb in self.checks.items():
                cb.value = prof.value in a["profiles"]
            self.need.value = a["first_need"] or ""
        self.show_feedback()
        self._refresh_progress()

    def _refresh_progress(self) -> None:
        done = sum(1 for a in self.answers.values() if a["first_need"])
        self.progress.value = f"{done} of {len(self.persons)} answered"

    # -- callbacks -----------------------------------------------------------------------------
    def _on_answer(self, _change: Any) -> None:
        if self._quiet:
            return
        self.answers[self.current] = {
            "profiles": [prof.value for prof, cb in self.checks.items() if cb.value],
            "first_need": self.need.value or None,
        }
        self._refresh_progress()
        self.changed()

    def _on_pick(self, change: Any) -> None:
        if not self._quiet and change["new"]:
            self._show(change["new"])
            self.save_draft()

    def _step(self, delta: int) -> None:
        ids = [p.person_id for p in self.persons]
        i = (ids.index(self.current) + delta) % len(ids)
        self.picker.value = ids[i]

    def _on_another(self, _b: Any) -> None:
        self._change_boat(self.scenario, self.seed + 1)

    def _on_scenario(self, change: Any) -> None:
        if not self._quiet and change["new"] and change["new"] != self.scenario:
            self._change_boat(change["new"], self.seed)

    def _change_boat(self, scenario: str, seed: int) -> None:
        """Another boat: at once if nothing is answered, otherwise only once confirmed."""
        n = sum(1 for a in self.answers.values() if a["profiles"] or a["first_need"])
        if not n:
            self._new_boat(seed, scenario=scenario)
            return
        self._pending = (scenario, seed)
        self.confirm.value = ui.esc(
            f"Start another boat? Your answers for {n} "
            f"{'person' if n == 1 else 'people'} on this boat will be cleared "
            "(attempts you submitted stay recorded)."
        )
        self.confirm_row.layout.display = "flex"

    def _on_confirm_yes(self, _b: Any) -> None:
        scenario, seed = self._pending or (self.scenario, self.seed + 1)
        self._pending = None
        self._new_boat(seed, scenario=scenario)

    def _on_confirm_no(self, _b: Any) -> None:
        self._pending = None
        self.confirm_row.layout.display = "none"
        with self.quietly():
            self.scenario_picker.value = self.scenario  # the picker shows the boat kept

    # -- the exercise ----------------------------------------------------------------------------
    def answer(self) -> dict[str, dict[str, Any]]:
        """The learner's answer in the form grading expects: the answered persons only, those
        with a first need, as the counter counts them and the feedback shows them (profiles
        ticked without a first need are kept in the draft, not graded: a submit with profiles
        and no first need was graded 2 % and recorded while the page said "0 of 14 answered",
        and its feedback said "not answered" for everyone)."""
        return {
            pid: {"profiles": a["profiles"], "first_need": a["first_need"]}
            for pid, a in self.answers.items()
            if a["first_need"]
        }

    def grade(self, answer: Any) -> GradeResult:
        return grade(self.exercise, answer, seed=self.seed, scenario=self.scenario)

    def record_answer(self, answer: Any) -> Any:
        return {"seed": self.seed, "scenario": self.scenario, "answer": answer}

    def _answered(self, pid: str) -> bool:
        return bool(self.answers[pid]["first_need"])

    def feedback_items(self, result: GradeResult) -> Sequence[Feedback]:
        # Only the person shown, and only once answered: the reference is never shown for a
        # person the learner has not answered.
        if not self._answered(self.current):
            return []
        return [f for f in result.items if f.item.startswith(self.current)]

    def hidden_note(self, result: GradeResult) -> str:
        if self._answered(self.current):
            return ""
        return (
            "No feedback for this person yet: choose their first need and submit. "
            "Feedback is shown only for the people you have answered."
        )

    def item_label(self, item: str) -> str:
        return self.labels.get(item, item)

    def after_grade(self, result: GradeResult) -> None:
        by_id = {f.item: f for f in result.items}
        rows = []
        for p in self.persons:
            f = by_id.get(person_item(p))
            if self._answered(p.person_id) and f is not None:
                rows.append(
                    [self.labels[person_item(p)], (f"{f.credit:.0%}", ui.credit_class(f.credit))]
                )
            else:
                rows.append([self.labels[person_item(p)], ("not answered", "mf-cite")])
        self.summary.value = ui.table(
            ["Person", "Credit"], rows, caption=f"Your boat: {result.score:.0%}"
        )

    def changed(self) -> None:
        super().changed()
        if self.stale:
            self.summary.value = ""

    def draft(self) -> Any:
        return {
            "seed": self.seed,
            "scenario": self.scenario,
            # every person touched, profiles ticked without a first need too (not graded yet)
            "answers": {
                pid: {"profiles": a["profiles"], "first_need": a["first_need"]}
                for pid, a in self.answers.items()
                if a["profiles"] or a["first_need"]
            },
            "current": self.current,
        }

    def restore(self, draft: Any) -> bool:
        requested = self._scenario_arg or query_params().get("scenario")
        if requested and draft.get("scenario") != self.scenario:
            return False  # a facilitator's link names another boat: that boat, fresh
        self._new_boat(
            int(draft["seed"]), draft.get("answers") or {}, draft.get("scenario") or self.scenario
        )
        if draft.get("current") in self.answers:
            self.picker.value = draft["current"]
            self._show(draft["current"])
        return True


def _row(children: list[w.Widget]) -> w.HBox:
    row = w.HBox(children, layout=ui.shared_layout(align_items="center"))
    row.add_class("mf-row")
    return row


def warm_first_view(exercise_id: str = "m1_who_is_in_the_boat") -> None:
    """Keep the memo of the boat every first page shows (the exercise's scenario and seed), as
    that page would: binder/postBuild and the start-up benchmark run it before any page."""
    from mixedflows.exercises import load_exercise

    ex: CohortClassification = load_exercise(exercise_id)
    cohort_for(ex.scenario, ex.seed, ex.size, keep=True)


@app_entry
def boat_app(exercise_id: str = "m1_who_is_in_the_boat", **kw: Any) -> w.VBox:
    """Build and return the module 1 app (the notebook's last expression displays it)."""
    return BoatApp(exercise_id, **kw).widget
