"""Model folders and Hugging Face cache snapshots read as a card plus file evidence."""

from __future__ import annotations

from pathlib import Path

from openmodel_gov.cards._model import ModelCard
from openmodel_gov.errors import FileAccessError

__all__ = ["load_folder"]

#: Card file names, in the order they are looked for (the Hub reads README.md).
CARD_NAMES = ("README.md", "readme.md", "README.markdown", "model_card.md", "MODEL_CARD.md")


def find_card_file(folder: Path) -> Path | None:
    """The README of ``folder`` (see :data:`CARD_NAMES`), or ``None``."""
    for name in CARD_NAMES:
        candidate = folder / name
        if candidate.is_file():
            return candidate
    return None


def load_folder(folder: Path, *, format: str, max_bytes: int) -> ModelCard:  # noqa: A002
    """Load the card of a model folder (its README.md)."""
    from openmodel_gov.cards._load import _load_file

    card_file = find_card_file(folder)
    if card_file is None:
        raise FileAccessError(
            "is a folder with no model card (README.md); pass the card file or a model folder",
            source=str(folder),
        )
    return _load_file(card_file, format, max_bytes=max_bytes)
