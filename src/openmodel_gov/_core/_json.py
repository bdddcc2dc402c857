"""JSON through the front door: the C decoder after a linear, bounded pre-scan (private).

See :mod:`openmodel_gov._core._parse` for the guarantees. The pre-scan tokenizes strings
exactly (a quote inside a string is one escaped with a backslash) and bounds, before the
decoder runs:

- the length of every string literal (keys included), counted as written between its quotes;
- the nesting depth of ``[``/``{`` outside strings.

Numbers are bounded as they are decoded: a float literal longer than ``max_scalar`` is
refused by the float hook, and an integer of more than 4,300 digits by Python's own bound
(kept even where an application lifted it). Anything else outside strings is not JSON and
stops the decoder where it stands. All of it is linear in the text and runs in C: splitting,
counting and translating, with one Python step per token only to locate a refusal.
"""

from __future__ import annotations

import itertools
import json
import math
import re
import sys
from collections import Counter
from collections.abc import Callable
from functools import lru_cache
from typing import Any, Final

from openmodel_gov._core._document import (
    JSON_LIMITS,
    Limits,
    LoadedDocument,
    PathKey,
    check_chars,
    json_path,
    lazy_positions,
)
from openmodel_gov._core._yaml import run_yaml
from openmodel_gov.errors import InputTooLargeError, ParseError

__all__ = ["load_json_document", "load_json_value"]

#: One string literal, exactly: its content is group 1. An unterminated string runs to the end
#: of the text (so the pattern matches at every quote it starts at: one pass, no rescans).
_STRING: Final = re.compile(r'"((?:[^"\\]++|\\.)*+\\?)(?:"|\Z)', re.S)
#: A string literal or a bracket outside strings: the tokens a refusal is located by.
_TOKEN: Final = re.compile(r'"(?:[^"\\]++|\\.)*+\\?(?:"|\Z)|[\[\]{}]', re.S)
#: Deletes everything but brackets (and, in the second table, quotes) from UTF-8 bytes.
_ONLY_BRACKETS: Final = bytes(b for b in range(256) if b not in b"[]{}")
_ONLY_BRACKETS_QUOTES: Final = bytes(b for b in range(256) if b not in b'[]{}"')
_DEPTH_STEP: Final = {ord("["): 1, ord("{"): 1, ord("]"): -1, ord("}"): -1}
#: Leaf-removal rounds tried before the exact depth count (real documents are shallow).
_ROUNDS: Final = 16
#: Python's default bound on the digits of an int read from text (``sys.int_info``).
_INT_DIGITS: Final = 4300


@lru_cache(maxsize=8)
def _long_string(max_scalar: int) -> re.Pattern[str]:
    """Matches (anchored) a text whose quotes all delimit strings iff a string is too long.

    Possessive throughout, so one pass: strings of at most ``max_scalar`` characters are
    skipped whole; the first longer one ends the loop and is matched.
    """
    n = max_scalar
    return re.compile(f'(?:[^"]*+"[^"]{{0,{n}}}+")*+[^"]*+"[^"]{{{n + 1}}}')


def _encode(text: str) -> bytes:
    return text.encode("utf-8", "surrogatepass")


def _too_deep(brackets: bytes, max_depth: int) -> bool:
    """Whether the bracket sequence nests deeper than ``max_depth`` (linear).

    Each round removes every innermost pair (``[]``, ``{}``), which lowers the depth by one:
    a sequence that empties within ``_ROUNDS`` rounds is that deep. Unbalanced or deeper
    sequences get the exact running count.
    """
    left = brackets
    for depth in range(min(_ROUNDS, max_depth) + 1):
        if not left:
            return False
        if depth == max_depth:
            break
        marked = left.replace(b"[]", b"\x00").replace(b"{}", b"\x00")
        if len(marked) == len(left):
            break
        left = marked.replace(b"\x00", b"")
    steps = map(_DEPTH_STEP.__getitem__, brackets)
    return max(itertools.accumulate(steps), default=0) > max_depth


def _brackets_fast(text: str, max_depth: int) -> bytes | None:
    """The brackets outside strings of a text with no escaped quote, if more than ``max_depth``.

    Only brackets and quotes are kept (a C ``translate``); each string with no bracket inside
    is then an adjacent pair of quotes, and removing those pairs leaves no quote exactly when
    every string was such. ``None`` when too few brackets to matter; ``b'"'`` (a quote left)
    when a string holds brackets: take the exact tokenizer.
    """
    reduced = _encode(text).translate(None, _ONLY_BRACKETS_QUOTES)
    if len(reduced) - reduced.count(b'"') <= max_depth:
        return None
    outside = reduced.replace(b'""', b"")
    return b'"' if b'"' in outside else outside


