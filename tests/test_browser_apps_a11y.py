"""Every app as a learner meets it, in Chromium on a real Voila (issue 13): axe-core finds no
critical or serious WCAG 2.1 A/AA violation on any app, the join page or the dashboard; at a
phone's 390x844 and a tablet's 768x1024 every interactive element is visible, inside the
screen's width and not covered by another element (bounding boxes and elementFromPoint), with a
screenshot of each saved under tests/artifacts/ (not committed); the boat app is completed with
the keyboard only, and its draft comes back after a reload.

One Voila server with a facilitated session and one browser serve the whole module."""

from __future__ import annotations

from pathlib import Path

import pytest
from a11y import layout_problems, overflow, serious_violations
from harness import new_page, voila_server, wait_attempts, wait_rendered

from mixedflows.server.serve import ClassSession
from mixedflows.store import Store

pytestmark = pytest.mark.browser

ARTIFACTS = Path(__file__).parent / "artifacts"
APPS = {
    # notebook: the selector that says the app is ready
    "who_is_in_the_boat.ipynb": "button.mf-submit",
    "screening_desk.ipynb": "button.mf-desk-submit",
    "reception_centre.ipynb": ".mf-occupancy-chart svg",
    "policy_lab.ipynb": "button.mf-see",
    "cooperation_roles.ipynb": "button.mf-take-role",
    "who_does_what.ipynb": "button.mf-submit",
    "words_of_a_mixed_flow.ipynb": "button.mf-submit",
}
SIZES = {"phone": (390, 844), "tablet": (768, 1024)}


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    session = ClassSession(code="a11y", pool=0, max_kernels=40)
    store = tmp_path_factory.mktemp("a11y") / "attempts.sqlite"
    with voila_server(store, session=session) as srv:
        yield srv


@pytest.mark.parametrize("app", list(APPS))
def test_each_app_accessible_and_usable_on_a_phone_and_a_tablet(server, chromium, app):
    ARTIFACTS.mkdir(exist_ok=True)
    ctx, page, watch = new_page(chromium)
    try:
        page.goto(server.app_url(app, learner=f"a11y-{app[:6]}"), wait_until="commit")
        wait_rendered(page, APPS[app], timeout=240_000)
        page.wait_for_timeout(500)  # the naming script runs on the next frame
        problems = serious_violations(page)
        assert not problems, f"{app}:\n" + "\n".join(problems)
        for label, (width, height) in SIZES.items():
            page.set_viewport_size({"width": width, "height": height})
            page.wait_for_timeout(400)
            wider = overflow(page)
            page.screenshot(path=str(ARTIFACTS / f"{app[:-6]}-{label}.png"), full_page=True)
            bad = layout_problems(page)
            assert wider <= 1 and not bad, (
                f"{app} at {width}x{height}: page {wider}px wider than the screen\n"
                + "\n".join(bad)
            )
        watch.check()
    finally:
        ctx.close()


@pytest.mark.parametrize(
    ("app", "ready", "clicks", "shown"),
    [
        # the desk's asked question turns "info"; the boat's "Yes, another boat" is "warning"
        ("screening_desk.ipynb", "button.mf-desk-submit", ["button.mf-ask-health"], None),
        (
            "who_is_in_the_boat.ipynb",
            "button.mf-submit",
            [".mf-profile-protection input", "button.mf-another"],
            "button.mf-confirm-yes",
        ),
    ],
)
def test_coloured_buttons_meet_the_contrast_minimum(server, chromium, app, ready, clicks, shown):
    """A cold trial's axe run after asking the desk's first question: white on JupyterLab's
    info colour is 3.5:1 (serious, WCAG 1.4.3); its warning colour 2.9:1."""
    ctx, page, watch = new_page(chromium)
    try:
        page.goto(server.app_url(app, learner=f"a11y-colour-{app[:6]}"), wait_until="commit")
        wait_rendered(page, ready, timeout=240_000)
        for sel in clicks:
            page.locator(sel).first.click()
        if shown:
            wait_rendered(page, shown)
        page.wait_for_timeout(500)
        coloured = page.locator(".jupyter-button.mod-info, .jupyter-button.mod-warning")
        assert coloured.count() >= 1  # the state whose colours are checked is shown
        problems = serious_violations(page)
        assert not problems, f"{app}:\n" + "\n".join(problems)
        watch.check()
    finally:
        ctx.close()


