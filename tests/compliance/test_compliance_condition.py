"""The condition language: grammar, type checks, Kleene evaluation, and Hypothesis properties."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from openmodel_gov.compliance import FIELDS, FactSet, parse_condition
from openmodel_gov.errors import RulePackError

Tri = bool | None
Facts = dict[str, object]


@pytest.mark.parametrize(
    ("text", "facts", "expected"),
    [
        ("true", {}, (True, ())),
        ("false or true", {}, (True, ())),
        ("synthetic", {"synthetic": True}, (True, ())),
        ("not synthetic", {}, (None, ("synthetic",))),
        ("known(legal_basis)", {}, (False, ())),
        ("known(legal_basis)", {"legal_basis": "consent"}, (True, ())),
        ("legal_basis == 'consent'", {"legal_basis": "contract"}, (False, ())),
        ("legal_basis != 'consent'", {"legal_basis": "contract"}, (True, ())),
        ("source_kind in ['licensed', 'other',]", {"source_kind": "other"}, (True, ())),
        ("source_kind not in ['licensed']", {"source_kind": "other"}, (True, ())),
        ("context.training_flop > 1e25", {"context.training_flop": 1e25}, (False, ())),
        ("context.training_flop >= 1e25", {"context.training_flop": 1e25}, (True, ())),
        ("context.training_flop < 10", {"context.training_flop": 9.5}, (True, ())),
        ("context.training_flop <= 10", {"context.training_flop": 11.0}, (False, ())),
        ("pii_records in [1, 2.5]", {"pii_records": 2.5}, (True, ())),
        ("'EEA' in regions", {"regions": FactSet(frozenset({"EEA"}))}, (True, ())),
        ("'EEA' not in regions", {"regions": FactSet(frozenset({"EEA"}))}, (False, ())),
        ("'EEA' in regions", {"regions": FactSet(frozenset(), open=True)}, (None, ("regions",))),
        ("'BR' in regions", {"regions": FactSet(frozenset({"US"}))}, (False, ())),
        (
            "data_categories intersects ['health', 'biometric']",
            {"data_categories": FactSet(frozenset({"health"}))},
            (True, ()),
        ),
        # Kleene logic: a decided operand can settle an undecided one
        ("synthetic and tdm_optout_honored", {"synthetic": False}, (False, ())),
        ("synthetic or tdm_optout_honored", {"synthetic": True}, (True, ())),
        (
            "synthetic or tdm_optout_honored",
            {"synthetic": False},
            (None, ("tdm_optout_honored",)),
        ),
        ("all(true, any(false, synthetic))", {"synthetic": True}, (True, ())),
        ("any(synthetic)", {"synthetic": False}, (False, ())),
        (
            "not (synthetic and pii_redacted)",
            {"synthetic": True, "pii_redacted": True},
            (False, ()),
        ),
        ("name == 'it\\'s'", {"name": "it's"}, (True, ())),
        ('name == "a\\"b"', {"name": 'a"b'}, (True, ())),
    ],
)
def test_evaluate(text: str, facts: Facts, expected: tuple[Tri, tuple[str, ...]]) -> None:
    assert parse_condition(text).evaluate(facts) == expected


@pytest.mark.parametrize(
    ("text", "message", "column"),
    [
        ("", "condition is empty", None),
        ("synthetic and", "expected a condition, found the end", 14),
        ("(synthetic", "expected ')'", 11),
        ("synthetic )", "unexpected ')'", 11),
        ("jurisdiction intersects ['EU']", "did you mean 'jurisdictions'", 1),
        ("source_kind == 'webcrawl'", "did you mean 'web-crawl'", 16),
        ("regions == 'EU'", "is a set", 12),
        ("legal_basis", "not a condition", 1),
        ("synthetic == 'yes'", "is not a bool", 14),
        ("name > 'a'", "needs a number fact", 8),
        ("synthetic intersects ['a']", "needs a set fact", 11),
        ("regions in ['EU']", "use 'intersects' for sets", 9),
        ("'EU' in name", "needs a set fact", 1),
        ("1 in regions", "expected a condition", 1),
        ("regions intersects [1]", "are text", 20),
        ("'europe' in regions", "not a valid value", 1),
        ("known('x')", "expected a fact name", 7),
        ("synthetic & pii_redacted", "unexpected character '&'", 11),
        ("name == ", "expected a value", 9),
        ("source_kind in []", "expected a value", 17),
        ("synthetic\nand ???", "unexpected character '?'", 5),
    ],
)
def test_syntax_and_type_errors(text: str, message: str, column: int | None) -> None:
    with pytest.raises(RulePackError) as info:
        parse_condition(text)
    assert message in str(info.value)
    assert info.value.column == column


def test_error_line_in_multiline_condition() -> None:
    with pytest.raises(RulePackError) as info:
        parse_condition("synthetic\nand ???")
    assert info.value.line == 2


def test_limits() -> None:
    with pytest.raises(RulePackError, match="longer than"):
        parse_condition("true or " * 1000 + "true")
    with pytest.raises(RulePackError, match="nested deeper"):
        parse_condition("(" * 60 + "true" + ")" * 60)
    with pytest.raises(RulePackError, match="nested deeper"):
        parse_condition("not " * 60 + "true")
    with pytest.raises(RulePackError, match="must be text"):
        parse_condition(3)  # type: ignore[arg-type]


def test_rendering_is_canonical_and_minimal() -> None:
    c = parse_condition("(synthetic or (pii_redacted)) and not (known(name) and true)")
    assert str(c) == "(synthetic or pii_redacted) and not (known(name) and true)"
    assert repr(c).startswith("parse_condition(")
    assert parse_condition("context.training_flop > 1e25").__str__() == (
        "context.training_flop > 1e+25"
    )
    assert str(parse_condition("pii_records > 2")) == "pii_records > 2"
    assert c == parse_condition(str(c))
    assert hash(c) == hash(parse_condition(str(c)))
    assert c != "synthetic"
    assert c.fields == ("name", "pii_redacted", "synthetic")


def test_every_field_is_documented() -> None:
    for spec in FIELDS.values():
        assert spec.doc
        assert spec.scope == ("context" if spec.name.startswith("context.") else "dataset")


# --------------------------------------------------------------------------- Hypothesis

Atom = tuple[str, Callable[[Facts], Tri]]
_SET_VALUES = {
    "regions": ("EU", "EEA", "US", "US-CA", "BR"),
    "jurisdictions": ("EU", "US", "GLOBAL"),
    "data_categories": ("personal", "health", "none"),
    "pii_entities": ("PERSON", "US_SSN"),
}
_STR_VALUES = {
    "source_kind": ("web-crawl", "licensed", "synthetic"),
    "deidentified": ("none", "safe-harbor"),
    "context.use": ("commercial", "research"),
    "legal_basis": ("consent", "contract"),
}
_BOOLS = ("synthetic", "tdm_optout_honored", "pii_redacted", "context.gpai_eu_market")


def _q(value: str) -> str:
    return "'" + value + "'"


def _atoms() -> st.SearchStrategy[Atom]:
    def flag(name: str) -> Atom:
        def run(f: Facts) -> Tri:
            v = f.get(name)
            return None if v is None else bool(v)

        return name, run

    def known(name: str) -> Atom:
        return f"known({name})", lambda f: f.get(name) is not None

    def eq(name: str, value: str, negate: bool) -> Atom:
        def run(f: Facts) -> Tri:
            v = f.get(name)
            return None if v is None else (v == value) != negate

        return f"{name} {'!=' if negate else '=='} {_q(value)}", run

    def member(name: str, value: str) -> Atom:
        def run(f: Facts) -> Tri:
            v = f.get(name)
            return v.contains(value) if isinstance(v, FactSet) else None

        return f"{_q(value)} in {name}", run

    def inter(name: str, values: tuple[str, ...]) -> Atom:
        def run(f: Facts) -> Tri:
            v = f.get(name)
            return v.intersects(frozenset(values)) if isinstance(v, FactSet) else None

        return f"{name} intersects [{', '.join(map(_q, values))}]", run

    def gt(threshold: int) -> Atom:
        def run(f: Facts) -> Tri:
            v = f.get("context.training_flop")
            return None if v is None else v > threshold  # type: ignore[operator]

        return f"context.training_flop > {threshold}", run

    return st.one_of(
        st.sampled_from(_BOOLS).map(flag),
        st.sampled_from([*_BOOLS, *_STR_VALUES, *_SET_VALUES]).map(known),
        st.sampled_from(sorted(_STR_VALUES)).flatmap(
            lambda n: st.builds(eq, st.just(n), st.sampled_from(_STR_VALUES[n]), st.booleans())
        ),
        st.sampled_from(sorted(_SET_VALUES)).flatmap(
            lambda n: st.builds(member, st.just(n), st.sampled_from(_SET_VALUES[n]))
        ),
        st.sampled_from(sorted(_SET_VALUES)).flatmap(
            lambda n: st.builds(
                inter,
                st.just(n),
                st.lists(st.sampled_from(_SET_VALUES[n]), min_size=1, max_size=3).map(tuple),
            )
        ),
        st.integers(0, 100).map(gt),
        st.sampled_from([("true", lambda f: True), ("false", lambda f: False)]),
    )


def _and(parts: list[Tri]) -> Tri:
    return False if False in parts else (None if None in parts else True)


def _or(parts: list[Tri]) -> Tri:
    return True if True in parts else (None if None in parts else False)


def _combine(children: st.SearchStrategy[Atom]) -> st.SearchStrategy[Atom]:
    def junction(op: str, items: list[Atom], spelled: bool) -> Atom:
        fn = _and if op == "and" else _or
        if spelled:
            text = ("all(" if op == "and" else "any(") + ", ".join(t for t, _ in items) + ")"
        else:
            text = "(" + f" {op} ".join(t for t, _ in items) + ")"
        return text, lambda f: fn([run(f) for _, run in items])

    def negate(item: Atom) -> Atom:
        text, run = item

        def neg(f: Facts) -> Tri:
            r = run(f)
            return None if r is None else not r

        return f"not {text}", neg

    return st.one_of(
        st.builds(
            junction,
            st.sampled_from(["and", "or"]),
            st.lists(children, min_size=2, max_size=4),
            st.booleans(),
        ),
        children.map(negate),
    )


conditions = st.recursive(_atoms(), _combine, max_leaves=12)


@st.composite
def facts(draw: st.DrawFn) -> Facts:
    out: Facts = {}
    for name in _BOOLS:
        out[name] = draw(st.none() | st.booleans())
    for name, values in _STR_VALUES.items():
        out[name] = draw(st.none() | st.sampled_from(values))
    for name, values in _SET_VALUES.items():
        if draw(st.booleans()):
            out[name] = FactSet(
                frozenset(draw(st.sets(st.sampled_from(values)))),
                maybe=frozenset(draw(st.sets(st.sampled_from(values)))),
                open=draw(st.booleans()),
            )
    out["context.training_flop"] = draw(st.none() | st.integers(0, 100).map(float))
    return out


@settings(max_examples=100, deadline=None)
@given(conditions, facts())
def test_evaluation_matches_a_reference_kleene_evaluator(condition: Atom, values: Facts) -> None:
    text, reference = condition
    parsed = parse_condition(text)
    result, unknown = parsed.evaluate(values)
    assert result is reference(values)
    if result is None:
        assert unknown
        assert set(unknown) <= set(parsed.fields)
    else:
        assert unknown == ()


@settings(max_examples=100, deadline=None)
@given(conditions)
def test_rendering_round_trips(condition: Atom) -> None:
    parsed = parse_condition(condition[0])
    again = parse_condition(str(parsed))
    assert again == parsed
    assert str(again) == str(parsed)


_ALPHABET = st.sampled_from(
    [
        *"()[],'\"=!<> \n.\\-_0123456789eE",
        "and",
        "or",
        "not",
        "in",
        "intersects",
        "known",
        "all",
        "any",
        "true",
        "false",
        "synthetic",
        "regions",
        "name",
        "context.use",
        "1e25",
    ]
)


@settings(max_examples=200, deadline=None)
@given(st.lists(_ALPHABET, max_size=30).map(" ".join) | st.text(max_size=60))
def test_arbitrary_text_parses_or_raises_rule_pack_error(text: str) -> None:
    error: RulePackError | None = None
    try:
        parsed = parse_condition(text)
    except RulePackError as exc:
        error = exc
    if error is not None:
        assert error.message
        assert error.column is None or 1 <= error.column <= len(text) + 1
        return
    assert parse_condition(str(parsed)) == parsed
    result: Any = parsed.evaluate({})
    assert result[0] in (True, False, None)
