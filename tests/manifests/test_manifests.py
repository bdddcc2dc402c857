"""Tests for openmodel_gov.manifests: model, build, verify, stat cache, diff, load/save."""

from __future__ import annotations

import hashlib
import json
import os
import re
import shutil
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path

import pytest

import openmodel_gov.manifests as manifests
from openmodel_gov._core._pii_summary import PiiScanSummary
from openmodel_gov.errors import (
    ConfigError,
    FileAccessError,
    InputError,
    SchemaValidationError,
    UnsafePathError,
)
from openmodel_gov.manifests import (
    DatasetEntry,
    DatasetManifest,
    FileEntry,
    build_manifest,
    diff_manifests,
    load_manifest,
    manifest_json_schema,
    verify_manifest,
)
from openmodel_gov.manifests import _cache as cache_mod
from openmodel_gov.manifests._hashing import FileDigests, Sha256Engine
from openmodel_gov.manifests._io import generate_schema
from openmodel_gov.manifests._scan import Progress, walk_tree

H0 = "0" * 64


def LATER() -> int:
    """A clock far ahead of every file's mtime: no file is "racy", all are cached."""
    return time.time_ns() + 10**12


def entry(name: str = "corpus", /, **kw: object) -> DatasetEntry:
    data: dict[str, object] = {
        "name": name,
        "version": "1.0",
        "source_kind": "public-dataset",
        "license": "CC-BY-4.0",
    }
    data.update(kw)
    return DatasetEntry.model_validate(data)


