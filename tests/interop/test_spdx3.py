"""SPDX 3.0.1 AI/Dataset: built with spdx-python-model and read back with it."""

from __future__ import annotations

import functools
import json
import sys
from collections.abc import Callable
from datetime import datetime
from pathlib import Path
from typing import Any

import jsonschema
import pytest
from spdx_python_model import v3_0_1 as spdx

from openmodel_gov.cards import ModelCard
from openmodel_gov.compliance import build_compliance_matrix
from openmodel_gov.errors import MissingDependencyError
from openmodel_gov.interop import to_spdx3
from openmodel_gov.manifests import DatasetManifest

Clock = Callable[[], datetime]


SCHEMA = Path(__file__).resolve().parents[1] / "data" / "interop" / "spdx-3.0.1-json-schema.json"


@functools.cache
def _validator() -> jsonschema.Draft202012Validator:
    return jsonschema.Draft202012Validator(json.loads(SCHEMA.read_text(encoding="utf-8")))


def schema_errors(data: object) -> list[str]:
    """Errors against the official SPDX 3.0.1 JSON schema (vendored, see SOURCES.md)."""
    return [f"{list(e.absolute_path)}: {e.message[:200]}" for e in _validator().iter_errors(data)]


def read_back(text: str) -> Any:
    """Valid against the official JSON schema; deserialized by the library; re-serializing
    gives the same bytes."""
    assert schema_errors(json.loads(text)) == []
    objects = spdx.SHACLObjectSet()
    spdx.JSONLDDeserializer().deserialize_data(json.loads(text), objects)
    assert not objects.missing_ids
    again = json.dumps(
        spdx.JSONLDSerializer().serialize_data(objects),
        indent=2,
        sort_keys=True,
        ensure_ascii=False,
    )
    assert again + "\n" == text
    return objects


def relationships(objects: Any) -> dict[str, list[tuple[str, list[str]]]]:
    out: dict[str, list[tuple[str, list[str]]]] = {}
    for rel in objects.foreach_type(spdx.Relationship):
        kind = rel.relationshipType.rsplit("/", 1)[-1]
        src = rel.from_._id if hasattr(rel.from_, "_id") else str(rel.from_)
        targets = [t._id if hasattr(t, "_id") else str(t) for t in rel.to]
        out.setdefault(kind, []).append((src, targets))
    return out


def test_demo_round_trip(
    demo_card: ModelCard, demo_manifest: DatasetManifest, fixed_clock: Clock
) -> None:
    matrix = build_compliance_matrix(demo_manifest)
    text = to_spdx3(demo_card, manifests=[demo_manifest], compliance=matrix, clock=fixed_clock)
    objects = read_back(text)
    (model,) = [m for m in objects.foreach_type(spdx.ai_AIPackage) if m.name == demo_card.name]
    assert model.ai_useSensitivePersonalInformation == spdx.PresenceType.yes
    assert model.ai_informationAboutApplication.startswith("Drafting first replies")
    assert list(model.ai_standardCompliance) == list(matrix.regulations)
    assert [m.key for m in model.ai_metric] == ["accuracy on HelpdeskQA (demo)"]
    (dataset,) = [
        d
        for d in objects.foreach_type(spdx.dataset_DatasetPackage)
        if d.name == "support-tickets-demo"
    ]
    assert dataset.dataset_hasSensitivePersonalInformation == spdx.PresenceType.yes
    assert dataset.dataset_datasetSize == demo_manifest.total_size
    assert dataset.dataset_intendedUse == "fine-tuning a helpdesk reply model"
    assert "PII scan of 5 record(s)" in dataset.comment
    files = {f.name: f.verifiedUsing[0].hashValue for f in objects.foreach_type(spdx.software_File)}
    assert files == {f.path: f.sha256 for f in demo_manifest.files}
    rels = relationships(objects)
    assert [t for s, t in rels["trainedOn"] if s == model._id] == [[dataset._id]]
    assert len(rels["testedOn"]) == 1
    assert len(rels["dependsOn"]) == 1
    # the AI and Dataset profiles: exactly one declared and one concluded license per package
    packages = [
        *objects.foreach_type(spdx.ai_AIPackage),
        *objects.foreach_type(spdx.dataset_DatasetPackage),
    ]
    for pkg in packages:
        for kind in ("hasDeclaredLicense", "hasConcludedLicense"):
            assert sum(1 for s, _ in rels[kind] if s == pkg._id) == 1, (pkg.name, kind)
    exprs = {
        e.simplelicensing_licenseExpression
        for e in objects.foreach_type(spdx.simplelicensing_LicenseExpression)
    }
    assert exprs == {"Apache-2.0", "CC-BY-4.0"}


