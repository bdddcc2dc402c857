"""``openmodel-gov audit --public-key``: manifest signatures verified in the audit."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from openmodel_gov._cli import main
from openmodel_gov.audit import example_dir

pytest.importorskip("cryptography")

EXAMPLE = example_dir()
CARD = EXAMPLE / "README.md"
MANIFEST = EXAMPLE / "support-tickets.manifest.yaml"
DATA = EXAMPLE / "data" / "support-tickets"


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def test_audit_public_key_verifies_and_gates(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    manifest = tmp_path / "m.yaml"
    shutil.copy(MANIFEST, manifest)
    prefix = tmp_path / "key"
    assert run(capsys, "manifest", "keygen", "--out", str(prefix))[0] == 0
    assert run(capsys, "manifest", "sign", str(manifest), "--key", f"{prefix}.key")[0] == 0
    policy = tmp_path / "policy.yaml"
    policy.write_text("require_verified_signature: true\n", encoding="utf-8")
    args = (
        "audit", str(CARD), "--manifest", str(manifest), "--data", str(DATA), "--no-pii-scan",
        "--policy", str(policy), "--out", str(tmp_path / "r"), "--json",
    )  # fmt: skip
    code, out, _ = run(capsys, *args, "--public-key", f"{prefix}.pub")
    assert code == 0
    status = json.loads(out)["report"]["headline"]["manifests"][0]
    assert status["signature"] == "verified"
    assert len(status["key_fingerprint"]) == 64
    code, out, _ = run(capsys, *args)  # no key: signed, not verified; the gate fails
    assert code == 1
    assert json.loads(out)["report"]["headline"]["manifests"][0]["signature"] == "unchecked"
    manifest.write_text(manifest.read_text(encoding="utf-8") + "# edited\n", encoding="utf-8")
    code, out, _ = run(capsys, *args[:-1], "--public-key", f"{prefix}.pub")
    assert code == 1
    assert "signed, NOT verified: the manifest changed after it was signed" in out


def test_audit_public_key_with_config_and_missing_key(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    code, _, err = run(
        capsys, "audit", "--config", str(EXAMPLE / "audit.yaml"), "--out", str(tmp_path / "r"),
        "--no-pii-scan", "--public-key", str(tmp_path / "absent.pub"),
    )  # fmt: skip
    assert code == 2
    assert "absent.pub" in err
