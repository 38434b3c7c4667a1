"""The facilitator dashboard: the room's answers, live, while the session runs.

A Voila app (``widgets/facilitator_dashboard.ipynb``), served only to the facilitator (the
server asks for the facilitator token). It reads the attempt store, asks
:mod:`mixedflows.facilitator` for every table, and renders them:

- per exercise, how many answered and the spread of their scores (an altair chart, offline);
- the room's most common wrong answers per question, with the rule to debrief on;
- reflections (listed, not scored) and each participant's progress;
- downloads: the grade CSV for a learning-management system and the per-participant summary.

Live: a task on the kernel's event loop looks at the store every few seconds and redraws only
when the session has new attempts. The reading and computing run in a worker thread, and the
widgets are updated on the kernel's loop, where widget messages are handled. The task ends with
the kernel (its loop stops), or with :meth:`Dashboard.stop`.

Every piece of participant text (pseudonyms, answers) is escaped with ``esc`` and cut to a
length that cannot break the layout; tables wrap long words.
"""

from __future__ import annotations

import asyncio
import atexit
import base64
import contextlib
import logging
import threading
import weakref
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any
from urllib.parse import quote

import altair as alt
import ipywidgets as w
import pandas as pd

from mixedflows import facilitator as fac
from mixedflows.store import Store
from mixedflows.widgets.common import app_entry, esc, message

log = logging.getLogger("mixedflows")

ALL = None
"""The session selector's value for "all sessions"."""
REFRESH_SECONDS = 4.0
"""How often the dashboard looks at the store for new attempts."""
SHORT = 160
"""Longest participant text shown in a table cell (the rest is cut, with an ellipsis)."""

CSS = """
<style>
.mf-dash {max-width: 100%; overflow-x: hidden}
.mf-dash table.mf-t {border-collapse: collapse; width: 100%; table-layout: fixed;
                     margin: 4px 0 12px 0; font-size: 92%}
.mf-dash table.mf-t th, .mf-dash table.mf-t td {border-bottom: 1px solid #dde3ea;
  padding: 3px 6px; text-align: left; vertical-align: top;
  overflow-wrap: anywhere; word-break: break-word; white-space: normal; overflow: hidden}
.mf-dash table.mf-t th {background: #f2f5f8}
.mf-dash .mf-num {text-align: right}
.mf-dash .mf-why {color: #555; font-size: 88%}
.mf-dash .mf-bar {display: inline-block; height: 9px; background: #c0392b; vertical-align: middle;
                  max-width: 100%}  /* on a phone it wraps under the count, never cut */
.mf-dash .mf-empty {color: #666; font-style: italic}
.mf-dash .mf-downloads a {margin-right: 18px}
.mf-dash .mf-chip {display: inline-block; max-width: 100%; margin: 1px 4px 1px 0;
                   padding: 0 6px; border: 1px solid #c9d3dd; border-radius: 9px;
                   background: #f7f9fb; overflow-wrap: anywhere}
.mf-dash h3 {margin: 14px 0 4px 0}
.mf-dash .mf-chart {max-width: 100%; overflow-x: auto}
.mf-dash table.mf-t th {overflow-wrap: normal; word-break: normal; hyphens: auto}
/* On a phone or a tablet held upright a table's columns are too narrow for their headings: each row becomes a card,
   each cell a line that starts with its column's heading (data-label), so no word is broken. */
@media (max-width: 820px) {
  .mf-dash table.mf-t, .mf-dash table.mf-t tbody, .mf-dash table.mf-t tr,
  .mf-dash table.mf-t td {display: block; width: auto}
  .mf-dash table.mf-t tr.mf-head {display: none}
  .mf-dash table.mf-t tr {border-bottom: 1px solid #c9d3dd; padding: 4px 0}
  .mf-dash table.mf-t td {border: 0; padding: 1px 6px; text-align: left}
  .mf-dash table.mf-t td::before {content: attr(data-label) ": "; font-weight: 600;
                                  color: #333}
}
</style>
"""


# --- pieces of HTML ----------------------------------------------------------------------------


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


