"""Modules 9 and 10 on a phone (390x844), in a real Voila and Chromium (issue 13, a learner's
cold trial): every control is inside the screen's width, where a thumb can reach it without
sideways scrolling (a budget slider with a long label was pushed 404-508 px off a 390 px
screen); no two answer options overlap (ipywidgets fixed each radio option at 20 px, so a
wrapped option was drawn over the next and a tap on one chose the other); and no word of a
table is broken letter by letter ("Pl/ay/ed/by", "Di/me/nsi/on"). Measured from the bounding
boxes the browser lays out, nothing scrolled sideways to find a control."""

from __future__ import annotations

from pathlib import Path

import pytest
from a11y import assert_fits
from harness import Player, new_page, voila_server, wait_rendered

from mixedflows.cooperation.room import load_room
from mixedflows.server.serve import ClassSession
from mixedflows.store import Store

pytestmark = pytest.mark.browser

PHONE = {"width": 390, "height": 844}
ARTIFACTS = Path(__file__).parent / "artifacts"

# Controls a learner acts on, and a slider's value beside it, as laid out (no scrollIntoView:
# it would scroll a clipped box sideways, which a thumb cannot).
MEASURE = """() => {
  const vw = document.documentElement.clientWidth;
  const shown = (el) => {
    const s = getComputedStyle(el);
    return s.display !== 'none' && s.visibility !== 'hidden' && el.offsetParent !== null;
  };
  const name = (el) => (el.getAttribute('aria-label') || el.textContent || el.value || el.tagName)
    .trim().slice(0, 50);
  const out = {outside: [], overlap: [], broken: [], controls: 0, options: 0, cells: 0};
  const sel = 'button:not([disabled]), select, textarea, input:not([type=hidden]), '
    + '[role=slider], .widget-readout, .widget-radio-box label';
  for (const el of document.querySelectorAll(sel)) {
    if (!el.closest('.mf-app') || !shown(el)) continue;
    out.controls += 1;
    const r = el.getBoundingClientRect();
    if (r.width < 1 || r.height < 1 || r.left < -1 || r.right > vw + 1) {
      out.outside.push(`${Math.round(r.left)}..${Math.round(r.right)} of ${vw}: ${name(el)}`);
    }
  }
  for (const box of document.querySelectorAll('.mf-app .widget-radio-box')) {
    if (!shown(box)) continue;
    const labels = [...box.querySelectorAll(':scope > label')].filter(shown);
    out.options += labels.length;
    // What is drawn: the label's box and its text (a text taller than a fixed-height box
    // spills over the next option's box).
    const rects = labels.map((l) => {
      const b = l.getBoundingClientRect();
      const range = document.createRange();
      range.selectNodeContents(l);
      const t = range.getBoundingClientRect();
      return {left: Math.min(b.left, t.left), right: Math.max(b.right, t.right),
              top: Math.min(b.top, t.top), bottom: Math.max(b.bottom, t.bottom)};
    });
    for (let i = 0; i < rects.length; i++) {
      for (let j = i + 1; j < rects.length; j++) {
        const a = rects[i], b = rects[j];
        const w = Math.min(a.right, b.right) - Math.max(a.left, b.left);
        const h = Math.min(a.bottom, b.bottom) - Math.max(a.top, b.top);
        if (w > 1 && h > 1) {
          out.overlap.push(`${name(labels[i])} | ${name(labels[j])} (${Math.round(h)} px)`);
        }
      }
    }
  }
  // A word of a table cell drawn on more than one line was broken inside (a word with a hyphen
  // or a slash may break there, and is left out).
  for (const cell of document.querySelectorAll('.mf-app td, .mf-app th')) {
    if (!shown(cell)) continue;
    out.cells += 1;
    const walker = document.createTreeWalker(cell, NodeFilter.SHOW_TEXT);
    for (let node = walker.nextNode(); node; node = walker.nextNode()) {
      const re = /[^\\s]+/g;
      let m;
      while ((m = re.exec(node.data)) !== null) {
        if (/[-\\/]/.test(m[0]) || m[0].length > 24) continue;
        const range = document.createRange();
        range.setStart(node, m.index);
        range.setEnd(node, m.index + m[0].length);
        const lines = new Set([...range.getClientRects()].filter((q) => q.width > 0)
          .map((q) => Math.round(q.top)));
        if (lines.size > 1) out.broken.push(`'${m[0]}' on ${lines.size} lines`);
      }
    }
  }
  return out;
}"""


