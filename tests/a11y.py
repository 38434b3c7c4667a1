"""Accessibility checks in the browser tests: axe-core, loaded from the local package
(axe-playwright-python ships axe.min.js), never from a CDN.

:func:`serious_violations` runs axe on the page and returns the critical and serious violations,
each as one readable line (rule, impact, how many nodes, the first node's selector).

The checks every browser test makes of a page at desktop and phone sizes live here too:
:func:`overflow` (how far the page is wider than the screen), :func:`layout_problems` (every
control visible, inside the screen's width and not covered), and :func:`check_screen`, which
makes them all (no code on screen, no sideways scroll, no serious axe violation, optionally the
layout check) with one message naming the page and the size.
"""

from __future__ import annotations

from pathlib import Path


def axe_script() -> Path:
    import axe_playwright_python

    return Path(axe_playwright_python.__file__).parent / "axe.min.js"


def serious_violations(page, context: str = "body") -> list[str]:
    """Critical and serious axe-core violations on the page (WCAG 2.0/2.1 A and AA rules)."""
    if not page.evaluate("() => typeof window.axe !== 'undefined'"):
        page.add_script_tag(path=str(axe_script()))
    result = page.evaluate(
        """async (ctx) => await axe.run(document.querySelector(ctx), {
             runOnly: {type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa']},
             resultTypes: ['violations']})""",
        context,
    )
    out = []
    for v in result["violations"]:
        if v.get("impact") in ("critical", "serious"):
            first = v["nodes"][0]["target"] if v["nodes"] else ""
            out.append(f"{v['id']} ({v['impact']}, {len(v['nodes'])} nodes, e.g. {first})")
    return out


OVERFLOW_JS = "() => document.documentElement.scrollWidth - document.documentElement.clientWidth"


def overflow(page) -> int:
    """How many pixels the page is wider than the screen (more than 1: it scrolls sideways)."""
    return page.evaluate(OVERFLOW_JS)


def assert_fits(page, where: str = "", most: int = 1) -> None:
    """The page does not scroll sideways (at most ``most`` px wider than the screen)."""
    px = overflow(page)
    assert px <= most, f"{where}: the page is {px}px wider than the screen"


def assert_accessible(page, where: str = "") -> None:
    """No critical or serious axe-core violation on the page."""
    problems = serious_violations(page)
    assert not problems, f"{where}:\n" + "\n".join(problems)


# Elements a learner acts on (the slider's handle, not its hidden input).
INTERACTIVE = (
    "button:not([disabled]), select, textarea, input:not([type=hidden]):not([disabled]), "
    "a[href], [role=slider], [tabindex]:not([tabindex='-1'])"
)
LAYOUT_JS = """(sel) => {
  const vw = document.documentElement.clientWidth;
  const out = [];
  for (const el of document.querySelectorAll(sel)) {
    if (el.closest('.jp-OutputArea-output') === null && el.closest('#rendered_cells') === null
        && !el.closest('.mf-join')) continue;
    const style = getComputedStyle(el);
    if (style.display === 'none' || style.visibility === 'hidden') continue;
    // hidden on purpose: inside a collapsed box (display none higher up)
    if (el.offsetParent === null && style.position !== 'fixed') continue;
    el.scrollIntoView({block: 'center', inline: 'nearest'});
    const r = el.getBoundingClientRect();
    const name = (el.className && el.className.baseVal === undefined ? el.className : '')
      + ' ' + (el.getAttribute('aria-label') || el.textContent || el.value || '').trim().slice(0, 40);
    if (r.width < 1 || r.height < 1) { out.push(`invisible: ${el.tagName} ${name}`); continue; }
    if (r.left < -1 || r.right > vw + 1) {
      out.push(`outside the width (${Math.round(r.left)}..${Math.round(r.right)} of ${vw}): `
               + `${el.tagName} ${name}`);
      continue;
    }
    const x = r.left + r.width / 2, y = r.top + r.height / 2;
    const top = document.elementFromPoint(x, y);
    if (top && top !== el && !el.contains(top) && !top.contains(el)
        && !(el.tagName === 'INPUT' && top.tagName === 'LABEL' && top.contains(el))
        && !(top.tagName === 'LABEL' && el.labels && [...el.labels].includes(top))) {
      out.push(`covered by ${top.tagName}.${top.className}: ${el.tagName} ${name}`);
    }
  }
  return out;
}"""


def layout_problems(page, selector: str = INTERACTIVE) -> list[str]:
    """Every control (``selector``) visible, inside the screen's width and not covered by
    another element (bounding boxes and elementFromPoint): one line per one that is not."""
    return page.evaluate(LAYOUT_JS, selector)


def check_screen(page, where: str, *, layout: bool = False) -> None:
    """What a learner sees, at this size: no code on screen, nothing wider than the screen, no
    critical or serious axe violation and (``layout``) every control visible and uncovered."""
    body = page.inner_text("body")
    assert "import " not in body and "def " not in body, f"{where}: code on screen"
    assert_fits(page, where)
    assert_accessible(page, where)
    if layout:
        bad = layout_problems(page)
        assert not bad, f"{where}: " + "\n".join(bad)


UNNAMED_STOPS_JS = """() => [...document.querySelectorAll('[tabindex="0"]')]
  .filter(e => !e.matches('a, button, input, select, textarea, summary, [contenteditable]'))
  .filter(e => e.offsetParent !== null)
  .filter(e => !e.getAttribute('role') || !(e.getAttribute('aria-label') || '').trim())
  .map(e => e.className.toString().slice(0, 80))"""


def unnamed_stops(page) -> list[str]:
    """Boxes the keyboard stops on (tabindex 0, not a control) that have no role or no name: a
    screen reader then reads their whole content with nothing to say what it is (a cold trial
    found chart boxes with nothing to scroll at 1280 px)."""
    return page.evaluate(UNNAMED_STOPS_JS)
