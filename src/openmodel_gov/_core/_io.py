"""Safe, bounded reading and atomic writing shared by every loader.

Everything that reads user files goes through here, so that every primitive gets the same
guarantees: a size bound, strict UTF-8 with the line of a bad byte, YAML without duplicate keys
or alias bombs, a map from JSON path to source line, and atomic writes (temp file + rename).
"""

from __future__ import annotations

import contextlib
import json
import math
import os
import re
import tempfile
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import yaml

from openmodel_gov._core._document import check_plain_data
from openmodel_gov._core._parse import (
    DEFAULT_MAX_BYTES,
    JSON_LIMITS,
    YAML_LIMITS,
    Limits,
    LoadedDocument,
    PathKey,
    json_path,
    load_json_document,
    load_json_value,
    load_yaml_document,
)
from openmodel_gov.errors import FileAccessError, InputError, InputTooLargeError, ParseError

__all__ = [
    "DEFAULT_MAX_BYTES",
    "JSON_LIMITS",
    "MAX_REPORTED_ISSUES",
    "YAML_LIMITS",
    "Limits",
    "LoadedDocument",
    "PathKey",
    "atomic_write_bytes",
    "atomic_write_text",
    "check_plain_data",
    "decode_utf8",
    "dump_json",
    "dump_yaml",
    "json_path",
    "json_safe",
    "load_json_document",
    "load_json_value",
    "load_yaml_document",
    "read_bytes",
    "read_document",
]


#: Validation problems an error lists one by one (each with its line); the rest are counted.
#: A hostile mapping of 100,000 unknown keys is 100,000 pydantic errors: locating each one
#: in the text would cost time quadratic in the input.
MAX_REPORTED_ISSUES = 50


def read_bytes(path: str | os.PathLike[str], *, max_bytes: int = DEFAULT_MAX_BYTES) -> bytes:
    """Read a whole file, refusing anything larger than ``max_bytes``.

    Raises:
        InputError: ``path`` is not a ``str`` or ``os.PathLike``.
        FileAccessError: missing, a directory, or unreadable.
        InputTooLargeError: larger than ``max_bytes``.
    """
    untyped: object = path  # callers without type checking may pass anything
    if not isinstance(untyped, (str, os.PathLike)) or isinstance(os.fspath(untyped), bytes):
        raise InputError(
            f"expected a file path (str or os.PathLike), got {type(untyped).__name__}",
            field="path",
        )
    p = Path(path)
    if "\x00" in os.fspath(untyped):  # open() raises ValueError for it
        raise FileAccessError("a path cannot contain a NUL character", source=repr(str(p)))
    try:
        with p.open("rb") as fh:
            data = fh.read(max_bytes + 1)
    except FileNotFoundError:
        raise FileAccessError("no such file", source=str(p)) from None
    except IsADirectoryError:
        raise FileAccessError("is a directory, expected a file", source=str(p)) from None
    except OSError as exc:
        raise FileAccessError(exc.strerror or str(exc), source=str(p)) from None
    if len(data) > max_bytes:
        raise InputTooLargeError(
            f"file is larger than the {max_bytes}-byte bound",
            source=str(p),
            hint="pass a larger max_bytes if the file is trusted",
        )
    return data


def decode_utf8(data: bytes, *, source: str | None) -> str:
    """Decode strict UTF-8 (a leading BOM is dropped), naming the line of a bad byte.

    >>> decode_utf8(b"a\\nb\\xff", source="x.md")
    Traceback (most recent call last):
    ...
    openmodel_gov.errors.ParseError: x.md:2:2: not valid UTF-8: byte 0xff ... (hint: save the file as UTF-8)
    """
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        before = data[: exc.start]
        line = before.count(b"\n") + 1
        column = exc.start - (before.rfind(b"\n") + 1) + 1
        raise ParseError(
            f"not valid UTF-8: byte 0x{data[exc.start]:02x} at offset {exc.start}",
            source=source,
            line=line,
            column=column,
            hint="save the file as UTF-8",
        ) from None
    return text.removeprefix("\ufeff")


class _Dumper(yaml.SafeDumper):
    """SafeDumper with readable block style and no anchors."""

    def ignore_aliases(self, data: Any) -> bool:
        return True


_UNSAFE_PLAIN = re.compile(
    "[\x00-\x08\x0b-\x1f\x7f-\x9f\u2028\u2029\ufeff\ud800-\udfff\ufffe\uffff]"
)


def _str_representer(dumper: yaml.SafeDumper, data: str) -> yaml.ScalarNode:
    """Block style for multi-line text; double quotes whenever a character could be
    normalized by a YAML reader (NEL, line/paragraph separators, controls, BOM)."""
    if _UNSAFE_PLAIN.search(data):
        style: str | None = '"'
    elif "\n" in data and data == data.strip(" ") and "\r" not in data:
        style = "|"
    else:
        style = None
    return dumper.represent_scalar("tag:yaml.org,2002:str", data, style=style)


_Dumper.add_representer(str, _str_representer)


