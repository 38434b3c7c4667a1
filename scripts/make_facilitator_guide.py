"""Write docs/facilitator_guide.md, the facilitator guide, from the course itself.

What can be read from the course is read, so the guide cannot disagree with it: each module's
title and seed paragraphs (mixedflows.registry.COURSE), its learning objectives and debrief
questions (its notebook in modules/), the misconceptions the dashboard shows and what to say
about them (mixedflows.facilitator.misconceptions.TYPICAL). What only a facilitator can write,
the timing of a classroom session and which apps to serve, is in SESSIONS below. A module whose
notebook has not landed keeps a marked slot. Run after a module or a misconception changes:
python scripts/make_facilitator_guide.py (tests/test_facilitator_guide.py checks the guide).
"""

from __future__ import annotations

import json
import re
import sys
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))

from mixedflows.debriefs import GatedDebrief, of_module, where_seen  # noqa: E402
from mixedflows.facilitator.misconceptions import TYPICAL  # noqa: E402
from mixedflows.registry import COURSE, module_notebook, module_title  # noqa: E402

TARGET = ROOT / "docs" / "facilitator_guide.md"


@dataclass(frozen=True)
class Session:
    minutes: tuple[tuple[str, int], ...]
    """The classroom session, step by step (minutes)."""
    apps: tuple[str, ...]
    """The apps in widgets/ to serve (``--apps``)."""
    tips: str = ""


SESSIONS: dict[int, Session] = {
    1: Session(
        (
            ("the note's opening image (¶1) and the profiles, read together", 15),
            ("the boat, in pairs: one boat, then *Another boat*", 30),
            ("the dashboard's wrong answers, debriefed person by person", 20),
            ("debrief questions", 10),
        ),
        ("who_is_in_the_boat.ipynb",),
        "Give the room one scenario with `?scenario=` so everyone sees the same people.",
    ),
    2: Session(
        (
            ("definitions and how to read a figure honestly", 15),
            ("the words of a mixed flow (graded), alone", 15),
            ("flow explorer and reading the data (graded), in pairs", 25),
            ("a journey that changes (graded)", 20),
            ("debrief", 15),
        ),
        ("words_of_a_mixed_flow.ipynb", "flow_explorer.ipynb", "a_journey_that_changes.ipynb"),
    ),
    3: Session(
        (
            ("¶14 and the evidence on information campaigns", 15),
            ("campaign design (graded), in small groups", 30),
            ("predict, then see: development and emigration", 15),
            ("debrief", 15),
        ),
        ("before_departure.ipynb",),
    ),
    4: Session(
        (
            ("¶16 and ¶19; the rescue instruments", 15),
            ("a rescue at sea (graded)", 20),
            ("staff the centre for the surge (graded), in pairs", 35),
            ("holding facilities (graded)", 15),
            ("debrief: the rules of thumb compared, then rescue and holding", 20),
        ),
        ("rescue_at_sea.ipynb", "reception_centre.ipynb"),
        "The reception exercise runs the simulation: on a shared machine, start it before the "
        "room needs it.",
    ),
    5: Session(
        (
            ("welfare first, the two thresholds, the caveat on the ILO/EC lists", 20),
            ("exercise 1, the rules that never bend (graded): the girl on the quay", 10),
            ("exercise 2, indicators in Moussa G.'s testimony (graded), in pairs", 15),
            ("exercise 3, a family from Aleppo (graded)", 15),
            ("the screening desk (graded), one case file at a time", 45),
            ("debrief on the dashboard's most missed referrals", 20),
        ),
        ("screening_desk.ipynb",),
        "Exercises 1-3 are in the module notebook (`modules/05_screening_and_referral.ipynb`), "
        "not in the served app: participants working in JupyterLab run them there; in a room "
        "served with `--apps`, show them on the projector and take the answers from the room.",
    ),
    6: Session(
        (
            ("¶20 and the Bosasso case", 15),
            ("case work, one file at a time (graded)", 35),
            ("debrief", 20),
        ),
        ("stranded_migrants.ipynb",),
    ),
    7: Session(
        (
            ("¶21: the rights and procedures table", 15),
            ("the people of Port Alba, three months on (graded)", 30),
            ("the evidence on public discourse (¶22)", 10),
            ("the council's statement (graded)", 15),
            ("debrief", 15),
        ),
        ("after_arrival.ipynb",),
    ),
    8: Session(
        (
            ("¶23 and the levers of a programme", 15),
            ("predict, then see", 15),
            ("the lab, free play in pairs", 20),
            ("design exercise (graded) and reflection (recorded, not graded)", 25),
            ("debrief; the validation notebook for those who ask how good the model is", 15),
        ),
        ("policy_lab.ipynb",),
        "Read the reflections on the dashboard before the debrief: they are listed as typed.",
    ),
    9: Session(
        (
            ("¶24-26: return that differentiates, sustainable reintegration", 15),
            ("the return desk (graded), one person at a time", 25),
            (
                "a reintegration programme (graded by running the model): read its assumptions first",
                25,
            ),
            ("labour mobility: predict, then see", 10),
            ("debrief", 15),
        ),
        ("return_and_reintegration.ipynb",),
    ),
    10: Session(
        (
            ("who does what (graded): the mandates, Lampedusa and the Gulf of Aden", 20),
            ("the room: one role each, a landing at Port Alba (graded per role)", 35),
            ("the shared outcome, shown to all, and the debrief", 25),
        ),
        ("who_does_what.ipynb", "cooperation_roles.ipynb"),
        "Each participant takes one role; open the debrief from the dashboard when every role "
        "has decided (a role left undecided shows what happens when no one plays it).",
    ),
    11: Session(
        (
            ("the five stages and what carries forward", 15),
            ("the season, alone or in teams (graded per stage)", 50),
            ("compare seasons between teams; download the debrief", 25),
        ),
        ("season_on_the_route.ipynb",),
        "Teams answer under a team name in a facilitated session.",
    ),
}


