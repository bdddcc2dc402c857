"""The package surface, lazy imports, and write_exports (what the audit attaches)."""

from __future__ import annotations

import json
import subprocess
import sys
from collections.abc import Callable
from datetime import datetime
from pathlib import Path

import openmodel_gov.interop as interop
from openmodel_gov.cards import ModelCard
from openmodel_gov.interop import write_exports
from openmodel_gov.manifests import DatasetManifest

Clock = Callable[[], datetime]

DOCUMENTED = {
    "BUNDLE_MEDIA_TYPE",
    "CROISSANT_VERSION",
    "CYCLONEDX_SPEC_VERSION",
    "MODEL_SIGNING_PREDICATE",
    "SPDX_VERSION",
    "ModelSignatureCheck",
    "SummaryField",
    "SummarySection",
    "TrainingContentSummary",
    "from_croissant",
    "sign_manifest_files",
    "sign_model_folder",
    "to_croissant",
    "to_cyclonedx",
    "to_spdx3",
    "training_content_summary",
    "verify_model_folder",
    "write_exports",
}


def test_public_surface() -> None:
    assert set(interop.__all__) == DOCUMENTED
    for name in interop.__all__:
        obj = getattr(interop, name)
        if callable(obj):
            assert obj.__module__ == "openmodel_gov.interop", name


def test_format_libraries_are_imported_lazily() -> None:
    code = (
        "import json, sys, openmodel_gov.interop; "
        "print(json.dumps(sorted(m.split('.')[0] for m in sys.modules)))"
    )
    out = subprocess.run(
        [sys.executable, "-c", code], check=True, capture_output=True, text=True
    ).stdout
    loaded = set(json.loads(out))
    assert not loaded & {
        "cyclonedx",
        "spdx_python_model",
        "mlcroissant",
        "cryptography",
        "model_signing",
        "jsonschema",
    }


def test_write_exports(
    demo_card: ModelCard, demo_manifest: DatasetManifest, tmp_path: Path, fixed_clock: Clock
) -> None:
    written = write_exports(tmp_path / "exports", demo_card, [demo_manifest], clock=fixed_clock)
    assert sorted(written) == [
        "ai-act-summary-html",
        "ai-act-summary-md",
        "croissant:support-tickets-demo",
        "cyclonedx",
        "spdx3",
    ]
    assert all(p.is_file() for p in written.values())
    json.loads(written["croissant:support-tickets-demo"].read_text(encoding="utf-8"))
    again = write_exports(tmp_path / "again", demo_card, demo_manifest, clock=fixed_clock)
    for kind, path in written.items():
        assert path.read_bytes() == again[kind].read_bytes(), kind


def test_names_that_slug_alike_keep_distinct_ids(fixed_clock: Clock) -> None:
    from openmodel_gov.interop import to_cyclonedx, to_spdx3
    from openmodel_gov.manifests import DatasetEntry

    entries = tuple(
        DatasetEntry(name=n, version="1", source_kind="other", license="MIT") for n in (":", ";")
    )
    manifest = DatasetManifest(datasets=entries, files=())
    card = ModelCard(
        name="m", datasets=["org/data", "x/data", "X/DATA"], base_models=["a b", "a-b"]
    )
    bom = json.loads(to_cyclonedx(card, manifests=manifest, clock=fixed_clock))
    refs = [c["bom-ref"] for c in bom["components"]]
    assert len(refs) == len(set(refs)) == 2 + 2 + 2  # ":" ";" org/data x/data, two bases
    graph = json.loads(to_spdx3(card, manifests=manifest, clock=fixed_clock))["@graph"]
    ids = [n["spdxId"] for n in graph if "spdxId" in n]
    assert len(ids) == len(set(ids))
    names = {n.get("name") for n in graph if n.get("type") == "dataset_DatasetPackage"}
    assert names == {":", ";", "org/data", "x/data"}
