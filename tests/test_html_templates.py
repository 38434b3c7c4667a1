"""The HTML is in templates, where every value is escaped once (issue 12): the apps'
(``widgets/templates/*.html.j2``), the course server's own pages (``server/templates/``: the
apps list, the join page, the error pages), the documents a participant downloads and the
results' notebook views (``templates/``: the certificate, the season's debriefs,
``notebook.html.j2``). No module of the package holds HTML in its Python (but those of
:data:`ALLOWED`, each with its reason), and participant text is shown as typed.
"""

from __future__ import annotations

import ast
import re
from pathlib import Path

import pytest

from mixedflows.store import Store

PACKAGE = Path(__file__).resolve().parents[1] / "src/mixedflows"
WIDGETS = PACKAGE / "widgets"
ALLOWED: dict[str, str] = {}
"""The modules (paths under ``src/mixedflows``) allowed to hold HTML literals, each with its
reason: none since issue 12 (every piece has its template; the stylesheet is styles.css)."""
MODULES = sorted(str(p.relative_to(PACKAGE)) for p in PACKAGE.rglob("*.py"))
TEMPLATE_FOLDERS = (WIDGETS / "templates", PACKAGE / "server/templates", PACKAGE / "templates")
TAG = re.compile(r"(?<!\?P)<\s*/?\s*[a-zA-Z][\w-]*[\s>/]")
"""An HTML tag; not a regular expression's named group (``(?P<name>...)``)."""


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
    assert not html_literals('x = r"\\.(?P<name>.+)\\.tmp"')
    assert html_literals('x = "(?P<b>x)<b>bold</b>"')
    assert not html_literals('def f():\n    """Shows a <b>name</b>."""\n    return 1')
    assert not html_literals('X = ""\n"""Rules once in their own ``<style>``."""')


@pytest.mark.parametrize("module", [m for m in MODULES if m not in ALLOWED])
def test_the_module_writes_no_html_of_its_own(module):
    assert html_literals((PACKAGE / module).read_text(encoding="utf-8")) == []


def test_the_check_reads_every_module():
    assert {"server/pages.py", "server/voila_app.py", "certificate.py"} <= set(MODULES)
    assert {"capstone/report.py", "widgets/dashboard/app.py", "results.py"} <= set(MODULES)
    assert {"screening.py", "reception/outputs.py", "regularization/validation.py"} <= set(MODULES)
    assert len(MODULES) > 150


def test_every_allowed_module_still_needs_it():
    """An entry of ALLOWED names a module that exists and still holds HTML (else remove it)."""
    assert set(ALLOWED) <= set(MODULES)
    assert [m for m in ALLOWED if not html_literals((PACKAGE / m).read_text())] == []


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


HOSTILE = '<script>alert("x")</script>O\'Brien {{ 7*7 }} & <b>'
HOSTILE_SHOWN = (
    "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;O&#x27;Brien {{ 7*7 }} &amp; &lt;b&gt;"
)
""":data:`HOSTILE` as the server's pages and the documents show it: escaped once (as
:func:`html.escape` escapes), a template's braces kept as typed (never evaluated)."""


def _shows_hostile_as_text(page: str, times: int = 1) -> None:
    assert "<script" not in page and "<b>O" not in page and "Brien 49" not in page
    # ({{ 7*7 }} evaluated would read "Brien 49"; a bare "49" is in any page stamped at :49)
    assert page.count(HOSTILE_SHOWN) >= times, page


@pytest.mark.parametrize("folder", TEMPLATE_FOLDERS[1:], ids=["server", "documents"])
def test_every_page_and_document_template_escapes(folder):
    """Autoescaping is on for every template of the server's pages and of the documents, and
    a value is escaped as it was before the templates (``&#x27;``, ``&quot;``: the same bytes)."""
    from mixedflows.templating import Markup, as_html_escape, environment

    env = environment(folder)
    names = sorted(p.name for p in folder.glob("*.j2"))
    assert len(names) >= 4 and [n for n in names if not env.autoescape(n)] == []
    template = env.from_string("{{ a }}|{{ b }}|{{ n }}")
    shown = as_html_escape(template.render(a=HOSTILE, b=Markup("<i>x</i>"), n=3))
    assert shown == f"{HOSTILE_SHOWN}|<i>x</i>|3"
    # as_html_escape rewrites only entities the escaping wrote: no template writes them itself
    assert [n for n in names if re.search("&#(39|34);", (folder / n).read_text("utf-8"))] == []


