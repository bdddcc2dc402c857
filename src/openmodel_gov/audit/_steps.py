"""The audit steps that read the model card: card, openness, licenses.

Each step returns a typed result: its :class:`AuditSection` and the headline facts it
establishes, as named attributes (no dictionaries of loose keys).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Final, Literal

from pydantic import JsonValue

from openmodel_gov._core import ROMAN, Citation, Evidence, Finding, Rag, worst_rag
from openmodel_gov.audit._model import (
    AuditSection,
    BaseModelLicense,
    LicenseClass,
    LicenseVerdict,
    PlanItem,
    finding_rag,
)

if TYPE_CHECKING:
    from openmodel_gov.cards import ModelCard
    from openmodel_gov.licenses import Citation as LicenseCitation
    from openmodel_gov.licenses import Reason
    from openmodel_gov.openness import DimensionScore, MOFResult

__all__ = [
    "CardStep",
    "LicensesStep",
    "OpennessStep",
    "card_step",
    "figure",
    "license_citation",
    "licenses_step",
    "openness_step",
]

Display = Callable[[str], str]

#: Card fields a reviewer needs, with where the expectation comes from.
_DOC_FIELDS: Final[dict[str, tuple[str, Citation]]] = {
    "intended_use": (
        "intended use",
        Citation(source="Regulation (EU) 2024/1689 (AI Act)", section="Annex XII, point 1(a)-(b)"),
    ),
    "out_of_scope_use": (
        "out-of-scope use",
        Citation(source="Mitchell et al. 2019, Model Cards for Model Reporting", section="4.3"),
    ),
    "limitations": (
        "limitations",
        Citation(source="Mitchell et al. 2019, Model Cards for Model Reporting", section="4.9"),
    ),
    "bias_risks": (
        "bias and risks",
        Citation(source="Mitchell et al. 2019, Model Cards for Model Reporting", section="4.8"),
    ),
}
_HF_CARD = "Hugging Face model card metadata"
_MOF = Citation(source="Model Openness Framework v1.0 (LF AI & Data)", section="classes III-I")
_RUBRIC = Citation(source="openmodel-gov openness rubric", section="docs/openness.md")
_VERDICT_SEVERITY: Final[dict[str, Literal["Low", "Medium", "High"]]] = {
    "compatible": "Low",
    "needs_review": "Medium",
    "incompatible": "High",
}
_VERDICT_RAG: Final[dict[str, Rag]] = {
    "compatible": "green",
    "needs_review": "amber",
    "incompatible": "red",
}
_VERDICT_ORDER: Final[tuple[LicenseVerdict, ...]] = ("compatible", "needs_review", "incompatible")


def figure(svg: str, caption: str) -> str:
    import html

    if not svg:
        return ""
    return (
        f'<figure class="omg-figure">{svg}<figcaption>{html.escape(caption)}</figcaption></figure>'
    )


def license_citation(cite: LicenseCitation) -> Citation:
    """The license primitive's citation in the shared vocabulary."""
    return Citation(source=cite.source, section=cite.section, url=cite.url)


# --- card ---------------------------------------------------------------------------------
@dataclass(frozen=True)
class CardStep:
    """The card step: its section and the facts it establishes."""

    section: AuditSection
    license: str | None
    missing_fields: tuple[str, ...]
    base_models: tuple[str, ...]
    datasets: tuple[str, ...]


