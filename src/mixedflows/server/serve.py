"""How the course is served: JupyterLab for the course, Voila for the apps.

One place builds the command lines and the environment, so that the launcher, the tests and the
benchmarks serve the apps exactly alike. Design notes (Voila 0.5, measured on a 2-core machine):
an app that imports altair starts in about 7 s cold and each kernel holds about 250 MB, and a
closed tab does not free its kernel because the shutdown beacon lacks the XSRF token. Hence:

- the ``mixedflows`` Voila template (share/jupyter/voila/templates/mixedflows) makes that beacon
  carry the ``_xsrf`` cookie, so kernels are freed when a tab closes with XSRF checks left on;
- idle kernels are culled (``cull_idle_timeout``), closed-tab kernels included;
- nothing is loaded from a CDN (the template drops Voila's Font Awesome link).
"""

from __future__ import annotations

import os
import secrets
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from mixedflows.paths import home


def session_dir(code: str) -> Path:
    """Where a session's Voila configuration is written (var/ in the checkout, ignored by git)."""
    return home() / "var" / "sessions" / code


def share_dir() -> Path:
    """The checkout's share/jupyter, holding the mixedflows Voila template."""
    return home() / "share" / "jupyter"


def environment(extra: dict[str, str] | None = None) -> dict[str, str]:
    """The environment for a Jupyter or Voila server: our template on JUPYTER_PATH."""
    env = dict(os.environ)
    paths = [str(share_dir())] + [p for p in env.get("JUPYTER_PATH", "").split(os.pathsep) if p]
    env["JUPYTER_PATH"] = os.pathsep.join(dict.fromkeys(paths))
    # JupyterLab's setting defaults for the course (no news prompt: classrooms are offline).
    config = [str(share_dir().parent / "jupyter_config")]
    config += [p for p in env.get("JUPYTER_CONFIG_PATH", "").split(os.pathsep) if p]
    env["JUPYTER_CONFIG_PATH"] = os.pathsep.join(dict.fromkeys(config))
    env.setdefault("MIXEDFLOWS_HOME", str(home()))
    env.setdefault("PYDEVD_DISABLE_FILE_VALIDATION", "1")
    # Each page's kernel takes 6 submissions at once, then one every 2 s (issue 11: 20 clients
    # made 623 in 2 s); mixedflows.widgets.common.SubmitRate.
    env.setdefault("MIXEDFLOWS_SUBMIT_RATE", "6/2")
    if extra:
        env.update(extra)
    return env


@dataclass
class Culling:
    """Kernel culling: how long an idle kernel lives, and how often the server checks."""

    idle_timeout: int = 600
    """Seconds of inactivity after which a kernel is shut down (closed tabs included)."""
    interval: int = 60
    cull_connected: bool = False
    """False: a kernel whose tab is still open is kept however idle it is."""

    def args(self) -> list[str]:
        return [
            f"--MappingKernelManager.cull_idle_timeout={self.idle_timeout}",
            f"--MappingKernelManager.cull_interval={self.interval}",
            f"--MappingKernelManager.cull_connected={self.cull_connected}",
        ]


@dataclass
class VoilaOptions:
    root: Path = field(default_factory=lambda: home() / "widgets")
    ip: str = "127.0.0.1"
    port: int = 8866
    culling: Culling = field(default_factory=Culling)
    template: str = "mixedflows"
    extra: list[str] = field(default_factory=list)


def voila_command(opts: VoilaOptions) -> list[str]:
    """The command serving every app in ``opts.root`` with Voila."""
    return [
        sys.executable,
        "-m",
        "mixedflows.server.voila_app",
        str(opts.root),
        "--no-browser",
        f"--Voila.ip={opts.ip}",
        f"--port={opts.port}",
        f"--template={opts.template}",
        "--VoilaConfiguration.show_tracebacks=False",
        # nbclient waits 4 s for a cell's output after its reply; when a room's kernels start
        # at once on 2 cores that is too short and an app's widgets silently go missing.
        "--VoilaExecutor.iopub_timeout=120",
        "--VoilaExecutor.startup_timeout=300",
        # The port asked for, or none: Voila would move to the next free port while the links
        # printed name this one (issue 11 cold trial).
        "--Voila.port_retries=0",
        *opts.culling.args(),
        *opts.extra,
    ]


