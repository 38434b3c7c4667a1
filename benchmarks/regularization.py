"""Issue 5 benchmark: a lever change in the policy lab to new outcomes and a new chart spec.

Prints figures and ratios against baselines measured in the same run; asserts nothing.
Target: a lever change to new outcomes and a new chart spec in at most 50 ms.

Measured, over N lever changes (a different staff value each time, Italy 2020):

1. **engine + spec** (what the lab does): ``run`` the model on the reform, build the
   baseline-vs-reform frame, and produce the chart spec from the cached template
   (``charts.lab_spec``).
2. **cold first call**: the same, the first time in the process (the template built and
   validated by altair once).
3. **altair rebuild** (the naive path): the same frame, but the chart rebuilt by altair and
   serialised (``charts.lab_chart(frame).to_dict()``) on every change.
4. **in the app**: setting a slider's value on a ``PolicyLab`` (model, table HTML and the
   JupyterChart's spec), without a browser.

Run: .venv/bin/python benchmarks/regularization.py [--changes N]
"""

from __future__ import annotations

import argparse
import statistics
import time

from _common import pct


def timed(fn, *args) -> float:
    t0 = time.perf_counter()
    fn(*args)
    return (time.perf_counter() - t0) * 1000


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--changes", type=int, default=200)
    ap.add_argument("--programme", default="italy_2020")
    args = ap.parse_args()

    t0 = time.perf_counter()
    from mixedflows.regularization import load_programme, run
    from mixedflows.regularization.model import comparison_frame

    engine_import = (time.perf_counter() - t0) * 1000
    t0 = time.perf_counter()
    from mixedflows.charts import regularization as charts

    charts_import = (time.perf_counter() - t0) * 1000

    prog = load_programme(args.programme)
    base = run(prog)
    cur = prog.currency

    def lever_change(staff: int) -> dict:
        new = run(prog, {"staff": staff})
        return charts.lab_spec(comparison_frame(base, new), cur)

    def altair_rebuild(staff: int) -> dict:
        new = run(prog, {"staff": staff})
        return charts.lab_chart(comparison_frame(base, new), cur).to_dict()

    def model_only(staff: int) -> object:
        return run(prog, {"staff": staff})

    cold = timed(lever_change, 100)
    n = args.changes
    fast = [timed(lever_change, 100 + i) for i in range(n)]
    model = [timed(model_only, 100 + i) for i in range(n)]
    naive = [timed(altair_rebuild, 100 + i) for i in range(max(10, n // 10))]

    app = []
    try:
        from mixedflows.widgets.policy_lab import PolicyLab

        lab = PolicyLab(args.programme, show_evidence=False)
        slider = lab.controls["staff"]
        for i in range(max(20, n // 4)):
            app.append(timed(setattr, slider, "value", 200 + i))
    except ImportError as e:  # pragma: no cover - the widgets are installed with the course
        print(f"(app measurement skipped: {e})")

    def line(name: str, xs: list[float]) -> None:
        print(
            f"  {name:<34} median {statistics.median(xs):7.2f} ms   p95 {pct(xs, 95):7.2f} ms"
            f"   (n={len(xs)})"
        )

    print(f"Policy lab, {prog.title}: a lever change to new outcomes and a new chart spec")
    print(
        f"  imports: engine {engine_import:.0f} ms, charts (altair, pandas) {charts_import:.0f} ms"
    )
    print(f"  {'cold first call':<34} {cold:7.2f} ms")
    line("model only (run)", model)
    line("engine + spec (the lab's path)", fast)
    line("altair rebuild each change (naive)", naive)
    if app:
        line("in the app (slider -> table, chart)", app)
    med = statistics.median(fast)
    print(
        f"  target <= 50 ms: median {med:.2f} ms, p95 {pct(fast, 95):.2f} ms "
        f"({'met' if pct(fast, 95) <= 50 else 'NOT met'})"
    )
    print(f"  ratio cold first call / lab's path:  {cold / med:6.1f}x")
    print(f"  ratio altair rebuild / lab's path:   {statistics.median(naive) / med:6.1f}x")
    if app:
        print(f"  ratio in the app / lab's path:       {statistics.median(app) / med:6.1f}x")


if __name__ == "__main__":
    main()
