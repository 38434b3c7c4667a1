"""The attempt store: every graded attempt, kept for the learner and the facilitator.

SQLite by default (no set-up; WAL, so many kernel processes can write at once), at the path in
``MIXEDFLOWS_STORE`` or ``$XDG_DATA_HOME/mixedflows/attempts.sqlite``; PostgreSQL when
``MIXEDFLOWS_STORE`` is a ``postgresql://`` URL (a JupyterHub deployment).

Learner ids are pseudonyms the learner chose (or a random id); no real name is required.

Exactly once: every attempt carries a random ``uid`` made before it is sent, unique in the
table. A write that failed in a way that leaves its fate unknown (a PostgreSQL connection
dropped mid-insert) is sent again on a fresh connection, and the unique ``uid`` turns a second
arrival into a no-op, so an attempt is neither lost nor doubled. A SQLite write that meets a
lock is simply waited for: SQLite reports "locked" only for a statement it did not run.
"""

from __future__ import annotations

import json
import os
import random
import re
import secrets
import sqlite3
import threading
import time
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

SCHEMA_VERSION = 2
"""1: attempts and meta. 2: adds ``attempts.uid`` (unique), migrated in place on open."""
MAX_TEXT = 20_000
"""Longest answer text kept (characters); longer free text is cut, and the cut is recorded."""
LOCK_WAIT = 60.0
"""Seconds a SQLite write waits for other writers before giving up with a StoreError."""

_SQLITE_SCHEMA = """
CREATE TABLE IF NOT EXISTS attempts (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    learner TEXT NOT NULL,
    session TEXT NOT NULL DEFAULT '',
    exercise_id TEXT NOT NULL,
    answer TEXT NOT NULL,
    score REAL,
    feedback TEXT NOT NULL,
    created_at TEXT NOT NULL,
    uid TEXT
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
    created_at TEXT NOT NULL,
    uid TEXT
);
ALTER TABLE attempts ADD COLUMN IF NOT EXISTS uid TEXT;
CREATE INDEX IF NOT EXISTS attempts_exercise ON attempts (session, exercise_id);
CREATE INDEX IF NOT EXISTS attempts_learner ON attempts (learner);
CREATE UNIQUE INDEX IF NOT EXISTS attempts_uid ON attempts (uid);
CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
"""
_PG_SCHEMA_LOCK = 4242
"""Advisory lock id: two kernels creating the tables at once would collide in pg_type."""

_LIMITS = {"session": 64, "exercise_id": 200}
_COLUMNS = "id, learner, session, exercise_id, answer, score, feedback, created_at"


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
    """UTC time of the attempt, ISO 8601 with milliseconds."""


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


def _redact(location: str) -> str:
    """A store location fit for a message: a URL's password is never shown."""
    return re.sub(r"(://[^:/@]+):[^@]*@", r"\1:***@", location)


def _clean_id(text: Any, limit: int) -> str:
    """A session code or exercise id as stored: printable characters only (PostgreSQL's text
    cannot hold NUL), at most ``limit`` of them."""
    return "".join(ch for ch in str(text or "") if ch.isprintable())[:limit]


def _is_lock_error(e: sqlite3.OperationalError) -> bool:
    text = str(e).lower()
    return "locked" in text or "busy" in text


