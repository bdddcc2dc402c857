"""Pin a dataset snapshot: build its manifest (SHA-256 of every file), verify it, sign it,
verify the signature, then show what an edit looks like.

Usage: python examples/manifest_build_verify_sign.py [WORKDIR]   (default: a temp folder)
"""

from __future__ import annotations

import shutil
import sys
import tempfile
from pathlib import Path

from openmodel_gov.audit import example_dir
from openmodel_gov.errors import SignatureError
from openmodel_gov.manifests import DatasetEntry, build_manifest, verify_manifest
from openmodel_gov.signing import generate_keypair, sign_manifest, verify_manifest_signature


def main(argv: list[str]) -> int:
    work = Path(argv[0]) if argv else Path(tempfile.mkdtemp(prefix="omg-manifest-"))
    data = work / "support-tickets"
    shutil.copytree(example_dir() / "data" / "support-tickets", data, dirs_exist_ok=True)

    dataset = DatasetEntry(
        name="support-tickets-demo",
        version="2026-11-01",
        source_kind="synthetic",
        synthetic=True,
        license="CC-BY-4.0",
        jurisdictions=("US",),
        data_categories=("personal",),
    )
    manifest = build_manifest(data, datasets=[dataset], progress=False)
    manifest_path = work / "support-tickets.manifest.yaml"
    manifest.save(manifest_path)
    print(f"manifest: {manifest_path} ({len(manifest.files)} files)")
    print(f"snapshot sha256: {manifest.snapshot_digest}")
    print(verify_manifest(manifest, data, progress=False))

    keys = generate_keypair()  # Ed25519
    envelope = sign_manifest(manifest_path, keys.private_key)
    envelope.save(f"{manifest_path}.sig.json")
    print(verify_manifest_signature(manifest_path, envelope, keys.public_key))

    (data / "tickets.jsonl").write_text('{"id": 1, "text": "edited"}\n', encoding="utf-8")
    print(verify_manifest(manifest, data, progress=False))
    manifest_path.write_text(manifest_path.read_text(encoding="utf-8") + "# edited\n", "utf-8")
    try:
        verify_manifest_signature(manifest_path, envelope, keys.public_key)
    except SignatureError as exc:
        print(f"signature rejected: {type(exc).__name__}: {exc}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
