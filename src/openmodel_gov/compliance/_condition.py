"""The condition language of compliance rules: tokenizer, parser, typed AST, Kleene evaluation.

A condition is a small boolean expression over the facts of one dataset and of the use
context. It is parsed by hand (no ``eval``), type-checked against :data:`FIELDS` when parsed,
and compiled into closures that evaluate with three-valued (Kleene) logic: a fact that is not
known makes a comparison *unknown*, and the evaluator records which facts it could not decide.

Grammar (keywords are lower case)::

    condition  := or
    or         := and ("or" and)*
    and        := unary ("and" unary)*
    unary      := "not" unary | primary
    primary    := "(" condition ")" | "true" | "false"
                | ("all" | "any") "(" condition ("," condition)* ")"
                | "known" "(" FIELD ")"
                | FIELD                                 -- a boolean fact
                | FIELD ("==" | "!=" | "<" | "<=" | ">" | ">=") LITERAL
                | FIELD ["not"] "in" LIST               -- a text/number fact in a list
                | STRING ["not"] "in" FIELD             -- a member of a set fact
                | FIELD "intersects" LIST               -- a set fact shares a member
    LIST       := "[" LITERAL ("," LITERAL)* [","] "]"
    LITERAL    := STRING | NUMBER | "true" | "false"

>>> c = parse_condition("'EEA' in regions and not known(legal_basis)")
>>> print(c)
'EEA' in regions and not known(legal_basis)
>>> c.fields
('legal_basis', 'regions')
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Literal

from openmodel_gov.compliance._ast import (
    _COMPARE,
    FIELDS,
    FactSet,
    FieldSpec,
    Scalar,
    _Compare,
    _Const,
    _Flag,
    _InList,
    _Junction,
    _Known,
    _lit,
    _Node,
    _Not,
    _SetTest,
    flatten,
)
from openmodel_gov.errors import RulePackError

__all__ = ["FIELDS", "MAX_CONDITION_CHARS", "Condition", "FactSet", "FieldSpec", "parse_condition"]

#: Longest condition text accepted (characters).
MAX_CONDITION_CHARS = 4000
#: Deepest nesting of parentheses / ``not`` accepted.
MAX_DEPTH = 40

# --------------------------------------------------------------------------- tokens

_TOKEN_RE = re.compile(
    r"""
    (?P<ws>\s+)
  | (?P<num>[0-9]+(?:\.[0-9]+)?(?:[eE][+-]?[0-9]+)?)
  | (?P<str>'(?:[^'\\\n]|\\['"\\])*'|"(?:[^"\\\n]|\\['"\\])*")
  | (?P<op>==|!=|<=|>=|<|>|\(|\)|\[|\]|,)
  | (?P<name>[A-Za-z_][A-Za-z0-9_]*(?:\.[A-Za-z_][A-Za-z0-9_]*)*)
    """,
    re.VERBOSE,
)
_KEYWORDS = frozenset(
    {"and", "or", "not", "in", "intersects", "true", "false", "known", "all", "any"}
)


@dataclass(frozen=True)
class _Tok:
    kind: Literal["num", "str", "op", "name", "kw", "end"]
    text: str
    pos: int


def _tokenize(text: str) -> list[_Tok]:
    tokens: list[_Tok] = []
    pos = 0
    while pos < len(text):
        match = _TOKEN_RE.match(text, pos)
        if match is None:
            raise _ConditionSyntaxErrorError(f"unexpected character {text[pos]!r}", pos)
        kind = match.lastgroup
        value = match.group()
        if kind == "name" and value in _KEYWORDS:
            tokens.append(_Tok("kw", value, pos))
        elif kind in ("num", "str", "op", "name"):
            tokens.append(_Tok(kind, value, pos))  # type: ignore[arg-type]
        pos = match.end()
    tokens.append(_Tok("end", "", len(text)))
    return tokens


class _ConditionSyntaxErrorError(Exception):
    def __init__(self, message: str, pos: int) -> None:
        super().__init__(message)
        self.message = message
        self.pos = pos


# --------------------------------------------------------------------------- parser


class _Parser:
    def __init__(self, text: str) -> None:
        self.text = text
        self.tokens = _tokenize(text)
        self.index = 0
        self.depth = 0

    @property
    def tok(self) -> _Tok:
        return self.tokens[self.index]

    def take(self) -> _Tok:
        tok = self.tokens[self.index]
        if tok.kind != "end":
            self.index += 1
        return tok

    def accept(self, text: str) -> bool:
        if self.tok.kind in ("op", "kw") and self.tok.text == text:
            self.index += 1
            return True
        return False

    def expect(self, text: str) -> None:
        if not self.accept(text):
            raise _ConditionSyntaxErrorError(
                f"expected {text!r}, found {self._describe()}", self.tok.pos
            )

    def _describe(self) -> str:
        return "the end of the condition" if self.tok.kind == "end" else repr(self.tok.text)

    def parse(self) -> _Node:
        node = self.parse_or()
        if self.tok.kind != "end":
            raise _ConditionSyntaxErrorError(f"unexpected {self._describe()}", self.tok.pos)
        return node

    def parse_or(self) -> _Node:
        self.depth += 1
        if self.depth > MAX_DEPTH:
            raise _ConditionSyntaxErrorError(f"nested deeper than {MAX_DEPTH} levels", self.tok.pos)
        items = [self.parse_and()]
        while self.accept("or"):
            items.append(self.parse_and())
        self.depth -= 1
        return items[0] if len(items) == 1 else _Junction("or", flatten("or", items))

    def parse_and(self) -> _Node:
        items = [self.parse_unary()]
        while self.accept("and"):
            items.append(self.parse_unary())
        return items[0] if len(items) == 1 else _Junction("and", flatten("and", items))

    def parse_unary(self) -> _Node:
        if self.accept("not"):
            self.depth += 1
            if self.depth > MAX_DEPTH:
                raise _ConditionSyntaxErrorError(
                    f"nested deeper than {MAX_DEPTH} levels", self.tok.pos
                )
            node = _Not(self.parse_unary())
            self.depth -= 1
            return node
        return self.parse_primary()

    def parse_primary(self) -> _Node:
        tok = self.tok
        if self.accept("("):
            node = self.parse_or()
            self.expect(")")
            return node
        if tok.kind == "kw" and tok.text in ("true", "false"):
            self.take()
            return _Const(tok.text == "true")
        if tok.kind == "kw" and tok.text in ("all", "any"):
            self.take()
            self.expect("(")
            items = [self.parse_or()]
            while self.accept(","):
                items.append(self.parse_or())
            self.expect(")")
            op: Literal["and", "or"] = "and" if tok.text == "all" else "or"
            return items[0] if len(items) == 1 else _Junction(op, flatten(op, items))
        if tok.kind == "kw" and tok.text == "known":
            self.take()
            self.expect("(")
            name = self.field()
            self.expect(")")
            return _Known(name.name)
        if tok.kind == "str":
            value = self.string()
            negated = self.accept("not")
            self.expect("in")
            spec = self.field()
            if spec.type != "set":
                raise _ConditionSyntaxErrorError(
                    f"'{spec.name}' is a {spec.type} fact; \"'x' in FIELD\" needs a set fact "
                    f"(write {spec.name} == 'x')",
                    tok.pos,
                )
            self.check_member(spec, value, tok.pos)
            return _SetTest(spec.name, (value,), "not in" if negated else "in")
        if tok.kind == "name":
            return self.field_test()
        raise _ConditionSyntaxErrorError(f"expected a condition, found {self._describe()}", tok.pos)

    def field(self) -> FieldSpec:
        tok = self.tok
        if tok.kind != "name":
            raise _ConditionSyntaxErrorError(
                f"expected a fact name, found {self._describe()}", tok.pos
            )
        self.take()
        spec = FIELDS.get(tok.text)
        if spec is None:
            close = difflib.get_close_matches(tok.text, list(FIELDS), n=1)
            hint = f"; did you mean '{close[0]}'?" if close else ""
            raise _ConditionSyntaxErrorError(f"unknown fact '{tok.text}'{hint}", tok.pos)
        return spec

    def field_test(self) -> _Node:
        pos = self.tok.pos
        spec = self.field()
        tok = self.tok
        if tok.kind == "op" and tok.text in _COMPARE:
            self.take()
            value_pos = self.tok.pos
            value = self.literal()
            self.check_compare(spec, tok.text, value, value_pos)
            return _Compare(spec.name, tok.text, value)
        if tok.kind == "kw" and tok.text in ("in", "not", "intersects"):
            self.take()
            kind = tok.text
            if kind == "not":
                self.expect("in")
            values_pos = self.tok.pos
            values = self.list_literal()
            if kind == "intersects":
                if spec.type != "set":
                    raise _ConditionSyntaxErrorError(
                        f"'intersects' needs a set fact; '{spec.name}' is a {spec.type} fact",
                        tok.pos,
                    )
                for value in values:
                    self.check_member(spec, value, values_pos)
                return _SetTest(spec.name, tuple(str(v) for v in values), "intersects")
            if spec.type not in ("str", "number"):
                raise _ConditionSyntaxErrorError(
                    f"'{spec.name}' is a {spec.type} fact; 'in [...]' needs a text or number fact"
                    + (" (use 'intersects' for sets)" if spec.type == "set" else ""),
                    tok.pos,
                )
            for value in values:
                self.check_compare(spec, "==", value, values_pos)
            return _InList(spec.name, tuple(values), kind == "not")
        if spec.type != "bool":
            raise _ConditionSyntaxErrorError(
                f"'{spec.name}' is a {spec.type} fact, not a condition; compare it "
                f"(==, in, intersects) or test known({spec.name})",
                pos,
            )
        return _Flag(spec.name)

    def string(self) -> str:
        tok = self.take()
        body = tok.text[1:-1]
        return re.sub(r"\\(['\"\\])", r"\1", body)

    def literal(self) -> Scalar:
        tok = self.tok
        if tok.kind == "str":
            return self.string()
        if tok.kind == "num":
            self.take()
            return float(tok.text)
        if tok.kind == "kw" and tok.text in ("true", "false"):
            self.take()
            return tok.text == "true"
        raise _ConditionSyntaxErrorError(
            f"expected a value ('text', number, true, false), found {self._describe()}", tok.pos
        )

    def list_literal(self) -> list[Scalar]:
        self.expect("[")
        values = [self.literal()]
        while self.accept(","):
            if self.tok.kind == "op" and self.tok.text == "]":
                break
            values.append(self.literal())
        self.expect("]")
        return values

    def check_member(self, spec: FieldSpec, value: Scalar, pos: int) -> None:
        if not isinstance(value, str):
            raise _ConditionSyntaxErrorError(
                f"members of '{spec.name}' are text, not {_lit(value)}", pos
            )
        self.check_text(spec, value, pos)

    def check_text(self, spec: FieldSpec, value: str, pos: int) -> None:
        if spec.choices is not None and value not in spec.choices:
            close = difflib.get_close_matches(value, spec.choices, n=1)
            hint = f"; did you mean {close[0]!r}?" if close else ""
            raise _ConditionSyntaxErrorError(
                f"{value!r} is not a value of '{spec.name}' (one of: "
                f"{', '.join(spec.choices)}){hint}",
                pos,
            )
        if spec.pattern is not None and not re.match(spec.pattern, value):
            raise _ConditionSyntaxErrorError(
                f"{value!r} is not a valid value of '{spec.name}' (must match {spec.pattern})",
                pos,
            )

    def check_compare(self, spec: FieldSpec, op: str, value: Scalar, pos: int) -> None:
        if spec.type == "set":
            raise _ConditionSyntaxErrorError(
                f"'{spec.name}' is a set; use \"'x' in {spec.name}\" or "
                f"'{spec.name} intersects [...]'",
                pos,
            )
        if op not in ("==", "!=") and spec.type != "number":
            raise _ConditionSyntaxErrorError(
                f"'{op}' needs a number fact; '{spec.name}' is {spec.type}", pos
            )
        expected = {"str": str, "bool": bool, "number": float}[spec.type]
        if type(value) is not expected:
            raise _ConditionSyntaxErrorError(
                f"'{spec.name}' is a {spec.type} fact; {_lit(value)} is not a {spec.type}", pos
            )
        if isinstance(value, str):
            self.check_text(spec, value, pos)


# --------------------------------------------------------------------------- public


class Condition:
    """A parsed, type-checked condition. Build one with :func:`parse_condition`.

    >>> c = parse_condition("source_kind == 'web-crawl' and not tdm_optout_honored")
    >>> c.evaluate({"source_kind": "web-crawl", "tdm_optout_honored": False})
    (True, ())
    >>> c.evaluate({"source_kind": "web-crawl"})
    (None, ('tdm_optout_honored',))
    >>> c.evaluate({"source_kind": "licensed"})
    (False, ())
    """

    __slots__ = ("_fields", "_node", "_run", "run", "text")

    def __init__(self, node: _Node, text: str) -> None:
        self._node = node
        self._run = self.run = node.compile()
        """Low-level :meth:`evaluate`: ``run(facts, unknown)`` appends unknown facts (may
        repeat) to the list ``unknown`` and returns the result."""
        self._fields = tuple(sorted(node.fields()))
        self.text = text

    @property
    def conjuncts(self) -> tuple[Condition, ...]:
        """The top-level ``and`` operands (just ``self`` for any other condition).

        >>> [str(c) for c in parse_condition("synthetic and (pii_redacted or true)").conjuncts]
        ['synthetic', 'pii_redacted or true']
        """
        node = self._node
        if isinstance(node, _Junction) and node.op == "and":
            return tuple(Condition(part, part.render(0)) for part in node.operands)
        return (self,)

    @property
    def fields(self) -> tuple[str, ...]:
        """The facts this condition reads, sorted."""
        return self._fields

    def evaluate(self, facts: Mapping[str, object]) -> tuple[bool | None, tuple[str, ...]]:
        """Evaluate with Kleene logic.

        Args:
            facts: fact name -> value; a missing name or ``None`` is an unknown fact. Set facts
                are :class:`FactSet` values.

        Returns:
            ``(result, unknown)``: ``True``/``False``, or ``None`` when unknown facts leave
            it undecided; ``unknown`` names those facts (empty unless ``result`` is ``None``).
        """
        unknown: list[str] = []
        result = self._run(facts, unknown)
        if result is not None:
            return result, ()
        return None, tuple(dict.fromkeys(unknown))

    def __str__(self) -> str:
        return self._node.render(0)

    def __repr__(self) -> str:
        return f"parse_condition({str(self)!r})"

    def __eq__(self, other: object) -> bool:
        return isinstance(other, Condition) and self._node == other._node

    def __hash__(self) -> int:
        return hash(self._node)


def parse_condition(text: str) -> Condition:
    """Parse and type-check a rule condition (see the module docstring for the grammar).

    Args:
        text: the condition, e.g. ``"'EEA' in regions and data_categories intersects
            ['personal']"``.

    Returns:
        The compiled :class:`Condition`.

    Raises:
        RulePackError: the text is not a valid condition; ``column`` points at the problem
            and the message says what was expected.

    >>> parse_condition("context.training_flop >= 1e25").evaluate({"context.training_flop": 3e25})
    (True, ())
    >>> parse_condition("source_kind == 'webcrawl'")
    Traceback (most recent call last):
    ...
    openmodel_gov.errors.RulePackError: line 1, column 16: 'webcrawl' is not a value of ...
    """
    if not isinstance(text, str):
        raise RulePackError(f"a condition must be text, not {type(text).__name__}")
    if len(text) > MAX_CONDITION_CHARS:
        raise RulePackError(f"condition is longer than {MAX_CONDITION_CHARS} characters")
    if not text.strip():
        raise RulePackError(
            "condition is empty", hint="write 'true' for a rule that always applies"
        )
    try:
        node = _Parser(text).parse()
    except _ConditionSyntaxErrorError as exc:
        line = text.count("\n", 0, exc.pos) + 1
        column = exc.pos - (text.rfind("\n", 0, exc.pos) + 1) + 1
        raise RulePackError(exc.message, line=line, column=column) from None
    return Condition(node, text)
