"""Body reader: what the card discloses for openness (``CardEvidence.disclosures``).

Reads the body markdown-it already parsed (:mod:`._markdown`, blocks with line maps) as lines
-- headings, prose lines with their section, code-block lines, links with the line they sit on
-- and files each statement under a :data:`DisclosureTopic` with its evidence. The patterns are
the cited facts of ``data/cards/card-disclosures.yaml`` (:mod:`._disclosure_facts`).

Each pattern group runs once over the whole prose text (:meth:`_Lines.hits`), so per-line
checks run only on the lines that can match: linear in the body's size.
"""

from __future__ import annotations

from bisect import bisect_right
from collections.abc import Iterator
from dataclasses import dataclass
from functools import cached_property

from openmodel_gov._core import Certainty, Evidence
from openmodel_gov.cards._context import Context, short
from openmodel_gov.cards._disclosure_facts import Rules, Rx, rules, search
from openmodel_gov.cards._evidence import Disclosure, DisclosureTopic
from openmodel_gov.cards._markdown import plain_text
from openmodel_gov.cards._scan import fold

__all__ = ["read_disclosures"]

_MAX = {
    "training-code": 16,
    "component-link": 7,
    "datasets": 8,
    "data-described": 3,
    "data-vague": 3,
    "paper": 3,
}


@dataclass(frozen=True)
class _Link:
    line: int  # file line
    text: str
    url: str
    line_text: str  # the source line the link is on (list markers removed)
    section: str  # the heading text it sits under ("" before any)


@dataclass(frozen=True)
class _Prose:
    line: int
    text: str
    section: str
    heading: bool  # the line is a heading


class _Lines:
    """The parsed body as lines: headings, prose, code, links (file line numbers)."""

    def __init__(self, ctx: Context) -> None:
        self.ctx = ctx
        self.sections = [plain_text(h.text) for h in ctx.doc.headings]
        prose: list[_Prose] = []
        code: list[tuple[int, str]] = []
        for block in ctx.doc.blocks:
            section = self.sections[block.heading] if block.heading >= 0 else ""
            first = ctx.line(block.line)
            if block.kind == "heading":
                prose.append(_Prose(first, section, section, True))
            elif block.kind == "code":
                start = first + 1 if block.end - block.line > block.text.count("\n") else first
                code.extend((start + i, line) for i, line in enumerate(block.text.split("\n")))
            else:
                prose.extend(
                    _Prose(first + i, line, section, False)
                    for i, line in enumerate(block.text.split("\n"))
                )
        self.prose = tuple(prose)
        self.code = tuple(code)
        self.headings = tuple((p.line, p.text) for p in prose if p.heading)

    @cached_property
    def links(self) -> tuple[_Link, ...]:
        ctx = self.ctx
        out = []
        for raw in ctx.doc.links:
            block = ctx.doc.blocks[raw.block]
            lines = block.text.split("\n")
            index = min(max(raw.line - block.line, 0), len(lines) - 1)
            section = self.sections[block.heading] if block.heading >= 0 else ""
            out.append(_Link(ctx.line(raw.line), raw.text, raw.url, lines[index], section))
        return tuple(out)

    @cached_property
    def _text(self) -> tuple[str, str, tuple[int, ...]]:
        starts = [0]
        for p in self.prose:
            starts.append(starts[-1] + len(p.text) + 1)
        text = "\n".join(p.text for p in self.prose)
        return text, fold(text), tuple(starts[:-1])

    def hits(self, *groups: str) -> frozenset[int]:
        """Indexes of the prose lines where a pattern of ``groups`` matches (one prefiltered
        pass over the whole text per group, see :class:`Scan`)."""
        text, lowered, starts = self._text
        scans = rules().scans
        found: set[int] = set()
        for group in groups:
            found.update(
                bisect_right(starts, m.start()) - 1 for m in scans[group].finditer(text, lowered)
            )
        return frozenset(found)

    def matching(self, *groups: str) -> Iterator[_Prose]:
        hits = self.hits(*groups)
        return (self.prose[i] for i in sorted(hits))


class _Found:
    """Disclosures collected in reading order, per topic."""

    def __init__(self, ctx: Context) -> None:
        self.ctx = ctx
        self.items: dict[str, list[Disclosure]] = {}

    def count(self, topic: str) -> int:
        return len(self.items.get(topic, ()))

    def add(
        self,
        topic: DisclosureTopic,
        line: int,
        section: str,
        snippet: str,
        note: str,
        *,
        certainty: Certainty = "read",
        strength: int = 1,
        name: str | None = None,
    ) -> None:
        evidence = Evidence(
            kind="body",
            file=self.ctx.file,
            line=line,
            path=section or None,
            snippet=short(plain_text(snippet)) or None,
            certainty=certainty,
            note=note,
        )
        self.items.setdefault(topic, []).append(
            Disclosure(topic=topic, strength=strength, name=name, evidence=evidence)  # type: ignore[arg-type]
        )

    def result(self) -> list[Disclosure]:
        out: list[Disclosure] = []
        for topic, items in self.items.items():
            out.extend(items[: _MAX.get(topic, 2)])
        return out


