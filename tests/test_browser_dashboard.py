"""The facilitator dashboard in a real browser, served by Voila behind the facilitator token.

The store is seeded with the worst a room can type: script and HTML payloads as pseudonyms and
answers (written both through the store, which tidies pseudonyms, and straight into the table,
as a store written by anything else could be), and a 5,000-character word. Nothing may execute
(no dialog, no flag set by a payload), the layout must hold (no table wider than the window),
the page must refresh by itself when a new attempt arrives, and the downloads must hold the
grades and summaries. Offline: only loopback is reachable. The server also serves module 7's
page, where a learner with no attempt sees the debrief once the dashboard opened it."""

from __future__ import annotations

import csv
import io
import json
import secrets
import sqlite3
import time
from pathlib import Path

import pytest
from a11y import unnamed_stops
from harness import PageWatch, apps_root, new_page, voila_server, wait_rendered

from mixedflows.exercises import load_exercise
from mixedflows.grading import cohort_for, cohort_reference, grade
from mixedflows.profiles import Need
from mixedflows.store import Store

pytestmark = pytest.mark.browser

SESSION = "ws-xss"
TOKEN = "facilitator-" + secrets.token_hex(8)
M1 = "m1_who_is_in_the_boat"
MODULE_PAGE = "07_after_arrival.ipynb"
"""A module page served beside the apps: its debrief is opened from the dashboard."""

# Each payload, if it ever ran, would open a dialog or set a window flag.
PAYLOADS = [
    "<img src=x onerror=alert(1)>",
    "<img src=x onerror=\"window.__pwned='img'\">",
    "<script>window.__pwned='script'; alert(2)</script>",
    "</div></td></tr></table><h1 id=mf-injected>broken</h1>",
    "<svg onload=\"window.__pwned='svg'\"></svg>",
    "\"><iframe srcdoc='<script>parent.__pwned=1</script>'>",
    "javascript:alert(3)",
]
LONG_WORD = "W" * 5000


def _raw_insert(path: Path, **row) -> None:
    """A row written around the store's tidying, as another program could write it."""
    con = sqlite3.connect(path)
    con.execute(
        "INSERT INTO attempts (learner, session, exercise_id, answer, score, feedback, "
        "created_at, uid) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
        (
            row["learner"],
            SESSION,
            row.get("exercise_id", "reflect"),
            json.dumps(row["answer"]),
            row.get("score"),
            json.dumps(row.get("feedback")),
            "2026-11-23T10:00:00.000+00:00",
            secrets.token_hex(16),
        ),
    )
    con.commit()
    con.close()


def _seed(path: Path) -> None:
    ex = load_exercise(M1)
    persons = cohort_for(ex.scenario, ex.seed, ex.size)
    ref = cohort_reference(ex)
    with Store(path) as s:
        # Module 1 attempts: everyone gets person 1's first need wrong the same way.
        for k, who in enumerate(["amina", PAYLOADS[0], PAYLOADS[2], LONG_WORD]):
            r0 = ref[persons[0].person_id]
            bad = Need.COUNSELLING.value
            if r0["first_need"] == bad:
                bad = Need.URGENT_MEDICAL.value
            answer = {persons[0].person_id: {"profiles": r0["profiles"], "first_need": bad}}
            if k == 0:
                answer[persons[1].person_id] = ref[persons[1].person_id]
            result = grade(ex, answer)
            s.record(
                learner=who,
                exercise_id=M1,
                answer={"seed": ex.seed, "answer": answer},
                score=result.score,
                feedback=result.to_json(),
                session=SESSION,
            )
        # Reflections and a choice exercise whose answers and feedback carry the payloads.
        for p in PAYLOADS:
            s.record(
                learner="bo",
                exercise_id="reflect",
                answer=p,
                score=None,
                feedback=None,
                session=SESSION,
            )
            s.record(
                learner=p,
                exercise_id="quiz",
                answer=p,
                score=0.0,
                feedback={"items": [{"item": p, "credit": 0.0, "message": p, "citation": p}]},
                session=SESSION,
            )
        s.record(
            learner="cy",
            exercise_id="reflect",
            answer=LONG_WORD,
            score=None,
            feedback=None,
            session=SESSION,
        )
    # Pseudonyms, exercise ids and session codes as raw as they come.
    for p in PAYLOADS:
        _raw_insert(path, learner=p, answer={"text": p}, exercise_id=p)
        _raw_insert(
            path,
            learner=p,
            answer=p,
            exercise_id="quiz",
            score=0.5,
            feedback={"items": [{"item": p, "credit": 0.5, "message": p}]},
        )
    _raw_insert(path, learner=LONG_WORD, answer=LONG_WORD, exercise_id=LONG_WORD)
    # A scored exercise whose id is a payload: it titles a facet of the chart.
    _raw_insert(
        path, learner="eve", answer="x", exercise_id=PAYLOADS[1], score=0.3, feedback={"items": []}
    )


