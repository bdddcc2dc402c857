"""``redact_file`` / ``scan_file``: JSONL, CSV and Parquet, streamed, atomic, resumable.

Work happens in ``<dst>.pii-partial/``: one part file per ``checkpoint_every`` records and a
``checkpoint.json`` written atomically after each part (input position, counts so far, and a
fingerprint of the source and options). A rerun with the same source and options resumes after
the last finished part; parts cover fixed record ranges, so the final file -- assembled and
renamed into place atomically at the end -- is byte-identical to an uninterrupted run.
"""

from __future__ import annotations

import contextlib
import glob
import json
import os
import shutil
import tempfile
import time
from collections import deque
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import IO, Any, Literal, cast

from openmodel_gov._core._deps import require
from openmodel_gov._core._io import atomic_write_text, dump_json
from openmodel_gov.errors import ConfigError, FileAccessError, OutputLockedError, ParseError
from openmodel_gov.pii._config import PiiConfig
from openmodel_gov.pii._engine import PiiDetector, checked_entities, get_detector, resolve_model
from openmodel_gov.pii._readers import READERS, Position, RecordProblem, csv_header, read_state
from openmodel_gov.pii._records import OnError, Progress, check_fields, process_records
from openmodel_gov.pii._report import PiiReport, Tally

__all__ = ["FileFormat", "output_lock", "redact_file", "scan_file"]

FileFormat = Literal["jsonl", "csv", "parquet"]
_SUFFIXES: dict[str, FileFormat] = {
    ".jsonl": "jsonl",
    ".ndjson": "jsonl",
    ".csv": "csv",
    ".parquet": "parquet",
    ".pq": "parquet",
}
_CHECKPOINT_VERSION = 1


def _format(path: Path, given: str | None) -> FileFormat:
    fmt = given or _SUFFIXES.get(path.suffix.lower())
    if fmt not in ("jsonl", "csv", "parquet"):
        raise ConfigError(
            f"cannot tell the format of {path.name!r}"
            if given is None
            else f"unknown format {given!r}",
            source=str(path),
            field="$.format",
            hint="pass format='jsonl', 'csv' or 'parquet'",
        )
    return cast(FileFormat, fmt)


class _Output:
    """Part files in the work folder, assembled into ``dst`` at the end."""

    def __init__(self, fmt: FileFormat, work: Path, header: list[str], schema: Any) -> None:
        self.fmt, self.work, self.header, self.schema = fmt, work, header, schema

    def part(self, index: int) -> Path:
        return self.work / f"part-{index:06d}.{self.fmt}"

    def write_part(self, index: int, rows: Sequence[dict[str, Any]]) -> None:
        if self.fmt == "parquet":
            pa = require("pyarrow", extra="pii", feature="redact_file (Parquet)")
            pq = require("pyarrow.parquet", extra="pii", feature="redact_file (Parquet)")
            pq.write_table(pa.Table.from_pylist(list(rows), schema=self.schema), self.part(index))
            return
        with self.part(index).open("wb") as fh:
            fh.write(self.encode(rows))

    def encode(self, rows: Sequence[dict[str, Any]]) -> bytes:
        if self.fmt == "jsonl":
            return "".join(json.dumps(r, ensure_ascii=False) + "\n" for r in rows).encode()
        import csv
        import io

        buf = io.StringIO()
        writer = csv.writer(buf, lineterminator="\n")
        writer.writerows([[r[h] for h in self.header] for r in rows])
        return buf.getvalue().encode()

    def assemble(self, parts: int, dst: Path) -> None:
        fd, tmp_name = tempfile.mkstemp(prefix=f".{dst.name}.", suffix=".tmp", dir=dst.parent)
        tmp = Path(tmp_name)
        try:
            with os.fdopen(fd, "wb") as fh:
                if self.fmt == "parquet":
                    self._assemble_parquet(parts, fh)
                else:
                    if self.fmt == "csv" and self.header:
                        fh.write(self.encode([dict(zip(self.header, self.header, strict=True))]))
                    for index in range(parts):
                        with self.part(index).open("rb") as part:
                            shutil.copyfileobj(part, fh)
                fh.flush()
                os.fsync(fh.fileno())
            os.replace(tmp, dst)
        except BaseException:
            tmp.unlink(missing_ok=True)
            raise

    def _assemble_parquet(self, parts: int, fh: IO[bytes]) -> None:
        pq = require("pyarrow.parquet", extra="pii", feature="redact_file (Parquet)")
        with pq.ParquetWriter(fh, self.schema) as writer:
            for index in range(parts):
                writer.write_table(pq.read_table(self.part(index), schema=self.schema))


