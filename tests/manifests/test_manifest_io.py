"""Manifest I/O at scale: the one-parse JSON fast path, layouts, and errors on the slow path."""

from __future__ import annotations

import contextlib
import hashlib
import json
from pathlib import Path
from typing import Any, Literal

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from openmodel_gov.errors import (
    ConfigError,
    InputError,
    ParseError,
    SchemaValidationError,
    UnsafePathError,
)
from openmodel_gov.manifests import (
    DatasetEntry,
    DatasetManifest,
    FileEntry,
    load_manifest,
    parse_manifest,
)
from openmodel_gov.manifests import _io as io_mod
from openmodel_gov.manifests._jsonpos import line_of
from openmodel_gov.manifests._paths import path_problem

H0 = "0" * 64
DS = {"name": "d", "version": "1", "source_kind": "other", "license": "MIT"}


def _sha(i: int) -> str:
    return hashlib.sha256(str(i).encode()).hexdigest()


def _manifest(n: int, *, blake3: bool = False) -> DatasetManifest:
    files = [
        FileEntry(
            path=f"dir{i % 3}/f{i}.bin", size=i, sha256=_sha(i), blake3=_sha(-i) if blake3 else None
        )
        for i in range(n)
    ]
    return DatasetManifest(datasets=[DatasetEntry(**DS)], files=files)  # type: ignore[arg-type]


@pytest.mark.parametrize("layout", ["rows", "columns"])
@pytest.mark.parametrize("blake3", [False, True])
def test_layouts_round_trip_with_the_same_snapshot_digest(
    tmp_path: Path, layout: io_mod.Layout, blake3: bool
) -> None:
    m = _manifest(50, blake3=blake3)
    m.save(tmp_path / "m.json", layout=layout)
    loaded = load_manifest(tmp_path / "m.json")
    assert loaded == m
    assert loaded.snapshot_digest == m.snapshot_digest
    data = json.loads((tmp_path / "m.json").read_text())
    assert isinstance(data["files"], dict) == (layout == "columns")


def test_columns_layout_is_smaller_and_empty_manifests_work(tmp_path: Path) -> None:
    m = _manifest(200)
    m.save(tmp_path / "rows.json")
    m.save(tmp_path / "cols.json", layout="columns")
    assert (tmp_path / "cols.json").stat().st_size < (tmp_path / "rows.json").stat().st_size
    empty = _manifest(0)
    layouts: tuple[io_mod.Layout, ...] = ("rows", "columns")
    for layout in layouts:
        empty.save(tmp_path / "e.json", layout=layout)
        assert load_manifest(tmp_path / "e.json") == empty


def test_a_columns_manifest_with_some_blake3_digests(tmp_path: Path) -> None:
    files = [
        FileEntry(path="a", size=1, sha256=H0, blake3="1" * 64),
        FileEntry(path="b", size=1, sha256=H0),
    ]
    m = DatasetManifest(datasets=[DatasetEntry(**DS)], files=files)  # type: ignore[arg-type]
    m.save(tmp_path / "m.json", layout="columns")
    assert load_manifest(tmp_path / "m.json") == m


def test_columns_layout_is_json_only(tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match="JSON only"):
        _manifest(1).save(tmp_path / "m.yaml", layout="columns")
    with pytest.raises(ConfigError, match="layout"):
        _manifest(1).save(tmp_path / "m.json", layout="diagonal")  # type: ignore[arg-type]


def test_unsorted_input_is_sorted_and_digests_are_checked(tmp_path: Path) -> None:
    m = _manifest(5)
    data = json.loads(io_mod.render(m))
    data["files"].reverse()
    p = tmp_path / "m.json"
    p.write_text(json.dumps(data))
    assert load_manifest(p) == m
    data["snapshot_digest"] = H0
    p.write_text(json.dumps(data))
    with pytest.raises(SchemaValidationError, match="edited by hand"):
        load_manifest(p)


def _rows_text(paths: list[str]) -> str:
    files = ",\n".join(
        f'    {{"path": {json.dumps(p)}, "size": 1, "sha256": "{H0}"}}' for p in paths
    )
    return '{\n  "datasets": [' + json.dumps(DS) + '],\n  "files": [\n' + files + "\n  ]\n}\n"


@pytest.mark.parametrize(
    ("bad", "message"),
    [
        ("../etc/passwd", "leaves the root"),
        ("/etc/passwd", "absolute"),
        ("a\u0000b", "NUL"),
        ("a\\b", "backslash"),
        ("C:/x", "absolute"),
        ("a//b", "not canonical"),
        ("a/./b", "not canonical"),
        ("a/", "not canonical"),
        ("", "empty"),
        ("ok0.txt", "duplicate path 'ok0.txt' (first listed on line 4)"),
        ("a\ud800b", "not valid UTF-8"),
    ],
)
def test_json_errors_name_the_line_and_field(tmp_path: Path, bad: str, message: str) -> None:
    p = tmp_path / "m.json"
    p.write_text(_rows_text(["ok0.txt", "ok1.txt", bad]), encoding="utf-8", errors="surrogatepass")
    with pytest.raises(UnsafePathError) as info:
        load_manifest(p)
    assert message in str(info.value)
    assert info.value.line == 6
    assert info.value.field == "$.files[2].path"


