"""What the body readers share: the parsed body with section keys, and small text helpers."""

from __future__ import annotations

import re
from dataclasses import dataclass
from urllib.parse import urlsplit

from openmodel_gov._core import Certainty, Evidence
from openmodel_gov.cards._facts import (
    section_facts,
)
from openmodel_gov.cards._markdown import (
    Block,
    MdDocument,
    normalise_heading,
    plain_text,
)

__all__ = [
    "CODE_HOSTS",
    "SENTENCE",
    "SNIPPET",
    "TRAINING_SECTIONS",
    "TRAINING_TEXT",
    "Context",
    "block_text",
    "build_context",
    "heading_at",
    "host_path",
    "hub_id",
    "repo_of",
    "section_key",
    "sentence_at",
    "short",
    "table_text",
]

#: Sections whose prose is about training (dataset names there are read, not guessed).
TRAINING_SECTIONS = frozenset(
    {
        "training-data",
        "training-details",
        "training-procedure",
        "training-hyperparameters",
        "preprocessing",
        "speeds-sizes-times",
    }
)
TRAINING_TEXT = re.compile(
    r"\b(train(ed|ing)?|pre-?train(ed|ing)?|fine-?tun(ed|ing)|corpus|corpora|datasets?|"
    r"data ?mix|tokens|instruction data|mixture)\b",
    re.I,
)
SENTENCE = re.compile(r"(?<=[.!?])\s+(?=[A-Z\[*_`])|\n")
CODE_HOSTS = re.compile(r"^(github\.com|gitlab\.com|bitbucket\.org|codeberg\.org|gitee\.com)$")
SNIPPET = 160


@dataclass
class Context:
    """What the readers share for one card: the file, line offset, parsed body, sections."""

    file: str | None
    offset: int  # add to a body line to get the file line
    doc: MdDocument
    keys: list[str | None]  # section key per heading index
    parents: list[str | None]  # nearest keyed ancestor (or own key) per heading index
    training: list[bool]  # the heading or one of its ancestors is a training section
    lowered: str  # the body in lower case (quick "is this name anywhere" tests)
    model_names: frozenset[str] = frozenset()  # the model's name parts and org, lower case

    def line(self, body_line: int) -> int:
        return body_line + self.offset

    def in_training(self, heading: int) -> bool:
        return heading >= 0 and self.training[heading]

    def section_of(self, heading: int) -> str | None:
        return self.parents[heading] if heading >= 0 else None

    def ev(
        self,
        body_line: int,
        heading: int,
        snippet: str,
        certainty: Certainty,
        note: str | None = None,
    ) -> Evidence:
        section = self.section_of(heading)
        return Evidence(
            kind="body",
            file=self.file,
            line=self.line(body_line),
            path=section,
            snippet=short(snippet),
            certainty=certainty,
            note=note,
        )


def short(text: str) -> str:
    text = " ".join(text.split())
    return text if len(text) <= SNIPPET else text[: SNIPPET - 1] + "…"


def section_key(heading: str) -> str | None:
    """The template key of a heading (``None`` when it is not a known section).

    >>> section_key("Limitations of Phi-2"), section_key("## Intended Use")
    ('bias-risks-limitations', 'uses')
    >>> section_key("Intended uses & limitations"), section_key("Training Details")
    ('uses', 'training-details')
    """
    text = normalise_heading(heading)
    if not text:
        return None
    for key, pattern in section_facts().rules:
        if pattern.search(text):
            return key
    return None


def build_context(
    doc: MdDocument,
    *,
    file: str | None,
    offset: int,
    body: str = "",
    model_names: frozenset[str] = frozenset(),
) -> Context:
    """Section keys for every heading, and the keyed ancestor of each."""
    keys = [section_key(h.text) for h in doc.headings]
    parents: list[str | None] = []
    training: list[bool] = []
    stack: list[tuple[int, str | None]] = []
    for heading, key in zip(doc.headings, keys, strict=True):
        while stack and stack[-1][0] >= heading.level:
            stack.pop()
        parent = key or next((k for _, k in reversed(stack) if k), None)
        stack.append((heading.level, key))
        parents.append(parent)
        training.append(any(k in TRAINING_SECTIONS for _, k in stack))
    return Context(
        file=file,
        offset=offset,
        doc=doc,
        keys=keys,
        parents=parents,
        training=training,
        lowered=body.lower(),
        model_names=model_names,
    )


def block_text(block: Block) -> str:
    if block.kind == "table":
        return table_text(block.rows)
    return block.text.strip() if block.kind == "code" else plain_text(block.text)


def table_text(rows: list[list[str]]) -> str:
    return "\n".join(" | ".join(row) for row in rows)


# --- links -----------------------------------------------------------------------------------


def host_path(url: str) -> tuple[str, str]:
    try:
        parts = urlsplit(url if "//" in url or not url.startswith("www.") else "https://" + url)
    except ValueError:
        return "", url
    host = (parts.hostname or "").lower().removeprefix("www.")
    path = parts.path or ""
    if not host and path and not path.startswith("/"):
        path = "/" + path
    return host, path


def hub_id(host: str, path: str) -> tuple[str | None, bool]:
    """``(org/name, is_dataset)`` for a Hugging Face model or dataset URL."""
    if host not in ("huggingface.co", "hf.co"):
        return None, False
    parts = [p for p in path.split("/") if p]
    if len(parts) >= 3 and parts[0] == "datasets":
        return f"{parts[1]}/{parts[2]}", True
    if len(parts) >= 2 and parts[0] not in {
        "spaces", "docs", "blog", "papers", "models", "settings", "chat", "collections",
        "organizations", "learn", "tasks", "join", "login", "pricing", "datasets",
    }:  # fmt: skip
        return f"{parts[0]}/{parts[1]}", False
    return None, False


def repo_of(host: str, path: str) -> str | None:
    if not CODE_HOSTS.match(host):
        return None
    parts = [p for p in path.split("/") if p]
    if len(parts) < 2:
        return None
    return f"{parts[0]}/{parts[1].removesuffix('.git')}"


def sentence_at(text: str, pos: int) -> str:
    start = 0
    for m in SENTENCE.finditer(text, 0, pos):
        start = m.end()
    end_match = SENTENCE.search(text, pos)
    end = end_match.start() if end_match else len(text)
    return text[start:end]


def heading_at(ctx: Context, file_line: int | None) -> int:
    line = (file_line or 0) - ctx.offset
    found = -1
    for i, heading in enumerate(ctx.doc.headings):
        if heading.line > line:
            break
        found = i
    return found
