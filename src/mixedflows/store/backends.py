"""One class per database behind one interface: :class:`Backend`.

A backend owns one connection and knows its database's ways: how to connect, how to run a
statement (``?`` placeholders everywhere), how to take the lock under which migrations run, how
to check its own integrity, and how its failures are named (``StoreError.kind``). The
:class:`~mixedflows.store.core.Store` above it is the same for every database: it reconnects
with backoff, refuses to write into a damaged store, and keeps the SQL.

Failure kinds (``StoreError.kind``), which decide what the store does next:

``unavailable``  the database cannot be reached or is busy past the wait (reconnect with backoff)
``broken``       the connection broke under a statement (reconnect at once and send it again:
                 every attempt's uid is unique, so a second arrival is a no-op)
``readonly``     the store cannot be written now (reconnect later: it may become writable)
``damaged``      the database file is corrupt (stop writing into it; ``./mfl store recover``)
``config``       a setting is wrong (a PostgreSQL store without psycopg)
``closed``       :meth:`Store.close` was called
``other``        anything else (the statement itself was refused)

What is wrong, for the learner's sentence (``StoreError.cause``; several causes share a kind,
and each gets its own true message, issue 11 cold trial): ``unreachable`` (a database server
down, a file or folder that cannot be opened or created), ``readonly`` (the file, its folder or
the database is read-only), ``full`` (the disk, or the database's page limit, is full),
``locked`` (another program held the lock past the wait), ``damaged``, ``disk_error`` (the disk
gave an input/output error), ``config``, ``closed``, ``refused`` (the statement was refused).
"""

from __future__ import annotations

import contextlib
import ctypes
import os
import random
import re
import sqlite3
import sys
import time
from abc import ABC, abstractmethod
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any, ClassVar

from mixedflows.store.migrations import migrations

LOCK_WAIT = 60.0
"""Seconds a SQLite write waits for other writers before giving up with a StoreError."""
CONNECT_TIMEOUT = 5
"""Seconds a PostgreSQL connection attempt may take (a kernel's submission waits for it)."""
PG_SCHEMA_LOCK = 4242
"""Advisory lock id: two kernels migrating at once would collide in pg_type."""


class StoreError(RuntimeError):
    """The store cannot be opened, read or written; the message says which store and why, and
    ``kind`` names the failure (see :mod:`mixedflows.store.backends`)."""

    def __init__(self, message: str, kind: str = "other", cause: str | None = None) -> None:
        super().__init__(message)
        self.kind = kind
        self.cause = cause or _CAUSE_OF_KIND.get(kind, "refused")
        """What is wrong, for the learner's sentence (see the module docstring)."""


_CAUSE_OF_KIND = {
    "unavailable": "unreachable",
    "broken": "unreachable",
    "readonly": "readonly",
    "damaged": "damaged",
    "config": "config",
    "closed": "closed",
    "other": "refused",
}


def redact(location: str) -> str:
    """A store location fit for a message, a log or a file: its secrets are never shown
    (the same rules as :func:`redact_secrets`, which every place that shows, logs or writes a
    store URL goes through)."""
    return redact_secrets(location)


_URL_PASSWORD = re.compile(r"([A-Za-z][A-Za-z0-9+.-]*://[^\s:/@'\"<>]*):[^\s'\"<>?#]*@")
"""``scheme://user:PASSWORD@``: the password up to the last ``@`` of the authority (an
unescaped ``@`` or ``/`` in a typed password is hidden whole)."""
_SECRET_NAMES = r"\w*(?:passw(?:or)?d|pwd|pass(?:file|phrase)|secret|sslkey|token)\w*"
"""Connection settings that hold or point to a secret (libpq's ``password``, ``sslpassword``,
``passfile``, ``sslkey``; a ``client_secret``, an access ``token``), in any case."""
_KEYWORD_SECRET = re.compile(
    rf"(?<![\w-])({_SECRET_NAMES})(\s*=\s*)('(?:[^'\\]|\\.)*'|\"[^\"]*\"|[^\s&#;'\"<>]*)", re.I
)
"""``name=value`` of a URL's query (``?user=mfl&password=x``) or a libpq keyword string
(``password='x y'``)."""
_COLON_PASSWORD = re.compile(r"\b(passw(?:or)?d|pwd)(\s*:\s*)(\S+)", re.I)
"""``password: x`` in a text (a YAML setting quoted in an error)."""


