"""datasets/: every CSV is described by datasets/datapackage.json (Frictionless), valid against
its description, and no row lacks a source. The figures are the shared domain data, copied."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pandas as pd
import pytest

ROOT = Path(__file__).resolve().parents[1]
DATASETS = ROOT / "datasets"
PACKAGE = DATASETS / "datapackage.json"
SHARED = ROOT.parent / "shared" / "domain" / "data"
PROVENANCE = ROOT / "docs" / "data_provenance.md"
CSVS = sorted(p.relative_to(DATASETS).as_posix() for p in DATASETS.rglob("*.csv"))


def resources() -> dict[str, dict]:
    return {r["path"]: r for r in json.loads(PACKAGE.read_text("utf-8"))["resources"]}


def test_every_csv_is_described():
    described = resources()
    missing = sorted(set(CSVS) - set(described))
    assert not missing, f"add these to datasets/datapackage.json: {missing}"
    gone = sorted(set(described) - set(CSVS))
    assert not gone, f"described but not found: {gone}"


def test_package_is_valid():
    from frictionless import validate

    report = validate(str(PACKAGE))
    errors = [f"{t.name}: {e.message}" for t in report.tasks for e in t.errors] + [
        e.message for e in report.errors
    ]
    assert report.valid, "\n".join(errors[:20])


@pytest.mark.parametrize("path", CSVS)
def test_no_row_lacks_a_source(path):
    df = pd.read_csv(DATASETS / path, dtype=str, keep_default_na=False)
    assert "source" in df.columns, f"{path}: no source column"
    empty = df.index[df["source"].str.strip() == ""].tolist()
    assert not empty, f"{path}: rows without a source: {[i + 2 for i in empty]} (file lines)"
    r = resources()[path]
    src = next(f for f in r["schema"]["fields"] if f["name"] == "source")
    assert src.get("constraints", {}).get("required") is True


@pytest.mark.skipif(not SHARED.is_dir(), reason="the shared domain data is not in this checkout")
@pytest.mark.parametrize("path", [p for p in CSVS if p.startswith("figures/")])
def test_figures_are_copies_of_the_shared_data(path):
    shared = SHARED / Path(path).name
    if not shared.exists():
        pytest.skip(f"{path} is not from the shared data (described in datapackage.json)")
    ours, theirs = (DATASETS / path).read_bytes(), shared.read_bytes()
    if ours == theirs:
        return
    # A source rewritten for learners (the bibliographic source, not the copy that was read):
    # every other column is the shared copy's, and the recorded source is kept for maintainers.
    a = pd.read_csv(DATASETS / path, dtype=str, keep_default_na=False)
    b = pd.read_csv(shared, dtype=str, keep_default_na=False)
    assert list(a.columns) == list(b.columns) and len(a) == len(b), path
    pd.testing.assert_frame_equal(a.drop(columns="source"), b.drop(columns="source"))
    kept = PROVENANCE.read_text("utf-8")
    missing = sorted(set(b.source[a.source != b.source]) - {s for s in b.source if s in kept})
    assert not missing, f"{path}: quote the shared source in {PROVENANCE.name}: {missing}"
    assert f"## {path}" in kept, f"{PROVENANCE.name} has no section for {path}"


def test_no_learner_reads_a_copy_of_unknown_origin():
    """Issue 14: the ILO/EC indicators' source read 'GitHub markdown ... (repository not
    identified)'. Every source a learner can read names the publication and how far it was
    read; the copy that was found is a note for maintainers (docs/data_provenance.md)."""
    from mixedflows import trafficking

    unknown = re.compile(r"repository not identified|GitHub markdown|VERIFY against", re.I)
    found = [
        f"{p}: line {i + 2}"
        for p in CSVS
        for i, s in enumerate(pd.read_csv(DATASETS / p, dtype=str, keep_default_na=False).source)
        if unknown.search(s)
    ]
    found += [i.id for i in trafficking.indicators().values() if unknown.search(i.source)]
    assert not found, found
    for ind in trafficking.indicators().values():
        assert "Operational indicators of trafficking in human beings" in ind.source
        assert "2009" in ind.source and "S-weak" in ind.source


def test_engine_indicators_agree_with_the_figures():
    from mixedflows import trafficking

    fig = pd.read_csv(
        DATASETS / "figures/ilo_delphi_labour_exploitation_indicators.csv",
        dtype=str,
        keep_default_na=False,
    )
    table = list(trafficking.indicators().values())
    assert len(table) == len(fig)
    for ind, (_, row) in zip(table, fig.iterrows(), strict=True):
        assert ind.text == row.indicator
        assert ind.dimension == int(row.dimension.split()[0])
        assert ind.weight_adult == row.weight_adults_labour
        child = (
            "" if row.weight_children_labour == "not in child list" else row.weight_children_labour
        )
        assert ind.weight_child == child
        assert ind.source == row.source
    counts = pd.read_csv(DATASETS / "figures/ilo_delphi_dimension_counts.csv")
    for _, row in counts.iterrows():
        d = int(row.dimension.split()[0])
        ws = [i.weight_adult for i in table if i.dimension == d]
        assert (ws.count("S"), ws.count("M"), ws.count("W")) == (row.strong, row.medium, row.weak)
