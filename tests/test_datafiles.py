"""Every YAML file the project loads rejects a key given twice, naming the file, the key and the
lines (plain ``yaml.safe_load`` keeps the last value silently)."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest

from mixedflows.errors import DataFileError, DuplicateKeyError, load_yaml, parse_yaml

ROOT = Path(__file__).resolve().parents[1]


def _loaders():
    from mixedflows.capstone.spec import load_capstone
    from mixedflows.cases import load_case
    from mixedflows.casework import load_casework
    from mixedflows.cooperation.room import load_room
    from mixedflows.definitions import load_terms
    from mixedflows.departure.campaign import load_brief
    from mixedflows.exercises import load_exercise
    from mixedflows.flows.data import load_routes
    from mixedflows.journey import load_journey
    from mixedflows.postarrival.framing import load_message_brief
    from mixedflows.reception.inputs import load_season
    from mixedflows.regularization import load_levers, load_programme
    from mixedflows.rescue.case import load_rescue
    from mixedflows.returns import load_caseload
    from mixedflows.scenarios import load_scenario

    return {
        "exercises": load_exercise,
        "datasets/scenarios": load_scenario,
        "datasets/cases": load_case,
        "datasets/regularization/programmes": load_programme,
        "datasets/regularization/levers.yaml": load_levers,
        "datasets/reception": load_season,
        "datasets/campaigns": load_brief,
        "datasets/messages": load_message_brief,
        "datasets/rescue": load_rescue,
        "datasets/casework": load_casework,
        "datasets/returns/caseloads": load_caseload,
        "datasets/journeys": load_journey,
        "datasets/definitions": load_terms,
        "datasets/flows/routes.yaml": load_routes,
        "datasets/capstone": load_capstone,
        "datasets/cooperation/rooms": load_room,
    }


def _files() -> list[tuple[str, Path]]:
    out = []
    for where in _loaders():
        p = ROOT / where
        out += [(where, f) for f in sorted(p.glob("*.yaml"))] if p.is_dir() else [(where, p)]
    return out


def test_every_yaml_folder_is_covered():
    """A new folder of YAML files must be added to the loaders above (and so to this test)."""
    covered = {(ROOT / w).resolve() for w in _loaders()}
    yaml_files = {
        p.resolve() for p in [*ROOT.glob("datasets/**/*.yaml"), *ROOT.glob("exercises/*.yaml")]
    }
    missing = sorted(
        str(p.relative_to(ROOT)) for p in yaml_files if p not in covered and p.parent not in covered
    )
    assert missing == [], "add these files' folder and its loader to _loaders() above"


@pytest.mark.parametrize(
    "where,path", _files(), ids=lambda x: x.name if isinstance(x, Path) else ""
)
def test_a_duplicated_key_is_refused_by_the_loader(where, path, tmp_path):
    """Copy a real file, give its first top-level key again at the end: the loader refuses it
    and names the file, the key and both lines."""
    text = path.read_text(encoding="utf-8")
    key = re.search(r"^([A-Za-z_][\w-]*):", text, re.M).group(1)
    first = (
        text[: text.index(f"\n{key}:") + 1].count("\n") + 1 if not text.startswith(f"{key}:") else 1
    )
    bad = tmp_path / path.name
    shutil.copy(path, bad)
    bad.write_text(text.rstrip("\n") + f"\n{key}: null\n", encoding="utf-8")
    last = bad.read_text(encoding="utf-8").count("\n")
    load = _loaders()[where]
    with pytest.raises(DataFileError) as e:
        load(bad)
    msg = str(e.value)
    assert str(bad) in msg
    assert f"key '{key}' is given twice (lines {first} and {last})" in msg
    assert e.value.field == key and f"field '{key}'" in msg  # a top-level key: its name


def test_a_nested_duplicate_names_its_dotted_path(tmp_path):
    """The field of a duplicate is its dotted path in the file (params.costs.bed, a list's
    item by its index), as for any other error in a course file."""
    with pytest.raises(DuplicateKeyError) as e:
        parse_yaml("a: 1\nparams:\n  days_of_stay: 1\n  days_of_stay: 2\n")
    assert e.value.field == "params.days_of_stay"
    with pytest.raises(DuplicateKeyError) as e:
        parse_yaml("x:\n- {b: 1}\n- {b: 1, b: 2}\n")
    assert e.value.field == "x.1.b"
    p = tmp_path / "m.yaml"
    p.write_text("id: m\nparams:\n  costs:\n    bed: 1\n    bed: 2\n", encoding="utf-8")
    with pytest.raises(DataFileError) as e:
        load_yaml(p)
    assert e.value.field == "params.costs.bed" and "field 'params.costs.bed'" in str(e.value)


def test_nested_and_flow_duplicates_are_refused():
    with pytest.raises(DuplicateKeyError, match=r"key 'c' is given twice \(lines 2 and 4\)"):
        parse_yaml("x:\n  c: 1\n  d: 2\n  c: 3\n")
    with pytest.raises(DuplicateKeyError, match=r"key 'a' is given twice \(line 1\)"):
        parse_yaml("- {a: 1, a: 1}\n")
    with pytest.raises(DuplicateKeyError, match=r"key '1\.0'"):
        parse_yaml("1: a\n1.0: b\n")  # equal as Python keys: one would overwrite the other


def test_merge_keys_and_distinct_keys_still_load(tmp_path):
    assert parse_yaml("base: &b {x: 1, y: 2}\nd:\n  <<: *b\n  x: 3\n") == {
        "base": {"x": 1, "y": 2},
        "d": {"x": 3, "y": 2},
    }
    p = tmp_path / "ok.yaml"
    p.write_text("a: 1\nb: {a: 2}\n", encoding="utf-8")
    assert load_yaml(p) == {"a": 1, "b": {"a": 2}}


def test_project_loads_yaml_only_through_the_checked_loader():
    """No module of the package parses YAML by itself (which would skip the duplicate check)."""
    src = ROOT / "src" / "mixedflows"
    offenders = [
        f"{p.relative_to(ROOT)}:{i}"
        for p in src.rglob("*.py")
        if p.name != "errors.py"
        for i, line in enumerate(p.read_text(encoding="utf-8").splitlines(), 1)
        if re.search(r"\byaml\.(safe_load|load|full_load|unsafe_load)\b", line)
    ]
    assert offenders == []
