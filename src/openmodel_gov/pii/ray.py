"""PII redaction on a Ray cluster: a ``map_batches`` callable class and ``redact_dataset_ray``.

Needs the ``[ray]`` extra. Each Ray worker (actor) builds its detector once, in the
constructor; batches then only run detection.

>>> from openmodel_gov.pii import PiiConfig
>>> redactor = RayPiiRedactor(fields=["text"], config=PiiConfig(model="blank", entities=["EMAIL_ADDRESS"]))
>>> redactor({"text": ["mail ops@example.com"], "id": [7]})
{'text': ['mail <EMAIL_ADDRESS>'], 'id': [7]}
"""

from __future__ import annotations

import os
import shutil
import time
import uuid
import warnings
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any, Literal

from openmodel_gov._core._deps import require
from openmodel_gov.errors import ConfigError, FileAccessError
from openmodel_gov.pii._config import PiiConfig
from openmodel_gov.pii._engine import checked_entities, get_detector
from openmodel_gov.pii._records import BatchRedactor, check_fields
from openmodel_gov.pii._report import PiiReport, Tally

__all__ = ["RayPiiRedactor", "redact_dataset_ray"]


class RayPiiRedactor:
    """Callable class for ``ray.data.Dataset.map_batches``: builds the analyzer once per worker.

    Accepts batches as a ``pyarrow.Table`` (``batch_format="pyarrow"``, returns a table with the
    same schema) or a mapping of columns (lists or NumPy arrays; returns lists).

    Args:
        fields: text columns to redact.
        config: detection and operator options.
        tally: optional Ray actor handle with an ``add(state)`` method, sent each batch's counts.

    Example::

        ds.map_batches(RayPiiRedactor, fn_constructor_kwargs={"fields": ["text"]},
                       batch_format="pyarrow", concurrency=4)
    """

    def __init__(
        self, *, fields: Sequence[str], config: PiiConfig | None = None, tally: Any = None
    ) -> None:
        self._redactor = BatchRedactor(fields=fields, config=config)
        self._fields = check_fields(fields)
        self._tally = tally
        get_detector(self._redactor.config)  # load the pipeline now, once per worker

    def __call__(self, batch: Any) -> Any:
        """Redact one batch; other columns pass through unchanged."""
        tally = Tally(self._fields) if self._tally is not None else None
        if hasattr(batch, "to_pydict") and hasattr(batch, "schema"):
            pa = require("pyarrow", extra="ray", feature="RayPiiRedactor")
            out = self._redactor.redact_batch(batch.to_pydict(), tally=tally)
            result: Any = pa.Table.from_pydict(out, schema=batch.schema)
        else:
            columns = {k: _as_list(v) for k, v in batch.items()}
            result = self._redactor.redact_batch(columns, tally=tally)
        if tally is not None:
            ray = require("ray", extra="ray", feature="RayPiiRedactor")
            ray.get(self._tally.add.remote(tally.state()))
        return result


def _as_list(values: Any) -> list[Any]:
    return values.tolist() if hasattr(values, "tolist") else list(values)


class _TallyActor:
    """Sums batch counts sent by the workers (a Ray actor)."""

    def __init__(self, fields: Sequence[str]) -> None:
        self.tally = Tally(fields)

    def add(self, state: Mapping[str, Any]) -> None:
        part = Tally(self.tally.fields, state)
        t = self.tally
        t.records += part.records
        t.with_pii += part.with_pii
        t.texts += part.texts
        for k, v in part.by_entity.items():
            t.by_entity[k] = t.by_entity.get(k, 0) + v
        for f, counts in part.by_field.items():
            slot = t.by_field.setdefault(f, {})
            for k, v in counts.items():
                slot[k] = slot.get(k, 0) + v
        for k, v in part.missing.items():
            t.missing[k] = t.missing.get(k, 0) + v

    def state(self) -> dict[str, Any]:
        return self.tally.state()


