"""Safe, bounded reading and atomic writing shared by every loader.

Everything that reads user files goes through here, so that every primitive gets the same
guarantees: a size bound, strict UTF-8 with the line of a bad byte, YAML without duplicate keys
or alias bombs, a map from JSON path to source line, and atomic writes (temp file + rename).
"""

from __future__ import annotations

import contextlib
import json
import os
import re
import tempfile
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from openmodel_gov.errors import FileAccessError, InputTooLargeError, ParseError

__all__ = [
    "DEFAULT_MAX_BYTES",
    "LoadedDocument",
    "PathKey",
    "atomic_write_bytes",
    "atomic_write_text",
    "decode_utf8",
    "dump_json",
    "dump_yaml",
    "json_path",
    "load_json_document",
    "load_yaml_document",
    "read_bytes",
]

#: Files larger than this are refused unless the caller raises the bound (16 MiB).
DEFAULT_MAX_BYTES = 16 * 1024 * 1024
#: Upper bound on YAML/JSON nodes visited, counting alias re-use (stops "billion laughs").
MAX_NODES = 2_000_000
#: Upper bound on nesting depth.
MAX_DEPTH = 200

PathKey = tuple[str | int, ...]


def json_path(path: PathKey) -> str:
    """Render a key path as a JSON path.

    >>> json_path(("components", "Model card", "license"))
    "$.components['Model card'].license"
    >>> json_path(("model-index", 0, "results"))
    "$['model-index'][0].results"
    >>> json_path(())
    '$'
    """
    out = "$"
    for part in path:
        if isinstance(part, int):
            out += f"[{part}]"
        elif part.isidentifier():
            out += f".{part}"
        else:
            out += "[" + repr(part) + "]"
    return out


def read_bytes(path: str | os.PathLike[str], *, max_bytes: int = DEFAULT_MAX_BYTES) -> bytes:
    """Read a whole file, refusing anything larger than ``max_bytes``.

    Raises:
        FileAccessError: missing, a directory, or unreadable.
        InputTooLargeError: larger than ``max_bytes``.
    """
    p = Path(path)
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


@dataclass(frozen=True)
class LoadedDocument:
    """A parsed YAML/JSON document plus where each of its values came from."""

    data: Any
    source: str | None
    #: JSON-path-like key tuple -> 1-based (line, column) of the value in the source text.
    positions: Mapping[PathKey, tuple[int, int]] = field(default_factory=dict)
    #: Line offset added to positions (front matter starts after the opening ``---``).
    line_offset: int = 0

    def line_of(self, path: PathKey) -> int | None:
        """Line of ``path`` or of its nearest recorded ancestor."""
        for cut in range(len(path), -1, -1):
            pos = self.positions.get(tuple(path[:cut]))
            if pos is not None:
                return pos[0] + self.line_offset
        return None


class _StrictLoader(yaml.SafeLoader):
    """SafeLoader that keeps timestamps as strings (lossless round trips)."""


# Remove the implicit timestamp resolver: "2024-01-01" stays the string the author wrote.
_StrictLoader.yaml_implicit_resolvers = {
    key: [(tag, rx) for tag, rx in resolvers if tag != "tag:yaml.org,2002:timestamp"]
    for key, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.copy().items()
}


def _mark(node: yaml.Node) -> tuple[int, int]:
    return (node.start_mark.line + 1, node.start_mark.column + 1)


def _expanded_size(
    node: yaml.Node, memo: dict[int, int | None], depth: int, source: str | None, offset: int
) -> int:
    """Nodes the document expands to once aliases are resolved, counted per distinct node.

    Aliases share node objects, so this is linear in the text even for an alias bomb, which
    is then refused before anything walks or builds its expansion.
    """
    key = id(node)
    if key in memo:
        size = memo[key]
        if size is None:
            raise ParseError(
                "recursive YAML alias (a node contains itself)",
                source=source,
                line=_mark(node)[0] + offset,
            )
        return size
    if depth > MAX_DEPTH:
        raise InputTooLargeError(
            f"document nests deeper than {MAX_DEPTH} levels",
            source=source,
            line=_mark(node)[0] + offset,
        )
    memo[key] = None
    total = 1
    if isinstance(node, yaml.MappingNode):
        for key_node, value_node in node.value:
            total += _expanded_size(key_node, memo, depth + 1, source, offset)
            total += _expanded_size(value_node, memo, depth + 1, source, offset)
    elif isinstance(node, yaml.SequenceNode):
        for item in node.value:
            total += _expanded_size(item, memo, depth + 1, source, offset)
    total = min(total, MAX_NODES + 1)
    memo[key] = total
    return total


