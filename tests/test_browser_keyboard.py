"""Each graded app completed with the keyboard only, in Chromium on a real Voila (issue 13):
the screening desk, the reception centre, the policy lab and module 10's who does what. A
learner answers one exercise and submits it with Tab, Shift+Tab, Space, Enter and the arrow
keys, never the mouse, and

- every element the focus lands on shows a ring that can be measured (an outline or a box
  shadow at least 2 px wide, not ``none``): WCAG 2.4.7;
- Tab always moves the focus on, and Shift+Tab back (no keyboard trap): WCAG 2.1.2;
- the result is announced (the status line is a polite live region holding the score) and the
  feedback can be reached by Tab from the submit button: WCAG 4.1.3;
- the attempt is in the store.

The reception centre's beds slider moves with the arrow keys and the season is run again
(the summary says so). One Voila server and one browser serve the whole module."""

from __future__ import annotations

import pytest
from harness import PageWatch, voila_server, wait_attempts, wait_rendered

from mixedflows.grading import grade
from mixedflows.server.serve import ClassSession

pytestmark = pytest.mark.browser

# What the focused element looks like: its tag and classes, and how its focus ring measures.
FOCUS_JS = """() => {
  const el = document.activeElement;
  if (!el || el === document.body || el === document.documentElement) return null;
  const s = getComputedStyle(el);
  const outline = s.outlineStyle !== 'none' ? parseFloat(s.outlineWidth) || 0 : 0;
  // a box-shadow ring: the largest spread of the shadows (the 4th length of each)
  let shadow = 0;
  if (s.boxShadow && s.boxShadow !== 'none') {
    for (const part of s.boxShadow.split(/,(?![^(]*\\))/)) {
      const px = part.replace(/rgba?\\([^)]*\\)/, '').match(/-?[\\d.]+px/g) || [];
      if (px.length >= 4) shadow = Math.max(shadow, parseFloat(px[3]));
    }
  }
  if (!el.dataset.kb) { window.__kb = (window.__kb || 0) + 1; el.dataset.kb = window.__kb; }
  const cls = (typeof el.className === 'string' ? el.className : '').trim();
  const owner = el.closest('.jupyter-widgets');
  return {
    key: el.dataset.kb,
    id: el.tagName + '.' + cls.replace(/\\s+/g, '.') + ':' + (el.getAttribute('aria-label')
        || el.textContent || el.value || '').trim().slice(0, 30),
    ring: Math.max(outline, shadow),
    widget: owner ? (owner.className || '') : '',
  };
}"""


class Keyboard:
    """Drive a page with keys only, checking every focus stop on the way."""

    def __init__(self, page) -> None:
        self.page = page
        self.stops: list[dict] = []

    def focused(self) -> dict | None:
        return self.page.evaluate(FOCUS_JS)

    def on(self, selector: str) -> bool:
        return self.page.evaluate(
            "(s) => !!document.activeElement && document.activeElement.matches(s)", selector
        )

    def press(self, key: str) -> dict | None:
        before = self.focused()
        self.page.keyboard.press(key)
        after = self.focused()
        if key in ("Tab", "Shift+Tab") and before is not None:
            assert after is None or after["key"] != before["key"], (
                f"{key} left the focus on {before['id']}: a keyboard trap"
            )
        if after is not None:
            self.stops.append(after)
            assert after["ring"] >= 2, (
                f"no visible focus ring on {after['id']} (ring {after['ring']} px)"
            )
        return after

    def tab_to(self, selector: str, *, back: bool = False, limit: int = 150) -> None:
        key = "Shift+Tab" if back else "Tab"
        for _ in range(limit):
            self.press(key)
            if self.on(selector):
                return
        raise AssertionError(f"{key} never reached {selector}")


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    session = ClassSession(code="keys", pool=0, max_kernels=20)
    store = tmp_path_factory.mktemp("keys") / "attempts.sqlite"
    with voila_server(store, session=session) as srv:
        yield srv


@pytest.fixture
def kb_page(chromium):
    ctx = chromium.new_context(viewport={"width": 1280, "height": 900})
    page = ctx.new_page()
    watch = PageWatch()
    watch.attach(page)
    yield page, watch
    ctx.close()


def open_app(server, page, notebook: str, learner: str, ready: str) -> Keyboard:
    page.goto(server.app_url(notebook, learner=learner), wait_until="commit")
    wait_rendered(page, ready, timeout=240_000)
    page.wait_for_timeout(500)  # the naming script runs on the next frame
    return Keyboard(page)


def recorded(server, learner: str, timeout: float = 15) -> list:
    return wait_attempts(server.store, timeout=timeout, learner=learner)


def announced_and_reachable(page, kb: Keyboard, submit: str, words: str) -> None:
    """The status line is a live region that says ``words``; Tab from Submit reaches the
    feedback, and Shift+Tab comes back to Submit."""
    try:
        page.wait_for_function(
            "(w) => [...document.querySelectorAll('.mf-status')].some("
            "s => s.innerText.includes(w))",
            arg=words,
            timeout=240_000,
        )
    except Exception as e:
        said = page.evaluate(
            "() => [...document.querySelectorAll('.mf-status')].map(s => s.innerText)"
        )
        raise AssertionError(f"the status never said {words!r}: {said}") from e
    live = page.evaluate(
        """(w) => [...document.querySelectorAll('.mf-status')]
             .filter(s => s.innerText.includes(w))
             .map(s => s.getAttribute('aria-live') || (s.getAttribute('role') === 'status'
                  ? 'polite' : ''))""",
        words,
    )
    assert live and live[0] in ("polite", "assertive"), f"status not a live region: {live}"
    assert kb.on(submit), "the focus left the submit button while the result came"
    kb.tab_to(".mf-feedback .mf-fb, .mf-feedback .mf-fb *")
    assert page.evaluate(
        """() => { const r = document.activeElement.getBoundingClientRect();
                   return r.top >= 0 && r.bottom <= window.innerHeight + 1; }"""
    ), "the focused feedback is off the screen"
    kb.tab_to(submit, back=True)


