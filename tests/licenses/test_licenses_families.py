"""Each license family of issue 4, with the clause (and section) its verdict cites."""

from __future__ import annotations

import pytest

from openmodel_gov.licenses import (
    Verdict,
    check_dataset_mix,
    check_derivative,
    check_use,
    classify_license,
    outputs_of,
)


def cites(verdict: Verdict, section: str, *, kind: str | None = None) -> bool:
    """True if a reason (of ``kind``, if given) cites ``section``."""
    return any(
        r.citation.section == section and (kind is None or r.verdict == kind)
        for r in verdict.reasons
    )


def obligation(verdict: Verdict, kind: str) -> list[str | None]:
    return [o.value for o in verdict.obligations if o.kind == kind]


# --------------------------------------------------------------------------- Llama 2


class TestLlama2:
    LIC = "hf:llama2"

    def test_outputs_may_not_improve_other_llms(self) -> None:
        v = check_use(self.LIC, facts={"outputs_train_other_models": True})
        assert v.verdict == "incompatible"
        assert cites(v, "1.b.v", kind="incompatible")
        mix = check_dataset_mix([outputs_of(self.LIC)], use="research-training")
        assert mix.verdict == "incompatible"
        assert "excluding Llama 2" in mix.reasons[0].message

    def test_700m_mau(self) -> None:
        facts = {"outputs_train_other_models": False, "monthly_active_users": 700_000_001}
        v = check_use(self.LIC, facts=facts)
        assert v.verdict == "incompatible"
        assert cites(v, "2")
        ok = check_use(self.LIC, facts={**facts, "monthly_active_users": 10})
        assert ok.verdict == "compatible"

    def test_end_users_of_an_integrated_product_are_exempt_from_the_cap(self) -> None:
        facts = {
            "outputs_train_other_models": False,
            "monthly_active_users": 10**9,
            "end_user_only": True,
        }
        v = check_use(self.LIC, facts=facts)
        assert v.verdict == "compatible"
        assert cites(v, "1.b.ii")

    def test_unknown_mau_is_a_condition(self) -> None:
        v = check_use(self.LIC, facts={"outputs_train_other_models": False})
        assert v.verdict == "compatible"
        assert any("700,000,000" in c for c in v.conditions)

    def test_unknown_outputs_fact_is_a_stated_condition(self) -> None:
        # the text decides (#18.2): allowed, on the condition the licensee itself controls
        v = check_use(self.LIC, facts={})
        assert v.verdict == "compatible"
        assert any("1.b.v" in c and "must not train" in c for c in v.conditions)
        assert check_use(self.LIC, facts={"outputs_train_other_models": True}).verdict == (
            "incompatible"
        )

    def test_derivative_carries_copy_notice_aup(self) -> None:
        v = check_derivative(self.LIC, self.LIC, facts={"distilled": False})
        assert v.verdict == "compatible"
        kinds = {o.kind for o in v.obligations}
        assert {
            "license-copy",
            "notice-file",
            "use-restrictions",
            "pass-on-use-restrictions",
        } <= kinds
        assert obligation(v, "notice-file")[0] is not None
        assert "LLAMA 2 Community License" in str(obligation(v, "notice-file")[0])

    def test_distilled_derivative_is_incompatible(self) -> None:
        v = check_derivative(self.LIC, self.LIC, facts={"distilled": True})
        assert v.verdict == "incompatible"
        assert cites(v, "1.b.v")


# --------------------------------------------------------------------------- Llama 3 family


