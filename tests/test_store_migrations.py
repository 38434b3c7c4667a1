"""The store's schema as migration files, applied on SQLite and on a real PostgreSQL (tests/pg.py):
every older version a store can be at is brought to the latest, its rows kept, and the newest
columns (structured feedback items, the grade shown) round-trip."""

from __future__ import annotations

import pytest

from mixedflows.store import SCHEMA_VERSION, Store, backend_for
from mixedflows.store.migrations import migrations, split_sql

pytest_plugins = ["pg"]

BACKENDS = ["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)]


@pytest.fixture(params=BACKENDS)
def location(request, tmp_path) -> str:
    if request.param == "sqlite":
        return str(tmp_path / "attempts.sqlite")
    return request.getfixturevalue("postgres_url")


def test_migration_files_agree_across_databases():
    lite, pg = migrations("sqlite"), migrations("postgresql")
    assert (
        [m.version for m in lite] == [m.version for m in pg] == list(range(1, SCHEMA_VERSION + 1))
    )
    assert SCHEMA_VERSION >= 3
    for a, b in zip(lite, pg, strict=True):
        # A shared file is the same file; a pair differs only in its dialect suffix.
        assert a.name.split(".")[0] == b.name.split(".")[0]
        assert a.statements and b.statements


def test_split_sql_keeps_semicolons_inside_strings():
    text = "-- a comment; not a statement\nCREATE TABLE t (x TEXT DEFAULT 'a;b');\n\nSELECT 1;\n"
    assert split_sql(text) == ["CREATE TABLE t (x TEXT DEFAULT 'a;b')", "SELECT 1"]
    with pytest.raises(ValueError, match="unfinished"):
        split_sql("SELECT 1")


def _columns(backend) -> set[str]:
    if backend.dialect == "sqlite":
        return {r[1] for r in backend.execute("PRAGMA table_info(attempts)")}
    return {
        r[0]
        for r in backend.execute(
            "SELECT column_name FROM information_schema.columns WHERE table_name = 'attempts'"
        )
    }


@pytest.mark.parametrize("start", range(1, SCHEMA_VERSION))
def test_a_store_at_each_older_version_is_brought_to_the_latest(location, start):
    """A store left at version ``start`` (by the migration files themselves), holding a row
    written by the code of that time, opens at the latest version with the row intact."""
    old = backend_for(location)
    old.connect()
    assert old.migrate(target=start) == start
    assert ("feedback_items" in _columns(old)) == (start >= 3)
    old.execute(
        "INSERT INTO attempts (learner, session, exercise_id, answer, score, feedback, created_at) "
        "VALUES ('old', 's', 'm1', '{\"a\": 1}', 0.5, '[]', '2026-01-01T00:00:00.000+00:00')"
    )
    old.close()

    with Store(location) as s:
        assert s.schema_version() == SCHEMA_VERSION
        assert {"uid", "feedback_items", "grade_shown"} <= _columns(s.backend)
        (row,) = s.attempts()
        assert (row.learner, row.answer, row.score) == ("old", {"a": 1}, 0.5)
        assert row.feedback_items is None and row.grade_shown is None
        items = [{"item": "p1", "expected": ["child"], "given": [], "credit": 0.0}]
        rid = s.record(
            learner="new",
            exercise_id="m1",
            answer={"p1": []},
            score=0.0,
            feedback={"score": 0.0},
            feedback_items=items,
            grade_shown="0%",
        )
        (new,) = s.attempts(learner="new")
        assert new.id == rid > row.id
        assert new.feedback_items == items and new.grade_shown == "0%" and new.uid
        assert s.integrity_ok()


def test_a_new_store_and_a_current_one(location):
    with Store(location) as s:
        assert s.schema_version() == SCHEMA_VERSION and s.count() == 0
    with Store(location) as s:  # opening a current store changes nothing
        assert s.schema_version() == SCHEMA_VERSION
        (version,) = s.backend.execute("SELECT value FROM meta WHERE key = 'schema_version'")
        assert version == (str(SCHEMA_VERSION),)


def test_drafts_one_per_learner_and_exercise_kept_apart_from_attempts(location):
    """Schema 4: a learner's unsubmitted answer, replaced by the next, never an attempt."""
    with Store(location) as s:
        assert s.load_draft(learner="ana", exercise_id="m1") is None
        s.save_draft(learner="ana", exercise_id="m1", draft={"seed": 1, "answers": {"p1": 2}})
        s.save_draft(learner="ana", exercise_id="m1", draft={"seed": 2, "answers": {}})
        s.save_draft(learner="ana", exercise_id="m5", draft=["x"])
        s.save_draft(learner="ben", exercise_id="m1", draft={"seed": 9})
    with Store(location) as s:  # another page load, another process: still there
        assert s.load_draft(learner="ana", exercise_id="m1") == {"seed": 2, "answers": {}}
        assert s.load_draft(learner="ana", exercise_id="m5") == ["x"]
        assert s.load_draft(learner="ben", exercise_id="m1") == {"seed": 9}
        assert s.count() == 0
