"""The facilitator dashboard's tables, as HTML: one builder per section of the page (the
exercises, the room's wrong answers and typical misconceptions, the knowledge-check gains,
reflections, each participant's progress, problems kept from the pages), the download links and
a hub session's join links.

Each builder reads a :class:`mixedflows.facilitator.SessionReport` (or the problem log) and
returns HTML; every piece of participant text (pseudonyms, answers) is escaped with ``esc`` and
cut by :func:`short` to a length that cannot break the layout. Their look is the
``.mf-dash`` section of ``widgets/templates/styles.css``.
"""

from __future__ import annotations

import base64
from typing import Any
from urllib.parse import quote

import pandas as pd

from mixedflows import facilitator as fac
from mixedflows.widgets.common import esc

SHORT = 160
"""Longest participant text shown in a table cell (the rest is cut, with an ellipsis)."""


def short(text: Any, limit: int = SHORT) -> str:
    """Participant or generated text for a cell: escaped, cut to ``limit`` characters; the
    (escaped) longer text is kept in the cell's tooltip, itself cut to 1,000 characters."""
    text = str(text)
    if len(text) <= limit:
        return esc(text)
    return f'<span title="{esc(text[:1000])}">{esc(text[:limit])}…</span>'


def pct(x: Any) -> str:
    return "–" if x is None or pd.isna(x) else f"{float(x):.0%}"


def table(headers: list[tuple[str, str]], rows: list[list[str]], widths: list[str] | None = None):
    """An HTML table; ``headers`` are (label, css class), escaped and cut here (an exercise id
    may come from anywhere); cells must already be escaped."""
    cols = "".join(f'<col style="width:{wd}">' for wd in widths) if widths else ""
    head = "".join(f'<th class="{c}">{short(h, 60)}</th>' for h, c in headers)
    labels = [esc(h[:60]) for h, _ in headers]
    body = "".join(
        "<tr>"
        + "".join(
            f'<td class="{headers[i][1]}" data-label="{labels[i]}">{cell}</td>'
            for i, cell in enumerate(r)
        )
        + "</tr>"
        for r in rows
    )
    return (
        f'<table class="mf-t"><colgroup>{cols}</colgroup><tr class="mf-head">{head}</tr>'
        f"{body}</table>"
    )


def empty(text: str) -> str:
    return f'<p class="mf-empty">{esc(text)}</p>'


def overview_html(rep: fac.SessionReport, titles: dict[str, str]) -> str:
    if rep.overview.empty:
        return empty("No answers yet in this session. They appear here as participants submit.")
    rows = [
        [
            short(titles.get(r.exercise_id, r.exercise_id)),
            str(int(r.participants)),
            str(int(r.attempts)),
            pct(r.mean_latest) if r.graded else "not scored",
            pct(r.mean_grade) if r.graded else "–",
            str(int(r.full_marks)) if r.graded else "–",
        ]
        for r in rep.overview.itertuples(index=False)
    ]
    return table(
        [
            ("Exercise", ""),
            ("Answered", "mf-num"),
            ("Attempts", "mf-num"),
            ("Mean, latest", "mf-num"),
            ("Mean grade", "mf-num"),
            ("Full marks", "mf-num"),
        ],
        rows,
        ["40%", "12%", "12%", "12%", "12%", "12%"],
    )


def typical_html(rep: fac.SessionReport) -> str:
    """The typical misconceptions the room's wrong answers show, under the keys of the
    facilitator guide (docs/facilitator_guide.md), with what to say ('' when none)."""
    from mixedflows.facilitator.misconceptions import typical

    found = typical(rep.wrong)
    if found.empty:
        return ""
    rows = [
        [
            f"<code>{short(r.key, 60)}</code> (module {int(r.module)})",
            short(r.belief, 300) + f'<div class="mf-why">{short(r.say, 600)}</div>',
            str(int(r.participants)),
        ]
        for r in found.itertuples(index=False)
    ]
    return "<h4>Typical misconceptions in this room (as in the facilitator guide)</h4>" + table(
        [("Misconception", ""), ("What it looks like · what to say", ""), ("Who", "mf-num")],
        rows,
        ["24%", "62%", "14%"],
    )


