"""The typed audit report: sections, findings, improvement plan, policy result."""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Any, Final, Literal

from pydantic import BaseModel, ConfigDict, Field, JsonValue

__all__ = [
    "RAG_ORDER",
    "REPORT_FORMAT",
    "AuditReport",
    "AuditSection",
    "Finding",
    "InputFile",
    "PlanItem",
    "PolicyResult",
    "PolicyViolation",
    "Rag",
    "worst",
]

REPORT_FORMAT: Final = "openmodel-gov/audit-report/v1"

#: ``grey`` marks a section that was skipped (no input, or an extra not installed).
Rag = Literal["green", "amber", "red", "grey"]
RAG_ORDER: dict[str, int] = {"grey": 0, "green": 1, "amber": 2, "red": 3}


def worst(ratings: list[Rag] | tuple[Rag, ...], *, default: Rag = "green") -> Rag:
    """The worst rating (red > amber > green > grey).

    >>> worst(["green", "amber", "grey"]), worst([]), worst(["grey"], default="grey")
    ('amber', 'green', 'grey')
    """
    rated = [r for r in ratings if r != "grey"]
    if not rated:
        return default
    return max(rated, key=RAG_ORDER.__getitem__)


class _Frozen(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")


class Finding(_Frozen):
    """One observation of the audit, with the evidence and the source behind it.

    >>> print(Finding(rag="amber", message="no intended use", evidence=["README.md: $.intended_use"]))
    [amber] no intended use (evidence: README.md: $.intended_use)
    """

    rag: Rag
    message: str
    evidence: tuple[str, ...] = ()
    citation: str | None = None
    fix: str | None = None

    def __str__(self) -> str:
        text = f"[{self.rag}] {self.message}"
        if self.evidence:
            text += f" (evidence: {'; '.join(self.evidence)})"
        if self.citation:
            text += f" [{self.citation}]"
        return text


class AuditSection(_Frozen):
    """One step of the audit (card, openness, licenses, manifests, PII, compliance)."""

    id: str
    title: str
    status: Rag
    summary: str
    findings: tuple[Finding, ...] = ()
    facts: dict[str, JsonValue] = Field(default_factory=dict)
    detail_html: str = Field(default="", description="Rendered detail table (HTML, escaped).")
    detail_markdown: str = ""


class PlanItem(_Frozen):
    """One step of the improvement plan."""

    priority: Literal["high", "medium", "low"]
    action: str
    why: str
    section: str


class InputFile(_Frozen):
    """An input of the audit and the SHA-256 of its bytes (folders: their manifest's digest)."""

    role: Literal["card", "manifest", "data", "policy", "config"]
    path: str
    sha256: str | None = None


class PolicyViolation(_Frozen):
    """A policy rule the audit did not meet."""

    rule: str
    message: str
    expected: JsonValue = None
    actual: JsonValue = None

    def __str__(self) -> str:
        return f"{self.rule}: {self.message}"


class PolicyResult(_Frozen):
    """The outcome of :func:`~openmodel_gov.audit.evaluate_policy`."""

    policy: str
    passed: bool
    checked: tuple[str, ...]
    violations: tuple[PolicyViolation, ...] = ()

    def __str__(self) -> str:
        if self.passed:
            return f"policy {self.policy}: passed ({len(self.checked)} rules)"
        lines = [f"policy {self.policy}: FAILED ({len(self.violations)} violated)"]
        lines.extend(f"  - {v}" for v in self.violations)
        return "\n".join(lines)


class AuditReport(_Frozen):
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
    headline: dict[str, JsonValue] = Field(default_factory=dict)
    inputs: tuple[InputFile, ...] = ()
    sections: tuple[AuditSection, ...] = ()
    plan: tuple[PlanItem, ...] = ()
    policy: PolicyResult | None = None

    @property
    def passed(self) -> bool:
        """False when a policy was given and at least one rule is violated."""
        return self.policy is None or self.policy.passed

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
        """One self-contained HTML page (inline CSS, no scripts, no external resources)."""
        from openmodel_gov.audit._render import render_html

        return render_html(self)

    def write(self, out_dir: str | os.PathLike[str]) -> dict[str, Path]:
        """Write ``report.html``, ``report.md`` and ``report.json`` into ``out_dir`` (atomically).

        Returns:
            ``{"html": path, "markdown": path, "json": path}``.
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
        if self.policy is not None:
            lines.append(str(self.policy))
        return "\n".join(lines)

    def _repr_html_(self) -> str:
        from openmodel_gov.audit._render import render_html_fragment

        return render_html_fragment(self)
