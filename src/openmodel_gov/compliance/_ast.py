"""Facts a condition may read, set-valued facts, and the condition AST (Kleene evaluation)."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Literal

from openmodel_gov._core._vocab import DATA_CATEGORIES, DEIDENTIFICATION, SOURCE_KINDS

__all__ = ["FIELDS", "Evaluator", "FactSet", "FieldSpec", "Scalar", "flatten"]

FieldType = Literal["str", "bool", "number", "set"]
Scalar = str | bool | float
Evaluator = Callable[[Mapping[str, object], list[str]], "bool | None"]

_JURISDICTION = r"^(GLOBAL|[A-Z]{2,3}(-[A-Z0-9]{1,3})?)$"
_ENTITY = r"^[A-Z][A-Z0-9_]*$"


@dataclass(frozen=True)
class FieldSpec:
    """A fact a condition may read.

    Attributes:
        name: the name used in conditions (``context.`` prefix for use-context facts).
        type: ``str``, ``bool``, ``number`` or ``set`` (a set of strings).
        doc: what the fact means, for the documentation.
        choices: the allowed literal values, if the vocabulary is closed.
        pattern: a regular expression literal values must match, if any.
        question: what to ask when the fact is unknown (for open findings).
    """

    name: str
    type: FieldType
    doc: str
    choices: tuple[str, ...] | None = None
    pattern: str | None = None
    question: str | None = None

    @property
    def how_to_state(self) -> str:
        """Where the fact is given: a dataset field or a context key."""
        if self.scope == "context":
            return f"context key `{self.name.removeprefix('context.')}`"
        derived = {
            "regions": "jurisdictions",
            "within_regions": "jurisdictions",
            "pii_scanned": "pii_summary",
            "pii_entities": "pii_summary",
            "pii_records": "pii_summary",
            "pii_redacted": "pii_summary",
        }
        return f"dataset field `{derived.get(self.name, self.name)}`"

    @property
    def ask(self) -> str:
        """The question to ask when the fact is unknown."""
        return self.question or f"What is {self.doc}?"

    @property
    def scope(self) -> Literal["dataset", "context"]:
        """``context`` for use-context facts, else ``dataset``."""
        return "context" if self.name.startswith("context.") else "dataset"


_SPECS = (
    FieldSpec("name", "str", "the dataset name"),
    FieldSpec("version", "str", "the dataset version"),
    FieldSpec(
        "license",
        "str",
        "the dataset's SPDX license expression",
        question="Under which license was the dataset obtained?",
    ),
    FieldSpec(
        "legal_basis",
        "str",
        "documented legal basis (unknown: none documented)",
        question="On which legal basis (consent, contract, legitimate interest ...) is the "
        "personal data processed?",
    ),
    FieldSpec(
        "source_kind",
        "str",
        "how the data was obtained",
        choices=SOURCE_KINDS,
        question="How was the data obtained (user data, web crawl, licensed, synthetic ...)?",
    ),
    FieldSpec(
        "deidentified",
        "str",
        "de-identification applied (absent: none claimed)",
        choices=DEIDENTIFICATION,
        question="Was the data de-identified, and by which method?",
    ),
    FieldSpec("synthetic", "bool", "generated data (the flag or source_kind 'synthetic')"),
    FieldSpec(
        "tdm_optout_honored",
        "bool",
        "text-and-data-mining opt-outs were honored",
        question="Were machine-readable text-and-data-mining opt-outs (robots.txt, TDMRep) "
        "honored when the data was collected?",
    ),
    FieldSpec(
        "jurisdictions",
        "set",
        "jurisdiction codes as declared",
        pattern=_JURISDICTION,
        question="Where are the people in the data, and where was it collected "
        "(jurisdiction codes)?",
    ),
    FieldSpec(
        "regions",
        "set",
        "declared jurisdictions plus what they imply (DE -> EU, EEA; US-CA -> US)",
        pattern=_JURISDICTION,
        question="Where are the people in the data (jurisdiction codes: DE, US-CA, BR ...)?",
    ),
    FieldSpec(
        "within_regions",
        "set",
        "regions that hold every declared jurisdiction (DE, FR -> EU, EEA; DE, US -> none; "
        "GLOBAL -> none)",
        pattern=_JURISDICTION,
        question="Are all the people in the data in one region, e.g. the EEA (jurisdiction codes)?",
    ),
    FieldSpec(
        "data_categories",
        "set",
        "categories of data",
        choices=DATA_CATEGORIES,
        question="What kinds of data does it hold (personal, health, children, biometric ...)?",
    ),
    FieldSpec("pii_scanned", "bool", "a PII scan summary is attached"),
    FieldSpec(
        "pii_entities",
        "set",
        "entity types the PII scan found",
        pattern=_ENTITY,
        question="What does a PII scan of the data find?",
    ),
    FieldSpec("pii_records", "number", "records in which the PII scan found something"),
    FieldSpec(
        "pii_redacted",
        "bool",
        "the PII scan findings were redacted",
        question="Were the PII scan findings redacted?",
    ),
    FieldSpec(
        "context.use",
        "str",
        "intended use",
        choices=("commercial", "research"),
        question="Is the use commercial or research?",
    ),
    FieldSpec(
        "context.gpai_eu_market",
        "bool",
        "a general-purpose AI model goes on the EU market",
        question="Will a general-purpose AI model trained on the data be placed on the EU market?",
    ),
    FieldSpec(
        "context.training_flop",
        "number",
        "cumulative training compute in FLOP",
        question="What is the cumulative training compute of the model (FLOP)?",
    ),
    FieldSpec(
        "context.directed_to_children",
        "bool",
        "the service is directed to children",
        question="Is the service directed to children (under 13 in the US)?",
    ),
    FieldSpec(
        "context.hipaa_covered_entity",
        "bool",
        "the organization is a HIPAA covered entity",
        question="Is the organization a HIPAA covered entity (health plan, clearinghouse, "
        "provider billing electronically)?",
    ),
    FieldSpec(
        "context.hipaa_business_associate",
        "bool",
        "the organization is a HIPAA business associate",
        question="Does the organization handle the data as a HIPAA business associate?",
    ),
)

#: Every fact a condition may read, by name.
FIELDS: Mapping[str, FieldSpec] = {spec.name: spec for spec in _SPECS}


@dataclass(frozen=True, slots=True, eq=False)
class FactSet:
    """A set-valued fact that may be *open*: known members plus members that may be present.

    Declared ``GLOBAL`` jurisdictions may include anything (``open``: membership *unknown*);
    ``US`` data may include people in any US state (``maybe_prefixes=("US-",)``). Membership
    is then *unknown* (``None``), not ``False``. The *regions* of ``GLOBAL`` data hold the
    global baseline (the EU, California) and may hold anything else (``open``).
    Fact sets compare (and hash) by identity: they are facts of one dataset,
    shared through caches, not values to compare.

    >>> s = FactSet(frozenset({"US"}), maybe_prefixes=("US-",))
    >>> s.contains("US"), s.contains("US-CA"), s.contains("BR")
    (True, None, False)
    """

    items: frozenset[str]
    maybe: frozenset[str] = frozenset()
    maybe_prefixes: tuple[str, ...] = ()
    open: bool = False

    def _may_hold(self, value: str) -> bool:
        return self.open or value in self.maybe or value.startswith(self.maybe_prefixes)

    def contains(self, value: str) -> bool | None:
        """``True`` if present, ``None`` if possibly present, else ``False``."""
        if value in self.items:
            return True
        return None if self._may_hold(value) else False

    def intersects(self, values: frozenset[str]) -> bool | None:
        """``True`` if a value is present, ``None`` if one possibly is, else ``False``."""
        if not self.items.isdisjoint(values):
            return True
        return None if any(self._may_hold(v) for v in values) else False


# --------------------------------------------------------------------------- AST


def _lit(value: Scalar) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float):
        return repr(int(value)) if value.is_integer() and abs(value) < 1e16 else repr(value)
    return "'" + value.replace("\\", "\\\\").replace("'", "\\'") + "'"


def _list(values: tuple[Scalar, ...]) -> str:
    return "[" + ", ".join(_lit(v) for v in values) + "]"


@dataclass(frozen=True)
class _Node:
    def fields(self) -> frozenset[str]:
        return frozenset()

    def compile(self) -> Evaluator:  # pragma: no cover - every node overrides
        raise NotImplementedError

    def render(self, parent: int) -> str:  # pragma: no cover - every node overrides
        raise NotImplementedError


@dataclass(frozen=True)
class _Const(_Node):
    value: bool

    def compile(self) -> Evaluator:
        value = self.value
        return lambda facts, unknown: value

    def render(self, parent: int) -> str:
        return _lit(self.value)


@dataclass(frozen=True)
class _Flag(_Node):
    field: str

    def fields(self) -> frozenset[str]:
        return frozenset({self.field})

    def compile(self) -> Evaluator:
        name = self.field

        def run(facts: Mapping[str, object], unknown: list[str]) -> bool | None:
            value = facts.get(name)
            if value is None:
                unknown.append(name)
                return None
            return bool(value)

        return run

    def render(self, parent: int) -> str:
        return self.field


@dataclass(frozen=True)
class _Known(_Node):
    field: str

    def fields(self) -> frozenset[str]:
        return frozenset({self.field})

    def compile(self) -> Evaluator:
        name = self.field
        return lambda facts, unknown: facts.get(name) is not None

    def render(self, parent: int) -> str:
        return f"known({self.field})"


_COMPARE: dict[str, Callable[[object, object], bool]] = {
    "==": lambda a, b: a == b,
    "!=": lambda a, b: a != b,
    "<": lambda a, b: a < b,  # type: ignore[operator]
    "<=": lambda a, b: a <= b,  # type: ignore[operator]
    ">": lambda a, b: a > b,  # type: ignore[operator]
    ">=": lambda a, b: a >= b,  # type: ignore[operator]
}


@dataclass(frozen=True)
class _Compare(_Node):
    field: str
    op: str
    value: Scalar

    def fields(self) -> frozenset[str]:
        return frozenset({self.field})

    def compile(self) -> Evaluator:
        name, test, value = self.field, _COMPARE[self.op], self.value

        def run(facts: Mapping[str, object], unknown: list[str]) -> bool | None:
            actual = facts.get(name)
            if actual is None:
                unknown.append(name)
                return None
            return test(actual, value)

        return run

    def render(self, parent: int) -> str:
        return f"{self.field} {self.op} {_lit(self.value)}"


@dataclass(frozen=True)
class _InList(_Node):
    field: str
    values: tuple[Scalar, ...]
    negated: bool

    def fields(self) -> frozenset[str]:
        return frozenset({self.field})

    def compile(self) -> Evaluator:
        name, values, negated = self.field, frozenset(self.values), self.negated

        def run(facts: Mapping[str, object], unknown: list[str]) -> bool | None:
            actual = facts.get(name)
            if actual is None:
                unknown.append(name)
                return None
            return (actual in values) != negated

        return run

    def render(self, parent: int) -> str:
        return f"{self.field} {'not in' if self.negated else 'in'} {_list(self.values)}"


@dataclass(frozen=True)
class _SetTest(_Node):
    """``'x' in field``, ``'x' not in field`` or ``field intersects [...]``."""

    field: str
    values: tuple[str, ...]
    kind: Literal["in", "not in", "intersects"]

    def fields(self) -> frozenset[str]:
        return frozenset({self.field})

    def compile(self) -> Evaluator:
        name, kind = self.field, self.kind
        values = frozenset(self.values)
        single = self.values[0]

        def run(facts: Mapping[str, object], unknown: list[str]) -> bool | None:
            actual = facts.get(name)
            result: bool | None = None
            if isinstance(actual, FactSet):  # FactSet.contains / intersects, inlined for speed
                if kind == "intersects":
                    if not actual.items.isdisjoint(values):
                        return True
                    prefixes = actual.maybe_prefixes
                    if not (
                        actual.open
                        or not actual.maybe.isdisjoint(values)
                        or (prefixes and any(v.startswith(prefixes) for v in values))
                    ):
                        return False
                elif single in actual.items:
                    result = True
                elif not (
                    actual.open
                    or single in actual.maybe
                    or single.startswith(actual.maybe_prefixes)
                ):
                    result = False
            if result is None:
                unknown.append(name)
                return None
            return (not result) if kind == "not in" else result

        return run

    def render(self, parent: int) -> str:
        if self.kind == "intersects":
            return f"{self.field} intersects {_list(self.values)}"
        return f"{_lit(self.values[0])} {self.kind} {self.field}"


@dataclass(frozen=True)
class _Not(_Node):
    operand: _Node

    def fields(self) -> frozenset[str]:
        return self.operand.fields()

    def compile(self) -> Evaluator:
        inner = self.operand.compile()

        def run(facts: Mapping[str, object], unknown: list[str]) -> bool | None:
            result = inner(facts, unknown)
            return None if result is None else not result

        return run

    def render(self, parent: int) -> str:
        return "not " + self.operand.render(3)


@dataclass(frozen=True)
class _Junction(_Node):
    op: Literal["and", "or"]
    operands: tuple[_Node, ...]

    def fields(self) -> frozenset[str]:
        return frozenset().union(*(o.fields() for o in self.operands))

    def compile(self) -> Evaluator:
        parts = tuple(o.compile() for o in self.operands)
        stop = self.op == "or"  # the value that decides the junction on its own

        def run(facts: Mapping[str, object], unknown: list[str]) -> bool | None:
            result: bool | None = not stop
            mark = len(unknown)
            for part in parts:
                value = part(facts, unknown)
                if value is stop:
                    del unknown[mark:]  # decided: the unknown operands did not matter
                    return stop
                if value is None:
                    result = None
            return result

        return run

    def render(self, parent: int) -> str:
        level = 1 if self.op == "or" else 2
        text = f" {self.op} ".join(o.render(level) for o in self.operands)
        return f"({text})" if parent > level else text


def flatten(op: str, items: list[_Node]) -> tuple[_Node, ...]:
    out: list[_Node] = []
    for item in items:
        if isinstance(item, _Junction) and item.op == op:
            out.extend(item.operands)
        else:
            out.append(item)
    return tuple(out)
