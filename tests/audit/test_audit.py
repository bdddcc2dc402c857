"""The end-to-end audit API: pipeline, determinism, renderings, policy gate, config files."""

from __future__ import annotations

import json
import shutil
from datetime import datetime, timezone
from pathlib import Path

import pytest

from openmodel_gov.audit import (
    AuditConfig,
    AuditReport,
    ManifestRef,
    Policy,
    evaluate_policy,
    example_dir,
    load_audit_config,
    load_policy,
    parse_policy,
    policy_json_schema,
    run_audit,
)
from openmodel_gov.errors import FileAccessError, InputError, PolicyError

ROOT = Path(__file__).resolve().parents[2]
REALWORLD = ROOT / "tests" / "data" / "realworld" / "model_cards"
EXAMPLE = example_dir()
CARD = EXAMPLE / "README.md"
MANIFEST = EXAMPLE / "support-tickets.manifest.yaml"
DATA = EXAMPLE / "data" / "support-tickets"
STRICT = ROOT / "examples" / "policies" / "strict.yaml"


def fixed(year: int = 2026) -> datetime:
    return datetime(year, 1, 2, 3, 4, 5, tzinfo=timezone.utc)


def example_report(**kwargs: object) -> AuditReport:
    config = load_audit_config(EXAMPLE / "audit.yaml")
    return config.run(pii_scan=False, clock=fixed, **kwargs)  # type: ignore[arg-type]


def test_example_audit_sections_and_headline() -> None:
    report = example_report()
    assert [s.id for s in report.sections] == [
        "card", "openness", "licenses", "manifests", "pii", "compliance",
    ]  # fmt: skip
    h = report.headline
    assert h.openness_score == 9
    assert h.mof_class == "III"
    assert h.license_category == "permissive"
    assert h.license_verdict == "compatible"
    assert h.manifests_verified is True
    assert h.unredacted_pii == ("EMAIL_ADDRESS", "PERSON", "PHONE_NUMBER")
    assert h.max_risk == "Medium"
    assert report.policy is not None
    assert report.passed
    assert report.overall == "amber"
    assert report.section("pii").status == "amber"
    assert [i.role for i in report.inputs] == ["card", "policy", "manifest", "data"]
    assert report.inputs[0].path == "README.md"
    with pytest.raises(KeyError):
        report.section("nope")
    assert report.plan[0].section == "pii"
    assert "audit of tiny-helpdesk-1b: AMBER" in str(report)


def test_progress_names_every_step() -> None:
    steps: list[str] = []
    run_audit(CARD, pii_scan=False, clock=fixed, progress=steps.append)
    assert steps == [
        "model card", "openness", "dataset manifests", "licenses", "personal data (PII)",
        "compliance matrix",
    ]  # fmt: skip


def test_reports_are_deterministic_apart_from_the_timestamp(tmp_path: Path) -> None:
    a, b = example_report(), example_report()
    assert a.to_json() == b.to_json()
    assert a.to_html() == b.to_html()
    assert a.to_markdown() == b.to_markdown()
    c = load_audit_config(EXAMPLE / "audit.yaml").run(pii_scan=False, clock=lambda: fixed(2030))
    assert c.generated_at != a.generated_at
    assert c.to_json().replace(c.generated_at, a.generated_at) == a.to_json()
    paths = a.write(tmp_path / "out")
    assert json.loads(paths["json"].read_text(encoding="utf-8"))["generated_at"] == (
        "2026-01-02T03:04:05+00:00"
    )


def test_html_is_self_contained_summary_first() -> None:
    page = example_report().to_html()
    assert page.startswith("<!DOCTYPE html>")
    assert "<script" not in page
    assert "http://" not in page.split("</style>")[0]
    assert "<link" not in page
    assert page.index('id="summary"') < page.index('id="plan"') < page.index('id="section-card"')
    assert 'data-overall="amber"' in page
    assert "#fcd68a" in page  # amber
    assert "#a7e3b5" in page  # green
    assert "Regulation (EU) 2024/1689 (AI Act)" in page  # citations
    assert "Improvement plan" in page
    assert "policy-pass" in page
    fragment = example_report()._repr_html_()
    assert "<html" not in fragment
    assert "Audit report: tiny-helpdesk-1b" in fragment


