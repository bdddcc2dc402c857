"""Helpers to build the Presidio results our list- and cue-based recognizers report.

Presidio is imported inside the function: this module is imported eagerly by recognizer modules
that are themselves only loaded lazily.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from presidio_analyzer import RecognizerResult

__all__ = ["Span", "result"]


class Span:
    """The ``start``/``end`` pair Presidio's result builder reads from a matcher match."""

    def __init__(self, start: int, end: int) -> None:
        self.start = start
        self.end = end


def result(
    entity: str, *, name: str, rid: str, start: int, end: int, score: float, why: str
) -> RecognizerResult:
    """A Presidio ``RecognizerResult`` for ``entity`` at ``start:end``, with ``why`` as its
    explanation and the recognizer's name and id in its metadata."""
    from presidio_analyzer import AnalysisExplanation, RecognizerResult

    return RecognizerResult(
        entity_type=entity,
        start=start,
        end=end,
        score=score,
        analysis_explanation=AnalysisExplanation(
            recognizer=name, original_score=score, textual_explanation=why
        ),
        recognition_metadata={
            RecognizerResult.RECOGNIZER_NAME_KEY: name,
            RecognizerResult.RECOGNIZER_IDENTIFIER_KEY: rid,
        },
    )
