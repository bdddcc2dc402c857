"""Walking a snapshot folder and hashing its files in a thread pool.

The walk lists each folder once and takes one ``lstat`` per name, relative to the open folder
(``fstatat``), recording per regular file the stat key the cache is keyed on. It does not use
``os.scandir``: every regular file needs an ``lstat`` for its key anyway, so ``d_type`` saves
no system call, and building a ``DirEntry`` per name cost about a quarter of the walk (20,000
files). Hashing runs largest files first so the pool ends together, and batches small files
so per-task overhead stays tiny.
"""

from __future__ import annotations

import errno
import fnmatch
import hashlib
import os
import stat
import sys
import threading
import time
from collections.abc import Callable, Iterable, Mapping, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from functools import cached_property
from typing import NamedTuple, TextIO

from openmodel_gov.manifests._hashing import FileDigests, HashEngine, Sha256Engine
from openmodel_gov.manifests._paths import control_free as _control_free
from openmodel_gov.manifests._paths import name_problem, path_problem

__all__ = [
    "KEY_LEN",
    "Folder",
    "HashFailure",
    "Progress",
    "ProgressCallback",
    "StatKey",
    "WalkResult",
    "cpu_count",
    "default_workers",
    "hash_files",
    "stat_key",
    "walk_tree",
]

#: ``(done_bytes, total_bytes)``; called from worker threads, at most ~10 times a second.
ProgressCallback = Callable[[int, int], None]

#: Files below this size are hashed in batches (one pool task for many files).
SMALL_FILE = 1 << 20
#: A small-file batch ends after this many files or bytes.
BATCH_FILES = 256
BATCH_BYTES = 8 << 20
#: Batches whose largest file is below this size are hashed in the calling thread.
TINY_FILE = 64 << 10


#: What the stat cache is keyed on -- ``(device, inode, size, mtime_ns, ctime_ns)``: a file
#: with the same key has the same bytes.
StatKey = tuple[int, int, int, int, int]

#: Ints per file in :attr:`Folder.keys`.
KEY_LEN = 5


def stat_key(st: os.stat_result) -> StatKey:
    """The :data:`StatKey` of a ``stat`` result."""
    return (st.st_dev, st.st_ino, st.st_size, st.st_mtime_ns, st.st_ctime_ns)


class Folder(NamedTuple):
    """The regular files directly inside one folder, as the walk saw them.

    ``names`` are sorted by code point (the order of their UTF-8 bytes, so the order of a
    manifest's paths within one folder); ``keys`` holds their stat keys flattened, five ints
    per name. Flat lists of plain ints and strings compare in C: a cached re-verify checks a
    whole folder with two list comparisons instead of one Python step per file.
    """

    names: list[str]
    keys: list[int]

    def key(self, i: int) -> StatKey:
        """The :data:`StatKey` of ``names[i]``."""
        k = self.keys
        j = i * KEY_LEN
        return (k[j], k[j + 1], k[j + 2], k[j + 3], k[j + 4])


@dataclass
class WalkResult:
    """Everything found under a root: regular files (by folder) and what was not one."""

    #: Folder prefix (``""`` for the root, else ``"a/b/"``) to its regular files; folders
    #: without regular files are left out.
    folders: dict[str, Folder] = field(default_factory=dict)
    symlinks: list[str] = field(default_factory=list)
    specials: list[str] = field(default_factory=list)
    unsafe: list[tuple[str, str]] = field(default_factory=list)

    @property
    def odd(self) -> bool:
        """Whether anything was found that is not a regular file with a safe name."""
        return bool(self.symlinks or self.specials or self.unsafe)

    @cached_property
    def files(self) -> dict[str, StatKey]:
        """Every regular file: relative path to stat key (built on first use)."""
        out: dict[str, StatKey] = {}
        for prefix, folder in self.folders.items():
            for i, name in enumerate(folder.names):
                out[prefix + name] = folder.key(i)
        return out


_DIR_FLAGS = os.O_RDONLY | getattr(os, "O_DIRECTORY", 0) | getattr(os, "O_CLOEXEC", 0)
#: Folders are opened and their names resolved relative to them (POSIX); elsewhere (Windows)
#: names are joined to the folder's path.
_DIR_FD = os.listdir in os.supports_fd and os.stat in os.supports_dir_fd  # lstat: fstatat too


def _excluded(rel: str, patterns: Sequence[str]) -> bool:
    return any(fnmatch.fnmatchcase(rel, pat) for pat in patterns)


def _name_issue(name: str, prefix: str, rel: str) -> str | None:
    try:
        name.encode("utf-8")
    except UnicodeEncodeError:
        return "name is not valid UTF-8"
    return name_problem(name) if prefix else path_problem(rel)


