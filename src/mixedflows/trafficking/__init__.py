"""Indications of trafficking in human beings: two thresholds, never confused.

1. **Indications warranting referral** (what a first-contact official acts on). The official
   refers on *reasonable grounds*, read against the three elements of the Palermo Protocol (2000)
   art. 3(a). Reasonable grounds is the threshold at which the competent authorities must not
   remove the person until identification is complete (CETS 197 art. 10(2)) and must give
   assistance and support (Directive 2011/36/EU art. 11(2), read here only in translation): the
   course refers at that threshold so that those protections can start. Neither article sets
   the elements; Palermo art. 3 does:

   - an adult: an **act** (recruitment, transportation, transfer, harbouring or receipt) + any
     **means** (threat or use of force, coercion, abduction, fraud, deception, abuse of power or
     of a position of vulnerability; a debt used to control, documents taken, confinement) + an
     exploitative **purpose**. Deception at recruitment is a means, and a promise counts as
     deception once the facts show it false (:data:`PROMISE_RULE`: this course's reading);
   - a child (under 18, or treated as one while the age is in doubt): an act + a purpose; no
     means is needed (art. 3(c)-(d)). A child made to work, or held, on the way or at destination
     was *received or harboured* for it by someone: the exploitation shows the act of receipt
     too (:data:`CHILD_RECEIPT`), so a child put to work on a farm on the way is not "missing the
     act" (cold trial of issue 10).

   The purpose is an *intent* (art. 3(a): "for the purpose of exploitation"): it need not have
   happened yet. A debt for the journey to be repaid by work at destination is read as grounds
   for the purpose (debt bondage, a practice similar to slavery: this course's reading of
   art. 3(a)). An oath sworn to repay it is a means (coercion), not the purpose.

   Bad living conditions, and a breach of labour law or of the contract, are not by themselves
   an exploitative purpose (trainer's review of issue 10): only exploitation *at work* counts
   (unpaid work, excessive hours, hazardous or very bad working conditions, wages withheld or
   manipulated, forced tasks), and the work must be told. Money taken on the way (robbed by
   captors) is coercion, not an act of transportation.

   **Confinement is a means, not a purpose** (cold trial of issue 10). Being locked in, watched,
   or having one's documents kept is *coercion*: the ILO/EC labour list puts it under "coercive
   recruitment" (dimension 2) when done during recruitment or the journey and under "coercion at
   destination" (dimension 5) where the person is exploited, never under "exploitation"
   (dimension 4) (:func:`held_filing`), and the ILO *Indicators of
   Forced Labour* (2012) count restriction of movement and retention of identity documents as
   indicators of the menace of a penalty, not as the work exacted. On its own it shows no
   exploitative purpose. The purpose needs exploitation (forced labour or services: unpaid work,
   excessive hours, forced tasks; sexual exploitation; servitude or debt bondage; forced crime),
   or one of two inferences this course draws and says it draws. First (:data:`INFERRED_PURPOSE`): a person
   *held where they worked* (:func:`held_at_work`) who was also *recruited by
   deception for work* (:data:`WORK_RECRUITMENT`: they did not offer themselves for that work)
   or met *further coercion there* (a second coercion at destination: violence, threats,
   documents kept as well as being locked in: the menace of a penalty) gives reasonable grounds
   that the work was forced labour (ILO Forced Labour Convention No. 29, art. 2(1): work "exacted
   ... under the menace of any penalty and for which the said person has not offered himself
   voluntarily"). Being held alone, one coercion and nothing else, is not enough. The frameworks
   do not settle where the line lies without exploitation told; the feedback says so in plain
   words (:data:`INFERENCE_CAVEAT`).

   Second, **control after a recruitment for work abroad shows the intent** (the lead's decision on the
   trainer's trial of issue 10). Reasonable grounds are a suspicion threshold ("might have been
   subjected", Directive 2011/36/EU art. 11(2); CETS 197 art. 10(2)), not proof of each
   element, and Palermo's purpose is an intent. A person recruited for work abroad (a promise,
   broken or not yet: :data:`JOB_OFFERS`) who is under the control of the person moving or
   receiving them, shown by at least two of: documents held, being watched, threats against
   them or their family to keep them silent, a debt to repay by work (:func:`control_kind`,
   derived from the observations' ``means`` and ``nearby`` columns), shows the purpose as an
   intent, inferred and said to be one (:data:`CONTROL_PURPOSE`, :data:`CONTROL_CAVEAT`); one
   sign alone does not (:func:`purpose_from_control`).

   When the elements are not all there, :attr:`TraffickingAssessment.missing` names the element
   missing and :func:`what_would_change` the facts that would change it.

2. **The ILO/EC combination of dimensions** (what the competent authority or a researcher
   records). The ILO/EC *Operational indicators of trafficking in human beings* (2009) are, in
   the ILO's words, a reference tool for data collection and for identification by the
   institutions in charge; they are *not* the threshold of a first-contact referral. This module
   also works out what their combination would show (:class:`IloView`), for the labour lists only.

What is uncertain lives here and in the two data files, so it can be corrected in one place:

- the labour lists and their strong/medium/weak weights come from a secondary transcription of
  ILO WCMS_105023 (per-dimension counts match the seafish.org summary); the dimension rule
  (:data:`DIMENSION_RULE`) is cited from the brochure's p.3 by that same source; the
  combination (:data:`COMBINATION`) follows Palermo's logic and is not checked against the ILO
  text (REFERENCE.md §1, REFERENCE_screening.md §1.4);
- the ILO/EC lists for **sexual** exploitation (adults and children) could not be read from
  here (REFERENCE_screening.md §1.3): they await transcription from the ILO brochure. A story
  of sexual exploitation is therefore read against the Palermo elements only, with the
  observations of ``data/palermo_observations.csv`` (written for this course, not ILO items),
  never against the labour list;
- which element each observation evidences (columns ``act``, ``means``, ``purpose`` of the data
  files) is this course's reading of Palermo art. 3(a). A vulnerability on its own (poverty, a
  family to support) is not a means: the means is its *abuse* (UNODC Issue Paper on abuse of a
  position of vulnerability, 2012), so such items evidence no element.

The output is an *indication* that leads to referral for formal identification by the competent
authority, never a determination that someone is (or is not) a victim.

The rules and their texts are in :mod:`~mixedflows.trafficking.rules`, the observations (the two
data files) in :mod:`~mixedflows.trafficking.observations`, the assessment of one person in
:mod:`~mixedflows.trafficking.assessment` and the same rules for many persons at once in
:mod:`~mixedflows.trafficking.vectorised`; every name is importable from here.
"""

