"""The rules of :func:`mixedflows.trafficking.assess` for many persons at once
(:func:`assess_matrix`), on matrices of observations (the screening of a whole frame).
"""

from __future__ import annotations

from functools import cache
from typing import TYPE_CHECKING

from mixedflows.trafficking.observations import _positive, observations
from mixedflows.trafficking.rules import (
    CONTROL_KINDS,
    CONTROL_MIN,
    DIMENSIONS,
    ELEMENTS,
    JOB_OFFERS,
    PROMISES,
    WEIGHTS,
    WORK_RECRUITMENT,
    child_receipt,
    coercion_at_work,
    control_kind,
    held_at_work,
    promise_broken,
)

if TYPE_CHECKING:
    import numpy as np


# --- Vectorised path ---------------------------------------------------------------------------


@cache
def _weight_matrices() -> dict[tuple[bool, str], np.ndarray]:
    """For adults and children, one (observations x 6) 0/1 matrix per ILO/EC weight."""
    import numpy as np

    table = list(observations().values())
    out = {}
    for child in (False, True):
        for wt in WEIGHTS:
            m = np.zeros((len(table), len(DIMENSIONS)), dtype=np.int16)
            for k, ind in enumerate(table):
                if ind.ilo and ind.weight(child) == wt:
                    m[k, ind.dimension - 1] = 1
            out[(child, wt)] = m
    return out


@cache
def _element_matrix() -> np.ndarray:
    """(observations x 14) booleans: which Palermo element each observation shows, whether it
    shows the act for a child (:func:`child_receipt`), then the parts of
    :func:`inferred_purpose`: a deceptive recruitment for work, being held at work, a coercion at
    destination; then a promise, and what shows a promise false (:func:`broken_promises`); then
    the parts of :func:`purpose_from_control`: a recruitment for work (:data:`JOB_OFFERS`) and
    one column per kind of control (:data:`CONTROL_KINDS`)."""
    import numpy as np

    table = observations()
    return np.array(
        [
            [bool(v.element(e)) for e in ELEMENTS]
            + [child_receipt(v), i in WORK_RECRUITMENT, held_at_work(v), coercion_at_work(v)]
            + [i in PROMISES, promise_broken(v)]
            + [i in JOB_OFFERS]
            + [control_kind(v) == k for k in CONTROL_KINDS]
            for i, v in table.items()
        ],
        dtype=bool,
    )


def assess_matrix(observed: np.ndarray, child: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """The same rules as :func:`assess` for many persons at once.

    ``observed`` is a boolean (persons x observations) matrix in the order of
    :func:`indicator_ids`; ``child`` a boolean vector. Returns (ILO/EC positive dimensions as a
    (persons x 6) boolean matrix, indications warranting referral as a boolean vector).
    """
    import numpy as np

    obs = np.asarray(observed, dtype=bool)
    child = np.asarray(child, dtype=bool)
    n = obs.shape[0]
    positive = np.zeros((n, len(DIMENSIONS)), dtype=bool)
    referral = np.zeros(n, dtype=bool)
    rows = np.flatnonzero(obs.any(axis=1))  # most people have no observation at all
    if rows.size == 0:
        return positive, referral
    # People tell a few stories, so few distinct (observations, child) patterns occur: the rules
    # are applied once per pattern and the results given back to every row that has it
    # (cProfile: the products over every row were most of screen_frame).
    used = np.flatnonzero(obs[rows].any(axis=0))
    bits = np.concatenate([obs[np.ix_(rows, used)], child[rows, None]], axis=1)
    key = np.packbits(bits, axis=1)
    key = np.ascontiguousarray(key).view(np.dtype((np.void, key.shape[1]))).ravel()
    _, first, back = np.unique(key, return_index=True, return_inverse=True)
    x = np.zeros((first.size, obs.shape[1]), dtype=np.int16)
    x[:, used] = bits[first, :-1]
    kid = bits[first, -1]
    # Integer products, not BLAS: small and exact, and no thread pool to contend for.
    wm = _weight_matrices()
    counts = {wt: np.where(kid[:, None], x @ wm[(True, wt)], x @ wm[(False, wt)]) for wt in WEIGHTS}
    pos = _positive(counts["S"], counts["M"], counts["W"])
    counted = x @ _element_matrix().astype(np.int16)
    shown = counted > 0
    act, means = shown[:, 0] | (kid & shown[:, 3]), shown[:, 1] | (shown[:, 7] & shown[:, 8])
    held = shown[:, 5] & (shown[:, 4] | (counted[:, 6] >= 2))
    controlled = shown[:, 9] & (shown[:, 10 : 10 + len(CONTROL_KINDS)].sum(axis=1) >= CONTROL_MIN)
    purpose = shown[:, 2] | held | controlled
    ref = act & purpose & (means | kid)
    back = back.ravel()
    positive[rows] = pos[back]
    referral[rows] = ref[back]
    return positive, referral
