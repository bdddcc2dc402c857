"""Streaming readers for ``redact_file`` / ``scan_file``: records plus resumable positions.

Each reader starts at a :class:`Position` (records done, byte offset, line) and appends the
position after every record it yields to ``trail``, so the writer knows where to resume.
"""

from __future__ import annotations

import contextlib
import functools
import json as _json
from collections import deque
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO, Any

from openmodel_gov._core._deps import require
from openmodel_gov._core._io import Limits, decode_utf8, load_json_value, read_bytes
from openmodel_gov.errors import ConfigError, FileAccessError, ParseError

__all__ = [
    "CSV_FIELD_LIMIT",
    "JSONL_LIMITS",
    "READERS",
    "Position",
    "RecordProblem",
    "csv_header",
    "open_binary",
    "parse_json_line",
    "read_state",
]

#: Largest CSV field read (bytes of text); Python's csv module stops at 131,072 by default.
CSV_FIELD_LIMIT = 64 * 1024 * 1024
#: JSON lines: the front door's depth and strictness, fields as long as CSV fields (long
#: fields are scanned in windows, so one long document is not a reason to refuse a record).
JSONL_LIMITS = Limits(max_chars=1 << 30, max_scalar=CSV_FIELD_LIMIT)


@dataclass(frozen=True)
class RecordProblem:
    """A record that cannot be processed: where it is and why -- never its content.

    >>> print(RecordProblem(index=3, line=4, field="text", reason="holds a lone surrogate"))
    record 3 (line 4): field 'text' holds a lone surrogate
    """

    index: int
    line: int | None
    reason: str
    field: str | None = None

    def __str__(self) -> str:
        where = f"record {self.index}" + (f" (line {self.line})" if self.line else "")
        return where + (f": field {self.field!r} " if self.field else ": ") + self.reason

    def to_dict(self) -> dict[str, Any]:
        """Plain data for the rejects file."""
        return {"index": self.index, "line": self.line, "field": self.field, "reason": self.reason}

    def to_json_line(self) -> str:
        """The rejects file's line: ``json.dumps(self.to_dict(), sort_keys=True) + "\\n"``.

        Written without the generic encoder (reasons repeat, so their JSON is cached): a file
        of rejected records spent a fifth of its time there.

        >>> RecordProblem(index=3, line=None, reason="is a list").to_json_line()
        '{"field": null, "index": 3, "line": null, "reason": "is a list"}\\n'
        """
        line = "null" if self.line is None else str(int(self.line))
        return (
            f'{{"field": {_json_text(self.field)}, "index": {int(self.index)}, '
            f'"line": {line}, "reason": {_json_text(self.reason)}}}\n'
        )


@functools.lru_cache(maxsize=1024)
def _json_text(value: str | None) -> str:
    return _json.dumps(value)


@dataclass
class Position:
    """Where the reader is: records read, bytes consumed, line number (text formats)."""

    records: int = 0
    offset: int = 0
    line: int = 0
    header: list[str] = field(default_factory=list)


#: A checkpoint's state is a few lines of JSON; anything much larger is not one of ours.
_STATE_MAX_BYTES = 16 * 1024 * 1024


def read_state(state_file: Path) -> dict[str, Any]:
    """The checkpoint's state, read through the bounded front door; typed errors only."""
    hint = "pass resume=False (CLI: --restart) to discard it and start over"
    try:
        text = decode_utf8(
            read_bytes(state_file, max_bytes=_STATE_MAX_BYTES), source=str(state_file)
        )
        state = load_json_value(text, source=str(state_file))
    except (FileAccessError, ParseError) as exc:
        line = exc.line if isinstance(exc, ParseError) else None
        raise ConfigError(
            f"the checkpoint cannot be read ({exc.message})",
            source=str(state_file),
            line=line,
            hint=hint,
        ) from None
    if not isinstance(state, dict):
        raise ConfigError(
            "the checkpoint is not a JSON object", source=str(state_file), line=1, hint=hint
        )
    return state


def _reason(exc: ParseError) -> str:
    """The front door's refusal without any piece of the record (keys and numbers may be PII)."""
    if exc.message.startswith("duplicate key"):
        return "invalid JSON: duplicate key in an object (the name is not shown)"
    if exc.message.startswith("non-finite number"):
        for name in ("-Infinity", "Infinity", "NaN"):  # JSON's constants are not content
            if f"'{name}'" in exc.message:
                return f"invalid JSON: {name} is not valid JSON"
        return "invalid JSON: a number too large to be finite (the number is not shown)"
    if exc.message.startswith("document nests deeper"):
        return f"JSON nested too deeply (more than {JSONL_LIMITS.max_depth} levels)"
    if exc.message.startswith("invalid JSON"):
        return exc.message
    return f"invalid JSON: {exc.message}"


#: A line shorter than this that does not start an object is tried with the C decoder first.
_SHORT_LINE = 1024
_DECODE = _json.JSONDecoder().decode  # json.loads without its per-call argument checks


def _plain(value: Any, depth: int) -> bool:
    """``value`` holds no object and no float (so no duplicate key and no non-finite number)
    and nests no deeper than the JSON-lines limit: the front door would read it the same."""
    if isinstance(value, list):
        return depth < JSONL_LIMITS.max_depth and all(_plain(v, depth + 1) for v in value)
    return value is None or isinstance(value, (str, int))


