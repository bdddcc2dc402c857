"""The documents the front door returns and the limits it enforces (private).

See :mod:`openmodel_gov._core._parse` for the guarantees.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass, field
from typing import Any, Final

import yaml

from openmodel_gov.errors import InputTooLargeError, ParseError

__all__ = [
    "DEFAULT_MAX_BYTES",
    "JSON_LIMITS",
    "YAML_LIMITS",
    "Limits",
    "LoadedDocument",
    "PathKey",
    "check_chars",
    "check_plain_data",
    "json_path",
    "lazy_positions",
    "short_path",
]

#: Files larger than this are refused unless the caller raises the bound (16 MiB).
DEFAULT_MAX_BYTES: Final = 16 * 1024 * 1024

PathKey = tuple[str | int, ...]


@dataclass(frozen=True)
class Limits:
    """Bounds enforced while a document is parsed (each one a documented refusal).

    Attributes:
        max_chars: longest accepted text, in characters (checked before parsing).
        max_depth: deepest accepted nesting of sequences/mappings.
        max_nodes: most nodes (scalars and collections) a document may expand to, counting
            what every alias stands for.
        max_alias_nodes: most nodes that aliases alone may add (stops "billion laughs").
        max_scalar: longest accepted scalar (string, number, key), in characters.

    >>> Limits().max_depth
    200
    >>> Limits(max_depth=0)
    Traceback (most recent call last):
    ...
    ValueError: Limits.max_depth must be a positive int, not 0
    """

    max_chars: int = DEFAULT_MAX_BYTES
    max_depth: int = 200
    max_nodes: int = 1_000_000
    max_alias_nodes: int = 100_000
    max_scalar: int = 1024 * 1024

    def __post_init__(self) -> None:
        for name in ("max_chars", "max_depth", "max_nodes", "max_alias_nodes", "max_scalar"):
            value: object = getattr(self, name)
            if type(value) is not int or value < 1:
                raise ValueError(f"Limits.{name} must be a positive int, not {value!r}")


#: YAML is built in Python from parser events (about 1-2 MB/s): a tighter node budget keeps a
#: hostile document's cost well under a second (a 1M-key card is refused at 250,000 nodes).
YAML_LIMITS: Final = Limits(max_nodes=250_000)
#: JSON is decoded in C: the text bound of the caller is the work bound.
JSON_LIMITS: Final = Limits(max_chars=1 << 30)


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
        elif type(part) is str and part.isidentifier():
            out += f".{part}"
        else:
            out += "[" + repr(part) + "]"
    return out


def short_path(path: PathKey) -> str:
    """A JSON path for an error message, cut after 12 steps (deep nesting is a refusal)."""
    return json_path(path[:12]) + ("..." if len(path) > 12 else "")


class _LazyPositions(Mapping[PathKey, tuple[int, int]]):
    """JSON path -> (line, column), computed on first use by a second bounded pass."""

    def __init__(
        self,
        compute: Callable[[], dict[PathKey, tuple[int, int]]],
        known: Mapping[PathKey, tuple[int, int]] | None = None,
        complete_to: int = 0,
    ) -> None:
        self._compute: Callable[[], dict[PathKey, tuple[int, int]]] | None = compute
        self._data: dict[PathKey, tuple[int, int]] = {}
        self._known = dict(known or {})  # answered without the second pass
        self._complete_to = complete_to  # paths this short are all in known, or absent

    def _load(self) -> dict[PathKey, tuple[int, int]]:
        if self._compute is not None:
            compute, self._compute = self._compute, None
            try:
                self._data = compute()
            except (ParseError, yaml.YAMLError, ValueError):  # best effort: no positions
                self._data = {}
        return self._data

    def __getitem__(self, key: PathKey) -> tuple[int, int]:
        if self._compute is not None:
            if key in self._known:
                return self._known[key]
            if len(key) <= self._complete_to:
                raise KeyError(key)
        return self._load()[key]

    def __iter__(self) -> Iterator[PathKey]:
        return iter(self._load())

    def __len__(self) -> int:
        return len(self._load())


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


def check_chars(text: str, source: str | None, limits: Limits) -> None:
    if len(text) > limits.max_chars:
        raise InputTooLargeError(
            f"document is longer than {limits.max_chars} characters",
            source=source,
            hint="pass larger limits if the document is trusted",
        )


def lazy_positions(
    compute: Callable[[], dict[PathKey, tuple[int, int]]],
    known: Mapping[PathKey, tuple[int, int]] | None = None,
    complete_to: int = 0,
) -> Mapping[PathKey, tuple[int, int]]:
    """A positions mapping that calls ``compute`` on first use (best effort: empty on error).

    ``known`` positions (the root's and, for a YAML mapping, its keys', found by the first
    pass) are answered without it, and so is the absence of any path of at most
    ``complete_to`` steps not among them: a "must be a mapping" or "unknown key" error on a
    large document does not parse it twice.
    """
    return _LazyPositions(compute, known, complete_to)


def check_plain_data(
    data: object, *, source: str | None = None, limits: Limits = YAML_LIMITS
) -> None:
    """Hold already-parsed data (a mapping passed in from Python) to the front door's rules.

    What a caller hands over as a mapping never went through the parser, so it is checked
    here, iteratively: nesting depth and node count within ``limits``, finite numbers only,
    string or integer mapping keys.

    >>> check_plain_data({"a": [1, 2.5, {"b": None}]})
    >>> check_plain_data({"d": float("inf")}, source="<mapping>")
    Traceback (most recent call last):
    ...
    openmodel_gov.errors.ParseError: <mapping>: $.d: non-finite number inf is not allowed ...
    """
    nodes = 0
    stack: list[tuple[object, PathKey]] = [(data, ())]
    while stack:
        value, path = stack.pop()
        nodes += 1
        if len(path) > limits.max_depth or nodes > limits.max_nodes:
            raise InputTooLargeError(
                f"data nests deeper than {limits.max_depth} levels or has more than "
                f"{limits.max_nodes} values",
                source=source,
                field=short_path(path),
            )
        if isinstance(value, float) and not math.isfinite(value):
            raise ParseError(
                f"non-finite number {value!r} is not allowed",
                source=source,
                field=json_path(path),
                hint="JSON has no Infinity or NaN; use null or a string",
            )
        if isinstance(value, Mapping):
            for key, item in value.items():
                if not isinstance(key, (str, int)) or isinstance(key, bool):
                    raise ParseError(
                        f"mapping keys must be strings, not {type(key).__name__}",
                        source=source,
                        field=json_path(path),
                    )
                stack.append((item, (*path, key)))
        elif isinstance(value, (list, tuple)):
            stack.extend((item, (*path, index)) for index, item in enumerate(value))
