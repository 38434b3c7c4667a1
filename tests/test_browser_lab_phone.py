"""The course's JupyterLab (``./mfl start``) on a phone (issue 13.2): the small-screen link it
prints opens the start page across a 390x844 screen (the full layout left the notebook 62 px
wide beside the file browser), with no sideways scroll; a module opens from it; and a phone's
visit leaves the desktop's layout as it was (the phone once saved its squeezed layout into the
shared workspace)."""

from __future__ import annotations

from pathlib import Path

import pytest
from harness import PageWatch, lab_server

from mixedflows.server import serve

pytestmark = pytest.mark.browser

ROOT = Path(__file__).resolve().parents[1]
ARTIFACTS = Path(__file__).parent / "artifacts"
MEASURE = """() => {
  const nb = document.querySelector('.jp-NotebookPanel:not(.lm-mod-hidden) .jp-Notebook');
  const r = nb ? nb.getBoundingClientRect() : null;
  return {notebook: r ? Math.round(r.width) : 0, left: r ? Math.round(r.left) : -1,
          overflow: document.documentElement.scrollWidth - document.documentElement.clientWidth,
          screen: window.innerWidth};
}"""


def test_lab_on_a_phone_then_a_desktop(tmp_path, chromium):
    ARTIFACTS.mkdir(exist_ok=True)

    def visit(link: str, width: int, height: int, name: str) -> dict:
        ctx = chromium.new_context(viewport={"width": width, "height": height})
        page = ctx.new_page()
        watch = PageWatch()
        watch.attach(page)
        try:
            page.goto(link)
            page.wait_for_selector(".jp-NotebookPanel .jp-Notebook", timeout=120_000)
            page.locator("button.mf-open").first.wait_for(timeout=120_000)
            page.wait_for_timeout(1500)  # the layout settles after the workspace is restored
            size = page.evaluate(MEASURE)
            page.screenshot(path=str(ARTIFACTS / f"lab-{name}.png"))
            if width < 500:
                # A module opens from the start page, across the screen too.
                page.locator("button.mf-open[data-commandlinker-args*='modules/']").first.click()
                page.wait_for_selector("iframe[src*='voila/render/modules/']", timeout=60_000)
                frame = page.locator("iframe[src*='voila/render/modules/']").bounding_box()
                assert frame and frame["width"] >= width - 80, f"module frame {frame}"
            watch.check()
            return size
        finally:
            ctx.close()

    with lab_server(tmp_path) as lab:
        url = lab.url
        small = serve.small_screen_url(url)
        assert "/doc/" in small and small.endswith("START.ipynb?token=t0ken")
        desk_before = visit(url, 1280, 900, "desktop-first")
        phone = visit(small, 390, 844, "phone")
        assert phone["notebook"] >= 300 and phone["overflow"] <= 1, phone
        desk_after = visit(url, 1280, 900, "desktop-after-phone")
        # The phone's visit did not squeeze the desktop's layout.
        assert desk_after["notebook"] >= desk_before["notebook"] - 2, (desk_before, desk_after)
        assert desk_after["notebook"] >= 600, desk_after
