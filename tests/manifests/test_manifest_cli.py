"""``openmodel-gov manifest`` options added for big manifests: layouts, processes, loading."""

from __future__ import annotations

import io
import json
from pathlib import Path

import pytest

from openmodel_gov._cli import _manifest as cli_manifest
from openmodel_gov._cli import main
from openmodel_gov._cli._common import Output


def _run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str]:
    code = main(list(argv))
    return code, capsys.readouterr().out


def test_columns_layout_and_processes_from_the_cli(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    data = tmp_path / "data"
    data.mkdir()
    for i in range(5):
        (data / f"{i}.txt").write_text(str(i))
    target = tmp_path / "m.json"
    code, _ = _run(
        capsys, "manifest", "build", str(data), "-o", str(target), "--name", "d",
        "--version", "1", "--license", "MIT", "--layout", "columns", "--processes", "0",
    )  # fmt: skip
    assert code == 0
    assert isinstance(json.loads(target.read_text())["files"], dict)
    code, out = _run(
        capsys, "manifest", "verify", str(target), str(data), "--processes", "2", "--json"
    )
    assert code == 0
    assert json.loads(out)["ok"] is True
    code, out = _run(capsys, "manifest", "diff", str(target), str(target), "--json")
    assert code == 0


class _Tty(io.StringIO):
    def isatty(self) -> bool:
        return True


def test_loading_a_big_manifest_says_so_on_a_terminal(tmp_path: Path) -> None:
    from openmodel_gov.manifests import DatasetEntry, DatasetManifest, FileEntry

    files = tuple(FileEntry(path=f"f{i:07d}", size=i, sha256="0" * 64) for i in range(1000))
    m = DatasetManifest(
        datasets=(DatasetEntry(name="d", version="1", source_kind="other", license="MIT"),),
        files=files,
    )
    path = tmp_path / "m.json"
    m.save(path)
    with path.open("a") as fh:  # make it "big" without building a big manifest
        fh.write(" " * (33 << 20))
    err = _Tty()
    loaded = cli_manifest._load(str(path), Output(stderr=err))
    assert loaded == m
    assert "loading" in err.getvalue()
    assert "1,000 files" in err.getvalue()


def test_digest_options_from_the_cli(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    data = tmp_path / "data"
    data.mkdir()
    (data / "big.bin").write_bytes(bytes(range(256)) * 10)
    target = tmp_path / "m.json"
    code, _ = _run(
        capsys, "manifest", "build", str(data), "-o", str(target), "--name", "d",
        "--version", "1", "--license", "MIT", "--digest", "sha256-sharded", "--shard-size", "1000",
    )  # fmt: skip
    assert code == 0
    saved = json.loads(target.read_text())
    assert (saved["hash_algorithm"], saved["shard_size"]) == ("sha256-sharded", 1000)
    code, out = _run(capsys, "manifest", "verify", str(target), str(data), "--json")
    assert code == 0
    assert json.loads(out)["ok"] is True
    (data / "big.bin").write_bytes(bytes(range(256)) * 10 + b"!")
    code, out = _run(capsys, "manifest", "verify", str(target), str(data), "--json")
    assert code == 1