@dataclass(frozen=True)
class Measured:
    """How long a debrief takes to prepare once its gate opens, as measured (not computed when
    the guide is written: the figure depends on the machine)."""

    figure: str
    command: str


DEBRIEF_TIMES: dict[str, Measured] = {
    "m4_staff_the_centre": Measured(
        "about 1.2 seconds of one core per page, 1.2 to 2.1 s on the clock (eight fresh "
        "processes on a shared 2-core machine at a load of about 5, numba's cache warm as "
        "`./mfl` leaves it, 2026-12-03)",
        ".venv/bin/python benchmarks/debrief_time.py m4_staff_the_centre --runs 5",
    ),
}
"""The gated debriefs that do real work when they open (module 4's reception debrief runs the
season for each rule of thumb it compares), keyed by their first exercise."""

PANEL = "Open a debrief for the room"
"""The dashboard panel's heading (widgets/facilitator_dashboard.ipynb)."""


def _missed() -> str:
    """Who the old threshold missed on module 1's boat, with what they told, from their facts
    (mixedflows.boat_debrief.told: never typed beside them)."""
    from mixedflows.boat_debrief import textbook, told

    return "; ".join(f"{p.name} ({told(p)})" for p in textbook())


CHANGED: dict[int, tuple[str, ...]] = {
    1: (
        "Profiles overlap: an earlier version treated *economic migrant* as excluding "
        "trafficking, protection and childhood. It does not.",
        "The trafficking referral threshold: an earlier version required a combination of ILO/EC "
        f"indicator dimensions, and {_missed()} was not referred. The ILO/EC indicators are a "
        "data-collection tool of the competent authorities, not the referral threshold; the "
        "feedback still shows what their combination would record.",
        "A promise is deception once it proves false: an earlier version counted a promise of a "
        "job abroad as deception by itself, so Joy A. (promised a job, nothing else said) had "
        "the act and the means. A promise not yet broken is the act only (the course's reading "
        "of Palermo art. 3(a)).",
        "Prima facie refugees: the protection box read 'Asylum seeker'; it now reads 'Refugee or "
        "asylum seeker', and a person of a group recognised prima facie where they arrived "
        "(Somalis in Yemen) is named a refugee in the feedback, not an asylum seeker awaiting a "
        "decision.",
        "Violence and threats are means, never the act: a beating and a ransom call on the way "
        "were listed as acts of transport or recruitment.",
        "Control shows the intent: an earlier version taught that confinement and documents "
        "taken never show the purpose unless the person was held where they worked. After a "
        "recruitment for work abroad, two signs of control by the person moving them (documents "
        "held, being watched, threats to keep them silent, a debt to repay by work) now show "
        "the purpose as an intent, inferred and said to be (Palermo art. 3(a); reasonable "
        "grounds: Directive 2011/36/EU art. 11(2), CETS 197 art. 10(2)).",
        "Held for ransom: a man whose story said the men held him and demanded money for his "
        "release was told he was 'missing the act' and asked how he came to 'that work'. Being "
        "held is now among his facts and is the act (harbouring); what is missing is the "
        "purpose (a ransom is not by itself one), and he is asked what he was made to do while "
        "held.",
    ),
    5: (
        "Order: an earlier version graded a fixed seven-step order pair by pair (children, then "
        "trafficking, then asylum, then specific needs...). The note does not say that; the "
        "ordering exercise now grades the hard constraints only.",
        "Children at risk: a pregnant 17-year-old travelling with her mother was not referred "
        "before.",
        "Exploited, not (yet) trafficked: such a person used to get no route at all.",
        "Confinement: an earlier version counted confinement at destination as the purpose "
        "itself, so confinement alone brought an adult referral.",
        "Two thresholds: an earlier version used the ILO/EC combination as the referral "
        "threshold, so that deception at recruitment did not count as a means and textbook "
        "cases went unreferred.",
        'Consular help: "consular help comes first" used to be said of every stranded person.',
        "Promises and oaths: an earlier version counted a promise of a job as deception before "
        "anything showed it false, and read an oath sworn to repay a debt as the act, a means "
        "and the purpose at once (so an oath alone referred an adult). A promise is deception "
        "once it proves false; an oath is a means.",
        "A pregnant woman travelling alone was not referred for a specific need; she is now "
        "(a woman at risk, with the uncertainty about the UNHCR code said).",
        "A purpose still ahead: a woman promised a job, escorted and threatened, with nothing "
        "told yet of exploitation, was asked 'what they were made to do'; she is now asked what "
        "awaits her at destination (an intended exploitation counts, Palermo art. 3(a)).",
        "Control shows the intent: that same woman (Osas O.: promised a job in Italy, her "
        "passport kept by a man on her boat who watches her, her family threatened if she "
        "talks) was given counselling only, the feedback saying a fact must show the purpose. "
        "Reasonable grounds are a suspicion threshold (Directive 2011/36/EU art. 11(2); CETS "
        "197 art. 10(2)) and the purpose an intent: after a recruitment for work abroad, two "
        "signs of control by the person moving her show it, inferred and said to be; she is "
        "referred, and kept apart from the man (UNHCR LP, answered by the specific-needs "
        "referral). One sign alone still leaves the purpose missing.",
        "Documents kept during the journey were filed under the ILO/EC 'coercion at "
        "destination'; the labour list files them under coercive recruitment.",
        "A child with indications of trafficking who travels with a parent or relative is now "
        "interviewed apart from them (the family may be involved); before, only a possible "
        "trafficker in the group or an unrelated adult called for it. A child at risk with no "
        "exploitation told (married, pregnant) is no longer told the parent may be 'involved "
        "in the exploitation'.",
    ),
}
"""What changed in a module, for participants who learnt an earlier version: told by the
facilitator, not printed in the notebook a learner reads (third cold trial of the screening
rules: the notebook's '(Changed: ...)' remarks spoke of versions a new learner never saw)."""


