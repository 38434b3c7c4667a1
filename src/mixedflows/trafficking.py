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
   or one inference this course draws and says it draws (:data:`INFERRED_PURPOSE`): a person
   *held where they worked* (:func:`held_at_work`) who was also *recruited by
   deception for work* (:data:`WORK_RECRUITMENT`: they did not offer themselves for that work)
   or met *further coercion there* (a second coercion at destination: violence, threats,
   documents kept as well as being locked in: the menace of a penalty) gives reasonable grounds
   that the work was forced labour (ILO Forced Labour Convention No. 29, art. 2(1): work "exacted
   ... under the menace of any penalty and for which the said person has not offered himself
   voluntarily"). Being held alone, one coercion and nothing else, is not enough. The frameworks
   do not settle where the line lies without exploitation told; the feedback says so in plain
   words (:data:`INFERENCE_CAVEAT`).

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
"""

from __future__ import annotations

import csv
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from functools import cache
from importlib import resources
from typing import TYPE_CHECKING

from mixedflows.citations import Citation, para

if TYPE_CHECKING:
    import numpy as np

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
INTENDED: tuple[str, ...] = ("se.journey_debt", "d2.debt_bondage")
"""Observations that show a purpose still ahead (an exploitation intended at destination)."""
_ASK: dict[str, str] = {
    "act": "how the person came to that work or place: who recruited, transported, housed or "
    "received them",
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
    "(forced labour or services, sexual exploitation, servitude or debt bondage, forced crime)."
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


def held_filing(ids: Iterable[str]) -> str:
    """Where the ILO/EC list files each fact of being held among ``ids`` (confinement, documents
    kept), in words; '' if none. By the observation's dimension: 2 (during recruitment or
    transport), 5 (where the person is exploited), or, for an observation outside the labour
    lists, that the source cannot settle it (:data:`HELD_UNSETTLED`)."""
    table = observations()
    out = []
    for i in dict.fromkeys(ids):
        ind = table[i]
        if ind.means not in HELD_MEANS:
            continue
        what = ind.text[:1].lower() + ind.text[1:]
        if ind.dimension == MEANS_AT_DESTINATION[0]:
            out.append(f"{what}: ILO/EC 'coercion at destination' (dimension 5)")
        elif ind.dimension == 2:
            out.append(f"{what}: ILO/EC 'coercive recruitment' (dimension 2, during the journey)")
        else:
            out.append(HELD_UNSETTLED.format(what=what[:1].upper() + what[1:]))
    return "; ".join(out)


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


def broken_promises(ids: Iterable[str]) -> tuple[str, ...]:
    """The promises (:data:`PROMISES`) the facts show false; () if none."""
    table = observations()
    ids = list(dict.fromkeys(ids))
    if not any(promise_broken(table[i]) for i in ids):
        return ()
    return tuple(i for i in ids if i in PROMISES)


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
        + " One inference is drawn, and said to be one: held where they worked, after a "
        "deceptive recruitment for work or with further coercion there, gives reasonable grounds "
        "for forced labour (ILO Convention No. 29, art. 2(1)); being held alone does not; the "
        "frameworks do not settle where the line lies when no exploitation is told. For a child "
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


# --- Observations: the ILO/EC labour lists and the Palermo-read observations -------------------


@dataclass(frozen=True)
class Indicator:
    """One observation a person may describe: an ILO/EC labour indicator (``dimension`` 1-6) or
    an observation written for this course for sexual exploitation (``dimension`` 0)."""

    id: str
    dimension: int
    """ILO/EC dimension 1-6; 0 for an observation outside the ILO/EC labour lists."""
    text: str
    weight_adult: str
    """'S', 'M' or 'W' ('' outside the ILO/EC lists)."""
    weight_child: str
    """'S', 'M', 'W', or '' where the indicator is not in the list for children."""
    source: str
    act: str = ""
    """The kind of act this evidences (Palermo art. 3(a)), or ''."""
    means: str = ""
    purpose: str = ""
    nearby: bool = False
    """The person who controls them may be near: they are in the same group (the
    same boat, or the same road)."""

    def weight(self, child: bool) -> str:
        """The ILO/EC weight for an adult or a child; '' where it does not count."""
        return self.weight_child if child else self.weight_adult

    @property
    def ilo(self) -> bool:
        return self.dimension > 0

    def element(self, name: str) -> str:
        return {"act": self.act, "means": self.means, "purpose": self.purpose}[name]


def _read(name: str) -> list[dict[str, str]]:
    path = resources.files("mixedflows") / "data" / name
    with path.open(encoding="utf-8") as fh:
        return list(csv.DictReader(fh))


@cache
def observations() -> dict[str, Indicator]:
    """Every observation by id: the ILO/EC labour indicators, then the Palermo-read ones."""
    out = {
        r["id"]: Indicator(
            r["id"],
            int(r["dimension"]),
            r["indicator"],
            r["weight_adult"],
            r["weight_child"],
            r["source"],
            r["act"],
            r["means"],
            r["purpose"],
            r["nearby"] == "yes",
        )
        for r in _read("ilo_indicators.csv")
    }
    for r in _read("palermo_observations.csv"):
        out[r["id"]] = Indicator(
            r["id"],
            0,
            r["observation"],
            "",
            "",
            r["source"],
            r["act"],
            r["means"],
            r["purpose"],
            r["nearby"] == "yes",
        )
    return out


@cache
def indicators() -> dict[str, Indicator]:
    """The ILO/EC labour indicators by id, in the order of the data file."""
    return {k: v for k, v in observations().items() if v.ilo}


HARM_MEANS = ("force", "abduction")
"""Means that harm the person themselves: violence on them, abduction."""


def harms_the_person(ind: Indicator) -> bool:
    """The observation tells of harm done to the person: violence on them, abduction, or
    deprivation of liberty on the way (held captive, guarded: ILO/EC confinement during
    recruitment and transport, dimension 2). A person who tells of one is a survivor of
    violence (referred for care; not coded torture, TR, without a public official's part)
    whether or not the facts add up to trafficking: a person held for ransom on the way is referred for care like one who says so in so many words (cold trial:
    generated ransom victims were not, the worked case was)."""
    return ind.means in HARM_MEANS or (ind.means == "confinement" and ind.dimension == 2)


@cache
def harm_ids() -> tuple[str, ...]:
    """The observations that make a person a survivor of violence (:func:`harms_the_person`)."""
    return tuple(i for i, ind in observations().items() if harms_the_person(ind))


@cache
def sexual_violence_ids() -> tuple[str, ...]:
    """The observations that tell sexual violence done to the person: forced into prostitution,
    or clients' money taken from her (the purpose of sexual exploitation happened). A survivor
    is coded UNHCR SV (sexual and gender-based violence) and referred for SGBV-specialised and
    medical care, whether or not the trafficking elements are all shown."""
    return tuple(i for i, ind in observations().items() if ind.purpose == "sexual exploitation")


def indicator_ids() -> tuple[str, ...]:
    """Every observation id in file order (the columns of :func:`assess_matrix`)."""
    return tuple(observations())


ILO_PREFIX = "obs:"
"""Prefix of the frame columns that hold the trafficking observations (ILO/EC labour indicators
and the Palermo-read observations of sexual exploitation)."""


@cache
def indicator_columns() -> list[str]:
    """Columns of a persons frame that hold the observations of trafficking (one per id)."""
    return [ILO_PREFIX + i for i in indicator_ids()]


def palermo_ids() -> tuple[str, ...]:
    """The observations outside the ILO/EC labour lists (read against Palermo only)."""
    return tuple(k for k, v in observations().items() if not v.ilo)


def dimension_positive(weights: Iterable[str]) -> bool:
    """A dimension is positive with 2 strong, 1 strong + 1 other, 3 medium, or 2 medium + 1 weak."""
    w = list(weights)
    s, m, wk = w.count("S"), w.count("M"), w.count("W")
    return bool(_positive(s, m, wk))


def _positive(s, m, wk):
    # Works on ints and on numpy arrays alike: the one place the dimension rule is written.
    return (s >= 2) | ((s >= 1) & (m + wk >= 1)) | (m >= 3) | ((m >= 2) & (wk >= 1))


def _combine(positive: dict[int, bool] | np.ndarray, child: bool):
    groups = COMBINATION["child" if child else "adult"]
    ok = None
    for _, dims in groups:
        if isinstance(positive, dict):  # one person (an app's view): no numpy to load
            hit = any(positive[d] for d in dims)
        else:
            import numpy as np

            hit = np.any(positive[:, [d - 1 for d in dims]], axis=1)
        ok = hit if ok is None else (ok & hit)
    return ok


# --- Results -----------------------------------------------------------------------------------


@dataclass(frozen=True)
class DimensionResult:
    """One ILO/EC dimension of one assessment: what was counted and whether it is positive."""

    dimension: int
    name: str
    strong: int
    medium: int
    weak: int
    positive: bool
    indicators: tuple[str, ...]
    """Ids of the indicators counted in this dimension."""


@dataclass(frozen=True)
class ElementFinding:
    """One Palermo element: whether the facts show it, and which facts."""

    element: str
    """'act', 'means' or 'purpose'."""
    required: bool
    """False for the means of a child (art. 3(c))."""
    evidence: tuple[str, ...]
    """Observation ids that show it."""
    kinds: tuple[str, ...]
    """What they show, in Palermo's words (e.g. 'deception', 'debt'), without repeats."""
    inferred: bool = False
    """The element is inferred, not told: the purpose (:data:`INFERRED_PURPOSE`), or a child's
    act from the exploitation (:data:`CHILD_RECEIPT`); the feedback says so."""

    @property
    def present(self) -> bool:
        return bool(self.evidence)


@dataclass(frozen=True)
class IloView:
    """What the ILO/EC combination of dimensions would show (labour lists only)."""

    applicable: bool
    """False when what the person said is told only by observations outside the labour lists
    (a story of sexual exploitation): the ILO/EC lists for it await transcription."""
    positive_dimensions: tuple[int, ...]
    combination: bool
    """The ILO/EC combination is met (a data-collection view, not the referral threshold)."""
    missing: tuple[str, ...]
    dimensions: tuple[DimensionResult, ...] = field(default=(), repr=False)
    not_counted: tuple[str, ...] = ()
    """Observed labour indicators that do not count here (not in the list for children)."""

    def text(self, child: bool) -> str:
        if not self.applicable:
            return (
                "ILO/EC combination: not worked out, since these facts are not on the ILO/EC "
                "labour list. " + SEXUAL_LISTS_MISSING
            )
        names = ", ".join(f"{DIMENSIONS[d]} ({d})" for d in self.positive_dimensions) or "none"
        verdict = (
            "met" if self.combination else "not met (missing " + " and ".join(self.missing) + ")"
        )
        who = "a child" if child else "an adult"
        return (
            f"ILO/EC combination for {who} (a data-collection and identification tool, not the "
            f"referral threshold): positive dimensions {names}; {verdict}. "
            + ILO_UNCERTAIN["child" if child else "adult"]
        )


@dataclass(frozen=True)
class TraffickingAssessment:
    """Indications warranting referral (Palermo elements), and the ILO/EC view beside them."""

    child: bool
    referral: bool
    """Indications warranting referral: the elements required are all shown."""
    elements: tuple[ElementFinding, ...]
    missing: tuple[str, ...]
    """Required elements not shown ('act', 'means', 'purpose'), in that order."""
    ilo: IloView
    sexual: bool
    """A purpose of sexual exploitation is among the facts."""
    nearby: bool
    """The facts place a possible trafficker near the person (in the same group)."""
    reason: str
    observed: tuple[str, ...] = ()
    """Observation ids (in the order given, without repeats)."""

    @property
    def indication(self) -> bool:
        """The same as :attr:`referral`: indications warranting referral."""
        return self.referral

    @property
    def positive_dimensions(self) -> tuple[int, ...]:
        """ILO/EC positive dimensions (labour lists)."""
        return self.ilo.positive_dimensions

    @property
    def dimensions(self) -> tuple[DimensionResult, ...]:
        return self.ilo.dimensions

    @property
    def not_counted(self) -> tuple[str, ...]:
        return self.ilo.not_counted

    @property
    def purpose_ahead(self) -> bool:
        """Nothing told shows exploitation yet (:func:`purpose_ahead`)."""
        return purpose_ahead(self.observed)

    @property
    def below_threshold(self) -> bool:
        """Some facts were observed but they do not add up to indications warranting referral."""
        return bool(self.observed) and not self.referral

    def element(self, name: str) -> ElementFinding:
        return next(e for e in self.elements if e.element == name)


def exploitation_told(ind: Indicator) -> bool:
    """The observation tells exploitation that happened, or life where the person was exploited
    (ILO/EC dimensions 4-6; sexual exploitation with the act of the one who kept her)."""
    return ind.dimension in (EXPLOITATION, *MEANS_AT_DESTINATION) or promise_broken(ind)


def purpose_ahead(ids: Iterable[str]) -> bool:
    """Nothing told shows exploitation yet: what would show the purpose lies ahead, at
    destination (the intended exploitation counts, Palermo art. 3(a))."""
    table = observations()
    return not any(exploitation_told(table[i]) for i in ids)


def what_would_change(missing: Sequence[str], *, limit: int = 3, ahead: bool = False) -> str:
    """The facts that would complete the missing elements, in words and with examples drawn from
    the observation lists (so the examples are always items the course knows). With ``ahead``
    (nothing told of exploitation yet: :func:`purpose_ahead`), the purpose is asked about as what
    awaits the person at destination, with the intended exploitations the course knows."""
    if not missing:
        return ""
    table = observations()
    parts = []
    for e in missing:
        if e == "purpose" and ahead:
            examples = ", ".join(table[i].text.lower() for i in INTENDED)
            parts.append(f"for purpose, ask {_ASK_AHEAD} (e.g. {examples})")
            continue
        kinds = list(dict.fromkeys(v.element(e) for v in table.values() if v.element(e)))
        examples = ", ".join(kinds[:limit])
        parts.append(f"for {e}, ask {_ASK[e]} (e.g. {examples})")
    return "What would change it: " + "; ".join(parts) + "."


def promise_note(*, limit: int = 4) -> str:
    """Why a promise not yet broken is no means (:data:`PROMISE_RULE`), and facts that would show
    a means: one observation of each kind of means in the Palermo-read list, a broken promise
    first (so the examples are always observations the course knows)."""
    by_kind: dict[str, str] = {}
    for v in observations().values():
        if not v.ilo and v.means:
            by_kind.setdefault(v.means, v.text.lower())
    kinds = sorted(by_kind, key=lambda k: k != "deception")[:limit]
    examples = "; ".join(by_kind[k] for k in kinds)
    return f"{PROMISE_RULE} Facts that would show a means: {examples}."


def assess(indicator_ids: Iterable[str], *, child: bool) -> TraffickingAssessment:
    """Read observed facts against the Palermo elements, and work out the ILO/EC view.

    Adults: act + means + purpose; children: act + purpose (Palermo art. 3(c)). Raises
    KeyError naming any unknown observation id.
    """
    table = observations()
    ids = list(dict.fromkeys(indicator_ids))
    unknown = [i for i in ids if i not in table]
    if unknown:
        raise KeyError(f"unknown indicator id(s): {', '.join(unknown)}")
    elements = []
    for e in ELEMENTS:
        ev = tuple(i for i in ids if table[i].element(e))
        kinds = tuple(dict.fromkeys(table[i].element(e) for i in ev))
        inferred = False
        if e == "purpose" and not ev:
            ev = inferred_purpose(ids)
            kinds = (INFERRED_PURPOSE.format(basis=inference_basis(ids)),) if ev else ()
            inferred = bool(ev)
        if e == "means" and broken_promises(ids):
            ev = tuple(dict.fromkeys((*ev, *broken_promises(ids))))
            kinds = tuple(dict.fromkeys((*kinds, BROKEN_PROMISE)))
        if child and e == "act" and not ev:
            ev = tuple(i for i in ids if child_receipt(table[i]))
            kinds = ("receipt or harbouring of a child for the exploitation",) if ev else ()
            inferred = bool(ev)
        elements.append(ElementFinding(e, not (child and e == "means"), ev, kinds, inferred))
    missing = tuple(f.element for f in elements if f.required and not f.present)
    referral = not missing
    sexual = any(table[i].purpose == "sexual exploitation" for i in ids)
    labour = [i for i in ids if table[i].ilo]
    ilo = _ilo_view(labour, child, palermo_only=len(labour) < len(ids) and not labour)
    nearby = any(table[i].nearby for i in ids)
    return TraffickingAssessment(
        child,
        referral,
        tuple(elements),
        missing,
        ilo,
        sexual,
        nearby,
        _reason(
            elements, referral, child, missing, bool(ids), inference_basis(ids), purpose_ahead(ids)
        ),
        tuple(ids),
    )


LABOUR_PURPOSES = ("exploitation at work (possible forced labour)", "forced labour or services")
"""The purposes that tell exploitation at work (the observations' ``purpose`` column)."""


def exploited_at_work(ids: Iterable[str]) -> tuple[str, ...]:
    """The observations that tell exploitation at work (unpaid, excessive hours, very bad
    conditions, wages withheld, forced tasks), whether or not the trafficking elements are all
    shown: the ground of the labour-rights referral (MC/INF/294 ¶21)."""
    table = observations()
    return tuple(i for i in dict.fromkeys(ids) if table[i].purpose in LABOUR_PURPOSES)


def inferred_purpose(ids: Iterable[str]) -> tuple[str, ...]:
    """The observations from which the purpose is inferred (:data:`INFERRED_PURPOSE`): being
    held where they worked, with a deceptive recruitment for work or a second coercion at
    destination; () otherwise (being held alone is not enough)."""
    table = observations()
    ids = list(dict.fromkeys(ids))
    held = [i for i in ids if held_at_work(table[i])]
    recruited = [i for i in ids if i in WORK_RECRUITMENT]
    coerced = [i for i in ids if coercion_at_work(table[i])]
    if held and (recruited or len(coerced) >= 2):
        return tuple(dict.fromkeys(recruited + coerced))
    return ()


def inference_basis(ids: Iterable[str]) -> str:
    """What the inferred purpose rests on besides being held, in words ('' if not inferred)."""
    table = observations()
    ev = inferred_purpose(ids)
    if not ev:
        return ""
    if any(i in WORK_RECRUITMENT for i in ev):
        return "after a recruitment for work by deception"
    held = [i for i in ev if held_at_work(table[i])]
    kinds = dict.fromkeys(table[i].means for i in ev if i not in held[:1])
    return "under further coercion there (" + ", ".join(kinds) + ")"


def _ilo_view(ids: list[str], child: bool, palermo_only: bool) -> IloView:
    table = observations()
    by_dim: dict[int, list[str]] = {d: [] for d in DIMENSIONS}
    not_counted = []
    for i in ids:
        ind = table[i]
        if ind.weight(child):
            by_dim[ind.dimension].append(i)
        else:
            not_counted.append(i)
    results = []
    for d, members in by_dim.items():
        ws = [table[i].weight(child) for i in members]
        s, m, wk = ws.count("S"), ws.count("M"), ws.count("W")
        results.append(
            DimensionResult(d, DIMENSIONS[d], s, m, wk, bool(_positive(s, m, wk)), tuple(members))
        )
    pos = {r.dimension: r.positive for r in results}
    groups = COMBINATION["child" if child else "adult"]
    missing = tuple(name for name, dims in groups if not any(pos[d] for d in dims))
    return IloView(
        applicable=not palermo_only,
        positive_dimensions=tuple(d for d, ok in pos.items() if ok),
        combination=bool(_combine(pos, child)),
        missing=missing,
        dimensions=tuple(results),
        not_counted=tuple(not_counted),
    )


def _kinds(f: ElementFinding) -> str:
    return ", ".join(f.kinds)


def _reason(
    elements: Sequence[ElementFinding],
    referral: bool,
    child: bool,
    missing: Sequence[str],
    any_: bool,
    basis: str = "",
    ahead: bool = False,
) -> str:
    if not any_:
        return "No fact pointing to trafficking was observed."
    shown = "; ".join(f"{f.element}: {_kinds(f)}" for f in elements if f.present) or "none"
    if child:
        rule = "for a child the act and the purpose suffice; no means is needed (art. 3(c))"
    else:
        rule = "for an adult the act, the means and the purpose are all needed"
    caveat = ""
    if any(f.inferred and f.element == "purpose" for f in elements):
        caveat = " " + INFERENCE_CAVEAT.format(basis=basis)
    if any(f.inferred and f.element == "act" for f in elements):
        caveat += " " + CHILD_RECEIPT_CAVEAT
    if referral:
        return (
            f"Palermo elements shown: {shown}. Indications warranting referral ({rule}): "
            f"reasonable grounds to refer, not an identification.{caveat}"
        )
    held = [f for f in elements if f.element == "means" and set(f.kinds) & set(HELD_MEANS)]
    if "purpose" in missing and held:
        caveat += " " + CONFINEMENT_IS_A_MEANS + " Here: " + held_filing(held[0].evidence) + "."
    act = next(f for f in elements if f.element == "act")
    if "means" in missing and set(act.evidence) & set(PROMISES):
        caveat += " " + promise_note()
    names = " and ".join(ELEMENT_NAMES[e] for e in missing)
    if "purpose" in missing and ahead:
        caveat = (
            " Nothing told yet shows what awaits the person at destination: an exploitation "
            "still intended counts as the purpose (Palermo art. 3(a), 'for the purpose of'), but "
            "a fact must show it." + caveat
        )
    return (
        f"Palermo elements shown: {shown}. No indications warranting referral yet ({rule}): "
        f"missing {names}.{caveat} {what_would_change(missing, ahead=ahead)}"
    )


# --- Vectorised path ---------------------------------------------------------------------------


@cache
def _weight_matrices() -> dict[tuple[bool, str], np.ndarray]:
    """For adults and children, one (observations x 6) 0/1 matrix per ILO/EC weight."""
    import numpy as np

    table = list(observations().values())
    out = {}
    for child in (False, True):
        for wt in WEIGHTS:
            m = np.zeros((len(table), len(DIMENSIONS)), dtype=np.int16)
            for k, ind in enumerate(table):
                if ind.ilo and ind.weight(child) == wt:
                    m[k, ind.dimension - 1] = 1
            out[(child, wt)] = m
    return out


@cache
def _element_matrix() -> np.ndarray:
    """(observations x 9) booleans: which Palermo element each observation shows, whether it
    shows the act for a child (:func:`child_receipt`), then the parts of
    :func:`inferred_purpose`: a deceptive recruitment for work, being held at work, a coercion at
    destination; then a promise, and what shows a promise false (:func:`broken_promises`)."""
    import numpy as np

    table = observations()
    return np.array(
        [
            [bool(v.element(e)) for e in ELEMENTS]
            + [child_receipt(v), i in WORK_RECRUITMENT, held_at_work(v), coercion_at_work(v)]
            + [i in PROMISES, promise_broken(v)]
            for i, v in table.items()
        ],
        dtype=bool,
    )


def assess_matrix(observed: np.ndarray, child: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """The same rules as :func:`assess` for many persons at once.

    ``observed`` is a boolean (persons x observations) matrix in the order of
    :func:`indicator_ids`; ``child`` a boolean vector. Returns (ILO/EC positive dimensions as a
    (persons x 6) boolean matrix, indications warranting referral as a boolean vector).
    """
    import numpy as np

    obs = np.asarray(observed, dtype=bool)
    child = np.asarray(child, dtype=bool)
    n = obs.shape[0]
    positive = np.zeros((n, len(DIMENSIONS)), dtype=bool)
    referral = np.zeros(n, dtype=bool)
    rows = np.flatnonzero(obs.any(axis=1))  # most people have no observation at all
    if rows.size == 0:
        return positive, referral
    # People tell a few stories, so few distinct (observations, child) patterns occur: the rules
    # are applied once per pattern and the results given back to every row that has it
    # (cProfile: the products over every row were most of screen_frame).
    used = np.flatnonzero(obs[rows].any(axis=0))
    bits = np.concatenate([obs[np.ix_(rows, used)], child[rows, None]], axis=1)
    key = np.packbits(bits, axis=1)
    key = np.ascontiguousarray(key).view(np.dtype((np.void, key.shape[1]))).ravel()
    _, first, back = np.unique(key, return_index=True, return_inverse=True)
    x = np.zeros((first.size, obs.shape[1]), dtype=np.int16)
    x[:, used] = bits[first, :-1]
    kid = bits[first, -1]
    # Integer products, not BLAS: small and exact, and no thread pool to contend for.
    wm = _weight_matrices()
    counts = {wt: np.where(kid[:, None], x @ wm[(True, wt)], x @ wm[(False, wt)]) for wt in WEIGHTS}
    pos = _positive(counts["S"], counts["M"], counts["W"])
    counted = x @ _element_matrix().astype(np.int16)
    shown = counted > 0
    act, means = shown[:, 0] | (kid & shown[:, 3]), shown[:, 1] | (shown[:, 7] & shown[:, 8])
    purpose = shown[:, 2] | (shown[:, 5] & (shown[:, 4] | (counted[:, 6] >= 2)))
    ref = act & purpose & (means | kid)
    back = back.ravel()
    positive[rows] = pos[back]
    referral[rows] = ref[back]
    return positive, referral
