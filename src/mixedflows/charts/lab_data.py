"""The policy lab's chart, without altair or pandas: the rows each outcome chart draws, and its
Vega-Lite spec from the golden file (``charts/specs/policy_lab.vl.json``, built by
:func:`mixedflows.charts.regularization.template`; a test checks they agree).

The lab's page imports this module, never altair (seconds to import on a busy machine) nor
pandas: a lever change or the first drawing only fills the golden spec's datasets.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

BASELINE = "Programme as enacted"
REFORM = "Your reform"
PEOPLE = ["eligible", "applications", "approvals", "rejections", "backlog_at_close"]
MONEY = ["fee_revenue", "social_security_revenue", "processing_cost"]
STATUS = ["legal_status_12m", "social_security_12m"]
GOLDEN = "policy_lab"
CURRENCY = "million CURRENCY"
"""The money axis title the golden file holds; filled with the programme's currency."""


def _records(frame: Any) -> list[Mapping[str, Any]]:
    """Rows of :func:`~mixedflows.regularization.model.comparison_rows`, or of its DataFrame."""
    if hasattr(frame, "to_dict"):
        return frame.to_dict("records")
    return list(frame)


def _rows(by_key: Mapping[str, Mapping[str, Any]], keys: list[str], scale: float = 1.0) -> list:
    out = []
    for k in keys:
        r = by_key[k]
        for col, name in (("baseline", BASELINE), ("reform", REFORM)):
            out.append(
                {"key": k, "label": r["label"], "scenario": name, "value": float(r[col]) / scale}
            )
    return out


def _pull_rows(by_key: Mapping[str, Mapping[str, Any]]) -> list[dict[str, Any]]:
    return [
        {
            "scenario": name,
            "low": float(by_key["pull_low"][col]),
            "high": float(by_key["pull_high"][col]),
        }
        for col, name in (("baseline", BASELINE), ("reform", REFORM))
    ]


def lab_datasets(frame: Iterable[Mapping[str, Any]] | Any) -> dict[str, list[dict[str, Any]]]:
    """The rows each outcome chart draws, by dataset name (``frame``: the comparison rows, as a
    list of dicts or a DataFrame)."""
    by_key = {r["key"]: r for r in _records(frame)}
    return {
        "people": _rows(by_key, PEOPLE),
        "money": _rows(by_key, MONEY, scale=1e6),
        "status": _rows(by_key, STATUS),
        "pull": _pull_rows(by_key),
    }


def money_title(currency: str) -> str:
    return f"million {currency}".strip()


def lab_spec(frame: Iterable[Mapping[str, Any]] | Any, currency: str = "") -> dict[str, Any]:
    """The lab's Vega-Lite spec for ``frame``: the golden file with its datasets filled and the
    money axis titled in ``currency`` (the same spec altair builds, without importing it)."""
    from mixedflows.charts import specs

    return specs.filled(GOLDEN, lab_datasets(frame), texts={CURRENCY: money_title(currency)})