class _Dir(NamedTuple):
    """An open folder: its descriptor (``None`` without ``dir_fd`` support), the prefix to put
    before a name for ``stat`` (``""`` with a descriptor, else the folder's path and a
    separator), and its path."""

    fd: int | None
    base: str
    path: str


def _plain_files(
    where: _Dir,
    names: list[str],
    files: list[str],
    keys: list[int],
    subfolders: list[tuple[str, tuple[int, int]]],
) -> list[str]:
    """Sort one folder's plain names into regular files and subfolders; return the rest.

    The fast path of :func:`walk_tree` for a folder with plain names and no exclusions: one
    ``fstatat()`` per name relative to the open folder (the kernel resolves one name, not the
    whole path), and nothing else -- no ``DirEntry`` objects, no second look at the type.
    Symlinks, special files and names that fail are left to the general loop.
    """
    lstat, reg, isdir = os.lstat, stat.S_IFREG, stat.S_ISDIR
    dir_fd, base = where.fd, where.base
    add_file, add_folder = files.append, subfolders.append
    rest: list[str] = []
    for name in names:
        try:
            st = lstat(base + name, dir_fd=dir_fd)
        except OSError:
            rest.append(name)  # the general loop records why
            continue
        mode = st.st_mode
        if mode & 0o170000 == reg:  # S_ISREG, without a call per file
            add_file(name)
            keys += (st.st_dev, st.st_ino, st.st_size, st.st_mtime_ns, st.st_ctime_ns)
        elif isdir(mode):
            add_folder((name, (st.st_dev, st.st_ino)))
        else:
            rest.append(name)
    return rest


def _merge(names: list[str], keys: list[int], late: list[tuple[str, StatKey]]) -> Folder:
    """Files found by the general loop, merged into the fast path's (both sorted by name)."""
    pairs = [(name, Folder(names, keys).key(i)) for i, name in enumerate(names)]
    pairs.extend(late)
    pairs.sort()
    flat: list[int] = []
    for _, key in pairs:
        flat += key
    return Folder([name for name, _ in pairs], flat)


class _Walker:
    """One walk of :func:`walk_tree` (state shared by its folders)."""

    def __init__(self, *, follow_symlinks: bool, excluded: Sequence[str]) -> None:
        self.follow = follow_symlinks
        self.excluded = excluded
        self.result = WalkResult()
        self.stack: list[tuple[str, str, frozenset[tuple[int, int]]]] = []

    def folder(self, path: str, prefix: str, ancestors: frozenset[tuple[int, int]]) -> None:
        result = self.result
        where = prefix.rstrip("/") or "."
        dir_fd: int | None = None
        base = os.path.join(path, "")
        if _DIR_FD:
            try:
                dir_fd = os.open(path, _DIR_FLAGS)
            except OSError as exc:
                result.unsafe.append((where, f"cannot list folder: {exc.strerror}"))
                return
            base = ""  # names are resolved relative to the open folder
        try:
            try:
                names = os.listdir(path if dir_fd is None else dir_fd)
            except OSError as exc:
                result.unsafe.append((where, f"cannot list folder: {exc.strerror}"))
                return
            names.sort()  # code point order: the UTF-8 byte order of manifest paths
            here = _Dir(dir_fd, base, path)
            files: list[str] = []
            keys: list[int] = []
            subfolders: list[tuple[str, tuple[int, int]]] = []
            # One check for the whole folder: names cannot hold '/', so join on it.
            joined = "/".join(names)
            names_ok = bool(prefix) and joined.isascii() and _control_free(joined)
            if names_ok and not self.excluded:
                names = _plain_files(here, names, files, keys, subfolders)
            late = [
                item
                for name in names
                if (item := self.entry(here, prefix, name, ancestors, names_ok=names_ok))
            ]
        finally:
            if dir_fd is not None:
                os.close(dir_fd)
        for name, ident in reversed(subfolders):  # popped in name order
            # Without links no loop is possible: ancestors only matter when following them.
            inner = ancestors | {ident} if self.follow else ancestors
            self.stack.append((os.path.join(path, name), f"{prefix}{name}/", inner))
        if late:
            result.folders[prefix] = _merge(files, keys, late)
        elif files:
            result.folders[prefix] = Folder(files, keys)

    def entry(
        self,
        here: _Dir,
        prefix: str,
        name: str,
        ancestors: frozenset[tuple[int, int]],
        *,
        names_ok: bool,
    ) -> tuple[str, StatKey] | None:
        """Look at one name the fast path left; a regular file's (name, key), else ``None``."""
        result = self.result
        rel = prefix + name
        if self.excluded and _excluded(rel, self.excluded):
            return None
        if not names_ok:
            problem = _name_issue(name, prefix, rel)
            if problem is not None:
                result.unsafe.append((rel, problem))
                return None
        is_link = False
        try:
            st = os.lstat(here.base + name, dir_fd=here.fd)
            is_link = stat.S_ISLNK(st.st_mode)
            if is_link:
                if not self.follow:
                    result.symlinks.append(rel)
                    return None
                st = os.stat(here.base + name, dir_fd=here.fd)
        except FileNotFoundError:
            if is_link:  # a dangling symlink, followed on request
                result.symlinks.append(rel)
            return None  # vanished while walking
        except OSError as exc:
            result.unsafe.append((rel, f"cannot stat: {exc.strerror}"))
            return None
        mode = st.st_mode
        if stat.S_ISREG(mode):
            return name, stat_key(st)
        if stat.S_ISDIR(mode):
            if self.follow:
                ident = (st.st_dev, st.st_ino)
                if ident in ancestors:
                    return None  # a symlink back to one of its own ancestors: a loop
                ancestors = ancestors | {ident}
            self.stack.append((os.path.join(here.path, name), rel + "/", ancestors))
        else:
            result.specials.append(rel)
        return None


