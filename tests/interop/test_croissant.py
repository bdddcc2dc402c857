"""Croissant 1.1 + RAI: validated offline by mlcroissant (0 errors), read back with from_croissant."""

from __future__ import annotations

import json
import logging
from pathlib import Path
from typing import Any

import mlcroissant as mlc
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from openmodel_gov.errors import InputError
from openmodel_gov.interop import from_croissant, to_croissant
from openmodel_gov.manifests import DatasetEntry, DatasetManifest, FileEntry

pytestmark = [
    pytest.mark.usefixtures("no_network"),
    # rdflib (under mlcroissant) warns about its own API, not about our documents
    pytest.mark.filterwarnings("ignore:ConjunctiveGraph is deprecated:DeprecationWarning"),
]


def validate(doc: dict[str, Any]) -> mlc.Dataset:
    """mlcroissant's static analysis: raises on errors; we also require its error list empty."""
    logging.getLogger("absl").setLevel(logging.ERROR)
    dataset = mlc.Dataset(jsonld=doc)
    assert not dataset.metadata.ctx.issues.errors
    return dataset


def test_demo_is_valid(demo_manifest: DatasetManifest) -> None:
    doc = json.loads(to_croissant(demo_manifest))
    md = validate(doc).metadata
    assert doc["conformsTo"][0] == "http://mlcommons.org/croissant/1.1"
    assert md.license == ["https://spdx.org/licenses/CC-BY-4.0.html"]
    assert {f.name: f.sha256 for f in md.distribution} == {
        f.path: f.sha256 for f in demo_manifest.files
    }
    assert md.personal_sensitive_information
    assert "EMAIL_ADDRESS: 1" in md.personal_sensitive_information[0]
    assert md.data_use_cases == ["fine-tuning a helpdesk reply model"]
    assert md.data_collection_type == ["Software Collection"]


def test_rich_datasets_are_valid(rich: DatasetManifest) -> None:
    for entry in rich.datasets:
        doc = json.loads(to_croissant(rich, dataset=entry.name))
        md = validate(doc).metadata
        assert [f.name for f in md.distribution] == [f.path for f in rich.files_of(entry.name)]
    web = validate(json.loads(to_croissant(rich, dataset="web-2024"))).metadata
    assert web.license == [
        "https://spdx.org/licenses/CC-BY-4.0.html",
        "https://spdx.org/licenses/ODC-By-1.0.html",
    ]
    assert [d.date().isoformat() for d in web.data_collection_timeframe] == [
        "2023-01-01",
        "2024-09-30",
    ]
    assert web.data_preprocessing_protocol == [
        "deduplication (MinHash)",
        "filter: language id",
        "filter: url blocklist",
    ]
    assert web.data_limitations == ["no re-identification"]
    assert "first release" in web.data_release_maintenance_plan
    assert web.in_language == ["en", "de"]
    synth = json.loads(to_croissant(rich, dataset="synthetic-dialogues"))
    assert synth["license"] == ["LicenseRef-openmodel-llama-3.1"]
    formats = {d["name"]: d["encodingFormat"] for d in synth["distribution"]}
    assert formats == {
        "synth/README": "application/octet-stream",
        "synth/dialogues.json": "application/json",
    }


def test_file_sets_for_big_manifests(rich: DatasetManifest) -> None:
    doc = json.loads(to_croissant(rich, dataset="web-2024", max_file_objects=1))
    validate(doc)
    assert [d["includes"] for d in doc["distribution"]] == ["web/**/*.jsonl", "web/**/*.parquet"]
    assert all(d["@type"] == "cr:FileSet" for d in doc["distribution"])


def test_dataset_must_be_named_when_there_are_several(rich: DatasetManifest) -> None:
    with pytest.raises(InputError, match="pass dataset=NAME"):
        to_croissant(rich)
    with pytest.raises(InputError, match="no dataset named"):
        to_croissant(rich, dataset="nope")
    with pytest.raises(InputError, match="needs a DatasetManifest"):
        to_croissant("manifest.yaml")  # type: ignore[arg-type]


def test_deterministic(rich: DatasetManifest) -> None:
    assert to_croissant(rich, dataset="news-archive") == to_croissant(rich, dataset="news-archive")


def test_round_trip(rich: DatasetManifest) -> None:
    entry = rich.dataset("web-2024")
    back = from_croissant(json.loads(to_croissant(rich, dataset="web-2024")))
    assert (back.name, back.version, back.source_kind, back.license) == (
        entry.name,
        entry.version,
        "web-crawl",
        "CC-BY-4.0 AND ODC-By-1.0",
    )
    assert back.source == entry.source
    assert back.languages == entry.languages
    assert back.intended_purpose == entry.intended_purpose
    assert back.use_restrictions == entry.use_restrictions
    assert entry.collection_period is not None
    expected = entry.collection_period.model_copy(update={"start": "2023-01-01"})
    assert back.collection_period == expected


def test_real_croissant_files(real_croissant: Path) -> None:
    doc = json.loads(real_croissant.read_text(encoding="utf-8"))
    validate(doc)  # the validator set-up accepts the format's own examples
    entry = from_croissant(real_croissant, license_fallback="LicenseRef-unknown")
    assert entry.name
    assert entry.license


