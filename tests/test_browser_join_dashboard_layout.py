"""The join page and the facilitator dashboard on a phone (390x844) and a tablet (768x1024),
in Chromium on a real Voila (issue 13): no sideways scroll, every target a finger or a mouse
acts on at least 24x24 px (WCAG 2.5.8; a link inside a sentence excepted), and no text cut off
(an element that hides its overflow shows all its text). Screenshots go to tests/artifacts/."""

from __future__ import annotations

from pathlib import Path

import pytest
from harness import PageWatch, voila_server, wait_rendered

from mixedflows.exercises import load_exercise
from mixedflows.grading import cohort_for, cohort_reference, grade
from mixedflows.profiles import Need
from mixedflows.server.serve import ClassSession
from mixedflows.store import Store

pytestmark = pytest.mark.browser

ARTIFACTS = Path(__file__).parent / "artifacts"
SIZES = {"phone": (390, 844), "tablet": (768, 1024)}
TARGETS = (
    "button:not([disabled]), select, textarea, input:not([type=hidden]):not([disabled]), "
    "a[href], [role=slider], [role=button]"
)
LAYOUT_JS = """(sel) => {
  const out = [];
  const vw = document.documentElement.clientWidth;
  const overflow = document.documentElement.scrollWidth - vw;
  if (overflow > 1) out.push(`the page is ${overflow}px wider than the screen`);
  const shown = el => {
    const s = getComputedStyle(el);
    return s.display !== 'none' && s.visibility !== 'hidden'
      && (el.offsetParent !== null || s.position === 'fixed');
  };
  const label = el => (el.getAttribute('aria-label') || el.textContent || el.value || '')
    .trim().replace(/\\s+/g, ' ').slice(0, 40);
  for (const el of document.querySelectorAll(sel)) {
    if (!shown(el)) continue;
    const r = el.getBoundingClientRect();
    // A link inside a sentence is exempt (WCAG 2.5.8's inline exception).
    const inline = el.tagName === 'A' && getComputedStyle(el).display === 'inline'
      && el.parentElement && (el.parentElement.textContent || '').trim().length
         > (el.textContent || '').trim().length;
    // A checkbox or radio whose label is the target: the label's box counts.
    let box = r;
    if (el.type === 'checkbox' || el.type === 'radio') {
      const lab = el.closest('label') || (el.labels && el.labels[0]);
      if (lab) box = lab.getBoundingClientRect();
    }
    if (!inline && (box.width < 24 || box.height < 24)) {
      out.push(`target ${Math.round(box.width)}x${Math.round(box.height)} px (under 24): `
               + `${el.tagName} ${label(el)}`);
    }
    if (r.right > vw + 1 || r.left < -1) {
      out.push(`outside the screen (${Math.round(r.left)}..${Math.round(r.right)}): `
               + `${el.tagName} ${label(el)}`);
    }
  }
  // A chart wider than the screen must sit in a region that scrolls sideways, not be cut.
  for (const svg of document.querySelectorAll('svg')) {
    if (!shown(svg)) continue;
    const r = svg.getBoundingClientRect();
    if (r.width < 100) continue;  // icons
    let el = svg.parentElement, scrolls = false;
    while (el && el !== document.body) {  // the nearest ancestor that does not show overflow
      const ox = getComputedStyle(el).overflowX;
      if (ox !== 'visible') { scrolls = ox === 'auto' || ox === 'scroll'; break; }
      el = el.parentElement;
    }
    if (!scrolls && (r.right > vw + 1 || r.left < -1)) {
      out.push(`chart cut off (${Math.round(r.left)}..${Math.round(r.right)} of ${vw})`);
    }
  }
  // Text cut off: an element that clips its overflow and holds more text than it shows.
  for (const el of document.querySelectorAll('body *')) {
    if (!shown(el) || !el.textContent.trim()) continue;
    const s = getComputedStyle(el);
    const clipsX = ['hidden', 'clip'].includes(s.overflowX) || s.textOverflow === 'ellipsis';
    const clipsY = ['hidden', 'clip'].includes(s.overflowY);
    if (el.tagName === 'SELECT' || el.tagName === 'OPTION') continue;
    if (clipsX && el.scrollWidth > el.clientWidth + 2) {
      out.push(`text cut off sideways (${el.scrollWidth} > ${el.clientWidth}): `
               + `${el.tagName}.${el.className} ${label(el)}`);
    }
    if (clipsY && el.scrollHeight > el.clientHeight + 2 && el.clientHeight > 0) {
      out.push(`text cut off below (${el.scrollHeight} > ${el.clientHeight}): `
               + `${el.tagName}.${el.className} ${label(el)}`);
    }
  }
  return out;
}"""


