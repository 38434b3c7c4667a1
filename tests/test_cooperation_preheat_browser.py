"""Module 10's room served from preheated kernels (issue 15 leftover): a participant who holds a
role and reloads the page got a kernel started before anyone asked for it, built before its
participant was known, and saw the role picker (one click on it gave the role back). Now the
app looks the role up once a page claims the kernel (``session.when_claimed``): the reload shows
the role's view at once, with no picker. Driven in Chromium on a real Voila session with a pool
of two kernels; the reloaded page is checked to be served by a preheated one (the server's log)."""

from __future__ import annotations

import time

import pytest
from harness import Player, reload_until_preheated, voila_server

from mixedflows.cooperation.room import load_room
from mixedflows.server.serve import ClassSession
from mixedflows.store import Store

pytestmark = pytest.mark.browser

APP = "cooperation_roles.ipynb"
CODE = "coop-heat"
EXERCISE = "m10_landing_roles"


def test_a_reload_served_by_a_preheated_kernel_shows_the_role_held(tmp_path, chromium):
    room = load_room("landing_at_port_alba")
    title = room.role("unhcr").title
    session = ClassSession(code=CODE, apps=(APP,), pool=2, max_kernels=6)
    with voila_server(tmp_path / "attempts.sqlite", session=session) as server:
        deadline = time.monotonic() + 180
        while len(server.kernel_pids()) < 2 and time.monotonic() < deadline:
            time.sleep(0.5)
        p = Player(chromium, server, "Eva")
        try:
            p.join(title)
            roster = Store(server.store).room_roster(session=CODE, exercise_id=EXERCISE)
            assert [(who, role) for who, _t, role in roster] == [("Eva", "unhcr")]
            # Reload until a preheated kernel serves the page (the pool's second kernel is
            # ready by then, as a rule; a page it could not serve gets a kernel of its own).
            reload_until_preheated(p.page, server, "button.mf-take-role, .mf-role-view")
            page = p.page
            page.wait_for_selector(".mf-role-view", timeout=30_000)
            assert title in page.inner_text(".mf-role-view")
            assert page.locator("button.mf-take-role").count() == 0
            assert page.locator(".mf-role-picker").count() == 0
            assert "kept from before" in page.inner_text(".mf-status")
            # A reload aborts the old page's kernel-shutdown beacon: navigation, not an error.
            p.watch.errors = [
                e for e in p.watch.errors if "/voila/api/shutdown/" not in e or "ABORTED" not in e
            ]
            p.watch.check()
        finally:
            p.close()
