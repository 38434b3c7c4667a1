"""A narrower PostgreSQL role for learners' servers (issue 16): no learner holds the owner's URL.

On a JupyterHub every learner's server writes attempts into the one shared store. Given the
owner's URL, a learner who opens a terminal could read, change or delete everyone's answers.
:func:`grant_learner_role` (``mixedflows store grant-learner-role``, run once by the IT team
with the owner's URL, and again after each upgrade of the course) sets up instead:

- ``mixedflows_learner``, a group role that cannot log in. Its members may INSERT attempts and
  SELECT them; SELECT, INSERT and UPDATE (the draft and its time only) their drafts; SELECT and
  INSERT room roles; SELECT room debriefs; SELECT the ``meta`` entries that are not the
  certificates' (the schema version). They cannot read, insert or change the certificate
  secret or the certificates issued (``certificate_secret``, ``certificate:<serial>``).
  No UPDATE or DELETE of an attempt, no TRUNCATE, no DDL: they own no table (only an owner may
  DROP or ALTER one) and may not CREATE in the schema.
- Row-level security keyed on the pseudonym: each learner logs in with a login role of their
  own (``mfl_<hash>``, a member of the group), created by :func:`learner_login` and mapped to
  their pseudonym in the table ``learner_logins`` (which learners cannot read). The policies
  compare a row's ``learner`` with ``mixedflows_me()``, the pseudonym of the login role
  (``session_user``): a learner reads their own attempts and drafts, and inserts attempts,
  drafts and room roles under their own pseudonym only. In module 10's multi-role exercise a
  learner also reads the room roles and decisions (attempts) of the exercise and session in
  which they hold a role, as the app shows them their table's outcome; nothing else of anyone's.
- The owner (the dashboard service, ``mixedflows export``) is unaffected: a table's owner
  bypasses its row-level security.

On the hub, the spawner's ``pre_spawn_hook`` in deployment/z2jh/values.yaml
(``hub.extraConfig``) calls the database function ``mixedflows_learner_login(pseudonym,
password)`` with the owner's URL before each learner's server starts, with a new random
password each time, and gives the server a URL for that learner's login role; the owner's URL
stays in the hub. The function is this module's :func:`learner_login`, in SQL, so the hub needs
no course package, only a PostgreSQL driver.

The certificate (issue 15): its signing secret stays with the owner. :func:`grant_learner_role`
makes the secret with the owner's URL when the store has none yet (so no learner can plant
their own first), and the row-level security on ``meta`` hides it and every issued
certificate from learners. A learner's server therefore issues no certificate
(:func:`is_learner_login`; the app says the facilitator issues it); the facilitator's
dashboard service, which holds the owner's URL, does.

What it does not do: grading runs in the learner's server, so a learner who runs code there
can record attempts of their own with any score (never under another pseudonym), and a
certificate issued on those attempts is valid.
"""

from __future__ import annotations

import hashlib
import secrets
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any
from urllib.parse import quote, urlsplit, urlunsplit

from mixedflows.store.backends import StoreError, redact

CERTIFICATE_SECRET_KEY = "certificate_secret"
"""The ``meta`` key of the certificates' signing secret (:mod:`mixedflows.certificate`); the
learners' role cannot read any ``meta`` key starting with ``certificate``."""


def ensure_certificate_secret(store: Store) -> None:
    """Make the store's certificate signing secret unless it has one (run by the owner:
    ``./mfl store grant-learner-role`` does, before any learner's server connects). Here, not
    in :mod:`mixedflows.certificate`, which imports this module (no import cycle)."""
    store.add_meta(CERTIFICATE_SECRET_KEY, secrets.token_hex(32))


if TYPE_CHECKING:
    from mixedflows.store.core import Store

GROUP = "mixedflows_learner"
"""The group role every learner's login role belongs to."""

LOGIN_PREFIX = "mfl_"


def login_role_name(learner: str) -> str:
    """The login role of a learner's pseudonym: ``mfl_`` and 24 hex digits of its SHA-256
    (the same on every call, so a learner's role is reused; never the pseudonym itself)."""
    return LOGIN_PREFIX + hashlib.sha256(learner.encode("utf-8")).hexdigest()[:24]


@dataclass(frozen=True)
class _Access:
    """What the learner group may do on one table: its privileges and, when its rows are
    the learners' own, the row-level security policies ``(name, command, clause)`` that
    keep each learner to theirs."""

    privileges: str
    policies: tuple[tuple[str, str, str], ...] = ()

    def statements(self, table: str) -> list[str]:
        out = [f"GRANT {self.privileges} ON {table} TO {GROUP}"]
        if self.policies:
            out.append(f"ALTER TABLE {table} ENABLE ROW LEVEL SECURITY")
        for name, command, clause in self.policies:
            out.append(f"DROP POLICY IF EXISTS {name} ON {table}")
            out.append(f"CREATE POLICY {name} ON {table} FOR {command} TO {GROUP} {clause}")
        return out


