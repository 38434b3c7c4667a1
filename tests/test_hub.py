"""Issue 16: the course on a real JupyterHub, on loopback.

A hub (the ``jupyterhub`` package, ``configurable-http-proxy`` from npm installed by ``./mfl
test``) with the values file's LTI 1.3 authenticator (everyone logs in by a launch from a test
platform, tests/test_hub_lti.py) and a local-process spawner; each learner's single-user
server runs this environment's course, and gets the shared PostgreSQL store (tests/pg.py) from
the values file's pre_spawn_hook, as a login role of its own (never the owner's URL). The
dashboard service runs as deployment/z2jh/dashboard.yaml runs it (the owner's URL, the hub
service's Voila settings). The facilitators' role and group are read from
deployment/z2jh/values.yaml.

In Chromium: two facilitators each open a session on the dashboard service; a learner joins
each by the facilitator's link, answers module 1 through Voila on their own server
(``/user/NAME/voila/render/...``) and submits; the learners are refused the dashboard service;
each facilitator's dashboard shows, and its download holds, their own session's learner only,
and another facilitator's session asked for by its code is not shown. Both attempts land in the
one store under the learners' hub names and their sessions, each session owned by the
facilitator who opened it.

The hub is the run's one hub (tests/shared_hub.py), which tests/test_hub_certificates.py and
tests/test_hub_lti.py use too, with users of their own; the hub that fails at start-up below
is its test's own (with the DummyAuthenticator, :func:`hub_config`'s default).
"""

from __future__ import annotations

import base64
import contextlib
import json
import os
import shutil
import subprocess
import sys
import time
import urllib.parse
import urllib.request
import uuid
from pathlib import Path

import psutil
import pytest
import yaml
from harness import PageWatch, free_port, wait_rendered

from mixedflows.exercises import load_exercise
from mixedflows.grading import cohort_reference
from mixedflows.profiles import NEED_LABELS, Need
from mixedflows.server import serve
from mixedflows.store import Store, roles

pytest_plugins = ["pg", "shared_hub"]
pytestmark = pytest.mark.browser

ROOT = Path(__file__).resolve().parents[1]
CHP = ROOT / ".venv" / "chp" / "node_modules" / ".bin" / "configurable-http-proxy"
APP = "widgets/who_is_in_the_boat.ipynb"
SERVICE = "facilitator-dashboard"
DASHBOARD = "widgets/facilitator_dashboard.ipynb"
FACILITATORS = ["fac-a", "fac-b", "fac-c"]
"""The hub's facilitators group: fac-a and fac-b for this module's test, fac-c for
tests/test_hub_certificates.py (one hub serves both, :mod:`shared_hub`: each test has users of
its own)."""


def chp_path() -> str:
    found = CHP if CHP.exists() else shutil.which("configurable-http-proxy")
    if not found:
        pytest.fail("configurable-http-proxy is missing: run ./mfl test, which installs it")
    return str(found)


