"""Screening and referral: the documented frameworks as rules (MC/INF/294 ¶17).

Screening identifies indications and refers; it never determines refugee or trafficking status
(¶17; UNHCR 10-Point Plan, point 5). Every reference answer in the course is derived here.

Public API (for every module that meets a person)
-------------------------------------------------
- ``screen(person)`` / ``screen_facts({"age": 16, ...})`` -> :class:`Screening`:
  ``profiles`` (not exclusive), ``referrals`` (each with a rationale and its citation),
  ``trafficking`` (indications warranting referral on the Palermo elements, and the ILO/EC view
  beside them: :mod:`mixedflows.trafficking`), ``categories`` (UNHCR specific-needs categories,
  each cited to its own source), ``constraints`` (the hard constraints on the order of steps:
  :mod:`mixedflows.constraints`), ``may_come_first``, ``return_counselling`` and
  ``consular_contact`` (what counselling may and may not include);
- ``screen_frame(df)``: the same decisions for a whole table of persons at once.

The rules:

1. acute welfare needs first (medical emergencies, pregnancy near term, exhaustion, acute
   distress): care before any interview (10-Point Plan point 4; ¶17, ¶19);
2. children: an unaccompanied or separated child (CRC General Comment No. 6), a person whose
   adult age is in doubt (benefit of the doubt), or a child at risk (married, pregnant, or with
   indications of trafficking; UNHCR category CR), is referred to the child protection system;
   a guardian is for a child without a parent, never promised to a child with one;
3. indications of trafficking on reasonable grounds (adult: act + means + purpose; child: act +
   purpose): referral for formal identification (10-Point Plan in Action 6.4); the ILO/EC
   combination is reported beside it as a data-collection view, not as the threshold;
4. indications of a protection need (a Convention ground, flight from conflict in the country of
   origin, a prima facie group, a request for asylum, or a risk of torture or other serious harm
   on return, CAT art. 3 and ICCPR art. 7): information on and access to the asylum procedure
   (6.5). Flight from a war in a transit country (Libya, 2011) is not by itself such a need;
5. UNHCR specific needs (women at risk, survivors of torture, serious medical conditions,
   disability, older persons at risk, single parents): support for them;
6. labour rights (¶21): an adult who tells of exploitation at work (unpaid, excessive hours,
   wages withheld, forced tasks), whether or not the trafficking elements are all shown, is
   referred to legal aid on the remedies open and, with consent, the facts passed to the
   identification authority: the work told was done abroad, before arrival, and a wage claim
   and the labour inspectorate here cover work done here (¶21; ILO C143 art. 9(1) gives equal
   treatment in rights from past employment, not a forum; ILO C29 art. 2(1) defines forced
   labour); a child's exploitation is for the child protection system;
7. family tracing for family unity and for unaccompanied or separated children (6.2);
8. counselling on options for everyone, after the referrals and never instead of one; no
   voluntary return discussed while a claim is pending, nor before a risk assessment for a
   survivor of torture or a person with indications of trafficking, nor for a child without a
   best interests determination; no contact with the country of origin in those cases.

``referrals`` are listed in the order above for reading; the order is *graded* only on the hard
constraints (:mod:`mixedflows.constraints`), never as a fixed sequence.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from types import SimpleNamespace
from typing import TYPE_CHECKING, Any

from mixedflows import citations as cite
from mixedflows import constraints as cons
from mixedflows import trafficking
from mixedflows.citations import Citation
from mixedflows.profiles import (
    PRIMA_FACIE_LABEL,
    PROFILE_LABELS,
    Company,
    Motivation,
    Need,
    Person,
    Profile,
    SpecificNeed,
)
from mixedflows.referrals import (
    _RATIONALES,
    AGE_ASSESSMENT,
    ASYLUM,
    CATEGORY_SOURCES,
    CHILD_PROTECTION,
    FAMILY_TRACING,
    PRIMA_FACIE,
    PRIORITY,
    SERIOUS_HARM,
    SERVICE_NEEDS,
    SPECIFIC_NEEDS,
    STRANDED_COUNSELLING,
    STRANDED_PROTECTION,
    CategoryFinding,
    Referral,
    ReturnCounselling,
    _categories,
    _Context,
    _interview_apart,
    interview_apart,
    physical_protection,
    pregnant_alone,
    protection_indicated,
    return_counselling,
    sgbv_told,
    stranded,
    survivor_of_violence,
    unaccompanied_or_separated,
)

if TYPE_CHECKING:
    import numpy as np
    import pandas as pd

__all__ = [
    "AGE_ASSESSMENT",
    "ASYLUM",
    "CATEGORY_SOURCES",
    "CHILD_PROTECTION",
    "FAMILY_TRACING",
    "PRIMA_FACIE",
    "PRIORITY",
    "SERIOUS_HARM",
    "SPECIFIC_NEEDS",
    "STRANDED_COUNSELLING",
    "STRANDED_PROTECTION",
    "CategoryFinding",
    "Referral",
    "ReturnCounselling",
    "Screening",
    "interview_apart",
    "protection_indicated",
    "return_counselling",
    "screen",
    "screen_facts",
    "screen_frame",
    "stranded",
    "unaccompanied_or_separated",
]


@dataclass(frozen=True)
class Screening:
    """The result of screening one person: indications and referrals, never a status."""

    person_id: str
    profiles: frozenset[Profile]
    """Every profile the facts support: profiles are not exclusive."""
    referrals: tuple[Referral, ...]
    """Listed in :data:`PRIORITY` order; never empty (everyone is counselled on options)."""
    trafficking: trafficking.TraffickingAssessment
    categories: tuple[CategoryFinding, ...] = ()
    protection: bool = False
    """Indications of a need for international protection (refugee or complementary)."""
    return_counselling: ReturnCounselling = "offered"
    """What counselling may say about voluntary return."""
    consular_contact: bool = False
    """Contact with the consulate of the country of origin may be part of the answer, and only
    with the person's consent (the consent is the case officer's question, not screening's):
    a stranded migrant for whom screening indicates no protection need, and nothing else that
    forbids contact with the country of origin. Otherwise: the asylum procedure and UNHCR,
    inter-State cooperation without the State the person may fear, statelessness screening
    (MC/INF/294 ¶20; :mod:`mixedflows.casework.actions`)."""
    prima_facie: bool = False
    """The person's nationals are recognised prima facie as refugees where they arrived."""
    interview_apart: bool = False
    """A possible trafficker is near (the same boat, or an unrelated adult with a child): the
    interview is held apart from them."""

    @property
    def first_need(self) -> Need:
        """The first referral as listed (see :attr:`may_come_first` for what is graded)."""
        return self.referrals[0].need

    @property
    def needs(self) -> tuple[Need, ...]:
        return tuple(r.need for r in self.referrals)

    @property
    def origin_contact_forbidden(self) -> bool:
        """No contact with the authorities of the country of origin for now."""
        return self.return_counselling != "offered"

    @property
    def constraints(self) -> tuple[cons.Constraint, ...]:
        """The hard constraints on this person's referrals (:func:`constraints.constraints_for`)."""
        return cons.constraints_for(self)

    @property
    def may_come_first(self) -> frozenset[Need]:
        """The referrals no hard constraint puts after another of this person's referrals."""
        return cons.may_come_first(self)

    def referral(self, need: Need) -> Referral | None:
        return next((r for r in self.referrals if r.need is need), None)

    def label(self, profile: Profile) -> str:
        """The profile's name for this person: a person of a group recognised prima facie is
        named a refugee, not an asylum seeker (:data:`~mixedflows.profiles.PRIMA_FACIE_LABEL`)."""
        if profile is Profile.PROTECTION and self.prima_facie:
            return PRIMA_FACIE_LABEL
        return PROFILE_LABELS[profile]

    def reason(self, profile: Profile) -> tuple[str, Citation]:
        """Why ``profile`` is indicated for this person."""
        return PROFILE_REASONS[profile](self)

    def why_not(self, profile: Profile) -> str:
        """Why ``profile`` is not indicated, for this person (for trafficking: the element
        missing and the facts that would change it)."""
        return PROFILE_WHY_NOT[profile](self)

    def _repr_html_(self) -> str:
        from mixedflows.templating import macro

        rows = [(r.label, r.rationale, r.citation.text()) for r in self.referrals]
        return macro("notebook.html.j2", "referrals", rows)


