"""The reception-centre app in a real browser: Voila serves widgets/reception_centre.ipynb,
Chromium moves its controls, and the charts change. Offline: only loopback is reachable, and
the charts (alt.JupyterChart, offline mode) must load without a CDN."""

from __future__ import annotations

import pytest
from a11y import unnamed_stops
from harness import wait_rendered

from mixedflows.exercises import load_exercise
from mixedflows.reception import Plan, day_night, simulate

pytestmark = pytest.mark.browser

OCCUPANCY = ".mf-occupancy-chart svg"
WAITS = ".mf-waits-chart svg"


def svg(page, selector: str) -> str:
    return page.inner_html(selector)


def wait_svg_change(page, selector: str, old: str, timeout: float = 60_000) -> str:
    page.wait_for_function(
        "([sel, old]) => { const e = document.querySelector(sel);"
        " return e && e.innerHTML !== old; }",
        arg=[selector, old],
        timeout=timeout,
    )
    return svg(page, selector)


def type_into(page, control: str, value: int) -> None:
    """Type a value into a slider's readout, as a learner can."""
    readout = page.locator(f"{control} .widget-readout")
    readout.fill(str(value))  # focuses the editable readout and replaces its text
    readout.press("Enter")


def test_moving_a_control_changes_the_charts(voila, page):
    page.goto(
        voila.app_url("reception_centre.ipynb", learner="tester-reception"), wait_until="commit"
    )
    wait_rendered(page, "button.mf-check", timeout=240_000)
    page.wait_for_selector(OCCUPANCY, timeout=120_000)
    page.wait_for_selector(WAITS, timeout=120_000)
    assert "def " not in page.inner_text("body")  # no code on screen
    assert "UNHCR and Caritas" in page.inner_text("body")  # the capacity's source beside it

    # The page shows what the engine computes for the starting plan.
    params = load_exercise("m4_staff_the_centre").params
    start = params.starting_plan
    expected = simulate(params.season, start, params.config(), seed=1).metrics
    summary = page.inner_text(".mf-summary")
    assert f"people over {92} days" in summary
    assert f"on {int(expected['days_over_capacity'])} days" in summary

    # Beds: the occupancy chart is redrawn with the new beds line and the new count.
    occupancy, waits = svg(page, OCCUPANCY), svg(page, WAITS)
    type_into(page, ".mf-beds", 900)
    wait_svg_change(page, OCCUPANCY, occupancy)
    plan = start.model_copy(update={"beds": 900})
    expected = simulate(params.season, plan, params.config(), seed=1).metrics
    page.wait_for_function(
        "t => document.querySelector('.mf-summary').innerText.includes(t)",
        arg=f"on {int(expected['days_over_capacity'])} days",
        timeout=30_000,
    )

    # Staff: two more child-protection staff at night, with the keyboard on the slider;
    # children wait less and the waiting-time chart is redrawn.
    handle = page.locator(".mf-child-protection-night .noUi-handle")
    handle.focus()
    page.keyboard.press("ArrowRight")
    page.keyboard.press("ArrowRight")
    wait_svg_change(page, WAITS, waits)
    staff = dict(plan.staff)
    staff["child_protection"] = day_night(2, 2)
    plan = Plan(
        staff=staff,
        beds=900,
        transfers_per_day=start.transfers_per_day,
        transfer_hour=start.transfer_hour,
    )
    expected = simulate(params.season, plan, params.config(), seed=1).metrics
    page.wait_for_function(
        "t => document.querySelector('.mf-summary').innerText.includes(t)",
        arg=f"{expected['child_max_wait']:.1f} h",
        timeout=30_000,
    )

    # Check the plan: graded over five seasons, with feedback citing the note.
    page.click("button.mf-check")
    page.wait_for_selector(".mf-feedback .mf-score", timeout=120_000)
    feedback = page.inner_text(".mf-feedback")
    assert "Score:" in feedback and "MC/INF/294" in feedback
    assert "Within budget" in feedback
    page.watch.check()


FIRST_SHOWN = """
window.__first = {};
new MutationObserver(() => {
  for (const name of ["occupancy", "waits"]) {
    const box = document.querySelector(`.mf-${name}-chart`);
    const svg = box && box.querySelector("svg");
    if (svg && !(name in window.__first)) {
      window.__first[name] = {state: box.dataset.mfChart, at: performance.now(),
                              width: svg.getAttribute("width"), height: svg.getAttribute("height"),
                              labels: [...svg.querySelectorAll("[aria-label]")]
                                .map(e => e.getAttribute("aria-label")),
                              text: svg.textContent};
    }
  }
}).observe(document, {subtree: true, childList: true, attributes: true});
"""
"""An init script: each chart's first drawing as the page showed it (``window.__first``)."""

