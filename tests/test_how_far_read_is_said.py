"""Module prose says how far a source was read where the course read it only in part (issue 14
review, minor, module 4): a judgment's findings given without a caveat, examples of alternatives
to detention given as the Guidelines' own, an unsourced 'many young Tunisian men in
February-March 2011'."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
JUDGMENT = re.compile(r"\*[A-Z][^*]* v\. [A-Z][^*]*\*[^.]*\((?:European Court|ECtHR)")
READ = re.compile(r"read (?:on|in|through|only)|secondary|not read|not checked", re.IGNORECASE)


def _paragraphs(path: Path) -> list[str]:
    nb = json.loads(path.read_text(encoding="utf-8"))
    text = "\n".join("".join(c["source"]) for c in nb["cells"] if c["cell_type"] == "markdown")
    return [p for p in re.split(r"\n\s*\n|\n(?=- )", text) if p.strip()]


@pytest.mark.parametrize("path", sorted((ROOT / "modules").glob("*.ipynb")), ids=lambda p: p.stem)
def test_a_judgment_summarised_says_how_far_it_was_read(path):
    for para in _paragraphs(path):
        if JUDGMENT.search(para):
            assert READ.search(para), para[:200]


def test_module_4_gives_no_unsourced_composition_and_says_whose_examples_these_are():
    text = "\n".join(_paragraphs(ROOT / "modules/04_rescue_arrival_reception.ipynb"))
    assert "Tunisian" not in text  # no source in the course's data gives 2011's composition
    alt = next(
        p
        for p in _paragraphs(ROOT / "modules/04_rescue_arrival_reception.ipynb")
        if "**Alternatives to detention**" in p
    )
    assert "course's illustrations" in alt and READ.search(alt)
