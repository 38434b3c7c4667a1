"""datasets/: every CSV is described by datasets/datapackage.json (Frictionless), valid against
its description, and no row lacks a source. The figures are the shared domain data, copied."""

from __future__ import annotations

import json
from pathlib import Path

import pandas as pd
import pytest

ROOT = Path(__file__).resolve().parents[1]
DATASETS = ROOT / "datasets"
PACKAGE = DATASETS / "datapackage.json"
SHARED = ROOT.parent / "shared" / "domain" / "data"
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
    assert (DATASETS / path).read_bytes() == shared.read_bytes()


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
