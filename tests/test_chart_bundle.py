"""Issue 13: altair's offline chart bundle (about 900 KB of JavaScript) is served once by the
page's own server, not carried in every chart's widget state.

A chart's ``_esm`` on a server of the course is a loader of about 4 KB; the course's
Voila server and a Jupyter server (through the extension in share/jupyter_config) serve the
bundle at ``<base url>mixedflows/charts/bundle.js``; a page whose notebook draws charts
preloads it, so the charts' models are set up within anywidget's 2 s. In Chromium, offline (a
console error or a request off the machine fails a test): a page with two charts fetches the
bundle once, no kernel message carries it, and both charts are drawn.
"""

from __future__ import annotations

import json
import re
import urllib.error
import urllib.request
from pathlib import Path

import pytest
from harness import ROOT, PageWatch, lab_server, wait_rendered

from mixedflows.charts import compat, offline

BUNDLE = "/mixedflows/charts/bundle.js"
CHARTS = (".mf-occupancy-chart svg", ".mf-waits-chart svg")
BIG = 200_000
"""A kernel message of this many characters or more would be the bundle (the reception page's
largest message without it is about 150 KB: its first view, both charts' data)."""


@pytest.fixture
def bundle() -> Path:
    offline.warm_cache()  # as ./mfl does before a class
    found = offline.served_bundle()
    assert found is not None
    return found


def test_a_chart_on_a_course_server_carries_a_loader_not_the_bundle(bundle, monkeypatch):
    monkeypatch.setenv(offline.SERVED_ENV, str(bundle.parent))
    src = offline.chart_source()
    assert len(src) < 8_000 and len(bundle.read_bytes()) > 500_000
    assert offline.BUNDLE_URL in src and "import(" in src and "jupyter-config-data" in src
    # altair's own chart widget (the dashboard's) gets the same loader
    chart = compat.chart_widget()
    monkeypatch.setattr(chart, "_is_offline", False, raising=False)
    monkeypatch.setattr(chart, "_esm", "", raising=False)
    offline.enable_offline_charts()
    assert compat.widget_source(chart) == src


@pytest.mark.parametrize("served", ["", "elsewhere"])
def test_without_a_server_serving_the_cache_a_chart_carries_the_bundle(
    bundle, monkeypatch, tmp_path, served
):
    """nbconvert's kernels, a server without the route, or a server serving another cache
    folder: the chart works as before, with the bundle in its state."""
    if served:
        monkeypatch.setenv(offline.SERVED_ENV, str(tmp_path))
    else:
        monkeypatch.delenv(offline.SERVED_ENV, raising=False)
    assert offline.chart_source() == bundle.read_text(encoding="utf-8")


def test_with_two_bundles_for_this_altair_a_chart_carries_the_bundle(bundle, monkeypatch, tmp_path):
    """The server serves the one bundle cached for the installed altair; with two (another
    vl-convert) it serves none, so no chart may ask it for one."""
    cache = tmp_path / "mixedflows"
    cache.mkdir()
    for name in (bundle.name, bundle.name.replace(".js", "-other.js")):
        (cache / name).write_bytes(bundle.read_bytes())
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path))
    monkeypatch.setenv(offline.SERVED_ENV, str(cache))
    assert offline.served_bundle() is None
    assert offline.loader(cache / bundle.name) is None
    assert offline.chart_source() == bundle.read_text(encoding="utf-8")


def _get(url: str, headers: dict | None = None) -> tuple[int, dict, bytes]:
    req = urllib.request.Request(url, headers=headers or {})
    try:
        with urllib.request.urlopen(req, timeout=60) as r:
            return r.status, dict(r.headers), r.read()
    except urllib.error.HTTPError as e:
        return e.code, dict(e.headers), e.read()


def test_the_course_server_serves_the_bundle_and_nothing_else(voila, bundle):
    status, headers, body = _get(voila.url + BUNDLE)
    assert status == 200 and body == bundle.read_bytes()
    assert headers["Content-Type"].startswith("text/javascript")
    assert headers["Cache-Control"] == "no-cache"  # an upgraded altair: the same URL, anew
    status, _, body = _get(voila.url + BUNDLE, {"If-None-Match": headers["Etag"]})
    assert (status, body) == (304, b"")  # a page that holds it already: nothing sent
    for other in (
        bundle.name,
        "other.js",
        "..%2Fbundle.js",
        "%2E%2E/%2E%2E/etc/passwd",
        "bundle.js/x",
    ):
        assert _get(f"{voila.url}/mixedflows/charts/{other}")[0] == 404, other


