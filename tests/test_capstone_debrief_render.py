"""The season's debrief rendered once per change (issue 12's benchmark rule: the capstone's
submit to feedback in the app was 1.17x the figure before the debrief's template).

A learner at the last stage changes a policy lever and submits again: the four stages before it
are locked, so their sections of the debrief are kept (``report._stage``) and only the policy
stage is filled again; the season's grade the app has just worked out is not worked out twice.
The pages are the same bytes as a debrief filled from nothing, hostile names included.
"""

from __future__ import annotations

import datetime as dt
import re
from types import SimpleNamespace

import pytest

from mixedflows.capstone import report
from mixedflows.capstone import season as S  # noqa: N812
from mixedflows.capstone.season import grade_season, play

SPEC = "port_alba_season"
ANSWERS = {
    "rescue": {"port": "alba", "on_board": ["care", "medevac"], "informed": ["reception"]},
    "reception": dict(
        medical=5, screening=16, child_protection=5, mediation=18, beds=1500, transfers_per_day=300
    ),
    "screening": {},
    "postarrival": {},
}
WHEN = dt.datetime(2026, 12, 3, 6, 0, tzinfo=dt.UTC)
HOSTILE = "<script>alert('x')</script> & \"q\" {{ 7*7 }} <b>"


@pytest.fixture(scope="module")
def seasons():
    """The same season with two policies (the fee changed between two submits)."""
    return [play(SPEC, {**ANSWERS, "policy": {"fee": fee}}) for fee in (100, 400)]


def fresh(fn, *args, **kw):
    """``fn(*args, **kw)`` with no stage section kept from before."""
    report._stage.cache_clear()
    return fn(*args, **kw)


def test_a_resubmitted_season_fills_only_the_stage_that_changed(seasons):
    first, second = seasons
    assert [r.stage for r in first.records] == list(S.STAGES)
    report._stage.cache_clear()
    report.debrief_html(first, learner="ana", when=WHEN)
    assert report._stage.cache_info()[:2] == (0, 5)  # hits, misses: every stage filled
    report.debrief_html(second, learner="ana", when=WHEN)
    # The four stages before the policy come back equal and are kept; the policy is filled.
    assert report._stage.cache_info()[:2] == (4, 6)


@pytest.mark.parametrize("learner, team", [("ana", ""), ("ana", HOSTILE), (HOSTILE, "A&B <i>")])
def test_kept_stages_give_the_bytes_of_a_debrief_filled_from_nothing(seasons, learner, team):
    first, second = seasons
    report.debrief_html(first, learner=learner, team=team, when=WHEN)
    for season in (second, first, second):
        kept = report.debrief_html(season, learner=learner, team=team, when=WHEN)
        assert report._stage.cache_info().hits >= 4
        assert kept == fresh(report.debrief_html, season, learner=learner, team=team, when=WHEN)
        if HOSTILE in (learner, team):
            assert "<script" not in kept and "&lt;script&gt;alert(&#x27;x&#x27;)" in kept


def test_the_grade_given_is_not_worked_out_again(seasons, monkeypatch):
    """The app passes the grade it has just worked out (grade_season); the page is the one the
    debrief works out for itself."""
    season = seasons[1]
    page = fresh(report.debrief_html, season, learner="ana", when=WHEN)
    graded = grade_season(season, "m11_season_on_the_route")

    def twice(*_a, **_k):
        raise AssertionError("the season graded twice")

    monkeypatch.setattr(report, "grade_season", twice)
    monkeypatch.setattr(report, "outcome_lines", twice)
    assert fresh(report.debrief_html, season, learner="ana", when=WHEN, grade=graded) == page


def test_the_facilitators_set_is_the_same_with_kept_stages(seasons):
    """The set (level 2 headings) keeps its own sections: a learner's page (level 1) kept before
    does not leak into it, and the set is the bytes of one filled from nothing."""
    attempts = [
        SimpleNamespace(
            exercise_id="m11_season_on_the_route",
            learner=who,
            answer={**ANSWERS, "policy": {"fee": fee}, **({"team": team} if team else {})},
            created_at="2026-12-03T06:00:00+00:00",
        )
        for who, fee, team in (("ana", 100, ""), ("ben", 400, HOSTILE), ("cy", 100, ""))
    ]
    report._stage.cache_clear()
    for season in seasons:
        report.debrief_html(season, learner="ana", when=WHEN)  # level 1 sections kept
    kept = report.session_debriefs(attempts, "s1", scenario=SPEC)
    again = fresh(report.session_debriefs, attempts, "s1", scenario=SPEC)
    # Three seasons, two policies: five stages filled at level 2, then the other policy's stage.
    assert report._stage.cache_info()[:2] == (9, 6)
    assert kept is not None and again is not None
    stamp = re.compile(r"engines on \d{4}-\d\d-\d\d \d\d:\d\d UTC")  # when the set is made
    assert stamp.sub("", kept.page) == stamp.sub("", again.page)
    assert kept.page.count("<h3>1. ") == 3 and "<h2>1. " not in kept.page
    assert kept.shown == again.shown == ("ana", "ben", "cy")
