"""Case narratives and interviews: short, humane texts built from a synthetic person's facts.

Vocabulary follows MC/INF/294 ¶22 (destigmatization): people, migrants, children; never
"illegals". Each sentence states a fact a first-contact official could learn; the grading rules
read the facts, not the text, so the text can be rewritten freely.

A person's facts are told in two ways: :func:`narrate` gives the whole story at once (module 1),
and :func:`interview` gives what the person answers to each question of a screening interview
(module 5, the screening desk): an interview, not a form, so the official learns only what they
ask about. Wording is chosen from the person id, so the same person always reads the same.
The sentences that tell trafficking indicators, and the stories, are in :mod:`.testimony`; a
story is told by :func:`compose`, which introduces each actor before a sentence refers to it and
tells each observation once, in the whole narrative and in each answer of the interview. Given
names, persecution-ground lines and stories fit the person's origin and route: the table is
``mixedflows/data/origins.yaml``, and a scenario that draws a story that does not fit is refused.

The texts agree with the facts *mechanically*: :mod:`.check` reads every sentence with a lexicon
of what its words claim, and fails a sentence that claims a fact the person does not have, a
sentence that states nothing the rules know, or a fact the rules grade that no sentence states;
and it fails an actor referred to before being introduced, a fact told twice, and places of
abuse that contradict each other.
The tests run it over every scenario (seeds 0-199) and every worked case.
"""

from __future__ import annotations

from collections.abc import Sequence
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING, Literal

from mixedflows.errors import Strict
from mixedflows.narratives.testimony import (
    INDICATOR_INTRODUCES,
    INDICATOR_INTROS,
    INDICATOR_LINES,
    INDICATOR_USES,
    PALERMO_LINES,
    STORIES,
    STORY_ALSO,
    STORY_BINDS,
    STORY_INTRODUCES,
    STORY_REQUIRES,
)
from mixedflows.profiles import Company, Ground, Motivation, Sex, SpecificNeed, UrgentCondition

if TYPE_CHECKING:
    import numpy as np

    from mixedflows.profiles import Person

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


def story_fits(story: str, nationality: str, route: str) -> str:
    """'' if a trafficking story fits the nationality and the route, else what does not fit."""
    fit = origins().stories[story]
    if fit.origins != "any" and nationality not in fit.origins:
        return f"story '{story}' fits people from {', '.join(fit.origins)}, not {nationality}"
    if fit.routes != "any" and not any(w in route for w in fit.routes):
        return f"story '{story}' tells of {', '.join(fit.routes)}, which the route does not pass"
    return ""


# --- Trafficking testimony ---------------------------------------------------------------------


def story_indicators(name: str) -> tuple[str, ...]:
    return tuple(it[0] for it in STORIES[name])


def also_told(story: str) -> dict[str, tuple[str, ...]]:
    """The observations a story's sentences tell besides their own (:data:`STORY_ALSO`)."""
    return STORY_ALSO.get(story, {})


def requires(story: str) -> dict[str, tuple[str, ...]]:
    """The items a story keeps only beside one of the others named (:data:`STORY_REQUIRES`)."""
    return STORY_REQUIRES.get(story, {})


def bound(story: str) -> dict[str, tuple[str, ...]]:
    """The observations a kept item brings with it, each told by its own sentence
    (:data:`STORY_BINDS`): the oath sworn to repay a debt for the journey brings the debt."""
    return STORY_BINDS.get(story, {})


def with_also_told(ids: Sequence[str], story: str) -> tuple[str, ...]:
    """``ids`` with the observations their sentences also tell in ``story``, each once."""
    also = also_told(story)
    return tuple(dict.fromkeys(j for i in ids for j in (i, *also.get(i, ()))))


def _told_with(indicator_id: str, story: str) -> str:
    """The story item whose sentence also tells ``indicator_id`` ('' if none)."""
    for primary, extra in also_told(story).items():
        if indicator_id in extra:
            return primary
    return ""