def dump_yaml(data: Any) -> str:
    """Dump plain data as block YAML, keeping key order and unicode.

    >>> print(dump_yaml({"b": 1, "a": ["x", "multi\\nline"]}), end="")
    b: 1
    a:
    - x
    - |-
      multi
      line
    """
    return yaml.dump(
        data,
        Dumper=_Dumper,
        sort_keys=False,
        allow_unicode=True,
        width=100,
        default_flow_style=False,
    )


def json_safe(data: Any) -> Any:
    """``data`` with every non-finite float replaced by a string (the documented JSON rule).

    JSON has no Infinity or NaN. The loaders refuse them, so loaded data never holds one; data
    built in Python may, and the CLI's ``--json`` writes them as the strings ``"Infinity"``,
    ``"-Infinity"`` and ``"NaN"`` rather than print invalid JSON.

    >>> json_safe({"a": [1.5, float("inf")], "b": float("nan")})
    {'a': [1.5, 'Infinity'], 'b': 'NaN'}
    """
    if isinstance(data, float) and not math.isfinite(data):
        return "NaN" if math.isnan(data) else ("Infinity" if data > 0 else "-Infinity")
    if isinstance(data, Mapping):
        return {key: json_safe(value) for key, value in data.items()}
    if isinstance(data, (list, tuple)):
        return [json_safe(value) for value in data]
    return data


def dump_json(data: Any, *, indent: int | None = 2, nonfinite: str = "error") -> str:
    """Dump plain data as JSON, keeping key order and unicode; ends with a newline.

    Args:
        data: plain data (dicts, lists, str, int, float, bool, None).
        indent: spaces per level; ``None`` for one line.
        nonfinite: ``"error"`` (default) refuses Infinity/NaN with an :class:`InputError`;
            ``"string"`` writes them as strings (see :func:`json_safe`).

    >>> dump_json({"b": 1, "a": "é"}, indent=None)
    '{"b": 1, "a": "é"}\\n'
    >>> dump_json({"x": float("inf")}, indent=None, nonfinite="string")
    '{"x": "Infinity"}\\n'
    """
    try:
        return json.dumps(data, indent=indent, ensure_ascii=False, allow_nan=False) + "\n"
    except ValueError as exc:
        if nonfinite != "string":
            raise InputError(
                f"not representable as JSON: {exc}",
                hint="JSON has no Infinity or NaN; replace the value",
            ) from None
    return json.dumps(json_safe(data), indent=indent, ensure_ascii=False) + "\n"


def read_document(
    path: str | os.PathLike[str],
    *,
    format: str = "auto",  # noqa: A002 - the natural name
    max_bytes: int = DEFAULT_MAX_BYTES,
    limits: Limits | None = None,
    empty: Any = None,
) -> LoadedDocument:
    """Read a YAML or JSON file through the front door: size bound, strict UTF-8, limits.

    ``format="auto"`` picks JSON for a ``.json`` suffix (or text starting with ``{``/``[``
    under any other suffix that is not ``.yaml``/``.yml``) and YAML otherwise.

    Raises:
        FileAccessError: missing, a directory, unreadable.
        ParseError: not UTF-8, not YAML/JSON, over a limit (:class:`InputTooLargeError`).
    """
    source = os.fspath(path)
    text = decode_utf8(read_bytes(path, max_bytes=max_bytes), source=source)
    suffix = Path(source).suffix.lower()
    if format == "auto":
        is_json = suffix == ".json" or (
            suffix not in (".yaml", ".yml") and text.lstrip().startswith(("{", "["))
        )
        format = "json" if is_json else "yaml"  # noqa: A001
    if format == "json":
        return load_json_document(text, source=source, limits=limits or JSON_LIMITS)
    if format != "yaml":
        raise InputError(f"unknown format {format!r}; expected auto, yaml or json", field="format")
    return load_yaml_document(text, source=source, limits=limits or YAML_LIMITS, empty=empty)


def atomic_write_bytes(path: str | os.PathLike[str], data: bytes) -> None:
    """Write ``data`` to ``path`` atomically: a temp file in the same folder, fsync, rename.

    Readers see the old file or the new one, never half of either.

    Raises:
        FileAccessError: the folder does not exist or is not writable.
    """
    target = Path(path)
    try:
        fd, tmp = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".tmp", dir=target.parent)
    except OSError as exc:
        raise FileAccessError(exc.strerror or str(exc), source=str(target)) from None
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
            fh.flush()
            os.fsync(fh.fileno())
        if target.exists():
            with contextlib.suppress(OSError):
                os.chmod(tmp, target.stat().st_mode & 0o777)
        else:
            umask = os.umask(0)
            os.umask(umask)
            os.chmod(tmp, 0o666 & ~umask)
        os.replace(tmp, target)
    except OSError as exc:
        with contextlib.suppress(OSError):
            os.unlink(tmp)
        raise FileAccessError(exc.strerror or str(exc), source=str(target)) from None
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(tmp)
        raise


def atomic_write_text(path: str | os.PathLike[str], text: str) -> None:
    """Write UTF-8 ``text`` atomically (see :func:`atomic_write_bytes`)."""
    atomic_write_bytes(path, text.encode("utf-8"))
