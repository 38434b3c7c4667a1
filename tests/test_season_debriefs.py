"""The capstone's debrief as a PDF (issue 15: "a debrief report the learner can download (HTML
or PDF)"; the PDF was not done). No PDF library is in the course's locks, so the debrief is a
printable page: print styles (A4, a stage kept with its heading, one debrief per sheet) make
the browser's Save as PDF the PDF. The facilitator downloads every season's debrief of a
session from the dashboard, each replayed from the answers the store holds; in Chromium the
set prints to a PDF, one debrief per sheet."""

from __future__ import annotations

import base64
import html
import re

import pytest

from mixedflows.capstone import grade_season, play
from mixedflows.capstone.report import debrief_html, session_debriefs
from mixedflows.store import Store, clean_pseudonym
from mixedflows.widgets.common import Recorder

EX = "m11_season_on_the_route"
SPEC = "port_alba_season"
RESCUE = {
    "port": "alba",
    "on_board": ["care", "medevac", "families", "separate_space", "note_claims"],
    "informed": ["reception", "port_medical", "child_protection", "unhcr"],
}
PLAN = dict(
    medical=3, screening=6, child_protection=2, mediation=6, beds=190, transfers_per_day=200
)
WHOLE = {"rescue": RESCUE, "reception": PLAN, "screening": {}, "postarrival": {}, "policy": {}}
HOSTILE = "<script>alert(1)</script>Ana"


def _seed(store: Store) -> dict[str, dict]:
    """Three seasons in session ws (one learner twice: the last counts), one in another session,
    and one answer no engine can replay."""
    from mixedflows.exercises import load_exercise
    from mixedflows.grading import grade

    ex = load_exercise(EX)
    other_port = {**WHOLE, "rescue": {**RESCUE, "port": "cala"}}
    plays = [
        (HOSTILE, "ws", WHOLE),
        ("bo", "ws", {"rescue": RESCUE, "reception": PLAN}),
        ("bo", "ws", WHOLE),
        ("team Blue", "ws", {**other_port, "team": "Blue"}),
        ("cy", "elsewhere", WHOLE),
    ]
    last = {}
    for who, session, answer in plays:
        rec = Recorder(store, learner=who, session=session)
        answers = {k: v for k, v in answer.items() if k != "team"}
        try:
            result = grade(ex, answers)
        except Exception:
            result = None
        rec.record(EX, answer, result)
        if session == "ws":
            last[clean_pseudonym(who)] = answers  # the id the store records
    Recorder(store, learner="old", session="ws").record(EX, {"rescue": {"port": "atlantis"}}, None)
    return last


def test_each_last_season_of_the_session_replayed_one_per_sheet(store_path):
    store = Store(store_path)
    last = _seed(store)
    got = session_debriefs(store.attempts(session="ws"), "ws")
    assert got is not None
    assert got.shown == tuple(sorted(last, key=str.casefold))  # as recorded, in order
    assert got.not_replayed == ("old",)
    page = got.page
    assert "<script" not in page  # a hostile pseudonym is text
    assert "cy" not in got.shown  # another session's season is not in this one
    for who in got.shown:
        season = play(SPEC, last[who])
        section = page.split(f"<h2>Debrief: {html.escape(who)}</h2>", 1)[1]
        section = section.split('<section class="debrief">', 1)[0]
        assert f"Season score: {grade_season(season).score:.0%}" in section
        assert all(html.escape(c) in section for r in season.records for c in r.choice)
    assert page.count('<section class="debrief">') == len(got.shown)
    assert "break-before:page" in page and "@page{size:A4" in page
    assert "Team: <b>Blue</b>" in page
    # bo's first, incomplete season is not the one shown: the last one is (five stages).
    bo = page.split("<h2>Debrief: bo</h2>", 1)[1].split('<section class="debrief">', 1)[0]
    assert "<h3>5. " in bo
    assert got.filename.startswith("debriefs-ws-") and got.filename.endswith(".html")
    assert session_debriefs(store.attempts(session="elsewhere"), "elsewhere").shown == ("cy",)
    assert session_debriefs([], "ws") is None


def test_the_dashboard_offers_the_season_debriefs_of_its_session(store_path):
    from mixedflows.widgets.dashboard import Dashboard

    store = Store(store_path)
    _seed(store)
    d = Dashboard(store, "ws")
    d.export()
    links = re.findall(
        r'download="([^"]+)" href="data:([^;]+);charset=utf-8;base64,([^"]+)">([^<]+)<',
        d.downloads.value,
    )
    season = [x for x in links if x[0].startswith("debriefs-ws-")]
    assert len(season) == 1 and season[0][1] == "text/html"
    assert "save as PDF" in season[0][3] and "3 (" in season[0][3]
    assert "1 season(s) from an older version not replayed" in season[0][3]
    page = base64.b64decode(season[0][2]).decode()
    assert page.count('<section class="debrief">') == 3 and "Team: <b>Blue</b>" in page
    # A session without a season: no such link.
    empty = Dashboard(store, "elsewhere-none")
    empty.export()
    assert "debriefs-" not in empty.downloads.value


def test_the_learners_debrief_says_how_to_make_it_a_pdf():
    s = play(SPEC, WHOLE)
    page = debrief_html(s, learner="ana")
    assert "Save as PDF" in page and "@media print" in page and ".note{display:none}" in page


@pytest.mark.browser
def test_the_debriefs_print_to_a_pdf_one_per_sheet(store_path, chromium):
    """Printed by Debian's Chromium (offline: the page loads nothing), the set is a PDF whose
    debriefs each start a sheet (the print styles, as Chromium computes them), two debriefs on
    as many sheets as each alone."""
    store = Store(store_path)
    _seed(store)
    attempts = store.attempts(session="ws")
    one = session_debriefs([a for a in attempts if a.learner == "bo"], "ws")
    two = session_debriefs([a for a in attempts if a.learner in ("bo", "team Blue")], "ws")
    blue = session_debriefs([a for a in attempts if a.learner == "team Blue"], "ws")
    ctx = chromium.new_context()
    try:
        page = ctx.new_page()
        requests = []
        page.on("request", lambda r: requests.append(r.url))

        def sheets(html: str) -> int:
            page.set_content(html)
            pdf = page.pdf(format="A4")
            assert pdf.startswith(b"%PDF-")
            return len(re.findall(rb"/Type\s*/Page[^s]", pdf))

        n1, n2, nb = sheets(one.page), sheets(two.page), sheets(blue.page)
        assert n1 >= 2 and nb >= 2  # a debrief takes several sheets
        assert n2 == n1 + nb  # each debrief on sheets of its own
        # In print, each debrief but the first starts a sheet; the note on making a PDF is
        # for the screen only.
        page.set_content(two.page)
        page.emulate_media(media="print")
        breaks = page.eval_on_selector_all(
            "section.debrief", "els => els.map(e => getComputedStyle(e).breakBefore)"
        )
        assert breaks == ["auto", "page"]
        assert page.eval_on_selector(".note", "e => getComputedStyle(e).display") == "none"
        page.emulate_media(media="screen")
        assert page.eval_on_selector(".note", "e => getComputedStyle(e).display") != "none"
        assert [u for u in requests if not u.startswith(("about:", "data:"))] == []
    finally:
        ctx.close()
