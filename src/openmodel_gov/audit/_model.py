"""The typed audit report: headline, sections, findings, improvement plan, policy result.

Findings are the shared :class:`openmodel_gov.results.Finding`; a finding's rating follows
from its severity (:func:`finding_rag`). The report's renderers live in ``_render`` and are
imported only when a rendering is asked for; they import this module only for type checking.
"""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Annotated, Any, Final, Literal

from pydantic import BeforeValidator, Field, JsonValue

from openmodel_gov._core import (
    Finding,
    Frozen,
    Rag,
    RiskLevel,
    tupleize,
    worst_rag,
)

__all__ = [
    "REPORT_FORMAT",
    "AuditReport",
    "AuditSection",
    "BaseModelLicense",
    "Finding",
    "Headline",
    "InputFile",
    "ManifestStatus",
    "OpenQuestionItem",
    "PlanItem",
    "PolicyResult",
    "PolicyViolation",
    "Rag",
    "finding_rag",
]

REPORT_FORMAT: Final = "openmodel-gov/audit-report/v1"
_Tuple = BeforeValidator(tupleize)
_RISK_RAG: Final[dict[str, Rag]] = {
    "Low": "green",
    "Medium": "amber",
    "High": "red",
    "Critical": "red",
}

LicenseClass = Literal["permissive", "copyleft", "non-commercial", "restricted", "unknown"]
LicenseVerdict = Literal["compatible", "needs_review", "incompatible"]


def finding_rag(finding: Finding) -> Rag:
    """The rating a finding gives its section: Low green, Medium amber, High/Critical red.

    >>> finding_rag(Finding(rule_id="x", title="x", severity="Critical"))
    'red'
    """
    return _RISK_RAG[finding.severity]


def risk_rag(level: RiskLevel) -> Rag:
    """The rating of a risk level (Low green, Medium amber, High and Critical red)."""
    return _RISK_RAG[level]


class BaseModelLicense(Frozen):
    """A base model the card names, and the license given or found for it."""

    model: str
    license: str | None = None


SignatureStatus = Literal["unsigned", "unchecked", "verified", "failed"]


class ManifestStatus(Frozen):
    """A dataset manifest: whether its data matches it, and the state of its signature.

    Attributes:
        path: the manifest file, as shown in the report.
        verified: its data matches it (files, sizes, digests).
        signature: ``unsigned`` (no DSSE envelope ``<manifest>.sig.json`` next to it),
            ``unchecked`` (an envelope, but no public key was given to verify it),
            ``verified`` (it verifies with the given key) or ``failed`` (it does not).
        key_fingerprint: the SHA-256 fingerprint of the public key it was checked with.
        signature_problem: why the verification failed.

    >>> ManifestStatus(path="m.yaml", verified=True, signature="verified",
    ...                key_fingerprint="ab" * 32).signature_label
    'signed, verified (key fingerprint sha256:abababababababab…)'
    """

    path: str
    verified: bool
    signature: SignatureStatus = "unsigned"
    key_fingerprint: str | None = None
    signature_problem: str | None = None

    @property
    def signature_label(self) -> str:
        """The signature state in words, as the report's key facts show it."""
        if self.signature == "verified":
            return f"signed, verified (key fingerprint sha256:{(self.key_fingerprint or '')[:16]}…)"
        if self.signature == "failed":
            return f"signed, NOT verified: {self.signature_problem or 'signature does not match'}"
        if self.signature == "unchecked":
            return "signed, no key given to verify"
        return "unsigned"