# --- The decisions, written once ---------------------------------------------------------------


def _not(x: Any) -> Any:
    import numpy as np

    return np.logical_not(x)


def _decide(f: SimpleNamespace) -> dict[str, Any]:
    """Every profile and need as a boolean, from facts that are numpy scalars or arrays.

    ``f`` holds: child, age_doubt, with_parent, urgent, service_need, apart (kept apart from a
    possible trafficker: :func:`~mixedflows.referrals.facts.physical_protection`), family_unity,
    ground,
    conflict, prima_facie, requests_asylum, serious_harm, trafficking (indications warranting
    referral), exploited_at_work (exploitation at work told), married, pregnant, smuggled, cannot_return, environment, work_or_family.
    """
    import numpy as np

    treated_child = f.child | f.age_doubt
    uasc = treated_child & _not(f.with_parent)
    at_risk = treated_child & (f.married | f.pregnant | f.trafficking)
    protection = f.ground | f.conflict | f.prima_facie | f.requests_asylum | f.serious_harm
    child_protection = uasc | f.age_doubt | at_risk
    # A physical protection need (UNHCR LP: interviewed and kept apart from a possible
    # trafficker) is answered by child protection for an unaccompanied or separated child, else
    # by the specific-needs referral, whatever else is referred (trainer's trial of issue 10: LP
    # was said while the specific-needs referral was "not called for"; neither depends on the
    # trafficking facts, so adding one never removes a referral).
    # referrals.rationales.lp_answered_by names the same referral.
    lp_unanswered = f.apart & _not(uasc)
    return {
        # Profiles: not exclusive; each says why a person moved or what happened to them.
        Profile.PROTECTION: protection,
        Profile.TRAFFICKING: f.trafficking,
        Profile.CHILD: uasc,
        Profile.STRANDED: f.cannot_return,
        Profile.SMUGGLED: f.smuggled,
        Profile.ENVIRONMENTAL: f.environment,
        Profile.ECONOMIC: f.work_or_family,
        # Needs (referrals).
        Need.URGENT_MEDICAL: f.urgent,
        Need.CHILD_PROTECTION: child_protection,
        Need.TRAFFICKING_REFERRAL: f.trafficking,
        Need.ASYLUM_INFORMATION: protection,
        Need.SPECIFIC_NEEDS: f.service_need | lp_unanswered,
        Need.LABOUR_RIGHTS: f.exploited_at_work & _not(treated_child),
        Need.FAMILY_TRACING: f.family_unity | uasc,
        Need.COUNSELLING: np.ones_like(f.urgent, dtype=bool),
    }


