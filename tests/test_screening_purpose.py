"""Issue 10 cold trial (2nd): the purpose of trafficking is an intent, and a child's exploitation
on the way shows the act.

Palermo art. 3(a) reads "for the purpose of exploitation": the exploitation need not have
happened. A debt for the journey to be repaid by work, documents taken or confinement by the
employer at the place of work (after a deceptive recruitment for work) are read as grounds for the
purpose (this course's reading). An oath sworn to repay a debt is a means only (third cold trial:
alone it referred an adult). For a child only the act and the purpose are needed (art. 3(c)); a
child made to work on the way was received for it.
"""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest

from mixedflows import trafficking
from mixedflows.scenarios import generate_cohort, list_scenarios, load_scenario
from mixedflows.screening import screen

ROOT = Path(__file__).resolve().parents[1]
SEEDS = range(60)
TABLE = trafficking.observations()

RECRUITED_FOR_WORK = {
    i for i, v in TABLE.items() if v.act == "recruitment" and v.means == "deception"
}
"""Deceived at recruitment (a job, the pay, the conditions, the journey)."""
INTENT = {
    "se.journey_debt",
    "d5.confiscation_of_documents",
    "d5.isolation_confinement_or_surveillance",
}
"""What shows the purpose ahead: a debt sworn or owed; or, after a deceptive recruitment for work,
documents or freedom taken at work (the inferred purpose: confinement alone is a means)."""
HELD = ("d5.isolation_confinement_or_surveillance", "d5.confiscation_of_documents")


def _cohorts():
    for sid in list_scenarios():
        sc = load_scenario(sid)
        for seed in SEEDS:
            yield sid, seed, generate_cohort(sc, seed)


@pytest.fixture(scope="module")
def people():
    return [(sid, seed, p) for sid, seed, ps in _cohorts() for p in ps if p.trafficking_indicators]


def test_recruited_then_held_or_indebted_is_referred_over_seeds(people) -> None:
    seen, wrong = 0, []
    for sid, seed, p in people:
        obs = set(p.trafficking_indicators)
        if obs & RECRUITED_FOR_WORK and obs & INTENT:
            seen += 1
            ta = screen(p).trafficking
            if not ta.referral:
                wrong.append(f"{sid} seed {seed} {p.person_id}: missing {ta.missing}")
    assert seen >= 10, seen
    assert not wrong, wrong[:5]


@pytest.mark.parametrize(
    "sid,seed,pid",
    [
        ("canary_islands_2023", 32, "canary_islands_2023-32-004"),  # passport kept, locked in
        ("lampedusa_2008", 13, "lampedusa_2008-13-005"),
        # domestic servitude; the cold trial's person 0-007 was a man promised housework, a
        # story only women tell now (trainer's review of issue 10): Helen K. tells it instead
        ("gulf_of_aden_yemen_2012", 16, "gulf_of_aden_yemen_2012-16-000"),
        ("horn_of_africa_southern_africa", 2, "horn_of_africa_southern_africa-2-001"),  # child
    ],
)
def test_cold_trial_reproductions_are_referred(sid: str, seed: int, pid: str) -> None:
    p = next(x for x in generate_cohort(load_scenario(sid), seed) if x.person_id == pid)
    ta = screen(p).trafficking
    assert ta.referral, ta.reason


def test_a_child_made_to_work_on_the_way_shows_the_act_over_seeds(people) -> None:
    seen, wrong = 0, []
    for sid, seed, p in people:
        if not p.treated_as_child:
            continue
        worked = [i for i in p.trafficking_indicators if trafficking.child_receipt(TABLE[i])]
        if worked:
            seen += 1
            ta = screen(p).trafficking
            if not ta.referral:
                wrong.append(f"{sid} seed {seed} {p.person_id}: missing {ta.missing}")
    assert seen >= 5, seen
    assert not wrong, wrong[:5]


def test_the_child_receipt_is_never_used_for_an_adult() -> None:
    worked = [i for i, v in TABLE.items() if trafficking.child_receipt(v) and not v.act]
    assert worked
    adult = trafficking.assess(worked[:1], child=False)
    child = trafficking.assess(worked[:1], child=True)
    assert "act" in adult.missing
    assert child.referral and child.element("act").present


def test_the_journey_debt_shows_a_purpose_and_the_oath_is_a_means_only() -> None:
    """Third cold trial of issue 10: se.oath_to_repay alone referred an adult (it was read as
    act, means and purpose). An oath is a means (coercion through beliefs), nothing more."""
    assert TABLE["se.journey_debt"].purpose
    oath = TABLE["se.oath_to_repay"]
    assert (oath.act, oath.means, oath.purpose) == ("", "coercion", "")
    alone = trafficking.assess(["se.oath_to_repay"], child=False)
    assert not _both_paths(["se.oath_to_repay"]) and alone.missing == ("act", "purpose")
    ids = ["se.promised_job_abroad", "se.oath_to_repay", "se.journey_debt"]
    assert _both_paths(ids), trafficking.assess(ids, child=False).reason


