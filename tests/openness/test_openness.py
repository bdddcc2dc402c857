"""Tests for openmodel_gov.openness: the 0-10 score, MOF classes, OSAID, plans, comparison."""

from __future__ import annotations

import json
from importlib import resources
from pathlib import Path
from typing import Any

import pytest

from openmodel_gov.cards import AccessGating, Component, EcosystemSignals, EvalResult, ModelCard
from openmodel_gov.errors import ConfigError
from openmodel_gov.openness import (
    DIMENSIONS,
    ScoringPolicy,
    default_policy,
    score_openness,
)

REAL = Path(__file__).resolve().parents[1] / "data" / "realworld" / "model_cards"
FINAL = "Model parameters (Final)"
CLASS3 = [
    "Model architecture",
    FINAL,
    "Evaluation results",
    "Model card",
    "Data card",
    "Technical report",
]
CLASS2 = ["Training code", "Inference code", "Evaluation code", "Evaluation data"]
CLASS1 = [
    "Datasets",
    "Data preprocessing code",
    "Model parameters (Intermediate)",
    "Research paper",
]


def make(**fields: Any) -> ModelCard:
    """A card from keyword fields; ``components`` may map names to license strings."""
    comps = fields.pop("components", {})
    built: dict[Any, Component] = {}
    for name, value in comps.items():
        if isinstance(value, Component):
            built[name] = value
        elif value is False:
            built[name] = Component(included=False)
        else:
            built[name] = Component(included=True, license=value)
    fields.setdefault("name", "m")
    return ModelCard(components=built, **fields)


def dim(card: ModelCard, name: str) -> int:
    return score_openness(card).dimensions[name].score  # type: ignore[index]


# --- row "weights access" ---------------------------------------------------------------
class TestWeights:
    def test_0_when_unavailable(self) -> None:
        s = score_openness(make())
        assert s.dimensions["weights"].score == 0
        assert "no evidence" in s.dimensions["weights"].reasons[0]

    def test_0_when_declared_not_released(self) -> None:
        assert dim(make(components={FINAL: False}, weights_url="https://x"), "weights") == 0

    def test_0_when_gated(self) -> None:
        card = make(components={FINAL: "Apache-2.0"}, gating=AccessGating(gated="manual"))
        d = score_openness(card).dimensions["weights"]
        assert d.score == 0
        assert any(e.field == "$.gating" and "gated" in e.value for e in d.evidence)

    def test_1_when_downloadable_with_restrictions(self) -> None:
        assert dim(make(components={FINAL: "hf:llama2"}), "weights") == 1
        assert dim(make(components={FINAL: "CC-BY-NC-4.0"}), "weights") == 1

    def test_1_when_downloadable_without_license(self) -> None:
        d = score_openness(make(weights_url="https://w")).dimensions["weights"]
        assert d.score == 1
        assert "no license" in d.reasons[0]

    def test_2_when_open_and_redistributable(self) -> None:
        digest = "a" * 64
        card = make(
            components={
                FINAL: Component(
                    included=True, license="Apache-2.0", location="https://w", sha256=[digest]
                )
            }
        )
        d = score_openness(card).dimensions["weights"]
        assert d.score == 2
        fields = [e.field for e in d.evidence]
        assert f"$.components['{FINAL}'].sha256" in fields
        assert f"$.components['{FINAL}'].location" in fields

    def test_weights_inherit_the_global_data_license(self) -> None:
        card = make(components={FINAL: None}, licenses={"data": "CDLA-Permissive-2.0"})
        d = score_openness(card).dimensions["weights"]
        assert d.score == 2
        assert any(e.field == "$.licenses.data" for e in d.evidence)


