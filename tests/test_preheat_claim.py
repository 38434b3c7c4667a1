"""A kernel Voila preheats runs its app before any page asks for it; a page then claims it and
the kernel learns the page's link (``mixedflows.server.session.claim``, over the websocket Voila
serves at ``voila/query/<kernel id>``). Issue 13 start-up leftovers:

- what the page's link says (the learner, the boat's ``?scenario=``) is read after the claim,
  not when the app is built (My progress read its learner at build; the boat its scenario);
- the id kept beside the store (``learner_id``, one file for the whole server) is never used in
  a preheated kernel: every kernel of the pool would share it, so a save under it is refused
  before the claim and after a claim whose link names no one.

The claim is the real one: a websocket server on 127.0.0.1 answers as Voila's does. No browser,
no Voila (those are tests/test_draft_preheat_browser.py and the other *_preheat_browser tests).
"""

from __future__ import annotations

import asyncio
import json
import sqlite3
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest

from mixedflows.exercises import load_exercise
from mixedflows.grading import SubmissionRefusedError, cohort_reference, grade
from mixedflows.scenarios import list_scenarios
from mixedflows.server import session as sess
from mixedflows.store import Store
from mixedflows.widgets.common import Recorder


class QueryServer:
    """Voila's request-info websocket for one kernel: the link of the page that claims it."""

    def __init__(self) -> None:
        self.query = ""
        self.paths: list[str] = []
        self.port = 0
        self._ready = threading.Event()
        self._stop: asyncio.Future[None] | None = None
        self._loop: asyncio.AbstractEventLoop | None = None
        self._thread = threading.Thread(target=lambda: asyncio.run(self._serve()), daemon=True)

    async def _serve(self) -> None:
        import websockets

        async def handler(ws) -> None:
            self.paths.append(ws.request.path)
            await ws.send(json.dumps({"QUERY_STRING": self.query, "SCRIPT_NAME": "/voila"}))

        self._loop = asyncio.get_running_loop()
        self._stop = self._loop.create_future()
        async with websockets.serve(handler, "127.0.0.1", 0) as server:
            self.port = server.sockets[0].getsockname()[1]
            self._ready.set()
            await self._stop

    def start(self) -> QueryServer:
        self._thread.start()
        assert self._ready.wait(10)
        return self

    def close(self) -> None:
        if self._loop is not None and self._stop is not None:
            self._loop.call_soon_threadsafe(self._stop.set_result, None)
        self._thread.join(10)


@pytest.fixture(scope="module")
def query_server() -> Iterator[QueryServer]:
    server = QueryServer().start()
    yield server
    server.close()


@pytest.fixture
def pool_kernel(query_server, isolated_store, monkeypatch) -> Iterator[QueryServer]:
    """This process as a kernel of Voila's pool: preheated, no page yet, no learner set."""
    # The claim sets QUERY_STRING and SCRIPT_NAME in os.environ: set here first, so that
    # monkeypatch puts them back as they were after the test (absent), not left for the next.
    for var in ("QUERY_STRING", "SCRIPT_NAME", "MIXEDFLOWS_LEARNER", "MIXEDFLOWS_SESSION"):
        monkeypatch.setenv(var, "")
        monkeypatch.delenv(var)
    monkeypatch.delenv("JUPYTERHUB_USER", raising=False)
    monkeypatch.setenv("VOILA_PREHEAT", "True")
    monkeypatch.setenv("VOILA_APP_IP", "127.0.0.1")
    monkeypatch.setenv("VOILA_APP_PORT", str(query_server.port))
    monkeypatch.setenv("VOILA_KERNEL_ID", "kernel-under-test")
    monkeypatch.delenv("VOILA_WS_BASE_URL", raising=False)
    monkeypatch.setenv("VOILA_SERVER_URL", "/")
    monkeypatch.setattr(sess, "_ON_CLAIM", [])
    monkeypatch.setattr(sess, "_CLAIMED", [], raising=False)
    sess.learner_id.cache_clear()
    sess.session_code.cache_clear()
    query_server.query = ""
    yield query_server
    sess.learner_id.cache_clear()
    sess.session_code.cache_clear()


