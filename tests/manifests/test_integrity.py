"""Integrity under attack: damaged stat caches, symlink swaps during verify, colliding names."""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import threading
import time
import unicodedata
from pathlib import Path

import pytest

from openmodel_gov.errors import UnsafePathError
from openmodel_gov.manifests import (
    DatasetEntry,
    FileDigests,
    NameCollisionWarning,
    Sha256Engine,
    StatCacheWarning,
    build_manifest,
    verify_manifest,
)
from openmodel_gov.manifests import _cache as cache_mod
from openmodel_gov.manifests._hashrun import hash_files
from openmodel_gov.manifests._progress import Progress
from openmodel_gov.manifests._scan import collisions_of, walk_tree

ENTRY = DatasetEntry(name="d", version="1", source_kind="other", license="MIT")


def later() -> int:
    """A clock far ahead of every file's times: every hashed file is cached."""
    return time.time_ns() + 10**12


def _sha(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


@pytest.fixture
def snapshot(tmp_path: Path) -> Path:
    root = tmp_path / "root"
    (root / "data" / "sub").mkdir(parents=True)
    for i in range(20):
        (root / "data" / f"f{i:02d}.txt").write_bytes(b"inside %02d\n" % i)
    (root / "data" / "sub" / "deep.txt").write_bytes(b"deep inside\n")
    (root / "top.txt").write_bytes(b"top\n")
    return root


@pytest.fixture
def outside(tmp_path: Path) -> Path:
    """A folder outside the root with the same names and sizes, other bytes."""
    out = tmp_path / "outside"
    (out / "sub").mkdir(parents=True)
    for i in range(20):
        (out / f"f{i:02d}.txt").write_bytes(b"OUTSID %02d\n" % i)
    (out / "sub" / "deep.txt").write_bytes(b"DEEP OUTSIDE")
    return out


def _outside_digests(outside: Path) -> set[str]:
    return {_sha(p.read_bytes()) for p in outside.rglob("*") if p.is_file()}


# --- the stat cache carries its own checksum ------------------------------------------------


def test_a_flipped_digit_in_the_cache_never_reaches_a_manifest(
    snapshot: Path, tmp_path: Path
) -> None:
    cache = tmp_path / "cache.json"
    good = build_manifest(snapshot, datasets=[ENTRY], cache=cache, clock=later, progress=False)
    text = cache.read_text()
    data = json.loads(text)
    digest = data["files"]["sha256"][0]
    flipped = ("1" if digest[0] != "1" else "2") + digest[1:]
    cache.write_text(text.replace(digest, flipped, 1))  # a disk error: checksum not updated
    with pytest.warns(StatCacheWarning, match="damaged"):
        again = build_manifest(snapshot, datasets=[ENTRY], cache=cache, clock=later)
    assert again == good
    assert flipped not in {f.sha256 for f in again.files}
    assert cache_mod.StatCache.open(cache, root=str(snapshot)).paths()  # rebuilt
    cache.write_text(cache.read_text().replace(digest, flipped, 1))
    with pytest.warns(StatCacheWarning):
        report = verify_manifest(good, snapshot, cache=cache, clock=later)
    assert report.ok
    assert report.files_hashed == len(good.files)  # nothing taken from the damaged cache


@pytest.mark.parametrize(
    "edit",
    [
        lambda t: t[:-3] + t[-2:],  # the checksum itself cut short
        lambda t: t.replace(',"checksum"', ',"checksun"'),
        lambda t: t.replace('"algorithm":"sha256"', '"algorithm":"sha256" '),
        lambda t: t + "\n\n",  # trailing whitespace is fine: not a content change
    ],
)
def test_any_edit_of_the_cache_body_is_caught(snapshot: Path, tmp_path: Path, edit: object) -> None:
    cache = tmp_path / "cache.json"
    build_manifest(snapshot, datasets=[ENTRY], cache=cache, clock=later, progress=False)
    text = cache.read_text()
    assert callable(edit)
    edited = edit(text)
    cache.write_text(edited)
    if edited.rstrip() == text:
        assert verify_manifest(
            build_manifest(snapshot, datasets=[ENTRY], progress=False), snapshot, cache=cache
        ).ok
        return
    with pytest.warns(StatCacheWarning):
        build_manifest(snapshot, datasets=[ENTRY], cache=cache, clock=later, progress=False)


def test_encode_cache_round_trips() -> None:
    text = cache_mod.encode_cache({"format": cache_mod.CACHE_FORMAT, "x": [1, "é"]})
    assert json.loads(text)["x"] == [1, "é"]
    assert cache_mod._intact(text)
    assert not cache_mod._intact(text.replace("1", "2", 1))


# --- every path component opened without following links ------------------------------------


class SwappingEngine:
    """Test double: swaps ``data/`` for a symlink to ``outside`` right after the first file."""

    def __init__(self, root: Path, outside: Path) -> None:
        self.root = root
        self.outside = outside
        self.inner = Sha256Engine()
        self.calls = 0

    @property
    def algorithm(self) -> str:
        return "sha256"

    def hash_fd(self, fd: int, *, size_hint: int) -> FileDigests:
        self.calls += 1
        if self.calls == 1:
            os.rename(self.root / "data", self.root / "data.moved")
            os.symlink(self.outside, self.root / "data")
        return self.inner.hash_fd(fd, size_hint=size_hint)


def test_a_folder_swapped_for_a_symlink_after_the_walk_is_never_followed(
    snapshot: Path, outside: Path
) -> None:
    m = build_manifest(snapshot, datasets=[ENTRY], progress=False)
    engine = SwappingEngine(snapshot, outside)
    report = verify_manifest(m, snapshot, engine=engine, workers=1, progress=False)
    assert not report.ok
    bad = _outside_digests(outside)
    assert not {f.found_sha256 for f in report.findings} & bad
    reasons = {f.reason for f in report.findings if f.path.startswith("data/")}
    assert reasons <= {
        "replaced by a symlink",
        "a folder on its path was replaced by a file or symlink",
    }
    assert reasons


def test_hash_files_reports_eloop_for_a_swapped_folder(snapshot: Path, outside: Path) -> None:
    walk = walk_tree(str(snapshot))
    jobs = [(rel, key[2]) for rel, key in walk.files.items()]
    os.rename(snapshot / "data", snapshot / "data.moved")
    os.symlink(outside, snapshot / "data")
    for processes in (0, 2):
        hashed, failures = hash_files(
            str(snapshot),
            jobs,
            engine=Sha256Engine(),
            workers=2,
            progress=Progress(0, None, bar=False),
            keys=walk.files,
            processes=processes,
        )
        assert set(hashed) == {"top.txt"}
        assert {f.path for f in failures} == {rel for rel, _ in jobs} - {"top.txt"}
        assert all(f.error.errno in (40, 20) for f in failures)  # ELOOP / ENOTDIR


def test_a_folder_swapped_during_the_walk_is_not_listed(snapshot: Path, outside: Path) -> None:
    real_listdir = os.listdir
    swapped: list[bool] = []

    def listdir_then_swap(fd: int) -> list[str]:
        names = real_listdir(fd)
        if not swapped and "data" in names:  # the root was just listed: swap its subfolder
            os.rename(snapshot / "data", snapshot / "data.moved")
            os.symlink(outside, snapshot / "data")
            swapped.append(True)
        return names

    with pytest.MonkeyPatch.context() as mp:
        mp.setattr(os, "listdir", listdir_then_swap)
        walk = walk_tree(str(snapshot))
    assert swapped
    assert not any(rel.startswith("data/") for rel in walk.files)
    assert ("data", "folder was replaced while it was walked") in walk.unsafe or (
        "data" in walk.symlinks
    )


@pytest.mark.slow
def test_symlink_swap_race_during_verify_never_reads_outside(snapshot: Path, outside: Path) -> None:
    """Tamper-and-race: a thread keeps swapping ``data/`` and a symlink while verify runs."""
    m = build_manifest(snapshot, datasets=[ENTRY], progress=False)
    bad = _outside_digests(outside)
    stop = threading.Event()
    data, moved, link = snapshot / "data", snapshot / "data.real", snapshot / "data.link"

    def swapper() -> None:
        while not stop.is_set():
            os.symlink(outside, link)
            os.rename(data, moved)
            os.rename(link, data)  # data -> outside
            time.sleep(0)
            os.unlink(data)
            os.rename(moved, data)  # back to the real folder

    thread = threading.Thread(target=swapper, daemon=True)
    thread.start()
    outcomes = []
    try:
        for _ in range(100):  # bounded: no timing assertions, only what verify saw
            for engine in (None, Sha256Engine()):
                report = verify_manifest(m, snapshot, engine=engine, workers=2, progress=False)
                found = {f.found_sha256 for f in report.findings}
                assert not found & bad, "verify read a file outside the root"
                outcomes.append(report.ok)
    finally:
        stop.set()
        thread.join()
    if data.is_symlink():  # pragma: no cover - depends on where the thread stopped
        data.unlink()
        os.rename(moved, data)
    assert verify_manifest(m, snapshot, progress=False).ok


# --- names that differ by case or normalisation ----------------------------------------------


def test_case_and_normalisation_collisions_are_warned_on_build(tmp_path: Path) -> None:
    root = tmp_path / "r"
    root.mkdir()
    probe = root / "Probe"
    probe.write_text("x")
    if (root / "probe").exists():  # pragma: no cover - a case-insensitive filesystem
        pytest.skip("this filesystem merges names that differ by case")
    probe.unlink()
    (root / "README").write_text("a")
    (root / "readme").write_text("b")
    nfc, nfd = unicodedata.normalize("NFC", "café"), unicodedata.normalize("NFD", "café")
    (root / nfc).write_text("c")
    (root / nfd).write_text("d")
    (root / "ok.txt").write_text("e")
    with pytest.warns(NameCollisionWarning, match="README") as info:
        m = build_manifest(root, datasets=[ENTRY], progress=False)
    assert nfc in str(info[0].message)
    assert len(m.files) == 5
    assert walk_tree(str(root)).collisions == [("README", "readme"), tuple(sorted((nfc, nfd)))]
    assert verify_manifest(m, root, progress=False).ok  # this filesystem keeps them apart


def test_collisions_in_subfolders_and_many_groups(tmp_path: Path) -> None:
    assert collisions_of(["A/x", "a/x", "b/x"]) == [("A/x", "a/x")]
    root = tmp_path / "r"
    (root / "Sub").mkdir(parents=True)
    (root / "sub").mkdir()
    for name in ("A", "a", "B", "b", "C", "c", "D", "d"):
        (root / "Sub" / name).write_text(name)
    with pytest.warns(NameCollisionWarning, match="and 1 more"):
        build_manifest(root / "Sub", datasets=[ENTRY], progress=False)
    (root / "sub" / "x").write_text("1")
    (root / "Sub" / "x").write_text("1")
    walk = walk_tree(str(root))
    assert ("Sub", "sub") in walk.collisions


def test_verify_refuses_names_this_filesystem_merges(tmp_path: Path) -> None:
    """Simulated with a hard link: 'readme' and 'README' are then one file, as on macOS."""
    root = tmp_path / "r"
    root.mkdir()
    (root / "README").write_text("same")
    (root / "readme").write_text("same")
    with pytest.warns(NameCollisionWarning):
        m = build_manifest(root, datasets=[ENTRY], progress=False)
    (root / "readme").unlink()
    os.link(root / "README", root / "readme")
    with pytest.raises(UnsafePathError, match="treats as one file"):
        verify_manifest(m, root, progress=False)
    (root / "readme").unlink()
    assert verify_manifest(m, root, progress=False).missing == ["readme"]


def test_workers_processes_and_threads_give_the_same_manifest(tmp_path: Path) -> None:
    root = tmp_path / "r"
    for i in range(60):
        folder = root / f"d{i % 4}"
        folder.mkdir(parents=True, exist_ok=True)
        (folder / f"{i}.bin").write_bytes(os.urandom(i * 37))
    (root / "big.bin").write_bytes(os.urandom((1 << 20) + 5))
    plain = build_manifest(root, datasets=[ENTRY], processes=0, workers=1, progress=False)
    forked = build_manifest(root, datasets=[ENTRY], processes=2, progress=False)
    assert forked == plain
    (root / "d1" / "1.bin").write_bytes(b"changed")
    report = verify_manifest(plain, root, processes=2, progress=False)
    assert report.changed == ["d1/1.bin"]
    shutil.rmtree(root / "d2")
    assert len(verify_manifest(plain, root, processes=2, progress=False).missing) == 15


def test_processes_must_be_a_count(tmp_path: Path) -> None:
    from openmodel_gov.errors import ConfigError

    with pytest.raises(ConfigError, match="processes"):
        build_manifest(tmp_path, datasets=[ENTRY], processes=-1)
