"""A manifest's file table held as columns; :class:`FileEntry` objects built on access.

A :class:`~openmodel_gov.manifests.FileEntry` is a frozen pydantic model with its own
``__dict__``: about 600 bytes and 1 µs to build per file, for every file of a manifest, even
when nobody looks at one (a build that is saved at once, a load that is diffed or verified
through its columns). :class:`FileTable` keeps the three columns -- paths, sizes, SHA-256
(and BLAKE3 when present) -- as plain lists and builds an entry when one is asked for. It is
a read-only sequence of entries: ``len``, indexing, slicing (a tuple), iteration and equality
with a tuple of the same entries behave as with the tuple it replaces.

Only values this library produced or already checked column by column go in (a walk's
paths and ``hashlib`` digests, or a JSON table that passed the loader's bulk checks).
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from itertools import repeat
from typing import overload

from openmodel_gov.manifests._model import FileEntry, trusted_file_entry

__all__ = ["FileTable", "columns_of"]


class FileTable(Sequence[FileEntry]):
    """Columns of a checked, sorted file table (see the module doc).

    >>> t = FileTable(["a", "b"], [1, 2], ["0" * 64, "1" * 64])
    >>> len(t), t[1].path, [f.size for f in t], t == tuple(t)
    (2, 'b', [1, 2], True)
    """

    __slots__ = ("blake3", "paths", "sha256", "sizes")

    def __init__(
        self,
        paths: list[str],
        sizes: list[int],
        sha256: list[str],
        blake3: list[str | None] | None = None,
    ) -> None:
        self.paths = paths
        self.sizes = sizes
        self.sha256 = sha256
        #: ``None`` when no file has a BLAKE3 digest.
        self.blake3 = blake3 if blake3 is not None and any(blake3) else None

    def __len__(self) -> int:
        return len(self.paths)

    @overload
    def __getitem__(self, index: int) -> FileEntry: ...

    @overload
    def __getitem__(self, index: slice) -> tuple[FileEntry, ...]: ...

    def __getitem__(self, index: int | slice) -> FileEntry | tuple[FileEntry, ...]:
        if isinstance(index, slice):
            return tuple(self[i] for i in range(*index.indices(len(self))))
        b3 = self.blake3[index] if self.blake3 is not None else None
        return trusted_file_entry(self.paths[index], self.sizes[index], self.sha256[index], b3)

    def __iter__(self) -> Iterator[FileEntry]:
        b3 = self.blake3 if self.blake3 is not None else repeat(None)
        return map(trusted_file_entry, self.paths, self.sizes, self.sha256, b3)

    def __eq__(self, other: object) -> bool:
        if isinstance(other, FileTable):
            return (self.paths, self.sizes, self.sha256, self.blake3) == (
                other.paths,
                other.sizes,
                other.sha256,
                other.blake3,
            )
        if isinstance(other, tuple):
            return len(other) == len(self) and all(map(FileEntry.__eq__, self, other))
        return NotImplemented

    def __hash__(self) -> int:
        return hash((tuple(self.paths), tuple(self.sizes), tuple(self.sha256)))

    def __repr__(self) -> str:
        return f"FileTable(<{len(self)} files>)"

    def __reduce__(self) -> tuple[type[FileTable], tuple[object, ...]]:
        return FileTable, (self.paths, self.sizes, self.sha256, self.blake3)


def columns_of(files: Sequence[FileEntry]) -> tuple[list[str], list[str], list[int]]:
    """Paths, SHA-256 and sizes of ``files`` -- straight from the columns of a table.

    >>> columns_of(FileTable(["a"], [3], ["0" * 64]))
    (['a'], ['0000000000000000000000000000000000000000000000000000000000000000'], [3])
    """
    if isinstance(files, FileTable):
        return files.paths, files.sha256, files.sizes
    return [f.path for f in files], [f.sha256 for f in files], [f.size for f in files]
