"""A return policy that differentiates between individual cases (module 9, MC/INF/294 ¶24).

Each returnee is a synthetic person with the facts ¶24 asks a return policy to weigh: a child
alone, indications of trafficking, a protection claim, the family situation and the level of
integration, and whether the person chooses to go home. :func:`decide` applies the rules below
in order and returns the decision the course's frameworks call for, why, and the measures that
must or must not go with it (rights and dignity, ¶24 last sentence). Nothing here holds an
answer: the worked file's ``expected`` is the author's reading, compared with the rules by the
tests and never used to grade.

The rules, in order (the first that applies decides):

1. **A child alone** (an unaccompanied or separated child, CRC General Comment No. 6): nothing
   is decided about return before a best-interests determination; a child returns only if it
   finds return in the child's interest, accompanied, with a hand-over and case management
   across the border (UN Special Rapporteur A/79/213, paras 49-50); where it finds otherwise,
   return is ruled out and a durable solution is sought here.
2. **A protection claim pending**: no return while it is decided (non-refoulement).
3. **Indications of trafficking**: no return before an individual risk assessment (OSCE/ODIHR
   Guiding Principles, 2014: safe return; IOM Reintegration Handbook §2.2.2); where it finds
   return unsafe, return is ruled out (protection where return is impossible).
4. **Family situation and integration** (¶24: "some States also take into account the family
   situation and level of integration"): a spouse or children settled here with a right to
   stay, or five years here with work and the language, are weighed, and a stay considered, unless
   the person chooses to go home. The five-year mark is this course's teaching rule, not a
   standard: States that weigh integration set their own criteria (¶23-24).
5. **Otherwise**: a return the person chooses is an assisted voluntary return; a return the
   person does not choose is enforced, with the safeguards of due process. It is not called
   voluntary (IOM AVRR Framework, 2018: voluntariness is freedom of choice).
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Annotated, Literal

from pydantic import Field, model_validator

from mixedflows.citations import Citation, para
from mixedflows.errors import DataFileError, Strict, load_model

Id = Annotated[str, Field(pattern=r"^[a-z0-9_]+$")]
Call = Literal["required", "forbidden", "not_needed", "allowed"]
INTEGRATION_YEARS = 5
"""Years here that, with work and the language, count as integration to weigh (rule 4): a
teaching rule of this course, not a standard."""

# --- Frameworks ----------------------------------------------------------------------------------

SEED = para(24)
BEST_INTERESTS = Citation(
    framework="CRC General Comment No. 6 (2005): no return to the country of origin where there "
    "is a 'reasonable risk' of violating the child's fundamental rights; UN Special Rapporteur "
    "A/79/213, paras 49-50: an unaccompanied child is returned only if a best-interests "
    "procedure finds it in the child's interest, with an accompanying guardian and case "
    "management across the border; UNHCR Best Interests Procedure Guidelines (2021)",
    seed=para(24),
    caveat="General Comment No. 6 read as quoted in the ICJ Practitioners Guide No. 6 (2014)",
)
NON_REFOULEMENT = Citation(
    framework="1951 Refugee Convention, art. 33 (non-refoulement), which UNHCR applies to "
    "asylum-seekers until their claim is finally decided; UNHCR 10-Point Plan in Action (2011), "
    "ch. 9 (return arrangements for non-refugees)",
    seed=para(17, 24),
)
TRAFFICKED_RETURN = Citation(
    framework="OSCE/ODIHR, Guiding Principles on Human Rights in the Return of Trafficked "
    "Persons (2014): safe return, due process, protection where return is impossible; IOM "
    "Reintegration Handbook (2019), §2.2.2 (risk assessment)",
    seed=para(24),
    caveat="the Guiding Principles read from their table of contents",
)
FAMILY_INTEGRATION = Citation(
    framework="MC/INF/294 ¶24: some States take into account the family situation and level of "
    "integration before deciding on return; ¶23 (individual regularization on family grounds, "
    "case by case)",
    seed=para(23, 24),
    caveat="the note says 'some States': the five-year mark used here is this course's "
    "teaching rule, not a standard",
)
VOLUNTARY = Citation(
    framework="IOM, A Framework for Assisted Voluntary Return and Reintegration (2018): an "
    "informed decision, safe and dignified travel; voluntariness is freedom of choice and a "
    "decision on 'timely, unbiased and reliable information'",
    seed=para(24, 25),
    caveat="ECRE and Newland (2018) call return voluntary only where the person could legally "
    "stay; IOM reads it more broadly",
)
DUE_PROCESS = Citation(
    framework="MC/INF/294 ¶24: respect for international principles and standards concerning "
    "migrants in an irregular situation, and the human rights and dignity of migrants; due "
    "process and remedies, as the OSCE/ODIHR Guiding Principles (2014) set them out for "
    "trafficked persons",
    seed=para(24),
)
REINTEGRATION = Citation(
    framework="MC/INF/294 ¶25 (measures to facilitate reintegration where voluntary return is "
    "opted for); IOM, Towards an Integrated Approach to Reintegration in the Context of Return "
    "(2017)",
    seed=para(25),
)
DETENTION = Citation(
    framework="UNHCR Detention Guidelines (2012): detention only where necessary and "
    "proportionate, never arbitrary; children are not detained for immigration purposes "
    "(UNHCR Issue Brief, 2017)",
    seed=para(19, 24),
    caveat="the Guidelines' titles were verified, their numbering and text not",
)
CONFIDENTIALITY = Citation(
    framework="UNHCR Advisory Opinion on confidentiality (2005): asylum information is not "
    "shared with the country of origin; the course's screening rules (module 5) extend the same "
    "care to a child before a best-interests determination and to a possible victim of "
    "trafficking before a risk assessment",
    seed=para(17, 24),
)

# --- Returnees -----------------------------------------------------------------------------------


class Returnee(Strict):
    """A synthetic person whose return is being decided: the facts ¶24 asks to weigh."""

    id: Id
    name: str
    age: Annotated[int, Field(ge=0, le=100)]
    sex: Literal["female", "male"]
    origin: str
    story: str
    """What the learner reads (checked against the facts by :func:`story_problems`)."""
    alone: bool = False
    """A child without a parent or customary caregiver here (unaccompanied or separated)."""
    best_interests: Literal["not_done", "return", "stay"] = "not_done"
    """A best-interests determination: not yet done, or what it found."""
    trafficking_indications: bool = False
    risk_assessment: Literal["not_done", "safe", "unsafe"] = "not_done"
    protection_claim: Literal["none", "pending", "refused_final"] = "none"
    wishes_to_return: bool = False
    years_here: Annotated[float, Field(ge=0, le=80)] = 0
    family: Literal["none", "with_returnee", "settled_here"] = "none"
    """Family members who would go with the person, or who are settled here with a right to
    stay (a spouse, children at school)."""
    works_and_speaks: bool = False
    """Works and speaks the language here (integration, with years here)."""
    medical: bool = False
    """A serious medical condition: fitness to travel and care on arrival."""

    @property
    def child(self) -> bool:
        return self.age < 18

    @model_validator(mode="after")
    def _coherent(self) -> Returnee:
        if self.alone and not self.child:
            raise ValueError("'alone' is for a child without a parent or caregiver here")
        if self.best_interests != "not_done" and not self.alone:
            raise ValueError("a best-interests determination is for a child alone")
        if self.risk_assessment != "not_done" and not self.trafficking_indications:
            raise ValueError("a risk assessment is recorded only with indications of trafficking")
        return self


Decision = Literal[
    "voluntary_return", "enforced_return", "bid_first", "risk_first", "consider_stay", "no_return"
]
DECISIONS: dict[str, str] = {
    "voluntary_return": "Assisted voluntary return, with reintegration support",
    "enforced_return": "Enforced return, with the safeguards of due process",
    "bid_first": "Nothing decided on return before a best-interests determination",
    "risk_first": "Nothing decided on return before an individual risk assessment",
    "consider_stay": "Weigh family and integration: consider a permit to stay",
    "no_return": "Return ruled out for now: protection or a solution here",
}
"""Every decision a learner may take, in the order shown."""

MEASURES: dict[str, str] = {
    "guardian": "A guardian appointed, the child heard, a best-interests procedure run",
    "escort_handover": "An accompanying guardian, a hand-over to family or care, case "
    "management across the border",
    "informed_choice": "Full, unbiased information on return and its alternatives, and time to "
    "decide",
    "reintegration_plan": "A reintegration plan agreed before departure",
    "written_decision": "A written individual decision with reasons, and a remedy that can stop "
    "removal",
    "family_unity": "The family kept together: its members go together or not at all",
    "medical_care": "Fitness to travel checked, and care arranged on arrival",
    "contact_origin": "Send the file to the authorities of the country of origin now, for "
    "travel documents",
    "detain": "Detain the person until departure",
}
"""Every measure a learner may take with a decision, in the order shown."""

RETURNS = ("voluntary_return", "enforced_return")


@dataclass(frozen=True)
class Measure:
    id: str
    label: str
    call: Call
    why: str
    citation: Citation


@dataclass(frozen=True)
class Ruling:
    """What the rules say of one returnee: the decision, why, and each measure's call."""

    returnee: Returnee
    decision: str
    rule: int
    """Which rule of the module docstring decided (1 to 5)."""
    why: str
    citation: Citation
    measures: tuple[Measure, ...]

    @property
    def required(self) -> list[str]:
        return [m.id for m in self.measures if m.call == "required"]

    def measure(self, mid: str) -> Measure:
        return next(m for m in self.measures if m.id == mid)