def _json_prescan(text: str, source: str | None, limits: Limits, line: int | None) -> None:
    """Bound string length and nesting depth before the C decoder runs (linear, in C).

    Without an escaped quote (the common case: a backslash-free text is checked in
    microseconds) every quote delimits a string, and the checks run on the text as it is;
    otherwise it is split into strings and the rest by the exact tokenizer. Only on a refusal
    does a (Python) scan find the line and column to report.
    """
    long_text = len(text) > limits.max_scalar
    deep_text = len(text) > limits.max_depth
    if "\\" in text and '\\"' in text:
        pieces = _STRING.split(text) if (long_text or deep_text) else []
        if long_text and max(map(len, pieces[1::2]), default=0) > limits.max_scalar:
            _refuse_long(text, source, limits, line)
        brackets = _encode("".join(pieces[0::2])).translate(None, _ONLY_BRACKETS)
    else:
        if long_text and _long_string(limits.max_scalar).match(text) is not None:
            _refuse_long(text, source, limits, line)
        found = _brackets_fast(text, limits.max_depth) if deep_text else None
        if found == b'"':  # a bracket inside a string: the exact tokenizer
            found = _encode("".join(_STRING.split(text)[0::2])).translate(None, _ONLY_BRACKETS)
        brackets = found or b""
    if len(brackets) > limits.max_depth and _too_deep(brackets, limits.max_depth):
        _refuse_deep(text, source, limits, line)


def _refuse_long(text: str, source: str | None, limits: Limits, line: int | None) -> None:
    for match in _STRING.finditer(text):
        if len(match.group(1)) > limits.max_scalar:
            at_line, column = _location(text, match.start(1), line)
            raise InputTooLargeError(
                f"a value is longer than {limits.max_scalar} characters",
                source=source,
                line=at_line,
                column=column,
            )
    raise AssertionError("unreachable: the pre-scan found a long string")  # pragma: no cover


def _refuse_deep(text: str, source: str | None, limits: Limits, line: int | None) -> None:
    depth = 0
    for match in _TOKEN.finditer(text):
        char = text[match.start()]
        if char in "[{":
            depth += 1
            if depth > limits.max_depth:
                at_line, column = _location(text, match.start(), line)
                raise InputTooLargeError(
                    f"document nests deeper than {limits.max_depth} levels",
                    source=source,
                    line=at_line,
                    column=column,
                )
        elif char in "]}":
            depth -= 1
    raise AssertionError("unreachable: the pre-scan found deep nesting")  # pragma: no cover


def _location(text: str, index: int, line: int | None) -> tuple[int, int]:
    found_line, column = _line_col(text, index)
    return found_line + ((line - 1) if line is not None else 0), column


def _line_col(text: str, index: int) -> tuple[int, int]:
    return text.count("\n", 0, index) + 1, index - (text.rfind("\n", 0, index) + 1) + 1


def _second_occurrence(text: str, key: str) -> int:
    """Index of the second time ``key`` is written as a JSON string (raw or escaped), or -1."""
    for needle in dict.fromkeys((json.dumps(key, ensure_ascii=False), json.dumps(key))):
        first = text.find(needle)
        second = text.find(needle, first + 1) if first >= 0 else -1
        if second >= 0:
            return second
    return -1


class _DuplicateJsonKeyError(Exception):
    def __init__(self, key: str) -> None:
        self.key = key


class _NonFiniteError(Exception):
    def __init__(self, text: str) -> None:
        self.text = text


class _LongNumberError(Exception):
    def __init__(self, text: str, bound: int) -> None:
        self.text = text
        self.bound = bound


