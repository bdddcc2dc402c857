"""Cards, base-model chains, dataset ids and names as inputs (#18.3-18.5, #13.5-13.6)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from openmodel_gov._cli import main
from openmodel_gov.cards import ModelCard
from openmodel_gov.errors import LicenseExpressionError, UnknownLicenseError
from openmodel_gov.licenses import (
    LicenseSource,
    check_card_licenses,
    check_dataset_mix,
    check_derivative,
    check_use,
    classify_license,
    resolve_base_licenses,
    suggest_release_licenses,
)
from openmodel_gov.licenses._chain import card_license, find_local_card, read_license
from openmodel_gov.licenses._data import known_models
from openmodel_gov.licenses._names import fold_name, match_name, name_of, starts_with_name

REALWORLD = Path(__file__).parents[1] / "data" / "realworld" / "model_cards"


def test_every_known_model_license_parses_and_ids_are_unique() -> None:
    from openmodel_gov.licenses import normalize_license

    table = known_models()
    assert len(table) >= 200
    for entry in table.values():
        normalize_license(entry.license)
        assert entry.card.startswith("https://")
    families = ("llama-2", "llama-3", "gemma", "qwen", "deepseek", "phi", "falcon", "bloom")
    flat = " ".join(table).lower()
    assert all(f in flat.replace("meta-llama/", "") or f in flat for f in families)


def test_card_with_base_chain_through_known_models() -> None:
    card = ModelCard(
        name="tulu-2-7b",
        license="hf:other",
        license_name="ai2-impact-license-low-risk",
        base_models=["meta-llama/Llama-2-7b-hf"],
    )
    chain = resolve_base_licenses(card)
    assert [s.source for s in chain] == ["card", "known-models"]
    assert chain[0].license is None
    assert "ai2-impact" in (chain[0].note or "")
    assert chain[1].license == "LicenseRef-openmodel-llama-2"
    assert chain[1].citation is not None
    assert chain[1].citation.url
    verdict = check_derivative(card, "Apache-2.0")
    assert verdict.verdict == "incompatible"  # the Llama 2 terms must travel
    assert verdict.sources == chain
    assert "Llama 2 Community License Agreement" in str(verdict)


def test_distill_chain_follows_bases_of_bases() -> None:
    card = ModelCard(
        name="R1-Distill-Llama-8B-ft",
        license="MIT",
        base_models=["deepseek-ai/DeepSeek-R1-Distill-Llama-8B"],
    )
    chain = resolve_base_licenses(card)
    assert [s.license for s in chain] == ["MIT", "MIT", "LicenseRef-openmodel-llama-3.1"]
    assert check_derivative(card, "MIT").verdict == "incompatible"


def test_card_use_and_unknown_base_is_needs_review() -> None:
    card = ModelCard(name="x", license="hf:apache-2.0", base_models=["someone/unlisted-7b"])
    v = check_use(card, facts={"commercial": True})
    assert v.verdict == "needs_review"
    assert any(r.code == "unknown-license" for r in v.reasons)
    given = check_use(
        card, facts={"commercial": True}, base_licenses={"someone/unlisted-7b": "hf:cc-by-nc-4.0"}
    )
    assert given.verdict == "incompatible"
    nothing = check_use(ModelCard(name="y"), facts={})
    assert nothing.verdict == "needs_review"


def test_card_license_other_with_license_name() -> None:
    card = ModelCard(name="q", license="hf:other", license_name="tongyi-qianwen")
    src = card_license(card)
    assert src.license == "LicenseRef-openmodel-tongyi-qianwen"
    assert "license_name" in (src.note or "")
    card = ModelCard(name="n", license="hf:other", license_name="NVIDIA Open Model License")
    assert card_license(card).license == "LicenseRef-openmodel-nvidia-open-model"
    assert card_license(ModelCard(name="u", license="hf:unknown")).license is None
    assert card_license(ModelCard(name="l", license="llama2")).license == (
        "LicenseRef-openmodel-llama-2"
    )


def test_local_card_and_hf_cache(tmp_path: Path) -> None:
    base = tmp_path / "hub" / "models--acme--base-7b" / "snapshots" / "abc123"
    base.mkdir(parents=True)
    (base / "README.md").write_text("---\nlicense: cc-by-nc-4.0\n---\n# base\n", "utf-8")
    assert find_local_card("acme/base-7b", [tmp_path / "hub"]) == base / "README.md"
    folder = tmp_path / "models" / "acme" / "other"
    folder.mkdir(parents=True)
    (folder / "README.md").write_text("---\nlicense: mit\n---\n", "utf-8")
    assert find_local_card("acme/other", [tmp_path / "models"]) == folder / "README.md"
    assert find_local_card("acme/none", [tmp_path]) is None
    card = ModelCard(name="ft", license="hf:cc-by-nc-4.0", base_models=["acme/base-7b"])
    chain = resolve_base_licenses(card, search_paths=[tmp_path / "hub"])
    assert chain[1].source == "local-card"
    assert chain[1].license == "CC-BY-NC-4.0"
    local = resolve_base_licenses(card, local_cards={"acme/base-7b": ModelCard(name="b")})
    assert local[1].source == "local-card"
    assert local[1].license is None


def test_check_card_licenses_uses_the_chain_by_default() -> None:
    card = ModelCard(
        name="Llama-3.1-Tiny", license="hf:llama3.1", base_models=["meta-llama/Llama-3.1-8B"]
    )
    report = check_card_licenses(card)
    assert report.verdict == "compatible"
    assert report.base_checks[0].sources[0].source == "known-models"
    relabelled = check_card_licenses(card.model_copy(update={"license": "hf:apache-2.0"}))
    assert relabelled.verdict == "incompatible"


def test_real_card_llama2() -> None:
    from openmodel_gov.cards import load_card

    card = load_card(REALWORLD / "meta-llama__Llama-2-7b-hf.md")
    assert card_license(card).license is None  # its license is stated in the body only
    assert card_license(card).note == "no license declared"
    tulu = load_card(REALWORLD / "allenai__tulu-2-dpo-70b.md")
    chain = resolve_base_licenses(tulu)
    assert any(s.license == "LicenseRef-openmodel-llama-2" for s in chain[1:])


def test_dataset_ids() -> None:
    v = check_dataset_mix(
        ["acme/corpus", "CC-BY-4.0"],
        use="commercial-training",
        datasets={"acme/corpus": "CC-BY-NC-4.0"},
    )
    assert v.verdict == "incompatible"
    assert v.sources[0] == LicenseSource(
        subject="dataset acme/corpus",
        license="CC-BY-NC-4.0",
        name="Creative Commons Attribution Non Commercial 4.0 International",
        source="given",
    )
    unknown = check_dataset_mix(["nobody/unknown-set", "MIT"], use="commercial-training")
    assert unknown.verdict == "needs_review"
    assert any(r.code == "unknown-dataset" for r in unknown.reasons)
    only = check_dataset_mix(["nobody/unknown-set"], use="research-training")
    assert only.verdict == "needs_review"
    with pytest.raises(UnknownLicenseError):
        check_dataset_mix(["Apache2"], use="research-training")


def test_suggest_release_licenses() -> None:
    assert (
        suggest_release_licenses(["CC-BY-SA-4.0", "CC-BY-NC-SA-4.0"], use="publish-dataset") == ()
    )
    top = suggest_release_licenses(["MIT", "CC-BY-4.0"], use="publish-dataset")[0]
    assert top.category == "permissive"
    both = suggest_release_licenses(["hf:llama3.1", "hf:gemma"])
    assert [f.license for f in both] == [
        "LicenseRef-openmodel-llama-3.1 AND LicenseRef-openmodel-gemma"
    ]
    assert "Built with Llama" in str([o.value for o in both[0].obligations])
    nc = suggest_release_licenses("hf:cc-by-nc-4.0")
    assert [f.license for f in nc] == ["CC-BY-NC-4.0", "CC-BY-NC-SA-4.0"]
    assert all("non-commercial" in " ".join(f.conditions) for f in nc)
    assert suggest_release_licenses("hf:cc-by-nc-4.0 AND hf:llama2") == ()
    open_only = suggest_release_licenses("hf:llama2", facts={"derivative_name": "x"})
    assert [f.license for f in open_only] == ["LicenseRef-openmodel-llama-2"]
    family = check_derivative("hf:gpl")  # which GPL is not known: every option is open
    assert family.verdict == "needs_review"
    assert family.feasible
    assert all(f.open_questions for f in family.feasible)
    assert "if:" in str(family)
    with pytest.raises(Exception, match="list"):
        suggest_release_licenses(3, use="publish-dataset")  # type: ignore[arg-type]


def test_names_and_labels() -> None:
    c = classify_license("Llama 3.1 Community License")
    assert c.expression == "LicenseRef-openmodel-llama-3.1"
    assert c.name == "Llama 3.1 Community License Agreement"
    assert c.notes
    assert "license name" in c.notes[0]
    assert c.label is not None
    assert c.label.startswith("restricted: commercial use allowed")
    assert "monthly-active-user cap" in c.label
    for hub in ("llama2", "llama3.2", "gemma"):
        assert "research only" not in (classify_license(hub).label or "")
        assert classify_license(hub).category == "restricted"
    assert classify_license("hf:llama-license").label == (
        "non-commercial: no commercial use (non-commercial or research purposes only)"
    )
    assert classify_license("MIT AND Apache-2.0").name == "MIT License AND Apache License 2.0"
    with pytest.raises(LicenseExpressionError):
        classify_license("totally made up terms")
    assert match_name("Apache License, Version 2.0") == "Apache-2.0"
    assert name_of("GPL-3.0-only") == "GNU General Public License v3.0 only"
    assert name_of("LicenseRef-nobody") is None
    assert read_license("hf:mit") == ("MIT", None)


@settings(max_examples=200, deadline=None)
@given(
    words=st.lists(st.text("abcxyz019", min_size=1, max_size=6), min_size=1, max_size=4),
    seps=st.lists(st.sampled_from([" ", "-", "_", "  ", " - "]), min_size=3, max_size=3),
    upper=st.booleans(),
)
def test_naming_ignores_case_and_separators(words: list[str], seps: list[str], upper: bool) -> None:
    joined = words[0] + "".join(seps[i % 3] + w for i, w in enumerate(words[1:]))
    name = joined.upper() if upper else joined
    assert starts_with_name(name + "-Extra", " ".join(words))
    assert fold_name(name) == " ".join(w.casefold() for w in words)


@settings(max_examples=200, deadline=None)
@given(st.text(max_size=60))
def test_read_license_never_raises(text: str) -> None:
    canonical, _ = read_license(text) if text.strip() else (None, "")
    assert canonical is None or canonical.strip() == canonical


def test_cli_suggest_and_card(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    assert (
        main(["license", "suggest", "CC-BY-SA-4.0", "CC-BY-NC-SA-4.0", "--use", "publish-dataset"])
        == 1
    )
    assert "none" in capsys.readouterr().out
    assert main(["license", "suggest", "hf:llama3.1", "--json"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert data["feasible"][0]["license"] == "LicenseRef-openmodel-llama-3.1"
    assert main(["license", "suggest", "outputs:hf:gemma", "--use", "distribute-model"]) == 0
    capsys.readouterr()
    readme = tmp_path / "README.md"
    readme.write_text(
        "---\nlicense: apache-2.0\nbase_model: meta-llama/Llama-2-7b-hf\n---\n# ft\n", "utf-8"
    )
    assert main(["license", "derivative", "--card", str(readme), "Apache-2.0"]) == 1
    assert "Llama 2 Community License Agreement" in capsys.readouterr().out
    assert main(["license", "derivative", "CC-BY-SA-4.0"]) == 0
    assert "GPL-3.0-only" in capsys.readouterr().out
    assert main(["license", "derivative"]) != 0


def test_known_dataset_ids_from_the_cards_data() -> None:
    v = check_dataset_mix(["allenai/c4", "tatsu-lab/alpaca"], use="commercial-training")
    assert v.verdict == "incompatible"  # Alpaca is CC-BY-NC-4.0
    assert {s.source for s in v.sources} == {"known-datasets"}
    assert any("C4" in (s.citation.source if s.citation else "") for s in v.sources)
    stack = check_dataset_mix(["bigcode/the-stack", "MIT"], use="commercial-training")
    assert stack.verdict == "needs_review"
    assert any("per-file" in (s.note or "") for s in stack.sources)
    assert check_dataset_mix(["c4"], use="research-training").verdict == "compatible"


def test_body_and_license_file_as_the_cards_license(tmp_path: Path) -> None:
    from openmodel_gov.cards import load_card

    body = ModelCard(name="b", body="# Model\n\nThis model is licensed under BigCode OpenRAIL-M.\n")
    src = card_license(body)
    assert src.license == "LicenseRef-openmodel-bigcode-openrail-m"
    assert src.source == "card body"
    folder = tmp_path / "model"
    folder.mkdir()
    (folder / "README.md").write_text("# A model with no metadata\n", encoding="utf-8")
    texts = Path(__file__).parents[1] / "data" / "license_texts"
    (folder / "LICENSE").write_text(
        (texts / "llama3_2-LICENSE.txt").read_text(encoding="utf-8"), encoding="utf-8"
    )
    card = load_card(folder)
    src = card_license(card)
    assert src.license == "LicenseRef-openmodel-llama-3.2"
    assert src.source == "LICENSE file"
    from openmodel_gov.licenses import license_source_findings

    findings = license_source_findings(card)
    assert [f.rule_id for f in findings] == ["license.not-in-metadata"]
    stated = ModelCard(
        name="s", license="hf:apache-2.0", body="## License\n\nLlama 3.1 Community License\n"
    )
    conflict = license_source_findings(stated)
    assert [f.rule_id for f in conflict] == ["license.source-conflict"]
    assert "LicenseRef-openmodel-llama-3.1" in conflict[0].title


def test_a_manifests_datasets() -> None:
    from openmodel_gov.manifests import DatasetEntry, DatasetManifest

    entries = [
        DatasetEntry(name="tickets", version="1", source_kind="other", license="CC-BY-SA-4.0"),
        DatasetEntry(name="forum", version="1", source_kind="other", license="CC-BY-NC-SA-4.0"),
    ]
    manifest = DatasetManifest(datasets=tuple(entries), files=())
    v = check_dataset_mix(manifest, use="publish-dataset")
    assert v.verdict == "incompatible"
    assert [s.subject for s in v.sources] == ["dataset tickets", "dataset forum"]
    assert {s.source for s in v.sources} == {"manifest"}
    ok = check_dataset_mix([entries[0], "CC-BY-4.0"], use="commercial-training")
    assert ok.verdict == "compatible"
    with pytest.raises(Exception, match="type int"):
        check_dataset_mix([3], use="research-training")  # type: ignore[list-item]


def test_license_link_when_the_name_is_missing_or_unknown() -> None:
    card = ModelCard(name="g", license="hf:other", license_link="https://ai.google.dev/gemma/terms")
    src = card_license(card)
    assert src.license == "LicenseRef-openmodel-gemma"
    assert "license_link" in (src.note or "")
    cc = ModelCard(
        name="c",
        license="hf:other",
        license_name="my-cc",
        license_link="http://www.creativecommons.org/licenses/by-nc/4.0/legalcode.en",
    )
    assert card_license(cc).license == "CC-BY-NC-4.0"
    local = ModelCard(name="l", license="hf:other", license_link="LICENSE")
    assert card_license(local).license is None