def test_columns_errors_name_the_line_and_column_field(tmp_path: Path) -> None:
    m = _manifest(3)
    text = io_mod.render(m, layout="columns").replace("dir1/f1.bin", "../f1.bin")
    p = tmp_path / "m.json"
    p.write_text(text)
    with pytest.raises(UnsafePathError) as info:
        load_manifest(p)
    assert info.value.field == "$.files.path[1]"
    assert info.value.line == text.splitlines().index('      "../f1.bin",') + 1
    bad_size = io_mod.render(m, layout="columns").replace(
        '"size": [\n      0', '"size": [\n      -1'
    )
    p.write_text(bad_size)
    with pytest.raises(SchemaValidationError) as err:
        load_manifest(p)
    issue = err.value.issues[0]
    assert issue.field == "$.files.size[0]"
    assert issue.line == bad_size.splitlines().index("      -1,") + 1


@pytest.mark.parametrize(
    "files",
    [
        {"path": ["a"], "size": [1]},
        {"path": ["a"], "size": [1], "sha256": [H0], "colour": ["x"]},
        {"path": ["a", "b"], "size": [1], "sha256": [H0]},
        {"path": "a", "size": [1], "sha256": [H0]},
        {"path": ["a"], "size": [1], "sha256": [H0], "blake3": "x"},
    ],
)
def test_malformed_columns_are_schema_errors(files: dict[str, Any]) -> None:
    text = json.dumps({"datasets": [DS], "files": files})
    with pytest.raises(SchemaValidationError):
        parse_manifest(text, format="json")


@pytest.mark.parametrize(
    ("text", "error", "line"),
    [
        ('{"datasets": [],\n "datasets": []}', ParseError, 2),
        ('{"datasets": [], "files": [{"path": "a", "size": NaN}]}', ParseError, None),
        ('{"datasets": [], "files": [{"path": "a", "size": Infinity}]}', ParseError, None),
        ('{"datasets": [\n', ParseError, 2),
        ("[" * 100_000 + "]" * 100_000, InputError, None),
        ("[1, 2]", SchemaValidationError, 1),
    ],
)
def test_json_document_errors_are_typed(
    text: str, error: type[Exception], line: int | None
) -> None:
    with pytest.raises(error) as info:
        parse_manifest(text.encode(), source="m.json")
    if line is not None:
        assert getattr(info.value, "line", None) == line


def test_schema_errors_in_json_have_lines_without_yaml(tmp_path: Path) -> None:
    text = _rows_text(["a", "b"]).replace('"size": 1, "sha256": "' + H0 + '"}\n', '"size": "1"}\n')
    with pytest.raises(SchemaValidationError) as info:
        parse_manifest(text, source="m.json")
    fields = {(i.field, i.line) for i in info.value.issues}
    assert ("$.files[1].size", 5) in fields
    assert ("$.files[1].sha256", 5) in fields


def test_parse_manifest_sniffs_the_format() -> None:
    m = _manifest(2)
    assert parse_manifest(io_mod.render(m)) == m
    assert parse_manifest(io_mod.render(m, fmt="yaml"), source="x.yaml") == m
    with pytest.raises(ParseError, match="UTF-8"):
        parse_manifest(b"\xff\xfe", source="m.json")


def test_line_of_handles_odd_text() -> None:
    assert line_of('{"a": [1, 2]}', ("a", 5)) == 1
    assert line_of('{"a": 1, "b": {"c": [0,\n1]}}', ("b", "c", 1)) == 2
    assert line_of('{"a" 1}', ("a",)) == 1
    assert line_of("   ", ("a",)) is None
    assert line_of('{"a": [1, 2', ("a", 3)) is None
    assert line_of('{"a": {"x": 1}, "b": 2}', ("a", 0)) == 1


_NAMES = st.text(
    alphabet=st.characters(codec="utf-8", exclude_characters="/"), min_size=1, max_size=6
)
_PATHS = st.lists(_NAMES, min_size=1, max_size=3).map("/".join)


@settings(max_examples=200, suppress_health_check=[HealthCheck.too_slow], deadline=None)
@given(st.lists(_PATHS, min_size=1, max_size=6))
def test_fast_path_agrees_with_path_problem(paths: list[str]) -> None:
    """The bulk checks accept a table exactly when every path passes ``path_problem``."""
    ok = all(path_problem(p) is None for p in paths) and len(set(paths)) == len(paths)
    text = _rows_text(paths)
    if ok:
        m = parse_manifest(text, format="json")
        assert sorted(f.path for f in m.files) == sorted(paths)
        fast = io_mod._fast(json.loads(text))
        assert fast is None or fast == m  # unsorted tables take the slow path
        ordered = _rows_text(sorted(paths, key=lambda p: p.encode("utf-8")))
        assert io_mod._fast(json.loads(ordered)) == m
    else:
        with pytest.raises(InputError):
            parse_manifest(text, format="json")


@settings(max_examples=100, deadline=None)
@given(st.lists(st.tuples(_PATHS, st.integers(0, 2**40)), max_size=8, unique_by=lambda t: t[0]))
def test_layouts_give_the_same_manifest(items: list[tuple[str, int]]) -> None:
    items = [(p, s) for p, s in items if path_problem(p) is None]
    files = [FileEntry(path=p, size=s, sha256=_sha(s)) for p, s in items]
    m = DatasetManifest(datasets=[DatasetEntry(**DS)], files=files)  # type: ignore[arg-type]
    rows = parse_manifest(io_mod.render(m), format="json")
    cols = parse_manifest(io_mod.render(m, layout="columns"), format="json")
    assert rows == cols == m
    assert rows.snapshot_digest == cols.snapshot_digest == m.snapshot_digest


@settings(max_examples=300, deadline=None)
@given(st.text(max_size=300))
def test_arbitrary_text_gives_typed_errors(text: str) -> None:
    formats: tuple[Literal["json", "yaml"], ...] = ("json", "yaml")
    for fmt in formats:
        with contextlib.suppress(InputError):
            parse_manifest(text.encode("utf-8", "surrogatepass"), format=fmt)
