"""The facilitator dashboard's chart without altair: the rows it draws and its Vega-Lite spec
from the golden file (``charts/specs/facilitator_distribution.vl.json``, built by
:func:`mixedflows.charts.facilitator.template`; a test checks they agree).

The dashboard's page imports this module, never altair (about 0.6 s of CPU at every start of
its kernel, issue 13): a redraw only fills the golden spec's dataset.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

GOLDEN = "facilitator_distribution"
DATASET = "distribution"
"""The golden spec's one named dataset: the rows of the score distribution."""


def distribution_rows(
    dist: Iterable[Mapping[str, Any]] | Any, titles: Mapping[str, str] | None = None
) -> list[dict[str, Any]]:
    """The rows the chart draws: :func:`mixedflows.facilitator.score_distribution` (a DataFrame
    or its records), each with the exercise's title (``titles``, by exercise id)."""
    titles = titles or {}
    rows = dist.to_dict("records") if hasattr(dist, "to_dict") else [dict(r) for r in dist]
    return [{**r, "exercise": titles.get(r["exercise_id"], r["exercise_id"])} for r in rows]


def distribution_spec(
    dist: Iterable[Mapping[str, Any]] | Any, titles: Mapping[str, str] | None = None
) -> dict[str, Any]:
    """The dashboard's chart for ``dist``: the golden spec with its dataset filled (no rows: an
    empty chart)."""
    from mixedflows.charts import specs

    return specs.filled(GOLDEN, {DATASET: distribution_rows(dist, titles)})
