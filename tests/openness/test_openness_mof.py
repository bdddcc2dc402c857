"""MOF rules of classify_mof, OSAID readiness, improvement plans and comparison tables."""

from __future__ import annotations

import json
from typing import Any

import pytest

from openmodel_gov.cards import AccessGating, Component, ModelCard
from openmodel_gov.openness import (
    classify_mof,
    compare_openness,
    improvement_plan,
    osaid_readiness,
    score_openness,
)

FINAL = "Model parameters (Final)"
REPORT = "Technical report"
PAPER = "Research paper"
CLASS3 = ["Model architecture", FINAL, "Evaluation results", "Model card", "Data card", REPORT]
CLASS2 = ["Training code", "Inference code", "Evaluation code", "Evaluation data"]
CLASS1 = ["Datasets", "Data preprocessing code", "Model parameters (Intermediate)", PAPER]


def make(components: dict[str, Any] | None = None, **fields: Any) -> ModelCard:
    built: dict[Any, Component] = {}
    for name, value in (components or {}).items():
        if isinstance(value, Component):
            built[name] = value
        elif value is False:
            built[name] = Component(included=False)
        else:
            built[name] = Component(included=True, license=value)
    fields.setdefault("name", "m")
    return ModelCard(components=built, **fields)


def all_of(names: list[str], license_: str | None = None) -> dict[str, Any]:
    return dict.fromkeys(names, license_)


# --- license inheritance -------------------------------------------------------------------
def test_component_license_wins_over_globals() -> None:
    card = make({"Model card": "CC-BY-4.0"}, licenses={"document": "LicenseRef-x"})
    s = classify_mof(card).components["Model card"]
    assert (s.status, s.license, s.license_origin) == ("open", "CC-BY-4.0", "component")


def test_global_license_for_the_content_type_is_inherited() -> None:
    card = make(
        {"Model card": None, "Model architecture": None},
        licenses={"document": "CC-BY-4.0", "code": "MIT", "distribution": "LicenseRef-x"},
    )
    comps = classify_mof(card).components
    assert (comps["Model card"].license, comps["Model card"].license_origin) == (
        "CC-BY-4.0",
        "global",
    )
    assert comps["Model card"].field == "$.licenses.document"
    assert comps["Model architecture"].license == "MIT"


def test_distribution_license_is_the_last_fallback() -> None:
    card = make({"Model card": None}, licenses={"code": "MIT", "distribution": "CC0-1.0"})
    s = classify_mof(card).components["Model card"]
    assert (s.status, s.license, s.license_origin) == ("open", "CC0-1.0", "distribution")


def test_no_license_anywhere_is_unlicensed() -> None:
    result = classify_mof(make({"Model card": None}))
    assert result.components["Model card"].status == "unlicensed"
    assert "Model card: included without a license" in result.warnings


def test_explicit_unlicensed_blocks_inheritance() -> None:
    card = make({"Model card": "unlicensed"}, licenses={"distribution": "CC-BY-4.0"})
    s = classify_mof(card).components["Model card"]
    assert s.status == "unlicensed"
    assert "blocks inheriting" in s.reason
    assert classify_mof(card).progress[3] == 0.0


def test_not_included_and_not_stated_are_missing() -> None:
    card = make({"Model card": False}, licenses={"distribution": "MIT"})
    comps = classify_mof(card).components
    assert comps["Model card"].status == "missing"
    assert comps["Model card"].reason == "component not included"
    assert comps["Data card"].reason == "component not stated"


