"""Walking and hashing in worker processes (``_fanout``): same manifest, same findings."""

from __future__ import annotations

import hashlib
import os
from pathlib import Path
from typing import Any

import pytest

from openmodel_gov.errors import UnsafePathError
from openmodel_gov.manifests import (
    DatasetEntry,
    FileDigests,
    Sha256Engine,
    _fanout,
    build_manifest,
    verify_manifest,
)
from openmodel_gov.manifests import _build as build_mod
from openmodel_gov.manifests._fanout import FannedOut, fan_out_applies
from openmodel_gov.manifests._hashrun import HashFailure
from openmodel_gov.manifests._scan import Folder, WalkResult, walk_folders

ENTRY = DatasetEntry(name="d", version="1", source_kind="other", license="MIT")


@pytest.fixture
def small_limits(monkeypatch: pytest.MonkeyPatch) -> list[FannedOut | None]:
    """Fan out from 20 files on, slice folders of more than 7, walk 9 per task, large >= 700 B.

    Returns what each fan-out gave (``None``: no pool could be forked).
    """
    runs: list[FannedOut | None] = []
    real = _fanout.fan_out

    def spy(*args: Any, **kwargs: Any) -> FannedOut | None:
        out = real(*args, **kwargs)
        runs.append(out)
        return out

    monkeypatch.setattr(build_mod, "fan_out", spy)
    monkeypatch.setattr(build_mod, "PROCESS_MIN_FILES", 20)
    monkeypatch.setattr(_fanout, "FOLDER_HASH_MAX", 7)
    monkeypatch.setattr(_fanout, "WALK_BUDGET", 9)
    monkeypatch.setattr(_fanout, "SMALL_FILE", 700)
    return runs


def _tree(root: Path) -> None:
    for i in range(30):  # a big folder: sliced
        (root / "big").mkdir(exist_ok=True)
        (root / "big" / f"f{i:03d}.txt").write_bytes(os.urandom(50 + i))
    for d in range(12):  # many small folders, some nested
        sub = root / f"s{d:02d}" / ("inner" if d % 3 == 0 else "")
        sub.mkdir(parents=True, exist_ok=True)
        for j in range(3):
            (sub / f"x{j}.bin").write_bytes(os.urandom(10 * j))
    (root / "large.bin").write_bytes(os.urandom(5000))  # over the patched SMALL_FILE
    (root / "s00" / "médaille.txt").write_text("ü\n", encoding="utf-8")
    (root / "a-b").write_text("sorts between 'a/...' and 'a0'\n")
    (root / "skip.tmp").write_text("excluded\n")


def test_fanned_out_build_equals_the_single_process_build(
    tmp_path: Path, small_limits: list[FannedOut | None]
) -> None:
    _tree(tmp_path)
    fanned = build_manifest(
        tmp_path, datasets=[ENTRY], progress=False, processes=2, exclude=["*.tmp"]
    )
    single = build_manifest(
        tmp_path, datasets=[ENTRY], progress=False, processes=0, exclude=["*.tmp"]
    )
    assert len(small_limits) == 1
    assert small_limits[0] is not None  # the workers walked and hashed
    assert fanned == single
    assert fanned.snapshot_digest == single.snapshot_digest
    assert len(fanned.files) == 30 + 36 + 3
    assert "skip.tmp" not in {f.path for f in fanned.files}
    large = next(f for f in fanned.files if f.path == "large.bin")
    assert large.sha256 == hashlib.sha256((tmp_path / "large.bin").read_bytes()).hexdigest()


def test_fanned_out_verify_reports_every_tamper(
    tmp_path: Path, small_limits: list[FannedOut | None]
) -> None:
    _tree(tmp_path)
    manifest = build_manifest(tmp_path, datasets=[ENTRY], progress=False, processes=2)
    assert verify_manifest(manifest, tmp_path, progress=False, processes=2).ok
    (tmp_path / "big" / "f003.txt").write_bytes(b"changed")
    (tmp_path / "s05" / "x1.bin").unlink()
    (tmp_path / "s07" / "new.bin").write_bytes(b"added")
    (tmp_path / "large.bin").write_bytes(os.urandom(5000))
    fanned = verify_manifest(manifest, tmp_path, progress=False, processes=2)
    single = verify_manifest(manifest, tmp_path, progress=False, processes=0)
    assert fanned.changed == single.changed == ["big/f003.txt", "large.bin"]
    assert fanned.missing == single.missing == ["s05/x1.bin"]
    assert fanned.added == single.added == ["s07/new.bin"]
    assert fanned.found_snapshot_digest == single.found_snapshot_digest
    assert fanned.files_hashed == single.files_hashed
    assert len(small_limits) == 3
    assert all(out is not None for out in small_limits)


@pytest.mark.usefixtures("small_limits")
def test_fanned_out_build_refuses_a_symlink_and_counts_progress(tmp_path: Path) -> None:
    _tree(tmp_path)
    seen: list[tuple[int, int]] = []
    manifest = build_manifest(
        tmp_path, datasets=[ENTRY], progress=lambda d, t: seen.append((d, t)), processes=2
    )
    assert seen
    assert seen[-1] == (manifest.total_size, manifest.total_size)
    (tmp_path / "s04" / "link").symlink_to(tmp_path / "large.bin")
    with pytest.raises(UnsafePathError, match="symlink refused: 's04/link'"):
        build_manifest(tmp_path, datasets=[ENTRY], progress=False, processes=2)


