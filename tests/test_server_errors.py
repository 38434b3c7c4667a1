"""Errors reach the facilitator, not the participant (issue 11, point 7).

Store and callback tracebacks went to the participant's browser as stderr messages, with the
store's path or the PostgreSQL host, user and database, and none of it reached the server's
log. Here a real Voila server serves apps that fail on purpose, Chromium records every websocket
frame the page receives, and the details must be in the server's log and nowhere on the page.
"""

from __future__ import annotations

import urllib.error
import urllib.request

import nbformat
import pytest
from harness import VoilaServer, apps_root, voila_server, wait_rendered, wait_until

from mixedflows.server.serve import ClassSession

pytestmark = pytest.mark.browser

LEAKY = """
import logging, sys
import ipywidgets as w
import mixedflows.widgets.common  # the package's log: to the server's log in a kernel
log = logging.getLogger("mixedflows")
log.warning("render-time log: store /secret/render-log.sqlite unusable")
print("render-time stderr: postgresql://alice@db.internal/secret_render", file=sys.stderr)
go = w.Button(description="Go")
go.add_class("mf-go")
out = w.HTML("ready")
out.add_class("mf-out")

def boom(_):
    print("callback stderr: /secret/callback-stderr.sqlite", file=sys.stderr)
    log.error("callback log: postgresql://alice@db.internal/secret_callback")
    out.value = "clicked"
    raise ValueError("secret-callback-traceback")

go.on_click(boom)
w.VBox([go, out])
"""


def _leaky_root(folder):
    folder.mkdir(parents=True, exist_ok=True)
    nb = nbformat.v4.new_notebook()
    nb.cells = [nbformat.v4.new_code_cell(LEAKY)]
    nb.metadata["kernelspec"] = {
        "name": "python3",
        "display_name": "Python 3",
        "language": "python",
    }
    nbformat.write(nb, folder / "leaky.ipynb")
    return folder


def _frames(page) -> list[str]:
    frames: list[str] = []

    def on_ws(ws):
        ws.on(
            "framereceived",
            lambda f: frames.append(f if isinstance(f, str) else f.decode("utf-8", "replace")),
        )

    page.on("websocket", on_ws)
    return frames


def test_tracebacks_and_stderr_go_to_the_log_not_the_page(tmp_path, page, chromium):
    """...and to the facilitator's dashboard, under "Problems on the server"."""
    session = ClassSession(code="leak", apps=("leaky.ipynb",), max_kernels=5)
    root = _leaky_root(apps_root(tmp_path / "apps"))
    server = VoilaServer(store=tmp_path / "a.sqlite", root=root, session=session).start()
    try:
        frames = _frames(page)
        page.goto(server.app_url("leaky.ipynb", learner="leaky"))
        wait_rendered(page, ".mf-go")
        page.click(".mf-go")
        page.wait_for_selector(".mf-out:has-text('clicked')", timeout=30_000)
        details = (
            "secret-callback-traceback",
            "/secret/callback-stderr.sqlite",
            "secret_callback",
            "/secret/render-log.sqlite",
        )
        # The traceback and the log lines have arrived once the server logged them (what the
        # server passed on to the page it had passed on by then).
        wait_until(lambda: all(d in server.log() for d in details), 30, every=0.2)
        seen = "\n".join(frames) + page.content()
        markers = ("/secret/", "secret_", "secret-", "alice", "db.internal", "Traceback")
        leaks = [s for s in markers if s in seen]
        log = server.log()
        print(f"{len(frames)} websocket frames received by the page; leaks: {leaks}")
        assert leaks == []
        for detail in details:
            assert detail in log, (detail, log[-4000:])
        # The facilitator's dashboard lists them (the participant's page did not).
        ctx = chromium.new_context()
        dash = ctx.new_page()
        dash.goto(
            server.app_url(
                "facilitator_dashboard.ipynb", session="leak", facilitator=session.token
            ),
            wait_until="commit",
        )
        wait_rendered(dash, ".mf-problems li", timeout=240_000)
        problems = dash.inner_text(".mf-problems")
        print(f"dashboard, problems on the server: {problems[:300]!r}")
        assert "secret-callback-traceback" in problems and "secret_callback" in problems
        ctx.close()
        # The facilitator's key opens the dashboard: the server's log does not hold it.
        # A request refused with the key in it (4xx lines are logged) does not log it either.
        refused = server.app_url(
            "facilitator_dashboard.ipynb", facilitator=session.token, template="lab"
        )
        with pytest.raises(urllib.error.HTTPError):
            urllib.request.urlopen(refused, timeout=60)
        wait_until(lambda: "facilitator=***" in server.log(), 10, every=0.1)
        assert session.token not in server.log() and "facilitator=***" in server.log()
    finally:
        server.stop()


def test_a_store_fault_shows_a_kind_line_and_logs_the_details(tmp_path, page):
    """The module 1 app with a PostgreSQL store that cannot be reached: the participant reads
    that the attempt was kept (or not saved), never the host, user or database; the server's
    log has them."""
    url = "postgresql://alice:s3cret@127.0.0.1:9/secret_course_db"
    home = tmp_path / "home"
    home.mkdir()
    with voila_server(
        tmp_path / "a.sqlite",
        root=apps_root(tmp_path / "apps"),
        extra_env={"MIXEDFLOWS_STORE": url, "HOME": str(home)},
    ) as server:
        frames = _frames(page)
        page.goto(server.app_url("who_is_in_the_boat.ipynb", learner="k"))
        wait_rendered(page, "button.mf-submit")
        page.click(".mf-profile-economic input")
        page.select_option(".mf-first-need select", index=1)  # answered: a first need
        logged = server.log().count("secret_course_db")
        page.click("button.mf-submit")
        page.wait_for_selector(".mf-msg", timeout=60_000)
        # The submission's store fault has arrived once the server logged it.
        wait_until(lambda: server.log().count("secret_course_db") > logged, 30, every=0.2)
        text = page.inner_text("body")
        seen = "\n".join(frames) + page.content()
        leaks = [s for s in ("alice", "s3cret", "secret_course_db", "127.0.0.1:9") if s in seen]
        print(f"page says: {page.inner_text('.mf-msg')[:200]!r}; leaks: {leaks}")
        assert leaks == []
        assert "kept" in text or "NOT saved" in text
        assert "secret_course_db" in server.log()
