"""Model-folder JSON (safetensors headers, config.json) goes through the bounded front door."""

from __future__ import annotations

import struct
from pathlib import Path

import pytest

from openmodel_gov.cards import load_card
from openmodel_gov.cards._folder import read_safetensors_header
from openmodel_gov.errors import ParseError

DEEP = b"[" * 10_000 + b"]" * 10_000
HOSTILE = {
    "deep": b'{"a": ' + DEEP + b"}",
    "utf8": b'{"\xff": {"dtype": "F32", "shape": [1]}}',
    "dup": b'{"a": {"dtype": "F32", "shape": [1]}, "a": {"dtype": "F32", "shape": [1]}}',
    "nan": b'{"a": {"dtype": "F32", "shape": [NaN]}}',
}


@pytest.mark.parametrize("name", sorted(HOSTILE))
def test_hostile_safetensors_headers_are_parse_errors(tmp_path: Path, name: str) -> None:
    path = tmp_path / "m.safetensors"
    path.write_bytes(struct.pack("<Q", len(HOSTILE[name])) + HOSTILE[name])
    with pytest.raises(ParseError) as info:
        read_safetensors_header(path)
    assert "m.safetensors" in str(info.value)


@pytest.mark.parametrize("name", sorted(HOSTILE))
def test_hostile_configs_and_headers_are_warnings(tmp_path: Path, name: str) -> None:
    (tmp_path / "README.md").write_text("---\nlicense: mit\n---\n# m\n", encoding="utf-8")
    (tmp_path / "config.json").write_bytes(HOSTILE[name])
    weights = tmp_path / "model.safetensors"
    weights.write_bytes(struct.pack("<Q", len(HOSTILE[name])) + HOSTILE[name])
    card = load_card(tmp_path)
    warnings = " ".join(card.warnings)
    assert "config.json: not readable JSON (" in warnings
    assert str(tmp_path) not in warnings  # names the file, not where it lies
    assert "model.safetensors: unreadable safetensors header" in warnings


def test_a_long_run_of_numbers_is_not_a_long_string(tmp_path: Path) -> None:
    # The front door's string pre-scan counts what lies between two quotes; a long shape list
    # must not be refused as a "value longer than 1 MiB".
    body = b'{"a": {"dtype": "F32", "shape": [' + b",".join([b"1"] * 600_000) + b"]}}"
    path = tmp_path / "m.safetensors"
    path.write_bytes(struct.pack("<Q", len(body)) + body)
    assert read_safetensors_header(path).parameters == 1
