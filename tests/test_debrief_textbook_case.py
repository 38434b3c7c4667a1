"""Cold trial of issue 10, M3: module 5's debrief asked which fact a rule waiting for the ILO/EC
combination would fail to see as a means, of Moussa G., whose combination is met. The question
is now generated from the engine's result for the person it names."""

from __future__ import annotations

import pytest

from mixedflows import trafficking
from mixedflows.cases import debrief, load_case
from mixedflows.screening import screen

CASE = "moussa_g_farm_in_the_desert"


def _check(text: str, row: debrief.Row) -> None:
    ilo = row.s.trafficking.ilo
    assert text.startswith(f"**{row.name}**")
    for d in ilo.positive_dimensions:
        assert f"{trafficking.DIMENSIONS[d].lower()} ({d})" in text
    if ilo.combination:
        assert "combination of dimensions is met too" in text
        assert "would not refer" not in text and "might not refer" not in text
    else:
        assert "would not refer" in text and "is met" not in text
        for m in ilo.missing:
            assert m in text


def test_the_debrief_of_moussa_g_agrees_with_the_engine():
    rs = debrief.rows(None)
    row = next(r for r in rs if r.name == "Moussa G.")
    # Since the trainer's cold trial of issue 10 (major 3), the case has the boat's facts (no
    # unpaid work): its combination is not met, and the question says so, from the engine.
    assert row.case == CASE
    _check(debrief.textbook_case(rs), row)


@pytest.mark.parametrize(
    ("case_id", "name"),
    [("hodan_k_church_and_farm", "Senait K."), ("samuel_says_eighteen", "Samuel K.")],
)
def test_a_referral_the_combination_misses_is_asked_about(case_id, name):
    """The same point for a person the ILO/EC combination would not refer (the exercise's case
    replaced): the question says so, with what the combination misses."""
    p = next(x for x in load_case(case_id).persons if x.name == name)
    row = debrief.Row(CASE, p, screen(p))
    assert row.s.trafficking.referral and not row.s.trafficking.ilo.combination
    text = debrief.textbook_case([row])
    _check(text, row)
    assert ("no means is needed" in text) is row.s.trafficking.child