class TestMetaLlama3:
    LIC = "hf:llama3"

    def test_built_with_meta_llama_3(self) -> None:
        v = check_use(self.LIC, facts={"hosted_service": True, "outputs_train_other_models": False})
        assert obligation(v, "attribution-display") == ["Built with Meta Llama 3"]
        bad = check_use(
            self.LIC,
            facts={
                "hosted_service": True,
                "attribution_displayed": False,
                "outputs_train_other_models": False,
            },
        )
        assert bad.verdict == "incompatible"
        assert cites(bad, "1.b.i(B)")

    def test_names_begin_llama_3(self) -> None:
        v = check_derivative(
            self.LIC, self.LIC, facts={"derivative_name": "Llama-Med", "distilled": False}
        )
        assert v.verdict == "incompatible"
        assert "does not begin with the prefix" in v.reasons[0].message
        assert "'llama med'" in v.reasons[0].message  # says what it compared
        for name in ("Llama 3 Med", "Llama-3-Med-8B", "llama_3_med", "LLAMA-3 Med"):
            ok = check_derivative(
                self.LIC, self.LIC, facts={"derivative_name": name, "distilled": False}
            )
            assert ok.verdict == "compatible", name

    def test_700m_and_outputs_clause(self) -> None:
        assert (
            check_use(self.LIC, facts={"outputs_train_other_models": True}).verdict
            == "incompatible"
        )
        v = check_use(
            self.LIC,
            facts={"monthly_active_users": 800_000_000, "outputs_train_other_models": False},
        )
        assert v.verdict == "incompatible"


@pytest.mark.parametrize("hf_id", ["llama3.1", "llama3.2", "llama3.3", "llama4"])
class TestLlama31Onwards:
    def test_built_with_llama(self, hf_id: str) -> None:
        v = check_derivative(f"hf:{hf_id}", f"hf:{hf_id}")
        assert obligation(v, "attribution-display") == ["Built with Llama"]
        assert obligation(v, "naming-prefix") == ["Llama"]

    def test_outputs_clause_removed(self, hf_id: str) -> None:
        mix = check_dataset_mix([outputs_of(f"hf:{hf_id}")], use="commercial-training")
        assert mix.verdict == "compatible"
        assert cites(mix, "1.b.i")

    def test_model_trained_on_outputs_must_be_named_llama(self, hf_id: str) -> None:
        bad = check_dataset_mix(
            [outputs_of(f"hf:{hf_id}")],
            use="distribute-model",
            outbound="Apache-2.0",
            facts={"derivative_name": "Falcon-Distilled"},
        )
        assert bad.verdict == "incompatible"
        good = check_dataset_mix(
            [outputs_of(f"hf:{hf_id}")],
            use="distribute-model",
            outbound="Apache-2.0",
            facts={"derivative_name": "Llama-Distilled"},
        )
        assert good.verdict == "compatible"
        unknown = check_dataset_mix(
            [outputs_of(f"hf:{hf_id}")], use="distribute-model", outbound="Apache-2.0"
        )
        assert unknown.verdict == "compatible"
        assert obligation(unknown, "naming-prefix") == ["Llama"]

    def test_mau_cap(self, hf_id: str) -> None:
        v = check_use(f"hf:{hf_id}", facts={"monthly_active_users": 10**9, "multimodal": False})
        assert v.verdict == "incompatible"
        assert cites(v, "2")


@pytest.mark.parametrize(
    ("hf_id", "in_eu", "multimodal", "end_user", "verdict"),
    [
        ("llama3.2", True, True, None, "incompatible"),
        ("llama3.2", True, True, True, "compatible"),  # end users are exempt
        ("llama3.2", False, True, None, "compatible"),
        ("llama3.2", True, False, None, "compatible"),
        ("llama3.2", None, True, None, "compatible"),  # domicile unknown: a stated condition
        ("llama4", True, True, None, "incompatible"),
        ("llama3.1", True, True, None, "compatible"),  # no such clause in 3.1
        ("llama3.3", True, True, None, "compatible"),
    ],
)
def test_llama_eu_multimodal(
    hf_id: str, in_eu: bool | None, multimodal: bool, end_user: bool | None, verdict: str
) -> None:
    v = check_use(
        f"hf:{hf_id}",
        facts={"licensee_in_eu": in_eu, "multimodal": multimodal, "end_user_only": end_user},
    )
    assert v.verdict == verdict
    if in_eu is None:
        assert any("EU" in c and "Acceptable Use Policy" in c for c in v.conditions)
    elif verdict != "compatible" or hf_id in ("llama3.2", "llama4"):
        assert any("Acceptable Use Policy" in (r.citation.section or "") for r in v.reasons)


