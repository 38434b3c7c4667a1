"""Exercises are validated when they are loaded: one union keyed on the exercise's type, every
part strict, a model exercise's params checked against its model's params class (from
mixedflows.registry). A malformed file fails at load, naming the file and the field."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from mixedflows.errors import DataFileError
from mixedflows.exercises import ModelExercise, list_exercises, load_exercise
from mixedflows.registry import params_model

ROOT = Path(__file__).resolve().parents[1]


def _write(tmp_path: Path, eid: str, data: dict) -> Path:
    p = tmp_path / f"{eid}.yaml"
    p.write_text(yaml.safe_dump(data, sort_keys=False), encoding="utf-8")
    return p


def _raw(eid: str) -> dict:
    return yaml.safe_load((ROOT / "exercises" / f"{eid}.yaml").read_text(encoding="utf-8"))


@pytest.mark.parametrize("eid", list_exercises())
def test_every_exercise_loads_with_typed_params(eid):
    ex = load_exercise(eid)
    if isinstance(ex, ModelExercise):
        assert isinstance(ex.params, params_model(ex.model))


@pytest.mark.parametrize("eid", list_exercises())
def test_an_unknown_key_fails_at_load_naming_file_and_field(eid, tmp_path):
    data = _raw(eid)
    if isinstance(data.get("params"), dict):
        data["params"]["colour"] = "blue"
        field = "params.colour"
    else:
        data["colour"] = "blue"
        field = "colour"
    p = _write(tmp_path, eid, data)
    with pytest.raises(DataFileError) as e:
        load_exercise(p)
    assert e.value.path == str(p) and e.value.field == field
    assert "unknown key" in e.value.detail


def test_a_wrong_params_value_names_the_nested_field(tmp_path):
    data = _raw("m4_staff_the_centre")
    data["params"]["seeds"] = ["one"]
    p = _write(tmp_path, "m4_staff_the_centre", data)
    with pytest.raises(DataFileError) as e:
        load_exercise(p)
    assert e.value.field == "params.seeds.0" and "whole number" in e.value.detail


def test_an_id_naming_a_missing_file_fails_at_load(tmp_path):
    data = _raw("m5_family_referrals")
    data["params"]["case"] = "no_such_case"
    p = _write(tmp_path, "m5_family_referrals", data)
    with pytest.raises(DataFileError) as e:
        load_exercise(p)
    assert e.value.field == "params.case"
    assert e.value.detail.startswith("cannot load case 'no_such_case'")


def test_an_unknown_model_or_type_fails_at_load(tmp_path):
    data = _raw("m5_family_referrals")
    p = _write(tmp_path, "m5_family_referrals", {**data, "model": "cases.nothing"})
    with pytest.raises(DataFileError) as e:
        load_exercise(p)
    assert e.value.field == "model" and "no model grader named 'cases.nothing'" in e.value.detail
    p = _write(tmp_path, "m5_family_referrals", {**data, "type": "essay"})
    with pytest.raises(DataFileError) as e:
        load_exercise(p)
    assert "essay" in str(e.value) and e.value.field == "type"
    assert "field 'type'" in str(e.value)
    p = _write(tmp_path, "m5_family_referrals", {k: v for k, v in data.items() if k != "type"})
    with pytest.raises(DataFileError, match="missing: every exercise names its type"):
        load_exercise(p)


def test_a_reference_rule_is_checked_at_load(tmp_path):
    base = {
        "id": "q",
        "title": "Q",
        "module": 1,
        "seed_paragraphs": [17],
        "instructions": "Pick.",
        "type": "single_choice",
        "question": "Which?",
        "options": [{"id": "a", "label": "A"}, {"id": "b", "label": "B"}],
    }
    p = _write(tmp_path, "q", {**base, "reference": {"rule": "screening.guess"}})
    with pytest.raises(DataFileError) as e:
        load_exercise(p)
    assert e.value.field == "reference" and "no rule named 'screening.guess'" in e.value.detail
    bad_args = {"rule": "screening.first_need", "args": {"person": {}}}
    p = _write(tmp_path, "q", {**base, "reference": bad_args})
    with pytest.raises(DataFileError) as e:
        load_exercise(p)
    assert "rule 'screening.first_need'" in e.value.detail


@pytest.mark.parametrize(
    ("where", "value", "field", "said"),
    [
        (("params", "costs", "staff_shift"), True, "params.costs.staff_shift", "true/false"),
        (("params", "costs", "bed"), "0.5", "params.costs.bed", "text '0.5'"),
        (("params", "seeds"), [401, "402"], "params.seeds.1", "a whole number, got text '402'"),
        (("module",), "4", "module", "whole number, got text '4'"),
        (("module",), True, "module", "true/false"),
    ],
)
def test_a_bool_or_text_for_a_number_fails_at_load(tmp_path, where, value, field, said):
    """``true`` or ``"5"`` where a number is expected is not read as 1 or 5: the file and the
    field are named. (An integer for a float is a number.)"""
    data = _raw("m4_staff_the_centre")
    target = data
    for key in where[:-1]:
        target = target[key]
    target[where[-1]] = value
    p = _write(tmp_path, "m4_staff_the_centre", data)
    with pytest.raises(DataFileError) as e:
        load_exercise(p)
    assert e.value.path == str(p) and e.value.field == field, e.value
    assert said in e.value.detail and "expected a" in e.value.detail
    data["params"]["costs"]["staff_shift"] = 1  # an int for a float: accepted
    target[where[-1]] = 4 if where == ("module",) else (1 if where[-1] != "seeds" else [401])
    load_exercise(_write(tmp_path, "m4_staff_the_centre", data))


@pytest.mark.parametrize(
    ("change", "field", "detail"),
    [
        (lambda d: d.pop("title"), "title", "missing: this key is required"),
        (lambda d: d["params"].pop("season"), "params.season", "missing: this key is required"),
        (lambda d: d.update(module=4.5), "module", "expected a whole number, got 4.5"),
        (lambda d: d.update(title=["A", "B"]), "title", "expected text, got a list of 2"),
        (lambda d: d.update(instructions=None), "instructions", "expected text, got nothing"),
        (lambda d: d["params"].update(seeds="401"), "params.seeds", "expected a list, got '401'"),
        (lambda d: d["params"].update(costs=3), "params.costs", "expected a mapping of keys"),
        # a cold trial as the next engineer: pydantic's words for these two remained
        (lambda d: d.update(type="model_desing"), "type", "unknown type 'model_desing': give"),
        (lambda d: d.update(id="M4 staff"), "id", "expected lower-case letters, digits and _"),
    ],
)
def test_a_missing_key_or_a_wrong_type_is_said_in_plain_words(tmp_path, change, field, detail):
    """pydantic's own messages ("Field required", "Input should be a valid integer") said
    neither what to write nor what was given; the file and the dotted field stay named."""
    data = _raw("m4_staff_the_centre")
    change(data)
    p = _write(tmp_path, "m4_staff_the_centre", data)
    with pytest.raises(DataFileError) as e:
        load_exercise(p)
    assert e.value.path == str(p) and e.value.field == field, e.value
    assert e.value.detail.startswith(detail), e.value.detail
    assert "Input should" not in e.value.detail and "Field required" not in e.value.detail
    assert "String should" not in e.value.detail and "Input tag" not in e.value.detail


def test_a_seed_paragraph_beyond_the_note_fails_at_load(tmp_path):
    """MC/INF/294 has SEED_PARAGRAPHS numbered paragraphs, said once (mixedflows.course); a
    course file citing one beyond is refused, naming the field."""
    import re

    from mixedflows.course import SEED_PARAGRAPHS

    seed = next((ROOT.parent / "shared" / "seeds").glob("002_*"), None)
    if seed is not None:  # the seed document, where it is at hand
        numbers = re.findall(r"(?m)^\s*(\d{1,2})\.\s", seed.read_text(encoding="utf-8"))
        assert max(int(n) for n in numbers) == SEED_PARAGRAPHS
    data = _raw("m4_staff_the_centre")
    data["seed_paragraphs"] = [16, SEED_PARAGRAPHS + 1]
    p = _write(tmp_path, "m4_staff_the_centre", data)
    with pytest.raises(DataFileError) as e:
        load_exercise(p)
    assert e.value.field == "seed_paragraphs.1" and str(SEED_PARAGRAPHS) in e.value.detail
    data["seed_paragraphs"] = [16, SEED_PARAGRAPHS]
    load_exercise(_write(tmp_path, "m4_staff_the_centre", data))
    # No course-file format bounds its paragraphs by a number of its own, or not at all.
    src = ROOT / "src" / "mixedflows"
    loose = [
        str(f.relative_to(src))
        for f in src.rglob("*.py")
        if re.search(r"seed_paragraphs: (Annotated\[)?tuple\[int", f.read_text("utf-8"))
        and "widgets" not in f.parts
    ]
    assert loose == []


def test_an_exercise_title_read_alone_is_the_validated_one():
    """The facilitator's debrief picker reads exercises' titles without validating each file
    (issue 13: 0.15-0.21 s of the dashboard kernel's CPU before its first view): for every
    exercise of the course, the title read alone is the title :func:`load_exercise` gives."""
    from mixedflows.exercises import exercise_title

    ids = list_exercises()
    assert len(ids) > 20
    for ex_id in ids:
        assert exercise_title(ex_id) == load_exercise(ex_id).title, ex_id


def test_an_exercise_title_that_is_not_text_is_reported_as_loading_reports_it(
    tmp_path, monkeypatch
):
    """A title that is not a string is not passed on as one: the error names the file and
    the field, as loading the exercise does."""
    import pytest

    from mixedflows import paths
    from mixedflows.errors import DataFileError
    from mixedflows.exercises import exercise_title

    (tmp_path / "m1_bad.yaml").write_text(
        "id: m1_bad\ntype: cohort_classification\ntitle: [1, 2]\n"
    )
    monkeypatch.setattr(paths, "exercises_dir", lambda: tmp_path)
    with pytest.raises(DataFileError) as e:
        exercise_title("m1_bad")
    assert "m1_bad.yaml" in str(e.value) and "title" in str(e.value)


ASKS_ASYLUM = {
    "age": 30,
    "sex": "female",
    "nationality": "Eritrea",
    "fled_conflict": True,
    "requests_asylum": True,
}


def _choice(**over) -> dict:
    base = {
        "id": "q",
        "title": "Q",
        "module": 1,
        "seed_paragraphs": [17],
        "instructions": "Pick.",
        "type": "single_choice",
        "question": "Which first?",
        "options": [
            {"id": "asylum_information", "label": "Information on asylum"},
            {"id": "family_tracing", "label": "Family tracing"},
        ],
        "reference": {"rule": "screening.first_need", "args": {"case": ASKS_ASYLUM}},
    }
    return {**base, **over}


def test_a_reference_the_rule_cannot_derive_fails_at_load_not_at_submit(tmp_path):
    """A cold trial (issue 12): a fact misspelled in a rule's arguments loaded, and the
    learner's Submit met "Something went wrong on our side"; an answer not among the options
    loaded and graded every answer 0 %; an option id given twice loaded. Each now fails when
    the file is loaded (and so ``./mfl facilitate``'s check of the course files), naming the
    file and the field."""
    load_exercise(_write(tmp_path, "q", _choice()))  # sound: information on asylum first
    case = {**ASKS_ASYLUM, "nationalty": "Eritrea"}
    ref = {"rule": "screening.first_need", "args": {"case": case}}
    with pytest.raises(DataFileError) as e:
        load_exercise(_write(tmp_path, "q", _choice(reference=ref)))
    assert e.value.field == "reference.args" and "nationalty" in e.value.detail
    assert "q.yaml" in str(e.value)
    ref = {"rule": "screening.first_need", "args": {"case": {**ASKS_ASYLUM, "sex": "F"}}}
    with pytest.raises(DataFileError) as e:
        load_exercise(_write(tmp_path, "q", _choice(reference=ref)))
    assert e.value.field == "reference.args" and e.value.detail.startswith(
        "rule 'screening.first_need' cannot derive the answer: sex: Input should be"
    )
    opts = [{"id": "shelter", "label": "Shelter"}, {"id": "legal_counsel", "label": "Legal"}]
    with pytest.raises(DataFileError) as e:
        load_exercise(_write(tmp_path, "q", _choice(options=opts)))
    assert e.value.field == "options" and "asylum_information" in e.value.detail
    assert "not among the options" in e.value.detail
    twice = [{"id": "shelter", "label": "Shelter"}, {"id": "shelter", "label": "Care"}]
    with pytest.raises(DataFileError) as e:
        load_exercise(_write(tmp_path, "q", _choice(options=twice)))
    assert e.value.field.startswith("options") and "given twice" in e.value.detail
