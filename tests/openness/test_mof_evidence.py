"""classify_mof on Hugging Face cards: inferred components, requirements per class."""

from __future__ import annotations

from openmodel_gov.cards import load_card, load_card_text
from openmodel_gov.openness import classify_mof

HUB = """---
license: llama2
library_name: transformers
datasets:
- o/d
model-index:
- name: m
  results:
  - task: {type: text-generation}
    dataset: {name: MMLU, type: mmlu}
    metrics: [{type: acc, value: 0.5}]
---
# M

- **Repository:** https://github.com/o/m-train
- **Paper:** [the paper](https://arxiv.org/abs/2401.00001)
"""


def test_components_are_inferred_with_evidence_and_licensed_by_where_they_live() -> None:
    r = classify_mof(load_card_text(HUB))
    assert r.inferred
    for name in ("Model card", "Model parameters (Final)", "Model architecture"):
        assert r.components[name].status == "not-open"  # Llama 2 terms on what the Hub hosts
        assert r.components[name].license == "hf:llama2"
    assert r.components["Evaluation results"].status == "not-open"
    assert r.components["Training code"].status == "unlicensed"
    assert r.components["Datasets"].evidence[0].path == "$.datasets"
    assert r.components["Research paper"].evidence[0].line is not None
    assert set(r.missing_licenses) >= {"Training code", "Datasets", "Data card", "Research paper"}


def test_requirements_for_each_class_and_perspective() -> None:
    r = classify_mof(load_card_text(HUB))
    three = r.requirements(3)
    assert any("instead of hf:llama2" in line for line in three)  # not-open: relicense
    assert any("Research paper" in line and "or the other" in line for line in three)
    one = r.requirements(1)
    assert any(line.startswith("publish Model parameters (Intermediate)") for line in one)
    consumer = r.requirements(1, perspective="consumer")
    assert any("prefer a model that does" in line for line in consumer)
    assert all(line.startswith("ask the provider") for line in consumer)


def test_inference_can_be_switched_off_and_declared_components_win() -> None:
    assert classify_mof(load_card_text(HUB), infer=False).present == []
    card = load_card(
        {"name": "m", "components": {"Model card": {"included": True, "license": "CC-BY-4.0"}}},
        format="openmodel-gov",
    )
    r = classify_mof(card, infer=True)
    assert r.components["Model card"].license == "CC-BY-4.0"
    assert not r.components["Model card"].inferred
    assert r.requirements(3) != []


def test_a_reached_class_needs_nothing() -> None:
    names = [
        "Model architecture",
        "Model parameters (Final)",
        "Evaluation results",
        "Model card",
        "Data card",
        "Technical report",
    ]
    card = load_card(
        {
            "name": "m",
            "licenses": {"distribution": "Apache-2.0"},
            "components": {n: {"included": True} for n in names},
        },
        format="openmodel-gov",
    )
    assert classify_mof(card).requirements(3) == []
