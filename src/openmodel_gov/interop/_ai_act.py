"""The EU AI Act public summary of training content (Art. 53(1)(d)), filled from facts.

Every field of the Commission's template is either filled from the card and the manifests
(and says where from) or left as a question for the provider; nothing is guessed.
"""

from __future__ import annotations

import html
from collections.abc import Sequence
from functools import cache
from importlib import resources
from typing import TYPE_CHECKING, Any

import yaml

from openmodel_gov._core import Citation, Frozen
from openmodel_gov.interop._common import (
    card_only_datasets,
    check_card,
    check_manifests,
    datasets_of,
    pii_sentence,
)

if TYPE_CHECKING:
    from openmodel_gov.cards import ModelCard
    from openmodel_gov.manifests import DatasetEntry, DatasetManifest

__all__ = ["SummaryField", "SummarySection", "TrainingContentSummary", "training_content_summary"]


class SummaryField(Frozen):
    """One field of the template: filled (``value`` and ``basis``) or a ``question``."""

    key: str
    label: str
    value: str | None = None
    basis: str | None = None
    question: str | None = None

    @property
    def filled(self) -> bool:
        """True when the field holds a value taken from the card or the manifests."""
        return self.value is not None


class SummarySection(Frozen):
    """One section of the template (``1.1`` ... ``3.3``) with its citations."""

    id: str
    title: str
    fields: tuple[SummaryField, ...]
    citations: tuple[Citation, ...]


class TrainingContentSummary(Frozen):
    """The filled template; render with :meth:`to_markdown` or :meth:`to_html`."""

    model: str
    sections: tuple[SummarySection, ...]

    @property
    def open_questions(self) -> tuple[str, ...]:
        """Every question left for the provider, prefixed with its section."""
        return tuple(
            f"{s.id} {f.label}: {f.question}" for s in self.sections for f in s.fields if f.question
        )

    def section(self, section_id: str) -> SummarySection:
        """The section ``section_id`` (``"2.3"``); ``KeyError`` if unknown."""
        for s in self.sections:
            if s.id == section_id:
                return s
        raise KeyError(section_id)

    def to_dict(self) -> dict[str, Any]:
        """Plain JSON-ready data."""
        data: dict[str, Any] = self.model_dump(mode="json")
        return data

    def __str__(self) -> str:
        filled = sum(1 for s in self.sections for f in s.fields if f.filled)
        total = sum(len(s.fields) for s in self.sections)
        return (
            f"Training content summary of {self.model}: {filled}/{total} fields filled, "
            f"{len(self.open_questions)} question(s) for the provider"
        )

    def to_markdown(self) -> str:
        """Markdown, one heading per template section, questions marked as such."""
        lines = [
            f"# Public summary of training content: {self.model}",
            "",
            "Drafted by openmodel-gov from the model card and dataset manifests, following the "
            "European Commission's template under Art. 53(1)(d) of the AI Act. Fields marked "
            "**Question for the provider** could not be filled from these sources.",
        ]
        for s in self.sections:
            lines += ["", f"## {s.id} {s.title}", ""]
            lines.append("Source: " + "; ".join(_cite(c) for c in s.citations))
            lines.append("")
            for f in s.fields:
                if f.filled:
                    text = f"- **{f.label}**: {_md(f.value or '')}"
                    if f.basis:
                        text += f" _(from {_md(f.basis)})_"
                else:
                    text = (
                        f"- **{f.label}**: **Question for the provider**: {_md(f.question or '')}"
                    )
                lines.append(text)
        return "\n".join(lines) + "\n"

    def to_html(self) -> str:
        """A standalone HTML page (every value escaped)."""
        e = html.escape
        parts = [
            "<!DOCTYPE html>",
            '<html lang="en"><head><meta charset="utf-8">',
            f"<title>Public summary of training content: {e(self.model)}</title>",
            "<style>body{font-family:sans-serif;max-width:60em;margin:auto}"
            ".q{color:#8a5300}.basis{color:#555;font-size:90%}</style></head><body>",
            f"<h1>Public summary of training content: {e(self.model)}</h1>",
            "<p>Drafted by openmodel-gov from the model card and dataset manifests, following "
            "the European Commission's template under Art. 53(1)(d) of the AI Act.</p>",
        ]
        for s in self.sections:
            parts.append(f'<section id="s{e(s.id)}"><h2>{e(s.id)} {e(s.title)}</h2>')
            cites = "; ".join(
                f'<a href="{e(c.url)}">{e(_cite(c))}</a>' if c.url else e(_cite(c))
                for c in s.citations
            )
            parts.append(f'<p class="basis">Source: {cites}</p><dl>')
            for f in s.fields:
                parts.append(f"<dt>{e(f.label)}</dt>")
                if f.filled:
                    basis = f' <span class="basis">(from {e(f.basis)})</span>' if f.basis else ""
                    parts.append(f"<dd>{e(f.value or '')}{basis}</dd>")
                else:
                    parts.append(
                        f'<dd class="q"><strong>Question for the provider:</strong> '
                        f"{e(f.question or '')}</dd>"
                    )
            parts.append("</dl></section>")
        parts.append("</body></html>")
        return "\n".join(parts) + "\n"

    def _repr_html_(self) -> str:
        return self.to_html()


