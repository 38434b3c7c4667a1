"""Scenarios: validation names the file and the field; cohorts are reproducible for a seed."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from mixedflows.errors import DataFileError
from mixedflows.scenarios import generate_cohort, list_scenarios, load_scenario

GOOD = Path(__file__).resolve().parents[1] / "datasets/scenarios/lampedusa_2013.yaml"


def write(tmp_path: Path, data: dict, name: str = "lampedusa_2013") -> Path:
    p = tmp_path / f"{name}.yaml"
    p.write_text(yaml.safe_dump(data), encoding="utf-8")
    return p


def base() -> dict:
    return yaml.safe_load(GOOD.read_text(encoding="utf-8"))


def test_every_scenario_loads():
    ids = list_scenarios()
    assert "lampedusa_2013" in ids
    for sid in ids:
        assert load_scenario(sid).id == sid


@pytest.mark.parametrize(
    ("mutate", "field"),
    [
        (lambda d: d["demography"].update(women=1.5), "demography.women"),
        (lambda d: d["demography"].update(woman=0.5), "demography.woman"),
        (lambda d: d.pop("sources"), "sources"),
        (lambda d: d["nationalities"][0].update(share="many"), "nationalities.0.share"),
        (lambda d: d.update(boat_size=[15, 3]), "boat_size"),
    ],
)
def test_bad_scenario_names_file_and_field(tmp_path, mutate, field):
    data = base()
    mutate(data)
    p = write(tmp_path, data)
    with pytest.raises(DataFileError) as err:
        load_scenario(p)
    assert err.value.path == str(p)
    assert err.value.field.startswith(field.split(".")[0])
    assert str(p) in str(err.value) and field.split(".")[0] in str(err.value)


def test_unknown_key_is_named(tmp_path):
    data = base()
    data["demography"]["woman"] = 0.5
    with pytest.raises(DataFileError, match=r"demography\.woman.*unknown key"):
        load_scenario(write(tmp_path, data))


def test_not_yaml_names_file_and_line(tmp_path):
    p = tmp_path / "broken.yaml"
    p.write_text("id: x\n  bad: [unclosed\n", encoding="utf-8")
    with pytest.raises(DataFileError, match=r"broken\.yaml.*not valid YAML at line"):
        load_scenario(p)


def test_id_must_match_file_name(tmp_path):
    with pytest.raises(DataFileError, match="differs from the file name"):
        load_scenario(write(tmp_path, base(), name="other"))


def test_cohort_is_reproducible_for_a_seed():
    sc = load_scenario("lampedusa_2013")
    a = generate_cohort(sc, 7)
    b = generate_cohort(sc, 7)
    c = generate_cohort(sc, 8)
    assert a == b
    assert [p.narrative for p in a] != [p.narrative for p in c]
    lo, hi = sc.boat_size
    assert lo <= len(a) <= hi
    assert len({p.person_id for p in a}) == len(a)


def test_cohort_follows_the_scenario_demography():
    sc = load_scenario("lampedusa_2013")
    people = generate_cohort(sc, 1, size=3000)
    children = sum(p.is_child for p in people) / len(people)
    assert abs(children - sc.demography.children) < 0.03
    nats = {n.name for n in sc.nationalities}
    assert {p.nationality for p in people} <= nats


def test_narratives_use_dignified_vocabulary():
    sc = load_scenario("lampedusa_2013")
    text = " ".join(p.narrative for p in generate_cohort(sc, 3, size=300)).lower()
    for word in ("illegal", "alien", "clandestine"):
        assert word not in text
