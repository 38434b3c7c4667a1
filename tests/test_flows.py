"""Module 2's figures and data-reading questions: read from the files, computed, never typed.

The references are recomputed here from the CSV files by the plain arithmetic the questions
promise, and a copy of the course with one figure changed must give another answer."""

from __future__ import annotations

import shutil
from pathlib import Path

import pandas as pd
import pytest

from mixedflows import flows
from mixedflows.errors import DataFileError
from mixedflows.exercises import load_exercise
from mixedflows.flows import questions as fq
from mixedflows.flows.grader import questions_for
from mixedflows.grading import AnswerError, grade

ROOT = Path(__file__).resolve().parents[1]
FIG = ROOT / "datasets" / "figures"


def test_whole_year_rule():
    assert flows.covers_year("full year")
    assert flows.covers_year("full year (provisional)")
    assert flows.covers_year("to 31 Dec 2020 08:00")
    assert flows.covers_year("1 Jan-29 Dec")
    assert not flows.covers_year("1 Jan-18 Nov 2024")
    assert not flows.covers_year("Jan-Oct")
    assert not flows.covers_year("")
    assert not flows.covers_year("year estimate in Dec 2009 (later UNHCR statements: 78,000)")


def test_rates_are_the_files_arithmetic():
    mmp = pd.read_csv(FIG / "mmp_dead_missing_by_route_year.csv")
    arr = pd.read_csv(FIG / "unhcr_and_national_arrivals_by_year.csv")
    rates = {(r.route, r.year): r for r in flows.rates()}
    d = mmp[(mmp.route == "Central Mediterranean") & (mmp.year == 2019)].dead_and_missing.item()
    a = arr[
        (arr.country_or_scope == "Italy") & (arr.year == 2019) & (arr.measure == "sea arrivals")
    ].value.item()
    assert rates[("central_med", 2019)].per_1000 == pytest.approx(1000 * d / a)
    # Part-year arrivals (Greece 2021: Jan-Jun) and incomplete MMP years (2026) give no rate.
    assert ("eastern_med", 2021) not in rates
    assert not any(y == 2026 for _, y in rates)
    # The Western Mediterranean has no arrivals series of its own: no rate, dead and missing kept.
    assert not any(r == "western_med" for r, _ in rates)
    assert len(flows.dead_missing(flows.route("western_med"))) > 0


def test_every_question_is_recomputed_from_the_rates():
    rates = flows.rates()
    for q in fq.all_questions(["deadliest_route"]):
        year = int(q.id.split(":")[1])
        same = [r for r in rates if r.year == year]
        assert q.reference == max(same, key=lambda r: r.per_1000).route
        assert {o for o, _ in q.options} == {r.route for r in same}
    for q in fq.all_questions(["rate"]):
        _, route, year = q.id.split(":")
        r = next(r for r in rates if r.route == route and r.year == int(year))
        assert q.reference == pytest.approx(round(r.per_1000, 1))


def test_seasonality_questions():
    s = flows.monthly_series()
    italy = s["italy_sea_2014_2016_mean"]
    months = pd.read_csv(FIG / "monthly_arrivals.csv")
    it = months[months.series == "italy_sea_2014_2016_mean"].set_index("month_from").value
    assert italy.peak_month() == it.idxmax()
    assert italy.months_above_average() == tuple(m for m in it.index if it[m] > it.mean())
    # The Canary Islands are known only through running totals: the periods are differences,
    # and October is decidable as the peak because it beats every run of months whole.
    canary = s["canary_islands_2023"]
    assert sum(p.arrivals for p in canary.periods) == 39910
    assert canary.peak_month() == 10
    assert canary.months_above_average() is None  # months within a run are unknown
    # Two months known out of twelve decide nothing.
    assert s["italy_sea_2017"].peak_month() is None
    assert fq.question("weakest_season:Italy").reference == "2017"


def test_peak_month_undecided_when_a_run_could_hold_more():
    series = flows.MonthlySeries(
        "x",
        "r",
        "p",
        "2020",
        "cumulative arrivals since 1 January",
        (flows.Period(1, 11, 5000), flows.Period(12, 12, 4000)),
        "s",
        ("S",),
        (),
    )
    assert series.peak_month() is None  # one month of January-November could exceed 4,000


def test_grading_quotes_the_figures_and_sources():
    ex = load_exercise("m2_reading_the_data")
    qs = questions_for(ex, seed=3)
    assert len(qs) == 6 and len({q.kind for q in qs}) == 6
    right = {q.id: (list(q.reference) if q.multiple else q.reference) for q in qs}
    res = grade(ex, {"seed": 3, "answers": right})
    assert res.score == 1.0
    for item in res.items:
        assert item.citation.startswith("Sources: ") and "MC/INF/294 ¶10" in item.citation
        assert "datasets/" not in item.citation and "GitHub" not in item.citation
    empty = grade(ex, {"seed": 3, "answers": {}})
    assert empty.score == 0.0
    assert all("Not answered. The answer is" in f.message for f in empty.items)


