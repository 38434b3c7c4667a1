"""Worked cases (datasets/cases/*.yaml): facts in, expected referrals out, run against the rules.
Authors add a case by adding a file; unknown keys are rejected with the file and key named."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from mixedflows.cases import check_case, list_cases, load_case
from mixedflows.errors import DataFileError
from mixedflows.profiles import Need

ROOT = Path(__file__).resolve().parents[1]
CASES = ROOT / "datasets" / "cases"


@pytest.mark.parametrize("case_id", list_cases())
def test_worked_case_agrees_with_the_rules(case_id):
    case = load_case(case_id)
    failed = [c.text() for c in check_case(case) if not c.ok]
    assert not failed, f"{case.path}:\n" + "\n".join(failed)


def test_at_least_thirty_cases_guard_every_point_and_person_of_issue_10():
    cases = [load_case(c) for c in list_cases()]
    assert len(cases) >= 30
    guarded = {r for c in cases for r in c.spec.regression}
    points = {f"point {k}" for k in range(1, 12)} - {"point 10"}  # 10: regularization figures
    names = {"Moussa G.", "Hodan K.", "Blessing", "Lina", "Mustafa", "Khaled", "Tesfay"}
    assert points | names <= guarded, sorted((points | names) - guarded)
    for c in cases:
        for cp in c.spec.persons:
            # A "why" cites the framework it rests on.
            assert any(
                k in cp.why
                for k in ("Palermo", "CRC", "1951", "UNHCR", "10-Point", "CAT", "ICCPR", "¶")
            ), (c.id, cp.id)


def test_a_why_never_types_a_count_the_engine_computes(tmp_path):
    """Point 9: Blessing's 'why' once said '3 strong' where the data said 2 strong and 1
    medium. Counts come from the engine; a typed one is refused, naming the file and field."""
    d = data("promised_hairdressing_job")
    d["persons"][0]["why"] = d["persons"][0]["why"] + " Coercion at destination (3 strong)."
    p = write(tmp_path, d, "promised_hairdressing_job")
    with pytest.raises(DataFileError, match="3 strong") as err:
        load_case(p)
    assert err.value.field == "persons.0.why"


def test_there_are_cases_for_every_part_of_the_sequence():
    needs = {
        n for c in list_cases() for cp in load_case(c).spec.persons for n in cp.expected.referrals
    }
    assert {n.value for n in needs} == {n.value for n in Need}
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
        (
            lambda d: d["persons"][0]["facts"].update(age="old"),
            "persons.0.facts.age",
            "whole number, got 'old'",
        ),
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
    # The order of the referrals in a case is free: it is graded on hard constraints only.
    d["persons"][0]["expected"]["referrals"] = ["counselling", "asylum_information"]
    assert all(c.ok for c in check_case(load_case(write(tmp_path, d, "new_case"))))
