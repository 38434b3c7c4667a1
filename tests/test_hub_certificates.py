"""Issue 16: certificates on a real JupyterHub, in Chromium, loopback only.

A learner who meets the completion rule types the name to print in the course check app on
their own server and presses "Prepare my certificate": the app says the facilitator issues it,
and which name it will print. The facilitator opens the session on the dashboard service,
presses "Prepare certificates" and downloads the certificate: it prints the learner's name,
not the pseudonym, and its code verifies against the store. A participant who has not met the
rule is listed with what is left.

The hub, its service and the learners' servers are those of tests/test_hub.py.
"""

from __future__ import annotations

import re
import urllib.parse

import pytest
from harness import wait_rendered
from test_hub import log_in, open_dashboard, options, running_hub

from mixedflows import certificate, knowledge
from mixedflows.store import Store

pytest_plugins = ["pg"]
pytestmark = pytest.mark.browser

CHECK = "widgets/course_check.ipynb"
NAME = "Amina Diallo-Ortiz"


def complete(store: Store, who: str, session: str) -> None:
    """Attempts at every exercise of the modules the rule asks for, at 70 %, and both checks."""
    modules = list(certificate.course_exercises())[: certificate.REQUIRED_MODULES]
    ids = [e for m in modules for e in certificate.course_exercises()[m]]
    for ex_id in [knowledge.START, *ids, knowledge.END]:
        store.record(
            learner=who, exercise_id=ex_id, answer={}, score=0.7, feedback={}, session=session
        )


def test_the_facilitator_prepares_certificates_printing_the_learners_names(
    tmp_path, postgres_url, chromium
):
    with running_hub(tmp_path, postgres_url) as hub:
        ctx, page = log_in(chromium, hub, "fac-a")
        try:
            open_dashboard(page, hub)
            page.click(".mf-new-session")
            page.wait_for_selector(".mf-join .mf-code", timeout=60_000)
            code = page.inner_text(".mf-join .mf-code")
        finally:
            ctx.close()
        with Store(postgres_url) as s:  # the learners' work, done earlier in the course
            complete(s, "amina", code)
            s.record(
                learner="bruno", exercise_id="m1_x", answer={}, score=1.0, feedback={}, session=code
            )

        # The learner, on their own server: the name to print is kept for the facilitator.
        ctx, page = log_in(chromium, hub, "amina")
        try:
            app = f"/user/amina/voila/render/{CHECK}?session={code}"
            page.goto(f"{hub}/hub/spawn/amina?next={urllib.parse.quote(app, safe='')}")
            page.wait_for_url(f"**/user/amina/voila/render/{CHECK}*", timeout=180_000)
            page.watch.errors[:] = [
                e
                for e in page.watch.errors
                if not ("/hub/api/users/amina/server/progress" in e and "ERR_ABORTED" in e)
            ]
            wait_rendered(page, ".mf-make-certificate", timeout=180_000)
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

        # The facilitator prepares the certificates and downloads Amina's.
        ctx, page = log_in(chromium, hub, "fac-a")
        try:
            open_dashboard(page, hub)
            assert options(page) == [code]
            page.click(".mf-certificates-button")
            page.wait_for_selector(".mf-certificates a.mf-download", timeout=120_000)
            listed = page.inner_text(".mf-certificates")
            assert f"amina (printed: {NAME})" in listed
            assert "bruno" in listed and "Not yet" in listed
            with page.expect_download() as dl:
                page.click(".mf-certificates a.mf-download")
            saved = tmp_path / dl.value.suggested_filename
            dl.value.save_as(saved)
            page.watch.check()
        finally:
            ctx.close()

    assert saved.name.startswith("mixedflows-certificate-Amina-Diallo-Ortiz-")
    html = saved.read_text(encoding="utf-8")
    assert NAME in html
    code_of_amina = re.search(r"amina \(printed: [^)]*\): code (\S+)", listed).group(1)
    assert code_of_amina in html
    with Store(postgres_url) as s:
        result = certificate.verify(s, code_of_amina)
    assert result.ok and result.certificate.name == NAME and result.certificate.learner == "amina"
