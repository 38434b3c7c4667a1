"""Sources the material cites: the seed documents by paragraph, and the frameworks.

Every piece of feedback and every referral rationale carries a :class:`Citation`, so a learner
can always see which text a rule comes from. Paragraph numbers are those of IOM MC/INF/294
(2008); deck sections are those of IOM's slide deck "Irregular Migration and Mixed Flows: IOM's
Approach".
"""

from __future__ import annotations

from collections.abc import Iterable

from pydantic import BaseModel, ConfigDict


class Citation(BaseModel):
    """A pointer to the text a rule or a piece of feedback rests on."""

    model_config = ConfigDict(frozen=True)

    framework: str
    """The framework or instrument, e.g. "UNHCR 10-Point Plan in Action (2011), ch. 6.5"."""
    seed: str = ""
    """The seed paragraph(s), e.g. "MC/INF/294 ¶17"."""
    caveat: str = ""
    """Where the framework's exact rule is uncertain, what is uncertain (shown to learners)."""

    def text(self) -> str:
        """One line for feedback: framework; seed paragraph; caveat if any."""
        parts = [self.framework]
        if self.seed:
            parts.append(self.seed)
        line = "; ".join(parts)
        if self.caveat:
            line += f" (caveat: {self.caveat})"
        return line


def cited(citations: Iterable[Citation]) -> str:
    """Several citations as one line: each framework and seed once, joined by " | ", then their
    caveats once each, as a learner reads them (a copy's site becomes "read in a copy",
    :func:`mixedflows.flows.data.learner_source`). Joining each :meth:`Citation.text` repeated
    a caveat shared by several frameworks and nested its brackets (the rescue port's feedback)."""
    from mixedflows.flows.data import learner_source

    cs = list(citations)
    heads = dict.fromkeys("; ".join(x for x in (c.framework, c.seed) if x) for c in cs)
    caveats = dict.fromkeys(learner_source(c.caveat) for c in cs if c.caveat)
    line = " | ".join(heads)
    if caveats:
        word = "caveat" if len(caveats) == 1 else "caveats"
        line += f" ({word}: {'; '.join(caveats)})"
    return line


NOTE = "MC/INF/294"


def para(*numbers: int | str) -> str:
    """Format seed paragraph numbers: ``para(17)`` -> ``"MC/INF/294 ¶17"``."""
    return f"{NOTE} " + ", ".join(f"¶{n}" for n in numbers)


# Frameworks, named once so that the same wording appears everywhere.
MIXED_FLOWS_DEFINITION = Citation(
    framework="IOM Glossary on Migration (2004) definition of mixed flows, quoted in MC/INF/294",
    seed=para(6),
)
REFUGEE_DEFINITION = Citation(
    framework="1951 Convention relating to the Status of Refugees, art. 1A(2), and 1967 Protocol",
    seed=para(7, 17),
)
PALERMO = Citation(
    framework="Palermo Protocol (2000), art. 3; ILO/EC Operational indicators of trafficking (2009)",
    seed=para(7, 17),
)
CRC_GC6 = Citation(
    framework="CRC General Comment No. 6 (2005) on unaccompanied and separated children; "
    "UNHCR Best Interests Procedure Guidelines (2021)",
    seed=para(17, 21),
)
STRANDED = Citation(
    framework="IOM definition of stranded migrants, as used in MC/INF/294",
    seed=para(20),
)
WELFARE_FIRST = Citation(
    framework="UNHCR 10-Point Plan (2007), point 4 (reception arrangements)",
    seed=para(17, 19),
)
COUNSELLING = Citation(
    framework="UNHCR 10-Point Plan in Action (2011), ch. 9 (return arrangements for non-refugees "
    "and alternative migration options)",
    seed=para(17),
)
SPECIFIC_NEEDS = Citation(
    framework="UNHCR specific-needs categories (proGres codes) and 10-Point Plan in Action, ch. 6.3",
    seed=para(8, 19),
)
DOMV = Citation(
    framework="IOM Determinants of Migrant Vulnerability model (IOM Handbook, 2019)",
    seed=para(8),
)
SMUGGLING = Citation(
    framework="Protocol against the Smuggling of Migrants by Land, Sea and Air (2000), art. 3",
    seed=para(6),
)
