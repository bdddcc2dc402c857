"""The JSON pre-scan (``_core._json``): exact string tokenizing, bounds, and ``json.loads`` as oracle.

The pre-scan once took any run between two quote marks for a string, so a long array of numbers
between two keys was refused as an over-long scalar (issue 20). These tests hold it to
``json.loads``: within the limits, the front door accepts exactly what the strict decoder
accepts, with the same value; a refusal for size names what is too long or too deep.
"""

from __future__ import annotations

import json
import math
import sys
from collections.abc import Iterator
from typing import Any

import pytest
from hypothesis import example, given
from hypothesis import strategies as st

from openmodel_gov._core._io import Limits, load_json_value
from openmodel_gov.errors import InputTooLargeError, ParseError

# -- the oracle: json.loads, strict in the same ways (no duplicates, no NaN/Infinity) --------


class _RefusedError(Exception):
    pass


def _pairs(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    out = dict(pairs)
    if len(out) != len(pairs):
        raise _RefusedError
    return out


def _constant(name: str) -> Any:
    raise _RefusedError


def _finite(text: str) -> float:
    value = float(text)
    if not math.isfinite(value):
        raise _RefusedError
    return value


def strict_loads(text: str) -> tuple[bool, Any]:
    """``(True, value)`` if strict ``json.loads`` accepts ``text``, else ``(False, None)``."""
    try:
        value = json.loads(
            text, object_pairs_hook=_pairs, parse_constant=_constant, parse_float=_finite
        )
    except (_RefusedError, ValueError, RecursionError):
        return False, None
    return True, value


def front_door(text: str) -> tuple[bool, Any]:
    try:
        return True, load_json_value(text, source="t.json")
    except ParseError:  # InputTooLargeError is a ParseError
        return False, None


# -- strategies ------------------------------------------------------------------------------

_TEXT = st.text(alphabet=st.sampled_from('ab"\\/[]{},: \n\t\u00e9\ud800\x00\x1f'), max_size=12)
scalars = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(min_value=-(10**30), max_value=10**30),
    st.floats(allow_nan=False, allow_infinity=False),
    _TEXT,
)
plain = st.recursive(
    scalars,
    lambda c: st.lists(c, max_size=6) | st.dictionaries(_TEXT, c, max_size=5),
    max_leaves=40,
)
#: A long run of numbers between two strings: the shape the old pre-scan refused.
numbers_between_strings = st.tuples(
    _TEXT, st.lists(st.integers(min_value=-999, max_value=10**9), max_size=300), _TEXT
).map(lambda t: {"a": t[0], "n": t[1], "z": t[2]})


def _dumps(value: Any, ensure_ascii: bool, indent: int | None) -> str:
    return json.dumps(value, ensure_ascii=ensure_ascii, indent=indent)


def json_texts() -> st.SearchStrategy[str]:
    """Valid JSON texts (any escaping and layout) and broken ones made from them."""
    valid = st.builds(
        _dumps,
        st.one_of(plain, numbers_between_strings),
        st.booleans(),
        st.sampled_from([None, 0, 1]),
    )
    cut = st.tuples(valid, st.integers(min_value=0, max_value=400)).map(lambda t: t[0][: t[1]])
    spliced = st.tuples(valid, st.integers(0, 400), st.sampled_from(list('"\\[]{}:,0e-.'))).map(
        lambda t: t[0][: t[1]] + t[2] + t[0][t[1] :]
    )
    atoms = st.lists(
        st.sampled_from(['"', '\\"', "\\", "[", "]", "{", "}", ":", ",", "1", "1.5e3", " ", "a",
                         '"k"', "null", "NaN", "-Infinity", "1e999", "\\u0041", "\\ud800"]),
        max_size=40,
    ).map("".join)  # fmt: skip
    return st.one_of(valid, cut, spliced, atoms)


# -- acceptance: the front door agrees with json.loads ---------------------------------------


@given(json_texts())
@example('{"a": "x", "n": [1, 2, 3], "z": "y"}')
@example('["\\"", [1, 2], "\\\\"]')
@example('"\\')
@example('["a\\"]')
def test_acceptance_matches_json_loads(text: str) -> None:
    expected = strict_loads(text)
    got = front_door(text)
    assert got[0] == expected[0], text
    if expected[0]:
        assert json.dumps(got[1], sort_keys=True) == json.dumps(expected[1], sort_keys=True)


def test_many_numbers_between_strings_are_not_a_long_scalar() -> None:
    """The regression of issue 20's follow-up: 2.4 MB of numbers between two keys."""
    numbers = list(range(400_000))
    text = json.dumps({"path": ["a"], "size": numbers, "sha256": ["b"]})
    assert len(text) > Limits().max_scalar
    assert load_json_value(text, source="m.json")["size"] == numbers
    small = Limits(max_scalar=8)
    assert load_json_value('{"a": "x", "n": ' + str(list(range(50))) + ', "z": "y"}',
                           source="s", limits=small)["z"] == "y"  # fmt: skip


