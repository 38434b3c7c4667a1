"""Issue 15 cold trial, in Chromium on a facilitated session: a participant typing another's
pseudonym on the join page (or in an app link) does not take their seat, and so not their
module 10 role; the original participant reloading keeps it; the facilitator releases it from
the dashboard, then the other browser may join with the name. A participant who reloads after
the facilitator opened module 10's debrief sees the debrief."""

from __future__ import annotations

from urllib.parse import urlencode

import pytest
from harness import PageWatch, voila_server, wait_rendered

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


def join(page, server, name: str) -> None:
    page.goto(f"{server.url}/join?session={CODE}", wait_until="commit")
    page.fill("input[name=learner]", name)
    page.click("button[type=submit]")


def test_another_browser_cannot_take_a_seat_until_the_facilitator_releases_it(server, chromium):
    room = load_room(ROOM)
    ama = chromium.new_context(viewport={"width": 1280, "height": 800})
    eve = chromium.new_context(viewport={"width": 1280, "height": 800})
    fac = chromium.new_context(viewport={"width": 1280, "height": 800})
    try:
        page = ama.new_page()
        watch = PageWatch()
        watch.attach(page)
        join(page, server, "Ama")
        wait_rendered(page, "button.mf-take-role", timeout=240_000)
        page.locator(".mf-role-picker label", has_text=room.role("coast_guard").title).click()
        page.click("button.mf-take-role")
        page.wait_for_selector(".mf-role-view", timeout=60_000)
        cookies = {c["name"]: c for c in ama.cookies()}
        seat = cookies[seats.cookie_name(CODE)]
        assert seat["httpOnly"]

        # Another browser types Ama's pseudonym: refused on the join page, with a clear message.
        other = eve.new_page()
        join(other, server, "Ama")
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
        url = page.url
        watch.check()
        page.close()
        page = ama.new_page()
        watch = PageWatch()
        watch.attach(page)
        page.goto(url, wait_until="commit")
        page.wait_for_selector(".mf-role-view", timeout=240_000)
        assert room.role("coast_guard").title in page.inner_text(".mf-role-view")
        watch.check()

        # The facilitator releases the seat from the dashboard.
        fp = fac.new_page()
        fwatch = PageWatch()
        fwatch.attach(fp)
        fp.goto(
            server.app_url(
                "facilitator_dashboard.ipynb", facilitator=server.session.token, session=CODE
            ),
            wait_until="commit",
        )
        wait_rendered(fp, "button.mf-seat-release", timeout=240_000)
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
        join(other, server, "Ama")
        wait_rendered(other, ".mf-role-view", timeout=240_000)
        assert "/voila/render/" in other.url
        assert "session=" in other.url and urlencode({"learner": "Ama"}) in other.url
    finally:
        for ctx in (ama, eve, fac):
            ctx.close()


def test_a_participant_reloading_after_the_debrief_opened_sees_it(server, chromium):
    room = load_room(ROOM)
    ctx = chromium.new_context(viewport={"width": 390, "height": 844})
    try:
        page = ctx.new_page()
        watch = PageWatch()
        watch.attach(page)
        join(page, server, "Chen")
        wait_rendered(page, "button.mf-take-role", timeout=240_000)
        page.locator(".mf-role-picker label", has_text=room.role("ministry").title).click()
        page.click("button.mf-take-role")
        page.wait_for_selector(".mf-role-view", timeout=60_000)
        choices = engine.reference(room, "ministry")
        for d in room.role("ministry").decisions:
            cls = f".mf-decision-{d.id}".replace("_", "-")
            page.locator(f"{cls} label", has_text=d.option(choices[d.id]).label).click()
        page.click("button.mf-submit")
        page.wait_for_selector(".mf-feedback .mf-score", timeout=60_000)
        # Chen's tab is reopened (a dropped connection) after the facilitator opened the debrief.
        Store(server.store).open_debrief(session=CODE, exercise_id=EXERCISE)
        url = page.url
        watch.check()
        page.close()
        page = ctx.new_page()
        watch = PageWatch()
        watch.attach(page)
        page.goto(url, wait_until="commit")
        page.wait_for_selector(".mf-debrief .mf-room-outcome", timeout=240_000)
        tables = {
            t
            for who, t, _r in Store(server.store).room_roster(session=CODE, exercise_id=EXERCISE)
            if who == "Chen"
        }
        (table,) = tables
        assert f"Debrief, table {table}" in page.inner_text(".mf-debrief")
        watch.check()
    finally:
        ctx.close()
