"""Issue 11 point 9: how much room attempts take in the store (SQLite and PostgreSQL).

Records ``--n`` module 1 attempts through the app itself (``BoatApp``: a new boat per attempt,
random answers, graded and recorded as a learner's submit does), then prints the bytes per
attempt on disk: the SQLite file (after a checkpoint), and, when Debian's PostgreSQL binaries
are present, the table with its indexes and TOAST on a throw-away server (PostgreSQL compresses
values over about 2 KB itself). Then what a course of ``--learners`` takes at that size, for
``--attempts`` attempts per learner. Prints figures; asserts nothing.

Run: .venv/bin/python benchmarks/store_size.py [--n 200] [--learners 500] [--attempts 45]
"""

from __future__ import annotations

import argparse
import random
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "tests"))


def fill(store, n: int, seed: int) -> None:
    from mixedflows.widgets.boat import BoatApp
    from mixedflows.widgets.common import Recorder

    rng = random.Random(seed)
    rec = Recorder(store=store, learner="bench", session="size")
    for i in range(n):
        app = BoatApp(recorder=rec, seed=1000 + i)
        needs = [v for _, v in app.need.options if v]
        for p in app.persons:
            app.answers[p.person_id] = {
                "profiles": [prof.value for prof in app.checks if rng.random() < 0.3],
                "first_need": rng.choice(needs) if rng.random() < 0.8 else None,
            }
        app._on_submit(None)
        assert rec.last_outcome == "stored", rec.last_error


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--n", type=int, default=200, help="module 1 attempts to record")
    ap.add_argument("--learners", type=int, default=500, help="learners in the course")
    ap.add_argument(
        "--attempts", type=int, default=45, help="attempts per learner (15 exercises x 3)"
    )
    args = ap.parse_args()

    from mixedflows.store import Store

    sizes: dict[str, float] = {}
    with tempfile.TemporaryDirectory() as d:
        path = Path(d) / "attempts.sqlite"
        with Store(path) as s:
            s.record(learner="warm", exercise_id="x", answer=1, score=1.0, feedback=[])
            s._conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
            empty = path.stat().st_size
            fill(s, args.n, 1)
            s._conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
            (answer, feedback) = s._conn.execute(
                "SELECT AVG(LENGTH(answer)), AVG(LENGTH(feedback)) FROM attempts "
                "WHERE session = 'size'"
            ).fetchone()
        sizes["SQLite file"] = (path.stat().st_size - empty) / args.n
    print(
        f"module 1 attempt, as stored: answer {answer:,.0f} characters, feedback "
        f"{feedback:,.0f} characters (JSON)"
    )

    import pg

    bindir = pg.find_bindir()
    if bindir is None:
        print("PostgreSQL: binaries not found, skipped")
    else:
        server = pg.PostgresServer(bindir).start()
        try:
            url = server.create_database()
            with Store(url) as s:
                fill(s, args.n, 1)
                (total, col) = s.backend.execute(
                    "SELECT pg_total_relation_size('attempts'), "
                    "AVG(pg_column_size(feedback)) FROM attempts"
                )[0]
            sizes["PostgreSQL table"] = total / args.n
            print(f"PostgreSQL keeps the feedback compressed: {float(col):,.0f} bytes on average")
        finally:
            server.stop()

    course = args.learners * args.attempts
    for name, per in sizes.items():
        print(
            f"{name}: {per / 1024:,.1f} KB per module 1 attempt; a course of "
            f"{args.learners} learners x {args.attempts} attempts ({course:,} attempts) at that "
            f"size: {per * course / 1024**2:,.0f} MB"
        )


if __name__ == "__main__":
    main()
