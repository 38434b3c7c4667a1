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


def test_a_pseudonym_kept_otherwise_than_typed_is_shown_back_before_joining(tmp_path, page):
    """A cold trial typed ``{{7*7}}`` and was recorded as ``77`` without a word: the join page
    now says what a pseudonym keeps and the name it would record, prefilled, and joins with it
    only when pressed again; a name of which nothing is kept is refused, not "anonymous"."""
    from mixedflows.store import clean_pseudonym

    session = ClassSession(code="j3", apps=("who_is_in_the_boat.ipynb",), max_kernels=5)
    with voila_server(tmp_path / "c.sqlite", session=session) as server:
        page.goto(f"{server.url}/join?session=j3")
        typed = "{{7*7}} <b>Ana</b>"
        page.fill("input[name=learner]", typed)
        page.click("button[type=submit]")
        alert = page.locator(".mf-name-changed")
        alert.wait_for()
        kept = clean_pseudonym(typed)
        assert kept != typed and f"recorded as {kept}" in alert.inner_text()
        assert page.input_value("input[name=learner]") == kept
        assert "/voila/render/" not in page.url  # not joined yet
        page.click("button[type=submit]")  # the name shown, accepted
        wait_rendered(page, "button.mf-submit")
        assert f"learner={kept.replace(' ', '+')}" in page.url
        # the app says the name the facilitator sees, once
        identity = page.locator(".mf-identity")
        identity.wait_for()
        assert identity.count() == 1
        assert f"recorded as {kept} in session j3" in identity.inner_text()
        page.watch.check()

        other = page.context.new_page()  # refused with a 400, which the console reports
        other.goto(f"{server.url}/join?session=j3")
        other.fill("input[name=learner]", "!!! ???")
        other.click("button[type=submit]")
        refused = other.locator(".mf-name-unseen")
        refused.wait_for()
        assert "none of what you typed" in refused.inner_text()
        assert "/voila/render/" not in other.url
