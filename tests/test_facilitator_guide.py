"""The facilitator guide (docs/facilitator_guide.md, issue 15) is written from the course, so
it cannot disagree with it: every misconception key the dashboard can show is in the guide
with what to say; each key is reached by a real wrong answer, graded and read back through the
dashboard's own table; each written module's objectives are the notebook's; modules 9-11 have
their slots; every app the guide tells a facilitator to serve exists."""

from __future__ import annotations

import importlib.util
import re
import sys
from pathlib import Path

import pytest

from mixedflows import cases, casework, facilitator
from mixedflows.cooperation.mandates import asked
from mixedflows.exercises import load_exercise
from mixedflows.facilitator.misconceptions import TYPICAL, typical
from mixedflows.grading import cohort_reference, grade
from mixedflows.registry import COURSE, module_notebook
from mixedflows.store import Store
from mixedflows.widgets.common import Recorder

ROOT = Path(__file__).resolve().parents[1]
GUIDE = ROOT / "docs" / "facilitator_guide.md"


def _script():
    spec = importlib.util.spec_from_file_location(
        "make_facilitator_guide", ROOT / "scripts" / "make_facilitator_guide.py"
    )
    mod = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = mod  # its dataclasses look their module up
    spec.loader.exec_module(mod)
    return mod


def _wrong_answers() -> dict[str, object]:
    """A wrong answer to each exercise a misconception key names (graded for real below)."""
    m1 = load_exercise("m1_who_is_in_the_boat")
    boat = {
        pid: {"profiles": ["economic"], "first_need": a["first_need"]}
        for pid, a in cohort_reference(m1).items()
    }
    m6 = casework.files_of(casework.check_params(load_exercise("m6_stranded_casework")))
    m7 = casework.files_of(casework.check_params(load_exercise("m7_after_arrival")))
    steps = cases.constraint_steps(
        cases.constraint_person(load_exercise("m5_hard_constraints").params)
    )
    tesfaye = next(
        f for f in m6 if f.situation.readmission_refused and not f.situation.wishes_to_return
    )
    hawa = next(f for f in m6 if f.person.age < 18 and f.situation.wishes_to_return)
    return {
        "m1_who_is_in_the_boat": [boat],
        "m2_words_of_a_mixed_flow": [
            {"paul": ["smuggled_migrant", "trafficked_person"], "samir": ["smuggled_migrant"]}
        ],
        "m3_design_a_campaign": [
            {
                "audience": "national_public",
                "messenger": "minister",
                "channels": ["tv_spots", "billboards"],
                "content": ["hazards", "fear_images"],
                "evaluation": ["none"],
            }
        ],
        "m3_development_and_emigration": [
            {"across_countries": "falls", "within_countries": "rises"}
        ],
        "m4_rescue_decision": [
            {
                "port": "bren",
                "on_board": ["care", "decide_status"],
                "informed": ["origin_authorities"],
            }
        ],
        "m4_holding_standards": [{"placements": {"issa": "detention"}, "failed_standards": []}],
        "m5_hard_constraints": [
            {"steps": ["origin_contact", *[s for s in steps if s != "origin_contact"]]}
        ],
        "m6_stranded_casework": [
            {"person_id": tesfaye.person.person_id, "actions": ["consular", "detain"]},
            {"person_id": hawa.person.person_id, "actions": ["voluntary_return"]},
        ],
        "m7_after_arrival": [
            {"person_id": m7[4].person.person_id, "actions": ["report_patients", "detain"]}
        ],
        "m7_public_message": [
            {
                "frame": "threat_control",
                "people": "crowd",
                "words": "illegal",
                "content": [],
                "ask": "nothing",
                "press": "briefing",
            }
        ],
        "m9_return_decisions": [
            {
                "amadou": {"decision": "voluntary_return", "measures": []},
                "grace": {"decision": "voluntary_return", "measures": []},
            }
        ],
        "m9_reintegration_programme": [{"cash": 2000}],
        "m9_labour_mobility": [{"future": "down", "present": "up"}],
        "m10_who_does_what": [
            {t.id: "unhcr" for t in asked(load_exercise("m10_who_does_what").params)}
        ],
        "m8_predict_then_see": [
            {"fee": "up", "residence": "down", "staff": "up", "contract": "up", "channels": "up"}
        ],
        "m10_landing_roles": _room_answers(),
        "m11_season_on_the_route": [_season_answer()],
    }