def test_a_small_tree_keeps_the_single_process_path(
    tmp_path: Path, small_limits: list[FannedOut | None]
) -> None:
    (tmp_path / "a.txt").write_text("a")
    manifest = build_manifest(tmp_path, datasets=[ENTRY], progress=False, processes=2)
    assert [f.path for f in manifest.files] == ["a.txt"]
    assert small_limits == []


def test_fan_out_applies_only_to_the_default_engine_without_cache_or_links() -> None:
    engine = Sha256Engine()
    assert fan_out_applies(engine, processes=2, follow_symlinks=False, cached=False)
    assert not fan_out_applies(engine, processes=0, follow_symlinks=False, cached=False)
    assert not fan_out_applies(engine, processes=2, follow_symlinks=True, cached=False)
    assert not fan_out_applies(engine, processes=2, follow_symlinks=False, cached=True)


def test_fill_and_tidy_take_what_threads_hashed_and_blank_failures() -> None:
    walk = WalkResult(folders={"a/": Folder(["x", "y"], [1, 2, 3, 4, 5, 1, 3, 7, 4, 5])})
    out = FannedOut(walk, digests={"a/": [" " * 64, "e" * 64]})
    _fanout._fill(out, {"a/x": (FileDigests("d" * 64, 9), (1, 2, 9, 4, 5))})
    assert out.digests["a/"] == ["d" * 64, "e" * 64]
    assert out.columns() == (["a/x", "a/y"], [9, 7], ["d" * 64, "e" * 64])
    out.failures = [HashFailure("a/y", OSError(5, "I/O error"))]
    _fanout._tidy(out)
    assert out.columns() == (["a/x"], [9], ["d" * 64])
    assert set(out.found()) == {"a/x"}


def test_walk_folders_stops_at_its_budget(tmp_path: Path) -> None:
    for d in range(5):
        (tmp_path / f"d{d}").mkdir()
        (tmp_path / f"d{d}" / "f").write_text("x")
    st = os.stat(tmp_path)
    start = (str(tmp_path), "", frozenset({(st.st_dev, st.st_ino)}), None)
    walk, left = walk_folders([start], excluded=(), budget=3)
    assert left  # folders left to walk
    assert len(walk.folders) < 5
    whole, rest = walk_folders([start], excluded=(), budget=1000)
    assert not rest
    assert sorted(whole.folders) == [f"d{d}/" for d in range(5)]


def test_worker_tasks_in_process(tmp_path: Path) -> None:
    """The functions the workers run (coverage does not follow forked processes)."""
    from openmodel_gov.manifests._hashrun import open_flags

    (tmp_path / "a").mkdir()
    for i in range(5):
        (tmp_path / "a" / f"f{i}").write_bytes(b"x" * i)
    (tmp_path / "a" / "big").write_bytes(b"y" * 2000)
    st = os.stat(tmp_path)
    start = (str(tmp_path), "", frozenset({(st.st_dev, st.st_ino)}), None)
    flags = open_flags(follow_symlinks=False)
    walk, left, slices = _fanout._walk_task(str(tmp_path), flags, (), [start])
    assert not left
    folder = walk.folders["a/"]
    assert folder.names == ["big", "f0", "f1", "f2", "f3", "f4"]
    (piece,) = slices
    assert piece.left == []  # 2,000 bytes is small at the default SMALL_FILE
    assert piece.digests[64:128] == hashlib.sha256(b"").hexdigest()
    one = _fanout._slice_task(str(tmp_path), flags, ("a/", folder, 2, 4))
    assert (one.start, len(one.digests)) == (2, 128)
    assert one.digests[:64] == hashlib.sha256(b"x").hexdigest()
    (tmp_path / "a" / "f3").write_bytes(b"changed")  # the walk's stat key no longer holds
    again = _fanout._slice_task(str(tmp_path), flags, ("a/", folder, 2, 5))
    assert again.left == ["f3"]
    assert again.digests[128:192] == " " * 64


def test_fan_out_gives_up_where_no_pool_can_be_forked(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from openmodel_gov.manifests._progress import Progress

    monkeypatch.setattr(_fanout, "process_pool", lambda count: None)
    out = _fanout.fan_out(
        str(tmp_path),
        walk=WalkResult(),
        left=[],
        excluded=(),
        processes=2,
        workers=2,
        engine=Sha256Engine(),
        progress=Progress(0, None, bar=False),
    )
    assert out is None


def test_the_bar_follows_a_growing_total() -> None:
    import io

    from openmodel_gov.manifests._progress import Progress

    stream = io.StringIO()
    bar = Progress(0, None, bar=True, stream=stream, delay=0.0)
    bar.total += 100  # a worker reported a folder of 100 bytes
    bar.add(40, files=1)
    bar.total += 100
    bar.add(160, files=1)
    bar.close()
    assert "200/200" in stream.getvalue()
