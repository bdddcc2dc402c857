"""Text-level API: ``scan_text``, ``redact_text``, ``scan_texts``."""

from __future__ import annotations

import warnings
from collections.abc import Iterable, Iterator

from openmodel_gov.errors import ConfigError, InputError
from openmodel_gov.pii._config import PiiConfig
from openmodel_gov.pii._engine import NoNerModelWarning, PiiDetector, get_detector, resolve_model
from openmodel_gov.pii._redact import apply_operators
from openmodel_gov.pii._results import PiiFinding, Redaction
from openmodel_gov.pii._workers import batched, map_chunks

__all__ = ["prepare_workers", "redact_text", "scan_text", "scan_texts"]


def _check_text(text: object, where: str) -> str:
    if not isinstance(text, str):
        raise InputError(
            f"expected text (str), got {type(text).__name__}",
            field=where,
            hint="decode bytes as UTF-8 first; skip None values",
        )
    return text


def _detector(config: PiiConfig | None, detector: PiiDetector | None) -> PiiDetector:
    return detector if detector is not None else get_detector(config)


def scan_text(
    text: str, *, config: PiiConfig | None = None, detector: PiiDetector | None = None
) -> list[PiiFinding]:
    """Find PII in one text.

    Args:
        text: the text to scan.
        config: detection options (``None``: defaults, best installed spaCy pipeline).
        detector: a ready detector (overrides ``config`` for detection), e.g. a test double.

    Returns:
        Findings sorted by start, overlap-free; each has ``entity_type``, ``start``, ``end``,
        ``score`` and ``recognizer`` -- never the value itself.

    Raises:
        InputError: ``text`` is not a string.
        ConfigError: the options are inconsistent (unknown entity type, missing pipeline).

    >>> cfg = PiiConfig(model="blank", entities=["EMAIL_ADDRESS", "IP_ADDRESS"])
    >>> [str(f) for f in scan_text("ping admin@example.org from 10.1.2.3", config=cfg)]
    ['EMAIL_ADDRESS [5:22] score=1.00 (OfflineEmailRecognizer)', 'IP_ADDRESS [28:36] score=... (StrictIpRecognizer)']
    """
    return _detector(config, detector).detect([_check_text(text, "$.text")])[0]


def redact_text(
    text: str, *, config: PiiConfig | None = None, detector: PiiDetector | None = None
) -> Redaction:
    """Find and replace PII in one text (operators per entity type from ``config``).

    Args:
        text: the text to redact.
        config: detection and operator options (``None``: defaults, ``<ENTITY_TYPE>`` tokens).
        detector: a ready detector (overrides ``config`` for detection).

    Returns:
        The redacted text and the findings (offsets into the original ``text``).

    Raises:
        InputError: ``text`` is not a string.
        ConfigError: the options are inconsistent.

    >>> cfg = PiiConfig(model="blank", entities=["EMAIL_ADDRESS"], operators={"EMAIL_ADDRESS": "mask"})
    >>> redact_text("write to admin@example.org", config=cfg).text
    'write to *****************'
    """
    cfg = config if config is not None else PiiConfig()
    findings = _detector(cfg, detector).detect([_check_text(text, "$.text")])[0]
    return Redaction(text=apply_operators(text, findings, cfg), findings=tuple(findings))


def scan_texts(
    texts: Iterable[str],
    *,
    config: PiiConfig | None = None,
    workers: int | None = None,
    detector: PiiDetector | None = None,
) -> Iterator[list[PiiFinding]]:
    """Find PII in many texts: the fast path (``nlp.pipe`` batches, optional worker processes).

    Args:
        texts: any iterable of strings; consumed lazily, memory stays bounded.
        config: detection options.
        workers: worker processes (each loads the pipeline once); ``None`` or ``1``: this process.
        detector: a ready detector for in-process scanning (not with ``workers``).

    Yields:
        One list of findings per text, in input order.

    Raises:
        InputError: an item is not a string (names its index).
        ConfigError: bad options, or ``detector`` together with ``workers > 1``.

    >>> cfg = PiiConfig(model="blank", entities=["IP_ADDRESS"])
    >>> [len(f) for f in scan_texts(["10.0.0.1", "none", "fe80::1 and 10.0.0.2"], config=cfg)]
    [1, 0, 2]
    """
    cfg = config if config is not None else PiiConfig()
    if workers is not None and workers < 1:
        raise ConfigError("workers must be at least 1", field="$.workers")
    checked = (_check_text(t, f"$[{i}]") for i, t in enumerate(texts))
    if workers is not None and workers > 1:
        if detector is not None:
            raise ConfigError(
                "a detector instance cannot be shared with worker processes",
                field="$.detector",
                hint="pass config=... and let each worker build its own detector",
            )
        prepare_workers(cfg)
        return _scan_in_workers(checked, cfg, workers)
    return _scan_here(checked, _detector(cfg, detector), cfg.batch_size)


def _scan_here(
    texts: Iterable[str], detector: PiiDetector, size: int
) -> Iterator[list[PiiFinding]]:
    for chunk in batched(texts, size):
        yield from detector.detect(chunk)


def prepare_workers(cfg: PiiConfig) -> None:
    """Fail fast in this process: a bad model or entity type is a ``ConfigError`` here, not a
    broken pool later (entity types are checked on a cheap blank pipeline)."""
    resolve_model(cfg)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", NoNerModelWarning)
        get_detector(cfg.model_copy(update={"model": "blank"}))


def _scan_in_workers(
    texts: Iterable[str], cfg: PiiConfig, workers: int
) -> Iterator[list[PiiFinding]]:
    chunks = ((None, chunk) for chunk in batched(texts, cfg.batch_size))
    for _, findings in map_chunks(chunks, config=cfg, workers=workers):
        yield from findings
