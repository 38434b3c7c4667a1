"""Issue 15 cold trial, in the kernel: a session's seats (a pseudonym belongs to the browser that
first joined with it, released by the facilitator); module 10's options in an order that does
not give the answer away; a participant who reloads gets their role, and the debrief if the
facilitator has opened it. (The same in Chromium: tests/test_seats_browser.py.)"""

from __future__ import annotations

import json

import pytest

from mixedflows.cooperation import engine
from mixedflows.cooperation.room import best_option, load_room, option_order
from mixedflows.server import seats
from mixedflows.store import Store

ROOM = "landing_at_port_alba"


@pytest.fixture
def room():
    return load_room(ROOM)


def room_app(store, learner: str, role: str | None = None):
    from mixedflows.widgets.common import Recorder
    from mixedflows.widgets.cooperation import RoomApp

    app = RoomApp(recorder=Recorder(store=store, learner=learner, session="s"), poll=0)
    if role is not None:
        app.picker.value = role
        app.take_role()
    return app


# -- seats -------------------------------------------------------------------------------------
def test_a_seat_is_the_first_browsers_until_released(tmp_path):
    path = tmp_path / "seats.json"
    mine, theirs = seats.new_secret(), seats.new_secret()
    assert seats.claim("s1", "Ama", mine, path=path)
    assert seats.claim("s1", "Ama", mine, path=path)  # the same browser again
    assert not seats.claim("s1", "Ama", theirs, path=path)  # another browser: refused
    assert seats.claim("s2", "Ama", theirs, path=path)  # another session: its own seats
    assert seats.claim("s1", "Bruno", theirs, path=path)
    assert [p for p, _ in seats.held("s1", path=path)] == ["Ama", "Bruno"]
    text = path.read_text()
    assert mine not in text and theirs not in text  # kept hashed
    assert json.loads(text)["s1"]["Ama"]["secret_sha256"]
    assert seats.release("s1", "Ama", path=path)
    assert not seats.release("s1", "Ama", path=path)
    assert seats.claim("s1", "Ama", theirs, path=path)  # released: the next browser takes it
    assert not seats.claim("s1", "Ama", mine, path=path)


def test_a_broken_seats_file_is_named(tmp_path):
    path = tmp_path / "seats.json"
    path.write_text("{not json")
    with pytest.raises(seats.SeatsError, match=r"seats\.json"):
        seats.claim("s1", "Ama", seats.new_secret(), path=path)


def test_the_seats_panel_releases_a_seat(tmp_path):
    from mixedflows.widgets.seats import SeatsPanel

    path = tmp_path / "seats.json"
    seats.claim("s1", "Ama", seats.new_secret(), path=path)
    seats.claim("s1", "Bruno", seats.new_secret(), path=path)
    panel = SeatsPanel(session="s1", path=path)
    assert "Ama" in panel.view.value and "Bruno" in panel.view.value
    panel.pick.value = "Ama"
    panel.release()
    assert "Released &#39;Ama&#39;" in panel.status.value
    assert [p for p, _ in seats.held("s1", path=path)] == ["Bruno"]
    assert list(panel.pick.options) == ["Bruno"]


# -- module 10: the options' order -------------------------------------------------------------
def test_the_best_option_is_not_always_listed_first(tmp_path, room):
    """The scenario file lists each decision's best option first: the page must not."""
    first_in_file = [
        best_option(room, r.id, d.id) == d.options[0] for r in room.roles for d in r.decisions
    ]
    print(f"best option first in the file: {sum(first_in_file)} of {len(first_in_file)}")
    with Store(tmp_path / "a.sqlite") as store:
        positions: dict[tuple[str, str], set[int]] = {}
        for k in range(8):
            for role in room.role_ids():
                app = room_app(store, f"p{k}-{role}", role)
                for d in room.role(role).decisions:
                    shown = [v for _label, v in app.choices[d.id].options]
                    assert sorted(shown) == sorted(o.id for o in d.options)
                    best = best_option(room, role, d.id).id
                    positions.setdefault((role, d.id), set()).add(shown.index(best))
                # The same participant reloading sees the same order.
                again = room_app(store, f"p{k}-{role}")
                assert again.role == role
                assert all(again.choices[d].options == app.choices[d].options for d in app.choices)
        never_moved = [key for key, seen in positions.items() if seen == {0}]
        assert not never_moved, f"best option always first for {never_moved}"


