"""Issue 16: the Zero to JupyterHub deployment folder.

The values file parses; every chart setting deployment/README.md names exists in it; the
per-learner limits are the ones docs/capacity_plan.md derives, by its stated rules, from the
figures benchmarks/capacity.py printed (recomputed here from the quoted output); no secret is
committed; the store's URL, the facilitators' role and the LTI login are wired as the guide says.
"""

from __future__ import annotations

import math
import re
from pathlib import Path
from typing import Any

import pytest
import yaml

ROOT = Path(__file__).resolve().parents[1]
DEPLOY = ROOT / "deployment"
VALUES = DEPLOY / "z2jh" / "values.yaml"
DASHBOARD = DEPLOY / "z2jh" / "dashboard.yaml"
GUIDE = DEPLOY / "README.md"
PLAN = ROOT / "docs" / "capacity_plan.md"

_MISSING = object()


@pytest.fixture(scope="module")
def values() -> dict[str, Any]:
    data = yaml.safe_load(VALUES.read_text(encoding="utf-8"))
    assert isinstance(data, dict)
    return data


def lookup(tree: Any, dotted: str) -> Any:
    """``a.b.c`` in nested dicts, or ``_MISSING``."""
    node = tree
    for part in dotted.split("."):
        if not isinstance(node, dict) or part not in node:
            return _MISSING
        node = node[part]
    return node


def test_lookup_tells_a_missing_key():
    assert lookup({"a": {"b": 1}}, "a.b") == 1
    assert lookup({"a": {"b": 1}}, "a.c") is _MISSING
    assert lookup({"a": 1}, "a.b") is _MISSING


def guide_keys() -> list[str]:
    text = GUIDE.read_text(encoding="utf-8")
    return sorted(set(re.findall(r"`((?:hub|singleuser|cull|proxy)\.[A-Za-z0-9_.-]+)`", text)))


def test_every_setting_the_guide_names_is_in_the_values_file(values):
    keys = guide_keys()
    assert len(keys) >= 15, keys  # the guide names the settings it asks the team to change
    missing = [k for k in keys if lookup(values, k) is _MISSING]
    assert not missing, f"deployment/README.md names settings absent from values.yaml: {missing}"


def test_the_guide_names_the_files_it_relies_on():
    text = GUIDE.read_text(encoding="utf-8")
    for rel in ("z2jh/values.yaml", "z2jh/dashboard.yaml", "image/Dockerfile"):
        assert f"`{rel}`" in text
        assert (DEPLOY / rel).is_file(), rel
    assert "docs/capacity_plan.md" in text and PLAN.is_file()


# --- the limits, from the capacity plan's quoted output -------------------------------------


def plan_figures() -> dict[str, float]:
    """The measured figures in the capacity plan's quoted output of benchmarks/capacity.py."""
    text = PLAN.read_text(encoding="utf-8")
    block = re.search(r"## The printed output\s+```text\n(.*?)```", text, re.S)
    assert block, "docs/capacity_plan.md quotes capacity.py's output in a ```text block"
    out = block.group(1)
    srv = re.search(r"single-user server .*?RSS\s+(\d+) MB\s+USS\s+(\d+) MB", out)
    kernels = re.findall(r"app kernel, .*?RSS\s+(\d+) MB\s+USS\s+(\d+) MB", out)
    per = re.search(r"memory per learner = .* = (\d+) MB", out)
    node = re.search(r"a node has ([\d.]+) GB and (\d+) CPUs", out)
    per_node = re.search(r"learners per node by memory = floor\(.*\) = (\d+)", out)
    dash_request = re.search(r"dashboard pod memory request = .* = (\d+) MB", out)
    dash_limit = re.search(r"dashboard pod memory limit = .* = (\d+) MB", out)
    assert srv and kernels and per and node and per_node, "the quoted output is incomplete"
    assert dash_request and dash_limit, "the quoted output has no dashboard pod figures"
    return {
        "dashboard_request": float(dash_request.group(1)),
        "dashboard_limit": float(dash_limit.group(1)),
        "server_rss": float(srv.group(1)),
        "heaviest_rss": max(float(r) for r, _ in kernels),
        "per_learner": float(per.group(1)),
        "node_cpus": float(node.group(2)),
        "per_node": float(per_node.group(1)),
    }


