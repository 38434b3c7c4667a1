"""Charts of the flow explorer (module 2): altair specs over the rows of
:func:`mixedflows.flows.explore.route_view`.

Imported only by tests, notebooks and the golden-file update (the engine never imports altair).
The four charts read named datasets; their spec is kept as a golden file
(``charts/specs/flow_explorer.vl.json``) that the app fills with rows without importing altair. A part-year figure is drawn lighter than a
whole year, and the selected year is outlined.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import altair as alt

from mixedflows.flows.data import MONTHS

COVERAGE = alt.Scale(domain=["whole year", "part of the year"], range=[1.0, 0.35])
BAR = "#1f6fb2"
DEATHS = "#a12b2b"


def _year_bars(dataset: str, field: str, title: str, colour: str, axis: str) -> alt.Chart:
    return (
        alt.Chart(alt.NamedData(name=dataset), title=title)
        .mark_bar(color=colour, stroke="#111", strokeOpacity=0)
        .encode(
            x=alt.X("year:O", title=None),
            # Two figures for one year (a whole year and a part of it) overlap, never add up.
            y=alt.Y(f"{field}:Q", title=axis, axis=alt.Axis(format="~s"), stack=None),
            # ordinal (whole year first): Vega-Lite warns of opacity on an unsorted nominal field
            opacity=alt.Opacity(
                "coverage:O", scale=COVERAGE, sort=COVERAGE.domain, title="figure covers"
            ),
            strokeOpacity=alt.condition("datum.selected", alt.value(1), alt.value(0)),
            strokeWidth=alt.value(2),
            tooltip=[
                alt.Tooltip("year:O"),
                alt.Tooltip(f"{field}:Q", format=",.0f", title=axis),
                alt.Tooltip("coverage:N"),
                alt.Tooltip("source:N"),
            ],
        )
        .properties(width=330, height=170)
    )


def arrivals_chart() -> alt.Chart:
    return _year_bars("arrivals", "arrivals", "Arrivals by year", BAR, "arrivals")


def deaths_chart() -> alt.Chart:
    return _year_bars(
        "deaths",
        "dead_and_missing",
        "Dead and missing recorded by year",
        DEATHS,
        "dead and missing",
    )


def rates_chart() -> alt.Chart:
    """Recorded dead and missing per 1,000 arrivals, every route with a rate; this route bold."""
    return (
        alt.Chart(alt.NamedData(name="rates"), title="Dead and missing per 1,000 arrivals")
        .mark_line(point=True)
        .encode(
            x=alt.X("year:O", title=None),
            y=alt.Y("per_1000:Q", title="per 1,000 arrivals"),
            color=alt.Color("route:N", title=None, legend=alt.Legend(orient="bottom", columns=1)),
            strokeWidth=alt.condition("datum.selected", alt.value(3.5), alt.value(1.2)),
            tooltip=["route:N", "year:O", alt.Tooltip("per_1000:Q", format=".1f")],
        )
        .properties(width=330, height=170)
    )


def months_chart() -> alt.Chart:
    """Arrivals by month; a month known only within a run of months shows the run's average."""
    return (
        alt.Chart(alt.NamedData(name="months"), title="Arrivals by month")
        .mark_bar()
        .encode(
            x=alt.X("month:N", sort=[m[:3] for m in MONTHS], title=None),
            xOffset=alt.XOffset("series:N"),
            y=alt.Y(
                "arrivals:Q", title="arrivals in the month", axis=alt.Axis(format="~s"), stack=None
            ),
            color=alt.Color("series:N", title=None, legend=alt.Legend(orient="bottom", columns=1)),
            opacity=alt.condition("datum.kind == 'one month'", alt.value(1.0), alt.value(0.4)),
            tooltip=[
                "series:N",
                "month:N",
                alt.Tooltip("arrivals:Q", format=",.0f"),
                "kind:N",
                "measure:N",
            ],
        )
        .properties(width=330, height=170)
    )


def _explorer() -> alt.VConcatChart:
    return alt.vconcat(
        alt.hconcat(arrivals_chart(), deaths_chart()),
        alt.hconcat(rates_chart(), months_chart()),
    ).resolve_scale(color="independent", opacity="independent")


GOLDEN = "flow_explorer"
EMPTY: dict[str, list[dict[str, Any]]] = {"arrivals": [], "deaths": [], "rates": [], "months": []}


def template() -> dict[str, Any]:
    """The explorer's spec with empty datasets, as altair builds it (the golden file's content)."""
    return _explorer().properties(datasets=EMPTY).to_dict()


def explorer_chart(datasets: dict[str, list[dict[str, Any]]]) -> alt.VConcatChart:
    """The explorer's charts as an altair object (for tests and notebooks)."""
    return _explorer().properties(datasets=datasets)


def update_golden() -> Path:
    """Write the golden spec that the app reads (charts/specs/flow_explorer.vl.json)."""
    from mixedflows.charts import specs

    p = specs.path(GOLDEN)
    p.write_text(json.dumps(template(), indent=1, sort_keys=True) + "\n", encoding="utf-8")
    return p


if __name__ == "__main__":
    import sys

    if "--update-goldens" in sys.argv:
        print(f"wrote {update_golden()}")
