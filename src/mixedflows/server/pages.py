"""The course server's own pages (plain HTML, no kernel): the list of apps, the join page, the
error pages (400, 403, 404, 414: what happened in plain words, details in the server's log) and
the request log line; with what the app pages share with them: which notebooks are the course's
apps, a link's session and its seat (:mod:`mixedflows.server.seats`).

Part of the course's Voila server (:mod:`mixedflows.server.voila_app`, which routes to them).
"""

from __future__ import annotations

import os
import re
from pathlib import Path
from typing import Any, ClassVar
from urllib.parse import urlencode

import tornado.log
import tornado.routing
import tornado.web
from jupyter_server.base.handlers import JupyterHandler

from mixedflows import problemlog
from mixedflows.server import seats

DASHBOARD = "facilitator_dashboard.ipynb"

HIDDEN = {DASHBOARD}
"""Notebooks in the served folder that are not offered to participants."""

MAX_URL = 16 * 1024
"""Longest URL answered normally (characters); longer ones get a 414 page."""

SAFE_NAME = re.compile(r"[A-Za-z0-9][A-Za-z0-9_.-]{0,120}\.ipynb")

TEMPLATES = Path(__file__).with_name("templates")
"""The pages' templates (``page.html.j2``, the layout, and one per page), autoescaped."""


def page(name: str, **context: Any) -> str:
    """The page of the template ``name`` (in :data:`TEMPLATES`), every value escaped."""
    from mixedflows.templating import render

    return render(name, TEMPLATES, **context)


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


def app_module_page(root: Path, app: str) -> str:
    """The module page an app belongs to (``06_stranded_migrants.ipynb``), as its notebook's
    metadata says (``mixedflows.module_page``), when that page is one of the course's module
    notebooks; '' otherwise."""
    import json

    from mixedflows.paths import home

    try:
        nb = json.loads((root / app).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return ""
    name = ((nb.get("metadata") or {}).get("mixedflows") or {}).get("module_page") or ""
    if not isinstance(name, str) or not SAFE_NAME.fullmatch(name):
        return ""
    return name if (home() / "modules" / name).is_file() else ""


def module_pages(root: Path) -> dict[str, Path]:
    """The module pages served beside the session's apps (each app's module page: its reading
    and its debriefs, gated as in the course), by name: ``{"06_stranded_migrants.ipynb":
    Path}``. A notebook of that name in the served folder itself is served as an app instead."""
    from mixedflows.paths import home

    apps = set(_apps(root))
    found = {app_module_page(root, a) for a in _session_apps(root)} - {""} - apps
    return {name: home() / "modules" / name for name in sorted(found)}


def _label(name: str) -> str:
    return name.removesuffix(".ipynb").replace("_", " ").capitalize()


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
    handler.finish(page("link_refused.html.j2", problem=problem, join=join))


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
        self.finish(page("error.html.j2", title=title, text=text))


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

        self.finish(page("apps.html.j2", apps=[(link(a), _label(a)) for a in _apps(root)]))


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
        from mixedflows.store import clean_pseudonym, pseudonym_keeps_something

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
        # A name that would be kept otherwise than typed is shown back as it would be kept, to
        # confirm: never changed without a word (a cold trial: "{{7*7}}" joined as "77")
        changed = bool(learner) and not unseen and clean_pseudonym(learner) != learner
        nothing = changed and not pseudonym_keeps_something(learner)  # kept as "anonymous"
        changed = changed and not nothing
        if unseen or nothing:
            self.log.warning("join refused: a pseudonym with no character a pseudonym keeps")
            self.set_status(400)
        elif changed:
            self.log.info("join: a pseudonym shown back as it would be kept")
        elif learner and app in apps:
            seat = os.environ.get("MIXEDFLOWS_SESSION", "") or session
            taken = not _take_seat(self, seat, clean_pseudonym(learner))
            if not taken:
                query = urlencode({"session": session, "learner": clean_pseudonym(learner)})
                self.redirect(f"{self.base_url}voila/render/{app}?{query}")
                return
            self.log.warning("join refused: the seat of %r is another browser's", learner)
            self.set_status(409)
        problem = (
            "taken"
            if taken
            else "unseen"
            if unseen
            else "nothing"
            if nothing
            else "changed"
            if changed
            else "incomplete"
            if (learner or query.get("app", ""))
            else ""
        )
        self.finish(
            page(
                "join.html.j2",
                session=session,
                problem=problem,
                taken=seats.TAKEN,
                not_visible=seats.NOT_VISIBLE,
                action=f"{self.base_url}join",
                apps=[(a, _label(a)) for a in apps],
                app=app,
                kept=clean_pseudonym(learner) if changed else "",
                allowed=seats.ALLOWED,
            )
        )


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
