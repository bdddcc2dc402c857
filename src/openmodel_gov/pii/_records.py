"""Record-level API: ``scan_records``, ``redact_records`` and a ``datasets.map`` batch function."""

from __future__ import annotations

import time
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from typing import Any, Literal

from openmodel_gov.errors import ConfigError, InputError
from openmodel_gov.pii._api import prepare_workers
from openmodel_gov.pii._code import CodeText, mark_code
from openmodel_gov.pii._config import PiiConfig
from openmodel_gov.pii._engine import PiiDetector, checked_entities, get_detector
from openmodel_gov.pii._readers import RecordProblem
from openmodel_gov.pii._redact import apply_operators
from openmodel_gov.pii._report import PiiReport, Tally
from openmodel_gov.pii._results import PiiFinding
from openmodel_gov.pii._workers import map_chunks

__all__ = [
    "BatchRedactor",
    "OnError",
    "Progress",
    "process_records",
    "redact_records",
    "scan_records",
]

#: ``progress(records_done, records_total_or_None)``, called after each batch.
Progress = Callable[[int, "int | None"], None]

Record = Mapping[str, Any]
_Chunk = tuple[list[Record], list[list[str]]]


def check_fields(fields: Sequence[str]) -> tuple[str, ...]:
    """Validate the ``fields`` option (non-empty, unique strings)."""
    if isinstance(fields, str):
        fields = (fields,)
    out = tuple(fields)
    items: tuple[object, ...] = out
    if not out or not all(isinstance(f, str) and f for f in items) or len(set(out)) != len(out):
        raise ConfigError(
            "fields must be a non-empty list of distinct field names",
            field="$.fields",
            hint="e.g. fields=['text']",
        )
    return out


OnError = Literal["raise", "skip", "reject"]


def _problem(
    record: object, index: int, fields: tuple[str, ...], source: str | None
) -> RecordProblem | None:
    """Why ``record`` cannot be scanned (never quoting its content), or ``None``."""
    line = index + 1 if source else None
    if isinstance(record, RecordProblem):
        return record
    if not isinstance(record, Mapping):
        return RecordProblem(index, line, f"is a {type(record).__name__}, expected a mapping")
    for name in fields:
        value = record.get(name)
        if value is None:
            continue
        if not isinstance(value, str):
            return RecordProblem(index, line, f"is a {type(value).__name__}, expected text", name)
        try:
            value.encode("utf-8")
        except UnicodeEncodeError:
            return RecordProblem(
                index, line, "holds a lone surrogate (an unpaired \\ud800-\\udfff escape)", name
            )
    return None


def _chunks(
    records: Iterable[Record | RecordProblem],
    fields: tuple[str, ...],
    size: int,
    *,
    source: str | None,
    first: int,
    on_error: OnError = "raise",
    code_fields: tuple[str, ...] = (),
) -> Iterator[tuple[_Chunk, list[str]]]:
    batch: list[Record | RecordProblem] = []
    present: list[list[str]] = []
    texts: list[str] = []
    for index, record in enumerate(records, start=first):
        problem = _problem(record, index, fields, source)
        if problem is not None:
            if on_error == "raise":
                raise InputError(
                    str(problem).split(" (line", 1)[0].split(", field")[0]
                    + (f": field {problem.field!r} " if problem.field else ": ")
                    + problem.reason,
                    source=source,
                    line=problem.line,
                    field=f"$[{problem.index}].{problem.field}" if problem.field else None,
                    hint='pass on_error="reject" or "skip" to set such records aside',
                )
            batch.append(problem)
            present.append([])
        else:
            names: list[str] = []
            for name in fields:
                value = record.get(name)  # type: ignore[union-attr]
                if value is not None:
                    names.append(name)
                    texts.append(CodeText(value) if name in code_fields else value)
            batch.append(record)
            present.append(names)
        if len(batch) >= size:
            yield (batch, present), texts  # type: ignore[misc]
            batch, present, texts = [], [], []
    if batch:
        yield (batch, present), texts  # type: ignore[misc]


