"""Charts of a season at the centre: functions from a DataFrame to an ``alt.Chart``.

Imported only by the apps that show them (this module imports altair). The data comes from
:class:`~mixedflows.reception.outputs.Result`: ``daily()`` for occupancy and
``waits_by_group()`` for waiting times. Tests can inspect the specs without a browser.

Each chart reads named datasets, so an app can keep the chart's Vega-Lite spec and swap in new
data as a control moves (:func:`occupancy_spec`, :func:`waits_spec`) instead of rebuilding the
chart with altair each time, which costs more than the simulation itself.
"""

from __future__ import annotations

import copy
from functools import cache
from pathlib import Path
from typing import Any

import altair as alt
import pandas as pd

from mixedflows.charts.reception_data import (  # the rows, shared with the page (no altair)
    GROUP_COLOURS,
    GROUP_ORDER,
    OCCUPANCY_DAYS,
    OCCUPANCY_GOLDEN,
    OCCUPANCY_LINES,
    WAIT_LIMITS,
    WAITS,
    WAITS_GOLDEN,
    occupancy_data,
    waits_data,
)


@cache
def _occupancy_template(width: int, height: int) -> alt.LayerChart:
    base = alt.Chart(alt.NamedData(OCCUPANCY_DAYS)).encode(x=alt.X("date:T", title=None))
    bars = base.mark_bar(opacity=0.35, color="#9ecae1").encode(
        y=alt.Y("arrivals:Q", title="People"),
        tooltip=[alt.Tooltip("date:T", title="Day"), alt.Tooltip("arrivals:Q", title="Landed")],
    )
    line = base.mark_line(color="#333", strokeWidth=1.5).encode(y="peak_occupancy:Q")
    points = base.mark_circle(size=22).encode(
        y="peak_occupancy:Q",
        color=alt.Color(
            "status:N",
            title=None,
            scale=alt.Scale(
                domain=["within beds", "more people than beds"], range=["#1a9850", "#d73027"]
            ),
            legend=alt.Legend(orient="top"),
        ),
        tooltip=[
            alt.Tooltip("date:T", title="Day"),
            alt.Tooltip("peak_occupancy:Q", title="Most people in the centre"),
            alt.Tooltip("arrivals:Q", title="Landed"),
            alt.Tooltip("transfers:Q", title="Transferred out"),
        ],
    )
    rules = (
        alt.Chart(alt.NamedData(OCCUPANCY_LINES))
        .mark_rule(strokeDash=[5, 3])
        .encode(
            y="people:Q",
            color=alt.Color(
                "label:N",
                title=None,
                scale=alt.Scale(
                    domain=["beds in the plan", "built for"], range=["#08519c", "#999999"]
                ),
                legend=alt.Legend(orient="top"),
            ),
            tooltip=["text:N"],
        )
    )
    return (
        alt.layer(bars, line, points, rules)
        .resolve_scale(color="independent")
        .properties(
            width=width,
            height=height,
            # two lines: one ran past a 560 px chart's edge at a phone's width
            title=alt.TitleParams(
                ["People in the centre each day (peak)", "and people landed (bars)"],
                anchor="start",  # from the left edge: read on a phone without scrolling
            ),
        )
    )


def occupancy_chart(daily: pd.DataFrame, width: int = 560, height: int = 220) -> alt.LayerChart:
    """People in the centre each day (its peak), people landed, the beds of the plan and what
    the centre was built for. ``daily`` is ``Result.daily()``; the run-down after the season
    is left out."""
    return _occupancy_template(width, height).properties(datasets=occupancy_data(daily))


