"""Issue 2 benchmark: module 1 app start-up, engine import time, click-to-feedback latency.

Prints figures and ratios against a baseline measured in the same run; asserts nothing.

1. Time until the module 1 app is interactive in Chromium, cold (a new Voila server and a new
   kernel for each load), as a ratio to an empty notebook served the same way. Target <= 1.5x.
2. ``python -X importtime -c "import mixedflows"``: total, and whether widgets/altair load.
3. Click-to-feedback latency in the browser (click on Submit to the feedback on screen),
   measured inside the page with performance.now(). Target <= 100 ms.

4. The same cold time to interactive for the course's newer apps (module 2's flow explorer,
   interactive once its charts are drawn and its exercise's Submit is shown; module 2's journey;
   module 3's before departure; module 4's rescue at sea; module 6's stranded migrants; module
   7's after arrival), each as a ratio to the empty notebook measured in the same rounds
   (``--apps``; target <= 1.5x).

5. Issue 13's apps (boat, screening desk, reception, policy lab, and the facilitator
   dashboard, opened for a session with its key) the same way (``--issue13``; target <= 1.3x).

6. ``--apps --before DIR`` (or ``--issue13`` / ``--issue15 --before DIR``): the same apps as an
   earlier commit serves them (a copy of the course in DIR), timed in the same rounds and
   printed beside, with their ratios to the same empty notebook: before and after measured side
   by side. Each copy's install-time warm-up runs first, as ``./mfl`` runs it (the numba cache
   of the reception simulation; this commit's memo of the reception page's first season).

7. ``--first-view [--before DIR]``: no browser; the CPU seconds (``time.process_time``) a
   fresh process spends importing each of issue 13's apps and building its first view, as its
   kernel does, beside ipywidgets' import in the same processes, and whether numpy was loaded
   (on a machine shared with other work, CPU time moves far less than time to interactive).

8. Issue 15's apps the same way (``--issue15``; target <= 1.5x): module 9's return and
   reintegration (interactive once the return desk's Submit is shown); module 11's capstone
   (once stage 1's Continue and the season's Submit are shown; alone with ``--capstone``);
   module 10's room (once the role picker's button is shown).

9. ``--weight [--before DIR]``: the apps with charts (reception, flow explorer, policy lab):
   bytes received until interactive (HTTP and the kernel websocket) and cold time to
   interactive, beside the empty notebook (and the earlier commit's, in the same rounds).
   ``--throttle N``: Chromium's CPU slowed N times, and the pages on which anywidget said
   "Failed to initialize model" (a chart's model not set up within its 2 s) counted.

Run: .venv/bin/python benchmarks/startup.py [--rounds N] [--apps [--before DIR]] [--issue13]
     [--issue15] [--capstone] [--weight]
"""

from __future__ import annotations

import argparse
import re
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from _common import (
    ROOT,
    apps_root,
    launch_chromium,
    pct,
    voila_server,
    wait_rendered,
    wait_shown,
)

from mixedflows.server import serve

DASHBOARD = "facilitator_dashboard.ipynb"


def served_root(store: Path, code: Path | None = None) -> tuple[Path, dict[str, str]]:
    """The folder of apps to serve beside ``store`` (the course's apps plus the empty-notebook
    baseline, a fixture never in widgets/) and the server's extra environment; with ``code`` (a
    copy of the course at another commit), its apps, its package first on PYTHONPATH, and its
    own share/jupyter: its template, and its kernelspec (or ipykernel's, for a copy older than
    the course's kernelspec, whose kernel module it does not have)."""
    root = apps_root(store.parent / f"apps-{store.stem}", "empty.ipynb")
    if code is None:
        return root, {}
    import shutil

    for nb in (code / "widgets").glob("*.ipynb"):
        shutil.copy2(nb, root / nb.name)
    return root, {
        "PYTHONPATH": str(code / "src"),
        "MIXEDFLOWS_HOME": str(code),
        "JUPYTER_PATH": str(code / "share" / "jupyter"),
    }


def opened_as(notebook: str) -> tuple[serve.ClassSession | None, dict[str, str]]:
    """The session to serve ``notebook`` for and the query to open it with: the facilitator
    dashboard is served for a session and opened with its key; any other page, as it is."""
    if notebook != DASHBOARD:
        return None, {}
    session = serve.ClassSession()
    return session, {"session": session.code, "facilitator": session.token}