def _learner_access(s: str, me: str) -> dict[str, _Access]:
    """Per table of schema ``s``, what a learner's server does, nothing more (``me``: the
    pseudonym of the connection's login role). Row-level security: the owner bypasses it; the
    group's members see their own rows, and in module 10 those of the rooms they hold a role
    in."""
    mine = f"learner = {me}"
    mine_or_my_rooms = f"""USING (
  {mine}
  OR (session, exercise_id) IN (SELECT session, exercise_id FROM {s}.mixedflows_my_rooms())
)"""
    insert_mine = ("mf_learner_insert", "INSERT", f"WITH CHECK ({mine})")
    return {
        "attempts": _Access(
            "SELECT, INSERT", (("mf_learner_read", "SELECT", mine_or_my_rooms), insert_mine)
        ),
        "drafts": _Access(
            "SELECT, INSERT, UPDATE (draft, updated_at)",
            (("mf_learner_own", "ALL", f"USING ({mine}) WITH CHECK ({mine})"),),
        ),
        "room_roles": _Access(
            "SELECT, INSERT", (("mf_learner_read", "SELECT", mine_or_my_rooms), insert_mine)
        ),
        "room_debriefs": _Access("SELECT"),
        # meta: the schema version, yes; the certificate secret and records, no (issue 15).
        "meta": _Access(
            "SELECT", (("mf_learner_read", "SELECT", "USING (key NOT LIKE 'certificate%')"),)
        ),
    }


def _statements(schema: str) -> list[str]:
    s = '"' + schema.replace('"', '""') + '"'
    me = f"{s}.mixedflows_me()"
    access = _learner_access(s, me)
    return [
        f"""DO $$ BEGIN
  IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = '{GROUP}') THEN
    CREATE ROLE {GROUP} NOLOGIN;
  END IF;
END $$""",
        f"""CREATE TABLE IF NOT EXISTS {s}.learner_logins (
  role TEXT PRIMARY KEY,
  learner TEXT NOT NULL UNIQUE,
  updated_at TIMESTAMPTZ NOT NULL DEFAULT now()
)""",
        f"REVOKE ALL ON {s}.learner_logins FROM PUBLIC",
        # The pseudonym of the connection's login role (session_user: SET ROLE cannot change
        # it). SECURITY DEFINER: learners cannot read learner_logins themselves.
        f"""CREATE OR REPLACE FUNCTION {s}.mixedflows_me() RETURNS text
LANGUAGE sql STABLE SECURITY DEFINER SET search_path = {s}, pg_temp AS $$
  SELECT learner FROM learner_logins WHERE role = session_user::text
$$""",
        # The (session, exercise) pairs of module 10 in which the learner holds a role.
        f"""CREATE OR REPLACE FUNCTION {s}.mixedflows_my_rooms()
RETURNS TABLE (session text, exercise_id text)
LANGUAGE sql STABLE SECURITY DEFINER SET search_path = {s}, pg_temp AS $$
  SELECT r.session, r.exercise_id FROM room_roles r
  WHERE r.learner = (SELECT learner FROM learner_logins WHERE role = session_user::text)
    AND r.session <> ''
$$""",
        # A login role for a learner, with a new password; the pseudonym it maps to. Run by
        # the hub (with the owner's URL) before each learner's server starts.
        f"""CREATE OR REPLACE FUNCTION {s}.mixedflows_learner_login(who text, pw text)
RETURNS text LANGUAGE plpgsql SECURITY DEFINER SET search_path = {s}, pg_temp AS $$
DECLARE
  r text := '{LOGIN_PREFIX}' || substr(encode(sha256(convert_to(who, 'UTF8')), 'hex'), 1, 24);
BEGIN
  IF who IS NULL OR length(who) = 0 OR length(who) > 40 THEN
    RAISE EXCEPTION 'a pseudonym of 1 to 40 characters is needed, not %', quote_nullable(who);
  END IF;
  IF pw IS NULL OR length(pw) < 16 THEN
    RAISE EXCEPTION 'a password of at least 16 characters is needed';
  END IF;
  IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = r) THEN
    EXECUTE format('CREATE ROLE %I LOGIN', r);
  END IF;
  EXECUTE format('ALTER ROLE %I LOGIN PASSWORD %L', r, pw);
  EXECUTE format('GRANT {GROUP} TO %I', r);
  INSERT INTO learner_logins (role, learner) VALUES (r, who)
    ON CONFLICT (role) DO UPDATE SET updated_at = now();
  RETURN r;
END $$""",
        f"REVOKE ALL ON FUNCTION {s}.mixedflows_learner_login(text, text) FROM PUBLIC",
        f"GRANT EXECUTE ON FUNCTION {s}.mixedflows_me() TO {GROUP}",
        f"GRANT EXECUTE ON FUNCTION {s}.mixedflows_my_rooms() TO {GROUP}",
        # Privileges: what a learner's server does, nothing more.
        f"REVOKE CREATE ON SCHEMA {s} FROM PUBLIC",
        f"GRANT USAGE ON SCHEMA {s} TO {GROUP}",
        f"REVOKE ALL ON {', '.join(f'{s}.{t}' for t in access)} FROM {GROUP}",
        f"GRANT USAGE ON SEQUENCE {s}.attempts_id_seq TO {GROUP}",
        *(sql for table, a in access.items() for sql in a.statements(f"{s}.{table}")),
    ]


