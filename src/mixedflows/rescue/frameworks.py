"""The frameworks of rescue at sea and of holding facilities, named once (MC/INF/294 ¶16, ¶19).

Each :class:`~mixedflows.citations.Citation` says where its text was read: several were read
only through a secondary source (``../shared/domain/REFERENCE_modules.md`` §C), and the caveat
says so wherever a learner sees the citation.
"""

from __future__ import annotations

from mixedflows.citations import Citation, para

UNCLOS_98 = Citation(
    framework="UNCLOS (1982) art. 98: the master renders assistance to any person found at sea "
    "in danger of being lost; coastal States maintain search-and-rescue services and cooperate",
    seed=para(16),
)
SOLAS_33_1 = Citation(
    framework="SOLAS ch. V reg. 33.1, as amended in 2004 (MSC.153(78)): assistance regardless "
    "of the nationality or status of the persons or the circumstances in which they are found",
    seed=para(16, 17),
    caveat="English text read as quoted in a Norwegian bill (Ot.prp. nr. 31, 2005-06)",
)
SOLAS_33_6 = Citation(
    framework="SOLAS ch. V reg. 33.6 (2004 amendments): the master treats the persons rescued "
    "with humanity, within the capabilities and limitations of the ship",
    seed=para(16, 19),
    caveat="English text read as quoted in a Norwegian bill (Ot.prp. nr. 31, 2005-06)",
)
COORDINATION = Citation(
    framework="SOLAS ch. V reg. 33.1-1 (governments coordinate and cooperate to deliver the "
    "persons rescued to a place of safety) and IMO Guidelines on the Treatment of Persons "
    "Rescued at Sea, MSC.167(78) (2004), para. 2.5: the government responsible for the "
    "search-and-rescue region provides, or ensures, a place of safety",
    seed=para(16),
    caveat="para. 2.5 read as quoted in the IMO/UNHCR leaflet Rescue at Sea",
)
PLACE_OF_SAFETY = Citation(
    framework="IMO Guidelines on the Treatment of Persons Rescued at Sea, MSC.167(78) (2004), "
    "para. 6.12: a place of safety is where the survivors' life is no longer threatened, "
    "their basic needs (food, shelter, medical care) are met and onward transport can be "
    "arranged",
    seed=para(16, 19),
    caveat="para. 6.12 read as quoted in the IMO/UNHCR leaflet Rescue at Sea",
)
TEMPORARY_SHIP = Citation(
    framework="IMO Guidelines MSC.167(78), para. 6.13: the rescuing ship is only a temporary "
    "place of safety",
    seed=para(16),
    caveat="para. 6.13 read as quoted in the IMO/UNHCR leaflet Rescue at Sea",
)
NON_REFOULEMENT_AT_SEA = Citation(
    framework="Non-refoulement applies at sea: Hirsi Jamaa and Others v. Italy (ECtHR Grand "
    "Chamber, no. 27765/09, 23 Feb 2012: art. 3 ECHR, art. 4 of Protocol 4, art. 13); CAT "
    "General Comment No. 4 (2017), para. 4 ('pushback operations (including at sea)')",
    seed=para(7, 16),
)
RESCUE_LEAFLET = Citation(
    framework="IMO/UNHCR, Rescue at Sea: a guide to principles and practice as applied to "
    "refugees and migrants (2006; revised with ICS, 2015): when rescued people ask for asylum, "
    "alert the RCC and contact UNHCR, do not disembark them in the country they fled, and do "
    "not share their personal data with it",
    seed=para(7, 16),
    caveat="the leaflet's advice read in a secondary summary, not in the leaflet",
)
SCREENING_NOT_STATUS = Citation(
    framework="Screening refers, it does not determine status (UNHCR 10-Point Plan, point 5); "
    "the duty to assist applies regardless of status (SOLAS ch. V reg. 33.1)",
    seed=para(17),
)
WELFARE_FIRST_AT_SEA = Citation(
    framework="Acute welfare needs first (UNHCR 10-Point Plan, point 4); the master treats the "
    "persons rescued with humanity (SOLAS ch. V reg. 33.6)",
    seed=para(17, 19),
)
CHILDREN_AT_SEA = Citation(
    framework="CRC General Comment No. 6 (2005): an unaccompanied or separated child is "
    "identified at once and referred to child protection; children stay with their parents",
    seed=para(19, 21),
)
SEPARATE_SPACE = Citation(
    framework="MC/INF/294 ¶19 (separate housing and sanitary facilities for women and children); "
    "SOLAS ch. V reg. 33.6 (humanity, within the ship's capabilities)",
    seed=para(19),
)
RECEPTION_READY = Citation(
    framework="Capacity to act when sudden inflows occur (MC/INF/294 ¶16); at the place of "
    "safety basic needs are met (IMO Guidelines MSC.167(78), para. 6.12)",
    seed=para(16, 19),
    caveat="para. 6.12 read as quoted in the IMO/UNHCR leaflet Rescue at Sea",
)