def time_to_interactive(
    browser,
    notebook: str,
    selector: str | tuple[str, ...],
    store: Path,
    code: Path | None = None,
    weight: dict[str, int] | None = None,
    throttle: float = 1,
) -> float:
    """Seconds from asking for the page to the selectors shown, on a new server and kernel.
    ``code``: a copy of the course at another commit (``--before``), served instead of this
    one: its widgets/, its package first on the kernel's and the server's PYTHONPATH, its
    share/jupyter (template and kernelspec) on their JUPYTER_PATH.
    ``weight``: filled with what the page received until then, in bytes (``http``: every
    response, as sent; ``ws``: the kernel websocket's messages; ``largest_ws``: the largest
    one; ``failed_init``: anywidget's "Failed to initialize model" errors, 2.5 s after the
    page was interactive), read from Chromium's DevTools protocol; ``throttle``: Chromium's CPU
    slowed that many times (with ``weight``)."""
    selectors = (selector,) if isinstance(selector, str) else selector
    root, env = served_root(store, code)
    session, query = opened_as(notebook)
    with voila_server(store, root=root, extra_env=env, session=session) as server:
        ctx = browser.new_context()
        page = ctx.new_page()
        if weight is not None:
            weight.update(http=0, ws=0, largest_ws=0, failed_init=0)
            cdp = ctx.new_cdp_session(page)
            cdp.send("Network.enable")
            if throttle > 1:  # a loaded machine, as the browser sees it
                cdp.send("Emulation.setCPUThrottlingRate", {"rate": throttle})

            def page_error(e: Exception) -> None:
                weight["failed_init"] += "Failed to initialize model" in str(e)

            page.on("pageerror", page_error)

            def http(e: dict) -> None:
                weight["http"] += int(e.get("encodedDataLength", 0))

            def ws(e: dict) -> None:
                n = len(e["response"].get("payloadData", ""))
                weight["ws"] += n
                weight["largest_ws"] = max(weight["largest_ws"], n)

            cdp.on("Network.loadingFinished", http)
            cdp.on("Network.webSocketFrameReceived", ws)
        settle()
        t0 = time.perf_counter()
        page.goto(server.app_url(notebook, **query), wait_until="commit")
        for sel in selectors:
            if sel.startswith("click:"):  # a step to open (the policy lab's chart is step 2)
                page.get_by_role("button", name=sel.removeprefix("click:")).click()
                continue
            wait_shown(page, sel, timeout=300_000)  # a busy shared machine: minutes
        elapsed = time.perf_counter() - t0
        if weight is not None:
            page.wait_for_timeout(2_500)  # past anywidget's 2 s for a chart's model
        ctx.close()
    return elapsed


def _cpu_busy() -> tuple[int, int]:
    """The machine's CPU time so far, busy and total, in clock ticks (``/proc/stat``)."""
    fields = [int(x) for x in Path("/proc/stat").read_text().split("\n", 1)[0].split()[1:]]
    idle = fields[3] + (fields[4] if len(fields) > 4 else 0)  # idle + iowait
    return sum(fields) - idle, sum(fields)


def settle(quiet: float = 0.1, windows: int = 2, longest: float = 5.0) -> float:
    """Wait until the machine is idle (its CPUs busy less than ``quiet`` of the time over
    ``windows`` consecutive windows of 0.1 s; ``longest`` s at most) before a page is timed:
    the previous page's server, kernel and browser context end in the background, and a page
    timed while they did was timed on a busier machine than its neighbour (3 December 2026:
    the same app 1.20x and 1.40x the empty notebook in two runs). The seconds waited."""
    if not Path("/proc/stat").exists():
        return 0.0
    start, calm = time.perf_counter(), 0
    while calm < windows and time.perf_counter() - start < longest:
        b0, t0 = _cpu_busy()
        time.sleep(0.1)
        b1, t1 = _cpu_busy()
        calm = calm + 1 if t1 > t0 and (b1 - b0) / (t1 - t0) < quiet else 0
    return time.perf_counter() - start


