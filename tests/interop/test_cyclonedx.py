"""CycloneDX 1.6 ML-BOM: validated by cyclonedx-python-lib's strict 1.6 JSON schema validator."""

from __future__ import annotations

import json
import sys
from collections.abc import Callable
from datetime import datetime
from typing import Any

import pytest
from cyclonedx.schema import SchemaVersion
from cyclonedx.validation.json import JsonStrictValidator

from openmodel_gov.cards import ModelCard
from openmodel_gov.compliance import build_compliance_matrix
from openmodel_gov.errors import InputError, MissingDependencyError
from openmodel_gov.interop import to_cyclonedx
from openmodel_gov.manifests import DatasetManifest

Clock = Callable[[], datetime]


def assert_valid(text: str) -> dict[str, Any]:
    errors = JsonStrictValidator(SchemaVersion.V1_6).validate_str(text, all_errors=True)
    assert errors is None, [str(e) for e in errors]
    data: dict[str, Any] = json.loads(text)
    assert data["specVersion"] == "1.6"
    return data


def test_the_validator_rejects_what_the_schema_forbids(
    demo_card: ModelCard, fixed_clock: Clock
) -> None:
    data = json.loads(to_cyclonedx(demo_card, clock=fixed_clock))
    data["metadata"]["component"]["modelCard"]["notAField"] = 1
    errors = JsonStrictValidator(SchemaVersion.V1_6).validate_str(json.dumps(data))
    assert errors is not None


def test_demo_with_manifest_and_attestations(
    demo_card: ModelCard, demo_manifest: DatasetManifest, fixed_clock: Clock
) -> None:
    matrix = build_compliance_matrix(demo_manifest)
    data = assert_valid(
        to_cyclonedx(demo_card, manifests=[demo_manifest], compliance=matrix, clock=fixed_clock)
    )
    model = data["metadata"]["component"]
    assert model["type"] == "machine-learning-model"
    assert model["licenses"] == [{"license": {"id": "Apache-2.0"}}]
    card = model["modelCard"]
    assert card["quantitativeAnalysis"]["performanceMetrics"][0]["value"] == "0.71"
    assert card["considerations"]["useCases"] == [demo_card.intended_use]
    refs = [d["ref"] for d in card["modelParameters"]["datasets"]]
    assert refs == ["dataset:support-tickets-demo"]
    by_ref = {c["bom-ref"]: c for c in data["components"]}
    dataset = by_ref["dataset:support-tickets-demo"]
    assert dataset["type"] == "data"
    assert dataset["licenses"] == [{"license": {"id": "CC-BY-4.0"}}]
    assert dataset["data"][0]["sensitiveData"] == [
        "EMAIL_ADDRESS (1)",
        "PERSON (1)",
        "PHONE_NUMBER (1)",
    ]
    hashes = {f["name"]: f["hashes"][0]["content"] for f in dataset["components"]}
    assert hashes == {f.path: f.sha256 for f in demo_manifest.files}
    deps = {d["ref"]: d.get("dependsOn", []) for d in data["dependencies"]}
    assert set(deps[model["bom-ref"]]) == {
        "base-model:openmodel-gov-tiny-base-1b",
        "dataset:support-tickets-demo",
    }
    assert data["declarations"]["attestations"][0]["map"]
    reqs = {r["bom-ref"] for s in data["definitions"]["standards"] for r in s["requirements"]}
    assert {m["requirement"] for m in data["declarations"]["attestations"][0]["map"]} <= reqs


def test_every_real_card_is_valid(real_card: ModelCard, fixed_clock: Clock) -> None:
    data = assert_valid(to_cyclonedx(real_card, clock=fixed_clock))
    model = data["metadata"]["component"]
    assert model["name"] == real_card.name
    names = {c["name"] for c in data.get("components", [])}
    assert set(real_card.base_models) <= names
    assert set(real_card.datasets) <= names
    metrics = model["modelCard"].get("quantitativeAnalysis", {}).get("performanceMetrics", [])
    assert len(metrics) == len(real_card.eval_results)


