"""Streaming readers for ``redact_file`` / ``scan_file``: records plus resumable positions.

Each reader starts at a :class:`Position` (records done, byte offset, line) and appends the
position after every record it yields to ``trail``, so the writer knows where to resume.
"""

from __future__ import annotations

import contextlib
import json
from collections import deque
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO, Any

from openmodel_gov._core._deps import require
from openmodel_gov.errors import FileAccessError, ParseError

__all__ = ["CSV_FIELD_LIMIT", "READERS", "Position", "RecordProblem", "csv_header", "open_binary"]

#: Largest CSV field read (bytes of text); Python's csv module stops at 131,072 by default.
CSV_FIELD_LIMIT = 64 * 1024 * 1024


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


@dataclass
class Position:
    """Where the reader is: records read, bytes consumed, line number (text formats)."""

    records: int = 0
    offset: int = 0
    line: int = 0
    header: list[str] = field(default_factory=list)


def _no_duplicates(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for key, value in pairs:
        if key in out:  # the key itself is not echoed: key names can be personal data
            raise ValueError("duplicate key in an object (the name is not shown)")
        out[key] = value
    return out


def _reject_constant(name: str) -> Any:
    raise ValueError(f"{name} is not valid JSON")


def _without_excerpt(exc: ValueError) -> str:
    """A JSON error message without any quoted piece of the record."""
    msg = str(exc)
    return msg.split(":", 1)[0] if "duplicate key" not in msg else msg


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
            problem: str | None = None
            try:
                record = json.loads(
                    raw.decode("utf-8"),
                    object_pairs_hook=_no_duplicates,
                    parse_constant=_reject_constant,
                )
            except UnicodeDecodeError as exc:
                problem = (
                    f"not valid UTF-8 at byte {exc.start} of the line (save the file as UTF-8)"
                )
            except RecursionError:
                problem = "JSON nested too deeply"
            except ValueError as exc:
                problem = f"invalid JSON: {_without_excerpt(exc)}"
            else:
                if not isinstance(record, dict):
                    problem = f"expected a JSON object, got {type(record).__name__}"
            if problem is not None and not lenient:
                raise ParseError(problem, source=str(path), line=line)
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
