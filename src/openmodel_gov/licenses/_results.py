"""Result and option types of :mod:`openmodel_gov.licenses` (frozen, strict pydantic models)."""

from __future__ import annotations

from typing import Annotated, Any, Literal

from pydantic import Field, ValidationError

from openmodel_gov._core import Citation, Frozen
from openmodel_gov.errors import SchemaValidationError, ValidationIssue

__all__ = [
    "VERDICT_COLORS",
    "Citation",
    "FeasibleLicense",
    "LicenseClassification",
    "LicenseFact",
    "LicenseInfo",
    "LicenseSource",
    "Obligation",
    "OutputsOf",
    "Reason",
    "UseFacts",
    "Verdict",
    "VerdictKind",
    "schema_error",
]

VerdictKind = Literal["compatible", "incompatible", "needs_review"]
#: Background colors for verdicts in HTML (same palette as ``_render.RAG_COLORS``).
VERDICT_COLORS = {"compatible": "#a7e3b5", "needs_review": "#fcd68a", "incompatible": "#f8b4b4"}
CATEGORY_COLORS = {
    "permissive": "#a7e3b5",
    "copyleft": "#bcd7f5",
    "restricted": "#fcd68a",
    "non-commercial": "#f8b4b4",
    "unknown": "#dddddd",
}


def schema_error(exc: ValidationError, what: str) -> SchemaValidationError:
    """Turn a pydantic error into our :class:`SchemaValidationError`, one issue per field."""
    issues = [
        ValidationIssue(
            message=err["msg"],
            field="$" + "".join(f".{p}" if isinstance(p, str) else f"[{p}]" for p in err["loc"]),
        )
        for err in exc.errors()
    ]
    return SchemaValidationError(f"invalid {what}", issues=issues)


class Reason(Frozen):
    """One step of a verdict: what it implies, about which license, and its citation."""

    code: str
    verdict: VerdictKind
    license: str | None
    message: str
    citation: Citation
    #: the license's human name ("Llama 2 Community License Agreement"), when it has one
    license_name: str | None = None

    def __str__(self) -> str:
        return f"[{self.verdict}] {_who(self.license, self.license_name)}{self.message} ({self.citation})"


def _who(lic: str | None, name: str | None) -> str:
    if not lic:
        return ""
    if name and name != lic:
        return f"{name} ({lic}): "
    return f"{lic}: "


ObligationKind = Literal[
    "attribution",
    "license-copy",
    "notice-file",
    "state-changes",
    "attribution-display",
    "naming-prefix",
    "naming-restriction",
    "use-restrictions",
    "pass-on-use-restrictions",
    "share-alike",
    "produced-work-notice",
    "source-code",
    "network-source",
    "registration",
    "guardrails",
    "computational-use-only",
    "service-terms",
]


class Obligation(Frozen):
    """Something the releaser must do, traveling with the licensed material."""

    kind: ObligationKind
    license: str
    text: str
    value: str | None = None
    citation: Citation
    license_name: str | None = None

    def __str__(self) -> str:
        value = f" [{self.value}]" if self.value else ""
        named = self.license_name if self.license_name != self.citation.source else None
        who = _who(self.license, named).removesuffix(": ")
        return f"{self.kind}{value}: {self.text} ({who}; {self.citation})"


class UseFacts(Frozen):
    """Facts about a use or release; every field is optional (``None`` = not known).

    A clause that depends on a fact that is not given yields ``needs_review``; a given fact
    yields a firm answer. Two deliberate exceptions (see ``docs/licenses.md``):

    * size caps (monthly active users, annual revenue): an unknown size gives ``compatible``
      with the cap stated in :attr:`Verdict.conditions`, because the cap concerns the
      licensee's own scale, which the caller knows and almost always sits far below it;
    * things the releaser does (show "Built with Llama", name the model "Llama-...", pass the
      use restrictions on): unknown gives an :class:`Obligation`; ``False`` is incompatible.

    >>> UseFacts(commercial=True, monthly_active_users=1_000).commercial
    True
    >>> UseFacts(commercial="yes")
    Traceback (most recent call last):
    ...
    openmodel_gov.errors.SchemaValidationError: invalid use facts
      - $.commercial: Input should be a valid boolean
    """

    commercial: bool | None = None
    monthly_active_users: Annotated[int, Field(ge=0)] | None = None
    annual_revenue_usd: Annotated[int, Field(ge=0)] | Annotated[float, Field(ge=0)] | None = None
    licensee_in_eu: bool | None = None
    end_user_only: bool | None = None
    hosted_service: bool | None = None
    multimodal: bool | None = None
    derivative_name: Annotated[str, Field(min_length=1, max_length=500)] | None = None
    attribution_displayed: bool | None = None
    passes_use_restrictions: bool | None = None
    outputs_train_other_models: bool | None = None
    distilled: bool | None = None

    def __init__(self, **data: Any) -> None:
        try:
            super().__init__(**data)
        except ValidationError as exc:
            raise schema_error(exc, "use facts") from None


