"""One rule per question across modules (cold trial of modules 6 and 11): the same facts get
the same call, in the same words, whichever module grades them.

1. Work told at screening was done abroad, before arrival: module 2's journey and module 5 refer
   to legal aid because a wage claim and the labour inspectorate here "do not reach that
   employer"; module 11's stage 4 (the case-work rules) marked the wage claim as missed for the
   same person (Rahim H.).
"""

from __future__ import annotations

from test_capstone_referrals import RESCUE_RIGHT, SPEC, THIN_PLAN

from mixedflows.capstone import load_capstone, play
from mixedflows.capstone import season as S  # noqa: N812
from mixedflows.casework import actions
from mixedflows.journey import list_journeys, load_journey
from mixedflows.profiles import Need
from mixedflows.referrals import WORK_ABROAD, where_worked
from mixedflows.screening import screen


def _season():
    return play(SPEC, {"rescue": RESCUE_RIGHT, "reception": THIN_PLAN, "screening": {}})


def test_a_wage_claim_for_work_done_abroad_is_not_expected_and_says_why():
    season = _season()
    offered = load_capstone(SPEC).postarrival.actions
    files = S.postarrival_files(season)
    abroad = [
        f
        for f in files
        if not f.situation.unpaid_wages and Need.LABOUR_RIGHTS in screen(f.person).needs
    ]
    assert abroad  # Rahim H., who worked on a farm in Libya
    answer = {f.person.person_id: actions.reference(f, offered) for f in files}
    result = S.play_postarrival(season, answer).records[-1].result
    label = actions.ACTIONS["labour_claim"].label
    for f in abroad:
        v = next(v for v in actions.verdicts(f, offered) if v.action == "labour_claim")
        assert v.call != "required", (f.person.name, v.why)
        assert WORK_ABROAD in v.why and where_worked(f.person) in v.why
        assert not [i for i in result.items if i.item.endswith(f"{f.person.name}: {label}")]
    assert result.score == 1.0
    # Chosen anyway, the line says why, in the referral's words.
    f = abroad[0]
    answer[f.person.person_id] = [*answer[f.person.person_id], "labour_claim"]
    result = S.play_postarrival(season, answer).records[-1].result
    line = next(i for i in result.items if i.item.endswith(f"{f.person.name}: {label}"))
    assert WORK_ABROAD in line.message and "Missed" not in line.message
    # Unpaid work here (the situation's unpaid_wages) is still a claim to help with.
    here = [f for f in files if f.situation.unpaid_wages]
    assert here and all("labour_claim" in actions.reference(f, offered) for f in here)


def test_the_journey_and_the_case_work_say_it_in_the_same_words():
    said = []
    for jid in list_journeys():
        j = load_journey(jid)
        for st in j.stages:
            r = j.screening(st.id).referral(Need.LABOUR_RIGHTS)
            if r is not None:
                said.append(r.rationale)
    assert said and all(WORK_ABROAD in x for x in said)