def redact_secrets(text: str) -> str:
    """Any text fit for a log, a page or a file: every URL's password
    (``scheme://user:***@host``), and every secret setting of a URL's query or a connection
    string (``password=***``, ``sslpassword=***``, ``passfile=***``, any case) replaced by
    ``***``. The one redaction of store URLs (issue 11, third cold trial: a password in the
    query string was printed in clear by ``./mfl store check``, the server log and
    ``pending/<hash>/store.txt``)."""
    text = _URL_PASSWORD.sub(r"\1:***@", str(text))
    text = _KEYWORD_SECRET.sub(r"\1\2***", text)
    return _COLON_PASSWORD.sub(r"\1\2***", text)


def insert_sql(table: str, columns: Sequence[str], key: str) -> str:
    """The insert of a row into ``table`` unless its ``key`` value is there; returns its id."""
    return (
        f"INSERT INTO {table} ({', '.join(columns)}) VALUES ({', '.join('?' * len(columns))}) "
        f"ON CONFLICT ({key}) DO NOTHING RETURNING id"
    )


@dataclass(frozen=True)
class Checked:
    """A row written and checked (:meth:`Backend.insert_checked`)."""

    new_id: int | None
    """Its id, or None when a row with its key was there already (nothing written)."""
    ids: list[int]
    """The ids its key finds after the write (one, when the store is sound)."""
    key: Any
    """The key of the row found (None: none found, or not as sent)."""
    differ: list[str]
    """The columns of a new row the store holds different from what was sent."""


