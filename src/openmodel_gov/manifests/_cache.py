"""The stat cache: skip rehashing files whose (device, inode, size, mtime_ns, ctime_ns) match.

The cache is a JSON file written atomically, in two parts, and a checksum of its own::

    {"format": "openmodel-gov/stat-cache/v4", "root": "/abs/root", "algorithm": "sha256",
     "folders": {"train/": [["a.txt", ...], [dev, ino, size, mtime_ns, ctime_ns, ...]]},
     "files": {"path": ["train/a.txt", ...], "sha256": [...], "blake3": [null, ...],
               "size": [...]},
     "checksum": "<SHA-256 of everything before ',"checksum"'>"}

The checksum is checked on every load: a cache whose bytes changed since it was written (a
disk error, a hand edit, a flipped hex digit) is ignored with a :class:`StatCacheWarning` and
rebuilt, so a damaged cache never puts a wrong digest into a manifest or a verify result. (It
is a checksum, not a signature: whoever can write the cache can also recompute it -- the
cache is trusted like ``git``'s index, and a manifest's trust comes from its signature.)

``folders`` is what the walk saw: per folder, the names of its regular files (sorted as the
walk sorts them, see :class:`~openmodel_gov.manifests._scan.Folder`) and their stat keys,
flattened. ``files`` is what was hashed, in manifest order (paths sorted by UTF-8 bytes). Both
are flat lists of strings and ints, so that

* loading costs a few milliseconds: there is no JSON object per file;
* an unchanged folder is recognised by two list comparisons, in C; and
* an unchanged tree is confirmed against a manifest by three more (paths, SHA-256, sizes):
  a cached re-verify of 20,000 files costs little more than their ``stat`` calls.

The cache trusts the filesystem's timestamps, like ``git``'s index; to stay safe against a
write landing in the same clock tick as the hash ("racy" entries), a file whose mtime or ctime
is less than :data:`RACY_NS` older than the moment it was hashed is not cached, so it is hashed
again next time.

A cache is an optimisation, never a source of truth: a cache for another root or algorithm,
of an older format or malformed is ignored (and rewritten), and so is a malformed folder row.
A file at the cache path that is not a stat cache is refused, so a mistyped path never
overwrites a manifest.
"""

from __future__ import annotations

import hashlib
import json
import os
import re
import time
import warnings
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any, NamedTuple

from openmodel_gov._core._io import Limits, atomic_write_text, load_json_value
from openmodel_gov.errors import FileAccessError, InputError, ParseError
from openmodel_gov.manifests._filetable import columns_of
from openmodel_gov.manifests._hashing import FileDigests
from openmodel_gov.manifests._model import FileEntry
from openmodel_gov.manifests._scan import KEY_LEN, Folder, StatKey, WalkResult
from openmodel_gov.manifests._warnings import StatCacheWarning

__all__ = ["CACHE_FORMAT", "RACY_NS", "Confirmation", "StatCache", "encode_cache"]

CACHE_FORMAT = "openmodel-gov/stat-cache/v4"
_FORMAT_PREFIX = "openmodel-gov/stat-cache/"
#: The front door's depth bound; no string bound (its pre-scan counts a long run of numbers
#: between two strings, such as the size column, as one string; the text bound covers it).
_CACHE_LIMITS = Limits(max_chars=1 << 30, max_scalar=1 << 30)
#: Files changed less than this long before they were hashed are not cached (2 s).
RACY_NS = 2_000_000_000

_new_digests = tuple.__new__
_HEX = frozenset("0123456789abcdef")


class Confirmation(NamedTuple):
    """The outcome of :meth:`StatCache.confirm`."""

    #: Files cached with an unchanged stat key and exactly the manifest's SHA-256 and size.
    confirmed: list[str]
    #: Everything else found on disk, to hash: relative path to stat key.
    rest: dict[str, StatKey]


class _Files(NamedTuple):
    """The ``files`` part: parallel lists in manifest order."""

    path: list[str]
    sha256: list[object]
    blake3: list[object]
    size: list[object]


