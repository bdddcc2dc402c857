"""Fuzz targets for DSSE envelopes and PEM keys: only typed errors escape."""

from __future__ import annotations

import base64
import json
import tempfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from hypothesis import example, given
from hypothesis import strategies as st

from openmodel_gov.errors import OpenModelGovError
from openmodel_gov.manifests import DatasetEntry, build_manifest

from ._fuzz import FUZZ, typed_only

pytest.importorskip("cryptography")

from openmodel_gov.signing import (
    generate_keypair,
    load_envelope,
    load_private_key,
    load_public_key,
    save_private_key,
    save_public_key,
    sign_manifest,
    verify_manifest_signature,
)


@pytest.fixture(scope="module")
def signed() -> Iterator[tuple[Path, dict[str, Any], Any, Path]]:
    with tempfile.TemporaryDirectory(prefix="omg-fuzz-sig-") as name:
        folder = Path(name)
        (folder / "data").mkdir()
        (folder / "data" / "a.txt").write_text("hello\n", encoding="utf-8")
        entry = DatasetEntry(name="d", version="1", source_kind="user-data", license="MIT")
        manifest = folder / "manifest.json"
        build_manifest(folder / "data", datasets=[entry], progress=False).save(manifest)
        pair = generate_keypair()
        envelope = sign_manifest(manifest, pair.private_key).to_dict()
        save_private_key(pair.private_key, folder / "k.key")
        save_public_key(pair.public_key, folder / "k.pub")
        yield manifest, envelope, pair.public_key, folder


def _b64(data: bytes) -> str:
    return base64.b64encode(data).decode()


envelope_values: st.SearchStrategy[Any] = st.one_of(
    st.text(max_size=20), st.integers(), st.none(), st.lists(st.integers(), max_size=2),
    st.binary(max_size=40).map(_b64), st.sampled_from(["", "====", "AA==", "%%%"]),
)  # fmt: skip


@FUZZ
@given(
    st.sampled_from(["payloadType", "payload", "signatures", "keyid", "sig", "extra"]),
    envelope_values,
    st.booleans(),
)
@example("payloadType", "", False)
def test_fuzz_dsse_envelope(
    signed: tuple[Path, dict[str, Any], Any, Path], key: str, value: Any, in_signature: bool
) -> None:
    manifest, envelope, public_key, folder = signed
    mutated = json.loads(json.dumps(envelope))
    if in_signature and mutated.get("signatures"):
        mutated["signatures"][0][key] = value
    else:
        mutated[key] = value
    typed_only(load_envelope, mutated)
    typed_only(verify_manifest_signature, manifest, mutated, public_key)
    path = folder / "env.json"
    path.write_bytes(json.dumps(mutated).encode("utf-8", "surrogatepass"))
    typed_only(verify_manifest_signature, manifest, path, public_key)


def test_issue_20_dsse_payload_type_lone_surrogate_is_typed(
    signed: tuple[Path, dict[str, Any], Any, Path],
) -> None:
    manifest, envelope, public_key, _folder = signed
    typed_only(
        verify_manifest_signature, manifest, {**envelope, "payloadType": "\ud800"}, public_key
    )


_UNKNOWN_ALGORITHM_SPKI = bytes.fromhex("300b300506032a0304030200")  # OID 1.2.3.4


def _pem(label: str, der: bytes) -> bytes:
    body = base64.encodebytes(der).decode()
    return f"-----BEGIN {label}-----\n{body}-----END {label}-----\n".encode()


pem_bytes = st.one_of(
    st.binary(max_size=200),
    st.tuples(st.sampled_from(["PUBLIC KEY", "PRIVATE KEY", "ENCRYPTED PRIVATE KEY", "X"]),
              st.binary(max_size=120)).map(lambda t: _pem(*t)),
)  # fmt: skip


def test_issue_20_pem_unknown_algorithm_is_typed(tmp_path: Path) -> None:
    path = tmp_path / "k.pub"
    path.write_bytes(_pem("PUBLIC KEY", _UNKNOWN_ALGORITHM_SPKI))
    with pytest.raises(OpenModelGovError):
        load_public_key(path)


@FUZZ
@given(pem_bytes, st.one_of(st.none(), st.binary(min_size=1, max_size=8)))
def test_fuzz_pem_keys(
    signed: tuple[Path, dict[str, Any], Any, Path], data: bytes, password: bytes | None
) -> None:
    folder = signed[3]
    path = folder / "fuzz.pem"
    path.write_bytes(data)
    typed_only(load_public_key, path)
    typed_only(load_private_key, path, password=password)


def test_real_keys_still_load(signed: tuple[Path, dict[str, Any], Any, Path]) -> None:
    folder = signed[3]
    assert load_private_key(folder / "k.key") is not None
    assert load_public_key(folder / "k.pub") is not None
