"""Progress that survives a throw-away server (issue 16), in Chromium: on a 'Binder' (a server
whose store is temporary) the apps say progress is not kept; 'My progress' downloads the
learner's progress as a real download; a second server with a fresh store takes the file by
upload and the learner continues; a changed file is refused with a message; axe-core finds no
critical or serious problem at desktop and phone sizes."""

from __future__ import annotations

import json

import pytest
from a11y import assert_fits, serious_violations
from harness import PageWatch, VoilaServer, voila_server, wait_attempts, wait_rendered

from mixedflows.store import Store

pytestmark = pytest.mark.browser

TEMPORARY = {"MIXEDFLOWS_STORE_TEMPORARY": "Binder"}


def _page(chromium, **size):
    ctx = chromium.new_context(
        viewport=size or {"width": 1280, "height": 900}, accept_downloads=True
    )
    pg = ctx.new_page()
    pg.watch = PageWatch()
    pg.watch.attach(pg)
    return ctx, pg


def upload(page, path) -> None:
    """As a learner does: click the upload button, pick the file in the chooser."""
    with page.expect_file_chooser() as chooser:
        page.click(".mf-progress-upload")
    chooser.value.set_files(str(path))


def test_download_then_upload_into_a_fresh_store_and_continue(tmp_path, chromium):
    first = tmp_path / "first.sqlite"
    with Store(str(first)) as s:
        s.record(
            learner="amina-k",
            exercise_id="m1_who_is_in_the_boat",
            answer={"p1": {"profiles": ["refugee"], "first_need": "urgent_medical"}},
            score=0.25,
            feedback={"secret": "the feedback stays out of the file"},
            grade_shown="25 %",
        )
        s.save_draft(learner="amina-k", exercise_id="m5_screening_desk", draft={"case": 3})
    # Session 2's server, with a fresh store, starts now: a server start is seconds of the suite,
    # spent while session 1 runs in the browser.
    second = tmp_path / "second.sqlite"
    later = VoilaServer(store=second, extra_env=TEMPORARY).launch()
    try:
        _sessions(tmp_path, chromium, first, later)
    finally:
        later.stop()


def _sessions(tmp_path, chromium, first, later: VoilaServer) -> None:
    """Session 1 on a server of the store `first`, then session 2 on `later` (a fresh store)."""
    second = later.store
    # Session 1, on a throw-away server: the notice, then the download.
    with voila_server(first, extra_env=TEMPORARY) as server:
        ctx, page = _page(chromium)
        page.goto(server.app_url("my_progress.ipynb", learner="amina-k"), wait_until="commit")
        wait_rendered(page, ".mf-progress-download a")
        assert "progress is not kept after this session ends" in page.inner_text(".mf-temporary")
        assert "1 attempt(s) of yours on 1 exercise(s), and 1 unfinished draft(s)" in (
            page.inner_text(".mf-progress-summary")
        )
        assert not serious_violations(page)
        with page.expect_download() as dl:
            page.click(".mf-progress-download a")
        saved = tmp_path / dl.value.suggested_filename
        dl.value.save_as(saved)
        assert saved.name.startswith("mixedflows-progress-amina-k-")
        page.watch.check()
        # Every app says it too (the boat, on the same server).
        boat = ctx.new_page()
        boat.watch = PageWatch()
        boat.watch.attach(boat)
        boat.goto(
            server.app_url("who_is_in_the_boat.ipynb", learner="amina-k"), wait_until="commit"
        )
        wait_rendered(boat, "button.mf-submit")
        assert "progress is not kept" in boat.inner_text(".mf-temporary")
        boat.watch.check()
        ctx.close()
    body = json.loads(saved.read_text(encoding="utf-8"))
    assert "secret" not in saved.read_text(encoding="utf-8")
    assert body["attempts"][0]["grade_shown"] == "25 %"

    # Session 2: a fresh store; a changed file is refused, the real one continues the work.
    tampered = tmp_path / "tampered.json"
    tampered.write_text(saved.read_text().replace('"score": 0.25', '"score": 1.0'))
    server = later.wait_ready()
    ctx, page = _page(chromium, width=390, height=844)
    page.goto(server.app_url("my_progress.ipynb", learner="amina-k"), wait_until="commit")
    wait_rendered(page, ".mf-progress-upload")
    assert "0 attempt(s) of yours" in page.inner_text(".mf-progress-summary")
    assert_fits(page, "390x844", most=0)
    assert not serious_violations(page)
    upload(page, tampered)
    page.wait_for_selector(".mf-status .mf-bad", timeout=30_000)
    assert "was changed or damaged" in page.inner_text(".mf-status")
    assert Store(str(second)).attempts() == []
    upload(page, saved)
    page.wait_for_selector(".mf-status .mf-ok", timeout=30_000)
    assert "1 attempt(s) added" in page.inner_text(".mf-status")
    assert "1 draft(s) restored" in page.inner_text(".mf-status")
    page.wait_for_function(
        "document.querySelector('.mf-progress-summary').innerText.includes('1 attempt(s)')"
    )
    page.watch.check()
    ctx.close()
    rows = wait_attempts(second, learner="amina-k")
    assert [(r.score, r.uid) for r in rows] == [(0.25, body["attempts"][0]["uid"])]
    assert Store(str(second)).load_draft(learner="amina-k", exercise_id="m5_screening_desk") == {
        "case": 3
    }
