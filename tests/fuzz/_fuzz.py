"""Shared pieces of the fuzz targets: budgets, hostile-text strategies and the typed-error rule.

The rule every target checks: for any input, a loader returns a result or raises an
:class:`~openmodel_gov.errors.OpenModelGovError`; nothing else escapes (no ``KeyError``,
``RecursionError``, ``UnicodeError``, raw pydantic ``ValidationError``, ...).

Budgets: the normal suite runs :data:`EXAMPLES` examples per target (small). The nightly run,
``HYPOTHESIS_PROFILE=nightly python -m pytest tests/fuzz -p no:cacheprovider``, runs 10,000
per target and bounds every example to 1 s (Hypothesis ``deadline``);
``OMG_FUZZ_EXAMPLES=N`` sets any other budget. See
``docs/getting-started.md``.
"""

from __future__ import annotations

import os
import warnings
from collections.abc import Callable
from typing import Any

from hypothesis import HealthCheck, settings
from hypothesis import strategies as st

from openmodel_gov._core._io import dump_json, dump_yaml
from openmodel_gov.errors import OpenModelGovError

NIGHTLY = os.environ.get("HYPOTHESIS_PROFILE") == "nightly"
#: Examples per target: small in the normal suite, 10,000 in the nightly run.
EXAMPLES = int(os.environ.get("OMG_FUZZ_EXAMPLES", "10000" if NIGHTLY else "25"))

FUZZ = settings(
    max_examples=EXAMPLES,
    deadline=1000 if NIGHTLY else None,  # ms per example; no timed assertions in the suite
    suppress_health_check=[
        HealthCheck.too_slow,
        HealthCheck.filter_too_much,
        HealthCheck.data_too_large,
        HealthCheck.function_scoped_fixture,
    ],
    derandomize=not NIGHTLY,  # the normal suite is reproducible; nightly explores
)


def typed_only(func: Callable[..., Any], *args: Any, **kwargs: Any) -> Any:
    """Call ``func``; return its result, ``None`` for a typed error; let anything else escape."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        try:
            return func(*args, **kwargs)
        except OpenModelGovError:
            return None


#: Fragments that broke, or could break, a YAML/JSON reader.
_ATOMS = [
    "[", "]", "{", "}", ": ", ":", "- ", ", ", "&a ", "*a", "&b ", "*b", "!!bool ", "!!float",
    "!!int", "!!timestamp ", "!!binary ", "!!set ", "!!python/object:os.system ", "!foo ",
    "<<: ", ".inf", "-.inf", ".nan", "1e999", "NaN", "Infinity", "---\n", "...\n", "\n", "  ",
    "'", '"', "#", "? ", "|\n", ">\n", "\t", "\ud800", "\x00", "\ufeff", "\x85", "\u2028",
    "~", "null", "yes", "0x1F", "0o17", "1_000", "2024-01-01", "é", "\\", "%YAML 1.1\n",
]  # fmt: skip

hostile_text: st.SearchStrategy[str] = st.one_of(
    st.text(max_size=200),
    st.lists(st.one_of(st.sampled_from(_ATOMS), st.text(max_size=6)), max_size=60).map("".join),
    st.integers(min_value=1, max_value=800).map(lambda n: "a: " + "[" * n + "]" * n),
    st.integers(min_value=1, max_value=800).map(lambda n: '{"a":' * n + "1" + "}" * n),
)


def values(keys: list[str]) -> st.SearchStrategy[Any]:
    """Nested plain data whose mapping keys are mostly ``keys`` (so validation is reached)."""
    key = st.one_of(st.sampled_from(keys), st.text(max_size=8))
    leaf = st.one_of(
        st.none(),
        st.booleans(),
        st.integers(min_value=-(2**70), max_value=2**70),
        st.floats(allow_nan=False, allow_infinity=False),
        st.text(max_size=30),
        st.sampled_from(["MIT", "hf:llama2", "(((", "apache-2.0", "Class I", "High", "1.0"]),
    )
    return st.recursive(
        leaf,
        lambda children: (
            st.lists(children, max_size=4) | st.dictionaries(key, children, max_size=6)
        ),
        max_leaves=25,
    )


def documents(keys: list[str]) -> st.SearchStrategy[str]:
    """YAML or JSON texts of shaped mappings, and hostile text."""
    mapping = st.dictionaries(st.sampled_from(keys), values(keys), max_size=8)
    return st.one_of(mapping.map(dump_yaml), mapping.map(dump_json), hostile_text)
