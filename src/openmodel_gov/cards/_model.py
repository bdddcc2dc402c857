"""The typed model card: frozen, strict pydantic v2 models.

Field names are our own (snake_case); the source formats (Hugging Face front matter, Model
Openness Tool files) are mapped onto them in ``_cards.hf`` and ``_cards.mot``.
"""

from __future__ import annotations

import re
from typing import Annotated, Any, Literal

from pydantic import (
    AfterValidator,
    Field,
    JsonValue,
    PrivateAttr,
    StringConstraints,
    field_validator,
)

from openmodel_gov._core import Evidence, Frozen
from openmodel_gov.cards._components import (
    CARD_SCHEMA_ID,
    COMPONENT_NAMES,
    CONTENT_TYPES,
    UNLICENSED,
    ComponentName,
    ComponentSpec,
    ContentType,
    component_specs,
)

__all__ = [
    "CARD_SCHEMA_ID",
    "COMPONENT_NAMES",
    "CONTENT_TYPES",
    "UNLICENSED",
    "AccessGating",
    "CardFormat",
    "Component",
    "ComponentName",
    "ComponentSpec",
    "ContentType",
    "EcosystemSignals",
    "EvalResult",
    "GlobalLicenses",
    "ModelCard",
    "Training",
    "component_specs",
]

CardFormat = Literal["hf-readme", "openmodel-gov", "mot"]
Treatment = Literal["pre-trained", "instruct", "chat", "other"]
BaseModelRelation = Literal["finetune", "adapter", "quantized", "merge", "distillation"]

_SHA256 = re.compile(r"^[0-9a-f]{64}$")


def _check_sha256(value: str) -> str:
    value = value.strip().lower().removeprefix("sha256:")
    if not _SHA256.match(value):
        raise ValueError("expected a SHA-256 digest: 64 hexadecimal characters")
    return value


def _check_date(value: str) -> str:
    if not re.match(r"^\d{4}(-\d{2}(-\d{2})?)?$", value):
        raise ValueError("expected an ISO 8601 date: YYYY, YYYY-MM or YYYY-MM-DD")
    return value


Sha256Hex = Annotated[str, AfterValidator(_check_sha256)]
IsoDate = Annotated[str, StringConstraints(strip_whitespace=True), AfterValidator(_check_date)]
NonEmptyStr = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1)]


class Component(Frozen):
    """One MOF component of a release.

    Attributes:
        included: ``True`` released, ``False`` not released, ``None`` not stated.
        license: SPDX expression / ``LicenseRef-...`` / ``hf:<id>`` of this component;
            ``"unlicensed"`` means explicitly no license (blocks inheriting the global
            license); ``None`` means not stated (inherits, see ``classify_mof``).
        location: URL or path where the component is published.
        license_path: URL or path of the license text.
        description: free text.
        sha256: digests of the released files (used for model parameters).
        extras: keys of the source entry with no typed home, kept verbatim.

    >>> Component(included=True, license="unlicensed").is_unlicensed
    True
    """

    included: bool | None = None
    license: NonEmptyStr | None = None
    location: str | None = None
    license_path: str | None = None
    description: str | None = None
    sha256: list[Sha256Hex] = Field(default_factory=list)
    extras: dict[str, JsonValue] = Field(default_factory=dict)

    @property
    def is_unlicensed(self) -> bool:
        """True when the component is explicitly released without a license."""
        return self.license is not None and self.license.lower() == UNLICENSED


class GlobalLicenses(Frozen):
    """Release-wide licenses per content type, inherited by components that state none.

    Mirrors the Model Openness Tool's ``release.license`` block.
    """

    distribution: NonEmptyStr | None = None
    code: NonEmptyStr | None = None
    data: NonEmptyStr | None = None
    document: NonEmptyStr | None = None
    distribution_path: str | None = None
    code_path: str | None = None
    data_path: str | None = None
    document_path: str | None = None

    def for_content_type(self, content_type: str) -> str | None:
        """The global license declared for ``content_type`` (``code``/``data``/``document``)."""
        value: str | None = getattr(self, content_type, None)
        return value


class EvalResult(Frozen):
    """One evaluation result, compatible with a Hugging Face ``model-index`` entry."""

    task_type: str
    dataset_type: str
    dataset_name: str
    metric_type: str
    metric_value: JsonValue
    task_name: str | None = None
    dataset_config: str | None = None
    dataset_split: str | None = None
    dataset_revision: str | None = None
    dataset_args: JsonValue = None
    metric_name: str | None = None
    metric_config: str | None = None
    metric_args: JsonValue = None
    verified: bool | None = None
    verify_token: str | None = None
    source_name: str | None = None
    source_url: str | None = None