def test_open_licenses_per_mot_rule() -> None:
    opens = [
        "Apache-2.0",
        "GPL-3.0-only",
        "Apache-1.0",
        "CC0-1.0",
        "CC-BY-SA-3.0-AT",
        "CDLA-Sharing-1.0",
        "ODbL-1.0",
        "PDDL-1.0",
        "OGL-Canada-2.0",
        "OpenMDW-1.0",
        "GFDL-1.3-no-invariants-only",
    ]
    closed = [
        "CC-BY-NC-4.0",
        "CC-BY-ND-4.0",
        "hf:llama2",
        "LicenseRef-x",
        "NLOD-1.0",
        "Community-Spec-1.0",
    ]
    for lic in opens:
        assert classify_mof(make({"Model card": lic})).components["Model card"].status == "open", (
            lic
        )
    for lic in closed:
        s = classify_mof(make({"Model card": lic})).components["Model card"]
        assert s.status == "not-open", lic
        assert "not an open license" in s.reason


# --- strict vs normalized ------------------------------------------------------------------
def test_strict_matches_exact_spdx_ids_only() -> None:
    card = make(all_of(CLASS3, "Apache 2.0"))
    strict = classify_mof(card)
    assert strict.mof_class is None
    assert strict.components[FINAL].status == "not-open"
    assert strict.differences == []
    normalized = classify_mof(card, mode="normalized")
    assert normalized.mof_class == 3
    assert normalized.components[FINAL].normalized_license == "Apache-2.0"
    diff = {d.component: d for d in normalized.differences}[FINAL]
    assert (diff.license, diff.normalized_license, diff.strict_status, diff.normalized_status) == (
        "Apache 2.0",
        "Apache-2.0",
        "not-open",
        "open",
    )
    assert "strict vs normalized" in normalized.explain()


def test_strict_is_case_sensitive_and_normalized_handles_hub_ids_and_expressions() -> None:
    card = make(
        {
            "Model card": "cc-by-4.0",
            "Data card": "hf:mit",
            "Technical report": "MIT OR LicenseRef-x",
            "Evaluation results": "LicenseRef-x AND MIT",
        }
    )
    strict = classify_mof(card).components
    assert all(strict[n].status == "not-open" for n in ("Model card", "Data card"))
    norm = classify_mof(card, mode="normalized").components
    assert norm["Model card"].status == "open"
    assert norm["Data card"].status == "open"
    assert norm["Technical report"].status == "open"
    assert norm["Evaluation results"].status == "not-open"


def test_unknown_mode_is_refused() -> None:
    with pytest.raises(ValueError, match="mode"):
        classify_mof(make(), mode="loose")  # type: ignore[arg-type]


def test_open_but_not_type_appropriate_is_a_warning_only() -> None:
    result = classify_mof(make(all_of(CLASS3, "Apache-2.0")))
    assert result.mof_class == 3
    weights = result.components[FINAL]
    assert (weights.status, weights.type_appropriate) == ("open", False)
    assert any(
        w.startswith(f"{FINAL}: Apache-2.0 is open but not a type-appropriate")
        for w in result.warnings
    )


# --- paper substitution --------------------------------------------------------------------
def test_paper_stands_in_for_a_missing_report() -> None:
    comps = all_of([c for c in CLASS3 if c != REPORT], "CC-BY-4.0") | {PAPER: "CC-BY-4.0"}
    result = classify_mof(make(comps))
    assert result.paper_substitutes_report
    assert result.components[PAPER].stands_in_for == REPORT
    assert (result.mof_class, result.progress[3], result.progress[2]) == (3, 100.0, 60.0)


def test_paper_stands_in_for_a_report_that_is_not_open() -> None:
    comps = all_of(CLASS3, "CC-BY-4.0") | {REPORT: "LicenseRef-x", PAPER: "CC-BY-4.0"}
    assert classify_mof(make(comps)).mof_class == 3


def test_no_substitution_when_the_report_is_open() -> None:
    comps = all_of(CLASS3, "CC-BY-4.0") | {PAPER: "CC-BY-4.0"}
    result = classify_mof(make(comps))
    assert not result.paper_substitutes_report
    assert result.components[PAPER].stands_in_for is None


def test_declared_paper_that_is_not_open_does_not_count() -> None:
    comps = all_of([c for c in CLASS3 if c != REPORT], "CC-BY-4.0") | {PAPER: "LicenseRef-x"}
    result = classify_mof(make(comps))
    assert result.paper_substitutes_report
    assert result.progress[3] == pytest.approx(500 / 6)
    assert result.mof_class is None


