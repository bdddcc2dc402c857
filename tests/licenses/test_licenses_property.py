"""Hypothesis: parsers and checks take any input and fail only with typed errors."""

from __future__ import annotations

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from openmodel_gov.errors import LicenseExpressionError, UnknownLicenseError
from openmodel_gov.licenses import (
    UseFacts,
    check_dataset_mix,
    check_derivative,
    check_outbound,
    check_use,
    classify_license,
    normalize_license,
    outputs_of,
)

SETTINGS = settings(max_examples=100, deadline=None, suppress_health_check=[HealthCheck.too_slow])

IDS = [
    "MIT",
    "Apache-2.0",
    "GPL-2.0-or-later",
    "GPL-3.0-only",
    "LGPL-2.1+",
    "CC-BY-4.0",
    "CC-BY-SA-4.0",
    "CC-BY-NC-4.0",
    "CC-BY-ND-4.0",
    "ODbL-1.0",
    "C-UDA-1.0",
    "CDLA-Sharing-1.0",
    "OpenMDW-1.0",
    "EPL-2.0",
    "LicenseRef-custom",
    "LicenseRef-scancode-bsl-1.0",
    "hf:llama2",
    "hf:llama3",
    "hf:llama3.1",
    "hf:llama3.2",
    "hf:llama4",
    "hf:gemma",
    "hf:openrail++",
    "hf:creativeml-openrail-m",
    "hf:gpl",
    "hf:cc",
    "hf:other",
    "LicenseRef-openmodel-stability-community",
    "LicenseRef-openmodel-flux-1-dev",
    "LicenseRef-openmodel-tongyi-qianwen",
    "GPL-2.0-only WITH Classpath-exception-2.0",
]
VERDICTS = {"compatible", "incompatible", "needs_review"}
CATEGORIES = {"permissive", "copyleft", "non-commercial", "restricted", "unknown"}


def expressions(max_leaves: int = 12) -> st.SearchStrategy[str]:
    leaf = st.sampled_from(IDS)

    def combine(children: st.SearchStrategy[str]) -> st.SearchStrategy[str]:
        return st.tuples(
            children, st.sampled_from([" AND ", " OR ", " and ", " or "]), children
        ).map(lambda t: f"({t[0]}{t[1]}{t[2]})")

    return st.recursive(leaf, combine, max_leaves=max_leaves)


LOOKALIKES = {
    "A": "А",
    "B": "В",
    "C": "С",
    "M": "М",
    "I": "І",
    "T": "Т",
    "O": "О",
    "-": "‐",
    " ": "\u00a0",
}


@SETTINGS
@given(st.text(max_size=300))
def test_normalize_garbage_only_typed_errors(text: str) -> None:
    try:
        out = normalize_license(text)
    except LicenseExpressionError:
        return
    assert normalize_license(out) == out
    assert classify_license(text).expression == out


@SETTINGS
@given(st.text(max_size=200) | st.binary(max_size=50).map(lambda b: b.decode("latin-1")))
def test_classify_garbage_only_typed_errors(text: str) -> None:
    try:
        found = classify_license(text)
    except LicenseExpressionError:
        return
    assert found.category in CATEGORIES


@SETTINGS
@given(st.text(alphabet="()ANDORWITH+-.: \tabcmitMIThf", max_size=120))
def test_normalize_operator_soup(text: str) -> None:
    try:
        out = normalize_license(text)
    except LicenseExpressionError:
        return
    assert isinstance(out, str)


@SETTINGS
@given(expressions())
def test_valid_expressions_round_trip(expr: str) -> None:
    canonical = normalize_license(expr)
    assert normalize_license(canonical) == canonical
    assert "hf:" not in canonical
    found = classify_license(expr)
    assert found.category in CATEGORIES
    assert found.expression == canonical


@SETTINGS
@given(expressions(), st.data())
def test_lookalikes_are_refused(expr: str, data: st.DataObject) -> None:
    positions = [i for i, ch in enumerate(expr) if ch in LOOKALIKES]
    if not positions:
        return
    i = data.draw(st.sampled_from(positions))
    spoofed = expr[:i] + LOOKALIKES[expr[i]] + expr[i + 1 :]
    with pytest.raises(LicenseExpressionError, match=r"U\+"):
        normalize_license(spoofed)