def _room_answers() -> list[dict]:
    """The room's reference for each role but two choices: the readmission agreement used to
    return the boat, and the X-ray for the age in doubt (found in the scenario by option)."""
    from mixedflows.cooperation import engine
    from mixedflows.cooperation.room import load_room

    room = load_room(load_exercise("m10_landing_roles").params.room)
    out = []
    for r in room.roles:
        decisions = engine.reference(room, r.id)
        for d in r.decisions:
            for wrong in ("return_all", "xray"):
                if any(o.id == wrong for o in d.options):
                    decisions[d.id] = wrong
        if decisions != engine.reference(room, r.id):
            out.append({"role": r.id, "decisions": decisions})
    assert len(out) == 2
    return out


def _season_answer() -> dict:
    """A season whose boats go to a farther port and whose policy returns people before the
    safeguards their cases call for."""
    return {
        "rescue": {"port": "fiora", "on_board": ["care"], "informed": []},
        "reception": dict(
            medical=3, screening=6, child_protection=2, mediation=6, beds=190, transfers_per_day=200
        ),
        "screening": {},
        "postarrival": {},
        "policy": {
            "kind": "return_reintegration",
            "enforced": True,
            "safeguards": False,
            "programme": {"cash": 2000},
        },
    }


def test_every_misconception_key_is_reached_through_the_dashboards_table(tmp_path):
    store = Store(tmp_path / "a.sqlite")
    for who in ("ana", "bo"):
        rec = Recorder(store, learner=who, session="guide")
        for ex_id, answers in _wrong_answers().items():
            for k, answer in enumerate(answers):
                if ex_id == "m10_landing_roles":  # one role per participant in the room
                    room = Recorder(store, learner=f"{who}-{k}", session="guide")
                    room.record(ex_id, answer, grade(load_exercise(ex_id), answer))
                    continue
                rec.record(ex_id, answer, grade(load_exercise(ex_id), answer))
    rep = facilitator.session_report(store.attempts(session="guide"), "guide")
    found = typical(
        rep.wrong if hasattr(rep, "wrong") else facilitator.wrong_answers(store.attempts())
    )
    seen = set(found["key"])
    assert seen == {t.key for t in TYPICAL}, {t.key for t in TYPICAL} - seen
    assert (found["participants"] == 2).all()
    # The dashboard shows them under the guide's keys, with what to say.
    from mixedflows.widgets.dashboard import wrong_html

    html = wrong_html(rep, {})
    assert "Typical misconceptions in this room" in html
    for t in TYPICAL:
        assert f"<code>{t.key}</code>" in html


def test_a_right_answer_shows_no_misconception(tmp_path):
    store = Store(tmp_path / "a.sqlite")
    rec = Recorder(store, learner="ana", session="ok")
    ex = load_exercise("m1_who_is_in_the_boat")
    ref = cohort_reference(ex)
    rec.record(ex.id, ref, grade(ex, ref))
    assert typical(facilitator.wrong_answers(store.attempts(session="ok"))).empty


def test_every_written_module_of_the_first_eight_has_a_misconception_and_exercises_exist():
    exercises = {p.stem for p in (ROOT / "exercises").glob("*.yaml")}
    for t in TYPICAL:
        assert set(t.exercises) <= exercises, t.key
    assert {t.module for t in TYPICAL} >= set(range(1, 9))
    assert len({t.key for t in TYPICAL}) == len(TYPICAL)


def test_the_guide_covers_every_key_every_module_and_its_objectives():
    guide = GUIDE.read_text(encoding="utf-8")
    mod = _script()
    for t in TYPICAL:
        assert f"`{t.key}`" in guide and t.say in guide, t.key
    for m in COURSE:
        assert re.search(rf"^## Module {m.number}: ", guide, flags=re.M), m.number
        nb = module_notebook(m.number)
        if nb is not None:
            objectives = mod.objectives(nb)
            assert objectives, nb.name
            for o in objectives:
                assert o in guide, (m.number, o)
            assert f"Rests on MC/INF/294 {m.paragraphs}" in guide


def test_every_app_the_guide_serves_exists():
    mod = _script()
    for n, s in mod.SESSIONS.items():
        for app in s.apps:
            assert (ROOT / "widgets" / app).is_file(), (n, app)
    guide = GUIDE.read_text(encoding="utf-8")
    for app in re.findall(r"--apps ([\w.,]+)", guide):
        for a in app.split(","):
            assert (ROOT / "widgets" / a).is_file(), a