def _decision(r: Returnee) -> tuple[str, int, str, Citation]:
    n = r.name
    if r.child and r.alone:
        if r.best_interests == "not_done":
            why = (
                f"{n} is {r.age} and here without a parent or caregiver: nothing is decided "
                "about return before a best-interests determination"
                + (", even though the child asks to go home." if r.wishes_to_return else ".")
            )
            return "bid_first", 1, why, BEST_INTERESTS
        if r.best_interests == "return":
            return (
                "voluntary_return",
                1,
                f"The best-interests determination found that {n} should return to family: an "
                "accompanied return, prepared on both sides of the border.",
                BEST_INTERESTS,
            )
        return (
            "no_return",
            1,
            f"The best-interests determination found return not in {n}'s interest: a durable "
            "solution here, not a return.",
            BEST_INTERESTS,
        )
    if r.protection_claim == "pending":
        return (
            "no_return",
            2,
            f"{n}'s claim to protection is still being decided: no return until it is.",
            NON_REFOULEMENT,
        )
    if r.trafficking_indications:
        if r.risk_assessment == "not_done":
            return (
                "risk_first",
                3,
                f"There are indications that {n} was trafficked: return must be safe, and only "
                "an individual risk assessment can say whether it is"
                + (", whatever the person wishes today." if r.wishes_to_return else "."),
                TRAFFICKED_RETURN,
            )
        if r.risk_assessment == "unsafe":
            return (
                "no_return",
                3,
                f"The risk assessment found return unsafe for {n}: protection here, where return "
                "is impossible.",
                TRAFFICKED_RETURN,
            )
    ties = []
    if r.family == "settled_here":
        ties.append("family settled here with a right to stay")
    if r.years_here >= INTEGRATION_YEARS and r.works_and_speaks:
        ties.append(f"{r.years_here:g} years here, with work and the language")
    if ties and not r.wishes_to_return:
        return (
            "consider_stay",
            4,
            f"{n} has {' and '.join(ties)}: these are weighed before any return, and a permit "
            "to stay considered.",
            FAMILY_INTEGRATION,
        )
    if r.wishes_to_return:
        extra = " The risk assessment found return safe." if r.risk_assessment == "safe" else ""
        return (
            "voluntary_return",
            5,
            f"{n} chooses to go home, and nothing in the file makes return unsafe: an assisted "
            f"voluntary return, on full information.{extra}",
            VOLUNTARY,
        )
    refused = (
        " The asylum claim was refused by a final decision."
        if r.protection_claim == "refused_final"
        else ""
    )
    return (
        "enforced_return",
        5,
        f"{n} has no right to stay, no ties that call for a stay, and does not choose to go: a "
        f"return would be enforced, and is not called voluntary.{refused} Voluntary return stays "
        "open until departure.",
        DUE_PROCESS,
    )