def _not_an_object(raw: bytes, text: str) -> str | None:
    """The problem of a short line that plainly is valid JSON but not an object, else ``None``.

    A fast path for files of many such lines (each would otherwise pay the front door's
    pre-scan and hooks): it answers only where the front door would give the same answer,
    and leaves everything else (objects, floats, errors, long lines) to it.
    """
    if len(raw) >= _SHORT_LINE or raw.lstrip()[:1] == b"{":
        return None
    try:
        value = _DECODE(text)
    except ValueError:
        return None
    if not _plain(value, 1):
        return None
    return f"expected a JSON object, got {type(value).__name__}"


def parse_json_line(raw: bytes, source: str, line: int) -> tuple[Any, str | None, int | None]:
    """One JSON line through the front door: (record, problem, column); never raises.

    The problem names no piece of the record (keys and values may be personal data).
    """
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        problem = f"not valid UTF-8 at byte {exc.start} of the line (save the file as UTF-8)"
        return None, problem, exc.start + 1
    plain = _not_an_object(raw, text)
    if plain is not None:
        return None, plain, None
    try:
        record = load_json_value(text, line=line, source=source, limits=JSONL_LIMITS)
    except ParseError as exc:
        return None, _reason(exc), exc.column
    if not isinstance(record, dict):
        return None, f"expected a JSON object, got {type(record).__name__}", None
    return record, None, None


def _read_jsonl(
    path: Path, pos: Position, trail: deque[Position], lenient: bool = False
) -> Iterator[dict[str, Any] | RecordProblem]:
    with open_binary(path) as fh:
        fh.seek(pos.offset)
        offset, line = pos.offset, pos.line
        records = pos.records
        for raw in fh:
            offset += len(raw)
            line += 1
            if not raw.strip():
                continue
            record, problem, column = parse_json_line(raw, str(path), line)
            if problem is not None and not lenient:
                raise ParseError(problem, source=str(path), line=line, column=column)
            records += 1
            trail.append(Position(records, offset, line))
            yield RecordProblem(records - 1, line, problem) if problem is not None else record


def _csv_lines(fh: IO[bytes], path: Path, state: list[int]) -> Iterator[str]:
    for raw in fh:
        state[0] += len(raw)
        state[1] += 1
        try:
            yield raw.decode("utf-8")
        except UnicodeDecodeError:
            raise ParseError(
                "not valid UTF-8", source=str(path), line=state[1], hint="save the file as UTF-8"
            ) from None


def csv_header(path: Path) -> tuple[list[str], int, int]:
    import csv

    with open_binary(path) as fh:
        state = [0, 0]
        reader = csv.reader(_csv_lines(fh, path, state))
        header = next(reader, None)
    if header is None:
        return [], 0, 0
    if len(set(header)) != len(header):
        raise ParseError("duplicate column names in the header", source=str(path), line=1)
    return header, state[0], state[1]


def _read_csv(
    path: Path, pos: Position, trail: deque[Position], lenient: bool = False
) -> Iterator[dict[str, Any] | RecordProblem]:
    """CSV rows as dicts; ``strict`` quoting, so an unclosed quote is an error at its line
    instead of swallowing the rest of the file into one cell."""
    import csv

    previous = csv.field_size_limit()
    csv.field_size_limit(CSV_FIELD_LIMIT)
    try:
        with open_binary(path) as fh:
            fh.seek(pos.offset)
            state = [pos.offset, pos.line]
            records = pos.records
            reader = csv.reader(_csv_lines(fh, path, state), strict=True)
            while True:
                started = state[1] + 1
                try:
                    row = next(reader, None)
                except csv.Error as exc:
                    raise ParseError(
                        _csv_problem(str(exc)),
                        source=str(path),
                        line=started,
                        hint="close the quote, or check the file is CSV",
                    ) from None
                if row is None:
                    return
                if not row:
                    continue
                records += 1
                trail.append(Position(records, state[0], state[1]))
                if len(row) != len(pos.header):
                    problem = f"row has {len(row)} cells, the header has {len(pos.header)}"
                    if not lenient:
                        raise ParseError(problem, source=str(path), line=state[1])
                    yield RecordProblem(records - 1, state[1], problem)
                    continue
                yield dict(zip(pos.header, row, strict=True))
    finally:
        csv.field_size_limit(previous)


def _csv_problem(message: str) -> str:
    if "end of data" in message:
        return "a quoted field is never closed (the rest of the file would merge into one cell)"
    if "field limit" in message:
        return f"a field is larger than {CSV_FIELD_LIMIT} characters"
    return "malformed CSV (" + message.split(":", 1)[0] + ")"


def _read_parquet(
    path: Path, pos: Position, trail: deque[Position], lenient: bool = False
) -> Iterator[dict[str, Any] | RecordProblem]:
    pq = require("pyarrow.parquet", extra="pii", feature="redact_file (Parquet)")
    skip, records = pos.records, pos.records
    for batch in pq.ParquetFile(path).iter_batches(batch_size=1024):
        rows = batch.to_pylist()
        if skip:
            cut = min(skip, len(rows))
            rows, skip = rows[cut:], skip - cut
        for row in rows:
            records += 1
            trail.append(Position(records))
            yield row


@contextlib.contextmanager
def open_binary(path: Path) -> Iterator[IO[bytes]]:
    try:
        fh = path.open("rb")
    except FileNotFoundError:
        raise FileAccessError("no such file", source=str(path)) from None
    except IsADirectoryError:
        raise FileAccessError("is a directory, expected a file", source=str(path)) from None
    except OSError as exc:
        raise FileAccessError(exc.strerror or str(exc), source=str(path)) from None
    with fh:
        yield fh


READERS = {"jsonl": _read_jsonl, "csv": _read_csv, "parquet": _read_parquet}
