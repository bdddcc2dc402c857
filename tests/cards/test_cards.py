"""Tests for openmodel_gov.cards: loading, validation errors, round trips, schema."""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

import pytest
import yaml
from hypothesis import given
from hypothesis import strategies as st

from openmodel_gov import load_card
from openmodel_gov.cards import (
    COMPONENT_NAMES,
    Component,
    ModelCard,
    card_json_schema,
    component_specs,
    load_card_text,
    validate_card_file,
)
from openmodel_gov.errors import (
    FileAccessError,
    InputError,
    InputTooLargeError,
    OpenModelGovError,
    ParseError,
    SchemaValidationError,
)

# CI and developers have shared/ beside the repository checkout.
REALWORLD = Path(__file__).resolve().parents[1] / "data" / "realworld" / "model_cards"

# file -> (license, base models, datasets)
EXPECTED = {
    "HuggingFaceH4__zephyr-7b-beta.md": (
        "hf:mit",
        ["mistralai/Mistral-7B-v0.1"],
        ["HuggingFaceH4/ultrachat_200k", "HuggingFaceH4/ultrafeedback_binarized"],
    ),
    "LLM360__Amber.md": ("hf:apache-2.0", [], []),
    "TinyLlama__TinyLlama-1.1B-Chat-v1.0.md": (
        "hf:apache-2.0",
        [],
        [
            "cerebras/SlimPajama-627B",
            "bigcode/starcoderdata",
            "HuggingFaceH4/ultrachat_200k",
            "HuggingFaceH4/ultrafeedback_binarized",
        ],
    ),
    "allenai__tulu-2-dpo-70b.md": (
        "hf:other",
        ["meta-llama/Llama-2-70b-hf"],
        ["HuggingFaceH4/ultrafeedback_binarized", "allenai/tulu-v2-sft-mixture"],
    ),
    "deepseek-ai__deepseek-llm-7b-base.md": ("hf:other", [], []),
    "epfl-llm__meditron-70b.md": (
        "hf:llama2",
        ["meta-llama/Llama-2-70b"],
        ["bigbio/med_qa", "medmcqa", "bigbio/pubmed_qa", "epfl-llm/guidelines"],
    ),
    "google__shieldgemma-2-4b-it.md": ("hf:gemma", ["google/gemma-3-4b-pt"], []),
    "meta-llama__Llama-2-7b-hf.md": (None, [], []),
    "meta-llama__Llama-3.2-1B-Instruct.md": ("hf:llama3.2", [], []),
    "meta-llama__llama-models-llama3_1-MODEL_CARD.md": (None, [], []),
    "microsoft__phi-2.md": ("hf:mit", [], []),
    "mistralai__Mistral-7B-v0.1.md": ("hf:apache-2.0", [], []),
}

MOT_TEXT = """\
framework:
  name: 'Model Openness Framework'
  version: '1.0'
  date: '2024-12-15'
release:
  name: Amber
  version: 7B
  date: '2024-11-15'
  type: language
  architecture: 'transformer decoder'
  treatment: 'chat fine-tuned'
  origin: Amber
  producer: LLM360
  contact: ''
  github: 'https://github.com/LLM360/amber-train'
  huggingface: 'https://huggingface.co/LLM360/Amber'
  license:
    distribution:
      name: Apache-2.0
      path: 'https://example.org/LICENSE'
    data: {name: ODC-By-1.0}
  components:
    -
      name: 'Model architecture'
      description: "Well commented code"
      location: ''
      license_name: Apache-2.0
      license_path: ''
    -
      name: 'Datasets'
      description: 'Training data'
      license_name: 'License not specified'
    -
      name: 'Training code'
      description: 'Code used for training the model'
      license: unlicensed
    -
      name: 'Model metadata'
      description: 'x'
      license_name: 'Component not included'
"""


def real_cards() -> list[Path]:
    return sorted(p for p in REALWORLD.glob("*.md") if p.name != "SOURCES.md")


