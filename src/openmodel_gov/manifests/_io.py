"""Reading and writing manifests (YAML or JSON), and the published JSON schema.

JSON is the format for big manifests, and loading it is built for that:

1. one parse in C through the core front door (``load_json_value``: a linear pre-scan bounds
   strings and nesting; duplicate keys, NaN and infinities refused);
2. the per-file table is checked column by column -- types, SHA-256 hex, and every path
   joined into one string that a single regular expression scans for unsafe segments -- and
   the entries are built without a validation step per file;
3. the small header (datasets, exclusions) is validated by pydantic as usual, and the
   snapshot digest is recomputed and compared.

Only when one of these checks fails does the loader take the slow, precise path: it validates
entry by entry and finds the line of each problem in the text (:mod:`._jsonpos`), so errors
still name file, line and JSON path. YAML always takes that path (PyYAML's composer keeps
positions): it is meant for small, hand-edited manifests.

Two JSON layouts are read and written. ``rows`` (the default) lists ``files`` as objects, one
per line; ``columns`` writes ``files`` as an object of parallel arrays
(``{"path": [...], "size": [...], "sha256": [...]}``), a third smaller. Both describe the same
files, so the snapshot digest is the same.
"""

from __future__ import annotations

import hashlib
import json
import os
import re
from collections.abc import Iterator
from functools import cache
from importlib import resources
from pathlib import Path
from typing import Any, Final, NamedTuple, Protocol

from pydantic import ValidationError

from openmodel_gov._core._io import (
    MAX_REPORTED_ISSUES,
    Limits,
    PathKey,
    atomic_write_text,
    decode_utf8,
    dump_json,
    json_path,
    load_json_value,
    load_yaml_document,
    read_bytes,
)
from openmodel_gov.errors import (
    SchemaValidationError,
    UnsafePathError,
    ValidationIssue,
)
from openmodel_gov.manifests._filetable import FileTable
from openmodel_gov.manifests._jsonpos import Members, line_of
from openmodel_gov.manifests._limits import CHARS_PER_NODE, MANIFEST_MAX_BYTES, yaml_limits
from openmodel_gov.manifests._model import DatasetManifest
from openmodel_gov.manifests._paths import path_problem
from openmodel_gov.manifests._writer import Format, Layout, format_of, render, save_manifest

__all__ = [
    "CHARS_PER_NODE",
    "MANIFEST_MAX_BYTES",
    "SCHEMA_ID",
    "Format",
    "Layout",
    "format_of",
    "generate_schema",
    "load",
    "parse",
    "published_schema",
    "render",
    "save_manifest",
    "yaml_limits",
]

SCHEMA_ID = "https://openmodel-gov.dev/schemas/dataset-manifest/v1.json"
_SCHEMA_RESOURCE = "data/manifests/dataset-manifest.schema.json"
_COLUMNS: Final = ("path", "size", "sha256", "blake3")
#: Every column the columns layout may hold (object-store manifests add the last two).
_ALL_COLUMNS: Final = (*_COLUMNS, "version_id", "etag")
_OPTIONAL: Final = frozenset({"blake3", "version_id", "etag"})


# -- JSON: one strict parse, through the core front door ------------------------------------


def _load_json(text: str, source: str | None, max_chars: int = MANIFEST_MAX_BYTES) -> Any:
    """The core JSON front door (:func:`~openmodel_gov._core._io.load_json_value`): one parse
    in C after a linear pre-scan; strings and nesting bounded, duplicate keys, NaN and
    infinities refused, every failure a :class:`ParseError` with line (and key)."""
    return load_json_value(text, source=source, limits=Limits(max_chars=max(max_chars, 1)))


# -- the fast path: column checks, no step per file beyond building it -----------------------

_HEX_DIGITS = b"0123456789abcdef"
_CONTROL = re.compile(r"[\x00-\x09\x0b-\x1f\x7f\\]")
_DRIVE = re.compile(r"\n[A-Za-z]:")
#: In "\n".join(paths) framed by newlines: an absolute path, an empty path or segment, a
#: trailing slash, a "." or ".." segment.
_BAD_PARTS = (
    "\n/",
    "//",
    "\n\n",
    "/\n",
    "/./",
    "\n./",
    "/.\n",
    "\n.\n",
    "/../",
    "\n../",
    "/..\n",
    "\n..\n",
)