class OutputsOf(Frozen):
    """Synthetic data generated by a model under ``license`` (build with ``outputs_of``)."""

    license: str

    def __str__(self) -> str:
        return f"outputs of {self.license}"


class LicenseInfo(Frozen):
    """One SPDX License List entry.

    Attributes:
        id: the SPDX id, exactly as on the list.
        name: the full name.
        is_osi_approved: OSI-approved per the SPDX list.
        is_fsf_libre: FSF Free/Libre per the SPDX list.
        is_deprecated: deprecated id (e.g. ``GPL-2.0``; use ``GPL-2.0-only``).
        list_version: SPDX License List version these flags come from.
    """

    id: str
    name: str
    is_osi_approved: bool
    is_fsf_libre: bool
    is_deprecated: bool
    list_version: str

    @property
    def is_open(self) -> bool:
        """OSI-approved or FSF-libre (the Model Openness Framework's 'open license' test)."""
        return self.is_osi_approved or self.is_fsf_libre

    def __str__(self) -> str:
        flags = [
            name
            for name, on in (
                ("OSI-approved", self.is_osi_approved),
                ("FSF-libre", self.is_fsf_libre),
                ("deprecated", self.is_deprecated),
            )
            if on
        ]
        return f"{self.id} ({self.name}; {', '.join(flags) or 'neither OSI nor FSF'}; SPDX {self.list_version})"


class LicenseFact(Frozen):
    """One fact about a license, with its citation."""

    license: str
    kind: str
    text: str
    citation: Citation

    def __str__(self) -> str:
        return f"{self.license}: {self.text} ({self.citation})"


class LicenseClassification(Frozen):
    """The category of a license expression and the facts behind it."""

    expression: str
    category: Literal["permissive", "copyleft", "non-commercial", "restricted", "unknown"]
    copyleft_strength: Literal["strong", "weak"] | None = None
    reasons: tuple[LicenseFact, ...]
    facts: tuple[LicenseFact, ...]
    #: human name of the expression ("Llama 2 Community License Agreement")
    name: str | None = None
    #: what the license does, in words ("restricted: commercial use allowed under
    #: conditions -- MAU cap, acceptable-use policy")
    label: str | None = None
    #: how the input was read (a bare Hub id, a free-text name), when not as an expression
    notes: tuple[str, ...] = ()

    def to_dict(self) -> dict[str, Any]:
        """Plain JSON-ready dict."""
        return self.model_dump(mode="json")

    def __str__(self) -> str:
        head = self.label or (
            self.category + (f" ({self.copyleft_strength})" if self.copyleft_strength else "")
        )
        named = (
            f"{self.name} ({self.expression})"
            if self.name and self.name != self.expression
            else self.expression
        )
        lines = [f"{named}: {head}"]
        lines += [f"  - {r}" for r in self.reasons]
        lines += [f"  note: {n}" for n in self.notes]
        return "\n".join(lines)

    def _repr_html_(self) -> str:
        from openmodel_gov._core._render import html_table

        rows: list[list[object]] = [
            [f.license, f.kind, f.text, str(f.citation)] for f in self.facts
        ]
        caption = f"{self.expression}: {self.category}" + (
            f" ({self.copyleft_strength})" if self.copyleft_strength else ""
        )
        return html_table(["license", "fact", "text", "source"], rows, caption=caption)


class FeasibleLicense(Frozen):
    """A release license that satisfies every input, with what it brings along.

    Attributes:
        license: canonical id (or expression, e.g. ``Apache-2.0 AND <Llama license>``).
        name: its human name.
        category: its category (permissive first when ranked).
        obligations: the obligations of the inputs that travel with the release.
    """

    license: str
    name: str
    category: str
    obligations: tuple[Obligation, ...] = ()
    #: what must stay true for this license to work (caps, non-commercial release)
    conditions: tuple[str, ...] = ()
    #: what must still be settled for this license to work (empty when it works as is)
    open_questions: tuple[str, ...] = ()

    def __str__(self) -> str:
        head = (
            f"{self.name} ({self.license}) [{self.category}]"
            if self.name != self.license
            else f"{self.license} [{self.category}]"
        )
        if self.open_questions:
            head += " if: " + "; ".join(self.open_questions)
        return head


