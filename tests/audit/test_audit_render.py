"""Renderers of the audit report: golden files from a hand-built report (independent of the
primitives' wording), and escaping.

Regenerate the golden files after an intended change with
``OMG_UPDATE_GOLDEN=1 python -m pytest tests/audit/test_audit_render.py``.
"""

from __future__ import annotations

import json
import os
from collections.abc import Callable
from pathlib import Path

import pytest

from openmodel_gov.audit import (
    AuditReport,
    AuditSection,
    Finding,
    InputFile,
    PlanItem,
    PolicyResult,
    PolicyViolation,
)

GOLDEN = Path(__file__).resolve().parent / "golden"


def _report() -> AuditReport:
    return AuditReport(
        tool="openmodel-gov 0.0.0",
        generated_at="2026-01-01T00:00:00+00:00",
        model="demo <model>",
        model_version="1.0",
        overall="red",
        headline={
            "use": "commercial",
            "openness_score": 5,
            "openness_band": "semi_open",
            "mof_label": "Unclassified",
            "license": "hf:llama3.1",
            "license_category": "restricted",
            "license_verdict": "needs_review",
            "manifests_verified": True,
            "unredacted_pii": ["EMAIL_ADDRESS"],
            "max_risk": "High",
        },
        inputs=(
            InputFile(role="card", path="README.md", sha256="ab" * 32),
            InputFile(role="data", path="data", sha256=None),
        ),
        sections=(
            AuditSection(
                id="card",
                title="Model card",
                status="amber",
                summary="1 documentation gap",
                findings=(
                    Finding(
                        rag="amber",
                        message="no limitations | <b>",
                        evidence=("README.md: $.limitations",),
                        citation="Mitchell et al. 2019",
                        fix="add the limitations",
                    ),
                ),
            ),
            AuditSection(
                id="openness",
                title="Openness",
                status="amber",
                summary="score 5/10",
                detail_html="<table><tr><td>detail</td></tr></table>",
                detail_markdown="## Detail\n\n| a |\n|---|\n| 1 |",
            ),
            AuditSection(id="pii", title="Personal data (PII)", status="grey", summary="skipped"),
            AuditSection(
                id="compliance",
                title="Compliance matrix",
                status="red",
                summary="overall risk High",
                findings=(Finding(rag="red", message="GDPR: no legal basis"),),
            ),
        ),
        plan=(
            PlanItem(
                priority="high", action="document a legal basis", why="GDPR", section="compliance"
            ),
            PlanItem(priority="medium", action="add the limitations", why="gap", section="card"),
        ),
        policy=PolicyResult(
            policy="policy.yaml",
            passed=False,
            checked=("max_risk_level", "min_openness_score"),
            violations=(
                PolicyViolation(
                    rule="max_risk_level",
                    message="compliance risk High is above the maximum Medium",
                    expected="Medium",
                    actual="High",
                ),
            ),
        ),
    )


RENDERERS: dict[str, Callable[[AuditReport], str]] = {
    "report.md": AuditReport.to_markdown,
    "report.html": AuditReport.to_html,
    "report.json": AuditReport.to_json,
    "report.fragment.html": AuditReport._repr_html_,
    "report.txt": AuditReport.__str__,
}


@pytest.mark.parametrize("name", sorted(RENDERERS))
def test_golden(name: str) -> None:
    rendered = RENDERERS[name](_report())
    path = GOLDEN / name
    if os.environ.get("OMG_UPDATE_GOLDEN") == "1":
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(rendered, encoding="utf-8", newline="")
    assert rendered == path.read_text(encoding="utf-8"), f"{name} changed; see module docstring"


def test_html_escapes_user_text() -> None:
    page = _report().to_html()
    assert "demo &lt;model&gt;" in page
    assert "no limitations | &lt;b&gt;" in page
    assert "<b>" not in page.replace("<b>FAILED</b>", "").replace("<b>policy.yaml</b>", "")


def test_markdown_escapes_pipes_and_demotes_detail_headings() -> None:
    md = _report().to_markdown()
    assert "no limitations \\| <b>" in md
    assert "### Detail" in md
    assert "Nothing to improve" not in md


def test_json_drops_rendered_detail() -> None:
    data = json.loads(_report().to_json())
    assert "detail_html" not in data["sections"][1]
    assert data["policy"]["violations"][0]["actual"] == "High"


def test_empty_plan_and_no_policy() -> None:
    report = _report().model_copy(update={"plan": (), "policy": None, "inputs": ()})
    assert "Nothing to improve" in report.to_html()
    assert "Nothing to improve" in report.to_markdown()
    assert 'id="policy"' not in report.to_html()
    assert report.passed
