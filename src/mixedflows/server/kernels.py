"""The kernel manager of the course's Voila server: a cap that holds, and kernels that belong
to the page that opened them.

- **The cap counts kernels being started.** The check and the reservation happen in one step
  of the IO loop, before the first ``await``: 30 requests arriving at once with a cap of 10
  start 10 kernels, not 30 (issue 11: 35 kernels with ``--max-kernels 10``). Voila's preheated
  pools start their kernels through the same method, so they are counted and capped too.
- **Participants first.** When a participant's page needs a kernel and the room is full, a
  preheated kernel no page has claimed (from the pool holding the most) is shut down and the
  page's kernel started in its place: preheated kernels of apps nobody is using no longer hold
  the room (cold trial of the guide's one-day plan: a cap of 50 filled by 7 apps' pools, 4 of
  12 participants opening the knowledge check told to wait). A refill of a pool (Voila starts
  one after each claim) never does so: at the cap it is refused, never taking a participant's
  place.
- **Kernels no page uses.** A kernel is given to a page; once the page is sent (or its client
  went away), a websocket must connect to it within ``MIXEDFLOWS_UNCONNECTED_CULL`` seconds
  (default 45), or it is shut down; and when the cap is reached, the oldest such kernel whose
  page was sent ``MIXEDFLOWS_EVICT_AFTER`` seconds ago (default :data:`EVICT_AFTER`, 15) makes
  way at once. Four plain GETs of an app's
  link held 4 places of a 10-kernel room for the 10 minutes of the idle cull (issue 11 cold
  trial). A kernel whose last websocket closed without the tab's shutdown beacon (a crashed
  or sleeping browser, lost wifi, a script that connects and drops) is treated the same from
  that moment: one client dropping sockets under fresh pseudonyms held a 4-kernel room for
  minutes (second cold trial). A page whose socket comes back within the grace keeps its
  kernel (Jupyter's page reconnects within seconds); after it, the page says its exercise
  restarted, and its draft is kept. Preheated kernels not yet given to a page are not
  concerned.
- **Owners.** Each kernel is recorded with the browser that opened it (a signed cookie, see
  :mod:`mixedflows.server.voila_app`); only that browser may use, shut down or delete it.
- **Every shutdown ends the process before the place is released**: the cull, a ``DELETE``
  and a closing tab's beacon alike (:meth:`CourseKernelManager.shutdown_for_page`). A
  shutdown that fails or hangs is logged and the kernel's process group killed; only then do
  its seat and its place in the room go (issue 11 leftovers: ``DELETE`` and the beacon called
  the plain shutdown, which released the seat even when it raised and left the kernel running).
- **What a kernel process writes to its stderr and stdout** (a traceback printed by a thread, a
  library's warning, a database's message with its URL) reaches the server's log only through
  the server, line by line, with the secrets of store URLs and tokens redacted
  (:class:`CourseServerKernelManager`); before, the kernel wrote straight into the log file.
"""

from __future__ import annotations

import asyncio
import contextlib
import os
import signal
import subprocess
import sys
import threading
import time
from collections.abc import Callable
from typing import IO, Any

import psutil
from jupyter_core.utils import ensure_async
from tornado.ioloop import PeriodicCallback
from traitlets import default

from mixedflows.server import compat
from mixedflows.server.compat import AsyncMappingKernelManager

UNCONNECTED_CULL = 45.0
"""Default seconds a kernel may wait, once its page is sent, for a websocket to connect."""
EVICT_AFTER = 15.0
"""Default seconds after its page was sent before a kernel no websocket connected to makes way
for a new page in a full room (a browser connects within a second or two of loading the page);
``MIXEDFLOWS_EVICT_AFTER`` sets it (the tests' rooms, which must not wait 15 s each time)."""


def _seconds(variable: str, default: float) -> float:
    """A number of seconds from the environment (``default`` when unset or not a number)."""
    try:
        return float(os.environ.get(variable, "") or default)
    except ValueError:
        return default


SHUTDOWN_WITHIN = 20.0
"""Seconds an ordinary kernel shutdown may take before its process group is killed."""


