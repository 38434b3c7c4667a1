"""The attempt store: every graded attempt, kept for the learner and the facilitator.

SQLite by default (no set-up; WAL, so many kernel processes can write at once), at the path in
``MIXEDFLOWS_STORE`` or ``$XDG_DATA_HOME/mixedflows/attempts.sqlite``; PostgreSQL when
``MIXEDFLOWS_STORE`` is a ``postgresql://`` URL (a JupyterHub deployment).

Learner ids are pseudonyms the learner chose (or a random id); no real name is required.
"""

from __future__ import annotations

import json
import os
import re
import sqlite3
import time
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

SCHEMA_VERSION = 1
MAX_TEXT = 20_000
"""Longest answer text kept (characters); longer free text is cut, and the cut is recorded."""

_SQLITE_SCHEMA = """
CREATE TABLE IF NOT EXISTS attempts (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    learner TEXT NOT NULL,
    session TEXT NOT NULL DEFAULT '',
    exercise_id TEXT NOT NULL,
    answer TEXT NOT NULL,
    score REAL,
    feedback TEXT NOT NULL,
    created_at TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS attempts_exercise ON attempts (session, exercise_id);
CREATE INDEX IF NOT EXISTS attempts_learner ON attempts (learner);
CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
"""
_PG_SCHEMA = """
CREATE TABLE IF NOT EXISTS attempts (
    id BIGSERIAL PRIMARY KEY,
    learner TEXT NOT NULL,
    session TEXT NOT NULL DEFAULT '',
    exercise_id TEXT NOT NULL,
    answer TEXT NOT NULL,
    score DOUBLE PRECISION,
    feedback TEXT NOT NULL,
    created_at TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS attempts_exercise ON attempts (session, exercise_id);
CREATE INDEX IF NOT EXISTS attempts_learner ON attempts (learner);
CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
"""


class StoreError(RuntimeError):
    """The store cannot be opened or written; the message says which store and why."""


@dataclass(frozen=True)
class Attempt:
    id: int
    learner: str
    session: str
    exercise_id: str
    answer: Any
    score: float | None
    """None for answers that are recorded but not auto-graded (reflections)."""
    feedback: Any
    created_at: str


_PSEUDONYM = re.compile(r"[^\w .@-]", re.UNICODE)


def clean_pseudonym(name: str) -> str:
    """A learner's chosen pseudonym, kept as typed but for control characters and length.

    The dashboard escapes everything it shows; this only keeps ids tidy (1-40 characters).
    """
    name = "".join(ch for ch in str(name) if ch.isprintable()).strip()
    name = _PSEUDONYM.sub("", name)[:40].strip()
    return name or "anonymous"


def default_location() -> str:
    env = os.environ.get("MIXEDFLOWS_STORE")
    if env:
        return env
    base = Path(os.environ.get("XDG_DATA_HOME") or Path.home() / ".local" / "share")
    return str(base / "mixedflows" / "attempts.sqlite")


