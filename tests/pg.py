"""A real PostgreSQL server for the tests, from Debian's packages.

``./mfl test`` installs Debian's ``postgresql`` package when it is missing; this module finds its
binaries (``/usr/lib/postgresql/<major>/bin``, the newest major), makes a throw-away cluster in a
temporary folder with ``initdb``, and starts ``postgres`` listening only on a Unix socket in that
folder (no TCP port is opened, so nothing else on the machine can reach it). PostgreSQL refuses
to run as root: when the tests run as root, the cluster belongs to the ``postgres`` system user
and the server is started as that user with ``runuser``.

Use the fixtures by naming this module as a plugin in a test module (registered once, so the
whole run shares one server)::

    pytest_plugins = ["pg"]

``postgres`` (session-scoped) is the server; ``postgres_url`` is a fresh, empty database on it
for one test, as a ``postgresql://`` URL the store accepts. Without the binaries the tests are
skipped, except under CI (``CI=true``), where they fail: CI installs the package.
"""

from __future__ import annotations

import atexit
import contextlib
import os
import re
import secrets
import shutil
import subprocess
import tempfile
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

import pytest

PG_ROOT = Path("/usr/lib/postgresql")
SYSTEM_USER = "postgres"
SETTINGS = {
    # A test cluster: durability is not under test (a killed *client* is), speed is welcome.
    "fsync": "off",
    "synchronous_commit": "off",
    "full_page_writes": "off",
    "shared_buffers": "16MB",
    "max_connections": "150",
    # Unix socket only, readable by its owner only.
    "listen_addresses": "",
    "unix_socket_permissions": "0700",
}


def find_bindir() -> Path | None:
    """The newest Debian PostgreSQL bin folder holding initdb, pg_ctl and postgres, or None."""
    override = os.environ.get("MIXEDFLOWS_PG_BINDIR")
    if override:
        candidates = [Path(override)]
    else:
        found = [p.parent for p in PG_ROOT.glob("*/bin/postgres")]
        candidates = sorted(
            found, key=lambda p: [int(x) for x in re.findall(r"\d+", p.parent.name)], reverse=True
        )
    for bindir in candidates:
        if all((bindir / b).is_file() for b in ("initdb", "pg_ctl", "postgres")):
            return bindir
    return None


def _missing(message: str) -> None:
    """Skip on a developer's machine; fail under CI, which installs the server."""
    if os.environ.get("CI", "").lower() in ("true", "1", "yes"):
        pytest.fail(message, pytrace=False)
    pytest.skip(message)