def _safe_paths(framed: str) -> bool:
    """Whether every path in ``framed`` ("\n" + "\n".join(paths) + "\n") is a safe manifest path.

    Substring tests and one character-class search, all in C: what
    :func:`~openmodel_gov.manifests._paths.path_problem` checks per path, for all at once.
    """
    if any(part in framed for part in _BAD_PARTS) or _CONTROL.search(framed) is not None:
        return False
    return ":" not in framed or _DRIVE.search(framed) is None


_MISSING: Final = object()


_Columns = tuple[list[Any], list[Any], list[Any], list[Any]]


def _columns_of(files: object) -> _Columns | None:
    """The four columns of ``files`` (rows or columns layout), or ``None`` if not well formed."""
    if type(files) is dict:
        return _columns_of_columns(files)
    if type(files) is not list or not all(type(item) is dict for item in files):
        return None
    return _columns_of_rows(files)


def _columns_of_columns(files: dict[Any, Any]) -> _Columns | None:
    """The columns layout: ``{"path": [...], "size": [...], "sha256": [...], "blake3"?: [...]}``."""
    if not {"path", "size", "sha256"} <= files.keys() <= set(_COLUMNS):
        return None
    cols = [files.get(k, _MISSING) for k in _COLUMNS]
    if not all(type(c) is list for c in cols[:3]):
        return None
    n = len(cols[0])
    if cols[3] is _MISSING:
        cols[3] = [None] * n
    if type(cols[3]) is not list or any(len(c) != n for c in cols):
        return None
    return cols[0], cols[1], cols[2], cols[3]


def _columns_of_rows(files: list[dict[Any, Any]]) -> _Columns | None:
    """The rows layout: one object per file, with ``blake3`` on every row or on none."""
    lengths = set(map(len, files))
    try:
        paths = [item["path"] for item in files]
        sizes = [item["size"] for item in files]
        shas = [item["sha256"] for item in files]
    except KeyError:
        return None
    if lengths <= {3}:
        return paths, sizes, shas, [None] * len(files)
    if not lengths <= {3, 4}:
        return None
    b3 = [item.get("blake3", _MISSING) for item in files]
    if any((n == 4) == (b is _MISSING) for n, b in zip(map(len, files), b3, strict=True)):
        return None
    return paths, sizes, shas, [None if b is _MISSING else b for b in b3]


def _hex_column(values: list[Any], *, nullable: bool) -> bool:
    if nullable:
        values = [v for v in values if v is not None]
    if not values:
        return True
    if set(map(type, values)) != {str} or set(map(len, values)) != {64}:
        return False
    joined = "".join(values)
    return joined.isascii() and not joined.encode("ascii").translate(None, _HEX_DIGITS)


class _Table(NamedTuple):
    """A checked file table: entries in path order and their snapshot digest."""

    files: FileTable
    snapshot_digest: str


def _fast_files(files: object) -> _Table | None:
    """Entries of a well-formed, safe, sorted file table; ``None``: take the slow path.

    The snapshot digest is computed here from the joined columns (C-level ``join``s), and the
    order checked on the UTF-8 paths: a table out of order or with a duplicate path goes to
    the slow path, which sorts or reports it.
    """
    cols = _columns_of(files)
    if cols is None:
        return None
    paths, sizes, shas, b3 = cols
    if not paths:
        return _Table(FileTable([], [], []), hashlib.sha256(b"").hexdigest())
    if set(map(type, paths)) != {str} or set(map(type, sizes)) != {int} or min(sizes) < 0:
        return None
    joined = "\n".join(paths)
    if joined.count("\n") != len(paths) - 1:  # a path holds a newline itself
        return None
    if not _safe_paths(f"\n{joined}\n") or not _encodable(joined):
        return None
    if not _hex_column(shas, nullable=False) or not _hex_column(b3, nullable=True):
        return None
    keys = joined.encode("utf-8").split(b"\n")
    if any(map(bytes.__ge__, keys, keys[1:])):  # not strictly increasing: unsorted or dupes
        return None
    lines = "\n".join(map("  ".join, zip(shas, paths, strict=True))) + "\n"
    digest = hashlib.sha256(lines.encode("utf-8")).hexdigest()
    return _Table(FileTable(paths, sizes, shas, b3), digest)


