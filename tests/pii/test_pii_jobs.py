"""PII jobs that finish: odd records, long fields, locks, stale files, worker processes.

The reproducers of issue 20 (PII jobs) are here as regression cases.
"""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import textwrap
import time
from collections.abc import Sequence
from pathlib import Path

import pytest

from openmodel_gov._cli import main
from openmodel_gov.errors import InputError, OutputLockedError, ParseError
from openmodel_gov.pii import PiiConfig, PiiFinding, redact_file, scan_file, scan_texts
from openmodel_gov.pii._files import output_lock
from openmodel_gov.pii._workers import map_chunks

CFG = PiiConfig(model="blank", entities=["EMAIL_ADDRESS"])
SRC = Path(__file__).resolve().parents[2] / "src"


def jsonl(path: Path, lines: list[str]) -> Path:
    path.write_text("".join(line + "\n" for line in lines), encoding="utf-8")
    return path


def test_field_over_spacy_max_length_is_scanned_in_windows(tmp_path: Path) -> None:
    text = "x " * 600_000 + "mail a@example.org"
    src = jsonl(tmp_path / "in.jsonl", [json.dumps({"text": text})])
    report = redact_file(src, tmp_path / "out.jsonl", fields=["text"], config=CFG)
    assert report.counts_by_entity == {"EMAIL_ADDRESS": 1}
    out = json.loads((tmp_path / "out.jsonl").read_text())
    assert out["text"].endswith("mail <EMAIL_ADDRESS>")


def test_lone_surrogate_is_rejected_with_line_and_field_never_content(tmp_path: Path) -> None:
    src = jsonl(
        tmp_path / "in.jsonl",
        ['{"text": "a@example.org"}', '{"text": "secret-value \\ud800"}', '{"text": "ok"}'],
    )
    out = tmp_path / "out.jsonl"
    report = redact_file(src, out, fields=["text"], config=CFG)
    assert (report.records_scanned, report.records_rejected) == (3, 1)
    assert len(out.read_text().splitlines()) == 2
    rejects = [
        json.loads(x) for x in (tmp_path / "out.jsonl.rejects.jsonl").read_text().splitlines()
    ]
    assert rejects == [{"field": "text", "index": 1, "line": 2, "reason": rejects[0]["reason"]}]
    assert "surrogate" in rejects[0]["reason"]
    assert "secret-value" not in (tmp_path / "out.jsonl.rejects.jsonl").read_text()
    with pytest.raises(InputError, match="lone surrogate") as info:
        redact_file(src, out, fields=["text"], config=CFG, on_error="raise", resume=False)
    assert (info.value.line, info.value.field) == (2, "$[1].text")
    assert "secret-value" not in str(info.value)
    skipped = redact_file(src, out, fields=["text"], config=CFG, on_error="skip", resume=False)
    assert skipped.records_rejected == 1
    assert not (tmp_path / "out.jsonl.rejects.jsonl").exists()


def test_deep_json_nesting_is_a_typed_error(tmp_path: Path) -> None:
    deep = '{"text": "a", "x": ' + "[" * 100_000 + "]" * 100_000 + "}"
    src = jsonl(tmp_path / "in.jsonl", [deep, '{"text": "b@example.org"}'])
    with pytest.raises(ParseError, match="nested too deeply") as info:
        scan_file(src, fields=["text"], config=CFG, on_error="raise")
    assert info.value.line == 1
    report = scan_file(src, fields=["text"], config=CFG)
    assert (report.records_rejected, report.counts_by_entity) == (1, {"EMAIL_ADDRESS": 1})


def test_duplicate_key_error_does_not_echo_the_key(tmp_path: Path) -> None:
    src = jsonl(tmp_path / "in.jsonl", ['{"jane.doe@example.org": 1, "jane.doe@example.org": 2}'])
    with pytest.raises(ParseError) as info:
        scan_file(src, fields=["text"], config=CFG, on_error="raise")
    assert "jane.doe" not in str(info.value)
    assert "duplicate key" in str(info.value)


