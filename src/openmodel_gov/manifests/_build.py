"""Building a manifest from a folder, and verifying a folder against a manifest."""

from __future__ import annotations

import os
import sys
import time
from collections.abc import Callable, Mapping, Sequence
from pathlib import Path
from typing import Any, Literal, NamedTuple

from openmodel_gov.errors import ConfigError, FileAccessError, InputError
from openmodel_gov.manifests._cache import StatCache
from openmodel_gov.manifests._checks import refuse_merged_names, refuse_odd, warn_collisions
from openmodel_gov.manifests._compare import added_findings, missing_or_changed
from openmodel_gov.manifests._fanout import FannedOut, fan_out, fan_out_applies
from openmodel_gov.manifests._hashing import FileDigests, HashEngine, Sha256Engine
from openmodel_gov.manifests._hashrun import (
    PROCESS_MIN_FILES,
    HashFailure,
    default_workers,
    hash_files,
)
from openmodel_gov.manifests._model import (
    DatasetEntry,
    DatasetManifest,
    FileEntry,
    snapshot_digest_from_pairs,
    trusted_file_entry,
)
from openmodel_gov.manifests._progress import Progress, ProgressCallback
from openmodel_gov.manifests._remote import build_remote, is_url, root_for_local, verify_remote
from openmodel_gov.manifests._reports import VerificationReport
from openmodel_gov.manifests._scan import (
    StatKey,
    WalkResult,
    walk_folders,
    walk_tree,
)
from openmodel_gov.manifests._shards import DigestName, build_engine, verify_engine
from openmodel_gov.manifests._table import table_manifest

__all__ = ["Clock", "Hasher", "ProgressOption", "build", "verify"]

#: Nanoseconds since the epoch, as :func:`time.time_ns` (the stat cache's "racy" check).
Clock = Callable[[], int]

#: Where files are hashed: ``(root, jobs, keys, follow_symlinks, progress)`` to digests and
#: stat keys by path, and failures -- :func:`~._hashrun.hash_files` on this machine by
#: default, Ray tasks in :mod:`openmodel_gov.manifests.ray`.
Hasher = Callable[
    [str, Sequence[tuple[str, int]], Mapping[str, StatKey], bool, Progress],
    tuple[dict[str, tuple[FileDigests, StatKey]], list[HashFailure]],
]

#: ``"auto"``: a stderr bar when stderr is a terminal and the run lasts over a second.
ProgressOption = Literal["auto"] | bool | ProgressCallback


def _root(root: str | os.PathLike[str]) -> str:
    path = os.fspath(root)
    if not os.path.isdir(path):
        what = "does not exist" if not os.path.exists(path) else "is not a folder"
        raise FileAccessError(f"snapshot root {what}", source=path)
    return path


def _workers(workers: int | None) -> int:
    if workers is None:
        return default_workers()
    if isinstance(workers, bool) or workers < 1:
        raise ConfigError(f"workers must be a positive integer, got {workers!r}", field="workers")
    return workers


def _progress(option: ProgressOption, total: int, *, phase: str, files: int) -> Progress:
    if option == "auto":
        tty = sys.stderr is not None and sys.stderr.isatty()
        return Progress(total, None, bar=tty, phase=phase, files=files)
    if isinstance(option, bool):
        return Progress(total, None, bar=option, delay=0.0, phase=phase, files=files)
    if callable(option):
        return Progress(total, option, bar=False, phase=phase, files=files)
    raise ConfigError(
        f"progress must be 'auto', a bool or a callable, got {option!r}", field="progress"
    )


def _cache_pattern(cache: str | os.PathLike[str] | None, root: str) -> str | None:
    """The cache file's path relative to ``root`` as an escaped glob, if it lives inside."""
    if cache is None:
        return None
    try:
        rel = Path(os.path.realpath(cache)).relative_to(os.path.realpath(root))
    except ValueError:
        return None
    return "".join(f"[{c}]" if c in "*?[" else c for c in rel.as_posix())


def _engine(engine: HashEngine | None, blake3: bool) -> HashEngine:
    if engine is not None:
        return engine
    return Sha256Engine(with_blake3=blake3)


