"""Hub and Model Openness Tool key tables shared by the readers and the writers.

Plain data and functions on plain data: this module imports no card model, so the writers
(``_write``) that ``ModelCard``'s methods import lazily never import the model back.
"""

from __future__ import annotations

import re
from typing import Any

from openmodel_gov._core._io import PathKey

__all__ = [
    "DEFAULT_FRAMEWORK",
    "OWN_KEY",
    "hf_fields",
]

#: Front-matter key holding typed fields that have no Hugging Face key.
OWN_KEY = "openmodel-gov"

# As the Hub reads it (huggingface_hub's REGEX_YAML_BLOCK): blank lines and spaces may come
# before the opening fence; a BOM is dropped before this runs.
_HF_ID = re.compile(r"^[a-z0-9][a-z0-9.+_-]*$")

# Hub key -> typed field, for keys whose value maps 1:1 (lists accept a bare string).
_SIMPLE = {
    "model_name": "name",
    "license_name": "license_name",
    "license_link": "license_link",
    "base_model_relation": "base_model_relation",
    "pipeline_tag": "pipeline_tag",
}
_LISTS = {
    "base_model": "base_models",
    "datasets": "datasets",
    "language": "languages",
    "tags": "tags",
    "metrics": "metrics",
}
_GATING = {
    "extra_gated_heading": "heading",
    "extra_gated_prompt": "prompt",
    "extra_gated_description": "description",
    "extra_gated_button_content": "button_content",
    "extra_gated_fields": "fields",
    "extra_gated_eu_disallowed": "eu_disallowed",
    "gated": "gated",
}
_HANDLED = {
    *_SIMPLE,
    *_LISTS,
    *_GATING,
    "license",
    "model-index",
    "library_name",
    "co2_eq_emissions",
    OWN_KEY,
}


def _as_list(value: Any) -> Any:
    return [value] if isinstance(value, str) else value


def _license_from_hub(value: Any) -> Any:
    """Hub ids are lowercase tokens: written ``hf:<id>``; anything else is kept as written."""
    if isinstance(value, str) and _HF_ID.match(value):
        return f"hf:{value}"
    return value


def _one_license(meta: dict[str, Any]) -> Any:
    """``license:`` as one value; the Hub also reads a list of ids (all of them apply)."""
    value = meta["license"]
    if isinstance(value, list) and value and all(isinstance(v, str) and v for v in value):
        ids = [_license_from_hub(v) for v in value]
        return ids[0] if len(ids) == 1 else " AND ".join(ids)
    return value


def _license_to_hub(value: str) -> str:
    return value[3:] if value.startswith("hf:") else value


def _flatten_model_index(value: Any) -> tuple[str | None, Any]:
    """``model-index`` as flat results; a shape it cannot read is returned as is, so that
    validation reports it with its path and line (never a TypeError)."""
    if not isinstance(value, list):
        return None, value
    name: str | None = None
    results: list[dict[str, Any]] = []
    for entry in value:
        if not isinstance(entry, dict):
            return None, value
        entry_name = entry.get("name")
        name = name or (entry_name if isinstance(entry_name, str) else None)
        entry_results = _flat_entry_results(entry.get("results") or [])
        if entry_results is None:
            return None, value
        results.extend(entry_results)
    return name, [{k: v for k, v in r.items() if v is not None} for r in results]


def _flat_entry_results(entry_results: Any) -> list[dict[str, Any]] | None:
    """One ``model-index`` entry's results, one per metric; None for a shape it cannot read."""
    if not isinstance(entry_results, list):
        return None
    results: list[dict[str, Any]] = []
    for res in entry_results:
        if not isinstance(res, dict):
            return None
        task = res.get("task") or {}
        dataset = res.get("dataset") or {}
        src = res.get("source") or {}
        metrics = res.get("metrics") or []
        if not all(isinstance(x, dict) for x in (task, dataset, src)) or not isinstance(
            metrics, list
        ):
            return None
        for metric in metrics:
            if not isinstance(metric, dict):
                return None
            results.append(_flat_result(task, dataset, src, metric))
    return results


def _flat_result(
    task: dict[str, Any], dataset: dict[str, Any], src: dict[str, Any], metric: dict[str, Any]
) -> dict[str, Any]:
    return {
        "task_type": task.get("type"),
        "task_name": task.get("name"),
        "dataset_type": dataset.get("type"),
        "dataset_name": dataset.get("name"),
        "dataset_config": dataset.get("config"),
        "dataset_split": dataset.get("split"),
        "dataset_revision": dataset.get("revision"),
        "dataset_args": dataset.get("args"),
        "metric_type": metric.get("type"),
        "metric_value": metric.get("value"),
        "metric_name": metric.get("name"),
        "metric_config": metric.get("config"),
        "metric_args": metric.get("args"),
        "verified": metric.get("verified"),
        "verify_token": metric.get("verifyToken"),
        "source_name": src.get("name"),
        "source_url": src.get("url"),
    }


