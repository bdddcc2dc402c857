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
    BaseModelLicense,
    Finding,
    Headline,
    InputFile,
    ManifestStatus,
    OpenQuestionItem,
    PlanItem,
    PolicyResult,
    PolicyViolation,
)
from openmodel_gov.audit._render import explain
from openmodel_gov.results import Citation, Evidence

GOLDEN = Path(__file__).resolve().parent / "golden"


def _report() -> AuditReport:
    return AuditReport(
        tool="openmodel-gov 0.0.0",
        generated_at="2026-01-01T00:00:00+00:00",
        model="demo <model>",
        model_version="1.0",
        overall="red",
        headline=Headline(
            use="commercial",
            openness_score=5,
            openness_band="semi_open",
            mof_label="Unclassified",
            license="hf:llama3.1",
            license_category="restricted",
            license_verdict="needs_review",
            base_models=(BaseModelLicense(model="meta-llama/Llama-3.1-8B", license="hf:llama3.1"),),
            datasets=("tickets",),
            manifests=(ManifestStatus(path="m.yaml", verified=True),),
            manifests_verified=True,
            unredacted_pii=("EMAIL_ADDRESS",),
            max_risk="High",
            open_questions=1,
        ),
        questions=(
            OpenQuestionItem(
                question="Is the service directed to children under 13?",
                regulation="COPPA",
                risk="Critical",
                facts=("context.directed_to_children",),
                how_to_state=("context key `directed_to_children`",),
                datasets=("tickets",),
            ),
        ),
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
                        rule_id="card.missing.limitations",
                        title="no limitations | <b>",
                        severity="Medium",
                        evidence=(
                            Evidence(kind="front-matter", file="README.md", path="$.limitations"),
                        ),
                        citations=(Citation(source="Mitchell et al. 2019", section="4.9"),),
                        mitigations=("add the limitations",),
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
                findings=(
                    Finding(rule_id="gdpr-art6", title="GDPR: no legal basis", severity="High"),
                ),
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


def test_reviewer_structure() -> None:
    page = _report().to_html()
    # a table of contents linking every section, each heading once
    for anchor in (
        "summary",
        "plan",
        "questions",
        "section-card",
        "section-compliance",
        "sign-off",
    ):
        assert f'href="#{anchor}"' in page
        assert f'id="{anchor}"' in page
    assert page.count(">Compliance matrix <") == 1
    # rating and policy explained together
    assert "RED because the policy policy.yaml failed" in page
    assert "1 open compliance question(s)" in page
    # key facts: base models with licenses, datasets, manifests and signatures
    assert "meta-llama/Llama-3.1-8B (hf:llama3.1)" in page
    assert "m.yaml: verified; unsigned" in page
    # badges spaced from their text, print CSS, sign-off
    assert 'class="badge"' in page
    assert "margin:0 .5em 0 0" in page
    assert "@media print" in page
    assert "&#9744; approve" in page
    md = _report().to_markdown()
    assert "**Contents:**" in md
    assert "## Sign-off" in md
    assert "## Open questions" in md
    assert "| Decision | ☐ approve ☐ approve with conditions ☐ reject |" in md


def test_passing_policy_is_explained_with_the_rating() -> None:
    report = _report().model_copy(
        update={
            "policy": PolicyResult(
                policy="p.yaml",
                passed=True,
                checked=("min_openness_score",),
                explanations=("min_openness_score: openness score 5/10 >= 3",),
            )
        }
    )
    text = " ".join(explain(report))
    assert text.startswith("RED because Compliance matrix: overall risk High.")
    assert "The policy p.yaml passed because it checks only: min_openness_score" in text
    assert "does not gate on" in text
