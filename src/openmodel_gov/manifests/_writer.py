"""Writing manifests: YAML for small hand-edited ones, JSON (rows or columns) for the rest.

This module does not import the model at run time, so ``DatasetManifest.save`` can use it
without an import cycle (the model is only a type here).
"""

from __future__ import annotations

import os
from collections.abc import Sequence
from json.encoder import encode_basestring
from pathlib import Path
from typing import TYPE_CHECKING, Literal

from openmodel_gov._core._io import atomic_write_text, dump_json, dump_yaml
from openmodel_gov.errors import ConfigError

if TYPE_CHECKING:
    from openmodel_gov.manifests._model import DatasetManifest, FileEntry

__all__ = ["Format", "Layout", "format_of", "render", "save_manifest"]

Format = Literal["yaml", "json"]
#: How a JSON manifest lists its files: one object per file, or parallel arrays.
Layout = Literal["rows", "columns"]


def format_of(path: str | os.PathLike[str], text: str | None = None) -> Format:
    """YAML for ``.yaml``/``.yml``, JSON for ``.json``; else sniff ``text`` (default JSON).

    >>> format_of("m.yml"), format_of("m", '{"a": 1}'), format_of("m", "a: 1"), format_of("m")
    ('yaml', 'json', 'yaml', 'json')
    """
    suffix = Path(path).suffix.lower()
    if suffix in (".yaml", ".yml"):
        return "yaml"
    if suffix == ".json":
        return "json"
    if text is not None and text.lstrip().startswith("{"):
        return "json"
    return "yaml" if text is not None else "json"


def _row(entry: FileEntry) -> str:
    values = entry.__dict__
    b3 = values["blake3"]
    tail = f', "blake3": "{b3}"' if b3 is not None else ""
    for key in _OBJECT_COLUMNS:
        if values[key] is not None:
            tail += f', "{key}": {encode_basestring(values[key])}'
    return (
        f'    {{"path": {encode_basestring(values["path"])}, "size": {values["size"]}, '
        f'"sha256": "{values["sha256"]}"{tail}}}'
    )


#: Columns only object-store manifests have.
_OBJECT_COLUMNS = ("version_id", "etag")


def _column(name: str, items: list[str]) -> str:
    if not items:
        return f'    "{name}": []'
    return f'    "{name}": [\n      ' + ",\n      ".join(items) + "\n    ]"


def _table_columns(files: Sequence[FileEntry]) -> str | None:
    """The columns layout straight from a :class:`~._filetable.FileTable` (no entries built)."""
    from openmodel_gov.manifests._filetable import FileTable

    if not isinstance(files, FileTable) or files.blake3 is not None:
        return None
    parts = [
        _column("path", list(map(encode_basestring, files.paths))),
        _column("size", list(map(str, files.sizes))),
        _column("sha256", [f'"{sha}"' for sha in files.sha256]),
    ]
    return "{\n" + ",\n".join(parts) + "\n  }"


def _files_json(files: Sequence[FileEntry], layout: Layout) -> str:
    if layout == "rows":
        return "[]" if not files else "[\n" + ",\n".join(map(_row, files)) + "\n  ]"
    fast = _table_columns(files)
    if fast is not None:
        return fast
    values = [f.__dict__ for f in files]
    parts = [
        _column("path", [encode_basestring(v["path"]) for v in values]),
        _column("size", [str(v["size"]) for v in values]),
        _column("sha256", [f'"{v["sha256"]}"' for v in values]),
    ]
    if any(v["blake3"] is not None for v in values):
        b3 = [f'"{v["blake3"]}"' if v["blake3"] is not None else "null" for v in values]
        parts.append(_column("blake3", b3))
    for key in _OBJECT_COLUMNS:
        if any(v[key] is not None for v in values):
            texts = [encode_basestring(v[key]) if v[key] is not None else "null" for v in values]
            parts.append(_column(key, texts))
    return "{\n" + ",\n".join(parts) + "\n  }"


def render(manifest: DatasetManifest, *, fmt: Format = "json", layout: Layout = "rows") -> str:
    """The text :func:`save_manifest` writes.

    JSON puts the small header first and the file table last (one line per file in the
    ``rows`` layout), so ``head`` shows what a manifest is about.
    """
    if layout not in ("rows", "columns"):
        raise ConfigError(f"layout must be 'rows' or 'columns', got {layout!r}", field="layout")
    if fmt == "yaml":
        if layout != "rows":
            raise ConfigError(
                "the columns layout is JSON only", field="layout", hint="save as .json"
            )
        return dump_yaml(manifest.to_dict())
    header = dump_json(manifest.to_dict(include_files=False)).rstrip()
    files = _files_json(manifest.files, layout)
    return header[:-1].rstrip() + f',\n  "files": {files}\n}}\n'


def save_manifest(
    manifest: DatasetManifest, path: str | os.PathLike[str], *, layout: Layout = "rows"
) -> None:
    """Write ``manifest`` atomically; ``.yaml``/``.yml`` give YAML, anything else JSON."""
    atomic_write_text(path, render(manifest, fmt=format_of(path), layout=layout))
