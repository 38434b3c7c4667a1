"""The reception app's charts without altair or pandas: the rows each chart draws (from the
columns of ``Result.daily_columns()`` and ``Result.waits_columns()``, or the DataFrames of
``Result.daily()`` and ``Result.waits_by_group()``: either is read column by column), and the charts' Vega-Lite specs from golden
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
    cols = ("date", "arrivals", "transfers", "peak_occupancy", "over_capacity", "beds")
    inside = list(daily["in_season"])
    d = {k: [v for v, keep in zip(daily[k], inside, strict=True) if keep] for k in cols}
    built_for = [v for v, keep in zip(daily["built_for"], inside, strict=True) if keep]
    days = [
        {
            "date": str(date),
            "arrivals": int(arrivals),
            "transfers": int(transfers),
            "peak_occupancy": int(peak),
            "status": "more people than beds" if over else "within beds",
        }
        for date, arrivals, transfers, peak, over in zip(
            d["date"],
            d["arrivals"],
            d["transfers"],
            d["peak_occupancy"],
            d["over_capacity"],
            strict=True,
        )
    ]
    beds = int(d["beds"][0]) if days else 0
    built = int(built_for[0]) if days else 0
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
    keys = ("label", "mean_wait", "p90_wait", "max_wait", "people", "late")
    columns = [list(waits[k]) for k in keys] if len(waits) else [[] for _ in keys]
    for label, mean, p90, longest, people, late in zip(*columns, strict=True):
        for stat, value in (("mean", mean), ("90th percentile", p90), ("longest", longest)):
            rows.append(
                {
                    "group": label,
                    "statistic": stat,
                    "hours": round(float(value), 2),
                    "people": int(people),
                    "late": int(late),
                }
            )
    limits = [
        {"hours": child_limit, "limit": f"children's limit ({child_limit:g} h)"},
        {"hours": screening_limit, "limit": f"screening limit ({screening_limit:g} h)"},
    ]
    return {WAITS: rows, WAIT_LIMITS: limits}


def occupancy_spec(datasets: dict[str, list[dict[str, Any]]]) -> dict[str, Any]:
    """The occupancy chart (560 x 220) for :func:`occupancy_data`'s datasets, as Vega: the
    compiled golden filled, what Vega-Lite compiles
    :func:`mixedflows.charts.reception.occupancy_spec` to (the page's front end skips the
    compile, :mod:`mixedflows.charts.specs`)."""
    from mixedflows.charts import specs

    return specs.compiled(OCCUPANCY_GOLDEN, datasets)


def waits_spec(datasets: dict[str, list[dict[str, Any]]]) -> dict[str, Any]:
    """The waiting-time chart (560 x 200) for :func:`waits_data`'s datasets, as Vega (the
    compiled golden filled)."""
    from mixedflows.charts import specs

    return specs.compiled(WAITS_GOLDEN, datasets)


GOLDENS = (OCCUPANCY_GOLDEN, WAITS_GOLDEN)
"""The page's charts, kept as Vega-Lite and as compiled Vega goldens."""


def empty(name: str) -> dict[str, Any]:
    """A compiled golden chart with no rows (drawn before the first season is shown)."""
    from mixedflows.charts import specs

    return specs.compiled(name)
