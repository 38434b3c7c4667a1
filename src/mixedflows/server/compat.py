"""Every private part of Voila 0.5 and jupyter_server 2 that the course's server relies on.

The server (:mod:`mixedflows.server.voila_app`) swaps some of Voila's handlers for its own and
looks into Voila's preheated kernel pools. None of that is public API, so it is all here, each
item saying what it assumes; after upgrading Voila or jupyter_server, check this file and run
``tests/test_server_*.py``, which exercise every item on a real server.
:func:`version_problems` says when the installed Voila or jupyter_server is outside the
versions this file was checked with (the server logs it when it starts).
"""

from __future__ import annotations

import asyncio
import functools
from typing import Any

from jupyter_server.services.contents.largefilemanager import LargeFileManager
from jupyter_server.services.kernels.handlers import KernelHandler
from jupyter_server.services.kernels.kernelmanager import (
    AsyncMappingKernelManager,
    ServerKernelManager,  # kernels.CourseServerKernelManager overrides _async_launch_kernel(cmd, **kw)
)
from voila.app import Voila
from voila.shutdown_kernel_handler import VoilaShutdownKernelHandler
from voila.static_file_handler import TemplateStaticFileHandler
from voila.tornado.contentshandler import VoilaContentsHandler
from voila.tornado.handler import TornadoVoilaHandler
from voila.tornado.kernel_websocket_handler import VoilaKernelWebsocketHandler
from voila.tornado.treehandler import TornadoVoilaTreeHandler

SUPPORTED = {"voila": ">=0.5.8,<0.6", "jupyter_server": ">=2.0,<3"}
"""The versions whose private parts this module was checked against."""


def version_problems() -> list[str]:
    """Installed Voila and jupyter_server versions outside :data:`SUPPORTED`."""
    from mixedflows.charts.compat import version_problems as check

    return check(SUPPORTED)


__all__ = [
    "AsyncMappingKernelManager",
    "KernelHandler",
    "LargeFileManager",
    "PoolChoice",
    "ServerKernelManager",
    "TemplateStaticFileHandler",
    "TornadoVoilaHandler",
    "TornadoVoilaTreeHandler",
    "Voila",
    "VoilaContentsHandler",
    "VoilaKernelWebsocketHandler",
    "VoilaShutdownKernelHandler",
    "claim_ready_first",
    "drop_failed_pool_tasks",
    "forget_if_failed",
    "in_pool_task",
    "pass_http_server_options",
    "set_xsrf_cookie_on_voila_pages",
    "spare_kernels",
    "swap_handlers",
    "take_spare_kernel",
    "version_problems",
]


def swap_handlers(handlers: list, swap: dict[type, type | None]) -> list:
    """Voila's ``init_handlers()`` returns tornado rules ``(pattern, handler[, kwargs])``;
    replace the handler classes named in ``swap`` (None: drop the rule)."""
    out = []
    for rule in handlers:
        new = swap.get(rule[1], rule[1])
        if new is not None:
            out.append((rule[0], new, *rule[2:]))
    return out


def claim_ready_first(kernel_manager: Any, notebook: str) -> bool:
    """Whether Voila's preheated pool for ``notebook`` holds a kernel that is started now.

    Voila keeps each pool as a list of asyncio tasks (``VoilaKernelManager._pools``) and hands
    out ``pool.pop(0)``, awaiting it however long it takes. A claimed kernel is replaced
    ``fill_delay`` seconds later by a task that first sleeps, so a page served from the pool in
    that window waited on a blank screen for minutes (issue 11: 5 tabs, about 128 s). Here
    failed tasks are dropped, a started kernel is moved to the front, and False says the page
    must not wait on the pool.
    """
    pool = getattr(kernel_manager, "_pools", {}).get(notebook)
    if not pool:
        return False
    drop_failed_pool_tasks(kernel_manager)
    ready = [t for t in pool if t.done()]
    if not ready:
        return False
    pool.remove(ready[0])
    pool.insert(0, ready[0])
    return True


def _failed(task: asyncio.Task) -> bool:
    return task.done() and (task.cancelled() or task.exception() is not None)