def test_realworld_fixture_set_is_complete_and_unchanged() -> None:
    sources = (REALWORLD / "SOURCES.md").read_text(encoding="utf-8")
    assert {p.name for p in real_cards()} == set(EXPECTED)
    for path in real_cards():
        digest = hashlib.sha256(path.read_bytes()).hexdigest()
        assert digest in sources, path.name


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_realworld_cards_load_with_the_right_facts(name: str) -> None:
    card = load_card(REALWORLD / name)
    license_, bases, datasets = EXPECTED[name]
    assert card.license == license_
    assert card.base_models == bases
    assert card.datasets == datasets
    assert card.source_format == "hf-readme"
    assert card.body.strip()
    if license_ is None:
        assert "no license declared in the metadata" in card.warnings


def test_card_without_front_matter_loads_body_and_says_metadata_is_empty() -> None:
    card = load_card(REALWORLD / "meta-llama__llama-models-llama3_1-MODEL_CARD.md")
    assert card.body.startswith("## Model Information")
    assert any("no YAML front matter" in w for w in card.warnings)
    assert card.extras == {}
    assert "name" in card.inferred


def test_realworld_specific_fields() -> None:
    zephyr = load_card(REALWORLD / "HuggingFaceH4__zephyr-7b-beta.md")
    assert len(zephyr.eval_results) == 9
    assert zephyr.name == "zephyr-7b-beta"
    assert "widget" in zephyr.extras
    assert zephyr.pipeline_tag == "text-generation"
    tulu = load_card(REALWORLD / "allenai__tulu-2-dpo-70b.md")
    assert tulu.license_name == "ai2-impact-license-low-risk"
    assert tulu.license_link == "https://allenai.org/impact-license"
    assert tulu.eval_results == []
    llama2 = load_card(REALWORLD / "meta-llama__Llama-2-7b-hf.md")
    assert llama2.gating.is_gated
    assert llama2.extras["inference"] is False
    llama32 = load_card(REALWORLD / "meta-llama__Llama-3.2-1B-Instruct.md")
    assert len(llama32.languages) == 8
    assert "geo" in llama32.gating.fields or llama32.gating.fields
    assert load_card(REALWORLD / "LLM360__Amber.md").ecosystem.library_name == "transformers"
    assert "medical" in load_card(REALWORLD / "epfl-llm__meditron-70b.md").tags


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_hf_readme_round_trip_keeps_keys_order_and_body(name: str) -> None:
    path = REALWORLD / name
    card = load_card(path)
    text = card.to_hf_readme()
    again = load_card_text(text, format="hf-readme")
    assert again.body == card.body
    original_meta = _front_matter(path.read_text(encoding="utf-8"))
    assert _front_matter(text) == original_meta  # same keys, same order, same values
    assert list(_front_matter(text)) == list(original_meta)


def _front_matter(text: str) -> dict[str, object]:
    if not text.startswith("---"):
        return {}
    data = yaml.safe_load(text.split("---", 2)[1]) or {}
    assert isinstance(data, dict)
    return data


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_own_yaml_and_json_round_trips_are_lossless(name: str) -> None:
    card = load_card(REALWORLD / name)
    assert load_card_text(card.to_yaml()) == card
    assert load_card_text(card.to_json()) == card
    assert json.loads(card.to_json())["schema"] == "openmodel-gov/model-card/v1"


def test_edited_card_writes_changed_fields_and_keeps_the_rest() -> None:
    card = load_card(REALWORLD / "mistralai__Mistral-7B-v0.1.md")
    edited = card.model_copy(
        update={
            "license": "Apache-2.0",
            "datasets": ["allenai/c4"],
            "components": {"Training code": Component(included=False)},
        }
    )
    meta = _front_matter(edited.to_hf_readme())
    assert meta["license"] == "Apache-2.0"
    assert meta["datasets"] == ["allenai/c4"]
    assert meta["extra_gated_description"] == card.gating.description
    assert list(meta)[: len(_front_matter(card.to_hf_readme()))][0] == "language"
    again = load_card_text(edited.to_hf_readme())
    assert again.components["Training code"].included is False
    assert again.license == "Apache-2.0"