class _Run:
    """The options one build or verify hashes with."""

    def __init__(
        self,
        *,
        engine: HashEngine,
        workers: int | None,
        processes: int | None,
        progress: ProgressOption,
        follow_symlinks: bool,
        clock: Clock | None,
        phase: str,
        hasher: Hasher | None = None,
    ) -> None:
        self.engine = engine
        self.hasher = hasher
        self.workers = _workers(workers)
        if processes is not None and (isinstance(processes, bool) or processes < 0):
            raise ConfigError(f"processes must be 0 or more, got {processes!r}", field="processes")
        self.processes = processes
        self.progress = progress
        self.follow_symlinks = follow_symlinks
        self.clock: Clock = clock if clock is not None else time.time_ns
        self.phase = phase

    def hash(
        self, root: str, todo: dict[str, StatKey]
    ) -> tuple[dict[str, tuple[FileDigests, StatKey]], list[tuple[str, OSError]], int]:
        """Hash the files in ``todo``; also returns when hashing started (the racy check)."""
        jobs = [(rel, key[2]) for rel, key in todo.items()]
        started = self.clock()
        total = sum(size for _, size in jobs)
        progress = _progress(self.progress, total, phase=self.phase, files=len(jobs))
        if self.hasher is not None:
            hashed, failures = self.hasher(root, jobs, todo, self.follow_symlinks, progress)
        else:
            hashed, failures = hash_files(
                root,
                jobs,
                engine=self.engine,
                workers=self.workers,
                progress=progress,
                follow_symlinks=self.follow_symlinks,
                keys=todo,
                processes=self.processes,
            )
        return hashed, [(f.path, f.error) for f in failures], started


def build(
    root: str | os.PathLike[str],
    *,
    datasets: Sequence[DatasetEntry],
    cache: str | os.PathLike[str] | None,
    workers: int | None,
    progress: ProgressOption,
    follow_symlinks: bool,
    exclude: Sequence[str],
    blake3: bool,
    engine: HashEngine | None,
    processes: int | None = None,
    clock: Clock | None = None,
    hasher: Hasher | None = None,
    storage_options: Mapping[str, Any] | None = None,
    digest: DigestName = "sha256",
    shard_size: int | None = None,
) -> DatasetManifest:
    """Walk, hash and describe ``root`` (see :func:`openmodel_gov.manifests.build_manifest`)."""
    root = root_for_local(root)
    engine = (
        build_engine(
            digest, shard_size, engine=engine, blake3=blake3, cache=cache, url=is_url(root)
        )
        or engine
    )
    if is_url(root):
        assert isinstance(root, str)
        _check_datasets(datasets)
        _no_local_options(cache=cache, engine=engine, hasher=hasher)
        return build_remote(
            root,
            datasets=datasets,
            exclude=exclude,
            workers=workers,
            progress=_progress(progress, 0, phase="hashing", files=0),
            blake3=blake3,
            storage_options=storage_options,
        )
    base = _root(root)
    entries = _check_datasets(datasets)
    run = _Run(
        engine=_engine(engine, blake3),
        workers=workers,
        processes=processes,
        progress=progress,
        follow_symlinks=follow_symlinks,
        clock=clock,
        phase="hashing",
        hasher=hasher,
    )
    patterns = [*exclude]
    own = _cache_pattern(cache, base)
    if own is not None and own not in patterns:
        patterns.append(own)
    walk, fanned = _walk(run, base, patterns, cached=cache is not None)
    refuse_odd(walk, base)
    warn_collisions(walk.collisions, base)
    if fanned is not None:
        _raise_failures([(f.path, f.error) for f in fanned.failures], base)
        paths, sizes, shas = fanned.columns()
        _owned(entries, paths, base)
        return table_manifest(
            datasets=entries,
            excluded=tuple(patterns),
            follow_symlinks=follow_symlinks,
            paths=paths,
            sizes=sizes,
            shas=shas,
        )
    files = _hash_here(run, base, walk, cache, blake3=blake3)
    _owned(entries, [f.path for f in files], base)
    return DatasetManifest(
        datasets=entries,
        files=files,
        excluded=tuple(patterns),
        follow_symlinks=follow_symlinks,
        hash_algorithm=digest,
        shard_size=getattr(run.engine, "shard_size", None) if digest != "sha256" else None,
    )


def _owned(entries: Sequence[DatasetEntry], paths: Sequence[str], base: str) -> None:
    """Refuse a dataset whose ``paths`` match no file."""
    for entry in entries:
        if entry.paths and not any(map(entry.owns, paths)):
            raise InputError(
                f"dataset {entry.name!r}: paths {list(entry.paths)} match no file under the root",
                source=base,
                field="paths",
                hint="paths are relative to the snapshot root, e.g. 'train/'",
            )


