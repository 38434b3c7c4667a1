"""Is the store fit for a session, and what to do when it is not.

- :func:`check` (``./mfl store check``; ``./mfl facilitate`` calls it before printing the
  links): can the store be opened, read and written, is it sound, how many attempts does it
  hold, how many are kept on this computer waiting for it (it sends them now). Never raises.
- :func:`recover` (``./mfl store recover``): copies every readable row of a SQLite store to a
  fresh file and puts that file in its place; the damaged file is kept beside it.
- :func:`import_unsaved` (``./mfl store import``): the attempts older versions wrote to
  ``~/mixedflows-unsaved-attempts.jsonl`` and never read back, added to the store.
- :func:`read_attempts` (``./mfl export``): the attempts of a store, or, from a damaged SQLite
  file, every one that can still be read, with a note saying so.

Reading a damaged SQLite file: a plain scan of the table in id order reads every row up to the
first damaged page; past it, each id up to the table's last one is looked up on its own (a
damaged page costs the rows on that page, not the rows after it). Indexes are never used, so a
damaged index or metadata page costs nothing. When SQLite met damage, the table's leaf pages are
then read from the file directly (:mod:`mixedflows.store.pages`), so a damaged root or interior
page, which hides every row below it from SQLite, costs nothing either: only the rows on a
damaged leaf page are lost, and they are counted and said.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import shutil
import sqlite3
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

from mixedflows.store.backends import (
    SQLiteBackend,
    StoreError,
    backend_for,
    redact,
    redact_secrets,
)
from mixedflows.store.core import (
    COLUMNS,
    Attempt,
    Store,
    _attempt,
    _copy_rows,
    default_location,
    make_row,
)
from mixedflows.store.pending import TMP_AFTER


@dataclass
class Health:
    """What :func:`check` found."""

    location: str
    """The store, named without a password."""
    readable: bool = False
    writable: bool = False
    attempts: int | None = None
    """Attempts the store holds (readable rows, for a damaged file)."""
    schema_version: int | None = None
    problems: list[str] = field(default_factory=list)
    """What is wrong, each in a sentence a facilitator can act on."""
    kept: int = 0
    """Attempts kept on this computer that the store does not hold yet."""
    older_unsaved: int = 0
    """Lines in the fallback file of older versions (:data:`OLDER_UNSAVED`), never read back
    by them: ``./mfl store import`` adds them."""
    sent: int = 0
    """Kept attempts sent to the store by this check."""
    set_aside: int = 0
    """Kept files that could not be added as attempts (empty, truncated, refused by the
    store), each set aside with its reason in :attr:`set_aside_in`, never deleted."""
    set_aside_in: str = ""
    under_way: int = 0
    """Temporary files of kept attempts younger than ``pending.TMP_AFTER``: writes that may be
    under way, not sent by this check (a later one sends what a crash left)."""
    under_way_in: str = ""

    @property
    def ok(self) -> bool:
        """Fit for a session: readable, writable, sound."""
        return self.readable and self.writable and not self.problems

    def summary(self) -> str:
        lines = [f"Store: {self.location}"]
        if self.ok:
            lines.append(
                f"  OK: readable, writable, sound; {self.attempts} attempt(s), schema version "
                f"{self.schema_version}."
            )
        else:
            lines.append(
                f"  NOT OK: {'readable' if self.readable else 'not readable'}, "
                f"{'writable' if self.writable else 'not writable'}"
                + (f"; {self.attempts} attempt(s) readable" if self.attempts is not None else "")
                + "."
            )
            lines += [f"  - {p}" for p in self.problems]
        if self.sent:
            lines.append(f"  {self.sent} attempt(s) kept on this computer were added to it now.")
        if self.older_unsaved:
            lines.append(
                f"  {self.older_unsaved} attempt(s) that an older version could not save are in "
                f"{OLDER_UNSAVED}: './mfl store import' adds them to this store."
            )
        if self.set_aside:
            lines.append(
                f"  {self.set_aside} kept file(s) could not be added as attempts (empty, "
                f"truncated, cut short by a crash, or refused by the store): set aside, each "
                f"with a .reason.txt "
                f"beside it, in {self.set_aside_in}; nothing in them was deleted."
            )
        if self.under_way:
            lines.append(
                f"  {self.under_way} temporary file(s) of attempts being kept are in "
                f"{self.under_way_in}, younger than {TMP_AFTER / 60:.0f} minutes: a write may be "
                f"under way, so they were not sent; if no process finishes them (a crash), a "
                f"check after that adds them."
            )
        if self.kept:
            lines.append(
                f"  {self.kept} attempt(s) kept on this computer are waiting for it (sent "
                f"automatically when it can take them)."
            )
        # A database's own message may quote its connection string: no secret is printed.
        return redact_secrets("\n".join(lines))


def check(location: str | None = None, *, thorough: bool = True) -> Health:
    """Check a store (see the module docstring); ``thorough=False`` uses SQLite's quicker
    check (no index cross-check), for a start-up preflight on a large store."""
    location = location or default_location()
    health = Health(redact(location))
    store: Store | None = None
    try:
        store = Store(location)
        health.schema_version = store.schema_version()
        why = store.backend.damaged()
        if why:
            health.problems.append(f"marked damaged: {why}")
        # Soundness first: kept attempts are never sent, nor a probe written, into a file
        # that turns out to be corrupt (the check marks it, and every kernel keeps them aside).
        found = _integrity(store, thorough)
        health.problems += found
        if why or found:
            held = _count_readable(health, Path(location)) if "://" not in location else 0
            health.readable = health.attempts is not None and (health.attempts > 0 or not held)
        else:
            try:
                health.sent = store.replay_pending()
            except StoreError as e:
                health.problems.append(f"kept attempts could not be sent: {e}")
            health.attempts = store.count()
            health.readable = True
            try:
                _probe_write(store)
                health.writable = True
            except StoreError as e:
                health.problems.append(f"cannot be written: {e}")
    except StoreError as e:
        health.problems.append(str(e))
        if store is None and e.kind == "damaged" and "://" not in location:
            _count_readable(health, Path(location))
    finally:
        if store is not None:
            store.close()
        pending = Store(location, connect=False).pending
        health.kept = pending.count()
        aside = pending.set_aside()
        health.set_aside = len(aside)
        health.set_aside_in = str(aside[0].parent) if aside else ""
        young = pending.under_way()
        health.under_way = len(young)
        health.under_way_in = str(young[0].parent) if young else ""
        health.older_unsaved = _count_lines(Path(OLDER_UNSAVED).expanduser())
    if (
        any("corrupt" in p or "damaged" in p or "integrity" in p for p in health.problems)
        and "://" not in location
        and health.attempts
    ):
        health.problems.append(
            "'./mfl store recover' copies every readable attempt to a fresh store"
        )
    return health


def _count_readable(health: Health, path: Path) -> int:
    """For a damaged SQLite file: the attempts that can really be read (a COUNT(*) answers
    from an index, and may count rows whose pages are lost); returns how many the file held."""
    with contextlib.suppress(StoreError, sqlite3.Error):
        health.attempts = sum(len(b) for b in salvage_rows(path))
    held = held_count(path)
    if health.attempts == 0 and held:
        health.problems.append(
            f"none of the {held} attempt(s) in the file can be read (its table is damaged past "
            f"what './mfl store recover' reads): keep a copy of the file and ask for help with it"
        )
    elif health.attempts is not None and held > health.attempts:
        health.problems.append(
            f"{held - health.attempts} of the {held} attempt(s) in the file cannot be read "
            f"(damaged pages): a recovery cannot copy them"
        )
    return held


def held_count(path: Path) -> int:
    """How many attempts a SQLite file says it holds, even when their pages cannot be read:
    the larger of its table's count (which SQLite may answer from an index) and the highest
    id it gave (attempts are never deleted); 0 when neither can be read."""
    held = 0
    with contextlib.suppress(StoreError, sqlite3.Error):
        con = _open_raw(path)
        try:
            with contextlib.suppress(sqlite3.Error):
                held = int(con.execute("SELECT COUNT(*) FROM attempts").fetchone()[0])
            held = max(held, _last_id(con))
        finally:
            con.close()
    return held


def _probe_write(store: Store) -> None:
    """A real write (the time of this check, in ``meta``): nothing else proves a store takes
    writes. Refused for a store marked damaged, as an attempt would be."""
    store._run(
        "INSERT INTO meta VALUES ('last_check', ?) "
        "ON CONFLICT (key) DO UPDATE SET value = excluded.value",
        (time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime()),),
        write=True,
    )


def _integrity(store: Store, thorough: bool) -> list[str]:
    backend = store.backend
    try:
        if not thorough and isinstance(backend, SQLiteBackend):
            rows = backend.execute("PRAGMA quick_check")
            found = [] if [r[0] for r in rows] == ["ok"] else [str(r[0]) for r in rows]
        else:
            found = store.integrity_problems()
    except StoreError as e:
        found = [str(e)]
    # SQLite may give its findings as one text of many lines: five lines are enough.
    lines = [line.strip() for f in found for line in f.splitlines() if line.strip()]
    if lines:
        backend.mark_damaged("integrity check: " + "; ".join(lines[:3]))
        more = f" (and {len(lines) - 5} more)" if len(lines) > 5 else ""
        return [f"integrity check failed: {'; '.join(lines[:5])}{more}"]
    return []


# --- attempts an older version could not save ---------------------------------------------------

OLDER_UNSAVED = "~/mixedflows-unsaved-attempts.jsonl"
"""Where versions before the pending folder wrote attempts the store could not take (one JSON
object a line, without uid or time), and never read them back."""


def _count_lines(path: Path) -> int:
    try:
        with path.open(encoding="utf-8", errors="replace") as fh:
            return sum(1 for line in fh if line.strip())
    except OSError:
        return 0


def import_unsaved(
    file: str | os.PathLike[str] | None = None, location: str | None = None
) -> tuple[int, int]:
    """Add the attempts of an older version's fallback file to a store, each exactly once
    (its uid is made from the line itself, so importing twice adds nothing), dated by the
    file's last change (the lines carry no time). Returns (added or already there,
    unreadable lines); the file is then renamed ``.imported-<time>``, not deleted."""
    path = Path(file or OLDER_UNSAVED).expanduser()
    try:
        lines = path.read_text(encoding="utf-8", errors="replace").splitlines()
        when = datetime.fromtimestamp(path.stat().st_mtime, UTC)
    except OSError as e:
        raise StoreError(f"cannot read {path}: {e.strerror or e}", "config") from None
    added = bad = 0
    with Store(location) as store:
        for line in lines:
            if not line.strip():
                continue
            try:
                old = json.loads(line)
                row = make_row(
                    learner=old["learner"],
                    session=old.get("session", ""),
                    exercise_id=old["exercise_id"],
                    answer=old.get("answer"),
                    score=old.get("score"),
                    feedback=old.get("feedback"),
                    uid="older-" + hashlib.sha256(line.encode("utf-8")).hexdigest()[:32],
                )
            except (ValueError, KeyError, TypeError):
                bad += 1
                continue
            row["created_at"] = when.isoformat(timespec="milliseconds")
            store.insert(row)
            added += 1
    os.replace(path, path.with_name(f"{path.name}.imported-{time.strftime('%Y%m%d-%H%M%S')}"))
    return added, bad


# --- reading a damaged SQLite file -------------------------------------------------------------


def _open_raw(path: Path) -> sqlite3.Connection:
    """The file as it is: no schema work, no migration, nothing written."""
    if not path.exists():
        raise StoreError(f"there is no store at {path}", "unavailable")
    from mixedflows.store.backends import SQLiteBackend

    SQLiteBackend(str(path))._guard()  # a -shm this process mapped, made immutable: no SIGBUS
    return sqlite3.connect(f"file:{path}?mode=ro", uri=True, timeout=30, isolation_level=None)


def salvage_rows(
    path: Path, batch: int = 500, found: dict[str, int] | None = None
) -> Iterator[list[tuple]]:
    """Every readable row of the attempts table of a SQLite file, as ``SELECT id, COLUMNS``
    (columns the file's schema lacks are None): first what SQLite reads (see the module
    docstring), then, if SQLite met damage on the way, the rows on the table's leaf pages that
    it could not reach (:mod:`mixedflows.store.pages`: a damaged root or interior page hides
    intact leaves), in id order. ``found``, if given, is filled with how many rows came each
    way (``sqlite``, ``pages``)."""
    found = found if found is not None else {}
    found.update(sqlite=0, pages=0)
    seen: set[int] = set()
    damaged = False
    try:
        con = _open_raw(path)
    except sqlite3.DatabaseError:
        con, damaged = None, True
    try:
        if con is not None:
            for chunk in _sqlite_rows(con, batch):
                if chunk is None:
                    damaged = True
                    continue
                seen.update(r[0] for r in chunk)
                found["sqlite"] += len(chunk)
                yield chunk
    finally:
        if con is not None:
            con.close()
    if not damaged:
        return
    rest = _page_rows(path, seen)
    found["pages"] = len(rest)
    for k in range(0, len(rest), batch):
        yield rest[k : k + batch]
    if not seen and not rest:
        raise StoreError(f"the store at {path} has no readable attempts table", "damaged")


def _sqlite_rows(con: sqlite3.Connection, batch: int) -> Iterator[list[tuple] | None]:
    """The attempts SQLite can read: a scan in id order, then each id past the first damaged
    page looked up on its own. Yields None once when it met damage."""
    try:
        present = {r[1] for r in con.execute("PRAGMA table_info(attempts)")}
    except sqlite3.DatabaseError:
        present = set()
    if "id" not in present:
        yield None
        return
    cols = ", ".join(c if c in present else "NULL" for c in ("id", *COLUMNS))
    last = 0
    try:
        cur = con.execute(f"SELECT {cols} FROM attempts ORDER BY id")
        while chunk := cur.fetchmany(batch):
            last = chunk[-1][0]
            yield chunk
        return
    except sqlite3.DatabaseError:
        yield None  # a damaged page: look up the ids past it one by one
    top = _last_id(con)
    chunk = []
    misses = 0
    for rid in range(last + 1, max(top, last) + 1):
        try:
            row = con.execute(f"SELECT {cols} FROM attempts WHERE id = ?", (rid,)).fetchone()
        except sqlite3.DatabaseError:
            misses += 1
            if misses >= 50 and not chunk and rid - last > 50:
                return  # the table's upper pages are gone: the pages are read instead
            continue
        if row is not None:
            chunk.append(row)
            if len(chunk) >= batch:
                yield chunk
                chunk = []
    if chunk:
        yield chunk


def _is_attempt(record: tuple) -> bool:
    """An attempts row as the file holds it: id (the rowid alias) NULL, then learner, session,
    exercise_id, answer as text, a score, feedback and created_at as text (version 1 has those
    eight columns; each migration added columns at the end)."""
    if not 8 <= len(record) <= 1 + len(COLUMNS) or record[0] is not None:
        return False
    text = (1, 2, 3, 4, 6, 7)
    return all(isinstance(record[i], str) for i in text) and (
        record[5] is None or isinstance(record[5], int | float)
    )


def _page_rows(path: Path, seen: set[int]) -> list[tuple]:
    """The attempts on the file's table-leaf pages that SQLite did not read, by id."""
    from mixedflows.store.pages import leaf_rows

    try:
        scan = leaf_rows(path, _is_attempt)
    except OSError:
        return []
    width = 1 + len(COLUMNS)
    return [
        (rid, *rec[1:], *([None] * (width - len(rec))))
        for rid, rec in sorted(scan.rows.items())
        if rid not in seen
    ]


