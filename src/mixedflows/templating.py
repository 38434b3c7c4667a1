"""The course's documents and the server's pages from jinja2 templates, autoescaped (issue 12):
the certificate and the season's debriefs (``mixedflows/templates/``), the course server's own
pages (``mixedflows/server/templates/``). The apps' pieces have their own environment, with
ipywidgets beside it (:mod:`mixedflows.widgets.ui`); this one needs jinja2 only, so the domain
and the server use it without the widgets.

Every ``{{ value }}`` is escaped (markupsafe's escaping, as the apps' templates); a value
already HTML is passed as :class:`~markupsafe.Markup` and shown as it is. :func:`render` and
:func:`macro` then write the two entities markupsafe spells its own way as :func:`html.escape`
does (``&#39;`` as ``&#x27;``, ``&#34;`` as ``&quot;``: :func:`as_html_escape`), the bytes these
pages had before their templates (a downloaded debrief, a certificate, a test that reads them).
A ``finalize`` doing it value by value cost 1.5 ms more per debrief (0.4 -> 1.9 ms CPU): once
over the page costs nothing worth measuring.
"""

from __future__ import annotations

from functools import cache
from pathlib import Path
from typing import Any

from jinja2 import Environment, FileSystemLoader, StrictUndefined, select_autoescape
from markupsafe import Markup

DOCUMENTS = Path(__file__).with_name("templates")
"""The documents' templates: the certificate, the debriefs."""

__all__ = ["DOCUMENTS", "Markup", "as_html_escape", "environment", "macro", "percent", "render"]


def as_html_escape(page: str) -> str:
    """``page`` with markupsafe's ``&#39;`` and ``&#34;`` written as :func:`html.escape` writes
    them (``&#x27;``, ``&quot;``). Safe on a rendered page: an ``&`` typed by anyone is escaped
    (``&amp;#39;``), so those two entities come only from the escaping of ``'`` and ``"`` (no
    template of these folders writes them literally: a test checks)."""
    return page.replace("&#39;", "&#x27;").replace("&#34;", "&quot;")


def percent(share: float) -> str:
    """A share as a whole percentage: ``0.456`` -> ``46%``."""
    return f"{share:.0%}"


@cache
def environment(folder: Path = DOCUMENTS) -> Environment:
    """The environment of the templates in ``folder``: autoescaping on for every template,
    a misspelt variable an error (not an empty string), whitespace as written."""
    env = Environment(
        loader=FileSystemLoader(folder),
        autoescape=select_autoescape(["html", "j2"], default_for_string=True),
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )
    env.filters["percent"] = percent
    return env


def render(name: str, folder: Path = DOCUMENTS, **context: Any) -> str:
    """Fill the template ``name`` of ``folder``; every value escaped unless Markup."""
    return as_html_escape(environment(folder).get_template(name).render(**context))


def macro(name: str, macro_name: str, *args: Any) -> str:
    """Call the macro ``macro_name`` of the template ``name`` (of :data:`DOCUMENTS`): how a
    result shows itself in a notebook (``notebook.html.j2``), every value escaped unless
    Markup."""
    return as_html_escape(str(getattr(environment().get_template(name).module, macro_name)(*args)))
