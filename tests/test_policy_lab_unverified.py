"""Issue 10, second cold trial: the policy lab showed a programme summary verbatim, so REGINE's
'about 98 % were still in legal status after a year' read as fact while module 8 calls it
unverified. Every figure tagged 'unverified' in recorded_figures.csv that the lab shows says so
in plain words, derived from the tag (not typed beside the figure)."""

from __future__ import annotations

import re

import pytest

from mixedflows.regularization import load_programme
from mixedflows.regularization.programme import (
    UNVERIFIED_WORDS,
    _figure_forms,
    list_programmes,
    summary_shown,
    unverified_figures,
)


def _sentences(html_or_text: str) -> list[str]:
    text = re.sub(r"<[^>]+>", " ", html_or_text)
    return [s for s in re.split(r"(?<=[.;])\s+", " ".join(text.split())) if s]


def test_the_data_tags_unverified_figures_the_lab_could_show() -> None:
    tagged = {pid: unverified_figures(pid) for pid in list_programmes()}
    assert any(measure == "legal_status_12m" for measure, _, _ in tagged["italy_2002"])


@pytest.mark.parametrize("pid", list_programmes())
def test_every_unverified_figure_the_policy_lab_shows_says_so(pid: str) -> None:
    from mixedflows.widgets.policy_lab import PolicyLab

    lab = PolicyLab(pid)
    shown = lab.summary.value
    forms = [f for _, _, v in unverified_figures(pid) for f in _figure_forms(v)]
    for sentence in _sentences(shown):
        if any(f in sentence for f in forms):
            assert "unverified" in sentence, (pid, sentence)
    if pid == "italy_2002":
        assert "98 %" in shown and UNVERIFIED_WORDS in shown


def test_the_words_follow_the_tag_not_the_text() -> None:
    """A verified figure gets no words; the same summary with the figure tagged gets them."""
    prog = load_programme("italy_2002")
    tagged = summary_shown(prog)
    assert UNVERIFIED_WORDS in tagged
    other = prog.model_copy(update={"id": "greece_1998"})  # nothing unverified recorded there
    assert UNVERIFIED_WORDS not in summary_shown(other)
