"""The README's main command: JupyterLab on the start page, with every app one click away.

Starts the same server ``./mfl start`` starts (``mixedflows lab``), then checks that the start
page opens, that every module and app it links to exists, and that an app renders through the
Voila server extension with the course's template."""

from __future__ import annotations

import json
import re
import subprocess
import urllib.error
import urllib.request
from pathlib import Path

import pytest
from harness import free_port, kill_group, lab_server

from mixedflows.server import serve

ROOT = Path(__file__).resolve().parents[1]


@pytest.fixture(scope="module")
def lab(tmp_path_factory):
    """One JupyterLab on the start page, as ``./mfl start`` serves it (base URL "/"), for the
    tests of this module that use that one (the Binder base URL test starts its own)."""
    with lab_server(tmp_path_factory.mktemp("lab")) as server:
        yield server


def test_start_page_is_up_to_date():
    """START.ipynb is written by scripts/make_start_page.py from modules/ and widgets/."""
    import sys

    sys.path.insert(0, str(ROOT / "scripts"))
    from make_start_page import render

    assert (ROOT / "START.ipynb").read_text(encoding="utf-8") == render(), (
        "run: python scripts/make_start_page.py"
    )


def test_start_page_links_every_module_and_app():
    nb = json.loads((ROOT / "START.ipynb").read_text(encoding="utf-8"))
    text = "".join("".join(c["source"]) for c in nb["cells"])
    links = re.findall(r"\]\(([^)]+)\)", text)
    modules = {f"modules/{p.name}" for p in ROOT.glob("modules/*.ipynb")}
    apps = {
        f"/voila/render/widgets/{p.name}"
        for p in ROOT.glob("widgets/*.ipynb")
        if p.name not in ("empty.ipynb", "facilitator_dashboard.ipynb")
    }
    main_modules = {m for m in modules if re.match(r"modules/\d\d_[a-z_]+\.ipynb$", m)}
    assert main_modules <= set(links), main_modules - set(links)
    assert apps <= set(links), apps - set(links)
    for link in links:  # and every link points at something that exists
        path = link.removeprefix("/voila/render/")
        assert (ROOT / path).exists(), link


@pytest.mark.browser
def test_lab_serves_start_page_and_renders_an_app(lab):
    body = urllib.request.urlopen(lab.url, timeout=5).read().decode()
    assert "JupyterLab" in body or "jupyter-config-data" in body, lab.log()
    app = f"http://127.0.0.1:{lab.port}/voila/render/widgets/who_is_in_the_boat.ipynb?token=t0ken"
    page = urllib.request.urlopen(app, timeout=120).read().decode()
    assert "application/vnd.jupyter.widget-view+json" in page
    assert "voila/api/shutdown/" in page  # the course's template, with the beacon fix
    assert "cdn.jsdelivr.net" not in page


@pytest.mark.browser
def test_facilitate_command_starts_a_session(tmp_path):
    """``./mfl facilitate`` (``mixedflows facilitate``): one command, two links printed."""
    import sys

    port = free_port()
    env = serve.environment({"MIXEDFLOWS_STORE": str(tmp_path / "a.sqlite")})
    proc = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "mixedflows.server.cli",
            "facilitate",
            "--port",
            str(port),
            "--session",
            "ws-cli",
        ],
        env=env,
        cwd=ROOT,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
        start_new_session=True,
    )
    try:
        lines = []
        for line in proc.stdout:
            lines.append(line)
            if "all apps:" in line:  # the links are printed once the server answers
                break
        text = "".join(lines)
        join = re.search(r"participants join at: (\S+)", text).group(1)
        dashboard = re.search(r"dashboard \(keep this link to yourself\): (\S+)", text).group(1)
        assert join.endswith("/join?session=ws-cli")
        page = urllib.request.urlopen(join, timeout=30).read().decode()
        assert "ws-cli" in page and "who_is_in_the_boat.ipynb" in page
        bare = dashboard.split("?")[0]
        try:
            urllib.request.urlopen(bare, timeout=30)
            refused = False
        except urllib.error.HTTPError as e:
            refused = e.code == 403
        assert refused
    finally:
        kill_group(proc)


