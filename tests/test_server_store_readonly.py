"""A store made unwritable under open pages, and a kernel lost under its page (issue 11, cold
trial of ``./mfl facilitate``).

``chattr +i`` on the store's folder while tabs were open killed their kernels (SQLite's shared
``-shm`` file, mapped into every kernel, became immutable: the next touch was a SIGBUS), and the
pages said nothing. Here a real Voila server serves module 1's app to Chromium; the store (and
the folder for kept attempts) is made immutable between two submissions: the same kernel must
answer, and the page must say the attempt was NOT saved because the store is read-only. A
kernel killed under its page must make the page say so.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import subprocess
import time

import psutil
import pytest
from harness import PageWatch, voila_server, wait_rendered

pytestmark = pytest.mark.browser

CAN_CHATTR = os.geteuid() == 0 and shutil.which("chattr") is not None


def _chattr(flag: str, *paths) -> None:
    for p in paths:
        if os.path.exists(p):
            subprocess.run(["chattr", flag, str(p)], check=True)


def _submit(page, choose: bool = False) -> None:
    if choose:  # a check box: clicked once, it stays chosen for the later submissions
        page.click(".mf-profile-economic input")
        page.select_option(".mf-first-need select", index=1)  # answered: a first need
    page.click("button.mf-submit")


@pytest.mark.skipif(not CAN_CHATTR, reason="needs root and chattr (immutable files)")
def test_store_made_immutable_mid_session_says_not_saved(tmp_path, page):
    db = tmp_path / "db"
    db.mkdir()
    store = db / "a.sqlite"
    pending = tmp_path / "pending"
    pending.mkdir()
    locked = [db, store, f"{store}-wal", f"{store}-shm"]
    with voila_server(store, extra_env={"MIXEDFLOWS_PENDING": str(pending)}) as server:
        try:
            page.goto(server.app_url("who_is_in_the_boat.ipynb", learner="ro", session="ro"))
            wait_rendered(page, "button.mf-submit")
            _submit(page, choose=True)
            page.wait_for_selector(".mf-msg", timeout=60_000)
            first = page.inner_text(".mf-msg")
            kernels = server.kernel_pids()
            assert "NOT saved" not in first and len(kernels) == 1, (first, kernels)
            _chattr("+i", *locked)
            _chattr("+i", pending)  # nowhere to keep it either: NOT saved, said plainly
            page.evaluate("document.querySelectorAll('.mf-msg').forEach(e => e.remove())")
            _submit(page)
            page.wait_for_selector(".mf-msg", timeout=60_000)
            said = page.inner_text(".mf-msg")
            print(f"first: {first[:120]!r}\nafter chattr +i: {said[:300]!r}")
            assert "NOT saved" in said, said
            assert "read-only" in said, said
            assert server.kernel_pids() == kernels, "the kernel died"
            assert "restarted" not in server.log()
            assert str(store) not in page.content()  # the path stays in the server's log
        finally:
            _chattr("-i", pending, *locked)
        # Writable again: the same page's next attempt is stored.
        page.evaluate("document.querySelectorAll('.mf-msg').forEach(e => e.remove())")
        time.sleep(2.5)  # past the submission rate limit's refill and the store's backoff
        _submit(page)
        page.wait_for_selector(".mf-msg", timeout=60_000)
        again = page.inner_text(".mf-msg")
        print(f"writable again: {again[:200]!r}")
        assert "NOT saved" not in again and "kept" not in again, again
        assert server.kernel_pids() == kernels


def test_a_kernel_lost_under_its_page_is_said(tmp_path, page):
    """kill -9 of the page's kernel: the server restarts it (with no widgets, so the page's
    buttons do nothing); the page says the exercise restarted and offers to reload."""
    watch = PageWatch()
    watch.attach(page)
    with voila_server(tmp_path / "a.sqlite") as server:
        page.goto(server.app_url("who_is_in_the_boat.ipynb", learner="kk"))
        wait_rendered(page, "button.mf-submit")
        time.sleep(1)
        (pid,) = server.kernel_pids()
        with contextlib.suppress(psutil.NoSuchProcess):
            psutil.Process(pid).kill()
        page.wait_for_selector(".mf-kernel-lost", timeout=60_000)
        said = page.inner_text(".mf-kernel-lost")
        print(f"page says: {said!r}")
        assert "restarted" in said and "reload" in said.lower()
        assert page.get_attribute(".mf-kernel-lost", "role") == "alert"
    # The console errors the lost kernel causes on the page are expected here.
    assert watch.blocked == []
