"""The season's debrief as a standalone HTML page the learner downloads.

Every text on the page goes through :func:`html.escape`: the learner's pseudonym, a team
name, and anything else a room could type are shown as text, never run. The page holds no
script and loads nothing (inline styles only), so it opens offline and prints.
"""

from __future__ import annotations

import datetime as dt
import html

from mixedflows.capstone.season import STAGE_TITLES, Season, grade_season, outcome_lines

CSS = """
body{font-family:system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;max-width:860px;
 margin:1.5em auto;padding:0 1em;color:#1d2733;line-height:1.45}
h1{font-size:1.5em} h2{font-size:1.2em;border-bottom:1px solid #c9d3dd;padding-bottom:.2em}
.score{font-weight:bold} .cite{color:#4a5866;font-size:.9em} .ok{color:#1a6b35}
.no{color:#9b2c1c} ul{padding-left:1.2em} li{margin-bottom:.35em}
@media print{body{margin:0}}
"""


def _e(text: object) -> str:
    return html.escape(str(text), quote=True)


def _list(lines: tuple[str, ...] | list[str]) -> str:
    return "<ul>" + "".join(f"<li>{_e(x)}</li>" for x in lines) + "</ul>"


def debrief_html(
    season: Season,
    learner: str = "",
    team: str = "",
    when: dt.datetime | None = None,
) -> str:
    """The debrief: each stage's situation, the learner's choice, the feedback with its
    framework and seed paragraph, and what followed; then the season's outcome."""
    g = grade_season(season)
    when = when or dt.datetime.now(dt.UTC)
    who = []
    if learner:
        who.append(f"Learner: <b>{_e(learner)}</b>")
    if team:
        who.append(f"Team: <b>{_e(team)}</b>")
    parts = [
        "<!DOCTYPE html>",
        '<html lang="en"><head><meta charset="utf-8">',
        '<meta name="viewport" content="width=device-width, initial-scale=1">',
        f"<title>Debrief: {_e(season.spec.title)}</title>",
        f"<style>{CSS}</style></head><body>",
        f"<h1>Debrief: {_e(season.spec.title)}</h1>",
        f"<p>{' · '.join(who)}{' · ' if who else ''}{_e(when.strftime('%Y-%m-%d %H:%M UTC'))}</p>",
        "<p>A training exercise of Mixed Flows Lab on IOM's MC/INF/294 (¶"
        + _e(", ¶".join(str(p) for p in season.spec.seed_paragraphs))
        + "). Every person is synthetic; screening refers, it does not determine status.</p>",
        f'<p class="score">Season score: {g.score:.0%}. {_e(g.summary)}</p>',
    ]
    for n, r in enumerate(season.records, 1):
        parts.append(f"<h2>{n}. {_e(STAGE_TITLES[r.stage])}: {r.result.score:.0%}</h2>")
        parts.append("<h3>The situation</h3>" + _list(r.situation))
        parts.append("<h3>Your choices</h3>" + _list(r.choice))
        rows = []
        for f in r.result.items:
            cls = "ok" if f.correct else "no"
            rows.append(
                f'<li><span class="{cls}">{_e(f.item)} ({f.credit:.0%})</span>: {_e(f.message)} '
                f'<span class="cite">[{_e(f.citation)}]</span></li>'
            )
        parts.append("<h3>Why: feedback with its framework</h3><ul>" + "".join(rows) + "</ul>")
        parts.append("<h3>What followed</h3>" + _list(r.consequences))
    parts.append("<h2>The season's outcome</h2>" + _list(outcome_lines(season)))
    parts.append("</body></html>")
    return "\n".join(parts)


def debrief_filename(season: Season, learner: str = "") -> str:
    """A safe file name for the download (letters, digits, dashes only)."""
    base = "".join(c if c.isalnum() else "-" for c in (learner or "learner"))[:40].strip("-")
    return f"debrief-{season.spec.id}-{base or 'learner'}.html"
