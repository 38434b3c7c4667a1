"""The facilitator dashboard's chart: the spread of the room's scores per exercise
(:func:`mixedflows.facilitator.score_distribution`), built as an altair spec a test can read."""

from __future__ import annotations

import altair as alt
import pandas as pd

from mixedflows import facilitator as fac


def distribution_chart(dist: pd.DataFrame, titles: dict[str, str] | None = None) -> alt.Chart:
    """Score distributions: per exercise, participants per 10-point bin, latest score and
    grade side by side. ``dist`` is :func:`mixedflows.facilitator.score_distribution`."""
    titles = titles or {}
    df = dist.assign(exercise=[titles.get(e, e) for e in dist["exercise_id"]])
    order = [fac.bin_label(lo) for lo in fac.BINS]
    return (
        alt.Chart(df)
        .mark_bar()
        .encode(
            x=alt.X("bin_label:N", sort=order, title="Score"),
            xOffset=alt.XOffset("measure:N", sort=["latest", "grade"]),
            y=alt.Y("participants:Q", title="Participants", axis=alt.Axis(tickMinStep=1)),
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


def empty_chart() -> alt.Chart:
    """A chart with no data: what the dashboard's chart widget holds before any score."""
    return alt.Chart(pd.DataFrame({"x": []})).mark_point()