def drop_failed_pool_tasks(kernel_manager: Any) -> int:
    """Remove from Voila's preheated pools every task that ended without a kernel (a refill the
    kernel cap refused, a kernel that failed to start); how many.

    Voila's ``VoilaKernelManager.shutdown_kernel`` looks for the kernel in its pools with
    ``f.done() and f.result()...``: a failed task there re-raises its error, so *every* shutdown
    failed (before the kernel was touched) while one sat in a pool. Under load, a refill the cap
    refused ("kernel cap N reached ... a kernel was not started", then Voila's "Kernel pool ...
    filled", which it logs for failed tasks too) kept kernels logged as shut down running until
    the 10-minute idle cull, holding places in the room (issue 11, third cold trial)."""
    dropped = 0
    for pool in getattr(kernel_manager, "_pools", {}).values():
        for task in [t for t in pool if _failed(t)]:
            pool.remove(task)
            dropped += 1
    return dropped


def forget_if_failed(kernel_manager: Any) -> None:
    """Called by a kernel start: when the start runs inside a task of Voila's pools (a refill),
    that task leaves its pool as soon as it ends without a kernel (see
    :func:`drop_failed_pool_tasks`), so no later shutdown meets it."""
    task = asyncio.current_task()
    if task is not None and any(task in pool for pool in _pools(kernel_manager)):
        task.add_done_callback(lambda _t: drop_failed_pool_tasks(kernel_manager))


def _pools(kernel_manager: Any) -> list[list]:
    return list(getattr(kernel_manager, "_pools", {}).values())


def in_pool_task(kernel_manager: Any) -> bool:
    """Whether the running coroutine is a task of Voila's pools (a preheat or a refill
    starting a kernel), not a page's request."""
    task = asyncio.current_task()
    return task is not None and any(task in pool for pool in _pools(kernel_manager))


def _spare(pool: list) -> list[asyncio.Task]:
    return [t for t in pool if t.done() and not _failed(t)]


def spare_kernels(kernel_manager: Any) -> int:
    """How many preheated kernels are started and not given to any page (every pool)."""
    return sum(len(_spare(pool)) for pool in _pools(kernel_manager))


def take_spare_kernel(kernel_manager: Any) -> str | None:
    """Take one started, unclaimed kernel out of Voila's pools, from the pool holding the most
    of them (its pre-rendering task cancelled), and return its id for the caller to shut
    down; None when no pool has one. Once out of its pool no page can be given it, and Voila
    does not refill a pool for a kernel taken this way (it refills on a claim only)."""
    drop_failed_pool_tasks(kernel_manager)
    pools = [p for p in _pools(kernel_manager) if _spare(p)]
    if not pools:
        return None
    pool = max(pools, key=lambda p: len(_spare(p)))
    task = _spare(pool)[-1]
    pool.remove(task)
    content = task.result()
    render = content.get("task")
    if render is not None and not render.done():
        render.cancel()
    return content.get("kernel_id")


class PoolChoice:
    """Mixin for Voila's page handler: the handler decides per request whether to serve from
    the pool (``self.use_pool``), instead of Voila's rule (any pool task, even one still
    sleeping before it starts a kernel). Voila 0.5 calls ``should_use_rendered_notebook``
    from ``VoilaHandler.get_generator``."""

    use_pool: bool = False

    def should_use_rendered_notebook(self, *args: Any, **kwargs: Any) -> bool:
        return self.use_pool


def pass_http_server_options(app: Any, **options: Any) -> None:
    """Voila's ``listen()`` calls ``self.app.listen(port, ip)`` with tornado's defaults; make
    that call pass ``options`` to tornado's HTTPServer (``max_header_size`` and the like)."""
    listen = app.listen

    @functools.wraps(listen)
    def with_options(port: int, address: str = "", **kwargs: Any) -> Any:
        return listen(port, address, **{**options, **kwargs})

    app.listen = with_options


def pool_tasks(kernel_manager: Any) -> list[asyncio.Task]:
    """Every task of every preheated pool (for counting in tests and benchmarks)."""
    return [t for pool in getattr(kernel_manager, "_pools", {}).values() for t in pool]


_PATCHED = "_mixedflows_sets_xsrf_cookie"


def set_xsrf_cookie_on_voila_pages() -> bool:
    """Make Voila's page handler (the server extension's) set the ``_xsrf`` cookie when it
    renders a page; whether it does now. Idempotent. Patched on the class because Voila's
    extension adds its routes after this one loads (extensions load in alphabetical order)."""
    if getattr(TornadoVoilaHandler.get, _PATCHED, False):
        return True
    voila_get = TornadoVoilaHandler.get

    @functools.wraps(voila_get)
    async def get(self: Any, *args: Any, **kwargs: Any) -> Any:
        _ = self.xsrf_token  # sets the _xsrf cookie that the page's shutdown beacon sends back
        return await voila_get(self, *args, **kwargs)

    setattr(get, _PATCHED, True)
    TornadoVoilaHandler.get = get
    return True
