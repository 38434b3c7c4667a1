"""Cold trial of issue 10, M2: paying a smuggler who arranged the journey is smuggling
(MC/INF/294 ¶6 names smuggled persons and victims of trafficking apart), not the ILO/EC
"difficulty to organize the travel" (a recruiter who organised what the person could not), which
the rules read as the act of recruitment. Tesfay W. at the desk was told "Missed ... act:
recruitment" for not ticking it."""

from __future__ import annotations

import pytest

from mixedflows import narratives, scenarios
from mixedflows.cases import load_case
from mixedflows.cases.desk import indicator_feedback
from mixedflows.narratives.check import check_person
from mixedflows.screening import screen

PAID = "paid a smuggler who arranged every step of the journey"


def test_the_ransom_story_tells_no_paid_organiser_as_an_indicator():
    """Paying is no ILO/EC item of the story (its abduction stays: coercive recruitment)."""
    assert "d3.difficulty_to_organize_the_travel" not in narratives.story_indicators(
        "held_for_ransom"
    )
    for i in narratives.story_indicators("held_for_ransom"):
        assert "paid" not in narratives.indicator_line(i, "held_for_ransom"), i


@pytest.mark.parametrize(
    "case_id", ["held_for_ransom_on_the_way", "abdirahman_k_held_in_a_compound"]
)
def test_worked_cases_read_the_broker_as_smuggling(case_id):
    p = load_case(case_id).persons[0]
    assert p.paid_smuggler and PAID in p.narrative
    s = screen(p)
    assert "recruitment" not in s.trafficking.element("act").kinds
    assert not s.trafficking.referral
    _, items = indicator_feedback(p, [])  # a learner who ticks nothing
    missed = [f.message for f in items if f.message.startswith("Missed")]
    assert missed and not any("arranged every step" in m or "a broker" in m for m in missed)
    assert "Difficulty to organize" not in " ".join(f.item for f in items)
    assert not check_person(p)


@pytest.mark.parametrize(
    "scenario_id", ["gulf_of_aden_yemen_2012", "horn_of_africa_southern_africa"]
)
def test_generated_ransom_stories_tell_the_smuggler_as_smuggling(scenario_id):
    sc = scenarios.load_scenario(scenario_id)
    told = 0
    for seed in range(10):
        for p in scenarios.generate_cohort(sc, seed):
            if p.story != "held_for_ransom":
                continue
            told += 1
            assert "d3.difficulty_to_organize_the_travel" not in p.trafficking_indicators
            assert (PAID in p.narrative) == p.paid_smuggler, p.person_id
            assert "paid a broker" not in p.narrative, p.person_id
            assert not check_person(p), p.person_id
    assert told >= 5
