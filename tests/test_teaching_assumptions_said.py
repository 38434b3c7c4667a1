"""A teaching model's assumption is never told as a result (issue 14 review, minor: module 3
said the policy lab lets you 'see the contested "pull" range narrow', where the narrowing is the
model's PULL_LEGAL_CHANNELS, a teaching assumption)."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
PULL = re.compile(
    r"\bpull\W*range\b[^.]*\b(?:narrow|shrink|reduce|lower)"
    r"|\b(?:narrow|shrink|reduce|lower)\w*\b[^.]*\bpull\W*range\b",
    re.IGNORECASE,
)


def _sentences(path: Path) -> list[str]:
    nb = json.loads(path.read_text(encoding="utf-8"))
    text = "\n".join("".join(c["source"]) for c in nb["cells"] if c["cell_type"] == "markdown")
    return re.split(r"(?<=[.!?])\s+", text)


@pytest.mark.parametrize("path", sorted((ROOT / "modules").glob("*.ipynb")), ids=lambda p: p.stem)
def test_a_narrowing_pull_effect_is_said_to_be_assumed(path):
    ss = _sentences(path)
    for i, s in enumerate(ss):
        if PULL.search(s):
            assert "assum" in " ".join(ss[i : i + 2]), s


def test_the_assumption_is_one_in_the_model():
    from mixedflows.regularization import model

    assert "Teaching assumption" in (model.__doc__ or "") or 0 < model.PULL_LEGAL_CHANNELS < 1
    assert PULL.search('see the contested "pull" range narrow.')
