"""Lossless round trips: what authors wrote in front matter survives load -> to_hf_readme."""

from __future__ import annotations

from pathlib import Path

import pytest

from openmodel_gov.cards import load_card, load_card_text

TESTS = Path(__file__).resolve().parents[1]
REALWORLD = TESTS / "data" / "realworld" / "model_cards"
HUB_CARDS = TESTS / "data" / "hub_cards"


def shipped_cards() -> list[Path]:
    paths = sorted(REALWORLD.glob("*__*.md"))
    if HUB_CARDS.is_dir():
        paths += sorted(HUB_CARDS.glob("*__*.md"))
    return paths


def original(path: Path) -> str:
    """The file as written, less the documented normalisations (BOM, blank lines before ---)."""
    with path.open(encoding="utf-8", newline="") as fh:
        text = fh.read().removeprefix("\ufeff")
    return text.lstrip() if text.lstrip().startswith("---") else text


def front_matter(text: str) -> str:
    return text.split("---", 2)[1] if text.startswith("---") else ""


@pytest.mark.parametrize("path", shipped_cards(), ids=lambda p: p.name)
def test_an_unchanged_card_writes_back_the_authors_text(path: Path) -> None:
    try:
        card = load_card(path)
    except ValueError:
        pytest.skip("a card our loader refuses")
    text = card.to_hf_readme()
    assert text == original(path)
    assert load_card_text(text) == load_card_text(original(path))


def test_an_edit_keeps_comments_order_and_string_styles() -> None:
    zephyr = load_card(REALWORLD / "HuggingFaceH4__zephyr-7b-beta.md")
    edited = zephyr.model_copy(update={"license": "Apache-2.0"})
    text = edited.to_hf_readme()
    before = front_matter(original(REALWORLD / "HuggingFaceH4__zephyr-7b-beta.md"))
    after = front_matter(text)
    comments = [line.strip() for line in before.splitlines() if line.strip().startswith("#")]
    assert len(comments) == 9
    assert [line.strip() for line in after.splitlines() if line.strip().startswith("#")] == comments
    assert "license: Apache-2.0" in after
    again = load_card_text(text)
    assert again.license == "Apache-2.0"
    assert again.eval_results == zephyr.eval_results
    assert list(again._raw or {}) == list(zephyr._raw or {})  # key order

    gemma = load_card(REALWORLD / "google__shieldgemma-2-4b-it.md")
    text = gemma.model_copy(update={"tags": ["safety"]}).to_hf_readme()
    assert "extra_gated_prompt: >-" in text  # the folded string stays folded
    assert load_card_text(text).gating.prompt == gemma.gating.prompt


def test_removed_and_added_keys() -> None:
    card = load_card_text("---\n# who\nlicense: mit  # the license\ntags: [a]\n---\n# M\n")
    edited = card.model_copy(update={"tags": [], "datasets": ["c4"]})
    text = edited.to_hf_readme()
    assert "# who" in text
    assert "# the license" in text
    assert "tags" not in text
    assert text.index("license") < text.index("datasets")
    assert load_card_text(text).datasets == ["c4"]
