"""Issues 13, 14 and 16: what each app's kernel costs when its page opens, beside an empty kernel.

For each app, a fresh python3 kernel started as a course server starts it (the kernelspec on
``serve.environment()``'s JUPYTER_PATH: the course's ``share/jupyter/kernels/python3``, which
runs ``mixedflows.server.kernel``, without the debugger) runs the app notebook's cell (the app
built, its first view drawn, the learner's draft read) and is then measured: wall and CPU
seconds of that cell, and the kernel's USS (the memory only it holds; target <= 60 MB, issue 16)
and RSS, and how much of that USS is clean pages of library files (numpy's, pydantic_core's:
``files``), which a second kernel of the same course would share. The reception app is also
measured after one control moved (the simulation loaded) and on its largest season. The memos
binder/postBuild keeps at install (the reception's first season, the boat's and the desk's first
persons, module 6's files) are kept first, in another process. ``--before DIR`` (a copy of the
course at an earlier commit, for example ``git archive COMMIT | tar -x -C DIR``) measures the
same cells as that copy runs them (its own share/jupyter and src, its memos kept the same way),
in the same rounds. Kernels are measured one at a time, so no other kernel (nor this process)
shares their pages. ``--beside`` also measures each cell's kernel while a second kernel that ran
the same cell is alive: its USS then leaves out the library pages the two share (what one more
learner's kernel of that app adds where another has it open). Medians over ``--rounds``; the
load average is printed with them. Printed, never asserted.

Run: .venv/bin/python benchmarks/kernel_memory.py [--rounds 3] [--before DIR] [--beside]
"""

from __future__ import annotations

import argparse
import os
import re
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import psutil
from _common import start_kernel

from mixedflows.server import serve

APPS = {
    "empty": "1 + 1",
    "boat (m1)": "from mixedflows.widgets.boat import boat_app\nboat_app()",
    "screening desk (m5)": "from mixedflows.widgets.screening_desk import desk_app\ndesk_app()",
    "reception (m4)": "from mixedflows.widgets.reception import reception_app\nreception_app()",
    "reception after a move": (
        "from mixedflows.widgets.reception import ReceptionApp\napp = ReceptionApp()\n"
        "app.sliders['beds'].value += 10"
    ),
    # ...and on the largest season the app offers (Gulf of Aden 2012, about 107,000 people).
    "reception largest season": (
        "from mixedflows.widgets.reception import ReceptionApp\napp = ReceptionApp()\n"
        "app.season.value = 'gulf_of_aden_yemen_2012'"
    ),
    "policy lab (m8)": "from mixedflows.widgets.policy_lab import policy_lab_app\npolicy_lab_app()",
    "flow explorer (m2)": (
        "from mixedflows.widgets.flow_explorer import flow_explorer_app\nflow_explorer_app()"
    ),
    "after arrival (m7)": (
        "from mixedflows.widgets.casework import after_arrival_app\nafter_arrival_app()"
    ),
    "stranded (m6)": "from mixedflows.widgets.casework import stranded_app\nstranded_app()",
    "season (m11)": "from mixedflows.widgets.season import season_app\nseason_app()",
}

WARM = (
    "from mixedflows.widgets import boat, casework, reception, screening_desk\n"
    "for app in (reception, boat, screening_desk, casework):\n"
    "    getattr(app, 'warm_first_view', lambda: None)()"
)
"""What binder/postBuild runs at install: the memos of the reception page's first season, of
the boat's and the desk's first persons and of module 6's files (a copy without one is not
asked)."""


def clean_mb(pid: int) -> float:
    """MB of the process's own pages that are clean (Linux's ``smaps_rollup``): pages of the
    library files it maps that no other process maps just now (numpy's, pydantic_core's, ...),
    read from disk and not written. They count in USS measured alone, but a second kernel
    mapping the same files shares them, and the system can drop them and read them again; the
    rest of USS is the kernel's own written memory (its heap and Python's objects)."""
    try:
        text = Path(f"/proc/{pid}/smaps_rollup").read_text()
    except OSError:
        return float("nan")
    kb = sum(int(x) for x in re.findall(r"^Private_Clean:\s+(\d+) kB", text, re.M))
    return kb / 1024


