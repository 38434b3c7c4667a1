"""How long a module page's gated debrief takes to prepare once its gate opens (a learner's
attempt recorded, or the facilitator opening it for the room): the function the page's cell
calls, with the cell's arguments (:mod:`mixedflows.debriefs`), timed in a fresh process each
run (its imports done first, not timed), wall and CPU seconds. Module 4's reception debrief
runs the season for each rule of thumb it compares; the facilitator guide quotes its figure.

Run: .venv/bin/python benchmarks/debrief_time.py [EXERCISE_ID ...] [--runs 3]
(no id: every gated debrief; an id picks the debrief that speaks of that exercise)
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys

ONE_RUN = """
import json, sys, time
from mixedflows.debriefs import gated_debriefs
d = next(d for d in gated_debriefs() if d.key == sys.argv[1])
fn = d.function()
wall, cpu = time.perf_counter(), time.process_time()
fn(*d.args)
print(json.dumps([time.perf_counter() - wall, time.process_time() - cpu]))
"""


def main(argv: list[str] | None = None) -> int:
    from mixedflows.debriefs import gated_debriefs

    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("exercise_ids", nargs="*")
    ap.add_argument("--runs", type=int, default=3)
    args = ap.parse_args(argv)
    chosen = [
        d
        for d in gated_debriefs()
        if not args.exercise_ids or set(args.exercise_ids) & set(d.exercise_ids)
    ]
    if not chosen:
        ap.error(f"no gated debrief speaks of {', '.join(args.exercise_ids)}")
    print(
        f"{os.cpu_count()} CPUs, load {os.getloadavg()[0]:.1f}; {args.runs} fresh process(es) each"
    )
    for d in chosen:
        runs = [
            json.loads(
                subprocess.run(
                    [sys.executable, "-c", ONE_RUN, d.key],
                    check=True,
                    capture_output=True,
                    text=True,
                )
                .stdout.strip()
                .splitlines()[-1]
            )
            for _ in range(args.runs)
        ]
        wall = [r[0] for r in runs]
        cpu = [r[1] for r in runs]
        print(
            f"module {d.module} {d.key}: wall median {statistics.median(wall):.2f} s "
            f"(min {min(wall):.2f}, max {max(wall):.2f}), CPU median {statistics.median(cpu):.2f} s"
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())
