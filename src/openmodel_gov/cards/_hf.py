"""Hugging Face README.md cards: YAML front matter + Markdown body.

Reading maps the Hub's metadata keys (``license``, ``base_model``, ``datasets``,
``model-index``, ``extra_gated_*`` ...) onto typed fields; every other key goes to
``extras`` verbatim. Writing starts from the keys the card was read from, in their order,
keeps a key's original value when its typed reading is unchanged, and writes typed fields
with no Hub key under one ``openmodel-gov:`` key, so a round trip loses nothing.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

from openmodel_gov._core._io import LoadedDocument, PathKey, dump_yaml, load_yaml_document
from openmodel_gov.cards._fill import fill_from_body
from openmodel_gov.cards._formats import check_finite, to_own_dict, validate_fields
from openmodel_gov.cards._model import CARD_SCHEMA_ID, ModelCard
from openmodel_gov.errors import ParseError, SchemaValidationError, ValidationIssue

__all__ = ["OWN_KEY", "from_hf_metadata", "split_front_matter", "to_hf_readme"]

#: Front-matter key holding typed fields that have no Hugging Face key.
OWN_KEY = "openmodel-gov"

# As the Hub reads it (huggingface_hub's REGEX_YAML_BLOCK): blank lines and spaces may come
# before the opening fence; a BOM is dropped before this runs.
_FENCE = re.compile(r"\A\s*---[ \t]*\r?\n")
_CLOSE = re.compile(r"^---[ \t]*\r?$", re.M)
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


def split_front_matter(text: str, *, source: str | None) -> tuple[str | None, str, int]:
    """Split a README into (front matter YAML or ``None``, body, line of the first YAML line).

    Read as the Hub reads it: a BOM, blank lines or spaces before the opening ``---`` and
    CRLF line ends are accepted.

    >>> split_front_matter("---\\na: 1\\n---\\n# T\\n", source=None)
    ('a: 1\\n', '# T\\n', 2)
    >>> split_front_matter("\\ufeff\\n\\n---\\r\\na: 1\\r\\n---\\r\\n# T\\r\\n", source=None)
    ('a: 1\\r\\n', '# T\\r\\n', 4)
    >>> split_front_matter("# no metadata\\n", source=None)
    (None, '# no metadata\\n', 0)
    """
    text = text.removeprefix("\ufeff")
    opening = _FENCE.match(text)
    if not opening:
        return None, text, 0
    first_line = text.count("\n", 0, opening.end()) + 1
    rest = text[opening.end() :]
    closing = _CLOSE.search(rest)
    if closing is None:
        raise ParseError(
            f"front matter opened with '---' on line {first_line - 1} is never closed",
            source=source,
            line=first_line - 1,
            hint="add a line '---' after the metadata",
        )
    yaml_text = rest[: closing.start()]
    body = rest[closing.end() :]
    body = body[1:] if body.startswith("\n") else body[2:] if body.startswith("\r\n") else body
    return yaml_text, body, first_line


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
        entry_results = entry.get("results") or []
        if not isinstance(entry_results, list):
            return None, value
        for res in entry_results:
            if not isinstance(res, dict):
                return None, value
            task = res.get("task") or {}
            dataset = res.get("dataset") or {}
            src = res.get("source") or {}
            metrics = res.get("metrics") or []
            if not all(isinstance(x, dict) for x in (task, dataset, src)) or not isinstance(
                metrics, list
            ):
                return None, value
            for metric in metrics:
                if not isinstance(metric, dict):
                    return None, value
                results.append(_flat_result(task, dataset, src, metric))
    return name, [{k: v for k, v in r.items() if v is not None} for r in results]


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


def hf_fields(
    meta: dict[str, Any], body: str, *, fallback_name: str | None
) -> tuple[dict[str, Any], dict[str, PathKey]]:
    """Typed field values read from front matter, plus field -> source key for errors."""
    fields: dict[str, Any] = {}
    where: dict[str, PathKey] = {}
    inferred: list[str] = []
    own = meta.get(OWN_KEY)
    if isinstance(own, dict):
        for key, value in own.items():
            if key != "schema":
                fields[key] = value
                where[key] = (OWN_KEY, key)
    elif own is not None:
        fields["__own__"] = own
    for key, field in _SIMPLE.items():
        if key in meta:
            fields[field], where[field] = meta[key], (key,)
    for key, field in _LISTS.items():
        if key in meta:
            fields[field], where[field] = _as_list(meta[key]), (key,)
    if "license" in meta:
        fields["license"], where["license"] = _license_from_hub(_one_license(meta)), ("license",)
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


def from_hf_metadata(
    meta: Any,
    body: str,
    *,
    doc: LoadedDocument | None,
    source: str | None,
    fallback_name: str | None,
    no_front_matter: bool = False,
) -> ModelCard:
    """Build a card from parsed front matter (a mapping) and the Markdown body."""
    if meta is None:
        meta = {}
    if not isinstance(meta, dict):
        raise ParseError(
            f"front matter must be a mapping of keys to values, not {type(meta).__name__}",
            source=source,
            line=doc.line_of(()) if doc else None,
        )
    fields, where = hf_fields(meta, body, fallback_name=fallback_name)
    if "model-index" in meta and fields.get("eval_results") is meta["model-index"]:
        raise SchemaValidationError(
            "invalid model card metadata: model-index has the wrong shape",
            issues=[
                ValidationIssue(
                    message="model-index must be a list of {name, results: [{task: {...}, "
                    "dataset: {...}, metrics: [{type, value}]}]} (mappings and lists as the Hub "
                    "writes them)",
                    field="$['model-index']",
                    line=doc.line_of(("model-index",)) if doc else None,
                    source=source,
                )
            ],
            source=source,
        )
    if "__own__" in fields:
        raise ParseError(
            f"'{OWN_KEY}' must be a mapping of card fields",
            source=source,
            line=doc.line_of((OWN_KEY,)) if doc else None,
            field=f"$['{OWN_KEY}']",
        )
    warnings = list(fields.get("warnings", []))
    if no_front_matter:
        warnings.append("no YAML front matter: the metadata is empty; only the body was loaded")
    if "license" not in fields:
        warnings.append("no license declared in the metadata")
    fields["warnings"] = list(dict.fromkeys(warnings))

    def to_source(loc: tuple[int | str, ...]) -> PathKey:
        head, rest = str(loc[0]), loc[1:]
        base = where.get(head, (head,))
        if head in {"gating", "ecosystem", "training", "eval_results"}:
            return base
        if head in _LISTS.values() and isinstance(meta.get(base[0]), str):
            return base
        return (*base, *rest)

    card = validate_fields(
        fields, doc=doc, source=source, to_source=to_source, what="model card metadata"
    )
    card._raw = dict(meta)
    return card


# --- writing -------------------------------------------------------------------------------

_Getter = Callable[[ModelCard], Any]
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


def to_hf_readme(card: ModelCard) -> str:
    """Render ``card`` as a README.md with YAML front matter (see module docstring)."""
    raw: dict[str, Any] = dict(card._raw or {})
    reference: ModelCard | None = None
    if raw:
        fields, _ = hf_fields(raw, card.body, fallback_name=card.name)
        try:
            reference = ModelCard.model_validate(fields)
        except ValueError:  # pragma: no cover - raw came from a card that validated
            reference = None
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
    body = card.body
    if not out:
        return body
    if raw and card._front_text is not None:
        if out == raw and list(out) == list(raw) and card._front_block is not None:
            return card._front_block + body  # unchanged: the author's text, byte for byte
        from openmodel_gov.cards._roundtrip import rewrite_front_matter

        return "---\n" + rewrite_front_matter(card._front_text, raw, out) + "---\n" + body
    return "---\n" + dump_yaml(out) + "---\n" + body


def parse_readme(text: str, *, source: str | None, fallback_name: str | None) -> ModelCard:
    """Parse a whole README.md (front matter optional)."""
    yaml_text, body, first_line = split_front_matter(text, source=source)
    if yaml_text is None:
        card = from_hf_metadata(
            {}, body, doc=None, source=source, fallback_name=fallback_name, no_front_matter=True
        )
    else:
        doc = load_yaml_document(yaml_text, source=source, line_offset=first_line - 1, empty={})
        check_finite(doc.data, doc=doc, source=source)
        card = from_hf_metadata(doc.data, body, doc=doc, source=source, fallback_name=fallback_name)
        card._body_line = text.count("\n", 0, len(text) - len(body)) + 1
        card._front_text = yaml_text
        card._front_block = text.removeprefix("\ufeff")[
            : len(text.removeprefix("\ufeff")) - len(body)
        ].lstrip()
    if source is not None:
        card = card.model_copy(update={"source_path": source})
    return fill_from_body(card)
