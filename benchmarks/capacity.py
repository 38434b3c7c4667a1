"""Issue 16: the capacity plan, measured where it can be on this machine and computed from those
measurements where it cannot (hundreds or thousands of learners on JupyterHub).

Measured here, in this run:

- memory (RSS and USS, MB) of a learner's single-user server (``jupyterhub-singleuser`` is a
  Jupyter server: measured as ``jupyter server`` idle on loopback with the course's config);
- memory of an app kernel after its app is built (the boat, module 1; the reception centre,
  module 4, also after the learner's first move, which runs the simulation) beside an empty
  kernel, each kernel started as a course server starts it (the course's kernelspec, without
  the debugger) and measured alone;
- memory of the facilitator dashboard's kernel (one per open dashboard, in the service's pod);
- CPU seconds to grade one submission (module 1 boat) and for the kernel's store write;
- the store at a class's peak: ``store_load.run`` against a real PostgreSQL server (write latency
  p50/p95 under a burst of ``--learners`` learners, writes per second, lost, doubled).

Computed, with every assumption printed beside the arithmetic: nodes (of a stated size) and the
database for 500 and for 5,000 concurrent learners. Printed, never asserted. The figures quoted
in docs/capacity_plan.md come from this script.

Run: .venv/bin/python benchmarks/capacity.py [--learners 200] [--node-gb 32] [--node-cpus 8]
"""

from __future__ import annotations

import argparse
import math
import os
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import psutil
import store_load
from _common import ROOT, start_kernel
from kernel_memory import WARM

from mixedflows.server import serve

APPS = {
    "boat (module 1)": "from mixedflows.widgets.boat import boat_app\napp = boat_app()",
    "reception (module 4)": (
        "from mixedflows.widgets.reception import reception_app\napp = reception_app()"
    ),
    # The learner's first move runs the simulation (issue 16: it loaded numba and pandas).
    "reception, one move": (
        "from mixedflows.widgets.reception import ReceptionApp\napp = ReceptionApp()\n"
        "app.sliders['beds'].value += 10"
    ),
    # ...and on the largest season the app offers (Gulf of Aden 2012, about 107,000 people).
    "reception, largest season": (
        "from mixedflows.widgets.reception import ReceptionApp\napp = ReceptionApp()\n"
        "app.season.value = 'gulf_of_aden_yemen_2012'"
    ),
    "season on the route (m11)": (
        "from mixedflows.widgets.season import season_app\napp = season_app()"
    ),
}


DASHBOARD = (
    # The facilitator dashboard's page (widgets/facilitator_dashboard.ipynb): one kernel per
    # open dashboard, in the dashboard service's pod (deployment/z2jh/dashboard.yaml).
    "from mixedflows.widgets.dashboard import dashboard_app\ndashboard_app()\n"
    "from mixedflows.widgets.cooperation import room_panel\nroom_panel()\n"
    "from mixedflows.widgets.seats import seats_panel\nseats_panel()"
)


def mem(pid: int) -> tuple[float, float]:
    """RSS and USS (MB) of a process and its children (``python -m jupyter server`` runs the
    server as a child)."""
    proc = psutil.Process(pid)
    rss = uss = 0.0
    for p in [proc, *proc.children(recursive=True)]:
        m = p.memory_full_info()
        rss, uss = rss + m.rss / 2**20, uss + m.uss / 2**20
    return rss, uss


def kernel_memory(code: str) -> tuple[float, float]:
    """RSS and USS (MB) of a fresh python3 kernel, started as a course server starts it (the
    course's kernelspec, see benchmarks/kernel_memory.py), after running ``code``."""
    env = serve.environment({"MIXEDFLOWS_STORE": str(Path(tempfile.mkdtemp()) / "a.sqlite")})
    km, kc = start_kernel(env)
    try:
        if code:
            reply = kc.execute_interactive(code, timeout=300, output_hook=lambda msg: None)
            if reply["content"]["status"] != "ok":
                raise RuntimeError(f"kernel failed: {reply['content'].get('evalue')}")
        time.sleep(1.0)
        return mem(km.provisioner.process.pid)
    finally:
        kc.stop_channels()
        km.shutdown_kernel(now=True)


