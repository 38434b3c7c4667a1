"""The join page offers the facilitator's session apps, first one chosen (issue 13, point 6):
it defaulted to "Policy lab" (the first app in alphabetical order, with nothing to submit), so
a participant who typed a name and pressed Join recorded nothing."""

from __future__ import annotations

import re
import urllib.request

import pytest
from harness import voila_server, wait_rendered

from mixedflows.server.serve import ClassSession

pytestmark = pytest.mark.browser


def _options(html: str) -> list[tuple[str, bool]]:
    return [
        (m.group(1), "selected" in m.group(0))
        for m in re.finditer(r'<option value="([^"]+)"[^>]*>', html)
    ]


def test_the_join_page_offers_the_session_apps_only(tmp_path, page):
    session = ClassSession(
        code="j1", apps=("screening_desk.ipynb", "who_is_in_the_boat.ipynb"), max_kernels=5
    )
    with voila_server(tmp_path / "a.sqlite", session=session) as server:
        html = urllib.request.urlopen(f"{server.url}/join?session=j1", timeout=60).read().decode()
        offered = _options(html)
        print(f"offered: {offered}")
        assert offered == [("screening_desk.ipynb", True), ("who_is_in_the_boat.ipynb", False)]
        assert "policy_lab" not in html

    one = ClassSession(code="j2", apps=("who_is_in_the_boat.ipynb",), max_kernels=5)
    with voila_server(tmp_path / "b.sqlite", session=one) as server:
        page.goto(f"{server.url}/join?session=j2")
        assert _options(page.content()) == [("who_is_in_the_boat.ipynb", True)]
        page.fill("input[name=learner]", "Officer K")
        page.click("button[type=submit]")  # nothing chosen: the session's app
        wait_rendered(page, "button.mf-submit")
        assert "/voila/render/who_is_in_the_boat.ipynb" in page.url and "session=j2" in page.url
        page.watch.check()