# A table heading whose word is wider than its column is broken mid-word ("Attem-pts"): a
# heading must fit its words, or not be shown as a column (on a phone rows become cards).
BROKEN_HEADINGS_JS = """() => {
  const out = [];
  const ctx = document.createElement('canvas').getContext('2d');
  for (const th of document.querySelectorAll('.mf-dash table th')) {
    const s = getComputedStyle(th);
    if (s.display === 'none' || th.offsetParent === null) continue;
    ctx.font = `${s.fontWeight} ${s.fontSize} ${s.fontFamily}`;
    const room = th.clientWidth - parseFloat(s.paddingLeft) - parseFloat(s.paddingRight);
    for (const word of th.textContent.trim().split(/\\s+/)) {
      const width = ctx.measureText(word).width;
      if (width > room + 1) {
        out.push(`heading word "${word}" is ${Math.round(width)}px in a ${Math.round(room)}px column`);
      }
    }
  }
  return out;
}"""


def seed(path: Path) -> None:
    """Module 1 attempts graded as the app grades them, so the dashboard's tables and chart
    have rows (a wrong first need in common, and a long pseudonym)."""
    ex = load_exercise("m1_who_is_in_the_boat")
    persons = cohort_for(ex.scenario, ex.seed, ex.size)
    ref = cohort_reference(ex)
    r0 = ref[persons[0].person_id]
    bad = Need.COUNSELLING.value
    if r0["first_need"] == bad:
        bad = Need.URGENT_MEDICAL.value
    with Store(path) as s:
        for who in ("amina", "bo", "participant-with-a-rather-long-pseudonym-2026"):
            answer = {persons[0].person_id: {"profiles": r0["profiles"], "first_need": bad}}
            result = grade(ex, answer)
            s.record(
                learner=who,
                exercise_id=ex.id,
                answer={"seed": ex.seed, "answer": answer},
                score=result.score,
                feedback=result.to_json(),
                session="layout",
            )


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    session = ClassSession(code="layout", pool=0, max_kernels=10)
    store = tmp_path_factory.mktemp("layout") / "attempts.sqlite"
    seed(store)
    with voila_server(store, session=session) as srv:
        yield srv


def check_sizes(page, name: str) -> list[str]:
    ARTIFACTS.mkdir(exist_ok=True)
    problems = []
    for label, (width, height) in SIZES.items():
        page.set_viewport_size({"width": width, "height": height})
        page.wait_for_timeout(600)
        page.screenshot(path=str(ARTIFACTS / f"{name}-{label}.png"), full_page=True)
        problems += [f"{name} at {width}x{height}: {p}" for p in page.evaluate(LAYOUT_JS, TARGETS)]
        problems += [f"{name} at {width}x{height}: {p}" for p in page.evaluate(BROKEN_HEADINGS_JS)]
    return problems


def test_join_page_on_a_phone_and_a_tablet(server, chromium):
    ctx = chromium.new_context(viewport={"width": 390, "height": 844})
    page = ctx.new_page()
    watch = PageWatch()
    watch.attach(page)
    try:
        page.goto(f"{server.url}/join?session=layout")
        page.wait_for_selector("input:not([type=hidden]), button", timeout=60_000)
        problems = check_sizes(page, "join")
        assert not problems, "\n".join(problems)
        watch.check()
    finally:
        ctx.close()


def test_dashboard_on_a_phone_and_a_tablet(server, chromium):
    ctx = chromium.new_context(viewport={"width": 390, "height": 844})
    page = ctx.new_page()
    watch = PageWatch()
    watch.attach(page)
    try:
        page.goto(
            server.app_url(
                "facilitator_dashboard.ipynb", facilitator=server.session.token, session="layout"
            ),
            wait_until="commit",
        )
        wait_rendered(page, ".mf-dash", timeout=240_000)
        page.wait_for_selector(".mf-dash table", timeout=120_000)  # the seeded rows shown
        page.wait_for_selector(".mf-debrief-room table", timeout=120_000)
        page.wait_for_timeout(1000)
        problems = check_sizes(page, "dashboard")
        assert not problems, "\n".join(problems)
        # A debrief's confirmation, open: its question and buttons fit too.
        page.set_viewport_size({"width": 1280, "height": 900})
        page.click(".mf-debrief-ask button, button.mf-debrief-ask")
        page.wait_for_selector(".mf-debrief-question .mf-msg", timeout=30_000)
        problems = check_sizes(page, "dashboard-debrief-confirmation")
        assert not problems, "\n".join(problems)
        watch.check()
    finally:
        ctx.close()
