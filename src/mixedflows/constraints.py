"""Priorities as hard constraints, not a fixed sequence (MC/INF/294 ¶17).

¶17 orders only this: the most acute welfare needs first; then screening for indicators of
trafficking and for protection claims; and counselling on further options for "all remaining
persons". The frameworks add a few rules that never bend. The course grades those, and only
those; any order that respects them is right:

- **welfare first**: acute care before any interview or procedure (¶17, ¶19; 10-Point Plan,
  point 4);
- **a child's protection never waits**: referral to the child protection system comes before
  any other procedure (UNHCR Best Interests Procedure Guidelines 2021: "a pending BID should not
  stop you from taking urgent action to protect a child"; CRC General Comment No. 6);
- **counselling never replaces a referral**: counselling on options comes after the referrals a
  person needs, and is never given instead of a referral to a procedure (¶17: counselling is for
  "all remaining persons"; 10-Point Plan in Action ch. 9);
- **no trafficking interview in front of a suspected trafficker**: the person is taken aside
  first (UNHCR 10-Point Plan in Action ch. 5.2 and 6.4; confidentiality);
- **no contact with the authorities of the country of origin** when protection or trafficking
  is indicated (confidentiality and non-refoulement: 1951 Convention art. 33; CAT art. 3).

A *step* is a referral (a :class:`~mixedflows.profiles.Need` value) or one of the actions
:data:`STEPS` names. :func:`constraints_for` gives the constraints that apply to a screened
person; :func:`check` says which an answer respects, with a message citing its source.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

from mixedflows.citations import Citation, para
from mixedflows.profiles import NEED_LABELS, Need

if TYPE_CHECKING:
    from mixedflows.screening import Screening

PRIVATE = "private_interview"
INTERVIEW = "trafficking_interview"
ORIGIN = "origin_contact"
STEPS: dict[str, str] = {
    PRIVATE: "Take the person aside, away from anyone travelling with them",
    INTERVIEW: "Interview the person about the journey, work, debts and documents",
    ORIGIN: "Contact the embassy or consulate of the country of origin to confirm identity",
}
"""Actions that are not referrals but that the constraints order or forbid."""

PROCEDURES = (Need.CHILD_PROTECTION, Need.TRAFFICKING_REFERRAL, Need.ASYLUM_INFORMATION)
"""Referrals to a procedure: counselling is never given instead of one of them."""


def step_label(step: str) -> str:
    try:
        return NEED_LABELS[Need(step)]
    except ValueError:
        return STEPS[step]


WELFARE = Citation(
    framework="UNHCR 10-Point Plan (2007), point 4 (reception arrangements): acute welfare "
    "needs first, before any interview",
    seed=para(17, 19),
)
CHILD = Citation(
    framework="UNHCR Best Interests Procedure Guidelines (2021): a pending best interests "
    "determination never delays urgent protection; CRC General Comment No. 6 (2005)",
    seed=para(17, 21),
)
COUNSELLING = Citation(
    framework="UNHCR 10-Point Plan in Action (2011), ch. 9: counselling and return arrangements "
    "are for persons with no other path, after the referrals they need",
    seed=para(17),
)
PRIVATE_NOTE = (
    "MC/INF/294 does not state this rule in words: ¶17 asks for screening for indicators of "
    "trafficking and ¶19 makes the dignity and well-being of victims of trafficking a central "
    "concern; the rule itself comes from the frameworks named"
)
"""What the seed says and does not say about a private interview (trainer trial of issue 10,
point 10: the note was cited as if it said it)."""
PRIVATE_CITATION = Citation(
    framework="UNHCR 10-Point Plan in Action (2011), ch. 5.2 (referral, protecting personal "
    "data) and 6.4 (trafficked persons): interviews in private and in safety",
    seed=para(17, 19),
    caveat=PRIVATE_NOTE,
)
ORIGIN_SEED = (7, 17)
"""¶7 (refugees' protection, non-refoulement) and ¶17 (special protections for victims of
trafficking, migrant children and asylum seekers). Not ¶20: it asks for inter-State cooperation
on the return of *stranded* migrants, the case where contact with the country of origin is part
of the answer, and says nothing against contact (trainer trial of issue 10, point 10)."""
ORIGIN_CITATION = Citation(
    framework="Confidentiality and non-refoulement: 1951 Convention art. 33; CAT art. 3; "
    "UNHCR 10-Point Plan in Action (2011), ch. 5.2 (protecting personal data)",
    seed=para(*ORIGIN_SEED),
)


@dataclass(frozen=True)
class Constraint:
    """One hard constraint on the steps taken for one person."""

    id: str
    rule: str
    """The rule in words, for feedback."""
    citation: Citation
    before: tuple[str, ...] = ()
    """Steps that must come first..."""
    after: tuple[str, ...] = ()
    """...before every one of these."""
    forbidden: tuple[str, ...] = ()
    """Steps that must not be taken at all."""
    required: tuple[str, ...] = ()
    """Steps that must be taken if any of ``after`` is (counselling never replaces them)."""
    first_required: bool = False
    """The ``before`` step must be there whenever an ``after`` step is (care, child protection)."""


@dataclass(frozen=True)
class ConstraintCheck:
    """Whether one answer respects one constraint (``applicable`` False: nothing to check)."""

    constraint: Constraint
    applicable: bool
    respected: bool
    message: str


def constraints_for(s: Screening, *, interview: bool = False) -> tuple[Constraint, ...]:
    """The hard constraints on the steps for a screened person.

    With ``interview`` the interview steps (:data:`PRIVATE`, :data:`INTERVIEW`) and the
    forbidden contact with the country of origin (:data:`ORIGIN`) are part of the steps too.
    """
    needs = list(s.needs)
    extra = [INTERVIEW] if interview else []
    out = []
    if Need.URGENT_MEDICAL in needs:
        others = [n.value for n in needs if n is not Need.URGENT_MEDICAL] + extra
        out.append(
            Constraint(
                "welfare_first",
                "Welfare first: acute care comes before any interview or procedure.",
                WELFARE,
                before=(Need.URGENT_MEDICAL.value,),
                after=tuple(others),
                first_required=True,
            )
        )
    if Need.CHILD_PROTECTION in needs:
        later = [
            n.value for n in needs if n not in (Need.URGENT_MEDICAL, Need.CHILD_PROTECTION)
        ] + extra
        out.append(
            Constraint(
                "child_not_delayed",
                "A child's protection never waits behind another procedure: the referral to "
                "the child protection system comes first, after urgent care only.",
                CHILD,
                before=(Need.CHILD_PROTECTION.value,),
                after=tuple(later),
                first_required=True,
            )
        )
    referrals = [n for n in needs if n not in (Need.URGENT_MEDICAL, Need.COUNSELLING)]
    if referrals:
        out.append(
            Constraint(
                "counselling_after_referrals",
                "Counselling never replaces a referral: it comes after the referrals the person "
                "needs, never before or instead of them.",
                COUNSELLING,
                before=tuple(n.value for n in referrals),
                after=(Need.COUNSELLING.value,),
                required=tuple(n.value for n in referrals if n in PROCEDURES),
            )
        )
    if interview and s.interview_apart:
        out.append(
            Constraint(
                "private_interview",
                "No trafficking interview in front of a possible trafficker: take the person "
                "aside first, away from anyone travelling with them.",
                PRIVATE_CITATION,
                before=(PRIVATE,),
                after=(INTERVIEW,),
                first_required=True,
            )
        )
    if interview and s.origin_contact_forbidden:
        out.append(
            Constraint(
                "no_origin_contact",
                "No contact with the country of origin: where protection or trafficking is "
                "indicated, for a child, or before a risk assessment, nobody contacts its "
                "authorities (confidentiality, non-refoulement).",
                ORIGIN_CITATION,
                forbidden=(ORIGIN,),
            )
        )
    return tuple(out)


def check(constraints: Sequence[Constraint], steps: Sequence[str]) -> list[ConstraintCheck]:
    """Which constraints the ordered ``steps`` respect. A constraint whose steps are absent from
    the answer is not applicable, except that a missing first step (care, child protection) or a
    missing procedure beside counselling is a breach."""
    pos = {x: i for i, x in enumerate(steps)}
    out = []
    for c in constraints:
        if c.forbidden:
            taken = [x for x in c.forbidden if x in pos]
            msg = f"Not done: {step_label(taken[0])}. {c.rule}" if taken else f"Respected: {c.rule}"
            out.append(ConstraintCheck(c, True, not taken, msg))
            continue
        later = [x for x in c.after if x in pos]
        first = [x for x in c.before if x in pos]
        if not later:
            out.append(ConstraintCheck(c, False, True, ""))
            continue
        wrong = [(b, a) for b in first for a in later if pos[b] > pos[a]]
        missing_first = c.first_required and not first
        missing_required = [x for x in c.required if x not in pos]
        if missing_first:
            msg = f"Missing: {step_label(c.before[0])}. {c.rule}"
        elif missing_required:
            names = ", ".join(step_label(x) for x in missing_required)
            msg = f"Counselling was given and this referral is missing: {names}. {c.rule}"
        elif wrong:
            b, a = wrong[0]
            msg = f"'{step_label(a)}' comes before '{step_label(b)}'. {c.rule}"
        else:
            msg = f"Respected: {c.rule}"
        ok = not (missing_first or missing_required or wrong)
        out.append(ConstraintCheck(c, True, ok, msg))
    return out


def credit(checks: Sequence[ConstraintCheck]) -> float:
    """The share of applicable constraints respected (1.0 when none applies)."""
    app = [c for c in checks if c.applicable]
    return sum(c.respected for c in app) / len(app) if app else 1.0


def may_come_first(s: Screening) -> frozenset[Need]:
    """The referrals that no constraint puts after another referral this person needs: what a
    learner may rightly name as the first need."""
    needs = {n.value for n in s.needs}
    held = set()
    for c in constraints_for(s):
        if any(b in needs for b in c.before):
            held |= {a for a in c.after if a in needs}
    return frozenset(n for n in s.needs if n.value not in held)
