"""Screening and referral: the documented frameworks as rules (MC/INF/294 ¶17).

``screen(person)`` gives the profiles a person's facts point to and the referrals they need, in
priority order, each with a rationale that cites its framework and the seed paragraph. Every
reference answer in the course is derived here; nothing is typed in beside a question.

Screening identifies indications and refers; it never determines refugee or trafficking status
(MC/INF/294 ¶17; UNHCR 10-Point Plan, point 5). The wording of every rationale says so.
"""

from __future__ import annotations

from dataclasses import dataclass

from mixedflows import citations as cite
from mixedflows import trafficking
from mixedflows.citations import Citation
from mixedflows.profiles import (
    NEED_LABELS,
    Company,
    Motivation,
    Need,
    Person,
    Profile,
    SpecificNeed,
)

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
and counselling on options for everyone else."""


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

    def reason(self, profile: Profile) -> tuple[str, Citation]:
        """Why ``profile`` is (or is not) indicated for this person."""
        return PROFILE_REASONS[profile](self)


def unaccompanied_or_separated(p: Person) -> bool:
    """CRC GC6: a child not with a parent or the primary caregiver is separated or unaccompanied."""
    return p.is_child and p.company is not Company.PARENT


def protection_indicated(p: Person) -> bool:
    """Indications of a need for international protection: a feared persecution on a Convention
    ground, or flight from armed conflict or generalized violence (complementary protection)."""
    return p.persecution_ground is not None or p.fled_conflict


def stranded(p: Person) -> bool:
    """¶20: no right to stay and unable to return home."""
    return p.cannot_return


def _profiles(p: Person, ta: trafficking.TraffickingAssessment) -> frozenset[Profile]:
    out: set[Profile] = set()
    if protection_indicated(p):
        out.add(Profile.PROTECTION)
    if ta.indication:
        out.add(Profile.TRAFFICKING)
    if unaccompanied_or_separated(p):
        out.add(Profile.CHILD)
    if stranded(p):
        out.add(Profile.STRANDED)
    if p.paid_smuggler:
        out.add(Profile.SMUGGLED)
    if not out & {Profile.PROTECTION, Profile.TRAFFICKING}:
        if p.motivation is Motivation.ENVIRONMENT:
            out.add(Profile.ENVIRONMENTAL)
        elif p.motivation in (Motivation.WORK, Motivation.FAMILY) and not p.is_child:
            out.add(Profile.ECONOMIC)
    return frozenset(out)


def screen(p: Person) -> Screening:
    """Screen one person: profiles indicated and referrals in priority order (¶17)."""
    ta = trafficking.assess(p.trafficking_indicators, child=p.is_child)
    profiles = _profiles(p, ta)
    found: dict[Need, Referral] = {}
    if p.urgent:
        conds = ", ".join(c.value.replace("_", " ") for c in p.urgent)
        found[Need.URGENT_MEDICAL] = Referral(
            Need.URGENT_MEDICAL,
            f"Acute welfare need ({conds}): medical care comes before any interview or screening.",
            cite.WELFARE_FIRST,
        )
    if Profile.CHILD in profiles:
        kind = (
            "unaccompanied"
            if p.company in (Company.ALONE, Company.UNRELATED_ADULT)
            else ("separated")
        )
        doubt = (
            ""
            if p.age_documented
            else " The age is undocumented: any age assessment must "
            "give the benefit of the doubt and the child is treated as a child meanwhile."
        )
        found[Need.CHILD_PROTECTION] = Referral(
            Need.CHILD_PROTECTION,
            f"A {kind} child ({p.age}): refer to the child protection system for a best "
            f"interests assessment and a guardian; this comes before other procedures.{doubt}",
            cite.CRC_GC6,
        )
    if ta.indication:
        found[Need.TRAFFICKING_REFERRAL] = Referral(
            Need.TRAFFICKING_REFERRAL,
            f"{ta.reason} Refer for formal identification by the competent authority; "
            "screening gives indications, it does not decide who is a victim.",
            trafficking.CITATION,
        )
    if Profile.PROTECTION in profiles:
        if p.persecution_ground is not None:
            why = (
                f"describes a fear of persecution for reasons of "
                f"{p.persecution_ground.value.replace('_', ' ')}, one of the five Convention "
                "grounds"
            )
        else:
            why = "fled armed conflict or generalized violence (possible complementary protection)"
        found[Need.ASYLUM_INFORMATION] = Referral(
            Need.ASYLUM_INFORMATION,
            f"The person {why}: give information on and access to the asylum procedure. "
            "Whether they are a refugee is for the procedure to decide, not for screening.",
            cite.REFUGEE_DEFINITION,
        )
    if p.specific_needs:
        kinds = ", ".join(s.value.replace("_", " ") for s in p.specific_needs)
        found[Need.SPECIFIC_NEEDS] = Referral(
            Need.SPECIFIC_NEEDS,
            f"Specific needs ({kinds}): refer to the services for them; travelling in an "
            "irregular flow does not remove these protections.",
            cite.SPECIFIC_NEEDS,
        )
    if SpecificNeed.FAMILY_UNITY in p.specific_needs or (p.is_child and p.company is Company.ALONE):
        found[Need.FAMILY_TRACING] = Referral(
            Need.FAMILY_TRACING,
            "Family members are missing or were separated on the way: family tracing.",
            Citation(
                framework="UNHCR 10-Point Plan in Action (2011), ch. 6.2", seed=cite.para(17, 24)
            ),
        )
    found[Need.COUNSELLING] = Referral(
        Need.COUNSELLING,
        "Everyone is counselled on their options (legal onward migration, voluntary return); "
        "for people with no other referral this is the main response.",
        cite.COUNSELLING,
    )
    referrals = tuple(found[n] for n in PRIORITY if n in found)
    return Screening(p.person_id, profiles, referrals, ta)


def _reason_protection(s: Screening) -> tuple[str, Citation]:
    return (
        "The facts give indications of a need for international protection (a feared "
        "persecution on a Convention ground, or flight from conflict). Only the asylum "
        "procedure determines refugee status.",
        cite.REFUGEE_DEFINITION,
    )


def _reason_trafficking(s: Screening) -> tuple[str, Citation]:
    return (s.trafficking.reason, trafficking.CITATION)


def _reason_child(s: Screening) -> tuple[str, Citation]:
    return (
        "A child under 18 travelling without a parent or primary caregiver is unaccompanied "
        "or separated.",
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
