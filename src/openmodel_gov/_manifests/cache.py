"""The stat cache: skip rehashing files whose (device, inode, size, mtime_ns, ctime_ns) match.

The cache is a JSON file written atomically: ``{path: ["dev ino size mtime_ns ctime_ns",
sha256, blake3-or-null]}`` -- strings, so that loading 20,000 entries stays a few milliseconds. It trusts the filesystem's timestamps, like
``git``'s index; to stay safe against a write landing in the same clock tick as the hash
("racy" entries), a file whose mtime or ctime is less than :data:`RACY_NS` older than the
moment it was hashed is not cached, so it is hashed again next time.

A cache is an optimisation, never a source of truth: entries for another root or algorithm are
ignored. A file at the cache path that is not a stat cache is refused, so a mistyped path never
overwrites a manifest.
"""

from __future__ import annotations

import json
import os
import time
from collections.abc import Mapping
from collections.abc import Set as AbstractSet
from pathlib import Path

from openmodel_gov._io import atomic_write_text
from openmodel_gov._manifests.hashing import FileDigests
from openmodel_gov._manifests.model import FileEntry
from openmodel_gov._manifests.scan import StatKey
from openmodel_gov.errors import FileAccessError, InputError

__all__ = ["CACHE_FORMAT", "RACY_NS", "StatCache"]

CACHE_FORMAT = "openmodel-gov/stat-cache/v2"
#: Files changed less than this long before they were hashed are not cached (2 s).
RACY_NS = 2_000_000_000


_new_digests = tuple.__new__


def _key_text(key: StatKey) -> str:
    return f"{key[0]} {key[1]} {key[2]} {key[3]} {key[4]}"


class StatCache:
    """A mapping from relative path to (stat key, digests) for one root.

    >>> import tempfile, os
    >>> with tempfile.TemporaryDirectory() as d:
    ...     StatCache.open(os.path.join(d, "cache.json"), root=d).match({"a.txt": (1, 2, 3, 4, 5)})
    ({}, [('a.txt', 3)])
    """

    def __init__(self, path: Path, root: str, entries: dict[str, list[object]]) -> None:
        self.path = path
        self.root = root
        self._entries = entries
        self._dirty = False
        self.hits = 0

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
            return cls(target, real_root, {})
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
        try:
            data = json.loads(text)
        except ValueError:
            data = None
        if not isinstance(data, dict) or data.get("format") != CACHE_FORMAT:
            raise InputError(
                "this file is not an openmodel-gov stat cache; refusing to overwrite it",
                source=str(target),
                hint="pass cache= a path of its own, e.g. '.omg-stat-cache.json'",
            )
        entries = data.get("entries")
        if data.get("root") != real_root or data.get("algorithm") != "sha256":
            entries = {}
        return cls(target, real_root, entries if isinstance(entries, dict) else {})

    def match(
        self, wanted: dict[str, StatKey], *, need_blake3: bool = False
    ) -> tuple[dict[str, FileDigests], list[tuple[str, int]]]:
        """Split ``wanted`` into cache hits (digests) and misses (path, size) to hash.

        The hot loop of a cached re-verify: one dict lookup and one string compare per file.
        """
        entries = self._entries
        hits: dict[str, FileDigests] = {}
        misses: list[tuple[str, int]] = []
        new = _new_digests
        for rel, key in wanted.items():
            row = entries.get(rel)
            if (
                type(row) is list
                and len(row) == 3
                and row[0] == f"{key[0]} {key[1]} {key[2]} {key[3]} {key[4]}"
                and type(row[1]) is str
            ):
                b3 = row[2] if type(row[2]) is str else None
                if b3 is not None or not need_blake3:
                    hits[rel] = new(FileDigests, (row[1], key[2], b3))
                    continue
            misses.append((rel, key[2]))
        self.hits += len(hits)
        return hits, misses

    def confirm(
        self, wanted: dict[str, StatKey], expected: Mapping[str, FileEntry]
    ) -> tuple[list[str], dict[str, StatKey]]:
        """Paths whose stat key is cached with exactly the expected digest and size, and the rest.

        The hot loop of a cached re-verify: no digest objects for the files that match.
        """
        entries = self._entries
        confirmed: list[str] = []
        rest: dict[str, StatKey] = {}
        for rel, key in wanted.items():
            row = entries.get(rel)
            entry = expected.get(rel)
            if (
                entry is not None
                and type(row) is list
                and len(row) == 3
                and row[1] == entry.sha256
                and key[2] == entry.size
                and row[0] == f"{key[0]} {key[1]} {key[2]} {key[3]} {key[4]}"
            ):
                confirmed.append(rel)
            else:
                rest[rel] = key
        self.hits += len(confirmed)
        return confirmed, rest

    def store(self, rel: str, key: StatKey, digests: FileDigests, *, hashed_at_ns: int) -> None:
        """Remember ``digests`` for ``rel`` unless the file is too fresh to trust (racy)."""
        if max(key[3], key[4]) > hashed_at_ns - RACY_NS:
            if self._entries.pop(rel, None) is not None:
                self._dirty = True
            return
        row: list[object] = [_key_text(key), digests.sha256, digests.blake3]
        if self._entries.get(rel) != row:
            self._entries[rel] = row
            self._dirty = True

    def retain(self, paths: AbstractSet[str]) -> None:
        """Forget entries for files that are gone (``paths``: a set or a dict's keys)."""
        stale = self._entries.keys() - paths
        for rel in stale:
            del self._entries[rel]
        self._dirty = self._dirty or bool(stale)

    def save(self) -> None:
        """Write the cache atomically, if anything changed."""
        if not self._dirty:
            return
        data = {
            "format": CACHE_FORMAT,
            "root": self.root,
            "algorithm": "sha256",
            "written_at_ns": time.time_ns(),
            "entries": self._entries,
        }
        atomic_write_text(self.path, json.dumps(data, separators=(",", ":")))
        self._dirty = False