def _watch_sockets(page) -> list[int]:
    """The size of every message the page receives on its kernel's websocket."""
    sizes: list[int] = []
    page.on(
        "websocket",
        lambda ws: ws.on("framereceived", lambda payload: sizes.append(len(payload))),
    )
    return sizes


def _charts_page(page, url: str) -> tuple[list[str], list[int]]:
    bundles: list[str] = []
    page.on("request", lambda r: bundles.append(r.url) if BUNDLE in r.url else None)
    sizes = _watch_sockets(page)
    page.goto(url, wait_until="commit")
    wait_rendered(page, "button.mf-check", timeout=240_000)
    for chart in CHARTS:
        page.wait_for_selector(chart, timeout=120_000)
    page.wait_for_timeout(2_500)  # past anywidget's 2 s: a model not set up has said so
    return bundles, sizes


@pytest.mark.browser
def test_a_page_with_two_charts_fetches_the_bundle_once(voila, page, bundle):
    bundles, sizes = _charts_page(
        page, voila.app_url("reception_centre.ipynb", learner="tester-bundle")
    )
    assert bundles == [voila.url + BUNDLE]  # preloaded once, both charts import it
    assert page.locator(f"link[rel=modulepreload][href='{BUNDLE}']").count() == 1
    assert sizes and max(sizes) < BIG, max(sizes)  # no message carries the bundle
    page.watch.check()  # no "[anywidget] Failed to initialize model", nothing off the machine


@pytest.mark.browser
def test_a_page_without_charts_does_not_fetch_the_bundle(voila, page):
    requested: list[str] = []
    page.on("request", lambda r: requested.append(r.url))
    page.goto(voila.app_url("who_is_in_the_boat.ipynb", learner="tester-nobundle"))
    wait_rendered(page, "button.mf-submit", timeout=240_000)
    assert not [u for u in requested if "/mixedflows/charts/" in u]
    page.watch.check()


@pytest.mark.browser
def test_jupyterlab_serves_the_bundle_under_its_base_url(tmp_path, chromium, bundle):
    """JupyterLab (as ``./mfl start`` runs it, and a hub's single-user server) loads the
    course's server extension from share/jupyter_config: the route is under the server's base
    URL, and a Voila page it serves gets its charts from there."""
    base = "/course/"
    with lab_server(tmp_path, base_url=base) as lab:
        origin = f"http://127.0.0.1:{lab.port}"
        status, _, body = _get(origin + base.rstrip("/") + BUNDLE)
        assert status == 200 and body == bundle.read_bytes()
        assert _get(origin + BUNDLE)[0] == 404  # under the base URL only
        ctx = chromium.new_context(viewport={"width": 1280, "height": 1000})
        page = ctx.new_page()
        page.watch = PageWatch()
        page.watch.attach(page)
        try:
            url = f"{origin}{base}voila/render/widgets/reception_centre.ipynb?token=t0ken"
            bundles, sizes = _charts_page(page, url)
            assert bundles == [origin + base.rstrip("/") + BUNDLE]
            assert max(sizes) < BIG, max(sizes)
            page.watch.check()
        finally:
            ctx.close()


WIDGETS = ROOT / "src" / "mixedflows" / "widgets"
IMPORTED = re.compile(r"mixedflows\.widgets\.(\w+)|from mixedflows\.widgets import (\w+)")


def _module_files(name: str) -> list[Path]:
    package = WIDGETS / name
    return sorted(package.rglob("*.py")) if package.is_dir() else [WIDGETS / f"{name}.py"]


def _draws_charts(code: str) -> bool:
    """Whether the widget modules a notebook's ``code`` imports make a chart widget (the
    modules it names, not those they import: the return desk borrows the policy lab's
    predict-then-see exercise, not its chart)."""
    for a, b in IMPORTED.findall(code):
        for f in _module_files(a or b):
            text = f.read_text("utf-8") if f.exists() else ""
            if "VegaView(" in text or "JupyterChart(" in text:
                return True
    return False


def test_the_notebooks_that_draw_charts_say_so():
    """The template preloads the bundle for a notebook whose metadata says it draws charts:
    every app whose code makes a chart widget says so, and no other (it would fetch 900 KB
    for nothing)."""
    drawing, said = set(), set()
    for nb in (ROOT / "widgets").glob("*.ipynb"):
        data = json.loads(nb.read_text("utf-8"))
        code = "\n".join("".join(c["source"]) for c in data["cells"] if c["cell_type"] == "code")
        if _draws_charts(code):
            drawing.add(nb.name)
        if (data["metadata"].get("mixedflows") or {}).get("charts"):
            said.add(nb.name)
    assert {"reception_centre.ipynb", "facilitator_dashboard.ipynb"} <= drawing
    assert said == drawing