def _facts(p: Person, ta: trafficking.TraffickingAssessment) -> SimpleNamespace:
    import numpy as np

    b = np.bool_
    return SimpleNamespace(
        child=b(p.is_child),
        age_doubt=b(p.age_in_doubt),
        with_parent=b(p.company is Company.PARENT),
        urgent=b(bool(p.urgent)),
        service_need=b(
            any(s in SERVICE_NEEDS for s in p.specific_needs)
            or survivor_of_violence(p)
            or sgbv_told(p)
            or pregnant_alone(p)
        ),
        apart=b(physical_protection(p, ta)),
        family_unity=b(SpecificNeed.FAMILY_UNITY in p.specific_needs),
        ground=b(p.persecution_ground is not None),
        conflict=b(p.fled_conflict),
        prima_facie=b(p.prima_facie),
        requests_asylum=b(p.requests_asylum),
        serious_harm=b(p.serious_harm_on_return),
        trafficking=b(ta.referral),
        exploited_at_work=b(bool(trafficking.exploited_at_work(p.trafficking_indicators))),
        married=b(p.is_married),
        pregnant=b(p.is_pregnant),
        smuggled=b(p.paid_smuggler),
        cannot_return=b(p.cannot_return),
        environment=b(p.motivation is Motivation.ENVIRONMENT),
        work_or_family=b(p.motivation in (Motivation.WORK, Motivation.FAMILY)),
    )


