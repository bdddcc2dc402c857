"""Every body reader run in order (see ``_read.read_card_evidence``)."""

from __future__ import annotations

from collections.abc import Sequence

from openmodel_gov.cards._context import (
    Context,
)
from openmodel_gov.cards._model import ModelCard
from openmodel_gov.cards._read_disclosures import read_disclosures
from openmodel_gov.cards._read_links import read_datasets, read_links, read_training_code
from openmodel_gov.cards._read_sections import read_configs, read_eval_tables, read_sections
from openmodel_gov.cards._read_statements import read_licenses

__all__ = ["read_body"]


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
        "disclosures": read_disclosures(ctx),
    }
