"""The screening engine's vectorised parts as they were before they were made faster (issue 10
cold trial, defect 7): kept verbatim so that a test can compare results before and after on many
seeds, and so that benchmarks/screening.py can time both in the same run."""

from __future__ import annotations

import numpy as np

from mixedflows import trafficking


def assess_matrix_reference(
    observed: np.ndarray, child: np.ndarray
) -> tuple[np.ndarray, np.ndarray]:
    """The same rules as :func:`assess` for many persons at once.

    ``observed`` is a boolean (persons x observations) matrix in the order of
    :func:`indicator_ids`; ``child`` a boolean vector. Returns (ILO/EC positive dimensions as a
    (persons x 6) boolean matrix, indications warranting referral as a boolean vector).
    """
    obs = np.asarray(observed, dtype=bool)
    child = np.asarray(child, dtype=bool)
    n = obs.shape[0]
    positive = np.zeros((n, len(trafficking.DIMENSIONS)), dtype=bool)
    referral = np.zeros(n, dtype=bool)
    rows = np.flatnonzero(obs.any(axis=1))  # most people have no observation at all
    if rows.size == 0:
        return positive, referral
    # Integer products, not BLAS: small and exact, and no thread pool to contend for.
    x = obs[rows].astype(np.int16)
    kid = child[rows]
    wm = trafficking._weight_matrices()
    counts = {
        wt: np.where(kid[:, None], x @ wm[(True, wt)], x @ wm[(False, wt)])
        for wt in trafficking.WEIGHTS
    }
    positive[rows] = trafficking._positive(counts["S"], counts["M"], counts["W"])
    counted = x @ trafficking._element_matrix().astype(np.int16)
    shown = counted > 0
    # A child's exploitation shows the act of receipt too (column 3; issue 10 cold trial).
    act, means = shown[:, 0] | (kid & shown[:, 3]), shown[:, 1]
    # The purpose, told (column 2) or inferred: held at work (5) after a deceptive recruitment
    # for work (4) or with a second coercion at destination (6) (cold trial of issue 10: the
    # rule changed, the speed-up did not).
    purpose = shown[:, 2] | (shown[:, 5] & (shown[:, 4] | (counted[:, 6] >= 2)))
    # Or inferred from control after a recruitment for work abroad (9: a job offer; 10-13: the
    # kinds of control, two needed) (the trainer's trial of issue 10: the rule changed again,
    # the speed-up did not).
    kinds = shown[:, 10 : 10 + len(trafficking.CONTROL_KINDS)].sum(axis=1)
    purpose |= shown[:, 9] & (kinds >= trafficking.CONTROL_MIN)
    referral[rows] = act & purpose & (means | kid)
    return positive, referral


def person_ids_reference(prefix: str, n: int) -> np.ndarray:
    """Person ids as ``_draw`` made them before: one formatted string per person."""
    return np.array([f"{prefix}{i:03d}" for i in range(n)], dtype=object)
