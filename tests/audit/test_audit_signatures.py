"""The audit verifies manifest signatures when given a public key (keys made in the test)."""

from __future__ import annotations

import json
import shutil
from datetime import datetime, timezone
from pathlib import Path

import pytest

from openmodel_gov.audit import (
    AuditOptions,
    AuditReport,
    ManifestStatus,
    Policy,
    evaluate_policy,
    example_dir,
    load_audit_config,
    run_audit,
)

pytest.importorskip("cryptography")

from openmodel_gov.signing import (
    generate_keypair,
    key_fingerprint,
    save_public_key,
    sign_manifest,
)

EXAMPLE = example_dir()
CARD = EXAMPLE / "README.md"
MANIFEST_NAME = "support-tickets.manifest.yaml"
DATA = EXAMPLE / "data" / "support-tickets"
GATE = Policy(require_verified_signature=True)


def fixed() -> datetime:
    return datetime(2026, 1, 2, 3, 4, 5, tzinfo=timezone.utc)


def _signed_copy(tmp_path: Path) -> tuple[Path, Path, str]:
    """A copy of the example manifest, signed; returns (manifest, public key file, fingerprint)."""
    manifest = tmp_path / MANIFEST_NAME
    shutil.copyfile(EXAMPLE / MANIFEST_NAME, manifest)
    keys = generate_keypair()
    sign_manifest(manifest, keys.private_key).save(tmp_path / f"{MANIFEST_NAME}.sig.json")
    pub = tmp_path / "release.pub"
    save_public_key(keys.public_key, pub)
    return manifest, pub, key_fingerprint(keys.public_key)


def _audit(manifest: Path, key: Path | None = None) -> AuditReport:
    options = AuditOptions(
        manifests=[(manifest, DATA)], pii_scan=False, clock=fixed, public_key=key, policy=GATE
    )
    return run_audit(CARD, options)


def _status(report: AuditReport) -> ManifestStatus:
    (status,) = report.headline.manifests
    return status


def test_verified_signature_names_the_key(tmp_path: Path) -> None:
    manifest, pub, fingerprint = _signed_copy(tmp_path)
    report = _audit(manifest, pub)
    status = _status(report)
    assert status.signature == "verified"
    assert status.key_fingerprint == fingerprint
    assert status.signature_label == (
        f"signed, verified (key fingerprint sha256:{fingerprint[:16]}…)"
    )
    assert report.section("manifests").status == "green"
    assert "1/1 signature(s) verify with the given key" in report.section("manifests").summary
    assert report.policy is not None
    assert report.policy.passed
    assert any("verify with key sha256:" in e for e in report.policy.explanations)
    assert "public key" in [i.role for i in report.inputs]
    assert status.signature_label in report.to_markdown()
    assert status.signature_label in report.to_html()


def test_edited_manifest_fails_and_the_policy_gates_on_it(tmp_path: Path) -> None:
    manifest, pub, _ = _signed_copy(tmp_path)
    manifest.write_text(manifest.read_text(encoding="utf-8") + "\n", encoding="utf-8")
    report = _audit(manifest, pub)
    status = _status(report)
    assert status.signature == "failed"
    assert status.signature_label == (
        "signed, NOT verified: the manifest changed after it was signed"
    )
    section = report.section("manifests")
    assert section.status == "red"
    (finding,) = [f for f in section.findings if f.rule_id == "manifests.signature-failed"]
    assert finding.severity == "High"
    assert "TamperedManifestError" in finding.reasons[0]
    assert finding.evidence[0].file == status.path
    assert report.policy is not None
    assert not report.policy.passed
    assert report.policy.violations[0].rule == "require_verified_signature"
    assert report.overall == "red"


def test_other_key_and_edited_signature_do_not_verify(tmp_path: Path) -> None:
    manifest, _, _ = _signed_copy(tmp_path)
    other = tmp_path / "other.pub"
    save_public_key(generate_keypair().public_key, other)
    assert _status(_audit(manifest, other)).signature_label == (
        "signed, NOT verified: signed by another key"
    )
    second = tmp_path / "second"
    second.mkdir()
    manifest2, pub2, _ = _signed_copy(second)
    envelope = manifest2.with_name(manifest2.name + ".sig.json")
    data = json.loads(envelope.read_text(encoding="utf-8"))
    sig = data["signatures"][0]["sig"]
    data["signatures"][0]["sig"] = ("A" if sig[0] != "A" else "B") + sig[1:]
    envelope.write_text(json.dumps(data), encoding="utf-8")
    assert _status(_audit(manifest2, pub2)).signature_label == (
        "signed, NOT verified: signature does not match"
    )


def test_malformed_envelope_is_named(tmp_path: Path) -> None:
    manifest, pub, _ = _signed_copy(tmp_path)
    manifest.with_name(manifest.name + ".sig.json").write_text("{not json", encoding="utf-8")
    status = _status(_audit(manifest, pub))
    assert status.signature == "failed"
    assert status.signature_label == "signed, NOT verified: the signature envelope is malformed"


def test_no_key_and_unsigned(tmp_path: Path) -> None:
    manifest, _, _ = _signed_copy(tmp_path)
    report = _audit(manifest)
    assert _status(report).signature_label == "signed, no key given to verify"
    assert report.policy is not None
    assert not report.policy.passed
    assert "no key given" in report.policy.violations[0].message
    unsigned = tmp_path / "unsigned" / MANIFEST_NAME
    unsigned.parent.mkdir()
    shutil.copyfile(EXAMPLE / MANIFEST_NAME, unsigned)
    pub = tmp_path / "release.pub"
    assert _status(_audit(unsigned, pub)).signature_label == "unsigned"


def test_policy_without_manifests_fails_closed() -> None:
    report = run_audit(CARD, pii_scan=False, clock=fixed)
    result = evaluate_policy(report, GATE)
    assert not result.passed
    assert "no dataset manifest" in result.violations[0].message


def test_config_file_names_the_key(tmp_path: Path) -> None:
    manifest, pub, _ = _signed_copy(tmp_path)
    config = tmp_path / "audit.yaml"
    config.write_text(
        f"card: {CARD}\nmanifests:\n  - manifest: {manifest.name}\n    data: {DATA}\n"
        f"public_key: {pub.name}\n",
        encoding="utf-8",
    )
    report = load_audit_config(config).run(pii_scan=False, clock=fixed)
    assert _status(report).signature == "verified"
