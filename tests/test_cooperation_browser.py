"""The multi-role exercise in a room, for real: a facilitated session on Voila, three
participants in three Chromium contexts each taking a role, each page (and every websocket
frame its kernel sends) carrying that role's view only; their decisions combined into the
outcome the engine computes, shown on every page once the facilitator opens the debrief from
the dashboard; axe-core at 1280x800 and 390x844; a participant asking for another role keeps
their own."""

from __future__ import annotations

import re
import time
from pathlib import Path

import pytest
from a11y import assert_fits, serious_violations
from harness import Player, open_dashboard, voila_server

from mixedflows.cooperation import engine
from mixedflows.cooperation.room import load_room
from mixedflows.server.serve import ClassSession
from mixedflows.store import Store

pytestmark = pytest.mark.browser

APP = "cooperation_roles.ipynb"
CODE = "coop-room"
ROOM = "landing_at_port_alba"
ARTIFACTS = Path(__file__).parent / "artifacts"
PLAYERS = {"Ama": "coast_guard", "Bruno": "iom", "Chen": "ministry"}


def fragments(text: str) -> list[str]:
    return [f.strip() for f in re.findall(r"[A-Za-z0-9 ,]{18,}", text)]


def only_texts(room, role_id: str) -> list[str]:
    """Fragments only this role's screen may show (none shared with another role's)."""

    def texts(rid: str) -> list[str]:
        r = room.role(rid)
        out = [*r.facts, r.briefing, *(d.question for d in r.decisions)]
        out += [o.label for d in r.decisions for o in d.options]
        return out + [p.label for p in room.spec.people if rid in p.known_to]

    others = [t for r in room.role_ids() if r != role_id for t in texts(r)]
    return [f for t in texts(role_id) for f in fragments(t) if not any(f in o for o in others)]


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    session = ClassSession(code=CODE, apps=(APP,), pool=0, max_kernels=20)
    store = tmp_path_factory.mktemp("coop") / "attempts.sqlite"
    with voila_server(store, session=session) as srv:
        yield srv


def test_three_participants_one_session_each_their_role_one_outcome(server, chromium):
    room = load_room(ROOM)
    choices = {r: engine.reference(room, r) for r in PLAYERS.values()}
    choices["ministry"]["returns"] = "return_all"  # one choice that undoes others' work
    choices["iom"]["joy"] = "wait"
    players = {name: Player(chromium, server, name) for name in PLAYERS}
    try:
        for name, role in PLAYERS.items():
            players[name].join(room.role(role).title)
        for name, role in PLAYERS.items():
            p = players[name]
            text = p.page.inner_text(".mf-role-view")
            assert room.role(role).title in text
            seen = p.seen()
            own = only_texts(room, role)
            assert own and all(f in seen for f in own), f"{name}: own view incomplete"
            for other in room.role_ids():
                if other != role:
                    leaked = [f for f in only_texts(room, other) if f in seen]
                    assert not leaked, f"{name} ({role}) received {other}'s: {leaked[:3]}"
            problems = serious_violations(p.page)
            assert not problems, f"{role} at 1280x800:\n" + "\n".join(problems)
        # Everyone decides; nothing of the debrief before the facilitator opens it.
        for name, role in PLAYERS.items():
            players[name].decide(room, role, choices[role])
        store = Store(server.store)
        roster = {
            learner: role
            for learner, _t, role in store.room_roster(
                session=CODE, exercise_id="m10_landing_roles"
            )
        }
        assert roster == PLAYERS
        deadline = time.monotonic() + 15
        while len(store.attempts(session=CODE)) < 3 and time.monotonic() < deadline:
            time.sleep(0.2)
        attempts = store.attempts(session=CODE)
        assert {a.learner: a.answer["role"] for a in attempts} == PLAYERS
        ama = players["Ama"].page
        ama.click("button.mf-see-debrief")
        ama.wait_for_selector(".mf-debrief .mf-msg", timeout=30_000)
        assert "not opened the debrief yet" in ama.inner_text(".mf-debrief")

        # The facilitator opens the debrief from the dashboard.
        fac, fp, fwatch = open_dashboard(chromium, server, "button.mf-open-debrief")
        try:
            fp.click("button.mf-room-refresh")
            fp.wait_for_selector(".mf-room-roster", timeout=30_000)
            assert "Debrief: not open yet" in fp.inner_text(".mf-room-panel")
            fp.click("button.mf-open-debrief")
            fp.wait_for_selector(".mf-room-panel .mf-room-outcome", timeout=30_000)
            problems = serious_violations(fp)
            assert not problems, "dashboard with the room panel:\n" + "\n".join(problems)
            fwatch.check()
        finally:
            fac.close()

        expected = engine.combine(room, {r: choices[r] for r in PLAYERS.values()})
        assert 0 < expected.met < expected.total
        for name, p in players.items():
            # The page asks the store every few seconds: the debrief appears by itself.
            p.page.wait_for_selector(".mf-debrief .mf-room-outcome", timeout=60_000)
            caption = p.page.inner_text(".mf-debrief .mf-room-outcome caption")
            assert f"{expected.met} of {expected.total} needs met" in caption
            for person in expected.people:
                for need in person.needs:
                    row = f".mf-need-{person.person_id}-{need.need_id}".replace("_", "-")
                    cells = p.page.locator(f".mf-debrief tr{row} td").all_inner_texts()
                    assert cells[2] == ("met" if need.met else "not met"), (name, row, cells)
            p.watch.check()
        # At a phone's size, the debrief and the role view pass axe too.
        phone = players["Bruno"].page
        phone.set_viewport_size({"width": 390, "height": 844})
        phone.wait_for_timeout(400)
        problems = serious_violations(phone)
        assert not problems, "390x844:\n" + "\n".join(problems)
        ARTIFACTS.mkdir(exist_ok=True)
        phone.screenshot(path=str(ARTIFACTS / "cooperation-roles-phone.png"), full_page=True)
        assert_fits(phone, "390x844")
    finally:
        for p in players.values():
            p.close()


@pytest.fixture
def room_before_debrief(tmp_path):
    """A session of its own, whose debrief no facilitator has opened: the module's server has
    had it opened by the first test, and a page opened after the debrief rightly shows every
    role's texts in it."""
    session = ClassSession(code=CODE, apps=(APP,), pool=0, max_kernels=4)
    with voila_server(tmp_path / "attempts.sqlite", session=session) as srv:
        yield srv


def test_a_participant_asking_for_another_role_keeps_their_own(room_before_debrief, chromium):
    """Dana holds the ministry; her page opens on the ministry's view, with no role picker to
    ask for another (and nothing of UNHCR's), at a phone's size. (A page sending another role
    after all: tests/test_cooperation.py.)"""
    server = room_before_debrief
    room = load_room(ROOM)
    assert not Store(server.store).debrief_opened(session=CODE, exercise_id="m10_landing_roles")
    held = Store(server.store).claim_role(
        session=CODE, exercise_id="m10_landing_roles", learner="Dana", roles=("ministry",)
    )
    p = Player(chromium, server, "Dana", size=(390, 844))
    try:
        p.open()
        assert held is not None and held[1] == "ministry"
        assert room.role("ministry").title in p.page.inner_text(".mf-role-view")
        assert not p.page.locator("button.mf-take-role").count()
        assert "kept from before" in p.page.inner_text(".mf-status")
        seen = p.seen()
        assert not [f for f in only_texts(room, "unhcr") if f in seen]
        problems = serious_violations(p.page)
        assert not problems, "role view at 390x844:\n" + "\n".join(problems)
        p.watch.check()
    finally:
        p.close()