def story_names() -> tuple[str, ...]:
    return tuple(STORIES)


def _forms(indicator_id: str, story: str = "") -> tuple[str, str, tuple[str, ...], tuple[str, ...]]:
    """(text, intro, uses, introduces) of one observation: the story's own wording if it has
    one, else the general line. ``text`` refers to the actors in ``uses`` as known; ``intro``
    stands alone and introduces them; ``introduces`` are the actors ``text`` itself introduces."""
    primary = _told_with(indicator_id, story)
    for i, text, intro, uses in STORIES.get(story, ()):
        if i in (indicator_id, primary):
            return text, intro, uses, STORY_INTRODUCES.get(story, {}).get(i, ())
    if indicator_id in INDICATOR_LINES:
        return (
            INDICATOR_LINES[indicator_id],
            INDICATOR_INTROS.get(indicator_id, ""),
            INDICATOR_USES.get(indicator_id, ()),
            INDICATOR_INTRODUCES.get(indicator_id, ()),
        )
    if indicator_id in PALERMO_LINES:
        return PALERMO_LINES[indicator_id], "", (), ()
    for name, items in STORIES.items():
        for i, text, intro, uses in items:
            if i == indicator_id:
                return text, intro, uses, STORY_INTRODUCES.get(name, {}).get(i, ())
    raise KeyError(f"no sentence tells observation '{indicator_id}'")


def indicator_line(indicator_id: str, story: str = "") -> str:
    """The sentence that tells one observation standing alone (quoted in feedback): it
    introduces whoever it refers to."""
    text, intro, uses, _ = _forms(indicator_id, story)
    return intro if uses and intro else text


def indicator_forms(indicator_id: str, story: str = "") -> tuple[str, ...]:
    """Every wording that may tell an observation (the check reads any of them as telling it)."""
    text, intro, _, _ = _forms(indicator_id, story)
    return (text, intro) if intro else (text,)


def _story_order(ids: Sequence[str], story: str) -> list[str]:
    """The observations in the order of the story (a promise before what came instead), then any
    outside the story in the order given."""
    order = {i: k for k, i in enumerate(story_indicators(story))} if story in STORIES else {}
    for i in ids:  # told by another item's sentence: at that item's place
        if _told_with(i, story) in order:
            order.setdefault(i, order[_told_with(i, story)])
    return sorted(ids, key=lambda i: (order.get(i, len(order)), list(ids).index(i)))


def compose(ids: Sequence[str], story: str) -> list[tuple[str, str]]:
    """(observation id, sentence template) for a told block of a story: in story order, each
    actor introduced before a sentence refers to it ("a recruiter" before "the recruiter"), and
    each observation told once. A block is the whole narrative, or one answer of the interview."""
    known: set[str] = set()
    out = []
    for i in dict.fromkeys(_story_order(ids, story)):
        if _told_with(i, story) in ids:
            continue  # told by the same sentence as another observation kept
        text, intro, uses, introduces = _forms(i, story)
        if uses and intro and not set(uses) <= known:
            out.append((i, intro))
            known |= set(uses)
        else:
            out.append((i, text))
        known |= set(introduces)
    return out


def trafficking_story(
    name: str, rng: np.random.Generator, *, child: bool
) -> tuple[tuple[str, ...], list[str]]:
    """A random subset (at least two items) of a story: indicator ids and their sentences."""
    if child:
        name = "child_labour"
    items = STORIES[name]
    keep = rng.random(len(items)) < 0.7
    if keep.sum() < 2:
        keep[rng.choice(len(items), size=2, replace=False)] = True
    ids = with_also_told(tuple(it[0] for it, k in zip(items, keep, strict=True) if k), name)
    return ids, [t for _, t in compose(ids, name)]


# --- Facts as sentences ------------------------------------------------------------------------

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


