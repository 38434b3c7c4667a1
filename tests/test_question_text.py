"""The dashboard's wrong answers and the participant summaries name each question as the
learner read it (cold facilitator trial: "m2\\_reading\\_the\\_data/deadliest\\_route:2020:
Central Mediterranean", an internal key with its underscores escaped, for a knowledge-check
question that reads "In 2020, on which route were the most dead and missing recorded...")."""

from __future__ import annotations

from mixedflows import facilitator, knowledge
from mixedflows.exercises import load_exercise
from mixedflows.flows.grader import questions_for
from mixedflows.grading import grade
from mixedflows.store import Store
from mixedflows.widgets.common import Recorder


def _wrong_choice(options, right):
    return next(v for v, _ in options if v != right)


def test_wrong_answers_and_summaries_show_the_question_text_not_its_key(tmp_path):
    store = Store(tmp_path / "a.sqlite")
    rec = Recorder(store, learner="ana", session="s")
    # The knowledge check: every question answered wrong.
    items = knowledge.check_items()
    answers = {}
    for i in items:
        ref = next(
            (
                v
                for v, label in i.options
                if knowledge.grade_check({"phase": "end", "answers": {i.key: v}})
                .items[[x.key for x in items].index(i.key)]
                .correct
            ),
            None,
        )
        answers[i.key] = _wrong_choice(i.options, ref)
    check = {"phase": "end", "answers": answers}
    rec.record(knowledge.END, check, knowledge.grade_check(check))
    # The data-reading exercise: its questions answered with a wrong option.
    ex = load_exercise("m2_reading_the_data")
    qs = [q for q in questions_for(ex) if q.options and not q.multiple]
    data = {
        "seed": ex.params.seed,
        "answers": {q.id: _wrong_choice(q.options, q.reference) for q in qs},
    }
    rec.record(ex.id, data, grade(ex, data))

    wrong = facilitator.wrong_answers(store.attempts(session="s"), top=None)
    by_ex = wrong.groupby("exercise_id")["question"].apply(set).to_dict()
    for i in items:
        assert i.question in by_ex[knowledge.END], i.key
    assert all("/" not in q or q in {i.question for i in items} for q in by_ex[knowledge.END])
    for q in qs:
        assert q.prompt in by_ex[ex.id] and q.id not in by_ex[ex.id]
    summary = facilitator.participant_summary(store.attempts(session="s"), "ana", revisit=50)
    for i in items:
        assert i.key not in summary and i.key.replace("_", "\\_") not in summary
    assert "deadliest\\_route" not in summary and "m2\\_reading\\_the\\_data/" not in summary
