"""Issue 15 hostile cold trial (blocker): with "Ada" seated in one browser, another browser
opening ``...?session=T&learner=Ada&learner=Mal`` got the app as Ada, because the server's seat
check read the last ``learner`` (Tornado) and the kernel the first (``parse_qs``); with
``learner=Ada&learner=`` the empty last one skipped the seat check. Now both read a link with
one parser (:func:`mixedflows.server.session.parse_query`), and a link giving an identity
parameter twice, or empty, is refused (400) on every app."""

from __future__ import annotations

import http.cookiejar
import urllib.error
import urllib.request

import pytest
from harness import voila_server

from mixedflows.server import session as who
from mixedflows.server.serve import ClassSession

CODE = "T15"
APPS = (
    "cooperation_roles.ipynb",
    "screening_desk.ipynb",
    "who_is_in_the_boat.ipynb",
    "season_on_the_route.ipynb",
)


# -- the one parser ---------------------------------------------------------------------------------
@pytest.mark.parametrize(
    "qs",
    [
        "session=T15&learner=Ada&learner=Mal",
        "session=T15&learner=Mal&learner=Ada",
        "session=T15&learner=Ada&learner=",
        "session=T15&learner=&learner=Ada",
        "session=T15&learner=",
        "session=T15&learner=%20",
        "session=T15&session=X&learner=Ada",
        "learner=Ada&facilitator=a&facilitator=b",
    ],
)
def test_an_ambiguous_link_is_refused_by_the_one_parser(qs, monkeypatch):
    with pytest.raises(who.AmbiguousIdentityError):
        who.parse_query(qs)
    # The kernel reads the link with the same parser: it never takes one of two names.
    monkeypatch.setenv("QUERY_STRING", qs)
    monkeypatch.delenv("MIXEDFLOWS_LEARNER", raising=False)
    monkeypatch.delenv("JUPYTERHUB_USER", raising=False)
    with pytest.raises(who.AmbiguousIdentityError):
        who.query_params()


def test_a_plain_link_reads_as_before():
    assert who.parse_query("session=T15&learner=Ada&scenario=a&scenario=b") == {
        "session": "T15",
        "learner": "Ada",
        "scenario": "a",
    }
    assert who.parse_query("learner=&app=x", allow_empty=True) == {"learner": "", "app": "x"}


# -- over HTTP, on a facilitated session ------------------------------------------------------------
class _NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


def _browser():
    jar = http.cookiejar.CookieJar()
    return urllib.request.build_opener(urllib.request.HTTPCookieProcessor(jar), _NoRedirect())


def _get(opener, url: str) -> tuple[int, str]:
    try:
        with opener.open(url, timeout=120) as r:
            return r.status, r.read().decode("utf-8", "replace")
    except urllib.error.HTTPError as e:
        return e.code, e.read().decode("utf-8", "replace")


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    session = ClassSession(code=CODE, apps=APPS, pool=0, max_kernels=6)
    store = tmp_path_factory.mktemp("identity") / "attempts.sqlite"
    with voila_server(store, session=session) as srv:
        yield srv


def test_a_seat_cannot_be_taken_by_repeating_the_learner(server):
    ada, mal = _browser(), _browser()
    status, _ = _get(ada, f"{server.url}/join?session={CODE}&learner=Ada&app={APPS[0]}")
    assert status == 302  # Ada's browser holds the seat now
    base = f"{server.url}/voila/render/"
    hostile = [
        f"session={CODE}&learner=Ada&learner=Mal",
        f"session={CODE}&learner=Mal&learner=Ada",
        f"session={CODE}&learner=Ada&learner=",
        f"session={CODE}&learner=",
        f"session={CODE}&session=other&learner=Ada",
    ]
    for app in APPS:
        for qs in hostile:
            status, body = _get(mal, f"{base}{app}?{qs}")
            print(f"{app}?{qs}: {status}")
            assert status == 400, (app, qs, status)
            assert "kernelId" not in body  # no page, no kernel, no attempt as anyone
            assert "join" in body and "This link gives" in body
        # The plain link with Ada's name is still Ada's browser's only (the seat check).
        status, _ = _get(mal, f"{base}{app}?session={CODE}&learner=Ada")
        assert status == 409
    assert server.kernel_pids() == []
    # The join page reads one name too.
    status, _ = _get(mal, f"{server.url}/join?session={CODE}&learner=Mal&learner=Ada")
    assert status == 400


@pytest.mark.browser
def test_in_chromium_a_repeated_learner_gets_no_app(server, chromium):
    other = chromium.new_context()
    try:
        p2 = other.new_page()
        r = p2.goto(
            f"{server.url}/voila/render/{APPS[0]}?session={CODE}&learner=Ada&learner=Mal",
            wait_until="load",
        )
        assert r.status == 400
        assert "This link gives 'learner' 2 times" in p2.inner_text("[role=alert]")
        assert not p2.locator("#jupyter-config-data").count()
        p2.click("text=Go to the join page")
        p2.wait_for_selector("input[name=learner]")
        assert f"session={CODE}" in p2.url
    finally:
        other.close()


def test_in_a_session_an_app_without_a_pseudonym_goes_to_the_join_page(server):
    """Issue 15 hostile trial (major 2): a session's app link without ``learner`` gave everyone
    the one id kept beside the store (a role and seat the facilitator could not release), and
    the all-apps page linked apps so."""
    browser = _browser()
    for app in APPS:
        status, _ = _get(browser, f"{server.url}/voila/render/{app}")
        assert status == 302
        status, _ = _get(browser, f"{server.url}/voila/render/{app}?session={CODE}")
        assert status == 302
    req = urllib.request.Request(f"{server.url}/voila/render/{APPS[1]}")
    try:
        browser.open(req, timeout=60)
    except urllib.error.HTTPError as e:
        where = e.headers["Location"]
    assert where == f"/join?session={CODE}&app={APPS[1]}"
    status, index = _get(browser, f"{server.url}/")
    assert status == 200
    for app in APPS:
        assert f'href="/join?session={CODE}&amp;app={app}"' in index
    assert "/voila/render/" not in index
    assert server.kernel_pids() == []
    # The join page it leads to offers that app.
    status, page = _get(browser, f"{server.url}{where}")
    assert status == 200 and f'<option value="{APPS[1]}" selected>' in page