COURSE_APPS: dict[str, str | tuple[str, ...]] = {
    # app notebook: the element(s) that show it is interactive: the Submit of the exercise shown
    # first (a page of several steps builds the others when they are opened, see the step
    # timings) and, for the flow explorer, its charts drawn and its step buttons shown
    "flow_explorer.ipynb": (".mf-charts canvas, .mf-charts svg", ".mf-steps button"),
    "a_journey_that_changes.ipynb": "button.mf-submit",
    "before_departure.ipynb": "button.mf-campaign-submit",
    "rescue_at_sea.ipynb": "button.mf-rescue-submit",
    "stranded_migrants.ipynb": "button.mf-case-submit",
    "after_arrival.ipynb": "button.mf-case-submit",
    "who_does_what.ipynb": "button.mf-submit",
}

COURSE_APPS_BEFORE_STEPS: dict[str, str | tuple[str, ...]] = {
    # The same apps before their second exercise became a step built when opened (issue 14):
    # the page was interactive once its last Submit was shown (``--before``).
    "flow_explorer.ipynb": (".mf-charts canvas, .mf-charts svg", ".mf-reading button.mf-submit"),
    "before_departure.ipynb": ("button.mf-campaign-submit", "button.mf-see"),
    "rescue_at_sea.ipynb": "button.mf-holding-submit",
    "after_arrival.ipynb": "button.mf-msg-submit",
}


ISSUE13_APPS: dict[str, str | tuple[str, ...]] = {
    # Issue 13's apps, interactive once their first answer control is shown (target <= 1.3x)
    "who_is_in_the_boat.ipynb": "button.mf-submit",
    "screening_desk.ipynb": "button.mf-desk-submit",
    "reception_centre.ipynb": ("button.mf-check", ".mf-occupancy-chart svg"),
    "policy_lab.ipynb": "button.mf-see",
    # the facilitator dashboard (an empty session): down to its last panel's button
    DASHBOARD: ("button.mf-export", "button.mf-seats-refresh"),
}


ISSUE15_APPS: dict[str, str | tuple[str, ...]] = {
    # Issue 15's apps, interactive once the first step's Submit is shown (target <= 1.5x)
    "return_and_reintegration.ipynb": ".mf-returns button.mf-submit",
    # module 11: stage 1's Continue and the season's Submit
    "season_on_the_route.ipynb": ("button.mf-continue-rescue", "button.mf-season-submit"),
    # module 10's room: interactive once the role picker's button is shown
    "cooperation_roles.ipynb": "button.mf-take-role",
    # the knowledge check and certificate: its whole page, down to the certificate button
    "course_check.ipynb": ".mf-course-check button.mf-make-certificate",
}
CAPSTONE_APPS = {k: v for k, v in ISSUE15_APPS.items() if k == "season_on_the_route.ipynb"}

CHART = ".mf-charts .vega-embed svg, .mf-charts .vega-embed canvas"
CHART_APPS: dict[str, str | tuple[str, ...]] = {
    # The apps with charts (issue 13: the chart bundle served once, not carried by each
    # chart): interactive once their first answer control and a chart are shown
    "reception_centre.ipynb": ("button.mf-check", ".mf-occupancy-chart svg"),
    "flow_explorer.ipynb": (CHART, ".mf-steps button"),
    # the lab's chart is its second step: opened, as a learner opens it, once the page is up
    "policy_lab.ipynb": ("button.mf-see", "click:2. Explore the lab", CHART),
}


