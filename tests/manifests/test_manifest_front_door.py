"""Manifests through the bounded front door: big YAML loads, hostile YAML/JSON is a typed error."""

from __future__ import annotations

import hashlib
from pathlib import Path

import pytest

from openmodel_gov.errors import InputError, InputTooLargeError, OpenModelGovError, ParseError
from openmodel_gov.manifests import StatCacheWarning, load_manifest, parse_manifest
from openmodel_gov.manifests._cache import StatCache
from openmodel_gov.manifests._io import CHARS_PER_NODE, yaml_limits

HEAD = "datasets:\n- name: d\n  version: '1'\n  source_kind: other\n  license: MIT\nfiles:\n"


def _yaml_manifest(n: int) -> str:
    rows = "".join(
        f"- path: d{i % 7}/f{i:06d}.bin\n  size: {i}\n"
        f"  sha256: {hashlib.sha256(str(i).encode()).hexdigest()}\n"
        for i in range(n)
    )
    return HEAD + rows


def test_a_50000_file_yaml_manifest_loads() -> None:
    # 350,000 nodes: over the 250,000 of other YAML documents, which refused it before.
    text = _yaml_manifest(50_000)
    manifest = parse_manifest(text, source="big.yaml")
    assert len(manifest.files) == 50_000
    assert manifest.files[0].path == "d0/f000000.bin"


def test_a_big_yaml_manifest_loads_from_a_file(tmp_path: Path) -> None:
    path = tmp_path / "m.yaml"
    path.write_text(_yaml_manifest(40_000), encoding="utf-8")
    assert len(load_manifest(path).files) == 40_000


def test_the_node_budget_follows_the_size() -> None:
    assert yaml_limits(100).max_nodes == 250_000
    assert yaml_limits(40_000_000).max_nodes == 40_000_000 // CHARS_PER_NODE
    assert yaml_limits(100, max_chars=7).max_chars == 7


def test_a_tiny_nodes_yaml_is_refused_past_its_budget() -> None:
    # One node per 2 characters: twice the budget of a document that size.
    text = "files: [" + ",".join(["0"] * 600_000) + "]\n"
    with pytest.raises(InputTooLargeError, match="nodes"):
        parse_manifest(text, source="m.yaml")


def test_an_alias_bomb_in_a_big_manifest_is_still_refused() -> None:
    bomb = "a: &a [x, x, x, x, x, x, x, x, x, x]\n" + "".join(
        f"{c}: &{c} [*{p}, *{p}, *{p}, *{p}, *{p}, *{p}, *{p}, *{p}, *{p}, *{p}]\n"
        for p, c in zip("abcdefg", "bcdefgh", strict=True)
    )
    with pytest.raises(InputTooLargeError, match="alias"):
        parse_manifest(bomb + _yaml_manifest(2_000), source="m.yaml")


@pytest.mark.parametrize("fmt", ["yaml", "json"])
def test_deep_nesting_is_a_typed_error(fmt: str) -> None:
    text = '{"files": ' + "[" * 10_000 + "]" * 10_000 + "}"
    with pytest.raises(OpenModelGovError) as info:
        parse_manifest(text, source=f"m.{fmt}", format=fmt)  # type: ignore[arg-type]
    assert isinstance(info.value, ParseError)


def test_invalid_utf8_is_a_typed_error() -> None:
    with pytest.raises(ParseError):
        parse_manifest(b"datasets: []\nfiles: [\xff]\n", source="m.yaml")


def test_a_yaml_manifest_over_max_bytes_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "m.yaml"
    path.write_text(_yaml_manifest(10), encoding="utf-8")
    with pytest.raises(InputTooLargeError):
        load_manifest(path, max_bytes=100)


# --- the stat cache: parsed by the bounded front door ---------------------------------------

CACHE_PREFIX = '{"format":"openmodel-gov/stat-cache/v4","root":"/r","folders":'


@pytest.mark.parametrize(
    "content",
    [
        CACHE_PREFIX + "[" * 10_000 + "]" * 10_000 + "}",  # deep: ours, so rebuilt
        CACHE_PREFIX + '{"a/": 1, "a/": 2}}',  # duplicate key
        CACHE_PREFIX + "NaN}",
        CACHE_PREFIX + '{"a/": [',  # cut short
    ],
)
def test_a_damaged_cache_of_ours_is_ignored_with_a_warning(tmp_path: Path, content: str) -> None:
    path = tmp_path / "cache.json"
    path.write_text(content, encoding="utf-8")
    with pytest.warns(StatCacheWarning, match="not valid JSON"):
        cache = StatCache.open(path, root=str(tmp_path))
    assert cache.paths() == []


@pytest.mark.parametrize(
    "content",
    [
        b"[" * 10_000 + b"]" * 10_000,
        b'{"format": "openmodel-gov/stat-cache/v4", ' + b'"x": ' + b"[" * 10_000 + b"]" * 10_000,
        b'{"a": 1, "a": 2}',
        b"\xff\xfe{}",
    ],
)
def test_a_file_that_is_not_a_cache_is_a_typed_error(tmp_path: Path, content: bytes) -> None:
    path = tmp_path / "cache.json"
    path.write_bytes(content)
    with pytest.raises(InputError):
        StatCache.open(path, root=str(tmp_path))
    assert path.read_bytes() == content  # never overwritten
