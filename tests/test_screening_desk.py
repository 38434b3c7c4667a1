"""The screening desk and the module 5 widgets, driven without a browser: set values, click,
read what the page would show; attempts land in the store."""

from __future__ import annotations

import pytest

from mixedflows.screening import screen
from mixedflows.store import Store
from mixedflows.widgets.common import Recorder
from mixedflows.widgets.screening_desk import DeskApp, FamilyApp, IndicatorApp, OrderApp


@pytest.fixture
def recorder(store_path):
    return Recorder(Store(store_path), learner="desk-test", session="")


def test_desk_interview_marks_referrals_feedback_and_score(recorder, store_path):
    app = DeskApp(recorder=recorder)
    p = app.person
    assert p.name in app.card.value and "Synthetic" in app.card.value
    assert "worked case" not in app.card.value  # a case's name would give its answer away
    assert "No question asked" in app.transcript.value
    app.ask_buttons["reasons"].click()
    assert "national service" in app.transcript.value  # asking reveals a fact
    assert "passport" not in app.transcript.value  # not asked: not shown
    for k, need in enumerate(screen(p).needs, start=1):
        app.ranks.dropdowns[need.value].value = k
    app.submit.click()
    assert "100%" in app.status.value
    assert "Score: 100%" in app.feedback.value and "MC/INF/294" in app.feedback.value
    assert "comes from the worked case &#39;" in app.feedback.value  # said once answered
    assert "1 of" in app.score.value and "score 100%" in app.score.value
    # The next file: a wrong answer lowers the running score.
    app.next.click()
    assert app.person.person_id != p.person_id and app.feedback.value == ""
    app.ranks.dropdowns["counselling"].value = 1
    app.submit.click()
    assert "2 of" in app.score.value and "score 100%" not in app.score.value
    rows = Store(store_path).attempts(learner="desk-test", exercise_id="m5_screening_desk")
    assert len(rows) == 2 and rows[0].answer["person_id"] == p.person_id
    # Going back shows the earlier work and its feedback.
    app.picker.value = 0
    assert "Score: 100%" in app.feedback.value


def test_desk_marks_show_dimensions_and_errors_are_friendly(recorder):
    app = DeskApp(recorder=recorder)
    app.picker.value = 2  # the hairdressing case
    # One checkbox per indicator (touch and keyboard: no Ctrl-click list), all in one widget.
    app.marks.value = ["d5.debt_bondage", "d5.confiscation_of_documents"]
    assert "positive" in app.dims.value
    app.ranks.dropdowns["counselling"].value = 1
    app.ranks.dropdowns["trafficking_referral"].value = 1
    app.submit.click()
    assert "given twice" in app.status.value  # a friendly message, no traceback
    n = len(app.queue)
    app.more.click()
    assert len(app.queue) > n


def test_module_5_exercise_widgets(recorder, store_path):
    o = OrderApp(recorder=recorder)
    assert "origin_contact" in o.picker.dropdowns  # a step that must be left out
    for k, oid in enumerate(
        [
            "urgent_medical",
            "child_protection",
            "private_interview",
            "trafficking_interview",
            "trafficking_referral",
            "family_tracing",
            "counselling",
        ],
        start=1,
    ):
        o.picker.dropdowns[oid].value = k
    o.submit.click()
    assert "100%" in o.status.value and "submit again" not in o.status.value
    o.picker.dropdowns["origin_contact"].value = 8
    assert "mf-stale" in o.feedback.value  # the 100% is withdrawn once the answer changes
    o.submit.click()
    assert "Attempt 2: 100%" not in o.status.value and "country of origin" in o.feedback.value
    i = IndicatorApp(recorder=recorder)
    for ind in i.person.trafficking_indicators:
        i.checks[ind].value = True
    assert "indications warranting referral</b>" in i.dims.value
    i.submit.click()
    assert "100%" in i.status.value and "caveat" in i.feedback.value.lower()
    f = FamilyApp(recorder=recorder)
    f.pickers["lina"].dropdowns["urgent_medical"].value = 1
    f.submit.click()
    assert "Attempt 1" in f.status.value and "lina" in f.feedback.value
    ids = {a.exercise_id for a in Store(store_path).attempts(learner="desk-test")}
    assert ids == {"m5_hard_constraints", "m5_mark_indicators", "m5_family_referrals"}


def test_the_desk_opens_with_fewer_widget_models(recorder):
    """Every widget is a model the page creates over the websocket before it is interactive
    (issue 13 cold start): the buttons and the referral rows share one layout and one style
    each instead of one apiece (377 models before, about 200 after), and the 77 indicator
    checkboxes are one CheckGroup (152 models before it, 60 with it)."""
    from ipywidgets.widgets import widget

    from mixedflows.widgets.checkgroup import CheckGroup
    from mixedflows.widgets.screening_desk import DeskApp

    before = len(widget._instances)
    app = DeskApp(recorder=recorder)
    made = len(widget._instances) - before
    assert isinstance(app.marks, CheckGroup) and len(app.marks.ids) == 77
    rows = list(app.ranks.dropdowns.values())
    assert len({id(dd.layout) for dd in rows}) == 1 and len({id(dd.style) for dd in rows}) == 1
    assert made < 100, f"{made} widget models for one desk page"
    # The shared style still names each row by its label, the shared layout still fits it.
    assert rows[0].style.description_width == "calc(100% - 100px)"


DESK_PAGE = """
import warnings, ipywidgets
{cells}
models = list(ipywidgets.Widget.widgets.values())
print(len(models))
print(sum(isinstance(m, ipywidgets.Checkbox) for m in models))
print(sum(len(m.ids) for m in models if type(m).__name__ == "CheckGroup"))
"""


