"""A card body read with a real Markdown parser (markdown-it-py), with line numbers.

The block structure (headings, paragraphs, list items, tables, code blocks, HTML blocks) comes
from markdown-it's block parser and its line maps; links come from its inline parser, run only on
the blocks that can hold a link (the expensive step on large tables), plus bare URLs (the Hub
renders them as links) and HTML ``<a href>`` tags. Everything here is plain data: the evidence
reader (``_evidence``) decides what it means.
"""

from __future__ import annotations

import re
import unicodedata
from bisect import bisect_left, bisect_right
from dataclasses import dataclass, field
from functools import cache
from typing import TYPE_CHECKING, Final, Literal

from openmodel_gov.errors import InputTooLargeError

if TYPE_CHECKING:  # pragma: no cover
    from markdown_it import MarkdownIt
    from markdown_it.token import Token

__all__ = [
    "MAX_BODY_LINES",
    "Block",
    "Heading",
    "MdDocument",
    "RawLink",
    "normalise_heading",
    "parse_body",
]

#: Longest card body read as Markdown, in lines: markdown-it-py costs some 30 us a block, so a
#: hostile 1 MB body of one-line blocks would take seconds (the largest of 129 Hub cards in
#: tests/data has 2,751 lines).
MAX_BODY_LINES: Final = 20_000

BlockKind = Literal["paragraph", "heading", "code", "html", "table"]

_BARE_URL = re.compile(r"https?://[^\s<>()\[\]\"'`|*]+", re.I)
_HTML_A = re.compile(r"<a\s[^>]*?href\s*=\s*[\"']([^\"']+)[\"'][^>]*>(.*?)</a\s*>", re.I | re.S)
_TAG = re.compile(r"<[^>]+>")
_ALT = re.compile(r"\balt\s*=\s*[\"']([^\"']*)[\"']", re.I)
_MD_LINK = re.compile(r"!?\[((?:[^\[\]]|\[[^\]]*\])*)\]\([^)]*\)")
_EMPHASIS = re.compile(r"[*`~]+|(?<!\w)_+|_+(?!\w)")
_NUMBERING = re.compile(r"^\s*(?:\d+(?:\.\d+)*|[a-h]|[ivx]+)[.)]\s+|^\s*\d+(?:\.\d+)+\s+", re.I)
_BRACKETED = re.compile(r"\[[^\]]*\]|\((?:optional|beta|new|wip|draft)\)", re.I)
_TRAILING_PUNCT = ".,;:!?'\")]}>"
_HTML_ROW = re.compile(r"<tr[^>]*>(.*?)</tr\s*>", re.I | re.S)
_HTML_CELL = re.compile(r"<t[hd][^>]*>(.*?)</t[hd]\s*>", re.I | re.S)


@dataclass(frozen=True)
class Heading:
    """A heading: its text as written, level and 1-based line in the body."""

    text: str
    level: int
    line: int


@dataclass
class Block:
    """A leaf block of the body (a paragraph, a heading, a code block, a table, HTML)."""

    kind: BlockKind
    line: int  # 1-based first line in the body
    end: int  # 1-based last line in the body
    text: str  # raw source text of the block (inline Markdown kept)
    heading: int  # index into MdDocument.headings of the enclosing heading, -1 before any
    info: str = ""  # code fence language
    rows: list[list[str]] = field(default_factory=list)  # tables: header row first


@dataclass(frozen=True)
class RawLink:
    """A link as written: text, URL, the label before it on its line, where it is."""

    text: str
    url: str
    label: str
    context: str  # the line the link is on, as plain text (for snippets)
    line: int
    block: int  # index into MdDocument.blocks


@dataclass
class MdDocument:
    """The parsed body."""

    headings: list[Heading]
    blocks: list[Block]
    links: list[RawLink]
    lines: int


@cache
def _block_parser() -> MarkdownIt:
    from markdown_it import MarkdownIt

    md = MarkdownIt("commonmark", {"html": True}).enable("table")
    md.core.ruler.disable("inline")  # inline parsing only where a link can be (see _links)
    return md


@cache
def _inline_parser() -> MarkdownIt:
    from markdown_it import MarkdownIt

    return MarkdownIt("commonmark", {"html": True})


_MARKUP = re.compile(r"[\[<*_`~]")
_SPACES = re.compile(r"[ \t]+")


def plain_text(markdown: str) -> str:
    """Inline Markdown/HTML reduced to its words: link texts kept, emphasis and tags dropped."""
    text = markdown
    if _MARKUP.search(text):
        if "[" in text:
            text = _MD_LINK.sub(lambda m: m.group(1), text)
        if "<" in text:
            text = _TAG.sub(" ", text)
        text = _EMPHASIS.sub("", text)
    return _SPACES.sub(" ", text).strip()


