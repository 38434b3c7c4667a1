"""Where a learner's page says a consulate must not be contacted, it cites where that bar comes
from (issue 14 review, major 10): module 2's debrief cited '¶20-21' for it, but ¶21 says
consular assistance can be an effective form of cooperation. The bar comes from UNHCR's Advisory
Opinion on confidentiality (2005), the UN Special Rapporteur (A/73/178/Rev.1, para. 22) and EUAA
guidance, or from the course's screening rules that apply them."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
NOTEBOOKS = sorted((ROOT / "modules").glob("*.ipynb"))
BAR = re.compile(r"\b(nobody|no one|must not|never|no contact)\b", re.I)
SOURCES = ("Advisory Opinion", "A/73/178", "EUAA", "screening rules")


def _markdown_lines(path: Path) -> list[str]:
    nb = json.loads(path.read_text(encoding="utf-8"))
    out: list[str] = []
    for cell in nb["cells"]:
        if cell["cell_type"] == "markdown":
            src = cell["source"]
            out += ("".join(src) if isinstance(src, list) else src).splitlines()
    return out


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.stem)
def test_a_bar_on_consular_contact_cites_its_source_not_paragraph_21_alone(path):
    for line in _markdown_lines(path):
        if "consul" not in line.lower() or not BAR.search(line):
            continue
        if "¶21" in line or "¶20–21" in line or "¶20-21" in line:
            assert any(s in line for s in SOURCES), f"{path.name}: {line}"


def test_the_rule_catches_the_reported_line():
    line = "- why must nobody contact its consulate about his documents (¶20–21)?"
    assert BAR.search(line) and not any(s in line for s in SOURCES)