def derived_limits() -> dict[str, str]:
    """The plan's rules (docs/capacity_plan.md, "Limits for each learner's server")."""
    f = plan_figures()
    return {
        "singleuser.memory.guarantee": f"{f['per_learner']:.0f}M",
        "singleuser.memory.limit": f"{f['server_rss'] + 2 * f['heaviest_rss']:.0f}M",
        "singleuser.cpu.guarantee": f"{math.floor(100 * f['node_cpus'] / f['per_node']) / 100:g}",
        "singleuser.cpu.limit": "1",
    }


def test_limits_equal_the_capacity_plans_figures(values):
    derived = derived_limits()
    table = dict(
        re.findall(
            r"^\| `(singleuser\.[a-z.]+)` \| ([^|]+?) \|$",
            PLAN.read_text(encoding="utf-8"),
            re.M,
        )
    )
    assert table == derived, "the plan's table does not follow from its quoted figures"
    in_values = {
        k: f"{lookup(values, k):g}" if not isinstance(lookup(values, k), str) else lookup(values, k)
        for k in derived
    }
    assert in_values == derived
    # The values file's comment quotes the same arithmetic.
    text = VALUES.read_text(encoding="utf-8")
    assert "docs/capacity_plan.md" in text
    assert f"= {derived['singleuser.memory.guarantee'][:-1]} MB" in text
    assert f"= {derived['singleuser.memory.limit'][:-1]} MB" in text


def test_the_dashboard_pod_has_its_measured_limits():
    """The dashboard service's pod holds one dashboard kernel per facilitator with it open:
    its memory comes from the dashboard kernel's measured figures (the plan's "dashboard pod"
    lines), its CPU as a learner's server."""
    derived = derived_limits()
    f = plan_figures()
    (deployment, service) = list(yaml.safe_load_all(DASHBOARD.read_text(encoding="utf-8")))
    assert deployment["kind"] == "Deployment" and service["kind"] == "Service"
    res = deployment["spec"]["template"]["spec"]["containers"][0]["resources"]
    assert res["requests"]["memory"] == f"{f['dashboard_request']:.0f}M"
    assert res["limits"]["memory"] == f"{f['dashboard_limit']:.0f}M"
    text = PLAN.read_text(encoding="utf-8")
    assert f"{f['dashboard_request']:.0f}M" in text and f"{f['dashboard_limit']:.0f}M" in text
    assert res["requests"]["cpu"] == derived["singleuser.cpu.guarantee"]
    assert res["limits"]["cpu"] == derived["singleuser.cpu.limit"]


# --- secrets ----------------------------------------------------------------------------------

SECRET_WORDS = re.compile(
    r"(token|secret|password|passwd|private|credential|api_?key|^keys?$)", re.I
)
URL_WITH_PASSWORD = re.compile(r"\b[a-z][a-z0-9+.-]*://[^\s:/@]+:(?!PASSWORD@)[^\s@/]+@")
"""A URL with a password in it; the guide's placeholder ``USER:PASSWORD@`` is not one."""


def walk(node: Any, path: str = ""):
    if isinstance(node, dict):
        for k, v in node.items():
            yield from walk(v, f"{path}.{k}" if path else str(k))
    elif isinstance(node, list):
        for i, v in enumerate(node):
            yield from walk(v, f"{path}[{i}]")
    else:
        yield path, node


def committed_secrets(tree: Any) -> list[str]:
    """Paths whose name says secret and whose value is a literal (not a reference)."""
    found = []
    for path, value in walk(tree):
        leaf = re.sub(r"(\[\d+\])+$", "", path).split(".")[-1]
        if "secretKeyRef" in path or path.endswith(".secret.name"):
            continue  # a reference to a k8s Secret, not its value
        if SECRET_WORDS.search(leaf) and value not in (None, "", [], {}):
            found.append(path)
        if isinstance(value, str) and URL_WITH_PASSWORD.search(value):
            found.append(path)
    return found


def test_the_secret_check_can_fail():
    assert committed_secrets({"hub": {"config": {"JupyterHub": {"cookie_secret": "abc"}}}})
    assert committed_secrets({"x": {"apiToken": "t0k3n"}})
    assert committed_secrets({"hub": {"config": {"CryptKeeper": {"keys": ["k"]}}}})
    assert committed_secrets({"env": {"MIXEDFLOWS_STORE": "postgresql://u:pw@db/mf"}})
    assert committed_secrets({"env": {"MIXEDFLOWS_STORE": "postgresql://U:PASSWORD1@db/mf"}})
    assert not committed_secrets({"env": {"MIXEDFLOWS_STORE": "postgresql://U:PASSWORD@db/mf"}})
    assert not committed_secrets(
        {"env": {"S": {"valueFrom": {"secretKeyRef": {"name": "n", "key": "url"}}}}}
    )