def check_phone(page, where: str, *, cells: bool = False) -> dict:
    page.wait_for_timeout(300)  # a layout after the last render settles
    got = page.evaluate(MEASURE)
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / f"phone-{where}.png"), full_page=True)
    assert got["controls"] > 0, f"{where}: no control found"
    assert not got["outside"], f"{where}: controls off the screen:\n" + "\n".join(got["outside"])
    assert not got["overlap"], f"{where}: options drawn over each other:\n" + "\n".join(
        got["overlap"]
    )
    assert not got["broken"], f"{where}: words broken in tables:\n" + "\n".join(got["broken"][:20])
    if cells:
        assert got["cells"] > 0, f"{where}: no table found"
    assert_fits(page, where)
    return got


def test_module_9_on_a_phone(voila, chromium):
    ctx, page, watch = new_page(chromium, **PHONE)
    try:
        page.goto(
            voila.app_url("return_and_reintegration.ipynb", learner="phone-m9"),
            wait_until="commit",
        )
        wait_rendered(page, ".mf-ret-decision", timeout=240_000)
        got = check_phone(page, "m9-desk")
        assert got["options"] >= 3
        page.get_by_role("button", name="2. Reintegration programme").click()
        wait_rendered(page, ".mf-re-jobs .noUi-handle")
        page.click(".mf-re-assumptions-box summary")  # the model's assumptions, a long table
        got = check_phone(page, "m9-programme", cells=True)
        # Every budget slider is there, each with its handle and its value on the screen.
        assert page.locator(".widget-hslider [role=slider]:visible").count() == 5
        watch.check()
    finally:
        ctx.close()


def test_module_10_mapping_on_a_phone(voila, chromium):
    """Module 10's who does what: every task's dropdown inside the phone's width, with its
    question, and the feedback after Submit too."""
    from mixedflows.cooperation import mandates as md
    from mixedflows.exercises import load_exercise

    tasks = md.asked(load_exercise("m10_who_does_what").params)
    ctx, page, watch = new_page(chromium, **PHONE)
    try:
        page.goto(voila.app_url("who_does_what.ipynb", learner="phone-m10"), wait_until="commit")
        wait_rendered(page, "button.mf-submit", timeout=240_000)
        got = check_phone(page, "m10-mapping")
        assert got["controls"] >= len(tasks) + 1  # a dropdown per task, and Submit
        for t in tasks:
            label = md.actors()[t.lead].actor
            page.select_option(f".mf-task-{t.id.replace('_', '-')} select", label=label)
        page.click("button.mf-submit")
        page.wait_for_function(
            "() => document.querySelector('.mf-status').innerText.includes('100%')",
            timeout=60_000,
        )
        check_phone(page, "m10-mapping-feedback")
        watch.check()
    finally:
        ctx.close()


@pytest.fixture(scope="module")
def room_server(tmp_path_factory):
    session = ClassSession(
        code="phone-room", apps=("cooperation_roles.ipynb",), pool=0, max_kernels=10
    )
    store = tmp_path_factory.mktemp("phone-room") / "attempts.sqlite"
    with voila_server(store, session=session) as srv:
        yield srv


def test_module_10_on_a_phone(room_server, chromium):
    from mixedflows.cooperation import engine
    from mixedflows.widgets.cooperation import ROOM_EXERCISE

    room = load_room("landing_at_port_alba")
    p = Player(chromium, room_server, "Phone", size=(PHONE["width"], PHONE["height"]))
    try:
        p.open()
        got = check_phone(p.page, "m10-roles")
        assert got["options"] >= len(room.roles)
        p.join(room.role("iom").title, opened=True)
        got = check_phone(p.page, "m10-decisions")
        assert got["options"] >= sum(len(d.options) for d in room.role("iom").decisions)
        p.decide(room, "iom", engine.reference(room, "iom"))
        Store(str(room_server.store)).open_debrief(
            session=room_server.session.code, exercise_id=ROOM_EXERCISE
        )
        p.page.wait_for_selector(".mf-debrief .mf-room-outcome", timeout=60_000)
        check_phone(p.page, "m10-debrief", cells=True)
        p.watch.check()
    finally:
        p.close()
