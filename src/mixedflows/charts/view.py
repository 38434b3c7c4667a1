"""A light chart widget: altair's ``JupyterChart`` front end, fed a ready Vega-Lite spec.

``alt.JupyterChart`` needs ``import altair`` in the kernel, which takes seconds on a busy
machine, before the page can show anything. This widget runs the same JavaScript (the offline
bundle of :mod:`.offline`, so nothing loads from a CDN) with the same synced traits, but takes
the spec as a plain dict: an app whose spec is kept as a golden file (see :mod:`.specs`) never
imports altair. On a server of the course the bundle is served once and the widget carries
only a loader of it (:func:`.offline.chart_source`). Set ``spec`` to redraw. The traits are ``JupyterChart``'s, listed in
:data:`.compat.JUPYTERCHART_TRAITS` (checked against altair by ``tests/test_compat.py``).
"""

from __future__ import annotations

from typing import Any

import anywidget
import traitlets

from mixedflows.charts.offline import chart_source


class VegaView(anywidget.AnyWidget):
    """Draws a Vega-Lite spec (a dict) with altair's offline chart front end."""

    _css = ".vega-embed {overflow: visible;}"
    spec = traitlets.Dict(allow_none=True).tag(sync=True)
    svg = traitlets.Unicode("").tag(sync=True)
    """The chart already drawn (SVG markup of ``spec``, see :func:`drawn`): on a course server
    the page shows it at once and draws ``spec`` live once the browser is idle or ``spec``
    changes (:data:`.offline.LOADER`). Empty: drawn live from the start. Whoever sets ``spec``
    to another chart sets this too (to its drawing, or empty)."""
    debounce_wait = traitlets.Float(default_value=10).tag(sync=True)
    max_wait = traitlets.Bool(default_value=True).tag(sync=True)
    local_tz = traitlets.Unicode(default_value=None, allow_none=True).tag(sync=True)
    embed_options = traitlets.Dict(default_value=None, allow_none=True).tag(sync=True)
    _vl_selections = traitlets.Dict().tag(sync=True)
    _params = traitlets.Dict().tag(sync=True)
    _js_watch_plan = traitlets.Any(allow_none=True).tag(sync=True)
    _js_to_py_updates = traitlets.Any(allow_none=True).tag(sync=True)
    _py_to_js_updates = traitlets.Any(allow_none=True).tag(sync=True)

    def __init__(self, spec: dict[str, Any], **kwargs: Any) -> None:
        type(self)._esm = _esm()
        super().__init__(spec=spec, **kwargs)


def drawn(spec: dict[str, Any]) -> str:
    """``spec`` (Vega) drawn as SVG by vl-convert, whose Vega is the one in the offline chart
    bundle: the same marks, labels and ARIA attributes the page's live chart draws (text is
    measured by vl-convert's fonts, so a label may sit a few pixels apart). Loads vl-convert
    (about 0.4 s the first time in a process): for drawings made ahead, at install."""
    import vl_convert

    return str(vl_convert.vega_to_svg(spec))


_BUNDLE: list[str] = []


def _esm() -> str:
    if not _BUNDLE:
        _BUNDLE.append(chart_source())
    return _BUNDLE[0]