def test_no_secret_is_committed(values):
    assert committed_secrets(values) == []
    for doc in yaml.safe_load_all(DASHBOARD.read_text(encoding="utf-8")):
        assert committed_secrets(doc) == []
    for f in DEPLOY.rglob("*"):
        if f.is_file():
            text = f.read_text(encoding="utf-8")
            assert not URL_WITH_PASSWORD.search(text), f"a URL with a password in {f}"


def test_the_store_url_comes_from_a_k8s_secret(values):
    # The owner's URL goes to the hub (for its pre_spawn_hook) and the dashboard, never to a
    # learner's server.
    env = lookup(values, "hub.extraEnv.MIXEDFLOWS_OWNER_STORE")
    assert env == {"valueFrom": {"secretKeyRef": {"name": "mixedflows-store", "key": "url"}}}
    assert lookup(values, "singleuser.extraEnv.MIXEDFLOWS_STORE") is _MISSING
    assert "mixedflows-store" not in yaml.safe_dump(lookup(values, "singleuser"))
    (deployment, _) = list(yaml.safe_load_all(DASHBOARD.read_text(encoding="utf-8")))
    dash_env = {
        e["name"]: e for e in deployment["spec"]["template"]["spec"]["containers"][0]["env"]
    }
    assert dash_env["MIXEDFLOWS_STORE"]["valueFrom"] == env["valueFrom"]
    # The service token is the one the chart generates and keeps in its `hub` Secret.
    assert dash_env["JUPYTERHUB_API_TOKEN"]["valueFrom"]["secretKeyRef"] == {
        "name": "hub",
        "key": "hub.services.facilitator-dashboard.apiToken",
    }
    assert "mixedflows-store" in GUIDE.read_text(encoding="utf-8")


# --- hub wiring ---------------------------------------------------------------------------------


def test_the_dashboard_service_is_for_the_facilitators_group_only(values):
    services = lookup(values, "hub.services")
    assert list(services) == ["facilitator-dashboard"]
    groups = lookup(values, "hub.config.JupyterHub.load_groups")
    assert "facilitators" in groups
    roles = lookup(values, "hub.loadRoles")
    granting = {
        name: role
        for name, role in roles.items()
        if "access:services!service=facilitator-dashboard" in role["scopes"]
        or "access:services" in role["scopes"]
    }
    assert list(granting) == ["facilitator"]
    assert granting["facilitator"]["groups"] == ["facilitators"]
    assert not granting["facilitator"].get("users")
    # No role hands the service to every user.
    assert "user" not in roles


def test_the_image_and_start_page(values):
    assert lookup(values, "singleuser.defaultUrl") == "/lab/tree/START.ipynb"
    assert (ROOT / "START.ipynb").is_file()
    docker = (DEPLOY / "image" / "Dockerfile").read_text(encoding="utf-8")
    lock = (ROOT / "requirements" / "test.lock").read_text(encoding="utf-8")
    pinned = re.search(r'"psycopg\[binary\]==([\d.]+)"', docker)
    assert pinned and f"psycopg=={pinned.group(1)}" in lock.split()
    guide = GUIDE.read_text(encoding="utf-8")
    assert "repo2docker" in guide and "binder/" in guide


def test_idle_culling(values):
    cull = lookup(values, "cull")
    assert cull["enabled"] is True and cull["timeout"] > 0 and cull["every"] > 0


def test_lti_13_login_maps_the_lms_identity_to_a_pseudonym(values):
    assert (
        lookup(values, "hub.config.JupyterHub.authenticator_class")
        == "ltiauthenticator.lti13.auth.LTI13Authenticator"
    )
    lti = lookup(values, "hub.config.LTI13Authenticator")
    for key in ("issuer", "client_id", "authorize_url", "jwks_endpoint"):
        assert lti.get(key), key
    for key in ("issuer", "authorize_url", "jwks_endpoint"):
        assert lti[key].startswith("https://"), key
    # The LMS's opaque user id, never a name or an e-mail.
    assert lti["username_key"] == "sub"


