"""The audit pipeline: card -> openness -> licenses -> manifests -> PII -> compliance."""

from __future__ import annotations

import hashlib
import json
import os
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime, timezone
from pathlib import Path
from typing import TYPE_CHECKING, Any, Literal

from openmodel_gov.audit._model import (
    AuditReport,
    AuditSection,
    Finding,
    InputFile,
    PlanItem,
    Rag,
    worst,
)
from openmodel_gov.audit._policy import Policy, evaluate_policy, load_policy

if TYPE_CHECKING:
    from openmodel_gov.cards import ModelCard
    from openmodel_gov.licenses import Reason
    from openmodel_gov.manifests import DatasetEntry, DatasetManifest

__all__ = ["ManifestInput", "run_audit"]

PathLike = str | os.PathLike[str]
#: A manifest file, or a ``(manifest file, data folder)`` pair.
ManifestInput = PathLike | tuple[PathLike, PathLike]

_DOC_FIELDS: dict[str, tuple[str, str]] = {
    "intended_use": (
        "intended use",
        "EU AI Act Annex XII, point 1(a)-(b): intended tasks and acceptable use",
    ),
    "out_of_scope_use": (
        "out-of-scope use",
        "Mitchell et al. 2019, Model Cards for Model Reporting, section 4.3",
    ),
    "limitations": (
        "limitations",
        "Mitchell et al. 2019, Model Cards for Model Reporting, section 4.9",
    ),
    "bias_risks": (
        "bias and risks",
        "Mitchell et al. 2019, Model Cards for Model Reporting, section 4.8",
    ),
}
_MOF_ROMAN = {1: "I", 2: "II", 3: "III"}
_RISK_RAG: dict[str, Rag] = {"Low": "green", "Medium": "amber", "High": "red", "Critical": "red"}
_VERDICT_RAG: dict[str, Rag] = {
    "compatible": "green",
    "needs_review": "amber",
    "incompatible": "red",
}
_VERDICT_ORDER = ("compatible", "needs_review", "incompatible")
_SEVERE_PII = frozenset({"US_SSN", "CREDIT_CARD", "IBAN_CODE", "MEDICAL_LICENSE", "US_PASSPORT"})
_DATA_SUFFIXES = (".jsonl", ".ndjson", ".csv", ".parquet")
_MOF_CITATION = "Model Openness Framework v1.0 (LF AI & Data), classes III-I"
_RUBRIC = "openmodel-gov openness rubric (docs/openness.md)"


@dataclass
class _State:
    """What the steps hand to each other and to the headline."""

    display: Callable[[PathLike], str]
    headline: dict[str, Any] = field(default_factory=dict)
    plan: list[PlanItem] = field(default_factory=list)
    inputs: list[InputFile] = field(default_factory=list)
    datasets: list[DatasetEntry] = field(default_factory=list)