def _an_answer(ex) -> dict:
    """One person of the exercise's boat answered (a learner's input, not its reference)."""
    pid = next(iter(cohort_reference(ex)))
    return {pid: {"profiles": [], "first_need": "counselling"}}


def _kept_id(store_path: Path) -> Path:
    """The file of the id kept beside the store (the fallback of a self-paced learner)."""
    return store_path.parent / "learner_id"


def test_the_claim_reads_the_page_link_over_voilas_websocket(pool_kernel):
    pool_kernel.query = "learner=Eva&session=ws"
    assert sess.waiting_for_claim()
    sess.claim()
    assert pool_kernel.paths[-1] == "/voila/query/kernel-under-test"
    assert not sess.waiting_for_claim()
    assert (sess.learner_id(), sess.session_code()) == ("Eva", "ws")


def test_the_boat_of_the_link_once_the_page_claims_the_kernel(pool_kernel, isolated_store):
    """?scenario= was read when the pool built the boat (no link yet): the exercise's boat was
    shown whatever the facilitator's link named."""
    from mixedflows.widgets.boat import BoatApp

    default = load_exercise("m1_who_is_in_the_boat").scenario
    other = next(s for s in list_scenarios() if s != default)
    store = Store(isolated_store)
    app = BoatApp(recorder=Recorder(store))
    assert app.scenario == default  # built before the claim: no link known
    pool_kernel.query = f"learner=Eva&session=ws&scenario={other}"
    sess.claim()
    assert app.scenario == other and app.scenario_picker.value == other
    assert all(p.person_id in app.answers for p in app.persons)
    assert f"{len(app.persons)} people" in app.intro_box.value
    # ... and a draft of another boat stays where it is (the link names this one).
    pid = app.persons[0].person_id
    app.need.value = app.need.options[1][1]
    assert app.recorder.load_draft(app.exercise.id)["answers"][pid]["first_need"]
    store.close()


def test_a_draft_of_the_links_boat_comes_back_after_the_claim(pool_kernel, isolated_store):
    from mixedflows.widgets.boat import BoatApp

    default = load_exercise("m1_who_is_in_the_boat").scenario
    other = next(s for s in list_scenarios() if s != default)
    store = Store(isolated_store)
    probe = BoatApp(recorder=Recorder(store, learner="probe"), scenario=other)
    pid = probe.persons[1].person_id
    draft = {**probe.draft(), "answers": {pid: {"profiles": [], "first_need": "counselling"}}}
    store.save_draft(learner="Eva", exercise_id=probe.exercise.id, draft=draft)
    app = BoatApp(recorder=Recorder(store))
    pool_kernel.query = f"learner=Eva&session=ws&scenario={other}"
    sess.claim()
    assert app.scenario == other and app.answers[pid]["first_need"] == "counselling"
    assert "from last time are back" in app.status.value
    store.close()


def test_my_progress_is_the_claiming_participants(pool_kernel, isolated_store, monkeypatch):
    """My progress read its learner when the pool built it: the id kept beside the store,
    one for every kernel of the pool (and its notebook never waited for a page)."""
    from mixedflows.widgets import ui
    from mixedflows.widgets.my_progress import ProgressApp

    monkeypatch.setenv("MIXEDFLOWS_STORE_TEMPORARY", "Binder")  # the page's notice, once
    monkeypatch.setattr(ui, "_notice_shown", False)

    store = Store(isolated_store)
    ex = load_exercise("m1_who_is_in_the_boat")
    answer = _an_answer(ex)
    Recorder(store, learner="Eva", session="ws").record(ex.id, answer, grade(ex, answer))
    app = ProgressApp(store=store)
    assert app.learner == "" and "Saved as" not in app.title.value and app.upload.disabled
    assert not _kept_id(isolated_store).exists()
    pool_kernel.query = "learner=Eva&session=ws"
    sess.claim()
    assert app.learner == "Eva" and "Saved as &#39;Eva&#39;" in app.title.value
    assert "not kept after this session ends" in app.title.value  # still under the title
    assert "holds 1 attempt(s) of yours" in app.summary.value and not app.upload.disabled
    assert not _kept_id(isolated_store).exists()
    store.close()


