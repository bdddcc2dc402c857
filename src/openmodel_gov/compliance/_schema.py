"""The published JSON Schema of rule packs, generated from the pydantic models.

``tasks/build_rule_schema.py`` writes it to ``data/rules/rule-pack.schema.json``; a test keeps
the file in sync with :func:`generate_rule_pack_schema`.
"""

from __future__ import annotations

import json
from importlib import resources
from typing import Any

from openmodel_gov.compliance._packs import RULE_PACK_FORMAT, RulePack

__all__ = ["SCHEMA_ID", "SCHEMA_RESOURCE", "generate_rule_pack_schema", "rule_pack_json_schema"]

SCHEMA_RESOURCE = "data/rules/rule-pack.schema.json"
SCHEMA_ID = "https://github.com/openmodel-gov/openmodel-gov/schemas/rule-pack-v1.schema.json"


def generate_rule_pack_schema() -> dict[str, Any]:
    """The rule-pack JSON Schema (draft 2020-12), as generated from :class:`RulePack`."""
    schema = RulePack.model_json_schema(mode="validation")
    for definition in schema.get("$defs", {}).values():  # doctest examples are not schema docs
        if "description" in definition:
            definition["description"] = definition["description"].split("\n\n>>>")[0]
    citation = schema.get("$defs", {}).get("Citation")
    if citation is not None:  # rule packs write the pinpoint as ``ref`` (read as ``section``)
        citation["description"] = (
            "The source of a rule or mitigation: an instrument and a pinpoint ('ref', also "
            "accepted as 'section')."
        )
        citation["properties"]["ref"] = {
            "type": "string",
            "minLength": 1,
            "description": "The pinpoint: article, section, paragraph, e.g. 'Art. 9(1)'.",
        }
        citation["properties"]["url"] = {
            "anyOf": [{"type": "string", "pattern": "^https://\\S+$"}, {"type": "null"}],
            "default": None,
            "description": "Where the official text can be read (https).",
        }
        citation["not"] = {"required": ["ref", "section"]}
        citation["anyOf"] = [{"required": ["ref"]}, {"required": ["section"]}]
    return {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "$id": SCHEMA_ID,
        "title": "openmodel-gov compliance rule pack",
        "description": (
            f"A rule pack ({RULE_PACK_FORMAT}): rules mapping dataset and use-context facts to "
            "a regulation, a risk level, mitigations and citations. Conditions use the "
            "condition language documented in docs/compliance.md."
        ),
        **{k: v for k, v in schema.items() if k not in ("title", "description")},
    }


def rule_pack_json_schema() -> dict[str, Any]:
    """The published rule-pack JSON Schema (the file shipped with the package).

    >>> rule_pack_json_schema()["properties"]["format"]["const"]
    'openmodel-gov/rule-pack/v1'
    """
    text = resources.files("openmodel_gov").joinpath(SCHEMA_RESOURCE).read_text(encoding="utf-8")
    data: dict[str, Any] = json.loads(text)
    return data
