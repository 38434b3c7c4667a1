"""The dashboard names why it cannot read the store, as a participant's "NOT saved" names why an
attempt was not stored (issue 11 cold trial: it said "Could not read the store just now" for a
store made read-only, one that cannot be reached and one that is damaged alike). Each fault is
staged for real where that is quick: a store path that cannot exist, a damaged file, a store
made immutable mid-session (root)."""

from __future__ import annotations

import os
import shutil
import subprocess
import time

import pytest

from mixedflows.store import Store
from mixedflows.widgets.common import SAVE_CAUSES
from mixedflows.widgets.dashboard import STORE_READ_CAUSES, Dashboard, dashboard_app


def test_every_cause_a_participant_is_told_is_named_to_the_facilitator():
    # "refused" and "error" are about one attempt, not about reading the store.
    missing = set(SAVE_CAUSES) - set(STORE_READ_CAUSES) - {"refused", "error"}
    assert missing == set()


def test_a_store_that_cannot_be_reached_is_named(tmp_path):
    blocker = tmp_path / "a-file"
    blocker.write_text("x")
    widget = dashboard_app(store=Store(blocker / "cannot" / "be.sqlite", connect=False))
    print(widget.value)
    assert "cannot be reached or opened" in widget.value
    assert str(tmp_path) not in widget.value  # the location is in the server's log only


def test_a_damaged_store_is_named_with_what_to_do(tmp_path):
    bad = tmp_path / "a.sqlite"
    bad.write_bytes(b"this is not a database, but it is where the store should be" * 100)
    widget = dashboard_app(store=Store(bad, connect=False))
    print(widget.value)
    assert "damaged" in widget.value and "./mfl store recover" in widget.value


@pytest.mark.skipif(
    os.geteuid() != 0 or shutil.which("chattr") is None, reason="needs root and chattr"
)
def test_a_store_made_read_only_mid_session_is_named(tmp_path):
    folder = tmp_path / "db"
    folder.mkdir()
    path = folder / "a.sqlite"
    store = Store(path)
    store.record(learner="a", exercise_id="quiz", answer="x", score=1.0, feedback={}, session="s")
    d = Dashboard(store, "s")
    d._guarded(d.refresh)(force=True)
    assert "mf-bad" not in d.status.value
    frozen = [p for p in (folder, *folder.iterdir()) if p.exists()]
    subprocess.run(["chattr", "+i", *map(str, frozen)], check=True)
    try:
        d._guarded(d.refresh)(force=True)
        said = d.status.value
    finally:
        subprocess.run(["chattr", "-i", *map(str, frozen)], check=True)
    print(said)
    assert "read-only" in said and "NOT saved" in said
    time.sleep(1)  # past the store's first backoff (0.25 s, jittered)
    d._guarded(d.refresh)(force=True)  # writable again: the line goes
    assert "mf-bad" not in d.status.value
    store.close()
