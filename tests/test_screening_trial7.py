"""Issue 10, the IOM/UNHCR trainer's cold trial (blocker): Osas O., recruited with a promise of
work in Italy, her passport kept by a man on the same boat who watches her, her family threatened
if she talks, was given counselling only ("a fact must show" the purpose), and told of a physical
protection need (UNHCR LP) while the specific-needs referral was "not called for".

The lead's decision: reasonable grounds are a suspicion threshold (Directive 2011/36/EU art.
11(2); CETS 197 art. 10(2)), the purpose is an intent (Palermo art. 3(a)), and after a
recruitment for work abroad, at least two signs of control by the person moving or receiving
the person (documents held, being watched, threats to keep them silent, a debt to repay by work)
show it, inferred and said to be. Every test here fails on main before the fix."""

from __future__ import annotations

from itertools import chain, combinations

import numpy as np
import pytest

from mixedflows import constraints as cons
from mixedflows import trafficking
from mixedflows.cases.desk import not_needed
from mixedflows.cases.worked import list_cases, load_case
from mixedflows.grading import cohort_for
from mixedflows.profiles import Need, NeedCategory
from mixedflows.scenarios import list_scenarios
from mixedflows.screening import screen, screen_facts

OSAS = (
    "se.promised_job_abroad",
    "se.passport_held_by_companion",
    "se.watched_by_companion",
    "se.threats_to_family",
)
TABLE = trafficking.observations()


def _person(ids, age=22):
    return screen_facts(
        {
            "name": "Osas O.",
            "age": age,
            "sex": "female",
            "nationality": "Nigeria",
            "story": "sexual_exploitation_promise",
            "trafficking_indicators": list(ids),
            "motivation": "work",
            "paid_smuggler": True,
        }
    )


def _matrix(ids_list, child):
    cols = trafficking.indicator_ids()
    obs = np.zeros((len(ids_list), len(cols)), dtype=bool)
    for r, ids in enumerate(ids_list):
        for i in ids:
            obs[r, cols.index(i)] = True
    return trafficking.assess_matrix(obs, np.array(child, dtype=bool))[1]


def test_osas_is_referred_with_the_purpose_inferred_from_control():
    s = _person(OSAS)
    ta = s.trafficking
    assert ta.referral and ta.missing == ()
    purpose = ta.element("purpose")
    assert purpose.inferred and purpose.present
    assert Need.TRAFFICKING_REFERRAL in s.needs
    # The feedback names each fact of control, from the data, and says what decides.
    for i in OSAS[1:]:
        text = TABLE[i].text
        assert text[:1].lower() + text[1:] in ta.reason
    for words in (
        "intent",
        "inferred",
        "Palermo art. 3(a)",
        "2011/36/EU art. 11(2)",
        "CETS 197 art. 10(2)",
        "identification by the competent authority decides",
    ):
        assert words in ta.reason, words
    assert "a fact must show it" not in ta.reason


def test_one_sign_of_control_is_not_enough_and_the_missing_element_is_named():
    s = _person(OSAS[:2])
    ta = s.trafficking
    assert not ta.referral and ta.missing == ("purpose",)
    assert "one sign of control only (passport held by a man travelling with her)" in ta.reason
    assert trafficking.CONTROL_RULE in ta.reason
    assert Need.TRAFFICKING_REFERRAL not in s.needs


def test_control_without_a_recruitment_for_work_shows_no_purpose():
    # Held for ransom on the way: confined, threatened, no job offered: no purpose inferred.
    ids = ["d2.isolation_confinement_or_surveillance", "d2.threats_of_violence_against_victim"]
    assert not trafficking.assess(ids, child=False).element("purpose").present


KINDS = {
    k: next(i for i, v in TABLE.items() if trafficking.control_kind(v) == k)
    for k in trafficking.CONTROL_KINDS
}


@pytest.mark.parametrize("pair", list(combinations(KINDS, 2)), ids="+".join)
def test_any_two_kinds_of_control_after_a_job_offer_show_the_purpose(pair):
    ids = ["se.promised_job_abroad", *(KINDS[k] for k in pair)]
    assert trafficking.assess(ids, child=False).element("purpose").present
    assert trafficking.purpose_from_control(ids)
    # Without the offer of work, only a sign that tells the purpose itself (a debt to repay by
    # work: debt bondage) shows it.
    told = any(TABLE[KINDS[k]].purpose for k in pair)
    assert trafficking.assess(ids[1:], child=False).element("purpose").present == told


