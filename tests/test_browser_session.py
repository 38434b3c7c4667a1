"""A facilitated session served for real: join link, pseudonym and session code carried into the
store, the dashboard gated by the facilitator token, preheated kernels, and the kernel cap."""

from __future__ import annotations

import time
import urllib.error
import urllib.request

import pytest
from harness import voila_server, wait_rendered

from mixedflows.server.serve import ClassSession
from mixedflows.store import Store

pytestmark = pytest.mark.browser


def status_of(url: str) -> int:
    try:
        return urllib.request.urlopen(url, timeout=60).status
    except urllib.error.HTTPError as e:
        return e.code


def wait_for_attempt(store, **filters):
    deadline = time.monotonic() + 15
    while time.monotonic() < deadline:
        rows = Store(store).attempts(**filters)
        if rows:
            return rows
        time.sleep(0.2)
    return []


@pytest.fixture(scope="module")
def session_server(tmp_path_factory):
    session = ClassSession(code="ws-test", pool=2, max_kernels=40)
    store = tmp_path_factory.mktemp("session") / "attempts.sqlite"
    with voila_server(store, session=session) as server:
        # Wait until the two preheated kernels are up.
        deadline = time.monotonic() + 90
        while len(server.kernel_pids()) < 2 and time.monotonic() < deadline:
            time.sleep(0.5)
        yield server


def test_join_link_carries_pseudonym_and_session_into_the_store(session_server, page):
    server = session_server
    page.goto(f"{server.url}/join?session=ws-test")
    page.fill("input[name=learner]", "Officer <b>K</b>")
    page.select_option("select[name=app]", "who_is_in_the_boat.ipynb")
    page.click("button[type=submit]")
    # the name as it would be kept is shown back first, prefilled (test_join_page)
    page.wait_for_selector(".mf-name-changed")
    assert page.input_value("input[name=learner]") == "Officer bKb"
    page.click("button[type=submit]")
    wait_rendered(page, "button.mf-submit")
    assert "learner=" in page.url and "session=ws-test" in page.url
    page.click(".mf-profile-economic input")
    page.select_option(".mf-first-need select", index=1)  # answered: a first need
    page.click("button.mf-submit")
    page.wait_for_selector(".mf-feedback .mf-score", timeout=30_000)
    page.watch.check()
    rows = wait_for_attempt(server.store, session="ws-test")
    assert [r.learner for r in rows] == ["Officer bKb"]  # markup characters stripped from the id


def test_preheated_kernel_serves_the_app(session_server, chromium):
    """With a pool, the page is served by a kernel started before it was requested."""
    server = session_server
    before = set(server.kernel_pids())
    ctx = chromium.new_context()
    pg = ctx.new_page()
    pg.goto(server.app_url("who_is_in_the_boat.ipynb", session="ws-test", learner="pooled"))
    wait_rendered(pg, "button.mf-submit")
    pg.click(".mf-profile-economic input")  # an empty answer is not graded (issue 13.3)
    pg.select_option(".mf-first-need select", index=1)  # answered: a first need
    pg.click("button.mf-submit")
    pg.wait_for_selector(".mf-feedback .mf-score", timeout=30_000)
    rows = wait_for_attempt(server.store, learner="pooled")
    assert rows and rows[0].session == "ws-test"
    # The kernel that served the page was one of the preheated ones.
    assert before & set(server.kernel_pids())
    ctx.close()


def test_dashboard_needs_the_facilitator_token(session_server):
    server = session_server
    url = f"{server.url}/voila/render/facilitator_dashboard.ipynb"
    assert status_of(url) == 403
    assert status_of(url + "?facilitator=wrong") == 403
    token = server.session.token
    assert status_of(f"{url}?facilitator={token}&session=ws-test") != 403


def test_kernel_cap_gives_a_friendly_page(tmp_path, chromium):
    from harness import apps_root

    session = ClassSession(code="cap", pool=0, max_kernels=1)
    root = apps_root(tmp_path / "apps", "empty.ipynb")
    with voila_server(tmp_path / "a.sqlite", session=session, root=root) as server:
        ctx = chromium.new_context()
        first = ctx.new_page()
        first.goto(server.app_url("empty.ipynb", learner="first"))
        wait_rendered(first, ".jp-OutputArea-output")
        second = ctx.new_page()
        # Another participant on the same laptop (the same participant's second tab would
        # take over the first tab's kernel: one kernel per participant and app).
        resp = second.goto(server.app_url("empty.ipynb", learner="second"))
        assert resp.status == 503
        assert "room is full" in second.inner_text("body")
        assert "Traceback" not in second.content()
        assert len(server.kernel_pids()) == 1
        ctx.close()


def test_no_traceback_reaches_a_participant(tmp_path, page):
    """A failing cell shows a friendly line on the page; the detail stays in the server log."""
    import nbformat
    from harness import VoilaServer

    root = tmp_path / "apps"
    root.mkdir()
    nb = nbformat.v4.new_notebook()
    nb.cells = [nbformat.v4.new_code_cell("raise ValueError('secret internals')")]
    nb.metadata["kernelspec"] = {
        "name": "python3",
        "display_name": "Python 3",
        "language": "python",
    }
    nbformat.write(nb, root / "broken.ipynb")
    server = VoilaServer(store=tmp_path / "a.sqlite", root=root).start()
    try:
        page.goto(server.app_url("broken.ipynb"))
        page.wait_for_selector(".mf-app-error", timeout=60_000)
        text = page.inner_text("body")
        assert "could not be shown" in text
        for leak in ("Traceback", "secret internals", "ValueError"):
            assert leak not in page.content()
    finally:
        server.stop()


def test_a_page_cannot_run_code_in_its_kernel(voila, page, tmp_path):
    """Only widget messages reach the kernel: an execute_request sent by hand is dropped, and
    the widgets still work afterwards."""
    marker = tmp_path / "pwned"
    page.goto(voila.app_url("who_is_in_the_boat.ipynb", learner="probe"))
    wait_rendered(page, "button.mf-submit")
    sent = page.evaluate(
        """async (path) => {
          const cfg = JSON.parse(document.getElementById('jupyter-config-data').textContent);
          const url = `ws://${location.host}/api/kernels/${cfg.kernelId}/channels`;
          const ws = new WebSocket(url);
          await new Promise((ok, ko) => { ws.onopen = ok; ws.onerror = ko; });
          const id = String(Math.random());
          ws.send(JSON.stringify({
            header: {msg_id: id, msg_type: 'execute_request', username: 'x', session: id,
                     version: '5.3', date: new Date().toISOString()},
            parent_header: {}, metadata: {}, channel: 'shell', buffers: [],
            content: {code: `open(${JSON.stringify(path)}, 'w').write('x')`, silent: false,
                      store_history: false, user_expressions: {}, allow_stdin: false}}));
          await new Promise((ok) => setTimeout(ok, 3000));
          ws.close();
          return true;
        }""",
        str(marker),
    )
    assert sent
    assert not marker.exists()
    # The app still answers (one person answered: an empty submit is not graded, issue 13.3).
    page.select_option(".mf-first-need select", index=1)
    page.click("button.mf-submit")
    page.wait_for_selector(".mf-feedback .mf-score", timeout=30_000)
    assert "dropped a 'execute_request'" in voila.log()
