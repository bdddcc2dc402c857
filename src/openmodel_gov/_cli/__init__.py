"""The ``openmodel-gov`` command line (also ``python -m openmodel_gov``).

A thin layer: each subcommand parses its arguments, calls one public function of a primitive
and prints the result (tables by default, ``--json`` for machines, ``--quiet`` for nothing but
errors). Exit codes: 0 ok, 1 a finding or a policy violation, 2 bad usage or bad input.

>>> main(["--version"])  # doctest: +ELLIPSIS
openmodel-gov ...
0
"""

from __future__ import annotations

import argparse
import sys
import traceback
from collections.abc import Sequence

from openmodel_gov._cli._common import (
    OK,
    USAGE,
    Handler,
    Output,
    add_output_options,
    describe_error,
)

__all__ = ["build_parser", "main"]

PROG = "openmodel-gov"


def build_parser() -> argparse.ArgumentParser:
    """The argument parser with every subcommand registered."""
    from openmodel_gov._cli import (
        _audit,
        _card,
        _compliance,
        _export,
        _licenses,
        _manifest,
        _openness,
        _pii,
    )
    from openmodel_gov._version import __version__

    parser = argparse.ArgumentParser(
        prog=PROG,
        description="Governance primitives for open-source AI models: model cards, openness "
        "scores, license verdicts, dataset manifests, PII scans, compliance matrices and "
        "end-to-end audits.",
        epilog="Exit codes: 0 ok, 1 a finding or policy violation, 2 bad usage or bad input.",
    )
    parser.add_argument("--version", action="store_true", help="print the version and exit")
    add_output_options(parser, top=True)
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")
    for module in (_audit, _card, _openness, _licenses, _manifest, _pii, _compliance, _export):
        module.register(sub)
    _register_completion(sub)
    parser.set_defaults(func=None, _version=__version__)
    return parser


def _register_completion(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    p = sub.add_parser(
        "completion",
        help="print a shell completion script (extra [completion])",
        description="Print a completion script for bash, zsh or tcsh, e.g. "
        "'openmodel-gov completion bash > ~/.local/share/bash-completion/completions/openmodel-gov'.",
    )
    p.add_argument("shell", choices=("bash", "zsh", "tcsh"))
    add_output_options(p, top=False)
    p.set_defaults(func=_completion)


def _completion(args: argparse.Namespace, out: Output) -> int:
    from openmodel_gov._core._deps import require

    shtab = require("shtab", extra="completion", feature="openmodel-gov completion")
    script: str = shtab.complete(build_parser(), shell=args.shell)
    out.result(script, {"shell": args.shell, "script": script})
    return OK


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line; returns the exit code (the console script exits with it).

    Args:
        argv: arguments without the program name (default: ``sys.argv[1:]``).

    Returns:
        0 ok, 1 a finding or policy violation, 2 bad usage or bad input.
    """
    parser = build_parser()
    try:
        args = parser.parse_args(argv)
    except SystemExit as exc:  # argparse: --help (0) or a usage error (2)
        return exc.code if isinstance(exc.code, int) else USAGE
    out = Output(json_mode=args.json, quiet=args.quiet, debug=args.debug)
    if args.version:
        out.result(f"{PROG} {args._version}", {"version": args._version})
        return OK
    func: Handler | None = args.func
    if func is None:
        parser.print_help(sys.stderr)
        return USAGE
    try:
        return func(args, out)
    except KeyboardInterrupt:
        out.error("interrupted")
        return 130
    except Exception as exc:  # one line, no traceback unless --debug (see describe_error)
        if args.debug:
            traceback.print_exc()
        message, code = describe_error(exc)
        out.error(message)
        return code
