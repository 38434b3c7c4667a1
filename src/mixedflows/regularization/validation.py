"""The model against the recorded figures of real programmes, with an error measure.

The recorded figures are in ``datasets/regularization/recorded_figures.csv``, one row per
figure, each with its source. Every row says how it may be used:

- ``check``: no input of the model was chosen with this figure in view; the error says how far
  the teaching model is from the record.
- ``calibration``: an input (the irregular stock, a sector split, the staff) or a global
  assumption was chosen to reproduce this figure, so a small error here proves nothing. The
  rows are shown so that the choice is visible.
- ``context``: a figure that measures something else (another date, another stage); shown,
  never scored.

The error measure is the **relative error**: |model - recorded| / recorded, where a recorded
range counts as met anywhere inside it (the error is then measured to its nearer end). The
summary is the mean of the relative errors (MAPE) over the check rows.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

from mixedflows.regularization.model import Outcomes, pending_share, run
from mixedflows.regularization.sources import with_read_in

USES = ("check", "calibration", "context")

LIMITS: tuple[str, ...] = (
    "The irregular stock a programme met is never known; each programme file states the stock "
    "the model needs to reproduce the recorded applications. It is implied by the model, not "
    "an estimate of the real population.",
    "Every behavioural constant (take-up, the effect of a fee, documentary failures, job loss) "
    "is a teaching assumption written next to the code that uses it, not an estimate from a "
    "study.",
    "The criteria are treated as independent of each other; in reality long residence, family "
    "ties and a job offer go together.",
    "Applications are spread evenly over the window and decided first come, first served; real "
    "programmes see a rush near the deadline and stop-start administrations (Italy 2020).",
    "Rejections come only from documentary failures and from ineligible applicants. Fraud on "
    "the scale reported for the US Special Agricultural Workers programme is outside the model, "
    "which therefore approves too many SAW applicants.",
    "The model has one stage. Greece 1998's second stage (green cards needing proof of insured "
    "work) lost about 40 % of white-card holders; the model's 98 % still in status after a year "
    "does not see that stage at all.",
    "The pull effect is a range between the studies that found none (or a decline) and an "
    "upper end whose size is a teaching assumption; the evidence is contested and the model "
    "does not settle it.",
    "Two figures attributed to REGINE are unverified: about 98 % still in legal status after a "
    "year (Italy 2002) and about 80 % in social security (Spain 2005). They come from the course "
    "brief, the REGINE pages could not be checked, and two model constants (permits lapsing, "
    "jobs lost) were set with them in view: treat those results as unverified too.",
)
"""Where the model is a teaching simplification, said plainly (shown in the notebook)."""


def data_dir() -> Path:
    from mixedflows.paths import datasets_dir

    return datasets_dir() / "regularization"


@cache
def recorded_figures() -> Any:
    """The recorded figures (a DataFrame), checked: every row has a source and a known use."""
    import pandas as pd

    path = data_dir() / "recorded_figures.csv"
    df = pd.read_csv(path)
    for i, row in df.iterrows():
        where = f"{path}: row {int(i) + 2}"
        if not isinstance(row["source"], str) or not row["source"].strip():
            raise ValueError(f"{where}: no source")
        if row["use"] not in USES:
            raise ValueError(f"{where}: use '{row['use']}' is not one of {', '.join(USES)}")
    return df


def model_value(
    outcomes: Outcomes, measure: str, months_after_close: float | None = None
) -> float | None:
    """The model's figure for a recorded measure (None when the model has no such measure)."""
    if measure == "pending_share":
        return pending_share(outcomes, months_after_close or 0.0)
    if measure.startswith("applications_"):
        return outcomes.sector(measure.removeprefix("applications_")).applications
    if measure == "social_security_joined":
        return None
    return outcomes.value(measure)


def relative_error(
    model: float, value: float, low: float | None = None, high: float | None = None
) -> float:
    """|model - recorded| / recorded; inside a recorded range the error is 0, outside it the
    distance to the nearer end, still divided by the recorded value."""
    if low is not None and high is not None:
        if low <= model <= high:
            return 0.0
        nearest = low if model < low else high
        return abs(model - nearest) / abs(value)
    return abs(model - value) / abs(value)


def _num(x: Any) -> float | None:
    try:
        f = float(x)
    except (TypeError, ValueError):
        return None
    return None if f != f else f  # NaN -> None