@dataclass
class ClassSession:
    """A facilitated session: a code for the join link, a facilitator token, preheated kernels.

    Preheating (Voila's kernel pools) starts and renders ``pool`` kernels of each app in
    ``apps`` before anyone arrives, so a room that opens the app at once is served from the pool
    instead of starting 30 kernels on 2 cores at the same moment. ``max_kernels`` caps the live
    kernels so the room cannot exhaust the machine.
    """

    code: str = field(default_factory=lambda: "mf-" + secrets.token_hex(2))
    token: str = field(default_factory=lambda: secrets.token_urlsafe(18))
    apps: tuple[str, ...] = ("who_is_in_the_boat.ipynb",)
    pool: int = 0
    max_kernels: int = 60
    refill_delay: float = 120.0
    """Seconds before a claimed pool kernel is replaced: after the room's rush, not during it."""
    unconnected_cull: int = 45
    """Seconds a kernel waits, once its page is sent, for the page to connect to it; then it is
    shut down (a plain GET of an app's link holds no place for long)."""

    def voila_config(self) -> dict:
        pools = {"default": {"pool_size": 0}}
        pools.update({app: {"pool_size": self.pool} for app in self.apps})
        return {
            "VoilaConfiguration": {"preheat_kernel": self.pool > 0, "default_pool_size": 0},
            "VoilaKernelManager": {"kernel_pools_config": pools, "fill_delay": self.refill_delay},
        }

    def env(self) -> dict[str, str]:
        return {
            "MIXEDFLOWS_SESSION": self.code,
            "MIXEDFLOWS_FACILITATOR_TOKEN": self.token,
            "MIXEDFLOWS_MAX_KERNELS": str(self.max_kernels),
            "MIXEDFLOWS_UNCONNECTED_CULL": str(self.unconnected_cull),
            # The join page offers these apps only (issue 13: it defaulted to the first app in
            # alphabetical order, which had nothing to submit).
            "MIXEDFLOWS_SESSION_APPS": ",".join(self.apps),
        }

    def write_config(self, folder: Path) -> Path:
        """Write voila.json into ``folder``; Voila reads it when started from there."""
        import json

        folder.mkdir(parents=True, exist_ok=True)
        path = folder / "voila.json"
        path.write_text(json.dumps(self.voila_config(), indent=2), encoding="utf-8")
        return path

    def links(self, host: str, port: int) -> dict[str, str]:
        base = f"http://{host}:{port}"
        return {
            "participants": f"{base}/join?session={self.code}",
            "dashboard": f"{base}/voila/render/facilitator_dashboard.ipynb?session={self.code}"
            f"&facilitator={self.token}",
        }


def preflight(apps: tuple[str, ...], store: str | None = None) -> list[str]:
    """What stops a session from working, checked before its links are printed (issue 11,
    point 7): the attempt store (opened, read, written, sound), every course file (each loaded
    by the loader the apps use) and the apps (each a readable notebook in ``widgets/``). Each
    problem is a sentence a facilitator can act on; an empty list means ready."""
    import nbformat

    from mixedflows import coursefiles
    from mixedflows.store import health

    problems = []
    report = health.check(store, thorough=False)
    if not report.ok:
        problems.append(report.summary())
    problems += [f"Course file {p}" for p in coursefiles.check()]
    widgets = home() / "widgets"
    for app in apps:
        if not (widgets / app).is_file():
            offered = ", ".join(sorted(p.name for p in widgets.glob("*.ipynb")))
            problems.append(f"App {app!r} is not in widgets/ (the apps are: {offered})")
    for nb in sorted(widgets.glob("*.ipynb")):
        try:
            nbformat.validate(nbformat.read(nb, as_version=4))
        except Exception as e:
            problems.append(f"App widgets/{nb.name} is not a readable notebook: {e}")
    return problems


