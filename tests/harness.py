"""Real servers and a real browser for the tests: Voila on 127.0.0.1, Debian's Chromium.

- :class:`VoilaServer` serves ``widgets/`` exactly as ``./mfl facilitate`` does (same command
  builder, same template), on a free port, with its own attempt store.
- :func:`launch_chromium` starts Debian's Chromium through Playwright; the browser resolves no
  host but loopback, and :class:`PageWatch` records console errors and failed requests so a test
  can fail on any of them (a CDN dependency fails loudly).
"""

from __future__ import annotations

import contextlib
import os
import socket
import subprocess
import time
import urllib.request
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

import psutil
import pytest

from mixedflows.paths import home
from mixedflows.server import serve
from mixedflows.server.kernel import is_kernel_command

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--host-resolver-rules=MAP * ~NOTFOUND , EXCLUDE 127.0.0.1 , EXCLUDE localhost",
]
VERSION_WARNINGS = ("Unsatisfied version", "No satisfying version")
LOOPBACK = ("http://127.0.0.1", "http://localhost", "ws://127.0.0.1", "ws://localhost")


FIXTURES = Path(__file__).resolve().parent / "fixtures"
"""Notebooks for tests and benchmarks only (``empty.ipynb``, the start-up baseline): never in
``widgets/``, so a course server never offers them to participants."""


