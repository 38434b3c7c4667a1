"""ILO/EC operational indicators of trafficking in human beings (2009), as rules.

Everything uncertain about this framework lives in this one module (REFERENCE.md §1, §7), so
that it can be corrected in one place once someone has checked the primary text:

- the indicator list and its strong/medium/weak weights come from a secondary transcription of
  ILO WCMS_105023 (the per-dimension counts match the seafish.org summary); MRC Bangladesh rates
  three exploitation indicators "strong" where this list says "medium";
- only the lists for *labour* exploitation were found; they are used for every testimony;
- the rule that makes a dimension positive (:data:`DIMENSION_RULE`) is cited from the brochure's
  p.3 by that same secondary source;
- the combination of dimensions (:data:`COMBINATION`) follows the Palermo Protocol's
  act + means + purpose logic; its exact ILO wording could not be checked.

The output is an *indication* that leads to referral for formal identification by the competent
authority, never a determination that someone is (or is not) a victim.
"""

from __future__ import annotations

import csv
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from functools import cache
from importlib import resources

import numpy as np

from mixedflows.citations import PALERMO, Citation

CAVEAT = (
    "indicator weights and the dimension rule are taken from a secondary transcription of the "
    "ILO/EC brochure (2009) and await checking against the primary text; the combination of "
    "dimensions follows the Palermo Protocol's act + means + purpose logic; the result is an "
    "indication for referral, not an identification"
)
CITATION = Citation(
    framework=PALERMO.framework + "; UNHCR 10-Point Plan in Action (2011), ch. 6.4",
    seed=PALERMO.seed,
    caveat=CAVEAT,
)
CHILD_CITATION = Citation(
    framework="Palermo Protocol (2000), art. 3(c)-(d): for a child (under 18) no 'means' is "
    "required; ILO/EC Operational indicators of trafficking (2009), lists for children",
    seed=PALERMO.seed,
    caveat=CAVEAT,
)

DIMENSIONS: dict[int, str] = {
    1: "Deceptive recruitment",
    2: "Coercive recruitment",
    3: "Recruitment by abuse of vulnerability",
    4: "Exploitation",
    5: "Coercion at destination",
    6: "Abuse of vulnerability at destination",
}
RECRUITMENT = (1, 2, 3)
EXPLOITATION = 4
MEANS_AT_DESTINATION = (5, 6)

WEIGHTS = ("S", "M", "W")
WEIGHT_LABELS = {"S": "strong", "M": "medium", "W": "weak"}

DIMENSION_RULE = (
    "A dimension is positive with 2 strong indicators, or 1 strong and 1 medium or weak, "
    "or 3 medium, or 2 medium and 1 weak (ILO/EC brochure p.3, as cited by a secondary source)."
)

COMBINATION: dict[str, tuple[tuple[str, tuple[int, ...]], ...]] = {
    "adult": (
        ("the act (a recruitment dimension, 1-3)", RECRUITMENT),
        ("the purpose (exploitation, 4)", (EXPLOITATION,)),
        (
            "the means at destination (coercion or abuse of vulnerability, 5 or 6)",
            MEANS_AT_DESTINATION,
        ),
    ),
    "child": (
        ("the act (a recruitment dimension, 1-3)", RECRUITMENT),
        ("the purpose (exploitation, 4)", (EXPLOITATION,)),
    ),
}
"""Which groups of dimensions must each have a positive dimension. Adults need act, purpose and
means; for children the means are not required (Palermo Protocol art. 3(c)), so the group of
means at destination is dropped. Not verified against the ILO text (REFERENCE.md §1)."""


def rule_lines() -> list[str]:
    """The rules in words, for the material: the dimension rule, the combinations and the
    caveat. Written from the constants above, so the material always shows the rule in use."""
    out = [DIMENSION_RULE]
    for who, groups in COMBINATION.items():
        parts = " AND ".join(name for name, _ in groups)
        out.append(
            f"Indications of trafficking for {'a child' if who == 'child' else 'an adult'}: "
            f"{parts}."
        )
    out.append("Caveat: " + CAVEAT + ".")
    return out


