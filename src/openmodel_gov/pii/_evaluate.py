"""``evaluate``: precision, recall and F1 per entity type on labeled text, plus look-alike FPs."""

from __future__ import annotations

import json
import os
from collections.abc import Iterable, Mapping
from importlib import resources
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, NonNegativeInt, ValidationError, model_validator

from openmodel_gov._core._render import html_table, markdown_table
from openmodel_gov.errors import InputError, ParseError, SchemaValidationError, ValidationIssue
from openmodel_gov.pii._api import scan_texts
from openmodel_gov.pii._config import PiiConfig
from openmodel_gov.pii._engine import PiiDetector, get_detector
from openmodel_gov.pii._results import PiiFinding

__all__ = [
    "EntityScore",
    "EvaluationReport",
    "LabeledSpan",
    "LabeledText",
    "evaluate",
    "load_evalset",
]

_STRICT = ConfigDict(frozen=True, extra="forbid", strict=True)


class LabeledSpan(BaseModel):
    """A gold PII span."""

    model_config = _STRICT

    start: NonNegativeInt
    end: NonNegativeInt
    entity_type: str


class LabeledText(BaseModel):
    """A text with its gold spans (``spans == ()``: a text that holds no PII)."""

    model_config = _STRICT

    id: str
    kind: str = "text"
    text: str
    spans: tuple[LabeledSpan, ...] = Field(default=(), strict=False)

    @model_validator(mode="after")
    def _spans_in_text(self) -> LabeledText:
        for span in self.spans:
            if not span.start < span.end <= len(self.text):
                raise ValueError(f"span [{span.start}:{span.end}] is outside the text")
        return self


def load_evalset(path: str | os.PathLike[str] | None = None) -> list[LabeledText]:
    """Load a labeled JSONL set (``None``: the shipped synthetic set, see docs/pii.md).

    Raises:
        ParseError: a line is not JSON (names the file and line).
        SchemaValidationError: a line is not a labeled text (names the file, line and field).

    >>> rows = load_evalset()
    >>> len(rows) >= 500, sorted({r.kind for r in rows})[:3]
    (True, ['chat', 'code_comment', 'forum_post'])
    """
    if path is None:
        source = "openmodel_gov/data/pii/evalset.jsonl"
        data = resources.files("openmodel_gov").joinpath("data/pii/evalset.jsonl").read_bytes()
    else:
        from openmodel_gov._core._io import read_bytes

        source = str(path)
        data = read_bytes(path, max_bytes=256 * 1024 * 1024)
    out: list[LabeledText] = []
    for number, raw in enumerate(data.splitlines(), start=1):
        if not raw.strip():
            continue
        try:
            obj = json.loads(raw.decode("utf-8"))
        except (UnicodeDecodeError, ValueError) as exc:
            raise ParseError(f"invalid JSON line: {exc}", source=source, line=number) from None
        try:
            out.append(LabeledText.model_validate(obj))
        except ValidationError as exc:
            issues = [
                ValidationIssue(
                    str(e["msg"]),
                    field="$." + ".".join(map(str, e["loc"])),
                    line=number,
                    source=source,
                )
                for e in exc.errors()
            ]
            raise SchemaValidationError(
                "not a labeled text", issues=issues, source=source
            ) from None
    return out


