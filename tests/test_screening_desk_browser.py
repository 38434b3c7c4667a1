"""The screening desk in a real browser: Voila serves the app, Chromium interviews, marks,
refers and submits; the feedback and the session score show; the attempts are in the store.
Offline: only loopback is reachable, and any console error or failed request fails the test."""

from __future__ import annotations

import pytest
from harness import wait_attempts, wait_rendered

from mixedflows import trafficking
from mixedflows.cases import desk_queue
from mixedflows.exercises import load_exercise
from mixedflows.profiles import Need
from mixedflows.screening import screen
from mixedflows.widgets.screening_desk import indicator_groups

pytestmark = pytest.mark.browser


def css(text: str) -> str:
    return text.replace(".", "-").replace("_", "-")


def refer(page, needs) -> None:
    for k, need in enumerate(needs, start=1):
        page.select_option(f".mf-rank-{css(need.value)} select", label=str(k))


def test_interview_mark_refer_and_score(voila, page):
    ex = load_exercise("m5_screening_desk")
    params = ex.params
    queue = desk_queue(params.cases, params.scenario, params.seed, params.generated)
    first = queue[0].person
    blessing_at = next(i for i, cf in enumerate(queue) if cf.person.name == "Blessing O.")
    blessing = queue[blessing_at].person

    page.goto(voila.app_url("screening_desk.ipynb", learner="desk-tester"))
    wait_rendered(page, "button.mf-desk-submit")
    body = page.inner_text("body")
    assert "def " not in body and "import " not in body  # no code on screen
    assert first.name in page.inner_text(".mf-desk-card")
    assert "secondary" in body  # the trafficking caveat is on the page

    # An interview, not a form: the answer appears only once the question is asked.
    assert "national service" not in page.inner_text(".mf-transcript")
    page.click("button.mf-ask-reasons")
    page.wait_for_function(
        "document.querySelector('.mf-transcript').innerText.includes('national service')"
    )

    # Refer exactly as the rules do, submit, read the feedback and the session score.
    refer(page, screen(first).needs)
    page.click("button.mf-desk-submit")
    page.wait_for_selector(".mf-desk-feedback .mf-score", timeout=30_000)
    feedback = page.inner_text(".mf-desk-feedback")
    assert "Score: 100%" in feedback and "MC/INF/294" in feedback
    assert "Welfare first" in feedback  # asked about reasons before care: the note says so
    assert "1 of" in page.inner_text(".mf-desk-score")

    # Another file: mark indicators and see the dimensions they make positive.
    page.select_option(".mf-desk-queue select", index=blessing_at)
    page.wait_for_function(
        f"document.querySelector('.mf-desk-card').innerText.includes({blessing.name!r})"
    )
    # One checkbox per indicator, in its dimension's box: a tap or Space marks it.
    table = trafficking.observations()
    for i in blessing.trafficking_indicators:
        page.check(f".mf-dim-{table[i].dimension} .mf-ind-{css(i)} input")
    page.wait_for_function(
        "document.querySelector('.mf-desk-dims').innerText.includes("
        "'indications warranting referral.')"
    )
    dims = page.inner_text(".mf-desk-dims")
    # The indicators are one widget: a fieldset per dimension, named by its legend.
    legends = page.eval_on_selector_all(
        ".mf-desk-marks fieldset.mf-dim-box > legend", "ls => ls.map(l => l.textContent)"
    )
    assert legends == [g["title"] for g in indicator_groups()]
    assert "await transcription" in dims  # sexual exploitation: Palermo only, never the labour list
    refer(page, [screen(blessing).needs[-1]])  # counselling only: a wrong answer on purpose
    page.click("button.mf-desk-submit")
    page.wait_for_function(
        "document.querySelector('.mf-desk-score').innerText.includes('2 of')", timeout=30_000
    )
    feedback = page.inner_text(".mf-desk-feedback")
    assert "Missed" in feedback and "formal identification" in feedback
    assert "Palermo elements shown: act:" in feedback  # what the referral rests on
    assert "Counselling never replaces a referral" in feedback  # the hard constraint broken
    assert "score 100%" not in page.inner_text(".mf-desk-score")

    # Tesfay, held for ransom: referred for trafficking by the learner, the feedback names the
    # element that is missing and what would change it.
    tesfay_at = next(i for i, cf in enumerate(queue) if cf.person.name == "Tesfay W.")
    page.select_option(".mf-desk-queue select", index=tesfay_at)
    page.wait_for_function(
        "document.querySelector('.mf-desk-card').innerText.includes('Tesfay W.')"
    )
    # Another file's ticks are its own: the widget redraws them from the kernel.
    page.wait_for_function("document.querySelectorAll('.mf-desk-marks input:checked').length === 0")
    refer(page, [Need.TRAFFICKING_REFERRAL, Need.SPECIFIC_NEEDS, Need.COUNSELLING])
    page.click("button.mf-desk-submit")
    page.wait_for_function(
        "document.querySelector('.mf-desk-score').innerText.includes('3 of')", timeout=30_000
    )
    feedback = page.inner_text(".mf-desk-feedback")
    assert "Not called for" in feedback and "missing the purpose" in feedback
    assert "What would change it" in feedback
    # Back to Blessing: her ticks come back.
    page.select_option(".mf-desk-queue select", index=blessing_at)
    page.wait_for_function(
        "(n) => document.querySelectorAll('.mf-desk-marks input:checked').length === n",
        arg=len(blessing.trafficking_indicators),
    )
    page.watch.check()

    rows = wait_attempts(voila.store, 3, learner="desk-tester", exercise_id=ex.id)
    assert len(rows) == 3
    by_person = {r.answer["person_id"]: r for r in rows}
    assert by_person[first.person_id].score == 1.0
    assert by_person[first.person_id].answer["asked"] == ["reasons"]
    assert sorted(by_person[blessing.person_id].answer["indicators"]) == sorted(
        blessing.trafficking_indicators
    )
    assert 0 < by_person[blessing.person_id].score < 1


def test_the_places_fit_their_rows_on_a_phone(voila, page):
    """A cold learner trial at 390x844: each referral's place (its dropdown) ran 10 px past
    its row, the arrow cut off and the label scrolled by a letter after a focus."""
    page.set_viewport_size({"width": 390, "height": 844})
    page.goto(voila.app_url("screening_desk.ipynb", learner="desk-phone"))
    wait_rendered(page, "button.mf-desk-submit")
    rows = page.evaluate(
        """() => [...document.querySelectorAll('.mf-rank-row')].map(r => {
            const s = r.querySelector('select').getBoundingClientRect();
            const l = r.querySelector('label');
            return [s.right - r.getBoundingClientRect().right, l.scrollWidth - l.clientWidth];
        })"""
    )
    assert len(rows) >= 7
    assert all(past <= 1 and scrolled <= 1 for past, scrolled in rows), rows
