"""The Voila server the course runs: Voila 0.5 plus what a classroom needs.

- **Closed tabs free their kernels.** Voila 0.5's page sends a kernel-shutdown beacon when a tab
  closes, but without the ``_xsrf`` token, so jupyter_server refuses it (voila issue 1458) and
  kernels pile up at about 250 MB each. The page handler below sets the ``_xsrf`` cookie when it
  serves an app (tornado sets it when the token is first read), and the ``mixedflows`` template
  makes the beacon carry it as the ``_xsrf`` form field. XSRF checks stay on.
- **A join page** (``/join?session=CODE``): a participant types a pseudonym and picks one of the
  session's apps; the link to the app carries both, so attempts are recorded under that session.
- **The facilitator dashboard is gated**: served only with ``?facilitator=`` equal to the server's
  ``MIXEDFLOWS_FACILITATOR_TOKEN``; participants do not have it.
- **Only the course's apps are served**: an app is a notebook at the top of the served folder
  (``widgets/``); anything else, a NUL byte or ``..`` in the path, and ``?template=`` other than
  the course's answer 4xx at once (issue 11: a 500, or a page that never finished). ``?theme=``
  is ignored. ``/voila/api/contents`` lists the apps only, never the dashboard.
- **Participants cannot run code.** Voila 0.5 forwards any message a page sends on the kernel
  websocket, ``execute_request`` included. Only the messages widgets need pass
  (:data:`ALLOWED_FROM_PAGE`), each binary frame's framing checked against its length before
  anything loops over it (:mod:`mixedflows.server.wire`; one 24-byte frame froze the server),
  and no frame over :data:`MAX_WS_MESSAGE`. The facilitator key is removed from the environment
  kernels inherit.
- **Kernels belong to the browser that opened them** (a signed cookie): another browser cannot
  open its websocket, shut it down or ``DELETE`` it, XSRF token or not.
- **A cap on live kernels** (``MIXEDFLOWS_MAX_KERNELS``), counting kernels being started, held
  under concurrency (:mod:`mixedflows.server.kernels`): past it a page gets a friendly "please
  wait" page that retries by itself. A kernel whose page was sent but that no websocket
  connected to (a plain GET of the link, a tab closed while loading) is shut down after
  ``MIXEDFLOWS_UNCONNECTED_CULL`` seconds, and makes way at once for a page that finds the room
  full, so fetching links cannot lock a room. A preheated kernel is used only when it is started, never
  waited on (issue 11: tabs sat on a blank page for two minutes while the pool refilled).
- **Errors reach the facilitator, not the participant.** What a kernel writes to stderr and the
  tracebacks it sends (a store's path, a PostgreSQL host and user, a course file's absolute
  path) go to the server's log, never to the page; the page shows its own short message.
- **A pseudonym is one browser's seat** in a session (:mod:`mixedflows.server.seats`): the join
  page and every app page refuse a pseudonym another browser holds, so a participant cannot take
  another's place (or module 10 role) by typing their name; the facilitator releases seats.
- **The chart bundle is served once** (:mod:`mixedflows.server.charts`), not carried by each
  chart's widget state.
- **Bad requests answer quickly**: a URL longer than :data:`MAX_URL` gets a 414 page (tornado
  alone closed the connection without a word past 64 KB); unknown paths a 404 page.

Run as ``python -m mixedflows.server.voila_app NOTEBOOK_DIR [voila options]``.
"""

from __future__ import annotations

import contextlib
import hmac
import html
import os
import re
import secrets
import time
from pathlib import Path
from typing import Any, ClassVar
from urllib.parse import urlencode

import tornado.log
import tornado.routing
import tornado.web
from jupyter_server.base.handlers import JupyterHandler

from mixedflows import problemlog
from mixedflows.server import charts, compat, seats, wire
from mixedflows.server.kernels import CourseKernelManager, KernelCapError

# Read once, then removed from the environment that kernels inherit.
FACILITATOR_KEY = os.environ.pop("MIXEDFLOWS_FACILITATOR_TOKEN", "")

ALLOWED_FROM_PAGE = frozenset(
    {
        "comm_open",
        "comm_msg",
        "comm_close",
        "comm_info_request",
        "kernel_info_request",
    }
)
"""What a Voila page needs to send its kernel: widget messages, and kernel info."""

DASHBOARD = "facilitator_dashboard.ipynb"
HIDDEN = {DASHBOARD}
"""Notebooks in the served folder that are not offered to participants."""

