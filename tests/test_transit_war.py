"""Flight from a war at home and flight from a war in a transit country are told apart (issue
10 cold trial, defect 4: a Ghanaian on the Lampedusa 2011 boat "fled fighting", which could be
read as Libya's war or as a refugee claim from Ghana). The narrative names the country of each
fighting; the feedback says which one indicates a need for protection, and why, citing the
1951 Convention and the seed note; a scenario draws no war at home where there was none."""

from __future__ import annotations

import pytest

from mixedflows.narratives import narrative_lines
from mixedflows.profiles import Need
from mixedflows.scenarios import _draw, _persons_from_draw, list_scenarios, load_scenario
from mixedflows.screening import screen

WITH_TRANSIT_WAR = [s for s in list_scenarios() if load_scenario(s).transit_conflict_country]


def test_there_is_a_scenario_with_a_war_in_transit():
    assert "lampedusa_2011" in WITH_TRANSIT_WAR


@pytest.mark.parametrize("scenario_id", WITH_TRANSIT_WAR)
def test_each_flight_is_named_and_graded_for_what_it_is(scenario_id):
    sc = load_scenario(scenario_id)
    war = sc.transit_conflict_country
    transit_only = both = 0
    for seed in range(200):
        for p in _persons_from_draw(_draw(sc, seed, 12), narrate=False):
            text = " ".join(narrative_lines(p))
            if p.fled_conflict:
                assert f"fled fighting in {p.nationality}" in text, p.person_id
            else:
                assert "fled fighting" not in text, p.person_id
            if not p.transit_conflict:
                continue
            # "still in" once recruited or held there, "working in" otherwise (issue 10).
            assert f"in {war} when war broke out" in text, p.person_id
            s = screen(p)
            counselling = next(r for r in s.referrals if r.need is Need.COUNSELLING)
            assert "1951 Convention, art. 1A(2)" in counselling.citation.framework
            if p.fled_conflict:
                both += 1
                assert f"the flight from {p.nationality}, not from {war}" in counselling.rationale
            else:
                transit_only += 1
                assert "not by itself a need for protection" in counselling.rationale
                assert "¶12" in counselling.citation.seed
                protected = s.protection
                assert (
                    protected == bool(p.persecution_ground or p.prima_facie or p.requests_asylum)
                    or p.serious_harm_on_return
                ), p.person_id  # the war in transit adds nothing
    assert transit_only > 50


def test_no_war_at_home_is_drawn_where_the_season_had_none():
    """Lampedusa 2011: Ghana, Mali (whose northern conflict began in January 2012) and
    Bangladesh had no armed conflict at home; their nationals fled Libya's war, and the scenario
    says so to the learner."""
    sc = load_scenario("lampedusa_2011")
    by = {x.name: x for x in sc.nationalities}
    for name in ("Ghana", "Mali", "Bangladesh"):
        assert by[name].conflict == 0 and by[name].transit_conflict > 0, name
    assert any("Ghana" in c and "Libya" in c for c in sc.caveats)
