"""Walking a snapshot folder (hashing is in :mod:`._hashrun`).

The walk lists each folder once and takes one ``lstat`` per name, relative to the open folder
(``fstatat``), recording per regular file the stat key the cache is keyed on. It does not use
``os.scandir``: every regular file needs an ``lstat`` for its key anyway, so ``d_type`` saves
no system call, and building a ``DirEntry`` per name cost about a quarter of the walk (20,000
files).

A subfolder is opened with ``O_NOFOLLOW`` and must be the folder its ``lstat`` saw (same
device and inode): a folder swapped for a symlink between the two is recorded as unsafe, never
listed. Names in one folder that differ only by case or Unicode normalisation (NFC/NFD) are
recorded in :attr:`WalkResult.collisions`.
"""

from __future__ import annotations

import fnmatch
import os
import stat
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass, field
from functools import cached_property
from typing import NamedTuple

from openmodel_gov.manifests._paths import control_free as _control_free
from openmodel_gov.manifests._paths import name_problem, path_problem
from openmodel_gov.manifests._progress import Progress, ProgressCallback

__all__ = [
    "KEY_LEN",
    "Folder",
    "PendingFolder",
    "Progress",
    "ProgressCallback",
    "StatKey",
    "WalkResult",
    "collisions_of",
    "cpu_count",
    "stat_key",
    "walk_folders",
    "walk_tree",
]


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
    #: Groups of paths (sorted) that differ only by case or Unicode normalisation.
    collisions: list[tuple[str, ...]] = field(default_factory=list)

    @property
    def odd(self) -> bool:
        """Whether anything was found that is not a regular file with a safe name."""
        return bool(self.symlinks or self.specials or self.unsafe)

    @cached_property
    def files(self) -> dict[str, StatKey]:
        """Every regular file: relative path to stat key, in walk order (folder by folder)."""
        out: dict[str, StatKey] = {}
        for prefix, folder in self.folders.items():
            k = folder.keys
            keys = zip(k[0::5], k[1::5], k[2::5], k[3::5], k[4::5], strict=True)
            out.update(zip([prefix + n for n in folder.names], keys, strict=True))
        return out


_DIR_FLAGS = os.O_RDONLY | getattr(os, "O_DIRECTORY", 0) | getattr(os, "O_CLOEXEC", 0)
_NOFOLLOW = getattr(os, "O_NOFOLLOW", 0)
#: Folders are opened and their names resolved relative to them (POSIX); elsewhere (Windows)
#: names are joined to the folder's path.
DIR_FD_SUPPORTED = os.listdir in os.supports_fd and os.stat in os.supports_dir_fd


def collisions_of(paths: Sequence[str]) -> list[tuple[str, ...]]:
    """Groups of ``paths`` that a case-insensitive or normalising filesystem would merge.

    Two paths collide when they are equal after NFC normalisation and case folding (what
    macOS APFS/HFS+ and Windows NTFS treat as the same name, roughly).

    >>> collisions_of(["a/README", "a/readme", "b", "caf\u00e9", "cafe\u0301"])
    [('a/README', 'a/readme'), ('café', 'café')]
    >>> collisions_of(["x", "y"])
    []
    """
    groups: dict[str, list[str]] = {}
    for path in paths:
        key = path if path.isascii() else unicodedata.normalize("NFC", path)
        groups.setdefault(key.casefold(), []).append(path)
    return sorted(tuple(sorted(g)) for g in groups.values() if len(g) > 1)


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


#: A folder still to walk: its path, prefix, ancestors (when following links) and the
#: (device, inode) its ``lstat`` gave (``None`` for the root).
PendingFolder = tuple[str, str, frozenset[tuple[int, int]], tuple[int, int] | None]
_Pending = PendingFolder