MAX_URL = 16 * 1024
"""Longest URL answered normally (characters); longer ones get a 414 page."""
MAX_HEADERS = 1024 * 1024
"""Longest request head tornado reads (its default, 64 KB, closes the connection silently:
with this the 414 page can be sent). Beyond this the connection is still closed."""
MAX_BODY = 1024 * 1024
"""Largest request body (the course's pages post nothing bigger than a form)."""
MAX_WS_MESSAGE = 4 * 1024 * 1024
"""Largest websocket message from a page. A widget's state is a few KB; a pasted megabyte of
text must still reach the app, which refuses it with a message naming the maximum (a closed
socket would leave the page silently disconnected)."""
PAGE_MESSAGES = (300, 100.0)
"""Messages a page may send its kernel: a burst of 300, then 100 a second (a slider dragged
sends about 30 a second). Past it, messages are dropped and logged: a page flooding its kernel
with widget updates (each may write a draft to the store) cannot load the machine."""
SOCKETS_PER_KERNEL = 6
"""Open websockets one kernel may have (a page opens one, and another while it reconnects):
each holds a handful of the server's file descriptors, so a page opening hundreds must not
exhaust them for the room."""
ELSEWHERE = 4001
"""Websocket close code telling a page that its participant opened the app in another tab
(the page says so; see the ``mixedflows`` template)."""
RETRY_SECONDS = 20
"""How often the "please wait" page tries again by itself."""

BENIGN = ("No such comm",)
"""Kernel stderr that is kept off the page and logged, but is not a problem for the dashboard
(ipykernel's note when a closed tab's widget message arrives late)."""

OWNER_COOKIE = "mf_owner"
SAFE_NAME = re.compile(r"[A-Za-z0-9][A-Za-z0-9_.-]{0,120}\.ipynb")

PAGE = """<!doctype html><html lang="en"><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">{head}
<title>{title}</title><style>
body {{font-family: system-ui, sans-serif; max-width: 40rem; margin: 3rem auto; padding: 0 1rem;
       line-height: 1.5; color: #1d2733}}
input, select, button {{font-size: 1rem; padding: .4rem .6rem; margin: .3rem 0}}
button {{background: #1f5f99; color: white; border: 0; border-radius: 4px; cursor: pointer}}
.note {{color: #555; font-size: .9rem}}
</style></head><body><main>{body}</main></body></html>"""


def _page(title: str, body: str, head: str = "") -> str:
    return PAGE.format(title=html.escape(title), body=body, head=head)


def _apps(root: Path) -> list[str]:
    """The course's apps: the notebooks at the top of the served folder, dashboard aside."""
    return sorted(
        p.name for p in root.glob("*.ipynb") if p.name not in HIDDEN and SAFE_NAME.fullmatch(p.name)
    )


def _session_apps(root: Path) -> list[str]:
    """The apps of the facilitator's session (``MIXEDFLOWS_SESSION_APPS``, comma-separated), in
    that order; every app when the session names none (or none that exists)."""
    apps = _apps(root)
    named = [a.strip() for a in os.environ.get("MIXEDFLOWS_SESSION_APPS", "").split(",")]
    chosen = [a for a in dict.fromkeys(named) if a in apps]
    return chosen or apps


def _label(name: str) -> str:
    return name.removesuffix(".ipynb").replace("_", " ").capitalize()


def _owner(handler: tornado.web.RequestHandler, create: bool = False) -> str:
    """The browser's owner id (a signed cookie); created with the first page if asked."""
    value = handler.get_signed_cookie(OWNER_COOKIE, max_age_days=2)
    if value:
        return value.decode("ascii", "replace")
    if not create:
        return ""
    new = secrets.token_urlsafe(18)
    handler.set_signed_cookie(OWNER_COOKIE, new, expires_days=None, httponly=True, samesite="Lax")
    return new


def _seat_session(query: dict[str, str]) -> str:
    """The session a page's answers are recorded under (as the kernel reads it:
    ``MIXEDFLOWS_SESSION`` first, else the link's ``session``, read by the kernel's parser)."""
    from mixedflows.store import clean_pseudonym

    given = query.get("session", "").strip()
    return os.environ.get("MIXEDFLOWS_SESSION", "") or (clean_pseudonym(given) if given else "")


def _refuse_link(handler: tornado.web.RequestHandler, problem: str, session: str = "") -> None:
    """A 400 page for a link that names its participant ambiguously (the same parameter twice,
    or empty), with the way back to the join page."""
    handler.log.warning("link refused: %s", problem)
    problem = problem[:1].upper() + problem[1:200]
    handler.set_status(400)
    join = f"{handler.base_url}join" + (f"?{urlencode({'session': session})}" if session else "")
    handler.finish(
        _page(
            "This link is not right",
            "<h1>This link is not right</h1>"
            f'<p role="alert">{html.escape(problem)}, so it does not say who you are. '
            "Please use the join link you were given.</p>"
            f'<p><a href="{html.escape(join)}">Go to the join page</a></p>',
        )
    )


