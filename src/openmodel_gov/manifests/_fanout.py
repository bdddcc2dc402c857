"""Walking and hashing in the worker processes: the parent schedules folders, not files.

Without this, the parent process walks the whole tree (one ``lstat`` per file), sends every
small file to a worker as a ``(path, size, stat key)`` triple and merges the digests back one
by one: about 10 µs of serial Python per file, which caps a many-core machine at about
100,000 small files per second however many workers hash. Here the parent only hands out
*folders*:

* a worker takes a few pending folders, walks them and the folders below them depth first
  (the same per-folder code as :func:`~._scan.walk_tree`: ``O_NOFOLLOW`` opens checked
  against the ``lstat`` seen, one ``fstatat`` per name) until it has seen about
  :data:`WALK_BUDGET` files, hashes the small files of every folder it walked (the tight loop
  of :mod:`._hashrun`: folder descriptors opened from the root one component at a time, the
  walk's stat key as "before", ``fstat`` after) and returns, per folder, the sorted names,
  their stat keys and one string of the digests (64 hex characters per file, blanks for the
  files it left: large files and files that changed), plus the folders it did not reach;
* a folder with more than :data:`FOLDER_HASH_MAX` files is walked by one worker but hashed
  in slices by all of them;
* large files (and the few small files a worker could not take) are hashed afterwards by the
  thread pool of :func:`~._hashrun.hash_files`, which retries and reports.

The parent's work per file is what it must keep anyway: the names and keys a worker sends,
and the digest column. Used for builds and verifies without a stat cache, with the default
engine, not following symlinks, on POSIX. The caller walks the first
:data:`~._hashrun.PROCESS_MIN_FILES` files itself: a tree that walk finishes keeps the
single-process path; otherwise the workers hash the folders it found (in slices) and walk the
folders it left.
"""

from __future__ import annotations

import os
import queue
from bisect import bisect_left
from collections.abc import Callable, Sequence
from concurrent.futures import Future, ProcessPoolExecutor
from dataclasses import dataclass, field
from typing import Any, NamedTuple

from openmodel_gov.manifests._hashing import FileDigests, HashEngine, Sha256Engine
from openmodel_gov.manifests._hashrun import (
    DIR_FD_SUPPORTED,
    SMALL_FILE,
    Dirs,
    HashFailure,
    hash_files,
    open_flags,
    open_root,
    process_pool,
    small_batch_sha256,
)
from openmodel_gov.manifests._progress import Progress
from openmodel_gov.manifests._scan import (
    KEY_LEN,
    Folder,
    PendingFolder,
    StatKey,
    WalkResult,
    cpu_count,
    walk_folders,
)

__all__ = ["FOLDER_HASH_MAX", "WALK_BUDGET", "FannedOut", "fan_out", "fan_out_applies"]

#: Files (and folders) a worker walks per task before it returns what is left.
WALK_BUDGET = 2048
#: A folder with more files than this is hashed in slices of this many, by every worker.
FOLDER_HASH_MAX = 4096
#: Pending folders handed to one task at most.
_ITEMS_PER_TASK = 64
_BLANK = " " * 64


@dataclass
class FannedOut:
    """A walk and its digests, folder by folder (``digests[prefix][i]`` is the SHA-256 of
    ``walk.folders[prefix].names[i]``; ``""`` for a file that failed)."""

    walk: WalkResult
    digests: dict[str, list[str]] = field(default_factory=dict)
    #: Sizes hashed that differ from the walk's (a file changed and was hashed again).
    sizes: dict[str, int] = field(default_factory=dict)
    failures: list[HashFailure] = field(default_factory=list)

    def columns(self) -> tuple[list[str], list[int], list[str]]:
        """Paths, sizes and digests of every file hashed (walk order)."""
        paths: list[str] = []
        sizes: list[int] = []
        shas: list[str] = []
        for prefix, folder in self.walk.folders.items():
            paths += [prefix + name for name in folder.names]
            sizes += folder.keys[2::KEY_LEN]
            shas += self.digests[prefix]
        if self.sizes:
            index = {p: i for i, p in enumerate(paths) if p in self.sizes}
            for rel, size in self.sizes.items():
                sizes[index[rel]] = size
        if self.failures:
            keep = [i for i, d in enumerate(shas) if d]
            paths = [paths[i] for i in keep]
            sizes = [sizes[i] for i in keep]
            shas = [shas[i] for i in keep]
        return paths, sizes, shas

    def found(self) -> dict[str, FileDigests]:
        """The digests by path (what a verify compares)."""
        new = tuple.__new__
        paths, sizes, shas = self.columns()
        return {
            rel: new(FileDigests, (sha, size, None))
            for rel, size, sha in zip(paths, sizes, shas, strict=True)
        }


