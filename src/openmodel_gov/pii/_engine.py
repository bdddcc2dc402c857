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
from openmodel_gov.pii._config import PiiConfig
from openmodel_gov.pii._facts import PiiFacts, load_facts
from openmodel_gov.pii._results import PiiFinding

__all__ = [
    "OVERLAP",
    "WINDOW",
    "NoNerModelWarning",
    "PiiDetector",
    "PresidioDetector",
    "get_detector",
    "resolve_model",
    "resolve_overlaps",
    "windows",
]

_NAME_PARTICLES = frozenset(
    (
        "de",
        "la",
        "le",
        "del",
        "della",
        "di",
        "da",
        "do",
        "dos",
        "das",
        "du",
        "van",
        "von",
        "der",
        "den",
        "ten",
        "ter",
        "bin",
        "ibn",
        "al",
        "el",
        "y",
        "e",
    )
)
_NER_TYPES = ("PERSON", "LOCATION", "ORGANIZATION", "NRP", "DATE_TIME")
_REPLACED = ("EmailRecognizer", "PhoneRecognizer", "CreditCardRecognizer", "IpRecognizer")


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
    return _load(spacy, target, label), label


def _load(spacy: Any, what: str | Path, label: str) -> Any:
    try:
        nlp = spacy.load(what)
    except (OSError, ValueError, KeyError) as exc:
        raise ConfigError(
            f"cannot load spaCy pipeline {label!r}: {exc}",
            source="PiiConfig",
            field="$.model",
            hint="check that the package or directory is a spaCy v3 pipeline",
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
        registry = analyzer_mod.RecognizerRegistry(supported_languages=[lang])
        registry.load_predefined_recognizers(languages=[lang], nlp_engine=self._engine)
        registry.recognizers = [r for r in registry.recognizers if r.name not in _REPLACED]
        registry.add_recognizer(
            rec.OfflineEmailRecognizer(supported_language=lang, facts=self._facts)
        )
        for cls in (rec.CardRecognizer, rec.StrictPhoneRecognizer, rec.StrictIpRecognizer):
            registry.add_recognizer(cls(facts=self._facts, supported_language=lang))
        from openmodel_gov.pii._ids import country_recognizers

        for extra in country_recognizers(self.config.entities, facts=self._facts, language=lang):
            registry.add_recognizer(extra)
        # Ours run outside the analyzer: Presidio drops a result contained in a wider one of the
        # same type, so a clean "ROBERT FISCHER" would vanish inside a run-on NER span.
        self._direct = _extra_recognizers(
            self.config.entities, self._facts, lang, nlp=self._nlp if self._model else None
        )
        for entity_type, values in self.config.deny_list.items():
            registry.add_recognizer(
                rec.pattern_recognizer(
                    entity_type=entity_type,
                    name=f"DenyList[{entity_type}]",
                    language=lang,
                    patterns=[],
                    deny_list=list(values),
                    context=[],
                )
            )
        for custom in self.config.custom_recognizers:
            registry.add_recognizer(
                rec.pattern_recognizer(
                    entity_type=custom.entity_type,
                    name=custom.name,
                    language=lang,
                    patterns=[(p.name, p.regex, p.score) for p in custom.patterns],
                    deny_list=list(custom.deny_list),
                    context=list(custom.context),
                )
            )
        self._analyzer = analyzer_mod.AnalyzerEngine(
            registry=registry,
            nlp_engine=self._engine,
            supported_languages=[lang],
            default_score_threshold=0.0,
        )
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
        self._entities = list(self.config.entities)
        analyzer_side = set(self._analyzer.get_supported_entities(language=lang))
        self._analyzer_entities = [e for e in self._entities if e in analyzer_side]
        self._allow = frozenset(self.config.allow_list)
        self._allow_rx = [re.compile(p) for p in self.config.allow_patterns]
        self._reject = frozenset(self._facts.ner_reject_chars)
        self._not_words = {
            "PERSON": frozenset(self._facts.not_person_words),
            "LOCATION": frozenset(self._facts.not_location_words),
        }
        self._orgs = frozenset(o.casefold() for o in self._facts.known_organisations)
        self._needs_context = {
            entity: re.compile(
                r"(?<!\w)(?:" + "|".join(map(re.escape, words)) + r")(?!\w)", re.IGNORECASE
            )
            for entity, words in self._facts.context_required.items()
        }
        self._split = re.compile("|".join(re.escape(s) for s in self._facts.ner_split))
        self._lead = re.compile(
            r"^(?:(?:"
            + "|".join(map(re.escape, self._facts.ner_strip_leading_words))
            + r")\b\W*)+",
            re.IGNORECASE,
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
            for f in self._detect_batch([text[start:end]])[0]:
                found.append(
                    PiiFinding(f.entity_type, f.start + start, f.end + start, f.score, f.recognizer)
                )
        unique = list({(f.entity_type, f.start, f.end): f for f in found}.values())
        return resolve_overlaps(unique, facts=self._facts)

    def _detect_batch(self, texts: Sequence[str]) -> list[list[PiiFinding]]:
        out: list[list[PiiFinding]] = []
        lang = self.config.language
        docs = self._nlp.pipe(texts, batch_size=self.config.batch_size)
        for text, doc in zip(texts, docs, strict=True):
            if not text.strip():
                out.append([])
                continue
            artifacts = self._engine.doc_to_artifacts(doc, lang)
            raw = (
                self._analyzer.analyze(
                    text=text,
                    language=lang,
                    entities=self._analyzer_entities,
                    nlp_artifacts=artifacts,
                    score_threshold=0.0,
                )
                if self._analyzer_entities
                else []
            )
            for recognizer in self._direct:
                raw.extend(recognizer.analyze(text, self._entities))
            out.append(self._postprocess(text, raw))
        return out

    def _threshold(self, entity_type: str) -> float:
        cfg = self.config
        if entity_type in cfg.thresholds:
            return cfg.thresholds[entity_type]
        if cfg.default_threshold is not None:
            return cfg.default_threshold
        return self._facts.thresholds.get(entity_type, self._facts.default_threshold)

    def _clean_ner(
        self, text: str, start: int, end: int, entity_type: str
    ) -> tuple[int, int] | None:
        """Trim an NER span to its longest separator-free piece; ``None`` if it is not a name."""
        pieces: list[tuple[int, int]] = []
        cursor = start
        for sep in self._split.finditer(text, start, end):
            pieces.append((cursor, sep.start()))
            cursor = sep.end()
        pieces.append((cursor, end))
        s, e = max(pieces, key=lambda p: (p[1] - p[0], -p[0]))
        lead = self._lead.match(text, s, e)
        if lead:
            s = lead.end()
        while s < e and not text[s].isalnum():
            s += 1
        while e > s and not (text[e - 1].isalnum() or text[e - 1] == "."):
            e -= 1
        value = text[s:e]
        if not value or self._reject.intersection(value):
            return None
        if value.lower() in self._not_words.get(entity_type, ()) or value.casefold() in self._orgs:
            return None
        if not self._in_lists(value, entity_type):
            return None
        if entity_type in self._facts.ner_require_capitalized and (
            not value[0].isupper() or not any(c.islower() for c in value)
        ):
            return None
        return s, e

    def _in_lists(self, value: str, entity_type: str) -> bool:
        """Whether a spaCy PERSON / LOCATION span has support in the shipped name / place lists.

        spaCy's small English model labels form words in other languages (``Anschrift``,
        ``Pozdrawiam``) and technical terms (``MinHash``) as names: a PERSON span needs at least
        one known first name or surname, a one-word LOCATION a known place.
        """
        from openmodel_gov.pii._facts import load_wordlist

        raw = re.findall(r"[^\W\d_]+", value)
        words = [w.casefold() for w in raw]
        if entity_type == "PERSON":
            first, last = load_wordlist("first_names"), load_wordlist("last_names")
            particles = _NAME_PARTICLES
            if any(w.islower() and w not in particles for w in raw) and not value.islower():
                return False  # "Fecha de nacimiento": a phrase, not a name
            return any((w in first or w in last) and w not in particles for w in words)
        if entity_type == "LOCATION" and len(words) == 1:
            return words[0] in load_wordlist("places") or value.isupper()
        return True

    def _postprocess(self, text: str, raw: Sequence[Any]) -> list[PiiFinding]:
        kept: list[PiiFinding] = []
        for r in raw:
            if r.score < self._threshold(r.entity_type) or r.end <= r.start:
                continue
            start, end = r.start, r.end
            meta = r.recognition_metadata or {}
            if r.entity_type in _NER_TYPES and meta.get("recognizer_name") == "SpacyRecognizer":
                cleaned = self._clean_ner(text, start, end, r.entity_type)
                if cleaned is None:
                    continue
                start, end = cleaned
            value = text[start:end]
            if value in self._allow or any(rx.fullmatch(value) for rx in self._allow_rx):
                continue
            cue = self._needs_context.get(r.entity_type)
            if cue is not None and not _has_cue(cue, text, start):
                continue
            kept.append(
                PiiFinding(
                    r.entity_type,
                    start,
                    end,
                    float(r.score),
                    str(meta.get("recognizer_name", "")),
                )
            )
        return merge_adjacent(text, resolve_overlaps(kept, facts=self._facts), "LOCATION")


def _has_cue(cue: re.Pattern[str], text: str, start: int) -> bool:
    """True when ``cue`` occurs on the line of ``start`` or on the first (header) line."""
    line_start = text.rfind("\n", 0, start) + 1
    line_end = text.find("\n", start)
    line_end = len(text) if line_end < 0 else line_end
    header_end = text.find("\n")
    header_end = len(text) if header_end < 0 else header_end
    return bool(cue.search(text, line_start, line_end) or cue.search(text, 0, header_end))


#: Longest text scanned in one piece; longer ones go in windows of this size.
WINDOW = 100_000
#: Characters shared by consecutive windows (a finding across a cut is seen whole in one).
OVERLAP = 1_000


def windows(text: str, size: int, overlap: int) -> list[tuple[int, int]]:
    """``(start, end)`` windows of at most ``size`` characters covering ``text``, consecutive
    ones sharing at least ``overlap`` characters, cut after whitespace where there is some.

    >>> windows("aa bb cc dd", 6, 2)
    [(0, 6), (3, 9), (6, 11)]
    """
    if size <= overlap:
        raise ValueError("size must exceed overlap")
    out: list[tuple[int, int]] = []
    start = 0
    while True:
        end = min(len(text), start + size)
        if end < len(text):
            cut = max(
                text.rfind(" ", start + overlap + 1, end),
                text.rfind("\n", start + overlap + 1, end),
            )
            if cut > start + overlap:
                end = cut + 1
        out.append((start, end))
        if end >= len(text):
            return out
        nxt = end - overlap
        space = text.rfind(" ", start + 1, nxt)
        start = space + 1 if space > start else nxt


def merge_adjacent(text: str, findings: list[PiiFinding], entity_type: str) -> list[PiiFinding]:
    """Join findings of ``entity_type`` separated only by spaces or ``", "`` on one line.

    >>> t = "Calle Mayor 12, 28013 Madrid"
    >>> found = [PiiFinding("LOCATION", 0, 14, 0.7), PiiFinding("LOCATION", 22, 28, 0.85)]
    >>> [(f.start, f.end) for f in merge_adjacent(t, found, "LOCATION")]
    [(0, 14), (22, 28)]
    >>> found = [PiiFinding("LOCATION", 0, 21, 0.7), PiiFinding("LOCATION", 22, 28, 0.85)]
    >>> [(f.start, f.end) for f in merge_adjacent(t, found, "LOCATION")]
    [(0, 28)]
    """
    out: list[PiiFinding] = []
    for f in findings:
        prev = out[-1] if out else None
        if (
            prev is not None
            and prev.entity_type == f.entity_type == entity_type
            and re.fullmatch(r", ?| {1,2}", text[prev.end : f.start])
        ):
            out[-1] = PiiFinding(
                entity_type, prev.start, f.end, max(prev.score, f.score), prev.recognizer
            )
        else:
            out.append(f)
    return out


def _extra_recognizers(
    entities: tuple[str, ...], facts: PiiFacts, lang: str, *, nlp: Any
) -> list[Any]:
    """The opt-in recognizers of ours for ``entities``: secrets, dates of birth, addresses, names."""
    out: list[Any] = []
    if "SECRET" in entities:
        from openmodel_gov.pii._secrets import SecretRecognizer

        out.append(SecretRecognizer(facts=facts, supported_language=lang))
    if "DATE_OF_BIRTH" in entities:
        from openmodel_gov.pii._dates import DateOfBirthRecognizer

        out.append(DateOfBirthRecognizer(facts=facts, supported_language=lang))
    if nlp is None:
        return out  # no pipeline: pattern types only, as NoNerModelWarning says
    if "LOCATION" in entities:
        from openmodel_gov.pii._address import AddressRecognizer
        from openmodel_gov.pii._names import PlaceRecognizer

        out.append(AddressRecognizer(facts=facts, supported_language=lang))
        out.append(PlaceRecognizer(facts=facts, supported_language=lang))
    if "PERSON" in entities:
        from openmodel_gov.pii._names import NameRecognizer

        out.append(NameRecognizer(facts=facts, supported_language=lang, nlp=nlp))
    return out


def resolve_overlaps(
    findings: Sequence[PiiFinding], *, facts: PiiFacts | None = None
) -> list[PiiFinding]:
    """Keep an overlap-free subset: higher precedence, then score, then length wins.

    >>> ip = PiiFinding("IP_ADDRESS", 3, 14, 0.6)
    >>> date = PiiFinding("DATE_TIME", 3, 10, 0.85)
    >>> [f.entity_type for f in resolve_overlaps([date, ip])]
    ['IP_ADDRESS']
    """
    facts = facts or load_facts()
    order = sorted(
        findings,
        key=lambda f: (
            -facts.rank_of(f.entity_type, f.recognizer.split("[", 1)[0]),
            -f.score,
            -(f.end - f.start),
            f.start,
        ),
    )
    chosen: list[PiiFinding] = []
    for f in order:
        if all(f.end <= c.start or f.start >= c.end for c in chosen):
            chosen.append(f)
    return sorted(chosen, key=lambda f: (f.start, f.end))


_CACHE: dict[str, PresidioDetector] = {}
_LOCK = threading.Lock()


def get_detector(config: PiiConfig | None) -> PresidioDetector:
    """The detector for ``config``, built once per process and reused (pipelines are costly)."""
    cfg = config if config is not None else PiiConfig()
    key = cfg.fingerprint()
    with _LOCK:
        detector = _CACHE.get(key)
        if detector is None:
            detector = _CACHE[key] = PresidioDetector(cfg)
        return detector