def hub_config(
    tmp: Path,
    store_url: str,
    port: int,
    service_port: int,
    auth: dict | None = None,
    mark: str = "",
) -> Path:
    """The hub's configuration file; ``auth`` replaces the DummyAuthenticator (``class``, and
    ``config``: traitlets sections, as the values file's ``hub.config`` gives them); ``mark``
    is put in the environment of the learners' servers and of the service (see
    :func:`end_marked`)."""
    pytest.importorskip("jupyterhub")
    values = yaml.safe_load((ROOT / "deployment/z2jh/values.yaml").read_text(encoding="utf-8"))
    roles = [{"name": name, **role} for name, role in values["hub"]["loadRoles"].items()]
    # The course's Voila settings come from share/jupyter_config/voila.json (on
    # JUPYTER_CONFIG_PATH, as binder/start sets it in the image): Voila's server extension reads
    # VoilaConfiguration from voila.json files only, not from the server's own config.
    env = serve.environment({"MIXEDFLOWS_STORE": store_url})
    env.pop("PYTEST_CURRENT_TEST", None)
    keep = {
        k: v
        for k, v in env.items()
        if k.startswith(("JUPYTER", "MIXEDFLOWS", "PYDEVD", "XDG")) or k in ("PATH", "LANG")
    }
    # Learners' servers get no store URL from the spawner's environment: the values file's
    # pre_spawn_hook gives each one a login role of its own. The dashboard service keeps the
    # owner's URL.
    keep[MARK] = mark
    learner_env = {k: v for k, v in keep.items() if k != "MIXEDFLOWS_STORE"}
    # The dashboard service, as deployment/z2jh/dashboard.yaml runs it: the hub service's Voila
    # settings (the prelaunch hook that tells each page's kernel which facilitator opened it).
    service_env = {
        **keep,
        "JUPYTER_CONFIG_PATH": os.pathsep.join(
            [str(ROOT / "share" / "jupyter_config_hub_service"), keep["JUPYTER_CONFIG_PATH"]]
        ),
    }
    cfg = {
        "ip": "127.0.0.1",
        "port": port,
        "hub_port": free_port(),
        "proxy_api_port": free_port(),
        "chp": chp_path(),
        "db": f"sqlite:///{tmp / 'hub.sqlite'}",
        "cookie": str(tmp / "cookie_secret"),
        "env": learner_env,
        "service_env": service_env,
        "python": sys.executable,
        "root": str(ROOT),
        "roles": roles,
        # The values file's hub.extraConfig: each learner's server gets its own login role.
        "extra_config": values["hub"]["extraConfig"],
        # The service's OAuth settings as the values file gives them (no consent page).
        "service_oauth": {
            k: v
            for k, v in values["hub"]["services"][SERVICE].items()
            if k in ("oauth_no_confirm", "display")
        },
        "service_port": service_port,
        "service_url": f"http://127.0.0.1:{service_port}",
        "allow_root": hasattr(os, "geteuid") and os.geteuid() == 0,
        "auth": auth or {"class": "dummy", "config": {"Authenticator": {"allow_all": True}}},
    }
    path = tmp / "jupyterhub_config.py"
    path.write_text(
        f"""
import json
cfg = json.loads({json.dumps(json.dumps(cfg))})
c = get_config()  # noqa
c.JupyterHub.ip = cfg["ip"]
c.JupyterHub.port = cfg["port"]
c.JupyterHub.hub_ip = "127.0.0.1"
c.JupyterHub.hub_port = cfg["hub_port"]
c.ConfigurableHTTPProxy.api_url = f"http://127.0.0.1:{{cfg['proxy_api_port']}}"
c.ConfigurableHTTPProxy.command = [cfg["chp"]]
c.JupyterHub.db_url = cfg["db"]
c.JupyterHub.cookie_secret_file = cfg["cookie"]
from traitlets.config import Config
c.JupyterHub.authenticator_class = cfg["auth"]["class"]
c.merge(Config(cfg["auth"]["config"]))
c.JupyterHub.spawner_class = "simple"
c.Spawner.cmd = [cfg["python"], "-m", "jupyterhub.singleuser"]
c.Spawner.notebook_dir = cfg["root"]
c.Spawner.environment = cfg["env"]
c.Spawner.start_timeout = 120
c.Spawner.http_timeout = 120
c.Spawner.args = ["--allow-root"] if cfg["allow_root"] else []
c.JupyterHub.load_groups = {{"facilitators": {{"users": {FACILITATORS!r}}}}}
c.JupyterHub.load_roles = cfg["roles"]
c.JupyterHub.services = [{{
    "name": "{SERVICE}",
    "url": cfg["service_url"],
    "command": [cfg["python"], "-m", "jupyterhub.singleuser",
                f"--ServerApp.port={{cfg['service_port']}}", "--ServerApp.ip=127.0.0.1",
                "--ServerApp.root_dir=" + cfg["root"]] + (
        ["--allow-root"] if cfg["allow_root"] else []),
    "environment": cfg["service_env"],
    "timeout": 300,  # a loaded machine: the service's server may take a minute to answer
    **cfg["service_oauth"],
}}]
for snippet in cfg["extra_config"].values():
    exec(snippet)
c.JupyterHub.redirect_to_server = False  # a login lands on the hub's home; spawns are asked
""",
        encoding="utf-8",
    )
    return path


MARK = "MIXEDFLOWS_TEST_HUB"
"""An environment variable naming one run of a test hub, in the environment of every process
of it: the hub, its proxy (which inherits the hub's), the service and the learners' servers
(their spawners' environment, :func:`hub_config`) and their kernels."""