def ground_line(p: Person) -> str:
    """The sentence telling the person's persecution ground, among the lines that fit their
    nationality (chosen from the person id, so the same person always reads the same)."""
    assert p.persecution_ground is not None
    fits = tuple(
        t for i, t in _GROUNDS[p.persecution_ground] if fits_origin(i, p.nationality)
    ) or tuple(t for _, t in _GROUNDS[p.persecution_ground])
    return _pick(fits, p.person_id)


_URGENT: dict[UrgentCondition, str] = {
    UrgentCondition.DEHYDRATION: "{Sub} has had no water for two days and is confused.",
    UrgentCondition.HYPOTHERMIA: "{Sub} is soaked and shivering uncontrollably.",
    UrgentCondition.FUEL_BURNS: "{Sub} has burns on the legs from fuel mixed with seawater.",
    UrgentCondition.INJURY: "{Sub} has a deep, bleeding cut on the arm.",
    UrgentCondition.LATE_PREGNANCY: "{Sub} is eight months pregnant and has abdominal pain.",
    UrgentCondition.EXHAUSTION: "{Sub} collapsed on the quay and cannot stand unaided.",
    UrgentCondition.ACUTE_DISTRESS: "{Sub} saw people drown on the way and is in acute "
    "distress, unable to stop shaking.",
}
_NEEDS: dict[SpecificNeed, str] = {
    SpecificNeed.WOMAN_AT_RISK: "{Sub} travelled alone and was repeatedly harassed by men at "
    "the departure point; {sub} is afraid of the men around {obj} here.",
    SpecificNeed.SURVIVOR_OF_VIOLENCE: "{Sub} has scars from beatings in a detention centre and "
    "wakes up screaming at night.",
    SpecificNeed.SERIOUS_MEDICAL: "{Sub} needs daily insulin and has none left.",
    SpecificNeed.DISABILITY: "{Sub} walks with a crutch since an old injury.",
    SpecificNeed.OLDER_PERSON: "{Sub} is old and frail, and needs help with daily care.",
    SpecificNeed.SINGLE_PARENT: "{Sub} is caring for {pos} children alone; no partner is with "
    "{obj}.",
    SpecificNeed.FAMILY_UNITY: "{Sub} was separated from {pos} spouse at the departure point "
    "and does not know where they are.",
}
_MOTIVES: dict[Motivation, str] = {
    Motivation.WORK: "{Sub} hopes to find work and send money home.",
    # No country named: the same line serves every route (Europe, the Gulf, southern Africa).
    Motivation.FAMILY: "{Sub} wants to join a brother who works abroad.",
    Motivation.STUDY: "{Sub} hopes to go to school abroad.",
    Motivation.ENVIRONMENT: "{Sub} left after three years of failed harvests dried up the "
    "family's land.",
    Motivation.SAFETY: "",
    Motivation.WITH_FAMILY: "{Pos_} family decided to leave; {sub} is too young to say more.",
}
RELATIVES = (
    "aunt",
    "uncle",
    "older cousin",
    "cousin",
    "grandmother",
    "grandfather",
    "older brother",
    "older sister",
    "daughter-in-law",
    "son-in-law",
    "son",
    "daughter",
    "nephew",
    "niece",
    "relatives",
)
"""Who a person travelling with a relative (not a parent, not a spouse) may travel with."""
PARENTS = ("mother", "father")

QUESTIONS: dict[str, str] = {
    "health": "How are you feeling? Do you need a doctor or any medicine?",
    "company": "Who are you travelling with? Where is your family?",
    "age": "How old are you? Do you have a paper that shows it?",
    "private": "(Take the person aside, away from anyone travelling with them.) Can we talk "
    "here, just the two of us?",
    "reasons": "Why did you leave your country?",
    "return": "What would happen if you went back home?",
    "journey": "How did you travel here? Who organised the journey, and who paid?",
    "work": "Did you work on the way? Were you paid? How were you treated?",
    "control": "Who keeps your papers? Do you owe anyone money? Are you free to come and go?",
    "asylum": "(Tell the person they may ask for asylum.) Do you want to ask for protection?",
}
"""The questions of a screening interview, in a sensible order (after urgent care)."""