@dataclass
class PostgresServer:
    """A throw-away PostgreSQL cluster on a Unix socket; ``start()``, ``url()``, ``stop()``."""

    bindir: Path
    port: int = field(default_factory=lambda: 20000 + secrets.randbelow(20000))
    """Names the socket file only (``.s.PGSQL.<port>``); no TCP port is opened."""
    settings: dict[str, str] = field(default_factory=lambda: dict(SETTINGS))
    """Server settings (``-c``); the tests' defaults trade durability for speed, a benchmark
    of write latency passes durable ones."""
    base: Path | None = None
    running: bool = False

    @property
    def as_root(self) -> bool:
        return os.geteuid() == 0

    def _run(self, *args: str, timeout: float = 120) -> subprocess.CompletedProcess:
        cmd = [str(self.bindir / args[0]), *args[1:]]
        if self.as_root:
            cmd = ["runuser", "-u", SYSTEM_USER, "--", *cmd]
        proc = subprocess.run(cmd, capture_output=True, text=True, timeout=timeout)
        if proc.returncode != 0:
            log = self.log()
            raise RuntimeError(
                f"{' '.join(cmd)} failed ({proc.returncode}):\n{proc.stdout}\n{proc.stderr}"
                + (f"\nserver log:\n{log}" if log else "")
            )
        return proc

    def log(self) -> str:
        path = self.base / "server.log" if self.base else None
        return path.read_text(errors="replace") if path and path.exists() else ""

    def start(self) -> PostgresServer:
        # Not under pytest's tmp folder: that one is private to root (0700), and the server
        # may run as the postgres user.
        self.base = Path(tempfile.mkdtemp(prefix="mf-pg-"))
        if self.as_root:
            if shutil.which("runuser") is None:
                raise RuntimeError("running as root, and runuser (util-linux) is missing")
            try:
                shutil.chown(self.base, user=SYSTEM_USER, group=None)
            except LookupError:
                raise RuntimeError(
                    f"running as root, and there is no '{SYSTEM_USER}' system user to run "
                    f"PostgreSQL as (Debian's postgresql package creates it)"
                ) from None
        self._run(
            "initdb",
            "-D",
            str(self.base / "data"),
            "-U",
            "postgres",
            "--auth=trust",
            "--encoding=UTF8",
            "--locale=C",
            "--no-sync",
        )
        self.resume()
        return self

    def pause(self) -> None:
        """Stop the server as an outage would (``pg_ctl stop -m fast``: every connection is
        closed), keeping its data for :meth:`resume`."""
        self._run("pg_ctl", "-D", str(self.base / "data"), "-m", "fast", "-w", "stop")
        self.running = False

    def resume(self) -> None:
        """Start a paused server again, on the same socket, with the same data."""
        options = " ".join(f"-c {k}={v}" for k, v in self.settings.items())
        options += f" -k {self.base} -p {self.port}"
        self._run(
            "pg_ctl",
            "-D",
            str(self.base / "data"),
            "-l",
            str(self.base / "server.log"),
            "-o",
            options,
            "-w",
            "-t",
            "60",
            "start",
        )
        self.running = True

    def url(self, database: str = "postgres") -> str:
        """A libpq URL for ``database`` over the server's Unix socket."""
        return f"postgresql://postgres@/{database}?host={self.base}&port={self.port}"

    def create_database(self) -> str:
        """A new empty database; returns its URL."""
        import psycopg

        name = "t_" + secrets.token_hex(6)
        with psycopg.connect(self.url(), autocommit=True) as con:
            con.execute(f"CREATE DATABASE {name}")
        return self.url(name)

    def drop_database(self, url: str) -> None:
        import psycopg

        name = url.split("/")[3].split("?")[0]
        with psycopg.connect(self.url(), autocommit=True) as con:
            con.execute(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")

    def stop(self) -> None:
        if self.running:
            self.running = False
            with contextlib.suppress(Exception):
                self._run("pg_ctl", "-D", str(self.base / "data"), "-m", "fast", "-w", "stop")
        if self.base is not None:
            shutil.rmtree(self.base, ignore_errors=True)
            self.base = None


_SERVER: PostgresServer | None = None


def shared_server() -> PostgresServer:
    """One server per test process, started on first use and stopped at exit."""
    global _SERVER
    if _SERVER is None:
        bindir = find_bindir()
        if bindir is None:
            _missing(
                f"PostgreSQL's server binaries were not found in {PG_ROOT}/*/bin: install "
                f"Debian's 'postgresql' package (./mfl test does), or set MIXEDFLOWS_PG_BINDIR to the folder holding initdb, pg_ctl and postgres"
            )
        server = PostgresServer(bindir)
        try:
            server.start()
        except RuntimeError as e:
            server.stop()
            pytest.fail(f"could not start a PostgreSQL server for the tests: {e}", pytrace=False)
        atexit.register(server.stop)
        _SERVER = server
    return _SERVER


@pytest.fixture(scope="session")
def postgres() -> Iterator[PostgresServer]:
    """The test PostgreSQL server (stopped at the end of the session)."""
    server = shared_server()
    yield server
    server.stop()


@pytest.fixture
def postgres_url(postgres: PostgresServer) -> Iterator[str]:
    """A fresh, empty database for one test, as a ``postgresql://`` URL."""
    url = postgres.create_database()
    yield url
    postgres.drop_database(url)
