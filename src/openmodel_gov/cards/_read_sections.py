"""Body readers: sections (headings and bold labels), embedded configurations, evaluation tables."""

from __future__ import annotations

import re

from openmodel_gov._core import Evidence
from openmodel_gov.cards._context import (
    Context,
    block_text,
    section_key,
)
from openmodel_gov.cards._evidence import (
    CardSection,
    ConfigBlock,
    EvalTable,
)
from openmodel_gov.cards._facts import (
    card_link_facts,
)
from openmodel_gov.cards._markdown import (
    plain_text,
)
from openmodel_gov.cards._model import ModelCard

__all__ = ["read_configs", "read_eval_tables", "read_sections"]
_NUMBER = re.compile(r"^[-+]?\(?\d[\d,.]*\s*%?\)?(\s*±\s*[\d.]+)?$|^[-+]?\.\d+$")
_EVAL_HEADER = re.compile(
    r"benchmark|task|dataset|metric|score|accuracy|acc\b|mmlu|gsm8k|hellaswag|arc\b|truthful|"
    r"humaneval|winogrande|bbh|mt-?bench|alpaca ?eval|perplexity|pass@|f1|bleu|rouge|exact match",
    re.I,
)
_KEY = re.compile(r"^\s*[-*]?\s*[\"']?([A-Za-z_][A-Za-z0-9_.-]*)[\"']?\s*[:=]", re.M)


def read_sections(ctx: Context) -> list[CardSection]:
    """One :class:`CardSection` per heading, with the text under it."""
    doc = ctx.doc
    heads = doc.headings
    texts: list[list[str]] = [[] for _ in heads]
    ends = [doc.lines] * len(heads)
    # One pass with a stack of the open sections (levels strictly increasing, so at most six):
    # a heading closes every open section of its level or deeper; what stays open under it
    # encloses it, and a block belongs to its heading's section and every open ancestor.
    open_at: list[tuple[int, ...]] = []
    stack: list[int] = []
    for i, head in enumerate(heads):
        while stack and heads[stack[-1]].level >= head.level:
            ends[stack.pop()] = head.line - 1
        stack.append(i)
        open_at.append(tuple(stack))
    for block in doc.blocks:
        if block.heading < 0 or block.kind == "heading":
            continue
        if block.kind == "code" and ctx.parents[block.heading] != "citation":
            continue  # code is not prose, but a BibTeX entry is the citation
        text = block_text(block)
        for i in open_at[block.heading]:
            if heads[i].line <= block.line <= ends[i]:
                texts[i].append(text)
    sections = []
    labelled = _label_sections(ctx)
    for i, head in enumerate(heads):
        parents = open_at[i][:-1]
        enclosing = ctx.parents[parents[-1]] if parents else None
        sections.append(
            CardSection(
                key=ctx.keys[i],
                heading=plain_text(head.text),
                level=head.level,
                line=ctx.line(head.line),
                end_line=ctx.line(max(ends[i], head.line)),
                text="\n\n".join(t for t in texts[i] if t).strip(),
                parent=enclosing,
            )
        )
    return sorted([*sections, *labelled], key=lambda s: s.line)


_BOLD_LEAD = re.compile(r"^\s*(?:\*\*|__)([^*_\n]{2,60}?)(?::\s*)?(?:\*\*|__)\s*:?\s*(\S.*)", re.S)


def _label_sections(ctx: Context) -> list[CardSection]:
    """Paragraphs opened by a bold label that names a section (``**Out-of-scope** ...``)."""
    out = []
    for block in ctx.doc.blocks:
        if block.kind != "paragraph" or not block.text.lstrip().startswith(("**", "__")):
            continue
        match = _BOLD_LEAD.match(block.text)
        if match is None:
            continue
        label = plain_text(match.group(1)).rstrip(":").strip()
        key = section_key(label)
        if key is None:
            continue
        level = ctx.doc.headings[block.heading].level + 1 if block.heading >= 0 else 1
        out.append(
            CardSection(
                key=key,
                heading=label,
                level=min(level, 6),
                line=ctx.line(block.line),
                end_line=ctx.line(block.end),
                text=plain_text(match.group(2)),
                parent=ctx.section_of(block.heading),
                from_label=True,
            )
        )
    return out


