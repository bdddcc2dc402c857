"""Readers that turn a parsed card body and front matter into evidence (see ``_evidence``)."""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from urllib.parse import urlsplit

from openmodel_gov._core import Certainty, Evidence
from openmodel_gov.cards._evidence import (
    CardLink,
    CardSection,
    ConfigBlock,
    DatasetMention,
    EvalTable,
    GateInfo,
    LicenseStatement,
    TrainingCodeMention,
    certainty_rank,
)
from openmodel_gov.cards._facts import (
    KnownDataset,
    LinkKind,
    LinkTopic,
    TrainingCodeProject,
    card_link_facts,
    dataset_index,
    section_facts,
)
from openmodel_gov.cards._markdown import (
    Block,
    MdDocument,
    RawLink,
    normalise_heading,
    plain_text,
)
from openmodel_gov.cards._model import AccessGating, ModelCard

__all__ = ["Context", "read_body", "read_gate"]

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
_TRAINING_TEXT = re.compile(
    r"\b(train(ed|ing)?|pre-?train(ed|ing)?|fine-?tun(ed|ing)|corpus|corpora|datasets?|"
    r"data ?mix|tokens|instruction data|mixture)\b",
    re.I,
)
_SENTENCE = re.compile(r"(?<=[.!?])\s+(?=[A-Z\[*_`])|\n")
_NUMBER = re.compile(r"^[-+]?\(?\d[\d,.]*\s*%?\)?(\s*±\s*[\d.]+)?$|^[-+]?\.\d+$")
_EVAL_HEADER = re.compile(
    r"benchmark|task|dataset|metric|score|accuracy|acc\b|mmlu|gsm8k|hellaswag|arc\b|truthful|"
    r"humaneval|winogrande|bbh|mt-?bench|alpaca ?eval|perplexity|pass@|f1|bleu|rouge|exact match",
    re.I,
)
_KEY = re.compile(r"^\s*[-*]?\s*[\"']?([A-Za-z_][A-Za-z0-9_.-]*)[\"']?\s*[:=]", re.M)
_CODE_HOSTS = re.compile(r"^(github\.com|gitlab\.com|bitbucket\.org|codeberg\.org|gitee\.com)$")
_SNIPPET = 160


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
            snippet=_short(snippet),
            certainty=certainty,
            note=note,
        )


def _short(text: str) -> str:
    text = " ".join(text.split())
    return text if len(text) <= _SNIPPET else text[: _SNIPPET - 1] + "…"


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


def read_sections(ctx: Context) -> list[CardSection]:
    """One :class:`CardSection` per heading, with the text under it."""
    doc = ctx.doc
    heads = doc.headings
    texts: list[list[str]] = [[] for _ in heads]
    ends = [doc.lines] * len(heads)
    for i, head in enumerate(heads):
        for later in heads[i + 1 :]:
            if later.level <= head.level:
                ends[i] = later.line - 1
                break
    for block in doc.blocks:
        if block.heading < 0 or block.kind == "heading":
            continue
        if block.kind == "code" and ctx.parents[block.heading] != "citation":
            continue  # code is not prose, but a BibTeX entry is the citation
        text = _block_text(block)
        for i in range(block.heading, -1, -1):
            if heads[i].line <= block.line <= ends[i]:
                texts[i].append(text)
    sections = []
    labelled = _label_sections(ctx)
    for i, head in enumerate(heads):
        enclosing = None
        for j in range(i - 1, -1, -1):
            if heads[j].level < head.level and ends[j] >= head.line:
                enclosing = ctx.parents[j]
                break
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


def _block_text(block: Block) -> str:
    if block.kind == "table":
        return _table_text(block.rows)
    return block.text.strip() if block.kind == "code" else plain_text(block.text)


def _table_text(rows: list[list[str]]) -> str:
    return "\n".join(" | ".join(row) for row in rows)


# --- links -----------------------------------------------------------------------------------


