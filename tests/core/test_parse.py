"""The parsing front door (``_core._parse``): limits while parsing, safe tags, typed errors."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from openmodel_gov._core._io import (
    Limits,
    dump_json,
    json_safe,
    load_json_document,
    load_json_value,
    load_yaml_document,
    read_document,
)
from openmodel_gov.errors import FileAccessError, InputError, InputTooLargeError, ParseError


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("a: !!set {x}", "unsupported YAML tag '!!set'"),
        ("a: !!omap [{x: 1}]", "unsupported YAML tag '!!omap'"),
        ("a: !local x", "unsupported YAML tag '!local'"),
        ("a: !!python/name:os.system x", "unsupported YAML tag '!!python/name:os.system'"),
        ("a: !!bool maybe", "not a valid !!bool"),
        ("a: !!int x1", "for !!int"),
        ("a: !!float", "not a valid !!float"),
        ("a: !!timestamp soon", "is not a timestamp"),
        ("a: !!binary 'abc'", "for !!binary"),
        ("a: .inf", "non-finite"),
        ("a: -.Inf", "non-finite"),
        ("a: .nan", "non-finite"),
        ("a: *nope", "undefined YAML alias 'nope'"),
        ("a: &x [1, *x]", "recursive YAML alias"),
        ("a: 1\n---\nb: 2\n", "single YAML document"),
        ("? [a]\n: 1", "plain scalars"),
        ("? &k [a]\n: 1\nb: *k", "plain scalars"),
        ("x: &k [a]\n? *k\n: 1", "plain scalars"),
        ("? !!binary aGk=\n: 1", "not binary"),
        ("a: &m {b: 1}\nc:\n  <<: *m\n", "merge keys"),
        ("a: \x01", "not allowed"),
        ("a: [1, 2", "invalid YAML"),
        ("a: 1\na: 2", "duplicate key 'a'"),
        ("1: a\n01: b", "duplicate key 1"),
    ],
)
def test_yaml_refusals_are_typed_with_a_location(text: str, message: str) -> None:
    with pytest.raises(ParseError, match=message) as info:
        load_yaml_document(text, source="f.yaml", line_offset=10)
    assert info.value.source == "f.yaml"
    if info.value.line is not None:
        assert info.value.line > 10


def test_yaml_values_the_author_wrote_are_kept() -> None:
    doc = load_yaml_document(
        "d: 2024-01-01\nt: !!timestamp 2024-01-01\ns: !!str 12\ni: !!int '12'\n"
        "q: ! 12\nb: !!binary aGk=\nn: ~\nf: 1.5\nk: &x [1]\nl: *x\ne: &e v\ng: *e\n",
        source="f.yaml",
    )
    assert doc.data == {
        "d": "2024-01-01", "t": "2024-01-01", "s": "12", "i": 12, "q": 12, "b": b"hi",
        "n": None, "f": 1.5, "k": [1], "l": [1], "e": "v", "g": "v",
    }  # fmt: skip
    assert doc.line_of(("l", 0)) == 10
    assert doc.line_of(("g",)) == 12
    assert len(doc.positions) == len(list(doc.positions)) > 0


def test_limits_are_enforced_while_parsing() -> None:
    small = Limits(max_chars=100, max_depth=3, max_nodes=10, max_alias_nodes=4, max_scalar=5)
    for text, message in [
        ("x" * 101, "longer than 100 characters"),
        ("[[[[1]]]]", "deeper than 3"),
        ("[1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11]", "more than 10 nodes"),
        ("a: &a [1, 2]\nb: [*a, *a]", "aliases expand to more than 4"),
        ("a: abcdef", "longer than 5 characters"),
    ]:
        with pytest.raises(InputTooLargeError, match=message):
            load_yaml_document(text, source="s", limits=small)
    with pytest.raises(ValueError, match="max_nodes must be a positive int"):
        Limits(max_nodes=0)


def test_lone_surrogates_are_typed() -> None:
    with pytest.raises(ParseError, match="lone surrogate") as info:
        load_yaml_document("a: 1\nb: \ud800\n", source="s")
    assert (info.value.line, info.value.column) == (2, 4)


def test_json_refusals() -> None:
    for text, message in [
        ('{"a": 1e999}', "non-finite number '1e999'"),
        ('{"a": -Infinity}', "non-finite number '-Infinity'"),
        ('{"a": 1, "a": 2}', "duplicate key 'a'"),
        ("[1,", "invalid JSON"),
        ("[" + "1" * 5000 + "]", "invalid JSON"),  # more digits than int() converts
        ("[" * 201 + "]" * 201, "deeper than 200"),
    ]:
        with pytest.raises(ParseError, match=message):
            load_json_value(text, source="x.jsonl", line=4)
    with pytest.raises(InputTooLargeError, match="longer than 8"):
        load_json_document('["' + "x" * 20 + '"]', source="s", limits=Limits(max_scalar=8))


def test_json_positions_are_lazy_and_best_effort() -> None:
    doc = load_json_document('{\n "a": [\n  1,\n  {"b": 2}\n ]\n}', source="s")
    assert doc.line_of(("a", 1, "b")) == 4
    broken = load_json_document('{"a": "\\ud800"}', source="s")  # valid JSON, not YAML
    assert broken.line_of(("a",)) is None or broken.line_of(("a",)) == 1


@given(st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False, allow_infinity=False)
    | st.text(max_size=10),
    lambda c: st.lists(c, max_size=4) | st.dictionaries(st.text(max_size=5), c, max_size=4),
    max_leaves=20,
))  # fmt: skip
def test_json_round_trip(value: object) -> None:
    assert load_json_value(dump_json(value), source=None) == value


def test_json_safe_and_dump_json() -> None:
    data = {"a": (float("-inf"), 1)}
    assert json_safe(data) == {"a": ["-Infinity", 1]}
    with pytest.raises(InputError, match="not representable as JSON"):
        dump_json(data)
    assert json.loads(dump_json(data, nonfinite="string")) == {"a": ["-Infinity", 1]}


def test_read_document(tmp_path: Path) -> None:
    (tmp_path / "a.json").write_text('{"a": 1}', encoding="utf-8")
    (tmp_path / "b.yml").write_text("a: 1\n", encoding="utf-8")
    (tmp_path / "c.txt").write_text('  ["x"]', encoding="utf-8")
    (tmp_path / "d.yaml").write_text("", encoding="utf-8")
    (tmp_path / "e.json").write_bytes(b'{"a": "caf\xe9"}')
    assert read_document(tmp_path / "a.json").data == {"a": 1}
    assert read_document(tmp_path / "b.yml").data == {"a": 1}
    assert read_document(tmp_path / "c.txt").data == ["x"]
    assert read_document(tmp_path / "d.yaml", empty={}).data == {}
    assert read_document(tmp_path / "a.json", format="yaml").data == {"a": 1}
    with pytest.raises(ParseError, match="UTF-8"):
        read_document(tmp_path / "e.json")
    with pytest.raises(FileAccessError):
        read_document(tmp_path / "missing.yaml")
    with pytest.raises(FileAccessError, match="directory"):
        read_document(tmp_path)
    with pytest.raises(InputError, match="unknown format"):
        read_document(tmp_path / "a.json", format="toml")


@pytest.mark.parametrize("path", [None, 3, ["a"], b"a.yaml", {"a": 1}])
def test_read_bytes_refuses_non_paths_with_a_typed_error(path: object) -> None:
    from openmodel_gov._core._io import read_bytes

    with pytest.raises(InputError, match="expected a file path"):
        read_bytes(path)  # type: ignore[arg-type]


def test_json_bound_refusals_name_line_and_column() -> None:
    deep = '{"a": "[[[\\"[",\n "b": ' + "[" * 201 + "]" * 201 + "}"  # an escaped quote
    with pytest.raises(InputTooLargeError, match="deeper") as info:
        load_json_value(deep, source="x.jsonl", line=3)
    assert (info.value.line, info.value.column) == (4, 6 + 200)  # "{" is level 1
    long = '{"a":\n  "' + "x" * 30 + '"}'
    with pytest.raises(InputTooLargeError, match="longer than 20") as info:
        load_json_value(long, source="x.jsonl", limits=Limits(max_scalar=20))
    assert (info.value.line, info.value.column) == (2, 4)


def test_check_plain_data() -> None:
    from openmodel_gov._core._io import check_plain_data

    check_plain_data({"a": [1, "x", None, {"b": (1.5, True)}], 3: "int keys are fine"})
    with pytest.raises(ParseError, match="non-finite") as info:
        check_plain_data({"a": [1, {"b": float("nan")}]}, source="<mapping>")
    assert info.value.field == "$.a[1].b"
    with pytest.raises(ParseError, match="keys must be strings, not float"):
        check_plain_data({1.5: "x"})
    with pytest.raises(ParseError, match="keys must be strings, not bool"):
        check_plain_data({True: "x"})
    nested: list[object] = []
    for _ in range(250):
        nested = [nested]
    with pytest.raises(InputTooLargeError, match="deeper than 200"):
        check_plain_data({"a": nested})
    with pytest.raises(InputTooLargeError, match="more than 10 values"):
        check_plain_data(list(range(20)), limits=Limits(max_nodes=10))


def test_issue_20_card_mapping_with_infinity_is_refused_at_load() -> None:
    from openmodel_gov.cards import load_card

    with pytest.raises(ParseError, match="non-finite"):
        load_card({"license": "mit", "widget": float("inf")})


def test_yaml_repeated_plain_scalars_and_integer_forms() -> None:
    doc = load_yaml_document(
        "[1, 1, 01, 0, 1_0, -3, +4, 0x1F, yes, yes, '1', 1.5, 1.5]", source="s"
    )
    assert doc.data == [1, 1, 1, 0, 10, -3, 4, 31, True, True, "1", 1.5, 1.5]
    assert [type(v) for v in doc.data[:2]] == [int, int]


def test_yaml_positions_of_deep_paths_fall_back_to_a_recorded_ancestor() -> None:
    keys = [f"k{i}" for i in range(40)]
    text = "".join("  " * i + f"{key}:\n" for i, key in enumerate(keys)) + "  " * 40 + "v\n"
    doc = load_yaml_document(text, source="d.yaml")
    assert doc.line_of(tuple(keys[:10])) == 10
    deep = doc.line_of(tuple(keys))
    assert deep is not None
    assert 30 <= deep <= 40


def test_the_root_position_needs_no_second_pass() -> None:
    yaml_doc = load_yaml_document("# c\n\n  [1, 2]", source="x", line_offset=4)
    assert yaml_doc.line_of(()) == 7
    assert yaml_doc.positions.get(()) == (3, 3)
    json_doc = load_json_document("\n\n  [1, 2]", source="x")
    assert json_doc.line_of(()) == 3
    assert json_doc.line_of((1,)) == 3  # other paths: the second pass, as before


@given(st.dictionaries(st.text("abcé: -_x", min_size=1, max_size=5), st.one_of(st.integers(), st.lists(st.integers(), max_size=2)), max_size=6), st.booleans())  # fmt: skip
def test_first_pass_key_positions_match_the_second_pass(
    data: dict[str, object], flow: bool
) -> None:
    from openmodel_gov._core._io import dump_yaml
    from openmodel_gov._core._yaml import run_yaml

    text = json.dumps(data, ensure_ascii=False) if flow else dump_yaml(data)
    doc = load_yaml_document(text, source="k.yaml", line_offset=2)
    full: dict[tuple[str | int, ...], tuple[int, int]] = {}
    run_yaml(text.encode(), source="k.yaml", line_offset=0, limits=Limits(), positions=full)
    for key in data:
        assert doc.positions.get((key,)) == full.get((key,))
    assert doc.positions.get(("no such key",)) is None
    assert len(doc.positions) == len(full)  # iterating computes the rest
