"""openmodel_gov.pii.ray on a local 2-CPU Ray cluster (few, small tests: Ray startup is slow)."""

from __future__ import annotations

import json
import logging
import warnings
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pyarrow as pa
import pyarrow.parquet as pq
import pytest

from openmodel_gov.errors import ConfigError, FileAccessError
from openmodel_gov.pii import PiiConfig, redact_records
from openmodel_gov.pii.ray import RayPiiRedactor, _TallyActor, redact_dataset_ray

CFG = PiiConfig(model="blank", entities=["EMAIL_ADDRESS", "IP_ADDRESS"])


def rows(n: int) -> list[dict[str, Any]]:
    return [
        {
            "id": i,
            "text": f"row {i} mail u{i}@example.com from 10.0.0.{i % 250}" if i % 4 else f"row {i}",
        }
        for i in range(n)
    ]


def test_callable_class_in_process() -> None:
    redactor = RayPiiRedactor(fields=["text"], config=CFG)
    table = pa.Table.from_pylist(rows(6))
    out = redactor(table)
    assert out.schema == table.schema
    assert out.to_pylist() == list(redact_records(rows(6), fields=["text"], config=CFG))
    numpy_like = {"text": _Array(["x 10.1.1.1"]), "id": _Array([1])}
    assert redactor(numpy_like) == {"text": ["x <IP_ADDRESS>"], "id": [1]}


class _Array(list[Any]):
    def tolist(self) -> list[Any]:
        return list(self)


def test_tally_actor_sums_states() -> None:
    actor = _TallyActor(["text"])
    state = {
        "records": 2,
        "with_pii": 1,
        "texts": 2,
        "by_entity": {"IP_ADDRESS": 1},
        "by_field": {"text": {"IP_ADDRESS": 1}},
        "missing": {"text": 1},
    }
    actor.add(state)
    actor.add(state)
    assert actor.state()["by_field"] == {"text": {"IP_ADDRESS": 2}}
    assert actor.state()["records"] == 4
    assert actor.state()["missing"] == {"text": 2}


def test_option_errors(tmp_path: Path) -> None:
    (tmp_path / "exists").mkdir()
    with pytest.raises(ConfigError, match="dst exists"):
        redact_dataset_ray(
            tmp_path / "in.parquet", tmp_path / "exists", fields=["text"], config=CFG
        )
    with pytest.raises(FileAccessError, match="output folder"):
        redact_dataset_ray(
            tmp_path / "in.parquet", tmp_path / "no" / "out", fields=["text"], config=CFG
        )
    with pytest.raises(ConfigError, match="cannot tell the format"):
        redact_dataset_ray(tmp_path / "in.csv", tmp_path / "out", fields=["text"], config=CFG)
    with pytest.raises(ConfigError, match="at least 1"):
        redact_dataset_ray(
            tmp_path / "in.parquet", tmp_path / "out", fields=["text"], config=CFG, workers=0
        )


@pytest.fixture(scope="module")
def cluster() -> Iterator[None]:
    ray = pytest.importorskip("ray")
    ray.init(
        num_cpus=2,
        include_dashboard=False,
        logging_level=logging.ERROR,
        configure_logging=False,
        log_to_driver=False,
    )
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", DeprecationWarning)  # Ray's default context, not ours
        ctx = ray.data.DataContext.get_current()
    ctx.enable_progress_bars = False
    try:
        yield
    finally:
        ray.shutdown()


RAY_ADVICE = "ignore:The minimum number of concurrent actors:UserWarning"


@pytest.mark.ray
@pytest.mark.slow
@pytest.mark.filterwarnings(RAY_ADVICE)
def test_redact_parquet_with_two_workers(cluster: None, tmp_path: Path) -> None:
    data = rows(120)
    pq.write_table(pa.Table.from_pylist(data), tmp_path / "in.parquet")
    (tmp_path / "out").mkdir()
    report = redact_dataset_ray(
        tmp_path / "in.parquet",
        tmp_path / "out",
        fields=["text"],
        config=CFG,
        workers=2,
        batch_size=16,
        overwrite=True,
        blocks=4,
    )
    assert pq.read_table(tmp_path / "out").to_pylist() == list(
        redact_records(data, fields=["text"], config=CFG)
    )
    assert report.records_scanned == 120
    assert report.redacted
    assert report.counts_by_entity == {"EMAIL_ADDRESS": 90, "IP_ADDRESS": 90}
    assert report.summary.records_with_pii == 90
    assert not [p for p in tmp_path.iterdir() if p.name.startswith(".")]


@pytest.mark.ray
@pytest.mark.slow
@pytest.mark.filterwarnings(RAY_ADVICE)
def test_redact_jsonl_with_one_worker(cluster: None, tmp_path: Path) -> None:
    data = rows(20)
    (tmp_path / "in.jsonl").write_text("".join(json.dumps(r) + "\n" for r in data))
    report = redact_dataset_ray(
        tmp_path / "in.jsonl", tmp_path / "out", fields=["text"], config=CFG, workers=1
    )
    lines = [
        json.loads(line)
        for f in sorted((tmp_path / "out").iterdir())
        for line in f.read_text().splitlines()
    ]
    assert lines == list(redact_records(data, fields=["text"], config=CFG))
    assert report.records_scanned == 20