# --------------------------------------------------------------------------- Gemma


class TestGemma:
    LIC = "hf:gemma"

    def test_distillation_is_a_derivative(self) -> None:
        v = check_dataset_mix(
            [outputs_of(self.LIC)], use="distribute-model", outbound="MIT", facts={}
        )
        # the text decides: a distilled model is a Model Derivative whose terms must carry
        # the Gemma restrictions, and "MIT" alone does not
        assert v.verdict == "incompatible"
        assert cites(v, "1.1(e)") or cites(v, "3.1")
        ok = check_dataset_mix(
            [outputs_of(self.LIC)],
            use="distribute-model",
            outbound="MIT",
            facts={"passes_use_restrictions": True},
        )
        assert ok.verdict == "compatible"
        assert cites(ok, "1.1(e)")

    def test_pass_on_use_restrictions_and_notice(self) -> None:
        bad = check_derivative(self.LIC, "Apache-2.0", facts={"passes_use_restrictions": False})
        assert bad.verdict == "incompatible"
        assert cites(bad, "3.1")
        ok = check_derivative(self.LIC, "Apache-2.0", facts={"passes_use_restrictions": True})
        assert ok.verdict == "compatible"
        assert obligation(ok, "notice-file") == [
            "Gemma is provided under and subject to the Gemma Terms of Use found at "
            "ai.google.dev/gemma/terms"
        ]
        assert "pass-on-use-restrictions" in {o.kind for o in ok.obligations}

    def test_distilled_model_flagged(self) -> None:
        v = check_derivative(self.LIC, self.LIC, facts={"distilled": True})
        assert v.verdict == "compatible"
        assert cites(v, "1.1(e)")

    def test_outputs_free_for_training(self) -> None:
        v = check_dataset_mix([outputs_of(self.LIC)], use="commercial-training")
        assert v.verdict == "compatible"
        assert cites(v, "3.3")


# --------------------------------------------------------------------------- OpenRAIL family


@pytest.mark.parametrize(
    "hf_id",
    [
        "bigscience-openrail-m",
        "creativeml-openrail-m",
        "bigcode-openrail-m",
        "openrail++",
        "bigscience-bloom-rail-1.0",
    ],
)
def test_openrail_restrictions_pass_on(hf_id: str) -> None:
    lic = f"hf:{hf_id}"
    assert classify_license(lic).category == "restricted"
    unknown = check_derivative(lic, "Apache-2.0")
    assert unknown.verdict == "incompatible"  # Apache-2.0 alone does not carry the restrictions
    assert cites(unknown, "Section III, paragraph 4(a)")
    assert "enforceable provision" in unknown.reasons[0].message
    carried = check_derivative(lic, f"Apache-2.0 AND {lic}")
    assert carried.verdict == "compatible"
    bad = check_derivative(lic, "Apache-2.0", facts={"passes_use_restrictions": False})
    assert bad.verdict == "incompatible"
    good = check_derivative(lic, "Apache-2.0", facts={"passes_use_restrictions": True})
    assert good.verdict == "compatible"
    assert "use-restrictions" in {o.kind for o in good.obligations}


def test_openrail_family_tag_is_needs_review() -> None:
    v = check_derivative("hf:openrail", "hf:openrail")
    assert v.verdict == "needs_review"  # the same tag may stand for two different licenses
    v = check_derivative("hf:openrail", "Apache-2.0", facts={"passes_use_restrictions": True})
    assert v.verdict == "needs_review"


# --------------------------------------------------------------------------- other model licenses