def _cite(c: Citation) -> str:
    return f"{c.source}, {c.section}" if c.section else c.source


def _md(text: str) -> str:
    return text.replace("\n", " ").replace("*", "\\*").replace("_", "\\_")


@cache
def _template() -> dict[str, Any]:
    text = (
        resources.files("openmodel_gov")
        .joinpath("data/interop/ai_act_summary_template.yaml")
        .read_text(encoding="utf-8")
    )
    data: dict[str, Any] = yaml.safe_load(text)
    return data


def _describe(entry: DatasetEntry) -> str:
    bits = [f"{entry.name} {entry.version}"]
    if entry.source.url:
        bits.append(entry.source.url)
    bits.append(f"licence {entry.license}")
    return ", ".join(bits)


def _size(entries: Sequence[tuple[DatasetManifest, DatasetEntry]]) -> str | None:
    per: dict[str, list[str]] = {}
    for manifest, entry in entries:
        mods = entry.modalities or ("modality not stated",)
        size = entry.size
        stated = []
        if size is not None and size.tokens is not None:
            stated.append(f"{size.tokens:,} tokens")
        if size is not None and size.records is not None:
            stated.append(f"{size.records:,} records")
        on_disk = sum(f.size for f in manifest.files_of(entry.name))
        stated.append(f"{on_disk:,} bytes")
        for m in mods:
            per.setdefault(m, []).append(f"{entry.name}: {', '.join(stated)}")
    if not per:
        return None
    return "; ".join(f"{m}: " + " + ".join(v) for m, v in sorted(per.items()))


def training_content_summary(
    card: ModelCard,
    manifests: Sequence[DatasetManifest] | DatasetManifest = (),
    *,
    provider: str | None = None,
    manifests_complete: bool = False,
) -> TrainingContentSummary:
    """Fill the Commission's template for the public summary of training content.

    Filled from facts only: provider and contact, model name, version and base models from
    the card; modalities, per-modality size (tokens/records as stated, bytes as hashed),
    collection periods (the latest end as knowledge cut-off), languages, the datasets of
    each source category (``public-dataset``, ``licensed``, ``web-crawl``, ``user-data``,
    ``synthetic``, ``other``), TDM opt-out facts, filtering and de-identification from the
    manifests. Anything else -- the date of placement on the Union market, the crawler, the
    most relevant domains, illegal-content removal, datasets the card names without a
    manifest -- becomes a question for the provider. An empty category is stated as empty
    only when ``manifests_complete`` says the manifests list all training data.

    Args:
        card: the model card.
        manifests: the manifests of the training data.
        provider: the provider's name when the card does not state it.
        manifests_complete: the manifests cover every dataset used in training.

    Returns:
        A :class:`TrainingContentSummary` (Markdown, HTML, dict, open questions).

    >>> from openmodel_gov.cards import ModelCard
    >>> s = training_content_summary(ModelCard(name="demo", producer="Org"))
    >>> s.section("1.1").fields[0].value, s.section("2.3").fields[0].question is not None
    ('Org', True)
    """
    card = check_card(card, feature="training_content_summary")
    mans = check_manifests(manifests, feature="training_content_summary")
    entries = datasets_of(mans)
    tpl = _template()
    main = Citation(source=tpl["source"].strip(), url=tpl["url"])
    values = _fill(card, entries, provider=provider, complete=manifests_complete)
    sections = []
    for raw in tpl["sections"]:
        fields = []
        for key, label in raw["fields"].items():
            value, basis, question = values.get(f"{raw['id']}.{key}", (None, None, None))
            fields.append(
                SummaryField(key=key, label=label, value=value, basis=basis, question=question)
            )
        cites = [main.model_copy(update={"section": f"Template section {raw['id']}"})]
        cites += [Citation.model_validate(c) for c in raw.get("cites", [])]
        sections.append(
            SummarySection(
                id=str(raw["id"]), title=raw["title"], fields=tuple(fields), citations=tuple(cites)
            )
        )
    name = card.name + (f" {card.version}" if card.version else "")
    return TrainingContentSummary(model=name, sections=tuple(sections))


