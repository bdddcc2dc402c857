"""``openmodel-gov demo`` and ``openmodel-gov audit``: the end-to-end audit."""

from __future__ import annotations

import argparse

from openmodel_gov._cli._common import OK, Output, add_output_options

__all__ = ["register"]


def register(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """Add ``demo`` and ``audit``."""
    p = sub.add_parser("demo", help="audit the example embedded in the package")
    add_output_options(p, top=False)
    p.set_defaults(func=_demo)


def _demo(args: argparse.Namespace, out: Output) -> int:
    from openmodel_gov._audit.examples import EXAMPLE_CARD, example_dir
    from openmodel_gov.cards import load_card
    from openmodel_gov.manifests import load_manifest, verify_manifest

    root = example_dir()
    card = load_card(root / EXAMPLE_CARD)
    manifest = load_manifest(root / "support-tickets.manifest.yaml")
    report = verify_manifest(manifest, root / "data" / "support-tickets", progress=False)
    human = f"{card.summary()}\n  dataset snapshot: {'verified' if report.ok else 'CHANGED'}"
    out.result(human, {"card": card.to_dict(), "manifest_ok": report.ok})
    return OK