def marked(mark: str) -> list[psutil.Process]:
    """The processes of this machine whose environment carries ``MARK=mark``."""
    found = []
    for p in psutil.process_iter():
        with contextlib.suppress(psutil.Error, OSError):
            if p.environ().get(MARK) == mark:
                found.append(p)
    return found


def end_marked(mark: str) -> list[str]:
    """End every process of the hub run ``mark``, whether the hub stopped them or not: the
    proxy, the service and the learners' servers each run in a session of their own
    (``start_new_session``), so a hub that crashes, or is killed, leaves them running.
    Returns the names of those still running at the call."""
    procs = marked(mark)
    names = []
    for p in procs:
        with contextlib.suppress(psutil.Error):
            names.append(" ".join(p.cmdline()[:2]))
            p.terminate()
    _gone, alive = psutil.wait_procs(procs, timeout=15)
    for p in alive:
        with contextlib.suppress(psutil.Error):
            p.kill()
    psutil.wait_procs(alive, timeout=5)
    return names


@contextlib.contextmanager
def running_hub(tmp: Path, store_url: str, auth: dict | None = None, extra_config: str = ""):
    """A hub on loopback (``extra_config``: lines added at the end of its configuration);
    on leaving, the hub and every process of it are ended, the proxy too, even when the hub
    failed at start-up."""
    port, service_port = free_port(), free_port()
    mark = uuid.uuid4().hex
    config = hub_config(tmp, store_url, port, service_port, auth, mark)
    if extra_config:
        config.write_text(config.read_text(encoding="utf-8") + extra_config, encoding="utf-8")
    log = (tmp / "hub.log").open("w")
    if store_url.startswith("postgres"):
        # The hub holds the owner's URL (hub.extraEnv in the values file) for its
        # pre_spawn_hook.
        roles.grant_learner_role(store_url)
    proc = subprocess.Popen(
        [sys.executable, "-m", "jupyterhub", "-f", str(config)],
        cwd=tmp,
        env={**os.environ, "MIXEDFLOWS_OWNER_STORE": store_url, MARK: mark},
        stdout=log,
        stderr=subprocess.STDOUT,
        start_new_session=True,
    )
    url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 300  # the hub waits for its service (timeout above)
        while True:
            if proc.poll() is not None:
                raise RuntimeError("hub exited:\n" + (tmp / "hub.log").read_text())
            with contextlib.suppress(OSError):
                urllib.request.urlopen(url + "/hub/health", timeout=2).read()
                break
            if time.monotonic() > deadline:
                raise TimeoutError("hub did not answer:\n" + (tmp / "hub.log").read_text())
            time.sleep(0.5)
        yield url
    finally:
        with contextlib.suppress(ProcessLookupError):
            os.killpg(proc.pid, 15)
        try:
            proc.wait(30)
        except subprocess.TimeoutExpired:
            os.killpg(proc.pid, 9)
            proc.wait(10)
        # What the hub did not stop (it crashed at start-up, or was killed): its proxy, its
        # service and the learners' servers.
        left = end_marked(mark)
        if left:
            log.write(f"\n[test] ended what the hub left running: {left}\n")
        log.close()


def log_in(chromium, hub, name: str):
    """A browser context of ``name``'s own, logged into the run's hub (``hub``: the
    ``shared_hub`` fixture) as the values file's hub logs everyone in: an LTI 1.3 launch from
    the test platform, whose ``sub`` is ``name`` (tests/test_hub_lti.py checks the launch
    itself)."""
    ctx = chromium.new_context(viewport={"width": 1280, "height": 1000})
    page = ctx.new_page()
    page.watch = PageWatch()
    page.watch.attach(page)
    page.goto(hub.platform.launch_as(name))
    page.wait_for_url(f"{hub.url}/hub/**", timeout=60_000)
    page.wait_for_selector(f"text={name}", timeout=60_000)  # the hub greets them so
    assert "lti13" not in page.url
    return ctx, page


def open_dashboard(page, hub: str, query: str = "") -> None:
    """The dashboard service's page, rendered (its kernel told who opened it)."""
    # Voila streams the page while the kernel runs it: wait for the answer, then the widgets.
    resp = page.goto(
        f"{hub}/services/{SERVICE}/voila/render/{DASHBOARD}{query}",
        wait_until="commit",
        timeout=180_000,
    )
    assert resp is not None and resp.status == 200, resp and resp.status
    wait_rendered(page, ".mf-new-session", timeout=180_000)
    page.wait_for_selector(".mf-stamp .mf-why", timeout=120_000)  # the first look at the store


