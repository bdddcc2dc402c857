"""Lines of values in JSON text, found on demand (the error path only).

Loading a manifest parses JSON once, in C, without positions. Only when something is wrong
does the loader need a line number; :func:`line_of` then walks the text down the one key path
it needs, skipping every other value with the C decoder (``raw_decode``), so finding the line
of entry 900,000 of a large manifest costs about one more parse, never a Python step per
character and never the YAML composer.
"""

from __future__ import annotations

import json
import re
from json.decoder import scanstring  # type: ignore[attr-defined]

from openmodel_gov._core._io import PathKey

__all__ = ["line_of"]

_WS = re.compile(r"[ \t\n\r]*")
_DECODER = json.JSONDecoder()


def _skip(text: str, pos: int) -> int:
    match = _WS.match(text, pos)
    return match.end() if match else pos


def _value_end(text: str, pos: int) -> int:
    return _DECODER.raw_decode(text, pos)[1]


def _find_member(text: str, pos: int, key: str) -> int | None:
    """Offset of the value of ``key`` in the object starting at ``pos`` (last one wins)."""
    pos = _skip(text, pos + 1)
    found = None
    while pos < len(text) and text[pos] == '"':
        name, pos = scanstring(text, pos + 1)
        pos = _skip(text, pos)
        if text[pos] != ":":
            return found
        pos = _skip(text, pos + 1)
        if name == key:
            found = pos
        pos = _skip(text, _value_end(text, pos))
        if pos >= len(text) or text[pos] != ",":
            break
        pos = _skip(text, pos + 1)
    return found


def _find_item(text: str, pos: int, index: int) -> int | None:
    """Offset of item ``index`` of the array starting at ``pos``."""
    pos = _skip(text, pos + 1)
    for _ in range(index):
        if pos >= len(text) or text[pos] == "]":
            return None
        pos = _skip(text, _value_end(text, pos))
        if pos >= len(text) or text[pos] != ",":
            return None
        pos = _skip(text, pos + 1)
    return pos if pos < len(text) and text[pos] != "]" else None


def _offset(text: str, path: PathKey) -> int:
    """Offset of the deepest value along ``path`` that the text holds."""
    pos = _skip(text, 0)
    for part in path:
        if pos >= len(text):
            break
        opener = text[pos]
        nxt: int | None = None
        if opener == "{" and isinstance(part, str):
            nxt = _find_member(text, pos, part)
        elif opener == "[" and isinstance(part, int):
            nxt = _find_item(text, pos, part)
        if nxt is None:
            break
        pos = nxt
    return pos


def line_of(text: str, path: PathKey) -> int | None:
    """1-based line of the value at ``path`` (or of its deepest ancestor found).

    >>> line_of('{\\n "a": [\\n  1,\\n  {"b": 2}\\n ]\\n}', ("a", 1, "b"))
    4
    >>> line_of('{"a": 1}', ("missing",))
    1
    >>> line_of("not json", ("a",)) is None
    True
    """
    try:
        pos = _offset(text, path)
    except (ValueError, IndexError, RecursionError):
        return None
    if not text.strip():
        return None
    if pos == 0 and not text.lstrip().startswith(("{", "[")):
        return None
    return text.count("\n", 0, pos) + 1