# --- training code ---------------------------------------------------------------------------


def _code_link(link: _Link, r: Rules, found: _Found) -> None:
    """File a link that states (2) or hints at (1) the training code."""
    hosted = "github.com" in link.url or "gitlab" in link.url
    named = search(r.code_text, link.text) and "huggingface.co/datasets" not in link.url
    if not (hosted or named) or search(r.generic, link.url):
        return
    if search(r.code_ignore_sections, link.section):
        return
    label = search(r.code_label, link.line_text)
    vague_text = search(r.code_vague_text, link.text)
    strong_text = search(r.code_text, link.text) and (
        not vague_text or search(r.code_context, link.line_text)
    )
    words = f"{link.text} {link.url}".strip()
    if strong_text or label or search(r.code_url, link.url):
        why = "labelled as the model's code" if label else "the code that trained the model"
        found.add("training-code", link.line, link.section, words, why, strength=2)
    elif not link.text or search(r.project_text, link.text):
        found.add(
            "training-code",
            link.line,
            link.section,
            words,
            "a project repository, not said to hold the training code",
            certainty="inferred",
        )


def _training_code(lines: _Lines, r: Rules, found: _Found) -> None:
    for link in lines.links:
        _code_link(link, r, found)
    for line, heading in lines.headings:
        if search(r.code_heading, heading):
            found.add(
                "training-code",
                line,
                heading,
                heading,
                "a section on the training code",
                strength=2,
            )
    for p in lines.matching("code_sentence", "code_closed", "code_tools"):
        if search(r.code_sentence, p.text):
            found.add(
                "training-code", p.line, p.section, p.text, "states the training code", strength=2
            )
        elif search(r.code_closed, p.text):
            found.add(
                "training-code-closed",
                p.line,
                p.section,
                p.text,
                "the training code is not released",
            )
        elif search(r.code_tools, p.text):
            found.add("training-code", p.line, p.section, p.text, "names the trainer or tool used")
    command = next(((n, t) for n, t in lines.code if search(r.code_command, t)), None)
    if command is not None:
        found.add(
            "training-code",
            command[0],
            "code block",
            command[1],
            "a training command or configuration",
        )
    # strong statements first; at most three partial ones
    items = found.items.get("training-code", [])
    strong = [d for d in items if d.strength == 2]
    found.items["training-code"] = strong + [d for d in items if d.strength == 1][:3]


# --- training data ---------------------------------------------------------------------------


def _data_links(lines: _Lines, r: Rules, found: _Found) -> None:
    """Datasets named by link: Hub datasets (with their ids) and linked corpora."""
    ids: list[str] = []
    for link in lines.links:
        if search(r.eval_heading, link.section) or search(r.not_training, link.url):
            continue
        words = f"{link.text} {link.url}"
        if "huggingface.co/datasets/" in link.url:
            ds = link.url.split("huggingface.co/datasets/", 1)[1].split("#")[0].strip("/")
            if ds and "/resolve/" not in ds and ds not in ids:
                ids.append(ds)
                found.add("datasets", link.line, link.section, words, "a Hub dataset", name=ds)
        elif (
            link.text
            and "huggingface.co/" not in link.url
            and search(r.corpora, link.text)
            and not search(r.eval_heading, link.text)
        ):
            found.add("datasets", link.line, link.section, words, "a linked corpus")


def _data_line(p: _Prose, in_data: bool, r: Rules, found: _Found) -> None:
    """File one prose line as data itemised, described or vaguely mentioned (first that fits)."""
    names_data = "huggingface.co/datasets/" in p.text or bool(search(r.corpora, p.text))
    about_data = in_data or (names_data and bool(search(r.data_words, p.text)))
    if search(r.data_documented, p.text):
        found.add("datasets", p.line, p.section, p.text, "the data is itemised in a cited document")
        found.add(
            "data-described", p.line, p.section, p.text, "the data is described in a cited document"
        )
    elif about_data and search(r.data_described, p.text):
        found.add("data-described", p.line, p.section, p.text, "describes the training data")
    elif search(r.data_vague, p.text) or (in_data and search(r.corpora, p.text)):
        found.add("data-vague", p.line, p.section, p.text, "mentions the training data")