def test_rich(rich_card: ModelCard, rich: DatasetManifest, fixed_clock: Clock) -> None:
    objects = read_back(to_spdx3(rich_card, manifests=rich, clock=fixed_clock))
    (model,) = [m for m in objects.foreach_type(spdx.ai_AIPackage) if m.name == "rich-model"]
    assert model.software_packageVersion == "2.0"
    assert model.suppliedBy.name == "Example Lab <tag>"
    assert model.ai_energyConsumption.ai_trainingEnergyConsumption[0].ai_energyQuantity == 12000.5
    assert list(model.ai_typeOfModel) == ["decoder-only transformer"]
    assert "Hallucinates" in model.ai_limitation
    assert model.releaseTime.year == 2025
    datasets = {d.name: d for d in objects.foreach_type(spdx.dataset_DatasetPackage)}
    web = datasets["web-2024"]
    assert list(web.dataset_anonymizationMethodUsed) == ["pseudonymized"]
    assert "filter: language id" in list(web.dataset_dataPreprocessing)
    assert "collected 2023-01 to 2024-09-30" in web.dataset_dataCollectionProcess
    assert datasets["news-archive"].dataset_hasSensitivePersonalInformation == spdx.PresenceType.no
    assert [t.rsplit("/", 1)[-1] for t in datasets["synthetic-dialogues"].dataset_datasetType] == [
        "text"
    ]
    assert "HuggingFaceH4/ultrachat_200k" in datasets
    assert {"MMLU", "GSM8K"} <= set(datasets)
    exprs = {
        e.simplelicensing_licenseExpression
        for e in objects.foreach_type(spdx.simplelicensing_LicenseExpression)
    }
    assert "LicenseRef-openmodel-llama-3.1" in exprs
    assert "CC-BY-4.0 AND ODC-By-1.0" in exprs


def test_files_can_be_left_out(
    demo_card: ModelCard, demo_manifest: DatasetManifest, fixed_clock: Clock
) -> None:
    objects = read_back(
        to_spdx3(demo_card, manifests=demo_manifest, files=False, clock=fixed_clock)
    )
    assert not list(objects.foreach_type(spdx.software_File))


def test_every_real_card_round_trips(real_card: ModelCard, fixed_clock: Clock) -> None:
    objects = read_back(to_spdx3(real_card, clock=fixed_clock))
    names = {p.name for p in objects.foreach_type(spdx.software_Package)}
    assert real_card.name in names
    assert set(real_card.base_models) <= names
    (doc,) = list(objects.foreach_type(spdx.SpdxDocument))
    assert len(doc.rootElement) == 1


def test_named_license_becomes_a_licenseref(fixed_clock: Clock) -> None:
    objects = read_back(
        to_spdx3(ModelCard(name="x", license="see the LICENSE file"), clock=fixed_clock)
    )
    (expr,) = list(objects.foreach_type(spdx.simplelicensing_LicenseExpression))
    assert expr.simplelicensing_licenseExpression == "LicenseRef-see-the-LICENSE-file"
    assert expr.comment == "license as stated: see the LICENSE file"


def test_deterministic(demo_card: ModelCard, fixed_clock: Clock) -> None:
    a = to_spdx3(demo_card, clock=fixed_clock)
    assert a == to_spdx3(demo_card, clock=fixed_clock)
    assert '"created": "2026-01-02T03:04:05Z"' in a
    b = to_spdx3(
        demo_card, clock=fixed_clock, serial="urn:uuid:12345678-1234-5678-1234-567812345678"
    )
    assert "12345678-1234-5678-1234-567812345678#document" in b


def test_missing_extra(demo_card: ModelCard, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setitem(sys.modules, "spdx_python_model.bindings.v3_0_1", None)
    with pytest.raises(MissingDependencyError, match="interop"):
        to_spdx3(demo_card)


def test_the_schema_rejects_what_spdx_forbids(demo_card: ModelCard, fixed_clock: Clock) -> None:
    data = json.loads(to_spdx3(demo_card, clock=fixed_clock))
    rel = next(n for n in data["@graph"] if n.get("type") == "Relationship")
    rel["relationshipType"] = "trainedWith"
    assert schema_errors(data)
    model = next(n for n in data["@graph"] if n.get("type") == "ai_AIPackage")
    del model["creationInfo"]
    rel["relationshipType"] = "trainedOn"
    assert schema_errors(data)


def test_energy_in_exponent_form_is_written_as_a_plain_decimal(fixed_clock: Clock) -> None:
    card = ModelCard(name="m", training={"energy_kwh": 1e22})  # type: ignore[arg-type]
    data = json.loads(to_spdx3(card, clock=fixed_clock))
    assert schema_errors(data) == []
    (model,) = [n for n in data["@graph"] if n.get("type") == "ai_AIPackage"]
    quantity = model["ai_energyConsumption"]["ai_trainingEnergyConsumption"][0]["ai_energyQuantity"]
    assert quantity == "10000000000000000000000"