def fan_out_applies(
    engine: HashEngine, *, processes: int | None, follow_symlinks: bool, cached: bool
) -> bool:
    """Whether a run may walk and hash in worker processes (see the module doc)."""
    if type(engine) is not Sha256Engine or engine.with_blake3:
        return False
    if follow_symlinks or cached or not DIR_FD_SUPPORTED or processes == 0:
        return False
    return processes is not None or cpu_count() > 1


class _Slice(NamedTuple):
    """Digests of ``names[start:start+n]`` of one folder (blanks: not taken) and the names
    left to the parent (large files, files that changed or failed)."""

    prefix: str
    start: int
    digests: str
    left: list[str]


#: A slice of one folder: its prefix, the folder, and ``start``/``stop`` indexes of names.
_Job = tuple[str, Folder, int, int]


def _hash_slice(root_fd: int, root: str, flags: int, job: _Job) -> _Slice:
    prefix, folder, start, stop = job
    names, keys = folder.names, folder.keys
    jobs: list[tuple[str, int, StatKey | None]] = []
    for i in range(start, stop):
        j = i * KEY_LEN
        if keys[j + 2] < SMALL_FILE:
            jobs.append((prefix + names[i], keys[j + 2], folder.key(i)))
    dirs = Dirs(root, root_fd)
    try:
        done, _slow = small_batch_sha256(dirs, jobs, flags)
    finally:
        dirs.close()
    got = {rel: digest for rel, digest, _ in done}
    out: list[str] = []
    left: list[str] = []
    for name in names[start:stop]:
        digest = got.get(prefix + name)
        if digest is None:
            out.append(_BLANK)
            left.append(name)
        else:
            out.append(digest)
    return _Slice(prefix, start, "".join(out), left)


def _walk_task(
    root: str, flags: int, excluded: tuple[str, ...], items: list[PendingFolder]
) -> tuple[WalkResult, list[PendingFolder], list[_Slice]]:
    """In a worker: walk ``items`` (and below, up to the budget), hash their small files."""
    walk, left = walk_folders(items, excluded=excluded, budget=WALK_BUDGET)
    root_fd = open_root(root)
    try:
        slices = [
            _hash_slice(root_fd, root, flags, (prefix, folder, 0, len(folder.names)))
            for prefix, folder in walk.folders.items()
            if len(folder.names) <= FOLDER_HASH_MAX
        ]
    finally:
        os.close(root_fd)
    return walk, left, slices


def _slice_task(root: str, flags: int, job: _Job) -> _Slice:
    """In a worker: hash one slice of a big folder."""
    root_fd = open_root(root)
    try:
        return _hash_slice(root_fd, root, flags, job)
    finally:
        os.close(root_fd)


