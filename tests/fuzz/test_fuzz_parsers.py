"""Fuzz targets for every document loader: only typed errors escape (see ``_fuzz``)."""

from __future__ import annotations

import tempfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from hypothesis import example, given
from hypothesis import strategies as st

from openmodel_gov import cards
from openmodel_gov._core._io import (
    Limits,
    load_json_document,
    load_json_value,
    load_yaml_document,
)
from openmodel_gov.audit import load_policy, parse_policy
from openmodel_gov.compliance import load_rule_pack, parse_rule_pack
from openmodel_gov.errors import InputTooLargeError, ParseError
from openmodel_gov.manifests import load_manifest

from ._fuzz import FUZZ, documents, hostile_text, typed_only

#: The crashing inputs of issue 20 (each escaped the error tree before the front door).
ISSUE_20_YAML = [
    "a: " + "[" * 493 + "]" * 493,
    "a: !!bool x",
    "a: !!float",
    "a: !!int",
    "a: !!timestamp x",
    "d: .inf",
    "a: &a [x,x,x,x,x,x,x,x,x]\nb: &b [*a,*a,*a,*a,*a,*a,*a,*a,*a]\n"
    "c: &c [*b,*b,*b,*b,*b,*b,*b,*b,*b]\nd: &d [*c,*c,*c,*c,*c,*c,*c,*c,*c]\n"
    "e: &e [*d,*d,*d,*d,*d,*d,*d,*d,*d]\nf: &f [*e,*e,*e,*e,*e,*e,*e,*e,*e]\n",
]

CARD_KEYS = [
    "license", "license_name", "license_link", "model-index", "results", "dataset", "datasets",
    "metrics", "openmodel-gov", "ecosystem", "training", "gating", "base_model", "tags",
    "language", "pipeline_tag", "name", "schema", "framework", "release", "components",
    "version", "type", "value", "task", "extra_gated_fields", "widget", "model_name",
]  # fmt: skip
MANIFEST_KEYS = [
    "format", "hash_algorithm", "datasets", "files", "path", "size", "sha256", "name",
    "version", "license", "source_kind", "snapshot_digest", "excluded", "paths", "pii_summary",
]  # fmt: skip
POLICY_KEYS = [
    "schema", "name", "use", "min_openness_score", "min_mof_class", "allowed_license_classes",
    "require_license_verdict", "forbid_unredacted_pii", "max_risk_level",
    "require_manifest_verified", "require_card_fields",
]  # fmt: skip
RULE_KEYS = [
    "format", "name", "version", "title", "rules", "id", "regulation", "scope", "when", "risk",
    "rationale", "mitigations", "citations", "override", "enabled", "source", "section", "all",
    "any", "not", "field", "op", "value",
]  # fmt: skip


@pytest.fixture(scope="module")
def workdir() -> Iterator[Path]:
    with tempfile.TemporaryDirectory(prefix="omg-fuzz-") as name:
        yield Path(name)


def _write(folder: Path, name: str, text: str) -> Path:
    path = folder / name
    path.write_bytes(text.encode("utf-8", "surrogatepass"))
    return path


def _load_card_text(text: str) -> Any:
    load_text = getattr(cards, "load_card_text", None)  # the explicit text loader, once it lands
    if load_text is not None:
        return load_text(text)
    return cards.load_card("---\n" + text + "\n---\n# fuzz\n")


@pytest.mark.parametrize("text", ISSUE_20_YAML)
def test_issue_20_yaml_reproducers_are_typed(text: str) -> None:
    with pytest.raises(ParseError):
        load_yaml_document(text, source="r.yaml")


def test_issue_20_bounded_work_reproducers() -> None:
    with pytest.raises(InputTooLargeError, match="more than"):
        load_yaml_document("".join(f"k{i}: v\n" for i in range(300_000)), source="big.yaml")
    with pytest.raises(InputTooLargeError, match="longer than"):
        load_yaml_document(
            "a: " + "x" * 2_000_000, source="s.yaml", limits=Limits(max_chars=1 << 30)
        )
    with pytest.raises(InputTooLargeError, match="longer than"):
        load_json_document('{"a": "' + "x" * 2_000_000 + '"}', source="s.json")


@FUZZ
@given(hostile_text)
@example("a: " + "[" * 493 + "]" * 493)
@example("[" * 100_000)
def test_fuzz_yaml_and_json_front_door(text: str) -> None:
    typed_only(load_yaml_document, text, source="f.yaml")
    typed_only(load_json_document, text, source="f.json")
    typed_only(load_json_value, text, source="f.jsonl", line=7)


@FUZZ
@given(documents(CARD_KEYS))
@example("d: .inf")
@example("openmodel-gov: {ecosystem: [1]}")
@example("openmodel-gov: {training: [1]}")
@example("openmodel-gov: {gating: [1]}")
@example("dataset: 1.5")
@example("a: " + "[" * 493 + "]" * 493)
def test_fuzz_card_front_matter(text: str) -> None:
    typed_only(_load_card_text, text)


def test_issue_20_card_model_index_results_float_is_typed() -> None:
    typed_only(_load_card_text, "model-index: [{results: 1.5}]")


def test_card_null_gating_with_hub_gating_keys_is_typed() -> None:
    typed_only(_load_card_text, "openmodel-gov: {gating: null}\nextra_gated_prompt: x")


@FUZZ
@given(documents(CARD_KEYS), st.sampled_from(["card.yaml", "card.json", "README.md", "model.yml"]))
@example("framework: {name: MOF}\nrelease: {name: x, components: [{name: 1}], 1: x}\n", "model.yml")
def test_fuzz_card_files(workdir: Path, text: str, name: str) -> None:
    typed_only(cards.load_card, _write(workdir, name, text))


@FUZZ
@given(documents(MANIFEST_KEYS), st.sampled_from(["m.json", "m.yaml"]))
@example("a: " + "[" * 493 + "]" * 493, "m.yaml")
@example('{"files": [{"path": "a", "size": 1e999}]}', "m.json")
def test_fuzz_load_manifest(workdir: Path, text: str, name: str) -> None:
    typed_only(load_manifest, _write(workdir, name, text))


@FUZZ
@given(documents(POLICY_KEYS), st.sampled_from(["p.yaml", "p.json"]))
@example("a: " + "[" * 493 + "]" * 493, "p.yaml")
def test_fuzz_load_policy(workdir: Path, text: str, name: str) -> None:
    typed_only(load_policy, _write(workdir, name, text))


@FUZZ
@given(
    st.one_of(
        documents(POLICY_KEYS).map(lambda t: typed_only(load_yaml_document, t, source="p")),
        st.none(),
    )
)
def test_fuzz_parse_policy(doc: Any) -> None:
    typed_only(parse_policy, doc.data if doc is not None else [1, "x"], source="p.yaml")


@FUZZ
@given(documents(RULE_KEYS), st.sampled_from(["r.yaml", "r.json"]))
@example("a: " + "[" * 493 + "]" * 493, "r.yaml")
def test_fuzz_rule_packs(workdir: Path, text: str, name: str) -> None:
    typed_only(load_rule_pack, _write(workdir, name, text))
    typed_only(parse_rule_pack, text)


def test_loader_bad_bytes_are_typed(workdir: Path) -> None:
    for name in ("c.yaml", "m.json", "p.yaml", "r.yaml"):
        path = workdir / name
        path.write_bytes(b"name: caf\xe9\n")
        for loader in (cards.load_card, load_manifest, load_policy, load_rule_pack):
            typed_only(loader, path)
