"""Module 1 in a real browser: Voila serves the app, Chromium answers, submits, reads the
feedback; the attempt is then found in the store. Offline: only loopback is reachable."""

from __future__ import annotations

import time

import pytest
from harness import voila_server, wait_attempts, wait_rendered

from mixedflows.exercises import load_exercise
from mixedflows.grading import cohort_for, cohort_reference
from mixedflows.profiles import NEED_LABELS, Need

pytestmark = pytest.mark.browser


def test_answer_submit_feedback_and_store(voila, page):
    ex = load_exercise("m1_who_is_in_the_boat")
    reference = cohort_reference(ex)
    first_id, first_ref = next(iter(reference.items()))

    page.goto(voila.app_url("who_is_in_the_boat.ipynb", learner="tester-1"))
    wait_rendered(page, ".mf-submit")
    assert "def " not in page.inner_text("body")  # no code on screen

    # Answer the first person exactly as the rules do, the second wrongly on purpose.
    for prof in first_ref["profiles"]:
        page.click(f".mf-profile-{prof} input")
    page.select_option(".mf-first-need select", label=NEED_LABELS[Need(first_ref["first_need"])])
    second = cohort_for(ex.scenario, ex.seed, ex.size)[1].name
    page.click(".mf-next button, button.mf-next")
    # As a learner does: answer the next person once they are on screen.
    page.wait_for_function(f"document.querySelector('.mf-person').innerText.includes({second!r})")
    page.select_option(".mf-first-need select", label=NEED_LABELS[Need.COUNSELLING])
    page.click(".mf-prev button, button.mf-prev")
    first = cohort_for(ex.scenario, ex.seed, ex.size)[0].name
    page.wait_for_function(f"document.querySelector('.mf-person').innerText.includes({first!r})")
    page.click("button.mf-submit")
    page.wait_for_selector(".mf-feedback .mf-score", timeout=30_000)

    feedback = page.inner_text(".mf-feedback")
    assert "Score:" in feedback
    assert "(100%)" in feedback, feedback  # the first person is fully right
    assert "MC/INF/294" in feedback  # every piece of feedback cites the seed
    summary = page.inner_text(".mf-summary")
    assert "Your boat:" in summary
    page.watch.check()

    # The attempt is in the store, with this learner, answer, score and feedback.
    rows = wait_attempts(voila.store, learner="tester-1", exercise_id=ex.id)
    assert len(rows) == 1
    att = rows[0]
    assert att.answer["answer"][first_id]["first_need"] == first_ref["first_need"]
    assert 0 < att.score < 1
    assert att.feedback["items"][0]["credit"] == 1.0
    assert att.created_at


def test_closing_the_tab_frees_the_kernel(tmp_path, chromium):
    """Voila issue 1458: the shutdown beacon must pass the XSRF check (which stays on)."""
    from harness import PageWatch, apps_root

    with voila_server(
        tmp_path / "a.sqlite", root=apps_root(tmp_path / "apps", "empty.ipynb")
    ) as server:
        ctx = chromium.new_context()
        pg = ctx.new_page()
        PageWatch().attach(pg)
        pg.goto(server.app_url("empty.ipynb"))
        wait_rendered(pg, ".jp-OutputArea-output")
        assert len(server.kernel_pids()) == 1
        pg.close(run_before_unload=True)
        deadline = time.monotonic() + 15
        while server.kernel_pids() and time.monotonic() < deadline:
            time.sleep(0.2)
        assert server.kernel_pids() == [], server.log()
        assert "_xsrf' argument missing" not in server.log()
        ctx.close()


def test_xsrf_protection_stays_on(voila):
    """A shutdown POST without the token is still refused: the fix did not switch XSRF off."""
    import urllib.error
    import urllib.request

    req = urllib.request.Request(
        voila.url + "/voila/api/shutdown/00000000-0000-0000-0000-0000", data=b"", method="POST"
    )
    with pytest.raises(urllib.error.HTTPError) as err:
        urllib.request.urlopen(req, timeout=10)
    assert err.value.code == 403


def test_trafficking_feedback_names_the_elements_in_any_scenario(voila, page):
    """Issue 10, points 1 and 11: Moussa G. missed as a possible victim of trafficking gets the
    Palermo elements the referral rests on; a person from another scenario's boat, ticked
    wrongly, gets the element that is missing and the facts that would change it."""
    from mixedflows.scenarios import list_scenarios, load_scenario
    from mixedflows.screening import screen

    ex = load_exercise("m1_who_is_in_the_boat")
    boat = cohort_for(ex.scenario, ex.seed, ex.size)
    moussa = next(i for i, p in enumerate(boat) if p.name == "Moussa G.")
    assert screen(boat[moussa]).trafficking.referral
    other, below = next(
        (sid, i)
        for sid in list_scenarios()
        if sid != ex.scenario
        for i, p in enumerate(cohort_for(sid, ex.seed, ex.size))
        if screen(p).trafficking.observed and not screen(p).trafficking.referral
    )
    person = cohort_for(other, ex.seed, ex.size)[below]
    missing = screen(person).trafficking.missing[0]

    page.goto(voila.app_url("who_is_in_the_boat.ipynb", learner="tester-10"))
    wait_rendered(page, ".mf-submit")
    page.select_option(".mf-picker select", label=f"{moussa + 1}. Moussa G.")
    page.wait_for_function("document.querySelector('.mf-person').innerText.includes('Moussa G.')")
    page.select_option(".mf-first-need select", label=NEED_LABELS[Need.COUNSELLING])
    page.click("button.mf-submit")
    page.wait_for_selector(".mf-feedback .mf-score", timeout=30_000)
    feedback = page.inner_text(".mf-feedback")
    assert "Missed 'Possible victim of trafficking'" in feedback, feedback
    assert "Palermo elements shown: act:" in feedback and "means:" in feedback
    assert "purpose:" in feedback and "Indications warranting referral" in feedback

    # Another scenario's boat, graded by the same rules.
    page.select_option(".mf-scenario select", label=load_scenario(other).title)
    # Answers are on the page: another boat is asked for first (issue 13, point 4).
    page.click("button.mf-confirm-yes")
    page.wait_for_function(
        f"document.querySelector('.mf-person').innerText.includes({person.name!r})"
        # ipywidgets writes an option's spaces as no-break spaces
        f" || document.querySelector('.mf-picker select').innerText.replace(/\\u00a0/g, ' ')"
        f".includes({person.name!r})"
    )
    page.select_option(".mf-picker select", label=f"{below + 1}. {person.name}")
    page.wait_for_function(
        f"document.querySelector('.mf-person').innerText.includes({person.name!r})"
    )
    page.click(".mf-profile-trafficking input")
    # Feedback (and so the reference) is shown once a person is answered: a first need too.
    page.select_option(".mf-first-need select", label=NEED_LABELS[Need.COUNSELLING])
    page.click("button.mf-submit")
    page.wait_for_function(
        "document.querySelector('.mf-feedback').innerText.includes('is not indicated')",
        timeout=30_000,
    )
    feedback = page.inner_text(".mf-feedback")
    assert f"missing the {missing}" in feedback, feedback
    assert "What would change it" in feedback
    page.watch.check()

    rows = wait_attempts(voila.store, 2, learner="tester-10", exercise_id=ex.id)
    assert sorted(r.answer.get("scenario") for r in rows) == sorted([ex.scenario, other])