def _identity_from_server() -> bool:
    """Whether the server, not the link, says who the participant is (a hub user, or a
    learner fixed for the whole server)."""
    return bool(os.environ.get("MIXEDFLOWS_LEARNER") or os.environ.get("JUPYTERHUB_USER"))


def _take_seat(handler: tornado.web.RequestHandler, session: str, learner: str) -> bool:
    """Whether this browser may use ``learner`` in ``session``: the seat is free (it becomes
    this browser's, its secret set as a cookie) or this browser's already."""
    if not session or not learner:
        return True
    name = seats.cookie_name(session)
    secret = handler.get_cookie(name) or ""
    fresh = not (20 <= len(secret) <= 100)
    if fresh:
        secret = seats.new_secret()
    try:
        ok = seats.claim(session, learner, secret)
    except seats.SeatsError as e:  # never a room locked out by a broken file: logged instead
        handler.log.warning("seat of %r not checked: %s", learner, e)
        problemlog.note("seats", str(e))
        return True
    if ok and fresh:
        handler.set_cookie(name, secret, expires_days=2, httponly=True, samesite="Lax")
    return ok


def _safe_uri(uri: str) -> str:
    """A request's URL fit for the server's log: the facilitator's key replaced by ``***`` (a
    log shown to IT does not open the dashboard)."""
    return re.sub(r"(facilitator=)[^&#\s]*", r"\1***", uri)


class FriendlyErrors:
    """Mixin: error pages say what happened in plain words; details stay in the server log."""

    def _request_summary(self) -> str:  # tornado's line for a refused request, in the log
        r = self.request
        return f"{r.method} {_safe_uri(r.uri or '')[:200]} ({r.remote_ip})"

    MESSAGES: ClassVar[dict[int, tuple[str, str]]] = {
        400: (
            "This link is not right",
            "The address asks for something the course does not "
            "offer. Please use the link you were given.",
        ),
        403: ("Not allowed", "This page or action belongs to someone else."),
        404: (
            "Page not found",
            "There is no such page in this course. Please use the link you were given.",
        ),
        414: (
            "Link too long",
            "This address is too long to be a course link. Please use the link you were given.",
        ),
    }

    def write_error(self, status_code: int, **kwargs: Any) -> None:
        title, text = self.MESSAGES.get(
            status_code,
            (
                "Something went wrong",
                "Something went wrong on our side. Please reload the "
                "page in a moment; if it happens again, tell the facilitator.",
            ),
        )
        self.set_header("Content-Type", "text/html; charset=UTF-8")
        self.finish(_page(title, f"<h1>{html.escape(title)}</h1><p>{html.escape(text)}</p>"))