class Backend(ABC):
    """One database connection and its database's ways. Not thread-safe: the Store locks."""

    dialect: ClassVar[str]
    """The migration files' dialect: ``sqlite`` or ``postgresql``."""

    def __init__(self, location: str) -> None:
        self.location = location
        self.conn: Any = None

    @property
    def connected(self) -> bool:
        return self.conn is not None

    def describe(self) -> str:
        """The store, named for a facilitator's message (no password)."""
        return redact(self.location)

    @abstractmethod
    def connect(self) -> None:
        """Open the connection (no schema work); raises StoreError."""

    def close(self) -> None:
        if self.conn is not None:
            with contextlib.suppress(Exception):
                self.conn.close()
            self.conn = None

    @abstractmethod
    def execute(self, sql: str, params: Sequence[Any] = ()) -> list[tuple]:
        """Run one statement (``?`` placeholders) and return its rows; raises StoreError."""

    def insert_checked(
        self, table: str, columns: Sequence[str], values: Sequence[Any], key: str
    ) -> Checked:
        """Insert a row unless the ``key`` column (a unique one) already has its value, and
        check it as the store holds it after the write (:class:`Checked`). Here: the insert,
        then the row read back through the key's index (which leads to the row by its id in
        the table) and compared with what was sent by the database itself (``IS``: equal, or
        both NULL), which returns the comparisons, not the row (a module 1 attempt's 22 KB
        fetched back: 0.1 ms of the capstone's 2.8 ms submit, issue 12's benchmark rule)."""
        k = list(columns).index(key)
        rows = self.execute(insert_sql(table, columns, key), values)
        same = ", ".join(f"{c} IS ?" for c in columns)
        found = self.execute(
            f"SELECT id, {key}, {same} FROM {table} WHERE {key} = ?", (*values, values[k])
        )
        return Checked(
            new_id=int(rows[0][0]) if rows else None,
            ids=[int(r[0]) for r in found],
            key=found[0][1] if found else None,
            differ=[]
            if not found
            else [c for c, ok in zip(columns, found[0][2:], strict=True) if not ok],
        )

    def _live(self) -> Any:
        """The connection, or a StoreError saying there is none (never an AttributeError)."""
        if self.conn is None:
            raise StoreError(f"the store {self.describe()} is not connected", "unavailable")
        return self.conn

    @abstractmethod
    def rows(self, sql: str, params: Sequence[Any] = (), batch: int = 500) -> Iterator[list[tuple]]:
        """Run one query and yield its rows in batches (a large store is never held at once)."""

    @abstractmethod
    @contextlib.contextmanager
    def exclusive(self) -> Iterator[None]:
        """One transaction that no other connection's migration can interleave with."""

    @abstractmethod
    def table_exists(self, name: str) -> bool: ...

    @abstractmethod
    def integrity_problems(self) -> list[str]:
        """What the database's own checks find wrong (empty when sound)."""

    def stale(self) -> bool:
        """Whether this connection no longer reaches the store at ``location`` (a file deleted
        or replaced since it was opened)."""
        return False

    def damaged(self) -> str:
        """Why the store is marked damaged (so no kernel writes into it), or ``""``."""
        return ""

    def quick_check(self) -> list[str] | None:
        """What a quick check of the store as it is on disk finds wrong (empty when sound), or
        None when this database has no such check (a database server checks its own pages)."""
        return None

    def mark_damaged(self, reason: str) -> None:
        """Mark the store damaged for every process that uses it (a database server that
        reports corruption itself needs no mark: this does nothing by default)."""
        return None

    # -- migrations (the same for every database) ----------------------------------------------
    def schema_version(self) -> int:
        if not self.table_exists("meta"):
            return 0
        row = self.execute("SELECT value FROM meta WHERE key = 'schema_version'")
        return int(row[0][0]) if row else 0

    def migrate(self, target: int | None = None) -> int:
        """Apply the migrations this store has not had (up to ``target``, by default all);
        returns the version it is at. Each connection looks first without a lock (DDL stalls
        other writers): only a store that is behind takes the lock, and looks again under it."""
        todo = migrations(self.dialect)[:target]
        if self.schema_version() >= len(todo):
            return self.schema_version()
        with self.exclusive():
            current = self.schema_version()
            for m in todo[current:]:
                for statement in m.statements:
                    self.execute(statement)
                self.execute(
                    "INSERT INTO meta VALUES ('schema_version', ?) "
                    "ON CONFLICT (key) DO UPDATE SET value = excluded.value",
                    (str(m.version),),
                )
        return self.schema_version()


# --- SQLite ------------------------------------------------------------------------------------

_SQLITE_KIND = {
    5: "unavailable",  # BUSY (past the wait)
    6: "unavailable",  # LOCKED
    8: "readonly",  # READONLY (including READONLY_DBMOVED: the file was moved or deleted)
    10: "unavailable",  # IOERR
    11: "damaged",  # CORRUPT
    13: "unavailable",  # FULL
    14: "unavailable",  # CANTOPEN
    26: "damaged",  # NOTADB
}


_SQLITE_CAUSE = {
    5: "locked",
    6: "locked",
    8: "readonly",
    10: "disk_error",
    11: "damaged",
    13: "full",
    14: "unreachable",
    26: "damaged",
}


def _sqlite_cause(e: sqlite3.Error) -> str | None:
    code = getattr(e, "sqlite_errorcode", None)
    if code is not None and code & 0xFF in _SQLITE_CAUSE:
        return _SQLITE_CAUSE[code & 0xFF]
    text = str(e).lower()
    if "locked" in text or "busy" in text:
        return "locked"
    if "full" in text:
        return "full"
    return None


