"""A teaching model's assumption is never told as a result (issue 14 review, minor: module 3
said the policy lab lets you 'see the contested "pull" range narrow', where the narrowing is the
model's PULL_LEGAL_CHANNELS, a teaching assumption), in every text a learner reads
(``learner_texts``)."""

from __future__ import annotations

import re

import pytest
from learner_texts import KINDS, learner_texts, sentences

PULL = re.compile(
    r"\bpull\W*range\b[^.]*\b(?:narrow|shrink|reduce|lower)"
    r"|\b(?:narrow|shrink|reduce|lower)\w*\b[^.]*\bpull\W*range\b",
    re.IGNORECASE,
)


def unsaid_assumptions(text: str) -> list[str]:
    """The sentences of ``text`` telling the pull range narrowed with no word, there or in the
    next sentence, that the narrowing is assumed."""
    ss = sentences(text)
    return [
        s for i, s in enumerate(ss) if PULL.search(s) and "assum" not in " ".join(ss[i : i + 2])
    ]


@pytest.mark.parametrize("kind", KINDS)
def test_a_narrowing_pull_effect_is_said_to_be_assumed(kind):
    found = {where: bad for where, text in learner_texts(kind) if (bad := unsaid_assumptions(text))}
    assert not found, found


def test_the_assumption_is_one_in_the_model():
    from mixedflows.regularization import model

    assert "Teaching assumption" in (model.__doc__ or "") or 0 < model.PULL_LEGAL_CHANNELS < 1
    reported = 'Module 8 lets you see the contested "pull" range narrow.'
    assert unsaid_assumptions(reported) == [reported]
    assert not unsaid_assumptions(reported + " The size is a teaching assumption.")
