"""A Hub card's body split once into headings, links, prose and code lines, each with its line
number and section, and the evidence a line of it gives. Used by :mod:`._signals`."""

from __future__ import annotations

import re
from dataclasses import dataclass

from openmodel_gov._core import Evidence

__all__: list[str] = []

_LINK = re.compile(r"\[([^\]\n]{0,200})\]\((https?://[^)\s]{1,500})\)")
_BARE = re.compile(r"(?<![(\[\"'=])\bhttps?://[^\s)<>\"'`\]]{4,500}")
_HEADING = re.compile(r"^\s{0,3}(#{1,6})\s+(.+?)\s*#*\s*$")
_FENCE = re.compile(r"^\s{0,3}(```|~~~)")
_HTML_HEADING = re.compile(r"<h([1-6])[^>]*>(.*?)</h\1>", re.I)
_TAGS = re.compile(r"<[^>]+>|\*\*|__|`")
_SNIPPET = 160


@dataclass(frozen=True)
class _Link:
    line: int
    text: str
    url: str
    line_text: str
    section: str


@dataclass(frozen=True)
class _Body:
    """A body split once: headings, links, prose lines and code lines, each with its line."""

    headings: tuple[tuple[int, str], ...]
    links: tuple[_Link, ...]
    prose: tuple[tuple[int, str, str], ...]  # (line, text, section)
    code: tuple[tuple[int, str], ...]
    text: str = ""
    starts: tuple[int, ...] = ()

    def lines_matching(self, *patterns: re.Pattern[str] | None) -> frozenset[int]:
        """Line numbers where any of ``patterns`` matches: one pass over the whole text each,
        so the per-line checks run only on lines that can match."""
        from bisect import bisect_right

        hits: set[int] = set()
        for rx in patterns:
            if rx is not None:
                hits.update(bisect_right(self.starts, m.start()) for m in rx.finditer(self.text))
        return frozenset(hits)


def _clean(text: str) -> str:
    return " ".join(_TAGS.sub("", text).split())


def _split(body: str) -> _Body:
    headings: list[tuple[int, str]] = []
    links: list[_Link] = []
    prose: list[tuple[int, str, str]] = []
    code: list[tuple[int, str]] = []
    section = ""
    fenced = False
    lines = body.splitlines()
    for number, line in enumerate(lines, 1):
        if _FENCE.match(line):
            fenced = not fenced
            continue
        if fenced:
            code.append((number, line))
            continue
        heading = _HEADING.match(line) or _HTML_HEADING.search(line)
        if heading:
            section = _clean(heading.group(2))
            headings.append((number, section))
        prose.append((number, line, section))
        joined = line
        if line.count("[") > line.count("]") and number < len(lines):
            joined = f"{line} {lines[number]}"  # a link whose text runs onto the next line
        for match in _LINK.finditer(joined):
            links.append(_Link(number, _clean(match.group(1)), match.group(2), line, section))
        for match in _BARE.finditer(line):
            links.append(_Link(number, "", match.group(0).rstrip(".,;:"), line, section))
    starts = [0]
    for line in lines:
        starts.append(starts[-1] + len(line) + 1)
    return _Body(
        tuple(headings),
        tuple(links),
        tuple(prose),
        tuple(code),
        "\n".join(lines),
        tuple(starts[:-1]),
    )


def _ev(line: int, section: str, snippet: str, note: str, certainty: str = "read") -> Evidence:
    return Evidence.model_validate(
        {
            "kind": "body",
            "line": line,
            "path": section or None,
            "snippet": _clean(snippet)[:_SNIPPET] or None,
            "certainty": certainty,
            "note": note,
        }
    )