def test_assess_and_assess_matrix_agree_on_every_subset_of_the_control_facts():
    pool = (*OSAS, "se.journey_debt", "d1.deceived_about_wages_earnings", "d2.violence_on_victims")
    subsets = list(chain.from_iterable(combinations(pool, n) for n in range(len(pool) + 1)))
    for child in (False, True):
        got = _matrix(subsets, [child] * len(subsets))
        want = [trafficking.assess(ids, child=child).referral for ids in subsets]
        assert list(got) == want


def test_the_worked_case_refers_osas_and_not_efe():
    case = load_case("osas_o_escort_and_threats")
    osas, efe = (screen(p) for p in case.persons)
    assert Need.TRAFFICKING_REFERRAL in osas.needs
    assert Need.TRAFFICKING_REFERRAL not in efe.needs and efe.trafficking.missing == ("purpose",)
    assert "inferred" in case.spec.persons[0].why and "stretch" not in case.spec.persons[0].why


def _everyone():
    for cid in list_cases():
        yield from load_case(cid).persons
    for scen in list_scenarios():
        for seed in range(6):
            yield from cohort_for(scen, seed, None)


def test_a_category_said_is_answered_by_a_referral_made():
    """One source of truth: every UNHCR category found names the referral that answers it, and
    that referral is called for; the specific-needs 'not called for' line never denies a
    category the feedback states."""
    n = 0
    for p in _everyone():
        s = screen(p)
        for c in s.categories:
            assert c.answered_by in s.needs, (p.name, c.category, c.answered_by)
        lp = [c for c in s.categories if c.category is NeedCategory.LP]
        said = any("UNHCR category LP" in r.rationale for r in s.referrals)
        assert not said or lp, p.name
        if Need.SPECIFIC_NEEDS not in s.needs:
            text = not_needed(s, Need.SPECIFIC_NEEDS)
            for c in s.categories:
                assert c.label in text, (p.name, c.category)
        n += 1
    assert n > 200


def test_osas_specific_needs_line_agrees_with_her_lp_need():
    s = _person(OSAS)
    assert any(c.category is NeedCategory.LP for c in s.categories)
    assert Need.SPECIFIC_NEEDS in s.needs
    assert (
        "Specific legal and physical protection needs" in s.referral(Need.SPECIFIC_NEEDS).rationale
    )


# --- Major 1: a child with indications of trafficking, with a parent or relative ----------------


def _generated(scenario, seed, name):
    return next(p for p in cohort_for(scenario, seed, None) if p.name == name and p.is_child)


def test_a_child_referred_for_trafficking_is_interviewed_apart_from_the_family():
    ibrahima = load_case("child_with_father_working").persons[0]
    abdoulaye = _generated("canary_islands_2006", 22, "Abdoulaye O.")
    for p, who in ((ibrahima, "his father"), (abdoulaye, "his older cousin")):
        s = screen(p)
        assert s.trafficking.referral and s.interview_apart, p.name
        text = s.referral(Need.TRAFFICKING_REFERRAL).rationale
        assert f"interview the child apart from {who}" in text, text
        assert "UNICEF" in s.referral(Need.TRAFFICKING_REFERRAL).citation.text()
        # Interviewed apart, the constraint "no trafficking interview in front of" applies.
        assert any(c.id == "private_interview" for c in cons.constraints_for(s, interview=True))


def test_a_child_at_risk_with_no_exploitation_is_not_told_the_parent_may_be_involved():
    fatoumata = load_case("married_girl_with_mother").persons[0]
    s = screen(fatoumata)
    assert not s.trafficking.observed and not s.interview_apart
    assert "involved in the exploitation" not in s.referral(Need.CHILD_PROTECTION).rationale
    # Every generated child with a parent and no indications of trafficking, likewise.
    for p in _everyone():
        s = screen(p)
        if p.treated_as_child and not s.trafficking.referral and Need.CHILD_PROTECTION in s.needs:
            assert "involved in the exploitation" not in s.referral(Need.CHILD_PROTECTION).rationale


