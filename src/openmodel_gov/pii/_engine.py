"""The Presidio-backed detector: one spaCy pipeline (NER only), our recognizers, our precedence."""

from __future__ import annotations

import re
import threading
import warnings
from collections.abc import Sequence
from pathlib import Path
from typing import Any, Protocol, runtime_checkable

from openmodel_gov._core._deps import require
from openmodel_gov.errors import ConfigError
from openmodel_gov.pii._code import CodeText, is_code
from openmodel_gov.pii._config import PiiConfig
from openmodel_gov.pii._context import has_cue, words_pattern
from openmodel_gov.pii._facts import PiiFacts, load_facts, load_wordlist
from openmodel_gov.pii._id_filter import IdFilter
from openmodel_gov.pii._lexicon import english_words
from openmodel_gov.pii._lonely import (
    LonelyNameFilter,
    LonelyPhoneFilter,
    drop_assistants,
    drop_template_slots,
)
from openmodel_gov.pii._mailbox_names import MailboxNames
from openmodel_gov.pii._ner import NerSpanCleaner
from openmodel_gov.pii._orgs import OrgMask
from openmodel_gov.pii._propagate import NamePropagator
from openmodel_gov.pii._registry import configured_recognizers, extra_recognizers, registry_for
from openmodel_gov.pii._results import PiiFinding
from openmodel_gov.pii._spans import (
    OVERLAP,
    WINDOW,
    drop_inside_international,
    extend_particle_surnames,
    id_cues,
    merge_adjacent,
    prefer_cued_ids,
    prefer_cued_readings,
    resolve_overlaps,
    windows,
)
from openmodel_gov.pii._vouched import VouchedFirstNames
from openmodel_gov.pii._works import WorkFilter

__all__ = [
    "OVERLAP",
    "WINDOW",
    "NoNerModelWarning",
    "PiiDetector",
    "PresidioDetector",
    "cached_detector",
    "get_detector",
    "merge_adjacent",
    "resolve_model",
    "resolve_overlaps",
    "windows",
]

_NER_TYPES = ("PERSON", "LOCATION", "ORGANIZATION", "NRP", "DATE_TIME")


class NoNerModelWarning(UserWarning):
    """No spaCy pipeline is installed: names and locations are NOT detected."""


@runtime_checkable
class PiiDetector(Protocol):
    """What scanning needs from a detector (a Presidio one, or a test double)."""

    @property
    def entities(self) -> tuple[str, ...]:
        """Entity types this detector reports."""
        ...

    @property
    def model_name(self) -> str | None:
        """The spaCy pipeline in use, or ``None`` for pattern recognizers only."""
        ...

    def detect(self, texts: Sequence[str]) -> list[list[PiiFinding]]:
        """Findings for each text, in order, overlap-free and sorted by start."""
        ...


def checked_entities(config: PiiConfig, *, facts: PiiFacts | None = None) -> tuple[str, ...]:
    """The entity types a scan with ``config`` looks for: its ``entities``, plus the types that
    code fields add (``SECRET``) when ``code`` or ``code_fields`` is set.

    >>> from openmodel_gov.pii import PiiConfig
    >>> checked_entities(PiiConfig(model="blank", entities=["EMAIL_ADDRESS"], code=True))
    ('EMAIL_ADDRESS', 'SECRET')
    """
    if not (config.code or config.code_fields):
        return tuple(config.entities)
    added = (facts or load_facts()).code_rules.add_entities
    return tuple(dict.fromkeys((*config.entities, *added)))


