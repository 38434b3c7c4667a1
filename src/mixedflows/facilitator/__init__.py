"""The facilitator's view of a session: who answered, how well, and the room's misconceptions.

Everything here is a pure function of the attempts a session recorded (``Store.attempts``):
attempts in, DataFrames and text out, nothing shown. The dashboard
(:mod:`mixedflows.widgets.dashboard`) only renders what these functions return.

Conventions, the same in every table:

- a *participant* is the pseudonym an attempt was recorded under;
- a participant's *latest* attempt at an exercise says where they stand now (the room's current
  misconceptions are read from it); their *grade* is :mod:`mixedflows.gradebook`'s, the one the
  app showed them (the best attempt, or each part once for an exercise answered in parts);
- nothing is graded again: the wrong answers are read from the feedback items stored with each
  attempt, as the learner saw them;
- an answer recorded with ``score=None`` (a reflection) is listed, never scored or averaged;
- scores are shares in [0, 1]; columns ending in ``_pct`` are whole percentages.

Participant text (pseudonyms, free-text answers) is returned as typed: whoever shows it must
escape it (the dashboard does, with ``widgets.common.esc``). The CSV export guards against
spreadsheet formula injection (see :func:`lms_csv`).

The parts: :mod:`.tables` (counts, distributions, progress), :mod:`.misconceptions` (the room's
wrong answers and reflections), :mod:`.lms` (the grade CSV), :mod:`.summaries` (Markdown per
participant); this module puts them together for the dashboard and the export.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any

from mixedflows.facilitator.common import (
    NOTHING_SCORED,
    ExerciseLoader,
    Standing,
    default_loader,
    wrong_answers_sentence,
)
from mixedflows.store import Attempt

if TYPE_CHECKING:
    import pandas as pd

# The tables, the misconceptions, the grade CSV and the summaries need pandas (about 0.25 s of
# CPU to import): their names are loaded from their module when first asked for, so that this
# package, and the dashboard's first view of a session without attempts, load no pandas
# (issue 13 start-up).
_LAZY = {
    "LMS_COLUMNS": "lms",
    "lms_csv": "lms",
    "lms_rows": "lms",
    "WHOLE_ANSWER": "misconceptions",
    "WRONG_COLUMNS": "misconceptions",
    "participant_wrong_answers": "misconceptions",
    "reflections": "misconceptions",
    "standing": "misconceptions",
    "wrong_answers": "misconceptions",
    "participant_summary": "summaries",
    "summaries_markdown": "summaries",
    "BINS": "tables",
    "FULL_MARKS": "tables",
    "attempts_frame": "tables",
    "bin_label": "tables",
    "exercise_overview": "tables",
    "participant_exercise": "tables",
    "participant_progress": "tables",
    "score_distribution": "tables",
}


def __getattr__(name: str) -> Any:
    module = _LAZY.get(name)
    if module == "lms":
        from mixedflows.facilitator import lms as found
    elif module == "misconceptions":
        from mixedflows.facilitator import misconceptions as found
    elif module == "summaries":
        from mixedflows.facilitator import summaries as found
    elif module == "tables":
        from mixedflows.facilitator import tables as found
    else:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    value = getattr(found, name)
    globals()[name] = value
    return value


def _empty_frame() -> pd.DataFrame:
    import pandas as pd

    return pd.DataFrame()


__all__ = [
    "BINS",
    "FULL_MARKS",
    "LMS_COLUMNS",
    "NOTHING_SCORED",
    "WHOLE_ANSWER",
    "WRONG_COLUMNS",
    "NoAttemptsReport",
    "SessionExport",
    "SessionReport",
    "Standing",
    "attempts_frame",
    "bin_label",
    "counted",
    "default_loader",
    "exercise_overview",
    "exercise_titles",
    "export_name",
    "lms_csv",
    "lms_rows",
    "participant_exercise",
    "participant_progress",
    "participant_summary",
    "participant_wrong_answers",
    "reflections",
    "score_distribution",
    "session_export",
    "session_report",
    "standing",
    "summaries_markdown",
    "wrong_answers",
    "wrong_answers_sentence",
]


@dataclass(frozen=True)
class SessionReport:
    """All the facilitator's tables for one session, computed together from its attempts."""

    session: str
    attempts: int
    """How many attempts the report was computed from."""
    participants: int
    overview: pd.DataFrame
    """:func:`exercise_overview`."""
    distribution: pd.DataFrame
    """:func:`score_distribution`."""
    wrong: pd.DataFrame
    """:func:`wrong_answers` (top 5 per question)."""
    reflections: pd.DataFrame
    """:func:`reflections`."""
    progress: pd.DataFrame
    """:func:`participant_progress`."""
    standing: Standing = NOTHING_SCORED
    gains: pd.DataFrame = field(default_factory=_empty_frame)
    """:func:`mixedflows.knowledge.gains`: each participant's knowledge check at the start and
    at the end of the course, and the gain."""
    """:func:`standing`: where the latest scored attempts stand (the dashboard's sentence when
    no wrong answer can be listed)."""