# --- One person, with the reasons --------------------------------------------------------------


def screen(p: Person) -> Screening:
    """Screen one person: profiles, referrals with their reasons, categories, constraints."""
    ta = trafficking.assess(p.trafficking_indicators, child=p.treated_as_child)
    d = _decide(_facts(p, ta))
    profiles = frozenset(x for x in Profile if d[x])
    ret = return_counselling(p, ta)
    needs = frozenset(n for n in PRIORITY if d[n])
    ctx = _Context(p, ta, ret, _categories(p, ta), needs)
    referrals = tuple(Referral(n, *_RATIONALES[n](ctx)) for n in PRIORITY if d[n])
    return Screening(
        p.person_id,
        profiles,
        referrals,
        ta,
        ctx.categories,
        bool(d[Profile.PROTECTION]),
        ret,
        bool(d[Profile.STRANDED]) and ret == "offered",
        prima_facie=p.prima_facie,
        interview_apart=_interview_apart(p, ta),
    )


def screen_facts(facts: Mapping[str, Any], person_id: str = "facts") -> Screening:
    """Screen a person given as a mapping of facts (the fields of
    :class:`~mixedflows.profiles.Person`; ``name`` and ``sex`` default; ``motivation`` must be
    given, since it decides the economic profile: it is not assumed to be work). Raises
    ``ValueError`` naming an unknown fact, a missing motivation or a bad value."""
    from pydantic import ValidationError

    unknown = set(facts) - set(Person.model_fields)
    if unknown:
        raise ValueError(f"not a fact of a person: {', '.join(sorted(unknown))}")
    if "motivation" not in facts:
        raise ValueError(
            "fact 'motivation' is missing: give the main reason for leaving the person gives ("
            + ", ".join(m.value for m in Motivation)
            + "); it is not assumed"
        )
    data = {"person_id": person_id, "name": "(case)", "sex": "female", "nationality": "", **facts}
    try:
        return screen(Person.model_validate(data))
    except ValidationError as e:
        first = e.errors()[0]
        where = ".".join(str(x) for x in first["loc"])
        raise ValueError(f"fact '{where}': {first['msg']}") from None


# --- Why a profile is, or is not, indicated ----------------------------------------------------


def _reason_protection(s: Screening) -> tuple[str, Citation]:
    if s.prima_facie:
        return (
            "The person's nationals are recognised prima facie as refugees where they arrived "
            "(refugee status recognised for the group without individual determination, as for "
            "Somalis in Yemen, UNHCR 2013): a refugee on the strength of that recognition, not an "
            "asylum seeker awaiting an individual decision. The authorities or UNHCR apply it at "
            "registration; the screening official refers and does not apply it.",
            PRIMA_FACIE,
        )
    return (
        "The facts give indications of a need for international protection (a feared "
        "persecution on a Convention ground, flight from conflict, a prima facie group, a risk "
        "of torture or serious harm on return, or a request for asylum). Only the asylum "
        "procedure decides on refugee status.",
        ASYLUM,
    )


def _reason_trafficking(s: Screening) -> tuple[str, Citation]:
    ta = s.trafficking
    return (ta.reason, trafficking.CHILD_CITATION if ta.child else trafficking.CITATION)


def _reason_child(s: Screening) -> tuple[str, Citation]:
    return (
        "A child under 18 (or a person whose adult age is in doubt) travelling without a parent "
        "or primary caregiver is unaccompanied or separated.",
        cite.CRC_GC6,
    )


def _reason_stranded(s: Screening) -> tuple[str, Citation]:
    return ("No right to stay and unable to return home: a stranded migrant.", cite.STRANDED)


def _reason_smuggled(s: Screening) -> tuple[str, Citation]:
    return (
        "Paid someone to be brought across a border irregularly: smuggled. Smuggling is a "
        "service the person agreed to; it overlaps with every other profile.",
        cite.SMUGGLING,
    )


def _reason_economic(s: Screening) -> tuple[str, Citation]:
    return (
        "Left to find work or to join family: an economic migrant. Profiles are not exclusive: "
        "the same person may also have been trafficked, ask for asylum, or be a child.",
        cite.MIXED_FLOWS_DEFINITION,
    )


