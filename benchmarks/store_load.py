"""Issue 16 benchmark: the attempt store at a class's peak, against a real PostgreSQL server.

A bounded load test from this machine, for the capacity plan (docs/capacity_plan.md):

- **load**: N simulated learners (default 200), each with its own connection to the store as
  each learner's kernel has, all starting in the same second (the burst when a facilitator says
  "submit now"), each then submitting one graded attempt every ``--interval`` seconds for
  ``--rounds`` rounds. One attempt in 50 is sent a second time, as a kernel does when the
  acknowledgement of a write was lost: the store must keep it once.
- **baseline**, same server, same run: one learner alone writing the same attempts one after
  the other.

The attempt written is a real one: the module 1 boat graded by the engine for a learner who
gets about half of it right (its answer, feedback and feedback items as the app stores them).
The server runs with durable settings (fsync and synchronous commit on), unlike the tests'.

Printed: write latency p50 / p95 / p99 / max under load and alone (and their ratio), writes per
second, attempts lost and doubled (counted in the database against every uid sent), the CPU
time of grading one submission (first and warm) and of one write on the client side.
Figures are printed, never asserted.

Run: .venv/bin/python benchmarks/store_load.py [--learners 200] [--rounds 6] [--interval 5]

Beside an earlier commit (issue 12's rule: no figure more than 10 % worse), alternating runs of
both in the same session: ``git archive <commit> | tar -x -C DIR`` once, then
``.venv/bin/python benchmarks/store_load.py --before DIR --runs 10`` (about 11 minutes).
"""

from __future__ import annotations

import argparse
import multiprocessing as mp
import os
import random
import statistics
import sys
import threading
import time
from pathlib import Path
from typing import Any

from _common import ROOT, pct

sys.path.insert(0, str(ROOT / "tests"))

DURABLE = {
    "fsync": "on",
    "synchronous_commit": "on",
    "full_page_writes": "on",
    "shared_buffers": "128MB",
    "max_connections": "400",
    "listen_addresses": "",
    "unix_socket_permissions": "0700",
}


def real_attempt() -> tuple[dict[str, Any], float, float]:
    """One module 1 attempt as the app records it, and the CPU seconds of grading it (first
    in this process, then the mean of 20 warm gradings)."""
    from mixedflows.exercises import load_exercise
    from mixedflows.grading import cohort_reference, grade

    exercise = load_exercise("m1_who_is_in_the_boat")
    reference = cohort_reference(exercise)
    rng = random.Random(16)
    answer = {}
    for i, (pid, ref) in enumerate(sorted(reference.items())):
        answer[pid] = (
            ref if i % 2 == 0 else {"profiles": ["economic"], "first_need": ref["first_need"]}
        )
    rng.shuffle(list(answer))
    t = time.process_time()
    result = grade(exercise, answer)
    first = time.process_time() - t
    t = time.process_time()
    for _ in range(20):
        grade(exercise, answer)
    warm = (time.process_time() - t) / 20
    row = {
        "exercise_id": exercise.id,
        "answer": answer,
        "score": result.score,
        "feedback": result.to_json(),
        "feedback_items": result.items_json(),
        "grade_shown": f"{round(result.score * 100)} %",
    }
    return row, first, warm


def learner_thread(
    url: str,
    name: str,
    attempt: dict[str, Any],
    start: float,
    rounds: int,
    interval: float,
    resend_every: int,
    counter: list[int],
    out: list[tuple[float, float, str, int]],
    errors: list[str],
    made: list[str],
) -> None:
    from mixedflows.store import Store, make_row

    store = Store(url)
    rng = random.Random(name)
    try:
        for r in range(rounds):
            due = start + r * interval + rng.uniform(0, 1.0)
            time.sleep(max(0.0, due - time.time()))
            row = make_row(learner=name, session="load", **attempt)
            made.append(row["uid"])
            sends = 1
            counter[0] += 1
            if resend_every and counter[0] % resend_every == 0:
                sends = 2
            for _ in range(sends):
                # the CPU of this learner's thread (process_time would count the other
                # threads of the process working meanwhile, so a slower write looked costlier)
                c, t = time.thread_time(), time.perf_counter()
                try:
                    store.insert(row)
                except Exception as e:  # counted as lost below if it never arrived
                    errors.append(f"{name}: {e}")
                    continue
                out.append((time.perf_counter() - t, time.thread_time() - c, row["uid"], 1))
    finally:
        store.close()