class AccessGating(Frozen):
    """Access gating of the weights (Hugging Face ``gated`` / ``extra_gated_*`` keys)."""

    gated: bool | Literal["auto", "manual"] | None = None
    heading: str | None = None
    prompt: str | None = None
    description: str | None = None
    button_content: str | None = None
    fields: dict[str, JsonValue] = Field(default_factory=dict)
    eu_disallowed: bool | None = None
    geographic_restrictions: list[str] = Field(default_factory=list)

    @property
    def is_gated(self) -> bool:
        """True when a download needs an access request (any gating key is set)."""
        if self.gated is not None:
            return self.gated is not False
        return bool(
            self.prompt or self.fields or self.heading or self.button_content or self.description
        )


class Training(Frozen):
    """Training compute and footprint, as far as the card states them."""

    hardware: str | None = None
    compute: str | None = None
    training_flop: float | None = None
    energy_kwh: float | None = None
    co2_eq_kg: float | None = None
    co2_source: str | None = None
    location: str | None = None
    training_type: str | None = None


class EcosystemSignals(Frozen):
    """Signals of a maintained ecosystem around the model."""

    library_name: str | None = None
    integrations: list[str] = Field(default_factory=list)
    evaluation_harnesses: list[str] = Field(default_factory=list)
    benchmark_listings: list[str] = Field(default_factory=list)
    community_channels: list[str] = Field(default_factory=list)