def weigh_pages(
    browser, tmp: Path, rounds: int, before: Path | None = None, throttle: float = 1
) -> None:
    """Page weight (bytes received until interactive: HTTP responses and the kernel
    websocket's messages) and cold time to interactive of each chart app, beside the empty
    notebook; with ``before``, the same apps as an earlier commit serves them, in the same
    rounds. ``throttle``: Chromium's CPU slowed that many times, and anywidget's "Failed to
    initialize model" errors counted."""
    codes = {"after": None} if before is None else {"before": before, "after": None}
    times: dict[tuple[str, str], list[float]] = {}
    weights: dict[tuple[str, str], dict[str, int]] = {}
    failed: dict[tuple[str, str], list[int]] = {}
    empty: list[float] = []
    for i in range(rounds):
        empty.append(
            time_to_interactive(browser, "empty.ipynb", ".jp-OutputArea-output", tmp / f"we{i}.s")
        )
        for app, sel in CHART_APPS.items():
            for label, code in codes.items():
                w: dict[str, int] = {}
                t = time_to_interactive(
                    browser,
                    app,
                    sel,
                    tmp / f"w{i}{label}{app}.s",
                    code=code,
                    weight=w,
                    throttle=throttle,
                )
                failed.setdefault((app, label), []).append(w["failed_init"])
                times.setdefault((app, label), []).append(t)
                weights[(app, label)] = w  # the same every round: the last kept
                print(
                    f"round {i + 1}: {app} ({label}) {t:.2f} s, {w['http'] / 1e3:.0f} KB "
                    f"HTTP + {w['ws'] / 1e3:.0f} KB websocket (largest message "
                    f"{w['largest_ws'] / 1e3:.0f} KB); 'Failed to initialize model': "
                    f"{w['failed_init']}",
                    flush=True,
                )
    e = statistics.median(empty)
    print(f"page weight and cold time to interactive, median of {rounds}: empty {e:.2f} s")
    for app in CHART_APPS:
        for label in codes:
            t, w = statistics.median(times[(app, label)]), weights[(app, label)]
            print(
                f"  {app:28s} {label:6s} {t:.2f} s ({t / e:.2f}x); received "
                f"{(w['http'] + w['ws']) / 1e3:.0f} KB ({w['http'] / 1e3:.0f} KB HTTP, "
                f"{w['ws'] / 1e3:.0f} KB websocket, largest message "
                f"{w['largest_ws'] / 1e3:.0f} KB); pages with 'Failed to initialize model': "
                f"{sum(1 for n in failed[(app, label)] if n)} of {rounds}"
                + (f" at {throttle:g}x CPU throttling" if throttle > 1 else ""),
                flush=True,
            )


def apps_vs_empty(
    browser,
    tmp: Path,
    rounds: int,
    apps: dict | None = None,
    target: float = 1.5,
    before: Path | None = None,
    before_apps: dict | None = None,
) -> None:
    """Cold time to interactive of each course app, interleaved with the empty notebook so that
    both see the same machine state; medians and ratios printed. With ``before`` (a copy of
    the course at an earlier commit), each app is also timed as that commit serves it
    (``before_apps``: its selectors), in the same rounds, and printed beside."""
    apps = COURSE_APPS if apps is None else apps
    times: dict[str, list[float]] = {"empty.ipynb": [], **{a: [] for a in apps}}
    old: dict[str, list[float]] = {a: [] for a in apps}
    for i in range(rounds):
        times["empty.ipynb"].append(
            time_to_interactive(
                browser, "empty.ipynb", ".jp-OutputArea-output", tmp / f"ae{i}.sqlite"
            )
        )
        for app, sel in apps.items():
            # with ``before``: the two copies in turn, which first alternating by round (the
            # second page of a pair met a warmer machine)
            for side in ("before", "after") if i % 2 == 0 else ("after", "before"):
                if side == "after":
                    times[app].append(
                        time_to_interactive(browser, app, sel, tmp / f"a{i}{app}.sqlite")
                    )
                elif before is not None:
                    sel_before = (before_apps or {}).get(app, sel)
                    old[app].append(
                        time_to_interactive(
                            browser, app, sel_before, tmp / f"b{i}{app}.sqlite", code=before
                        )
                    )
        print(  # each round as it ends: a long run on a busy machine still leaves figures
            f"round {i + 1}: empty {times['empty.ipynb'][-1]:.2f} s; "
            + "; ".join(
                f"{a} {times[a][-1]:.2f} s" + (f" (before {old[a][-1]:.2f} s)" if old[a] else "")
                for a in apps
            ),
            flush=True,
        )
    e = statistics.median(times["empty.ipynb"])
    print(f"cold time to interactive, median of {rounds}: empty notebook {e:.2f} s")
    for app in apps:
        t = statistics.median(times[app])
        line = f"  {app:28s} {t:.2f} s, ratio {t / e:.2f}x (target <= {target}x)"
        if before is not None:
            b = statistics.median(old[app])
            paired = statistics.median(a / x for a, x in zip(times[app], old[app], strict=True))
            line += (
                f"; before: {b:.2f} s, ratio {b / e:.2f}x; after / before, median of the "
                f"rounds' own ratios: {paired:.2f}x"
            )
        print(line, flush=True)


