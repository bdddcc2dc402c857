"""Reading and writing manifests (YAML or JSON), and the published JSON schema."""

from __future__ import annotations

import json
import os
from functools import cache
from importlib import resources
from pathlib import Path
from typing import Any, Literal

from pydantic import ValidationError

from openmodel_gov._core._io import (
    LoadedDocument,
    PathKey,
    atomic_write_text,
    decode_utf8,
    dump_json,
    dump_yaml,
    json_path,
    load_json_document,
    load_yaml_document,
    read_bytes,
)
from openmodel_gov.errors import SchemaValidationError, UnsafePathError, ValidationIssue
from openmodel_gov.manifests._model import DatasetManifest
from openmodel_gov.manifests._paths import path_problem

__all__ = [
    "MANIFEST_MAX_BYTES",
    "SCHEMA_ID",
    "format_of",
    "generate_schema",
    "load",
    "parse",
    "published_schema",
    "save_manifest",
]

#: Manifests larger than this are refused unless the caller raises the bound (256 MiB).
MANIFEST_MAX_BYTES = 256 * 1024 * 1024
SCHEMA_ID = "https://openmodel-gov.dev/schemas/dataset-manifest/v1.json"
_SCHEMA_RESOURCE = "data/manifests/dataset-manifest.schema.json"

Format = Literal["yaml", "json"]


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


def _check_paths(doc: LoadedDocument) -> None:
    """Refuse unsafe or duplicate file paths before anything else, naming file and line."""
    files = doc.data.get("files") if isinstance(doc.data, dict) else None
    if not isinstance(files, list):
        return
    first_seen: dict[str, int | None] = {}
    for index, item in enumerate(files):
        if not isinstance(item, dict) or not isinstance(item.get("path"), str):
            continue
        path: str = item["path"]
        key: PathKey = ("files", index, "path")
        line = doc.line_of(key)
        problem = path_problem(path)
        if problem is not None:
            raise UnsafePathError(
                f"{problem}: {path!r}",
                source=doc.source,
                line=line,
                field=json_path(key),
                hint="manifest paths are relative POSIX paths inside the snapshot root",
            )
        if path in first_seen:
            earlier = first_seen[path]
            raise UnsafePathError(
                f"duplicate path {path!r}"
                + (f" (first listed on line {earlier})" if earlier is not None else ""),
                source=doc.source,
                line=line,
                field=json_path(key),
                hint="each file may be listed once",
            )
        first_seen[path] = line


def _issues(exc: ValidationError, doc: LoadedDocument) -> list[ValidationIssue]:
    issues: list[ValidationIssue] = []
    for err in exc.errors(include_url=False):
        loc: PathKey = tuple(err["loc"])
        message = err["msg"].removeprefix("Value error, ")
        issues.append(
            ValidationIssue(
                message=message, field=json_path(loc), line=doc.line_of(loc), source=doc.source
            )
        )
    return issues


def parse(text: str, *, source: str | None = None, fmt: Format = "yaml") -> DatasetManifest:
    """Parse manifest text (YAML is a superset of JSON; ``fmt`` picks the stricter parser)."""
    doc = (
        load_json_document(text, source=source)
        if fmt == "json"
        else load_yaml_document(text, source=source)
    )
    if not isinstance(doc.data, dict):
        raise SchemaValidationError(
            "a manifest must be a mapping with 'datasets' and 'files'",
            issues=[ValidationIssue("expected a mapping", field="$", line=1, source=source)],
            source=source,
        )
    _check_paths(doc)
    try:
        payload = json.dumps(doc.data, ensure_ascii=False, allow_nan=False)
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


def load(path: str | os.PathLike[str], *, max_bytes: int = MANIFEST_MAX_BYTES) -> DatasetManifest:
    """Read, parse and validate a manifest file (see :func:`~openmodel_gov.manifests.load_manifest`)."""
    source = os.fspath(path)
    text = decode_utf8(read_bytes(path, max_bytes=max_bytes), source=source)
    return parse(text, source=source, fmt=format_of(path, text))


def save_manifest(manifest: DatasetManifest, path: str | os.PathLike[str]) -> None:
    """Write ``manifest`` atomically; ``.yaml``/``.yml`` give YAML, anything else JSON."""
    data = manifest.to_dict()
    text = dump_yaml(data) if format_of(path) == "yaml" else dump_json(data)
    atomic_write_text(path, text)


def generate_schema() -> dict[str, Any]:
    """The JSON schema of a manifest, generated from the pydantic model."""
    schema: dict[str, Any] = DatasetManifest.model_json_schema(mode="validation")
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