def _walk_positions(
    node: yaml.Node, source: str | None, line_offset: int
) -> dict[PathKey, tuple[int, int]]:
    """Record positions, reject duplicate keys and bound the expanded size."""
    if _expanded_size(node, {}, 0, source, line_offset) > MAX_NODES:
        raise InputTooLargeError(
            f"document expands to more than {MAX_NODES} nodes (YAML alias bomb?)",
            source=source,
            line=_mark(node)[0] + line_offset,
        )
    positions: dict[PathKey, tuple[int, int]] = {}
    # The size and depth are bounded above, so this walk is too. Each entry: node, its path,
    # and the mark to record (a mapping value is recorded at its key's line, which is where a
    # reader looks for it).
    stack: list[tuple[yaml.Node, PathKey, tuple[int, int]]] = [(node, (), _mark(node))]
    while stack:
        cur, path, mark = stack.pop()
        if path not in positions:
            positions[path] = mark
        if isinstance(cur, yaml.MappingNode):
            seen: dict[object, int] = {}
            for key_node, value_node in cur.value:
                if not isinstance(key_node, yaml.ScalarNode):
                    raise ParseError(
                        "mapping keys must be plain scalars",
                        source=source,
                        line=_mark(key_node)[0] + line_offset,
                        column=_mark(key_node)[1],
                        field=json_path(path),
                    )
                if key_node.tag == "tag:yaml.org,2002:merge":
                    raise ParseError(
                        "YAML merge keys ('<<') are not supported",
                        source=source,
                        line=_mark(key_node)[0] + line_offset,
                        field=json_path(path),
                        hint="write the keys out",
                    )
                key = key_node.value
                if key in seen:
                    raise ParseError(
                        f"duplicate key {key!r} (first defined on line {seen[key] + line_offset})",
                        source=source,
                        line=_mark(key_node)[0] + line_offset,
                        column=_mark(key_node)[1],
                        field=json_path((*path, key)),
                        hint="remove one of the two entries",
                    )
                seen[key] = _mark(key_node)[0]
                stack.append((value_node, (*path, key), _mark(key_node)))
        elif isinstance(cur, yaml.SequenceNode):
            for index, item in enumerate(cur.value):
                stack.append((item, (*path, index), _mark(item)))
    return positions


