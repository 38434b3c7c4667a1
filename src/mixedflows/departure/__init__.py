"""Module 3, "Before departure" (MC/INF/294 ¶14-15, ¶26; deck IV.2, IV.4).

- :mod:`.evidence`: the findings and studies, each with its source and verification tag;
- :mod:`.campaign`: designing an information campaign, graded against criteria drawn from the
  evaluation evidence (grader ``departure.campaign``);
- :mod:`.development`: predict, then see, on development and emigration in the short run
  (grader ``departure.development``).

The graders are listed in :mod:`mixedflows.registry`.
"""

from __future__ import annotations

from mixedflows.departure.campaign import (
    CampaignBrief,
    Criterion,
    CriterionResult,
    assess,
    coerce_design,
    grade_campaign,
    load_brief,
)
from mixedflows.departure.development import (
    CHOICES,
    DISAGREE,
    Study,
    grade_development,
    studies,
    what_the_evidence_says,
)
from mixedflows.departure.evidence import Finding, findings

__all__ = [
    "CHOICES",
    "DISAGREE",
    "CampaignBrief",
    "Criterion",
    "CriterionResult",
    "Finding",
    "Study",
    "assess",
    "coerce_design",
    "findings",
    "grade_campaign",
    "grade_development",
    "load_brief",
    "studies",
    "what_the_evidence_says",
]
