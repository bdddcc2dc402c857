"""Rule packs: built-ins, the published JSON Schema, located errors, combining, Hypothesis."""

from __future__ import annotations

import copy
import json
from pathlib import Path
from typing import Any

import jsonschema
import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from openmodel_gov.compliance import (
    RulePack,
    build_compliance_matrix,
    builtin_rule_packs,
    load_rule_pack,
    parse_rule_pack,
    rule_pack_json_schema,
)
from openmodel_gov.compliance._schema import generate_rule_pack_schema
from openmodel_gov.errors import FileAccessError, InputError, ParseError, RulePackError

ROOT = Path(__file__).resolve().parents[2]
RULES = ROOT / "src" / "openmodel_gov" / "data" / "rules"

PACK = """\
format: openmodel-gov/rule-pack/v1
name: acme
version: "1"
title: ACME internal policy
rules:
  - id: acme-no-crawl
    title: No crawled data
    regulation: ACME policy
    when: source_kind == 'web-crawl'
    risk: High
    rationale: Our policy forbids crawled data.
    mitigations: [Remove crawled data]
    citations:
      - source: ACME data policy
        ref: section 2
"""


def _pack_dict() -> dict[str, Any]:
    data: dict[str, Any] = yaml.safe_load(PACK)
    return data


def test_builtin_packs_validate_against_the_published_schema() -> None:
    validator = jsonschema.Draft202012Validator(rule_pack_json_schema())
    files = sorted(p for p in RULES.glob("*.yaml") if p.name != "regions.yaml")
    assert [p.stem for p in files] == [p.name for p in builtin_rule_packs()]
    for path in files:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
        errors = [e.message for e in validator.iter_errors(data)]
        assert errors == [], path.name


def test_published_schema_is_in_sync_with_the_models() -> None:
    published = json.loads((RULES / "rule-pack.schema.json").read_text(encoding="utf-8"))
    assert published == generate_rule_pack_schema(), "run python tasks/build_rule_schema.py"
    jsonschema.Draft202012Validator.check_schema(published)


def test_builtin_rules_are_cited_and_unique() -> None:
    ids = [r.id for p in builtin_rule_packs() for r in p.rules]
    assert len(ids) == len(set(ids))
    expected = {"GDPR", "CCPA", "HIPAA", "LGPD", "PIPEDA", "COPPA", "EU AI Act", "Copyright/TDM"}
    regulations = {r.regulation for p in builtin_rule_packs() for r in p.rules}
    assert expected <= regulations
    for pack in builtin_rule_packs():
        assert pack.origin == f"rules/{pack.name}.yaml"
        for rule in pack.rules:
            assert rule.citations
            assert all(c.ref for c in rule.citations)
            assert rule.rationale
            assert rule.mitigations


def test_issue_citations_are_present() -> None:
    refs = {
        (c.source.rsplit(" (", 1)[0], c.ref)
        for p in builtin_rule_packs()
        for r in p.rules
        for c in r.citations
    }
    assert ("Regulation (EU) 2016/679", "Art. 3(1)-(2)") in refs
    assert ("Regulation (EU) 2016/679", "Art. 6(1)") in refs
    assert ("Regulation (EU) 2016/679", "Art. 8(1)") in refs
    assert ("Regulation (EU) 2016/679", "Art. 9(1)-(2)") in refs
    assert ("45 CFR Part 164", "§164.514(b)(2)(i)(A)-(R)") in refs
    assert ("Directive (EU) 2019/790", "Art. 4(1), 4(3)") in refs
    assert ("Regulation (EU) 2024/1689", "Art. 53(1)-(2)") in refs
    assert ("Regulation (EU) 2024/1689", "Art. 51(1)-(3)") in refs


def test_parse_a_user_pack_and_use_it() -> None:
    pack = parse_rule_pack(PACK, source="acme.yaml")
    assert pack.origin == "acme.yaml"
    assert pack.rules[0].condition.fields == ("source_kind",)
    matrix = build_compliance_matrix(
        [{"name": "c", "source_kind": "web-crawl"}], rules=pack, license_findings=False
    )
    assert matrix.rows[0].regulations == ("ACME policy",)
    assert matrix.rows[0].risk == "High"


def _error(text: str) -> RulePackError:
    with pytest.raises(RulePackError) as info:
        parse_rule_pack(text, source="acme.yaml")
    return info.value


def test_error_names_file_rule_field_and_line() -> None:
    err = _error(PACK.replace("risk: High", "risk: Severe"))
    assert err.source == "acme.yaml"
    assert err.field == "$.rules[0].risk"
    assert err.line == 10
    assert "rule 'acme-no-crawl'" in str(err)
    assert "'Low', 'Medium', 'High' or 'Critical'" in str(err)


