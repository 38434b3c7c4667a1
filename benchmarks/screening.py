"""Issue 3 benchmark: generate and screen 100,000 persons from a scenario.

Prints figures and ratios; asserts nothing. Target: generate + screen 100,000 persons in at
most 1 s on this machine (2 cores), through the vectorised path (generate_frame, screen_frame).
For comparison it also times the per-person path (generate_cohort + screen) on a sample and
extrapolates it to 100,000.

Before/after (issue 10 cold trial, defect 7: 2.07 s measured on a loaded machine against the
1 s target): the parts of the engine made faster after profiling (cProfile) are kept as they
were in tests/screening_reference.py; each round times both on the same frame, CPU time beside
wall time, and prints the total as it would be with those parts as they were. For the whole
before/after, run this file at the commit before (749c5f9) beside it: see the issue 10 report.

It also times the narrative/fact check of issue 10 (mixedflows.narratives.check) over the boats
of seeds 0-199 of every scenario, as the tests run it, split into drawing the boats and checking
their texts, with the CPU time beside the wall time (the machine is shared).

Run: .venv/bin/python benchmarks/screening.py [--scenario lampedusa_2013] [--n 100000] [--rounds 5]
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "tests"))


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--scenario", default="lampedusa_2013", help="scenario id")
    ap.add_argument("--n", type=int, default=100_000, help="persons to generate and screen")
    ap.add_argument("--rounds", type=int, default=5, help="repetitions (the median is reported)")
    ap.add_argument("--sample", type=int, default=2_000, help="persons for the per-person path")
    ap.add_argument("--seeds", type=int, default=200, help="seeds per scenario, narrative check")
    args = ap.parse_args()

    from mixedflows.scenarios import generate_cohort, generate_frame, load_scenario
    from mixedflows.screening import screen, screen_frame

    sc = load_scenario(args.scenario)
    screen_frame(generate_frame(sc, 0, 1_000))  # warm caches (indicator table, imports)

    from screening_reference import assess_matrix_reference, person_ids_reference

    from mixedflows import trafficking
    from mixedflows.scenarios import _numbers  # the ids' numbers, made once per size

    gen, scr, tot, cpu = [], [], [], []
    old_parts, new_parts = [], []
    for r in range(args.rounds):
        c0, t0 = time.process_time(), time.perf_counter()
        df = generate_frame(sc, r, args.n)
        t1 = time.perf_counter()
        out = screen_frame(df)
        t2, c2 = time.perf_counter(), time.process_time()
        gen.append(t1 - t0)
        scr.append(t2 - t1)
        tot.append(t2 - t0)
        cpu.append(c2 - c0)
        # The replaced parts, old and new, on the same frame (CPU time: the machine is shared).
        obs = df[trafficking.indicator_columns()].to_numpy(dtype=bool)
        child = df["age"].to_numpy() < 18
        prefix = f"{sc.id}-{r}-"
        c0 = time.process_time()
        trafficking.assess_matrix(obs, child)
        _ = prefix + _numbers(args.n)
        c1 = time.process_time()
        assess_matrix_reference(obs, child)
        person_ids_reference(prefix, args.n)
        c2 = time.process_time()
        new_parts.append(c1 - c0)
        old_parts.append(c2 - c1)
    med = statistics.median(tot)
    print(f"scenario {sc.id}, {args.n:,} persons, median of {args.rounds} rounds")
    print(f"  generate_frame   {statistics.median(gen):7.3f} s")
    print(f"  screen_frame     {statistics.median(scr):7.3f} s")
    print(
        f"  total            {med:7.3f} s   (target <= 1 s: {'met' if med <= 1 else 'NOT met'};"
        f" best {min(tot):.3f} s, worst {max(tot):.3f} s)"
    )
    after = statistics.median(cpu)
    before = after - statistics.median(new_parts) + statistics.median(old_parts)
    print(
        f"  CPU time: after {after:.3f} s; before (assess_matrix and the person ids as they "
        f"were, timed in this run; the faster name and story draws not counted) {before:.3f} s:"
        f" {before / after:.2f}x; replaced parts "
        f"{statistics.median(old_parts):.3f} s -> {statistics.median(new_parts):.3f} s"
    )
    first = out.first_need.value_counts(normalize=True)
    print("  first needs: " + ", ".join(f"{k} {v:.1%}" for k, v in first.items()))

    t0 = time.perf_counter()
    people = generate_cohort(sc, 0, size=args.sample)
    t1 = time.perf_counter()
    for p in people:
        screen(p)
    t2 = time.perf_counter()
    per = (t2 - t0) / args.sample
    print(
        f"per-person path on {args.sample:,}: generate_cohort {t1 - t0:.3f} s, screen "
        f"{t2 - t1:.3f} s; extrapolated to {args.n:,}: {per * args.n:.1f} s "
        f"({per * args.n / med:.0f}x the vectorised path)"
    )
    narrative_check(args.seeds)


def narrative_check(seeds: int) -> None:
    """Issue 10: every sentence of every boat of seeds 0..seeds-1, all scenarios, checked."""
    import numpy as np

    from mixedflows.narratives.check import check_person
    from mixedflows.scenarios import (
        _draw,
        _persons_from_draw,
        _stable_hash,
        list_scenarios,
        load_scenario,
    )

    scs = [load_scenario(s) for s in list_scenarios()]
    w0, c0 = time.perf_counter(), time.process_time()
    people = []
    for sc in scs:
        lo, hi = sc.boat_size
        for seed in range(seeds):
            n = int(np.random.default_rng([seed, _stable_hash(sc.id), 1]).integers(lo, hi + 1))
            people += _persons_from_draw(_draw(sc, seed, n), narrate=False)
    w1, c1 = time.perf_counter(), time.process_time()
    problems = sum(len(check_person(p)) for p in people)
    w2, c2 = time.perf_counter(), time.process_time()
    print(
        f"narrative check, {len(scs)} scenarios x seeds 0-{seeds - 1}: {len(people):,} persons, "
        f"{problems} problems; draw {w1 - w0:.2f} s wall ({c1 - c0:.2f} s CPU), check "
        f"{w2 - w1:.2f} s wall ({c2 - c1:.2f} s CPU), {(c2 - c1) / len(people) * 1e3:.2f} ms "
        "CPU per person"
    )


if __name__ == "__main__":
    main()
