"""The facilitator dashboard's chart: the spread of the room's scores per exercise
(:func:`mixedflows.facilitator.score_distribution`), built as an altair spec a test can read.

The dashboard's page draws the same spec from a golden file (:mod:`.facilitator_data`, no
altair); :func:`template` is what that file holds: refresh it after changing the chart with
``python -m mixedflows.charts.facilitator --update-goldens``.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import altair as alt
import pandas as pd

from mixedflows import facilitator as fac
from mixedflows.charts.facilitator_data import DATASET, GOLDEN, distribution_rows


def _distribution() -> alt.FacetChart:
    order = [fac.bin_label(lo) for lo in fac.BINS]
    return (
        alt.Chart(alt.Data(name=DATASET))
        .mark_bar()
        .encode(
            x=alt.X("bin_label:N", sort=order, title="Score"),
            xOffset=alt.XOffset("measure:N", sort=["latest", "grade"]),
            # People in whole numbers: with one or two participants Vega ticked 0.0, 0.5, 1.0
            # (tickMinStep alone did not stop it, a cold trial saw it); the axis runs to 4 at
            # least, ticked 0, 1, 2, 3, 4.
            y=alt.Y(
                "participants:Q",
                title="Participants",
                axis=alt.Axis(tickMinStep=1),
                scale=alt.Scale(domain={"unionWith": [0, 4]}),
            ),
            color=alt.Color(
                "measure:N",
                sort=["latest", "grade"],
                scale=alt.Scale(range=["#1f5f99", "#9cc3e6"]),
                title="Attempt",
            ),
            tooltip=["exercise:N", "measure:N", "bin_label:N", "participants:Q"],
        )
        .properties(width=520, height=150)
        .facet(row=alt.Row("exercise:N", title=None))
    )


def distribution_chart(dist: pd.DataFrame, titles: dict[str, str] | None = None) -> alt.FacetChart:
    """Score distributions: per exercise, participants per 10-point bin, latest score and
    grade side by side. ``dist`` is :func:`mixedflows.facilitator.score_distribution`."""
    return _distribution().properties(datasets={DATASET: distribution_rows(dist, titles)})


def empty_chart() -> alt.Chart:
    """A chart with no data: what the dashboard's chart widget holds before any score."""
    return alt.Chart(pd.DataFrame({"x": []})).mark_point()


def template() -> dict[str, Any]:
    """The chart's spec with an empty dataset, as altair builds it (the golden file's content)."""
    return _distribution().properties(datasets={DATASET: []}).to_dict()


def update_golden() -> Path:
    """Write the golden spec the dashboard reads (charts/specs/facilitator_distribution.vl.json)."""
    from mixedflows.charts import specs

    p = specs.path(GOLDEN)
    p.write_text(json.dumps(template(), indent=1, sort_keys=True) + "\n", encoding="utf-8")
    return p


if __name__ == "__main__":
    import sys

    if "--update-goldens" in sys.argv:
        print(f"wrote {update_golden()}")
