"""Cross-references between modules come from the course registry (issue 14: module 1's
debrief sent learners to a "Module 10" that did not exist). A reference made through
:func:`mixedflows.registry.module_ref` links only to a notebook that exists; the prose of every
notebook is read for references typed by hand to a module that is not written."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from mixedflows import registry
from mixedflows.text import prose_problems

ROOT = Path(__file__).resolve().parents[1]
NOTEBOOKS = sorted((ROOT / "modules").glob("*.ipynb")) + sorted((ROOT / "widgets").glob("*.ipynb"))


def test_every_module_notebook_is_a_planned_module():
    planned = {m.number for m in registry.COURSE}
    for nb in (ROOT / "modules").glob("*.ipynb"):
        assert int(nb.name[:2]) in planned, nb.name
    assert set(registry.written_modules()) >= set(range(1, 9))


@pytest.mark.parametrize("nb", NOTEBOOKS, ids=lambda p: p.name)
def test_no_prose_points_at_a_module_that_is_not_written(nb):
    written = set(registry.written_modules())
    cells = json.loads(nb.read_text(encoding="utf-8"))["cells"]
    prose = "\n".join("".join(c["source"]) for c in cells if c["cell_type"] == "markdown")
    cited = {int(n) for n in re.findall(r"\b[Mm]odules? (\d+)\b", prose)}
    assert cited <= written, f"{nb.name} refers to module(s) {sorted(cited - written)}"


def test_a_reference_links_only_to_a_notebook_that_exists():
    for m in registry.COURSE:
        ref = registry.module_ref(m.number)
        link = re.search(r"\]\(([^)]+)\)", ref)
        if registry.module_notebook(m.number) is None:
            assert link is None and "not written yet" in ref
        else:
            assert link and (ROOT / "modules" / link.group(1)).is_file(), ref


def test_next_steps_say_a_missing_module_is_not_written(tmp_path, monkeypatch):
    (tmp_path / "01_first.ipynb").write_text('{"cells": []}', encoding="utf-8")
    monkeypatch.setattr(registry, "_modules_dir", lambda: tmp_path)
    text = registry.next_steps((1, "comes first"), (10, "returns to who does what"))
    assert text.startswith("*Next:* [Module 1](01_first.ipynb) comes first.")
    assert "Module 10" not in text and "returns to who does what" not in text
    assert "the module on cooperation" in text and "not written yet" in text
    assert prose_problems(text) == []
    # Once its notebook lands, the same call links to it.
    (tmp_path / "10_cooperation.ipynb").write_text('{"cells": []}', encoding="utf-8")
    assert "[Module 10](10_cooperation.ipynb) returns to who does what" in registry.next_steps(
        (10, "returns to who does what")
    )


def test_an_unknown_module_is_refused_by_number():
    beyond = max(m.number for m in registry.COURSE) + 1
    with pytest.raises(KeyError, match=f"no module {beyond}"):
        registry.module_ref(beyond)


def test_a_course_file_names_a_module_the_course_has(tmp_path, monkeypatch):
    """The bound on ``module`` in exercise and casework files is the course's table
    (registry.COURSE), not a number typed in each format: a module beyond it is refused,
    naming the field and the modules there are; once the table has it, the file loads."""
    import yaml

    from mixedflows import course
    from mixedflows.casework.case import CaseworkSpec
    from mixedflows.errors import DataFileError
    from mixedflows.exercises import load_exercise

    beyond = max(course.module_numbers()) + 1
    data = yaml.safe_load((ROOT / "exercises" / "m1_who_is_in_the_boat.yaml").read_text("utf-8"))
    data["module"] = beyond
    p = tmp_path / "m1_who_is_in_the_boat.yaml"
    p.write_text(yaml.safe_dump(data), encoding="utf-8")
    with pytest.raises(DataFileError) as e:
        load_exercise(p)
    assert e.value.field == "module"
    assert f"no module {beyond}" in e.value.detail and "registry.COURSE" in e.value.detail
    assert "module" in CaseworkSpec.model_fields
    assert CaseworkSpec.model_fields["module"].annotation is int  # the same CourseModule type
    assert CaseworkSpec.model_fields["module"].metadata == list(course.CourseModule.__metadata__)
    planned = registry.PlannedModule(beyond, "a module added", "¶1")
    monkeypatch.setattr(course, "COURSE", (*course.COURSE, planned))
    assert load_exercise(p).module == beyond
