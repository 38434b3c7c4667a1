"""One place for the apps' styles and HTML: ``templates/styles.css`` and the jinja2 templates
beside it (``templates/*.html.j2``), rendered with autoescaping on, so learner text and generated
text are escaped by default and no app writes its own f-string HTML or ``<style>``.

- :func:`render` fills a template: ``render("message.html.j2", kind="ok", text=...)``;
- :func:`macros` gives a template's macros, one per piece of an app's HTML, to call from Python;
- :func:`styles` is the one ``<style>`` element every app shows once (:func:`style_widget`);
- :func:`message`, :func:`title`, :func:`table`, :func:`card` are the common pieces.

Text that is already HTML (a rendered piece inside another) is passed as :class:`Markup`.
"""

from __future__ import annotations

import contextlib
from collections.abc import Callable, Iterable, Sequence
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING, Any

import ipywidgets as w
from jinja2 import (
    Environment,
    FileSystemBytecodeCache,
    FileSystemLoader,
    StrictUndefined,
    select_autoescape,
)
from jinja2.bccache import Bucket
from markupsafe import Markup, escape

from mixedflows.results import cited_once

if TYPE_CHECKING:
    from mixedflows.grading import Feedback, GradeResult

TEMPLATES = Path(__file__).with_name("templates")

__all__ = [
    "Markup",
    "card",
    "credit_class",
    "esc",
    "feedback_view",
    "macros",
    "message",
    "paragraphs",
    "render",
    "shared_layout",
    "shared_style",
    "style_widget",
    "styles",
    "table",
    "text",
    "title",
]


@cache
def environment() -> Environment:
    return Environment(
        loader=FileSystemLoader(TEMPLATES),
        bytecode_cache=_compiled_templates(),
        autoescape=select_autoescape(["html", "j2"], default_for_string=True),
        undefined=StrictUndefined,  # a misspelt variable fails the test, not the page
        trim_blocks=True,
        lstrip_blocks=True,
    )


class CompiledTemplates(FileSystemBytecodeCache):
    """jinja2's cache of compiled templates, in the course's cache folder (issue 13 start-up:
    every app's kernel compiled its templates at each start, about 50 ms of CPU for the desk).
    jinja2 checks each entry against its template's source and its own version, and writes it
    whole or not at all; an entry it cannot read is compiled again, one it cannot write is not
    kept: the page never fails for its cache."""

    def load_bytecode(self, bucket: Bucket) -> None:
        try:
            super().load_bytecode(bucket)
        except Exception:  # damaged (marshal's EOFError, ValueError...) or unreadable
            bucket.reset()

    def dump_bytecode(self, bucket: Bucket) -> None:
        with contextlib.suppress(OSError):
            super().dump_bytecode(bucket)


def _compiled_templates() -> CompiledTemplates | None:
    """The cache of compiled templates, or None (compile each time) when its folder cannot be
    made."""
    from mixedflows.memo import cache_dir

    try:
        folder = cache_dir() / "templates"
        folder.mkdir(parents=True, exist_ok=True)
    except (OSError, RuntimeError):  # RuntimeError: no home folder to be found
        return None
    return CompiledTemplates(str(folder))


def render(name: str, **context: Any) -> str:
    """Fill the template ``name`` (in ``templates/``); every value is escaped unless Markup."""
    return environment().get_template(name).render(**context)


def macros(name: str) -> Any:
    """The macros of the template ``name`` (in ``templates/``), to call from Python: each
    escapes its arguments unless Markup and returns Markup, so one piece can be passed into
    another (``macros("dashboard.html.j2").table(headers, rows)``)."""
    return environment().get_template(name).module


def esc(text: Any) -> str:
    """Escape anything shown in HTML outside a template."""
    return str(escape(str(text)))


@cache
def styles() -> str:
    """The apps' stylesheet as one ``<style>`` element."""
    css = (TEMPLATES / "styles.css").read_text(encoding="utf-8")
    return render("styles.html.j2", css=Markup(css))


class _Shared:
    """A layout or style given to many widgets: one widget model for the page to create instead
    of one per widget (issue 13 start-up: every widget's own layout and style were about half of
    an app's models). Set once: changing it would change every widget it is given to, so a
    change raises; a widget whose look changes gets a layout or style of its own."""

    _mf_frozen = False

    def __setattr__(self, name: str, value: Any) -> None:
        if self._mf_frozen and not name.startswith("_") and name in self.keys:
            raise AttributeError(
                f"a shared {type(self).__name__} is never changed ({name}): give the widget "
                "a layout or style of its own"
            )
        super().__setattr__(name, value)


@cache
def _shared_class(cls: type) -> type:
    return type(f"Shared{cls.__name__}", (_Shared, cls), {})


_SHARED: dict[tuple[type, tuple[tuple[str, Any], ...]], w.Widget] = {}


def _shared(cls: type, traits: dict[str, Any]) -> Any:
    key = (cls, tuple(sorted(traits.items())))
    got = _SHARED.get(key)
    if got is None or got.comm is None:  # none yet, or closed (Widget.close_all)
        got = _shared_class(cls)(**traits)
        object.__setattr__(got, "_mf_frozen", True)
        _SHARED[key] = got
    return got


def shared_layout(**traits: Any) -> w.Layout:
    """The kernel's one layout with these traits (default: none set), never changed."""
    return _shared(w.Layout, traits)


def shared_style(widget_class: type, **traits: Any) -> Any:
    """The kernel's one style of ``widget_class``'s kind (an ``HTMLStyle`` for ``w.HTML``...)
    with these traits, never changed."""
    return _shared(widget_class.class_traits()["style"].klass, traits)


