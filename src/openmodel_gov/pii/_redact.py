"""Apply operators to findings: replace, mask, redact, pseudonymize (keyed HMAC-SHA-256)."""

from __future__ import annotations

import hashlib
import hmac
from collections.abc import Sequence

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


def apply_operators(text: str, findings: Sequence[PiiFinding], config: PiiConfig) -> str:
    """Replace each finding by its operator's output (an overlapping tail is replaced too).

    ``mask`` keeps at most half of a value (``keep_last`` is capped) so a short value is never
    shown whole.

    >>> cfg = PiiConfig(entities=["EMAIL_ADDRESS"])
    >>> apply_operators("to a@b.io now", [PiiFinding("EMAIL_ADDRESS", 3, 9, 1.0)], cfg)
    'to <EMAIL_ADDRESS> now'
    """
    parts: list[str] = []
    cursor = 0
    for finding in sorted(findings, key=lambda f: f.start):
        if finding.end <= cursor:
            continue  # inside an earlier finding, already replaced
        start = max(finding.start, cursor)  # overlaps: replace the rest too, never leak it
        value = text[start : finding.end]
        parts.append(text[cursor:start])
        parts.append(_replacement(value, finding, config.operator_for(finding.entity_type), config))
        cursor = finding.end
    parts.append(text[cursor:])
    return "".join(parts)
