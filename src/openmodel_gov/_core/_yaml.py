"""YAML through the front door: a builder over parser events with an explicit stack (private).

See :mod:`openmodel_gov._core._parse` for the guarantees.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, Final

import yaml
from yaml.events import (
    Event,
)
from yaml.nodes import ScalarNode

from openmodel_gov._core._document import (
    YAML_LIMITS,
    Limits,
    LoadedDocument,
    PathKey,
    check_chars,
    json_path,
    lazy_positions,
    short_path,
)
from openmodel_gov._core._yaml_scalars import (
    MAP_TAGS,
    MERGE,
    SCALAR_ERRORS,
    SCALARS,
    SEQ_TAGS,
    resolve,
    short_tag,
)
from openmodel_gov.errors import InputTooLargeError, ParseError

__all__ = ["load_yaml_document", "run_yaml"]


class _Frame:
    """A collection being built: its value, where it started, and the key awaiting a value."""

    __slots__ = ("anchor", "key", "key_mark", "keys", "parent", "slot", "start_nodes", "value")

    _NO_KEY: Final = object()

    def __init__(
        self, value: Any, anchor: str | None, start_nodes: int, parent: _Frame | None, slot: Any
    ) -> None:
        self.value = value
        self.anchor = anchor
        self.start_nodes = start_nodes
        self.parent = parent  # the frame holding this one, and where in it (key or index):
        self.slot = slot  # the path is built only when needed (O(depth), never per node)
        self.key: Any = _Frame._NO_KEY
        self.key_mark: Any = None
        self.keys: dict[Any, int] = {}

    @property
    def path(self) -> PathKey:
        parts: list[Any] = []
        frame: _Frame | None = self
        while frame is not None and frame.parent is not None:
            parts.append(frame.slot)
            frame = frame.parent
        return tuple(reversed(parts))


_EMPTY: Final = object()
#: Plain scalars up to this long are remembered, up to this many per document.
_PLAIN_CACHE_TEXT: Final = 128
_PLAIN_CACHE_SIZE: Final = 65_536
#: Source positions are recorded for paths up to this deep (see ``_YamlBuilder._child_path``).
_POSITION_DEPTH: Final = 32


class _YamlBuilder:
    """Builds plain data from parser events with an explicit stack, counting as it goes."""

    def __init__(
        self,
        events: Callable[[], Event | None],
        *,
        source: str | None,
        line_offset: int,
        limits: Limits,
        positions: dict[PathKey, tuple[int, int]] | None = None,
    ) -> None:
        self.next_event = events
        self.source = source
        self.offset = line_offset
        self.limits = limits
        self.positions = positions
        self.stack: list[_Frame] = []
        self.anchors: dict[str, tuple[Any, int]] = {}
        self.nodes = 0
        self.alias_nodes = 0
        #: 1-based (line, column) of the root node, from its first event.
        self.root_at: tuple[int, int] | None = None
        #: The root mapping's keys -> 1-based (line, column), recorded in the first pass.
        self.top_keys: dict[PathKey, tuple[int, int]] = {}
        #: Plain scalars already read: (text, implicit) -> value. A plain scalar's value
        #: depends on its text alone, and the values are immutable, so repeats skip resolving.
        self.plain: dict[tuple[str, Any], Any] = {}

    def error(self, message: str, mark: Any, *, cls: type[ParseError] = ParseError) -> ParseError:
        """A typed error at ``mark`` (a YAML mark), naming the path being built."""
        path: PathKey = ()
        if self.stack:
            frame = self.stack[-1]
            path = frame.path
            if isinstance(frame.value, list):
                path = (*path, len(frame.value))
            elif frame.key is not _Frame._NO_KEY:  # a mapping's value: name its key
                path = (*path, frame.key)
        return cls(
            message,
            source=self.source,
            line=(mark.line + 1 + self.offset) if mark is not None else None,
            column=(mark.column + 1) if mark is not None else None,
            field=short_path(path) if path else None,
        )

    def document(self) -> Any:
        """The single document of the stream, or ``_EMPTY`` for an empty stream."""
        event = self.next_event()
        if _kind(event) == "StreamStartEvent":
            event = self.next_event()
        if event is None or _kind(event) == "StreamEndEvent":
            return _EMPTY
        if _kind(event) != "DocumentStartEvent":  # pragma: no cover - parser guarantees
            raise self.error("expected a YAML document", event.start_mark)
        value = self._root()
        self.next_event()  # DocumentEndEvent
        event = self.next_event()
        if event is not None and _kind(event) != "StreamEndEvent":
            raise self.error(
                "expected a single YAML document, found another ('---')", event.start_mark
            )
        return value

    def _root(self) -> Any:
        while True:
            event: Any = self.next_event()  # a yaml.events object (matched by name)
            kind = _kind(event)
            if self.root_at is None:
                self.root_at = (event.start_mark.line + 1, event.start_mark.column + 1)
            if kind in ("MappingStartEvent", "SequenceStartEvent"):
                self._open(event)
                continue
            if kind in ("SequenceEndEvent", "MappingEndEvent"):
                value, size = self._close()
            elif kind == "ScalarEvent":
                value, size = self._scalar(event), 1
            elif kind == "AliasEvent":
                value, size = self._alias(event)
            else:  # pragma: no cover - the parser never sends anything else here
                raise self.error("unexpected YAML event", getattr(event, "start_mark", None))
            if not self.stack:
                return value
            self._place(value, size, event)

    def _count(self, nodes: int, mark: Any) -> None:
        self.nodes += nodes
        if self.nodes > self.limits.max_nodes:
            raise self.error(
                f"document has more than {self.limits.max_nodes} nodes",
                mark,
                cls=InputTooLargeError,
            )

    def _open(self, event: Any) -> None:
        is_map = _kind(event) == "MappingStartEvent"
        mark = event.start_mark
        if len(self.stack) >= self.limits.max_depth:
            raise self.error(
                f"document nests deeper than {self.limits.max_depth} levels",
                mark,
                cls=InputTooLargeError,
            )
        if event.tag not in (MAP_TAGS if is_map else SEQ_TAGS):
            raise self.error(f"unsupported YAML tag {short_tag(str(event.tag))!r}", mark)
        parent = self.stack[-1] if self.stack else None
        if parent is not None and isinstance(parent.value, dict) and parent.key is _Frame._NO_KEY:
            raise self.error("mapping keys must be plain scalars", mark)
        self._count(1, mark)
        if parent is None:
            slot = None
        else:
            slot = parent.key if isinstance(parent.value, dict) else len(parent.value)
        if self.positions is not None:
            self._child_path(parent, mark)
        self.stack.append(_Frame({} if is_map else [], event.anchor, self.nodes - 1, parent, slot))

    def _child_path(self, parent: _Frame | None, mark: Any) -> None:
        """Record where the value about to go into ``parent`` starts (positions pass only).

        Paths deeper than :data:`_POSITION_DEPTH` are not recorded (``line_of`` falls back to
        the nearest recorded ancestor): recording every path of a deep document would cost
        depth x nodes."""
        assert self.positions is not None
        if len(self.stack) > _POSITION_DEPTH:
            return
        if parent is None:
            path: PathKey = ()
            where = mark
        elif isinstance(parent.value, dict):
            path, where = (*parent.path, parent.key), parent.key_mark
        else:
            path, where = (*parent.path, len(parent.value)), mark
        if path not in self.positions:
            self.positions[path] = (where.line + 1, where.column + 1)

    def _close(self) -> tuple[Any, int]:
        frame = self.stack.pop()
        size = self.nodes - frame.start_nodes
        if frame.anchor is not None:
            self.anchors[frame.anchor] = (frame.value, size)
        return frame.value, size

    def _scalar(self, event: Any) -> Any:
        mark = event.start_mark
        text = event.value
        if len(text) > self.limits.max_scalar:
            raise self.error(
                f"a scalar is longer than {self.limits.max_scalar} characters",
                mark,
                cls=InputTooLargeError,
            )
        self._count(1, mark)
        tag = event.tag
        if tag is None:
            key = (text, event.implicit)
            value = self.plain.get(key, _EMPTY)
            if value is _EMPTY:
                value = self._construct(resolve(ScalarNode, text, event.implicit), text, mark)
                if len(text) <= _PLAIN_CACHE_TEXT and len(self.plain) < _PLAIN_CACHE_SIZE:
                    self.plain[key] = value
        else:
            if tag == "!":  # as PyYAML: "!" resolves like an untagged scalar
                tag = resolve(ScalarNode, text, event.implicit)
            value = self._construct(tag, text, mark)
        if event.anchor is not None:
            self.anchors[event.anchor] = (value, 1)
        if self.positions is not None and self.stack and isinstance(self.stack[-1].value, list):
            self._child_path(self.stack[-1], mark)
        return value

    def _construct(self, tag: str, text: str, mark: Any) -> Any:
        if tag == MERGE:
            raise self.error("YAML merge keys ('<<') are not supported; write the keys out", mark)
        construct = SCALARS.get(tag)
        if construct is None:
            raise self.error(f"unsupported YAML tag {short_tag(tag)!r}", mark)
        try:
            value = construct(text)
        except SCALAR_ERRORS as exc:
            short = short_tag(tag)
            detail = str(exc) if type(exc) is ValueError else f"not a valid {short}"
            raise self.error(
                f"invalid YAML value {text[:40]!r} for {short}: {detail}", mark
            ) from None
        return value

    def _alias(self, event: Any) -> tuple[Any, int]:
        mark = event.start_mark
        found = self.anchors.get(event.anchor or "")
        if found is None:
            if any(frame.anchor == event.anchor for frame in self.stack):
                raise self.error("recursive YAML alias (a node contains itself)", mark)
            raise self.error(f"undefined YAML alias {event.anchor!r}", mark)
        value, size = found
        self.alias_nodes += size
        if self.alias_nodes > self.limits.max_alias_nodes:
            raise self.error(
                f"aliases expand to more than {self.limits.max_alias_nodes} nodes "
                "(YAML alias bomb?)",
                mark,
                cls=InputTooLargeError,
            )
        self._count(size, mark)
        if self.positions is not None and self.stack and isinstance(self.stack[-1].value, list):
            self._child_path(self.stack[-1], mark)
        return value, size

    def _place(self, value: Any, size: int, event: Any) -> None:
        frame = self.stack[-1]
        if isinstance(frame.value, list):
            frame.value.append(value)
            return
        if frame.key is not _Frame._NO_KEY:
            frame.value[frame.key] = value
            frame.key = _Frame._NO_KEY
            return
        mark: Any = event.start_mark
        if size != 1 or isinstance(value, (dict, list)):
            raise self.error("mapping keys must be plain scalars", mark)
        if isinstance(value, bytes):
            raise self.error("mapping keys must be plain scalars, not binary", mark)
        if value in frame.keys:
            raise ParseError(
                f"duplicate key {value!r} (first defined on line {frame.keys[value]})",
                source=self.source,
                line=mark.line + 1 + self.offset,
                column=mark.column + 1,
                field=json_path((*frame.path, value)),
                hint="remove one of the two entries",
            )
        frame.keys[value] = mark.line + 1 + self.offset
        if len(self.stack) == 1:
            self.top_keys[(value,)] = (mark.line + 1, mark.column + 1)
        frame.key = value
        frame.key_mark = mark
        if self.positions is not None and len(self.stack) <= _POSITION_DEPTH:
            path = (*frame.path, value)
            self.positions.setdefault(path, (mark.line + 1, mark.column + 1))


def _kind(event: object) -> str:
    """The event's class name. Matched by name, not ``isinstance``: libyaml's extension keeps
    the ``yaml.events`` classes of the first import, so a re-imported ``yaml`` (a test runner
    or coverage purging ``sys.modules``) would otherwise make every event unrecognised."""
    return type(event).__name__


def _yaml_error_kind(exc: BaseException) -> str | None:
    """``"ReaderError"``, ``"MarkedYAMLError"`` or ``"YAMLError"`` for PyYAML's errors."""
    names = {cls.__name__ for cls in type(exc).__mro__ if cls.__module__.startswith("yaml")}
    for kind in ("ReaderError", "MarkedYAMLError", "YAMLError"):
        if kind in names:
            return kind
    return None


