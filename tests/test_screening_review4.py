"""Issue 10, third cold trial by a trainer: the minors left open in the screening rules."""

from __future__ import annotations

import numpy as np

from mixedflows import trafficking

TABLE = trafficking.observations()
JOURNEY = "d1.deceived_about_travel_and_recruitment_conditions"


def _both_paths(ids: list[str], child: bool = False) -> bool:
    one = trafficking.assess(ids, child=child).referral
    row = np.array([[c in ids for c in trafficking.indicator_ids()]])
    _, many = trafficking.assess_matrix(row, np.array([child]))
    assert bool(many[0]) == one, ids
    return one


def test_a_deceptive_journey_is_not_a_recruitment_for_work():
    """A journey that cost more, or took longer, than told is a deception about the journey,
    not an offer of work: held at work after it alone gives no inferred purpose."""
    assert JOURNEY not in trafficking.WORK_RECRUITMENT
    assert not trafficking.recruited_for_work([JOURNEY])
    ids = [JOURNEY, "d5.isolation_confinement_or_surveillance"]
    assert not trafficking.inferred_purpose(ids)
    assert not _both_paths(ids)
    assert "purpose" in trafficking.assess(ids, child=False).missing
    # a deception about the work itself still is
    ids = ["d1.deceived_about_wages_earnings", "d5.isolation_confinement_or_surveillance"]
    assert _both_paths(ids) and trafficking.assess(ids, child=False).element("purpose").inferred


def test_reasonable_grounds_articles_are_cited_for_what_they_say():
    """CETS 197 art. 10(2): no removal before identification; Directive 2011/36/EU art. 11(2):
    assistance and support. Neither sets the elements or makes a debt or an oath the purpose."""
    for text in (trafficking.REFERRAL_FRAMEWORK, trafficking.CHILD_FRAMEWORK):
        assert "no removal before identification" in text and "assistance" in text
    assert "10(2)" not in trafficking.PURPOSE_AS_INTENT
    assert "11(2)" not in trafficking.PURPOSE_AS_INTENT
    assert "oath" in trafficking.PURPOSE_AS_INTENT and "is a means" in trafficking.PURPOSE_AS_INTENT