# --- row "training data" ------------------------------------------------------------------
class TestTrainingData:
    def test_0_without_information(self) -> None:
        assert dim(make(), "training_data") == 0

    def test_1_partial_dataset_names_only(self) -> None:
        d = score_openness(make(datasets=["c4"])).dimensions["training_data"]
        assert d.score == 1
        assert "preprocessing" in d.reasons[0]

    def test_1_partial_body_section(self) -> None:
        card = make(body="# Llama\n\n## Training Data\nA new mix of public data.\n")
        d = score_openness(card).dimensions["training_data"]
        assert d.score == 1
        assert d.evidence[0].field == "$.body"

    def test_2_with_link_and_preprocessing(self) -> None:
        card = make(datasets=["c4"], components={"Data preprocessing code": "Apache-2.0"})
        assert dim(card, "training_data") == 2

    def test_2_with_data_card(self) -> None:
        assert dim(make(components={"Data card": "CC-BY-4.0"}), "training_data") == 2

    def test_2_from_body_links(self) -> None:
        body = (
            "- [Data Preparation](https://github.com/o/data-prep)\n"
            "- [Pretraining data](https://huggingface.co/datasets/o/d)\n"
        )
        assert dim(make(body=body), "training_data") == 2


# --- row "training code" ------------------------------------------------------------------
class TestTrainingCode:
    def test_0_inference_code_only(self) -> None:
        d = score_openness(make(components={"Inference code": "MIT"})).dimensions["training_code"]
        assert d.score == 0
        assert d.reasons == ("only inference code is released",)

    def test_0_nothing(self) -> None:
        assert dim(make(), "training_code") == 0

    def test_1_partial_pipeline(self) -> None:
        d = score_openness(make(components={"Training code": "MIT"})).dimensions["training_code"]
        assert d.score == 1
        assert "Data preprocessing code" in d.reasons[0]

    def test_1_pipeline_not_open(self) -> None:
        card = make(components={"Training code": "hf:llama2", "Data preprocessing code": "MIT"})
        d = score_openness(card).dimensions["training_code"]
        assert d.score == 1
        assert "Training code" in d.reasons[0]

    def test_2_complete_open_pipeline(self) -> None:
        card = make(
            licenses={"code": "Apache-2.0"},
            components={"Training code": None, "Data preprocessing code": None},
        )
        assert dim(card, "training_code") == 2


# --- row "license" ------------------------------------------------------------------------
class TestLicense:
    @pytest.mark.parametrize(
        ("license_", "points"),
        [
            ("Apache-2.0", 2),
            ("MIT", 2),
            ("hf:apache-2.0", 2),
            ("CC-BY-SA-4.0", 1),
            ("GPL-3.0-only", 1),
            ("CC-BY-NC-4.0", 0),
            ("hf:llama2", 0),
            ("hf:gemma", 0),
            ("hf:openrail", 0),
            ("LicenseRef-research-only", 0),
            ("Apache 2.0", 2),
        ],
    )
    def test_categories_to_points(self, license_: str, points: int) -> None:
        assert dim(make(license=license_), "license") == points

    def test_undeclared_is_0(self) -> None:
        d = score_openness(make()).dimensions["license"]
        assert (d.score, d.reasons) == (0, ("no license is declared",))

    def test_distribution_license_counts_when_no_declared_license(self) -> None:
        assert dim(make(licenses={"distribution": "MIT"}), "license") == 2

    def test_custom_license_name_is_tried(self) -> None:
        card = make(license="hf:other", license_name="llama3.1", license_link="https://l")
        d = score_openness(card).dimensions["license"]
        assert d.score == 0
        assert [e.field for e in d.evidence] == ["$.license", "$.license_name", "$.license_link"]

    def test_policy_object_replaces_the_mapping(self) -> None:
        lenient = default_policy().with_changes(license_points={"restricted": 1})
        assert score_openness(make(license="hf:llama2"), policy=lenient).total == 1


# --- row "ecosystem" ----------------------------------------------------------------------
class TestEcosystem:
    def test_0_no_signals(self) -> None:
        assert dim(make(), "ecosystem") == 0

    def test_1_minimal(self) -> None:
        d = score_openness(make(repository="https://github.com/o/r")).dimensions["ecosystem"]
        assert d.score == 1
        assert "community" in d.reasons[0]

    def test_2_tools_benchmarks_community(self) -> None:
        card = make(
            ecosystem=EcosystemSignals(
                library_name="transformers",
                evaluation_harnesses=["lm-eval-harness"],
                community_channels=["https://discord.gg/x"],
            ),
        )
        assert dim(card, "ecosystem") == 2

    def test_eval_results_count_as_benchmarks(self) -> None:
        result = EvalResult(
            task_type="text-generation",
            dataset_type="hellaswag",
            dataset_name="HellaSwag",
            metric_type="acc",
            metric_value=0.8,
        )
        card = make(
            eval_results=[result],
            ecosystem=EcosystemSignals(integrations=["vllm"]),
            repository="https://r",
        )
        assert dim(card, "ecosystem") == 2


