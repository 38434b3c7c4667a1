"""Module 5 exercises: reference answers come from the engine; full, partial and zero credit;
feedback cites the framework and the seed paragraph; bad params name the file and the field."""

from __future__ import annotations

import pytest
import yaml

from mixedflows import cases, trafficking
from mixedflows.cases import desk_queue, grade_desk, indicator_choices, load_case
from mixedflows.errors import DataFileError
from mixedflows.exercises import ModelExercise, list_exercises, load_exercise
from mixedflows.grading import AnswerError, grade
from mixedflows.registry import params_model
from mixedflows.screening import screen

M5 = [e for e in list_exercises() if e.startswith("m5_")]


def test_module_5_has_at_least_three_graded_widget_exercises():
    assert {"m5_hard_constraints", "m5_mark_indicators", "m5_family_referrals"} <= set(M5)
    for e in M5:
        ex = load_exercise(e)
        assert ex.module == 5
        if isinstance(ex, ModelExercise):
            assert isinstance(ex.params, params_model(ex.model))


def test_constraints_exercise_grades_the_hard_constraints_not_a_sequence():
    """Point 3 of issue 10: two different orders that respect every hard constraint both get
    full credit; breaking one constraint loses exactly its share, and the message names it."""
    ex = load_exercise("m5_hard_constraints")
    p = cases.constraint_person(ex.params)
    offered = cases.constraint_steps(p)
    one = [
        "urgent_medical",
        "child_protection",
        "private_interview",
        "trafficking_interview",
        "trafficking_referral",
        "family_tracing",
        "counselling",
    ]
    other = [
        "urgent_medical",
        "private_interview",
        "child_protection",
        "family_tracing",
        "trafficking_interview",
        "trafficking_referral",
        "counselling",
    ]
    assert set(one) <= set(offered) and "origin_contact" in offered
    assert grade(ex, {"steps": one}).score == 1.0
    assert grade(ex, {"steps": other}).score == 1.0
    r = grade(
        ex, {"steps": ["trafficking_interview", *[x for x in one if x != "trafficking_interview"]]}
    )
    broken = [f for f in r.items if not f.correct]
    assert 0 < r.score < 1 and broken
    assert any("Welfare first" in f.message for f in broken)
    assert any("possible trafficker" in f.message for f in broken)
    embassy = grade(ex, {"steps": [*one, "origin_contact"]})
    assert embassy.score < 1
    assert any("country of origin" in f.message for f in embassy.items if not f.correct)
    assert all("MC/INF/294" in f.citation for f in r.items)
    with pytest.raises(AnswerError, match="place the interview"):
        grade(ex, {"steps": ["urgent_medical"]})
    with pytest.raises(AnswerError, match="not a step"):
        grade(ex, {"steps": ["trafficking_interview", "shelter"]})


def test_indicator_exercise():
    ex = load_exercise("m5_mark_indicators")
    p = cases.testimony_person(ex.params)
    ref = list(p.trafficking_indicators)
    full = grade(ex, {"indicators": ref})
    assert full.score == 1.0
    assert full.details["positive_dimensions"] == list(
        trafficking.assess(ref, child=p.treated_as_child).positive_dimensions
    )
    assert "secondary" in full.details["caveat"]
    assert all("caveat" in f.citation for f in full.items)  # the caveat travels with feedback
    half = grade(ex, ref[: len(ref) // 2])
    assert 0 < half.score < 1
    wrong = [i for i in indicator_choices(p) if i not in ref][:2]
    assert grade(ex, wrong).score == 0.0
    assert any("Not in this testimony" in f.message for f in grade(ex, wrong).items)
    # Every indicator of the story is told by a sentence of the testimony.
    text = " ".join(cases.testimony(p))
    assert "Tripoli" in text and "passport" in text
    with pytest.raises(AnswerError, match="not an indicator of this course"):
        grade(ex, ["d9.nothing"])
    with pytest.raises(AnswerError, match="not offered"):
        grade(ex, ["d6.personal_characteristics"])


def test_family_exercise():
    ex = load_exercise("m5_family_referrals")
    case = load_case(ex.params.case)
    ref = {
        cp.id: [n.value for n in screen(p).needs]
        for cp, p in zip(case.spec.persons, case.persons, strict=True)
    }
    assert grade(ex, ref).score == 1.0
    r = grade(ex, {**ref, "khaled": ["asylum_information", "counselling"]})
    item = next(f for f in r.items if f.item.startswith("khaled"))
    assert 0 < item.credit < 1
    assert "separated child" in item.message and "MC/INF/294" in item.citation
    lina = {**ref, "lina": ["asylum_information", "urgent_medical", "counselling"]}
    msg = next(f for f in grade(ex, lina).items if f.item.startswith("lina")).message
    assert "Acute welfare needs always come first" in msg
    with pytest.raises(AnswerError, match="not a member"):
        grade(ex, {"someone": []})
    with pytest.raises(AnswerError, match="not a referral"):
        grade(ex, {"rasha": ["shelter"]})


def test_desk_exercise_grades_any_file_of_its_queue():
    ex = load_exercise("m5_screening_desk")
    params = ex.params
    queue = desk_queue(params.cases, params.scenario, params.seed, params.generated)
    assert len(queue) >= 10 and len({cf.person.person_id for cf in queue}) == len(queue)
    for cf in queue:
        p = cf.person
        right = {
            "person_id": p.person_id,
            "referrals": [n.value for n in screen(p).needs],
            "indicators": list(p.trafficking_indicators),
            "asked": ["health", "private", "journey", "work", "control"],
        }
        assert grade(ex, right).score == 1.0
        if screen(p).interview_apart:
            # Asking about the journey before taking the person aside breaks a hard constraint.
            careless = {**right, "asked": ["health", "journey", "private", "work", "control"]}
            r = grade(ex, careless)
            assert r.score < 1.0 and any("possible trafficker" in f.message for f in r.items)
    p = queue[0].person
    r = grade(ex, {"person_id": p.person_id, "referrals": ["counselling"], "asked": ["reasons"]})
    assert 0 < r.score < 1
    assert "Welfare first" in r.summary  # hypothermia: no interview before care
    with pytest.raises(AnswerError, match="not a case file"):
        grade(ex, {"person_id": "nobody", "referrals": []})


def test_desk_credits_order_and_asks_for_the_interview():
    p = load_case("promised_hairdressing_job").persons[0]
    r = grade_desk(p, {"referrals": ["counselling", "trafficking_referral"], "indicators": []})
    assert r.items[0].item == "Order" and r.items[0].credit == 0.0
    assert "questions you did not ask" in r.summary


@pytest.mark.parametrize(
    ("params", "field", "match"),
    [
        ({"case": "nope"}, "params.case", "cannot load case 'nope'"),
        ({"case": "syrian_family", "distractors": 99}, "params.distractors", "at most 20, got 99"),
        ({"case": "syrian_family", "extra": 1}, "params.extra", "unknown key"),
    ],
)
def test_bad_params_name_the_file_and_field(params, field, match, tmp_path):
    data = load_exercise("m5_mark_indicators").model_dump(mode="json")
    bad = tmp_path / "m5_mark_indicators.yaml"
    bad.write_text(yaml.safe_dump({**data, "params": params}), encoding="utf-8")
    with pytest.raises(DataFileError, match=match) as err:
        load_exercise(bad)
    assert err.value.field == field
    assert str(bad) in str(err.value)