def _process_of(km: Any, kernel_id: str) -> tuple[int | None, int | None, Any]:
    """The kernel's process id, process group and ``Popen`` (jupyter_client's local provisioner
    starts each kernel in a session of its own); Nones when they cannot be read."""
    try:
        provisioner = km.get_kernel(kernel_id).provisioner
    except Exception:
        return None, None, None
    process = getattr(provisioner, "process", None)
    pid = getattr(provisioner, "pid", None) or getattr(process, "pid", None)
    return pid, getattr(provisioner, "pgid", None), process


def _gone(pid: int, process: Any) -> bool:
    if process is not None and hasattr(process, "poll"):
        with contextlib.suppress(Exception):
            if process.poll() is not None:
                return True
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return True
    except PermissionError:
        return False
    with contextlib.suppress(psutil.Error):  # a zombie (a child not reaped yet) is gone
        return psutil.Process(pid).status() == psutil.STATUS_ZOMBIE
    return False


async def _kill_and_reap(pid: int, pgid: int | None, process: Any, within: float = 10) -> bool:
    """Whether the kernel's process is gone: if it is not, SIGKILL to its process group (its
    own session: nothing else is in it) or to the process, then wait for it to end."""
    if _gone(pid, process):
        return True
    with contextlib.suppress(ProcessLookupError, PermissionError):
        if pgid and pgid != os.getpgid(0):
            os.killpg(pgid, signal.SIGKILL)
        else:
            os.kill(pid, signal.SIGKILL)
    deadline = time.monotonic() + within
    while time.monotonic() < deadline:
        if _gone(pid, process):
            return True
        await asyncio.sleep(0.1)
    return False


LINE_MAX = 64 * 1024
"""Longest line of a kernel's output passed on at once (a longer one is passed on in pieces)."""
_WRITE_LOCK = threading.Lock()


def _write_to_server_log(text: str) -> None:
    """One redacted piece of a kernel's output, into the server's own stderr (its log)."""
    with _WRITE_LOCK, contextlib.suppress(Exception):
        sys.stderr.write(text)
        sys.stderr.flush()


def redact_output(
    stream: IO[bytes], sink: Callable[[str], None] = _write_to_server_log
) -> threading.Thread:
    """Pass what a kernel process writes on ``stream`` (its stderr or stdout, a pipe) to
    ``sink`` line by line, each line redacted first (:func:`mixedflows.store.redact_secrets`:
    a store URL's password, ``password=``, ``token=``...), until the process closes it; the
    thread doing so (a daemon: it ends with the pipe)."""
    from mixedflows.store.backends import redact_secrets

    def run() -> None:
        with contextlib.suppress(Exception), stream:
            for line in iter(lambda: stream.readline(LINE_MAX), b""):
                text = redact_secrets(line.decode("utf-8", errors="replace"))
                sink(text if text.endswith("\n") else text + "\n")

    thread = threading.Thread(target=run, name="mixedflows-kernel-output", daemon=True)
    thread.start()
    return thread


class CourseServerKernelManager(compat.ServerKernelManager):
    """One kernel of the server: its process's stderr and stdout are pipes the server reads
    and passes on, redacted, to its own log (:func:`redact_output`), restarts included."""

    async def _async_launch_kernel(self, kernel_cmd: list[str], **kw: Any) -> None:
        kw["stderr"] = subprocess.PIPE
        kw["stdout"] = subprocess.PIPE
        await super()._async_launch_kernel(kernel_cmd, **kw)
        process = getattr(self.provisioner, "process", None)
        for stream in (getattr(process, "stderr", None), getattr(process, "stdout", None)):
            if stream is not None:
                redact_output(stream)


class KernelCapError(RuntimeError):
    """No kernel may start now: the machine holds as many as the facilitator allowed."""


