"""What a Hub model card says about its own openness, read from its gate and its body.

:func:`read_signals` turns a :class:`~openmodel_gov.cards.ModelCard` into
:class:`CardSignals`: the kind of access gate (and the form fields it asks for), statements of
training code (links, labelled lines, recipes, named trainers, training commands, or a
statement that the code is closed), training data (datasets named, described, or only
vaguely mentioned), papers, evaluation results and code, inference code, intermediate
checkpoints, and license statements in the body. Every signal keeps its
:class:`~openmodel_gov.results.Evidence` (line, section, quoted words, how sure).

The patterns are facts in ``data/openness/card-signals.yaml``. The body is read once per
distinct text (cached), so scoring the same card again costs a dictionary look-up.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Literal

from openmodel_gov._core import Evidence
from openmodel_gov.cards import ModelCard
from openmodel_gov.openness._card_body import _HEADING, _SNIPPET, _Body, _clean, _ev, _Link, _split
from openmodel_gov.openness._signal_rules import Rules, rules, search

__all__ = ["CardSignals", "GateKind", "Signal", "read_signals"]

#: ``none``; ``click-through`` (accept terms, no personal data); ``form`` (an access request
#: with form fields); ``discretionary`` (the provider decides who gets access).
GateKind = Literal["none", "click-through", "form", "discretionary"]

_TABLE_ROW = re.compile(r"\|[^\n]*\d", re.M)


@dataclass(frozen=True)
class Signal:
    """One statement in the card: how strong it is for its dimension, and where it was seen."""

    strength: int
    evidence: Evidence


@dataclass(frozen=True)
class CardSignals:
    """Everything :func:`read_signals` found, by what it shows (each a tuple of signals)."""

    gate: GateKind = "none"
    gate_fields: tuple[str, ...] = ()
    gate_evidence: tuple[Evidence, ...] = ()
    training_code: tuple[Signal, ...] = ()
    code_closed: tuple[Evidence, ...] = ()
    datasets: tuple[Evidence, ...] = ()
    data_described: tuple[Evidence, ...] = ()
    data_vague: tuple[Evidence, ...] = ()
    dataset_ids: tuple[str, ...] = ()
    papers: tuple[Evidence, ...] = ()
    eval_results: tuple[Evidence, ...] = ()
    eval_code: tuple[Evidence, ...] = ()
    inference: tuple[Evidence, ...] = ()
    architecture: tuple[Evidence, ...] = ()
    intermediate: tuple[Evidence, ...] = ()
    preprocessing_code: tuple[Evidence, ...] = ()
    samples: tuple[Evidence, ...] = ()
    body_licenses: tuple[tuple[str, Evidence], ...] = field(default=())

    @property
    def code_strength(self) -> int:
        """2 when the card links the code that trained the model, 1 for a partial pipeline."""
        return max((s.strength for s in self.training_code), default=0)


def _code_link_signal(link: _Link, r: Rules) -> Signal | None:
    """The signal one link gives for training code (strength 2 or 1), or None."""
    hosted = "github.com" in link.url or "gitlab" in link.url
    named = search(r.code_text, link.text) and "huggingface.co/datasets" not in link.url
    if not (hosted or named) or search(r.generic, link.url):
        return None
    if search(r.code_ignore_sections, link.section):
        return None
    label = search(r.code_label, link.line_text)
    vague_text = search(r.code_vague_text, link.text)
    context = search(r.code_context, link.line_text)
    strong_text = search(r.code_text, link.text) and (not vague_text or context)
    if strong_text or label or search(r.code_url, link.url):
        why = "labelled as the model's code" if label else "the code that trained the model"
        return Signal(2, _ev(link.line, link.section, f"{link.text} {link.url}", why))
    if not link.text or search(r.project_text, link.text):
        return Signal(
            1,
            _ev(
                link.line,
                link.section,
                f"{link.text} {link.url}".strip(),
                "a project repository, not said to hold the training code",
                "inferred",
            ),
        )
    return None


def _code_prose_signals(
    body: _Body, r: Rules, strong: list[Signal], partial: list[Signal]
) -> list[Evidence]:
    """Add the prose lines stating (2) or naming a tool of (1) the training code; return the
    lines saying the code is closed."""
    closed: list[Evidence] = []
    hits = body.lines_matching(r.code_sentence, r.code_closed, r.code_tools)
    for number, line, section in body.prose:
        if number not in hits:
            continue
        if search(r.code_sentence, line):
            strong.append(Signal(2, _ev(number, section, line, "states the training code")))
        elif search(r.code_closed, line):
            closed.append(_ev(number, section, line, "the training code is not released"))
        elif search(r.code_tools, line):
            partial.append(Signal(1, _ev(number, section, line, "names the trainer or tool used")))
    return closed


def _code_signals(body: _Body, r: Rules) -> tuple[tuple[Signal, ...], tuple[Evidence, ...]]:
    strong: list[Signal] = []
    partial: list[Signal] = []
    for link in body.links:
        signal = _code_link_signal(link, r)
        if signal is not None:
            (strong if signal.strength == 2 else partial).append(signal)
    strong.extend(
        Signal(2, _ev(number, heading, heading, "a section on the training code"))
        for number, heading in body.headings
        if search(r.code_heading, heading)
    )
    closed = _code_prose_signals(body, r, strong, partial)
    command = next(
        (
            Signal(1, _ev(number, "code block", line, "a training command or configuration"))
            for number, line in body.code
            if search(r.code_command, line)
        ),
        None,
    )
    if command is not None:
        partial.append(command)
    return tuple(strong + partial[:3]), tuple(closed)


_DATA_WORD = re.compile(r"\b(?:data(?:sets?)?|corpus|corpora|tokens)\b", re.I)


def _data_links(body: _Body, r: Rules) -> tuple[list[Evidence], list[str]]:
    """Datasets named by link: Hub datasets (with their ids) and linked corpora."""
    named: list[Evidence] = []
    ids: list[str] = []
    for link in body.links:
        if search(r.eval_heading, link.section) or search(r.not_training, link.url):
            continue
        if "huggingface.co/datasets/" in link.url:
            ds = link.url.split("huggingface.co/datasets/", 1)[1].split("#")[0].strip("/")
            if ds and "/resolve/" not in ds and ds not in ids:
                ids.append(ds)
                named.append(
                    _ev(link.line, link.section, f"{link.text} {link.url}", "a Hub dataset")
                )
        elif (
            link.text
            and "huggingface.co/" not in link.url
            and search(r.corpora, link.text)
            and not search(r.eval_heading, link.text)
        ):
            named.append(_ev(link.line, link.section, f"{link.text} {link.url}", "a linked corpus"))
    return named, ids


def _data_line(
    line: str,
    ev: Callable[[str], Evidence],
    in_data: bool,
    r: Rules,
    found: tuple[list[Evidence], list[Evidence], list[Evidence]],
) -> None:
    """File one prose line into ``found`` = (named, described, vague), first rule that fits."""
    named, described, vague = found
    names_data = "huggingface.co/datasets/" in line or bool(search(r.corpora, line))
    about_data = in_data or (names_data and bool(_DATA_WORD.search(line)))
    if search(r.data_documented, line):
        named.append(ev("the data is itemised in a cited document"))
        described.append(ev("the data is described in a cited document"))
    elif about_data and search(r.data_described, line):
        if len(described) < 3:
            described.append(ev("describes the training data"))
    elif (search(r.data_vague, line) or (in_data and search(r.corpora, line))) and len(vague) < 3:
        vague.append(ev("mentions the training data"))
    elif search(r.corpora, line) and search(r.data_vague, line) and len(vague) < 3:
        vague.append(ev("names a corpus in passing"))


def _data_prose(
    body: _Body, r: Rules, named: list[Evidence]
) -> tuple[list[Evidence], list[Evidence]]:
    """Prose lines that itemise (added to ``named``), describe or vaguely mention the data."""
    described: list[Evidence] = []
    vague: list[Evidence] = []
    in_data = False
    hits = body.lines_matching(r.data_documented, r.data_described, r.data_vague, r.corpora)
    for number, line, section in body.prose:
        if _HEADING.match(line):
            in_data = bool(search(r.data_heading, section)) and not search(r.eval_heading, section)
            continue
        if number not in hits or not line.strip():
            continue
        ev = functools.partial(_ev, number, section, line)
        _data_line(line, ev, in_data, r, (named, described, vague))
    return described, vague


def _data_signals(
    body: _Body, r: Rules
) -> tuple[tuple[Evidence, ...], tuple[Evidence, ...], tuple[Evidence, ...], tuple[str, ...]]:
    named, ids = _data_links(body, r)
    described, vague = _data_prose(body, r, named)
    if not described and not vague:
        vague.extend(
            next(
                (
                    [_ev(number, title, title, "a training data section")]
                    for number, title in body.headings
                    if search(r.data_heading, title)
                ),
                [],
            )
        )
    return tuple(named[:8]), tuple(described), tuple(vague), tuple(ids)


def _paper_signals(body: _Body, r: Rules) -> tuple[Evidence, ...]:
    out: list[Evidence] = []
    for link in body.links:
        if not search(r.paper_url, link.url):
            continue
        if link.text and search(r.paper_other, link.text):
            continue
        labelled = search(r.paper_label, link.line_text)
        in_citation = bool(re.search(r"citation|cite|bibtex|reference|paper", link.section, re.I))
        if (link.text and search(r.paper_text, link.text)) or labelled or in_citation:
            out.append(_ev(link.line, link.section, f"{link.text} {link.url}", "a paper or report"))
    for number, line in body.code:
        if re.search(r"arxiv|eprint|journal|booktitle", line, re.I) and not out:
            out.append(_ev(number, "citation", line, "a citation of the model's paper", "inferred"))
            break
    return tuple(out[:3])


def _eval_signals(body: _Body, r: Rules) -> tuple[tuple[Evidence, ...], tuple[Evidence, ...]]:
    results: list[Evidence] = []
    code: list[Evidence] = []
    hits = body.lines_matching(r.eval_code, _TABLE_ROW)
    for number, line, section in body.prose:
        if number not in hits:
            continue
        table_row = "|" in line and re.search(r"\d", line)
        benchmark = search(r.benchmarks, line) or search(r.eval_heading, section)
        if table_row and not results and benchmark:
            results.append(_ev(number, section, line, "an evaluation table"))
        if search(r.eval_code, line) and not code:
            code.append(_ev(number, section, line, "evaluation code"))
    for link in body.links:
        if search(r.eval_code, link.url + " " + link.text) and not code:
            code.append(_ev(link.line, link.section, link.url, "evaluation code"))
    return tuple(results), tuple(code)


def _misc(body: _Body, r: Rules) -> dict[str, tuple[Evidence, ...]]:
    inference = next(
        (
            (_ev(n, "code block", line, "code that runs the model"),)
            for n, line in body.code
            if search(r.inference, line)
        ),
        (),
    )
    arch = next(
        (
            (_ev(n, h, h, "an architecture section"),)
            for n, h in body.headings
            if search(r.arch_heading, h)
        ),
        (),
    )
    inter = next(
        (
            (_ev(n, s, line, "intermediate checkpoints"),)
            for n, line, s in body.prose
            if search(r.intermediate, line)
        ),
        (),
    )
    prep = tuple(
        _ev(link.line, link.section, f"{link.text} {link.url}", "data preprocessing code")
        for link in body.links
        if search(r.prep_text, link.text) or search(r.prep_url, link.url)
    )[:1]
    samples = next(
        ((_ev(n, h, h, "sample outputs"),) for n, h in body.headings if search(r.samples, h)),
        (),
    )
    return {
        "inference": inference,
        "architecture": arch,
        "intermediate": inter,
        "preprocessing_code": prep,
        "samples": samples,
    }


def _licenses(body: _Body, r: Rules) -> tuple[tuple[str, Evidence], ...]:
    out: list[tuple[str, Evidence]] = []
    for number, line, section in body.prose:
        if "licen" not in line.lower():
            continue
        for statement in r.license_statements:
            match = statement.search(_clean(line))
            if match is None:
                continue
            name = match.group("name")
            for pattern, license_id in r.license_names:
                if pattern.search(name):
                    if all(license_id != known for known, _ in out):
                        out.append(
                            (license_id, _ev(number, section, line, f"the body names {license_id}"))
                        )
                    break
            break
    return tuple(out[:3])


@lru_cache(maxsize=512)
def _body_signals(body: str) -> CardSignals:
    r = rules()
    parts = _split(body)
    code, closed = _code_signals(parts, r)
    named, described, vague, ids = _data_signals(parts, r)
    results, eval_code = _eval_signals(parts, r)
    misc = _misc(parts, r)
    return CardSignals(
        training_code=code,
        code_closed=closed,
        datasets=named,
        data_described=described,
        data_vague=vague,
        dataset_ids=ids,
        papers=_paper_signals(parts, r),
        eval_results=results,
        eval_code=eval_code,
        body_licenses=_licenses(parts, r),
        inference=misc["inference"],
        architecture=misc["architecture"],
        intermediate=misc["intermediate"],
        preprocessing_code=misc["preprocessing_code"],
        samples=misc["samples"],
    )


def _gate(card: ModelCard) -> tuple[GateKind, tuple[str, ...], tuple[Evidence, ...]]:
    g = card.gating
    if not g.is_gated:
        return "none", (), ()
    fields = tuple((str(k), repr(v)) for k, v in g.fields.items())
    return _gate_kind(g.gated, g.heading, g.prompt, g.description, fields)


@lru_cache(maxsize=256)
def _gate_kind(
    gated: object,
    heading: str | None,
    prompt: str | None,
    description: str | None,
    fields: tuple[tuple[str, str], ...],
) -> tuple[GateKind, tuple[str, ...], tuple[Evidence, ...]]:
    r = rules()
    names = tuple(k for k, _ in fields)
    texts = " ".join(t for t in (heading, prompt, description) if t)
    kinds = {v.strip("'\"").lower() for _, v in fields}
    kinds |= {t for _, v in fields for t in r.form_types if f"'type': '{t}'" in v}
    ev = Evidence(
        kind="front-matter",
        path="$.gating",
        snippet=(", ".join(names) or texts)[:_SNIPPET] or None,
        note="the Hub access gate",
    )
    if gated == "manual" or search(r.discretionary, texts):
        return "discretionary", names, (ev,)
    if kinds & r.form_types or (names and search(r.form_text, texts)):
        return "form", names, (ev,)
    return "click-through", names, (ev,)


def read_signals(card: ModelCard) -> CardSignals:
    """The openness signals of ``card``: its gate kind and what its body states.

    >>> from openmodel_gov.cards import load_card
    >>> card = load_card({"name": "m", "extra_gated_fields": {"Country": "country"}})
    >>> s = read_signals(card)
    >>> s.gate, s.gate_fields
    ('form', ('Country',))
    """
    kind, names, ev = _gate(card)
    if kind == "none":
        return _body_signals(card.body) if card.body else _EMPTY
    return _gated(card.body, kind, names, ev)


_EMPTY = CardSignals()


@lru_cache(maxsize=256)
def _gated(
    body: str, kind: GateKind, names: tuple[str, ...], ev: tuple[Evidence, ...]
) -> CardSignals:
    from dataclasses import replace

    found = _body_signals(body) if body else _EMPTY
    return replace(found, gate=kind, gate_fields=names, gate_evidence=ev)