@SETTINGS
@given(st.integers(min_value=1, max_value=200))
def test_deep_nesting(depth: int) -> None:
    text = "(" * depth + "MIT" + ")" * depth
    if depth > 32:
        with pytest.raises(LicenseExpressionError, match="deeper"):
            normalize_license(text)
    else:
        assert normalize_license(text) == "MIT"


@SETTINGS
@given(st.integers(min_value=1, max_value=1200), st.sampled_from([" AND ", " OR "]))
def test_huge_expressions(count: int, op: str) -> None:
    text = op.join(f"LicenseRef-x{i}" for i in range(count))
    if count > 500 or len(text) > 10_000:
        with pytest.raises(LicenseExpressionError, match=r"bound|more than"):
            normalize_license(text)
    else:
        assert normalize_license(text).count("LicenseRef-x") == count


@SETTINGS
@given(st.from_regex(r"[A-Za-z][A-Za-z0-9.\-]{0,20}", fullmatch=True))
def test_unknown_ids_are_listed(word: str) -> None:
    outcome: str | LicenseExpressionError
    try:
        outcome = normalize_license(word)
    except LicenseExpressionError as exc:
        outcome = exc
    if isinstance(outcome, UnknownLicenseError):
        assert outcome.unknown == (word,)
    elif isinstance(outcome, LicenseExpressionError):
        assert word.upper() in ("AND", "OR", "WITH")
    else:
        assert outcome.lower() == word.lower() or outcome.endswith(("-only", "-or-later"))


facts_strategy = st.builds(
    UseFacts,
    commercial=st.none() | st.booleans(),
    monthly_active_users=st.none() | st.integers(min_value=0, max_value=10**10),
    annual_revenue_usd=st.none() | st.integers(min_value=0, max_value=10**10),
    licensee_in_eu=st.none() | st.booleans(),
    end_user_only=st.none() | st.booleans(),
    hosted_service=st.none() | st.booleans(),
    multimodal=st.none() | st.booleans(),
    derivative_name=st.none() | st.sampled_from(["Llama-X", "Llama 3 X", "Other"]),
    attribution_displayed=st.none() | st.booleans(),
    passes_use_restrictions=st.none() | st.booleans(),
    outputs_train_other_models=st.none() | st.booleans(),
    distilled=st.none() | st.booleans(),
)


@SETTINGS
@given(expressions(6), expressions(6), facts_strategy)
def test_checks_always_answer(a: str, b: str, facts: UseFacts) -> None:
    for verdict in (
        check_outbound(a, b, facts=facts),
        check_derivative(a, b, facts=facts),
        check_use(a, facts=facts),
    ):
        assert verdict.verdict in VERDICTS
        assert verdict.reasons
        assert all(r.citation.source for r in verdict.reasons)
        str(verdict)
        verdict._repr_html_()


@SETTINGS
@given(
    st.lists(expressions(4) | expressions(3).map(outputs_of), min_size=1, max_size=4),
    st.sampled_from(
        ["commercial-training", "research-training", "publish-dataset", "distribute-model"]
    ),
    expressions(3),
    facts_strategy,
)
def test_dataset_mix_always_answers(
    items: list[str], use: str, outbound: str, facts: UseFacts
) -> None:
    verdict = check_dataset_mix(items, use=use, outbound=outbound, facts=facts)  # type: ignore[arg-type]
    assert verdict.verdict in VERDICTS
    assert verdict.reasons


def test_and_is_monotone_example() -> None:
    """Adding an AND operand never makes a verdict better."""
    rank = {"compatible": 0, "needs_review": 1, "incompatible": 2}
    for extra in IDS:
        alone = check_outbound("MIT", "Apache-2.0").verdict
        both = check_outbound(f"MIT AND ({extra})", "Apache-2.0").verdict
        assert rank[both] >= rank[alone]
