"""``read_card_evidence``: the one entry point of the card evidence layer."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

from openmodel_gov._core import Evidence
from openmodel_gov.cards._context import build_context
from openmodel_gov.cards._evidence import CardEvidence, FolderEvidence, TrainingCodeMention
from openmodel_gov.cards._markdown import parse_body
from openmodel_gov.cards._model import ModelCard
from openmodel_gov.cards._read_statements import read_gate
from openmodel_gov.cards._readers import read_body

__all__ = ["read_card_evidence"]


def _inputs(card: ModelCard, private: dict[str, Any]) -> tuple[object, ...]:
    # The fields the evidence is read from; model_copy(update=...) replaces the objects it
    # changes, so identity tells whether a cached reading still holds.
    return (
        card.body,
        card.datasets,
        card.gating,
        card.eval_results,
        card.source_path,
        private.get("_folder"),
    )


_GENERIC = frozenset(
    {"model", "models", "base", "chat", "instruct", "hf", "gguf", "the", "llm", "v1", "v2"}
)


def model_names(card: ModelCard) -> frozenset[str]:
    """Lower-case parts of the model's name and organisation (``org__name.md`` files too)."""
    names: set[str] = set()
    sources = [card.name, card.huggingface or ""]
    if card.source_path:
        stem = Path(card.source_path).stem
        if "__" in stem:
            sources.append(stem.replace("__", "/"))
    folder = card._folder
    if isinstance(folder, FolderEvidence) and folder.repo_id:
        sources.append(folder.repo_id)
    for source in sources:
        text = source.lower().removeprefix("https://huggingface.co/")
        if "/" in text:
            org, _, rest = text.partition("/")
            names.add(org)
            text = rest
        names.update(p for p in re.split(r"[-_. /]", text) if len(p) >= 3)
    return frozenset(names - _GENERIC)


def _folder_training(folder: FolderEvidence) -> list[TrainingCodeMention]:
    """Training scripts and configurations found in the model folder."""
    return [
        TrainingCodeMention(
            kind="script",
            name=f.path,
            evidence=(
                Evidence(
                    kind="file",
                    file=str(Path(folder.root) / f.path),
                    snippet=f.path,
                    certainty="read",
                    note="a training file in the model folder",
                ),
            ),
        )
        for f in folder.of_role("training")
    ]


def read_card_evidence(card: ModelCard) -> CardEvidence:
    """Read everything a card states into a :class:`CardEvidence` (pure; cached per card).

    Args:
        card: a loaded card (:func:`load_card` / :func:`load_card_text`); for a model folder
            the folder's files are included.

    Returns:
        Sections, classified links, dataset mentions, training code, configuration blocks,
        evaluation tables, license statements, the gate and (folders) file evidence, each
        fact with its location and certainty.

    >>> from openmodel_gov.cards import load_card
    >>> ev = read_card_evidence(load_card({"license": "mit", "gated": "manual"}))
    >>> ev.gate.kind, ev.sections
    ('discretionary', ())
    """
    # private attributes read from pydantic's dict directly: the cached path runs on every
    # score_openness call, and attribute access to private fields goes through __getattr__
    private: dict[str, Any] = card.__pydantic_private__ or {}
    inputs = _inputs(card, private)
    cached = private.get("_evidence_cache")
    if cached is not None and all(a is b for a, b in zip(cached[0], inputs, strict=True)):
        evidence: CardEvidence = cached[1]
        return evidence
    ctx = build_context(
        parse_body(card.body, source=card.source_path, offset=card._body_line - 1),
        file=card.source_path,
        offset=card._body_line - 1,
        body=card.body,
        model_names=model_names(card),
    )
    parts = read_body(card, ctx)
    folder = card._folder if isinstance(card._folder, FolderEvidence) else None
    if folder is not None:
        parts["training_code"] = [*parts["training_code"], *_folder_training(folder)]
    evidence = CardEvidence.model_validate(
        {
            "file": card.source_path,
            **parts,
            "gate": read_gate(card.gating, file=card.source_path),
            "files": folder,
        }
    )
    card._evidence_cache = (inputs, evidence)
    return evidence
