"""Hub front matter of the wrong shape ends in typed errors, never TypeError/AttributeError."""

from __future__ import annotations

import json
import math

import pytest
import yaml
from hypothesis import given
from hypothesis import strategies as st

from openmodel_gov.cards import ModelCard, load_card, load_card_text, read_card_evidence
from openmodel_gov.errors import OpenModelGovError, ParseError, SchemaValidationError


@pytest.mark.parametrize(
    "text",
    [
        "---\nmodel-index: [{results: 1.5}]\n---\n",
        "---\nmodel-index: [{results: [{task: {type: t}, dataset: 1.5, metrics: [{type: a}]}]}]\n---\n",
        "---\nmodel-index: [{results: [{task: {}, dataset: {}, metrics: 7}]}]\n---\n",
        "---\nmodel-index: 3\n---\n",
        "---\ndatasets: 1.5\n---\n",
        "---\nopenmodel-gov: {ecosystem: [1]}\n---\n",
        "---\nopenmodel-gov: {training: [1]}\n---\n",
        "---\nopenmodel-gov: {gating: [1]}\n---\n",
        "---\nopenmodel-gov: [1]\n---\n",
        "---\n1: x\n---\n",
        "framework: {name: x}\nrelease: {name: m, 2: y, components: []}\n",
        "framework: {name: x}\nrelease: {name: m, components: [{name: 'Model card', 1: x}]}\n",
        "framework: {name: x}\nrelease: {name: m, components: [{name: 1}]}\n",
    ],
)
def test_wrong_shapes_are_typed_errors(text: str) -> None:
    with pytest.raises(OpenModelGovError) as info:
        load_card_text(text)
    assert isinstance(info.value, (ParseError, SchemaValidationError))


def test_model_index_shape_error_names_the_key_and_line() -> None:
    with pytest.raises(SchemaValidationError) as info:
        load_card_text("---\nlicense: mit\nmodel-index: [{results: 1.5}]\n---\n")
    issue = info.value.issues[0]
    assert (issue.field, issue.line) == ("$['model-index']", 3)


def test_a_float_dataset_key_is_kept_as_an_extra() -> None:
    card = load_card_text("---\ndataset: 1.5\n---\n")  # not a Hub key: kept verbatim
    assert card.extras == {"dataset": 1.5}
    assert json.loads(card.to_json())["extras"] == {"dataset": 1.5}


@pytest.mark.parametrize(
    ("text", "field", "line"),
    [
        ("d: .inf\n", "$.d", 1),
        (
            "---\nlicense: mit\nco2_eq_emissions: {emissions: .nan}\n---\n",
            "$.co2_eq_emissions.emissions",
            3,
        ),
        (
            "schema: openmodel-gov/model-card/v1\nname: x\ntraining: {energy_kwh: -.inf}\n",
            "$.training.energy_kwh",
            3,
        ),
    ],
)
def test_non_finite_numbers_are_refused_at_load(text: str, field: str, line: int) -> None:
    with pytest.raises(ParseError, match="non-finite") as info:
        load_card_text(text, format="yaml" if not text.startswith("---") else "auto")
    assert (info.value.field, info.value.line) == (field, line)


def test_non_finite_numbers_in_a_mapping_are_refused() -> None:
    with pytest.raises(ParseError, match="non-finite"):
        load_card({"license": "mit", "widget": [{"x": math.nan}]})


scalars = st.none() | st.booleans() | st.integers() | st.floats() | st.text(max_size=8)
values = st.recursive(
    scalars,
    lambda c: (
        st.lists(c, max_size=3)
        | st.dictionaries(st.text(max_size=6) | st.integers(), c, max_size=3)
    ),
    max_leaves=12,
)
hub_keys = st.sampled_from(
    [
        "model-index", "datasets", "dataset", "base_model", "license", "license_name",
        "language", "tags", "gated", "extra_gated_fields", "extra_gated_prompt",
        "co2_eq_emissions", "library_name", "openmodel-gov", "pipeline_tag", "metrics", "widget",
    ]
)  # fmt: skip
own_values = st.fixed_dictionaries(
    {},
    optional={
        "ecosystem": values,
        "training": values,
        "gating": values,
        "components": values,
        "licenses": values,
    },
)


@given(st.dictionaries(hub_keys, values, max_size=6), own_values)
def test_any_front_matter_shape_loads_or_gives_a_typed_error(
    meta: dict[str, object], own: dict[str, object]
) -> None:
    if own:
        meta = {**meta, "openmodel-gov": own}
    try:
        text = "---\n" + yaml.safe_dump(meta, allow_unicode=True) + "---\n# Body\n"
    except yaml.YAMLError:
        return
    try:
        card = load_card_text(text)
    except OpenModelGovError:
        return
    assert isinstance(card, ModelCard)
    json.loads(card.to_json())  # valid JSON: no Infinity/NaN
    card.to_hf_readme()
    card.to_mot_yaml()
    read_card_evidence(card)


@given(
    st.dictionaries(
        st.sampled_from(["name", "components", "license", "date", "treatment", 1, 2.5]),
        values,
        max_size=5,
    )
)
def test_any_mot_release_shape_loads_or_gives_a_typed_error(release: dict[object, object]) -> None:
    try:
        card = load_card({"framework": {"name": "Model Openness Framework"}, "release": release})
    except OpenModelGovError:
        return
    json.loads(card.to_json())