def _reason_environmental(s: Screening) -> tuple[str, Citation]:
    return (
        "Left because of drought, floods or degraded land: an environmental migrant, a profile "
        "with no specific legal regime, which may overlap with any other.",
        cite.MIXED_FLOWS_DEFINITION,
    )


PROFILE_REASONS = {
    Profile.PROTECTION: _reason_protection,
    Profile.TRAFFICKING: _reason_trafficking,
    Profile.CHILD: _reason_child,
    Profile.STRANDED: _reason_stranded,
    Profile.SMUGGLED: _reason_smuggled,
    Profile.ECONOMIC: _reason_economic,
    Profile.ENVIRONMENTAL: _reason_environmental,
}


def _not_trafficking(s: Screening) -> str:
    ta = s.trafficking
    if not ta.observed:
        if ta.child:  # a child needs no means (Palermo art. 3(c)): never name one as missing
            return (
                "nothing in the facts points to trafficking (no act and no exploitative purpose "
                "was described; for a child no means is needed, Palermo art. 3(c)); stay alert "
                "all the same"
            )
        return (
            "nothing in the facts points to trafficking (no act, means or exploitative purpose "
            "was described); stay alert all the same"
        )
    return ta.reason


def _not_child(s: Screening) -> str:
    return (
        "the person is an adult whose age is not in doubt, or a child travelling with a parent "
        "(who may still be a child at risk and get child protection)"
    )


def _not_stranded(s: Screening) -> str:
    return "nothing says the person cannot return home"


def accepted_profiles(p: Person, s: Screening) -> dict[Profile, str]:
    """Profiles a learner may tick without loss although the rules do not require them, with
    why (trainer's review of issue 10): a person recruited for work on the way, who left for
    another reason, may be ticked an economic migrant: "The reasons for movement may also
    change" (MC/INF/294 ¶12)."""
    out = {}
    if Profile.ECONOMIC not in s.profiles and trafficking.recruited_for_work(
        p.trafficking_indicators
    ):
        out[Profile.ECONOMIC] = (
            "accepted, not required: the person left for another reason but was then recruited "
            "for work; the reasons for movement may also change (MC/INF/294 ¶12)"
        )
    return out


PROFILE_WHY_NOT = {
    Profile.PROTECTION: lambda s: (
        "nothing in the facts points to a feared persecution, flight "
        "from conflict at home, or a risk of serious harm on return (anyone may still ask for "
        "asylum, and must be told how)"
    ),
    Profile.TRAFFICKING: _not_trafficking,
    Profile.CHILD: _not_child,
    Profile.STRANDED: _not_stranded,
    Profile.SMUGGLED: lambda s: "nothing says the person paid to be brought across the border",
    Profile.ECONOMIC: lambda s: "the person gives no work or family reason for leaving",
    Profile.ENVIRONMENTAL: lambda s: "nothing says the person left because of environmental change",
}


# --- Many persons at once ----------------------------------------------------------------------


def _is(col: pd.Series, value: str) -> np.ndarray:
    """Where a column of strings (plain or categorical) equals ``value``, as a numpy mask."""
    import numpy as np
    import pandas as pd

    if isinstance(col.dtype, pd.CategoricalDtype):
        cats = col.cat.categories
        if value not in cats:
            return np.zeros(len(col), dtype=bool)
        return col.cat.codes.to_numpy() == cats.get_loc(value)
    return col.to_numpy(dtype=object) == value


def _labour_ids() -> tuple[str, ...]:
    """The observations that tell exploitation at work (the labour-rights referral)."""
    return trafficking.exploited_at_work(trafficking.indicator_ids())


def apart_matrix(df: pd.DataFrame, obs: np.ndarray, treated_child: np.ndarray) -> np.ndarray:
    """:func:`~mixedflows.referrals.facts.physical_protection` for every row of a persons frame:
    a possible trafficker in the person's group (an observation with ``nearby``), or a child
    with an adult who is not a relative."""
    import numpy as np

    table = trafficking.observations()
    nearby = np.array([table[i].nearby for i in trafficking.indicator_ids()], dtype=bool)
    escorted = treated_child & _is(df["company"], Company.UNRELATED_ADULT.value)
    return obs[:, nearby].any(axis=1) | escorted


