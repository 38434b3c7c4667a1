"""A learner reads the publication a figure comes from, never the site of the copy the course's
researchers read it in (issue 14 cold trial: "(reliefweb via hathalyoum)", "via reliefweb.int /
docslib.org", "IOM Yemen tweet ... via hodhodyemennews.net"); where a figure was read in a copy
or in news reports, how far it was verified is said. Checked over every source string of
datasets/figures/ as the engine gives it, and over what the flow explorer and the data-reading
questions show."""

from __future__ import annotations

import csv
import html
import re
from pathlib import Path

import pytest

from mixedflows.flows import data

ROOT = Path(__file__).resolve().parents[1]

COPY_SITES = re.compile(
    r"hathalyoum|docslib|documentop|studylib|slideserve|dehai|yumpu|hodhodyemennews|yemeress"
    r"|greekcitytimes|monteozlive|myeurop|vntrips|egypt-today|infobae|seiditenerifese"
    r"|dailynewsen|laprensalatina|the-quest|abc\.com\.py|ijrcenter|akoaypilipino"
    r"|\bvia\s+(?!sea\b)|\bcopy at\b|\b[\w-]+\.(?:com|net|org|xyz)\s+copy\b|\bmirror\b",
    re.IGNORECASE,
)
"""The copies' sites found in the recorded sources, and the ways a source names one."""

LABELS = (data.IN_A_COPY, data.IN_THE_NEWS, "(read in a third-party copy)")


def _recorded() -> list[tuple[str, str]]:
    out = []
    for f in sorted((ROOT / "datasets" / "figures").glob("*.csv")):
        with f.open(encoding="utf-8", newline="") as fh:
            out += [(f.name, r["source"]) for r in csv.DictReader(fh)]
    return out


def test_the_pattern_finds_what_was_reported():
    for bad in (
        "UNHCR Jan-Jun 2019 (reliefweb via hathalyoum)",
        "UNHCR Greece Sea Arrivals Dashboards via reliefweb.int / docslib.org",
        "IOM Yemen tweet 18 Dec 2022 via hodhodyemennews.net",
    ):
        assert COPY_SITES.search(bad)
    assert any(COPY_SITES.search(s) for _, s in _recorded())


@pytest.mark.parametrize("name,recorded", sorted(set(_recorded())))
def test_every_figure_source_names_no_copy_and_says_how_far_it_was_read(name, recorded):
    shown = data.learner_source(recorded)
    assert not COPY_SITES.search(shown), (name, shown)
    if COPY_SITES.search(recorded) or re.search(r"reported by", recorded, re.I):
        assert any(label in shown for label in LABELS), (name, shown)


def test_the_engine_gives_the_learner_form():
    t = data.figure("mediterranean_demographic_shares.csv")
    assert all(not COPY_SITES.search(r["source"]) for r in t.rows)
    assert any(COPY_SITES.search(r["source_recorded"]) for r in t.rows)


def test_italys_arrivals_reported_in_the_news_are_said_to_be():
    rows = data.figure("unhcr_and_national_arrivals_by_year.csv").where(country_or_scope="Italy")
    viminale = [r for r in rows if "Viminale" in r["source"]]
    assert viminale and all(data.IN_THE_NEWS in r["source"] for r in viminale)


def test_the_explorer_and_the_questions_show_no_copy_site():
    from mixedflows.flows.explore import route_view
    from mixedflows.flows.questions import all_questions, grade_question
    from mixedflows.widgets.flow_explorer import FlowExplorer

    texts = {}
    for q in all_questions():
        fb = grade_question(q, None)
        texts[f"question {q.id}"] = " ".join([q.prompt, fb.message, fb.citation])
    e = FlowExplorer()
    for r in data.load_routes():
        e.route.value = r.id
        for year in route_view(r.id).years:
            e.year.value = year
            texts[f"explorer {r.id} {year}"] = html.unescape(
                " ".join(x.value for x in (e.caveat, e.facts, e.months, *e.widget.children[-1:]))
            )
    found = {k: m.group(0) for k, t in texts.items() if (m := COPY_SITES.search(t))}
    assert not found, found


def test_the_cooperation_tables_show_no_copy_site_and_no_path():
    from mixedflows.widgets.cooperation import initiatives_table, mandates_table

    for table in (mandates_table(), initiatives_table()):
        page = html.unescape(table.value)
        assert not COPY_SITES.search(page), COPY_SITES.search(page)
        assert "datasets/" not in page and ".csv" not in page
