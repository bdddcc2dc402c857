"""Model cards as inputs to verdicts: every license of the card's chain applies."""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from openmodel_gov._core import Citation
from openmodel_gov.licenses._chain import chain_expression, resolve_chain
from openmodel_gov.licenses._engine import RANK, reason
from openmodel_gov.licenses._results import Reason, UseFacts, Verdict, VerdictKind

if TYPE_CHECKING:
    from openmodel_gov.cards import ModelCard

__all__ = ["card_verdict", "derivative_of", "use_of"]


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


def derivative_of(
    base: str | ModelCard,
    derivative: str | None,
    *,
    facts: UseFacts | Mapping[str, object] | None,
    base_licenses: Mapping[str, str] | None = None,
    local_cards: Mapping[str, ModelCard] | None = None,
    search_paths: Sequence[str | Path] = (),
) -> Verdict:
    """Implementation of :func:`openmodel_gov.licenses.check_derivative` (string or card)."""
    from openmodel_gov.licenses._use import derivative_verdict

    if isinstance(base, str):
        return derivative_verdict(base, derivative, facts=facts)
    return card_verdict(
        base,
        lambda expr: derivative_verdict(expr, derivative, facts=facts),
        f"release a model derived from {base.name!r}"
        + (f" under {derivative!r}" if derivative else ": which licenses could it take?"),
        base_licenses=base_licenses,
        local_cards=local_cards,
        search_paths=search_paths,
    )


def use_of(
    license: str | ModelCard,  # noqa: A002
    *,
    facts: UseFacts | Mapping[str, object] | None,
    base_licenses: Mapping[str, str] | None = None,
    local_cards: Mapping[str, ModelCard] | None = None,
    search_paths: Sequence[str | Path] = (),
) -> Verdict:
    """Implementation of :func:`openmodel_gov.licenses.check_use` (string or card)."""
    from openmodel_gov.licenses._use import use_verdict

    if isinstance(license, str):
        return use_verdict(license, facts=facts)
    return card_verdict(
        license,
        lambda expr: use_verdict(expr, facts=facts),
        f"use {license.name!r} as described",
        base_licenses=base_licenses,
        local_cards=local_cards,
        search_paths=search_paths,
    )
