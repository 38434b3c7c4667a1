"""Issue 15 benchmark: the capstone's full run, from submit to feedback (module 11).

Prints figures and ratios against baselines measured in the same run; asserts nothing.
Target: submit to feedback in at most 300 ms.

Measured, over N submits of the whole season (five stages, Port Alba, spring):

1. **engine, new plan**: ``grading.grade`` on the exercise with a reception plan not run before
   in the process (the beds change each time), so the season is simulated afresh: the five
   stages played and graded.
   "... arrivals drawn again" is the same with the season's arrivals drawn for each plan, as
   before they were kept per process (they never depend on the plan).
2. **engine, plan already run**: the same answer again; the simulated season is reused (as in
   the app, where Continue at stage 2 has already run the learner's plan).
3. **baseline: the reception simulation alone** for the same plans, in the same run: the
   largest part of a season (one season of about 19,000 people simulated).
4. **in the app, without a browser**: ``SeasonApp.submit.click()`` with the five stages open,
   a policy lever changed between submits (the feedback goes stale, as when a learner edits):
   grading, recording in a SQLite store, rendering the feedback and the debrief download.
   "... a fee not submitted before" is the same with the fee set to a new value each time
   (the lever above flips between two policies, whose debrief sections the app may keep).
5. ``--browser``: the same in Chromium, served by Voila: click on Submit to the fresh feedback
   on screen, measured inside the page with performance.now().

Run: .venv/bin/python benchmarks/capstone.py [--submits N] [--app-submits N] [--app-only]
[--browser]
"""

from __future__ import annotations

import argparse
import os
import statistics
import tempfile
import time
from pathlib import Path

from _common import launch_chromium, pct, voila_server, wait_rendered

ANSWER = {
    "rescue": {"port": "alba", "on_board": ["care", "medevac"], "informed": ["reception"]},
    "reception": dict(
        medical=5, screening=16, child_protection=5, mediation=18, beds=1500, transfers_per_day=300
    ),
    "screening": {},
    "postarrival": {},
    "policy": {"fee": 300},
}


def ms(t0: float) -> float:
    return (time.perf_counter() - t0) * 1000


def line(name: str, xs: list[float], base: float | None = None) -> str:
    med = statistics.median(xs)
    ratio = f", {med / base:.2f}x the simulation alone" if base else ""
    return (
        f"  {name:34s} median {med:6.1f} ms, p95 {pct(xs, 95):6.1f} ms, max {max(xs):6.1f} ms"
        f"{ratio}"
    )


def engine(n: int) -> None:
    from mixedflows.capstone import season as cs
    from mixedflows.exercises import load_exercise
    from mixedflows.grading import grade

    ex = load_exercise("m11_season_on_the_route")
    grade(ex, ANSWER)  # loads the files, the compiled kernel and the cohort once
    from mixedflows.reception import simulate

    sim, new, drawn, again = [], [], [], []
    s1 = cs.play(ex.params.scenario, {"rescue": ANSWER["rescue"]})
    spec = s1.spec.reception
    scaled, _arrivals = cs._arrivals(spec.season, s1.rescue.arrivals_factor, spec.seed)
    for i in range(n):
        ans = {**ANSWER, "reception": {**ANSWER["reception"], "beds": 1000 + i}}
        plan = cs.reception_plan(s1, ans["reception"])
        t0 = time.perf_counter()
        simulate(scaled, plan, seed=spec.seed)  # the season's people drawn, then simulated
        sim.append(ms(t0))
        t0 = time.perf_counter()
        grade(ex, ans)
        new.append(ms(t0))
        t0 = time.perf_counter()
        grade(ex, ans)
        again.append(ms(t0))
        cs._arrivals.cache_clear()  # as before the season's arrivals were kept
        ans = {**ANSWER, "reception": {**ANSWER["reception"], "beds": 3000 + i}}
        t0 = time.perf_counter()
        grade(ex, ans)
        drawn.append(ms(t0))
    base = statistics.median(sim)
    print(f"engine, over {n} submits of the whole season (target <= 300 ms):")
    print(line("reception simulation alone", sim))
    print(line("season, new plan (simulated)", new, base))
    print(line("  ... arrivals drawn again", drawn, base))
    print(line("season, plan already run", again, base))


