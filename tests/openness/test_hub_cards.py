"""The real Hub card corpus in ``tests/data/hub_cards`` is intact: every file listed, sizes and
sha256 as recorded in its SOURCES.md, no unlisted card."""

from __future__ import annotations

import hashlib
import re
from pathlib import Path

CORPUS = Path(__file__).parent.parent / "data" / "hub_cards"
_ROW = re.compile(
    r"^\| `(?P<file>[^`]+\.md)` \| (?P<repo>[^|]+) \| `(?P<commit>[0-9a-f]{40})` \| `(?P<path>[^`]+)` "
    r"\| (?P<hub>[^|]+) \| (?P<bytes>\d+) \| `(?P<sha>[0-9a-f]{64})` \|$"
)


def _rows() -> dict[str, tuple[int, str]]:
    rows = {}
    for line in (CORPUS / "SOURCES.md").read_text(encoding="utf-8").splitlines():
        m = _ROW.match(line)
        if m:
            rows[m["file"]] = (int(m["bytes"]), m["sha"])
    return rows


def test_every_card_matches_its_recorded_sha256() -> None:
    rows = _rows()
    assert len(rows) >= 100
    for name, (size, sha) in rows.items():
        data = (CORPUS / name).read_bytes()
        assert len(data) == size, name
        assert hashlib.sha256(data).hexdigest() == sha, name


def test_no_card_is_unlisted() -> None:
    on_disk = {p.name for p in CORPUS.glob("*.md") if p.name != "SOURCES.md"}
    assert on_disk == set(_rows())
