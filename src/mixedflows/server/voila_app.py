"""The Voila server the course runs: Voila 0.5 plus what a classroom needs.

- **Closed tabs free their kernels.** Voila 0.5's page sends a kernel-shutdown beacon when a tab
  closes, but without the ``_xsrf`` token, so jupyter_server refuses it (voila issue 1458) and
  kernels pile up at about 250 MB each. The page handler below sets the ``_xsrf`` cookie when it
  serves an app (tornado sets it when the token is first read), and the ``mixedflows`` template
  makes the beacon carry it as the ``_xsrf`` form field. XSRF checks stay on.
- **A join page** (``/join?session=CODE``): a participant types a pseudonym and picks an app;
  the link to the app carries both, so attempts are recorded under that session.
- **The facilitator dashboard is gated**: served only with ``?facilitator=`` equal to the server's
  ``MIXEDFLOWS_FACILITATOR_TOKEN``; participants do not have it.
- **Participants cannot run code.** Voila 0.5 forwards any message a page sends on the kernel
  websocket, ``execute_request`` included, so a participant with the browser's developer tools
  could run code in their kernel and read the store. Only the messages widgets need pass
  (:data:`ALLOWED_FROM_PAGE`); the facilitator key is removed from the environment kernels
  inherit.
- **A cap on live kernels** (``MIXEDFLOWS_MAX_KERNELS``) so a room cannot exhaust the machine:
  past it, a new page gets a friendly "please wait" page instead of a kernel.

Run as ``python -m mixedflows.server.voila_app NOTEBOOK_DIR [voila options]``.
"""

from __future__ import annotations

import hmac
import html
import json
import os
from pathlib import Path
from urllib.parse import urlencode

import tornado.web
from jupyter_server.base.handlers import JupyterHandler
from voila.app import Voila
from voila.tornado.handler import TornadoVoilaHandler
from voila.tornado.kernel_websocket_handler import (
    VoilaKernelWebsocketHandler,
    read_header_from_binary_message,
)

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
HIDDEN = {DASHBOARD, "empty.ipynb"}

PAGE = """<!doctype html><html lang="en"><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{title}</title><style>
body {{font-family: system-ui, sans-serif; max-width: 40rem; margin: 3rem auto; padding: 0 1rem;
       line-height: 1.5; color: #1d2733}}
input, select, button {{font-size: 1rem; padding: .4rem .6rem; margin: .3rem 0}}
button {{background: #1f5f99; color: white; border: 0; border-radius: 4px; cursor: pointer}}
.note {{color: #555; font-size: .9rem}}
</style></head><body>{body}</body></html>"""


def _page(title: str, body: str) -> str:
    return PAGE.format(title=html.escape(title), body=body)


def _apps(root: Path) -> list[str]:
    return sorted(p.name for p in root.glob("*.ipynb") if p.name not in HIDDEN)


def _label(name: str) -> str:
    return name.removesuffix(".ipynb").replace("_", " ").capitalize()


class XsrfVoilaHandler(TornadoVoilaHandler):
    """Serves an app: sets the XSRF cookie, gates the dashboard, caps live kernels."""

    async def get(self, path=None):
        name = Path(path or "").name
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
        cap = int(os.environ.get("MIXEDFLOWS_MAX_KERNELS", "0") or 0)
        pooled = getattr(self.kernel_manager, "get_pool_size", lambda _n: 0)(path or "")
        if cap and not pooled and len(self.kernel_manager.list_kernel_ids()) >= cap:
            self.log.warning("kernel cap %s reached; refusing a new kernel for %s", cap, path)
            self.set_status(503)
            self.set_header("Retry-After", "30")
            self.finish(
                _page(
                    "Please wait",
                    "<h1>The room is full for a moment</h1><p>All "
                    "places on this machine are in use. Please wait a minute and "
                    "reload this page; your answers so far are saved.</p>",
                )
            )
            return
        _ = self.xsrf_token  # sets the _xsrf cookie that the shutdown beacon sends back
        await super().get(path=path)

    def _facilitator(self) -> bool:
        expected = FACILITATOR_KEY
        given = self.get_argument("facilitator", "")
        return bool(expected) and hmac.compare_digest(given.encode(), expected.encode())


class WidgetsOnlyWebsocketHandler(VoilaKernelWebsocketHandler):
    """The kernel websocket, passing on only the messages widgets need."""

    def on_message(self, ws_msg):
        header = None
        if isinstance(ws_msg, bytes):
            header = read_header_from_binary_message(ws_msg)
        else:
            try:
                header = json.loads(ws_msg).get("header")
            except (ValueError, AttributeError):
                header = None
        msg_type = (header or {}).get("msg_type")
        if msg_type not in ALLOWED_FROM_PAGE:
            self.log.warning(
                "dropped a %r message from a page (only widget messages pass)", msg_type
            )
            return None
        return super().on_message(ws_msg)


class JoinHandler(JupyterHandler):
    """``/join``: pick a pseudonym and an app; redirects to the app with both in its URL."""

    def initialize(self, root: Path) -> None:
        self.root = root

    @tornado.web.authenticated
    def get(self) -> None:
        from mixedflows.store import clean_pseudonym

        apps = _apps(self.root)
        session = (
            clean_pseudonym(self.get_argument("session", ""))
            if self.get_argument("session", "")
            else os.environ.get("MIXEDFLOWS_SESSION", "")
        )
        learner = self.get_argument("learner", "").strip()
        app = self.get_argument("app", "")
        if learner and app in apps:
            query = urlencode({"session": session, "learner": clean_pseudonym(learner)})
            self.redirect(f"{self.base_url}voila/render/{app}?{query}")
            return
        options = "".join(
            f'<option value="{html.escape(a)}">{html.escape(_label(a))}</option>' for a in apps
        )
        problem = (
            '<p role="alert">Please type a name to be known by, and choose an app.</p>'
            if (learner or app)
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


class MixedFlowsVoila(Voila):
    """Voila with the course's handlers."""

    def init_handlers(self) -> list:
        swap = {
            TornadoVoilaHandler: XsrfVoilaHandler,
            VoilaKernelWebsocketHandler: WidgetsOnlyWebsocketHandler,
        }
        handlers = [(h[0], swap.get(h[1], h[1]), *h[2:]) for h in super().init_handlers()]
        root = Path(self.root_dir)
        # Before Voila's catch-all routes.
        return [(f"{self.server_url.rstrip('/')}/join", JoinHandler, {"root": root}), *handlers]


main = MixedFlowsVoila.launch_instance

if __name__ == "__main__":
    main()
