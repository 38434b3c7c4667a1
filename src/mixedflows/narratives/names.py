"""Synthetic names and the origins they fit (``data/origins.yaml``): the given names of each
region, the initials, which stories fit which origin, and the ground lines (and the family's)
that the origins table may restrict to some nationalities.
"""

from __future__ import annotations

from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING, Literal

from mixedflows.errors import Strict
from mixedflows.narratives.testimony import (
    STORIES,
)
from mixedflows.profiles import Ground, Sex

if TYPE_CHECKING:
    pass


NameRegion = Literal["west_africa", "horn_of_africa", "north_africa", "south_asia", "middle_east"]


StoryName = Literal[
    "sexual_exploitation_promise",
    "sexual_exploitation_via_morocco",
    "labour_in_transit",
    "labour_recruited_in_transit",
    "labour_on_the_atlantic_route",
    "child_labour",
    "domestic_work_gulf",
    "held_for_ransom",
]


_NAMES: dict[str, dict[Sex, tuple[str, ...]]] = {
    "west_africa": {
        Sex.FEMALE: ("Aminata", "Blessing", "Fatoumata", "Joy", "Mariama", "Precious", "Awa"),
        Sex.MALE: ("Moussa", "Ibrahima", "Samuel", "Lamin", "Ousmane", "Kwame", "Sekou"),
    },
    "horn_of_africa": {
        Sex.FEMALE: ("Selam", "Hodan", "Senait", "Ruta", "Ayan", "Meron", "Filsan"),
        Sex.MALE: ("Yonas", "Abdirahman", "Dawit", "Merhawi", "Abdi", "Tesfay", "Hassan"),
    },
    "north_africa": {
        Sex.FEMALE: ("Amira", "Salma", "Nour", "Yasmine", "Ines", "Rania", "Leila"),
        Sex.MALE: ("Karim", "Youssef", "Mehdi", "Anis", "Omar", "Walid", "Sami"),
    },
    "south_asia": {
        Sex.FEMALE: ("Nasrin", "Fatema", "Rupa", "Shirin", "Taslima", "Mina", "Laila"),
        Sex.MALE: ("Rahim", "Sohel", "Imran", "Jahid", "Arif", "Kamal", "Babul"),
    },
    "middle_east": {
        Sex.FEMALE: ("Rasha", "Dima", "Hiba", "Lina", "Zainab", "Maryam", "Farah"),
        Sex.MALE: ("Ahmad", "Khaled", "Mustafa", "Rami", "Bilal", "Hamza", "Tariq"),
    },
}


INITIALS = "ABDFGHKLMNOSTY"


def given_names(region: NameRegion, sex: Sex) -> tuple[str, ...]:
    """The region's list (the fallback for a nationality the origins table does not list)."""
    return _NAMES[region][sex]


class _NameGroup(Strict):
    group: str
    nationalities: tuple[str, ...]
    female: tuple[str, ...]
    male: tuple[str, ...]


class _StoryFit(Strict):
    origins: tuple[str, ...] | Literal["any"]
    routes: tuple[str, ...] | Literal["any"]


class Origins(Strict):
    """``mixedflows/data/origins.yaml``: which names and stories fit which origins."""

    names: tuple[_NameGroup, ...]
    ground_lines: dict[str, tuple[str, ...]]
    stories: dict[str, _StoryFit]


@cache
def origins() -> Origins:
    from mixedflows.errors import load_model

    path = Path(__file__).resolve().parents[1] / "data" / "origins.yaml"
    table = load_model(path, path.parent, Origins)[1]
    unknown = set(table.stories) ^ set(STORIES)
    if unknown:
        raise ValueError(f"{path}: stories and the origins table differ: {sorted(unknown)}")
    lines = {i for items in _GROUNDS.values() for i, _ in items} | set(_FAMILY_LINES)
    if set(table.ground_lines) - lines:
        raise ValueError(f"{path}: unknown ground lines {sorted(set(table.ground_lines) - lines)}")
    return table


def names_for(nationality: str, sex: Sex, region: NameRegion | None = None) -> tuple[str, ...]:
    """The given names that fit a nationality (the origins table), else the region's list."""
    for g in origins().names:
        if nationality in g.nationalities:
            return g.female if sex is Sex.FEMALE else g.male
    if region is None:
        raise KeyError(f"no names for nationality '{nationality}' in the origins table")
    return given_names(region, sex)


def fits_origin(line_id: str, nationality: str) -> bool:
    """A ground line fits a nationality unless the origins table restricts it to others."""
    only = origins().ground_lines.get(line_id)
    return only is None or nationality in only


# --- The ground lines (their sentences: mixedflows.narratives.phrases) -------------------------

_GROUNDS: dict[Ground, tuple[tuple[str, str], ...]] = {
    # (line id, sentence): the origins table (data/origins.yaml) says which origins a line fits.
    Ground.POLITICAL_OPINION: (
        (
            "protests",
            "{Sub} was detained twice after taking part in protests and fears prison if returned.",
        ),
        (
            "national_service",
            "{Sub} deserted from open-ended national service and fears punishment as a traitor.",
        ),
    ),
    Ground.RELIGION: (
        (
            "church_arrests",
            "{Sub} belongs to a religious minority; members of {pos} church were arrested.",
        ),
        (
            "religious_minority",
            "{Sub} belongs to a religious minority that armed men in {pos} town threatened to "
            "kill.",
        ),
    ),
    Ground.RACE: (
        (
            "ethnic_group",
            "{Sub} belongs to an ethnic group targeted by armed militias in {pos} region.",
        ),
    ),
    Ground.NATIONALITY: (
        (
            "citizenship",
            "{Pos_} family was stripped of citizenship and {sub} was threatened with expulsion.",
        ),
    ),
    Ground.SOCIAL_GROUP: (
        (
            "clan_marriage",
            "{Sub} fled a forced marriage arranged by {pos} clan and fears being sent back to it.",
        ),
        (
            "family_marriage",
            "{Sub} fled a forced marriage arranged by {pos} family and fears being sent back to it.",
        ),
        (
            "gay",
            "{Sub} was attacked after people learned {sub} is gay, and the police refused to help.",
        ),
    ),
}


_FAMILY_LINES = {"family_clan": "its clan"}
"""Reasons a parent gives that fit only some origins (the origins table)."""
