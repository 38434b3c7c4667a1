"""What :mod:`mixedflows.referrals` cites and returns: the order referrals are listed
in, each referral's citation (framework and seed paragraph), the sources of the UNHCR
specific-needs categories and the codes, and the result types (:class:`Referral`,
:class:`CategoryFinding`, :class:`ReturnCounselling`).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

from mixedflows import citations as cite
from mixedflows.citations import Citation, para
from mixedflows.profiles import (
    NEED_CATEGORY_LABELS,
    NEED_LABELS,
    Need,
    NeedCategory,
    Person,
    SpecificNeed,
)

PRIORITY: tuple[Need, ...] = (
    Need.URGENT_MEDICAL,
    Need.CHILD_PROTECTION,
    Need.TRAFFICKING_REFERRAL,
    Need.ASYLUM_INFORMATION,
    Need.SPECIFIC_NEEDS,
    Need.LABOUR_RIGHTS,
    Need.FAMILY_TRACING,
    Need.COUNSELLING,
)
"""The order referrals are *listed* in. It is not graded: only the hard constraints of
:mod:`mixedflows.constraints` are (welfare first, a child's protection never waits, counselling
never replaces a referral)."""


# Citations of the referrals, each naming its framework and the seed paragraph.
CHILD_PROTECTION = Citation(
    framework=cite.CRC_GC6.framework + "; UNHCR 10-Point Plan in Action (2011), ch. 6.1",
    seed=cite.para(17, 21),
)


AGE_ASSESSMENT = Citation(
    framework="Where age is in doubt, the benefit of the doubt: treated as a child until an "
    "age assessment (UNHCR Guidelines on unaccompanied children seeking asylum, 1997; "
    "Directive 2011/36/EU art. 13(2), presumption of minority for a possible victim of "
    "trafficking; UN General Assembly A/79/213, 2024, recommendation (j)). CRC General "
    "Comment No. 6 (2005) deals with it under initial assessment (paras. 31-32); its own "
    "wording could not be read for this course. Praesidium: Save the Children's mandate to "
    "help develop an age-assessment procedure at Lampedusa",
    seed=cite.para(17, 21),
)
"""Not ¶18: it names IOM, UNHCR and the Italian Red Cross at Lampedusa, not Save the Children
or age assessment (trainer's review of issue 10)."""


NON_REFOULEMENT = (
    "ICCPR art. 7 (Human Rights Committee General Comment No. 31, para. 12), whoever would "
    "inflict the harm; CAT art. 3 where a public official would inflict, instigate or consent "
    "to the torture (CAT art. 1)"
)
"""ICCPR art. 7 first: a feared harm from private actors (Omar S.: 'the men who threatened
him') is not torture under CAT art. 1 unless a public official takes part or consents
(trainer's review of issue 10)."""


ASYLUM = Citation(
    framework=cite.REFUGEE_DEFINITION.framework + "; UNHCR 10-Point Plan in Action (2011), "
    "ch. 6.5 (asylum procedures)",
    seed=cite.para(7, 17),
)


SERIOUS_HARM = Citation(
    framework=f"Non-refoulement beyond refugee law: {NON_REFOULEMENT}; UNHCR 10-Point Plan in "
    "Action (2011), ch. 6.5",
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
    seed=cite.para(17, 20),
)
"""Not ¶21, which recommends consular assistance: the rule that suspends it for a person with a
protection need is UNHCR's Advisory Opinion (2005), cited in the framework (trainer's review of
issue 10)."""


LABOUR_ABROAD = Citation(
    framework="MC/INF/294 ¶21: protection of the human rights of migrants, including labour "
    "rights, through national legal structures, and access to legal redress for human rights "
    "violations; ILO Migrant Workers (Supplementary Provisions) Convention, 1975 (No. 143), "
    "art. 9(1): equality of treatment in rights arising from past employment (where such "
    "rights are claimed is national law's, not the Convention's); ILO Forced Labour Convention, 1930 (No. 29), art. 2(1); ILO Indicators of Forced "
    "Labour (2012)",
    seed=para(21),
    caveat="what redress a court here can give for work done abroad depends on national law "
    "and is not settled by these texts; the ILO forced-labour indicators were read in "
    "secondary summaries",
)
"""The labour-rights referral at first contact (:func:`_labour_rights`): the work told was done
before arrival, abroad (trainer's review of issue 10: a wage claim and the labour inspectorate
here were offered for work done in Libya, Nouadhibou or Jeddah)."""


WORK_PLACES: dict[str, str] = {
    "labour_in_transit": "in Libya",
    "labour_recruited_in_transit": "in Libya",
    "labour_on_the_atlantic_route": "in Nouadhibou, Mauritania",
    "domestic_work_gulf": "in Jeddah, Saudi Arabia, on an earlier journey",
    "child_labour": "on the way",
}
"""Where each story places the work it tells (the sentences of ``narratives.testimony``)."""


def where_worked(p: Person) -> str:
    """Where the work a person tells of was done, as the story tells it. Screening happens on
    arrival, so work told there was done before: on the way or on an earlier journey."""
    return WORK_PLACES.get(p.story, "before arriving here (where is not told yet)")


CODES = "UNHCR, Guidance on the Use of Standardized Specific Needs Codes (2009)"


CODES_CAVEAT = (
    "the guidance itself was not read: its eleven categories were read in a public script that "
    "cites it, and the two-letter codes only in a third-party application's list"
)
"""The provenance of the UNHCR specific-needs categories and codes (REFERENCE_screening.md §3:
the categories [S], the codes [S-weak]), said wherever they are cited (trainer trial of issue
10, point 2)."""


SPECIFIC_NEEDS = Citation(
    framework=f"{CODES}, as referred to by the UNHCR Emergency Handbook ('Persons at risk')",
    seed=cite.para(8, 19),
    caveat=CODES_CAVEAT,
)


CATEGORY_SOURCES: dict[NeedCategory, str] = {
    NeedCategory.CR: f"{CODES}, category CR; UNHCR 10-Point Plan in Action (2011), ch. 6.1",
    NeedCategory.SC: f"CRC General Comment No. 6 (2005); {CODES}, category SC",
    NeedCategory.WR: f"{CODES}, category WR; UNHCR 10-Point Plan in Action (2011), ch. 6.3 "
    "(procedures for identifying women and girls at risk)",
    NeedCategory.ER: f"{CODES}, category ER",
    NeedCategory.SP: f"{CODES}, category SP",
    NeedCategory.DS: f"{CODES}, category DS (and UNHCR's separate disability guidance)",
    NeedCategory.SM: f"{CODES}, category SM",
    NeedCategory.FU: f"{CODES}, category FU; UNHCR 10-Point Plan in Action (2011), ch. 6.2",
    NeedCategory.LP: f"{CODES}, category LP; for a risk of serious harm on return "
    f"(non-refoulement): {NON_REFOULEMENT}",
    NeedCategory.TR: f"{CODES}, category TR (torture: CAT art. 1, by or with the consent of a "
    "public official)",
    NeedCategory.SV: f"{CODES}, category SV; IASC Guidelines for Integrating Gender-Based "
    "Violence Interventions in Humanitarian Action (2015)",
    NeedCategory.VS: "UNHCR 10-Point Plan in Action (2011), ch. 6 (referral to care); violence "
    "by smugglers, captors or an employer is not coded TR unless it is torture (CAT art. 1)",
}
"""Each UNHCR category cited to its own source (the category list: REFERENCE_screening.md §3)."""


TRAFFICKER_NEARBY_SOURCE = (
    f"{CODES}, category LP; for protection from a possible trafficker in the person's group: "
    "Council of Europe Convention on Action against Trafficking in Human Beings (CETS 197), "
    "art. 13 (a recovery and reflection period, as soon as there are reasonable grounds, to "
    "recover and escape the traffickers' influence) and art. 10(2) (no removal until "
    "identification is completed); Directive 2011/36/EU art. 11(2) (assistance and support on "
    "reasonable grounds). No verified source in this course speaks of protection from a "
    "trafficker nearby at first contact: the provisions on the physical safety and protection "
    "of victims (Palermo Protocol art. 6(5); CETS 197 art. 28) could not be checked in the "
    "course's sources and are not cited"
)
"""What LP is cited for when a possible trafficker is in the person's group (fourth trial of
issue 10, major 3): not non-refoulement. Only what REFERENCE_screening.md §2.2-2.3 verifies."""


RAW_CATEGORY: dict[SpecificNeed, NeedCategory] = {
    SpecificNeed.WOMAN_AT_RISK: NeedCategory.WR,
    SpecificNeed.SURVIVOR_OF_VIOLENCE: NeedCategory.TR,
    SpecificNeed.SERIOUS_MEDICAL: NeedCategory.SM,
    SpecificNeed.DISABILITY: NeedCategory.DS,
    SpecificNeed.OLDER_PERSON: NeedCategory.ER,
    SpecificNeed.SINGLE_PARENT: NeedCategory.SP,
    SpecificNeed.FAMILY_UNITY: NeedCategory.FU,
}


ANSWERED_BY: dict[NeedCategory, Need] = {
    NeedCategory.CR: Need.CHILD_PROTECTION,
    NeedCategory.SC: Need.CHILD_PROTECTION,
    NeedCategory.FU: Need.FAMILY_TRACING,
    **{c: Need.SPECIFIC_NEEDS for c in (NeedCategory.WR, NeedCategory.ER, NeedCategory.SP)},
    **{c: Need.SPECIFIC_NEEDS for c in (NeedCategory.DS, NeedCategory.SM, NeedCategory.TR)},
    NeedCategory.VS: Need.SPECIFIC_NEEDS,
    NeedCategory.SV: Need.SPECIFIC_NEEDS,
}
"""Which referral answers each category (LP is answered by the procedure that protects: the
asylum procedure, or the trafficking referral and child protection)."""


SERVICE_NEEDS = tuple(s for s, c in RAW_CATEGORY.items() if ANSWERED_BY[c] is Need.SPECIFIC_NEEDS)


ReturnCounselling = Literal[
    "offered", "not_while_claim_pending", "after_risk_assessment", "after_best_interests"
]


@dataclass(frozen=True)
class Referral:
    need: Need
    rationale: str
    citation: Citation

    @property
    def label(self) -> str:
        return NEED_LABELS[self.need]


@dataclass(frozen=True)
class CategoryFinding:
    """One UNHCR specific-needs category that applies, with its own source."""

    category: NeedCategory
    reason: str
    source: str
    answered_by: Need | None
    """The referral that answers it (None: the protection procedure the person is referred to)."""
    possible: bool = False
    """The category depends on a fact not yet known (torture, TR, needs a public official's
    part, CAT art. 1): listed as possible, with the question that settles it in :attr:`reason`."""

    @property
    def label(self) -> str:
        name = NEED_CATEGORY_LABELS[self.category]
        return f"Possible {name.lower()} ({self.category.name})" if self.possible else name
