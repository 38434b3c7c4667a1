"""Rate and size (issue 11, point 9): no limit on submissions (20 clients made 623 in 2 s); a
1 MB reflection was cut to 20,000 characters and the dashboard then showed the prompt instead of
the learner's text. Now: a stated maximum refused before grading, a per-kernel rate with a
message, and an answer the store cut (before the maximum existed) shown as cut."""

from __future__ import annotations

import json
import time

import pytest
from harness import apps_root, voila_server, wait_rendered

from mixedflows import facilitator as fac
from mixedflows.exercises import load_exercise
from mixedflows.facilitator.misconceptions import CUT_NOTE
from mixedflows.grading import MAX_ANSWER_CHARS, MAX_TEXT_CHARS, SubmissionRefusedError, grade
from mixedflows.store import Attempt, Store
from mixedflows.widgets import common


def test_an_answer_over_the_maximum_is_refused_before_grading(monkeypatch):
    ex = load_exercise("m1_who_is_in_the_boat")
    graded = []
    monkeypatch.setattr("mixedflows.grading.grade_cohort", lambda *a, **k: graded.append(1) or None)
    huge = {"p1": {"profiles": ["x" * (MAX_ANSWER_CHARS + 1)], "first_need": None}}
    with pytest.raises(SubmissionRefusedError, match=f"{MAX_ANSWER_CHARS:,}"):
        grade(ex, huge)
    assert graded == []  # refused before the grader ran
    grade(ex, {"p1": {"profiles": [], "first_need": None}})
    assert graded == [1]


def test_the_rate_of_one_kernel_is_limited(monkeypatch, tmp_path):
    """20 submissions at once through a page's Recorder: 6 taken, 14 refused with a message
    saying when to try again; later, one more is taken per 2 s."""
    clock = [1000.0]
    monkeypatch.setattr(common.time, "monotonic", lambda: clock[0])
    monkeypatch.setattr(common, "SUBMISSIONS", common.SubmitRate(6, 2.0))
    store = Store(str(tmp_path / "a.sqlite"))
    rec = common.Recorder(store=store, learner="fast", session="s")
    taken, refused = 0, []
    for i in range(20):
        try:
            rec.admit({"i": i})
        except SubmissionRefusedError as e:
            refused.append(str(e))
            continue
        rec.record("ex", {"i": i}, None, feedback={})
        taken += 1
    print(f"20 at once: {taken} recorded, {len(refused)} refused; store holds {store.count()}")
    assert (taken, len(refused), store.count()) == (6, 14, 6)
    assert "not graded or recorded" in refused[0] and "2 s" in refused[0]
    clock[0] += 4.1
    rec.admit({"i": 20})
    rec.admit({"i": 21})
    with pytest.raises(SubmissionRefusedError):
        rec.admit({"i": 22})
    # record() without admit() counts too (an app that records without grading)
    clock[0] += 10
    for i in range(6):
        rec.record("reflection", {"text": str(i)}, None, feedback={})
    with pytest.raises(SubmissionRefusedError):
        rec.record("reflection", {"text": "7"}, None, feedback={})


def test_record_refuses_an_answer_over_the_maximum(tmp_path, monkeypatch):
    monkeypatch.setattr(common, "SUBMISSIONS", common.SubmitRate())
    store = Store(str(tmp_path / "a.sqlite"))
    rec = common.Recorder(store=store, learner="k", session="s")
    with pytest.raises(SubmissionRefusedError):
        rec.record("ex", {"text": "y" * (MAX_ANSWER_CHARS + 10)}, None, feedback={})
    assert store.count() == 0


