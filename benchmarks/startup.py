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

5. Issue 13's apps (boat, screening desk, reception, policy lab) the same way (``--issue13``;
   target <= 1.3x).

Run: .venv/bin/python benchmarks/startup.py [--rounds N] [--apps] [--issue13]
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

from _common import apps_root, launch_chromium, pct, voila_server, wait_rendered


def time_to_interactive(
    browser, notebook: str, selector: str | tuple[str, ...], store: Path
) -> float:
    selectors = (selector,) if isinstance(selector, str) else selector
    # The course's apps plus the empty-notebook baseline (a fixture, never in widgets/).
    root = apps_root(store.parent / f"apps-{store.stem}", "empty.ipynb")
    with voila_server(store, root=root) as server:
        ctx = browser.new_context()
        page = ctx.new_page()
        t0 = time.perf_counter()
        page.goto(server.app_url(notebook), wait_until="commit")
        for sel in selectors:
            wait_rendered(page, sel)
        elapsed = time.perf_counter() - t0
        ctx.close()
    return elapsed


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
}


ISSUE13_APPS: dict[str, str | tuple[str, ...]] = {
    # Issue 13's apps, interactive once their first answer control is shown (target <= 1.3x)
    "who_is_in_the_boat.ipynb": "button.mf-submit",
    "screening_desk.ipynb": "button.mf-desk-submit",
    "reception_centre.ipynb": ("button.mf-check", ".mf-occupancy-chart svg"),
    "policy_lab.ipynb": "button.mf-see",
}


def apps_vs_empty(
    browser, tmp: Path, rounds: int, apps: dict | None = None, target: float = 1.5
) -> None:
    """Cold time to interactive of each course app, interleaved with the empty notebook so that
    both see the same machine state; medians and ratios printed."""
    apps = COURSE_APPS if apps is None else apps
    times: dict[str, list[float]] = {"empty.ipynb": [], **{a: [] for a in apps}}
    for i in range(rounds):
        times["empty.ipynb"].append(
            time_to_interactive(
                browser, "empty.ipynb", ".jp-OutputArea-output", tmp / f"ae{i}.sqlite"
            )
        )
        for app, sel in apps.items():
            times[app].append(time_to_interactive(browser, app, sel, tmp / f"a{i}{app}.sqlite"))
    e = statistics.median(times["empty.ipynb"])
    print(f"cold time to interactive, median of {rounds}: empty notebook {e:.2f} s")
    for app in apps:
        t = statistics.median(times[app])
        print(f"  {app:28s} {t:.2f} s, ratio {t / e:.2f}x (target <= {target}x)")


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


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--rounds", type=int, default=3)
    ap.add_argument("--clicks", type=int, default=20)
    ap.add_argument("--apps", action="store_true", help="only the apps of modules 4, 6 and 7")
    ap.add_argument(
        "--issue13", action="store_true", help="only the boat, desk, reception and policy lab"
    )
    args = ap.parse_args()
    from playwright.sync_api import sync_playwright

    tmp = Path(tempfile.mkdtemp())
    if args.issue13:
        with sync_playwright() as p:
            browser = launch_chromium(p)
            apps_vs_empty(browser, tmp, args.rounds, ISSUE13_APPS, target=1.3)
            browser.close()
        return
    if args.apps:
        with sync_playwright() as p:
            browser = launch_chromium(p)
            apps_vs_empty(browser, tmp, args.rounds)
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