def wrong_html(rep: fac.SessionReport, titles: dict[str, str], per_question: int = 3) -> str:
    """The room's misconceptions: per exercise, the questions most got wrong, with the most
    common wrong answers, how many hold each, and the rule to debrief on."""
    if rep.wrong.empty:
        return empty(fac.wrong_answers_sentence(rep.standing))
    parts = []
    for ex_id, grp in rep.wrong.groupby("exercise_id", sort=True):
        rows = []
        for q, qg in grp.groupby("question", sort=False):
            for k, r in enumerate(qg.head(per_question).itertuples(index=False)):
                bar = f'<span class="mf-bar" style="width:{round(60 * r.share)}px"></span>'
                rows.append(
                    [
                        short(q) if k == 0 else "",
                        short(r.wrong_answer, 240)
                        + (f'<div class="mf-why">{short(r.why, 400)}</div>' if r.why else ""),
                        f"{int(r.participants)} of {int(r.answered)} {bar}",
                    ]
                )
        parts.append(
            f"<h4>{short(titles.get(ex_id, ex_id))}</h4>"
            + table(
                [("Question", ""), ("Wrong answer · what the rule says", ""), ("Who", "")],
                rows,
                ["24%", "60%", "16%"],
            )
        )
    parts.insert(0, typical_html(rep))
    s = rep.standing
    if s.below_full > s.listed:
        parts.append(
            '<p class="mf-why">'
            + esc(
                f"Besides these, {s.below_full - s.listed} latest scored attempt(s) below full "
                "marks name no single wrong answer (a question left unanswered, or a grade "
                "given to the whole answer): see Participants."
            )
            + "</p>"
        )
    return "".join(parts)


def gains_html(rep: fac.SessionReport) -> str:
    """The knowledge check at the start and the end: each participant's scores and gain, and
    the room's means over those who took both."""
    from mixedflows.knowledge import room_gain

    table_ = rep.gains
    if table_.empty:
        return empty("Nobody has taken the knowledge check yet.")
    room = room_gain(table_)

    def pts(x: Any) -> str:
        return "–" if x is None or pd.isna(x) else f"{float(x) * 100:+.0f} points"

    rows = [
        [
            short(r.participant, 40),
            pct(r.start),
            pct(r.end),
            pts(r.gain),
            pct(r.normalised_gain),
        ]
        for r in table_.itertuples(index=False)
    ]
    if room.both:
        head = (
            f"The room ({room.both} participant(s) who took both): {pct(room.start)} at the "
            f"start, {pct(room.end)} at the end, a gain of {pts(room.gain)}"
            + (
                f" ({pct(room.normalised_gain)} of what there was to learn)."
                if room.normalised_gain is not None
                else "."
            )
        )
    else:
        head = (
            f"{room.took_start} participant(s) took the check at the start, {room.took_end} at "
            "the end; nobody has taken both yet, so there is no gain to show."
        )
    return f'<p class="mf-gain-room">{esc(head)}</p>' + table(
        [
            ("Participant", ""),
            ("Start", "mf-num"),
            ("End", "mf-num"),
            ("Gain", "mf-num"),
            ("Share of what was left to learn", "mf-num"),
        ],
        rows,
        ["28%", "14%", "14%", "18%", "26%"],
    )


def reflections_html(rep: fac.SessionReport, titles: dict[str, str]) -> str:
    if rep.reflections.empty:
        return empty("No reflections recorded.")
    rows = [
        [short(titles.get(r.exercise_id, r.exercise_id)), short(r.participant, 40), short(r.text)]
        for r in rep.reflections.itertuples(index=False)
    ]
    return table(
        [("Exercise", ""), ("Participant", ""), ("Answer (latest)", "")],
        rows,
        ["22%", "18%", "60%"],
    )


