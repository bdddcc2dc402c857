"""Mitigations (with their sources) and open questions, gathered across findings."""

from __future__ import annotations

import functools
from collections.abc import Sequence
from typing import TYPE_CHECKING, Annotated, Any

from pydantic import BeforeValidator

from openmodel_gov._core import Citation, Frozen, RiskLevel, risk_rank, tupleize, worst_risk

if TYPE_CHECKING:
    from openmodel_gov.compliance._finding import Finding

__all__ = ["Mitigation", "OpenQuestion", "collect_questions", "merge_mitigations"]

NOT_APPLICABLE = "N/A"
_Tuple = BeforeValidator(tupleize)


class Mitigation(Frozen):
    """One thing to do, with its sources and the rules that call for it.

    >>> print(Mitigation(text="Remove PII before training"))
    Remove PII before training
    """

    text: str
    citations: Annotated[tuple[Citation, ...], _Tuple] = ()
    rule_ids: Annotated[tuple[str, ...], _Tuple] = ()

    def __str__(self) -> str:
        return self.text

    def cited(self) -> str:
        """``text (citation; citation)``."""
        if not self.citations:
            return self.text
        return f"{self.text} ({'; '.join(str(c) for c in self.citations)})"


def merge_mitigations(findings: Sequence[Finding]) -> tuple[Mitigation, ...]:
    """Mitigations of ``findings`` in order, each text once, its citations and rules merged."""
    merged: dict[str, tuple[dict[Citation, None], dict[str, None]]] = {}
    for finding in findings:
        cites = finding.mitigation_citations or (finding.citations[:1] * len(finding.mitigations))
        for text, cite in zip(
            finding.mitigations, cites or (None,) * len(finding.mitigations), strict=True
        ):
            seen_cites, rules = merged.setdefault(text, ({}, {}))
            if cite is not None:
                seen_cites[cite] = None
            rules[finding.rule_id] = None
    return tuple(
        _mitigation(text, tuple(cites), tuple(rules)) for text, (cites, rules) in merged.items()
    )


@functools.lru_cache(maxsize=8192)
def _mitigation(
    text: str, citations: tuple[Citation, ...], rule_ids: tuple[str, ...]
) -> Mitigation:
    """A mitigation from validated parts (memoized: equal rows share their mitigations)."""
    return Mitigation.model_construct(text=text, citations=citations, rule_ids=rule_ids)


class OpenQuestion(Frozen):
    """A fact to establish: what to ask, what it would mean, and how to state the answer.

    >>> q = OpenQuestion(question="Is the service directed to children under 13?",
    ...                  facts=("context.directed_to_children",), regulation="COPPA",
    ...                  risk="Critical", how_to_state=("context key `directed_to_children`",))
    >>> print(q)
    Is the service directed to children under 13? If yes: COPPA, Critical
    """

    question: str
    facts: Annotated[tuple[str, ...], _Tuple]
    how_to_state: Annotated[tuple[str, ...], _Tuple] = ()
    regulation: str | None = None
    risk: RiskLevel
    rule_ids: Annotated[tuple[str, ...], _Tuple] = ()
    datasets: Annotated[tuple[str, ...], _Tuple] = ()

    def to_dict(self) -> dict[str, Any]:
        """Plain JSON-ready data."""
        return {**self.model_dump(mode="json"), "text": str(self)}

    def __str__(self) -> str:
        return f"{self.question} If yes: {self.regulation or NOT_APPLICABLE}, {self.risk}"


def collect_questions(
    items: list[tuple[str, Finding]],
) -> tuple[OpenQuestion, ...]:
    """Open findings grouped by question and regulation, highest risk first."""
    groups: dict[tuple[str, str | None], list[tuple[str, Finding]]] = {}
    for dataset, finding in items:
        if finding.status == "open":
            key = (finding.question or finding.title + "?", finding.regulation)
            groups.setdefault(key, []).append((dataset, finding))
    out = [
        OpenQuestion(
            question=question,
            regulation=regulation,
            risk=worst_risk(f.severity for _, f in members),
            facts=tuple(dict.fromkeys(x for _, f in members for x in f.unknown_facts)),
            how_to_state=tuple(dict.fromkeys(x for _, f in members for x in f.how_to_state)),
            rule_ids=tuple(dict.fromkeys(f.rule_id for _, f in members)),
            datasets=tuple(dict.fromkeys(d for d, _ in members)),
        )
        for (question, regulation), members in groups.items()
    ]
    return tuple(sorted(out, key=lambda q: (-risk_rank(q.risk), q.regulation or "", q.question)))
