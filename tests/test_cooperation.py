"""Module 10: the mandates data and the mapping exercise graded from it; the multi-role
exercise's engine (combination rules, references derived from the scenario, per-role grades);
the store's role claims on SQLite and PostgreSQL; the room app's role views and its refusals."""

from __future__ import annotations

import json
import shutil
import threading
from pathlib import Path

import pytest

from mixedflows.cooperation import engine
from mixedflows.cooperation import mandates as md
from mixedflows.cooperation.room import load_room
from mixedflows.errors import DataFileError
from mixedflows.exercises import load_exercise
from mixedflows.grading import grade
from mixedflows.paths import home
from mixedflows.results import AnswerError
from mixedflows.store import Store

pytest_plugins = ["pg"]

ROOM = "landing_at_port_alba"
BACKENDS = ["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)]


@pytest.fixture(params=BACKENDS)
def location(request, tmp_path) -> str:
    if request.param == "sqlite":
        return str(tmp_path / "attempts.sqlite")
    return request.getfixturevalue("postgres_url")


@pytest.fixture
def room():
    return load_room(ROOM)


def best_all(room) -> dict[str, dict[str, str]]:
    return {r.id: engine.reference(room, r.id) for r in room.roles}


# -- mandates and the mapping exercise ----------------------------------------------------------
def test_every_task_names_actors_of_the_mandates_file():
    actors = md.actors()
    assert {"national_authorities", "iom", "unhcr", "unicef", "ngos"} <= set(actors)
    assert any(a.kind == "red_cross_red_crescent" for a in actors.values())
    for t in md.tasks().values():
        assert t.lead in actors and set(t.also) <= set(actors) and t.source


def test_case_studies_and_the_regional_processes_of_para_29():
    ini = md.initiatives()
    assert {"praesidium", "mmtf"} <= {k for k, i in ini.items() if i.kind == "inter_agency"}
    p29 = {k for k, i in ini.items() if "para 29" in i.seed}
    assert {"commit_mou", "mekong_employment_mous", "rcm_costa_rica_2008"} <= p29
    assert "UNDP" in ini["mmtf"].caveat  # the sources' disagreement is said


def test_mapping_is_graded_from_the_data():
    ex = load_exercise("m10_who_does_what")
    tasks = md.asked(ex.params)
    right = {t.id: t.lead for t in tasks}
    r = grade(ex, right)
    assert r.score == 1.0
    for f, t in zip(r.items, tasks, strict=True):
        assert f.expected == md.actors()[t.lead].actor and f.citation.startswith("MC/INF/294 ¶")
    shared = next(t for t in tasks if t.also)
    r = grade(ex, {**right, shared.id: shared.also[0]})
    item = next(f for f in r.items if f.item == shared.task)
    assert item.credit == md.PARTIAL and "shares this work" in item.message
    r = grade(ex, {})
    assert r.score == 0 and not any(f.answered for f in r.items)
    with pytest.raises(AnswerError, match="not an actor"):
        grade(ex, {tasks[0].id: "the moon"})


def test_statelessness_screening_is_the_states_as_in_module_6():
    """Module 6's case work sends a person whose State denies their nationality to
    statelessness screening, a procedure of the State, citing the UNHCR Handbook; the mapping
    said the State's answer was "Not National authorities (the State)'s task" (UNHCR led it
    alone). The task, from tasks.csv, now has the State lead and UNHCR share it, citing the
    same Handbook."""
    from mixedflows.casework.actions import STATELESSNESS

    ex = load_exercise("m10_who_does_what")
    (task,) = [t for t in md.asked(ex.params) if "stateless" in t.task]
    handbook = STATELESSNESS.framework.split(":")[0]
    assert handbook == "UNHCR Handbook on Protection of Stateless Persons (2014)"
    assert handbook in task.source and "statelessness determination procedure" in task.why
    state = md.actors()["national_authorities"].actor
    r = grade(ex, {task.id: "national_authorities"})
    item = next(f for f in r.items if f.item == task.task)
    assert item.credit == 1.0 and item.expected == state, item.message
    assert f"Not {state}'s task" not in item.message
    r = grade(ex, {task.id: "unhcr"})
    item = next(f for f in r.items if f.item == task.task)
    assert item.credit == md.PARTIAL and "shares this work" in item.message, item.message


def test_the_mapping_reference_follows_the_file(tmp_path, monkeypatch):
    """Change who leads a task in a copy of tasks.csv: the grade follows (nothing is typed
    beside the question)."""
    copy = tmp_path / "cooperation"
    shutil.copytree(home() / "datasets" / "cooperation", copy)
    text = (copy / "tasks.csv").read_text("utf-8")
    line = next(ln for ln in text.splitlines() if ln.startswith("inform_on_asylum,"))
    (copy / "tasks.csv").write_text(
        text.replace(line, line.replace(",unhcr,iom,", ",iom,unhcr,")), "utf-8"
    )
    monkeypatch.setattr(md, "folder", lambda: copy)
    for f in (md.actors, md.tasks, md.initiatives):
        f.cache_clear()
    try:
        assert md.tasks()["inform_on_asylum"].lead == "iom"
        ex = load_exercise("m10_who_does_what")
        r = grade(ex, {"inform_on_asylum": "iom"})
        assert next(f for f in r.items if f.item.startswith("Tell new")).credit == 1.0
    finally:
        for f in (md.actors, md.tasks, md.initiatives):
            f.cache_clear()


def test_a_row_without_a_source_is_refused(tmp_path, monkeypatch):
    copy = tmp_path / "cooperation"
    shutil.copytree(home() / "datasets" / "cooperation", copy)
    lines = (copy / "mandates.csv").read_text("utf-8").splitlines()
    lines.append('x,"X",ngo,"m","f",,P')
    (copy / "mandates.csv").write_text("\n".join(lines) + "\n", "utf-8")
    monkeypatch.setattr(md, "folder", lambda: copy)
    md.actors.cache_clear()
    try:
        with pytest.raises(DataFileError, match="source"):
            md.actors()
    finally:
        md.actors.cache_clear()


# -- the engine -----------------------------------------------------------------------------------
def test_every_role_reference_together_meets_every_need(room):
    out = engine.combine(room, best_all(room))
    assert out.met == out.total > 0
    assert all(p.status == "every need met" for p in out.people)
    for r in room.roles:
        assert (
            grade(
                load_exercise("m10_landing_roles"),
                {"role": r.id, "decisions": engine.reference(room, r.id)},
            ).score
            == 1.0
        )


def test_a_role_no_one_played_brings_nothing(room):
    assert engine.combine(room, {}).met == 0
    decisions = best_all(room)
    del decisions["ministry"]
    out = engine.combine(room, decisions)
    assert "ministry" in out.unplayed
    joy = next(p for p in out.people if p.person_id == "joy")
    identified = next(n for n in joy.needs if n.need_id == "identified")
    assert not identified.met
    assert [(a.role_id, a.played) for a in identified.missing] == [("ministry", False)]
    # Needs that depend on the ministry only through others still hold when it is missing.
    ahmed = next(p for p in out.people if p.person_id == "ahmed")
    assert ahmed.status == "every need met"


def test_a_need_shared_by_three_roles_fails_when_one_does_not_act(room):
    """Joy E. is identified only if IOM refers her, the reception authority gives a private
    room and the ministry lets the agencies work at the landing (¶18, ¶29)."""
    for role, decision, other in [
        ("iom", "joy", "wait"),
        ("reception", "interviews", "storage"),
        ("ministry", "agencies", "by_appointment"),
    ]:
        d = best_all(room)
        d[role] = {**d[role], decision: other}
        joy = next(p for p in engine.combine(room, d).people if p.person_id == "joy")
        need = next(n for n in joy.needs if n.need_id == "identified")
        assert not need.met and [a.role_id for a in need.missing] == [role]


def test_one_choice_can_block_what_every_other_role_did(room):
    d = best_all(room)
    d["ministry"] = {**d["ministry"], "returns": "return_all"}
    out = engine.combine(room, d)
    for p in out.people:
        safety = next((n for n in p.needs if n.need_id == "safety"), None)
        if safety is not None:
            assert not safety.met
            assert [(a.role_id, a.option) for a in safety.blocked] == [
                ("ministry", "Return everyone from the boat to State B within 72 hours")
            ]
    d = best_all(room)
    d["child_protection"] = {**d["child_protection"], "tomas": "xray"}
    tomas = next(p for p in engine.combine(room, d).people if p.person_id == "tomas")
    met = {n.need_id: n.met for n in tomas.needs}
    assert met == {
        "safety": True,
        "treated_as_child": False,
        "guardian": False,
        "safe_bed": True,
        "brother": True,
    }


def test_reference_is_the_option_serving_most_needs(room):
    for r in room.roles:
        for d in r.decisions:
            best = engine.best_option(room, r.id, d.id)
            values = {o.id: engine.option_value(room, r.id, d.id, o.id).value for o in d.options}
            assert values[best.id] == max(values.values())
            assert sorted(values.values()).count(values[best.id]) == 1


def test_choices_are_checked(room):
    with pytest.raises(AnswerError, match="not a role"):
        engine.check_choices(room, "pirate", {})
    with pytest.raises(AnswerError, match="not answered"):
        engine.check_choices(room, "coast_guard", {"destination": "port_alba"})
    bad = {**engine.reference(room, "coast_guard"), "destination": "<script>"}
    with pytest.raises(AnswerError, match="not an option"):
        engine.check_choices(room, "coast_guard", bad)
    extra = {**engine.reference(room, "coast_guard"), "returns": "return_all"}
    with pytest.raises(AnswerError, match="not a decision"):
        engine.check_choices(room, "coast_guard", extra)


def test_feedback_names_only_the_people_the_role_knows(room):
    ex = load_exercise("m10_landing_roles")
    choices = {**engine.reference(room, "coast_guard"), "destination": "state_b"}
    r = grade(ex, {"role": "coast_guard", "decisions": choices})
    assert r.score < 1
    text = json.dumps(r.to_json())
    assert "Ahmed R." in text  # the coast guard knows him
    for other in ("Joy E.", "Tomas B.", "The H. family", "Malik S."):
        assert other not in text
    assert "people your role has not met" in text
    dest = r.items[0]
    assert dest.credit == 0 and "MSC.167" in dest.citation and "¶16" in dest.citation


def _write_room(tmp_path: Path, edit) -> Path:
    import yaml

    data = yaml.safe_load((home() / "datasets/cooperation/rooms" / f"{ROOM}.yaml").read_text())
    edit(data)
    p = tmp_path / f"{ROOM}.yaml"
    p.write_text(yaml.safe_dump(data, allow_unicode=True), "utf-8")
    return p


def test_a_scenario_with_no_single_best_option_does_not_load(tmp_path):
    def tie(data):
        opts = data["roles"][0]["decisions"][1]["options"]  # the casualty
        opts[1]["effects"] = ["medevac"]

    with pytest.raises(DataFileError, match=r"roles\.0\.decisions\.1.*not unique"):
        load_room(_write_room(tmp_path, tie))


def test_a_need_on_an_effect_no_option_brings_does_not_load(tmp_path):
    def typo(data):
        data["people"][0]["needs"][0]["requires"] = ["safe_prot"]

    with pytest.raises(DataFileError, match="no option brings safe_prot"):
        load_room(_write_room(tmp_path, typo))


# -- the store's role claims ----------------------------------------------------------------------
ROLES = ("coast_guard", "reception", "iom")


def test_roles_are_given_one_per_table_and_never_changed(location):
    with Store(location) as s:
        got = [
            s.claim_role(session="s", exercise_id="m10", learner=who, roles=ROLES)
            for who in ("ana", "ben", "cy", "dee")
        ]
        assert got == [(1, "coast_guard"), (1, "reception"), (1, "iom"), (2, "coast_guard")]
        # Asking for another role gives back the one held.
        assert s.claim_role(session="s", exercise_id="m10", learner="ana", roles=("iom",)) == (
            1,
            "coast_guard",
        )
        assert s.claim_role(session="s", exercise_id="m10", learner="eve", roles=("iom",)) == (
            2,
            "iom",
        )
        assert (
            s.claim_role(
                session="s", exercise_id="m10", learner="fay", roles=("iom",), max_tables=2
            )
            is None
        )
        # Another session, another exercise: separate rooms.
        assert s.claim_role(session="t", exercise_id="m10", learner="ana", roles=("iom",)) == (
            1,
            "iom",
        )
        assert s.role_of(session="s", exercise_id="m10", learner="eve") == (2, "iom")
        assert s.role_of(session="s", exercise_id="other", learner="eve") is None
        assert [r[0] for r in s.room_roster(session="s", exercise_id="m10")] == [
            "ana",
            "ben",
            "cy",
            "dee",
            "eve",
        ]
        assert not s.debrief_opened(session="s", exercise_id="m10")
        s.open_debrief(session="s", exercise_id="m10")
        s.open_debrief(session="s", exercise_id="m10")  # again: no error, no second row
        assert s.debrief_opened(session="s", exercise_id="m10")
        assert not s.debrief_opened(session="t", exercise_id="m10")
        assert s.count() == 0  # none of this is an attempt


def test_many_claiming_at_once_get_distinct_roles(location):
    with Store(location):
        pass  # migrated once
    results: dict[str, tuple[int, str] | None] = {}

    def claim(who: str) -> None:
        with Store(location) as s:
            results[who] = s.claim_role(session="s", exercise_id="m10", learner=who, roles=ROLES)

    threads = [threading.Thread(target=claim, args=(f"p{i}",)) for i in range(9)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    seats = list(results.values())
    assert len(seats) == 9 and len(set(seats)) == 9
    assert sorted(seats) == [(t, r) for t in (1, 2, 3) for r in sorted(ROLES)]


# -- the room app (no browser: the widgets as the kernel holds them) ------------------------------
def fragments(text: str) -> list[str]:
    """Runs of plain words in a text (no quote or symbol an HTML view would escape)."""
    import re

    return [f.strip() for f in re.findall(r"[A-Za-z0-9 ,]{18,}", text)]


def role_texts(room, role_id: str, whole: bool = False) -> list[str]:
    """What only this role's screen may show (its facts, briefing, decisions, people), as
    fragments of plain words (or the whole texts)."""
    r = room.role(role_id)
    texts = [*r.facts, r.briefing, *(d.question for d in r.decisions)]
    texts += [o.label for d in r.decisions for o in d.options]
    texts += [p.label for p in room.spec.people if role_id in p.known_to]
    return texts if whole else [f for t in texts for f in fragments(t)]


def widget_state(root) -> str:
    """Every synced trait of every widget under ``root``, as the kernel would send it."""
    from ipywidgets.widgets.widget import _instances

    seen, out, todo = set(), [], [root]
    while todo:
        wd = todo.pop()
        if id(wd) in seen:
            continue
        seen.add(id(wd))
        state = wd.get_state()
        out.append(json.dumps(state, default=str))
        for v in state.values():
            for x in v if isinstance(v, list | tuple) else [v]:
                if isinstance(x, str) and x.startswith("IPY_MODEL_"):
                    todo.append(_instances[x.removeprefix("IPY_MODEL_")])
    return "\n".join(out)


def room_app(store, learner: str, role: str):
    from mixedflows.widgets.common import Recorder
    from mixedflows.widgets.cooperation import RoomApp

    app = RoomApp(recorder=Recorder(store=store, learner=learner, session="s"), poll=0)
    app.picker.value = role
    app.take_role()
    return app


def test_a_role_view_carries_no_other_role_in_its_widget_state(tmp_path, room):
    from mixedflows.widgets.cooperation import SoloRoom

    # The check finds another role's facts where they are: the solo page shows every role.
    solo = widget_state(SoloRoom(ROOM).widget)
    facts = [f for r in room.roles for fact in r.facts for f in fragments(fact)]
    assert facts and all(f in solo for f in facts)
    with Store(tmp_path / "a.sqlite") as store:
        for role in room.role_ids():
            app = room_app(store, f"p-{role}", role)
            state = widget_state(app.widget)
            own = role_texts(room, role)
            assert own and all(f in state for f in own), role  # the check can see text
            for other in room.role_ids():
                if other != role:
                    mine = role_texts(room, role, whole=True)  # what both may say
                    theirs = [f for f in role_texts(room, other) if not any(f in m for m in mine)]
                    leaked = [f for f in theirs if f in state]
                    assert not leaked, f"{role} sees {other}'s: {leaked[:3]}"


def test_a_participant_cannot_take_or_submit_for_another_role(tmp_path, room):
    with Store(tmp_path / "a.sqlite") as store:
        app = room_app(store, "ana", "coast_guard")
        assert app.role == "coast_guard"
        app.picker.value = "unhcr"  # a page that sends a new value after the role is taken
        assert app.take_role() == (1, "coast_guard")
        again = room_app(store, "ana", "unhcr")  # a reload asking for another role
        assert again.role == "coast_guard" and "not changed" in again.status.value
        assert not any(f in widget_state(again.widget) for f in role_texts(room, "unhcr"))
        taken = room_app(store, "ben", "coast_guard")  # the same role: the next table
        assert (taken.table, taken.role) == (2, "coast_guard")
        for d in room.role("coast_guard").decisions:
            again.choices[d.id].value = d.options[-1].id
        result = again.submit_decisions()
        assert result is not None
        (attempt,) = store.attempts(learner="ana")
        assert attempt.answer["role"] == "coast_guard" and attempt.answer["table"] == 1


def test_the_debrief_waits_for_the_facilitator_and_shows_the_engine_outcome(tmp_path, room):
    from mixedflows.widgets.cooperation import RoomPanel

    with Store(tmp_path / "a.sqlite") as store:
        apps = {r: room_app(store, f"p-{r}", r) for r in ("coast_guard", "iom", "ministry")}
        chosen = {r: engine.reference(room, r) for r in apps}
        chosen["ministry"]["returns"] = "return_all"
        for r, app in apps.items():
            for d, rb in app.choices.items():
                rb.value = chosen[r][d]
            app.submit_decisions()
        app = apps["iom"]
        assert not app.check_debrief(True) and "not opened" in app.debrief.value
        panel = RoomPanel(store=store, session="s")
        assert (
            "Debrief: not open yet" in panel.view.value
            and "mf-room-outcome" not in panel.view.value
        )
        panel.open_debrief()
        assert app.check_debrief()
        expected = engine.combine(room, chosen)
        assert f"{expected.met} of {expected.total} needs met" in app.debrief.value
        assert expected.met < expected.total
        assert "mf-room-outcome" in panel.view.value
        # Decisions are closed once the debrief is open (a cold trial changed the outcome
        # everyone saw, and reached 100 % after reading the debrief's reasons).
        before = len(store.attempts())
        for d, rb in apps["ministry"].choices.items():
            rb.value = engine.reference(room, "ministry")[d]
        assert apps["ministry"].submit_decisions() is None
        assert "decisions are closed" in apps["ministry"].status.value
        assert len(store.attempts()) == before
        assert app.check_debrief() and f"{expected.met} of {expected.total}" in app.debrief.value


def test_the_panel_of_an_empty_room_lists_titles_and_reads_no_room(tmp_path, monkeypatch):
    # The dashboard's start (issue 13): the room exercises listed by the titles of their files,
    # none validated, and no room read while no one has taken a role.
    from mixedflows.widgets import cooperation

    listed = cooperation.room_exercises()
    assert listed and all(load_exercise(e).title == t for t, e in listed)

    def must_not_load(*_a, **_k):
        raise AssertionError("the room was read for a panel no one has joined")

    monkeypatch.setattr(cooperation, "_room_exercise", must_not_load)
    monkeypatch.setattr(cooperation, "load_exercise", must_not_load)
    with Store(tmp_path / "a.sqlite") as store:
        panel = cooperation.RoomPanel(store=store, session="s")
        assert panel.pick.options == tuple(listed)
        assert "No one has taken a role yet." in panel.view.value


def test_feedback_cites_each_instrument_and_paragraph_once(room):
    """Cold facilitator trial: the coast guard's first decision cited the place of safety three
    times (one line per person the port serves, joined by ' | '). Each instrument of every
    decision's feedback is named once, and its seed paragraphs once."""
    seen = 0
    for role in room.roles:
        for wrong in (False, True):
            choices = engine.reference(room, role.id)
            if wrong:  # another option for each decision: other needs, other citations
                choices = {
                    d.id: next(o.id for o in d.options if o.id != choices[d.id])
                    for d in role.decisions
                }
            for f in engine.grade_role(room, role.id, choices).items:
                text = f.citation.partition(" (caveat: ")[0]
                parts = [p.strip() for p in text.replace(" | ", "; ").split("; ")]
                assert len(parts) == len(set(parts)), f.citation
                assert text.count("MC/INF/294") == 1, f.citation
                seen += "MSC.167(78) (2004) paras 2.5 and 6.12" in text
    assert seen
