"""Properties of decided and open findings (Hypothesis).

- No open finding changes a row's or the matrix's risk unless ``worst_case=True``.
- Adding a fact never turns a decided finding into an open one.
- ``worst_case`` never lowers a risk.
"""

from __future__ import annotations

from typing import Any

from hypothesis import given, settings
from hypothesis import strategies as st

from openmodel_gov._core import risk_rank, worst_risk
from openmodel_gov._core._pii_summary import PiiScanSummary
from openmodel_gov.compliance import build_compliance_matrix

_FACTS: dict[str, Any] = {
    "jurisdictions": st.lists(
        st.sampled_from(["EU", "DE", "US", "US-CA", "BR", "CA", "GB", "GLOBAL"]),
        min_size=1,
        max_size=3,
    ),
    "data_categories": st.sampled_from(
        [["none"], ["personal"], ["health", "personal"], ["children"], ["biometric"]]
    ),
    "source_kind": st.sampled_from(["web-crawl", "licensed", "user-data", "synthetic", "other"]),
    "deidentified": st.sampled_from(["none", "safe-harbor", "anonymized", "pseudonymized"]),
    "legal_basis": st.sampled_from(["consent", "contract"]),
    "synthetic": st.booleans(),
    "tdm_optout_honored": st.booleans(),
    "license": st.sampled_from(["CC-BY-4.0", "CC-BY-NC-4.0", "MIT"]),
    "pii_summary": st.builds(
        PiiScanSummary,
        records_scanned=st.just(5),
        records_with_pii=st.integers(0, 2),
        counts_by_entity=st.dictionaries(
            st.sampled_from(["PERSON", "US_SSN"]), st.integers(0, 2), max_size=2
        ),
        redacted=st.booleans(),
    ),
}
_CONTEXT: dict[str, Any] = {
    "use": st.sampled_from(["commercial", "research"]),
    "gpai_eu_market": st.booleans(),
    "training_flop": st.sampled_from([1e20, 3e25]),
    "directed_to_children": st.booleans(),
    "hipaa_covered_entity": st.booleans(),
    "hipaa_business_associate": st.booleans(),
}


@st.composite
def _case(draw: st.DrawFn) -> tuple[dict[str, Any], dict[str, Any]]:
    dataset: dict[str, Any] = {"name": "d"}
    for key in draw(st.lists(st.sampled_from(sorted(_FACTS)), unique=True)):
        dataset[key] = draw(_FACTS[key])
    context = {
        k: draw(_CONTEXT[k]) for k in draw(st.lists(st.sampled_from(sorted(_CONTEXT)), unique=True))
    }
    return dataset, context


@settings(max_examples=200, deadline=None)
@given(_case(), st.booleans())
def test_open_findings_never_change_risk_unless_worst_case(
    case: tuple[dict[str, Any], dict[str, Any]], model_rules: bool
) -> None:
    dataset, context = case
    matrix = build_compliance_matrix([dataset], context=context, model_rules=model_rules)
    row = matrix.rows[0]
    decided = [f.severity for f in row.findings if f.status == "decided"]
    assert row.risk == worst_risk(decided)
    assert set(row.regulations) == {
        f.regulation for f in row.findings if f.status == "decided" and f.regulation
    }
    model = [f.severity for f in matrix.model_findings if f.status == "decided"]
    assert matrix.overall_risk == worst_risk([row.risk, *model])
    worst = build_compliance_matrix(
        [dataset], context=context, model_rules=model_rules, worst_case=True
    )
    assert risk_rank(worst.overall_risk) >= risk_rank(matrix.overall_risk)
    counted = [f.severity for f in row.findings if f.status in ("decided", "open")]
    assert worst.rows[0].risk == worst_risk(counted)


@settings(max_examples=200, deadline=None)
@given(_case(), st.data())
def test_adding_a_fact_never_turns_decided_into_open(
    case: tuple[dict[str, Any], dict[str, Any]], data: st.DataObject
) -> None:
    dataset, context = case
    before = build_compliance_matrix([dataset], context=context, model_rules=True)
    missing = [k for k in _FACTS if k not in dataset]
    missing_ctx = [k for k in _CONTEXT if k not in context]
    more_data, more_ctx = dict(dataset), dict(context)
    if missing and (not missing_ctx or data.draw(st.booleans())):
        key = data.draw(st.sampled_from(missing))
        more_data[key] = data.draw(_FACTS[key])
    elif missing_ctx:
        key = data.draw(st.sampled_from(missing_ctx))
        more_ctx[key] = data.draw(_CONTEXT[key])
    after = build_compliance_matrix([more_data], context=more_ctx, model_rules=True)
    status_after = {f.rule_id: f.status for f in (*after.rows[0].findings, *after.model_findings)}
    for finding in (*before.rows[0].findings, *before.model_findings):
        if finding.status == "decided":
            assert status_after.get(finding.rule_id) != "open", finding.rule_id