def resolve_model(config: PiiConfig, *, facts: PiiFacts | None = None) -> str | Path | None:
    """The spaCy pipeline ``config`` asks for, without loading it (``None``: blank pipeline).

    Warns :class:`NoNerModelWarning` when no pipeline is configured and none is installed.

    Raises:
        ConfigError: the configured pipeline is neither an installed package nor a directory.
    """
    facts = facts or load_facts()
    spacy = require("spacy", extra="pii", feature="PII detection")
    name = config.model
    if name == "blank":
        return None
    if name is not None:
        if Path(name).is_dir():
            return Path(name)
        if not spacy.util.is_package(name):
            raise ConfigError(
                f"spaCy pipeline {name!r} is not installed and is not a directory",
                source="PiiConfig",
                field="$.model",
                hint="install it first (see docs/pii.md: pip install <wheel of the model>); "
                "nothing is downloaded at run time",
            )
        return name
    for candidate in facts.model_candidates.get(config.language, ()):
        if spacy.util.is_package(candidate):
            return candidate
    warnings.warn(
        f"no spaCy pipeline for language {config.language!r} is installed: PERSON, LOCATION and "
        "other names are NOT detected, only pattern types (email, phone, card, IBAN, IP, SSN). "
        "Install an official pipeline (docs/pii.md) or pass PiiConfig(model='blank') to "
        "silence this.",
        NoNerModelWarning,
        stacklevel=3,
    )
    return None


def _spacy_pipeline(config: PiiConfig, facts: PiiFacts) -> tuple[Any, str | None]:
    spacy = require("spacy", extra="pii", feature="PII detection")
    target = resolve_model(config, facts=facts)
    if target is None:
        return spacy.blank(config.language), None
    label = target.name if isinstance(target, Path) else target
    if isinstance(target, Path):
        from openmodel_gov.pii._model_ner import model_pipeline

        nlp = model_pipeline(
            spacy,
            target,
            language=config.language,
            device=config.device,
            batch_size=config.batch_size,
        )
        if nlp is not None:  # a transformer NER model directory, not a spaCy pipeline
            return nlp, label
    return _load(spacy, target, label), label


def _load(spacy: Any, what: str | Path, label: str) -> Any:
    try:
        nlp = spacy.load(what)
    except (OSError, ValueError, KeyError) as exc:
        raise ConfigError(
            f"cannot load spaCy pipeline {label!r}: {exc}",
            source="PiiConfig",
            field="$.model",
            hint="check that the package or directory is a spaCy v3 pipeline (config.cfg), or a "
            "Hugging Face token-classification model directory (config.json)",
        ) from None
    keep = {"ner", "entity_ruler", "span_ruler"}
    for comp_name, component in nlp.pipeline:
        if "ner" in getattr(component, "listening_components", ()):
            keep.add(comp_name)
    nlp.select_pipes(enable=[n for n in nlp.pipe_names if n in keep])
    return nlp