def test_the_solo_room_shuffles_too(room):
    from mixedflows.widgets.cooperation import SoloRoom

    seen: dict[tuple[str, str], set[str]] = {}
    for k in range(8):
        solo = SoloRoom(ROOM, seed=f"learner-{k}")
        for r in room.roles:
            for d in r.decisions:
                first = solo.choices[r.id][d.id].options[1][1]  # after "Not decided"
                seen.setdefault((r.id, d.id), set()).add(first)
    assert all(len(firsts) > 1 for firsts in seen.values()), seen
    d = room.roles[0].decisions[0]
    assert option_order(d, "x") == option_order(d, "x")


# -- module 10: a reload -------------------------------------------------------------------------
def test_a_reload_gets_the_role_and_the_open_debrief(tmp_path, room):
    with Store(tmp_path / "a.sqlite") as store:
        app = room_app(store, "ana", "coast_guard")
        for d, rb in app.choices.items():
            rb.value = engine.reference(room, "coast_guard")[d]
        assert app.submit_decisions() is not None
        before = room_app(store, "ana")  # a reload before the debrief: role, no outcome
        assert before.role == "coast_guard" and before.table == 1
        assert "mf-room-outcome" not in before.debrief.value
        assert before.debrief_button.layout.display is None  # decided: the button is there
        store.open_debrief(session="s", exercise_id=app.exercise.id)
        again = room_app(store, "ana")  # the reload after the facilitator opened it
        assert again.role == "coast_guard"
        expected = engine.combine(room, {"coast_guard": engine.reference(room, "coast_guard")})
        assert "mf-room-outcome" in again.debrief.value
        assert f"{expected.met} of {expected.total} needs met" in again.debrief.value
        fresh = room_app(store, "newcomer")  # no role yet: the picker, nothing else
        assert fresh.role is None and fresh.debrief.value == ""


def test_a_preheated_page_resumes_only_once_the_participant_is_known(tmp_path, room, monkeypatch):
    """A preheated kernel builds the page before a participant claims it: no role is looked up
    for no one; the picker's button then gives the role held back, with the open debrief."""
    with Store(tmp_path / "a.sqlite") as store:
        app = room_app(store, "ana", "coast_guard")
        for d, rb in app.choices.items():
            rb.value = engine.reference(room, "coast_guard")[d]
        app.submit_decisions()
        store.open_debrief(session="s", exercise_id=app.exercise.id)
        monkeypatch.setenv("VOILA_PREHEAT", "True")
        monkeypatch.setenv("QUERY_STRING", "")
        pre = room_app(store, "ana")
        assert pre.role is None  # not looked up before the claim
        pre.picker.value = "unhcr"
        assert pre.take_role() == (1, "coast_guard")
        assert "mf-room-outcome" in pre.debrief.value


# -- module 10: citations --------------------------------------------------------------------------
def test_a_need_cites_each_seed_paragraph_once():
    """Issue 15 hostile trial: feedback and the dashboard cited 'MC/INF/294 ¶19; MC/INF/294 ¶19'
    (the framework text named the paragraph its seed list adds)."""
    import re

    from mixedflows.cooperation.room import rooms_dir

    for path in sorted(rooms_dir().glob("*.yaml")):
        room = load_room(path)
        for p in room.spec.people:
            for n in p.needs:
                assert "MC/INF/294" not in n.framework, (path.name, n.label)
                cited = re.findall(r"MC/INF/294", n.citation())
                assert len(cited) == 1, (path.name, n.label, n.citation())