LIVE = """name => { const box = document.querySelector(`.mf-${name}-chart`);
  return box && box.dataset.mfChart === "live" && box.querySelectorAll("svg").length === 1; }"""


def _drawing(page, name: str) -> dict:
    return page.evaluate(
        """name => { const svg = document.querySelector(`.mf-${name}-chart svg`);
          return {labels: [...svg.querySelectorAll("[aria-label]")]
                    .map(e => e.getAttribute("aria-label")), text: svg.textContent,
                  width: svg.getAttribute("width"), height: svg.getAttribute("height")}; }""",
        name,
    )


def test_the_first_charts_are_shown_drawn_ahead_then_drawn_live(voila, page):
    """Issue 13 start-up: with the memo ./mfl keeps at install, the page's first view shows both
    charts as drawn ahead (by vl-convert, from the specs the page fills) before the chart bundle
    is fetched, then draws them live (tooltips, redraws) once the browser is idle: the live
    charts carry the same marks, labels and text as the drawings shown first, and a control
    moved after redraws them. Fails before: the first view waited for the bundle and Vega."""
    import json

    import vl_convert

    from mixedflows.charts.view import _measuring_font
    from mixedflows.widgets.reception import drawn_charts, warm_first_view

    measured = _measuring_font(vl_convert) is not None
    kept = drawn_charts(json.loads(warm_first_view().read_text("utf-8")))  # as ./mfl does
    assert set(kept) == {"occupancy", "waits"}
    fetched: list[float] = []
    page.on("request", lambda r: fetched.append(1) if "/mixedflows/charts/" in r.url else None)
    page.add_init_script(FIRST_SHOWN)
    page.goto(voila.app_url("reception_centre.ipynb", learner="tester-drawn"), wait_until="commit")
    wait_rendered(page, "button.mf-check", timeout=240_000)
    for name in ("occupancy", "waits"):
        page.wait_for_function(LIVE, arg=name, timeout=120_000)
    first = page.evaluate("window.__first")
    started = page.evaluate(
        """() => performance.getEntriesByType('resource')
             .find(e => e.name.includes('/mixedflows/charts/')).startTime"""
    )
    for name in ("occupancy", "waits"):
        shown = first[name]
        assert shown["state"] == "drawn", shown["state"]  # the drawing, not the live chart
        assert started >= shown["at"], (started, shown["at"])  # shown before the bundle asked
        live = _drawing(page, name)
        assert shown["labels"] and shown["labels"] == live["labels"]  # the same marks
        assert shown["text"] == live["text"]  # the same titles, axes and legends
        if measured:  # measured with the font this Chromium draws: the same layout, no jump
            assert (shown["width"], shown["height"]) == (live["width"], live["height"])
    assert fetched  # the bundle, fetched once the first view was shown

    occupancy = svg(page, OCCUPANCY)
    type_into(page, ".mf-beds", 900)
    wait_svg_change(page, OCCUPANCY, occupancy)  # a live redraw
    page.watch.check()  # no console error, nothing off the machine


def _charts(page) -> list[dict]:
    return page.evaluate(
        """() => ['occupancy', 'waits'].map(name => {
             const e = document.querySelector(`.mf-${name}-chart`);
             return {state: e.dataset.mfChart, text: e.innerText, svgs: e.querySelectorAll('svg').length,
                     role: e.getAttribute('role'), label: e.getAttribute('aria-label'),
                     tab: e.getAttribute('tabindex'), client: e.clientWidth, scroll: e.scrollWidth};
           })"""
    )


