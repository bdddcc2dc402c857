"""``PiiReport``: what a dataset scan or redaction found (counts only, never values)."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from pydantic import Field, NonNegativeFloat, NonNegativeInt

from openmodel_gov._core import Frozen
from openmodel_gov._core._pii_summary import PiiScanSummary
from openmodel_gov._core._render import html_table, markdown_table
from openmodel_gov.pii._results import PiiFinding

__all__ = ["PiiReport", "Tally"]


class PiiReport(Frozen):
    """Counts from scanning or redacting records, plus throughput.

    Attributes:
        records_scanned: records read (including those done before a resume).
        records_with_pii: records with at least one finding.
        texts_scanned: field values scanned.
        counts_by_entity: findings per entity type.
        counts_by_field: findings per field, then per entity type.
        missing_fields: per field, records where it was absent or null (not scanned).
        entities_checked: entity types looked for.
        fields: the fields scanned.
        redacted: whether the output holds redacted values.
        model: spaCy pipeline used (``None``: pattern recognizers only).
        resumed_at: records skipped because a checkpoint had done them already.
        seconds: wall time of this run (after any resume).

    >>> r = PiiReport(records_scanned=4, records_with_pii=1, counts_by_entity={"EMAIL_ADDRESS": 2},
    ...               counts_by_field={"text": {"EMAIL_ADDRESS": 2}}, fields=("text",), seconds=2.0)
    >>> print(r)
    PII scan: 4 records, 1 with PII (25.0%), 2 findings, 2.0 records/s
      EMAIL_ADDRESS: 2 (text: 2)
    >>> r.summary.counts_by_entity
    {'EMAIL_ADDRESS': 2}
    """

    records_scanned: NonNegativeInt = 0
    records_with_pii: NonNegativeInt = 0
    texts_scanned: NonNegativeInt = 0
    counts_by_entity: dict[str, NonNegativeInt] = Field(default_factory=dict)
    counts_by_field: dict[str, dict[str, NonNegativeInt]] = Field(default_factory=dict)
    missing_fields: dict[str, NonNegativeInt] = Field(default_factory=dict)
    entities_checked: tuple[str, ...] = ()
    fields: tuple[str, ...] = ()
    redacted: bool = False
    model: str | None = None
    resumed_at: NonNegativeInt = 0
    seconds: NonNegativeFloat = 0.0
    #: Records set aside (``on_error="reject"`` or ``"skip"``); counted in ``records_scanned``.
    records_rejected: NonNegativeInt = 0

    @property
    def findings(self) -> int:
        """Total findings."""
        return sum(self.counts_by_entity.values())

    @property
    def records_per_second(self) -> float:
        """Throughput of this run (records processed after any resume, per second)."""
        done = self.records_scanned - self.resumed_at
        return done / self.seconds if self.seconds > 0 else 0.0

    @property
    def summary(self) -> PiiScanSummary:
        """The summary to store in the dataset's manifest (no values, only counts)."""
        return self.to_manifest_summary()

    def to_manifest_summary(self, *, scanned_at: str | None = None) -> PiiScanSummary:
        """The manifest summary, with an optional ISO-8601 scan time."""
        from openmodel_gov._version import __version__

        return PiiScanSummary(
            records_scanned=self.records_scanned,
            records_with_pii=self.records_with_pii,
            counts_by_entity=dict(self.counts_by_entity),
            counts_by_field={k: dict(v) for k, v in self.counts_by_field.items()},
            entities_checked=self.entities_checked,
            redacted=self.redacted,
            model=self.model,
            tool=f"openmodel-gov {__version__}",
            scanned_at=scanned_at,
        )

    def to_dict(self) -> dict[str, Any]:
        """Plain data, with the derived totals."""
        data = self.model_dump(mode="json")
        data["findings"] = self.findings
        data["records_per_second"] = round(self.records_per_second, 3)
        return data

    def _rows(self) -> list[list[object]]:
        return [
            [entity, count, *(self.counts_by_field.get(f, {}).get(entity, 0) for f in self.fields)]
            for entity, count in sorted(self.counts_by_entity.items())
        ]

    def to_markdown(self) -> str:
        """A Markdown table of counts per entity type and field."""
        return markdown_table(["entity", "total", *self.fields], self._rows())

    def __str__(self) -> str:
        share = 100 * self.records_with_pii / self.records_scanned if self.records_scanned else 0.0
        verb = "redaction" if self.redacted else "scan"
        lines = [
            f"PII {verb}: {self.records_scanned} records, {self.records_with_pii} with PII "
            f"({share:.1f}%), {self.findings} findings, {self.records_per_second:.1f} records/s"
        ]
        for entity, count in sorted(self.counts_by_entity.items()):
            per_field = ", ".join(
                f"{f}: {self.counts_by_field[f][entity]}"
                for f in self.fields
                if self.counts_by_field.get(f, {}).get(entity)
            )
            lines.append(f"  {entity}: {count} ({per_field})")
        lines.extend(
            f"  note: field {f!r} missing or null in {n} records"
            for f, n in sorted(self.missing_fields.items())
            if n
        )
        return "\n".join(lines)

    def _repr_html_(self) -> str:
        caption = str(self).splitlines()[0]
        return html_table(["entity", "total", *self.fields], self._rows(), caption=caption)


