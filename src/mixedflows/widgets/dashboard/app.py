"""The facilitator dashboard as a widget: :class:`Dashboard` lays out the sections, reads the
store and redraws them (:mod:`.tables` builds their HTML, :mod:`mixedflows.charts.facilitator`
the chart, :mod:`.status` the line said when the store cannot be read).

Live: a task on the kernel's event loop looks at the store every few seconds and redraws only
when the session has new attempts. The reading and computing run in a worker thread, and the
widgets are updated on the kernel's loop, where widget messages are handled. The task ends with
the kernel (its loop stops), or with :meth:`Dashboard.stop`.
"""

from __future__ import annotations

import asyncio
import atexit
import contextlib
import logging
import threading
import weakref
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any

import ipywidgets as w

from mixedflows import facilitator as fac
from mixedflows.charts.facilitator_data import distribution_spec
from mixedflows.store import Store
from mixedflows.widgets import ui
from mixedflows.widgets.common import app_entry, message
from mixedflows.widgets.dashboard.status import store_read_problem
from mixedflows.widgets.dashboard.tables import (
    download_link,
    empty,
    gains_html,
    html,
    join_links_html,
    no_rows,
    overview_html,
    problems_html,
    progress_html,
    reflections_html,
    wrong_html,
)

if TYPE_CHECKING:
    from mixedflows.charts.view import VegaView

log = logging.getLogger("mixedflows")

ALL = None
"""The session selector's value for "all sessions"."""
REFRESH_SECONDS = 4.0
"""How often the dashboard looks at the store for new attempts."""


