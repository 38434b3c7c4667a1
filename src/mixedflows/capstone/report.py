"""The season's debrief as a standalone HTML page: the learner's download, and the facilitator's
printable set of every debrief of a session.

The pages are templates (``mixedflows/templates/debrief*.html.j2``), autoescaped: the learner's
pseudonym, a team name, and anything else a room could type are shown as text, never run. The page holds no
script and loads nothing (inline styles only), so it opens offline and prints: its print
styles (A4, a stage never split from its heading, one debrief per sheet in the facilitator's
set) make the browser's "Save as PDF" the PDF debrief. No PDF library is in the course's
locks, and a PDF written here would need a font for every script a pseudonym may use; the
browser has them.

:func:`session_debriefs` rebuilds each debrief from the attempts the store holds (the answers
of the season replayed through the engines: the page and the grades cannot disagree).
"""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

from mixedflows.capstone.season import (
    STAGE_TITLES,
    STAGES,
    Season,
    grade_season,
    outcome_lines,
    play,
)
from mixedflows.course import COURSE
from mixedflows.results import Feedback, GradeResult
from mixedflows.templating import Markup, macro, render

log = logging.getLogger("mixedflows")

PDF_NOTE = (
    "To keep this debrief as a PDF: open this file in a browser, choose Print, then Save as "
    "PDF. It prints on A4, each stage with its heading; nothing is sent anywhere."
)


MODULE = 11
"""The capstone's module in the course registry (its exercise file's ``module``)."""


def paragraphs() -> str:
    """The capstone's seed paragraphs, as the course registry states them (one range, said in
    one place: the README, the app, the notebook and the facilitator guide say the same)."""
    return next(m.paragraphs for m in COURSE if m.number == MODULE)


def _debrief(
    season: Season,
    learner: str,
    team: str,
    when: dt.datetime,
    level: int = 1,
    grade: GradeResult | None = None,
) -> dict[str, Any]:
    """What one season's debrief shows (``templates/debrief.html.j2``; ``level``: its title's
    heading level; ``grade``: the season's (:func:`grade_season`), when already known, whose
    details hold the season's outcome lines too)."""
    grade = grade or grade_season(season)
    outcome = grade.details.get("outcome")
    return {
        "level": level,
        # The learner's own page is titled by the season; the facilitator's set, by whose it is.
        "title": season.spec.title if level == 1 else (learner or team or season.spec.title),
        "learner": learner,
        "team": team,
        "when": when.strftime("%Y-%m-%d %H:%M UTC"),
        "paragraphs": paragraphs(),
        "grade": grade,
        "stages": [
            _stage(
                level,
                n,
                STAGE_TITLES[r.stage],
                r.result.score,
                tuple(r.situation),
                tuple(r.choice),
                tuple(r.result.items),
                tuple(r.consequences),
            )
            for n, r in enumerate(season.records, 1)
        ],
        "outcome": outcome_lines(season) if outcome is None else tuple(outcome),
    }


@lru_cache(maxsize=32)
def _stage(
    level: int,
    n: int,
    title: str,
    score: float,
    situation: tuple[str, ...],
    choice: tuple[str, ...],
    items: tuple[Feedback, ...],
    consequences: tuple[str, ...],
) -> Markup:
    """Stage ``n`` of a debrief (``debrief.html.j2``'s ``stage``), kept for the same values
    (issue 12 benchmark: a learner who changes a policy lever and submits again re-renders the
    policy stage only; the four stages before it, locked, come back equal). Every value is a
    tuple of text or a frozen Feedback, so equal values give the same page."""
    return Markup(
        macro(
            "debrief.html.j2",
            "stage",
            level,
            n,
            title,
            score,
            situation,
            choice,
            items,
            consequences,
        )
    )


def debrief_html(
    season: Season,
    learner: str = "",
    team: str = "",
    when: dt.datetime | None = None,
    grade: GradeResult | None = None,
) -> str:
    """The debrief: each stage's situation, the learner's choice, the feedback with its
    framework and seed paragraph, and what followed; then the season's outcome. Printable: the
    browser's Save as PDF gives the PDF debrief. ``grade``: the season's
    (:func:`~mixedflows.capstone.season.grade_season`), when the caller has it (the app, just
    after grading), so it is not worked out twice."""
    when = when or dt.datetime.now(dt.UTC)
    return render(
        "debrief_one.html.j2",
        title=f"Debrief: {season.spec.title}",
        note=PDF_NOTE,
        d=_debrief(season, learner, team, when, grade=grade),
    )


def debrief_filename(season: Season, learner: str = "") -> str:
    """A safe file name for the download (letters, digits, dashes only)."""
    base = "".join(c if c.isalnum() else "-" for c in (learner or "learner"))[:40].strip("-")
    return f"debrief-{season.spec.id}-{base or 'learner'}.html"


# --- The facilitator's set: every debrief of a session ----------------------------------------


@dataclass(frozen=True)
class SessionDebriefs:
    """The debriefs of a session's seasons, as one printable page."""

    page: str
    """The HTML page: a contents list, then one debrief per printed sheet."""
    filename: str
    shown: tuple[str, ...]
    """Whose debriefs it holds (the learner or team id the attempts are recorded under)."""
    not_replayed: tuple[str, ...]
    """Whose last season could not be replayed (an answer of an older version of the course)."""


def _when(created_at: str) -> dt.datetime:
    try:
        t = dt.datetime.fromisoformat(str(created_at).replace("Z", "+00:00"))
    except ValueError:
        return dt.datetime.now(dt.UTC)
    return t if t.tzinfo else t.replace(tzinfo=dt.UTC)


def session_debriefs(
    attempts: Sequence[Any],
    session: str,
    exercise_id: str = "m11_season_on_the_route",
    scenario: str | None = None,
) -> SessionDebriefs | None:
    """The debrief of each learner's (or team's) last season in ``attempts`` (``store.Attempt``
    rows of one session), replayed through the engines from the answers stored; None when the
    session has no season. One page, one debrief per printed sheet."""
    if scenario is None:
        from mixedflows.exercises import load_exercise

        scenario = load_exercise(exercise_id).params.scenario
    last: dict[str, Any] = {}
    for a in attempts:
        if a.exercise_id == exercise_id and isinstance(a.answer, dict):
            last[a.learner] = a  # attempts come in the order they were made
    if not last:
        return None
    debriefs: list[dict[str, Any]] = []
    failed = []
    for learner in sorted(last, key=str.casefold):
        a = last[learner]
        answers = {k: v for k, v in a.answer.items() if k in STAGES}
        team = str(a.answer.get("team", "") or "")
        try:
            season = play(scenario, answers)
            grade = grade_season(season)
        except Exception:  # an answer an older course took: named, the others still shown
            log.info("season of %s not replayed", learner, exc_info=True)
            failed.append(learner)
            continue
        debriefs.append(_debrief(season, learner, team, _when(a.created_at), 2, grade))
    stamp = dt.datetime.now(dt.UTC)
    page = render(
        "debrief_set.html.j2",
        title=f"Debriefs of the season: session {session}",
        session=session,
        stamp=stamp.strftime("%Y-%m-%d %H:%M UTC"),
        note=PDF_NOTE.replace("this debrief", "these debriefs"),
        debriefs=debriefs,
        failed=failed,
    )
    safe = "".join(c if c.isalnum() else "-" for c in (session or "session"))[:40].strip("-")
    return SessionDebriefs(
        page,
        f"debriefs-{safe or 'session'}-{stamp.strftime('%Y%m%d-%H%M')}.html",
        tuple(d["learner"] for d in debriefs),
        tuple(failed),
    )
