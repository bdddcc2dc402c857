"""Body and front-matter readers: license statements and the access gate."""

from __future__ import annotations

import re
from collections.abc import Sequence

from openmodel_gov._core import Evidence
from openmodel_gov.cards._context import (
    SNIPPET,
    Context,
    sentence_at,
    short,
)
from openmodel_gov.cards._disclosure_facts import license_id_of
from openmodel_gov.cards._evidence import (
    CardLink,
    GateInfo,
    LicenseStatement,
)
from openmodel_gov.cards._facts import (
    card_link_facts,
)
from openmodel_gov.cards._markdown import (
    plain_text,
)
from openmodel_gov.cards._model import AccessGating

__all__ = ["is_license_name", "read_gate", "read_license_sections", "read_licenses"]


# --- license statements ----------------------------------------------------------------------


_SCOPES = {"model": "model", "models": "model", "code": "code", "data": "data", "dataset": "data", "weights": "weights", "weight": "weights", "software": "code"}  # fmt: skip
_SCOPE_WORDS = re.compile(r"\b(code|software|repository|models?|weights|data(?:set)?s?)\b", re.I)
_PROPER_LICENSE = re.compile(
    r"(?:the )?((?:[A-Z0-9][\w.+-]*\s){0,6}?(?:[A-Z][\w.+-]*\s)?"
    r"(?:License|Licence|LICENSE|Agreement|AGREEMENT|Terms of Use|RAIL(?:-[A-Z]+)?|OpenRAIL(?:-[A-Z]+)?)"
    r"(?:\s+(?:Agreement|AGREEMENT))?)"
)
_LABEL = re.compile(
    r"^\W*(?:\*\*|__)?([A-Za-z][\w ]{0,40}?)(?::\s*(?:\*\*|__)|(?:\*\*|__)\s*:?|:)\s*(.+)$"
)


_LICENSE_HINTS = ("licen", "terms", "agreement", "governed", "subject to", "rail")

#: Words that say nothing about which license is meant ("the licensing", "a custom commercial
#: license", "same license", "Model License"): a name made only of these is a heading or a
#: description, not a license's name.
_GENERIC_WORDS = frozenset(
    [
        "a",
        "an",
        "the",
        "this",
        "that",
        "these",
        "those",
        "its",
        "it",
        "their",
        "our",
        "your",
        "his",
        "her",
        "same",
        "model",
        "models",
        "open",
        "custom",
        "commercial",
        "community",
        "license",
        "licence",
        "licenses",
        "licences",
        "licensing",
        "licensed",
        "terms",
        "term",
        "agreement",
        "agreements",
        "of",
        "use",
        "usage",
        "and",
        "or",
        "for",
        "to",
        "in",
        "on",
        "by",
        "with",
        "following",
        "original",
        "respective",
        "applicable",
        "appropriate",
        "other",
        "such",
        "which",
        "new",
        "standard",
        "source",
        "permissive",
        "restrictive",
        "software",
        "code",
        "data",
        "dataset",
        "weights",
        "proprietary",
        "own",
        "separate",
        "specific",
        "corresponding",
        "relevant",
        "below",
        "above",
        "here",
        "see",
        "details",
        "information",
        "more",
        "full",
        "conditions",
        "condition",
        "policy",
        "is",
        "are",
        "as",
        "under",
    ]
)
_LICENSE_WORD = re.compile(r"\b(licen[cs]e|agreement|terms of use|rail\b|openrail)", re.I)
_ID_LIKE = re.compile(r"^[A-Za-z][A-Za-z0-9.+]*(?:-[A-Za-z0-9.+]+)+$|^[A-Za-z]+[0-9][0-9.]*$")
_WORD = re.compile(r"[^\W_]+(?:['’][^\W_]+)?")


