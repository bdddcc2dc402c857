"""Renderers of the compliance matrix: golden files, escaping, pandas.

Regenerate the golden files after an intended change with
``OMG_UPDATE_GOLDEN=1 python -m pytest tests/compliance/test_compliance_render.py``.
"""

from __future__ import annotations

import csv
import io
import json
import os
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from openmodel_gov.compliance import ComplianceMatrix, build_compliance_matrix, split_csv_list
from openmodel_gov.errors import MissingDependencyError

GOLDEN = Path(__file__).resolve().parent / "golden"

DATASETS: list[dict[str, Any]] = [
    {
        "name": "forum_posts_2022.csv",
        "version": "2022.1",
        "jurisdictions": ["EU"],
        "source_kind": "user-data",
        "data_categories": ["personal"],
        "deidentified": "none",
    },
    {
        "name": "us_medical_docs.json",
        "jurisdictions": ["US"],
        "source_kind": "user-data",
        "data_categories": ["health", "personal"],
        "deidentified": "none",
    },
    {
        "name": "job_profiles_demo.csv",
        "jurisdictions": ["EU", "US-CA"],
        "source_kind": "user-data",
        "data_categories": ["personal"],
        "legal_basis": "consent",
        "deidentified": "none",
    },
    {
        "name": "commoncrawl_subset",
        "jurisdictions": ["GLOBAL"],
        "source_kind": "web-crawl",
        "data_categories": ["none"],
    },
    {"name": "customer_survey_synth", "source_kind": "synthetic", "synthetic": True},
]
CONTEXT = {
    "use": "commercial",
    "gpai_eu_market": True,
    "training_flop": 3e25,
    "directed_to_children": False,
    "hipaa_covered_entity": True,
}


@pytest.fixture(scope="module")
def matrix() -> ComplianceMatrix:
    return build_compliance_matrix(DATASETS, context=CONTEXT, license_findings=False)


RENDERERS: dict[str, Callable[[ComplianceMatrix], str]] = {
    "matrix.md": ComplianceMatrix.to_markdown,
    "matrix.csv": ComplianceMatrix.to_csv,
    "matrix.json": ComplianceMatrix.to_json,
    "matrix.html": ComplianceMatrix.to_html,
    "matrix.fragment.html": ComplianceMatrix._repr_html_,
}


@pytest.mark.parametrize("name", sorted(RENDERERS))
def test_golden(matrix: ComplianceMatrix, name: str) -> None:
    rendered = RENDERERS[name](matrix)
    path = GOLDEN / name
    if os.environ.get("OMG_UPDATE_GOLDEN") == "1":
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(rendered, encoding="utf-8", newline="")
    assert rendered == path.read_text(encoding="utf-8"), f"{name} changed; see module docstring"


def test_markdown_has_the_issue_columns_and_sections(matrix: ComplianceMatrix) -> None:
    text = matrix.to_markdown()
    assert (
        "| Dataset name | Jurisdiction | Applicable regulation | Risk level | Mitigation strategies |"
        in text
    )
    assert "| customer_survey_synth | N/A (synthetic) | N/A | Low |" in text
    for heading in ("Model-level obligations", "By regulation", "Findings and citations"):
        assert f"### {heading}" in text
    assert "Legend:" in text


def test_csv_round_trips(matrix: ComplianceMatrix) -> None:
    rows = list(csv.DictReader(io.StringIO(matrix.to_csv())))
    assert [r["dataset"] for r in rows] == [
        *(d["name"] for d in DATASETS),
        "(model)",
        "(model)",
    ]
    assert rows[1]["risk"] == "Critical"
    assert "45 CFR Part 164, §164.514(a)-(b)" in rows[1]["citations"]
    assert rows[3]["undecided_facts"] == "tdm_optout_honored"
    # list cells: "; "-joined, items with ";" escaped, split back exactly
    items = split_csv_list(rows[0]["mitigations"])
    assert [m.cited() for m in matrix.rows[0].mitigations] == items
    assert len(items) == len(set(items))


