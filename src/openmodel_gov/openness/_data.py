"""Typed, validated access to the facts under ``data/openness/`` (loaded once, cached)."""

from __future__ import annotations

import re
from functools import cache
from importlib import resources
from typing import Any, Literal

from pydantic import ConfigDict, Field, ValidationError, model_validator

from openmodel_gov._core import Frozen, Rag
from openmodel_gov._core._io import load_yaml_document
from openmodel_gov.cards import ComponentName
from openmodel_gov.errors import ConfigError, PolicyError

__all__ = [
    "DIMENSIONS",
    "Band",
    "Dimension",
    "DimensionSpec",
    "LicenseCategory",
    "MofLicenseFacts",
    "OsaidFacts",
    "OsaidRequirement",
    "ScoringPolicy",
    "Source",
    "data_schemas",
    "default_policy",
    "mof_license_facts",
    "osaid_facts",
]

LicenseCategory = Literal["permissive", "copyleft", "restricted", "non-commercial", "unknown"]
Dimension = Literal["weights", "training_data", "training_code", "license", "ecosystem"]
#: The five dimensions of the 0-10 score, in table order.
DIMENSIONS: tuple[Dimension, ...] = (
    "weights",
    "training_data",
    "training_code",
    "license",
    "ecosystem",
)
_CATEGORIES: tuple[str, ...] = ("permissive", "copyleft", "restricted", "non-commercial", "unknown")


class Source(Frozen):
    """A cited source of facts."""

    id: str
    title: str
    url: str


class Band(Frozen):
    """One band of the 0-10 score and its red/amber/green rating."""

    name: Literal["not_open", "semi_open", "fully_open"]
    min: int = Field(ge=0, le=10)
    max: int = Field(ge=0, le=10)
    rag: Rag
    meaning: str


class DimensionSpec(Frozen):
    """One row of the 0-10 table: title, what levels 0/1/2 mean, and the evidence looked at."""

    title: str
    levels: list[str] = Field(min_length=3, max_length=3)
    evidence: str


class ScoringPolicy(Frozen):
    """How card facts become points (the documented default is ``data/openness/policy.yaml``).

    Build a variant with :meth:`ScoringPolicy.model_validate` (validated) or
    :meth:`with_changes` (``default_policy().with_changes(license_points={...})``).

    >>> policy = default_policy()
    >>> policy.license_points["permissive"], policy.license_points["restricted"]
    (2, 0)
    >>> [b.name for b in policy.bands]
    ['not_open', 'semi_open', 'fully_open']
    """

    schema_id: Literal["openmodel-gov/openness-policy/v1"] = Field(
        default="openmodel-gov/openness-policy/v1", alias="schema"
    )
    sources: list[Source] = Field(default_factory=list)
    license_points: dict[LicenseCategory, int]
    undeclared_license_points: int = Field(ge=0, le=2)
    weights_license_points: dict[LicenseCategory, int]
    weights_unlicensed_points: int = Field(ge=0, le=2)
    gated_weights_points: int = Field(ge=0, le=2)
    ecosystem_groups_for_full: int = Field(ge=1, le=3)
    training_data_headings: list[str]
    declared_overrides: bool
    bands: list[Band]
    dimensions: dict[Dimension, DimensionSpec]

    model_config = ConfigDict(**Frozen.model_config, populate_by_name=True)

    @model_validator(mode="after")
    def _check(self) -> ScoringPolicy:
        for name in ("license_points", "weights_license_points"):
            table: dict[str, int] = getattr(self, name)
            missing = [c for c in _CATEGORIES if c not in table]
            if missing:
                raise ValueError(f"{name} lacks categories {missing}")
            bad = {k: v for k, v in table.items() if v not in (0, 1, 2)}
            if bad:
                raise ValueError(f"{name} points must be 0, 1 or 2, got {bad}")
        if sorted(self.dimensions) != sorted(DIMENSIONS):
            raise ValueError(f"dimensions must be exactly {list(DIMENSIONS)}")
        covered = sorted(p for b in self.bands for p in range(b.min, b.max + 1))
        if covered != list(range(11)):
            raise ValueError("bands must cover 0..10 exactly once")
        for pattern in self.training_data_headings:
            try:
                re.compile(pattern)
            except re.error as exc:
                raise ValueError(f"bad heading pattern {pattern!r}: {exc}") from exc
        return self

    def with_changes(self, **changes: Any) -> ScoringPolicy:
        """A validated copy with ``changes`` applied (nested mappings are merged one level).

        >>> p = default_policy().with_changes(license_points={"restricted": 1})
        >>> p.license_points["restricted"], p.license_points["permissive"]
        (1, 2)
        """
        data = self.model_dump(by_alias=True)
        for key, value in changes.items():
            if isinstance(value, dict) and isinstance(data.get(key), dict):
                data[key] = {**data[key], **value}
            else:
                data[key] = value
        try:
            return ScoringPolicy.model_validate(data)
        except ValidationError as exc:
            raise ConfigError(
                f"invalid scoring policy: {exc}",
                field=f"$.{next(iter(changes), '')}",
                hint="see data/openness/policy.yaml and policy.schema.json for the expected shape",
            ) from exc

    def band_for(self, total: int) -> Band:
        """The band that contains ``total`` (0-10)."""
        for band in self.bands:
            if band.min <= total <= band.max:
                return band
        raise ValueError(f"total {total} outside 0..10")  # pragma: no cover - validated


