"""Every text a learner reads, with where it comes from: the one walk shared by the tests that
read learner-facing prose (no internal note, no path or module name, a dated count said to be
unverified today, a teaching assumption told as one).

:func:`learner_texts` yields ``(where, text)`` pairs of three kinds:

- ``files``: every learner-facing file (``datasets/``, ``exercises/``, ``modules/``,
  ``widgets/``) as a learner reads it (a notebook: its cells, committed without outputs);
- ``rendered``: what the apps render from those files (the policy lab's evidence cards, each
  scenario's summary and caveats, the narratives, arrival lines and interview answers of the
  people of every scenario, 10 seeds each);
- ``engine``: what the engine puts together (feedback, citations and summaries of every graded
  exercise on the facilitator guide's wrong answers and on reference answers, every
  data-reading question, the debriefs, the flow explorer's facts and sources, and every
  surface of module 10: :func:`module10_texts`).

Each kind is walked once per test process (cached), whichever test asks first.
"""

from __future__ import annotations

import json
import re
import sys
from collections.abc import Iterator
from functools import cache
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
LEARNER_FACING = ("datasets", "exercises", "modules", "widgets")
TEXT_SUFFIXES = {".csv", ".yaml", ".yml", ".json", ".md", ".txt", ".ipynb", ".html", ".j2"}
KINDS = ("files", "rendered", "engine")


def learner_files() -> list[Path]:
    """Every learner-facing text file, in a stable order."""
    out = []
    for d in LEARNER_FACING:
        for p in sorted((ROOT / d).rglob("*")):
            if p.is_file() and p.suffix in TEXT_SUFFIXES and ".ipynb_checkpoints" not in p.parts:
                out.append(p)
    return out


def readable_text(p: Path) -> str:
    """A file as a learner reads it: a notebook's cells (committed without outputs), else the
    file's text."""
    text = p.read_text("utf-8")
    if p.suffix == ".ipynb":
        return "\n".join("".join(c["source"]) for c in json.loads(text)["cells"])
    return text


def markdown(p: Path) -> str:
    """A notebook's prose: its markdown cells (its code cells name the package's modules)."""
    return "\n".join(
        "".join(c["source"])
        for c in json.loads(p.read_text("utf-8"))["cells"]
        if c["cell_type"] == "markdown"
    )


def module_pages() -> list[Path]:
    return sorted((ROOT / "modules").glob("*.ipynb"))


def sentences(text: str) -> list[str]:
    return re.split(r"(?<=[.!?])\s+", text)


@cache
def _files() -> tuple[tuple[str, str], ...]:
    return tuple((str(p.relative_to(ROOT)), readable_text(p)) for p in learner_files())


@cache
def _rendered() -> tuple[tuple[str, str], ...]:
    from mixedflows.narratives import arrival_lines, interview, narrative_lines
    from mixedflows.regularization.programme import list_programmes
    from mixedflows.scenarios import generate_cohort, list_scenarios, load_scenario
    from mixedflows.widgets.policy_lab import evidence_cards

    out = {f"evidence cards {pid}": evidence_cards(pid) for pid in list_programmes()}
    for sid in list_scenarios():
        sc = load_scenario(sid)
        out[f"scenario {sid}"] = " ".join((sc.summary, *sc.caveats))
        for seed in range(10):
            for p in generate_cohort(sc, seed):
                answers = interview(p)
                out[f"scenario {sid} seed {seed} {p.person_id}"] = " ".join(
                    [
                        *narrative_lines(p),
                        *arrival_lines(p),
                        *(s for a in answers.values() for s in a),
                    ]
                )
    return tuple(out.items())