def _connect(owner_url: str) -> Any:
    try:
        import psycopg
    except ImportError:
        raise StoreError(
            "a PostgreSQL store needs psycopg: pip install 'mixedflows[postgres]'", "config"
        ) from None
    try:
        return psycopg.connect(owner_url, autocommit=False, connect_timeout=10)
    except psycopg.Error as e:
        raise StoreError(f"cannot open the PostgreSQL store {redact(owner_url)}: {e}") from None


def grant_learner_role(owner_url: str) -> list[str]:
    """Create (or bring up to date) the learner group role, its privileges, row-level security
    and the login function, in one transaction, with the owner's URL. Idempotent: run it again
    after each upgrade of the course. Returns what it set up, one line each, for the command."""
    from mixedflows.store.core import Store

    if not owner_url.startswith(("postgresql://", "postgres://")):
        raise StoreError(
            f"the learner role is for a PostgreSQL store; {redact(owner_url)} is not one "
            f"(a SQLite store on one computer has no database roles)",
            "config",
        )
    # The tables first, at this code's schema version (the owner migrates; learners cannot),
    # and the certificate secret, made by the owner before any learner could plant one.
    with Store(owner_url) as store:
        ensure_certificate_secret(store)
    import psycopg

    with _connect(owner_url) as con:
        try:
            schema = con.execute("SELECT current_schema()").fetchone()[0]
            for sql in _statements(schema):
                con.execute(sql)
        except psycopg.Error as e:
            raise StoreError(
                f"could not set up the learner role in {redact(owner_url)}: {e} (the store's "
                f"owner needs the CREATEROLE privilege)"
            ) from None
    return [
        f"group role {GROUP}: INSERT and SELECT attempts, its own drafts and room roles; "
        f"no UPDATE or DELETE of attempts, no DDL",
        "row-level security on attempts, drafts and room_roles, keyed on the pseudonym",
        "meta: the schema version readable; the certificate secret and certificates issued "
        "neither readable nor writable (the secret made by the owner)",
        f"function {schema}.mixedflows_learner_login(pseudonym, password): a login role "
        f"for one learner (the hub's pre_spawn_hook calls it)",
    ]


def is_learner_login(store: Store) -> bool:
    """Whether ``store`` is connected as a learner's login role (a member of :data:`GROUP`),
    i.e. a learner's server on the hub. Always False for SQLite. (Membership is read from the
    catalogue: a superuser is a "member" of every role for ``pg_has_role``.)"""
    if store.backend.dialect != "postgresql":
        return False
    rows = store._run(
        "SELECT EXISTS (SELECT 1 FROM pg_auth_members m "
        "JOIN pg_roles g ON g.oid = m.roleid JOIN pg_roles u ON u.oid = m.member "
        "WHERE g.rolname = ? AND u.rolname = session_user)",
        (GROUP,),
    )
    return bool(rows and rows[0][0])


def learner_login(owner_url: str, learner: str, password: str | None = None) -> str:
    """A store URL for one learner: their own login role (created or given a new password),
    in place of the owner's user and password in ``owner_url``. Needs
    :func:`grant_learner_role` to have run."""
    import psycopg

    password = password or secrets.token_urlsafe(24)
    with _connect(owner_url) as con:
        try:
            role = con.execute(
                "SELECT mixedflows_learner_login(%s, %s)", (learner, password)
            ).fetchone()[0]
        except psycopg.Error as e:
            raise StoreError(
                f"could not make a login for {learner!r} in {redact(owner_url)}: {e} (has "
                f"'mixedflows store grant-learner-role' been run?)"
            ) from None
    return with_user(owner_url, role, password)


def with_user(url: str, user: str, password: str) -> str:
    """``url`` with its user and password replaced (host, database and query kept)."""
    parts = urlsplit(url)
    host = parts.netloc.rsplit("@", 1)[-1]
    netloc = f"{quote(user, safe='')}:{quote(password, safe='')}@{host}"
    return urlunsplit((parts.scheme, netloc, parts.path, parts.query, parts.fragment))
