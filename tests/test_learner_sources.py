"""A learner reads the publication a figure comes from, never the site of the copy the course's
researchers read it in (issue 14 cold trial: "(reliefweb via hathalyoum)", "via reliefweb.int /
docslib.org", "IOM Yemen tweet ... via hodhodyemennews.net"); where a figure was read in a copy
or in news reports, how far it was verified is said. Checked over every source string of
datasets/figures/ as the engine gives it, and over what the flow explorer and the data-reading
questions show."""

from __future__ import annotations

import csv
import html
import json
import re
import sys
from functools import cache
from pathlib import Path

import pytest

from mixedflows.flows import data

sys.path.insert(0, str(Path(__file__).parent))
from learner_texts import module10_texts

ROOT = Path(__file__).resolve().parents[1]

COPY_SITES = re.compile(
    r"hathalyoum|docslib|documentop|studylib|slideserve|dehai|yumpu|hodhodyemennews|yemeress"
    r"|greekcitytimes|monteozlive|myeurop|vntrips|egypt-today|infobae|seiditenerifese"
    r"|dailynewsen|laprensalatina|the-quest|abc\.com\.py|ijrcenter|akoaypilipino|pdfslide"
    r"|vdocumento|loulalanomade|\breproduced at\b"
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


# --- Module 10: every surface says a row's source and its verification in words (cold trial) ---

RAW_TAG = re.compile(
    r"\[(?:P|S|M|W|S-weak|unverified)\]"
    r"|(?<![\w./-])(?:P|S|M|W|S-weak)(?=\s*[(:;\]]|\s*$)"
)
"""A verification code shown as it is recorded ("[P]", "P (MC/INF/294); S (MSC.167 ...)",
"S: read only as quoted ..."), not in words."""


@cache
def _m10() -> dict[str, str]:
    return module10_texts()


def test_the_raw_tag_pattern_finds_what_was_shown():
    for bad in (
        "IOM deck (2008) [P]",
        "Council of Delegates (2009), Resolution 4 [P (MC/INF/294); S (MSC.167)]",
        "P (deck); S (A/70/976 and its reading)",
        "MC/INF/294 para 16 (caveat: S: MSC.167(78) read only as quoted)",
    ):
        assert RAW_TAG.search(bad), bad
    for good in (
        "Verified: read in the original or a verbatim copy.",
        "MC/INF/294 ¶18; IMO MSC.167(78) (2004) para 2.5",
        "Lao PDR, Myanmar, Thailand and Viet Nam (signed in Yangon, 29 October 2004)",
    ):
        assert not RAW_TAG.search(good), good


def _cooperation_rows() -> list[tuple[str, dict[str, str]]]:
    out = []
    for f in sorted((ROOT / "datasets" / "cooperation").glob("*.csv")):
        with f.open(encoding="utf-8", newline="") as fh:
            out += [(f.name, r) for r in csv.DictReader(fh)]
    return out


def test_every_verification_code_is_said_in_the_words_the_data_package_gives():
    from mixedflows.cooperation import mandates as md

    package = json.loads((ROOT / "datasets" / "datapackage.json").read_text("utf-8"))
    described = [
        f["description"]
        for r in package["resources"]
        if r["path"].startswith("cooperation/")
        for f in r["schema"]["fields"]
        if f["name"] == "verification"
    ]
    assert described and all("REFERENCE" not in d for d in described)
    codes = md.verification_codes()
    for code, words in codes.items():
        assert all(f"{code} = {words}" in d for d in described), code
    rows = _cooperation_rows()
    assert rows
    for name, r in rows:
        said = md.verification_words(r["verification"])
        used = re.findall(r"(?:^|;\s*)([A-Z][\w-]*)", r["verification"])
        assert used and all(codes[c] in said for c in used), (name, r["id"])
        assert not RAW_TAG.search(said), (name, r["id"], said)


def test_a_code_the_package_does_not_describe_is_never_shown_raw():
    from mixedflows.cooperation import mandates as md
    from mixedflows.errors import DataFileError

    with pytest.raises(DataFileError, match="not a code the data package describes"):
        md.verification_words("W (a weak source)")


def test_every_cooperation_row_is_shown_in_the_learners_form():
    from mixedflows.cooperation import mandates as md

    texts = _m10()
    table = {
        "mandates.csv": texts["m10 mandates table"],
        "initiatives.csv": texts["m10 initiatives table None"],
        "tasks.csv": texts["m10 mapping right"],  # each task's citation in the feedback
    }
    from mixedflows.exercises import load_exercise

    asked = {t.id for t in md.asked(load_exercise("m10_who_does_what").params)}
    for name, r in _cooperation_rows():
        if name == "tasks.csv" and r["id"] not in asked:
            continue  # a task the exercise does not ask is shown nowhere
        shown = md.shown_source(r["source"], r["verification"])
        assert data.learner_source(r["source"]) in shown
        assert shown in table[name], (name, r["id"])


@pytest.mark.parametrize("where", sorted(module10_texts()))
def test_no_module10_surface_shows_a_copy_a_raw_tag_or_a_note(where):
    from test_no_internal_notes import REFERENCE_NOTE, _notes, _refs

    text = _m10()[where]
    assert text.strip()
    assert not COPY_SITES.search(text), COPY_SITES.search(text)
    assert not RAW_TAG.search(text), text[max(0, RAW_TAG.search(text).start() - 80) :][:200]
    assert not REFERENCE_NOTE.search(text) and not _notes(text) and not _refs(text)


def test_a_sites_own_page_is_no_copy_but_a_copy_sites_prefix_is():
    # "unicef.org/georgia/our-mandate" is UNICEF's own page: it was cut to "georgia/our-mandate"
    # and said to be a copy.
    own = data.learner_source("unicef.org/georgia/our-mandate; CRC (1989) art. 2")
    assert own == "unicef.org/georgia/our-mandate; CRC (1989) art. 2"
    copy = data.learner_source("the-quest.org / IOM Yemen update (2019)")
    assert "the-quest" not in copy and data.IN_A_COPY in copy
    assert data.IN_A_COPY in data.learner_source("MMTF report, April 2008 (pdfslide.us copy)")


# --- Module 8: the policy lab's sources, as rendered (cold trial: studylib and yumpu copies) -----


def _regularization_recorded() -> list[tuple[str, dict[str, str]]]:
    from mixedflows.regularization import sources

    with (ROOT / "datasets" / "regularization" / "recorded_figures.csv").open(
        encoding="utf-8", newline=""
    ) as fh:
        return [*sources.source_rows(), *(("recorded_figures.csv", r) for r in csv.DictReader(fh))]


def test_the_lab_files_keep_the_copies_they_were_read_in():
    rows = _regularization_recorded()
    assert sum(bool(COPY_SITES.search(r["source"])) for _, r in rows) >= 10
    assert re.search(r"yumpu", (ROOT / "datasets/regularization/levers.yaml").read_text("utf-8"))


@pytest.mark.parametrize("k", range(len(_regularization_recorded())))
def test_every_regularization_source_is_the_publication_said_to_be_read_in_a_copy(k):
    from mixedflows.regularization import sources

    name, r = _regularization_recorded()[k]
    shown = sources.learner_form(r["source"], r.get("publication") or "")
    assert shown.strip() and not COPY_SITES.search(shown), (name, shown)
    if re.search(r"studylib|yumpu|pdfslide|vdocumento|\bcopy\b|reproduced at", r["source"]):
        assert data.IN_A_COPY in shown, (name, r["source"], shown)
    if r.get("publication"):
        assert data.learner_source(r["publication"]) in shown


def _lab_rendered() -> dict[str, str]:
    from mixedflows.regularization import load_levers, run
    from mixedflows.regularization.programme import list_programmes
    from mixedflows.regularization.validation import report, validate
    from mixedflows.widgets.policy_lab import evidence_cards, lever_source, outcome_table

    out = {f"lever {lv.id}": lever_source(lv) for lv in load_levers()}
    base = run(list_programmes()[0])
    out["outcome labels"] = outcome_table(base, base)
    out |= {f"evidence cards {p}": evidence_cards(p) for p in list_programmes()}
    out["validation report"] = report()._repr_html_()
    out["validation chart"] = " ".join(validate()["source"])
    return {k: html.unescape(v) for k, v in out.items()}


def test_every_place_the_lab_shows_a_source_names_no_copy_and_says_so():
    from mixedflows.regularization import load_levers

    rendered = _lab_rendered()
    found = {k: m.group(0) for k, t in rendered.items() if (m := COPY_SITES.search(t))}
    assert not found, found
    assert not [k for k, t in rendered.items() if "REFERENCE" in t]
    # REGINE's Table 3 (read in a yumpu copy) is the publication, said to be read in a copy,
    # wherever a lever or an outcome cites it; so is Linder's study (a studylib copy).
    regine = [lv.id for lv in load_levers() if "REGINE Table 3" in lv.citation.framework]
    assert regine
    for key in regine:
        assert "ICMPD" in rendered[f"lever {key}"] and data.IN_A_COPY in rendered[f"lever {key}"]
    assert data.IN_A_COPY in rendered["outcome labels"]
    assert any("Linder" in t and data.IN_A_COPY in t for k, t in rendered.items() if "cards" in k)
    assert data.IN_A_COPY in rendered["validation report"]
