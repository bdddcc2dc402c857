"""Manifests of an S3 bucket, against a real S3-compatible server on 127.0.0.1 (moto).

The server is moto's ``ThreadedMotoServer`` (as s3fs's own test suite uses), started by the
fixture on a free local port; nothing leaves the machine.
"""

from __future__ import annotations

import hashlib
import os
from collections.abc import Iterator
from typing import Any

import pytest

from openmodel_gov.errors import ConfigError, FileAccessError, UnsafePathError
from openmodel_gov.manifests import DatasetEntry, build_manifest, load_manifest, verify_manifest
from openmodel_gov.manifests import _remote as remote_mod

pytest.importorskip("s3fs")
moto_server = pytest.importorskip("moto.server")

ENTRY = DatasetEntry(name="d", version="1", source_kind="other", license="MIT")


@pytest.fixture(scope="module")
def endpoint() -> Iterator[str]:
    server = moto_server.ThreadedMotoServer(ip_address="127.0.0.1", port=0, verbose=False)
    server.start()
    host, port = server._server.server_address  # the port the OS picked
    try:
        yield f"http://{host}:{port}"
    finally:
        server.stop()


@pytest.fixture
def s3(endpoint: str) -> Iterator[Any]:
    import boto3

    client = boto3.client(
        "s3",
        endpoint_url=endpoint,
        aws_access_key_id="testing",
        aws_secret_access_key="testing",
        region_name="us-east-1",
    )
    yield client
    for bucket in client.list_buckets()["Buckets"]:
        name = bucket["Name"]
        for page in client.get_paginator("list_object_versions").paginate(Bucket=name):
            for item in page.get("Versions", []) + page.get("DeleteMarkers", []):
                client.delete_object(Bucket=name, Key=item["Key"], VersionId=item["VersionId"])
        client.delete_bucket(Bucket=name)


def _options(endpoint: str, **extra: object) -> dict[str, object]:
    return {"endpoint_url": endpoint, "key": "testing", "secret": "testing", **extra}


def _fill(s3: Any, bucket: str, objects: dict[str, bytes], *, versioned: bool = False) -> None:
    s3.create_bucket(Bucket=bucket)
    if versioned:
        s3.put_bucket_versioning(Bucket=bucket, VersioningConfiguration={"Status": "Enabled"})
    for key, body in objects.items():
        s3.put_object(Bucket=bucket, Key=key, Body=body)


OBJECTS = {
    "data/train/a.txt": b"alpha\n",
    "data/train/b.bin": os.urandom(300_000),
    "data/README.md": b"read me\n",
    "data/empty": b"",
    "elsewhere/x": b"not part of the snapshot",
}


def test_build_and_verify_a_bucket_prefix(s3: Any, endpoint: str, tmp_path: Any) -> None:
    _fill(s3, "bkt-plain", OBJECTS)
    opts = _options(endpoint)
    m = build_manifest(
        "s3://bkt-plain/data", datasets=[ENTRY], storage_options=opts, progress=False
    )
    assert [f.path for f in m.files] == ["README.md", "empty", "train/a.txt", "train/b.bin"]
    for f in m.files:
        assert f.sha256 == hashlib.sha256(OBJECTS["data/" + f.path]).hexdigest()
        assert f.etag  # recorded where the store gives one
    assert m.source_url == "s3://bkt-plain/data"
    m.save(tmp_path / "m.json")
    loaded = load_manifest(tmp_path / "m.json")
    assert loaded == m
    report = verify_manifest(loaded, "s3://bkt-plain/data/", storage_options=opts, progress=False)
    assert report.ok, str(report)

    s3.put_object(Bucket="bkt-plain", Key="data/train/a.txt", Body=b"ALPHA\n")  # overwrite
    s3.delete_object(Bucket="bkt-plain", Key="data/README.md")  # delete
    s3.put_object(Bucket="bkt-plain", Key="data/new.txt", Body=b"new")  # add
    report = verify_manifest(m, "s3://bkt-plain/data", storage_options=opts, progress=False)
    assert report.changed == ["train/a.txt"]
    assert report.missing == ["README.md"]
    assert report.added == ["new.txt"]
    assert report.found_snapshot_digest not in (None, m.snapshot_digest)
    s3.put_object(Bucket="bkt-plain", Key="data/empty", Body=b"grown")
    assert (
        verify_manifest(m, "s3://bkt-plain/data", storage_options=opts, progress=False)
        .finding("empty")
        .reason
        == "size differs"
    )


