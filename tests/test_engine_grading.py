"""Grading: reference answers come from the rules; full, partial and zero credit; wrong types."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from mixedflows.errors import DataFileError
from mixedflows.exercises import load_exercise
from mixedflows.grading import AnswerError, cohort_for, cohort_reference, grade
from mixedflows.profiles import Company, Ground, Need, Person, Profile, Sex, UrgentCondition
from mixedflows.screening import screen

EX = "m1_who_is_in_the_boat"


def person(**facts) -> Person:
    base = {"person_id": "t", "name": "T.", "age": 30, "sex": Sex.MALE, "nationality": "X"}
    return Person(**{**base, **facts})


def test_reference_answers_are_derived_by_the_rules():
    ex = load_exercise(EX)
    ref = cohort_reference(ex)
    persons = cohort_for(ex.scenario, ex.seed, ex.size)
    assert list(ref) == [p.person_id for p in persons]
    for p in persons:
        s = screen(p)
        assert ref[p.person_id]["first_need"] == s.first_need.value
        assert set(ref[p.person_id]["profiles"]) == {x.value for x in s.profiles}


def test_another_seed_gives_another_correctly_graded_boat():
    ex = load_exercise(EX)
    ref2 = cohort_reference(ex, seed=ex.seed + 1)
    assert set(ref2) != set(cohort_reference(ex))
    assert grade(ex, ref2, seed=ex.seed + 1).score == 1.0


def test_rules_on_hand_written_facts():
    assert (
        screen(
            person(urgent=(UrgentCondition.HYPOTHERMIA,), persecution_ground=Ground.RELIGION)
        ).first_need
        is Need.URGENT_MEDICAL
    )
    child = screen(person(age=15, company=Company.ALONE, persecution_ground=Ground.RACE))
    assert child.first_need is Need.CHILD_PROTECTION
    assert Profile.CHILD in child.profiles and Profile.PROTECTION in child.profiles
    assert screen(person(age=15, company=Company.PARENT)).first_need is Need.COUNSELLING
    adult = screen(person(persecution_ground=Ground.POLITICAL_OPINION))
    assert adult.first_need is Need.ASYLUM_INFORMATION
    assert screen(person()).profiles == frozenset({Profile.ECONOMIC})


def test_full_partial_and_zero_credit():
    ex = load_exercise(EX)
    ref = cohort_reference(ex)
    assert grade(ex, ref).score == 1.0
    assert grade(ex, {}).score == 0.0
    pid, right = next(iter(ref.items()))
    half = {pid: {"profiles": right["profiles"], "first_need": None}}
    result = grade(ex, half)
    first = result.items[0]
    assert first.credit == pytest.approx(0.5)
    assert 0 < result.score < 1
    assert "No first need chosen" in first.message


def test_feedback_says_why_and_cites_framework_and_seed():
    ex = load_exercise(EX)
    for item in grade(ex, {}).items:
        assert "MC/INF/294" in item.citation
        assert item.message


@pytest.mark.parametrize(
    ("answer", "match"),
    [
        ("asylum", "must map each person id"),
        ({"nobody": {}}, "not a person on this boat"),
        ("__first__", "'profiles' must be a list"),
        ("__need__", "'first_need' must be one need id"),
        ("__bad_profile__", "choose from"),
    ],
)
def test_wrong_answer_type_gets_a_clear_message(answer, match):
    ex = load_exercise(EX)
    pid = next(iter(cohort_reference(ex)))
    if answer == "__first__":
        answer = {pid: {"profiles": 3}}
    elif answer == "__need__":
        answer = {pid: {"profiles": [], "first_need": 4}}
    elif answer == "__bad_profile__":
        answer = {pid: {"profiles": ["refugee status"]}}
    with pytest.raises(AnswerError, match=match):
        grade(ex, answer)


def test_malformed_exercise_file_names_file_and_field(tmp_path: Path):
    src = yaml.safe_load((Path(__file__).parents[1] / f"exercises/{EX}.yaml").read_text())
    src["grading"]["profile_weight"] = "half"
    p = tmp_path / f"{EX}.yaml"
    p.write_text(yaml.safe_dump(src))
    with pytest.raises(DataFileError) as err:
        load_exercise(p)
    assert str(p) in str(err.value)
    assert err.value.field == "grading.profile_weight"
    src["grading"]["profile_weight"] = 0.5
    src["scenario"] = "atlantis"
    p.write_text(yaml.safe_dump(src))
    with pytest.raises(DataFileError, match="field 'scenario'"):
        load_exercise(p)
    src.pop("type")
    p.write_text(yaml.safe_dump(src))
    with pytest.raises(DataFileError, match="field 'type'"):
        load_exercise(p)


def test_every_exercise_file_loads():
    from mixedflows.exercises import list_exercises

    ids = list_exercises()
    assert EX in ids
    for eid in ids:
        assert load_exercise(eid).id == eid