def test_class_1_needs_one_component_fewer_when_the_paper_replaces_the_report() -> None:
    names = [c for c in CLASS3 + CLASS2 + CLASS1 if c != REPORT]
    result = classify_mof(make(all_of(names, "CC0-1.0")))
    assert result.progress == {3: 100.0, 2: 100.0, 1: 100.0}
    assert (result.mof_class, result.label) == (1, "Class I - Open Science Model")


# --- progress ------------------------------------------------------------------------------
def test_progress_is_zero_until_every_lower_class_is_complete() -> None:
    comps = all_of(CLASS2 + CLASS1[:3], "MIT") | all_of(CLASS3[:5], "MIT")
    result = classify_mof(make(comps))
    assert result.progress[3] == pytest.approx(500 / 6)
    assert result.progress[2] == 0.0
    assert result.progress[1] == 0.0
    assert result.overall_progress == pytest.approx(500 / 18)


def test_class_2_progress_once_class_3_is_complete() -> None:
    comps = all_of(CLASS3, "CC0-1.0") | {"Training code": "MIT", "Datasets": "CC0-1.0"}
    result = classify_mof(make(comps))
    assert (result.progress[3], result.progress[2], result.progress[1]) == (100.0, 70.0, 0.0)
    assert result.label == "Class III - Open Model"


def test_optional_components_never_count() -> None:
    optional = ["Sample model outputs", "Supporting libraries and tools", "Model metadata"]
    result = classify_mof(make(all_of(optional, "MIT")))
    assert result.progress == {3: 0.0, 2: 0.0, 1: 0.0}
    assert all(result.components[n].mof_class is None for n in optional)
    assert result.components["Model metadata"].status == "open"


def test_mof_renderings() -> None:
    result = classify_mof(make(all_of(CLASS3, "CC0-1.0") | {"Datasets": "unlicensed"}, name="x<y"))
    assert str(result) == "x<y: Class III - Open Model (III 100%, II 60%, I 0%)"
    data = result.to_dict()
    json.dumps(data)
    assert data["progress"] == {"3": 100.0, "2": 60.0, "1": 0.0}
    assert data["components"]["Datasets"]["status"] == "unlicensed"
    page = result._repr_html_()
    assert "x&lt;y" in page
    assert "<li>" in page
    text = result.explain()
    assert "optional components:" in text
    assert "[unlicensed] Datasets" in text


# --- OSAID ---------------------------------------------------------------------------------
def test_osaid_ready_card() -> None:
    comps = {
        "Data card": "CC-BY-4.0",
        "Datasets": "ODC-By-1.0",
        "Data preprocessing code": "Apache-2.0",
        "Training code": "Apache-2.0",
        "Evaluation code": "MIT",
        "Inference code": "MIT",
        "Model architecture": "MIT",
        "Supporting libraries and tools": "MIT",
        FINAL: "Apache-2.0",
        "Model parameters (Intermediate)": "Apache-2.0",
        "Model metadata": "CC0-1.0",
    }
    r = osaid_readiness(make(comps, datasets=["allenai/dolma"]))
    assert r.ready, r.explain()
    assert r.missing == []
    assert str(r) == "m: OSAID 1.0 ready (3/3 requirements met)"


def test_osaid_needs_osi_licenses_for_code() -> None:
    comps = dict.fromkeys(
        [
            "Data preprocessing code",
            "Training code",
            "Evaluation code",
            "Inference code",
            "Model architecture",
        ],
        "CC-BY-4.0",
    )
    r = osaid_readiness(make(comps))
    code = {q.id: q for q in r.requirements}["code"]
    assert not code.met
    assert all("not an OSI-approved license" in m for m in code.missing)


