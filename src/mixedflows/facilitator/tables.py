"""The facilitator's tables: one row per attempt, per participant and exercise, per exercise;
score distributions and each participant's progress. Pure functions of the attempts."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable

import pandas as pd

from mixedflows.facilitator.common import ExerciseLoader, default_loader
from mixedflows.gradebook import exercise_grade, graded_of
from mixedflows.store import Attempt

FULL_MARKS = 0.999
"""A score at or above this counts as fully right (as ``results.Feedback.correct`` does)."""
BINS = tuple(range(0, 100, 10))
"""Lower edges (percent) of the score-distribution bins; the last bin holds 90-100 %."""


def parts_by_exercise(
    exercise_ids: Iterable[str], load_exercise: ExerciseLoader = default_loader
) -> dict[str, frozenset[str]]:
    """The parts each exercise is answered in (empty: whole; see mixedflows.gradebook)."""
    from mixedflows.gradebook import part_ids

    out = {}
    for ex_id in exercise_ids:
        try:
            out[ex_id] = part_ids(load_exercise(ex_id))
        except Exception:  # an exercise file gone or broken, or a reflection: answered whole
            out[ex_id] = frozenset()
    return out


def attempts_frame(attempts: Iterable[Attempt]) -> pd.DataFrame:
    """One row per attempt: id, participant, session, exercise_id, score (NaN when ungraded),
    graded, created_at (UTC timestamp), in the order they were made."""
    rows = [
        {
            "id": a.id,
            "participant": a.learner,
            "session": a.session,
            "exercise_id": a.exercise_id,
            "score": float("nan") if a.score is None else float(a.score),
            "graded": a.score is not None,
            "created_at": a.created_at,
        }
        for a in attempts
    ]
    df = pd.DataFrame(
        rows,
        columns=[
            "id",
            "participant",
            "session",
            "exercise_id",
            "score",
            "graded",
            "created_at",
        ],
    )
    df["created_at"] = pd.to_datetime(df["created_at"], utc=True, errors="coerce", format="ISO8601")
    df["score"] = df["score"].astype(float)
    df["graded"] = df["graded"].astype(bool)
    return df.sort_values("id", kind="stable").reset_index(drop=True)


def participant_exercise(
    attempts: Iterable[Attempt], load_exercise: ExerciseLoader = default_loader
) -> pd.DataFrame:
    """One row per participant and exercise: attempts, graded (any scored attempt), best and
    latest score (NaN when never scored), the grade (:mod:`mixedflows.gradebook`: what the app
    showed and the export writes; NaN when never scored), first and last attempt time.

    Sorted by participant, then exercise. The base of the progress table and the CSV export.
    """
    attempts = list(attempts)
    df = attempts_frame(attempts)
    cols = [
        "participant",
        "exercise_id",
        "attempts",
        "graded",
        "best_score",
        "latest_score",
        "grade",
        "first_attempt_at",
        "last_attempt_at",
    ]
    if df.empty:
        return pd.DataFrame(columns=cols)
    parts = parts_by_exercise(sorted(set(df["exercise_id"])), load_exercise)
    graded: dict[tuple[str, str], list] = {}
    for a in attempts:
        graded.setdefault((a.learner, a.exercise_id), []).append(graded_of(a))
    grades = {k: exercise_grade(v, parts[k[1]]).score for k, v in graded.items()}
    g = df.groupby(["participant", "exercise_id"], sort=True)
    scored = df[df["graded"]].groupby(["participant", "exercise_id"])
    out = pd.DataFrame(
        {
            "attempts": g.size(),
            "graded": g["graded"].any(),
            "best_score": scored["score"].max(),
            "latest_score": scored["score"].last(),
            "first_attempt_at": g["created_at"].min(),
            "last_attempt_at": g["created_at"].max(),
        }
    ).reset_index()
    out["grade"] = [
        float("nan") if grades.get(k) is None else grades[k]
        for k in zip(out["participant"], out["exercise_id"], strict=True)
    ]
    return out[cols].sort_values(["participant", "exercise_id"]).reset_index(drop=True)


def exercise_overview(
    attempts: Iterable[Attempt], load_exercise: ExerciseLoader = default_loader
) -> pd.DataFrame:
    """One row per exercise: participants who answered, attempts, whether it is graded, the mean
    of participants' latest scores and of their grades, and how many reached full marks.

    Reflections (never scored) have NaN means and ``full_marks`` 0.
    """
    pe = participant_exercise(attempts, load_exercise)
    cols = [
        "exercise_id",
        "participants",
        "attempts",
        "graded",
        "mean_latest",
        "mean_grade",
        "full_marks",
    ]
    if pe.empty:
        return pd.DataFrame(columns=cols)
    g = pe.groupby("exercise_id", sort=True)
    out = pd.DataFrame(
        {
            "participants": g.size(),
            "attempts": g["attempts"].sum(),
            "graded": g["graded"].any(),
            "mean_latest": g["latest_score"].mean(),
            "mean_grade": g["grade"].mean(),
            "full_marks": g["grade"].apply(lambda s: int((s >= FULL_MARKS).sum())),
        }
    ).reset_index()
    return out[cols]


def bin_label(lo: int) -> str:
    """The label of the score bin starting at ``lo`` percent ("40–49%", "90–100%")."""
    return "90–100%" if lo == BINS[-1] else f"{lo}–{lo + 9}%"


def score_distribution(
    attempts: Iterable[Attempt], load_exercise: ExerciseLoader = default_loader
) -> pd.DataFrame:
    """How participants' scores spread, per graded exercise: long format with columns
    exercise_id, measure ("latest" score or "grade"), bin (lower edge in percent), bin_label,
    participants. Every bin is present (zero when empty), so charts keep a full axis."""
    pe = participant_exercise(attempts, load_exercise)
    pe = pe[pe["graded"]] if not pe.empty else pe
    rows = []
    for ex_id, grp in pe.groupby("exercise_id", sort=True) if not pe.empty else []:
        for measure, col in (("latest", "latest_score"), ("grade", "grade")):
            pct = (grp[col].dropna() * 100).clip(0, 100)
            lows = (pct // 10 * 10).clip(upper=BINS[-1]).astype(int)
            counts = Counter(lows.tolist())
            rows += [
                {
                    "exercise_id": ex_id,
                    "measure": measure,
                    "bin": lo,
                    "bin_label": bin_label(lo),
                    "participants": counts.get(lo, 0),
                }
                for lo in BINS
            ]
    return pd.DataFrame(
        rows, columns=["exercise_id", "measure", "bin", "bin_label", "participants"]
    )


def participant_progress(
    attempts: Iterable[Attempt], load_exercise: ExerciseLoader = default_loader
) -> pd.DataFrame:
    """One row per participant: exercises answered, attempts, mean grade over graded
    exercises, last activity, and one column per exercise (its id) holding the grade in
    percent, "answered" for a reflection, or "" when not yet answered."""
    pe = participant_exercise(attempts, load_exercise)
    base = ["participant", "exercises", "attempts", "mean_grade_pct", "last_attempt_at"]
    if pe.empty:
        return pd.DataFrame(columns=base)
    g = pe.groupby("participant", sort=True)
    out = pd.DataFrame(
        {
            "exercises": g.size(),
            "attempts": g["attempts"].sum(),
            "mean_grade_pct": (g["grade"].mean() * 100).round(0),
            "last_attempt_at": g["last_attempt_at"].max(),
        }
    )
    cells = pe.assign(
        cell=[
            f"{round(b * 100):.0f}" if graded and pd.notna(b) else "answered"
            for b, graded in zip(pe["grade"], pe["graded"], strict=True)
        ]
    ).pivot(index="participant", columns="exercise_id", values="cell")
    out = out.join(cells.fillna("")).reset_index()
    out.columns.name = None
    return out
