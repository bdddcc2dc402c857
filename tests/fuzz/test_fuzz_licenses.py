"""Fuzz targets for the license parser and verdicts: only typed errors escape."""

from __future__ import annotations

from typing import Any

import pytest
from hypothesis import example, given
from hypothesis import strategies as st

from openmodel_gov.errors import LicenseExpressionError
from openmodel_gov.licenses import (
    check_dataset_mix,
    check_derivative,
    check_outbound,
    classify_license,
    normalize_license,
)

from ._fuzz import FUZZ, typed_only

_WORDS = [
    "MIT", "mit", "Apache-2.0", "GPL-2.0+", "GPL-3.0-or-later", "hf:llama2", "hf:", "llama2",
    "CC-BY-NC-4.0", "LicenseRef-x", "LicenseRef-", "WITH", "Classpath-exception-2.0", "AND",
    "OR", "and", "or", "(", ")", "+", "outputs:MIT", " ", "\u0410pache-2.0", "\x00", "\ud800",
]  # fmt: skip

expressions = st.one_of(
    st.text(max_size=60),
    st.lists(st.sampled_from(_WORDS), max_size=30).map(" ".join),
    st.lists(st.sampled_from(_WORDS), max_size=30).map("".join),
    st.integers(min_value=1, max_value=600).map(lambda n: "(" * n + "MIT" + ")" * n),
)

not_strings: st.SearchStrategy[Any] = st.one_of(
    st.none(), st.integers(), st.lists(st.text(max_size=5), max_size=2), st.binary(max_size=5),
    st.dictionaries(st.text(max_size=3), st.integers(), max_size=2),
)  # fmt: skip


@pytest.mark.parametrize("value", [["MIT"], {"MIT": 1}, {"MIT"}, b"MIT", None, 3])
def test_issue_20_non_strings_are_typed_before_the_cache(value: Any) -> None:
    with pytest.raises(LicenseExpressionError, match="expected a license expression string"):
        normalize_license(value)
    with pytest.raises(LicenseExpressionError):
        classify_license(value)


@FUZZ
@given(st.one_of(expressions, not_strings))
@example("(((")
@example(["MIT"])
def test_fuzz_normalize_and_classify(text: Any) -> None:
    typed_only(normalize_license, text)
    typed_only(classify_license, text)


@FUZZ
@given(expressions, expressions, st.sampled_from(["commercial-training", "research", "x"]))
def test_fuzz_verdicts(base: str, other: str, use: str) -> None:
    typed_only(check_derivative, base, other)
    typed_only(check_outbound, base, other)
    typed_only(check_dataset_mix, [base, other], use=use)