# --- totals, bands, declared dimensions ---------------------------------------------------
def _card_with_total(total: int) -> ModelCard:
    return make(
        extras={"openness": {d: min(2, max(0, total - 2 * i)) for i, d in enumerate(DIMENSIONS)}}
    )


@pytest.mark.parametrize(
    ("total", "band", "rag"),
    [
        (0, "not_open", "red"),
        (3, "not_open", "red"),
        (4, "semi_open", "amber"),
        (6, "semi_open", "amber"),
        (7, "fully_open", "green"),
        (10, "fully_open", "green"),
    ],
)
def test_bands_and_rag(total: int, band: str, rag: str) -> None:
    s = score_openness(_card_with_total(total))
    assert (s.total, s.band, s.rag) == (total, band, rag)
    assert s.band_meaning


def test_declared_dimensions_are_recorded_with_disagreement() -> None:
    s = score_openness(make(license="MIT"), declared={"license": 1, "ecosystem": 0})
    lic = s.dimensions["license"]
    assert (lic.score, lic.derived, lic.declared, lic.source) == (1, 2, 1, "declared")
    assert lic.disagrees
    assert s.declared_dimensions == ["license", "ecosystem"]
    assert s.derived_dimensions == ["weights", "training_data", "training_code"]
    assert s.disagreements == ["license: declared 1, derived 2"]
    assert "declared 1, derived 2" in s.explain()
    assert not s.dimensions["ecosystem"].disagrees


def test_declared_in_card_extras_and_overridden_by_argument() -> None:
    card = make(extras={"openness": {"ecosystem": 2}})
    assert score_openness(card).dimensions["ecosystem"].score == 2
    assert score_openness(card, declared={"ecosystem": 1}).dimensions["ecosystem"].score == 1


def test_policy_can_keep_derived_scores() -> None:
    policy = default_policy().with_changes(declared_overrides=False)
    d = score_openness(make(), declared={"license": 2}, policy=policy).dimensions["license"]
    assert (d.score, d.source, d.declared) == (0, "derived", 2)


@pytest.mark.parametrize("bad", [{"nope": 1}, {"license": 3}, {"license": True}, {"license": "2"}])
def test_bad_declarations_raise_config_error(bad: dict[str, Any]) -> None:
    with pytest.raises(ConfigError) as err:
        score_openness(make(), declared=bad)
    assert err.value.hint


def test_invalid_policy_is_refused() -> None:
    with pytest.raises(ValueError, match="0, 1 or 2"):
        default_policy().with_changes(license_points={"permissive": 5})
    with pytest.raises(ValueError, match="bands"):
        default_policy().with_changes(
            bands=[{"name": "not_open", "min": 0, "max": 3, "rag": "red", "meaning": "x"}]
        )
    with pytest.raises(ValueError, match="pattern"):
        default_policy().with_changes(training_data_headings=["("])
    data = default_policy().model_dump(by_alias=True)
    data["dimensions"].pop("license")
    with pytest.raises(ValueError, match="dimensions"):
        ScoringPolicy.model_validate(data)
    data = default_policy().model_dump(by_alias=True)
    data["weights_license_points"].pop("unknown")
    with pytest.raises(ValueError, match="lacks"):
        ScoringPolicy.model_validate(data)


def test_score_renderings() -> None:
    card = make(license="Apache-2.0", components={FINAL: "Apache-2.0"}, name="A <b>")
    s = score_openness(card)
    text = str(s)
    assert text.startswith("A <b>: 4/10 semi_open (amber)")
    data = s.to_dict()
    json.dumps(data)
    assert data["dimensions"]["weights"]["score"] == 2
    assert data["derived_dimensions"] == list(DIMENSIONS)
    assert "scores" not in data
    page = s._repr_html_()
    assert "A &lt;b&gt;" in page
    assert "A <b>" not in page
    assert "Total" in page
    explained = s.explain()
    assert "evidence $.license = Apache-2.0" in explained