def _os_cause(e: OSError) -> str:
    """The cause of an OSError met opening a store's file or folder."""
    import errno

    if e.errno == errno.ENOSPC or e.errno == errno.EDQUOT:
        return "full"
    if e.errno in (errno.EROFS, errno.EACCES, errno.EPERM):
        return "readonly"
    return "unreachable"


def _disk_full(folder: Path) -> bool:
    """Whether the disk holding ``folder`` has (next to) no room left."""
    try:
        st = os.statvfs(folder)
    except OSError:
        return False
    return st.f_bavail * st.f_frsize < 64 * 1024


def _sqlite_kind(e: sqlite3.Error) -> str:
    code = getattr(e, "sqlite_errorcode", None)
    if code is not None and code & 0xFF in _SQLITE_KIND:
        return _SQLITE_KIND[code & 0xFF]
    text = str(e).lower()
    if "malformed" in text or "not a database" in text:
        return "damaged"
    if "readonly" in text:
        return "readonly"
    if "locked" in text or "busy" in text or "unable to open" in text:
        return "unavailable"
    return "other"


def _is_lock_error(e: sqlite3.Error) -> bool:
    text = str(e).lower()
    return isinstance(e, sqlite3.OperationalError) and ("locked" in text or "busy" in text)


STATX_ATTR_IMMUTABLE, STATX_ATTR_APPEND = 0x10, 0x20


def _statx_attributes() -> Any:
    """Linux's ``statx`` (glibc 2.28+) through ctypes, or None: a file's attributes read from
    its path. Never by opening the file: closing any descriptor of a SQLite file drops every
    POSIX lock the process holds on it (SQLite's own locks: "locking protocol" errors)."""
    if sys.platform != "linux":
        return None
    try:
        libc = ctypes.CDLL(None, use_errno=True)
        fn = libc.statx
    except (OSError, AttributeError):
        return None
    fn.argtypes = [ctypes.c_int, ctypes.c_char_p, ctypes.c_int, ctypes.c_uint, ctypes.c_void_p]
    fn.restype = ctypes.c_int

    def attributes(path: str) -> int:
        buf = ctypes.create_string_buffer(256)  # struct statx; its attributes at bytes 8-16
        if fn(-100, os.fsencode(path), 0, 0, buf) != 0:  # AT_FDCWD
            return 0
        return int.from_bytes(buf.raw[8:16], sys.byteorder)

    return attributes


_ATTRIBUTES = _statx_attributes()


def _frozen(path: str) -> bool:
    """Whether writes into ``path`` mapped in memory would fail (a SIGBUS): the file is
    immutable or append-only (``chattr +i``/``+a``), or its file system is mounted read-only.
    File modes do not matter for a mapping already open (and root ignores them)."""
    try:
        if os.statvfs(path).f_flag & os.ST_RDONLY:
            return True
    except OSError:
        return False
    if _ATTRIBUTES is None:
        return False
    return bool(_ATTRIBUTES(path) & (STATX_ATTR_IMMUTABLE | STATX_ATTR_APPEND))


_MAPPED_SHM: set[str] = set()
"""The ``-shm`` files this process has opened for writing (SQLite maps them into memory, shared
by every connection of the process to that store)."""
_ABANDONED: list[Any] = []
"""Connections that cannot be closed safely now (see :meth:`SQLiteBackend.close`); kept open,
unused, so that nothing touches their mapped ``-shm`` file."""