class _Handler:
    """What the server's page code reads of a tornado handler, and what it writes."""

    base_url = "/base/"

    def __init__(self, query: str = "", root: Path | None = None):
        from types import SimpleNamespace

        from mixedflows.server.pages import FriendlyErrors

        self.MESSAGES = FriendlyErrors.MESSAGES
        self.request = SimpleNamespace(query=query)
        self.settings = {"mixedflows_root": str(root)}
        self.root = root
        self.status, self.body, self.redirected, self.cookies = 200, "", "", {}
        self.log = SimpleNamespace(warning=lambda *a, **k: None)

    def set_status(self, status):
        self.status = status

    def finish(self, body):
        self.body = body

    def redirect(self, url):
        self.redirected = url

    def get_cookie(self, name):
        return self.cookies.get(name)

    def set_cookie(self, name, value, **_kw):
        self.cookies[name] = value

    def set_header(self, *_a):
        pass


def test_the_join_and_error_pages_show_hostile_text_as_text(tmp_path, monkeypatch):
    """The join page (a session code set for the server is shown unchanged), a refused link
    (its problem names the pseudonym) and a seat taken: the hostile text is text."""
    from urllib.parse import urlencode

    from mixedflows.server import pages

    for app in ("a_app", "b_app"):
        (tmp_path / f"{app}.ipynb").write_text("{}")
    monkeypatch.setenv("MIXEDFLOWS_SEATS", str(tmp_path / "seats.json"))
    monkeypatch.setenv("MIXEDFLOWS_SESSION", HOSTILE)
    join = pages.JoinHandler.get.__wrapped__  # without tornado's login check

    h = _Handler(urlencode({"app": "b_app.ipynb"}), tmp_path)
    join(h)
    _shows_hostile_as_text(h.body, times=2)  # the session shown, and in the form's field
    assert '<option value="b_app.ipynb" selected>B app</option>' in h.body
    assert "Please type a name to be known by" in h.body and h.status == 200

    for _browser in range(2):  # the second browser finds the seat taken
        h = _Handler(urlencode({"learner": "ana", "app": "a_app.ipynb"}), tmp_path)
        join(h)
    assert h.status == 409 and 'class="mf-seat-taken"' in h.body
    _shows_hostile_as_text(h.body, times=2)

    h = _Handler()
    pages._refuse_link(h, f"the pseudonym {HOSTILE} is given twice", session=HOSTILE)
    assert h.status == 400
    _shows_hostile_as_text(h.body)
    assert f'<a href="/base/join?{urlencode({"session": HOSTILE}).replace("&", "&amp;")}">' in (
        h.body
    )

    h = _Handler()
    pages.FriendlyErrors.write_error(h, 404)
    assert "<title>Page not found</title>" in h.body and "<h1>Page not found</h1>" in h.body

    monkeypatch.delenv("MIXEDFLOWS_SESSION")
    h = _Handler(root=tmp_path)
    pages.IndexHandler.get(h)
    assert '<li><a href="/base/voila/render/a_app.ipynb">A app</a></li>' in h.body


def test_the_server_pages_show_hostile_text_as_text():
    """Every page of the server's templates, given hostile text for every value it shows."""
    from mixedflows.server.pages import page

    shown = [
        page("error.html.j2", title=HOSTILE, text=HOSTILE),
        page("link_refused.html.j2", problem=HOSTILE, join=HOSTILE),
        page("name_in_use.html.j2", taken=HOSTILE, join=HOSTILE),
        page("please_wait.html.j2", retry=HOSTILE),
        page("apps.html.j2", apps=[(HOSTILE, HOSTILE)]),
        page(
            "join.html.j2",
            session=HOSTILE,
            problem="taken",
            taken=HOSTILE,
            not_visible=HOSTILE,
            action=HOSTILE,
            apps=[(HOSTILE, HOSTILE)],
            app=HOSTILE,
            kept="",
            allowed=HOSTILE,
        ),
        page(  # a pseudonym shown back as it would be kept: prefilled, and in the alert
            "join.html.j2",
            session=HOSTILE,
            problem="changed",
            taken="",
            not_visible="",
            action=HOSTILE,
            apps=[],
            app="",
            kept=HOSTILE,
            allowed="",
        ),
    ]
    for html in shown:
        _shows_hostile_as_text(html, times=2)


