"""Shared pieces of the fuzz targets: budgets, hostile-text strategies and the typed-error rule.

The rule every target checks: for any input, a loader returns a result or raises an
:class:`~openmodel_gov.errors.OpenModelGovError`; nothing else escapes (no ``KeyError``,
``RecursionError``, ``UnicodeError``, raw pydantic ``ValidationError``, ...).

Budgets: the normal suite runs :data:`EXAMPLES` examples per target (small). The nightly run,
``HYPOTHESIS_PROFILE=nightly python -m pytest tests/fuzz -p no:cacheprovider``, runs 10,000
per target and bounds every call to :data:`CPU_BOUND_S` of CPU time (process time, so a busy
machine does not fail it: a wall-clock ``deadline`` did, with 1.4 s spikes on inputs that
rerun in 10 ms); ``OMG_FUZZ_EXAMPLES=N`` sets any other budget. See ``docs/ci.md``.
"""

from __future__ import annotations

import contextlib
import gc
import os
import time
import warnings
from collections.abc import Callable, Iterator
from typing import Any

from hypothesis import HealthCheck, settings
from hypothesis import strategies as st

from openmodel_gov._core._io import dump_json, dump_yaml
from openmodel_gov.errors import OpenModelGovError

NIGHTLY = os.environ.get("HYPOTHESIS_PROFILE") == "nightly"
#: Examples per target: small in the normal suite, 10,000 in the nightly run.
EXAMPLES = int(os.environ.get("OMG_FUZZ_EXAMPLES", "10000" if NIGHTLY else "25"))

#: CPU seconds one call may take in the nightly run (issue 20: <= 1 s per input under 1 MB).
CPU_BOUND_S = 1.0

FUZZ = settings(
    max_examples=EXAMPLES,
    deadline=None,  # wall time is noise on a shared machine: see cpu_bounded()
    suppress_health_check=[
        HealthCheck.too_slow,
        HealthCheck.filter_too_much,
        HealthCheck.data_too_large,
        HealthCheck.function_scoped_fixture,
    ],
    derandomize=not NIGHTLY,  # the normal suite is reproducible; nightly explores
)


_WARM: set[str] = set()
#: CPU seconds spent in the garbage collector so far, and when the running collection began.
_GC = [0.0, 0.0]


def _gc_clock(phase: str, _info: dict[str, int]) -> None:
    if phase == "start":
        _GC[1] = time.process_time()
    else:
        _GC[0] += time.process_time() - _GC[1]


gc.callbacks.append(_gc_clock)


@contextlib.contextmanager
def cpu_bounded(what: str) -> Iterator[None]:
    """In the nightly run, fail if the block takes more than :data:`CPU_BOUND_S` of CPU time.

    The first call of each ``what`` is not held to it: it pays one-time imports and caches
    (jsonschema, the rule packs, spaCy's absence check), not work on its input. Time in the
    garbage collector is not counted either: a full collection walks the whole heap of the
    test process (Hypothesis' own state included), not the input's objects.
    ``benchmarks/bench_hostile.py`` measures each input alone, collections included.
    """
    start, collected = time.process_time(), _GC[0]
    yield
    spent = time.process_time() - start - (_GC[0] - collected)
    first = what not in _WARM
    _WARM.add(what)
    if NIGHTLY and spent > CPU_BOUND_S and not first:
        raise AssertionError(f"{what} took {spent:.2f} s of CPU time (bound: {CPU_BOUND_S} s)")


def typed_only(func: Callable[..., Any], *args: Any, **kwargs: Any) -> Any:
    """Call ``func``; return its result, ``None`` for a typed error; let anything else escape.

    In the nightly run the call is also held to :data:`CPU_BOUND_S` (:func:`cpu_bounded`).
    """
    with warnings.catch_warnings(), cpu_bounded(getattr(func, "__name__", repr(func))):
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
