"""JSON through the front door: the C decoder after a linear, bounded pre-scan (private).

See :mod:`openmodel_gov._core._parse` for the guarantees.
"""

from __future__ import annotations

import itertools
import json
import math
import re
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


_JSON_STRING: Final = re.compile(r'"(?:[^"\\]++|\\.)*+"', re.S)
_JSON_BRACKET: Final = re.compile(r"[\[\]{}]")
_DEPTH_STEP: Final = {"[": 1, "{": 1, "]": -1, "}": -1}


class _DuplicateJsonKeyError(Exception):
    def __init__(self, key: str) -> None:
        self.key = key


class _NonFiniteError(Exception):
    def __init__(self, text: str) -> None:
        self.text = text


def _reject_duplicates(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for key, value in pairs:
        if key in out:
            raise _DuplicateJsonKeyError(key)
        out[key] = value
    return out


def _reject_constant(name: str) -> Any:
    raise _NonFiniteError(name)


def _finite_float(text: str) -> float:
    number = float(text)
    if not math.isfinite(number):
        raise _NonFiniteError(text)
    return number


def _json_prescan(text: str, source: str | None, limits: Limits, line: int | None) -> None:
    """Bound nesting depth and string length before the C decoder runs (linear, in C).

    Only on a refusal does a (Python) scan find the line and column to report.
    """
    if text.count("[") + text.count("{") > limits.max_depth:
        outside = _JSON_STRING.sub("", text)
        steps = map(_DEPTH_STEP.__getitem__, _JSON_BRACKET.findall(outside))
        if max(itertools.accumulate(steps), default=0) > limits.max_depth:
            at_line, column = _location(text, _too_deep_at(text, limits.max_depth), line)
            raise InputTooLargeError(
                f"document nests deeper than {limits.max_depth} levels",
                source=source,
                line=at_line,
                column=column,
            )
    if len(text) > limits.max_scalar and max(map(len, text.split('"'))) > limits.max_scalar:
        at_line, column = _location(text, _long_run_at(text, limits.max_scalar), line)
        raise InputTooLargeError(
            f"a value is longer than {limits.max_scalar} characters",
            source=source,
            line=at_line,
            column=column,
        )


def _too_deep_at(text: str, max_depth: int) -> int:
    """Index of the first bracket nested deeper than ``max_depth`` (strings skipped)."""
    depth = 0
    in_string = escaped = False
    for index, char in enumerate(text):
        if in_string:
            if escaped:
                escaped = False
            elif char == "\\":
                escaped = True
            elif char == '"':
                in_string = False
        elif char == '"':
            in_string = True
        elif char in "[{":
            depth += 1
            if depth > max_depth:
                return index
        elif char in "]}":
            depth -= 1
    return 0  # pragma: no cover - called only when the pre-scan found one


def _long_run_at(text: str, max_scalar: int) -> int:
    """Index where the first run of more than ``max_scalar`` characters between quotes starts."""
    offset = 0
    for piece in text.split('"'):
        if len(piece) > max_scalar:
            return offset
        offset += len(piece) + 1
    return 0  # pragma: no cover - called only when the pre-scan found one


def _location(text: str, index: int, line: int | None) -> tuple[int, int]:
    found_line, column = _line_col(text, index)
    return found_line + ((line - 1) if line is not None else 0), column


def _line_col(text: str, index: int) -> tuple[int, int]:
    return text.count("\n", 0, index) + 1, index - (text.rfind("\n", 0, index) + 1) + 1


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
        return json.loads(
            text,
            object_pairs_hook=_reject_duplicates,
            parse_constant=_reject_constant,
            parse_float=_finite_float,
        )
    except json.JSONDecodeError as exc:
        raise ParseError(
            f"invalid JSON: {exc.msg}", source=source, line=exc.lineno + at, column=exc.colno
        ) from None
    except _DuplicateJsonKeyError as exc:
        needle = json.dumps(exc.key)
        second = text.find(needle, text.find(needle) + 1)
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

    return LoadedDocument(data=data, source=source, positions=lazy_positions(positions))