def warm_up(before: Path | None) -> None:
    """What ``./mfl`` does at install, for this commit and for ``before`` (a copy of the course
    at an earlier commit), so that no page is timed while it compiles or builds a cache: byte
    code, the reception simulation's numba cache, the offline chart bundle, and this commit's
    memos of the first views (the reception page's first season, the boat's and the desk's
    generated persons; an earlier commit without one is not asked)."""
    import compileall
    import os

    for code in (before, None):
        env = dict(os.environ)
        # byte code, as a learner's kernels have it after the first page (Python writes it) or
        # from the install (pip, binder/postBuild): this commit's too. With
        # PYTHONDONTWRITEBYTECODE set, as on the course's build machine, nothing writes it, and
        # every kernel of this commit compiled the package's modules again (about 45 ms of CPU
        # for the boat) while the earlier copy's read them compiled.
        compileall.compile_dir((code or ROOT) / "src", quiet=1)
        if code is not None:
            env.update(PYTHONPATH=str(code / "src"), MIXEDFLOWS_HOME=str(code))
        steps = [
            "from mixedflows.reception.kernel import warm; warm()",
            "from mixedflows.charts.offline import warm_cache; warm_cache()",
            "from mixedflows.widgets import reception as r\n"
            "getattr(r, 'warm_first_view', lambda: None)()",
            # the boat's and the desk's generated persons (this commit's memos)
            "from mixedflows.widgets import boat as b, screening_desk as d\n"
            "getattr(b, 'warm_first_view', lambda: None)()\n"
            "getattr(d, 'warm_first_view', lambda: None)()",
        ]
        for step in steps:
            subprocess.run([sys.executable, "-c", step], env=env, check=True)


FIRST_VIEWS: dict[str, tuple[str, str]] = {
    # Issue 13's apps: the module and entry point their notebook's first cell calls
    "who_is_in_the_boat.ipynb": ("boat", "boat_app"),
    "screening_desk.ipynb": ("screening_desk", "desk_app"),
    "reception_centre.ipynb": ("reception", "reception_app"),
    "policy_lab.ipynb": ("policy_lab", "policy_lab_app"),
    DASHBOARD: ("dashboard", "dashboard_app"),
}
FIRST_VIEW_CODE = """
import sys, time
t0 = time.process_time()
import ipywidgets
t1 = time.process_time()
from mixedflows.widgets.{module} import {entry}
t2 = time.process_time()
{entry}()
{rest}
t3 = time.process_time()
print(t1 - t0, t3 - t1, t2 - t1, int('numpy' in sys.modules))
"""


def rest_of_page(notebook: str, code: Path | None) -> str:
    """The code cells an app's page runs after its first (the dashboard's room, debrief and
    seats panels), as its kernel runs them before the page is shown; not ``claim()``, which a
    kernel started for the page returns from at once."""
    import json

    nb = json.loads(((code or ROOT) / "widgets" / notebook).read_text(encoding="utf-8"))
    cells = ["".join(c["source"]) for c in nb["cells"] if c["cell_type"] == "code"]
    return "\n".join(c for c in cells[1:] if "claim()" not in c)


def first_view_cpu(
    module: str, entry: str, code: Path | None, store: Path, rest: str = ""
) -> list[float]:
    """CPU seconds (``time.process_time``, so a machine shared with other work counts less
    than in wall time) a fresh process spends on what an app's kernel does before its first
    view is shown: ``[ipywidgets import, app import + build, app import alone, numpy loaded]``.
    ``code``: a copy of the course at another commit, its package first on PYTHONPATH;
    ``rest``: the page's other code cells (:func:`rest_of_page`), counted with the build."""
    import os

    env = dict(os.environ, MIXEDFLOWS_STORE=str(store))
    if code is not None:
        env.update(PYTHONPATH=str(code / "src"), MIXEDFLOWS_HOME=str(code))
    out = subprocess.run(
        [sys.executable, "-c", FIRST_VIEW_CODE.format(module=module, entry=entry, rest=rest)],
        env=env,
        capture_output=True,
        text=True,
        check=True,
    ).stdout.split()
    return [float(x) for x in out[-4:]]