def screen_frame(df: pd.DataFrame) -> pd.DataFrame:
    """Screen every row of a persons frame (see :func:`mixedflows.scenarios.generate_frame`).

    Returns one row per person: ``person_id``; ``profile_<p>`` and ``need_<n>`` booleans;
    ``first_need`` (as listed); ``trafficking_indication`` (indications warranting referral);
    ``positive_dimensions`` (ILO/EC, a bit mask, bit d-1 for dimension d). The decisions are
    those of :func:`screen` (tested on samples); for the rationale of a referral, screen the
    person.
    """
    import numpy as np
    import pandas as pd

    age = df["age"].to_numpy()
    child = age < 18
    documented = df["age_documented"].to_numpy(dtype=bool)
    age_doubt = ~child & df["age_disputed"].to_numpy(dtype=bool) & ~documented
    obs = df[trafficking.indicator_columns()].to_numpy(dtype=bool)
    positive, indication = trafficking.assess_matrix(obs, child | age_doubt)
    service_cols = [f"sn_{s.value}" for s in SERVICE_NEEDS]
    urgent = df["urgent"]
    alone = _is(df["company"], Company.ALONE.value)
    pregnant = df["pregnant"].to_numpy(dtype=bool) | _is(urgent, "late_pregnancy")
    female = _is(df["sex"], "female")
    f = SimpleNamespace(
        child=child,
        age_doubt=age_doubt,
        with_parent=_is(df["company"], Company.PARENT.value),
        urgent=~_is(urgent, ""),
        service_need=df[service_cols].to_numpy(dtype=bool).any(axis=1)
        | df[
            [
                trafficking.ILO_PREFIX + i
                for i in (*trafficking.harm_ids(), *trafficking.sexual_violence_ids())
            ]
        ]
        .to_numpy(dtype=bool)
        .any(axis=1)
        | (~(child | age_doubt) & female & pregnant & alone),
        apart=apart_matrix(df, obs, child | age_doubt),
        family_unity=df[f"sn_{SpecificNeed.FAMILY_UNITY.value}"].to_numpy(dtype=bool),
        ground=~_is(df["persecution_ground"], ""),
        conflict=df["fled_conflict"].to_numpy(dtype=bool),
        prima_facie=df["prima_facie"].to_numpy(dtype=bool),
        requests_asylum=df["requests_asylum"].to_numpy(dtype=bool),
        serious_harm=df["serious_harm_on_return"].to_numpy(dtype=bool),
        trafficking=indication,
        exploited_at_work=df[[trafficking.ILO_PREFIX + i for i in _labour_ids()]]
        .to_numpy(dtype=bool)
        .any(axis=1),
        married=df["married"].to_numpy(dtype=bool) | _is(df["company"], Company.SPOUSE.value),
        pregnant=pregnant,
        smuggled=df["paid_smuggler"].to_numpy(dtype=bool),
        cannot_return=df["cannot_return"].to_numpy(dtype=bool),
        environment=_is(df["motivation"], Motivation.ENVIRONMENT.value),
        work_or_family=_is(df["motivation"], Motivation.WORK.value)
        | _is(df["motivation"], Motivation.FAMILY.value),
    )
    d = _decide(f)
    cols: dict[str, Any] = {"person_id": df["person_id"].to_numpy()}
    for p in Profile:
        cols[f"profile_{p.value}"] = np.asarray(d[p], dtype=bool)
    for n in Need:
        cols[f"need_{n.value}"] = np.broadcast_to(np.asarray(d[n], dtype=bool), age.shape)
    # The first need as listed is the first in PRIORITY that applies (counselling always does).
    stacked = np.stack([cols[f"need_{n.value}"] for n in PRIORITY], axis=1)
    first = np.argmax(stacked, axis=1)
    cols["first_need"] = pd.Categorical.from_codes(first, categories=[n.value for n in PRIORITY])
    cols["trafficking_indication"] = indication
    cols["positive_dimensions"] = (positive * (1 << np.arange(positive.shape[1]))).sum(axis=1)
    return pd.DataFrame(cols, index=df.index)
