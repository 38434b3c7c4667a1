"""Which attempt counts, said as the gradebook computes it (issue 13 point 5: module 5 said "your
last attempt at each file" counts while the gradebook and the LMS export take the best). The
sentence is generated from the gradebook's rule (``gradebook.attempt_rule``) and added to every
exercise's instructions when it is loaded; no exercise file states a rule of its own."""

from __future__ import annotations

import re

import pytest

from mixedflows.exercises import list_exercises, load_exercise
from mixedflows.gradebook import Graded, attempt_rule, exercise_grade, parts_of
from mixedflows.paths import exercises_dir

EXERCISES = list_exercises()


@pytest.mark.parametrize("exercise_id", EXERCISES)
def test_the_instructions_say_which_attempt_counts_as_the_gradebook_computes_it(exercise_id):
    ex = load_exercise(exercise_id)
    rule = attempt_rule(ex)
    assert ex.instructions.endswith(rule)
    assert ex.instructions.count("attempt counts") == 1
    text = " ".join(ex.instructions.split()).lower()
    assert "last attempt at each" not in text and "average of your" not in text
    # The gradebook on a better attempt followed by a worse one: the best counts.
    parts = parts_of(ex)
    if parts:
        first, then = Graded(1.0, part="p1"), Graded(0.25, part="p1")
        grade = exercise_grade([first, then], parts)
        assert grade.score == pytest.approx(1.0 / parts)  # one file of all, at its best
        assert "best attempt" in rule and "counts as 0" in rule
    else:
        grade = exercise_grade([Graded(1.0), Graded(0.25)])
        assert grade.score == 1.0
        assert "best attempt" in rule and "total" not in rule


@pytest.mark.parametrize("exercise_id", EXERCISES)
def test_no_exercise_file_states_its_own_rule(exercise_id):
    """The rule is said once, from the gradebook; a file that says it too could say it wrong."""
    raw = (exercises_dir() / f"{exercise_id}.yaml").read_text(encoding="utf-8").lower()
    raw = " ".join(raw.split())
    for phrase in (
        "attempt counts",
        "last attempt at each",
        "your grade is your best",
        "average of your last",
    ):
        assert phrase not in raw, phrase
    assert not re.search(r"session score is", raw)
