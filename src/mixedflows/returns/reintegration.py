"""A teaching model of a reintegration programme (module 9, MC/INF/294 ¶25).

The learner splits a budget across the measures ¶25 names (transferable assets, links to job
networks, referral services) and two more of IOM's integrated approach (psychosocial support;
cash and in-kind support). :func:`run` gives the returnee's scores, 0 to 1, on the three
dimensions of sustainable reintegration as IOM defines it (economic self-sufficiency, social
stability, psychosocial well-being: *Reintegration Handbook*, 2019, module 1).

Every coefficient is a row of ``datasets/returns/reintegration_model.csv`` with its source; a size
no study backs is marked a **teaching assumption, unsourced** (today every size is), and the
learner is told so, with the count taken from the file (:func:`assumptions`,
:func:`unsourced_count`).
IOM's Reintegration Sustainability Survey scores these dimensions with weights and thresholds
this course could not verify: the scores here are the model's, not the RSS's.

The model, for one returnee and one programme (EUR per measure):

- each dimension starts at a base set by the returnee's circumstances (skills raise the
  economic base; years away lower the social base; acute distress lowers the psychosocial base);
- each measure funded first spends a set-up cost; what is spent beyond it adds to a dimension
  ``effect x modifier x (1 - exp(-spent / scale))`` (diminishing returns);
- modifiers: job links scale with skills and, like referral services, grow with years away;
  transferable assets help only a returnee with assets to transfer (for one with nothing to
  transfer the measure does nothing: a rule of the measure, not a coefficient); psychosocial
  support helps more in acute distress;
- a score is capped at 1.

:func:`best_programme` finds, by running the model over every split of the budget in steps of
the exercise, the programme that meets the most objectives with the widest margin: the
reference answer is derived, never typed.
"""

from __future__ import annotations

import csv
import itertools
import math
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Literal

from pydantic import Field

from mixedflows.errors import DataFileError, Strict

if TYPE_CHECKING:
    import numpy as np

MEASURES: dict[str, str] = {
    "assets": "Transferable assets (savings, tools, pension rights)",
    "jobs": "Links to job networks",
    "referral": "Referral services (health, housing, documents, school)",
    "psychosocial": "Psychosocial support",
    "cash": "Cash and in-kind support (a small business, tools)",
}
"""The measures, in the order shown."""
DIMENSIONS: dict[str, str] = {
    "economic": "Economic self-sufficiency",
    "social": "Social stability",
    "psychosocial": "Psychosocial well-being",
}
MAX_YEARS = 10.0
"""Years away count up to this many (the absence terms saturate)."""


class Profile(Strict):
    """A returnee's circumstances (¶25: skills level and length of absence)."""

    name: str
    story: str
    skills: Literal["low", "medium", "high"]
    years_away: Annotated[float, Field(ge=0, le=60)]
    assets_to_transfer: bool = False
    """Savings, tools or pension rights abroad that could be made transferable."""
    distress: bool = False
    """Acute psychosocial distress (after detention, violence, a failed journey)."""


def model_file() -> Path:
    from mixedflows.paths import datasets_dir

    return datasets_dir() / "returns" / "reintegration_model.csv"


@dataclass(frozen=True)
class Row:
    parameter: str
    measure: str
    dimension: str
    value: float
    unit: str
    meaning: str
    source: str


HEADER = ("parameter", "measure", "dimension", "value", "unit", "meaning", "source")
"""The columns of the model's data file."""


def fields(r: dict[str | None, object]) -> list[object]:
    """The fields of a row as read (extra fields, a shifted comma's, gathered under None)."""
    extra = r.get(None)
    return [v for k, v in r.items() if k is not None and v is not None] + (
        list(extra) if isinstance(extra, list) else []
    )