# In the page, from its first frame: the time (performance.now(), from the navigation's start)
# of the first frame at which each selector is shown
MARKS_JS = """(sels) => {
  window.__mfMarks = {};
  const tick = () => {
    for (const s of sels) {
      if (window.__mfMarks[s] !== undefined) continue;
      const shown = [...document.querySelectorAll(s)].some((el) => {
        const b = el.getBoundingClientRect();
        return b.width > 0 && b.height > 0 && getComputedStyle(el).visibility !== "hidden";
      });
      if (shown) window.__mfMarks[s] = performance.now();
    }
    if (Object.keys(window.__mfMarks).length < sels.length) requestAnimationFrame(tick);
  };
  requestAnimationFrame(tick);
}"""


def in_page_marks(
    browser, tmp: Path, rounds: int, app: str, selectors: tuple[str, ...], before: Path | None
) -> None:
    """When each of ``selectors`` is first shown in ``app``'s cold page, timed in the page
    (from the navigation's start, at the frame it is drawn: no polling from outside), and the
    time between the first and the last; with ``before``, that copy's page in the same rounds,
    which first alternating. Finer than :func:`time_to_interactive` for what happens between
    two parts of one page (the reception's Check button and its first chart)."""
    import json

    sides = {"after": None} if before is None else {"before": before, "after": None}
    marks: dict[str, list[list[float]]] = {k: [] for k in sides}
    for i in range(rounds):
        for side in list(sides) if i % 2 == 0 else list(sides)[::-1]:
            code = sides[side]
            store = tmp / f"m{i}{side}.sqlite"
            root, env = served_root(store, code)
            session, query = opened_as(app)
            with voila_server(store, root=root, extra_env=env, session=session) as server:
                ctx = browser.new_context()
                page = ctx.new_page()
                page.add_init_script(f"({MARKS_JS})({json.dumps(list(selectors))})")
                settle()
                page.goto(server.app_url(app, **query), wait_until="commit")
                for sel in selectors:
                    wait_shown(page, sel, timeout=300_000)
                got = page.evaluate("() => window.__mfMarks")
                ctx.close()
            marks[side].append([got[sel] for sel in selectors])
        print(
            f"round {i + 1}: "
            + "; ".join(
                f"{k} " + ", ".join(f"{t:.0f}" for t in v[-1]) + " ms" for k, v in marks.items()
            ),
            flush=True,
        )
    print(f"{app}, in the page, median of {rounds} cold loads (ms from the navigation's start):")
    for side, rows in marks.items():
        cols = list(zip(*rows, strict=True))
        gaps = [r[-1] - r[0] for r in rows]
        print(
            f"  {side:6s} "
            + ", ".join(
                f"{sel} {statistics.median(c):.0f}" for sel, c in zip(selectors, cols, strict=True)
            )
            + f"; from the first to the last: {statistics.median(gaps):.0f} ms"
        )
    if before is not None:
        for j, sel in enumerate(selectors):
            d = [a[j] - b[j] for a, b in zip(marks["after"], marks["before"], strict=True)]
            print(
                f"  after - before, {sel}: median of the rounds' own {statistics.median(d):+.0f} ms"
            )


def first_views(tmp: Path, rounds: int, before: Path | None) -> None:
    """``--first-view``: for each of issue 13's apps, the CPU its kernel spends importing the
    app and building its first view (the smallest of ``rounds``, interleaved with ``before``'s
    copy so both see the same machine), beside ipywidgets' import measured in the same
    processes (what any widget page needs), and whether numpy was loaded for it."""
    codes: dict[str, Path | None] = {"this commit": None}
    if before is not None:
        codes["before"] = before
    got: dict[tuple[str, str], list[list[float]]] = {}
    for i in range(rounds):
        for nb, (module, entry) in FIRST_VIEWS.items():
            for name, code in codes.items():
                store = tmp / f"fv-{i}-{module}-{name.replace(' ', '_')}.sqlite"
                rest = rest_of_page(nb, code)
                got.setdefault((nb, name), []).append(
                    first_view_cpu(module, entry, code, store, rest)
                )
    print(f"first view, CPU seconds in a fresh process (smallest of {rounds}):")
    for nb in FIRST_VIEWS:
        for name in codes:
            runs = got[(nb, name)]
            base = min(r[0] for r in runs)
            app = min(r[1] for r in runs)
            imp = min(r[2] for r in runs)
            numpy = "numpy loaded" if runs[0][3] else "no numpy"
            print(
                f"  {nb:28s} {name:11s} import+build {app:.3f} s (import {imp:.3f} s), "
                f"{app / base:.2f}x ipywidgets' import ({base:.3f} s); {numpy}"
            )