def _last_id(con: sqlite3.Connection) -> int:
    """The highest id the table ever gave (AUTOINCREMENT keeps it apart from the rows)."""
    for sql in (
        "SELECT seq FROM sqlite_sequence WHERE name = 'attempts'",
        "SELECT MAX(id) FROM attempts",
    ):
        with contextlib.suppress(sqlite3.DatabaseError):
            row = con.execute(sql).fetchone()
            if row and row[0] is not None:
                return int(row[0])
    return 0


def read_attempts(
    location: str | None = None, *, session: str | None = None
) -> tuple[list[Attempt], str]:
    """A store's attempts (in one session, if given) and a note: empty when the store read as
    usual; otherwise what was read from a damaged SQLite file and what to do. Raises
    StoreError when nothing can be read."""
    location = location or default_location()
    try:
        with Store(location) as store:
            return store.attempts(session=session), ""
    except StoreError as e:
        if "://" in location or e.kind not in ("damaged", "other"):
            raise
        problem = str(e)
    path = Path(location).expanduser()
    try:
        rows = [r for b in salvage_rows(path) for r in b]
    except sqlite3.DatabaseError as e:
        raise StoreError(f"nothing can be read from the store at {path}: {e}", "damaged") from None
    found = [_attempt(r) for r in rows]
    if session is not None:
        found = [a for a in found if a.session == session]
    note = (
        f"The store is damaged ({problem}). {len(rows)} attempt(s) could still be read, and "
        f"these are used. Run './mfl store recover' to copy them to a fresh store."
    )
    return found, note