@dataclass(frozen=True)
class _Fresh:
    """What one look at the store found (computed off the kernel's thread)."""

    key: tuple[str | None, int]
    """The session and its number of attempts: unchanged means nothing to redraw."""
    report: fac.SessionReport | fac.NoAttemptsReport | None
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
        self.store = store if store is not None else Store()
        self.interval = interval
        self._load = load_exercise or fac.default_loader
        self._titles: dict[str, str] = {}
        self._seen: tuple[Any, int] | None = None
        self._lock = threading.Lock()
        self._stop = threading.Event()
        self._task: asyncio.Future | None = None
        self._thread: threading.Thread | None = None
        self.report: fac.SessionReport | fac.NoAttemptsReport | None = None
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
        # Widgets whose layout and style never change share the kernel's one layout and one
        # style of their kind (ui.text, ui.shared_layout, ui.shared_style): each own layout or
        # style was one more widget model for the page to create (issue 13 start-up). The
        # chart's box keeps a layout of its own: it is shown and hidden as the scores come.
        def h(text: str) -> w.HTML:
            return ui.text(str(html().heading(text)))

        def text(css: str) -> w.HTML:
            return ui.text(css=css)

        auto = ui.shared_layout(width="auto", flex="0 0 auto")
        press = ui.shared_style(w.Button)
        plain = ui.shared_layout()

        self.status = text("mf-status")
        # (the notebook's own heading titles the page)
        self.head = ui.text(str(html().head(session) if self.only_session else html().head()))
        # A dashboard opened for one session offers no other: its selector is never shown.
        self.selector = w.Dropdown(
            description="Session",
            layout=(
                ui.shared_layout(width="420px", display="none")
                if self.only_session
                else ui.shared_layout(width="420px")
            ),
            style=ui.shared_style(w.Dropdown),
        )
        self.selector.add_class("mf-session")
        self._set_session_options(session)
        self.selector.observe(self._on_session, "value")
        self.hub_box = self._hub_panel()
        self.live = w.Checkbox(
            value=True,
            description="Live",
            indent=False,
            layout=plain,
            style=ui.shared_style(w.Checkbox),
        )
        self.live.add_class("mf-live")
        self.refresh_button = w.Button(
            description="Refresh now", icon="refresh", layout=auto, style=press
        )
        self.refresh_button.add_class("mf-refresh")
        self.refresh_button.on_click(self._guarded(lambda _b: self.refresh(force=True)))
        self.stamp = text("mf-stamp")
        self.overview = text("mf-overview")
        # The chart is made when the session first has scores (:meth:`_draw_chart`): a page
        # opened before then creates no chart model and needs no chart bundle to show
        # (issue 13 start-up; the notebook's "charts": "later" fetches it once the page shows).
        self.chart: VegaView | None = None
        self.chart_box = w.Box([], layout=w.Layout(display="none"))
        self.wrong = text("mf-wrong")
        self.reflections = text("mf-reflections")
        self.gains = text("mf-gains")
        self.progress = text("mf-progress")
        self.export_button = w.Button(
            description="Prepare downloads",
            icon="download",
            # the default 148 px cut the label off; never shrunk below it on a phone
            layout=auto,
            style=press,
        )
        self.export_button.add_class("mf-export")
        self.export_button.on_click(self._guarded(lambda _b: self.export()))
        self.downloads = text("mf-downloads")
        # On the hub only the dashboard service may sign certificates (the learners' store
        # role cannot read the secret, issue 15/16): the facilitator issues them here.
        self.cert_button = w.Button(
            description="Prepare certificates", icon="certificate", layout=auto, style=press
        )
        self.cert_button.add_class("mf-certificates-button")
        self.cert_button.on_click(self._guarded(lambda _b: self.certificates()))
        self.cert_links = text("mf-certificates")
        self.cert_box = w.VBox(
            [h("Certificates"), w.HBox([self.cert_button], layout=plain), self.cert_links],
            # shown on the hub only, from the start (never shown or hidden after)
            layout=plain if self.owner is not None else ui.shared_layout(display="none"),
        )
        self.problems = text("mf-problems")

        self.widget = w.VBox(
            [
                ui.style_widget(),
                self.head,
                self.hub_box,
                w.HBox(
                    [self.selector, self.live, self.refresh_button],
                    layout=ui.shared_layout(flex_flow="row wrap"),  # wraps on a phone, nothing cut
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
                w.HBox([self.export_button], layout=plain),
                self.downloads,
                self.cert_box,
                h("Problems on the server"),
                self.problems,
            ],
            layout=ui.shared_layout(max_width="1100px", width="100%"),
        )
        self.widget.add_class("mf-dash")

    # -- on a hub: the facilitator's own sessions -----------------------------------------------
    def _hub_panel(self) -> w.Widget:
        """On the hub's dashboard service: who is looking, a button that opens a new session
        of theirs, and the join links of the session shown. Empty elsewhere."""
        self.new_button = w.Button(
            description="Open a new session",
            icon="plus",
            layout=ui.shared_layout(width="auto", flex="0 0 auto"),
            style=ui.shared_style(w.Button),
        )
        self.new_button.add_class("mf-new-session")
        self.new_button.on_click(self._guarded(lambda _b: self.new_session()))
        self.join = ui.text(css="mf-join")
        if self.owner is None:
            return w.VBox(layout=ui.shared_layout(display="none"))
        note = str(html().owner(self.owner))
        if self.refused:
            note += message(
                "bad",
                f"The session {self.refused} is not one you opened on this hub: it is not shown.",
            )
        self._show_join()
        return w.VBox(
            [ui.text(note), w.HBox([self.new_button], layout=ui.shared_layout()), self.join],
            layout=ui.shared_layout(),
        )

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
                else str(
                    html().why("No session yet: open one, then give its links to the participants.")
                )
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
        if key[1] == 0:  # nothing to tabulate: said without pandas (issue 13 start-up)
            return _Fresh(key, fac.NoAttemptsReport(session or "", self._load), self._titles, known)
        attempts = self.store.attempts(session=session) if allowed else []
        rep = fac.session_report(attempts, session or "", load_exercise=self._load)
        new_ids = set(rep.overview["exercise_id"]) - set(self._titles)
        titles = {**self._titles, **fac.exercise_titles(new_ids, self._load)}
        return _Fresh(key, rep, titles, known)

    # -- rendering (the kernel's thread) -------------------------------------------------------
    def _render(
        self, key: Any, rep: fac.SessionReport | fac.NoAttemptsReport, titles: dict[str, str]
    ) -> None:
        self._seen, self.report, self._titles = key, rep, titles
        self.overview.value = overview_html(rep, titles)
        if no_rows(rep, "distribution"):
            self.chart_box.layout.display = "none"
        else:
            self._draw_chart(distribution_spec(rep.distribution, titles))
            self.chart_box.layout.display = "flex"
        self.wrong.value = wrong_html(rep, titles)
        self.reflections.value = reflections_html(rep, titles)
        self.gains.value = gains_html(rep)
        self.progress.value = progress_html(rep, titles)
        self.refreshes += 1

    def _draw_chart(self, spec: dict[str, Any]) -> None:
        if self.chart is not None:
            self.chart.spec = spec
            return
        from mixedflows.charts.view import VegaView

        # No vega-embed action menu: its links lead off the machine (the online editor). The
        # chart is a golden spec drawn by VegaView (the offline bundle, no CDN): the page's
        # kernel never imports altair (issue 13 start-up).
        self.chart = VegaView(spec, embed_options={"actions": False})
        self.chart.add_class("mf-chart")
        self.chart.add_class("mf-scroll")  # wider than a phone: scrolls, by keyboard too
        self.chart_box.children = [self.chart]

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
        self.stamp.value = str(
            html().stamp(f"Updated {self.updated_at:%H:%M:%S} UTC{counts}{live}")
        )

    def refresh(self, force: bool = False) -> bool:
        """Read the store now and redraw if the session has new attempts (or ``force``).
        Returns whether anything was redrawn."""
        with self._lock:
            try:
                fresh = self._compute(force)
            finally:  # a store that cannot be read: the problems say why (from its kernels)
                self._show_problems()
            self._set_session_options(self.session, fresh.sessions)
            if fresh.report is not None:
                self._render(fresh.key, fresh.report, fresh.titles)
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
        links = [
            download_link(
                out.grades,
                out.grades_name,
                "text/csv",
                "Grades (CSV, one row per participant and exercise)",
            ),
            download_link(
                out.summary, out.summary_name, "text/markdown", "Participant summaries (Markdown)"
            ),
        ]
        season = self._season_debriefs(attempts, session)
        if season:
            links.append(season)
        self.downloads.value = str(
            html().downloads([ui.Markup(x) for x in links], out.attempts, out.stamp)
        )

    def _season_debriefs(self, attempts: list[Any], session: str | None) -> str:
        """Module 11's debriefs of the session, one per printed sheet (the browser's Save as
        PDF makes the PDF), each replayed from the season stored; '' when there is none."""
        from mixedflows.capstone.report import session_debriefs

        try:
            got = session_debriefs(attempts, session or "")
        except Exception:  # the other downloads stand; the log has why
            log.warning("season debriefs not prepared", exc_info=True)
            return str(html().note("The season debriefs could not be prepared."))
        if got is None:
            return ""
        missing = (
            f" ({len(got.not_replayed)} season(s) from an older version not replayed)"
            if got.not_replayed
            else ""
        )
        return download_link(
            got.page,
            got.filename,
            "text/html",
            f"Season debriefs of module 11, {len(got.shown)} (HTML to print or save as PDF, "
            f"one per sheet){missing}",
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
        links = [
            (
                c.learner,
                c.name if c.name != c.learner else "",
                c.code,
                ui.Markup(download_link(c.html(), c.filename(), "text/html", "certificate (HTML)")),
            )
            for c in issued
        ]
        self.cert_links.value = str(html().certificates(links, list(not_yet.items())))
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
        kernel; elsewhere, a daemon thread. Either ends with :meth:`stop`. In a kernel Voila
        preheats, the redrawing starts once a page claims the kernel (the facilitator's: the
        server checked their key; the notebook's last cell, ``claim()``, waits for it), with a
        fresh drawing then: a pool kernel reads the store for no one meanwhile.
        """
        from mixedflows.server import session as sess

        self._guarded(self.refresh)(force=True)
        if sess.waiting_for_claim():
            sess.when_claimed(self.start)
            return self
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
                self._show_problems()  # what the kernels met says why

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