def walk_tree(
    root: str, *, follow_symlinks: bool = False, excluded: Sequence[str] = ()
) -> WalkResult:
    """Walk ``root`` iteratively; never raises for odd entries, it records them.

    With ``follow_symlinks`` a symlink counts as what it points to, like ``find -L``: a
    folder reachable by two paths is listed under both, and a link back to one of its own
    ancestors (a loop) is skipped. Otherwise a symlink is listed in
    :attr:`WalkResult.symlinks` and not descended into.
    """
    walker = _Walker(follow_symlinks=follow_symlinks, excluded=excluded)
    root_st = os.stat(root)
    walker.stack.append((root, "", frozenset({(root_st.st_dev, root_st.st_ino)})))
    while walker.stack:
        walker.folder(*walker.stack.pop())
    return walker.result


class HashFailure(NamedTuple):
    """A file that could not be hashed, and why."""

    path: str
    error: OSError


class Progress:
    """Thread-safe byte counter feeding a callback or a stderr bar (after ``delay`` seconds)."""

    def __init__(
        self,
        total: int,
        callback: ProgressCallback | None,
        *,
        bar: bool,
        stream: TextIO | None = None,
        delay: float = 1.0,
    ) -> None:
        self.total = total
        self.done = 0
        self._callback = callback
        self._bar = bar
        self._stream = stream if stream is not None else sys.stderr
        self._lock = threading.Lock()
        self._start = time.monotonic()
        self._last = 0.0
        self._delay = delay
        self._drawn = False

    def add(self, n: int) -> None:
        """Count ``n`` more bytes done."""
        with self._lock:
            self.done += n
            now = time.monotonic()
            if now - self._last < 0.1 and self.done < self.total:
                return
            self._last = now
            if self._callback is not None:
                self._callback(self.done, self.total)
            if self._bar and now - self._start >= self._delay:
                self._draw(now)

    def _draw(self, now: float) -> None:
        pct = 100.0 * self.done / self.total if self.total else 100.0
        rate = self.done / max(now - self._start, 1e-9) / (1 << 20)
        width = 30
        filled = int(width * pct / 100)
        self._stream.write(
            f"\rhashing [{'#' * filled}{'.' * (width - filled)}] {pct:5.1f}% "
            f"{self.done / (1 << 20):,.0f}/{self.total / (1 << 20):,.0f} MiB {rate:,.0f} MiB/s"
        )
        self._stream.flush()
        self._drawn = True

    def close(self) -> None:
        """End the bar line, if one was drawn."""
        if self._drawn:
            self._draw(time.monotonic())
            self._stream.write("\n")
            self._stream.flush()


def cpu_count() -> int:
    """The CPUs this process may run on (at least 1)."""
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except AttributeError:  # pragma: no cover - not on Linux
        return max(1, os.cpu_count() or 1)


def default_workers() -> int:
    """Pool size: CPUs + 1, so one thread's syscalls overlap the others' Python work.

    Files below :data:`TINY_FILE` are hashed in the calling thread, not in the pool: that
    work is GIL-bound Python, and threads only add GIL hand-offs (see :func:`hash_files`).

    Large files are CPU-bound: at most :func:`cpu_count` of them are hashed at once.
    """
    return min(32, cpu_count() + 1)


def _batches(jobs: Sequence[tuple[str, int]]) -> list[list[tuple[str, int]]]:
    ordered = sorted(jobs, key=lambda j: (-j[1], j[0]))
    out: list[list[tuple[str, int]]] = []
    batch: list[tuple[str, int]] = []
    batch_bytes = 0
    for job in ordered:
        if job[1] >= SMALL_FILE:
            out.append([job])
            continue
        batch.append(job)
        batch_bytes += job[1]
        if len(batch) >= BATCH_FILES or batch_bytes >= BATCH_BYTES:
            out.append(batch)
            batch, batch_bytes = [], 0
    if batch:
        out.append(batch)
    return out