def test_markdown_has_the_same_content() -> None:
    md = example_report().to_markdown()
    assert md.startswith("# Audit report: tiny-helpdesk-1b 0.1.0")
    assert "## Summary: AMBER" in md
    assert "Policy `example-release-policy`: passed" in md
    assert "## Improvement plan" in md
    assert "### Compliance matrix" in md or "## Compliance matrix" in md


def test_policy_failure_names_every_violated_rule() -> None:
    report = example_report(policy=STRICT)
    assert report.policy is not None
    assert not report.passed
    assert report.overall == "red"
    rules = [v.rule for v in report.policy.violations]
    assert rules == [
        "min_openness_score",
        "min_mof_class",
        "forbid_unredacted_pii",
        "max_risk_level",
    ]
    assert "FAILED (4 violated)" in str(report.policy)
    assert "policy-fail" in report.to_html()
    assert "`min_mof_class`" in report.to_markdown()


def test_policy_rules_fail_closed_without_facts() -> None:
    report = run_audit(CARD, pii_scan=False, clock=fixed)
    policy = Policy(
        max_risk_level="High",
        forbid_unredacted_pii=("US_SSN",),
        require_manifest_verified=True,
    )
    result = evaluate_policy(report, policy, name="p.yaml")
    assert [v.rule for v in result.violations] == [
        "forbid_unredacted_pii", "max_risk_level", "require_manifest_verified",
    ]  # fmt: skip
    assert result.policy == "p.yaml"
    assert "could not be assessed" in result.violations[1].message


def test_policy_with_synthetic_headlines() -> None:
    base = example_report()
    bad = base.model_copy(
        update={
            "headline": base.headline.model_copy(
                update={
                    "openness_score": None,
                    "mof_class": None,
                    "license_category": "non-commercial",
                    "license_verdict": "needs_review",
                    "manifests_verified": False,
                    "missing_card_fields": ("limitations",),
                    "max_risk": "Critical",
                }
            )
        }
    )
    policy = Policy(
        min_openness_score=1,
        min_mof_class="III",
        allowed_license_classes=("permissive",),
        require_license_verdict="compatible",
        forbid_unredacted_pii=("*",),
        max_risk_level="High",
        require_manifest_verified=True,
        require_card_fields=("limitations", "intended_use"),
    )
    result = evaluate_policy(bad, policy)
    assert len(result.violations) == len(policy.rules()) == 8
    messages = " | ".join(v.message for v in result.violations)
    assert "could not be computed" in messages
    assert "unclassified" in messages
    assert "non-commercial" in messages
    assert "needs_review" in messages
    assert "EMAIL_ADDRESS" in messages
    assert "does not match its manifest" in messages
    assert "limitations" in messages
    lenient = Policy(require_license_verdict="needs_review", forbid_unredacted_pii=("US_SSN",))
    assert evaluate_policy(bad, lenient).passed


def test_allowed_license_classes_per_use() -> None:
    report = example_report()  # commercial use, permissive license
    per_use = Policy.model_validate(
        {"allowed_license_classes": {"commercial": ["copyleft"], "research": ["permissive"]}}
    )
    result = evaluate_policy(report, per_use)
    assert [v.rule for v in result.violations] == ["allowed_license_classes"]
    assert "(for commercial use)" in result.violations[0].message
    research_only = Policy.model_validate({"allowed_license_classes": {"research": ["copyleft"]}})
    assert evaluate_policy(report, research_only).passed


def test_load_policy_errors(tmp_path: Path) -> None:
    p = tmp_path / "policy.yaml"
    p.write_text("min_openness_score: 5\nmax_risk: High\n", encoding="utf-8")
    with pytest.raises(PolicyError) as info:
        load_policy(p)
    assert info.value.line == 2
    assert info.value.field == "$.max_risk"
    assert "docs/policy.md" in str(info.value)
    p.write_text("- a list\n", encoding="utf-8")
    with pytest.raises(PolicyError, match="mapping"):
        load_policy(p)
    j = tmp_path / "policy.json"
    j.write_text('{"schema": "other/v9"}', encoding="utf-8")
    with pytest.raises(PolicyError, match=r"\$\.schema"):
        load_policy(j)
    assert parse_policy({"min_mof_class": "II"}).min_mof_class == "II"
    with pytest.raises(PolicyError):
        parse_policy({"min_mof_class": "IV"})