def _walk(
    run: _Run, base: str, patterns: Sequence[str], *, cached: bool
) -> tuple[WalkResult, FannedOut | None]:
    """Walk ``base``; for a big tree, walk and hash in worker processes (:mod:`._fanout`).

    A first walk here, up to :data:`~._hashrun.PROCESS_MIN_FILES` files, decides: a tree it
    finishes is small, and is hashed as before; otherwise the workers hash what it found and
    walk (and hash) the folders it left.
    """
    follow = run.follow_symlinks
    if run.hasher is None and fan_out_applies(
        run.engine, processes=run.processes, follow_symlinks=follow, cached=cached
    ):
        root_st = os.stat(base)
        start = (base, "", frozenset({(root_st.st_dev, root_st.st_ino)}), None)
        probe, left = walk_folders([start], excluded=patterns, budget=PROCESS_MIN_FILES)
        if not left:
            return probe, None
        progress = _progress(run.progress, 0, phase=run.phase, files=0)
        fanned = fan_out(
            base,
            walk=probe,
            left=left,
            excluded=patterns,
            processes=run.processes,
            workers=run.workers,
            engine=run.engine,
            progress=progress,
        )
        if fanned is not None:
            return fanned.walk, fanned
    return walk_tree(base, follow_symlinks=follow, excluded=patterns), None


def _raise_failures(failures: Sequence[tuple[str, OSError]], base: str) -> None:
    if failures:
        rel, exc = failures[0]
        raise FileAccessError(
            f"cannot hash {rel!r}: {exc.strerror or exc}"
            + (f" (and {len(failures) - 1} more)" if len(failures) > 1 else ""),
            source=base,
        )


def _hash_here(
    run: _Run,
    base: str,
    walk: WalkResult,
    cache: str | os.PathLike[str] | None,
    *,
    blake3: bool,
) -> tuple[FileEntry, ...]:
    """Hash the files of ``walk`` (those the stat cache does not answer)."""
    stat_cache = StatCache.open(cache, root=base) if cache is not None else None
    found: dict[str, FileDigests] = {}
    todo = walk.files
    if stat_cache is not None:
        found, todo = stat_cache.match(walk, need_blake3=blake3)
    hashed, failures, started = run.hash(base, todo)
    for rel, (digests, _key) in hashed.items():
        found[rel] = digests
    if stat_cache is not None:  # keep what was hashed, even if a file failed below
        stat_cache.update(walk, hashed, hashed_at_ns=started)
        stat_cache.save()
    _raise_failures(failures, base)
    # Paths were checked by the walk and digests come from hashlib: no re-validation, which
    # would cost more than hashing a small file.
    return tuple(
        trusted_file_entry(rel, d.size, d.sha256, d.blake3 if blake3 else None)
        for rel, d in found.items()
    )


def _check_datasets(datasets: Sequence[DatasetEntry]) -> tuple[DatasetEntry, ...]:
    entries = tuple(datasets)
    if not entries or not all(isinstance(d, DatasetEntry) for d in entries):
        raise ConfigError(
            "datasets must be one or more DatasetEntry objects",
            field="datasets",
            hint="describe each dataset with DatasetEntry(name=..., version=..., ...)",
        )
    return entries


def _no_local_options(**options: object) -> None:
    given = [name for name, value in options.items() if value is not None]
    if given:
        raise ConfigError(
            f"{given[0]}= works on local folders only, not on object-store URLs",
            field=given[0],
        )


def _all_cached(stat_cache: StatCache, walk: WalkResult, manifest: DatasetManifest) -> bool:
    """Every file on disk cached with an unchanged stat key, and exactly the manifest's."""
    return not walk.odd and stat_cache.describes(walk) and stat_cache.holds(manifest.files)


class _Checked(NamedTuple):
    """What a verify found on disk: digests, failures, files the cache confirmed."""

    found: dict[str, FileDigests]
    failed: dict[str, OSError]
    confirmed: set[str]
    files_hashed: int