def _host_path(url: str) -> tuple[str, str]:
    try:
        parts = urlsplit(url if "//" in url or not url.startswith("www.") else "https://" + url)
    except ValueError:
        return "", url
    host = (parts.hostname or "").lower().removeprefix("www.")
    path = parts.path or ""
    if not host and path and not path.startswith("/"):
        path = "/" + path
    return host, path


def _hub_id(host: str, path: str) -> tuple[str | None, bool]:
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


def classify_link(
    text: str, url: str, label: str, section: str | None
) -> tuple[LinkKind, Certainty]:
    """The kind of a link and how sure the classification is.

    >>> classify_link("Training Code", "https://github.com/LLM360/amber-train", "", None)
    ('code-repository', 'read')
    >>> classify_link("", "https://arxiv.org/abs/2311.16079", "Paper", None)
    ('paper', 'read')
    """
    facts = card_link_facts()
    host, path = _host_path(url)
    words = f"{label} {text}".strip()
    repo = _repo_of(host, path)
    if repo is not None and repo.lower() in facts.project_by_repo:
        return "training-recipe", "read"
    for rule in facts.kinds:
        if rule.sections and section not in rule.sections:
            continue
        if rule.host is not None and not rule.host.search(host):
            continue
        if rule.path is not None and not rule.path.search(path):
            continue
        if rule.text is not None and not rule.text.search(words):
            continue
        by_url = rule.host is not None or rule.path is not None
        certainty: Certainty = "read" if by_url else "inferred"
        if rule.sections:
            certainty = "guessed"
        return rule.kind, certainty
    return "other", "guessed"


def _repo_of(host: str, path: str) -> str | None:
    if not _CODE_HOSTS.match(host):
        return None
    parts = [p for p in path.split("/") if p]
    if len(parts) < 2:
        return None
    return f"{parts[0]}/{parts[1].removesuffix('.git')}"


def _topic(text: str, label: str) -> LinkTopic | None:
    for topic, pattern in card_link_facts().topics:
        if pattern.search(text) or (label and pattern.search(label)):
            return topic
    return None


def read_links(ctx: Context) -> list[CardLink]:
    """Every link of the body, classified."""
    links = []
    for raw in ctx.doc.links:
        heading = ctx.doc.blocks[raw.block].heading
        section = ctx.section_of(heading)
        kind, certainty = classify_link(raw.text, raw.url, raw.label, section)
        host, path = _host_path(raw.url)
        hub, _ = _hub_id(host, path)
        links.append(
            CardLink(
                text=raw.text,
                url=raw.url,
                kind=kind,
                topic=_topic(raw.text, raw.label),
                label=raw.label,
                section=section,
                hub_id=hub if kind in ("dataset", "model", "dataset-card") else None,
                evidence=ctx.ev(raw.line, heading, raw.context or raw.url, certainty),
            )
        )
    return links


# --- datasets --------------------------------------------------------------------------------


class _Mentions:
    """Dataset mentions merged by dataset (known id, else Hub id)."""

    def __init__(self) -> None:
        self.found: dict[str, tuple[DatasetMention, list[Evidence]]] = {}

    def add(
        self,
        *,
        name: str,
        known: KnownDataset | None,
        hub_id: str | None,
        source: str,
        evidence: Evidence,
        role: str | None = None,
    ) -> None:
        key = known.id if known else (hub_id or name).lower()
        role = role or _role(source, evidence.path)
        if key in self.found:
            mention, evs = self.found[key]
            if len(evs) < 8:
                evs.append(evidence)
            update: dict[str, object] = {}
            if hub_id and not mention.hub_id:
                update["hub_id"] = hub_id
            if mention.role != "training" and role not in ("unknown", mention.role):
                update["role"] = "training" if "training" in (role, mention.role) else role
            if update:
                self.found[key] = (mention.model_copy(update=update), evs)
            return
        mention = DatasetMention(
            name=name,
            dataset_id=known.id if known else None,
            hub_id=hub_id,
            license=known.license if known else None,
            license_note=known.license_note if known else None,
            kind=known.kind if known else None,
            source=source,  # type: ignore[arg-type]
            role=role,  # type: ignore[arg-type]
            evidence=(evidence,),
        )
        self.found[key] = (mention, [evidence])

    def result(self) -> list[DatasetMention]:
        out = []
        for mention, evs in self.found.values():
            ordered = sorted(evs, key=lambda e: -certainty_rank(e.certainty))
            out.append(mention.model_copy(update={"evidence": tuple(ordered)}))
        return out