@pytest.mark.browser
def test_a_page_whose_chart_comes_later_fetches_the_bundle_after_its_first_view(
    voila, page, bundle
):
    """Issue 13 start-up: the policy lab's chart is its second step, so its page does not
    fetch the 900 KB bundle on the way to its first view (``"charts": "later"``): it fetches it
    once its widgets are shown, and the chart opened then is drawn with its model set up in
    time (no "Failed to initialize model"). Fails before: the bundle was preloaded in the
    page's head, requested before the first view was shown."""
    requested: list[str] = []
    warned: list[str] = []
    page.on("request", lambda r: requested.append(r.url) if BUNDLE in r.url else None)
    page.on("console", lambda m: warned.append(m.text) if m.type == "warning" else None)
    page.add_init_script(SHOWN_AT.replace("SELECTOR", "button.mf-see"))
    page.goto(voila.app_url("policy_lab.ipynb", learner="tester-later"), wait_until="commit")
    wait_rendered(page, "button.mf-see", timeout=240_000)
    page.wait_for_function(
        f"() => !!document.querySelector(\"link[rel=modulepreload][href='{BUNDLE}']\")",
        timeout=60_000,
    )
    page.wait_for_function(
        f"() => performance.getEntriesByType('resource').some(e => e.name.endsWith('{BUNDLE}'))",
        timeout=60_000,
    )
    started, shown = page.evaluate(
        f"""() => [performance.getEntriesByType('resource')
                     .find(e => e.name.endsWith('{BUNDLE}')).startTime, window.__shownAt]"""
    )
    assert requested == [voila.url + BUNDLE]
    assert shown is not None and started >= shown, (started, shown)
    page.get_by_role("button", name="2. Explore the lab").click()
    page.wait_for_selector(".mf-charts canvas, .mf-charts svg", timeout=120_000)
    page.wait_for_timeout(2_500)  # past anywidget's 2 s: a model not set up has said so
    page.watch.check()
    # the lab's four charts share one legend without Vega-Lite's "Conflicting legend property"
    # (six warnings a page, a cold trial), and offer no menu of actions (its "Open in Vega
    # Editor" leads off the machine)
    assert not [m for m in warned if "Conflicting" in m], warned
    assert page.locator(".mf-charts .vega-embed").count() == 1
    assert page.locator(".mf-charts .vega-embed details").count() == 0


SHOWN_AT = """
new MutationObserver(() => {
  const e = document.querySelector("SELECTOR");
  if (e && e.offsetParent && window.__shownAt === undefined) window.__shownAt = performance.now();
}).observe(document, {subtree: true, childList: true, attributes: true});
"""
"""An init script: the page's clock (ms) when SELECTOR was first shown, as ``__shownAt``."""


def test_a_dashboard_without_scores_makes_no_chart_model(tmp_path):
    """The dashboard's chart is made once the session has scores: before then the page creates
    no chart model, so its first view needs no bundle (its notebook says "charts": "later")."""
    import ipywidgets as w

    from mixedflows.charts.view import VegaView
    from mixedflows.store import Store
    from mixedflows.widgets.dashboard import Dashboard

    store = Store(str(tmp_path / "s.sqlite"))
    before = set(w.Widget.widgets)
    d = Dashboard(store, "ws", interval=3600)
    d.refresh(force=True)
    made = [w.Widget.widgets[k] for k in set(w.Widget.widgets) - before]
    assert d.chart is None and not [m for m in made if isinstance(m, VegaView)]
    store.record(
        learner="dee",
        exercise_id="m1_who_is_in_the_boat",
        answer={},
        score=0.5,
        feedback={},
        session="ws",
    )
    assert d.refresh()
    assert isinstance(d.chart, VegaView) and d.chart_box.children == (d.chart,)
    assert d.chart_box.layout.display == "flex" and d.chart.spec["datasets"]
    notebooks = {  # (their other key, module_page, is the app's link to its module's page)
        nb: json.loads((ROOT / "widgets" / nb).read_text("utf-8"))["metadata"]["mixedflows"][
            "charts"
        ]
        for nb in ("facilitator_dashboard.ipynb", "policy_lab.ipynb", "reception_centre.ipynb")
    }
    assert notebooks == {
        "facilitator_dashboard.ipynb": "later",
        "policy_lab.ipynb": "later",
        # its first view shows two charts drawn at install (VegaView.svg), live once idle
        "reception_centre.ipynb": "later",
    }
