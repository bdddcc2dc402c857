"""MkDocs hook: fill generated content in at build time, so the docs cannot drift from the code.

- ``<!-- schema: NAME -->``: the JSON Schema NAME (model-card, dataset-manifest, rule-pack,
  audit-policy), from the function that produces it;
- ``<!-- cli-help -->``: the ``--help`` of every ``openmodel-gov`` command;
- per-primitive pages written after ``mkdocs.yml`` (``pii.md``, ``compliance.md``) join the
  "Primitives" section of the nav as soon as they exist.
"""

from __future__ import annotations

import argparse
import json
import os
import re
from collections.abc import Callable
from pathlib import Path
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


#: Primitive pages that join the nav when they exist (file -> title), in nav order.
LATE_PAGES = {"pii.md": "PII detection and redaction", "compliance.md": "Compliance matrices"}


def _listed(node: object) -> set[str]:
    if isinstance(node, str):
        return {node}
    if isinstance(node, list):
        return {f for item in node for f in _listed(item)}
    if isinstance(node, dict):
        return {f for value in node.values() for f in _listed(value)}
    return set()


def on_config(config: Any, **_kwargs: Any) -> Any:
    """Add the existing :data:`LATE_PAGES` that the nav does not list yet to "Primitives"."""
    nav = config["nav"]
    docs_dir = Path(config["docs_dir"])
    missing = [
        (page, title)
        for page, title in LATE_PAGES.items()
        if (docs_dir / page).is_file() and page not in _listed(nav)
    ]
    for item in nav:
        if isinstance(item, dict) and "Primitives" in item:
            for page, title in missing:
                item["Primitives"].insert(-1, {title: page})  # before "End-to-end audit"
    return config


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