class AppHandler(FriendlyErrors, compat.PoolChoice, compat.TornadoVoilaHandler):
    """Serves an app: only the course's apps, the dashboard gated, the kernel cap held, the
    kernel recorded as this browser's, the XSRF cookie set for the shutdown beacon."""

    @property
    def kernel_manager(self) -> Any:
        # The facilitator's dashboard may start a kernel past the cap: a full room does not
        # lock the facilitator out.
        return _RecordOwner(
            self.settings["kernel_manager"],
            getattr(self, "_owner_id", ""),
            beyond_cap=getattr(self, "_dashboard", False),
            page=self,
        )

    _kernel_id = ""
    """The kernel this page got (set by :class:`_RecordOwner`)."""

    def _delivered(self) -> None:
        """The page is sent (or its client went away): from now on, its kernel is culled if
        no websocket connects to it soon (:meth:`CourseKernelManager.cull_unconnected`)."""
        if self._kernel_id:
            self.settings["kernel_manager"].page_delivered(self._kernel_id)
            self._kernel_id = ""

    def on_finish(self) -> None:
        self._delivered()
        super().on_finish()

    def on_connection_close(self) -> None:
        self._delivered()
        super().on_connection_close()

    async def get(self, path: str | None = None) -> None:
        name = path or ""
        root = Path(self.settings["mixedflows_root"])
        if name != DASHBOARD and name not in _apps(root):
            raise tornado.web.HTTPError(404, "not a course app: %r", name[:200])
        from mixedflows.server.session import AmbiguousIdentityError, parse_query

        try:  # the kernel's own parser: the server checks the seat of the name the kernel uses
            self._query = parse_query(self.request.query)
        except AmbiguousIdentityError as e:
            _refuse_link(self, str(e), os.environ.get("MIXEDFLOWS_SESSION", ""))
            return
        if name == DASHBOARD and not self._facilitator():
            self.set_status(403)
            self.finish(
                _page(
                    "Facilitators only",
                    "<h1>Facilitators only</h1><p>This page "
                    "needs the facilitator's link. If you are a participant, please "
                    "use the join link you were given.</p>",
                )
            )
            return
        template = self.request.arguments.get("template")
        if template and any(
            v.decode("utf-8", "replace") != self.voila_configuration.template for v in template
        ):
            raise tornado.web.HTTPError(400, "template %r refused", template[0][:100])
        if name != DASHBOARD:
            from mixedflows.store import clean_pseudonym

            session, learner = _seat_session(self._query), self._query.get("learner", "").strip()
            if session and not learner and not _identity_from_server():
                # In a session, a link without a pseudonym would record everyone under the one
                # id kept beside the store (a seat no one can release): a pseudonym first.
                self.redirect(f"{self.base_url}join?{urlencode({'session': session, 'app': name})}")
                return
            if learner and not seats.visible(learner):
                _refuse_link(self, f"the pseudonym in this link {seats.NOT_VISIBLE}", session)
                return
            if learner and not _take_seat(self, session, clean_pseudonym(learner)):
                self.log.warning("app page refused: the seat of %r is another browser's", learner)
                self.set_status(409)
                join = f"{self.base_url}join?{urlencode({'session': session})}"
                self.finish(
                    _page(
                        "Name in use",
                        f'<h1>Name in use</h1><p role="alert">{html.escape(seats.TAKEN)}</p>'
                        f'<p><a href="{html.escape(join)}">Back to the join page</a></p>',
                    )
                )
                return
            if learner:
                self._seat_key = (session, seats.seat_key(clean_pseudonym(learner)), name)
        for option in ("template", "theme"):  # one look for every page: the pool serves all
            self.request.arguments.pop(option, None)
            self.request.query_arguments.pop(option, None)

        km: CourseKernelManager = self.settings["kernel_manager"]
        await self._take_over_other_tab(km)
        self.use_pool = compat.claim_ready_first(km, name)
        if not self.use_pool and km.at_cap() and name != DASHBOARD:
            # A room full of kernels no page connected to (plain GETs of an app's link) is not
            # full: the oldest such kernel makes way (issue 11 cold trial: 4 GETs locked a room).
            await km.evict_unconnected()
        if not self.use_pool and km.at_cap() and name != DASHBOARD:
            self._please_wait()
            return
        self._owner_id = _owner(self, create=True)
        self._dashboard = name == DASHBOARD
        _ = self.xsrf_token  # sets the _xsrf cookie that the shutdown beacon sends back
        try:
            await super().get(path=path)
        except KernelCapError:
            if self._headers_written:
                raise
            self._please_wait()

    _seat_key: tuple[str, str, str] | None = None
    """(session, pseudonym, app) of this page: the seat's one kernel for this app."""

    async def _take_over_other_tab(self, km: CourseKernelManager) -> None:
        """One kernel per seat and app: the page opened last takes over. The seat's earlier
        kernel for this app (another tab of this browser, since a seat is one browser's) is
        shut down, its page told on its websocket (close code :data:`ELSEWHERE`) that the app
        is open in another tab (issue 11, third cold trial: one participant held 2 places of a
        3-kernel room by opening the app in two tabs)."""
        old = km.kernel_of_seat(self._seat_key)
        if not old:
            return
        for ws in list(WidgetsOnlyWebsocketHandler._open.get(old, ())):
            with contextlib.suppress(Exception):
                ws.close(ELSEWHERE, "the app was opened in another tab")
        self.log.warning(
            "kernel %s: %r opened %s again in another tab; the earlier tab's kernel is "
            "shut down (one kernel per participant and app)",
            old,
            self._seat_key[1],
            self._seat_key[2],
        )
        await km.shutdown_certainly(old, "for the same participant's new tab")

    def _please_wait(self) -> None:
        km = self.settings["kernel_manager"]
        self.log.warning(
            "kernel cap %s reached (%s running or starting): a page was asked to wait",
            km.max_kernels,
            km.live_or_starting(),
        )
        # A place held by a page that never connected frees soon: try again just after.
        soon = km.seconds_until_evictable()
        retry = RETRY_SECONDS if soon is None else max(3, min(RETRY_SECONDS, int(soon) + 2))
        self.set_status(503)
        self.set_header("Retry-After", str(retry))
        self.set_header("Cache-Control", "no-store")
        self.finish(
            _page(
                "Please wait",
                "<h1>The room is full for a moment</h1><p>All places on this machine are in "
                f"use. This page tries again by itself in {retry} seconds (and again after "
                "that); you can also reload it.</p>",
                head=f'<meta http-equiv="refresh" content="{retry}">',
            )
        )

    def _facilitator(self) -> bool:
        expected = FACILITATOR_KEY
        given = getattr(self, "_query", {}).get("facilitator", "")
        return bool(expected) and hmac.compare_digest(given.encode(), expected.encode())


