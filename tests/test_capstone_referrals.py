"""Issue 15 hostile cold trial (capstone majors 3 and 4): stage 3's "What follows" listed the
referrals the learner missed (the key, before the season was submitted); a need referred on no
grounds heard was called both "referred" (stage 4, the outcome) and "not heard, so not referred"
(stage 3's consequences, the debrief's count). Now a need the learner referred is never "not
referred"; a referral without grounds heard is said to be so in the feedback, the consequences
and the debrief alike; and what follows names no missed referral."""

from __future__ import annotations

from mixedflows.capstone import outcome_lines, play
from mixedflows.capstone import season as S  # noqa: N812
from mixedflows.profiles import NEED_LABELS, Need
from mixedflows.screening import screen

SPEC = "port_alba_season"
RESCUE_RIGHT = {
    "port": "alba",
    "on_board": ["care", "medevac", "families", "separate_space", "note_claims"],
    "informed": ["reception", "port_medical", "child_protection", "unhcr"],
}
THIN_PLAN = dict(
    medical=3, screening=6, child_protection=2, mediation=6, beds=190, transfers_per_day=200
)


def _thin():
    season = play(SPEC, {"rescue": RESCUE_RIGHT, "reception": THIN_PLAN})
    heard = {
        s.person.person_id: {n.value for n in screen(s.heard).needs}
        for s in S.screening_sample(season)
    }
    hidden = {
        s.person.person_id: {n.value for n in screen(s.person).needs} - heard[s.person.person_id]
        for s in S.screening_sample(season)
    }
    return season, heard, hidden


def test_a_need_referred_without_grounds_heard_is_not_also_not_referred():
    season, heard, hidden = _thin()
    (pid, needs) = next((p, n) for p, n in hidden.items() if n)
    extra = sorted(needs)[0]
    answer = {p: sorted(h) for p, h in heard.items()}
    answer[pid] = sorted(heard[pid] | {extra})
    s3 = S.play_screening(season, answer)
    name = next(x.person.name for x in s3.screening.sample if x.person.person_id == pid)
    label = NEED_LABELS[Need(extra)]
    assert extra in s3.screening.referred[pid]
    assert extra not in s3.screening.not_heard[pid]  # referred: not "no one referred it"
    rec = s3.records[-1]
    item = next(i for i in rec.result.items if i.item.endswith(f"{name}: {label}"))
    assert item.credit == 0.0 and "without grounds heard" in item.message
    cons = " ".join(rec.consequences)
    assert f"{name}: 1 referral(s) made without grounds heard" in cons
    assert f"{name}: not heard" not in cons
    # Stage 4 puts the person where the referral leads; the debrief says the same as stage 3.
    s4 = S.play_postarrival(s3, {})
    assert not any(name in c and label.lower() in c for c in s4.records[-1].consequences)
    line = next(x for x in outcome_lines(s4) if x.startswith("Screening:"))
    assert "1 a referral made without grounds heard" in line
    missed = sum(bool(v) for v in s3.screening.not_heard.values())
    assert f"{missed} had a need no one heard" in line


def test_what_follows_stage_3_names_no_missed_referral():
    season, heard, hidden = _thin()
    s3 = S.play_screening(season, {})  # nothing referred: every need missed
    cons = " ".join(s3.records[-1].consequences)
    assert cons and "protection need(s) no service was asked to meet" in cons
    missed = set().union(*heard.values(), *hidden.values())
    assert missed
    for need in missed:
        assert NEED_LABELS[Need(need)].lower() not in cons.lower(), need


def test_the_screening_answers_are_final_once_continued(store_path):
    """Stage 3's Continue makes stages 1-3 final: no copying what follows into the answers."""
    from mixedflows.store import Store
    from mixedflows.widgets.common import Recorder
    from mixedflows.widgets.season import SeasonApp

    app = SeasonApp(recorder=Recorder(Store(store_path), learner="lock", session=""))
    app.port.value = "alba"
    app.stages["rescue"].cont.click()
    app.stages["reception"].cont.click()
    assert not app.port.disabled  # before the screening: still open to revision
    boxes = [cb for b in app.needs.values() for cb in b.values()]
    assert boxes and not any(cb.disabled for cb in boxes)
    app.stages["screening"].cont.click()
    assert app.stages["postarrival"].open, app.status.value
    assert all(cb.disabled for cb in boxes)
    assert app.port.disabled and all(x.disabled for x in app.plan.values())
    assert all(app.stages[k].cont.disabled for k in ("rescue", "reception", "screening"))
    assert "final" in app.stages["screening"].follows.value
    acts = [cb for b in app.actions.values() for cb in b.values()]
    assert acts and not any(cb.disabled for cb in acts)
    # A reload brings the stages back final too.
    again = SeasonApp(recorder=Recorder(Store(store_path), learner="lock", session=""))
    assert again.stages["postarrival"].open
    assert all(cb.disabled for b in again.needs.values() for cb in b.values())


def test_the_capstone_header_cites_the_paragraphs_it_grades_on():
    """Stage 5 grades return and reintegration on MC/INF/294 ¶24-25: the header says ¶16-25."""
    import json

    from mixedflows.paths import home

    nb = json.loads((home() / "widgets" / "season_on_the_route.ipynb").read_text("utf-8"))
    text = "".join("".join(c["source"]) for c in nb["cells"])
    assert "¶16–25" in text and "¶16–23" not in text