@cache
def coefficients() -> tuple[Row, ...]:
    """Every row of the model's data file (each with its source)."""
    p = model_file()
    rows = []
    with p.open(encoding="utf-8", newline="") as f:
        for k, r in enumerate(csv.DictReader(f), start=2):
            try:
                value = float(r["value"])
            except (TypeError, ValueError):
                raise DataFileError(
                    p, f"line {k}: value", f"not a number: {r['value']!r}"
                ) from None
            if None in r or None in r.values():  # a comma in an unquoted field, or one short
                raise DataFileError(
                    p, f"line {k}", f"{len(fields(r))} fields, the header has {len(HEADER)}"
                )
            if not (r.get("source") or "").strip():
                raise DataFileError(p, f"line {k}: source", "every coefficient names its source")
            rows.append(
                Row(
                    r["parameter"],
                    r["measure"],
                    r["dimension"],
                    value,
                    r["unit"],
                    r["meaning"],
                    r["source"],
                )
            )
    return tuple(rows)


@cache
def _table() -> dict[tuple[str, str, str], float]:
    return {(r.parameter, r.measure, r.dimension): r.value for r in coefficients()}


def _c(parameter: str, measure: str = "", dimension: str = "") -> float:
    try:
        return _table()[(parameter, measure, dimension)]
    except KeyError:
        raise DataFileError(
            model_file(), parameter, f"no row for {parameter} {measure} {dimension}".strip()
        ) from None


def assumptions() -> list[Row]:
    """The rows as the learner reads them (the same list the data file holds)."""
    return list(coefficients())


def subject(row: Row) -> tuple[str, str]:
    """What a coefficient acts on, read from its row: the measure (or every measure, or the
    returnee's starting point) and the dimension (or every dimension of it)."""
    if row.measure:
        measure = MEASURES.get(row.measure, row.measure)
    elif row.parameter == "setup_cost":
        measure = "Every measure"
    else:
        measure = "None: the returnee's starting point"
    dimension = DIMENSIONS.get(row.dimension, row.dimension) or "Every dimension"
    return measure, dimension


def confidence(row: Row) -> str:
    """How far a coefficient is backed, read from its source: a size no study backs is said
    to be assumed, and what a source backs (the measure, or the direction) is said to be."""
    if UNSOURCED not in row.source:
        return "Sourced: the size is the source's"
    backed = [part.strip() for part in row.source.split(";") if "teaching assumption" not in part]
    if not backed:
        return "Assumed: a teaching assumption, no source"
    if all(part.startswith("measure named in") for part in backed):
        return "The measure is the source's; its size is assumed"
    return "The direction rests on the source; its size is assumed"


def setup_cost() -> float:
    """EUR each funded measure spends on setting up before it helps anyone (the data file's)."""
    return _c("setup_cost")


UNSOURCED = "teaching assumption, unsourced"
"""What a row's source says where nothing backs the coefficient's size."""


def unsourced_count() -> tuple[int, int]:
    """How many coefficients have a size that is a teaching assumption, and how many there are."""
    rows = coefficients()
    return sum(UNSOURCED in r.source for r in rows), len(rows)


def unsourced_share() -> float:
    """The share of coefficients whose size is a teaching assumption."""
    n, total = unsourced_count()
    return n / total


@dataclass(frozen=True)
class Outcome:
    """The model's scores for one returnee and one programme, and where they come from."""

    programme: dict[str, float]
    base: dict[str, float]
    gains: dict[str, dict[str, float]]
    """gains[measure][dimension]: what each measure adds (before the cap at 1)."""

    @property
    def scores(self) -> dict[str, float]:
        return {
            d: min(1.0, self.base[d] + sum(g[d] for g in self.gains.values())) for d in DIMENSIONS
        }

    @property
    def spent(self) -> float:
        return sum(self.programme.values())


def _modifier(p: Profile, measure: str, dimension: str) -> float:
    years = min(p.years_away, MAX_YEARS)
    if measure == "jobs":
        skill = {"low": _c("skills_multiplier_low", "jobs"), "medium": 1.0}.get(
            p.skills, _c("skills_multiplier_high", "jobs")
        )
        return skill * (1 + _c("absence_multiplier_per_year", "jobs") * years)
    if measure == "referral":
        return 1 + _c("absence_multiplier_per_year", "referral") * years
    if measure == "assets":  # nothing to transfer, nothing made transferable
        return 1.0 if p.assets_to_transfer else 0.0
    if measure == "psychosocial" and dimension == "psychosocial":
        return _c(
            "distress_multiplier" if p.distress else "no_distress_multiplier",
            "psychosocial",
            "psychosocial",
        )
    return 1.0


