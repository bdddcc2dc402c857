"""The EU AI Act public summary of training content: filled from facts, questions otherwise."""

from __future__ import annotations

import html
import re
from html.parser import HTMLParser

import pytest

from openmodel_gov.cards import ModelCard
from openmodel_gov.interop import TrainingContentSummary, training_content_summary
from openmodel_gov.manifests import DatasetManifest

SECTIONS = ["1.1", "1.2", "1.3", "2.1", "2.2", "2.3", "2.4", "2.5", "2.6", "3.1", "3.2", "3.3"]


def field(summary: TrainingContentSummary, section: str, key: str) -> tuple[str | None, str | None]:
    (found,) = [f for f in summary.section(section).fields if f.key == key]
    return found.value, found.question


def test_every_template_section_is_there_and_cited(demo_card: ModelCard) -> None:
    summary = training_content_summary(demo_card)
    assert [s.id for s in summary.sections] == SECTIONS
    for s in summary.sections:
        assert s.citations[0].section == f"Template section {s.id}"
        assert "Article 53(1)(d)" in s.citations[0].source
        for f in s.fields:
            assert (f.value is None) != (f.question is None)
    dsm = summary.section("3.1").citations[1]
    assert (dsm.source, dsm.section) == ("Directive (EU) 2019/790 (DSM Directive)", "Art. 4(3)")
    with pytest.raises(KeyError):
        summary.section("9.9")


def test_demo(demo_card: ModelCard, demo_manifest: DatasetManifest) -> None:
    s = training_content_summary(demo_card, [demo_manifest])
    assert field(s, "1.1", "provider") == ("Example Org", None)
    assert field(s, "1.2", "dependencies")[0] == "openmodel-gov/tiny-base-1b"
    market = field(s, "1.2", "market_date")
    assert market[0] is None
    assert "2026-11-01" in (market[1] or "")
    synthetic = field(s, "2.5", "sources")[0] or ""
    assert "support-tickets-demo" in synthetic
    assert "hand-written fictional tickets" in synthetic
    assert "PII scan of 5 record(s)" in (field(s, "3.3", "other")[0] or "")
    # nothing crawled in the manifest, but the manifests are not declared complete: ask
    assert field(s, "2.3", "crawlers")[1]
    assert field(s, "3.2", "measures")[1]
    assert len(s.open_questions) == sum(1 for sec in s.sections for f in sec.fields if f.question)
    assert "question(s) for the provider" in str(s)


def test_rich(rich_card: ModelCard, rich: DatasetManifest) -> None:
    s = training_content_summary(rich_card, rich, provider="Example Lab GmbH")
    assert field(s, "1.1", "provider") == ("Example Lab GmbH (ai@example.org)", None)
    assert field(s, "1.3", "cutoff")[0] == "2024-09-30"
    assert field(s, "1.3", "modalities")[0] == "code, text"
    size = field(s, "1.3", "size")[0] or ""
    assert "web-2024: 1,000,000 tokens, 2,000 records, 3,050 bytes" in size
    assert "news-archive" in (field(s, "2.2", "datasets")[0] or "")
    assert field(s, "2.3", "period")[0] == "web-2024: 2023-01 to 2024-09-30"
    assert "web-2024" in (field(s, "2.3", "crawlers")[1] or "")
    assert field(s, "2.3", "domains")[1]
    # the card names ultrachat without a manifest: the public-datasets field asks about it
    assert "HuggingFaceH4/ultrachat_200k" in (field(s, "2.1", "datasets")[1] or "")
    tdm = field(s, "3.1", "measures")
    assert tdm[0] is None
    assert "news-archive" in (tdm[1] or "")
    assert "web-2024: opt-outs honored" in (tdm[1] or "")
    assert "language id" in (field(s, "3.2", "measures")[1] or "")


def test_complete_manifests_state_empty_categories(
    demo_card: ModelCard, demo_manifest: DatasetManifest
) -> None:
    card = demo_card.model_copy(update={"datasets": []})
    s = training_content_summary(card, demo_manifest, manifests_complete=True)
    assert field(s, "2.1", "datasets")[0] == "none"
    assert field(s, "2.3", "domains")[0] == "not applicable: no crawled data"


def test_nothing_known_means_questions() -> None:
    s = training_content_summary(ModelCard(name="bare"))
    filled = [f.key for sec in s.sections for f in sec.fields if f.filled]
    assert filled == ["model"]


def test_every_real_card_gets_a_summary(real_card: ModelCard) -> None:
    s = training_content_summary(real_card)
    assert field(s, "1.2", "model")[0] == real_card.name + (
        f" {real_card.version}" if real_card.version else ""
    )
    assert s.open_questions


class _Text(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.tags: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append(tag)


def test_markdown_and_html_escape(rich_card: ModelCard, rich: DatasetManifest) -> None:
    card = rich_card.model_copy(update={"name": "<script>alert(1)</script>"})
    s = training_content_summary(card, rich)
    page = s.to_html()
    assert "<script>" not in page
    assert html.escape("<script>alert(1)</script>") in page
    parser = _Text()
    parser.feed(page)
    assert "script" not in parser.tags
    assert s._repr_html_() == page
    md = s.to_markdown()
    for sid in SECTIONS:
        assert re.search(rf"^## {re.escape(sid)} ", md, flags=re.M)
    assert "**Question for the provider**" in md
    assert s.to_dict()["sections"][0]["id"] == "1.1"


def test_golden_markdown_of_the_demo(demo_card: ModelCard, demo_manifest: DatasetManifest) -> None:
    """The worked example in docs/interop.md is this output (kept in step by this test)."""
    from pathlib import Path

    md = training_content_summary(demo_card, [demo_manifest]).to_markdown()
    doc = (Path(__file__).resolve().parents[2] / "docs" / "interop.md").read_text(encoding="utf-8")
    block = doc.split("<!-- ai-act-example:start -->", 1)[1].split(
        "<!-- ai-act-example:end -->", 1
    )[0]
    assert block.strip().removeprefix("````markdown").removesuffix("````").strip() == md.strip()