def test_a_cut_answer_shows_the_learners_text_marked_as_cut():
    text = 'Regularization "works" when\nthe window is long; é ' * 1500
    stored = json.dumps({"prompt": "Which trade-off matters most?", "text": text})
    cut = {"truncated": True, "text": stored[:20_000]}
    a = Attempt(1, "amina", "s", "policy_reflection", cut, None, {}, "2026-01-01T00:00:00Z")
    shown = fac.reflections([a]).iloc[0]["text"]
    assert shown.startswith('Regularization "works" when\nthe window')
    assert "Which trade-off" not in shown  # not the prompt
    assert shown.endswith(CUT_NOTE)
    assert text.startswith(shown.removesuffix(CUT_NOTE))


REFLECTION_APP = """
from mixedflows.widgets.policy_lab import reflection
reflection()
"""


@pytest.mark.browser
def test_in_chromium_a_flood_of_clicks_and_a_megabyte_of_text(tmp_path, page):
    """The module 1 app clicked 20 times at once records at most the burst (and what the rate
    refills meanwhile) and says why the rest were not taken; a 1 MB reflection is refused with
    the stated maximum, and a short one is recorded whole."""
    import nbformat

    root = apps_root(tmp_path / "apps")
    nb = nbformat.v4.new_notebook()
    nb.cells = [nbformat.v4.new_code_cell(REFLECTION_APP)]
    nb.metadata["kernelspec"] = {
        "name": "python3",
        "display_name": "Python 3",
        "language": "python",
    }
    nbformat.write(nb, root / "reflection.ipynb")
    with voila_server(tmp_path / "a.sqlite", root=root) as server:
        page.goto(server.app_url("who_is_in_the_boat.ipynb", learner="flood", session="s9"))
        wait_rendered(page, "button.mf-submit")
        page.click(".mf-profile-economic input")
        page.select_option(".mf-first-need select", index=1)  # answered: a first need
        t0 = time.monotonic()
        page.evaluate(
            "() => { const b = document.querySelector('button.mf-submit');"
            " for (let i = 0; i < 20; i++) b.click(); }"
        )
        page.wait_for_selector(".mf-msg:has-text('faster than the feedback')", timeout=60_000)
        time.sleep(3)
        elapsed = time.monotonic() - t0
        stored = len(Store(str(server.store)).attempts(learner="flood"))
        print(f"20 clicks at once: {stored} recorded in {elapsed:.1f} s (burst 6, +1 per 2 s)")
        assert 1 <= stored <= 6 + int(elapsed / 2) + 1

        page.watch.check()


@pytest.mark.browser
def test_in_chromium_a_megabyte_reflection_is_refused_whole(tmp_path, page):
    """A 1 MB reflection is refused with the stated maximum (not cut, not recorded); a short
    one is recorded whole."""
    import nbformat

    root = tmp_path / "apps"
    root.mkdir()
    nb = nbformat.v4.new_notebook()
    nb.cells = [nbformat.v4.new_code_cell(REFLECTION_APP)]
    nb.metadata["kernelspec"] = {
        "name": "python3",
        "display_name": "Python 3",
        "language": "python",
    }
    nbformat.write(nb, root / "reflection.ipynb")
    with voila_server(tmp_path / "a.sqlite", root=root) as server:
        page.goto(
            server.app_url("reflection.ipynb", learner="writer", session="s9"),
            wait_until="commit",
        )
        wait_rendered(page, ".mf-reflection textarea")
        page.fill(".mf-reflection textarea", "a" * 1_000_000)
        page.click("button.mf-send")
        page.wait_for_selector(".mf-msg:has-text('characters long')", timeout=60_000)
        said = page.inner_text(".mf-msg")
        print(f"1 MB reflection: {said!r}")
        assert f"{MAX_TEXT_CHARS:,}" in said and "nothing was sent" in said
        assert Store(str(server.store)).attempts(learner="writer") == []
        page.fill(".mf-reflection textarea", "Long windows reach more people. " * 20)
        page.click("button.mf-send")
        page.wait_for_selector(".mf-msg:has-text('Sent to the facilitator')", timeout=60_000)
        rows = Store(str(server.store)).attempts(learner="writer")
        assert len(rows) == 1 and rows[0].answer["text"].startswith("Long windows")
        page.watch.check()