class _IdList(Frozen):
    source: str
    ids: list[str]


class _TypeLists(Frozen):
    source: str
    code: list[str]
    data: list[str]
    document: list[str]


class _Suggested(Frozen):
    source: str
    code: str
    data: str
    document: str


class MofLicenseFacts(Frozen):
    """Which licenses the Model Openness Tool treats as open (``data/openness/mof-licenses.yaml``)."""

    schema_id: Literal["openmodel-gov/mof-licenses/v1"] = Field(alias="schema")
    sources: list[Source]
    osi_or_fsf_is_open: bool
    open_data_licenses: _IdList
    extra_open_licenses: _IdList
    type_appropriate: _TypeLists
    suggested_open_license: _Suggested

    def type_licenses(self, content_type: str) -> frozenset[str]:
        """SPDX ids the MOT lists as appropriate for ``content_type``."""
        ids: list[str] = getattr(self.type_appropriate, content_type, [])
        return frozenset(ids)


class OsaidRequirement(Frozen):
    """One requirement of the Open Source AI Definition 1.0."""

    id: Literal["data-information", "code", "parameters"]
    title: str
    text: str
    source: str
    terms: Literal["osi", "open-terms"]
    components: list[ComponentName]
    listing: bool
    recommended: list[ComponentName]


class OsaidFacts(Frozen):
    """The OSAID 1.0 requirements (``data/openness/osaid.yaml``)."""

    schema_id: Literal["openmodel-gov/osaid/v1"] = Field(alias="schema")
    sources: list[Source]
    requirements: list[OsaidRequirement]


_FILES: dict[str, type[Frozen]] = {
    "policy.yaml": ScoringPolicy,
    "mof-licenses.yaml": MofLicenseFacts,
    "osaid.yaml": OsaidFacts,
}


def _load(name: str) -> Any:
    source = f"openmodel_gov/data/openness/{name}"
    text = resources.files("openmodel_gov").joinpath(f"data/openness/{name}").read_text("utf-8")
    data = load_yaml_document(text, source=source, empty={}).data
    try:
        return _FILES[name].model_validate(data)
    except ValueError as exc:  # pragma: no cover - packaging guard, tested via schema tests
        raise PolicyError(str(exc), source=source) from exc


@cache
def default_policy() -> ScoringPolicy:
    """The documented default scoring policy (``data/openness/policy.yaml``).

    >>> default_policy().band_for(7).rag, default_policy().license_points["copyleft"]
    ('green', 1)
    """
    policy: ScoringPolicy = _load("policy.yaml")
    return policy


@cache
def mof_license_facts() -> MofLicenseFacts:
    """The MOT open-license facts (``data/openness/mof-licenses.yaml``)."""
    facts: MofLicenseFacts = _load("mof-licenses.yaml")
    return facts


@cache
def osaid_facts() -> OsaidFacts:
    """The OSAID 1.0 requirements (``data/openness/osaid.yaml``)."""
    facts: OsaidFacts = _load("osaid.yaml")
    return facts


def data_schemas() -> dict[str, dict[str, Any]]:
    """JSON Schemas (draft 2020-12) of the three data files, keyed by schema file name."""
    out: dict[str, dict[str, Any]] = {}
    for name, model in _FILES.items():
        schema = model.model_json_schema(by_alias=True)
        schema["$schema"] = "https://json-schema.org/draft/2020-12/schema"
        out[name.replace(".yaml", ".schema.json")] = schema
    return out


def write_schemas(folder: str) -> list[str]:  # pragma: no cover - maintenance helper
    """Write :func:`data_schemas` next to the data files (run after changing a model above).

    ``python -c "from openmodel_gov.openness._data import write_schemas;
    write_schemas('src/openmodel_gov/data/openness')"``
    """
    import json
    from pathlib import Path

    written = []
    for name, schema in data_schemas().items():
        path = Path(folder) / name
        path.write_text(json.dumps(schema, indent=2, sort_keys=True) + "\n", encoding="utf-8")
        written.append(str(path))
    return written
