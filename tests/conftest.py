"""Shared fixtures: an isolated attempt store, a Voila server, a Chromium browser.

Browser tests are marked ``browser``; they need /usr/bin/chromium, which ``./mfl test``
installs from Debian's packages when it is missing.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
os.environ.setdefault("MIXEDFLOWS_HOME", str(ROOT))


@pytest.fixture
def store_path(tmp_path: Path) -> Path:
    return tmp_path / "attempts.sqlite"


@pytest.fixture
def isolated_store(store_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """Point MIXEDFLOWS_STORE at a fresh file for this test."""
    monkeypatch.setenv("MIXEDFLOWS_STORE", str(store_path))
    return store_path


@pytest.fixture
def pending_root(monkeypatch: pytest.MonkeyPatch):
    """A folder for kept attempts (``MIXEDFLOWS_PENDING``) that a kernel running as nobody can
    write too (the store-fault tests)."""
    import shutil
    import tempfile

    root = Path(tempfile.mkdtemp(prefix="mf-pending-"))
    os.chmod(root, 0o777)
    monkeypatch.setenv("MIXEDFLOWS_PENDING", str(root))
    yield root
    shutil.rmtree(root, ignore_errors=True)


@pytest.fixture(scope="session")
def voila(tmp_path_factory: pytest.TempPathFactory):
    """One Voila server for the session, serving widgets/ with the course's settings."""
    from harness import voila_server

    store = tmp_path_factory.mktemp("voila") / "attempts.sqlite"
    with voila_server(store) as server:
        yield server


@pytest.fixture(scope="session")
def chromium():
    pytest.importorskip("playwright")
    if not Path("/usr/bin/chromium").exists():
        pytest.fail("Debian's chromium is missing: run ./mfl test, which installs it")
    from harness import launch_chromium
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        browser = launch_chromium(p)
        yield browser
        browser.close()


@pytest.fixture
def page(chromium):
    """A fresh page that blocks every non-loopback host and records errors."""
    from harness import PageWatch

    context = chromium.new_context(viewport={"width": 1280, "height": 1000})
    pg = context.new_page()
    watch = PageWatch()
    watch.attach(pg)
    pg.watch = watch
    yield pg
    context.close()
