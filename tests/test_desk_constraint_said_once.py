"""Cold trial of issue 10, minor 3: at the desk, Blessing O. not taken aside read the same missing
step twice, in the Order line (cited to the 10-Point Plan points 4-6, 9 and the BIP Guidelines)
and in the hard constraint line (cited to the 10-Point Plan in Action ch. 5.2 and 6.4). The step
is now said once, under its own source; the Order line only names the broken constraint."""

from __future__ import annotations

from mixedflows import constraints as cons
from mixedflows.cases import load_case
from mixedflows.cases.desk import ORDER_CITATION, grade_desk
from mixedflows.exercises import load_exercise
from mixedflows.grading import grade
from mixedflows.screening import screen

ASIDE = cons.STEPS[cons.PRIVATE]


def test_the_step_not_taken_is_said_once_with_one_citation():
    p = load_case("promised_hairdressing_job").persons[0]
    s = screen(p)
    assert s.interview_apart
    answer = {"referrals": [n.value for n in s.needs], "asked": ["journey", "work", "control"]}
    r = grade_desk(p, answer)
    saying = [f for f in r.items if ASIDE in f.message]
    assert len(saying) == 1, [f.item for f in saying]
    assert saying[0].item == "Hard constraint"
    assert saying[0].citation == cons.PRIVATE_CITATION.text() != ORDER_CITATION.text()
    order = r.items[0]
    assert order.item == "Order" and 0 < order.credit < 1
    assert "No trafficking interview in front of a possible trafficker" in order.message
    # taken aside first: nothing is missing, no hard constraint line
    r = grade_desk(p, {**answer, "asked": ["private", "journey", "work", "control"]})
    assert not any(ASIDE in f.message for f in r.items)
    assert not any(f.item == "Hard constraint" for f in r.items)


def test_the_family_exercise_says_a_broken_constraint_once():
    ex = load_exercise("m5_family_referrals")
    case = load_case(ex.params.case)
    ref = {
        cp.id: [n.value for n in screen(q).needs]
        for cp, q in zip(case.spec.persons, case.persons, strict=True)
    }
    lina = {**ref, "lina": ["asylum_information", "urgent_medical", "counselling"]}
    msg = next(f for f in grade(ex, lina).items if f.item.startswith("lina")).message
    person = dict(zip((cp.id for cp in case.spec.persons), case.persons, strict=True))["lina"]
    steps = lina["lina"]
    checks = cons.check(cons.constraints_for(screen(person)), steps)
    broken = [c for c in checks if c.applicable and not c.respected]
    assert broken
    for c in broken:
        assert msg.count(c.message) == 1, c.message
