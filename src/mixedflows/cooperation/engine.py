"""The rules of the multi-role exercise: one outcome from every role's decisions, and a grade
for each role (MC/INF/294 ¶18, ¶27-29).

The rules, all read from the room's scenario file (:mod:`mixedflows.cooperation.room`):

1. **An option brings effects.** A role no one played, or that did not submit, brings none.
2. **A need is met** when every effect it ``requires`` was brought by some role and no effect
   it is ``blocked_by`` was (:func:`combine`). A need that requires effects of several roles is
   met only if all of them act: that is the shared responsibility of ¶29.
3. **The value of an option** is the number of needs, over all the people, that require one of
   its effects, less the number that one of its effects blocks (:func:`option_value`).
4. **A role's reference** for a decision is its option of highest value (:func:`best_option`);
   a scenario whose decision has no single best option, or none that serves anyone, does not
   load. A decision's credit is the chosen option's value over the best's (never below 0).
5. **Feedback names only the people the role knows**; others are counted, not named, so a
   grade shown before the debrief carries nothing of another role's view.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from mixedflows.cooperation.room import (
    Decision,
    NeedRef,
    NoReferenceError,
    OptionValue,
    Role,
    Room,
    best_option,
    option_value,
)
from mixedflows.results import AnswerError, Feedback, GradeResult

__all__ = [
    "NeedRef",
    "NoReferenceError",
    "OptionValue",
    "best_option",
    "check_choices",
    "combine",
    "grade_role",
    "option_value",
    "reference",
]

Choices = Mapping[str, str]
"""A role's decisions: decision id -> option id."""


def reference(room: Room, role_id: str) -> dict[str, str]:
    """The role's reference decisions (rule 4), decision id -> option id."""
    return {d.id: best_option(room, role_id, d.id).id for d in room.role(role_id).decisions}


def check_choices(room: Room, role_id: str, choices: Any) -> dict[str, str]:
    """A role's decisions as the engine takes them; :class:`AnswerError` naming what is wrong
    (an unknown role, a decision missing, an option that is not one of the decision's)."""
    try:
        role = room.role(role_id)
    except KeyError:
        raise AnswerError(f"'{role_id}' is not a role of {room.id}") from None
    if not isinstance(choices, Mapping):
        raise AnswerError(f"the decisions of {role.title} must be a mapping of decision to option")
    out = {}
    for d in role.decisions:
        chosen = choices.get(d.id)
        if chosen is None or chosen == "":
            raise AnswerError(f"decision '{d.question}' is not answered")
        if chosen not in {o.id for o in d.options}:
            raise AnswerError(f"'{str(chosen)[:60]}' is not an option of '{d.question}'")
        out[d.id] = str(chosen)
    extra = sorted(set(choices) - set(out))
    if extra:
        raise AnswerError(f"not a decision of {role.title}: {', '.join(map(str, extra))[:120]}")
    return out


# -- combining ---------------------------------------------------------------------------------
@dataclass(frozen=True)
class Act:
    """One role's option, as the debrief names it."""

    effect: str
    role_id: str
    role_title: str
    question: str
    option: str
    played: bool
    """Whether the role's decisions were in (False: no one submitted for this role)."""


@dataclass(frozen=True)
class NeedOutcome:
    need_id: str
    label: str
    met: bool
    missing: tuple[Act, ...]
    """Effects it requires that no one brought, with the option that would have."""
    blocked: tuple[Act, ...]
    """Options chosen that block it."""
    citation: str


@dataclass(frozen=True)
class PersonOutcome:
    person_id: str
    label: str
    needs: tuple[NeedOutcome, ...]

    @property
    def met(self) -> int:
        return sum(n.met for n in self.needs)

    @property
    def status(self) -> str:
        if self.met == len(self.needs):
            return "every need met"
        return "no need met" if self.met == 0 else f"{self.met} of {len(self.needs)} needs met"


@dataclass(frozen=True)
class RoomOutcome:
    room_id: str
    decisions: dict[str, dict[str, str]]
    """The decisions combined, role id -> decision id -> option id."""
    people: tuple[PersonOutcome, ...]
    effects: frozenset[str] = field(default_factory=frozenset)

    @property
    def met(self) -> int:
        return sum(p.met for p in self.people)

    @property
    def total(self) -> int:
        return sum(len(p.needs) for p in self.people)

    @property
    def unplayed(self) -> tuple[str, ...]:
        return tuple(r for r in self.decisions if not self.decisions[r])


def effects_of(room: Room, decisions: Mapping[str, Choices]) -> frozenset[str]:
    """Rule 1: every effect the roles' chosen options bring."""
    out: set[str] = set()
    for role_id, choices in decisions.items():
        role = room.role(role_id)
        for d in role.decisions:
            if d.id in choices:
                out.update(d.option(choices[d.id]).effects)
    return frozenset(out)


