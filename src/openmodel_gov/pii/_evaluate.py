"""``evaluate``: precision, recall and F1 per entity type on labeled text, plus look-alike FPs."""

from __future__ import annotations

import math
import os
from collections.abc import Iterable, Mapping, Sequence
from importlib import resources
from typing import Any, Literal

from pydantic import Field, NonNegativeInt, ValidationError, model_validator

from openmodel_gov._core import Frozen
from openmodel_gov._core._render import html_table, markdown_table
from openmodel_gov.errors import InputError, ParseError, SchemaValidationError, ValidationIssue
from openmodel_gov.pii._api import scan_texts
from openmodel_gov.pii._config import PiiConfig
from openmodel_gov.pii._engine import PiiDetector, get_detector
from openmodel_gov.pii._readers import parse_json_line
from openmodel_gov.pii._results import PiiFinding

__all__ = [
    "EntityScore",
    "EvalSetName",
    "EvaluationReport",
    "LabeledSpan",
    "LabeledText",
    "evaluate",
    "load_evalset",
    "score_predictions",
    "wilson_interval",
]


class LabeledSpan(Frozen):
    """A gold PII span."""

    start: NonNegativeInt
    end: NonNegativeInt
    entity_type: str


class LabeledText(Frozen):
    """A text with its gold spans (``spans == ()``: a text that holds no PII)."""

    id: str
    kind: str = "text"
    lang: str | None = None
    text: str
    spans: tuple[LabeledSpan, ...] = Field(default=(), strict=False)

    @model_validator(mode="after")
    def _spans_in_text(self) -> LabeledText:
        for span in self.spans:
            if not span.start < span.end <= len(self.text):
                raise ValueError(f"span [{span.start}:{span.end}] is outside the text")
        return self


#: The labeled sets shipped with the package (see docs/pii.md and the labeling guide).
#: ``handwritten-dev`` / ``handwritten-heldout``: texts written one by one in the styles an
#: auditor meets (the recognizers were developed against ``dev`` only);
#: ``faker-regression``: the older template-generated set, kept as a regression set only.
EvalSetName = Literal["handwritten-dev", "handwritten-heldout", "faker-regression"]
_SHIPPED: dict[str, str] = {
    "handwritten-dev": "data/pii/handwritten_dev.jsonl",
    "handwritten-heldout": "data/pii/handwritten_heldout.jsonl",
    "faker-regression": "data/pii/evalset.jsonl",
}


def load_evalset(
    path: str | os.PathLike[str] | None = None, *, name: EvalSetName = "faker-regression"
) -> list[LabeledText]:
    """Load a labeled JSONL file, or (``path=None``) the shipped set called ``name``.

    Args:
        path: a JSONL file of labeled texts; ``None`` loads a shipped set.
        name: which shipped set (only when ``path`` is ``None``).

    Raises:
        ParseError: a line is not JSON (names the file and line).
        SchemaValidationError: a line is not a labeled text (names the file, line and field).

    >>> rows = load_evalset()
    >>> len(rows) >= 500, sorted({r.kind for r in rows})[:3]
    (True, ['chat', 'code_comment', 'forum_post'])
    >>> held = load_evalset(name="handwritten-heldout")
    >>> len(held) >= 160, sum(not r.spans for r in held) >= 60
    (True, True)
    """
    if path is None:
        if name not in _SHIPPED:
            raise InputError(f"no shipped evaluation set called {name!r}", field="$.name")
        source = "openmodel_gov/" + _SHIPPED[name]
        data = resources.files("openmodel_gov").joinpath(_SHIPPED[name]).read_bytes()
    else:
        from openmodel_gov._core._io import read_bytes

        source = str(path)
        data = read_bytes(path, max_bytes=256 * 1024 * 1024)
    out: list[LabeledText] = []
    for number, raw in enumerate(data.splitlines(), start=1):
        if not raw.strip():
            continue
        obj, problem, column = parse_json_line(raw, source, number)
        if problem is not None:
            raise ParseError(problem, source=source, line=number, column=column)
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