#: One output item: the (redacted) record -- or the problem that set it aside --, its
#: findings per field, and the configured fields it lacked.
Processed = tuple[dict[str, Any] | RecordProblem, dict[str, list[PiiFinding]], list[str]]


def process_records(
    records: Iterable[Record | RecordProblem],
    *,
    fields: Sequence[str],
    config: PiiConfig,
    redact: bool,
    workers: int | None = None,
    detector: PiiDetector | None = None,
    source: str | None = None,
    first_index: int = 0,
    on_error: OnError = "raise",
) -> Iterator[list[Processed]]:
    """The shared pipeline: batches of ``(output record, findings per field, missing fields)``.

    The output record is a redacted copy when ``redact`` is true, else the input record; a
    record that cannot be processed comes out as its :class:`RecordProblem` (``on_error`` other
    than ``"raise"``).
    """
    if on_error not in ("raise", "skip", "reject"):
        raise ConfigError(
            f"on_error must be 'raise', 'skip' or 'reject', not {on_error!r}", field="$.on_error"
        )
    names = check_fields(fields)
    n_workers = workers or 1
    if n_workers > 1:
        if detector is not None:
            raise ConfigError("a detector instance cannot be shared with worker processes")
        prepare_workers(config)
        det = None
    else:
        det = detector if detector is not None else get_detector(config)
    chunks = _chunks(
        records,
        names,
        config.batch_size,
        source=source,
        first=first_index,
        on_error=on_error,
        code_fields=config.code_fields,
    )
    for (batch, present), found in map_chunks(
        chunks, config=config, workers=n_workers, detector=det
    ):
        out: list[Processed] = []
        cursor = 0
        for record, fields_here in zip(batch, present, strict=True):
            if isinstance(record, RecordProblem):
                out.append((record, {}, []))
                continue
            per_field: dict[str, list[PiiFinding]] = {}
            new = dict(record) if redact else record
            for name in fields_here:
                per_field[name] = found[cursor]
                if redact:
                    new[name] = apply_operators(record[name], found[cursor], config)  # type: ignore[index]
                cursor += 1
            out.append((new, per_field, [n for n in names if n not in per_field]))  # type: ignore[arg-type]
        yield out


def _model(config: PiiConfig, detector: PiiDetector | None) -> str | None:
    return (detector if detector is not None else get_detector(config)).model_name


def scan_records(
    records: Iterable[Record],
    *,
    fields: Sequence[str],
    config: PiiConfig | None = None,
    workers: int | None = None,
    detector: PiiDetector | None = None,
    progress: Progress | None = None,
) -> PiiReport:
    """Scan text fields of many records and count findings (constant memory).

    Args:
        records: mappings (e.g. parsed JSONL lines); consumed lazily, never modified.
        fields: names of the text fields to scan; missing or null values are counted, not errors.
        config: detection options.
        workers: worker processes (``None``/``1``: this process).
        detector: a ready detector (in-process only).
        progress: called as ``progress(records_done, None)`` after each batch.

    Returns:
        Counts per entity type and field, records touched, throughput; ``.summary`` is the
        :class:`~openmodel_gov.PiiScanSummary` for the dataset's manifest.

    Raises:
        InputError: a record is not a mapping, or a field holds a non-text value.
        ConfigError: bad options.

    >>> cfg = PiiConfig(model="blank", entities=["EMAIL_ADDRESS"])
    >>> rows = [{"text": "mail a@example.org"}, {"text": "nothing"}, {"other": 1}]
    >>> scan_records(rows, fields=["text"], config=cfg).counts_by_entity
    {'EMAIL_ADDRESS': 1}
    """
    cfg = config if config is not None else PiiConfig()
    tally = Tally(check_fields(fields))
    started = time.perf_counter()
    for batch in process_records(
        records, fields=fields, config=cfg, redact=False, workers=workers, detector=detector
    ):
        for item, per_field, missing in batch:
            if isinstance(item, RecordProblem):
                tally.add_problem(item)
            else:
                tally.add(per_field, missing)
        if progress is not None:
            progress(tally.records, None)
    return tally.report(
        entities=checked_entities(cfg),
        redacted=False,
        model=_model(cfg, detector) if (workers or 1) <= 1 else _worker_model(cfg),
        resumed_at=0,
        seconds=time.perf_counter() - started,
    )


