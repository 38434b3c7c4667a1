"""Screening and referral: the documented frameworks as rules (MC/INF/294 ¶17).

``screen(person)`` gives the profiles a person's facts point to and the referrals they need, in
priority order, each with a rationale that cites its framework and the seed paragraph. Every
reference answer in the course is derived here; nothing is typed in beside a question.
``screen_frame(df)`` applies the very same decisions to a whole table of persons at once (the
decisions are written once, in :func:`_decide`, and evaluated on scalars or on numpy arrays).

Screening identifies indications and refers; it never determines refugee or trafficking status
(MC/INF/294 ¶17; UNHCR 10-Point Plan, point 5). The wording of every rationale says so.

The rules, in the order of ¶17:

1. acute welfare needs first (medical emergencies, pregnancy near term, exhaustion, acute
   distress): care before any interview (10-Point Plan point 4; ¶17, ¶19);
2. children: an unaccompanied or separated child (CRC General Comment No. 6), a person whose
   adult age is in doubt (benefit of the doubt until an age assessment), or a child with
   indications of trafficking, is referred to the child protection system for a best interests
   procedure (UNHCR BIP Guidelines 2021; 10-Point Plan in Action 6.1);
3. indications of trafficking (ILO/EC indicators, :mod:`mixedflows.trafficking`): referral for
   formal identification (10-Point Plan in Action 6.4);
4. indications of a protection need (a Convention ground, flight from conflict, a prima facie
   group, or a request for asylum): information on and access to the asylum procedure (6.5);
5. UNHCR specific needs (women at risk, survivors of violence or torture, serious medical
   conditions, disability, older persons at risk, single parents, family unity) (6.3);
6. family tracing for separated families and unaccompanied or separated children (6.2);
7. counselling on options for everyone (legal onward migration, voluntary return; ch. 9).
"""

from __future__ import annotations

from dataclasses import dataclass
from types import SimpleNamespace
from typing import TYPE_CHECKING, Any

import numpy as np

from mixedflows import citations as cite
from mixedflows import trafficking
from mixedflows.citations import Citation
from mixedflows.profiles import (
    NEED_LABELS,
    SPECIFIC_NEED_LABELS,
    URGENT_LABELS,
    Company,
    Motivation,
    Need,
    Person,
    Profile,
    SpecificNeed,
)

if TYPE_CHECKING:
    import pandas as pd

PRIORITY: tuple[Need, ...] = (
    Need.URGENT_MEDICAL,
    Need.CHILD_PROTECTION,
    Need.TRAFFICKING_REFERRAL,
    Need.ASYLUM_INFORMATION,
    Need.SPECIFIC_NEEDS,
    Need.FAMILY_TRACING,
    Need.COUNSELLING,
)
"""The order of ¶17: acute welfare needs first; then children (whose protection does not wait
for any other procedure, UNHCR BIP 2021); then trafficking indications (a safety risk that the
person may still be under a trafficker's control); then protection claims; then specific needs;
family tracing; and counselling on options for everyone."""

# Citations of the referrals, each naming its framework and the seed paragraph.
CHILD_PROTECTION = Citation(
    framework=cite.CRC_GC6.framework + "; UNHCR 10-Point Plan in Action (2011), ch. 6.1",
    seed=cite.para(17, 21),
)
AGE_ASSESSMENT = Citation(
    framework="CRC General Comment No. 6 (2005): where age is in doubt, the benefit of the "
    "doubt (treated as a child until an age assessment); Praesidium: Save the Children's "
    "mandate to help develop an age-assessment procedure at Lampedusa",
    seed=cite.para(17, 18, 21),
)
ASYLUM = Citation(
    framework=cite.REFUGEE_DEFINITION.framework + "; UNHCR 10-Point Plan in Action (2011), "
    "ch. 6.5 (asylum procedures)",
    seed=cite.para(7, 17),
)
PRIMA_FACIE = Citation(
    framework="UNHCR 10-Point Plan in Action (2011), ch. 6.5; prima facie recognition of a group "
    "by the authorities or UNHCR (e.g. Somalis in Yemen, UNHCR 2013)",
    seed=cite.para(7, 17),
)
FAMILY_TRACING = Citation(
    framework="UNHCR 10-Point Plan in Action (2011), ch. 6.2 (family tracing); CRC General "
    "Comment No. 6 (2005)",
    seed=cite.para(17, 21),
)
STRANDED_COUNSELLING = Citation(
    framework=cite.COUNSELLING.framework + "; " + cite.STRANDED.framework,
    seed=cite.para(17, 20),
)
STRANDED_PROTECTION = Citation(
    framework=cite.STRANDED.framework + "; UNHCR Advisory Opinion on the rules of "
    "confidentiality regarding asylum information (2005): no contact with the authorities of "
    "the country of origin while a protection need is indicated",
    seed=cite.para(17, 20, 21),
)


