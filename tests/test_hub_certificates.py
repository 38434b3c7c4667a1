"""Issue 16: certificates on a real JupyterHub, in Chromium, loopback only.

A learner who meets the completion rule types the name to print in the course check app on
their own server and presses "Prepare my certificate": the app says the facilitator issues it,
and which name it will print. The facilitator opens the session on the dashboard service,
presses "Prepare certificates" and downloads the certificate: it prints the learner's name,
not the pseudonym, and its code verifies against the store. A participant who has not met the
rule is listed with what is left.

The hub, its service and the learners' servers are those of tests/test_hub.py: the one hub of
the run (tests/shared_hub.py), with users of this test's own (facilitator fac-c, learners chen
and dana).
"""

from __future__ import annotations

import re

import pytest
from test_hub import log_in, open_dashboard, options, spawn_to, spawned_to

from mixedflows import certificate, knowledge
from mixedflows.store import Store

pytest_plugins = ["pg", "shared_hub"]
pytestmark = pytest.mark.browser

CHECK = "widgets/course_check.ipynb"
FACILITATOR = "fac-c"
LEARNER, OTHER = "chen", "dana"  # pseudonyms; the certificate prints the name typed:
NAME = "Chen Diallo-Ortiz"


def complete(store: Store, who: str, session: str) -> None:
    """Attempts at every exercise of the modules the rule asks for, at 70 %, and both checks."""
    modules = list(certificate.course_exercises())[: certificate.REQUIRED_MODULES]
    ids = [e for m in modules for e in certificate.course_exercises()[m]]
    for ex_id in [knowledge.START, *ids, knowledge.END]:
        store.record(
            learner=who, exercise_id=ex_id, answer={}, score=0.7, feedback={}, session=session
        )


def test_the_facilitator_prepares_certificates_printing_the_learners_names(
    tmp_path, shared_hub, chromium
):
    hub, store_url = shared_hub.url, shared_hub.store_url
    ctx, page = log_in(chromium, shared_hub, FACILITATOR)
    try:
        open_dashboard(page, hub)
        assert options(page) == []  # this facilitator's first session
        page.click(".mf-new-session")
        page.wait_for_selector(".mf-join .mf-code", timeout=60_000)
        code = page.inner_text(".mf-join .mf-code")
    finally:
        ctx.close()
    with Store(store_url) as s:  # the learners' work, done earlier in the course
        complete(s, LEARNER, code)
        s.record(learner=OTHER, exercise_id="m1_x", answer={}, score=1.0, feedback={}, session=code)

    # The learner, on their own server: the name to print is kept for the facilitator.
    ctx, page = log_in(chromium, shared_hub, LEARNER)
    try:
        spawn_to(page, hub, LEARNER, f"{CHECK}?session={code}")
        spawned_to(page, LEARNER, CHECK, ".mf-make-certificate")
        page.fill(".mf-print-name input", NAME)
        page.click(".mf-make-certificate")
        page.wait_for_function(
            "() => document.querySelector('.mf-cert-status').innerText.includes('print')",
            timeout=60_000,
        )
        status = page.inner_text(".mf-cert-status")
        assert "issued by your facilitator" in status
        assert f"The name it will print: {NAME}." in status
        assert page.query_selector(".mf-cert-download a") is None  # nothing signed here
        page.watch.check()
    finally:
        ctx.close()

    # The facilitator prepares the certificates and downloads the learner's.
    ctx, page = log_in(chromium, shared_hub, FACILITATOR)
    try:
        open_dashboard(page, hub)
        assert options(page) == [code]
        page.click(".mf-certificates-button")
        page.wait_for_selector(".mf-certificates a.mf-download", timeout=120_000)
        listed = page.inner_text(".mf-certificates")
        assert f"{LEARNER} (printed: {NAME})" in listed
        assert OTHER in listed and "Not yet" in listed
        with page.expect_download() as dl:
            page.click(".mf-certificates a.mf-download")
        saved = tmp_path / dl.value.suggested_filename
        dl.value.save_as(saved)
        page.watch.check()
    finally:
        ctx.close()

    assert saved.name.startswith("mixedflows-certificate-Chen-Diallo-Ortiz-")
    html = saved.read_text(encoding="utf-8")
    assert NAME in html
    code_of_learner = re.search(rf"{LEARNER} \(printed: [^)]*\): code (\S+)", listed).group(1)
    assert code_of_learner in html
    with Store(store_url) as s:
        result = certificate.verify(s, code_of_learner)
    assert result.ok and result.certificate.name == NAME and result.certificate.learner == LEARNER