def load_yaml_document(
    text: str, *, source: str | None, line_offset: int = 0, empty: Any = None
) -> LoadedDocument:
    """Parse one YAML document safely.

    Duplicate keys, merge keys, non-scalar keys, more than one document, alias bombs and
    over-deep nesting are refused with a :class:`ParseError` naming the line.

    >>> doc = load_yaml_document("a: 1\\nb:\\n  - x\\n  - 2024-01-01\\n", source="c.yaml")
    >>> doc.data, doc.line_of(("b", 1))
    ({'a': 1, 'b': ['x', '2024-01-01']}, 4)
    >>> load_yaml_document("a: 1\\na: 2\\n", source="c.yaml")
    Traceback (most recent call last):
    ...
    openmodel_gov.errors.ParseError: c.yaml:2:1: $.a: duplicate key 'a' (first defined on line 1) ...
    """
    try:
        loader = _StrictLoader(text)
    except yaml.reader.ReaderError as exc:
        before = text[: exc.position]
        raise ParseError(
            f"invalid YAML: character #x{exc.character:04x} is not allowed",
            source=source,
            line=before.count("\n") + 1 + line_offset,
            column=exc.position - (before.rfind("\n") + 1) + 1,
        ) from None
    try:
        try:
            node = loader.get_single_node()
        except yaml.MarkedYAMLError as exc:
            mark = exc.problem_mark or exc.context_mark
            raise ParseError(
                f"invalid YAML: {exc.problem or exc.context or 'syntax error'}",
                source=source,
                line=(mark.line + 1 + line_offset) if mark else None,
                column=(mark.column + 1) if mark else None,
            ) from None
        except yaml.YAMLError as exc:  # reader errors found while scanning
            raise ParseError(f"invalid YAML: {exc}", source=source) from None
        if node is None:
            return LoadedDocument(data=empty, source=source, line_offset=line_offset)
        positions = _walk_positions(node, source, line_offset)
        try:
            data = loader.construct_document(node)
        except yaml.constructor.ConstructorError as exc:
            mark = exc.problem_mark
            raise ParseError(
                f"invalid YAML value: {exc.problem}",
                source=source,
                line=(mark.line + 1 + line_offset) if mark else None,
            ) from None
        except (ValueError, TypeError, OverflowError) as exc:
            raise ParseError(f"invalid YAML value: {exc}", source=source) from None
    finally:
        loader.dispose()
    return LoadedDocument(data=data, source=source, positions=positions, line_offset=line_offset)


def _reject_duplicates(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for key, value in pairs:
        if key in out:
            raise _DuplicateJsonKeyError(key)
        out[key] = value
    return out


class _DuplicateJsonKeyError(Exception):
    def __init__(self, key: str) -> None:
        self.key = key


def _reject_constant(name: str) -> Any:
    raise ValueError(f"{name} is not valid JSON")


def load_json_document(text: str, *, source: str | None) -> LoadedDocument:
    """Parse a JSON document strictly (no duplicate keys, no NaN), recording line positions.

    >>> load_json_document('{"a": [1, {"b": true}]}', source="c.json").data
    {'a': [1, {'b': True}]}
    >>> load_json_document('{"a": 1, "a": 2}', source="c.json")
    Traceback (most recent call last):
    ...
    openmodel_gov.errors.ParseError: c.json:1: $.a: duplicate key 'a' ...
    """
    try:
        data = json.loads(
            text, object_pairs_hook=_reject_duplicates, parse_constant=_reject_constant
        )
    except json.JSONDecodeError as exc:
        raise ParseError(
            f"invalid JSON: {exc.msg}", source=source, line=exc.lineno, column=exc.colno
        ) from None
    except _DuplicateJsonKeyError as exc:
        line = _find_json_key_line(text, exc.key)
        raise ParseError(
            f"duplicate key {exc.key!r}",
            source=source,
            line=line,
            field=json_path((exc.key,)),
            hint="remove one of the two entries",
        ) from None
    except RecursionError:
        raise InputTooLargeError("JSON nests too deeply", source=source) from None
    except ValueError as exc:
        raise ParseError(f"invalid JSON: {exc}", source=source) from None
    positions: dict[PathKey, tuple[int, int]] = {}
    # JSON is (nearly) a YAML subset: reuse the YAML composer for positions, best effort.
    with contextlib.suppress(yaml.YAMLError, ParseError, RecursionError):
        positions = dict(load_yaml_document(text, source=source).positions)
    return LoadedDocument(data=data, source=source, positions=positions)


def _find_json_key_line(text: str, key: str) -> int | None:
    needle = json.dumps(key)
    first = text.find(needle)
    second = text.find(needle, first + 1) if first >= 0 else -1
    return text.count("\n", 0, second) + 1 if second >= 0 else None


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


def dump_json(data: Any, *, indent: int | None = 2) -> str:
    """Dump plain data as JSON, keeping key order and unicode; ends with a newline.

    >>> dump_json({"b": 1, "a": "é"}, indent=None)
    '{"b": 1, "a": "é"}\\n'
    """
    return json.dumps(data, indent=indent, ensure_ascii=False, allow_nan=False) + "\n"


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