def test_screening_desk_with_the_keyboard_only(server, kb_page):
    page, watch = kb_page
    learner = "keys-desk"
    kb = open_app(server, page, "screening_desk.ipynb", learner, "button.mf-desk-submit")
    # An indicator ticked with Space, a referral placed first with an arrow key.
    kb.tab_to(".mf-dim-box input")
    box = page.evaluate("() => document.activeElement.closest('.mf-check').className")
    kb.press("Space")
    assert page.evaluate("() => document.activeElement.checked"), box
    kb.tab_to(".mf-ranks select")
    kb.press("ArrowDown")
    assert page.evaluate("() => document.activeElement.value") != "0"
    # Shift+Tab back to the indicator, then on to Submit.
    kb.tab_to(".mf-dim-box input", back=True)
    kb.tab_to("button.mf-desk-submit")
    kb.press("Enter")
    announced_and_reachable(page, kb, "button.mf-desk-submit", "%")
    assert len(recorded(server, learner)) == 1
    watch.check()


def test_the_desks_skip_link_passes_the_indicators(server, kb_page):
    """By keyboard, the 77 indicator checkboxes stood between a file's interview and its
    referrals (about 100 Tab presses a file): a link before them lands on the referrals, and the
    next Tab is the first referral's place."""
    page, watch = kb_page
    kb = open_app(server, page, "screening_desk.ipynb", "keys-skip", "button.mf-desk-submit")
    kb.tab_to("a.mf-skip")
    kb.press("Enter")
    assert kb.on("#mf-desk-referrals"), kb.focused()  # the referrals' label, its ring shown
    kb.tab_to(".mf-ranks select", limit=1)
    watch.check()


def test_who_does_what_with_the_keyboard_only(server, kb_page):
    """Module 10's mapping: each task's actor chosen with the arrow keys, Submit with Enter; the
    grade announced is the one the rules give the answer the keys made."""
    from mixedflows.cooperation import mandates as md
    from mixedflows.exercises import load_exercise

    page, watch = kb_page
    learner = "keys-mapping"
    ex = load_exercise("m10_who_does_what")
    tasks = md.asked(ex.params)
    kb = open_app(server, page, "who_does_what.ipynb", learner, "button.mf-submit")
    for t in tasks:
        kb.tab_to(f".mf-task-{t.id.replace('_', '-')} select")
        kb.press("ArrowDown")  # the first actor of the list
        assert page.evaluate("() => document.activeElement.value") != ""
    # Shift+Tab back to the first task, then on to Submit.
    kb.tab_to(f".mf-task-{tasks[0].id.replace('_', '-')} select", back=True)
    kb.tab_to("button.mf-submit")
    kb.press("Enter")
    first = next(iter(md.actors()))
    pct = f"{round(grade(ex, {t.id: first for t in tasks}).score * 100)}%"
    announced_and_reachable(page, kb, "button.mf-submit", pct)
    (row,) = recorded(server, learner)
    assert row.answer == {t.id: first for t in tasks} and row.grade_shown == pct
    watch.check()


def test_reception_centre_with_the_keyboard_only(server, kb_page):
    page, watch = kb_page
    learner = "keys-reception"
    kb = open_app(server, page, "reception_centre.ipynb", learner, ".mf-occupancy-chart svg")
    summary = page.inner_text(".mf-summary")
    kb.tab_to(".mf-beds .noUi-handle")
    before = page.get_attribute(".mf-beds .noUi-handle", "aria-valuenow")
    for _ in range(30):
        kb.press("ArrowLeft")
    after = page.get_attribute(".mf-beds .noUi-handle", "aria-valuenow")
    assert after is not None and before is not None and float(after) < float(before), (
        f"the beds handle did not move with the arrow keys ({before} -> {after})"
    )
    beds = round(float(after))
    # The value reached the kernel, which ran the season again and redrew the summary.
    page.wait_for_function(
        "(s) => document.querySelector('.mf-summary').innerText !== s",
        arg=summary,
        timeout=60_000,
    )
    assert page.inner_text(".mf-beds .widget-readout").strip().replace(",", "") == str(beds)
    kb.tab_to("button.mf-check")
    kb.press("Enter")
    announced_and_reachable(page, kb, "button.mf-check", "Checked over")
    rows = recorded(server, learner)
    assert len(rows) == 1
    watch.check()


def test_policy_lab_with_the_keyboard_only(server, kb_page):
    page, watch = kb_page
    learner = "keys-policy"
    kb = open_app(server, page, "policy_lab.ipynb", learner, "button.mf-see")
    # The first prediction: Tab to its first choice, Space chooses it.
    kb.tab_to("[class*=mf-predict-] button")
    chosen = page.evaluate("() => document.activeElement.textContent.trim()")
    kb.press("Space")
    page.wait_for_function(
        "() => document.activeElement.classList.contains('mod-active')", timeout=10_000
    )
    kb.tab_to("button.mf-see")
    kb.press("Enter")
    announced_and_reachable(page, kb, "button.mf-see", "Recorded")
    rows = recorded(server, learner)
    assert len(rows) == 1, chosen
    watch.check()