def _encodable(text: str) -> bool:
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        return False
    return True


def _fast(data: dict[str, Any]) -> DatasetManifest | None:
    """The manifest, if every check passes on the fast path; ``None`` otherwise."""
    table = _fast_files(data.get("files"))
    if table is None:
        return None
    header = {k: v for k, v in data.items() if k not in ("files", "snapshot_digest")}
    digest = data.get("snapshot_digest", "")
    if type(digest) is not str or (digest and digest != table.snapshot_digest):
        return None  # the slow path says what is wrong
    try:
        head = DatasetManifest.model_validate_json(
            json.dumps({**header, "files": []}, ensure_ascii=False, allow_nan=False)
        )
    except (ValidationError, ValueError):
        return None
    return head.model_copy(update={"files": table.files, "snapshot_digest": table.snapshot_digest})


# -- the slow, precise path ------------------------------------------------------------------


class _Doc(Protocol):
    @property
    def data(self) -> Any: ...

    @property
    def source(self) -> str | None: ...

    def line_of(self, path: PathKey) -> int | None: ...


class _JsonDoc:
    """Parsed JSON plus lines found on demand (see :mod:`._jsonpos`)."""

    def __init__(self, data: Any, source: str | None, text: str) -> None:
        self.data = data
        self.source = source
        self._text = text
        self._members: Members = {}

    def line_of(self, path: PathKey) -> int | None:
        return line_of(self._text, path, self._members)


def _is_columns(doc: _Doc) -> bool:
    return isinstance(doc.data, dict) and isinstance(doc.data.get("files"), dict)


def _text_key(doc: _Doc, loc: PathKey) -> PathKey:
    """Where a row-shaped location (``files``, i, field) lives in the document's layout."""
    if _is_columns(doc) and len(loc) >= 3 and loc[0] == "files" and isinstance(loc[1], int):
        return ("files", loc[2], loc[1], *loc[3:])
    return loc


def _file_paths(doc: _Doc) -> Iterator[tuple[int, str]]:
    files = doc.data.get("files") if isinstance(doc.data, dict) else None
    if isinstance(files, dict):
        column = files.get("path")
        items = enumerate(column) if isinstance(column, list) else iter(())
        yield from ((i, p) for i, p in items if isinstance(p, str))
    elif isinstance(files, list):
        for i, item in enumerate(files):
            if isinstance(item, dict) and isinstance(item.get("path"), str):
                yield i, item["path"]


def _check_paths(doc: _Doc) -> None:
    """Refuse unsafe or duplicate file paths before anything else, naming file and line."""
    first_seen: dict[str, int] = {}
    for index, path in _file_paths(doc):
        key = _text_key(doc, ("files", index, "path"))
        problem = path_problem(path)
        if problem is not None:
            raise UnsafePathError(
                f"{problem}: {path!r}",
                source=doc.source,
                line=doc.line_of(key),
                field=json_path(key),
                hint="manifest paths are relative POSIX paths inside the snapshot root",
            )
        if path in first_seen:
            earlier = doc.line_of(_text_key(doc, ("files", first_seen[path], "path")))
            raise UnsafePathError(
                f"duplicate path {path!r}"
                + (f" (first listed on line {earlier})" if earlier is not None else ""),
                source=doc.source,
                line=doc.line_of(key),
                field=json_path(key),
                hint="each file may be listed once",
            )
        first_seen[path] = index


def _issues(exc: ValidationError, doc: _Doc) -> list[ValidationIssue]:
    issues: list[ValidationIssue] = []
    for err in exc.errors(include_url=False, include_input=False)[:MAX_REPORTED_ISSUES]:
        loc = _text_key(doc, tuple(err["loc"]))
        message = err["msg"].removeprefix("Value error, ")
        issues.append(
            ValidationIssue(
                message=message, field=json_path(loc), line=doc.line_of(loc), source=doc.source
            )
        )
    return issues


