"""The compiled patterns of ``data/openness/card-signals.yaml`` (built once, cached)."""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from openmodel_gov.openness._data import CardSignalFacts, card_signal_facts

__all__ = ["Rules", "rules", "search"]


def _rx(patterns: list[str], *, anchored: bool = False) -> re.Pattern[str] | None:
    if not patterns:
        return None
    joined = "|".join(f"(?:{p})" for p in patterns)
    return re.compile(f"^(?:{joined})" if anchored else joined, re.I | re.M)


@dataclass(frozen=True)
class Rules:
    """Every pattern group of the data file, compiled (``None`` when a group is empty)."""

    code_text: re.Pattern[str] | None
    code_label: re.Pattern[str] | None
    code_url: re.Pattern[str] | None
    code_sentence: re.Pattern[str] | None
    code_heading: re.Pattern[str] | None
    code_tools: re.Pattern[str] | None
    code_command: re.Pattern[str] | None
    code_closed: re.Pattern[str] | None
    generic: re.Pattern[str] | None
    code_ignore_sections: re.Pattern[str] | None
    code_vague_text: re.Pattern[str] | None
    code_context: re.Pattern[str] | None
    project_text: re.Pattern[str] | None
    data_heading: re.Pattern[str] | None
    data_described: re.Pattern[str] | None
    data_vague: re.Pattern[str] | None
    data_documented: re.Pattern[str] | None
    corpora: re.Pattern[str] | None
    not_training: re.Pattern[str] | None
    paper_text: re.Pattern[str] | None
    paper_label: re.Pattern[str] | None
    paper_url: re.Pattern[str] | None
    paper_other: re.Pattern[str] | None
    eval_heading: re.Pattern[str] | None
    benchmarks: re.Pattern[str] | None
    eval_code: re.Pattern[str] | None
    inference: re.Pattern[str] | None
    arch_heading: re.Pattern[str] | None
    intermediate: re.Pattern[str] | None
    prep_text: re.Pattern[str] | None
    prep_url: re.Pattern[str] | None
    samples: re.Pattern[str] | None
    license_statements: tuple[re.Pattern[str], ...]
    license_names: tuple[tuple[re.Pattern[str], str], ...]
    discretionary: re.Pattern[str] | None
    form_text: re.Pattern[str] | None
    form_types: frozenset[str]


@lru_cache(maxsize=1)
def rules() -> Rules:
    f: CardSignalFacts = card_signal_facts()
    tc, td = f.training_code, f.training_data
    return Rules(
        code_text=_rx(tc.link_text, anchored=True),
        code_label=re.compile(
            r"^\s*[-*]?\s*(?:\*\*|__)?\s*(?:" + "|".join(tc.line_label) + r")\s*(?:\*\*|__)?\s*:",
            re.I,
        ),
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
        paper_label=re.compile(
            r"^\s*[-*]?\s*(?:\*\*|__)?\s*(?:"
            + "|".join(f.papers.line_label)
            + r")\s*(?:\*\*|__)?\s*:",
            re.I,
        ),
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
        license_statements=tuple(re.compile(p, re.I | re.M) for p in f.licenses.statement),
        license_names=tuple((re.compile(n.pattern, re.I), n.license) for n in f.licenses.names),
        discretionary=_rx(f.gate.discretionary_text),
        form_text=_rx(f.gate.form_text),
        form_types=frozenset(f.gate.form_field_types),
    )


def search(rx: re.Pattern[str] | None, text: str) -> re.Match[str] | None:
    return rx.search(text) if rx is not None and text else None
