"""A reload loses nothing (issue 13, a learner's cold trial), in a real Voila and Chromium:

- module 9's return desk, after two submits: the answers of the last attempt are on the form,
  with its number ("Attempt 2 of 3"), the grade and the feedback, and no note that the answer
  changed since the feedback (the trial's page showed an empty form under that note);
- module 10's room: the participant's role is kept and so are their decisions, shown as they
  submitted them with their feedback (the trial's page showed them blank, no grade, while the
  facilitator's dashboard said decided);
- module 10's page, the room played alone ("See the outcome"): the debrief stays open after a
  reload, with the choices and outcome back, for that learner only (the trial's gate closed
  again: the play was kept on the page, not for the learner)."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from harness import Player, new_page, voila_server, wait_attempts, wait_rendered

from mixedflows.cooperation import engine
from mixedflows.cooperation.room import load_room
from mixedflows.returns import DECISIONS, decide, load_caseload
from mixedflows.server.serve import ClassSession

pytestmark = pytest.mark.browser

ROOT = Path(__file__).resolve().parents[1]


def wait_text(page, selector: str, text: str, timeout: float = 60_000) -> None:
    page.locator(selector, has_text=text).first.wait_for(timeout=timeout)


def test_return_desk_after_a_reload(voila, chromium):
    learner = "reload-desk"
    people = load_caseload("return_desk").returnees[:2]
    ctx, page, watch = new_page(chromium, 1280, 900)
    try:
        page.goto(
            voila.app_url("return_and_reintegration.ipynb", learner=learner), wait_until="commit"
        )
        wait_rendered(page, ".mf-ret-decision", timeout=240_000)
        for k, person in enumerate(people, 1):
            wait_text(page, ".mf-ret-card", person.name)
            ruling = decide(person)
            page.locator(".mf-ret-decision").get_by_label(
                DECISIONS[ruling.decision], exact=True
            ).check()
            for m in ruling.required:
                page.check(f".mf-ret-m-{m.replace('_', '-')} input")
            page.click(".mf-returns button.mf-submit")
            wait_text(page, ".mf-status", f"Attempt {k} of 3")
            page.click("button.mf-ret-next")
        wait_attempts(voila.store, 2, learner=learner)
        page.reload(wait_until="commit")
        wait_rendered(page, ".mf-ret-decision", timeout=240_000)
        wait_text(page, ".mf-status", "Attempt 2 of 3")
        status = page.locator(".mf-status", has_text="Attempt 2 of 3").first.inner_text()
        assert "Your grade for this exercise" in status, status
        assert "2 of 9 people answered" in page.inner_text(".mf-ret-progress")
        first = decide(people[0])
        checked = page.locator(".mf-ret-decision input:checked")
        assert checked.count() == 1
        assert (
            page.locator(".mf-ret-decision label", has=page.locator("input:checked"))
            .inner_text()
            .strip()
            == (DECISIONS[first.decision])
        )
        fb = page.inner_text(".mf-feedback")
        assert "Right:" in fb and "changed your answer" not in fb, fb
        # A change after the reload makes the feedback stale, as before it.
        page.check(".mf-ret-m-detain input")
        wait_text(page, ".mf-feedback", "changed your answer")
        watch.errors = [e for e in watch.errors if "/voila/api/shutdown/" not in e]
        watch.check()
    finally:
        ctx.close()


def test_room_decisions_after_a_reload(tmp_path, chromium):
    room = load_room("landing_at_port_alba")
    session = ClassSession(code="reload-room", apps=("cooperation_roles.ipynb",), pool=0)
    choices = engine.reference(room, "coast_guard")
    with voila_server(tmp_path / "attempts.sqlite", session=session) as server:
        p = Player(chromium, server, "Ana")
        try:
            p.join(room.role("coast_guard").title)
            p.decide(room, "coast_guard", choices)
            score = p.page.inner_text(".mf-feedback .mf-score")
            p.reopen(".mf-role-view")
            page = p.page
            wait_text(page, ".mf-status", "kept from before")
            page.wait_for_selector(".mf-feedback .mf-score", timeout=60_000)
            assert page.inner_text(".mf-feedback .mf-score") == score
            assert "changed" not in page.inner_text(".mf-feedback")
            status = page.inner_text(".mf-status")
            assert "Your decisions are back" in status and "for your role" in status, status
            for d in room.role("coast_guard").decisions:
                cls = f".mf-decision-{d.id}".replace("_", "-")
                checked = page.locator(f"{cls} input:checked")
                assert checked.count() == 1, d.id
                label = (
                    page.locator(f"{cls} label", has=page.locator("input:checked"))
                    .inner_text()
                    .strip()
                )
                assert label == d.option(choices[d.id]).label, d.id
            p.watch.errors = [e for e in p.watch.errors if "/voila/api/shutdown/" not in e]
            p.watch.check()
        finally:
            p.close()


def test_module10_room_played_alone_after_a_reload(tmp_path, chromium):
    from mixedflows.widgets.debrief_gate import GATE_TEXTS

    closed = GATE_TEXTS["m10_landing_roles"].split(" (")[0]  # "Play the room above first"
    room = load_room("landing_at_port_alba")
    role = room.roles[0]
    decision = role.decisions[0]
    label = decision.option(engine.reference(room, role.id)[decision.id]).label
    pages = tmp_path / "pages"
    pages.mkdir()
    shutil.copy2(ROOT / "modules" / "10_cooperation.ipynb", pages)
    with voila_server(tmp_path / "attempts.sqlite", root=pages) as server:

        def open_page(learner: str):
            ctx, page, watch = new_page(chromium, 1280, 900)
            page.goto(server.app_url("10_cooperation.ipynb", learner=learner), wait_until="commit")
            wait_rendered(page, ".mf-solo-go", timeout=240_000)
            page.locator(".mf-debrief-gate").first.wait_for(timeout=120_000)
            return ctx, page, watch

        def choice(page):
            return page.locator(".mf-coop .widget-radio-box", has_text=label).first.get_by_label(
                label, exact=True
            )

        ctx, page, watch = open_page("solo-a")
        try:
            wait_text(page, ".mf-debrief-gate", closed)
            choice(page).check()
            page.click(".mf-solo-go")
            wait_text(page, ".mf-solo-outcome", "needs met")
            wait_text(page, ".mf-debrief-gate", "undid the most", timeout=120_000)
            page.reload(wait_until="commit")
            wait_rendered(page, ".mf-solo-go", timeout=240_000)
            # Open without a click: the play is the learner's, kept in the store.
            wait_text(page, ".mf-debrief-gate", "undid the most", timeout=120_000)
            assert closed not in page.inner_text(".mf-debrief-gate")
            assert "needs met" in page.inner_text(".mf-solo-outcome")
            assert choice(page).is_checked()
            watch.errors = [e for e in watch.errors if "/voila/api/shutdown/" not in e]
            watch.check()
        finally:
            ctx.close()
        # Another learner's page: the debrief closed, the room blank.
        ctx, page, watch = open_page("solo-b")
        try:
            wait_text(page, ".mf-debrief-gate", closed)
            assert "undid the most" not in page.inner_text(".mf-debrief-gate")
            assert not choice(page).is_checked()
            assert page.inner_text(".mf-solo-outcome").strip() == ""
        finally:
            ctx.close()