def options(page) -> list[str]:
    """The session codes the selector offers (each option reads "CODE · N attempt(s)")."""
    labels = page.eval_on_selector_all(
        ".mf-session select option", "els => els.map(e => e.textContent)"
    )
    return [label.replace("\xa0", " ").split(" · ")[0] for label in labels]


def answer_module_1(page, hub: str, name: str, query: str, ref: dict) -> None:
    """Start the learner's own server from the hub, open module 1's app on it (``query``: the
    facilitator's session code), answer and submit; the app shows the score."""
    spawn_to(page, hub, name, f"{APP}{query}")
    answer_spawned(page, name, ref)


def spawn_to(page, hub: str, name: str, notebook: str) -> None:
    """Ask the hub to start the learner's own server, then to send them to ``notebook`` (with
    its query) through Voila on it; :func:`spawned_to` waits for the app, so that several
    learners' servers can start at once."""
    app = f"/user/{name}/voila/render/{notebook}"
    page.goto(f"{hub}/hub/spawn/{name}?next={urllib.parse.quote(app, safe='')}")


def spawned_to(page, name: str, notebook: str, ready: str) -> None:
    """The app ``notebook`` (:func:`spawn_to`) rendered on the learner's server (``ready``:
    the widget that shows it is)."""
    page.wait_for_url(f"**/user/{name}/voila/render/{notebook}*", timeout=180_000)
    # The hub's "server starting" page's progress stream, cut by the redirect to the app: the
    # hub's page, not the course's.
    page.watch.errors[:] = [
        e
        for e in page.watch.errors
        if not (f"/hub/api/users/{name}/server/progress" in e and "ERR_ABORTED" in e)
    ]
    wait_rendered(page, ready, timeout=180_000)


def answer_spawned(page, name: str, ref: dict) -> None:
    """Module 1's app, asked for with :func:`spawn_to`: wait for it, answer and submit."""
    spawned_to(page, name, APP, ".mf-submit")
    for prof in ref["profiles"]:
        page.click(f".mf-profile-{prof} input")
    page.select_option(".mf-first-need select", label=NEED_LABELS[Need(ref["first_need"])])
    page.click("button.mf-submit")
    page.wait_for_selector(".mf-feedback .mf-score", timeout=60_000)
    assert "Score:" in page.inner_text(".mf-feedback")
    page.watch.check()


def downloaded_grades(page) -> str:
    page.click(".mf-export button, button.mf-export")
    page.wait_for_selector("a.mf-download", timeout=60_000)
    href = page.get_attribute("a.mf-download", "href")
    return base64.b64decode(href.split("base64,", 1)[1]).decode("utf-8")


