"""docs/compliance.md stays true: its examples run, its outputs and errors are real."""

from __future__ import annotations

import contextlib
import io
import re
from pathlib import Path

import pytest

from openmodel_gov.compliance import FIELDS, builtin_rule_packs, parse_rule_pack
from openmodel_gov.errors import RulePackError

DOC = (Path(__file__).resolve().parents[2] / "docs" / "compliance.md").read_text(encoding="utf-8")


def _blocks(lang: str) -> list[str]:
    return re.findall(rf"```{lang}\n(.*?)```", DOC, flags=re.S)


def test_quick_start_prints_what_the_doc_says() -> None:
    code = _blocks("python")[0]
    out = io.StringIO()
    with contextlib.redirect_stdout(out):
        exec(compile(code, "docs/compliance.md", "exec"), {})
    assert out.getvalue() == _blocks("text")[0]


def test_yaml_example_is_a_valid_pack_and_its_errors_are_real() -> None:
    text = _blocks("yaml")[0]
    pack = parse_rule_pack(text, source="acme-rules.yaml")
    assert pack.rules[0].id == "acme-no-biometrics"
    for broken in (
        text.replace("risk: High ", "risk: Severe"),
        text.replace(
            "when: \"'biometric' in data_categories and not synthetic\"",
            "when: \"source_kind == 'webcrawl'\"",
        ),
    ):
        assert broken != text
        with pytest.raises(RulePackError) as info:
            parse_rule_pack(broken, source="acme-rules.yaml")
        assert str(info.value) in DOC


def test_every_fact_and_builtin_rule_is_documented() -> None:
    for name in FIELDS:
        assert f"| `{name}` |" in DOC, name
    for pack in builtin_rule_packs():
        assert f"### `{pack.name}`" in DOC
        for rule in pack.rules:
            assert f"`{rule.id}`" in DOC, rule.id