def worker(args: tuple) -> tuple[list[tuple[float, float, str, int]], list[str], list[str]]:
    url, names, attempt, start, rounds, interval, resend_every = args
    out: list[tuple[float, float, str, int]] = []
    errors: list[str] = []
    counter = [0]
    made: list[str] = []
    threads = [
        threading.Thread(
            target=learner_thread,
            args=(
                url,
                n,
                attempt,
                start,
                rounds,
                interval,
                resend_every,
                counter,
                out,
                errors,
                made,
            ),
        )
        for n in names
    ]
    for th in threads:
        th.start()
    for th in threads:
        th.join()
    return out, errors, made


def count_rows(url: str) -> tuple[int, int, set[str]]:
    import psycopg

    with psycopg.connect(url) as con:
        total, distinct = con.execute(
            "SELECT count(*), count(DISTINCT uid) FROM attempts"
        ).fetchone()
        uids = {r[0] for r in con.execute("SELECT uid FROM attempts")}
    return total, distinct, uids


def run(
    learners: int = 200,
    rounds: int = 6,
    interval: float = 5.0,
    processes: int = 4,
    resend_every: int = 50,
    quiet: bool = False,
) -> dict:
    """Run the load test; print it (unless ``quiet``) and return its figures."""
    from types import SimpleNamespace

    a = SimpleNamespace(
        learners=learners,
        rounds=rounds,
        interval=interval,
        processes=processes,
        resend_every=resend_every,
    )
    from pg import PostgresServer, find_bindir

    from mixedflows.store import Store

    bindir = find_bindir()
    if bindir is None:
        sys.exit("PostgreSQL is not installed: ./mfl test installs Debian's postgresql package")
    attempt, grade_first, grade_warm = real_attempt()
    from mixedflows.store import make_row as _make_row

    written = _make_row(learner="size", session="load", **attempt)
    # the characters of JSON the store is sent (answer, feedback, items), as make_row writes them
    size = sum(len(written[k] or "") for k in ("answer", "feedback", "feedback_items"))
    server = PostgresServer(bindir, settings=DURABLE).start()
    try:
        # Baseline: one learner alone, the same attempts one after the other.
        url = server.create_database()
        Store(url).close()  # schema made before the clock starts, as a course does at setup
        alone: list[float] = []
        store = Store(url)
        for _ in range(200):
            from mixedflows.store import make_row

            row = make_row(learner="alone", session="load", **attempt)
            t = time.perf_counter()
            store.insert(row)
            alone.append(time.perf_counter() - t)
        store.close()

        # Load: N learners at once.
        url = server.create_database()
        Store(url).close()
        names = [f"learner-{i:04d}" for i in range(a.learners)]
        chunks = [names[i :: a.processes] for i in range(a.processes)]
        start = time.time() + 3.0  # every client connected before the burst
        t0 = time.perf_counter()
        with mp.get_context("spawn").Pool(a.processes) as pool:
            results = pool.map(
                worker,
                [(url, c, attempt, start, a.rounds, a.interval, a.resend_every) for c in chunks],
            )
        wall = time.perf_counter() - t0 - 3.0
        writes = [w for r in results for w in r[0]]
        errors = [e for r in results for e in r[1]]
        made = {u for r in results for u in r[2]}
        total, distinct, stored = count_rows(url)
    finally:
        server.stop()

    lat = [w[0] * 1000 for w in writes]
    cpu = [w[1] * 1000 for w in writes]
    alone_ms = [x * 1000 for x in alone]
    expected = a.learners * a.rounds
    lost = len(made - stored)
    if not quiet:
        print(
            f"PostgreSQL {bindir.parent.name}, durable settings; client: {a.processes} processes on {os.cpu_count()} cores"
        )
        print(
            f"attempt written: module 1 boat, {size:,} characters of JSON (answer, feedback, items, as sent)"
        )
        print(
            f"grading one submission (CPU): first {grade_first * 1000:.1f} ms, warm {grade_warm * 1000:.1f} ms"
        )
        print()
        print(
            f"load: {a.learners} learners x {a.rounds} rounds, one submission each per {a.interval:g} s "
            f"({a.learners / a.interval:.0f} submissions/s offered), 1 in {a.resend_every} sent twice"
        )
        print(
            f"  writes done      {len(writes):6d} in {wall:.1f} s = {len(writes) / wall:.1f} writes/s"
        )
        for q in (50, 95, 99):
            print(
                f"  latency p{q:<3d}     {pct(lat, q):7.2f} ms   alone {pct(alone_ms, q):6.2f} ms   ratio {pct(lat, q) / pct(alone_ms, q):5.1f}x"
            )
        print(f"  latency max      {max(lat):7.1f} ms   alone {max(alone_ms):6.1f} ms")
        print(f"  client CPU/write {statistics.mean(cpu):7.2f} ms")
        print(
            f"  attempts made    {len(made):6d} (expected {expected}); in the store {total} rows, {distinct} distinct"
        )
        print(f"  lost             {lost:6d}")
        print(f"  doubled          {total - distinct:6d}")
        print(
            f"  errors           {len(errors):6d}"
            + (f"  first: {errors[0][:120]}" if errors else "")
        )
    return {
        "writes_per_s": len(writes) / wall,
        "offered": learners / interval,
        "p50": pct(lat, 50),
        "p95": pct(lat, 95),
        "alone_p50": pct(alone_ms, 50),
        "cpu_ms": statistics.mean(cpu),
        "lost": lost,
        "doubled": total - distinct,
        "errors": len(errors),
        "size": size,
    }


