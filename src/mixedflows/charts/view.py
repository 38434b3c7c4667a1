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

from functools import cache
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


MEASURE_FONT = "DejaVu Sans"
"""The font a drawing's text is measured with, where the machine has it: the widest of the
fonts a browser picks for ``sans-serif`` (Debian's Chromium draws with it; Arial, Helvetica and
Roboto are narrower), so no label of a drawing is cut or overlaps on any of them. A cold trial
saw vl-convert's own font (narrower) cut "Unaccompanied" at the chart's left edge and run a
legend label into the next symbol; with it, the drawing and the live chart in Debian's Chromium
have the same layout."""
FONT_FOLDERS = (
    "/usr/share/fonts/truetype/dejavu",  # Debian, Ubuntu (fonts-dejavu-core)
    "/usr/share/fonts/dejavu-sans-fonts",  # Fedora
    "/usr/share/fonts/TTF",  # Arch
    "/usr/share/fonts/dejavu",
)


@cache
def _measuring_font(vl_convert: Any) -> str | None:
    """:data:`MEASURE_FONT`, registered with vl-convert, or None when the machine has none."""
    from pathlib import Path

    for folder in FONT_FOLDERS:
        if (Path(folder) / "DejaVuSans.ttf").is_file():
            vl_convert.register_font_directory(folder)
            return MEASURE_FONT
    return None


def _fonts(spec: dict[str, Any], font: str) -> dict[str, Any]:
    """``spec`` with every title, axis, legend and text font set to ``font`` (its config)."""
    config = dict(spec.get("config") or {})
    for part, keys in (
        ("axis", ("labelFont", "titleFont")),
        ("legend", ("labelFont", "titleFont")),
        ("title", ("font", "subtitleFont")),
        ("text", ("font",)),
    ):
        config[part] = {**config.get(part, {}), **dict.fromkeys(keys, font)}
    return {**spec, "config": config}


def drawn(spec: dict[str, Any]) -> str:
    """``spec`` (Vega) drawn as SVG by vl-convert, whose Vega is the one in the offline chart
    bundle: the same marks, labels and ARIA attributes the page's live chart draws. Text is
    measured with :data:`MEASURE_FONT` where the machine has it, and drawn in the browser's
    ``sans-serif`` as the live chart's is. Loads vl-convert (about 0.4 s the first time in a
    process): for drawings made ahead, at install."""
    import vl_convert

    font = _measuring_font(vl_convert)
    if font is None:
        return str(vl_convert.vega_to_svg(spec))
    svg = str(vl_convert.vega_to_svg(_fonts(spec, font)))
    return svg.replace(f'font-family="{font}"', 'font-family="sans-serif"')


_BUNDLE: list[str] = []


def _esm() -> str:
    if not _BUNDLE:
        _BUNDLE.append(chart_source())
    return _BUNDLE[0]
