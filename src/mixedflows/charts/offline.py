"""Charts that work with no internet, without paying for it in every kernel.

``alt.JupyterChart.enable_offline()`` makes altair's chart widget carry vega itself (bundled by
vl-convert) instead of loading it from a CDN. Bundling takes seconds of CPU, and Voila runs it
again in every kernel: 30 participants, 30 bundles. Here the bundle is built once, kept in a
cache file keyed by the altair and vl-convert versions, and read back by every later kernel.
The private parts of altair this needs are used through :mod:`.compat`.
"""

from __future__ import annotations

import os
import tempfile
from pathlib import Path


def cache_dir() -> Path:
    base = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(base) / "mixedflows"


def _cache_file() -> Path:
    import altair
    import vl_convert

    from mixedflows.charts.compat import vega_lite_version

    key = f"{altair.__version__}-{vl_convert.__version__}-{vega_lite_version()}"
    return cache_dir() / f"jupyterchart-offline-{key}.js"


def enable_offline_charts() -> None:
    """Make ``alt.JupyterChart`` load nothing from a CDN, from the cached bundle if present."""
    from mixedflows.charts import compat

    chart = compat.chart_widget()
    if compat.is_offline(chart):
        return
    path = _cache_file()
    try:
        src = path.read_text(encoding="utf-8")
    except OSError:
        src = ""
    if src:
        compat.set_widget_source(chart, src)
        return
    chart.enable_offline()
    try:  # write atomically: many kernels may race to fill the cache
        path.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(dir=path.parent, suffix=".tmp")
        with os.fdopen(fd, "w", encoding="utf-8") as fh:
            fh.write(compat.widget_source(chart))
        os.replace(tmp, path)
    except OSError:
        pass  # no cache: still offline, just slower next time


def warm_cache() -> None:
    """Build the cached bundle now (the launcher does this before a class arrives)."""
    enable_offline_charts()


def bundle_source() -> str:
    """The offline chart bundle's JavaScript, read from the cache without importing altair
    when the cache holds exactly one bundle for the installed altair (altair takes seconds to
    import on a busy machine); otherwise built (or read) through :func:`enable_offline_charts`."""
    from importlib.metadata import PackageNotFoundError, version

    try:
        found = sorted(cache_dir().glob(f"jupyterchart-offline-{version('altair')}-*.js"))
    except (PackageNotFoundError, OSError):
        found = []
    if len(found) == 1:
        try:
            src = found[0].read_text(encoding="utf-8")
        except OSError:
            src = ""
        if src:
            return src
    from mixedflows.charts import compat

    enable_offline_charts()
    return compat.widget_source(compat.chart_widget())
