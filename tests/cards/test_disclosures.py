"""CardEvidence.disclosures and license names: what a body discloses for openness."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
import yaml
from hypothesis import given, settings
from hypothesis import strategies as st

from openmodel_gov.cards import CardEvidence, load_card, load_card_text, read_card_evidence
from openmodel_gov.cards._disclosure_facts import disclosure_schema, license_id_of, rules
from openmodel_gov.cards._read_statements import is_license_name
from openmodel_gov.cards._scan import Scan, fold, leading_literals, required_literals

DATA = Path(__file__).resolve().parents[2] / "src" / "openmodel_gov" / "data" / "cards"
HUB_CARDS = Path(__file__).resolve().parents[1] / "data" / "hub_cards"
FRONT = "---\nlicense: mit\n---\n"


def read(body: str) -> CardEvidence:
    return read_card_evidence(load_card_text(FRONT + body))


def topics(body: str) -> dict[str, int]:
    out: dict[str, int] = {}
    for d in read(body).disclosures:
        out[d.topic] = max(out.get(d.topic, 0), d.strength)
    return out


# --- the data file -----------------------------------------------------------------------------
def test_the_data_file_matches_its_published_schema_and_cites_its_sources() -> None:
    jsonschema = pytest.importorskip("jsonschema")
    published = json.loads((DATA / "card-disclosures.schema.json").read_text(encoding="utf-8"))
    assert published == json.loads(json.dumps(disclosure_schema()))
    data = yaml.safe_load((DATA / "card-disclosures.yaml").read_text(encoding="utf-8"))
    jsonschema.validate(data, published)
    ids = {s["id"] for s in data["sources"]}
    cited = {group["source"] for group in data.values() if isinstance(group, dict)}
    cited |= {e["source"] for e in data["component_links"] + data["license_names"]}
    assert cited <= ids


# --- disclosures, one kind each -------------------------------------------------------------
@pytest.mark.parametrize(
    ("body", "topic", "strength"),
    [
        ("- [Training Code](https://github.com/o/m-train)\n", "training-code", 2),
        ("- **Trainer:** [o/Megatron](https://github.com/o/Megatron)\n", "training-code", 2),
        ("- **Repository:** https://github.com/o/m\n", "training-code", 2),
        ("Fine-tuned with axolotl.\n", "training-code", 1),
        ("```bash\ndeepspeed --num_gpus 8 train.py\n```\n", "training-code", 1),
        (
            "Trained with a custom distributed training codebase, Gigatron.\n",
            "training-code-closed",
            1,
        ),
        ("See [data](https://huggingface.co/datasets/o/d).\n", "datasets", 1),
        ("## Training Data\n\nA filtered and deduplicated mix of web text.\n", "data-described", 1),
        ("Trained on 2 trillion tokens of publicly available data.\n", "data-vague", 1),
        ("- **Paper:** [arXiv](https://arxiv.org/abs/2401.00001)\n", "paper", 1),
        (
            "## Evaluation\n\n| task | score |\n|---|---|\n| MMLU | 61.2 |\n",
            "evaluation-results",
            1,
        ),
        ("Scored with lm-evaluation-harness.\n", "evaluation-code", 1),
        ("```python\nm = AutoModel.from_pretrained('o/m')\n```\n", "inference-code", 1),
        ("## Model Architecture\n\nA decoder.\n", "architecture", 1),
        ("Intermediate checkpoints are in the branches.\n", "intermediate-checkpoints", 1),
        ("[Data Preparation](https://github.com/o/prep)\n", "preprocessing-code", 1),
        ("## Example outputs\n\nHello.\n", "sample-outputs", 1),
        ("[Metrics](https://github.com/o/eval)\n", "component-link", 1),
    ],
)
def test_each_kind_of_disclosure(body: str, topic: str, strength: int) -> None:
    assert topics(f"# M\n\n{body}").get(topic) == strength


def test_general_tools_and_contact_links_disclose_no_training_code() -> None:
    body = (
        "Run it with [vLLM](https://github.com/vllm-project/vllm).\n\n"
        "## Reporting issues\n\nSee https://github.com/o/m\n"
    )
    assert "training-code" not in topics(body)


def test_disclosures_carry_file_lines_and_the_hub_dataset_id() -> None:
    ev = read("# M\n\nText.\n\nSee [d](https://huggingface.co/datasets/o/d).\n")
    (found,) = ev.disclosed("datasets")
    assert found.name == "o/d"
    assert found.evidence.line == 8  # 3 front-matter lines, then the body's 5th line
    assert found.evidence.kind == "body"


def test_real_cards_disclose_their_training_code_with_the_line_it_is_on() -> None:
    path = HUB_CARDS / "LLM360__Amber.md"
    ev = read_card_evidence(load_card(path))
    code = [d for d in ev.disclosed("training-code") if d.strength == 2]
    assert code
    line = path.read_text(encoding="utf-8").splitlines()[(code[0].evidence.line or 0) - 1]
    assert "amber-train" in line


@settings(max_examples=60, deadline=None)
@given(st.text(max_size=400))
def test_any_body_is_read_and_every_line_is_in_the_file(body: str) -> None:
    text = FRONT + body
    ev = read_card_evidence(load_card_text(text))
    lines = text.count("\n") + 1
    for d in ev.disclosures:
        assert d.evidence.line is not None
        assert 1 <= d.evidence.line <= lines


# --- license names (a heading word is not a license) ------------------------------------------
NAMES = [
    # (name as written, how, is a license name)
    ("License", "label", False),
    ("The licensing", "label", False),
    ("Terms", "label", False),
    ("A custom commercial license", "label", False),
    ("Model License", "phrase", False),
    ("same license", "phrase", False),
    ("an open license", "phrase", False),
    ("the following terms", "phrase", False),
    ("apache-2.0", "label", True),
    ("llama2", "label", True),
    ("DeepSeek", "label", True),
    ("M42 Health license", "phrase", True),
    ("Microsoft Research License", "phrase", True),
    ("BAAI Aquila Model Licence Agreement", "phrase", True),
    ("Acme", "phrase", False),  # a bare word in a phrase names no license
]


@pytest.mark.parametrize(("name", "how", "expected"), NAMES)
def test_license_names_table(name: str, how: str, expected: bool) -> None:
    assert is_license_name(name, how) is expected


@pytest.mark.parametrize(
    ("body", "name", "license_id"),
    [
        ("- **License:** Apache 2.0\n", "Apache 2.0", "Apache-2.0"),
        (
            "This model is licensed under the BigCode OpenRAIL-M license.\n",
            None,
            "hf:bigcode-openrail-m",
        ),
        ("Use of this model is governed by the Meta license.\n", None, "hf:llama2"),
        ("- **License:** apache-2.0\n", "apache-2.0", "Apache-2.0"),
        ("Released under the Acme Research License.\n", "Acme Research License", None),
    ],
)
def test_body_license_statements_say_which_license(
    body: str, name: str | None, license_id: str | None
) -> None:
    (stmt,) = read(f"# M\n\n{body}").licenses
    assert stmt.license_id == license_id
    if name is not None:
        assert stmt.name == name


@pytest.mark.parametrize(
    "body",
    [
        "## License\n\n**License:** The licensing\n",
        "- **License:** License\n",
        "- **License:** Terms\n",
        "It is released under the same license.\n",
        "Check the Model License for details.\n",
    ],
)
def test_generic_words_are_not_reported_as_license_names(body: str) -> None:
    assert read(f"# M\n\n{body}").licenses == ()


_GENERIC = [
    "the",
    "this",
    "licensing",
    "license",
    "terms",
    "model",
    "custom",
    "commercial",
    "same",
    "open",
    "our",
]


@settings(max_examples=80, deadline=None)
@given(
    words=st.lists(st.sampled_from(_GENERIC), min_size=1, max_size=4),
    template=st.sampled_from(
        [
            "- **License:** {}\n",
            "**License**: {}\n",
            "This model is licensed under {}.\n",
            "It is made available under the {} license.\n",
        ]
    ),
)
def test_no_combination_of_generic_words_is_a_license_name(words: list[str], template: str) -> None:
    name = " ".join(words)
    found = read("# M\n\n" + template.format(name)).licenses
    assert all(s.license_id is not None for s in found), [s.name for s in found]


@given(st.text(max_size=60))
def test_known_license_names_are_mapped_whatever_surrounds_them(noise: str) -> None:
    assert license_id_of(f"{noise} Apache License 2.0") == "Apache-2.0"  # the first rule


# --- the prefiltered scan finds what the plain patterns find ---------------------------------
def _scans() -> list[tuple[str, Scan]]:
    return sorted(rules().scans.items())


_WORDS = ["trained on", "The Pile", "dedup", "tokens of", "C4", "custom", "code base", "ſ", "K"]


@settings(max_examples=150, deadline=None)
@given(
    st.lists(
        st.one_of(st.sampled_from(_WORDS), st.text(max_size=12)),
        max_size=12,
    ).map(" ".join)
)
def test_a_scan_finds_every_match_the_plain_patterns_find(text: str) -> None:
    lowered = fold(text)
    for _, scan in _scans():
        found = {(m.re.pattern, m.start()) for m in scan.finditer(text, lowered)}
        for _, _, rx in scan.parts:
            for m in rx.finditer(text):
                assert (rx.pattern, m.start()) in found, (rx.pattern, text)
        for pattern, start in found:  # and nothing that is not a match
            assert re.compile(pattern, re.I | re.M).match(text, start) is not None


@pytest.mark.parametrize(
    ("alternative", "leading", "required"),
    [
        (r"\bthe pile", ("the pile",), ("the pile",)),
        ("common ?crawl", ("common",), ("common",)),
        ("(?:pre-?)?trained (?:from scratch )?on", (), ("trained ",)),
        ("(?:custom|proprietary) code", ("custom", "proprietary"), ("custom", "proprietary")),
        (r"\bc4\b", (), ()),
        (r"[\w]+ tokens", (), (" tokens",)),
        ("a+bcd", (), ("abcd",)),  # at least one "a" right before "bcd"
    ],
)
def test_literals_of_an_alternative(
    alternative: str, leading: tuple[str, ...], required: tuple[str, ...]
) -> None:
    assert leading_literals(alternative) == leading
    assert required_literals(alternative) == required
