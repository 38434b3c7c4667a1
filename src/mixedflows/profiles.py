"""Who is in the boat: the profiles of persons in mixed flows, their needs, and the facts an
official learns about a person.

Profiles follow MC/INF/294 ¶6-8: refugees and asylum seekers, victims of trafficking, smuggled
and stranded migrants, unaccompanied and separated children, economic and environmental
migrants. A person may fit several profiles, or none (¶8: most do not fit a legal category).
Needs are the first responses of ¶17: welfare first, then screening for trafficking indicators,
protection claims, children, specific needs, and counselling for everyone else.
"""

from __future__ import annotations

from enum import StrEnum

from pydantic import BaseModel, ConfigDict, Field


class Profile(StrEnum):
    """A profile a person in a mixed flow may fit (MC/INF/294 ¶6). Indications, not status."""

    PROTECTION = "protection"
    TRAFFICKING = "trafficking"
    CHILD = "child"
    STRANDED = "stranded"
    SMUGGLED = "smuggled"
    ECONOMIC = "economic"
    ENVIRONMENTAL = "environmental"


PROFILE_LABELS: dict[Profile, str] = {
    Profile.PROTECTION: "Asylum seeker: may need international protection",
    Profile.TRAFFICKING: "Possible victim of trafficking",
    Profile.CHILD: "Unaccompanied or separated child",
    Profile.STRANDED: "Stranded migrant",
    Profile.SMUGGLED: "Smuggled migrant",
    Profile.ECONOMIC: "Economic migrant",
    Profile.ENVIRONMENTAL: "Environmental migrant",
}


class Need(StrEnum):
    """A first response, i.e. the referral a person needs (10-Point Plan in Action ch. 6 and 9)."""

    URGENT_MEDICAL = "urgent_medical"
    CHILD_PROTECTION = "child_protection"
    TRAFFICKING_REFERRAL = "trafficking_referral"
    ASYLUM_INFORMATION = "asylum_information"
    SPECIFIC_NEEDS = "specific_needs"
    FAMILY_TRACING = "family_tracing"
    COUNSELLING = "counselling"


NEED_LABELS: dict[Need, str] = {
    Need.URGENT_MEDICAL: "Urgent medical care",
    Need.CHILD_PROTECTION: "Child protection and a best interests procedure",
    Need.TRAFFICKING_REFERRAL: "Referral for identification as a possible victim of trafficking",
    Need.ASYLUM_INFORMATION: "Information on and access to the asylum procedure",
    Need.SPECIFIC_NEEDS: "Support for specific needs (women at risk, survivors, disability...)",
    Need.FAMILY_TRACING: "Family tracing and reunification",
    Need.COUNSELLING: "Counselling on options (legal onward migration, voluntary return)",
}


class Sex(StrEnum):
    FEMALE = "female"
    MALE = "male"


class Company(StrEnum):
    """Who a person travels with; for a child this decides unaccompanied/separated (CRC GC6)."""

    ALONE = "alone"
    PARENT = "parent"
    """With a parent or the legal/customary primary caregiver."""
    RELATIVE = "relative"
    """With another adult relative, not the primary caregiver."""
    SPOUSE = "spouse"
    OWN_CHILDREN = "own_children"
    """An adult travelling with their own children and no partner."""
    UNRELATED_ADULT = "unrelated_adult"
    """With an adult who is not a relative (an 'escort', a 'cousin' who is not one)."""


class Ground(StrEnum):
    """The five Convention grounds (1951 Convention art. 1A(2))."""

    RACE = "race"
    RELIGION = "religion"
    NATIONALITY = "nationality"
    SOCIAL_GROUP = "social_group"
    POLITICAL_OPINION = "political_opinion"


class Motivation(StrEnum):
    WORK = "work"
    FAMILY = "family"
    STUDY = "study"
    ENVIRONMENT = "environment"
    SAFETY = "safety"


class UrgentCondition(StrEnum):
    """Acute welfare needs met at disembarkation, before any screening (MC/INF/294 ¶17, ¶19):
    medical emergencies, pregnancy near term, exhaustion, acute distress after trauma."""

    DEHYDRATION = "dehydration"
    HYPOTHERMIA = "hypothermia"
    FUEL_BURNS = "fuel_burns"
    INJURY = "injury"
    LATE_PREGNANCY = "late_pregnancy"
    EXHAUSTION = "severe_exhaustion"
    ACUTE_DISTRESS = "acute_distress"