class _Walker:
    """One walk of :func:`walk_tree` (state shared by its folders)."""

    def __init__(self, *, follow_symlinks: bool, excluded: Sequence[str], dir_fd: bool) -> None:
        self.follow = follow_symlinks
        self.excluded = excluded
        self.dir_fd = dir_fd
        self.result = WalkResult()
        self.stack: list[_Pending] = []

    def _open(self, path: str, prefix: str, ident: tuple[int, int] | None) -> int | None:
        """A descriptor of the folder the walk saw at ``path``; ``None`` (recorded) if not."""
        where = prefix.rstrip("/") or "."
        flags = _DIR_FLAGS if self.follow or not prefix else _DIR_FLAGS | _NOFOLLOW
        try:
            fd = os.open(path, flags)
        except OSError as exc:
            self.result.unsafe.append((where, f"cannot list folder: {exc.strerror}"))
            return None
        if ident is not None:
            st = os.fstat(fd)
            if (st.st_dev, st.st_ino) != ident:
                os.close(fd)
                self.result.unsafe.append((where, "folder was replaced while it was walked"))
                return None
        return fd

    def _collisions(self, prefix: str, joined: str, count: int) -> None:
        folded = joined.lower() if joined.isascii() else unicodedata.normalize("NFC", joined)
        if len(set(folded.casefold().split("/"))) != count:
            names = joined.split("/")
            self.result.collisions.extend(collisions_of([prefix + n for n in names]))

    def folder(
        self,
        path: str,
        prefix: str,
        ancestors: frozenset[tuple[int, int]],
        ident: tuple[int, int] | None,
    ) -> None:
        result = self.result
        where = prefix.rstrip("/") or "."
        dir_fd: int | None = None
        base = os.path.join(path, "")
        if self.dir_fd:
            dir_fd = self._open(path, prefix, ident)
            if dir_fd is None:
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
            if names:
                self._collisions(prefix, joined, len(names))
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
        for name, seen in reversed(subfolders):  # popped in name order
            # Without links no loop is possible: ancestors only matter when following them.
            inner = ancestors | {seen} if self.follow else ancestors
            self.stack.append((os.path.join(path, name), f"{prefix}{name}/", inner, seen))
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
            ident = (st.st_dev, st.st_ino)
            if self.follow:
                if ident in ancestors:
                    return None  # a symlink back to one of its own ancestors: a loop
                ancestors = ancestors | {ident}
            self.stack.append((os.path.join(here.path, name), rel + "/", ancestors, ident))
        else:
            result.specials.append(rel)
        return None


def walk_tree(
    root: str,
    *,
    follow_symlinks: bool = False,
    excluded: Sequence[str] = (),
    dir_fd: bool | None = None,
) -> WalkResult:
    """Walk ``root`` iteratively; never raises for odd entries, it records them.

    With ``follow_symlinks`` a symlink counts as what it points to, like ``find -L``: a
    folder reachable by two paths is listed under both, and a link back to one of its own
    ancestors (a loop) is skipped. Otherwise a symlink is listed in
    :attr:`WalkResult.symlinks` and not descended into.

    ``dir_fd``: resolve names relative to open folders (default: where the platform supports
    it, i.e. POSIX); ``False`` joins names to folder paths, as on Windows.
    """
    use_fd = DIR_FD_SUPPORTED if dir_fd is None else dir_fd
    walker = _Walker(follow_symlinks=follow_symlinks, excluded=excluded, dir_fd=use_fd)
    root_st = os.stat(root)
    walker.stack.append((root, "", frozenset({(root_st.st_dev, root_st.st_ino)}), None))
    while walker.stack:
        walker.folder(*walker.stack.pop())
    return walker.result


def walk_folders(
    items: Sequence[PendingFolder], *, excluded: Sequence[str], budget: int
) -> tuple[WalkResult, list[PendingFolder]]:
    """Walk ``items`` and the folders below them (without following links), depth first,
    until about ``budget`` files and folders were seen; return what was found and what is
    left to walk. A piece of :func:`walk_tree` that a worker process can run.
    """
    walker = _Walker(follow_symlinks=False, excluded=excluded, dir_fd=True)
    walker.stack.extend(reversed(items))
    seen = 0
    while walker.stack and seen < budget:
        prefix = walker.stack[-1][1]
        walker.folder(*walker.stack.pop())
        folder = walker.result.folders.get(prefix)
        seen += 1 + (len(folder.names) if folder is not None else 0)
    return walker.result, walker.stack


def cpu_count() -> int:
    """The CPUs this process may run on (at least 1)."""
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except AttributeError:  # pragma: no cover - not on Linux
        return max(1, os.cpu_count() or 1)