def test_health_care_not_called_for_says_what_its_citation_says():
    """Stage 4 marked "Health care while status is pending" as not called for, citing ICRMW
    art. 28 and ¶21 as if they said so: the message now says what is cited keeps care open
    (whatever the status) and only that there is no care to arrange on this file."""
    from mixedflows.capstone import load_capstone
    from mixedflows.casework import actions

    season = play(SPEC, {"rescue": RESCUE_RIGHT, "reception": THIN_PLAN, "screening": {}})
    offered = load_capstone(SPEC).postarrival.actions
    found = 0
    for f in S.postarrival_files(season):
        for v in actions.verdicts(f, offered):
            if v.action == "health_care" and v.call != "required":
                found += 1
                assert v.call == "allowed"
                assert "art. 28" in v.citation.text() and "¶21" in v.citation.text()
                assert "no care to arrange" in v.why and "keeps care open" in v.why
                assert "shall not be refused" in v.why and "not wrong" in v.why
    assert found


def test_health_care_offered_with_no_health_need_costs_nothing():
    """Issue 15 leftover: offering health care while status is pending to a person with no
    health need scored 0 at stage 4 (one needless action among none called for), although
    what the action cites (ICRMW art. 28, MC/INF/294 ¶21) holds such care open to everyone.
    It is now graded as not required and no error: the file keeps the credit of the rest of
    the answer, and the feedback line says what the citation says."""
    from mixedflows.capstone import load_capstone
    from mixedflows.casework import actions

    season = play(SPEC, {"rescue": RESCUE_RIGHT, "reception": THIN_PLAN, "screening": {}})
    offered = load_capstone(SPEC).postarrival.actions
    files = S.postarrival_files(season)
    healthy = [
        f
        for f in files
        if {v.action: v.call for v in actions.verdicts(f, offered)}["health_care"] != "required"
    ]
    assert healthy
    answer = {f.person.person_id: actions.reference(f, offered) for f in files}
    base = S.play_postarrival(season, answer).records[-1].result
    for f in healthy:
        answer[f.person.person_id] = [*actions.reference(f, offered), "health_care"]
    with_care = S.play_postarrival(season, answer).records[-1].result
    assert base.score == with_care.score == 1.0
    for f in healthy:
        line = next(
            i
            for i in with_care.items
            if i.item.endswith(f"{f.person.name}: {actions.ACTIONS['health_care'].label}")
        )
        assert line.credit == 1.0 and line.message.startswith("Not required:")
        assert "ICRMW art. 28" in line.message and "¶21" in line.message
    # A file with nothing called for and only health care chosen: full credit, not 0.
    from mixedflows.casework.grader import grade_file

    for f in healthy:
        if not actions.reference(f, offered):
            assert grade_file(f, ["health_care"], offered, "x").score == 1.0
    # Still an error: a needless action that the frameworks do not hold open to all.
    wrong = next(
        (f, v.action) for f in files for v in actions.verdicts(f, offered) if v.call == "not_needed"
    )
    f, action = wrong
    answer[f.person.person_id] = [*actions.reference(f, offered), action]
    assert S.play_postarrival(season, answer).records[-1].result.score < 1.0


def test_the_capstones_paragraphs_are_said_one_way_from_the_registry():
    """Cold facilitator trial: module 11's paragraphs were stated four ways (README and app
    ¶16-25, the debrief ¶16, ¶17, ¶19, ¶21, ¶23, the facilitator guide ¶13-26). The course
    registry says them once; every place a learner or facilitator reads them says the same,
    and the season file's paragraphs lie within them."""
    import json
    import re

    from mixedflows.capstone import report
    from mixedflows.capstone.spec import load_capstone
    from mixedflows.exercises import load_exercise
    from mixedflows.paths import home
    from mixedflows.registry import planned

    ex = load_exercise("m11_season_on_the_route")
    assert ex.module == report.MODULE
    said = planned(report.MODULE).paragraphs
    assert report.paragraphs() == said
    low, high = (int(x) for x in re.fullmatch(r"¶(\d+)–(\d+)", said).groups())
    root = home()

    def text(path):
        nb = json.loads((root / path).read_text("utf-8"))
        return "".join("".join(c["source"]) for c in nb["cells"])

    assert f"(IOM MC/INF/294 {said})" in text("widgets/season_on_the_route.ipynb")
    assert f"rests on **MC/INF/294 {said}**" in text("modules/11_capstone.ipynb")
    readme = (root / "README.md").read_text("utf-8")
    assert f"| 11. Capstone: a season on the route ({said}) |" in readme
    guide = (root / "docs" / "facilitator_guide.md").read_text("utf-8")
    assert f"## Module 11: Capstone: a season on the route ({said})" in guide
    spec = load_capstone(SPEC)
    assert all(low <= p <= high for p in spec.seed_paragraphs), spec.seed_paragraphs
    html = report.debrief_html(play(SPEC, {"rescue": RESCUE_RIGHT}), learner="ana")
    assert f"on IOM's MC/INF/294 ({said})." in html