def _event_source(data: bytes) -> tuple[Callable[[], Event | None], Callable[[], None]]:
    """A parser over ``data``: libyaml's if PyYAML was built with it, else the pure one."""
    if getattr(yaml, "__with_libyaml__", False):  # pragma: no branch - CI has libyaml
        from yaml._yaml import CParser

        parser = CParser(data)
        return parser.get_event, parser.dispose
    loader = yaml.SafeLoader(data)  # pragma: no cover - PyYAML without libyaml
    return loader.get_event, loader.dispose  # pragma: no cover


def _encode(text: str, *, source: str | None, line_offset: int) -> bytes:
    try:
        return text.encode("utf-8")
    except UnicodeEncodeError as exc:
        before = text[: exc.start]
        raise ParseError(
            f"lone surrogate code point U+{ord(text[exc.start]):04X} (not valid Unicode)",
            source=source,
            line=before.count("\n") + 1 + line_offset,
            column=exc.start - (before.rfind("\n") + 1) + 1,
        ) from None


def run_yaml(
    data: bytes,
    *,
    source: str | None,
    line_offset: int,
    limits: Limits,
    positions: dict[PathKey, tuple[int, int]] | None = None,
    root_at: dict[PathKey, tuple[int, int]] | None = None,
) -> Any:
    """Build the document in ``data``; ``positions`` and ``root_at`` (the root's position and
    those of a root mapping's keys, at no extra cost) are filled when given."""
    next_event, dispose = _event_source(data)
    builder = _YamlBuilder(
        next_event, source=source, line_offset=line_offset, limits=limits, positions=positions
    )
    try:
        value = builder.document()
        if root_at is not None and builder.root_at is not None:
            root_at[()] = builder.root_at
            root_at.update(builder.top_keys)
        return value
    except ParseError:
        raise
    except Exception as exc:  # PyYAML's errors, matched by name (see _yaml_error_kind)
        kind = _yaml_error_kind(exc)
        if kind is None:
            raise
        if kind == "ReaderError":
            position = getattr(exc, "position", 0)
            before = data[:position]
            raise ParseError(
                f"invalid YAML: character #x{getattr(exc, 'character', 0):04x} is not allowed",
                source=source,
                line=before.count(b"\n") + 1 + line_offset,
                column=len(before[before.rfind(b"\n") + 1 :].decode("utf-8", "replace")) + 1,
            ) from None
        mark = getattr(exc, "problem_mark", None) or getattr(exc, "context_mark", None)
        problem = getattr(exc, "problem", None) or getattr(exc, "context", None)
        raise ParseError(
            f"invalid YAML: {problem or str(exc) or 'syntax error'}",
            source=source,
            line=(mark.line + 1 + line_offset) if mark else None,
            column=(mark.column + 1) if mark else None,
        ) from None
    finally:
        dispose()


