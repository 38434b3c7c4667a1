"""Module 2, "The words of a mixed flow": for each person (or group), tick the terms whose
definition the facts meet; graded by :mod:`mixedflows.definitions` (each definition split into
its elements, each sentence tagged with the elements it shows)."""

from __future__ import annotations

from typing import Any

import ipywidgets as w

from mixedflows.exercises import ModelExercise
from mixedflows.widgets import ui
from mixedflows.widgets.base import ExerciseApp, app_entry


def html() -> Any:
    """The app's macros (``templates/definitions.html.j2``)."""
    return ui.macros("definitions.html.j2")


class DefinitionsApp(ExerciseApp):
    expects = (ModelExercise,)
    model = "definitions.terms"
    default_exercise = "m2_words_of_a_mixed_flow"
    submit_label = "Check my reading"
    empty_message = (
        "Nothing to grade yet: tick the terms whose definition the facts meet (for at least "
        "one person), then check. Nothing was graded or recorded."
    )

    def inputs(self) -> list[w.Widget]:
        from mixedflows.definitions import load_terms

        self.terms = load_terms(self.exercise.params.terms)
        self.checks: dict[str, dict[str, w.Checkbox]] = {}
        boxes = []
        for p in self.terms.people:
            row = {}
            for t in self.terms.terms:
                cb = w.Checkbox(description=t.label, indent=False, layout=w.Layout(width="auto"))
                cb.add_class(f"mf-term-{p.id}-{t.id}".replace("_", "-"))
                row[t.id] = cb
            self.checks[p.id] = row
            card = w.HTML(str(html().person(p.who, [f.text for f in p.facts])))
            box = w.VBox([card, w.Box(list(row.values()), layout=w.Layout(flex_flow="row wrap"))])
            box.add_class("mf-definitions-person")
            boxes.append(box)
        return boxes

    def intro(self) -> list[w.Widget]:
        # The definitions as the grader reads them, quoted from the data file with their sources.
        from mixedflows.definitions import VERIFICATION, load_terms

        terms = load_terms(self.exercise.params.terms)
        items = [
            (t.label, t.definition, t.source, VERIFICATION[t.verification]) for t in terms.terms
        ]
        defs = w.HTML(str(html().definitions(items)))
        defs.add_class("mf-definitions")
        return [*super().intro(), defs]

    def answer(self) -> dict[str, list[str]]:
        return {
            pid: [tid for tid, cb in row.items() if cb.value] for pid, row in self.checks.items()
        }

    def is_empty(self, answer: Any) -> bool:
        return not any(answer.values())

    def restore(self, draft: Any) -> bool | None:
        if not isinstance(draft, dict):
            return False
        for pid, row in self.checks.items():
            chosen = draft.get(pid) or []
            for tid, cb in row.items():
                cb.value = tid in chosen
        return True


@app_entry
def definitions_exercise(exercise_id: str = "m2_words_of_a_mixed_flow", **kw: Any) -> w.Widget:
    """The module 2 definitions exercise, ready to answer."""
    return DefinitionsApp(exercise_id, **kw).widget
