"""The seeded draw of :mod:`mixedflows.scenarios`: a scenario turned into a frame of facts,
one row per person (:func:`generate_frame`, vectorised), with the stories the route's people
tell, then into :class:`~mixedflows.profiles.Person` objects (:func:`generate_cohort`). The
same scenario and seed always give the same persons.
"""

from __future__ import annotations

from collections.abc import Sequence
from functools import lru_cache
from typing import TYPE_CHECKING, Any

from mixedflows import narratives
from mixedflows.narratives.testimony import ITEM_WORKERS, STORY_WORKERS, WORKING_AGES
from mixedflows.profiles import (
    Company,
    Ground,
    Motivation,
    Person,
    Sex,
    SpecificNeed,
    UrgentCondition,
)
from mixedflows.scenarios.model import (
    Nationality,
    Scenario,
    _labour_story,
    _told_by_women_only,
    load_scenario,
)
from mixedflows.trafficking import ILO_PREFIX, indicator_columns

if TYPE_CHECKING:
    import numpy as np
    import pandas as pd


def _fit_workers(
    name: str,
    sub: np.ndarray,
    female: np.ndarray,
    age: np.ndarray,
    older: np.ndarray,
    col: dict[str, int],
) -> None:
    """Drop, after the draw (no chance used, so the rest of a boat is unchanged), what a
    recruitment story cannot tell of this person: anything, for someone outside the working
    ages or of the other sex (:data:`~mixedflows.narratives.testimony.STORY_WORKERS`); an item
    told by the other sex only (:data:`~mixedflows.narratives.testimony.ITEM_WORKERS`); and the
    whole story where fewer than two items are left."""
    if name not in STORY_WORKERS:
        return
    lo, hi = WORKING_AGES
    sexes = STORY_WORKERS[name]
    wrong = (age < lo) | (age > hi) | older
    if "female" not in sexes:
        wrong |= female
    if "male" not in sexes:
        wrong |= ~female
    sub[wrong] = False
    for item, sex in ITEM_WORKERS.get(name, {}).items():
        sub[(female if sex == "male" else ~female), col[ILO_PREFIX + item]] = False
    primaries = [col[ILO_PREFIX + i] for i in narratives.story_indicators(name)]
    few = sub[:, primaries].sum(axis=1) < 2
    sub[few] = False
    for primary, extra in narratives.also_told(name).items():  # one sentence, two facts
        for other in extra:
            sub[:, col[ILO_PREFIX + other]] = sub[:, col[ILO_PREFIX + primary]]


def _mens_story(
    sc: Scenario,
    nats: Sequence[Nationality],
    nat: np.ndarray,
    men: np.ndarray,
    obs: np.ndarray,
    story: np.ndarray,
    col: dict[str, int],
    rng: np.random.Generator,
) -> None:
    """Men drawn for a story that only women tell (housework in the Gulf) tell the men's story
    of the route (:func:`_labour_story`) instead of none (third cold trial of issue 10: the Gulf
    of Aden route had lost its 41 male stories). Drawn after everything else, so every boat
    keeps the same people, names and facts; only these men gain a story."""
    import numpy as np

    women_only = np.array([_told_by_women_only(x.trafficking_story) for x in nats])[nat]
    sexual = np.array([x.trafficking_story.startswith("sexual_exploitation") for x in nats])
    rows = np.flatnonzero(men & women_only & ~sexual[nat])  # sexual: men have theirs already
    if rows.size == 0:
        return
    name = _labour_story(sc.route)
    items = [col[ILO_PREFIX + i] for i in narratives.story_indicators(name)]
    keep = rng.random((rows.size, len(items))) < 0.7
    few = np.flatnonzero(keep.sum(axis=1) < 2)
    if few.size:
        two = np.argsort(rng.random((few.size, len(items))), axis=1)[:, :2]
        keep[few[:, None], two] = True
    sub = np.zeros((rows.size, obs.shape[1]), dtype=bool)
    sub[:, items] = keep
    for primary, extra in narratives.also_told(name).items():  # one sentence, two facts
        for other in extra:
            sub[:, col[ILO_PREFIX + other]] |= sub[:, col[ILO_PREFIX + primary]]
    for primary, extra in narratives.bound(name).items():  # what a kept item brings, told too
        for other in extra:
            sub[:, col[ILO_PREFIX + other]] |= sub[:, col[ILO_PREFIX + primary]]
    obs[rows] = sub
    story[rows] = name


