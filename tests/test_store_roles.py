"""Issue 16: learners' servers use a narrower PostgreSQL role than the store's owner.

Against the real PostgreSQL the tests start (tests/pg.py): after ``mixedflows store
grant-learner-role``, a learner's own login role (made by the function the hub's pre_spawn_hook
calls) submits and keeps drafts through the ordinary Store; it reads only its own attempts and
drafts (and, in module 10's multi-role exercise, its own table's); it cannot record under
another pseudonym, update or delete an attempt, read the login table, create or drop a table.
The owner (the dashboard, the exports) still sees everything.
"""

from __future__ import annotations

import psycopg
import pytest

from mixedflows.server import cli
from mixedflows.store import Store, StoreError, roles

pytest_plugins = ["pg"]


def raw(url: str):
    return psycopg.connect(url, autocommit=True)


def refused(url: str, sql: str, params: tuple = ()) -> str:
    """The error PostgreSQL gives the statement run as ``url``'s role (fails if it runs)."""
    with raw(url) as con:
        try:
            con.execute(sql, params or None)
        except psycopg.Error as e:
            return str(e)
    raise AssertionError(f"{sql!r} was allowed")


@pytest.fixture
def store_with_two_learners(postgres_url):
    with Store(postgres_url) as s:
        for who in ("amina", "bruno"):
            s.record(learner=who, exercise_id="m1_x", answer={"a": who}, score=1.0, feedback=[])
            s.save_draft(learner=who, exercise_id="m2_y", draft={"d": who})
    return postgres_url


def test_the_command_sets_it_up_and_a_learner_role_submits_and_reads_only_its_own(
    store_with_two_learners, capsys
):
    owner = store_with_two_learners
    assert cli.main(["store", "grant-learner-role", "--store", owner]) == 0
    assert "mixedflows_learner" in capsys.readouterr().out
    # Idempotent: run again after an upgrade.
    assert cli.main(["store", "grant-learner-role", "--store", owner]) == 0

    url = roles.learner_login(owner, "amina", "a-password-of-24-chars!!")
    assert roles.login_role_name("amina") in url and "postgres@" not in url
    with Store(url) as s:
        s.record(learner="amina", exercise_id="m1_x", answer={"a": 2}, score=0.5, feedback=[])
        # Only their own attempts and drafts are visible.
        assert {a.learner for a in s.attempts()} == {"amina"}
        assert len(s.attempts()) == 2
        assert s.attempts(learner="bruno") == []
        assert s.load_draft(learner="bruno", exercise_id="m2_y") is None
        s.save_draft(learner="amina", exercise_id="m2_y", draft={"d": "changed"})
        assert s.load_draft(learner="amina", exercise_id="m2_y") == {"d": "changed"}
        # Recording under someone else's pseudonym is refused by the database.
        with pytest.raises(StoreError, match="row-level security"):
            s.record(learner="bruno", exercise_id="m1_x", answer={}, score=1.0, feedback=[])
        with pytest.raises(StoreError, match="row-level security"):
            s.save_draft(learner="bruno", exercise_id="m2_y", draft={"d": "overwritten"})

    # No UPDATE, DELETE, TRUNCATE or DDL; the login table is not readable.
    for sql in (
        "UPDATE attempts SET score = 0",
        "DELETE FROM attempts",
        "TRUNCATE attempts",
        "DELETE FROM drafts",
        "UPDATE meta SET value = 'x'",
        "DROP TABLE attempts",
        "ALTER TABLE attempts ADD COLUMN x TEXT",
        "CREATE TABLE mine (x TEXT)",
        "SELECT * FROM learner_logins",
        "SELECT mixedflows_learner_login('bruno', 'another-password-of-24!')",
    ):
        msg = refused(url, sql)
        assert "permission denied" in msg or "must be owner" in msg, (sql, msg)

    # The owner's view is whole, and nothing was changed or lost.
    with Store(owner) as s:
        assert sorted(a.learner for a in s.attempts()) == ["amina", "amina", "bruno"]
        assert s.load_draft(learner="bruno", exercise_id="m2_y") == {"d": "bruno"}
        assert [a.score for a in s.attempts(learner="bruno")] == [1.0]


