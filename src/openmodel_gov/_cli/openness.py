"""``openmodel-gov score`` and ``openmodel-gov mof``: openness of a model card."""

from __future__ import annotations

import argparse

from openmodel_gov._cli._common import OK, Output, add_output_options

__all__ = ["register"]


def register(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """Add ``mof`` (and ``score`` once the scorer is importable)."""
    p = sub.add_parser("mof", help="Model Openness Framework class of a card (I, II, III)")
    p.add_argument("card", help="a model card (README.md, YAML/JSON, MOT model.yml)")
    p.add_argument(
        "--mode",
        choices=("strict", "normalized"),
        default="strict",
        help="license matching: exact SPDX ids as the Model Openness Tool (default) or normalized",
    )
    add_output_options(p, top=False)
    p.set_defaults(func=_mof)


def _mof(args: argparse.Namespace, out: Output) -> int:
    from openmodel_gov.cards import load_card
    from openmodel_gov.openness import classify_mof

    result = classify_mof(load_card(args.card), mode=args.mode)
    out.result(result.explain(), result.model_dump(mode="json"))
    return OK
