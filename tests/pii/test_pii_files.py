"""Tests of record- and file-level PII scanning and redaction (JSONL, CSV, Parquet, resume)."""

from __future__ import annotations

import csv
import json
import pickle
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pyarrow as pa
import pyarrow.parquet as pq
import pytest

from openmodel_gov._core._pii_summary import PiiScanSummary
from openmodel_gov.errors import ConfigError, FileAccessError, InputError, ParseError
from openmodel_gov.pii import (
    BatchRedactor,
    PiiConfig,
    PiiReport,
    redact_file,
    redact_records,
    scan_file,
    scan_records,
)
from openmodel_gov.pii._report import Tally

CFG = PiiConfig(model="blank", entities=["EMAIL_ADDRESS", "IP_ADDRESS", "PHONE_NUMBER"])


class StopError(Exception):
    """Injected failure."""


def rows(n: int) -> list[dict[str, Any]]:
    out: list[dict[str, Any]] = []
    for i in range(n):
        text = f"ticket {i}: mail user{i}@example.com" if i % 3 else f"ticket {i}: nothing here"
        note = None if i % 5 == 0 else f"from 10.0.{i % 200}.7"
        out.append({"id": i, "text": text, "note": note, "score": i / 4})
    return out


def write(fmt: str, path: Path, data: list[dict[str, Any]]) -> Path:
    if fmt == "jsonl":
        path.write_text("".join(json.dumps(r) + "\n" for r in data), encoding="utf-8")
    elif fmt == "csv":
        with path.open("w", newline="", encoding="utf-8") as fh:
            writer = csv.DictWriter(fh, fieldnames=list(data[0]))
            writer.writeheader()
            writer.writerows({k: "" if v is None else v for k, v in r.items()} for r in data)
    else:
        pq.write_table(pa.Table.from_pylist(data), path)
    return path


def read(fmt: str, path: Path) -> list[dict[str, Any]]:
    if fmt == "jsonl":
        return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines()]
    if fmt == "csv":
        with path.open(newline="", encoding="utf-8") as fh:
            return list(csv.DictReader(fh))
    return list(pq.read_table(path).to_pylist())


# --------------------------------------------------------------------------- records


def test_scan_records_counts_by_entity_and_field() -> None:
    data = rows(30)
    seen: list[int] = []
    report = scan_records(
        iter(data),
        fields=["text", "note"],
        config=CFG,
        progress=lambda done, total: seen.append(done),
    )
    assert report.records_scanned == 30
    assert report.counts_by_entity == {"EMAIL_ADDRESS": 20, "IP_ADDRESS": 24}
    assert report.counts_by_field == {"note": {"IP_ADDRESS": 24}, "text": {"EMAIL_ADDRESS": 20}}
    assert report.missing_fields == {"note": 6}
    assert report.records_with_pii == 28
    assert report.texts_scanned == 54
    assert report.model is None
    assert not report.redacted
    assert seen[-1] == 30
    assert data == rows(30), "inputs are never modified"


def test_redact_records_copies_and_redacts() -> None:
    data = rows(4)
    out = list(redact_records(data, fields=["text", "note"], config=CFG))
    assert out[1] == {
        "id": 1,
        "text": "ticket 1: mail <EMAIL_ADDRESS>",
        "note": "from <IP_ADDRESS>",
        "score": 0.25,
    }
    assert out[0]["note"] is None
    assert data == rows(4)


@pytest.mark.parametrize(
    ("records", "fields", "error", "message"),
    [
        ([{"text": 5}], ["text"], InputError, "field 'text' is a int"),
        (["not a record"], ["text"], InputError, "expected a mapping"),
        ([{"text": "x"}], [], ConfigError, "non-empty list"),
        ([{"text": "x"}], ["text", "text"], ConfigError, "distinct"),
    ],
)
def test_record_errors(
    records: list[Any], fields: list[str], error: type[Exception], message: str
) -> None:
    with pytest.raises(error, match=message):
        scan_records(records, fields=fields, config=CFG)


def test_a_single_field_name_string_is_accepted() -> None:
    assert scan_records([{"text": "a@example.com"}], fields="text", config=CFG).findings == 1


def test_batch_redactor_for_datasets_map() -> None:
    fn = BatchRedactor(fields=["text"], config=CFG)
    clone = pickle.loads(pickle.dumps(fn))
    batch: dict[str, list[Any]] = {"text": ["mail a@example.com", None], "id": [1, 2]}
    assert clone(batch) == {"text": ["mail <EMAIL_ADDRESS>", None], "id": [1, 2]}
    tally = Tally(["text"])
    fn.redact_batch(batch, tally=tally)
    assert tally.state()["by_entity"] == {"EMAIL_ADDRESS": 1}
    assert tally.state()["missing"] == {"text": 1}
    with pytest.raises(InputError, match="no column 'body'"):
        BatchRedactor(fields=["body"], config=CFG)(batch)
    with pytest.raises(InputError, match="row 0 is a int"):
        fn({"text": [3]})