def test_a_learner_reads_only_their_own_tables_decisions_in_the_multi_role_exercise(
    postgres_url,
):
    roles.grant_learner_role(postgres_url)
    urls = {who: roles.learner_login(postgres_url, who) for who in ("amina", "bruno", "chen")}
    stores = {who: Store(url) for who, url in urls.items()}
    try:
        for who in ("amina", "bruno"):
            stores[who].claim_role(
                session="S1", exercise_id="m10_room", learner=who, roles=("a", "b")
            )
        stores["chen"].claim_role(
            session="S2", exercise_id="m10_room", learner="chen", roles=("a",)
        )
        for who, s in stores.items():
            s.record(
                learner=who,
                session="S1" if who != "chen" else "S2",
                exercise_id="m10_room",
                answer={"d": who},
                score=None,
                feedback=[],
            )
        seen = {who: sorted(a.learner for a in s.attempts()) for who, s in stores.items()}
        roster = {
            who: [r[0] for r in s.room_roster(session="S1", exercise_id="m10_room")]
            for who, s in stores.items()
        }
    finally:
        for s in stores.values():
            s.close()
    assert seen == {"amina": ["amina", "bruno"], "bruno": ["amina", "bruno"], "chen": ["chen"]}
    assert roster == {"amina": ["amina", "bruno"], "bruno": ["amina", "bruno"], "chen": []}


def test_a_login_needs_a_pseudonym_and_a_long_password(postgres_url):
    roles.grant_learner_role(postgres_url)
    with pytest.raises(StoreError, match="16 characters"):
        roles.learner_login(postgres_url, "amina", "short")
    with pytest.raises(StoreError, match="1 to 40"):
        roles.learner_login(postgres_url, "", "a-password-of-24-chars!!")
    # The same learner keeps one role; a new password replaces the old one.
    a = roles.learner_login(postgres_url, "amina")
    b = roles.learner_login(postgres_url, "amina")
    assert a.split(":")[1] == b.split(":")[1] and a != b


def test_a_sqlite_store_has_no_roles(tmp_path):
    with pytest.raises(StoreError, match="PostgreSQL"):
        roles.grant_learner_role(str(tmp_path / "s.sqlite"))


def test_with_user_keeps_host_database_and_query():
    url = "postgresql://owner:secret@db.example:5432/mf?sslmode=require"
    assert (
        roles.with_user(url, "mfl_1", "p/w@x")
        == "postgresql://mfl_1:p%2Fw%40x@db.example:5432/mf?sslmode=require"
    )


# --- the certificate secret stays with the owner (issue 15 on the hub) ---------------------------


def _complete(store: Store, who: str, session: str) -> None:
    """Attempts at every exercise of the modules the rule asks for, at 70 %, and both checks
    (recorded through ``store``: on the hub, the learner's own server records them)."""
    from mixedflows import certificate, knowledge

    modules = list(certificate.course_exercises())[: certificate.REQUIRED_MODULES]
    ids = [e for m in modules for e in certificate.course_exercises()[m]]
    for ex_id in [knowledge.START, *ids, knowledge.END]:
        store.record(
            learner=who, exercise_id=ex_id, answer={}, score=0.7, feedback={}, session=session
        )