def card_step(card: ModelCard, where: str) -> CardStep:
    """Check the card's license and documentation fields."""
    findings: list[Finding] = []
    missing: list[str] = []
    if not card.license_declared:
        findings.append(
            Finding(
                rule_id="card.no-license",
                title="the card declares no license",
                severity="High",
                evidence=(Evidence(kind="front-matter", file=where, path="$.license"),),
                citations=(Citation(source=_HF_CARD, section="license"),),
                mitigations=(
                    "declare the license as an SPDX id (or hf:<id>) in the card's `license` key",
                ),
            )
        )
    for name, (label, citation) in _DOC_FIELDS.items():
        if not getattr(card, name):
            missing.append(name)
            findings.append(
                Finding(
                    rule_id=f"card.missing.{name}",
                    title=f"the card does not describe its {label}",
                    severity="Medium",
                    evidence=(Evidence(kind="front-matter", file=where, path=f"$.{name}"),),
                    citations=(citation,),
                    mitigations=(f"add the {label} to the model card",),
                )
            )
    if not card.license_declared:
        missing.append("license")
    if not card.eval_results:
        missing.append("eval_results")
        findings.append(
            Finding(
                rule_id="card.missing.eval_results",
                title="the card reports no evaluation results",
                severity="Medium",
                evidence=(Evidence(kind="front-matter", file=where, path="$['model-index']"),),
                citations=(Citation(source=_HF_CARD, section="model-index"),),
                mitigations=(
                    "publish evaluation results (model-index) with the datasets and metrics",
                ),
            )
        )
    findings.extend(
        Finding(
            rule_id="card.warning",
            title=f"card warning: {w}",
            severity="Medium",
            evidence=(Evidence(kind="file", file=where),),
        )
        for w in card.warnings
    )
    included = sorted(n for n, c in card.components.items() if c.included)
    section = AuditSection(
        id="card",
        title="Model card",
        status=worst_rag([finding_rag(f) for f in findings]),
        summary=f"{card.name}: {len(included)}/17 MOF components included, license "
        f"{card.license or 'undeclared'}, {len(missing)} documentation gap(s)",
        findings=tuple(findings),
        facts={
            "name": card.name,
            "version": card.version,
            "format": card.source_format,
            "license": card.license,
            "base_models": list(card.base_models),
            "datasets": list(card.datasets),
            "components_included": list(included),
            "eval_results": len(card.eval_results),
            "gated": card.gating.is_gated,
        },
    )
    return CardStep(
        section=section,
        license=card.license,
        missing_fields=tuple(missing),
        base_models=tuple(card.base_models),
        datasets=tuple(card.datasets),
    )


# --- openness -----------------------------------------------------------------------------
@dataclass(frozen=True)
class OpennessStep:
    """The openness step: its section, plan items and the facts it establishes."""

    section: AuditSection
    score: int
    band: str
    rag: Rag
    mof_class: str | None
    mof_label: str
    dimensions: tuple[tuple[str, int], ...]
    plan: tuple[PlanItem, ...] = field(default=())


def _roman(mof_class: int | None) -> str | None:
    return None if mof_class is None else ROMAN[mof_class]


def _dimension_finding(key: str, dim: DimensionScore) -> Finding:
    return Finding(
        rule_id=f"openness.{key}",
        title=f"{dim.title}: {dim.score}/2 ({dim.level}) - {'; '.join(dim.reasons)}",
        severity="Medium" if dim.score == 1 else "High",
        evidence=tuple(
            Evidence(kind="derived", path=e.field, snippet=str(e.value), note=e.shows)
            for e in dim.evidence
        ),
        citations=(_RUBRIC,),
    )


def _mof_findings(mof: MOFResult) -> list[Finding]:
    """A finding per component a higher MOF class than the one reached still needs."""
    findings: list[Finding] = []
    for status in mof.components.values():
        if status.mof_class is None or status.status == "open":
            continue
        if mof.mof_class is not None and status.mof_class >= mof.mof_class:
            continue  # inside a class already reached: cannot be missing
        findings.append(
            Finding(
                rule_id=f"openness.mof.{status.name}",
                title=f"MOF class {ROMAN[status.mof_class]} needs {status.name}: "
                f"{status.status} ({status.reason})",
                severity="Medium",
                evidence=(Evidence(kind="front-matter", path=status.field),)
                if status.field
                else (),
                citations=(_MOF,),
            )
        )
    return findings