class EntityScore(Frozen):
    """True/false positives and false negatives of one entity type, with P/R/F1."""

    entity_type: str
    tp: NonNegativeInt = 0
    fp: NonNegativeInt = 0
    fn: NonNegativeInt = 0
    #: 95% interval of the F1 from a bootstrap over texts (``None``: not computed).
    f1_ci: tuple[float, float] | None = None

    @property
    def precision_ci(self) -> tuple[float, float]:
        """95% Wilson score interval of the precision (``(0, 1)`` when nothing was predicted)."""
        return wilson_interval(self.tp, self.tp + self.fp)

    @property
    def recall_ci(self) -> tuple[float, float]:
        """95% Wilson score interval of the recall (``(0, 1)`` when nothing was to be found)."""
        return wilson_interval(self.tp, self.tp + self.fn)

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


class EvaluationReport(Frozen):
    """Scores per entity type and overall, and false positives on texts without PII.

    >>> rep = EvaluationReport(scores={"EMAIL_ADDRESS": EntityScore(entity_type="EMAIL_ADDRESS", tp=9, fn=1)},
    ...                        texts=10, clean_texts=4, clean_texts_flagged=0)
    >>> print(rep)
    PII evaluation: 10 texts, overall P=1.000 R=0.900 F1=0.947; false positives on 0/4 texts without PII (0.0%)
      EMAIL_ADDRESS: P=1.000 R=0.900 F1=0.947 (tp=9 fp=0 fn=1)
    """

    scores: dict[str, EntityScore]
    texts: NonNegativeInt
    clean_texts: NonNegativeInt
    clean_texts_flagged: NonNegativeInt
    clean_false_positives: dict[str, NonNegativeInt] = Field(default_factory=dict)
    match: Literal["overlap", "exact"] = "overlap"
    model: str | None = None
    #: 95% bootstrap interval of the micro-averaged F1 (``None``: not computed).
    overall_f1_ci: tuple[float, float] | None = None

    @property
    def overall(self) -> EntityScore:
        """Micro-averaged counts over every entity type."""
        return EntityScore(
            entity_type="ALL",
            tp=sum(s.tp for s in self.scores.values()),
            fp=sum(s.fp for s in self.scores.values()),
            fn=sum(s.fn for s in self.scores.values()),
            f1_ci=self.overall_f1_ci,
        )

    @property
    def false_positive_rate(self) -> float:
        """Share of texts without PII on which anything was reported."""
        return self.clean_texts_flagged / self.clean_texts if self.clean_texts else 0.0

    @property
    def false_positive_rate_ci(self) -> tuple[float, float]:
        """95% Wilson score interval of :attr:`false_positive_rate`."""
        return wilson_interval(self.clean_texts_flagged, self.clean_texts)

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
                _fmt_ci(s.f1_ci),
                s.tp,
                s.fp,
                s.fn,
            ]
            for s in [*(self.scores[k] for k in sorted(self.scores)), self.overall]
        ]

    _HEADERS = ("entity", "precision", "recall", "F1", "F1 95% CI", "tp", "fp", "fn")

    def to_markdown(self) -> str:
        """A Markdown table: entity, precision, recall, F1 (with its interval), tp, fp, fn."""
        return markdown_table(list(self._HEADERS), self._rows())

    def to_dict(self) -> dict[str, Any]:
        """Plain data, with the derived scores and their intervals."""
        data = self.model_dump(mode="json")
        for key, score in [*self.scores.items(), ("ALL", self.overall)]:
            data.setdefault("f1", {})[key] = round(score.f1, 4)
            data.setdefault("precision_ci", {})[key] = [round(x, 4) for x in score.precision_ci]
            data.setdefault("recall_ci", {})[key] = [round(x, 4) for x in score.recall_ci]
        data["false_positive_rate"] = round(self.false_positive_rate, 4)
        data["false_positive_rate_ci"] = [round(x, 4) for x in self.false_positive_rate_ci]
        return data

    def __str__(self) -> str:
        o = self.overall
        lines = [
            f"PII evaluation: {self.texts} texts, overall P={o.precision:.3f} R={o.recall:.3f} "
            f"F1={o.f1:.3f}{_ci_suffix(o.f1_ci)}; false positives on {self.clean_texts_flagged}/"
            f"{self.clean_texts} texts without PII ({100 * self.false_positive_rate:.1f}%)"
        ]
        lines.extend(
            f"  {s.entity_type}: P={s.precision:.3f} R={s.recall:.3f} F1={s.f1:.3f}"
            f"{_ci_suffix(s.f1_ci)} (tp={s.tp} fp={s.fp} fn={s.fn})"
            for s in (self.scores[k] for k in sorted(self.scores))
        )
        return "\n".join(lines)

    def _repr_html_(self) -> str:
        return html_table(list(self._HEADERS), self._rows(), caption=str(self).splitlines()[0])