def import_time() -> tuple[float, list[str]]:
    out = subprocess.run(
        [sys.executable, "-X", "importtime", "-c", "import mixedflows"],
        capture_output=True,
        text=True,
        check=True,
    ).stderr
    total = 0
    heavy = []
    for line in out.splitlines():
        m = re.match(r"import time:\s+(\d+) \|\s+(\d+) \|(\s*)(\S+)", line)
        if not m:
            continue
        if m.group(3) == " ":  # top level
            total += int(m.group(2))
        if m.group(4).split(".")[0] in {"ipywidgets", "altair", "anywidget", "IPython"}:
            heavy.append(m.group(4))
    full = subprocess.run(
        [
            sys.executable,
            "-X",
            "importtime",
            "-c",
            "import mixedflows.screening, mixedflows.grading, mixedflows.store",
        ],
        capture_output=True,
        text=True,
        check=True,
    ).stderr
    for line in full.splitlines():
        m = re.match(r"import time:\s+(\d+) \|\s+(\d+) \|(\s*)(\S+)", line)
        if m and m.group(4).split(".")[0] in {"ipywidgets", "altair", "anywidget"}:
            heavy.append(m.group(4))
    return total / 1e6, heavy


CLICK_JS = """
async () => {
  const status = document.querySelector('.mf-status');
  const before = status.innerText;
  const t0 = performance.now();
  document.querySelector('button.mf-submit').click();
  return await new Promise((resolve) => {
    const obs = new MutationObserver(() => {
      if (status.innerText !== before && status.innerText.includes('Attempt')) {
        obs.disconnect(); resolve(performance.now() - t0);
      }
    });
    obs.observe(status, {subtree: true, childList: true, characterData: true});
  });
}
"""


def click_latency(browser, store: Path, clicks: int) -> list[float]:
    # Back-to-back submits on purpose: the per-page submission rate (6, then 1 per 2 s) is off.
    with voila_server(store, extra_env={"MIXEDFLOWS_SUBMIT_RATE": "0"}) as server:
        page = browser.new_page()
        page.goto(server.app_url("who_is_in_the_boat.ipynb", learner="bench"))
        wait_rendered(page, "button.mf-submit")
        page.click(".mf-profile-protection input")
        out = [page.evaluate(CLICK_JS) for _ in range(clicks)]
        page.close()
    return out