def test_rich_card_and_manifest(
    rich_card: ModelCard, rich: DatasetManifest, fixed_clock: Clock
) -> None:
    data = assert_valid(to_cyclonedx(rich_card, manifests=rich, clock=fixed_clock))
    model = data["metadata"]["component"]
    assert model["licenses"] == [{"expression": "LicenseRef-openmodel-llama-3.1"}]
    assert model["supplier"]["name"] == "Example Lab <tag>"
    considerations = model["modelCard"]["considerations"]
    assert considerations["technicalLimitations"] == [
        "Hallucinates citations.",
        "Out-of-scope use: Medical advice.",
    ]
    assert {p["name"] for p in considerations["environmentalConsiderations"]["properties"]} >= {
        "openmodel-gov:energy-kwh",
        "openmodel-gov:co2-eq-kg",
    }
    assert any("web-2024" in e["name"] for e in considerations["ethicalConsiderations"])
    by_name = {c["name"]: c for c in data["components"]}
    assert by_name["web-2024"]["licenses"] == [{"expression": "CC-BY-4.0 AND ODC-By-1.0"}]
    assert by_name["news-archive"]["licenses"] == [{"expression": "LicenseRef-newswire-commercial"}]
    # the card's "example/web-2024" is the manifest's dataset: listed once
    assert "example/web-2024" not in by_name
    assert "HuggingFaceH4/ultrachat_200k" in by_name
    assert len(by_name["web-2024"]["components"]) == 3


def test_named_license_when_the_text_is_not_an_expression(fixed_clock: Clock) -> None:
    card = ModelCard(name="x", license="see LICENSE.txt in the repo")
    data = assert_valid(to_cyclonedx(card, clock=fixed_clock))
    assert data["metadata"]["component"]["licenses"] == [
        {"license": {"name": "see LICENSE.txt in the repo"}}
    ]


def test_deterministic_and_injectable(
    demo_card: ModelCard, demo_manifest: DatasetManifest, fixed_clock: Clock
) -> None:
    a = to_cyclonedx(demo_card, manifests=[demo_manifest], clock=fixed_clock)
    assert a == to_cyclonedx(demo_card, manifests=[demo_manifest], clock=fixed_clock)
    data = json.loads(a)
    assert data["metadata"]["timestamp"] == "2026-01-02T03:04:05+00:00"
    other = json.loads(to_cyclonedx(demo_card, clock=fixed_clock))
    assert other["serialNumber"] != data["serialNumber"]  # the serial follows the content
    serial = "urn:uuid:12345678-1234-5678-1234-567812345678"
    fixed = json.loads(to_cyclonedx(demo_card, clock=fixed_clock, serial=serial, indent=None))
    assert fixed["serialNumber"] == serial


def test_source_date_epoch(demo_card: ModelCard, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "0")
    data = json.loads(to_cyclonedx(demo_card))
    assert data["metadata"]["timestamp"] == "1970-01-01T00:00:00+00:00"


def test_bad_input(demo_card: ModelCard) -> None:
    with pytest.raises(InputError, match="needs a ModelCard"):
        to_cyclonedx("card.md")  # type: ignore[arg-type]
    with pytest.raises(InputError, match="sequence of DatasetManifest"):
        to_cyclonedx(demo_card, manifests="m.yaml")  # type: ignore[arg-type]
    with pytest.raises(InputError, match="hold DatasetManifest"):
        to_cyclonedx(demo_card, manifests=["m.yaml"])  # type: ignore[list-item]


def test_missing_extra(demo_card: ModelCard, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setitem(sys.modules, "cyclonedx", None)
    with pytest.raises(MissingDependencyError, match=r"openmodel-gov\[interop\]"):
        to_cyclonedx(demo_card)


def test_the_library_reads_it_back(
    rich_card: ModelCard, rich: DatasetManifest, fixed_clock: Clock
) -> None:
    """What cyclonedx-python-lib models survives its own deserializer (modelCard and data,
    which it does not model, are checked against the schema above)."""
    from cyclonedx.model.bom import Bom
    from cyclonedx.model.component import ComponentType

    matrix = build_compliance_matrix(rich)
    text = to_cyclonedx(rich_card, manifests=rich, compliance=matrix, clock=fixed_clock)
    bom = Bom.from_json(json.loads(text))  # type: ignore[attr-defined]
    assert bom.metadata.component is not None
    assert bom.metadata.component.type is ComponentType.MACHINE_LEARNING_MODEL
    assert str(bom.serial_number) == json.loads(text)["serialNumber"].removeprefix("urn:uuid:")
    by_name = {c.name: c for c in bom.components}
    web = by_name["web-2024"]
    assert web.type is ComponentType.DATA
    digests = {f.name: next(iter(f.hashes)).content for f in web.components}
    assert digests == {f.path: f.sha256 for f in rich.files_of("web-2024")}
    assert {str(d.ref) for d in bom.dependencies} >= {"model:rich-model"}
