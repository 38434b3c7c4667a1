"""Worked cases (datasets/cases/*.yaml): facts in, expected referrals out, run against the rules.
Authors add a case by adding a file; unknown keys are rejected with the file and key named."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from mixedflows.cases import check_case, list_cases, load_case
from mixedflows.errors import DataFileError

ROOT = Path(__file__).resolve().parents[1]
CASES = ROOT / "datasets" / "cases"


@pytest.mark.parametrize("case_id", list_cases())
def test_worked_case_agrees_with_the_rules(case_id):
    case = load_case(case_id)
    failed = [c.text() for c in check_case(case) if not c.ok]
    assert not failed, f"{case.path}:\n" + "\n".join(failed)


def test_there_are_cases_for_every_part_of_the_sequence():
    needs = {
        n for c in list_cases() for cp in load_case(c).spec.persons for n in cp.expected.referrals
    }
    assert {n.value for n in needs} == {
        "urgent_medical",
        "child_protection",
        "trafficking_referral",
        "asylum_information",
        "specific_needs",
        "family_tracing",
        "counselling",
    }
    assert any(load_case(c).is_family for c in list_cases())


def data(case_id: str = "child_no_means_needed") -> dict:
    return yaml.safe_load((CASES / f"{case_id}.yaml").read_text("utf-8"))


def write(tmp_path: Path, d: dict, name: str = "child_no_means_needed") -> Path:
    p = tmp_path / f"{name}.yaml"
    p.write_text(yaml.safe_dump(d, allow_unicode=True), encoding="utf-8")
    return p


@pytest.mark.parametrize(
    ("mutate", "field", "match"),
    [
        (lambda d: d.update(sumary="x"), "sumary", "unknown key"),
        (lambda d: d["persons"][0].update(expect={}), "persons.0.expect", "unknown key"),
        (lambda d: d["persons"][0]["facts"].update(agee=3), "persons.0.facts.agee", "unknown key"),
        (
            lambda d: d["persons"][0]["facts"].update(narrative="x"),
            "persons.0.facts.narrative",
            "unknown key",
        ),
        (
            lambda d: d["persons"][1]["expected"].update(referal=[]),
            "persons.1.expected.referal",
            "unknown key",
        ),
        (lambda d: d["persons"][0]["facts"].update(age="old"), "persons.0.facts.age", "integer"),
        (
            lambda d: d["persons"][0]["expected"].update(referrals=["asylum"]),
            "persons.0.expected.referrals.0",
            "urgent_medical",
        ),
        (
            lambda d: d["persons"][0]["facts"].update(trafficking_indicators=["d9.x"]),
            "persons.0.facts.trafficking_indicators",
            "d9.x",
        ),
        (lambda d: d.update(id="other"), "id", "differs from the file name"),
        (lambda d: d.pop("frameworks"), "frameworks", "required"),
    ],
)
def test_bad_case_names_file_and_key(tmp_path, mutate, field, match):
    d = data()
    mutate(d)
    p = write(tmp_path, d)
    with pytest.raises(DataFileError, match=match) as err:
        load_case(p)
    assert err.value.field == field
    assert str(p) in str(err.value) and field in str(err.value)


def test_an_author_adds_a_case_by_adding_a_file(tmp_path):
    d = data("asks_for_asylum")
    d["id"] = "new_case"
    p = write(tmp_path, d, "new_case")
    assert all(c.ok for c in check_case(load_case(p)))
    # A case the rules disagree with fails, naming the case, the person and the difference.
    d["persons"][0]["expected"]["referrals"] = ["counselling"]
    failed = [c for c in check_case(load_case(write(tmp_path, d, "new_case"))) if not c.ok]
    assert failed and "new_case / anis: referrals" in failed[0].text()