def test_join_page_and_dashboard_accessible(server, chromium):
    ctx, page, watch = new_page(chromium)
    try:
        page.goto(f"{server.url}/join?session=a11y")
        page.wait_for_selector("input:not([type=hidden]), button", timeout=60_000)
        problems = serious_violations(page)
        assert not problems, "join page:\n" + "\n".join(problems)
        for label, (width, height) in SIZES.items():
            page.set_viewport_size({"width": width, "height": height})
            page.screenshot(path=str(ARTIFACTS / f"join-{label}.png"), full_page=True)
        token = server.session.token
        page.set_viewport_size({"width": 1280, "height": 1000})
        page.goto(
            server.app_url("facilitator_dashboard.ipynb", facilitator=token, session="a11y"),
            wait_until="commit",
        )
        wait_rendered(page, ".mf-dash", timeout=240_000)
        page.wait_for_selector(".mf-debrief-room table", timeout=60_000)
        page.wait_for_selector(".mf-seat-release", timeout=60_000)
        page.wait_for_timeout(800)
        problems = serious_violations(page)
        assert not problems, "dashboard:\n" + "\n".join(problems)
        # The debriefs panel's question, open: its confirm and cancel buttons too.
        page.click(".mf-debrief-ask button, button.mf-debrief-ask")
        page.wait_for_selector(".mf-debrief-question .mf-msg", timeout=30_000)
        page.wait_for_timeout(400)
        problems = serious_violations(page)
        assert not problems, "dashboard, a debrief's confirmation:\n" + "\n".join(problems)
        page.screenshot(path=str(ARTIFACTS / "dashboard-desktop.png"), full_page=True)
        watch.check()
    finally:
        ctx.close()


def test_boat_with_the_keyboard_only_and_its_draft_after_a_reload(server, chromium):
    """Answer one person and submit without the mouse: Tab to a control, Space ticks a box,
    arrow keys choose in a dropdown, Enter presses a button. A reload brings the answer back."""
    ctx, page, watch = new_page(chromium, *SIZES["phone"])
    learner = "keyboard-1"
    try:
        page.goto(server.app_url("who_is_in_the_boat.ipynb", learner=learner), wait_until="commit")
        wait_rendered(page, "button.mf-submit", timeout=240_000)

        def tab_to(selector: str, limit: int = 80) -> None:
            for _ in range(limit):
                page.keyboard.press("Tab")
                if page.evaluate(
                    "(s) => document.activeElement && document.activeElement.matches(s)", selector
                ):
                    return
            raise AssertionError(f"Tab never reached {selector}")

        tab_to(".mf-profile-smuggled input")
        page.keyboard.press("Space")
        tab_to(".mf-first-need select")
        page.keyboard.press("ArrowDown")  # the first need in the list
        tab_to("button.mf-submit")
        page.keyboard.press("Enter")
        page.wait_for_selector(".mf-feedback .mf-score", timeout=60_000)
        assert "1 of" in page.inner_text(".mf-progress")
        assert len(wait_attempts(server.store, learner=learner)) == 1

        watch.check()
        # The same browser comes back (its seat cookie kept): a new browser with this
        # pseudonym is refused while the seat is held (tests/test_seats_browser.py).
        same_browser = ctx.storage_state()
        ctx.close()

        # Empty submit from another learner: a message, nothing graded or recorded.
        ctx, page, watch = new_page(chromium, *SIZES["phone"])
        page.goto(
            server.app_url("who_is_in_the_boat.ipynb", learner="empty-1"), wait_until="commit"
        )
        wait_rendered(page, "button.mf-submit", timeout=240_000)
        page.click("button.mf-submit")
        page.wait_for_function(
            "document.querySelector('.mf-status').innerText.includes('Nothing was graded')"
        )
        assert page.inner_text(".mf-feedback").strip() == ""
        assert Store(server.store).attempts(learner="empty-1") == []

        watch.check()
        ctx.close()

        # The first learner's draft after a reload; Another boat asks first.
        ctx, page, watch = new_page(chromium, *SIZES["phone"], storage_state=same_browser)
        page.goto(server.app_url("who_is_in_the_boat.ipynb", learner=learner), wait_until="commit")
        wait_rendered(page, "button.mf-submit", timeout=240_000)
        page.wait_for_function(
            "document.querySelector('.mf-progress').innerText.includes('1 of')", timeout=30_000
        )
        assert page.is_checked(".mf-profile-smuggled input")
        page.click("button.mf-another")
        page.wait_for_selector("button.mf-confirm-yes", state="visible")
        assert "1 of" in page.inner_text(".mf-progress")  # nothing cleared yet
        watch.check()
    finally:
        ctx.close()