_EVAL_SECTIONS = frozenset({"evaluation", "testing-data"})


def _role(source: str, section: str | None) -> str:
    if source == "front-matter" or section in TRAINING_SECTIONS:
        return "training"
    if section in _EVAL_SECTIONS:
        return "evaluation"
    return "unknown"


def _known_by_hub_id(hub_id: str) -> KnownDataset | None:
    return dataset_index().by_hub_id.get(hub_id.lower())


def read_datasets(card: ModelCard, ctx: Context, links: Sequence[CardLink]) -> list[DatasetMention]:
    """Datasets from ``datasets:``, dataset links and names in prose."""
    found = _Mentions()
    for i, ds in enumerate(card.datasets):
        known = _known_by_hub_id(ds) or _known_by_name(ds)
        found.add(
            name=ds,
            known=known,
            hub_id=ds,
            source="front-matter",
            evidence=Evidence(
                kind="front-matter", file=ctx.file, path=f"$.datasets[{i}]", snippet=ds
            ),
        )
    for link in links:
        if link.kind in ("dataset", "dataset-card") and link.hub_id:
            about = _TRAINING_TEXT.search(f"{link.label} {link.text}")
            found.add(
                name=link.text or link.hub_id,
                known=_known_by_hub_id(link.hub_id),
                hub_id=link.hub_id,
                source="link",
                role="training" if about else None,
                evidence=link.evidence.model_copy(
                    update={"certainty": "stated" if link.section in TRAINING_SECTIONS else "read"}
                ),
            )
    _prose_datasets(ctx, found)
    return found.result()


def _known_by_name(text: str) -> KnownDataset | None:
    for known, pattern in dataset_index().patterns:
        if pattern.fullmatch(text.strip()):
            return known
    return None


def _prose_datasets(ctx: Context, found: _Mentions) -> None:
    index = dataset_index()
    body = ctx.lowered
    candidates = [
        (known, pattern, stems)
        for (known, pattern), stems in zip(index.patterns, index.stems, strict=True)
        if any(stem in body for stem in stems)
    ]
    if not candidates:
        return
    for block in ctx.doc.blocks:
        if block.kind in ("code", "heading"):
            continue
        text = block.text if block.kind != "table" else _table_text(block.rows)
        lowered = text.lower()
        in_training = ctx.in_training(block.heading)
        for known, pattern, stems in candidates:
            if not any(stem in lowered for stem in stems):
                continue
            for match in pattern.finditer(text):
                sentence = _sentence_at(text, match.start())
                about_training = bool(_TRAINING_TEXT.search(sentence))
                if known.context and not (in_training or about_training):
                    continue
                certainty: Certainty = "read" if in_training or about_training else "guessed"
                line = block.line
                if block.kind != "table":
                    line += text.count("\n", 0, match.start())
                found.add(
                    name=match.group(0),
                    known=known,
                    hub_id=None,
                    source="prose",
                    evidence=ctx.ev(line, block.heading, plain_text(sentence), certainty),
                    role="training" if in_training or about_training else None,
                )
                break


def _sentence_at(text: str, pos: int) -> str:
    start = 0
    for m in _SENTENCE.finditer(text, 0, pos):
        start = m.end()
    end_match = _SENTENCE.search(text, pos)
    end = end_match.start() if end_match else len(text)
    return text[start:end]