class CourseKernelManager(AsyncMappingKernelManager):
    """jupyter_server's kernel manager, with a cap on live and starting kernels and owners."""

    @default("kernel_manager_class")
    def _default_kernel_manager_class(self) -> str:
        return f"{__name__}.CourseServerKernelManager"

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.max_kernels = int(os.environ.get("MIXEDFLOWS_MAX_KERNELS", "0") or 0)
        self._starting: set[str] = set()
        self.owners: dict[str, str] = {}
        self.refused = 0
        """How many kernel starts the cap refused (shown in the log)."""
        self.unconnected_cull = _seconds("MIXEDFLOWS_UNCONNECTED_CULL", UNCONNECTED_CULL)
        self.evict_after = _seconds("MIXEDFLOWS_EVICT_AFTER", EVICT_AFTER)
        self._waiting: dict[str, float | None] = {}
        """Kernels given to a page that no websocket has connected to yet: when the page was
        sent (None while it is being rendered)."""
        self._watch: PeriodicCallback | None = None
        self.culled_unconnected = 0
        self._dropped: set[str] = set()
        """Of those, the kernels whose websockets connected once and all closed."""
        self.seat_kernels: dict[tuple[str, str, str], str] = {}
        """The kernel each seat (session, pseudonym) has for each app: one at a time, so a
        participant opening an app in several tabs does not hold several places."""

    def live_or_starting(self) -> int:
        """Kernels running plus kernels being started (each counted once)."""
        return len(set(self.list_kernel_ids()) | self._starting)

    def at_cap(self) -> bool:
        return bool(self.max_kernels) and self.live_or_starting() >= self.max_kernels

    async def start_kernel(
        self, *, kernel_id: str | None = None, beyond_cap: bool = False, **kwargs: Any
    ) -> str:
        """Start a kernel, or raise :class:`KernelCapError` (``beyond_cap``: the facilitator's
        dashboard, started even in a full room)."""
        if kernel_id is not None and kernel_id in self:
            return await super().start_kernel(kernel_id=kernel_id, **kwargs)
        compat.forget_if_failed(self)  # a refill refused here must not break later shutdowns
        # No await between the check and the reservation: concurrent requests see each other.
        if self.at_cap() and not beyond_cap and not compat.in_pool_task(self):
            # A participant's page in a room full of kernels: a preheated kernel no page has
            # claimed (of the pool with the most) makes way for it; participants first.
            spare = compat.take_spare_kernel(self)
            if spare is not None:
                return await self._start_in_place_of(spare, kernel_id, **kwargs)
        if self.at_cap() and not beyond_cap:
            self.refused += 1
            self.log.warning(
                "kernel cap %s reached (%s running or starting): a kernel was not started "
                "(%s refused so far)",
                self.max_kernels,
                self.live_or_starting(),
                self.refused,
            )
            raise KernelCapError(f"at most {self.max_kernels} kernels")
        kernel_id = kernel_id or self.new_kernel_id()
        self._starting.add(kernel_id)
        try:
            return await super().start_kernel(kernel_id=kernel_id, **kwargs)
        finally:
            self._starting.discard(kernel_id)

    made_way = 0
    """How many preheated kernels were shut down to make way for a participant's page."""

    async def _start_in_place_of(self, spare: str, kernel_id: str | None, **kwargs: Any) -> str:
        """Shut down the preheated kernel ``spare`` (already out of its pool), then start this
        page's kernel in its place. The place is reserved for this page before the first
        ``await`` (a refill or another page cannot take it meanwhile; the count shows one more
        until the spare is gone), and the new kernel's process starts only once the spare's
        has ended, so the machine never runs more kernels than the cap."""
        kernel_id = kernel_id or self.new_kernel_id()
        self._starting.add(kernel_id)
        try:
            if not await self.shutdown_certainly(spare, "to make way for a participant"):
                self.refused += 1
                raise KernelCapError(f"at most {self.max_kernels} kernels")
            self.made_way += 1
            self.log.warning(
                "kernel cap %s reached: preheated kernel %s, which no page had claimed, was "
                "shut down to make way for a participant's page (%s so far)",
                self.max_kernels,
                spare,
                self.made_way,
            )
            return await super().start_kernel(kernel_id=kernel_id, **kwargs)
        finally:
            self._starting.discard(kernel_id)

    # -- kernels no page connected to ---------------------------------------------------------
    def page_started(self, kernel_id: str) -> None:
        """A page was given this kernel (started for it, or taken from the pool)."""
        if kernel_id:
            self._waiting.setdefault(kernel_id, None)
            if self._watch is None and self.unconnected_cull > 0:
                every = max(1000 * min(self.unconnected_cull / 3, 5.0), 200)
                self._watch = PeriodicCallback(self.cull_unconnected, every)
                self._watch.start()

    def page_delivered(self, kernel_id: str) -> None:
        """Its page is sent (or its client went away): the websocket should follow soon."""
        if kernel_id in self._waiting and self._waiting[kernel_id] is None:
            self._waiting[kernel_id] = time.monotonic()

    def page_connected(self, kernel_id: str) -> None:
        """A websocket of the page connected: the kernel is in use."""
        self._waiting.pop(kernel_id, None)
        self._dropped.discard(kernel_id)

    def page_disconnected(self, kernel_id: str) -> None:
        """The kernel's last websocket closed: unless one connects again within
        ``unconnected_cull`` seconds, the kernel is shut down (and in a full room it may make way
        after ``evict_after`` seconds), as a kernel whose page never connected."""
        if kernel_id and kernel_id in self and self.unconnected_cull > 0:
            self.page_started(kernel_id)
            self._waiting[kernel_id] = time.monotonic()
            self._dropped.add(kernel_id)

    def _unconnected(self, older_than: float) -> list[str]:
        now = time.monotonic()
        return [
            k
            for k, sent in sorted(self._waiting.items(), key=lambda kv: kv[1] or now)
            if sent is not None and now - sent >= older_than and k in self
        ]

    async def cull_unconnected(self) -> int:
        """Shut down the kernels whose page was sent ``unconnected_cull`` s ago and that no
        websocket connected to; how many."""
        stale = self._unconnected(self.unconnected_cull)
        for k in stale:
            await self._shutdown_unconnected(k, f"after {self.unconnected_cull:.0f} s")
        for k in [k for k in self._waiting if k not in self]:
            self._waiting.pop(k, None)  # shut down otherwise
        return len(stale)

    def seconds_until_evictable(self) -> float | None:
        """When the next kernel no websocket connected to may make way (0: now), or None."""
        if self.unconnected_cull <= 0:
            return None
        now, after = time.monotonic(), min(self.evict_after, self.unconnected_cull)
        waits = [max(0.0, after - (now - t)) for t in self._waiting.values() if t is not None]
        return min(waits) if waits else None

    async def evict_unconnected(self) -> bool:
        """In a full room: shut down the oldest kernel no websocket connected to (its page
        sent ``evict_after`` s ago or more), to make way for a page; whether one was."""
        if self.unconnected_cull <= 0:
            return False
        for k in self._unconnected(min(self.evict_after, self.unconnected_cull)):
            await self._shutdown_unconnected(k, "to make way in a full room")
            return True
        return False

    async def _shutdown_unconnected(self, kernel_id: str, why: str) -> None:
        if self._waiting.pop(kernel_id, "gone") == "gone":
            return  # another call took it
        dropped = kernel_id in self._dropped
        self._dropped.discard(kernel_id)
        if not await self.shutdown_certainly(kernel_id, why):
            # Still running: its place is not released, and the next round tries again.
            self._waiting[kernel_id] = time.monotonic() - self.unconnected_cull
            if dropped:
                self._dropped.add(kernel_id)
            return
        self.culled_unconnected += 1
        self.log.warning(
            "kernel %s shut down %s: %s (%s such kernel(s) so far)",
            kernel_id,
            why,
            "its page's websockets all closed and none came back"
            if dropped
            else "its page was sent but no websocket connected",
            self.culled_unconnected,
        )

    async def shutdown_for_page(self, kernel_id: str, why: str) -> bool:
        """A page's own request to end its kernel (``DELETE /api/kernels/<id>``, a closing
        tab's beacon): the kernel is asked to shut down as usual, and killed if it does not
        (:meth:`shutdown_certainly`); whether it is gone."""
        return await self.shutdown_certainly(kernel_id, why, now=False)

    async def shutdown_certainly(self, kernel_id: str, why: str = "", *, now: bool = True) -> bool:
        """Shut a kernel down, and make sure it is: when the ordinary shutdown fails (or takes
        longer than :data:`SHUTDOWN_WITHIN`), the failure is logged and the kernel's process
        group is killed; the kernel leaves the manager (its place in the room released) only
        once its process is gone. Whether it is gone. ``now=False`` asks the kernel to shut
        down first (jupyter_client then signals it); ``now=True`` kills it at once.

        Issue 11, third cold trial: 3 of 17 kernels logged as shut down kept running for about
        10 minutes, because the shutdown raised (see
        :func:`mixedflows.server.compat.drop_failed_pool_tasks`) and the error was swallowed."""
        compat.drop_failed_pool_tasks(self)
        if kernel_id not in self:
            return True
        pid, pgid, process = _process_of(self, kernel_id)
        try:
            await asyncio.wait_for(
                ensure_async(self.shutdown_kernel(kernel_id, now=now)), SHUTDOWN_WITHIN
            )
        except Exception as e:  # every failure is logged, then the kill
            self.log.warning(
                "kernel %s (%s): shutdown failed (%s: %s); killing its process %s",
                kernel_id,
                why or "shutdown",
                type(e).__name__,
                str(e)[:300] or "no message",
                pid or "(unknown)",
            )
        if pid and not await _kill_and_reap(pid, pgid, process):
            self.log.error(
                "kernel %s: its process %s could not be ended; its place stays taken",
                kernel_id,
                pid,
            )
            return False
        if kernel_id in self:  # the ordinary shutdown failed: forget it only now it is gone
            await self._forget(kernel_id)
        return True

    async def _forget(self, kernel_id: str) -> None:
        """Remove a kernel whose process is gone from the manager (and its pools)."""
        for name in ("stop_watching_activity", "stop_buffering"):
            with contextlib.suppress(Exception):
                getattr(self, name)(kernel_id)
        kernel = self._kernels.get(kernel_id)
        with contextlib.suppress(Exception):
            if kernel is not None:
                await ensure_async(kernel.cleanup_resources(restart=False))
        self._kernels.pop(kernel_id, None)
        for pool in compat._pools(self):
            for task in [t for t in pool if t.done() and not compat._failed(t)]:
                if task.result().get("kernel_id") == kernel_id:
                    pool.remove(task)
        self.owners.pop(kernel_id, None)
        self._waiting.pop(kernel_id, None)
        self._forget_seat(kernel_id)

    def set_seat(self, kernel_id: str, seat: tuple[str, str, str] | None) -> None:
        """Record ``kernel_id`` as the kernel of ``seat`` (session, pseudonym, app)."""
        if kernel_id and seat:
            self.seat_kernels[seat] = kernel_id

    def kernel_of_seat(self, seat: tuple[str, str, str] | None) -> str:
        """The running kernel this seat has for this app ('' when none)."""
        kernel_id = self.seat_kernels.get(seat, "") if seat else ""
        if kernel_id and kernel_id not in self:
            self.seat_kernels.pop(seat, None)
            return ""
        return kernel_id

    def _forget_seat(self, kernel_id: str) -> None:
        for seat in [s for s, k in self.seat_kernels.items() if k == kernel_id]:
            self.seat_kernels.pop(seat, None)

    def set_owner(self, kernel_id: str, owner: str) -> None:
        if kernel_id and owner:
            self.owners[kernel_id] = owner

    def owned_by(self, kernel_id: str, owner: str) -> bool:
        """Whether ``owner`` opened this kernel (False for a kernel no page has claimed)."""
        return bool(owner) and self.owners.get(kernel_id) == owner

    async def shutdown_kernel(self, kernel_id: str, *args: Any, **kwargs: Any) -> None:
        try:
            return await ensure_async(super().shutdown_kernel(kernel_id, *args, **kwargs))
        finally:
            if kernel_id not in self:
                # Gone: its owner, seat and place go with it. A shutdown that raised leaves
                # them: the kernel may still run (shutdown_certainly kills, then forgets it).
                self.owners.pop(kernel_id, None)
                self._waiting.pop(kernel_id, None)
                self._forget_seat(kernel_id)