def test_qwen_100m_mau_commercial_only() -> None:
    lic = "LicenseRef-openmodel-tongyi-qianwen"
    base = {"outputs_train_other_models": False, "monthly_active_users": 150_000_000}
    v = check_use(lic, facts={**base, "commercial": True})
    assert v.verdict == "incompatible"
    assert cites(v, "4")
    assert check_use(lic, facts={**base, "commercial": False}).verdict == "compatible"
    assert check_use(
        lic, facts={**base, "monthly_active_users": 99_000_000, "commercial": True}
    ).verdict == ("compatible")


def test_deepseek_license() -> None:
    lic = "LicenseRef-openmodel-deepseek"
    assert classify_license(lic).category == "restricted"
    v = check_derivative(lic, "MIT", facts={"passes_use_restrictions": False})
    assert v.verdict == "incompatible"
    assert cites(v, "Section III, paragraph 4(a)")
    assert check_use(lic, facts={"commercial": True}).verdict == "compatible"
    distilled = check_dataset_mix(
        [outputs_of(lic)],
        use="distribute-model",
        outbound="MIT",
        facts={"passes_use_restrictions": False},
    )
    assert distilled.verdict == "incompatible"
    assert any("definition" in (r.citation.section or "") for r in distilled.reasons)


class TestStabilityCommunity:
    LIC = "LicenseRef-openmodel-stability-community"

    def test_revenue_cap(self) -> None:
        facts = {"commercial": True, "outputs_train_other_models": False}
        v = check_use(self.LIC, facts={**facts, "annual_revenue_usd": 1_000_001})
        assert v.verdict == "incompatible"
        assert cites(v, "III")
        ok = check_use(self.LIC, facts={**facts, "annual_revenue_usd": 50_000.0})
        assert ok.verdict == "compatible"
        assert "registration" in {o.kind for o in ok.obligations}
        unknown = check_use(self.LIC, facts=facts)
        assert unknown.verdict == "compatible"
        assert any("1,000,000" in c for c in unknown.conditions)
        end_user = check_use(
            self.LIC, facts={**facts, "annual_revenue_usd": 5e9, "end_user_only": True}
        )
        assert end_user.verdict == "compatible"
        assert "registration" not in {o.kind for o in end_user.obligations}
        research = check_use(
            self.LIC,
            facts={
                "commercial": False,
                "annual_revenue_usd": 5e9,
                "outputs_train_other_models": False,
            },
        )
        assert research.verdict == "compatible"

    def test_no_improving_other_foundation_models(self) -> None:
        v = check_dataset_mix([outputs_of(self.LIC)], use="commercial-training")
        assert v.verdict == "incompatible"
        assert cites(v, "IV.b")
        assert "foundational generative AI model" in v.reasons[0].message


def test_flux_dev_non_commercial() -> None:
    lic = "LicenseRef-openmodel-flux-1-dev"
    v = check_use(lic, facts={"commercial": True})
    assert v.verdict == "incompatible"
    assert cites(v, "2(a), 2(b), 4(a)")
    assert check_derivative(lic, "Apache-2.0").verdict == "incompatible"
    # outputs may be used commercially, but not to train a competing model (unsettled fact)
    mix = check_dataset_mix([outputs_of(lic)], use="commercial-training")
    assert mix.verdict == "needs_review"
    assert "competitive" in mix.reasons[0].message
    pub = check_dataset_mix([outputs_of(lic)], use="publish-dataset", outbound="CC-BY-4.0")
    assert pub.verdict == "compatible"


def test_nvidia_open_model_license() -> None:
    lic = "LicenseRef-openmodel-nvidia-open-model"
    v = check_derivative(lic, "Apache-2.0")
    assert v.verdict == "compatible"
    assert obligation(v, "notice-file") == [
        "Licensed by NVIDIA Corporation under the NVIDIA Open Model License"
    ]
    use = check_use(lic, facts={"commercial": True})
    assert {o.kind for o in use.obligations} >= {"guardrails", "use-restrictions"}


