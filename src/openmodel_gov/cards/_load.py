"""``load_card`` (a path or a mapping) and ``load_card_text`` (text): build a ``ModelCard``.

Paths and text never mix: a ``str`` given to :func:`load_card` is always a path, so a typo in
a CI path is an error, never card text that happens to "validate", and a service passing
untrusted text cannot make the loader read local files.
"""

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
from openmodel_gov.cards._folder import load_folder
from openmodel_gov.cards._formats import check_finite, from_own_dict
from openmodel_gov.cards._hf import from_hf_metadata, parse_readme
from openmodel_gov.cards._model import ModelCard
from openmodel_gov.cards._mot import from_mot, is_mot_document
from openmodel_gov.errors import (
    InputError,
    InputTooLargeError,
    ParseError,
    PathNotFoundError,
)

__all__ = ["FormatName", "load_card", "load_card_text"]

FormatName = Literal["auto", "hf-readme", "hf-metadata", "openmodel-gov", "mot", "yaml", "json"]
_FORMATS = ("auto", "hf-readme", "hf-metadata", "openmodel-gov", "mot", "yaml", "json")


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
    check_finite(data, doc=doc, source=source)
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
        and (stripped.lstrip().startswith("---") or not stripped.strip() or _is_markdown(stripped))
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


def _check_format(format: str) -> None:  # noqa: A002
    if format not in _FORMATS:
        raise InputError(f"unknown format {format!r}; expected one of {_FORMATS}", field="format")


def _format_of_suffix(path: Path) -> str:
    suffix = path.suffix.lower()
    if suffix in (".md", ".markdown"):
        return "hf-readme"
    if suffix == ".json":
        return "json"
    if suffix in (".yaml", ".yml"):
        return "yaml"
    return "auto"


def load_card(
    source: str | os.PathLike[str] | Mapping[str, Any],
    *,
    format: FormatName = "auto",  # noqa: A002 - the natural name for a public option
    max_bytes: int = DEFAULT_MAX_BYTES,
) -> ModelCard:
    """Load a model card from a file, a model folder or an already-parsed mapping.

    A ``str`` is always a path (card *text* goes to :func:`load_card_text`). Files: a Hugging
    Face README.md (YAML front matter + Markdown body; a file with no front matter loads its
    body and warns that the metadata is empty), a bare Hugging Face metadata file, our own
    YAML/JSON card (``schema: openmodel-gov/model-card/v1``) and a Model Openness Tool
    ``model.yml``. A folder is read as a model folder or a Hugging Face cache snapshot
    (``models--org--name/snapshots/<rev>/``): its README.md is the card, and the LICENSE,
    ``config.json``, weight files and training files beside it become evidence
    (:func:`openmodel_gov.cards.read_card_evidence`).

    Args:
        source: a path (``str`` or ``PathLike``) to a file or a model folder, or a mapping.
        format: ``"auto"`` (default), ``"hf-readme"``, ``"hf-metadata"``,
            ``"openmodel-gov"``, ``"mot"``, ``"yaml"`` or ``"json"``.
        max_bytes: refuse files larger than this.

    Returns:
        The typed, validated card.

    Raises:
        PathNotFoundError: nothing exists at the path (a ``FileNotFoundError``).
        FileAccessError: the path cannot be read, or is a folder with no model card.
        ParseError: malformed YAML/JSON, bad UTF-8, duplicate keys, alias bombs, unclosed
            front matter (``InputTooLargeError`` over ``max_bytes``).
        SchemaValidationError: fields of the wrong type, unknown component names; every
            problem with its JSON path and line.
        InputError: ``source`` is neither a path nor a mapping.

    >>> card = load_card({"license": "apache-2.0", "base_model": "mistralai/Mistral-7B-v0.1"})
    >>> card.license, card.base_models
    ('hf:apache-2.0', ['mistralai/Mistral-7B-v0.1'])
    >>> load_card("no/such/README.md")
    Traceback (most recent call last):
    ...
    openmodel_gov.errors.PathNotFoundError: no/such/README.md: no such file or folder (...)
    """
    _check_format(format)
    if isinstance(source, Mapping):
        check_plain_data(source, source="<mapping>")  # finite numbers, bounded depth (issue 20)
        return _from_mapping(dict(source), format, doc=None, source=None, fallback_name=None)
    untyped: object = source  # callers without type checking may pass anything
    if not isinstance(untyped, (str, os.PathLike)):
        raise InputError(
            f"load_card() takes a path or a mapping, not {type(untyped).__name__}"
            " (card text goes to load_card_text())",
            field="source",
        )
    path = Path(untyped)
    if not str(untyped) or "\0" in str(untyped):
        raise InputError("a card path must be a non-empty path without NUL", field="source")
    try:
        is_dir = path.is_dir()
        exists = is_dir or path.exists()
    except (OSError, ValueError):
        exists, is_dir = False, False
    if not exists:
        raise PathNotFoundError(
            "no such file or folder (card text goes to load_card_text())", source=str(path)
        )
    if is_dir:
        return load_folder(path, format=format, max_bytes=max_bytes, load_file=_read_file)
    return _load_file(path, format, max_bytes=max_bytes)


def _read_file(path: Path, format: str, max_bytes: int) -> ModelCard:  # noqa: A002
    return _load_file(path, format, max_bytes=max_bytes)


def _load_file(path: Path, format: str, *, max_bytes: int) -> ModelCard:  # noqa: A002
    data = read_bytes(path, max_bytes=max_bytes)
    text = decode_utf8(data, source=str(path))
    fmt = _format_of_suffix(path) if format == "auto" else format
    return _parse_text(text, fmt, source=str(path), fallback_name=path.stem)


def load_card_text(
    text: str,
    *,
    format: FormatName = "auto",  # noqa: A002 - the natural name for a public option
    source: str | None = None,
    max_bytes: int = DEFAULT_MAX_BYTES,
) -> ModelCard:
    """Parse the text of a model card (never read as a path, whatever it looks like).

    Args:
        text: a README.md (front matter optional), YAML or JSON card text.
        format: as for :func:`load_card`; ``"auto"`` detects it from the text.
        source: a name for the text in errors and :attr:`ModelCard.source_path` (no file is
            read).
        max_bytes: refuse texts larger than this (UTF-8 bytes).

    Returns:
        The typed, validated card.

    Raises:
        ParseError, InputTooLargeError, SchemaValidationError: as for :func:`load_card`.
        InputError: ``text`` is not a ``str`` or ``format`` is unknown.

    >>> card = load_card_text("---\\nlicense: llama3.2\\nbase_model: meta-llama/Llama-3.2-1B\\n---\\n# Tuned\\n")
    >>> card.name, card.license, card.base_models
    ('Tuned', 'hf:llama3.2', ['meta-llama/Llama-3.2-1B'])
    >>> load_card_text("README.md").warnings[0]
    'no YAML front matter: the metadata is empty; only the body was loaded'
    """
    _check_format(format)
    untyped: object = text
    if not isinstance(untyped, str):
        raise InputError(
            f"load_card_text() takes a str, not {type(untyped).__name__} (paths go to load_card())",
            field="text",
        )
    where = source or "<string>"
    if len(text.encode("utf-8", "surrogatepass")) > max_bytes:
        raise InputTooLargeError(
            f"card text is larger than the {max_bytes}-byte bound", source=where
        )
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        raise ParseError(
            "card text holds lone surrogate code points (not valid Unicode)", source=where
        ) from None
    card = _parse_text(text, format, source=source, fallback_name=None)
    return card.model_copy(update={"source_path": None}) if source is not None else card
