"""The debriefs of modules 6 and 7, generated from the case files and what the rules derive.

Every name, age, count and reason below comes from the exercise's files (worked cases and
generated ones) and from :func:`mixedflows.casework.verdicts`: a changed file gives a changed
debrief, and the debrief cannot disagree with the grading (issue 14: the hand-written debriefs
named people and facts the files could change). Each point is a question for the room followed
by what the rules say; a point with no one to speak of is left out.
"""

from __future__ import annotations

from collections.abc import Callable

from mixedflows.casework.actions import ACTIONS, Verdict, verdicts
from mixedflows.casework.case import CaseFile
from mixedflows.casework.grader import check_params, files_of
from mixedflows.exercises import load_exercise
from mixedflows.registry import module_ref
from mixedflows.text import Markdown, bullets, joined, sentence

Worked = list[tuple[CaseFile, dict[str, Verdict]]]


def _files(exercise_id: str) -> Worked:
    params = check_params(load_exercise(exercise_id))
    return [(f, {v.action: v for v in verdicts(f, params.actions)}) for f in files_of(params)]


def _call(v: dict[str, Verdict], action: str) -> str:
    return v[action].call if action in v else ""


def _names(rows: Worked) -> str:
    return joined(f.person.name for f, _ in rows)


def _rules(rows: Worked, action: str) -> str:
    """What the rules say about ``action`` for ``rows``: each reason once, with the names of
    the people it is given for."""
    by_why: dict[str, list[str]] = {}
    for f, v in rows:
        by_why.setdefault(sentence(v[action].why), []).append(f.person.name)
    return " ".join(f"{joined(names)}: {why}" for why, names in by_why.items())


# --- Module 6 -----------------------------------------------------------------------------------


def wants_to_go_home(rows: Worked) -> str:
    """Who wants to go home (names and ages), and why assisted voluntary return is still not the answer today: the rules' reasons."""

    hit = [
        (f, v)
        for f, v in rows
        if f.situation.wishes_to_return and _call(v, "voluntary_return") == "forbidden"
    ]
    if not hit:
        return ""
    who = joined(f"{f.person.name} ({f.person.age})" for f, _ in hit)
    return (
        f"**{who} {'wants' if len(hit) == 1 else 'want'} to go home.** Why is assisted "
        f"voluntary return still not the answer today, and what comes first? The rules: "
        + _rules(hit, "voluntary_return")
    )


def fears_their_state(rows: Worked) -> str:
    """Who describes a need for protection and cannot prove a nationality: why the consulate is the one office that must not be asked."""

    hit = [
        (f, v)
        for f, v in rows
        if _call(v, "asylum") == "required" and _call(v, "consular") == "forbidden"
    ]
    if not hit:
        return ""
    return (
        f"**{_names(hit)} {'describes' if len(hit) == 1 else 'describe'} a need for "
        "protection** and cannot prove a nationality either. Why is the consulate the one "
        "office that must not be asked, and where do documents come from instead? The rules: "
        + _rules(hit, "consular")
    )


def nationality_denied(rows: Worked) -> str:
    """Whose State says they are not its national: when a nationality question becomes a statelessness question, and who carries the burden of proof."""

    hit = [(f, v) for f, v in rows if _call(v, "statelessness") == "required"]
    if not hit:
        return ""
    return (
        f"**The State named by {_names(hit)} says {'this person is' if len(hit) == 1 else 'they are'}"
        " not its national.** What changes when a nationality question becomes a "
        "statelessness question? Who carries the burden of proof? The rules: "
        + _rules(hit, "statelessness")
    )


def opposes_consular_contact(rows: Worked) -> str:
    """Who opposes any contact with the consulate with no protection need screened: why the refusal still decides it."""

    hit = [
        (f, v)
        for f, v in rows
        if not f.situation.consents_to_consular
        and _call(v, "consular") == "forbidden"
        and _call(v, "asylum") != "required"
    ]
    if not hit:
        return ""
    return (
        f"**{_names(hit)} {'opposes' if len(hit) == 1 else 'oppose'} any contact with the "
        "consulate** and screening indicates no protection need. Why does the refusal still "
        "decide it? The rules: " + _rules(hit, "consular")
    )


def pushed_back_and_forth(rows: Worked) -> str:
    """How many were sent to a border that would not take them back: which States have to talk, and which must not."""

    hit = [(f, v) for f, v in rows if f.situation.readmission_refused]
    if not hit:
        return ""
    return (
        f"**Pushed back and forth.** {len(hit)} of the {len(rows)} people ({_names(hit)}) were "
        "sent to a border that would not take them back. Which States have to talk to each "
        "other, and which must not be part of the conversation?"
    )


