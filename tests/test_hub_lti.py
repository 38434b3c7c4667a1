"""Issue 16: an LTI 1.3 launch into the course, with a test platform instead of an LMS.

A test platform on loopback plays the LMS's part: it holds an RSA key, serves its public key as
a JWKS, and answers the hub's OIDC authentication request with a signed id_token. The hub runs
``jupyterhub-ltiauthenticator``'s LTI13Authenticator with the settings of
deployment/z2jh/values.yaml (``hub.config.LTI13Authenticator``), only the platform's addresses
and the scheme (http on loopback) replaced. In Chromium, as a learner's browser would:

1. the platform's launch page posts the login initiation (``iss``, ``login_hint``,
   ``target_link_uri``, ``client_id``) to the hub's ``/hub/lti13/oauth_login``;
2. the hub redirects to the platform's authorization URL with a state and a nonce;
3. the platform signs an id_token (the learner's ``sub``, and a name and an e-mail the course
   must not use) and posts it, with the state, to the hub's ``/hub/lti13/oauth_callback``;
4. the hub checks the signature against the platform's JWKS, the state and the nonce, and logs
   the learner in under the ``sub``.

The learner then answers module 1 on their own server; the attempt lands in the PostgreSQL
store under the ``sub`` (through their own login role), and neither their name nor their e-mail
is in the store or the hub's user list. A launch whose id_token is signed with another key is
refused and logs no one in.
"""

from __future__ import annotations

import html
import json
import sqlite3
import threading
import time
import uuid
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs, urlsplit

import jwt
import pytest
import yaml
from cryptography.hazmat.primitives.asymmetric import rsa
from harness import PageWatch
from test_hub import FACILITATORS, ROOT, answer_module_1

from mixedflows.exercises import load_exercise
from mixedflows.grading import cohort_reference
from mixedflows.store import Store

pytest_plugins = ["pg", "shared_hub"]
pytestmark = pytest.mark.browser

LTI = "https://purl.imsglobal.org/spec/lti/claim/"
CLIENT_ID = "mixedflows-test-tool"
LEARNER = {
    "sub": str(uuid.uuid4()),  # what the LMS calls the learner: opaque, stable
    "name": "Amina Diallo",
    "given_name": "Amina",
    "family_name": "Diallo",
    "email": "amina.diallo@example.org",
}


class Platform:
    """A minimal LTI 1.3 platform on loopback: JWKS, launch page, OIDC authorization."""

    def __init__(self) -> None:
        self.key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
        self.rogue = rsa.generate_private_key(public_exponent=65537, key_size=2048)
        self.kid = "platform-key-1"
        self.hub = ""  # set once the hub runs
        self.users = {"hint-amina": LEARNER, "hint-rogue": {**LEARNER, "sub": "rogue-sub"}}
        self.auth_requests: list[dict[str, str]] = []
        platform = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *args) -> None:  # quiet
                pass

            def do_GET(self) -> None:
                url = urlsplit(self.path)
                q = {k: v[0] for k, v in parse_qs(url.query).items()}
                if url.path == "/jwks":
                    self._send(json.dumps(platform.jwks()), "application/json")
                elif url.path.startswith("/launch/"):
                    self._send(platform.launch_page(url.path.removeprefix("/launch/")))
                elif url.path == "/auth":
                    status, page = platform.authorize(q)
                    self._send(page, status=status)
                else:
                    self._send("not found", status=404)

            def _send(self, body: str, ctype: str = "text/html", status: int = 200) -> None:
                data = body.encode("utf-8")
                self.send_response(status)
                self.send_header("Content-Type", f"{ctype}; charset=utf-8")
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}"
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    def __enter__(self) -> Platform:
        self.thread.start()
        return self

    def __exit__(self, *exc) -> None:
        self.server.shutdown()
        self.server.server_close()

    def jwks(self) -> dict:
        jwk = json.loads(jwt.algorithms.RSAAlgorithm.to_jwk(self.key.public_key()))
        return {"keys": [{**jwk, "kid": self.kid, "alg": "RS256", "use": "sig"}]}

    @staticmethod
    def _form(action: str, fields: dict[str, str]) -> str:
        inputs = "".join(
            f'<input type="hidden" name="{html.escape(k)}" value="{html.escape(v)}">'
            for k, v in fields.items()
        )
        return (
            f'<!doctype html><html><body><form id="f" method="post" '
            f'action="{html.escape(action)}">{inputs}</form>'
            "<script>document.getElementById('f').submit()</script></body></html>"
        )

    def launch_as(self, sub: str) -> str:
        """The launch page's address for a user whose ``sub`` is ``sub`` (no name, no e-mail):
        how tests/test_hub.py's facilitators and learners log in."""
        hint = f"hint-user-{sub}"
        self.users.setdefault(hint, {"sub": sub})
        return f"{self.url}/launch/{hint}"

    def launch_page(self, hint: str) -> str:
        """The LMS page a learner's click opens: the third-party login initiation."""
        return self._form(
            f"{self.hub}/hub/lti13/oauth_login",
            {
                "iss": self.url,
                "login_hint": hint,
                "target_link_uri": f"{self.hub}/hub",
                "client_id": CLIENT_ID,
                "lti_message_hint": hint,
                "lti_deployment_id": "1",
            },
        )

    def authorize(self, q: dict[str, str]) -> tuple[int, str]:
        """The OIDC authentication request: check it, answer with a signed id_token."""
        self.auth_requests.append(q)
        expected = {
            "client_id": CLIENT_ID,
            "response_type": "id_token",
            "response_mode": "form_post",
            "scope": "openid",
            "prompt": "none",
        }
        wrong = {k: q.get(k) for k, v in expected.items() if q.get(k) != v}
        redirect = q.get("redirect_uri", "")
        if wrong or not redirect.startswith(f"{self.hub}/hub/lti13/oauth_callback"):
            return 400, f"bad authentication request: {wrong} {redirect}"
        if not q.get("nonce") or not q.get("state"):
            return 400, "no nonce or state"
        user = self.users[q["login_hint"]]
        now = int(time.time())
        claims = {
            **user,
            "iss": self.url,
            "aud": CLIENT_ID,
            "iat": now,
            "exp": now + 300,
            "nonce": q["nonce"],
            LTI + "message_type": "LtiResourceLinkRequest",
            LTI + "version": "1.3.0",
            LTI + "deployment_id": "1",
            LTI + "target_link_uri": f"{self.hub}/hub",
            LTI + "resource_link": {"id": "mixedflows-module-1"},
            LTI + "roles": ["http://purl.imsglobal.org/vocab/lis/v2/membership#Learner"],
            LTI + "context": {"id": "course-1", "label": "MF101", "title": "Mixed flows"},
        }
        key = self.rogue if q["login_hint"] == "hint-rogue" else self.key
        token = jwt.encode(claims, key, algorithm="RS256", headers={"kid": self.kid})
        return 200, self._form(redirect, {"id_token": token, "state": q["state"]})


