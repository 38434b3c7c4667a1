"""The observations of :mod:`mixedflows.trafficking`: the ILO/EC labour lists and
the Palermo-read observations (``data/ilo_indicators.csv``, ``data/palermo_observations.csv``),
each an :class:`Indicator` with the element it shows and its weight in its dimension.
"""

from __future__ import annotations

import csv
from collections.abc import Iterable
from dataclasses import dataclass
from functools import cache
from importlib import resources
from typing import TYPE_CHECKING

from mixedflows.trafficking.rules import (
    COMBINATION,
    HELD_MEANS,
    HELD_UNSETTLED,
    MEANS_AT_DESTINATION,
    PROMISES,
    promise_broken,
)

if TYPE_CHECKING:
    import numpy as np


def held_filing(ids: Iterable[str]) -> str:
    """Where the ILO/EC list files each fact of being held among ``ids`` (confinement, documents
    kept), in words; '' if none. By the observation's dimension: 2 (during recruitment or
    transport), 5 (where the person is exploited), or, for an observation outside the labour
    lists, that the source cannot settle it (:data:`HELD_UNSETTLED`)."""
    table = observations()
    out = []
    for i in dict.fromkeys(ids):
        ind = table[i]
        if ind.means not in HELD_MEANS:
            continue
        what = ind.text[:1].lower() + ind.text[1:]
        if ind.dimension == MEANS_AT_DESTINATION[0]:
            out.append(f"{what}: ILO/EC 'coercion at destination' (dimension 5)")
        elif ind.dimension == 2:
            out.append(f"{what}: ILO/EC 'coercive recruitment' (dimension 2, during the journey)")
        else:
            out.append(HELD_UNSETTLED.format(what=what[:1].upper() + what[1:]))
    return "; ".join(out)


def broken_promises(ids: Iterable[str]) -> tuple[str, ...]:
    """The promises (:data:`PROMISES`) the facts show false; () if none."""
    table = observations()
    ids = list(dict.fromkeys(ids))
    if not any(promise_broken(table[i]) for i in ids):
        return ()
    return tuple(i for i in ids if i in PROMISES)


# --- Observations: the ILO/EC labour lists and the Palermo-read observations -------------------


@dataclass(frozen=True)
class Indicator:
    """One observation a person may describe: an ILO/EC labour indicator (``dimension`` 1-6) or
    an observation written for this course for sexual exploitation (``dimension`` 0)."""

    id: str
    dimension: int
    """ILO/EC dimension 1-6; 0 for an observation outside the ILO/EC labour lists."""
    text: str
    weight_adult: str
    """'S', 'M' or 'W' ('' outside the ILO/EC lists)."""
    weight_child: str
    """'S', 'M', 'W', or '' where the indicator is not in the list for children."""
    source: str
    act: str = ""
    """The kind of act this evidences (Palermo art. 3(a)), or ''."""
    means: str = ""
    purpose: str = ""
    nearby: bool = False
    """The person who controls them may be near: they are in the same group (the
    same boat, or the same road)."""

    def weight(self, child: bool) -> str:
        """The ILO/EC weight for an adult or a child; '' where it does not count."""
        return self.weight_child if child else self.weight_adult

    @property
    def ilo(self) -> bool:
        return self.dimension > 0

    def element(self, name: str) -> str:
        return {"act": self.act, "means": self.means, "purpose": self.purpose}[name]


def _read(name: str) -> list[dict[str, str]]:
    path = resources.files("mixedflows") / "data" / name
    with path.open(encoding="utf-8") as fh:
        return list(csv.DictReader(fh))


@cache
def observations() -> dict[str, Indicator]:
    """Every observation by id: the ILO/EC labour indicators, then the Palermo-read ones."""
    out = {
        r["id"]: Indicator(
            r["id"],
            int(r["dimension"]),
            r["indicator"],
            r["weight_adult"],
            r["weight_child"],
            r["source"],
            r["act"],
            r["means"],
            r["purpose"],
            r["nearby"] == "yes",
        )
        for r in _read("ilo_indicators.csv")
    }
    for r in _read("palermo_observations.csv"):
        out[r["id"]] = Indicator(
            r["id"],
            0,
            r["observation"],
            "",
            "",
            r["source"],
            r["act"],
            r["means"],
            r["purpose"],
            r["nearby"] == "yes",
        )
    return out


@cache
def indicators() -> dict[str, Indicator]:
    """The ILO/EC labour indicators by id, in the order of the data file."""
    return {k: v for k, v in observations().items() if v.ilo}


HARM_MEANS = ("force", "abduction")
"""Means that harm the person themselves: violence on them, abduction."""


def harms_the_person(ind: Indicator) -> bool:
    """The observation tells of harm done to the person: violence on them, abduction, or
    deprivation of liberty on the way (held captive, guarded: ILO/EC confinement during
    recruitment and transport, dimension 2). A person who tells of one is a survivor of
    violence (referred for care; not coded torture, TR, without a public official's part)
    whether or not the facts add up to trafficking: a person held for ransom on the way is referred for care like one who says so in so many words (cold trial:
    generated ransom victims were not, the worked case was)."""
    return ind.means in HARM_MEANS or (ind.means == "confinement" and ind.dimension == 2)


@cache
def harm_ids() -> tuple[str, ...]:
    """The observations that make a person a survivor of violence (:func:`harms_the_person`)."""
    return tuple(i for i, ind in observations().items() if harms_the_person(ind))


@cache
def sexual_violence_ids() -> tuple[str, ...]:
    """The observations that tell sexual violence done to the person: forced into prostitution,
    or clients' money taken from her (the purpose of sexual exploitation happened). A survivor
    is coded UNHCR SV (sexual and gender-based violence) and referred for SGBV-specialised and
    medical care, whether or not the trafficking elements are all shown."""
    return tuple(i for i, ind in observations().items() if ind.purpose == "sexual exploitation")


def indicator_ids() -> tuple[str, ...]:
    """Every observation id in file order (the columns of :func:`assess_matrix`)."""
    return tuple(observations())


ILO_PREFIX = "obs:"
"""Prefix of the frame columns that hold the trafficking observations (ILO/EC labour indicators
and the Palermo-read observations of sexual exploitation)."""


@cache
def indicator_columns() -> list[str]:
    """Columns of a persons frame that hold the observations of trafficking (one per id)."""
    return [ILO_PREFIX + i for i in indicator_ids()]


def palermo_ids() -> tuple[str, ...]:
    """The observations outside the ILO/EC labour lists (read against Palermo only)."""
    return tuple(k for k, v in observations().items() if not v.ilo)


def dimension_positive(weights: Iterable[str]) -> bool:
    """A dimension is positive with 2 strong, 1 strong + 1 other, 3 medium, or 2 medium + 1 weak."""
    w = list(weights)
    s, m, wk = w.count("S"), w.count("M"), w.count("W")
    return bool(_positive(s, m, wk))


def _positive(s, m, wk):
    # Works on ints and on numpy arrays alike: the one place the dimension rule is written.
    return (s >= 2) | ((s >= 1) & (m + wk >= 1)) | (m >= 3) | ((m >= 2) & (wk >= 1))


def _combine(positive: dict[int, bool] | np.ndarray, child: bool):
    groups = COMBINATION["child" if child else "adult"]
    ok = None
    for _, dims in groups:
        if isinstance(positive, dict):  # one person (an app's view): no numpy to load
            hit = any(positive[d] for d in dims)
        else:
            import numpy as np

            hit = np.any(positive[:, [d - 1 for d in dims]], axis=1)
        ok = hit if ok is None else (ok & hit)
    return ok
