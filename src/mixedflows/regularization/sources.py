"""The sources of the policy lab (module 8) as a learner reads them.

``datasets/regularization/sources/*.csv``, ``recorded_figures.csv`` and ``levers.yaml`` keep the
full source of each figure: the copy the course's researchers read it in (a yumpu or studylib
copy of a report, a site that reproduced a newsletter). A learner reads the publication, through
:func:`mixedflows.flows.data.learner_source`, and where it was read in a copy, that it was
(:data:`~mixedflows.flows.data.IN_A_COPY`): never the copy's site. The files stay as they are.
"""

from __future__ import annotations

import csv
from functools import cache, lru_cache
from typing import Any
from urllib.parse import urlparse

from mixedflows.flows.data import COPY_HOSTS, IN_A_COPY, learner_source

READ_IN: dict[str, str] = {
    "publication": "",
    "abstract": "Read in the publication's abstract.",
    "excerpt": "Read in an excerpt of the publication.",
    "secondary": "Read in a report that cites it, not in the original.",
    "derived": "Worked out here from the rounded figures of the publications named: approximate.",
    "unverified": "This figure could not be checked against the publication: treat it as approximate.",
}
"""Where a figure or finding was read (a row's ``read_in``), as a learner is told it."""

REGINE_TABLE3_FILE = "regine_table3_criteria.csv"

REGINE_TABLE3_NAMES = ("ICMPD, REGINE final report (2009), Table 3", "REGINE Table 3")
"""How the lab's files name REGINE's Table 3 for short (the outcomes' citations, the levers'
frameworks: see the header of levers.yaml); :func:`said` names the publication instead."""


def read_in_a_copy(recorded: str) -> bool:
    """Whether a recorded source says the figure was read in a copy (a copy's site named)."""
    shown = learner_source(recorded)
    return IN_A_COPY in shown or "third-party copy" in shown


def learner_form(recorded: str, publication: str = "") -> str:
    """A source as a learner reads it: the publication (the row's ``publication`` where the
    file has one, else the recorded source through :func:`learner_source`), said to have been
    read in a copy where the recorded source names one."""
    shown = learner_source(publication) if publication.strip() else learner_source(recorded)
    if read_in_a_copy(recorded) and "not checked against the original" not in shown:
        shown = f"{shown.rstrip(' .;,')} {IN_A_COPY}"
    return shown


def reference_form(title: str, href: str = "") -> str:
    """A lever's reference as a learner reads it: the title, and no link to a copy's site (said
    to be read in a copy instead)."""
    host = urlparse(href).hostname or ""
    if any(h in host.split(".") or host.startswith(f"{h}.") for h in COPY_HOSTS):
        return learner_form(f"{title} ({host} copy)", title)
    return learner_source(title)


def _folder() -> Any:
    from mixedflows.paths import datasets_dir

    return datasets_dir() / "regularization" / "sources"


@cache
def _rows(name: str) -> tuple[dict[str, str], ...]:
    with (_folder() / name).open(encoding="utf-8", newline="") as fh:
        return tuple(csv.DictReader(fh))


def source_rows() -> list[tuple[str, dict[str, str]]]:
    """Every row of the lab's source files, with its file's name."""
    return [(p.name, r) for p in sorted(_folder().glob("*.csv")) for r in _rows(p.name)]


def regine_table3() -> str:
    """REGINE's Table 3, as a learner reads its source (from the file the levers rest on)."""
    sources = {r["source"] for r in _rows(REGINE_TABLE3_FILE)}
    return "; ".join(learner_form(s) for s in sorted(sources))


@lru_cache(maxsize=256)
def said(text: str) -> str:
    """A citation of the lab as a learner reads it: REGINE's Table 3, named for short in the
    files, is the publication, said to be read in a copy; anything else through
    :func:`learner_source`. Kept per text (the source files are read once, :func:`_rows`): the
    lab's outcome table says the same 13 citations at every lever change (issue 12 benchmark:
    their regular expressions took the change from 0.5 to 1.0 ms of CPU)."""
    for short in REGINE_TABLE3_NAMES:
        if short in text:
            return learner_source(text.replace(short, regine_table3(), 1))
    return learner_source(text)


def with_read_in(recorded: str, publication: str, read_in: str) -> str:
    """:func:`learner_form`, then where it was read in a plain sentence (:data:`READ_IN`)."""
    shown, where = learner_form(recorded, publication), READ_IN.get(read_in, "")
    return f"{shown.rstrip(' .')}. {where}" if where else shown