@cache
def _engine() -> tuple[tuple[str, str], ...]:
    sys.path.insert(0, str(Path(__file__).parent))
    from test_facilitator_guide import _wrong_answers
    from test_prose import _casework_texts, _debriefs, _feedback_texts, _other_graders

    from mixedflows.exercises import load_exercise
    from mixedflows.flows import data
    from mixedflows.flows.explore import route_view
    from mixedflows.flows.questions import all_questions, grade_question
    from mixedflows.grading import grade

    out: dict[str, str] = {}
    for ex_id, answers in _wrong_answers().items():
        for k, answer in enumerate(answers):
            r = grade(load_exercise(ex_id), answer)
            out[f"{ex_id} wrong {k}"] = " ".join([r.summary, *_feedback_texts(r)])
    out["journey empty"] = " ".join(
        _feedback_texts(grade(load_exercise("m2_a_journey_that_changes"), {}))
    )
    for q in all_questions():
        fb = grade_question(q, None)
        out[f"question {q.id}"] = " ".join([q.prompt, fb.message, fb.citation])
    for name, f in (
        ("casework", _casework_texts),
        ("other graders", _other_graders),
        ("debriefs", _debriefs),
    ):
        out[name] = " ".join(f())
    from mixedflows.widgets.flow_explorer import FlowExplorer

    e = FlowExplorer()
    for r in data.load_routes():
        e.route.value = r.id
        for year in route_view(r.id).years:
            e.year.value = year
            out[f"explorer {r.id} {year}"] = " ".join(
                x.value for x in (e.caveat, e.facts, e.months, *e.widget.children[-1:])
            )
    out.update(module10_texts())
    return tuple(out.items())


def module10_texts() -> dict[str, str]:
    """Every surface of module 10 a learner reads, as rendered: the mandates and initiatives
    tables, the mapping exercise's feedback (every task answered right, wrong, or not), each
    role's view and feedback in the room, the room's outcome (everyone on the reference, no one
    playing) and the module's debrief."""
    import html as html_lib

    from mixedflows.cooperation import engine, mandates
    from mixedflows.cooperation.debrief import debrief
    from mixedflows.cooperation.room import load_room
    from mixedflows.exercises import load_exercise
    from mixedflows.grading import grade
    from mixedflows.widgets.cooperation import initiatives_table, mandates_table, outcome_html

    def page(x: str) -> str:
        x = re.sub(r"<style.*?</style>", " ", x, flags=re.DOTALL)
        return html_lib.unescape(re.sub(r"<[^>]+>", " ", x))

    out = {"m10 mandates table": page(mandates_table().value)}
    for kind in (None, "inter_agency", "regional_state"):
        out[f"m10 initiatives table {kind}"] = page(initiatives_table(kind).value)
    mapping = load_exercise("m10_who_does_what")
    tasks = mandates.asked(mapping.params)
    answers = {
        "right": {t.id: t.lead for t in tasks},
        "wrong": {t.id: next(a for a in mandates.actors() if a != t.lead) for t in tasks},
        "none": {},
    }
    for k, answer in answers.items():
        r = grade(mapping, answer)
        out[f"m10 mapping {k}"] = " ".join(
            [r.summary, *(f"{f.message} {f.citation}" for f in r.items)]
        )
    room = load_room(load_exercise("m10_landing_roles").params.room)
    best = {r.id: engine.reference(room, r.id) for r in room.roles}
    for r in room.roles:
        v = room.view(r.id)
        g = engine.grade_role(room, r.id, best[r.id])
        out[f"m10 room {r.id}"] = " ".join(
            [v.context, v.briefing, *v.facts, *v.people, g.summary]
            + [f"{f.message} {f.citation}" for f in g.items]
        )
    out["m10 room outcome, every role"] = page(outcome_html(room, engine.combine(room, best), {}))
    out["m10 room outcome, no role"] = page(outcome_html(room, engine.combine(room, {}), {}))
    out["m10 debrief"] = str(debrief())
    return out


WALKS = {"files": _files, "rendered": _rendered, "engine": _engine}


def learner_texts(*kinds: str) -> Iterator[tuple[str, str]]:
    """Every learner-facing text of the ``kinds`` asked for (default: all), as ``(where,
    text)``: ``where`` is a file relative to the checkout, or what the engine rendered."""
    for kind in kinds or KINDS:
        yield from WALKS[kind]()
