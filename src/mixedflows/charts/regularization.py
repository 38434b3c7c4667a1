"""Charts of the policy lab: functions ``DataFrame -> alt.Chart`` (imported only by the app and
the notebooks; the engine never imports altair).

Every chart takes the frame of :func:`.model.comparison_frame` (one row per outcome, columns
``key, label, unit, group, baseline, reform``) or the validation table, so a test can inspect the
spec without a browser. The pull effect is drawn as a bar from its low to its high end: a range,
never a point.
"""

from __future__ import annotations

from functools import cache
from typing import Any

import altair as alt
import pandas as pd

BASELINE = "Programme as enacted"
REFORM = "Your reform"
SCENARIO_COLOURS = alt.Scale(domain=[BASELINE, REFORM], range=["#8a9bb0", "#1f6fb2"])
PEOPLE = ["eligible", "applications", "approvals", "rejections", "backlog_at_close"]
MONEY = ["fee_revenue", "social_security_revenue", "processing_cost"]
STATUS = ["legal_status_12m", "social_security_12m"]


# --- Data: plain rows from the comparison frame (fast; no altair) ------------------------------


def _rows(frame: pd.DataFrame, keys: list[str], scale: float = 1.0) -> list[dict[str, Any]]:
    by_key = {r["key"]: r for r in frame.to_dict("records")}
    out = []
    for k in keys:
        r = by_key[k]
        for col, name in (("baseline", BASELINE), ("reform", REFORM)):
            out.append(
                {"key": k, "label": r["label"], "scenario": name, "value": float(r[col]) / scale}
            )
    return out


def _pull_rows(frame: pd.DataFrame) -> list[dict[str, Any]]:
    by_key = {r["key"]: r for r in frame.to_dict("records")}
    return [
        {
            "scenario": name,
            "low": float(by_key["pull_low"][col]),
            "high": float(by_key["pull_high"][col]),
        }
        for col, name in (("baseline", BASELINE), ("reform", REFORM))
    ]


def lab_datasets(frame: pd.DataFrame) -> dict[str, list[dict[str, Any]]]:
    """The rows each outcome chart draws, by dataset name."""
    return {
        "people": _rows(frame, PEOPLE),
        "money": _rows(frame, MONEY, scale=1e6),
        "status": _rows(frame, STATUS),
        "pull": _pull_rows(frame),
    }


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
    return _bars(
        _data("money", frame), _labels(MONEY), "Money", ",.1f", f"million {currency}".strip()
    )


def status_chart(frame: pd.DataFrame | None = None) -> alt.Chart:
    """Shares still in legal status and in social security after a year."""
    return _bars(
        _data("status", frame), _labels(STATUS), "After a year", ".0%", "share of those approved"
    )


def pull_chart(frame: pd.DataFrame | None = None) -> alt.Chart:
    """The contested pull effect as a range (low to high) for baseline and reform."""
    return (
        alt.Chart(_data("pull", frame), title="Pull effect (contested): a range, not a forecast")
        .mark_bar(height=12, opacity=0.75)
        .encode(
            y=alt.Y("scenario:N", sort=[BASELINE, REFORM], title=None),
            x=alt.X("low:Q", title="extra irregular arrivals over 3 years (persons)"),
            x2="high:Q",
            color=alt.Color("scenario:N", scale=SCENARIO_COLOURS, legend=None),
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
    return _lab(currency).properties(datasets=lab_datasets(_EMPTY)).to_dict()


def lab_spec(frame: pd.DataFrame, currency: str = "") -> dict[str, Any]:
    """The Vega-Lite spec of :func:`lab_chart` for ``frame``, without rebuilding the chart:
    the cached template with its datasets swapped (altair builds and validates a chart in about
    100-200 ms; this takes well under a millisecond). ``JupyterChart.spec`` accepts it."""
    return {**_template(currency), "datasets": lab_datasets(frame)}


def _empty_frame() -> pd.DataFrame:
    from mixedflows.regularization.model import OUTCOMES

    return pd.DataFrame(
        [
            {
                "key": o.key,
                "label": o.label,
                "unit": o.unit,
                "group": o.group,
                "baseline": 0.0,
                "reform": 0.0,
                "change": 0.0,
            }
            for o in OUTCOMES
        ]
    )


_EMPTY = _empty_frame()


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