class SQLiteBackend(Backend):
    """A SQLite file (WAL, so many kernel processes write at once). Knows the file it opened
    (device and inode) so a store deleted or replaced under it is noticed, and marks a corrupt
    store with a file beside it (``<store>.damaged``) that every process checks before writing.

    **A store made unwritable under open connections.** In WAL mode every connection of a
    process shares the ``-shm`` file mapped into memory, and writes into it even to read. When
    that file becomes unwritable while mapped (``chattr +i`` on the store's folder, a
    read-only bind mount), the next touch is a SIGBUS: the kernel process died, the page went
    silent (issue 11 cold trial). So before SQLite is touched, :meth:`_guard` checks that a
    ``-shm`` file this process mapped can still be written, and raises a ``readonly``
    StoreError instead; such a connection is not closed (closing writes into the mapping) but
    set aside. A process that had not mapped it opens it read-only: SQLite answers with
    errors, not signals. (What changes between the check and the statement, microseconds
    apart, is not covered.)"""

    dialect = "sqlite"

    def __init__(self, location: str) -> None:
        super().__init__(location)
        self.path = Path(location).expanduser()
        self.marker = self.path.with_name(self.path.name + ".damaged")
        self._identity: tuple[int, int] | None = None

    def describe(self) -> str:
        return redact(str(self.path))

    @property
    def _shm(self) -> str:
        return f"{self.path}-shm"

    def _guard(self) -> None:
        """Raise a ``readonly`` StoreError, before SQLite touches anything, when a ``-shm``
        file this process mapped can no longer be written into (see the class)."""
        shm = self._shm
        if shm not in _MAPPED_SHM:
            # SQLite creates and maps it on the first read (for writing, unless it cannot be).
            if os.path.exists(shm) and not _frozen(shm):
                _MAPPED_SHM.add(shm)
            return
        if _frozen(shm):
            raise StoreError(
                f"the store at {self.path} cannot be written now: its file {shm} was made "
                "immutable (or its disk read-only) while in use; nothing is written or read "
                "through this process's connection until it is writable again",
                "readonly",
                "readonly",
            )

    def close(self) -> None:
        if self.conn is not None:
            try:
                self._guard()
            except StoreError:
                # Closing would write into the mapped -shm: set aside, and never freed, not
                # even when the process ends (its finalizer closes it: a SIGBUS at exit).
                _ABANDONED.append(self.conn)
                ctypes.pythonapi.Py_IncRef(ctypes.py_object(self.conn))
                self.conn = None
                return
        super().close()

    def connect(self) -> None:
        refused = not_a_file_path(self.location)
        if refused:
            raise StoreError(refused, "config", "config")
        self._guard()
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            self._align_side_files()
            self.conn = sqlite3.connect(
                self.path, timeout=LOCK_WAIT, isolation_level=None, check_same_thread=False
            )
            self.conn.execute(f"PRAGMA busy_timeout={int(LOCK_WAIT * 1000)}")
            self._retry(lambda: self.conn.execute("PRAGMA journal_mode=WAL").fetchall())
            # NORMAL in WAL mode: a committed attempt survives a crash of the process (the
            # case here: a kernel killed); only a power cut may lose the last few.
            self.conn.execute("PRAGMA synchronous=NORMAL")
            st = os.stat(self.path)
            self._identity = (st.st_dev, st.st_ino)
        except sqlite3.Error as e:
            self.close()
            raise self._error(e, "cannot open") from None
        except OSError as e:
            self.close()
            raise StoreError(
                f"cannot create the store at {self.path}: {e.strerror or e}",
                "unavailable",
                "full" if _disk_full(self.path.parent) else _os_cause(e),
            ) from None

    def _align_side_files(self) -> None:
        """A store made writable again: its WAL files, made while it was read-only, took its
        mode then (SQLite copies the file's mode), and would keep every connection read-only.
        Give them the file's mode now, when they are ours to change."""
        try:
            mode = self.path.stat().st_mode & 0o666
        except OSError:
            return
        if not os.access(self.path, os.W_OK):
            return
        for suffix in ("-wal", "-shm"):
            side = Path(f"{self.path}{suffix}")
            with contextlib.suppress(OSError):
                if side.exists() and not os.access(side, os.W_OK):
                    os.chmod(side, mode)

    def _error(self, e: sqlite3.Error, doing: str) -> StoreError:
        err = self._error_of_kind(e, doing)
        err.cause = _sqlite_cause(e) or err.cause
        if err.cause in ("disk_error", "unreachable") and _disk_full(self.path.parent):
            err.cause = "full"  # SQLite says "disk I/O error" when it cannot grow its side files
        return err

    def _error_of_kind(self, e: sqlite3.Error, doing: str) -> StoreError:
        kind = _sqlite_kind(e)
        if kind == "readonly" and os.access(self.path, os.W_OK):
            side = [
                f"{self.path}{x}"
                for x in ("-wal", "-shm")
                if os.path.exists(f"{self.path}{x}") and not os.access(f"{self.path}{x}", os.W_OK)
            ]
            if side:
                return StoreError(
                    f"{doing} the store at {self.path}: {e} (the file is writable, but not "
                    f"{' and '.join(side)}: make them writable too)",
                    kind,
                )
        if kind == "damaged":
            return StoreError(
                f"the store at {self.path} cannot be used ({e}); it may be corrupt: "
                f"'./mfl store recover' copies every readable attempt to a fresh store "
                f"(the damaged file is kept beside it)",
                kind,
            )
        return StoreError(f"{doing} the store at {self.path}: {e}", kind)

    def _retry(self, fn: Any) -> Any:
        """Run ``fn``, waiting out other writers' locks (with jitter) for up to LOCK_WAIT s.
        SQLite reports "locked" only for a statement it did not run, so this never doubles."""
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

    def execute(self, sql: str, params: Sequence[Any] = ()) -> list[tuple]:
        self._guard()
        try:
            conn = self._live()
            return self._retry(lambda: conn.execute(sql, tuple(params)).fetchall())
        except sqlite3.Error as e:
            raise self._error(e, "cannot use") from None

    def rows(self, sql: str, params: Sequence[Any] = (), batch: int = 500) -> Iterator[list[tuple]]:
        try:
            self._guard()
            conn = self._live()
            cur = self._retry(lambda: conn.execute(sql, tuple(params)))
            while chunk := cur.fetchmany(batch):
                self._guard()
                yield chunk
        except sqlite3.Error as e:
            raise self._error(e, "cannot read") from None

    @contextlib.contextmanager
    def exclusive(self) -> Iterator[None]:
        # BEGIN IMMEDIATE: one process migrates, the others wait and then find it done.
        self.execute("BEGIN IMMEDIATE")
        try:
            yield
        except BaseException:
            with contextlib.suppress(Exception):
                self.conn.execute("ROLLBACK")
            raise
        self.execute("COMMIT")

    def table_exists(self, name: str) -> bool:
        return bool(
            self.execute("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = ?", (name,))
        )

    def integrity_problems(self) -> list[str]:
        rows = self.execute("PRAGMA integrity_check")
        return [] if [r[0] for r in rows] == ["ok"] else [str(r[0]) for r in rows]

    def quick_check(self) -> list[str] | None:
        """``PRAGMA quick_check`` through a connection of its own, opened for it: this
        connection's page cache still holds pages as they were read, so damage written into
        the file since (random overwrites) would not be seen through it."""
        self._guard()
        con = None
        try:
            con = sqlite3.connect(self.path, timeout=LOCK_WAIT, check_same_thread=False)
            rows = self._retry(lambda: con.execute("PRAGMA quick_check").fetchall())
        except sqlite3.Error as e:
            raise self._error(e, "cannot check") from None
        finally:
            if con is not None:
                with contextlib.suppress(Exception):
                    con.close()
        lines = [line.strip() for r in rows for line in str(r[0]).splitlines() if line.strip()]
        return [] if lines == ["ok"] else lines

    def stale(self) -> bool:
        if self._identity is None:
            return False
        try:
            st = os.stat(self.path)
        except OSError:
            return True  # deleted (or its folder is)
        return (st.st_dev, st.st_ino) != self._identity

    def damaged(self) -> str:
        try:
            return self.marker.read_text(encoding="utf-8").strip() or "marked damaged"
        except FileNotFoundError:
            return ""
        except OSError as e:
            return f"marked damaged ({self.marker}: {e.strerror})"

    def mark_damaged(self, reason: str) -> None:
        with contextlib.suppress(OSError):
            self.marker.write_text(reason + "\n", encoding="utf-8")