def normalise_heading(text: str) -> str:
    """A heading reduced for matching: lower case, no emphasis, numbering, emoji, brackets.

    >>> normalise_heading("## 3. **Bias, Risks, & Limitations** [optional] 🚀")
    'bias risks and limitations'
    >>> normalise_heading("Out-of-Scope Use")
    'out-of-scope use'
    """
    text = plain_text(text.lstrip("#").strip())
    text = _BRACKETED.sub(" ", text)
    text = _NUMBERING.sub("", text)
    text = "".join(
        ch if ch in "-/&" or ch.isalnum() or ch.isspace() else " "
        for ch in text
        if unicodedata.category(ch)[0] != "S" or ch == "&"
    )
    text = text.replace("&", " and ")
    return " ".join(text.lower().split()).strip("-/ ")


def _strip_url(url: str) -> str:
    url = url.strip().strip("<>")
    while url and url[-1] in _TRAILING_PUNCT:
        if url[-1] == ")" and url.count("(") >= url.count(")"):
            break
        url = url[:-1]
    return url


def _label_before(line_text: str, start: int) -> str:
    """The ``Label:`` before a link on its line: ``- **Repository:** <url>`` -> ``Repository``."""
    prefix = plain_text(line_text[:start]).lstrip("-*+>#| \t").strip()
    if not prefix.endswith(":") or len(prefix) > 60:
        return ""
    return _NUMBERING.sub("", prefix.rstrip(": \t")).strip()


_SENTENCE_END = re.compile(r"(?<=[.!?])\s+(?=[A-Z\[*_`<(])|\n\s*\n|\n(?=\s*[-*+|#]|\s*\d+\.)")


class _Sentences:
    """Sentence boundaries and line starts of one block, found once (one pass each), so the
    sentence and line of each of its links is a binary search: linear in the block, not
    quadratic (a 500-link table was read from its start once per link)."""

    def __init__(self, content: str) -> None:
        self.content = content
        bounds = [(m.start(), m.end()) for m in _SENTENCE_END.finditer(content)]
        self.starts = [b[0] for b in bounds]
        self.ends = [b[1] for b in bounds]
        self.newlines = [i for i, ch in enumerate(content) if ch == "\n"]

    def around(self, offset: int) -> str:
        """The sentence that holds ``offset`` (a line of a list or table)."""
        before = bisect_right(self.ends, offset) - 1
        start = self.ends[before] if before >= 0 else 0
        after = bisect_left(self.starts, offset)
        end = self.starts[after] if after < len(self.starts) else len(self.content)
        return self.content[start:end]

    def line_of(self, offset: int) -> int:
        """How many line breaks come before ``offset``."""
        return bisect_left(self.newlines, offset)


def _link_start(content: str, href: str, search_from: int) -> int:
    """Offset of the ``[`` (or ``<``) that opens the link to ``href`` at/after ``search_from``."""
    close = content.find("](" + href, search_from)
    if close < 0:
        close = content.find("](", search_from)
    if close < 0:
        auto = content.find("<" + href, search_from)
        return auto if auto >= 0 else max(content.find(href, search_from), 0)
    depth = 0
    for pos in range(close - 1, max(search_from - 2, -1), -1):  # not before the last link
        ch = content[pos]
        if ch == "]":
            depth += 1
        elif ch == "[":
            if depth == 0:
                return pos - 1 if pos > 0 and content[pos - 1] == "!" else pos
            depth -= 1
    return close


def _inline_links(content: str) -> list[tuple[str, str, int]]:
    """``(text, url, offset)`` of Markdown links and autolinks in inline content."""
    found: list[tuple[str, str, int]] = []
    tokens = _inline_parser().parseInline(content)
    search_from = 0
    for tok in tokens:
        children = tok.children or []
        i = 0
        while i < len(children):
            child = children[i]
            if child.type == "link_open":
                href = str(child.attrGet("href") or "")
                parts: list[str] = []
                i += 1
                while i < len(children) and children[i].type != "link_close":
                    sub = children[i]
                    if sub.type in ("text", "code_inline"):
                        parts.append(sub.content)
                    elif sub.type == "image":
                        parts.append(sub.content or "".join(c.content for c in sub.children or []))
                    elif sub.type == "html_inline" and (alt := _ALT.search(sub.content)):
                        parts.append(alt.group(1))
                    i += 1
                offset = _link_start(content, href, search_from)
                search_from = offset + 1
                found.append((" ".join("".join(parts).split()), href, offset))
            i += 1
    return found


def _anchor_text(inner: str) -> str:
    text = plain_text(inner)
    if not text and (alt := _ALT.search(inner)):
        text = alt.group(1).strip()
    return text


