"""The evidence module 3 grades against: findings and studies, each with its source and how far
it was verified, read from ``datasets/evidence/``. Nothing is quoted that is not in a row."""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import pandas as pd

from mixedflows.errors import DataFileError

VERIFICATION = {
    "P": "primary source",
    "S": "secondary source citing the primary",
    "S-weak": "news repost or mirror, not checked against the primary",
}

FINDINGS_FILE = "information_campaign_findings.csv"
DEVELOPMENT_FILE = "development_emigration.csv"


def evidence_dir() -> Path:
    from mixedflows.paths import datasets_dir

    return datasets_dir() / "evidence"


@lru_cache(maxsize=8)
def _read(name: str, mtime: float, required: tuple[str, ...]) -> pd.DataFrame:
    path = evidence_dir() / name
    try:
        df = pd.read_csv(path, dtype=str, keep_default_na=False)
    except (pd.errors.ParserError, UnicodeDecodeError) as e:
        raise DataFileError(path, "", f"not a readable CSV file ({e})") from None
    missing = [c for c in required if c not in df.columns]
    if missing:
        raise DataFileError(path, missing[0], "missing column")
    for i, row in df.iterrows():
        for c in ("id", "source", "verification"):
            if not row[c].strip():
                raise DataFileError(path, c, f"empty on line {int(i) + 2}")
        if row["verification"] not in VERIFICATION:
            raise DataFileError(
                path, "verification", f"line {int(i) + 2}: use one of {', '.join(VERIFICATION)}"
            )
    if df["id"].duplicated().any():
        raise DataFileError(
            path, "id", f"duplicated: {sorted(set(df['id'][df['id'].duplicated()]))}"
        )
    return df


def read_evidence(name: str, required: tuple[str, ...]) -> pd.DataFrame:
    path = evidence_dir() / name
    try:
        mtime = path.stat().st_mtime
    except FileNotFoundError:
        raise DataFileError(path, "", "file not found") from None
    return _read(name, mtime, ("id", "source", "verification", *required)).copy()


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
        """The study, its source and how far it was verified, in one line."""
        v = VERIFICATION[self.verification]
        lim = f"; {self.limits}" if self.limits else ""
        return f"{self.study} [{self.kind}; {v}: {self.source}{lim}]"


def findings() -> dict[str, Finding]:
    df = read_evidence(FINDINGS_FILE, ("finding", "study", "kind", "limits"))
    return {
        r.id: Finding(r.id, r.finding, r.study, r.kind, r.source, r.verification, r.limits)
        for r in df.itertuples()
    }