FIGURES = (
    ("alone_p50", "write alone, p50 (ms)"),
    ("p50", "under load, p50 (ms)"),
    ("p95", "under load, p95 (ms)"),
    ("cpu_ms", "client CPU per write (ms)"),
)


def side_by_side(before: Path, rounds: int, opts: list[str]) -> None:
    """``--before DIR``: this script run ``rounds`` times against an earlier copy of the course
    (DIR, its package first on PYTHONPATH) and against this one, alternating (before, after,
    before...), each run a fresh process and a fresh server; the median of each figure, the
    ratio of the medians, and the median of the ratios of each round's pair (the two runs
    of a round saw the same machine)."""
    import json
    import subprocess

    runs: dict[str, list[dict]] = {"before": [], "after": []}
    for i in range(rounds):
        for side in runs:
            env = dict(os.environ)
            if side == "before":
                env["PYTHONPATH"] = str(before / "src")
            out = subprocess.run(
                [sys.executable, __file__, "--json", *opts],
                env=env,
                capture_output=True,
                text=True,
                check=True,
            ).stdout.splitlines()
            got = json.loads(out[-1])
            runs[side].append(got)
            print(
                f"round {i + 1} {side:6s} (load average {os.getloadavg()[0]:.1f}) "
                + ", ".join(f"{k} {got[k]:.2f}" for k, _ in FIGURES)
                + f"; lost {got['lost']}, doubled {got['doubled']}, errors {got['errors']}; "
                f"attempt of {got['size']:,} characters",
                flush=True,
            )
    print(
        f"\nmedians of {rounds} rounds (before = {before}); a figure is judged by the median of "
        "the paired ratios (the two runs of a round saw the same machine; the ratio of the "
        "medians mixes rounds that did not):"
    )
    for key, label in FIGURES:
        b = [r[key] for r in runs["before"]]
        a = [r[key] for r in runs["after"]]
        paired = statistics.median(x / y for x, y in zip(a, b, strict=True))
        print(
            f"  {label:28s} before {statistics.median(b):6.2f}  after {statistics.median(a):6.2f}"
            f"  ratio of medians {statistics.median(a) / statistics.median(b):4.2f}x"
            f"  median of paired ratios {paired:4.2f}x"
        )


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--learners", type=int, default=200)
    ap.add_argument("--rounds", type=int, default=6)
    ap.add_argument(
        "--interval", type=float, default=5.0, help="seconds between a learner's submissions"
    )
    ap.add_argument("--processes", type=int, default=4, help="client processes (threads in each)")
    ap.add_argument("--resend-every", type=int, default=50)
    ap.add_argument(
        "--before",
        type=Path,
        help="a copy of the course at an earlier commit (`git archive C | tar -x -C DIR`): "
        "both run alternately, --runs times each, and their figures printed side by side",
    )
    ap.add_argument("--runs", type=int, default=5, help="with --before: runs of each side")
    ap.add_argument("--json", action="store_true", help="print the figures as one JSON line")
    a = ap.parse_args()
    opts = [
        f"--learners={a.learners}",
        f"--rounds={a.rounds}",
        f"--interval={a.interval}",
        f"--processes={a.processes}",
        f"--resend-every={a.resend_every}",
    ]
    if a.before is not None:
        side_by_side(a.before.resolve(), a.runs, opts)
        return
    got = run(a.learners, a.rounds, a.interval, a.processes, a.resend_every, quiet=a.json)
    if a.json:
        import json

        print(json.dumps(got))


if __name__ == "__main__":
    main()
