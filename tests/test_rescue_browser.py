"""The rescue-at-sea app in a real browser, at desktop and phone sizes: Voila serves
widgets/rescue_at_sea.ipynb, Chromium chooses a port, the steps on board and who is informed,
then placements and standards; the feedback shows with its sources and the attempts are in the
store. Offline (loopback only; a console error or failed request fails the test), and axe-core
finds no critical or serious violation."""

from __future__ import annotations

import pytest
from a11y import check_screen, serious_violations
from harness import new_page, wait_attempts, wait_rendered

from mixedflows import rescue
from mixedflows.rescue.case import load_rescue

pytestmark = pytest.mark.browser

SIZES = {"desktop": {"width": 1280, "height": 1000}, "phone": {"width": 390, "height": 844}}


def css(text: str) -> str:
    return text.replace("_", "-")


@pytest.mark.parametrize("size", list(SIZES))
def test_rescue_app(voila, chromium, size):
    ctx, page, watch = new_page(chromium, **SIZES[size])
    learner = f"rescue-{size}"
    try:
        page.goto(voila.app_url("rescue_at_sea.ipynb", learner=learner), wait_until="commit")
        wait_rendered(page, "button.mf-rescue-submit", timeout=240_000)
        # No code, nothing wider than the screen (it scrolls down, never sideways), axe clean.
        check_screen(page, size)
        assert "Port Alba" in page.inner_text("body")

        case = load_rescue("rubber_boat_state_a_region")
        ref = rescue.reference(case)
        port = case.port(ref["port"])
        page.get_by_label(f"{port.name} ({port.state}", exact=False).check()
        for k in ref["on_board"]:
            page.check(f".mf-board-{css(k)} input")
        for k in ref["informed"]:
            page.check(f".mf-inform-{css(k)} input")
        page.check(".mf-inform-origin-authorities input")  # a wrong answer on purpose
        page.click("button.mf-rescue-submit")
        page.wait_for_selector(".mf-rescue-feedback .mf-score", timeout=60_000)
        fb = page.inner_text(".mf-rescue-feedback")
        assert "Never" in fb and "Rescue at Sea" in fb and "MC/INF/294" in fb

        # After landing: the page's second step, built when first opened.
        page.get_by_role("button", name="2. After landing").click()
        wait_rendered(page, "button.mf-holding-submit", timeout=120_000)
        assert "512" in page.inner_text("body")
        problems = serious_violations(page)
        assert not problems, "\n".join(problems)
        for rp, pl in zip(case.spec.persons, rescue.placements(case), strict=True):
            label = rescue.PLACEMENTS[pl.allowed[0]]
            page.select_option(f".mf-place-{css(rp.id)} select", label=label)
        for k in rescue.failed_standards(case.spec.facility):
            page.check(f".mf-std-{css(k)} input")
        page.click("button.mf-holding-submit")
        page.wait_for_function(
            "document.querySelector('.mf-holding-feedback').innerText.includes('Score: 100%')",
            timeout=60_000,
        )
        problems = serious_violations(page)  # with the feedback on screen too
        assert not problems, "\n".join(problems)
        watch.check()
    finally:
        ctx.close()

    by_ex = {r.exercise_id: r for r in wait_attempts(voila.store, 2, learner=learner)}
    assert by_ex["m4_holding_standards"].score == 1.0
    assert 0 < by_ex["m4_rescue_decision"].score < 1


def test_the_accessibility_check_can_fail(chromium):
    """The axe helper really runs: an unlabelled select and an image without text are caught."""
    page = chromium.new_page()
    try:
        page.set_content(
            "<html lang='en'><head><title>t</title></head><body><main>"
            "<select><option>a</option></select><img src='data:,'></main></body></html>"
        )
        found = " ".join(serious_violations(page))
        assert "select-name" in found and "image-alt" in found
    finally:
        page.close()