# --- PostgreSQL --------------------------------------------------------------------------------


class PostgresBackend(Backend):
    """A PostgreSQL database by URL (a JupyterHub deployment), through psycopg 3."""

    dialect = "postgresql"

    def _psycopg(self) -> Any:
        try:
            import psycopg
        except ImportError:
            raise StoreError(
                "a PostgreSQL store needs psycopg: pip install 'mixedflows[postgres]'", "config"
            ) from None
        return psycopg

    def connect(self) -> None:
        psycopg = self._psycopg()
        try:
            # Keepalives: a server gone silent (a cable pulled) is noticed in about 25 s,
            # not after the system's two hours (ignored on a Unix socket).
            self.conn = psycopg.connect(
                self.location,
                autocommit=True,
                connect_timeout=CONNECT_TIMEOUT,
                keepalives=1,
                keepalives_idle=10,
                keepalives_interval=5,
                keepalives_count=3,
            )
        except psycopg.Error as e:
            self.conn = None
            raise StoreError(
                f"cannot open the PostgreSQL store {self.describe()}: {e}", "unavailable"
            ) from None

    def _error(self, e: Exception) -> StoreError:
        psycopg = self._psycopg()
        broken = self.conn is not None and self.conn.broken
        kind = "broken" if broken else "other"
        if isinstance(e, psycopg.OperationalError) and not broken:
            kind = "unavailable"
        if isinstance(e, psycopg.errors.ReadOnlySqlTransaction):
            kind = "readonly"
        if isinstance(e, psycopg.errors.DataCorrupted | psycopg.errors.IndexCorrupted):
            kind = "damaged"
        return StoreError(f"cannot use the PostgreSQL store {self.describe()}: {e}", kind)

    def execute(self, sql: str, params: Sequence[Any] = ()) -> list[tuple]:
        psycopg = self._psycopg()
        try:
            with self._live().cursor() as cur:
                cur.execute(sql.replace("?", "%s"), tuple(params) or None)
                return cur.fetchall() if cur.description is not None else []
        except psycopg.Error as e:
            raise self._error(e) from None

    def insert_checked(
        self, table: str, columns: Sequence[str], values: Sequence[Any], key: str
    ) -> Checked:
        # One statement: the server compares the row it has stored (after any default or
        # trigger) with each value sent ($n used twice, a raw cursor), and returns those
        # comparisons, not the row (43 KB of a module 1 attempt, read back: 0.2-0.4 ms a write,
        # issue 12). The key's unique index takes part in the write (ON CONFLICT). A server
        # reads its own pages and reports damage itself (DataCorrupted, IndexCorrupted: the
        # "damaged" kind). A row already there is found by its key.
        psycopg = self._psycopg()
        k = list(columns).index(key)
        same = ", ".join(f"{c} IS NOT DISTINCT FROM ${i}" for i, c in enumerate(columns, 1))
        sql = (
            f"INSERT INTO {table} ({', '.join(columns)}) "
            f"VALUES ({', '.join(f'${i}' for i in range(1, len(columns) + 1))}) "
            f"ON CONFLICT ({key}) DO NOTHING RETURNING id, {same}"
        )
        try:
            with psycopg.RawCursor(self._live()) as cur:
                # prepared at its first use on the connection, not its fifth (psycopg's
                # default): a kernel writes a few attempts a session, each planned otherwise
                cur.execute(sql, tuple(values), prepare=True)
                rows = cur.fetchall()
        except psycopg.Error as e:
            raise self._error(e) from None
        if rows:
            differ = [c for c, ok in zip(columns, rows[0][1:], strict=True) if not ok]
            return Checked(
                new_id=int(rows[0][0]),
                ids=[int(rows[0][0])],
                key=values[k] if key not in differ else None,
                differ=differ,
            )
        found = self.execute(f"SELECT id, {key} FROM {table} WHERE {key} = ?", (values[k],))
        return Checked(
            new_id=None,
            ids=[int(r[0]) for r in found],
            key=found[0][1] if found else None,
            differ=[],
        )

    def rows(self, sql: str, params: Sequence[Any] = (), batch: int = 500) -> Iterator[list[tuple]]:
        psycopg = self._psycopg()
        try:
            with self._live().cursor() as cur:
                cur.execute(sql.replace("?", "%s"), tuple(params) or None)
                while chunk := cur.fetchmany(batch):
                    yield chunk
        except psycopg.Error as e:
            raise self._error(e) from None

    @contextlib.contextmanager
    def exclusive(self) -> Iterator[None]:
        psycopg = self._psycopg()
        try:
            with self._live().transaction():
                self.execute("SELECT pg_advisory_xact_lock(?)", (PG_SCHEMA_LOCK,))
                yield
        except psycopg.Error as e:
            raise self._error(e) from None

    def table_exists(self, name: str) -> bool:
        # A catalog query, not to_regclass(): that one may answer from a cache made before
        # another connection's migration committed (the lock taken since does not refresh it).
        return bool(
            self.execute(
                "SELECT EXISTS (SELECT 1 FROM pg_catalog.pg_tables "
                "WHERE schemaname = current_schema() AND tablename = ?)",
                (name,),
            )[0][0]
        )

    def integrity_problems(self) -> list[str]:
        rows = self.execute(
            "SELECT (SELECT COUNT(*) = COUNT(DISTINCT id) FROM attempts), "
            "(SELECT COALESCE(bool_and(indisvalid), true) FROM pg_index "
            "WHERE indrelid = 'attempts'::regclass)"
        )
        problems = []
        if not rows[0][0]:
            problems.append("attempt ids are not unique")
        if not rows[0][1]:
            problems.append("an index of the attempts table is not valid")
        return problems