def _sha256_file(path: PathLike) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as fh:
        for block in iter(lambda: fh.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def _display_factory(base: Path | None) -> Callable[[PathLike], str]:
    cwd = Path.cwd().resolve()

    def display(path: PathLike) -> str:
        p = Path(path)
        if not p.is_absolute():
            return p.as_posix()
        resolved = p.resolve()
        for root in (base, cwd):
            if root is not None and resolved.is_relative_to(root):
                return resolved.relative_to(root).as_posix() or "."
        return resolved.as_posix()

    return display


# --- card ---------------------------------------------------------------------------------
def _card_section(card: ModelCard, state: _State) -> AuditSection:
    src = card.source_path or card.name
    where = state.display(src) if card.source_path else src
    findings: list[Finding] = []
    if not card.license_declared:
        findings.append(
            Finding(
                rag="red",
                message="the card declares no license",
                evidence=(f"{where}: $.license",),
                citation="Hugging Face model card metadata: license",
                fix="declare the license as an SPDX id (or hf:<id>) in the card's `license` key",
            )
        )
    missing: list[str] = []
    for name, (label, citation) in _DOC_FIELDS.items():
        if not getattr(card, name):
            missing.append(name)
            findings.append(
                Finding(
                    rag="amber",
                    message=f"the card does not describe its {label}",
                    evidence=(f"{where}: $.{name}",),
                    citation=citation,
                    fix=f"add the {label} to the model card",
                )
            )
    if not card.license_declared:
        missing.append("license")
    if not card.eval_results:
        missing.append("eval_results")
        findings.append(
            Finding(
                rag="amber",
                message="the card reports no evaluation results",
                evidence=(f"{where}: $['model-index']",),
                citation="Hugging Face model card metadata: model-index",
                fix="publish evaluation results (model-index) with the datasets and metrics",
            )
        )
    findings.extend(
        Finding(rag="amber", message=f"card warning: {w}", evidence=(where,)) for w in card.warnings
    )
    state.headline["license"] = card.license
    state.headline["missing_card_fields"] = missing
    included = sorted(n for n, c in card.components.items() if c.included)
    status = worst([f.rag for f in findings])
    return AuditSection(
        id="card",
        title="Model card",
        status=status,
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


# --- openness -----------------------------------------------------------------------------
def _openness_section(card: ModelCard, state: _State) -> AuditSection:
    from openmodel_gov._core._render import html_table, markdown_table
    from openmodel_gov.openness import classify_mof, improvement_plan, score_openness

    score = score_openness(card)
    mof = classify_mof(card)
    findings: list[Finding] = []
    rows: list[list[object]] = []
    colors: list[list[str | None]] = []
    from openmodel_gov._core._render import RAG_COLORS

    for dim in score.dimensions.values():
        how = "declared" if dim.source == "declared" else "derived"
        reasons = "; ".join(dim.reasons)
        evidence = tuple(f"{e.field} = {e.value}: {e.shows}" for e in dim.evidence)
        rows.append([dim.title, f"{dim.score}/2", how, reasons])
        rag: Rag = "green" if dim.score == 2 else "amber" if dim.score == 1 else "red"
        colors.append([None, RAG_COLORS[rag], None, None])
        if dim.score < 2:
            findings.append(
                Finding(
                    rag=rag,
                    message=f"{dim.title}: {dim.score}/2 ({dim.level}) - {reasons}",
                    evidence=evidence,
                    citation=_RUBRIC,
                )
            )
    roman = _MOF_ROMAN.get(mof.mof_class) if mof.mof_class else None
    for status in mof.components.values():
        if status.mof_class is not None and status.status != "open":
            if mof.mof_class is not None and status.mof_class >= mof.mof_class:
                continue  # inside a class already reached: cannot be missing
            findings.append(
                Finding(
                    rag="amber",
                    message=f"MOF class {_MOF_ROMAN[status.mof_class]} needs {status.name}: "
                    f"{status.status} ({status.reason})",
                    evidence=(status.field,) if status.field else (),
                    citation=_MOF_CITATION,
                )
            )
    targets: list[tuple[Literal["next-band", "next-class"], Literal["medium", "low"], str]] = [
        ("next-band", "medium", "openness")
    ]
    if mof.mof_class != 1:
        targets.append(("next-class", "low", "MOF"))
    for target, priority, what in targets:
        plan = improvement_plan(card, target=target)
        state.plan.extend(
            PlanItem(
                priority=priority,
                action=action.description,
                why=f"{what} {plan.before} -> {plan.after}",
                section="openness",
            )
            for action in plan.actions
        )
    state.headline.update(
        openness_score=score.total,
        openness_band=score.band,
        openness_rag=score.rag,
        mof_class=roman,
        mof_label=mof.label,
    )
    headers = ["dimension", "score", "how", "reasons"]
    progress = ", ".join(f"class {_MOF_ROMAN[c]} {mof.progress[c]:.0f}%" for c in (3, 2, 1))
    return AuditSection(
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
            "mof_progress": {_MOF_ROMAN[c]: round(p, 1) for c, p in mof.progress.items()},
        },
        detail_html=html_table(headers, rows, caption="Openness dimensions", cell_colors=colors),
        detail_markdown=markdown_table(headers, rows),
    )


# --- licenses -----------------------------------------------------------------------------
def _cite(citation: Any) -> str | None:
    if citation is None:
        return None
    parts = [str(citation.source)]
    if getattr(citation, "section", None):
        parts.append(f"section {citation.section}")
    return ", ".join(parts)


def _reason_findings(
    reasons: Iterable[Reason], label: str, *, fix_missing: str | None = None
) -> list[Finding]:
    """A finding per license reason that is not ``compatible``; ``fix_missing`` for ``missing``."""
    return [
        Finding(
            rag=_VERDICT_RAG[reason.verdict],
            message=f"{label}: {reason.message}",
            evidence=tuple(x for x in (reason.license,) if x),
            citation=_cite(reason.citation),
            fix=fix_missing if reason.code == "missing" else None,
        )
        for reason in reasons
        if reason.verdict != "compatible"
    ]


def _licenses_section(
    card: ModelCard,
    state: _State,
    *,
    use: Literal["commercial", "research"],
    base_licenses: Mapping[str, str] | None,
) -> AuditSection:
    from openmodel_gov.licenses import check_card_licenses, check_dataset_mix, classify_license

    findings: list[Finding] = []
    facts: dict[str, Any] = {"use": use}
    verdicts: list[str] = []
    category = None
    if card.license_declared and card.license is not None:
        classification = classify_license(card.license)
        category = classification.category
        facts["license"] = classification.expression
        facts["category"] = category
        if category in {"non-commercial", "restricted", "unknown"}:
            findings.append(
                Finding(
                    rag="red" if use == "commercial" and category == "non-commercial" else "amber",
                    message=f"the card's license {classification.expression} is {category}",
                    evidence=("$.license",),
                    citation=_cite(classification.reasons[0].citation)
                    if classification.reasons
                    else None,
                    fix="review the license's use restrictions against the intended use"
                    if category == "restricted"
                    else "choose a permissive or open license for the release",
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
                    rag=_VERDICT_RAG[part.verdict],
                    message=f"{part.part}: {part.declared} - {part.message}",
                    evidence=(part.part,),
                )
            )
    for check in report.base_checks:
        findings += _reason_findings(
            check.reasons,
            check.question,
            fix_missing="give the base model's license (--base-license MODEL=LICENSE, or "
            "base_licenses in the audit config)",
        )
    licenses = sorted({d.license_normalized for d in state.datasets})
    if licenses:
        mix_use: Literal["commercial-training", "research-training"] = (
            "commercial-training" if use == "commercial" else "research-training"
        )
        mix = check_dataset_mix(licenses, use=mix_use)
        verdicts.append(mix.verdict)
        facts["dataset_mix"] = {"use": mix_use, "licenses": licenses, "verdict": mix.verdict}
        findings += _reason_findings(mix.reasons, f"dataset mix for {mix_use}")
    verdict = max(verdicts, key=_VERDICT_ORDER.index)
    state.headline["license_category"] = category
    state.headline["license_verdict"] = verdict
    facts["verdict"] = verdict
    return AuditSection(
        id="licenses",
        title="Licenses",
        status=worst([_VERDICT_RAG[verdict], *(f.rag for f in findings)]),
        summary=f"card license {facts.get('license', 'undeclared')} ({category or 'not classified'}); "
        f"overall verdict for {use} use: {verdict}",
        findings=tuple(findings),
        facts=facts,
    )


# --- manifests ----------------------------------------------------------------------------
def _manifests_section(
    pairs: Sequence[tuple[Path, Path]], state: _State
) -> tuple[AuditSection, list[DatasetManifest]]:
    from openmodel_gov.manifests import load_manifest, verify_manifest

    if not pairs:
        return (
            AuditSection(
                id="manifests",
                title="Dataset manifests",
                status="grey",
                summary="no dataset manifest given: the training data is not pinned",
                findings=(
                    Finding(
                        rag="amber",
                        message="no dataset manifest: nothing proves what the model was trained on",
                        fix="build a manifest of each training dataset "
                        "(openmodel-gov manifest build) and pass it with --manifest",
                    ),
                ),
            ),
            [],
        )
    findings: list[Finding] = []
    results: dict[str, Any] = {}
    loaded: list[DatasetManifest] = []
    all_ok = True
    for manifest_path, root in pairs:
        shown = state.display(manifest_path)
        manifest = load_manifest(manifest_path)
        loaded.append(manifest)
        state.inputs.append(
            InputFile(role="manifest", path=shown, sha256=_sha256_file(manifest_path))
        )
        report = verify_manifest(manifest, root, progress=False)
        state.inputs.append(
            InputFile(role="data", path=state.display(root), sha256=manifest.snapshot_digest)
        )
        all_ok = all_ok and report.ok
        results[shown] = {
            "data": state.display(root),
            "ok": report.ok,
            "files": len(manifest.files),
            "snapshot_digest": manifest.snapshot_digest,
            "changed": report.changed,
            "missing": report.missing,
            "added": report.added,
            "datasets": [d.name for d in manifest.datasets],
        }
        for kind in ("changed", "missing", "added"):
            for path in getattr(report, kind):
                findings.append(
                    Finding(
                        rag="red",
                        message=f"{path}: {kind} since the manifest was built",
                        evidence=(f"{shown}: files", f"{state.display(root)}/{path}"),
                        fix="rebuild the manifest if the change is intended "
                        "(openmodel-gov manifest build), or restore the data",
                    )
                )
    state.headline["manifests_verified"] = all_ok
    verified = sum(1 for r in results.values() if r["ok"])
    return (
        AuditSection(
            id="manifests",
            title="Dataset manifests",
            status="green" if all_ok else "red",
            summary=f"{verified}/{len(pairs)} manifest(s) match their data",
            findings=tuple(findings),
            facts={"manifests": results},
        ),
        loaded,
    )


# --- PII ----------------------------------------------------------------------------------
def _text_fields(path: Path) -> tuple[str, ...]:
    import csv

    if path.suffix.lower() == ".csv":
        with path.open(encoding="utf-8", newline="") as fh:
            return tuple(next(csv.reader(fh), []))
    if path.suffix.lower() == ".parquet":
        import pyarrow.parquet as pq

        schema = pq.read_schema(path)
        return tuple(f.name for f in schema if str(f.type) in {"string", "large_string"})
    with path.open(encoding="utf-8") as fh:
        for line in fh:
            if line.strip():
                record = json.loads(line)
                if isinstance(record, dict):
                    return tuple(k for k, v in record.items() if isinstance(v, str))
                break
    return ()


def _live_scan(
    data_dirs: Sequence[Path], state: _State, pii_config: Any
) -> tuple[dict[str, Any], list[Finding], set[str]]:
    """Scan every JSONL/CSV/Parquet file under ``data_dirs`` (all string fields)."""
    from openmodel_gov.pii import scan_file

    live: dict[str, Any] = {}
    findings: list[Finding] = []
    found: set[str] = set()
    for root in data_dirs:
        files = sorted(
            p for p in root.rglob("*") if p.is_file() and p.suffix.lower() in _DATA_SUFFIXES
        )
        for path in files:
            fields = _text_fields(path)
            if not fields:
                continue
            report = scan_file(path, fields=fields, config=pii_config)
            shown = state.display(path)
            live[shown] = {
                "records_scanned": report.records_scanned,
                "records_with_pii": report.records_with_pii,
                "fields": list(fields),
                "counts_by_entity": dict(sorted(report.counts_by_entity.items())),
                "model": report.model,
            }
            for entity, count in sorted(report.counts_by_entity.items()):
                if not count:
                    continue
                found.add(entity)
                findings.append(
                    Finding(
                        rag="red" if entity in _SEVERE_PII else "amber",
                        message=f"{shown}: {count} {entity} finding(s) in "
                        f"{', '.join(sorted(report.counts_by_field))}",
                        evidence=(shown,),
                        citation="Microsoft Presidio entity types",
                        fix=f"openmodel-gov pii redact {shown} <output> "
                        + " ".join(f"--field {f}" for f in fields),
                    )
                )
    return live, findings, found


def _pii_section(
    data_dirs: Sequence[Path], state: _State, *, scan: bool, pii_config: Any
) -> AuditSection:
    findings: list[Finding] = []
    unredacted: set[str] = set()
    facts: dict[str, Any] = {}
    scanned_anything = False
    recorded: dict[str, Any] = {}
    for dataset in state.datasets:
        summary = dataset.pii_summary
        if summary is None:
            continue
        scanned_anything = True
        recorded[dataset.name] = {
            "records_scanned": summary.records_scanned,
            "records_with_pii": summary.records_with_pii,
            "counts_by_entity": dict(sorted(summary.counts_by_entity.items())),
            "redacted": summary.redacted,
        }
        if not summary.redacted:
            unredacted.update(summary.found_entity_types)
            for entity in summary.found_entity_types:
                findings.append(
                    Finding(
                        rag="red" if entity in _SEVERE_PII else "amber",
                        message=f"dataset {dataset.name}: {summary.counts_by_entity[entity]} "
                        f"unredacted {entity} finding(s) (recorded in its manifest)",
                        evidence=(f"manifest: datasets[{dataset.name}].pii_summary",),
                        fix="redact the dataset (openmodel-gov pii redact) and rebuild its "
                        "manifest",
                    )
                )
    if recorded:
        facts["recorded"] = recorded
    live: dict[str, Any] = {}
    note = ""
    if scan and data_dirs:
        try:
            scanned, live_findings, found = _live_scan(data_dirs, state, pii_config)
        except ImportError as exc:  # MissingDependencyError: the [pii] extra is not installed
            note = f"live scan skipped: {exc}"
        else:
            live.update(scanned)
            findings.extend(live_findings)
            unredacted.update(found)
            scanned_anything = scanned_anything or bool(scanned)
    elif data_dirs:
        note = "live scan disabled"
    if live:
        facts["scanned"] = live
    if note:
        facts["note"] = note
    state.headline["unredacted_pii"] = sorted(unredacted) if scanned_anything else None
    if not scanned_anything:
        return AuditSection(
            id="pii",
            title="Personal data (PII)",
            status="grey",
            summary="no PII scan: give data folders (--data) or manifests with a PII summary"
            + (f" ({note})" if note else ""),
            facts=facts,
        )
    status = worst([f.rag for f in findings])
    headline = (
        f"unredacted PII found: {', '.join(sorted(unredacted))}"
        if unredacted
        else "no unredacted PII found"
    )
    if note:
        headline += f" ({note})"
    # the same entity found live and recorded gives two findings: keep both (two sources)
    return AuditSection(
        id="pii",
        title="Personal data (PII)",
        status=status,
        summary=headline,
        findings=tuple(findings),
        facts=facts,
    )


# --- compliance ---------------------------------------------------------------------------
def _compliance_section(state: _State, *, context: Mapping[str, Any]) -> AuditSection:
    from openmodel_gov.compliance import build_compliance_matrix

    if not state.datasets:
        state.headline["max_risk"] = None
        return AuditSection(
            id="compliance",
            title="Compliance matrix",
            status="grey",
            summary="no datasets described: give dataset manifests to build the matrix",
        )
    matrix = build_compliance_matrix(state.datasets, context=context)
    findings: list[Finding] = []
    for row in matrix.rows:
        for f in row.findings:
            if f.risk == "Low":
                continue
            findings.append(
                Finding(
                    rag=_RISK_RAG[f.risk],
                    message=f"{row.dataset}: {f.title} ({f.regulation or 'n/a'}, {f.risk})"
                    + ("" if f.decided else f"; undecided: {', '.join(f.unknown_facts)}"),
                    evidence=(f"rule {f.pack}/{f.rule_id}",),
                    citation="; ".join(f"{c.source}, {c.ref}" for c in f.citations) or None,
                    fix="; ".join(f.mitigations) or None,
                )
            )
    for f in matrix.model_findings:
        findings.append(
            Finding(
                rag=_RISK_RAG[f.risk],
                message=f"model: {f.title} ({f.regulation or 'n/a'}, {f.risk})"
                + ("" if f.decided else f"; undecided: {', '.join(f.unknown_facts)}"),
                evidence=(f"rule {f.pack}/{f.rule_id}",),
                citation="; ".join(f"{c.source}, {c.ref}" for c in f.citations) or None,
                fix="; ".join(f.mitigations) or None,
            )
        )
    risk = str(matrix.overall_risk)
    state.headline["max_risk"] = risk
    return AuditSection(
        id="compliance",
        title="Compliance matrix",
        status=_RISK_RAG[risk],
        summary=f"overall risk {risk} over {len(matrix.rows)} dataset(s)",
        findings=tuple(findings),
        facts={"overall_risk": risk, "matrix": json.loads(matrix.to_json())},
        detail_html=matrix._repr_html_(),
        detail_markdown=matrix.to_markdown(),
    )


# --- the pipeline -------------------------------------------------------------------------
def _pairs(
    manifests: Sequence[ManifestInput], data_dirs: Sequence[PathLike]
) -> tuple[list[tuple[Path, Path]], list[Path]]:
    pairs: list[tuple[Path, Path]] = []
    for i, item in enumerate(manifests):
        if isinstance(item, tuple):
            pairs.append((Path(item[0]), Path(item[1])))
        elif i < len(data_dirs):
            pairs.append((Path(item), Path(data_dirs[i])))
        else:
            pairs.append((Path(item), Path(item).resolve().parent))
    dirs = [Path(d) for d in data_dirs]
    for _, root in pairs:
        if all(root.resolve() != d.resolve() for d in dirs):
            dirs.append(root)
    return pairs, dirs


def _check_dirs(dirs: Sequence[Path]) -> None:
    from openmodel_gov.errors import FileAccessError

    for d in dirs:
        if not d.is_dir():
            raise FileAccessError("not a folder", source=str(d))


def run_audit(
    card: PathLike | ModelCard,
    *,
    manifests: Sequence[ManifestInput] = (),
    data_dirs: Sequence[PathLike] = (),
    policy: Policy | PathLike | None = None,
    use: Literal["commercial", "research"] | None = None,
    base_licenses: Mapping[str, str] | None = None,
    context: Mapping[str, Any] | None = None,
    pii_scan: bool = True,
    pii_config: Any = None,
    clock: Callable[[], datetime] | None = None,
    progress: Callable[[str], None] | None = None,
) -> AuditReport:
    """Audit a model card and its datasets end to end.

    Steps: card validation -> openness score and MOF class (with an improvement plan) ->
    license checks (the card's licenses, its base models, the datasets' mix for the use) ->
    manifest verification -> PII (recorded manifest summaries, plus a live scan of the data
    folders when the ``[pii]`` extra is installed) -> compliance matrix. A step with nothing
    to check is ``grey`` (skipped) and says what input it needs.

    Args:
        card: a model card path (any format :func:`~openmodel_gov.cards.load_card` reads) or
            a loaded :class:`~openmodel_gov.cards.ModelCard`.
        manifests: dataset manifest files, or ``(manifest, data folder)`` pairs. A bare
            manifest is verified against ``data_dirs[i]`` at the same position if there is
            one, else against its own folder.
        data_dirs: data folders; every ``.jsonl``/``.csv``/``.parquet`` file in them is
            scanned for PII (all string fields).
        policy: a :class:`Policy` or a policy file; its result is in
            :attr:`AuditReport.policy` and turns the overall rating red when violated.
        use: ``"commercial"`` or ``"research"``; the policy's ``use`` wins; default
            commercial (the stricter reading).
        base_licenses: base model id -> its license, for the derivative check.
        context: compliance context (``gpai_eu_market``, ``training_flop``,
            ``directed_to_children``, ``hipaa_covered_entity`` ...).
        pii_scan: set False to skip the live PII scan (recorded summaries still count).
        pii_config: a :class:`~openmodel_gov.pii.PiiConfig` for the live scan.
        clock: returns the time stamped into the report (default: now, UTC).
        progress: called with the name of each step as it starts (for progress displays).

    Returns:
        The :class:`AuditReport`.

    Raises:
        FileAccessError, ParseError, SchemaValidationError: an input cannot be read.
        PolicyError: the policy file is invalid.
    """
    from openmodel_gov._version import __version__
    from openmodel_gov.cards import ModelCard, load_card

    if isinstance(card, ModelCard):
        loaded = card
        base = Path(card.source_path).resolve().parent if card.source_path else None
    else:
        loaded = load_card(card)
        base = Path(card).resolve().parent
    state = _State(display=_display_factory(base))
    if loaded.source_path:
        state.inputs.append(
            InputFile(
                role="card",
                path=state.display(loaded.source_path),
                sha256=_sha256_file(loaded.source_path),
            )
        )
    policy_name = "policy"
    if policy is not None and not isinstance(policy, Policy):
        policy_name = state.display(policy)
        state.inputs.append(InputFile(role="policy", path=policy_name, sha256=_sha256_file(policy)))
        policy = load_policy(policy)
    effective_use: Literal["commercial", "research"] = (
        (policy.use if policy is not None else None) or use or "commercial"
    )
    pairs, dirs = _pairs(manifests, data_dirs)
    _check_dirs(dirs)

    step = progress or (lambda _name: None)
    step("model card")
    sections = [_card_section(loaded, state)]
    step("openness")
    sections.append(_openness_section(loaded, state))
    step("dataset manifests")
    manifest_section, loaded_manifests = _manifests_section(pairs, state)
    for m in loaded_manifests:
        state.datasets.extend(m.datasets)
    step("licenses")
    sections.append(
        _licenses_section(loaded, state, use=effective_use, base_licenses=base_licenses)
    )
    sections.append(manifest_section)
    step("personal data (PII)")
    sections.append(_pii_section(dirs, state, scan=pii_scan, pii_config=pii_config))
    step("compliance matrix")
    ctx = {"use": effective_use, **dict(context or {})}
    sections.append(_compliance_section(state, context=ctx))

    # plan: red findings first, then amber, then the openness plan
    plan: list[PlanItem] = []
    seen: set[str] = set()
    levels: tuple[tuple[Rag, Literal["high", "medium"]], ...] = (
        ("red", "high"),
        ("amber", "medium"),
    )
    for rag, priority in levels:
        for section in sections:
            for f in section.findings:
                if f.rag == rag and f.fix and f.fix not in seen:
                    seen.add(f.fix)
                    plan.append(
                        PlanItem(priority=priority, action=f.fix, why=f.message, section=section.id)
                    )
    for item in state.plan:
        if item.action not in seen:
            seen.add(item.action)
            plan.append(item)

    now = (clock or (lambda: datetime.now(timezone.utc)))()
    report = AuditReport(
        tool=f"openmodel-gov {__version__}",
        generated_at=now.replace(microsecond=0).isoformat(),
        model=loaded.name,
        model_version=loaded.version,
        overall=worst([s.status for s in sections]),
        headline={"use": effective_use, **state.headline},
        inputs=tuple(state.inputs),
        sections=tuple(sections),
        plan=tuple(plan),
    )
    if policy is None:
        return report
    result = evaluate_policy(report, policy, name=policy_name)
    overall: Rag = report.overall if result.passed else "red"
    return report.model_copy(update={"policy": result, "overall": overall})
