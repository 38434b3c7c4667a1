"""The facilitator dashboard's tables: one builder per section of the page (the exercises, the
room's wrong answers and typical misconceptions, the knowledge-check gains, reflections, each
participant's progress, problems kept from the pages), the download links and a hub session's
join links.

Each builder reads a :class:`mixedflows.facilitator.SessionReport` (or the problem log), works
out the rows, and fills the section's macro in ``widgets/templates/dashboard.html.j2``, where
the HTML is: every piece of participant text (pseudonyms, answers) is escaped there and cut by
``short`` to a length that cannot break the layout. Their look is the ``.mf-dash`` section of
``widgets/templates/styles.css``.
"""

from __future__ import annotations

import base64
from dataclasses import dataclass
from typing import Any
from urllib.parse import quote

from mixedflows import facilitator as fac
from mixedflows.widgets import ui


def no_rows(rep: fac.SessionReport | fac.NoAttemptsReport, table_name: str) -> bool:
    """Whether the report's table has no rows: none without reading it when the session has
    no attempts (a :class:`~mixedflows.facilitator.NoAttemptsReport` makes its tables, with
    pandas, only when read: issue 13 start-up)."""
    return not rep.attempts or getattr(rep, table_name).empty


def _isna(x: Any) -> bool:
    import pandas as pd  # only a table with rows has a value to test (issue 13 start-up)

    return bool(pd.isna(x))


SHORT = 160
"""Longest participant text shown in a table cell (the rest is cut, with an ellipsis)."""


def html() -> Any:
    """The dashboard's macros (``templates/dashboard.html.j2``)."""
    return ui.macros("dashboard.html.j2")


@dataclass(frozen=True)
class Cell:
    """A table cell of participant or generated text, as ``dashboard.html.j2`` shows it."""

    text: str = ""
    """Cut to ``limit`` characters (the whole in the tooltip)."""
    limit: int = SHORT
    code: bool = False
    """Shown as code (a key of the facilitator guide)."""
    after: str = ""
    """Said after the text, never cut."""
    why: str = ""
    """What the rule says, under the text, cut to ``why_limit``."""
    why_limit: int = 400
    bar: int | None = None
    """A bar this many pixels wide after the text (a share of the room)."""
    chips: tuple[tuple[str, str], ...] = ()
    """(label, value) chips that wrap to the cell's width."""


def short(text: Any, limit: int = SHORT) -> str:
    """Participant or generated text for a cell: escaped, cut to ``limit`` characters; the
    (escaped) longer text is kept in the cell's tooltip, itself cut to 1,000 characters."""
    return str(html().short(text, limit))


def pct(x: Any) -> str:
    return "–" if x is None or _isna(x) else f"{float(x):.0%}"


def table(
    headers: list[tuple[str, str]], rows: list[list[Any]], widths: list[str] | None = None
) -> str:
    """An HTML table; ``headers`` are (label, css class), escaped and cut (an exercise id may
    come from anywhere); a cell is text (escaped) or a :class:`Cell`."""
    return str(html().table(headers, rows, widths or ()))


def empty(text: str) -> str:
    return str(html().empty(text))


def overview_html(rep: fac.SessionReport, titles: dict[str, str]) -> str:
    if no_rows(rep, "overview"):
        return empty("No answers yet in this session. They appear here as participants submit.")
    rows = [
        [
            Cell(titles.get(r.exercise_id, r.exercise_id)),
            str(int(r.participants)),
            str(int(r.attempts)),
            pct(r.mean_latest) if r.graded else "not scored",
            pct(r.mean_grade) if r.graded else "–",
            str(int(r.full_marks)) if r.graded else "–",
        ]
        for r in rep.overview.itertuples(index=False)
    ]
    return str(html().overview(rows))


def typical_html(rep: fac.SessionReport) -> str:
    """The typical misconceptions the room's wrong answers show, under the keys of the
    facilitator guide (docs/facilitator_guide.md), with what to say ('' when none)."""
    from mixedflows.facilitator.misconceptions import typical

    found = typical(rep.wrong)
    if found.empty:
        return ""
    rows = [
        [
            Cell(r.key, 60, code=True, after=f" (module {int(r.module)})"),
            Cell(r.belief, 300, why=r.say, why_limit=600),
            str(int(r.participants)),
        ]
        for r in found.itertuples(index=False)
    ]
    return str(html().typical(rows))


