"""Hypothesis properties for the manifest loader, the path rules and build/verify."""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import tempfile
import time
from pathlib import Path
from typing import Any

from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from openmodel_gov.errors import InputError, OpenModelGovError, UnsafePathError
from openmodel_gov.manifests import (
    DatasetEntry,
    DatasetManifest,
    FileEntry,
    build_manifest,
    load_manifest,
    verify_manifest,
)
from openmodel_gov.manifests import _cache as cache_mod
from openmodel_gov.manifests import _scan as scan_mod
from openmodel_gov.manifests._paths import path_problem

FAST = settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])

segment = st.text(
    alphabet=st.characters(blacklist_categories=("Cs", "Cc"), blacklist_characters="/\\"),
    min_size=1,
    max_size=12,
).filter(lambda s: s not in (".", ".."))
safe_path = (
    st.lists(segment, min_size=1, max_size=4)
    .map("/".join)
    .filter(lambda p: path_problem(p) is None)
)
digest = st.binary(min_size=0, max_size=16).map(lambda b: hashlib.sha256(b).hexdigest())
file_entry = st.builds(FileEntry, path=safe_path, size=st.integers(0, 2**40), sha256=digest)


def _load_text(text: str, suffix: str) -> DatasetManifest:
    with tempfile.TemporaryDirectory() as folder:
        p = Path(folder) / f"m{suffix}"
        p.write_text(text, encoding="utf-8")
        return load_manifest(p)


@FAST
@given(text=st.text(max_size=400), suffix=st.sampled_from([".yaml", ".json"]))
def test_loader_never_crashes_on_arbitrary_text(text: str, suffix: str) -> None:
    with contextlib.suppress(OpenModelGovError):
        _load_text(text, suffix)


json_value = st.recursive(
    st.none() | st.booleans() | st.integers() | st.text(max_size=8),
    lambda inner: (
        st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=6), inner, max_size=3)
    ),
    max_leaves=10,
)


@FAST
@given(
    paths=st.lists(st.text(max_size=20), min_size=1, max_size=4),
    extra=st.dictionaries(st.sampled_from(["format", "excluded", "datasets"]), json_value),
)
def test_loader_refuses_every_unsafe_path(paths: list[str], extra: dict[str, Any]) -> None:
    doc: dict[str, Any] = {
        "datasets": [{"name": "d", "version": "1", "source_kind": "other", "license": "MIT"}],
        "files": [{"path": p, "size": 1, "sha256": "0" * 64} for p in paths],
        **extra,
    }
    try:
        manifest = _load_text(json.dumps(doc), ".json")
    except UnsafePathError:
        assert any(path_problem(p) for p in paths) or len(set(paths)) < len(paths)
        return
    except InputError:
        return
    loaded = [f.path for f in manifest.files]
    assert sorted(loaded) == sorted(paths)
    for p in loaded:
        assert path_problem(p) is None
        assert not p.startswith("/")
        assert ".." not in p.split("/")
        assert "\x00" not in p


@FAST
@given(
    files=st.lists(file_entry, max_size=8, unique_by=lambda f: f.path),
    suffix=st.sampled_from([".yaml", ".json"]),
    data=st.data(),
)
def test_save_load_round_trip_and_order_independence(
    files: list[FileEntry], suffix: str, data: st.DataObject
) -> None:
    entry = DatasetEntry(name="d", version="1", source_kind="other", license="Apache-2.0")
    manifest = DatasetManifest(datasets=(entry,), files=tuple(files))
    shuffled = data.draw(st.permutations(files))
    assert DatasetManifest(datasets=(entry,), files=tuple(shuffled)) == manifest
    with tempfile.TemporaryDirectory() as folder:
        p = Path(folder) / f"m{suffix}"
        manifest.save(p)
        assert load_manifest(p) == manifest


@settings(max_examples=15, deadline=None)
@given(
    contents=st.dictionaries(
        st.text(alphabet="abcxyz_", min_size=1, max_size=6),
        st.binary(max_size=300),
        min_size=1,
        max_size=6,
    ),
    flip=st.integers(min_value=0),
)
def test_any_single_byte_flip_is_detected(contents: dict[str, bytes], flip: int) -> None:
    assume(any(contents.values()))
    with tempfile.TemporaryDirectory() as folder:
        root = Path(folder)
        for name, blob in contents.items():
            (root / name).write_bytes(blob)
        entry = DatasetEntry(name="d", version="1", source_kind="other", license="MIT")
        manifest = build_manifest(root, datasets=[entry], progress=False, workers=2)
        assert verify_manifest(manifest, root).ok
        victims = sorted(n for n, b in contents.items() if b)
        victim = victims[flip % len(victims)]
        flipped = bytearray(contents[victim])
        flipped[flip % len(flipped)] ^= 0x80
        (root / victim).write_bytes(bytes(flipped))
        assert verify_manifest(manifest, root).changed == [victim]


