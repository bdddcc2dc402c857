"""Exports refuse manifests whose per-file digests are not plain SHA-256 (they would mislabel)."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

from openmodel_gov.cards import ModelCard
from openmodel_gov.errors import InputError
from openmodel_gov.interop import to_croissant, to_cyclonedx, to_spdx3
from openmodel_gov.manifests import DatasetEntry, DatasetManifest, DigestName, build_manifest

ENTRY = DatasetEntry(name="d", version="1", source_kind="other", license="MIT")


def _manifest(tmp_path: Path, digest: DigestName) -> DatasetManifest:
    data = tmp_path / "data"
    data.mkdir()
    (data / "a.txt").write_bytes(b"hello\n")
    return build_manifest(data, datasets=[ENTRY], digest=digest, progress=False)


@pytest.mark.parametrize("digest", ["sha256-sharded", "blake3"])
def test_exports_refuse_other_digests(
    tmp_path: Path, demo_card: ModelCard, digest: DigestName
) -> None:
    pytest.importorskip("blake3")
    manifest = _manifest(tmp_path, digest)
    assert manifest.hash_algorithm == digest
    exports: list[Callable[[], str]] = [
        lambda: to_croissant(manifest),
        lambda: to_cyclonedx(demo_card, manifests=[manifest]),
        lambda: to_spdx3(demo_card, manifests=[manifest]),
    ]
    for export in exports:
        with pytest.raises(InputError, match=f"per-file digests are {digest}") as info:
            export()
        assert info.value.field == "hash_algorithm"


def test_default_manifest_still_exports(tmp_path: Path, demo_card: ModelCard) -> None:
    manifest = _manifest(tmp_path, "sha256")
    assert '"sha256"' in to_croissant(manifest)
    assert "SHA-256" in to_cyclonedx(demo_card, manifests=[manifest])
