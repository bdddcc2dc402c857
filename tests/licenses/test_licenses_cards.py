"""check_card_licenses: per-component licenses and the card's license against its bases."""

from __future__ import annotations

from pathlib import Path

from openmodel_gov.cards import Component, GlobalLicenses, ModelCard, load_card
from openmodel_gov.licenses import CardLicenseReport, ComponentLicenseCheck, check_card_licenses

BASE = "meta-llama/Llama-3.1-8B"


def test_llama_finetune_with_components() -> None:
    card = ModelCard(
        name="Llama-3.1-Med",
        license="hf:llama3.1",
        base_models=[BASE],
        licenses=GlobalLicenses(code="Apache-2.0", document="CC-BY-4.0"),
        components={
            "Model parameters (Final)": Component(included=True, license="hf:llama3.1"),
            "Training code": Component(included=True),  # inherits the global code license
            "Technical report": Component(included=True, license="CC-BY-4.0"),
            "Datasets": Component(included=False, license="CC-BY-NC-4.0"),  # not released: skipped
        },
    )
    report = check_card_licenses(card, base_licenses={BASE: "hf:llama3.1"})
    assert isinstance(report, CardLicenseReport)
    assert report.verdict == "compatible"
    parts = {p.part: p for p in report.parts}
    assert set(parts) == {
        "card license",
        "global code license",
        "global document license",
        "component 'Model parameters (Final)'",
        "component 'Technical report'",
    }
    assert parts["card license"].classification is not None
    assert parts["card license"].classification.category == "restricted"
    assert isinstance(parts["global code license"], ComponentLicenseCheck)
    (base,) = report.base_checks
    assert base.verdict == "compatible"
    # the card's name is used as the derivative's name: "Llama-3.1-Med" begins with "Llama"
    assert any(r.code == "naming" for r in base.reasons)
    text = str(report)
    assert text.startswith("compatible: licenses of model card 'Llama-3.1-Med'")
    assert "<table" in report._repr_html_()
    assert report.to_dict()["parts"][0]["part"] == "card license"


def test_card_relicensing_a_llama_finetune_as_apache() -> None:
    card = ModelCard(name="MedChat", license="Apache-2.0", base_models=[BASE])
    report = check_card_licenses(card, base_licenses={BASE: "hf:llama3.1"})
    assert report.verdict == "incompatible"  # name does not begin with "Llama"
    facts = {"derivative_name": "Llama-MedChat", "passes_use_restrictions": True}
    assert (
        check_card_licenses(card, base_licenses={BASE: "hf:llama3.1"}, facts=facts).verdict
        == "compatible"
    )


def test_missing_and_bad_licenses() -> None:
    card = ModelCard(
        name="x",
        base_models=["org/base", "org/other"],
        components={
            "Model parameters (Final)": Component(included=True, license="unlicensed"),
            "Inference code": Component(included=True, license="Apach-2.0"),
            "Model card": Component(included=True, license="hf:other"),
        },
    )
    report = check_card_licenses(card, base_licenses={"org/base": "MIT"})
    assert report.verdict == "incompatible"
    parts = {p.part: p for p in report.parts}
    assert parts["card license"].verdict == "needs_review"
    assert parts["card license"].message == "no license declared"
    assert parts["component 'Model parameters (Final)'"].verdict == "incompatible"
    assert "unknown license id" in parts["component 'Inference code'"].message
    assert parts["component 'Model card'"].message == "license not identified"
    assert [c.verdict for c in report.base_checks] == ["needs_review", "needs_review"]
    assert "not declared" in report.base_checks[0].reasons[0].message
    assert "base_licenses" in report.base_checks[1].reasons[0].message


def test_unparsable_base_license() -> None:
    card = ModelCard(name="x", license="MIT", base_models=["org/base"])
    report = check_card_licenses(card, base_licenses={"org/base": "MIT AND"})
    assert report.verdict == "needs_review"
    assert report.base_checks[0].reasons[0].code == "missing"
    assert "'MIT AND'" in report.base_checks[0].reasons[0].message


def test_loaded_hf_card(tmp_path: Path) -> None:
    readme = tmp_path / "README.md"
    readme.write_text(
        "---\nlicense: gemma\nbase_model: google/gemma-2-2b\n---\n# My Gemma fine-tune\n",
        encoding="utf-8",
    )
    card = load_card(readme)
    report = check_card_licenses(card, base_licenses={"google/gemma-2-2b": "hf:gemma"})
    assert report.parts[0].canonical == "LicenseRef-openmodel-gemma"
    assert report.verdict == "compatible"


def test_base_model_relation_sets_distilled() -> None:
    card = ModelCard(
        name="Llama-2-Student",
        license="hf:llama2",
        base_models=["meta/llama-2"],
        base_model_relation="distillation",
    )
    report = check_card_licenses(card, base_licenses={"meta/llama-2": "hf:llama2"})
    assert report.verdict == "incompatible"
    assert any(r.citation.section == "1.b.v" for r in report.base_checks[0].reasons)
    tuned = card.model_copy(update={"base_model_relation": "finetune"})
    assert (
        check_card_licenses(tuned, base_licenses={"meta/llama-2": "hf:llama2"}).verdict
        == "compatible"
    )
