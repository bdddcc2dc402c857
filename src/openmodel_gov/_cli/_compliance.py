"""``openmodel-gov compliance build``: datasets x regulation x risk x mitigations."""

from __future__ import annotations

import argparse

from openmodel_gov._cli._common import FINDING, OK, Output, add_output_options

__all__ = ["register"]

_RISKS = ("Low", "Medium", "High", "Critical")


def register(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """Add the ``compliance`` command group."""
    comp = sub.add_parser("compliance", help="compliance matrices from dataset manifests")
    group = comp.add_subparsers(dest="compliance_command", metavar="ACTION", required=True)
    p = group.add_parser(
        "build",
        help="build the compliance matrix of the datasets in one or more manifests",
        description="Rows: dataset, jurisdiction, regulations, risk level, mitigations, with "
        "the citations of every rule that applies, and the open questions (rules that need "
        "an unknown fact). Risk comes from decided rules unless --worst-case. Exit 1 when "
        "--fail-at is given and the overall risk reaches it.",
    )
    p.add_argument("manifests", nargs="+", help="dataset manifest files")
    p.add_argument("--rules", action="append", default=[], help="extra rule pack file (repeat)")
    p.add_argument(
        "--context",
        action="append",
        default=[],
        metavar="KEY=VALUE",
        help="the use: use=commercial|research, gpai_eu_market=yes, training_flop=1e24, "
        "directed_to_children=no, hipaa_covered_entity=no (repeat)",
    )
    p.add_argument(
        "--format",
        choices=("markdown", "csv", "html", "json"),
        default="markdown",
        help="output format (default: markdown)",
    )
    p.add_argument("-o", "--output", help="write here (atomically) instead of stdout")
    p.add_argument(
        "--fail-at", choices=_RISKS, help="exit 1 when the overall risk is this or higher"
    )
    p.add_argument(
        "--worst-case",
        action="store_true",
        help="count open questions as if every answer were yes (the conservative view)",
    )
    p.add_argument(
        "--model-rules",
        action="store_true",
        help="evaluate model-level rules (EU AI Act GPAI) even without model context",
    )
    add_output_options(p, top=False)
    p.set_defaults(func=_build)


def _build(args: argparse.Namespace, out: Output) -> int:
    from openmodel_gov._cli._facts import parse_pairs
    from openmodel_gov._core._io import atomic_write_text
    from openmodel_gov.compliance import build_compliance_matrix, builtin_rule_packs, load_rule_pack
    from openmodel_gov.manifests import load_manifest

    datasets = [d for path in args.manifests for d in load_manifest(path).datasets]
    rules = None
    if args.rules:
        rules = [*builtin_rule_packs(), *(load_rule_pack(p) for p in args.rules)]
    context = parse_pairs(args.context, option="--context")
    matrix = build_compliance_matrix(
        datasets,
        rules=rules,
        context=context,
        worst_case=args.worst_case,
        model_rules=True if args.model_rules else None,
    )
    render = {
        "markdown": matrix.to_markdown,
        "csv": matrix.to_csv,
        "html": matrix.to_html,
        "json": matrix.to_json,
    }[args.format]
    text = render()
    if args.output:
        atomic_write_text(args.output, text)
        out.result(
            f"wrote {args.output} (overall risk {matrix.overall_risk})",
            {"output": args.output, "overall_risk": matrix.overall_risk},
        )
    else:
        out.result(text, matrix.to_dict())
    risk = str(matrix.overall_risk)
    if args.fail_at and _RISKS.index(risk) >= _RISKS.index(args.fail_at):
        return FINDING
    return OK
