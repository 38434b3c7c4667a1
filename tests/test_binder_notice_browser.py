"""The temporary-store notice (issue 16) once per page, in Chromium on a real Voila: the policy
lab has a title of its own and one per step; on a server whose store is thrown away with the
session (``MIXEDFLOWS_STORE_TEMPORARY``, as on Binder) the page says once that progress is not
kept, with every step opened; on a course server it never says so."""

from __future__ import annotations

import pytest
from harness import new_page, voila_server, wait_rendered

from mixedflows.widgets.policy_lab import STEPS

pytestmark = pytest.mark.browser


def _notices_at_each_step(chromium, server) -> tuple[list[int], int]:
    """How many notices the policy lab shows at each of its steps, and how many titles at the
    first (the page's and the step's)."""
    ctx, page, watch = new_page(chromium)
    try:
        page.goto(server.app_url("policy_lab.ipynb", learner="notice-1"), wait_until="commit")
        wait_rendered(page, "button.mf-see", timeout=240_000)
        titles = page.locator(".mf-title").count()
        counts = [page.locator(".mf-temporary").count()]
        for _key, label in STEPS[1:]:
            before = page.inner_text(".mf-step-body")
            page.get_by_role("button", name=label).click()
            page.wait_for_function(
                "t => document.querySelector('.mf-step-body').innerText !== t",
                arg=before,
                timeout=120_000,
            )
            page.wait_for_timeout(300)
            counts.append(page.locator(".mf-temporary").count())
        watch.check()
        return counts, titles
    finally:
        ctx.close()


def test_policy_lab_shows_the_notice_once_on_a_temporary_server(chromium, tmp_path):
    store = tmp_path / "attempts.sqlite"
    with voila_server(store, extra_env={"MIXEDFLOWS_STORE_TEMPORARY": "Binder"}) as server:
        counts, titles = _notices_at_each_step(chromium, server)
    assert titles >= 2, titles  # the page's title and the first step's
    assert counts == [1] * len(STEPS), f"notices at each step: {counts}"


def test_policy_lab_shows_no_notice_on_a_course_server(chromium, voila):
    counts, titles = _notices_at_each_step(chromium, voila)
    assert titles >= 2 and counts == [0] * len(STEPS), (counts, titles)
