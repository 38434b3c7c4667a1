"""Module 10's mapping exercise "who does what" as its own Voila app
(``widgets/who_does_what.ipynb``), in Chromium on a real Voila, at desktop and phone sizes:
every task's dropdown is answered (one with an actor that only shares the task per
datasets/cooperation/tasks.csv, one with an actor that neither leads nor shares it, the rest
with the lead), Submit shows the grade the rules give, the store holds one attempt with that
grade and the LMS export says the same. Offline (any console error or failed request
fails the test), and axe-core finds no critical or serious violation."""

from __future__ import annotations

import csv
import io

import pytest
from a11y import check_screen, serious_violations
from harness import open_app, wait_attempts

from mixedflows import facilitator as fac
from mixedflows.cooperation import mandates as md
from mixedflows.exercises import load_exercise

pytestmark = pytest.mark.browser

APP = "who_does_what.ipynb"
EXERCISE = "m10_who_does_what"
SIZES = {"desktop": {"width": 1280, "height": 1000}, "phone": {"width": 390, "height": 844}}


def _answer() -> dict[str, str]:
    """The lead for every task but two: a sharing actor for the first task that has one, and
    for another task an actor that neither leads nor shares it (all from tasks.csv)."""
    tasks = md.asked(load_exercise(EXERCISE).params)
    answer = {t.id: t.lead for t in tasks}
    shared = next(t for t in tasks if t.also)
    answer[shared.id] = shared.also[0]
    other = next(t for t in tasks if t.id != shared.id)
    answer[other.id] = next(a for a in md.actors() if a != other.lead and a not in other.also)
    return answer


def _select(page, task_id: str) -> str:
    return f".mf-task-{task_id.replace('_', '-')} select"


@pytest.mark.parametrize("size", list(SIZES))
def test_who_does_what_app(voila, chromium, size):
    learner = f"mapping-{size}"
    ex = load_exercise(EXERCISE)
    answer = _answer()
    actors = md.actors()
    expected = md.grade_mapping(ex, answer)
    assert 0 < expected.score < 1  # a grade that tells right from wrong
    pct = f"{round(expected.score * 100)}%"
    ctx, page, watch = open_app(
        chromium, voila, APP, "button.mf-submit", learner=learner, viewport=SIZES[size]
    )
    try:
        check_screen(page, size)
        for task_id, actor in answer.items():
            page.select_option(_select(page, task_id), label=actors[actor].actor)
        page.click("button.mf-submit")
        # The status line is written before the feedback (two messages): wait for both.
        page.wait_for_function(
            "p => document.querySelector('.mf-status').innerText.includes(p)"
            " && document.querySelector('.mf-feedback').innerText.includes('MC/INF/294')",
            arg=pct,
            timeout=60_000,
        )
        feedback = page.inner_text(".mf-feedback")
        assert "MC/INF/294" in feedback
        shared = next(t for t in md.asked(ex.params) if answer[t.id] in t.also)
        assert f"{actors[answer[shared.id]].actor} shares this work" in feedback
        assert not serious_violations(page)
        watch.check()
    finally:
        ctx.close()
    (attempt,) = wait_attempts(voila.store, learner=learner)
    assert attempt.exercise_id == EXERCISE and attempt.answer == answer
    assert abs(attempt.score - expected.score) < 1e-9 and attempt.grade_shown == pct
    rows = list(csv.DictReader(io.StringIO(fac.lms_csv([attempt]))))
    assert [(r["participant"], f"{r['grade_pct']}%") for r in rows] == [(learner, pct)]
