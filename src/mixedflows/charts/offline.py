"""Charts that work with no internet, without paying for it in every kernel.

``alt.JupyterChart.enable_offline()`` makes altair's chart widget carry vega itself (bundled by
vl-convert) instead of loading it from a CDN. Bundling takes seconds of CPU, and Voila runs it
again in every kernel: 30 participants, 30 bundles. Here the bundle is built once, kept in a
cache file keyed by the altair and vl-convert versions, and read back by every later kernel.
The private parts of altair this needs are used through :mod:`.compat`.

**Served once, not carried by every chart** (issue 13). A chart widget's ``_esm`` is one of
its synced traits: with the bundle in it, every chart sent its page about 900 KB, and the page
turned each copy into a module of its own, within the 2 s anywidget gives a model to set up
("Failed to initialize model" on a loaded machine). A server of the course serves the cached
file at ``<base url>mixedflows/charts/bundle.js`` (:mod:`mixedflows.server.charts`: the course's
Voila server, and a Jupyter server through the extension enabled in share/jupyter_config) and
tells its kernels so (:data:`SERVED_ENV`, the folder it serves). A kernel that sees it gives
its charts :func:`loader` as ``_esm``: about 4 KB that import that URL, on the page's
own server (loopback in a classroom; nothing from a CDN), so a page with several charts fetches
and compiles the bundle once, and a page whose notebook draws charts preloads it while its
kernel runs (the course's Voila template). Anywhere else (a kernel run by nbconvert, a server
without the route) the charts carry the bundle as before.

**Evaluated before the charts ask, drawn one at a time** (issue 13 start-up). A chart's model
waits for its module, and a CPU profile of the reception's cold page showed the bundle evaluated
when the first chart's model was made, while the page's other widgets waited. The course's
template imports the bundle once the page has loaded and the browser is idle (before the
kernel's widgets arrive); the loader draws a page's charts one after the other, so the first is
shown without waiting for the second. Measured with the Vega goldens (:mod:`.specs`), in the
page, 16 rounds alternating with the commit before (``benchmarks/startup.py --issue13 --only
reception_centre.ipynb --marks --before DIR``): the first chart 75 ms sooner, 81 ms after the
Check button instead of 112 ms. The whole cold page, 15 rounds alternating the same way, was
not measurably faster (after / before 1.03x, within the rounds' noise;
docs/benchmarks_issue13.md).

**Drawn ahead, drawn live later** (issue 13 start-up, fifth pass). The loader imports the bundle
when a chart is first drawn live, never while its model is made. A chart whose model carries
its drawing (``VegaView.svg``: the reception's first season, drawn by vl-convert at install)
shows that drawing at once and is drawn live when the browser is next idle or its spec changes;
its page's first view waits for neither the bundle nor Vega, and the bundle is fetched once
the page's widgets are shown (the notebook's ``"charts": "later"``). A page that cannot get the
bundle (a cold trial blocked it) keeps a drawing only while it shows the current spec; a chart
whose drawing went stale, or that had none, says it could not be drawn, and tries again at its
next change.
"""

from __future__ import annotations

import os
import re
import tempfile
from pathlib import Path


def cache_dir() -> Path:
    base = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(base) / "mixedflows"


SERVED_ENV = "MIXEDFLOWS_CHARTS_SERVED"
"""Set by a server that serves the cached bundles: the folder it serves them from."""
ROUTE = "mixedflows/charts/"
"""Where, under the server's base URL, the cached bundles are served."""
BUNDLE_URL = ROUTE + "bundle.js"
"""The bundle's URL under the server's base URL: one URL for every chart (and the page's
``modulepreload`` of it in the course's Voila template), so the page's module map holds it
once, fetched and compiled before the charts' models ask for it."""
FILE_NAME = re.compile(r"jupyterchart-offline-[A-Za-z0-9._+-]{1,80}\.js")
"""The names of cached bundles."""


def _cache_file() -> Path:
    import altair
    import vl_convert

    from mixedflows.charts.compat import vega_lite_version

    key = f"{altair.__version__}-{vl_convert.__version__}-{vega_lite_version()}"
    return cache_dir() / f"jupyterchart-offline-{key}.js"


def _read(path: Path) -> str:
    """A cached bundle's text, or '' when it cannot be read."""
    try:
        return path.read_text(encoding="utf-8")
    except OSError:
        return ""


def enable_offline_charts() -> None:
    """Make ``alt.JupyterChart`` load nothing from a CDN, from the cached bundle if present."""
    from mixedflows.charts import compat

    chart = compat.chart_widget()
    if compat.is_offline(chart):
        return
    path = _cache_file()
    src = _read(path)
    if src:
        compat.set_widget_source(chart, loader(path) or src)
        return
    chart.enable_offline()
    try:  # write atomically: many kernels may race to fill the cache
        path.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(dir=path.parent, suffix=".tmp")
        with os.fdopen(fd, "w", encoding="utf-8") as fh:
            fh.write(compat.widget_source(chart))
        os.replace(tmp, path)
    except OSError:
        return  # no cache: still offline, just slower next time
    served = loader(path)
    if served:
        compat.set_widget_source(chart, served)


def warm_cache() -> None:
    """Build the cached bundle now (the launcher does this before a class arrives)."""
    enable_offline_charts()


def _found() -> Path | None:
    """The cached bundle for the installed altair, when the cache holds exactly one (found
    without importing altair, which takes seconds on a busy machine)."""
    from importlib.metadata import PackageNotFoundError, version

    try:
        found = sorted(cache_dir().glob(f"jupyterchart-offline-{version('altair')}-*.js"))
    except (PackageNotFoundError, OSError):
        found = []
    return found[0] if len(found) == 1 else None