def _girls_story(
    nats: Sequence[Nationality],
    nat: np.ndarray,
    girls: np.ndarray,
    obs: np.ndarray,
    story: np.ndarray,
    col: dict[str, int],
    rng: np.random.Generator,
) -> None:
    """An unaccompanied or separated girl drawn for a story, of a nationality whose women tell a
    story of sexual exploitation, tells that story (trainer trial of issue 10, point 6: no
    generated child ever told one, though IOM's Lampedusa presentation names "young Nigerian girls
    trafficked for sexual exploitation"). Graded by the child rule: the act and the purpose, no
    means (Palermo art. 3(c)). Drawn after everything else, so every boat keeps the same people,
    names and facts; only these girls tell another story."""
    import numpy as np

    sexual = np.array([x.trafficking_story.startswith("sexual_exploitation") for x in nats])
    rows = np.flatnonzero(girls & sexual[nat])
    for k in np.unique(nat[rows]):
        mine = rows[nat[rows] == k]
        name = nats[k].trafficking_story
        items = [col[ILO_PREFIX + i] for i in narratives.story_indicators(name)]
        keep = rng.random((mine.size, len(items))) < 0.7
        sub = np.zeros((mine.size, obs.shape[1]), dtype=bool)
        sub[:, items] = keep
        for item, needs in narratives.requires(name).items():  # told only where it holds
            sub[:, col[ILO_PREFIX + item]] &= sub[:, [col[ILO_PREFIX + x] for x in needs]].any(
                axis=1
            )
        for primary, extra in narratives.bound(name).items():  # the oath's debt, told too
            for other in extra:
                sub[:, col[ILO_PREFIX + other]] |= sub[:, col[ILO_PREFIX + primary]]
        told = sub[:, items].sum(axis=1) >= 2  # fewer: she keeps the story she was drawn
        obs[mine[told]] = sub[told]
        story[mine[told]] = name


# --- The frame of facts ------------------------------------------------------------------------


def _stable_hash(text: str) -> int:
    h = 0
    for ch in text.encode():
        h = (h * 131 + ch) % (2**31 - 1)
    return h


_CHILD_COMPANY = (Company.ALONE, Company.ALONE, Company.RELATIVE, Company.UNRELATED_ADULT)


_NO_PREGNANCY = [c for c in UrgentCondition if c is not UrgentCondition.LATE_PREGNANCY]


_DRAWN_NEEDS = [
    SpecificNeed.SURVIVOR_OF_VIOLENCE,
    SpecificNeed.SERIOUS_MEDICAL,
    SpecificNeed.DISABILITY,
    SpecificNeed.FAMILY_UNITY,
    SpecificNeed.WOMAN_AT_RISK,  # only for women travelling alone
]


