"""Module 8 exercises graded by running the model: partial credit per objective, feedback on
the objective that failed and why; predictions graded on the model's direction; the
reflection prompt for the facilitator (recorded by the app, see test_regularization_app)."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from mixedflows.errors import DataFileError
from mixedflows.exercises import ModelExercise, load_exercise
from mixedflows.grading import AnswerError, grade
from mixedflows.regularization import run
from mixedflows.regularization.grader import (
    suggest_design,
)

ROOT = Path(__file__).resolve().parents[1]
DESIGN = "m8_domestic_workers_programme"
PREDICT = "m8_predict_then_see"


def test_every_module_8_exercise_loads_and_is_graded_by_the_model():
    files = sorted((ROOT / "exercises").glob("m8_*.yaml"))
    assert {p.stem for p in files} >= {DESIGN, PREDICT}
    for p in files:
        ex = load_exercise(p)
        assert isinstance(ex, ModelExercise) and ex.model.startswith("regularization.")
        assert 23 in ex.seed_paragraphs
        text = p.read_text(encoding="utf-8")
        assert "answer:" not in text  # reference answers come from the engine


def test_the_design_exercise_can_be_solved_and_the_solution_is_derived():
    ex = load_exercise(DESIGN)
    design = suggest_design(ex)
    assert design is not None
    result = grade(ex, design)
    assert result.score == 1.0 and all(f.correct for f in result.items)
    assert "MC/INF/294 ¶23" in result.items[0].citation


def test_partial_credit_names_the_failed_objective_and_why():
    ex = load_exercise(DESIGN)
    base = grade(ex, {})  # the 2020 programme as enacted
    assert base.score == pytest.approx(0.33)
    failed = [f for f in base.items if not f.correct]
    assert [f.item for f in failed] == [
        "At least 60 % of domestic and care workers regularized",
        "Backlog cleared within 12 months of the window closing",
    ]
    cov = failed[0].message
    assert "missed by" in cov and "percentage points" in cov and "contract requirement" in cov
    assert "staff would be needed" in failed[1].message
    assert "contested" in base.summary  # the pull effect comes as a range
    # Cut the fee to raise coverage, and the fees no longer pay for the staff.
    cheap = grade(ex, {"fee": 20, "contract_months": 0, "window_months": 6, "staff": 700})
    by_item = {f.item: f for f in cheap.items}
    assert by_item["At least 60 % of domestic and care workers regularized"].correct
    fees = by_item["Processing costs covered by fees"]
    assert not fees.correct and "a fee of about EUR" in fees.message
    assert cheap.details["outcomes"]["coverage_domestic_care"] >= 0.6


def test_a_bad_design_is_a_clear_answer_error():
    ex = load_exercise(DESIGN)
    with pytest.raises(AnswerError, match="lever 'fees': unknown lever"):
        grade(ex, {"fees": 100})
    with pytest.raises(AnswerError, match=r"lever 'staff'.*outside the range"):
        grade(ex, {"staff": 0})
    with pytest.raises(AnswerError, match="keeps cover_other_sectors"):
        grade(ex, {"cover_other_sectors": True})
    with pytest.raises(AnswerError, match="maps lever names"):
        grade(ex, [("fee", 1)])


def test_predictions_are_graded_on_the_direction_the_model_moves():
    ex = load_exercise(PREDICT)
    params = ex.params
    truth = {}
    base = run(params.programme)
    for item in params.items:
        b = base.value(item.measure)
        n = run(params.programme, item.reform).value(item.measure)
        truth[item.id] = "same" if abs(n - b) < 0.01 * abs(b) else ("up" if n > b else "down")
    assert truth == {
        "fee": "down",
        "residence": "down",
        "staff": "up",
        "contract": "down",
        "channels": "same",
    }
    assert grade(ex, truth).score == 1.0
    wrong = grade(ex, {**truth, "contract": "up"})
    assert wrong.score == pytest.approx(0.8)
    fb = next(f for f in wrong.items if f.item == "contract")
    assert fb.message.startswith("Not quite") and "went down" in fb.message
    with pytest.raises(AnswerError, match="'up', 'down' or 'same'"):
        grade(ex, {"fee": "lower"})


def test_exercise_params_are_validated_with_the_field_named(tmp_path):
    data = yaml.safe_load((ROOT / "exercises" / f"{DESIGN}.yaml").read_text(encoding="utf-8"))
    data["params"]["objectives"][0]["measure"] = "happiness"
    p = tmp_path / f"{DESIGN}.yaml"
    p.write_text(yaml.safe_dump(data), encoding="utf-8")
    with pytest.raises(
        DataFileError, match=r"params\.objectives\.0\.measure': unknown measure 'happiness'"
    ):
        load_exercise(p)
