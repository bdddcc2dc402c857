"""Our own card format (YAML/JSON) and the validation-error mapping shared by all formats."""

from __future__ import annotations

import math
from collections.abc import Callable, Mapping
from typing import Any

from pydantic import ValidationError

from openmodel_gov._core._io import MAX_REPORTED_ISSUES, LoadedDocument, PathKey, json_path
from openmodel_gov.cards._components import CARD_SCHEMA_ID
from openmodel_gov.cards._model import ModelCard
from openmodel_gov.cards._write import PROVENANCE
from openmodel_gov.errors import ParseError, SchemaValidationError, ValidationIssue

__all__ = ["check_finite", "from_own_dict", "validate_fields"]

SourceMapper = Callable[[tuple[int | str, ...]], PathKey]


_MAX_WALK = 200_000


def check_finite(data: Any, *, doc: LoadedDocument | None, source: str | None) -> None:
    """Refuse non-finite numbers (``.inf``, ``.nan``): JSON cannot carry them, so a card that
    holds one could not be written back; the error names the field and its line.

    Raises:
        ParseError: a value is ``inf``, ``-inf`` or ``nan``.
    """
    stack: list[tuple[PathKey, Any]] = [((), data)]
    seen = 0
    while stack and seen < _MAX_WALK:
        path, value = stack.pop()
        seen += 1
        if isinstance(value, float) and not math.isfinite(value):
            raise ParseError(
                f"non-finite number {value!r}: a card holds finite numbers only "
                "(JSON, and so every card format, cannot carry inf or nan)",
                source=source,
                line=doc.line_of(path) if doc is not None else None,
                field=json_path(path),
                hint="write the value as a string or leave it out",
            )
        if isinstance(value, dict):
            stack.extend(
                ((*path, k if isinstance(k, (str, int)) else str(k)), v) for k, v in value.items()
            )
        elif isinstance(value, list):
            stack.extend(((*path, i), v) for i, v in enumerate(value))


def validate_fields(
    fields: Mapping[str, Any],
    *,
    doc: LoadedDocument | None,
    source: str | None,
    to_source: SourceMapper,
    what: str,
) -> ModelCard:
    """Validate typed fields, turning pydantic errors into one path-precise error."""
    try:
        return ModelCard.model_validate(dict(fields), strict=False)
    except ValidationError as exc:
        issues = []
        for err in exc.errors(include_url=False, include_input=False)[:MAX_REPORTED_ISSUES]:
            src_path = to_source(tuple(err["loc"]))
            msg = err["msg"]
            if err["type"] == "literal_error" and "components" in err["loc"][:1]:
                msg = "unknown component name; " + msg
            issues.append(
                ValidationIssue(
                    message=msg,
                    field=json_path(src_path),
                    line=doc.line_of(src_path) if doc is not None else None,
                    source=source,
                )
            )
        raise SchemaValidationError(
            f"invalid {what}: {exc.error_count()} problem(s)",
            issues=issues,
            source=source,
            hint="fix the fields listed; see card_json_schema() for the expected types",
        ) from None


def _own_to_source(loc: tuple[int | str, ...]) -> PathKey:
    # Pydantic reports dict keys of `components` as ('components', '<name>', '[key]') for
    # key errors; strip the marker so the path points at the entry.
    return tuple(part for part in loc if part != "[key]")


def from_own_dict(
    data: Mapping[str, Any], *, doc: LoadedDocument | None, source: str | None
) -> ModelCard:
    """Build a card from our own format (``schema: openmodel-gov/model-card/v1``)."""
    fields = dict(data)
    schema = fields.pop("schema", CARD_SCHEMA_ID)
    if schema != CARD_SCHEMA_ID:
        raise SchemaValidationError(
            "unsupported card schema",
            issues=[
                ValidationIssue(
                    message=f"expected {CARD_SCHEMA_ID!r}, got {schema!r}",
                    field="$.schema",
                    line=doc.line_of(("schema",)) if doc else None,
                    source=source,
                )
            ],
            source=source,
        )
    for key in PROVENANCE:
        fields.pop(key, None)
    return validate_fields(
        fields, doc=doc, source=source, to_source=_own_to_source, what="model card"
    )
