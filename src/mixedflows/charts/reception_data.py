"""The reception app's charts without altair: the rows each chart draws (from
``Result.daily()`` and ``Result.waits_by_group()``), and the charts' Vega-Lite specs from golden
files (``charts/specs/reception_occupancy.vl.json`` and ``reception_waits.vl.json``, built by
:mod:`mixedflows.charts.reception`; a test checks they agree). The app's page imports this
module, never altair.
"""

from __future__ import annotations

from typing import Any

from mixedflows.reception.inputs import GROUP_LABELS, GROUPS

GROUP_ORDER = [GROUP_LABELS[g] for g in GROUPS]
GROUP_COLOURS = ["#b2182b", "#2166ac", "#762a83", "#5aae61", "#878787"]
OCCUPANCY_DAYS, OCCUPANCY_LINES = "reception_days", "reception_capacity"
WAITS, WAIT_LIMITS = "reception_waits", "reception_limits"
OCCUPANCY_GOLDEN, WAITS_GOLDEN = "reception_occupancy", "reception_waits"


def occupancy_data(daily: Any) -> dict[str, list[dict[str, Any]]]:
    """The datasets of the occupancy chart: the season's days, and the two capacity lines."""
    d = daily[daily.in_season]
    days = [
        {
            "date": str(r.date),
            "arrivals": int(r.arrivals),
            "transfers": int(r.transfers),
            "peak_occupancy": int(r.peak_occupancy),
            "status": "more people than beds" if r.over_capacity else "within beds",
        }
        for r in d.itertuples(index=False)
    ]
    beds = int(d.beds.iloc[0]) if len(d) else 0
    built = int(d.built_for.iloc[0]) if len(d) else 0
    lines = [
        {"label": "beds in the plan", "people": beds, "text": f"beds in the plan: {beds:,}"},
        {"label": "built for", "people": built, "text": f"built for: {built:,}"},
    ]
    return {OCCUPANCY_DAYS: days, OCCUPANCY_LINES: lines}


def waits_data(
    waits: Any, child_limit: float, screening_limit: float
) -> dict[str, list[dict[str, Any]]]:
    """The datasets of the waiting-time chart: one row per group and statistic, and limits."""
    rows = []
    for r in waits.itertuples(index=False):
        for stat, value in (
            ("mean", r.mean_wait),
            ("90th percentile", r.p90_wait),
            ("longest", r.max_wait),
        ):
            rows.append(
                {
                    "group": r.label,
                    "statistic": stat,
                    "hours": round(float(value), 2),
                    "people": int(r.people),
                    "late": int(r.late),
                }
            )
    limits = [
        {"hours": child_limit, "limit": f"children's limit ({child_limit:g} h)"},
        {"hours": screening_limit, "limit": f"screening limit ({screening_limit:g} h)"},
    ]
    return {WAITS: rows, WAIT_LIMITS: limits}


def occupancy_spec(datasets: dict[str, list[dict[str, Any]]]) -> dict[str, Any]:
    """The occupancy chart (560 x 220) for :func:`occupancy_data`'s datasets: the golden file
    filled, the same spec :func:`mixedflows.charts.reception.occupancy_spec` builds."""
    from mixedflows.charts import specs

    return specs.filled(OCCUPANCY_GOLDEN, datasets)


def waits_spec(datasets: dict[str, list[dict[str, Any]]]) -> dict[str, Any]:
    """The waiting-time chart (560 x 200) for :func:`waits_data`'s datasets (golden file)."""
    from mixedflows.charts import specs

    return specs.filled(WAITS_GOLDEN, datasets)


def empty(name: str) -> dict[str, Any]:
    """A golden chart with no rows (drawn before the first season is shown)."""
    from mixedflows.charts import specs

    spec = specs.template(name)
    spec["datasets"] = {k: [] for k in spec.get("datasets", {})}
    return spec