@cache
def _waits_template(width: int, height: int) -> alt.LayerChart:
    y = alt.Y("group:N", title=None, sort=GROUP_ORDER)
    tooltip = [
        alt.Tooltip("group:N", title="Group"),
        alt.Tooltip("statistic:N"),
        alt.Tooltip("hours:Q", format=".1f"),
        alt.Tooltip("people:Q"),
        alt.Tooltip("late:Q", title="Later than the limit"),
    ]
    colour = alt.Color(
        "group:N", legend=None, scale=alt.Scale(domain=GROUP_ORDER, range=GROUP_COLOURS)
    )
    base = alt.Chart(alt.NamedData(WAITS))
    bar = (
        base.mark_bar(opacity=0.8)
        .encode(
            x=alt.X("hours:Q", title="Hours from landing to interview"),
            y=y,
            color=colour,
            tooltip=tooltip,
        )
        .transform_filter(alt.datum.statistic == "mean")
    )
    p90 = (
        base.mark_tick(thickness=3, size=16, color="#222")
        .encode(x="hours:Q", y=y, tooltip=tooltip)
        .transform_filter(alt.datum.statistic == "90th percentile")
    )
    longest = (
        base.mark_point(shape="diamond", filled=True, size=60, color="#222")
        .encode(x="hours:Q", y=y, tooltip=tooltip)
        .transform_filter(alt.datum.statistic == "longest")
    )
    rules = (
        alt.Chart(alt.NamedData(WAIT_LIMITS))
        .mark_rule(strokeDash=[4, 3], color="#d73027")
        .encode(x="hours:Q", tooltip=["limit:N"])
    )
    return alt.layer(bar, p90, longest, rules).properties(
        width=width,
        height=height,
        # two lines: one was cut at "longest (diamo" on a desktop (a cold trial)
        title=alt.TitleParams(
            [
                "Hours from landing to interview:",
                "mean (bar), 90th percentile (tick),",
                "longest (diamond)",
            ],
            anchor="start",
        ),
    )


WAITS_WIDTH = 520
"""The waiting-time chart's plot width: with its group labels the chart is about 713 px, within
a 768 px tablet's column (at 560 it was 753 px in a 738 px box, its last axis label cut on the
first view, a cold trial)."""


def waits_chart(
    waits: pd.DataFrame,
    child_limit: float,
    screening_limit: float,
    width: int = WAITS_WIDTH,
    height: int = 200,
) -> alt.LayerChart:
    """Hours from landing to interview by group (mean, 90th percentile, longest) against the
    limits. ``waits`` is ``Result.waits_by_group()``."""
    return _waits_template(width, height).properties(
        datasets=waits_data(waits, child_limit, screening_limit)
    )


@cache
def _spec(kind: str, width: int, height: int) -> dict[str, Any]:
    chart = (_occupancy_template if kind == "occupancy" else _waits_template)(width, height)
    return chart.to_dict()


def occupancy_spec(daily: pd.DataFrame, width: int = 560, height: int = 220) -> dict[str, Any]:
    """The occupancy chart as a Vega-Lite spec: the cached spec with this season's data."""
    spec = copy.copy(_spec("occupancy", width, height))
    spec["datasets"] = occupancy_data(daily)
    return spec


def waits_spec(
    waits: pd.DataFrame,
    child_limit: float,
    screening_limit: float,
    width: int = WAITS_WIDTH,
    height: int = 200,
) -> dict[str, Any]:
    """The waiting-time chart as a Vega-Lite spec: the cached spec with this season's data."""
    spec = copy.copy(_spec("waits", width, height))
    spec["datasets"] = waits_data(waits, child_limit, screening_limit)
    return spec


def templates() -> dict[str, dict[str, Any]]:
    """The app's two charts at its sizes with empty datasets, as altair builds them (the golden
    files' content)."""
    out = {}
    for name, kind, size, datasets in (
        (OCCUPANCY_GOLDEN, "occupancy", (560, 220), (OCCUPANCY_DAYS, OCCUPANCY_LINES)),
        (WAITS_GOLDEN, "waits", (WAITS_WIDTH, 200), (WAITS, WAIT_LIMITS)),
    ):
        spec = copy.deepcopy(_spec(kind, *size))
        spec["datasets"] = {k: [] for k in datasets}
        out[name] = spec
    return out


def update_goldens() -> list[Path]:
    """Write the golden specs the app reads (charts/specs/reception_*.vl.json, and each
    compiled to Vega, reception_*.vg.json)."""
    import json

    from mixedflows.charts import specs

    out = []
    for name, spec in templates().items():
        p = specs.path(name)
        p.write_text(json.dumps(spec, indent=1, sort_keys=True) + "\n", encoding="utf-8")
        out += [p, specs.compile_golden(name)]
    return out


if __name__ == "__main__":
    import sys

    if "--update-goldens" in sys.argv:
        for p in update_goldens():
            print(f"wrote {p}")