def is_license_name(name: str, how: str = "phrase") -> bool:
    """Whether ``name`` reads as the name of a license, not a generic word or heading.

    A name is a license name when it is a license id (``apache-2.0``, ``llama2``), or when some
    word in it is not generic ("Microsoft Research License", "M42 Health license") -- for a
    phrase or a License-section sentence also naming the license itself ("... License",
    "... Agreement", "... RAIL"). ``License``, ``The licensing``, ``Terms``, ``same license``
    and ``a custom commercial license`` are not names (known names, mapped by
    ``card-disclosures.yaml``, are accepted before this is asked).

    >>> is_license_name("The licensing", "label"), is_license_name("Model License")
    (False, False)
    >>> is_license_name("M42 Health license"), is_license_name("apache-2.0", "label")
    (True, True)
    """
    text = name.strip()
    if _ID_LIKE.match(text):
        return True
    words = [w.lower() for w in _WORD.findall(text)]
    if not any(w not in _GENERIC_WORDS and not w.isdigit() for w in words):
        return False
    return how == "label" or bool(_LICENSE_WORD.search(text))


def _scope(label: str) -> str | None:
    words = label.lower().split()
    return _SCOPES.get(words[0]) if words else None


def _scope_of_sentence(before: str) -> str | None:
    found = _SCOPE_WORDS.findall(before)
    if not found:
        return None
    word = found[-1].lower()
    if word in ("code", "software", "repository"):
        return "code"
    return "data" if word.startswith("data") else "model"


def _clean_name(name: str) -> str:
    name = plain_text(name)
    proper = _PROPER_LICENSE.search(name)
    if proper is not None and proper.start() < 40:
        return proper.group(1).strip()
    name = re.split(
        r"\s+(?:and|which|that|with|for|as|by|is|are|unless|except|available)\s+|,|\(",
        name,
        maxsplit=1,
    )[0]
    return name.strip(" .:;()[]\"'`*").strip()


def _url_on_line(links_by_line: dict[int, list[CardLink]], line: int, text: str) -> str | None:
    for link in links_by_line.get(line, []):
        if link.text and link.text in text:
            return link.url
    for link in links_by_line.get(line, []):
        if link.kind == "license-text":
            return link.url
    return None


def read_licenses(ctx: Context, links: Sequence[CardLink]) -> list[LicenseStatement]:
    """License statements: ``License:`` labels, "licensed under X" phrases, License sections."""
    facts = card_link_facts()
    out: list[LicenseStatement] = []
    seen: set[str] = set()

    def add(stmt: LicenseStatement) -> None:
        key = stmt.name.lower()
        if key and key not in seen and len(stmt.name) <= 160:
            # the name, else the license text it links to, says which license it is
            license_id = license_id_of(stmt.name) or (stmt.url and license_id_of(stmt.url))
            if not license_id and not is_license_name(stmt.name, stmt.how):
                return
            seen.add(key)
            out.append(stmt.model_copy(update={"license_id": license_id or None}))

    by_line: dict[int, list[CardLink]] = {}
    for link in links:
        by_line.setdefault(link.evidence.line or 0, []).append(link)
    for block in ctx.doc.blocks:
        if block.kind not in ("paragraph", "html"):
            continue
        section = ctx.section_of(block.heading)
        for line_no, line_text in enumerate(block.text.split("\n")):
            lowered = line_text.lower()
            if not any(w in lowered for w in _LICENSE_HINTS):
                continue
            body_line = block.line + line_no
            file_line = ctx.line(body_line)
            plain = plain_text(line_text)
            label_match = _LABEL.match(line_text.strip())
            if label_match and facts.license_labels.match(plain_text(label_match.group(1)).strip()):
                label = plain_text(label_match.group(1)).strip()
                value_text = plain_text(label_match.group(2))
                phrase = _phrase(value_text)
                value = phrase or _clean_name(value_text)
                if value:
                    add(
                        LicenseStatement(
                            name=value,
                            url=_url_on_line(by_line, file_line, plain),
                            scope=_scope(label),  # type: ignore[arg-type]
                            how="label",
                            section=section,
                            evidence=ctx.ev(body_line, block.heading, plain, "read"),
                        )
                    )
                continue
            for pattern in facts.license_phrases:
                for match in pattern.finditer(plain):
                    name = _clean_name(match.group("name"))
                    if len(name) < 2 or not re.search(r"[A-Za-z]", name):
                        continue
                    sentence = sentence_at(plain, match.start())
                    add(
                        LicenseStatement(
                            name=name,
                            url=_url_on_line(by_line, file_line, plain[match.start("name") :]),
                            scope=_scope_of_sentence(plain[: match.start("name")][-80:]),  # type: ignore[arg-type]
                            how="phrase",
                            section=section,
                            evidence=ctx.ev(body_line, block.heading, sentence, "read"),
                        )
                    )
    have_sections = {s.section for s in out}
    for stmt in read_license_sections(ctx):
        if stmt.section not in have_sections:
            add(stmt)
    return out


