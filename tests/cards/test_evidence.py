"""The card evidence layer: facts a reader can check in the real cards, with their lines."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
import yaml
from hypothesis import given
from hypothesis import strategies as st

from openmodel_gov.cards import (
    CardEvidence,
    ModelCard,
    known_datasets,
    load_card,
    load_card_text,
    read_card_evidence,
)

TESTS = Path(__file__).resolve().parents[1]
REALWORLD = TESTS / "data" / "realworld" / "model_cards"
HUB_CARDS = TESTS / "data" / "hub_cards"
DATA = Path(__file__).resolve().parents[2] / "src" / "openmodel_gov" / "data" / "cards"


def real(name: str) -> ModelCard:
    return load_card(REALWORLD / name)


def evidence(name: str) -> CardEvidence:
    return read_card_evidence(real(name))


def all_real_cards() -> list[Path]:
    paths = sorted(REALWORLD.glob("*__*.md"))
    if HUB_CARDS.is_dir():
        paths += sorted(HUB_CARDS.glob("*__*.md"))
    return paths


def alnum(text: str) -> str:
    return "".join(ch for ch in text.lower() if ch.isalnum())


def file_line(path: Path, line: int) -> str:
    return path.read_text(encoding="utf-8").splitlines()[line - 1]


# --- data files ------------------------------------------------------------------------------


@pytest.mark.parametrize("name", ["card-sections", "card-links", "known-datasets"])
def test_data_files_match_their_schemas(name: str) -> None:
    jsonschema = pytest.importorskip("jsonschema")
    schema = json.loads((DATA / f"{name}.schema.json").read_text(encoding="utf-8"))
    data = yaml.safe_load((DATA / f"{name}.yaml").read_text(encoding="utf-8"))
    jsonschema.validate(data, schema)
    ids = [s["id"] for s in data["sources"]]
    cited = {
        e["source"]
        for key in ("sections", "link_kinds", "training_code", "datasets")
        for e in data.get(key, [])
    }
    assert cited <= set(ids)


def test_known_datasets_cover_the_common_corpora() -> None:
    ids = {d.id for d in known_datasets()}
    assert {
        "the-pile", "refinedweb", "slimpajama", "redpajama-v1", "redpajama-v2", "dolma",
        "fineweb", "fineweb-edu", "c4", "mc4", "the-stack", "the-stack-v2", "starcoderdata",
        "oasst1", "oasst2", "ultrachat", "ultrafeedback", "sharegpt", "alpaca", "dolly-15k",
        "oig", "wikipedia", "arxiv", "books3", "openwebtext", "roots", "tulu-v2-mix",
        "tulu-3-mix", "openorca", "metamathqa", "hh-rlhf", "laion-5b", "pubmed", "pmc",
        "proof-pile",
    } <= ids  # fmt: skip
    for d in known_datasets():
        assert d.license or d.license_note, d.id  # every entry says what applies
        assert d.url.startswith("https://")
    by_id = {d.id: d for d in known_datasets()}
    assert "per-file" in (by_id["the-stack"].license_note or "")
    assert "OpenAI terms of use" in (by_id["sharegpt"].license_note or "")
    assert by_id["alpaca"].license == "CC-BY-NC-4.0"


# --- line numbers are real -------------------------------------------------------------------


@pytest.mark.parametrize("path", all_real_cards(), ids=lambda p: p.name)
def test_every_section_and_link_points_at_its_line(path: Path) -> None:
    card = load_card(path)
    ev = read_card_evidence(card)
    lines = path.read_text(encoding="utf-8").splitlines()
    for section in ev.sections:
        assert 1 <= section.line <= section.end_line <= len(lines) + 1
        first = alnum(section.heading)[:8]
        line = re.sub(r"<[^>]+>", "", lines[section.line - 1])
        assert first in alnum(line), (section, line)
    for link in ev.links:
        assert link.evidence.line is not None
        window = "\n".join(lines[link.evidence.line - 1 : link.evidence.line + 1])
        assert link.url[:30] in window or link.url[:30] in window.replace("&amp;", "&"), link


# --- sections --------------------------------------------------------------------------------


def test_sections_are_normalised_to_the_template_keys() -> None:
    keys = {s.heading: s.key for s in evidence("microsoft__phi-2.md").sections}
    assert keys["Limitations of Phi-2"] == "bias-risks-limitations"
    assert keys["Intended Uses"] == "uses"
    assert keys["Training"] == "training-details"
    meditron = {s.heading: s.key for s in evidence("epfl-llm__meditron-70b.md").sections}
    assert meditron["Out-of-Scope Use"] == "out-of-scope-use"
    assert meditron["Direct Use"] == "direct-use"
    assert meditron["Downstream Use"] == "downstream-use"
    assert meditron["Environmental Impact"] == "environmental-impact"
    assert meditron["Training Data"] == "training-data"
    zephyr = {s.heading: s.key for s in evidence("HuggingFaceH4__zephyr-7b-beta.md").sections}
    assert zephyr["Bias, Risks, and Limitations"] == "bias-risks-limitations"
    assert zephyr["Intended uses & limitations"] == "uses"


def test_bold_labels_open_sections_as_meta_cards_write_them() -> None:
    ev = evidence("meta-llama__Llama-2-7b-hf.md")
    labelled = {s.heading: s for s in ev.sections if s.from_label}
    assert labelled["Out-of-scope Uses"].key == "out-of-scope-use"
    assert labelled["Out-of-scope Uses"].text.startswith("Use in any manner that violates")
    assert labelled["Intended Use Cases"].key == "uses"


# --- links -----------------------------------------------------------------------------------


def test_links_are_classified_from_text_host_and_path() -> None:
    amber = {link.text: link for link in evidence("LLM360__Amber.md").links}
    assert amber["Training Code"].kind == "code-repository"
    assert amber["Training Code"].topic == "training-code"
    assert amber["Data Preparation"].topic == "data-preprocessing"
    assert amber["Fully processed Amber pretraining data"].kind == "dataset"
    assert amber["Fully processed Amber pretraining data"].hub_id == "LLM360/AmberDatasets"
    meditron = {link.url: link for link in evidence("epfl-llm__meditron-70b.md").links}
    assert meditron["https://arxiv.org/abs/2311.16079"].kind == "paper"
    trainer = [
        link for link in evidence("epfl-llm__meditron-70b.md").links if link.label == "Trainer"
    ]
    assert [link.url for link in trainer] == ["https://github.com/epfLLM/Megatron-LLM"]
    assert meditron["LICENSE"].kind == "license-text"
    assert meditron["https://huggingface.co/meta-llama/Llama-2-70b"].kind == "model"
    zephyr = evidence("HuggingFaceH4__zephyr-7b-beta.md")
    kinds = {link.url: link.kind for link in zephyr.links}
    assert kinds["https://github.com/huggingface/alignment-handbook"] == "training-recipe"
    assert kinds["https://huggingface.co/spaces/lmsys/mt-bench"] == "leaderboard"


def test_html_anchor_and_badge_links() -> None:
    card = load_card_text(
        '# M\n\n<p><a href="https://discord.gg/abc">Discord</a> | '
        '<a href="https://arxiv.org/abs/1234.5678"><img alt="paper"/></a></p>\n\n'
        '[<img src="https://x/badge.png" alt="Built with Axolotl"/>](https://github.com/axolotl-ai-cloud/axolotl)\n'
    )
    ev = read_card_evidence(card)
    kinds = {link.url: (link.kind, link.text) for link in ev.links}
    assert kinds["https://discord.gg/abc"] == ("community", "Discord")
    assert kinds["https://arxiv.org/abs/1234.5678"][0] == "paper"
    assert kinds["https://github.com/axolotl-ai-cloud/axolotl"] == (
        "training-recipe",
        "Built with Axolotl",
    )
    assert ev.training_code[0].project == "axolotl"
    assert ev.training_code[0].certainty == "read"


# --- datasets --------------------------------------------------------------------------------


def test_datasets_named_in_prose_are_matched_with_their_line() -> None:
    ev = evidence("microsoft__phi-2.md")
    by_id = {d.dataset_id: d for d in ev.datasets}
    assert {"refinedweb", "slimpajama"} <= set(by_id)
    refined = by_id["refinedweb"]
    assert refined.source == "prose"
    assert refined.license == "ODC-By-1.0"
    line = refined.evidence[0].line
    assert line is not None
    assert "Falcon RefinedWeb" in file_line(REALWORLD / "microsoft__phi-2.md", line)


def test_front_matter_and_link_datasets_are_stated() -> None:
    tiny = {d.hub_id: d for d in evidence("TinyLlama__TinyLlama-1.1B-Chat-v1.0.md").datasets}
    slim = tiny["cerebras/SlimPajama-627B"]
    assert (slim.dataset_id, slim.source, slim.certainty) == (
        "slimpajama",
        "front-matter",
        "stated",
    )
    assert tiny["bigcode/starcoderdata"].license is None  # per-file licenses
    meditron = {d.hub_id: d for d in evidence("epfl-llm__meditron-70b.md").datasets if d.hub_id}
    assert meditron["lukaemon/mmlu"].role == "evaluation"  # linked under "Testing Data" only
    assert meditron["epfl-llm/guidelines"].role == "training"


def test_context_words_are_needed_for_ambiguous_names() -> None:
    plain = load_card_text("# M\n\nWe compare against Alpaca and read Wikipedia daily.\n")
    assert not read_card_evidence(plain).datasets
    trained = load_card_text("# M\n\nThe model was fine-tuned on the Alpaca dataset.\n")
    assert {d.dataset_id for d in read_card_evidence(trained).datasets} == {"alpaca"}


# --- training code ---------------------------------------------------------------------------


def test_training_code_statements_of_the_real_cards() -> None:
    def code(name: str) -> dict[str, str]:
        return {t.name: t.certainty for t in evidence(name).training_code}

    assert code("LLM360__Amber.md")["LLM360/amber-train"] == "read"  # "[Training Code](...)"
    meditron = code("epfl-llm__meditron-70b.md")
    assert meditron["epfLLM/Megatron-LLM"] == "read"  # "Trainer: epflLLM/Megatron-LLM"
    assert meditron["epfLLM/meditron"] == "inferred"  # "Repository:" only
    zephyr = evidence("HuggingFaceH4__zephyr-7b-beta.md").training_code
    assert {t.project for t in zephyr} >= {"alignment-handbook", "trl"}
    tulu = {t.project for t in evidence("allenai__tulu-2-dpo-70b.md").training_code}
    assert "open-instruct" in tulu
    phi = [t for t in evidence("microsoft__phi-2.md").training_code if t.certainty != "guessed"]
    assert phi == []  # PyTorch/DeepSpeed under "Software" are not training code


def test_bare_repository_and_bold_code_labels() -> None:
    card = load_card_text(
        "# M\n\n## Model Details\n\n- **Repository:** https://github.com/acme/m\n"
        "- **Code:** [acme/train](https://github.com/acme/train)\n"
    )
    found = {t.name: t.certainty for t in read_card_evidence(card).training_code}
    assert found == {"acme/m": "inferred", "acme/train": "read"}


def test_embedded_training_configs() -> None:
    zephyr = evidence("HuggingFaceH4__zephyr-7b-beta.md")
    hyper = [c for c in zephyr.config_blocks if c.language == "list"]
    assert hyper
    assert "learning_rate" in hyper[0].training_keys
    card = load_card_text(
        "# M\n\n## Training\n\n```yaml\nbase_model: x/y\nlearning_rate: 2e-5\n"
        "num_epochs: 3\nmicro_batch_size: 2\n```\n\n```python\nlr = 1\nepochs = 2\n```\n"
    )
    ev = read_card_evidence(card)
    assert [c.language for c in ev.config_blocks] == ["yaml"]
    assert ev.config_blocks[0].evidence.line == 5  # the opening fence
    assert any(t.kind == "config" for t in ev.training_code)


# --- evaluation, licenses, gates -------------------------------------------------------------


def test_evaluation_tables_from_body_and_model_index() -> None:
    zephyr = evidence("HuggingFaceH4__zephyr-7b-beta.md")
    sources = [t.source for t in zephyr.eval_tables]
    assert sources[0] == "model-index"
    assert len(zephyr.eval_tables[0].rows) == 9
    assert "markdown" in sources
    llama31 = evidence("meta-llama__llama-models-llama3_1-MODEL_CARD.md")
    assert llama31.eval_tables  # HTML tables of benchmark scores


def test_license_statements_in_the_body() -> None:
    phi = evidence("microsoft__phi-2.md").licenses
    assert phi[0].name == "MIT license"
    assert phi[0].url == "https://huggingface.co/microsoft/phi-2/resolve/main/LICENSE"
    meditron = {s.scope: s.name for s in evidence("epfl-llm__meditron-70b.md").licenses}
    assert meditron["model"] == "LLAMA 2 COMMUNITY LICENSE AGREEMENT"
    assert meditron["code"] == "APACHE 2.0 LICENSE"
    card = load_card_text(
        "---\nlicense: apache-2.0\n---\n# M\n\nThe model is licensed under BigCode OpenRAIL-M.\n"
        "Use of the model requires the Acme Community License; commercial use needs an application.\n"
    )
    names = [s.name for s in read_card_evidence(card).licenses]
    assert names == ["BigCode OpenRAIL-M", "Acme Community License"]


def test_gate_kinds() -> None:
    assert evidence("mistralai__Mistral-7B-v0.1.md").gate.kind == "click-through"
    llama = evidence("meta-llama__Llama-3.2-1B-Instruct.md").gate
    assert llama.kind == "access-request"
    assert {"First Name", "Country", "Affiliation"} <= set(llama.fields)
    assert not llama.at_provider_discretion
    assert evidence("microsoft__phi-2.md").gate.kind == "none"
    manual = read_card_evidence(load_card({"gated": "manual", "license": "mit"})).gate
    assert manual.at_provider_discretion
    research = load_card(
        {"extra_gated_prompt": "Access is granted at our sole discretion to academic researchers."}
    )
    assert read_card_evidence(research).gate.kind == "discretionary"


def test_hub_corpus_agreement_with_the_facts_table() -> None:
    """Gate kind and section presence agree with the hand-made facts table (dev split)."""
    facts_file = HUB_CARDS / "facts.yaml"
    if not facts_file.is_file():
        pytest.skip("no hub_cards corpus")
    facts = yaml.safe_load(facts_file.read_text(encoding="utf-8"))["cards"]
    gate_names = {"form": "access-request"}
    agree = {"gate": 0, "uses": 0, "limits": 0}
    total = 0
    for name, fact in facts.items():
        if fact.get("split") != "dev" or not (HUB_CARDS / name).is_file():
            continue
        try:
            ev = read_card_evidence(load_card(HUB_CARDS / name))
        except ValueError:
            continue
        total += 1
        agree["gate"] += gate_names.get(fact["gate"], fact["gate"]) == ev.gate.kind
        agree["uses"] += fact["intended_use_section"] == bool(
            ev.sections_of("uses", "direct-use", "downstream-use")
        )
        agree["limits"] += fact["limitations_section"] == bool(
            ev.sections_of("bias-risks-limitations")
        )
    assert total >= 50
    assert agree["gate"] / total >= 0.95
    assert agree["uses"] / total >= 0.9
    assert agree["limits"] / total >= 0.85


# --- filling the card ------------------------------------------------------------------------


def test_card_fields_are_filled_from_the_body_with_their_location() -> None:
    phi = real("microsoft__phi-2.md")
    assert phi.intended_use is not None
    assert phi.intended_use.startswith("Given the nature of the training data")
    assert phi.limitations is not None
    assert "Generate Inaccurate Code and Facts" in phi.limitations
    where = phi.field_evidence["limitations"]
    assert where.line is not None
    assert "Limitations of Phi-2" in file_line(REALWORLD / "microsoft__phi-2.md", where.line)
    assert {"intended_use", "limitations"} <= set(phi.inferred)
    meditron = real("epfl-llm__meditron-70b.md")
    assert meditron.out_of_scope_use is not None
    assert meditron.out_of_scope_use.startswith("We do not recommend using this model")
    assert meditron.environmental_impact is not None
    llama = real("meta-llama__Llama-2-7b-hf.md")
    assert llama.out_of_scope_use is not None
    assert llama.out_of_scope_use.startswith("Use in any manner that violates")
    assert "@misc" in (real("LLM360__Amber.md").citation or "")


def test_metadata_wins_and_a_disagreement_is_a_warning() -> None:
    card = load_card_text(
        "---\nopenmodel-gov:\n  intended_use: Medical triage only.\n---\n# M\n\n"
        "## Intended Use\n\nGeneral chat.\n\n## Limitations\n\n[More Information Needed]\n"
    )
    assert card.intended_use == "Medical triage only."
    assert "intended_use" not in card.inferred
    assert any("intended_use: the metadata and the body" in w for w in card.warnings)
    assert card.limitations is None  # the template placeholder says nothing


def test_body_fields_are_not_written_back_as_metadata() -> None:
    card = load_card_text((REALWORLD / "microsoft__phi-2.md").read_text(encoding="utf-8"))
    text = card.to_hf_readme()
    assert "intended_use" not in text.split("---", 2)[1]
    assert load_card_text(text) == card


# --- properties ------------------------------------------------------------------------------

markdown_pieces = st.lists(
    st.sampled_from(
        [
            "# Title", "## Training Data", "## Limitations", "### Out-of-Scope Use", "",
            "Trained on SlimPajama and The Stack.", "- **Repository:** https://github.com/a/b",
            "[Training code](https://github.com/c/d)", "| a | b |", "|---|---|", "| 1 | 2 |",
            "```yaml", "learning_rate: 1", "epochs: 2", "```", "<a href='https://x.org'>x</a>",
            "licensed under the Foo License.", "**Intended Use** chat", "> quote", "***", "---",
        ]
    )
    | st.text(max_size=40),
    max_size=25,
)  # fmt: skip


@given(markdown_pieces)
def test_evidence_never_fails_and_lines_stay_in_the_file(pieces: list[str]) -> None:
    text = "\n".join(pieces)
    try:
        card = load_card_text(text, format="hf-readme")
    except ValueError:
        return
    ev = read_card_evidence(card)
    total = text.count("\n") + 2
    lines = [s.line for s in ev.sections] + [link.evidence.line or 1 for link in ev.links]
    assert all(1 <= line <= total for line in lines)
    assert read_card_evidence(card) is ev  # cached per card
    assert str(ev)
    assert ev.to_dict()["gate"]["kind"] == "none"


def test_a_license_name_keeps_its_version_dots() -> None:
    card = load_card_text(
        "---\nlicense: other\n---\n# M\n\n"
        "This model is licensed under the Llama 3.1 Community License. Use it well.\n",
        format="hf-readme",
    )
    assert [s.name for s in read_card_evidence(card).licenses] == ["Llama 3.1 Community License"]


def test_a_lone_carriage_return_does_not_shift_line_numbers() -> None:
    card = load_card_text("\r0\n\r0\n# Title\n", format="hf-readme")
    assert [s.line for s in read_card_evidence(card).sections] == [3]
