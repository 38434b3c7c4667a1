"""Issue 6 benchmark: a room of participants opening an app at once, on this 2-core machine.

Two servers in the same run, each serving widgets/ on 127.0.0.1:

- **course**: ``./mfl facilitate --participants N`` as the course runs it: the Mixed Flows Voila
  server with the session's app preheated (Voila kernel pools, filled before the room arrives),
  the kernel-freeing template and the kernel cap;
- **plain**: ``voila widgets/`` with default settings (no pool; Voila's lab template).

For each: N Chromium pages open the app at the same moment (asyncio, one browser); the time
until each page's app is interactive (p50, p95, max), errors (failed or off-machine requests,
console errors, pages that never became interactive), and memory per kernel (RSS and USS).
Also printed, to show where start-up and memory go: the import time of the app's modules and
the memory of a bare kernel (empty notebook) against the app's kernel.

Run: .venv/bin/python benchmarks/classroom.py [--participants 30] [--app who_is_in_the_boat.ipynb]
"""

from __future__ import annotations

import argparse
import asyncio
import re
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import psutil
from _common import ROOT, VoilaServer, pct
from harness import CHROMIUM, CHROMIUM_ARGS, LOOPBACK, free_port

from mixedflows.server import serve

SELECTORS = {
    "who_is_in_the_boat.ipynb": "button.mf-submit",
    "screening_desk.ipynb": "button.mf-desk-submit",
}


def plain_voila(store: Path) -> VoilaServer:
    """Voila 0.5 with default settings, serving the same folder."""
    srv = VoilaServer(store=store)
    cmd = [
        sys.executable,
        "-m",
        "voila",
        str(ROOT / "widgets"),
        "--no-browser",
        f"--port={srv.port}",
        "--Voila.ip=127.0.0.1",
    ]
    env = serve.environment({"MIXEDFLOWS_STORE": str(store)})
    srv.log_path = store.with_suffix(".plain.log")
    srv.proc = subprocess.Popen(
        cmd,
        env=env,
        stdout=srv.log_path.open("w"),
        stderr=subprocess.STDOUT,
        start_new_session=True,
    )
    _wait_up(srv)
    return srv


def course_voila(store: Path, participants: int, app: str) -> VoilaServer:
    session = serve.ClassSession(
        code="bench", apps=(app,), pool=participants, max_kernels=participants + 20
    )
    srv = VoilaServer(store=store, session=session)
    srv.start()
    return srv


def _wait_up(srv: VoilaServer, timeout: float = 60) -> None:
    import urllib.request

    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            urllib.request.urlopen(srv.url + "/", timeout=2).read()
            return
        except OSError:
            time.sleep(0.2)
    raise TimeoutError(srv.log())


def wait_pool(srv: VoilaServer, n: int, timeout: float = 600) -> float:
    """Wait until n kernels exist and the machine has been quiet for 6 s (the pool rendered)."""
    t0 = time.monotonic()
    while len(srv.kernel_pids()) < n and time.monotonic() - t0 < timeout:
        time.sleep(1)
    quiet = 0
    while quiet < 3 and time.monotonic() - t0 < timeout:
        quiet = quiet + 1 if psutil.cpu_percent(interval=2) < 10 else 0
    return time.monotonic() - t0


async def open_room(url_for, n: int, selector: str) -> tuple[list[float], list[str]]:
    from playwright.async_api import async_playwright

    times: list[float] = []
    errors: list[str] = []
    async with async_playwright() as p:
        browser = await p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)

        async def one(i: int) -> None:
            ctx = await browser.new_context()
            page = await ctx.new_page()
            page.on(
                "console",
                lambda m: m.type == "error" and errors.append(f"p{i} console: {m.text[:120]}"),
            )
            page.on("requestfailed", lambda r: errors.append(f"p{i} failed: {r.url[:100]}"))

            async def route(r):
                if r.request.url.startswith(LOOPBACK) or r.request.url.startswith("data:"):
                    await r.continue_()
                else:
                    await r.abort()

            await page.route("**/*", route)
            t0 = time.perf_counter()
            try:
                await page.goto(url_for(i), wait_until="commit", timeout=300_000)
                await page.wait_for_selector(selector, state="visible", timeout=300_000)
                times.append(time.perf_counter() - t0)
            except Exception as e:  # a page that never became interactive is an error
                errors.append(f"p{i} not interactive: {type(e).__name__}")

        await asyncio.gather(*(one(i) for i in range(n)))
        await browser.close()
    return times, errors