def test_records_in_worker_processes() -> None:
    data = rows(25)
    report = scan_records(data, fields=["text", "note"], config=CFG, workers=2)
    assert report.counts_by_entity == {"EMAIL_ADDRESS": 16, "IP_ADDRESS": 20}


# --------------------------------------------------------------------------- report


def test_report_rendering_and_manifest_summary() -> None:
    report = scan_records(rows(10), fields=["text", "note"], config=CFG)
    text = str(report)
    assert text.startswith("PII scan: 10 records, 9 with PII (90.0%), 14 findings")
    assert "EMAIL_ADDRESS: 6 (text: 6)" in text
    assert "field 'note' missing or null in 2 records" in text
    assert "| EMAIL_ADDRESS | 6 | 6 | 0 |" in report.to_markdown()
    assert "<table" in report._repr_html_()
    data = report.to_dict()
    assert data["findings"] == 14
    assert "records_per_second" in data
    summary = report.summary
    assert isinstance(summary, PiiScanSummary)
    assert summary.counts_by_entity == {"EMAIL_ADDRESS": 6, "IP_ADDRESS": 8}
    assert summary.entities_checked == CFG.entities
    assert summary.tool is not None
    assert summary.tool.startswith("openmodel-gov ")
    assert report.to_manifest_summary(scanned_at="2026-11-22T10:00:00Z").scanned_at
    assert PiiReport().records_per_second == 0.0
    assert "0 records" in str(PiiReport())


# --------------------------------------------------------------------------- files


@pytest.mark.parametrize("fmt", ["jsonl", "csv", "parquet"])
def test_redact_file_round_trip(fmt: str, tmp_path: Path) -> None:
    src = write(fmt, tmp_path / f"in.{fmt}", rows(50))
    dst = tmp_path / f"out.{fmt}"
    progress: list[tuple[int, int | None]] = []
    report = redact_file(
        src,
        dst,
        fields=["text", "note"],
        config=CFG,
        checkpoint_every=16,
        progress=lambda d, t: progress.append((d, t)),
    )
    out = read(fmt, dst)
    assert len(out) == 50
    assert out[1]["text"] == "ticket 1: mail <EMAIL_ADDRESS>"
    assert out[0]["text"] == "ticket 0: nothing here"
    assert str(out[7]["id"]) == "7"
    assert report.redacted
    assert report.records_scanned == 50
    assert report.counts_by_entity["EMAIL_ADDRESS"] == 33
    assert progress[-1] == (50, 50 if fmt == "parquet" else None)
    assert not (tmp_path / f"out.{fmt}.pii-partial").exists()
    assert sorted(p.name for p in tmp_path.iterdir()) == sorted([src.name, dst.name])
    assert scan_file(dst, fields=["text", "note"], config=CFG).findings == 0
    assert (
        scan_file(src, fields=["text", "note"], config=CFG).counts_by_entity
        == report.counts_by_entity
    )


@pytest.mark.parametrize("fmt", ["jsonl", "csv", "parquet"])
def test_interrupted_run_resumes_to_identical_bytes(fmt: str, tmp_path: Path) -> None:
    src = write(fmt, tmp_path / f"in.{fmt}", rows(90))
    fields = ["text", "note"]
    cfg = CFG.model_copy(update={"batch_size": 8})
    clean = tmp_path / f"clean.{fmt}"
    expected = redact_file(src, clean, fields=fields, config=cfg, checkpoint_every=20)

    def fail_after(limit: int) -> Any:
        def progress(done: int, total: int | None) -> None:
            if done >= limit:
                raise StopError

        return progress

    dst = tmp_path / f"out.{fmt}"
    with pytest.raises(StopError):
        redact_file(
            src, dst, fields=fields, config=cfg, checkpoint_every=20, progress=fail_after(50)
        )
    assert not dst.exists(), "nothing is written to dst before the run completes"
    state = json.loads((tmp_path / f"out.{fmt}.pii-partial" / "checkpoint.json").read_text())
    assert state["records"] == 40
    assert state["parts"] == 2
    resumed = redact_file(src, dst, fields=fields, config=cfg, checkpoint_every=20)
    assert dst.read_bytes() == clean.read_bytes()
    assert resumed.resumed_at == 40
    assert resumed.counts_by_entity == expected.counts_by_entity
    assert resumed.counts_by_field == expected.counts_by_field
    assert resumed.records_with_pii == expected.records_with_pii


