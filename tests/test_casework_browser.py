"""The module 6 and 7 apps in a real browser, at desktop and phone sizes: Voila serves them,
Chromium ticks the actions of a case file and composes a statement; the feedback shows with its
sources; the attempts are in the store. Offline (loopback only; any console error or failed
request fails the test), and axe-core finds no critical or serious violation."""

from __future__ import annotations

import pytest
from a11y import check_screen, serious_violations
from harness import open_app, wait_attempts, wait_rendered

from mixedflows import casework
from mixedflows.exercises import load_exercise
from mixedflows.postarrival import best_message, load_message_brief

pytestmark = pytest.mark.browser

SIZES = {"desktop": {"width": 1280, "height": 1000}, "phone": {"width": 390, "height": 844}}


def css(text: str) -> str:
    return text.replace("_", "-")


def _open(chromium, voila, notebook, learner, size, selector):
    ctx, page, watch = open_app(
        chromium, voila, notebook, selector, learner=learner, viewport=SIZES[size]
    )
    check_screen(page, size)
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


@pytest.mark.parametrize("size", list(SIZES))
def test_stranded_app(voila, chromium, size):
    learner = f"stranded-{size}"
    ctx, page, watch = _open(
        chromium, voila, "stranded_migrants.ipynb", learner, size, "button.mf-case-submit"
    )
    try:
        do_file(page, "m6_stranded_casework")
        assert not serious_violations(page)
        watch.check()
    finally:
        ctx.close()
    rows = wait_attempts(voila.store, learner=learner)
    assert [r.score for r in rows] == [1.0]


@pytest.mark.parametrize("size", list(SIZES))
def test_after_arrival_app(voila, chromium, size):
    learner = f"arrival-{size}"
    ctx, page, watch = _open(
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
    rows = wait_attempts(voila.store, 2, learner=learner)
    assert sorted(r.exercise_id for r in rows) == ["m7_after_arrival", "m7_public_message"]
    assert all(r.score == 1.0 for r in rows)
