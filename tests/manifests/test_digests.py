"""Opt-in per-file digests recorded in a manifest: sharded SHA-256 and BLAKE3."""

from __future__ import annotations

import hashlib
import json
import os
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from openmodel_gov.errors import ConfigError, SchemaValidationError
from openmodel_gov.manifests import (
    DatasetEntry,
    Sha256Engine,
    build_manifest,
    diff_manifests,
    load_manifest,
    manifest_json_schema,
    parse_manifest,
    sharded_sha256,
    verify_manifest,
)
from openmodel_gov.manifests._shards import ShardedSha256Engine, digest_engine

ENTRY = DatasetEntry(name="d", version="1", source_kind="other", license="MIT")
SIZES = {"empty.bin": 0, "one.bin": 999, "exact.bin": 1000, "sub/three.bin": 2500}


@pytest.fixture
def tree(tmp_path: Path) -> Path:
    root = tmp_path / "root"
    for rel, size in SIZES.items():
        (root / rel).parent.mkdir(parents=True, exist_ok=True)
        (root / rel).write_bytes(os.urandom(size))
    return root


def _hash_list(path: Path, shard_size: int) -> str:
    """The sharded digest recomputed from the shards alone (an empty file has none)."""
    if path.stat().st_size == 0:
        return hashlib.sha256(b"").hexdigest()
    shards = sharded_sha256(path, shard_size=shard_size)
    return hashlib.sha256(b"".join(bytes.fromhex(s.sha256) for s in shards)).hexdigest()


def test_default_manifest_is_unchanged(tree: Path) -> None:
    manifest = build_manifest(tree, datasets=[ENTRY], progress=False)
    data = manifest.to_dict()
    assert data["hash_algorithm"] == "sha256"
    assert "shard_size" not in data
    for f in manifest.files:
        assert f.sha256 == hashlib.sha256((tree / f.path).read_bytes()).hexdigest()
    lines = "".join(f"{f.sha256}  {f.path}\n" for f in manifest.files)
    assert manifest.snapshot_digest == hashlib.sha256(lines.encode()).hexdigest()


@pytest.mark.parametrize("layout", ["rows", "columns", "yaml"])
def test_sharded_round_trip_and_verify(tree: Path, tmp_path: Path, layout: str) -> None:
    manifest = build_manifest(
        tree, datasets=[ENTRY], progress=False, digest="sha256-sharded", shard_size=1000
    )
    assert manifest.hash_algorithm == "sha256-sharded"
    assert manifest.shard_size == 1000
    for f in manifest.files:
        assert f.sha256 == _hash_list(tree / f.path, 1000)
    target = tmp_path / ("m.yaml" if layout == "yaml" else "m.json")
    manifest.save(target, layout="rows" if layout == "yaml" else layout)  # type: ignore[arg-type]
    loaded = load_manifest(target)
    assert loaded == manifest
    assert verify_manifest(loaded, tree, progress=False).ok


def test_sharded_digest_is_a_hash_list_of_model_signing_shards(tree: Path) -> None:
    io_mod = pytest.importorskip("model_signing._hashing.io")
    memory = pytest.importorskip("model_signing._hashing.memory")
    manifest = build_manifest(
        tree, datasets=[ENTRY], progress=False, digest="sha256-sharded", shard_size=1000
    )
    entry = next(f for f in manifest.files if f.path == "sub/three.bin")
    path = tree / "sub" / "three.bin"
    theirs = [
        io_mod.ShardedFileHasher(
            path, memory.SHA256(), start=start, end=min(start + 1000, 2500), shard_size=1000
        )
        .compute()
        .digest_value
        for start in range(0, 2500, 1000)
    ]
    assert entry.sha256 == hashlib.sha256(b"".join(theirs)).hexdigest()


def test_blake3_round_trip_verify_and_tamper(tree: Path, tmp_path: Path) -> None:
    blake3 = pytest.importorskip("blake3")
    manifest = build_manifest(tree, datasets=[ENTRY], progress=False, digest="blake3")
    assert manifest.hash_algorithm == "blake3"
    for f in manifest.files:
        assert f.sha256 == blake3.blake3((tree / f.path).read_bytes()).hexdigest()
    manifest.save(tmp_path / "m.json", layout="columns")
    loaded = load_manifest(tmp_path / "m.json")
    assert loaded == manifest
    assert verify_manifest(loaded, tree, progress=False).ok
    data = bytearray((tree / "one.bin").read_bytes())
    data[10] ^= 1
    (tree / "one.bin").write_bytes(bytes(data))
    (tree / "exact.bin").unlink()
    (tree / "new.bin").write_bytes(b"new")
    report = verify_manifest(loaded, tree, progress=False)
    assert report.changed == ["one.bin"]
    assert report.missing == ["exact.bin"]
    assert report.added == ["new.bin"]
    assert report.finding("new.bin").found_sha256 == blake3.blake3(b"new").hexdigest()


def test_sharded_tamper_in_a_later_shard_is_found(tree: Path) -> None:
    manifest = build_manifest(
        tree, datasets=[ENTRY], progress=False, digest="sha256-sharded", shard_size=1000
    )
    path = tree / "sub" / "three.bin"
    data = bytearray(path.read_bytes())
    data[2400] ^= 0xFF
    path.write_bytes(bytes(data))
    assert verify_manifest(manifest, tree, progress=False).changed == ["sub/three.bin"]


