"""Attempts kept on this computer while their store cannot take them, until it can.

When a write fails, the attempt (with the uid it was sent with) is written as one small file,
``<pending root>/<store key>/<uid>.json``, atomically (a temporary file renamed into place). Any
process that later reaches the same store sends every such file again and deletes it once the
store holds it; the unique uid makes a second arrival a no-op, so two processes replaying at
once, or a replay after a write whose fate was unknown, still store each attempt exactly once.
One file per attempt means no lock and no file shared between writers: a kernel killed mid-write
leaves at most a temporary file, which is not an entry. The folder's label, ``store.txt`` (the
store's location, without a password, for a person looking at the folder), is written the same
way, after the attempt and only when it is missing or incomplete: a full disk leaves no empty or
partial file (an older version could leave an empty label; it is written again). Once every
attempt of a folder is in the store (and nothing was set aside), the folder goes, label and all.

A file that cannot be read as an attempt (empty, truncated, or missing what the store needs, as
an older version or a damaged disk could leave it) is never sent and never deleted: the replay
sets it aside in ``rejected/`` with a ``.reason.txt`` beside it, logs how many, and
``./mfl store check`` says how many are there and where.

**Temporary files left by a crash.** A process killed (or a machine stopped) between writing an
attempt's temporary file and renaming it leaves ``.<uid>.json.<random>.tmp``. Once it is older
than :data:`TMP_AFTER` (so no write is still under way), it counts as a kept attempt like any
other: a whole one is sent by the replay (by its uid: stored once, even if its attempt arrived
by another way) and then deleted; one cut short is set aside with its reason, as above, never
deleted. Before (issue 11 leftovers), such files stayed in the folder forever, unsent and unsaid.
A temporary label (``.store.txt.<random>.tmp``) that old is simply removed.

The root is ``$MIXEDFLOWS_PENDING`` or ``$XDG_STATE_HOME/mixedflows/unsaved`` (by default
``~/.local/state/mixedflows/unsaved``). When it cannot be written either, nothing is kept and the
learner is told so (see :class:`mixedflows.widgets.common.Recorder`).
"""

from __future__ import annotations

import contextlib
import errno
import hashlib
import json
import os
import re
import secrets
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from mixedflows.store.backends import redact

TMP_AFTER = 120.0
"""Seconds after which a temporary file of :func:`write_atomic` is taken as left by a write that
stopped (a crash): a write under way takes milliseconds."""
_TMP = re.compile(r"\.(?P<name>.+)\.[0-9a-f]{8}\.tmp")
"""A temporary file of :func:`write_atomic`: ``.<final name>.<8 hex digits>.tmp``."""


def left_by_a_crash(path: Path, now: float | None = None) -> bool:
    """Whether ``path`` is a temporary file of :func:`write_atomic` older than TMP_AFTER."""
    if not _TMP.fullmatch(path.name):
        return False
    return (time.time() if now is None else now) - _mtime(path) >= TMP_AFTER


def pending_root() -> Path | None:
    """Where kept attempts go, or None when there is no home folder to put them in."""
    env = os.environ.get("MIXEDFLOWS_PENDING")
    if env:
        return Path(env).expanduser()
    state = os.environ.get("XDG_STATE_HOME")
    if state:
        return Path(state) / "mixedflows" / "unsaved"
    try:
        return Path.home() / ".local" / "state" / "mixedflows" / "unsaved"
    except RuntimeError:  # no HOME and no passwd entry
        return None


def store_key(location: str) -> str:
    """The same key for every way of writing one store's location (a relative path, ``~``)."""
    if "://" not in location:
        location = os.path.realpath(os.path.expanduser(location))
    return hashlib.sha256(location.encode("utf-8")).hexdigest()[:16]