QUESTION_LABELS: dict[str, str] = {
    "health": "Health",
    "company": "Company and family",
    "age": "Age and papers",
    "private": "Talk in private",
    "reasons": "Reasons for leaving",
    "return": "Going back",
    "journey": "The journey",
    "work": "Work on the way",
    "control": "Papers, debts, freedom",
    "asylum": "Asylum",
}

TRAFFICKING_QUESTIONS = ("journey", "work", "control")
"""The questions under which trafficking facts come out (the trafficking interview)."""

_TOPIC_OF_DIMENSION = {
    1: "journey",
    2: "journey",
    3: "journey",
    4: "work",
    5: "control",
    6: "control",
}
_TOPIC_OF_PALERMO = {
    "se.promised_job_abroad": "journey",
    "se.promised_earnings": "journey",
    "se.oath_to_repay": "journey",
    "se.journey_debt": "control",
    "se.passport_held_by_companion": "control",
    "se.watched_by_companion": "control",
    "se.forced_prostitution": "work",
    "se.earnings_taken_for_debt": "work",
    "se.confined_in_house": "control",
    "se.threats_to_family": "control",
}


def topic_of_dimension(dimension: int) -> str:
    """The interview question under which indicators of an ILO/EC dimension come out."""
    return _TOPIC_OF_DIMENSION[dimension]


_WORK_AT_DESTINATION = {
    "d5.forced_into_illicit_criminal_activities",
    "d5.forced_tasks_or_clients",
    "d5.withholding_of_wages",
}
"""Coercion at destination that is told when asked about work (what they were made to do, and
their pay), not about papers and debts."""


def topic_of(observation_id: str) -> str:
    """The interview question under which an observation comes out: by ILO/EC dimension
    (recruitment under the journey, exploitation under work, coercion and abuse at destination
    under control), except forced tasks and withheld wages, told under work."""
    from mixedflows.trafficking import observations

    if observation_id in _WORK_AT_DESTINATION:
        return "work"
    ind = observations()[observation_id]
    if ind.ilo:
        return _TOPIC_OF_DIMENSION[ind.dimension]
    return _TOPIC_OF_PALERMO.get(observation_id, "control")


def pronouns(sex: Sex) -> dict[str, str]:
    """The placeholders of the sentences: {sub}, {obj}, {pos}, {Sub}, {Pos_}."""
    return _pronouns(sex)


def _pronouns(sex: Sex) -> dict[str, str]:
    sub, obj, pos = ("she", "her", "her") if sex is Sex.FEMALE else ("he", "him", "his")
    return {"sub": sub, "obj": obj, "pos": pos, "Sub": sub.capitalize(), "Pos_": pos.capitalize()}


def _pick(options: tuple[str, ...], key: str) -> str:
    h = 0
    for ch in key.encode():
        h = (h * 131 + ch) % 1_000_003
    return options[h % len(options)]


_FAMILY_GROUNDS: dict[Ground, str] = {
    Ground.RACE: "its ethnic group",
    Ground.RELIGION: "its religion",
    Ground.NATIONALITY: "its nationality, which the authorities deny",
    Ground.SOCIAL_GROUP: "its refusal of a forced marriage",
    Ground.POLITICAL_OPINION: "the father's political activity",
}
_FAMILY_LINES = {"family_clan": "its clan"}
"""Reasons a parent gives that fit only some origins (the origins table)."""


def _family_ground(p: Person) -> str:
    assert p.persecution_ground is not None
    clan = origins().ground_lines.get("family_clan", ())
    if p.persecution_ground is Ground.SOCIAL_GROUP and p.nationality in clan:
        return _FAMILY_LINES["family_clan"]
    return _FAMILY_GROUNDS[p.persecution_ground]