# --- training code ---------------------------------------------------------------------------


class _Code:
    def __init__(self) -> None:
        self.found: dict[str, tuple[TrainingCodeMention, list[Evidence]]] = {}

    def add(self, mention: TrainingCodeMention, key: str) -> None:
        key = key.lower().rstrip("/")
        if key in self.found:
            old, evs = self.found[key]
            evs.extend(mention.evidence)
            if mention.project and not old.project:
                self.found[key] = (mention, evs)
            return
        self.found[key] = (mention, list(mention.evidence))

    def result(self) -> list[TrainingCodeMention]:
        out = []
        for mention, evs in self.found.values():
            ordered = tuple(sorted(evs, key=lambda e: -certainty_rank(e.certainty))[:8])
            out.append(mention.model_copy(update={"evidence": ordered}))
        return sorted(out, key=lambda m: -certainty_rank(m.certainty))


def read_training_code(
    ctx: Context, links: Sequence[CardLink], configs: Iterable[ConfigBlock]
) -> list[TrainingCodeMention]:
    """Training code stated by links, labels, named recipes/frameworks and configs."""
    facts = card_link_facts()
    found = _Code()
    for link in links:
        host, path = _host_path(link.url)
        repo = _repo_of(host, path)
        if repo is None:
            continue
        project = facts.project_by_repo.get(repo.lower())
        heading = _heading_at(ctx, link.evidence.line)
        in_training = link.section in TRAINING_SECTIONS or ctx.in_training(heading)
        certainty, note = _code_link_reading(ctx, link, repo, project, in_training)
        kind: str = "repository"
        if certainty is None:
            continue
        if project is not None:
            kind = project.kind
        found.add(
            TrainingCodeMention(
                kind=kind,  # type: ignore[arg-type]
                url=link.url,
                name=repo,
                project=project.id if project else None,
                evidence=(link.evidence.model_copy(update={"certainty": certainty, "note": note}),),
            ),
            repo if project is None else project.id,
        )
    _named_projects(ctx, found)
    for block in configs:
        if block.training_keys:
            found.add(
                TrainingCodeMention(
                    kind="config",
                    name=f"{block.language or 'text'} configuration",
                    evidence=(block.evidence,),
                ),
                f"config:{block.evidence.line}",
            )
    return found.result()


_CONFIG_LANGUAGES = frozenset({"", "yaml", "yml", "json", "toml", "ini", "cfg", "conf", "jsonc"})
_TRAINED_WITH = re.compile(
    r"\b(train|pre-?train|fine-?tun|merg|buil[dt]|develop)\w*\b[^.]{0,60}?\b(using|with|via|on top of)\b"
    r"|\bused to (train|pre-?train|fine-?tune|merge)\b"
    r"|\btraining (code|scripts?|details and scripts|recipes?|framework|library)",
    re.I,
)


def _code_link_reading(
    ctx: Context,
    link: CardLink,
    repo: str,
    project: TrainingCodeProject | None,
    in_training: bool,
) -> tuple[Certainty | None, str | None]:
    """How sure a code link is a training-code statement, and why (``None``: it is not)."""
    facts = card_link_facts()
    sentence = link.evidence.snippet or ""
    if facts.training_words.search(link.label) or link.topic == "training-code":
        return "read", "linked as the training code"
    if link.text and facts.training_words.search(link.text) and project is None:
        return "read", "the link text names training"
    if project is not None:
        if in_training or _TRAINED_WITH.search(sentence) or _TRAINED_WITH.search(link.text):
            return "read", f"{project.name} named where the training is described"
        if facts.repository_labels.search(link.label):
            return "read", f"{project.name} given as the model's repository"
        return "guessed", f"{project.name} linked outside the training sections"
    if _TRAINED_WITH.search(sentence) or _TRAINED_WITH.search(link.text):
        return "read", "the sentence says the model was trained or built with it"
    if facts.repository_labels.search(link.label) or facts.repository_labels.search(link.text):
        return "inferred", "the model's repository (training code not confirmed)"
    if link.section in TRAINING_SECTIONS and link.kind == "code-repository":
        return "inferred", "code repository linked in a training section"
    if _named_after_model(repo, ctx.model_names):
        return (
            "guessed",
            "the project's repository, named after the model (training code not confirmed)",
        )
    return None, None


