"""The Store: record and read attempts, on any backend, through faults.

See the package docstring (:mod:`mixedflows.store`) for what is stored and the promises made.
"""

from __future__ import annotations

import hashlib
import json
import logging
import os
import random
import re
import secrets
import threading
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, TypeVar

from mixedflows.store.backends import (
    Backend,
    Checked,
    StoreError,
    backend_for,
    insert_sql,
    redact,
)
from mixedflows.store.migrations import latest_version
from mixedflows.store.pending import PendingAttempts

log = logging.getLogger("mixedflows.store")

MAX_TEXT = 20_000
"""Longest answer text kept (characters); longer free text is cut, and the cut is recorded."""
MAX_BACKOFF = 8.0
"""Longest wait (seconds) between two attempts to reach a store that failed."""
REPLAY_EVERY = 5.0
"""How often (seconds, at most) a connected store looks for kept attempts to send again."""
CHECK_EVERY = 60.0
"""Least time (seconds) between two integrity checks of a SQLite store by one process, made
before a write is confirmed (see :meth:`Store.insert`)."""
CHECK_SHARE = 0.005
"""Largest share of a process's time its integrity checks may take: a store whose check takes
0.6 s is checked at most every 120 s by each process (a 50 MB store: about 0.15 s)."""

_LIMITS = {"session": 64, "exercise_id": 200}
COLUMNS = (
    "learner",
    "session",
    "exercise_id",
    "answer",
    "score",
    "feedback",
    "created_at",
    "uid",
    "feedback_items",
    "grade_shown",
)
"""The columns of an attempt as written (``id`` is the store's)."""
_SELECT = "id, " + ", ".join(COLUMNS)
_INSERT = insert_sql("attempts", COLUMNS, "uid")
T = TypeVar("T")


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
    feedback_items: Any = None
    """The structured feedback items shown to the learner (None for attempts stored before
    schema version 3, or by an app that does not give them)."""
    grade_shown: str | None = None
    """The grade as the learner saw it (None when not given)."""
    uid: str | None = None
    """The attempt's unique id, made before it was first sent (None for version-1 rows)."""


_PSEUDONYM = re.compile(r"[^\w .@-]", re.UNICODE)


def clean_pseudonym(name: str) -> str:
    """A learner's chosen pseudonym, kept as typed but for control characters and length.

    The dashboard escapes everything it shows; this only keeps ids tidy (1-40 characters).
    """
    name = "".join(ch for ch in str(name) if ch.isprintable()).strip()
    name = _PSEUDONYM.sub("", name)[:40].strip()
    return name or "anonymous"


def pseudonym_keeps_something(name: str) -> bool:
    """Whether :func:`clean_pseudonym` keeps anything of ``name`` (else it gives "anonymous")."""
    return bool(_PSEUDONYM.sub("", "".join(ch for ch in str(name) if ch.isprintable())).strip())


def default_location() -> str:
    env = os.environ.get("MIXEDFLOWS_STORE")
    if env:
        return env
    base = Path(os.environ.get("XDG_DATA_HOME") or Path.home() / ".local" / "share")
    return str(base / "mixedflows" / "attempts.sqlite")


def _clean_id(text: Any, limit: int) -> str:
    """A session code or exercise id as stored: printable characters only (PostgreSQL's text
    cannot hold NUL), at most ``limit`` of them."""
    return "".join(ch for ch in str(text or "") if ch.isprintable())[:limit]


def _json(value: Any) -> str:
    return json.dumps(value, ensure_ascii=False, default=str)


