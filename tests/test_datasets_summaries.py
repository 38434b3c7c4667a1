"""Every figure and claim in a scenario's or a reception season's summary comes from a dataset
with its source (issue 14: the Lampedusa 2011 summary said "mostly young Tunisian men", which
no file of the course's data gives). Checked mechanically, so a new summary is held to it:

- every number of a summary is one its ``sources`` give, and every number a source line
  attributes to a file of ``datasets/figures/`` is in that file;
- a claim about who came, by sex or age and a qualifier ("young Tunisian men", "Nigerian
  girls"), is named by a source line that is not an illustrative assumption.
"""

from __future__ import annotations

import csv
import re
from pathlib import Path

import pytest

from mixedflows.errors import load_yaml

ROOT = Path(__file__).resolve().parents[1]
FILES = sorted((ROOT / "datasets" / "scenarios").glob("*.yaml")) + sorted(
    (ROOT / "datasets" / "reception").glob("*.yaml")
)
NUMBER = re.compile(r"(?<![\w¶.,])\d{1,3}(?:,\d{3})+(?!\d)|(?<![\w¶.,])\d+(?:\.\d+)?(?![\d,]\d)")
GROUP = re.compile(r"\b([A-Za-z][\w'-]*)\s+(men|women|girls|boys|children|minors)\b")
NOT_A_QUALIFIER = {
    "the",
    "of",
    "and",
    "a",
    "as",
    "for",
    "with",
    "who",
    "whom",
    "were",
    "are",
    "many",
    "some",
}
ASSUMED = re.compile(r"illustrative|assumption", re.IGNORECASE)


def numbers(text: str) -> set[str]:
    """The numbers of a text (thousands separators dropped), leaving out years, paragraph
    numbers (¶10) and the note's symbol MC/INF/294."""
    text = text.replace("MC/INF/294", "")
    found = {m.group(0).replace(",", "") for m in NUMBER.finditer(text)}
    return {n for n in found if not (n.isdigit() and 1900 <= int(n) <= 2100)}


def file_numbers(path: Path) -> set[str]:
    out: set[str] = set()
    with path.open(encoding="utf-8", newline="") as f:
        for row in csv.reader(f):
            for cell in row:
                out |= numbers(cell)
    return out


def unsourced(summary: str, sources: list[str]) -> list[str]:
    """What a summary says that its sources do not give (numbers, then composition claims)."""
    given = set().union(*(numbers(s) for s in sources)) if sources else set()
    out = [f"number {n}" for n in sorted(numbers(summary) - given)]
    backed = [s for s in sources if not ASSUMED.search(s)]
    text = " ".join(summary.split())
    for m in GROUP.finditer(text):
        qualifier, group = m.group(1), m.group(2)
        if qualifier.lower() in NOT_A_QUALIFIER or qualifier.replace(",", "").isdigit():
            continue
        claim = f"{qualifier} {group}"
        if not any(claim.lower() in s.lower() for s in backed):
            out.append(f"claim '{claim}'")
    return out


def test_the_check_finds_what_was_there():
    """The sentence the trainer found, and a figure no source gives, are caught; a figure
    and a composition a source gives pass."""
    old = "In 2011, 50,483. The first arrivals were mostly young Tunisian men after the revolution."
    sources = [
        "Lampedusa 2011, 50,483: datasets/figures/x.csv",
        "Composition (Tunisian men first): illustrative",
    ]
    assert unsourced(old, sources) == ["claim 'Tunisian men'"]
    assert unsourced("In 2012, 2.5 times more.", sources) == ["number 2.5"]
    good = "In 2013, 10,734 men and 1,972 women; young Nigerian girls trafficked (¶18)."
    given = ["10,734 men, 1,972 women: file", "examples: young Nigerian girls trafficked"]
    assert unsourced(good, given) == []


@pytest.mark.parametrize("path", FILES, ids=lambda p: p.stem)
def test_a_summary_says_only_what_its_sources_give(path):
    data = load_yaml(path)
    problems = unsourced(data["summary"], list(data.get("sources", ())))
    assert not problems, f"{path.relative_to(ROOT)}: {problems}"


@pytest.mark.parametrize("path", FILES, ids=lambda p: p.stem)
def test_a_figure_a_source_line_takes_from_a_data_file_is_in_it(path):
    for line in load_yaml(path).get("sources", ()):
        files = re.findall(r"datasets/figures/[\w.-]+\.csv", line)
        if not files:
            continue
        have = set().union(*(file_numbers(ROOT / f) for f in files))
        said = numbers(line.split("datasets/figures/")[0])
        assert said <= have, f"{path.stem}: {sorted(said - have)} not in {files}: {line}"
