"""A facilitated session's module page, as a participant meets it (cold trial of the debriefs
panel: the dashboard said a debrief was open, and a participant had nowhere to see it).

A server started as ``./mfl facilitate --session T2 --apps stranded_migrants.ipynb`` starts it
(the course's widgets/ folder, the session's environment): the app's page links to module 6's
page, which the server serves (no code shown, the participant's seat as for the app); its
debrief stays closed for a participant with no attempt until the facilitator opens it for the
session, then shows after Show the debrief; axe finds no serious violation on the page. A module
page of no session app is still a 404."""

from __future__ import annotations

import re
import time
import urllib.error
import urllib.request

import pytest
from a11y import serious_violations
from harness import new_page, voila_server, wait_rendered

from mixedflows.debriefs import LINK, gated_debriefs, where_seen
from mixedflows.server.serve import ClassSession
from mixedflows.store import Store
from mixedflows.widgets.debrief_room import confirmation

pytestmark = pytest.mark.browser

SESSION = "T2"
APP = "stranded_migrants.ipynb"
M6 = next(d for d in gated_debriefs() if d.module == 6)


@pytest.fixture(scope="module")
def session_server(tmp_path_factory):
    session = ClassSession(code=SESSION, apps=(APP,), pool=0, max_kernels=10)
    store = tmp_path_factory.mktemp("session-module") / "attempts.sqlite"
    with voila_server(store, session=session) as server:
        yield server


def _first_point(debrief) -> str:
    """The debrief's first point, as the page shows it (its Markdown's bold marks dropped)."""
    first = str(debrief.prepare()).splitlines()[0]
    return re.sub(r"[*_`]", "", first.removeprefix("- "))[:40]


def test_the_panel_says_where_participants_see_it():
    said = confirmation(SESSION, M6)
    assert f"on the page of module 6 ({M6.notebook})" in said
    assert f"“{LINK}”" in said and "“Stranded migrants”" in said
    assert where_seen(M6) in said


def test_a_participant_sees_the_opened_debrief_on_the_module_page(session_server, chromium):
    server = session_server
    ctx, page, watch = new_page(chromium)
    try:
        # Joined as the room joins: the join page's link to the app.
        page.goto(
            f"{server.url}/join?session={SESSION}&learner=dana&app={APP}", wait_until="commit"
        )
        link = page.locator(".mf-module-link a")
        link.wait_for(state="visible", timeout=240_000)
        assert link.inner_text().strip() == LINK
        href = link.get_attribute("href")
        assert href.endswith(f"/voila/render/{M6.notebook}?session={SESSION}&learner=dana"), href
        link.click()
        wait_rendered(page, ".mf-debrief-gate button.mf-debrief-show", timeout=240_000)
        assert page.url.split("?")[0].endswith(M6.notebook)
        gate = page.locator(".mf-debrief-gate").first
        assert "Submit the exercise above first" in gate.inner_text()
        body = page.inner_text("body")
        assert "after_attempt(" not in body and "import " not in body  # no code shown
        assert _first_point(M6)[:25] not in body  # no answer before the gate opens
        problems = serious_violations(page)
        assert not problems, f"{M6.notebook}, gate closed:\n" + "\n".join(problems)

        # The facilitator opens it for the room, as the dashboard's panel does.
        with Store(server.store) as s:
            for e in M6.exercise_ids:
                s.open_debrief(session=SESSION, exercise_id=e)
        page.locator(".mf-debrief-gate button.mf-debrief-show").first.click()
        point = _first_point(M6)
        page.wait_for_function(
            "t => document.querySelector('.mf-debrief-gate').innerText.includes(t)",
            arg=point[:25],
            timeout=60_000,
        )
        assert "Submit the exercise above first" not in gate.inner_text()
        with Store(server.store) as s:
            assert s.attempts(learner="dana") == []
        page.wait_for_timeout(400)
        problems = serious_violations(page)
        assert not problems, f"{M6.notebook}, debrief shown:\n" + "\n".join(problems)
        # Leaving the app for the module page freed the app's kernel (its shutdown beacon, which
        # the browser reports aborted as the page goes): one kernel left, the module page's.
        deadline = time.monotonic() + 20
        while len(server.kernel_pids()) > 1 and time.monotonic() < deadline:
            time.sleep(0.2)
        assert len(server.kernel_pids()) == 1, server.log()
        watch.errors = [
            e for e in watch.errors if not ("/voila/api/shutdown/" in e and "ERR_ABORTED" in e)
        ]
        watch.check()
    finally:
        ctx.close()


def test_module_pages_served_are_the_session_apps_only(session_server, chromium):
    server = session_server
    other = next(d.notebook for d in gated_debriefs() if d.module == 7)
    with pytest.raises(urllib.error.HTTPError) as err:
        urllib.request.urlopen(server.app_url(other, session=SESSION, learner="eve"), timeout=30)
    assert err.value.code == 404
    # The module page holds the participant's seat as the app does: another browser (here, a
    # second request without the first one's seat cookie) cannot take fay's place there.
    url = server.app_url(M6.notebook, session=SESSION, learner="fay")
    with urllib.request.urlopen(url, timeout=30) as first:
        assert first.status == 200
    with pytest.raises(urllib.error.HTTPError) as err:
        urllib.request.urlopen(url, timeout=30)
    assert err.value.code == 409