def apps_root(folder: Path, *fixtures: str) -> Path:
    """A folder holding a copy of every course app plus the named fixtures, to serve with
    ``VoilaServer(root=...)`` when a test or benchmark needs a fixture beside the apps."""
    import shutil

    folder.mkdir(parents=True, exist_ok=True)
    for nb in [*(home() / "widgets").glob("*.ipynb"), *(FIXTURES / f for f in fixtures)]:
        shutil.copy2(nb, folder / nb.name)
    return folder


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@dataclass
class VoilaServer:
    store: Path
    culling: serve.Culling = field(default_factory=serve.Culling)
    extra_env: dict[str, str] = field(default_factory=dict)
    extra_args: list[str] = field(default_factory=list)
    root: Path | None = None
    """The folder of notebooks to serve (default: the course's widgets/)."""
    session: serve.ClassSession | None = None
    """A facilitated session: its code, token, preheated pools and kernel cap."""
    port: int = field(default_factory=free_port)
    proc: subprocess.Popen | None = None
    log_path: Path | None = None

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def app_url(self, notebook: str, **query: str) -> str:
        from urllib.parse import urlencode

        q = f"?{urlencode(query)}" if query else ""
        return f"{self.url}/voila/render/{notebook}{q}"

    def start(self, timeout: float = 60) -> VoilaServer:
        """Start the server; returns once it answers."""
        return self.launch().wait_ready(timeout)

    def launch(self) -> VoilaServer:
        """Start the server's process and return at once (:meth:`wait_ready` waits for it): a
        test that needs a second server later starts it while it works with the first."""
        opts = serve.VoilaOptions(port=self.port, culling=self.culling, extra=self.extra_args)
        if self.root is not None:
            opts.root = self.root
        extra = {"MIXEDFLOWS_STORE": str(self.store)}
        cwd = self.store.parent / f"voila-{self.port}"
        cwd.mkdir(parents=True, exist_ok=True)
        if self.session is not None:
            self.session.write_config(cwd)  # voila.json: preheated pools
            extra.update(self.session.env())
        env = serve.environment({**extra, **self.extra_env})
        # Served as ./mfl facilitate serves it: ipykernel stops capturing a kernel's stderr
        # file when it sees this variable, which a course server never has.
        env.pop("PYTEST_CURRENT_TEST", None)
        self.log_path = self.store.with_suffix(f".{self.port}.voila.log")
        log = self.log_path.open("w")
        self.proc = subprocess.Popen(
            serve.voila_command(opts),
            env=env,
            cwd=cwd,
            stdout=log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
        return self

    def wait_ready(self, timeout: float = 60) -> VoilaServer:
        """Wait until the launched server answers (its log in the error if it does not)."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                raise RuntimeError(f"voila exited early:\n{self.log()}")
            with contextlib.suppress(OSError):
                urllib.request.urlopen(self.url + "/", timeout=2).read()
                return self
            time.sleep(0.2)
        raise TimeoutError(f"voila did not answer in {timeout} s:\n{self.log()}")

    def log(self) -> str:
        return self.log_path.read_text(errors="replace") if self.log_path else ""

    def kernel_pids(self) -> list[int]:
        """Live kernel processes started by this server: its own children only (a kernel's
        short-lived forks, such as a ``subprocess`` call between fork and exec, carry the
        kernel's command line and are not kernels)."""
        if self.proc is None:
            return []
        try:
            kids = psutil.Process(self.proc.pid).children(recursive=False)
        except psutil.NoSuchProcess:
            return []
        out = []
        for k in kids:
            with contextlib.suppress(psutil.Error):
                if is_kernel_command(k.cmdline()):
                    out.append(k.pid)
        return out

    def stop(self) -> None:
        if self.proc and self.proc.poll() is None:
            with contextlib.suppress(ProcessLookupError):
                os.killpg(self.proc.pid, 15)
            try:
                self.proc.wait(10)
            except subprocess.TimeoutExpired:
                os.killpg(self.proc.pid, 9)


@contextlib.contextmanager
def voila_server(store: Path, **kw) -> Iterator[VoilaServer]:
    server = VoilaServer(store=store, **kw).start()
    try:
        yield server
    finally:
        server.stop()


@dataclass
class PageWatch:
    """Console errors, page errors and failed or off-machine requests seen by a page."""

    errors: list[str] = field(default_factory=list)
    blocked: list[str] = field(default_factory=list)

    def attach(self, page) -> None:
        page.on("console", self._console)
        page.on("pageerror", lambda e: self.errors.append(f"pageerror: {e}"))
        page.on("requestfailed", lambda r: self._failed(r))
        page.route("**/*", self._route)

    def _console(self, message) -> None:
        if message.type == "error":
            self.errors.append(f"console: {message.text}")
        # Module federation's complaint that a widget manager was built for other JupyterLab
        # packages than the page's (issue 13.12: the locks pin matching versions).
        elif message.type == "warning" and any(w in message.text for w in VERSION_WARNINGS):
            self.errors.append(
                f"console warning: {message.text} (a .venv older than requirements/*.lock? "
                "`./mfl test` brings it up to date)"
            )

    def _failed(self, request) -> None:
        failure = request.failure or ""
        # A navigation away aborts pending requests; that is not an app error.
        if "ERR_ABORTED" in failure and "/api/kernels/" in request.url:
            return
        self.errors.append(f"request failed: {request.url} {failure}")

    def _route(self, route) -> None:
        url = route.request.url
        if url.startswith(LOOPBACK) or url.startswith(("data:", "blob:", "about:")):
            route.continue_()
        else:
            self.blocked.append(url)
            route.abort()

    def check(self) -> None:
        problems = self.errors + [f"off-machine request blocked: {u}" for u in self.blocked]
        assert not problems, "\n".join(problems)


def launch_chromium(playwright):
    return playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS, headless=True)


def wait_rendered(page, selector: str, timeout: float = 120_000) -> None:
    """Wait until Voila has rendered the app (the given widget is visible)."""
    page.wait_for_selector(selector, state="visible", timeout=timeout)


# --- JupyterLab, as ``./mfl start`` starts it -----------------------------------------------------

ROOT = Path(__file__).resolve().parents[1]


def _die_with_parent() -> None:
    """In the child before exec: SIGTERM when the test process dies (even by SIGKILL or a
    pytest-timeout exit that runs no ``finally``), so no jupyter-lab outlives its test."""
    import ctypes
    import signal

    with contextlib.suppress(OSError, AttributeError):
        ctypes.CDLL("libc.so.6", use_errno=True).prctl(1, signal.SIGTERM)  # PR_SET_PDEATHSIG


def kill_group(proc: subprocess.Popen, grace: float = 20) -> None:
    """End a process started with ``start_new_session=True`` and everything it started: SIGTERM
    to its process group, SIGKILL after ``grace`` seconds, and SIGKILL to whatever of the group
    is still alive (a kernel whose server exited first)."""
    with contextlib.suppress(ProcessLookupError):
        os.killpg(proc.pid, 15)
    try:
        proc.wait(grace)
    except subprocess.TimeoutExpired:
        pass
    finally:
        with contextlib.suppress(ProcessLookupError):
            os.killpg(proc.pid, 9)
        with contextlib.suppress(subprocess.TimeoutExpired):
            proc.wait(10)


def _answers(url: str) -> bool:
    try:
        urllib.request.urlopen(url, timeout=5).read()
    except OSError:
        return False
    return True


@dataclass
class LabServer:
    url: str
    """The start page's link (with the token)."""
    port: int
    proc: subprocess.Popen
    log_path: Path

    def log(self) -> str:
        return self.log_path.read_text(errors="replace")


@contextlib.contextmanager
def lab_server(folder: Path, base_url: str = "/", timeout: float = 90) -> Iterator[LabServer]:
    """JupyterLab on the start page (``serve.lab_command``, as ``./mfl start``), on a free
    loopback port, with its store, runtime folder and workspaces in ``folder``; yields once the
    start page answers. Whatever happens (a failure, Ctrl-C, the test process killed), the lab's
    process group is killed and START.ipynb, which the lab may save kernel metadata into, is put
    back as it was."""
    port = free_port()
    cmd, url = serve.lab_command(port=port, token="t0ken", base_url=base_url)
    env = serve.environment(
        {
            "MIXEDFLOWS_STORE": str(folder / "a.sqlite"),
            "JUPYTER_RUNTIME_DIR": str(folder / "rt"),
            "JUPYTERLAB_WORKSPACES_DIR": str(folder / "ws"),
            "HOME": os.environ.get("HOME", str(folder)),
        }
    )
    start_page = (ROOT / "START.ipynb").read_bytes()
    log_path = folder / "lab.log"
    proc: subprocess.Popen | None = None
    try:
        with log_path.open("w") as log:
            proc = subprocess.Popen(
                cmd,
                env=env,
                cwd=ROOT,
                stdout=log,
                stderr=subprocess.STDOUT,
                start_new_session=True,
                preexec_fn=_die_with_parent,
            )
        lab = LabServer(url=url, port=port, proc=proc, log_path=log_path)
        deadline = time.monotonic() + timeout
        while not _answers(url):
            if proc.poll() is not None:
                raise RuntimeError(f"jupyter lab exited early:\n{lab.log()}")
            if time.monotonic() > deadline:
                raise TimeoutError(f"jupyter lab did not answer in {timeout} s:\n{lab.log()}")
            time.sleep(0.5)
        yield lab
    finally:
        if proc is not None:
            kill_group(proc)
        (ROOT / "START.ipynb").write_bytes(start_page)


# --- what a page did, in the store --------------------------------------------------------------


def wait_attempts(store: Path | str, n: int = 1, timeout: float = 20, **where: str) -> list:
    """The attempts in ``store`` matching ``where`` (``learner=``, ``exercise_id=``) once there
    are at least ``n`` of them, or those there are after ``timeout`` s (the kernel records an
    attempt about when the page shows its feedback: a test waits for it, then checks)."""
    from mixedflows.store import Store

    deadline = time.monotonic() + timeout
    rows: list = []
    while True:
        rows = Store(str(store)).attempts(**where)
        if len(rows) >= n or time.monotonic() > deadline:
            return rows
        time.sleep(0.2)


def new_page(chromium, width: int = 1280, height: int = 1000, **context):
    """A fresh browser context at this size, its page and a :class:`PageWatch` on it."""
    ctx = chromium.new_context(viewport={"width": width, "height": height}, **context)
    page = ctx.new_page()
    watch = PageWatch()
    watch.attach(page)
    return ctx, page, watch


def open_app(
    chromium, server, notebook: str, ready: str, *, learner: str, viewport: dict, **context
):
    """A new page at ``viewport`` (``{"width": .., "height": ..}``) showing ``notebook`` served
    by ``server`` for ``learner``, once the app's ``ready`` selector is visible: returns the
    context (close it), the page and its :class:`PageWatch`."""
    ctx, page, watch = new_page(chromium, **viewport, **context)
    page.goto(server.app_url(notebook, learner=learner), wait_until="commit")
    wait_rendered(page, ready, timeout=240_000)
    return ctx, page, watch


def open_dashboard(chromium, server: VoilaServer, ready: str, width: int = 1280, height: int = 800):
    """The facilitator dashboard of the server's session (its facilitator key in the link) in a
    browser context of its own, once ``ready`` is visible: returns the context (close it), the
    page and its :class:`PageWatch`."""
    ctx, page, watch = new_page(chromium, width, height)
    session = server.session
    page.goto(
        server.app_url(
            "facilitator_dashboard.ipynb", facilitator=session.token, session=session.code
        ),
        wait_until="commit",
    )
    wait_rendered(page, ready, timeout=240_000)
    return ctx, page, watch


class Player:
    """A participant of a facilitated session (:class:`VoilaServer` with a ``session``) in a
    browser context of their own, watched by a :class:`PageWatch`, every websocket frame their
    page receives kept (what a role must not see is checked in them too): joins by the join
    page under ``name``, takes a role of the multi-role exercise, decides, reopens the page."""

    def __init__(self, chromium, server: VoilaServer, name: str, size=(1280, 800)) -> None:
        self.ctx = chromium.new_context(viewport={"width": size[0], "height": size[1]})
        self.server, self.name = server, name
        self.frames: list[str] = []
        self._new_page()

    def _new_page(self) -> None:
        self.page = self.ctx.new_page()
        self.watch = PageWatch()
        self.watch.attach(self.page)
        self.page.on("websocket", self._ws)

    def _ws(self, ws) -> None:
        def keep(payload) -> None:
            if isinstance(payload, bytes):
                payload = payload.decode("utf-8", "replace")
            self.frames.append(payload)

        ws.on("framereceived", keep)

    def submit_name(self) -> None:
        """Type the name on the session's join page and send it (nothing awaited)."""
        self.page.goto(
            f"{self.server.url}/join?session={self.server.session.code}", wait_until="commit"
        )
        self.page.fill("input[name=learner]", self.name)
        self.page.click("button[type=submit]")

    def open(self) -> None:
        """Join, and wait for the app: its role picker, or the view of the role held."""
        self.submit_name()
        wait_rendered(self.page, "button.mf-take-role, .mf-role-view", timeout=240_000)

    def join(self, role_title: str, opened: bool = False) -> None:
        """Take the role titled ``role_title`` (after :meth:`open`, unless ``opened``)."""
        if not opened:
            self.open()
        self.page.locator(".mf-role-picker label", has_text=role_title).click()
        self.page.click("button.mf-take-role")
        self.page.wait_for_selector(".mf-role-view", timeout=60_000)

    def decide(self, room, role_id: str, choices: dict[str, str]) -> None:
        """Choose ``choices`` (decision id to option id) for the role, submit, await the score."""
        for d in room.role(role_id).decisions:
            cls = f".mf-decision-{d.id}".replace("_", "-")
            self.page.locator(f"{cls} label", has_text=d.option(choices[d.id]).label).click()
        self.page.click("button.mf-submit")
        self.page.wait_for_selector(".mf-feedback .mf-score", timeout=60_000)

    def reopen(self, ready: str) -> None:
        """Close the tab (its watch checked) and open its address in a new one, as after a
        dropped connection, until ``ready`` shows."""
        url = self.page.url
        self.watch.check()
        self.page.close()
        self._new_page()
        self.page.goto(url, wait_until="commit")
        self.page.wait_for_selector(ready, timeout=240_000)

    def seen(self) -> str:
        return self.page.content() + "\n".join(self.frames)

    def close(self) -> None:
        self.ctx.close()


# --- store faults, staged for real ---------------------------------------------------------------

NOBODY = 65534
"""The uid and gid of ``nobody``: a kernel that is not root, for whom file modes count."""


def become_nobody() -> None:
    """In a forked child: run on as ``nobody`` when the tests run as root (who ignores file
    modes, so a read-only store would not be read-only to it)."""
    if os.geteuid() == 0:
        os.setgid(NOBODY)
        os.setuid(NOBODY)


def no_store_no_home(tmp_path: Path, monkeypatch):
    """A store that cannot be created (its folder would be under a file) and nowhere to keep an
    attempt instead (no ``MIXEDFLOWS_PENDING`` or ``XDG_STATE_HOME``, ``HOME`` under that file):
    a learner's attempt can only be NOT saved. Returns the store (not connected)."""
    from mixedflows.store import Store

    blocker = tmp_path / "a-file"
    blocker.write_text("not a folder")
    for var in ("MIXEDFLOWS_PENDING", "XDG_STATE_HOME"):
        monkeypatch.delenv(var, raising=False)
    monkeypatch.setenv("HOME", str(blocker / "home"))  # no folder can be made under a file
    return Store(str(blocker / "store" / "a.sqlite"), connect=False)


@contextlib.contextmanager
def read_only_store() -> Iterator[str]:
    """A SQLite store read-only to ``nobody`` (owned by nobody, mode 0444, in a folder anyone
    may write in): a kernel run as nobody (:func:`become_nobody`) meets a read-only store.
    Yields its location; the folder is removed afterwards."""
    import shutil
    import tempfile

    from mixedflows.store import Store

    base = Path(tempfile.mkdtemp(prefix="mf-ro-"))
    try:
        os.chmod(base, 0o777)
        location = str(base / "attempts.sqlite")
        with Store(location):
            pass
        os.chown(location, NOBODY, NOBODY)
        os.chmod(location, 0o444)
        yield location
    finally:
        shutil.rmtree(base, ignore_errors=True)


def wait_until(predicate, timeout: float, every: float = 0.5) -> bool:
    """Poll ``predicate`` until it holds or ``timeout`` seconds pass; its last answer."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if predicate():
            return True
        time.sleep(every)
    return predicate()


HEATED = "Using pre-heated kernel"
"""What Voila logs when a page is served by a kernel of its pool."""
FILLED = "is filled with"
"""What Voila logs each time a pool's kernels are all started ("Kernel pool of X is filled with
N kernel(s)"): at start-up, and after each refill."""


def wait_pool_filled(server, fills: int, timeout: float = 240) -> None:
    """Wait until the server's preheated pool has been filled ``fills`` times (its log): a page
    opened now is served by a preheated kernel (polled, not slept: a pool's kernel starts in
    2 s on an idle machine and in a minute on a loaded one)."""
    if not wait_until(lambda: server.log().count(FILLED) >= fills, timeout, every=0.25):
        pytest.fail(
            f"the pool was not filled {fills} time(s) in {timeout} s:\n" + server.log()[-3000:]
        )


def reload_until_preheated(page, server, selector: str, tries: int = 4) -> None:
    """Reload ``page`` until the server's log shows a preheated kernel served it (the pool
    refills after a claim; a page it could not serve gets a kernel of its own), each time
    waiting for ``selector`` to render."""
    heated = server.log().count(HEATED)
    for _ in range(tries):
        page.reload(wait_until="commit")
        wait_rendered(page, selector, timeout=240_000)
        now = server.log().count(HEATED)
        if now > heated:
            return
        heated = now
        page.wait_for_timeout(15_000)
    pytest.fail("no reload was served by a preheated kernel:\n" + server.log()[-3000:])
