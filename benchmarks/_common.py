"""Shared helpers for benchmarks: the test harness's servers and browser, plus statistics."""

from __future__ import annotations

import statistics
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tests"))

from harness import (  # noqa: E402
    PageWatch,
    VoilaServer,
    apps_root,
    launch_chromium,
    voila_server,
    wait_rendered,
)

__all__ = [
    "ROOT",
    "PageWatch",
    "VoilaServer",
    "apps_root",
    "launch_chromium",
    "pct",
    "voila_server",
    "wait_rendered",
]


def pct(values: list[float], q: float) -> float:
    """The q-th percentile (0-100) by linear interpolation."""
    if len(values) == 1:
        return values[0]
    return (
        statistics.quantiles(sorted(values), n=100, method="inclusive")[int(q) - 1]
        if (0 < q < 100)
        else (min(values) if q <= 0 else max(values))
    )