def test_two_learners_on_a_hub_share_one_store_and_each_facilitator_sees_their_own(
    shared_hub, chromium
):
    """Two facilitators each open a session on the dashboard service; a learner joins each;
    each facilitator sees, and downloads, their own session's answers only; a learner is
    refused the service. (The two learners' servers start at once, as in a room; each learner
    is then checked on their own. The dashboards open one after the other: two pages drawing
    charts at once on a loaded machine miss anywidget's 2 s to set up a chart's model.)"""
    hub, store_url = shared_hub.url, shared_hub.store_url
    ex = load_exercise("m1_who_is_in_the_boat")
    first_ref = next(iter(cohort_reference(ex).values()))
    codes: dict[str, str] = {}
    pair = ["fac-a", "fac-b"]
    # Each facilitator opens a session of their own on the dashboard service.
    for fac_name in pair:
        ctx, page = log_in(chromium, shared_hub, fac_name)
        try:
            open_dashboard(page, hub)
            assert page.inner_text(".mf-owner") == fac_name
            assert options(page) == []  # no session yet, and never "all sessions"
            page.click(".mf-new-session")
            page.wait_for_selector(".mf-join .mf-code", timeout=60_000)
            codes[fac_name] = page.inner_text(".mf-join .mf-code")
            links = page.eval_on_selector_all(
                "a.mf-join-app", "els => els.map(e => e.getAttribute('href'))"
            )
            assert f"/hub/user-redirect/voila/render/{APP}?session={codes[fac_name]}" in links
            page.watch.check()
        finally:
            ctx.close()
    joins = {"amina": codes["fac-a"], "bruno": codes["fac-b"]}
    with contextlib.ExitStack() as stack:
        pages = {}
        for name, code in joins.items():
            ctx, pages[name] = log_in(chromium, shared_hub, name)
            stack.callback(ctx.close)
            spawn_to(pages[name], hub, name, f"{APP}?session={code}")
        for name, page in pages.items():
            answer_spawned(page, name, first_ref)
            # A learner holds no access:services scope: the hub refuses them the dashboard.
            for path in ("", f"voila/render/{DASHBOARD}?session={joins[name]}"):
                resp = page.goto(f"{hub}/services/{SERVICE}/{path}")
                assert resp is not None and resp.status == 403, resp and resp.status

    # Each facilitator sees their own session's learner, never the other's.
    mine = {"fac-a": ("amina", "bruno"), "fac-b": ("bruno", "amina")}
    for fac_name, (own, other) in mine.items():
        ctx, page = log_in(chromium, shared_hub, fac_name)
        try:
            open_dashboard(page, hub)
            assert options(page) == [codes[fac_name]]
            page.wait_for_function(
                "n => document.querySelector('.mf-progress').innerText.includes(n)",
                arg=own,
                timeout=60_000,
            )
            assert other not in page.inner_text(".mf-dash")
            grades = downloaded_grades(page)
            assert own in grades and other not in grades
            page.watch.check()
            # The other facilitator's session, asked for by its code: not shown.
            theirs = codes[next(f for f in pair if f != fac_name)]
            # (in a second tab: leaving a Voila page aborts its kernel-shutdown beacon)
            page = ctx.new_page()
            page.watch = PageWatch()
            page.watch.attach(page)
            open_dashboard(page, hub, f"?session={theirs}")
            page.wait_for_selector("text=is not one you opened", timeout=60_000)
            assert options(page) == [codes[fac_name]]
            assert other not in page.inner_text(".mf-dash")
            assert "a session you opened" in page.inner_text("body")  # the room panel
            page.watch.check()
        finally:
            ctx.close()

    with Store(store_url) as s:
        by = {name: s.attempts(learner=name, exercise_id=ex.id) for name in joins}
        owners = {code: s.session_owner(code) for code in codes.values()}
        # Each learner's server wrote through a login role of its own, never the owner's (the
        # hub's other tests' learners have theirs).
        logins = dict(s.backend.execute("SELECT learner, role FROM learner_logins"))
    assert {name: [a.session for a in rows] for name, rows in by.items()} == {
        name: [code] for name, code in joins.items()
    }
    assert owners == {code: fac_name for fac_name, code in codes.items()}
    assert {name: logins.get(name) for name in joins} == {
        name: roles.login_role_name(name) for name in joins
    }


def test_a_hub_that_fails_at_start_up_leaves_no_proxy_running(tmp_path):
    """The hub starts its proxy (configurable-http-proxy, in a session of its own), then cannot
    bind its API port (held here) and exits: leaving running_hub ends the proxy it left."""
    import socket

    with socket.socket() as busy:
        busy.bind(("127.0.0.1", 0))
        busy.listen()
        port = busy.getsockname()[1]
        store = f"sqlite:///{tmp_path / 'store.sqlite'}"
        with (
            pytest.raises(RuntimeError, match="hub exited"),
            running_hub(tmp_path, store, extra_config=f"\nc.JupyterHub.hub_port = {port}\n"),
        ):
            pass  # pragma: no cover - the hub never answers
    log = (tmp_path / "hub.log").read_text()
    assert "Failed to bind hub" in log  # it failed where the test made it fail
    # The proxy had started (its pid file): it is not running now.
    pid = int((tmp_path / "jupyterhub-proxy.pid").read_text())
    with contextlib.suppress(psutil.NoSuchProcess):
        proc = psutil.Process(pid)
        running = proc.status() != psutil.STATUS_ZOMBIE
        assert not (running and "configurable-http-proxy" in " ".join(proc.cmdline())), (
            "the proxy outlived the hub"
        )
    assert "ended what the hub left running" in log and "configurable-http-proxy" in log
