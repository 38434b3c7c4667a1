"""Issue 10, fourth trainer trial: the madam's house is the act, the oath's journey debt is
graded, and a possible trafficker in the group is a protection need whatever the referral.

Every expectation is derived by the rules (the observations' elements, the narrative check,
the screening of generated persons), never typed beside the person."""

from __future__ import annotations

import numpy as np
import pytest

from mixedflows import narratives, referrals, trafficking
from mixedflows.cases.desk import grade_desk
from mixedflows.narratives.check import check_person, tells
from mixedflows.profiles import NeedCategory
from mixedflows.scenarios import generate_cohort, list_scenarios, load_scenario
from mixedflows.screening import screen, screen_facts

TABLE = trafficking.observations()
HAPPENED = trafficking.sexual_violence_ids()
"""The observations that tell the sexual exploitation happened (forced into prostitution, the
clients' money taken)."""


def _persons(seeds: range = range(12), size: int | None = 400):
    for sid in list_scenarios():
        sc = load_scenario(sid)
        for seed in seeds:
            yield from generate_cohort(sc, seed, size)


@pytest.fixture(scope="module")
def sexual_stories():
    return [p for p in _persons() if p.story.startswith("sexual_exploitation")]


def test_exploitation_that_happened_in_a_house_shows_the_act() -> None:
    """Palermo art. 3(a) names harbouring and receipt as acts: the madam's house is one."""
    assert HAPPENED
    for i in HAPPENED:
        assert TABLE[i].act in ("harbouring", "receipt"), i


@pytest.mark.parametrize("i", HAPPENED)
def test_a_child_forced_into_prostitution_is_referred_on_act_and_purpose(i: str) -> None:
    """Art. 3(c): act + purpose for a child, by either path of the rules."""
    s = screen_facts(
        dict(
            age=16,
            sex="female",
            nationality="Nigeria",
            motivation="work",
            story="sexual_exploitation_promise",
            trafficking_indicators=(i,),
        )
    )
    assert s.trafficking.referral and s.trafficking.missing == (), s.trafficking.reason
    cols = trafficking.indicator_ids()
    _, many = trafficking.assess_matrix(np.array([[c == i for c in cols]]), np.array([True]))
    assert bool(many[0])


def test_every_told_house_names_who_kept_her(sexual_stories) -> None:
    """The sentence of each act-bearing observation tells who harboured her (narrative check),
    and every generated story of sexual exploitation passes the check."""
    seen = 0
    for p in sexual_stories:
        kept = [i for i in p.trafficking_indicators if i in HAPPENED]
        if not kept:
            continue
        seen += 1
        lines = narratives.narrative_lines(p)
        for i in kept:
            assert any(tells(i, line) for line in lines), (p.person_id, i, lines)
        house = [x for x in check_person(p) if "madam" in x.sentence]
        assert not house, (p.person_id, house)
    assert seen > 20


def test_the_woman_in_the_madams_house_is_referred_and_the_desk_credits_it(
    sexual_stories,
) -> None:
    """Every adult who tells a house run by a madam, with a means, is referred; a learner who
    refers her gets the credit for the trafficking referral at the desk."""
    n = 0
    for p in sexual_stories:
        ids = set(p.trafficking_indicators)
        if not ids & set(HAPPENED) or p.treated_as_child:
            continue
        means = [i for i in ids if TABLE[i].means and i not in trafficking.PROMISES]
        if not means:
            continue
        s = screen(p)
        assert s.trafficking.referral, (p.person_id, s.trafficking.reason)
        n += 1
        if n <= 5:
            chosen = [r.need.value for r in s.referrals]
            g = grade_desk(p, {"referrals": chosen, "indicators": list(ids)})
            traf = [f for f in g.items if "trafficking" in f.item.lower()]
            assert traf and all(f.credit == 1.0 for f in traf), [
                (f.item, f.credit, f.message) for f in g.items
            ]
    assert n > 20


def test_an_oath_to_repay_the_journey_brings_the_debt_told_and_graded(sexual_stories) -> None:
    """Major 2: the oath is sworn 'to repay a debt for the journey'; every woman who tells it
    has the debt among her facts, told in its own sentence, and graded as the purpose the
    course's PURPOSE_AS_INTENT reads in it."""
    n = 0
    for p in sexual_stories:
        if "se.oath_to_repay" not in p.trafficking_indicators:
            continue
        n += 1
        assert "se.journey_debt" in p.trafficking_indicators, p.person_id
        lines = narratives.narrative_lines(p)
        assert any(tells("se.journey_debt", x) for x in lines), p.person_id
        purpose = screen(p).trafficking.element("purpose")
        assert "se.journey_debt" in purpose.evidence, p.person_id
    assert n > 20