class PresidioDetector:
    """Presidio ``AnalyzerEngine`` around one NER-only spaCy pipeline, plus our recognizers.

    Texts go through ``nlp.pipe`` in batches; the pattern recognizers reuse the same tokens
    (no second spaCy pass); overlaps resolve by the shipped precedence (validated structured
    types beat weaker labels). Build it once and reuse it: loading a pipeline takes seconds.

    Args:
        config: detection options (``None``: defaults).
        facts: the recognizer facts (``None``: the shipped ``recognizers.yaml``); a seam for
            tests and for callers with their own pipeline candidates or precedence.

    Raises:
        ConfigError: unknown entity types, or a pipeline that is missing or broken.
        MissingDependencyError: the ``[pii]`` extra is not installed.
    """

    def __init__(self, config: PiiConfig | None = None, *, facts: PiiFacts | None = None) -> None:
        self.config = config if config is not None else PiiConfig()
        self._facts = facts if facts is not None else load_facts()
        analyzer_mod = require("presidio_analyzer", extra="pii", feature="PII detection")
        from openmodel_gov.pii import _recognizers as rec

        lang = self.config.language
        self._nlp, self._model = _spacy_pipeline(self.config, self._facts)
        self._engine = rec.LoadedSpacyNlpEngine(self._nlp, lang)
        registry = registry_for(analyzer_mod, self._engine, self.config, self._facts)
        # Ours run outside the analyzer: Presidio drops a result contained in a wider one of the
        # same type, so a clean "ROBERT FISCHER" would vanish inside a run-on NER span.
        self._code_on = bool(self.config.code or self.config.code_fields)
        self._code_entities = checked_entities(self.config, facts=self._facts)
        self._direct = extra_recognizers(
            self._code_entities, self._facts, lang, nlp=self._nlp if self._model else None
        )
        from openmodel_gov.pii._names import NameRecognizer

        first_names = [r.lone_first_name for r in self._direct if isinstance(r, NameRecognizer)]
        self._vouched = VouchedFirstNames(self._facts, first_names[0]) if first_names else None
        self._mailbox = MailboxNames(
            _listed_name, english_words(self._nlp if self._model else None)
        )
        for recognizer in configured_recognizers(self.config):
            registry.add_recognizer(recognizer)
        from openmodel_gov.pii._model_ner import model_recognizers

        for recognizer in model_recognizers(self._nlp, lang):  # PiiConfig(model=<model dir>)
            registry.add_recognizer(recognizer)
        from openmodel_gov.pii._speed import FastContextEnhancer

        self._analyzer = analyzer_mod.AnalyzerEngine(
            registry=registry,
            nlp_engine=self._engine,
            supported_languages=[lang],
            default_score_threshold=0.0,
            context_aware_enhancer=FastContextEnhancer(),
        )
        self._check_supported(lang)
        self._entities = list(self.config.entities)
        analyzer_side = set(self._analyzer.get_supported_entities(language=lang))
        self._analyzer_entities = [e for e in self._entities if e in analyzer_side]
        self._allow = frozenset(self.config.allow_list)
        self._allow_rx = [re.compile(p) for p in self.config.allow_patterns]
        self._ner = NerSpanCleaner(self._facts, nlp=self._nlp if self._model else None)
        self._org_mask = OrgMask(self._facts, nlp=self._nlp if self._model else None)
        self._works = WorkFilter(self._facts)
        self._lonely = LonelyNameFilter(self._facts)
        from openmodel_gov.pii._phone_format import NationalGrouping

        self._lonely_phones = LonelyPhoneFilter(
            self._facts,
            national_grouping=NationalGrouping(
                (*self._facts.phone_regions, *self._facts.phone_grouping_regions)
            ),
        )
        self._propagate = NamePropagator(
            self._facts, english=english_words(self._nlp if self._model else None)
        )
        self._months = frozenset(m.casefold() for m in self._facts.month_names)
        self._init_id_filters(registry)

    def _init_id_filters(self, registry: Any) -> None:
        """The cues that tell one identifier's reading from another's, and the filter that
        tells a national ID reading from a register's or a supplier's number."""
        self._needs_context = _context_cues(self._facts)
        self._id_cues = id_cues(registry.recognizers)
        if "PHONE_NUMBER" in self._entities:  # "Tel. 011 555 4092" also passes the NHS check
            self._id_cues["PHONE_NUMBER"] = words_pattern(self._facts.phone_context)
        self._id_filter = IdFilter(self._facts, self._id_cues)

    def _prefer_cued_readings(self, text: str, kept: list[PiiFinding]) -> list[PiiFinding]:
        return prefer_cued_readings(text, kept, self._id_cues)

    def _check_supported(self, lang: str) -> None:
        """Raise :class:`ConfigError` for configured types no recognizer detects."""
        supported = set(self._analyzer.get_supported_entities(language=lang))
        supported.update(e for r in self._direct for e in r.supported_entities)
        unknown = [e for e in self.config.entities if e not in supported]
        if unknown:
            raise ConfigError(
                f"no recognizer detects {', '.join(unknown)} for language {lang!r}",
                source="PiiConfig",
                field="$.entities",
                hint="known types: " + ", ".join(sorted(supported)),
            )

    @property
    def entities(self) -> tuple[str, ...]:
        """Entity types this detector reports."""
        return tuple(self._entities)

    @property
    def model_name(self) -> str | None:
        """The spaCy pipeline in use (``None``: blank pipeline, pattern recognizers only)."""
        return self._model

    def __repr__(self) -> str:
        return f"PresidioDetector(model={self._model!r}, entities={self.entities!r})"

    def detect(self, texts: Sequence[str]) -> list[list[PiiFinding]]:
        """Findings per text: batched through ``nlp.pipe``, thresholded, overlap-free, sorted.

        Texts longer than :data:`WINDOW` characters (spaCy refuses texts over its
        ``max_length`` of 1,000,000, and memory grows with length) are scanned in overlapping
        windows cut at whitespace; findings are mapped back to offsets in the whole text.
        """
        if any(len(t) > WINDOW for t in texts):
            return [
                self._detect_long(t) if len(t) > WINDOW else self._detect_batch([t])[0]
                for t in texts
            ]
        return self._detect_batch(texts)

    def _detect_long(self, text: str) -> list[PiiFinding]:
        found: list[PiiFinding] = []
        for start, end in windows(text, WINDOW, OVERLAP):
            piece = CodeText(text[start:end]) if is_code(text) else text[start:end]
            for f in self._detect_batch([piece])[0]:
                found.append(
                    PiiFinding(f.entity_type, f.start + start, f.end + start, f.score, f.recognizer)
                )
        unique = list({(f.entity_type, f.start, f.end): f for f in found}.values())
        return resolve_overlaps(unique, facts=self._facts)

    def _detect_batch(self, texts: Sequence[str]) -> list[list[PiiFinding]]:
        from openmodel_gov.pii._speed import entities_for

        out: list[list[PiiFinding]] = []
        lang = self.config.language
        plain = (t if type(t) is str else str(t) for t in texts)  # spaCy takes exact str only
        docs = self._nlp.pipe(plain, batch_size=self.config.batch_size)
        min_digits = self._facts.entity_min_digits
        for text, doc in zip(texts, docs, strict=True):
            if not text.strip():
                out.append([])
                continue
            wanted = entities_for(text, self._analyzer_entities, min_digits)
            raw = (
                self._analyzer.analyze(
                    text=text,
                    language=lang,
                    entities=wanted,
                    nlp_artifacts=self._engine.doc_to_artifacts(doc, lang),
                    score_threshold=0.0,
                )
                if wanted
                else []
            )
            code = self.config.code or is_code(text)
            asked = list(self._code_entities) if code else self._entities
            for recognizer in self._direct:
                raw.extend(recognizer.analyze(text, asked))
            out.append(self._postprocess(text, raw, code=code))
        return out

    def _threshold(self, entity_type: str, *, code: bool = False) -> float:
        cfg = self.config
        if entity_type in cfg.thresholds:
            base = cfg.thresholds[entity_type]
        elif cfg.default_threshold is not None:
            base = cfg.default_threshold
        else:
            base = self._facts.thresholds.get(entity_type, self._facts.default_threshold)
        if code:
            return max(base, self._facts.code_rules.thresholds.get(entity_type, 0.0))
        return base

    def _accepted_span(self, text: str, r: Any, *, code: bool) -> tuple[int, int] | None:
        """The span of raw result ``r`` once cleaned, or None when it is dropped: below its
        threshold, of a type not asked for, from a recognizer dropped in code, not a name
        after NER cleaning, allow-listed, a month, inside a longer number, or without its
        required context word."""
        meta = r.recognition_metadata or {}
        dropped = self._facts.code_rules.drop_recognizers if code else ()
        wanted = self._code_entities if code else self._entities
        if (
            r.score < self._threshold(r.entity_type, code=code)
            or r.end <= r.start
            or r.entity_type not in wanted
            or meta.get("recognizer_name") in dropped
        ):
            return None
        start, end = r.start, r.end
        if r.entity_type in _NER_TYPES and meta.get("recognizer_name") == "SpacyRecognizer":
            cleaned = self._ner.clean(text, start, end, r.entity_type)
            if cleaned is None:
                return None
            start, end = cleaned
        value = text[start:end]
        if self._allowed(value):
            return None
        if r.entity_type == "PERSON" and value.casefold() in self._months:
            return None  # "4 juni", "Mai": a month is not a one-word name
        if self._id_filter.not_a_person_id(text, start, end, r.entity_type):
            return None
        cue = self._needs_context.get(r.entity_type)
        if cue is not None and not has_cue(cue, text, start):
            return None
        return start, end

    def _postprocess(self, text: str, raw: Sequence[Any], *, code: bool) -> list[PiiFinding]:
        kept: list[PiiFinding] = []
        for r in raw:
            span = self._accepted_span(text, r, code=code)
            if span is None:
                continue
            meta = r.recognition_metadata or {}
            kept.append(
                PiiFinding(
                    r.entity_type,
                    span[0],
                    span[1],
                    float(r.score),
                    str(meta.get("recognizer_name", "")),
                )
            )
        kept = prefer_cued_ids(drop_inside_international(text, kept))
        kept = extend_particle_surnames(text, kept, facts=self._facts)
        kept = self._org_mask.drop(text, self._prefer_cued_readings(text, kept))
        kept = self._lonely.drop(
            text, self._works.drop(text, kept), require_support=self.config.require_support
        )
        kept = drop_template_slots(text, drop_assistants(text, kept))
        kept = self._org_mask.drop(text, self._propagate.propagate(text, kept))
        kept = merge_adjacent(text, resolve_overlaps(kept, facts=self._facts), "LOCATION")
        if code:
            return kept
        if self._vouched is not None:
            vouched = self._vouched.add(text, kept)
            spelled = self._mailbox.add(text, vouched)
            if len(spelled) > len(vouched):  # "Acme Labs <acme.labs@…>" is still a firm
                spelled = self._org_mask.drop(text, spelled)
            kept = [
                f
                for f in spelled
                if f.recognizer not in _ADDED_NAMES or not self._allowed(text[f.start : f.end])
            ]
        return self._lonely_phones.drop(text, kept, require_support=self.config.require_support)

    def _allowed(self, value: str) -> bool:
        """``value`` is on the configured allow list or matches an allowed pattern."""
        return value in self._allow or any(rx.fullmatch(value) for rx in self._allow_rx)