def _named_after_model(repo: str, names: frozenset[str]) -> bool:
    owner, _, name = repo.lower().partition("/")
    first = re.split(r"[-_.]", name, maxsplit=1)[0]
    return (len(first) >= 3 and first in names) or owner in names


def _heading_at(ctx: Context, file_line: int | None) -> int:
    line = (file_line or 0) - ctx.offset
    found = -1
    for i, heading in enumerate(ctx.doc.headings):
        if heading.line > line:
            break
        found = i
    return found


def _named_projects(ctx: Context, found: _Code) -> None:
    """Recipes and frameworks named in prose ("trained with axolotl", "DPOTrainer")."""
    facts = card_link_facts()
    candidates = [
        (entry, stems)
        for entry, stems in zip(facts.project_names, facts.project_stems, strict=True)
        if not stems or any(stem in ctx.lowered for stem in stems)
    ]
    if not candidates:
        return
    for block in ctx.doc.blocks:
        if block.kind in ("heading", "table"):
            continue
        in_training = ctx.in_training(block.heading)
        lowered = block.text.lower()
        for (project, pattern), stems in candidates:
            if stems and not any(stem in lowered for stem in stems):
                continue
            match = pattern.search(block.text)
            if match is None:
                continue
            sentence = _sentence_at(block.text, match.start())
            about = in_training or facts.training_words.search(sentence)
            if block.kind == "code" and not about:
                continue
            certainty: Certainty = "inferred" if about else "guessed"
            line = block.line + block.text.count("\n", 0, match.start())
            found.add(
                TrainingCodeMention(
                    kind=project.kind,
                    url=project.url,
                    name=project.name,
                    project=project.id,
                    evidence=(
                        ctx.ev(
                            line,
                            block.heading,
                            plain_text(sentence),
                            certainty,
                            note=f"{project.name} named in the text",
                        ),
                    ),
                ),
                project.id,
            )


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


# --- license statements ----------------------------------------------------------------------


_SCOPES = {"model": "model", "models": "model", "code": "code", "data": "data", "dataset": "data", "weights": "weights", "weight": "weights", "software": "code"}  # fmt: skip
_SCOPE_WORDS = re.compile(r"\b(code|software|repository|models?|weights|data(?:set)?s?)\b", re.I)
_PROPER_LICENSE = re.compile(
    r"(?:the )?((?:[A-Z0-9][\w.+-]*\s){0,6}?(?:[A-Z][\w.+-]*\s)?"
    r"(?:License|Licence|LICENSE|Agreement|AGREEMENT|Terms of Use|RAIL(?:-[A-Z]+)?|OpenRAIL(?:-[A-Z]+)?)"
    r"(?:\s+(?:Agreement|AGREEMENT))?)"
)
_LABEL = re.compile(
    r"^\W*(?:\*\*|__)?([A-Za-z][\w ]{0,40}?)(?::\s*(?:\*\*|__)|(?:\*\*|__)\s*:?|:)\s*(.+)$"
)


_LICENSE_HINTS = ("licen", "terms", "agreement", "governed", "subject to", "rail")


def _scope(label: str) -> str | None:
    words = label.lower().split()
    return _SCOPES.get(words[0]) if words else None


def _scope_of_sentence(before: str) -> str | None:
    found = _SCOPE_WORDS.findall(before)
    if not found:
        return None
    word = found[-1].lower()
    if word in ("code", "software", "repository"):
        return "code"
    return "data" if word.startswith("data") else "model"


