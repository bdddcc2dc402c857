"""The audit steps that read the data: manifests, PII, compliance.

Each step returns a typed result: its :class:`AuditSection` and the headline facts it
establishes, as named attributes.
"""

from __future__ import annotations

import json
import os
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Final

from pydantic import JsonValue

from openmodel_gov._core import Citation, Evidence, Finding, RiskLevel, worst_rag
from openmodel_gov.audit._fields import text_fields
from openmodel_gov.audit._model import (
    AuditSection,
    InputFile,
    ManifestStatus,
    OpenQuestionItem,
    finding_rag,
    risk_rag,
)
from openmodel_gov.audit._signatures import signature_result
from openmodel_gov.audit._steps import figure
from openmodel_gov.audit._svg import pii_chart

if TYPE_CHECKING:
    from openmodel_gov.compliance import ComplianceMatrix
    from openmodel_gov.manifests import DatasetEntry, DatasetManifest
    from openmodel_gov.pii import PiiConfig
    from openmodel_gov.signing import Verifier

__all__ = [
    "ComplianceStep",
    "ManifestsStep",
    "PiiStep",
    "compliance_step",
    "manifests_step",
    "pii_step",
    "sha256_file",
]

Display = Callable[[str | Path], str]
_SEVERE_PII: Final = frozenset(
    {"US_SSN", "CREDIT_CARD", "IBAN_CODE", "MEDICAL_LICENSE", "US_PASSPORT"}
)
_DATA_SUFFIXES: Final = (".jsonl", ".ndjson", ".csv", ".parquet")
_PRESIDIO = Citation(source="Microsoft Presidio", section="supported entity types")


def _json_counts(counts: Mapping[str, int]) -> dict[str, JsonValue]:
    out: dict[str, JsonValue] = {}
    for name, count in sorted(counts.items()):
        out[name] = count
    return out