def test_csv_field_over_131072_characters(tmp_path: Path) -> None:
    src = tmp_path / "in.csv"
    src.write_text("id,text\n1," + "y" * 200_000 + " a@example.org\n", encoding="utf-8")
    report = redact_file(src, tmp_path / "out.csv", fields=["text"], config=CFG)
    assert report.counts_by_entity == {"EMAIL_ADDRESS": 1}


def test_unclosed_csv_quote_does_not_merge_the_rest_of_the_file(tmp_path: Path) -> None:
    src = tmp_path / "in.csv"
    src.write_text('id,text\n1,"unclosed\n2,b@example.org\n3,c\n', encoding="utf-8")
    with pytest.raises(ParseError, match="never closed") as info:
        redact_file(src, tmp_path / "out.csv", fields=["text"], config=CFG)
    assert info.value.line == 2
    assert not (tmp_path / "out.csv").exists()


def test_two_jobs_on_one_output_are_refused(tmp_path: Path) -> None:
    src = jsonl(tmp_path / "in.jsonl", ['{"text": "a@example.org"}'])
    out = tmp_path / "out.jsonl"
    with output_lock(out):
        with pytest.raises(OutputLockedError, match="another job") as info:
            redact_file(src, out, fields=["text"], config=CFG)
        assert isinstance(info.value, OSError)
    redact_file(src, out, fields=["text"], config=CFG)
    assert not (tmp_path / "out.jsonl.pii-lock").exists()


def test_stale_assembly_temporaries_are_cleaned(tmp_path: Path) -> None:
    src = jsonl(tmp_path / "in.jsonl", ['{"text": "a@example.org"}'])
    stale = tmp_path / ".out.jsonl.k3j2h1.tmp"
    stale.write_text("half")
    other = tmp_path / ".other.jsonl.k3j2h1.tmp"
    other.write_text("not ours")
    redact_file(src, tmp_path / "out.jsonl", fields=["text"], config=CFG)
    assert not stale.exists()
    assert other.exists()


def test_invalid_on_error_is_a_config_error(tmp_path: Path) -> None:
    src = jsonl(tmp_path / "in.jsonl", ['{"text": "a"}'])
    from openmodel_gov.errors import ConfigError

    with pytest.raises(ConfigError, match="on_error"):
        scan_file(src, fields=["text"], config=CFG, on_error="ignore")  # type: ignore[arg-type]


class Double:
    """A detector double that tags what it saw (a pool would not use it)."""

    entities = ("EMAIL_ADDRESS",)
    model_name = None

    def detect(self, texts: Sequence[str]) -> list[list[PiiFinding]]:
        return [[PiiFinding("EMAIL_ADDRESS", 0, 1, 1.0, "double")] for _ in texts]


def test_small_inputs_run_in_process_even_with_workers() -> None:
    chunks = [(i, ["a", "b"]) for i in range(5)]
    out = list(map_chunks(iter(chunks), config=CFG, workers=4, detector=Double()))
    assert [tag for tag, _ in out] == [0, 1, 2, 3, 4]
    assert all(f[0].recognizer == "double" for _, found in out for f in found)
    assert len(list(scan_texts(["a@example.org"] * 100, config=CFG, workers=2))) == 100


def _run(script: str, tmp_path: Path, timeout: float = 120) -> subprocess.CompletedProcess[str]:
    path = tmp_path / "job.py"
    path.write_text(textwrap.dedent(script))
    env = {**os.environ, "PYTHONPATH": str(SRC)}
    return subprocess.run(
        [sys.executable, str(path)],
        capture_output=True,
        text=True,
        env=env,
        timeout=timeout,
        check=False,
    )