def _rows(files: dict[str, Any]) -> list[dict[str, Any]] | dict[str, Any]:
    """The columns layout as rows, for entry-by-entry validation (unchanged if malformed)."""
    extra = files.keys() - set(_ALL_COLUMNS)
    cols = {k: files[k] for k in _ALL_COLUMNS if k in files}
    if extra or not all(isinstance(c, list) for c in cols.values()):
        return files
    if len({len(c) for c in cols.values()}) > 1:
        return files
    count = len(next(iter(cols.values()), []))
    return [
        {k: c[i] for k, c in cols.items() if not (k in _OPTIONAL and c[i] is None)}
        for i in range(count)
    ]


def _validate(doc: _Doc) -> DatasetManifest:
    source = doc.source
    if not isinstance(doc.data, dict):
        raise SchemaValidationError(
            "a manifest must be a mapping with 'datasets' and 'files'",
            issues=[ValidationIssue("expected a mapping", field="$", line=1, source=source)],
            source=source,
        )
    _check_paths(doc)
    data = doc.data
    if _is_columns(doc):
        data = {**data, "files": _rows(data["files"])}
    try:
        payload = json.dumps(data, ensure_ascii=False, allow_nan=False)
        return DatasetManifest.model_validate_json(payload)
    except ValidationError as exc:
        raise SchemaValidationError(
            "not a valid dataset manifest",
            issues=_issues(exc, doc),
            source=source,
            hint="see manifest_json_schema() or docs/manifests.md",
        ) from None
    except (TypeError, ValueError) as exc:  # values JSON cannot carry (YAML-only types)
        raise SchemaValidationError(f"not a valid dataset manifest: {exc}", source=source) from None


def parse(
    text: str,
    *,
    source: str | None = None,
    fmt: Format = "yaml",
    max_chars: int = MANIFEST_MAX_BYTES,
) -> DatasetManifest:
    """Parse manifest text (YAML is a superset of JSON; ``fmt`` picks the stricter parser)."""
    if fmt == "json":
        data = _load_json(text, source, max_chars)
        if isinstance(data, dict):
            manifest = _fast(data)
            if manifest is not None:
                return manifest
        return _validate(_JsonDoc(data, source, text))
    limits = yaml_limits(len(text), max_chars=max_chars)
    return _validate(load_yaml_document(text, source=source, limits=limits))


def load(path: str | os.PathLike[str], *, max_bytes: int = MANIFEST_MAX_BYTES) -> DatasetManifest:
    """Read, parse and validate a manifest file (see :func:`~openmodel_gov.manifests.load_manifest`)."""
    source = os.fspath(path)
    text = decode_utf8(read_bytes(path, max_bytes=max_bytes), source=source)
    return parse(text, source=source, fmt=format_of(path, text), max_chars=max(max_bytes, 1))


def generate_schema() -> dict[str, Any]:
    """The JSON schema of a manifest, generated from the pydantic model (both layouts)."""
    schema: dict[str, Any] = DatasetManifest.model_json_schema(mode="validation")
    rows = schema["properties"]["files"]
    hex64 = {"type": "string", "pattern": "^[0-9a-f]{64}$"}
    columns = {
        "type": "object",
        "description": "The columns layout: parallel arrays, one item per file.",
        "properties": {
            "path": {"type": "array", "items": {"type": "string"}},
            "size": {"type": "array", "items": {"type": "integer", "minimum": 0}},
            "sha256": {"type": "array", "items": hex64},
            "blake3": {"type": "array", "items": {"anyOf": [hex64, {"type": "null"}]}},
            "version_id": {"type": "array", "items": {"type": ["string", "null"]}},
            "etag": {"type": "array", "items": {"type": ["string", "null"]}},
        },
        "required": ["path", "size", "sha256"],
        "additionalProperties": False,
    }
    schema["properties"]["files"] = {"title": rows.pop("title", "Files"), "anyOf": [rows, columns]}
    return {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "$id": SCHEMA_ID,
        **schema,
    }


@cache
def _published_text() -> str:
    return resources.files("openmodel_gov").joinpath(_SCHEMA_RESOURCE).read_text(encoding="utf-8")


def published_schema() -> dict[str, Any]:
    """The published schema file (a fresh copy; callers may mutate it)."""
    data: dict[str, Any] = json.loads(_published_text())
    return data


if __name__ == "__main__":  # pragma: no cover - regenerates the published schema
    target = Path(__file__).resolve().parent.parent / _SCHEMA_RESOURCE
    atomic_write_text(target, dump_json(generate_schema()))