# -- bounds: refused exactly when a string or float is too long or nesting too deep ----------


def _walk(value: Any, depth: int = 0) -> Iterator[tuple[int, Any]]:
    """(depth of the container holding it, value) for every value and key; depth of value."""
    yield depth, value
    if isinstance(value, dict):
        for key, item in value.items():
            yield depth + 1, key
            yield from _walk(item, depth + 1)
    elif isinstance(value, list):
        for item in value:
            yield from _walk(item, depth + 1)


def _written_length(value: Any, ensure_ascii: bool) -> int:
    if isinstance(value, str):
        return len(json.dumps(value, ensure_ascii=ensure_ascii)) - 2
    if isinstance(value, float):
        return len(json.dumps(value))
    return 0


def _depth(value: Any) -> int:
    nested = [d + 1 for d, v in _walk(value) if isinstance(v, (dict, list))]
    return max(nested, default=0)


@given(
    st.one_of(plain, numbers_between_strings),
    st.booleans(),
    st.integers(min_value=1, max_value=30),
    st.integers(min_value=1, max_value=6),
)
@example({"a": "x" * 9}, True, 8, 3)
@example([[[1]]], True, 8, 2)
@example({"k": 'q"' * 5}, True, 9, 3)
@example([1.25], True, 3, 3)
def test_bounds_are_exact(value: Any, ensure_ascii: bool, max_scalar: int, max_depth: int) -> None:
    text = json.dumps(value, ensure_ascii=ensure_ascii)
    longest = max(_written_length(v, ensure_ascii) for _, v in _walk(value))
    too_big = longest > max_scalar or _depth(value) > max_depth
    limits = Limits(max_scalar=max_scalar, max_depth=max_depth)
    if too_big:
        with pytest.raises(InputTooLargeError):
            load_json_value(text, source="b.json", limits=limits)
    else:
        assert load_json_value(text, source="b.json", limits=limits) == value


@pytest.mark.parametrize(
    ("text", "message", "where"),
    [
        ('{"a":\n "x\\"' + "y" * 30 + '"}', "longer than 20", (2, 3)),  # escaped quote: exact path
        ('["ok",\n "' + "y" * 30, "longer than 20", (2, 3)),  # unterminated at the end
        ('{"k": "\\"[",\n "d": ' + "[" * 6 + "]" * 6 + "}", "deeper than 5", (2, 11)),
        ('["[[[[[[", "]"]', None, None),  # brackets inside strings do not nest
        ("[1." + "5" * 30 + "]", "number is longer than 20", (1, None)),
    ],
)
def test_refusals_are_located(
    text: str, message: str | None, where: tuple[int, int | None] | None
) -> None:
    limits = Limits(max_scalar=20, max_depth=5)
    if message is None:
        load_json_value(text, source="l.json", limits=limits)
        return
    with pytest.raises(InputTooLargeError, match=message) as info:
        load_json_value(text, source="l.json", limits=limits)
    assert where is not None
    assert info.value.line == where[0]
    if where[1] is not None:
        assert info.value.column == where[1]


def test_unbalanced_and_deep_brackets() -> None:
    limits = Limits(max_depth=3)
    for text in ["[[[[", "]]]][[[[", "[{]}" * 3, "[[[[]]]]", "[" * 40 + "]" * 40]:
        with pytest.raises(ParseError):
            load_json_value(text, source="d.json", limits=limits)
    assert load_json_value("[[[]], [[]], {}]", source="d.json", limits=limits) == [[[]], [[]], {}]
    deep_but_late = "[" * 17 + "]" * 17  # past the leaf-removal rounds: the exact count
    assert load_json_value(deep_but_late, source="d.json", limits=Limits(max_depth=17))


def test_integer_digits_stay_bounded_when_python_lifts_its_bound() -> None:
    setter = getattr(sys, "set_int_max_str_digits", None)
    if setter is None:  # pragma: no cover - Python builds without the bound
        pytest.skip("no int digit bound in this Python")
    before = sys.get_int_max_str_digits()
    setter(0)
    try:
        with pytest.raises(InputTooLargeError, match="longer than 4300"):
            load_json_value("[" + "7" * 5000 + "]", source="i.json")
        assert load_json_value("[-" + "7" * 4300 + "]", source="i.json")[0] < 0
    finally:
        setter(before)


@pytest.mark.parametrize(
    "text", ['{"é": 1,\n"é": 2}', '{"\\u00e9": 1,\n"\\u00e9": 2}', '{"a\\nb": 1,\n"a\\nb": 2}']
)
def test_duplicate_keys_are_located_raw_or_escaped(text: str) -> None:
    with pytest.raises(ParseError, match="duplicate key") as info:
        load_json_value(text, source="k.json")
    assert info.value.line == 2
