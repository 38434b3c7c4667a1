"""Stage 4, post-arrival (:mod:`mixedflows.casework`, module 7): the sample's files three months
on, built from what screening heard; the learner chooses procedures and services. → who is
left without a status."""

from __future__ import annotations

from dataclasses import replace
from typing import Any

from mixedflows.capstone.stages.common import _dict, _need, _prefix
from mixedflows.capstone.state import (
    PostArrivalOutcome,
    Season,
    StageRecord,
    postarrival_files,
)
from mixedflows.profiles import NEED_LABELS, Need
from mixedflows.results import AnswerError, Feedback, GradeResult


def postarrival_situation(season: Season) -> tuple[str, ...]:
    assert season.screening is not None
    months = season.spec.postarrival.months_after
    return (
        f"The same {len(season.screening.sample)} people, {months} months after landing. Their "
        "files hold what your screening heard and referred (stage 3). For each person, choose "
        "the procedures and services they need now, and nothing that must not be done.",
    )


ROUTES: tuple[tuple[str, str], ...] = (
    ("asylum", "in the asylum procedure"),
    ("child_protection", "in the care of child protection"),
    ("trafficking_assistance", "assisted as a possible victim of trafficking"),
)


def route_of(chosen: set[str], wishes_to_return: bool) -> str:
    """Where a person stands after the post-arrival choices (the first that applies)."""
    if "detain" in chosen:
        return "detained, without a status"
    for action, where in ROUTES:
        if action in chosen:
            return where
    if "voluntary_return" in chosen and wishes_to_return:
        return "going home by assisted voluntary return"
    return "without a status"


def play_postarrival(season: Season, answer: Any) -> Season:
    """Stage 4: procedures and services per person, graded by the case-work rules."""
    from mixedflows.casework import ACTIONS, grade_file

    _need(season, "postarrival")
    a = _dict(answer, "postarrival")
    files = postarrival_files(season)
    offered = season.spec.postarrival.actions
    ids = [f.person.person_id for f in files]
    bad = [str(k) for k in a if k not in ids]
    if bad:
        raise AnswerError(f"postarrival: not a person of the sample: {', '.join(bad)}")
    items: list[Feedback] = []
    scores = []
    chosen_all, routes = {}, {}
    for f in files:
        pid = f.person.person_id
        chosen = a.get(pid) or []
        r = grade_file(f, chosen, offered, "capstone.postarrival")
        scores.append(r.score)
        items += [replace(x, item=f"{f.person.name}: {x.item}") for x in r.items]
        chosen_all[pid] = tuple(dict.fromkeys(chosen))
        routes[pid] = route_of(set(chosen), f.situation.wishes_to_return)
    without = tuple(pid for pid, r in routes.items() if r.endswith("without a status"))
    result = GradeResult(
        "capstone.postarrival",
        round(sum(scores) / len(scores), 4),
        _prefix("postarrival", items),
        f"{sum(s >= 0.999 for s in scores)} of {len(scores)} files handled as the rules call for.",
    )
    name = {f.person.person_id: f.person.name for f in files}
    cons = [f"{name[pid]}: {where}." for pid, where in routes.items()]
    assert season.screening is not None
    for s in season.screening.sample:
        pid = s.person.person_id
        hidden = season.screening.not_heard.get(pid, ())
        if pid in without and hidden:
            cons.append(
                f"{s.person.name} is left without a status although the full facts indicate: "
                + "; ".join(NEED_LABELS[Need(n)].lower() for n in hidden)
                + " (never heard at stage 3)."
            )
    choice = tuple(
        f"{name[pid]}: " + ("; ".join(ACTIONS[x].label for x in acts) if acts else "nothing chosen")
        for pid, acts in chosen_all.items()
    )
    out = PostArrivalOutcome(chosen_all, routes, without)
    rec = StageRecord("postarrival", postarrival_situation(season), choice, a, result, tuple(cons))
    return replace(season, records=(*season.records, rec), postarrival=out)
