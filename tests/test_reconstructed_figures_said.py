"""Cold trial of issue 10, minor 2: module 5 gave the Lampedusa 2013 counts as plain fact, where
module 1 and the data file say they were reconstructed from a garbled slide. Every module line
that quotes them says so."""

from __future__ import annotations

import csv
import json
from pathlib import Path

FIGURES = "datasets/figures/italy_2013_sea_arrivals_demographics.csv"


def test_every_module_line_quoting_the_2013_counts_says_they_were_reconstructed():
    root = Path(__file__).resolve().parents[1]
    with open(root / FIGURES, newline="", encoding="utf-8") as f:
        rows = list(csv.DictReader(f))
    assert "garbled" in rows[0]["source"]  # the file says how far the figures were verified
    lampedusa = next(r for r in rows if r["area"] == "Lampedusa")
    figures = {f"{int(lampedusa[k]):,}" for k in ("people", "men", "unaccompanied_minors")}
    quoted = 0
    for nb in sorted((root / "modules").glob("*.ipynb")):
        for cell in json.loads(nb.read_text(encoding="utf-8"))["cells"]:
            for line in "".join(cell["source"]).splitlines():
                if any(x in line for x in figures) and "Lampedusa" in line:
                    quoted += 1
                    assert "garbled" in line and "reconstruction" in line, (nb.name, line)
    assert quoted >= 3  # modules 1, 4 and 5
