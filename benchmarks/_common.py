"""Shared helpers for benchmarks: the test harness's servers and browser, plus statistics."""

from __future__ import annotations

import os
import statistics
import sys
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tests"))

_HARNESS = (
    "PageWatch",
    "VoilaServer",
    "apps_root",
    "launch_chromium",
    "voila_server",
    "wait_rendered",
)


def __getattr__(name: str) -> Any:
    """The test harness's servers and browser, imported when a benchmark first asks for one
    (the store's benchmark needs none of them, so it also runs against an older copy of the
    course, whose package the harness of this one does not fit)."""
    if name not in _HARNESS:
        raise AttributeError(name)
    try:
        import harness
    except ModuleNotFoundError as e:  # the course installed by ./mfl start, not the test tools
        sys.exit(
            f"the benchmarks use the test tools ({e.name} is not installed here): run the test "
            "command once (./mfl test, see the README), which installs them, then this again"
        )
    return getattr(harness, name)


__all__ = ["ROOT", "pct", "start_kernel", "wait_shown", *_HARNESS]


# Whether an element matching the selector is visible, as Playwright judges it (a non-empty box,
# not visibility: hidden)
_SHOWN = """selector => [...document.querySelectorAll(selector)].some(el => {
    const box = el.getBoundingClientRect();
    return box.width > 0 && box.height > 0 && getComputedStyle(el).visibility !== "hidden";
})"""


def wait_shown(page: Any, selector: str, timeout: float = 300_000) -> None:
    """Wait until an element matching ``selector`` is visible, looked for at every frame the
    page draws. Not ``wait_rendered`` for a time to measure: Playwright's ``wait_for_selector``
    looks again after 0, 20, 100, 100 and then every 500 ms, so a page shown at 1.55 s was
    timed at about 2.0 s and every time to interactive fell on a 0.5 s step (2 December 2026,
    a quiet machine: 1.48-1.50, 1.90-2.03, 2.33-2.61 s)."""
    page.wait_for_function(_SHOWN, arg=selector, polling="raf", timeout=timeout)


def pct(values: list[float], q: float) -> float:
    """The q-th percentile (0-100) by linear interpolation."""
    if len(values) == 1:
        return values[0]
    return (
        statistics.quantiles(sorted(values), n=100, method="inclusive")[int(q) - 1]
        if (0 < q < 100)
        else (min(values) if q <= 0 else max(values))
    )


def start_kernel(env: dict[str, str], timeout: float = 120) -> tuple[Any, Any]:
    """A python3 kernel as a course server starts it (its manager and a started client): the
    kernelspec found on ``env``'s JUPYTER_PATH, as the server of ``serve.environment()`` finds it
    (the course's ``share/jupyter/kernels/python3``: ``mixedflows.server.kernel``, no debugger),
    run with ``env``. Without the course's folder on that path, ipykernel's own spec."""
    from jupyter_client.kernelspec import KernelSpecManager
    from jupyter_client.manager import KernelManager

    def kernels(environ: dict[str, str] | os._Environ[str]) -> list[str]:
        paths = environ.get("JUPYTER_PATH", "").split(os.pathsep)
        return [os.path.join(p, "kernels") for p in paths if p]

    ksm = KernelSpecManager()  # its default folders less this process's JUPYTER_PATH: env's
    ksm.kernel_dirs = kernels(env) + [d for d in ksm.kernel_dirs if d not in kernels(os.environ)]
    km = KernelManager(kernel_name="python3", kernel_spec_manager=ksm)
    km.start_kernel(env=env)
    kc = km.client()
    kc.start_channels()
    try:
        kc.wait_for_ready(timeout=timeout)
    except RuntimeError:
        kc.stop_channels()
        km.shutdown_kernel(now=True)
        raise
    return km, kc
