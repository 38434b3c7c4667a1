"""What a learner reads when their attempt is not stored: each cause its own true sentence
(issue 11, cold trial: the page said the store "cannot be reached" when it was read-only, full
or locked). Every cause is staged on a real SQLite file: a file made read-only (as another user
when the test runs as root, who ignores file modes), a database another connection keeps
locked, a database at its page limit and a store on a real full disk (a tiny tmpfs, when this
machine lets the test mount one), a store marked damaged. Each says what is wrong and what
happens to the answer, and says "kept" only when the attempt is kept (then it is added to the
store once the cause is gone).
"""

from __future__ import annotations

import multiprocessing
import os
import shutil
import sqlite3
import subprocess
import tempfile
import traceback
from pathlib import Path

import pytest
from harness import become_nobody, read_only_store

from mixedflows.store import Store, backends
from mixedflows.widgets.common import Recorder, save_kept, save_lost

FORK = multiprocessing.get_context("fork")


def _kept(root: Path) -> list[Path]:
    return list(root.glob("*/*.json"))


def _said(rec: Recorder) -> str:
    return rec.status("Score 50%.")


def _assert_honest(status: str, outcome: str) -> None:
    """'kept' only when kept; NOT saved said when not saved."""
    if outcome == "kept":
        assert "is kept on the computer running the course" in status and "NOT" not in status
    else:
        assert "NOT saved" in status and "is kept" not in status


# --- read-only --------------------------------------------------------------------------------


def _record_as_nobody(conn, location: str, pending: str | None) -> None:
    try:
        become_nobody()
        if pending is None:
            os.environ.pop("MIXEDFLOWS_PENDING", None)
            os.environ["HOME"] = "/nonexistent/nobody"
            os.environ.pop("XDG_STATE_HOME", None)
        else:
            os.environ["MIXEDFLOWS_PENDING"] = pending
        rec = Recorder(store=Store(location, connect=False), learner="ro", session="s")
        rec.record("ex", {"seq": 1}, None, feedback={})
        conn.send((rec.last_outcome, rec.last_cause, rec.last_keep_problem, _said(rec)))
    except BaseException:
        conn.send(("error", traceback.format_exc(), "", ""))


def _in_child(location: str, pending: str | None) -> tuple[str, str, str, str]:
    ours, theirs = FORK.Pipe()
    proc = FORK.Process(target=_record_as_nobody, args=(theirs, location, pending), daemon=True)
    proc.start()
    got = ours.recv() if ours.poll(120) else ("error", "nothing in 120 s", "", "")
    proc.join(10)
    assert got[0] != "error", got[1]
    return got


def test_read_only_store_says_read_only(pending_root):
    with read_only_store() as location:
        outcome, cause, _problem, status = _in_child(location, str(pending_root))
        print(f"\n[read-only] outcome {outcome}, cause {cause}: {status}")
        assert (outcome, cause) == ("kept", "readonly")
        assert "read-only" in status and "cannot be reached" not in status
        assert save_kept("readonly") in status and "when it can be written again" in status
        _assert_honest(status, outcome)
        assert len(_kept(pending_root)) == 1

        # Nowhere to keep it either: NOT saved, and both reasons said.
        outcome, cause, problem, status = _in_child(location, None)
        print(f"[read-only, no home] outcome {outcome}, cause {cause}/{problem}: {status}")
        assert (outcome, cause) == ("not_saved", "readonly")
        assert save_lost("readonly", problem) in status and "read-only" in status
        _assert_honest(status, outcome)

        os.chmod(location, 0o644)  # writable again: the kept attempt is added, once
        with Store(location) as s:
            assert s.replay_pending() == 1 and s.count() == 1


# --- locked -----------------------------------------------------------------------------------


