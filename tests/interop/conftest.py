"""Shared fixtures of the interop tests: the demo, the real cards, richer manifests, a clock."""

from __future__ import annotations

import socket
from datetime import datetime, timezone
from pathlib import Path

import pytest

from openmodel_gov.cards import ModelCard, load_card
from openmodel_gov.manifests import DatasetEntry, DatasetManifest, FileEntry, load_manifest

ROOT = Path(__file__).resolve().parents[2]
EXAMPLES = ROOT / "src" / "openmodel_gov" / "data" / "examples"
REAL_CARDS = sorted((ROOT / "tests" / "data" / "realworld" / "model_cards").glob("*__*.md"))
CROISSANTS = sorted((ROOT / "tests" / "data" / "interop" / "croissant").glob("*.json"))
T0 = datetime(2026, 1, 2, 3, 4, 5, tzinfo=timezone.utc)


def clock() -> datetime:
    return T0


@pytest.fixture
def no_network(monkeypatch: pytest.MonkeyPatch) -> None:
    """Any attempt to open a network connection fails the test."""

    def refuse(*args: object, **kwargs: object) -> None:
        raise AssertionError(f"network access attempted: {args!r}")

    monkeypatch.setattr(socket.socket, "connect", refuse)
    monkeypatch.setattr(socket, "create_connection", refuse)


@pytest.fixture
def demo_card() -> ModelCard:
    return load_card(EXAMPLES / "README.md")


@pytest.fixture
def demo_manifest() -> DatasetManifest:
    return load_manifest(EXAMPLES / "support-tickets.manifest.yaml")


def _hex(n: int) -> str:
    return f"{n:064x}"


def _entry(**data: object) -> DatasetEntry:
    return DatasetEntry.model_validate(data, strict=False)


def rich_manifest() -> DatasetManifest:
    """Three datasets of different kinds, every optional fact stated somewhere."""
    crawl = _entry(
        name="web-2024",
        version="2024.10",
        source={"url": "https://example.org/crawl", "organization": "Example Crawl"},
        source_kind="web-crawl",
        license="CC-BY-4.0 AND ODC-By-1.0",
        description="Filtered web pages in English and German.",
        paths=["web"],
        filtering=["language id", "url blocklist"],
        preprocessing=["deduplication (MinHash)"],
        intended_purpose="pre-training",
        use_restrictions=["no re-identification"],
        collection_period={"start": "2023-01", "end": "2024-09-30"},
        languages=["en", "de"],
        modalities=["text"],
        size={"tokens": 1_000_000, "records": 2000},
        jurisdictions=["EU", "US"],
        data_categories=["personal"],
        tdm_optout_honored=True,
        tdm_optout_notes="robots.txt and TDMRep honored at crawl time",
        pii_summary={
            "records_scanned": 2000,
            "records_with_pii": 12,
            "counts_by_entity": {"EMAIL_ADDRESS": 9, "PHONE_NUMBER": 3},
            "redacted": True,
        },
        deidentified="pseudonymized",
        changelog=[{"version": "2024.10", "date": "2024-10-01", "summary": "first release"}],
    )
    licensed = _entry(
        name="news-archive",
        version="3",
        source={"organization": "Newswire Ltd"},
        source_kind="licensed",
        license="LicenseRef-newswire-commercial",
        paths=["news"],
        modalities=["text"],
        data_categories=["none"],
    )
    synthetic = _entry(
        name="synthetic-dialogues",
        version="1.0.0",
        source_kind="synthetic",
        synthetic=True,
        synthetic_generator="Llama-3.1-70B-Instruct",
        license="hf:llama3.1",
        paths=["synth"],
        modalities=["text", "code"],
        tdm_optout_honored=False,
    )
    files = [
        FileEntry(path="web/part-0001.jsonl", size=1000, sha256=_hex(1)),
        FileEntry(path="web/part-0002.jsonl", size=2000, sha256=_hex(2)),
        FileEntry(path="web/meta/index.parquet", size=50, sha256=_hex(3)),
        FileEntry(path="news/2024.tar.zst", size=4096, sha256=_hex(4)),
        FileEntry(path="synth/dialogues.json", size=77, sha256=_hex(5)),
        FileEntry(path="synth/README", size=7, sha256=_hex(6)),
    ]
    return DatasetManifest(datasets=(crawl, licensed, synthetic), files=tuple(files))


@pytest.fixture
def rich() -> DatasetManifest:
    return rich_manifest()


@pytest.fixture
def rich_card() -> ModelCard:
    return ModelCard.model_validate(
        {
            "name": "rich-model",
            "version": "2.0",
            "producer": "Example Lab <tag>",
            "release_date": "2025-03",
            "modality": "text",
            "architecture": "decoder-only transformer",
            "treatment": "instruct",
            "base_models": ["meta-llama/Llama-3.1-8B", "local base"],
            "base_model_relation": "finetune",
            "repository": "https://example.org/repo",
            "homepage": "https://example.org",
            "paper": "https://arxiv.org/abs/0000.00000",
            "weights_url": "https://huggingface.co/example/rich-model",
            "contact": "ai@example.org",
            "license": "hf:llama3.1",
            "license_link": "https://example.org/LICENSE",
            "datasets": ["example/web-2024", "HuggingFaceH4/ultrachat_200k"],
            "languages": ["en", "de"],
            "pipeline_tag": "text-generation",
            "tasks": ["text-generation", "summarization"],
            "eval_results": [
                {
                    "task_type": "text-generation",
                    "dataset_type": "cais/mmlu",
                    "dataset_name": "MMLU",
                    "dataset_split": "test",
                    "metric_type": "accuracy",
                    "metric_value": 0.61,
                },
                {
                    "task_type": "text-generation",
                    "dataset_type": "gsm8k",
                    "dataset_name": "GSM8K",
                    "metric_type": "exact_match",
                    "metric_name": "EM",
                    "metric_value": 42,
                },
            ],
            "intended_use": "Research assistants <b>only</b>.",
            "out_of_scope_use": "Medical advice.",
            "limitations": "Hallucinates citations.",
            "bias_risks": "Over-represents English sources.",
            "training": {
                "hardware": "64 x H100",
                "energy_kwh": 12000.5,
                "co2_eq_kg": 4000,
                "training_flop": 1.2e22,
                "compute": "3 days",
                "location": "EU",
                "training_type": "supervised fine-tuning",
            },
        }
    )


@pytest.fixture(params=REAL_CARDS, ids=[p.stem for p in REAL_CARDS])
def real_card(request: pytest.FixtureRequest) -> ModelCard:
    path: Path = request.param
    return load_card(path)


@pytest.fixture
def fixed_clock() -> object:
    return clock


@pytest.fixture
def examples_dir() -> Path:
    return EXAMPLES


@pytest.fixture(params=CROISSANTS, ids=[p.stem for p in CROISSANTS])
def real_croissant(request: pytest.FixtureRequest) -> Path:
    path: Path = request.param
    return path
