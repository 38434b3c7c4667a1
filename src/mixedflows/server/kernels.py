"""The kernel manager of the course's Voila server: a cap that holds, and kernels that belong
to the page that opened them.

- **The cap counts kernels being started.** The check and the reservation happen in one step
  of the IO loop, before the first ``await``: 30 requests arriving at once with a cap of 10
  start 10 kernels, not 30 (issue 11: 35 kernels with ``--max-kernels 10``). Voila's preheated
  pools start their kernels through the same method, so they are counted and capped too.
- **Owners.** Each kernel is recorded with the browser that opened it (a signed cookie, see
  :mod:`mixedflows.server.voila_app`); only that browser may use, shut down or delete it.
"""

from __future__ import annotations

import os
from typing import Any

from jupyter_core.utils import ensure_async

from mixedflows.server.compat import AsyncMappingKernelManager


class KernelCapError(RuntimeError):
    """No kernel may start now: the machine holds as many as the facilitator allowed."""


class CourseKernelManager(AsyncMappingKernelManager):
    """jupyter_server's kernel manager, with a cap on live and starting kernels and owners."""

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.max_kernels = int(os.environ.get("MIXEDFLOWS_MAX_KERNELS", "0") or 0)
        self._starting: set[str] = set()
        self.owners: dict[str, str] = {}
        self.refused = 0
        """How many kernel starts the cap refused (shown in the log)."""

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
        # No await between the check and the reservation: concurrent requests see each other.
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
            self.owners.pop(kernel_id, None)