# --- recovery ----------------------------------------------------------------------------------


@dataclass
class Recovery:
    """What :func:`recover` did."""

    copied: int
    """Rows read from the old file and written to the fresh one."""
    store: Path
    """Where the fresh store is."""
    damaged: Path | None
    """Where the old file was kept (None when written to ``out``, the old file untouched)."""
    sent: int = 0
    """Attempts kept on this computer that were then added to the fresh store."""
    held: int = 0
    """Attempts the old file said it held (see :func:`held_count`)."""
    from_pages: int = 0
    """Of those copied, how many were read from the table's leaf pages because SQLite could
    not reach them (a damaged root or interior page; :mod:`mixedflows.store.pages`)."""

    @property
    def unreadable(self) -> int:
        """Attempts of the old file that could not be read, so are not in the fresh store."""
        return max(self.held - self.copied, 0)

    def summary(self) -> str:
        text = f"{self.copied} attempt(s) copied to a fresh store: {self.store}"
        if self.from_pages:
            text += (
                f"\n{self.from_pages} of them were read from the table's pages directly (SQLite "
                f"could not reach them: a damaged page above them)"
            )
        text += (
            f"\nSaved {self.copied} of the {max(self.held, self.copied)} attempt(s) the old "
            f"file held; lost {self.unreadable}"
        )
        if self.unreadable:
            text += (
                f"\n{self.unreadable} of the {self.held} attempt(s) in the old file could not "
                f"be read (damaged pages) and are NOT in the fresh store"
            )
        if self.damaged is not None:
            text += f"\nThe old file is kept as {self.damaged}"
        if self.sent:
            text += f"\n{self.sent} attempt(s) kept on this computer were added to it."
        return text


