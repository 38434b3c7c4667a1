"""``./mfl facilitate`` stops with everything it started (issue 11, cold trial).

After ``kill -9`` of ``./mfl facilitate`` its Voila server kept serving the old store and held
the port, so a restart moved to the next port while printing links to the old one; SIGTERM and
SIGINT left the kernels running. Here the real command runs on a copy of the course, with one
preheated kernel, and is stopped each way: nothing it started may outlive it, and a restart on
the same port serves that port (its own session, not the old one).
"""

from __future__ import annotations

import contextlib
import os
import re
import signal
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import psutil
import pytest
from harness import free_port
from test_facilitate_preflight import course_copy

from mixedflows.server import serve
from mixedflows.server.kernel import is_kernel_command

pytestmark = pytest.mark.slow


class Facilitate:
    def __init__(self, home: Path, store: Path, port: int, code: str) -> None:
        env = serve.environment({"MIXEDFLOWS_HOME": str(home), "MIXEDFLOWS_STORE": str(store)})
        env.pop("PYTEST_CURRENT_TEST", None)
        self.out = home / f"facilitate-{code}.log"
        self.proc = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "mixedflows.server.cli",
                "facilitate",
                "--port",
                str(port),
                "--participants",
                "1",
                "--session",
                code,
            ],
            env=env,
            cwd=home,
            stdout=self.out.open("w"),
            stderr=subprocess.STDOUT,
            start_new_session=True,  # its own group: a signal to it reaches it alone
        )
        self.tree: list[psutil.Process] = []

    def text(self) -> str:
        return self.out.read_text(errors="replace")

    def wait_for_kernel(self, within: float = 240) -> None:
        deadline = time.monotonic() + within
        while time.monotonic() < deadline:
            assert self.proc.poll() is None, self.text()[-3000:]
            with contextlib.suppress(psutil.Error):
                kids = psutil.Process(self.proc.pid).children(recursive=True)
                if any(is_kernel_command(k.cmdline()) for k in kids):
                    self.tree = kids
                    return
            time.sleep(0.5)
        raise TimeoutError(f"no kernel started in {within} s:\n{self.text()[-3000:]}")

    def alive(self) -> list[str]:
        out = []
        for k in self.tree:
            with contextlib.suppress(psutil.Error):
                if k.is_running() and k.status() != psutil.STATUS_ZOMBIE:
                    out.append(" ".join(k.cmdline())[:80])
        return out

    def wait_gone(self, within: float = 60) -> list[str]:
        deadline = time.monotonic() + within
        while self.alive() and time.monotonic() < deadline:
            time.sleep(0.5)
        return self.alive()

    def kill_all(self) -> None:
        if self.proc.poll() is None:
            self.proc.kill()
        for k in self.tree:
            with contextlib.suppress(psutil.Error):
                k.kill()


def _session_served(port: int) -> str:
    with urllib.request.urlopen(f"http://127.0.0.1:{port}/join", timeout=30) as r:
        m = re.search(r"Session <b>([^<]*)</b>", r.read().decode())
    return m.group(1) if m else ""


def _links_printed(run: Facilitate, code: str, port: int, within: float = 60) -> None:
    """Wait until ``run`` printed its session's links (once its server answers)."""
    link = f"127.0.0.1:{port}/join?session={code}"
    deadline = time.monotonic() + within
    while link not in run.text() and time.monotonic() < deadline:
        time.sleep(0.2)
    assert link in run.text(), run.text()[-2000:]


def test_facilitate_stops_with_everything_it_started(tmp_path):
    home = course_copy(tmp_path)
    store = tmp_path / "a.sqlite"
    port = free_port()
    runs: list[Facilitate] = []
    try:
        # kill -9: no signal handler runs in ./mfl facilitate; its server must still go.
        first = Facilitate(home, store, port, "old-one")
        runs.append(first)
        first.wait_for_kernel()
        assert _session_served(port) == "old-one"
        os.kill(first.proc.pid, signal.SIGKILL)
        first.proc.wait(10)
        left = first.wait_gone()
        print(f"after kill -9 of facilitate: {len(left)} of its processes left {left}")
        assert left == []

        # A restart on the same port serves that port, with its own session. Beside it, a
        # third session on a port of its own, for SIGINT (started now: each start is seconds).
        second = Facilitate(home, store, port, "new-one")
        other_port = free_port()
        third = Facilitate(home, tmp_path / "b.sqlite", other_port, "third")
        runs += [second, third]
        second.wait_for_kernel()
        third.wait_for_kernel()
        _links_printed(second, "new-one", port)  # the links are printed once it answers
        assert _session_served(port) == "new-one"
        # A signal before the server answers stops it too (left == [] below), but before its
        # loop runs, without the messages this test reads: wait for the links.
        _links_printed(third, "third", other_port)

        for run, sig in ((second, signal.SIGTERM), (third, signal.SIGINT)):
            os.kill(run.proc.pid, sig)
            code = run.proc.wait(90)
            left = run.wait_gone(10)
            print(f"after {sig.name}: facilitate exited {code}, {len(left)} process(es) left")
            assert left == [], left
            assert "Stopping the server and its kernels" in run.text()
            assert "Kernel shutdown" in run.text()
    finally:
        for run in runs:
            run.kill_all()


def test_facilitate_refuses_a_port_in_use_instead_of_moving(tmp_path):
    """Voila moved to the next free port while the links printed named the busy one."""
    import socket

    home = course_copy(tmp_path)
    with socket.socket() as busy:
        busy.bind(("127.0.0.1", 0))
        busy.listen()
        port = busy.getsockname()[1]
        env = serve.environment(
            {"MIXEDFLOWS_HOME": str(home), "MIXEDFLOWS_STORE": str(tmp_path / "a.sqlite")}
        )
        old = serve.wait_for_port
        done = subprocess.run(
            [
                sys.executable,
                "-c",
                "import sys; from mixedflows.server import serve, cli; "
                "serve.wait_for_port.__defaults__ = (2.0,); sys.exit(cli.main(sys.argv[1:]))",
                "facilitate",
                "--port",
                str(port),
            ],
            env=env,
            cwd=home,
            capture_output=True,
            text=True,
            timeout=300,
        )
        assert serve.wait_for_port is old
    print(done.stderr[-300:])
    assert done.returncode == 2
    assert f"port {port} is in use" in done.stderr
    assert "join?session" not in done.stdout  # no links to a server that is not there