def base_scores(p: Profile) -> dict[str, float]:
    skills = {"low": 0.0, "medium": _c("skills_bonus_medium", "", "economic")}.get(
        p.skills, _c("skills_bonus_high", "", "economic")
    )
    years = min(p.years_away, MAX_YEARS)
    return {
        "economic": _c("base", "", "economic") + skills,
        "social": _c("base", "", "social") - _c("absence_loss_per_year", "", "social") * years,
        "psychosocial": _c("base", "", "psychosocial")
        - (_c("distress_penalty", "", "psychosocial") if p.distress else 0.0),
    }


def run(p: Profile, programme: dict[str, float]) -> Outcome:
    """Run the model: ``programme`` maps measures to EUR (missing measures get nothing)."""
    setup = _c("setup_cost")
    gains: dict[str, dict[str, float]] = {}
    for m in MEASURES:
        spent = float(programme.get(m, 0.0))
        beyond = max(0.0, spent - setup)
        reach = 1 - math.exp(-beyond / _c("scale", m)) if beyond else 0.0
        gains[m] = {d: _c("effect", m, d) * _modifier(p, m, d) * reach for d in DIMENSIONS}
    prog = {m: float(programme.get(m, 0.0)) for m in MEASURES}
    return Outcome(prog, base_scores(p), gains)


def marginal(
    p: Profile, programme: dict[str, float], step: float, dimension: str
) -> dict[str, float]:
    """What ``step`` EUR more on each measure would add to ``dimension`` (from the model)."""
    now = run(p, programme).scores[dimension]
    out = {}
    for m in MEASURES:
        more = dict(programme)
        more[m] = more.get(m, 0.0) + step
        out[m] = run(p, more).scores[dimension] - now
    return out


def splits(budget: int, step: int) -> np.ndarray:
    """Every split of ``budget`` across the measures in steps of ``step`` EUR: one row per
    split, one column per measure (in :data:`MEASURES` order)."""
    import numpy as np  # only here: the apps start without it

    n = budget // step
    k = len(MEASURES)
    bars = np.array(list(itertools.combinations(range(n + k - 1), k - 1)), dtype=float)
    edges = np.hstack([np.full((len(bars), 1), -1.0), bars, np.full((len(bars), 1), n + k - 1)])
    return (np.diff(edges, axis=1) - 1) * step


def scores_many(p: Profile, programmes: np.ndarray) -> np.ndarray:
    """:func:`run`'s scores for many programmes at once (rows of EUR per measure, in
    :data:`MEASURES` order): one row of scores per programme, dimensions in order."""
    import numpy as np  # only here: the apps start without it

    setup = _c("setup_cost")
    beyond = np.maximum(0.0, programmes - setup)
    scale = np.array([_c("scale", m) for m in MEASURES])
    reach = 1 - np.exp(-beyond / scale)
    gain = np.array(
        [[_c("effect", m, d) * _modifier(p, m, d) for d in DIMENSIONS] for m in MEASURES]
    )
    base = np.array(list(base_scores(p).values()))
    return np.minimum(1.0, base + reach @ gain)


def best_programme(
    p: Profile, budget: int, step: int, targets: dict[str, float], weights: dict[str, float]
) -> tuple[dict[str, float], Outcome]:
    """The split of the budget meeting the most objective weight, then with the widest
    smallest margin over the targets: found by running the model on every split (ties go to
    the first split in order)."""
    import numpy as np

    progs = splits(budget, step)
    s = scores_many(p, progs)
    dims = list(DIMENSIONS)
    cols = [dims.index(d) for d in targets]
    t = np.array([targets[d] for d in targets])
    w = np.array([weights[d] for d in targets])
    met = ((s[:, cols] >= t - 1e-9) * w).sum(axis=1).round(9)
    margin = (s[:, cols] - t).min(axis=1)
    order = np.lexsort((-margin, -met))
    prog = dict(zip(MEASURES, map(float, progs[order[0]]), strict=True))
    return prog, run(p, prog)