def counted(attempts: Iterable[Attempt]) -> list[Attempt]:
    """The attempts a facilitator's grades rest on: every one but those imported from a
    progress file (sealed with no secret, so anyone can write one; issue 16). They never count in
    the dashboard, the grade export, the summaries or the pre/post gains."""
    from mixedflows.certificate import imported

    return [a for a in attempts if not imported(a)]


def session_report(
    attempts: Sequence[Attempt],
    session: str = "",
    top: int = 5,
    load_exercise: ExerciseLoader = default_loader,
) -> SessionReport:
    """The dashboard's tables for ``attempts`` (those of one session; imported ones left out)."""
    from mixedflows.facilitator.misconceptions import reflections, standing, wrong_answers
    from mixedflows.facilitator.tables import (
        exercise_overview,
        participant_progress,
        score_distribution,
    )
    from mixedflows.knowledge import gains as knowledge_gains

    attempts = counted(attempts)
    return SessionReport(
        session=session,
        attempts=len(attempts),
        participants=len({a.learner for a in attempts}),
        overview=exercise_overview(attempts, load_exercise),
        distribution=score_distribution(attempts, load_exercise),
        wrong=wrong_answers(attempts, top=top),
        reflections=reflections(attempts),
        progress=participant_progress(attempts, load_exercise),
        standing=standing(attempts),
        gains=knowledge_gains(attempts),
    )


class NoAttemptsReport:
    """The report of a session without attempts, known without pandas: no attempts, no
    participants, nothing scored (:data:`NOTHING_SCORED`), so every table is empty (the
    dashboard says so without reading them: issue 13 start-up, its first view of a new session
    loads no pandas). A table asked for is :func:`session_report`'s, made then."""

    attempts = 0
    participants = 0
    standing = NOTHING_SCORED

    def __init__(self, session: str = "", load_exercise: ExerciseLoader = default_loader):
        self.session = session
        self._load = load_exercise

    def __getattr__(self, name: str) -> Any:
        if name.startswith("_"):
            raise AttributeError(name)
        value = getattr(session_report([], self.session, load_exercise=self._load), name)
        setattr(self, name, value)
        return value


def exercise_titles(exercise_ids: Iterable[str], load_exercise: ExerciseLoader = default_loader):
    """Titles of exercises by id; an id whose file cannot be loaded keeps its id as title."""
    from mixedflows.knowledge import TITLES

    out: dict[str, str] = {}
    for ex_id in exercise_ids:
        if ex_id in TITLES:  # the knowledge check is not an exercise file
            out[ex_id] = TITLES[ex_id]
            continue
        try:
            out[ex_id] = str(load_exercise(ex_id).title)
        except Exception:
            out[ex_id] = _recorded_without_file(ex_id)
    return out


def _recorded_without_file(ex_id: str) -> str:
    """The title of what is recorded with no exercise file (module 8's reflection), else the
    id itself (a file that cannot be loaded: its id, rather than nothing)."""
    from mixedflows.regularization.grader import REFLECTION_ID, REFLECTION_TITLE

    return REFLECTION_TITLE if ex_id == REFLECTION_ID else ex_id


@dataclass(frozen=True)
class SessionExport:
    """A session's two exports: the grade CSV and the participant summaries (Markdown)."""

    grades_name: str
    grades: str
    summary_name: str
    summary: str
    attempts: int
    stamp: str
    """When they were prepared (UTC, YYYYMMDD-HHMM), also in the file names."""


def export_name(session: str | None, suffix: str, prefix: str = "mixedflows-") -> str:
    """A file name for an export: the session code, kept to letters, digits, - and _."""
    code = re.sub(r"[^A-Za-z0-9_-]+", "-", session or "all-sessions").strip("-") or "session"
    return f"{prefix}{code[:40]}-{suffix}"


def session_export(
    attempts: Sequence[Attempt],
    session: str | None,
    load_exercise: ExerciseLoader = default_loader,
    prefix: str = "mixedflows-",
) -> SessionExport:
    """What the dashboard's downloads and ``mixedflows export`` write, for ``attempts``
    (imported ones left out: :func:`counted`)."""
    from mixedflows.facilitator.lms import lms_csv
    from mixedflows.facilitator.summaries import summaries_markdown

    attempts = counted(attempts)
    titles = exercise_titles({a.exercise_id for a in attempts}, load_exercise)
    stamp = datetime.now(UTC).strftime("%Y%m%d-%H%M")
    return SessionExport(
        export_name(session, f"grades-{stamp}.csv", prefix),
        lms_csv(attempts, load_exercise),
        export_name(session, f"summary-{stamp}.md", prefix),
        summaries_markdown(attempts, session or "", titles, load_exercise),
        len(attempts),
        stamp,
    )