def _fmt_ci(ci: tuple[float, float] | None) -> str:
    return "" if ci is None else f"{ci[0]:.3f}-{ci[1]:.3f}"


def _ci_suffix(ci: tuple[float, float] | None) -> str:
    return "" if ci is None else f" [{ci[0]:.3f}, {ci[1]:.3f}]"


def wilson_interval(successes: int, trials: int, z: float = 1.959964) -> tuple[float, float]:
    """The Wilson score interval of a binomial proportion (95% by default).

    >>> [round(x, 3) for x in wilson_interval(9, 10)]
    [0.596, 0.982]
    >>> wilson_interval(0, 0)
    (0.0, 1.0)
    """
    if trials <= 0:
        return (0.0, 1.0)
    p = successes / trials
    denom = 1 + z * z / trials
    centre = (p + z * z / (2 * trials)) / denom
    half = z * math.sqrt(p * (1 - p) / trials + z * z / (4 * trials * trials)) / denom
    return (max(0.0, centre - half), min(1.0, centre + half))


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


def score_predictions(
    rows: Sequence[LabeledText],
    predictions: Sequence[Sequence[PiiFinding]],
    entities: Sequence[str],
    *,
    match: Literal["overlap", "exact"] = "overlap",
    model: str | None = None,
    bootstrap: int = 1000,
    seed: int = 0,
) -> EvaluationReport:
    """Score ``predictions`` (one list per row) against the gold spans of ``rows``.

    Only ``entities`` are scored (gold spans and predictions of other types are ignored).
    F1 intervals come from a percentile bootstrap over texts (``bootstrap`` resamples with a
    fixed ``seed``, so reports are reproducible; ``0`` skips it); precision and recall
    intervals are Wilson intervals (see :class:`EntityScore`).

    >>> rows = [LabeledText(id="a", text="mail a@b.org", spans=[LabeledSpan(start=5, end=12, entity_type="EMAIL_ADDRESS")])]
    >>> rep = score_predictions(rows, [[PiiFinding("EMAIL_ADDRESS", 5, 12, 1.0)]], ["EMAIL_ADDRESS"])
    >>> rep.f1("EMAIL_ADDRESS"), rep.scores["EMAIL_ADDRESS"].f1_ci
    (1.0, (1.0, 1.0))
    """
    if len(rows) != len(predictions):
        raise InputError(
            f"{len(predictions)} prediction lists for {len(rows)} texts", field="$.predictions"
        )
    index = {e: i for i, e in enumerate(dict.fromkeys(entities))}
    per_text = [
        _count_text(row, found, index, match) for row, found in zip(rows, predictions, strict=True)
    ]
    flagged, clean_fp = _clean_text_false_positives(rows, predictions, index)
    cis = _bootstrap_f1(per_text, len(index), bootstrap, seed) if rows and bootstrap else None
    return EvaluationReport(
        scores=_entity_scores(index, per_text, cis),
        texts=len(rows),
        clean_texts=sum(1 for r in rows if not r.spans),
        clean_texts_flagged=flagged,
        clean_false_positives=clean_fp,
        match=match,
        model=model,
        overall_f1_ci=cis[-1] if cis else None,
    )


def _count_text(
    row: LabeledText, found_all: Sequence[PiiFinding], index: dict[str, int], match: str
) -> list[list[int]]:
    """``[tp, fp, fn]`` per scored entity type (in ``index`` order) on one text.

    Predictions are taken in order; each takes the first unused gold span it matches.
    """
    counts = [[0, 0, 0] for _ in index]
    gold = [s for s in row.spans if s.entity_type in index]
    found = [f for f in found_all if f.entity_type in index]
    used = [False] * len(gold)
    for pred in found:
        hit = next(
            (i for i, g in enumerate(gold) if not used[i] and _matches(g, pred, match)), None
        )
        if hit is None:
            counts[index[pred.entity_type]][1] += 1
        else:
            used[hit] = True
            counts[index[pred.entity_type]][0] += 1
    for g, was_used in zip(gold, used, strict=True):
        if not was_used:
            counts[index[g.entity_type]][2] += 1
    return counts


