"""The apps' HTML is in templates (``widgets/templates/*.html.j2``), where every value is escaped
once (issue 12): no module of ``mixedflows.widgets`` holds HTML in its Python (but those of
:data:`ALLOWED`, each with its reason), and participant text is shown as typed.
"""

from __future__ import annotations

import ast
import re
from pathlib import Path

import pytest

from mixedflows.store import Store

WIDGETS = Path(__file__).resolve().parents[1] / "src/mixedflows/widgets"
ALLOWED: dict[str, str] = {}
"""The widget modules (paths under ``widgets/``) allowed to hold HTML literals, each with its
reason: none since issue 12 (every piece has its template; the stylesheet is styles.css)."""
MODULES = sorted(str(p.relative_to(WIDGETS)) for p in WIDGETS.rglob("*.py"))
TAG = re.compile(r"<\s*/?\s*[a-zA-Z][\w-]*[\s>/]")


def html_literals(source: str) -> list[str]:
    """The string literals (f-string parts included) of ``source`` that hold an HTML tag;
    docstrings (a bare string statement: of a module, class, function or attribute), which may
    name a tag, are not read."""
    tree = ast.parse(source)
    docstrings = {
        id(node.value)
        for node in ast.walk(tree)
        if isinstance(node, ast.Expr) and isinstance(node.value, ast.Constant)
    }
    return [
        node.value
        for node in ast.walk(tree)
        if isinstance(node, ast.Constant)
        and isinstance(node.value, str)
        and id(node) not in docstrings
        and TAG.search(node.value)
    ]


def test_the_check_finds_html_in_python():
    assert html_literals('x = f"<h3>{esc(text)}</h3>"')
    assert html_literals("x = '<span class=\"mf-why\">' + y")
    assert not html_literals('x = "3 < 4 and 5 > 2"')
    assert not html_literals('def f():\n    """Shows a <b>name</b>."""\n    return 1')
    assert not html_literals('X = ""\n"""Rules once in their own ``<style>``."""')


@pytest.mark.parametrize("module", [m for m in MODULES if m not in ALLOWED])
def test_the_module_writes_no_html_of_its_own(module):
    assert html_literals((WIDGETS / module).read_text(encoding="utf-8")) == []


def test_every_allowed_module_still_needs_it():
    """An entry of ALLOWED names a module that exists and still holds HTML (else remove it)."""
    assert set(ALLOWED) <= set(MODULES)
    assert [m for m in ALLOWED if not html_literals((WIDGETS / m).read_text())] == []


def test_every_template_escapes_what_it_is_given():
    """Autoescaping is on for every template of widgets/templates, and a macro of each app
    converted in issue 12 shows hostile text as text."""
    from mixedflows.widgets import ui

    env = ui.environment()
    names = sorted(p.name for p in (WIDGETS / "templates").glob("*.j2"))
    assert len(names) > 20 and [n for n in names if not env.autoescape(n)] == []
    bad = '<img src=x onerror="alert(1)">'
    shown = [
        ui.macros("season.html.j2").heard(bad, True, bad),
        ui.macros("cooperation.html.j2").role_view(bad, 1, bad, bad, [bad], [bad]),
        ui.macros("screening_desk.html.j2").transcript([(bad, bad)]),
        ui.macros("casework.html.j2").card(bad, bad, [bad], bad),
        ui.macros("returns.html.j2").card(bad, bad, [bad]),
        ui.macros("reception.html.j2").caveats(bad, [bad], [bad]),
        ui.macros("course_check.html.j2").download(
            bad,
            "x",
        ),
        ui.paragraphs(bad),
    ]
    for html in shown:
        assert "<img" not in html and "&lt;img src=x onerror=&#34;alert(1)&#34;&gt;" in html


def test_participant_text_is_escaped_once(tmp_path):
    """A name with an apostrophe, an ampersand or markup in it is shown as typed: escaped once,
    in the certificates' list as in every table (the printed name was escaped twice there:
    "O&amp;#39;Brien" on the page read "O&#39;Brien")."""
    from mixedflows import certificate, knowledge
    from mixedflows.widgets.dashboard import Dashboard

    name = "Seán O'Brien & <Co>"
    with Store(tmp_path / "a.sqlite") as s:
        code = s.create_session("fac")
        modules = list(certificate.course_exercises())[: certificate.REQUIRED_MODULES]
        ids = [e for m in modules for e in certificate.course_exercises()[m]]
        for ex_id in [knowledge.START, *ids, knowledge.END]:
            s.record(
                learner="ana", exercise_id=ex_id, answer={}, score=0.7, feedback={}, session=code
            )
        s.record(learner="bo", exercise_id=ids[0], answer={}, score=1.0, feedback={}, session=code)
        certificate.keep_print_name(s, "ana", name)
        d = Dashboard(s, code, owner="fac")
        (cert,) = d.certificates()
        assert cert.name == name
        shown = d.cert_links.value
        assert "(printed: Seán O&#39;Brien &amp; &lt;Co&gt;)" in shown, shown
        assert "&amp;#39;" not in shown and "&amp;amp;" not in shown and "<Co>" not in shown
        assert "Not yet (1)" in shown and "<li>bo: Not yet" in shown


def test_the_other_downloads_stand_when_the_season_debriefs_fail(tmp_path, monkeypatch):
    """The dashboard's downloads when module 11's debriefs cannot be prepared: the grades and
    summaries, and a line that says so (from the template, not the traceback)."""
    from mixedflows.capstone import report
    from mixedflows.widgets.dashboard import Dashboard

    def broken(*_a, **_k):
        raise RuntimeError("<boom>")

    monkeypatch.setattr(report, "session_debriefs", broken)
    with Store(tmp_path / "a.sqlite") as s:
        s.record(learner="ana", exercise_id="m1_x", answer={}, score=1.0, feedback={}, session="w")
        d = Dashboard(s, "w")
        d.export()
    shown = d.downloads.value
    assert shown.count('class="mf-download"') == 2 and "boom" not in shown
    assert '<div class="mf-why">The season debriefs could not be prepared.</div>' in shown
