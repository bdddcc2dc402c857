"""Opt-in intra-file digests: sharded SHA-256 (model-signing's layout) and threaded BLAKE3."""

from __future__ import annotations

import hashlib
import os
import pathlib

import pytest

from openmodel_gov.errors import ConfigError, FileAccessError
from openmodel_gov.manifests import ShardDigest, blake3_digest, sharded_sha256


@pytest.mark.parametrize("size", [0, 1, 999, 1000, 1001, 4500])
def test_shards_match_model_signing(tmp_path: pathlib.Path, size: int) -> None:
    data = os.urandom(size)
    path = tmp_path / "f.bin"
    path.write_bytes(data)
    shards = sharded_sha256(path, shard_size=1000, threads=3)
    assert shards[0].start == 0
    assert shards[-1].end == size
    for shard in shards:
        assert shard.sha256 == hashlib.sha256(data[shard.start : shard.end]).hexdigest()
    if size == 0:
        return
    io_mod = pytest.importorskip("model_signing._hashing.io")
    memory = pytest.importorskip("model_signing._hashing.memory")
    for shard in shards:
        theirs = io_mod.ShardedFileHasher(
            path, memory.SHA256(), start=shard.start, end=shard.end, shard_size=1000
        ).compute()
        assert theirs.digest_hex == shard.sha256
    assert shards[0].item_name("f.bin") == f"f.bin:0:{min(size, 1000)}"


def test_blake3_digest_matches_single_threaded(tmp_path: pathlib.Path) -> None:
    blake3 = pytest.importorskip("blake3")
    data = os.urandom(3 << 20)
    path = tmp_path / "f.bin"
    path.write_bytes(data)
    assert blake3_digest(path) == blake3.blake3(data).hexdigest()
    assert blake3_digest(path, threads=2) == blake3.blake3(data).hexdigest()


def test_bad_arguments_and_links(tmp_path: pathlib.Path) -> None:
    (tmp_path / "f").write_bytes(b"x")
    (tmp_path / "link").symlink_to(tmp_path / "f")
    with pytest.raises(ConfigError):
        sharded_sha256(tmp_path / "f", shard_size=0)
    with pytest.raises(ConfigError):
        sharded_sha256(tmp_path / "f", threads=0)
    with pytest.raises(ConfigError):
        blake3_digest(tmp_path / "f", threads=0)
    with pytest.raises(FileAccessError):
        sharded_sha256(tmp_path / "link")
    with pytest.raises(FileAccessError):
        sharded_sha256(tmp_path / "missing")
    assert ShardDigest(0, 1, "a" * 64).end == 1
