"""A malformed course file met by an app: the page says which file and which field, and the
learner is told nothing they entered is lost (no failed page with no explanation)."""

from __future__ import annotations

from pathlib import Path

import pytest

from mixedflows.widgets.boat import boat_app
from mixedflows.widgets.reception import reception_app
from mixedflows.widgets.screening_desk import desk_app

ROOT = Path(__file__).resolve().parents[1]


def broken_copy(tmp_path: Path, name: str, old: str, new: str) -> Path:
    text = (ROOT / "exercises" / name).read_text(encoding="utf-8")
    assert old in text
    path = tmp_path / name
    path.write_text(text.replace(old, new, 1), encoding="utf-8")
    return path


@pytest.mark.parametrize(
    ("build", "name", "old", "new", "field"),
    [
        (
            boat_app,
            "m1_who_is_in_the_boat.yaml",
            "profile_weight: 0.5",
            "profile_weight: half",
            "profile_weight",
        ),
        (desk_app, "m5_screening_desk.yaml", "module: 5", "module: five", "module"),
        (reception_app, "m4_staff_the_centre.yaml", "module: 4", "modul: 4", "modul"),
    ],
)
def test_a_malformed_exercise_gives_a_message_naming_file_and_field(
    tmp_path, monkeypatch, build, name, old, new, field
):
    monkeypatch.setenv("MIXEDFLOWS_STORE", str(tmp_path / "a.sqlite"))
    path = broken_copy(tmp_path, name, old, new)
    widget = build(str(path))
    text = widget.value
    assert "cannot start" in text and "nothing you entered is lost" in text
    assert name in text and field in text
    assert "Traceback" not in text
    assert str(tmp_path) not in text  # the file's name, not its folders (issue 11.7)


def test_a_good_exercise_still_builds_its_app(tmp_path, monkeypatch):
    monkeypatch.setenv("MIXEDFLOWS_STORE", str(tmp_path / "a.sqlite"))
    assert not hasattr(boat_app(), "value")  # the app itself (a box of widgets), not a message


def test_a_missing_exercise_file_is_said_missing_not_malformed(tmp_path, monkeypatch):
    # A cold trial as the next engineer: a cell naming an exercise with no file was told "a
    # course file is malformed (nope.yaml: file not found)".
    monkeypatch.setenv("MIXEDFLOWS_STORE", str(tmp_path / "a.sqlite"))
    text = boat_app("m1_no_such_exercise").value
    assert "a course file is missing (m1_no_such_exercise.yaml" in text, text
    assert "malformed" not in text and "nothing you entered is lost" in text