# --- Holding facilities and alternatives to detention (¶19) -----------------------------------

DETENTION_GUIDELINES = (
    "UNHCR Detention Guidelines (2012), issued under UNHCR's Statute and art. 35 of the 1951 "
    "Convention"
)
GUIDELINES_CAVEAT = "the Guidelines' titles were verified, their numbering and paragraph text not"

LIBERTY = Citation(
    framework=DETENTION_GUIDELINES + ": the right to seek asylum; liberty and freedom of "
    "movement apply to asylum-seekers; detention must be lawful, not arbitrary, and rest on "
    "an individual assessment",
    seed=para(19),
    caveat=GUIDELINES_CAVEAT,
)
NO_ARBITRARY_DETENTION = Citation(
    framework="ICCPR (1966), art. 9(1): everyone has the right to liberty, and no one shall be "
    "subjected to arbitrary detention, whatever their status; "
    + DETENTION_GUIDELINES
    + " (for asylum-seekers) and ExCom Conclusion No. 44 (1986, for refugees and asylum-seekers) "
    "say the same for the people they cover: no detention without an individual assessment of "
    "its necessity",
    seed=para(19),
    caveat="ICCPR art. 9 is cited from its well-known first paragraph, not read for this course; "
    + GUIDELINES_CAVEAT,
)
CHILDREN_NOT_DETAINED = Citation(
    framework="UNHCR Issue Brief (Jan 2017), building on the Detention Guidelines (2012): "
    "children should never be detained for immigration purposes; New York Declaration (2016), "
    "para. 33: detention is 'seldom, if ever' in a child's best interests",
    seed=para(19, 21),
    caveat="both read through secondary sources (idcoalition.org)",
)
CHILD_CARE = Citation(
    framework="CRC General Comment No. 6 (2005): care and accommodation, and a guardian, for an "
    "unaccompanied or separated child; UNHCR Issue Brief (2017): no immigration detention of "
    "children",
    seed=para(19, 21),
    caveat="the Issue Brief read through a secondary source",
)
TRAFFICKING_ASSISTANCE = Citation(
    framework="Council of Europe Convention on Action against Trafficking (2005), arts. 10(2), "
    "12 and 13: where there are reasonable grounds, no removal, assistance, and a recovery and "
    "reflection period of at least 30 days; Directive 2011/36/EU, art. 11(2)",
    seed=para(17, 21),
    caveat="treaty text read in official French and Italian and in a secondary English copy",
)
MEDICAL_FIRST = Citation(
    framework="MC/INF/294 ¶19: access to adequate medical care; acute welfare needs first "
    "(UNHCR 10-Point Plan, point 4)",
    seed=para(17, 19),
)
FACILITY_CONDITIONS = Citation(
    framework=DETENTION_GUIDELINES + ": humane and dignified conditions; MC/INF/294 ¶19: strict "
    "and carefully monitored legal and human rights standards",
    seed=para(19),
    caveat=GUIDELINES_CAVEAT,
)
SEPARATE_FACILITIES = Citation(
    framework="MC/INF/294 ¶19: separate housing and sanitary facilities for women and children",
    seed=para(19),
)
MEDICAL_ACCESS = Citation(
    framework="MC/INF/294 ¶19: access to adequate medical care", seed=para(19)
)
ASYLUM_ACCESS = Citation(
    framework=DETENTION_GUIDELINES + ": respect the right to seek asylum; procedural safeguards",
    seed=para(17, 19),
    caveat=GUIDELINES_CAVEAT,
)
MONITORING = Citation(
    framework=DETENTION_GUIDELINES + ": independent monitoring; MC/INF/294 ¶19 ('strict and "
    "carefully monitored')",
    seed=para(19),
    caveat=GUIDELINES_CAVEAT,
)
TIME_LIMIT = Citation(
    framework=DETENTION_GUIDELINES + ": no indefinite detention; maximum periods set in law",
    seed=para(19),
    caveat=GUIDELINES_CAVEAT,
)
REVIEW = Citation(
    framework=DETENTION_GUIDELINES + ": procedural safeguards (a decision that can be "
    "reviewed); detention must not be arbitrary",
    seed=para(19),
    caveat=GUIDELINES_CAVEAT,
)
