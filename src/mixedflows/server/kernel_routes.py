"""The routes of one kernel, for its page only: ``/api/kernels/<id>`` (GET, DELETE), the
shutdown beacon of a closing tab and the kernel's websocket. Only the browser that opened the
kernel (its signed owner cookie) may use them; a ``DELETE`` or a beacon ends the kernel for
certain; the websocket lets through widget messages only (:data:`ALLOWED_FROM_PAGE`), each
binary frame checked against its length before it is read (:mod:`mixedflows.server.wire`),
at most :data:`PAGE_MESSAGES` a second and :data:`SOCKETS_PER_KERNEL` sockets a kernel, and
keeps the kernel's stderr and tracebacks off the page (to the server's log and the
facilitator's problem log).

Part of the course's Voila server (:mod:`mixedflows.server.voila_app`, which routes to them).
"""

from __future__ import annotations

import contextlib
import re
import secrets
import time
from typing import Any, ClassVar

import tornado.web

from mixedflows import problemlog
from mixedflows.server import compat, wire

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

BENIGN = ("No such comm",)
"""Kernel stderr that is kept off the page and logged, but is not a problem for the dashboard
(ipykernel's note when a closed tab's widget message arrives late)."""

OWNER_COOKIE = "mf_owner"


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
