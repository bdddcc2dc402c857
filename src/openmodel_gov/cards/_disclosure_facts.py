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
from collections.abc import Iterator
from dataclasses import dataclass
from functools import cache
from typing import Any, Literal

from pydantic import Field

from openmodel_gov._core import Frozen
from openmodel_gov.cards._facts import load_data

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

_META = frozenset(".^$*+?{}[]\\|()")
_QUANTIFIERS = frozenset("?*{")


def split_alternatives(pattern: str) -> list[str]:
    """The top-level ``|`` alternatives of a regular expression (groups and classes kept).

    >>> split_alternatives(r"oasst|open(?:a|b)|[|]x")
    ['oasst', 'open(?:a|b)', '[|]x']
    """
    out: list[str] = []
    depth = 0
    in_class = False
    start = i = 0
    while i < len(pattern):
        ch = pattern[i]
        if ch == "\\":
            i += 2
            continue
        if in_class:
            in_class = ch != "]"
        elif ch == "[":
            in_class = True
        elif ch == "(":
            depth += 1
        elif ch == ")":
            depth -= 1
        elif ch == "|" and depth == 0:
            out.append(pattern[start:i])
            start = i + 1
        i += 1
    out.append(pattern[start:])
    return out


def _group_end(pattern: str, i: int) -> int:
    """The index after the ``)`` closing the group opened at ``pattern[i]``."""
    depth = 0
    in_class = False
    while i < len(pattern):
        ch = pattern[i]
        if ch == "\\":
            i += 2
            continue
        if in_class:
            in_class = ch != "]"
        elif ch == "[":
            in_class = True
        elif ch == "(":
            depth += 1
        elif ch == ")":
            depth -= 1
            if depth == 0:
                return i + 1
        i += 1
    return len(pattern)


def _literals(text: str) -> tuple[str, ...] | None:
    """The alternatives of a group's body when each is plain text (else ``None``)."""
    body = text.removeprefix("?:")
    alts = split_alternatives(body)
    if any(not a or any(ch in _META for ch in a) for a in alts):
        return None
    return tuple(a.lower() for a in alts)


def leading_literals(alternative: str) -> tuple[str, ...]:
    """Lower-case texts one of which every match of ``alternative`` starts with (``()``: none).

    A plain run after any leading ``^`` / ``\\b`` (up to a character a quantifier makes
    optional), or a leading group of plain alternatives that is not optional.

    >>> leading_literals(r"\\bthe pile"), leading_literals("common ?crawl")
    (('the pile',), ('common',))
    >>> leading_literals("(?:custom|proprietary) code"), leading_literals("(?:pre-?)?trained")
    (('custom', 'proprietary'), ())
    """
    i = 0
    while alternative.startswith(("^", "\\b"), i):
        i += 1 if alternative[i] == "^" else 2
    if alternative.startswith("(", i):
        end = _group_end(alternative, i)
        if alternative[end : end + 1] in ("?", "*", "{"):
            return ()
        group = _literals(alternative[i + 1 : end - 1])
        return group if group and min(map(len, group)) >= 3 else ()
    out: list[str] = []
    while i < len(alternative):
        ch, step = alternative[i], 1
        if ch == "\\":
            if i + 1 >= len(alternative) or alternative[i + 1].isalnum():
                break
            ch, step = alternative[i + 1], 2
        elif ch in _META:
            break
        following = alternative[i + step : i + step + 1]
        if following in ("?", "*", "{"):
            break
        out.append(ch.lower())
        i += step
        if following == "+":
            break
    prefix = "".join(out)
    return (prefix,) if len(prefix) >= 3 else ()


def required_literals(alternative: str) -> tuple[str, ...]:
    """Lower-case texts one of which every match of ``alternative`` contains (``()``: none
    found). Read from the top level only: a run of plain characters, or a group of plain
    alternatives, that no quantifier makes optional; the most selective one is returned.

    >>> required_literals(r"\\bthe pile"), required_literals("dedup(?:e)?")
    (('the pile',), ('dedup',))
    >>> required_literals("(?:pre-?)?trained (?:from scratch )?on")
    ('trained ',)
    >>> required_literals("(?:fine-?tuned|trained) on"), required_literals(r"[\\w]+")
    ((' on',), ())
    >>> required_literals("(?:custom|proprietary|internal) (?:training )?code ?base")
    ('custom', 'proprietary', 'internal')
    """
    candidates: list[tuple[str, ...]] = []
    run: list[str] = []
    i = 0
    while i < len(alternative):
        ch = alternative[i]
        if ch == "(":
            end = _group_end(alternative, i)
            optional = alternative[end : end + 1] in ("?", "*", "{")
            group = None if optional else _literals(alternative[i + 1 : end - 1])
            if group is not None:
                candidates.append(group)
            candidates.append(("".join(run),))
            run = []
            i = end
            continue
        step = 1
        if ch == "\\":
            if i + 1 >= len(alternative) or alternative[i + 1].isalnum():
                candidates.append(("".join(run),))
                run = []
                i += 2
                continue
            ch, step = alternative[i + 1], 2
        elif ch in _META:
            if ch not in "?*{+":
                candidates.append(("".join(run),))
                run = []
            i += 1
            continue
        following = alternative[i + step : i + step + 1]
        if following in ("?", "*", "{"):
            candidates.append(("".join(run),))
            run = []
        else:
            run.append(ch.lower())
        i += step
    candidates.append(("".join(run),))
    usable = [c for c in candidates if c and min(len(x) for x in c) >= 3]
    return max(usable, key=lambda c: min(len(x) for x in c)) if usable else ()


@dataclass(frozen=True)
class Scan:
    """A pattern group split into alternatives, each with the literals one of which it needs.

    :meth:`finditer` runs only the alternatives whose literal occurs in the (lower-cased)
    text: one fast substring test per alternative instead of a regular-expression attempt at
    every position for every alternative, which is what makes a long case-insensitive
    alternation slow on a large card.
    """

    #: (literals a match starts with, literals a match contains, the alternative)
    parts: tuple[tuple[tuple[str, ...], tuple[str, ...], re.Pattern[str]], ...]

    @classmethod
    def of(cls, patterns: list[str]) -> Scan:
        """Split ``patterns`` into alternatives and find each one's literals."""
        parts = [
            (leading_literals(alt), required_literals(alt), re.compile(alt, re.I | re.M))
            for pattern in patterns
            for alt in split_alternatives(pattern)
        ]
        return cls(tuple(parts))

    def finditer(self, text: str, lowered: str) -> Iterator[re.Match[str]]:
        """Matches of every alternative in ``text`` (``lowered`` is :func:`fold` of it).

        An alternative with leading literals is tried only where one of them occurs; one with
        required literals only when one occurs; any other scans the whole text.
        """
        aligned = len(lowered) == len(text)
        for leading, needed, rx in self.parts:
            if leading and aligned:
                for literal in leading:
                    pos = lowered.find(literal)
                    while pos >= 0:
                        match = rx.match(text, pos)
                        if match is not None:
                            yield match
                        pos = lowered.find(literal, pos + 1)
            elif not needed or any(n in lowered for n in needed):
                yield from rx.finditer(text)


def fold(text: str) -> str:
    """``text`` in lower case, with the non-ASCII letters that case-insensitive matching
    equates with ASCII ones (long s, Kelvin sign) folded too, so a literal test never misses
    a match the pattern would find."""
    return text.lower().replace("\u017f", "s").replace("\u212a", "k")


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
