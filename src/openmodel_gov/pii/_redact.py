"""Apply operators to findings with presidio-anonymizer.

Operators: replace, mask, redact, and pseudonymize (a keyed HMAC-SHA-256 token, run as a
presidio-anonymizer custom operator).
"""

from __future__ import annotations

import hashlib
import hmac
from collections.abc import Sequence
from functools import cache
from typing import Any

from openmodel_gov._core._deps import require
from openmodel_gov.pii._config import Operator, PiiConfig
from openmodel_gov.pii._results import PiiFinding

__all__ = ["apply_operators", "pseudonym"]


def pseudonym(value: str, *, entity_type: str, key: bytes, length: int = 12) -> str:
    """The token that replaces ``value``: same value + key + type -> same token.

    >>> pseudonym("ada@example.org", entity_type="EMAIL_ADDRESS", key=b"k" * 16)
    '<EMAIL_ADDRESS_...>'
    """
    digest = hmac.new(key, f"{entity_type}\x00{value}".encode(), hashlib.sha256).hexdigest()
    return f"<{entity_type}_{digest[:length]}>"


def _replacement(value: str, finding: PiiFinding, op: Operator, config: PiiConfig) -> str:
    if op.kind == "replace":
        template = op.new_value if op.new_value is not None else "<{entity_type}>"
        return template.replace("{entity_type}", finding.entity_type)
    if op.kind == "mask":
        keep = min(op.keep_last, len(value) // 2)
        return op.masking_char * (len(value) - keep) + (value[len(value) - keep :] if keep else "")
    if op.kind == "redact":
        return ""
    key = config.pseudonym_key
    assert key is not None  # enforced by PiiConfig
    return pseudonym(
        value, entity_type=finding.entity_type, key=key.get_secret_value(), length=op.token_length
    )


@cache
def _anonymizer() -> Any:
    """One stateless presidio-anonymizer engine per process (built on first use)."""
    anonymizer = require("presidio_anonymizer", extra="pii", feature="redact_text")
    return anonymizer.AnonymizerEngine()


def _operator_config(entity_type: str, config: PiiConfig) -> Any:
    entities = require("presidio_anonymizer.entities", extra="pii", feature="redact_text")
    op = config.operator_for(entity_type)
    if op.kind == "replace":
        template = op.new_value if op.new_value is not None else "<{entity_type}>"
        return entities.OperatorConfig(
            "replace", {"new_value": template.replace("{entity_type}", entity_type)}
        )
    if op.kind == "redact":
        return entities.OperatorConfig("redact", {})
    # mask (at most half of a value kept) and keyed pseudonyms: our functions, run by
    # presidio-anonymizer as custom operators.
    probe = PiiFinding(entity_type, 0, 0, 1.0)
    return entities.OperatorConfig(
        "custom", {"lambda": lambda value: _replacement(value, probe, op, config)}
    )


def apply_operators(text: str, findings: Sequence[PiiFinding], config: PiiConfig) -> str:
    """Replace each finding by its operator's output, with presidio-anonymizer.

    Overlapping findings keep their union covered (presidio's ``REMOVE_INTERSECTIONS``: the
    weaker finding is trimmed, never dropped), so no part of a value leaks. ``mask`` keeps at
    most half of a value (``keep_last`` is capped) so a short value is never shown whole.

    >>> cfg = PiiConfig(entities=["EMAIL_ADDRESS"])
    >>> apply_operators("to a@b.io now", [PiiFinding("EMAIL_ADDRESS", 3, 9, 1.0)], cfg)
    'to <EMAIL_ADDRESS> now'
    """
    if not findings:
        return text
    entities = require("presidio_anonymizer.entities", extra="pii", feature="redact_text")
    results = [
        entities.RecognizerResult(f.entity_type, f.start, f.end, f.score)
        for f in findings
        if f.end > f.start
    ]
    operators = {t: _operator_config(t, config) for t in {f.entity_type for f in findings}}
    result = _anonymizer().anonymize(
        text=text,
        analyzer_results=results,
        operators=operators,
        conflict_resolution=entities.ConflictResolutionStrategy.REMOVE_INTERSECTIONS,
        merge_entities_with_spaces=False,
    )
    return str(result.text)