class Store:
    """Record and read attempts. Safe to use from many processes at once."""

    def __init__(self, location: str | os.PathLike[str] | None = None) -> None:
        self.location = str(location) if location is not None else default_location()
        self.is_postgres = self.location.startswith(("postgresql://", "postgres://"))
        self._conn: Any = None
        self._open()

    # -- connection ----------------------------------------------------------------------------
    def _open(self) -> None:
        if self.is_postgres:
            try:
                import psycopg
            except ImportError:
                raise StoreError(
                    "a PostgreSQL store needs psycopg: pip install 'mixedflows[postgres]'"
                ) from None
            try:
                self._conn = psycopg.connect(self.location, autocommit=True)
                with self._conn.cursor() as cur:
                    cur.execute("SELECT pg_advisory_lock(4242)")
                    try:
                        cur.execute(_PG_SCHEMA)
                    finally:
                        cur.execute("SELECT pg_advisory_unlock(4242)")
            except psycopg.Error as e:
                raise StoreError(f"cannot open the PostgreSQL store: {e}") from None
            return
        path = Path(self.location).expanduser()
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            self._conn = sqlite3.connect(
                path, timeout=60, isolation_level=None, check_same_thread=False
            )
            self._conn.execute("PRAGMA busy_timeout=60000")
            self._conn.execute("PRAGMA journal_mode=WAL")
            self._conn.execute("PRAGMA synchronous=NORMAL")
            self._conn.executescript(_SQLITE_SCHEMA)
            self._conn.execute(
                "INSERT OR IGNORE INTO meta VALUES ('schema_version', ?)", (str(SCHEMA_VERSION),)
            )
        except sqlite3.DatabaseError as e:
            raise StoreError(
                f"the store at {path} cannot be used ({e}); it may be corrupt: "
                f"move it aside (nothing is deleted) and a new one will be created"
            ) from None
        except OSError as e:
            raise StoreError(f"cannot create the store at {path}: {e}") from None

    def close(self) -> None:
        if self._conn is not None:
            self._conn.close()
            self._conn = None

    def __enter__(self) -> Store:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def _q(self, sql: str) -> str:
        return sql.replace("?", "%s") if self.is_postgres else sql

    def _execute(self, sql: str, params: tuple = ()) -> Any:
        for attempt in range(5):
            try:
                if self.is_postgres:
                    cur = self._conn.cursor()
                    cur.execute(self._q(sql), params)
                    return cur
                return self._conn.execute(sql, params)
            except sqlite3.OperationalError as e:
                if "locked" not in str(e) or attempt == 4:
                    raise StoreError(f"cannot write to the store at {self.location}: {e}") from None
                time.sleep(0.05 * (attempt + 1))
        raise AssertionError("unreachable")

    # -- writing -------------------------------------------------------------------------------
    def record(
        self,
        *,
        learner: str,
        exercise_id: str,
        answer: Any,
        score: float | None,
        feedback: Any,
        session: str = "",
    ) -> int:
        """Record one attempt; returns its id. ``answer`` and ``feedback`` are stored as JSON."""
        answer_json = json.dumps(answer, ensure_ascii=False, default=str)
        if len(answer_json) > MAX_TEXT:
            answer_json = json.dumps({"truncated": True, "text": answer_json[:MAX_TEXT]})
        row = (
            clean_pseudonym(learner),
            session[:64],
            exercise_id,
            answer_json,
            None if score is None else float(score),
            json.dumps(feedback, ensure_ascii=False, default=str),
            datetime.now(UTC).isoformat(timespec="milliseconds"),
        )
        sql = (
            "INSERT INTO attempts (learner, session, exercise_id, answer, score, feedback, "
            "created_at) VALUES (?, ?, ?, ?, ?, ?, ?)"
        )
        if self.is_postgres:
            cur = self._execute(sql + " RETURNING id", row)
            return int(cur.fetchone()[0])
        return int(self._execute(sql, row).lastrowid)

    # -- reading -------------------------------------------------------------------------------
    def attempts(
        self,
        *,
        learner: str | None = None,
        exercise_id: str | None = None,
        session: str | None = None,
    ) -> list[Attempt]:
        """Attempts in the order they were made, filtered by learner, exercise or session."""
        where, params = [], []
        for col, val in (("learner", learner), ("exercise_id", exercise_id), ("session", session)):
            if val is not None:
                where.append(f"{col} = ?")
                params.append(clean_pseudonym(val) if col == "learner" else val)
        sql = (
            "SELECT id, learner, session, exercise_id, answer, score, feedback, created_at "
            "FROM attempts"
        )
        if where:
            sql += " WHERE " + " AND ".join(where)
        rows = self._execute(sql + " ORDER BY id", tuple(params)).fetchall()
        return [
            Attempt(r[0], r[1], r[2], r[3], _loads(r[4]), r[5], _loads(r[6]), r[7]) for r in rows
        ]

    def count(self) -> int:
        return int(self._execute("SELECT COUNT(*) FROM attempts").fetchone()[0])

    def integrity_ok(self) -> bool:
        """SQLite's own integrity check (PostgreSQL: always true if the query answers)."""
        if self.is_postgres:
            self._execute("SELECT 1")
            return True
        return self._execute("PRAGMA integrity_check").fetchone()[0] == "ok"


def _loads(text: str) -> Any:
    try:
        return json.loads(text)
    except (TypeError, ValueError):
        return text