def _clean_text_false_positives(
    rows: Sequence[LabeledText],
    predictions: Sequence[Sequence[PiiFinding]],
    index: dict[str, int],
) -> tuple[int, dict[str, int]]:
    """Texts without gold spans on which a scored type was found, and findings per type."""
    flagged, clean_fp = 0, dict.fromkeys(index, 0)
    for row, found_all in zip(rows, predictions, strict=True):
        if row.spans:
            continue
        found = [f for f in found_all if f.entity_type in index]
        flagged += bool(found)
        for pred in found:
            clean_fp[pred.entity_type] += 1
    return flagged, {k: v for k, v in clean_fp.items() if v}


def _entity_scores(
    index: dict[str, int],
    per_text: list[list[list[int]]],
    cis: list[tuple[float, float]] | None,
) -> dict[str, EntityScore]:
    """Counts summed over texts, with the bootstrap interval of each type when computed."""
    totals = [[sum(t[i][k] for t in per_text) for k in range(3)] for i in range(len(index))]
    return {
        e: EntityScore(
            entity_type=e,
            tp=totals[i][0],
            fp=totals[i][1],
            fn=totals[i][2],
            f1_ci=cis[i] if cis else None,
        )
        for e, i in index.items()
    }


def _bootstrap_f1(
    per_text: list[list[list[int]]], n_entities: int, rounds: int, seed: int
) -> list[tuple[float, float]]:
    """Percentile intervals of F1 per entity (and micro overall, last) over resampled texts."""
    import numpy as np

    counts = np.asarray(per_text, dtype=np.int64).reshape(len(per_text), n_entities * 3)
    rng = np.random.default_rng(seed)
    draws = rng.integers(0, len(per_text), size=(rounds, len(per_text)))
    weights = np.stack([np.bincount(d, minlength=len(per_text)) for d in draws])
    sums = (weights @ counts).reshape(rounds, n_entities, 3)
    sums = np.concatenate([sums, sums.sum(axis=1, keepdims=True)], axis=1)
    tp, fp, fn = sums[..., 0], sums[..., 1], sums[..., 2]
    denom = 2 * tp + fp + fn
    f1 = np.where(denom > 0, 2 * tp / np.maximum(denom, 1), 1.0)
    low, high = np.percentile(f1, [2.5, 97.5], axis=0)
    return [(float(a), float(b)) for a, b in zip(low, high, strict=True)]


def evaluate(
    dataset: Iterable[LabeledText | Mapping[str, Any]] | str | os.PathLike[str] | None = None,
    config: PiiConfig | None = None,
    *,
    detector: PiiDetector | None = None,
    workers: int | None = None,
    match: Literal["overlap", "exact"] = "overlap",
    bootstrap: int = 1000,
) -> EvaluationReport:
    """Score detection against gold spans, with 95% intervals.

    A prediction matches a gold span of the same type when they overlap by at least half of
    the longer of the two (``match="exact"``: same offsets); each gold span matches at most once.
    Only the configured entity types are scored; texts without gold spans measure false
    positives (any finding on them counts).

    Args:
        dataset: labeled texts, a JSONL path, or ``None`` for the shipped Faker regression set
            (``load_evalset(name="handwritten-heldout")`` for the hand-written one).
        config: detection options (the entity types scored are ``config.entities``).
        detector: a ready detector (overrides ``config`` for detection).
        workers: worker processes for scanning.
        match: ``"overlap"`` or ``"exact"``.
        bootstrap: bootstrap resamples for the F1 intervals (``0``: none).

    Returns:
        Precision, recall and F1 per entity type and overall (with intervals), and look-alike
        false positives.

    >>> cfg = PiiConfig(model="blank", entities=["EMAIL_ADDRESS"])
    >>> rows = [{"id": "a", "text": "mail a@example.org", "spans": [{"start": 5, "end": 18, "entity_type": "EMAIL_ADDRESS"}]},
    ...         {"id": "b", "text": "version 1.2.3"}]
    >>> evaluate(rows, cfg).f1("EMAIL_ADDRESS")
    1.0
    """
    cfg = config if config is not None else PiiConfig()
    rows = _as_rows(dataset)
    found_all = list(
        scan_texts((r.text for r in rows), config=cfg, workers=workers, detector=detector)
    )
    model = (
        detector.model_name
        if detector is not None
        else get_detector(cfg).model_name
        if not workers or workers <= 1
        else cfg.model
    )
    return score_predictions(
        rows, found_all, cfg.entities, match=match, model=model, bootstrap=bootstrap
    )
