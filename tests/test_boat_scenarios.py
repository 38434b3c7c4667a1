"""Issue 10, point 11: every scenario feeds module 1. The boat can be drawn from any scenario,
graded by the same rules; the attempt records which scenario, and the dashboard replays it."""

from __future__ import annotations

import pytest

from mixedflows.exercises import load_exercise
from mixedflows.facilitator import wrong_answers
from mixedflows.grading import cohort_for, cohort_reference, grade
from mixedflows.scenarios import list_scenarios
from mixedflows.screening import screen
from mixedflows.store import Store
from mixedflows.store.core import Attempt
from mixedflows.widgets.boat import BoatApp
from mixedflows.widgets.common import Recorder

EX = load_exercise("m1_who_is_in_the_boat")


@pytest.mark.parametrize("scenario", list_scenarios())
def test_every_scenario_fills_a_boat_graded_by_the_same_rules(scenario):
    ref = cohort_reference(EX, scenario=scenario)
    persons = cohort_for(scenario, EX.seed, EX.size)
    assert list(ref) == [p.person_id for p in persons]
    assert all(pid.startswith(f"{scenario}-") for pid in ref)
    assert grade(EX, ref, scenario=scenario).score == 1.0
    # Any need that may come first is right, not only the one listed first.
    for p in persons:
        s = screen(p)
        for need in s.may_come_first:
            one = {p.person_id: {**ref[p.person_id], "first_need": need.value}}
            item = grade(EX, one, scenario=scenario).items[
                [q.person_id for q in persons].index(p.person_id)
            ]
            assert item.credit == 1.0, (p.person_id, need)


def test_the_app_draws_the_picked_scenario_and_records_it(store_path):
    app = BoatApp(recorder=Recorder(Store(store_path), learner="boat-10", session=""))
    assert app.scenario == EX.scenario
    other = next(s for s in list_scenarios() if s != EX.scenario)
    app.scenario_picker.value = other
    assert all(p.person_id.startswith(f"{other}-") for p in app.persons)
    p = app.persons[0]
    app.checks[next(iter(app.checks))].value = True
    last = app.need.options[-1]  # a person counts as answered once a first need is chosen
    app.need.value = last[1] if isinstance(last, tuple) else last
    app.submit.click()
    rows = Store(store_path).attempts(learner="boat-10", exercise_id=EX.id)
    assert len(rows) == 1 and rows[0].answer["scenario"] == other
    assert p.name in app.card.value


def test_the_dashboard_shows_the_boat_of_the_recorded_scenario():
    """The attempt as the boat app records it (graded on the scenario's boat, the feedback
    items stored with it): the dashboard's questions name that boat, and the debrief point is
    the one the learner was shown. Nothing is graded again (issue 12.5)."""
    other = "horn_of_africa_southern_africa"
    persons = cohort_for(other, EX.seed, EX.size)
    p = next(x for x in persons if screen(x).trafficking.observed)
    answer = {p.person_id: {"profiles": ["trafficking"], "first_need": "counselling"}}
    result = grade(EX, answer, seed=EX.seed, scenario=other)
    a = Attempt(
        1,
        "ana",
        "",
        EX.id,
        {"seed": EX.seed, "scenario": other, "answer": answer},
        result.score,
        result.to_json(),
        "2026-01-01T00:00:00.000Z",
        feedback_items=result.items_json(),
    )
    df = wrong_answers([a], top=None)
    assert not df.empty
    assert df.question.str.contains(other).all()
    assert df.why.str.contains("missing the purpose").any()
