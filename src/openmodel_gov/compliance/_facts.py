"""Normalize datasets and the use context at the edge into frozen, typed records.

Datasets arrive as :class:`~openmodel_gov.manifests.DatasetManifest` objects, their dataset
entries, or plain mappings with the same keys; all become :class:`DatasetFacts`. The manifest
types are imported when datasets are normalized (not when this module is imported).
"""

from __future__ import annotations

import difflib
import functools
from collections.abc import Iterable, Mapping
from typing import Annotated, Any, Literal

from pydantic import (
    AfterValidator,
    BeforeValidator,
    Field,
    JsonValue,
    ValidationError,
)

from openmodel_gov._core import Frozen
from openmodel_gov._core._io import PathKey, json_path
from openmodel_gov._core._pii_summary import PiiScanSummary
from openmodel_gov._core._vocab import DataCategory, Deidentification, SourceKind
from openmodel_gov.compliance._ast import FactSet
from openmodel_gov.compliance._regions import (
    Jurisdiction,
    Text,
    expand_regions,
    regions_within,
    tupleize_input,
)
from openmodel_gov.errors import SchemaValidationError, ValidationIssue

__all__ = [
    "ComplianceContext",
    "DatasetFacts",
    "locate_datasets",
    "normalize_context",
    "normalize_datasets",
]

_FIELDS = (
    "name",
    "version",
    "source_kind",
    "license",
    "jurisdictions",
    "data_categories",
    "legal_basis",
    "deidentified",
    "synthetic",
    "tdm_optout_honored",
    "pii_summary",
)


def _dedupe(values: tuple[str, ...]) -> tuple[str, ...]:
    return tuple(dict.fromkeys(values))


def _categories(values: tuple[str, ...]) -> tuple[str, ...]:
    values = _dedupe(values)
    if "none" in values and len(values) > 1:
        raise ValueError("'none' cannot be combined with other data categories")
    return values


class DatasetFacts(Frozen):
    """One dataset, as the compliance rules see it (canonical, validated, frozen).

    Missing facts stay ``None`` (or empty): rules then report what they could not decide.
    Keys this builder does not use are kept in :attr:`extra`, never dropped silently.

    >>> d = DatasetFacts(name="forum", jurisdictions=["de", "US-CA"], data_categories=["personal"])
    >>> d.jurisdictions, d.synthetic
    (('DE', 'US-CA'), False)
    >>> sorted(d.to_facts()["regions"].items)
    ['DE', 'EEA', 'EU', 'US', 'US-CA']
    """

    name: Text
    version: Text | None = None
    source_kind: SourceKind | None = None
    license: Text | None = None
    jurisdictions: Annotated[
        tuple[Jurisdiction, ...], BeforeValidator(tupleize_input), AfterValidator(_dedupe)
    ] = ()
    data_categories: Annotated[
        tuple[DataCategory, ...], BeforeValidator(tupleize_input), AfterValidator(_categories)
    ] = ()
    legal_basis: Text | None = None
    deidentified: Deidentification | None = None
    synthetic: bool = False
    tdm_optout_honored: bool | None = None
    pii_summary: PiiScanSummary | None = None
    extra: dict[str, JsonValue] = Field(default_factory=dict)

    @property
    def is_synthetic(self) -> bool:
        """The synthetic flag, or a ``synthetic`` source kind."""
        return self.synthetic or self.source_kind == "synthetic"

    def key(self) -> tuple[object, ...]:
        """Every fact the rules read except the name: equal keys give equal findings."""
        pii = self.pii_summary
        return (
            self.source_kind,
            self.license,
            self.jurisdictions,
            self.data_categories,
            self.legal_basis,
            self.deidentified,
            self.is_synthetic,
            self.tdm_optout_honored,
            None if pii is None else (pii.found_entity_types, pii.records_with_pii, pii.redacted),
        )

    def to_facts(self) -> dict[str, object]:
        """The facts conditions read (see :data:`openmodel_gov.compliance.FIELDS`)."""
        pii = self.pii_summary
        return {
            "name": self.name,
            "version": self.version,
            "license": self.license,
            "legal_basis": self.legal_basis,
            "source_kind": self.source_kind,
            "deidentified": self.deidentified or "none",  # absent: no de-identification claimed
            "synthetic": self.is_synthetic,
            "tdm_optout_honored": self.tdm_optout_honored,
            "jurisdictions": _declared(self.jurisdictions),
            "regions": expand_regions(self.jurisdictions),
            "within_regions": regions_within(self.jurisdictions),
            "data_categories": _closed(self.data_categories),
            "pii_scanned": pii is not None,
            "pii_entities": None if pii is None else FactSet(frozenset(pii.found_entity_types)),
            "pii_records": None if pii is None else float(pii.records_with_pii),
            "pii_redacted": None if pii is None else pii.redacted,
        }