class Tally:
    """Mutable accumulator behind a :class:`PiiReport` (internal; also saved in checkpoints)."""

    def __init__(self, fields: Sequence[str], state: Mapping[str, Any] | None = None) -> None:
        self.fields = tuple(fields)
        state = state or {}
        self.records = int(state.get("records", 0))
        self.with_pii = int(state.get("with_pii", 0))
        self.texts = int(state.get("texts", 0))
        self.by_entity: dict[str, int] = dict(state.get("by_entity", {}))
        self.by_field: dict[str, dict[str, int]] = {
            k: dict(v) for k, v in state.get("by_field", {}).items()
        }
        self.missing: dict[str, int] = dict(state.get("missing", {}))
        self.rejected = int(state.get("rejected", 0))

    def add_problem(self, problem: object) -> None:
        """Count one record set aside (its problem is reported elsewhere)."""
        self.records += 1
        self.rejected += 1

    def add(self, per_field: Mapping[str, Sequence[PiiFinding]], missing: Sequence[str]) -> None:
        """Count one record's findings (field -> findings) and its missing fields."""
        self.records += 1
        self.texts += len(per_field)
        if any(per_field.values()):
            self.with_pii += 1
        for field_name, findings in per_field.items():
            slot = self.by_field.setdefault(field_name, {})
            for f in findings:
                self.by_entity[f.entity_type] = self.by_entity.get(f.entity_type, 0) + 1
                slot[f.entity_type] = slot.get(f.entity_type, 0) + 1
        for field_name in missing:
            self.missing[field_name] = self.missing.get(field_name, 0) + 1

    def state(self) -> dict[str, Any]:
        """JSON-able state, for checkpoints."""
        return {
            "records": self.records,
            "with_pii": self.with_pii,
            "texts": self.texts,
            "by_entity": dict(sorted(self.by_entity.items())),
            "by_field": {k: dict(sorted(v.items())) for k, v in sorted(self.by_field.items())},
            "missing": dict(sorted(self.missing.items())),
            "rejected": self.rejected,
        }

    def report(
        self,
        *,
        entities: Sequence[str],
        redacted: bool,
        model: str | None,
        resumed_at: int,
        seconds: float,
    ) -> PiiReport:
        """Freeze the counts into a report."""
        state = self.state()
        return PiiReport(
            records_scanned=self.records,
            records_with_pii=self.with_pii,
            texts_scanned=self.texts,
            counts_by_entity=state["by_entity"],
            counts_by_field={k: v for k, v in state["by_field"].items() if v},
            missing_fields=state["missing"],
            entities_checked=tuple(entities),
            fields=self.fields,
            redacted=redacted,
            model=model,
            resumed_at=resumed_at,
            seconds=max(seconds, 0.0),
            records_rejected=self.rejected,
        )
