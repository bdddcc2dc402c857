"""``openmodel-gov card validate|show|schema|convert``: typed model cards."""

from __future__ import annotations

import argparse
import json
from typing import Any

from openmodel_gov._cli._common import FINDING, OK, USAGE, Output, add_output_options, card_path

__all__ = ["register"]

_FORMATS = ("auto", "hf-readme", "hf-metadata", "openmodel-gov", "mot", "yaml", "json")
_TARGETS = ("yaml", "json", "hf-readme", "mot")


def register(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """Add the ``card`` command group."""
    card = sub.add_parser("card", help="load, validate, show, convert model cards")
    group = card.add_subparsers(dest="card_command", metavar="ACTION", required=True)

    p = group.add_parser(
        "validate",
        help="validate a card (exit 1 listing every problem with its field and line)",
    )
    p.add_argument("card", help="README.md, our YAML/JSON card, a MOT model.yml, or a model folder")
    p.add_argument("--format", choices=_FORMATS, default="auto", help="force the input format")
    add_output_options(p, top=False)
    p.set_defaults(func=_validate)

    p = group.add_parser("show", help="print a card's summary (--json: the full card)")
    p.add_argument("card")
    p.add_argument("--format", choices=_FORMATS, default="auto")
    add_output_options(p, top=False)
    p.set_defaults(func=_show)

    p = group.add_parser("schema", help="print the JSON Schema of our card format")
    add_output_options(p, top=False)
    p.set_defaults(func=_schema)

    p = group.add_parser("convert", help="convert a card to another format")
    p.add_argument("card")
    p.add_argument("--format", choices=_FORMATS, default="auto", help="force the input format")
    p.add_argument("--to", choices=_TARGETS, required=True, help="output format")
    p.add_argument("-o", "--output", help="write here (atomically) instead of stdout")
    add_output_options(p, top=False)
    p.set_defaults(func=_convert)


def _validate(args: argparse.Namespace, out: Output) -> int:
    from openmodel_gov.cards import load_card
    from openmodel_gov.errors import FileAccessError, ParseError, SchemaValidationError

    try:
        card = load_card(card_path(args.card, out), format=args.format)
    except FileAccessError as exc:  # a missing path or a folder without a card: never "valid"
        issue: dict[str, object] = {"field": None, "line": None, "message": exc.message}
        out.error(str(exc))
        if out.json_mode:  # machines still get the verdict on stdout
            out.result(str(exc), {"valid": False, "source": args.card, "issues": [issue]})
        return USAGE
    except SchemaValidationError as exc:
        issues = [{"field": i.field, "line": i.line, "message": i.message} for i in exc.issues] or [
            {"field": exc.field, "line": exc.line, "message": exc.message}
        ]
        out.result(str(exc), {"valid": False, "source": args.card, "issues": issues})
        return FINDING
    except ParseError as exc:
        issue = {"field": exc.field, "line": exc.line, "message": exc.message}
        out.result(str(exc), {"valid": False, "source": args.card, "issues": [issue]})
        return FINDING
    data: dict[str, Any] = {
        "valid": True,
        "source": args.card,
        "format": card.source_format,
        "name": card.name,
        "warnings": list(card.warnings),
    }
    out.result(f"{args.card}: valid ({card.source_format})\n{card.summary()}", data)
    return OK


def _show(args: argparse.Namespace, out: Output) -> int:
    from openmodel_gov.cards import load_card

    card = load_card(card_path(args.card, out), format=args.format)
    out.result(card.summary(), card.to_dict())
    return OK


def _schema(args: argparse.Namespace, out: Output) -> int:
    from openmodel_gov.cards import card_json_schema

    schema = card_json_schema()
    # The schema is JSON whatever the mode; --quiet still prints nothing.
    out.result(json.dumps(schema, indent=2), schema)
    return OK


def _convert(args: argparse.Namespace, out: Output) -> int:
    from openmodel_gov._core._io import atomic_write_text
    from openmodel_gov.cards import load_card

    card = load_card(card_path(args.card, out), format=args.format)
    writers = {
        "yaml": card.to_yaml,
        "json": card.to_json,
        "hf-readme": card.to_hf_readme,
        "mot": card.to_mot_yaml,
    }
    text = writers[args.to]()
    if args.output:
        atomic_write_text(args.output, text)
        out.result(f"wrote {args.output}", {"output": args.output, "format": args.to})
    else:
        out.result(text, {"format": args.to, "text": text})
    return OK