def _training_data(lines: _Lines, r: Rules, found: _Found) -> None:
    _data_links(lines, r, found)
    hits = lines.hits("data_documented", "data_described", "data_vague", "corpora")
    in_data = False
    for i, p in enumerate(lines.prose):
        if p.heading:
            in_data = bool(search(r.data_heading, p.text)) and not search(r.eval_heading, p.text)
            continue
        if i in hits and p.text.strip():
            _data_line(p, in_data, r, found)
    if not found.count("data-described") and not found.count("data-vague"):
        heading = next(((n, h) for n, h in lines.headings if search(r.data_heading, h)), None)
        if heading is not None:
            found.add("data-vague", heading[0], heading[1], heading[1], "a training data section")


# --- papers, evaluation, the rest ------------------------------------------------------------

_CITATION_SECTION = ("citation", "cite", "bibtex", "reference", "paper")
_CITATION_CODE = ("arxiv", "eprint", "journal", "booktitle")


def _papers(lines: _Lines, r: Rules, found: _Found) -> None:
    for link in lines.links:
        if not search(r.paper_url, link.url):
            continue
        if link.text and search(r.paper_other, link.text):
            continue
        labelled = search(r.paper_label, link.line_text)
        in_citation = any(w in link.section.lower() for w in _CITATION_SECTION)
        if (link.text and search(r.paper_text, link.text)) or labelled or in_citation:
            words = f"{link.text} {link.url}"
            found.add("paper", link.line, link.section, words, "a paper or report")
    if not found.count("paper"):
        cited = next(
            ((n, t) for n, t in lines.code if any(w in t.lower() for w in _CITATION_CODE)), None
        )
        if cited is not None:
            found.add(
                "paper",
                cited[0],
                "citation",
                cited[1],
                "a citation of the model's paper",
                certainty="inferred",
            )


def _evaluation(lines: _Lines, r: Rules, found: _Found) -> None:
    for p in lines.matching("eval_code", "table_row"):
        table_row = "|" in p.text and any(ch.isdigit() for ch in p.text)
        benchmark = search(r.benchmarks, p.text) or search(r.eval_heading, p.section)
        if table_row and benchmark and not found.count("evaluation-results"):
            found.add("evaluation-results", p.line, p.section, p.text, "an evaluation table")
        if search(r.eval_code, p.text) and not found.count("evaluation-code"):
            found.add("evaluation-code", p.line, p.section, p.text, "evaluation code")
    if not found.count("evaluation-code"):
        link = next((x for x in lines.links if search(r.eval_code, f"{x.url} {x.text}")), None)
        if link is not None:
            found.add("evaluation-code", link.line, link.section, link.url, "evaluation code")


def _first_heading(lines: _Lines, rx: Rx, topic: DisclosureTopic, note: str, found: _Found) -> None:
    hit = next(((n, h) for n, h in lines.headings if search(rx, h)), None)
    if hit is not None:
        found.add(topic, hit[0], hit[1], hit[1], note)


def _misc(lines: _Lines, r: Rules, found: _Found) -> None:
    run = next(((n, t) for n, t in lines.code if search(r.inference, t)), None)
    if run is not None:
        found.add("inference-code", run[0], "code block", run[1], "code that runs the model")
    _first_heading(lines, r.arch_heading, "architecture", "an architecture section", found)
    checkpoints = next(lines.matching("intermediate"), None)
    if checkpoints is not None:
        found.add(
            "intermediate-checkpoints",
            checkpoints.line,
            checkpoints.section,
            checkpoints.text,
            "intermediate checkpoints",
        )
    prep = next(
        (x for x in lines.links if search(r.prep_text, x.text) or search(r.prep_url, x.url)), None
    )
    if prep is not None:
        words = f"{prep.text} {prep.url}"
        found.add("preprocessing-code", prep.line, prep.section, words, "data preprocessing code")
    _first_heading(lines, r.samples, "sample-outputs", "sample outputs", found)


def _component_links(lines: _Lines, r: Rules, found: _Found) -> None:
    """Links whose text or URL discloses a MOF component (first link per component)."""
    seen: set[str] = set()
    for link in lines.links:
        if not link.text and "huggingface.co/datasets/" not in link.url:
            continue
        for component, text_rx, url_rx in r.component_links:
            if component in seen:
                continue
            if (text_rx is not None and link.text and text_rx.match(link.text)) or search(
                url_rx, link.url
            ):
                seen.add(component)
                found.add(
                    "component-link",
                    link.line,
                    link.section,
                    f"{link.text} {link.url}".strip(),
                    f"{component} (linked)",
                    name=component,
                )
                break


def read_disclosures(ctx: Context) -> list[Disclosure]:
    """Everything the body discloses for openness, each with its evidence."""
    if not ctx.doc.blocks:
        return []
    r = rules()
    lines = _Lines(ctx)
    found = _Found(ctx)
    _training_code(lines, r, found)
    _training_data(lines, r, found)
    _papers(lines, r, found)
    _evaluation(lines, r, found)
    _misc(lines, r, found)
    _component_links(lines, r, found)
    return found.result()
