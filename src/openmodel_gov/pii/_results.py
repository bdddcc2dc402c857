"""Result types: ``PiiFinding``, ``Redaction``. None of them ever holds a detected value."""

from __future__ import annotations

import html
from collections import Counter
from dataclasses import dataclass, field

from openmodel_gov._core._render import html_table

__all__ = ["PiiFinding", "Redaction"]


@dataclass(frozen=True, slots=True)
class PiiFinding:
    """One detected PII span: type, character offsets, score and the recognizer that found it.

    The value itself is never stored: slice the text you scanned (``text[f.start:f.end]``).

    >>> f = PiiFinding("EMAIL_ADDRESS", 8, 25, 1.0, "EmailRecognizer")
    >>> print(f)
    EMAIL_ADDRESS [8:25] score=1.00 (EmailRecognizer)
    >>> f.to_dict()["entity_type"]
    'EMAIL_ADDRESS'
    """

    entity_type: str
    start: int
    end: int
    score: float
    recognizer: str = ""

    def __post_init__(self) -> None:
        if not 0 <= self.start <= self.end:
            raise ValueError(f"invalid span [{self.start}:{self.end}]")

    def __str__(self) -> str:
        return (
            f"{self.entity_type} [{self.start}:{self.end}] score={self.score:.2f}"
            f" ({self.recognizer})"
        )

    def to_dict(self) -> dict[str, object]:
        """Plain data (no value), for JSON."""
        return {
            "entity_type": self.entity_type,
            "start": self.start,
            "end": self.end,
            "score": round(self.score, 4),
            "recognizer": self.recognizer,
        }


@dataclass(frozen=True, slots=True)
class Redaction:
    """A redacted text and the findings that were replaced (offsets into the original text).

    ``repr`` and ``str`` show the redacted text and counts, never a detected value.

    >>> r = Redaction(text="mail <EMAIL_ADDRESS>", findings=(PiiFinding("EMAIL_ADDRESS", 5, 22, 1.0),))
    >>> print(r)
    mail <EMAIL_ADDRESS>
    (1 finding: EMAIL_ADDRESS=1)
    """

    text: str
    findings: tuple[PiiFinding, ...] = field(default=())

    @property
    def counts(self) -> dict[str, int]:
        """Findings per entity type, sorted by type."""
        return dict(sorted(Counter(f.entity_type for f in self.findings).items()))

    def __str__(self) -> str:
        n = len(self.findings)
        counts = ", ".join(f"{k}={v}" for k, v in self.counts.items())
        summary = f"{n} finding{'s' if n != 1 else ''}" + (f": {counts}" if counts else "")
        return f"{self.text}\n({summary})"

    def to_dict(self) -> dict[str, object]:
        """Plain data: the redacted text and the findings."""
        return {"text": self.text, "findings": [f.to_dict() for f in self.findings]}

    def _repr_html_(self) -> str:
        rows = [
            [f.entity_type, f.start, f.end, f"{f.score:.2f}", f.recognizer] for f in self.findings
        ]
        table = html_table(["entity", "start", "end", "score", "recognizer"], rows)
        return f"<pre>{html.escape(self.text)}</pre>{table}"
