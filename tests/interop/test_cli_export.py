"""`openmodel-gov export ...`: exit codes 0 ok, 2 bad input; stdout or -o; --json receipts."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from cyclonedx.schema import SchemaVersion
from cyclonedx.validation.json import JsonStrictValidator

from openmodel_gov._cli import main


def run(args: list[str], capsys: pytest.CaptureFixture[str]) -> tuple[int, str, str]:
    code = main(args)
    captured = capsys.readouterr()
    return code, captured.out, captured.err


def test_cyclonedx_to_stdout_is_valid_and_stamped(
    examples_dir: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code, out, _ = run(
        [
            "export",
            "cyclonedx",
            str(examples_dir / "README.md"),
            "-m",
            str(examples_dir / "support-tickets.manifest.yaml"),
            "--compliance",
            "--timestamp",
            "2026-01-02T03:04:05Z",
        ],
        capsys,
    )
    assert code == 0
    assert JsonStrictValidator(SchemaVersion.V1_6).validate_str(out) is None
    data = json.loads(out)
    assert data["metadata"]["timestamp"] == "2026-01-02T03:04:05+00:00"
    assert "declarations" in data


def test_outputs_and_receipts(
    examples_dir: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    card = str(examples_dir / "README.md")
    manifest = str(examples_dir / "support-tickets.manifest.yaml")
    out = tmp_path / "x.spdx3.jsonld"
    code, stdout, _ = run(
        [
            "export",
            "spdx3",
            card,
            "-m",
            manifest,
            "--no-files",
            "-o",
            str(out),
            "--json",
            "--timestamp",
            "2026-01-02",
        ],
        capsys,
    )
    assert code == 0
    receipt = json.loads(stdout)
    assert receipt == {"format": "spdx3", "output": str(out), "bytes": out.stat().st_size}
    assert "software_File" not in out.read_text(encoding="utf-8")
    code, stdout, _ = run(["export", "croissant", manifest, "-o", str(tmp_path / "c.json")], capsys)
    assert code == 0
    assert stdout.startswith("wrote ")
    code, stdout, _ = run(["export", "croissant", manifest, "--max-file-objects", "1"], capsys)
    assert code == 0
    assert '"cr:FileSet"' in stdout
    code, stdout, _ = run(
        ["export", "ai-act-summary", card, "-m", manifest, "--format", "html"], capsys
    )
    assert code == 0
    assert stdout.startswith("<!DOCTYPE html>")
    code, stdout, _ = run(
        ["export", "ai-act-summary", card, "--provider", "Org", "--complete", "--json"], capsys
    )
    assert code == 0
    assert json.loads(stdout)["document"].startswith("# Public summary")


def test_bad_input_exits_2(
    examples_dir: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code, _, err = run(["export", "spdx3", str(tmp_path / "absent.md")], capsys)
    assert code == 2
    assert "no such card file" in err
    code, _, err = run(
        ["export", "cyclonedx", str(examples_dir / "README.md"), "--timestamp", "yesterday"], capsys
    )
    assert code == 2
    assert "ISO 8601" in err
    bad = tmp_path / "m.yaml"
    bad.write_text("datasets: []\nfiles: []\n", encoding="utf-8")
    code, _, _ = run(["export", "croissant", str(bad)], capsys)
    assert code == 2
    code, _, _ = run(["export"], capsys)
    assert code == 2