def test_the_desk_page_has_one_indicator_widget_not_77(tmp_path):
    """The notebook's code cells (not claim()) in a fresh process, as its kernel runs them: the
    77 indicators are one widget model (a CheckGroup), not 77 checkboxes in 7 boxes under 7
    headings. Fails before: 152 models, 77 of them checkboxes (60 models after)."""
    import json
    import os
    import subprocess
    import sys
    from pathlib import Path

    nb = json.loads(
        (Path(__file__).parents[1] / "widgets" / "screening_desk.ipynb").read_text("utf-8")
    )
    cells = ["".join(c["source"]) for c in nb["cells"] if c["cell_type"] == "code"]
    page = [c for c in cells if "claim()" not in c]
    env = dict(os.environ, MIXEDFLOWS_STORE=str(tmp_path / "s.sqlite"), MIXEDFLOWS_SESSION="ws")
    env.pop("VOILA_PREHEAT", None)
    out = subprocess.run(
        [sys.executable, "-c", DESK_PAGE.format(cells="\n".join(page))],
        env=env,
        capture_output=True,
        text=True,
        check=True,
    ).stdout.splitlines()
    models, checkboxes, in_groups = (int(x) for x in out[-3:])
    assert checkboxes == 0 and in_groups == 77
    assert models <= 70, f"{models} widget models for the desk page"


def test_the_desk_keeps_each_files_marks_in_one_widget(recorder):
    """Ticks follow the file shown: set from Python (the draft, the next file) without marking
    the feedback stale, and a learner's ticks (the widget's value) go to that file only."""
    app = DeskApp(recorder=recorder)
    first = app.person
    app.marks.value = ["d5.debt_bondage"]
    assert app._st(first)["indicators"] == ["d5.debt_bondage"]
    app.next.click()
    assert app.marks.value == [] and app._st(app.person)["indicators"] == []
    app.picker.value = 0
    assert app.marks.value == ["d5.debt_bondage"]
    # A draft brings the ticks back, in the options' order; an unknown indicator is dropped.
    draft = app.draft()
    draft["files"][first.person_id]["indicators"] += ["d5.confiscation_of_documents", "x.gone"]
    again = DeskApp(recorder=recorder)
    again.restore(draft)
    assert again.marks.value == [
        i for i in again.marks.ids if i in {"d5.debt_bondage", "d5.confiscation_of_documents"}
    ]
    assert not again.stale


def test_a_checkgroup_keeps_its_ticks_in_option_order_and_refuses_unknown_ones():
    import traitlets

    from mixedflows.widgets.checkgroup import CheckGroup

    g = CheckGroup(
        [
            {"key": "1", "title": "One", "options": [{"id": "a", "label": "A", "css": "a"}]},
            {
                "key": "2",
                "title": "Two",
                "options": [
                    {"id": "b", "label": "B", "css": "b"},
                    {"id": "c", "label": "C", "css": "c"},
                ],
            },
        ]
    )
    g.value = ["c", "a", "c"]
    assert g.value == ["a", "c"] and "b" in g and "z" not in g
    with pytest.raises(traitlets.TraitError, match="no such option: z"):
        g.value = ["z"]
    with pytest.raises(traitlets.TraitError, match="twice"):
        g.groups = [*g.groups, g.groups[0]]
    with pytest.raises(traitlets.TraitError, match="lacks"):
        g.groups = [{"key": "3", "title": "Three", "options": [{"id": "d"}]}]


def test_the_indicator_groups_say_what_the_group_template_says():
    """A group's legend (plain text in the CheckGroup) is in the words ``html().group`` shows."""
    import html as htmllib
    import re

    from mixedflows import trafficking
    from mixedflows.widgets.screening_desk import PALERMO_BOX, html, indicator_groups

    names = {**trafficking.DIMENSIONS, 0: PALERMO_BOX}
    shown = [
        htmllib.unescape(re.sub("<[^>]+>", "", str(html().group(d, n)))) for d, n in names.items()
    ]
    groups = indicator_groups()
    assert [g["title"] for g in groups] == shown and shown[0].startswith("1. ")
    assert sum(len(g["options"]) for g in groups) == len(trafficking.observations()) == 77


def test_more_arrivals_are_practice_not_part_of_the_grade(recorder, store_path):
    """A cold learner trial: files of "More arrivals" counted in the exercise's grade (twelve
    of them and none of the exercise's read "12 of 13 files done", 56 %). They are graded and
    recorded, said to be practice, and the grade (in the app and in the export) counts the
    exercise's files only."""
    import csv
    import io

    from mixedflows import facilitator as fac
    from mixedflows.gradebook import part_ids

    app = DeskApp(recorder=recorder)
    files = len(app.queue)
    assert part_ids(app.exercise) == app.exercise_files and len(app.exercise_files) == files
    app.more.click()
    extra = len(app.queue) - files
    assert extra > 0
    for i in range(files, len(app.queue)):
        app.picker.value = i
        for k, need in enumerate(screen(app.person).needs, start=1):
            app.ranks.dropdowns[need.value].value = k
        app.submit.click()
        assert "practice, not part of your grade" in app.status.value
    assert recorder.last_grade.parts_done == 0 and recorder.last_grade.score is None
    app.picker.value = 0  # one of the exercise's files
    for k, need in enumerate(screen(app.person).needs, start=1):
        app.ranks.dropdowns[need.value].value = k
    app.submit.click()
    assert "practice" not in app.status.value
    g = recorder.last_grade
    assert (g.parts_done, g.parts) == (1, files)
    assert f"1 of {files} files done" in app.status.value
    rows = Store(store_path).attempts(learner="desk-test")
    assert len(rows) == extra + 1  # every file graded and recorded
    (row,) = csv.DictReader(io.StringIO(fac.lms_csv(rows)))
    assert f"{row['grade_pct']}%" == g.text