def _openness_plan(
    card: ModelCard, mof: MOFResult, perspective: Literal["provider", "consumer"]
) -> list[PlanItem]:
    """Plan items toward the next openness band and, below class I, the next MOF class."""
    from openmodel_gov.openness import improvement_plan

    targets: list[tuple[Literal["next-band", "next-class"], Literal["medium", "low"], str]] = [
        ("next-band", "medium", "openness")
    ]
    if mof.mof_class != 1:
        targets.append(("next-class", "low", "MOF"))
    plan: list[PlanItem] = []
    for target, priority, what in targets:
        steps = improvement_plan(card, target=target, perspective=perspective)
        plan.extend(
            PlanItem(
                priority=priority,
                action=action.description,
                why=f"{what} {steps.before} -> {steps.after}",
                section="openness",
            )
            for action in steps.actions
        )
    return plan


def openness_step(
    card: ModelCard, *, perspective: Literal["provider", "consumer"] = "provider"
) -> OpennessStep:
    """Score openness, classify MOF, and plan the next band and class.

    ``perspective``: advice for the model's provider ("publish ...") or for a consumer
    evaluating someone else's model ("ask the provider to ...").
    """
    from openmodel_gov._core._render import RAG_COLORS, html_table, markdown_table
    from openmodel_gov.audit._svg import openness_chart
    from openmodel_gov.openness import classify_mof, score_openness

    score = score_openness(card)
    mof = classify_mof(card)
    findings: list[Finding] = []
    rows: list[list[object]] = []
    colors: list[list[str | None]] = []
    for key, dim in score.dimensions.items():
        rows.append([dim.title, f"{dim.score}/2", dim.source, "; ".join(dim.reasons)])
        rag: Rag = "green" if dim.score == 2 else "amber" if dim.score == 1 else "red"
        colors.append([None, RAG_COLORS[rag], None, None])
        if dim.score < 2:
            findings.append(_dimension_finding(key, dim))
    roman = _roman(mof.mof_class)
    findings += _mof_findings(mof)
    plan = _openness_plan(card, mof, perspective)
    headers = ["dimension", "score", "how", "reasons"]
    progress = ", ".join(f"class {ROMAN[c]} {mof.progress[c]:.0f}%" for c in (3, 2, 1))
    section = AuditSection(
        id="openness",
        title="Openness",
        status=score.rag,
        summary=f"score {score.total}/10 ({score.band}), MOF {mof.label} ({progress})",
        findings=tuple(findings),
        facts={
            "score": score.total,
            "band": score.band,
            "rag": score.rag,
            "dimensions": {k: d.score for k, d in score.dimensions.items()},
            "mof_class": roman,
            "mof_label": mof.label,
            "mof_progress": {ROMAN[c]: round(p, 1) for c, p in mof.progress.items()},
        },
        detail_html=figure(
            openness_chart([(card.name, [(d.title, d.score) for d in score.dimensions.values()])]),
            "The five openness dimensions, 0-2 each (the table gives the same in words).",
        )
        + html_table(headers, rows, caption="Openness dimensions", cell_colors=colors),
        detail_markdown=markdown_table(headers, rows),
    )
    return OpennessStep(
        section=section,
        score=score.total,
        band=score.band,
        rag=score.rag,
        mof_class=roman,
        mof_label=mof.label,
        dimensions=tuple((d.title, d.score) for d in score.dimensions.values()),
        plan=tuple(plan),
    )


# --- licenses -----------------------------------------------------------------------------
@dataclass(frozen=True)
class LicensesStep:
    """The license step: its section and the facts it establishes."""

    section: AuditSection
    category: LicenseClass | None
    verdict: LicenseVerdict
    base_models: tuple[BaseModelLicense, ...]


def _reason_findings(
    reasons: Iterable[Reason], label: str, rule: str, *, fix_missing: str | None = None
) -> list[Finding]:
    """A finding per license reason that is not ``compatible``; ``fix_missing`` for ``missing``."""
    return [
        Finding(
            rule_id=f"licenses.{rule}.{reason.code}",
            title=f"{label}: {reason.message}",
            severity=_VERDICT_SEVERITY[reason.verdict],
            evidence=(Evidence(kind="derived", snippet=reason.license),) if reason.license else (),
            citations=(license_citation(reason.citation),),
            mitigations=(fix_missing,) if fix_missing and reason.code == "missing" else (),
        )
        for reason in reasons
        if reason.verdict != "compatible"
    ]


