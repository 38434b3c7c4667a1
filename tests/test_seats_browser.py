"""Issue 15 cold trial, in Chromium on a facilitated session: a participant typing another's
pseudonym on the join page (or in an app link) does not take their seat, and so not their
module 10 role; the original participant reloading keeps it; the facilitator releases it from
the dashboard, then the other browser may join with the name. A participant who reloads after
the facilitator opened module 10's debrief sees the debrief."""

from __future__ import annotations

from urllib.parse import urlencode

import pytest
from harness import Player, open_dashboard, voila_server, wait_rendered

from mixedflows.cooperation import engine
from mixedflows.cooperation.room import load_room
from mixedflows.server import seats
from mixedflows.server.serve import ClassSession
from mixedflows.store import Store

pytestmark = pytest.mark.browser

APP = "cooperation_roles.ipynb"
CODE = "seat-room"
ROOM = "landing_at_port_alba"
EXERCISE = "m10_landing_roles"


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    session = ClassSession(code=CODE, apps=(APP,), pool=0, max_kernels=12)
    store = tmp_path_factory.mktemp("seats") / "attempts.sqlite"
    with voila_server(store, session=session) as srv:
        yield srv


def test_another_browser_cannot_take_a_seat_until_the_facilitator_releases_it(server, chromium):
    room = load_room(ROOM)
    ama, eve = Player(chromium, server, "Ama"), Player(chromium, server, "Ama")
    fac = None
    try:
        ama.join(room.role("coast_guard").title)
        cookies = {c["name"]: c for c in ama.ctx.cookies()}
        seat = cookies[seats.cookie_name(CODE)]
        assert seat["httpOnly"]

        # Another browser types Ama's pseudonym: refused on the join page, with a clear message.
        other = eve.page
        eve.submit_name()
        other.wait_for_selector(".mf-seat-taken", timeout=30_000)
        assert "already in use in this session" in other.inner_text("[role=alert]")
        assert "/voila/render/" not in other.url
        # ... and in an app link typed by hand.
        response = other.goto(server.app_url(APP, session=CODE, learner="Ama"))
        assert response.status == 409
        assert "ask the facilitator to release it" in other.inner_text("main")
        assert not other.locator(".mf-role-view").count()
        assert [
            learner
            for learner, _t, _r in Store(server.store).room_roster(
                session=CODE, exercise_id=EXERCISE
            )
        ] == ["Ama"]

        # Ama reconnects from her browser (a new tab on the same link): her seat, her role.
        ama.reopen(".mf-role-view")
        assert room.role("coast_guard").title in ama.page.inner_text(".mf-role-view")
        ama.watch.check()

        # The facilitator releases the seat from the dashboard.
        fac, fp, fwatch = open_dashboard(chromium, server, "button.mf-seat-release")
        fp.click("button.mf-seats-refresh")
        fp.wait_for_selector(".mf-seats-table", timeout=30_000)
        assert "Ama" in fp.inner_text(".mf-seats-table")
        fp.locator(".mf-seat-pick select").select_option("Ama")
        fp.click("button.mf-seat-release")
        fp.wait_for_function(
            "() => (document.querySelector('.mf-status')?.innerText || '').includes('Released')"
            " || [...document.querySelectorAll('.mf-status')].some("
            "e => e.innerText.includes('Released'))",
            timeout=30_000,
        )
        fwatch.check()
        assert seats.held(CODE, server.store.parent / f"voila-{server.port}" / "seats.json") == []

        # Now the other browser may join as Ama (the name's attempts and role go with it).
        eve.submit_name()
        wait_rendered(other, ".mf-role-view", timeout=240_000)
        assert "/voila/render/" in other.url
        assert "session=" in other.url and urlencode({"learner": "Ama"}) in other.url
    finally:
        for p in (ama, eve):
            p.close()
        if fac is not None:
            fac.close()


def test_a_participant_reloading_after_the_debrief_opened_sees_it(server, chromium):
    room = load_room(ROOM)
    chen = Player(chromium, server, "Chen", size=(390, 844))
    try:
        chen.join(room.role("ministry").title)
        chen.decide(room, "ministry", engine.reference(room, "ministry"))
        # Chen's tab is reopened (a dropped connection) after the facilitator opened the debrief.
        Store(server.store).open_debrief(session=CODE, exercise_id=EXERCISE)
        chen.reopen(".mf-debrief .mf-room-outcome")
        tables = {
            t
            for who, t, _r in Store(server.store).room_roster(session=CODE, exercise_id=EXERCISE)
            if who == "Chen"
        }
        (table,) = tables
        assert f"Debrief, table {table}" in chen.page.inner_text(".mf-debrief")
        chen.watch.check()
    finally:
        chen.close()
