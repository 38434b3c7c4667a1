"""The policy lab in a real browser: Voila serves widgets/policy_lab.ipynb, Chromium moves
levers, and the outcomes shown change. Offline: only loopback is reachable, and the charts
(alt.JupyterChart, offline) must load without a CDN."""

from __future__ import annotations

import pytest
from harness import wait_rendered

from mixedflows.regularization import run

pytestmark = pytest.mark.browser

ROW = ".mf-outcomes .mf-out-{key} .mf-reform"


def cell(page, key: str) -> str:
    return page.inner_text(ROW.format(key=key)).strip()


def wait_change(page, key: str, old: str, timeout: float = 30_000) -> str:
    page.wait_for_function(
        "([sel, old]) => { const e = document.querySelector(sel);"
        " return e && e.innerText.trim() !== old; }",
        arg=[ROW.format(key=key), old],
        timeout=timeout,
    )
    return cell(page, key)


def test_moving_a_lever_changes_the_outcomes_shown(voila, page):
    # Voila runs the notebook before the page completes: wait for the app, not for "load"
    # (the machine may be busy; altair and vl-convert's offline bundle take a while cold).
    page.goto(voila.app_url("policy_lab.ipynb", learner="tester-lab"), wait_until="commit")
    # The app opens on module 8's first exercise; the lab is its second step.
    wait_rendered(page, ".mf-steps button", timeout=240_000)
    page.get_by_role("button", name="2. Explore the lab").click()
    wait_rendered(page, ".mf-outcomes .mf-out-months_to_clear", timeout=240_000)
    page.wait_for_selector(".mf-charts canvas, .mf-charts svg", timeout=120_000)
    assert "def " not in page.inner_text("body")  # no code on screen
    base = run("spain_2005")
    assert cell(page, "months_to_clear") == f"{base.months_to_clear:.1f} months"
    assert "Migration News" in page.inner_text(".mf-evidence")  # sources beside the numbers
    charts_before = page.locator(".mf-charts").screenshot()

    # A slider: type a new staff number into its readout, as a learner can.
    # (the value shown before is read before acting: the reply may come back at once)
    months_before = cell(page, "months_to_clear")
    readout = page.locator(".mf-lever-staff .widget-readout")
    readout.fill("300")  # focuses the editable readout and replaces its text
    readout.press("Enter")
    months = wait_change(page, "months_to_clear", months_before)
    assert months == f"{run('spain_2005', {'staff': 300}).months_to_clear:.1f} months"

    # A checkbox: legal labour channels lower the upper end of the contested pull range.
    pull_before = cell(page, "pull")
    page.click(".mf-lever-legal_channels input")
    pull = wait_change(page, "pull", pull_before)
    expected = run("spain_2005", {"staff": 300, "legal_channels": True}).pull
    assert pull == expected.text() and "contested" in pull

    # The charts were redrawn from the new spec.
    page.wait_for_timeout(500)
    assert page.locator(".mf-charts").screenshot() != charts_before
    page.watch.check()