class _RecordOwner:
    """The kernel manager as Voila's page handler sees it: the kernel a page gets (started for
    it, or taken from the pool) is recorded as its browser's."""

    def __init__(
        self,
        km: CourseKernelManager,
        owner: str,
        beyond_cap: bool = False,
        page: AppHandler | None = None,
    ) -> None:
        self._km, self._owner, self._beyond_cap, self._page = km, owner, beyond_cap, page

    def __getattr__(self, name: str) -> Any:
        return getattr(self._km, name)

    def _given(self, kernel_id: str) -> None:
        self._km.set_owner(kernel_id, self._owner)
        self._km.page_started(kernel_id)
        if self._page is not None:
            self._page._kernel_id = kernel_id
            self._km.set_seat(kernel_id, self._page._seat_key)

    async def start_kernel(self, **kwargs: Any) -> str:
        kernel_id = await self._km.start_kernel(beyond_cap=self._beyond_cap, **kwargs)
        self._given(kernel_id)
        return kernel_id

    async def get_rendered_notebook(self, *args: Any, **kwargs: Any) -> Any:
        task, cache, kernel_id = await self._km.get_rendered_notebook(*args, **kwargs)
        self._given(kernel_id)
        return task, cache, kernel_id


class OwnerOnly:
    """Mixin for handlers of one kernel (``/api/kernels/<id>...``, the shutdown beacon): only
    the browser that opened the kernel may use it."""

    def kernel_in_path(self) -> str:
        """The kernel id of the route (Voila's routes name it ``kernel_id``)."""
        if "kernel_id" in self.path_kwargs:
            return self.path_kwargs["kernel_id"]
        return self.path_args[0] if self.path_args else ""

    def check_owner(self, kernel_id: str) -> None:
        km = self.settings["kernel_manager"]
        if not km.owned_by(kernel_id, _owner(self)):
            self.log.warning(
                "refused %s on kernel %s: not this browser's", self.request.method, kernel_id
            )
            raise tornado.web.HTTPError(403, "not this browser's kernel")

    async def end_kernel(self, kernel_id: str, why: str) -> None:
        """End the kernel for its page, killing it if it does not shut down (its place in
        the room is released only once its process is gone): 204, or 500 when the process
        could not be ended (the log says why)."""
        km = self.settings["kernel_manager"]
        if kernel_id not in km:
            raise tornado.web.HTTPError(404, "no such kernel")
        gone = await km.shutdown_for_page(kernel_id, why)
        self.set_status(204 if gone else 500)
        self.finish()


class KernelHandler(OwnerOnly, compat.KernelHandler):
    """``GET``/``DELETE /api/kernels/<id>``: the owner's browser only; a ``DELETE`` ends the
    kernel for certain (:meth:`OwnerOnly.end_kernel`)."""

    async def prepare(self) -> None:
        await super().prepare()
        if not self._finished:
            self.check_owner(self.kernel_in_path())

    @tornado.web.authenticated
    async def delete(self, kernel_id: str) -> None:
        await self.end_kernel(kernel_id, "DELETE by its page")


class ShutdownHandler(OwnerOnly, compat.VoilaShutdownKernelHandler):
    """The shutdown beacon of a closing tab: the owner's browser only; the kernel is ended for
    certain (:meth:`OwnerOnly.end_kernel`)."""

    async def prepare(self) -> None:
        await super().prepare()
        if not self._finished:
            self.check_owner(self.kernel_in_path())

    @tornado.web.authenticated
    async def post(self, kernel_id: str) -> None:
        await self.end_kernel(kernel_id, "its tab closed")