def _card_license_finding(
    expression: str, category: str, use: str, citation: Citation | None
) -> Finding:
    return Finding(
        rule_id=f"licenses.card-class.{category}",
        title=f"the card's license {expression} is {category}",
        severity="High" if use == "commercial" and category == "non-commercial" else "Medium",
        evidence=(Evidence(kind="front-matter", path="$.license", snippet=expression),),
        citations=(citation,) if citation else (),
        mitigations=(
            "review the license's use restrictions against the intended use"
            if category == "restricted"
            else "choose a permissive or open license for the release",
        ),
    )


def licenses_step(
    card: ModelCard,
    *,
    use: Literal["commercial", "research"],
    base_licenses: Mapping[str, str] | None,
    dataset_licenses: Sequence[str],
) -> LicensesStep:
    """Check the card's license, its base models and the datasets' mix for ``use``."""
    from openmodel_gov.licenses import check_card_licenses, check_dataset_mix, classify_license

    findings: list[Finding] = []
    facts: dict[str, JsonValue] = {"use": use}
    verdicts: list[LicenseVerdict] = []
    category: LicenseClass | None = None
    if card.license_declared and card.license is not None:
        classification = classify_license(card.license)
        category = classification.category
        facts["license"] = classification.expression
        facts["category"] = category
        if category in {"non-commercial", "restricted", "unknown"}:
            first = classification.reasons[0].citation if classification.reasons else None
            findings.append(
                _card_license_finding(
                    classification.expression,
                    category,
                    use,
                    license_citation(first) if first is not None else None,
                )
            )
    report = check_card_licenses(
        card, base_licenses=base_licenses, facts={"commercial": use == "commercial"}
    )
    verdicts.append(report.verdict)
    facts["card_verdict"] = report.verdict
    for part in report.parts:
        if part.verdict != "compatible":
            findings.append(
                Finding(
                    rule_id=f"licenses.part.{part.part}",
                    title=f"{part.part}: {part.declared} - {part.message}",
                    severity=_VERDICT_SEVERITY[part.verdict],
                    evidence=(Evidence(kind="front-matter", path=part.part),),
                )
            )
    for check in report.base_checks:
        findings += _reason_findings(
            check.reasons,
            check.question,
            "base",
            fix_missing="give the base model's license (--base-license MODEL=LICENSE, or "
            "base_licenses in the audit config)",
        )
    licenses = sorted(set(dataset_licenses))
    if licenses:
        mix_use: Literal["commercial-training", "research-training"] = (
            "commercial-training" if use == "commercial" else "research-training"
        )
        mix = check_dataset_mix(licenses, use=mix_use)
        verdicts.append(mix.verdict)
        names: list[JsonValue] = [*licenses]
        facts["dataset_mix"] = {"use": mix_use, "licenses": names, "verdict": mix.verdict}
        findings += _reason_findings(mix.reasons, f"dataset mix for {mix_use}", "mix")
    verdict = max(verdicts, key=_VERDICT_ORDER.index)
    facts["verdict"] = verdict
    given = dict(base_licenses or {})
    bases = tuple(BaseModelLicense(model=m, license=given.get(m)) for m in card.base_models)
    section = AuditSection(
        id="licenses",
        title="Licenses",
        status=worst_rag([_VERDICT_RAG[verdict], *(finding_rag(f) for f in findings)]),
        summary=f"card license {facts.get('license', 'undeclared')} "
        f"({category or 'not classified'}); overall verdict for {use} use: {verdict}",
        findings=tuple(findings),
        facts=facts,
    )
    return LicensesStep(
        section=section,
        category=category,
        verdict=verdict,
        base_models=bases,
    )
