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


# --- Composition (issue 10 cold trial, defect 1) ------------------------------------------------


def _person(**facts) -> Person:
    base = {"person_id": "t", "name": "Moussa G.", "age": 29, "sex": "male", "nationality": "Mali"}
    return Person.model_validate({**base, **facts})


def test_the_check_finds_what_the_cold_trial_found():
    """The texts the trainer read: the recruiter referred to before being introduced, the
    promise told twice, scars from a detention centre for a man beaten on a farm."""
    from mixedflows.narratives.check import composition_problems

    p = _person()
    before = composition_problems(
        p, [("narrative", ["The recruiter lied to him about the wage.", "A recruiter came."])]
    )
    assert [x.problem for x in before] == ["refers to recruiter before introducing"]
    captors = composition_problems(
        p, [("narrative", ["They phoned his family and demanded money for his release."])]
    )
    assert [x.problem for x in captors] == ["refers to captors before introducing"]
    twice = composition_problems(
        p,
        [
            (
                "narrative",
                [
                    "A recruiter promised him building work in Tripoli; he was taken to a farm.",
                    "A recruiter promised him paid building work in Libya.",
                ],
            )
        ],
    )
    assert [x.problem for x in twice] == ["tells the promise of a job again"]
    places = composition_problems(
        p,
        [
            (
                "narrative",
                [
                    "On a farm in the desert, he was beaten by the owner's men.",
                    "He has scars from beatings in a detention centre and wakes up screaming.",
                ],
            )
        ],
    )
    assert [x.problem for x in places] == [
        "places the beatings in a detention centre, the story in a farm"
    ]
    fine = composition_problems(
        p,
        [
            ("a", ["A recruiter lied to him about the wage.", "The recruiter kept his passport."]),
            ("b", ["On a farm in the desert, he was beaten by the owner's men."]),
            ("c", ["He has scars from beatings and wakes up screaming at night."]),
        ],
    )
    assert not fine


def _subsets(items: tuple[str, ...]):
    from itertools import combinations

    for k in range(1, len(items) + 1):
        yield from combinations(items, k)


def test_every_subset_of_every_story_is_told_in_order():
    """Not only the subsets the seeds happen to draw: every subset of every story, told as the
    narrative (one block) and as the interview (one block per question), introduces each actor
    before referring to it, tells each fact once, and tells every observation."""
    from mixedflows.narratives import (
        compose,
        indicator_forms,
        pronouns,
        story_indicators,
        story_names,
        topic_of,
    )
    from mixedflows.narratives.check import composition_problems

    pr = pronouns(Sex.MALE)
    p = _person()
    problems = []
    n = 0
    for story in story_names():
        for ids in _subsets(story_indicators(story)):
            n += 1
            told = compose(ids, story)
            assert [i for i, _ in told] == [i for i in story_indicators(story) if i in ids]
            for i, t in told:
                assert t in indicator_forms(i, story)
            blocks = [("narrative", [t.format(**pr) for _, t in told])]
            for topic in {topic_of(i) for i in ids}:
                mine = [i for i in ids if topic_of(i) == topic]
                blocks.append((topic, [t.format(**pr) for _, t in compose(mine, story)]))
            problems += [(story, ids, x.text()) for x in composition_problems(p, blocks)]
    assert n > 1000
    assert not problems, problems[:5]


def test_a_quoted_line_stands_alone():
    """A line quoted in feedback (indicator_line) never refers to someone it has not introduced."""
    from mixedflows.narratives import indicator_line, pronouns, story_names
    from mixedflows.narratives.check import composition_problems
    from mixedflows.trafficking import observations

    pr = pronouns(Sex.FEMALE)
    p = _person(sex="female")
    for story in ("", *story_names()):
        for i in observations():
            line = indicator_line(i, story).format(**pr)
            assert not composition_problems(p, [("quoted", [line])]), (story, i, line)


def test_wages_never_received_are_a_fact_the_grading_reads():
    """The domestic worker's story said 'promised 200 dollars a month, and never got it' without
    the fact 'low or no salary' (cold trial of issue 10): a learner who ticked it lost credit.
    Saying the person was not paid now needs the fact; the story's sentence tells the broken
    promise (a lower contract wage) without claiming no pay."""
    from mixedflows.narratives import testimony

    worker = _person(
        name="Tigist A.",
        age=27,
        sex=Sex.FEMALE,
        nationality="Ethiopia",
        story="domestic_work_gulf",
        trafficking_indicators=("d1.deceived_about_wages_earnings",),
    )
    said = "She was promised 200 dollars a month, and never got it."
    assert "claims 'not paid'" in _problems(worker, said)
    paid_nothing = worker.model_copy(
        update={
            "trafficking_indicators": ("d1.deceived_about_wages_earnings", "d4.low_or_no_salary")
        }
    )
    assert "claims 'not paid'" not in _problems(paid_nothing, said)
    wages = [
        t
        for obs, text, intro, *_ in testimony.STORIES["domestic_work_gulf"]
        if obs == "d1.deceived_about_wages_earnings"
        for t in (text, intro)
        if t
    ]
    told = [t.format(Sub="She", sub="she", obj="her", pos="her") for t in wages]
    assert told and not any(c.name == "not paid" for t in told for c in claims_in(t)), told