def measure(code: str, env: dict[str, str]) -> tuple[float, float, float, float, float]:
    """Wall and CPU seconds of ``code`` in a fresh kernel, then its USS and RSS (MB), and the
    part of its USS that is clean pages of library files (:func:`clean_mb`)."""
    store = Path(tempfile.mkdtemp()) / "a.sqlite"
    km, kc = start_kernel({**env, "MIXEDFLOWS_STORE": str(store)})
    try:
        proc = psutil.Process(km.provisioner.process.pid)
        c0, t0 = sum(proc.cpu_times()[:2]), time.perf_counter()
        reply = kc.execute_interactive(code, timeout=600, output_hook=lambda msg: None)
        wall, cpu = time.perf_counter() - t0, sum(proc.cpu_times()[:2]) - c0
        if reply["content"]["status"] != "ok":
            raise RuntimeError(f"kernel failed: {reply['content'].get('evalue')}")
        time.sleep(0.5)
        m = proc.memory_full_info()
        return wall, cpu, m.uss / 2**20, m.rss / 2**20, clean_mb(proc.pid)
    finally:
        kc.stop_channels()
        km.shutdown_kernel(now=True)


def beside(code: str, env: dict[str, str]) -> float:
    """USS (MB) of a fresh kernel that ran ``code`` while a second kernel that ran the same cell
    is alive: what one more learner's kernel of that app adds on a server or node where another
    has it open (the pages of the library files they both map are shared, not counted)."""
    kernels = []
    try:
        for _ in range(2):
            store = Path(tempfile.mkdtemp()) / "a.sqlite"
            km, kc = start_kernel({**env, "MIXEDFLOWS_STORE": str(store)})
            kernels.append((km, kc))
            reply = kc.execute_interactive(code, timeout=600, output_hook=lambda msg: None)
            if reply["content"]["status"] != "ok":
                raise RuntimeError(f"kernel failed: {reply['content'].get('evalue')}")
        time.sleep(0.5)
        km = kernels[-1][0]
        return psutil.Process(km.provisioner.process.pid).memory_full_info().uss / 2**20
    finally:
        for km, kc in kernels:
            kc.stop_channels()
            km.shutdown_kernel(now=True)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--rounds", type=int, default=3)
    ap.add_argument("--before", type=Path, help="a copy of the course at an earlier commit")
    ap.add_argument("--apps", default="", help="comma-separated names (default: all)")
    ap.add_argument(
        "--beside",
        action="store_true",
        help="also each app's USS beside a second kernel of the same cell (its libraries shared)",
    )
    a = ap.parse_args()
    names = [n for n in APPS if not a.apps or n in a.apps.split(",")]
    copies: dict[str, dict[str, str]] = {"now": serve.environment()}
    if a.before is not None:
        code = a.before.resolve()
        copies["before"] = {
            **os.environ,
            "PYTHONPATH": str(code / "src"),
            "MIXEDFLOWS_HOME": str(code),
            "JUPYTER_PATH": str(code / "share" / "jupyter"),
        }
    for env in copies.values():
        subprocess.run([sys.executable, "-c", WARM], env=env, check=True, capture_output=True)
    res: dict[tuple[str, str], list[tuple[float, float, float, float, float]]] = {}
    two: dict[tuple[str, str], list[float]] = {}
    for r in range(a.rounds):
        for name in names:
            for copy, env in copies.items():
                res.setdefault((copy, name), []).append(measure(APPS[name], env))
                if a.beside:
                    two.setdefault((copy, name), []).append(beside(APPS[name], env))
        print(f"round {r + 1} done; load average {os.getloadavg()}", flush=True)
    print(f"median of {a.rounds} rounds; load average now {os.getloadavg()}")
    for name in names:
        for copy in copies:
            v = res[(copy, name)]
            wall, cpu, uss, rss, clean = (statistics.median(x[i] for x in v) for i in range(5))
            print(
                f"  {name:24s} {copy:6s} cell wall {wall:5.2f} s  CPU {cpu:5.2f} s  "
                f"USS {uss:5.0f} MB (files {clean:3.0f})  RSS {rss:5.0f} MB"
                + (
                    f"  beside a second: USS {statistics.median(two[(copy, name)]):3.0f} MB"
                    if a.beside
                    else ""
                )
            )


if __name__ == "__main__":
    main()
