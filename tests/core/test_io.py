"""Tests for the shared safe IO helpers (openmodel_gov._core._io)."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from openmodel_gov._core._io import (
    atomic_write_bytes,
    atomic_write_text,
    dump_json,
    dump_yaml,
    load_json_document,
    load_yaml_document,
    read_bytes,
)
from openmodel_gov.errors import FileAccessError, InputTooLargeError, ParseError


def test_atomic_write_replaces_whole_file_and_keeps_mode(tmp_path: Path) -> None:
    target = tmp_path / "out.txt"
    atomic_write_text(target, "one")
    os.chmod(target, 0o640)
    atomic_write_text(target, "two")
    assert target.read_text() == "two"
    assert target.stat().st_mode & 0o777 == 0o640
    assert [p.name for p in tmp_path.iterdir()] == ["out.txt"]  # no temp file left


def test_atomic_write_errors_are_typed_and_leave_nothing(tmp_path: Path) -> None:
    with pytest.raises(FileAccessError):
        atomic_write_bytes(tmp_path / "missing-dir" / "x", b"1")
    target = tmp_path / "dir"
    target.mkdir()
    with pytest.raises(FileAccessError):
        atomic_write_bytes(target, b"1")  # cannot replace a directory with a file
    assert [p.name for p in tmp_path.iterdir()] == ["dir"]


def test_read_bytes_bound(tmp_path: Path) -> None:
    p = tmp_path / "f"
    p.write_bytes(b"x" * 10)
    assert read_bytes(p, max_bytes=10) == b"x" * 10
    with pytest.raises(InputTooLargeError):
        read_bytes(p, max_bytes=9)


def test_yaml_refusals() -> None:
    with pytest.raises(ParseError, match="merge keys"):
        load_yaml_document("a: &x {b: 1}\nc:\n  <<: *x\n", source="s")
    with pytest.raises(ParseError, match="plain scalars"):
        load_yaml_document("? [a, b]\n: 1\n", source="s")
    with pytest.raises(InputTooLargeError, match="nests deeper"):
        load_yaml_document("[" * 300 + "]" * 300, source="s")
    with pytest.raises(ParseError, match="invalid YAML value"):
        load_yaml_document("a: !!binary 'not base64!'\n", source="s")
    assert load_yaml_document("", source="s", empty={}).data == {}


def test_json_refusals() -> None:
    with pytest.raises(ParseError, match="non-finite number 'NaN'"):
        load_json_document('{"a": NaN}', source="s")
    with pytest.raises(InputTooLargeError):
        load_json_document("[" * 100_000 + "]" * 100_000, source="s")
    doc = load_json_document('{\n "a": {\n  "b": 1\n }\n}', source="s")
    assert doc.line_of(("a", "b")) == 3


def test_dumpers_keep_order_and_unicode() -> None:
    assert dump_yaml({"z": "é", "a": 1}) == "z: é\na: 1\n"
    assert dump_json({"z": 1, "a": [1]}, indent=None) == '{"z": 1, "a": [1]}\n'


json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.text(max_size=20),
    lambda children: (
        st.lists(children, max_size=4)
        | st.dictionaries(st.text(min_size=1, max_size=8), children, max_size=4)
    ),
    max_leaves=20,
)


@given(json_values)
def test_yaml_dump_load_round_trip(value: object) -> None:
    assert load_yaml_document(dump_yaml(value), source=None).data == value


@given(st.text(max_size=300))
def test_yaml_loader_never_leaks_dependency_errors(text: str) -> None:
    source: str | None = None
    try:
        load_yaml_document(text, source="fuzz.yaml")
    except ParseError as exc:
        source = exc.source
    else:
        source = "fuzz.yaml"
    assert source == "fuzz.yaml"


def test_recursive_alias_is_refused() -> None:
    with pytest.raises(ParseError, match="recursive YAML alias"):
        load_yaml_document("a: &x [1, *x]\n", source="s")