CODE = "COURSE1"
"""The session code the guide's commands use, one for the whole course (any code will do)."""

CHECK_MINUTES = 15
"""The knowledge check, taken at the start and again at the end (``widgets/course_check``)."""

DAY_START = 9 * 60
BREAK, LUNCH = 15, 60
"""Lunch after the first module that ends from 12:00; otherwise a break after a module once 90
minutes or more have run since the last pause; none before the end check."""

ONE_DAY: tuple[int, ...] = (2, 3, 5, 8)
"""The modules a one-day course keeps: those the knowledge check asks about (so that its gain
measures what the day taught; read from mixedflows.knowledge.SOURCES, checked by the test) and
module 5, screening and referral, the course's core."""

THREE_DAYS: tuple[tuple[int, ...], ...] = ((1, 2, 3, 4), (5, 6, 7, 8), (9, 10, 11))


def _minutes(n: int) -> int:
    return sum(x for _, x in SESSIONS[n].minutes)


def _clock(t: int) -> str:
    return f"{t // 60:02d}:{t % 60:02d}"


def agenda(modules: tuple[int, ...], first: bool, last: bool) -> list[str]:
    """One day's order with its times, computed from the modules' own timings."""
    rows, t, since, lunch = [], DAY_START, 0, False
    steps: list[tuple[str, int]] = []
    if first:
        steps.append(("Knowledge check, at the start (`course_check.ipynb`)", CHECK_MINUTES))
    steps += [(f"Module {n}: {module_title(n)}", _minutes(n)) for n in modules]
    if last:
        steps.append(("Knowledge check, at the end (`course_check.ipynb`)", CHECK_MINUTES))
    for k, (what, mins) in enumerate(steps):
        rows.append(f"| {_clock(t)}-{_clock(t + mins)} | {what} | {mins} min |")
        t, since = t + mins, since + mins
        if k == len(steps) - 1 or (last and k == len(steps) - 2):
            continue  # no pause at the end of the day, nor before the end check
        pause = LUNCH if not lunch and t >= 12 * 60 else BREAK if since >= 90 else 0
        if pause:
            lunch = lunch or pause == LUNCH
            name = "lunch" if pause == LUNCH else "break"
            rows.append(f"| {_clock(t)}-{_clock(t + pause)} | {name} | {pause} min |")
            t, since = t + pause, 0
    return ["| time | what | minutes |", "|---|---|---|", *rows]