class WidgetsOnlyWebsocketHandler(OwnerOnly, compat.VoilaKernelWebsocketHandler):
    """The kernel websocket: the owner's browser only; widget messages only, each binary frame
    checked before it is read; stderr and tracebacks to the server's log, not the page."""

    @property
    def max_message_size(self) -> int:
        return MAX_WS_MESSAGE

    _open: ClassVar[dict[str, set]] = {}
    """The open websockets of each kernel."""

    async def get(self, kernel_id: str, *args: Any, **kwargs: Any) -> None:
        self.check_owner(kernel_id)
        if len(self._open.get(kernel_id, ())) >= SOCKETS_PER_KERNEL:
            self.log.warning(
                "kernel %s: a websocket refused (%s open already)", kernel_id, SOCKETS_PER_KERNEL
            )
            raise tornado.web.HTTPError(429, "too many connections to this kernel")
        await super().get(kernel_id, *args, **kwargs)

    def open(self, *args: Any, **kwargs: Any) -> Any:
        self._open.setdefault(self.kernel_id, set()).add(self)
        self.settings["kernel_manager"].page_connected(self.kernel_id)
        return super().open(*args, **kwargs)

    def on_close(self) -> None:
        sockets = self._open.get(getattr(self, "kernel_id", ""), set())
        sockets.discard(self)
        if not sockets:
            self._open.pop(getattr(self, "kernel_id", ""), None)
            # No page holds the kernel now: freed after the grace unless one comes back.
            with contextlib.suppress(Exception):
                self.settings["kernel_manager"].page_disconnected(self.kernel_id)
        super().on_close()

    def _within_rate(self) -> bool:
        burst, per_second = PAGE_MESSAGES
        now = time.monotonic()
        if not hasattr(self, "_tokens"):
            self._tokens, self._at, self._dropped = float(burst), now, 0
        self._tokens = min(burst, self._tokens + (now - self._at) * per_second)
        self._at = now
        if self._tokens >= 1:
            self._tokens -= 1
            return True
        self._dropped += 1
        if self._dropped in (1, 10, 100) or self._dropped % 1000 == 0:
            self.log.warning(
                "kernel %s: %s message(s) from its page dropped (over %s a second)",
                getattr(self, "kernel_id", "?"),
                self._dropped,
                per_second,
            )
        return False

    def _refused(self, kind: str, what: str) -> None:
        """Log a message dropped from this page: the 1st, 10th, 100th and every 1000th of its
        kind per socket, with the count (a flood of 2,000 bad frames wrote 332 log lines)."""
        counts = self.__dict__.setdefault("_refused_counts", {})
        n = counts[kind] = counts.get(kind, 0) + 1
        if n in (1, 10, 100) or n % 1000 == 0:
            self.log.warning(
                "kernel %s: dropped %s from its page (%s of this kind so far)",
                getattr(self, "kernel_id", "?"),
                what,
                n,
            )

    def on_message(self, ws_msg: str | bytes) -> Any:
        if self.ws_connection is None:
            return None
        if not self._within_rate():
            return None
        try:
            msg_type = wire.header_of(ws_msg, self.selected_subprotocol).get("msg_type")
        except wire.BadMessageError as e:
            self._refused("malformed", f"a malformed message ({len(ws_msg)} bytes): {e}")
            return None
        if msg_type not in ALLOWED_FROM_PAGE:
            self._refused("other", f"a {msg_type!r} message (only widget messages pass)")
            return None
        return super().on_message(ws_msg)

    def write_message(self, message: Any, binary: bool = False) -> Any:
        if self.ws_connection is None or self.ws_connection.is_closing():
            # The page went away while its kernel still spoke: nothing to send, nothing wrong
            # (tornado's selected_subprotocol asserted, a traceback in the log per message).
            return None
        try:
            msg_type, content = wire.type_and_content(message, self.selected_subprotocol)
        except wire.BadMessageError:
            msg_type, content = "", None
        if msg_type == "error" or (
            msg_type == "stream" and isinstance(content, dict) and content.get("name") != "stdout"
        ):
            self._to_server_log(msg_type, content)
            return None
        return super().write_message(message, binary)

    def _to_server_log(self, msg_type: str, content: Any) -> None:
        content = content if isinstance(content, dict) else {}
        if msg_type == "error":
            detail = "\n".join(content.get("traceback") or []) or (
                f"{content.get('ename')}: {content.get('evalue')}"
            )
        else:
            detail = str(content.get("text", ""))
        from mixedflows.store import redact_secrets

        detail = redact_secrets(re.sub(r"\x1b\[[0-9;]*m", "", detail).rstrip())
        kernel = getattr(self, "kernel_id", "?")
        self.log.warning("kernel %s (kept from the participant's page):\n%s", kernel, detail)
        if not any(detail.startswith(b) for b in BENIGN):
            problemlog.note(f"kernel {kernel[:8]}", detail, kind=msg_type)


