"""Chart specs kept as golden files, filled with data without importing altair.

A chart whose shape does not change with the data (only its rows do) is built once by its
altair function and kept here as Vega-Lite JSON (``<name>.vl.json``) with empty named datasets;
an app fills the datasets and hands the spec to :class:`mixedflows.charts.view.VegaView`. A test
rebuilds every golden file with altair and fails if it differs; to refresh them after changing
a chart: ``python -m mixedflows.charts.flows --update-goldens``.
"""

from __future__ import annotations

import json
from functools import cache
from pathlib import Path
from typing import Any

HERE = Path(__file__).parent


def path(name: str) -> Path:
    return HERE / f"{name}.vl.json"


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
