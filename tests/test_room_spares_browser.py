"""A participant's browser gets into a room full of other apps' preheated kernels (cold trial
of the guide's one-day plan: 4 of 12 participants opening the knowledge check were told to
wait while 7 apps' pools held the cap). Two apps preheated one kernel each under a cap of 2:
the first browser gets the first app's preheated kernel, the second browser, on the same app,
gets a kernel started in place of the other app's spare, and both pages run their cell."""

from __future__ import annotations

import shutil

import pytest
from harness import apps_root, new_page, voila_server, wait_pool_filled

from mixedflows.server.serve import ClassSession

pytestmark = pytest.mark.browser


def test_a_second_browser_gets_the_place_of_another_apps_spare(tmp_path, chromium):
    root = apps_root(tmp_path / "apps", "empty.ipynb")
    shutil.copy2(root / "empty.ipynb", root / "spare_a.ipynb")
    session = ClassSession(
        code="spares",
        apps=("empty.ipynb", "spare_a.ipynb"),
        pool=1,
        max_kernels=2,
        refill_delay=900,
    )
    with voila_server(tmp_path / "a.sqlite", session=session, root=root) as server:
        wait_pool_filled(server, 2)
        pages = []
        for learner in ("first", "second"):
            ctx, page, watch = new_page(chromium)
            page.goto(server.app_url("empty.ipynb", learner=learner), wait_until="commit")
            page.wait_for_selector("#jupyter-config-data", state="attached", timeout=150_000)
            page.wait_for_selector(".jp-OutputArea-output", state="visible", timeout=150_000)
            assert "2" in page.inner_text(".jp-OutputArea-output")  # 1 + 1, run by its kernel
            watch.check()
            pages.append((ctx, page))
        log = server.log()
        print(f"kernels {len(server.kernel_pids())}; made way: {log.count('to make way for')}")
        assert "Using pre-heated kernel" in log  # the first browser's
        assert log.count("shut down to make way for a participant's page") == 1, log[-3000:]
        assert "a page was asked to wait" not in log, log[-3000:]
        assert len(server.kernel_pids()) == 2
        for ctx, _page in pages:
            ctx.close()
