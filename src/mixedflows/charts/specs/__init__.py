"""Chart specs kept as golden files, filled with data without importing altair.

A chart whose shape does not change with the data (only its rows do) is built once by its
altair function and kept here as Vega-Lite JSON (``<name>.vl.json``) with empty named datasets;
an app fills the datasets and hands the spec to :class:`mixedflows.charts.view.VegaView`. A test
rebuilds every golden file with altair and fails if it differs; to refresh them after changing
a chart: ``python -m mixedflows.charts.flows --update-goldens``.

**Compiled once, not on every page** (issue 13 start-up). A chart the page draws at once can
also be kept as the Vega spec Vega-Lite compiles it to (``<name>.vg.json``, compiled by
vl-convert, whose Vega-Lite is the one in the offline chart bundle): the page's front end then
skips the compile on its first drawing and on every redraw (in a CPU profile of the
reception's cold page, Vega-Lite's compile of its two charts took about 25 ms of the 120 ms
between its Check button and its first chart; the SVG drawn is the same to the byte, and
Vega-Lite's "Conflicting legend property" warning is no longer logged in the page). Filled by
:func:`compiled`; a test compiles the Vega-Lite golden again and checks both the template and a
filled chart are what Vega-Lite gives.
"""

from __future__ import annotations

import json
from functools import cache
from pathlib import Path
from typing import Any

HERE = Path(__file__).parent


def path(name: str) -> Path:
    return HERE / f"{name}.vl.json"


def vega_path(name: str) -> Path:
    """The golden Vega spec of ``name`` (its Vega-Lite golden compiled)."""
    return HERE / f"{name}.vg.json"


@cache
def _golden(name: str) -> str:
    return path(name).read_text(encoding="utf-8")


def template(name: str) -> dict[str, Any]:
    """The golden spec ``name`` (a fresh copy)."""
    return json.loads(_golden(name))


def filled(
    name: str,
    datasets: dict[str, list[dict[str, Any]]],
    texts: dict[str, str] | None = None,
) -> dict[str, Any]:
    """The golden spec ``name`` with its named datasets replaced by ``datasets``, and each
    string value equal to a key of ``texts`` (a placeholder the golden file was built with, such
    as an axis title naming a currency) replaced by its value."""
    spec = template(name)
    missing = sorted(set(spec.get("datasets", {})) - set(datasets))
    if missing:
        raise KeyError(f"chart '{name}' needs datasets {missing}")
    if texts:
        found: set[str] = set()
        spec = _replace(spec, texts, found)
        if set(texts) - found:
            raise KeyError(f"chart '{name}' has no text {sorted(set(texts) - found)}")
    spec["datasets"] = datasets
    return spec


@cache
def _vega_golden(name: str) -> str:
    return vega_path(name).read_text(encoding="utf-8")


def compiled(name: str, datasets: dict[str, list[dict[str, Any]]] | None = None) -> dict[str, Any]:
    """The Vega golden of ``name`` with the values of its named data replaced by ``datasets``
    (the spec :func:`filled` gives, compiled by Vega-Lite: a test checks it); with none, the
    golden itself, its datasets empty."""
    spec = json.loads(_vega_golden(name))
    if datasets is None:
        return spec
    named = {d["name"]: d for d in spec.get("data", []) if "values" in d}
    missing = sorted(set(named) - set(datasets))
    if missing:
        raise KeyError(f"chart '{name}' needs datasets {missing}")
    for key, rows in datasets.items():
        if key not in named:
            raise KeyError(f"chart '{name}' has no dataset '{key}'")
        named[key]["values"] = rows
    return spec


def rows(spec: dict[str, Any], name: str) -> list[dict[str, Any]]:
    """The rows of dataset ``name`` in a Vega-Lite spec (``datasets``) or a Vega one (``data``)."""
    if "datasets" in spec:
        return spec["datasets"][name]
    return next(d["values"] for d in spec["data"] if d.get("name") == name)


def compile_golden(name: str) -> Path:
    """Write ``name``'s Vega golden: its Vega-Lite golden compiled by vl-convert."""
    import vl_convert

    out = vl_convert.vegalite_to_vega(template(name))
    p = vega_path(name)
    p.write_text(json.dumps(out, indent=1, sort_keys=True) + "\n", encoding="utf-8")
    _vega_golden.cache_clear()
    return p


def _replace(value: Any, texts: dict[str, str], found: set[str]) -> Any:
    if isinstance(value, str):
        if value in texts:
            found.add(value)
            return texts[value]
        return value
    if isinstance(value, dict):
        return {k: _replace(v, texts, found) for k, v in value.items()}
    if isinstance(value, list):
        return [_replace(v, texts, found) for v in value]
    return value
