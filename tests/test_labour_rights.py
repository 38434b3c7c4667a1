"""Cold trial of issue 10, item 1: a person exploited at work whose trafficking elements are not
all shown (Sohel R.: unpaid, excessive hours, beaten, but nothing shows how he came to that work)
got no route for the exploitation. MC/INF/294 ¶21 asks for the protection of migrants' labour
rights and access to legal redress: screening now refers an adult who tells of exploitation at
work to legal aid, a wage claim and the labour inspectorate, derived from the facts, graded by
the screening desk, and told in the narrative."""

from __future__ import annotations

from mixedflows import trafficking
from mixedflows.cases import load_case
from mixedflows.cases.desk import referral_feedback
from mixedflows.narratives.check import check_person
from mixedflows.profiles import Need
from mixedflows.scenarios import generate_cohort, list_scenarios, load_scenario
from mixedflows.screening import screen


def test_sohel_is_referred_for_his_labour_rights():
    (p,) = load_case("worked_unpaid_found_job_himself").persons
    s = screen(p)
    assert not s.trafficking.referral and s.trafficking.missing == ("act",)
    r = s.referral(Need.LABOUR_RIGHTS)
    assert r is not None, [n.value for n in s.needs]
    assert "does not qualify as trafficked" in r.rationale and "missing: act" in r.rationale
    assert "labour inspectorate" in r.rationale and "wage claim" in r.rationale
    assert "MC/INF/294 ¶21" in r.citation.text() and "No. 143" in r.citation.framework
    assert "No. 29" in r.citation.framework
    # every fact the referral rests on is in what the learner reads
    told = [trafficking.observations()[i].text.lower() for i in p.trafficking_indicators]
    assert all(t in r.rationale for t in told if "work" in t or "salary" in t)
    assert "dawn to night" in p.narrative and "no salary" in p.narrative


def test_the_desk_grades_the_labour_rights_referral():
    (p,) = load_case("worked_unpaid_found_job_himself").persons
    s = screen(p)
    set_credit, _, items = referral_feedback(s, [Need.SPECIFIC_NEEDS, Need.COUNSELLING])
    assert set_credit < 1.0
    missed = next(x for x in items if x.item == s.referral(Need.LABOUR_RIGHTS).label)
    assert missed.credit == 0.0 and missed.message.startswith("Missed:")
    assert "¶21" in missed.citation
    full, _, _ = referral_feedback(s, list(s.needs))
    assert full == 1.0


def test_labour_rights_over_seeds_exploited_adults_only_and_beside_trafficking():
    seen = {"trafficked": 0, "not_trafficked": 0, "child": 0}
    for sid in list_scenarios():
        sc = load_scenario(sid)
        for seed in range(40):
            for p in generate_cohort(sc, seed):
                exploited = bool(trafficking.exploited_at_work(p.trafficking_indicators))
                s = screen(p)
                has = Need.LABOUR_RIGHTS in s.needs
                if p.treated_as_child:
                    assert not has, p.person_id
                    seen["child"] += exploited
                    continue
                assert has == exploited, p.person_id
                if has:
                    seen["trafficked" if s.trafficking.referral else "not_trafficked"] += 1
                    rationale = s.referral(Need.LABOUR_RIGHTS).rationale
                    assert ("beside the trafficking referral" in rationale) == (
                        s.trafficking.referral
                    )
                    assert s.needs.index(Need.LABOUR_RIGHTS) < s.needs.index(Need.COUNSELLING)
                    assert check_person(p) == [], p.person_id
    # generated stories of work exploitation all show the trafficking elements; the worked cases
    # carry the others (Sohel R., Precious A.)
    assert seen["trafficked"] >= 10 and seen["child"] >= 1, seen


def test_worked_adults_exploited_without_trafficking_have_a_route():
    found = []
    for cid in ("worked_unpaid_found_job_himself", "child_no_means_needed"):
        for p in load_case(cid).persons:
            s = screen(p)
            if p.treated_as_child or s.trafficking.referral:
                continue
            assert Need.LABOUR_RIGHTS in s.needs, p.name
            found.append(p.name)
    assert found == ["Sohel R.", "Precious A."]