@dataclass(frozen=True)
class Indicator:
    id: str
    dimension: int
    text: str
    weight_adult: str
    """'S', 'M' or 'W'."""
    weight_child: str
    """'S', 'M', 'W', or '' where the indicator is not in the list for children."""
    source: str

    def weight(self, child: bool) -> str:
        """The weight for an adult or a child; '' where it does not count (not in the list)."""
        return self.weight_child if child else self.weight_adult


@cache
def indicators() -> dict[str, Indicator]:
    """All indicators by id, in the order of the data file, read once."""
    path = resources.files("mixedflows") / "data" / "ilo_indicators.csv"
    with path.open(encoding="utf-8") as fh:
        return {
            r["id"]: Indicator(
                r["id"],
                int(r["dimension"]),
                r["indicator"],
                r["weight_adult"],
                r["weight_child"],
                r["source"],
            )
            for r in csv.DictReader(fh)
        }


def indicator_ids() -> tuple[str, ...]:
    """Indicator ids in file order (the columns of :func:`assess_matrix`)."""
    return tuple(indicators())


def dimension_positive(weights: Iterable[str]) -> bool:
    """A dimension is positive with 2 strong, 1 strong + 1 other, 3 medium, or 2 medium + 1 weak."""
    w = list(weights)
    s, m, wk = w.count("S"), w.count("M"), w.count("W")
    return _positive(s, m, wk)


def _positive(s, m, wk):
    # Works on ints and on numpy arrays alike: the one place the dimension rule is written.
    return (s >= 2) | ((s >= 1) & (m + wk >= 1)) | (m >= 3) | ((m >= 2) & (wk >= 1))


def _combine(positive: dict[int, bool] | np.ndarray, child: bool):
    groups = COMBINATION["child" if child else "adult"]
    ok = None
    for _, dims in groups:
        if isinstance(positive, dict):
            hit = any(positive[d] for d in dims)
        else:
            hit = np.any(positive[:, [d - 1 for d in dims]], axis=1)
        ok = hit if ok is None else (ok & hit)
    return ok


@dataclass(frozen=True)
class DimensionResult:
    """One dimension of one assessment: what was counted and whether it is positive."""

    dimension: int
    name: str
    strong: int
    medium: int
    weak: int
    positive: bool
    indicators: tuple[str, ...]
    """Ids of the indicators counted in this dimension."""


@dataclass(frozen=True)
class TraffickingAssessment:
    """Which dimensions are positive and whether they add up to indications of trafficking."""

    positive_dimensions: tuple[int, ...]
    indication: bool
    child: bool
    reason: str
    observed: tuple[str, ...] = ()
    """Indicator ids observed (in the order given, without repeats)."""
    not_counted: tuple[str, ...] = ()
    """Observed indicators that do not count here (not in the list for children)."""
    missing: tuple[str, ...] = ()
    """The parts of the definition with no positive dimension (e.g. 'the purpose ...')."""
    dimensions: tuple[DimensionResult, ...] = field(default=(), repr=False)

    @property
    def below_threshold(self) -> bool:
        """Some indicators were observed but they do not add up to indications."""
        return bool(self.observed) and not self.indication