class TemplateStaticHandler(FriendlyErrors, compat.TemplateStaticFileHandler):
    """``/voila/templates/<template>/static/<file>``: a path that leaves its template's static
    folder (``..%2f``) is a 404, not Voila's 500 (its path split raised a ValueError)."""

    def parse_url_path(self, url_path: str) -> str:
        parts = url_path.split("/")
        if len(parts) < 3 or parts[1] != "static" or any(p in ("", ".", "..") for p in parts):
            raise tornado.web.HTTPError(404, "not a template's static file")
        return super().parse_url_path(url_path)


class ContentsHandler(compat.VoilaContentsHandler):
    """``/voila/api/contents``: the course's apps, nothing else."""

    async def get(self, path: str = "") -> None:
        path = (path or "").strip("/")
        if path and path not in _apps(Path(self.settings["mixedflows_root"])):
            raise tornado.web.HTTPError(404, "no such app")
        await super().get(path)

    def _finish_model(self, model: dict, location: bool = True) -> None:
        if model.get("type") == "directory":
            apps = set(_apps(Path(self.settings["mixedflows_root"])))
            model["content"] = [c for c in model.get("content") or [] if c["name"] in apps]
        super()._finish_model(model, location=location)


class IndexHandler(FriendlyErrors, JupyterHandler):
    """``/``: the course's apps, each a link (the dashboard is not listed)."""

    def initialize(self, **_voila_options: Any) -> None:
        pass

    def get(self, path: str = "") -> None:
        root = Path(self.settings["mixedflows_root"])

        session = os.environ.get("MIXEDFLOWS_SESSION", "")

        def link(app: str) -> str:  # in a session, through the join page (a pseudonym first)
            if session and not _identity_from_server():
                return f"{self.base_url}join?{urlencode({'session': session, 'app': app})}"
            return f"{self.base_url}voila/render/{app}"

        items = "".join(
            f'<li><a href="{html.escape(link(a))}">{html.escape(_label(a))}</a></li>'
            for a in _apps(root)
        )
        self.finish(
            _page(
                "Mixed Flows Lab",
                f"<h1>Mixed Flows Lab</h1><p>The course's apps:</p><ul>{items}</ul>"
                f"<p class='note'>In a facilitated session, please use the join link you "
                f"were given.</p>",
            )
        )


class NotFoundHandler(FriendlyErrors, tornado.web.RequestHandler):
    """Anything the server does not serve: a 404 page, whatever the method."""

    def check_xsrf_cookie(self) -> None:  # nothing is done here: a 404 for every method
        pass

    def prepare(self) -> None:
        raise tornado.web.HTTPError(404)


class LongUri(tornado.routing.Matcher):
    """Matches a request whose URL is longer than :data:`MAX_URL`."""

    def match(self, request: Any) -> dict | None:
        return {} if len(request.uri or "") > MAX_URL else None


class UriTooLongHandler(FriendlyErrors, tornado.web.RequestHandler):
    def check_xsrf_cookie(self) -> None:  # nothing is done here: a 414 for every method
        pass

    def prepare(self) -> None:
        raise tornado.web.HTTPError(414)


class JoinHandler(FriendlyErrors, JupyterHandler):
    """``/join``: pick a pseudonym and one of the session's apps; redirects to the app with both
    in its URL."""

    def initialize(self, root: Path) -> None:
        self.root = root

    @tornado.web.authenticated
    def get(self) -> None:
        from mixedflows.server.session import AmbiguousIdentityError, parse_query
        from mixedflows.store import clean_pseudonym

        try:  # one parser with the kernel's; an empty pseudonym is the form sent empty
            query = parse_query(self.request.query, allow_empty=True)
        except AmbiguousIdentityError as e:
            _refuse_link(self, str(e))
            return
        apps = _session_apps(self.root)
        given = query.get("session", "").strip()
        session = clean_pseudonym(given) if given else os.environ.get("MIXEDFLOWS_SESSION", "")
        learner = query.get("learner", "").strip()
        app = query.get("app", "") or (apps[0] if apps else "")
        taken = False
        unseen = bool(learner) and not seats.visible(learner)
        if unseen:
            self.log.warning("join refused: a pseudonym with no visible character")
            self.set_status(400)
        elif learner and app in apps:
            seat = os.environ.get("MIXEDFLOWS_SESSION", "") or session
            taken = not _take_seat(self, seat, clean_pseudonym(learner))
            if not taken:
                query = urlencode({"session": session, "learner": clean_pseudonym(learner)})
                self.redirect(f"{self.base_url}voila/render/{app}?{query}")
                return
            self.log.warning("join refused: the seat of %r is another browser's", learner)
            self.set_status(409)
        options = "".join(
            f'<option value="{html.escape(a)}"{" selected" if a == app else ""}>'
            f"{html.escape(_label(a))}</option>"
            for a in apps
        )
        problem = (
            f'<p role="alert" class="mf-seat-taken">{html.escape(seats.TAKEN)}</p>'
            if taken
            else f'<p role="alert" class="mf-name-unseen">This name {seats.NOT_VISIBLE}: '
            "please type a name with at least one letter, digit or sign.</p>"
            if unseen
            else '<p role="alert">Please type a name to be known by, and choose an app.</p>'
            if (learner or query.get("app", ""))
            else ""
        )
        body = (
            f"<h1>Mixed Flows Lab</h1><p>Session <b>{html.escape(session) or '—'}</b></p>"
            f"{problem}<form method='get' action='{self.base_url}join'>"
            f"<input type='hidden' name='session' value='{html.escape(session)}'>"
            "<label>Your pseudonym (no real name needed)<br>"
            "<input name='learner' maxlength='40' required autofocus></label><br>"
            f"<label>App<br><select name='app'>{options}</select></label><br>"
            "<button type='submit'>Join</button></form>"
            "<p class='note'>Your answers are recorded under this pseudonym for the "
            "facilitator's debrief. All persons in the cases are synthetic.</p>"
        )
        self.finish(_page("Join the session", body))