def _act(room: Room, effect: str, played: set[str], chosen: bool, decisions: Mapping) -> list[Act]:
    acts = []
    for r, d, o in room.provider(effect):
        if chosen and decisions.get(r.id, {}).get(d.id) != o.id:
            continue
        acts.append(Act(effect, r.id, r.title, d.question, o.label, r.id in played))
    return acts


def combine(room: Room, decisions: Mapping[str, Choices]) -> RoomOutcome:
    """Rule 2: the outcome for every person of the room from the roles' decisions (a role
    missing from ``decisions``, or with none, was not played). Each role's decisions are
    checked (:func:`check_choices`)."""
    checked = {r: check_choices(room, r, c) for r, c in decisions.items() if c}
    played = set(checked)
    effects = effects_of(room, checked)
    people = []
    for p in room.spec.people:
        needs = []
        for n in p.needs:
            missing = [e for e in n.requires if e not in effects]
            blocking = [e for e in n.blocked_by if e in effects]
            needs.append(
                NeedOutcome(
                    need_id=n.id,
                    label=n.label,
                    met=not missing and not blocking,
                    missing=tuple(a for e in missing for a in _act(room, e, played, False, {})),
                    blocked=tuple(
                        a for e in blocking for a in _act(room, e, played, True, checked)
                    ),
                    citation=n.citation(),
                )
            )
        people.append(PersonOutcome(p.id, p.label, tuple(needs)))
    all_roles = {r: dict(checked.get(r, {})) for r in room.role_ids()}
    return RoomOutcome(room.id, all_roles, tuple(people), effects)


# -- grading one role -----------------------------------------------------------------------------
def _named(refs: tuple[NeedRef, ...], known: set[str]) -> str:
    """Needs as the role may read them: the people it knows by name, the others counted."""
    shown = [r.text() for r in refs if r.person.id in known]
    others = len(refs) - len(shown)
    if others:
        shown.append(f"{others} need(s) of people your role has not met")
    return "; ".join(shown) if shown else "no one's needs"


def _citations(refs: tuple[NeedRef, ...]) -> str:
    """The frameworks and seed paragraphs of the needs, each said once; their caveats last.
    Needs citing the same instrument (the place of safety, for every person a port serves)
    name it once: their frameworks are merged part by part (a framework's parts are separated
    by '; '), in the order first cited, then the seed paragraphs of them all, in order."""
    parts = dict.fromkeys(
        p.strip() for r in refs for p in r.need.framework.split("; ") if p.strip()
    )
    seed = sorted({p for r in refs for p in r.need.seed})
    caveats = dict.fromkeys(r.need.caveat for r in refs if r.need.caveat)
    text = "; ".join([*parts, "MC/INF/294 " + ", ".join(f"¶{p}" for p in seed)])
    return f"{text} (caveat: {'; '.join(caveats)})" if caveats else text


def grade_role(room: Room, role_id: str, choices: Any, exercise_id: str = "") -> GradeResult:
    """Grade one role's decisions against its reference (rule 4), one item per decision, each
    message saying which needs the choice serves or blocks (rule 5) and citing their
    frameworks and seed paragraphs."""
    choices = check_choices(room, role_id, choices)
    role: Role = room.role(role_id)
    known = {p.id for p in room.spec.people if role_id in p.known_to}
    items = []
    for d in role.decisions:
        best = option_value(room, role_id, d.id, best_option(room, role_id, d.id).id)
        got = option_value(room, role_id, d.id, choices[d.id])
        credit = max(0.0, got.value / best.value)
        items.append(_decision_feedback(d, got, best, credit, known))
    score = sum(f.credit for f in items) / len(items)
    return GradeResult(
        exercise_id or room.id,
        score,
        tuple(items),
        summary=f"{role.title}: {sum(f.correct for f in items)} of {len(items)} decisions "
        "serve the people as well as they can from your role.",
        context=role.title,
    )


def _decision_feedback(
    d: Decision, got: OptionValue, best: OptionValue, credit: float, known: set[str]
) -> Feedback:
    parts = [f"Your choice serves {_named(got.serves, known)}."]
    if got.blocks:
        parts.append(f"It stands in the way of {_named(got.blocks, known)}.")
    if credit < 0.999:
        parts.append(
            f"'{best.option.label}' serves {_named(best.serves, known)}"
            + (f", and blocks {_named(best.blocks, known)}." if best.blocks else ".")
        )
    cited = _citations(best.serves + best.blocks + got.blocks)
    return Feedback(
        item=d.question,
        credit=credit,
        message=" ".join(parts),
        citation=cited,
        expected=best.option.label,
        given=got.option.label,
    )