class ModelCard(Frozen):
    """A typed model card: the one structure every other primitive reads.

    Build one with :func:`openmodel_gov.cards.load_card`; save it with :meth:`to_yaml`,
    :meth:`to_json`, :meth:`to_hf_readme` or :meth:`to_mot_yaml`.

    >>> card = ModelCard(name="demo", license="Apache-2.0",
    ...                  components={"Training code": Component(included=True)})
    >>> card.components["Training code"].included, card.license
    (True, 'Apache-2.0')
    """

    # identity
    name: NonEmptyStr
    version: str | None = None
    producer: str | None = None
    release_date: IsoDate | None = None
    modality: str | None = None
    architecture: str | None = None
    treatment: Treatment | None = None
    origin: str | None = None
    base_models: list[NonEmptyStr] = Field(default_factory=list)
    base_model_relation: BaseModelRelation | None = None
    repository: str | None = None
    homepage: str | None = None
    paper: str | None = None
    weights_url: str | None = None
    huggingface: str | None = None
    contact: str | None = None
    # licensing
    license: NonEmptyStr | None = None
    license_name: str | None = None
    license_link: str | None = None
    licenses: GlobalLicenses = Field(default_factory=GlobalLicenses)
    # openness components
    components: dict[ComponentName, Component] = Field(default_factory=dict)
    # data and use
    datasets: list[NonEmptyStr] = Field(default_factory=list)
    dataset_manifests: list[NonEmptyStr] = Field(default_factory=list)
    languages: list[NonEmptyStr] = Field(default_factory=list)
    pipeline_tag: str | None = None
    tasks: list[str] = Field(default_factory=list)
    tags: list[str] = Field(default_factory=list)
    metrics: list[str] = Field(default_factory=list)
    eval_results: list[EvalResult] = Field(default_factory=list)
    intended_use: str | None = None
    out_of_scope_use: str | None = None
    limitations: str | None = None
    bias_risks: str | None = None
    training_data: str | None = None
    training_procedure: str | None = None
    evaluation: str | None = None
    environmental_impact: str | None = None
    citation: str | None = None
    training: Training = Field(default_factory=Training)
    gating: AccessGating = Field(default_factory=AccessGating)
    ecosystem: EcosystemSignals = Field(default_factory=EcosystemSignals)
    # lossless round trips
    body: str = ""
    extras: dict[str, JsonValue] = Field(default_factory=dict)
    inferred: list[str] = Field(
        default_factory=list,
        description="Fields filled from the body or file name rather than read from metadata.",
    )
    field_evidence: dict[str, Evidence] = Field(
        default_factory=dict,
        description="Where each field filled from the body was read (section heading, line).",
    )
    warnings: list[str] = Field(default_factory=list)
    source_format: CardFormat | None = None
    source_path: str | None = None

    _raw: dict[str, Any] | None = PrivateAttr(default=None)
    #: Line of the card file where the body starts (after the front matter).
    _body_line: int = PrivateAttr(default=1)
    #: The front matter as written: its YAML, and the whole block with the ``---`` fences.
    _front_text: str | None = PrivateAttr(default=None)
    _front_block: str | None = PrivateAttr(default=None)
    #: The model folder's file evidence, when the card was loaded from a folder.
    _folder: Any = PrivateAttr(default=None)
    #: read_card_evidence's cache: (the objects it read, the evidence).
    _evidence_cache: Any = PrivateAttr(default=None)

    @field_validator("components", mode="before")
    @classmethod
    def _components_mapping(cls, value: Any) -> Any:
        if isinstance(value, list):
            raise ValueError(
                "components must be a mapping from component name to its facts "
                "(a list is the Model Openness Tool layout: load that file with format='mot')"
            )
        return value

    def __eq__(self, other: object) -> bool:
        """Cards are equal when their fields are (how they were loaded does not count)."""
        if not isinstance(other, ModelCard):
            return NotImplemented
        # Where a field was read (file, line) is provenance, like the source path.
        skip = {"source_format", "source_path", "field_evidence"}
        return self.model_dump(exclude=skip) == other.model_dump(exclude=skip)

    __hash__ = None  # type: ignore[assignment]

    # --- convenience --------------------------------------------------------------------
    @property
    def license_declared(self) -> bool:
        """True when the card declares a license at all."""
        return self.license is not None

    def component(self, name: str) -> Component:
        """The component ``name``, or an empty (not stated) one.

        Raises:
            KeyError: ``name`` is not one of the 17 MOF component names.
        """
        if name not in COMPONENT_NAMES:
            raise KeyError(f"unknown MOF component {name!r}; expected one of {COMPONENT_NAMES}")
        found = self.components.get(name)  # type: ignore[call-overload]
        return found if isinstance(found, Component) else Component()

    def summary(self) -> str:
        """A short human-readable summary (one fact a line)."""
        included = [n for n, c in self.components.items() if c.included]
        lines = [
            f"{self.name}" + (f" {self.version}" if self.version else ""),
            f"  license: {self.license or 'undeclared'}"
            + (f" ({self.license_name})" if self.license_name else ""),
            f"  base models: {', '.join(self.base_models) or '-'}",
            f"  datasets: {', '.join(self.datasets) or '-'}",
            f"  components included: {len(included)}/17",
            f"  evaluation results: {len(self.eval_results)}",
            f"  gated: {'yes' if self.gating.is_gated else 'no'}",
        ]
        lines.extend(f"  warning: {w}" for w in self.warnings)
        return "\n".join(lines)

    def __str__(self) -> str:
        return self.summary()

    def to_dict(self) -> dict[str, Any]:
        """Plain JSON-compatible data in our own card format (what :meth:`to_json` writes)."""
        from openmodel_gov.cards._write import to_own_dict

        return to_own_dict(self)

    def to_yaml(self) -> str:
        """Serialize in our own YAML card format (loads back to an equal card)."""
        from openmodel_gov._core._io import dump_yaml

        return dump_yaml(self.to_dict())

    def to_json(self, *, indent: int | None = 2) -> str:
        """Serialize in our own JSON card format (loads back to an equal card)."""
        from openmodel_gov._core._io import dump_json

        return dump_json(self.to_dict(), indent=indent)

    def to_hf_readme(self) -> str:
        """Serialize as a Hugging Face README.md: YAML front matter + Markdown body.

        Keys the card was loaded from keep their order and values; unknown keys come back
        verbatim from :attr:`extras`.
        """
        from openmodel_gov.cards._write import to_hf_readme

        return to_hf_readme(self)

    def to_mot_yaml(self) -> str:
        """Serialize as a Model Openness Tool ``model.yml`` (``framework:`` + ``release:``)."""
        from openmodel_gov.cards._write import to_mot_yaml

        return to_mot_yaml(self)

    def _repr_html_(self) -> str:
        from openmodel_gov._core._render import html_table

        rows: list[list[object]] = [
            ["license", self.license or "undeclared"],
            ["base models", ", ".join(self.base_models) or "-"],
            ["datasets", ", ".join(self.datasets) or "-"],
            ["components included", sum(1 for c in self.components.values() if c.included)],
            ["evaluation results", len(self.eval_results)],
            ["gated", "yes" if self.gating.is_gated else "no"],
        ]
        return html_table(["field", "value"], rows, caption=f"Model card: {self.name}")