class ComplianceContext(Frozen):
    """How the data will be used. Every fact is optional: a rule that needs an unknown fact
    becomes an open question (if something makes it plausible), never a silent "Low".

    Attributes:
        use: ``commercial`` or ``research``.
        gpai_eu_market: a general-purpose AI model trained on the data is placed on the EU
            market (EU AI Act Art. 53).
        training_flop: cumulative training compute in floating-point operations.
        directed_to_children: the service is directed to children (COPPA, GDPR Art. 8).
        hipaa_covered_entity: the organization is a HIPAA covered entity.
        hipaa_business_associate: the organization is a HIPAA business associate.

    >>> ComplianceContext(use="research", training_flop=1e24).to_facts()["context.use"]
    'research'
    """

    use: Literal["commercial", "research"] | None = None
    gpai_eu_market: bool | None = None
    training_flop: Annotated[float, Field(ge=0, allow_inf_nan=False)] | None = None
    directed_to_children: bool | None = None
    hipaa_covered_entity: bool | None = None
    hipaa_business_associate: bool | None = None

    @property
    def has_model_facts(self) -> bool:
        """Whether a model-level fact (``gpai_eu_market``, ``training_flop``) is stated."""
        return self.gpai_eu_market is not None or self.training_flop is not None

    def to_facts(self) -> dict[str, object]:
        """The ``context.*`` facts conditions read."""
        return {f"context.{name}": getattr(self, name) for name in type(self).model_fields}


@functools.lru_cache(maxsize=1024)
def _closed(values: tuple[str, ...]) -> FactSet | None:
    return FactSet(frozenset(values)) if values else None


@functools.lru_cache(maxsize=4096)
def _declared(codes: tuple[str, ...]) -> FactSet | None:
    if not codes:
        return None
    return FactSet(frozenset(codes), open="GLOBAL" in codes)


# --------------------------------------------------------------------------- normalizing


def _as_mapping(item: object) -> dict[str, Any] | None:
    """A dataset entry (of a manifest) or a mapping, as a mapping of known fields."""
    from openmodel_gov.manifests import DatasetEntry

    if isinstance(item, Mapping):
        return dict(item)
    if not isinstance(item, DatasetEntry):
        return None
    return {
        "name": item.name,
        "version": item.version,
        "source_kind": item.source_kind,
        "license": item.license_normalized,
        "jurisdictions": item.jurisdictions,
        "data_categories": item.data_categories,
        "legal_basis": item.legal_basis,
        "deidentified": item.deidentified,
        "synthetic": item.synthetic,
        "tdm_optout_honored": item.tdm_optout_honored,
        "pii_summary": item.pii_summary,
    }


def _issues(exc: ValidationError, prefix: tuple[str | int, ...]) -> list[ValidationIssue]:
    return [
        ValidationIssue(message=err["msg"], field=json_path((*prefix, *err["loc"])))
        for err in exc.errors(include_url=False)
    ]


