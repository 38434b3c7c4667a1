"""The knowledge check and certificate app in Chromium (issue 15): a learner takes the check
at the start (score shown, answers not), then at the end (feedback and gain), meets the
completion rule, downloads the printable certificate, and its code verifies against the store
the server wrote to. Desktop and phone sizes, axe-core with no critical or serious violation,
offline (a console error or a request off the machine fails the test)."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from a11y import assert_accessible, assert_fits
from harness import PageWatch, wait_attempts, wait_rendered
from test_knowledge_certificate import _full_credit_answers

from mixedflows import certificate, knowledge
from mixedflows.store import Store

pytestmark = pytest.mark.browser

SIZES = {"desktop": {"width": 1280, "height": 1000}, "phone": {"width": 390, "height": 844}}


def _answer(page, answers: dict[str, str]) -> None:
    items = knowledge.check_items()
    for n, item in enumerate(items, 1):
        if item.key in answers:
            label = dict(item.options)[answers[item.key]]
            page.locator(f".mf-q{n}").get_by_label(label, exact=True).check()


def _wait_for(voila, learner: str, ex_id: str) -> list:
    rows = wait_attempts(voila.store, learner=learner, exercise_id=ex_id)
    if rows:
        return rows
    raise AssertionError(f"no {ex_id} attempt of {learner} in the store")


@pytest.mark.parametrize("size", list(SIZES))
def test_check_start_end_and_certificate(voila, chromium, size):
    learner = f"cert-{size}"
    with Store(voila.store) as s:  # the modules done before (graded at 80 %)
        for m in list(certificate.course_exercises())[: certificate.REQUIRED_MODULES]:
            for ex_id in certificate.course_exercises()[m]:
                s.record(learner=learner, exercise_id=ex_id, answer={}, score=0.8, feedback={})
    ctx = chromium.new_context(viewport=SIZES[size], accept_downloads=True)
    page = ctx.new_page()
    watch = PageWatch()
    watch.attach(page)
    try:
        page.goto(voila.app_url("course_check.ipynb", learner=learner), wait_until="commit")
        wait_rendered(page, "button.mf-submit", timeout=240_000)
        assert "check at the start" in page.inner_text(".mf-phase")
        assert_fits(page, size)
        assert_accessible(page)

        right = _full_credit_answers()
        some = dict(list(right.items())[:3])
        _answer(page, some)
        page.click("button.mf-submit")
        page.wait_for_function(
            "document.querySelector('.mf-status').innerText.includes('score at the start')",
            timeout=120_000,
        )
        assert page.inner_text(".mf-feedback").strip() == ""  # no answers shown at the start
        start = _wait_for(voila, learner, knowledge.START)[0]
        assert start.score == pytest.approx(3 / len(right), abs=1e-3)
        page.wait_for_function(
            "document.querySelector('.mf-phase').innerText.includes('check at the end')",
            timeout=60_000,
        )

        _answer(page, right)
        page.click("button.mf-submit")
        page.wait_for_selector(".mf-feedback .mf-score", timeout=120_000)
        gain = round((1 - start.score) * 100)
        assert f"your gain: +{gain} points" in page.inner_text(".mf-status")
        assert "MC/INF/294" in page.inner_text(".mf-feedback")
        assert _wait_for(voila, learner, knowledge.END)[-1].score == 1.0
        page.wait_for_function(
            "document.querySelector('.mf-progress').innerText.includes('You meet it')",
            timeout=60_000,
        )

        page.fill(".mf-print-name input", "Amina Diallo")
        page.click("button.mf-make-certificate")
        page.wait_for_selector("a.mf-download-certificate", timeout=60_000)
        with page.expect_download() as dl:
            page.click("a.mf-download-certificate")
        html = Path(dl.value.path()).read_text("utf-8")
        assert dl.value.suggested_filename.startswith("mixedflows-certificate-Amina-Diallo")
        code = re.search(r'class="code">([A-Z2-7-]+)<', html).group(1)
        assert code in page.inner_text(".mf-cert-status")
        assert "Amina Diallo" in html and f"Pseudonym in the course: {learner}" in html
        assert_fits(page, size)
        assert_accessible(page)
        watch.check()
    finally:
        ctx.close()
    with Store(voila.store) as s:
        result = certificate.verify(s, code)
    print(f"\n[{size}] start {start.score:.0%}, end 100%, certificate {code}: {result.message}")
    assert result.ok and "Amina Diallo" in result.message