def _only(apps: dict, name: str | None) -> dict:
    """``apps``, or only ``name`` of them (``--only``)."""
    if name is None:
        return apps
    if name not in apps:
        sys.exit(f"--only: {name} is not one of {', '.join(apps)}")
    return {name: apps[name]}


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--rounds", type=int, default=3)
    ap.add_argument("--clicks", type=int, default=20)
    ap.add_argument("--apps", action="store_true", help="only the apps of modules 4, 6 and 7")
    ap.add_argument(
        "--issue13", action="store_true", help="only the boat, desk, reception and policy lab"
    )
    ap.add_argument(
        "--before",
        type=Path,
        help="with --apps, --issue13 or --issue15: a copy of the course at an earlier commit (for example "
        "`git archive main | tar -x -C DIR`), whose apps are timed in the same rounds",
    )
    ap.add_argument(
        "--before-selectors",
        choices=["steps", "same"],
        default="steps",
        help="with --before: 'steps' (default) waits, on the earlier commit, for the last "
        "Submit of the pages that had no steps yet; 'same' uses this commit's selectors",
    )
    ap.add_argument(
        "--only",
        metavar="NOTEBOOK",
        help="with --issue13 or --issue15: only this app (for example reception_centre.ipynb)",
    )
    ap.add_argument(
        "--marks",
        action="store_true",
        help="with --issue13 --only NOTEBOOK: when each of the app's marks is shown, timed in "
        "the page (with --before, beside an earlier commit's, alternating)",
    )
    ap.add_argument("--issue15", action="store_true", help="only issue 15's new apps")
    ap.add_argument(
        "--throttle",
        type=float,
        default=1,
        help="with --weight: slow Chromium's CPU this many times (a loaded machine) and count "
        "anywidget's 'Failed to initialize model' errors",
    )
    ap.add_argument(
        "--weight",
        action="store_true",
        help="only the apps with charts: page weight and time to interactive (with --before, "
        "beside an earlier commit's)",
    )
    ap.add_argument("--capstone", action="store_true", help="only module 11's capstone app")
    ap.add_argument(
        "--first-view",
        action="store_true",
        help="only the CPU seconds issue 13's apps spend in their kernel before their first "
        "view (no browser; with --before, beside an earlier commit's)",
    )
    args = ap.parse_args()
    from playwright.sync_api import sync_playwright

    tmp = Path(tempfile.mkdtemp())
    before = args.before.resolve() if args.before else None
    warm_up(before)
    if args.first_view:
        first_views(tmp, args.rounds, before)
        return
    if args.capstone:
        with sync_playwright() as p:
            browser = launch_chromium(p)
            apps_vs_empty(browser, tmp, args.rounds, CAPSTONE_APPS, target=1.5)
            browser.close()
        return
    if args.weight:
        with sync_playwright() as p:
            browser = launch_chromium(p)
            weigh_pages(browser, tmp, args.rounds, before=before, throttle=args.throttle)
            browser.close()
        return
    if args.marks:
        if not (args.issue13 and args.only):
            sys.exit("--marks: with --issue13 --only NOTEBOOK")
        sel = ISSUE13_APPS[args.only]
        with sync_playwright() as p:
            browser = launch_chromium(p)
            in_page_marks(
                browser,
                tmp,
                args.rounds,
                args.only,
                sel if isinstance(sel, tuple) else (sel,),
                before,
            )
            browser.close()
        return
    if args.issue13:
        with sync_playwright() as p:
            browser = launch_chromium(p)
            apps = _only(ISSUE13_APPS, args.only)
            apps_vs_empty(browser, tmp, args.rounds, apps, target=1.3, before=before)
            browser.close()
        return
    if args.issue15:
        with sync_playwright() as p:
            browser = launch_chromium(p)
            apps = _only(ISSUE15_APPS, args.only)
            apps_vs_empty(browser, tmp, args.rounds, apps, target=1.5, before=before)
            browser.close()
        return
    if args.apps:
        old_sel = COURSE_APPS_BEFORE_STEPS if args.before_selectors == "steps" else None
        with sync_playwright() as p:
            browser = launch_chromium(p)
            apps_vs_empty(browser, tmp, args.rounds, before=before, before_apps=old_sel)
            browser.close()
        return
    secs, heavy = import_time()
    print(
        f"import mixedflows: {secs * 1000:.0f} ms; widgets/altair pulled in by the engine: "
        f"{', '.join(heavy) if heavy else 'none'}"
    )
    with sync_playwright() as p:
        browser = launch_chromium(p)
        empty, boat = [], []
        for i in range(args.rounds):  # alternate so both see the same machine state
            empty.append(
                time_to_interactive(
                    browser, "empty.ipynb", ".jp-OutputArea-output", tmp / f"e{i}.sqlite"
                )
            )
            boat.append(
                time_to_interactive(
                    browser, "who_is_in_the_boat.ipynb", "button.mf-submit", tmp / f"b{i}.sqlite"
                )
            )
        e, b = statistics.median(empty), statistics.median(boat)
        print(
            f"time to interactive, cold server+kernel, median of {args.rounds}: "
            f"empty notebook {e:.2f} s, module 1 app {b:.2f} s, ratio {b / e:.2f}x "
            f"(target <= 1.5x)"
        )
        apps_vs_empty(browser, tmp, args.rounds)
        lat = click_latency(browser, tmp / "click.sqlite", args.clicks)
        print(
            f"click-to-feedback over {len(lat)} submits: median {statistics.median(lat):.0f} "
            f"ms, p95 {pct(lat, 95):.0f} ms, max {max(lat):.0f} ms (target <= 100 ms)"
        )
        browser.close()


if __name__ == "__main__":
    main()