def _apps(modules: tuple[int, ...], first: bool, last: bool) -> str:
    check = ("course_check.ipynb",) if first or last else ()
    apps = [*check, *(a for n in modules for a in SESSIONS[n].apps)]
    return ",".join(dict.fromkeys(apps))


SEATS_ASIDE = "seats.json.<time>.old"
"""How the seats of another store are set aside (``mixedflows.server.seats.follow_store``)."""


def course() -> list[str]:
    from mixedflows.certificate import PASS_GRADE, REQUIRED_MODULES
    from mixedflows.exercises import load_exercise
    from mixedflows.knowledge import SOURCES

    asked = sorted({load_exercise(x).module for x in SOURCES})
    total = sum(_minutes(m.number) for m in COURSE if m.number in SESSIONS)
    one = sum(_minutes(n) for n in ONE_DAY) + 2 * CHECK_MINUTES
    dropped = [m.number for m in COURSE if m.number not in ONE_DAY]
    listed = ", ".join(str(n) for n in asked)
    out = [
        "## The course: one session, one day or three",
        "",
        f"**One session code for the whole course.** Start every server of the course with "
        f"the same `--session {CODE}` (any code, the same every day). The knowledge check's "
        "start and end, each participant's gain on the dashboard, the grades for an LMS and "
        "the participant summaries are all per session: a module served under a code of its "
        "own splits the start test from the end test and leaves the gain empty. Participants "
        "keep one pseudonym all course long: it is their seat (a second browser typing it is "
        "refused; the dashboard's **Seats** panel releases it) and their certificate rests on "
        "every attempt recorded under it.",
        "",
        "**Seats follow the store.** A session's seats are kept with the store its work is "
        "kept in (`mixedflows.server.seats`): a server started again with the same code and the "
        "same store keeps them, so a returning participant's browser keeps its seat; a server "
        "started with the same code on another store (a new, empty one) starts with no seats, "
        f"the old ones set aside as `{SEATS_ASIDE}` in the session's folder. Keep one store "
        "for the whole course (README, the multi-role exercise).",
        "",
        f"**The knowledge check.** `course_check.ipynb` asks the same questions at the start "
        f"and at the end: they are drawn from modules {listed} "
        f"(`mixedflows.knowledge.SOURCES`), graded by those exercises' own graders. Take the "
        f"start at the opening ({CHECK_MINUTES} min; participants see their score, not the "
        f"answers) and the end as the last thing of the course ({CHECK_MINUTES} min; the "
        "answers and the gain). The dashboard shows each participant's start, end and gain, "
        "and the room's means over those who took both: a course that drops one of modules "
        f"{listed} measures, on that module's questions, no teaching.",
        "",
        f"**The certificate.** A learner completes the course with the knowledge check taken "
        f"at the start and at the end and at least {REQUIRED_MODULES} modules completed (every "
        f"exercise of a module graded {PASS_GRADE:.0%} or more; `mixedflows.certificate`). "
        "The course-check app then offers a printable certificate with a verification code; "
        "where learners' servers cannot read the signing secret (a JupyterHub with the "
        "learners' narrower role), you issue it from the dashboard (**Prepare certificates**). "
        f"Check a code with `./mfl certificate verify CODE`. A one-day course ({len(ONE_DAY)} "
        f"modules) does not reach {REQUIRED_MODULES}: say so at the start; participants can "
        "complete the other modules afterwards under the same pseudonym on the same store "
        "(any session counts towards the certificate) and take the end check after them.",
        "",
        f"**After each day.** The dashboard's **Prepare downloads** gives the grades (CSV for "
        "an LMS, one row per participant and exercise) and a summary per participant; "
        f"`./mfl export --session {CODE} --out results/` writes the same two files.",
        "",
        f"**What a day holds.** The modules' own timings below add up to {total} minutes, "
        f"about {-(-total // 330)} days of teaching: a day cannot hold them all.",
        "",
        f"### A one-day course ({one} minutes of teaching)",
        "",
        f"It keeps modules {', '.join(str(n) for n in ONE_DAY)}: the modules the knowledge "
        "check asks about, so that the gain measures what the day taught, and screening and "
        f"referral, the course's core. It drops modules {', '.join(str(n) for n in dropped)}: "
        "offer them for self-study (`./mfl start`, the course in JupyterLab, on the same "
        "store). One server for the day, started before the room arrives:",
        "",
        f"`./mfl facilitate --participants 30 --ip 0.0.0.0 --session {CODE} --apps "
        f"{_apps(ONE_DAY, True, True)}`",
        "",
        "Participants pick each app on the join page as the day goes. The apps share a cap "
        "on live kernels (`--max-kernels`, by default the participants plus 20, at least 40; "
        "about 80 MB each): it counts the participants' kernels and the preheated ones, and a "
        "preheated kernel nobody has opened makes way for a participant's page, so the whole "
        "room gets in, whichever app each participant is on. Only a room whose participants "
        'alone hold the cap sees "please wait" (the page retries by itself). Idle kernels '
        "are shut down.",
        "",
        *agenda(ONE_DAY, True, True),
        "",
        "### A three-day course (every module)",
        "",
        "One server a day, each started with the same session code and that day's apps.",
        "",
    ]
    for d, mods in enumerate(THREE_DAYS, 1):
        first, last = d == 1, d == len(THREE_DAYS)
        out += [
            f"**Day {d}.** `./mfl facilitate --participants 30 --ip 0.0.0.0 --session {CODE} "
            f"--apps {_apps(mods, first, last)}`",
            "",
            *agenda(mods, first, last),
            "",
        ]
    return out