def bundle_source() -> str:
    """The offline chart bundle's JavaScript, read from the cache without importing altair
    when the cache holds exactly one bundle for the installed altair; otherwise built (or read)
    through :func:`enable_offline_charts`."""
    found = _found()
    if found is not None:
        src = _read(found)
        if src:
            return src
    enable_offline_charts()
    path = _cache_file()
    src = _read(path)
    if src:
        return src
    from mixedflows.charts import compat

    return compat.widget_source(compat.chart_widget())  # built, not cached: the bundle itself


def loader(path: Path) -> str | None:
    """The ``_esm`` of a chart whose bundle the page's server serves: a module that imports
    :data:`BUNDLE_URL` (the server's single cached bundle, the one :func:`_found` finds, which
    the page may have preloaded), or None when no server serves this cache folder or ``path``
    is not what it serves. The URL is the page's own: its server's base URL, read from the
    page's Jupyter configuration (Voila and JupyterLab both write it), on the page's origin."""
    served = os.environ.get(SERVED_ENV, "")
    if not served or not FILE_NAME.fullmatch(path.name):
        return None
    found = served_bundle()
    try:
        if Path(served).resolve() != path.parent.resolve() or not path.stat().st_size:
            return None
        if found is None or found.resolve() != path.resolve():
            return None  # not the one the server serves (two bundles for this altair)
    except OSError:
        return None
    return LOADER.replace("@URL@", BUNDLE_URL)


LOADER = """// Mixed Flows Lab: altair's offline chart bundle, served once by the page's own server
let base = "/";
try {
  const cfg = document.getElementById("jupyter-config-data");
  base = JSON.parse(cfg.textContent).baseUrl || "/";
} catch (e) { /* no configuration: the server's root */ }
if (!base.endsWith("/")) { base += "/"; }
const url = new URL(base + "@URL@", window.location.href).href;
// Imported when a chart is first drawn live, not when its model is made: no model waits for it.
// An import that failed is tried again at the chart's next change.
let bundle = null;
const load = () => (bundle ??= import(url).catch((e) => { bundle = null; throw e; }));
// One chart drawn at a time, in the order the page asks: the first chart is shown as soon as
// it is drawn, not once every chart of the page has been drawn alongside it. A chart waits for
// the one before it 1 s at most (one that never finishes never holds the others back).
const turn = (globalThis.__mixedflowsChartTurn ??= { last: Promise.resolve() });
function draw(ctx) {
  const drawn = turn.last.then(load).then((mod) => mod.default.render(ctx));
  const next = drawn.then(
    () => new Promise((shown) => requestAnimationFrame(() => shown())),
    () => undefined,
  );
  turn.last = Promise.race([next, new Promise((late) => setTimeout(late, 1000))]);
  return drawn;
}
const NOT_DRAWN = "This chart could not be drawn: the page did not get the course's chart " +
  "library from its server. The figures in the text are current. Reload the page to try again.";
function notDrawn(el, e) {
  console.warn("chart not drawn:", e);
  let note = el.querySelector(":scope > .mf-chart-failed");
  if (!note) {
    note = document.createElement("p");
    note.className = "mf-chart-failed";
    el.append(note);
  }
  note.textContent = NOT_DRAWN;
  el.dataset.mfChart = "failed";
}
// A chart whose model carries its drawing already ("svg": the same spec drawn by Vega when the
// course was installed) shows it at once, and is drawn live by the bundle (tooltips, redraws)
// when the browser is next idle or its spec changes, whichever comes first. If the bundle
// cannot be loaded, the drawing stays until the spec changes; then, and for a chart with no
// drawing, the chart says it could not be drawn (tried again at its next change).
function render(ctx) {
  const { model, el } = ctx;
  const svg = model.get("svg");
  const kept = svg ? document.createElement("div") : null;
  const live = document.createElement("div");
  if (kept) {
    kept.className = "mf-chart-drawn";
    kept.innerHTML = svg;
    live.hidden = true;
    el.append(kept, live);
    el.dataset.mfChart = "drawn";
  } else {
    el.append(live);
  }
  let trying = null;
  const goLive = (changed) => {
    if (trying) { return trying; }
    trying = draw({ ...ctx, el: live }).then(
      () => {
        model.off("change:spec", onChange);
        live.hidden = false;
        el.replaceChildren(live);
        el.dataset.mfChart = "live";
      },
      (e) => {
        trying = null;
        if (!changed && kept && kept.isConnected) { console.warn("chart kept as drawn:", e); return; }
        if (kept) { kept.remove(); }
        notDrawn(el, e);
      },
    );
    return trying;
  };
  const onChange = () => goLive(true);
  model.on("change:spec", onChange);
  if (!kept) { return goLive(false); }
  if (window.requestIdleCallback) { window.requestIdleCallback(() => goLive(false), { timeout: 3000 }); }
  else { setTimeout(() => goLive(false), 300); }
  return () => model.off("change:spec", onChange);
}
export default { render };
"""


def served_bundle() -> Path | None:
    """The file a server serves at :data:`BUNDLE_URL`: the cached bundle for the installed
    altair (the one kernels find), or None when there is none yet."""
    return _found()


def chart_source() -> str:
    """What a chart widget carries as ``_esm``: :func:`loader` when the page's server serves
    the cached bundle, else the bundle itself (:func:`bundle_source`)."""
    found = _found()
    served = loader(found) if found is not None else None
    if served:
        return served
    src = bundle_source()
    found = _found()  # built just now, perhaps
    return (loader(found) if found is not None else None) or src