def lti_auth(platform: Platform) -> dict:
    """The values file's LTI settings, with the test platform's addresses."""
    values = yaml.safe_load((ROOT / "deployment/z2jh/values.yaml").read_text(encoding="utf-8"))
    cfg = values["hub"]["config"]
    lti = {
        **cfg["LTI13Authenticator"],
        "issuer": platform.url,
        "client_id": [CLIENT_ID],
        "authorize_url": f"{platform.url}/auth",
        "jwks_endpoint": f"{platform.url}/jwks",
        "uri_scheme": "http",  # loopback; the values file says https
    }
    return {
        "class": cfg["JupyterHub"]["authenticator_class"],
        "config": {"LTI13Authenticator": lti, "Authenticator": cfg["Authenticator"]},
    }


def hub_users(folder) -> list[str]:
    con = sqlite3.connect(folder / "hub.sqlite")
    try:
        return sorted(r[0] for r in con.execute("SELECT name FROM users"))
    finally:
        con.close()


def test_an_lti_launch_logs_the_learner_in_under_a_pseudonym(shared_hub, chromium):
    """On the run's hub (tests/shared_hub.py: the values file's LTI settings, this module's
    platform), which tests/test_hub.py's users reach by launches of their own."""
    ex = load_exercise("m1_who_is_in_the_boat")
    first_ref = next(iter(cohort_reference(ex).values()))
    sub = LEARNER["sub"]
    hub, platform = shared_hub.url, shared_hub.platform
    # A launch signed with a key the platform's JWKS does not hold: refused, no one in.
    ctx = chromium.new_context()
    try:
        page = ctx.new_page()
        page.goto(f"{platform.url}/launch/hint-rogue")
        page.wait_for_url("**/hub/lti13/oauth_callback*", timeout=60_000)
        page.wait_for_load_state()
        assert "rogue-sub" not in hub_users(shared_hub.folder)
        resp = page.goto(f"{hub}/hub/spawn")  # not logged in: sent to the login
        assert resp is not None and "/hub/user/" not in page.url
    finally:
        ctx.close()

    # The learner's launch from the LMS.
    ctx = chromium.new_context(viewport={"width": 1280, "height": 1000})
    try:
        page = ctx.new_page()
        page.watch = PageWatch()
        page.watch.attach(page)
        page.goto(f"{platform.url}/launch/hint-amina")
        page.wait_for_url(f"{hub}/hub/**", timeout=60_000)
        page.wait_for_selector(f"text={sub}", timeout=60_000)  # the hub greets them so
        assert "lti13" not in page.url
        (auth,) = [a for a in platform.auth_requests if a["login_hint"] == "hint-amina"]
        assert auth["redirect_uri"] == f"{hub}/hub/lti13/oauth_callback"
        answer_module_1(page, hub, sub, "", first_ref)
    finally:
        ctx.close()
    users = hub_users(shared_hub.folder)

    # The learner's hub username is the LMS's sub; the rogue launch made no user (the others are
    # the facilitators the hub's configuration names, and the subs of the other tests' launches,
    # Platform.launch_as).
    others = {u["sub"] for hint, u in platform.users.items() if hint.startswith("hint-user-")}
    assert sub in users
    assert set(users) - {sub} <= set(FACILITATORS) | others, users
    with Store(shared_hub.store_url) as s:
        attempts = s.attempts(learner=sub)
        dump = json.dumps(
            [s.backend.execute(f"SELECT * FROM {t}") for t in ("attempts", "learner_logins")],
            default=str,
        )
    assert [a.exercise_id for a in attempts] == [ex.id]
    for real in (LEARNER["name"], LEARNER["email"], LEARNER["family_name"]):
        assert real not in dump and real not in users
