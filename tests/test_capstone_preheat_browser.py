"""Module 11 served from preheated kernels, as ``./mfl facilitate`` serves it (issue 15, a
learner's cold trial at 26ed6ee: stage 2's Continue and Submit did nothing for minutes). Picking
a port started a thread loading the reception simulation's compiled kernel (numba) while the
learner worked on stage 1; stage 2's Continue then waited for that compile, which on a loaded
machine took minutes, the page silent. Since 12ffb5b the app's season runs on the plain loop
and nothing loads numba; this test holds it: on a real Voila session with a pool of one kernel,
in Chromium, a page served by a preheated kernel (the server's log) goes through every stage and
submits, no kernel of the server has loaded numba's compiler (llvmlite) by then, and a reload
after stage 1, served by a preheated kernel again, brings the stages back (it lost them all)."""

from __future__ import annotations

from pathlib import Path

import pytest
from harness import HEATED, Player, voila_server, wait_attempts, wait_pool_filled, wait_rendered

from mixedflows.server.serve import ClassSession

pytestmark = pytest.mark.browser

APP = "season_on_the_route.ipynb"
CODE = "season-heat"
EXERCISE = "m11_season_on_the_route"


def _continue(page, stage: str, nxt: str) -> None:
    page.click(f"button.mf-continue-{stage}")
    page.wait_for_selector(f".mf-stage-{nxt}", state="visible", timeout=120_000)


def _numba_in(pid: int) -> bool:
    try:
        return "llvmlite" in Path(f"/proc/{pid}/maps").read_text()
    except OSError:
        return False


def test_the_season_on_preheated_kernels_every_stage_and_a_reload(tmp_path, chromium):
    # The pool is refilled 1 s after a claim, not the course's 120 s: the reload below needs
    # the refill, and waiting for a room's rush to pass is not what this test is about.
    session = ClassSession(code=CODE, apps=(APP,), pool=1, max_kernels=4, refill_delay=1)
    with voila_server(tmp_path / "attempts.sqlite", session=session) as server:
        wait_pool_filled(server, 1)
        p = Player(chromium, server, "Hamid")
        try:
            p.submit_name()
            wait_rendered(p.page, "button.mf-continue-rescue", timeout=240_000)
            assert server.log().count(HEATED) == 1, server.log()[-3000:]
            page = p.page
            assert page.locator("button.mf-season-submit").is_disabled()
            page.get_by_label("Port Alba (State A", exact=False).check()
            page.get_by_role("checkbox", name="UNHCR", exact=True).check()
            page.wait_for_timeout(3000)  # as a learner does: the port picked, then a pause
            _continue(page, "rescue", "reception")
            assert "You may still change this stage" in page.inner_text(".mf-follows-rescue")
            assert "datasets/" not in page.inner_text(".mf-situation-reception")

            # A reload served by a preheated kernel (the pool refilled) brings stage 1 back.
            wait_pool_filled(server, 2)
            p.page.reload(wait_until="commit")
            wait_rendered(p.page, "button.mf-continue-rescue", timeout=240_000)
            assert server.log().count(HEATED) == 2, server.log()[-3000:]
            page = p.page
            page.wait_for_selector(".mf-stage-reception", state="visible", timeout=60_000)
            assert page.get_by_label("Port Alba (State A", exact=False).is_checked()
            assert page.get_by_role("checkbox", name="UNHCR", exact=True).is_checked()
            assert "from last time are back" in page.inner_text(".mf-status")

            _continue(page, "reception", "screening")
            _continue(page, "screening", "postarrival")
            _continue(page, "postarrival", "policy")
            page.click("button.mf-season-submit")
            page.wait_for_selector(".mf-feedback .mf-score", timeout=120_000)
            assert not [k for k in server.kernel_pids() if _numba_in(k)]
            # A reload aborts the old page's kernel-shutdown beacon: navigation, not an error.
            p.watch.errors = [
                e for e in p.watch.errors if "/voila/api/shutdown/" not in e or "ABORTED" not in e
            ]
            p.watch.check()
        finally:
            p.close()
        rows = wait_attempts(server.store, learner="Hamid", exercise_id=EXERCISE)
        assert len(rows) == 1 and rows[0].answer["rescue"]["port"] == "alba"
        assert rows[0].answer["rescue"]["informed"] == ["unhcr"]
