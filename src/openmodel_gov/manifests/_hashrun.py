"""Hashing the files of a walk: small files in worker processes, large files in threads.

**Opening files.** Every path is opened component by component relative to directory file
descriptors, each folder with ``O_NOFOLLOW | O_DIRECTORY`` and the file with ``O_NOFOLLOW``,
starting from one descriptor of the root. A folder swapped for a symlink while a run is under
way therefore fails with ``ELOOP``/``ENOTDIR`` -- it is reported, never followed, so nothing
outside the root is ever read. (With ``follow_symlinks=True`` the caller asked for links to be
followed, and paths are opened as ``root + rel``.) A worker keeps the descriptor of the folder
it is in, so files of one folder cost one ``openat`` each.

**Which files where.** The walk gives every size, so the split is made up front:

* files under :data:`SMALL_FILE` are hashed in batches of consecutive paths (same folders);
  with at least :data:`PROCESS_MIN_FILES` of them and more than one CPU, the batches go to
  worker processes (forked, so nothing is re-imported), since their time is Python work under
  the GIL -- threads do not help there;
* larger files are hashed in a thread pool, at most one per CPU at a time: ``hashlib`` and
  ``os.readv`` release the GIL, so threads scale for them.

The small-file loop reads a file with one ``read`` of its size plus one byte and takes the
walk's stat as "before": a file is accepted only when ``fstat`` afterwards gives the same
(device, inode, size, mtime, ctime). Anything else goes to the general path, which retries
and reports.
"""

from __future__ import annotations

import errno
import gc
import hashlib
import multiprocessing
import os
import stat
import threading
from collections.abc import Iterable, Mapping, Sequence
from concurrent.futures import Future, ProcessPoolExecutor, ThreadPoolExecutor
from typing import NamedTuple

from openmodel_gov.manifests._hashing import FileDigests, HashEngine, Sha256Engine
from openmodel_gov.manifests._progress import Progress
from openmodel_gov.manifests._scan import StatKey, cpu_count, stat_key

__all__ = [
    "DIR_FD_SUPPORTED",
    "PROCESS_MIN_FILES",
    "SMALL_FILE",
    "Dirs",
    "HashFailure",
    "default_workers",
    "hash_files",
    "open_flags",
    "open_root",
    "process_pool",
    "small_batch_sha256",
]

#: Files below this size are "small": hashed in batches, in processes when there are many.
SMALL_FILE = 1 << 20
#: A small-file batch ends after this many files or bytes.
BATCH_FILES = 512
BATCH_BYTES = 16 << 20
#: Worker processes are used from this many small files on (below, start-up would dominate).
PROCESS_MIN_FILES = 2_000

_DIR_FLAGS = (
    os.O_RDONLY
    | getattr(os, "O_DIRECTORY", 0)
    | getattr(os, "O_CLOEXEC", 0)
    | getattr(os, "O_NOFOLLOW", 0)
)
# O_NONBLOCK: a fifo swapped in after the walk must not block open(); no effect on files.
_OPEN_FLAGS = (
    os.O_RDONLY
    | getattr(os, "O_CLOEXEC", 0)
    | getattr(os, "O_BINARY", 0)
    | getattr(os, "O_NONBLOCK", 0)
)
_NOFOLLOW = getattr(os, "O_NOFOLLOW", 0)
#: Whether ``open`` accepts ``dir_fd`` here (POSIX); elsewhere paths are joined to the root.
DIR_FD_SUPPORTED = os.open in os.supports_dir_fd


def open_flags(*, follow_symlinks: bool) -> int:
    """The ``open`` flags for a file: ``O_NOFOLLOW`` unless the caller follows links."""
    return _OPEN_FLAGS if follow_symlinks else _OPEN_FLAGS | _NOFOLLOW


def open_root(root: str) -> int:
    """A descriptor of the snapshot root (the root itself may be reached through a link)."""
    return os.open(root, _DIR_FLAGS & ~_NOFOLLOW)


class HashFailure(NamedTuple):
    """A file that could not be hashed, and why."""

    path: str
    error: OSError


def default_workers() -> int:
    """Thread pool size: CPUs + 1, so one thread's syscalls overlap the others' work.

    Large files are CPU-bound: at most :func:`cpu_count` of them are hashed at once.
    """
    return min(32, cpu_count() + 1)


