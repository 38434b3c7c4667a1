"""Referrals in words: why each referral is called for, and the source it rests on.

The decisions (which referrals, which profiles) are made in :mod:`mixedflows.screening`; this
module writes the rationale of each referral from the person's facts, cites each framework
(each UNHCR specific-needs category to its own source), and holds the predicates the rules and
the texts share (protection indicated, unaccompanied or separated, what counselling may say
about return, whether to interview apart). Every sentence is generated from the facts and the
data it describes, never typed beside them.

The sources (each referral's citation, the UNHCR categories' sources) and the result types are
in :mod:`~mixedflows.referrals.sources`, the predicates in :mod:`~mixedflows.referrals.facts`,
the rationale of each referral in :mod:`~mixedflows.referrals.rationales`; every name is
importable from here.
"""

from __future__ import annotations

from mixedflows.referrals.facts import (
    FAMILY_COMPANY,
    PREGNANT_ALONE_CAVEAT,
    family_may_be_involved,
    interview_apart,
    physical_protection,
    pointing_to_trafficking,
    pregnant_alone,
    protection_indicated,
    return_counselling,
    sgbv_told,
    stranded,
    survivor_of_violence,
    unaccompanied_or_separated,
)
from mixedflows.referrals.facts import (
    _interview_apart as _interview_apart,
)
from mixedflows.referrals.rationales import (
    _RATIONALES as _RATIONALES,
)
from mixedflows.referrals.rationales import (
    LABOUR_ABROAD_ROUTE,
    WORK_ABROAD,
    labour_rights_indicated,
)
from mixedflows.referrals.rationales import (
    _categories as _categories,
)
from mixedflows.referrals.rationales import (
    _Context as _Context,
)
from mixedflows.referrals.sources import (
    AGE_ASSESSMENT,
    ANSWERED_BY,
    ASYLUM,
    CATEGORY_SOURCES,
    CHILD_PROTECTION,
    CODES,
    CODES_CAVEAT,
    FAMILY_TRACING,
    LABOUR_ABROAD,
    NON_REFOULEMENT,
    PRIMA_FACIE,
    PRIORITY,
    RAW_CATEGORY,
    SERIOUS_HARM,
    SERVICE_NEEDS,
    SPECIFIC_NEEDS,
    STRANDED_COUNSELLING,
    STRANDED_PROTECTION,
    TRAFFICKER_NEARBY_SOURCE,
    WORK_PLACES,
    CategoryFinding,
    Referral,
    ReturnCounselling,
    where_worked,
)

__all__ = [
    "AGE_ASSESSMENT",
    "ANSWERED_BY",
    "ASYLUM",
    "CATEGORY_SOURCES",
    "CHILD_PROTECTION",
    "CODES",
    "CODES_CAVEAT",
    "FAMILY_COMPANY",
    "FAMILY_TRACING",
    "LABOUR_ABROAD",
    "LABOUR_ABROAD_ROUTE",
    "NON_REFOULEMENT",
    "PREGNANT_ALONE_CAVEAT",
    "PRIMA_FACIE",
    "PRIORITY",
    "RAW_CATEGORY",
    "SERIOUS_HARM",
    "SERVICE_NEEDS",
    "SPECIFIC_NEEDS",
    "STRANDED_COUNSELLING",
    "STRANDED_PROTECTION",
    "TRAFFICKER_NEARBY_SOURCE",
    "WORK_ABROAD",
    "WORK_PLACES",
    "CategoryFinding",
    "Referral",
    "ReturnCounselling",
    "family_may_be_involved",
    "interview_apart",
    "labour_rights_indicated",
    "physical_protection",
    "pointing_to_trafficking",
    "pregnant_alone",
    "protection_indicated",
    "return_counselling",
    "sgbv_told",
    "stranded",
    "survivor_of_violence",
    "unaccompanied_or_separated",
    "where_worked",
]