async def fetch_room(url_for, n: int) -> tuple[list[float], list[str]]:
    """N simulated participants at once: each GETs the app page (Voila streams it while the
    notebook runs, so the end of the body means the widgets exist), then opens the page's kernel
    websocket and waits for the kernel's reply, as the page's widget manager does first. The
    time until that reply is when the app is interactive as far as the server is concerned;
    what is left is the participant's own browser drawing the page."""
    import json
    import urllib.request

    import websockets

    async def one(i: int) -> float:
        t0 = time.perf_counter()

        def get() -> tuple[str, str]:
            with urllib.request.urlopen(url_for(i), timeout=600) as r:
                cookies = "; ".join(c.split(";")[0] for c in r.headers.get_all("Set-Cookie") or [])
                return r.read().decode(), cookies

        body, cookies = await asyncio.to_thread(get)
        m = re.search(
            r'<script id="jupyter-config-data" type="application/json">\s*(\{.*?\})'
            r"\s*</script>",
            body,
            re.S,
        )
        if not m or "application/vnd.jupyter.widget-view+json" not in body:
            raise RuntimeError(f"page without the app ({len(body)} bytes): {body[-300:]!r}")
        kernel = json.loads(m.group(1))["kernelId"]
        host = url_for(i).split("/")[2]
        ws_url = f"ws://{host}/api/kernels/{kernel}/channels"
        async with websockets.connect(
            ws_url, additional_headers={"Cookie": cookies}, open_timeout=120, max_size=None
        ) as ws:
            msg_id = f"bench-{i}"
            await ws.send(
                json.dumps(
                    {
                        "header": {
                            "msg_id": msg_id,
                            "msg_type": "kernel_info_request",
                            "username": "bench",
                            "session": msg_id,
                            "version": "5.3",
                            "date": "2026-01-01T00:00:00Z",
                        },
                        "parent_header": {},
                        "metadata": {},
                        "content": {},
                        "channel": "shell",
                        "buffers": [],
                    }
                )
            )
            while True:
                reply = json.loads(await asyncio.wait_for(ws.recv(), 300))
                if (
                    reply.get("parent_header", {}).get("msg_id") == msg_id
                    and reply["header"]["msg_type"] == "kernel_info_reply"
                ):
                    break
        return time.perf_counter() - t0

    results = await asyncio.gather(*(one(i) for i in range(n)), return_exceptions=True)
    times = [r for r in results if isinstance(r, float)]
    errors = [f"p{i}: {r!r}"[:160] for i, r in enumerate(results) if not isinstance(r, float)]
    return times, errors


def cpu_seconds(pids: list[int]) -> float:
    total = 0.0
    for pid in pids:
        try:
            t = psutil.Process(pid).cpu_times()
            total += t.user + t.system + t.children_user + t.children_system
        except psutil.Error:
            pass
    return total


def tree(pid: int) -> list[int]:
    try:
        p = psutil.Process(pid)
        return [pid] + [c.pid for c in p.children(recursive=True)]
    except psutil.Error:
        return []


def chromium_pids() -> list[int]:
    return [p.pid for p in psutil.process_iter(["name"]) if "chrom" in (p.info["name"] or "")]


def kernel_memory(srv: VoilaServer) -> tuple[float, float, int]:
    rss, uss = [], []
    for pid in srv.kernel_pids():
        try:
            m = psutil.Process(pid).memory_full_info()
        except psutil.Error:
            continue
        rss.append(m.rss / 2**20)
        uss.append(m.uss / 2**20)
    if not rss:
        return 0.0, 0.0, 0
    return statistics.mean(rss), statistics.mean(uss), len(rss)


def import_profile(module: str, top: int = 6) -> str:
    err = subprocess.run(
        [sys.executable, "-X", "importtime", "-c", f"import {module}"],
        capture_output=True,
        text=True,
        check=True,
    ).stderr
    rows = []
    for line in err.splitlines():
        m = re.match(r"import time:\s+(\d+) \|\s+(\d+) \|(\s*)(\S+)", line)
        if m and len(m.group(3)) <= 3:
            rows.append((int(m.group(2)), m.group(4)))
    rows.sort(reverse=True)
    return ", ".join(f"{name} {us / 1000:.0f} ms" for us, name in rows[:top])