from __future__ import annotations

from mixedflows.trafficking.assessment import (
    LABOUR_PURPOSES,
    DimensionResult,
    ElementFinding,
    IloView,
    TraffickingAssessment,
    assess,
    control_facts,
    control_signs,
    exploitation_told,
    exploited_at_work,
    held,
    inference_basis,
    inferred_purpose,
    promise_note,
    purpose_ahead,
    purpose_from_control,
    what_would_change,
)
from mixedflows.trafficking.observations import (
    HARM_MEANS,
    ILO_PREFIX,
    Indicator,
    broken_promises,
    dimension_positive,
    harm_ids,
    harms_the_person,
    held_filing,
    indicator_columns,
    indicator_ids,
    indicators,
    observations,
    palermo_ids,
    sexual_violence_ids,
)
from mixedflows.trafficking.observations import (
    _positive as _positive,
)
from mixedflows.trafficking.rules import (
    BROKEN_PROMISE,
    CAVEAT,
    CHILD_CITATION,
    CHILD_FRAMEWORK,
    CHILD_RECEIPT,
    CHILD_RECEIPT_CAVEAT,
    CITATION,
    COMBINATION,
    CONFINEMENT_IS_A_MEANS,
    CONTROL_CAVEAT,
    CONTROL_KINDS,
    CONTROL_MIN,
    CONTROL_PURPOSE,
    CONTROL_RULE,
    DIMENSION_RULE,
    DIMENSIONS,
    ELEMENT_NAMES,
    ELEMENTS,
    EXPLOITATION,
    HELD_MEANS,
    HELD_NO_PURPOSE,
    HELD_UNSETTLED,
    ILO_CITATION,
    ILO_FRAMEWORK,
    ILO_UNCERTAIN,
    INFERENCE_CAVEAT,
    INFERRED_PURPOSE,
    INTENDED,
    JOB_OFFERS,
    MEANS_AT_DESTINATION,
    PROMISE_RULE,
    PROMISES,
    PURPOSE_AS_INTENT,
    RECRUITMENT,
    REFERRAL_FRAMEWORK,
    SEXUAL_LISTS_MISSING,
    WEIGHT_LABELS,
    WEIGHTS,
    WORK_RECRUITMENT,
    child_receipt,
    coercion_at_work,
    control_kind,
    held_at_work,
    promise_broken,
    recruited_for_work,
    rule_lines,
)
from mixedflows.trafficking.vectorised import (
    _element_matrix as _element_matrix,
)
from mixedflows.trafficking.vectorised import (
    _weight_matrices as _weight_matrices,
)
from mixedflows.trafficking.vectorised import (
    assess_matrix,
)