class Dirs:
    """Folders of one worker, opened from the root's descriptor without following links."""

    def __init__(self, root: str, root_fd: int | None) -> None:
        self.joined_root = os.path.join(root, "")
        self.root_fd = root_fd
        self.prefix: str | None = None
        self.fd: int | None = None

    def locate(self, rel: str) -> tuple[int | None, str]:
        """``(dir_fd, name)`` to open ``rel`` with; ``(None, path)`` without descriptors.

        Raises:
            OSError: a folder on the way cannot be opened -- ``ELOOP``/``ENOTDIR`` when it
                was replaced by a symlink or a file.
        """
        if self.root_fd is None:
            return None, self.joined_root + rel
        folder, _, name = rel.rpartition("/")
        if folder != self.prefix:
            self.close()
            self.fd = _open_folder(self.root_fd, folder)
            self.prefix = folder
        return self.fd, name

    def close(self) -> None:
        if self.fd is not None and self.fd != self.root_fd:
            os.close(self.fd)
        self.fd = None
        self.prefix = None


def _open_folder(root_fd: int, folder: str) -> int:
    """A descriptor of ``folder`` (relative POSIX) reached one component at a time."""
    if not folder:
        return root_fd
    fd = root_fd
    try:
        for part in folder.split("/"):
            nxt = os.open(part, _DIR_FLAGS, dir_fd=fd)
            if fd != root_fd:
                os.close(fd)
            fd = nxt
    except OSError:
        if fd != root_fd:
            os.close(fd)
        raise
    return fd


def _hash_one(dirs: Dirs, rel: str, engine: HashEngine, flags: int) -> tuple[FileDigests, StatKey]:
    for _attempt in range(3):
        dir_fd, name = dirs.locate(rel)
        fd = os.open(name, flags, dir_fd=dir_fd)
        try:
            before = os.fstat(fd)
            if not stat.S_ISREG(before.st_mode):
                raise OSError(errno.EINVAL, "not a regular file")
            digests = engine.hash_fd(fd, size_hint=before.st_size)
            after = os.fstat(fd)
        finally:
            os.close(fd)
        if (
            digests.size == after.st_size == before.st_size
            and after.st_mtime_ns == before.st_mtime_ns
            and after.st_ctime_ns == before.st_ctime_ns
            and after.st_ino == before.st_ino
        ):
            return digests, stat_key(after)
    raise OSError(errno.EAGAIN, "file kept changing while it was hashed")


def small_batch_sha256(
    dirs: Dirs,
    batch: Iterable[tuple[str, int, StatKey | None]],
    flags: int,
) -> tuple[list[tuple[str, str, StatKey]], list[str]]:
    """Tight loop for small files: ``openat``, one ``read``, ``fstat``; no per-file objects.

    Each job carries the walk's stat key, the "before" stat. Returns ``(path, sha256 hex,
    key)`` for the files accepted and the paths that need the general path (changed, odd or
    failing), which retries and reports errors. The read is bounded (size + 1), so even a
    device swapped in cannot make it run away.
    """
    sha256, isreg = hashlib.sha256, stat.S_ISREG
    done: list[tuple[str, str, StatKey]] = []
    slow: list[str] = []
    for rel, size, expected in batch:
        try:
            dir_fd, name = dirs.locate(rel)
            fd = os.open(name, flags, dir_fd=dir_fd)
        except OSError:
            slow.append(rel)
            continue
        try:
            data = os.read(fd, size + 1)
            after = os.fstat(fd)
        except OSError:
            slow.append(rel)
            continue
        finally:
            os.close(fd)
        key = (after.st_dev, after.st_ino, after.st_size, after.st_mtime_ns, after.st_ctime_ns)
        if len(data) != size or key != expected or not isreg(after.st_mode):
            slow.append(rel)
            continue
        done.append((rel, sha256(data).hexdigest(), key))
    return done, slow


def _process_batch(
    root: str, use_fds: bool, flags: int, batch: list[tuple[str, int, StatKey | None]]
) -> tuple[list[str], list[str]]:
    """:func:`small_batch_sha256` in a worker process (opens its own root descriptor).

    Returns the digests of the accepted files in batch order (their stat keys are the ones
    sent: a file is accepted only when ``fstat`` matched) and the paths for the general path;
    returning less keeps the pipe between the processes short.
    """
    root_fd = open_root(root) if use_fds else None
    dirs = Dirs(root, root_fd)
    try:
        done, slow = small_batch_sha256(dirs, batch, flags)
    finally:
        dirs.close()
        if root_fd is not None:
            os.close(root_fd)
    return [digest for _, digest, _ in done], slow