def _measures(r: Returnee, decision: str) -> tuple[Measure, ...]:
    n = r.name
    returning = decision in RETURNS
    out: list[Measure] = []

    def add(mid: str, call: Call, why: str, cite: Citation) -> None:
        out.append(Measure(mid, MEASURES[mid], call, why, cite))

    if r.child and r.alone:
        add(
            "guardian",
            "required",
            f"{n} is a child alone: a guardian now, whatever is decided.",
            BEST_INTERESTS,
        )
    else:
        add("guardian", "not_needed", "Not a child alone.", BEST_INTERESTS)
    if r.child and r.alone and returning:
        add(
            "escort_handover",
            "required",
            "A child returns accompanied, handed over to family "
            "or care, with case management across the border.",
            BEST_INTERESTS,
        )
    else:
        add("escort_handover", "not_needed", "No child alone is being returned.", BEST_INTERESTS)
    if decision == "voluntary_return":
        add(
            "informed_choice",
            "required",
            "A voluntary return rests on an informed choice: "
            "full, unbiased information and time to decide.",
            VOLUNTARY,
        )
        add(
            "reintegration_plan",
            "required",
            "Where voluntary return is opted for, "
            "reintegration is prepared before departure (¶25).",
            REINTEGRATION,
        )
    elif decision == "enforced_return":
        add(
            "informed_choice",
            "allowed",
            "Voluntary return stays open: information on it does no harm.",
            VOLUNTARY,
        )
        add(
            "reintegration_plan",
            "allowed",
            "¶25 speaks of voluntary return; support after an enforced return is not excluded.",
            REINTEGRATION,
        )
    else:
        add(
            "informed_choice",
            "allowed",
            "Information on options is always allowed; no return is being prepared.",
            VOLUNTARY,
        )
        add(
            "reintegration_plan",
            "not_needed",
            "No return is decided: there is nothing to reintegrate into yet.",
            REINTEGRATION,
        )
    if decision == "enforced_return":
        add(
            "written_decision",
            "required",
            "An enforced return rests on a written individual "
            "decision with reasons, and a remedy that can stop removal.",
            DUE_PROCESS,
        )
    else:
        add(
            "written_decision",
            "allowed",
            "A written decision is good practice; it is what an enforced return cannot do without.",
            DUE_PROCESS,
        )
    if r.family == "with_returnee" and returning:
        add(
            "family_unity",
            "required",
            f"{n}'s family is here and would go too: together or not at all.",
            FAMILY_INTEGRATION,
        )
    else:
        add(
            "family_unity",
            "not_needed",
            "No family would be separated by this decision.",
            FAMILY_INTEGRATION,
        )
    if r.medical and returning:
        add(
            "medical_care",
            "required",
            f"{n} has a serious medical condition: fit to travel, and care waiting on arrival.",
            DUE_PROCESS,
        )
    else:
        add("medical_care", "not_needed", "No medical condition bears on travel now.", DUE_PROCESS)
    if decision in ("bid_first", "risk_first", "no_return"):
        add(
            "contact_origin",
            "forbidden",
            "Nothing goes to the authorities of origin while a "
            "claim, a risk or a child's interests are undecided, or return is ruled out.",
            CONFIDENTIALITY,
        )
    elif returning:
        add(
            "contact_origin",
            "allowed",
            "Travel documents come from the country of origin once return is decided.",
            DUE_PROCESS,
        )
    else:
        add(
            "contact_origin",
            "not_needed",
            "No return is decided: no documents are needed.",
            CONFIDENTIALITY,
        )
    if r.child:
        add("detain", "forbidden", "A child is never detained for immigration purposes.", DETENTION)
    elif decision == "enforced_return":
        add(
            "detain",
            "not_needed",
            "Detention is a last resort, only where necessary and "
            "proportionate: nothing in the file shows it is.",
            DETENTION,
        )
    else:
        add(
            "detain",
            "forbidden",
            "No removal is being enforced: detention would be arbitrary.",
            DETENTION,
        )
    return tuple(out)


