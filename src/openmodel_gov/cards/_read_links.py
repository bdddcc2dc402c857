"""Body readers: links and their kinds, dataset mentions, training-code statements."""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence

from openmodel_gov._core import Certainty, Evidence
from openmodel_gov.cards._context import (
    TRAINING_SECTIONS,
    TRAINING_TEXT,
    Context,
    heading_at,
    host_path,
    hub_id,
    repo_of,
    sentence_at,
    table_text,
)
from openmodel_gov.cards._evidence import (
    CardLink,
    ConfigBlock,
    DatasetMention,
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
)
from openmodel_gov.cards._markdown import (
    plain_text,
)
from openmodel_gov.cards._model import ModelCard

__all__ = ["classify_link", "read_datasets", "read_links", "read_training_code"]


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
    host, path = host_path(url)
    words = f"{label} {text}".strip()
    repo = repo_of(host, path)
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
        host, path = host_path(raw.url)
        hub, _ = hub_id(host, path)
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
            about = TRAINING_TEXT.search(f"{link.label} {link.text}")
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
        text = block.text if block.kind != "table" else table_text(block.rows)
        lowered = text.lower()
        in_training = ctx.in_training(block.heading)
        for known, pattern, stems in candidates:
            if not any(stem in lowered for stem in stems):
                continue
            for match in pattern.finditer(text):
                sentence = sentence_at(text, match.start())
                about_training = bool(TRAINING_TEXT.search(sentence))
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
        host, path = host_path(link.url)
        repo = repo_of(host, path)
        if repo is None:
            continue
        project = facts.project_by_repo.get(repo.lower())
        heading = heading_at(ctx, link.evidence.line)
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


_TRAINED_WITH = re.compile(
    r"\b(train|pre-?train|fine-?tun|merg|buil[dt]|develop|made|creat)\w*\b[^.]{0,60}?\b(using|with|via|on top of)\b"
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
            sentence = sentence_at(block.text, match.start())
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