# O_NONBLOCK: a fifo swapped in after the walk must not block open(); no effect on files.
_OPEN_FLAGS = (
    os.O_RDONLY
    | getattr(os, "O_CLOEXEC", 0)
    | getattr(os, "O_BINARY", 0)
    | getattr(os, "O_NONBLOCK", 0)
)
_NOFOLLOW = getattr(os, "O_NOFOLLOW", 0)


def _hash_one(root: str, rel: str, engine: HashEngine, flags: int) -> tuple[FileDigests, StatKey]:
    for _attempt in range(3):
        fd = os.open(root + rel, flags)
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


def _small_batch_sha256(
    prefix: str,
    batch: Iterable[tuple[str, int]],
    flags: int,
    keys: Mapping[str, StatKey],
    results: dict[str, tuple[FileDigests, StatKey]],
) -> list[str]:
    """Tight loop for small files with the default engine: ``open``, one ``read``, ``fstat``.

    The walk's stat is the "before" stat: the bytes are accepted only if the file is still a
    regular file with the same device, inode, size, mtime and ctime afterwards. The read is
    bounded (size + 1), so even a device swapped in cannot make it run away. Returns the paths
    that need the general path (changed, odd or failing), which retries and reports errors.
    """
    sha256, new, isreg = hashlib.sha256, tuple.__new__, stat.S_ISREG
    slow: list[str] = []
    for rel, size in batch:
        try:
            fd = os.open(prefix + rel, flags)
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
        if len(data) != size or key != keys.get(rel) or not isreg(after.st_mode):
            slow.append(rel)
            continue
        results[rel] = (new(FileDigests, (sha256(data).hexdigest(), size, None)), key)
    return slow


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
) -> tuple[dict[str, tuple[FileDigests, StatKey]], list[HashFailure]]:
    """Hash ``jobs`` (relative path, expected size) under ``root`` in a thread pool.

    ``big_file_slots`` bounds how many large (CPU-bound) files are hashed at once; default:
    the CPU count. ``keys``: the stat keys seen by the walk; with the default engine they let
    small files be read with one ``fstat`` instead of two.

    Returns:
        Digests and the stat key observed while hashing, per path; and the failures
        (vanished, unreadable, changed while hashing) -- the caller decides what they mean.
    """
    results: dict[str, tuple[FileDigests, StatKey]] = {}
    failures: list[HashFailure] = []

    if big_file_slots is None:
        big_file_slots = cpu_count()
    flags = _OPEN_FLAGS if follow_symlinks else _OPEN_FLAGS | _NOFOLLOW
    prefix = os.path.join(root, "")
    cpu_slots = threading.BoundedSemaphore(max(1, min(workers, big_file_slots)))

    def run(batch: Sequence[tuple[str, int]]) -> None:
        if batch[0][1] >= SMALL_FILE:
            with cpu_slots:
                run_batch(batch)
        else:
            run_batch(batch)

    fast_keys = keys if type(engine) is Sha256Engine and not engine.with_blake3 else None

    def run_batch(batch: Sequence[tuple[str, int]]) -> None:
        if fast_keys is not None and batch[0][1] < SMALL_FILE:
            slow = set(_small_batch_sha256(prefix, batch, flags, fast_keys, results))
            progress.add(sum(size for rel, size in batch if rel not in slow))
            batch = [job for job in batch if job[0] in slow]
        done = 0
        for rel, size in batch:
            try:
                results[rel] = _hash_one(prefix, rel, engine, flags)
            except OSError as exc:
                failures.append(HashFailure(rel, exc))
            done += size
            if size >= SMALL_FILE:
                progress.add(done)
                done = 0
        if done:
            progress.add(done)

    batches = _batches(jobs)
    # Batches of tiny files stay in this thread: their time is Python work under the GIL plus
    # syscalls too short to overlap, and every syscall hands the GIL over. 20,000 files of
    # 0.5-8 KiB on 2 CPUs measured 0.84 s in one thread, 1.35 s in 2 and 1.45 s in 3.
    pooled = [b for b in batches if b[0][1] >= TINY_FILE]
    tiny = [b for b in batches if b[0][1] < TINY_FILE]
    try:
        if workers <= 1 or not pooled:
            for batch in batches:
                run(batch)
        else:
            with ThreadPoolExecutor(max_workers=workers, thread_name_prefix="omg-hash") as pool:
                futures = [pool.submit(run, b) for b in pooled]
                for batch in tiny:  # meanwhile, here: large files mostly release the GIL
                    run(batch)
                for future in futures:
                    future.result()
    finally:
        progress.close()
    failures.sort(key=lambda f: f.path)
    return results, failures
