"""Hypothesis properties of the audit's user-input parsers: policy files, audit configs and
the CLI's KEY=VALUE options never fail with anything but a typed, located error."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from openmodel_gov._cli._facts import parse_pairs, parse_scalar
from openmodel_gov.audit import Policy, load_audit_config, load_policy, parse_policy
from openmodel_gov.errors import InputError, OpenModelGovError, PolicyError

KEYS = [*Policy.model_fields, "schema", "bogus", "max_risk", ""]
scalars = st.one_of(
    st.none(), st.booleans(), st.integers(-5, 20), st.text(max_size=12),
    st.sampled_from(["III", "II", "I", "Low", "High", "permissive", "*", "US_SSN"]),
)  # fmt: skip
values = st.one_of(scalars, st.lists(scalars, max_size=4))


@given(st.dictionaries(st.sampled_from(KEYS), values, max_size=6))
def test_parse_policy_accepts_or_names_the_field(data: dict[str, object]) -> None:
    error: PolicyError | None = None
    try:
        policy = parse_policy(data, source="p.yaml")
    except PolicyError as exc:
        error = exc
    if error is None:
        assert set(policy.rules()) <= set(Policy.model_fields)
    else:
        assert error.source == "p.yaml"
        assert (error.field or "").startswith("$")


@settings(max_examples=40, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(text=st.text(max_size=200))
def test_policy_files_fail_only_with_typed_errors(tmp_path: Path, text: str) -> None:
    path = tmp_path / "policy.yaml"
    path.write_text(text, encoding="utf-8")
    error: OpenModelGovError | None = None
    try:
        load_policy(path)
    except OpenModelGovError as exc:
        error = exc
    if error is not None:
        assert isinstance(error, InputError)
        assert "policy.yaml" in str(error)


@settings(max_examples=40, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.dictionaries(st.sampled_from(["card", "manifests", "data", "policy", "use", "x"]),
                       values, max_size=5))  # fmt: skip
def test_audit_configs_fail_only_with_typed_errors(tmp_path: Path, data: dict[str, object]) -> None:
    path = tmp_path / "audit.yaml"
    path.write_text(yaml.safe_dump(data), encoding="utf-8")
    error: InputError | None = None
    try:
        config = load_audit_config(path)
    except InputError as exc:
        error = exc
    if error is None:
        assert config.base_dir == str(tmp_path.resolve())
    else:
        assert "audit.yaml" in str(error)


@given(st.lists(st.tuples(st.from_regex(r"[a-z_]{1,10}", fullmatch=True), st.text(max_size=10)),
                max_size=5))  # fmt: skip
def test_parse_pairs_round_trip(pairs: list[tuple[str, str]]) -> None:
    items = [f"{k}={v}" for k, v in pairs]
    parsed = parse_pairs(items, option="--fact")
    for key, value in dict(pairs).items():
        assert parsed[key] == parse_scalar(value)


@given(st.text(max_size=10).filter(lambda t: "=" not in t))
def test_parse_pairs_rejects_items_without_equals(item: str) -> None:
    with pytest.raises(InputError, match="KEY=VALUE"):
        parse_pairs([item], option="--context")