def _cells(path: Path) -> list[str]:
    nb = json.loads(path.read_text(encoding="utf-8"))
    return ["".join(c["source"]) for c in nb["cells"] if c["cell_type"] == "markdown"]


def objectives(path: Path) -> list[str]:
    """The numbered learning objectives of a module's notebook."""
    for cell in _cells(path):
        if "## Learning objectives" in cell:
            part = cell.split("## Learning objectives", 1)[1]
            return [m.group(1) for m in re.finditer(r"^\d+\. (.+)$", part, flags=re.M)]
    return []


def discussion(path: Path) -> list[str]:
    """The debrief questions of a module's notebook (the bullets of its Debrief sections)."""
    out, on = [], False
    for cell in _cells(path):
        if cell.startswith("## "):
            on = cell.startswith("## Debrief")
        if on:
            out += [m.group(1) for m in re.finditer(r"^- (.+)$", cell, flags=re.M)]
    return out


def _first_sentence(doc: str | None) -> str:
    """A function's docstring as one line (its first paragraph)."""
    return " ".join((doc or "").strip().split("\n\n")[0].split())


def shows(d: GatedDebrief) -> str:
    """What a gated debrief says, read from its code: the docstrings of the points it makes
    (a ``POINTS`` table in its module), or the rules of thumb it compares (module 4's
    reception), else its function's docstring."""
    import importlib

    mod = importlib.import_module(d.render.rsplit(".", 1)[0])
    points = getattr(mod, "POINTS", None)
    if isinstance(points, dict):
        points = points[d.exercise_ids[0]]
    if points:
        said = [_first_sentence(p.__doc__).rstrip(".") for p in points]
        said = [x[:1].lower() + x[1:] for x in said]
        return "points naming the people and facts of the case files: " + "; ".join(said) + "."
    if hasattr(mod, "strategies"):
        from mixedflows.exercises import load_exercise

        names = [s.name for s in mod.strategies(load_exercise(d.exercise_ids[0]).params)]
        return (
            "the rules of thumb a planner could state, "
            + ", ".join(f"*{x}*" for x in names)
            + ", each turned into a plan and graded by running the season, in a table, and "
            "what the table shows (read from its rows)."
        )
    return _first_sentence(d.function().__doc__)


