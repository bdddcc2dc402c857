"""The Model Openness Framework's components and the card-format identifiers (no card model)."""

from __future__ import annotations

from collections.abc import Mapping
from functools import cache
from importlib import resources
from typing import Literal, get_args

import yaml

from openmodel_gov._core import Frozen

__all__ = [
    "CARD_SCHEMA_ID",
    "COMPONENT_NAMES",
    "CONTENT_TYPES",
    "UNLICENSED",
    "ComponentName",
    "ComponentSpec",
    "ContentType",
    "component_specs",
]

#: Identifier written as ``schema:`` in our own YAML/JSON card files.
CARD_SCHEMA_ID = "openmodel-gov/model-card/v1"

#: The explicit "no license" value of a component (different from ``None`` = not stated).
UNLICENSED = "unlicensed"

ComponentName = Literal[
    "Model architecture",
    "Model parameters (Final)",
    "Evaluation results",
    "Model card",
    "Data card",
    "Technical report",
    "Sample model outputs",
    "Training code",
    "Inference code",
    "Evaluation code",
    "Evaluation data",
    "Supporting libraries and tools",
    "Datasets",
    "Data preprocessing code",
    "Model parameters (Intermediate)",
    "Research paper",
    "Model metadata",
]
ContentType = Literal["code", "data", "document"]

#: The 17 MOF component names, in the framework's order.
COMPONENT_NAMES: tuple[str, ...] = get_args(ComponentName)
CONTENT_TYPES: tuple[str, ...] = get_args(ContentType)


class ComponentSpec(Frozen):
    """Facts about one MOF component (from ``data/cards/mof_components.yaml``)."""

    name: ComponentName
    content_type: ContentType
    mof_class: Literal[1, 2, 3] | None
    description: str


@cache
def _component_data() -> tuple[ComponentSpec, ...]:
    text = (
        resources.files("openmodel_gov")
        .joinpath("data/cards/mof_components.yaml")
        .read_text(encoding="utf-8")
    )
    raw = yaml.safe_load(text)
    specs = tuple(ComponentSpec.model_validate(item, strict=False) for item in raw["components"])
    if tuple(s.name for s in specs) != COMPONENT_NAMES:  # pragma: no cover - packaging guard
        raise RuntimeError("mof_components.yaml is out of sync with ComponentName")
    return specs


def component_specs() -> Mapping[str, ComponentSpec]:
    """The 17 MOF components by name, with content type, class and description.

    >>> component_specs()["Training code"].content_type, component_specs()["Datasets"].mof_class
    ('code', 1)
    """
    return {spec.name: spec for spec in _component_data()}