def distribution_chart(dist: pd.DataFrame, titles: dict[str, str] | None = None) -> alt.Chart:
    """Score distributions: per exercise, participants per 10-point bin, latest score and
    grade side by side. ``dist`` is :func:`mixedflows.facilitator.score_distribution`."""
    titles = titles or {}
    df = dist.assign(exercise=[titles.get(e, e) for e in dist["exercise_id"]])
    order = [fac.bin_label(lo) for lo in fac.BINS]
    return (
        alt.Chart(df)
        .mark_bar()
        .encode(
            x=alt.X("bin_label:N", sort=order, title="Score"),
            xOffset=alt.XOffset("measure:N", sort=["latest", "grade"]),
            y=alt.Y("participants:Q", title="Participants", axis=alt.Axis(tickMinStep=1)),
            color=alt.Color(
                "measure:N",
                sort=["latest", "grade"],
                scale=alt.Scale(range=["#1f5f99", "#9cc3e6"]),
                title="Attempt",
            ),
            tooltip=["exercise:N", "measure:N", "bin_label:N", "participants:Q"],
        )
        .properties(width=520, height=150)
        .facet(row=alt.Row("exercise:N", title=None))
    )


def _empty_chart() -> alt.Chart:
    return alt.Chart(pd.DataFrame({"x": []})).mark_point()


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


STORE_READ_CAUSES: dict[str, str] = {
    # StoreError.cause: what the facilitator reads, and what to do
    "readonly": "it was made read-only (or immutable) while in use. Make the store's folder "
    "and files writable again; meanwhile each participant's page says whether their attempt "
    "was kept or NOT saved",
    "full": "the disk that holds it is full. Make room on that disk; meanwhile each "
    "participant's page says whether their attempt was kept or NOT saved",
    "locked": "another program holds a lock on it longer than a read waits (a backup, or a "
    "database browser left open?). Close that program",
    "disk_error": "the disk that holds it gave a read or write error. Check that disk",
    "damaged": "it is damaged. Run './mfl store recover' (every readable attempt is copied to "
    "a fresh store); meanwhile each participant's page says whether their attempt is kept",
    "unreachable": "it cannot be reached or opened (its database server down, the network, or "
    "its folder gone). Check MIXEDFLOWS_STORE and the database server",
    "config": "it is not set up correctly (MIXEDFLOWS_STORE). './mfl store check' says what "
    "is wrong",
    "closed": "it was closed on the server. Reload this page",
}


def store_read_problem(e: BaseException, *, starting: bool = False) -> str:
    """The dashboard's line when the store cannot be read: its cause named, as a participant's
    "NOT saved" names it, and what to do; the details (the store's location, the database's
    own words) are in the server's log."""
    cause = getattr(e, "cause", "") or ("damaged" if getattr(e, "kind", "") == "damaged" else "")
    why = STORE_READ_CAUSES.get(cause)
    head = (
        "The dashboard cannot read the attempt store"
        if starting
        else ("Could not read the attempt store")
    )
    then = "Reload this page once it is fixed." if starting else "The dashboard retries by itself."
    if why is None:
        return f"{head} just now. {then} (Details in the server's log.)"
    return f"{head}: {why}. {then} (Details in the server's log.)"


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


# --- the app -----------------------------------------------------------------------------------


@dataclass(frozen=True)
class _Fresh:
    """What one look at the store found (computed off the kernel's thread)."""

    key: tuple[str | None, int]
    """The session and its number of attempts: unchanged means nothing to redraw."""
    report: fac.SessionReport | None
    """None when nothing changed."""
    titles: dict[str, str]
    sessions: list[tuple[str, int]]


def default_session(store: Store) -> str | None:
    """The session shown first: ``MIXEDFLOWS_SESSION``, else the page's ``?session=``, else
    the most recently active session in the store (None, all sessions, when it is empty)."""
    from mixedflows.server import session as sess

    code = sess.session_code()
    if code:
        return code
    known = store.sessions()
    return known[0][0] if known else ALL


