"""``openmodel-gov audit`` and ``openmodel-gov demo``: the end-to-end audit and policy gate."""

from __future__ import annotations

import argparse
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

from openmodel_gov._cli._common import FINDING, OK, Output, add_output_options

if TYPE_CHECKING:
    from openmodel_gov.audit import AuditReport

__all__ = ["register"]

DEMO_OUT = "openmodel-gov-demo"


def register(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """Add ``demo`` and ``audit``."""
    p = sub.add_parser(
        "demo",
        help="audit the example embedded in the package and write its report",
        description="Runs the end-to-end audit of the embedded example (a model card, a tiny "
        "dataset, its manifest and a release policy) and prints where the HTML report is.",
    )
    p.add_argument("--out", default=DEMO_OUT, help=f"report folder (default: ./{DEMO_OUT}/)")
    p.add_argument("--no-pii-scan", action="store_true", help="skip the live PII scan")
    add_output_options(p, top=False)
    p.set_defaults(func=_demo)

    p = sub.add_parser(
        "audit",
        help="audit a model card and its datasets; write report.html/md/json",
        description="Chains card validation, openness score and MOF class, license checks, "
        "manifest verification, a PII scan and the compliance matrix. With --policy, exits 1 "
        "naming every violated rule. A data folder given after a --manifest is the data of "
        "that manifest (default: the manifest's folder).",
    )
    p.add_argument("card", nargs="?", help="the model card (or give --config)")
    p.add_argument("--config", help="audit config file (YAML/JSON) listing the inputs")
    p.add_argument("--manifest", action="append", default=[], help="dataset manifest (repeat)")
    p.add_argument(
        "--data", action="append", default=[], help="data folder (repeat; paired in order)"
    )
    p.add_argument("--policy", help="policy file: thresholds the audit must meet")
    p.add_argument("--use", choices=("commercial", "research"), help="intended use to check")
    p.add_argument(
        "--base-license",
        action="append",
        default=[],
        metavar="MODEL=LICENSE",
        help="license of a base model, e.g. meta-llama/Llama-3.1-8B=hf:llama3.1 (repeat)",
    )
    p.add_argument("--out", help="report folder (required unless the config names one)")
    p.add_argument("--no-pii-scan", action="store_true", help="skip the live PII scan")
    p.add_argument(
        "--public-key",
        metavar="PATH",
        help="PEM public key: verify each manifest's signature (<manifest>.sig.json) with it",
    )
    p.add_argument(
        "--perspective",
        choices=("provider", "consumer"),
        default="provider",
        help="who the plan speaks to: the model's provider (default) or a consumer evaluating "
        "someone else's model ('ask the provider to ...')",
    )
    p.add_argument(
        "--fail-on",
        choices=("never", "amber", "red"),
        default="never",
        help="also exit 1 when the overall rating is at least this (default: only the policy)",
    )
    add_output_options(p, top=False)
    p.set_defaults(func=_audit)


def _steps(out: Output) -> Callable[[str], None] | None:
    """Step-by-step progress on stderr, on a terminal only (the PII scan can take a while)."""
    if out.quiet or out.json_mode or not out.stderr.isatty():
        return None

    def step(name: str) -> None:
        out.stderr.write(f"audit: {name}...\n")
        out.stderr.flush()

    return step


def _finish(report: AuditReport, out_dir: Path, out: Output, *, fail_on: str = "never") -> int:
    paths = report.write(out_dir)
    html_path = paths["html"].resolve()
    human = f"{report}\n\nHTML report: {html_path}\n(also {paths['markdown']} and {paths['json']})"
    data = {"report": report.to_dict(), "files": {k: str(v) for k, v in paths.items()}}
    out.result(human, data)
    if out.quiet and not out.json_mode and not report.passed and report.policy is not None:
        for v in report.policy.violations:
            out.stderr.write(f"policy violation: {v}\n")
    if not report.passed:
        return FINDING
    rank = {"never": 99, "amber": 2, "red": 3}[fail_on]
    order = {"grey": 0, "green": 1, "amber": 2, "red": 3}
    return FINDING if order[report.overall] >= rank else OK


def _demo(args: argparse.Namespace, out: Output) -> int:
    from openmodel_gov.audit import load_audit_config
    from openmodel_gov.audit._examples import EXAMPLE_CONFIG, example_dir

    config = load_audit_config(example_dir() / EXAMPLE_CONFIG)
    out.info(f"auditing the embedded example {config.card} (from {example_dir()})")
    report = config.run(pii_scan=not args.no_pii_scan, progress=_steps(out))
    return _finish(report, Path(args.out), out)


def _base_licenses(items: list[str]) -> dict[str, str]:
    from openmodel_gov.errors import InputError

    result: dict[str, str] = {}
    for item in items:
        model, sep, lic = item.partition("=")
        if not sep or not model.strip() or not lic.strip():
            raise InputError(f"expected MODEL=LICENSE, got {item!r}", field="--base-license")
        result[model.strip()] = lic.strip()
    return result


def _audit(args: argparse.Namespace, out: Output) -> int:
    from openmodel_gov.audit import AuditConfig, ManifestRef, load_audit_config
    from openmodel_gov.errors import InputError

    if args.config:
        config = load_audit_config(args.config)
        if args.card or args.manifest or args.data:
            raise InputError(
                "give either --config or CARD/--manifest/--data, not both", field="--config"
            )
        updates: dict[str, object] = {}
        if args.use:
            updates["use"] = args.use
        if args.base_license:
            updates["base_licenses"] = {**config.base_licenses, **_base_licenses(args.base_license)}
        if args.public_key:
            updates["public_key"] = str(Path(args.public_key).resolve())
        config = config.model_copy(update=updates)
    elif args.card:
        refs = [
            ManifestRef(manifest=m, data=args.data[i] if i < len(args.data) else None)
            for i, m in enumerate(args.manifest)
        ]
        config = AuditConfig(
            card=args.card,
            manifests=tuple(refs),
            data=tuple(args.data[len(args.manifest) :]),
            use=args.use,
            base_licenses=_base_licenses(args.base_license),
            public_key=args.public_key,
        )
    else:
        raise InputError("give a model card (or --config FILE)", field="CARD")
    out_dir = args.out or (str(config.path(config.out)) if config.out else None)
    if out_dir is None:
        raise InputError("give the report folder with --out DIR", field="--out")
    report = config.run(
        policy=args.policy,
        pii_scan=not args.no_pii_scan,
        progress=_steps(out),
        perspective=args.perspective,
    )
    return _finish(report, Path(out_dir), out, fail_on=args.fail_on)
