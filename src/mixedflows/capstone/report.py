"""The season's debrief as a standalone HTML page: the learner's download, and the facilitator's
printable set of every debrief of a session.

Every text on the page goes through :func:`html.escape`: the learner's pseudonym, a team
name, and anything else a room could type are shown as text, never run. The page holds no
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
import html
import logging
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from mixedflows.capstone.season import (
    STAGE_TITLES,
    STAGES,
    Season,
    grade_season,
    outcome_lines,
    play,
)

log = logging.getLogger("mixedflows")

CSS = """
body{font-family:system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;max-width:860px;
 margin:1.5em auto;padding:0 1em;color:#1d2733;line-height:1.45}
h1{font-size:1.5em} h2{font-size:1.2em;border-bottom:1px solid #c9d3dd;padding-bottom:.2em}
.score{font-weight:bold} .cite{color:#4a5866;font-size:.9em} .ok{color:#1a6b35}
.no{color:#9b2c1c} ul{padding-left:1.2em} li{margin-bottom:.35em}
.note{background:#eef3f8;border-left:4px solid #5b7a99;padding:.5em .8em}
@page{size:A4;margin:16mm 15mm}
@media print{
 body{margin:0;max-width:none;font-size:10.5pt;color:#000}
 .note{display:none}
 h1,h2,h3,h4{break-after:avoid;page-break-after:avoid}
 li{break-inside:avoid;page-break-inside:avoid}
 .debrief + .debrief{break-before:page;page-break-before:always}
 .ok,.no,.cite{color:#000}
}
"""

PDF_NOTE = (
    "To keep this debrief as a PDF: open this file in a browser, choose Print, then Save as "
    "PDF. It prints on A4, each stage with its heading; nothing is sent anywhere."
)


def _e(text: object) -> str:
    return html.escape(str(text), quote=True)


def _list(lines: tuple[str, ...] | list[str]) -> str:
    return "<ul>" + "".join(f"<li>{_e(x)}</li>" for x in lines) + "</ul>"


def _page(title: str, body: Iterable[str]) -> str:
    return "\n".join(
        [
            "<!DOCTYPE html>",
            '<html lang="en"><head><meta charset="utf-8">',
            '<meta name="viewport" content="width=device-width, initial-scale=1">',
            f"<title>{_e(title)}</title>",
            f"<style>{CSS}</style></head><body>",
            *body,
            "</body></html>",
        ]
    )


def _debrief(season: Season, learner: str, team: str, when: dt.datetime, level: int = 1) -> str:
    """One season's debrief as a section of a page (``level``: its title's heading level)."""
    g = grade_season(season)
    who = []
    if learner:
        who.append(f"Learner: <b>{_e(learner)}</b>")
    if team:
        who.append(f"Team: <b>{_e(team)}</b>")
    h, sub, sec = f"h{level}", f"h{level + 1}", f"h{level + 2}"
    # The learner's own page is titled by the season; the facilitator's set, by whose it is.
    title = season.spec.title if level == 1 else (learner or team or season.spec.title)
    parts = [
        '<section class="debrief">',
        f"<{h}>Debrief: {_e(title)}</{h}>",
        f"<p>{' · '.join(who)}{' · ' if who else ''}{_e(when.strftime('%Y-%m-%d %H:%M UTC'))}</p>",
        "<p>A training exercise of Mixed Flows Lab on IOM's MC/INF/294 (¶"
        + _e(", ¶".join(str(p) for p in season.spec.seed_paragraphs))
        + "). Every person is synthetic; screening refers, it does not determine status.</p>",
        f'<p class="score">Season score: {g.score:.0%}. {_e(g.summary)}</p>',
    ]
    for n, r in enumerate(season.records, 1):
        parts.append(f"<{sub}>{n}. {_e(STAGE_TITLES[r.stage])}: {r.result.score:.0%}</{sub}>")
        parts.append(f"<{sec}>The situation</{sec}>" + _list(r.situation))
        parts.append(f"<{sec}>Your choices</{sec}>" + _list(r.choice))
        rows = []
        for f in r.result.items:
            cls = "ok" if f.correct else "no"
            rows.append(
                f'<li><span class="{cls}">{_e(f.item)} ({f.credit:.0%})</span>: {_e(f.message)} '
                f'<span class="cite">[{_e(f.citation)}]</span></li>'
            )
        parts.append(f"<{sec}>Why: feedback with its framework</{sec}><ul>{''.join(rows)}</ul>")
        parts.append(f"<{sec}>What followed</{sec}>" + _list(r.consequences))
    parts.append(f"<{sub}>The season's outcome</{sub}>" + _list(outcome_lines(season)))
    parts.append("</section>")
    return "\n".join(parts)


def debrief_html(
    season: Season,
    learner: str = "",
    team: str = "",
    when: dt.datetime | None = None,
) -> str:
    """The debrief: each stage's situation, the learner's choice, the feedback with its
    framework and seed paragraph, and what followed; then the season's outcome. Printable: the
    browser's Save as PDF gives the PDF debrief."""
    when = when or dt.datetime.now(dt.UTC)
    return _page(
        f"Debrief: {season.spec.title}",
        [f'<p class="note">{_e(PDF_NOTE)}</p>', _debrief(season, learner, team, when)],
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
    sections, shown, failed = [], [], []
    contents = []
    for learner in sorted(last, key=str.casefold):
        a = last[learner]
        answers = {k: v for k, v in a.answer.items() if k in STAGES}
        team = str(a.answer.get("team", "") or "")
        try:
            season = play(scenario, answers)
            score = grade_season(season).score
        except Exception:  # an answer an older course took: named, the others still shown
            log.info("season of %s not replayed", learner, exc_info=True)
            failed.append(learner)
            continue
        shown.append(learner)
        contents.append(
            f"<li>{_e(learner)}{f' (team {_e(team)})' if team else ''}: {score:.0%}</li>"
        )
        sections.append(_debrief(season, learner, team, _when(a.created_at), level=2))
    stamp = dt.datetime.now(dt.UTC)
    head = [
        f"<h1>Debriefs of the season: session {_e(session or '(none)')}</h1>",
        f"<p>{len(shown)} season(s), each the last one submitted, replayed through the course's "
        f"engines on {_e(stamp.strftime('%Y-%m-%d %H:%M UTC'))}. Every person in them is "
        "synthetic.</p>",
        f'<p class="note">{_e(PDF_NOTE.replace("this debrief", "these debriefs"))} Each '
        "debrief starts on a new sheet.</p>",
        "<ul>" + "".join(contents) + "</ul>",
    ]
    if failed:
        head.append(
            "<p>Not replayed (answers from an older version of the course): "
            + _e(", ".join(failed))
            + ".</p>"
        )
    safe = "".join(c if c.isalnum() else "-" for c in (session or "session"))[:40].strip("-")
    return SessionDebriefs(
        _page(f"Debriefs of the season: session {session}", [*head, *sections]),
        f"debriefs-{safe or 'session'}-{stamp.strftime('%Y%m%d-%H%M')}.html",
        tuple(shown),
        tuple(failed),
    )