def _prepare(
    src: Path, fmt: FileFormat, names: tuple[str, ...]
) -> tuple[Position, Any, int | None]:
    if not src.is_file():
        raise FileAccessError("no such file" if not src.exists() else "not a file", source=str(src))
    start, schema, total = Position(), None, None
    if fmt == "csv":
        header, offset, line = csv_header(src)
        start = Position(0, offset, line, header)
        columns = header
    elif fmt == "parquet":
        pq = require("pyarrow.parquet", extra="pii", feature="redact_file (Parquet)")
        pa = require("pyarrow", extra="pii", feature="redact_file (Parquet)")
        try:
            meta = pq.ParquetFile(src)
        except (OSError, pa.ArrowException) as exc:
            raise ParseError(f"not a readable Parquet file: {exc}", source=str(src)) from None
        schema, total = meta.schema_arrow, meta.metadata.num_rows
        columns = list(schema.names)
        for name in names:
            if name in columns and not (
                pa.types.is_string(schema.field(name).type)
                or pa.types.is_large_string(schema.field(name).type)
            ):
                raise ConfigError(
                    f"column {name!r} is {schema.field(name).type}, not text",
                    source=str(src),
                    field="$.fields",
                )
    else:
        return start, schema, total
    missing = [n for n in names if n not in columns]
    if missing:
        raise ConfigError(
            f"no column named {', '.join(map(repr, missing))}",
            source=str(src),
            field="$.fields",
            hint="columns: " + ", ".join(columns),
        )
    return start, schema, total


def scan_file(
    src: str | os.PathLike[str],
    *,
    fields: Sequence[str],
    format: FileFormat | None = None,  # noqa: A002 - the documented option name
    config: PiiConfig | None = None,
    workers: int | None = None,
    detector: PiiDetector | None = None,
    progress: Progress | None = None,
    on_error: OnError = "skip",
) -> PiiReport:
    """Scan the text fields of a JSONL, CSV or Parquet file (streamed, constant memory).

    Args: as :func:`redact_file`, without the output; records that cannot be processed are
    counted in ``records_rejected`` (``on_error="skip"``, the default) or raise (``"raise"``).

    Returns:
        Counts per entity type and field; ``.summary`` goes into the dataset's manifest.
    """
    cfg = config if config is not None else PiiConfig()
    path = Path(src)
    fmt = _format(path, format)
    names = check_fields(fields)
    start, _, total = _prepare(path, fmt, names)
    tally, began = Tally(names), time.perf_counter()
    trail: deque[Position] = deque()
    records = READERS[fmt](path, start, trail, on_error != "raise")
    for batch in process_records(
        records,
        fields=names,
        config=cfg,
        redact=False,
        workers=workers,
        detector=detector,
        source=str(path),
        on_error=on_error,
    ):
        for item, per_field, missing in batch:
            if isinstance(item, RecordProblem):
                tally.add_problem(item)
            else:
                tally.add(per_field, missing)
        trail.clear()
        if progress is not None:
            progress(tally.records, total)
    return tally.report(
        entities=checked_entities(cfg),
        redacted=False,
        model=_model_name(cfg, workers, detector),
        resumed_at=0,
        seconds=time.perf_counter() - began,
    )


def _model_name(cfg: PiiConfig, workers: int | None, detector: PiiDetector | None) -> str | None:
    if detector is not None:
        return detector.model_name
    if (workers or 1) <= 1:
        return get_detector(cfg).model_name
    target = resolve_model(cfg)
    return None if target is None else getattr(target, "name", str(target))


def _fingerprint(
    path: Path,
    *,
    fmt: str,
    names: tuple[str, ...],
    cfg: PiiConfig,
    every: int,
    detector: PiiDetector | None,
) -> dict[str, Any]:
    stat = path.stat()
    return {
        "version": _CHECKPOINT_VERSION,
        "source": str(path.resolve()),
        "size": stat.st_size,
        "mtime_ns": stat.st_mtime_ns,
        "format": fmt,
        "fields": list(names),
        "config": cfg.fingerprint(),
        "checkpoint_every": every,
        "detector": None if detector is None else type(detector).__qualname__,
    }


def _load_checkpoint(
    work: Path, fingerprint: dict[str, Any], resume: bool
) -> dict[str, Any] | None:
    if not work.exists():
        return None
    state_file = work / "checkpoint.json"
    if resume and state_file.is_file():
        state = read_state(state_file)
        if state.get("fingerprint") == fingerprint:
            return state
        raise ConfigError(
            "a checkpoint from a different run is in the way (the source file or the options "
            "changed since it was written)",
            source=str(work),
            hint="pass resume=False to discard it and start over",
        )
    shutil.rmtree(work)
    return None


