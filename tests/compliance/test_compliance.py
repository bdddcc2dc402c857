"""Compliance matrices: the issue's acceptance table, inputs, context, aggregates, licenses."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from pydantic import ValidationError

from openmodel_gov._core._pii_summary import PiiScanSummary
from openmodel_gov.compliance import (
    ComplianceContext,
    ComplianceMatrix,
    ComplianceRow,
    DatasetFacts,
    FactSet,
    build_compliance_matrix,
    builtin_rule_packs,
)
from openmodel_gov.errors import SchemaValidationError
from openmodel_gov.licenses import Citation as LicenseCitation
from openmodel_gov.licenses import (
    DatasetUse,
    LicenseClassification,
    LicenseFact,
    Obligation,
    Reason,
    Verdict,
)

# The matrix of the issue: dataset -> (regulations, risk, mitigations that must appear).
EXPECTED: dict[str, tuple[tuple[str, ...], str, tuple[str, ...]]] = {
    "forum_posts_2022.csv": (
        ("GDPR",),
        "High",
        ("Remove PII", "add consent flags", "document lineage"),
    ),
    "us_medical_docs.json": (
        ("HIPAA",),
        "Critical",
        ("Use synthetic alternatives", "redact sensitive fields"),
    ),
    "job_profiles_demo.csv": (
        ("GDPR", "CCPA"),
        "Medium",
        ("Filter sensitive traits", "add audit logs"),
    ),
    "commoncrawl_subset": (
        ("Copyright/TDM",),  # the issue's "TOS/copyright"
        "High",
        ("Verify source domains", "exclude nonpermissive content"),
    ),
    "customer_survey_synth": (
        (),  # "N/A"
        "Low",
        ("Note generation method", "ensure no leakage"),
    ),
}

FIVE: list[dict[str, Any]] = [
    {
        "name": "forum_posts_2022.csv",
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
    "gpai_eu_market": False,
    "training_flop": 1e23,
    "directed_to_children": False,
    "hipaa_covered_entity": True,
}


def assert_reproduces_issue_table(matrix: ComplianceMatrix) -> None:
    assert [r.dataset for r in matrix.rows] == list(EXPECTED)
    for row in matrix.rows:
        regulations, risk, mitigations = EXPECTED[row.dataset]
        assert set(row.regulations) == set(regulations), row.dataset
        assert row.risk == risk, row.dataset
        joined = " | ".join(m.text for m in row.mitigations).lower()
        for text in mitigations:
            assert text.lower() in joined, (row.dataset, text)
        for finding in row.findings:
            assert finding.citations, finding.rule_id
    assert matrix.row("customer_survey_synth").regulation_label == "N/A"
    assert matrix.row("customer_survey_synth").jurisdiction_label == "N/A (synthetic)"


def test_reproduces_the_issue_table_from_mappings() -> None:
    matrix = build_compliance_matrix(FIVE, context=CONTEXT)
    assert_reproduces_issue_table(matrix)
    # what separates High from Medium: no documented legal basis vs. consent
    forum = matrix.row("forum_posts_2022.csv")
    assert "gdpr-art6-no-legal-basis" in forum.rule_ids
    assert "gdpr-art6-no-legal-basis" not in matrix.row("job_profiles_demo.csv").rule_ids
    assert forum.findings[0].citations[0].ref == "Art. 6(1)"
    assert matrix.overall_risk == "Critical"
    assert matrix.model_findings == ()


def test_reproduces_the_issue_table_from_manifests() -> None:
    from openmodel_gov.manifests import DatasetEntry, DatasetManifest

    licenses = {
        "forum_posts_2022.csv": "CC-BY-4.0",
        "us_medical_docs.json": "CC0-1.0",
        "job_profiles_demo.csv": "CC-BY-4.0",
        "commoncrawl_subset": "LicenseRef-commoncrawl-terms-of-use",
        "customer_survey_synth": "CC0-1.0",
    }
    entries = []
    for data in FIVE:
        fields = dict(data)
        if fields["name"] == "commoncrawl_subset":
            # manifests accept ISO codes and regions but not GLOBAL: unknown jurisdictions
            # lean the same way (the TDM rule stays undecided)
            fields.pop("jurisdictions")
        entries.append(DatasetEntry(version="2022.1", license=licenses[fields["name"]], **fields))
    manifest = DatasetManifest(datasets=tuple(entries), files=())
    matrix = build_compliance_matrix(manifest, context=CONTEXT)
    assert_reproduces_issue_table(matrix)
    assert matrix.rows[0].version == "2022.1"
    # entries alone, and a list of manifests, give the same rows
    assert build_compliance_matrix(manifest.datasets, context=CONTEXT).rows == matrix.rows
    assert build_compliance_matrix([manifest], context=CONTEXT).rows == matrix.rows


def test_unknown_facts_are_open_questions_not_risk() -> None:
    matrix = build_compliance_matrix([{"name": "mystery"}])
    row = matrix.rows[0]
    assert row.risk == "Low"  # nothing is decided on no facts ...
    assert row.regulations == ()
    assert {"regions", "data_categories", "source_kind"} <= set(row.undecided)
    assert row.findings
    assert all(f.status == "open" for f in row.findings)
    # ... but every question is asked, with the facts it needs and how to state them
    gdpr = next(q for q in matrix.questions if q.regulation == "GDPR")
    assert "regions" in gdpr.facts
    assert "dataset field `jurisdictions`" in gdpr.how_to_state
    worst = build_compliance_matrix([{"name": "mystery"}], worst_case=True)
    assert worst.rows[0].risk in ("High", "Critical")
    assert "GDPR" in worst.rows[0].regulations
    assert "worst case" in str(worst)
    assert "WORST CASE VIEW" in worst.to_markdown()
    assert "WORST CASE VIEW" in worst.to_html()
    assert worst.to_csv().splitlines()[1].endswith(",worst case")
    assert worst.to_dict()["worst_case"] is True
    assert worst.to_dataframe().attrs["worst_case"] is True


def test_model_rules_only_with_model_context_or_when_asked() -> None:
    matrix = build_compliance_matrix([{"name": "x", "synthetic": True}])
    assert matrix.model_findings == ()
    assert not matrix.model_rules
    assert "(model)" not in matrix.to_csv()
    asked = build_compliance_matrix([{"name": "x", "synthetic": True}], model_rules=True)
    ids = {f.rule_id: f for f in asked.model_findings}
    assert set(ids) == {"ai-act-gpai-obligations", "ai-act-systemic-risk"}
    assert ids["ai-act-gpai-obligations"].unknown_facts == ("context.gpai_eu_market",)
    assert all(f.status == "open" for f in ids.values())
    assert asked.overall_risk == "Low"
    assert (
        build_compliance_matrix(
            [], model_rules=False, context={"gpai_eu_market": True}
        ).model_findings
        == ()
    )


def test_gpai_context_systemic_risk_threshold() -> None:
    below = build_compliance_matrix([], context={"gpai_eu_market": True, "training_flop": 10**25})
    assert [f.rule_id for f in below.model_findings] == ["ai-act-gpai-obligations"]
    above = build_compliance_matrix(
        [], context=ComplianceContext(gpai_eu_market=True, training_flop=2e25)
    )
    assert [f.rule_id for f in above.model_findings] == [
        "ai-act-systemic-risk",
        "ai-act-gpai-obligations",
    ]
    assert above.regulations == ("EU AI Act",)
    assert above.by_regulation[0].datasets == ("(model)",)


@pytest.mark.parametrize(
    ("dataset", "context", "rule", "risk"),
    [
        (
            {"jurisdictions": ["DE"], "data_categories": ["health"]},
            {},
            "gdpr-art9-special-categories",
            "Critical",
        ),
        (
            {"jurisdictions": ["FR"], "data_categories": ["children"]},
            {},
            "gdpr-art8-children",
            "High",
        ),
        (
            {
                "jurisdictions": ["NO"],
                "data_categories": ["personal"],
                "deidentified": "anonymized",
            },
            {},
            "gdpr-anonymized",
            "Low",
        ),
        (
            {"jurisdictions": ["US-CA"], "data_categories": ["biometric"]},
            {},
            "ccpa-sensitive-personal-information",
            "High",
        ),
        ({"jurisdictions": ["US-CA"], "data_categories": ["children"]}, {}, "ccpa-minors", "High"),
        (
            {"jurisdictions": ["BR"], "data_categories": ["personal"]},
            {},
            "lgpd-no-legal-basis",
            "High",
        ),
        (
            {"jurisdictions": ["BR"], "data_categories": ["health"], "legal_basis": "consent"},
            {},
            "lgpd-sensitive-data",
            "High",
        ),
        (
            {"jurisdictions": ["BR"], "data_categories": ["children"], "legal_basis": "consent"},
            {},
            "lgpd-children",
            "High",
        ),
        (
            {
                "jurisdictions": ["BR"],
                "data_categories": ["personal"],
                "deidentified": "anonymized",
            },
            {},
            "lgpd-anonymized",
            "Low",
        ),
        (
            {"jurisdictions": ["CA"], "data_categories": ["personal"]},
            {"use": "commercial"},
            "pipeda-no-consent",
            "High",
        ),
        (
            {"jurisdictions": ["CA"], "data_categories": ["financial"], "legal_basis": "consent"},
            {"use": "commercial"},
            "pipeda-sensitive",
            "High",
        ),
        (
            {"jurisdictions": ["US"], "data_categories": ["personal"]},
            {"directed_to_children": True},
            "coppa-children-under-13",
            "High",
        ),
        (
            {"jurisdictions": ["US"], "data_categories": ["health"], "deidentified": "safe-harbor"},
            {},
            "hipaa-deidentified",
            "Low",
        ),
        (
            {"jurisdictions": ["US"], "data_categories": ["health"], "deidentified": "safe-harbor"},
            {},
            "hipaa-safe-harbor-unverified",
            "Low",
        ),
        (
            {"source_kind": "licensed", "data_categories": ["none"]},
            {},
            "copyright-no-license-recorded",
            "Medium",
        ),
        (
            {
                "source_kind": "web-crawl",
                "jurisdictions": ["DE"],
                "tdm_optout_honored": False,
                "data_categories": ["none"],
            },
            {},
            "dsm-art4-tdm-optout",
            "High",
        ),
    ],
)
def test_builtin_rules_fire(
    dataset: dict[str, Any], context: dict[str, Any], rule: str, risk: str
) -> None:
    row = build_compliance_matrix(
        [{"name": "d", **dataset}], context=context, license_findings=False
    ).rows[0]
    finding = next(f for f in row.findings if f.rule_id == rule)
    assert finding.risk == risk
    assert finding.citations


def test_rules_that_must_not_fire() -> None:
    rows = build_compliance_matrix(
        [
            {"name": "pipeda-research", "jurisdictions": ["CA"], "data_categories": ["personal"]},
            {
                "name": "tdm-honored",
                "source_kind": "web-crawl",
                "jurisdictions": ["DE"],
                "tdm_optout_honored": True,
                "data_categories": ["none"],
            },
            {
                "name": "not-covered",
                "jurisdictions": ["US"],
                "data_categories": ["health"],
                "deidentified": "none",
            },
        ],
        context={
            "use": "research",
            "hipaa_covered_entity": False,
            "hipaa_business_associate": False,
            "directed_to_children": False,
        },
        license_findings=False,
    ).rows
    assert "PIPEDA" not in rows[0].regulations
    # an EEA-only crawl that honored opt-outs: DSM Art. 4(1) covers it (Medium), no Art. 4(3)
    assert rows[1].rule_ids == ("copyright-web-crawl-eea-optouts-honored",)
    assert rows[1].risk == "Medium"
    assert "HIPAA" not in rows[2].regulations
    # not a HIPAA entity: no exemption; may be Californians: an open question, not a risk
    ccpa = [f for f in rows[2].open_findings if f.regulation == "CCPA"]
    assert ccpa
    assert "CCPA" not in rows[2].regulations
    assert "regions" in rows[2].undecided


def test_pii_summary_feeds_the_rules() -> None:
    found = PiiScanSummary(
        records_scanned=10, records_with_pii=3, counts_by_entity={"PERSON": 3, "US_SSN": 1}
    )
    rows = build_compliance_matrix(
        [
            {
                "name": "declared-none",
                "jurisdictions": ["EU"],
                "data_categories": ["none"],
                "pii_summary": found,
            },
            {
                "name": "safe-harbor-leak",
                "jurisdictions": ["US"],
                "data_categories": ["health"],
                "deidentified": "safe-harbor",
                "pii_summary": found.model_dump(),
            },
            {
                "name": "redacted",
                "jurisdictions": ["US"],
                "data_categories": ["health"],
                "source_kind": "user-data",
                "deidentified": "safe-harbor",
                "pii_summary": found.model_copy(update={"redacted": True}),
            },
        ],
        context=CONTEXT,
        license_findings=False,
    ).rows
    assert "GDPR" in rows[0].regulations  # the scan contradicts 'none'
    assert rows[1].risk == "Critical"
    assert "hipaa-safe-harbor-identifiers-found" in rows[1].rule_ids
    assert "hipaa-deidentified" not in rows[1].rule_ids  # the claim does not hold
    assert "hipaa-deidentified" in rows[2].rule_ids
    assert rows[2].risk == "Low"


def test_dataset_validation_errors_name_paths() -> None:
    with pytest.raises(SchemaValidationError) as info:
        build_compliance_matrix(
            [
                {"name": "a", "jurisdiction": ["DE"]},
                {"name": "b", "synthetic": "yes", "jurisdictions": ["Germany"]},
                {"name": "c", "data_categories": ["none", "personal"]},
                42,
            ]
        )
    fields = [issue.field for issue in info.value.issues]
    assert fields == [
        "$[0].jurisdiction",
        "$[1].jurisdictions[0]",
        "$[1].synthetic",
        "$[2].data_categories",
        "$[3]",
    ]
    assert "did you mean 'jurisdictions'" in str(info.value)
    assert info.value.source == "datasets"


def test_unrelated_extra_keys_are_kept_not_dropped() -> None:
    matrix = build_compliance_matrix(
        [{"name": "a", "synthetic": True, "description": "survey", "rows": 10}]
    )
    assert matrix.rows[0].risk == "Low"
    facts = DatasetFacts.model_validate(
        {"name": "a", "jurisdictions": "de", "extra": {"description": "survey"}}
    )
    assert facts.jurisdictions == ("DE",)
    assert facts.extra == {"description": "survey"}


@pytest.mark.parametrize("bad", [{"name": "a"}, "datasets", 3])
def test_datasets_must_be_a_list(bad: Any) -> None:
    with pytest.raises(SchemaValidationError, match="DatasetManifest or a list"):
        build_compliance_matrix(bad)


def test_context_validation() -> None:
    with pytest.raises(SchemaValidationError) as info:
        build_compliance_matrix([], context={"use": "selling", "training_flops": 1})
    assert [i.field for i in info.value.issues] == ["$.use", "$.training_flops"]
    with pytest.raises(SchemaValidationError, match="mapping or a ComplianceContext"):
        build_compliance_matrix([], context=["commercial"])  # type: ignore[arg-type]
    with pytest.raises(SchemaValidationError):
        build_compliance_matrix([], context={"training_flop": -1})
    assert ComplianceContext().to_facts()["context.use"] is None


def test_regions_semantics() -> None:
    regions = DatasetFacts(name="x", jurisdictions=("US-CA", "DE")).to_facts()["regions"]
    assert isinstance(regions, FactSet)
    assert regions.contains("US")
    assert regions.contains("EEA")
    assert regions.contains("US-NY") is False
    assert regions.contains("DE-BY") is None
    assert DatasetFacts(name="x").to_facts()["regions"] is None
    world = DatasetFacts(name="x", jurisdictions=("GLOBAL",)).to_facts()["regions"]
    assert isinstance(world, FactSet)
    assert world.open
    # worldwide data holds the global baseline (EU, California) for certain, anything else maybe
    assert world.contains("EEA")
    assert world.contains("US")
    assert world.intersects(frozenset({"US-CA"}))
    assert world.contains("BR") is None
    assert world.intersects(frozenset({"BR", "CA"})) is None
    both = DatasetFacts(name="x", jurisdictions=("GLOBAL", "BR")).to_facts()["regions"]
    assert isinstance(both, FactSet)
    assert both.contains("BR")
    uk = DatasetFacts(name="x", jurisdictions=("UK",)).to_facts()["regions"]
    assert isinstance(uk, FactSet)
    assert uk.contains("GB")
    assert uk.contains("UK")
    assert uk.contains("EEA") is False
    assert uk.contains("GB-SCT") is None


def test_global_baseline_is_cited_data() -> None:
    from openmodel_gov.compliance import global_baseline

    baseline = global_baseline()
    assert baseline.codes == ("EU", "US-CA")
    assert "Table 12" in (baseline.citation.section or "")
    assert "GDPR, CCPA" in (baseline.citation.note or "")


def _drop_baseline(data: dict[str, Any]) -> None:
    del data["global_baseline"]


def _bad_baseline_code(data: dict[str, Any]) -> None:
    data["global_baseline"]["codes"] = ["europe"]


def _uncited_baseline(data: dict[str, Any]) -> None:
    del data["global_baseline"]["citation"]


def _half_alias(data: dict[str, Any]) -> None:
    data["aliases"] = [{"code": "UK"}]


def _boolean_member(data: dict[str, Any]) -> None:
    data["regions"][0]["members"] = False  # an unquoted NO


@pytest.mark.parametrize(
    ("edit", "field"),
    [
        (_drop_baseline, "$.global_baseline"),
        (_bad_baseline_code, "$.global_baseline.codes"),
        (_uncited_baseline, "$.global_baseline.citation"),
        (_half_alias, "$.aliases[0]"),
        (_boolean_member, "$.regions[0].members"),
    ],
)
def test_regions_file_is_validated(edit: Callable[[dict[str, Any]], None], field: str) -> None:
    from importlib import resources

    from openmodel_gov._core._io import load_yaml_document
    from openmodel_gov.compliance._regions import parse_regions

    text = resources.files("openmodel_gov").joinpath("data/rules/regions.yaml").read_text("utf-8")
    doc = load_yaml_document(text, source="regions.yaml")
    edit(doc.data)
    with pytest.raises(SchemaValidationError) as info:
        parse_regions(doc)
    assert (info.value.issues[0].field or "").startswith(field)


def test_rows_share_findings_for_equal_facts_and_are_ordered() -> None:
    data = [{**FIVE[0], "name": f"part-{i}"} for i in range(3)]
    matrix = build_compliance_matrix(data, context=CONTEXT)
    assert [r.dataset for r in matrix.rows] == ["part-0", "part-1", "part-2"]
    assert matrix.rows[0].findings is matrix.rows[2].findings
    assert [f.risk for f in matrix.rows[0].findings] == ["High", "Medium"]
    assert matrix.risk_counts == {"Low": 0, "Medium": 0, "High": 3, "Critical": 0}
    with pytest.raises(KeyError):
        matrix.row("nope")


def test_results_explain_themselves() -> None:
    matrix = build_compliance_matrix(FIVE, context=CONTEXT)
    text = str(matrix)
    assert text.startswith("Compliance matrix: 5 dataset(s), overall risk Critical")
    finding = matrix.row("commoncrawl_subset").open_findings[0]
    assert "open: Did the crawl ignore machine-readable" in str(finding)
    assert "Directive (EU) 2019/790" in str(finding)
    assert finding.risk == finding.severity == "High"
    assert finding.rationale.startswith("Art. 4 of the DSM Directive")
    data = matrix.to_dict()
    assert data["rows"][3]["undecided"] == ["tdm_optout_honored"]
    assert data["rows"][3]["questions"][0]["text"].endswith("If yes: Copyright/TDM, High")
    assert data["by_regulation"][0]["regulation"] == "HIPAA"
    assert finding.to_dict()["rule_id"] == "dsm-art4-tdm-optout"
    assert [p.name for p in matrix.packs] == [p.name for p in builtin_rule_packs()]


# --------------------------------------------------------------------------- licenses


_FAKE = {
    "CC-BY-NC-4.0": ("non-commercial", "incompatible"),
    "CC-BY-SA-4.0": ("copyleft", "compatible"),
    "LicenseRef-x": ("unknown", "needs_review"),
    "MIT": ("permissive", "compatible"),
    "CC-BY-NC-ND-4.0": ("non-commercial", "compatible"),
}


class FakeLicenses:
    """A test double of openmodel_gov.licenses (a LicenseChecker) following its contract."""

    def __init__(self) -> None:
        self.calls: list[str] = []

    def classify_license(self, expr: str) -> LicenseClassification:
        from openmodel_gov.errors import LicenseExpressionError, UnknownLicenseError

        if expr == "((":
            raise LicenseExpressionError("unbalanced parenthesis")
        if expr not in _FAKE:
            raise UnknownLicenseError(f"unknown license id: {expr!r}", unknown=[expr])
        category = _FAKE[expr][0]
        fact = LicenseFact(
            license=expr,
            kind="no-facts" if category == "unknown" else "clause",
            text="no clause facts for this id" if category == "unknown" else f"{category} terms",
            citation=LicenseCitation(source=f"{expr} text", section="1"),
        )
        return LicenseClassification(
            expression=expr,
            category=category,  # type: ignore[arg-type]
            reasons=(fact,),
            facts=(fact,),
        )

    def check_dataset_mix(self, licenses: Sequence[str], *, use: DatasetUse) -> Verdict:
        self.calls.append(f"{'+'.join(licenses)}@{use}")
        verdicts = [_FAKE[e][1] for e in licenses]
        worst = next((v for v in ("incompatible", "needs_review") if v in verdicts), "compatible")
        obligations = tuple(
            Obligation(
                kind="share-alike",
                license=e,
                text="share adaptations alike",
                citation=LicenseCitation(source="CC BY-SA 4.0", section="3(b)"),
            )
            for e in licenses
            if "SA" in e
        )
        reasons = tuple(
            Reason(
                code="non-commercial",
                verdict="incompatible",
                license=e,
                message=f"{e} forbids commercial use",
                citation=LicenseCitation(
                    source="CC BY-NC 4.0", section="1(i)", url="https://creativecommons.org/"
                ),
            )
            for e in licenses
            if "NC" in e
        )
        return Verdict(
            question="mix",
            verdict=worst,  # type: ignore[arg-type]
            reasons=reasons,
            obligations=obligations,
        )


@pytest.fixture
def fake_licenses() -> FakeLicenses:
    return FakeLicenses()


def test_license_findings_follow_the_license_primitive(fake_licenses: FakeLicenses) -> None:
    base = {"jurisdictions": ["US"], "data_categories": ["none"], "source_kind": "licensed"}
    matrix = build_compliance_matrix(
        [
            {"name": "nc", "license": "CC-BY-NC-4.0", **base},
            {"name": "sa", "license": "CC-BY-SA-4.0", **base},
            {"name": "ref", "license": "LicenseRef-x", **base},
            {"name": "mit", "license": "MIT", **base},
            {"name": "nd", "license": "CC-BY-NC-ND-4.0", **base},
            {"name": "odd", "license": "Some-Thing", **base},
            {"name": "crawl", "license": "Some-Thing", **base, "source_kind": "web-crawl"},
            {"name": "nc-again", "license": "CC-BY-NC-4.0", **base},
        ],
        context={"use": "commercial"},
        license_checker=fake_licenses,
    )
    risk = {r.dataset: (r.risk, r.regulations) for r in matrix.rows}
    assert risk["nc"] == ("High", ("License",))
    assert risk["sa"] == ("Medium", ("License",))
    assert risk["ref"] == ("Medium", ("License",))
    assert risk["mit"] == ("Low", ())
    assert risk["nd"] == ("Low", ("License",))
    assert risk["odd"] == ("Medium", ("License",))
    assert "License" not in risk["crawl"][1]
    nc = matrix.row("nc").findings[0]
    assert nc.rule_id == "license:CC-BY-NC-4.0"
    assert nc.title == "CC-BY-NC-4.0 does not allow commercial training"
    assert nc.citations[0].url == "https://creativecommons.org/"
    assert "Exclude the dataset" in nc.mitigations[-1]
    sa = [m.text for m in matrix.row("sa").mitigations]
    assert "Respect the terms of CC-BY-SA-4.0: copyleft terms" in sa
    assert "Share adaptations alike (CC-BY-SA-4.0)" in sa
    assert matrix.row("sa").mitigations[1].citations[0].section == "3(b)"
    # no placeholder ever reaches a report: a license without facts says so in words
    ref = [m.text for m in matrix.row("ref").mitigations]
    assert ref[0].startswith("Have the terms of LicenseRef-x reviewed: we hold no facts")
    assert "no-facts" not in matrix.to_markdown() + matrix.to_csv() + matrix.to_html()
    # one check per distinct license (memoized), then one for the mix
    assert fake_licenses.calls.count("CC-BY-NC-4.0@commercial-training") == 1
    mix = matrix.license_mix
    assert mix is not None
    assert mix.verdict == "incompatible"
    assert mix.licenses == (
        "CC-BY-NC-4.0",
        "CC-BY-SA-4.0",
        "LicenseRef-x",
        "MIT",
        "CC-BY-NC-ND-4.0",
    )


def test_license_use_unknown_is_an_open_question(fake_licenses: FakeLicenses) -> None:
    matrix = build_compliance_matrix(
        [{"name": "nc", "license": "CC-BY-NC-4.0", "synthetic": True}],
        license_checker=fake_licenses,
    )
    finding = next(f for f in matrix.rows[0].findings if f.regulation == "License")
    assert not finding.decided
    assert finding.status == "open"
    assert finding.unknown_facts == ("context.use",)
    assert matrix.rows[0].risk == "Low"
    research = build_compliance_matrix(
        [{"name": "nc", "license": "CC-BY-NC-4.0", "synthetic": True}],
        context={"use": "research"},
        license_checker=fake_licenses,
    )
    assert research.license_mix is not None
    assert research.license_mix.use == "research-training"


def test_unreadable_license_is_a_typed_error(fake_licenses: FakeLicenses) -> None:
    with pytest.raises(SchemaValidationError) as info:
        build_compliance_matrix([{"name": "a", "license": "(("}], license_checker=fake_licenses)
    assert info.value.issues[0].field == "$[0].license"


def test_license_findings_can_be_switched_off(fake_licenses: FakeLicenses) -> None:
    matrix = build_compliance_matrix(
        [{"name": "nc", "license": "CC-BY-NC-4.0", "synthetic": True}],
        license_findings=False,
        license_checker=fake_licenses,
    )
    assert matrix.license_mix is None
    assert fake_licenses.calls == []


def test_real_license_primitive_flags_non_commercial_data() -> None:
    matrix = build_compliance_matrix(
        [
            {
                "name": "nc",
                "license": "CC-BY-NC-4.0",
                "source_kind": "licensed",
                "jurisdictions": ["US"],
                "data_categories": ["none"],
            },
            {
                "name": "by",
                "license": "CC-BY-4.0",
                "source_kind": "licensed",
                "jurisdictions": ["US"],
                "data_categories": ["none"],
            },
        ],
        context={"use": "commercial"},
    )
    assert matrix.row("nc").risk == "High"
    assert "License" in matrix.row("nc").regulations
    assert matrix.row("by").regulations == ()
    assert matrix.license_mix is not None
    assert matrix.license_mix.verdict == "incompatible"


# --------------------------------------------------------------------------- plan = Kleene

_OPTIONAL: dict[str, Any] = {
    "jurisdictions": st.lists(
        st.sampled_from(["EU", "DE", "NO", "US", "US-CA", "BR", "CA", "GB", "GLOBAL"]),
        max_size=3,
    ),
    "data_categories": st.sampled_from(
        [
            [],
            ["none"],
            ["personal"],
            ["health", "personal"],
            ["children"],
            ["biometric"],
            ["financial", "special-category"],
        ]
    ),
    "source_kind": st.sampled_from(
        ["web-crawl", "licensed", "public-dataset", "user-data", "synthetic", "other"]
    ),
    "deidentified": st.sampled_from(
        ["none", "safe-harbor", "expert-determination", "anonymized", "pseudonymized"]
    ),
    "legal_basis": st.sampled_from(["consent", "contract"]),
    "synthetic": st.booleans(),
    "tdm_optout_honored": st.booleans(),
    "pii_summary": st.builds(
        PiiScanSummary,
        records_scanned=st.just(5),
        records_with_pii=st.integers(0, 2),
        counts_by_entity=st.dictionaries(
            st.sampled_from(["PERSON", "US_SSN", "URL"]), st.integers(0, 2), max_size=2
        ),
        redacted=st.booleans(),
    ),
}
_CONTEXT: dict[str, Any] = {
    "use": st.sampled_from(["commercial", "research"]),
    "gpai_eu_market": st.booleans(),
    "training_flop": st.sampled_from([1e20, 1e25, 3e25]),
    "directed_to_children": st.booleans(),
    "hipaa_covered_entity": st.booleans(),
    "hipaa_business_associate": st.booleans(),
}


@st.composite
def _dataset_and_context(draw: st.DrawFn) -> tuple[dict[str, Any], dict[str, Any]]:
    dataset = {"name": "d"}
    for key, strategy in _OPTIONAL.items():
        if draw(st.booleans()):
            dataset[key] = draw(strategy)
    context = {k: draw(s) for k, s in _CONTEXT.items() if draw(st.booleans())}
    return dataset, context


@settings(max_examples=100, deadline=None)
@given(_dataset_and_context())
def test_guarded_plan_equals_plain_kleene_evaluation(
    case: tuple[dict[str, Any], dict[str, Any]],
) -> None:
    dataset, context = case
    row = build_compliance_matrix([dataset], context=context, license_findings=False).rows[0]
    facts = {
        **ComplianceContext(**context).to_facts(),
        **DatasetFacts.model_validate(dataset).to_facts(),
    }
    expected: dict[str, tuple[str, set[str]]] = {}
    for pack in builtin_rule_packs():
        for rule in pack.rules:
            if rule.scope != "dataset":
                continue
            result, unknown = rule.condition.evaluate(facts)
            if result is False:
                continue
            gate = pack.ruled_out_gate(rule)
            if gate is not None and gate.condition.evaluate(facts)[0] is True:
                expected[rule.id] = ("ruled-out", set())
            elif result is True:
                expected[rule.id] = ("decided", set())
            elif pack.plausible_gate(rule).condition.evaluate(facts)[0] is True:
                expected[rule.id] = ("open", set(unknown))
    got = {f.rule_id: (f.status, set(f.unknown_facts)) for f in row.findings}
    assert got == expected


def test_repeated_datasets_are_refused_with_both_places() -> None:
    with pytest.raises(SchemaValidationError) as info:
        build_compliance_matrix(
            [
                {"name": "a", "version": "1"},
                {"name": "a", "version": "2"},
                {"name": "a", "version": "1"},
            ]
        )
    assert [i.field for i in info.value.issues] == ["$[2].name"]
    assert "dataset 'a' version '1' is listed twice (first at $[0])" in str(info.value)


def test_errors_inside_a_list_of_manifests_name_the_manifest() -> None:
    from openmodel_gov.manifests import DatasetEntry, DatasetManifest

    ok = DatasetEntry(name="ok", version="1", source_kind="other", license="MIT")
    bad = DatasetEntry(name="bad", version="1", source_kind="other", license="MIT")
    manifest = DatasetManifest(datasets=(ok, bad), files=())
    with pytest.raises(SchemaValidationError) as info:
        build_compliance_matrix([manifest, {"name": "x", "synthetic": 1}])
    assert info.value.issues[0].field == "$[1].synthetic"
    with pytest.raises(SchemaValidationError) as info:
        build_compliance_matrix([manifest, manifest])
    assert info.value.issues[0].field == "$[1].datasets[0].name"  # listed twice


def test_rows_built_fast_equal_validated_rows() -> None:
    matrix = build_compliance_matrix(FIVE, context=CONTEXT)
    for row in matrix.rows:
        again = ComplianceRow.model_validate(row.model_dump())
        assert again == row
        assert again.model_fields_set == row.model_fields_set
        assert hash(row.dataset) == hash(again.dataset)
        assert row.model_copy(update={"risk": "Low"}).risk == "Low"
    with pytest.raises(ValidationError):
        matrix.rows[0].risk = "Low"  # type: ignore[misc]


_ANY_VALUE = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(-3, 3),
    st.floats(allow_nan=True),
    st.text(max_size=8),
    st.lists(st.text(max_size=6), max_size=3),
    st.dictionaries(st.text(max_size=4), st.integers(), max_size=2),
)
_KEYS = st.sampled_from(
    [
        "name",
        "version",
        "jurisdictions",
        "data_categories",
        "source_kind",
        "license",
        "synthetic",
        "deidentified",
        "legal_basis",
        "tdm_optout_honored",
        "pii_summary",
        "jurisdiction",
        "notes",
    ]
)


@settings(max_examples=150, deadline=None)
@given(
    st.lists(st.dictionaries(_KEYS, _ANY_VALUE, max_size=6), max_size=3),
    st.dictionaries(st.sampled_from([*_CONTEXT, "use_case"]), _ANY_VALUE, max_size=3),
)
def test_any_user_input_gives_a_matrix_or_a_typed_error(
    datasets: list[dict[str, Any]], context: dict[str, Any]
) -> None:
    error: SchemaValidationError | None = None
    try:
        matrix = build_compliance_matrix(datasets, context=context, license_findings=False)
    except SchemaValidationError as exc:
        error = exc
    if error is not None:
        assert error.issues
        assert all(issue.field.startswith("$") for issue in error.issues)
        return
    assert len(matrix.rows) == len(datasets)
    assert all(row.risk in ("Low", "Medium", "High", "Critical") for row in matrix.rows)


def _statuses(jurisdictions: list[str], regulation: str) -> set[str]:
    data = {
        "name": "d",
        "source_kind": "user-data",
        "data_categories": ["personal"],
        "legal_basis": "consent",
    }
    if jurisdictions:
        data["jurisdictions"] = jurisdictions
    row = build_compliance_matrix([data], context={"use": "commercial"}).rows[0]
    return {f.status for f in row.findings if f.regulation == regulation}


@pytest.mark.parametrize(
    ("jurisdictions", "uk", "eu"),
    [
        (["UK"], {"decided"}, set()),  # UK-only data: no EU GDPR, not even as a question
        (["GB"], {"decided"}, set()),
        (["DE"], set(), {"decided"}),  # EU-only data: no UK GDPR
        (["EU"], set(), {"decided"}),
        (["FR", "GB"], {"decided"}, {"decided"}),
        (["GLOBAL"], {"open"}, {"decided"}),  # worldwide: the UK is a question
        (["GLOBAL", "UK"], {"decided"}, {"decided"}),
        ([], {"open"}, {"open"}),  # nothing declared: both are questions
    ],
)
def test_uk_gdpr_and_eu_gdpr_keep_to_their_territories(
    jurisdictions: list[str], uk: set[str], eu: set[str]
) -> None:
    assert _statuses(jurisdictions, "UK GDPR") == uk
    assert _statuses(jurisdictions, "GDPR") == eu


@pytest.mark.parametrize(
    ("jurisdictions", "honored", "rule", "risk"),
    [
        (["DE", "FR"], True, "copyright-web-crawl-eea-optouts-honored", "Medium"),
        (["EU", "NO"], True, "copyright-web-crawl-eea-optouts-honored", "Medium"),
        (["DE", "US"], True, "copyright-web-crawl", "High"),  # not only in the EEA
        (["GLOBAL"], True, "copyright-web-crawl", "High"),
        (["GB"], True, "copyright-web-crawl", "High"),
        (["DE"], False, "copyright-web-crawl", "High"),
        (["DE"], None, "copyright-web-crawl", "High"),  # unknown: stays High, Art. 4(3) asked
        ([], True, "copyright-web-crawl", "High"),  # places unknown: stays High
    ],
)
def test_crawl_risk_follows_the_tdm_exception(
    jurisdictions: list[str], honored: bool | None, rule: str, risk: str
) -> None:
    data: dict[str, Any] = {
        "name": "crawl",
        "source_kind": "web-crawl",
        "data_categories": ["none"],
    }
    if jurisdictions:
        data["jurisdictions"] = jurisdictions
    if honored is not None:
        data["tdm_optout_honored"] = honored
    row = build_compliance_matrix([data], license_findings=False).rows[0]
    decided = [f.rule_id for f in row.findings if f.status == "decided"]
    assert rule in decided
    assert row.risk == risk