def _links_in(
    content: str, block_line: int, block_index: int, *, markdown: bool = True
) -> list[RawLink]:
    """All links in one block's source text (Markdown, HTML ``<a>``, bare URLs)."""
    spans: list[tuple[str, str, int]] = []
    if markdown and ("](" in content or "<http" in content):
        spans.extend(_inline_links(content))
    if "<a" in content.lower():
        spans.extend(
            (_anchor_text(m.group(2)), m.group(1), m.start()) for m in _HTML_A.finditer(content)
        )
    if "http" in content:
        masked = _MD_LINK.sub(lambda m: " " * len(m.group(0)), content)
        masked = _HTML_A.sub(lambda m: " " * len(m.group(0)), masked)
        masked = re.sub(r"<https?://[^>]*>", lambda m: " " * len(m.group(0)), masked)
        masked = re.sub(
            r"(?:src|href)\s*=\s*[\"'][^\"']*[\"']", lambda m: " " * len(m.group(0)), masked
        )
        spans.extend(("", m.group(0), m.start()) for m in _BARE_URL.finditer(masked))
    if not spans:
        return []
    links = []
    seen: set[tuple[str, int]] = set()
    sentences = _Sentences(content)
    for text, href, offset in spans:
        url = _strip_url(href)
        if not url or url.startswith(("#", "mailto:")) or (url, offset) in seen:
            continue
        seen.add((url, offset))
        line_start = content.rfind("\n", 0, offset) + 1
        line_end = content.find("\n", offset)
        line_text = content[line_start : line_end if line_end >= 0 else len(content)]
        label = _label_before(line_text, offset - line_start)
        sentence = sentences.around(offset)
        links.append(
            RawLink(
                text=text,
                url=url,
                label=label,
                context=plain_text(sentence)[:240],
                line=block_line + sentences.line_of(offset),
                block=block_index,
            )
        )
    return links


def _source_of(lines: list[str], mapping: list[int] | None) -> tuple[int, int, str]:
    if not mapping:
        return 0, 0, ""
    start, end = mapping
    return start + 1, max(end, start + 1), "\n".join(lines[start:end])


def _html_rows(html: str) -> list[list[str]]:
    return [
        [plain_text(cell) for cell in _HTML_CELL.findall(row)] for row in _HTML_ROW.findall(html)
    ]


def _table(tokens: list[Token], i: int) -> tuple[list[list[str]], int]:
    """Rows of the table starting at ``tokens[i]`` and the index after it."""
    rows: list[list[str]] = []
    row: list[str] = []
    while i < len(tokens) and tokens[i].type != "table_close":
        tok = tokens[i]
        if tok.type == "tr_open":
            row = []
        elif tok.type == "inline":
            row.append(plain_text(tok.content))
        elif tok.type == "tr_close":
            rows.append(row)
        i += 1
    return rows, i


_LONE_CR = re.compile(r"\r(?!\n)")


def parse_body(body: str, *, source: str | None = None, offset: int = 0) -> MdDocument:
    """Parse a card body into headings, leaf blocks (with 1-based lines) and links.

    A body of more than :data:`MAX_BODY_LINES` lines is an :class:`InputTooLargeError`
    (``source`` and ``offset``, the lines before the body, locate it).
    """
    if body.count("\n") >= MAX_BODY_LINES:
        raise InputTooLargeError(
            f"the card body has more than {MAX_BODY_LINES} lines",
            source=source,
            line=offset + MAX_BODY_LINES + 1,
            hint="a model card this long is not read; split it or move tables to files",
        )
    # Lines are counted by "\n" everywhere (front matter, evidence); markdown-it would also
    # break at a lone "\r", shifting every later line number, so a lone CR is read as a space.
    body = _LONE_CR.sub(" ", body)
    tokens = _block_parser().parse(body)
    lines = body.split("\n")
    headings: list[Heading] = []
    blocks: list[Block] = []
    current = -1
    i = 0
    while i < len(tokens):
        tok = tokens[i]
        kind = tok.type
        if kind == "heading_open":
            inline = tokens[i + 1]
            line = (tok.map[0] + 1) if tok.map else 1
            headings.append(Heading(text=inline.content.strip(), level=int(tok.tag[1:]), line=line))
            current = len(headings) - 1
            blocks.append(Block("heading", line, line, inline.content, current))
            i += 3
            continue
        if kind == "table_open":
            start, end, text = _source_of(lines, tok.map)
            rows, i = _table(tokens, i)
            blocks.append(Block("table", start, end, text, current, rows=rows))
        elif kind == "inline":
            start, end, text = _source_of(lines, tok.map)
            blocks.append(Block("paragraph", start, end, tok.content, current))
        elif kind in ("fence", "code_block"):
            start, end, _ = _source_of(lines, tok.map)
            blocks.append(Block("code", start, end, tok.content, current, info=tok.info.strip()))
        elif kind == "html_block":
            start, end, _ = _source_of(lines, tok.map)
            rows = _html_rows(tok.content) if "<tr" in tok.content.lower() else []
            blocks.append(Block("html", start, end, tok.content, current, rows=rows))
        i += 1
    links: list[RawLink] = []
    for index, block in enumerate(blocks):
        if block.kind == "code":
            continue
        links.extend(_links_in(block.text, block.line, index, markdown=block.kind != "html"))
    return MdDocument(headings=headings, blocks=blocks, links=links, lines=len(lines))