_CONFIG_LANGUAGES = frozenset({"", "yaml", "yml", "json", "toml", "ini", "cfg", "conf", "jsonc"})


# --- configuration blocks, evaluation tables ------------------------------------------------


def read_configs(ctx: Context) -> list[ConfigBlock]:
    """Embedded configurations: code blocks, and ``key: value`` lists under one heading."""
    keys_facts = card_link_facts().config_keys
    out = []
    lists: dict[int, list[tuple[int, str]]] = {}
    for block in ctx.doc.blocks:
        if block.kind == "paragraph":
            if _KEY.match(block.text):
                lists.setdefault(block.heading, []).append((block.line, block.text))
            continue
        if block.kind != "code":
            continue
        config = _config(block.text, block.info, keys_facts, needed=2)
        lang = block.info.split()[0].lower() if block.info else ""
        if lang not in _CONFIG_LANGUAGES and "train" not in block.text.lower():
            config = None  # code that sets a learning rate is not a training config by itself
        if config is not None:
            keys, training = config
            lang = block.info.split()[0].lower() if block.info else ""
            out.append(
                _config_block(
                    ctx, lang, keys=keys, training=training, line=block.line, heading=block.heading
                )
            )
    for heading, items in lists.items():
        config = _config("\n".join(text for _, text in items), "", keys_facts, needed=3)
        if config is not None:
            keys, training = config
            out.append(
                _config_block(
                    ctx, "list", keys=keys, training=training, line=items[0][0], heading=heading
                )
            )
    return sorted(out, key=lambda c: c.evidence.line or 0)


def _config(
    text: str, info: str, known: frozenset[str], *, needed: int
) -> tuple[tuple[str, ...], tuple[str, ...]] | None:
    keys = tuple(dict.fromkeys(m.group(1) for m in _KEY.finditer(text)))
    training = tuple(k for k in keys if k.lower() in known)
    return (keys, training) if len(training) >= needed else None


def _config_block(
    ctx: Context,
    lang: str,
    *,
    keys: tuple[str, ...],
    training: tuple[str, ...],
    line: int,
    heading: int,
) -> ConfigBlock:
    return ConfigBlock(
        language=lang,
        keys=keys,
        training_keys=training,
        section=ctx.section_of(heading),
        evidence=ctx.ev(
            line, heading, ", ".join(training[:8]), "read", note="training configuration"
        ),
    )


def _is_eval_table(rows: list[list[str]], section: str | None) -> bool:
    if len(rows) < 2 or not rows[0]:
        return False
    numeric = sum(1 for row in rows[1:] for cell in row if _NUMBER.match(cell.strip()))
    if numeric == 0:
        return False
    if section in ("evaluation", "testing-data"):
        return True
    return bool(_EVAL_HEADER.search(" ".join(rows[0]) + " " + " ".join(r[0] for r in rows if r)))


def read_eval_tables(card: ModelCard, ctx: Context) -> list[EvalTable]:
    """Evaluation tables of the body, and ``model-index`` as one table."""
    out = []
    for block in ctx.doc.blocks:
        if block.kind not in ("table", "html") or not block.rows:
            continue
        section = ctx.section_of(block.heading)
        if not _is_eval_table(block.rows, section):
            continue
        out.append(
            EvalTable(
                source="markdown" if block.kind == "table" else "html",
                header=tuple(block.rows[0]),
                rows=tuple(tuple(r) for r in block.rows[1:]),
                section=section,
                evidence=ctx.ev(block.line, block.heading, " | ".join(block.rows[0]), "read"),
            )
        )
    if card.eval_results:
        out.insert(
            0,
            EvalTable(
                source="model-index",
                header=("task", "dataset", "metric", "value"),
                rows=tuple(
                    (r.task_type, r.dataset_name, r.metric_type, str(r.metric_value))
                    for r in card.eval_results
                ),
                evidence=Evidence(
                    kind="front-matter",
                    file=ctx.file,
                    path="$.model-index",
                    snippet=f"{len(card.eval_results)} results",
                ),
            ),
        )
    return out