def test_shipped_policy_schema_matches_the_model() -> None:
    shipped = EXAMPLE.parent / "policy" / "audit-policy.schema.json"
    assert json.loads(shipped.read_text(encoding="utf-8")) == policy_json_schema()
    jsonschema = pytest.importorskip("jsonschema")
    for policy_file in (EXAMPLE / "policy.yaml", STRICT):
        import yaml

        jsonschema.validate(
            yaml.safe_load(policy_file.read_text(encoding="utf-8")),
            shipped_schema := policy_json_schema(),
        )
        assert shipped_schema["additionalProperties"] is False


def test_tampered_data_turns_manifests_red(tmp_path: Path) -> None:
    data = tmp_path / "data"
    shutil.copytree(DATA, data)
    (data / "tickets.jsonl").write_text('{"id": 1, "text": "edited"}\n', encoding="utf-8")
    (data / "extra.txt").write_text("new\n", encoding="utf-8")
    report = run_audit(CARD, manifests=[(MANIFEST, data)], pii_scan=False, clock=fixed)
    section = report.section("manifests")
    assert section.status == "red"
    assert report.headline.manifests_verified is False
    messages = [f.title for f in section.findings]
    assert "tickets.jsonl: changed since the manifest was built" in messages
    assert "extra.txt: added since the manifest was built" in messages
    assert any(p.priority == "high" and p.section == "manifests" for p in report.plan)


def test_manifest_pairs_by_position_and_default_folder(tmp_path: Path) -> None:
    report = run_audit(CARD, manifests=[MANIFEST], data_dirs=[DATA], pii_scan=False, clock=fixed)
    assert report.headline.manifests_verified is True
    report = run_audit(CARD, manifests=[MANIFEST], pii_scan=False, clock=fixed)
    assert report.headline.manifests_verified is False  # the example folder holds more files


def test_missing_data_folder_is_an_input_error(tmp_path: Path) -> None:
    with pytest.raises(FileAccessError, match="not a folder"):
        run_audit(CARD, data_dirs=[tmp_path / "nope"], pii_scan=False)


def test_restricted_real_card_without_datasets() -> None:
    report = run_audit(
        REALWORLD / "meta-llama__Llama-3.2-1B-Instruct.md", pii_scan=False, clock=fixed
    )
    assert report.headline.license_category == "restricted"
    assert report.section("licenses").status in {"amber", "red"}
    assert report.section("manifests").status == "grey"
    assert report.section("pii").status == "grey"
    assert report.section("compliance").status == "grey"
    assert report.headline.max_risk is None
    assert report.plan  # a way forward is always given
    research = run_audit(
        REALWORLD / "meta-llama__Llama-3.2-1B-Instruct.md",
        pii_scan=False,
        use="research",
        clock=fixed,
    )
    assert research.headline.use == "research"


def test_card_without_license_or_docs() -> None:
    from openmodel_gov.cards import load_card_text

    card = load_card_text("# Bare model\n\nNo metadata at all.\n")
    report = run_audit(card, pii_scan=False, clock=fixed)
    section = report.section("card")
    assert section.status == "red"
    assert "the card declares no license" in [f.title for f in section.findings]
    missing = report.headline.missing_card_fields
    assert isinstance(missing, tuple)
    assert {"license", "intended_use"} <= set(map(str, missing))
    assert report.inputs == ()


