"""Build src/mixedflows/data/ilo_indicators.csv from the project's copy of the ILO/EC list.

Adds a stable ``id`` per indicator (dimension number + slug) and keeps the source column as it
is. Run once when the source list changes: python scripts/build_ilo_indicators.py SRC.csv
"""

import csv
import re
import sys
from pathlib import Path

OUT = Path(__file__).resolve().parents[1] / "src/mixedflows/data/ilo_indicators.csv"


def slug(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "_", text.lower()).strip("_")[:48]


def main(src: str) -> None:
    with open(src, encoding="utf-8") as fh:
        rows = list(csv.DictReader(fh))
    with OUT.open("w", newline="", encoding="utf-8") as fh:
        w = csv.writer(fh)
        w.writerow(["id", "dimension", "indicator", "weight_adult", "weight_child", "source"])
        for r in rows:
            dim = int(r["dimension"].split()[0])
            child = r["weight_children_labour"]
            child = child if child in {"S", "M", "W"} else ""
            w.writerow(
                [
                    f"d{dim}.{slug(r['indicator'])}",
                    dim,
                    r["indicator"],
                    r["weight_adults_labour"],
                    child,
                    r["source"],
                ]
            )


if __name__ == "__main__":
    main(sys.argv[1])
