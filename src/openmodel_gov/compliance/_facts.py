"""Normalize datasets and the use context at the edge into frozen, typed records.

Datasets arrive as :class:`~openmodel_gov.manifests.DatasetManifest` objects, their dataset
entries, or plain mappings with the same keys; all become :class:`DatasetFacts`. The manifest
types are imported when datasets are normalized (not when this module is imported).
"""

from __future__ import annotations

import difflib
import functools
import re
from collections.abc import Iterable, Mapping
from importlib import resources
from typing import Annotated, Any, Literal

from pydantic import (
    AfterValidator,
    BeforeValidator,
    Field,
    JsonValue,
    StringConstraints,
    ValidationError,
)

from openmodel_gov._core import Citation, Frozen
from openmodel_gov._core._io import LoadedDocument, PathKey, json_path, load_yaml_document
from openmodel_gov._core._pii_summary import PiiScanSummary
from openmodel_gov._core._vocab import DataCategory, Deidentification, SourceKind
from openmodel_gov.compliance._ast import FactSet
from openmodel_gov.errors import SchemaValidationError, ValidationIssue

__all__ = [
    "ComplianceContext",
    "DatasetFacts",
    "GlobalBaseline",
    "global_baseline",
    "locate_datasets",
    "normalize_context",
    "normalize_datasets",
]

_JURISDICTION_RE = re.compile(r"^(GLOBAL|[A-Z]{2,3}(-[A-Z0-9]{1,3})?)$")
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


def _tupleize(value: object) -> object:
    if isinstance(value, str):
        return (value,)
    return tuple(value) if isinstance(value, list | set | frozenset) else value


def _jurisdiction(value: str) -> str:
    canonical = value.strip().upper()
    if not _JURISDICTION_RE.match(canonical):
        raise ValueError(
            f"{value!r} is not a jurisdiction: use an ISO 3166 code ('DE', 'BR', 'US'), a "
            "subdivision ('US-CA'), 'EU', 'EEA' or 'GLOBAL'"
        )
    return canonical


def _dedupe(values: tuple[str, ...]) -> tuple[str, ...]:
    return tuple(dict.fromkeys(values))


def _categories(values: tuple[str, ...]) -> tuple[str, ...]:
    values = _dedupe(values)
    if "none" in values and len(values) > 1:
        raise ValueError("'none' cannot be combined with other data categories")
    return values


