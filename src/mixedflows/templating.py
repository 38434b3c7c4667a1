"""The course's documents and the server's pages from jinja2 templates, autoescaped (issue 12):
the certificate and the season's debriefs (``mixedflows/templates/``), the course server's own
pages (``mixedflows/server/templates/``). The apps' pieces have their own environment, with
ipywidgets beside it (:mod:`mixedflows.widgets.ui`); this one needs jinja2 only, so the domain
and the server use it without the widgets.

Every ``{{ value }}`` is escaped as :func:`html.escape` escapes (``'`` as ``&#x27;``, ``"`` as
``&quot;``), the form these pages were written in before their templates: a value already HTML
is passed as :class:`~markupsafe.Markup` and shown as it is.
"""

from __future__ import annotations

import html
from functools import cache
from pathlib import Path
from typing import Any

from jinja2 import Environment, FileSystemLoader, StrictUndefined, select_autoescape
from markupsafe import Markup

DOCUMENTS = Path(__file__).with_name("templates")
"""The documents' templates: the certificate, the debriefs."""

__all__ = ["DOCUMENTS", "Markup", "environment", "escaped", "macro", "percent", "render"]


def escaped(value: Any) -> Any:
    """Every value a template shows, escaped by :func:`html.escape` unless it is Markup (the
    environment's ``finalize``: autoescaping then leaves the Markup it returns as it is)."""
    if isinstance(value, Markup):
        return value
    return Markup(html.escape(str(value), quote=True))


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
        finalize=escaped,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )
    env.filters["percent"] = percent
    return env


def render(name: str, folder: Path = DOCUMENTS, **context: Any) -> str:
    """Fill the template ``name`` of ``folder``; every value escaped unless Markup."""
    return environment(folder).get_template(name).render(**context)


def macro(name: str, macro_name: str, *args: Any) -> str:
    """Call the macro ``macro_name`` of the template ``name`` (of :data:`DOCUMENTS`): how a
    result shows itself in a notebook (``notebook.html.j2``), every value escaped unless
    Markup."""
    return str(getattr(environment().get_template(name).module, macro_name)(*args))
