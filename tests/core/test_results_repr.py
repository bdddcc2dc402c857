"""``repr()`` of every result type built on ``Frozen`` is concise (issue 19)."""

from __future__ import annotations

import importlib

from hypothesis import given
from hypothesis import strategies as st

from openmodel_gov._core import Citation, Evidence, Finding, Frozen

PUBLIC = ["cards", "licenses", "openness", "manifests", "signing", "pii", "compliance", "audit"]


def test_repr_shows_type_scalars_and_counts() -> None:
    finding = Finding(
        rule_id="card.no-license",
        title="no license stated",
        severity="High",
        reasons=tuple(f"reason {i}" for i in range(500)),
        evidence=tuple(Evidence(kind="body", snippet="x" * 500) for _ in range(3)),
    )
    text = repr(finding)
    assert text.startswith("Finding(rule_id='card.no-license', title='no license stated'")
    assert "reasons=<500 items>" in text
    assert "evidence=<3 items>" in text
    assert len(text) < 300
    assert str(finding) == "[High] no license stated (card.no-license)"  # __str__ untouched


def test_short_values_read_as_before() -> None:
    assert repr(Citation(source="GDPR", section="Art. 9(1)")) == (
        "Citation(source='GDPR', section='Art. 9(1)', url=None, note=None)"
    )


@given(st.text(min_size=1, max_size=5000), st.lists(st.text(min_size=1, max_size=50), max_size=200))
def test_repr_is_bounded(title: str, reasons: list[str]) -> None:
    finding = Finding(rule_id="r", title=title, severity="Low", reasons=tuple(reasons))
    assert len(repr(finding)) <= 400


def test_every_frozen_subclass_inherits_the_concise_repr() -> None:
    for name in PUBLIC:
        importlib.import_module(f"openmodel_gov.{name}")
    seen: list[type[Frozen]] = []
    todo: list[type[Frozen]] = [Frozen]
    while todo:
        cls = todo.pop()
        for sub in cls.__subclasses__():
            seen.append(sub)
            todo.append(sub)
    custom = [c.__qualname__ for c in seen if "__repr__" in vars(c)]
    assert not custom, f"Frozen subclasses with their own __repr__: {custom}"


def test_nested_results_and_other_values_are_cut() -> None:
    class Inner(Frozen):
        blob: bytes
        finding: Finding

    finding = Finding(rule_id="r" * 300, title="t", severity="Low")
    inner = Inner(blob=b"x" * 1000, finding=finding)
    text = repr(inner)
    assert text.startswith("Inner(blob=b'xxx")
    assert "finding=Finding(rule_id='rrr" in text
    assert len(text) < 300
    long = Finding(
        rule_id="r" * 60, title="t" * 60, severity="Low", mitigations=("m" * 50,),
        unknown_facts=("u" * 50,),
    )  # fmt: skip
    assert repr(long).endswith(", ...)")
    assert len(repr(long)) <= 250