@pytest.mark.parametrize("n", [9, 10, 11])
def test_modules_nine_to_eleven_have_a_slot_or_their_notebook(n):
    guide = GUIDE.read_text(encoding="utf-8")
    body = guide.split(f"## Module {n}: ", 1)[1].split("\n## ", 1)[0]
    if module_notebook(n) is None:
        assert "Slot: the module is being written" in body
    else:
        assert "Slot:" not in body or "Learning objectives" in body


def test_the_room_and_the_capstone_have_misconception_keys():
    """Issue 15 cold trial: module 10's room and module 11 had none on the dashboard."""
    covered = {e for t in TYPICAL for e in t.exercises}
    assert {"m10_landing_roles", "m11_season_on_the_route"} <= covered
    assert 11 in {t.module for t in TYPICAL}


@pytest.mark.parametrize("n", [9, 10])
def test_modules_nine_and_ten_have_real_discussion_questions(n):
    """Cold facilitator trial: module 9 had one question, and both a filler line ('read them
    on screen') counted as one. Each question cites the seed paragraph it rests on."""
    mod = _script()
    questions = mod.discussion(module_notebook(n))
    assert len(questions) >= 3, questions
    assert all("¶" in q or "module" in q.lower() for q in questions), questions
    guide = GUIDE.read_text(encoding="utf-8")
    body = guide.split(f"## Module {n}: ", 1)[1].split("\n## ", 1)[0]
    assert "read them on screen" not in body
    assert "no numbered learning objectives" not in body


def test_every_facilitate_command_of_the_guide_seats_its_room():
    """Cold trial of the one-day plan: its command preheated 7 kernels of each of 7 apps under
    a cap of 50, which held the room. Each command of the guide, parsed as ``./mfl facilitate``
    parses it: its participants fit in the cap with its pools (a preheated kernel makes way for
    a participant: tests/test_server_hostile.py), and the guide says what the cap means."""
    import shlex

    from mixedflows.server import cli

    guide = GUIDE.read_text(encoding="utf-8")
    commands = re.findall(r"`\./mfl facilitate ([^`]+)`", guide)
    assert len(commands) >= 4, commands
    for command in commands:
        args = cli.parser().parse_args(["facilitate", *shlex.split(command)])
        session, _note = cli.session_for(args)
        assert args.participants <= session.max_kernels, command
        assert 0 < session.pool * len(session.apps) <= session.max_kernels, command
    assert "makes way for a participant" in guide and "--max-kernels" in guide


def test_the_guide_is_up_to_date_with_its_sources():
    assert GUIDE.read_text(encoding="utf-8") == _script().render()


def test_every_command_the_guide_writes_exists_with_its_options():
    """Cold facilitator trial: each `./mfl ...` in the guide is parsed by the CLI's own parser
    (an unknown subcommand or option exits), or is one of the ./mfl script's own commands."""
    import shlex

    from mixedflows.server.cli import parser

    guide = GUIDE.read_text(encoding="utf-8")
    commands = re.findall(r"`\./mfl ([^`]+)`", guide)
    assert len(commands) > 10
    script = (ROOT / "mfl").read_text(encoding="utf-8")
    for command in commands:
        words = shlex.split(command)
        if words[0] in ("facilitate", "export", "certificate", "store"):
            parser().parse_args(words)
        else:
            assert re.search(
                rf"^\s+([\w-]+\|)*{re.escape(words[0])}(\|[\w-]+)*\)", script, flags=re.M
            ), command


def test_one_session_code_for_the_course_and_a_day_plan_from_the_modules_timings():
    """Cold facilitator trial: each module's advice used its own --session (M9, M10...), which
    split the knowledge check's start from its end (the gain and the LMS export are per
    session); the per-module timings (975 minutes) came with no day plan."""
    mod = _script()
    guide = GUIDE.read_text(encoding="utf-8")
    assert set(re.findall(r"--session (\S+?)`?\s", guide)) == {mod.CODE}
    assert set(re.findall(r"join\?session=(\w+)", guide)) == {mod.CODE}
    # A one-day course keeps the modules the knowledge check asks about, so its gain means
    # something; the three days keep every module once, in order.
    from mixedflows.exercises import load_exercise
    from mixedflows.knowledge import SOURCES

    assert {load_exercise(x).module for x in SOURCES} <= set(mod.ONE_DAY)
    problems = _agenda_problems(mod.THREE_DAYS, [m.number for m in COURSE])
    assert not problems, "\n".join(problems)
    # Each agenda's rows follow one another and each module gets its own timing.
    plans = [mod.agenda(mod.ONE_DAY, True, True)] + [
        mod.agenda(d, k == 0, k == len(mod.THREE_DAYS) - 1) for k, d in enumerate(mod.THREE_DAYS)
    ]
    for plan in plans:
        rows = [
            re.match(r"\| (\d\d):(\d\d)-(\d\d):(\d\d) \| (.+) \| (\d+) min \|", r) for r in plan[2:]
        ]
        assert all(rows), plan
        ends = None
        for r in rows:
            start = int(r[1]) * 60 + int(r[2])
            end = int(r[3]) * 60 + int(r[4])
            assert ends is None or start == ends
            assert end - start == int(r[6])
            module = re.match(r"Module (\d+):", r[5])
            if module:
                assert int(r[6]) == sum(x for _, x in mod.SESSIONS[int(module[1])].minutes)
            ends = end
        assert plan[2].count("Knowledge check") == (plan is plans[0] or plan is plans[1])
    for plan in plans:
        assert "|" in "\n".join(plan) and "\n".join(plan) in guide
    # Every app a day serves exists; the day that opens and the day that closes serve the check.
    for app in re.findall(r"--apps ([\w.,]+)", guide):
        assert all((ROOT / "widgets" / a).is_file() for a in app.split(","))


