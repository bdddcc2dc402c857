"""Manifests of an Azure Blob container (``az://``), against Azurite on 127.0.0.1.

Azurite is Microsoft's local Azure Storage emulator (an npm package, ``npm install -g
azurite``); the fixture starts its blob service on a free local port with a throw-away
folder, and adlfs talks to it with the emulator's well-known development account. Skipped
where ``azurite-blob`` is not installed (set ``OMG_AZURITE_BLOB`` to its path, or put it on
``PATH``) or adlfs is missing. Nothing leaves the machine.
"""

from __future__ import annotations

import hashlib
import os
import shutil
import socket
import subprocess
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from openmodel_gov.manifests import DatasetEntry, build_manifest, load_manifest, verify_manifest

#: ``tasks/install_azurite.sh`` (run by ``.ci/run``) installs it here.
_LOCAL = Path(__file__).resolve().parents[2] / ".cache" / "azurite" / "node_modules" / ".bin"
AZURITE = (
    os.environ.get("OMG_AZURITE_BLOB")
    or shutil.which("azurite-blob")
    or shutil.which("azurite-blob", path=str(_LOCAL))
)
pytestmark = pytest.mark.skipif(AZURITE is None, reason="azurite-blob is not installed")
pytest.importorskip("adlfs")

ENTRY = DatasetEntry(name="d", version="1", source_kind="other", license="MIT")
#: Azurite's documented development account (public, for the emulator only).
_ACCOUNT = "devstoreaccount1"
_KEY = "Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw=="


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


@pytest.fixture(scope="module")
def options(tmp_path_factory: pytest.TempPathFactory) -> Iterator[dict[str, Any]]:
    assert AZURITE is not None
    port = _free_port()
    workdir = tmp_path_factory.mktemp("azurite")
    proc = subprocess.Popen(
        [AZURITE, "--blobHost", "127.0.0.1", "--blobPort", str(port), "--location",
         str(workdir), "--silent", "--skipApiVersionCheck", "--loose"],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )  # fmt: skip
    try:
        deadline = time.monotonic() + 30
        while True:
            try:
                socket.create_connection(("127.0.0.1", port), timeout=0.5).close()
                break
            except OSError:
                if time.monotonic() > deadline or proc.poll() is not None:
                    pytest.fail(f"azurite-blob ({AZURITE}) did not start on 127.0.0.1:{port}")
                time.sleep(0.2)
        yield {
            "connection_string": (
                f"DefaultEndpointsProtocol=http;AccountName={_ACCOUNT};AccountKey={_KEY};"
                f"BlobEndpoint=http://127.0.0.1:{port}/{_ACCOUNT};"
            )
        }
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait(timeout=10)


def _fs(options: dict[str, Any]) -> Any:
    import adlfs

    return adlfs.AzureBlobFileSystem(**options, skip_instance_cache=True)


OBJECTS = {
    "data/train/a.txt": b"alpha\n",
    "data/train/b.bin": os.urandom(300_000),
    "data/README.md": b"read me\n",
    "elsewhere/x": b"not part of the snapshot",
}


def test_build_verify_and_tamper_a_container(options: dict[str, Any], tmp_path: Path) -> None:
    fs = _fs(options)
    fs.mkdir("cnt")
    for key, body in OBJECTS.items():
        fs.pipe(f"cnt/{key}", body)
    manifest = build_manifest("az://cnt/data", datasets=[ENTRY], storage_options=options)
    assert manifest.source_url == "az://cnt/data"
    by_path = {f.path: f for f in manifest.files}
    assert sorted(by_path) == ["README.md", "train/a.txt", "train/b.bin"]
    for path, entry in by_path.items():
        assert entry.sha256 == hashlib.sha256(OBJECTS[f"data/{path}"]).hexdigest()
        assert entry.etag  # Azure gives every blob an ETag; recorded, never used as a digest
    manifest.save(tmp_path / "m.json")
    loaded = load_manifest(tmp_path / "m.json")
    assert verify_manifest(loaded, "az://cnt/data", storage_options=options).ok

    fs.pipe("cnt/data/train/a.txt", b"ALPHA\n")  # overwrite
    fs.rm("cnt/data/README.md")  # delete
    fs.pipe("cnt/data/train/c.txt", b"new\n")  # add
    report = verify_manifest(loaded, "az://cnt/data", storage_options=options)
    assert report.changed == ["train/a.txt"]
    assert report.missing == ["README.md"]
    assert report.added == ["train/c.txt"]
