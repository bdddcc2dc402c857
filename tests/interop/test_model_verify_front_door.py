"""Model-signing bundles are read by the bounded JSON front door: typed errors only."""

from __future__ import annotations

from pathlib import Path

import pytest

from openmodel_gov.errors import MalformedSignatureError
from openmodel_gov.interop._model_verify import _read_bundle

HOSTILE = {
    "deep": b"[" * 10_000 + b"]" * 10_000,
    "utf8": b'{"mediaType": "\xff"}',
    "dup": b'{"mediaType": "a",\n "mediaType": "b"}',
    "nan": b'{"mediaType": NaN}',
}


@pytest.mark.parametrize("name", sorted(HOSTILE))
def test_hostile_bundles_are_malformed_signature_errors(tmp_path: Path, name: str) -> None:
    path = tmp_path / "model.sig"
    path.write_bytes(HOSTILE[name])
    with pytest.raises(MalformedSignatureError, match="not JSON") as info:
        _read_bundle(path)
    assert "line 1" in str(info.value) or "line 2" in str(info.value)
