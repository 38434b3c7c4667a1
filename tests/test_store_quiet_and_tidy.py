"""A store that is down does not flood the log, and kept attempts leave nothing behind once sent
(issue 11, third cold trial of ``./mfl facilitate``).

- Each failed draft save wrote a full traceback into the server log (about 5 per submit while
  the store was down). Now one line names the cause, with a running count.
- After every kept attempt was replayed, each pending folder still held its ``store.txt``.
  Now the folder goes once nothing is pending in it.
"""

from __future__ import annotations

import logging

import pytest
from harness import free_port

from mixedflows.store import Store
from mixedflows.store.core import make_row
from mixedflows.widgets import common
from mixedflows.widgets.common import Recorder


def _row(i: int) -> dict:
    return make_row(learner=f"p{i}", exercise_id="ex", answer={"i": i}, score=1.0, feedback={})


@pytest.fixture
def draft_log(caplog, monkeypatch):
    monkeypatch.setattr(common, "DRAFT_FAILURES", {}, raising=False)
    monkeypatch.setattr(common.log, "propagate", True)  # (a kernel sends it to its stderr)
    with caplog.at_level(logging.INFO, logger="mixedflows"):
        yield caplog


def test_failed_draft_saves_log_one_line_each_with_a_count(draft_log, tmp_path, monkeypatch):
    monkeypatch.setenv("MIXEDFLOWS_PENDING", str(tmp_path / "pending"))
    down = f"postgresql://mfl:pw@127.0.0.1:{free_port()}/mfl"  # no server answers
    rec = Recorder(store=Store(down, connect=False), learner="amina", session="s")
    saved = [rec.save_draft("ex", {"text": f"draft {i}"}) for i in range(25)]
    lines = [r for r in draft_log.records if "draft of ex not saved" in r.getMessage()]
    print(f"25 failed draft saves: {len(lines)} log line(s):")
    for r in lines:
        print(" ", r.getMessage()[:200])
    assert saved == [False] * 25
    assert len(lines) == 2  # the 1st and the 10th
    assert not any(r.exc_info for r in lines)  # no traceback
    assert "cannot open the PostgreSQL store" in lines[0].getMessage()
    assert "(1 draft(s) not saved so far for this cause: unreachable)" in lines[0].getMessage()
    assert "(10 draft(s) not saved so far" in lines[1].getMessage()
    assert "Traceback" not in draft_log.text


def test_a_draft_failure_that_is_not_the_stores_keeps_its_traceback_once(draft_log):
    class Broken:
        def save_draft(self, **_kw):
            raise ValueError("a bug")

    rec = Recorder(store=Broken(), learner="amina", session="s")
    for _ in range(3):
        rec.save_draft("ex", {"text": "x"})
    lines = [r for r in draft_log.records if "not saved" in r.getMessage()]
    assert len(lines) == 1 and lines[0].exc_info
    assert "a bug" in lines[0].getMessage() and "ValueError" in lines[0].getMessage()


def test_a_pending_folder_goes_once_every_attempt_in_it_is_stored(tmp_path, monkeypatch):
    monkeypatch.setenv("MIXEDFLOWS_PENDING", str(tmp_path / "pending"))
    store = Store(tmp_path / "a.sqlite")
    for i in range(3):
        assert store.pending.keep(_row(i)) is not None
    store.pending.label()
    folder = store.pending.folder
    assert (folder / "store.txt").is_file()
    assert store.replay_pending() == 3
    left = sorted(p.name for p in (tmp_path / "pending").rglob("*"))
    print(f"after the replay of 3 kept attempts, the pending root holds: {left}")
    assert store.count() == 3
    assert not folder.exists() and left == []
    # A later fault keeps attempts again, in a folder made again, and labelled.
    assert store.pending.keep(_row(9)) is not None
    assert (folder / "store.txt").read_text().strip().endswith("a.sqlite")
    assert store.replay_pending() == 1 and not folder.exists()


def test_a_folder_with_something_set_aside_stays(tmp_path, monkeypatch):
    monkeypatch.setenv("MIXEDFLOWS_PENDING", str(tmp_path / "pending"))
    store = Store(tmp_path / "a.sqlite")
    assert store.pending.keep(_row(1)) is not None
    (store.pending.folder / "broken.json").write_bytes(b"")  # set aside by the replay
    assert store.replay_pending() == 1
    assert store.pending.set_aside() and (store.pending.folder / "store.txt").is_file()


def test_a_write_finds_its_folder_again_when_it_was_tidied_away(tmp_path, monkeypatch):
    """A kernel keeping an attempt while another removed the emptied folder: the attempt is
    kept all the same."""
    from mixedflows.store import pending

    monkeypatch.setenv("MIXEDFLOWS_PENDING", str(tmp_path / "pending"))
    kept = pending.PendingAttempts(str(tmp_path / "a.sqlite"))
    real = pending.write_atomic
    calls = []

    def tidied_first(path, data):
        calls.append(path)
        if len(calls) == 1:
            path.parent.rmdir()  # the other process's tidy, between mkdir and write
        return real(path, data)

    monkeypatch.setattr(pending, "write_atomic", tidied_first)
    assert kept.keep(_row(1)) is not None
    assert kept.count() == 1
