"""The facts behind :attr:`CardEvidence.disclosures` (``data/cards/card-disclosures.yaml``).

What a card's body discloses about openness -- training code and statements that it is closed,
training data named, described or vaguely mentioned, papers, evaluation results and code,
inference code, architecture, intermediate checkpoints, preprocessing code, sample outputs,
links that disclose a MOF component -- and what a license name in the body stands for. The
file is validated by :class:`DisclosureFacts` (published as ``card-disclosures.schema.json``)
and compiled once into :class:`Rules`.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache
from typing import Any, Literal

from pydantic import Field

from openmodel_gov._core import Frozen
from openmodel_gov.cards._facts import load_data
from openmodel_gov.cards._scan import Scan

__all__ = [
    "DisclosureFacts",
    "Rules",
    "disclosure_facts",
    "disclosure_schema",
    "license_id_of",
    "rules",
    "search",
]

_MOF_COMPONENT = Literal[
    "Training code",
    "Data preprocessing code",
    "Datasets",
    "Evaluation code",
    "Model parameters (Intermediate)",
    "Technical report",
    "Research paper",
]


class _Source(Frozen):
    id: str
    title: str
    url: str | None = None


class _CodeRules(Frozen):
    source: str
    link_text: list[str]
    line_label: list[str]
    url: list[str]
    sentence: list[str]
    heading: list[str]
    tools: list[str]
    command: list[str]
    closed: list[str]
    generic_repos: list[str]
    ignore_sections: list[str]
    vague_link_text: list[str]
    context: list[str]
    project_link_text: list[str]


class _DataRules(Frozen):
    source: str
    headings: list[str]
    described: list[str]
    vague: list[str]
    documented: list[str]
    corpora: list[str]
    not_training_data: list[str]


class _PaperRules(Frozen):
    source: str
    link_text: list[str]
    line_label: list[str]
    url: list[str]
    not_this_model: list[str]


class _EvalRules(Frozen):
    source: str
    headings: list[str]
    benchmarks: list[str]
    code: list[str]


class _CodeOnly(Frozen):
    source: str
    code: list[str]


class _Headings(Frozen):
    source: str
    headings: list[str]


class _TextOnly(Frozen):
    source: str
    text: list[str]


class _LinkRules(Frozen):
    source: str
    link_text: list[str]
    url: list[str]


class _ComponentLink(Frozen):
    component: _MOF_COMPONENT
    source: str
    text: list[str]
    url: list[str]


class _LicenseName(Frozen):
    pattern: str
    license: str
    source: str


class DisclosureFacts(Frozen):
    """``data/cards/card-disclosures.yaml``: pattern groups, each citing its source."""

    schema_id: Literal["openmodel-gov/card-disclosures/v1"] = Field(alias="schema")
    sources: list[_Source] = Field(min_length=1)
    training_code: _CodeRules
    training_data: _DataRules
    papers: _PaperRules
    evaluation: _EvalRules
    inference: _CodeOnly
    architecture: _Headings
    intermediate: _TextOnly
    preprocessing_code: _LinkRules
    samples: _Headings
    component_links: list[_ComponentLink]
    license_names: list[_LicenseName]


@cache
def disclosure_facts() -> DisclosureFacts:
    """The validated data file (loaded once)."""
    return DisclosureFacts.model_validate(load_data("card-disclosures.yaml"))


def disclosure_schema() -> dict[str, Any]:
    """The JSON Schema of the data file (``card-disclosures.schema.json`` is this, written)."""
    schema = DisclosureFacts.model_json_schema(by_alias=True)
    schema["$schema"] = "https://json-schema.org/draft/2020-12/schema"
    return schema


Rx = re.Pattern[str] | None


def _rx(patterns: list[str], *, anchored: bool = False) -> Rx:
    if not patterns:
        return None
    joined = "|".join(f"(?:{p})" for p in patterns)
    return re.compile(f"^(?:{joined})" if anchored else joined, re.I | re.M)


def _label(labels: list[str]) -> re.Pattern[str]:
    return re.compile(
        r"^\s*[-*]?\s*(?:\*\*|__)?\s*(?:" + "|".join(labels) + r")\s*(?:\*\*|__)?\s*:", re.I
    )


@dataclass(frozen=True)
class Rules:
    """Every pattern group of the data file, compiled (``None`` when a group is empty)."""

    code_text: Rx
    code_label: Rx
    code_url: Rx
    code_sentence: Rx
    code_heading: Rx
    code_tools: Rx
    code_command: Rx
    code_closed: Rx
    generic: Rx
    code_ignore_sections: Rx
    code_vague_text: Rx
    code_context: Rx
    project_text: Rx
    data_heading: Rx
    data_described: Rx
    data_vague: Rx
    data_documented: Rx
    corpora: Rx
    not_training: Rx
    paper_text: Rx
    paper_label: Rx
    paper_url: Rx
    paper_other: Rx
    eval_heading: Rx
    benchmarks: Rx
    eval_code: Rx
    inference: Rx
    arch_heading: Rx
    intermediate: Rx
    prep_text: Rx
    prep_url: Rx
    samples: Rx
    component_links: tuple[tuple[str, Rx, Rx], ...]
    license_names: tuple[tuple[re.Pattern[str], str], ...]
    #: the groups :meth:`_Lines.hits` scans over the whole body, split for prefiltering
    scans: dict[str, Scan]
    data_words: Rx = re.compile(r"\b(?:data(?:sets?)?|corpus|corpora|tokens)\b", re.I)
    table_row: Rx = re.compile(r"\|[^\n]*\d", re.M)


@cache
def rules() -> Rules:
    """The compiled patterns (built once)."""
    f = disclosure_facts()
    tc, td = f.training_code, f.training_data
    return Rules(
        code_text=_rx(tc.link_text, anchored=True),
        code_label=_label(tc.line_label),
        code_url=_rx(tc.url),
        code_sentence=_rx(tc.sentence),
        code_heading=_rx(tc.heading),
        code_tools=_rx(tc.tools),
        code_command=_rx(tc.command),
        code_closed=_rx(tc.closed),
        generic=_rx(tc.generic_repos),
        code_ignore_sections=_rx(tc.ignore_sections),
        code_vague_text=_rx(tc.vague_link_text, anchored=True),
        code_context=_rx(tc.context),
        project_text=_rx(tc.project_link_text),
        data_heading=_rx(td.headings, anchored=True),
        data_described=_rx(td.described),
        data_vague=_rx(td.vague),
        data_documented=_rx(td.documented),
        corpora=_rx(td.corpora),
        not_training=_rx(td.not_training_data),
        paper_text=_rx(f.papers.link_text),
        paper_label=_label(f.papers.line_label),
        paper_url=_rx(f.papers.url),
        paper_other=_rx(f.papers.not_this_model),
        eval_heading=_rx(f.evaluation.headings),
        benchmarks=_rx(f.evaluation.benchmarks),
        eval_code=_rx(f.evaluation.code),
        inference=_rx(f.inference.code),
        arch_heading=_rx(f.architecture.headings, anchored=True),
        intermediate=_rx(f.intermediate.text),
        prep_text=_rx(f.preprocessing_code.link_text, anchored=True),
        prep_url=_rx(f.preprocessing_code.url),
        samples=_rx(f.samples.headings, anchored=True),
        component_links=tuple(
            (c.component, _rx(c.text, anchored=True), _rx(c.url)) for c in f.component_links
        ),
        license_names=tuple((re.compile(n.pattern, re.I), n.license) for n in f.license_names),
        scans={
            "code_sentence": Scan.of(tc.sentence),
            "code_closed": Scan.of(tc.closed),
            "code_tools": Scan.of(tc.tools),
            "data_documented": Scan.of(td.documented),
            "data_described": Scan.of(td.described),
            "data_vague": Scan.of(td.vague),
            "corpora": Scan.of(td.corpora),
            "eval_code": Scan.of(f.evaluation.code),
            "table_row": Scan.of([r"\|[^\n]*\d"]),
            "intermediate": Scan.of(f.intermediate.text),
        },
    )


def search(rx: Rx, text: str) -> re.Match[str] | None:
    """``rx.search(text)``, ``None`` for an empty group or text."""
    return rx.search(text) if rx is not None and text else None


def license_id_of(name: str) -> str | None:
    """The license id a license name written in a card stands for, or ``None``.

    >>> license_id_of("BigCode OpenRAIL-M v1"), license_id_of("Apache License 2.0")
    ('hf:bigcode-openrail-m', 'Apache-2.0')
    >>> license_id_of("our terms") is None
    True
    """
    for pattern, license_id in rules().license_names:
        if pattern.search(name):
            return license_id
    return None