def debrief_lines(n: int) -> list[str]:
    """The module page's gated debriefs: what each shows (modules 4, 6 and 7, whose points the
    code lists), when it opens, how long it takes where it runs the season, and how the
    facilitator opens it for the room."""
    gated = of_module(n)
    if not gated:
        return []
    out = []
    for d in gated:
        line = f"- **The debrief of {d.title()}** on the module page"
        if n in (4, 6, 7):
            line += f" shows {shows(d)}"
        else:
            line += " gives the answers."
        took = DEBRIEF_TIMES.get(d.exercise_ids[0])
        if took:
            line += (
                " It is prepared (the season run) when a participant's attempt is recorded, "
                "or when you open it for the room: nothing to run beforehand. It takes "
                f"{took.figure}: `{took.command}`."
            )
        out.append(line)
    out.append(
        "- A participant sees a debrief only after their own attempt. To discuss one with the "
        "room (participants who did not submit, or the projector), open it on the dashboard "
        f"under **{PANEL}**: choose it, **Open for the room…**, and confirm; every "
        f"participant of the session then sees it {where_seen(gated[0])}, after **Show the "
        "debrief** (or a reload). It stays open for that session."
    )
    return out


def section(n: int) -> list[str]:
    m = next(x for x in COURSE if x.number == n)
    nb = module_notebook(n)
    if nb is None:
        return [
            f"## Module {n}: {m.topic[:1].upper() + m.topic[1:]} ({m.paragraphs})",
            "",
            f"*Slot: the module is being written; its notebook (`modules/{n:02d}_….ipynb`) has "
            "not landed. Run `python scripts/make_facilitator_guide.py` once it has: its "
            "objectives and debrief questions are filled in from the notebook.*",
            "",
        ]
    s = SESSIONS.get(n, Session((), ()))
    out = [f"## Module {n}: {module_title(n)} ({m.paragraphs})", ""]
    out += [f"Notebook: `modules/{nb.name}`. Rests on MC/INF/294 {m.paragraphs}.", ""]
    out += ["**Learning objectives** (from the notebook)", ""]
    objs = objectives(nb)
    out += [f"{k}. {o}" for k, o in enumerate(objs, 1)] or [
        "*The notebook states no numbered learning objectives yet (a '## Learning objectives' "
        "section with a numbered list): ask its author.*"
    ]
    out.append("")
    if s.minutes:
        total = sum(x for _, x in s.minutes)
        out += [f"**Timing for a classroom session** ({total} minutes)", ""]
        out += [f"- {what}: {mins} min" for what, mins in s.minutes] + [""]
    if s.apps:
        apps = ",".join(s.apps)
        out += ["**Running it in the room**", ""]
        out += [
            f"- Serve it under the course's one session code ({CODE}, see *The course: one "
            "session, one day or three* above), never a code of its own: the knowledge check's "
            "start and end, the dashboard's gain and the LMS export are per session. Taught on "
            f"its own (another day of the course): `./mfl facilitate --participants 30 --ip "
            f"0.0.0.0 --session {CODE} --apps {apps}` (the preflight checks the store and every "
            "course file; it refuses to start if one is broken, naming it). In a day served "
            "from one server, its apps are already on the join page.",
            "- Give participants the **join link** it prints (`http://HOST:8866/join?session="
            f"{CODE}`): they type a pseudonym (the same one all course long: their attempts, "
            "their seat and their certificate follow it) and pick the app; the first one "
            "listed is chosen. A pseudonym keeps letters, digits, spaces and . @ - _: a name "
            "typed with other signs is shown back as it would be kept before they join, and "
            "each app says, under its title, the name and session its answers go to (the name "
            "you see on the dashboard).",
            "- Keep the **dashboard link** (it carries the facilitator key) for yourself: it "
            "shows who answered, the room's most common wrong answers with the rule behind "
            "each, and prepares the downloads (grades for an LMS, a summary per participant).",
        ]
        if s.tips:
            out.append(f"- {s.tips}")
        out.append("")
    questions = discussion(nb)
    if questions:
        out += ["**Discussion questions** (the notebook's debrief)", ""]
        out += [f"- {q}" for q in questions]
        out.append("")
    gated = debrief_lines(n)
    if gated:
        out += ["**The debrief on the module page**", "", *gated, ""]
    if CHANGED.get(n):
        out += ["**What changed, for participants who learnt an earlier version**", ""]
        out += [f"- {c}" for c in CHANGED[n]] + [""]
    typical = [t for t in TYPICAL if t.module == n]
    if typical:
        out += ["**Misconceptions the dashboard shows, and what to say**", ""]
        for t in typical:
            out.append(f"- `{t.key}` ({', '.join(t.exercises)}): *{t.belief}* {t.say}")
        out.append("")
    return out