def _split(
    jobs: Sequence[tuple[str, int]],
) -> tuple[list[list[tuple[str, int]]], list[tuple[str, int]]]:
    """Small files in batches of consecutive jobs (the walk's order: folder by folder, so a
    batch touches few folders); large files, largest first."""
    small = [j for j in jobs if j[1] < SMALL_FILE]
    large = sorted((j for j in jobs if j[1] >= SMALL_FILE), key=lambda j: (-j[1], j[0]))
    batches: list[list[tuple[str, int]]] = []
    batch: list[tuple[str, int]] = []
    batch_bytes = 0
    for job in small:
        batch.append(job)
        batch_bytes += job[1]
        if len(batch) >= BATCH_FILES or batch_bytes >= BATCH_BYTES:
            batches.append(batch)
            batch, batch_bytes = [], 0
    if batch:
        batches.append(batch)
    return batches, large


def process_pool(processes: int) -> ProcessPoolExecutor | None:
    """A forked pool, or ``None`` where forking is unavailable or unsafe (other threads)."""
    if "fork" not in multiprocessing.get_all_start_methods():
        return None  # pragma: no cover - not on Linux
    if threading.active_count() > 1:
        return None  # forking a threaded process can deadlock the child
    context = multiprocessing.get_context("fork")
    # A forked worker shares the parent's heap; a garbage collection there would walk (and
    # so copy, page by page) every object inherited from the parent. Workers allocate little
    # and build no cycles: they run without the collector.
    return ProcessPoolExecutor(max_workers=processes, mp_context=context, initializer=gc.disable)


