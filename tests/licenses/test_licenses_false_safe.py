"""Zero false "compatible" by construction (#18.1).

For every license in our facts, every verdict kind (use, hosted service, derivative, outbound,
dataset mix, outputs) and generated facts, an oracle written here -- independently of the
engine, one rule per clause kind, read from the license texts' clause facts -- lists the
clauses that forbid the act. The engine may say ``incompatible`` or ``needs_review`` then, but
never ``compatible``.
"""

from __future__ import annotations

from collections.abc import Iterator

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from openmodel_gov.licenses import (
    UseFacts,
    check_dataset_mix,
    check_derivative,
    check_outbound,
    check_use,
    outputs_of,
)
from openmodel_gov.licenses._data import Clause, LicenseFacts, license_facts
from openmodel_gov.licenses._names import starts_with_name

ENTRIES: list[LicenseFacts] = list(license_facts().licenses)
IDS: list[str] = [lid for e in ENTRIES for lid in (e.id, *e.also)]
BY_ID = {lid: e for e in ENTRIES for lid in (e.id, *e.also)}
OUTBOUNDS = ["Apache-2.0", "MIT", "CC-BY-SA-4.0", "CC-BY-NC-4.0", "GPL-3.0-only", "CC0-1.0"]
SETTINGS = settings(max_examples=400, deadline=None, suppress_health_check=[HealthCheck.too_slow])

tri = st.one_of(st.none(), st.booleans())
facts_strategy = st.builds(
    UseFacts,
    commercial=tri,
    monthly_active_users=st.one_of(st.none(), st.sampled_from([10, 200_000_000, 10**9])),
    annual_revenue_usd=st.one_of(st.none(), st.sampled_from([10, 5_000_000])),
    licensee_in_eu=tri,
    end_user_only=tri,
    hosted_service=tri,
    multimodal=tri,
    derivative_name=st.one_of(
        st.none(), st.sampled_from(["Llama-3-Acme-8B", "llama_3.1_x", "Acme-8B", "Gemma-X"])
    ),
    attribution_displayed=tri,
    passes_use_restrictions=tri,
    outputs_train_other_models=tri,
    distilled=tri,
)


def _exempt(clause: Clause, f: UseFacts) -> bool:
    return bool(
        (clause.commercial_only and f.commercial is False)
        or (clause.end_user_exemption and f.end_user_only)
    )


def use_forbids(e: LicenseFacts, f: UseFacts, *, distributing: bool = False) -> Iterator[str]:
    """Clauses of ``e`` that forbid a use described by ``f`` (one rule per clause kind)."""
    if e.derivatives == "review":
        yield "not identified"
    making_available = bool(f.hosted_service or f.commercial or distributing)
    outputs_used = bool(f.outputs_train_other_models) or (
        distributing and f.outputs_train_other_models is None and bool(f.distilled)
    )
    for c in e.clauses:
        if _exempt(c, f):
            continue
        k = c.kind
        if k == "non-commercial" and f.commercial is True:
            yield k
        elif k == "mau-cap" and f.monthly_active_users is not None:
            if f.monthly_active_users > int(str(c.value)):
                yield k
        elif k == "revenue-cap" and f.annual_revenue_usd is not None:
            if f.annual_revenue_usd > int(str(c.value)):
                yield k
        elif (k == "no-outputs-to-improve-other-models" and outputs_used) or (
            k == "competing-model-outputs" and f.outputs_train_other_models
        ):
            yield k
        elif k == "eu-multimodal-exclusion" and f.multimodal and f.licensee_in_eu:
            if not f.end_user_only:
                yield k
        elif (
            k == "attribution-display" and making_available and f.attribution_displayed is False
        ) or (k == "service-terms" and f.hosted_service and f.passes_use_restrictions is False):
            yield k
        elif k == "naming-prefix" and c.covers_outputs and f.outputs_train_other_models:
            name = f.derivative_name
            if name is not None and not starts_with_name(name, str(c.value)):
                yield k
        elif (
            k == "distillation-is-derivative"
            and (f.outputs_train_other_models or f.distilled)
            and f.passes_use_restrictions is False
            and e.clauses_of("pass-on-use-restrictions")
        ):
            yield k