def render() -> str:
    lines = [
        "# Facilitator guide",
        "",
        "Written by `scripts/make_facilitator_guide.py` from the course itself: the "
        "objectives and debrief questions come from each module's notebook, the seed "
        "paragraphs from the course registry (`mixedflows.registry.COURSE`), the "
        "misconceptions from the table the dashboard's wrong answers are read against "
        "(`mixedflows.facilitator.misconceptions.TYPICAL`). Do not edit it by hand: change "
        "the source and run the script.",
        "",
        "**Before any session.** `./mfl facilitate` on one machine serves the apps to the "
        "room (about 80 MB per participant); `--participants` preheats that many pages. "
        "Participants need no account: a pseudonym is enough, and no real name is asked. "
        "Every person in the cases is synthetic; screening refers, it never determines "
        "status: say so whenever a participant speaks of someone as *a refugee* or *a "
        "victim* on the strength of a first contact.",
        "",
        "**Reading the dashboard.** *Wrong answers* lists, per exercise, the questions most "
        "participants got wrong, the most common wrong answer, how many hold it, and what "
        "the rule says with its source. Above it, *Typical misconceptions in this room* names "
        "the misconceptions those answers show, under the keys used below, with what to say "
        "and how many hold each; a wrong answer no key describes still shows with its rule.",
        "",
    ]
    lines += course()
    for m in COURSE:
        lines += section(m.number)
    return "\n".join(lines).rstrip() + "\n"


if __name__ == "__main__":
    if "--check" in sys.argv:
        sys.exit(0 if TARGET.read_text(encoding="utf-8") == render() else 1)
    TARGET.parent.mkdir(exist_ok=True)
    TARGET.write_text(render(), encoding="utf-8")
    print(f"wrote {TARGET}")
