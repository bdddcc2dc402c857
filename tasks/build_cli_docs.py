"""Write the "Every command" section of ``docs/cli.md`` from the argument parser.

The section between ``<!-- cli-commands -->`` and ``<!-- /cli-commands -->`` holds the
``--help`` of every ``openmodel-gov`` command (100 columns), so the page reads complete in the
repository, not only on the built site; ``tests/test_docs.py`` fails when it is stale.

Usage: ``python tasks/build_cli_docs.py`` (rewrite) or ``python tasks/build_cli_docs.py --check``.
"""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PAGE = ROOT / "docs" / "cli.md"
START, END = "<!-- cli-commands -->", "<!-- /cli-commands -->"


def _walk(parser: argparse.ArgumentParser, path: list[str]) -> list[tuple[str, str]]:
    found = [(" ".join(path), parser.format_help())]
    for action in parser._actions:
        if isinstance(action, argparse._SubParsersAction):
            for name, sub in action.choices.items():
                found.extend(_walk(sub, [*path, name]))
    return found


def render() -> str:
    """Markdown: one section per command with its ``--help``."""
    sys.path.insert(0, str(ROOT / "src"))
    from openmodel_gov._cli import build_parser

    old = os.environ.get("COLUMNS")
    os.environ["COLUMNS"] = "100"
    try:
        commands = _walk(build_parser(), ["openmodel-gov"])
    finally:
        if old is None:
            os.environ.pop("COLUMNS", None)
        else:
            os.environ["COLUMNS"] = old
    parts = [f"### `{name}`\n\n```text\n{text.rstrip()}\n```\n" for name, text in commands[1:]]
    return "\n".join(parts)


def updated(page: str) -> str:
    """``page`` with the generated section replaced."""
    if START not in page or END not in page:
        raise SystemExit(f"{PAGE}: markers {START} ... {END} not found")
    head, rest = page.split(START, 1)
    _old, tail = rest.split(END, 1)
    return f"{head}{START}\n\n{render()}\n{END}{tail}"


def main(argv: list[str]) -> int:
    page = PAGE.read_text(encoding="utf-8")
    new = updated(page)
    if "--check" in argv:
        if new != page:
            print(f"{PAGE} is stale: run python tasks/build_cli_docs.py", file=sys.stderr)
            return 1
        return 0
    if new != page:
        PAGE.write_text(new, encoding="utf-8")
        print(f"wrote {PAGE}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