def test_bad_condition_is_located() -> None:
    err = _error(PACK.replace("source_kind == 'web-crawl'", "source_kind == 'crawl'"))
    assert err.field == "$.rules[0].when"
    assert err.line == 9
    assert "invalid condition: column 16" in err.message
    err = _error(
        PACK.replace("when: source_kind == 'web-crawl'", "when: |\n      synthetic\n      and ?")
    )
    assert "invalid condition: line 2, column 5" in err.message


def test_several_problems_are_all_reported() -> None:
    text = PACK.replace("risk: High", "risk: Severe").replace("    title: No crawled data\n", "")
    err = _error(text)
    assert "and 1 more" in err.message
    assert "$.rules[0]" in err.message


@pytest.mark.parametrize(
    ("change", "field", "message"),
    [
        (lambda d: d.update(format="v2"), "$.format", "openmodel-gov/rule-pack/v1"),
        (lambda d: d.update(rules=[]), "$.rules", "at least 1 item"),
        (lambda d: d.update(colour="red"), "$.colour", "Extra inputs"),
        (lambda d: d["rules"][0].update(id="Bad Id"), "$.rules[0].id", "pattern"),
        (lambda d: d["rules"][0].update(mitigations=[]), "$.rules[0].mitigations", "at least 1"),
        (
            lambda d: d["rules"][0]["citations"][0].pop("ref"),
            "$.rules[0].citations[0]",
            "needs a pinpoint",
        ),
        (
            lambda d: d["rules"][0]["citations"][0].update(url="http://x"),
            "$.rules[0].citations[0]",
            "pattern",
        ),
        (lambda d: d["rules"][0].update(scope="model"), "$.rules[0]", "reads only context facts"),
        (lambda d: d["rules"].append(copy.deepcopy(d["rules"][0])), "$", "used twice"),
        (lambda d: d["rules"][0].update(override="yes"), "$.rules[0].override", "boolean"),
    ],
)
def test_schema_errors(change: Any, field: str, message: str) -> None:
    data = _pack_dict()
    change(data)
    err = _error(yaml.safe_dump(data, sort_keys=False))
    assert err.field == field
    assert message in err.message
    assert err.line is not None


def test_not_a_mapping_and_yaml_errors() -> None:
    assert "must be a mapping" in _error("- a\n- b\n").message
    with pytest.raises(ParseError, match="duplicate key 'name'"):
        parse_rule_pack(PACK + "name: again\n", source="acme.yaml")


def test_load_rule_pack_files(tmp_path: Path) -> None:
    yaml_file = tmp_path / "acme.yml"
    yaml_file.write_text(PACK, encoding="utf-8")
    assert load_rule_pack(yaml_file).origin == str(yaml_file)
    json_file = tmp_path / "acme.json"
    json_file.write_text(json.dumps(_pack_dict()), encoding="utf-8")
    assert load_rule_pack(json_file).rules[0].id == "acme-no-crawl"
    with pytest.raises(FileAccessError):
        load_rule_pack(tmp_path / "missing.yaml")
    bad = tmp_path / "bad.yaml"
    bad.write_text(PACK.replace("risk: High", "risk: 3"), encoding="utf-8")
    with pytest.raises(RulePackError) as info:
        build_compliance_matrix([], rules=[str(bad)])
    assert info.value.source == str(bad)
    assert build_compliance_matrix([], rules=yaml_file).packs[0].origin == str(yaml_file)


def _override(rule_id: str, **fields: Any) -> RulePack:
    data = _pack_dict()
    data["name"] = "override"
    data["rules"][0].update(id=rule_id, **fields)
    return parse_rule_pack(yaml.safe_dump(data), source="override.yaml")


def test_user_packs_add_and_override() -> None:
    builtin = list(builtin_rule_packs())
    crawl = {
        "name": "c",
        "source_kind": "web-crawl",
        "tdm_optout_honored": True,
        "jurisdictions": ["US"],
        "data_categories": ["none"],
    }
    base = build_compliance_matrix([crawl], license_findings=False).rows[0]
    assert base.rule_ids == ("copyright-web-crawl",)
    replaced = _override("copyright-web-crawl", override=True, risk="Low")
    row = build_compliance_matrix([crawl], rules=[*builtin, replaced], license_findings=False).rows[
        0
    ]
    assert row.rule_ids == ("copyright-web-crawl",)
    assert row.risk == "Low"
    assert row.findings[0].pack == "override"
    off = _override("copyright-web-crawl", override=True, enabled=False)
    row = build_compliance_matrix([crawl], rules=[*builtin, off], license_findings=False).rows[0]
    assert row.rule_ids == ()
    added = parse_rule_pack(PACK)
    row = build_compliance_matrix([crawl], rules=[*builtin, added], license_findings=False).rows[0]
    assert set(row.rule_ids) == {"acme-no-crawl", "copyright-web-crawl"}


