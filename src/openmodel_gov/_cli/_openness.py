"""``openmodel-gov score`` and ``openmodel-gov mof``: openness of a model card."""

from __future__ import annotations

import argparse

from openmodel_gov._cli._common import FINDING, OK, Output, add_output_options, card_path

__all__ = ["register"]


def register(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """Add ``score`` and ``mof``."""
    p = sub.add_parser("score", help="openness score 0-10 with the evidence for every point")
    p.add_argument("card", help="a model card (README.md, YAML/JSON, MOT model.yml)")
    p.add_argument(
        "--declare",
        action="append",
        default=[],
        metavar="DIMENSION=POINTS",
        help="declare a dimension's score (0-2) instead of deriving it: weights, "
        "training_data, training_code, license, ecosystem (repeat)",
    )
    p.add_argument(
        "--min", type=int, dest="minimum", help="exit 1 when the score is below this (0-10)"
    )
    add_output_options(p, top=False)
    p.set_defaults(func=_score)

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


def _score(args: argparse.Namespace, out: Output) -> int:
    from openmodel_gov._cli._facts import parse_pairs
    from openmodel_gov.cards import load_card
    from openmodel_gov.errors import InputError
    from openmodel_gov.openness import score_openness

    declared: dict[str, int] = {}
    for key, value in parse_pairs(args.declare, option="--declare").items():
        if isinstance(value, bool) or not isinstance(value, int):
            raise InputError(f"{key}: expected 0, 1 or 2, got {value!r}", field="--declare")
        declared[key] = value
    result = score_openness(load_card(card_path(args.card, out)), declared=declared or None)
    out.result(result.explain(), result.to_dict())
    if args.minimum is not None and result.total < args.minimum:
        return FINDING
    return OK


def _mof(args: argparse.Namespace, out: Output) -> int:
    from openmodel_gov.cards import load_card
    from openmodel_gov.openness import classify_mof

    result = classify_mof(load_card(card_path(args.card, out)), mode=args.mode)
    out.result(result.explain(), result.model_dump(mode="json"))
    return OK
