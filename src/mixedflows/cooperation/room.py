"""The multi-role exercise's scenario: roles, what each knows and decides, the people and their
needs (``datasets/cooperation/rooms/<id>.yaml``; the file's comment says how it is graded).

A role sees its own ``briefing``, ``facts`` and ``decisions``, and the people whose
``known_to`` names it (:meth:`Room.view`); nothing of another role's. Each option of a decision
brings ``effects``; a need of a person is met when every effect it ``requires`` was chosen by
some role and no effect it is ``blocked_by`` was (:mod:`mixedflows.cooperation.engine`).
"""

from __future__ import annotations

import hashlib
import random
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from pydantic import Field, model_validator

from mixedflows.course import SeedParagraph
from mixedflows.errors import DataFileError, Strict, load_model
from mixedflows.paths import home


def rooms_dir() -> Path:
    return home() / "datasets" / "cooperation" / "rooms"


class Option(Strict):
    id: str
    label: str
    effects: tuple[str, ...] = ()


class Decision(Strict):
    id: str
    question: str
    options: tuple[Option, ...] = Field(min_length=2)

    def option(self, option_id: str) -> Option:
        for o in self.options:
            if o.id == option_id:
                return o
        raise KeyError(option_id)


class Role(Strict):
    id: str
    title: str
    briefing: str
    facts: tuple[str, ...] = Field(min_length=1)
    decisions: tuple[Decision, ...] = Field(min_length=1)

    def decision(self, decision_id: str) -> Decision:
        for d in self.decisions:
            if d.id == decision_id:
                return d
        raise KeyError(decision_id)


class Need(Strict):
    id: str
    label: str
    requires: tuple[str, ...] = Field(min_length=1)
    blocked_by: tuple[str, ...] = ()
    framework: str
    seed: tuple[int, ...] = Field(min_length=1)
    caveat: str = ""

    def citation(self) -> str:
        """The framework and the seed paragraphs, as feedback shows them."""
        paras = ", ".join(f"¶{p}" for p in self.seed)
        line = f"{self.framework}; MC/INF/294 {paras}"
        return f"{line} (caveat: {self.caveat})" if self.caveat else line


class Person(Strict):
    id: str
    label: str
    known_to: tuple[str, ...] = ()
    needs: tuple[Need, ...] = Field(min_length=1)


class RoomSpec(Strict):
    id: str
    title: str
    context: str
    seed_paragraphs: tuple[SeedParagraph, ...]
    roles: tuple[Role, ...] = Field(min_length=2)
    people: tuple[Person, ...] = Field(min_length=1)

    @model_validator(mode="after")
    def _consistent(self) -> RoomSpec:
        roles = [r.id for r in self.roles]
        if len(set(roles)) != len(roles):
            raise ValueError("two roles share an id")
        if len({p.id for p in self.people}) != len(self.people):
            raise ValueError("two people share an id")
        effects = {e for r in self.roles for d in r.decisions for o in d.options for e in o.effects}
        for p in self.people:
            unknown = [r for r in p.known_to if r not in roles]
            if unknown:
                raise ValueError(f"person '{p.id}': known_to names no role: {', '.join(unknown)}")
            for n in p.needs:
                missing = [e for e in (*n.requires, *n.blocked_by) if e not in effects]
                if missing:
                    raise ValueError(
                        f"person '{p.id}', need '{n.id}': no option brings {', '.join(missing)}"
                    )
        for r in self.roles:
            if len({d.id for d in r.decisions}) != len(r.decisions):
                raise ValueError(f"role '{r.id}': two decisions share an id")
            for d in r.decisions:
                if len({o.id for o in d.options}) != len(d.options):
                    raise ValueError(f"role '{r.id}', decision '{d.id}': two options share an id")
        return self


def option_order(decision: Decision, seed: str) -> tuple[Option, ...]:
    """The decision's options in the order one participant sees them: shuffled by ``seed`` (the
    participant's pseudonym, the room and the role), the same on every reload. The scenario file
    lists a decision's best option anywhere (the file's order was best first: a cold trial
    read the answer off the page's first line), so no page shows the file's order."""
    digest = hashlib.sha256(f"{seed}|{decision.id}".encode()).digest()
    options = list(decision.options)
    random.Random(int.from_bytes(digest[:8], "big")).shuffle(options)
    return tuple(options)