def recover(location: str | None = None, *, out: str | os.PathLike[str] | None = None) -> Recovery:
    """Copy every readable row of a SQLite store to a fresh store. With ``out``, the fresh
    store is written there and the old one left as it is; without, the fresh store takes the
    old one's place (the old file, with its WAL, renamed ``<name>.before-recover-<time>``), and every
    open kernel notices the new file and moves to it. Raises StoreError."""
    location = location or default_location()
    if "://" in location:
        raise StoreError(
            "recover works on SQLite files; a PostgreSQL database is repaired with its own "
            "tools (pg_dump, then restore into a new database)",
            "config",
        )
    path = Path(location).expanduser()
    stamp = time.strftime("%Y%m%d-%H%M%S")
    in_place = out is None
    fresh_path = Path(out) if out is not None else path.with_name(f"{path.name}.recovered-{stamp}")
    if fresh_path.exists():
        raise StoreError(f"{fresh_path} exists already: choose another --out", "config")
    old = SQLiteBackend(str(path))
    if in_place:
        # Every process stops writing into the old file (its attempts are kept meanwhile).
        old.mark_damaged(f"being recovered since {stamp}")
    fresh = backend_for(str(fresh_path))
    assert isinstance(fresh, SQLiteBackend)
    copied = 0
    found: dict[str, int] = {}
    held = held_count(path)
    try:
        fresh.connect()
        fresh.migrate()
        fresh.execute("BEGIN IMMEDIATE")
        for rows in salvage_rows(path, found=found):
            copied += _copy_rows(fresh, rows)
        fresh.execute("COMMIT")
        if in_place and held and not copied:
            # An empty store in its place would look like a session without attempts.
            raise StoreError(
                f"none of the {held} attempt(s) the file holds could be read (its table is "
                f"damaged past what recover reads); the file is left as it is: keep a copy of "
                f"it and ask for help with it",
                "damaged",
            )
    except (StoreError, sqlite3.DatabaseError) as e:
        fresh.close()
        for p in _with_wal(fresh_path):
            with contextlib.suppress(OSError):
                p.unlink()
        if in_place:
            old.marker.unlink(missing_ok=True)
            if held and not copied:  # still damaged: no kernel writes into it
                old.mark_damaged(f"recover could read none of its {held} attempt(s)")
        raise StoreError(f"nothing was recovered from {path}: {e}", "damaged") from None
    fresh.close()  # the last connection: the WAL is checkpointed into the file and removed
    if not in_place:
        return Recovery(copied, fresh_path, None, held=held, from_pages=found.get("pages", 0))
    kept = path.with_name(f"{path.name}.before-recover-{stamp}")
    n = 1
    while kept.exists():
        kept, n = path.with_name(f"{path.name}.before-recover-{stamp}-{n}"), n + 1
    try:
        os.link(path, kept)  # the old file keeps a name; the path is never empty
    except OSError:  # a file system without hard links
        shutil.copy2(path, kept)
    for suffix in ("-wal", "-shm"):
        side = Path(f"{path}{suffix}")
        if side.exists():  # a WAL left beside the new file would be replayed into it
            os.replace(side, Path(f"{kept}{suffix}"))
    os.replace(fresh_path, path)
    old.marker.unlink(missing_ok=True)
    with Store(path) as store:
        sent = store.replay_pending()
    return Recovery(copied, path, kept, sent, held, found.get("pages", 0))


def _with_wal(path: Path) -> list[Path]:
    return [path, Path(f"{path}-wal"), Path(f"{path}-shm")]


__all__ = [
    "Health",
    "Recovery",
    "check",
    "held_count",
    "import_unsaved",
    "read_attempts",
    "recover",
    "salvage_rows",
]
