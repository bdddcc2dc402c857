"""DSSE envelopes and payloads go through the bounded JSON front door: typed errors only."""

from __future__ import annotations

import base64
import contextlib
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from openmodel_gov.errors import MalformedSignatureError, OpenModelGovError
from openmodel_gov.signing import DsseEnvelope, load_envelope

DEEP = "[" * 10_000 + "]" * 10_000
HOSTILE = {
    "deep": DEEP.encode(),
    "utf8": b'{"payloadType": "\xff"}',
    "dup": b'{"payload": "", "payload": ""}',
    "nan": b'{"payload": NaN}',
    "inf": b'{"x": 1e999}',
    "truncated": b'{"payloadType": "x",\n "payload": ',
}


@pytest.mark.parametrize("name", sorted(HOSTILE))
def test_hostile_envelope_files_are_typed_errors(tmp_path: Path, name: str) -> None:
    path = tmp_path / "sig.json"
    path.write_bytes(HOSTILE[name])
    with pytest.raises(MalformedSignatureError, match="not a JSON DSSE envelope") as info:
        load_envelope(path)
    assert str(path) in str(info.value)


def test_an_envelope_error_names_the_line(tmp_path: Path) -> None:
    path = tmp_path / "sig.json"
    path.write_bytes(HOSTILE["truncated"])
    with pytest.raises(MalformedSignatureError, match="line 2"):
        load_envelope(path)
    path.write_bytes(b'{"payload": "",\n "payload": ""}')
    with pytest.raises(MalformedSignatureError, match=r"line 2.*duplicate key"):
        load_envelope(path)


@pytest.mark.parametrize("name", sorted(HOSTILE))
def test_hostile_payloads_are_typed_errors(name: str) -> None:
    env = DsseEnvelope(
        payload_type="application/vnd.in-toto+json",
        payload=base64.b64encode(HOSTILE[name]).decode(),
        signatures=(),
    )
    with pytest.raises(MalformedSignatureError, match="payload is not JSON"):
        _ = env.statement


@settings(max_examples=60, deadline=None)
@given(st.binary(max_size=200))
def test_any_payload_bytes_give_a_statement_or_a_typed_error(raw: bytes) -> None:
    env = DsseEnvelope(
        payload_type="application/vnd.in-toto+json",
        payload=base64.b64encode(raw).decode(),
        signatures=(),
    )
    with contextlib.suppress(OpenModelGovError):  # any other exception fails the test
        _ = env.statement
