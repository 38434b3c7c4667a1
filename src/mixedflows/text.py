"""Sentences put together from parts (names, findings, limits), and the check that they read.

Text a learner sees is often joined from data: a list of names ending in an initial ("Meron
G."), a limit written as a sentence of its own, a finding after a source. Joined by hand they
gave "Meron G.." and "; Terminology". :func:`sentence` and :func:`joined` join them here, once;
:func:`prose_problems` is what the tests run over every generated text.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

_END = (".", "!", "?", "…", ".)", '."', ".”")
# A word ending in a full stop that does not end a sentence: an initial ("Meron G. and"), or an
# abbreviation the course writes ("art. 3", "No. 6", "para. 22", "e.g. the", "et al. found").
_ABBREV = re.compile(
    r"(?:\b[A-Z]|\b(?:art|arts|Art|No|no|nos|para|paras|ch|reg|p|pp|vol|v|vs|Dr|Mr|Mrs|Ms|St"
    r"|al|cf|ca|approx|Jr|Inc|e\.g|i\.e|U\.S|etc))\.$"
)
_TAG = re.compile(r"<[^>]+>")


def sentence(text: str) -> str:
    """``text`` as one sentence: spaces collapsed, a capital first letter, one closing full
    stop (none added after text that already ends one, such as an initial: "Meron G.")."""
    t = " ".join(text.split())
    if not t:
        return ""
    t = t[0].upper() + t[1:]
    return t if t.endswith(_END) else t + "."


def joined(items: Iterable[str], last: str = "and") -> str:
    """Items as a list inside a sentence: "a", "a and b", "a, b and c"."""
    xs = [x for x in items if x]
    if len(xs) < 2:
        return "".join(xs)
    return ", ".join(xs[:-1]) + f" {last} " + xs[-1]


def _around(t: str, start: int, end: int) -> str:
    return "…" + t[max(0, start - 30) : end + 20].replace("\n", " ") + "…"


def prose_problems(text: str, common: set[str] | None = None) -> list[str]:
    """What is wrong with how ``text`` (plain or HTML) is put together: '..', a space before a
    full stop or a comma, two spaces in a row, a small letter starting a sentence after a full
    stop, a capital after a semicolon on an ordinary word (one of ``common``, the words the
    caller has seen in small letters; by default those of ``text`` itself). [] when it reads."""
    out: list[str] = []
    flat = _TAG.sub("", text)  # inline: "<b>x</b> y" reads "x y"
    blocks = _TAG.sub("\n", text)  # a tag may end a sentence without a full stop
    if common is None:
        common = set(re.findall(r"\b[a-z]{2,}\b", blocks))
    for m in re.finditer(r"(?<![.…])\.\.(?![.…])", flat):
        out.append(f"'..' in {_around(flat, m.start(), m.end())}")
    for m in re.finditer(r"\S [.,;:](?=\s|$)", flat):
        out.append(f"a space before punctuation in {_around(flat, m.start(), m.end())}")
    for line in flat.splitlines():
        for m in re.finditer(r"\S {2,}\S", line.strip()):
            out.append(f"two spaces in {_around(line.strip(), m.start(), m.end())}")
    for m in re.finditer(r"(\S+)\. ([a-z]\w*)", blocks):
        word = m.group(1) + "."
        if _ABBREV.search(word) or re.search(r"\d\.$", word) or "." in m.group(1):
            continue
        out.append(f"a small letter after a full stop in {_around(blocks, m.start(), m.end())}")
    for m in re.finditer(r"; ([A-Z][a-z]+)\b", blocks):
        if m.group(1).lower() in common:
            out.append(f"a capital after a semicolon in {_around(blocks, m.start(), m.end())}")
    return out


class Markdown(str):
    """Markdown a notebook shows as Markdown (Voila renders it; a test reads it as a string)."""

    def _repr_markdown_(self) -> str:
        return str(self)


def bullets(items: Iterable[str]) -> Markdown:
    """Items as a Markdown list, one per line."""
    return Markdown("\n".join(f"- {x}" for x in items if x))
