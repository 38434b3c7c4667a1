"""Every private part of altair the charts rely on, in one place, with the versions it was
checked against.

The offline chart bundle (:mod:`.offline`) reads and sets ``alt.JupyterChart._esm`` (the
widget's JavaScript, which ``enable_offline()`` replaces by a bundle carrying vega) and asks
``altair.utils._importers`` which Vega-Lite version vl-convert bundles (the cache key). Neither
is public API. After upgrading altair, check this file and run ``tests/test_compat.py``, which
exercises each item; :func:`version_problems` says when the installed altair is outside the
range checked here.
"""

from __future__ import annotations

from typing import Any

SUPPORTED = {"altair": ">=5.4,<7", "anywidget": ">=0.9,<1"}
"""The versions these private parts were checked against."""

JUPYTERCHART_TRAITS = (
    "spec",
    "debounce_wait",
    "max_wait",
    "local_tz",
    "embed_options",
    "_vl_selections",
    "_params",
    "_js_watch_plan",
    "_js_to_py_updates",
    "_py_to_js_updates",
)
"""The traits ``JupyterChart``'s front end syncs; :class:`.view.VegaView` declares the same to
run that front end without importing altair (private: the underscored ones)."""


def version_problems(supported: dict[str, str] | None = None) -> list[str]:
    """Installed versions outside ``supported`` (default :data:`SUPPORTED`); empty when all
    are inside. Also used by :mod:`mixedflows.server.compat` for Voila and jupyter_server."""
    from importlib.metadata import PackageNotFoundError, version

    from packaging.specifiers import SpecifierSet

    out = []
    for pkg, spec in (SUPPORTED if supported is None else supported).items():
        try:
            v = version(pkg)
        except PackageNotFoundError:
            out.append(f"{pkg} is not installed")
            continue
        if not SpecifierSet(spec).contains(v, prereleases=True):
            out.append(f"{pkg} {v} is outside the versions this course was checked with ({spec})")
    return out


def vega_lite_version() -> str:
    """The Vega-Lite version vl-convert bundles (private: ``altair.utils._importers``)."""
    from altair.utils._importers import vl_version_for_vl_convert

    return vl_version_for_vl_convert()


def chart_widget() -> Any:
    """altair's chart widget class, ``alt.JupyterChart``."""
    import altair as alt

    return alt.JupyterChart


def widget_source(chart: Any) -> str:
    """The JavaScript the chart widget runs (private: ``JupyterChart._esm``)."""
    return chart._esm


def set_widget_source(chart: Any, source: str) -> None:
    """Make the chart widget run ``source`` (a bundle with vega, cached), marked offline the
    way ``JupyterChart.enable_offline()`` marks it (private: ``_esm``, ``_is_offline``)."""
    chart._esm = source
    chart._is_offline = True


def is_offline(chart: Any) -> bool:
    return bool(getattr(chart, "_is_offline", False))
