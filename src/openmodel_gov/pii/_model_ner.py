"""Stronger NER from a transformer model on disk: ``PiiConfig(model=<directory>)``.

When ``PiiConfig.model`` names a Hugging Face token-classification model directory
(``config.json`` with ``id2label``, tokenizer files, PyTorch weights), names, places and
organisations come from that model instead of a spaCy pipeline:

* the directory is checked without importing anything heavy (:func:`inspect_model_dir`): a
  missing ``config.json``, tokenizer or weights file, a model that is not a token classifier,
  or labels that map to no entity type are a :class:`~openmodel_gov.errors.ConfigError` naming
  the directory and the file; a GLiNER directory (``gliner_config.json``) is refused the same
  way (support is planned);
* the model's labels become entity types through the shipped, cited label map
  ``data/pii/model_labels.yaml`` (``B-PER`` / ``I-PER`` / ``PER`` -> ``PERSON``, ``LOC`` /
  ``GPE`` -> ``LOCATION``, ``ORG`` -> ``ORGANIZATION``, ``NORP`` -> ``NRP``);
* the model runs as a component of a blank spaCy pipeline (so the pattern recognizers keep
  their tokens), through a ``transformers`` token-classification pipeline loaded with
  ``local_files_only=True`` (nothing is downloaded, no remote code runs), in batches, on
  ``PiiConfig.device`` (``"auto"``: the first CUDA GPU when ``torch.cuda.is_available()``,
  else the CPU); long texts are read in overlapping windows of the model's length;
* :class:`ModelNerRecognizer` hands the model's spans to Presidio's analyzer with the model's
  scores; they are not vetted against the name lists the small spaCy pipeline needs.

``transformers`` and ``torch`` (the ``[ner]`` extra) are imported only when such a directory
is loaded. Like :mod:`openmodel_gov.pii._recognizers`, this module imports Presidio at module
level and is itself imported only lazily, when a detector is built.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence
from pathlib import Path
from typing import Any

from presidio_analyzer import AnalysisExplanation, EntityRecognizer, RecognizerResult
from presidio_analyzer.nlp_engine import NlpArtifacts

from openmodel_gov._core._deps import require
from openmodel_gov.errors import ConfigError
from openmodel_gov.pii._model_dir import (
    ModelDirectory,
    inspect_model_dir,
    load_model_labels,
    model_dir_kind,
    refuse,
)

__all__ = [
    "COMPONENT",
    "ModelNerComponent",
    "ModelNerRecognizer",
    "model_pipeline",
    "model_recognizers",
    "resolve_device",
]

#: Name of the spaCy component (and factory) that runs the model.
COMPONENT = "openmodel_gov_model_ner"
_USER_DATA = "openmodel_gov.model_ner"
_RECOGNIZER = "ModelNerRecognizer"
_FEATURE = "PiiConfig(model=<transformer model directory>)"
#: Overlap of the windows a long text is read in, in tokens (Presidio's transformers engine
#: default, ``stride: 16`` in presidio_analyzer/conf/transformers.yaml).
_STRIDE = 16
#: Fallback window when neither the tokenizer nor the model config bounds the length (BERT's).
_FALLBACK_WINDOW = 512


def resolve_device(requested: str, torch: Any) -> str:
    """The torch device for ``PiiConfig.device``: ``"auto"`` picks ``cuda:0`` when a GPU is
    usable, else ``cpu``; an explicit CUDA device must exist.

    Raises:
        ConfigError: a CUDA device was asked for and is not available.
    """
    cuda = torch.cuda.is_available()
    if requested == "auto":
        return "cuda:0" if cuda else "cpu"
    if requested == "cpu":
        return "cpu"
    index = int(requested.partition(":")[2] or 0)
    count = torch.cuda.device_count() if cuda else 0
    if index >= count:
        raise ConfigError(
            f"device {requested!r} is not available (torch sees {count} CUDA device"
            f"{'' if count == 1 else 's'})",
            source="PiiConfig",
            field="$.device",
            hint='use device="auto" to fall back to the CPU',
        )
    return f"cuda:{index}"


class ModelNerComponent:
    """spaCy component: runs the token-classification model over each text, in batches, and
    keeps its spans (``(start, end, entity type, score)``, character offsets) in the ``Doc``."""

    def __init__(self, model_dir: str, device: str, batch_size: int) -> None:
        self.info = inspect_model_dir(Path(model_dir))
        self._labels = load_model_labels()
        self._batch_size = batch_size
        self._runner, self.device = _load_runner(self.info, device)

    @property
    def entities(self) -> tuple[str, ...]:
        """The entity types the model can report."""
        return self.info.entities

    def __call__(self, doc: Any) -> Any:
        """Annotate one ``Doc``."""
        self._annotate([doc])
        return doc

    def pipe(self, stream: Iterable[Any], batch_size: int = 64) -> Iterator[Any]:
        """Annotate ``Doc`` objects in batches (what ``nlp.pipe`` calls)."""
        batch: list[Any] = []
        for doc in stream:
            batch.append(doc)
            if len(batch) >= batch_size:
                self._annotate(batch)
                yield from batch
                batch = []
        if batch:
            self._annotate(batch)
            yield from batch

    def _annotate(self, docs: Sequence[Any]) -> None:
        todo = [doc for doc in docs if doc.text.strip()]
        for doc in docs:
            doc.user_data[_USER_DATA] = ()
        if not todo:
            return
        outputs = self._runner([doc.text for doc in todo], batch_size=self._batch_size)
        for doc, found in zip(todo, outputs, strict=True):
            doc.user_data[_USER_DATA] = tuple(self._spans(doc.text, found))

    def _spans(
        self, text: str, found: Sequence[dict[str, Any]]
    ) -> list[tuple[int, int, str, float]]:
        """Mapped, trimmed spans; same-type spans a space apart are joined (see :func:`_joins`)."""
        out: list[tuple[int, int, str, float]] = []
        for item in found:
            group, start, end = (
                str(item.get("entity_group", "")),
                item.get("start"),
                item.get("end"),
            )
            entity = self._labels.entity_for(group)
            if entity is None or not isinstance(start, int) or not isinstance(end, int):
                continue
            while start < end and text[start].isspace():
                start += 1
            while end > start and text[end - 1].isspace():
                end -= 1
            if start >= end:
                continue
            score = float(item.get("score", 0.0))
            if out and out[-1][2] == entity and _joins(text[out[-1][1] : start]):
                prev = out.pop()
                start, score = prev[0], min(prev[3], score)
            out.append((start, end, entity, score))
        return out


def _joins(gap: str) -> bool:
    """Whether two same-type spans with ``gap`` between them are one name: only spaces apart
    (a BIOES ``E-PER`` or a second ``B-PER`` right after the first word; at worst two names
    become one finding, and the characters redacted are the same)."""
    return not gap or (len(gap) <= 2 and gap.isspace() and "\n" not in gap)


def _load_runner(info: ModelDirectory, device: str) -> tuple[Any, str]:
    """A ``transformers`` token-classification pipeline for ``info``, on ``device``."""
    transformers = require("transformers", extra="ner", feature=_FEATURE)
    torch = require("torch", extra="ner", feature=_FEATURE)
    target = resolve_device(device, torch)
    where = str(info.path)
    try:
        options = {"local_files_only": True, "trust_remote_code": False}
        tokenizer = transformers.AutoTokenizer.from_pretrained(where, **options)
        model = transformers.AutoModelForTokenClassification.from_pretrained(where, **options)
    except Exception as exc:  # transformers, safetensors and torch raise many kinds
        raise refuse(
            info.path,
            f"cannot load the model: {type(exc).__name__}: {exc}",
            "check that the directory was written by save_pretrained() and is complete",
        ) from None
    if not getattr(tokenizer, "is_fast", False):
        raise refuse(
            info.path,
            "the tokenizer is not a fast (Rust) tokenizer, so character offsets are unknown",
            "save a fast tokenizer (tokenizer.json) with the model",
        )
    window = _window(int(tokenizer.model_max_length), info.max_positions)
    tokenizer.model_max_length = window
    runner = transformers.pipeline(
        "token-classification",
        model=model,
        tokenizer=tokenizer,
        aggregation_strategy="max",
        stride=min(_STRIDE, window // 4),
        device=target,
    )
    return runner, target


def _window(tokenizer_max: int, max_positions: int | None) -> int:
    """Tokens per window: the tokenizer's bound, capped by the model's position table (minus
    two, which covers RoBERTa-style position offsets) when the tokenizer states none.

    >>> _window(512, 512), _window(10**30, 64), _window(10**30, None)
    (512, 62, 512)
    """
    if max_positions is not None and tokenizer_max > max_positions:
        return max(8, max_positions - 2)
    if max_positions is None and tokenizer_max > 100_000:
        return _FALLBACK_WINDOW
    return tokenizer_max


class ModelNerRecognizer(EntityRecognizer):
    """Presidio recognizer reporting the spans the model component left in each ``Doc``."""

    def __init__(self, *, entities: Sequence[str], supported_language: str) -> None:
        super().__init__(
            supported_entities=list(entities),
            name=_RECOGNIZER,
            supported_language=supported_language,
        )

    def load(self) -> None:
        """Nothing to load: the model runs in the spaCy component."""

    def analyze(
        self, text: str, entities: list[str], nlp_artifacts: NlpArtifacts | None = None
    ) -> list[RecognizerResult]:
        """The model's spans of the requested ``entities``."""
        doc = getattr(nlp_artifacts, "tokens", None)
        spans = doc.user_data.get(_USER_DATA, ()) if doc is not None else ()
        return [
            RecognizerResult(
                entity_type=entity,
                start=start,
                end=end,
                score=score,
                analysis_explanation=AnalysisExplanation(
                    recognizer=_RECOGNIZER, original_score=score, textual_explanation="model NER"
                ),
                recognition_metadata={
                    RecognizerResult.RECOGNIZER_NAME_KEY: _RECOGNIZER,
                    RecognizerResult.RECOGNIZER_IDENTIFIER_KEY: self.id,
                },
            )
            for start, end, entity, score in spans
            if entity in entities
        ]