def load_yaml_document(
    text: str,
    *,
    source: str | None,
    line_offset: int = 0,
    empty: Any = None,
    limits: Limits = YAML_LIMITS,
) -> LoadedDocument:
    """Parse one YAML document safely, within ``limits``.

    Duplicate keys, merge keys, non-scalar keys, more than one document, unsafe or unreadable
    tags, non-finite numbers, alias bombs and over-deep nesting are refused with a
    :class:`ParseError` (:class:`InputTooLargeError` for a bound) naming the line and column.

    >>> doc = load_yaml_document("a: 1\\nb:\\n  - x\\n  - 2024-01-01\\n", source="c.yaml")
    >>> doc.data, doc.line_of(("b", 1))
    ({'a': 1, 'b': ['x', '2024-01-01']}, 4)
    >>> load_yaml_document("a: 1\\na: 2\\n", source="c.yaml")
    Traceback (most recent call last):
    ...
    openmodel_gov.errors.ParseError: c.yaml:2:1: $.a: duplicate key 'a' (first defined on line 1) ...
    >>> load_yaml_document("a: " + "[" * 500 + "]" * 500, source="c.yaml")
    Traceback (most recent call last):
    ...
    openmodel_gov.errors.InputTooLargeError: c.yaml:1:...: document nests deeper than 200 levels
    >>> load_yaml_document("a: !!bool x", source="c.yaml")
    Traceback (most recent call last):
    ...
    openmodel_gov.errors.ParseError: c.yaml:1:4: $.a: invalid YAML value 'x' for !!bool: not a valid !!bool
    """
    check_chars(text, source, limits)
    data = _encode(text, source=source, line_offset=line_offset)
    root: dict[PathKey, tuple[int, int]] = {}
    value = run_yaml(data, source=source, line_offset=line_offset, limits=limits, root_at=root)
    if value is _EMPTY:
        return LoadedDocument(data=empty, source=source, line_offset=line_offset)

    def positions() -> dict[PathKey, tuple[int, int]]:
        found: dict[PathKey, tuple[int, int]] = {}
        run_yaml(data, source=source, line_offset=0, limits=limits, positions=found)
        return found

    return LoadedDocument(
        data=value,
        source=source,
        positions=lazy_positions(positions, known=root, complete_to=int(isinstance(value, dict))),
        line_offset=line_offset,
    )
