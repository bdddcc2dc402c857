"""Hypothesis properties: scores stay in range; adding an open component never lowers a score."""

from __future__ import annotations

from typing import Any

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from openmodel_gov.cards import (
    COMPONENT_NAMES,
    AccessGating,
    Component,
    EcosystemSignals,
    ModelCard,
    component_specs,
)
from openmodel_gov.openness import DIMENSIONS as DIMENSIONS_
from openmodel_gov.openness import classify_mof, default_policy, score_openness

LICENSES = [
    "Apache-2.0",
    "MIT",
    "CC-BY-4.0",
    "CC0-1.0",
    "CC-BY-SA-4.0",
    "GPL-3.0-only",
    "hf:llama2",
    "hf:gemma",
    "CC-BY-NC-4.0",
    "Apache 2.0",
    "LicenseRef-x",
    "unlicensed",
    "hf:apache-2.0",
]
BODIES = [
    "",
    "## Training Data\nWeb text.\n",
    "[Training Code](https://github.com/o/train) [Data Preparation](https://github.com/o/prep)",
    "[paper](https://arxiv.org/abs/1234.5678) [Metrics](https://github.com/o/eval)",
]
OPEN_BY_TYPE = {"code": "Apache-2.0", "data": "CDLA-Permissive-2.0", "document": "CC-BY-4.0"}

licenses = st.sampled_from(LICENSES)
maybe_license = st.none() | licenses
component = st.builds(
    Component,
    included=st.sampled_from([True, True, False, None]),
    license=maybe_license,
    location=st.none() | st.just("https://example.org/c"),
)


@st.composite
def cards(draw: st.DrawFn) -> ModelCard:
    comps = draw(st.dictionaries(st.sampled_from(COMPONENT_NAMES), component, max_size=17))
    globals_ = {k: draw(maybe_license) for k in ("distribution", "code", "data", "document")}
    fields: dict[str, Any] = {
        "name": "generated",
        "license": draw(maybe_license),
        "licenses": {k: v for k, v in globals_.items() if v and v != "unlicensed"},
        "components": comps,
        "gating": AccessGating(gated=draw(st.booleans())),
        "datasets": draw(st.lists(st.sampled_from(["c4", "the-pile", "dolma"]), max_size=2)),
        "weights_url": draw(st.none() | st.just("https://example.org/w")),
        "repository": draw(st.none() | st.just("https://github.com/o/r")),
        "body": draw(st.sampled_from(BODIES)),
        "ecosystem": EcosystemSignals(
            library_name=draw(st.none() | st.just("transformers")),
            evaluation_harnesses=draw(st.lists(st.just("lm-eval"), max_size=1)),
            community_channels=draw(st.lists(st.just("https://discord.gg/x"), max_size=1)),
        ),
    }
    return ModelCard(**fields)


def with_open(card: ModelCard, name: str, license_: str) -> ModelCard:
    comps = dict(card.components)
    comps[name] = Component(included=True, license=license_)  # type: ignore[index]
    return card.model_copy(update={"components": comps})


SETTINGS = settings(max_examples=80, deadline=None, suppress_health_check=[HealthCheck.too_slow])


@SETTINGS
@given(cards())
def test_scores_stay_in_range(card: ModelCard) -> None:
    s = score_openness(card)
    assert 0 <= s.total <= 10
    assert s.total == sum(d.score for d in s.dimensions.values())
    assert all(0 <= d.score <= 2 and 0 <= d.derived <= 2 for d in s.dimensions.values())
    band = default_policy().band_for(s.total)
    assert (s.band, s.rag) == (band.name, band.rag)
    for mode in ("strict", "normalized"):
        m = classify_mof(card, mode=mode)
        assert all(0.0 <= p <= 100.0 for p in m.progress.values())
        assert 0.0 <= m.overall_progress <= 100.0
        if m.mof_class is not None:
            assert m.progress[m.mof_class] == 100.0
            assert all(m.progress[c] == 100.0 for c in (3, 2, 1) if c >= m.mof_class)


@SETTINGS
@given(cards(), st.sampled_from(COMPONENT_NAMES), st.booleans())
def test_adding_an_open_component_never_lowers_a_score(
    card: ModelCard, name: str, apache: bool
) -> None:
    license_ = "Apache-2.0" if apache else OPEN_BY_TYPE[component_specs()[name].content_type]
    better = with_open(card, name, license_)
    before, after = score_openness(card), score_openness(better)
    assert after.total >= before.total
    for dim, d in before.dimensions.items():
        assert after.dimensions[dim].derived >= d.derived, dim
    for mode in ("strict", "normalized"):
        m0 = classify_mof(card, mode=mode)
        m1 = classify_mof(better, mode=mode)
        for cls in (3, 2, 1):
            assert m1.progress[cls] >= m0.progress[cls] - 1e-9, (mode, cls)
        assert (m1.mof_class or 4) <= (m0.mof_class or 4)


@SETTINGS
@given(
    st.dictionaries(
        st.sampled_from([*DIMENSIONS_, "nope", ""]),
        st.one_of(st.integers(-3, 5), st.booleans(), st.text(max_size=2), st.none()),
        max_size=6,
    )
)
def test_any_declaration_is_either_used_or_refused_with_a_config_error(
    declared: dict[str, object],
) -> None:
    import pytest

    from openmodel_gov.errors import ConfigError

    card = ModelCard(name="d")
    valid = all(
        key in DIMENSIONS_ and type(value) is int and 0 <= value <= 2
        for key, value in declared.items()
    )
    if not valid:
        with pytest.raises(ConfigError) as err:
            score_openness(card, declared=declared)  # type: ignore[arg-type]
        assert err.value.hint
        return
    s = score_openness(card, declared=declared)  # type: ignore[arg-type]
    for name, value in declared.items():
        assert s.dimensions[name].score == value  # type: ignore[index]
        assert s.dimensions[name].source == "declared"  # type: ignore[index]
