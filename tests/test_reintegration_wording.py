"""Module 9's reintegration programme, as the learner reads it (issue 15 leftover): the table of
the model's assumptions had five rows that read the same (the scale of each measure, the
measure unsaid); the data said transferable assets help "only a returnee with assets to
transfer" and, two rows on, gave them a tenth of their effect for one with nothing to transfer;
and a "Not met" note told a learner with EUR 0 left what "the next EUR 100" would do. Now every
row is generated from its coefficient's data (what it acts on, what it is, its source and how
far that backs it), the measure does nothing with nothing to transfer, and the hint follows the
budget left: with nothing left it names a move of money between measures, from the model."""

from __future__ import annotations

import html as _html
import re

import numpy as np
import pytest

from mixedflows.exercises import load_exercise
from mixedflows.grading import grade
from mixedflows.returns import reintegration as rm
from mixedflows.returns.grader import reintegration_params
from mixedflows.widgets.returns import assumptions_html

EX = "m9_reintegration_programme"


def _rows(page: str) -> list[tuple[str, ...]]:
    body = page.split("<tbody>", 1)[1] if "<tbody>" in page else page
    rows = re.findall(r"<tr[^>]*>(.*?)</tr>", body, re.S)
    return [
        tuple(
            _html.unescape(re.sub(r"<[^>]+>", "", c)).strip()
            for c in re.findall(r"<t[dh][^>]*>(.*?)</t[dh]>", r, re.S)
        )
        for r in rows
    ]


def test_no_two_rows_of_the_assumptions_table_read_the_same():
    rows = [r for r in _rows(assumptions_html()) if r and r[0] != "Measure"]
    assert len(rows) == len(rm.assumptions())
    what = [r[:3] for r in rows]  # measure, dimension, what: without the value
    assert len(set(what)) == len(what)
    for row, coef in zip(rows, rm.assumptions(), strict=True):
        assert row[3] == f"{coef.value:g} {coef.unit}".strip()
        assert row[5] == rm.confidence(coef)
    scale = [r for r in rows if r[2].startswith("Spending beyond set-up")]
    assert {r[0] for r in scale} == {label for label in rm.MEASURES.values()}


def test_how_far_a_row_is_backed_is_read_from_its_source():
    def row(source: str) -> rm.Row:
        return rm.Row("x", "jobs", "", 1.0, "score", "m", source)

    assert rm.confidence(row("teaching assumption, unsourced")).startswith("Assumed")
    assert "direction" in rm.confidence(
        row("direction: MC/INF/294 ¶25; size: teaching assumption, unsourced")
    )
    assert "measure is the source's" in rm.confidence(
        row("measure named in MC/INF/294 ¶25; size: teaching assumption, unsourced")
    )
    assert rm.confidence(row("a study, 2020")).startswith("Sourced")
    # Every row of the model's file: an assumed size is said to be assumed.
    for coef in rm.assumptions():
        assert ("assumed" in rm.confidence(coef).lower()) == (rm.UNSOURCED in coef.source)


def test_a_comma_in_an_unquoted_field_is_named(tmp_path, monkeypatch):
    from mixedflows.errors import DataFileError

    copy = tmp_path / "reintegration_model.csv"
    text = rm.model_file().read_text("utf-8")
    copy.write_text(text.replace("Full social effect of transferable assets", "A, B"), "utf-8")
    monkeypatch.setattr(rm, "model_file", lambda: copy)
    rm.coefficients.cache_clear()
    try:
        with pytest.raises(DataFileError, match=r"line \d+.*8 fields, the header has 7"):
            rm.coefficients()
    finally:
        rm.coefficients.cache_clear()
        rm._table.cache_clear()


def test_transferable_assets_do_nothing_with_nothing_to_transfer():
    params = reintegration_params(load_exercise(EX))
    people = [params.returnee, *params.others]
    empty = [p for p in people if not p.assets_to_transfer]
    assert empty  # Samir: no savings
    for p in empty:
        for amount in (200, 1000, 2000):
            assert rm.run(p, {"assets": amount}).scores == rm.run(p, {}).scores
    holders = [p for p in people if p.assets_to_transfer]
    assert all(rm.run(p, {"assets": 1000}).scores != rm.run(p, {}).scores for p in holders)
    meaning = next(
        c.meaning
        for c in rm.assumptions()
        if (c.parameter, c.measure, c.dimension) == ("effect", "assets", "economic")
    )
    assert "nothing to transfer" in meaning
    # No row gives the measure an effect for a returnee with nothing to transfer.
    assert not [c for c in rm.assumptions() if "no assets" in c.meaning.lower()]


def _budget_hints(answer: dict) -> list[str]:
    r = grade(load_exercise(EX), answer)
    return [f.message for f in r.items if not f.correct]


def test_the_hint_follows_the_budget_left():
    params = reintegration_params(load_exercise(EX))
    p, step, budget = params.returnee, params.step, params.budget
    rng = np.random.default_rng(15)
    splits = rm.splits(budget, step)
    seen_all, seen_left = 0, 0
    for row in splits[rng.choice(len(splits), 60, replace=False)]:
        prog = dict(zip(rm.MEASURES, map(float, row), strict=True))
        for spent_all in (True, False):
            answer = {m: v for m, v in prog.items() if v}
            if not spent_all:  # keep EUR 300 back, from the measure with most
                top = max(answer, key=answer.get)
                if answer[top] < 300:
                    continue
                answer[top] -= 300
            left = budget - sum(answer.values())
            for msg in _budget_hints(answer):
                more = [int(x.replace(",", "")) for x in re.findall(r"EUR ([\d,]+) more", msg)]
                assert all(x <= left for x in more), (answer, msg)
                if left < step:
                    seen_all += 1
                    assert "The next EUR" not in msg and not more, (answer, msg)
                    assert f"All of the budget of EUR {budget:,} is spent" in msg
                    move = re.search(r"moving EUR ([\d,]+) from .* most \(\+([\d.]+)", msg)
                    if move is None:
                        assert "no move of money" in msg
                        continue
                    amount = int(move.group(1).replace(",", ""))
                    src, dst = next(
                        (a, b)
                        for a, x in rm.MEASURES.items()
                        for b, y in rm.MEASURES.items()
                        if f"from {x.lower()} to {y.lower()} would" in msg
                    )
                    assert answer.get(src, 0) >= amount
                    moved = {
                        **answer,
                        src: answer.get(src, 0) - amount,
                        dst: answer.get(dst, 0) + amount,
                    }
                    dim = next(
                        d
                        for d, name in rm.DIMENSIONS.items()
                        if msg.split(":")[1].strip().lower().startswith(name.lower())
                    )
                    gain = rm.run(p, moved).scores[dim] - rm.run(p, answer).scores[dim]
                    assert f"+{gain:.3f}" == "+" + move.group(2)
                else:
                    seen_left += 1
    assert seen_all and seen_left