def test_a_learner_role_can_neither_read_nor_plant_the_certificate_secret(postgres_url):
    from mixedflows import certificate

    owner = postgres_url
    roles.grant_learner_role(owner)  # a fresh store: the owner makes the secret now
    with Store(owner) as s:
        secret = s.get_meta(certificate.SECRET_KEY)
    assert secret is not None and len(bytes.fromhex(secret)) == 32

    url = roles.learner_login(owner, "amina")
    with Store(url) as s:  # the learner's server opens the store (schema version readable)
        assert s.get_meta(certificate.SECRET_KEY) is None
        assert roles.is_learner_login(s)
    with raw(url) as con:
        assert con.execute("SELECT key FROM meta WHERE key LIKE 'cert%'").fetchall() == []
        assert [r[0] for r in con.execute("SELECT key FROM meta").fetchall()] == ["schema_version"]
    planted = "00" * 32
    for sql in (
        "INSERT INTO meta (key, value) VALUES ('certificate_secret', %s)",
        "INSERT INTO meta (key, value) VALUES ('certificate:AAAAAAAA', %s)",
        "UPDATE meta SET value = %s WHERE key = 'certificate_secret'",
    ):
        assert "permission denied" in refused(url, sql, (planted,))
    # Not even when the store has no secret yet (a learner first on a fresh store).
    with raw(owner) as con:
        con.execute("DELETE FROM meta WHERE key = 'certificate_secret'")
    assert "permission denied" in refused(
        url, "INSERT INTO meta (key, value) VALUES ('certificate_secret', %s)", (planted,)
    )
    roles.grant_learner_role(owner)  # run again (an upgrade): the secret is made again
    with Store(owner) as s:
        assert s.get_meta(certificate.SECRET_KEY) not in (None, planted)
        assert not roles.is_learner_login(s)


def test_the_facilitator_issues_the_certificate_and_the_learner_app_says_so(postgres_url):
    import base64
    import re

    from mixedflows import certificate
    from mixedflows.widgets.common import Recorder
    from mixedflows.widgets.course_check import CourseCheck
    from mixedflows.widgets.dashboard import Dashboard

    owner = postgres_url
    roles.grant_learner_role(owner)
    with Store(owner) as s:
        code = s.create_session("fac-a")
    amina = Store(roles.learner_login(owner, "amina"))
    bruno = Store(roles.learner_login(owner, "bruno"))
    try:
        _complete(amina, "amina", code)
        bruno.record(
            learner="bruno", exercise_id="m1_x", answer={}, score=1.0, feedback={}, session=code
        )
        # In the learner's server: not a traceback, not a certificate, but who issues it.
        with pytest.raises(certificate.IssuedByFacilitatorError):
            certificate.issue(amina, "amina")
        app = CourseCheck(recorder=Recorder(store=amina, learner="amina", session=code))
        app.print_name.value = "  Amina   Diallo-Ortiz \x07"  # kept as it will be printed
        assert app.prepare_certificate() is None
        assert "issued by your facilitator" in app.cert_status.value
        assert "The name it will print: Amina Diallo-Ortiz." in app.cert_status.value
        assert "mf-ok" in app.cert_status.value and app.download.value == ""
        with raw(owner) as con:
            assert (
                con.execute("SELECT count(*) FROM meta WHERE key LIKE 'certificate:%'").fetchone()[
                    0
                ]
                == 0
            )
        # Not completed: the learner still sees what is left.
        app = CourseCheck(recorder=Recorder(store=bruno, learner="bruno", session=code))
        assert app.prepare_certificate() is None and "Not yet" in app.cert_status.value

        # The facilitator's dashboard service (the owner's URL) issues it.
        with Store(owner) as s:
            d = Dashboard(s, session=code, owner="fac-a")
            assert d.cert_box.layout.display != "none"
            (cert,) = d.certificates()
            assert cert.learner == "amina" and cert.code in d.cert_links.value
            # The name the learner typed is printed, not the pseudonym.
            assert cert.name == "Amina Diallo-Ortiz"
            assert "printed: Amina Diallo-Ortiz" in d.cert_links.value
            assert "bruno" in d.cert_links.value and "Not yet" in d.cert_links.value
            data = re.search(r'base64,([^"]+)"', d.cert_links.value).group(1)
            page = base64.b64decode(data).decode("utf-8")
            assert cert.code in page and "Amina Diallo-Ortiz" in page
            assert "Amina-Diallo-Ortiz" in cert.filename()
            assert certificate.verify(s, cert.code).ok
            # Another facilitator's dashboard issues nothing for this session.
            other = Dashboard(s, session=code, owner="fac-b")
            assert other.certificates() == [] and "amina" not in other.cert_links.value
        # The learner's role sees no certificate record either.
        result = certificate.verify(amina, cert.code)
        assert not result.ok and "no certificate" in result.message
    finally:
        amina.close()
        bruno.close()