@dataclass(frozen=True)
class RoleView:
    """What one role's screen shows: its own briefing, facts and decisions, and the people it
    knows (by label). Built from the scenario for that role only."""

    room_id: str
    role_id: str
    title: str
    context: str
    briefing: str
    facts: tuple[str, ...]
    people: tuple[str, ...]
    decisions: tuple[Decision, ...]


@dataclass(frozen=True)
class Room:
    spec: RoomSpec
    path: str

    @property
    def id(self) -> str:
        return self.spec.id

    @property
    def roles(self) -> tuple[Role, ...]:
        return self.spec.roles

    def role(self, role_id: str) -> Role:
        for r in self.spec.roles:
            if r.id == role_id:
                return r
        raise KeyError(role_id)

    def role_ids(self) -> tuple[str, ...]:
        return tuple(r.id for r in self.spec.roles)

    def view(self, role_id: str) -> RoleView:
        """The one role's view; nothing in it comes from another role's part of the file."""
        r = self.role(role_id)
        return RoleView(
            room_id=self.id,
            role_id=r.id,
            title=r.title,
            context=self.spec.context,
            briefing=r.briefing,
            facts=r.facts,
            people=tuple(p.label for p in self.spec.people if r.id in p.known_to),
            decisions=r.decisions,
        )

    def provider(self, effect: str) -> list[tuple[Role, Decision, Option]]:
        """Which role's option brings ``effect``."""
        return [
            (r, d, o)
            for r in self.spec.roles
            for d in r.decisions
            for o in d.options
            if effect in o.effects
        ]


class NoReferenceError(ValueError):
    """A decision has no single best option by the rules (a scenario file error)."""


@dataclass(frozen=True)
class NeedRef:
    person: Person
    need: Need

    def text(self) -> str:
        return f"{self.person.label}: {self.need.label}"


@dataclass(frozen=True)
class OptionValue:
    option: Option
    serves: tuple[NeedRef, ...]
    blocks: tuple[NeedRef, ...]

    @property
    def value(self) -> int:
        return len(self.serves) - len(self.blocks)


def _needs(room: Room) -> list[NeedRef]:
    return [NeedRef(p, n) for p in room.spec.people for n in p.needs]


def option_value(room: Room, role_id: str, decision_id: str, option_id: str) -> OptionValue:
    """Rule 3 of :mod:`mixedflows.cooperation.engine`: which needs the option serves and which it blocks."""
    option = room.role(role_id).decision(decision_id).option(option_id)
    effects = set(option.effects)
    serves = tuple(r for r in _needs(room) if effects & set(r.need.requires))
    blocks = tuple(r for r in _needs(room) if effects & set(r.need.blocked_by))
    return OptionValue(option, serves, blocks)


def best_option(room: Room, role_id: str, decision_id: str) -> Option:
    """Rule 4 of :mod:`mixedflows.cooperation.engine`: the decision's option of highest value (the role's reference)."""
    decision = room.role(role_id).decision(decision_id)
    values = sorted(
        (option_value(room, role_id, decision_id, o.id) for o in decision.options),
        key=lambda v: -v.value,
    )
    if values[0].value <= 0:
        raise NoReferenceError(f"no option of '{decision_id}' serves any need")
    if values[1].value == values[0].value:
        raise NoReferenceError(
            f"options '{values[0].option.id}' and '{values[1].option.id}' of '{decision_id}' "
            "serve the people equally: the reference is not unique"
        )
    return values[0].option


@cache
def load_room(path_or_id: Path | str) -> Room:
    """Load and check one room scenario (a path, or an id in ``datasets/cooperation/rooms/``);
    every decision must have one option that serves the people best (the engine's rule), so
    that each role's reference exists and is unique."""
    p, spec = load_model(path_or_id, rooms_dir(), RoomSpec)
    room = Room(spec, str(p))
    for k, r in enumerate(spec.roles):
        for j, d in enumerate(r.decisions):
            try:
                best_option(room, r.id, d.id)
            except NoReferenceError as e:
                raise DataFileError(p, f"roles.{k}.decisions.{j}", str(e)) from None
    return room


def list_rooms() -> list[str]:
    return sorted(p.stem for p in rooms_dir().glob("*.yaml"))
