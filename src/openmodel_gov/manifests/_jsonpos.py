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


#: Offsets of the members of each object already walked: object offset -> key -> value offset.
Members = dict[int, dict[str, int]]


def _members(text: str, pos: int) -> dict[str, int]:
    """Offsets of the values of the object starting at ``pos``, by key (last one wins)."""
    pos = _skip(text, pos + 1)
    found: dict[str, int] = {}
    while pos < len(text) and text[pos] == '"':
        name, pos = scanstring(text, pos + 1)
        pos = _skip(text, pos)
        if text[pos] != ":":
            return found
        pos = _skip(text, pos + 1)
        found[name] = pos
        pos = _skip(text, _value_end(text, pos))
        if pos >= len(text) or text[pos] != ",":
            break
        pos = _skip(text, pos + 1)
    return found


def _find_member(text: str, pos: int, key: str, cache: Members | None = None) -> int | None:
    """Offset of the value of ``key`` in the object starting at ``pos`` (last one wins).

    With a ``cache`` each object is walked once however many of its keys are asked for (an
    error listing 50 unknown keys of a 60,000-key object walked it 50 times)."""
    if cache is None:
        return _members(text, pos).get(key)
    if pos not in cache:
        cache[pos] = _members(text, pos)
    return cache[pos].get(key)


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


def _offset(text: str, path: PathKey, cache: Members | None = None) -> int:
    """Offset of the deepest value along ``path`` that the text holds."""
    pos = _skip(text, 0)
    for part in path:
        if pos >= len(text):
            break
        opener = text[pos]
        nxt: int | None = None
        if opener == "{" and isinstance(part, str):
            nxt = _find_member(text, pos, part, cache)
        elif opener == "[" and isinstance(part, int):
            nxt = _find_item(text, pos, part)
        if nxt is None:
            break
        pos = nxt
    return pos


def line_of(text: str, path: PathKey, cache: Members | None = None) -> int | None:
    """1-based line of the value at ``path`` (or of its deepest ancestor found).

    >>> line_of('{\\n "a": [\\n  1,\\n  {"b": 2}\\n ]\\n}', ("a", 1, "b"))
    4
    >>> line_of('{"a": 1}', ("missing",))
    1
    >>> line_of("not json", ("a",)) is None
    True
    """
    try:
        pos = _offset(text, path, cache)
    except (ValueError, IndexError, RecursionError):
        return None
    if not text.strip():
        return None
    if pos == 0 and not text.lstrip().startswith(("{", "[")):
        return None
    return text.count("\n", 0, pos) + 1