class PendingAttempts:
    """The attempts kept for one store. Every method is safe from many processes at once."""

    def __init__(self, location: str) -> None:
        self.location = location
        self.key = store_key(location)
        self.last_problem = ""
        """Why the last :meth:`keep` kept nothing: ``no_home`` (no folder to keep it in),
        ``full`` (the disk is full), ``readonly`` (the folder cannot be written), ``error``."""

    @property
    def folder(self) -> Path | None:
        root = pending_root()  # read each time: a test or a server may set it later
        return None if root is None else root / self.key

    def keep(self, row: dict[str, Any]) -> Path | None:
        """Keep one attempt (a row as the store writes it, with its uid); returns the file, or
        None when it could not be kept anywhere."""
        folder = self.folder
        self.last_problem = ""
        if folder is None:
            self.last_problem = "no_home"
            return None
        uid = str(row["uid"])
        final = folder / f"{uid}.json"
        try:
            for tries_left in (2, 1, 0):
                folder.mkdir(parents=True, exist_ok=True, mode=0o700)
                try:
                    write_atomic(final, json.dumps(row, ensure_ascii=False).encode("utf-8"))
                    break
                except FileNotFoundError:  # another process tidied the folder away just now
                    if not tries_left:
                        raise
        except OSError as e:
            self.last_problem = (
                "full"
                if e.errno in (errno.ENOSPC, errno.EDQUOT)
                else "readonly"
                if e.errno in (errno.EACCES, errno.EPERM, errno.EROFS, errno.ENOTDIR)
                else "error"
            )
            return None
        self.label()  # after the attempt: the attempt is what must be kept
        return final

    def label(self) -> None:
        """Write ``store.txt`` (the store's location, without a password) where it is missing,
        empty or cut short; never raises (it is for a person to read, not needed to replay)."""
        folder = self.folder
        if folder is None:
            return
        path = folder / "store.txt"
        with contextlib.suppress(OSError):
            text = path.read_text(encoding="utf-8", errors="replace")
            if text.strip() and text.endswith("\n") and redact(text) == text:
                return  # complete (perhaps in another spelling of the same location)
        with contextlib.suppress(OSError):
            if folder.is_dir():
                write_atomic(path, (redact(self.location) + "\n").encode("utf-8"))

    def tidy(self) -> bool:
        """Remove this store's folder when nothing is kept in it any more (no attempt, nothing
        set aside): its ``store.txt`` alone told of attempts that were all sent (issue 11, third
        cold trial). Whether it was removed. A write starting at that moment meets no folder
        and makes it again (:meth:`keep`); one under way leaves its temporary file, so the
        folder is not empty and stays."""
        folder = self.folder
        if folder is None or not folder.is_dir() or self.files() or self.set_aside():
            return False
        try:
            (folder / "store.txt").unlink(missing_ok=True)
            folder.rmdir()
        except OSError:
            if any(self.files()):
                self.label()  # an attempt came in meanwhile: its folder keeps its label
            return False
        return True

    def files(self) -> list[Path]:
        """The kept attempts, oldest first: every ``<uid>.json``, and every temporary attempt
        file a crash left (see the module docstring)."""
        folder = self.folder
        if folder is None:
            return []
        try:
            kept = list(folder.glob("*.json"))
            now = time.time()
            for tmp in folder.glob(".*.tmp"):
                if not left_by_a_crash(tmp, now):
                    continue
                if _TMP.fullmatch(tmp.name)["name"].endswith(".json"):
                    kept.append(tmp)
                else:  # a label's: nothing to keep
                    with contextlib.suppress(OSError):
                        tmp.unlink()
            return sorted(kept, key=_mtime)
        except OSError:
            return []

    def count(self) -> int:
        return len(self.files())

    def under_way(self) -> list[Path]:
        """Temporary attempt files younger than :data:`TMP_AFTER`: writes that may still be
        under way, not sent yet (a later look sends them if no process finishes them)."""
        folder = self.folder
        if folder is None:
            return []
        try:
            return [
                t
                for t in folder.glob(".*.json.*.tmp")
                if _TMP.fullmatch(t.name) and not left_by_a_crash(t)
            ]
        except OSError:
            return []

    def entries(self) -> Iterator[tuple[Path, dict[str, Any] | None, str]]:
        """Each kept attempt (oldest first) with its file, as ``(path, row, "")``; a file that
        cannot be read as one gives ``(path, None, why)`` (it is then set aside by
        :meth:`reject`, never deleted)."""
        for path in self.files():
            try:
                data = path.read_bytes()
            except FileNotFoundError:
                continue  # another process replayed it just now
            except OSError as e:
                yield path, None, f"cannot be read: {e.strerror or e}"
                continue
            row, why = read_entry(data)
            if row is None and path.suffix == ".tmp":
                why = f"left by a write that stopped midway (a crash): {why}"
            yield path, row, why

    def set_aside(self) -> list[Path]:
        """The files :meth:`reject` has set aside for this store."""
        folder = self.folder
        if folder is None:
            return []
        try:
            return sorted((folder / "rejected").glob("*.json"))
        except OSError:
            return []

    @staticmethod
    def done(path: Path) -> None:
        """The store holds this attempt now."""
        with contextlib.suppress(FileNotFoundError):
            path.unlink()

    @staticmethod
    def reject(path: Path, reason: str) -> None:
        """Set aside an entry the store refuses (kept for a person to look at)."""
        aside = path.parent / "rejected"
        tmp = _TMP.fullmatch(path.name)
        # A crash's temporary file is set aside as "<uid>.<random>.json", seen and counted
        # with the rest (set_aside).
        name = (
            f"{tmp['name'][: -len('.json')]}.{path.name.split('.')[-2]}.json" if tmp else path.name
        )
        with contextlib.suppress(OSError):
            aside.mkdir(exist_ok=True)
            os.replace(path, aside / name)
            write_atomic(
                aside / (name[: -len(".json")] + ".reason.txt"), (reason + "\n").encode("utf-8")
            )


