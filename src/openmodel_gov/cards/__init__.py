"""Typed model cards: load, validate, convert, and read what a card actually says.

:class:`ModelCard` is the one structure the openness scorer, the license checks, the
compliance builder and the exports read. :func:`load_card` reads a path (a Hugging Face README.md,
bare Hub metadata, our own YAML/JSON, a Model Openness Tool file, or a model folder) or a
mapping; :func:`load_card_text` reads card text (a ``str`` given to ``load_card`` is always a
path); the ``to_*`` methods write
them back without losing unknown keys, the body or key order.
:func:`read_card_evidence` reads a card's body and folder into :class:`CardEvidence`
(sections, classified links, datasets, training code, evaluation tables, license statements,
the access gate), every fact with where it was seen and how sure the reading is; see
``openmodel_gov.cards._evidence`` for the stable API the openness and license checks use.

>>> from openmodel_gov.cards import load_card
>>> card = load_card({"license": "apache-2.0", "datasets": "c4"})
>>> card.license, card.datasets, card.extras
('hf:apache-2.0', ['c4'], {})
"""

from __future__ import annotations

import os
from functools import cache
from typing import Any

from openmodel_gov._core._deps import require
from openmodel_gov._core._io import (
    DEFAULT_MAX_BYTES,
    LoadedDocument,
    decode_utf8,
    json_path,
    load_json_document,
    load_yaml_document,
    read_bytes,
)
from openmodel_gov.cards._evidence import (
    CardEvidence,
    CardLink,
    CardSection,
    ConfigBlock,
    DatasetMention,
    Disclosure,
    DisclosureTopic,
    EvalTable,
    FolderEvidence,
    FolderFile,
    GateInfo,
    GateKind,
    LicenseStatement,
    SafetensorsInfo,
    TrainingCodeMention,
)
from openmodel_gov.cards._facts import (
    KnownDataset,
    LinkKind,
    LinkTopic,
    find_known_dataset,
    known_datasets,
)
from openmodel_gov.cards._load import FormatName, load_card, load_card_text
from openmodel_gov.cards._model import (
    CARD_SCHEMA_ID,
    COMPONENT_NAMES,
    UNLICENSED,
    AccessGating,
    CardFormat,
    Component,
    ComponentName,
    ComponentSpec,
    ContentType,
    EcosystemSignals,
    EvalResult,
    GlobalLicenses,
    ModelCard,
    Training,
    component_specs,
)
from openmodel_gov.cards._read import read_card_evidence
from openmodel_gov.errors import ValidationIssue

__all__ = [
    "CARD_SCHEMA_ID",
    "COMPONENT_NAMES",
    "UNLICENSED",
    "AccessGating",
    "CardEvidence",
    "CardFormat",
    "CardLink",
    "CardSection",
    "Component",
    "ComponentName",
    "ComponentSpec",
    "ConfigBlock",
    "ContentType",
    "DatasetMention",
    "Disclosure",
    "DisclosureTopic",
    "EcosystemSignals",
    "EvalResult",
    "EvalTable",
    "FolderEvidence",
    "FolderFile",
    "FormatName",
    "GateInfo",
    "GateKind",
    "GlobalLicenses",
    "KnownDataset",
    "LicenseStatement",
    "LinkKind",
    "LinkTopic",
    "ModelCard",
    "SafetensorsInfo",
    "Training",
    "TrainingCodeMention",
    "card_json_schema",
    "component_specs",
    "find_known_dataset",
    "known_datasets",
    "load_card",
    "load_card_text",
    "read_card_evidence",
    "validate_card_file",
]


@cache
def _schema() -> dict[str, Any]:
    schema = ModelCard.model_json_schema(mode="validation")
    props = schema["properties"]
    for private in ("source_format", "source_path"):
        props.pop(private, None)
    schema["properties"] = {"schema": {"const": CARD_SCHEMA_ID, "title": "Schema"}, **props}
    schema["$schema"] = "https://json-schema.org/draft/2020-12/schema"
    schema["$id"] = f"https://openmodel-gov.dev/schemas/{CARD_SCHEMA_ID}.json"
    schema["title"] = "openmodel-gov model card"
    return schema


def card_json_schema() -> dict[str, Any]:
    """The JSON Schema (draft 2020-12) of our own card format (YAML or JSON files).

    Returns:
        A fresh ``dict`` each call (safe to modify).

    >>> schema = card_json_schema()
    >>> schema["properties"]["schema"]["const"], "components" in schema["properties"]
    ('openmodel-gov/model-card/v1', True)
    """
    import copy

    return copy.deepcopy(_schema())


def validate_card_file(
    path: str | os.PathLike[str], *, max_bytes: int = DEFAULT_MAX_BYTES
) -> list[ValidationIssue]:
    """Validate a YAML/JSON card file against :func:`card_json_schema` with ``jsonschema``.

    Unlike :func:`load_card`, which stops at the first file it cannot read, this returns
    *all* schema violations, each with its JSON path and source line.

    Args:
        path: a card in our own format (``.yaml``, ``.yml`` or ``.json``).
        max_bytes: refuse files larger than this.

    Returns:
        Every problem found, ordered by line; an empty list when the file is valid.

    Raises:
        MissingDependencyError: ``jsonschema`` is not installed (extra ``[schema]``).
        FileAccessError / ParseError: the file cannot be read or parsed at all.
    """
    jsonschema = require("jsonschema", extra="schema", feature="validate_card_file")
    source = str(path)
    text = decode_utf8(read_bytes(path, max_bytes=max_bytes), source=source)
    doc: LoadedDocument = (
        load_json_document(text, source=source)
        if source.lower().endswith(".json")
        else load_yaml_document(text, source=source, empty={})
    )
    validator_cls = jsonschema.validators.validator_for(_schema())
    validator = validator_cls(_schema())
    issues = []
    for error in validator.iter_errors(doc.data):
        where = tuple(error.absolute_path)
        issues.append(
            ValidationIssue(
                message=error.message,
                field=json_path(where),
                line=doc.line_of(where),
                source=source,
            )
        )
    return sorted(issues, key=lambda i: (i.line or 0, i.field))


from openmodel_gov._core._public import publish as _publish  # noqa: E402

_publish(__name__, globals(), __all__)