def report(name: str, times: list[float], errors: list[str], mem, n: int) -> float:
    rss, uss, k = mem
    p95 = pct(times, 95) if times else float("nan")
    print(
        f"{name:>6}: {len(times)}/{n} interactive; p50 {statistics.median(times):.1f} s, "
        f"p95 {p95:.1f} s, max {max(times):.1f} s; errors {len(errors)}; "
        f"{k} kernels, per kernel RSS {rss:.0f} MB, USS {uss:.0f} MB "
        f"(total RSS {rss * k / 1024:.1f} GB)"
        if times
        else f"{name}: nothing rendered"
    )
    for e in errors[:5]:
        print(f"        {e}")
    return p95


def run_room(
    kind: str, phase: str, n: int, app: str, selector: str, tmp: Path, browsers: int
) -> float:
    store = tmp / f"{kind}-{phase}.sqlite"
    srv = course_voila(store, n, app) if kind == "course" else plain_voila(store)
    try:
        if kind == "course":
            filled = wait_pool(srv, n)
            if phase == "http":
                idle = kernel_memory(srv)
                print(
                    f"course: pool of {n} preheated in {filled:.0f} s before the room "
                    f"arrives; idle preheated kernel RSS {idle[0]:.0f} MB, USS {idle[1]:.0f} MB"
                )

        def url(i: int) -> str:
            if kind == "course":
                return srv.app_url(app, session="bench", learner=f"p{i}")
            return srv.app_url(app)

        if phase == "http":
            times, errors = asyncio.run(fetch_room(url, n))
            return report(
                f"{kind}, simulated participants (page + kernel reply)",
                times,
                errors,
                kernel_memory(srv),
                n,
            )
        server_pids = tree(srv.proc.pid)
        before_srv, before_web = cpu_seconds(server_pids), cpu_seconds(chromium_pids())
        times, errors = asyncio.run(open_room(url, browsers, selector))
        mem = kernel_memory(srv)
        used_srv = cpu_seconds(tree(srv.proc.pid)) - before_srv
        used_web = max(cpu_seconds(chromium_pids()) - before_web, 0.0)
        p95 = report(
            f"{kind}, {browsers} Chromium pages at once (app drawn)", times, errors, mem, browsers
        )
        print(
            f"        CPU while the room opened: server and kernels {used_srv:.0f} s, "
            f"the participants' Chromium {used_web:.0f} s (2 cores shared by both here)"
        )
        return p95
    finally:
        srv.stop()
        time.sleep(3)


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--participants", type=int, default=30)
    ap.add_argument("--app", default="screening_desk.ipynb")
    ap.add_argument(
        "--browsers",
        type=int,
        default=10,
        help="real Chromium pages opened at once (each costs this machine's CPU "
        "what a participant's own laptop would pay)",
    )
    ap.add_argument(
        "--phases",
        default="http,browser",
        help="http (simulated participants), browser (Chromium pages), or both",
    )
    args = ap.parse_args()
    n, app = args.participants, args.app
    selector = SELECTORS.get(app, ".widget-button")
    tmp = Path(tempfile.mkdtemp())
    module = {
        "who_is_in_the_boat.ipynb": "mixedflows.widgets.boat",
        "screening_desk.ipynb": "mixedflows.widgets.screening_desk",
    }.get(app)
    if module:
        print(
            f"where an app kernel's start-up goes (cumulative import time, top level): "
            f"{import_profile(module)}"
        )
    p95 = {
        (k, ph): run_room(k, ph, n, app, selector, tmp, min(args.browsers, n))
        for k in ("course", "plain")
        for ph in args.phases.split(",")
    }
    for ph, label in (
        ("http", f"{n} simulated participants"),
        ("browser", f"{min(args.browsers, n)} Chromium pages"),
    ):
        if ("course", ph) not in p95:
            continue
        print(
            f"p95 {label}, course / plain Voila: {p95['course', ph]:.1f} s / "
            f"{p95['plain', ph]:.1f} s = {p95['course', ph] / p95['plain', ph]:.2f}"
        )
    print("targets: p95 <= 15 s, <= 120 MB per kernel, zero errors")


if __name__ == "__main__":
    _ = free_port
    main()