def decide(r: Returnee) -> Ruling:
    """The decision and measures the rules call for, for one returnee."""
    decision, rule, why, cite = _decision(r)
    return Ruling(r, decision, rule, why, cite, _measures(r, decision))


# --- Files of returnees --------------------------------------------------------------------------


class Expected(Strict):
    decision: str
    measures: tuple[str, ...] = ()


class Caseload(Strict):
    """A worked file of returnees (``datasets/returns/caseloads/<id>.yaml``)."""

    id: Id
    title: str
    context: str
    returnees: Annotated[tuple[Returnee, ...], Field(min_length=1)]
    expected: dict[str, Expected]
    """The author's reading per returnee (compared with the rules by the tests)."""

    @model_validator(mode="after")
    def _check(self) -> Caseload:
        ids = [r.id for r in self.returnees]
        if len(set(ids)) != len(ids):
            raise ValueError("two returnees share an id")
        if set(self.expected) != set(ids):
            raise ValueError("give the expected reading of every returnee, and only of them")
        for e in self.expected.values():
            if e.decision not in DECISIONS:
                raise ValueError(f"not a decision: {e.decision}")
            bad = [m for m in e.measures if m not in MEASURES]
            if bad:
                raise ValueError(f"not a measure: {', '.join(bad)}")
        return self

    def returnee(self, rid: str) -> Returnee:
        return next(r for r in self.returnees if r.id == rid)