def test_locked_store_says_locked(tmp_path, pending_root, monkeypatch):
    monkeypatch.setattr(backends, "LOCK_WAIT", 0.5)
    location = str(tmp_path / "attempts.sqlite")
    with Store(location):
        pass
    holder = sqlite3.connect(location, isolation_level=None)
    holder.execute("BEGIN EXCLUSIVE")  # another program holds the write lock
    try:
        rec = Recorder(store=Store(location, connect=False), learner="lk", session="s")
        rec.record("ex", {"seq": 1}, None, feedback={})
        status = _said(rec)
        print(f"\n[locked] outcome {rec.last_outcome}, cause {rec.last_cause}: {status}")
        assert (rec.last_outcome, rec.last_cause) == ("kept", "locked")
        assert "locked by another program" in status and "cannot be reached" not in status
        _assert_honest(status, rec.last_outcome)
    finally:
        holder.execute("ROLLBACK")
        holder.close()
    with Store(location) as s:
        assert s.replay_pending() == 1 and s.count() == 1


# --- full ---------------------------------------------------------------------------------------


def test_store_at_its_page_limit_says_full(tmp_path, pending_root):
    location = str(tmp_path / "attempts.sqlite")
    store = Store(location)
    pages = store._conn.execute("PRAGMA page_count").fetchone()[0]
    store._conn.execute(f"PRAGMA max_page_count = {pages}")  # SQLite's own "database is full"
    rec = Recorder(store=store, learner="fu", session="s")
    rec.record("ex", {"text": "x" * 12_000}, None, feedback={})
    status = _said(rec)
    print(f"\n[page limit] outcome {rec.last_outcome}, cause {rec.last_cause}: {status}")
    assert (rec.last_outcome, rec.last_cause) == ("kept", "full")
    assert "is full" in status and "cannot be reached" not in status
    _assert_honest(status, rec.last_outcome)
    store.close()
    with Store(location) as s:
        assert s.replay_pending() == 1 and s.count() == 1


@pytest.fixture
def tiny_disk():
    """A 200 KB tmpfs, mounted for the test (skipped where the test may not mount one)."""
    where = Path(tempfile.mkdtemp(prefix="mf-tiny-"))
    got = subprocess.run(
        ["mount", "-t", "tmpfs", "-o", "size=200k", "tmpfs", str(where)],
        capture_output=True,
        text=True,
    )
    if got.returncode != 0:
        where.rmdir()
        pytest.skip(f"cannot mount a tmpfs here: {got.stderr.strip()}")
    try:
        yield where
    finally:
        subprocess.run(["umount", "-l", str(where)], check=False)
        shutil.rmtree(where, ignore_errors=True)


def _fill(disk: Path) -> Path:
    """Fill a disk to its last byte; returns the file that fills it."""
    filler = disk / "filler"
    fd = os.open(filler, os.O_WRONLY | os.O_CREAT)
    try:
        for size in (4096, 512, 1):
            try:
                while True:
                    os.write(fd, b"\0" * size)
            except OSError:
                pass
    finally:
        os.close(fd)
    return filler


def test_store_on_a_full_disk_says_full_and_not_saved(tiny_disk, monkeypatch):
    """The store and the folder for kept attempts on one real disk that fills up: the page says
    the disk is full and that the attempt was NOT saved (it could not be kept either)."""
    monkeypatch.setenv("MIXEDFLOWS_PENDING", str(tiny_disk / "unsaved"))
    location = str(tiny_disk / "attempts.sqlite")
    with Store(location):
        pass
    _fill(tiny_disk)
    rec = Recorder(store=Store(location, connect=False), learner="fd", session="s")
    outcomes = []
    for seq in range(5):  # the WAL may still have room for the first ones
        rec.record("ex", {"seq": seq, "text": "y" * 8000}, None, feedback={})
        outcomes.append(rec.last_outcome)
        if rec.last_outcome != "stored":
            break
    status = _said(rec)
    print(
        f"\n[full disk] outcomes {outcomes}, cause {rec.last_cause}/{rec.last_keep_problem}: "
        f"{status}"
    )
    assert rec.last_outcome == "not_saved" and rec.last_cause == "full"
    assert rec.last_keep_problem == "full"
    assert "The disk that holds the attempt store is full" in status
    assert "the disk of the computer running the course is full" in status
    _assert_honest(status, rec.last_outcome)


