"""ILO/EC operational indicators of trafficking in human beings (2009), as rules.

Everything uncertain about this framework lives in this one module (REFERENCE.md §1):

- the indicator list and its strong/medium/weak weights come from a secondary transcription of
  ILO WCMS_105023 (per-dimension counts match the seafish.org summary); MRC Bangladesh rates
  three exploitation indicators "strong" where this list says "medium";
- the rule that makes a dimension positive (2 strong; 1 strong + 1 medium/weak; 3 medium;
  2 medium + 1 weak) is cited from the brochure's p.3 by that same secondary source;
- the combination of dimensions used here follows the Palermo Protocol's act + means + purpose
  logic; its exact ILO wording could not be checked.

The output is an *indication* that leads to referral for formal identification by the competent
authority, never a determination that someone is (or is not) a victim.
"""

from __future__ import annotations

import csv
from collections.abc import Iterable
from dataclasses import dataclass
from functools import cache
from importlib import resources

from mixedflows.citations import PALERMO, Citation

CAVEAT = (
    "indicator weights and the dimension rule are taken from a secondary transcription of the "
    "ILO/EC brochure (2009) and await checking against the primary text; the result is an "
    "indication for referral, not an identification"
)
CITATION = Citation(framework=PALERMO.framework, seed=PALERMO.seed, caveat=CAVEAT)

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


@dataclass(frozen=True)
class Indicator:
    id: str
    dimension: int
    text: str
    weight_adult: str
    """'S', 'M' or 'W'."""
    weight_child: str
    """'S', 'M', 'W', or '' where the indicator is not in the child list."""
    source: str


@cache
def indicators() -> dict[str, Indicator]:
    """All indicators by id, read once from the package's data file."""
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


def dimension_positive(weights: Iterable[str]) -> bool:
    """A dimension is positive with 2 strong, 1 strong + 1 other, 3 medium, or 2 medium + 1 weak."""
    w = list(weights)
    s, m, wk = w.count("S"), w.count("M"), w.count("W")
    return s >= 2 or (s >= 1 and m + wk >= 1) or m >= 3 or (m >= 2 and wk >= 1)


@dataclass(frozen=True)
class TraffickingAssessment:
    """Which dimensions are positive and whether they add up to indications of trafficking."""

    positive_dimensions: tuple[int, ...]
    indication: bool
    child: bool
    reason: str


def assess(indicator_ids: Iterable[str], *, child: bool) -> TraffickingAssessment:
    """Apply the dimension rule and the act + means + purpose combination.

    Adults: a recruitment dimension (1-3) AND exploitation (4) AND a means at destination
    (5 or 6). Children: exploitation (4) together with any recruitment or destination dimension,
    or any recruitment dimension alone, since for children no "means" is required
    (Palermo Protocol art. 3(c)).
    """
    table = indicators()
    unknown = [i for i in indicator_ids if i not in table]
    if unknown:
        raise KeyError(f"unknown ILO indicator id(s): {', '.join(unknown)}")
    by_dim: dict[int, list[str]] = {d: [] for d in DIMENSIONS}
    for i in dict.fromkeys(indicator_ids):
        ind = table[i]
        weight = (ind.weight_child or ind.weight_adult) if child else ind.weight_adult
        by_dim[ind.dimension].append(weight)
    positive = tuple(d for d, ws in by_dim.items() if dimension_positive(ws))
    recruited = any(d in positive for d in RECRUITMENT)
    exploited = EXPLOITATION in positive
    means = any(d in positive for d in MEANS_AT_DESTINATION)
    if child:
        indication = recruited or exploited
        rule = "a child: recruitment or exploitation suffices; no means is needed (art. 3(c))"
    else:
        indication = recruited and exploited and means
        rule = "an adult: recruitment, exploitation and coercion or abuse at destination"
    names = ", ".join(DIMENSIONS[d] for d in positive) or "none"
    verdict = "indications of trafficking" if indication else "no indications of trafficking yet"
    return TraffickingAssessment(
        positive, indication, child, f"Positive dimensions: {names}; {rule}: {verdict}."
    )