__all__ = [
    "BROKEN_PROMISE",
    "CAVEAT",
    "CHILD_CITATION",
    "CHILD_FRAMEWORK",
    "CHILD_RECEIPT",
    "CHILD_RECEIPT_CAVEAT",
    "CITATION",
    "COMBINATION",
    "CONFINEMENT_IS_A_MEANS",
    "CONTROL_CAVEAT",
    "CONTROL_KINDS",
    "CONTROL_MIN",
    "CONTROL_PURPOSE",
    "CONTROL_RULE",
    "DIMENSIONS",
    "DIMENSION_RULE",
    "ELEMENTS",
    "ELEMENT_NAMES",
    "EXPLOITATION",
    "HARM_MEANS",
    "HELD_MEANS",
    "HELD_NO_PURPOSE",
    "HELD_UNSETTLED",
    "ILO_CITATION",
    "ILO_FRAMEWORK",
    "ILO_PREFIX",
    "ILO_UNCERTAIN",
    "INFERENCE_CAVEAT",
    "INFERRED_PURPOSE",
    "INTENDED",
    "JOB_OFFERS",
    "LABOUR_PURPOSES",
    "MEANS_AT_DESTINATION",
    "PROMISES",
    "PROMISE_RULE",
    "PURPOSE_AS_INTENT",
    "RECRUITMENT",
    "REFERRAL_FRAMEWORK",
    "SEXUAL_LISTS_MISSING",
    "WEIGHTS",
    "WEIGHT_LABELS",
    "WORK_RECRUITMENT",
    "DimensionResult",
    "ElementFinding",
    "IloView",
    "Indicator",
    "TraffickingAssessment",
    "assess",
    "assess_matrix",
    "broken_promises",
    "child_receipt",
    "coercion_at_work",
    "control_facts",
    "control_kind",
    "control_signs",
    "dimension_positive",
    "exploitation_told",
    "exploited_at_work",
    "harm_ids",
    "harms_the_person",
    "held",
    "held_at_work",
    "held_filing",
    "indicator_columns",
    "indicator_ids",
    "indicators",
    "inference_basis",
    "inferred_purpose",
    "observations",
    "palermo_ids",
    "promise_broken",
    "promise_note",
    "purpose_ahead",
    "purpose_from_control",
    "recruited_for_work",
    "rule_lines",
    "sexual_violence_ids",
    "what_would_change",
]