def test_results_are_immutable_and_shared_safely() -> None:
    s1 = score_openness(make(license="MIT"))
    s2 = score_openness(make(license="MIT"))
    assert s1 == s2
    d = s1.dimensions["license"]
    assert type(d.reasons) is tuple
    assert type(d.evidence) is tuple
    with pytest.raises(ValueError, match="frozen"):
        d.score = 0  # type: ignore[misc]
    s1.dimensions.pop("license")  # a fresh dict: the result itself is untouched
    assert "license" in s1.dimensions


# --- real cards ---------------------------------------------------------------------------
def test_real_cards_score_and_explain() -> None:
    from openmodel_gov.cards import load_card

    scores = {p.name: score_openness(load_card(p)) for p in sorted(REAL.glob("*__*.md"))}
    assert len(scores) == 12
    amber = scores["LLM360__Amber.md"]
    assert (amber.band, amber.dimensions["training_code"].score) == ("fully_open", 2)
    llama2 = scores["meta-llama__Llama-2-7b-hf.md"]
    # a Hub access request with a checkbox, processed for everyone: not gated in the Table-11
    # sense; downloadable without a license in the metadata -> 1
    assert llama2.dimensions["weights"].score == 1
    assert llama2.dimensions["license"].score == 0  # undeclared in front matter
    mistral = scores["mistralai__Mistral-7B-v0.1.md"]
    assert mistral.dimensions["license"].score == 2
    gemma = scores["google__shieldgemma-2-4b-it.md"]
    assert gemma.dimensions["license"].score == 0  # Gemma terms: restricted
    for s in scores.values():
        assert 0 <= s.total <= 10
        assert s.explain().count("\n") >= 5


# --- data files and schemas ---------------------------------------------------------------
def test_data_files_match_published_json_schemas() -> None:
    import jsonschema
    import yaml

    from openmodel_gov.openness._data import data_schemas

    base = resources.files("openmodel_gov").joinpath("data/openness")
    for schema_name, generated in data_schemas().items():
        published = json.loads(base.joinpath(schema_name).read_text("utf-8"))
        assert published == json.loads(json.dumps(generated)), schema_name
        data = yaml.safe_load(
            base.joinpath(schema_name.replace(".schema.json", ".yaml")).read_text("utf-8")
        )
        jsonschema.validate(data, published)
        assert data["sources"], f"{schema_name}: facts must cite sources"
        for source in data["sources"]:
            assert source["url"].startswith("https://")


def test_every_fact_block_cites_a_declared_source() -> None:
    from openmodel_gov.openness._data import mof_license_facts, osaid_facts

    facts = mof_license_facts()
    ids = {s.id for s in facts.sources}
    for block in (
        facts.open_data_licenses,
        facts.extra_open_licenses,
        facts.type_appropriate,
        facts.suggested_open_license,
    ):
        assert block.source in ids
    osaid = osaid_facts()
    assert {r.source for r in osaid.requirements} <= {s.id for s in osaid.sources}


def test_public_names() -> None:
    import openmodel_gov.openness as mod

    for name in mod.__all__:
        assert hasattr(mod, name), name
    assert {
        "score_openness",
        "classify_mof",
        "osaid_readiness",
        "improvement_plan",
        "compare_openness",
        "OpennessScore",
        "MOFResult",
    } <= set(mod.__all__)


def test_functions_accept_paths_texts_and_mappings(tmp_path: Path) -> None:
    from openmodel_gov.openness import (
        classify_mof,
        compare_openness,
        improvement_plan,
        osaid_readiness,
    )

    readme = tmp_path / "README.md"
    readme.write_text("---\nlicense: mit\nlibrary_name: transformers\n---\n# Tiny\n")
    by_path = score_openness(readme)
    from openmodel_gov.cards import load_card_text

    by_text = score_openness(load_card_text(readme.read_text()))
    assert by_path.total == by_text.total == score_openness(str(readme)).total
    assert by_path.dimensions["license"].score == 2
    assert classify_mof({"name": "x"}).label == "Unclassified"
    assert osaid_readiness(readme).name == "Tiny"
    assert improvement_plan(readme).name == "Tiny"
    assert [
        r.score.name
        for r in compare_openness(
            [readme, {"schema": "openmodel-gov/model-card/v1", "name": "y"}]
        ).rows
    ] == ["Tiny", "y"]