def server_memory() -> tuple[float, float]:
    """RSS and USS (MB) of an idle Jupyter server with the course's configuration."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    proc = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "jupyter",
            "server",
            "--no-browser",
            f"--port={port}",
            "--ServerApp.ip=127.0.0.1",
            "--ServerApp.token=capacity",
            "--allow-root",
        ],
        cwd=ROOT,
        env=serve.environment(),
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        deadline = time.monotonic() + 120
        while time.monotonic() < deadline:
            try:
                with socket.create_connection(("127.0.0.1", port), timeout=1):
                    break
            except OSError:
                time.sleep(0.5)
        time.sleep(3.0)
        if proc.poll() is not None:
            raise RuntimeError(f"jupyter server exited with {proc.returncode}")
        return mem(proc.pid)
    finally:
        proc.terminate()
        proc.wait(timeout=30)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--learners", type=int, default=200, help="learners in the store load test")
    ap.add_argument("--node-gb", type=float, default=32.0, help="memory of one node (GB)")
    ap.add_argument("--node-cpus", type=int, default=8, help="CPUs of one node")
    ap.add_argument("--apps-open", type=float, default=1.5, help="app kernels open per learner")
    ap.add_argument("--attempts", type=int, default=45, help="attempts per learner in a course")
    ap.add_argument("--pg-kb", type=float, default=7.0, help="KB per attempt in PostgreSQL")
    ap.add_argument(
        "--facilitators", type=int, default=4, help="dashboards open at once in the service's pod"
    )
    a = ap.parse_args()

    # The first views ./mfl and binder/postBuild keep at install, kept in another process (this
    # one must not map numpy's or pydantic's libraries: their pages would count as shared).
    subprocess.run([sys.executable, "-c", WARM], env=serve.environment(), check=True)
    print("MEASURED on this machine", f"({os.cpu_count()} cores)")
    srv = server_memory()
    print(
        f"  single-user server (jupyter server, idle)  RSS {srv[0]:6.0f} MB  USS {srv[1]:6.0f} MB"
    )
    empty = kernel_memory("")
    print(
        f"  empty kernel                               RSS {empty[0]:6.0f} MB  USS {empty[1]:6.0f} MB"
    )
    kernels = {}
    for name, code in APPS.items():
        kernels[name] = kernel_memory(code)
        r, u = kernels[name]
        print(
            f"  app kernel, {name:<28s}  RSS {r:6.0f} MB  USS {u:6.0f} MB"
            f"  ({u / empty[1]:.2f}x the empty kernel's USS)"
        )
    dash = kernel_memory(DASHBOARD)
    print(
        f"  dashboard kernel (facilitator)             RSS {dash[0]:6.0f} MB  USS {dash[1]:6.0f} MB"
    )
    _attempt, grade_first, grade_warm = store_load.real_attempt()
    print(
        f"  grading one submission (module 1)  CPU {grade_warm * 1000:.1f} ms warm, {grade_first * 1000:.1f} ms first"
    )
    load = store_load.run(learners=a.learners, rounds=4, interval=5.0, processes=4, resend_every=50)
    print(
        f"  store at a burst of {a.learners} learners (PostgreSQL, durable): "
        f"{load['writes_per_s']:.1f} writes/s, p50 {load['p50']:.0f} ms, p95 {load['p95']:.0f} ms "
        f"(alone p50 {load['alone_p50']:.0f} ms), client CPU {load['cpu_ms']:.1f} ms/write, "
        f"lost {load['lost']}, doubled {load['doubled']}"
    )

    heavy = max(u for _, u in kernels.values())
    per_learner = srv[1] + a.apps_open * heavy
    usable = a.node_gb * 1024 * 0.8
    cpu_per_sub = grade_warm + load["cpu_ms"] / 1000
    print()
    print("ASSUMED (change with the options)")
    print(
        f"  a node has {a.node_gb:g} GB and {a.node_cpus} CPUs; 80% of its memory is for learners"
    )
    print(
        f"  a learner has {a.apps_open:g} app kernels open on average, each as heavy as the heaviest measured"
    )
    print(
        "  peak: every learner of a class submits within the same 10 s (the facilitator's 'submit now')"
    )
    print(
        f"  a course: {a.attempts} attempts per learner, {a.pg_kb:g} KB each in PostgreSQL (benchmarks/store_size.py)"
    )
    print("  USS is what each learner adds (shared library pages are counted once per node)")
    print(
        f"  up to {a.facilitators} facilitators have the dashboard open at once (the service's one pod)"
    )
    print()
    print("COMPUTED")
    print(
        f"  memory per learner = server USS {srv[1]:.0f} + {a.apps_open:g} x kernel USS {heavy:.0f} "
        f"= {per_learner:.0f} MB"
    )
    f = a.facilitators
    print(
        f"  dashboard pod memory request = server USS {srv[1]:.0f} + {f} x dashboard kernel USS "
        f"{dash[1]:.0f} = {srv[1] + f * dash[1]:.0f} MB"
    )
    print(
        f"  dashboard pod memory limit = server RSS {srv[0]:.0f} + {f} x dashboard kernel RSS "
        f"{dash[0]:.0f} = {srv[0] + f * dash[0]:.0f} MB"
    )
    per_node = math.floor(usable / per_learner)
    print(
        f"  learners per node by memory = floor({usable:.0f} MB / {per_learner:.0f} MB) = {per_node}"
    )
    for n in (500, 5000):
        nodes = math.ceil(n / per_node)
        peak = n / 10
        cpu_peak = peak * cpu_per_sub
        db = n * a.attempts * a.pg_kb / 1024
        print(f"  {n:,} concurrent learners:")
        print(
            f"    nodes = ceil({n} / {per_node}) = {nodes} (memory); {n * per_learner / 1024:.0f} GB in all"
        )
        print(
            f"    peak submissions = {n} / 10 s = {peak:.0f}/s; CPU = {peak:.0f} x {cpu_per_sub * 1000:.1f} ms = "
            f"{cpu_peak:.2f} CPU-seconds per second (of {nodes * a.node_cpus} CPUs)"
        )
        kept_up = peak <= load["offered"]
        print(
            f"    store writes at peak {peak:.0f}/s: "
            + (
                f"within the {load['offered']:.0f}/s offered in the load test above, which this "
                f"2-core machine's store kept up with (p95 {load['p95']:.0f} ms)"
                if kept_up
                else f"{peak / load['offered']:.1f}x the {load['offered']:.0f}/s the load test "
                "offered: not measured here; plan a database server with more cores, and "
                "measure it with benchmarks/store_load.py --learners N from a client node"
            )
        )
        print(f"    database: {n} x {a.attempts} x {a.pg_kb:g} KB = {db:,.0f} MB of attempts")


if __name__ == "__main__":
    main()