def test_checkpoint_of_another_run_is_refused(tmp_path: Path) -> None:
    src = write("jsonl", tmp_path / "in.jsonl", rows(30))
    dst = tmp_path / "out.jsonl"

    def stop(done: int, total: int | None) -> None:
        if done >= 20:
            raise StopError

    with pytest.raises(StopError):
        redact_file(src, dst, fields=["text"], config=CFG, checkpoint_every=10, progress=stop)
    with pytest.raises(ConfigError, match="different run") as info:
        redact_file(src, dst, fields=["text", "note"], config=CFG, checkpoint_every=10)
    assert "resume=False" in str(info.value)
    report = redact_file(
        src, dst, fields=["text", "note"], config=CFG, checkpoint_every=10, resume=False
    )
    assert report.resumed_at == 0
    assert len(read("jsonl", dst)) == 30


def test_a_partial_folder_without_checkpoint_starts_over(tmp_path: Path) -> None:
    src = write("jsonl", tmp_path / "in.jsonl", rows(5))
    (tmp_path / "out.jsonl.pii-partial").mkdir()
    (tmp_path / "out.jsonl.pii-partial" / "part-000000.jsonl").write_text("garbage")
    redact_file(src, tmp_path / "out.jsonl", fields=["text"], config=CFG)
    assert len(read("jsonl", tmp_path / "out.jsonl")) == 5


def test_existing_output_is_replaced_atomically(tmp_path: Path) -> None:
    src = write("jsonl", tmp_path / "in.jsonl", rows(3))
    dst = tmp_path / "out.jsonl"
    dst.write_text("old\n")
    redact_file(src, dst, fields=["text"], config=CFG)
    assert "old" not in dst.read_text()


def test_jsonl_details(tmp_path: Path) -> None:
    src = tmp_path / "in.jsonl"
    src.write_text(
        '{"text": "é a@example.com", "n": [1, {"x": null}]}\n\n{"text": "b"}\n', encoding="utf-8"
    )
    redact_file(src, tmp_path / "out.jsonl", fields=["text"], config=CFG)
    assert (tmp_path / "out.jsonl").read_text(encoding="utf-8") == (
        '{"text": "é <EMAIL_ADDRESS>", "n": [1, {"x": null}]}\n{"text": "b"}\n'
    )


@pytest.mark.parametrize(
    ("content", "line", "message"),
    [
        (b'{"text": "ok"}\n{"text": "bad"\n', 2, "invalid JSON"),
        (b'{"text": "ok"}\n\n[1, 2]\n', 3, "expected a JSON object"),
        (b'{"text": "ok"}\n{"text": "\xff"}\n', 2, "not valid UTF-8"),
        (b'{"text": "a", "text": "b"}\n', 1, "duplicate key"),
        (b'{"text": NaN}\n', 1, "NaN is not valid JSON"),
    ],
)
def test_malformed_jsonl_names_file_and_line(
    tmp_path: Path, content: bytes, line: int, message: str
) -> None:
    src = tmp_path / "bad.jsonl"
    src.write_bytes(content)
    with pytest.raises(ParseError, match=message) as info:
        redact_file(src, tmp_path / "out.jsonl", fields=["text"], config=CFG, on_error="raise")
    assert info.value.source == str(src)
    assert info.value.line == line
    assert not (tmp_path / "out.jsonl").exists()
    report = redact_file(src, tmp_path / "out.jsonl", fields=["text"], config=CFG)
    assert report.records_rejected == 1
    rejects = (tmp_path / "out.jsonl.rejects.jsonl").read_text().splitlines()
    assert [json.loads(r)["line"] for r in rejects] == [line]
    assert message.split()[0] in json.loads(rejects[0])["reason"]


def test_non_text_field_in_a_file(tmp_path: Path) -> None:
    src = write("jsonl", tmp_path / "in.jsonl", [{"text": "ok"}, {"text": 12}])
    with pytest.raises(InputError, match="record 1: field 'text' is a int") as info:
        scan_file(src, fields=["text"], config=CFG, on_error="raise")
    assert info.value.source == str(src)


def test_csv_errors(tmp_path: Path) -> None:
    src = tmp_path / "in.csv"
    src.write_text("id,text\n1,a@example.com\n2,x,extra\n", encoding="utf-8")
    with pytest.raises(ParseError, match="row has 3 cells") as info:
        scan_file(src, fields=["text"], config=CFG, on_error="raise")
    assert scan_file(src, fields=["text"], config=CFG).records_rejected == 1
    assert info.value.line == 3
    src.write_text("id,id\n1,2\n", encoding="utf-8")
    with pytest.raises(ParseError, match="duplicate column"):
        scan_file(src, fields=["id"], config=CFG)
    src.write_text("id,text\n1,a\n", encoding="utf-8")
    with pytest.raises(ConfigError, match="no column named 'body'") as cfg_info:
        scan_file(src, fields=["body"], config=CFG)
    assert "columns: id, text" in str(cfg_info.value)
    src.write_bytes(b"id,text\n1,\xff\n")
    with pytest.raises(ParseError, match="UTF-8") as utf:
        scan_file(src, fields=["text"], config=CFG)
    assert utf.value.line == 2