Filled = tuple[str | None, str | None, str | None]


def _ok(value: str, basis: str) -> Filled:
    return (value, basis, None)


def _ask(question: str) -> Filled:
    return (None, None, question)


def _listed(items: Sequence[str], sep: str, basis: str, question: str) -> Filled:
    """The items joined as the answer, or the question when there are none."""
    return _ok(sep.join(items), basis) if items else _ask(question)


def _fill(
    card: ModelCard,
    entries: Sequence[tuple[DatasetManifest, DatasetEntry]],
    *,
    provider: str | None,
    complete: bool,
) -> dict[str, Filled]:
    v: dict[str, Filled] = {}
    _identity(v, card, provider)
    _overview(v, card, entries)
    _sources(v, card, entries, complete)
    _processing(v, entries)
    return v


def _identity(v: dict[str, Filled], card: ModelCard, provider: str | None) -> None:
    """Sections 1.1 and 1.2: the provider and the model."""
    who = provider or card.producer
    if who:
        contact = f" ({card.contact})" if card.contact else ""
        v["1.1.provider"] = _ok(who + contact, "the model card" if not provider else "the caller")
    else:
        v["1.1.provider"] = _ask("Who is the provider, and how can they be contacted?")
    v["1.1.representative"] = _ask(
        "Is the provider established outside the Union? If so, name the authorised representative."
    )
    v["1.2.model"] = _ok(card.name + (f" {card.version}" if card.version else ""), "the model card")
    v["1.2.dependencies"] = _listed(
        card.base_models,
        ", ",
        "the model card (base models)",
        "Does this model modify or fine-tune another general-purpose AI model?",
    )
    hint = f" The card gives the release date {card.release_date}." if card.release_date else ""
    v["1.2.market_date"] = _ask(
        "When was (or will) the model be placed on the Union market?" + hint
    )


def _overview(
    v: dict[str, Filled],
    card: ModelCard,
    entries: Sequence[tuple[DatasetManifest, DatasetEntry]],
) -> None:
    """Section 1.3: modalities, size, content types, cut-off and languages of the data."""
    mods = sorted(
        {m for _, e in entries for m in e.modalities}
        | ({card.modality} if card.modality else set())
    )
    v["1.3.modalities"] = _listed(
        mods,
        ", ",
        "the dataset manifests and the card",
        "Which modalities (text, image, audio, video, other) does the training data hold?",
    )
    size = _size(entries)
    if size:
        v["1.3.size"] = _ok(size, "the dataset manifests")
    else:
        v["1.3.size"] = _ask(
            "How large is the training data per modality (in the template's size bands)?"
        )
    v["1.3.content_types"] = _listed(
        [f"{e.name}: {e.description}" for _, e in entries if e.description],
        "; ",
        "the dataset descriptions",
        "What types of content does the training data hold?",
    )
    ends = [
        e.collection_period.end
        for _, e in entries
        if e.collection_period and e.collection_period.end
    ]
    if ends:
        v["1.3.cutoff"] = _ok(max(ends), "the latest end of the datasets' collection periods")
    else:
        v["1.3.cutoff"] = _ask("What is the latest date of data acquisition or collection?")
    langs = sorted({lang for _, e in entries for lang in e.languages} | set(card.languages))
    v["1.3.languages"] = _listed(
        langs,
        ", ",
        "the dataset manifests and the card",
        "Which languages does the training data cover?",
    )


_CATEGORIES = (
    ("2.1.datasets", "public-dataset", "publicly available datasets"),
    ("2.2.datasets", "licensed", "private datasets from third parties"),
    ("2.4.sources", "user-data", "user data"),
    ("2.5.sources", "synthetic", "synthetic data"),
    ("2.6.sources", "other", "other data sources"),
)