def test_osaid_lists_what_is_missing() -> None:
    r = osaid_readiness(
        make({"Data card": "unlicensed"}, weights_url="https://w", license="hf:llama2")
    )
    assert not r.ready
    data_info = {q.id: q for q in r.requirements}["data-information"]
    assert "Data information: Data card released without a license" in data_info.missing
    assert data_info.listing is False
    params = {q.id: q for q in r.requirements}["parameters"]
    assert params.checks[0].released
    assert not params.checks[0].terms_ok
    json.dumps(r.to_dict())
    assert "not met" in r._repr_html_()
    assert "NOT met" in r.explain()


# --- improvement plans ---------------------------------------------------------------------
def test_band_plan_is_the_smallest_set_and_reaches_the_target() -> None:
    card = make(license="hf:llama2", gating=AccessGating(gated=True), weights_url="https://w")
    plan = improvement_plan(card, target="semi_open")
    assert plan.achievable
    assert not plan.already_met
    kinds = [a.kind for a in plan.actions]
    assert len(kinds) <= 3
    assert plan.after.startswith("semi_open")
    assert "1." in plan.explain()
    json.dumps(plan.to_dict())
    assert "<table" in plan._repr_html_()


def test_next_band_and_already_met() -> None:
    top = make(
        extras={
            "openness": dict.fromkeys(
                ["weights", "training_data", "training_code", "license", "ecosystem"], 2
            )
        }
    )
    plan = improvement_plan(top)
    assert plan.already_met
    assert plan.actions == []
    assert "nothing to do" in str(plan)
    low = improvement_plan(make(license="MIT"))
    assert low.before.startswith("not_open")
    assert low.after.startswith("semi_open")


def test_class_plan_uses_the_paper_and_is_verified() -> None:
    comps = all_of([c for c in CLASS3 if c != REPORT], "CC0-1.0") | {PAPER: "LicenseRef-x"}
    plan = improvement_plan(make(comps), target=3)
    assert [(a.kind, a.component) for a in plan.actions] == [("relicense", PAPER)]
    assert plan.after == "Class III - Open Model"
    assert plan.achievable


def test_class_plan_relicenses_a_declared_report_first() -> None:
    comps = all_of([c for c in CLASS3 if c != REPORT], "CC0-1.0") | {REPORT: "LicenseRef-x"}
    plan = improvement_plan(make(comps), target="next-class")
    assert [(a.kind, a.component) for a in plan.actions] == [("relicense", REPORT)]


def test_class_1_plan_needs_the_paper_not_the_report() -> None:
    plan = improvement_plan(make(), target=1)
    names = [a.component for a in plan.actions]
    assert PAPER in names
    assert REPORT not in names
    assert len(names) == 13
    assert plan.after == "Class I - Open Science Model"


def test_class_plan_already_met_and_next_class_from_class_3() -> None:
    card = make(all_of(CLASS3, "CC0-1.0"))
    assert improvement_plan(card, target=3).already_met
    nxt = improvement_plan(card, target="next-class")
    assert nxt.target == "Class II - Open Tooling Model"
    assert sorted(a.component or "" for a in nxt.actions) == sorted(CLASS2)


def test_unknown_target_is_refused() -> None:
    with pytest.raises(ValueError, match="target"):
        improvement_plan(make(), target="best")  # type: ignore[arg-type]


def test_unreachable_band_target_is_reported() -> None:
    from openmodel_gov.openness import default_policy

    policy = default_policy().with_changes(
        license_points={"permissive": 1},
        bands=[
            {"name": "not_open", "min": 0, "max": 3, "rag": "red", "meaning": "a"},
            {"name": "semi_open", "min": 4, "max": 9, "rag": "amber", "meaning": "b"},
            {"name": "fully_open", "min": 10, "max": 10, "rag": "green", "meaning": "c"},
        ],
    )
    plan = improvement_plan(make(license="MIT"), target="fully_open", policy=policy)
    assert not plan.achievable
    assert plan.after == "semi_open (9/10)"
    assert "not reachable" in plan.explain()