def _entries(datasets: Iterable[object]) -> Iterable[tuple[PathKey, object]]:
    """Dataset entries with their paths; a manifest in the list contributes its datasets."""
    from openmodel_gov.manifests import DatasetManifest

    for index, item in enumerate(datasets):
        if isinstance(item, DatasetManifest):
            for sub, entry in enumerate(item.datasets):
                yield (index, "datasets", sub), entry
        else:
            yield (index,), item


def normalize_datasets(datasets: object) -> tuple[DatasetFacts, ...]:
    """Turn manifests, dataset entries and mappings into :class:`DatasetFacts`.

    Raises:
        SchemaValidationError: see :func:`locate_datasets`.
    """
    return tuple(record for _, record in locate_datasets(datasets))


def locate_datasets(datasets: object) -> tuple[tuple[PathKey, DatasetFacts], ...]:
    """Like :func:`normalize_datasets`, with the input path of each record.

    Raises:
        SchemaValidationError: an entry is not a dataset, or a field has a wrong value;
            every issue names its path, e.g. ``$[2].jurisdictions[0]``.
    """
    from openmodel_gov.manifests import DatasetManifest

    if isinstance(datasets, DatasetManifest):
        datasets = datasets.datasets
    if isinstance(datasets, Mapping | str | bytes) or not isinstance(datasets, Iterable):
        raise SchemaValidationError(
            "datasets must be a DatasetManifest or a list of datasets",
            issues=[ValidationIssue(f"got {type(datasets).__name__}", field="$")],
            hint="wrap a single dataset in a list",
        )
    out: list[tuple[PathKey, DatasetFacts]] = []
    issues: list[ValidationIssue] = []
    seen: dict[tuple[str, str | None], PathKey] = {}
    for where, item in _entries(datasets):
        data = _as_mapping(item)
        if data is None:
            issues.append(
                ValidationIssue(
                    f"expected a dataset entry or a mapping, got {type(item).__name__}",
                    field=json_path(where),
                )
            )
            continue
        extra = {k: data.pop(k) for k in [k for k in data if k not in _FIELDS]}
        for key in extra:
            close = difflib.get_close_matches(str(key), _FIELDS, n=1, cutoff=0.8)
            if close and close[0] not in data:
                issues.append(
                    ValidationIssue(
                        f"unknown key {key!r}; did you mean {close[0]!r}?",
                        field=json_path((*where, str(key))),
                    )
                )
        try:
            record = DatasetFacts.model_validate({**data, "extra": extra})
        except ValidationError as exc:
            issues.extend(_issues(exc, where))
            continue
        identity = (record.name, record.version)
        if identity in seen:
            issues.append(
                ValidationIssue(
                    f"dataset {record.name!r}"
                    + (f" version {record.version!r}" if record.version else "")
                    + f" is listed twice (first at {json_path(seen[identity])})",
                    field=json_path((*where, "name")),
                )
            )
            continue
        seen[identity] = where
        out.append((where, record))
    if issues:
        raise SchemaValidationError(
            f"{len(issues)} problem(s) in the datasets", issues=issues, source="datasets"
        )
    return tuple(out)


def normalize_context(context: object) -> ComplianceContext:
    """Turn ``None``, a mapping or a :class:`ComplianceContext` into a context.

    Raises:
        SchemaValidationError: an unknown key or a wrong value (path ``$.key``).
    """
    if context is None:
        return ComplianceContext()
    if isinstance(context, ComplianceContext):
        return context
    if not isinstance(context, Mapping):
        raise SchemaValidationError(
            "context must be a mapping or a ComplianceContext",
            issues=[ValidationIssue(f"got {type(context).__name__}", field="$")],
            source="context",
        )
    data = dict(context)
    if isinstance(data.get("training_flop"), int) and not isinstance(data["training_flop"], bool):
        data["training_flop"] = float(data["training_flop"])
    try:
        return ComplianceContext.model_validate(data)
    except ValidationError as exc:
        raise SchemaValidationError(
            "the compliance context is not valid", issues=_issues(exc, ()), source="context"
        ) from None
