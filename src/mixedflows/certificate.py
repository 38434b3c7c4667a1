"""The course's completion rule, and a certificate the facilitator can verify against the store.

**Completion rule** (stated in the README): a module is completed when every exercise of it in
``exercises/`` has a grade of at least :data:`PASS_GRADE` (the grade the app showed,
:mod:`mixedflows.gradebook`; an answer recorded but not scored counts once recorded). The
course is completed when the learner took the knowledge check at the start and at the end
(:mod:`mixedflows.knowledge`) and completed at least :data:`REQUIRED_MODULES` modules. Every
attempt of the learner's pseudonym in the store counts, in any session.

**Certificate**: a printable HTML page with the name the learner chose to print (their
pseudonym by default), the modules completed, the date and a verification code. Issuing one
records it in the store (``meta``, key ``certificate:<serial>``): the learner, the name, the
modules, the date and the attempts it rests on (uid, exercise, score). The code is the serial
and an HMAC-SHA256, under a secret made once per store (``meta``, ``certificate_secret``), of
that record and of those attempts as the store holds them. ``./mfl certificate verify CODE``
recomputes it: a code not issued from this store (forged, mistyped, from another store), a code
with any character altered, and a certificate whose attempts were changed or removed since are
each refused with a sentence saying which.

**Who issues it**: whoever holds the secret. On one computer, ``./mfl facilitate`` or Binder,
the store has one owner and the learner's app issues the certificate. On a JupyterHub with the
learners' narrow PostgreSQL role (:mod:`mixedflows.store.roles`), a learner's server can
neither read the secret nor plant one: :func:`issue` there raises
:class:`IssuedByFacilitatorError` (the app says so) and the facilitator's dashboard service,
with the owner's URL, issues the certificates of their participants (:func:`issue_many`). The
name the learner typed to print is kept as their draft :data:`PRINT_NAME_DRAFT`
(:func:`keep_print_name`; a learner's role may write its own drafts), and the facilitator's
certificate prints it (:func:`kept_print_name`), as the learner's own app would have.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import logging
import re
import secrets
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, datetime
from functools import cache
from typing import Any

from mixedflows import knowledge
from mixedflows.results import PASS_GRADE  # one rule, read by the graders too
from mixedflows.store import Attempt, Store
from mixedflows.store.roles import (
    CERTIFICATE_SECRET_KEY,
    ensure_certificate_secret,
    is_learner_login,
)

log = logging.getLogger("mixedflows")

REQUIRED_MODULES = 8
"""How many modules a learner completes for the course to be completed."""
SECRET_KEY = CERTIFICATE_SECRET_KEY
"""The ``meta`` key of the signing secret (learners' roles cannot read it on a hub)."""
SERIAL_CHARS = 8
MAC_CHARS = 12


# --- the completion rule ------------------------------------------------------------------------


@cache
def module_titles() -> dict[int, str]:
    """Each module's title, from the first heading of its notebook in ``modules/``."""
    import json as _json

    from mixedflows.paths import home

    titles: dict[int, str] = {}
    for nb in sorted((home() / "modules").glob("[0-9][0-9]_*.ipynb")):
        try:
            cells = _json.loads(nb.read_text(encoding="utf-8"))["cells"]
            first = next(c for c in cells if c["cell_type"] == "markdown")
            line = "".join(first["source"]).splitlines()[0].lstrip("# ").strip()
        except (OSError, ValueError, KeyError, StopIteration, IndexError):
            continue
        number = int(nb.name[:2])
        titles.setdefault(number, line)
    return titles


def module_title(number: int) -> str:
    return module_titles().get(number, f"Module {number}")


@cache
def course_exercises() -> dict[int, tuple[str, ...]]:
    """The exercises of each module (those in ``exercises/`` that load)."""
    from mixedflows.exercises import list_exercises, load_exercise

    out: dict[int, list[str]] = {}
    for ex_id in list_exercises():
        try:
            ex = load_exercise(ex_id)
        except Exception as e:  # a malformed file is the preflight's to report
            log.warning("exercise %s not counted for completion: %s", ex_id, e)
            continue
        out.setdefault(int(ex.module), []).append(ex_id)
    return {m: tuple(sorted(ids)) for m, ids in sorted(out.items())}


@dataclass(frozen=True)
class Standing:
    """Where one learner stands against the completion rule."""

    learner: str
    modules: dict[int, dict[str, float | None]]
    """Per module, each exercise's grade (None: not done; 1.0 for an answer recorded but not
    scored)."""
    completed: tuple[int, ...]
    took_start: bool
    took_end: bool
    evidence: tuple[tuple[str, str, float | None], ...]
    """The attempts the standing rests on: (uid, exercise, score)."""

    @property
    def complete(self) -> bool:
        return self.took_start and self.took_end and len(self.completed) >= REQUIRED_MODULES

    def missing(self) -> list[str]:
        """What is left to do, in sentences (empty when complete)."""
        todo = []
        if not self.took_start:
            todo.append("take the knowledge check at the start")
        left = REQUIRED_MODULES - len(self.completed)
        if left > 0:
            todo.append(
                f"complete {left} more module(s) ({len(self.completed)} of {REQUIRED_MODULES} "
                f"so far; a module is completed when each of its exercises has a grade of "
                f"{PASS_GRADE:.0%} or more)"
            )
        if not self.took_end:
            todo.append("take the knowledge check at the end")
        return todo


def imported(attempt: Attempt) -> bool:
    """Whether the attempt came from a progress file (marked so by the server on import)."""
    fb = attempt.feedback
    return isinstance(fb, dict) and fb.get("imported") is True


def standing(learner: str, attempts: Iterable[Attempt]) -> Standing:
    """One learner's standing from their attempts (see the module docstring)."""
    from mixedflows.gradebook import exercise_grade, graded_of, part_ids

    # An attempt imported from a progress file (issue 16) lets a learner continue, but a
    # certificate rests only on attempts graded on this server: a progress file is sealed
    # with no secret, so anyone could write one.
    mine = [a for a in attempts if a.learner == learner and not imported(a)]
    by_ex: dict[str, list[Attempt]] = {}
    for a in sorted(mine, key=lambda a: a.id):
        by_ex.setdefault(a.exercise_id, []).append(a)
    modules: dict[int, dict[str, float | None]] = {}
    completed = []
    evidence: list[tuple[str, str, float | None]] = []
    from mixedflows.exercises import load_exercise

    for number, ex_ids in course_exercises().items():
        grades: dict[str, float | None] = {}
        for ex_id in ex_ids:
            done = by_ex.get(ex_id, [])
            if not done:
                grades[ex_id] = None
                continue
            if all(a.score is None for a in done):
                grades[ex_id] = 1.0  # recorded, not scored (a reflection)
                continue
            g = exercise_grade([graded_of(a) for a in done], part_ids(load_exercise(ex_id)))
            grades[ex_id] = g.score
        modules[number] = grades
        if all(v is not None and v >= PASS_GRADE for v in grades.values()):
            completed.append(number)
            evidence += [(a.uid or "", a.exercise_id, a.score) for e in ex_ids for a in by_ex[e]]
    start = by_ex.get(knowledge.START, [])
    end = by_ex.get(knowledge.END, [])
    evidence += [(a.uid or "", a.exercise_id, a.score) for a in [*start[:1], *end[-1:]]]
    return Standing(
        learner, modules, tuple(completed), bool(start), bool(end), tuple(sorted(evidence))
    )


# --- codes --------------------------------------------------------------------------------------


def _b32(raw: bytes, n: int) -> str:
    return base64.b32encode(raw).decode("ascii").rstrip("=")[:n]


def format_code(serial: str, mac: str) -> str:
    flat = serial + mac
    return "-".join(flat[i : i + 4] for i in range(0, len(flat), 4))


SHOWN_CHARS = 60
"""The most of a refused code a message repeats (a code is 20 characters with its dashes 24)."""


def _shown(code: str) -> str:
    """What a message repeats of a typed code: all of a short one, the start of a long one
    with its length (never 100,000 characters echoed back)."""
    if len(code) <= SHOWN_CHARS:
        return repr(code)
    return f"{code[:SHOWN_CHARS]!r}... ({len(code):,} characters)"


def parse_code(code: str) -> tuple[str, str]:
    """(serial, mac) of a code as typed (case, spaces and dashes do not matter); raises
    ValueError with a sentence when it cannot be a code at all."""
    code = str(code)
    flat = re.sub(r"[\s-]+", "", code).upper()
    if len(flat) != SERIAL_CHARS + MAC_CHARS or not re.fullmatch(r"[A-Z2-7]+", flat):
        raise ValueError(
            f"{_shown(code)} is not a certificate code: a code is {SERIAL_CHARS + MAC_CHARS} "
            "letters and digits 2-7, in groups of four (like ABCD-EFGH-IJKL-MNOP-QRST)"
        )
    return flat[:SERIAL_CHARS], flat[SERIAL_CHARS:]


def ensure_secret(store: Store) -> None:
    """Make the store's signing secret unless it has one (run by the owner: ``./mfl store
    grant-learner-role`` does, before any learner's server connects)."""
    ensure_certificate_secret(store)


def _secret(store: Store) -> bytes:
    return bytes.fromhex(store.add_meta(SECRET_KEY, secrets.token_hex(32)))


def _mac(secret: bytes, serial: str, record: dict[str, Any], evidence: list) -> str:
    body = json.dumps(
        {
            "serial": serial,
            "learner": record["learner"],
            "name": record["name"],
            "modules": record["modules"],
            "date": record["date"],
            "evidence": evidence,
        },
        sort_keys=True,
        ensure_ascii=False,
        separators=(",", ":"),
    )
    return _b32(hmac.new(secret, body.encode("utf-8"), hashlib.sha256).digest(), MAC_CHARS)


# --- issuing and verifying ----------------------------------------------------------------------


class NotCompletedError(ValueError):
    """The learner has not met the completion rule; the message says what is left."""


class IssuedByFacilitatorError(PermissionError):
    """This process may not sign certificates (a learner's server on a hub, whose store role
    cannot read the secret): the facilitator issues them from the dashboard."""


FACILITATOR_ISSUES = (
    "You meet the course's completion rule. On this course server your certificate is "
    "issued by your facilitator, from the facilitator's dashboard: ask them for it. (It "
    "cannot be made here: the server you work in has no access to the key that signs "
    "certificates, so that no one can sign one for themselves.)"
)


@dataclass(frozen=True)
class Certificate:
    code: str
    learner: str
    name: str
    modules: tuple[int, ...]
    date: str
    """UTC date of issue, YYYY-MM-DD."""

    def html(self) -> str:
        return certificate_html(self)

    def filename(self) -> str:
        safe = re.sub(r"[^A-Za-z0-9_-]+", "-", self.name).strip("-")[:40] or "learner"
        return f"mixedflows-certificate-{safe}-{self.date}.html"


def clean_print_name(name: str | None, learner: str) -> str:
    """The name printed: as the learner typed it (printable characters, at most 80), or their
    pseudonym when they typed none."""
    kept = (ch if ch.isprintable() else " " if ch.isspace() else "" for ch in str(name or ""))
    text = " ".join("".join(kept).split())[:80]  # a tab or line break separates words too
    return text or learner


PRINT_NAME_DRAFT = "certificate_print_name"
"""The draft (``drafts`` table, exercise id) holding the name the learner typed to print."""


def keep_print_name(store: Store, learner: str, name: str | None) -> str:
    """Keep the name ``learner`` typed to print (cleaned as printed; an empty name is kept as
    empty: the pseudonym is printed), for a certificate issued later by the facilitator.
    Returns the name that will be printed."""
    text = clean_print_name(name, "")
    store.save_draft(learner=learner, exercise_id=PRINT_NAME_DRAFT, draft={"name": text})
    return text or learner


def kept_print_name(store: Store, learner: str) -> str | None:
    """The name ``learner`` last asked to print, or None (none kept, or not readable)."""
    try:
        draft = store.load_draft(learner=learner, exercise_id=PRINT_NAME_DRAFT)
    except Exception:  # a store that cannot be read here: the pseudonym is printed
        log.warning("the name to print of %s could not be read", learner, exc_info=True)
        return None
    if isinstance(draft, dict) and isinstance(draft.get("name"), str):
        return draft["name"] or None
    return None


def issue(store: Store, learner: str, print_name: str | None = None) -> Certificate:
    """Issue a certificate to a learner who meets the completion rule (recorded in the store);
    raises :class:`NotCompletedError` saying what is left otherwise."""
    from mixedflows.store import clean_pseudonym

    learner = clean_pseudonym(learner)
    st = standing(learner, store.attempts(learner=learner))
    if not st.complete:
        raise NotCompletedError("Not yet: " + "; ".join(st.missing()) + ".")
    if is_learner_login(store):
        raise IssuedByFacilitatorError(FACILITATOR_ISSUES)
    secret = _secret(store)
    record = {
        "learner": learner,
        "name": clean_print_name(print_name, learner),
        "modules": list(st.completed),
        "date": datetime.now(UTC).strftime("%Y-%m-%d"),
        "evidence": [list(e) for e in st.evidence],
    }
    while True:
        serial = _b32(secrets.token_bytes(5), SERIAL_CHARS)
        if store.get_meta(f"certificate:{serial}") is None:
            break
    mac = _mac(secret, serial, record, record["evidence"])
    store.add_meta(f"certificate:{serial}", json.dumps(record, ensure_ascii=False))
    log.info("certificate %s issued to %s", serial, learner)
    return Certificate(
        format_code(serial, mac), learner, record["name"], tuple(st.completed), record["date"]
    )


def issue_many(store: Store, learners: Iterable[str]) -> tuple[list[Certificate], dict[str, str]]:
    """The facilitator's path (the dashboard): a certificate for each of ``learners`` who
    meets the completion rule (printing the name they asked for in their course-check app,
    else their pseudonym), and for the others what is left, in a sentence. Needs a store that
    may sign (the owner's)."""
    issued: list[Certificate] = []
    not_yet: dict[str, str] = {}
    for who in sorted(set(learners)):
        try:
            issued.append(issue(store, who, kept_print_name(store, who)))
        except NotCompletedError as e:
            not_yet[who] = str(e)
    return issued, not_yet


@dataclass(frozen=True)
class Verification:
    ok: bool
    message: str
    certificate: Certificate | None = None


def verify(store: Store, code: str) -> Verification:
    """Check a code against the store (see the module docstring)."""
    try:
        serial, mac = parse_code(code)
    except ValueError as e:
        return Verification(False, f"Refused: {e}.")
    raw = store.get_meta(f"certificate:{serial}")
    if raw is None:
        return Verification(
            False,
            f"Refused: no certificate with the code {format_code(serial, mac)} was issued from "
            "this store (the code is forged or mistyped, or was issued from another store).",
        )
    record = json.loads(raw)
    held_secret = store.get_meta(SECRET_KEY)
    if held_secret is None:
        return Verification(
            False,
            "Refused: this store holds no certificate secret, so it cannot check a code (a "
            "learner's login on a hub cannot read it: verify with the owner's store URL).",
        )
    secret = bytes.fromhex(held_secret)
    recorded = [list(e) for e in record["evidence"]]
    if not hmac.compare_digest(_mac(secret, serial, record, recorded), mac):
        return Verification(
            False,
            "Refused: this code was altered. A certificate was issued under its first "
            f"{SERIAL_CHARS} characters, but the rest of the code does not match it.",
        )
    held = {a.uid: a for a in store.attempts(learner=record["learner"])}
    now = [
        [uid, held[uid].exercise_id, held[uid].score] if uid in held else [uid, ex, "missing"]
        for uid, ex, _score in recorded
    ]
    cert = Certificate(
        format_code(serial, mac),
        record["learner"],
        record["name"],
        tuple(record["modules"]),
        record["date"],
    )
    if now != recorded:
        changed = sum(1 for a, b in zip(now, recorded, strict=True) if a != b)
        return Verification(
            False,
            f"Refused: the store's records no longer match this certificate ({changed} of the "
            f"{len(recorded)} attempt(s) it rests on changed or removed since "
            f"{record['date']}).",
            cert,
        )
    modules = ", ".join(str(m) for m in record["modules"])
    return Verification(
        True,
        f"Valid: certificate {cert.code} issued on {record['date']} to {record['name']!r} "
        f"(pseudonym {record['learner']!r}) for modules {modules}; the {len(recorded)} "
        "attempt(s) it rests on are in the store as they were.",
        cert,
    )


# --- the printable page -------------------------------------------------------------------------


def certificate_html(cert: Certificate) -> str:
    """A printable, self-contained HTML page (no script, nothing loaded from elsewhere), from
    ``templates/certificate.html.j2``."""
    from mixedflows.templating import render

    titles = [module_title(m) for m in cert.modules]
    return render("certificate.html.j2", cert=cert, titles=titles, pass_grade=PASS_GRADE)


__all__ = [
    "PASS_GRADE",
    "PRINT_NAME_DRAFT",
    "REQUIRED_MODULES",
    "Certificate",
    "IssuedByFacilitatorError",
    "NotCompletedError",
    "Standing",
    "Verification",
    "certificate_html",
    "course_exercises",
    "ensure_secret",
    "issue",
    "issue_many",
    "keep_print_name",
    "kept_print_name",
    "module_title",
    "parse_code",
    "standing",
    "verify",
]