def sha(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


@pytest.fixture
def tree(tmp_path: Path) -> Path:
    root = tmp_path / "snap"
    (root / "train" / "deep").mkdir(parents=True)
    (root / "train" / "a.txt").write_bytes(b"alpha\n")
    (root / "train" / "deep" / "b.bin").write_bytes(bytes(range(256)) * 10)
    (root / "README with space.md").write_text("héllo ünïcode\n", encoding="utf-8")
    (root / "empty").write_bytes(b"")
    (root / "Zeta.csv").write_bytes(b"x,y\n1,2\n")
    return root


class CountingEngine:
    """Test double: the real engine, counting calls (and optionally failing)."""

    def __init__(self, fail: OSError | None = None) -> None:
        self.inner = Sha256Engine()
        self.calls = 0
        self.fail = fail

    @property
    def algorithm(self) -> str:
        return "sha256"

    def hash_fd(self, fd: int, *, size_hint: int) -> FileDigests:
        self.calls += 1
        if self.fail is not None:
            raise self.fail
        return self.inner.hash_fd(fd, size_hint=size_hint)


# --- building ---------------------------------------------------------------------------


def test_build_lists_every_file_with_size_and_sha256(tree: Path) -> None:
    m = build_manifest(tree, datasets=[entry()], progress=False)
    paths = [f.path for f in m.files]
    assert paths == ["README with space.md", "Zeta.csv", "empty", "train/a.txt", "train/deep/b.bin"]
    for f in m.files:
        data = (tree / f.path).read_bytes()
        assert f.size == len(data)
        assert f.sha256 == sha(data)
    assert m.total_size == sum(f.size for f in m.files)
    assert m.format == manifests.MANIFEST_FORMAT


def test_snapshot_digest_matches_coreutils_recipe(tree: Path) -> None:
    if not all(shutil.which(t) for t in ("find", "sort", "xargs", "sha256sum")):
        pytest.skip("coreutils not available")
    m = build_manifest(tree, datasets=[entry()], progress=False)
    recipe = "find . -type f -printf '%P\\0' | LC_ALL=C sort -z | xargs -0 sha256sum | sha256sum"
    out = subprocess.run(
        ["sh", "-c", recipe], cwd=tree, check=True, capture_output=True, text=True
    ).stdout
    assert out.split()[0] == m.snapshot_digest
    lines = subprocess.run(
        ["sh", "-c", "find . -type f -printf '%P\\0' | LC_ALL=C sort -z | xargs -0 sha256sum"],
        cwd=tree,
        check=True,
        capture_output=True,
    ).stdout
    assert lines == b"".join(f.sha256sum_line.encode() for f in m.files)


def test_large_file_uses_chunked_reads_and_matches_hashlib(tmp_path: Path) -> None:
    data = os.urandom(3 * (1 << 20) + 17)
    (tmp_path / "big.bin").write_bytes(data)
    (tmp_path / "mid.bin").write_bytes(data[:100_000])
    m = build_manifest(tmp_path, datasets=[entry()], workers=2, progress=False)
    assert {f.path: f.sha256 for f in m.files} == {
        "big.bin": sha(data),
        "mid.bin": sha(data[:100_000]),
    }


def test_worker_counts_give_identical_manifests(tree: Path) -> None:
    for i in range(600):  # enough small files to make several batches
        (tree / "train" / f"s{i:04d}.txt").write_text(str(i))
    one = build_manifest(tree, datasets=[entry()], workers=1, progress=False)
    four = build_manifest(tree, datasets=[entry()], workers=4, progress=False)
    assert one == four


def test_progress_callback_and_bar(tree: Path, capsys: pytest.CaptureFixture[str]) -> None:
    seen: list[tuple[int, int]] = []
    build_manifest(tree, datasets=[entry()], progress=lambda d, t: seen.append((d, t)))
    total = sum(p.stat().st_size for p in tree.rglob("*") if p.is_file())
    assert seen[-1] == (total, total)
    build_manifest(tree, datasets=[entry()], progress=True)
    err = capsys.readouterr().err
    assert "hashing:" in err
    assert "files=5/5" in err
    assert "B/s" in err
    assert err.endswith("\n")
    build_manifest(tree, datasets=[entry()], progress="auto")  # not a tty: silent
    assert capsys.readouterr().err == ""


def test_progress_bar_is_throttled_and_delayed() -> None:
    import io

    stream = io.StringIO()
    bar = Progress(100, None, bar=True, stream=stream, delay=3600)
    bar.add(10)
    bar.close()
    assert stream.getvalue() == ""


@pytest.mark.parametrize(
    ("kwargs", "field"),
    [({"workers": 0}, "workers"), ({"workers": True}, "workers"), ({"progress": 3}, "progress")],
)
def test_bad_options_raise_config_error(tree: Path, kwargs: dict[str, object], field: str) -> None:
    with pytest.raises(ConfigError) as info:
        build_manifest(tree, datasets=[entry()], **kwargs)  # type: ignore[arg-type]
    assert info.value.field == field


def test_datasets_are_required(tree: Path) -> None:
    with pytest.raises(ConfigError, match="DatasetEntry"):
        build_manifest(tree, datasets=[])


def test_root_must_be_a_folder(tmp_path: Path) -> None:
    with pytest.raises(FileAccessError, match="does not exist"):
        build_manifest(tmp_path / "nope", datasets=[entry()])
    (tmp_path / "f").write_text("x")
    with pytest.raises(FileAccessError, match="not a folder"):
        verify_manifest(DatasetManifest(datasets=(entry(),), files=()), tmp_path / "f")


def test_symlinks_are_refused_unless_followed(tree: Path, tmp_path: Path) -> None:
    outside = tmp_path / "outside.txt"
    outside.write_text("outside")
    (tree / "link.txt").symlink_to(outside)
    with pytest.raises(UnsafePathError, match=re.escape("symlink refused: 'link.txt'")) as info:
        build_manifest(tree, datasets=[entry()])
    assert info.value.hint is not None
    assert "follow_symlinks" in info.value.hint
    m = build_manifest(tree, datasets=[entry()], follow_symlinks=True, progress=False)
    assert {f.path: f.sha256 for f in m.files}["link.txt"] == sha(b"outside")
    assert m.follow_symlinks
    assert verify_manifest(m, tree).ok  # follows, as recorded
    assert verify_manifest(m, tree, follow_symlinks=False).changed == ["link.txt"]


def test_followed_symlink_loops_and_dangling_links(tree: Path) -> None:
    (tree / "train" / "loop").symlink_to(tree / "train")
    (tree / "alias").symlink_to(tree / "train" / "deep")
    m = build_manifest(tree, datasets=[entry()], follow_symlinks=True, progress=False)
    assert not any("loop" in f.path for f in m.files)
    paths = [f.path for f in m.files]
    assert "alias/b.bin" in paths  # like find -L: reachable twice, listed twice
    assert "train/deep/b.bin" in paths
    (tree / "dangling").symlink_to(tree / "missing-target")
    with pytest.raises(UnsafePathError, match="dangling"):
        build_manifest(tree, datasets=[entry()], follow_symlinks=True)


def test_special_files_and_odd_names_are_refused(tree: Path) -> None:
    os.mkfifo(tree / "pipe")
    with pytest.raises(UnsafePathError, match="not a regular file: 'pipe'"):
        build_manifest(tree, datasets=[entry()])
    (tree / "pipe").unlink()
    (tree / "back\\slash").write_text("x")
    with pytest.raises(UnsafePathError, match="backslash"):
        build_manifest(tree, datasets=[entry()])
    (tree / "back\\slash").unlink()
    (tree / "train" / "tab\tdir").mkdir()
    (tree / "train" / "tab\tdir" / "f").write_text("x")
    with pytest.raises(UnsafePathError, match="control character"):
        build_manifest(tree, datasets=[entry()])
    (tree / "train" / "tab\tdir" / "f").unlink()
    (tree / "train" / "tab\tdir").rmdir()
    (tree / "C:").mkdir()
    (tree / "C:" / "f").write_text("x")
    with pytest.raises(UnsafePathError, match="absolute"):
        build_manifest(tree, datasets=[entry()])


def test_non_utf8_names_are_refused(tree: Path) -> None:
    with open(os.path.join(os.fsencode(tree), b"bad\xff"), "wb") as fh:
        fh.write(b"x")
    result = walk_tree(str(tree))
    assert result.unsafe == [("bad\udcff", "name is not valid UTF-8")]


def test_exclude_patterns_skip_files_and_folders_and_are_recorded(tree: Path) -> None:
    m = build_manifest(tree, datasets=[entry()], exclude=["train/deep", "*.md"], progress=False)
    assert [f.path for f in m.files] == ["Zeta.csv", "empty", "train/a.txt"]
    assert m.excluded == ("train/deep", "*.md")
    (tree / "notes.md").write_text("new, but excluded")
    assert verify_manifest(m, tree).ok


def test_dataset_paths_select_files(tree: Path) -> None:
    train = entry("train", paths=["train/"])
    readme = entry("readme", paths=["README with space.md"])
    m = build_manifest(tree, datasets=[train, readme], progress=False)
    assert [f.path for f in m.files_of("train")] == ["train/a.txt", "train/deep/b.bin"]
    assert [f.path for f in m.files_of("readme")] == ["README with space.md"]
    with pytest.raises(InputError, match="match no file"):
        build_manifest(tree, datasets=[entry("x", paths=["nothing/"])])


def test_blake3_is_an_optional_extra_digest(tree: Path) -> None:
    blake3 = pytest.importorskip("blake3")
    (tree / "big1").write_bytes(b"x" * 200_000)
    (tree / "big2").write_bytes(b"y" * 300_000)
    m = build_manifest(tree, datasets=[entry()], blake3=True, progress=False)
    for f in m.files:
        assert f.blake3 == blake3.blake3((tree / f.path).read_bytes()).hexdigest()
    assert build_manifest(tree, datasets=[entry()], progress=False).files[0].blake3 is None
    assert build_manifest(tree, datasets=[entry()], blake3=True, workers=1).files[0].blake3


def test_unlistable_folders_and_self_links_are_reported(
    tree: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    (tree / "self").symlink_to("self")
    with pytest.raises(UnsafePathError, match="cannot stat"):
        build_manifest(tree, datasets=[entry()], follow_symlinks=True)
    (tree / "self").unlink()

    real_open, real_listdir = os.open, os.listdir

    def failing_open(path: str, flags: int, *args: int, **kw: int) -> int:
        if str(path).endswith("deep") and flags & os.O_DIRECTORY:
            raise PermissionError(13, "Permission denied")
        return real_open(path, flags, *args, **kw)

    monkeypatch.setattr(os, "open", failing_open)
    with pytest.raises(UnsafePathError, match="cannot list folder: Permission denied"):
        build_manifest(tree, datasets=[entry()])
    monkeypatch.setattr(os, "open", real_open)

    def failing_listdir(fd: int) -> list[str]:
        if os.readlink(f"/proc/self/fd/{fd}").endswith("train"):
            raise OSError(5, "Input/output error")
        return real_listdir(fd)

    monkeypatch.setattr(os, "listdir", failing_listdir)
    with pytest.raises(UnsafePathError, match="cannot list folder: Input/output error: 'train'"):
        build_manifest(tree, datasets=[entry()])
    assert walk_tree(str(tree)).unsafe == [("train", "cannot list folder: Input/output error")]


def test_file_vanishing_between_listing_and_stat_is_skipped(
    tree: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    real = os.lstat

    def vanished(name: str, *, dir_fd: int | None = None) -> os.stat_result:
        if name == "a.txt":
            raise FileNotFoundError(2, "No such file or directory")
        return real(name, dir_fd=dir_fd)

    monkeypatch.setattr(os, "lstat", vanished)
    assert walk_tree(str(tree)).files.keys() == {
        "README with space.md",
        "Zeta.csv",
        "empty",
        "train/deep/b.bin",
    }


def test_walk_without_dir_fd_support_finds_the_same(
    tree: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    (tree / "train" / "link").symlink_to(tree / "Zeta.csv")
    (tree / "train" / "deep" / "sub").mkdir()
    (tree / "train" / "deep" / "sub" / "c").write_text("c")
    os.mkfifo(tree / "pipe")
    with_fd = walk_tree(str(tree))
    followed = walk_tree(str(tree), follow_symlinks=True)
    assert walk_tree(str(tree), dir_fd=False) == with_fd  # as on Windows
    assert walk_tree(str(tree), follow_symlinks=True, dir_fd=False) == followed
    assert with_fd.symlinks == ["train/link"]
    assert with_fd.specials == ["pipe"]
    assert "train/link" in followed.files


def test_engine_rejects_tiny_chunks() -> None:
    with pytest.raises(ValueError, match="4096"):
        Sha256Engine(chunk_size=16)


def test_file_changing_while_hashed_is_an_error(tree: Path) -> None:
    class Toucher(CountingEngine):
        def hash_fd(self, fd: int, *, size_hint: int) -> FileDigests:
            os.utime(fd, ns=(self.calls, self.calls))
            return super().hash_fd(fd, size_hint=size_hint)

    with pytest.raises(FileAccessError, match="kept changing"):
        build_manifest(tree, datasets=[entry()], engine=Toucher(), workers=1)


def test_unreadable_file_is_an_error_on_build(
    tree: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    class FailsOnce(CountingEngine):
        def hash_fd(self, fd: int, *, size_hint: int) -> FileDigests:
            self.fail = PermissionError(13, "Permission denied") if self.calls == 2 else None
            return super().hash_fd(fd, size_hint=size_hint)

    with pytest.raises(FileAccessError, match="Permission denied"):
        build_manifest(
            tree,
            datasets=[entry()],
            engine=FailsOnce(),
            cache=tmp_path / "c.json",
            clock=LATER,
            workers=1,
        )
    # the cache keeps what was hashed even when a file fails
    assert len(cached_paths(tmp_path / "c.json", tree)) == 4


# --- verifying and tampering --------------------------------------------------------------


@pytest.fixture
def built(tree: Path) -> tuple[Path, DatasetManifest]:
    return tree, build_manifest(tree, datasets=[entry()], progress=False)


def test_unchanged_tree_verifies(built: tuple[Path, DatasetManifest]) -> None:
    root, m = built
    report = verify_manifest(m, root, progress=False)
    assert report.ok
    assert report.found_snapshot_digest == m.snapshot_digest
    assert report.files_hashed == len(m.files)
    assert str(report).startswith("OK:")
    assert report.to_dict()["ok"] is True
    assert "OK:" in report._repr_html_()


def test_tamper_one_byte_flipped(built: tuple[Path, DatasetManifest]) -> None:
    root, m = built
    p = root / "train" / "deep" / "b.bin"
    data = bytearray(p.read_bytes())
    data[100] ^= 0x01
    p.write_bytes(bytes(data))
    report = verify_manifest(m, root)
    assert report.changed == ["train/deep/b.bin"]
    f = report.finding("train/deep/b.bin")
    assert f.reason == "content differs"
    assert f.expected_sha256 == m.files[-1].sha256
    assert f.found_sha256 == sha(bytes(data))
    assert report.found_snapshot_digest != m.snapshot_digest


def test_tamper_truncated(built: tuple[Path, DatasetManifest]) -> None:
    root, m = built
    p = root / "train" / "a.txt"
    p.write_bytes(p.read_bytes()[:-1])
    report = verify_manifest(m, root)
    assert report.changed == ["train/a.txt"]
    assert report.finding("train/a.txt").reason == "size differs"
    assert report.finding("train/a.txt").found_size == 5


def test_tamper_appended(built: tuple[Path, DatasetManifest]) -> None:
    root, m = built
    with (root / "empty").open("ab") as fh:
        fh.write(b"!")
    assert verify_manifest(m, root).changed == ["empty"]


def test_tamper_renamed(built: tuple[Path, DatasetManifest]) -> None:
    root, m = built
    (root / "Zeta.csv").rename(root / "zeta.csv")
    report = verify_manifest(m, root)
    assert report.missing == ["Zeta.csv"]
    assert report.added == ["zeta.csv"]
    assert report.finding("zeta.csv").found_sha256 == sha(b"x,y\n1,2\n")


def test_tamper_deleted_is_a_finding_not_a_crash(built: tuple[Path, DatasetManifest]) -> None:
    root, m = built
    (root / "train" / "a.txt").unlink()
    report = verify_manifest(m, root)
    assert not report.ok
    assert report.missing == ["train/a.txt"]
    assert report.finding("train/a.txt").found_sha256 is None
    assert "FAILED" in str(report)
    assert "missing train/a.txt" in str(report)
    assert "#f8b4b4" in report._repr_html_()
    with pytest.raises(KeyError):
        report.finding("Zeta.csv")


def test_tamper_file_added(built: tuple[Path, DatasetManifest]) -> None:
    root, m = built
    (root / "train" / "new.txt").write_text("sneaky")
    report = verify_manifest(m, root)
    assert report.added == ["train/new.txt"]
    assert report.finding("train/new.txt").expected_sha256 is None


def test_tamper_file_swapped_for_symlink(
    built: tuple[Path, DatasetManifest], tmp_path: Path
) -> None:
    root, m = built
    target = tmp_path / "same-bytes"
    target.write_bytes((root / "train" / "a.txt").read_bytes())
    (root / "train" / "a.txt").unlink()
    (root / "train" / "a.txt").symlink_to(target)
    report = verify_manifest(m, root)
    assert report.changed == ["train/a.txt"]
    assert report.finding("train/a.txt").reason == "replaced by a symlink"
    assert report.found_snapshot_digest is None
    assert verify_manifest(m, root, follow_symlinks=True).ok


def test_tamper_manifest_entry_edited(built: tuple[Path, DatasetManifest], tmp_path: Path) -> None:
    root, m = built
    path = tmp_path / "m.json"
    m.save(path)
    data = json.loads(path.read_text())
    data["files"][0]["sha256"] = "f" * 64
    path.write_text(json.dumps(data, indent=2))
    with pytest.raises(SchemaValidationError, match="snapshot_digest") as info:
        load_manifest(path)
    assert info.value.field == "$"
    del data["snapshot_digest"]  # a consistent edit: digest recomputed on load
    path.write_text(json.dumps(data))
    edited = load_manifest(path)
    report = verify_manifest(edited, root)
    assert report.changed == [data["files"][0]["path"]]
    assert report.finding(data["files"][0]["path"]).expected_sha256 == "f" * 64


def test_special_file_and_unreadable_file_are_findings(built: tuple[Path, DatasetManifest]) -> None:
    root, m = built
    (root / "Zeta.csv").unlink()
    os.mkfifo(root / "Zeta.csv")
    os.mkfifo(root / "extra-pipe")
    report = verify_manifest(m, root)
    assert report.changed == ["Zeta.csv"]
    assert "not a regular file" in report.finding("Zeta.csv").reason
    assert report.added == ["extra-pipe"]
    engine = CountingEngine(fail=PermissionError(13, "Permission denied"))
    (root / "Zeta.csv").unlink()
    (root / "extra-pipe").unlink()
    report = verify_manifest(m, root, engine=engine)
    assert "Permission denied" in report.finding("train/a.txt").reason
    (root / "added.txt").write_text("x")
    report = verify_manifest(m, root, engine=engine)
    assert "Permission denied" in report.finding("added.txt").reason


def test_file_vanishing_during_verify_is_missing(built: tuple[Path, DatasetManifest]) -> None:
    root, m = built
    engine = CountingEngine(fail=FileNotFoundError(2, "No such file"))
    report = verify_manifest(m, root, engine=engine)
    assert sorted(report.missing) == sorted(f.path for f in m.files)
    assert report.finding("empty").reason == "file vanished while it was checked"


def test_symlink_race_is_reported_as_symlink(built: tuple[Path, DatasetManifest]) -> None:
    root, m = built
    engine = CountingEngine(fail=OSError(40, "Too many levels of symbolic links"))
    report = verify_manifest(m, root, engine=engine)
    assert report.finding("empty").reason == "replaced by a symlink"


def test_verify_wants_a_manifest(tree: Path) -> None:
    with pytest.raises(ConfigError, match="DatasetManifest"):
        verify_manifest("manifest.yaml", tree)  # type: ignore[arg-type]


# --- stat cache ---------------------------------------------------------------------------


def _rewrite(cache: Path, data: dict[str, object]) -> None:
    """Write an edited cache with a valid checksum (what the row-level checks must survive)."""
    body = {k: v for k, v in data.items() if k != "checksum"}
    cache.write_text(cache_mod.encode_cache(body))


def cached_paths(cache: Path, root: Path) -> list[str]:
    return cache_mod.StatCache.open(cache, root=str(root)).paths()


def test_cache_skips_unchanged_files(tree: Path, tmp_path: Path) -> None:
    cache = tmp_path / "stat-cache.json"
    engine = CountingEngine()
    m = build_manifest(tree, datasets=[entry()], cache=cache, clock=LATER, engine=engine)
    assert engine.calls == 5
    assert json.loads(cache.read_text())["format"] == cache_mod.CACHE_FORMAT
    engine.calls = 0
    again = build_manifest(tree, datasets=[entry()], cache=cache, clock=LATER, engine=engine)
    assert engine.calls == 0
    assert again == m
    report = verify_manifest(m, tree, cache=cache, clock=LATER, engine=engine)
    assert report.ok
    assert report.files_hashed == 0
    (tree / "train" / "a.txt").write_text("changed!")
    report = verify_manifest(m, tree, cache=cache, clock=LATER, engine=engine)
    assert report.changed == ["train/a.txt"]
    assert report.files_hashed == 1
    uncached = verify_manifest(m, tree)
    assert report.found_snapshot_digest == uncached.found_snapshot_digest != m.snapshot_digest
    (tree / "empty").unlink()
    verify_manifest(m, tree, cache=cache, clock=LATER, engine=engine)
    assert "empty" not in cached_paths(cache, tree)


def test_cache_rehashes_for_blake3_and_forgets_fresh_files(
    tree: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    pytest.importorskip("blake3")
    cache = tmp_path / "c.json"
    build_manifest(tree, datasets=[entry()], cache=cache, clock=LATER)
    engine = CountingEngine()
    build_manifest(tree, datasets=[entry()], cache=cache, clock=LATER, engine=engine, blake3=True)
    assert engine.calls == 5  # cached rows had no BLAKE3 digest
    (tree / "empty").write_text("no longer empty")
    build_manifest(tree, datasets=[entry()], cache=cache, clock=lambda: 0)  # all fresh
    entries = cached_paths(cache, tree)
    assert "empty" not in entries  # rehashed, too fresh to trust: forgotten
    assert len(entries) == 4


def test_cache_ignores_racy_entries(tree: Path, tmp_path: Path) -> None:
    cache = tmp_path / "c.json"
    engine = CountingEngine()
    build_manifest(tree, datasets=[entry()], cache=cache, engine=engine)
    build_manifest(tree, datasets=[entry()], cache=cache, engine=engine)
    assert engine.calls == 10  # files written just now are never trusted from the cache


def test_cache_inside_root_is_excluded(tree: Path) -> None:
    cache = tree / ".cache[1].json"
    m = build_manifest(tree, datasets=[entry()], cache=cache, clock=LATER)
    assert cache.exists()
    assert ".cache[1].json" not in [f.path for f in m.files]
    assert m.excluded == (".cache[[]1].json",)
    assert verify_manifest(m, tree).ok
    plain = build_manifest(tree, datasets=[entry()], exclude=[".cache*"])
    other = tree / "other-cache.json"
    assert verify_manifest(plain, tree, cache=other, clock=LATER).ok
    assert other.exists()


def test_cache_for_another_root_or_corrupt_rows_is_ignored(tree: Path, tmp_path: Path) -> None:
    cache = tmp_path / "c.json"
    build_manifest(tree, datasets=[entry()], cache=cache, clock=LATER)
    data = json.loads(cache.read_text())
    files = data["files"]
    assert files["path"] == [
        "README with space.md",
        "Zeta.csv",
        "empty",
        "train/a.txt",
        "train/deep/b.bin",
    ]
    data["folders"][""] = ["garbage"]  # the three files at the top
    files["sha256"][3] = 42  # train/a.txt
    files["path"][4] = ["not", "a", "path"]  # train/deep/b.bin
    _rewrite(cache, data)
    engine = CountingEngine()
    m = build_manifest(tree, datasets=[entry()], cache=cache, clock=LATER, engine=engine)
    assert engine.calls == 5
    engine.calls = 0
    assert verify_manifest(m, tree, cache=cache, clock=LATER, engine=engine).ok
    assert engine.calls == 0  # the rows were rewritten
    data = json.loads(cache.read_text())
    data["folders"]["train/"][1].pop()  # five ints per file, or the row is ignored
    data["files"]["sha256"][4] = "0" * 64  # not the manifest's: hashed afresh
    _rewrite(cache, data)
    assert verify_manifest(m, tree, cache=cache, clock=LATER, engine=engine).ok
    assert engine.calls == 2
    assert verify_manifest(m, tree, cache=cache, clock=LATER, engine=engine).files_hashed == 0
    data["files"]["size"].pop()  # columns of different lengths: the whole cache is ignored
    _rewrite(cache, data)
    assert verify_manifest(m, tree, cache=cache, clock=LATER, engine=engine).files_hashed == 5
    data = json.loads(cache.read_text())
    data["folders"]["train/"][0] = [["unhashable"]]
    _rewrite(cache, data)
    assert verify_manifest(m, tree, cache=cache, clock=LATER, engine=engine).files_hashed == 1
    data = json.loads(cache.read_text())
    for column in data["files"].values():
        del column[0]  # a file the folders list but the files do not: not the fast path
    _rewrite(cache, data)
    assert verify_manifest(m, tree, cache=cache, clock=LATER, engine=engine).files_hashed == 1
    data["files"] = {"path": "not a list"}
    _rewrite(cache, data)
    assert verify_manifest(m, tree, cache=cache, clock=LATER, engine=engine).files_hashed == 5
    data = json.loads(cache.read_text())
    data["root"] = "/elsewhere"
    _rewrite(cache, data)
    engine.calls = 0
    build_manifest(tree, datasets=[entry()], cache=cache, clock=LATER, engine=engine)
    assert engine.calls == 5


def test_cache_path_that_is_not_a_cache_is_refused(tree: Path, tmp_path: Path) -> None:
    precious = tmp_path / "manifest.json"
    precious.write_text('{"datasets": []}')
    with pytest.raises(InputError, match="not an openmodel-gov stat cache"):
        build_manifest(tree, datasets=[entry()], cache=precious)
    assert precious.read_text() == '{"datasets": []}'
    (tmp_path / "notes.txt").write_text("not json {")
    with pytest.raises(InputError, match="not an openmodel-gov stat cache"):
        build_manifest(tree, datasets=[entry()], cache=tmp_path / "notes.txt")
    (tmp_path / "bin").write_bytes(b"\xff\xfe")
    with pytest.raises(InputError, match="cannot read the stat cache"):
        build_manifest(tree, datasets=[entry()], cache=tmp_path / "bin")
    with pytest.raises(FileAccessError, match="directory"):
        build_manifest(tree, datasets=[entry()], cache=tmp_path)
    with pytest.raises(FileAccessError, match="folder of the stat cache does not exist"):
        build_manifest(tree, datasets=[entry()], cache=tmp_path / "no" / "c.json")


def _flip(root: Path) -> None:
    p = root / "train" / "deep" / "b.bin"
    data = bytearray(p.read_bytes())
    data[100] ^= 0x01
    p.write_bytes(bytes(data))


def _same_size_same_mtime(root: Path) -> None:
    p = root / "Zeta.csv"
    st = p.stat()
    p.write_bytes(b"x,y\n9,9\n")
    os.utime(p, ns=(st.st_atime_ns, st.st_mtime_ns))  # only the ctime tells


def _symlink(root: Path) -> None:
    target = root.parent / "same-bytes"
    target.write_bytes((root / "train" / "a.txt").read_bytes())
    (root / "train" / "a.txt").unlink()
    (root / "train" / "a.txt").symlink_to(target)


def _fifo(root: Path) -> None:
    (root / "empty").unlink()
    os.mkfifo(root / "empty")


def _swap_names(root: Path) -> None:
    a, b = root / "train" / "a.txt", root / "Zeta.csv"
    a.rename(root / "tmp")
    b.rename(a)
    (root / "tmp").rename(b)


TAMPERS = {
    "byte flipped": _flip,
    "same size and mtime": _same_size_same_mtime,
    "truncated": lambda root: (root / "train" / "a.txt").write_bytes(b"alpha"),
    "appended": lambda root: (root / "empty").write_bytes(b"!"),
    "renamed": lambda root: (root / "Zeta.csv").rename(root / "zeta.csv"),
    "deleted": lambda root: (root / "train" / "a.txt").unlink(),
    "added": lambda root: (root / "train" / "new.txt").write_text("sneaky"),
    "added in a new folder": lambda root: (
        (root / "new").mkdir(),
        (root / "new" / "f").write_text("x"),
    ),
    "folder emptied": lambda root: (root / "train" / "deep" / "b.bin").unlink(),
    "swapped for a symlink": _symlink,
    "two files swapped": _swap_names,
    "fifo": _fifo,
}


@pytest.mark.parametrize("tamper", TAMPERS.values(), ids=TAMPERS.keys())
def test_cached_verify_detects_every_tamper_kind(
    tree: Path, tmp_path: Path, tamper: Callable[[Path], object]
) -> None:
    cache = tmp_path / "c.json"
    m = build_manifest(tree, datasets=[entry()], cache=cache, clock=LATER, progress=False)
    warm = verify_manifest(m, tree, cache=cache, clock=LATER)
    assert warm.ok
    assert warm.files_hashed == 0
    time.sleep(0.03)  # past the filesystem's clock tick: what RACY_NS guards in real use
    tamper(tree)
    fresh = verify_manifest(m, tree)
    assert not fresh.ok
    for _ in range(2):  # the cache rewritten by the first run must not hide anything
        cached = verify_manifest(m, tree, cache=cache, clock=LATER)
        assert cached.findings == fresh.findings
        assert cached.found_snapshot_digest == fresh.found_snapshot_digest
        assert cached.files_hashed < len(m.files) or not fresh.findings


def test_cached_verify_checks_what_the_manifest_lists(tree: Path, tmp_path: Path) -> None:
    cache = tmp_path / "c.json"
    m = build_manifest(tree, datasets=[entry()], cache=cache, clock=LATER, progress=False)
    # An edited size alone must be caught (sizes are not in the snapshot digest).
    files = [f.model_copy(update={"size": f.size + 1}) if f.path == "empty" else f for f in m.files]
    edited = m.model_copy(update={"files": tuple(files)})
    report = verify_manifest(edited, tree, cache=cache, clock=LATER)
    assert report.changed == ["empty"]
    assert report.finding("empty").reason == "size differs"
    assert report.files_hashed == 1
    # model_copy does not validate: its snapshot digest is stale. Verify must not rely on it.
    fewer = m.model_copy(update={"files": m.files[1:]})
    report = verify_manifest(fewer, tree, cache=cache, clock=LATER)
    assert report.added == [m.files[0].path]
    other = m.files[0].model_copy(update={"sha256": "f" * 64})
    wrong = m.model_copy(update={"files": (other, *m.files[1:])})
    assert verify_manifest(wrong, tree, cache=cache, clock=LATER).changed == [other.path]
    assert verify_manifest(m, tree, cache=cache, clock=LATER).files_hashed == 0


def test_cache_of_an_older_format_is_replaced(tree: Path, tmp_path: Path) -> None:
    cache = tmp_path / "c.json"
    cache.write_text(json.dumps({"format": "openmodel-gov/stat-cache/v2", "entries": {}}))
    engine = CountingEngine()
    build_manifest(tree, datasets=[entry()], cache=cache, clock=LATER, engine=engine)
    assert engine.calls == 5
    assert json.loads(cache.read_text())["format"] == cache_mod.CACHE_FORMAT
    build_manifest(tree, datasets=[entry()], cache=cache, clock=LATER, engine=engine)
    assert engine.calls == 5


# --- model --------------------------------------------------------------------------------


def test_dataset_entry_carries_the_shared_field_names() -> None:
    summary = PiiScanSummary(records_scanned=1)
    d = entry(
        source={"url": "https://example.org/data", "organization": "Example"},
        jurisdictions=["eu", "us-ca"],
        data_categories=["personal", "health"],
        legal_basis="consent",
        deidentified="pseudonymized",
        tdm_optout_honored=True,
        pii_summary=summary.model_dump(),
        languages=["en", "pt-BR"],
        modalities=["text"],
        collection_period={"start": "2020-01", "end": "2023"},
        size={"records": 10, "tokens": 1000},
        changelog=[{"version": "1.0", "date": "2024-01-02", "summary": "first"}],
    )
    assert d.source.organization == "Example"
    assert d.jurisdictions == ("EU", "US-CA")
    assert d.data_categories == ("personal", "health")
    assert d.pii_summary == summary
    assert d.license_normalized == "CC-BY-4.0"
    assert d.owns("anything")


def test_global_is_a_jurisdiction_as_in_the_compliance_vocabulary() -> None:
    assert entry(jurisdictions=["global", "BR"]).jurisdictions == ("GLOBAL", "BR")


@pytest.mark.parametrize(
    ("kw", "message"),
    [
        ({"data_categories": ["none", "personal"]}, "'none' cannot be combined"),
        ({"data_categories": ["personal", "personal"]}, "listed twice"),
        ({"source_kind": "synthetic"}, "synthetic is false"),
        ({"synthetic_generator": "gpt"}, "synthetic_generator is set"),
        ({"collection_period": {"start": "2024-05", "end": "2023"}}, "starts"),
        ({"collection_period": {"start": "2024-13"}}, "ISO 8601"),
        ({"jurisdictions": ["Germany"]}, "ISO 3166"),
        ({"languages": ["english!"]}, "BCP 47"),
        ({"license": "Not-A-License-9"}, "unknown license id: 'Not-A-License-9'"),
        ({"license": "MIT AND ("}, "not a valid"),
        ({"license": "hf:no-such-hub-license"}, "unknown license"),
        ({"source": {"url": "not a url"}}, "pattern"),
        ({"paths": ["../up"]}, "leaves the root"),
        ({"name": "  "}, "at least 1"),
        ({"synthetic": "yes"}, "boolean"),
    ],
)
def test_dataset_entry_rejects_inconsistent_values(kw: dict[str, object], message: str) -> None:
    with pytest.raises(ValueError, match=message):
        entry(**kw)


def test_license_text_is_kept_and_normalized() -> None:
    d = entry(license="mit OR apache-2.0")
    assert d.license == "mit OR apache-2.0"
    assert d.license_normalized == "MIT OR Apache-2.0"
    assert entry(license="hf:apache-2.0").license_normalized == "Apache-2.0"
    assert entry(license="hf:apache-2.0").license == "hf:apache-2.0"
    assert entry(source_kind="synthetic", synthetic=True, synthetic_generator="llm").synthetic


def test_manifest_helpers() -> None:
    m = DatasetManifest(
        datasets=(entry("a"), entry("b")),
        files=(FileEntry(path="z", size=1, sha256=H0), FileEntry(path="a", size=2, sha256=H0)),
    )
    assert [f.path for f in m.files] == ["a", "z"]
    assert "2 files, 3 bytes" in str(m)
    assert "<table" in m._repr_html_()
    with pytest.raises(KeyError, match="known: a, b"):
        m.dataset("c")
    m2 = m.with_pii_summary("b", PiiScanSummary(records_with_pii=1))
    assert m2.dataset("b").pii_summary is not None
    assert m.dataset("b").pii_summary is None
    m3 = m.with_dataset(entry("c"))
    assert [d.name for d in m3.datasets] == ["a", "b", "c"]
    assert m3.snapshot_digest == m.snapshot_digest


@pytest.mark.parametrize(
    ("kw", "message"),
    [
        ({"datasets": (entry(), entry())}, "unique"),
        ({"files": (FileEntry(path="a", size=1, sha256=H0),) * 2}, "duplicate file path"),
        ({"snapshot_digest": H0}, "does not match"),
        ({"datasets": ()}, "at least 1"),
    ],
)
def test_manifest_rejects_inconsistent_values(kw: dict[str, object], message: str) -> None:
    data: dict[str, object] = {"datasets": (entry(),), "files": ()}
    data.update(kw)
    with pytest.raises(ValueError, match=message):
        DatasetManifest.model_validate(data)


@pytest.mark.parametrize(
    "bad",
    ["/abs", "a/../b", "..", "a\x00b", "a//b", "./a", "a/", "C:/x", "", "tab\there", "a\\b"],
)
def test_file_entry_refuses_unsafe_paths(bad: str) -> None:
    with pytest.raises(ValueError, match="path"):
        FileEntry(path=bad, size=0, sha256=H0)


def test_file_entry_refuses_bad_digests() -> None:
    with pytest.raises(ValueError, match="64 lowercase hex"):
        FileEntry(path="a", size=0, sha256="ABC")


# --- diff ---------------------------------------------------------------------------------


def test_diff_manifests_reports_files_and_datasets() -> None:
    old = DatasetManifest(
        datasets=(entry("a"), entry("gone")),
        files=(
            FileEntry(path="same", size=1, sha256=H0),
            FileEntry(path="edit", size=1, sha256=H0),
            FileEntry(path="removed", size=1, sha256=H0),
        ),
    )
    new = DatasetManifest(
        datasets=(entry("a", version="2.0", license="MIT"), entry("new")),
        files=(
            FileEntry(path="same", size=1, sha256=H0),
            FileEntry(path="edit", size=2, sha256="1" * 64),
            FileEntry(path="added", size=1, sha256=H0),
        ),
    )
    d = diff_manifests(old, new)
    assert d.files_added == ("added",)
    assert d.files_removed == ("removed",)
    assert [c.path for c in d.files_changed] == ["edit"]
    assert d.datasets_added == ("new",)
    assert d.datasets_removed == ("gone",)
    assert d.datasets_changed[0].fields == ("version", "license")
    assert d.summary() == (
        "1 file(s) added; 1 file(s) removed; 1 file(s) changed; dataset new added; "
        "dataset gone removed; a 1.0 -> 2.0"
    )
    text = str(d)
    assert "+ added" in text
    assert "- removed" in text
    assert "~ edit" in text
    assert "<table" in d._repr_html_()
    assert d.to_dict()["unchanged"] is False
    log = d.to_changelog_entry(version="2.0", date="2024-06-01")
    assert log.summary == d.summary()
    assert diff_manifests(old, old).unchanged
    assert diff_manifests(old, old).summary() == "no changes"
    edited = DatasetManifest(datasets=(entry("a", description="x"), entry("gone")), files=old.files)
    assert diff_manifests(old, edited).summary() == "a: description edited"


# --- load / save / schema -----------------------------------------------------------------


@pytest.mark.parametrize("name", ["m.yaml", "m.yml", "m.json", "manifest"])
def test_save_and_load_round_trip(
    built: tuple[Path, DatasetManifest], tmp_path: Path, name: str
) -> None:
    _, m = built
    m = m.with_pii_summary("corpus", PiiScanSummary(counts_by_entity={"EMAIL_ADDRESS": 2}))
    target = tmp_path / name
    m.save(target)
    assert load_manifest(target) == m
    text = target.read_text()
    assert text.lstrip().startswith("{") == (not name.endswith((".yaml", ".yml")))


def test_save_is_atomic_and_reports_bad_folders(tmp_path: Path) -> None:
    m = DatasetManifest(datasets=(entry(),), files=())
    with pytest.raises(FileAccessError):
        m.save(tmp_path / "no" / "such" / "m.yaml")
    m.save(tmp_path / "m.yaml")
    assert [p.name for p in tmp_path.iterdir()] == ["m.yaml"]


def _manifest_yaml(path_line: str) -> str:
    return (
        "datasets:\n"
        "- name: d\n"
        "  version: '1'\n"
        "  source_kind: other\n"
        "  license: MIT\n"
        "files:\n"
        f"- path: ok.txt\n  size: 1\n  sha256: '{H0}'\n"
        f"- path: {path_line}\n  size: 1\n  sha256: '{H0}'\n"
    )


@pytest.mark.parametrize(
    ("path_line", "message"),
    [
        ("../etc/passwd", "leaves the root"),
        ("/etc/passwd", "absolute"),
        ('"a\\0b"', "NUL"),
        ("ok.txt", "duplicate path 'ok.txt' (first listed on line 7)"),
        ('"a\\\\b"', "backslash"),
    ],
)
def test_load_refuses_unsafe_paths(tmp_path: Path, path_line: str, message: str) -> None:
    p = tmp_path / "m.yaml"
    p.write_text(_manifest_yaml(path_line))
    with pytest.raises(UnsafePathError, match=re.escape(message)) as info:
        load_manifest(p)
    assert info.value.line == 10
    assert info.value.field == "$.files[1].path"
    assert info.value.source == str(p)


def test_load_refuses_nul_in_json(tmp_path: Path) -> None:
    p = tmp_path / "m.json"
    p.write_text(json.dumps({"datasets": [], "files": [{"path": "a\u0000", "size": 1}]}))
    with pytest.raises(UnsafePathError, match="NUL"):
        load_manifest(p)


def test_load_reports_every_schema_issue_with_lines(tmp_path: Path) -> None:
    p = tmp_path / "m.yaml"
    p.write_text(
        "datasets:\n- name: d\n  version: '1'\n  source_kind: scraped\n  license: MIT-ish\n"
        "  colour: blue\nfiles: []\n"
    )
    with pytest.raises(SchemaValidationError) as info:
        load_manifest(p)
    fields = {(i.field, i.line) for i in info.value.issues}
    assert ("$.datasets[0].source_kind", 4) in fields
    assert ("$.datasets[0].colour", 6) in fields
    assert ("$.datasets[0].license", 5) in fields
    assert "source_kind" in str(info.value)


@pytest.mark.parametrize(
    ("text", "error"),
    [
        ("- a list\n", SchemaValidationError),
        ("a: 1\na: 2\n", InputError),
        ("datasets: [\n", InputError),
        ("datasets: !!binary aGVsbG8=\nfiles: []\n", SchemaValidationError),
        ("datasets: []\nfiles: [1, {path: 2}]\n", SchemaValidationError),
        ("datasets: []\nfiles: 3\n", SchemaValidationError),
        ("files: [{path: a, size: 1, sha256: 2024-01-01}]\ndatasets: []\n", SchemaValidationError),
    ],
)
def test_load_refuses_malformed_documents(
    tmp_path: Path, text: str, error: type[Exception]
) -> None:
    p = tmp_path / "m.yaml"
    p.write_text(text)
    with pytest.raises(error):
        load_manifest(p)


def test_load_bounds_and_missing_files(tmp_path: Path) -> None:
    with pytest.raises(FileAccessError, match="no such file"):
        load_manifest(tmp_path / "missing.yaml")
    p = tmp_path / "m.json"
    DatasetManifest(datasets=(entry(),), files=()).save(p)
    with pytest.raises(InputError, match="larger than"):
        load_manifest(p, max_bytes=10)


def test_published_schema_is_current_and_validates_manifests(
    built: tuple[Path, DatasetManifest], tmp_path: Path
) -> None:
    jsonschema = pytest.importorskip("jsonschema")
    assert manifest_json_schema() == generate_schema(), (
        "regenerate with: python -m openmodel_gov.manifests._io"
    )
    _, m = built
    m.save(tmp_path / "m.json")
    jsonschema.validate(json.loads((tmp_path / "m.json").read_text()), manifest_json_schema())


def test_public_names() -> None:
    for name in manifests.__all__:
        assert getattr(manifests, name) is not None
    assert isinstance(Sha256Engine(), manifests.HashEngine)


def test_engine_reads_to_eof_when_the_file_grew(tmp_path: Path) -> None:
    data = os.urandom(200_000)
    (tmp_path / "f").write_bytes(data)
    fd = os.open(tmp_path / "f", os.O_RDONLY)
    try:
        got = Sha256Engine().hash_fd(fd, size_hint=10)  # stale size from an earlier stat
    finally:
        os.close(fd)
    assert got == FileDigests(sha256=sha(data), size=len(data))


def test_importing_manifests_and_signing_is_cheap() -> None:
    code = (
        "import sys, openmodel_gov.manifests, openmodel_gov.signing; "
        "print(sorted(m for m in ('cryptography', 'jsonschema', 'blake3', 'model_signing') "
        "if m in sys.modules))"
    )
    out = subprocess.run(
        [sys.executable, "-c", code], check=True, capture_output=True, text=True
    ).stdout
    assert out.strip() == "[]"


@pytest.mark.parametrize("b3", [None, "1" * 64])
def test_trusted_file_entries_equal_validated_ones(b3: str | None) -> None:
    from openmodel_gov.manifests._model import trusted_file_entry

    fast = trusted_file_entry("a/b", 3, H0, b3)
    slow = FileEntry(path="a/b", size=3, sha256=H0, blake3=b3)
    assert fast == slow
    assert hash(fast) == hash(slow)
    assert fast.model_dump() == slow.model_dump()
    assert fast.model_fields_set == slow.model_fields_set
    assert fast.model_copy(update={"size": 4}).size == 4
    with pytest.raises(ValueError, match="frozen"):
        fast.size = 5  # type: ignore[misc]


def test_small_file_fast_path_hands_odd_cases_to_the_general_path(tree: Path) -> None:
    from openmodel_gov.manifests._hashrun import _OPEN_FLAGS, Dirs, small_batch_sha256
    from openmodel_gov.manifests._scan import stat_key

    root_fd = os.open(tree, os.O_RDONLY | os.O_DIRECTORY)
    dirs = Dirs(str(tree), root_fd)
    batch = [
        ("train/a.txt", 6, stat_key(os.stat(tree / "train" / "a.txt"))),
        ("Zeta.csv", 8, (0, 0, 8, 0, 0)),
        ("gone.txt", 3, None),
        ("train", 0, None),
        ("nothere/x", 1, None),
    ]
    try:
        done, slow = small_batch_sha256(dirs, batch, _OPEN_FLAGS)
    finally:
        dirs.close()
        os.close(root_fd)
    assert slow == ["Zeta.csv", "gone.txt", "train", "nothere/x"]  # stale key, vanished, ...
    assert [(rel, digest) for rel, digest, _ in done] == [("train/a.txt", sha(b"alpha\n"))]