@pytest.fixture(scope="module")
def dashboard_server(tmp_path_factory):
    import shutil

    store = tmp_path_factory.mktemp("dashboard") / "attempts.sqlite"
    _seed(store)
    root = apps_root(store.parent / "apps")
    shutil.copy2(Path(__file__).resolve().parents[1] / "modules" / MODULE_PAGE, root)
    with voila_server(
        store, root=root, extra_env={"MIXEDFLOWS_FACILITATOR_TOKEN": TOKEN}
    ) as server:
        yield server


def _open(server, context):
    page = context.new_page()
    watch = PageWatch()
    watch.attach(page)
    dialogs: list[str] = []
    page.on("dialog", lambda d: (dialogs.append(d.message), d.dismiss()))
    # (Voila streams the page while the notebook runs: wait for the app, not for "load".)
    page.goto(
        server.app_url("facilitator_dashboard.ipynb", facilitator=TOKEN, session=SESSION),
        wait_until="commit",
    )
    wait_rendered(page, ".mf-progress table")
    return page, watch, dialogs


def _assert_inert_and_tidy(page, dialogs) -> None:
    assert dialogs == []
    assert page.evaluate("window.__pwned") is None
    assert page.query_selector("#mf-injected") is None
    assert page.query_selector(".mf-dash script, .mf-dash img, .mf-dash iframe") is None
    assert page.query_selector(".mf-dash svg[onload]") is None
    width = page.evaluate("window.innerWidth")
    for t in page.query_selector_all(".mf-dash table"):
        box = t.bounding_box()
        assert box is not None and box["x"] >= 0 and box["x"] + box["width"] <= width + 1, box
    assert page.evaluate("document.documentElement.scrollWidth") <= width + 1
    assert "Traceback" not in page.inner_text("body")


def test_dashboard_inert_tidy_live_and_exports(dashboard_server, chromium, tmp_path):
    server = dashboard_server
    context = chromium.new_context(viewport={"width": 1280, "height": 1000}, accept_downloads=True)
    page, watch, dialogs = _open(server, context)

    # The payloads are on the page, as text.
    body = page.inner_text(".mf-dash")
    assert "<script>window.__pwned='script'; alert(2)</script>" in body
    assert "onerror=alert(1)" in body and "</div></td></tr></table>" in body
    assert "W" * 100 in body and "W" * 1000 not in body  # the long word is cut
    assert "Who is in the boat?" in page.inner_text(".mf-overview")
    assert "first need" in page.inner_text(".mf-wrong")
    page.wait_for_selector(".mf-chart svg.marks", timeout=60_000)  # the chart, offline
    page.wait_for_timeout(300)
    assert unnamed_stops(page) == []  # its box a keyboard stop only while it scrolls, named
    assert "window.__pwned='img'" in page.inner_text(".mf-chart")  # a facet title, as text
    page.wait_for_timeout(500)
    _assert_inert_and_tidy(page, dialogs)

    # Live: a new attempt appears without a reload.
    with Store(server.store) as s:
        s.record(
            learner="late-comer",
            exercise_id="quiz",
            answer="b",
            score=1.0,
            feedback={"items": []},
            session=SESSION,
        )
    page.wait_for_function(
        "document.querySelector('.mf-progress').innerText.includes('late-comer')",
        timeout=30_000,
    )

    # Exports: the grades CSV and the summaries download from the page.
    page.click(".mf-export button, button.mf-export")
    page.wait_for_selector(".mf-downloads a.mf-download", timeout=30_000)
    links = page.query_selector_all(".mf-downloads a.mf-download")
    assert len(links) == 2
    with page.expect_download() as dl:
        links[0].click()
    rows = list(csv.DictReader(io.StringIO(Path(dl.value.path()).read_text("utf-8"))))
    assert dl.value.suggested_filename.endswith(".csv")
    assert {r["exercise_id"] for r in rows} >= {M1, "quiz", "reflect"}
    assert any(r["participant"] == "late-comer" and r["grade_pct"] == "100" for r in rows)
    with page.expect_download() as dl:
        links[1].click()
    md = Path(dl.value.path()).read_text("utf-8")
    assert md.startswith(f"# Session {SESSION}")  # read as typed: no needless backslash
    assert "<script>" not in md and "\\<script\\>" in md and "## late-comer" in md

    _assert_inert_and_tidy(page, dialogs)
    watch.check()
    context.close()


