"""The one result vocabulary every primitive speaks (private; re-exported by ``_core``).

One definition each of the frozen base model, :class:`Citation`, :class:`Evidence`,
:class:`Finding`, the rating (:data:`Rag`) and risk (:data:`RiskLevel`) types and the MOF class
labels. Public result types of every primitive are built from these, so the audit composes
results instead of translating between near-copies.

>>> c = Citation(source="Regulation (EU) 2016/679 (GDPR)", section="Art. 9(1)")
>>> print(c)
Regulation (EU) 2016/679 (GDPR), Art. 9(1)
>>> print(Citation(source="Gemma Terms of Use", section="3.1"))
Gemma Terms of Use §3.1
>>> Citation.model_validate({"source": "HIPAA", "ref": "45 CFR 164.514(b)"}).ref
'45 CFR 164.514(b)'
>>> e = Evidence(kind="body", file="README.md", line=12, snippet="Repository: https://github.com/x/y")
>>> print(e)
README.md:12: "Repository: https://github.com/x/y"
>>> f = Finding(rule_id="card.no-license", title="no license stated", severity="High")
>>> print(f)
[High] no license stated (card.no-license)
>>> worst_risk(["Low", "High", "Medium"]), worst_rag(["green", "grey", "amber"])
('High', 'amber')
>>> mof_class_label(1), mof_class_label(None)
('Class I', 'Unclassified')
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from typing import Annotated, Any, Final, Literal, get_args

from pydantic import BaseModel, BeforeValidator, ConfigDict, Field, model_validator

__all__ = [
    "RAG_LEVELS",
    "RISK_LEVELS",
    "ROMAN",
    "Certainty",
    "Citation",
    "Evidence",
    "EvidenceKind",
    "Finding",
    "FindingStatus",
    "Frozen",
    "Rag",
    "RiskLevel",
    "mof_class_label",
    "rag_rank",
    "risk_rank",
    "tupleize",
    "worst_rag",
    "worst_risk",
]


def tupleize(value: object) -> object:
    """Lists from YAML/JSON become tuples (strict models store sequences as tuples)."""
    return tuple(value) if isinstance(value, list) else value


class Frozen(BaseModel):
    """The base of every result and data model: immutable, no unknown keys, no coercion.

    Models that parse user documents validate at the edge (``model_validate(..., strict=False)``
    or ``BeforeValidator``) and store canonical values; everything inside is strict.
    """

    model_config = ConfigDict(frozen=True, extra="forbid", strict=True, defer_build=True)

    def __repr__(self) -> str:
        """Concise: the type, scalar fields (long text cut) and the sizes of collections.

        ``__str__`` (readable) and ``_repr_html_`` (notebooks) of subclasses are untouched;
        ``to_dict()`` / ``model_dump()`` give everything.

        >>> Citation(source="GDPR", section="Art. 9(1)")
        Citation(source='GDPR', section='Art. 9(1)', url=None, note=None)
        >>> Finding(rule_id="r", title="t" * 80, severity="High", reasons=tuple("abcdefghijklmnopqrst"))
        Finding(rule_id='r', title='tttt...tttt', severity='High', status='decided', reasons=<20 items>, ...)
        """
        parts = [
            f"{name}={_concise(getattr(self, name))}"
            for name, info in type(self).model_fields.items()
            if info.repr
        ]
        body = ", ".join(parts)
        if len(body) > _REPR_MAX:
            cut = body.rfind(", ", 0, _REPR_MAX)
            body = body[: cut if cut > 0 else _REPR_MAX] + ", ..."
        return f"{type(self).__name__}({body})"


_REPR_TEXT: Final = 60
_REPR_MAX: Final = 240


def _concise(value: object) -> str:
    """One value in :meth:`Frozen.__repr__`: short scalars as-is, collections by size."""
    if isinstance(value, str):
        if len(value) <= _REPR_TEXT:
            return repr(value)
        return repr(value[:28] + "..." + value[-28:])
    if value is None or isinstance(value, (bool, int, float)):
        return repr(value)
    if isinstance(value, Frozen):
        return _cut(repr(value))  # its own concise repr, cut
    if isinstance(value, (tuple, list, set, frozenset, dict)):
        shown = repr(value)
        simple = all(v is None or isinstance(v, (str, int, float)) for v in value)
        if simple and len(shown) <= _REPR_TEXT:
            return shown
        return f"<{len(value)} items>"
    return _cut(repr(value))


def _cut(text: str) -> str:
    return text if len(text) <= _REPR_TEXT * 2 else text[: _REPR_TEXT * 2 - 3] + "..."


#: A traffic-light rating. ``grey`` marks something not assessed (no input, extra missing).
Rag = Literal["green", "amber", "red", "grey"]
RAG_LEVELS: Final[tuple[Rag, ...]] = get_args(Rag)
_RAG_RANK: Final[dict[str, int]] = {"grey": 0, "green": 1, "amber": 2, "red": 3}

#: A risk level, lowest first in :data:`RISK_LEVELS`.
RiskLevel = Literal["Low", "Medium", "High", "Critical"]
RISK_LEVELS: Final[tuple[RiskLevel, ...]] = get_args(RiskLevel)
_RISK_RANK: Final[dict[str, int]] = {level: rank for rank, level in enumerate(RISK_LEVELS)}

#: Roman numerals of the Model Openness Framework classes (Class I is the most open).
ROMAN: Final[dict[int, str]] = {1: "I", 2: "II", 3: "III"}


def rag_rank(rag: Rag) -> int:
    """0 for grey, then green, amber, red (3)."""
    return _RAG_RANK[rag]


def risk_rank(level: RiskLevel) -> int:
    """0 for Low up to 3 for Critical."""
    return _RISK_RANK[level]


def worst_rag(ratings: Iterable[Rag], *, default: Rag = "green") -> Rag:
    """The worst rating (red > amber > green); grey ratings are ignored.

    >>> worst_rag([]), worst_rag(["grey"], default="grey")
    ('green', 'grey')
    """
    rated = [r for r in ratings if r != "grey"]
    return max(rated, key=rag_rank) if rated else default


def worst_risk(levels: Iterable[RiskLevel], *, default: RiskLevel = "Low") -> RiskLevel:
    """The highest risk level, or ``default`` when there is none."""
    return max(levels, key=risk_rank, default=default)


def mof_class_label(mof_class: int | None) -> str:
    """``Class I`` .. ``Class III``, or ``Unclassified`` for ``None``."""
    return "Unclassified" if mof_class is None else f"Class {ROMAN[mof_class]}"


_NUMBERED = re.compile(r"^\d+(?:\.\d+)*(?:\([a-z0-9]+\))*[a-z]?$")
_Text = Annotated[str, Field(min_length=1)]
_Tuple = BeforeValidator(tupleize)


class Citation(Frozen):
    """Where a fact comes from: an instrument (license, regulation, spec) and a pinpoint.

    ``section`` is also accepted as ``ref`` (the rule packs' spelling).

    Attributes:
        source: the instrument, e.g. ``Regulation (EU) 2016/679 (GDPR)`` or ``Apache-2.0``.
        section: the pinpoint (article, section, paragraph); numbered sections print as ``§``.
        url: where the text can be read.
        note: what the reference says, briefly.
    """

    source: _Text
    section: str | None = None
    url: str | None = None
    note: str | None = None

    @model_validator(mode="before")
    @classmethod
    def _ref_is_section(cls, data: object) -> object:
        if isinstance(data, dict) and "ref" in data and "section" not in data:
            data = {("section" if k == "ref" else k): v for k, v in data.items()}
        return data

    @property
    def ref(self) -> str | None:
        """The pinpoint, under the rule packs' name."""
        return self.section

    def __str__(self) -> str:
        if not self.section:
            return self.source
        if _NUMBERED.match(self.section):
            return f"{self.source} §{self.section}"
        return f"{self.source}, {self.section}"


#: Where a piece of evidence was seen.
EvidenceKind = Literal[
    "front-matter",  # card metadata (YAML front matter, JSON/YAML card fields)
    "body",  # card prose (Markdown body)
    "file",  # a file in a model folder or dataset (LICENSE, config.json, weights)
    "manifest",  # a dataset manifest entry
    "context",  # a fact the user stated (context key, CLI flag)
    "data",  # a shipped, cited data file of ours (known base models, datasets, licenses)
    "scan",  # a scan result (PII, secrets)
    "derived",  # computed from other evidence
]
#: How sure the reading is: ``stated`` (explicit field), ``read`` (clear statement in prose),
#: ``inferred`` (follows from other evidence), ``guessed`` (weak signal).
Certainty = Literal["stated", "read", "inferred", "guessed"]


class Evidence(Frozen):
    """What was seen, where, and how sure the reading is.

    Attributes:
        kind: where it was seen (front matter, body, file, manifest, context, data, scan).
        file: the file, if any.
        line: 1-based line in ``file``.
        path: a JSON path (``$.model-index[0]``) or a section name in the card.
        snippet: the words seen, quoted (kept short).
        certainty: how sure the reading is.
        note: what the evidence means, in words.
    """

    kind: EvidenceKind
    file: str | None = None
    line: int | None = Field(default=None, ge=1)
    path: str | None = None
    snippet: str | None = None
    certainty: Certainty = "stated"
    note: str | None = None

    def where(self) -> str:
        """``file:line: path`` with whatever parts are known (``kind`` when none is)."""
        parts = [p for p in (self.file, str(self.line) if self.line else None) if p]
        where = ":".join(parts)
        if self.path:
            where = f"{where}: {self.path}" if where else self.path
        return where or self.kind

    def __str__(self) -> str:
        text = self.where()
        if self.snippet:
            text += f': "{self.snippet}"'
        if self.note:
            text += f" ({self.note})"
        return text


#: ``decided``: its conditions hold on stated facts; ``open``: it would hold if an unknown fact
#: turns out true; ``ruled-out``: stated facts exclude it.
FindingStatus = Literal["decided", "open", "ruled-out"]


class Finding(Frozen):
    """One observation of a rule or check, with its reasons, evidence and sources.

    Attributes:
        rule_id: a stable id (``gdpr-art9-special-category``, ``card.no-license``).
        title: one line: what was found.
        severity: the risk it carries.
        status: decided, open or ruled out.
        reasons: why, in words.
        evidence: what was seen, where.
        citations: the sources the rule rests on.
        mitigations: what to do, as short imperative phrases.
        unknown_facts: for an open finding, the facts that would decide it.
    """

    rule_id: _Text
    title: _Text
    severity: RiskLevel
    status: FindingStatus = "decided"
    reasons: Annotated[tuple[str, ...], _Tuple] = ()
    evidence: Annotated[tuple[Evidence, ...], _Tuple] = ()
    citations: Annotated[tuple[Citation, ...], _Tuple] = ()
    mitigations: Annotated[tuple[str, ...], _Tuple] = ()
    unknown_facts: Annotated[tuple[str, ...], _Tuple] = ()

    @property
    def decided(self) -> bool:
        """Whether the finding's conditions hold on stated facts."""
        return self.status == "decided"

    def to_dict(self) -> dict[str, Any]:
        """Plain JSON-ready data."""
        return self.model_dump(mode="json")

    def __str__(self) -> str:
        text = f"[{self.severity}] {self.title} ({self.rule_id})"
        if self.status != "decided":
            text += f" -- {self.status}"
            if self.unknown_facts:
                text += f": needs {', '.join(self.unknown_facts)}"
        return text