def _name_table(sc: Scenario) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Every "Given I." a scenario's persons may be called, as one flat array, with where each
    (nationality, sex)'s names start and how many there are (row 2k: women of nationality k,
    2k+1: men)."""
    import numpy as np

    given: list[str] = []
    start, count = [], []
    for x in sc.nationalities:
        for sex in (Sex.FEMALE, Sex.MALE):
            names = narratives.names_for(x.name, sex, x.names)
            start.append(len(given))
            count.append(len(names))
            given += names
    full = np.array([f"{g} {c}." for g in given for c in narratives.INITIALS], dtype=object)
    return full, np.array(start, dtype=np.int64), np.array(count, dtype=np.int64)


@lru_cache(maxsize=8)
def _numbers(n: int) -> np.ndarray:
    """ "000", "001", ... as an object array: the end of each person id (made once per size; a
    string per person was a third of drawing 100,000 persons, by cProfile)."""
    import numpy as np

    return np.array([f"{i:03d}" for i in range(n)], dtype=object)


def _draw(scenario: Scenario, seed: int, n: int) -> dict[str, Any]:
    """The facts of ``n`` persons as numpy arrays (codes for the enumerations), drawn
    vectorised: the one place chance enters a cohort."""
    import numpy as np

    sc = scenario
    rng = np.random.default_rng([seed, _stable_hash(sc.id)])
    d, j = sc.demography, sc.journey
    nats = sc.nationalities
    w = np.array([x.share for x in nats], dtype=float)
    nat = rng.choice(len(nats), size=n, p=w / w.sum())
    u = rng.random((12, n))

    # Who: age, sex, company (CRC GC6 decides later who is unaccompanied or separated).
    child = u[0] < d.children
    uasc = child & (u[1] < d.unaccompanied)
    disputed = uasc & (u[2] < d.age_disputed)
    older = ~child & (u[3] < d.older)
    female = np.where(child, u[4] < np.where(uasc, 0.2, 0.5), u[4] < d.women)
    age = np.where(
        older,
        rng.integers(60, 76, n),
        np.where(
            child,
            np.where(uasc, rng.integers(14, 18, n), rng.integers(1, 18, n)),
            rng.integers(18, 45, n),
        ),
    )
    age = np.where(disputed, 18 + (u[5] < 0.5), age)  # says 18 or 19
    r = u[6]
    cc = {c: k for k, c in enumerate(Company)}
    company = np.where(
        r < 0.08,
        cc[Company.SPOUSE],
        np.where((r < 0.14) & female, cc[Company.OWN_CHILDREN], cc[Company.ALONE]),
    )
    company[child & ~uasc] = cc[Company.PARENT]
    company[uasc] = np.array([cc[c] for c in _CHILD_COMPANY])[rng.integers(0, 4, int(uasc.sum()))]
    documented = np.where(child, u[7] < 0.3, u[7] < 0.6) & ~disputed

    # Why: one main reason for leaving, from the nationality's chances.
    pers = np.array([x.persecution for x in nats])[nat]
    conf = np.array([x.conflict for x in nats])[nat]
    env = np.array([x.environment for x in nats])[nat]
    r = u[8]
    is_pers = r < pers
    is_conf = ~is_pers & (r < pers + conf)
    is_env = ~is_pers & ~is_conf & (r < pers + conf + env)
    mc = {m: k for k, m in enumerate(Motivation)}
    # Other reasons: work (twice as likely), family, and study for a child (work for an adult).
    other = np.array([mc[Motivation.WORK], mc[Motivation.WORK], mc[Motivation.FAMILY], -1])[
        rng.integers(0, 4, n)
    ]
    other = np.where(other == -1, np.where(child, mc[Motivation.STUDY], mc[Motivation.WORK]), other)
    motivation = np.where(
        is_pers | is_conf,
        mc[Motivation.SAFETY],
        np.where(is_env, mc[Motivation.ENVIRONMENT], other),
    )
    # An older person (60 or more, frail: UNHCR category ER below) does not leave to find work:
    # one drawn for work joins family abroad instead (trainer trial of issue 10, point 7: a
    # 72-year-old frail man "hopes to find work"). No chance used, so every boat keeps its people.
    motivation[older & (motivation == mc[Motivation.WORK])] = mc[Motivation.FAMILY]
    # Young children travelling with a parent left because the family did.
    young = child & ~uasc & (age < 15) & ~(is_pers | is_conf | is_env)
    motivation[young] = mc[Motivation.WITH_FAMILY]
    ground = np.full(n, "", dtype=object)
    pick = rng.random(n)
    for k, x in enumerate(nats):
        m = is_pers & (nat == k)
        if m.any():
            g = np.array([v.value for v in x.grounds], dtype=object)
            ground[m] = g[(pick[m] * len(g)).astype(int)]

    # Trafficking stories: adults and unaccompanied or separated children only.
    has_story = (~child | uasc) & (u[9] < np.array([x.trafficking for x in nats])[nat])
    # Stories as codes (index in story_names(), -1 for none): comparing strings per story was
    # the largest part of the draw left after the names (cProfile).
    names = narratives.story_names()
    code = {name: k for k, name in enumerate(names)}
    scode = np.full(n, -1, dtype=np.int16)
    for k, x in enumerate(nats):
        m = has_story & (nat == k)
        adult_story = x.trafficking_story
        scode[m & uasc] = code[x.child_story]
        if adult_story.startswith("sexual_exploitation"):
            scode[m & ~uasc & female] = code[adult_story]
            scode[m & ~uasc & ~female] = code[_labour_story(sc.route)]
        else:
            scode[m & ~uasc] = code[adult_story]
    story = np.array([*names, ""], dtype=object)[scode]  # -1 picks the last: ""
    ids = indicator_columns()
    col = {c: k for k, c in enumerate(ids)}
    obs = np.zeros((n, len(ids)), dtype=bool)
    for sk, name in enumerate(names):
        rows = np.flatnonzero(scode == sk)
        if rows.size == 0:
            continue
        items = [col[ILO_PREFIX + i] for i in narratives.story_indicators(name)]
        keep = rng.random((rows.size, len(items))) < 0.7
        few = np.flatnonzero(keep.sum(axis=1) < 2)
        if few.size:
            two = np.argsort(rng.random((few.size, len(items))), axis=1)[:, :2]
            keep[few[:, None], two] = True
        sub = obs[rows]
        sub[:, items] = keep
        for item, needs in narratives.requires(name).items():  # told only where it holds
            sub[:, col[ILO_PREFIX + item]] &= sub[:, [col[ILO_PREFIX + x] for x in needs]].any(
                axis=1
            )
        _fit_workers(name, sub, female[rows], age[rows], older[rows], col)
        for primary, extra in narratives.also_told(name).items():  # one sentence, two facts
            for other in extra:
                sub[:, col[ILO_PREFIX + other]] |= sub[:, col[ILO_PREFIX + primary]]
        for primary, extra in narratives.bound(name).items():  # the oath's debt, told too
            for other in extra:
                sub[:, col[ILO_PREFIX + other]] |= sub[:, col[ILO_PREFIX + primary]]
        obs[rows] = sub
        scode[rows[~sub.any(axis=1)]] = -1  # nothing left to tell: no story
    story = np.array([*names, ""], dtype=object)[scode]

    # Urgent needs at landing; specific needs of adults (UNHCR categories).
    urgent = np.full(n, "", dtype=object)
    has_urgent = u[10] < j.urgent_medical
    can_be_pregnant = female & ~child & (age < 45) & ~disputed
    c7 = rng.integers(0, 7, n)
    c6 = rng.integers(0, 6, n)
    all7 = np.array([c.value for c in UrgentCondition], dtype=object)
    no_preg = np.array([c.value for c in _NO_PREGNANCY], dtype=object)
    m7 = has_urgent & can_be_pregnant
    m6 = has_urgent & ~can_be_pregnant
    urgent[m7] = all7[c7[m7]]
    urgent[m6] = no_preg[c6[m6]]
    adult = ~child
    sn = {s: np.zeros(n, dtype=bool) for s in SpecificNeed}
    sn[SpecificNeed.SINGLE_PARENT] = company == cc[Company.OWN_CHILDREN]
    sn[SpecificNeed.OLDER_PERSON] = older
    drawn = adult & (u[11] < j.specific_needs)
    alone_woman = female & (company == cc[Company.ALONE])
    which = np.where(alone_woman, rng.integers(0, 5, n), rng.integers(0, 4, n))
    for k, s in enumerate(_DRAWN_NEEDS):
        sn[s] |= drawn & (which == k)

    # The rest of the journey. Stranded (¶20) only where no protection need explains it.
    v = rng.random((2, n))
    paid = v[0] < j.paid_smuggler
    prima = np.array([x.recognition == "prima_facie" for x in nats])[nat]
    protection = is_pers | is_conf | prima
    cannot = (v[1] < np.array([x.cannot_return for x in nats])[nat]) & ~protection
    lo, hi = j.months_in_transit
    months = rng.integers(lo, hi + 1, n)

    # Names: a common given name of the nationality (the origins table) and an initial, drawn
    # with one table lookup (cProfile: comparing strings per region was a sixth of the draw).
    init = rng.integers(0, len(narratives.INITIALS), n)
    gsel = rng.random(n)
    full, start, count = _name_table(sc)
    group = nat * 2 + np.where(female, 0, 1)
    k = start[group] + (gsel * count[group]).astype(np.int64)
    name = full[k * len(narratives.INITIALS) + init]

    # Drawn last, so that adding them left every earlier draw (and every boat) as it was.
    x = rng.random((3, n))
    _mens_story(sc, nats, nat, has_story & ~uasc & ~female, obs, story, col, rng)
    _girls_story(nats, nat, has_story & uasc & female, obs, story, col, rng)
    transit = (x[0] < np.array([t.transit_conflict for t in nats])[nat]) & ~child
    transit_country = np.where(transit, sc.transit_conflict_country, "").astype(object)
    fertile = female & (age >= 15) & (age < 45) & ~disputed
    pregnant = (fertile & (x[1] < d.pregnant)) | (urgent == UrgentCondition.LATE_PREGNANCY.value)
    married = (company == cc[Company.SPOUSE]) | (
        female & child & ~uasc & (age >= 15) & (x[2] < d.child_married)
    )

    prefix = f"{sc.id}-{seed}-"
    return {
        "person_id": prefix + _numbers(n),
        "name": name,
        "age": age.astype(np.int16),
        "age_documented": documented,
        "age_disputed": disputed,
        "sex": np.where(female, 0, 1),
        "nationality": nat,
        "nationality_names": [x.name for x in nats],
        "company": company,
        "urgent": urgent,
        "persecution_ground": ground,
        "fled_conflict": is_conf,
        "requests_asylum": np.zeros(n, dtype=bool),
        "prima_facie": prima,
        "story": story,
        "motivation": motivation,
        "paid_smuggler": paid,
        "cannot_return": cannot,
        "months_in_transit": months.astype(np.int16),
        "married": married,
        "pregnant": pregnant,
        "serious_harm_on_return": np.zeros(n, dtype=bool),
        "transit_conflict": transit_country,
        "sn": sn,
        "obs": obs,
    }


def generate_frame(scenario: Scenario, seed: int, n: int) -> pd.DataFrame:
    """``n`` synthetic persons of ``scenario`` as a table of facts, drawn vectorised.

    Columns: the fields of :class:`~mixedflows.profiles.Person` (``urgent``,
    ``persecution_ground`` and ``transit_conflict`` hold one value or ""), ``sn_<need>``
    booleans for specific needs, and one boolean column per trafficking observation
    (:func:`indicator_columns`). Reproducible: the same scenario, seed and n give the same frame.
    """
    import pandas as pd

    d = _draw(scenario, seed, n)
    frame = {
        "person_id": pd.Series(d["person_id"], dtype=object),
        "name": pd.Series(d["name"], dtype=object),
        "age": d["age"],
        "age_documented": d["age_documented"],
        "age_disputed": d["age_disputed"],
        "sex": pd.Categorical.from_codes(d["sex"], categories=[x.value for x in _SEXES]),
        "nationality": pd.Categorical.from_codes(
            d["nationality"], categories=d["nationality_names"]
        ),
        "company": pd.Categorical.from_codes(d["company"], categories=[c.value for c in Company]),
        "urgent": pd.Series(d["urgent"], dtype=object),
        "persecution_ground": pd.Series(d["persecution_ground"], dtype=object),
        "fled_conflict": d["fled_conflict"],
        "requests_asylum": d["requests_asylum"],
        "prima_facie": d["prima_facie"],
        "story": pd.Series(d["story"], dtype=object),
        "motivation": pd.Categorical.from_codes(
            d["motivation"], categories=[m.value for m in Motivation]
        ),
        "paid_smuggler": d["paid_smuggler"],
        "cannot_return": d["cannot_return"],
        "months_in_transit": d["months_in_transit"],
        "married": d["married"],
        "pregnant": d["pregnant"],
        "serious_harm_on_return": d["serious_harm_on_return"],
        "transit_conflict": pd.Series(d["transit_conflict"], dtype=object),
    }
    for s in SpecificNeed:
        frame[f"sn_{s.value}"] = d["sn"][s]
    out = pd.DataFrame(frame)
    return pd.concat([out, pd.DataFrame(d["obs"], columns=indicator_columns())], axis=1)


_SEXES = (Sex.FEMALE, Sex.MALE)


def _persons_from_draw(d: dict[str, Any], *, narrate: bool = True) -> list[Person]:
    """The :class:`Person` of each person drawn, built without pandas (the same facts as
    ``persons_from_frame(generate_frame(...))``, which a test checks)."""
    import numpy as np

    ids = np.array([c[len(ILO_PREFIX) :] for c in indicator_columns()], dtype=object)
    companies = list(Company)
    motivations = list(Motivation)
    needs = list(SpecificNeed)
    sn = np.stack([d["sn"][s] for s in needs], axis=1)
    nat_names = d["nationality_names"]
    out = []
    for k in range(len(d["person_id"])):
        urgent = d["urgent"][k]
        ground = d["persecution_ground"][k]
        fields = {
            "person_id": d["person_id"][k],
            "name": d["name"][k],
            "age": int(d["age"][k]),
            "age_documented": bool(d["age_documented"][k]),
            "age_disputed": bool(d["age_disputed"][k]),
            "sex": _SEXES[d["sex"][k]],
            "nationality": nat_names[d["nationality"][k]],
            "company": companies[d["company"][k]],
            "urgent": (UrgentCondition(urgent),) if urgent else (),
            "specific_needs": tuple(n for n, on in zip(needs, sn[k], strict=True) if on),
            "persecution_ground": Ground(ground) if ground else None,
            "fled_conflict": bool(d["fled_conflict"][k]),
            "requests_asylum": bool(d["requests_asylum"][k]),
            "prima_facie": bool(d["prima_facie"][k]),
            "trafficking_indicators": tuple(ids[d["obs"][k]]),
            "story": d["story"][k],
            "motivation": motivations[d["motivation"][k]],
            "paid_smuggler": bool(d["paid_smuggler"][k]),
            "cannot_return": bool(d["cannot_return"][k]),
            "months_in_transit": int(d["months_in_transit"][k]),
            "married": bool(d["married"][k]),
            "pregnant": bool(d["pregnant"][k]),
            "serious_harm_on_return": bool(d["serious_harm_on_return"][k]),
            "transit_conflict": d["transit_conflict"][k],
        }
        # Built from values of the right types by construction: no validation pass needed.
        p = Person.model_construct(**fields)
        if narrate:
            p = p.model_copy(update={"narrative": narratives.narrate(p)})
        out.append(p)
    return out


def persons_from_frame(df: pd.DataFrame, *, narrate: bool = True) -> list[Person]:
    """The :class:`Person` of each row of a persons frame (with a narrative unless told not)."""
    import numpy as np

    ids = np.array([c[len(ILO_PREFIX) :] for c in indicator_columns()], dtype=object)
    obs = df[indicator_columns()].to_numpy(dtype=bool)
    sn_cols = [f"sn_{s.value}" for s in SpecificNeed]
    sn = df[sn_cols].to_numpy(dtype=bool)
    needs = np.array(list(SpecificNeed), dtype=object)
    out = []
    for k, row in enumerate(df.drop(columns=[*indicator_columns(), *sn_cols]).itertuples()):
        p = Person(
            person_id=row.person_id,
            name=row.name,
            age=int(row.age),
            age_documented=bool(row.age_documented),
            age_disputed=bool(row.age_disputed),
            sex=Sex(row.sex),
            nationality=str(row.nationality),
            company=Company(row.company),
            urgent=(UrgentCondition(row.urgent),) if row.urgent else (),
            specific_needs=tuple(needs[sn[k]]),
            persecution_ground=Ground(row.persecution_ground) if row.persecution_ground else None,
            fled_conflict=bool(row.fled_conflict),
            requests_asylum=bool(row.requests_asylum),
            prima_facie=bool(row.prima_facie),
            trafficking_indicators=tuple(ids[obs[k]]),
            story=row.story,
            motivation=Motivation(row.motivation),
            paid_smuggler=bool(row.paid_smuggler),
            cannot_return=bool(row.cannot_return),
            months_in_transit=int(row.months_in_transit),
            married=bool(row.married),
            pregnant=bool(row.pregnant),
            serious_harm_on_return=bool(row.serious_harm_on_return),
            transit_conflict=row.transit_conflict,
        )
        if narrate:
            p = p.model_copy(update={"narrative": narratives.narrate(p)})
        out.append(p)
    return out


def persons_frame(persons: list[Person]) -> pd.DataFrame:
    """A persons frame built from :class:`Person` objects (the inverse of
    :func:`persons_from_frame`, for one urgent condition at most per person)."""
    import pandas as pd

    cols = indicator_columns()
    rows = []
    for p in persons:
        r = {
            "person_id": p.person_id,
            "name": p.name,
            "age": p.age,
            "age_documented": p.age_documented,
            "age_disputed": p.age_disputed,
            "sex": p.sex.value,
            "nationality": p.nationality,
            "company": p.company.value,
            "urgent": p.urgent[0].value if p.urgent else "",
            "persecution_ground": p.persecution_ground.value if p.persecution_ground else "",
            "fled_conflict": p.fled_conflict,
            "requests_asylum": p.requests_asylum,
            "prima_facie": p.prima_facie,
            "story": p.story,
            "motivation": p.motivation.value,
            "paid_smuggler": p.paid_smuggler,
            "cannot_return": p.cannot_return,
            "months_in_transit": p.months_in_transit,
            "married": p.married,
            "pregnant": p.pregnant,
            "serious_harm_on_return": p.serious_harm_on_return,
            "transit_conflict": p.transit_conflict,
        }
        for s in SpecificNeed:
            r[f"sn_{s.value}"] = s in p.specific_needs
        obs = set(p.trafficking_indicators)
        for c in cols:
            r[c] = c[len(ILO_PREFIX) :] in obs
        rows.append(r)
    return pd.DataFrame(rows)


def generate_cohort(scenario: Scenario, seed: int, size: int | None = None) -> list[Person]:
    """A reproducible synthetic cohort: the same scenario and seed give the same persons.

    ``size`` defaults to a boat drawn from the scenario's ``boat_size``.
    """
    import numpy as np

    if size is None:
        lo, hi = scenario.boat_size
        size = int(np.random.default_rng([seed, _stable_hash(scenario.id), 1]).integers(lo, hi + 1))
    return _persons_from_draw(_draw(scenario, seed, size))


COHORT_MEMO = "cohort"


def cohort(
    scenario_id: str, seed: int, size: int | None = None, *, keep: bool = False
) -> list[Person]:
    """``generate_cohort(load_scenario(scenario_id), seed, size)``, read from its memo when one
    is kept (:mod:`mixedflows.memo`: keyed by these inputs, numpy's version and every file of the
    package and datasets/), so an app's first view neither loads numpy nor draws the cohort
    (issue 13). ``keep``: keep the memo when there was none (an app's first view; the boats and
    queues a learner asks for later are drawn, not kept)."""
    from mixedflows import memo

    key = memo.key(COHORT_MEMO, scenario=scenario_id, seed=seed, size=size)
    kept = memo.load(COHORT_MEMO, key)
    if isinstance(kept, list):
        try:
            return [Person.model_validate(p) for p in kept]
        except ValueError:  # pydantic's ValidationError: the memo is not of these persons
            pass
    persons = generate_cohort(load_scenario(scenario_id), seed, size)
    if keep:
        memo.save(COHORT_MEMO, key, [p.model_dump(mode="json") for p in persons])
    return persons
