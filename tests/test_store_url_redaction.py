"""A store URL's secrets are never shown, logged or written (issue 11, third cold trial).

A PostgreSQL password in the URL's query string (``postgresql://127.0.0.1:5432/mfl?user=mfl&
password=secret``) was printed in clear by ``./mfl store check``, in every store-error line of
the server log and in ``$MIXEDFLOWS_PENDING/<hash>/store.txt``; only the ``user:PW@host`` form
was masked. One function (:func:`mixedflows.store.backends.redact_secrets`) now serves every
place, and each place is tried here. And a libpq keyword string is refused, never taken as a
SQLite file name (which created a file whose name held the password).
"""

from __future__ import annotations

import os
import subprocess
import sys
import time
import urllib.request

import pytest
from harness import free_port, voila_server

from mixedflows.store import Store, StoreError
from mixedflows.store.backends import redact, redact_secrets
from mixedflows.store.core import make_row
from mixedflows.store.pending import PendingAttempts

SECRETS = ("Qsecret-one", "Qsecret-two", "Qsecret-three", "Qsecret-four")


def _url(port: int | None = None) -> str:
    """A PostgreSQL URL no server answers, with every kind of secret a URL may carry."""
    port = port or free_port()
    return (
        f"postgresql://mfl:{SECRETS[0]}@127.0.0.1:{port}/mfl?user=mfl&PassWord={SECRETS[1]}"
        f"&sslmode=prefer&sslpassword={SECRETS[2]}&passfile=/home/{SECRETS[3]}/.pgpass"
    )


def _no_secret(text: str) -> None:
    leaked = [s for s in SECRETS if s in text]
    assert not leaked, f"{leaked} shown in:\n{text[-3000:]}"


@pytest.mark.parametrize(
    ("given", "shown"),
    [
        (
            "postgresql://127.0.0.1:5432/mfl?user=mfl&password=secret",
            "postgresql://127.0.0.1:5432/mfl?user=mfl&password=***",
        ),
        ("postgresql://mfl:secret@db:5432/mfl", "postgresql://mfl:***@db:5432/mfl"),
        ("postgres://mfl:p@ss/w@db/mfl", "postgres://mfl:***@db/mfl"),  # typed unescaped
        (
            "postgresql://db/mfl?PASSWORD=a&sslpassword=b&passfile=/x/.pgpass&sslmode=require",
            "postgresql://db/mfl?PASSWORD=***&sslpassword=***&passfile=***&sslmode=require",
        ),
        (
            "host=127.0.0.1 port=5432 user=mfl password='two words' dbname=mfl",
            "host=127.0.0.1 port=5432 user=mfl password=*** dbname=mfl",
        ),
        ("/srv/mixedflows/attempts.sqlite", "/srv/mixedflows/attempts.sqlite"),
        (
            "postgresql://mfl@db:5432/mfl?sslmode=require",
            "postgresql://mfl@db:5432/mfl?sslmode=require",
        ),
    ],
)
def test_one_redaction_for_every_form(given, shown):
    assert redact(given) == shown == redact_secrets(given)
    assert redact(shown) == shown  # nothing left to hide, nothing more hidden


def test_store_check_prints_no_secret_of_the_url(tmp_path):
    """``./mfl store check`` on a store that cannot be reached: the location and the error are
    printed, no secret."""
    env = {**os.environ, "MIXEDFLOWS_PENDING": str(tmp_path / "pending")}
    out = subprocess.run(
        [sys.executable, "-m", "mixedflows.server.cli", "store", "check", "--store", _url()],
        capture_output=True,
        text=True,
        env=env,
        timeout=120,
    )
    text = out.stdout + out.stderr
    print(text)
    assert "Store: postgresql://mfl:***@127.0.0.1:" in text and "PassWord=***" in text
    assert out.returncode != 0
    _no_secret(text)


def test_errors_and_names_of_a_store_hold_no_secret():
    url = _url()
    store = Store(url, connect=False)
    with pytest.raises(StoreError) as e:
        store.count()
    _no_secret(str(e.value))
    _no_secret(repr(store))
    _no_secret(store.backend.describe())


def test_the_folder_of_kept_attempts_names_its_store_without_a_secret(tmp_path, monkeypatch):
    """``pending/<hash>/store.txt`` tells a person which store the kept attempts are for; an
    older label that held a secret is written again without it."""
    monkeypatch.setenv("MIXEDFLOWS_PENDING", str(tmp_path / "pending"))
    url = _url()
    pending = PendingAttempts(url)
    row = make_row(learner="amina", exercise_id="ex", answer={"a": 1}, score=1.0, feedback={})
    assert pending.keep(row) is not None
    label = (pending.folder / "store.txt").read_text(encoding="utf-8")
    assert label.startswith("postgresql://mfl:***@127.0.0.1:")
    _no_secret(label)
    (pending.folder / "store.txt").write_text(url + "\n", encoding="utf-8")  # an older label
    pending.label()
    _no_secret((pending.folder / "store.txt").read_text(encoding="utf-8"))


@pytest.mark.browser
def test_the_server_log_holds_no_secret_of_the_store_url(tmp_path):
    """A real server whose store cannot be reached: an app's kernel logs its store errors
    (with the traceback) into the server's log, each naming the store; no secret."""
    url = _url()
    with voila_server(tmp_path / "a.sqlite", extra_env={"MIXEDFLOWS_STORE": url}) as server:
        page = server.app_url("who_is_in_the_boat.ipynb", learner="amina")
        with urllib.request.urlopen(page, timeout=300) as r:
            body = r.read().decode("utf-8", "replace")
        deadline = time.monotonic() + 60
        while "cannot open the PostgreSQL store" not in server.log():
            assert time.monotonic() < deadline, server.log()[-3000:]
            time.sleep(0.5)
        log = server.log()
    lines = [ln for ln in log.splitlines() if "PostgreSQL store" in ln]
    print(f"{len(lines)} store-error line(s) in the server log, e.g. {lines[0][:200]}")
    assert "PassWord=***" in log
    _no_secret(log)
    _no_secret(body)


# -- a libpq keyword string is not a file name ----------------------------------------------------
KEYWORDS = "host=127.0.0.1 port=5432 user=mfl password=Qsecret-one dbname=mfl"


@pytest.mark.parametrize("location", [KEYWORDS, "mysql://mfl:Qsecret-one@db/mfl", "sqlite:///x.db"])
def test_a_location_that_is_not_a_file_path_is_refused_and_no_file_made(
    tmp_path, monkeypatch, location
):
    monkeypatch.chdir(tmp_path)
    with pytest.raises(StoreError) as e:
        Store(location)
    message = str(e.value)
    print(message)
    assert e.value.kind == "config"
    assert "SQLite file path" in message and "postgresql://" in message
    assert "no file was created" in message
    _no_secret(message)
    assert list(tmp_path.iterdir()) == []


def test_store_check_refuses_a_keyword_string_with_the_accepted_forms(tmp_path):
    env = {**os.environ, "MIXEDFLOWS_PENDING": str(tmp_path / "pending")}
    out = subprocess.run(
        [sys.executable, "-m", "mixedflows.server.cli", "store", "check", "--store", KEYWORDS],
        capture_output=True,
        text=True,
        env=env,
        cwd=tmp_path,
        timeout=120,
    )
    text = out.stdout + out.stderr
    print(text)
    assert out.returncode != 0
    assert "keyword connection string" in text and "PostgreSQL URL" in text
    _no_secret(text)
    assert not [p.name for p in tmp_path.iterdir() if p.name != "pending"]
