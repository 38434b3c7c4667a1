"""Charts of the policy lab: functions ``DataFrame -> alt.Chart`` (imported only by the app and
the notebooks; the engine never imports altair).

Every chart takes the frame of :func:`.model.comparison_frame` (one row per outcome, columns
``key, label, unit, group, baseline, reform``) or the validation table, so a test can inspect the
spec without a browser. The pull effect is drawn as a bar from its low to its high end: a range,
never a point.
"""

from __future__ import annotations

import json
from functools import cache
from pathlib import Path
from typing import Any

import altair as alt
import pandas as pd

from mixedflows.charts.lab_data import (  # the rows, shared with the page (no altair)
    BASELINE,
    CURRENCY,
    GOLDEN,
    MONEY,
    PEOPLE,
    REFORM,
    STATUS,
    lab_datasets,
    money_title,
)

SCENARIO_COLOURS = alt.Scale(domain=[BASELINE, REFORM], range=["#8a9bb0", "#1f6fb2"])
EMPTY: dict[str, list[dict[str, Any]]] = {"people": [], "money": [], "status": [], "pull": []}


# --- Charts ------------------------------------------------------------------------------------


def _data(name: str, frame: pd.DataFrame | None) -> Any:
    # With a frame: the rows inline (a chart of its own). Without: a named dataset that the
    # lab's spec fills in, so a lever change only swaps the rows (see lab_spec).
    if frame is None:
        return alt.NamedData(name=name)
    return alt.Data(values=lab_datasets(frame)[name])


def _bars(data: Any, labels: list[str], title: str, fmt: str, axis_title: str) -> alt.Chart:
    return (
        alt.Chart(data, title=title)
        .mark_bar()
        .encode(
            y=alt.Y("label:N", sort=labels, title=None),
            yOffset=alt.YOffset("scenario:N", sort=[BASELINE, REFORM]),
            x=alt.X("value:Q", title=axis_title, axis=alt.Axis(format=fmt)),
            color=alt.Color(
                "scenario:N", scale=SCENARIO_COLOURS, title=None, legend=alt.Legend(orient="top")
            ),
            tooltip=["label:N", "scenario:N", alt.Tooltip("value:Q", format=fmt)],
        )
        .properties(width=300, height=alt.Step(11))
    )


def _labels(keys: list[str]) -> list[str]:
    from mixedflows.regularization.model import OUTCOME_INFO

    return [OUTCOME_INFO[k].label for k in keys]


def people_chart(frame: pd.DataFrame | None = None) -> alt.Chart:
    """Eligible, applications, approvals, rejections and backlog: baseline against reform."""
    return _bars(_data("people", frame), _labels(PEOPLE), "People", ",.0f", "persons")


def money_chart(frame: pd.DataFrame | None = None, currency: str = "") -> alt.Chart:
    """Fee revenue, social-security revenue and processing cost: baseline against reform."""
    return _bars(_data("money", frame), _labels(MONEY), "Money", ",.1f", money_title(currency))


def status_chart(frame: pd.DataFrame | None = None) -> alt.Chart:
    """Shares still in legal status and in social security after a year."""
    return _bars(
        _data("status", frame), _labels(STATUS), "After a year", ".0%", "share of those approved"
    )


def pull_chart(frame: pd.DataFrame | None = None) -> alt.Chart:
    """The contested pull effect as a range (low to high) for baseline and reform."""
    return (
        alt.Chart(_data("pull", frame), title="Pull effect (contested): a range, not a forecast")
        .mark_bar(height=12)
        .encode(
            y=alt.Y("scenario:N", sort=[BASELINE, REFORM], title=None),
            x=alt.X("low:Q", title="extra irregular arrivals over 3 years (persons)"),
            x2="high:Q",
            # The same legend as the bars' (one legend, shared): legend=None beside theirs made
            # Vega-Lite warn "Conflicting legend property" six times in every page.
            color=alt.Color(
                "scenario:N", scale=SCENARIO_COLOURS, title=None, legend=alt.Legend(orient="top")
            ),
            tooltip=[
                "scenario:N",
                alt.Tooltip("low:Q", format=",.0f", title="low end"),
                alt.Tooltip("high:Q", format=",.0f", title="high end"),
            ],
        )
        .properties(width=300, height=60)
    )


