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
- **Each session app's module page is served too** (its reading and its debriefs, which the
  facilitator may open for the room from the dashboard): the page the app's notebook names
  (``mixedflows.module_page``), read from ``modules/``, at ``/voila/render/<its name>``, with
  the seat and the kernel cap of an app; the app page links to it. No other module page.
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
  waited on (issue 11: tabs sat on a blank page for two minutes while the pool refilled). The
  cap serves participants first: in a full room, a preheated kernel no page has claimed is shut
  down to make way for a participant's page (:meth:`CourseKernelManager.start_kernel`).
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

The server's own pages (apps list, join page, error pages) are in
:mod:`mixedflows.server.pages`, the routes of one kernel (owner only, widgets only) in
:mod:`mixedflows.server.kernel_routes`; this module serves the apps and puts it together.

Run as ``python -m mixedflows.server.voila_app NOTEBOOK_DIR [voila options]``.
"""

from __future__ import annotations

import contextlib
import functools
import hmac
import os
from pathlib import Path
from typing import Any
from urllib.parse import urlencode

import tornado.web

from mixedflows import problemlog
from mixedflows.server import charts, compat, seats
from mixedflows.server.kernel_routes import (
    ALLOWED_FROM_PAGE,
    ELSEWHERE,
    MAX_WS_MESSAGE,
    PAGE_MESSAGES,
    SOCKETS_PER_KERNEL,
    KernelHandler,
    OwnerOnly,
    ShutdownHandler,
    WidgetsOnlyWebsocketHandler,
    _owner,
)
from mixedflows.server.kernels import CourseKernelManager, KernelCapError
from mixedflows.server.pages import (
    DASHBOARD,
    MAX_URL,
    FriendlyErrors,
    IndexHandler,
    JoinHandler,
    LongUri,
    NotFoundHandler,
    UriTooLongHandler,
    _apps,
    _identity_from_server,
    _log_request,
    _refuse_link,
    _seat_session,
    _take_seat,
    module_pages,
    page,
)

__all__ = [
    "ALLOWED_FROM_PAGE",
    "DASHBOARD",
    "ELSEWHERE",
    "MAX_URL",
    "MAX_WS_MESSAGE",
    "PAGE_MESSAGES",
    "SOCKETS_PER_KERNEL",
    "AppHandler",
    "ContentsHandler",
    "KernelHandler",
    "MixedFlowsVoila",
    "OwnerOnly",
    "ShutdownHandler",
    "WidgetsOnlyWebsocketHandler",
    "main",
]

# Read once, then removed from the environment that kernels inherit.
FACILITATOR_KEY = os.environ.pop("MIXEDFLOWS_FACILITATOR_TOKEN", "")

MAX_HEADERS = 1024 * 1024
"""Longest request head tornado reads (its default, 64 KB, closes the connection silently:
with this the 414 page can be sent). Beyond this the connection is still closed."""

MAX_BODY = 1024 * 1024
"""Largest request body (the course's pages post nothing bigger than a form)."""

RETRY_SECONDS = 20
"""How often the "please wait" page tries again by itself."""


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

    _module_folder: Path | None = None
    """Set when the page is a session app's module page (:func:`module_pages`): read from the
    course's modules/ folder, served as an app is (seat, kernel cap, no code shown)."""

    @property
    def contents_manager(self) -> Any:
        if self._module_folder is None:
            return super().contents_manager
        return _module_contents(str(self._module_folder))

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
            module_page = module_pages(root).get(name)
            if module_page is None:
                raise tornado.web.HTTPError(404, "not a course app: %r", name[:200])
            self._module_folder = module_page.parent
        from mixedflows.server.session import AmbiguousIdentityError, parse_query

        try:  # the kernel's own parser: the server checks the seat of the name the kernel uses
            self._query = parse_query(self.request.query)
        except AmbiguousIdentityError as e:
            _refuse_link(self, str(e), os.environ.get("MIXEDFLOWS_SESSION", ""))
            return
        if name == DASHBOARD and not self._facilitator():
            self.set_status(403)
            self.finish(page("facilitators_only.html.j2"))
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
                self.finish(page("name_in_use.html.j2", taken=seats.TAKEN, join=join))
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
        if (
            not self.use_pool
            and km.at_cap()
            and name != DASHBOARD
            and not compat.spare_kernels(km)  # else a preheated kernel no page claimed makes way
        ):
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
        self.finish(page("please_wait.html.j2", retry=retry))

    def _facilitator(self) -> bool:
        expected = FACILITATOR_KEY
        given = getattr(self, "_query", {}).get("facilitator", "")
        return bool(expected) and hmac.compare_digest(given.encode(), expected.encode())


@functools.cache
def _module_contents(folder: str) -> Any:
    """The contents manager the module pages are read through (their folder, as Voila reads
    the apps' folder)."""
    return compat.LargeFileManager(root_dir=folder)


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


def _seats_follow_store(log: Any) -> None:
    """The seats file kept only with the store it was made with (:func:`seats.follow_store`):
    a new server run on a new, empty store starts with no seats."""
    from mixedflows.store import Store

    path = seats.location()
    if path is None:
        return
    try:
        with Store() as store:
            identity = seats.store_identity(store)
        if seats.follow_store(path, identity):
            log.info("seats of another store set aside: this store starts with none")
    except Exception as e:  # never a server that does not start: said, seats as they are
        log.warning("seats not matched to the store: %s", e)
        problemlog.note("seats", f"seats not matched to the store: {e}")


class MixedFlowsVoila(compat.Voila):
    """Voila with the course's handlers and kernel manager."""

    def initialize(self, argv: Any = None) -> None:
        super().initialize(argv)
        # Problems kept from the pages, for the dashboard: in the folder the server runs in
        # (the session's), inherited by every kernel.
        os.environ.setdefault("MIXEDFLOWS_PROBLEMS", str(Path.cwd() / "problems.jsonl"))
        # The session's seats (a pseudonym per browser), beside them; the dashboard releases.
        os.environ.setdefault(seats.ENV, str(Path.cwd() / "seats.json"))
        _seats_follow_store(self.log)
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