def _die_with_parent(parent: int) -> Callable[[], None] | None:
    """For ``Popen(preexec_fn=...)`` on Linux: the child gets SIGTERM when its parent dies,
    however it dies (``kill -9`` included), so a server never outlives its launcher."""
    if not sys.platform.startswith("linux"):
        return None
    import ctypes
    import signal

    def preexec() -> None:
        libc = ctypes.CDLL(None, use_errno=True)
        libc.prctl(1, signal.SIGTERM, 0, 0, 0)  # PR_SET_PDEATHSIG
        if os.getppid() != parent:  # the parent died before the line above ran
            os._exit(1)

    return preexec


STOP_WAIT = 60.0
"""Seconds a server is given to shut its kernels down after Ctrl-C or SIGTERM."""


def answers(url: str, timeout: float = 2.0) -> bool:
    """Whether a server at ``url`` answers an HTTP request (any status)."""
    import urllib.error
    import urllib.request

    try:
        with urllib.request.urlopen(url, timeout=timeout):
            return True
    except urllib.error.HTTPError:
        return True
    except (OSError, ValueError):
        return False


def run_server(
    cmd: list[str],
    env: dict[str, str],
    cwd: Path | None = None,
    *,
    when_answering: tuple[str, Callable[[], None]] | None = None,
) -> int:
    """Run a Jupyter or Voila server as ``./mfl`` does, and stop it with its launcher.

    Issue 11 cold trial: after ``kill -9`` of ``./mfl facilitate`` its Voila server kept
    serving (and held the port, so a restart moved to the next one), and SIGTERM or SIGINT left
    the kernels running. Here the server dies with this process (``PR_SET_PDEATHSIG``), and
    SIGTERM, SIGINT or SIGHUP sent to this process is passed on to it as SIGTERM, on which it
    shuts its kernels down; this process returns once it has.

    ``when_answering`` (a URL and a function): the function is called once the server answers
    at that URL, never before (issue 11, third cold trial: the session's links were printed
    before the server listened, and under load a participant opening them got
    ERR_CONNECTION_REFUSED for about a minute)."""
    import signal
    import subprocess
    import threading

    proc = subprocess.Popen(cmd, env=env, cwd=cwd, preexec_fn=_die_with_parent(os.getpid()))
    stopping = False
    if when_answering is not None:
        url, then = when_answering

        def watch() -> None:
            while proc.poll() is None and not stopping:
                if answers(url):
                    if proc.poll() is None and not stopping:
                        then()
                    return
                time.sleep(0.25)

        threading.Thread(target=watch, name="mixedflows-ready", daemon=True).start()

    def stop(signum: int, _frame: Any) -> None:
        nonlocal stopping
        if not stopping:
            print("\nStopping the server and its kernels...", file=sys.stderr, flush=True)
        stopping = True
        if proc.poll() is None:
            proc.send_signal(signal.SIGTERM)

    signals = [signal.SIGTERM, signal.SIGINT] + (
        [signal.SIGHUP] if hasattr(signal, "SIGHUP") else []
    )
    previous = {sig: signal.signal(sig, stop) for sig in signals}
    try:
        while True:
            try:
                return proc.wait(timeout=STOP_WAIT if stopping else None)
            except subprocess.TimeoutExpired:
                print("The server did not stop in time: killed.", file=sys.stderr, flush=True)
                proc.kill()
    finally:
        for sig, handler in previous.items():
            signal.signal(sig, handler)


