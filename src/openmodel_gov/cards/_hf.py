"""Hugging Face README.md cards: YAML front matter + Markdown body.

Reading maps the Hub's metadata keys (``license``, ``base_model``, ``datasets``,
``model-index``, ``extra_gated_*`` ...) onto typed fields (the key tables are in ``_keys``);
every other key goes to ``extras`` verbatim. The front matter's text is kept for lossless
writing (``_write.to_hf_readme``, ``_roundtrip``), and the documentation fields are filled
from the body (``_fill``).
"""

from __future__ import annotations

import re
from typing import Any

from openmodel_gov._core._io import LoadedDocument, PathKey, load_yaml_document
from openmodel_gov.cards._fill import fill_from_body
from openmodel_gov.cards._formats import check_finite, validate_fields
from openmodel_gov.cards._keys import _LISTS, OWN_KEY, hf_fields
from openmodel_gov.cards._model import ModelCard
from openmodel_gov.errors import ParseError, SchemaValidationError, ValidationIssue

__all__ = ["from_hf_metadata", "parse_readme", "split_front_matter"]

_FENCE = re.compile(r"\A\s*---[ \t]*\r?\n")
_CLOSE = re.compile(r"^---[ \t]*\r?$", re.M)


def split_front_matter(text: str, *, source: str | None) -> tuple[str | None, str, int]:
    """Split a README into (front matter YAML or ``None``, body, line of the first YAML line).

    Read as the Hub reads it: a BOM, blank lines or spaces before the opening ``---`` and
    CRLF line ends are accepted.

    >>> split_front_matter("---\\na: 1\\n---\\n# T\\n", source=None)
    ('a: 1\\n', '# T\\n', 2)
    >>> split_front_matter("\\ufeff\\n\\n---\\r\\na: 1\\r\\n---\\r\\n# T\\r\\n", source=None)
    ('a: 1\\r\\n', '# T\\r\\n', 4)
    >>> split_front_matter("# no metadata\\n", source=None)
    (None, '# no metadata\\n', 0)
    """
    text = text.removeprefix("\ufeff")
    opening = _FENCE.match(text)
    if not opening:
        return None, text, 0
    first_line = text.count("\n", 0, opening.end()) + 1
    rest = text[opening.end() :]
    closing = _CLOSE.search(rest)
    if closing is None:
        raise ParseError(
            f"front matter opened with '---' on line {first_line - 1} is never closed",
            source=source,
            line=first_line - 1,
            hint="add a line '---' after the metadata",
        )
    yaml_text = rest[: closing.start()]
    body = rest[closing.end() :]
    body = body[1:] if body.startswith("\n") else body[2:] if body.startswith("\r\n") else body
    return yaml_text, body, first_line


def from_hf_metadata(
    meta: Any,
    body: str,
    *,
    doc: LoadedDocument | None,
    source: str | None,
    fallback_name: str | None,
    no_front_matter: bool = False,
) -> ModelCard:
    """Build a card from parsed front matter (a mapping) and the Markdown body."""
    if meta is None:
        meta = {}
    if not isinstance(meta, dict):
        raise ParseError(
            f"front matter must be a mapping of keys to values, not {type(meta).__name__}",
            source=source,
            line=doc.line_of(()) if doc else None,
        )
    fields, where = hf_fields(meta, body, fallback_name=fallback_name)
    if "model-index" in meta and fields.get("eval_results") is meta["model-index"]:
        raise SchemaValidationError(
            "invalid model card metadata: model-index has the wrong shape",
            issues=[
                ValidationIssue(
                    message="model-index must be a list of {name, results: [{task: {...}, "
                    "dataset: {...}, metrics: [{type, value}]}]} (mappings and lists as the Hub "
                    "writes them)",
                    field="$['model-index']",
                    line=doc.line_of(("model-index",)) if doc else None,
                    source=source,
                )
            ],
            source=source,
        )
    if "__own__" in fields:
        raise ParseError(
            f"'{OWN_KEY}' must be a mapping of card fields",
            source=source,
            line=doc.line_of((OWN_KEY,)) if doc else None,
            field=f"$['{OWN_KEY}']",
        )
    warnings = list(fields.get("warnings", []))
    if no_front_matter:
        warnings.append("no YAML front matter: the metadata is empty; only the body was loaded")
    if "license" not in fields:
        warnings.append("no license declared in the metadata")
    fields["warnings"] = list(dict.fromkeys(warnings))

    def to_source(loc: tuple[int | str, ...]) -> PathKey:
        head, rest = str(loc[0]), loc[1:]
        base = where.get(head, (head,))
        if head in {"gating", "ecosystem", "training", "eval_results"}:
            return base
        if head in _LISTS.values() and isinstance(meta.get(base[0]), str):
            return base
        return (*base, *rest)

    card = validate_fields(
        fields, doc=doc, source=source, to_source=to_source, what="model card metadata"
    )
    card._raw = dict(meta)
    return card


def parse_readme(text: str, *, source: str | None, fallback_name: str | None) -> ModelCard:
    """Parse a whole README.md (front matter optional)."""
    yaml_text, body, first_line = split_front_matter(text, source=source)
    if yaml_text is None:
        card = from_hf_metadata(
            {}, body, doc=None, source=source, fallback_name=fallback_name, no_front_matter=True
        )
    else:
        doc = load_yaml_document(yaml_text, source=source, line_offset=first_line - 1, empty={})
        check_finite(doc.data, doc=doc, source=source)
        card = from_hf_metadata(doc.data, body, doc=doc, source=source, fallback_name=fallback_name)
        card._body_line = text.count("\n", 0, len(text) - len(body)) + 1
        card._front_text = yaml_text
        card._front_block = text.removeprefix("\ufeff")[
            : len(text.removeprefix("\ufeff")) - len(body)
        ].lstrip()
    if source is not None:
        card = card.model_copy(update={"source_path": source})
    return fill_from_body(card)
