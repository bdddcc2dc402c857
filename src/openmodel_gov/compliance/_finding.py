"""The compliance finding: a rule's outcome for a dataset (or the model), with its question.

Every finding is a :class:`openmodel_gov.results.Finding` (the shared vocabulary) with the
pack and regulation it belongs to. A finding is *decided* (its condition holds on stated
facts), *open* (it would hold if an unknown fact turns out true, and something makes that
plausible) or *ruled out* (stated facts exclude it). The rows, aggregates and the matrix that
hold findings live in ``_results``.
"""

from __future__ import annotations

from typing import Annotated, Literal

from pydantic import BeforeValidator, model_validator

from openmodel_gov._core import Citation, RiskLevel, tupleize, worst_risk
from openmodel_gov._core import Finding as CoreFinding
from openmodel_gov.compliance._items import Mitigation

__all__ = ["NOT_APPLICABLE", "Finding", "highest_risk"]

#: What the matrix shows when no regulation applies.
NOT_APPLICABLE = "N/A"
_Tuple = BeforeValidator(tupleize)


def highest_risk(levels: list[RiskLevel] | tuple[RiskLevel, ...]) -> RiskLevel:
    """The highest of ``levels`` (``Low`` for none).

    >>> highest_risk(["Medium", "Critical", "Low"])
    'Critical'
    """
    return worst_risk(levels)


class Finding(CoreFinding):
    """A compliance rule's outcome for a dataset (or, for model rules, the model).

    Built on the shared :class:`openmodel_gov.results.Finding`: ``severity`` is the rule's
    risk, ``status`` says whether it is decided, open or ruled out, ``unknown_facts`` the facts
    an open finding needs.

    Attributes:
        pack: the pack that holds the rule (``licenses`` for license findings).
        regulation: the regulation named in the matrix (``None``: good practice).
        question: for an open finding, the question that decides it (answer "yes": it applies).
        how_to_state: for an open finding, where each unknown fact is given (dataset field or
            context key).
        risk_basis: ``law`` when the risk level follows from the law's text, ``judgement``
            when it is ours.
        risk_note: why the risk is at this level.
        mitigation_citations: the source of each mitigation, in the same order (empty: the
            finding's first citation).
    """

    pack: str
    regulation: str | None = None
    question: str | None = None
    how_to_state: Annotated[tuple[str, ...], _Tuple] = ()
    risk_basis: Literal["law", "judgement"] = "judgement"
    risk_note: str | None = None
    mitigation_citations: Annotated[tuple[Citation, ...], _Tuple] = ()

    @model_validator(mode="after")
    def _aligned(self) -> Finding:
        if self.mitigation_citations and len(self.mitigation_citations) != len(self.mitigations):
            raise ValueError("mitigation_citations must give one citation per mitigation")
        return self

    @property
    def risk(self) -> RiskLevel:
        """The rule's risk level (the finding's severity)."""
        return self.severity

    @property
    def rationale(self) -> str:
        """The reasons, as one text."""
        return " ".join(self.reasons)

    def mitigation_items(self) -> tuple[Mitigation, ...]:
        """The mitigations with their citations."""
        primary: tuple[Citation, ...] = self.citations[:1]
        cites: list[tuple[Citation, ...]] = [(c,) for c in self.mitigation_citations]
        cites = cites or [primary] * len(self.mitigations)
        return tuple(
            Mitigation(text=text, citations=cite, rule_ids=(self.rule_id,))
            for text, cite in zip(self.mitigations, cites, strict=True)
        )

    def ask(self) -> str:
        """``Question? If yes: Regulation, Risk`` (for open findings)."""
        question = self.question or self.title + "?"
        return f"{question} If yes: {self.regulation or NOT_APPLICABLE}, {self.severity}"

    def status_label(self) -> str:
        """``decided``, ``ruled out``, or ``open: needs fact, fact``."""
        if self.status == "open":
            return "open: needs " + ", ".join(self.unknown_facts)
        return self.status.replace("-", " ")

    def _repr_html_(self) -> str:
        from openmodel_gov._core._render import RISK_COLORS, html_table

        rows = [
            ["Rule", self.rule_id],
            ["Regulation", self.regulation or NOT_APPLICABLE],
            ["Risk", self.severity],
            ["Status", self.status_label()],
            ["Why", self.rationale],
            ["Mitigations", "\n".join(f"- {m}" for m in self.mitigations)],
            ["Citations", "\n".join(f"- {c}" for c in self.citations)],
        ]
        colors = [[None, RISK_COLORS[self.severity] if r[0] == "Risk" else None] for r in rows]
        return html_table(["", self.title], rows, cell_colors=colors)

    def __str__(self) -> str:
        text = (
            f"[{self.severity}] {self.regulation or NOT_APPLICABLE}: {self.title} ({self.rule_id})"
        )
        text += "; " + "; ".join(str(c) for c in self.citations)
        if self.status == "open":
            text += f" -- open: {self.ask()}"
        elif self.status == "ruled-out":
            text += " -- ruled out"
        return text