@pytest.mark.skipif(sys.platform != "linux", reason="reads /proc")
def test_script_without_main_guard_gets_a_clear_worker_error(tmp_path: Path) -> None:
    done = _run(
        """
        from openmodel_gov.pii import PiiConfig, scan_texts
        cfg = PiiConfig(model="blank", entities=["EMAIL_ADDRESS"])
        print(sum(len(f) for f in scan_texts(["a@example.org"] * 600, config=cfg, workers=2)))
        """,
        tmp_path,
    )
    assert done.returncode != 0
    assert "WorkerError" in done.stderr
    assert 'if __name__ == "__main__":' in done.stderr
    assert "BrokenProcessPool" not in done.stderr.splitlines()[-1]


def _children(pid: int) -> list[int]:
    out = []
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                fields = (entry / "stat").read_text().rsplit(")", 1)[1].split()
            except OSError:
                continue
            if int(fields[1]) == pid:
                out.append(int(entry.name))
    return out


def _alive(pid: int) -> bool:
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except OSError:
        return False
    return state != "Z"


@pytest.mark.skipif(sys.platform != "linux", reason="reads /proc")
def test_workers_die_with_their_killed_parent(tmp_path: Path) -> None:
    data = tmp_path / "big.jsonl"
    line = json.dumps({"text": "write to a@example.org or call me " * 20}) + "\n"
    data.write_text(line * 50_000)
    script = tmp_path / "job.py"
    script.write_text(
        textwrap.dedent(
            f"""
            from openmodel_gov.pii import PiiConfig, redact_file
            if __name__ == "__main__":
                cfg = PiiConfig(model="blank", entities=["EMAIL_ADDRESS"], batch_size=16)
                redact_file({str(data)!r}, {str(tmp_path / "out.jsonl")!r}, fields=["text"],
                            config=cfg, workers=2)
            """
        )
    )
    env = {**os.environ, "PYTHONPATH": str(SRC)}
    proc = subprocess.Popen([sys.executable, str(script)], env=env)
    try:
        deadline = time.monotonic() + 90
        workers: list[int] = []
        while time.monotonic() < deadline and proc.poll() is None:
            workers = [p for p in _children(proc.pid) if _alive(p)]
            if len(workers) >= 2:
                break
            time.sleep(0.2)
        assert len(workers) >= 2, "workers did not start"
        time.sleep(1.0)
        os.kill(proc.pid, signal.SIGKILL)
        proc.wait(timeout=10)
        deadline = time.monotonic() + 15
        while time.monotonic() < deadline and any(_alive(p) for p in workers):
            time.sleep(0.2)
        assert not any(_alive(p) for p in workers), "a worker outlived its parent by 15 s"
    finally:
        if proc.poll() is None:  # pragma: no cover - only when the test fails early
            proc.kill()
    # The lock died with the process: the next job on this output is not refused.
    with output_lock(tmp_path / "out.jsonl"):
        pass


def test_cli_resume_and_restart(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    src = jsonl(tmp_path / "in.jsonl", ['{"text": "a@example.org"}'] * 3)
    out = tmp_path / "out.jsonl"
    work = tmp_path / "out.jsonl.pii-partial"
    work.mkdir()
    (work / "checkpoint.json").write_text(json.dumps({"fingerprint": {"other": 1}, "parts": 0}))
    args = ["pii", "redact", str(src), str(out), "--field", "text", "--model", "blank",
            "--entity", "EMAIL_ADDRESS"]  # fmt: skip
    assert main(args) != 0
    assert "checkpoint" in capsys.readouterr().err
    assert main([*args, "--restart"]) == 0
    assert out.read_text().count("<EMAIL_ADDRESS>") == 3
    assert main([*args, "--resume", "--on-error", "raise"]) == 0


def test_pool_path_keeps_order_and_worker_functions() -> None:
    from openmodel_gov.pii._workers import worker_detect, worker_init

    chunks = [(i, [f"mail u{i}@example.org", "none"]) for i in range(6)]
    out = list(map_chunks(iter(chunks), config=CFG, workers=2, in_process_below=0))
    assert [tag for tag, _ in out] == list(range(6))
    assert [[len(f) for f in found] for _, found in out] == [[1, 0]] * 6
    worker_init(CFG)
    assert [len(f) for f in worker_detect(["a@example.org", "x"])] == [1, 0]