@dataclass(frozen=True)
class Referral:
    need: Need
    rationale: str
    citation: Citation

    @property
    def label(self) -> str:
        return NEED_LABELS[self.need]


@dataclass(frozen=True)
class Screening:
    """The result of screening one person: indications and referrals, never a status."""

    person_id: str
    profiles: frozenset[Profile]
    referrals: tuple[Referral, ...]
    """In priority order; never empty (everyone is at least counselled on options)."""
    trafficking: trafficking.TraffickingAssessment

    @property
    def first_need(self) -> Need:
        return self.referrals[0].need

    @property
    def needs(self) -> tuple[Need, ...]:
        return tuple(r.need for r in self.referrals)

    def referral(self, need: Need) -> Referral | None:
        return next((r for r in self.referrals if r.need is need), None)

    def reason(self, profile: Profile) -> tuple[str, Citation]:
        """Why ``profile`` is (or is not) indicated for this person."""
        return PROFILE_REASONS[profile](self)

    def _repr_html_(self) -> str:
        import html

        rows = "".join(
            f"<li><b>{html.escape(r.label)}</b>: {html.escape(r.rationale)} "
            f"<i>[{html.escape(r.citation.text())}]</i></li>"
            for r in self.referrals
        )
        return f"<div><b>Referrals, in order</b> (indications, not a status)<ol>{rows}</ol></div>"


# --- The decisions, written once ---------------------------------------------------------------


def _not(x: Any) -> Any:
    return np.logical_not(x)


def _decide(f: SimpleNamespace) -> dict[str, Any]:
    """Every profile and need as a boolean, from facts that are numpy scalars or arrays.

    ``f`` holds: child, age_doubt, with_parent, urgent, specific, family_unity, ground,
    conflict, prima_facie, requests_asylum, trafficking (the indication), smuggled, stranded,
    environment, work_or_family.
    """
    treated_child = f.child | f.age_doubt
    uasc = treated_child & _not(f.with_parent)
    protection = f.ground | f.conflict | f.prima_facie | f.requests_asylum
    special = protection | f.trafficking
    out = {
        # Profiles (indications, never status).
        Profile.PROTECTION: protection,
        Profile.TRAFFICKING: f.trafficking,
        Profile.CHILD: uasc,
        Profile.STRANDED: f.stranded,
        Profile.SMUGGLED: f.smuggled,
        Profile.ENVIRONMENTAL: _not(special) & f.environment,
        Profile.ECONOMIC: _not(special)
        & _not(f.environment)
        & f.work_or_family
        & _not(treated_child),
        # Needs (referrals).
        Need.URGENT_MEDICAL: f.urgent,
        Need.CHILD_PROTECTION: uasc | f.age_doubt | (treated_child & f.trafficking),
        Need.TRAFFICKING_REFERRAL: f.trafficking,
        Need.ASYLUM_INFORMATION: protection,
        Need.SPECIFIC_NEEDS: f.specific,
        Need.FAMILY_TRACING: f.family_unity | uasc,
        Need.COUNSELLING: np.ones_like(f.urgent, dtype=bool),
    }
    return out