# --- damaged, unreachable -----------------------------------------------------------------------


def test_damaged_store_says_damaged(tmp_path, pending_root):
    location = tmp_path / "attempts.sqlite"
    with Store(location):
        pass
    location.with_name("attempts.sqlite.damaged").write_text("integrity check: test\n")
    rec = Recorder(store=Store(str(location), connect=False), learner="dm", session="s")
    rec.record("ex", {"seq": 1}, None, feedback={})
    status = _said(rec)
    assert (rec.last_outcome, rec.last_cause) == ("kept", "damaged")
    assert "damaged" in status and "until the facilitator repairs it" in status
    _assert_honest(status, rec.last_outcome)


def test_each_cause_has_its_own_sentence():
    from mixedflows.widgets.common import SAVE_CAUSES

    kept = {c: save_kept(c) for c in SAVE_CAUSES}
    lost = {c: save_lost(c) for c in SAVE_CAUSES}
    assert len(set(kept.values())) == len(SAVE_CAUSES) == len(set(lost.values()))
    for c in SAVE_CAUSES:
        assert "NOT saved" in lost[c] and "kept on the computer" in kept[c]
        assert ("cannot be reached" in kept[c]) == (c == "unreachable")


def _files(root: Path) -> dict[str, int]:
    return {str(p.relative_to(root)): p.stat().st_size for p in root.rglob("*") if p.is_file()}


def test_full_disk_leaves_no_empty_or_partial_kept_file(tmp_path, tiny_disk, monkeypatch):
    """Issue 11 (second trial, left over): after a full disk, an empty ``store.txt`` was left in
    the folder for kept attempts, and stayed empty. On a real full disk nothing is left but
    complete files; once there is room, the attempt is kept with its label and added once."""
    unsaved = tiny_disk / "unsaved"
    monkeypatch.setenv("MIXEDFLOWS_PENDING", str(unsaved))
    blocked = tmp_path / "store"
    blocked.write_text("in the way")  # the store cannot be made: every attempt is to be kept
    location = str(blocked / "attempts.sqlite")
    filler = _fill(tiny_disk)
    rec = Recorder(store=Store(location, connect=False), learner="fd", session="s")
    rec.record("ex", {"seq": 1, "text": "y" * 8000}, None, feedback={})
    left = _files(unsaved) if unsaved.exists() else {}
    print(f"\n[full disk, kept folder] outcome {rec.last_outcome}/{rec.last_keep_problem}: {left}")
    assert (rec.last_outcome, rec.last_keep_problem) == ("not_saved", "full")
    assert not [name for name, size in left.items() if size == 0 or name.endswith(".tmp")]

    # Room for the label but not for the attempt: still nothing partial.
    filler.unlink()
    keep = tiny_disk / "keep"
    keep.write_bytes(b"\0" * 8192)
    _fill(tiny_disk)
    keep.unlink()  # two pages free: a label fits, an attempt of 15,000 characters does not
    rec.record("ex", {"seq": 2, "text": "z" * 15_000}, None, feedback={})
    left = _files(unsaved) if unsaved.exists() else {}
    print(f"[nearly full] outcome {rec.last_outcome}/{rec.last_keep_problem}: {left}")
    assert (rec.last_outcome, rec.last_keep_problem) == ("not_saved", "full")
    assert not [name for name, size in left.items() if size == 0 or name.endswith(".tmp")]

    (tiny_disk / "filler").unlink()  # room again
    rec.record("ex", {"seq": 3}, None, feedback={})
    assert rec.last_outcome == "kept"
    (label,) = unsaved.glob("*/store.txt")
    assert label.read_text(encoding="utf-8") == location + "\n"
    blocked.unlink()
    with Store(location) as s:
        assert s.replay_pending() == 1 and s.count() == 1