def _sources(
    v: dict[str, Filled],
    card: ModelCard,
    entries: Sequence[tuple[DatasetManifest, DatasetEntry]],
    complete: bool,
) -> None:
    """Section 2: the datasets of each source category, crawled data apart."""
    unplaced = card_only_datasets(card, [e for _, e in entries])
    declared_none = complete and not unplaced
    for key, kind, label in _CATEGORIES:
        found = [e for _, e in entries if e.source_kind == kind]
        if found:
            v[key] = _ok("; ".join(_source_item(e) for e in found), "the dataset manifests")
        elif declared_none:
            v[key] = _ok("none", "the dataset manifests, declared complete")
        else:
            extra = (
                f" The card also names {', '.join(unplaced)} without a manifest."
                if unplaced and kind == "public-dataset"
                else ""
            )
            v[key] = _ask(f"Were any {label} used? The manifests list none.{extra}")
    crawled = [e for _, e in entries if e.source_kind == "web-crawl"]
    if crawled:
        _crawled(v, crawled)
    else:
        _not_crawled(v, declared_none)


def _source_item(e: DatasetEntry) -> str:
    if e.source_kind == "synthetic":
        return _describe(e) + f", generated by {e.synthetic_generator or 'a generator not stated'}"
    return _describe(e)


def _crawled(v: dict[str, Filled], crawled: Sequence[DatasetEntry]) -> None:
    """Section 2.3 when the manifests list crawled data."""
    v["2.3.crawlers"] = _ask(
        "Which crawler(s) collected "
        + ", ".join(e.name for e in crawled)
        + ", for what purpose, and how did they behave (robots.txt, paywalls, logins)?"
    )
    periods = [
        f"{e.name}: {e.collection_period.start or '?'} to {e.collection_period.end or '?'}"
        for e in crawled
        if e.collection_period is not None
    ]
    v["2.3.period"] = (
        _ok("; ".join(periods), "the dataset manifests")
        if periods
        else _ask("When was the crawled data collected?")
    )
    v["2.3.content"] = _ok("; ".join(_describe(e) for e in crawled), "the dataset manifests")
    v["2.3.domains"] = _ask(
        "Which are the most relevant domain names (top 10% by size)? The manifests do not record domains."
    )


def _not_crawled(v: dict[str, Filled], declared_none: bool) -> None:
    """Section 2.3 when the manifests list no crawled data."""
    msg = "Was any data crawled or scraped from online sources? The manifests list none."
    for k in ("crawlers", "period", "content", "domains"):
        v[f"2.3.{k}"] = (
            _ok("not applicable: no crawled data", "the dataset manifests, declared complete")
            if declared_none
            else _ask(msg)
        )


def _processing(
    v: dict[str, Filled], entries: Sequence[tuple[DatasetManifest, DatasetEntry]]
) -> None:
    stated = []
    unknown = []
    for _, e in entries:
        if e.tdm_optout_honored is None:
            unknown.append(e.name)
        else:
            note = f" ({e.tdm_optout_notes})" if e.tdm_optout_notes else ""
            stated.append(
                f"{e.name}: opt-outs {'honored' if e.tdm_optout_honored else 'NOT honored'}{note}"
            )
    if stated and not unknown:
        v["3.1.measures"] = _ok("; ".join(stated), "the dataset manifests (tdm_optout_honored)")
    else:
        known = f" Stated so far: {'; '.join(stated)}." if stated else ""
        names = ", ".join(unknown) or "the training data"
        v["3.1.measures"] = _ask(
            f"How were machine-readable reservations of rights (Art. 4(3) DSM Directive) identified and respected for {names}?{known}"
        )
    filters = [f"{e.name}: {f}" for _, e in entries for f in e.filtering]
    recorded = f" Filtering steps recorded: {'; '.join(filters)}." if filters else ""
    v["3.2.measures"] = _ask(
        f"Which measures avoided or removed illegal content (e.g. CSAM)?{recorded}"
    )
    other = []
    for _, e in entries:
        steps = list(e.preprocessing)
        pii = pii_sentence(e)
        if pii:
            steps.append(pii)
        if steps:
            other.append(f"{e.name}: " + "; ".join(steps))
    if other:
        v["3.3.other"] = _ok(" | ".join(other), "the dataset manifests (preprocessing, PII scans)")
    else:
        v["3.3.other"] = _ask(
            "Is there other relevant processing of the training data to report (optional)?"
        )
