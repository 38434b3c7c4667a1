"""The evidence module 3 grades against: findings and studies, each with its source and how far
it was verified, read from ``datasets/evidence/``. Nothing is quoted that is not in a row."""

from __future__ import annotations

import csv
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from types import SimpleNamespace

from mixedflows.errors import DataFileError
from mixedflows.text import sentence

VERIFICATION = {
    "P": "read in the original or a verbatim copy",
    "S": "read in a secondary source that cites it",
    "S-weak": "read in a news repost or mirror, not checked against the original",
}
"""How far a row was verified: what this course read, never what kind of source it is (a
glossary read in full is still a glossary, not a primary source). The kind is the row's own
``kind`` column."""

FINDINGS_FILE = "information_campaign_findings.csv"
DEVELOPMENT_FILE = "development_emigration.csv"


def evidence_dir() -> Path:
    from mixedflows.paths import datasets_dir

    return datasets_dir() / "evidence"


@lru_cache(maxsize=8)
def _read(name: str, mtime: float, required: tuple[str, ...]) -> tuple[dict[str, str], ...]:
    # The csv module, not pandas: these files are small, and the page should not wait for pandas.
    path = evidence_dir() / name
    try:
        with path.open(encoding="utf-8", newline="") as fh:
            reader = csv.DictReader(fh)
            columns = reader.fieldnames or []
            rows = tuple(reader)
    except (UnicodeDecodeError, csv.Error) as e:
        raise DataFileError(path, "", f"not a readable CSV file ({e})") from None
    missing = [c for c in required if c not in columns]
    if missing:
        raise DataFileError(path, missing[0], "missing column")
    seen: set[str] = set()
    for i, row in enumerate(rows):
        line = i + 2
        if None in row or any(v is None for v in row.values()):
            raise DataFileError(path, "", f"line {line}: not as many values as columns")
        for c in ("id", "source", "verification"):
            if not row[c].strip():
                raise DataFileError(path, c, f"empty on line {line}")
        if row["verification"] not in VERIFICATION:
            raise DataFileError(
                path, "verification", f"line {line}: use one of {', '.join(VERIFICATION)}"
            )
        if row["id"] in seen:
            raise DataFileError(path, "id", f"duplicated: {row['id']} (line {line})")
        seen.add(row["id"])
    return rows


def read_evidence(name: str, required: tuple[str, ...]) -> list[SimpleNamespace]:
    """The rows of an evidence file (attributes named by its columns), validated: the
    ``required`` columns exist, every row has an id, a source and a known verification tag."""
    path = evidence_dir() / name
    try:
        mtime = path.stat().st_mtime
    except FileNotFoundError:
        raise DataFileError(path, "", "file not found") from None
    rows = _read(name, mtime, ("id", "source", "verification", *required))
    return [SimpleNamespace(**r) for r in rows]


@dataclass(frozen=True)
class Finding:
    """One finding of the evaluation evidence on information campaigns."""

    id: str
    finding: str
    study: str
    kind: str
    source: str
    verification: str
    limits: str

    def cite(self) -> str:
        """The study, labelled with its kind as the data gives it (a systematic review, a
        glossary, a discussion note), its source, how far it was verified, then its limits
        as a sentence of their own."""
        v = VERIFICATION[self.verification]
        lim = f" {sentence(self.limits)}" if self.limits.strip() else ""
        return f"{self.study} [{self.kind}: {self.source}, {v}.{lim}]"


def findings() -> dict[str, Finding]:
    rows = read_evidence(FINDINGS_FILE, ("finding", "study", "kind", "limits"))
    return {
        r.id: Finding(r.id, r.finding, r.study, r.kind, r.source, r.verification, r.limits)
        for r in rows
    }
