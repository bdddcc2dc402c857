"""``load_card``: detect the format of a path, text or mapping and build a ``ModelCard``."""

from __future__ import annotations

import os
from collections.abc import Mapping
from pathlib import Path
from typing import Any, Literal

from openmodel_gov._core._io import (
    DEFAULT_MAX_BYTES,
    LoadedDocument,
    check_plain_data,
    decode_utf8,
    load_json_document,
    load_yaml_document,
    read_bytes,
)
from openmodel_gov.cards._formats import from_own_dict
from openmodel_gov.cards._hf import from_hf_metadata, parse_readme
from openmodel_gov.cards._model import ModelCard
from openmodel_gov.cards._mot import from_mot, is_mot_document
from openmodel_gov.errors import InputError, InputTooLargeError, ParseError

__all__ = ["FormatName", "load_card"]

FormatName = Literal["auto", "hf-readme", "hf-metadata", "openmodel-gov", "mot", "yaml", "json"]
_FORMATS = ("auto", "hf-readme", "hf-metadata", "openmodel-gov", "mot", "yaml", "json")
_PATH_SUFFIXES = (".md", ".markdown", ".yaml", ".yml", ".json")


def _looks_like_path(text: str) -> bool:
    return (
        "\n" not in text
        and len(text) < 4096
        and (text.lower().endswith(_PATH_SUFFIXES) or os.path.isfile(text))
    )


def _from_mapping(
    data: Any,
    fmt: str,
    *,
    doc: LoadedDocument | None,
    source: str | None,
    fallback_name: str | None,
) -> ModelCard:
    if not isinstance(data, dict):
        raise ParseError(
            f"a card document must be a mapping of keys to values, not {type(data).__name__}",
            source=source,
            line=doc.line_of(()) if doc else None,
        )
    if fmt in ("auto", "yaml", "json"):
        if is_mot_document(data):
            fmt = "mot"
        elif _is_own_document(data):
            fmt = "openmodel-gov"
        else:
            fmt = "hf-metadata"
    if fmt == "mot":
        if not is_mot_document(data):
            raise ParseError(
                "not a Model Openness Tool file: expected 'framework:' and 'release:' "
                "with 'components:'",
                source=source,
            )
        card = from_mot(data, doc=doc, source=source)
    elif fmt == "openmodel-gov":
        card = from_own_dict(data, doc=doc, source=source)
    else:
        card = from_hf_metadata(data, "", doc=doc, source=source, fallback_name=fallback_name)
        fmt = "hf-readme"
    return card.model_copy(update={"source_format": fmt, "source_path": source})


def _is_own_document(data: dict[str, Any]) -> bool:
    """Our own format: it says so, or it has ``name`` and only our field names."""
    schema = data.get("schema")
    if isinstance(schema, str) and schema.startswith("openmodel-gov/"):
        return True
    return "name" in data and set(data) <= {*ModelCard.model_fields, "schema"}


def _yaml_with_leading_comment(text: str, source: str | None) -> LoadedDocument | None:
    """A YAML card (ours or MOT) whose first line is a ``#`` comment, else ``None``."""
    try:
        doc = load_yaml_document(text, source=source)
    except ParseError:
        return None
    data = doc.data
    if isinstance(data, dict) and (is_mot_document(data) or _is_own_document(data)):
        return doc
    return None


def _parse_text(text: str, fmt: str, *, source: str | None, fallback_name: str | None) -> ModelCard:
    stripped = text.lstrip("\ufeff")
    if fmt == "auto" and stripped.startswith("#"):
        commented = _yaml_with_leading_comment(stripped, source)
        if commented is not None:
            return _from_mapping(
                commented.data, fmt, doc=commented, source=source, fallback_name=fallback_name
            )
    if fmt == "hf-readme" or (
        fmt == "auto"
        and (stripped.startswith("---") or not stripped.strip() or _is_markdown(stripped))
    ):
        card = parse_readme(stripped, source=source, fallback_name=fallback_name)
        return card.model_copy(update={"source_format": "hf-readme", "source_path": source})
    if fmt == "json" or (
        fmt in ("auto", "openmodel-gov", "mot", "hf-metadata") and stripped.lstrip().startswith("{")
    ):
        doc = load_json_document(stripped, source=source)
    else:
        doc = load_yaml_document(stripped, source=source)
    return _from_mapping(doc.data, fmt, doc=doc, source=source, fallback_name=fallback_name)