def make_row(
    *,
    learner: str,
    exercise_id: str,
    answer: Any,
    score: float | None,
    feedback: Any,
    session: str = "",
    feedback_items: Any = None,
    grade_shown: str | None = None,
    uid: str | None = None,
) -> dict[str, Any]:
    """One attempt as the store writes it (JSON text for answer and feedback, cleaned ids, the
    time, a fresh uid): the same dict goes to the store or, if it cannot take it, to the
    pending folder, so a replay is the very same attempt."""
    answer_json = _json(answer)
    if len(answer_json) > MAX_TEXT:
        answer_json = _json({"truncated": True, "text": answer_json[:MAX_TEXT]})
    if (
        isinstance(feedback, dict)
        and feedback_items is not None
        and feedback.get("items") == feedback_items
    ):
        # The items are stored once, in their column; reading the attempt puts them back in
        # its feedback (_attempt). Written twice, they were half of a module 1 attempt's 43 KB
        # (21 KB each): the write took 3 % longer than before issue 12 point 5 stored them.
        feedback = {k: v for k, v in feedback.items() if k != "items"}
    return {
        "learner": clean_pseudonym(learner),
        "session": _clean_id(session, _LIMITS["session"]),
        "exercise_id": _clean_id(exercise_id, _LIMITS["exercise_id"]),
        "answer": answer_json,
        "score": None if score is None else float(score),
        "feedback": _json(feedback),
        "created_at": datetime.now(UTC).isoformat(timespec="milliseconds"),
        "uid": uid or secrets.token_hex(16),
        "feedback_items": None if feedback_items is None else _json(feedback_items),
        "grade_shown": None if grade_shown is None else str(grade_shown)[:200],
    }


def _legacy_uid(row: tuple) -> str:
    """A uid for a version-1 row copied elsewhere: the same for every copy of that row."""
    return "v1-" + hashlib.sha256(_json(list(row)).encode("utf-8")).hexdigest()[:32]


def _attempt(r: tuple) -> Attempt:
    items = None if r[9] is None else _loads(r[9])
    feedback = _loads(r[6])
    if isinstance(feedback, dict) and "items" not in feedback and isinstance(items, list):
        feedback["items"] = items  # stored once, in their column (make_row)
    return Attempt(
        int(r[0]),
        r[1],
        r[2],
        r[3],
        _loads(r[4]),
        r[5],
        feedback,
        r[7] or "",
        items,
        r[10],
        r[8],
    )


def _loads(text: str) -> Any:
    try:
        return json.loads(text)
    except (TypeError, ValueError):
        return text


