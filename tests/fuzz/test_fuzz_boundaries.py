"""Public boundaries check types before any caching or dispatch: a value of the wrong type is
a typed error, never ``TypeError``/``AttributeError`` from inside (issue 20)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest

import openmodel_gov as omg

from ._fuzz import typed_only

BAD: list[Any] = [None, 3, 1.5, ["MIT"], {"a": 1}, b"x", object()]

#: name -> how to call it with one bad value.
CALLS: dict[str, Callable[[Any], Any]] = {
    "load_card": omg.load_card,
    "normalize_license": omg.normalize_license,
    "classify_license": omg.classify_license,
    "check_dataset_mix": lambda v: omg.check_dataset_mix(v, use="research-training"),
    "score_openness": omg.score_openness,
    "classify_mof": omg.classify_mof,
    "osaid_readiness": omg.osaid_readiness,
    "improvement_plan": omg.improvement_plan,
    "validate_card_file": omg.validate_card_file,
    "build_compliance_matrix": omg.build_compliance_matrix,
    "check_derivative": lambda v: omg.check_derivative(v, "MIT"),
    "check_outbound": lambda v: omg.check_outbound(v, "MIT"),
    "compare_openness": omg.compare_openness,
    "diff_manifests": lambda v: omg.diff_manifests(v, v),
    "load_manifest": omg.load_manifest,
}


@pytest.mark.parametrize("name", sorted(CALLS))
def test_bad_types_are_typed_errors(name: str) -> None:
    for value in BAD:
        typed_only(CALLS[name], value)