def _phrase(text: str) -> str | None:
    for pattern in card_link_facts().license_phrases:
        match = pattern.search(text)
        if match is not None:
            name = _clean_name(match.group("name"))
            if len(name) >= 2:
                return name
    return None


def read_license_sections(ctx: Context) -> list[LicenseStatement]:
    """The first words of each License section, when no phrase in it named the license."""
    out = []
    for i, key in enumerate(ctx.keys):
        if key != "license":
            continue
        block = next((b for b in ctx.doc.blocks if b.heading == i and b.kind == "paragraph"), None)
        if block is None:
            continue
        text = plain_text(block.text)
        first = sentence_at(text, 0)
        if not first:
            continue
        out.append(
            LicenseStatement(
                name=short(first)[:120],
                how="section",
                section="license",
                evidence=ctx.ev(
                    block.line, i, first, "inferred", note="first sentence of the License section"
                ),
            )
        )
    return out


# --- gate ------------------------------------------------------------------------------------


def _field_type(value: object) -> str:
    if isinstance(value, str):
        return value
    if isinstance(value, dict):
        kind = value.get("type")
        return kind if isinstance(kind, str) else "text"
    return "text"


def read_gate(gating: AccessGating, *, file: str | None) -> GateInfo:
    """The gate kind from ``gated`` and ``extra_gated_*`` (see :data:`GateKind`)."""
    facts = card_link_facts()
    if not gating.is_gated:
        return GateInfo()
    names = tuple(str(k) for k in gating.fields)
    types = tuple(_field_type(v) for v in gating.fields.values())
    evidence = (
        [
            Evidence(
                kind="front-matter",
                file=file,
                path="$.extra_gated_fields",
                snippet=", ".join(names)[:SNIPPET],
            )
        ]
        if names
        else []
    )
    texts = " ".join(
        t for t in (gating.heading, gating.prompt, gating.description, gating.button_content) if t
    )
    approval = None if gating.gated is None else str(gating.gated).lower()
    reasons: list[str] = []
    if gating.gated == "manual":
        kind = "discretionary"
        reasons.append("gated: manual -- the provider approves each request")
        evidence.append(Evidence(kind="front-matter", file=file, path="$.gated", snippet="manual"))
    else:
        cue = next((m for p in facts.discretionary if (m := p.search(texts))), None)
        request_fields = [
            n for n, t in zip(names, types, strict=True) if t in facts.request_field_types
        ]
        request_cue = next((m for p in facts.access_request if (m := p.search(texts))), None)
        if cue is not None:
            kind = "discretionary"
            reasons.append(
                f"the gate text says access is at the provider's discretion: {cue.group(0)!r}"
            )
            evidence.append(_quoted(file, "$.extra_gated_prompt", texts, cue.start()))
        elif request_fields:
            kind = "access-request"
            reasons.append("a form asks for " + ", ".join(request_fields))
        elif request_cue is not None:
            kind = "access-request"
            reasons.append(f"the gate text asks for an access request: {request_cue.group(0)!r}")
            evidence.append(_quoted(file, "$.extra_gated_description", texts, request_cue.start()))
        else:
            kind = "click-through"
            reasons.append("only an acknowledgement is asked (no form fields beyond checkboxes)")
            if not evidence:
                evidence.append(
                    Evidence(
                        kind="front-matter",
                        file=file,
                        path="$.extra_gated_prompt",
                        snippet=short(texts) or "gated",
                    )
                )
    return GateInfo(
        kind=kind,  # type: ignore[arg-type]
        fields=names,
        field_types=types,
        approval=approval,
        eu_disallowed=gating.eu_disallowed,
        reasons=tuple(reasons),
        evidence=tuple(evidence),
    )


def _quoted(file: str | None, path: str, texts: str, at: int) -> Evidence:
    """Front-matter evidence quoting the gate text's sentence at ``at`` (an inferred reading)."""
    return Evidence(
        kind="front-matter",
        file=file,
        path=path,
        snippet=sentence_at(texts, at)[:SNIPPET],
        certainty="inferred",
    )