def _make_component(
    nlp: Any, name: str, model_dir: str, device: str, batch_size: int
) -> ModelNerComponent:
    return ModelNerComponent(model_dir, device, batch_size)


def model_pipeline(spacy: Any, path: Path, *, language: str, device: str, batch_size: int) -> Any:
    """A blank spaCy pipeline for ``language`` with the model in ``path`` as its NER component,
    or ``None`` when ``path`` is not a transformer model directory (spaCy loads it then).

    Raises:
        ConfigError: see :func:`inspect_model_dir`; a CUDA device that is not available.
        MissingDependencyError: the ``[ner]`` extra is not installed.
    """
    if model_dir_kind(path) not in ("transformers", "gliner"):
        return None
    inspect_model_dir(path)  # typed errors before anything heavy is imported
    from spacy.language import Language

    if not Language.has_factory(COMPONENT):
        Language.factory(COMPONENT, func=_make_component)
    nlp = spacy.blank(language)
    nlp.add_pipe(
        COMPONENT, config={"model_dir": str(path), "device": device, "batch_size": batch_size}
    )
    return nlp


def model_recognizers(nlp: Any, language: str) -> list[ModelNerRecognizer]:
    """The recognizer for the model component of ``nlp`` (none when it has no such component)."""
    if COMPONENT not in nlp.pipe_names:
        return []
    component: ModelNerComponent = nlp.get_pipe(COMPONENT)
    return [ModelNerRecognizer(entities=component.entities, supported_language=language)]
