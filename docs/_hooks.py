"""MkDocs hook: fill generated content in at build time, so the docs cannot drift from the code.

- ``<!-- schema: NAME -->``: the JSON Schema NAME (model-card, dataset-manifest, rule-pack,
  audit-policy), from the function that produces it;
- ``<!-- cli-help -->``: the ``--help`` of every ``openmodel-gov`` command.
"""

from __future__ import annotations

import argparse
import json
import os
import re
from collections.abc import Callable
from typing import Any

_MARKER = re.compile(r"<!--\s*schema:\s*([a-z-]+)\s*-->")


def _schemas() -> dict[str, Callable[[], dict[str, Any]]]:
    from openmodel_gov.audit import policy_json_schema
    from openmodel_gov.cards import card_json_schema
    from openmodel_gov.compliance import rule_pack_json_schema
    from openmodel_gov.manifests import manifest_json_schema

    return {
        "model-card": card_json_schema,
        "dataset-manifest": manifest_json_schema,
        "rule-pack": rule_pack_json_schema,
        "audit-policy": policy_json_schema,
    }


def _walk(parser: argparse.ArgumentParser, path: list[str]) -> list[tuple[str, str]]:
    found = [(" ".join(path), parser.format_help())]
    for action in parser._actions:
        if isinstance(action, argparse._SubParsersAction):
            for name, sub in action.choices.items():
                found.extend(_walk(sub, [*path, name]))
    return found


def cli_help() -> str:
    """Markdown: one section per command with its ``--help`` (100 columns wide)."""
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
    parts = []
    for name, text in commands[1:]:
        parts.append(f"### `{name}`\n\n```text\n{text.rstrip()}\n```\n")
    return "\n".join(parts)


def on_page_markdown(markdown: str, **_kwargs: Any) -> str:
    """Fill the markers in (an unknown schema name fails the build)."""
    if "<!-- cli-help -->" in markdown:
        markdown = markdown.replace("<!-- cli-help -->", cli_help())
    if "<!-- schema:" not in markdown:
        return markdown
    schemas = _schemas()

    def render(match: re.Match[str]) -> str:
        name = match.group(1)
        if name not in schemas:
            raise ValueError(f"unknown schema marker {name!r}; known: {sorted(schemas)}")
        body = json.dumps(schemas[name](), indent=2, ensure_ascii=False)
        return f"```json\n{body}\n```"

    return _MARKER.sub(render, markdown)