def test_combining_errors() -> None:
    builtin = list(builtin_rule_packs())
    with pytest.raises(RulePackError, match="already defined by pack 'copyright'") as info:
        build_compliance_matrix([], rules=[*builtin, _override("copyright-web-crawl")])
    assert info.value.field == "$.rules[0].id"
    assert info.value.source == "override.yaml"
    with pytest.raises(RulePackError, match="no earlier pack defines it"):
        build_compliance_matrix([], rules=[_override("nothing-here", override=True)])
    with pytest.raises(RulePackError, match="given twice"):
        build_compliance_matrix([], rules=[builtin[0], builtin[0]])
    with pytest.raises(RulePackError, match="not int"):
        build_compliance_matrix([], rules=[3])  # type: ignore[list-item]


# --------------------------------------------------------------------------- Hypothesis

_VALUES = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(-5, 5),
    st.text(max_size=12),
    st.sampled_from(["Low", "Critical", "synthetic", "true", "model", "dataset", "GDPR"]),
    st.lists(st.text(max_size=5), max_size=2),
    st.fixed_dictionaries({"source": st.text(max_size=5), "ref": st.text(max_size=5)}),
)
_RULE_KEYS = [
    "id",
    "title",
    "regulation",
    "scope",
    "when",
    "risk",
    "rationale",
    "mitigations",
    "citations",
    "override",
    "enabled",
    "extra",
]
_PACK_KEYS = ["format", "name", "version", "title", "description", "rules", "extra"]


@st.composite
def mutated_packs(draw: st.DrawFn) -> dict[str, Any]:
    data = _pack_dict()
    data["rules"].append({**copy.deepcopy(data["rules"][0]), "id": "acme-two"})
    for _ in range(draw(st.integers(1, 4))):
        target = draw(st.sampled_from(["pack", "rule0", "rule1"]))
        rules = data.get("rules")
        if target != "pack" and not (
            isinstance(rules, list) and len(rules) == 2 and isinstance(rules[int(target[-1])], dict)
        ):
            target = "pack"
        holder = data if target == "pack" else data["rules"][int(target[-1])]
        keys = _PACK_KEYS if target == "pack" else _RULE_KEYS
        key = draw(st.sampled_from(keys))
        if draw(st.booleans()) and key in holder:
            del holder[key]
        else:
            holder[key] = draw(_VALUES)
    return data


@settings(max_examples=100, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(mutated_packs())
def test_mutated_packs_load_or_fail_with_a_located_rule_pack_error(data: dict[str, Any]) -> None:
    text = yaml.safe_dump(data, sort_keys=False)
    error: InputError | None = None
    try:
        pack = parse_rule_pack(text, source="m.yaml")
    except InputError as exc:
        error = exc
    if error is None:
        # whatever the models accept, the published schema accepts too
        jsonschema.validate(data, rule_pack_json_schema())
        assert pack.rules
        return
    assert isinstance(error, RulePackError | ParseError)
    assert error.source == "m.yaml"
    if isinstance(error, RulePackError) and error.field not in (None, "$"):
        assert error.line is not None
        if error.field.startswith("$.rules["):
            assert "rule " in error.message


@settings(max_examples=200, deadline=None)
@given(st.text(max_size=200))
def test_arbitrary_text_raises_only_typed_errors(text: str) -> None:
    with pytest.raises(InputError):
        parse_rule_pack(text, source="t.yaml")


def test_every_builtin_rule_states_applicability_plausibility_ruling_out_and_risk_basis() -> None:
    from openmodel_gov.compliance._packs import ALWAYS_PLAUSIBLE

    for pack in builtin_rule_packs():
        for rule in pack.rules:
            plausible = pack.plausible_gate(rule)
            ruled_out = pack.ruled_out_gate(rule)
            assert plausible is not ALWAYS_PLAUSIBLE, rule.id
            assert plausible.because, rule.id
            assert ruled_out is not None, rule.id
            assert ruled_out.because, rule.id
            assert rule.risk_note, rule.id
            assert rule.citations, rule.id
            if rule.risk == "Critical":
                assert rule.risk_basis == "law", rule.id  # Critical only where the law says so


def test_gates_are_validated_by_the_schema() -> None:
    from openmodel_gov.compliance import rule_pack_json_schema

    data = _pack_dict()
    data["rules"][0]["plausible"] = {"when": "true", "because": "always"}
    data["rules"][0]["risk_basis"] = "law"
    jsonschema.validate(data, rule_pack_json_schema())
    data["rules"][0]["risk_basis"] = "vibes"
    with pytest.raises(jsonschema.ValidationError):
        jsonschema.validate(data, rule_pack_json_schema())
    bad = copy.deepcopy(_pack_dict())
    bad["rules"][0]["ruled_out"] = {"when": "source_kind == 'crawl'", "because": "x"}
    with pytest.raises(RulePackError, match="invalid condition"):
        parse_rule_pack(yaml.safe_dump(bad), source="x.yaml")