def test_json_matches_to_dict(matrix: ComplianceMatrix) -> None:
    data = json.loads(matrix.to_json())
    assert data == json.loads(json.dumps(matrix.to_dict()))
    assert data["overall_risk"] == "Critical"
    assert [f["rule_id"] for f in data["model_findings"]] == [
        "ai-act-systemic-risk",
        "ai-act-gpai-obligations",
    ]


def test_html_is_self_contained_colored_and_escaped() -> None:
    m = build_compliance_matrix(
        [{"name": "<script>alert(1)</script>", "synthetic": True}],
        context={"gpai_eu_market": False},
        license_findings=False,
    )
    page = m.to_html()
    assert page.startswith("<!DOCTYPE html>")
    assert "<script>" not in page
    assert "&lt;script&gt;" in page
    assert "http" not in page.split("<body>")[0]  # no external stylesheet or script
    assert 'style="background:#a7e3b5"' in page  # the Low cell and the legend
    assert 'aria-label="Risk legend"' in page
    fragment = m._repr_html_()
    assert fragment.startswith('<div class="omg-compliance">')
    assert "<html" not in fragment


def test_license_mix_is_rendered() -> None:
    m = build_compliance_matrix(
        [
            {
                "name": "wiki",
                "license": "CC-BY-SA-4.0",
                "source_kind": "public-dataset",
                "jurisdictions": ["US"],
                "data_categories": ["none"],
            }
        ],
        context={"use": "research", "gpai_eu_market": False},
    )
    assert m.license_mix is not None
    line = f"License mix (research-training): {m.license_mix.verdict}."
    assert line in m.to_markdown()
    assert line in m.to_html()
    assert "License" in m.rows[0].regulations
    assert str(m.license_mix) == f"{m.license_mix.verdict}: research-training with CC-BY-SA-4.0"
    assert m.to_dict()["license_mix"]["licenses"] == ["CC-BY-SA-4.0"]
    texts = [x.text for x in m.rows[0].mitigations]
    assert any(t.startswith("Respect the terms of CC-BY-SA-4.0") for t in texts), texts
    assert all("Comply with" not in t and "no-facts" not in t for t in texts)
    assert all(x.citations for x in m.rows[0].mitigations)


def test_empty_matrix_renders() -> None:
    m = build_compliance_matrix([], context={"gpai_eu_market": False}, license_findings=False)
    assert m.overall_risk == "Low"
    assert "Datasets: 0." in m.to_markdown()
    assert m.to_csv().count("\n") == 1
    assert m.to_dataframe().empty


def test_to_dataframe(matrix: ComplianceMatrix) -> None:
    frame = matrix.to_dataframe()
    assert list(frame["dataset"]) == [d["name"] for d in DATASETS]
    assert frame["risk"].max() == "Critical"  # an ordered categorical
    assert frame.loc[2, "regulations"] == ["CCPA", "GDPR"]


def test_to_dataframe_without_pandas(
    matrix: ComplianceMatrix, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setitem(sys.modules, "pandas", None)
    with pytest.raises(MissingDependencyError, match=r"openmodel-gov\[dataframe\]"):
        matrix.to_dataframe()


def test_rows_findings_and_aggregates_render_themselves(matrix: ComplianceMatrix) -> None:
    row = matrix.row("us_medical_docs.json")
    html = row._repr_html_()
    assert "<caption>us_medical_docs.json: Critical (HIPAA)</caption>" in html
    assert 'style="background:#e07070"' in html
    finding = row.findings[0]
    assert "45 CFR Part 164, §164.514(a)-(b)" in finding._repr_html_()
    undecided = matrix.row("commoncrawl_subset").open_findings[0]._repr_html_()
    assert "open: needs tdm_optout_honored" in undecided
    summary = matrix.by_regulation[0]
    assert str(summary) == "HIPAA [Critical]: us_medical_docs.json"
    assert summary.to_dict()["open"] == 0
    assert row.to_dict()["risk"] == "Critical"
