"""Readiness for the Open Source AI Definition (OSAID) 1.0."""

from __future__ import annotations

from typing import Any

from openmodel_gov._core import Frozen
from openmodel_gov.cards import ModelCard, component_specs
from openmodel_gov.openness._data import osaid_facts
from openmodel_gov.openness._input import CardLike, as_card
from openmodel_gov.openness._licensing import open_in_mode, resolve_component_license

__all__ = ["OsaidCheck", "OsaidReadiness", "OsaidRequirementResult", "osaid_readiness"]


class OsaidCheck(Frozen):
    """One component an OSAID requirement needs: is it released, under acceptable terms?"""

    component: str
    released: bool
    license: str | None
    terms_ok: bool
    required: bool
    reason: str


class OsaidRequirementResult(Frozen):
    """One OSAID requirement (data information, code, parameters) and what the card lacks."""

    id: str
    title: str
    met: bool
    checks: list[OsaidCheck]
    listing: bool | None
    missing: list[str]
    recommendations: list[str]
    source: str


class OsaidReadiness(Frozen):
    """What OSAID 1.0 requires of a model and which of it the card lacks.

    >>> from openmodel_gov.cards import load_card
    >>> r = osaid_readiness(load_card({"name": "demo"}))
    >>> r.ready, [q.id for q in r.requirements]
    (False, ['data-information', 'code', 'parameters'])
    """

    name: str
    ready: bool
    requirements: list[OsaidRequirementResult]

    @property
    def missing(self) -> list[str]:
        """Everything the card lacks, one line each."""
        return [m for r in self.requirements for m in r.missing]

    def explain(self) -> str:
        """Requirement by requirement: met or not, and why."""
        lines = [f"{self.name}: {'meets' if self.ready else 'does not meet'} OSAID 1.0"]
        for r in self.requirements:
            lines.append(f"  {r.title}: {'met' if r.met else 'NOT met'} ({r.source})")
            lines.extend(
                f"    [{'ok' if c.terms_ok else '--'}] {c.component}: {c.reason}" for c in r.checks
            )
            lines.extend(f"    missing: {m}" for m in r.missing)
            lines.extend(f"    recommended: {m}" for m in r.recommendations)
        return "\n".join(lines)

    def __str__(self) -> str:
        met = sum(r.met for r in self.requirements)
        return (
            f"{self.name}: OSAID 1.0 {'ready' if self.ready else 'not ready'} "
            f"({met}/{len(self.requirements)} requirements met)"
        )

    def to_dict(self) -> dict[str, Any]:
        """Plain JSON-compatible data, with the flat ``missing`` list."""
        data = self.model_dump(mode="json")
        data["missing"] = self.missing
        return data

    def _repr_html_(self) -> str:
        from openmodel_gov._core._render import RAG_COLORS, html_table

        rows = [
            [r.title, "met" if r.met else "not met", "; ".join(r.missing) or "-"]
            for r in self.requirements
        ]
        colors: list[list[str | None]] = [
            [None, RAG_COLORS["green" if r.met else "red"], None] for r in self.requirements
        ]
        return html_table(
            ["requirement", "status", "missing"], rows, cell_colors=colors, caption=str(self)
        )


def _check(card: ModelCard, component: str, terms: str, required: bool) -> OsaidCheck:
    from openmodel_gov.openness._dimensions import FINAL, _disclosed, weights_evidence
    from openmodel_gov.openness._signals import read_signals

    content_type = component_specs()[component].content_type
    released = _disclosed(card, component, "released", read_signals(card)) is not None
    if component == FINAL and not released:
        released = bool(weights_evidence(card))
    if not released:
        return OsaidCheck(
            component=component,
            released=False,
            license=None,
            terms_ok=False,
            required=required,
            reason="not released",
        )
    resolved = resolve_component_license(card, component, content_type)
    if resolved.value is None or resolved.explicit_none:
        return OsaidCheck(
            component=component,
            released=True,
            license=resolved.value,
            terms_ok=False,
            required=required,
            reason="released without a license",
        )
    ok, canonical = open_in_mode(
        resolved.value, "normalized", check="osi" if terms == "osi" else "mot"
    )
    shown = canonical or resolved.value
    wanted = "an OSI-approved license" if terms == "osi" else "OSI-approved or open terms"
    reason = f"{shown} is {wanted}" if ok else f"{shown} is not {wanted}"
    return OsaidCheck(
        component=component,
        released=True,
        license=resolved.value,
        terms_ok=ok,
        required=required,
        reason=reason + f" ({resolved.origin} license)",
    )


def osaid_readiness(card: CardLike) -> OsaidReadiness:
    """Check a card against the Open Source AI Definition 1.0.

    OSAID 1.0 requires data information, the complete code, and the parameters, each under
    OSI-approved terms (``data/openness/osaid.yaml`` maps these onto MOF components, citing
    the definition). Code needs OSI-approved licenses; data information and parameters accept
    OSI-approved or open data/content terms.

    Args:
        card: the model card (or a path or mapping, read with ``load_card``; for card text use ``load_card_text``).

    Returns:
        :class:`OsaidReadiness`: ``ready`` and, per requirement, what is missing.

    >>> from openmodel_gov.cards import load_card
    >>> card = load_card({"name": "m", "license": "Apache-2.0", "components": {
    ...     "Model parameters (Final)": {"included": True}}}, format="openmodel-gov")
    >>> [r.met for r in osaid_readiness(card).requirements]
    [False, False, True]
    """
    card = as_card(card)
    facts = osaid_facts()
    urls = {s.id: s.url for s in facts.sources}
    results = []
    for req in facts.requirements:
        checks = [_check(card, c, req.terms, True) for c in req.components]
        optional = [_check(card, c, req.terms, False) for c in req.recommended]
        missing = [f"{req.title}: {c.component} {c.reason}" for c in checks if not c.terms_ok]
        listing: bool | None = None
        if req.listing:
            from openmodel_gov.openness._dimensions import _disclosed
            from openmodel_gov.openness._signals import read_signals

            listing = bool(card.datasets or card.dataset_manifests) or (
                _disclosed(card, "Datasets", "listed", read_signals(card)) is not None
            )
            if not listing:
                missing.append(f"{req.title}: no listing of the training data and where to get it")
        recs = [f"{c.component}: {c.reason}" for c in optional if not c.terms_ok]
        results.append(
            OsaidRequirementResult(
                id=req.id,
                title=req.title,
                met=not missing,
                checks=checks + optional,
                listing=listing,
                missing=missing,
                recommendations=recs,
                source=urls.get(req.source, req.source),
            )
        )
    return OsaidReadiness(name=card.name, ready=all(r.met for r in results), requirements=results)