def _facts(p: Person, ta: trafficking.TraffickingAssessment) -> SimpleNamespace:
    b = np.bool_
    return SimpleNamespace(
        child=b(p.is_child),
        age_doubt=b(p.age_in_doubt),
        with_parent=b(p.company is Company.PARENT),
        urgent=b(bool(p.urgent)),
        specific=b(bool(p.specific_needs)),
        family_unity=b(SpecificNeed.FAMILY_UNITY in p.specific_needs),
        ground=b(p.persecution_ground is not None),
        conflict=b(p.fled_conflict),
        prima_facie=b(p.prima_facie),
        requests_asylum=b(p.requests_asylum),
        trafficking=b(ta.indication),
        smuggled=b(p.paid_smuggler),
        stranded=b(p.cannot_return),
        environment=b(p.motivation is Motivation.ENVIRONMENT),
        work_or_family=b(p.motivation in (Motivation.WORK, Motivation.FAMILY)),
    )


def unaccompanied_or_separated(p: Person) -> bool:
    """CRC GC6: a child (or a person treated as one) not with a parent or primary caregiver."""
    return p.treated_as_child and p.company is not Company.PARENT


def protection_indicated(p: Person) -> bool:
    """Indications of a need for international protection: a feared persecution on a Convention
    ground, flight from armed conflict or generalized violence, a nationality recognised prima
    facie where the person arrived, or a request for asylum."""
    return bool(
        p.persecution_ground is not None or p.fled_conflict or p.prima_facie or p.requests_asylum
    )


def stranded(p: Person) -> bool:
    """¶20: no right to stay and unable to return home."""
    return p.cannot_return


# --- One person, with the reasons --------------------------------------------------------------


def screen(p: Person) -> Screening:
    """Screen one person: profiles indicated and referrals in priority order (¶17)."""
    ta = trafficking.assess(p.trafficking_indicators, child=p.treated_as_child)
    d = _decide(_facts(p, ta))
    profiles = frozenset(x for x in Profile if d[x])
    found = {n: _RATIONALES[n](p, ta) for n in PRIORITY if d[n]}
    referrals = tuple(Referral(n, *found[n]) for n in PRIORITY if n in found)
    return Screening(p.person_id, profiles, referrals, ta)


def _urgent(p: Person, ta: trafficking.TraffickingAssessment) -> tuple[str, Citation]:
    conds = ", ".join(URGENT_LABELS[c].lower() for c in p.urgent)
    return (
        f"Acute welfare need ({conds}): medical care comes first, before any interview or "
        "screening; the questions can wait until the person is able to answer them.",
        cite.WELFARE_FIRST,
    )


def _child(p: Person, ta: trafficking.TraffickingAssessment) -> tuple[str, Citation]:
    if p.age_in_doubt:
        return (
            f"The person says they are {p.age}, has no document, and may be under 18. Give the "
            "benefit of the doubt: treat them as a child and refer them to the child protection "
            "system, which arranges an age assessment with safeguards and a best interests "
            "assessment; adult procedures wait until then.",
            AGE_ASSESSMENT,
        )
    if p.company is Company.PARENT:
        kind = "A child travelling with a parent"
        extra = " The family stays together unless the best interests procedure finds otherwise."
    elif p.company in (Company.ALONE, Company.UNRELATED_ADULT):
        kind = f"An unaccompanied child ({p.age})"
        extra = (
            " The adult with the child is not a relative responsible by law or custom."
            if p.company is Company.UNRELATED_ADULT
            else ""
        )
    else:
        kind = f"A separated child ({p.age}), with a relative but not a parent"
        extra = ""
        if p.company is Company.SPOUSE:
            kind = f"A separated child ({p.age}) travelling with a spouse"
            extra = " A child who is married is a child at risk."
    doubt = (
        ""
        if p.age_documented
        else " The age is undocumented: any age assessment gives the benefit of the doubt."
    )
    tr = ", with indications of trafficking," if ta.indication else ""
    return (
        f"{kind}{tr}: refer to the child protection system for a best interests assessment and "
        f"a guardian; this comes before other procedures and does not wait for them.{extra}"
        f"{doubt}",
        CHILD_PROTECTION,
    )


def _trafficking(p: Person, ta: trafficking.TraffickingAssessment) -> tuple[str, Citation]:
    return (
        f"{ta.reason} Refer, with the person's consent and in safety, for formal identification "
        "by the competent authority and for assistance; screening gives indications, it does "
        "not decide who is a victim.",
        trafficking.CHILD_CITATION if ta.child else trafficking.CITATION,
    )