ACCEPTED_FORMS = (
    "a SQLite file path (for example /srv/mixedflows/attempts.sqlite) or a PostgreSQL URL "
    "(postgresql://USER:PASSWORD@HOST:5432/DBNAME, or "
    "postgresql://HOST:5432/DBNAME?user=USER&password=PASSWORD)"
)
"""The store locations the course accepts, as said to whoever gave another."""
_LIBPQ_KEYWORD = re.compile(
    r"(?:^|\s)(?:host|hostaddr|port|dbname|user|password|passfile|service|sslmode|"
    r"connect_timeout|options|application_name)\s*=",
    re.I,
)


def not_a_file_path(location: str) -> str:
    """Why ``location``, which is not a PostgreSQL URL, must not be taken as a SQLite file
    name (empty when it may): a libpq keyword string (``host=... user=... password=...``) or
    a URL of another scheme would create a file whose name holds its settings, the password
    too (issue 11, third cold trial)."""
    if _LIBPQ_KEYWORD.search(location):
        what = "a keyword connection string (host=... dbname=...)"
    elif re.match(r"[A-Za-z][A-Za-z0-9+.-]*://", location.strip()):
        what = f"a {location.strip().split(':', 1)[0]}:// URL"
    else:
        return ""
    return (
        f"the store location {redact_secrets(location)!r} is {what}, which the course does "
        f"not read; no file was created. Give {ACCEPTED_FORMS}"
    )


def backend_for(location: str) -> Backend:
    """The backend for a store location: a ``postgresql://`` URL or a SQLite file path."""
    if location.startswith(("postgresql://", "postgres://")):
        return PostgresBackend(location)
    return SQLiteBackend(location)