def test_the_certificate_shows_hostile_names_as_text():
    from mixedflows.certificate import Certificate, certificate_html

    cert = Certificate("ABCD-EFGH", HOSTILE, HOSTILE + "!", (1, 2), "2026-12-02")
    page = certificate_html(cert)
    _shows_hostile_as_text(page, times=3)  # title, name, pseudonym
    assert f'<p class="alias">Pseudonym in the course: {HOSTILE_SHOWN}</p>' in page
    assert "<ul><li>" in page and "2 modules" in page
    same = certificate_html(Certificate("ABCD-EFGH", "ana", "ana", (1,), "2026-12-02"))
    assert 'class="alias"' not in same


def test_the_debriefs_show_hostile_names_as_text():
    """The learner's debrief and the facilitator's set (a hostile learner, team and session)."""
    from types import SimpleNamespace

    from mixedflows.capstone import play
    from mixedflows.capstone.report import debrief_html, session_debriefs

    answers = {
        "rescue": {"port": "alba", "on_board": ["care"], "informed": ["reception"]},
        "reception": dict(
            medical=3, screening=6, child_protection=2, mediation=6, beds=190, transfers_per_day=200
        ),
    }
    page = debrief_html(play("port_alba_season", answers), learner=HOSTILE, team=HOSTILE)
    _shows_hostile_as_text(page, times=2)
    attempts = [
        SimpleNamespace(
            exercise_id="m11_season_on_the_route",
            learner=who,
            answer=answer,
            created_at="2026-01-01T10:00:00Z",
        )
        for who, answer in [
            (HOSTILE, {**answers, "team": HOSTILE}),
            ("<i>old</i>", {"rescue": {"port": "atlantis"}}),
        ]
    ]
    got = session_debriefs(attempts, HOSTILE, scenario="port_alba_season")
    assert got.shown == (HOSTILE,) and got.not_replayed == ("<i>old</i>",)
    _shows_hostile_as_text(got.page, times=6)  # title, heading, contents (2), the debrief (2)
    assert "<i>old" not in got.page and "&lt;i&gt;old&lt;/i&gt;" in got.page


def test_the_results_notebook_views_show_hostile_text_as_text():
    """A grade's view (its item, message, summary and citation hostile), and every macro of
    ``notebook.html.j2`` given hostile text for every value it shows."""
    from mixedflows.results import Feedback, GradeResult
    from mixedflows.templating import macro

    fb = Feedback(item=HOSTILE, credit=0.5, message=HOSTILE, citation=HOSTILE)
    view = GradeResult("x", 0.5, (fb,), summary=HOSTILE)._repr_html_()
    _shows_hostile_as_text(view, times=4)
    assert "<li><b>&lt;script&gt;" in view and "(50%)" in view
    shown = [
        macro("notebook.html.j2", "grade_result", HOSTILE, HOSTILE, [(HOSTILE, 1, HOSTILE, "")]),
        macro("notebook.html.j2", "referrals", [(HOSTILE, HOSTILE, "")]),
        macro("notebook.html.j2", "reception_result", HOSTILE, 1, "", [(HOSTILE, "")]),
        macro("notebook.html.j2", "reception_debrief", "", [(HOSTILE, HOSTILE)]),
        macro("notebook.html.j2", "outcomes", HOSTILE, [(HOSTILE, "")], ""),
        macro("notebook.html.j2", "validation", HOSTILE, [(HOSTILE,)], [(1, 2, 3, 4)], ()),
    ]
    for html in shown:
        _shows_hostile_as_text(html, times=2)
