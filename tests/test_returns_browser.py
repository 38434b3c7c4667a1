"""The module 9 app in a real browser at desktop (1280x800) and phone (390x844) sizes: Voila
serves it, Chromium decides a returnee's case, splits the reintegration budget with the
keyboard (the programme the model finds best) and answers the labour-mobility item; the
feedback shows with its sources; the attempts are in the store. Offline (loopback only; any
console error or failed request fails the test); axe-core finds no critical or serious
violation at any step; nothing is wider than the screen, and every control is visible, inside
the screen's width and not covered (the layout check of tests/a11y.py)."""

from __future__ import annotations

import pytest
from a11y import check_screen
from harness import new_page, wait_attempts, wait_rendered

from mixedflows.exercises import load_exercise
from mixedflows.returns import DECISIONS, decide, load_caseload
from mixedflows.returns.grader import reference_programme

pytestmark = pytest.mark.browser

SIZES = {"desktop": {"width": 1280, "height": 800}, "phone": {"width": 390, "height": 844}}


def wait_text(page, selector: str, text: str, timeout: float = 60_000) -> None:
    page.wait_for_function(
        "([sel, text]) => { const el = document.querySelector(sel);"
        " return el !== null && el.innerText.includes(text); }",
        arg=[selector, text],
        timeout=timeout,
    )


@pytest.mark.parametrize("size", list(SIZES))
def test_return_and_reintegration_app(voila, chromium, size):
    learner = f"returns-{size}"
    ctx, page, watch = new_page(chromium, **SIZES[size])
    try:
        page.goto(
            voila.app_url("return_and_reintegration.ipynb", learner=learner), wait_until="commit"
        )
        wait_rendered(page, ".mf-ret-decision", timeout=240_000)
        check_screen(page, size, layout=True)

        # 1. The return desk: the first person's case as the rules call for it.
        first = load_caseload("return_desk").returnees[0]
        ruling = decide(first)
        assert first.name in page.inner_text(".mf-ret-card")
        page.locator(".mf-ret-decision").get_by_label(
            DECISIONS[ruling.decision], exact=True
        ).check()
        for m in ruling.required:
            page.check(f".mf-ret-m-{m.replace('_', '-')} input")
        wait_text(page, ".mf-ret-progress", "1 of 9")
        page.click(".mf-returns button.mf-submit")
        wait_text(page, ".mf-feedback", "Score: 11%")
        fb = page.inner_text(".mf-feedback")
        assert "Right:" in fb and "MC/INF/294" in fb and "best-interests" in fb
        page.click("button.mf-ret-next")
        second = load_caseload("return_desk").returnees[1]
        wait_text(page, ".mf-ret-card", second.name)
        check_screen(page, size, layout=True)

        # 2. The reintegration programme: the model's best split, with the keyboard.
        page.get_by_role("button", name="2. Reintegration programme").click()
        wait_rendered(page, ".mf-re-jobs .noUi-handle")
        best, _ = reference_programme(load_exercise("m9_reintegration_programme"))
        for m, v in best.items():
            handle = page.locator(f".mf-re-{m} .noUi-handle")
            handle.focus()
            for _ in range(int(v) // 100):
                handle.press("ArrowRight")
        wait_text(page, ".mf-re-live", "Budget left: EUR 0 of 2,000")
        check_screen(page, size, layout=True)
        page.click(".mf-returns button.mf-submit:visible")
        wait_text(page, ".mf-step-body .mf-feedback", "Score: 100%")
        assert "teaching assumptions" in page.inner_text(".mf-step-body .mf-feedback")
        page.click("summary")  # the model's assumptions, each with its source
        assert "teaching assumption, unsourced" in page.inner_text(".mf-re-assumptions-box")
        check_screen(page, size, layout=True)

        # 3. Labour mobility, graded by module 8's model.
        page.get_by_role("button", name="3. Labour mobility").click()
        wait_rendered(page, ".mf-predict-future")
        page.locator(".mf-predict-future").get_by_role("button", name="Goes down").click()
        page.locator(".mf-predict-present").get_by_role(
            "button", name="Stays about the same"
        ).click()
        page.click("button.mf-see")
        wait_text(page, ".mf-step-body .mf-feedback", "Score: 100%")
        assert "¶26" in page.inner_text(".mf-step-body .mf-feedback")
        check_screen(page, size, layout=True)
        watch.check()
    finally:
        ctx.close()
    rows = wait_attempts(voila.store, 3, learner=learner)
    got = {r.exercise_id: r.score for r in rows}
    assert got == {
        "m9_return_decisions": pytest.approx(1 / 9, abs=1e-3),
        "m9_reintegration_programme": 1.0,
        "m9_labour_mobility": 1.0,
    }
