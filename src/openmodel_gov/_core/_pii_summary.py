"""The PII scan summary stored in dataset manifests and read by compliance rules.

It lives in a light module of its own so that manifests and compliance can use it without
importing the PII extra (Presidio, spaCy). It never holds a detected value, only counts.

>>> s = PiiScanSummary(records_scanned=10, records_with_pii=2,
...                    counts_by_entity={"EMAIL_ADDRESS": 2}, redacted=False)
>>> s.found_entity_types
('EMAIL_ADDRESS',)
>>> s.has_unredacted("EMAIL_ADDRESS")
True
"""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict, Field, NonNegativeInt

__all__ = ["PiiScanSummary"]


class PiiScanSummary(BaseModel):
    """Counts from a PII scan of a dataset (no raw values, ever).

    Attributes:
        records_scanned: records (or texts) scanned.
        records_with_pii: records holding at least one finding.
        counts_by_entity: findings per Presidio entity type (``EMAIL_ADDRESS`` ...).
        counts_by_field: findings per record field, then per entity type.
        entities_checked: the entity types the scan looked for.
        redacted: whether the findings were redacted in the stored data.
        model: the spaCy pipeline used (``None``: pattern recognizers only).
        tool: the producer, e.g. ``"openmodel-gov 0.1.0"``.
        scanned_at: ISO-8601 timestamp of the scan, if recorded.
    """

    model_config = ConfigDict(frozen=True, extra="forbid")

    records_scanned: NonNegativeInt = 0
    records_with_pii: NonNegativeInt = 0
    counts_by_entity: dict[str, NonNegativeInt] = Field(default_factory=dict)
    counts_by_field: dict[str, dict[str, NonNegativeInt]] = Field(default_factory=dict)
    entities_checked: tuple[str, ...] = ()
    redacted: bool = False
    model: str | None = None
    tool: str | None = None
    scanned_at: str | None = None

    @property
    def found_entity_types(self) -> tuple[str, ...]:
        """Entity types with at least one finding, sorted."""
        return tuple(sorted(k for k, v in self.counts_by_entity.items() if v > 0))

    def has_unredacted(self, entity_type: str) -> bool:
        """True when ``entity_type`` was found and the data was not redacted."""
        return not self.redacted and self.counts_by_entity.get(entity_type, 0) > 0
