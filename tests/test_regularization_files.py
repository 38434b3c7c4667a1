"""Module 8 data files: levers and programmes validated on load, with errors that name the file,
the field and the lever; a reform is checked whole before the model runs."""

from __future__ import annotations

import csv
from pathlib import Path

import pytest
import yaml

from mixedflows.errors import DataFileError
from mixedflows.regularization import (
    ReformError,
    list_programmes,
    load_levers,
    load_programme,
    run,
    validate_reform,
)
from mixedflows.regularization.levers import levers_path
from mixedflows.regularization.programme import programmes_dir

ROOT = Path(__file__).resolve().parents[1]
DATA = ROOT / "datasets" / "regularization"
ISSUE_LEVERS = {
    "residence_years",
    "contract_months",
    "family_ties_required",
    "no_criminal_record",
    "nationality_share",
    "window_months",
    "fee",
    "assessment",
    "staff",
    "labour_inspection",
    "legal_channels",
}


def _write(tmp_path: Path, name: str, data: dict) -> Path:
    p = tmp_path / name
    p.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    return p


def test_every_lever_has_unit_label_range_and_citation():
    levers = load_levers()
    assert set(levers.ids) >= ISSUE_LEVERS
    for lv in levers:
        assert lv.label and lv.description and lv.citation.framework
        assert "MC/INF/294" in lv.citation.seed
        if lv.kind == "number":
            assert lv.min is not None and lv.max is not None and lv.step
    assert levers["fee"].check(500) == 500
    assert levers["window_months"].check(2.5) == 2.5


def test_the_real_programmes_load():
    ids = list_programmes()
    assert {
        "spain_2005",
        "italy_2002",
        "italy_2020",
        "greece_1998",
        "us_irca_1986_general",
        "us_irca_1986_saw",
    } <= set(ids)
    for pid in ids:
        prog = load_programme(pid)
        assert set(prog.levers) == set(load_levers().ids)
        assert all(v.strip() for v in prog.lever_sources.values())


def test_bad_unit_in_a_lever_file_names_the_field(tmp_path):
    data = yaml.safe_load(levers_path().read_text(encoding="utf-8"))
    data["levers"]["fee"]["unit"] = "parsecs"
    with pytest.raises(DataFileError) as err:
        load_levers(_write(tmp_path, "levers.yaml", data))
    assert "levers.fee.unit" in str(err.value)
    assert "levers.yaml" in str(err.value)


def test_inconsistent_lever_is_refused(tmp_path):
    data = yaml.safe_load(levers_path().read_text(encoding="utf-8"))
    data["levers"]["staff"]["min"] = 10_000  # above its max
    with pytest.raises(DataFileError, match=r"levers\.staff.*above max"):
        load_levers(_write(tmp_path, "levers.yaml", data))
    data = yaml.safe_load(levers_path().read_text(encoding="utf-8"))
    data["levers"]["fee"]["colour"] = "red"
    with pytest.raises(DataFileError, match=r"levers\.fee\.colour.*unknown key"):
        load_levers(_write(tmp_path, "levers.yaml", data))


def _programme(**changes) -> dict:
    data = yaml.safe_load((programmes_dir() / "spain_2005.yaml").read_text(encoding="utf-8"))
    for key, value in changes.items():
        section, _, field = key.partition("__")
        if field:
            data[section][field] = value
        else:
            data[section] = value
    return data


def test_unknown_lever_in_a_programme_file_is_named(tmp_path):
    data = _programme(levers__fees=10)
    with pytest.raises(DataFileError) as err:
        load_programme(_write(tmp_path, "spain_2005.yaml", data))
    msg = str(err.value)
    assert "levers.fees" in msg and "unknown lever" in msg and "did you mean 'fee'" in msg


def test_out_of_range_lever_in_a_programme_file_is_named(tmp_path):
    with pytest.raises(DataFileError) as err:
        load_programme(_write(tmp_path, "spain_2005.yaml", _programme(levers__fee=99_999)))
    assert "levers.fee" in str(err.value) and "outside the range 0 to 3000" in str(err.value)
    with pytest.raises(DataFileError, match=r"levers\.assessment.*not one of"):
        load_programme(_write(tmp_path, "spain_2005.yaml", _programme(levers__assessment="x")))
    with pytest.raises(DataFileError, match=r"levers\.labour_inspection.*true or false"):
        load_programme(
            _write(tmp_path, "spain_2005.yaml", _programme(levers__labour_inspection="yes"))
        )


def test_missing_lever_and_missing_source_are_named(tmp_path):
    data = _programme()
    del data["levers"]["staff"]
    with pytest.raises(DataFileError, match=r"levers\.staff.*missing"):
        load_programme(_write(tmp_path, "spain_2005.yaml", data))
    data = _programme()
    del data["population_sources"]["irregular_stock"]
    with pytest.raises(DataFileError, match=r"population_sources\.irregular_stock.*missing"):
        load_programme(_write(tmp_path, "spain_2005.yaml", data))
    with pytest.raises(DataFileError, match=r"population\.sector_shares.*sum to 1"):
        load_programme(
            _write(
                tmp_path,
                "spain_2005.yaml",
                _programme(
                    population__sector_shares={
                        "domestic_care": 0.5,
                        "agriculture": 0.5,
                        "other": 0.5,
                    }
                ),
            )
        )


def test_a_reform_is_validated_whole_before_anything_runs():
    with pytest.raises(ReformError) as err:
        run("spain_2005", {"fee": -5, "windw_months": 3, "staff": 20, "assessment": "lottery"})
    names = [k for k, _ in err.value.problems]
    assert names == ["fee", "windw_months", "assessment"]  # every problem, in order, by name
    msg = str(err.value)
    assert "lever 'windw_months': unknown lever (did you mean 'window_months'?)" in msg
    assert "lever 'fee': -5 is outside the range 0 to 3000" in msg
    assert validate_reform({"fee": 200, "legal_channels": True}) == {
        "fee": 200,
        "legal_channels": True,
    }
    with pytest.raises(ReformError, match="must be a number"):
        validate_reform({"staff": True})


def test_recorded_figures_and_copied_sources_keep_their_source_column():
    for name in (
        "recorded_figures.csv",
        "sources/regularisation_programmes.csv",
        "sources/regine_table3_criteria.csv",
        "sources/amnesty_effects_evidence.csv",
    ):
        with (DATA / name).open(encoding="utf-8") as fh:
            rows = list(csv.DictReader(fh))
        assert rows and all(r["source"].strip() for r in rows), name
    shared = Path("/work/shared/domain/data")
    if shared.is_dir():  # the copies are verbatim
        for name in (
            "regularisation_programmes.csv",
            "regine_table3_criteria.csv",
            "amnesty_effects_evidence.csv",
        ):
            # Every shared column and row is kept verbatim; a copy may add columns for learners
            # (the publication as a learner sees it), never change or drop one.
            with (DATA / "sources" / name).open(encoding="utf-8", newline="") as fh:
                ours = list(csv.DictReader(fh))
            with (shared / name).open(encoding="utf-8", newline="") as fh:
                theirs = list(csv.DictReader(fh))
            assert len(ours) == len(theirs), name
            for a, b in zip(ours, theirs, strict=True):
                assert {k: a.get(k) for k in b} == b, name