def _young(p: Person) -> bool:
    return p.is_child and p.company is Company.PARENT and p.age < 12


def companion(p: Person) -> str:
    """Who the person travels with, in words ("his mother", "her aunt", "a man she calls
    'uncle', who is not a relative")."""
    pr = _pronouns(p.sex)
    c = p.company
    if c is Company.ALONE:
        return ""
    if c is Company.PARENT:
        return f"{pr['pos']} {p.companion or 'mother'}"
    if c is Company.RELATIVE:
        who = p.companion or ("older cousin" if p.treated_as_child else "relatives")
        return who if who == "relatives" else f"{pr['pos']} {who}"
    if c is Company.SPOUSE:
        return f"{pr['pos']} {'husband' if p.sex is Sex.FEMALE else 'wife'}"
    if c is Company.OWN_CHILDREN:
        return f"{pr['pos']} children"
    return "a man {sub} calls 'uncle', who is not a relative".format(**pr)


def _company(p: Person) -> str:
    if p.company is Company.ALONE:
        return "travelled alone"
    text = "travels with " + companion(p)
    if p.company is Company.RELATIVE and p.treated_as_child:
        text += ", not with " + _pronouns(p.sex)["pos"] + " parents"
    return text


def _why_left(p: Person, pr: dict[str, str]) -> list[str]:
    """The reasons for leaving, told by a parent for a young child travelling with one."""
    out = []
    if p.persecution_ground is not None:
        if _young(p):
            out.append(
                (
                    "{Pos_} " + (p.companion or "mother") + " says the family was threatened "
                    "because of " + _family_ground(p) + "."
                ).format(**pr)
            )
        else:
            out.append(ground_line(p).format(**pr))
    if p.fled_conflict:
        # Named, so that flight from a war at home is never confused with flight from a war in
        # a transit country (Libya, 2011), told by _transit.
        home = f"in {p.nationality}" if p.nationality else "at home"
        if _young(p):
            out.append(
                (
                    "{Pos_} family fled fighting " + home + " that destroyed their neighbourhood."
                ).format(**pr)
            )
        else:
            out.append(
                ("{Sub} fled fighting " + home + " that destroyed {pos} neighbourhood.").format(
                    **pr
                )
            )
    if p.serious_harm_on_return:
        out.append(
            "{Sub} says that if sent back {sub} would be tortured by the men who threatened "
            "{obj} before {sub} left.".format(**pr)
        )
    return out


def _need_line(n: SpecificNeed, p: Person, pr: dict[str, str]) -> str:
    """The sentence of one specific need. A survivor whose story tells where they were beaten
    or held is not given another place for the scars: one place of abuse per person."""
    if n is SpecificNeed.SURVIVOR_OF_VIOLENCE and _tells_harm(p):
        return "{Sub} has scars from beatings and wakes up screaming at night.".format(**pr)
    return _NEEDS[n].format(**pr)


def _tells_harm(p: Person) -> bool:
    from mixedflows.trafficking import harm_ids

    return bool(set(p.trafficking_indicators) & set(harm_ids()))


def _months_on_the_way(p: Person, pr: dict[str, str]) -> str:
    n = p.months_in_transit
    return f"{{Sub}} spent {n} month{'' if n == 1 else 's'} on the way.".format(**pr)


def _transit(p: Person, pr: dict[str, str]) -> str:
    if not p.transit_conflict:
        return ""
    if p.story:  # recruited or held there: the story tells how they came to be there
        return ("{Sub} was still in " + p.transit_conflict + " when war broke out there.").format(
            **pr
        )
    return (
        "{Sub} was working in " + p.transit_conflict + " when war broke out there, and fled."
    ).format(**pr)


