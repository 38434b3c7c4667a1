"""Who is in the boat: the profiles of persons in mixed flows, their needs, and the facts an
official learns about a person.

Profiles follow MC/INF/294 ¶6-8: refugees and asylum seekers, victims of trafficking, smuggled
and stranded migrants, unaccompanied and separated children, economic and environmental
migrants. **Profiles are not exclusive** (one model, taught in the prose and graded in the
engine): a profile says why a person moved or what happened to them, and every profile the facts
support applies at once. A person who left to find work is an economic migrant, and may also
have been trafficked on the way, ask for asylum, or be a child; a person may also fit no legal
category at all (¶8).

Needs are the first responses of ¶17: welfare first, then screening for trafficking indicators
and protection claims, children, specific needs, and counselling for everyone else. They are
ordered by hard constraints, not by a fixed sequence (:mod:`mixedflows.constraints`).
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


PRIMA_FACIE_LABEL = "Refugee, recognised prima facie as a group where they arrived"
"""The protection profile of a person whose nationals are recognised prima facie where they
arrived (e.g. Somalis in Yemen): a refugee on the strength of that group recognition, not an
asylum seeker awaiting an individual decision (UNHCR recognised Somalis in Yemen prima facie as
refugees, 2013; trainer trial of issue 10, point 8)."""

PROFILE_LABELS: dict[Profile, str] = {
    Profile.PROTECTION: "Refugee or asylum seeker: may need international protection",
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
    LABOUR_RIGHTS = "labour_rights"
    """Exploited at work (before arrival): legal aid on remedies, facts to the identification
    authority (¶21); a wage claim and the inspectorate only for work done here (module 7)."""
    FAMILY_TRACING = "family_tracing"
    COUNSELLING = "counselling"


NEED_LABELS: dict[Need, str] = {
    Need.URGENT_MEDICAL: "Urgent medical care",
    Need.CHILD_PROTECTION: "Child protection and a best interests procedure",
    Need.TRAFFICKING_REFERRAL: "Referral for identification as a possible victim of trafficking",
    Need.ASYLUM_INFORMATION: "Information on and access to the asylum procedure",
    Need.SPECIFIC_NEEDS: "Support for specific needs (women at risk, survivors, disability...)",
    Need.LABOUR_RIGHTS: "Labour rights: legal aid on remedies, facts to the identification "
    "authority",
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
    """The main reason for leaving the person gives (a child too young to say travels because
    the family left: ``with_family``)."""

    WORK = "work"
    FAMILY = "family"
    """To join family abroad (reunification), the other reason of an economic migrant."""
    STUDY = "study"
    ENVIRONMENT = "environment"
    SAFETY = "safety"
    WITH_FAMILY = "with_family"


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


class NeedCategory(StrEnum):
    """UNHCR's eleven top-level specific-needs categories (UNHCR, Guidance on the Use of
    Standardized Specific Needs Codes, Annex 2 to IOM/030-FOM/030/2009; REFERENCE_screening.md
    §3), the code in the value. Derived by :mod:`mixedflows.screening` from a person's facts:
    some are observed (a serious medical condition), some follow from other facts (a child at
    risk, an unaccompanied child, specific legal and physical protection needs)."""

    CR = "child_at_risk"
    SC = "unaccompanied_or_separated_child"
    WR = "woman_at_risk"
    ER = "older_person_at_risk"
    SP = "single_parent_or_caregiver"
    DS = "disability"
    SM = "serious_medical_condition"
    FU = "family_unity"
    LP = "specific_legal_and_physical_protection_needs"
    TR = "torture"
    SV = "sgbv"
    VS = "survivor_of_violence"
    """Not a UNHCR code: violence told (beaten, abducted, held captive by smugglers or an
    employer) that is not shown to be torture (CAT art. 1: by or with the consent of a public
    official). Referred for care all the same (issue 10, second cold trial)."""


NEED_CATEGORY_LABELS: dict[NeedCategory, str] = {
    NeedCategory.CR: "Child at risk",
    NeedCategory.SC: "Unaccompanied or separated child",
    NeedCategory.WR: "Woman at risk",
    NeedCategory.ER: "Older person at risk",
    NeedCategory.SP: "Single parent or caregiver",
    NeedCategory.DS: "Disability",
    NeedCategory.SM: "Serious medical condition",
    NeedCategory.FU: "Family unity",
    NeedCategory.LP: "Specific legal and physical protection needs",
    NeedCategory.TR: "Torture",
    NeedCategory.SV: "Sexual and gender-based violence",
    NeedCategory.VS: "Survivor of violence (referred for care; not a UNHCR code)",
}


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
    companion: str = ""
    """Who exactly they travel with, in a word ("father", "aunt", "daughter-in-law"); "" gives
    the narrative's default for the company (a mother, an older cousin, relatives)."""
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
    married: bool = False
    """Married (a spouse may travel with them or not); for a child, a child at risk."""
    pregnant: bool = False
    """Pregnant (a late pregnancy with complications is also an urgent condition)."""
    serious_harm_on_return: bool = False
    """Says they would face torture or other serious harm if returned, for a reason that need
    not be a Convention ground (CAT art. 3; ICCPR art. 7): a protection need all the same."""
    transit_conflict: str = ""
    """A transit country whose war the person fled (e.g. "Libya" in 2011), or "": flight from
    a war in a transit country is not by itself a need for protection from the country of
    origin."""
    says_agreed: bool = False
    """Says they agreed to go with the people who recruited or moved them. Not an indicator (it
    is never marked as one): consent is irrelevant, for a child always (Palermo art. 3(c): no
    means is needed), for an adult where any of the means was used (art. 3(b)); the trafficking
    referral says so."""
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
    def is_married(self) -> bool:
        return self.married or self.company is Company.SPOUSE

    @property
    def is_pregnant(self) -> bool:
        return self.pregnant or UrgentCondition.LATE_PREGNANCY in self.urgent

    @property
    def treated_as_child(self) -> bool:
        """A child, or a person whose adult age is in doubt: the benefit of the doubt applies
        until an age assessment (CRC General Comment No. 6)."""
        return self.is_child or self.age_in_doubt

    @property
    def family_companion(self) -> str:
        """The parent or relative the person travels with, in a word, as the narrative names them
        (a parent: the ``companion`` or "mother"; a relative: the ``companion``, or "older cousin"
        for a child, "relatives" for an adult); "" for any other company."""
        if self.company is Company.PARENT:
            return self.companion or "mother"
        if self.company is Company.RELATIVE:
            return self.companion or ("older cousin" if self.treated_as_child else "relatives")
        return ""