URGENT_LABELS: dict[UrgentCondition, str] = {
    UrgentCondition.DEHYDRATION: "Severe dehydration",
    UrgentCondition.HYPOTHERMIA: "Hypothermia",
    UrgentCondition.FUEL_BURNS: "Fuel burns",
    UrgentCondition.INJURY: "Injury",
    UrgentCondition.LATE_PREGNANCY: "Late pregnancy with complications",
    UrgentCondition.EXHAUSTION: "Severe exhaustion",
    UrgentCondition.ACUTE_DISTRESS: "Acute distress after trauma",
}


class SpecificNeed(StrEnum):
    """UNHCR specific-needs categories (proGres top-level codes; REFERENCE.md §2.2).

    Unaccompanied or separated children, also a proGres category, are not listed here: they are
    derived from age and company (CRC General Comment No. 6) by :mod:`mixedflows.screening`.
    """

    WOMAN_AT_RISK = "woman_at_risk"
    SURVIVOR_OF_VIOLENCE = "survivor_of_violence_or_torture"
    SERIOUS_MEDICAL = "serious_medical_condition"
    DISABILITY = "disability"
    OLDER_PERSON = "older_person_at_risk"
    SINGLE_PARENT = "single_parent"
    FAMILY_UNITY = "family_unity"


SPECIFIC_NEED_LABELS: dict[SpecificNeed, str] = {
    SpecificNeed.WOMAN_AT_RISK: "Woman at risk",
    SpecificNeed.SURVIVOR_OF_VIOLENCE: "Survivor of violence or torture",
    SpecificNeed.SERIOUS_MEDICAL: "Serious medical condition",
    SpecificNeed.DISABILITY: "Disability",
    SpecificNeed.OLDER_PERSON: "Older person at risk",
    SpecificNeed.SINGLE_PARENT: "Single parent",
    SpecificNeed.FAMILY_UNITY: "Family unity (family members separated)",
}


class Person(BaseModel):
    """One synthetic person in a cohort: the facts an official can learn, and a narrative.

    Facts are plain data; profiles and needs are never stored here but derived by the rules in
    :mod:`mixedflows.screening`, so that a new scenario or seed yields correctly graded cases.
    """

    model_config = ConfigDict(frozen=True)

    person_id: str
    name: str = Field(description="Synthetic name; no real person is ever described.")
    age: int = Field(ge=0, le=100)
    """The age the person states (or that documents show)."""
    age_documented: bool = True
    """False where the stated age is not backed by documents (age assessment may be needed)."""
    age_disputed: bool = False
    """The person says they are an adult, but their appearance or account suggests they may be
    under 18. Without documents, they are treated as a child until an age assessment."""
    sex: Sex
    nationality: str
    company: Company = Company.ALONE
    urgent: tuple[UrgentCondition, ...] = ()
    specific_needs: tuple[SpecificNeed, ...] = ()
    persecution_ground: Ground | None = None
    """The ground of a feared persecution the person describes, if any."""
    fled_conflict: bool = False
    """Fled armed conflict or generalized violence (a protection need outside the five grounds)."""
    requests_asylum: bool = False
    """Says they want to ask for asylum (international protection)."""
    prima_facie: bool = False
    """Nationals of the person's country are recognised prima facie as refugees where they
    arrived (e.g. Somalis in Yemen): a group determination made by the authorities or UNHCR,
    never by the screening official."""
    trafficking_indicators: tuple[str, ...] = ()
    """Ids of ILO/EC operational indicators observed (see mixedflows/data/ilo_indicators.csv)."""
    story: str = ""
    """The testimony the indicators come from (a story of :mod:`mixedflows.narratives`); ""
    gives each indicator's own sentence."""
    motivation: Motivation = Motivation.WORK
    paid_smuggler: bool = False
    cannot_return: bool = False
    """Unable to return home and without a right to stay: no documents, readmission refused."""
    months_in_transit: int = Field(default=0, ge=0)
    family_id: str = ""
    """Members of one family share an id (a family case file)."""
    narrative: str = ""

    @property
    def is_child(self) -> bool:
        """Under 18 by the stated age (CRC art. 1)."""
        return self.age < 18

    @property
    def age_in_doubt(self) -> bool:
        """An undocumented adult age that appearance or account puts in doubt."""
        return not self.is_child and self.age_disputed and not self.age_documented

    @property
    def treated_as_child(self) -> bool:
        """A child, or a person whose adult age is in doubt: the benefit of the doubt applies
        until an age assessment (CRC General Comment No. 6)."""
        return self.is_child or self.age_in_doubt