def _clean_name(name: str) -> str:
    name = plain_text(name)
    proper = _PROPER_LICENSE.search(name)
    if proper is not None and proper.start() < 40:
        return proper.group(1).strip()
    name = re.split(
        r"\s+(?:and|which|that|with|for|as|by|is|are|unless|except|available)\s+|,|\(",
        name,
        maxsplit=1,
    )[0]
    return name.strip(" .:;()[]\"'`*").strip()


def _url_on_line(links_by_line: dict[int, list[CardLink]], line: int, text: str) -> str | None:
    for link in links_by_line.get(line, []):
        if link.text and link.text in text:
            return link.url
    for link in links_by_line.get(line, []):
        if link.kind == "license-text":
            return link.url
    return None


def read_licenses(ctx: Context, links: Sequence[CardLink]) -> list[LicenseStatement]:
    """License statements: ``License:`` labels, "licensed under X" phrases, License sections."""
    facts = card_link_facts()
    out: list[LicenseStatement] = []
    seen: set[str] = set()

    def add(stmt: LicenseStatement) -> None:
        key = stmt.name.lower()
        if key and key not in seen and len(stmt.name) <= 160:
            seen.add(key)
            out.append(stmt)

    by_line: dict[int, list[CardLink]] = {}
    for link in links:
        by_line.setdefault(link.evidence.line or 0, []).append(link)
    for block in ctx.doc.blocks:
        if block.kind not in ("paragraph", "html"):
            continue
        section = ctx.section_of(block.heading)
        for line_no, line_text in enumerate(block.text.split("\n")):
            lowered = line_text.lower()
            if not any(w in lowered for w in _LICENSE_HINTS):
                continue
            body_line = block.line + line_no
            file_line = ctx.line(body_line)
            plain = plain_text(line_text)
            label_match = _LABEL.match(line_text.strip())
            if label_match and facts.license_labels.match(plain_text(label_match.group(1)).strip()):
                label = plain_text(label_match.group(1)).strip()
                value_text = plain_text(label_match.group(2))
                phrase = _phrase(value_text)
                value = phrase or _clean_name(value_text)
                if value:
                    add(
                        LicenseStatement(
                            name=value,
                            url=_url_on_line(by_line, file_line, plain),
                            scope=_scope(label),  # type: ignore[arg-type]
                            how="label",
                            section=section,
                            evidence=ctx.ev(body_line, block.heading, plain, "read"),
                        )
                    )
                continue
            for pattern in facts.license_phrases:
                for match in pattern.finditer(plain):
                    name = _clean_name(match.group("name"))
                    if len(name) < 2 or not re.search(r"[A-Za-z]", name):
                        continue
                    sentence = _sentence_at(plain, match.start())
                    add(
                        LicenseStatement(
                            name=name,
                            url=_url_on_line(by_line, file_line, plain[match.start("name") :]),
                            scope=_scope_of_sentence(plain[: match.start("name")][-80:]),  # type: ignore[arg-type]
                            how="phrase",
                            section=section,
                            evidence=ctx.ev(body_line, block.heading, sentence, "read"),
                        )
                    )
    have_sections = {s.section for s in out}
    for stmt in read_license_sections(ctx):
        if stmt.section not in have_sections:
            add(stmt)
    return out


def _phrase(text: str) -> str | None:
    for pattern in card_link_facts().license_phrases:
        match = pattern.search(text)
        if match is not None:
            name = _clean_name(match.group("name"))
            if len(name) >= 2:
                return name
    return None


def read_license_sections(ctx: Context) -> list[LicenseStatement]:
    """The first words of each License section, when no phrase in it named the license."""
    out = []
    for i, key in enumerate(ctx.keys):
        if key != "license":
            continue
        block = next((b for b in ctx.doc.blocks if b.heading == i and b.kind == "paragraph"), None)
        if block is None:
            continue
        text = plain_text(block.text)
        first = _sentence_at(text, 0)
        if not first:
            continue
        out.append(
            LicenseStatement(
                name=_short(first)[:120],
                how="section",
                section="license",
                evidence=ctx.ev(
                    block.line, i, first, "inferred", note="first sentence of the License section"
                ),
            )
        )
    return out