_names = st.sampled_from(["a", "b", "c.txt", "d/e", "d/f", "d/g/h", "i/j"])
_op = st.one_of(
    st.tuples(st.just("write"), _names, st.binary(max_size=40)),
    st.tuples(st.just("delete"), _names, st.none()),
    st.tuples(st.just("rename"), _names, _names),
    st.tuples(st.just("touch"), _names, st.none()),
)


def _apply(root: Path, op: tuple[str, str, object], clock: list[int]) -> None:
    kind, name, arg = op
    path = root / name
    clock[0] += 1_000_000  # a distinct mtime per write: no two versions share a stat key
    if kind == "write" and isinstance(arg, bytes) and not path.is_dir():
        with contextlib.suppress(NotADirectoryError, FileExistsError):
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_bytes(arg)
            os.utime(path, ns=(clock[0], clock[0]))
    elif kind == "delete" and path.is_file():
        path.unlink()
    elif kind == "rename" and isinstance(arg, str) and path.is_file():
        target = root / arg
        with contextlib.suppress(OSError):
            target.parent.mkdir(parents=True, exist_ok=True)
            path.rename(target)
    elif kind == "touch" and path.is_file():
        os.utime(path, ns=(clock[0], clock[0]))


@settings(max_examples=30, deadline=None)
@given(
    before=st.lists(st.tuples(st.just("write"), _names, st.binary(max_size=40)), max_size=6),
    steps=st.lists(st.lists(_op, max_size=3), min_size=1, max_size=4),
)
def test_cached_build_and_verify_agree_with_uncached_ones(
    before: list[tuple[str, str, object]], steps: list[list[tuple[str, str, object]]]
) -> None:
    entry = DatasetEntry(name="d", version="1", source_kind="other", license="MIT")
    clock = [1_500_000_000_000_000_000]

    def later() -> int:  # far ahead of every mtime and ctime: nothing is "racy"
        return time.time_ns() + 10**12

    with tempfile.TemporaryDirectory() as folder:
        root, cache = Path(folder) / "root", Path(folder) / "cache.json"
        root.mkdir()
        for op in before:
            _apply(root, op, clock)
        manifest = build_manifest(root, datasets=[entry], cache=cache, progress=False, clock=later)
        for step in steps:
            for op in step:
                _apply(root, op, clock)
            fresh = verify_manifest(manifest, root, progress=False)
            cached = verify_manifest(manifest, root, cache=cache, progress=False, clock=later)
            assert cached.findings == fresh.findings
            assert cached.found_snapshot_digest == fresh.found_snapshot_digest
            if fresh.ok:
                again = verify_manifest(manifest, root, cache=cache, progress=False, clock=later)
                assert again.ok
                assert again.files_hashed == 0
            rebuilt = build_manifest(
                root, datasets=[entry], cache=cache, progress=False, clock=later
            )
            assert rebuilt == build_manifest(root, datasets=[entry], progress=False)
            assert cache_mod.StatCache.open(cache, root=str(root)).paths() == [
                f.path for f in rebuilt.files
            ]


_tree_name = st.text(alphabet="abcXYZ _-.éü1", min_size=1, max_size=5).filter(
    lambda s: s not in (".", "..")
)


@settings(max_examples=40, deadline=None)
@given(paths=st.lists(st.lists(_tree_name, min_size=1, max_size=3), max_size=12))
def test_walk_lists_what_os_walk_lists(paths: list[list[str]]) -> None:
    with tempfile.TemporaryDirectory() as folder:
        root = Path(folder)
        for parts in paths:
            target = root.joinpath(*parts)
            with contextlib.suppress(OSError):  # a name already taken by a file or a folder
                target.parent.mkdir(parents=True, exist_ok=True)
                target.write_bytes(b"x")
        expected = {
            Path(d, n).relative_to(root).as_posix() for d, _, names in os.walk(root) for n in names
        }
        walk = scan_mod.walk_tree(str(root))
        assert walk.files.keys() == expected
        assert not walk.symlinks
        assert not walk.unsafe
        for prefix, found in walk.folders.items():
            assert found.names == sorted(found.names)
            assert len(found.keys) == 5 * len(found.names)
            for i, name in enumerate(found.names):
                st_ = os.lstat(root / (prefix + name))
                assert found.key(i) == (
                    st_.st_dev,
                    st_.st_ino,
                    st_.st_size,
                    st_.st_mtime_ns,
                    st_.st_ctime_ns,
                )