# --- Module 7 -----------------------------------------------------------------------------------


def one_group(rows: Worked) -> str:
    """One group, how many different answers: who needed nothing from the asylum procedure, and what the rules required instead (¶21)."""

    no_asylum = [(f, v) for f, v in rows if _call(v, "asylum") != "required"]
    answers = {tuple(sorted(a for a, x in v.items() if x.call == "required")) for _, v in rows}
    head = (
        f"**One group, {len(rows)} people, {len(answers)} different answers.** "
        if len(answers) > 1
        else f"**One group, {len(rows)} people.** "
    )
    if not no_asylum:
        return head + "Everyone needed the asylum procedure: what else did each need?"
    instead = "; ".join(
        f"{f.person.name}: "
        + (
            joined(ACTIONS[a].label.lower() for a, x in v.items() if x.call == "required")
            or "nothing the rules require"
        )
        for f, v in no_asylum
    )
    return (
        head + f"Who needed nothing from the asylum procedure, and what instead? The rules: "
        f'{instead}. What would "treating the mixed flow as homogeneous" (¶21) have cost each '
        "of them?"
    )


def rights_that_do_not_wait(rows: Worked) -> str:
    """Who goes to school and who sees a doctor while status is pending, and the instrument behind each."""

    parts = []
    for action, what in (("school", "goes to school"), ("health_care", "sees a doctor")):
        hit = [(f, v) for f, v in rows if _call(v, action) == "required"]
        if hit:
            cite = hit[0][1][action].citation.framework.split(":")[0]
            verb = what if len(hit) == 1 else what.replace("goes", "go").replace("sees", "see")
            parts.append(f"{_names(hit)} {verb} while status is pending ({cite})")
    if not parts:
        return ""
    return (
        "**Rights that do not wait.** "
        + sentence("; ".join(parts))
        + " Which States does each instrument bind? What does your own State do?"
    )


def unpaid_work(rows: Worked) -> str:
    """Who worked and was not paid, for how long, and why a claim for past wages does not depend on a right to stay."""

    hit = [(f, v) for f, v in rows if f.situation.unpaid_wages]
    if not hit:
        return ""
    weeks = joined(
        f"{f.person.name} {f.situation.weeks_unpaid} weeks"
        if f.situation.weeks_unpaid
        else f"{f.person.name} for weeks"
        for f, _ in hit
    )
    cite = next(
        (v["labour_claim"].citation.framework.split(":")[0] for _, v in hit if "labour_claim" in v),
        "",
    )
    basis = f" ({cite})" if cite else ""
    return (
        f"**Unpaid work.** {_names(hit)} worked and {'was' if len(hit) == 1 else 'were'} not "
        f"paid ({weeks}). Why does a claim for past wages not depend on a right to stay"
        f"{basis}, and why might a worker still not make one?"
    )


def return_and_consulate(rows: Worked) -> str:
    """For whom assisted voluntary return was right and for whom it was ruled out, and which rule of module 5 decided it."""

    right = [(f, v) for f, v in rows if _call(v, "voluntary_return") == "required"]
    ruled_out = [(f, v) for f, v in rows if _call(v, "voluntary_return") == "forbidden"]
    if not right and not ruled_out:
        return ""
    said = []
    if right:
        said.append(f"right for {_names(right)}")
    if ruled_out:
        said.append(f"ruled out for {_names(ruled_out)}")
    return (
        "**Return and the consulate.** "
        + sentence(f"Assisted voluntary return was {joined(said)}")
        + f" Which rule of {module_ref(5)} decided it?"
    )


POINTS: dict[str, tuple[Callable[[Worked], str], ...]] = {
    "m6_stranded_casework": (
        wants_to_go_home,
        fears_their_state,
        nationality_denied,
        opposes_consular_contact,
        pushed_back_and_forth,
    ),
    "m7_after_arrival": (one_group, rights_that_do_not_wait, unpaid_work, return_and_consulate),
}
"""The points each module's debrief makes, in order (each function's docstring says what it asks;
the facilitator guide lists them)."""


def debrief(exercise_id: str) -> Markdown:
    """The points of the exercise's debrief that name people and facts, as a Markdown list."""
    rows = _files(exercise_id)
    return bullets(point(rows) for point in POINTS[exercise_id])