def test_a_hub_users_attempts_are_recorded_under_their_hub_name(monkeypatch):
    """On a hub the learner is the hub user (the LTI `sub`), and a query string cannot make
    them record under someone else's name."""
    from mixedflows.server import session

    monkeypatch.delenv("MIXEDFLOWS_LEARNER", raising=False)
    monkeypatch.setenv("QUERY_STRING", "learner=someone-else")
    monkeypatch.setenv("JUPYTERHUB_USER", "a1b2c3-sub")
    session.learner_id.cache_clear()
    try:
        assert session.learner_id() == "a1b2c3-sub"
        monkeypatch.delenv("JUPYTERHUB_USER")
        session.learner_id.cache_clear()
        assert session.learner_id() == "someone-else"  # without a hub: the join link's name
    finally:
        session.learner_id.cache_clear()


def test_the_hubs_hook_gives_each_learner_a_login_role_of_their_own(values, monkeypatch):
    """The values file's hub.extraConfig sets the spawner's pre_spawn_hook; its pseudonym is the
    one the course records under (clean_pseudonym), and the URL it gives a learner's server is
    the owner's with the learner's login role and a fresh password (the database call itself
    runs in tests/test_hub.py and tests/test_store_roles.py)."""
    import asyncio
    import threading
    import types

    from traitlets.config import Config

    from mixedflows.store import clean_pseudonym, roles

    c = Config()
    ns: dict[str, Any] = {"c": c}
    for snippet in lookup(values, "hub.extraConfig").values():
        exec(snippet, ns)
    hook = c.Spawner.pre_spawn_hook
    assert callable(hook)
    for name in ("amina", "a1b2-c3d4@lms.example.org", "x" * 60, "o'brien; drop", "\x00"):
        assert ns["_mixedflows_pseudonym"](name) == clean_pseudonym(name), name

    calls = []

    def fake_login(owner, who, password):
        calls.append((owner, who, password))
        return roles.with_user(owner, roles.login_role_name(who), password)

    monkeypatch.setitem(ns, "_mixedflows_login", fake_login)
    monkeypatch.setenv("MIXEDFLOWS_OWNER_STORE", "postgresql://owner:PASSWORD@db:5432/mf")
    spawners = [
        types.SimpleNamespace(user=types.SimpleNamespace(name="amina"), environment={})
        for _ in range(2)
    ]
    for sp in spawners:
        # In a thread of its own: a browser test earlier in the session may leave this
        # thread's event loop running (asyncio.run refuses a running loop).
        errors: list[BaseException] = []

        def run(sp=sp, errors=errors) -> None:
            try:
                asyncio.run(hook(sp))
            except BaseException as e:  # re-raised below, in the test's thread
                errors.append(e)

        worker = threading.Thread(target=run)
        worker.start()
        worker.join(60)
        if errors:
            raise errors[0]
    urls = [sp.environment["MIXEDFLOWS_STORE"] for sp in spawners]
    assert all(u.startswith(f"postgresql://{roles.login_role_name('amina')}:") for u in urls)
    assert all(u.endswith("@db:5432/mf") and "owner" not in u for u in urls)
    assert urls[0] != urls[1]  # a new password at each start
    assert {sp.environment["MIXEDFLOWS_LEARNER"] for sp in spawners} == {"amina"}
    assert len(calls[0][2]) >= 16


def test_the_dashboard_service_knows_which_facilitator_opened_it():
    """Its pod puts the hub service's Voila settings on JUPYTER_CONFIG_PATH (the prelaunch hook
    that names the facilitator, src/mixedflows/server/hub.py); the course's own settings, used
    by learners' servers and ./mfl facilitate (whose kernel pools Voila refuses to combine with
    a prelaunch hook), have no hook."""
    (deployment, _) = list(yaml.safe_load_all(DASHBOARD.read_text(encoding="utf-8")))
    env = {e["name"]: e for e in deployment["spec"]["template"]["spec"]["containers"][0]["env"]}
    path = env["JUPYTER_CONFIG_PATH"]["value"]
    assert path == "/home/jovyan/share/jupyter_config_hub_service"  # repo2docker's REPO_DIR
    service_cfg = ROOT / "share" / "jupyter_config_hub_service" / "voila.py"
    assert "prelaunch_hook" in service_cfg.read_text(encoding="utf-8")
    assert not list((ROOT / "share" / "jupyter_config").glob("voila.py"))
    assert "prelaunch_hook" not in (ROOT / "share/jupyter_config/voila.json").read_text()
