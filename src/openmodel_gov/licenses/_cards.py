"""License checks over a model card: each component, and the card against its base models."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

from openmodel_gov._core import Frozen
from openmodel_gov.errors import LicenseExpressionError
from openmodel_gov.licenses._chain import read_license, resolve_chain
from openmodel_gov.licenses._classify import classify
from openmodel_gov.licenses._engine import as_facts, reason
from openmodel_gov.licenses._results import (
    VERDICT_COLORS,
    Citation,
    LicenseClassification,
    LicenseSource,
    UseFacts,
    Verdict,
    VerdictKind,
)
from openmodel_gov.licenses._use import derivative_verdict

if TYPE_CHECKING:
    from openmodel_gov.cards import ModelCard

__all__ = ["CardLicenseReport", "ComponentLicenseCheck", "card_report"]

_RANK: dict[VerdictKind, int] = {"compatible": 0, "needs_review": 1, "incompatible": 2}


class ComponentLicenseCheck(Frozen):
    """The license of one part of a release (a MOF component, a global license, the card)."""

    part: str
    declared: str | None
    canonical: str | None
    classification: LicenseClassification | None
    verdict: VerdictKind
    message: str

    def __str__(self) -> str:
        cat = f" [{self.classification.category}]" if self.classification else ""
        return f"[{self.verdict}] {self.part}: {self.canonical or self.declared or '-'}{cat} - {self.message}"


class CardLicenseReport(Frozen):
    """Every license check of one model card; ``verdict`` is the worst of them."""

    card: str
    verdict: VerdictKind
    parts: tuple[ComponentLicenseCheck, ...]
    base_checks: tuple[Verdict, ...]

    def to_dict(self) -> dict[str, Any]:
        """Plain JSON-ready dict."""
        return self.model_dump(mode="json")

    def __str__(self) -> str:
        lines = [f"{self.verdict}: licenses of model card {self.card!r}"]
        lines += [f"  - {p}" for p in self.parts]
        for check in self.base_checks:
            lines += ["  " + line for line in str(check).splitlines()]
        return "\n".join(lines)

    def _repr_html_(self) -> str:
        from openmodel_gov._core._render import html_table

        rows: list[list[object]] = [
            [
                p.part,
                p.canonical or p.declared or "-",
                p.classification.category if p.classification else "-",
                p.verdict,
                p.message,
            ]
            for p in self.parts
        ]
        colors: list[list[str | None]] = [
            [None, None, None, VERDICT_COLORS[p.verdict], None] for p in self.parts
        ]
        table = html_table(
            ["part", "license", "category", "verdict", "note"],
            rows,
            caption=f"Licenses of {self.card}: {self.verdict}",
            cell_colors=colors,
        )
        return table + "".join(check._repr_html_() for check in self.base_checks)


def _part(part: str, declared: str | None) -> ComponentLicenseCheck:
    if declared is None:
        return ComponentLicenseCheck(
            part=part,
            declared=None,
            canonical=None,
            classification=None,
            verdict="needs_review",
            message="no license declared",
        )
    if declared.strip().lower() == "unlicensed":
        return ComponentLicenseCheck(
            part=part,
            declared=declared,
            canonical=None,
            classification=None,
            verdict="incompatible",
            message="released explicitly without a license: no rights are granted",
        )
    try:
        found = classify(declared)
    except LicenseExpressionError as exc:
        canonical, note = read_license(declared)
        if canonical is not None:
            found = classify(canonical).model_copy(update={"notes": (note,) if note else ()})
            return _classified(part, declared, found)
        return ComponentLicenseCheck(
            part=part,
            declared=declared,
            canonical=None,
            classification=None,
            verdict="needs_review",
            message=exc.message,
        )
    return _classified(part, declared, found)


def _classified(part: str, declared: str, found: LicenseClassification) -> ComponentLicenseCheck:
    verdict: VerdictKind = "needs_review" if found.category == "unknown" else "compatible"
    message = (
        "license not identified" if verdict == "needs_review" else (found.label or found.category)
    )
    if found.notes:
        message += f" ({'; '.join(found.notes)})"
    return ComponentLicenseCheck(
        part=part,
        declared=declared,
        canonical=found.expression,
        classification=found,
        verdict=verdict,
        message=message,
    )


def card_report(
    card: ModelCard,
    *,
    base_licenses: Mapping[str, str] | None,
    facts: UseFacts | Mapping[str, object] | None,
    local_cards: Mapping[str, ModelCard] | None = None,
    search_paths: Sequence[str | Path] = (),
) -> CardLicenseReport:
    """Implementation of :func:`openmodel_gov.licenses.check_card_licenses`."""
    info = as_facts(facts)
    update: dict[str, object] = {}
    if info.derivative_name is None:
        update["derivative_name"] = card.name
    if info.distilled is None and card.base_model_relation is not None:
        update["distilled"] = card.base_model_relation == "distillation"
    info = info.model_copy(update=update)
    chain = resolve_chain(
        card, base_licenses=base_licenses, local_cards=local_cards, search_paths=search_paths
    )
    own = chain[0]
    parts = [_part("card license", own.license or card.license)]
    for content_type in ("distribution", "code", "data", "document"):
        value = getattr(card.licenses, content_type, None)
        if value is not None:
            parts.append(_part(f"global {content_type} license", value))
    for name, component in card.components.items():
        if component.included is False:
            continue
        declared = component.license
        if declared is None:
            continue  # inherits the global license of its content type (checked above)
        parts.append(_part(f"component {name!r}", declared))
    base_checks = [_base_check(card, own.license, src, info) for src in chain[1:]]
    verdicts = [p.verdict for p in parts] + [c.verdict for c in base_checks]
    worst = max(verdicts, key=_RANK.__getitem__)
    return CardLicenseReport(
        card=card.name, verdict=worst, parts=tuple(parts), base_checks=tuple(base_checks)
    )


def _base_check(card: ModelCard, own: str | None, src: LicenseSource, info: UseFacts) -> Verdict:
    question = (
        f"release {card.name!r} as a derivative of {src.subject.removeprefix('base model ')!r}"
    )
    if src.license is None or own is None:
        missing = (
            f"{src.subject}'s license is not known ({src.note}); pass base_licenses={{...}}"
            if src.license is None
            else "the card's own license is not declared"
        )
        return Verdict(
            question=question,
            verdict="needs_review",
            reasons=(
                reason(
                    "missing",
                    "needs_review",
                    src.license,
                    missing,
                    Citation(source="model card", section="base_model / license"),
                ),
            ),
            sources=(src,),
        )
    return derivative_verdict(src.license, own, facts=info).model_copy(update={"sources": (src,)})
