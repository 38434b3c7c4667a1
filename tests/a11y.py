"""Accessibility checks in the browser tests: axe-core, loaded from the local package
(axe-playwright-python ships axe.min.js), never from a CDN.

:func:`serious_violations` runs axe on the page and returns the critical and serious violations,
each as one readable line (rule, impact, how many nodes, the first node's selector).
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