def wrong_html(rep: fac.SessionReport, titles: dict[str, str], per_question: int = 3) -> str:
    """The room's misconceptions: per exercise, the questions most got wrong, with the most
    common wrong answers, how many hold each, and the rule to debrief on."""
    if no_rows(rep, "wrong"):
        return empty(fac.wrong_answers_sentence(rep.standing))
    exercises = []
    for ex_id, grp in rep.wrong.groupby("exercise_id", sort=True):
        rows = []
        for q, qg in grp.groupby("question", sort=False):
            for k, r in enumerate(qg.head(per_question).itertuples(index=False)):
                rows.append(
                    [
                        Cell(q) if k == 0 else "",
                        Cell(r.wrong_answer, 240, why=r.why or ""),
                        Cell(
                            f"{int(r.participants)} of {int(r.answered)}",
                            bar=round(60 * r.share),
                        ),
                    ]
                )
        exercises.append((titles.get(ex_id, ex_id), rows))
    s = rep.standing
    besides = (
        f"Besides these, {s.below_full - s.listed} latest scored attempt(s) below full "
        "marks name no single wrong answer (a question left unanswered, or a grade "
        "given to the whole answer): see Participants."
        if s.below_full > s.listed
        else ""
    )
    return str(html().wrong(ui.Markup(typical_html(rep)), exercises, besides))


def gains_html(rep: fac.SessionReport) -> str:
    """The knowledge check at the start and the end: each participant's scores and gain, and
    the room's means over those who took both."""
    from mixedflows.knowledge import room_gain

    if no_rows(rep, "gains"):
        return empty("Nobody has taken the knowledge check yet.")
    table_ = rep.gains
    room = room_gain(table_)

    def pts(x: Any) -> str:
        return "–" if x is None or _isna(x) else f"{float(x) * 100:+.0f} points"

    rows = [
        [
            Cell(r.participant, 40),
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
    return str(html().gains(head, rows))


def reflections_html(rep: fac.SessionReport, titles: dict[str, str]) -> str:
    if no_rows(rep, "reflections"):
        return empty("No reflections recorded.")
    rows = [
        [Cell(titles.get(r.exercise_id, r.exercise_id)), Cell(r.participant, 40), Cell(r.text)]
        for r in rep.reflections.itertuples(index=False)
    ]
    return str(html().reflections(rows))


def progress_html(rep: fac.SessionReport, titles: dict[str, str]) -> str:
    """One row per participant; their grade per exercise as a wrapping list of chips, so
    that any number of exercises fits the width."""
    if no_rows(rep, "progress"):
        return empty("Nobody has answered yet.")
    prog = rep.progress
    fixed = ["participant", "exercises", "attempts", "mean_grade_pct", "last_attempt_at"]
    ex_cols = [c for c in prog.columns if c not in fixed]
    rows = []
    for r in prog.to_dict("records"):
        chips = tuple(
            (titles.get(c, c), "answered" if r[c] == "answered" else f"{r[c]}%")
            for c in ex_cols
            if r[c] != ""
        )
        last = r["last_attempt_at"]
        rows.append(
            [
                Cell(r["participant"], 40),
                str(int(r["exercises"])),
                str(int(r["attempts"])),
                "–" if _isna(r["mean_grade_pct"]) else f"{r['mean_grade_pct']:.0f}%",
                "" if _isna(last) else last.strftime("%H:%M:%S"),
                Cell(chips=chips),
            ]
        )
    return str(html().progress(rows))


def problems_html(items: list[dict]) -> str:
    """What the server kept from participants' pages (mixedflows.problemlog), newest first."""
    if not items:
        return empty("None so far.")
    from mixedflows.store import redact_secrets

    rows = []
    for p in items:
        # (an older line may hold a password: never shown; the template escapes, once)
        detail = redact_secrets(str(p.get("detail", ""))).strip()
        last = detail.splitlines()[-1] if detail else ""
        rows.append(
            (str(p.get("time", ""))[11:19], p.get("where", ""), p.get("kind", ""), last, detail)
        )
    return str(html().problems(rows))


def download_link(text: str, filename: str, mime: str, label: str) -> str:
    """An anchor that saves ``text`` as ``filename`` (a data: URI: no server round trip)."""
    data = base64.b64encode(text.encode("utf-8")).decode("ascii")
    return str(html().download(filename, mime, data, label))


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
    links = [
        (
            f"{base}hub/user-redirect/voila/render/widgets/{app}{q}",
            app.removesuffix(".ipynb").replace("_", " "),
        )
        for app in apps
    ]
    own = f"{prefix}voila/render/widgets/facilitator_dashboard.ipynb{q}"
    return str(html().join(code, links, own))