class Headline(Frozen):
    """The facts the summary shows and the policy checks, typed (``None``: not established).

    Attributes:
        use: the intended use checked.
        license: the card's declared license.
        license_category: its class.
        license_verdict: the worst verdict of the license checks.
        missing_card_fields: card fields that are not filled in.
        base_models: base models with their licenses.
        datasets: datasets named by the card or described by manifests.
        openness_score: the openness score (0-10).
        openness_band: its band.
        openness_rag: its rating.
        mof_class: the MOF class reached (``I`` .. ``III``).
        mof_label: the class as a label (``Class III``, ``Unclassified``).
        manifests: each manifest's verification and signature status.
        manifests_verified: every manifest matches its data (``None``: none given).
        unredacted_pii: entity types found unredacted (``None``: nothing scanned).
        max_risk: the decided compliance risk (``None``: no datasets described).
        open_questions: how many compliance questions remain open.
    """

    use: Literal["commercial", "research"]
    license: str | None = None
    license_category: LicenseClass | None = None
    license_verdict: LicenseVerdict | None = None
    missing_card_fields: Annotated[tuple[str, ...], _Tuple] = ()
    base_models: Annotated[tuple[BaseModelLicense, ...], _Tuple] = ()
    datasets: Annotated[tuple[str, ...], _Tuple] = ()
    openness_score: int | None = None
    openness_band: str | None = None
    openness_rag: Rag | None = None
    mof_class: str | None = None
    mof_label: str | None = None
    manifests: Annotated[tuple[ManifestStatus, ...], _Tuple] = ()
    manifests_verified: bool | None = None
    unredacted_pii: Annotated[tuple[str, ...], _Tuple] | None = None
    max_risk: RiskLevel | None = None
    open_questions: int = 0

    def __getitem__(self, key: str) -> object:
        """Read a fact by name, as the report's JSON names it (``headline["max_risk"]``).

        Raises:
            KeyError: no such fact.
        """
        if key not in type(self).model_fields:
            raise KeyError(key)
        return getattr(self, key)


class AuditSection(Frozen):
    """One step of the audit (card, openness, licenses, manifests, PII, compliance).

    Attributes:
        id: ``card``, ``openness``, ``licenses``, ``manifests``, ``pii`` or ``compliance``.
        title: the heading.
        status: the rating (``grey``: skipped).
        summary: one line.
        findings: what was found, each with evidence, citations and mitigations.
        facts: the step's data, JSON-ready.
        detail_html: a rendered detail table (HTML, escaped), if any.
        detail_markdown: the same in Markdown.
    """

    id: str
    title: str
    status: Rag
    summary: str
    findings: Annotated[tuple[Finding, ...], _Tuple] = ()
    facts: dict[str, JsonValue] = Field(default_factory=dict)
    detail_html: str = Field(default="", description="Rendered detail table (HTML, escaped).")
    detail_markdown: str = ""


class PlanItem(Frozen):
    """One step of the improvement plan."""

    priority: Literal["high", "medium", "low"]
    action: str
    why: str
    section: str


class InputFile(Frozen):
    """An input of the audit and the SHA-256 of its bytes (folders: their manifest's digest)."""

    role: Literal["card", "manifest", "data", "policy", "config", "public key"]
    path: str
    sha256: str | None = None


class OpenQuestionItem(Frozen):
    """A compliance question the audit could not decide (see ``compliance.OpenQuestion``)."""

    question: str
    regulation: str | None = None
    risk: RiskLevel
    facts: Annotated[tuple[str, ...], _Tuple] = ()
    how_to_state: Annotated[tuple[str, ...], _Tuple] = ()
    datasets: Annotated[tuple[str, ...], _Tuple] = ()

    def __str__(self) -> str:
        return f"{self.question} If yes: {self.regulation or 'N/A'}, {self.risk}"


class PolicyViolation(Frozen):
    """A policy rule the audit did not meet."""

    rule: str
    message: str
    expected: JsonValue = None
    actual: JsonValue = None

    def __str__(self) -> str:
        return f"{self.rule}: {self.message}"


class PolicyResult(Frozen):
    """The outcome of :func:`~openmodel_gov.audit.evaluate_policy`.

    Attributes:
        policy: the policy's name.
        passed: no rule is violated.
        checked: the rules the policy sets.
        violations: the violated rules.
        explanations: per rule checked, what it compared (``min_openness_score: 9 >= 6``).
    """

    policy: str
    passed: bool
    checked: Annotated[tuple[str, ...], _Tuple]
    violations: Annotated[tuple[PolicyViolation, ...], _Tuple] = ()
    explanations: Annotated[tuple[str, ...], _Tuple] = ()

    def __str__(self) -> str:
        if self.passed:
            return f"policy {self.policy}: passed ({len(self.checked)} rules)"
        lines = [f"policy {self.policy}: FAILED ({len(self.violations)} violated)"]
        lines.extend(f"  - {v}" for v in self.violations)
        return "\n".join(lines)


