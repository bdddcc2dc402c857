"""The cited facts the card evidence reader uses (``data/cards/*.yaml``), loaded once.

- ``card-sections.yaml``: headings -> the model-card template's section keys.
- ``card-links.yaml``: link kinds and topics, training recipes and frameworks, gate cues,
  license phrases.
- ``known-datasets.yaml``: well-known training corpora with names, Hub ids and licenses as the
  datasets state them (public through :func:`openmodel_gov.cards.known_datasets`).
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from functools import cache
from importlib import resources
from typing import Annotated, Any, Literal

from pydantic import BeforeValidator, Field

from openmodel_gov._core import Frozen, tupleize
from openmodel_gov._core._io import load_yaml_document

__all__ = [
    "DatasetKind",
    "KnownDataset",
    "LinkKind",
    "LinkTopic",
    "TrainingCodeProject",
    "card_link_facts",
    "find_known_dataset",
    "known_datasets",
    "load_data",
    "section_facts",
]

LinkKind = Literal[
    "code-repository",
    "training-recipe",
    "paper",
    "dataset",
    "dataset-card",
    "license-text",
    "evaluation-harness",
    "leaderboard",
    "community",
    "demo",
    "model",
    "other",
]
LinkTopic = Literal[
    "training-code",
    "data-preprocessing",
    "evaluation-code",
    "checkpoints",
    "training-logs",
    "inference-code",
]
DatasetKind = Literal[
    "pretraining", "code", "instruction", "preference", "encyclopedic", "scientific", "multimodal"
]
_Strs = Annotated[tuple[str, ...], BeforeValidator(tupleize)]


class _Source(Frozen):
    id: str
    title: str
    url: str | None = None


class KnownDataset(Frozen):
    """A well-known training corpus (``data/cards/known-datasets.yaml``).

    Attributes:
        id: our stable id (``refinedweb``, ``the-stack``).
        name: the usual name.
        names: names and aliases as cards write them.
        hub_ids: Hugging Face Hub dataset ids.
        license: the license as the dataset states it: SPDX id, ``hf:`` id, or ``None`` when
            there is no single license (see ``license_note``).
        license_note: what else applies (per-file licenses, terms of a generating service).
        kind: pretraining, code, instruction, preference, encyclopedic, scientific, multimodal.
        url: where the license statement can be read.
        source: the id of the source entry in the data file.
        context: the name is common in other senses; prose counts only near training words.
    """

    id: str
    name: str
    names: _Strs
    hub_ids: _Strs = ()
    license: str | None
    license_note: str | None = None
    kind: DatasetKind
    url: str
    source: str
    context: bool = False


class _KnownDatasetsFile(Frozen):
    schema_id: Literal["openmodel-gov/known-datasets/v1"] = Field(alias="schema")
    sources: tuple[_Source, ...]
    datasets: tuple[KnownDataset, ...]


class _SectionRule(Frozen):
    key: str
    title: str
    source: str
    patterns: _Strs


class _SectionsFile(Frozen):
    schema_id: Literal["openmodel-gov/card-sections/v1"] = Field(alias="schema")
    sources: tuple[_Source, ...]
    placeholders: _Strs
    sections: tuple[_SectionRule, ...]


class _LinkRule(Frozen):
    kind: LinkKind
    source: str
    host: str | None = None
    path: str | None = None
    text: str | None = None
    sections: _Strs = ()


class _TopicRule(Frozen):
    topic: LinkTopic
    text: str


class TrainingCodeProject(Frozen):
    """A training recipe or framework named in real cards (``card-links.yaml``)."""

    id: str
    name: str
    kind: Literal["recipe", "framework"]
    repos: _Strs
    aliases: _Strs = ()
    source: str
    url: str


class _GateCues(Frozen):
    discretionary: _Strs
    access_request: _Strs
    access_request_field_types: _Strs


class _LinksFile(Frozen):
    schema_id: Literal["openmodel-gov/card-links/v1"] = Field(alias="schema")
    sources: tuple[_Source, ...]
    link_kinds: tuple[_LinkRule, ...]
    link_topics: tuple[_TopicRule, ...]
    training_words: str
    repository_labels: str
    training_code: tuple[TrainingCodeProject, ...]
    gate_cues: _GateCues
    license_phrases: _Strs
    license_labels: str
    training_config_keys: _Strs


def load_data(name: str) -> Any:
    """The parsed YAML of ``data/cards/<name>``."""
    source = f"openmodel_gov/data/cards/{name}"
    text = resources.files("openmodel_gov").joinpath(f"data/cards/{name}").read_text("utf-8")
    return load_yaml_document(text, source=source).data


def _rx(pattern: str | None) -> re.Pattern[str] | None:
    return re.compile(pattern, re.I) if pattern else None


def name_pattern(names: tuple[str, ...]) -> re.Pattern[str]:
    """One pattern for a list of names: case-insensitive, spaces/hyphens/underscores alike."""
    alts = []
    for name in sorted(names, key=len, reverse=True):
        escaped = re.escape(name)
        escaped = re.sub(r"(\\ |\\-|_)", r"[\\s_-]?", escaped)
        alts.append(escaped)
    return re.compile(r"(?<![\w/.-])(?:" + "|".join(alts) + r")(?![\w/]|-\w)", re.I)


@dataclass(frozen=True)
class SectionFacts:
    """Compiled heading rules: ``(key, title, pattern)`` in order."""

    rules: tuple[tuple[str, re.Pattern[str]], ...]
    titles: Mapping[str, str]
    placeholders: re.Pattern[str]


@cache
def section_facts() -> SectionFacts:
    """The compiled ``card-sections.yaml``."""
    data = _SectionsFile.model_validate(load_data("card-sections.yaml"), strict=False)
    rules = []
    titles: dict[str, str] = {}
    for rule in data.sections:
        titles.setdefault(rule.key, rule.title)
        rules.append((rule.key, re.compile("|".join(f"(?:{p})" for p in rule.patterns), re.I)))
    placeholders = "|".join(re.escape(p) for p in sorted(data.placeholders, key=len, reverse=True))
    return SectionFacts(
        rules=tuple(rules), titles=titles, placeholders=re.compile(placeholders, re.I)
    )


@dataclass(frozen=True)
class LinkRule:
    """A compiled link-kind rule."""

    kind: LinkKind
    host: re.Pattern[str] | None
    path: re.Pattern[str] | None
    text: re.Pattern[str] | None
    sections: frozenset[str]


@dataclass(frozen=True)
class LinkFacts:
    """The compiled ``card-links.yaml``."""

    kinds: tuple[LinkRule, ...]
    topics: tuple[tuple[LinkTopic, re.Pattern[str]], ...]
    training_words: re.Pattern[str]
    repository_labels: re.Pattern[str]
    projects: tuple[TrainingCodeProject, ...]
    project_by_repo: Mapping[str, TrainingCodeProject]
    project_names: tuple[tuple[TrainingCodeProject, re.Pattern[str]], ...]
    #: per project in ``project_names``: lower-case literal stems of its aliases (a quick
    #: ``in`` test before the pattern runs; empty: always run it)
    project_stems: tuple[tuple[str, ...], ...]
    discretionary: tuple[re.Pattern[str], ...]
    access_request: tuple[re.Pattern[str], ...]
    request_field_types: frozenset[str]
    license_phrases: tuple[re.Pattern[str], ...]
    license_labels: re.Pattern[str]
    config_keys: frozenset[str]


def _alias_stems(aliases: tuple[str, ...]) -> tuple[str, ...]:
    stems = []
    for alias in aliases:
        match = re.match(r"[a-z0-9]+", alias.lower().removeprefix("\\b"))
        if match is None or len(match.group(0)) < 3:
            return ()
        stems.append(match.group(0))
    return tuple(sorted(set(stems)))


@cache
def card_link_facts() -> LinkFacts:
    """The compiled ``card-links.yaml``."""
    data = _LinksFile.model_validate(load_data("card-links.yaml"), strict=False)
    kinds = tuple(
        LinkRule(
            kind=r.kind,
            host=_rx(r.host),
            path=_rx(r.path),
            text=_rx(r.text),
            sections=frozenset(r.sections),
        )
        for r in data.link_kinds
    )
    projects = data.training_code
    named = tuple(
        (p, re.compile("|".join(f"(?:{a})" for a in p.aliases), re.I))
        for p in projects
        if p.aliases
    )
    return LinkFacts(
        kinds=kinds,
        topics=tuple((t.topic, re.compile(t.text, re.I)) for t in data.link_topics),
        training_words=re.compile(data.training_words, re.I),
        repository_labels=re.compile(data.repository_labels, re.I),
        projects=projects,
        project_by_repo={repo.lower(): p for p in projects for repo in p.repos},
        project_names=named,
        project_stems=tuple(_alias_stems(p.aliases) for p, _ in named),
        discretionary=tuple(re.compile(p, re.I) for p in data.gate_cues.discretionary),
        access_request=tuple(re.compile(p, re.I) for p in data.gate_cues.access_request),
        request_field_types=frozenset(data.gate_cues.access_request_field_types),
        license_phrases=tuple(re.compile(p, re.I) for p in data.license_phrases),
        license_labels=re.compile(data.license_labels, re.I),
        config_keys=frozenset(data.training_config_keys),
    )


@cache
def _datasets_file() -> _KnownDatasetsFile:
    return _KnownDatasetsFile.model_validate(load_data("known-datasets.yaml"), strict=False)


def known_datasets() -> tuple[KnownDataset, ...]:
    """The well-known training corpora we recognise, each with its license as it states it.

    Read from the cited data file ``data/cards/known-datasets.yaml``.

    >>> by_id = {d.id: d for d in known_datasets()}
    >>> by_id["refinedweb"].license, by_id["refinedweb"].hub_ids
    ('ODC-By-1.0', ('tiiuae/falcon-refinedweb',))
    >>> by_id["the-stack"].license is None, "per-file" in by_id["the-stack"].license_note
    (True, True)
    """
    return _datasets_file().datasets


def find_known_dataset(name: str) -> KnownDataset | None:
    """The known dataset with this Hub id, id or name (case-insensitive), or ``None``.

    >>> find_known_dataset("cerebras/SlimPajama-627B").id, find_known_dataset("The Pile").id
    ('slimpajama', 'the-pile')
    >>> find_known_dataset("acme/private-data") is None
    True
    """
    key = name.strip()
    index = dataset_index()
    known = index.by_hub_id.get(key.lower())
    if known is not None:
        return known
    for dataset, pattern in index.patterns:
        if dataset.id == key.lower() or pattern.fullmatch(key):
            return dataset
    return None


@dataclass(frozen=True)
class DatasetIndex:
    """Known datasets by Hub id (lower case) and one name pattern per dataset."""

    by_hub_id: Mapping[str, KnownDataset]
    patterns: tuple[tuple[KnownDataset, re.Pattern[str]], ...]
    #: per dataset: lower-case stems, one of which must be in a text for the pattern to run
    stems: tuple[tuple[str, ...], ...]


@cache
def dataset_index() -> DatasetIndex:
    """Known datasets indexed for matching (built once)."""
    data = known_datasets()
    return DatasetIndex(
        by_hub_id={h.lower(): d for d in data for h in d.hub_ids},
        patterns=tuple((d, name_pattern(d.names)) for d in data),
        stems=tuple(tuple(sorted({_stem(n) for n in d.names})) for d in data),
    )


def _stem(name: str) -> str:
    """The first letters of a name, before any space, hyphen or underscore, lower case."""
    return re.split(r"[\s_-]", name.lower(), maxsplit=1)[0][:6]
