"""The grade export: a CSV for a learning-management system's grade import, one row per
participant and exercise, with the grade of :mod:`mixedflows.gradebook` (the one the app
showed the learner)."""

from __future__ import annotations

import csv
import io
from collections import defaultdict
from collections.abc import Iterable
from typing import Any

import pandas as pd

from mixedflows.facilitator.tables import ExerciseLoader, default_loader, participant_exercise
from mixedflows.store import Attempt

LMS_COLUMNS = [
    "participant",
    "session",
    "exercise_id",
    "grade_pct",
    "latest_score_pct",
    "attempts",
    "first_attempt_at",
    "last_attempt_at",
]


def lms_rows(
    attempts: Iterable[Attempt], load_exercise: ExerciseLoader = default_loader
) -> pd.DataFrame:
    """One row per participant and exercise, for a learning-management system's grade import.

    ``grade_pct`` is the grade (a whole percentage, as the app showed it; empty for a
    reflection, which is not scored); ``latest_score_pct`` and ``attempts`` give context;
    times are ISO 8601 in UTC. ``session`` is the session code (several when a participant's
    attempts span sessions).
    """
    attempts = list(attempts)
    pe = participant_exercise(attempts, load_exercise)
    if pe.empty:
        return pd.DataFrame(columns=LMS_COLUMNS)
    sessions: dict[tuple[str, str], set[str]] = defaultdict(set)
    for a in attempts:
        sessions[(a.learner, a.exercise_id)].add(a.session)

    def pct(x: float) -> Any:
        return "" if pd.isna(x) else round(float(x) * 100)

    def iso(t: Any) -> str:
        return "" if pd.isna(t) else t.strftime("%Y-%m-%dT%H:%M:%SZ")

    rows = [
        {
            "participant": r.participant,
            "session": " ".join(sorted(sessions[(r.participant, r.exercise_id)])),
            "exercise_id": r.exercise_id,
            "grade_pct": pct(r.grade),
            "latest_score_pct": pct(r.latest_score),
            "attempts": int(r.attempts),
            "first_attempt_at": iso(r.first_attempt_at),
            "last_attempt_at": iso(r.last_attempt_at),
        }
        for r in pe.itertuples(index=False)
    ]
    return pd.DataFrame(rows, columns=LMS_COLUMNS)


_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def _spreadsheet_safe(value: Any) -> Any:
    # OWASP "CSV injection": a cell a spreadsheet would read as a formula is prefixed with '.
    if isinstance(value, str) and value.startswith(_FORMULA_START):
        return "'" + value
    return value


def lms_csv(attempts: Iterable[Attempt], load_exercise: ExerciseLoader = default_loader) -> str:
    """The grade export as CSV text (UTF-8, comma-separated, a header row, ``\\r\\n`` lines).

    A text cell that starts with ``= + - @`` or a tab would run as a formula when the file is
    opened in a spreadsheet; such cells are prefixed with a single quote (OWASP's advice).
    """
    df = lms_rows(attempts, load_exercise)
    buf = io.StringIO()
    writer = csv.writer(buf, lineterminator="\r\n")
    writer.writerow(LMS_COLUMNS)
    for row in df.itertuples(index=False):
        writer.writerow([_spreadsheet_safe(v) for v in row])
    return buf.getvalue()
