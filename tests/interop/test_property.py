"""Hypothesis: any card and manifest the library accepts exports to valid documents."""

from __future__ import annotations

import functools
import json
import logging
import warnings
from collections.abc import Callable
from datetime import datetime
from pathlib import Path

import jsonschema
import mlcroissant as mlc
from cyclonedx.schema import SchemaVersion
from cyclonedx.validation.json import JsonStrictValidator
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from spdx_python_model import v3_0_1 as spdx

from openmodel_gov.cards import ModelCard
from openmodel_gov.interop import to_croissant, to_cyclonedx, to_spdx3, training_content_summary
from openmodel_gov.manifests import DatasetEntry, DatasetManifest, FileEntry

Clock = Callable[[], datetime]
SPDX_SCHEMA = (
    Path(__file__).resolve().parents[1] / "data" / "interop" / "spdx-3.0.1-json-schema.json"
)


@functools.cache
def _spdx_validator() -> jsonschema.Draft202012Validator:
    return jsonschema.Draft202012Validator(json.loads(SPDX_SCHEMA.read_text(encoding="utf-8")))


_text = st.text(
    st.characters(codec="utf-8", exclude_categories=("Cs", "Cc")), min_size=1, max_size=20
).filter(lambda t: t.strip() == t and bool(t))
_names = st.one_of(
    _text, st.sampled_from(["org/data", "org data", "org-data", "a b", "a-b", "a/b"])
)
_licenses = st.sampled_from(
    [
        "MIT",
        "hf:llama3.1",
        "Apache-2.0 OR MIT",
        "CC-BY-NC-4.0",
        "hf:other",
        "see LICENSE",
        "GPL-2.0+",
    ]
)
_paths = st.lists(
    st.text(st.sampled_from("abcxyz_.-é"), min_size=1, max_size=6).filter(
        lambda p: p not in {".", ".."}
    ),
    min_size=1,
    max_size=3,
).map("/".join)


@st.composite
def cards(draw: st.DrawFn) -> ModelCard:
    evals = draw(
        st.lists(
            st.fixed_dictionaries(
                {
                    "task_type": _text,
                    "dataset_type": _names,
                    "dataset_name": _text,
                    "metric_type": _text,
                    "metric_value": st.one_of(st.floats(allow_nan=False), st.integers(), _text),
                }
            ),
            max_size=3,
        )
    )
    return ModelCard.model_validate(
        {
            "name": draw(_text),
            "license": draw(st.none() | _licenses),
            "producer": draw(st.none() | _text),
            "base_models": draw(st.lists(_names, max_size=3, unique=True)),
            "datasets": draw(st.lists(_names, max_size=4, unique=True)),
            "eval_results": evals,
            "intended_use": draw(st.none() | _text),
            "limitations": draw(st.none() | _text),
            "training": {"energy_kwh": draw(st.none() | st.floats(0, 1e9))},
        }
    )


@st.composite
def manifests(draw: st.DrawFn) -> DatasetManifest:
    names = draw(st.lists(_names, min_size=1, max_size=3, unique=True))
    kinds = st.sampled_from(["web-crawl", "licensed", "public-dataset", "user-data", "other"])
    datasets = tuple(
        DatasetEntry.model_validate(
            {
                "name": n,
                "version": draw(_text),
                "source_kind": draw(kinds),
                "license": draw(_licenses.filter(lambda x: x != "see LICENSE")),
                "data_categories": draw(st.sampled_from([[], ["none"], ["personal", "health"]])),
            },
            strict=False,
        )
        for n in names
    )
    paths = draw(st.lists(_paths, max_size=5, unique=True))
    files = tuple(FileEntry(path=p, size=i, sha256=f"{i:064x}") for i, p in enumerate(paths))
    return DatasetManifest(datasets=datasets, files=files)


@settings(max_examples=25, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(card=cards(), manifest=manifests())
def test_any_card_and_manifest_export_validly(
    card: ModelCard, manifest: DatasetManifest, fixed_clock: Clock
) -> None:
    bom = to_cyclonedx(card, manifests=[manifest], clock=fixed_clock)
    errors = JsonStrictValidator(SchemaVersion.V1_6).validate_str(bom, all_errors=True)
    assert errors is None, [str(e) for e in errors]
    refs = [c["bom-ref"] for c in json.loads(bom).get("components", [])]
    assert len(refs) == len(set(refs))
    doc = to_spdx3(card, manifests=[manifest], clock=fixed_clock)
    objects = spdx.SHACLObjectSet()
    spdx.JSONLDDeserializer().deserialize_data(json.loads(doc), objects)
    assert not objects.missing_ids
    assert not list(_spdx_validator().iter_errors(json.loads(doc)))
    ids = [n["spdxId"] for n in json.loads(doc)["@graph"] if "spdxId" in n]
    assert len(ids) == len(set(ids))
    summary = training_content_summary(card, [manifest])
    assert len(summary.sections) == 12


@settings(max_examples=10, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(manifest=manifests())
def test_any_manifest_exports_valid_croissant(manifest: DatasetManifest, no_network: None) -> None:
    logging.getLogger("absl").setLevel(logging.ERROR)
    for entry in manifest.datasets:
        doc = json.loads(to_croissant(manifest, dataset=entry.name))
        with warnings.catch_warnings():
            warnings.filterwarnings("ignore", "ConjunctiveGraph is deprecated", DeprecationWarning)
            dataset = mlc.Dataset(jsonld=doc)
        assert not dataset.metadata.ctx.issues.errors


def test_a_card_with_an_infinite_metric_still_exports(fixed_clock: Clock) -> None:
    """A metric read as ``.inf`` from YAML has no JSON form; the export's content-derived serial
    number must not depend on one (found by the property test above)."""
    card = ModelCard.model_validate(
        {"name": "m", "eval_results": [{"task_type": "t", "dataset_type": "d", "dataset_name": "d",
                                        "metric_type": "loss", "metric_value": float("inf")}]}
    )  # fmt: skip
    bom = to_cyclonedx(card, clock=fixed_clock)
    assert json.loads(bom)["serialNumber"].startswith("urn:uuid:")
    assert to_spdx3(card, clock=fixed_clock)