def _asylum(p: Person, ta: trafficking.TraffickingAssessment) -> tuple[str, Citation]:
    reasons = []
    if p.persecution_ground is not None:
        g = p.persecution_ground.value.replace("_", " ")
        if g == "social group":
            g = "membership of a particular social group"
        reasons.append(
            f"describes a fear of persecution for reasons of {g}, one of the five Convention "
            "grounds"
        )
    if p.fled_conflict:
        reasons.append(
            "fled armed conflict or generalized violence (a possible need for international "
            "protection, refugee status or a complementary form)"
        )
    if p.requests_asylum:
        reasons.append("asks for asylum, and every request must be registered and referred")
    citation = ASYLUM
    if p.prima_facie:
        reasons.append(
            f"is from {p.nationality}, whose nationals are recognised prima facie where they "
            "arrived: a group recognition that the authorities or UNHCR apply at registration"
        )
        citation = PRIMA_FACIE
    why = "; and ".join(reasons)
    return (
        f"The person {why}. Give information on and access to the asylum procedure (and "
        "registration). Whether they are a refugee is for the procedure to decide, not for "
        "screening; meanwhile no return (non-refoulement).",
        citation,
    )


def _specific(p: Person, ta: trafficking.TraffickingAssessment) -> tuple[str, Citation]:
    kinds = ", ".join(SPECIFIC_NEED_LABELS[s].lower() for s in p.specific_needs)
    return (
        f"Specific needs ({kinds}): refer to the services for them (UNHCR specific-needs "
        "categories); travelling in an irregular, mixed flow does not remove these protections.",
        cite.SPECIFIC_NEEDS,
    )


def _tracing(p: Person, ta: trafficking.TraffickingAssessment) -> tuple[str, Citation]:
    if SpecificNeed.FAMILY_UNITY in p.specific_needs:
        why = "Family members were separated on the way"
    else:
        why = "A child without a parent here"
    care = ""
    if ta.indication or protection_indicated(p):
        care = (
            " Tracing must not put anyone at risk: no contact with the country of origin or "
            "with people who may be involved without a careful assessment."
        )
    return (f"{why}: family tracing and, where safe, reunification.{care}", FAMILY_TRACING)


def _counselling(p: Person, ta: trafficking.TraffickingAssessment) -> tuple[str, Citation]:
    others = (
        protection_indicated(p) or ta.indication or p.treated_as_child or bool(p.specific_needs)
    )
    if others:
        text = (
            "Everyone is also counselled on their options. Counselling on return never replaces "
            "the referrals above, and return is not discussed for anyone whose protection "
            "claim is pending."
        )
    else:
        options = "legal onward migration (work or family channels), voluntary return"
        if p.motivation is Motivation.FAMILY:
            options = "family reunification through legal channels, voluntary return"
        text = (
            f"No indication calls for another procedure: counselling on options ({options}) is "
            "the main response. The person keeps their rights, may still ask for asylum, and "
            "must be told how."
        )
    if ta.below_threshold:
        text += (
            " Some trafficking indicators were observed without reaching the threshold: stay "
            "alert, offer a private follow-up interview, and screen again if more comes out."
        )
    if p.cannot_return and protection_indicated(p):
        # Consular contact could expose a person who fears their own State: never while a
        # protection need is indicated (REFERENCE_modules.md D; UNHCR 2005).
        text += (
            " The person cannot return and has no right to stay (a stranded migrant). With a "
            "protection need indicated, there is no contact with the authorities of the country "
            "of origin (no consulate, no data shared): documents and status go through the "
            "asylum procedure and UNHCR."
        )
        return (text, STRANDED_PROTECTION)
    if p.cannot_return:
        text += (
            " The person cannot return and has no right to stay (a stranded migrant): consular "
            "help to establish nationality and documents comes first."
        )
        return (text, STRANDED_COUNSELLING)
    return (text, cite.COUNSELLING)