def caseloads_dir() -> Path:
    from mixedflows.paths import datasets_dir

    return datasets_dir() / "returns" / "caseloads"


def load_caseload(path_or_id: Path | str) -> Caseload:
    """Load and validate a file of returnees (a path, or an id in datasets/returns/caseloads/)."""
    p, c = load_model(path_or_id, caseloads_dir(), Caseload)
    for r in c.returnees:
        problems = story_problems(r)
        if problems:
            raise DataFileError(p, f"returnees.{r.id}.story", "; ".join(problems))
    return c


def list_caseloads() -> list[str]:
    return sorted(p.stem for p in caseloads_dir().glob("*.yaml"))


# --- What the story may say ----------------------------------------------------------------------

# Words that claim a fact: each must agree with the returnee's facts (the narrative-fact check).
_CLAIMS: tuple[tuple[tuple[str, ...], str, object], ...] = (
    (("alone", "unaccompanied", "without his parents", "without her parents"), "alone", True),
    (("trafficked", "traffick", "debt bondage", "forced to work"), "trafficking_indications", True),
    (
        ("asylum claim is pending", "waiting for a decision on asylum", "claim is pending"),
        "protection_claim",
        "pending",
    ),
    (("asylum was refused", "claim was refused"), "protection_claim", "refused_final"),
    (("wants to go home", "asks to go home", "wants to return"), "wishes_to_return", True),
    (("does not want to go", "refuses to go"), "wishes_to_return", False),
    (
        ("children at school here", "wife has a permit", "husband has a permit"),
        "family",
        "settled_here",
    ),
    (("with his wife", "with her husband", "with their children"), "family", "with_returnee"),
    (("diabet", "dialysis", "chemotherapy", "heart condition"), "medical", True),
    (("speaks the language",), "works_and_speaks", True),
)


def story_problems(r: Returnee) -> list[str]:
    """Sentences of the story that claim a fact the returnee lacks, and facts a decision rests
    on that the story does not say (its age, its years here)."""
    text = r.story.lower()
    out = []
    for words, field, value in _CLAIMS:
        hit = [w for w in words if w in text]
        fact = getattr(r, field)
        if hit and fact != value:
            out.append(f"the story says '{hit[0]}' but {field} is {fact!r}")
        elif fact == value and not hit:
            out.append(f"{field} is {fact!r} but the story does not say so")
    if str(r.age) not in text:
        out.append(f"the story does not give the age ({r.age})")
    if r.years_here and f"{r.years_here:g} year" not in text:
        out.append(f"the story does not say {r.years_here:g} years here")
    return out


def situation_lines(r: Returnee) -> list[str]:
    """The file's facts as the learner reads them under the story (generated from the facts)."""
    years = f"{r.years_here:g} year" + ("" if r.years_here == 1 else "s")
    lines = [f"{r.age}, {r.sex}, from {r.origin}; {years} here."]
    if r.child:
        lines.append(
            "A child alone here." if r.alone else "A child, here with a parent or caregiver."
        )
    if r.alone:
        lines.append(
            {
                "not_done": "Best-interests determination: not done yet.",
                "return": "Best-interests determination: return to family found in the "
                "child's interest.",
                "stay": "Best-interests determination: return found not in the child's interest.",
            }[r.best_interests]
        )
    if r.trafficking_indications:
        lines.append(
            {
                "not_done": "Indications of trafficking; no risk assessment yet.",
                "safe": "Indications of trafficking; the risk assessment found return safe.",
                "unsafe": "Indications of trafficking; the risk assessment found return unsafe.",
            }[r.risk_assessment]
        )
    lines.append(
        {
            "none": "No protection claim.",
            "pending": "A protection claim is pending.",
            "refused_final": "Protection claim refused by a final decision.",
        }[r.protection_claim]
    )
    lines.append(
        {
            "none": "No family here.",
            "with_returnee": "Family here who would go too.",
            "settled_here": "Family settled here with a right to stay.",
        }[r.family]
    )
    if r.works_and_speaks:
        lines.append("Works here and speaks the language.")
    if r.medical:
        lines.append("A serious medical condition.")
    lines.append("Wants to go home." if r.wishes_to_return else "Does not want to go home.")
    return lines