def test_mot_file_loads_with_both_layouts() -> None:
    card = load_card_text(MOT_TEXT)
    assert card.source_format == "mot"
    assert card.name == "Amber"
    assert card.version == "7B"
    assert card.release_date == "2024-11-15"
    assert card.treatment == "chat"
    assert card.repository == "https://github.com/LLM360/amber-train"
    assert card.licenses.distribution == "Apache-2.0"
    assert card.licenses.data == "ODC-By-1.0"
    assert card.licenses.for_content_type("data") == "ODC-By-1.0"
    arch = card.components["Model architecture"]
    assert (arch.included, arch.license) == (True, "Apache-2.0")
    assert card.components["Datasets"].included is True
    assert card.components["Datasets"].license is None  # "License not specified"
    assert card.components["Training code"].is_unlicensed
    assert card.components["Model metadata"].included is False  # "Component not included"
    assert card.components["Research paper"].included is False  # not listed
    assert set(card.components) == set(COMPONENT_NAMES)
    assert card.extras["framework"] == {
        "name": "Model Openness Framework",
        "version": "1.0",
        "date": "2024-12-15",
    }


def test_mot_round_trip_is_equivalent(tmp_path: Path) -> None:
    card = load_card_text(MOT_TEXT)
    out = tmp_path / "model.yml"
    out.write_text(card.to_mot_yaml(), encoding="utf-8")
    again = load_card(out)
    assert again == card
    assert again.to_mot_yaml() == card.to_mot_yaml()
    doc = yaml.safe_load(card.to_mot_yaml())
    names = [c["name"] for c in doc["release"]["components"]]
    assert names == ["Model architecture", "Training code", "Datasets"]  # MOF order


def test_mot_unknown_component_names_the_line() -> None:
    bad = MOT_TEXT.replace("name: 'Datasets'", "name: 'Dataset'")
    with pytest.raises(SchemaValidationError) as info:
        load_card_text(bad)
    issue = info.value.issues[0]
    assert "unknown component name 'Dataset'" in issue.message
    assert issue.field == "$.release.components[1].name"
    assert issue.line == MOT_TEXT.splitlines().index("      name: 'Datasets'") + 1


def test_own_format_unknown_component_is_an_error() -> None:
    text = "schema: openmodel-gov/model-card/v1\nname: x\ncomponents:\n  Weights:\n    included: true\n"
    with pytest.raises(SchemaValidationError) as info:
        load_card_text(text)
    assert info.value.issues[0].field.startswith("$.components")
    assert info.value.issues[0].line == 4
    assert "unknown component name" in str(info.value)


def test_wrong_types_report_every_field_with_path_and_line() -> None:
    text = "---\nlicense: apache-2.0\ndatasets:\n  - a\n  - {x: 1}\ngated: maybe\n---\nbody\n"
    with pytest.raises(SchemaValidationError) as info:
        load_card_text(text)
    fields = {i.field: i.line for i in info.value.issues}
    assert fields["$.datasets[1]"] == 5
    assert any(f.startswith("$.extra_gated") or f == "$.gated" for f in fields)
    assert isinstance(info.value, ValueError)


@pytest.mark.parametrize(
    ("text", "message", "line"),
    [
        ("---\nlicense: [unclosed\n---\n", "invalid YAML", 3),
        ("---\nlicense: mit\nlicense: apache-2.0\n---\n", "duplicate key 'license'", 3),
        ("---\nlicense: mit\n", "never closed", 1),
        ("---\n- a\n- b\n---\n", "must be a mapping", None),
    ],
)
def test_malformed_front_matter_is_a_parse_error(text: str, message: str, line: int | None) -> None:
    with pytest.raises(ParseError, match=message) as info:
        load_card_text(text)
    if line is not None:
        assert info.value.line == line