def _co2_fields(value: Any) -> dict[str, Any]:
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        return {"co2_eq_kg": float(value) / 1000.0, "co2_source": None}
    if isinstance(value, dict):
        emissions = value.get("emissions")
        return {
            # The Hub records emissions in grams of CO2-equivalent.
            "co2_eq_kg": float(emissions) / 1000.0
            if isinstance(emissions, (int, float)) and not isinstance(emissions, bool)
            else emissions,
            "co2_source": value.get("source"),
            "training_type": value.get("training_type"),
            "location": value.get("geographical_location"),
            "hardware": value.get("hardware_used"),
        }
    return {"co2_eq_kg": value}


def _first_heading(body: str) -> str | None:
    """The first level-1 Markdown heading, without emphasis or "Model card for" wording."""
    match = re.search(r"^#\s+(.+?)\s*#*\s*$", body, flags=re.M)
    if not match:
        return None
    title = re.sub(r"[*_`]+", "", match.group(1)).strip()
    title = re.sub(r"^model\s+card\s+(for|of)\s+", "", title, flags=re.I)
    title = re.sub(r"\s+model\s+card$", "", title, flags=re.I).strip()
    return title or None


def _merged(fields: dict[str, Any], key: str, hub: dict[str, Any]) -> Any:
    """Hub keys merged into the ``openmodel-gov:`` block's mapping; a block value of another
    shape is kept as is, so validation reports it with its path."""
    own = fields.get(key, {})
    return {**own, **hub} if isinstance(own, dict) else own


def _own_block(meta: dict[str, Any], fields: dict[str, Any], where: dict[str, PathKey]) -> None:
    """Typed fields of the ``openmodel-gov:`` block (a block of another shape is kept for
    validation to report)."""
    own = meta.get(OWN_KEY)
    if isinstance(own, dict):
        for key, value in own.items():
            if key != "schema":
                fields[key] = value
                where[key] = (OWN_KEY, key)
    elif own is not None:
        fields["__own__"] = own


def _mapped_keys(meta: dict[str, Any], fields: dict[str, Any], where: dict[str, PathKey]) -> None:
    """Hub keys that map 1:1 onto a typed field, then ``license``."""
    for key, field in _SIMPLE.items():
        if key in meta:
            fields[field], where[field] = meta[key], (key,)
    for key, field in _LISTS.items():
        if key in meta:
            fields[field], where[field] = _as_list(meta[key]), (key,)
    if "license" in meta:
        fields["license"], where["license"] = _license_from_hub(_one_license(meta)), ("license",)


def _merged_keys(meta: dict[str, Any], fields: dict[str, Any], where: dict[str, PathKey]) -> None:
    """Hub keys merged into a typed mapping: gating, ecosystem, training (CO2)."""
    gating = {f: meta[k] for k, f in _GATING.items() if k in meta}
    if gating:
        fields["gating"] = _merged(fields, "gating", gating)
        where["gating"] = ("extra_gated_prompt",)
    if "library_name" in meta:
        fields["ecosystem"] = _merged(fields, "ecosystem", {"library_name": meta["library_name"]})
        where["ecosystem"] = ("library_name",)
    if "co2_eq_emissions" in meta:
        co2 = {k: v for k, v in _co2_fields(meta["co2_eq_emissions"]).items() if v is not None}
        fields["training"] = _merged(fields, "training", co2)
        where["training"] = ("co2_eq_emissions",)


def hf_fields(
    meta: dict[str, Any], body: str, *, fallback_name: str | None
) -> tuple[dict[str, Any], dict[str, PathKey]]:
    """Typed field values read from front matter, plus field -> source key for errors."""
    fields: dict[str, Any] = {}
    where: dict[str, PathKey] = {}
    inferred: list[str] = []
    _own_block(meta, fields, where)
    _mapped_keys(meta, fields, where)
    _merged_keys(meta, fields, where)
    if "model-index" in meta:
        index_name, results = _flatten_model_index(meta["model-index"])
        fields["eval_results"], where["eval_results"] = results, ("model-index",)
        if "name" not in fields and isinstance(index_name, str) and index_name.strip():
            fields["name"] = index_name
            inferred.append("name")
    if "name" not in fields:
        fields["name"] = _first_heading(body) or fallback_name or "unnamed model"
        inferred.append("name")
    fields["extras"] = {k: v for k, v in meta.items() if k not in _HANDLED}
    fields["body"] = body
    fields["inferred"] = sorted({*fields.get("inferred", []), *inferred})
    return fields, where


DEFAULT_FRAMEWORK = {"name": "Model Openness Framework", "version": "1.0", "date": "2024-12-15"}

_RELEASE_FIELDS = {
    "name": "name",
    "version": "version",
    "date": "release_date",
    "type": "modality",
    "architecture": "architecture",
    "treatment": "treatment",
    "origin": "origin",
    "producer": "producer",
    "contact": "contact",
    "repository": "repository",
    "huggingface": "huggingface",
}
_TREATMENT_IN = {
    "pre-trained": "pre-trained",
    "instruct fine-tuned": "instruct",
    "chat fine-tuned": "chat",
}
_TREATMENT_OUT = {v: k for k, v in _TREATMENT_IN.items()}
_LICENSE_KINDS = ("distribution", "code", "data", "document")