def test_partial_credit_for_peak_months():
    q = fq.question("peak_months:italy_sea_2014_2016_mean")
    fb = fq.grade_question(q, ["6", "7", "8"])
    assert fb.credit == pytest.approx(3 / 6)
    assert "Missed: May" in fb.message


def test_ticking_every_month_scores_below_a_right_partial_answer():
    """Issue 14: ticking all 12 months scored 50%, as much as June-August only (an overlap
    score). The rule, stated in the question, takes a share away for each wrong tick."""
    from mixedflows.results import TICK_RULE

    for q in fq.all_questions(["peak_months"]):
        months = [o for o, _ in q.options]
        right = list(q.reference)
        assert TICK_RULE in q.prompt
        every = fq.grade_question(q, months)
        some = fq.grade_question(q, right[: max(1, len(right) // 2)])
        assert every.credit == 0.0 < some.credit, q.id
        assert fq.grade_question(q, right).credit == 1.0


@pytest.mark.parametrize(
    "answer, words",
    [
        ("nope", "must be"),
        ({"seed": "1", "answers": {}}, "seed"),
        ({"seed": 1, "answers": {"rate:nowhere:1999": 3}}, "not a question of set 1"),
        ({"seed": 1, "answers": [], "x": 1}, "unknown key"),
    ],
)
def test_bad_answers_are_named(answer, words):
    with pytest.raises(AnswerError, match=words):
        grade(load_exercise("m2_reading_the_data"), answer)


def test_wrong_type_for_one_question():
    q = fq.question("rate:central_med:2016")
    with pytest.raises(AnswerError, match="give a number"):
        fq.grade_question(q, "a lot")
    assert fq.grade_question(q, "25.2").credit == 1.0
    assert fq.grade_question(q, 24.5).credit == 0.0


@pytest.fixture
def course_copy(tmp_path, monkeypatch):
    """A copy of the course's data folders, used as MIXEDFLOWS_HOME."""
    for d in ("datasets", "exercises"):
        shutil.copytree(ROOT / d, tmp_path / d)
    from mixedflows import paths

    monkeypatch.setenv("MIXEDFLOWS_HOME", str(tmp_path))
    paths.home.cache_clear()
    yield tmp_path
    paths.home.cache_clear()


def test_a_new_row_gives_a_new_correctly_graded_question(course_copy):
    # A whole year of Greek arrivals for 2023 makes the Eastern Mediterranean a candidate.
    f = course_copy / "datasets/figures/unhcr_and_national_arrivals_by_year.csv"
    with f.open("a", encoding="utf-8") as fh:
        fh.write('Greece,2023,sea arrivals,100,full year,"a test source"\n')
    q = fq.question("deadliest_route:2023")
    assert q.reference == "eastern_med"  # 171 dead and missing for 100 arrivals
    assert "1710.0 per 1,000" in " ".join(q.evidence)
    assert "a test source" in q.citation()


def test_a_malformed_routes_file_is_named(course_copy):
    f = course_copy / "datasets/flows/routes.yaml"
    f.write_text(
        f.read_text().replace("deaths_route: Central Mediterranean", "deaths_route: Nowhere")
    )
    with pytest.raises(DataFileError, match=r"routes.yaml: field 'routes.0.deaths_route'"):
        flows.load_routes()


def test_a_ragged_figure_row_is_named(course_copy):
    f = course_copy / "datasets/figures/monthly_arrivals.csv"
    with f.open("a", encoding="utf-8") as fh:
        fh.write("x,y\n")
    with pytest.raises(DataFileError, match=r"monthly_arrivals.csv: file: line \d+: not as many"):
        flows.monthly_series()


def _comma(x: float) -> str:
    return f"{x:.1f}".replace(".", ",")


def test_a_decimal_comma_is_read_as_a_decimal_mark_on_every_numeric_question():
    """Issue 14 review, major 5: '18,2' was graded 'You gave 182; the answer is 18.2'. Every
    numeric question's own reference, typed with a decimal comma (and with spaces, and with
    either thousands mark beside the other decimal mark), gets full credit."""
    numeric = [q for q in fq.all_questions() if q.numeric]
    assert len(numeric) >= 5
    for q in numeric:
        ref = q.reference
        for typed in (
            _comma(ref),
            f" {_comma(ref)} ",
            f"{ref:.1f}",
            f"{ref:.2f}".replace(".", ","),
        ):
            assert fq.grade_question(q, typed).credit == 1.0, (q.id, typed)
    big = fq.parse_number
    assert big("1,234.5", "x") == big("1.234,5", "x") == big("1 234,5", "x") == 1234.5
    assert big("1,234,567", "x") == big("1.234.567", "x") == 1_234_567


@pytest.mark.parametrize("typed", ["1,234", "12,500"])
def test_a_comma_before_three_digits_is_ambiguous_and_not_graded(typed):
    q = fq.question("rate:central_med:2014")
    with pytest.raises(AnswerError, match="ambiguous"):
        fq.grade_question(q, typed)


@pytest.mark.parametrize(
    "typed, words",
    [
        ("nan", "give a number"),
        ("inf", "give a number"),
        (float("nan"), "finite"),
        (float("inf"), "finite"),
        ("-3", "cannot be a reading"),
        (5e7, "cannot be a reading"),
        ("1,2,3", "give a number"),
        ("1.234,5.6", "give a number|mixes"),
        ([18.2], "give a number"),
    ],
)
def test_absurd_numbers_are_refused_not_graded(typed, words):
    q = fq.question("rate:central_med:2014")
    with pytest.raises(AnswerError, match=words):
        fq.grade_question(q, typed)


def test_a_window_of_months_is_said_to_be_the_courses_not_the_notes():
    """Issue 14 review, major 3: 'May-October, the season the note's paragraph 10 leads one to
    expect' - ¶10 names no season. Every season question says the window is the course's."""
    qs = fq.all_questions(["weakest_season"])
    assert qs
    for q in qs:
        assert "chosen by the course" in q.prompt and "names no months" in q.prompt, q.prompt
        assert "leads one to expect" not in q.prompt


def test_near_complete_years_and_what_a_routes_arrivals_stand_for_are_said():
    """Issue 14 review, minor: 1 Jan-29 Dec series were ranked as whole years unsaid, and the
    Central Mediterranean rate divided by Italy's arrivals alone without saying so in the
    question. Every rate question states its route's caveat in the prompt; every figure that is
    not a 'full year' one is called near-complete wherever a question uses it."""
    from mixedflows.flows import data

    rates = {f"rate:{r.route}:{r.year}": r for r in data.rates()}
    near = 0
    for q in fq.all_questions(["rate", "busiest_year", "deadliest_route"]):
        text = " ".join([q.prompt, *q.evidence])
        if q.kind == "rate":
            r = rates[q.id]
            assert " ".join(data.route(r.route).caveat.split()) in q.prompt, q.id
            if not r.arrivals_period.lower().startswith("full year"):
                near += 1
                assert "near-complete" in q.prompt, q.id
        for line in q.evidence:
            if "arrivals (" in line and "full year" not in line:
                assert "near-complete" in line, (q.id, line)
        assert "near-complete" not in text or q.kind != "busiest_year" or "28 December" in q.prompt
    assert near >= 1


def test_no_busiest_year_when_a_part_year_already_beats_it():
    # canary_islands_arrivals.csv: 2024 (1 Jan-18 Nov) 40,196, already above 2023's 39,910.
    rows = {a.year: a for a in flows.annual_arrivals(flows.route("atlantic"))}
    assert not rows[2024].whole_year and rows[2024].arrivals > rows[2023].arrivals
    ids = {q.id for q in fq.all_questions(["busiest_year"])}
    assert "busiest_year:atlantic" not in ids
    assert ids  # the other routes still ask it


def test_busiest_year_asked_again_without_the_part_year(course_copy):
    f = course_copy / "datasets/figures/canary_islands_arrivals.csv"
    f.write_text("".join(ln for ln in f.read_text().splitlines(True) if not ln.startswith("2024")))
    q = fq.question("busiest_year:atlantic")
    assert q.reference == "2023"


def test_an_unreadable_answer_names_the_question_as_the_learner_knows_it():
    ex = load_exercise("m2_reading_the_data")
    qs = questions_for(ex)
    i, q = next((i, q) for i, q in enumerate(qs, 1) if q.numeric)
    for typed in ("5.58%", "a lot"):
        with pytest.raises(AnswerError) as e:
            grade(ex, {"seed": ex.params.seed, "answers": {q.id: typed}})
        msg = str(e.value)
        assert f"question {i}:" in msg and q.id not in msg, msg
        assert "12.3" in msg and "no % sign" in msg, msg  # the form that is accepted
        assert ("percentage" in msg) == typed.endswith("%"), msg


def test_an_incomplete_year_is_said_in_plain_words():
    notes = [d.note for d in flows.dead_missing(flows.route("atlantic")) if d.year == 2026]
    assert notes and notes[0].startswith("year not complete (to early May 2026)"), notes
    assert all("(no" not in n for r in flows.load_routes() for n in _notes(r))


def _notes(r):
    return [d.note for d in flows.dead_missing(r)]
