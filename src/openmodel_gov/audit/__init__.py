"""End-to-end audit of a model card and its datasets, with a policy gate.

:func:`run_audit` chains the primitives the way a release review does: card validation ->
openness score and MOF class -> license checks (card, base models, dataset mix for the
intended use) -> dataset manifest verification -> PII scan summary -> compliance matrix. The
:class:`AuditReport` renders as one self-contained HTML page (summary first, red/amber/green
ratings, evidence and citations, improvement plan), Markdown and JSON -- deterministic given
the same inputs apart from :attr:`AuditReport.generated_at`.

A :class:`Policy` (YAML/JSON file, :func:`load_policy`) sets thresholds; :func:`evaluate_policy`
names every violated rule, and ``openmodel-gov audit --policy`` exits 1 when one is violated.

>>> from datetime import datetime, timezone
>>> from openmodel_gov.audit import Policy, example_dir, run_audit
>>> report = run_audit(example_dir() / "README.md", pii_scan=False,
...                    policy=Policy(min_openness_score=6, min_mof_class="III"),
...                    clock=lambda: datetime(2026, 1, 1, tzinfo=timezone.utc))
>>> report.headline.openness_score, report.headline.mof_class, report.passed
(9, 'III', True)
>>> [s.id for s in report.sections]
['card', 'openness', 'licenses', 'manifests', 'pii', 'compliance']
"""

from __future__ import annotations

from openmodel_gov.audit._config import (
    CONFIG_FORMAT,
    AuditConfig,
    ManifestRef,
    load_audit_config,
)
from openmodel_gov.audit._examples import example_dir
from openmodel_gov.audit._model import (
    REPORT_FORMAT,
    AuditReport,
    AuditSection,
    BaseModelLicense,
    Finding,
    Headline,
    InputFile,
    ManifestStatus,
    OpenQuestionItem,
    PlanItem,
    PolicyResult,
    PolicyViolation,
    Rag,
)
from openmodel_gov.audit._policy import (
    POLICY_FORMAT,
    LicenseClass,
    Policy,
    evaluate_policy,
    load_policy,
    parse_policy,
    policy_json_schema,
)
from openmodel_gov.audit._run import AuditOptions, ManifestInput, run_audit
from openmodel_gov.audit._svg import openness_svg

__all__ = [
    "CONFIG_FORMAT",
    "POLICY_FORMAT",
    "REPORT_FORMAT",
    "AuditConfig",
    "AuditOptions",
    "AuditReport",
    "AuditSection",
    "BaseModelLicense",
    "Finding",
    "Headline",
    "InputFile",
    "LicenseClass",
    "ManifestInput",
    "ManifestRef",
    "ManifestStatus",
    "OpenQuestionItem",
    "PlanItem",
    "Policy",
    "PolicyResult",
    "PolicyViolation",
    "Rag",
    "evaluate_policy",
    "example_dir",
    "load_audit_config",
    "load_policy",
    "openness_svg",
    "parse_policy",
    "policy_json_schema",
    "run_audit",
]

from openmodel_gov._core._public import publish as _publish

_publish(__name__, globals(), __all__)