def test_live_pii_scan_of_data_folders(tmp_path: Path) -> None:
    pytest.importorskip("presidio_analyzer")
    from openmodel_gov.pii import PiiConfig

    data = tmp_path / "data"
    data.mkdir()
    (data / "a.csv").write_text(
        "id,comment\n1,card 4111 1111 1111 1111 please\n2,hello\n", encoding="utf-8"
    )
    (data / "b.jsonl").write_text(
        '\n{"n": 1, "body": "mail alice@example.com"}\n', encoding="utf-8"
    )
    (data / "c.jsonl").write_text('{"n": 1}\n', encoding="utf-8")
    config = PiiConfig(entities=("CREDIT_CARD", "EMAIL_ADDRESS"))
    report = run_audit(CARD, data_dirs=[data], pii_config=config, clock=fixed)
    section = report.section("pii")
    assert section.status == "red"  # a card number is severe
    assert report.headline.unredacted_pii == ("CREDIT_CARD", "EMAIL_ADDRESS")
    scanned = section.facts["scanned"]
    assert isinstance(scanned, dict)
    assert sorted(scanned) == [str(data / "a.csv"), str(data / "b.jsonl")]
    assert any("pii redact" in p.action for p in report.plan)


def test_pii_scan_disabled_or_missing_extra(monkeypatch: pytest.MonkeyPatch) -> None:
    import builtins

    report = run_audit(CARD, data_dirs=[DATA], pii_scan=False, clock=fixed)
    assert report.section("pii").status == "grey"
    assert "live scan disabled" in report.section("pii").summary
    real_import = builtins.__import__

    def fake_import(name: str, *args: object, **kwargs: object) -> object:
        if name == "openmodel_gov.pii":
            raise ImportError("no pii extra")
        return real_import(name, *args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(builtins, "__import__", fake_import)
    report = run_audit(CARD, manifests=[(MANIFEST, DATA)], clock=fixed)
    assert "live scan skipped: no pii extra" in report.section("pii").summary
    assert report.section("pii").status == "amber"  # recorded summary still counts


def test_pii_extra_missing_at_call_time(monkeypatch: pytest.MonkeyPatch) -> None:
    """Without Presidio, ``openmodel_gov.pii`` imports but scanning raises the typed error."""
    import openmodel_gov.pii
    from openmodel_gov.errors import MissingDependencyError

    def missing(*_args: object, **_kwargs: object) -> None:
        raise MissingDependencyError(package="presidio_analyzer", extra="pii", feature="scan")

    monkeypatch.setattr(openmodel_gov.pii, "scan_file", missing)
    report = run_audit(CARD, data_dirs=[DATA], clock=fixed)
    section = report.section("pii")
    assert section.status == "grey"
    assert "pip install 'openmodel-gov[pii]'" in section.summary


def test_audit_config_errors(tmp_path: Path) -> None:
    p = tmp_path / "audit.yaml"
    p.write_text("card: x.md\nmanifest: m.yaml\n", encoding="utf-8")
    with pytest.raises(InputError) as info:
        load_audit_config(p)
    assert info.value.field == "$.manifest"
    assert info.value.line == 2
    p.write_text("[1, 2]\n", encoding="utf-8")
    with pytest.raises(InputError, match="mapping"):
        load_audit_config(p)
    j = tmp_path / "audit.json"
    j.write_text(json.dumps({"card": str(CARD), "manifests": [{"manifest": str(MANIFEST)}]}))
    config = load_audit_config(j)
    assert config.manifests == (ManifestRef(manifest=str(MANIFEST)),)
    assert config.path("rel") == tmp_path / "rel"
    assert AuditConfig(card="c.md").path("/abs") == Path("/abs")


def test_write_into_an_unwritable_place(tmp_path: Path) -> None:
    blocker = tmp_path / "file"
    blocker.write_text("x", encoding="utf-8")
    with pytest.raises(FileAccessError, match="cannot create folder"):
        example_report().write(blocker / "sub")


def test_the_plan_speaks_to_a_consumer_when_asked() -> None:
    provider = run_audit(REALWORLD / "mistralai__Mistral-7B-v0.1.md", pii_scan=False, clock=fixed)
    consumer = run_audit(
        REALWORLD / "mistralai__Mistral-7B-v0.1.md",
        pii_scan=False,
        clock=fixed,
        perspective="consumer",
    )
    openness = [p.action for p in consumer.plan if p.section == "openness"]
    assert openness, "a plan toward the next band is always given"
    assert all(a.lower().startswith(("ask", "prefer")) for a in openness), openness
    assert [p.action for p in provider.plan if p.section == "openness"] != openness
