"""A count that changes over time (States parties to a convention) is dated and said to be
unverified today (issue 14 review, minor: module 6 gave '82 in 2014' as if current), in every
text a learner reads (``learner_texts``)."""

from __future__ import annotations

import re

import pytest
from learner_texts import KINDS, learner_texts, sentences

COUNT = re.compile(r"States parties[^.]*?\b\d+ (?:in|as of) (?:\w+ )?\d{4}", re.IGNORECASE)


def undated_counts(text: str) -> list[str]:
    """The sentences of ``text`` giving a dated count with no word, there or in the next
    sentence, that it is not verified as current."""
    ss = sentences(text)
    return [
        s
        for i, s in enumerate(ss)
        if COUNT.search(s) and not re.search(r"not verified|current", " ".join(ss[i : i + 2]))
    ]


@pytest.mark.parametrize("kind", KINDS)
def test_a_count_of_states_parties_says_it_is_not_current(kind):
    found = {where: bad for where, text in learner_texts(kind) if (bad := undated_counts(text))}
    assert not found, found


def test_the_rule_reads_the_reported_sentence():
    reported = "States parties to the 1954 Convention: 65 in December 2010, 82 in 2014."
    assert undated_counts(reported) == [reported]
    assert not undated_counts(reported + " The current number was not verified.")
    seen = dict(learner_texts("files"))["modules/06_stranded_migrants.ipynb"]
    assert COUNT.search(seen) and not undated_counts(seen)  # the walk reads module 6's count
