"""The attempt store: every graded attempt, kept for the learner and the facilitator.

SQLite by default (no set-up; WAL, so many kernel processes can write at once), at the path in
``MIXEDFLOWS_STORE`` or ``$XDG_DATA_HOME/mixedflows/attempts.sqlite``; PostgreSQL when
``MIXEDFLOWS_STORE`` is a ``postgresql://`` URL (a JupyterHub deployment). Learner ids are
pseudonyms the learner chose (or a random id); no real name is required.

The parts:

- :mod:`~mixedflows.store.core`: :class:`Store`, the same on every database;
- :mod:`~mixedflows.store.backends`: one :class:`~mixedflows.store.backends.Backend` class per
  database (SQLite, PostgreSQL) behind one interface;
- :mod:`~mixedflows.store.migrations` and the files in ``store/migrations/``: the schema, one
  numbered file per change, applied in order on open on both databases;
- :mod:`~mixedflows.store.pending`: attempts kept on this computer while the store cannot
  take them, sent again automatically when it can;
- :mod:`~mixedflows.store.health`: ``./mfl store check`` and ``./mfl store recover``.

The table ``attempts`` (schema version 3):

==============  ===========================================================================
id              the store's number for the attempt (increasing)
learner         the pseudonym
session         the class session code ('' when self-paced)
exercise_id     the exercise
answer          JSON: the answer as given (text over MAX_TEXT cut, marked ``truncated``)
score           0 to 1; NULL for an answer recorded but not auto-graded (a reflection)
feedback        JSON: the grade as the grader returned it (``GradeResult.to_json()``)
created_at      UTC, ISO 8601 with milliseconds
uid             random, made before the attempt is first sent; unique (version 2)
feedback_items  JSON, nullable: the structured feedback items shown to the learner (what was
                expected, what was given, the credit, the message and its citation), so
                dashboards and exports read them and never grade again (version 3)
grade_shown     text, nullable: the exercise's grade exactly as the learner saw it (version 3)
==============  ===========================================================================

Promises:

- **Exactly once.** Every attempt carries its uid from the start. A write whose fate is unknown
  (a PostgreSQL connection dropped mid-insert, a store file replaced mid-write) is sent again,
  and the unique uid turns a second arrival into a no-op: an attempt is neither lost nor
  doubled. A SQLite write that meets a lock is simply waited for.
- **Stored, kept, or said to be lost.** An attempt the store cannot take is kept on this
  computer (:mod:`~mixedflows.store.pending`) and sent again automatically when the store
  answers (any process that reaches it sends them, by uid); when it cannot be kept either,
  the learner is told it was not saved.
- **Through faults.** A connection that broke is replaced; a store that cannot be reached is
  tried again with backoff (0.25 s doubling to 8 s), by kernels and dashboards alike; a SQLite
  file deleted or replaced while open is noticed (its device and inode) and the rows the old
  file held are copied into the file now at the path; a corrupt file is marked (``.damaged``
  beside it) so that no process writes into it until ``./mfl store recover`` has copied every
  readable row to a fresh one.
- **Saved means verified.** A write is read back (by its id and by its uid) and compared with
  what was written, and a SQLite store's quick integrity check runs before a write is confirmed
  at most every minute per process (through a connection of its own: damage written into the
  file under a running kernel is seen); a write that cannot be verified marks the store
  damaged, and the attempt is kept, the learner told so (:meth:`Store.insert`).
"""

from mixedflows.store.backends import (
    LOCK_WAIT,
    Backend,
    StoreError,
    backend_for,
    redact,
    redact_secrets,
)
from mixedflows.store.core import (
    COLUMNS,
    MAX_TEXT,
    SCHEMA_VERSION,
    Attempt,
    Store,
    clean_pseudonym,
    default_location,
    make_row,
    pseudonym_keeps_something,
)

_redact = redact  # the name callers used before the store became a package

__all__ = [
    "COLUMNS",
    "LOCK_WAIT",
    "MAX_TEXT",
    "SCHEMA_VERSION",
    "Attempt",
    "Backend",
    "Store",
    "StoreError",
    "backend_for",
    "clean_pseudonym",
    "default_location",
    "make_row",
    "pseudonym_keeps_something",
    "redact",
    "redact_secrets",
]
