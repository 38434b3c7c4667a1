"""The attempt store: round trip, hostile text kept inert, a corrupt file named, not erased."""

from __future__ import annotations

import sqlite3

import pytest

from mixedflows.store import Store, StoreError, clean_pseudonym


def test_round_trip(tmp_path):
    path = tmp_path / "sub" / "attempts.sqlite"  # created on first use
    with Store(path) as s:
        rid = s.record(
            learner="amina",
            exercise_id="m1",
            answer={"p1": {"profiles": ["child"]}},
            score=0.75,
            feedback={"items": [{"credit": 0.75}]},
            session="ws1",
        )
    with Store(path) as s:
        (a,) = s.attempts(learner="amina")
    assert a.id == rid and a.exercise_id == "m1" and a.session == "ws1"
    assert a.answer == {"p1": {"profiles": ["child"]}}
    assert a.score == 0.75 and a.feedback["items"][0]["credit"] == 0.75
    assert a.created_at.endswith("+00:00")


def test_location_from_environment(tmp_path, monkeypatch):
    monkeypatch.setenv("MIXEDFLOWS_STORE", str(tmp_path / "env.sqlite"))
    with Store() as s:
        s.record(learner="x", exercise_id="e", answer=1, score=1.0, feedback=[])
    assert (tmp_path / "env.sqlite").exists()


def test_hostile_text_is_stored_as_data(tmp_path):
    payload = "<script>alert(1)</script>'); DROP TABLE attempts;--"
    with Store(tmp_path / "a.sqlite") as s:
        s.record(learner=payload, exercise_id="e", answer=payload, score=None, feedback=[])
        (a,) = s.attempts()
        assert a.answer == payload and s.count() == 1
    assert "<" not in clean_pseudonym(payload)


def test_corrupt_store_is_named_and_kept(tmp_path):
    bad = tmp_path / "attempts.sqlite"
    bad.write_bytes(b"this is not a database" * 100)
    with pytest.raises(StoreError, match="corrupt") as err:
        Store(bad)
    assert str(bad) in str(err.value)
    assert bad.read_bytes().startswith(b"this is not")  # nothing lost


def test_integrity_check(tmp_path):
    with Store(tmp_path / "a.sqlite") as s:
        assert s.integrity_ok()
        con = sqlite3.connect(tmp_path / "a.sqlite")
        assert con.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