def progress_html(rep: fac.SessionReport, titles: dict[str, str]) -> str:
    """One row per participant; their grade per exercise as a wrapping list of chips, so
    that any number of exercises fits the width."""
    prog = rep.progress
    if prog.empty:
        return empty("Nobody has answered yet.")
    fixed = ["participant", "exercises", "attempts", "mean_grade_pct", "last_attempt_at"]
    ex_cols = [c for c in prog.columns if c not in fixed]
    rows = []
    for r in prog.to_dict("records"):
        chips = []
        for c in ex_cols:
            if r[c] == "":
                continue
            value = "answered" if r[c] == "answered" else f"{r[c]}%"
            chips.append(
                f'<span class="mf-chip">{short(titles.get(c, c), 40)}: <b>{esc(value)}</b></span>'
            )
        last = r["last_attempt_at"]
        rows.append(
            [
                short(r["participant"], 40),
                str(int(r["exercises"])),
                str(int(r["attempts"])),
                "–" if pd.isna(r["mean_grade_pct"]) else f"{r['mean_grade_pct']:.0f}%",
                "" if pd.isna(last) else esc(last.strftime("%H:%M:%S")),
                " ".join(chips),
            ]
        )
    return table(
        [
            ("Participant", ""),
            ("Exercises", "mf-num"),
            ("Attempts", "mf-num"),
            ("Mean grade", "mf-num"),
            ("Last active (UTC)", ""),
            ("Grade per exercise", ""),
        ],
        rows,
        ["18%", "9%", "9%", "9%", "11%", "44%"],
    )


def problems_html(items: list[dict]) -> str:
    """What the server kept from participants' pages (mixedflows.problemlog), newest first."""
    if not items:
        return empty("None so far.")
    from mixedflows.store import redact_secrets

    rows = []
    for p in items:
        # (an older line may hold a password: never shown; short() escapes, once)
        detail = redact_secrets(str(p.get("detail", ""))).strip()
        last = detail.splitlines()[-1] if detail else ""
        rows.append(
            f"<li><b>{esc(str(p.get('time', ''))[11:19])}</b> {esc(p.get('where', ''))} "
            f"({esc(p.get('kind', ''))}): {short(last)}<details><summary>details"
            f"</summary><pre style='white-space:pre-wrap'>{esc(detail)}</pre></details></li>"
        )
    return (
        '<p class="mf-why">Kept from participants\' pages (they read a short sentence); also in '
        f"the server's log. Times in UTC, latest first.</p><ul>{''.join(rows)}</ul>"
    )


def download_link(text: str, filename: str, mime: str, label: str) -> str:
    """An anchor that saves ``text`` as ``filename`` (a data: URI: no server round trip)."""
    data = base64.b64encode(text.encode("utf-8")).decode("ascii")
    return (
        f'<a class="mf-download" download="{esc(filename)}" '
        f'href="data:{mime};charset=utf-8;base64,{data}">{esc(label)}</a>'
    )


def join_links_html(code: str) -> str:
    """A hub session's links: each app on the participant's own server, with the session code
    (``/hub/user-redirect/`` sends each participant to their own server), and this dashboard
    for the session."""
    import os

    from mixedflows.paths import home

    prefix = os.environ.get("JUPYTERHUB_SERVICE_PREFIX", "/services/facilitator-dashboard/")
    base = prefix.split("services/", 1)[0] or "/"
    apps = sorted(
        p.name
        for p in (home() / "widgets").glob("*.ipynb")
        if p.name not in ("facilitator_dashboard.ipynb",)
    )
    q = f"?session={quote(code)}"
    items = "".join(
        f'<li><a class="mf-join-app" target="_blank" href="{esc(base)}hub/user-redirect/voila/'
        f'render/widgets/{esc(app)}{esc(q)}">{esc(app.removesuffix(".ipynb").replace("_", " "))}'
        "</a></li>"
        for app in apps
    )
    own = f"{prefix}voila/render/widgets/facilitator_dashboard.ipynb{q}"
    return (
        f'<p>Session <b class="mf-code">{esc(code)}</b>. Participants sign in to the hub and '
        f"open an app by its link (each on their own server, their answers under this "
        f'session): <ul class="mf-join-list">{items}</ul>This session\'s dashboard, with the '
        f'multi-role panel: <a class="mf-session-link" href="{esc(own)}">{esc(own)}</a></p>'
    )