def test_esther_a_swore_an_oath_to_repay_the_journey_and_tells_the_debt() -> None:
    """The second cold trial's Esther A. (an oath at a shrine to repay the journey, earnings that
    never came, watched by a man from the boat) was referred on the oath as the purpose; the
    fourth trial found the debt her oath binds her to told but not graded. The oath alone is
    still no purpose (above); the debt for the journey it brings is (PURPOSE_AS_INTENT), told in
    its own sentence, so she is referred with the debt as the purpose."""
    p = next(
        x
        for x in generate_cohort(load_scenario("lampedusa_2008"), 2)
        if x.person_id == "lampedusa_2008-2-012"
    )
    assert {"se.oath_to_repay", "se.journey_debt"} <= set(p.trafficking_indicators)
    ta = screen(p).trafficking
    assert ta.referral, ta.reason
    assert ta.element("purpose").evidence == ("se.journey_debt",)


def test_rules_and_module_5_prose_agree_that_the_purpose_may_lie_ahead() -> None:
    nb = json.loads((ROOT / "modules" / "05_screening_and_referral.ipynb").read_text("utf-8"))
    prose = " ".join("".join(c["source"]) for c in nb["cells"] if c["cell_type"] == "markdown")
    assert "may still lie ahead" in prose
    rules = " ".join(trafficking.rule_lines())
    assert "may still lie ahead" in rules
    # and the rules do what they say: intent-only facts (nothing has happened yet) are referred
    intent_only = [i for i in INTENT if not TABLE[i].ilo] + ["se.promised_job_abroad"]
    assert trafficking.assess(intent_only, child=False).referral


# --- Confinement is a means, not a purpose (cold trial of issue 10, item 2) --------------------


def _both_paths(ids: list[str], child: bool = False) -> bool:
    """The referral by :func:`trafficking.assess`, checked against the vectorised path."""
    one = trafficking.assess(ids, child=child).referral
    cols = trafficking.indicator_ids()
    row = np.array([[c in ids for c in cols]])
    _, many = trafficking.assess_matrix(row, np.array([child]))
    assert bool(many[0]) == one, ids
    return one


@pytest.mark.parametrize("held", HELD)
def test_being_held_alone_is_no_purpose(held: str) -> None:
    """Locked in or documents kept at destination is coercion (ILO/EC 'coercion at destination';
    ILO forced-labour indicators): alone, or with an act and a means that are not a recruitment
    for work, it shows no exploitative purpose, and the feedback says so."""
    for ids in (
        [held],
        [held, "d1.deceived_through_promises_of_marriage_or_adoptio"],
        [held, "d6.dependency_on_exploiters"],
    ):
        assert not _both_paths(ids), ids
        ta = trafficking.assess(ids, child=False)
        assert "purpose" in ta.missing, (ids, ta.missing)
        assert "never by themselves the purpose" in ta.reason, ta.reason
    assert not TABLE[held].purpose


def test_exploitation_told_with_being_held_is_referred_without_inference() -> None:
    ids = ["d5.isolation_confinement_or_surveillance", "d4.low_or_no_salary"]
    ta = trafficking.assess(ids, child=False)
    assert _both_paths(ids) and not ta.element("purpose").inferred
    assert "inferred" not in ta.reason


@pytest.mark.parametrize(
    "ids",
    [
        ["d1.deceived_about_wages_earnings", "d5.isolation_confinement_or_surveillance"],
        ["d1.deceived_about_conditions_of_work", "d5.confiscation_of_documents"],
        ["d5.isolation_confinement_or_surveillance", "d5.confiscation_of_documents"],
        ["d5.isolation_confinement_or_surveillance", "d5.violence_on_victims"],
    ],
)
def test_the_inferred_purpose_is_referred_and_said_to_be_uncertain(ids: list[str]) -> None:
    ta = trafficking.assess(ids, child=False)
    assert _both_paths(ids) and ta.element("purpose").inferred
    assert "The purpose is inferred, not told" in ta.reason
    assert "uncertain" in ta.reason and "ILO Forced Labour Convention No. 29" in ta.reason


@pytest.mark.parametrize(
    "sid,seed,name,inferred",
    [
        # deceived for building work, locked in; the 'free' transport became a debt to repay
        # by working: debt bondage is the purpose told, no inference (trainer's review, w10b)
        ("lampedusa_2008", 13, "Dawit Y.", False),
        ("canary_islands_2023", 32, "Omar G.", False),  # the same debt, passport kept
        # domestic work, never let out: her broken promise of a day off ("she never had one")
        # brings the eighteen-hour days, told (cold trial of issue 10, M1): the purpose is told,
        # not inferred (the inferred purpose: test_the_inferred_purpose_is_referred_...)
        ("gulf_of_aden_yemen_2012", 16, "Helen K.", False),
    ],
)
def test_the_trainers_people_are_referred_for_the_right_reason(
    sid: str, seed: int, name: str, inferred: bool
) -> None:
    p = next(x for x in generate_cohort(load_scenario(sid), seed) if x.name == name)
    ta = screen(p).trafficking
    assert ta.referral, ta.reason
    assert ta.element("purpose").inferred is inferred, ta.reason
    assert ("uncertain" in ta.reason) is inferred


def test_module_5_teaches_confinement_as_a_means() -> None:
    nb = json.loads((ROOT / "modules" / "05_screening_and_referral.ipynb").read_text("utf-8"))
    prose = " ".join("".join(c["source"]) for c in nb["cells"] if c["cell_type"] == "markdown")
    assert "Confinement is a means, not a purpose" in prose
    assert "do not say where the line lies" in prose
    rules = " ".join(trafficking.rule_lines())
    assert "never by themselves the purpose" in rules and "being held alone does not" in rules
