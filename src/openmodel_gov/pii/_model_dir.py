"""Transformer NER model directories, checked without loading them, and the label map.

:func:`inspect_model_dir` tells a Hugging Face token-classification model directory from a
spaCy pipeline or a GLiNER directory by its file names, reads ``config.json`` and maps the
model's labels to entity types through the shipped, cited ``data/pii/model_labels.yaml``
(:func:`load_model_labels`). Every refusal is a :class:`~openmodel_gov.errors.ConfigError`
naming the directory and the missing or wrong file. No heavy import: used by
:mod:`openmodel_gov.pii._model_ner` before ``transformers`` is touched.
"""

from __future__ import annotations

import functools
import json
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, model_validator

from openmodel_gov.errors import ConfigError
from openmodel_gov.pii._facts import load_shipped

__all__ = [
    "LabelGroup",
    "ModelDirectory",
    "ModelLabels",
    "inspect_model_dir",
    "load_model_labels",
    "model_dir_kind",
    "refuse",
]

ModelEntity = Literal["PERSON", "LOCATION", "ORGANIZATION", "NRP"]
ModelKind = Literal["spacy", "transformers", "gliner"]

_SPACY_FILES = ("config.cfg",)
_GLINER_FILES = ("gliner_config.json",)
_HF_FILES = (
    "config.json", "tokenizer.json", "tokenizer_config.json", "special_tokens_map.json",
    "vocab.txt", "model.safetensors", "model.safetensors.index.json", "pytorch_model.bin",
)  # fmt: skip
_WEIGHT_FILES = (
    "model.safetensors", "model.safetensors.index.json", "pytorch_model.bin",
    "pytorch_model.bin.index.json",
)  # fmt: skip
_TOKENIZER_FILES = (
    "tokenizer.json", "vocab.txt", "vocab.json", "sentencepiece.bpe.model", "spiece.model",
    "tokenizer.model",
)  # fmt: skip


class LabelGroup(BaseModel):
    """Model labels of one tag set, the entity types they become, and the source of the set."""

    model_config = ConfigDict(frozen=True, extra="forbid", strict=True)

    source: str
    labels: dict[str, ModelEntity]


class ModelLabels(BaseModel):
    """The validated content of ``model_labels.yaml``.

    >>> labels = load_model_labels()
    >>> labels.entity_for("B-PER"), labels.entity_for("i-gpe"), labels.entity_for("MISC")
    ('PERSON', 'LOCATION', None)
    """

    model_config = ConfigDict(frozen=True, extra="forbid", strict=True)

    version: int
    tag_prefixes: tuple[str, ...]
    outside_labels: tuple[str, ...]
    groups: tuple[LabelGroup, ...]

    @model_validator(mode="after")
    def _one_type_per_label(self) -> ModelLabels:
        seen: dict[str, str] = {}
        for group in self.groups:
            for label, entity in group.labels.items():
                if label != label.upper():
                    raise ValueError(f"label {label!r} must be written in upper case")
                if seen.setdefault(label, entity) != entity:
                    raise ValueError(f"label {label!r} maps to both {seen[label]} and {entity}")
        return self

    def bare(self, label: str) -> str:
        """``label`` upper-cased, without its tagging-scheme prefix (``"b-per"`` -> ``"PER"``)."""
        upper = label.strip().upper()
        for prefix in self.tag_prefixes:
            if upper.startswith(prefix) and len(upper) > len(prefix):
                return upper[len(prefix) :]
        return upper

    def entity_for(self, label: str) -> str | None:
        """The entity type a model label becomes, or ``None`` when it is not mapped."""
        bare = self.bare(label)
        for group in self.groups:
            if bare in group.labels:
                return group.labels[bare]
        return None


@functools.cache
def load_model_labels() -> ModelLabels:
    """Load and validate the shipped label map once per process."""
    return load_shipped("model_labels.yaml", ModelLabels, "invalid model label map")


