"""CLI input files through the bounded front door: one typed error line naming line and column."""

from __future__ import annotations

import hashlib
import re
from pathlib import Path

import pytest

from openmodel_gov._cli import main

DEEP = "[" * 10_000 + "]" * 10_000
HOSTILE: dict[str, tuple[str, bytes]] = {
    "deep_yaml": ("datasets.yaml", f"datasets: {DEEP}\n".encode()),
    "deep_json": ("datasets.json", f'{{"datasets": {DEEP}}}'.encode()),
    "latin1": ("datasets.yaml", b"datasets:\n- name: caf\xe9\n"),
    "dup_yaml": ("datasets.yaml", b"datasets: []\ndatasets: []\n"),
    "dup_json": ("datasets.json", b'{"datasets": [],\n "datasets": []}'),
    "nan_json": ("datasets.json", b'{"datasets": [NaN]}'),
    "inf_yaml": ("datasets.yaml", b"datasets:\n- .inf\n"),
    "bad_tag": ("datasets.yaml", b"datasets:\n- name: !!python/name:os.system x\n"),
}


def _build(tmp_path: Path, datasets: Path) -> list[str]:
    (tmp_path / "snap").mkdir(exist_ok=True)
    (tmp_path / "snap" / "a.txt").write_text("a\n", encoding="utf-8")
    return [
        "manifest", "build", str(tmp_path / "snap"), "-o", str(tmp_path / "m.json"),
        "--datasets", str(datasets),
    ]  # fmt: skip


def _one_error_line(err: str) -> str:
    lines = [line for line in err.splitlines() if line.strip()]
    assert len(lines) == 1, err
    assert lines[0].startswith("error: "), err
    return lines[0]


@pytest.mark.parametrize("name", sorted(HOSTILE))
def test_hostile_datasets_files_are_one_typed_error_line(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, name: str
) -> None:
    file_name, content = HOSTILE[name]
    path = tmp_path / file_name
    path.write_bytes(content)
    code = main(_build(tmp_path, path))
    line = _one_error_line(capsys.readouterr().err)
    assert code == 2
    assert file_name in line
    assert re.search(re.escape(file_name) + r":\d+", line), line  # names the line


def test_a_datasets_error_names_line_and_column(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    path = tmp_path / "datasets.yaml"
    path.write_bytes(b"datasets:\n- name: d\n  version: '1'\n  license: caf\xe9\n")
    assert main(_build(tmp_path, path)) == 2
    assert "datasets.yaml:4:15" in _one_error_line(capsys.readouterr().err)


def test_a_bad_dataset_entry_names_its_line(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    path = tmp_path / "datasets.yaml"
    path.write_text(
        "datasets:\n- name: a\n  version: '1'\n  source_kind: other\n  license: MIT\n"
        "- name: b\n  version: 2\n",
        encoding="utf-8",
    )
    assert main(_build(tmp_path, path)) == 2
    err = capsys.readouterr().err
    assert "datasets.yaml" in err
    assert "line 7" in err or "datasets.yaml:7" in err, err


def test_a_big_manifest_as_datasets_file_is_read(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    # 40,000 files: 280,000 nodes, over the 250,000 of other YAML documents.
    rows = "".join(
        f"- path: f{i:06d}\n  size: {i}\n  sha256: {hashlib.sha256(b'%d' % i).hexdigest()}\n"
        for i in range(40_000)
    )
    path = tmp_path / "old.yaml"
    path.write_text(
        "datasets:\n- name: d\n  version: '1'\n  source_kind: other\n  license: MIT\nfiles:\n"
        + rows,
        encoding="utf-8",
    )
    assert main(_build(tmp_path, path)) == 0, capsys.readouterr().err
    assert (tmp_path / "m.json").is_file()