def test_a_trafficker_nearby_is_a_protection_need_whatever_the_referral(sexual_stories) -> None:
    """Major 3: LP for a possible trafficker in the group does not wait for the referral, and is
    cited for what it is (not non-refoulement)."""
    seen = 0
    for p in sexual_stories:
        s = screen(p)
        if not s.trafficking.nearby:
            continue
        lp = [c for c in s.categories if c.category is NeedCategory.LP]
        near = [c for c in lp if "trafficker" in c.reason]
        assert len(near) == 1, (p.person_id, lp)
        assert near[0].source == referrals.TRAFFICKER_NEARBY_SOURCE
        assert "ICCPR" not in near[0].source and "CAT art. 3" not in near[0].source
        seen += 1
    assert seen > 20


def test_both_lp_reasons_kept_when_both_apply() -> None:
    s = screen_facts(
        dict(
            age=30,
            sex="female",
            nationality="Nigeria",
            motivation="work",
            story="sexual_exploitation_promise",
            serious_harm_on_return=True,
            trafficking_indicators=("se.watched_by_companion",),
        )
    )
    lp = [c for c in s.categories if c.category is NeedCategory.LP]
    assert len(lp) == 2, lp
    assert any("refoulement" in c.reason and "non-refoulement" in c.source for c in lp)
    assert any("trafficker" in c.reason and "trafficker" in c.source for c in lp)
    assert not s.trafficking.referral  # the protection need did not wait for it


@pytest.mark.parametrize("child", [False, True])
def test_a_promised_job_shown_false_by_what_came_instead_is_deception(child: bool) -> None:
    """Minor 4: a job promised, then forced into prostitution or the clients' money taken:
    the promise proved false, so it is deception (PROMISE_RULE), by both paths of the rules.
    A promise with nothing that shows it false stays the act only."""
    cols = trafficking.indicator_ids()
    for promise in trafficking.PROMISES:
        alone = trafficking.assess([promise], child=child).element("means")
        assert promise not in alone.evidence
        for happened in HAPPENED:
            ids = [promise, happened]
            means = trafficking.assess(ids, child=child).element("means")
            assert promise in means.evidence and any("deception" in k for k in means.kinds)
    # the vectorised path reads the same rules over every set of Palermo-read observations
    se = trafficking.palermo_ids()
    sets = [[i for k, i in enumerate(se) if m >> k & 1] for m in range(1, 2 ** len(se))]
    rows = np.array([[c in ids for c in cols] for ids in sets])
    _, many = trafficking.assess_matrix(rows, np.full(len(sets), child))
    one = [trafficking.assess(ids, child=child).referral for ids in sets]
    assert many.tolist() == one


def test_the_worked_case_girl_says_she_agreed_shows_the_broken_promise() -> None:
    from mixedflows.cases import load_case

    case = load_case("girl_says_she_agreed")
    p = case.person(case.spec.persons[0].id)
    means = screen(p).trafficking.element("means")
    assert "se.promised_job_abroad" in means.evidence, means


def test_feedback_missing_the_act_never_says_the_person_was_taken_somewhere() -> None:
    """Minor 5 (Imran L.): 'held where they were taken to work' beside 'missing the act' (being
    taken is an act). The inference says where they worked, not that anyone took them there."""
    for sid in list_scenarios():
        for p in generate_cohort(load_scenario(sid), 5, 400):
            ta = screen(p).trafficking
            if "act" in ta.missing:
                assert "taken to" not in ta.reason, (p.person_id, ta.reason)


def test_a_woman_promised_a_job_abroad_is_of_working_age() -> None:
    """Minor 8: women of 67 and 70, 'old and frail', were recruited as hairdressers. A story of
    sexual exploitation is told by the people its recruitment fits (STORY_WORKERS), and the
    narrative check finds no recruitment outside the working ages, over every scenario."""
    from mixedflows.narratives.testimony import STORY_WORKERS, WORKING_AGES
    from mixedflows.profiles import SpecificNeed

    lo, hi = WORKING_AGES
    n = 0
    for p in _persons(range(4)):
        if not p.story.startswith("sexual_exploitation"):
            continue
        n += 1
        assert p.story in STORY_WORKERS
        # A separated girl may tell it too (sixth trial of issue 10, point 6: graded by the child
        # rule); never anyone past the working ages.
        assert (lo <= p.age <= hi or p.treated_as_child) and (
            SpecificNeed.OLDER_PERSON not in p.specific_needs
        ), (p.person_id, p.age)
        assert p.sex.value in STORY_WORKERS[p.story], p.person_id
        age = [x for x in check_person(p) if "working age" in x.problem]
        assert not age, (p.person_id, age)
    assert n > 20