def in_app(n: int, tmp: Path) -> None:
    from mixedflows.store import Store
    from mixedflows.widgets.common import Recorder
    from mixedflows.widgets.season import SeasonApp

    rec = Recorder(Store(tmp / "app.sqlite"), learner="bench", session="")
    app = SeasonApp(recorder=rec)
    app.port.value = "alba"
    app.stages["rescue"].cont.click()
    for k, v in ANSWER["reception"].items():
        app.plan[k].value = v
    for key in ("reception", "screening", "postarrival"):
        app.stages[key].cont.click()
    lever = app.levers["cover_other_sectors"]
    fee = app.levers["fee"]
    out, fresh, cpu, cpu_fresh = [], [], [], []
    for i in range(2 * n):
        if i < n:
            lever.value = not lever.value  # the feedback goes stale, as when a learner edits
        else:
            fee.value = 1000 + i  # a policy not submitted before: its debrief stage filled anew
        c0, t0 = time.process_time(), time.perf_counter()
        app.submit.click()
        (out if i < n else fresh).append(ms(t0))
        (cpu if i < n else cpu_fresh).append((time.process_time() - c0) * 1000)
        assert "Attempt" in app.status.value, app.status.value
    print(f"in the app without a browser, {n} submits (grade, record, feedback, debrief):")
    print(line("submit to feedback", out))
    print(line("  ... a fee not submitted before", fresh))
    print(
        f"  CPU time (this process), median: {statistics.median(cpu):.2f} ms; a fee not "
        f"submitted before {statistics.median(cpu_fresh):.2f} ms"
    )


CLICK_JS = """
async () => {
  const status = document.querySelector('.mf-status');
  const fb = document.querySelector('.mf-feedback');
  const before = status.innerText;
  const t0 = performance.now();
  document.querySelector('button.mf-season-submit').click();
  return await new Promise((resolve) => {
    const done = () => status.innerText !== before && status.innerText.includes('Attempt')
      && fb.querySelector('.mf-score') && !fb.querySelector('.mf-stale');
    const obs = new MutationObserver(() => {
      if (done()) { obs.disconnect(); resolve(performance.now() - t0); }
    });
    obs.observe(document.body, {subtree: true, childList: true, characterData: true});
  });
}
"""


def browser(n: int, tmp: Path) -> None:
    from playwright.sync_api import sync_playwright

    env = {"MIXEDFLOWS_SUBMIT_RATE": "0"}  # back-to-back submits on purpose
    with sync_playwright() as p, voila_server(tmp / "b.sqlite", extra_env=env) as server:
        b = launch_chromium(p)
        page = b.new_page()
        page.goto(server.app_url("season_on_the_route.ipynb", learner="bench"))
        wait_rendered(page, "button.mf-continue-rescue", timeout=240_000)
        page.get_by_label("Port Alba (State A", exact=False).check()
        for stage, nxt in (
            ("rescue", "reception"),
            ("reception", "screening"),
            ("screening", "postarrival"),
            ("postarrival", "policy"),
        ):
            page.click(f"button.mf-continue-{stage}")
            page.wait_for_selector(f".mf-stage-{nxt}", state="visible", timeout=240_000)
        out = []
        for _ in range(n):
            page.click(".mf-lever-cover-other-sectors input")
            page.wait_for_timeout(300)  # let the stale feedback arrive before the click
            out.append(page.evaluate(CLICK_JS))
        b.close()
    print(f"in Chromium via Voila, {n} submits (click to fresh feedback on screen):")
    print(line("click to feedback", out))


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--submits", type=int, default=20)
    ap.add_argument(
        "--app-submits", type=int, help="submits in the app without a browser (default --submits)"
    )
    ap.add_argument("--app-only", action="store_true", help="only the app without a browser")
    ap.add_argument("--browser", action="store_true", help="also click in Chromium")
    args = ap.parse_args()
    os.environ.setdefault("MIXEDFLOWS_SUBMIT_RATE", "0")
    tmp = Path(tempfile.mkdtemp())
    os.environ.setdefault("MIXEDFLOWS_STORE", str(tmp / "default.sqlite"))
    if not args.app_only:
        engine(args.submits)
    in_app(args.app_submits or args.submits, tmp)
    if args.browser:
        browser(min(args.submits, 10), tmp)


if __name__ == "__main__":
    main()