def model_dir_kind(path: Path) -> ModelKind | None:
    """What kind of model directory ``path`` looks like, from its file names alone.

    ``"spacy"`` (``config.cfg``), ``"gliner"`` (``gliner_config.json``), ``"transformers"``
    (``config.json``, tokenizer or weight files) or ``None`` (none of these: left to spaCy,
    whose error names the missing ``config.cfg``).
    """
    names = {p.name for p in path.iterdir()} if path.is_dir() else set()
    if names.intersection(_SPACY_FILES):
        return "spacy"
    if names.intersection(_GLINER_FILES):
        return "gliner"
    if names.intersection(_HF_FILES):
        return "transformers"
    return None


@dataclass(frozen=True)
class ModelDirectory:
    """A checked token-classification model directory.

    Attributes:
        path: the directory.
        label_entities: each mapped model label (as in ``id2label``) -> entity type.
        max_positions: ``max_position_embeddings`` of the model config, when it has one.
    """

    path: Path
    label_entities: dict[str, str]
    max_positions: int | None

    @property
    def entities(self) -> tuple[str, ...]:
        """The entity types this model can report, sorted."""
        return tuple(sorted(set(self.label_entities.values())))


def refuse(path: Path, message: str, hint: str) -> ConfigError:
    """The error for a model directory ``path`` that cannot be used."""
    return ConfigError(message, source=str(path), field="$.model", hint=hint)


def inspect_model_dir(path: Path, labels: ModelLabels | None = None) -> ModelDirectory:
    """Check that ``path`` is a usable token-classification model, without loading it.

    Raises:
        ConfigError: a GLiNER directory (not supported yet); ``config.json``, the weights or
            the tokenizer files missing; ``config.json`` unreadable; a model that is not a
            token classifier; labels none of which the label map knows.
    """
    labels = labels if labels is not None else load_model_labels()
    if model_dir_kind(path) == "gliner":
        raise refuse(
            path,
            "GLiNER model directories (gliner_config.json) are not supported yet; support is "
            "planned",
            "use a Hugging Face token-classification model directory (config.json with "
            "id2label) or a spaCy pipeline",
        )
    config = _read_config(path)
    archs = config.get("architectures")
    if isinstance(archs, list) and not any(
        str(a).endswith("ForTokenClassification") for a in archs
    ):
        raise refuse(
            path,
            f"not a token-classification model: config.json names {', '.join(map(str, archs))}",
            "give a model saved from AutoModelForTokenClassification (an NER model)",
        )
    id2label = config.get("id2label")
    if not isinstance(id2label, dict) or not id2label:
        raise refuse(
            path,
            "config.json has no id2label: not a token-classification model",
            "an NER model's config.json lists its labels in id2label",
        )
    mapped = {
        str(label): entity
        for label in id2label.values()
        if (entity := labels.entity_for(str(label))) is not None
    }
    if not mapped:
        shown = ", ".join(sorted({str(v) for v in id2label.values()})[:12])
        raise refuse(
            path,
            f"none of the model's labels ({shown}) maps to an entity type",
            "known labels are listed in openmodel_gov/data/pii/model_labels.yaml (PER, LOC, "
            "ORG, GPE, NORP ... with B-/I- prefixes)",
        )
    _require_one_of(path, _WEIGHT_FILES, "weights", "save the model with save_pretrained()")
    _require_one_of(
        path, _TOKENIZER_FILES, "tokenizer", "save the tokenizer with save_pretrained()"
    )
    positions = config.get("max_position_embeddings")
    return ModelDirectory(
        path=path,
        label_entities=mapped,
        max_positions=positions if isinstance(positions, int) and positions > 0 else None,
    )


def _read_config(path: Path) -> dict[str, Any]:
    file = path / "config.json"
    if not file.is_file():
        raise refuse(
            path,
            "not a Hugging Face token-classification model: config.json is missing",
            "a model directory holds config.json, tokenizer files and weights "
            "(save_pretrained() writes them); a spaCy pipeline holds config.cfg",
        )
    try:
        data = json.loads(file.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, ValueError) as exc:
        raise refuse(path, f"config.json cannot be read: {exc}", "re-save the model") from None
    if not isinstance(data, dict):
        raise refuse(path, "config.json is not a JSON object", "re-save the model")
    return data


def _require_one_of(path: Path, files: Sequence[str], what: str, hint: str) -> None:
    if not any((path / name).is_file() for name in files):
        raise refuse(path, f"no {what} file: expected one of {', '.join(files)}", hint)