# --- comparison ----------------------------------------------------------------------------
def test_compare_openness_renders_every_format() -> None:
    cards = [make(name="low"), make(all_of(CLASS3, "CC0-1.0"), name="high", license="MIT")]
    table = compare_openness(cards, sort_by="total")
    assert [r.score.name for r in table.rows] == ["high", "low"]
    md = table.to_markdown()
    assert md.splitlines()[0].startswith("| model | weights |")
    assert "| high |" in md
    assert "Class III" in md
    csv_text = table.to_csv()
    assert csv_text.splitlines()[0] == ",".join(table.headers)
    assert len(csv_text.splitlines()) == 3
    assert "<table" in table.to_html()
    assert table._repr_html_() == table.to_html()
    assert str(table) == md
    data = table.to_dict()
    json.dumps(data)
    assert data["models"][0]["mof"]["mof_class"] == 3
    kept = compare_openness(cards)
    assert [r.score.name for r in kept.rows] == ["low", "high"]
    assert score_openness(cards[0]).total == kept.rows[0].score.total


# --- license edge cases ----------------------------------------------------------------------
@pytest.mark.parametrize(
    ("license_", "is_open"),
    [
        ("(MIT OR LicenseRef-x)", True),
        ("MIT AND (Apache-2.0 OR LicenseRef-x)", False),
        ("GPL-2.0-only WITH Classpath-exception-2.0", True),
        ("LicenseRef-x OR LicenseRef-y", False),
    ],
)
def test_normalized_mode_evaluates_simple_expressions(license_: str, is_open: bool) -> None:
    s = classify_mof(make({"Model card": license_}), mode="normalized").components["Model card"]
    assert (s.status == "open") is is_open


def test_a_license_the_primitive_cannot_classify_is_unknown(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    import openmodel_gov.licenses
    from openmodel_gov.openness._licensing import category_of

    def broken(expr: str) -> None:
        raise ValueError("boom")

    category_of.cache_clear()
    monkeypatch.setattr(openmodel_gov.licenses, "classify_license", broken)
    try:
        assert category_of("0BSD") == ("unknown", "0BSD", "'0BSD' could not be classified: boom")
    finally:
        category_of.cache_clear()


def test_plan_skips_components_that_are_already_open_and_relicenses_the_rest() -> None:
    card = make(
        {"Data card": "CC-BY-4.0", "Datasets": "unlicensed", "Training code": None},
        weights_url="https://w",
    )
    plan = improvement_plan(card, target="fully_open")
    components = [a.component for a in plan.actions]
    assert "Data card" not in components
    assert plan.achievable


def test_weights_and_ecosystem_evidence_fields() -> None:
    card = make(
        {FINAL: "Apache-2.0"},
        weights_url="https://w",
        huggingface="https://hf.co/m",
        dataset_manifests=["manifest.json"],
        ecosystem={"benchmark_listings": ["open-llm-leaderboard"]},
    )
    s = score_openness(card)
    fields = [e.field for e in s.dimensions["weights"].evidence]
    assert {"$.weights_url", "$.huggingface"} <= set(fields)
    assert any(e.field == "$.dataset_manifests" for e in s.dimensions["training_data"].evidence)
    assert any(
        e.field == "$.ecosystem.benchmark_listings" for e in s.dimensions["ecosystem"].evidence
    )


def test_explain_mentions_paper_substitution() -> None:
    result = classify_mof(make({PAPER: "CC-BY-4.0"}))
    assert "the research paper stands in for the technical report" in result.explain()


def test_bad_options_raise_config_errors_with_hints() -> None:
    from openmodel_gov.errors import ConfigError
    from openmodel_gov.openness import default_policy

    with pytest.raises(ConfigError) as err:
        compare_openness([make()], sort_by="name")  # type: ignore[arg-type]
    assert err.value.hint
    with pytest.raises(ConfigError) as err:
        default_policy().with_changes(ecosystem_groups_for_full=9)
    assert err.value.field == "$.ecosystem_groups_for_full"