def _smuggler(p: Person, pr: dict[str, str]) -> str:
    who = "The family" if _young(p) else "{Sub}"
    return (who + " paid a smuggler for the crossing.").format(**pr)


def _motive(p: Person, pr: dict[str, str]) -> str:
    line = _MOTIVES[p.motivation]
    if p.motivation is Motivation.FAMILY and SpecificNeed.OLDER_PERSON in p.specific_needs:
        line = "{Sub} wants to join {pos} children, who live abroad."
    if p.motivation is Motivation.FAMILY and _recruited_for_work(p):
        # Cold trial 2 of issue 10: "wants to join a brother", then a recruiter promising
        # building work, with nothing linking them.
        line = line[:-1] + ", and looked for work to pay for the journey."
    if p.motivation is Motivation.STUDY and _recruited_for_work(p):
        # A girl who hoped to study, then promised a job (trainer trial of issue 10, point 6).
        line = line[:-1] + ", and needed work to pay for it."
    return line.format(**pr)


def _recruited_for_work(p: Person) -> bool:
    """Someone recruited the person with an offer of work (a job, the pay, the conditions; or a
    promised job, not yet shown false: :data:`mixedflows.trafficking.JOB_OFFERS`). Trainer trial
    of issue 10, point 13: women of the stories of sexual exploitation who left to join a brother
    were then 'promised a job as a hairdresser' with nothing linking the two (the check was right:
    the generator tested a deception only, and a promise is not one until shown false)."""
    from mixedflows import trafficking

    return trafficking.recruited_for_work(p.trafficking_indicators)


def _stranded(p: Person, pr: dict[str, str]) -> str:
    from mixedflows.screening import protection_indicated

    if protection_indicated(p):
        # A person with a protection need does not go to their embassy: no contact implied.
        return "{Sub} has no passport any more and cannot go back.".format(**pr)
    if _documents_kept(p):  # never "lost" a passport the story says someone kept
        return (
            "{Sub} never got {pos} passport back; {pos} embassy will not confirm {pos} "
            "nationality, and {sub} cannot go back.".format(**pr)
        )
    return (
        "{Sub} lost {pos} passport on the way; {pos} embassy will not confirm {pos} "
        "nationality, and {sub} cannot go back.".format(**pr)
    )


def _documents_kept(p: Person) -> bool:
    from mixedflows.trafficking import observations

    table = observations()
    return any(table[i].means == "confiscation of documents" for i in p.trafficking_indicators)


def _married(p: Person, pr: dict[str, str]) -> list[str]:
    """A marriage the company does not already tell (a spouse who is not on the boat)."""
    if p.married and p.company is not Company.SPOUSE:
        return ["{Sub} is married.".format(**pr)]
    return []


def _pregnant(p: Person, pr: dict[str, str]) -> list[str]:
    """A pregnancy not near term (one near term is told among the urgent needs)."""
    if p.pregnant and UrgentCondition.LATE_PREGNANCY not in p.urgent:
        return ["{Sub} is pregnant.".format(**pr)]
    return []


def _age_lines(p: Person, pr: dict[str, str]) -> list[str]:
    if p.age_documented:
        return [f"{{Sub}} shows a document giving {{pos}} age as {p.age}.".format(**pr)]
    return [f"{{Sub}} says {{sub}} is {p.age} but has no document.".format(**pr)]


def _prima_facie(p: Person) -> str:
    if not p.prima_facie:
        return ""
    return f"People from {p.nationality} are recognised prima facie as a group here."


def arrival_lines(p: Person) -> list[str]:
    """What the official sees and hears first, sentence by sentence: who, how old they say,
    with whom, and any acute condition (visible before any question is asked)."""
    pr = _pronouns(p.sex)
    who = f"{p.name}, {p.age}, from {p.nationality}, " + _company(p).format(**pr) + "."
    lines = [who]
    if p.age_disputed and not p.is_child:
        lines.append("{Sub} looks much younger than {sub} says.".format(**pr))
    return lines + [_URGENT[c].format(**pr) for c in p.urgent]


