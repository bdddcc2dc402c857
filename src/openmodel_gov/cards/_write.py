"""Writers: a card rendered as our own format, a Hugging Face README.md or a MOT file.

Renderers receive the card; they import no card model at import time (only ``_keys``,
``_components`` and ``_core``), so ``ModelCard.to_*`` can import this module lazily without an
import cycle.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from openmodel_gov._core._io import dump_yaml
from openmodel_gov.cards._components import CARD_SCHEMA_ID, COMPONENT_NAMES, component_specs
from openmodel_gov.cards._keys import (
    _GATING,
    _LICENSE_KINDS,
    _RELEASE_FIELDS,
    _TREATMENT_OUT,
    DEFAULT_FRAMEWORK,
    OWN_KEY,
    _license_to_hub,
    hf_fields,
)

if TYPE_CHECKING:  # pragma: no cover
    from openmodel_gov.cards._model import ModelCard

__all__ = ["PROVENANCE", "to_hf_readme", "to_mot_yaml", "to_own_dict"]

#: Fields that describe where a card came from; never written into a card file.
PROVENANCE = {"source_format", "source_path"}


def to_own_dict(card: ModelCard) -> dict[str, Any]:
    """Our own format: ``schema`` first, then every non-default field, in declaration order."""
    data = card.model_dump(mode="json", exclude_defaults=True, exclude=PROVENANCE)
    data["name"] = card.name
    ordered: dict[str, Any] = {"schema": CARD_SCHEMA_ID}
    for field in type(card).model_fields:
        if field in data:
            ordered[field] = data[field]
    return ordered


def _model_index_from_results(card: ModelCard) -> list[dict[str, Any]]:
    grouped: dict[tuple[Any, ...], dict[str, Any]] = {}
    for r in card.eval_results:
        key = (
            r.task_type,
            r.task_name,
            r.dataset_type,
            r.dataset_name,
            r.dataset_config,
            r.dataset_split,
            r.source_name,
            r.source_url,
        )
        if key not in grouped:
            task = {"type": r.task_type, "name": r.task_name}
            dataset = {
                "name": r.dataset_name,
                "type": r.dataset_type,
                "config": r.dataset_config,
                "split": r.dataset_split,
                "revision": r.dataset_revision,
                "args": r.dataset_args,
            }
            entry: dict[str, Any] = {
                "task": {k: v for k, v in task.items() if v is not None},
                "dataset": {k: v for k, v in dataset.items() if v is not None},
                "metrics": [],
            }
            if r.source_url or r.source_name:
                entry["source"] = {
                    k: v for k, v in {"name": r.source_name, "url": r.source_url}.items() if v
                }
            grouped[key] = entry
        metric = {
            "type": r.metric_type,
            "value": r.metric_value,
            "name": r.metric_name,
            "config": r.metric_config,
            "args": r.metric_args,
            "verified": r.verified,
            "verifyToken": r.verify_token,
        }
        grouped[key]["metrics"].append({k: v for k, v in metric.items() if v is not None})
    return [{"name": card.name, "results": list(grouped.values())}]


_Getter = Callable[["ModelCard"], Any]
_KEY_FIELDS: dict[str, _Getter] = {
    "model_name": lambda c: c.name if "name" not in c.inferred else None,
    "license": lambda c: c.license,
    "license_name": lambda c: c.license_name,
    "license_link": lambda c: c.license_link,
    "base_model": lambda c: c.base_models,
    "base_model_relation": lambda c: c.base_model_relation,
    "datasets": lambda c: c.datasets,
    "language": lambda c: c.languages,
    "pipeline_tag": lambda c: c.pipeline_tag,
    "tags": lambda c: c.tags,
    "metrics": lambda c: c.metrics,
    "library_name": lambda c: c.ecosystem.library_name,
    "model-index": lambda c: c.eval_results,
    "co2_eq_emissions": lambda c: c.training.co2_eq_kg,
}


def _gating_getter(field: str) -> _Getter:
    return lambda c: getattr(c.gating, field)


_KEY_FIELDS.update({key: _gating_getter(field) for key, field in _GATING.items()})


def _fresh_value(card: ModelCard, key: str) -> Any:
    """The Hub value for ``key`` generated from typed fields (``None``: omit)."""
    if key == "license":
        return _license_to_hub(card.license) if card.license else None
    if key == "model-index":
        return _model_index_from_results(card) if card.eval_results else None
    if key == "co2_eq_emissions":
        t = card.training
        if t.co2_eq_kg is None:
            return None
        out = {
            "emissions": t.co2_eq_kg * 1000.0,
            "source": t.co2_source,
            "training_type": t.training_type,
            "geographical_location": t.location,
            "hardware_used": t.hardware,
        }
        return {k: v for k, v in out.items() if v is not None}
    value = _KEY_FIELDS[key](card)
    if value in ([], {}, None):
        return None
    return value


_HUB_FIELDS = {
    "name",
    "license",
    "license_name",
    "license_link",
    "base_models",
    "base_model_relation",
    "datasets",
    "languages",
    "pipeline_tag",
    "tags",
    "metrics",
    "eval_results",
    "gating",
    "ecosystem",
    "training",
    "body",
    "extras",
    "inferred",
    "warnings",
}


def _own_block(card: ModelCard) -> dict[str, Any]:
    own = to_own_dict(card)
    # Fields read from the body come back from the body: they are not written as metadata.
    skip = {*_HUB_FIELDS, "schema", "field_evidence", *card.inferred}
    block = {k: v for k, v in own.items() if k not in skip}
    eco = own.get("ecosystem", {})
    eco = {k: v for k, v in eco.items() if k != "library_name"}
    if eco:
        block["ecosystem"] = eco
    training = {
        k: v
        for k, v in own.get("training", {}).items()
        if k not in {"co2_eq_kg", "co2_source", "training_type", "location", "hardware"}
    }
    if training:
        block["training"] = training
    gating = {k: v for k, v in own.get("gating", {}).items() if k == "geographic_restrictions"}
    if gating:
        block["gating"] = gating
    return {"schema": CARD_SCHEMA_ID, **block} if block else {}


def _reference(card: ModelCard, raw: dict[str, Any]) -> ModelCard | None:
    """The card as its original front matter reads, to tell which keys the caller changed."""
    if not raw:
        return None
    fields, _ = hf_fields(raw, card.body, fallback_name=card.name)
    try:
        return type(card).model_validate(fields, strict=False)
    except ValueError:  # pragma: no cover - raw came from a card that validated
        return None


def _hub_keys(card: ModelCard, raw: dict[str, Any]) -> dict[str, Any]:
    """The Hub keys to write, in the original order, then the new ones: an unchanged field
    keeps its value as written; extras follow, then the ``openmodel-gov:`` block."""
    reference = _reference(card, raw)
    out: dict[str, Any] = {}
    order = list(raw) or []
    for key in [*order, *_KEY_FIELDS]:
        if key in out or key == OWN_KEY:
            continue
        if key in _KEY_FIELDS:
            unchanged = (
                reference is not None
                and key in raw
                and _KEY_FIELDS[key](card) == _KEY_FIELDS[key](reference)
            )
            value = raw[key] if unchanged else _fresh_value(card, key)
            if value is not None:
                out[key] = value
        elif key in card.extras:
            out[key] = card.extras[key]
    for key, value in card.extras.items():
        out.setdefault(key, value)
    own = _own_block(card)
    if own:
        out[OWN_KEY] = own
    return out


def to_hf_readme(card: ModelCard) -> str:
    """Render ``card`` as a README.md with YAML front matter (see module docstring)."""
    raw: dict[str, Any] = dict(card._raw or {})
    out = _hub_keys(card, raw)
    body = card.body
    if not out:
        return body
    if raw and card._front_text is not None:
        if out == raw and list(out) == list(raw) and card._front_block is not None:
            return card._front_block + body  # unchanged: the author's text, byte for byte
        from openmodel_gov.cards._roundtrip import rewrite_front_matter

        return "---\n" + rewrite_front_matter(card._front_text, raw, out) + "---\n" + body
    return "---\n" + dump_yaml(out) + "---\n" + body


def to_mot_yaml(card: ModelCard) -> str:
    """Render ``card`` in the MOT's current ``model.yml`` layout."""
    extras = dict(card.extras)
    framework = extras.pop("framework", DEFAULT_FRAMEWORK)
    release_extras = extras.pop("release", {})
    release: dict[str, Any] = {}
    for key, field in _RELEASE_FIELDS.items():
        value = getattr(card, field)
        if field == "treatment" and value is not None:
            value = _TREATMENT_OUT.get(value, value)
        if value is not None:
            release[key] = value
    lic: dict[str, Any] = {}
    for kind in _LICENSE_KINDS:
        name = getattr(card.licenses, kind)
        path = getattr(card.licenses, f"{kind}_path")
        if name or path:
            lic[kind] = {k: v for k, v in {"name": name, "path": path}.items() if v}
    if lic:
        release["license"] = lic
    specs = component_specs()
    components = []
    for name in COMPONENT_NAMES:
        comp = card.components.get(name)  # type: ignore[call-overload]
        if comp is None or not comp.included:
            continue
        entry: dict[str, Any] = {
            "name": name,
            "description": comp.description or specs[name].description,
        }
        for key in ("location", "license", "license_path"):
            value = getattr(comp, key)
            if value is not None:
                entry[key] = value
        entry.update(comp.extras)
        components.append(entry)
    if isinstance(release_extras, dict):
        release.update(release_extras)
    release["components"] = components
    out = {"framework": framework, "release": release, **extras}
    return dump_yaml(out)
