"""Drafts in preheated kernels (issue 13 point 4, found in ``./mfl facilitate``): an app read the
learner's draft while it was built, which a preheated kernel does before any page claims it, so
a reload served from the pool came back empty, the work seemingly lost. Now the draft is read
once a page claims the kernel (``session.when_claimed``). Driven in Chromium on a real Voila
session with a pool of two boat kernels; the reload is checked to be served by a preheated one
(the server's log), as tests/test_cooperation_preheat_browser.py does."""

from __future__ import annotations

import time

import pytest
from harness import Player, reload_until_preheated, voila_server, wait_rendered

from mixedflows.server.serve import ClassSession
from mixedflows.store import Store

pytestmark = pytest.mark.browser

APP = "who_is_in_the_boat.ipynb"
CODE = "draft-heat"
EXERCISE = "m1_who_is_in_the_boat"
TICK = ".mf-profile-smuggled input"


def test_a_reload_served_by_a_preheated_kernel_brings_the_draft_back(tmp_path, chromium):
    session = ClassSession(code=CODE, apps=(APP,), pool=2, max_kernels=6)
    with voila_server(tmp_path / "attempts.sqlite", session=session) as server:
        deadline = time.monotonic() + 180
        while len(server.kernel_pids()) < 2 and time.monotonic() < deadline:
            time.sleep(0.5)
        p = Player(chromium, server, "Nadia")
        try:
            p.submit_name()
            wait_rendered(p.page, "button.mf-submit", timeout=240_000)
            assert not p.page.is_checked(TICK)
            p.page.click(TICK)  # part of the exercise answered, nothing submitted
            store = Store(server.store)
            deadline = time.monotonic() + 30
            while store.load_draft(learner="Nadia", exercise_id=EXERCISE) is None:
                assert time.monotonic() < deadline, "the draft was never kept"
                time.sleep(0.3)
            draft = store.load_draft(learner="Nadia", exercise_id=EXERCISE)
            assert any("smuggled" in str(v) for v in draft["answers"].values()), draft
            # Reload until a preheated kernel serves the page (the pool refills after a claim).
            reload_until_preheated(p.page, server, "button.mf-submit")
            page = p.page
            page.wait_for_function(
                "document.querySelector('.mf-status') && document.querySelector('.mf-status')"
                ".innerText.includes('Your answers from last time are back')",
                timeout=30_000,
            )
            assert page.is_checked(TICK)
            assert store.attempts(learner="Nadia") == []  # a draft, never an attempt
            # A reload aborts the old page's kernel-shutdown beacon: navigation, not an error.
            p.watch.errors = [
                e for e in p.watch.errors if "/voila/api/shutdown/" not in e or "ABORTED" not in e
            ]
            p.watch.check()
        finally:
            p.close()