def redact_file(
    src: str | os.PathLike[str],
    dst: str | os.PathLike[str],
    *,
    fields: Sequence[str],
    format: FileFormat | None = None,  # noqa: A002 - the documented option name
    config: PiiConfig | None = None,
    workers: int | None = None,
    detector: PiiDetector | None = None,
    resume: bool = True,
    checkpoint_every: int = 1000,
    progress: Progress | None = None,
    on_error: OnError = "reject",
) -> PiiReport:
    """Redact the text fields of a JSONL, CSV or Parquet file into ``dst`` (same format).

    Streams in batches (memory does not grow with the file), writes ``dst`` atomically, and
    checkpoints every ``checkpoint_every`` records in ``<dst>.pii-partial/``: after a crash or
    an interrupt, calling again with the same arguments resumes there, and the result is
    byte-identical to an uninterrupted run. Other fields pass through unchanged.

    Args:
        src: input file (``.jsonl``/``.ndjson``, ``.csv`` with a header row, ``.parquet``).
        dst: output file; replaced atomically at the end, never left half-written.
        fields: text fields (JSON keys / CSV or Parquet columns) to redact.
        format: ``"jsonl"``, ``"csv"`` or ``"parquet"``; ``None``: from the file suffix.
        config: detection and operator options.
        workers: worker processes (``None``/``1``: this process).
        detector: a ready detector (in-process only).
        resume: continue from a matching checkpoint; ``False`` discards it.
        checkpoint_every: records per part / checkpoint.
        progress: called as ``progress(records_done, records_total_or_None)`` after each batch.
        on_error: what to do with a record that cannot be processed (invalid JSON, a
            non-text field, a lone surrogate, a row with the wrong number of cells):
            ``"reject"`` (default) leaves it out of ``dst`` and lists its record number, line,
            field and reason -- never its content -- in ``<dst>.rejects.jsonl``; ``"skip"``
            leaves it out and only counts it; ``"raise"`` stops with a typed error.

    Only one job may write ``dst`` at a time (a lock file ``<dst>.pii-lock``); temporary files
    of an earlier killed run are removed when the next run starts.

    Returns:
        The report; ``.summary`` (``redacted=True``) goes into the dataset's manifest.

    Raises:
        FileAccessError: ``src`` missing or ``dst``'s folder not writable.
        ParseError: a malformed line or row (names the file and line).
        InputError: a field holds a non-text value.
        ConfigError: bad options, an unknown column, or a checkpoint of another run in the way.
        OutputLockedError: another job is writing ``dst``.
    """
    cfg = config if config is not None else PiiConfig()
    path, out = Path(src), Path(dst)
    if not out.parent.is_dir():
        raise FileAccessError("the output folder does not exist", source=str(out))
    with output_lock(out):
        _clean_stale_temporaries(out)
        return _redact_file(
            path, out, fields=fields, format=format, cfg=cfg, workers=workers,
            detector=detector, resume=resume, checkpoint_every=checkpoint_every,
            progress=progress, on_error=on_error,
        )  # fmt: skip


