"""The private parts of altair, Voila and jupyter_server the course uses, each used through
one compat module (charts/compat.py, server/compat.py): they exist in the installed versions,
and those versions are the ones the modules were checked with."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from mixedflows.charts import compat as charts_compat

SRC = Path(__file__).resolve().parents[1] / "src" / "mixedflows"


def test_installed_versions_are_the_checked_ones():
    from mixedflows.server import compat as server_compat

    assert charts_compat.version_problems() == []
    assert server_compat.version_problems() == []


def test_a_version_outside_the_range_is_named():
    problems = charts_compat.version_problems({"altair": "<1", "no-such-package-x": ">=1"})
    assert len(problems) == 2
    assert "altair" in problems[0] and "(<1)" in problems[0]
    assert "no-such-package-x is not installed" in problems[1]


def test_altair_private_parts_exist():
    chart = charts_compat.chart_widget()
    assert isinstance(charts_compat.vega_lite_version(), str)
    assert re.match(r"v?\d+[._]\d+", charts_compat.vega_lite_version())
    assert isinstance(charts_compat.widget_source(chart), str)
    assert set(charts_compat.JUPYTERCHART_TRAITS) <= set(chart.class_trait_names())


def test_the_light_chart_widget_syncs_jupyterchart_traits():
    from mixedflows.charts.view import VegaView

    synced = {n for n, t in VegaView.class_traits().items() if t.metadata.get("sync")}
    assert set(charts_compat.JUPYTERCHART_TRAITS) <= synced


def test_offline_bundle_goes_through_compat(tmp_path, monkeypatch):
    """The bundle is cached and read back through the compat functions: a second kernel gets
    the same source without building it."""
    from mixedflows.charts import offline

    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path))
    chart = charts_compat.chart_widget()
    monkeypatch.setattr(chart, "_is_offline", False, raising=False)
    monkeypatch.setattr(chart, "_esm", charts_compat.widget_source(chart), raising=False)
    offline.enable_offline_charts()
    assert charts_compat.is_offline(chart)
    cached = list(tmp_path.glob("mixedflows/jupyterchart-offline-*.js"))
    assert len(cached) == 1 and cached[0].read_text() == charts_compat.widget_source(chart)


@pytest.mark.parametrize(
    "pattern",
    [
        r"\._esm\b",
        r"_is_offline",
        r"altair\.utils\._importers",
        r"from voila\.",
        r"import voila\b",
        r"from jupyter_server\.services",
    ],
)
def test_private_parts_are_used_only_in_the_compat_modules(pattern):
    allowed = {"charts/compat.py", "server/compat.py", "charts/view.py"}
    offenders = [
        str(p.relative_to(SRC))
        for p in SRC.rglob("*.py")
        if str(p.relative_to(SRC)) not in allowed and re.search(pattern, p.read_text("utf-8"))
    ]
    assert offenders == []