@pytest.mark.browser
def test_start_page_opens_an_app_under_a_binder_base_url(tmp_path, page):
    """In JupyterLab served under /user/NAME/ (as on Binder), the start page's Open button shows
    the app, rendered by Voila under that base, in a tab: one click, no broken link."""
    base = "/user/learner-1/"
    assert serve.trust_course_notebooks() >= 2  # as `./mfl start` does
    with lab_server(tmp_path, base_url=base) as lab:
        url = lab.url
        assert f"{base}lab/tree/START.ipynb" in url
        page.goto(url)
        button = page.locator(
            "button.mf-open[data-commandlinker-args*='widgets/who_is_in_the_boat.ipynb']"
        )
        button.wait_for(timeout=120_000)
        button.click()
        frame_sel = f"iframe[src*='{base}voila/render/widgets/who_is_in_the_boat.ipynb']"
        page.wait_for_selector(frame_sel, timeout=60_000)
        frame = page.frame_locator(frame_sel)
        frame.locator(".widget-button").first.wait_for(timeout=240_000)
        assert "Who is in the boat?" in frame.locator("body").inner_text()
        assert not page.get_by_text("official Jupyter news").count()  # no news prompt offline
        page.watch.check()


def test_start_page_tells_a_learner_where_answers_go(tmp_path, monkeypatch, capsys):
    """The start page's one code cell: the pseudonym, the store, the attempts so far."""
    from mixedflows.server.session import learner_id, my_progress
    from mixedflows.store import Store

    store = tmp_path / "a.sqlite"
    monkeypatch.setenv("MIXEDFLOWS_STORE", str(store))
    monkeypatch.setenv("MIXEDFLOWS_LEARNER", "amina")
    learner_id.cache_clear()
    try:
        with Store(store) as s:
            for score in (0.5, 1.0):
                s.record(learner="amina", exercise_id="x", answer={}, score=score, feedback=None)
            s.record(learner="someone-else", exercise_id="x", answer={}, score=0, feedback=None)
        line = my_progress()
        assert line == f"Your answers are saved as 'amina' in {store}: 2 attempt(s) saved so far."
        assert line in capsys.readouterr().out
        store.write_bytes(b"not a database" * 100)  # a corrupt store: said, not raised
        assert "cannot be read now" in my_progress()
    finally:
        learner_id.cache_clear()


@pytest.mark.browser
def test_each_module_shows_its_exercise_in_one_click_from_the_start_page(lab, page):
    """Issue 13, point 1: a learner who clicks a module's Open button on the start page sees the
    module rendered with its exercise ready to answer (Voila's preview runs it; no code, no
    unexecuted cell), in one click, for every module of the course."""
    assert serve.trust_course_notebooks() >= 2  # as `./mfl start` does
    # Every module with an exercise (a companion notebook such as 08_validation has none).
    modules = sorted(
        p.name
        for p in ROOT.glob("modules/*.ipynb")
        if re.match(r"\d\d_[a-z_]+\.ipynb$", p.name)
        and "mixedflows.widgets" in p.read_text(encoding="utf-8")
    )
    page.goto(lab.url)
    for name in modules:
        button = page.locator(f"button.mf-open[data-commandlinker-args*='modules/{name}']")
        button.wait_for(timeout=120_000)
        button.click()
        frame_sel = f"iframe[src*='voila/render/modules/{name}']"
        page.wait_for_selector(frame_sel, timeout=60_000)
        frame = page.frame_locator(frame_sel)
        # The exercise: an app's widgets, a button to answer with, rendered and visible.
        frame.locator(".jupyter-widgets button").first.wait_for(timeout=300_000)
        body = frame.locator("body").inner_text()
        assert "import " not in body and "def " not in body, name  # no code on screen
        # Back to the start page's tab for the next module.
        page.locator(".lm-DockPanel-tabBar .lm-TabBar-tab", has_text="START.ipynb").click()


