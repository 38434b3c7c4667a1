"""Memos of what an app's first view computes, so that a page does not wait for it (issue 13).

A memo is a JSON file in the cache folder, kept under a key of everything its value depends
on: the inputs given, numpy's version (the random draws) and the fingerprint of every file of
the package and of datasets/ (path, size and modification time), so changed code or data is
never read from an old memo. A memo that cannot be read, or is not of its key, is ignored (the
caller computes the value); one that cannot be written is not kept (the next page computes it
too). The reception page keeps its own memo of its first season the same way
(:mod:`mixedflows.widgets.reception`).
"""

from __future__ import annotations

import hashlib
import json
import logging
import os
from functools import cache
from pathlib import Path
from typing import Any

log = logging.getLogger("mixedflows")

KEPT = 6
"""Memos of one kind kept: older ones (of older code or data) are never read again."""


def cache_dir() -> Path:
    """The course's cache folder (``$XDG_CACHE_HOME/mixedflows``, else ``~/.cache/mixedflows``;
    the same folder as the offline chart bundle's, :func:`mixedflows.charts.offline.cache_dir`)."""
    base = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(base) / "mixedflows"


@cache
def fingerprint() -> str:
    """Every file of the package and of datasets/ by path, size and modification time (once
    per process: a kernel runs the code it loaded)."""
    import mixedflows
    from mixedflows.paths import datasets_dir

    h = hashlib.sha256()
    for root in (Path(mixedflows.__file__).parent, datasets_dir()):
        for folder, dirs, files in os.walk(root):
            dirs[:] = sorted(d for d in dirs if d != "__pycache__")
            for f in sorted(files):
                path = os.path.join(folder, f)
                try:
                    st = os.stat(path)
                except OSError:
                    continue
                h.update(f"{path}\0{st.st_size}\0{st.st_mtime_ns}\n".encode())
    return h.hexdigest()


@cache
def numpy_version() -> str:
    """numpy's version file (``numpy/version.py``), read without loading numpy, nor scanning
    every installed distribution as ``importlib.metadata.version`` does (about 45 ms)."""
    from importlib.util import find_spec

    spec = find_spec("numpy")
    if spec is None or not spec.origin:
        return "no numpy"
    try:
        return (Path(spec.origin).parent / "version.py").read_text(encoding="utf-8")
    except OSError:
        return spec.origin


def key(kind: str, **inputs: Any) -> str:
    """The memo key of ``kind`` for these ``inputs`` (JSON values), numpy's version (its
    random draws) and the :func:`fingerprint` of the code and data."""
    what = {
        "kind": kind,
        "inputs": inputs,
        "numpy": numpy_version(),
        "files": fingerprint(),
    }
    return hashlib.sha256(json.dumps(what, sort_keys=True).encode()).hexdigest()[:40]


def path(kind: str, memo_key: str) -> Path:
    return cache_dir() / f"{kind}-{memo_key}.json"


def load(kind: str, memo_key: str) -> Any | None:
    """The value kept under ``memo_key``, or None (none kept, unreadable, or of another key)."""
    try:
        memo = json.loads(path(kind, memo_key).read_text(encoding="utf-8"))
    except (OSError, ValueError, RuntimeError):  # RuntimeError: no home folder to be found
        return None
    if not isinstance(memo, dict) or memo.get("key") != memo_key or "value" not in memo:
        log.warning("%s memo %s ignored: not a memo of this key", kind, memo_key)
        return None
    return memo["value"]


def _mtime(p: Path) -> float:
    try:
        return p.stat().st_mtime
    except OSError:
        return 0.0


def save(kind: str, memo_key: str, value: Any) -> Path | None:
    """Keep ``value`` (JSON) under ``memo_key``, written whole or not at all, and drop the
    oldest memos of ``kind`` beyond :data:`KEPT`; None if the cache folder cannot be written."""
    import tempfile

    try:
        target = path(kind, memo_key)
        target.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(dir=target.parent, suffix=".tmp")
        with os.fdopen(fd, "w", encoding="utf-8") as fh:
            json.dump({"key": memo_key, "value": value}, fh)
        os.replace(tmp, target)
        kept = sorted(target.parent.glob(f"{kind}-*.json"), key=_mtime, reverse=True)
        for stale in kept[KEPT:]:
            stale.unlink(missing_ok=True)
    except (OSError, RuntimeError) as e:  # RuntimeError: no home folder to be found
        log.info("%s memo not kept: %s", kind, e)
        return None
    return target
