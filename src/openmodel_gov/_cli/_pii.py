"""``openmodel-gov pii scan|redact``: PII in texts and datasets (extra ``[pii]``)."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import TYPE_CHECKING

from openmodel_gov._cli._common import FINDING, OK, Output, add_output_options, fmt_table

if TYPE_CHECKING:
    from openmodel_gov.pii import PiiConfig

__all__ = ["register"]

_DATASET_SUFFIXES = (".jsonl", ".ndjson", ".csv", ".parquet")


def register(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """Add the ``pii`` command group."""
    pii = sub.add_parser("pii", help="detect and redact PII (needs the [pii] extra)")
    group = pii.add_subparsers(dest="pii_command", metavar="ACTION", required=True)

    p = group.add_parser(
        "scan",
        help="find PII in a text file, stdin (-) or a JSONL/CSV/Parquet dataset (exit 1 if any)",
    )
    p.add_argument("source", help="a text file, '-' for stdin, or a .jsonl/.csv/.parquet file")
    _add_pii_options(p)
    add_output_options(p, top=False)
    p.set_defaults(func=_scan)

    p = group.add_parser("redact", help="write a redacted copy of a text file or dataset")
    p.add_argument("source", help="a text file, '-' for stdin, or a .jsonl/.csv/.parquet file")
    p.add_argument("output", help="where to write the redacted copy ('-' for stdout, text only)")
    resume = p.add_mutually_exclusive_group()
    resume.add_argument(
        "--resume",
        dest="resume",
        action="store_true",
        default=True,
        help="continue from the checkpoint of an interrupted run of the same job (default)",
    )
    resume.add_argument(
        "--restart",
        dest="resume",
        action="store_false",
        help="discard any checkpoint (e.g. from a run with other options) and start over",
    )
    p.add_argument(
        "--on-error",
        choices=("reject", "skip", "raise"),
        default="reject",
        help="a record that cannot be processed: list it in OUTPUT.rejects.jsonl (default), "
        "skip it, or stop",
    )
    _add_pii_options(p)
    add_output_options(p, top=False)
    p.set_defaults(func=_redact)


def _add_pii_options(p: argparse.ArgumentParser) -> None:
    p.add_argument(
        "--field", action="append", default=[], help="dataset field to scan (repeat; datasets)"
    )
    p.add_argument(
        "--code-field",
        action="append",
        default=[],
        help="dataset field that holds code or configuration: scanned with the code-aware "
        "rules (secrets on, NER name guesses off; repeat)",
    )
    p.add_argument(
        "--code",
        action="store_true",
        help="the text file is code or configuration: scan it with the code-aware rules",
    )
    p.add_argument("--entity", action="append", default=[], help="entity type to detect (repeat)")
    p.add_argument(
        "--preset",
        choices=("training-data", "logs"),
        help="entity set for a use (see docs/pii.md); --entity overrides it",
    )
    p.add_argument("--model", help="spaCy pipeline package or directory (default: best installed)")
    p.add_argument("--language", default="en")
    p.add_argument("--workers", type=int, help="worker processes for datasets")


def _config(args: argparse.Namespace) -> PiiConfig:
    from openmodel_gov.pii import PiiConfig

    common: dict[str, object] = {
        "model": args.model,
        "language": args.language,
        "code_fields": tuple(args.code_field),
        "code": args.code,
    }
    if args.entity:
        return PiiConfig(entities=tuple(args.entity), **common)
    if getattr(args, "preset", None):
        return PiiConfig.preset(args.preset, **common)
    return PiiConfig(**common)


def _is_dataset(source: str) -> bool:
    return source != "-" and Path(source).suffix.lower() in _DATASET_SUFFIXES


def _read_text(source: str) -> str:
    from openmodel_gov._core._io import decode_utf8, read_bytes

    if source == "-":
        return sys.stdin.read()
    return decode_utf8(read_bytes(source), source=source)


def _fields(args: argparse.Namespace) -> tuple[str, ...]:
    from openmodel_gov.errors import InputError

    if not args.field:
        raise InputError(
            "name the text fields to scan with --field (repeat for several)",
            source=args.source,
            field="--field",
        )
    return tuple(args.field)


def _scan(args: argparse.Namespace, out: Output) -> int:
    from openmodel_gov.pii import scan_file, scan_text

    config = _config(args)
    if _is_dataset(args.source):
        with out.progress("scanning") as bar:
            report = scan_file(
                args.source,
                fields=_fields(args),
                config=config,
                workers=args.workers,
                progress=bar,
            )
        out.result(str(report), report.to_dict())
        return FINDING if report.records_with_pii else OK
    text = _read_text(args.source)
    findings = scan_text(text, config=config)
    rows = [[f.entity_type, f.start, f.end, f"{f.score:.2f}", f.recognizer] for f in findings]
    human = (
        fmt_table(["entity", "start", "end", "score", "recognizer"], rows)
        if rows
        else f"{args.source}: no PII found"
    )
    out.result(human, {"source": args.source, "findings": [f.to_dict() for f in findings]})
    return FINDING if findings else OK


def _redact(args: argparse.Namespace, out: Output) -> int:
    from openmodel_gov._core._io import atomic_write_text
    from openmodel_gov.pii import redact_file, redact_text

    config = _config(args)
    if _is_dataset(args.source):
        with out.progress("redacting") as bar:
            report = redact_file(
                args.source,
                args.output,
                fields=_fields(args),
                config=config,
                workers=args.workers,
                progress=bar,
                resume=args.resume,
                on_error=args.on_error,
            )
        out.result(f"wrote {args.output}\n{report}", {"output": args.output, **report.to_dict()})
        return OK
    redaction = redact_text(_read_text(args.source), config=config)
    if args.output == "-":
        sys.stdout.write(redaction.text)
    else:
        atomic_write_text(args.output, redaction.text)
    data = {"output": args.output, "counts": redaction.counts}
    if args.output != "-":
        out.result(f"wrote {args.output}: {redaction.counts}", data)
    return OK