def _files(raw: object) -> _Files | None:
    if not isinstance(raw, dict):
        return None
    path, sha256, blake3, size = (raw.get(k) for k in _Files._fields)
    if not (type(path) is type(sha256) is type(blake3) is type(size) is list):
        return None
    if not len(path) == len(sha256) == len(blake3) == len(size):
        return None
    return _Files(path, sha256, blake3, size)


def _folder(raw: object) -> Folder | None:
    """A well-formed folder row, or ``None`` (ignored). Element types are checked where used."""
    if type(raw) is not list or len(raw) != 2:
        return None
    names, keys = raw
    if type(names) is not list or type(keys) is not list or len(keys) != len(names) * KEY_LEN:
        return None
    return Folder(names, keys)


_CHECKSUM_TAIL = re.compile(r',"checksum":"([0-9a-f]{64})"\}\s*\Z')


def encode_cache(data: Mapping[str, Any]) -> str:
    """The cache file's text for ``data``: compact JSON with its checksum as the last key."""
    body = json.dumps(data, separators=(",", ":"))
    digest = hashlib.sha256(body[:-1].encode("utf-8")).hexdigest()
    return f'{body[:-1]},"checksum":"{digest}"}}'


def _intact(text: str) -> bool:
    """Whether ``text`` ends with the checksum of everything before it."""
    match = _CHECKSUM_TAIL.search(text)
    if match is None:
        return False
    body = text[: match.start()]
    return hashlib.sha256(body.encode("utf-8")).hexdigest() == match.group(1)


def _is_hex(value: object) -> bool:
    return type(value) is str and len(value) == 64 and _HEX.issuperset(value)