def test_without_the_chart_library_a_drawing_stays_until_it_is_stale_then_the_chart_says_so(
    voila, chromium
):
    """A classroom server that fails to serve the chart library (a cold trial blocked it): the
    first view's drawings are shown and stay; once a control moves, a chart whose drawing no
    longer shows the plan says it could not be drawn (never a stale chart without a word); a
    page whose charts have no drawing (a learner's draft, simulated) says so at once; no
    uncaught error. Fails before: the stale drawing stayed, and charts with none were empty
    boxes with an uncaught "Failed to fetch dynamically imported module"."""
    import json

    from mixedflows.widgets.reception import drawn_charts, warm_first_view

    assert drawn_charts(json.loads(warm_first_view().read_text("utf-8")))
    ctx = chromium.new_context(viewport={"width": 1280, "height": 1000})
    page = ctx.new_page()
    uncaught: list[str] = []
    page.on("pageerror", lambda e: uncaught.append(str(e)))
    page.route("**/mixedflows/charts/**", lambda r: r.abort())
    try:
        page.goto(voila.app_url("reception_centre.ipynb", learner="tester-nolib"))
        wait_rendered(page, "button.mf-check", timeout=240_000)
        page.wait_for_timeout(3_500)  # past the idle moment the charts would go live
        assert [c["state"] for c in _charts(page)] == ["drawn", "drawn"]
        assert all(c["svgs"] == 1 for c in _charts(page))
        type_into(page, ".mf-beds", 900)  # the occupancy chart's drawing is stale now
        page.wait_for_function(
            "() => document.querySelector('.mf-occupancy-chart').dataset.mfChart === 'failed'",
            timeout=60_000,
        )
        occupancy = _charts(page)[0]
        assert occupancy["svgs"] == 0 and "could not be drawn" in occupancy["text"]
        assert "Reload the page" in occupancy["text"]

        page.reload()  # the same learner: the draft, simulated, has no drawing
        wait_rendered(page, "button.mf-check", timeout=240_000)
        page.wait_for_function(
            "() => [...document.querySelectorAll('.mf-occupancy-chart, .mf-waits-chart')]"
            ".every(e => e.dataset.mfChart === 'failed')",
            timeout=60_000,
        )
        assert not uncaught, uncaught
    finally:
        ctx.close()


def test_on_a_phone_a_wide_chart_scrolls_in_a_named_box_the_keyboard_reaches(voila, chromium):
    """390x844 (a cold trial: the charts were cut at 360 px, the longest waits out of sight):
    each chart scrolls sideways in its own box, which is named by the chart's title and
    reachable with Tab; the page itself never scrolls sideways."""
    ctx = chromium.new_context(viewport={"width": 390, "height": 844})
    page = ctx.new_page()
    try:
        page.goto(voila.app_url("reception_centre.ipynb", learner="tester-phonechart"))
        wait_rendered(page, "button.mf-check", timeout=240_000)
        for name in ("occupancy", "waits"):
            page.wait_for_function(LIVE, arg=name, timeout=120_000)
        page.wait_for_timeout(300)
        for chart in _charts(page):
            assert chart["scroll"] > chart["client"] > 0, chart
            assert chart["role"] == "region" and chart["tab"] == "0", chart
            assert chart["label"].endswith("(chart, scrolls sideways)"), chart
            assert "  " not in chart["label"] and ")and" not in chart["label"], chart
        box = page.locator(".mf-waits-chart")
        box.focus()
        for _ in range(5):
            page.keyboard.press("ArrowRight")  # the keyboard scrolls it to the longest waits
        page.wait_for_function(
            "() => document.querySelector('.mf-waits-chart').scrollLeft > 0", timeout=10_000
        )
        assert page.evaluate("document.documentElement.scrollWidth") <= 390
    finally:
        ctx.close()


@pytest.mark.parametrize("width", [1280, 768])
def test_the_charts_fit_a_tablet_and_a_desktop_with_no_unnamed_keyboard_stop(
    voila, chromium, width
):
    """A second cold trial: at 768 px the waits chart (753 px in a 738 px box) showed its last
    axis label cut, and the charts' column was a keyboard stop with no role or name and nothing
    to scroll (at 1280 px too). Both charts now fit their boxes, and no box the keyboard stops
    on lacks a role and a name."""
    ctx = chromium.new_context(viewport={"width": width, "height": 1000})
    page = ctx.new_page()
    try:
        page.goto(voila.app_url("reception_centre.ipynb", learner=f"tester-fit{width}"))
        wait_rendered(page, "button.mf-check", timeout=240_000)
        for name in ("occupancy", "waits"):
            page.wait_for_function(LIVE, arg=name, timeout=120_000)
        page.wait_for_timeout(300)
        for chart in _charts(page):
            assert chart["scroll"] <= chart["client"] + 1, chart  # the whole chart in view
            assert chart["role"] is None and chart["tab"] is None, chart  # nothing to scroll
        assert unnamed_stops(page) == []
    finally:
        ctx.close()