class Store:
    """Record and read attempts. Safe to use from many processes, and threads, at once.

    ``connect=False`` opens nothing until first used (a kernel's recorder, a dashboard): then a
    store that is down at start is reached later instead of failing the page.
    """

    def __init__(
        self, location: str | os.PathLike[str] | None = None, *, connect: bool = True
    ) -> None:
        self.location = str(location) if location is not None else default_location()
        self.backend: Backend = backend_for(self.location)
        self.pending = PendingAttempts(self.location)
        # One connection per Store; a dashboard's refresh thread and its callbacks share it.
        self._lock = threading.RLock()
        self._closed = False
        self._delay = 0.0
        self._retry_at = 0.0
        self._last_error = ""
        self._last_cause = "unreachable"
        self._replay_at = 0.0
        self._replaying = False
        self._check_at = 0.0
        self.last_insert_new = False
        """Whether the last :meth:`insert` added its attempt (False: the store held it)."""
        """When (monotonic) this process's next integrity check before a write is due."""
        self.reconnects = 0
        """How many times this store reconnected after a fault (for tests and the log)."""
        if connect:
            with self._lock:
                self._connect()

    def __repr__(self) -> str:
        return f"Store({redact(self.location)!r})"

    @property
    def _conn(self) -> Any:
        """The backend's live connection (tests reach through it to stage faults)."""
        return self.backend.conn

    # -- connection ----------------------------------------------------------------------------
    def _connect(self) -> None:
        try:
            self.backend.connect()
            self.backend.migrate()
        except StoreError as e:
            self.backend.close()
            self._failed(e)
            raise
        if self._last_error:
            log.warning("store %s reopened after: %s", self.backend.describe(), self._last_error)
            self.reconnects += 1
        self._delay, self._retry_at, self._last_error = 0.0, 0.0, ""
        self._replay_at = 0.0  # look for kept attempts at once

    def _failed(self, e: StoreError) -> None:
        """Remember a failure; the next try waits (0.25 s doubling to MAX_BACKOFF, jittered)."""
        self._last_error = str(e)
        self._last_cause = e.cause
        self._delay = min(max(0.25, self._delay * 2), MAX_BACKOFF)
        self._retry_at = time.monotonic() + self._delay * (0.5 + random.random() / 2)

    def _ensure(self) -> None:
        if self._closed:
            raise StoreError(f"the store {redact(self.location)} is closed", "closed")
        stale = self.backend.connected and self.backend.stale()
        if stale or not self.backend.connected:
            wait = self._retry_at - time.monotonic()
            if wait > 0:
                raise StoreError(
                    f"{self._last_error} (next try in {wait:.1f} s)",
                    "unavailable",
                    self._last_cause,
                )
        if stale:
            self._reopen_replaced()
        elif not self.backend.connected:
            self._connect()

    def _drop(self, e: StoreError) -> None:
        """Close a connection that failed; a damaged store is marked for every process."""
        if e.kind == "damaged":
            self.backend.mark_damaged(str(e))
        self.backend.close()

    def _run(self, sql: str, params: tuple = (), *, write: bool = False) -> list[tuple]:
        """Run one statement through faults: reconnect when the connection broke or the file
        was replaced (once at once, then with backoff), never write into a damaged store."""
        return self._through_faults(lambda: self.backend.execute(sql, params), write=write)

    def _through_faults(self, send: Callable[[], T], *, write: bool = False) -> T:
        """What :meth:`_run` does, for ``send`` (one call of the backend, made again on a
        fresh connection when the first broke: a write must be safe to send twice)."""
        with self._lock:
            for again in (False, True):
                # Kept attempts first (a replay that fails leaves the connection to _ensure).
                if not self._closed:
                    self._maybe_replay()
                self._ensure()
                if write and (why := self.backend.damaged()):
                    raise StoreError(
                        f"the store {self.backend.describe()} is marked damaged ({why}); "
                        f"'./mfl store recover' makes a fresh one",
                        "damaged",
                    )
                try:
                    rows = send()
                except StoreError as e:
                    if self.backend.stale():  # its file was deleted or replaced: rescue, retry
                        self._reopen_replaced()
                        if not again:
                            continue
                        raise
                    if e.kind == "unavailable" and self.backend.dialect == "sqlite":
                        raise  # busy past the wait, or the disk: the connection is fine
                    self._drop(e)
                    if not again and e.kind in ("broken", "readonly", "unavailable"):
                        continue  # reconnect at once and send it again (uids are unique)
                    self._failed(e)
                    raise
                if write and self.backend.stale():
                    # The file was deleted or replaced while we wrote: the row may be in the
                    # old file only. Rescue it with the rest, and write again.
                    self._reopen_replaced()
                    if not again:
                        continue
                return rows
        raise AssertionError("unreachable")

    def _reopen_replaced(self) -> None:
        """The store's file is no longer the one this connection has open (deleted, moved
        aside or replaced): copy every row the old file holds into the store now at the path
        (by uid: none doubled), then use that one."""
        old = self.backend
        log.warning("store %s was deleted or replaced while open: reopening", old.describe())
        fresh = backend_for(self.location)
        try:
            fresh.connect()
            fresh.migrate()
        except StoreError as e:
            # The old connection stays open: what it holds is copied on the next try.
            fresh.close()
            self._failed(e)
            raise
        copied = 0
        try:
            if old.table_exists("attempts"):
                for rows in old.rows(f"SELECT {_SELECT} FROM attempts ORDER BY id"):
                    copied += _copy_rows(fresh, rows)
        except StoreError as e:
            log.warning("could not read every row of the replaced store file: %s", e)
        old.close()
        self.backend = fresh
        self.reconnects += 1
        if copied:
            log.warning("%d attempt(s) copied from the replaced file", copied)

    # -- kept attempts -------------------------------------------------------------------------
    def _maybe_replay(self) -> None:
        if self._replaying or time.monotonic() < self._replay_at:
            return
        self._replay_at = time.monotonic() + REPLAY_EVERY
        if self.pending.files() and not self.backend.damaged():
            try:
                self.replay_pending()
            except StoreError as e:  # the statement that follows meets the same fault
                log.warning("kept attempts not sent yet: %s", e)

    def replay_pending(self, limit: int = 1000) -> int:
        """Send again the attempts kept on this computer for this store; returns how many it
        added (a kept copy of an attempt the store held already, as a second copy a crash left,
        is removed and not counted). Stops at the first failure to reach the store (raises
        StoreError)."""
        with self._lock:
            if self._replaying:
                return 0
            self._replaying = True
            try:
                done = 0
                already = 0
                aside = 0
                for path, row, why in self.pending.entries():
                    if done + already >= limit:
                        break
                    if row is None:
                        self.pending.reject(path, why)
                        aside += 1
                        continue
                    try:
                        self.insert(row)
                    except StoreError as e:
                        if e.kind != "other":
                            raise
                        self.pending.reject(path, str(e))
                        aside += 1
                        continue
                    self.pending.done(path)
                    if self.last_insert_new:
                        done += 1
                    else:
                        already += 1
                if done:
                    log.warning("%d kept attempt(s) added to the store", done)
                if already:
                    log.warning(
                        "%d kept file(s) held attempts the store had already (each is stored "
                        "once): removed",
                        already,
                    )
                if aside:
                    log.warning(
                        "%d kept file(s) could not be added as attempts; set aside, with the "
                        "reason beside each, in %s",
                        aside,
                        path.parent / "rejected",
                    )
                if not self.pending.tidy():  # nothing left: no folder, no label
                    self.pending.label()  # an older version's empty label is written again
                return done
            finally:
                self._replaying = False

    def close(self) -> None:
        with self._lock:
            self._closed = True
            self.backend.close()

    def __enter__(self) -> Store:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # -- writing -------------------------------------------------------------------------------
    def insert(self, row: dict[str, Any]) -> int:
        """Store one attempt made by :func:`make_row`, exactly once (by its uid); its id, once
        the write is verified (:meth:`_verify`): a write that cannot be verified raises a
        ``damaged`` StoreError, so the attempt is kept, never said to be saved."""
        values = tuple(row.get(c) for c in COLUMNS)
        # ON CONFLICT: an attempt sent twice (see the package docstring) is stored once. Sent
        # again on a fresh connection if the first broke (stored once, by its uid).
        checked = self._through_faults(
            lambda: self.backend.insert_checked("attempts", COLUMNS, values, "uid"), write=True
        )
        self.last_insert_new = checked.new_id is not None
        return self._verify(str(row["uid"]), checked)

    def _verify(self, uid: str, checked: Checked) -> int:
        """Confirm that attempt ``uid`` is in the store as written, before anyone is told it
        is saved; its id. ``checked``: what the store holds after the write
        (:meth:`Backend.insert_checked`: SQLite reads it back through its uid index, which
        leads to the row by its id in the table; PostgreSQL compares the stored row with what
        was sent in the same statement); an index that finds nothing, or another id, or a
        row that differs from what was written, is damage. And, for SQLite, at most every
        :data:`CHECK_EVERY` seconds (and :data:`CHECK_SHARE` of the time), the database's
        quick integrity check: a store damaged by overwrites that no statement of this
        process met (issue 11 leftovers: running kernels said "saved" until ``./mfl store
        check`` was run) is then noticed by the next write. Anything that does not match
        marks the store damaged for every process and raises (the facilitator's log says
        why). Issue 12's benchmark rule: the verified write within 10 % of the write before
        any verification (before: a read by id and a read by uid after the write)."""
        try:
            problems = self._due_check()
        except StoreError as e:
            if e.kind == "damaged":
                log.error("attempt %s could not be verified: %s", uid, e)
                raise
            raise StoreError(
                f"attempt {uid} was sent to the store {self.backend.describe()} but could not "
                f"be read back to confirm it: {e}",
                e.kind,
                e.cause,
            ) from None
        fresh, rid, ids = checked.new_id is not None, checked.new_id, checked.ids
        if not ids:
            self._unverified(
                uid,
                "it is not found by its uid after the write"
                if fresh
                else "it is neither written nor found by its uid",
            )
        if len(ids) != 1 or (fresh and ids != [rid]):
            self._unverified(uid, f"its uid index finds {ids}, not id {rid}")
        if fresh and checked.differ:
            self._unverified(
                uid,
                f"it reads back different from what was written ({', '.join(checked.differ)})",
            )
        if checked.key != uid:
            self._unverified(uid, f"the row found for it (id {ids[0]}) is another attempt")
        if problems:
            self._unverified(uid, "the store's integrity check fails: " + "; ".join(problems[:3]))
        return ids[0]

    def _due_check(self) -> list[str]:
        """SQLite's quick integrity check, when it is due for this process (see
        :meth:`_verify`); what it finds wrong (empty: sound, or not due)."""
        if time.monotonic() < self._check_at:
            return []
        started = time.monotonic()
        with self._lock:
            self._ensure()
            found = self.backend.quick_check()
        took = time.monotonic() - started
        self._check_at = time.monotonic() + max(CHECK_EVERY, took / CHECK_SHARE)
        if found is None:  # no such check (PostgreSQL): never due again
            self._check_at = float("inf")
        return found or []

    def _unverified(self, uid: str, why: str) -> None:
        """A write that cannot be verified: the store is marked damaged (no process writes
        into it until ``./mfl store recover``), the facilitator's log says why, and the caller
        gets a ``damaged`` StoreError (the attempt is kept, and the learner told so)."""
        reason = f"a write could not be verified: attempt {uid}: {why}"
        self.backend.mark_damaged(reason)
        log.error("store %s: %s; marked damaged", self.backend.describe(), reason)
        raise StoreError(
            f"the store {self.backend.describe()} is damaged ({reason}); './mfl store recover' "
            "copies every readable attempt to a fresh store",
            "damaged",
        )

    def record(
        self,
        *,
        learner: str,
        exercise_id: str,
        answer: Any,
        score: float | None,
        feedback: Any,
        session: str = "",
        feedback_items: Any = None,
        grade_shown: str | None = None,
    ) -> int:
        """Record one attempt, exactly once; returns its id. ``answer``, ``feedback`` and
        ``feedback_items`` are stored as JSON (an answer longer than MAX_TEXT is cut, and
        marked as cut). Raises StoreError when the store cannot take it."""
        return self.insert(
            make_row(
                learner=learner,
                exercise_id=exercise_id,
                answer=answer,
                score=score,
                feedback=feedback,
                session=session,
                feedback_items=feedback_items,
                grade_shown=grade_shown,
            )
        )

    # -- drafts (schema 4) ----------------------------------------------------------------------
    def save_draft(self, *, learner: str, exercise_id: str, draft: Any) -> None:
        """Keep a learner's unsubmitted answer to an exercise, replacing the one before. A
        draft is never graded nor an attempt; it comes back when the page is opened again."""
        text = _json(draft)
        if len(text) > MAX_TEXT:
            raise StoreError(f"a draft of {len(text):,} characters is too long to keep")
        self._run(
            "INSERT INTO drafts (learner, exercise_id, draft, updated_at) VALUES (?, ?, ?, ?) "
            "ON CONFLICT (learner, exercise_id) DO UPDATE SET draft = excluded.draft, "
            "updated_at = excluded.updated_at",
            (
                clean_pseudonym(learner),
                _clean_id(exercise_id, _LIMITS["exercise_id"]),
                text,
                datetime.now(UTC).isoformat(timespec="milliseconds"),
            ),
            write=True,
        )

    def load_draft(self, *, learner: str, exercise_id: str) -> Any:
        """The learner's kept draft for the exercise, or None."""
        rows = self._run(
            "SELECT draft FROM drafts WHERE learner = ? AND exercise_id = ?",
            (clean_pseudonym(learner), _clean_id(exercise_id, _LIMITS["exercise_id"])),
        )
        return _loads(rows[0][0]) if rows else None

    def drafts(self, learner: str) -> list[tuple[str, Any, str]]:
        """The learner's kept drafts: (exercise id, draft, when it was last changed)."""
        rows = self._run(
            "SELECT exercise_id, draft, updated_at FROM drafts WHERE learner = ? "
            "ORDER BY exercise_id",
            (clean_pseudonym(learner),),
        )
        return [(str(r[0]), _loads(r[1]), str(r[2])) for r in rows]

    # -- the multi-role exercise (schema 5) ----------------------------------------------------
    def role_of(self, *, session: str, exercise_id: str, learner: str) -> tuple[int, str] | None:
        """The (table, role) the learner holds in the session's exercise, or None."""
        rows = self._run(
            "SELECT room, role FROM room_roles WHERE session = ? AND exercise_id = ? "
            "AND learner = ?",
            (
                _clean_id(session, _LIMITS["session"]),
                _clean_id(exercise_id, _LIMITS["exercise_id"]),
                clean_pseudonym(learner),
            ),
        )
        return (int(rows[0][0]), str(rows[0][1])) if rows else None

    def claim_role(
        self,
        *,
        session: str,
        exercise_id: str,
        learner: str,
        roles: tuple[str, ...],
        max_tables: int = 50,
    ) -> tuple[int, str] | None:
        """Give the learner the first of ``roles`` free at the lowest table (a role is held by
        one participant per table); the role already held if the learner has one (a role is
        never changed, whatever is asked). None when every table up to ``max_tables`` has
        each of ``roles`` taken. Safe when many claim at once: the database's unique keys
        decide, never a read before a write."""
        key = (
            _clean_id(session, _LIMITS["session"]),
            _clean_id(exercise_id, _LIMITS["exercise_id"]),
            clean_pseudonym(learner),
        )
        for table in range(1, max_tables + 1):
            held = self.role_of(session=session, exercise_id=exercise_id, learner=learner)
            if held is not None:
                return held
            for role in roles:
                rows = self._run(
                    "INSERT INTO room_roles (session, exercise_id, learner, room, role, "
                    "claimed_at) VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT DO NOTHING "
                    "RETURNING room, role",
                    (
                        *key,
                        table,
                        str(role)[:64],
                        datetime.now(UTC).isoformat(timespec="milliseconds"),
                    ),
                    write=True,
                )
                if rows:
                    return int(rows[0][0]), str(rows[0][1])
        return self.role_of(session=session, exercise_id=exercise_id, learner=learner)

    def room_roster(self, *, session: str, exercise_id: str) -> list[tuple[str, int, str]]:
        """Every (learner, table, role) of the session's exercise, by table then claim."""
        rows = self._run(
            "SELECT learner, room, role FROM room_roles WHERE session = ? AND exercise_id = ? "
            "ORDER BY room, claimed_at, learner",
            (
                _clean_id(session, _LIMITS["session"]),
                _clean_id(exercise_id, _LIMITS["exercise_id"]),
            ),
        )
        return [(str(r[0]), int(r[1]), str(r[2])) for r in rows]

    def open_debrief(self, *, session: str, exercise_id: str) -> None:
        """The facilitator opens the exercise's debrief for the session (once; kept)."""
        self._run(
            "INSERT INTO room_debriefs (session, exercise_id, opened_at) VALUES (?, ?, ?) "
            "ON CONFLICT DO NOTHING",
            (
                _clean_id(session, _LIMITS["session"]),
                _clean_id(exercise_id, _LIMITS["exercise_id"]),
                datetime.now(UTC).isoformat(timespec="milliseconds"),
            ),
            write=True,
        )

    def debrief_opened(self, *, session: str, exercise_id: str) -> bool:
        """Whether the facilitator has opened the exercise's debrief for the session."""
        rows = self._run(
            "SELECT 1 FROM room_debriefs WHERE session = ? AND exercise_id = ?",
            (
                _clean_id(session, _LIMITS["session"]),
                _clean_id(exercise_id, _LIMITS["exercise_id"]),
            ),
        )
        return bool(rows)

    # -- sessions opened on a hub, with their owner (schema 6) ----------------------------------
    def create_session(self, owner: str, code: str | None = None) -> str:
        """Open a session owned by ``owner`` (a facilitator's hub username); its code. A new
        code is random and used nowhere yet; a given ``code`` already owned by someone else, or
        already holding attempts, raises StoreError (a session is never taken over)."""
        owner = clean_pseudonym(owner)
        for _ in range(20):
            wanted = _clean_id(code or "mf-" + secrets.token_hex(4), _LIMITS["session"])
            if not wanted:
                raise StoreError("a session code needs at least one printable character")
            used = self._run("SELECT 1 FROM attempts WHERE session = ? LIMIT 1", (wanted,))
            rows = (
                []
                if used
                else self._run(
                    "INSERT INTO class_sessions (code, owner, created_at) VALUES (?, ?, ?) "
                    "ON CONFLICT (code) DO NOTHING RETURNING code",
                    (wanted, owner, datetime.now(UTC).isoformat(timespec="milliseconds")),
                    write=True,
                )
            )
            if rows:
                return str(rows[0][0])
            if code is not None:
                if self.session_owner(wanted) == owner:
                    return wanted
                raise StoreError(f"the session code {wanted!r} is already in use")
        raise StoreError("could not find an unused session code")

    def session_owner(self, code: str) -> str | None:
        """The facilitator who opened the session on a hub, or None (a session of
        ``./mfl facilitate``, or no such session)."""
        rows = self._run(
            "SELECT owner FROM class_sessions WHERE code = ?",
            (_clean_id(code, _LIMITS["session"]),),
        )
        return str(rows[0][0]) if rows else None

    def owned_sessions(self, owner: str) -> list[tuple[str, int]]:
        """The sessions ``owner`` opened, with their number of attempts, the newest first."""
        rows = self._run(
            "SELECT s.code, COUNT(a.id) FROM class_sessions s "
            "LEFT JOIN attempts a ON a.session = s.code WHERE s.owner = ? "
            "GROUP BY s.code, s.created_at ORDER BY s.created_at DESC, s.code",
            (clean_pseudonym(owner),),
        )
        return [(str(r[0]), int(r[1])) for r in rows]

    # -- small records beside the attempts (the table meta) ------------------------------------
    def get_meta(self, key: str) -> str | None:
        """The value kept under ``key`` in the store's ``meta`` table, or None."""
        rows = self._run("SELECT value FROM meta WHERE key = ?", (key,))
        return None if not rows else str(rows[0][0])

    def add_meta(self, key: str, value: str) -> str:
        """Keep ``value`` under ``key`` unless a value is there already (never replaced: two
        processes adding at once agree on the first); returns the value kept."""
        self._run(
            "INSERT INTO meta (key, value) VALUES (?, ?) ON CONFLICT (key) DO NOTHING",
            (key, value),
            write=True,
        )
        kept = self.get_meta(key)
        assert kept is not None
        return kept

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
        rows = self._run(f"SELECT {_SELECT} FROM attempts{where} ORDER BY id", params)
        return [_attempt(r) for r in rows]

    def count(self, *, session: str | None = None) -> int:
        """How many attempts there are (in one session, if given)."""
        where, params = self._where(None, None, session)
        return int(self._run(f"SELECT COUNT(*) FROM attempts{where}", params)[0][0])

    def sessions(self) -> list[tuple[str, int]]:
        """Every session code with its number of attempts, the most recently active first."""
        rows = self._run(
            "SELECT session, COUNT(*), MAX(id) FROM attempts GROUP BY session ORDER BY 3 DESC"
        )
        return [(r[0], int(r[1])) for r in rows]

    def integrity_problems(self) -> list[str]:
        """What the database's own checks find wrong (empty when sound): SQLite's integrity
        check; for PostgreSQL, that ids are unique and the table's indexes valid."""
        with self._lock:
            self._ensure()
            return self.backend.integrity_problems()

    def integrity_ok(self) -> bool:
        """Whether the store is sound (see :meth:`integrity_problems`)."""
        return not self.integrity_problems()

    def schema_version(self) -> int:
        with self._lock:
            self._ensure()
            return self.backend.schema_version()


def _copy_rows(dest: Backend, rows: list[tuple]) -> int:
    """Insert rows read as ``SELECT id, COLUMNS`` into ``dest`` by uid; how many were new."""
    new = 0
    for r in rows:
        values = list(r[1:])
        if values[COLUMNS.index("uid")] is None:
            values[COLUMNS.index("uid")] = _legacy_uid(r)
        new += len(dest.execute(_INSERT, tuple(values)))
    return new


def iter_rows(backend: Backend) -> Iterator[list[tuple]]:
    """Every row of a backend's attempts table, in batches (``SELECT id, COLUMNS``)."""
    yield from backend.rows(f"SELECT {_SELECT} FROM attempts ORDER BY id")


SCHEMA_VERSION = latest_version()
"""The schema version this code brings a store to (the number of migration files)."""
