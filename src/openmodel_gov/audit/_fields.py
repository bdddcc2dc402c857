"""The text fields of a data file, for the audit's PII scan (private).

JSON records go through the bounded front door (:func:`openmodel_gov._core._io.load_json_value`);
no error message holds a piece of a record (records may hold personal data).
"""

from __future__ import annotations

from pathlib import Path
from typing import Final

from openmodel_gov._core._io import Limits, load_json_value
from openmodel_gov.errors import InputTooLargeError, ParseError

__all__ = ["text_fields"]


def text_fields(path: Path) -> tuple[str, ...]:
    """The text fields of a data file, from its header, schema or first JSON record.

    Raises:
        ParseError: the header or the first record cannot be read (the message names file,
            line and column, never a piece of the record: records may hold personal data).
    """
    if path.suffix.lower() == ".csv":
        return _csv_header(path)
    if path.suffix.lower() == ".parquet":
        import pyarrow.parquet as pq

        schema = pq.read_schema(path)
        return tuple(f.name for f in schema if str(f.type) in {"string", "large_string"})
    with path.open("rb") as fh:
        for number, raw in enumerate(fh, start=1):
            if raw.strip():
                record = _first_record(raw, str(path), number)
                if isinstance(record, dict):
                    return tuple(k for k, v in record.items() if isinstance(v, str))
                break
    return ()


#: The first JSON record: the front door's depth bound, long text fields allowed.
_RECORD_LIMITS: Final = Limits(max_chars=1 << 30, max_scalar=64 * 1024 * 1024)


def _first_record(raw: bytes, source: str, line: int) -> object:
    hint = "records may hold personal data, so no detail of the record is shown"
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise ParseError(
            "the first record is not valid UTF-8",
            source=source,
            line=line,
            column=exc.start + 1,
            hint="save the file as UTF-8",
        ) from None
    try:
        return load_json_value(text, source=source, line=line, limits=_RECORD_LIMITS)
    except ParseError as exc:
        reason = "nests too deeply" if isinstance(exc, InputTooLargeError) else "is not valid JSON"
        raise ParseError(
            f"the first record {reason}", source=source, line=line, column=exc.column, hint=hint
        ) from None


def _csv_header(path: Path) -> tuple[str, ...]:
    import csv

    try:
        with path.open(encoding="utf-8", newline="") as fh:
            return tuple(next(csv.reader(fh), []))
    except (UnicodeDecodeError, csv.Error) as exc:
        what = "not UTF-8" if isinstance(exc, UnicodeDecodeError) else "not CSV"
        raise ParseError(
            f"the header row cannot be read ({what})",
            source=str(path),
            line=1,
            hint="save the file as UTF-8 CSV with a header row",
        ) from None
