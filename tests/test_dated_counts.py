"""A count that changes over time (States parties to a convention) is dated and said to be
unverified today (issue 14 review, minor: module 6 gave '82 in 2014' as if current)."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
COUNT = re.compile(r"States parties[^.]*?\b\d+ (?:in|as of) (?:\w+ )?\d{4}", re.IGNORECASE)


def _sentences(path: Path) -> list[str]:
    nb = json.loads(path.read_text(encoding="utf-8"))
    text = "\n".join("".join(c["source"]) for c in nb["cells"] if c["cell_type"] == "markdown")
    return re.split(r"(?<=[.!?])\s+", text)


@pytest.mark.parametrize("path", sorted((ROOT / "modules").glob("*.ipynb")), ids=lambda p: p.stem)
def test_a_count_of_states_parties_says_it_is_not_current(path):
    for i, s in enumerate(ss := _sentences(path)):
        if COUNT.search(s):
            around = " ".join(ss[i : i + 2])
            assert "not verified" in around or "current" in around, s


def test_the_rule_reads_the_reported_sentence():
    assert COUNT.search("States parties to the 1954 Convention: 65 in December 2010, 82 in 2014.")