def test_apple_ascl_and_openmdw_are_permissive() -> None:
    for lic in ("hf:apple-ascl", "OpenMDW-1.0"):
        assert classify_license(lic).category == "permissive"
        assert check_derivative(lic, "Apache-2.0").verdict == "compatible"
    mix = check_dataset_mix([outputs_of("OpenMDW-1.0")], use="distribute-model", outbound="MIT")
    assert mix.verdict == "compatible"
    assert cites(mix, "Outputs paragraph")


def test_deepfloyd_research_only() -> None:
    v = check_use("hf:deepfloyd-if-license", facts={"commercial": True})
    assert v.verdict == "incompatible"
    mix = check_dataset_mix([outputs_of("hf:deepfloyd-if-license")], use="commercial-training")
    assert mix.verdict == "needs_review"


# --------------------------------------------------------------------------- Creative Commons


def test_cc_by_attribution() -> None:
    v = check_dataset_mix(["CC-BY-4.0"], use="distribute-model", outbound="MIT")
    assert v.verdict == "compatible"
    assert [o.citation.section for o in v.obligations] == ["3(a)(1)"]


def test_cc_by_sa_share_alike() -> None:
    v = check_derivative("CC-BY-SA-4.0", "CC-BY-4.0")
    assert v.verdict == "incompatible"
    assert cites(v, "3(b)(1); 1(c)")
    ok = check_derivative("CC-BY-SA-4.0", "CC-BY-SA-4.0")
    assert "share-alike" in {o.kind for o in ok.obligations}
    # the unsettled question: is a model trained on BY-SA data an adaptation?
    mix = check_dataset_mix(["CC-BY-SA-4.0"], use="distribute-model", outbound="Apache-2.0")
    assert mix.verdict == "needs_review"
    assert mix.reasons[0].code == "unsettled:model-as-adaptation"
    assert "unsettled" in mix.reasons[0].message
    same = check_dataset_mix(["CC-BY-SA-4.0"], use="distribute-model", outbound="CC-BY-SA-4.0")
    assert same.verdict == "compatible"
    assert (
        check_dataset_mix(["CC-BY-SA-3.0"], use="publish-dataset", outbound="CC-BY-SA-4.0").verdict
        == "compatible"
    )


def test_cc_nc() -> None:
    assert check_dataset_mix(["CC-BY-NC-4.0"], use="commercial-training").verdict == "incompatible"
    research = check_dataset_mix(["CC-BY-NC-4.0"], use="research-training")
    assert research.verdict == "compatible"
    assert research.conditions
    model = check_dataset_mix(
        ["CC-BY-NC-2.0"], use="distribute-model", outbound="MIT", facts={"commercial": True}
    )
    assert model.verdict == "needs_review"
    nc_release = check_dataset_mix(
        ["CC-BY-NC-SA-4.0"], use="distribute-model", outbound="MIT", facts={"commercial": False}
    )
    assert nc_release.verdict == "compatible"


def test_cc_nd() -> None:
    assert check_derivative("CC-BY-ND-4.0", "CC-BY-4.0").verdict == "incompatible"
    assert check_derivative("CC-BY-NC-ND-3.0", "CC-BY-NC-3.0").verdict == "incompatible"
    training = check_dataset_mix(["CC-BY-NC-ND-4.0"], use="research-training")
    assert training.verdict == "compatible"
    assert cites(training, "2(a)(1)(B)")
    model = check_dataset_mix(["CC-BY-ND-4.0"], use="distribute-model", outbound="MIT")
    assert model.verdict == "needs_review"


# --------------------------------------------------------------------------- data licenses


def test_open_data_commons() -> None:
    v = check_dataset_mix(
        ["ODbL-1.0", "ODC-By-1.0", "PDDL-1.0"], use="publish-dataset", outbound="ODbL-1.0"
    )
    assert v.verdict == "compatible"
    assert (
        check_dataset_mix(["ODbL-1.0"], use="publish-dataset", outbound="ODC-By-1.0").verdict
        == "incompatible"
    )
    model = check_dataset_mix(["ODbL-1.0"], use="distribute-model", outbound="MIT")
    assert model.verdict == "needs_review"
    assert model.reasons[0].code == "unsettled:produced-work"
    assert (
        check_dataset_mix(
            ["PDDL-1.0", "ODC-By-1.0"], use="distribute-model", outbound="MIT"
        ).verdict
        == "compatible"
    )


