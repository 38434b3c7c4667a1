"""Recovering a store whose attempts table SQLite cannot walk (issue 11, cold trial: with the
table's root page damaged, ``./mfl store recover`` saved nothing of 300 intact rows).

The rows are read from the file's leaf pages (:mod:`mixedflows.store.pages`): overflow pages
followed for long answers, the WAL's committed frames laid over the file, a damaged leaf's rows
counted as lost and said, the damaged file never written.
"""

from __future__ import annotations

import shutil
import sqlite3
from pathlib import Path

from mixedflows.store import Store, health
from mixedflows.store.core import COLUMNS
from mixedflows.store.pages import decode_record, leaf_rows

PAGE = 4096


def _fill(location: Path, n: int, size) -> None:
    with Store(location) as s:
        for i in range(n):
            s.record(
                learner=f"p{i % 7}",
                exercise_id="ex",
                answer={"seq": i, "t": "é" * size(i)},
                score=(i % 5) / 4,
                feedback={"items": []},
                session="s1",
            )
        s._conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")


def _page_of(location: Path, sql: str) -> int:
    con = sqlite3.connect(location)
    try:
        return int(con.execute(sql).fetchone()[0])
    finally:
        con.close()


def _root(location: Path) -> int:
    return _page_of(location, "SELECT rootpage FROM sqlite_master WHERE name = 'attempts'")


def _smash(location: Path, page: int, length: int = 16) -> None:
    with location.open("r+b") as fh:
        fh.seek((page - 1) * PAGE)
        fh.write(b"\x07" * length)


def test_root_page_damaged_long_answers_recovered(tmp_path, capsys):
    """Answers from 10 to 30,000 bytes (the long ones on overflow pages): every one read back
    from the leaf pages exactly as stored."""
    from mixedflows.server import cli

    location = tmp_path / "attempts.sqlite"
    _fill(location, 120, lambda i: (i * 997) % 9000 + 10)
    with Store(location) as s:
        stored = {a.uid: a for a in s.attempts()}
    _smash(location, _root(location))
    before = location.read_bytes()
    # SQLite itself reaches none of them.
    con = sqlite3.connect(f"file:{location}?mode=ro", uri=True)
    try:
        con.execute("SELECT COUNT(*) FROM attempts NOT INDEXED").fetchone()
        raise AssertionError("the damaged root page was read")
    except sqlite3.DatabaseError:
        pass
    finally:
        con.close()

    found: dict[str, int] = {}
    rows = [r for b in health.salvage_rows(location, found=found) for r in b]
    assert found == {"sqlite": 0, "pages": 120}
    assert [r[0] for r in rows] == sorted(r[0] for r in rows)  # in id order

    assert cli.main(["store", "recover", "--store", str(location)]) == 0
    out = capsys.readouterr().out
    print("\n" + out)
    assert "Saved 120 of the 120 attempt(s) the old file held; lost 0" in out
    (kept,) = [
        p
        for p in tmp_path.glob("attempts.sqlite.before-recover-*")
        if not p.name.endswith(("-wal", "-shm"))
    ]
    assert kept.read_bytes() == before
    with Store(location) as s:
        got = {a.uid: a for a in s.attempts()}
    assert got.keys() == stored.keys()
    for uid, a in stored.items():
        b = got[uid]
        assert (b.learner, b.session, b.exercise_id, b.answer, b.score, b.created_at) == (
            a.learner,
            a.session,
            a.exercise_id,
            a.answer,
            a.score,
            a.created_at,
        )


def test_root_and_a_leaf_damaged_counts_the_lost(tmp_path, capsys):
    """The root and one leaf damaged: the other leaves' rows are saved, the leaf's rows are
    counted as lost, and export reads what is readable."""
    from mixedflows.server import cli

    location = tmp_path / "attempts.sqlite"
    _fill(location, 200, lambda i: 1500)  # two attempts a page
    root = _root(location)
    con = sqlite3.connect(location)
    leaf = con.execute(
        "SELECT pageno FROM dbstat WHERE name = 'attempts' AND pagetype = 'leaf' "
        "ORDER BY pageno LIMIT 1 OFFSET 40"
    ).fetchone()
    con.close()
    if leaf is None:  # no dbstat in this SQLite build: the page after the root's first child
        leaf = (root + 41,)
    on_leaf = len(leaf_rows(location, lambda r: len(r) >= 8 and r[0] is None).rows)
    _smash(location, root)
    _smash(location, leaf[0], PAGE)  # the whole page
    readable = len(leaf_rows(location, lambda r: len(r) >= 8 and r[0] is None).rows)
    lost = on_leaf - readable
    assert lost >= 1

    out = tmp_path / "export"
    assert cli.main(["export", "--store", str(location), "--out", str(out)]) == 0
    assert f"{200 - lost} attempt(s)" in capsys.readouterr().out

    assert cli.main(["store", "recover", "--store", str(location)]) == 0
    text = capsys.readouterr().out
    print("\n" + text)
    assert f"Saved {200 - lost} of the 200 attempt(s) the old file held; lost {lost}" in text
    assert f"{lost} of the 200 attempt(s) in the old file could not be read" in text
    with Store(location) as s:
        assert s.count() == 200 - lost and s.integrity_ok()


def test_wal_frames_are_laid_over_the_file(tmp_path):
    """Attempts committed to the WAL and not yet checkpointed are read from it."""
    location = tmp_path / "attempts.sqlite"
    _fill(location, 40, lambda i: 200)
    s = Store(location)
    s._conn.execute("PRAGMA wal_autocheckpoint = 0")
    for i in range(40, 70):
        s.record(learner="w", exercise_id="ex", answer={"seq": i}, score=1.0, feedback={})
    copy = tmp_path / "copy" / "attempts.sqlite"
    copy.parent.mkdir()
    shutil.copy(location, copy)
    shutil.copy(f"{location}-wal", f"{copy}-wal")
    s.close()
    main_only = tmp_path / "main-only.sqlite"
    shutil.copy(copy, main_only)

    def is_attempt(r: tuple) -> bool:
        return len(r) == 1 + len(COLUMNS) and r[0] is None

    assert len(leaf_rows(main_only, is_attempt).rows) == 40
    rows = leaf_rows(copy, is_attempt).rows
    assert sorted(rows) == list(range(1, 71))
    assert rows[70][1] == "w"


def test_a_record_is_decoded_as_sqlite_wrote_it(tmp_path):
    """Every serial type (NULL, the integer sizes, 0 and 1, float, text, blob) read back as
    SQLite gives it."""
    db = tmp_path / "t.sqlite"
    con = sqlite3.connect(db)
    values = [None, 0, 1, -5, 300, -70000, 2**31, 2**40, -(2**62), 1.5, "tëxt", b"\x00\xff"]
    con.execute(f"CREATE TABLE t ({', '.join(f'c{i}' for i in range(len(values)))})")
    con.execute(f"INSERT INTO t VALUES ({', '.join('?' * len(values))})", values)
    con.commit()
    con.close()
    scan = leaf_rows(db, lambda r: len(r) == len(values))
    assert list(scan.rows.values()) == [tuple(values)]
    try:
        decode_record(b"\x05\x01\x01\x01\x01")
        raise AssertionError("a record past its end was decoded")
    except ValueError:
        pass