SCRIPT = "scripts/make_facilitator_guide.py"


def _agenda_problems(three_days: tuple[tuple[int, ...], ...], course: list[int]) -> list[str]:
    """What is wrong with the three days' agenda (``THREE_DAYS``) against the course's modules,
    each said with where to mend it (a bare list diff said neither)."""
    days = [n for d in three_days for n in d]
    out = []
    for n in course:
        if n not in days:
            out.append(
                f"module {n} is missing from THREE_DAYS in {SCRIPT} (the three days' agenda): "
                f"add {n} to one day's tuple there, in course order (and its session plan to "
                f"SESSIONS), then run python {SCRIPT} to write the guide again"
            )
    for n in sorted(set(days)):
        if n not in course:
            out.append(
                f"THREE_DAYS in {SCRIPT} names module {n}, which is not a module of the course "
                "(mixedflows.registry.COURSE): remove it or add the module there first"
            )
        elif days.count(n) > 1:
            out.append(f"THREE_DAYS in {SCRIPT} names module {n} {days.count(n)} times: keep one")
    kept = [n for n in days if n in course]
    if not out and kept != sorted(kept):
        out.append(f"THREE_DAYS in {SCRIPT} takes the modules out of order ({kept}): sort them")
    return out


def test_an_agenda_missing_a_module_says_which_from_which_constant_and_where():
    """A module written but left out of the three days failed with a bare list diff."""
    (said,) = _agenda_problems(((1, 2), (3,)), [1, 2, 3, 4])
    assert said.startswith(f"module 4 is missing from THREE_DAYS in {SCRIPT}")
    assert "add 4 to one day's tuple there" in said
    assert _agenda_problems(((1, 2), (3, 4)), [1, 2, 3, 4]) == []
    assert "12" in _agenda_problems(((1, 2, 12),), [1, 2])[0]
    assert "2 times" in _agenda_problems(((1, 2), (2,)), [1, 2])[0]
    assert "out of order" in _agenda_problems(((2, 1),), [1, 2])[0]


def _module(guide: str, n: int) -> str:
    return guide.split(f"## Module {n}: ", 1)[1].split("\n## ", 1)[0]