Text = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1)]
Jurisdiction = Annotated[str, AfterValidator(_jurisdiction)]


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
        tuple[Jurisdiction, ...], BeforeValidator(_tupleize), AfterValidator(_dedupe)
    ] = ()
    data_categories: Annotated[
        tuple[DataCategory, ...], BeforeValidator(_tupleize), AfterValidator(_categories)
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


# --------------------------------------------------------------------------- regions


class GlobalBaseline(Frozen):
    """What worldwide (``GLOBAL``) data is taken to hold for certain, with its source.

    Read from ``global_baseline`` in ``data/rules/regions.yaml``. Every other country or
    region *may* be present in ``GLOBAL`` data (membership *unknown*), so a rule that needs it
    is an open question, decided only when a jurisdiction names that country.

    >>> from openmodel_gov.compliance import global_baseline
    >>> global_baseline().codes
    ('EU', 'US-CA')
    """

    codes: Annotated[tuple[Jurisdiction, ...], BeforeValidator(_tupleize)]
    because: Text
    citation: Citation


class _Regions(Frozen):
    table: dict[str, frozenset[str]]
    aliases: dict[str, str]
    baseline: GlobalBaseline


def _region_error(message: str, doc: LoadedDocument, path: PathKey) -> SchemaValidationError:
    return SchemaValidationError(
        "regions.yaml is not valid",
        issues=[ValidationIssue(message, field=json_path(path), line=doc.line_of(path))],
        source="regions.yaml",
    )


def _check_members(doc: LoadedDocument, index: int, members: object) -> frozenset[str]:
    values = members if isinstance(members, list) else [members]
    bad = [m for m in values if not (isinstance(m, str) and re.match(r"^[A-Z]{2}$", m))]
    if bad:  # e.g. an unquoted NO, which YAML reads as false
        raise _region_error(
            f"region members must be ISO 3166-1 alpha-2 codes: {bad[0]!r} is not a country code",
            doc,
            ("regions", index, "members"),
        )
    return frozenset(values)


@functools.cache
def _regions() -> _Regions:
    """Regions, aliases and the GLOBAL baseline, from ``data/rules/regions.yaml``."""
    text = (
        resources.files("openmodel_gov")
        .joinpath("data/rules/regions.yaml")
        .read_text(encoding="utf-8")
    )
    return parse_regions(load_yaml_document(text, source="regions.yaml"))


def parse_regions(doc: LoadedDocument) -> _Regions:
    """Validate a loaded ``regions.yaml`` document.

    Raises:
        SchemaValidationError: a member that is not a country code, a missing or invalid
            ``global_baseline`` (codes, because, citation) or alias; the issue names the field.
    """
    table = {
        entry["code"]: _check_members(doc, index, entry["members"])
        for index, entry in enumerate(doc.data["regions"])
    }
    aliases: dict[str, str] = {}
    for index, entry in enumerate(doc.data.get("aliases") or []):
        if not (isinstance(entry, dict) and {"code", "same_as"} <= entry.keys()):
            raise _region_error("an alias needs 'code' and 'same_as'", doc, ("aliases", index))
        aliases[str(entry["code"])] = str(entry["same_as"])
    try:
        baseline = GlobalBaseline.model_validate(doc.data.get("global_baseline"))
    except ValidationError as exc:
        err = exc.errors(include_url=False)[0]
        where: PathKey = ("global_baseline", *err["loc"])
        raise _region_error(err["msg"], doc, where) from None
    return _Regions(table=table, aliases=aliases, baseline=baseline)


def global_baseline() -> GlobalBaseline:
    """What ``GLOBAL`` data is taken to hold for certain (``EU``, ``US-CA``), and why."""
    return _regions().baseline


@functools.lru_cache(maxsize=1024)
def _closed(values: tuple[str, ...]) -> FactSet | None:
    return FactSet(frozenset(values)) if values else None


@functools.lru_cache(maxsize=4096)
def _declared(codes: tuple[str, ...]) -> FactSet | None:
    if not codes:
        return None
    return FactSet(frozenset(codes), open="GLOBAL" in codes)


@functools.lru_cache(maxsize=4096)
def expand_regions(codes: tuple[str, ...]) -> FactSet | None:
    """Declared codes plus the regions they imply; possible members stay *unknown*.

    A country implies the regions it belongs to (``DE`` -> ``EU``, ``EEA``), a subdivision its
    country (``US-CA`` -> ``US``), a region every region containing it (``EU`` -> ``EEA``), an
    alias its ISO code (``UK`` -> ``GB``). A region or country may hold members or
    subdivisions that were not declared: testing for them gives *unknown*, not ``False``.
    ``GLOBAL`` (worldwide data) holds the :func:`global_baseline` for certain (the EU and
    California, after the playbook's Table 12); any other country is *unknown*.

    >>> s = expand_regions(("EU",))
    >>> s.contains("EEA"), s.contains("DE"), s.contains("US")
    (True, None, False)
    >>> expand_regions(("US-CA",)).contains("US")
    True
    >>> world = expand_regions(("GLOBAL",))
    >>> world.contains("EEA"), world.contains("US-CA"), world.contains("BR")
    (True, True, None)
    """
    if not codes:
        return None
    regions = _regions()
    table = regions.table
    worldwide = "GLOBAL" in codes
    items: set[str] = set()
    maybe: set[str] = set()
    for code in (*codes, *(regions.baseline.codes if worldwide else ())):
        alias = regions.aliases.get(code)
        country = code.split("-", 1)[0]
        items.update({code, country} if alias is None else {code, alias})
        country = alias or country
        members = table.get(country)
        if members is None:  # a country (or subdivision): add the regions holding it
            items.update(region for region, held in table.items() if country in held)
        else:  # a region: add the regions containing it; its members may be present
            items.update(region for region, held in table.items() if members <= held)
            maybe.update(members)
    if worldwide:  # worldwide data: the baseline for certain, anything else possibly
        return FactSet(frozenset(items), open=True)
    maybe -= items
    # Undeclared subdivisions of a declared country (or of a possible member) may be present.
    countries = {
        regions.aliases.get(c, c) for c in (*codes, *maybe) if "-" not in c and c not in table
    }
    return FactSet(frozenset(items), frozenset(maybe), tuple(sorted(f"{c}-" for c in countries)))


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