class Store:
    """Record and read attempts. Safe to use from many processes, and threads, at once."""

    def __init__(self, location: str | os.PathLike[str] | None = None) -> None:
        self.location = str(location) if location is not None else default_location()
        self.is_postgres = self.location.startswith(("postgresql://", "postgres://"))
        self._conn: Any = None
        # One connection per Store; a dashboard's refresh thread and its callbacks share it.
        self._lock = threading.RLock()
        self._open()

    def __repr__(self) -> str:
        return f"Store({_redact(self.location)!r})"

    # -- connection ----------------------------------------------------------------------------
    def _open(self) -> None:
        if self.is_postgres:
            self._open_postgres()
        else:
            self._open_sqlite()

    def _open_postgres(self) -> None:
        try:
            import psycopg
        except ImportError:
            raise StoreError(
                "a PostgreSQL store needs psycopg: pip install 'mixedflows[postgres]'"
            ) from None
        try:
            self._conn = psycopg.connect(self.location, autocommit=True, connect_timeout=20)
            with self._conn.cursor() as cur:
                if self._pg_schema_current(cur):
                    return
                # DDL takes locks that stall other writers: only when the schema is behind.
                cur.execute("SELECT pg_advisory_lock(%s)", (_PG_SCHEMA_LOCK,))
                try:
                    cur.execute(_PG_SCHEMA)
                    cur.execute(
                        "INSERT INTO meta VALUES ('schema_version', %s) "
                        "ON CONFLICT (key) DO UPDATE SET value = EXCLUDED.value",
                        (str(SCHEMA_VERSION),),
                    )
                finally:
                    cur.execute("SELECT pg_advisory_unlock(%s)", (_PG_SCHEMA_LOCK,))
        except psycopg.Error as e:
            if self._conn is not None:
                self._conn.close()
            self._conn = None
            raise StoreError(
                f"cannot open the PostgreSQL store {_redact(self.location)}: {e}"
            ) from None

    @staticmethod
    def _pg_schema_current(cur: Any) -> bool:
        import psycopg

        try:
            cur.execute("SELECT value FROM meta WHERE key = 'schema_version'")
        except psycopg.errors.UndefinedTable:
            return False  # a new database (autocommit: the error ends nothing but itself)
        row = cur.fetchone()
        return row is not None and int(row[0]) >= SCHEMA_VERSION

    def _open_sqlite(self) -> None:
        path = Path(self.location).expanduser()
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            self._conn = sqlite3.connect(
                path, timeout=LOCK_WAIT, isolation_level=None, check_same_thread=False
            )
            self._conn.execute(f"PRAGMA busy_timeout={int(LOCK_WAIT * 1000)}")
            self._sqlite_retry(lambda: self._conn.execute("PRAGMA journal_mode=WAL"))
            # NORMAL in WAL mode: a committed attempt survives a crash of the process (the
            # case here: a kernel killed); only a power cut may lose the last few.
            self._conn.execute("PRAGMA synchronous=NORMAL")
            if not self._sqlite_schema_current():
                self._sqlite_retry(lambda: self._conn.executescript(_SQLITE_SCHEMA))
                self._sqlite_retry(self._migrate_sqlite)
        except sqlite3.DatabaseError as e:
            self.close()
            raise StoreError(
                f"the store at {path} cannot be used ({e}); it may be corrupt: "
                f"move it aside (nothing is deleted) and a new one will be created"
            ) from None
        except OSError as e:
            self.close()
            raise StoreError(f"cannot create the store at {path}: {e}") from None

    def _sqlite_schema_current(self) -> bool:
        try:
            row = self._sqlite_retry(
                lambda: self._conn.execute(
                    "SELECT value FROM meta WHERE key = 'schema_version'"
                ).fetchone()
            )
        except sqlite3.OperationalError as e:
            if "no such table" in str(e):
                return False
            raise
        return row is not None and int(row[0]) >= SCHEMA_VERSION

    def _migrate_sqlite(self) -> None:
        con = self._conn
        # BEGIN IMMEDIATE: one process migrates, the others wait and then find it done.
        con.execute("BEGIN IMMEDIATE")
        try:
            cols = {r[1] for r in con.execute("PRAGMA table_info(attempts)")}
            if "uid" not in cols:  # a version-1 store
                con.execute("ALTER TABLE attempts ADD COLUMN uid TEXT")
            con.execute("CREATE UNIQUE INDEX IF NOT EXISTS attempts_uid ON attempts (uid)")
            con.execute(
                "INSERT INTO meta VALUES ('schema_version', ?) "
                "ON CONFLICT (key) DO UPDATE SET value = excluded.value",
                (str(SCHEMA_VERSION),),
            )
            con.execute("COMMIT")
        except BaseException:
            con.execute("ROLLBACK")
            raise

    def _sqlite_retry(self, fn: Any) -> Any:
        """Run ``fn``, waiting out other writers' locks (with jitter) for up to LOCK_WAIT s."""
        deadline = time.monotonic() + LOCK_WAIT
        delay = 0.005
        while True:
            try:
                return fn()
            except sqlite3.OperationalError as e:
                if not _is_lock_error(e) or time.monotonic() > deadline:
                    raise
                # Some lock conflicts (e.g. during WAL recovery) return at once without
                # calling the busy handler; back off at random so 40 writers spread out.
                time.sleep(delay * (0.5 + random.random()))
                delay = min(delay * 2, 0.25)

    def close(self) -> None:
        with self._lock:
            if self._conn is not None:
                self._conn.close()
                self._conn = None

    def __enter__(self) -> Store:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def _execute(self, sql: str, params: tuple = ()) -> list[tuple]:
        """Run one statement and return its rows (none for a write without RETURNING)."""
        with self._lock:
            if self._conn is None:
                raise StoreError(f"the store {_redact(self.location)} is closed")
            if self.is_postgres:
                return self._execute_postgres(sql.replace("?", "%s"), params)
            try:
                return self._sqlite_retry(lambda: self._conn.execute(sql, params).fetchall())
            except sqlite3.Error as e:
                raise StoreError(f"cannot use the store at {self.location}: {e}") from None

    def _execute_postgres(self, sql: str, params: tuple) -> list[tuple]:
        import psycopg

        for attempt in range(2):
            try:
                with self._conn.cursor() as cur:
                    cur.execute(sql, params)
                    return cur.fetchall() if cur.description is not None else []
            except psycopg.OperationalError as e:
                # The connection broke (server restart, network): reconnect once and send the
                # statement again. Safe for writes because each attempt's uid is unique.
                if attempt == 1 or not self._conn.broken:
                    raise StoreError(
                        f"cannot use the PostgreSQL store {_redact(self.location)}: {e}"
                    ) from None
                self._conn.close()
                self._open_postgres()
            except psycopg.Error as e:
                raise StoreError(
                    f"cannot use the PostgreSQL store {_redact(self.location)}: {e}"
                ) from None
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
        """Record one attempt, exactly once; returns its id. ``answer`` and ``feedback`` are
        stored as JSON (longer answers than MAX_TEXT are cut, and marked as cut)."""
        answer_json = json.dumps(answer, ensure_ascii=False, default=str)
        if len(answer_json) > MAX_TEXT:
            answer_json = json.dumps(
                {"truncated": True, "text": answer_json[:MAX_TEXT]}, ensure_ascii=False
            )
        uid = secrets.token_hex(16)
        row = (
            clean_pseudonym(learner),
            _clean_id(session, _LIMITS["session"]),
            _clean_id(exercise_id, _LIMITS["exercise_id"]),
            answer_json,
            None if score is None else float(score),
            json.dumps(feedback, ensure_ascii=False, default=str),
            datetime.now(UTC).isoformat(timespec="milliseconds"),
            uid,
        )
        # ON CONFLICT: an attempt sent twice (see the module docstring) is stored once.
        rows = self._execute(
            "INSERT INTO attempts (learner, session, exercise_id, answer, score, feedback, "
            "created_at, uid) VALUES (?, ?, ?, ?, ?, ?, ?, ?) "
            "ON CONFLICT (uid) DO NOTHING RETURNING id",
            row,
        )
        if not rows:  # it had arrived before the connection broke
            rows = self._execute("SELECT id FROM attempts WHERE uid = ?", (uid,))
        return int(rows[0][0])

    # -- reading -------------------------------------------------------------------------------
    @staticmethod
    def _where(
        learner: str | None, exercise_id: str | None, session: str | None
    ) -> tuple[str, tuple]:
        where, params = [], []
        for col, val in (("learner", learner), ("exercise_id", exercise_id), ("session", session)):
            if val is not None:
                where.append(f"{col} = ?")
                # Looked up as recorded: the same cleaning as in record().
                params.append(
                    clean_pseudonym(val) if col == "learner" else _clean_id(val, _LIMITS[col])
                )
        return (" WHERE " + " AND ".join(where) if where else ""), tuple(params)

    def attempts(
        self,
        *,
        learner: str | None = None,
        exercise_id: str | None = None,
        session: str | None = None,
    ) -> list[Attempt]:
        """Attempts in the order they were made, filtered by learner, exercise or session."""
        where, params = self._where(learner, exercise_id, session)
        rows = self._execute(f"SELECT {_COLUMNS} FROM attempts{where} ORDER BY id", params)
        return [
            Attempt(int(r[0]), r[1], r[2], r[3], _loads(r[4]), r[5], _loads(r[6]), r[7] or "")
            for r in rows
        ]

    def count(self, *, session: str | None = None) -> int:
        """How many attempts there are (in one session, if given)."""
        where, params = self._where(None, None, session)
        return int(self._execute(f"SELECT COUNT(*) FROM attempts{where}", params)[0][0])

    def sessions(self) -> list[tuple[str, int]]:
        """Every session code with its number of attempts, the most recently active first."""
        rows = self._execute(
            "SELECT session, COUNT(*), MAX(id) FROM attempts GROUP BY session ORDER BY 3 DESC"
        )
        return [(r[0], int(r[1])) for r in rows]

    def integrity_ok(self) -> bool:
        """Whether the store is sound: SQLite's own integrity check; for PostgreSQL, that the
        table answers, its ids are unique and its indexes are valid."""
        if self.is_postgres:
            rows = self._execute(
                "SELECT (SELECT COUNT(*) = COUNT(DISTINCT id) FROM attempts), "
                "(SELECT bool_and(indisvalid) FROM pg_index "
                "WHERE indrelid = 'attempts'::regclass)"
            )
            return bool(rows[0][0]) and bool(rows[0][1])
        rows = self._execute("PRAGMA integrity_check")
        return len(rows) == 1 and rows[0][0] == "ok"


def _loads(text: str) -> Any:
    try:
        return json.loads(text)
    except (TypeError, ValueError):
        return text