def port_free(ip: str, port: int) -> bool:
    """Whether a server could listen on ``ip:port`` now (as tornado binds: SO_REUSEADDR)."""
    import socket

    family = socket.AF_INET6 if ":" in ip else socket.AF_INET
    with socket.socket(family, socket.SOCK_STREAM) as s:
        s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            s.bind((ip or "0.0.0.0", port))
        except OSError:
            return False
    return True


def wait_for_port(ip: str, port: int, within: float = 20.0) -> bool:
    """Wait (up to ``within`` s) for ``ip:port`` to be free: a server just stopped frees it
    once its kernels are shut down."""
    import time

    deadline = time.monotonic() + within
    while not port_free(ip, port):
        if time.monotonic() > deadline:
            return False
        time.sleep(0.5)
    return True


def trust_course_notebooks() -> int:
    """Sign the course's own notebooks for this user (what ``jupyter trust`` does): the start
    page, the modules and the apps. JupyterLab runs the start page's Open buttons (command
    links) without a "Run command?" dialog, and Voila's preview renders an app without an
    "Untrusted notebook" dialog, only for trusted notebooks. Returns how many are trusted;
    a failure never stops the course from starting."""
    root = home()
    pages = [root / "START.ipynb", *sorted(root.glob("modules/*.ipynb"))]
    pages += sorted(root.glob("widgets/*.ipynb"))
    try:
        import nbformat
        from nbformat.sign import NotebookNotary

        notary = NotebookNotary()
    except Exception:
        return 0
    trusted = 0
    for page in pages:
        try:
            nb = nbformat.read(page, as_version=4)
            if not notary.check_signature(nb):
                notary.sign(nb)
            trusted += notary.check_signature(nb)
        except Exception:  # an unreadable notebook or signature store: it still opens
            continue
    return trusted


def lab_command(
    ip: str = "127.0.0.1",
    port: int = 8888,
    token: str | None = None,
    open_browser: bool = False,
    culling: Culling | None = None,
    base_url: str = "/",
) -> tuple[list[str], str]:
    """The command starting JupyterLab on the start page, and the URL to open.

    ``base_url`` is where the server lives under its host (Binder and JupyterHub serve it under
    ``/user/NAME/``); the start page's links must work under any base."""
    token = token or secrets.token_urlsafe(16)
    c = culling or Culling(idle_timeout=3600)
    cmd = [
        sys.executable,
        "-m",
        "jupyter",
        "lab",
        "START.ipynb",
        f"--ServerApp.ip={ip}",
        f"--ServerApp.port={port}",
        f"--ServerApp.base_url={base_url}",
        f"--ServerApp.root_dir={home()}",
        f"--IdentityProvider.token={token}",
        f"--ServerApp.open_browser={open_browser}",
        "--VoilaConfiguration.template=mixedflows",
        "--VoilaConfiguration.show_tracebacks=False",
        "--LabApp.news_url=None",  # no news fetched (offline classrooms)
        "--LabApp.extension_manager=readonly",  # no PyPI search from the course
        *c.args(),
    ]
    if hasattr(os, "geteuid") and os.geteuid() == 0:
        cmd.append("--allow-root")  # containers and classroom machines often run as root
    url = f"http://{ip}:{port}{base_url}lab/tree/START.ipynb?token={token}"
    return cmd, url


SMALL_SCREEN_WORKSPACE = "small"


def small_screen_url(url: str) -> str:
    """The start page for a phone or a small tablet, from :func:`lab_command`'s URL.

    JupyterLab's simple mode (``/doc``: one document at a time, side panels closed) shows the
    notebook across the screen; the full layout at 390 px left it 62 px wide beside the file
    browser. Its own workspace (``small``) keeps a phone's layout out of the desktop's, which
    a phone used to squeeze for the next desktop load (issue 13.2)."""
    return url.replace("/lab/tree/", f"/doc/workspaces/{SMALL_SCREEN_WORKSPACE}/tree/", 1)
