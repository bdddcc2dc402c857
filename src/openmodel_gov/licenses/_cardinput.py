"""Model cards as inputs to verdicts: every license of the card's chain applies."""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from openmodel_gov._core import Citation
from openmodel_gov.licenses._chain import chain_expression, resolve_chain
from openmodel_gov.licenses._engine import RANK, reason
from openmodel_gov.licenses._results import Reason, Verdict, VerdictKind

if TYPE_CHECKING:
    from openmodel_gov.cards import ModelCard

__all__ = ["card_verdict"]


def card_verdict(
    card: ModelCard,
    judge: Callable[[str], Verdict],
    question: str,
    *,
    base_licenses: Mapping[str, str] | None,
    local_cards: Mapping[str, ModelCard] | None,
    search_paths: Sequence[str | Path],
) -> Verdict:
    """``judge`` the AND of the chain's known licenses; unknown links make it needs_review."""
    sources = resolve_chain(
        card, base_licenses=base_licenses, local_cards=local_cards, search_paths=search_paths
    )
    missing: list[Reason] = [
        reason(
            "unknown-license",
            "needs_review",
            None,
            f"{src.subject}: license not known ({src.note or 'not declared'})",
            Citation(source="model card", section="license / base_model"),
        )
        for src in sources
        if src.license is None
    ]
    expr = chain_expression(sources)
    if expr is None:
        return Verdict(
            question=question, verdict="needs_review", reasons=tuple(missing), sources=sources
        )
    inner = judge(expr)
    verdict: VerdictKind = inner.verdict
    if missing and RANK[verdict] < RANK["needs_review"]:
        verdict = "needs_review"
    reasons = inner.reasons + tuple(missing)
    if verdict != inner.verdict:
        reasons = tuple(missing) + inner.reasons
    return inner.model_copy(
        update={
            "question": f"{question} (licenses: {expr})",
            "verdict": verdict,
            "reasons": reasons,
            "sources": sources,
        }
    )