def test_dashboard_needs_the_token(dashboard_server):
    import urllib.error
    import urllib.request

    url = dashboard_server.app_url("facilitator_dashboard.ipynb", session=SESSION)
    with pytest.raises(urllib.error.HTTPError) as err:
        urllib.request.urlopen(url, timeout=30)
    assert err.value.code == 403


def test_closing_the_dashboard_frees_its_kernel(dashboard_server, chromium):
    """The live refresh must not keep the kernel alive once the tab is gone."""
    server = dashboard_server
    before = set(server.kernel_pids())
    context = chromium.new_context()
    page, _watch, _dialogs = _open(server, context)
    mine = set(server.kernel_pids()) - before
    assert len(mine) == 1
    page.close(run_before_unload=True)
    deadline = time.monotonic() + 20
    while mine & set(server.kernel_pids()) and time.monotonic() < deadline:
        time.sleep(0.2)
    assert not mine & set(server.kernel_pids()), server.log()
    context.close()


def test_the_dashboard_opens_a_module_debrief_for_the_room(dashboard_server, chromium):
    """Module 7's debrief, opened from the dashboard with the keyboard after its confirmation,
    shows on a learner's module page that holds no attempt, after Show the debrief."""
    from mixedflows.debriefs import gated_debriefs

    server = dashboard_server
    m7 = next(d for d in gated_debriefs() if d.exercise_ids == ("m7_after_arrival",))
    learner_ctx, learner, learner_watch = new_page(chromium)
    learner.goto(server.app_url(MODULE_PAGE, learner="dana", session=SESSION), wait_until="commit")
    wait_rendered(learner, ".mf-debrief-gate button.mf-debrief-show", timeout=240_000)
    gate = learner.locator(".mf-debrief-gate").first
    assert "Submit the exercise above first" in gate.inner_text()

    context = chromium.new_context(viewport={"width": 1280, "height": 1000})
    page, watch, dialogs = _open(server, context)
    page.wait_for_selector(".mf-debrief-room table", timeout=60_000)
    row = page.locator(".mf-debrief-room tr", has_text="Module 7")
    assert "not open" in row.inner_text()
    # With the keyboard: choose the debrief, ask, and confirm (the question takes the focus).
    page.focus(".mf-debrief-pick select")
    page.select_option(".mf-debrief-pick select", label=m7.label())
    page.focus(".mf-debrief-ask button, button.mf-debrief-ask")
    page.keyboard.press("Enter")
    question = page.locator(".mf-debrief-question")
    question.wait_for(timeout=30_000)
    said = question.inner_text()
    assert f"Every participant of session {SESSION} will see the debrief of" in said
    assert m7.titles()[0] in said and "which gives its answers" in said
    assert not Store(server.store).debrief_opened(session=SESSION, exercise_id="m7_after_arrival")
    page.wait_for_function(
        "document.activeElement && document.activeElement.closest('.mf-debrief-confirm')",
        timeout=30_000,
    )
    page.keyboard.press("Enter")
    page.wait_for_function(
        "document.querySelector('.mf-debrief-room').innerText.includes('open')"
        " && [...document.querySelectorAll('.mf-debrief-room tr')].some("
        "r => r.innerText.includes('Module 7') && !r.innerText.includes('not open'))",
        timeout=30_000,
    )
    assert Store(server.store).debrief_opened(session=SESSION, exercise_id="m7_after_arrival")

    # The learner's page, no attempt made: Show the debrief now shows it.
    learner.locator(".mf-debrief-gate button.mf-debrief-show").first.click()
    learner.wait_for_function(
        "document.querySelector('.mf-debrief-gate').innerText.includes('One group')",
        timeout=60_000,
    )
    shown = gate.inner_text()
    assert "Submit the exercise" not in shown
    assert "One group" in shown, shown[:500]
    assert Store(server.store).attempts(learner="dana") == []
    _assert_inert_and_tidy(page, dialogs)
    watch.check()
    learner_watch.check()
    context.close()
    learner_ctx.close()