_TEXT = ("learner", "exercise_id", "answer", "feedback", "created_at", "uid")
"""What a kept attempt must carry as text (the store's NOT NULL columns, and its uid)."""
_TEXT_OR_NONE = ("feedback_items", "grade_shown")


def read_entry(data: bytes) -> tuple[dict[str, Any] | None, str]:
    """A kept file's bytes as ``(row, "")``, or ``(None, why)`` in words a facilitator can act
    on: empty, truncated (JSON cut short, as a full disk leaves it), not JSON, or not an
    attempt (what it lacks named), so that no malformed row is ever sent to the store."""
    if not data.strip():
        return None, f"empty file ({len(data)} bytes, no attempt in it: nothing to send)"
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as e:
        if e.reason == "unexpected end of data":  # cut inside a character
            return None, f"truncated: the attempt stops after {len(data)} bytes"
        return None, f"not UTF-8 text (byte {e.start} of {len(data)})"
    try:
        row = json.loads(text)
    except json.JSONDecodeError as e:
        cut = e.msg != "Extra data" and not text.rstrip().endswith("}")
        if cut and text.lstrip().startswith("{"):
            return None, f"truncated: the attempt stops after {len(data)} bytes ({e.msg})"
        return None, f"not JSON: {e.msg} at line {e.lineno} column {e.colno}"
    if not isinstance(row, dict):
        return None, f"not an attempt: a JSON {type(row).__name__}, not an object"
    lacks = [k for k in _TEXT if not (isinstance(row.get(k), str) and row.get(k))]
    lacks += [k for k in _TEXT_OR_NONE if not isinstance(row.get(k), str | None)]
    lacks += [] if isinstance(row.get("session"), str) else ["session"]  # ("" for none)
    score = row.get("score")
    if isinstance(score, bool) or not isinstance(score, int | float | None):
        lacks.append("score")
    if lacks:
        return None, f"not an attempt: no valid {', '.join(lacks)}"
    return row, ""


def write_atomic(path: Path, data: bytes) -> None:
    """``path`` holds ``data`` whole, or is as it was: written to a temporary file in the same
    folder, flushed to disk, then renamed into place (the folder flushed too). A failure
    (a full disk) removes the temporary file and raises."""
    tmp = path.with_name(f".{path.name}.{secrets.token_hex(4)}.tmp")
    try:
        fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        try:
            view = memoryview(data)
            while view:
                view = view[os.write(fd, view) :]
            os.fsync(fd)
        finally:
            os.close(fd)
        os.replace(tmp, path)
    except BaseException:
        with contextlib.suppress(OSError):
            tmp.unlink()
        raise
    with contextlib.suppress(OSError):  # the rename itself survives a power cut
        dirfd = os.open(path.parent, os.O_RDONLY)
        try:
            os.fsync(dirfd)
        finally:
            os.close(dirfd)


def _mtime(path: Path) -> float:
    try:
        return path.stat().st_mtime
    except OSError:
        return 0.0
