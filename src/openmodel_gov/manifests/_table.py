"""A manifest from columns this library produced (a fanned-out build), without a validation
step per file."""

from __future__ import annotations

import hashlib

from openmodel_gov.manifests._filetable import FileTable
from openmodel_gov.manifests._model import DatasetEntry, DatasetManifest

__all__ = ["table_manifest"]


def table_manifest(
    *,
    datasets: tuple[DatasetEntry, ...],
    excluded: tuple[str, ...],
    follow_symlinks: bool,
    paths: list[str],
    sizes: list[int],
    shas: list[str],
) -> DatasetManifest:
    """A manifest from columns this library produced: unique, safe, UTF-8 paths (a walk
    refuses anything else) and ``hashlib`` digests.

    Only the small header is validated; the table is sorted (``str`` order is the UTF-8
    byte order for such paths), its snapshot digest computed column-wise, with no
    validation step per file, and it is kept as a :class:`~._filetable.FileTable`.
    """
    if any(map(str.__ge__, paths, paths[1:])):
        order = sorted(range(len(paths)), key=paths.__getitem__)
        paths = [paths[i] for i in order]
        sizes = [sizes[i] for i in order]
        shas = [shas[i] for i in order]
    lines = "".join(map("%s  %s\n".__mod__, zip(shas, paths, strict=True)))
    digest = hashlib.sha256(lines.encode("utf-8")).hexdigest()
    head = DatasetManifest(
        datasets=datasets, files=(), excluded=excluded, follow_symlinks=follow_symlinks
    )
    table = FileTable(paths, sizes, shas)
    return head.model_copy(update={"files": table, "snapshot_digest": digest})