def arrival_note(p: Person) -> str:
    return " ".join(arrival_lines(p))


def interview(p: Person) -> dict[str, list[str]]:
    """What the person answers to each question of :data:`QUESTIONS` (at least one sentence
    each). Trafficking facts are told where they belong: recruitment under the journey,
    exploitation under work, coercion and abuse at destination under control."""
    from mixedflows.screening import interview_apart, protection_indicated

    pr = _pronouns(p.sex)
    f: dict[str, list[str]] = {k: [] for k in QUESTIONS}
    # health
    f["health"] += [_URGENT[c].format(**pr) for c in p.urgent]
    medical = (SpecificNeed.SERIOUS_MEDICAL, SpecificNeed.DISABILITY, SpecificNeed.OLDER_PERSON)
    f["health"] += [_NEEDS[n].format(**pr) for n in p.specific_needs if n in medical]
    if SpecificNeed.SURVIVOR_OF_VIOLENCE in p.specific_needs:
        f["health"].append(_need_line(SpecificNeed.SURVIVOR_OF_VIOLENCE, p, pr))
    f["health"] += _pregnant(p, pr)
    if not f["health"]:
        f["health"].append("{Sub} is tired but says {sub} needs nothing urgently.".format(**pr))
    # company and family
    f["company"].append(("{Sub} " + _company(p) + ".").format(**pr))
    f["company"] += _married(p, pr)
    if p.treated_as_child and p.company in (Company.ALONE, Company.UNRELATED_ADULT):
        f["company"].append(
            "{Pos_} parents stayed at home; no adult here is responsible for {obj}.".format(**pr)
        )
    family = (SpecificNeed.SINGLE_PARENT, SpecificNeed.FAMILY_UNITY, SpecificNeed.WOMAN_AT_RISK)
    f["company"] += [_NEEDS[n].format(**pr) for n in p.specific_needs if n in family]
    # age
    f["age"] += _age_lines(p, pr)
    if p.age_disputed and not p.is_child:
        f["age"].append(
            "{Sub} hesitates, and mentions finishing primary school two years ago.".format(**pr)
        )
    # talking in private
    if interview_apart(p):
        f["private"].append(
            "Away from the others, {sub} relaxes a little and agrees to talk.".format(**pr)
        )
    else:
        f["private"].append("{Sub} says {sub} is fine talking where {sub} is.".format(**pr))
    # reasons and return
    why = _why_left(p, pr)
    f["reasons"] += why
    if p.persecution_ground is not None or p.serious_harm_on_return:
        f["return"].append(
            "{Sub} is afraid of what would happen to {obj} if sent back.".format(**pr)
        )
    if p.fled_conflict:
        f["return"].append("{Sub} says the fighting is still going on at home.".format(**pr))
    transit = _transit(p, pr)
    if transit:
        f["reasons"].append(transit)
    motive = _motive(p, pr)
    if motive:
        f["reasons"].append(motive)
    if p.prima_facie:
        f["reasons"].append(_prima_facie(p))
    if p.cannot_return:
        f["return"].append(_stranded(p, pr))
    if not f["return"]:
        if protection_indicated(p):
            f["return"].append("{Sub} does not want to go back.".format(**pr))
        else:
            f["return"].append(
                "{Sub} could go back, but would face the same poverty as before.".format(**pr)
            )
    # journey, work and control: the trafficking testimony
    by_topic: dict[str, list[str]] = {}
    for i in p.trafficking_indicators:
        by_topic.setdefault(topic_of(i), []).append(i)
    for topic, ids in by_topic.items():  # each answer introduces whoever it refers to
        f[topic] += [t.format(**pr) for _, t in compose(ids, p.story)]
    if p.says_agreed:
        f["journey"].append(AGREED.format(**pr))
    if p.paid_smuggler:
        f["journey"].append(_smuggler(p, pr))
    if p.months_in_transit:
        f["journey"].append(_months_on_the_way(p, pr))
    if not f["journey"]:
        f["journey"].append(
            "{Sub} came straight from the coast with people from home.".format(**pr)
        )
    if not f["work"]:
        if _held_at_work(p):  # held where they were brought to work: told under another topic
            f["work"].append(
                "{Sub} says the work is part of what {sub} told about the journey.".format(**pr)
            )
        else:
            f["work"].append("{Sub} did not work on the way.".format(**pr))
    if not f["control"]:
        if _controlled(p):
            f["control"].append(
                "{Sub} says what happened to {pos} papers and money is part of the journey "
                "{sub} told about.".format(**pr)
            )
        else:
            f["control"].append("{Sub} keeps {pos} own things and owes nobody money.".format(**pr))
    # asylum
    if p.requests_asylum:
        f["asylum"].append("{Sub} says yes: {sub} wants to ask for asylum.".format(**pr))
    elif protection_indicated(p):
        f["asylum"].append(
            "{Sub} did not know this was possible and wants to know more.".format(**pr)
        )
    else:
        f["asylum"].append("{Sub} says {sub} did not come to ask for protection.".format(**pr))
    return f