class _Scheduler:
    """The parent's side: pending folders to tasks, results to columns."""

    def __init__(
        self,
        root: str,
        pool: ProcessPoolExecutor,
        processes: int,
        excluded: tuple[str, ...],
        progress: Progress,
    ) -> None:
        self.root, self.pool, self.processes, self.excluded = root, pool, processes, excluded
        self.progress = progress
        self.flags = open_flags(follow_symlinks=False)
        self.done: queue.SimpleQueue[Future[Any]] = queue.SimpleQueue()
        self.in_flight = 0
        self.pending: list[PendingFolder] = []
        self.out = FannedOut(WalkResult())
        self.left: list[tuple[str, int]] = []

    def _submit(self, fn: Callable[..., Any], *args: Any) -> None:
        future = self.pool.submit(fn, *args)
        self.in_flight += 1
        future.add_done_callback(self.done.put)

    def _feed(self) -> None:
        """Keep about two tasks per process in flight while folders are pending."""
        while self.pending and self.in_flight < 2 * self.processes:
            share = -(-len(self.pending) // (2 * self.processes))
            take = max(1, min(_ITEMS_PER_TASK, share))
            items, self.pending = self.pending[-take:], self.pending[:-take]
            self._submit(_walk_task, self.root, self.flags, self.excluded, items)

    def _walked(
        self,
        walk: WalkResult,
        left: list[PendingFolder],
        slices: list[_Slice],
        *,
        hashed: bool = True,
    ) -> None:
        """Take a worker's walk (``hashed``: with the digests of its folders) or the
        parent's first walk (``hashed=False``: every folder is sent to be hashed)."""
        result = self.out.walk
        result.folders.update(walk.folders)
        result.symlinks += walk.symlinks
        result.specials += walk.specials
        result.unsafe += walk.unsafe
        result.collisions += walk.collisions
        self.pending += left
        progress = self.progress
        for prefix, folder in walk.folders.items():
            self.out.digests[prefix] = [_BLANK] * len(folder.names)
            progress.total += sum(folder.keys[2::KEY_LEN])
            progress.files_total += len(folder.names)
            if len(folder.names) > FOLDER_HASH_MAX or not hashed:
                for start in range(0, len(folder.names), FOLDER_HASH_MAX):
                    stop = min(start + FOLDER_HASH_MAX, len(folder.names))
                    job = (prefix, folder, start, stop)
                    self._submit(_slice_task, self.root, self.flags, job)
        for piece in slices:
            self._sliced(piece)

    def _sliced(self, piece: _Slice) -> None:
        column = self.out.digests[piece.prefix]
        text = piece.digests
        column[piece.start : piece.start + len(text) // 64] = [
            text[i : i + 64] for i in range(0, len(text), 64)
        ]
        folder = self.out.walk.folders[piece.prefix]
        keys = folder.keys
        stop = piece.start + len(text) // 64
        size = sum(keys[piece.start * KEY_LEN + 2 : stop * KEY_LEN : KEY_LEN])
        for name in piece.left:
            i = bisect_left(folder.names, name)
            self.left.append((piece.prefix + name, keys[i * KEY_LEN + 2]))
            size -= keys[i * KEY_LEN + 2]
        self.progress.add(size, files=stop - piece.start - len(piece.left))

    def run(self, walk: WalkResult, left: list[PendingFolder]) -> None:
        """Hash what ``walk`` found, then walk and hash the folders ``left``."""
        self._walked(walk, left, [], hashed=False)
        self._feed()
        while self.in_flight:
            future = self.done.get()
            self.in_flight -= 1
            result = future.result()
            if isinstance(result, _Slice):
                self._sliced(result)
            else:
                self._walked(*result)
            self._feed()


def _fill(out: FannedOut, hashed: dict[str, tuple[FileDigests, StatKey]]) -> None:
    """Put what the threads hashed into the digest columns."""
    for rel, (digests, _key) in hashed.items():
        folder_path, _, name = rel.rpartition("/")
        prefix = folder_path + "/" if folder_path else ""
        folder = out.walk.folders[prefix]
        i = bisect_left(folder.names, name)
        out.digests[prefix][i] = digests.sha256
        if digests.size != folder.keys[i * KEY_LEN + 2]:
            out.sizes[rel] = digests.size


def _tidy(out: FannedOut) -> None:
    """Results arrive in any order: sort what the walk found, blank failures."""
    walk = out.walk
    walk.folders = dict(sorted(walk.folders.items()))
    walk.symlinks.sort()
    walk.specials.sort()
    walk.unsafe.sort()
    walk.collisions.sort()
    failed = {f.path for f in out.failures}
    for rel in failed:
        folder_path, _, name = rel.rpartition("/")
        prefix = folder_path + "/" if folder_path else ""
        i = bisect_left(walk.folders[prefix].names, name)
        out.digests[prefix][i] = ""


def fan_out(
    root: str,
    *,
    walk: WalkResult,
    left: list[PendingFolder],
    excluded: Sequence[str],
    processes: int | None,
    workers: int,
    engine: HashEngine,
    progress: Progress,
) -> FannedOut | None:
    """Walk and hash ``root`` in worker processes; ``None`` where no pool can be forked.

    Args:
        root: the snapshot folder.
        walk: what the parent's first walk found (hashed by the workers, not walked again).
        left: the folders that walk did not reach.
        excluded: glob patterns left out.
        processes: worker processes (``None``: one per CPU).
        workers: threads for the files the workers leave (large ones, changed ones).
        engine: the engine of those threads.
        progress: counts bytes and files; its totals grow as folders are found.
    """
    count = processes if processes is not None else cpu_count()
    pool = process_pool(count)
    if pool is None:
        return None
    scheduler = _Scheduler(root, pool, count, tuple(excluded), progress)
    try:
        scheduler.run(walk, left)
    finally:
        pool.shutdown(wait=True)
    out = scheduler.out
    hashed, out.failures = hash_files(
        root, scheduler.left, engine=engine, workers=workers, progress=progress, processes=0
    )
    _fill(out, hashed)
    _tidy(out)
    return out