class StatCache:
    """Cached digests for the files of one root.

    >>> import tempfile, os
    >>> from openmodel_gov.manifests._scan import walk_tree
    >>> with tempfile.TemporaryDirectory() as d:
    ...     os.mkdir(os.path.join(d, "sub"))
    ...     with open(os.path.join(d, "sub", "a.txt"), "w") as fh:
    ...         _ = fh.write("hi")
    ...     hits, misses = StatCache.open(os.path.join(d, "c.json"), root=d).match(walk_tree(d))
    >>> hits, list(misses)
    ({}, ['sub/a.txt'])
    """

    def __init__(
        self, path: Path, root: str, folders: dict[str, object], files: _Files | None
    ) -> None:
        self.path = path
        self.root = root
        self._raw_folders = folders if files is not None else {}
        self._files = files if files is not None else _Files([], [], [], [])
        self._folders: dict[str, Folder | None] = {}
        self._names: dict[str, dict[str, int]] = {}
        self._paths: dict[str, int] | None = None
        self._dirty = False

    @classmethod
    def _damaged(cls, target: Path, real_root: str, why: str) -> StatCache:
        """An empty cache that will be rewritten, after a warning that ``target`` is damaged."""
        warnings.warn(
            f"{target}: the stat cache is damaged ({why}); "
            "ignoring it, every file is hashed and the cache is rebuilt",
            StatCacheWarning,
            stacklevel=5,
        )
        cache = cls(target, real_root, {}, None)
        cache._dirty = True
        return cache

    @classmethod
    def open(cls, path: str | os.PathLike[str], *, root: str) -> StatCache:
        """Load the cache at ``path`` for ``root`` (missing file: an empty cache).

        Raises:
            InputError: the file exists but is not a stat cache.
            FileAccessError: the file cannot be read.
        """
        target = Path(path)
        real_root = os.path.realpath(root)
        try:
            text = target.read_text(encoding="utf-8")
        except FileNotFoundError:
            if not target.parent.is_dir():
                raise FileAccessError(
                    "the folder of the stat cache does not exist", source=str(target)
                ) from None
            return cls(target, real_root, {}, None)
        except (OSError, UnicodeDecodeError) as exc:
            if isinstance(exc, IsADirectoryError):
                raise FileAccessError(
                    "is a directory, expected a cache file", source=str(target)
                ) from None
            raise InputError(
                f"cannot read the stat cache: {exc}",
                source=str(target),
                hint="delete the file; it is rebuilt on the next run",
            ) from None
        try:  # the bounded front door: depth, strings, duplicate keys; typed errors only
            data = load_json_value(text, source=str(target), limits=_CACHE_LIMITS)
        except ParseError:
            if text.startswith('{"format":"' + _FORMAT_PREFIX):  # ours, written cut short
                return cls._damaged(target, real_root, "it is not valid JSON")
            data = None
        if not isinstance(data, dict) or not str(data.get("format", "")).startswith(_FORMAT_PREFIX):
            raise InputError(
                "this file is not an openmodel-gov stat cache; refusing to overwrite it",
                source=str(target),
                hint="pass cache= a path of its own, e.g. '.omg-stat-cache.json'",
            )
        if data.get("format") == CACHE_FORMAT and not _intact(text):
            return cls._damaged(target, real_root, "its checksum does not match")
        folders = data.get("folders")
        files = _files(data.get("files"))
        usable = (
            data.get("format") == CACHE_FORMAT
            and data.get("root") == real_root
            and data.get("algorithm") == "sha256"
            and isinstance(folders, dict)
            and files is not None
        )
        if not usable or not isinstance(folders, dict):
            cache = cls(target, real_root, {}, None)
            cache._dirty = True  # an older format, another root or malformed: rewrite it
            return cache
        return cls(target, real_root, folders, files)

    # -- reading --------------------------------------------------------------------------

    def _folder(self, prefix: str) -> Folder | None:
        try:
            return self._folders[prefix]
        except KeyError:
            row = self._folders[prefix] = _folder(self._raw_folders.get(prefix))
            return row

    def _same(self, prefix: str, folder: Folder) -> bool:
        """Whether the cache lists exactly ``folder``'s names and stat keys for ``prefix``."""
        row = self._folder(prefix)
        return row is not None and row.names == folder.names and row.keys == folder.keys

    def _lookup(self, prefix: str, name: str, key: StatKey) -> tuple[str, str | None] | None:
        """Cached (sha256, blake3) of one file whose stat key is unchanged, else ``None``."""
        row = self._folder(prefix)
        if row is None:
            return None
        names = self._names.get(prefix)
        if names is None:
            names = self._names[prefix] = {n: i for i, n in enumerate(row.names) if type(n) is str}
        i = names.get(name)
        if i is None or tuple(row.keys[i * KEY_LEN : (i + 1) * KEY_LEN]) != key:
            return None
        if self._paths is None:
            self._paths = {p: j for j, p in enumerate(self._files.path) if type(p) is str}
        j = self._paths.get(prefix + name)
        if j is None or not _is_hex(sha := self._files.sha256[j]):
            return None
        b3 = self._files.blake3[j]
        return str(sha), b3 if _is_hex(b3) and isinstance(b3, str) else None

    def describes(self, walk: WalkResult) -> bool:
        """Whether the cache lists exactly the walk's files, each with its stat key unchanged."""
        folders = walk.folders
        if folders.keys() != self._raw_folders.keys():
            return False
        if sum(len(folder.names) for folder in folders.values()) != len(self._files.path):
            return False  # the two parts disagree: only a hand-edited cache does that
        same = self._same
        return all(same(prefix, folder) for prefix, folder in folders.items())

    def holds(self, files: Sequence[FileEntry]) -> bool:
        """Whether the cached digests are exactly ``files`` (a manifest's, in its order).

        With :meth:`describes`, this confirms a whole unchanged tree against a manifest with
        three list comparisons: paths, SHA-256 and sizes.
        """
        cached = self._files
        if len(cached.path) != len(files):
            return False
        paths, shas, sizes = columns_of(files)
        return cached.path == paths and cached.sha256 == shas and cached.size == sizes

    def confirm(self, walk: WalkResult, expected: Mapping[str, FileEntry]) -> Confirmation:
        """Split the walk into files confirmed by the cache and files to hash.

        A file is confirmed when its stat key is cached and the cached SHA-256 and size are
        the ones ``expected`` (the manifest's files by path) lists for it.
        """
        confirmed: list[str] = []
        rest: dict[str, StatKey] = {}
        for prefix, folder in walk.folders.items():
            for i, name in enumerate(folder.names):
                rel, key = prefix + name, folder.key(i)
                cached = self._lookup(prefix, name, key)
                entry = expected.get(rel)
                if (
                    cached is not None
                    and entry is not None
                    and entry.sha256 == cached[0]
                    and entry.size == key[2]
                ):
                    confirmed.append(rel)
                else:
                    rest[rel] = key
        return Confirmation(confirmed, rest)

    def match(
        self, walk: WalkResult, *, need_blake3: bool = False
    ) -> tuple[dict[str, FileDigests], dict[str, StatKey]]:
        """Split the walk into cache hits (digests) and misses (relative path to stat key)."""
        hits: dict[str, FileDigests] = {}
        misses: dict[str, StatKey] = {}
        new = _new_digests
        for prefix, folder in walk.folders.items():
            for i, name in enumerate(folder.names):
                key = folder.key(i)
                cached = self._lookup(prefix, name, key)
                if cached is not None and (cached[1] is not None or not need_blake3):
                    hits[prefix + name] = new(FileDigests, (cached[0], key[2], cached[1]))
                else:
                    misses[prefix + name] = key
        return hits, misses

    def paths(self) -> list[str]:
        """Every cached file's relative path, in manifest order (for inspection and tests)."""
        return list(self._files.path)

    # -- writing --------------------------------------------------------------------------

    def update(
        self,
        walk: WalkResult,
        hashed: Mapping[str, tuple[FileDigests, StatKey]],
        *,
        hashed_at_ns: int,
    ) -> None:
        """Make the cache describe ``walk``: keep what is unchanged, add what was ``hashed``.

        ``hashed`` maps relative paths to their digests and the stat key seen while hashing.
        Files changed less than :data:`RACY_NS` before ``hashed_at_ns`` are left out, and so
        are files neither cached nor hashed (they failed): both are hashed next time.
        """
        if not hashed and self.describes(walk):
            return
        folders: dict[str, object] = {}
        entries: list[tuple[str, str, str | None, int]] = []
        for prefix, folder in walk.folders.items():
            names: list[str] = []
            keys: list[int] = []
            for i, name in enumerate(folder.names):
                rel = prefix + name
                got = hashed.get(rel)
                if got is not None:
                    digests, key = got
                    if max(key[3], key[4]) > hashed_at_ns - RACY_NS:
                        continue
                    sha, b3 = digests.sha256, digests.blake3
                else:
                    key = folder.key(i)
                    cached = self._lookup(prefix, name, key)
                    if cached is None:
                        continue
                    sha, b3 = cached
                names.append(name)
                keys.extend(key)
                entries.append((rel, sha, b3, key[2]))
            if names:
                folders[prefix] = [names, keys]
        entries.sort()  # code point order: the UTF-8 byte order of manifest paths
        files = _Files(
            [e[0] for e in entries],
            [e[1] for e in entries],
            [e[2] for e in entries],
            [e[3] for e in entries],
        )
        if folders != self._raw_folders or files != self._files:
            self._dirty = True
        self._raw_folders = folders
        self._files = files
        self._folders = {}
        self._names = {}
        self._paths = None

    def save(self) -> None:
        """Write the cache atomically, if anything changed."""
        if not self._dirty:
            return
        data = {
            "format": CACHE_FORMAT,
            "root": self.root,
            "algorithm": "sha256",
            "written_at_ns": time.time_ns(),
            "folders": self._raw_folders,
            "files": self._files._asdict(),
        }
        atomic_write_text(self.path, encode_cache(data))
        self._dirty = False