def test_yaml_alias_bomb_is_refused() -> None:
    lines = ["a0: &a0 [x, x, x, x, x, x, x, x, x, x]"]
    lines += [f"a{i}: &a{i} [{', '.join([f'*a{i - 1}'] * 10)}]" for i in range(1, 9)]
    with pytest.raises(InputTooLargeError, match="alias bomb"):
        load_card_text("\n".join(lines) + "\n", format="yaml")


def test_size_bound_and_encoding(tmp_path: Path) -> None:
    big = tmp_path / "big.md"
    big.write_bytes(b"---\nlicense: mit\n---\n" + b"x" * 2048)
    with pytest.raises(InputTooLargeError):
        load_card(big, max_bytes=1024)
    with pytest.raises(InputTooLargeError):
        load_card_text("---\nlicense: mit\n---\n" + "x" * 2048, max_bytes=1024)
    bad = tmp_path / "bad.md"
    bad.write_bytes(b"---\nlicense: mit\n---\ncaf\xe9\n")
    with pytest.raises(ParseError) as info:
        load_card(bad)
    assert (info.value.source, info.value.line, info.value.column) == (str(bad), 4, 4)
    with pytest.raises(FileAccessError):
        load_card(tmp_path / "missing.md")
    with pytest.raises(FileAccessError):
        load_card(tmp_path)
    with pytest.raises(ParseError, match="surrogate"):
        load_card_text("---\nlicense: mit\n---\n\ud800")


def test_json_errors(tmp_path: Path) -> None:
    p = tmp_path / "card.json"
    p.write_text('{"schema": "openmodel-gov/model-card/v1",\n "name": "a",\n "name": "b"}')
    with pytest.raises(ParseError, match="duplicate key 'name'") as info:
        load_card(p)
    assert info.value.line == 3
    p.write_text('{"schema": "openmodel-gov/model-card/v1", "name": }')
    with pytest.raises(ParseError, match="invalid JSON"):
        load_card(p)
    with pytest.raises(SchemaValidationError, match="unsupported card schema"):
        load_card({"schema": "openmodel-gov/model-card/v9", "name": "x"})


def test_bad_arguments() -> None:
    with pytest.raises(InputError, match="unknown format"):
        load_card("x", format="docx")  # type: ignore[arg-type]
    with pytest.raises(InputError, match="takes a path"):
        load_card(42)  # type: ignore[arg-type]
    with pytest.raises(ParseError, match="not a Model Openness Tool file"):
        load_card({"name": "x"}, format="mot")


def test_mapping_and_plain_markdown_sources() -> None:
    card = load_card({"license": "Apache-2.0 OR MIT", "language": "en", "base_model": "b/c"})
    assert card.license == "Apache-2.0 OR MIT"  # not a Hub id: kept as written
    assert card.languages == ["en"]
    assert card.base_models == ["b/c"]
    md = load_card_text("# **My** Model card\n\nText.\n")
    assert md.name == "My"
    assert md.body.startswith("# **My**")
    assert load_card_text("---\n---\n# Title\n").name == "Title"


def test_model_card_api() -> None:
    card = ModelCard(
        name="m",
        license="Apache-2.0",
        components={"Model card": Component(included=True, sha256=["A" * 64])},
    )
    assert card.component("Model card").sha256 == ["a" * 64]
    assert card.component("Datasets") == Component()
    with pytest.raises(KeyError, match="unknown MOF component"):
        card.component("Weights")
    assert "m" in str(card)
    assert "Apache-2.0" in card._repr_html_()
    assert card.to_dict()["name"] == "m"
    assert card != "m"
    with pytest.raises(ValueError, match="SHA-256"):
        Component(sha256=["xyz"])
    with pytest.raises(ValueError, match="ISO 8601"):
        ModelCard(name="m", release_date="22/11/2026")
    with pytest.raises(ValueError, match="Model Openness Tool layout"):
        ModelCard.model_validate({"name": "m", "components": [{"name": "Model card"}]})
    assert component_specs()["Research paper"].content_type == "document"