# --- Major 2: held for ransom ------------------------------------------------------------------


@pytest.mark.parametrize(
    ("scenario", "seed", "name"),
    [
        ("gulf_of_aden_yemen_2012", 0, "Yonas Y."),
        ("horn_of_africa_southern_africa", 15, "Abdullahi S."),
    ],
)
def test_held_for_ransom_shows_the_act_and_asks_what_they_were_made_to_do(scenario, seed, name):
    p = next(x for x in cohort_for(scenario, seed, None) if x.name == name)
    assert " held " in p.narrative
    s = screen(p)
    ta = s.trafficking
    assert "harbouring" in ta.element("act").kinds and ta.missing == ("purpose",)
    assert trafficking.HELD_NO_PURPOSE in ta.reason
    for text in (ta.reason, s.referral(Need.COUNSELLING).rationale):
        assert "what they were made to do while held" in text
        assert "came to that work" not in text


def test_a_story_that_says_held_tells_being_held():
    """Every generated person whose ransom story says the men held them has being held among
    their facts (the act of harbouring), on every scenario."""
    confinement = "d2.isolation_confinement_or_surveillance"
    n = 0
    for scen in list_scenarios():
        for seed in range(10):
            for p in cohort_for(scen, seed, None):
                if p.story == "held_for_ransom" and "held" in p.narrative:
                    assert confinement in p.trafficking_indicators, (scen, seed, p.name)
                    assert "act" not in screen(p).trafficking.missing
                    n += 1
    assert n > 0


# --- Major 3: Moussa G., the same facts in the boat, the worked case, the debrief and the guide -


def _boat_moussa():
    from mixedflows.boat_debrief import EXERCISE
    from mixedflows.exercises import load_exercise

    ex = load_exercise(EXERCISE)
    return next(p for p in cohort_for(ex.scenario, ex.seed, ex.size) if p.name == "Moussa G.")


def test_the_worked_case_has_the_boats_facts():
    case = load_case("moussa_g_farm_in_the_desert")
    assert "seed 2013" in case.spec.context  # it says it is the module 1 boat's Moussa G.
    mine, boat = case.persons[0], _boat_moussa()
    for f in ("age", "sex", "nationality", "story", "motivation", "specific_needs"):
        assert getattr(mine, f) == getattr(boat, f), f
    assert set(mine.trafficking_indicators) == set(boat.trafficking_indicators)
    why = case.spec.persons[0].why + case.spec.summary
    assert ("unpaid" in why or "no salary" in why) == (
        "d4.low_or_no_salary" in boat.trafficking_indicators
    )


def test_the_guide_says_what_the_boat_tells():
    from pathlib import Path

    from mixedflows.boat_debrief import textbook, told

    root = Path(__file__).resolve().parents[1]
    assert [p.name for p in textbook()] == ["Moussa G."]
    moussa = _boat_moussa()
    said = told(moussa)
    salary = TABLE["d4.low_or_no_salary"].text.lower()
    assert "unpaid" not in said
    assert (salary in said) == ("d4.low_or_no_salary" in moussa.trafficking_indicators)
    assert TABLE["d4.excessive_working_days_or_hours"].text.lower() in said
    guide = (root / "docs" / "facilitator_guide.md").read_text(encoding="utf-8")
    assert f"Moussa G. ({said})" in guide
    assert "unpaid, his passport kept" not in guide


# --- Minors -------------------------------------------------------------------------------------


def test_deception_is_said_once_in_the_means():
    ids = ["se.promised_job_abroad", "se.promised_earnings", "se.forced_prostitution"]
    kinds = trafficking.assess(ids, child=False).element("means").kinds
    assert [k for k in kinds if k.startswith("deception")] == [trafficking.BROKEN_PROMISE]


def test_a_childs_sgbv_referral_goes_through_the_guardian_not_consent_alone():
    ids = ["se.promised_job_abroad", "se.forced_prostitution"]
    child = _person(ids, age=14).referral(Need.SPECIFIC_NEEDS).rationale
    adult = _person(ids, age=22).referral(Need.SPECIFIC_NEEDS).rationale
    assert "with informed consent" not in child and "best interests" in child
    assert "with informed consent" in adult
