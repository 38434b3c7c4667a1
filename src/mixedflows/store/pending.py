"""Attempts kept on this computer while their store cannot take them, until it can.

When a write fails, the attempt (with the uid it was sent with) is written as one small file,
``<pending root>/<store key>/<uid>.json``, atomically (a temporary file renamed into place). Any
process that later reaches the same store sends every such file again and deletes it once the
store holds it; the unique uid makes a second arrival a no-op, so two processes replaying at
once, or a replay after a write whose fate was unknown, still store each attempt exactly once.
One file per attempt means no lock and no file shared between writers: a kernel killed mid-write
leaves at most a temporary file, which is not an entry.

The root is ``$MIXEDFLOWS_PENDING`` or ``$XDG_STATE_HOME/mixedflows/unsaved`` (by default
``~/.local/state/mixedflows/unsaved``). When it cannot be written either, nothing is kept and the
learner is told so (see :class:`mixedflows.widgets.common.Recorder`).
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import secrets
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from mixedflows.store.backends import redact


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
        tmp = folder / f".{uid}.{secrets.token_hex(4)}.tmp"
        try:
            folder.mkdir(parents=True, exist_ok=True, mode=0o700)
            label = folder / "store.txt"
            if not label.exists():
                label.write_text(redact(self.location) + "\n", encoding="utf-8")
            fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
            with os.fdopen(fd, "w", encoding="utf-8") as fh:
                json.dump(row, fh, ensure_ascii=False)
                fh.flush()
                os.fsync(fh.fileno())
            os.replace(tmp, final)
            return final
        except OSError as e:
            import errno

            with contextlib.suppress(OSError):
                tmp.unlink()
            self.last_problem = (
                "full"
                if e.errno in (errno.ENOSPC, errno.EDQUOT)
                else "readonly"
                if e.errno in (errno.EACCES, errno.EPERM, errno.EROFS, errno.ENOTDIR)
                else "error"
            )
            return None

    def files(self) -> list[Path]:
        folder = self.folder
        if folder is None:
            return []
        try:
            return sorted(folder.glob("*.json"), key=_mtime)
        except OSError:
            return []

    def count(self) -> int:
        return len(self.files())

    def entries(self) -> Iterator[tuple[Path, dict[str, Any] | None]]:
        """Each kept attempt (oldest first) with its file; None for a file that cannot be
        read as one (it is then set aside by :meth:`reject`, never deleted)."""
        for path in self.files():
            try:
                row = json.loads(path.read_text(encoding="utf-8"))
            except FileNotFoundError:
                continue  # another process replayed it just now
            except (OSError, ValueError):
                row = None
            if row is not None and not (isinstance(row, dict) and row.get("uid")):
                row = None
            yield path, row

    @staticmethod
    def done(path: Path) -> None:
        """The store holds this attempt now."""
        with contextlib.suppress(FileNotFoundError):
            path.unlink()

    @staticmethod
    def reject(path: Path, reason: str) -> None:
        """Set aside an entry the store refuses (kept for a person to look at)."""
        aside = path.parent / "rejected"
        with contextlib.suppress(OSError):
            aside.mkdir(exist_ok=True)
            os.replace(path, aside / path.name)
            (aside / (path.stem + ".reason.txt")).write_text(reason + "\n", encoding="utf-8")


def _mtime(path: Path) -> float:
    try:
        return path.stat().st_mtime
    except OSError:
        return 0.0
