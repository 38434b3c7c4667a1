"""The capstone app in a real browser (Voila on 127.0.0.1, Debian's Chromium, loopback only; a
console error or failed request fails the test), at 1280x800 and 390x844: a choice at stage 1
changes the situation of stage 2 on the page; the season is submitted, graded per stage, and the
debrief really downloads with the learner's choices, hostile text escaped; axe-core finds no
critical or serious violation. On the phone, the season ends with return and reintegration
(module 9) instead of regularization."""

from __future__ import annotations

import re

import pytest
from a11y import assert_fits, check_screen, serious_violations
from harness import new_page, wait_attempts, wait_rendered

from mixedflows.widgets.season import team_learner

pytestmark = pytest.mark.browser

SIZES = {"desktop": {"width": 1280, "height": 800}, "phone": {"width": 390, "height": 844}}
HOSTILE_TEAM = '<img src=x onerror="alert(1)">Quay & Co'


def _people(text: str) -> int:
    return int(re.search(r"About ([\d,]+) people", text).group(1).replace(",", ""))


def _continue(page, stage: str, nxt: str) -> str:
    page.click(f"button.mf-continue-{stage}")
    page.wait_for_selector(f".mf-stage-{nxt}", state="visible", timeout=240_000)
    return page.inner_text(f".mf-situation-{nxt}")


@pytest.mark.parametrize("size", list(SIZES))
def test_season_app(voila, chromium, size, tmp_path):
    ctx, page, watch = new_page(chromium, **SIZES[size], accept_downloads=True)
    learner = f"season-{size}"
    try:
        page.goto(voila.app_url("season_on_the_route.ipynb", learner=learner), wait_until="commit")
        wait_rendered(page, "button.mf-continue-rescue", timeout=240_000)
        check_screen(page, size)
        assert not page.is_visible(".mf-stage-reception")

        # Stage 1 -> stage 2, twice: another port, another situation at the centre.
        page.get_by_label("Port Alba (State A", exact=False).check()
        alba = _continue(page, "rescue", "reception")
        page.get_by_label("Port Fiora (State F", exact=False).check()
        page.wait_for_selector(".mf-stage-reception", state="hidden", timeout=60_000)
        fiora = _continue(page, "rescue", "reception")
        assert _people(fiora) < _people(alba), (alba, fiora)
        assert "Port Fiora" in page.inner_text(".mf-follows-rescue")
        # The stages' look comes from styles.css (issue 12: it was the page's own <style>).
        look = page.eval_on_selector(
            ".mf-follows-rescue", "e => [getComputedStyle(e.closest('.mf-stage')).borderLeftWidth,"
            " getComputedStyle(e).backgroundColor]"
        )  # fmt: skip
        assert look == ["4px", "rgb(243, 246, 249)"], look

        if size == "desktop":
            page.click(".mf-season-mode button:has-text('As a team')")
            page.fill(".mf-season-team input", HOSTILE_TEAM)
        _continue(page, "reception", "screening")
        _continue(page, "screening", "postarrival")
        _continue(page, "postarrival", "policy")
        if size == "phone":  # the other policy: return and reintegration (module 9)
            page.get_by_label("Return and reintegration (module 9)").check()
            page.wait_for_selector(".mf-policy-return", state="visible", timeout=60_000)
            page.locator(".mf-return-safeguards input").check()
            page.fill(".mf-return-jobs input", "800")
            page.press(".mf-return-jobs input", "Tab")
            page.wait_for_timeout(500)
        assert_fits(page, f"{size}, the open stages")
        page.click("button.mf-season-submit")
        # The feedback is rendered last: once it shows, the download link is there too.
        page.wait_for_selector(".mf-feedback .mf-score", timeout=240_000)
        assert page.is_visible(".mf-season-download a.mf-debrief-download")
        fb = page.inner_text(".mf-feedback")
        for n in range(1, 6):
            assert f"{n}. " in fb
        assert "MC/INF/294" in fb
        if size == "phone":
            assert "No one returned before the safeguard" in fb and "module 9's model" in fb
        problems = serious_violations(page)  # with the feedback and the download on screen
        assert not problems, "\n".join(problems)

        with page.expect_download() as dl:
            page.click("a.mf-debrief-download")
        path = tmp_path / dl.value.suggested_filename
        dl.value.save_as(path)
        report = path.read_text(encoding="utf-8")
        assert "Port: Port Fiora (State F" in report
        assert "5. A policy for those left without a status" in report
        if size == "desktop":
            assert "<img" not in report
            assert "&lt;img src=x onerror=&quot;alert(1)&quot;&gt;Quay &amp; Co" in report
        watch.check()
    finally:
        ctx.close()

    who = team_learner(HOSTILE_TEAM) if size == "desktop" else learner
    rows = wait_attempts(voila.store, learner=who, exercise_id="m11_season_on_the_route")
    assert len(rows) == 1 and rows[0].answer["rescue"]["port"] == "fiora"
    if size == "phone":
        policy = rows[0].answer["policy"]
        assert policy["kind"] == "return_reintegration" and policy["safeguards"] is True
        assert policy["programme"]["jobs"] == 800