def _worker_model(cfg: PiiConfig) -> str | None:
    from openmodel_gov.pii._engine import resolve_model

    target = resolve_model(cfg)
    return None if target is None else getattr(target, "name", str(target))


def redact_records(
    records: Iterable[Record],
    *,
    fields: Sequence[str],
    config: PiiConfig | None = None,
    workers: int | None = None,
    detector: PiiDetector | None = None,
) -> Iterator[dict[str, Any]]:
    """Yield a redacted copy of each record, in order (inputs are not modified).

    Use :func:`redact_file` for files with a report and checkpoints.

    >>> cfg = PiiConfig(model="blank", entities=["EMAIL_ADDRESS"])
    >>> list(redact_records([{"id": 1, "text": "mail a@example.org"}], fields=["text"], config=cfg))
    [{'id': 1, 'text': 'mail <EMAIL_ADDRESS>'}]
    """
    cfg = config if config is not None else PiiConfig()
    for batch in process_records(
        records, fields=fields, config=cfg, redact=True, workers=workers, detector=detector
    ):
        for record, _, _ in batch:
            if not isinstance(record, RecordProblem):
                yield record


class BatchRedactor:
    """A batch function for ``datasets.Dataset.map(fn, batched=True)`` (columns -> columns).

    Picklable: the detector is built lazily in the process that runs it (``num_proc`` works).

    >>> fn = BatchRedactor(fields=["text"], config=PiiConfig(model="blank", entities=["IP_ADDRESS"]))
    >>> fn({"text": ["from 10.0.0.7", None], "id": [1, 2]})
    {'text': ['from <IP_ADDRESS>', None], 'id': [1, 2]}
    """

    def __init__(self, *, fields: Sequence[str], config: PiiConfig | None = None) -> None:
        self.fields = check_fields(fields)
        self.config = config if config is not None else PiiConfig()
        self._detector: PiiDetector | None = None

    def __getstate__(self) -> dict[str, Any]:
        return {"fields": self.fields, "config": self.config, "_detector": None}

    def __setstate__(self, state: dict[str, Any]) -> None:
        self.__dict__.update(state)

    def __call__(self, batch: Mapping[str, Sequence[Any]]) -> dict[str, list[Any]]:
        """Redact the configured columns of one batch; other columns pass through."""
        return self.redact_batch(batch)

    def redact_batch(
        self, batch: Mapping[str, Sequence[Any]], *, tally: Tally | None = None
    ) -> dict[str, list[Any]]:
        """Redact one batch of columns, counting findings per row into ``tally`` if given."""
        if self._detector is None:
            self._detector = get_detector(self.config)
        out = {name: list(values) for name, values in batch.items()}
        rows = len(next(iter(out.values()))) if out else 0
        per_row: list[dict[str, list[PiiFinding]]] = [{} for _ in range(rows)]
        for name in self.fields:
            if name not in out:
                raise InputError(f"batch has no column {name!r}", field=f"$.{name}")
            column = out[name]
            where = [i for i, v in enumerate(column) if v is not None]
            for i in where:
                if not isinstance(column[i], str):
                    raise InputError(
                        f"column {name!r} row {i} is a {type(column[i]).__name__}, expected text",
                        field=f"$.{name}[{i}]",
                    )
            texts = [column[i] for i in where]
            found = self._detector.detect(
                mark_code(texts) if name in self.config.code_fields else texts
            )
            for i, findings in zip(where, found, strict=True):
                column[i] = apply_operators(column[i], findings, self.config)
                per_row[i][name] = findings
        if tally is not None:
            for row in per_row:
                tally.add(row, [n for n in self.fields if n not in row])
        return out