def test_the_guide_says_what_each_debrief_shows_from_its_code_and_how_to_open_it():
    """Cold facilitator trial (H1): module 4's guide said to run the debrief cell (a few
    minutes) beforehand, and modules 4, 6, 7 said only 'read them on screen'. Each point the
    debrief functions make is now listed from their docstrings, module 4's reception debrief
    from its rules of thumb, with the time it takes and the command that measures it; every
    gated debrief of the pages is named with the dashboard panel that opens it for the room."""
    import json
    import shlex

    from mixedflows.casework.debrief import POINTS as CASEWORK
    from mixedflows.debriefs import gated_debriefs
    from mixedflows.reception.debrief import strategies
    from mixedflows.rescue.debrief import POINTS as RESCUE

    mod = _script()
    guide = GUIDE.read_text(encoding="utf-8")
    assert "read them on screen" not in guide and "a few minutes" not in guide

    def said(fn) -> str:
        first = " ".join(fn.__doc__.strip().split("\n\n")[0].split()).rstrip(".")
        return first[:1].lower() + first[1:]

    for n, points in ((6, CASEWORK["m6_stranded_casework"]), (7, CASEWORK["m7_after_arrival"])):
        assert points and all(p.__doc__ for p in points)
        for p in points:
            assert said(p) in _module(guide, n), (n, p.__name__)
    assert RESCUE and all(said(p) in _module(guide, 4) for p in RESCUE)
    for s in strategies(load_exercise("m4_staff_the_centre").params):
        assert f"*{s.name}*" in _module(guide, 4)

    # Every gated debrief, in its module's section, with the panel as the dashboard names it.
    dashboard = json.loads((ROOT / "widgets" / "facilitator_dashboard.ipynb").read_text("utf-8"))
    headings = [
        "".join(c["source"]).splitlines()[0]
        for c in dashboard["cells"]
        if c["cell_type"] == "markdown"
    ]
    assert f"## {mod.PANEL}" in headings
    debriefs = gated_debriefs()
    assert {d.module for d in debriefs} >= {4, 5, 6, 7, 9}
    for d in debriefs:
        body = _module(guide, d.module)
        assert f"**The debrief of {d.title()}**" in body and f"**{mod.PANEL}**" in body

    # Module 4's reception debrief: what runs it, how long it takes, the command measuring it.
    for first, took in mod.DEBRIEF_TIMES.items():
        d = next(d for d in debriefs if d.exercise_ids[0] == first)
        assert d.render == "mixedflows.reception.debrief.debrief"
        body = _module(guide, d.module)
        assert took.figure in body and f"`{took.command}`" in body
        assert "when a participant's attempt is recorded, or when you open it for the room" in body
        words = shlex.split(took.command)
        assert (ROOT / words[1]).is_file() and first in words


def test_the_debrief_timing_command_runs():
    """The guide's timing command, on a cheap debrief (one run): it names what it timed."""
    import subprocess

    mod = _script()
    command = next(iter(mod.DEBRIEF_TIMES.values())).command.split()
    out = subprocess.run(
        [sys.executable, command[1], "m7_after_arrival", "--runs", "1"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=True,
        timeout=300,
    ).stdout
    assert re.search(r"module 7 m7_after_arrival: wall median \d+\.\d+ s", out), out


def test_the_guide_says_seats_follow_the_store(tmp_path):
    """Commit 966c472: a server started on another store starts with no seats, the old set
    aside. The guide's course section says so, naming the file as the seats module writes it."""
    from mixedflows.server import seats

    mod = _script()
    guide = GUIDE.read_text(encoding="utf-8")
    course = guide.split("## The course:", 1)[1].split("\n## Module", 1)[0]
    assert "**Seats follow the store.**" in course and f"`{mod.SEATS_ASIDE}`" in course
    assert "another store" in course and "starts with no seats" in course
    path = tmp_path / "seats.json"
    path.write_text("{}", encoding="utf-8")
    seats.follow_store(path, "store-a")
    path.write_text('{"kept": 1}', encoding="utf-8")
    assert not seats.follow_store(path, "store-a") and path.exists()  # the same store keeps them
    assert seats.follow_store(path, "store-b") and not path.exists()  # another: set aside
    pattern = re.escape(mod.SEATS_ASIDE).replace(re.escape("<time>"), r"[\d-]+")
    aside = [p.name for p in tmp_path.iterdir() if re.fullmatch(pattern, p.name)]
    assert aside, sorted(p.name for p in tmp_path.iterdir())
    assert mod.SEATS_ASIDE in (ROOT / "README.md").read_text(encoding="utf-8")


def test_module_10s_mapping_exercise_is_served_by_its_session():
    """The guide plans 20 minutes for "who does what" and lists its misconceptions, but a room
    served with module 10's ``--apps`` had only the multi-role room: no served app showed
    m10_who_does_what. Its app is now in the module's apps, and shows that exercise."""
    import inspect
    import json

    from mixedflows.exercises import load_exercise
    from mixedflows.widgets.cooperation import MappingApp, who_does_what

    apps = _script().SESSIONS[10].apps
    assert "who_does_what.ipynb" in apps and "cooperation_roles.ipynb" in apps
    cells = json.loads((ROOT / "widgets" / "who_does_what.ipynb").read_text("utf-8"))["cells"]
    code = "\n".join("".join(c["source"]) for c in cells if c["cell_type"] == "code")
    assert "from mixedflows.widgets.cooperation import who_does_what" in code
    assert "who_does_what()" in code and "claim()" in code
    shown = inspect.signature(who_does_what).parameters["exercise_id"].default
    assert shown == MappingApp.default_exercise == "m10_who_does_what"
    assert load_exercise(shown).module == 10