def _reject_duplicates(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    out = dict(pairs)
    if len(out) != len(pairs):  # a key came twice: name the first one that did
        counts = Counter(key for key, _ in pairs)
        raise _DuplicateJsonKeyError(next(key for key, n in counts.items() if n > 1))
    return out


def _reject_constant(name: str) -> Any:
    raise _NonFiniteError(name)


def _float_reader(max_scalar: int) -> Callable[[str], float]:
    def read(text: str) -> float:
        if len(text) > max_scalar:
            raise _LongNumberError(text, max_scalar)
        number = float(text)
        if not math.isfinite(number):
            raise _NonFiniteError(text)
        return number

    return read


def _bounded_int(text: str) -> int:
    if len(text.lstrip("-")) > _INT_DIGITS:
        raise _LongNumberError(text, _INT_DIGITS)
    return int(text)


def _int_reader() -> Callable[[str], int] | None:
    """``None`` (the decoder's own, fast) unless the application lifted Python's digit bound."""
    limit = getattr(sys, "get_int_max_str_digits", lambda: _INT_DIGITS)()
    return _bounded_int if limit == 0 or limit > _INT_DIGITS else None


@lru_cache(maxsize=8)
def _decoder(max_scalar: int, bounded_ints: bool) -> json.JSONDecoder:
    """One strict decoder per bound (``json.loads`` with hooks builds one per call: for JSON
    lines that was a third of the time per record)."""
    return json.JSONDecoder(
        object_pairs_hook=_reject_duplicates,
        parse_constant=_reject_constant,
        parse_float=_float_reader(max_scalar),
        parse_int=_bounded_int if bounded_ints else None,
    )


def _decode(text: str, limits: Limits) -> Any:
    if text.startswith("\ufeff"):  # as json.loads
        raise json.JSONDecodeError("Unexpected UTF-8 BOM (decode using utf-8-sig)", text, 0)
    return _decoder(limits.max_scalar, _int_reader() is not None).decode(text)


def load_json_value(
    text: str, *, source: str | None, line: int | None = None, limits: Limits = JSON_LIMITS
) -> Any:
    """Decode one JSON value strictly and within ``limits`` (no positions kept).

    The front door for JSON lines: ``line`` (1-based, in the file) goes into errors.

    >>> load_json_value('{"a": [1, 2.5]}', source="x.jsonl", line=3)
    {'a': [1, 2.5]}
    >>> load_json_value('{"a": 1e999}', source="x.jsonl", line=3)
    Traceback (most recent call last):
    ...
    openmodel_gov.errors.ParseError: x.jsonl:3: non-finite number '1e999' is not allowed ...
    """
    check_chars(text, source, limits)
    _json_prescan(text, source, limits, line)
    at = (line - 1) if line is not None else 0
    try:
        return _decode(text, limits)
    except json.JSONDecodeError as exc:
        raise ParseError(
            f"invalid JSON: {exc.msg}", source=source, line=exc.lineno + at, column=exc.colno
        ) from None
    except _DuplicateJsonKeyError as exc:
        second = _second_occurrence(text, exc.key)
        raise ParseError(
            f"duplicate key {exc.key!r}",
            source=source,
            line=(_line_col(text, second)[0] + at) if second >= 0 else line,
            field=json_path((exc.key,)),
            hint="remove one of the two entries",
        ) from None
    except _NonFiniteError as exc:
        where = text.find(exc.text)
        raise ParseError(
            f"non-finite number {exc.text!r} is not allowed",
            source=source,
            line=(_line_col(text, where)[0] + at) if where >= 0 else line,
            hint="JSON has no Infinity or NaN; write null or a string",
        ) from None
    except _LongNumberError as exc:
        where = text.find(exc.text)
        raise InputTooLargeError(
            f"a number is longer than {exc.bound} characters",
            source=source,
            line=(_line_col(text, where)[0] + at) if where >= 0 else line,
        ) from None
    except RecursionError:  # pragma: no cover - the pre-scan bounds depth first
        raise InputTooLargeError("JSON nests too deeply", source=source, line=line) from None
    except ValueError as exc:  # e.g. an integer with more digits than Python converts
        raise ParseError(f"invalid JSON: {exc}", source=source, line=line) from None


def load_json_document(
    text: str, *, source: str | None, limits: Limits = JSON_LIMITS
) -> LoadedDocument:
    """Parse a JSON document strictly (no duplicate keys, no NaN/Infinity), within ``limits``.

    >>> load_json_document('{"a": [1, {"b": true}]}', source="c.json").data
    {'a': [1, {'b': True}]}
    >>> load_json_document('{"a": 1, "a": 2}', source="c.json")
    Traceback (most recent call last):
    ...
    openmodel_gov.errors.ParseError: c.json:1: $.a: duplicate key ...
    """
    data = load_json_value(text, source=source, limits=limits)

    def positions() -> dict[PathKey, tuple[int, int]]:
        # JSON is (nearly) a subset of YAML: the bounded YAML builder records positions.
        found: dict[PathKey, tuple[int, int]] = {}
        relaxed = Limits(
            max_chars=limits.max_chars,
            max_depth=limits.max_depth,
            max_nodes=max(limits.max_nodes, len(text)),
            max_scalar=limits.max_scalar,
        )
        run_yaml(
            text.encode("utf-8"), source=source, line_offset=0, limits=relaxed, positions=found
        )
        return found

    start = len(text) - len(text.lstrip(" \t\n\r"))  # JSON whitespace: the root starts here
    root: dict[PathKey, tuple[int, int]] = {(): _line_col(text, start)}
    return LoadedDocument(data=data, source=source, positions=lazy_positions(positions, root))