def test_card_json_schema_and_validate_card_file(tmp_path: Path) -> None:
    schema = card_json_schema()
    assert schema["$schema"].endswith("2020-12/schema")
    schema["title"] = "changed"
    assert card_json_schema()["title"] == "openmodel-gov model card"
    good = tmp_path / "good.yaml"
    good.write_text(load_card(REALWORLD / "HuggingFaceH4__zephyr-7b-beta.md").to_yaml())
    assert validate_card_file(good) == []
    bad = tmp_path / "bad.yaml"
    bad.write_text(
        "schema: openmodel-gov/model-card/v1\n"
        "name: x\n"
        "datasets: 3\n"
        "components:\n"
        "  Weights: {included: true}\n"
        "  Model card: {included: maybe}\n"
    )
    issues = validate_card_file(bad)
    by_field = {i.field: i.line for i in issues}
    assert by_field["$.datasets"] == 3
    assert by_field["$.components['Model card'].included"] == 6
    assert any("Weights" in i.message for i in issues)
    as_json = tmp_path / "bad.json"
    as_json.write_text(json.dumps({"schema": "openmodel-gov/model-card/v1", "name": 1}))
    assert [i.field for i in validate_card_file(as_json)] == ["$.name"]


def test_edited_eval_results_regenerate_model_index() -> None:
    card = load_card(REALWORLD / "HuggingFaceH4__zephyr-7b-beta.md")
    kept = card.eval_results[:2]
    edited = card.model_copy(update={"eval_results": kept})
    meta = _front_matter(edited.to_hf_readme())
    index = meta["model-index"]
    assert isinstance(index, list)
    assert load_card_text(edited.to_hf_readme()).eval_results == kept


def test_fields_without_a_hub_key_survive_an_hf_round_trip() -> None:
    card = load_card_text(MOT_TEXT)
    text = card.to_hf_readme()
    assert "openmodel-gov:" in text
    again = load_card_text(text)
    assert again.components == card.components
    assert again.licenses == card.licenses
    assert again.producer == "LLM360"


def test_co2_and_gating_fields_map_both_ways() -> None:
    text = (
        "---\nco2_eq_emissions:\n  emissions: 486000\n  source: paper\n"
        "  hardware_used: 128 A100\ngated: manual\nextra_gated_eu_disallowed: true\n"
        "library_name: transformers\n---\n"
    )
    card = load_card_text(text)
    assert card.training.co2_eq_kg == 486.0
    assert card.training.hardware == "128 A100"
    assert card.gating.gated == "manual"
    assert card.gating.eu_disallowed is True
    assert card.gating.is_gated
    edited = card.model_copy(
        update={"training": card.training.model_copy(update={"co2_eq_kg": 1.5})}
    )
    meta = _front_matter(edited.to_hf_readme())
    assert meta["co2_eq_emissions"] == {
        "emissions": 1500.0,
        "source": "paper",
        "hardware_used": "128 A100",
    }
    assert load_card({"co2_eq_emissions": 2000}).training.co2_eq_kg == 2.0


def test_card_with_nothing_renders_plain_body() -> None:
    card = ModelCard(name="x", body="# x\n", inferred=["name"])
    assert card.to_hf_readme() == "# x\n"
    assert load_card_text(ModelCard(name="y").to_hf_readme()).name == "y"


@given(st.text(max_size=400))
def test_loader_only_raises_typed_errors_on_garbage_text(text: str) -> None:
    try:
        card = load_card_text(text, format="hf-readme")
    except OpenModelGovError:  # ParseError, or FileAccessError for path-like text
        return
    assert isinstance(card, ModelCard)


