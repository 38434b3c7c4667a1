"""The module 6 and 7 apps in a real browser, at desktop and phone sizes: Voila serves them,
Chromium ticks the actions of a case file and composes a statement; the feedback shows with its
sources; the attempts are in the store. Offline (loopback only; any console error or failed
request fails the test), and axe-core finds no critical or serious violation."""

from __future__ import annotations

import time

import pytest
from a11y import serious_violations
from harness import PageWatch, wait_rendered

from mixedflows import casework
from mixedflows.exercises import load_exercise
from mixedflows.postarrival import best_message, load_message_brief
from mixedflows.store import Store

pytestmark = pytest.mark.browser

SIZES = {"desktop": {"width": 1280, "height": 1000}, "phone": {"width": 390, "height": 844}}


def css(text: str) -> str:
    return text.replace("_", "-")


def open_app(chromium, voila, notebook, learner, size, selector):
    ctx = chromium.new_context(viewport=SIZES[size])
    page = ctx.new_page()
    watch = PageWatch()
    watch.attach(page)
    page.goto(voila.app_url(notebook, learner=learner), wait_until="commit")
    wait_rendered(page, selector, timeout=240_000)
    body = page.inner_text("body")
    assert "import " not in body and "def " not in body  # no code on screen
    overflow = page.evaluate(
        "() => document.documentElement.scrollWidth - document.documentElement.clientWidth"
    )
    assert overflow <= 1, f"{size}: the page is {overflow}px wider than the screen"
    problems = serious_violations(page)
    assert not problems, "\n".join(problems)
    return ctx, page, watch


def do_file(page, ex_id: str) -> None:
    params = casework.check_params(load_exercise(ex_id))
    f = casework.files_of(params)[0]
    assert f.person.name in page.inner_text(".mf-case-card")
    for aid in casework.reference(f, params.actions):
        page.check(f".mf-act-{css(aid)} input")
    page.click("button.mf-case-submit")
    page.wait_for_function(
        "document.querySelector('.mf-case-feedback').innerText.includes('Score: 100%')",
        timeout=60_000,
    )
    assert "MC/INF/294" in page.inner_text(".mf-case-feedback")
    page.wait_for_function(
        "document.querySelector('.mf-case-score').innerText.includes('1 of')", timeout=30_000
    )


def rows_for(voila, learner: str, n: int) -> list:
    deadline = time.monotonic() + 10
    rows: list = []
    while time.monotonic() < deadline and len(rows) < n:
        rows = Store(voila.store).attempts(learner=learner)
        time.sleep(0.2)
    return rows


@pytest.mark.parametrize("size", list(SIZES))
def test_stranded_app(voila, chromium, size):
    learner = f"stranded-{size}"
    ctx, page, watch = open_app(
        chromium, voila, "stranded_migrants.ipynb", learner, size, "button.mf-case-submit"
    )
    try:
        do_file(page, "m6_stranded_casework")
        assert not serious_violations(page)
        watch.check()
    finally:
        ctx.close()
    rows = rows_for(voila, learner, 1)
    assert [r.score for r in rows] == [1.0]


@pytest.mark.parametrize("size", list(SIZES))
def test_after_arrival_app(voila, chromium, size):
    learner = f"arrival-{size}"
    ctx, page, watch = open_app(
        chromium, voila, "after_arrival.ipynb", learner, size, "button.mf-case-submit"
    )
    try:
        do_file(page, "m7_after_arrival")
        # The statement: the page's second step, built when first opened.
        page.get_by_role("button", name="2. A public statement").click()
        wait_rendered(page, "button.mf-msg-submit", timeout=120_000)
        brief = load_message_brief("port_alba_statement")
        best = best_message(brief)
        for f in brief.fields:
            if f.multiple:
                for oid in best.get(f.id, []):
                    page.check(f".mf-msg-{css(f.id)}-{css(oid)} input")
            else:
                oid = best.get(f.id, f.options[0].id)
                label = next(o.label for o in f.options if o.id == oid)
                page.locator(f".mf-msg-{css(f.id)}").get_by_label(label, exact=True).check()
        page.click("button.mf-msg-submit")
        page.wait_for_function(
            "document.querySelector('.mf-msg-feedback').innerText.includes('Score: 100%')",
            timeout=60_000,
        )
        assert "contested" in page.inner_text(".mf-msg-feedback")
        assert not serious_violations(page)
        watch.check()
    finally:
        ctx.close()
    rows = rows_for(voila, learner, 2)
    assert sorted(r.exercise_id for r in rows) == ["m7_after_arrival", "m7_public_message"]
    assert all(r.score == 1.0 for r in rows)