class LicenseSource(Frozen):
    """Where one input license came from (the card, its base-model chain, a data file).

    Attributes:
        subject: what carries the license (the card, ``base model meta-llama/Llama-2-7b-hf``,
            a dataset id).
        license: canonical expression, or ``None`` when it could not be found.
        name: its human name.
        source: ``card``, ``known-models``, ``known-datasets``, ``local-card``, ``given``.
        citation: where it can be checked (card URL and date for known models).
        note: anything the reader should know (unknown id, not guessed).
    """

    subject: str
    license: str | None
    name: str | None = None
    source: str
    citation: Citation | None = None
    note: str | None = None

    def __str__(self) -> str:
        lic = (
            f"{self.name} ({self.license})"
            if self.name and self.license
            else (self.license or "unknown")
        )
        cite = f"; {self.citation}" if self.citation else ""
        note = f" -- {self.note}" if self.note else ""
        return f"{self.subject}: {lic} [from {self.source}{cite}]{note}"


class Verdict(Frozen):
    """The answer to one license question, with its reasons, obligations and conditions.

    Attributes:
        question: the question, in words.
        verdict: ``compatible``, ``incompatible`` or ``needs_review``.
        reasons: each step of the reasoning, with its citation.
        obligations: what must be done (attribution, NOTICE, license copy, naming, passing on
            use restrictions, share-alike, ...).
        conditions: what must stay true for the verdict to hold (e.g. a user cap).
        matrix: the OSADL matrix snapshot consulted, if any.
    """

    question: str
    verdict: VerdictKind
    reasons: tuple[Reason, ...]
    obligations: tuple[Obligation, ...] = ()
    conditions: tuple[str, ...] = ()
    matrix: str | None = None
    #: with no outbound license given: the release licenses that satisfy every input
    feasible: tuple[FeasibleLicense, ...] = ()
    #: where each input license came from (cards, base-model chain, dataset ids)
    sources: tuple[LicenseSource, ...] = ()

    @property
    def is_compatible(self) -> bool:
        """``verdict == "compatible"``."""
        return self.verdict == "compatible"

    def to_dict(self) -> dict[str, Any]:
        """Plain JSON-ready dict."""
        return self.model_dump(mode="json")

    def __str__(self) -> str:
        lines = [f"{self.verdict}: {self.question}"]
        if self.reasons:
            lines.append("  reasons:")
            lines += [f"    - {r}" for r in self.reasons]
        if self.obligations:
            lines.append("  obligations:")
            lines += [f"    - {o}" for o in self.obligations]
        if self.conditions:
            lines.append("  conditions:")
            lines += [f"    - {c}" for c in self.conditions]
        if self.matrix:
            lines.append(f"  matrix: {self.matrix}")
        if self.feasible:
            lines.append("  release licenses that satisfy every input (most permissive first):")
            lines += [f"    - {f}" for f in self.feasible]
        if self.sources:
            lines.append("  input licenses:")
            lines += [f"    - {src}" for src in self.sources]
        return "\n".join(lines)

    def _repr_html_(self) -> str:
        import html

        from openmodel_gov._core._render import html_table

        parts = [
            f'<div class="omg-verdict"><p><strong style="background:'
            f'{VERDICT_COLORS[self.verdict]}">{html.escape(self.verdict)}</strong> '
            f"{html.escape(self.question)}</p>"
        ]
        rows: list[list[object]] = [
            [r.verdict, r.license or "", r.message, str(r.citation)] for r in self.reasons
        ]
        colors: list[list[str | None]] = [
            [VERDICT_COLORS[r.verdict], None, None, None] for r in self.reasons
        ]
        parts.append(
            html_table(
                ["verdict", "license", "reason", "source"],
                rows,
                caption="Reasons",
                cell_colors=colors,
            )
        )
        if self.obligations:
            parts.append(
                html_table(
                    ["obligation", "license", "what to do", "source"],
                    [[o.kind, o.license, o.text, str(o.citation)] for o in self.obligations],
                    caption="Obligations",
                )
            )
        if self.conditions:
            parts.append(
                "<ul>" + "".join(f"<li>{html.escape(c)}</li>" for c in self.conditions) + "</ul>"
            )
        if self.matrix:
            parts.append(f"<p><small>{html.escape(self.matrix)}</small></p>")
        parts.append("</div>")
        return "".join(parts)
