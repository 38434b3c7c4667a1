"""A participant holds one place per app, under a name one can see (issue 11, third cold trial).

- One participant (one seat) opening an app in two tabs held 2 kernels of a 3-kernel room. Now
  the tab opened last takes over: the seat's earlier kernel for that app is shut down, and its
  page says the app is open in another tab.
- A pseudonym of invisible characters (``learner=ﾠ``, U+FFA0) got a seat. Now a name with no
  character one can see is refused, on the join page and in an app link.
"""

from __future__ import annotations

import urllib.error
import urllib.request
from urllib.parse import urlencode

import pytest
from harness import PageWatch, apps_root, voila_server, wait_rendered, wait_until

from mixedflows.server import seats
from mixedflows.server.serve import ClassSession

pytestmark = pytest.mark.browser

CODE = "tabs"
INVISIBLE = ["\uffa0", "\u3164", "\u2800", "\u200b\u200d", "\ufe0f\u034f", "\uffa0\u00a0\u2003"]
"""Names that draw nothing (spaces alone are an empty name, which the join page asks to fill)."""


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("seat-limits")
    session = ClassSession(
        code=CODE, apps=("empty.ipynb",), pool=0, max_kernels=3, unconnected_cull=600
    )
    root = apps_root(tmp / "apps", "empty.ipynb")
    with voila_server(tmp / "a.sqlite", session=session, root=root) as srv:
        yield srv


def test_a_second_tab_of_the_same_participant_takes_over_the_first(server, chromium):
    ctx = chromium.new_context()
    try:
        link = server.app_url("empty.ipynb", session=CODE, learner="Ama")
        first = ctx.new_page()
        first.goto(link, wait_until="commit")
        wait_rendered(first, ".jp-OutputArea-output", timeout=240_000)
        assert len(server.kernel_pids()) == 1
        second = ctx.new_page()
        second.watch = PageWatch()
        second.watch.attach(second)
        second.goto(link, wait_until="commit")
        wait_rendered(second, ".jp-OutputArea-output", timeout=240_000)
        one = wait_until(lambda: len(server.kernel_pids()) == 1, 60)
        first.wait_for_selector(".mf-kernel-lost", timeout=60_000)
        said = first.inner_text(".mf-kernel-lost")
        # Another participant in the same browser (a shared laptop) is another seat.
        third = ctx.new_page()
        third.goto(server.app_url("empty.ipynb", session=CODE, learner="Bo"), wait_until="commit")
        wait_rendered(third, ".jp-OutputArea-output", timeout=240_000)
        kernels = len(server.kernel_pids())
        print(f"Ama in two tabs, Bo in a third: {kernels} kernel(s); the first tab says: {said!r}")
        assert one, f"{len(server.kernel_pids())} kernels for one participant's two tabs"
        assert "opened again under your name in another tab" in said
        assert kernels == 2
        second.wait_for_timeout(1000)
        assert second.locator(".mf-kernel-lost").count() == 0  # the new tab's kernel lives
        second.watch.check()
        assert "opened empty.ipynb again in another tab" in server.log()
    finally:
        ctx.close()


def _status(url: str) -> tuple[int, str]:
    opener = urllib.request.build_opener(_NoRedirect)
    try:
        with opener.open(url, timeout=240) as r:
            return r.status, r.read().decode("utf-8", "replace")
    except urllib.error.HTTPError as e:
        return e.code, e.read().decode("utf-8", "replace")


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


@pytest.mark.parametrize(
    "name", INVISIBLE, ids=[n.encode("unicode_escape").decode() for n in INVISIBLE]
)
def test_a_pseudonym_with_nothing_to_see_gets_no_seat(server, name):
    join = f"{server.url}/join?" + urlencode(
        {"session": CODE, "learner": name, "app": "empty.ipynb"}
    )
    status, body = _status(join)
    assert status == 400 and "no character one can see" in body, (status, body[:400])
    status, body = _status(server.app_url("empty.ipynb", session=CODE, learner=name))
    assert status == 400 and "no character one can see" in body, (status, body[:400])
    held = [p for p, _since in seats.held(CODE, _seats_file(server))]
    assert all(seats.visible(p) for p in held), held


def test_a_visible_name_still_joins(server):
    join = f"{server.url}/join?" + urlencode(
        {"session": CODE, "learner": "Ïñés ﾠ", "app": "empty.ipynb"}
    )
    status, _body = _status(join)
    assert status == 302
    assert "Ïñés ﾠ" in [p for p, _ in seats.held(CODE, _seats_file(server))]


def _seats_file(server):
    return server.store.parent / f"voila-{server.port}" / "seats.json"


def test_what_counts_as_visible():
    assert not any(seats.visible(n) for n in [*INVISIBLE, "", " ", "\u0301", "\U000e0041"])
    assert all(seats.visible(n) for n in ["a", "é", "Ж", "😀", "李", "-", "a\u200b"])
    # An invisible character no longer makes another seat of a name.
    assert seats.seat_key("ali\u200bce") == seats.seat_key("Alice")