def outbound_forbids(e: LicenseFacts, lid: str, out: str, f: UseFacts) -> Iterator[str]:
    """Clauses that forbid releasing material under ``lid`` under the single license ``out``."""
    if out == lid:
        return
    if e.derivatives == "none":
        yield "no-derivatives"
    if e.derivatives == "listed" and out not in (e.id, *e.also, *e.compatible_outbound):
        yield "listed"
    if e.derivatives == "carry-restrictions" and f.passes_use_restrictions is not True:
        yield "carry-restrictions"
    if e.derivatives == "review":
        yield "review"


def derivative_forbids(e: LicenseFacts, lid: str, out: str, f: UseFacts) -> Iterator[str]:
    """Clauses that forbid releasing a model derived from ``lid`` under ``out``."""
    yield from use_forbids(e, f, distributing=True)
    if e.derivatives == "none":
        yield "no-derivatives"
    out_ids = [part.strip("()") for part in out.split(" AND ")]
    if lid not in out_ids:
        yield from outbound_forbids(e, lid, out, f)
    if e.clauses_of("pass-on-use-restrictions") and f.passes_use_restrictions is False:
        yield "pass-on-use-restrictions"
    for c in e.clauses_of("naming-prefix"):
        if f.derivative_name is not None and not starts_with_name(f.derivative_name, str(c.value)):
            yield "naming-prefix"


def _safe(verdict: str, forbidden: list[str], what: str) -> None:
    assert not (verdict == "compatible" and forbidden), f"false compatible: {what}: {forbidden}"


@SETTINGS
@given(lid=st.sampled_from(IDS), f=facts_strategy)
def test_use_and_hosted_service_never_false_safe(lid: str, f: UseFacts) -> None:
    e = BY_ID[lid]
    _safe(check_use(lid, facts=f).verdict, list(use_forbids(e, f)), f"use {lid} {f!r}")


@SETTINGS
@given(lid=st.sampled_from(IDS), f=facts_strategy, hosted=st.booleans())
def test_hosted_service_terms_bind_users(lid: str, f: UseFacts, hosted: bool) -> None:
    f = f.model_copy(update={"hosted_service": True, "passes_use_restrictions": hosted and None})
    e = BY_ID[lid]
    _safe(check_use(lid, facts=f).verdict, list(use_forbids(e, f)), f"hosted {lid} {f!r}")


@SETTINGS
@given(
    lid=st.sampled_from(IDS),
    out=st.sampled_from([*OUTBOUNDS, "SAME", "APACHE-AND-SAME"]),
    f=facts_strategy,
)
def test_derivative_never_false_safe(lid: str, out: str, f: UseFacts) -> None:
    e = BY_ID[lid]
    target = {"SAME": lid, "APACHE-AND-SAME": f"Apache-2.0 AND {lid}"}.get(out, out)
    forbidden = list(derivative_forbids(e, lid, target, f))
    verdict = check_derivative(lid, target, facts=f).verdict
    _safe(verdict, forbidden, f"derivative {lid} -> {target} {f!r}")


@SETTINGS
@given(lid=st.sampled_from(IDS), out=st.sampled_from(OUTBOUNDS), f=facts_strategy)
def test_outbound_never_false_safe(lid: str, out: str, f: UseFacts) -> None:
    e = BY_ID[lid]
    forbidden = list(outbound_forbids(e, lid, out, f))
    _safe(check_outbound(lid, out, facts=f).verdict, forbidden, f"outbound {lid} -> {out}")


@SETTINGS
@given(lid=st.sampled_from(IDS), f=facts_strategy)
def test_training_mix_never_false_safe(lid: str, f: UseFacts) -> None:
    e = BY_ID[lid]
    commercial = f.model_copy(update={"commercial": True})
    forbidden = ["non-commercial"] if e.clauses_of("non-commercial") else []
    if e.kind == "model":
        forbidden += list(use_forbids(e, commercial))
    if e.derivatives == "review":
        forbidden.append("review")
    verdict = check_dataset_mix([lid], use="commercial-training", facts=f).verdict
    _safe(verdict, forbidden, f"commercial training on {lid}")