front_matter_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(max_size=10),
    lambda c: st.lists(c, max_size=3) | st.dictionaries(st.text(max_size=6), c, max_size=3),
    max_leaves=10,
)
hub_keys = st.sampled_from(
    [
        "license",
        "datasets",
        "base_model",
        "language",
        "tags",
        "model-index",
        "gated",
        "extra_gated_fields",
        "co2_eq_emissions",
        "library_name",
        "model_name",
        "widget",
        "openmodel-gov",
        "pipeline_tag",
        "metrics",
    ]
)


@given(st.dictionaries(hub_keys, front_matter_values, max_size=6))
def test_loader_only_raises_typed_errors_on_garbage_metadata(meta: dict[str, object]) -> None:
    try:
        card = load_card(meta)
    except InputError:
        return
    again = load_card_text(card.to_yaml())
    assert again == card


@pytest.mark.parametrize(
    ("release", "message"),
    [
        ({"name": "m", "license": "Apache-2.0", "components": []}, "must be a mapping"),
        (
            {"name": "m", "license": {"weights": {"name": "MIT"}}, "components": []},
            "unknown license kind",
        ),
        ({"name": "m", "components": {"Model card": {}}}, "components must be a list"),
        ({"name": "m", "components": [{"description": "no name"}]}, "needs a 'name'"),
        (
            {"name": "m", "components": [{"name": "Model card"}, {"name": "Model card"}]},
            "listed twice",
        ),
    ],
)
def test_mot_structural_errors(release: dict[str, object], message: str) -> None:
    with pytest.raises(SchemaValidationError, match=message):
        load_card({"framework": {"name": "Model Openness Framework"}, "release": release})


def test_mot_license_block_variants_and_types() -> None:
    card = load_card(
        {
            "framework": {"name": "Model Openness Framework"},
            "release": {
                "name": "m",
                "treatment": "continued pre-training",
                "github": "https://g",
                "repository": "https://r",
                "license": {"code": "MIT", "document": {"name": "CC-BY-4.0", "path": "L"}},
                "components": [{"name": "Model card", "license": "CC-BY-4.0", "sha": "1"}],
                "extra_release_key": 1,
            },
        }
    )
    assert card.treatment == "other"
    assert card.repository == "https://r"
    assert card.licenses.code == "MIT"
    assert card.licenses.document_path == "L"
    assert card.components["Model card"].extras == {"sha": "1"}
    assert card.extras["release"] == {"extra_release_key": 1, "github": "https://g"}
    again = load_card_text(card.to_mot_yaml())
    assert again.extras["release"] == {"extra_release_key": 1, "github": "https://g"}
    assert again.components["Model card"] == card.components["Model card"]
    with pytest.raises(SchemaValidationError) as info:
        load_card(
            {"framework": {}, "release": {"name": "m", "date": "yesterday", "components": []}}
        )
    assert info.value.issues[0].field == "$.release.date"


def test_yaml_cards_may_start_with_a_comment(tmp_path: Path) -> None:
    text = "# Example card (sources below)\nschema: openmodel-gov/model-card/v1\nname: x\n"
    assert load_card_text(text).name == "x"
    path = tmp_path / "card.yaml"
    path.write_text("# comment\nname: y\nlicense: MIT\n")
    assert load_card(path).source_format == "openmodel-gov"
    assert (
        load_card_text(MOT_TEXT.replace("framework:", "# MOT file\nframework:", 1)).name == "Amber"
    )
    assert load_card_text("# Title\n\nNote: prose\n").source_format == "hf-readme"


def test_mapping_with_only_our_field_names_is_our_format() -> None:
    card = load_card({"name": "y", "license": "MIT"})
    assert card.name == "y"
    assert card.license == "MIT"
    assert card.source_format == "openmodel-gov"