def _redact_file(
    path: Path,
    out: Path,
    *,
    fields: Sequence[str],
    format: FileFormat | None,  # noqa: A002
    cfg: PiiConfig,
    workers: int | None,
    detector: PiiDetector | None,
    resume: bool,
    checkpoint_every: int,
    progress: Progress | None,
    on_error: OnError,
) -> PiiReport:
    fmt = _format(path, format)
    names = check_fields(fields)
    if checkpoint_every < 1:
        raise ConfigError("checkpoint_every must be at least 1", field="$.checkpoint_every")
    if out.exists() and path.exists() and out.resolve() == path.resolve():
        raise ConfigError("dst is the source file", source=str(out), hint="write to a new file")
    if not out.parent.is_dir():
        raise FileAccessError("the output folder does not exist", source=str(out))
    start, schema, total = _prepare(path, fmt, names)
    work = out.with_name(out.name + ".pii-partial")
    fingerprint = _fingerprint(
        path, fmt=fmt, names=names, cfg=cfg, every=checkpoint_every, detector=detector
    )
    state = _load_checkpoint(work, fingerprint, resume)
    # Rejects go to a side file whose length each checkpoint keeps (not into each: quadratic).
    rejects_part = work / "rejects.jsonl"
    if state is None:
        work.mkdir()
        parts, pos, tally = 0, start, Tally(names)
    else:
        parts = state["parts"]
        pos = Position(state["records"], state["offset"], state["line"], start.header)
        tally = Tally(names, state["tally"])
        old = [_REJECT_JSON.encode(r) + "\n" for r in state.get("rejects", [])]  # older format
        _append_rejects(rejects_part, old)
        with rejects_part.open("ab") as fh:
            fh.truncate(state.get("rejects_bytes", fh.tell()))  # drop any after the checkpoint
    resumed_at, began = pos.records, time.perf_counter()
    output = _Output(fmt, work, start.header, schema)
    trail: deque[Position] = deque()
    buffer: list[dict[str, Any]] = []
    batches = process_records(
        READERS[fmt](path, pos, trail, on_error != "raise"),
        fields=names,
        config=cfg,
        redact=True,
        workers=workers,
        detector=detector,
        source=str(path),
        first_index=pos.records,
        on_error=on_error,
    )
    pending: list[str] = []
    for batch in batches:
        for record, per_field, missing in batch:
            done = trail.popleft()
            if isinstance(record, RecordProblem):
                tally.add_problem(record)
                if on_error == "reject":
                    pending.append(record.to_json_line())
                    if len(pending) >= 10_000:  # bounded memory; a resume truncates past it
                        pending = _append_rejects(rejects_part, pending)
            else:
                tally.add(per_field, missing)
                buffer.append(record)
            if len(buffer) == checkpoint_every:
                output.write_part(parts, buffer)
                parts, buffer = parts + 1, []
                pending = _append_rejects(rejects_part, pending)
                _save(work, fingerprint, parts=parts, pos=done, tally=tally, part=rejects_part)
        if progress is not None:
            progress(tally.records, total)
    if buffer:
        output.write_part(parts, buffer)
        parts += 1
    _append_rejects(rejects_part, pending)
    rejects_file = out.with_name(out.name + ".rejects.jsonl")
    if rejects_part.is_file() and rejects_part.stat().st_size:
        os.replace(rejects_part, rejects_file)
    else:
        rejects_file.unlink(missing_ok=True)
    output.assemble(parts, out)
    shutil.rmtree(work, ignore_errors=True)
    return tally.report(
        entities=checked_entities(cfg),
        redacted=True,
        model=_model_name(cfg, workers, detector),
        resumed_at=resumed_at,
        seconds=time.perf_counter() - began,
    )


_REJECT_JSON = json.JSONEncoder(sort_keys=True)  # an older checkpoint's rejects list, as written


def _append_rejects(part: Path, rejects: list[str]) -> list[str]:
    """Append ``rejects`` to the side file (fsynced, as the checkpoint that counts them)."""
    if rejects:
        with part.open("a", encoding="utf-8") as fh:
            fh.write("".join(rejects))
            fh.flush()
            os.fsync(fh.fileno())
    return []


def _save(
    work: Path,
    fingerprint: dict[str, Any],
    *,
    parts: int,
    pos: Position,
    tally: Tally,
    part: Path,
) -> None:
    state = {
        "rejects_bytes": part.stat().st_size if part.is_file() else 0,
        "fingerprint": fingerprint,
        "parts": parts,
        "records": pos.records,
        "offset": pos.offset,
        "line": pos.line,
        "tally": tally.state(),
    }
    atomic_write_text(work / "checkpoint.json", dump_json(state))


@contextlib.contextmanager
def output_lock(out: Path) -> Iterator[None]:
    """Hold an exclusive lock on ``<out>.pii-lock`` for the duration of a job.

    Raises:
        OutputLockedError: another job (this or another process) holds it.
    """
    import fcntl

    lock_path = out.with_name(out.name + ".pii-lock")
    while True:
        fd = os.open(lock_path, os.O_RDWR | os.O_CREAT, 0o600)
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            os.close(fd)
            raise OutputLockedError(
                "another job is writing this output; wait for it or choose another output",
                source=str(out),
            ) from None
        try:
            same = os.fstat(fd).st_ino == os.stat(lock_path).st_ino
        except FileNotFoundError:
            same = False
        if same:
            break
        os.close(fd)  # the holder removed the lock file between our open and our lock: retry
    try:
        yield
    finally:
        with contextlib.suppress(FileNotFoundError):
            os.unlink(lock_path)
        os.close(fd)


def _clean_stale_temporaries(out: Path) -> None:
    """Remove assembly temporaries (``.<name>.*.tmp``) left by a run killed while assembling.

    Called with the output lock held, so no live job owns them.
    """
    for stale in out.parent.glob(f".{glob.escape(out.name)}.*.tmp"):
        with contextlib.suppress(OSError):
            stale.unlink()
