"""A short Markdown summary per participant: per exercise, the grade (as the app showed it),
the latest score and the attempts, and a few points to revisit from their latest attempt."""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import Any

import pandas as pd

from mixedflows.facilitator.misconceptions import participant_wrong_answers
from mixedflows.facilitator.tables import ExerciseLoader, default_loader, participant_exercise
from mixedflows.store import Attempt

# Only what would change how the line renders is escaped, so that names and answers read as
# typed ("Yonas D.", "counselling (24-hour)"), while "<script>" or "**x**" stay inert text.
_MD_INLINE = re.compile(r"([\\`*_\[\]<>|])")


def _md(text: Any) -> str:
    """Participant text made inert in Markdown, on one line."""
    one = " ".join(str(text).split())
    return _MD_INLINE.sub(r"\\\1", one)


def participant_summary(
    attempts: Sequence[Attempt],
    participant: str,
    titles: dict[str, str] | None = None,
    wrong: pd.DataFrame | None = None,
    revisit: int = 3,
    load_exercise: ExerciseLoader = default_loader,
) -> str:
    """A short Markdown summary of one participant: per exercise, their grade, latest score
    and attempts (or "answered" for a reflection), and up to ``revisit`` points to revisit
    from their latest attempt. Participant text is made inert for Markdown. ``wrong`` is this
    participant's :func:`participant_wrong_answers` when already computed."""
    titles = titles or {}
    mine = [a for a in attempts if a.learner == participant]
    pe = participant_exercise(mine, load_exercise)
    lines = [f"## {_md(participant)}", ""]
    if pe.empty:
        return "\n".join([*lines, "No answers yet.", ""])
    last = pe["last_attempt_at"].max()
    graded = pe[pe["graded"]]
    mean = graded["grade"].mean() if not graded.empty else float("nan")
    head = f"{len(pe)} exercise(s), {int(pe['attempts'].sum())} attempt(s)"
    if pd.notna(mean):
        head += f", mean grade {mean:.0%}"
    if pd.notna(last):
        head += f"; last active {last.strftime('%Y-%m-%d %H:%M')} UTC"
    lines += [head + ".", ""]
    if wrong is None:
        wrong = participant_wrong_answers(mine)
    for r in pe.itertuples(index=False):
        name = _md(titles.get(r.exercise_id, r.exercise_id))
        if r.graded and pd.notna(r.grade):
            lines.append(
                f"- **{name}**: grade {r.grade:.0%}, latest attempt {r.latest_score:.0%} "
                f"({int(r.attempts)} attempt(s))."
            )
            mine_wrong = wrong[wrong["exercise_id"] == r.exercise_id] if not wrong.empty else wrong
            for w in mine_wrong.head(revisit).itertuples(index=False):
                lines.append(f"  - To revisit: {_md(w.question)}: {_md(w.wrong_answer)}")
            if len(mine_wrong) > revisit:
                lines.append(f"  - … and {len(mine_wrong) - revisit} more point(s).")
        else:
            lines.append(f"- **{name}**: answered ({int(r.attempts)} time(s)); not scored.")
    return "\n".join([*lines, ""])


def summaries_markdown(
    attempts: Sequence[Attempt],
    session: str = "",
    titles: dict[str, str] | None = None,
    load_exercise: ExerciseLoader = default_loader,
) -> str:
    """Every participant's summary, one after another, under a title naming the session."""
    attempts = list(attempts)
    people = sorted({a.learner for a in attempts})
    head = f"# Session {_md(session)}" if session else "# All sessions"
    parts = [head, "", f"{len(people)} participant(s). Grades are shares of full credit.", ""]
    wrong = participant_wrong_answers(attempts)
    for p in people:
        mine = [a for a in attempts if a.learner == p]
        parts.append(
            participant_summary(mine, p, titles, wrong[wrong["participant"] == p], 3, load_exercise)
        )
    return "\n".join(parts)