def validate() -> Any:
    """One row per recorded figure: the record, the model, the relative error and the source."""
    import pandas as pd

    rows = []
    runs: dict[str, Outcomes] = {}
    for _, r in recorded_figures().iterrows():
        pid = r["programme_id"]
        out = runs.setdefault(pid, run(pid))
        low, high = _num(r["low"]), _num(r["high"])
        model = model_value(out, r["measure"], _num(r["months_after_close"]))
        err = None
        if model is not None and r["use"] != "context":
            err = relative_error(model, float(r["value"]), low, high)
        rows.append(
            {
                "programme_id": pid,
                "measure": r["measure"],
                "recorded": float(r["value"]),
                "low": low,
                "high": high,
                "model": model,
                "relative_error": err,
                "use": r["use"],
                # What the notebook and the chart show: the publication, said to be read in a
                # copy where it was (the recorded source stays in "source_recorded").
                "source": with_read_in(r["source"], r["publication"], r["read_in"]),
                "source_recorded": r["source"],
                "note": r["note"] if isinstance(r["note"], str) else "",
            }
        )
    return pd.DataFrame(rows)


@dataclass(frozen=True)
class Summary:
    """The error measure over the rows of each use."""

    mape_check: float
    """Mean relative error over the check rows: the figure that says how far the model is."""
    n_check: int
    within_10pct_check: int
    """Check rows within 10 % of the record."""
    mape_calibration: float
    """Mean relative error over the calibration rows (small by construction; proves nothing)."""
    n_calibration: int
    worst: str
    """The check row furthest from its record, named."""

    def text(self) -> str:
        return (
            f"Check rows: mean relative error {self.mape_check:.1%} over {self.n_check} "
            f"figures ({self.within_10pct_check} within 10 %); worst: {self.worst}. "
            f"Calibration rows: {self.mape_calibration:.1%} over {self.n_calibration} "
            "figures (small by construction)."
        )


def summarize(table: Any | None = None) -> Summary:
    """The error measure of :func:`validate`'s table."""
    df = validate() if table is None else table
    chk = df[(df["use"] == "check") & df["relative_error"].notna()]
    cal = df[(df["use"] == "calibration") & df["relative_error"].notna()]
    w = chk.loc[chk["relative_error"].idxmax()]
    return Summary(
        mape_check=float(chk["relative_error"].mean()),
        n_check=len(chk),
        within_10pct_check=int((chk["relative_error"] <= 0.10).sum()),
        mape_calibration=float(cal["relative_error"].mean()),
        n_calibration=len(cal),
        worst=f"{w['programme_id']} {w['measure']} ({w['relative_error']:.0%})",
    )


def implied_stocks() -> Any:
    """For each programme with recorded applications: the irregular stock in its file and the
    stock the model would need to reproduce the record (applications are proportional to the
    stock in the model)."""
    import pandas as pd

    df = recorded_figures()
    rows = []
    for _, r in df[df["measure"] == "applications"].iterrows():
        out = run(r["programme_id"])
        rows.append(
            {
                "programme_id": r["programme_id"],
                "stock_in_file": out.irregular_stock,
                "recorded_applications": float(r["value"]),
                "implied_stock": out.irregular_stock * float(r["value"]) / out.applications,
            }
        )
    return pd.DataFrame(rows)


def evidence() -> Any:
    """The studies of wage, tax and "pull" effects, as copied with their source column."""
    import pandas as pd

    return pd.read_csv(data_dir() / "sources" / "amnesty_effects_evidence.csv")


@dataclass(frozen=True)
class Report:
    """The validation as a notebook shows it: the table, the error measure, the stocks the
    model needs, and the simplifications said plainly (``_repr_html_``)."""

    table: Any
    summary: Summary
    stocks: Any
    limits: tuple[str, ...] = LIMITS

    def _repr_html_(self) -> str:
        from mixedflows.templating import macro

        def fmt(x: Any, measure: str = "") -> str:
            if x is None or x != x:
                return ""
            share = "share" in measure or "rate" in measure or measure.endswith("_12m")
            return f"{x:.1%}" if share else f"{x:,.0f}"

        rows = []
        for _, r in self.table.iterrows():
            rec = fmt(r["recorded"], r["measure"])
            if r["low"] is not None and r["low"] == r["low"]:
                rec += f" ({fmt(r['low'], r['measure'])} to {fmt(r['high'], r['measure'])})"
            err = (
                ""
                if r["relative_error"] is None or r["relative_error"] != r["relative_error"]
                else f"{r['relative_error']:.1%}"
            )
            rows.append(
                (
                    r["programme_id"],
                    r["measure"],
                    rec,
                    fmt(r["model"], r["measure"]),
                    err,
                    r["use"],
                    r["source"],
                    r["note"],
                )
            )
        stocks = [
            (
                r["programme_id"],
                f"{r['stock_in_file']:,.0f}",
                f"{r['recorded_applications']:,.0f}",
                f"{r['implied_stock']:,.0f}",
            )
            for _, r in self.stocks.iterrows()
        ]
        summary = self.summary.text()
        return macro("notebook.html.j2", "validation", summary, rows, stocks, self.limits)


def report() -> Report:
    """The validation for a notebook (displays itself as HTML)."""
    table = validate()
    return Report(table, summarize(table), implied_stocks())
