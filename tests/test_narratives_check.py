"""Narratives agree with facts, mechanically (issue 10, point 8).

Every sentence a learner reads (the module 1 narrative; the desk's arrival note and interview)
is read with the lexicon of :mod:`mixedflows.narratives.check`: no sentence claims a fact the
person lacks, no sentence states nothing the rules read, and every fact the rules grade is
stated. Run over every scenario for seeds 0 to 199 and over every worked case.
"""

from __future__ import annotations

import re

import pytest

from mixedflows.cases import list_cases, load_case
from mixedflows.narratives import narrate, narrative_lines
from mixedflows.narratives.check import check_person, check_text, claims_in
from mixedflows.profiles import Company, Person, Sex, SpecificNeed
from mixedflows.scenarios import (
    _draw,
    _persons_from_draw,
    generate_cohort,
    list_scenarios,
    load_scenario,
)

SEEDS = range(200)


def _size(sc, seed: int) -> int:
    import numpy as np

    from mixedflows.scenarios import _stable_hash

    lo, hi = sc.boat_size
    return int(np.random.default_rng([seed, _stable_hash(sc.id), 1]).integers(lo, hi + 1))


@pytest.mark.parametrize("scenario", list_scenarios())
def test_every_generated_narrative_agrees_with_its_facts(scenario):
    """Seeds 0-199 of each scenario: the boats module 1 and the desk draw (the same draw as
    generate_cohort; narrated once below, checked sentence by sentence)."""
    sc = load_scenario(scenario)
    problems = []
    n = 0
    for seed in SEEDS:
        for p in _persons_from_draw(_draw(sc, seed, _size(sc, seed)), narrate=False):
            n += 1
            problems += check_person(p)
    assert n >= 200 * sc.boat_size[0]
    assert not problems, "\n".join(x.text() for x in problems[:20])


def test_the_boats_checked_are_the_boats_learners_see():
    sc = load_scenario("lampedusa_2013")
    for seed in (0, 2013):
        shown = generate_cohort(sc, seed)
        checked = _persons_from_draw(_draw(sc, seed, _size(sc, seed)), narrate=False)
        assert [p.model_copy(update={"narrative": ""}) for p in shown] == checked
        assert [p.narrative for p in shown] == [narrate(p) for p in checked]


@pytest.mark.parametrize("case_id", list_cases())
def test_every_worked_case_narrative_agrees_with_its_facts(case_id):
    for p in load_case(case_id).persons:
        problems = check_person(p)
        assert not problems, "\n".join(x.text() for x in problems)
        assert p.narrative == " ".join(narrative_lines(p))


def _person(**facts) -> Person:
    base = {"person_id": "t", "name": "T. T.", "age": 30, "sex": Sex.MALE, "nationality": "Syria"}
    return Person(**{**base, **facts})


def _problems(p: Person, *sentences: str) -> list[str]:
    return [x.problem for x in check_text(p, [("narrative", s) for s in sentences])]


def test_the_check_catches_the_defects_of_issue_10():
    # Mustafa, 67, with relatives: "not with his parents" claims a child without a parent.
    mustafa = _person(name="Mustafa M.", age=67, company=Company.RELATIVE)
    assert "claims 'a child without a parent'" in _problems(
        mustafa, "Mustafa M., 67, from Syria, travels with an older cousin, not with his parents."
    )
    # Khaled, 15, with his aunt: "nobody here is responsible" claims an unaccompanied child.
    khaled = _person(name="Khaled A.", age=15, company=Company.RELATIVE, companion="aunt")
    assert "claims 'an unaccompanied child'" in _problems(
        khaled, "His parents stayed at home; nobody here is responsible for him."
    )
    # Blessing: "a house she could not leave" claims confinement she was never said to suffer.
    blessing = _person(
        name="Blessing O.",
        age=22,
        sex=Sex.FEMALE,
        nationality="Nigeria",
        story="sexual_exploitation_promise",
        trafficking_indicators=("se.promised_job_abroad", "se.forced_prostitution"),
    )
    assert "claims 'confinement'" in _problems(
        blessing, "In Libya she was made to work every night in a house she could not leave."
    )
    # The same sentence is fine once the facts hold confinement.
    confined = blessing.model_copy(
        update={
            "trafficking_indicators": (*blessing.trafficking_indicators, "se.confined_in_house")
        }
    )
    assert "claims 'confinement'" not in _problems(
        confined, "In Libya she was made to work every night in a house she could not leave."
    )


def test_the_check_catches_a_silent_fact_and_an_empty_sentence():
    p = _person(specific_needs=(SpecificNeed.SERIOUS_MEDICAL,))
    missing = _problems(p, "T. T., 30, from Syria, travelled alone.")
    assert "'specific need: serious_medical_condition' is never stated" in missing
    assert "states nothing the rules read" in _problems(
        p,
        "T. T., 30, from Syria, travelled alone.",
        "He likes football.",
        "He needs daily insulin.",
    )
    assert claims_in("He needs daily insulin and has none left.")


def test_a_protection_need_and_an_embassy_never_meet():
    """Point 4: a person who fears persecution is never told to have asked an embassy."""
    from mixedflows.profiles import Ground

    p = _person(persecution_ground=Ground.POLITICAL_OPINION, cannot_return=True)
    assert "claims 'stranded'" in _problems(
        p, "He lost his passport on the way; his embassy will not confirm his nationality."
    )
    assert not [x for x in check_person(p) if "stranded" in x.problem]


@pytest.mark.parametrize("scenario", list_scenarios())
def test_scenarios_never_draw_a_stranded_person_with_a_protection_need(scenario):
    from mixedflows.screening import protection_indicated

    sc = load_scenario(scenario)
    for seed in range(20):
        for p in generate_cohort(sc, seed):
            assert not (p.cannot_return and protection_indicated(p)), p.person_id


def test_a_narrative_reads_as_english_on_every_route():
    """Review of issue 10: "He spent 1 months on the way" read wrongly, and a person crossing
    to Yemen or walking to South Africa "wants to join a brother who works in France". One
    month is singular; the motive lines name no destination, since one line serves every
    route."""
    one = _person(months_in_transit=1, paid_smuggler=False)
    assert "spent 1 month on the way." in narrate(one)
    assert "spent 3 months on the way." in narrate(_person(months_in_transit=3))
    assert check_person(one) == []
    for scenario in ("gulf_of_aden_yemen_2012", "horn_of_africa_southern_africa"):
        sc = load_scenario(scenario)
        for seed in range(40):
            for p in generate_cohort(sc, seed):
                assert not re.search(r"\b1 months\b", p.narrative), p.narrative
                # A recruiter's promise may name Europe; the person's own motive does not.
                assert "works in France" not in p.narrative, p.narrative
                assert "hopes to go to school in Europe" not in p.narrative, p.narrative