def test_cdla() -> None:
    results = check_dataset_mix(
        ["CDLA-Sharing-1.0", "CDLA-Permissive-2.0", "CDLA-Permissive-1.0"],
        use="distribute-model",
        outbound="MIT",
    )
    assert results.verdict == "compatible"
    assert cites(results, "3.5")
    assert (
        check_dataset_mix(
            ["CDLA-Sharing-1.0"], use="publish-dataset", outbound="CDLA-Permissive-2.0"
        ).verdict
        == "incompatible"
    )
    assert (
        check_dataset_mix(
            ["CDLA-Permissive-2.0"], use="publish-dataset", outbound="CDLA-Sharing-1.0"
        ).verdict
        == "compatible"
    )


def test_uda() -> None:
    v = check_dataset_mix(["C-UDA-1.0", "O-UDA-1.0"], use="distribute-model", outbound="MIT")
    assert v.verdict == "compatible"
    assert cites(v, "2.2; 5.5")
    assert check_dataset_mix(["C-UDA-1.0"], use="commercial-training").verdict == "compatible"
    pub = check_dataset_mix(["C-UDA-1.0"], use="publish-dataset", outbound="MIT")
    assert pub.verdict == "incompatible"
    assert cites(pub, "3.1.2")
    # O-UDA data may be redistributed under terms of your choice (3.1), keeping attribution
    open_use = check_dataset_mix(["O-UDA-1.0"], use="publish-dataset", outbound="MIT")
    assert open_use.verdict == "compatible"
    assert {o.citation.section for o in open_use.obligations} == {"3.1.1", "3.1.2"}
    assert (
        check_use("C-UDA-1.0", facts={"commercial": True}).obligations[0].kind
        == "computational-use-only"
    )


# --------------------------------------------------------------------------- software as data


def test_copyleft_code_as_training_data() -> None:
    assert check_dataset_mix(["GPL-3.0-only"], use="research-training").verdict == "compatible"
    assert check_dataset_mix(["EPL-2.0"], use="commercial-training").verdict == "compatible"
    v = check_dataset_mix(["GPL-3.0-only"], use="distribute-model", outbound="MIT")
    assert v.verdict == "needs_review"
    assert v.reasons[0].code == "unsettled:copyleft-training-data"
    assert (
        check_dataset_mix(["EPL-2.0"], use="distribute-model", outbound="MIT").verdict
        == "needs_review"
    )
    assert (
        check_dataset_mix(
            ["0BSD", "BSD-2-Clause-Patent"], use="distribute-model", outbound="MIT"
        ).verdict
        == "compatible"
    )
    assert (
        check_dataset_mix(["LicenseRef-scancode-bsl-1.0"], use="research-training").verdict
        == "needs_review"
    )
    assert check_dataset_mix(["hf:cc"], use="research-training").verdict == "needs_review"
    model_as_data = check_dataset_mix(
        ["hf:llama2"], use="commercial-training", facts={"outputs_train_other_models": False}
    )
    assert model_as_data.verdict == "compatible"


def test_outputs_of_unknown_model_license() -> None:
    assert check_dataset_mix([outputs_of("MIT")], use="commercial-training").verdict == "compatible"
    assert (
        check_dataset_mix([outputs_of("hf:other")], use="commercial-training").verdict
        == "needs_review"
    )
    assert (
        check_dataset_mix([outputs_of("Apache-2.0")], use="commercial-training").verdict
        == "compatible"
    )
    assert (
        check_dataset_mix(
            [outputs_of("hf:llama2")], use="publish-dataset", outbound="CC0-1.0"
        ).verdict
        == "compatible"
    )
