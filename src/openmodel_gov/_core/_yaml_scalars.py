"""YAML scalars through the front door: tags, implicit resolution, safe constructors (private).

See :mod:`openmodel_gov._core._parse` for the guarantees; :mod:`._yaml` builds documents.
"""

from __future__ import annotations

import binascii
import math
from collections.abc import Callable
from typing import Any, Final, cast

import yaml
from yaml.constructor import SafeConstructor
from yaml.nodes import ScalarNode

__all__ = [
    "MAP_TAGS",
    "MERGE",
    "SCALARS",
    "SCALAR_ERRORS",
    "SEQ_TAGS",
    "resolve",
    "short_tag",
]

_Y = "tag:yaml.org,2002:"
MERGE: Final = _Y + "merge"
SEQ_TAGS: Final = frozenset({None, "!", _Y + "seq"})
MAP_TAGS: Final = frozenset({None, "!", _Y + "map"})
_CONSTRUCTOR: Final = SafeConstructor()


class _Resolver(yaml.resolver.Resolver):
    """YAML 1.1 implicit types, minus timestamps ("2024-01-01" stays the string written)."""


_Resolver.yaml_implicit_resolvers = {
    key: [(tag, rx) for tag, rx in resolvers if tag != _Y + "timestamp"]
    for key, resolvers in yaml.resolver.Resolver.yaml_implicit_resolvers.copy().items()
}
resolve: Final = cast("Callable[[type[ScalarNode], str, Any], str]", _Resolver().resolve)


def _construct_int(value: str) -> Any:
    if value.isdecimal() and value.isascii() and (value[0] != "0" or len(value) == 1):
        return int(value)  # the common case, without PyYAML's sign/base/sexagesimal handling
    return _CONSTRUCTOR.construct_yaml_int(ScalarNode(_Y + "int", value))


def _construct_float(value: str) -> Any:
    number = _CONSTRUCTOR.construct_yaml_float(ScalarNode(_Y + "float", value))
    if not math.isfinite(number):
        raise ValueError("non-finite numbers are not allowed (JSON cannot carry them)")
    return number


def _construct_bool(value: str) -> Any:
    return SafeConstructor.bool_values[value.lower()]


def _construct_binary(value: str) -> Any:
    try:
        return _CONSTRUCTOR.construct_yaml_binary(ScalarNode(_Y + "binary", value))
    except yaml.constructor.ConstructorError as exc:
        raise ValueError(str(exc.problem)) from None


def _construct_timestamp(value: str) -> Any:
    if SafeConstructor.timestamp_regexp.match(value) is None:
        raise ValueError(f"{value!r} is not a timestamp")
    return value  # kept as written (lossless round trips)


SCALARS: Final[dict[str, Callable[[str], Any]]] = {
    _Y + "str": str,
    _Y + "null": lambda _value: None,
    _Y + "bool": _construct_bool,
    _Y + "int": _construct_int,
    _Y + "float": _construct_float,
    _Y + "binary": _construct_binary,
    _Y + "timestamp": _construct_timestamp,
}


def short_tag(tag: str) -> str:
    return "!!" + tag.removeprefix(_Y) if tag.startswith(_Y) else tag


#: What a constructor raises for a value its tag cannot read.
SCALAR_ERRORS: Final = (ValueError, KeyError, IndexError, TypeError, binascii.Error)
