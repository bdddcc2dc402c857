"""Write front matter back as the author wrote it: comments, key order and string styles.

A card loaded from a README.md keeps the exact text of its front matter. Writing it back:

- unchanged metadata: the original front matter text, byte for byte;
- changed metadata: the original YAML re-read in ruamel.yaml's round-trip mode, the changed
  keys replaced, removed keys dropped and new keys appended, so comments, key order, quoting and
  folded/literal string styles of everything else survive.

Documented normalisations: a BOM and blank lines before the opening ``---`` are dropped (the
loader never sees them), and when the metadata changed, block sequences take one indentation
style throughout (ruamel.yaml writes one style per document; the style of the original's first
nested sequence is used).
"""

from __future__ import annotations

import io
import re
from collections.abc import Mapping
from typing import Any

__all__ = ["rewrite_front_matter"]

_SEQ_OFFSET = re.compile(
    r"^(?P<ind>[ \t]*)[^\s#-][^\n]*:[ \t]*\r?\n(?P=ind)(?P<off>[ \t]+)- ", re.M
)


def rewrite_front_matter(original: str, raw: Mapping[str, Any], out: Mapping[str, Any]) -> str:
    """The YAML of ``out`` written over ``original`` (parsed to ``raw``), keeping its form.

    Args:
        original: the front matter text as read (without the ``---`` fences).
        raw: what ``original`` parsed to.
        out: the metadata to write.

    Returns:
        YAML text ending with a newline.
    """
    from ruamel.yaml import YAML

    yaml = YAML(typ="rt")
    yaml.preserve_quotes = True
    yaml.width = 4096  # never re-flow long plain strings
    match = _SEQ_OFFSET.search(original)
    offset = len(match.group("off").expandtabs(2)) if match else 0
    yaml.indent(mapping=2, sequence=offset + 2, offset=offset)
    data = yaml.load(original)
    for key in [k for k in data if k not in out]:
        del data[key]
    for key, value in out.items():
        if key in raw and raw[key] == value:
            continue  # the node as written: comments and styles kept
        data[key] = value
    stream = io.StringIO()
    yaml.dump(data, stream)
    text = stream.getvalue()
    return text if text.endswith("\n") else text + "\n"
