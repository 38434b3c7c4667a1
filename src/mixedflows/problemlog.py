"""What went wrong behind the participants' pages, kept for the facilitator.

The course's Voila server keeps stderr and tracebacks off the participants' pages (issue 11,
point 7); each is also written here, one JSON line per problem, and so is every warning of the
package's own log in a kernel (a store that cannot be reached, a course file that does not
load). The facilitator dashboard lists the latest; the server's log has them too.

The file is ``$MIXEDFLOWS_PROBLEMS`` (the server sets it, in the session's folder, and its
kernels inherit it); without it nothing is written. Lines are appended whole (one ``write`` of
less than 4 KB on a file opened for appending), so the server and its kernels can share it.
"""

from __future__ import annotations

import json
import os
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

MAX_DETAIL = 3000
"""Characters of detail kept per problem (the server's log has the rest)."""


def location() -> Path | None:
    where = os.environ.get("MIXEDFLOWS_PROBLEMS", "")
    return Path(where) if where else None


def note(where: str, detail: str, kind: str = "error") -> None:
    """Keep one problem (never raises: a problem log that fails must not add a problem)."""
    path = location()
    if path is None:
        return
    from mixedflows.store.backends import redact_secrets

    detail = redact_secrets(detail)  # a store URL's password is never kept or shown
    if len(detail) > MAX_DETAIL:
        detail = detail[:MAX_DETAIL] + f"... ({len(detail):,} characters; the rest in the log)"
    line = json.dumps(
        {
            "time": datetime.now(UTC).isoformat(timespec="seconds"),
            "where": where,
            "kind": kind,
            "detail": detail,
        },
        ensure_ascii=False,
    )
    try:
        with path.open("a", encoding="utf-8") as fh:
            fh.write(line + "\n")
    except OSError:
        pass


def recent(n: int = 20) -> list[dict[str, Any]]:
    """The latest ``n`` problems, newest first (unreadable lines skipped)."""
    path = location()
    if path is None or not path.is_file():
        return []
    try:
        with path.open("rb") as fh:
            fh.seek(0, os.SEEK_END)
            fh.seek(max(0, fh.tell() - 400_000))
            lines = fh.read().decode("utf-8", "replace").splitlines()
    except OSError:
        return []
    out = []
    for line in reversed(lines):
        try:
            item = json.loads(line)
        except ValueError:
            continue
        if isinstance(item, dict):
            out.append(item)
        if len(out) >= n:
            break
    return out