def _is_markdown(text: str) -> bool:
    """A document that is not YAML/JSON: Markdown without front matter."""
    first = text.lstrip().split("\n", 1)[0]
    return first.startswith(("#", "<", "!", "[", ">", "|")) or (
        ":" not in first and not first.startswith("{")
    )


def load_card(
    source: str | os.PathLike[str] | Mapping[str, Any],
    *,
    format: FormatName = "auto",  # noqa: A002 - the natural name for a public option
    max_bytes: int = DEFAULT_MAX_BYTES,
) -> ModelCard:
    """Load a model card from a file path, a string or a mapping.

    Formats (detected unless ``format`` forces one): a Hugging Face README.md (YAML front
    matter + Markdown body; a file with no front matter loads its body and warns that the
    metadata is empty), a bare Hugging Face metadata mapping, our own YAML/JSON card
    (``schema: openmodel-gov/model-card/v1``) and a Model Openness Tool ``model.yml``.

    Args:
        source: a path (``str`` ending in .md/.yaml/.yml/.json, an existing file, or a
            ``PathLike``), the text of a card, or an already-parsed mapping.
        format: ``"auto"`` (default), ``"hf-readme"``, ``"hf-metadata"``,
            ``"openmodel-gov"``, ``"mot"``, ``"yaml"`` or ``"json"``.
        max_bytes: refuse files or texts larger than this.

    Returns:
        The typed, validated card.

    Raises:
        FileAccessError: the path cannot be read.
        ParseError: malformed YAML/JSON, bad UTF-8, duplicate keys, alias bombs, unclosed
            front matter (``InputTooLargeError`` over ``max_bytes``).
        SchemaValidationError: fields of the wrong type, unknown component names; every
            problem with its JSON path and line.

    >>> card = load_card("---\\nlicense: llama3.2\\nbase_model: meta-llama/Llama-3.2-1B\\n---\\n# Tuned\\n")
    >>> card.name, card.license, card.base_models
    ('Tuned', 'hf:llama3.2', ['meta-llama/Llama-3.2-1B'])
    """
    if format not in _FORMATS:
        raise InputError(f"unknown format {format!r}; expected one of {_FORMATS}", field="format")
    if isinstance(source, Mapping):
        check_plain_data(source, source="<mapping>")  # finite numbers, bounded depth (issue 20)
        return _from_mapping(dict(source), format, doc=None, source=None, fallback_name=None)
    untyped: object = source  # callers without type checking may pass anything
    if isinstance(untyped, os.PathLike) or (isinstance(untyped, str) and _looks_like_path(untyped)):
        path = Path(source)
        data = read_bytes(path, max_bytes=max_bytes)
        text = decode_utf8(data, source=str(path))
        fmt: str = format
        if fmt == "auto":
            suffix = path.suffix.lower()
            fmt = (
                "hf-readme"
                if suffix in (".md", ".markdown")
                else "json"
                if suffix == ".json"
                else "yaml"
                if suffix in (".yaml", ".yml")
                else "auto"
            )
        return _parse_text(text, fmt, source=str(path), fallback_name=path.stem)
    if not isinstance(untyped, str):
        raise InputError(
            f"load_card() takes a path, a string or a mapping, not {type(untyped).__name__}",
            field="source",
        )
    source = untyped
    if len(source.encode("utf-8", "surrogatepass")) > max_bytes:
        raise InputTooLargeError(
            f"card text is larger than the {max_bytes}-byte bound", source="<string>"
        )
    if any(0xD800 <= ord(ch) <= 0xDFFF for ch in source):
        raise ParseError(
            "card text holds lone surrogate code points (not valid Unicode)", source="<string>"
        )
    return _parse_text(source, format, source=None, fallback_name=None)