@SETTINGS
@given(lid=st.sampled_from(IDS), out=st.sampled_from(OUTBOUNDS), f=facts_strategy)
def test_publish_dataset_never_false_safe(lid: str, out: str, f: UseFacts) -> None:
    e = BY_ID[lid]
    forbidden = list(outbound_forbids(e, lid, out, f))
    verdict = check_dataset_mix([lid], use="publish-dataset", outbound=out, facts=f).verdict
    _safe(verdict, forbidden, f"publish {lid} as {out}")


@SETTINGS
@given(lid=st.sampled_from(IDS), out=st.sampled_from(OUTBOUNDS), f=facts_strategy)
def test_outputs_never_false_safe(lid: str, out: str, f: UseFacts) -> None:
    e = BY_ID[lid]
    train = f.model_copy(update={"outputs_train_other_models": True})
    forbidden: list[str] = [
        c.kind
        for c in e.clauses
        if c.kind in ("no-outputs-to-improve-other-models", "competing-model-outputs")
    ]
    if e.category != "permissive" and (e.derivatives == "review" or e.kind != "model"):
        forbidden.append("outputs terms unknown")
    verdict = check_dataset_mix([outputs_of(lid)], use="commercial-training", facts=train).verdict
    _safe(verdict, forbidden, f"train on outputs of {lid}")
    released = check_dataset_mix(
        [outputs_of(lid)], use="distribute-model", outbound=out, facts=f
    ).verdict
    forbidden = []
    if (
        e.clauses_of("distillation-is-derivative")
        and e.clauses_of("pass-on-use-restrictions")
        and f.passes_use_restrictions is not True
    ):
        forbidden.append("distillation-is-derivative")
    forbidden += [
        "naming-prefix"
        for c in e.clauses_of("naming-prefix")
        if c.covers_outputs
        and f.derivative_name is not None
        and not starts_with_name(f.derivative_name, str(c.value))
    ]
    forbidden += [c.kind for c in e.clauses if c.kind == "no-outputs-to-improve-other-models"]
    _safe(released, forbidden, f"release a model trained on outputs of {lid} as {out}")


def test_every_restricting_clause_kind_has_an_oracle_rule() -> None:
    """A new clause kind must be added to the oracle (or declared harmless) here."""
    covered = {
        "non-commercial", "mau-cap", "revenue-cap", "no-outputs-to-improve-other-models",
        "competing-model-outputs", "eu-multimodal-exclusion", "attribution-display",
        "service-terms", "naming-prefix", "distillation-is-derivative", "no-derivatives",
        "share-alike", "pass-on-use-restrictions", "no-hosting",
    }  # fmt: skip
    duties = {
        "attribution", "license-copy", "notice-file", "state-changes", "naming-restriction",
        "use-restrictions", "registration", "guardrails", "outputs-unrestricted",
        "results-unrestricted", "produced-work-notice", "computational-use-only",
        "source-code", "network-source", "family-tag", "no-facts",
    }  # fmt: skip
    kinds = {c.kind for e in ENTRIES for c in e.clauses}
    assert kinds <= covered | duties, kinds - covered - duties


def test_the_two_known_false_safes_are_gone() -> None:
    """The held-back sets' two false "compatible" answers, and their class."""
    for hf in (
        "bigscience-openrail-m",
        "creativeml-openrail-m",
        "openrail++",
        "bigcode-openrail-m",
    ):
        hosted = {"hosted_service": True, "passes_use_restrictions": False, "commercial": True}
        assert check_use(f"hf:{hf}", facts=hosted).verdict == "incompatible"
    for nd in ("CC-BY-ND-4.0", "CC-BY-NC-ND-4.0", "CC-BY-NC-ND-3.0"):
        assert check_derivative(nd, nd).verdict == "incompatible"