def text(value: str = "", css: str = "") -> w.HTML:
    """An HTML widget with the shared layout and style (its look is its HTML's and the
    stylesheet's): static text, or text replaced by setting ``value``."""
    box = w.HTML(value, layout=shared_layout(), style=shared_style(w.HTML))
    for c in css.split():
        box.add_class(c)
    return box


def style_widget() -> w.HTML:
    """An (invisible) widget carrying the stylesheet; every app shows it once. One widget for
    the kernel (never changed), however many apps or panels a page shows: the facilitator's
    dashboard page showed four copies, four models of 13 KB each (issue 13)."""
    return _shared(
        w.HTML,
        {
            "value": styles(),
            "layout": shared_layout(margin="0"),
            "style": shared_style(w.HTML),
            "_dom_classes": ("mf-styles",),
        },
    )


def message(kind: str, text: str) -> str:
    """A one-line message; ``kind`` is ok, part (a warning) or bad."""
    return render("message.html.j2", kind=kind, text=text)


_notice_shown = False


def page_notice() -> str:
    """On a server whose store is thrown away with the session (Binder), the line saying
    progress is not kept and how to keep it (issue 16): once per page, so the first time it is
    asked for in this kernel (Voila runs each page in a kernel of its own), then ``""``. A
    page of several titles (the policy lab's steps, a module's apps) shows it once, under
    the first."""
    global _notice_shown
    from mixedflows.progress import temporary_store_notice

    notice = temporary_store_notice()
    if not notice or _notice_shown:
        return ""
    _notice_shown = True
    return notice


_identity_shown = False


def identity(learner: str, session: str) -> str:
    """The line saying under which pseudonym (and session) the page records answers, for a
    page opened from a session's link (the join page's): once per page, like
    :func:`page_notice`, then ``""``. A cold trial: the join page kept a name otherwise than
    typed and the app never showed it."""
    global _identity_shown
    if _identity_shown or not learner:
        return ""
    _identity_shown = True
    return render("identity.html.j2", learner=learner, session=session)


def titled(header: Any) -> Any:
    """``header`` (an HTML widget holding a title), which says under it, once the page's
    participant is known, the pseudonym and session its answers are recorded under, when the
    page's link names the learner and no title of the page has said it yet (:func:`identity`).
    Every app's title is made through here, so the first one built says it."""
    from mixedflows.server import session as sess

    def claimed() -> None:
        if not sess.query_params().get("learner"):
            return
        try:
            learner, session = sess.learner_id(), sess.session_code()
        except sess.ParticipantUnknownError:
            return  # no one known: nothing to say
        line = identity(learner, session)
        if line:
            header.value += line

    sess.when_claimed(claimed)
    return header


def title(text: str, subtitle: str = "") -> str:
    """An app's title, with the page's temporary-store notice under the page's first title
    (:func:`page_notice`)."""
    return render("title.html.j2", text=text, subtitle=subtitle, notice=page_notice())


def table(
    headers: Sequence[str],
    rows: Iterable[Sequence[Any]],
    *,
    caption: str = "",
    css: str = "",
    widths: Sequence[str] = (),
    row_css: Sequence[str] = (),
) -> str:
    """A table; a cell is text or a ``(text, css class)`` pair; everything escaped;
    ``row_css`` gives each row a class (a test or a stylesheet can find it)."""
    return render(
        "table.html.j2",
        headers=list(headers),
        rows=[list(r) for r in rows],
        caption=caption,
        css=css,
        widths=list(widths),
        row_css=list(row_css),
    )


def paragraphs(*texts: str) -> str:
    """Plain text as escaped paragraphs."""
    return render("paragraphs.html.j2", texts=texts)


def credit_class(credit: float) -> str:
    """The colour class of an item's credit: full, partial or none (said in words too)."""
    return "mf-ok" if credit >= 0.999 else ("mf-part" if credit > 0 else "mf-bad")


def feedback_view(
    result: GradeResult,
    *,
    items: Sequence[Feedback] | None = None,
    label: Callable[[str], str] | None = None,
    stale: bool = False,
    hidden: str = "",
) -> str:
    """A grade as escaped HTML (``feedback.html.j2``): the score (withdrawn when ``stale``),
    the summary, and the items given (all by default), each named by ``label``; ``hidden`` is
    a line saying what is not shown and why."""
    shown = result.items if items is None else items
    name = label or (lambda item: item)
    rows, caveats = [], []
    heads = cited_once([split_caveat(f.citation)[0] for f in shown])
    for f, cite in zip(shown, heads, strict=True):
        # A caveat shared by many items (the ILO/EC rule's, say) is said once, under the list.
        caveat = split_caveat(f.citation)[1]
        if caveat and caveat not in caveats:
            caveats.append(caveat)
        rows.append(
            {
                "label": name(f.item),
                "credit_text": f"{f.credit:.0%}",
                "css": credit_class(f.credit),
                "message": f.message,
                "citation": cite,
            }
        )
    return render(
        "feedback.html.j2",
        score=result.score,
        summary=result.summary,
        stale=stale,
        hidden=hidden,
        items=rows,
        caveats=caveats,
    )


def split_caveat(citation: str) -> tuple[str, str]:
    """``"framework; ¶17 (caveat: what is uncertain)"`` -> the citation and the caveat (the
    form of ``Citation.text()``)."""
    head, sep, tail = citation.partition(" (caveat: ")
    if sep and tail.endswith(")"):
        return head, tail[:-1]
    return citation, ""


def card(heading: str = "", paragraphs: Sequence[str] = (), note: str = "") -> str:
    return render("card.html.j2", heading=heading, paragraphs=list(paragraphs), note=note)
