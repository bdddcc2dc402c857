"""The audit reads a data file's first JSON record through the bounded front door."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from openmodel_gov.audit._fields import text_fields
from openmodel_gov.errors import InputTooLargeError, OpenModelGovError, ParseError

SECRET = "jane.doe@example.org"
DEEP = "[" * 10_000 + "]" * 10_000
HOSTILE = {
    "deep": f'{{"text": "{SECRET}", "x": {DEEP}}}'.encode(),
    "dup": f'{{"{SECRET}": "a", "{SECRET}": "b"}}'.encode(),
    "nan": f'{{"text": "{SECRET}", "x": NaN}}'.encode(),
    "utf8": f'{{"text": "{SECRET}\xff"}}'.encode("latin-1"),
    "truncated": f'{{"text": "{SECRET}"'.encode(),
}


@pytest.mark.parametrize("name", sorted(HOSTILE))
def test_a_hostile_first_record_is_a_typed_error_without_its_content(
    tmp_path: Path, name: str
) -> None:
    path = tmp_path / "data.jsonl"
    path.write_bytes(b"\n\n" + HOSTILE[name] + b"\n")
    with pytest.raises(OpenModelGovError) as info:
        text_fields(path)
    assert isinstance(info.value, ParseError)
    assert info.value.line == 3
    assert "data.jsonl:3" in str(info.value)
    assert "jane.doe" not in str(info.value)


def test_deep_nesting_says_so(tmp_path: Path) -> None:
    path = tmp_path / "data.jsonl"
    path.write_bytes(HOSTILE["deep"] + b"\n")
    with pytest.raises(ParseError, match="nests too deeply"):
        text_fields(path)
    assert issubclass(InputTooLargeError, ParseError)


def test_text_fields_of_a_good_first_record(tmp_path: Path) -> None:
    path = tmp_path / "data.jsonl"
    long_text = "x" * (2 * 1024 * 1024)  # over the front door's default scalar bound
    path.write_text(json.dumps({"text": long_text, "n": 1, "t": "y"}) + "\n", encoding="utf-8")
    assert text_fields(path) == ("text", "t")
    path.write_text("[1]\n", encoding="utf-8")
    assert text_fields(path) == ()
    path.write_text("\n", encoding="utf-8")
    assert text_fields(path) == ()


@pytest.mark.parametrize("content", [b"id,te\xffxt\n1,a\n", b"id," + b"x" * 200_000 + b"\n"])
def test_an_unreadable_csv_header_is_a_typed_error(tmp_path: Path, content: bytes) -> None:
    path = tmp_path / "data.csv"
    path.write_bytes(content)
    with pytest.raises(ParseError, match="header row") as info:
        text_fields(path)
    assert info.value.line == 1


def test_a_csv_header(tmp_path: Path) -> None:
    path = tmp_path / "data.csv"
    path.write_text("id,text\n1,a\n", encoding="utf-8")
    assert text_fields(path) == ("id", "text")
