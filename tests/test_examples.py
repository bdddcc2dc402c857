"""Every script under ``examples/`` runs (as a subprocess, offline) and the notebook's code
cells execute in order."""

from __future__ import annotations

import json
import runpy
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
EXAMPLES = ROOT / "examples"
NEEDS_PII = {"redact_jsonl.py"}
TICKETS = (
    ROOT
    / "src"
    / "openmodel_gov"
    / "data"
    / "examples"
    / "data"
    / "support-tickets"
    / "tickets.jsonl"
)
OTHERS = {"compare_openness.py"}  # owned and tested with the openness primitive

EXPECTED = {
    "score_card.py": "9/10 fully_open",
    "check_finetune_license.py": "release a model derived from",
    "manifest_build_verify_sign.py": "signature rejected: TamperedManifestError",
    "redact_jsonl.py": "<EMAIL_ADDRESS>",
    "compliance_matrix.py": "| us_medical_docs.json |",
    "full_audit.py": "policy release-gate: passed",
}


def _scripts() -> list[str]:
    return sorted(p.name for p in EXAMPLES.glob("*.py") if p.name not in OTHERS)


def test_every_example_has_an_expectation() -> None:
    assert set(_scripts()) == set(EXPECTED)


@pytest.mark.parametrize("script", _scripts())
def test_example_runs(
    script: str,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """Run in-process with runpy (as ``python examples/<script>``, without a new interpreter)."""
    if script in NEEDS_PII:
        pytest.importorskip("presidio_analyzer")
    monkeypatch.chdir(tmp_path)
    # scripts that write somewhere get a folder under tmp_path (no stray temp folders)
    args = {
        "manifest_build_verify_sign.py": [str(tmp_path / "work")],
        "redact_jsonl.py": [str(TICKETS), str(tmp_path / "redacted.jsonl")],
    }.get(script, [])
    monkeypatch.setattr(sys, "argv", [str(EXAMPLES / script), *args])
    with pytest.raises(SystemExit) as info:
        runpy.run_path(str(EXAMPLES / script), run_name="__main__")
    out = capsys.readouterr().out
    assert info.value.code == 0, out[-3000:]
    assert EXPECTED[script] in out
    if script == "full_audit.py":
        assert (tmp_path / "audit-report" / "report.html").is_file()


def test_an_example_runs_as_a_script(tmp_path: Path) -> None:
    proc = subprocess.run(
        [sys.executable, str(EXAMPLES / "full_audit.py"), str(tmp_path / "r")],
        check=False,
        capture_output=True,
        text=True,
        timeout=180,
    )
    assert proc.returncode == 0, proc.stderr[-3000:]
    assert (tmp_path / "r" / "report.html").is_file()


def test_notebook_cells_execute(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    pytest.importorskip("presidio_analyzer")
    notebook = json.loads((EXAMPLES / "audit_notebook.ipynb").read_text(encoding="utf-8"))
    assert notebook["nbformat"] == 4
    monkeypatch.chdir(tmp_path)
    import tempfile

    def mkdtemp(prefix: str = "", **_kwargs: object) -> str:
        folder = tmp_path / f"{prefix}work"
        folder.mkdir()
        return str(folder)

    monkeypatch.setattr(tempfile, "mkdtemp", mkdtemp)  # the notebook's work folder
    namespace: dict[str, object] = {"__name__": "__notebook__"}
    code_cells = [c for c in notebook["cells"] if c["cell_type"] == "code"]
    assert code_cells
    for cell in code_cells:
        assert cell["outputs"] == []  # committed without outputs
        source = "".join(cell["source"])
        exec(compile(source, f"<cell {cell.get('id')}>", "exec"), namespace)
    report = namespace["report"]
    html = report._repr_html_()  # type: ignore[attr-defined]
    assert "notebook-gate" in html
    assert "passed" in html
