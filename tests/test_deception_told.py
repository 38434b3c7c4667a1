"""A recruiter's promise is deception only once it proved false (Palermo Protocol art. 3(a);
ILO/EC 'deceptive recruitment' is observed when the deception is known). Third cold trial of
issue 10: the sentences for 'deceived about conditions of work / wages / housing' told only the
promise ('The recruiter said he would earn three times his wage at home'), yet the engine graded
a means of deception, and a referral could rest on it (Emeka H., lampedusa_2013-7-052). Every
sentence that tells one of these indicators now says the promise was broken."""

from __future__ import annotations

import re

import pytest

from mixedflows.narratives import testimony

DECEPTION = (
    "d1.deceived_about_conditions_of_work",
    "d1.deceived_about_wages_earnings",
    "d1.deceived_about_housing_and_living_conditions",
)
BROKEN = re.compile(
    r"\bnothing like it\b|\bnever did\b|\bnever got it\b|\bthere (?:was|were) none\b|"
    r"\bnever had one\b|\blied\b",
    re.IGNORECASE,
)


def _sentences() -> list[tuple[str, str]]:
    out = [(k, v) for k, v in testimony.INDICATOR_LINES.items() if k in DECEPTION]
    out += [(k, v) for k, v in testimony.INDICATOR_INTROS.items() if k in DECEPTION]
    for story, items in testimony.STORIES.items():
        for item in items:
            obs, text, intro = item[0], item[1], item[2]
            if obs in DECEPTION:
                out += [(f"{story}: {obs}", t) for t in (text, intro) if t]
    return out


@pytest.mark.parametrize(("where", "sentence"), _sentences())
def test_a_deception_sentence_says_the_promise_was_broken(where: str, sentence: str):
    assert BROKEN.search(sentence), f"{where}: only a promise is told: {sentence!r}"


def test_the_sentences_are_found():
    """The check is not vacuous: every story that tells these indicators is read."""
    stories = {w.split(":")[0] for w, _ in _sentences() if ":" in w}
    assert {"labour_in_transit", "labour_on_the_atlantic_route", "domestic_work_gulf"} <= stories