def test_the_progress_notebook_waits_for_its_page():
    nb = json.loads(
        (Path(__file__).parents[1] / "widgets" / "my_progress.ipynb").read_text("utf-8")
    )
    assert "claim()" in "".join(nb["cells"][-1]["source"])


@pytest.mark.parametrize("link", [None, "session=ws"], ids=["before the claim", "no learner"])
def test_nothing_is_saved_under_the_kept_id_in_a_pool_kernel(pool_kernel, isolated_store, link):
    """The id kept beside the store is the whole server's: in a pool kernel, a save under it
    is refused (before a page claims the kernel, and after a claim whose link names no one),
    the learner told why, nothing recorded and no id file made."""
    from mixedflows.widgets.boat import BoatApp

    if link is not None:
        pool_kernel.query = link
        sess.claim()
    with pytest.raises(sess.ParticipantUnknownError):
        sess.learner_id()
    store = Store(isolated_store)
    rec = Recorder(store)
    ex = load_exercise("m1_who_is_in_the_boat")
    answer = _an_answer(ex)
    with pytest.raises(SubmissionRefusedError, match="does not know who you are"):
        rec.admit(answer)
    with pytest.raises(SubmissionRefusedError, match="does not know who you are"):
        rec.record(ex.id, answer, grade(ex, answer))
    assert rec.save_draft(ex.id, {"seed": 1}) is False
    app = BoatApp(recorder=rec)
    app.need.value = app.need.options[1][1]  # a draft would be saved here: it is not
    app.submit.click()
    assert "does not know who you are" in app.status.value and app.result is None
    assert store.attempts() == []
    store.close()
    with sqlite3.connect(isolated_store) as db:
        assert db.execute("SELECT count(*) FROM drafts").fetchone() == (0,)
    assert not _kept_id(isolated_store).exists()


def test_outside_a_pool_the_kept_id_still_serves_a_self_paced_learner(isolated_store, monkeypatch):
    for var in ("QUERY_STRING", "MIXEDFLOWS_LEARNER", "JUPYTERHUB_USER", "VOILA_PREHEAT"):
        monkeypatch.delenv(var, raising=False)
    sess.learner_id.cache_clear()
    try:
        first = sess.learner_id()
        sess.learner_id.cache_clear()
        assert sess.learner_id() == first == _kept_id(isolated_store).read_text("utf-8")
    finally:
        sess.learner_id.cache_clear()


def test_a_claim_leaves_no_link_for_the_next_test():
    """The fixture undoes what the claims above set in os.environ (runs after them)."""
    import os

    assert "QUERY_STRING" not in os.environ and "SCRIPT_NAME" not in os.environ
    assert not sess._CLAIMED


def test_every_app_notebook_waits_for_its_page():
    """Every app in widgets/ ends with claim(), the facilitator dashboard too (it had none): a
    preheated kernel of it waits for a page like every app's."""
    for path in sorted((Path(__file__).parents[1] / "widgets").glob("*.ipynb")):
        cells = [
            c for c in json.loads(path.read_text("utf-8"))["cells"] if c["cell_type"] == "code"
        ]
        assert "claim()" in "".join(cells[-1]["source"]), path.name


def test_a_preheated_dashboard_reads_the_store_once_claimed(pool_kernel, isolated_store):
    """In a kernel of Voila's pool the dashboard is drawn (the page is sent drawn), but its
    live refresh, a store read every few seconds, starts only once the facilitator's page
    claims the kernel, and it draws the store as it is then: a pool kernel polled the store
    for no one, and a page claiming it minutes later showed the pool's old drawing first."""
    from mixedflows.widgets.dashboard import Dashboard

    store = Store(isolated_store)
    d = Dashboard(store, "ws", interval=0.05)
    d.start()
    try:
        assert not d.running and d.report is not None and d.report.attempts == 0
        store.record(
            learner="ann", exercise_id="quiz", answer="b", score=1.0, feedback={}, session="ws"
        )
        pool_kernel.query = "session=ws&facilitator=key"
        sess.claim()
        assert d.running and d.report.attempts == 1
    finally:
        d.stop()
        store.close()