def _lab(currency: str) -> alt.VConcatChart:
    top = alt.hconcat(people_chart(), money_chart(currency=currency))
    bottom = alt.hconcat(status_chart(), pull_chart())
    return alt.vconcat(top, bottom).resolve_scale(color="shared")


def lab_chart(frame: pd.DataFrame, currency: str = "") -> alt.VConcatChart:
    """The policy lab's outcome charts as one spec: people and money, status and pull.

    The four charts read named datasets, filled from ``frame``."""
    return _lab(currency).properties(datasets=lab_datasets(frame))


@cache
def _template(currency: str) -> dict[str, Any]:
    # Built and validated by altair once per currency; a lever change reuses it.
    return _lab(currency).properties(datasets=EMPTY).to_dict()


def lab_spec(frame: Any, currency: str = "") -> dict[str, Any]:
    """The Vega-Lite spec of :func:`lab_chart` for ``frame``, without rebuilding the chart:
    the cached template with its datasets swapped (altair builds and validates a chart in about
    100-200 ms; this takes well under a millisecond). The app uses
    :func:`mixedflows.charts.lab_data.lab_spec`, the same spec from the golden file."""
    return {**_template(currency), "datasets": lab_datasets(frame)}


def template() -> dict[str, Any]:
    """The lab's spec with empty datasets and the placeholder currency, as altair builds it
    (the golden file's content)."""
    spec = _lab("CURRENCY").properties(datasets=EMPTY).to_dict()
    assert CURRENCY in json.dumps(spec), "the money axis title is the currency placeholder"
    return spec


def update_golden() -> Path:
    """Write the golden spec that the app reads (charts/specs/policy_lab.vl.json)."""
    from mixedflows.charts import specs

    p = specs.path(GOLDEN)
    p.write_text(json.dumps(template(), indent=1, sort_keys=True) + "\n", encoding="utf-8")
    return p


def validation_chart(table: pd.DataFrame) -> alt.Chart:
    """Relative error of the model against each recorded figure, by use (check/calibration)."""
    data = table[table["relative_error"].notna()].copy()
    data["figure"] = data["programme_id"] + " · " + data["measure"]
    return (
        alt.Chart(data, title="Model against recorded figures: relative error")
        .mark_bar()
        .encode(
            y=alt.Y("figure:N", sort="-x", title=None),
            x=alt.X("relative_error:Q", title="relative error", axis=alt.Axis(format=".0%")),
            color=alt.Color(
                "use:N",
                scale=alt.Scale(domain=["check", "calibration"], range=["#b5532a", "#9aa7b4"]),
                title="row used as",
            ),
            tooltip=[
                "programme_id:N",
                "measure:N",
                alt.Tooltip("recorded:Q", format=",.3~f"),
                alt.Tooltip("model:Q", format=",.3~f"),
                alt.Tooltip("relative_error:Q", format=".1%"),
                "source:N",
            ],
        )
        .properties(width=420)
    )


def show(chart: Any) -> Any:
    """An offline JupyterChart of a chart (vega loaded from vl-convert, never a CDN)."""
    from mixedflows.charts.offline import enable_offline_charts

    enable_offline_charts()
    return alt.JupyterChart(chart)


def validation_figure() -> Any:
    """The validation chart, ready for a notebook (offline)."""
    from mixedflows.regularization.validation import validate

    return show(validation_chart(validate()))


if __name__ == "__main__":
    import sys

    if "--update-goldens" in sys.argv:
        print(f"wrote {update_golden()}")