def _processes_for(processes: int | None, small_files: int, engine: HashEngine) -> int:
    if type(engine) is not Sha256Engine or engine.with_blake3:
        return 0  # only the default engine is known to be safe to run in a fork
    if processes is not None:
        return processes
    if small_files < PROCESS_MIN_FILES or cpu_count() < 2:
        return 0
    return min(cpu_count(), max(1, small_files // (PROCESS_MIN_FILES // 2)))


class _Run:
    """The shared state of one :func:`hash_files` call: results, failures, per-thread folders."""

    def __init__(
        self,
        root: str,
        root_fd: int | None,
        *,
        engine: HashEngine,
        flags: int,
        fast_keys: Mapping[str, StatKey] | None,
        progress: Progress,
        cpu_slots: threading.BoundedSemaphore,
    ) -> None:
        self.root, self.root_fd, self.engine, self.flags = root, root_fd, engine, flags
        self.fast_keys, self.progress, self.cpu_slots = fast_keys, progress, cpu_slots
        self.results: dict[str, tuple[FileDigests, StatKey]] = {}
        self.failures: list[HashFailure] = []
        self.opened: list[Dirs] = []
        self.local = threading.local()

    def dirs(self) -> Dirs:
        mine: Dirs | None = getattr(self.local, "dirs", None)
        if mine is None:
            mine = self.local.dirs = Dirs(self.root, self.root_fd)
            self.opened.append(mine)
        return mine

    def general(self, batch: Iterable[tuple[str, int]]) -> None:
        here = self.dirs()
        for rel, size in batch:
            try:
                self.results[rel] = _hash_one(here, rel, self.engine, self.flags)
            except OSError as exc:
                self.failures.append(HashFailure(rel, exc))
            self.progress.add(size, files=1)

    def accept(
        self, done: list[tuple[str, str, StatKey]], slow: list[str], sizes: dict[str, int]
    ) -> None:
        new = tuple.__new__
        for rel, digest, key in done:
            self.results[rel] = (new(FileDigests, (digest, key[2], None)), key)
        self.progress.add(sum(key[2] for _, _, key in done), files=len(done))
        self.general((rel, sizes[rel]) for rel in slow)

    def accept_digests(
        self, batch: list[tuple[str, int]], digests: list[str], slow: list[str]
    ) -> None:
        fast_keys = self.fast_keys
        assert fast_keys is not None
        skip = set(slow)
        rels = [rel for rel, _ in batch if rel not in skip] if skip else [rel for rel, _ in batch]
        self.accept(
            [(rel, digest, fast_keys[rel]) for rel, digest in zip(rels, digests, strict=True)],
            slow,
            dict(batch) if slow else {},
        )

    def small_here(self, batch: list[tuple[str, int]]) -> None:
        if self.fast_keys is None:
            self.general(batch)
            return
        triples = [(rel, size, self.fast_keys.get(rel)) for rel, size in batch]
        done, slow = small_batch_sha256(self.dirs(), triples, self.flags)
        self.accept(done, slow, dict(batch))

    def large_one(self, job: tuple[str, int]) -> None:
        with self.cpu_slots:
            self.general([job])

    def close(self) -> None:
        for mine in self.opened:
            mine.close()
        if self.root_fd is not None:
            os.close(self.root_fd)
        self.progress.close()


_Pending = list[tuple[Future[tuple[list[str], list[str]]], list[tuple[str, int]]]]


def _submit(
    pool: ProcessPoolExecutor,
    run: _Run,
    use_fds: bool,
    small_batches: list[list[tuple[str, int]]],
) -> _Pending:
    """Send every small batch to the worker processes."""
    fast_keys = run.fast_keys
    assert fast_keys is not None
    pending: _Pending = []
    for batch in small_batches:
        triples = [(rel, size, fast_keys.get(rel)) for rel, size in batch]
        pending.append((pool.submit(_process_batch, run.root, use_fds, run.flags, triples), batch))
    return pending


def _hash_here(
    run: _Run,
    workers: int,
    large: list[tuple[str, int]],
    small_batches: list[list[tuple[str, int]]],
    pending: _Pending,
) -> None:
    """Large files on threads, small batches here meanwhile, then the processes' results."""
    threads = workers > 1 and len(large) > 0
    with ThreadPoolExecutor(
        max_workers=workers if threads else 1, thread_name_prefix="omg-hash"
    ) as threadpool:
        futures = [threadpool.submit(run.large_one, job) for job in large] if threads else []
        if not threads:
            for job in large:
                run.large_one(job)
        for batch in small_batches:  # meanwhile, here: large files release the GIL
            run.small_here(batch)
        for future, batch in pending:
            digests, slow = future.result()
            run.accept_digests(batch, digests, slow)
        for f in futures:
            f.result()


def hash_files(
    root: str,
    jobs: Sequence[tuple[str, int]],
    *,
    engine: HashEngine,
    workers: int,
    progress: Progress,
    follow_symlinks: bool = False,
    big_file_slots: int | None = None,
    keys: Mapping[str, StatKey] | None = None,
    processes: int | None = None,
) -> tuple[dict[str, tuple[FileDigests, StatKey]], list[HashFailure]]:
    """Hash ``jobs`` (relative path, expected size) under ``root``.

    Args:
        root: the snapshot folder.
        jobs: relative POSIX paths and the sizes the walk saw.
        engine: the hash engine (only the default one runs in worker processes).
        workers: threads for large files.
        progress: counts bytes and files.
        follow_symlinks: open ``root + rel`` following links (the caller opted in).
        big_file_slots: how many large (CPU-bound) files are hashed at once; default: CPUs.
        keys: the stat keys seen by the walk; with the default engine small files are read
            with one ``fstat`` and accepted only when it matches.
        processes: worker processes for small files; ``None``: automatic (see module doc),
            ``0``: none.

    Returns:
        Digests and the stat key observed while hashing, per path; and the failures
        (vanished, unreadable, changed while hashing, a folder replaced by a link).
    """
    if big_file_slots is None:
        big_file_slots = cpu_count()
    use_fds = DIR_FD_SUPPORTED and not follow_symlinks
    flags = open_flags(follow_symlinks=follow_symlinks)
    root_fd = open_root(root) if use_fds else None
    fast_keys = keys if type(engine) is Sha256Engine and not engine.with_blake3 else None
    small_batches, large = _split(jobs)
    cpu_slots = threading.BoundedSemaphore(max(1, min(workers, big_file_slots)))
    run = _Run(
        root,
        root_fd,
        engine=engine,
        flags=flags,
        fast_keys=fast_keys,
        progress=progress,
        cpu_slots=cpu_slots,
    )
    n_small = sum(len(b) for b in small_batches)
    pool = None
    count = _processes_for(processes, n_small, engine)
    if count and fast_keys is not None and small_batches:
        pool = process_pool(count)
    try:
        pending: _Pending = []
        if pool is not None and fast_keys is not None:
            pending = _submit(pool, run, use_fds, small_batches)
            small_batches = []
        _hash_here(run, workers, large, small_batches, pending)
    finally:
        if pool is not None:
            pool.shutdown(wait=True)
        run.close()
    run.failures.sort(key=lambda f: f.path)
    return run.results, run.failures
