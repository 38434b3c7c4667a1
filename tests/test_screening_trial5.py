"""Issue 10, fifth trainer trial: facts that point towards trafficking without a referral (a
possible trafficker in the group, or a means used against the person) hold voluntary return
until a risk assessment, and the protection need of a person to be interviewed apart is said in
a text the learner reads.

Every expectation is derived by the rules from generated persons, never typed beside them."""

from __future__ import annotations

import pytest

from mixedflows import referrals
from mixedflows.scenarios import generate_cohort, list_scenarios, load_scenario
from mixedflows.screening import screen


@pytest.fixture(scope="module")
def screened():
    out = []
    for sid in list_scenarios():
        sc = load_scenario(sid)
        for seed in range(6):
            for p in generate_cohort(sc, seed, 400):
                out.append((p, screen(p)))
    return out


def _texts(s) -> str:
    return " ".join(r.rationale for r in s.referrals)


def test_no_return_is_offered_where_facts_point_towards_trafficking(screened) -> None:
    """Module 5: no return talk before a risk assessment for a person with indications of
    trafficking, referred or not yet."""
    pointing = [(p, s) for p, s in screened if referrals.pointing_to_trafficking(s.trafficking)]
    assert len(pointing) >= 10, len(pointing)
    for p, s in pointing:
        ret = referrals.return_counselling(p, s.trafficking)
        assert ret != "offered", (p.person_id, ret)
        text = _texts(s)
        assert "No indication calls for another procedure" not in text, p.person_id
        assert "risk assessment" in text or "best interests" in text or "claim is" in text, (
            p.person_id,
            text,
        )


def test_a_person_to_be_interviewed_apart_is_told_so_whatever_the_referral(screened) -> None:
    """The LP need (a possible trafficker in the group, or a child with an adult who is not a
    relative) is said in a text the learner reads, not only computed."""
    apart = [
        (p, s) for p, s in screened if referrals.interview_apart(p) and not s.trafficking.referral
    ]
    assert len(apart) >= 10, len(apart)
    for p, s in apart:
        assert "apart from" in _texts(s), (p.person_id, _texts(s))


def test_a_referral_not_called_for_cites_its_own_guidance(screened) -> None:
    """A 'Not called for' line rests on the guidance of the referral it names, not on the
    ordering rules (which the 'Order' line cites)."""
    from mixedflows.cases.desk import ORDER_CITATION, referral_feedback
    from mixedflows.profiles import NEED_LABELS, Need

    seen: set[Need] = set()
    for _p, s in screened[:400]:
        extra = [n for n in Need if n not in s.needs and n is not Need.TRAFFICKING_REFERRAL]
        _, _, items = referral_feedback(s, list(s.needs) + extra)
        for n in extra:
            line = next(f for f in items if f.item == NEED_LABELS[n])
            assert line.message.startswith("Not called for"), line
            assert line.citation != ORDER_CITATION.text(), (n, line.citation)
            seen.add(n)
    assert len(seen) >= 5, seen
