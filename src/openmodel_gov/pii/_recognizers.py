"""Presidio recognizers of ours that close known gaps, and an NLP engine around a loaded pipeline.

Phone numbers have their own module, :mod:`openmodel_gov.pii._phone`. Imported only lazily,
when a detector is built (inside the functions of :mod:`openmodel_gov.pii._engine` that build
one), because it imports Presidio, spaCy and tldextract at module level: no module imports it at module level (the
architecture test checks this). ``luhn_ok`` lives in :mod:`openmodel_gov.pii._checksums`
and is re-exported here.
"""

from __future__ import annotations

from typing import Any

import tldextract
from presidio_analyzer import EntityRecognizer, Pattern, PatternRecognizer, RecognizerResult
from presidio_analyzer.nlp_engine import NerModelConfiguration, NlpArtifacts, SpacyNlpEngine
from presidio_analyzer.predefined_recognizers import EmailRecognizer

from openmodel_gov.pii._checksums import luhn_ok
from openmodel_gov.pii._facts import PiiFacts

__all__ = [
    "LoadedSpacyNlpEngine",
    "OfflineEmailRecognizer",
    "luhn_ok",
]


class LoadedSpacyNlpEngine(SpacyNlpEngine):
    """Presidio's spaCy engine around an already-loaded ``Language``: never loads, never downloads.

    Lemmas fall back to the lower-cased token when the lemmatizer is disabled, so Presidio's
    context words still match.
    """

    def __init__(self, nlp: Any, language: str) -> None:
        super().__init__(
            models=[{"lang_code": language, "model_name": "<preloaded>"}],
            ner_model_configuration=NerModelConfiguration(),
        )
        self.nlp = {language: nlp}  # type: ignore[assignment]  # Presidio types it None

    def load(self) -> None:
        """Nothing to load: the pipeline was given to the constructor."""

    def doc_to_artifacts(self, doc: Any, language: str) -> NlpArtifacts:
        """Presidio artifacts for an already-processed spaCy ``Doc``."""
        return self._doc_to_nlp_artifact(doc, language)

    def _doc_to_nlp_artifact(self, doc: Any, language: str) -> NlpArtifacts:
        entities, scores = self._get_updated_entities(
            self._get_entities(doc), self._get_scores_for_entities(doc)
        )
        strings = doc.vocab.strings
        # Arrays instead of one Token object per token (the same values, read in bulk).
        indices = [int(i) for i in doc.to_array("IDX")]
        if doc.has_annotation("LEMMA"):
            lemmas = [t.lemma_ or t.lower_ for t in doc]
        else:
            lemmas = [strings[int(h)] for h in doc.to_array("LOWER")]
        return NlpArtifacts(
            entities=entities,
            tokens=doc,
            tokens_indices=indices,
            lemmas=lemmas,
            nlp_engine=self,
            language=language,
            scores=scores,
        )


class OfflineEmailRecognizer(EmailRecognizer):
    """Presidio's email recognizer with ``tldextract`` on its bundled suffix list (no PSL fetch).

    Addresses under private-use suffixes (``ops@build.internal``) are mailboxes too; SSH
    remotes in git's scp-like syntax (``git@github.com:org/repo.git``) are not.
    """

    def __init__(self, *, supported_language: str, facts: PiiFacts | None = None) -> None:
        super().__init__(supported_language=supported_language)
        self._extract = tldextract.TLDExtract(
            cache_dir=None, suffix_list_urls=(), fallback_to_snapshot=True
        )
        self._internal = tuple("." + s for s in (facts.internal_email_suffixes if facts else ()))
        self._not_mailbox = frozenset(facts.email_not_mailbox_locals if facts else ())

    def analyze(
        self,
        text: str,
        entities: list[str],
        nlp_artifacts: NlpArtifacts | None = None,
        regex_flags: int | None = None,
    ) -> list[RecognizerResult]:
        """Presidio's matches, minus a ``key=`` / ``key:`` prefix glued to the address."""
        found = super().analyze(text, entities, nlp_artifacts, regex_flags)
        kept = []
        for result in found:
            local = text[result.start : result.end].split("@", 1)[0]
            cut = max(local.rfind("="), local.rfind(":"))
            if 0 <= cut < len(local) - 1:
                result.start += cut + 1
                local = local[cut + 1 :]
            remote = text[result.end : result.end + 1] == ":" and (
                text[result.end + 1 : result.end + 2] not in ("", " ", "\n")
                or local.lower() in self._not_mailbox
            )
            if remote or local.lower() in self._not_mailbox:
                continue
            if result.start and text[result.start - 1] == "@":
                continue  # "@pixelkat@fosstodon.org": a fediverse handle (WebFinger), a username
            kept.append(result)
        return kept

    def validate_result(self, pattern_text: str) -> bool:
        """True when the domain ends in a known public suffix or a private-use one."""
        domain = pattern_text.rsplit("@", 1)[-1].lower()
        return domain.endswith(self._internal) or bool(self._extract(domain).fqdn)


def pattern_recognizer(
    *,
    entity_type: str,
    name: str,
    language: str,
    patterns: list[tuple[str, str, float]],
    deny_list: list[str],
    context: list[str],
) -> EntityRecognizer:
    """A Presidio ``PatternRecognizer`` from plain values (custom recognizers, deny lists)."""
    options: dict[str, Any] = {}
    if patterns:
        options["patterns"] = [Pattern(n, r, s) for n, r, s in patterns]
    if deny_list:
        options["deny_list"] = deny_list
    if context:
        options["context"] = context
    return PatternRecognizer(
        supported_entity=entity_type, name=name, supported_language=language, **options
    )
