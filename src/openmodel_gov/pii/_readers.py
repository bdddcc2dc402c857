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

__all__ = ["READERS", "Position", "csv_header", "open_binary"]


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
        if key in out:
            raise ValueError(f"duplicate key {key!r}")
        out[key] = value
    return out


def _reject_constant(name: str) -> Any:
    raise ValueError(f"{name} is not valid JSON")


def _read_jsonl(path: Path, pos: Position, trail: deque[Position]) -> Iterator[dict[str, Any]]:
    with open_binary(path) as fh:
        fh.seek(pos.offset)
        offset, line = pos.offset, pos.line
        records = pos.records
        for raw in fh:
            offset += len(raw)
            line += 1
            if not raw.strip():
                continue
            try:
                record = json.loads(
                    raw.decode("utf-8"),
                    object_pairs_hook=_no_duplicates,
                    parse_constant=_reject_constant,
                )
            except UnicodeDecodeError as exc:
                raise ParseError(
                    f"not valid UTF-8 at byte {exc.start} of the line",
                    source=str(path),
                    line=line,
                    hint="save the file as UTF-8",
                ) from None
            except ValueError as exc:
                raise ParseError(f"invalid JSON: {exc}", source=str(path), line=line) from None
            if not isinstance(record, dict):
                raise ParseError(
                    f"expected a JSON object, got {type(record).__name__}",
                    source=str(path),
                    line=line,
                )
            records += 1
            trail.append(Position(records, offset, line))
            yield record


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


def _read_csv(path: Path, pos: Position, trail: deque[Position]) -> Iterator[dict[str, Any]]:
    import csv

    with open_binary(path) as fh:
        fh.seek(pos.offset)
        state = [pos.offset, pos.line]
        records = pos.records
        for row in csv.reader(_csv_lines(fh, path, state)):
            if not row:
                continue
            if len(row) != len(pos.header):
                raise ParseError(
                    f"row has {len(row)} cells, the header has {len(pos.header)}",
                    source=str(path),
                    line=state[1],
                )
            records += 1
            trail.append(Position(records, state[0], state[1]))
            yield dict(zip(pos.header, row, strict=True))


def _read_parquet(path: Path, pos: Position, trail: deque[Position]) -> Iterator[dict[str, Any]]:
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