_RATIONALES = {
    Need.URGENT_MEDICAL: _urgent,
    Need.CHILD_PROTECTION: _child,
    Need.TRAFFICKING_REFERRAL: _trafficking,
    Need.ASYLUM_INFORMATION: _asylum,
    Need.SPECIFIC_NEEDS: _specific,
    Need.FAMILY_TRACING: _tracing,
    Need.COUNSELLING: _counselling,
}


def _reason_protection(s: Screening) -> tuple[str, Citation]:
    return (
        "The facts give indications of a need for international protection (a feared "
        "persecution on a Convention ground, flight from conflict, a prima facie group, or a "
        "request for asylum). Only the asylum procedure decides on refugee status.",
        ASYLUM,
    )


def _reason_trafficking(s: Screening) -> tuple[str, Citation]:
    return (s.trafficking.reason, trafficking.CITATION)


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
        "Moves for work or to support family, with no indication of a protection need or "
        "of trafficking. Most people in mixed flows fit no legal category but still have "
        "rights and needs.",
        cite.MIXED_FLOWS_DEFINITION,
    )


def _reason_environmental(s: Screening) -> tuple[str, Citation]:
    return (
        "Left because of drought, floods or degraded land, with no indication of "
        "persecution: an environmental migrant, a profile with no specific legal regime.",
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


# --- Many persons at once ----------------------------------------------------------------------


def _is(col: pd.Series, value: str) -> np.ndarray:
    """Where a column of strings (plain or categorical) equals ``value``, as a numpy mask."""
    import pandas as pd

    if isinstance(col.dtype, pd.CategoricalDtype):
        cats = col.cat.categories
        if value not in cats:
            return np.zeros(len(col), dtype=bool)
        return col.cat.codes.to_numpy() == cats.get_loc(value)
    return col.to_numpy(dtype=object) == value


def screen_frame(df: pd.DataFrame) -> pd.DataFrame:
    """Screen every row of a persons frame (see :func:`mixedflows.scenarios.generate_frame`).

    Returns one row per person: ``person_id``; ``profile_<p>`` and ``need_<n>`` booleans;
    ``first_need``; ``trafficking_indication``; ``positive_dimensions`` (a bit mask, bit d-1
    for dimension d). The decisions are those of :func:`screen` (tested on samples); for the
    rationale of a referral, screen the person.
    """
    import pandas as pd

    from mixedflows.scenarios import indicator_columns

    age = df["age"].to_numpy()
    child = age < 18
    documented = df["age_documented"].to_numpy(dtype=bool)
    age_doubt = ~child & df["age_disputed"].to_numpy(dtype=bool) & ~documented
    obs = df[indicator_columns()].to_numpy(dtype=bool)
    positive, indication = trafficking.assess_matrix(obs, child | age_doubt)
    specific_cols = [f"sn_{s.value}" for s in SpecificNeed]
    f = SimpleNamespace(
        child=child,
        age_doubt=age_doubt,
        with_parent=_is(df["company"], Company.PARENT.value),
        urgent=~_is(df["urgent"], ""),
        specific=df[specific_cols].to_numpy(dtype=bool).any(axis=1),
        family_unity=df[f"sn_{SpecificNeed.FAMILY_UNITY.value}"].to_numpy(dtype=bool),
        ground=~_is(df["persecution_ground"], ""),
        conflict=df["fled_conflict"].to_numpy(dtype=bool),
        prima_facie=df["prima_facie"].to_numpy(dtype=bool),
        requests_asylum=df["requests_asylum"].to_numpy(dtype=bool),
        trafficking=indication,
        smuggled=df["paid_smuggler"].to_numpy(dtype=bool),
        stranded=df["cannot_return"].to_numpy(dtype=bool),
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
    # The first need is the first in PRIORITY that applies (counselling always does).
    stacked = np.stack([cols[f"need_{n.value}"] for n in PRIORITY], axis=1)
    first = np.argmax(stacked, axis=1)
    cols["first_need"] = pd.Categorical.from_codes(first, categories=[n.value for n in PRIORITY])
    cols["trafficking_indication"] = indication
    cols["positive_dimensions"] = (positive * (1 << np.arange(positive.shape[1]))).sum(axis=1)
    return pd.DataFrame(cols, index=df.index)