def test_real_croissant_mappings(real_croissant: Path) -> None:
    expected = {
        "1.0_dices-350": ("DICES-350_dataset", "CC-BY-SA-4.0"),
        "1.0_bigcode-the-stack": (None, None),  # license "other": not readable without a fallback
        "1.1_huggingface-mnist-from-main-branch": ("mnist", "MIT"),
        "1.1_minimal_multilingual": ("minimal_example_with_multilingual_descriptions", "CC-BY-4.0"),
        "1.1_huggingface-baratilab-flow3d": (None, None),  # no license stated
    }[real_croissant.stem]
    if expected[0] is None:
        with pytest.raises(InputError, match="license_fallback"):
            from_croissant(real_croissant)
    else:
        entry = from_croissant(real_croissant)
        assert (entry.name, entry.license) == expected


def test_from_croissant_refuses_what_is_not_a_dataset(tmp_path: Path) -> None:
    with pytest.raises(InputError, match="not a Croissant dataset"):
        from_croissant({"@type": "sc:Person", "name": "x"})
    with pytest.raises(InputError, match="has no name"):
        from_croissant({"@type": "sc:Dataset", "license": "MIT"})
    bad = tmp_path / "list.json"
    bad.write_text("[1, 2]", encoding="utf-8")
    with pytest.raises(InputError, match="JSON object"):
        from_croissant(bad)
    odd = {"@type": "sc:Dataset", "name": "x", "license": "MIT", "inLanguage": ["not a tag!"]}
    with pytest.raises(InputError, match="does not map"):
        from_croissant(odd)


_text = st.text(
    st.characters(codec="utf-8", exclude_categories=("Cs", "Cc")), min_size=1, max_size=30
).filter(lambda t: t.strip() == t and bool(t))
_lang = st.sampled_from(["en", "de", "pt-BR", "zh-Hant", "fr"])


@st.composite
def entries(draw: st.DrawFn) -> DatasetEntry:
    return DatasetEntry.model_validate(
        {
            "name": draw(_text),
            "version": draw(_text),
            "source_kind": draw(st.sampled_from(["web-crawl", "public-dataset", "user-data"])),
            "license": draw(
                st.sampled_from(["MIT", "CC-BY-4.0", "Apache-2.0 AND CC0-1.0", "hf:openrail"])
            ),
            "description": draw(st.none() | _text),
            "intended_purpose": draw(st.none() | _text),
            "use_restrictions": draw(st.lists(_text, max_size=3, unique=True)),
            "preprocessing": draw(st.lists(_text, max_size=3, unique=True)),
            "languages": draw(st.lists(_lang, max_size=3, unique=True)),
            "source": {
                "url": draw(st.none() | st.just("https://example.org/d")),
                "organization": draw(st.none() | _text),
            },
        },
        strict=False,
    )


@settings(max_examples=25, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(entry=entries(), sizes=st.lists(st.integers(0, 10**12), min_size=0, max_size=4))
def test_any_entry_exports_valid_and_reads_back(entry: DatasetEntry, sizes: list[int]) -> None:
    files = [FileEntry(path=f"d/f{i}.bin", size=s, sha256=f"{i:064x}") for i, s in enumerate(sizes)]
    manifest = DatasetManifest(datasets=(entry,), files=tuple(files))
    doc = json.loads(to_croissant(manifest))
    validate(doc)
    back = from_croissant(doc)
    assert (back.name, back.version, back.source_kind) == (
        entry.name,
        entry.version,
        entry.source_kind,
    )
    assert back.license_normalized == entry.license_normalized
    assert back.description == (entry.description or back.description)
    assert back.preprocessing == entry.preprocessing
    assert back.use_restrictions == entry.use_restrictions
    assert back.languages == entry.languages
    assert back.intended_purpose == entry.intended_purpose
    assert back.source == entry.source


_json = st.recursive(
    st.none() | st.booleans() | st.integers() | st.text(max_size=10),
    lambda inner: (
        st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=8), inner, max_size=3)
    ),
    max_leaves=10,
)


@settings(max_examples=200)
@given(
    doc=st.fixed_dictionaries(
        {"@type": st.sampled_from(["sc:Dataset", "Dataset", "x"])},
        optional={
            "name": _json,
            "license": _json,
            "version": _json,
            "inLanguage": _json,
            "creator": _json,
            "url": _json,
            "description": _json,
            "rai:dataCollectionType": _json,
            "rai:dataCollectionTimeframe": _json,
            "rai:dataUseCases": _json,
        },
    )
)
def test_from_croissant_never_fails_otherwise(doc: dict[str, Any]) -> None:
    try:
        entry = from_croissant(doc, license_fallback="MIT")
    except InputError:
        return
    assert entry.name


def test_layout_is_plain_json_whatever_the_values(demo_manifest: DatasetManifest) -> None:
    entry = demo_manifest.datasets[0].model_copy(update={"description": "\x00distribution\x00"})
    manifest = demo_manifest.with_dataset(entry)
    text = to_croissant(manifest)
    doc = json.loads(text)
    assert doc["description"] == "\x00distribution\x00"
    assert len(doc["distribution"]) == 2
    compact = json.loads(to_croissant(demo_manifest, indent=None))
    assert compact == json.loads(to_croissant(demo_manifest))
    one_line = to_croissant(demo_manifest).splitlines()
    assert sum(1 for line in one_line if '"@type": "cr:FileObject"' in line) == 2
