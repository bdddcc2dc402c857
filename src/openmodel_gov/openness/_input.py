"""Accept a card, a path or a mapping wherever a ``ModelCard`` is expected."""

from __future__ import annotations

import os
from collections.abc import Mapping
from typing import Union

from openmodel_gov.cards import ModelCard

__all__ = ["CardLike", "as_card"]

#: A ``ModelCard``, or anything :func:`openmodel_gov.cards.load_card` reads.
CardLike = Union[ModelCard, str, "os.PathLike[str]", Mapping[str, object]]


def as_card(card: CardLike) -> ModelCard:
    """``card`` itself when it is a :class:`ModelCard`, else ``load_card(card)``."""
    if isinstance(card, ModelCard):
        return card
    from openmodel_gov.cards import load_card

    return load_card(card)