# Names added after the recognizers, by the rest of the text: the allow list applies to them.
_ADDED_NAMES = frozenset({"VouchedFirstName", "MailboxName"})


def _listed_name(word: str) -> bool:
    """``word`` is on the first-name or surname list."""
    low = word.casefold()
    return low in load_wordlist("first_names") or low in load_wordlist("last_names")


def _context_cues(facts: PiiFacts) -> dict[str, re.Pattern[str]]:
    """Per entity type that needs one, a pattern of its context words (whole words, any case)."""
    return {entity: words_pattern(words) for entity, words in facts.context_required.items()}


_CACHE: dict[str, PresidioDetector] = {}
_LOCK = threading.Lock()


def cached_detector(config: PiiConfig) -> PresidioDetector | None:
    """The detector for ``config`` if this process has already built one, else ``None``."""
    with _LOCK:
        return _CACHE.get(config.fingerprint())


def get_detector(config: PiiConfig | None) -> PresidioDetector:
    """The detector for ``config``, built once per process and reused (pipelines are costly)."""
    cfg = config if config is not None else PiiConfig()
    key = cfg.fingerprint()
    with _LOCK:
        detector = _CACHE.get(key)
        if detector is None:
            detector = _CACHE[key] = PresidioDetector(cfg)
        return detector