class EntityScore(BaseModel):
    """True/false positives and false negatives of one entity type, with P/R/F1."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    entity_type: str
    tp: NonNegativeInt = 0
    fp: NonNegativeInt = 0
    fn: NonNegativeInt = 0

    @property
    def precision(self) -> float:
        """tp / (tp + fp); 1.0 when nothing was predicted."""
        return self.tp / (self.tp + self.fp) if self.tp + self.fp else 1.0

    @property
    def recall(self) -> float:
        """tp / (tp + fn); 1.0 when there was nothing to find."""
        return self.tp / (self.tp + self.fn) if self.tp + self.fn else 1.0

    @property
    def f1(self) -> float:
        """Harmonic mean of precision and recall."""
        p, r = self.precision, self.recall
        return 2 * p * r / (p + r) if p + r else 0.0


class EvaluationReport(BaseModel):
    """Scores per entity type and overall, and false positives on texts without PII.

    >>> rep = EvaluationReport(scores={"EMAIL_ADDRESS": EntityScore(entity_type="EMAIL_ADDRESS", tp=9, fn=1)},
    ...                        texts=10, clean_texts=4, clean_texts_flagged=0)
    >>> print(rep)
    PII evaluation: 10 texts, overall P=1.000 R=0.900 F1=0.947; false positives on 0/4 texts without PII (0.0%)
      EMAIL_ADDRESS: P=1.000 R=0.900 F1=0.947 (tp=9 fp=0 fn=1)
    """

    model_config = ConfigDict(frozen=True, extra="forbid")

    scores: dict[str, EntityScore]
    texts: NonNegativeInt
    clean_texts: NonNegativeInt
    clean_texts_flagged: NonNegativeInt
    clean_false_positives: dict[str, NonNegativeInt] = Field(default_factory=dict)
    match: Literal["overlap", "exact"] = "overlap"
    model: str | None = None

    @property
    def overall(self) -> EntityScore:
        """Micro-averaged counts over every entity type."""
        return EntityScore(
            entity_type="ALL",
            tp=sum(s.tp for s in self.scores.values()),
            fp=sum(s.fp for s in self.scores.values()),
            fn=sum(s.fn for s in self.scores.values()),
        )

    @property
    def false_positive_rate(self) -> float:
        """Share of texts without PII on which anything was reported."""
        return self.clean_texts_flagged / self.clean_texts if self.clean_texts else 0.0

    def f1(self, entity_type: str) -> float:
        """F1 of one entity type (``KeyError`` if it was not evaluated)."""
        return self.scores[entity_type].f1

    def _rows(self) -> list[list[object]]:
        return [
            [
                s.entity_type,
                f"{s.precision:.3f}",
                f"{s.recall:.3f}",
                f"{s.f1:.3f}",
                s.tp,
                s.fp,
                s.fn,
            ]
            for s in [*(self.scores[k] for k in sorted(self.scores)), self.overall]
        ]

    def to_markdown(self) -> str:
        """A Markdown table: entity, precision, recall, F1, tp, fp, fn."""
        return markdown_table(
            ["entity", "precision", "recall", "F1", "tp", "fp", "fn"], self._rows()
        )

    def to_dict(self) -> dict[str, Any]:
        """Plain data, with the derived scores."""
        data = self.model_dump(mode="json")
        for key, score in [*self.scores.items(), ("ALL", self.overall)]:
            data.setdefault("f1", {})[key] = round(score.f1, 4)
        data["false_positive_rate"] = round(self.false_positive_rate, 4)
        return data

    def __str__(self) -> str:
        o = self.overall
        lines = [
            f"PII evaluation: {self.texts} texts, overall P={o.precision:.3f} R={o.recall:.3f} "
            f"F1={o.f1:.3f}; false positives on {self.clean_texts_flagged}/{self.clean_texts} "
            f"texts without PII ({100 * self.false_positive_rate:.1f}%)"
        ]
        lines.extend(
            f"  {s.entity_type}: P={s.precision:.3f} R={s.recall:.3f} F1={s.f1:.3f} "
            f"(tp={s.tp} fp={s.fp} fn={s.fn})"
            for s in (self.scores[k] for k in sorted(self.scores))
        )
        return "\n".join(lines)

    def _repr_html_(self) -> str:
        headers = ["entity", "precision", "recall", "F1", "tp", "fp", "fn"]
        return html_table(headers, self._rows(), caption=str(self).splitlines()[0])


def _matches(gold: LabeledSpan, pred: PiiFinding, match: str) -> bool:
    if gold.entity_type != pred.entity_type:
        return False
    if match == "exact":
        return gold.start == pred.start and gold.end == pred.end
    overlap = min(gold.end, pred.end) - max(gold.start, pred.start)
    return overlap > 0 and overlap >= 0.5 * max(gold.end - gold.start, pred.end - pred.start)


def _as_rows(
    dataset: Iterable[LabeledText | Mapping[str, Any]] | str | os.PathLike[str] | None,
) -> list[LabeledText]:
    if dataset is None or isinstance(dataset, (str, os.PathLike)):
        return load_evalset(dataset)
    rows: list[LabeledText] = []
    for index, item in enumerate(dataset):
        if isinstance(item, LabeledText):
            rows.append(item)
            continue
        try:
            rows.append(LabeledText.model_validate(item))
        except ValidationError as exc:
            raise InputError(
                f"item {index} is not a labeled text: {exc.errors()[0]['msg']}", field=f"$[{index}]"
            ) from None
    return rows


def evaluate(
    dataset: Iterable[LabeledText | Mapping[str, Any]] | str | os.PathLike[str] | None = None,
    config: PiiConfig | None = None,
    *,
    detector: PiiDetector | None = None,
    workers: int | None = None,
    match: Literal["overlap", "exact"] = "overlap",
) -> EvaluationReport:
    """Score detection against gold spans.

    A prediction matches a gold span of the same type when they overlap by at least half of
    the longer of the two (``match="exact"``: same offsets); each gold span matches at most once.
    Only the configured entity types are scored; texts without gold spans measure false
    positives (any finding on them counts).

    Args:
        dataset: labeled texts, a JSONL path, or ``None`` for the shipped synthetic set.
        config: detection options (the entity types scored are ``config.entities``).
        detector: a ready detector (overrides ``config`` for detection).
        workers: worker processes for scanning.
        match: ``"overlap"`` or ``"exact"``.

    Returns:
        Precision, recall and F1 per entity type and overall, and look-alike false positives.

    >>> cfg = PiiConfig(model="blank", entities=["EMAIL_ADDRESS"])
    >>> rows = [{"id": "a", "text": "mail a@example.org", "spans": [{"start": 5, "end": 18, "entity_type": "EMAIL_ADDRESS"}]},
    ...         {"id": "b", "text": "version 1.2.3"}]
    >>> evaluate(rows, cfg).f1("EMAIL_ADDRESS")
    1.0
    """
    cfg = config if config is not None else PiiConfig()
    rows = _as_rows(dataset)
    wanted = set(cfg.entities)
    counts = {e: [0, 0, 0] for e in cfg.entities}
    flagged, clean_fp = 0, dict.fromkeys(cfg.entities, 0)
    found_all = scan_texts((r.text for r in rows), config=cfg, workers=workers, detector=detector)
    for row, found in zip(rows, found_all, strict=True):
        gold = [s for s in row.spans if s.entity_type in wanted]
        used = [False] * len(gold)
        for pred in found:
            hit = next(
                (i for i, g in enumerate(gold) if not used[i] and _matches(g, pred, match)), None
            )
            if hit is None:
                counts[pred.entity_type][1] += 1
            else:
                used[hit] = True
                counts[pred.entity_type][0] += 1
        for g, was_used in zip(gold, used, strict=True):
            if not was_used:
                counts[g.entity_type][2] += 1
        if not row.spans:
            flagged += bool(found)
            for pred in found:
                clean_fp[pred.entity_type] += 1
    model = (
        detector.model_name
        if detector is not None
        else get_detector(cfg).model_name
        if not workers or workers <= 1
        else cfg.model
    )
    return EvaluationReport(
        scores={
            e: EntityScore(entity_type=e, tp=c[0], fp=c[1], fn=c[2]) for e, c in counts.items()
        },
        texts=len(rows),
        clean_texts=sum(1 for r in rows if not r.spans),
        clean_texts_flagged=flagged,
        clean_false_positives={k: v for k, v in clean_fp.items() if v},
        match=match,
        model=model,
    )