class Dashboard:
    """The dashboard as a widget: ``Dashboard().widget`` is what the page shows.

    ``refresh()`` redraws now; ``start()`` keeps redrawing while the session runs (every
    ``interval`` seconds, when there are new attempts); ``stop()`` ends that.
    """

    def __init__(
        self,
        store: Store | None = None,
        session: str | None = None,
        *,
        interval: float = REFRESH_SECONDS,
        load_exercise: fac.ExerciseLoader | None = None,
        owner: str | None = None,
    ) -> None:
        from mixedflows.charts.offline import enable_offline_charts

        enable_offline_charts()  # vega from vl-convert, built once and cached: no CDN
        self.store = store if store is not None else Store()
        self.interval = interval
        self._load = load_exercise or fac.default_loader
        self._titles: dict[str, str] = {}
        self._seen: tuple[Any, int] | None = None
        self._lock = threading.Lock()
        self._stop = threading.Event()
        self._task: asyncio.Future | None = None
        self._thread: threading.Thread | None = None
        self.report: fac.SessionReport | None = None
        self.updated_at: datetime | None = None
        self.refreshes = 0
        self.owner = owner
        """On the hub's dashboard service, the facilitator who opened the page (issue 16): the
        dashboard shows, and exports, the sessions they opened and no other. None elsewhere."""
        from mixedflows.server import session as sess

        code = session if session is not None else sess.session_code()
        if owner is not None:
            owned = [c for c, _n in self._known()]
            self.refused = code if code and code not in owned else ""
            self.only_session = False
            self._build(code if code in owned else (owned[0] if owned else ALL))
            return
        # A dashboard opened for a session (the facilitator's link names it) shows that
        # session only; without one (a lab on one's own computer), any session of the store.
        self.only_session = bool(code)
        self._build(code if code else default_session(self.store))

    def _known(self) -> list[tuple[str, int]]:
        """The sessions the selector offers: the owner's on a hub, else every one in the store."""
        if self.owner is not None:
            return self.store.owned_sessions(self.owner)
        return self.store.sessions()

    def _allowed(self, session: str | None) -> bool:
        """Whether this dashboard may show ``session`` (on a hub: one the owner opened; never
        "all sessions")."""
        if self.owner is None:
            return True
        return session is not None and self.store.session_owner(session) == self.owner

    # -- layout --------------------------------------------------------------------------------
    def _build(self, session: str | None) -> None:
        def h(text: str) -> w.HTML:
            return w.HTML(f"<h3>{esc(text)}</h3>")

        self.status = w.HTML()
        self.status.add_class("mf-status")
        # (the notebook's own heading titles the page)
        self.head = w.HTML(
            '<p class="mf-why">Pseudonyms and answers are shown as participants typed them, '
            "as plain text.</p>"
        )
        self.selector = w.Dropdown(description="Session", layout=w.Layout(width="420px"))
        self.selector.add_class("mf-session")
        if self.only_session:
            self.selector.layout.display = "none"
            self.head.value = (
                f'<p class="mf-why">Session <b>{esc(session)}</b>. Pseudonyms and answers are '
                "shown as participants typed them, as plain text.</p>"
            )
        self._set_session_options(session)
        self.selector.observe(self._on_session, "value")
        self.hub_box = self._hub_panel()
        self.live = w.Checkbox(value=True, description="Live", indent=False)
        self.live.add_class("mf-live")
        self.refresh_button = w.Button(
            description="Refresh now",
            icon="refresh",
            layout=w.Layout(width="auto", flex="0 0 auto"),
        )
        self.refresh_button.add_class("mf-refresh")
        self.refresh_button.on_click(self._guarded(lambda _b: self.refresh(force=True)))
        self.stamp = w.HTML()
        self.stamp.add_class("mf-stamp")
        self.overview = w.HTML()
        self.overview.add_class("mf-overview")
        # No vega-embed action menu: its links lead off the machine (the online editor).
        self.chart = alt.JupyterChart(_empty_chart(), embed_options={"actions": False})
        self.chart.add_class("mf-chart")
        self.chart.add_class("mf-scroll")  # wider than a phone: scrolls, by keyboard too
        self.chart_box = w.Box([self.chart], layout=w.Layout(display="none"))
        self.wrong = w.HTML()
        self.wrong.add_class("mf-wrong")
        self.reflections = w.HTML()
        self.reflections.add_class("mf-reflections")
        self.gains = w.HTML()
        self.gains.add_class("mf-gains")
        self.progress = w.HTML()
        self.progress.add_class("mf-progress")
        self.export_button = w.Button(
            description="Prepare downloads",
            icon="download",
            # the default 148 px cut the label off; never shrunk below it on a phone
            layout=w.Layout(width="auto", flex="0 0 auto"),
        )
        self.export_button.add_class("mf-export")
        self.export_button.on_click(self._guarded(lambda _b: self.export()))
        self.downloads = w.HTML()
        self.downloads.add_class("mf-downloads")
        # On the hub only the dashboard service may sign certificates (the learners' store
        # role cannot read the secret, issue 15/16): the facilitator issues them here.
        self.cert_button = w.Button(
            description="Prepare certificates",
            icon="certificate",
            layout=w.Layout(width="auto", flex="0 0 auto"),
        )
        self.cert_button.add_class("mf-certificates-button")
        self.cert_button.on_click(self._guarded(lambda _b: self.certificates()))
        self.cert_links = w.HTML()
        self.cert_links.add_class("mf-certificates")
        self.cert_box = w.VBox(
            [h("Certificates"), w.HBox([self.cert_button]), self.cert_links],
            layout=w.Layout(display=None if self.owner is not None else "none"),
        )
        self.problems = w.HTML()
        self.problems.add_class("mf-problems")

        self.widget = w.VBox(
            [
                w.HTML(CSS),
                self.head,
                self.hub_box,
                w.HBox(
                    [self.selector, self.live, self.refresh_button],
                    layout=w.Layout(flex_flow="row wrap"),  # wraps on a phone, nothing cut
                ),
                self.stamp,
                self.status,
                h("Exercises"),
                self.overview,
                self.chart_box,
                h("Common wrong answers (each participant's latest attempt)"),
                self.wrong,
                h("Knowledge check: start and end of the course"),
                self.gains,
                h("Reflections"),
                self.reflections,
                h("Participants"),
                self.progress,
                h("Export"),
                w.HBox([self.export_button]),
                self.downloads,
                self.cert_box,
                h("Problems on the server"),
                self.problems,
            ],
            layout=w.Layout(max_width="1100px", width="100%"),
        )
        self.widget.add_class("mf-dash")

    # -- on a hub: the facilitator's own sessions -----------------------------------------------
    def _hub_panel(self) -> w.Widget:
        """On the hub's dashboard service: who is looking, a button that opens a new session
        of theirs, and the join links of the session shown. Empty elsewhere."""
        self.new_button = w.Button(
            description="Open a new session",
            icon="plus",
            layout=w.Layout(width="auto", flex="0 0 auto"),
        )
        self.new_button.add_class("mf-new-session")
        self.new_button.on_click(self._guarded(lambda _b: self.new_session()))
        self.join = w.HTML()
        self.join.add_class("mf-join")
        if self.owner is None:
            return w.VBox(layout=w.Layout(display="none"))
        note = (
            f'<p class="mf-why">Signed in to the hub as <b class="mf-owner">{esc(self.owner)}'
            "</b>. You see the sessions you opened here, and no one else's.</p>"
        )
        if self.refused:
            note += message(
                "bad",
                f"The session {self.refused} is not one you opened on this hub: it is not shown.",
            )
        self._show_join()
        return w.VBox([w.HTML(note), w.HBox([self.new_button]), self.join])

    def new_session(self) -> str:
        """Open a session owned by this dashboard's facilitator and show it; its code."""
        if self.owner is None:
            raise PermissionError("sessions are opened from the hub's dashboard service only")
        code = self.store.create_session(self.owner)
        self._set_session_options(code)
        self.refresh(force=True)
        self._show_join()
        return code

    def _show_join(self) -> None:
        code = self.session
        if self.owner is None or not code or not self._allowed(code):
            self.join.value = (
                ""
                if self.owner is None
                else '<p class="mf-why">No session yet: open one, then give its links to the '
                "participants.</p>"
            )
            return
        self.join.value = join_links_html(code)

    def _set_session_options(
        self, keep: str | None, known: list[tuple[str, int]] | None = None
    ) -> None:
        known = self._known() if known is None else known
        if self.owner is not None and keep not in {c for c, _n in known}:
            keep = known[0][0] if known else ALL  # only the owner's sessions are offered
        if self.only_session:  # this facilitator's session, never another one's
            known = [(c, n) for c, n in known if c == keep]
        options = [(f"{code or '(no session code)'} · {n} attempt(s)", code) for code, n in known]
        if keep is not ALL and keep not in {c for c, _n in known} and self.owner is None:
            options.insert(0, (f"{keep} · no attempts yet", keep))
        if not self.only_session and self.owner is None:
            options.append(("All sessions", ALL))
        if [v for _l, v in options] == [v for _l, v in self.selector.options] and [
            lbl for lbl, _v in options
        ] == [lbl for lbl, _v in self.selector.options]:
            return
        self._setting = True
        try:
            self.selector.options = options
            self.selector.value = keep
        finally:
            self._setting = False

    @property
    def session(self) -> str | None:
        return self.selector.value

    # -- computing (any thread) ----------------------------------------------------------------
    def _compute(self, force: bool) -> _Fresh:
        """Read the store and compute the report, unless nothing changed since last time."""
        session = self.session
        known = self._known()
        allowed = self._allowed(session)
        key = (session, self.store.count(session=session) if allowed else 0)
        if not force and key == self._seen:
            return _Fresh(key, None, self._titles, known)
        attempts = self.store.attempts(session=session) if allowed else []
        rep = fac.session_report(attempts, session or "", load_exercise=self._load)
        new_ids = set(rep.overview["exercise_id"]) - set(self._titles)
        titles = {**self._titles, **fac.exercise_titles(new_ids, self._load)}
        return _Fresh(key, rep, titles, known)

    # -- rendering (the kernel's thread) -------------------------------------------------------
    def _render(self, key: Any, rep: fac.SessionReport, titles: dict[str, str]) -> None:
        self._seen, self.report, self._titles = key, rep, titles
        self.overview.value = overview_html(rep, titles)
        if rep.distribution.empty:
            self.chart_box.layout.display = "none"
        else:
            self.chart.chart = distribution_chart(rep.distribution, titles)
            self.chart_box.layout.display = "flex"
        self.wrong.value = wrong_html(rep, titles)
        self.reflections.value = reflections_html(rep, titles)
        self.gains.value = gains_html(rep)
        self.progress.value = progress_html(rep, titles)
        self.refreshes += 1

    def _show_problems(self) -> None:
        from mixedflows import problemlog

        value = problems_html(problemlog.recent(20))
        if value != self.problems.value:
            self.problems.value = value

    def _stamp(self) -> None:
        self.updated_at = datetime.now(UTC)
        rep = self.report
        counts = f" · {rep.participants} participant(s), {rep.attempts} attempt(s)" if rep else ""
        live = " · live" if self.live.value and self.running else ""
        self.stamp.value = (
            f'<span class="mf-why">Updated {self.updated_at:%H:%M:%S} UTC{esc(counts)}'
            f"{esc(live)}</span>"
        )

    def refresh(self, force: bool = False) -> bool:
        """Read the store now and redraw if the session has new attempts (or ``force``).
        Returns whether anything was redrawn."""
        with self._lock:
            fresh = self._compute(force)
            self._set_session_options(self.session, fresh.sessions)
            if fresh.report is not None:
                self._render(fresh.key, fresh.report, fresh.titles)
            self._show_problems()
            self._stamp()
            return fresh.report is not None

    def _on_session(self, change: dict) -> None:
        if getattr(self, "_setting", False):
            return
        self._guarded(lambda: self.refresh(force=True))()
        self.downloads.value = ""
        self.cert_links.value = ""
        self._show_join()

    def export(self) -> None:
        """Put the download links (grade CSV, participant summaries) under the button."""
        session = self.session
        attempts = self.store.attempts(session=session) if self._allowed(session) else []
        out = fac.session_export(attempts, session, self._load)
        self.downloads.value = (
            download_link(
                out.grades,
                out.grades_name,
                "text/csv",
                "Grades (CSV, one row per participant and exercise)",
            )
            + download_link(
                out.summary, out.summary_name, "text/markdown", "Participant summaries (Markdown)"
            )
            + f'<div class="mf-why">{out.attempts} attempt(s), prepared {out.stamp} UTC.</div>'
        )

    def certificates(self) -> list[Any]:
        """On the hub: issue a certificate to each participant of the session shown who meets
        the completion rule (download links), and say what is left for the others."""
        from mixedflows import certificate

        session = self.session
        if self.owner is None or not self._allowed(session):
            self.cert_links.value = empty("Choose one of your sessions first.")
            return []
        people = {a.learner for a in self.store.attempts(session=session)}
        issued, not_yet = certificate.issue_many(self.store, people)
        links = "".join(
            f"<li>{esc(short(c.learner, 60))}"
            + (f" (printed: {esc(short(c.name, 80))})" if c.name != c.learner else "")
            + f": code <code>{esc(c.code)}</code> "
            + download_link(c.html(), c.filename(), "text/html", "certificate (HTML)")
            + "</li>"
            for c in issued
        )
        rest = "".join(
            f"<li>{esc(short(who, 60))}: {esc(why)}</li>" for who, why in not_yet.items()
        )
        self.cert_links.value = (
            f"<p>Issued ({len(issued)}), each printing the name the learner typed in the "
            f"course check (their pseudonym if they typed none):</p><ul>{links}</ul>"
            if issued
            else empty("No participant of this session meets the completion rule yet.")
        ) + (f"<p>Not yet ({len(not_yet)}):</p><ul>{rest}</ul>" if not_yet else "")
        return issued

    # -- live ----------------------------------------------------------------------------------
    @property
    def running(self) -> bool:
        return (self._task is not None and not self._task.done()) or (
            self._thread is not None and self._thread.is_alive()
        )

    def start(self) -> Dashboard:
        """Draw now, then keep redrawing while the session runs.

        In a kernel (a running event loop) this is a task on that loop, which stops with the
        kernel; elsewhere, a daemon thread. Either ends with :meth:`stop`.
        """
        self._guarded(self.refresh)(force=True)
        if self.running:
            return self
        self._stop.clear()
        try:
            loop = asyncio.get_running_loop()
        except RuntimeError:
            loop = None
        if loop is not None:
            self._task = loop.create_task(self._live())
        else:
            self._thread = threading.Thread(target=self._live_thread, daemon=True)
            self._thread.start()
        _RUNNING.add(self)
        return self

    def stop(self) -> None:
        """Stop the live refresh (the widgets keep what they show)."""
        self._stop.set()
        if self._task is not None:
            self._task.cancel()
        if self._thread is not None and self._thread is not threading.current_thread():
            self._thread.join(timeout=self.interval + 5)
        _RUNNING.discard(self)

    async def _live(self) -> None:
        loop = asyncio.get_running_loop()
        while not self._stop.is_set():
            await asyncio.sleep(self.interval)
            if not self.live.value:
                continue
            try:
                # Store reads and pandas run in a worker thread: the kernel keeps answering
                # the page meanwhile. Widgets are then updated here, on the kernel's loop.
                fresh = await loop.run_in_executor(None, self._compute_locked)
                # (the facilitator may have picked another session meanwhile: that one wins)
                if fresh.key[0] == self.session:
                    self._set_session_options(self.session, fresh.sessions)
                    if fresh.report is not None:
                        self._render(fresh.key, fresh.report, fresh.titles)
                self._show_problems()
                self._stamp()
                if "mf-bad" in self.status.value:
                    self.status.value = ""  # the store answers again
            except asyncio.CancelledError:
                raise
            except Exception as e:
                log.exception("dashboard refresh failed")
                self.status.value = message("bad", store_read_problem(e))

    def _compute_locked(self) -> _Fresh:
        with self._lock:
            return self._compute(False)

    def _live_thread(self) -> None:
        while not self._stop.wait(self.interval):
            if self.live.value:
                self._guarded(self.refresh)()

    def _guarded(self, fn: Callable[..., Any]) -> Callable[..., Any]:
        """``fn`` for a button or a refresh: a store that cannot be read is said with its
        cause in the status line (not a participant's "attempt may not have been saved")."""

        def run(*args: Any, **kwargs: Any) -> Any:
            try:
                out = fn(*args, **kwargs)
            except Exception as e:
                log.exception("dashboard: %s failed", getattr(fn, "__name__", "an action"))
                self.status.value = message("bad", store_read_problem(e))
                return None
            if "mf-bad" in self.status.value:
                self.status.value = ""  # the store answers again
            return out

        return run


_RUNNING: weakref.WeakSet[Dashboard] = weakref.WeakSet()


@atexit.register
def _stop_all() -> None:
    # A kernel shutting down: end every live refresh before the interpreter goes.
    for d in list(_RUNNING):
        with contextlib.suppress(Exception):
            d.stop()


@app_entry
def dashboard_app(
    store: Store | None = None,
    session: str | None = None,
    interval: float = REFRESH_SECONDS,
    on_error: Callable[[Exception], Any] | None = None,
) -> w.Widget:
    """Build, start and return the dashboard (the notebook's last expression displays it).

    If the store cannot be opened, a friendly message is shown instead (and the log says why).
    """
    from mixedflows.server import hub

    try:
        # On the hub's dashboard service: the facilitator who opened the page (issue 16).
        owner = hub.facilitator()
    except hub.UnknownFacilitatorError as e:
        log.error("facilitator dashboard: %s", e)
        return w.HTML(message("bad", f"Nothing is shown: {e}."))
    try:
        return Dashboard(store, session, interval=interval, owner=owner).start().widget
    except Exception as e:
        log.exception("the facilitator dashboard could not start")
        if on_error is not None:
            on_error(e)
        return w.HTML(message("bad", store_read_problem(e, starting=True)))
