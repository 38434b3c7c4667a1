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
        "room needs it, and run the module's debrief cell (a few minutes) before the debrief.",
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
            ("who does what: the mandates, Lampedusa and the Gulf of Aden", 20),
            ("the room: one role each, a landing at Port Alba (graded per role)", 35),
            ("the shared outcome, shown to all, and the debrief", 25),
        ),
        ("cooperation_roles.ipynb",),
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


CHANGED: dict[int, tuple[str, ...]] = {
    1: (
        "Profiles overlap: an earlier version treated *economic migrant* as excluding "
        "trafficking, protection and childhood. It does not.",
        "The trafficking referral threshold: an earlier version required a combination of ILO/EC "
        "indicator dimensions, and Moussa G. (deceived, in debt, unpaid, his passport kept, "
        "locked in, beaten) was not referred. The ILO/EC indicators are a data-collection tool "
        "of the competent authorities, not the referral threshold; the feedback still shows "
        "what their combination would record.",
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
        "Documents kept during the journey were filed under the ILO/EC 'coercion at "
        "destination'; the labour list files them under coercive recruitment.",
    ),
}
"""What changed in a module, for participants who learnt an earlier version: told by the
facilitator, not printed in the notebook a learner reads (third cold trial of the screening
rules: the notebook's '(Changed: ...)' remarks spoke of versions a new learner never saw)."""


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
            f"- Before the room arrives: `./mfl facilitate --participants 30 --ip 0.0.0.0 "
            f"--session M{n} --apps {apps}` (the preflight checks the store and every course "
            "file; it refuses to start if one is broken, naming it).",
            "- Give participants the **join link** it prints (`http://HOST:8866/join?session="
            f"M{n}`): they type a pseudonym and pick the app; the first one listed is chosen.",
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
        if n in (4, 6, 7):
            out.append(
                "- The debrief cells of this module also print points generated from the "
                "cases (names, ports, hours, counts, roles): read them on screen."
            )
        out.append("")
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
    for m in COURSE:
        lines += section(m.number)
    return "\n".join(lines).rstrip() + "\n"


if __name__ == "__main__":
    if "--check" in sys.argv:
        sys.exit(0 if TARGET.read_text(encoding="utf-8") == render() else 1)
    TARGET.parent.mkdir(exist_ok=True)
    TARGET.write_text(render(), encoding="utf-8")
    print(f"wrote {TARGET}")