def test_versioned_objects_record_the_version_that_was_hashed(s3: Any, endpoint: str) -> None:
    _fill(s3, "bkt-versions", {"v/a.txt": b"first"}, versioned=True)
    opts = _options(endpoint, version_aware=True)
    m = build_manifest(
        "s3://bkt-versions/v", datasets=[ENTRY], storage_options=opts, progress=False
    )
    (entry,) = m.files
    first_version = s3.head_object(Bucket="bkt-versions", Key="v/a.txt")["VersionId"]
    assert entry.version_id == first_version
    s3.put_object(Bucket="bkt-versions", Key="v/a.txt", Body=b"second")
    report = verify_manifest(m, "s3://bkt-versions/v", storage_options=opts, progress=False)
    assert report.changed == ["v/a.txt"[2:]]
    old = s3.get_object(Bucket="bkt-versions", Key="v/a.txt", VersionId=entry.version_id)
    assert hashlib.sha256(old["Body"].read()).hexdigest() == entry.sha256  # still readable


def test_a_stored_full_object_sha256_is_used_instead_of_reading(
    s3: Any, endpoint: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    big = os.urandom(remote_mod.HEAD_MIN + 1)
    s3.create_bucket(Bucket="bkt-sums")
    s3.put_object(Bucket="bkt-sums", Key="s/big.bin", Body=big, ChecksumAlgorithm="SHA256")
    s3.put_object(Bucket="bkt-sums", Key="s/plain.bin", Body=big[:100])
    import s3fs

    opened: list[str] = []
    real_open = s3fs.S3FileSystem.open

    def counting_open(self: Any, path: str, *args: Any, **kwargs: Any) -> Any:
        opened.append(path)
        return real_open(self, path, *args, **kwargs)

    monkeypatch.setattr(s3fs.S3FileSystem, "open", counting_open)
    m = build_manifest(
        "s3://bkt-sums/s", datasets=[ENTRY], storage_options=_options(endpoint), progress=False
    )
    assert m.files[0].sha256 == hashlib.sha256(big).hexdigest()
    assert opened == ["bkt-sums/s/plain.bin"]  # big.bin came from its ChecksumSHA256


def test_store_checksums_are_used_only_when_they_cover_the_whole_object() -> None:
    digest = hashlib.sha256(b"x").digest()
    import base64

    b64 = base64.b64encode(digest).decode()
    full = remote_mod._full_object_sha256
    assert full({"ChecksumSHA256": b64}) == digest.hex()
    assert full({"ChecksumSHA256": b64, "ChecksumType": "COMPOSITE"}) is None
    assert full({"ChecksumSHA256": b64 + "-3"}) is None  # multipart
    assert full({"ChecksumSHA256": "not base64!"}) is None
    assert full({"ChecksumSHA256": base64.b64encode(b"short").decode()}) is None
    assert full({"lfs": {"sha256": digest.hex().upper()}}) == digest.hex()  # hf:// LFS files
    assert full({"lfs": {"sha256": "abc"}}) is None
    assert full({"ETag": '"d41d8cd98f00b204e9800998ecf8427e"'}) is None  # never an ETag


def test_unsafe_names_missing_buckets_and_bad_options(s3: Any, endpoint: str) -> None:
    _fill(s3, "bkt-odd", {"o/ok.txt": b"1", "o/bad\\name": b"2"})
    opts = _options(endpoint)
    with pytest.raises(UnsafePathError, match="backslash"):
        build_manifest("s3://bkt-odd/o", datasets=[ENTRY], storage_options=opts, progress=False)
    m = build_manifest(
        "s3://bkt-odd/o", datasets=[ENTRY], storage_options=opts, exclude=["bad*"], progress=False
    )
    report = verify_manifest(
        m.model_copy(update={"excluded": ()}),
        "s3://bkt-odd/o",
        storage_options=opts,
        progress=False,
    )
    assert report.added == ["bad\\name"]
    with pytest.raises(ConfigError, match="cache"):
        build_manifest("s3://bkt-odd/o", datasets=[ENTRY], cache="c.json", storage_options=opts)
    with pytest.raises(ConfigError, match="blake3"):
        build_manifest("s3://bkt-odd/o", datasets=[ENTRY], blake3=True, storage_options=opts)
    with pytest.raises(ConfigError, match="workers"):
        build_manifest("s3://bkt-odd/o", datasets=[ENTRY], workers=0, storage_options=opts)
    with pytest.raises(ConfigError, match="nosuchscheme"):
        build_manifest("nosuchscheme://x/y", datasets=[ENTRY])


def test_file_urls_are_local_folders(tmp_path: Any) -> None:
    (tmp_path / "a.txt").write_text("a")
    m = build_manifest(f"file://{tmp_path}", datasets=[ENTRY], progress=False)
    assert [f.path for f in m.files] == ["a.txt"]
    assert m.source_url is None
    assert verify_manifest(m, f"file://{tmp_path}", progress=False).ok
    with pytest.raises(FileAccessError):
        build_manifest("file:///no/such/folder", datasets=[ENTRY])
