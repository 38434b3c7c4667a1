"""Issue 16: the course on a real JupyterHub, on loopback.

A hub (the ``jupyterhub`` package, ``configurable-http-proxy`` from npm installed by ``./mfl
test``) with the DummyAuthenticator and a local-process spawner; each learner's single-user
server runs this environment's course with the shared PostgreSQL store (tests/pg.py) in its
environment, as the Zero to JupyterHub values give it. Two learners log in in Chromium, open
module 1's app through Voila on their own servers (``/user/NAME/voila/render/...``), submit, and
both attempts land in the one store under their hub names. The facilitators' role and group are
read from deployment/z2jh/values.yaml: a learner's request to the dashboard service is refused,
a facilitator's is let through.
"""

from __future__ import annotations

import contextlib
import json
import os
import shutil
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest
import yaml
from harness import PageWatch, free_port, wait_rendered

from mixedflows.exercises import load_exercise
from mixedflows.grading import cohort_reference
from mixedflows.profiles import NEED_LABELS, Need
from mixedflows.server import serve
from mixedflows.store import Store, roles

pytest_plugins = ["pg"]
pytestmark = pytest.mark.browser

ROOT = Path(__file__).resolve().parents[1]
CHP = ROOT / ".venv" / "chp" / "node_modules" / ".bin" / "configurable-http-proxy"
APP = "widgets/who_is_in_the_boat.ipynb"
SERVICE = "facilitator-dashboard"


def chp_path() -> str:
    found = CHP if CHP.exists() else shutil.which("configurable-http-proxy")
    if not found:
        pytest.fail("configurable-http-proxy is missing: run ./mfl test, which installs it")
    return str(found)


def hub_config(tmp: Path, store_url: str, port: int, service_port: int) -> Path:
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
    learner_env = {k: v for k, v in keep.items() if k != "MIXEDFLOWS_STORE"}
    cfg = {
        "ip": "127.0.0.1",
        "port": port,
        "hub_port": free_port(),
        "proxy_api_port": free_port(),
        "chp": chp_path(),
        "db": f"sqlite:///{tmp / 'hub.sqlite'}",
        "cookie": str(tmp / "cookie_secret"),
        "env": learner_env,
        "service_env": keep,
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
c.JupyterHub.authenticator_class = "dummy"
c.Authenticator.allow_all = True
c.JupyterHub.spawner_class = "simple"
c.Spawner.cmd = [cfg["python"], "-m", "jupyterhub.singleuser"]
c.Spawner.notebook_dir = cfg["root"]
c.Spawner.environment = cfg["env"]
c.Spawner.start_timeout = 120
c.Spawner.http_timeout = 120
c.Spawner.args = ["--allow-root"] if cfg["allow_root"] else []
c.JupyterHub.load_groups = {{"facilitators": {{"users": ["fac"]}}}}
c.JupyterHub.load_roles = cfg["roles"]
c.JupyterHub.services = [{{
    "name": "{SERVICE}",
    "url": cfg["service_url"],
    "command": [cfg["python"], "-m", "jupyterhub.singleuser",
                f"--ServerApp.port={{cfg['service_port']}}", "--ServerApp.ip=127.0.0.1",
                "--ServerApp.root_dir=" + cfg["root"]] + (
        ["--allow-root"] if cfg["allow_root"] else []),
    "environment": cfg["service_env"],
    **cfg["service_oauth"],
}}]
for snippet in cfg["extra_config"].values():
    exec(snippet)
c.JupyterHub.redirect_to_server = False  # a login lands on the hub's home; spawns are asked
""",
        encoding="utf-8",
    )
    return path


@contextlib.contextmanager
def running_hub(tmp: Path, store_url: str):
    port, service_port = free_port(), free_port()
    config = hub_config(tmp, store_url, port, service_port)
    log = (tmp / "hub.log").open("w")
    # The hub holds the owner's URL (hub.extraEnv in the values file) for its pre_spawn_hook.
    roles.grant_learner_role(store_url)
    proc = subprocess.Popen(
        [sys.executable, "-m", "jupyterhub", "-f", str(config)],
        cwd=tmp,
        env={**os.environ, "MIXEDFLOWS_OWNER_STORE": store_url},
        stdout=log,
        stderr=subprocess.STDOUT,
        start_new_session=True,
    )
    url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 90
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
        log.close()


def log_in(chromium, hub: str, name: str):
    ctx = chromium.new_context(viewport={"width": 1280, "height": 1000})
    page = ctx.new_page()
    page.watch = PageWatch()
    page.watch.attach(page)
    page.goto(f"{hub}/hub/login")
    page.fill("input[name=username]", name)
    page.fill("input[name=password]", "any")
    page.click("input[type=submit], button[type=submit]")
    page.wait_for_url(lambda u: "/hub/login" not in u, timeout=60_000)
    return ctx, page


def test_two_learners_on_a_hub_share_one_store_and_the_dashboard_is_refused(
    tmp_path, postgres_url, chromium
):
    ex = load_exercise("m1_who_is_in_the_boat")
    first_ref = next(iter(cohort_reference(ex).values()))
    with running_hub(tmp_path, postgres_url) as hub:
        for name in ("amina", "bruno"):
            ctx, page = log_in(chromium, hub, name)
            try:
                # The hub starts the learner's own server, then sends them to the app on it.
                page.goto(f"{hub}/hub/spawn/{name}?next=/user/{name}/voila/render/{APP}")
                page.wait_for_url(f"**/user/{name}/voila/render/{APP}*", timeout=180_000)
                # The hub's "server starting" page's progress stream, cut by the redirect to
                # the app: the hub's page, not the course's.
                page.watch.errors[:] = [
                    e
                    for e in page.watch.errors
                    if not (f"/hub/api/users/{name}/server/progress" in e and "ERR_ABORTED" in e)
                ]
                wait_rendered(page, ".mf-submit", timeout=180_000)
                for prof in first_ref["profiles"]:
                    page.click(f".mf-profile-{prof} input")
                page.select_option(
                    ".mf-first-need select", label=NEED_LABELS[Need(first_ref["first_need"])]
                )
                page.click("button.mf-submit")
                page.wait_for_selector(".mf-feedback .mf-score", timeout=60_000)
                assert "Score:" in page.inner_text(".mf-feedback")
                page.watch.check()
                # A learner holds no access:services scope: the hub refuses them the dashboard.
                resp = page.goto(f"{hub}/services/{SERVICE}/")
                assert resp is not None and resp.status == 403, resp and resp.status
            finally:
                ctx.close()
        ctx, page = log_in(chromium, hub, "fac")
        try:
            # A facilitator passes the hub's OAuth and reaches the service's own pages.
            resp = page.goto(f"{hub}/services/{SERVICE}/")
            assert resp is not None and resp.status == 200, resp and resp.status
            assert f"/services/{SERVICE}/" in page.url, page.url
        finally:
            ctx.close()

    with Store(postgres_url) as s:
        by = {name: s.attempts(learner=name, exercise_id=ex.id) for name in ("amina", "bruno")}
        # Each learner's server wrote through a login role of its own, never the owner's.
        logins = dict(s.backend.execute("SELECT learner, role FROM learner_logins"))
    assert {name: len(rows) for name, rows in by.items()} == {"amina": 1, "bruno": 1}
    assert logins == {name: roles.login_role_name(name) for name in ("amina", "bruno")}