class AuditReport(Frozen):
    """The end-to-end audit of a model card (and its datasets), as built by ``run_audit``.

    Everything but :attr:`generated_at` is a function of the inputs, so two reports of the
    same inputs differ only there and can be diffed and committed.
    """

    format: Literal["openmodel-gov/audit-report/v1"] = REPORT_FORMAT
    tool: str
    generated_at: str
    model: str
    model_version: str | None = None
    overall: Rag
    headline: Headline
    inputs: Annotated[tuple[InputFile, ...], _Tuple] = ()
    sections: Annotated[tuple[AuditSection, ...], _Tuple] = ()
    plan: Annotated[tuple[PlanItem, ...], _Tuple] = ()
    questions: Annotated[tuple[OpenQuestionItem, ...], _Tuple] = ()
    policy: PolicyResult | None = None

    @property
    def passed(self) -> bool:
        """False when a policy was given and at least one rule is violated."""
        return self.policy is None or self.policy.passed

    @property
    def sections_rating(self) -> Rag:
        """The worst rating of the sections (the overall rating before the policy)."""
        return worst_rag([s.status for s in self.sections])

    def section(self, section_id: str) -> AuditSection:
        """The section with this id.

        Raises:
            KeyError: no such section.
        """
        for s in self.sections:
            if s.id == section_id:
                return s
        raise KeyError(section_id)

    def to_dict(self) -> dict[str, Any]:
        """Plain JSON-ready data (what :meth:`to_json` writes; no rendered HTML)."""
        data: dict[str, Any] = self.model_dump(
            mode="json", exclude={"sections": {"__all__": {"detail_html", "detail_markdown"}}}
        )
        return data

    def to_json(self) -> str:
        """The report as indented JSON (stable key order)."""
        return json.dumps(self.to_dict(), indent=2, ensure_ascii=False) + "\n"

    def to_markdown(self) -> str:
        """The report as GitHub-flavoured Markdown (summary first)."""
        from openmodel_gov.audit._render import render_markdown

        return render_markdown(self)

    def to_html(self) -> str:
        """One self-contained HTML page (inline CSS and SVG, no scripts, no external resources)."""
        from openmodel_gov.audit._render import render_html

        return render_html(self)

    def write(self, out_dir: str | os.PathLike[str]) -> dict[str, Path]:
        """Write ``report.html``, ``report.md`` and ``report.json`` into ``out_dir`` (atomically).

        Returns:
            ``{"html": path, "markdown": path, "json": path}``.

        Raises:
            FileAccessError: the folder cannot be created.
        """
        from openmodel_gov._core._io import atomic_write_text
        from openmodel_gov.errors import FileAccessError

        out = Path(out_dir)
        try:
            out.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            raise FileAccessError(
                f"cannot create folder: {exc.strerror}", source=str(out)
            ) from None
        paths = {
            "html": out / "report.html",
            "markdown": out / "report.md",
            "json": out / "report.json",
        }
        atomic_write_text(paths["html"], self.to_html())
        atomic_write_text(paths["markdown"], self.to_markdown())
        atomic_write_text(paths["json"], self.to_json())
        return paths

    def __str__(self) -> str:
        lines = [f"audit of {self.model}: {self.overall.upper()}"]
        lines.extend(f"  [{s.status:5}] {s.title}: {s.summary}" for s in self.sections)
        if self.questions:
            lines.append(f"  {len(self.questions)} open compliance question(s)")
        if self.policy is not None:
            lines.append(str(self.policy))
        return "\n".join(lines)

    def _repr_html_(self) -> str:
        from openmodel_gov.audit._render import render_html_fragment

        return render_html_fragment(self)