def test_a_look_alike_pseudonym_is_the_same_seat(tmp_path):
    """Issue 15 hostile trial: "alice", "ALICE", a Cyrillic "Аlice" and "A lice" each got a seat
    of their own while "Alice" was held."""
    path = tmp_path / "seats.json"
    mine, theirs = seats.new_secret(), seats.new_secret()
    assert seats.claim("s1", "Alice", mine, path=path)
    for name in ("alice", "ALICE", "\u0410lice", "A lice", "Ａｌｉｃｅ", "Αlice"):
        assert seats.seat_key(name) == seats.seat_key("Alice"), name
        assert not seats.claim("s1", name, theirs, path=path), name
    assert seats.claim("s1", "alice", mine, path=path)  # the seat's own browser
    assert seats.claim("s1", "Alicia", theirs, path=path)  # another name
    assert seats.claim("s2", "alice", theirs, path=path)  # another session


def test_met_or_not_met_is_never_broken_across_lines(room):
    """Issue 15 hostile trial: the dashboard's debrief column showed "not met" as "no t m et"."""
    import re

    from mixedflows.paths import home
    from mixedflows.widgets.cooperation import outcome_html

    outcome = engine.combine(room, {})
    html = outcome_html(room, outcome, {})
    cells = re.findall(r'<td class="([^"]*)"[^>]*>(not met|met)</td>', html)
    assert cells and all("mf-nowrap" in c.split() for c, _ in cells), cells[:3]
    css = (home() / "src/mixedflows/widgets/templates/styles.css").read_text("utf-8")
    assert re.search(r"\.mf-nowrap\s*\{white-space:\s*nowrap\}", css)


def test_the_best_option_is_not_told_by_its_length():
    """Issue 15 hostile trial: module 10's best option had the longest label in 15 of 17
    decisions. Neither the longest nor the shortest label gives the answer in most decisions."""
    from mixedflows.cooperation.room import rooms_dir

    for path in sorted(rooms_dir().glob("*.yaml")):
        room = load_room(path)
        longest = shortest = n = 0
        for r in room.roles:
            for d in r.decisions:
                best = best_option(room, r.id, d.id).label
                sizes = [len(o.label) for o in d.options]
                n += 1
                longest += len(best) == max(sizes)
                shortest += len(best) == min(sizes)
        print(f"{path.name}: best longest in {longest}, shortest in {shortest} of {n}")
        assert longest <= 0.6 * n and shortest <= 0.6 * n, (path.name, longest, shortest, n)


def test_seats_follow_the_store_not_the_session_code(tmp_path, monkeypatch):
    """Issue 15: a server run with --session SELF on a new, empty store starts with no seats
    (Eve joined SELF last week on another store); on the same store Eve's seat is kept (her
    browser keeps it, another browser is refused)."""
    import logging

    from mixedflows.server.voila_app import _seats_follow_store

    path = tmp_path / "sessions" / "SELF" / "seats.json"
    eve, mallory = seats.new_secret(), seats.new_secret()
    monkeypatch.setenv(seats.ENV, str(path))
    log = logging.getLogger("test")

    def server_start(store_path) -> None:  # what the course's Voila does when it starts
        monkeypatch.setenv("MIXEDFLOWS_STORE", str(store_path))
        _seats_follow_store(log)

    server_start(tmp_path / "week1.sqlite")
    assert seats.claim("SELF", "Eve", eve)
    server_start(tmp_path / "week1.sqlite")  # the same store again: the seat is kept
    assert not seats.claim("SELF", "Eve", mallory) and seats.claim("SELF", "Eve", eve)
    assert seats.held("SELF") and not list(path.parent.glob("seats.json.*.old"))

    server_start(tmp_path / "week2.sqlite")  # a new, empty store, the same code
    assert seats.held("SELF") == []
    assert seats.claim("SELF", "Eve", mallory)  # a new room's Eve
    (aside,) = path.parent.glob("seats.json.*.old")
    assert "Eve" in json.loads(aside.read_text())["SELF"]
    identity = Store(str(tmp_path / "week2.sqlite")).get_meta(seats.STORE_ID_KEY)
    assert path.with_name("seats.json.store").read_text().strip() == identity