def test_csv_quoted_multiline_cells(tmp_path: Path) -> None:
    src = tmp_path / "in.csv"
    src.write_text('id,text\n1,"line one\nmail a@example.com"\n2,plain\n', encoding="utf-8")
    report = redact_file(src, tmp_path / "out.csv", fields=["text"], config=CFG, checkpoint_every=1)
    assert report.records_scanned == 2
    assert read("csv", tmp_path / "out.csv")[0]["text"] == "line one\nmail <EMAIL_ADDRESS>"


def test_empty_files(tmp_path: Path) -> None:
    (tmp_path / "e.jsonl").write_text("")
    assert (
        redact_file(
            tmp_path / "e.jsonl", tmp_path / "o.jsonl", fields=["t"], config=CFG
        ).records_scanned
        == 0
    )
    assert (tmp_path / "o.jsonl").read_bytes() == b""
    (tmp_path / "e.csv").write_text("")
    with pytest.raises(ConfigError, match="no column named 't'"):
        redact_file(tmp_path / "e.csv", tmp_path / "o.csv", fields=["t"], config=CFG)
    (tmp_path / "h.csv").write_text("t\n")
    redact_file(tmp_path / "h.csv", tmp_path / "o.csv", fields=["t"], config=CFG)
    assert (tmp_path / "o.csv").read_text() == "t\n"
    pq.write_table(pa.table({"t": pa.array([], pa.string())}), tmp_path / "e.parquet")
    redact_file(tmp_path / "e.parquet", tmp_path / "o.parquet", fields=["t"], config=CFG)
    assert pq.read_table(tmp_path / "o.parquet").num_rows == 0


def test_parquet_errors(tmp_path: Path) -> None:
    pq.write_table(pa.table({"n": [1, 2]}), tmp_path / "n.parquet")
    with pytest.raises(ConfigError, match="is int64, not text"):
        scan_file(tmp_path / "n.parquet", fields=["n"], config=CFG)
    (tmp_path / "bad.parquet").write_bytes(b"not parquet at all")
    with pytest.raises(ParseError, match="not a readable Parquet file"):
        scan_file(tmp_path / "bad.parquet", fields=["n"], config=CFG)


def test_file_option_errors(tmp_path: Path) -> None:
    src = write("jsonl", tmp_path / "in.jsonl", rows(2))
    with pytest.raises(ConfigError, match="cannot tell the format"):
        redact_file(tmp_path / "in.txt", tmp_path / "o.txt", fields=["text"], config=CFG)
    with pytest.raises(ConfigError, match="unknown format"):
        scan_file(src, fields=["text"], format="xml", config=CFG)  # type: ignore[arg-type]
    with pytest.raises(FileAccessError, match="no such file"):
        scan_file(tmp_path / "missing.jsonl", fields=["text"], config=CFG)
    with pytest.raises(FileAccessError, match="not a file"):
        scan_file(tmp_path, fields=["text"], format="jsonl", config=CFG)
    with pytest.raises(FileAccessError, match="output folder does not exist"):
        redact_file(src, tmp_path / "nope" / "o.jsonl", fields=["text"], config=CFG)
    with pytest.raises(ConfigError, match="dst is the source file"):
        redact_file(src, src, fields=["text"], config=CFG)
    with pytest.raises(ConfigError, match="checkpoint_every"):
        redact_file(src, tmp_path / "o.jsonl", fields=["text"], config=CFG, checkpoint_every=0)
    assert (
        redact_file(
            src, tmp_path / "o.data", fields=["text"], format="jsonl", config=CFG
        ).records_scanned
        == 2
    )


def test_memory_stays_bounded_for_long_streams(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The reader is pulled lazily: at most a few batches are read ahead of the writer."""
    src = write("jsonl", tmp_path / "in.jsonl", rows(200))
    from openmodel_gov.pii import _readers

    read_ahead: list[int] = []
    original = _readers.READERS["jsonl"]

    def spy(path: Path, pos: Any, trail: Any, lenient: bool = False) -> Iterator[Any]:
        for record in original(path, pos, trail, lenient):
            read_ahead.append(len(trail))
            yield record

    monkeypatch.setitem(_readers.READERS, "jsonl", spy)
    redact_file(
        src, tmp_path / "o.jsonl", fields=["text"], config=CFG.model_copy(update={"batch_size": 10})
    )
    assert max(read_ahead) <= 20