def redact_dataset_ray(
    src: str | os.PathLike[str] | Sequence[str],
    dst: str | os.PathLike[str],
    *,
    fields: Sequence[str],
    format: Literal["parquet", "jsonl"] | None = None,  # noqa: A002 - documented option name
    config: PiiConfig | None = None,
    workers: int = 2,
    batch_size: int = 256,
    overwrite: bool = False,
    cpus_per_worker: float | None = None,
    blocks: int | None = None,
) -> PiiReport:
    """Redact a Parquet or JSONL dataset with Ray Data, writing the same format to ``dst``.

    Reads ``src`` (file, folder or list of files), runs :class:`RayPiiRedactor` on ``workers``
    actors, keeps row order, and writes a folder of files to a temporary folder next to ``dst``
    that is renamed into place when complete (``dst`` is never half-written). Uses the running
    Ray cluster, or starts a local one as ``ray.data`` does.

    ``cpus_per_worker`` (default: up to 1, leaving one CPU of the cluster free) is the CPU
    reservation of each detector actor: if the actors reserved every CPU, Ray Data's file
    listing and read tasks would never be scheduled and the job would hang
    (ray-project/ray#44687). ``blocks`` sets how many blocks the input is read into (Ray
    decides by default; a small input may become one block, which only one worker can take).

    Returns:
        Counts per entity type and field (``.summary`` for the manifest) and throughput.

    Raises:
        ConfigError: unknown format, ``dst`` exists without ``overwrite``, bad options.
        MissingDependencyError: the ``[ray]`` extra is not installed.
    """
    ray = require("ray", extra="ray", feature="redact_dataset_ray")
    cpus = cpus_per_worker
    cfg = config if config is not None else PiiConfig()
    names = check_fields(fields)
    paths = [os.fspath(src)] if isinstance(src, (str, os.PathLike)) else [str(p) for p in src]
    fmt = format or _guess_format(paths[0])
    out = Path(dst)
    if out.exists() and not overwrite:
        raise ConfigError("dst exists", source=str(out), hint="pass overwrite=True or remove it")
    if not out.parent.is_dir():
        raise FileAccessError("the output folder does not exist", source=str(out))
    if workers < 1 or batch_size < 1:
        raise ConfigError("workers and batch_size must be at least 1", field="$.workers")
    get_detector(cfg.model_copy(update={"model": "blank"}))  # bad entity types fail here
    with warnings.catch_warnings():
        # Ray's own default context trips its own deprecation warning on first creation.
        warnings.filterwarnings("ignore", message="`use_push_based_shuffle` is deprecated")
        ctx = ray.data.DataContext.get_current()
    keep_order = ctx.execution_options.preserve_order
    ctx.execution_options.preserve_order = True
    tmp = out.with_name(f".{out.name}.{uuid.uuid4().hex}.tmp")
    tally = ray.remote(num_cpus=0)(_TallyActor).remote(list(names))
    began = time.perf_counter()
    try:
        io_args = {"num_cpus": 0}
        if fmt == "parquet":
            ds = ray.data.read_parquet(paths, num_cpus=0, override_num_blocks=blocks)
        else:
            ds = ray.data.read_json(paths, lines=True, num_cpus=0, override_num_blocks=blocks)
        # Streaming re-blocking: a small file is often read as one block, and one block can
        # only go to one actor. Blocks of at most batch_size rows keep every worker busy.
        ds = ds.repartition(target_num_rows_per_block=batch_size)
        ds = ds.map_batches(
            RayPiiRedactor,
            fn_constructor_kwargs={"fields": list(names), "config": cfg, "tally": tally},
            batch_format="pyarrow",
            batch_size=batch_size,
            compute=ray.data.ActorPoolStrategy(size=workers),
            num_cpus=cpus if cpus is not None else _cpus_per_worker(ray, workers),
        )
        if fmt == "parquet":
            ds.write_parquet(str(tmp), ray_remote_args=io_args)
        else:
            ds.write_json(str(tmp), ray_remote_args=io_args)
        state = ray.get(tally.state.remote())
        _swap_into_place(tmp, out)
    finally:
        ctx.execution_options.preserve_order = keep_order
        shutil.rmtree(tmp, ignore_errors=True)
        ray.kill(tally)
    model_target = cfg.model if cfg.model != "blank" else None
    return Tally(names, state).report(
        entities=checked_entities(cfg),
        redacted=True,
        model=model_target if model_target is not None else get_detector(cfg).model_name,
        resumed_at=0,
        seconds=time.perf_counter() - began,
    )


def _cpus_per_worker(ray: Any, workers: int) -> float:
    if not ray.is_initialized():
        ray.init()  # what ray.data would do on first use; we need the CPU count first
    total = float(ray.cluster_resources().get("CPU", workers + 1))
    return max(0.1, min(1.0, (total - 1) / workers))


def _guess_format(path: str) -> Literal["parquet", "jsonl"]:
    lowered = path.lower().rstrip("/")
    if lowered.endswith((".jsonl", ".ndjson", ".json")):
        return "jsonl"
    if lowered.endswith((".parquet", ".pq")) or Path(path).is_dir():
        return "parquet"
    raise ConfigError(f"cannot tell the format of {path!r}", field="$.format", hint="pass format=")


def _swap_into_place(tmp: Path, out: Path) -> None:
    old = out.with_name(f".{out.name}.{uuid.uuid4().hex}.old")
    if out.exists():
        os.replace(out, old)
    os.replace(tmp, out)
    if old.exists():
        shutil.rmtree(old) if old.is_dir() else old.unlink()
