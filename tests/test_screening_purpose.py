"""Issue 10 cold trial (2nd): the purpose of trafficking is an intent, and a child's exploitation
on the way shows the act.

Palermo art. 3(a) reads "for the purpose of exploitation": the exploitation need not have
happened. A debt for the journey to be repaid by work, an oath sworn to repay it, documents taken
or confinement by the employer at the place of work are reasonable grounds for the purpose
(CETS 197 art. 10(2); Directive 2011/36/EU art. 11(2)). For a child only the act and the purpose
are needed (art. 3(c)); a child made to work on the way was received for it.
"""

from __future__ import annotations

import json
from pathlib import Path

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
    "se.oath_to_repay",
    "se.journey_debt",
    "d5.confiscation_of_documents",
    "d5.isolation_confinement_or_surveillance",
}
"""What shows the purpose ahead: a debt sworn or owed, documents or freedom taken at work."""


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
        ("lampedusa_2008", 2, "lampedusa_2008-2-012"),  # oath at a shrine to repay the journey
        ("canary_islands_2023", 32, "canary_islands_2023-32-004"),  # passport kept, locked in
        ("lampedusa_2008", 13, "lampedusa_2008-13-005"),
        ("gulf_of_aden_yemen_2012", 0, "gulf_of_aden_yemen_2012-0-007"),  # domestic servitude
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


def test_the_oath_and_the_journey_debt_show_a_purpose() -> None:
    for i in ("se.oath_to_repay", "se.journey_debt"):
        assert TABLE[i].purpose, i
    ta = trafficking.assess(["se.promised_job_abroad", "se.oath_to_repay"], child=False)
    assert ta.referral, ta.reason


def test_rules_and_module_5_prose_agree_that_the_purpose_may_lie_ahead() -> None:
    nb = json.loads((ROOT / "modules" / "05_screening_and_referral.ipynb").read_text("utf-8"))
    prose = " ".join("".join(c["source"]) for c in nb["cells"] if c["cell_type"] == "markdown")
    assert "may still lie ahead" in prose
    rules = " ".join(trafficking.rule_lines())
    assert "may still lie ahead" in rules
    # and the rules do what they say: intent-only facts (nothing has happened yet) are referred
    intent_only = [i for i in INTENT if not TABLE[i].ilo] + ["se.promised_job_abroad"]
    assert trafficking.assess(intent_only, child=False).referral