def _manifest_json(**header: object) -> str:
    sha = hashlib.sha256(b"x").hexdigest()
    data = {
        "format": "openmodel-gov/dataset-manifest/v1",
        **header,
        "datasets": [{"name": "d", "version": "1", "source_kind": "other", "license": "MIT"}],
        "files": [{"path": "a", "size": 1, "sha256": sha}],
    }
    return json.dumps(data)


@pytest.mark.parametrize(
    ("header", "needle"),
    [
        ({"hash_algorithm": "md5"}, "hash_algorithm"),
        ({"hash_algorithm": "sha256", "shard_size": 1000}, "shard_size"),
        ({"hash_algorithm": "sha256-sharded"}, "shard_size"),
        ({"hash_algorithm": "sha256-sharded", "shard_size": 0}, "shard_size"),
        ({"hash_algorithm": "blake3", "shard_size": 10}, "shard_size"),
    ],
)
def test_new_header_fields_are_validated(header: dict[str, object], needle: str) -> None:
    with pytest.raises(SchemaValidationError) as info:
        parse_manifest(_manifest_json(**header), format="json")
    assert needle in str(info.value)


def test_published_schema_knows_the_new_fields(tree: Path, tmp_path: Path) -> None:
    jsonschema = pytest.importorskip("jsonschema")
    schema = manifest_json_schema()
    manifest = build_manifest(
        tree, datasets=[ENTRY], progress=False, digest="sha256-sharded", shard_size=1000
    )
    manifest.save(tmp_path / "m.json")
    jsonschema.validate(json.loads((tmp_path / "m.json").read_text()), schema)
    bad = json.loads(_manifest_json(hash_algorithm="md5"))
    with pytest.raises(jsonschema.ValidationError):
        jsonschema.validate(bad, schema)


def test_mixed_algorithms_give_typed_errors(tree: Path, tmp_path: Path) -> None:
    plain = build_manifest(tree, datasets=[ENTRY], progress=False)
    sharded = build_manifest(
        tree, datasets=[ENTRY], progress=False, digest="sha256-sharded", shard_size=1000
    )
    other_size = build_manifest(
        tree, datasets=[ENTRY], progress=False, digest="sha256-sharded", shard_size=2000
    )
    with pytest.raises(ConfigError, match="cannot compare") as info:
        diff_manifests(plain, sharded)
    assert info.value.field == "hash_algorithm"
    with pytest.raises(ConfigError, match="shard_size 2000"):
        diff_manifests(sharded, other_size)
    assert diff_manifests(sharded, sharded).unchanged
    with pytest.raises(ConfigError, match="engine computes"):
        verify_manifest(sharded, tree, progress=False, engine=Sha256Engine())
    with pytest.raises(ConfigError, match="cache= works with sha256"):
        verify_manifest(sharded, tree, progress=False, cache=tmp_path / "c.json")
    with pytest.raises(ConfigError, match="object stores"):
        verify_manifest(sharded, "s3://bucket/x", progress=False)


@pytest.mark.parametrize(
    "options",
    [
        {"digest": "md5"},
        {"digest": "sha256", "shard_size": 10},
        {"digest": "blake3", "shard_size": 10},
        {"digest": "sha256-sharded", "shard_size": 0},
        {"digest": "blake3", "blake3": True},
        {"digest": "blake3", "engine": Sha256Engine()},
        {"digest": "sha256-sharded", "cache": "c.json"},
    ],
)
def test_bad_digest_options_are_config_errors(tree: Path, options: dict[str, object]) -> None:
    with pytest.raises(ConfigError):
        build_manifest(tree, datasets=[ENTRY], progress=False, **options)  # type: ignore[arg-type]


def test_digest_on_an_object_store_url_is_refused() -> None:
    with pytest.raises(ConfigError, match="object-store URL"):
        build_manifest("s3://bucket/prefix", datasets=[ENTRY], progress=False, digest="blake3")


def test_digest_engine_names() -> None:
    assert digest_engine("sha256").algorithm == "sha256"
    assert digest_engine("sha256-sharded").algorithm == "sha256-sharded"
    with pytest.raises(ConfigError, match="unknown digest"):
        digest_engine("crc32")


@settings(
    max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(data=st.binary(max_size=3000), shard_size=st.integers(min_value=1, max_value=1200))
def test_sharded_engine_is_the_hash_list_of_its_shards(
    tmp_path: Path, data: bytes, shard_size: int
) -> None:
    path = tmp_path / "f.bin"
    path.write_bytes(data)
    fd = os.open(path, os.O_RDONLY)
    try:
        got = ShardedSha256Engine(shard_size=shard_size, threads=2).hash_fd(fd, size_hint=0)
    finally:
        os.close(fd)
    parts = [data[i : i + shard_size] for i in range(0, len(data), shard_size)]
    expected = hashlib.sha256(b"".join(hashlib.sha256(p).digest() for p in parts)).hexdigest()
    assert got.sha256 == expected
    assert got.size == len(data)


def test_sharded_default_shard_size_is_model_signings(tree: Path) -> None:
    manifest = build_manifest(tree, datasets=[ENTRY], progress=False, digest="sha256-sharded")
    assert manifest.shard_size == 1_000_000_000
    one = next(f for f in manifest.files if f.path == "one.bin")
    assert one.sha256 == _hash_list(tree / "one.bin", 1_000_000_000)