def sha256_file(path: str | os.PathLike[str]) -> str:
    """The SHA-256 of a file's bytes (read in 1 MiB blocks)."""
    import hashlib

    digest = hashlib.sha256()
    with open(path, "rb") as fh:
        for block in iter(lambda: fh.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


# --- manifests ----------------------------------------------------------------------------
@dataclass(frozen=True)
class ManifestsStep:
    """The manifest step: its section, the loaded manifests and their status."""

    section: AuditSection
    manifests: tuple[DatasetManifest, ...] = ()
    statuses: tuple[ManifestStatus, ...] = ()
    inputs: tuple[InputFile, ...] = ()

    @property
    def verified(self) -> bool | None:
        """Every manifest matches its data (``None``: no manifest)."""
        return all(s.verified for s in self.statuses) if self.statuses else None

    @property
    def datasets(self) -> tuple[DatasetEntry, ...]:
        """The dataset entries of every manifest, in order."""
        return tuple(d for m in self.manifests for d in m.datasets)


def manifests_step(
    pairs: Sequence[tuple[Path, Path]], display: Display, verifier: Verifier | None = None
) -> ManifestsStep:
    """Verify each manifest against its data folder, and its signature with ``verifier``."""
    from openmodel_gov.manifests import load_manifest, verify_manifest

    if not pairs:
        return ManifestsStep(
            section=AuditSection(
                id="manifests",
                title="Dataset manifests",
                status="grey",
                summary="no dataset manifest given: the training data is not pinned",
                findings=(
                    Finding(
                        rule_id="manifests.none",
                        title="no dataset manifest: nothing proves what the model was trained on",
                        severity="Medium",
                        mitigations=(
                            "build a manifest of each training dataset (openmodel-gov manifest "
                            "build) and pass it with --manifest",
                        ),
                    ),
                ),
            )
        )
    findings: list[Finding] = []
    results: dict[str, JsonValue] = {}
    loaded: list[DatasetManifest] = []
    statuses: list[ManifestStatus] = []
    inputs: list[InputFile] = []
    for manifest_path, root in pairs:
        shown = display(manifest_path)
        manifest = load_manifest(manifest_path)
        loaded.append(manifest)
        inputs.append(InputFile(role="manifest", path=shown, sha256=sha256_file(manifest_path)))
        report = verify_manifest(manifest, root, progress=False)
        inputs.append(InputFile(role="data", path=display(root), sha256=manifest.snapshot_digest))
        signed = signature_result(manifest_path, shown, verifier)
        if signed.finding is not None:
            findings.append(signed.finding)
        status = ManifestStatus(
            path=shown,
            verified=report.ok,
            signature=signed.status,
            key_fingerprint=signed.key_fingerprint,
            signature_problem=signed.problem,
        )
        statuses.append(status)
        results[shown] = {
            "data": display(root),
            "ok": report.ok,
            "signature": signed.status,
            "signature_label": status.signature_label,
            "key_fingerprint": signed.key_fingerprint,
            "files": len(manifest.files),
            "snapshot_digest": manifest.snapshot_digest,
            "changed": list(report.changed),
            "missing": list(report.missing),
            "added": list(report.added),
            "datasets": [d.name for d in manifest.datasets],
        }
        changes = (
            ("changed", report.changed),
            ("missing", report.missing),
            ("added", report.added),
        )
        for kind, paths in changes:
            findings.extend(
                Finding(
                    rule_id=f"manifests.{kind}",
                    title=f"{path}: {kind} since the manifest was built",
                    severity="High",
                    evidence=(
                        Evidence(kind="manifest", file=shown, path="files"),
                        Evidence(kind="file", file=f"{display(root)}/{path}"),
                    ),
                    mitigations=(
                        "rebuild the manifest if the change is intended (openmodel-gov "
                        "manifest build), or restore the data",
                    ),
                )
                for path in paths
            )
    all_ok = all(s.verified for s in statuses) and all(s.signature != "failed" for s in statuses)
    verified = sum(1 for s in statuses if s.verified)
    summary = f"{verified}/{len(pairs)} manifest(s) match their data"
    if verifier is not None:
        good = sum(1 for s in statuses if s.signature == "verified")
        summary += f"; {good}/{len(pairs)} signature(s) verify with the given key"
    section = AuditSection(
        id="manifests",
        title="Dataset manifests",
        status="green" if all_ok else "red",
        summary=summary,
        findings=tuple(findings),
        facts={"manifests": results},
    )
    return ManifestsStep(
        section=section, manifests=tuple(loaded), statuses=tuple(statuses), inputs=tuple(inputs)
    )


# --- PII ----------------------------------------------------------------------------------
@dataclass(frozen=True)
class PiiStep:
    """The PII step: its section and the entity types left unredacted (``None``: no scan)."""

    section: AuditSection
    unredacted: tuple[str, ...] | None
    counts: tuple[tuple[str, str, int], ...] = field(default=())
    """(dataset or file, entity type, count) of what was found, for the pictures."""


def _pii_finding(rule: str, title: str, entity: str, evidence: Evidence, fix: str) -> Finding:
    return Finding(
        rule_id=rule,
        title=title,
        severity="High" if entity in _SEVERE_PII else "Medium",
        evidence=(evidence,),
        citations=(_PRESIDIO,),
        mitigations=(fix,),
    )


@dataclass
class _Scan:
    facts: dict[str, JsonValue] = field(default_factory=dict)
    findings: list[Finding] = field(default_factory=list)
    found: set[str] = field(default_factory=set)
    counts: list[tuple[str, str, int]] = field(default_factory=list)
    fields: list[tuple[str, str, int]] = field(default_factory=list)


def _live_scan(data_dirs: Sequence[Path], display: Display, config: PiiConfig | None) -> _Scan:
    """Scan every JSONL/CSV/Parquet file under ``data_dirs`` (all string fields)."""
    from openmodel_gov.pii import scan_file

    scan = _Scan()
    for root in data_dirs:
        files = sorted(
            p for p in root.rglob("*") if p.is_file() and p.suffix.lower() in _DATA_SUFFIXES
        )
        for path in files:
            fields = text_fields(path)
            if not fields:
                continue
            report = scan_file(path, fields=fields, config=config)
            shown = display(path)
            scan.facts[shown] = {
                "records_scanned": report.records_scanned,
                "records_with_pii": report.records_with_pii,
                "fields": list(fields),
                "counts_by_entity": _json_counts(report.counts_by_entity),
                "counts_by_field": {
                    name: _json_counts(per_entity)
                    for name, per_entity in sorted(report.counts_by_field.items())
                },
                "model": report.model,
            }
            scan.fields.extend(
                (entity, f"{shown}: {name}", count)
                for name, per_entity in sorted(report.counts_by_field.items())
                for entity, count in sorted(per_entity.items())
                if count
            )
            for entity, count in sorted(report.counts_by_entity.items()):
                if not count:
                    continue
                scan.found.add(entity)
                scan.counts.append((shown, entity, count))
                scan.findings.append(
                    _pii_finding(
                        f"pii.live.{entity}",
                        f"{shown}: {count} {entity} finding(s) in "
                        f"{', '.join(sorted(report.counts_by_field))}",
                        entity,
                        Evidence(kind="scan", file=shown, snippet=entity),
                        f"openmodel-gov pii redact {shown} <output> "
                        + " ".join(f"--field {f}" for f in fields),
                    )
                )
    return scan


def _recorded(datasets: Sequence[DatasetEntry]) -> tuple[_Scan, bool]:
    scan = _Scan()
    scanned = False
    for dataset in datasets:
        summary = dataset.pii_summary
        if summary is None:
            continue
        scanned = True
        scan.facts[dataset.name] = {
            "records_scanned": summary.records_scanned,
            "records_with_pii": summary.records_with_pii,
            "counts_by_entity": dict(sorted(summary.counts_by_entity.items())),
            "redacted": summary.redacted,
        }
        if summary.redacted:
            continue
        for entity in summary.found_entity_types:
            count = summary.counts_by_entity[entity]
            scan.found.add(entity)
            scan.counts.append((dataset.name, entity, count))
            scan.findings.append(
                _pii_finding(
                    f"pii.recorded.{entity}",
                    f"dataset {dataset.name}: {count} unredacted {entity} finding(s) "
                    "(recorded in its manifest)",
                    entity,
                    Evidence(kind="manifest", path=f"datasets[{dataset.name}].pii_summary"),
                    "redact the dataset (openmodel-gov pii redact) and rebuild its manifest",
                )
            )
    return scan, scanned


def pii_step(
    data_dirs: Sequence[Path],
    datasets: Sequence[DatasetEntry],
    display: Display,
    *,
    scan: bool,
    config: PiiConfig | None,
) -> PiiStep:
    """Recorded PII summaries of the manifests, plus a live scan of the data folders."""
    recorded, scanned_anything = _recorded(datasets)
    facts: dict[str, JsonValue] = {}
    if recorded.facts:
        facts["recorded"] = recorded.facts
    live = _Scan()
    note = ""
    if scan and data_dirs:
        try:
            live = _live_scan(data_dirs, display, config)
        except ImportError as exc:  # MissingDependencyError: the [pii] extra is not installed
            note = f"live scan skipped: {exc}"
        scanned_anything = scanned_anything or bool(live.facts)
    elif data_dirs:
        note = "live scan disabled"
    if live.facts:
        facts["scanned"] = live.facts
    if note:
        facts["note"] = note
    if not scanned_anything:
        section = AuditSection(
            id="pii",
            title="Personal data (PII)",
            status="grey",
            summary="no PII scan: give data folders (--data) or manifests with a PII summary"
            + (f" ({note})" if note else ""),
            facts=facts,
        )
        return PiiStep(section=section, unredacted=None)
    # the same entity found live and recorded gives two findings: keep both (two sources)
    findings = [*recorded.findings, *live.findings]
    unredacted = sorted(recorded.found | live.found)
    summary = (
        f"unredacted PII found: {', '.join(unredacted)}"
        if unredacted
        else "no unredacted PII found"
    )
    if note:
        summary += f" ({note})"
    counts = (*recorded.counts, *live.counts)
    pictures = figure(
        pii_chart(counts),
        "Unredacted PII findings per entity type, per dataset or file.",
    ) + figure(
        pii_chart(live.fields, by="field"),
        "PII findings per field of the scanned files, one bar per entity type.",
    )
    section = AuditSection(
        id="pii",
        title="Personal data (PII)",
        status=worst_rag([finding_rag(f) for f in findings]),
        summary=summary,
        findings=tuple(findings),
        facts=facts,
        detail_html=pictures,
    )
    return PiiStep(
        section=section,
        unredacted=tuple(unredacted),
        counts=counts,
    )


# --- compliance ---------------------------------------------------------------------------
@dataclass(frozen=True)
class ComplianceStep:
    """The compliance step: its section, the matrix, its decided risk and open questions."""

    section: AuditSection
    matrix: ComplianceMatrix | None = None
    risk: RiskLevel | None = None
    questions: tuple[OpenQuestionItem, ...] = ()


def compliance_step(
    datasets: Sequence[DatasetEntry], context: Mapping[str, JsonValue]
) -> ComplianceStep:
    """The compliance matrix of the datasets; decided findings rate it, open ones are asked."""
    from openmodel_gov.compliance import build_compliance_matrix

    if not datasets:
        return ComplianceStep(
            section=AuditSection(
                id="compliance",
                title="Compliance matrix",
                status="grey",
                summary="no datasets described: give dataset manifests to build the matrix",
            )
        )
    matrix = build_compliance_matrix(datasets, context=context)
    findings: list[Finding] = []
    scoped = [(row.dataset, f) for row in matrix.rows for f in row.decided_findings]
    scoped += [("model", f) for f in matrix.model_findings if f.status == "decided"]
    for where, f in scoped:
        if f.severity == "Low":
            continue
        findings.append(
            Finding(
                rule_id=f"compliance.{f.rule_id}",
                title=f"{where}: {f.title} ({f.regulation or 'n/a'}, {f.severity})",
                severity=f.severity,
                reasons=f.reasons,
                evidence=(Evidence(kind="data", note=f"rule {f.pack}/{f.rule_id}"),),
                citations=f.citations,
                mitigations=f.mitigations,
            )
        )
    questions = tuple(
        OpenQuestionItem(
            question=q.question,
            regulation=q.regulation,
            risk=q.risk,
            facts=q.facts,
            how_to_state=q.how_to_state,
            datasets=q.datasets,
        )
        for q in matrix.questions
    )
    risk = matrix.overall_risk
    section = AuditSection(
        id="compliance",
        title="Compliance matrix",
        status=risk_rag(risk),
        summary=f"decided risk {risk} over {len(matrix.rows)} dataset(s); "
        f"{len(questions)} open question(s)",
        findings=tuple(findings),
        facts={"overall_risk": risk, "matrix": json.loads(matrix.to_json())},
        detail_html=matrix.to_html(document=False, heading_level=3, title=False, questions=False),
        detail_markdown=matrix.to_markdown(heading_level=3, title=False, questions=False),
    )
    return ComplianceStep(section=section, matrix=matrix, risk=risk, questions=questions)
