"""The rules of :mod:`mixedflows.trafficking`, written once: the citations, the three
elements (Palermo art. 3(a)), the ILO/EC dimensions and their combination, what is uncertain
about them, and the readings this course makes (a promise shown false, confinement a means,
being held at work, a child's receipt), with :func:`rule_lines`, the two thresholds in words.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING

from mixedflows.citations import Citation, para

if TYPE_CHECKING:
    from mixedflows.trafficking.observations import Indicator


# --- Citations ---------------------------------------------------------------------------------

REFERRAL_FRAMEWORK = (
    "Palermo Protocol (2000), art. 3(a) (act, means, purpose); on reasonable grounds, no "
    "removal before identification (Council of Europe Convention on Action against "
    "Trafficking, CETS 197, art. 10(2)) and assistance and support (EU Directive 2011/36/EU, "
    "art. 11(2)); UNHCR 10-Point Plan in Action (2011), ch. 6.4"
)


CHILD_FRAMEWORK = (
    "Palermo Protocol (2000), art. 3(c)-(d): for a child (under 18) no means is required; on "
    "reasonable grounds, no removal before identification (CETS 197 art. 10(2)) and "
    "assistance (Directive 2011/36/EU art. 11(2)); a person whose age is uncertain is presumed "
    "a child (Directive art. 13(2)); UNHCR 10-Point Plan in Action (2011), ch. 6.1 and 6.4"
)


ILO_FRAMEWORK = (
    "ILO/EC Operational indicators of trafficking in human beings (2009): a tool for data "
    "collection and identification by the competent institutions, not a referral threshold"
)


CAVEAT = (
    "which element each fact evidences is this course's reading of Palermo art. 3(a); the "
    "ILO/EC labour lists, their weights and the dimension rule come from a secondary "
    "transcription of the brochure and await checking; the ILO/EC lists for sexual exploitation "
    "await transcription; CETS 197 art. 10(2) was read in a verbatim copy of uncertain "
    "provenance and Directive 2011/36/EU art. 11(2) only in translation (German, Russian, "
    "Bulgarian), not in the English original; the result is an indication for referral, not "
    "an identification"
)


CITATION = Citation(framework=REFERRAL_FRAMEWORK, seed=para(7, 17), caveat=CAVEAT)


CHILD_CITATION = Citation(framework=CHILD_FRAMEWORK, seed=para(7, 17, 21), caveat=CAVEAT)


ILO_CITATION = Citation(framework=ILO_FRAMEWORK, seed=para(17), caveat=CAVEAT)


SEXUAL_LISTS_MISSING = (
    "The ILO/EC lists for sexual exploitation (adults and children) are not in this course: "
    "they await transcription from the ILO brochure (WCMS_105023). A story of sexual "
    "exploitation is read against the Palermo elements only, never against the labour list."
)


# --- The three elements (Palermo art. 3(a)) ------------------------------------------------------

ELEMENTS: tuple[str, ...] = ("act", "means", "purpose")


ELEMENT_NAMES: dict[str, str] = {
    "act": "the act (recruitment, transportation, transfer, harbouring or receipt)",
    "means": "the means (deception, force, threats, coercion, abduction, a debt, documents "
    "taken, confinement, or abuse of power or of a position of vulnerability)",
    "purpose": "the purpose (exploitation: forced labour or services, sexual exploitation, "
    "slavery, servitude or debt bondage, forced criminal activity, removal of organs)",
}


_ASK_AHEAD = (
    "what awaits them at destination, since the purpose is an intent and may still lie ahead "
    "(Palermo art. 3(a): 'for the purpose of exploitation'): who is to meet them there, what "
    "work they are to do and for whom, what they owe and how they are to repay it"
)
"""The question for the purpose when nothing has been told of exploitation yet (trainer trial of
issue 10, point 1: a woman promised a job, escorted and threatened, her exploitation still
ahead, was asked 'what they were made to do')."""


_ASK_HELD = (
    "what they were made to do while held (work, sex, crimes, tasks they could not refuse) and "
    "what awaits them at destination"
)
"""The question for the purpose when the person was held and nothing of exploitation is told
(trainer's cold trial of issue 10, major 2: a man held for ransom was asked only what awaited
him at destination)."""


HELD_NO_PURPOSE = (
    "Being held is the act (harbouring); what is missing is the exploitative purpose. Money "
    "demanded for someone's release (a ransom) or taken from them is extortion, not by itself a "
    "purpose Palermo names: the purpose needs exploitation told (work, sexual exploitation, "
    "servitude, forced crime) or intended."
)
"""What the feedback says of a person held with no exploitation told (major 2)."""


INTENDED: tuple[str, ...] = ("se.journey_debt", "d2.debt_bondage")
"""Observations that show a purpose still ahead (an exploitation intended at destination)."""


_ASK: dict[str, str] = {
    "act": "who recruited, transported, housed or received them, and how they came to where "
    "they were kept or made to work, if anywhere",
    "means": "whether they were deceived about the job, the pay or the conditions, threatened, "
    "beaten, confined, kept in debt, had their documents taken, or had their situation abused",
    "purpose": "what they were made to do: work without pay or for excessive hours, tasks they "
    "could not refuse, sell sex, repay a debt by working, commit crimes",
}


# --- The ILO/EC dimensions (labour lists) ------------------------------------------------------

DIMENSIONS: dict[int, str] = {
    1: "Deceptive recruitment",
    2: "Coercive recruitment",
    3: "Recruitment by abuse of vulnerability",
    4: "Exploitation",
    5: "Coercion at destination",
    6: "Abuse of vulnerability at destination",
}


RECRUITMENT = (1, 2, 3)


EXPLOITATION = 4


MEANS_AT_DESTINATION = (5, 6)


WEIGHTS = ("S", "M", "W")


WEIGHT_LABELS = {"S": "strong", "M": "medium", "W": "weak"}


DIMENSION_RULE = (
    "A dimension is positive with 2 strong indicators, or 1 strong and 1 medium or weak, "
    "or 3 medium, or 2 medium and 1 weak (ILO/EC brochure p.3, as cited by a secondary source)."
)


COMBINATION: dict[str, tuple[tuple[str, tuple[int, ...]], ...]] = {
    "adult": (
        ("a recruitment dimension (1-3)", RECRUITMENT),
        ("exploitation (4)", (EXPLOITATION,)),
        ("coercion or abuse of vulnerability at destination (5 or 6)", MEANS_AT_DESTINATION),
    ),
    "child": (
        ("a recruitment dimension (1-3)", RECRUITMENT),
        ("exploitation (4)", (EXPLOITATION,)),
    ),
}
"""The ILO/EC view: which groups of dimensions must each have a positive dimension. Not verified
against the ILO text (REFERENCE_screening.md §1.4, contradiction 2)."""


ILO_UNCERTAIN: dict[str, str] = {
    who: f"Uncertain: the {whose} labour list, its weights, the dimension rule and this "
    "combination come from a secondary transcription, not checked against the ILO brochure; "
    f"the list for {people} trafficked for sexual exploitation could not be read, so it is "
    "not used here."
    for who, whose, people in (("adult", "adults'", "adults"), ("child", "children's", "children"))
}
"""What the ILO/EC line says it cannot vouch for, for an adult and for a child alike (trainer
trial of issue 10, point 9: the child line said nothing of the children's sexual-exploitation
list, which was not read either)."""


PURPOSE_AS_INTENT = (
    "The purpose is an intent and may still lie ahead (Palermo art. 3(a): 'for the purpose of "
    "exploitation'): a debt for the journey to be repaid by work at destination is read as "
    "grounds for it (debt bondage, a practice similar to slavery: this course's reading). An "
    "oath sworn to repay the debt is a means (coercion), not the purpose."
)


PROMISE_RULE = (
    "A promise (of a job, of earnings, of school) is the act of recruitment; it counts as "
    "deception, a means under Palermo art. 3(a), once the facts show it false (the job did not "
    "exist, the earnings never came). A promise not yet broken is not a means: this is the "
    "course's reading of art. 3(a)."
)
"""When a promise is deception (the lead's decision, third cold trial of issue 10)."""


CONFINEMENT_IS_A_MEANS = (
    "Confinement, surveillance or documents kept are coercion (a means: the ILO/EC labour list "
    "files them under 'coercive recruitment' (dimension 2) when done during recruitment or "
    "transport, and under 'coercion at destination' (dimension 5) when done where the person "
    "is exploited; ILO Indicators of Forced Labour, 2012: restriction of movement, retention of "
    "identity documents), never by themselves the purpose: the purpose needs exploitation "
    "(forced labour or services, sexual exploitation, servitude or debt bondage, forced crime), "
    "told, or inferred as an intent when at least two signs of control follow a recruitment for "
    "work abroad."
)
"""Why being held is a means, and where the ILO/EC labour list files it (trainer trial of issue
10, point 4: a passport kept by an escort during the crossing was said to be 'coercion at
destination'). The labour list has confiscation of documents and confinement in dimension 2
as well as in dimension 5, and the ILO names its recruitment dimensions as including transfer
and transport (REFERENCE.md §1); :func:`held_filing` says it for the facts at hand."""


HELD_UNSETTLED = (
    "{what} is not on the ILO/EC labour list: it was done during the journey, where the labour "
    "list would file it under 'coercive recruitment' (dimension 2), not 'coercion at "
    "destination'; the ILO/EC lists for sexual exploitation could not be read, so where they "
    "file it cannot be settled here"
)
"""Where a Palermo-read observation of being held would sit: the source cannot settle it."""


WORK_RECRUITMENT: tuple[str, ...] = (
    "d1.deceived_about_the_nature_of_the_job_location_or",
    "d1.deceived_about_conditions_of_work",
    "d1.deceived_about_content_or_legality_of_work_contr",
    "d1.deceived_about_wages_earnings",
    "d1.deceived_about_housing_and_living_conditions",
    "d1.deceived_about_legal_documentation_or_obtaining_",
)
"""Deceptive recruitment *for work* (ILO/EC dimension 1, labour list): a job, its conditions, its
pay, its contract, or the housing or the papers that go with it. Not a deception about the
journey (third cold trial of issue 10: a journey that cost more than told is not an offer of
work), nor the promises of marriage, of family reunification or of school."""


PROMISES: tuple[str, ...] = ("se.promised_job_abroad",)
"""Observations that tell a promise only, not yet shown false: the act of recruitment, no means
(:data:`PROMISE_RULE`)."""


HELD_MEANS = ("confinement", "confiscation of documents")


JOB_OFFERS: tuple[str, ...] = (*WORK_RECRUITMENT, "se.promised_job_abroad")
"""Every observation that tells a person was recruited with an offer of work."""


BROKEN_PROMISE = "deception (the job promised proved false: prostitution came instead)"
"""The means a promised job shows once the exploitation that came instead is told (fourth
trial of issue 10, minor 4: "promised a job as a hairdresser", then "forced into prostitution":
the promise proved false, :data:`PROMISE_RULE`)."""


def promise_broken(ind: Indicator) -> bool:
    """The observation tells what came instead of a promised job: the sexual exploitation
    happened (forced into prostitution, the clients' money taken)."""
    return ind.purpose == "sexual exploitation" and bool(ind.act)


def recruited_for_work(ids: Iterable[str]) -> bool:
    """Someone recruited the person with an offer of work (:data:`JOB_OFFERS`), whatever the
    reason they first left for: the reasons for movement may change (MC/INF/294 ¶12)."""
    return bool(set(ids) & set(JOB_OFFERS))


def held_at_work(ind: Indicator) -> bool:
    """The observation tells that the person was held where they worked: confined or
    their documents kept at destination (ILO/EC dimension 5, coercion at destination)."""
    return ind.dimension == MEANS_AT_DESTINATION[0] and ind.means in HELD_MEANS


def coercion_at_work(ind: Indicator) -> bool:
    """A coercion at destination (ILO/EC dimension 5 with a means): the menace of a penalty."""
    return ind.dimension == MEANS_AT_DESTINATION[0] and bool(ind.means)


CONTROL_KINDS: dict[str, str] = {
    "confiscation of documents": "documents held",
    "watched": "being watched",
    "threats": "threats to keep them silent",
    "debt": "a debt to repay by work",
}
"""The four signs of control by the person moving or receiving someone from which the purpose is
inferred after a recruitment for work abroad (:func:`control_kind`, the lead's decision on the
trainer's trial of issue 10): documents held, being watched, threats against the person or their
family to keep them silent, a debt to be repaid by work."""


CONTROL_MIN = 2
"""How many kinds of control (:data:`CONTROL_KINDS`) the inference needs."""


def control_kind(ind: Indicator) -> str:
    """The sign of control the observation shows (a key of :data:`CONTROL_KINDS`), or '', from
    its ``means`` and ``nearby`` columns: documents kept; confinement or surveillance, or a
    coercion by someone in the person's own group (the man on the boat she looks at before
    answering), is being watched; threats; a debt."""
    if ind.means == "confinement" or (ind.means == "coercion" and ind.nearby):
        return "watched"
    return ind.means if ind.means in CONTROL_KINDS else ""


CONTROL_PURPOSE = (
    "exploitation intended at destination, inferred: recruited for work abroad and under the "
    "control of the person moving or receiving them ({facts})"
)
"""The purpose read as an intent from control after a recruitment for work abroad
(:func:`mixedflows.trafficking.purpose_from_control`)."""


CONTROL_CAVEAT = (
    "The purpose is an intent (Palermo art. 3(a): 'for the purpose of exploitation'), inferred "
    "here, not told: the person was recruited for work abroad and is under the control of the "
    "person moving or receiving them ({facts}). Control of this kind after a recruitment for work "
    "abroad is the usual evidence of that intent. Reasonable grounds are a suspicion threshold, "
    "not proof of each element (Directive 2011/36/EU art. 11(2): reasonable grounds to believe "
    "the person might have been subjected to trafficking; CETS 197 art. 10(2)): refer, say the "
    "purpose is inferred, and ask what awaits them at destination; identification by the "
    "competent authority decides."
)
"""What the feedback says when the purpose is inferred from control (:data:`CONTROL_PURPOSE`)."""


CONTROL_RULE = (
    "After a recruitment for work abroad (a promise, broken or not yet), the purpose is also "
    "shown, as an intent inferred and said to be one, when the person is under the control of "
    "the person moving or receiving them, shown by at least two of: "
    + ", ".join(CONTROL_KINDS.values())
    + " (Palermo art. 3(a); reasonable grounds: Directive 2011/36/EU art. 11(2), CETS 197 "
    "art. 10(2))."
)
"""The control rule in words, for the material and for the feedback when it falls short."""


INFERRED_PURPOSE = "forced labour or services, inferred: held where they worked, {basis}"
"""The purpose this course infers (:func:`inferred_purpose`) when no exploitation is told (ILO C29
art. 2(1)), at the threshold of reasonable grounds."""


INFERENCE_CAVEAT = (
    "The purpose is inferred, not told: being held is coercion, not exploitation by itself, but "
    "here the person was held where they worked, {basis}, which gives reasonable "
    "grounds that the work was forced labour (ILO Forced Labour Convention No. 29, art. 2(1): work exacted under the "
    "menace of a penalty, not offered voluntarily). This is uncertain: the frameworks do not say "
    "where the line lies when no exploitation is told. Refer, say it is an inference, and ask "
    "what work they did, for how many hours, and for what pay; the competent authority decides."
)


CHILD_RECEIPT = (
    "a child made to work or held on the way or at destination was received or harboured "
    "for it (the act)"
)
"""The act a child's exploitation shows (Palermo art. 3(c): receipt or harbouring)."""


CHILD_RECEIPT_CAVEAT = (
    "The act is inferred, not told: nobody said who recruited, moved, housed or received the "
    "child; that a child was exploited on the way is read as someone having received or "
    "harboured them for it. This is uncertain (a parent or the child alone may have found "
    "the work): refer through child protection, say it is an inference, and ask who brought "
    "the child to that work and who kept them there."
)
"""What the feedback says when a child's act is inferred (trainer's review of issue 10)."""


def child_receipt(ind: Indicator) -> bool:
    """For a child, this observation shows the act too: exploitation or being held that happened
    (ILO/EC dimensions 4-5 with a purpose) means someone received or harboured the child for it."""
    return bool(ind.purpose) and ind.dimension in (EXPLOITATION, *MEANS_AT_DESTINATION)


def rule_lines() -> list[str]:
    """The two thresholds in words, for the material, written from the constants in use."""
    return [
        "Indications warranting referral (what the first official acts on, on reasonable "
        "grounds): for an adult, " + " + ".join(ELEMENT_NAMES[e] for e in ELEMENTS) + ". "
        "Deception at recruitment is a means. "
        + PROMISE_RULE
        + " "
        + PURPOSE_AS_INTENT
        + " "
        + CONFINEMENT_IS_A_MEANS
        + " Two inferences are drawn, and said to be: first, held where they worked, after a "
        "deceptive recruitment for work or with further coercion there, gives reasonable grounds "
        "for forced labour (ILO Convention No. 29, art. 2(1)); being held alone does not; the "
        "frameworks do not settle where the line lies when no exploitation is told. Second: "
        + CONTROL_RULE
        + " For a child "
        "(under 18, "
        f"or treated as one), {ELEMENT_NAMES['act']} + {ELEMENT_NAMES['purpose']}: no means "
        f"is needed (Palermo art. 3(c)); {CHILD_RECEIPT}.",
        "The ILO/EC combination of dimensions (what the competent authority or a researcher "
        "records, not the referral threshold): "
        + "; ".join(
            f"for {'a child' if who == 'child' else 'an adult'}, "
            + " and ".join(name for name, _ in groups)
            for who, groups in COMBINATION.items()
        )
        + ". "
        + DIMENSION_RULE,
        SEXUAL_LISTS_MISSING,
        "Caveat: " + CAVEAT + ".",
    ]
