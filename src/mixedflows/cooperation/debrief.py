"""Module 10's debrief, generated from the room's scenario and the engine's rules.

Every person, role, option and paragraph below is read from the scenario
(``datasets/cooperation/rooms/``) and from what :mod:`mixedflows.cooperation.engine` derives
(which option brings which effect, which need it serves or blocks): a changed scenario gives a
changed debrief, and the debrief cannot disagree with the grading (issue 14/15: the
hand-written debrief named people and roles the scenario could change). Questions that state
no fact stay in the notebook's prose.
"""

from __future__ import annotations

from mixedflows.cooperation.room import NeedRef, Room, load_room, option_value
from mixedflows.text import Markdown, bullets, joined

ROOM = "landing_at_port_alba"


def _paras(seeds: set[int]) -> str:
    return ", ".join(f"¶{p}" for p in sorted(seeds))


def _who(person_label: str) -> str:
    """A person as the debrief names them inside a sentence: the label up to its first comma
    or colon, a leading article or 'About' in small letters ("the H. family")."""
    for sep in (":", ","):
        person_label = person_label.split(sep, 1)[0]
    first, _, rest = person_label.strip().partition(" ")
    if first in ("The", "A", "An", "About") and rest:
        return f"{first.lower()} {rest}"
    return person_label.strip()


def _roles_for(room: Room, effect: str) -> list[tuple[str, str]]:
    return [(r.title, o.label) for r, _d, o in room.provider(effect)]


def shared_needs(room: Room) -> str:
    """The need that took the most roles, each with the option that brings its part."""
    best: tuple[int, NeedRef | None] = (0, None)
    for p in room.spec.people:
        for n in p.needs:
            roles = {t for e in n.requires for t, _ in _roles_for(room, e)}
            if len(roles) > best[0]:
                best = (len(roles), NeedRef(p, n))
    k, ref = best
    if ref is None or k < 2:
        return ""
    parts = "; ".join(
        f"{title}: '{label}'" for e in ref.need.requires for title, label in _roles_for(room, e)
    )
    return (
        f"**Which needs took more than one role?** For {_who(ref.person.label)}, "
        f"'{ref.need.label}' took {k} roles ({_paras(set(ref.need.seed))}). {parts}."
    )


def undid_most(room: Room) -> str:
    """The one option that blocks the most needs, whatever the other roles chose."""
    found = []
    for r in room.roles:
        for d in r.decisions:
            for o in d.options:
                v = option_value(room, r.id, d.id, o.id)
                if v.blocks:
                    found.append((len(v.blocks), r.title, o.label, v.blocks))
    if not found:
        return ""
    n, title, label, blocks = max(found, key=lambda f: f[0])
    total = sum(len(p.needs) for p in room.spec.people)
    people = joined(dict.fromkeys(_who(b.person.label) for b in blocks))
    seeds = {s for b in blocks for s in b.need.seed}
    return (
        f"**Which single choice undid the most?** {title}: '{label}' blocks {n} of the "
        f"{total} needs, for {people}, whatever the other roles did ({_paras(seeds)})."
    )


def known_alone(room: Room, most: int = 2) -> str:
    """People only one role knew of, whose needs took another role's choice."""
    parts = []
    for p in room.spec.people:
        if len(p.known_to) != 1:
            continue
        knower = room.role(p.known_to[0])
        for n in p.needs:
            providers = [(r, o) for e in n.requires for r, _d, o in room.provider(e)]
            own = [o for r, o in providers if r.id == knower.id]
            others = [(r.title, o.label) for r, o in providers if r.id != knower.id]
            if own and others:  # what the role knew, and another role had to act on
                needed = "; ".join(f"{t}: '{label}'" for t, label in others)
                parts.append(
                    f"{knower.title} alone knew of {_who(p.label)}: for '{n.label}' it chose "
                    f"'{own[0].label}'; the need also took {needed}."
                )
                break
        if len(parts) >= most:
            break
    if not parts:
        return ""
    return "**What did your role know that others needed?** " + " ".join(parts)


def debrief(room_id: str = ROOM) -> Markdown:
    """The points of module 10's debrief that name people, roles or choices."""
    room = load_room(room_id)
    return bullets([shared_needs(room), undid_most(room), known_alone(room)])