def _check_files(
    run: _Run,
    base: str,
    walk: WalkResult,
    *,
    fanned: FannedOut | None,
    stat_cache: StatCache | None,
    expected: Mapping[str, FileEntry],
) -> _Checked:
    """Hash what the cache does not confirm (everything, when the workers walked)."""
    if fanned is not None:
        found = fanned.found()
        failed = {f.path: f.error for f in fanned.failures}
        return _Checked(found, failed, set(), len(found) + len(failed))
    confirmed: set[str] = set()
    to_check = walk.files
    if stat_cache is not None:
        outcome = stat_cache.confirm(walk, expected)
        confirmed.update(outcome.confirmed)
        # Not confirmed: hashed afresh, so a finding never rests on a cached digest.
        to_check = outcome.rest
    hashed, failures, started = run.hash(base, to_check)
    if stat_cache is not None:
        stat_cache.update(walk, hashed, hashed_at_ns=started)
        stat_cache.save()
    found = {rel: digests for rel, (digests, _key) in hashed.items()}
    return _Checked(found, dict(failures), confirmed, len(to_check))


def verify(
    manifest: DatasetManifest,
    root: str | os.PathLike[str],
    *,
    cache: str | os.PathLike[str] | None,
    workers: int | None,
    progress: ProgressOption,
    follow_symlinks: bool | None,
    engine: HashEngine | None,
    processes: int | None = None,
    clock: Clock | None = None,
    hasher: Hasher | None = None,
    storage_options: Mapping[str, Any] | None = None,
) -> VerificationReport:
    """Compare ``root`` with ``manifest`` (see :func:`openmodel_gov.manifests.verify_manifest`)."""
    if not isinstance(manifest, DatasetManifest):
        raise ConfigError(
            f"expected a DatasetManifest, got {type(manifest).__name__}",
            field="manifest",
            hint="load it first with load_manifest(path)",
        )
    root = root_for_local(root)
    if is_url(root) and manifest.hash_algorithm != "sha256":
        raise ConfigError(
            f"object stores are verified with sha256; this manifest records "
            f"{manifest.hash_algorithm!r}",
            field="hash_algorithm",
        )
    if is_url(root):
        assert isinstance(root, str)
        _no_local_options(cache=cache, engine=engine, hasher=hasher)
        return verify_remote(
            manifest,
            root,
            workers=workers,
            progress=_progress(progress, 0, phase="verifying", files=0),
            storage_options=storage_options,
        )
    base = _root(root)
    if follow_symlinks is None:
        follow_symlinks = manifest.follow_symlinks
    run = _Run(
        engine=_engine(verify_engine(manifest, engine, cache=cache), blake3=False),
        workers=workers,
        processes=processes,
        progress=progress,
        follow_symlinks=follow_symlinks,
        clock=clock,
        phase="verifying",
        hasher=hasher,
    )
    refuse_merged_names(manifest, base)
    patterns = list(manifest.excluded)
    own = _cache_pattern(cache, base)
    if own is not None and own not in patterns:
        patterns.append(own)
    walk, fanned = _walk(run, base, patterns, cached=cache is not None)
    stat_cache = StatCache.open(cache, root=base) if cache is not None else None
    # The fast path: every file on disk is cached with an unchanged stat key, and the cached
    # files are exactly the manifest's. No step per file beyond the walk.
    if stat_cache is not None and _all_cached(stat_cache, walk, manifest):
        return VerificationReport(
            root=base,
            expected_snapshot_digest=manifest.snapshot_digest,
            found_snapshot_digest=manifest.snapshot_digest,
            files_checked=len(manifest.files),
            files_hashed=0,
            findings=(),
        )
    expected = {f.path: f for f in manifest.files}
    found, failed, confirmed, files_hashed = _check_files(
        run, base, walk, fanned=fanned, stat_cache=stat_cache, expected=expected
    )
    odd = dict.fromkeys(walk.symlinks, "replaced by a symlink")
    odd.update(dict.fromkeys(walk.specials, "not a regular file (fifo, socket or device)"))
    odd.update(dict(walk.unsafe))
    findings = missing_or_changed(expected, confirmed, found, failed, odd)
    findings += added_findings(
        sorted((set(found) | set(failed) | set(odd)) - expected.keys()), found, failed, odd
    )
    findings.sort(key=lambda f: f.path.encode("utf-8", "surrogateescape"))
    found_snapshot = None
    if not findings:
        found_snapshot = manifest.snapshot_digest  # same paths, same digests
    elif not failed and not odd:
        pairs = [(rel, d.sha256) for rel, d in found.items()]
        pairs.extend((rel, expected[rel].sha256) for rel in confirmed)
        found_snapshot = snapshot_digest_from_pairs(pairs)
    return VerificationReport(
        root=base,
        expected_snapshot_digest=manifest.snapshot_digest,
        found_snapshot_digest=found_snapshot,
        files_checked=len(expected),
        files_hashed=files_hashed,
        findings=tuple(findings),
    )
