"""openmodel_gov.manifests.ray on a local 2-CPU Ray cluster: same manifest, same report."""

from __future__ import annotations

import logging
import os
import warnings
from collections.abc import Iterator
from pathlib import Path

import pytest

from openmodel_gov.errors import ConfigError
from openmodel_gov.manifests import DatasetEntry, build_manifest, verify_manifest
from openmodel_gov.manifests._io import render
from openmodel_gov.manifests.ray import build_manifest_ray, partition_by_size, verify_manifest_ray

ENTRY = DatasetEntry(name="d", version="1", source_kind="other", license="MIT")


def test_partition_by_size_balances_bytes_and_keeps_every_file() -> None:
    jobs = [(f"f{i}", (i * 7919) % 1000) for i in range(100)]
    parts = partition_by_size(jobs, 4)
    assert sorted(j for p in parts for j in p) == sorted(jobs)
    loads = [sum(s for _, s in p) for p in parts]
    assert max(loads) - min(loads) <= max(s for _, s in jobs)
    assert partition_by_size([("a", 1)], 8) == [[("a", 1)]]
    assert partition_by_size([], 3) == []
    with pytest.raises(ConfigError):
        partition_by_size(jobs, 0)


@pytest.fixture(scope="module")
def cluster() -> Iterator[None]:
    ray = pytest.importorskip("ray")
    ray.init(
        num_cpus=2,
        include_dashboard=False,
        logging_level=logging.ERROR,
        configure_logging=False,
        log_to_driver=False,
    )
    try:
        yield
    finally:
        ray.shutdown()


@pytest.fixture
def snapshot(tmp_path: Path) -> Path:
    root = tmp_path / "snap"
    for i in range(40):
        folder = root / f"part{i % 3}"
        folder.mkdir(parents=True, exist_ok=True)
        (folder / f"{i:03d}.bin").write_bytes(os.urandom(100 * i))
    (root / "big.bin").write_bytes(os.urandom(3 << 20))
    return root


@pytest.mark.ray
@pytest.mark.usefixtures("cluster")
def test_ray_manifest_is_byte_identical_and_verifies(snapshot: Path) -> None:
    local = build_manifest(snapshot, datasets=[ENTRY], progress=False)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", DeprecationWarning)  # Ray's own, not ours
        remote = build_manifest_ray(snapshot, datasets=[ENTRY], tasks=3, progress=False)
        assert render(remote) == render(local)
        assert render(remote, layout="columns") == render(local, layout="columns")
        seen: list[tuple[int, int]] = []
        default = build_manifest_ray(
            snapshot, datasets=[ENTRY], progress=lambda d, t: seen.append((d, t))
        )
        assert default == local
        assert seen[-1][0] == seen[-1][1] == local.total_size
        assert verify_manifest_ray(local, snapshot, progress=False).ok
        (snapshot / "part1" / "001.bin").write_bytes(b"tampered")
        (snapshot / "part2" / "002.bin").unlink()
        (snapshot / "new.txt").write_text("added")
        ray_report = verify_manifest_ray(local, snapshot, tasks=2, progress=False)
        assert ray_report == verify_manifest(local, snapshot, progress=False)
        assert ray_report.changed == ["part1/001.bin"]
        assert ray_report.missing == ["part2/002.bin"]
        assert ray_report.added == ["new.txt"]
        with pytest.raises(ConfigError, match="tasks"):
            build_manifest_ray(snapshot, datasets=[ENTRY], tasks=0)
