"""The columnar file table: a read-only sequence of entries built on access."""

from __future__ import annotations

import hashlib
import pickle
from pathlib import Path
from typing import Literal

from hypothesis import given
from hypothesis import strategies as st

from openmodel_gov.manifests import DatasetEntry, DatasetManifest, FileEntry, load_manifest
from openmodel_gov.manifests._filetable import FileTable, columns_of
from openmodel_gov.manifests._writer import render

ENTRY = DatasetEntry(name="d", version="1", source_kind="other", license="MIT")
HEX = st.text("0123456789abcdef", min_size=64, max_size=64)


def _entries(n: int) -> tuple[FileEntry, ...]:
    return tuple(
        FileEntry(path=f"d/f{i:03d}", size=i, sha256=hashlib.sha256(b"%d" % i).hexdigest())
        for i in range(n)
    )


def _table(files: tuple[FileEntry, ...]) -> FileTable:
    return FileTable([f.path for f in files], [f.size for f in files], [f.sha256 for f in files])


@given(st.lists(st.tuples(st.integers(0, 1 << 40), HEX, st.none() | HEX), max_size=20))
def test_a_table_behaves_as_the_tuple_it_replaces(rows: list[tuple[int, str, str | None]]) -> None:
    entries = tuple(
        FileEntry(path=f"p{i:03d}", size=size, sha256=sha, blake3=b3)
        for i, (size, sha, b3) in enumerate(rows)
    )
    table = FileTable(
        [e.path for e in entries],
        [e.size for e in entries],
        [e.sha256 for e in entries],
        [e.blake3 for e in entries],
    )
    assert len(table) == len(entries)
    assert tuple(table) == entries
    assert table == entries
    assert entries == table
    assert table[1:3] == entries[1:3]
    if entries:
        assert table[-1] == entries[-1]
        assert table.index(entries[0]) == 0
    assert pickle.loads(pickle.dumps(table)) == table
    assert columns_of(table) == columns_of(entries)


def test_equality_hash_and_repr() -> None:
    files = _entries(3)
    table = _table(files)
    assert table == _table(files)
    assert table != _table(files[:2])
    assert table != files[:2]
    assert table != "not a table"
    assert hash(table) == hash(_table(files))
    assert repr(table) == "FileTable(<3 files>)"
    assert FileTable(["a"], [1], ["0" * 64], [None]).blake3 is None


def test_built_and_loaded_manifests_hold_tables_that_save_the_same(tmp_path: Path) -> None:
    files = _entries(5)
    plain = DatasetManifest(datasets=(ENTRY,), files=files)
    layouts: tuple[Literal["rows", "columns"], ...] = ("rows", "columns")
    for layout in layouts:
        target = tmp_path / f"{layout}.json"
        target.write_text(render(plain, layout=layout))
        loaded = load_manifest(target)
        assert isinstance(loaded.files, FileTable)
        assert loaded == plain
        assert plain == loaded
        assert render(loaded, layout="columns") == render(plain, layout="columns")
        assert render(loaded, layout="rows") == render(plain, layout="rows")
    with_b3 = DatasetManifest(
        datasets=(ENTRY,), files=(files[0].model_copy(update={"blake3": "a" * 64}),)
    )
    (tmp_path / "b3.json").write_text(render(with_b3, layout="columns"))
    loaded = load_manifest(tmp_path / "b3.json")
    assert loaded.files[0].blake3 == "a" * 64
    assert render(loaded, layout="columns") == render(with_b3, layout="columns")


def test_diff_from_tables_equals_diff_from_entries(tmp_path: Path) -> None:
    from openmodel_gov.manifests import diff_manifests

    files = _entries(6)
    old = DatasetManifest(datasets=(ENTRY,), files=files[:5])
    changed = files[2].model_copy(update={"sha256": "f" * 64, "size": 99})
    new = DatasetManifest(datasets=(ENTRY,), files=(*files[:2], changed, files[4], files[5]))
    (tmp_path / "old.json").write_text(render(old, layout="columns"))
    (tmp_path / "new.json").write_text(render(new))
    loaded_old, loaded_new = (
        load_manifest(tmp_path / "old.json"),
        load_manifest(tmp_path / "new.json"),
    )
    assert isinstance(loaded_new.files, FileTable)
    from_tables = diff_manifests(loaded_old, loaded_new)
    assert from_tables == diff_manifests(old, new)
    assert from_tables.files_added == ("d/f005",)
    assert from_tables.files_removed == ("d/f003",)
    assert [(c.path, c.old_size, c.new_size) for c in from_tables.files_changed] == [
        ("d/f002", 2, 99)
    ]
    assert diff_manifests(loaded_old, loaded_old).unchanged
