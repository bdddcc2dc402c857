"""``openmodel-gov export cyclonedx|spdx3|croissant|ai-act-summary``."""

from __future__ import annotations

import argparse
from collections.abc import Callable
from datetime import datetime, timezone
from typing import TYPE_CHECKING

from openmodel_gov._cli._common import OK, Output, add_output_options

if TYPE_CHECKING:
    from openmodel_gov.cards import ModelCard
    from openmodel_gov.manifests import DatasetManifest

__all__ = ["register"]


def register(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """Add the ``export`` command group."""
    exp = sub.add_parser(
        "export",
        help="write a card / manifests as CycloneDX, SPDX 3, Croissant or the AI Act summary",
        description="Without -o the document goes to stdout; with -o it is written atomically "
        "and a one-line receipt is printed (--json: as JSON).",
    )
    group = exp.add_subparsers(dest="export_command", metavar="FORMAT", required=True)

    p = group.add_parser("cyclonedx", help="CycloneDX 1.6 ML-BOM (JSON)")
    _card_args(p)
    p.add_argument(
        "--compliance",
        action="store_true",
        help="add the compliance matrix of the manifests as attestations",
    )
    _common(p)
    p.set_defaults(func=_cyclonedx)

    p = group.add_parser("spdx3", help="SPDX 3.0.1 AI + Dataset profiles (JSON-LD)")
    _card_args(p)
    p.add_argument("--no-files", action="store_true", help="leave out the per-file elements")
    _common(p)
    p.set_defaults(func=_spdx3)

    p = group.add_parser("croissant", help="Croissant 1.1 + RAI metadata of one dataset")
    p.add_argument("manifest", help="dataset manifest (.yaml/.json)")
    p.add_argument("--dataset", help="dataset name (needed when the manifest holds several)")
    p.add_argument("--max-file-objects", type=int, help="above this many files, write FileSets")
    _common(p, clock=False)
    p.set_defaults(func=_croissant)

    p = group.add_parser("ai-act-summary", help="EU AI Act public summary of training content")
    _card_args(p)
    p.add_argument("--provider", help="provider name when the card does not state it")
    p.add_argument("--complete", action="store_true", help="the manifests list all training data")
    p.add_argument("--format", choices=("md", "html"), default="md")
    _common(p, clock=False)
    p.set_defaults(func=_summary)


def _card_args(p: argparse.ArgumentParser) -> None:
    p.add_argument("card", help="model card (README.md, our YAML/JSON, or a MOT file)")
    p.add_argument(
        "-m", "--manifest", action="append", default=[], help="dataset manifest (repeat)"
    )


def _common(p: argparse.ArgumentParser, *, clock: bool = True) -> None:
    p.add_argument("-o", "--output", help="file to write (default: stdout)")
    if clock:
        p.add_argument(
            "--timestamp", help="ISO 8601 time to record (default: SOURCE_DATE_EPOCH or now)"
        )
    add_output_options(p, top=False)


def _clock(args: argparse.Namespace) -> Callable[[], datetime] | None:
    from openmodel_gov.errors import InputError

    text: str | None = getattr(args, "timestamp", None)
    if text is None:
        return None
    try:
        value = datetime.fromisoformat(text.replace("Z", "+00:00"))
    except ValueError:
        raise InputError(f"not an ISO 8601 time: {text!r}", field="--timestamp") from None
    if value.tzinfo is None:
        value = value.replace(tzinfo=timezone.utc)
    return lambda: value


def _inputs(args: argparse.Namespace) -> tuple[ModelCard, list[DatasetManifest]]:
    from pathlib import Path

    from openmodel_gov.cards import load_card
    from openmodel_gov.errors import FileAccessError
    from openmodel_gov.manifests import load_manifest

    if not Path(args.card).is_file():
        raise FileAccessError(f"no such card file: {args.card}", source=args.card)
    return load_card(Path(args.card)), [load_manifest(m) for m in args.manifest]


def _emit(args: argparse.Namespace, out: Output, kind: str, text: str) -> int:
    if args.output is None:
        if out.json_mode and kind in {"ai-act-summary"}:
            out.result("", {"format": kind, "document": text})
        else:
            out.stdout.write(text)
        return OK
    from openmodel_gov._core._io import atomic_write_text

    atomic_write_text(args.output, text)
    size = len(text.encode("utf-8"))
    out.result(
        f"wrote {args.output} ({kind}, {size} bytes)",
        {"format": kind, "output": args.output, "bytes": size},
    )
    return OK


def _cyclonedx(args: argparse.Namespace, out: Output) -> int:
    from openmodel_gov.interop import to_cyclonedx

    card, manifests = _inputs(args)
    compliance = None
    if args.compliance and manifests:
        from openmodel_gov.compliance import build_compliance_matrix

        compliance = build_compliance_matrix([d for m in manifests for d in m.datasets])
    text = to_cyclonedx(card, manifests=manifests, compliance=compliance, clock=_clock(args))
    return _emit(args, out, "cyclonedx", text)


def _spdx3(args: argparse.Namespace, out: Output) -> int:
    from openmodel_gov.interop import to_spdx3

    card, manifests = _inputs(args)
    text = to_spdx3(card, manifests=manifests, files=not args.no_files, clock=_clock(args))
    return _emit(args, out, "spdx3", text)


def _croissant(args: argparse.Namespace, out: Output) -> int:
    from openmodel_gov.interop import to_croissant
    from openmodel_gov.manifests import load_manifest

    manifest = load_manifest(args.manifest)
    text = to_croissant(manifest, dataset=args.dataset, max_file_objects=args.max_file_objects)
    return _emit(args, out, "croissant", text)


def _summary(args: argparse.Namespace, out: Output) -> int:
    from openmodel_gov.interop import training_content_summary

    card, manifests = _inputs(args)
    summary = training_content_summary(
        card, manifests, provider=args.provider, manifests_complete=args.complete
    )
    text = summary.to_html() if args.format == "html" else summary.to_markdown()
    return _emit(args, out, "ai-act-summary", text)
