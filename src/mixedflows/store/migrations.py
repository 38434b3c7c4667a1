"""The store's schema as a list of migration files, applied in order on open.

A migration is a file in ``store/migrations/``: ``NNNN_what.sql`` for SQL both databases accept,
or a pair ``NNNN_what.sqlite.sql`` / ``NNNN_what.postgresql.sql`` where they differ. ``NNNN`` is
the schema version the file brings the store to; the version a store is at is kept in its
``meta`` table (``schema_version``). A schema change is a new file with the next number, never
an edit of an applied one (``tests/test_store_migrations.py`` applies them all on SQLite and on a
real PostgreSQL, one at a time and on stores left at each older version).
"""

from __future__ import annotations

import re
import sqlite3
from dataclasses import dataclass
from functools import cache
from importlib import resources

DIALECTS = ("sqlite", "postgresql")
_NAME = re.compile(r"^(\d{4})_([a-z0-9_]+?)(?:\.(sqlite|postgresql))?\.sql$")


@dataclass(frozen=True)
class Migration:
    version: int
    name: str
    """The file it was read from, for messages."""
    statements: tuple[str, ...]


def split_sql(text: str) -> list[str]:
    """The statements of a migration file, without comments (SQLite's own notion of a complete
    statement decides where one ends, so a ``;`` inside a string literal does not split)."""
    statements, current = [], ""
    for line in text.splitlines():
        if not current and (not line.strip() or line.lstrip().startswith("--")):
            continue
        current += line + "\n"
        if sqlite3.complete_statement(current):
            statements.append(current.strip().rstrip(";").strip())
            current = ""
    if current.strip():
        raise ValueError(f"an unfinished statement at the end: {current.strip()[:60]!r}")
    return statements


@cache
def migrations(dialect: str) -> tuple[Migration, ...]:
    """Every migration for ``dialect`` (``sqlite`` or ``postgresql``), by version, checked for
    gaps and doubles so a misnamed file fails loudly instead of being skipped."""
    if dialect not in DIALECTS:
        raise ValueError(f"unknown dialect {dialect!r}")
    found: dict[int, Migration] = {}
    for entry in resources.files(__package__).joinpath("migrations").iterdir():
        m = _NAME.match(entry.name)
        if m is None:
            if entry.name.endswith(".sql"):
                raise ValueError(f"migration file {entry.name}: name is not NNNN_what[.db].sql")
            continue
        version, only = int(m.group(1)), m.group(3)
        if only is not None and only != dialect:
            continue
        if version in found:
            raise ValueError(
                f"two migrations to version {version}: {found[version].name}, {entry.name}"
            )
        found[version] = Migration(version, entry.name, tuple(split_sql(entry.read_text("utf-8"))))
    versions = sorted(found)
    if versions != list(range(1, len(versions) + 1)):
        raise ValueError(f"migration versions for {dialect} are not 1..n: {versions}")
    return tuple(found[v] for v in versions)


def latest_version() -> int:
    """The schema version this code brings a store to."""
    return len(migrations("sqlite"))
