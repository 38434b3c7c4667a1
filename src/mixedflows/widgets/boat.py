"""Module 1, "Who is in the boat?": one person at a time, profiles and first need, then feedback.

The app keeps the learner's answers in a plain dict and asks the engine for everything else:
the boat (scenarios.generate_cohort), the reference answers and feedback (grading.grade).
"""

from __future__ import annotations

from typing import Any

import ipywidgets as w

from mixedflows.exercises import CohortClassification, load_exercise
from mixedflows.grading import GradeResult, cohort_for, grade, person_item
from mixedflows.profiles import NEED_LABELS, PROFILE_LABELS, Need, Profile
from mixedflows.scenarios import list_scenarios, load_scenario
from mixedflows.server.session import query_params
from mixedflows.widgets.common import Recorder, app_entry, esc, feedback_html, safe, title

NO_CHOICE = "—"


class BoatApp:
    """The module 1 exercise as a widget: ``BoatApp().widget`` is what the page shows."""

    def __init__(
        self,
        exercise_id: str = "m1_who_is_in_the_boat",
        *,
        recorder: Recorder | None = None,
        seed: int | None = None,
        scenario: str | None = None,
    ) -> None:
        ex = load_exercise(exercise_id)
        if not isinstance(ex, CohortClassification):
            raise TypeError(f"{exercise_id} is not a cohort classification exercise")
        self.exercise = ex
        self.recorder = recorder or Recorder()
        self.seed = ex.seed if seed is None else seed
        # Any scenario can fill the boat (the same rules grade it): the exercise's by default,
        # a facilitator's link (?scenario=...) or the learner's pick.
        self.scenarios = list_scenarios()
        wanted = scenario or query_params().get("scenario") or ex.scenario
        self.scenario = wanted if wanted in self.scenarios else ex.scenario
        self.status = w.HTML()
        self.attempts = 0
        self._loading = False
        self._build()
        self._new_boat(self.seed)

    # -- layout --------------------------------------------------------------------------------
    def _build(self) -> None:
        ex = self.exercise
        self.head = title(
            ex.title,
            f"Module {ex.module} · MC/INF/294 " + ", ".join(f"¶{p}" for p in ex.seed_paragraphs),
        )
        self.intro = w.HTML()
        self.scenario_picker = w.Dropdown(
            options=[(load_scenario(x).title, x) for x in self.scenarios],
            value=self.scenario,
            description="Boat from",
            layout=w.Layout(width="520px"),
        )
        self.scenario_picker.add_class("mf-scenario")
        self.scenario_picker.observe(safe(self.status)(self._on_scenario), "value")
        self.picker = w.Dropdown(description="Person", layout=w.Layout(width="380px"))
        self.picker.add_class("mf-picker")
        self.prev = w.Button(description="◀ Previous", layout=w.Layout(width="110px"))
        self.next = w.Button(description="Next ▶", layout=w.Layout(width="110px"))
        self.prev.add_class("mf-prev")
        self.next.add_class("mf-next")
        self.progress = w.HTML()
        self.progress.add_class("mf-progress")
        self.card = w.HTML()
        self.card.add_class("mf-person")
        self.checks: dict[Profile, w.Checkbox] = {}
        for prof in Profile:
            cb = w.Checkbox(
                description=PROFILE_LABELS[prof], indent=False, layout=w.Layout(width="390px")
            )
            cb.add_class(f"mf-profile-{prof.value}")
            cb.observe(self._on_change, "value")
            self.checks[prof] = cb
        self.need = w.Dropdown(
            options=[(NO_CHOICE, "")] + [(NEED_LABELS[n], n.value) for n in Need],
            description="Needs first",
            layout=w.Layout(width="620px"),
            style={"description_width": "90px"},
        )
        self.need.add_class("mf-first-need")
        self.need.observe(self._on_change, "value")
        self.submit = w.Button(
            description="Submit answers", button_style="primary", layout=w.Layout(width="170px")
        )
        self.submit.add_class("mf-submit")
        self.another = w.Button(description="Another boat", layout=w.Layout(width="130px"))
        self.another.add_class("mf-another")
        self.feedback = w.HTML()
        self.feedback.add_class("mf-feedback")
        self.summary = w.HTML()
        self.summary.add_class("mf-summary")
        self.status.add_class("mf-status")

        self.picker.observe(self._on_pick, "value")
        self.prev.on_click(safe(self.status)(lambda _b: self._step(-1)))
        self.next.on_click(safe(self.status)(lambda _b: self._step(1)))
        self.submit.on_click(safe(self.status)(self._on_submit))
        self.another.on_click(safe(self.status)(lambda _b: self._new_boat(self.seed + 1)))

        grid = w.GridBox(
            list(self.checks.values()), layout=w.Layout(grid_template_columns="repeat(2, 400px)")
        )
        self.widget = w.VBox(
            [
                self.head,
                self.scenario_picker,
                self.intro,
                w.HBox([self.prev, self.picker, self.next, self.progress]),
                self.card,
                w.HTML("<b>Most likely profile(s)</b>"),
                grid,
                self.need,
                w.HBox([self.submit, self.another]),
                self.status,
                self.feedback,
                self.summary,
            ],
            layout=w.Layout(max_width="900px"),
        )

    # -- state ---------------------------------------------------------------------------------
    def _new_boat(self, seed: int) -> None:
        self.seed = seed
        self.persons = cohort_for(self.scenario, seed, self.exercise.size)
        # Feedback names a person as the picker does ("3. Amina K."), not by their id.
        self.labels = {person_item(p): f"{i + 1}. {p.name}" for i, p in enumerate(self.persons)}
        self.answers: dict[str, dict[str, Any]] = {
            p.person_id: {"profiles": [], "first_need": None} for p in self.persons
        }
        self.result: GradeResult | None = None
        self.attempts = 0
        sc = load_scenario(self.scenario)
        self.intro.value = (
            f"<p>{esc(self.exercise.instructions)}</p><p><i>{esc(sc.title)}, boat {seed}: "
            f"{len(self.persons)} people, synthetic, drawn from the scenario's figures.</i></p>"
        )
        self._loading = True
        self.picker.options = [
            (f"{i + 1}. {p.name}", p.person_id) for i, p in enumerate(self.persons)
        ]
        self.picker.value = self.persons[0].person_id
        self._loading = False
        self.summary.value = ""
        self.status.value = ""
        self._show(self.persons[0].person_id)

    @property
    def current(self) -> str:
        return self.picker.value

    def _show(self, pid: str) -> None:
        p = next(x for x in self.persons if x.person_id == pid)
        self.card.value = (
            f'<div class="mf-card"><h4>{esc(p.name)}</h4><p>{esc(p.narrative)}</p></div>'
        )
        a = self.answers[pid]
        self._loading = True
        for prof, cb in self.checks.items():
            cb.value = prof.value in a["profiles"]
        self.need.value = a["first_need"] or ""
        self._loading = False
        self._refresh_feedback()
        self._refresh_progress()

    def _refresh_feedback(self) -> None:
        if self.result is None:
            self.feedback.value = ""
            return
        self.feedback.value = feedback_html(self.result, only={self.current}, labels=self.labels)

    def _refresh_progress(self) -> None:
        done = sum(1 for a in self.answers.values() if a["first_need"])
        self.progress.value = f"&nbsp;{done} of {len(self.persons)} answered"

    # -- callbacks -----------------------------------------------------------------------------
    def _on_change(self, _change: Any) -> None:
        if self._loading:
            return
        self.answers[self.current] = {
            "profiles": [prof.value for prof, cb in self.checks.items() if cb.value],
            "first_need": self.need.value or None,
        }
        self._refresh_progress()

    def _on_pick(self, change: Any) -> None:
        if not self._loading and change["new"]:
            self._show(change["new"])

    def _step(self, delta: int) -> None:
        ids = [p.person_id for p in self.persons]
        i = (ids.index(self.current) + delta) % len(ids)
        self.picker.value = ids[i]

    def answer(self) -> dict[str, dict[str, Any]]:
        """The learner's answer in the form grading expects (unanswered persons left out)."""
        return {
            pid: {"profiles": a["profiles"], "first_need": a["first_need"]}
            for pid, a in self.answers.items()
            if a["profiles"] or a["first_need"]
        }

    def _on_scenario(self, change: Any) -> None:
        if change["new"] and change["new"] != self.scenario:
            self.scenario = change["new"]
            self._new_boat(self.seed)

    def _on_submit(self, _b: Any) -> None:
        answer = self.answer()
        result = grade(self.exercise, answer, seed=self.seed, scenario=self.scenario)
        self.result = result
        self.attempts += 1
        self.recorder.record(
            self.exercise.id,
            {"seed": self.seed, "scenario": self.scenario, "answer": answer},
            result,
        )
        self.status.value = self.recorder.status(
            f"Attempt {self.attempts}: {result.score:.0%}. "
            "Change any answer and submit again to improve."
        )
        rows = "".join(
            f"<tr><td>{esc(self.labels.get(f.item, f.item))}</td>"
            f'<td class="{_cls(f.credit)}">{f.credit:.0%}</td></tr>'
            for f in result.items
        )
        self.summary.value = (
            f'<h4>Your boat: {result.score:.0%}</h4><table class="mf-table">'
            f"<tr><th>Person</th><th>Credit</th></tr>{rows}</table>"
        )
        self._refresh_feedback()


def _cls(credit: float) -> str:
    from mixedflows.widgets.common import credit_class

    return credit_class(credit)


@app_entry
def boat_app(exercise_id: str = "m1_who_is_in_the_boat", **kw: Any) -> w.VBox:
    """Build and return the module 1 app (the notebook's last expression displays it)."""
    return BoatApp(exercise_id, **kw).widget