def _log_request(handler: tornado.web.RequestHandler) -> None:
    """Tornado's request log line, with the URL cut to 200 characters (a hostile 1 MB URL
    logged whole, per request, would fill the facilitator's log) and the facilitator's key
    replaced by ``***`` (a log shown to IT does not open the dashboard)."""
    status = handler.get_status()
    access = tornado.log.access_log
    log = access.info if status < 400 else (access.warning if status < 500 else access.error)
    request = handler.request
    uri = _safe_uri(request.uri or "")
    uri = uri if len(uri) <= 200 else f"{uri[:200]}... ({len(uri)} characters)"
    log(
        "%d %s %s (%s) %.2fms",
        status,
        request.method,
        uri,
        request.remote_ip,
        1000.0 * request.request_time(),
    )


class MixedFlowsVoila(compat.Voila):
    """Voila with the course's handlers and kernel manager."""

    def initialize(self, argv: Any = None) -> None:
        super().initialize(argv)
        # Problems kept from the pages, for the dashboard: in the folder the server runs in
        # (the session's), inherited by every kernel.
        os.environ.setdefault("MIXEDFLOWS_PROBLEMS", str(Path.cwd() / "problems.jsonl"))
        # The session's seats (a pseudonym per browser), beside them; the dashboard releases.
        os.environ.setdefault(seats.ENV, str(Path.cwd() / "seats.json"))
        # The course's kernel manager: the cap and the owners (Voila wraps it for its pools).
        self.voila_configuration.multi_kernel_manager_class = CourseKernelManager
        # The offline chart bundle, served once (its kernels' charts carry a loader of it).
        charts.announce()

    def init_settings(self) -> dict:
        settings = super().init_settings()
        settings["default_handler_class"] = NotFoundHandler
        settings["log_function"] = _log_request
        settings["mixedflows_root"] = str(Path(self.root_dir))
        return settings

    def init_handlers(self) -> list:
        swap: dict[type, type | None] = {
            compat.TornadoVoilaHandler: AppHandler,
            compat.VoilaKernelWebsocketHandler: WidgetsOnlyWebsocketHandler,
            compat.KernelHandler: KernelHandler,
            compat.VoilaShutdownKernelHandler: ShutdownHandler,
            compat.VoilaContentsHandler: ContentsHandler,
            compat.TemplateStaticFileHandler: TemplateStaticHandler,
            compat.TornadoVoilaTreeHandler: IndexHandler,
        }
        if not getattr(self.identity_provider, "token", ""):
            # No login on a classroom server: /login and /logout are not pages (a 500 before).
            for rule in self.identity_provider.get_handlers():
                swap[rule[1]] = None
        handlers = compat.swap_handlers(super().init_handlers(), swap)
        root = Path(self.root_dir)
        base = self.server_url.rstrip("/")
        # Before Voila's routes.
        return [
            (LongUri(), UriTooLongHandler),
            (f"{base}/join", JoinHandler, {"root": root}),
            charts.handler_rule(self.server_url),
            *handlers,
        ]

    def listen(self) -> None:
        for problem in compat.version_problems():
            # Not fatal: the tests of the private parts are what tells; this says where to look.
            self.log.warning("%s: check mixedflows/server/compat.py", problem)
        compat.pass_http_server_options(
            self.app, max_header_size=MAX_HEADERS, max_body_size=MAX_BODY
        )
        super().listen()


main = MixedFlowsVoila.launch_instance

if __name__ == "__main__":
    main()