def assess(indicator_ids: Iterable[str], *, child: bool) -> TraffickingAssessment:
    """Apply the dimension rule and the combination of :data:`COMBINATION`.

    Adults: a recruitment dimension (1-3) AND exploitation (4) AND a means at destination
    (5 or 6). Children: a recruitment dimension AND exploitation; no means is required
    (Palermo Protocol art. 3(c)). Indicators absent from the list for children do not count for
    a child. Raises KeyError naming any unknown indicator id.
    """
    table = indicators()
    ids = list(dict.fromkeys(indicator_ids))
    unknown = [i for i in ids if i not in table]
    if unknown:
        raise KeyError(f"unknown ILO indicator id(s): {', '.join(unknown)}")
    by_dim: dict[int, list[str]] = {d: [] for d in DIMENSIONS}
    not_counted = []
    for i in ids:
        ind = table[i]
        if ind.weight(child):
            by_dim[ind.dimension].append(i)
        else:
            not_counted.append(i)
    results = []
    for d, members in by_dim.items():
        ws = [table[i].weight(child) for i in members]
        s, m, wk = ws.count("S"), ws.count("M"), ws.count("W")
        results.append(
            DimensionResult(d, DIMENSIONS[d], s, m, wk, bool(_positive(s, m, wk)), tuple(members))
        )
    pos = {r.dimension: r.positive for r in results}
    positive = tuple(d for d, ok in pos.items() if ok)
    indication = bool(_combine(pos, child))
    groups = COMBINATION["child" if child else "adult"]
    missing = tuple(name for name, dims in groups if not any(pos[d] for d in dims))
    return TraffickingAssessment(
        positive,
        indication,
        child,
        _reason(positive, indication, child, missing, bool(ids)),
        tuple(ids),
        tuple(not_counted),
        missing,
        tuple(results),
    )


def _reason(
    positive: Sequence[int], indication: bool, child: bool, missing: Sequence[str], any_: bool
) -> str:
    names = ", ".join(f"{DIMENSIONS[d]} ({d})" for d in positive) or "none"
    if child:
        rule = "for a child, the act and the purpose suffice; no means is needed (art. 3(c))"
    else:
        rule = "for an adult, the act, the purpose and the means are all needed"
    if indication:
        verdict = "together these give indications of trafficking"
    elif not any_:
        verdict = "no indicators were observed"
    else:
        verdict = "no indications of trafficking yet: missing " + " and ".join(missing)
    return f"Positive dimensions: {names}; {rule}: {verdict}."


# --- Vectorised path ---------------------------------------------------------------------------


@cache
def _weight_matrices() -> dict[tuple[bool, str], np.ndarray]:
    """For adults and children, one (indicators x 6) 0/1 matrix per weight."""
    table = list(indicators().values())
    out = {}
    for child in (False, True):
        for wt in WEIGHTS:
            m = np.zeros((len(table), len(DIMENSIONS)), dtype=np.int16)
            for k, ind in enumerate(table):
                if ind.weight(child) == wt:
                    m[k, ind.dimension - 1] = 1
            out[(child, wt)] = m
    return out


def assess_matrix(observed: np.ndarray, child: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """The same rules as :func:`assess` for many persons at once.

    ``observed`` is a boolean (persons x indicators) matrix in the order of
    :func:`indicator_ids`; ``child`` a boolean vector. Returns (positive dimensions as a
    (persons x 6) boolean matrix, indication as a boolean vector).
    """
    obs = np.asarray(observed, dtype=bool)
    child = np.asarray(child, dtype=bool)
    n = obs.shape[0]
    positive = np.zeros((n, len(DIMENSIONS)), dtype=bool)
    indication = np.zeros(n, dtype=bool)
    rows = np.flatnonzero(obs.any(axis=1))  # most people have no indicator at all
    if rows.size == 0:
        return positive, indication
    # Integer products, not BLAS: small and exact, and no thread pool to contend for.
    x = obs[rows].astype(np.int16)
    kid = child[rows]
    wm = _weight_matrices()
    counts = {wt: np.where(kid[:, None], x @ wm[(True, wt)], x @ wm[(False, wt)]) for wt in WEIGHTS}
    pos = _positive(counts["S"], counts["M"], counts["W"])
    positive[rows] = pos
    indication[rows] = np.where(kid, _combine(pos, True), _combine(pos, False))
    return positive, indication