def _kernel_ids(lab) -> set[str]:
    url = f"http://127.0.0.1:{lab.port}/api/kernels?token=t0ken"
    return {k["id"] for k in json.loads(urllib.request.urlopen(url, timeout=10).read())}


@pytest.mark.browser
def test_a_reloaded_app_page_ends_its_kernel_under_the_lab(lab, page):
    """Issue 13 cold trial: under ``./mfl start`` an app opened from its link and reloaded kept
    its kernel (the beacon refused, 403: Voila's page under JupyterLab set no _xsrf cookie), 42
    kernels after 40 page loads. Now the reload ends the old page's kernel, with no console
    error, while the shutdown route stays closed to anyone without the lab's login."""
    import time

    app = f"http://127.0.0.1:{lab.port}/voila/render/widgets/words_of_a_mixed_flow.ipynb"

    def kernel_of_page() -> str:
        page.locator(".jupyter-widgets button").first.wait_for(timeout=240_000)
        config = page.locator("#jupyter-config-data").first.text_content()
        return json.loads(config)["kernelId"]

    page.goto(f"{app}?token=t0ken")  # the link, in a browser that never loaded the lab
    first = kernel_of_page()
    assert first in _kernel_ids(lab)
    page.reload()
    second = kernel_of_page()
    assert second != first
    deadline = time.monotonic() + 30
    while first in _kernel_ids(lab) and time.monotonic() < deadline:
        time.sleep(0.2)
    assert first not in _kernel_ids(lab), "the reloaded page's kernel kept running"
    # The reload cuts Playwright's view of the beacon short (ERR_ABORTED, though it reached the
    # server: the kernel is gone); a refused beacon would be a console error ("403").
    page.watch.errors = [
        e for e in page.watch.errors if "/voila/api/shutdown/" not in e or "ERR_ABORTED" not in e
    ]
    page.watch.check()  # no 403, no console error
    # A stranger (no login, no XSRF token) cannot end the open page's kernel.
    stranger = urllib.request.Request(
        f"http://127.0.0.1:{lab.port}/voila/api/shutdown/{second}", data=b"", method="POST"
    )
    with pytest.raises(urllib.error.HTTPError) as refused:
        urllib.request.urlopen(stranger, timeout=10)
    assert refused.value.code == 403
    assert second in _kernel_ids(lab)


@pytest.mark.browser
def test_every_module_page_passes_axe_on_a_phone(lab, page):
    """Issue 13 cold trial: at 390x844 axe found wide tables (module 4's data frames, module
    7's markdown table) scrolling sideways with no way to reach them by keyboard (serious:
    scrollable-region-focusable). Every module page, once, in the lab's Voila, at a phone's size:
    no critical or serious WCAG 2.1 A/AA violation, no sideways scroll of the page."""
    from a11y import assert_fits, serious_violations

    page.set_viewport_size({"width": 390, "height": 844})
    problems = []
    for nb in sorted(ROOT.glob("modules/*.ipynb")):
        if not re.match(r"\d\d_[a-z_]+\.ipynb$", nb.name):
            continue
        page.goto(f"http://127.0.0.1:{lab.port}/voila/render/modules/{nb.name}?token=t0ken")
        page.wait_for_selector("#rendered_cells", state="visible", timeout=300_000)
        if "mixedflows.widgets" in nb.read_text(encoding="utf-8"):
            page.locator(".jupyter-widgets button").first.wait_for(timeout=300_000)
        page.wait_for_timeout(300)  # the naming script runs on the next frame
        problems += [f"{nb.name}: {v}" for v in serious_violations(page)]
        assert_fits(page, nb.name)
    assert not problems, "\n".join(problems)
    page.watch.errors = [  # leaving a page cuts Playwright's view of its kernel's beacon short
        e for e in page.watch.errors if "/voila/api/shutdown/" not in e or "ERR_ABORTED" not in e
    ]
    page.watch.check()