# --- gate ------------------------------------------------------------------------------------


def _field_type(value: object) -> str:
    if isinstance(value, str):
        return value
    if isinstance(value, dict):
        kind = value.get("type")
        return kind if isinstance(kind, str) else "text"
    return "text"


def read_gate(gating: AccessGating, *, file: str | None) -> GateInfo:
    """The gate kind from ``gated`` and ``extra_gated_*`` (see :data:`GateKind`)."""
    facts = card_link_facts()
    if not gating.is_gated:
        return GateInfo()
    names = tuple(str(k) for k in gating.fields)
    types = tuple(_field_type(v) for v in gating.fields.values())
    evidence = (
        [
            Evidence(
                kind="front-matter",
                file=file,
                path="$.extra_gated_fields",
                snippet=", ".join(names)[:_SNIPPET],
            )
        ]
        if names
        else []
    )
    texts = " ".join(
        t for t in (gating.heading, gating.prompt, gating.description, gating.button_content) if t
    )
    approval = None if gating.gated is None else str(gating.gated).lower()
    reasons: list[str] = []
    if gating.gated == "manual":
        kind = "discretionary"
        reasons.append("gated: manual -- the provider approves each request")
        evidence.append(Evidence(kind="front-matter", file=file, path="$.gated", snippet="manual"))
    else:
        cue = next((m for p in facts.discretionary if (m := p.search(texts))), None)
        request_fields = [
            n for n, t in zip(names, types, strict=True) if t in facts.request_field_types
        ]
        request_cue = next((m for p in facts.access_request if (m := p.search(texts))), None)
        if cue is not None:
            kind = "discretionary"
            reasons.append(
                f"the gate text says access is at the provider's discretion: {cue.group(0)!r}"
            )
            evidence.append(
                Evidence(
                    kind="front-matter",
                    file=file,
                    path="$.extra_gated_prompt",
                    snippet=_sentence_at(texts, cue.start())[:_SNIPPET],
                    certainty="inferred",
                )
            )
        elif request_fields:
            kind = "access-request"
            reasons.append("a form asks for " + ", ".join(request_fields))
        elif request_cue is not None:
            kind = "access-request"
            reasons.append(f"the gate text asks for an access request: {request_cue.group(0)!r}")
            evidence.append(
                Evidence(
                    kind="front-matter",
                    file=file,
                    path="$.extra_gated_description",
                    snippet=_sentence_at(texts, request_cue.start())[:_SNIPPET],
                    certainty="inferred",
                )
            )
        else:
            kind = "click-through"
            reasons.append("only an acknowledgement is asked (no form fields beyond checkboxes)")
            if not evidence:
                evidence.append(
                    Evidence(
                        kind="front-matter",
                        file=file,
                        path="$.extra_gated_prompt",
                        snippet=_short(texts) or "gated",
                    )
                )
    return GateInfo(
        kind=kind,  # type: ignore[arg-type]
        fields=names,
        field_types=types,
        approval=approval,
        eu_disallowed=gating.eu_disallowed,
        reasons=tuple(reasons),
        evidence=tuple(evidence),
    )


def read_body(card: ModelCard, ctx: Context) -> dict[str, Sequence[object]]:
    """Every body reader's result, keyed by :class:`CardEvidence` field."""
    links = read_links(ctx)
    configs = read_configs(ctx)
    return {
        "sections": read_sections(ctx),
        "links": links,
        "datasets": read_datasets(card, ctx, links),
        "config_blocks": configs,
        "training_code": read_training_code(ctx, links, configs),
        "eval_tables": read_eval_tables(card, ctx),
        "licenses": read_licenses(ctx, links),
    }


__all__ += ["RawLink", "build_context", "classify_link", "section_key"]