def _held_at_work(p: Person) -> bool:
    """Some observation shows a purpose of exploitation other than a debt still to be repaid, or
    that the person was held where they were brought to work (confinement or documents kept at
    destination: a means, not a purpose, but it tells that there was work)."""
    from mixedflows import trafficking

    table = trafficking.observations()
    intended = "debt bondage (a practice similar to slavery)"
    return any(
        table[i].purpose not in ("", intended) or trafficking.held_at_work(table[i])
        for i in p.trafficking_indicators
    )


def _controlled(p: Person) -> bool:
    """The person told of documents taken, a debt or confinement (under another question)."""
    from mixedflows.trafficking import observations

    table = observations()
    kinds = {"confiscation of documents", "debt", "confinement"}
    told_debt = {
        "d3.abuse_of_cultural_religious_beliefs",
        "se.oath_to_repay",
    }
    return any(table[i].means in kinds or i in told_debt for i in p.trafficking_indicators)


AGREED = "{Sub} insists {sub} agreed to go."
"""What a person who says they consented says (:attr:`Person.says_agreed`)."""


def narrative_lines(p: Person) -> list[str]:
    """The whole story at once (module 1), sentence by sentence, stating every fact the rules
    read (checked mechanically by :mod:`mixedflows.narratives.check`)."""
    pr = _pronouns(p.sex)
    lines = arrival_lines(p)
    if not p.age_documented and p.treated_as_child:
        lines.append("{Sub} has no document showing {pos} age.".format(**pr))
    lines += _married(p, pr) + _pregnant(p, pr)
    lines += _why_left(p, pr)
    transit = _transit(p, pr)
    if transit:
        lines.append(transit)
    motive = _motive(p, pr)
    if motive:
        lines.append(motive)
    lines += [t.format(**pr) for _, t in compose(p.trafficking_indicators, p.story)]
    if p.says_agreed:
        lines.append(AGREED.format(**pr))
    lines += [_need_line(n, p, pr) for n in p.specific_needs]
    if p.cannot_return:
        lines.append(_stranded(p, pr))
    if p.prima_facie:
        lines.append(_prima_facie(p))
    if p.requests_asylum:
        lines.append("{Sub} asks to apply for asylum.".format(**pr))
    if p.paid_smuggler:
        lines.append(_smuggler(p, pr))
    elif p.months_in_transit:
        lines.append(_months_on_the_way(p, pr))
    return lines


def narrate(p: Person) -> str:
    """A few sentences stating all of the person's facts, in a humane register."""
    return " ".join(narrative_lines(p))
