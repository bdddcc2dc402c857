"""Rule packs: the pydantic models, loading with located errors, built-ins, combining."""

from __future__ import annotations

import functools
import os
import re
from collections.abc import Iterable
from importlib import resources
from pathlib import Path
from typing import Annotated, Any, Literal

from pydantic import (
    AfterValidator,
    BeforeValidator,
    Field,
    PrivateAttr,
    StringConstraints,
    ValidationError,
    field_validator,
    model_validator,
)

from openmodel_gov._core import RISK_LEVELS, Citation, Frozen, RiskLevel, risk_rank, tupleize
from openmodel_gov._core._io import (
    DEFAULT_MAX_BYTES,
    MAX_REPORTED_ISSUES,
    LoadedDocument,
    decode_utf8,
    json_path,
    load_json_document,
    load_yaml_document,
    read_bytes,
)
from openmodel_gov.compliance._condition import Condition, parse_condition
from openmodel_gov.errors import RulePackError

__all__ = [
    "ALWAYS_PLAUSIBLE",
    "RISK_LEVELS",
    "RULE_PACK_FORMAT",
    "Citation",
    "Gate",
    "MitigationSpec",
    "RiskLevel",
    "Rule",
    "RulePack",
    "RuleSource",
    "builtin_rule_packs",
    "load_rule_pack",
    "parse_rule_pack",
    "resolve_rules",
    "risk_rank",
]

#: The ``format`` marker every rule pack carries.
RULE_PACK_FORMAT = "openmodel-gov/rule-pack/v1"

Text = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1)]
Identifier = Annotated[
    str, StringConstraints(pattern=r"^[a-z0-9]+(?:[-_.][a-z0-9]+)*$", max_length=100)
]


def _pinpointed(citation: Citation) -> Citation:
    if not citation.section:
        raise ValueError("a citation needs a pinpoint: 'ref' (article, section, paragraph)")
    if citation.url is not None and not re.match(r"^https://\S+$", citation.url):
        raise ValueError(f"url must be an https:// address, not {citation.url!r} (pattern)")
    return citation


#: A rule pack's citation: a source, a pinpoint (``ref``) and, optionally, an https URL.
PackCitation = Annotated[Citation, AfterValidator(_pinpointed)]


class Gate(Frozen):
    """A condition with the reason it matters (a rule's ``plausible`` or ``ruled_out`` test)."""

    when: Text = Field(description="The condition (same language as the rule's 'when').")
    because: Text = Field(description="Why this condition matters, in words.")
    citations: Annotated[tuple[PackCitation, ...], BeforeValidator(tupleize)] = Field(
        default=(), description="Sources for this test, if other than the rule's."
    )

    @field_validator("when")
    @classmethod
    def _parse_when(cls, value: str) -> str:
        return _check_condition(value)

    @property
    def condition(self) -> Condition:
        """The compiled condition."""
        return _compiled(self.when)


def _check_condition(value: str) -> str:
    try:
        parse_condition(value)
    except RulePackError as exc:
        where = f"line {exc.line}, " if exc.line and exc.line > 1 else ""
        raise ValueError(f"invalid condition: {where}column {exc.column}: {exc.message}") from None
    return value


@functools.lru_cache(maxsize=512)
def _compiled(text: str) -> Condition:
    return parse_condition(text)


#: A rule that states no plausibility test: an undecided condition is always an open question.
ALWAYS_PLAUSIBLE = Gate(when="true", because="the rule states no plausibility test")


class MitigationSpec(Frozen):
    """A mitigation with its own source."""

    text: Text = Field(description="What to do, as a short imperative phrase.")
    citation: PackCitation = Field(description="The provision that calls for it.")


class Rule(Frozen):
    """One rule: when its condition holds for a dataset, the regulation applies at a risk.

    The ``when`` condition is checked (syntax, fact names, value vocabularies) when the pack
    is loaded; :attr:`condition` is the compiled form.
    """

    id: Identifier = Field(description="Unique id, e.g. 'gdpr-art6-no-legal-basis'.")
    title: Text = Field(description="One line: what the rule finds.")
    regulation: Text | None = Field(
        description="The regulation named in the matrix ('GDPR', 'HIPAA', ...); null for a "
        "good-practice rule that no regulation imposes."
    )
    scope: Literal["dataset", "model"] = Field(
        default="dataset",
        description="'dataset': evaluated per dataset; 'model': once, over context facts only.",
    )
    when: Text = Field(description="The condition (see docs/compliance.md, condition language).")
    risk: RiskLevel = Field(description="Risk when the rule applies (or may apply).")
    risk_basis: Literal["law", "judgement"] = Field(
        default="judgement",
        description="'law': the level follows from the law's own text (a prohibition, a "
        "penalty tier); 'judgement': it is our assessment, explained in risk_note.",
    )
    risk_note: Text | None = Field(
        default=None, description="Why the risk is at this level (and whose judgement it is)."
    )
    plausible: Gate | None = Field(
        default=None,
        description="When 'when' cannot be decided, the rule is an open question only if "
        "this holds on stated facts (a data category, a jurisdiction, a context key, a PII "
        "scan finding). Absent: the pack's default, else always.",
    )
    ruled_out: Gate | None = Field(
        default=None,
        description="Stated facts that rule the rule out (reported as ruled out). Absent: "
        "the pack's default, else never.",
    )
    question: Text | None = Field(
        default=None,
        description="The question an open finding asks (default: built from the unknown facts).",
    )
    rationale: Text = Field(
        description="Why the rule applies and what it assumes; states uncertain thresholds."
    )
    mitigations: Annotated[tuple[Text | MitigationSpec, ...], BeforeValidator(tupleize)] = Field(
        min_length=1,
        description="What to do, as short imperative phrases; an entry may name its own "
        "source ({text, citation}); otherwise the rule's first citation is its source. Use "
        "the same words as other packs for the same action, so the matrix lists it once.",
    )
    citations: Annotated[tuple[PackCitation, ...], BeforeValidator(tupleize)] = Field(
        min_length=1, description="The sources the rule rests on."
    )
    override: bool = Field(
        default=False, description="Replace the earlier rule with the same id (from another pack)."
    )
    enabled: bool = Field(default=True, description="false: switch the rule off (with override).")

    _condition: Condition = PrivateAttr()

    @field_validator("when")
    @classmethod
    def _parse_when(cls, value: str) -> str:
        return _check_condition(value)

    @model_validator(mode="after")
    def _check_scope(self) -> Rule:
        condition = parse_condition(self.when)
        if self.scope == "model":
            gates = [g.condition for g in (self.plausible, self.ruled_out) if g is not None]
            fields = {f for c in (condition, *gates) for f in c.fields}
            dataset_facts = sorted(f for f in fields if not f.startswith("context."))
            if dataset_facts:
                raise ValueError(
                    "a 'model' rule reads only context facts, but this one reads "
                    + ", ".join(dataset_facts)
                )
        self._condition = condition
        return self

    @property
    def condition(self) -> Condition:
        """The compiled condition."""
        return self._condition

    @property
    def mitigation_texts(self) -> tuple[str, ...]:
        """The mitigations, as text."""
        return tuple(m if isinstance(m, str) else m.text for m in self.mitigations)

    @property
    def mitigation_citations(self) -> tuple[Citation, ...]:
        """The source of each mitigation (its own, else the rule's first citation)."""
        return tuple(
            self.citations[0] if isinstance(m, str) else m.citation for m in self.mitigations
        )


class RulePack(Frozen):
    """A named, versioned set of rules, loaded from YAML (or JSON) and validated.

    >>> packs = builtin_rule_packs()
    >>> [p.name for p in packs][:3]
    ['ai-act', 'ccpa', 'coppa']
    """

    format: Literal["openmodel-gov/rule-pack/v1"] = Field(
        description="The rule-pack format marker."
    )
    name: Identifier = Field(description="Pack name, e.g. 'gdpr'.")
    version: Text = Field(description="Pack version, e.g. '2026.11'.")
    title: Text = Field(description="Human title.")
    description: Text | None = Field(default=None, description="What the pack covers and not.")
    plausible: Gate | None = Field(
        default=None, description="Default plausibility test of the pack's rules."
    )
    ruled_out: Gate | None = Field(
        default=None, description="Default ruling-out test of the pack's rules."
    )
    rules: Annotated[tuple[Rule, ...], BeforeValidator(tupleize)] = Field(
        min_length=1, description="The rules."
    )

    _origin: str | None = PrivateAttr(default=None)

    @model_validator(mode="after")
    def _unique_ids(self) -> RulePack:
        seen: set[str] = set()
        for rule in self.rules:
            if rule.id in seen:
                raise ValueError(f"rule id {rule.id!r} is used twice")
            seen.add(rule.id)
        return self

    def plausible_gate(self, rule: Rule) -> Gate:
        """The rule's plausibility test, or the pack's, or 'always'."""
        return rule.plausible or self.plausible or ALWAYS_PLAUSIBLE

    def ruled_out_gate(self, rule: Rule) -> Gate | None:
        """The rule's ruling-out test, or the pack's, if any."""
        return rule.ruled_out or self.ruled_out

    @property
    def origin(self) -> str | None:
        """The file the pack was loaded from (``None`` if built in code)."""
        return self._origin


RuleSource = RulePack | str | os.PathLike[str]


def _rule_label(data: Any, loc: tuple[str | int, ...]) -> str:
    if len(loc) >= 2 and loc[0] == "rules" and isinstance(loc[1], int) and isinstance(data, dict):
        rules = data.get("rules")
        if isinstance(rules, list) and loc[1] < len(rules) and isinstance(rules[loc[1]], dict):
            rule_id = rules[loc[1]].get("id")
            if isinstance(rule_id, str):
                return f"rule {rule_id!r}: "
        return f"rule #{loc[1] + 1}: "
    return ""


def _validate(doc: LoadedDocument) -> RulePack:
    source = doc.source
    if not isinstance(doc.data, dict):
        raise RulePackError(
            f"a rule pack must be a mapping, not {type(doc.data).__name__}",
            source=source,
            line=doc.line_of(()),
            hint="start with 'format: openmodel-gov/rule-pack/v1'",
        )
    try:
        pack = RulePack.model_validate(doc.data)
    except ValidationError as exc:
        raw = exc.errors(include_url=False, include_input=False)[:MAX_REPORTED_ISSUES]
        # a failing item also makes pydantic report its list as too short: drop that echo
        errors = [
            e
            for e in raw
            if not (
                e["type"] == "too_short"
                and any(
                    len(o["loc"]) > len(e["loc"]) and o["loc"][: len(e["loc"])] == e["loc"]
                    for o in raw
                )
            )
        ]
        first = errors[0]
        loc = tuple(first["loc"])
        # model-level problems of a rule carry no field; point at the rule itself
        label = _rule_label(doc.data, loc)
        more = [
            f"{json_path(tuple(e['loc']))} (line {doc.line_of(tuple(e['loc']))}): {e['msg']}"
            for e in errors[1:]
        ]
        message = label + first["msg"].removeprefix("Value error, ")
        if more:
            message += f"; and {len(more)} more: " + "; ".join(more)
        raise RulePackError(
            message,
            source=source,
            line=doc.line_of(loc),
            field=json_path(loc),
            hint="see the rule-pack schema: openmodel_gov.compliance.rule_pack_json_schema()",
        ) from None
    pack._origin = source
    return pack


def parse_rule_pack(text: str, *, source: str | None = "<string>") -> RulePack:
    """Parse and validate a rule pack from YAML text.

    Args:
        text: the YAML (JSON is accepted too).
        source: a name for messages (the file name).

    Returns:
        The validated :class:`RulePack`.

    Raises:
        ParseError: not valid YAML (duplicate keys, aliases bombs ...), with the line.
        RulePackError: a field is wrong; names the file, rule id, field path and line.

    >>> parse_rule_pack("format: openmodel-gov/rule-pack/v1\\nname: x\\nversion: '1'\\n"
    ...                 "title: X\\nrules: []\\n", source="x.yaml")
    Traceback (most recent call last):
    ...
    openmodel_gov.errors.RulePackError: x.yaml:5: $.rules: Tuple should have at least 1 item ...
    """
    return _validate(load_yaml_document(text, source=source))


def load_rule_pack(path: str | os.PathLike[str], *, max_bytes: int = DEFAULT_MAX_BYTES) -> RulePack:
    """Load a rule pack file (``.yaml``, ``.yml`` or ``.json``).

    Args:
        path: the file.
        max_bytes: refuse files larger than this.

    Returns:
        The validated :class:`RulePack` (its :attr:`RulePack.origin` is the path).

    Raises:
        FileAccessError: the file cannot be read.
        ParseError: not UTF-8, not valid YAML/JSON (with the line).
        RulePackError: a field is wrong (file, rule id, field path and line).
    """
    text = decode_utf8(read_bytes(path, max_bytes=max_bytes), source=str(path))
    if Path(path).suffix.lower() == ".json":
        return _validate(load_json_document(text, source=str(path)))
    return _validate(load_yaml_document(text, source=str(path)))


@functools.cache
def builtin_rule_packs() -> tuple[RulePack, ...]:
    """The packs shipped in ``openmodel_gov/data/rules``, sorted by name (loaded once).

    Returns:
        The built-in packs: ai-act, ccpa, copyright, coppa, gdpr, hipaa, lgpd, pipeda,
        synthetic, uk-gdpr.
    """
    folder = resources.files("openmodel_gov").joinpath("data/rules")
    packs = []
    for entry in sorted(folder.iterdir(), key=lambda e: e.name):
        if entry.name.endswith(".yaml") and entry.name != "regions.yaml":
            text = entry.read_text(encoding="utf-8")
            packs.append(_validate(load_yaml_document(text, source=f"rules/{entry.name}")))
    return tuple(sorted(packs, key=lambda p: p.name))


def _as_packs(rules: RuleSource | Iterable[RuleSource] | None) -> list[RulePack]:
    if rules is None:
        return list(builtin_rule_packs())
    if isinstance(rules, RulePack):
        return [rules]
    if isinstance(rules, str | os.PathLike):
        return [load_rule_pack(rules)]
    out: list[RulePack] = []
    for item in rules:
        if isinstance(item, RulePack):
            out.append(item)
        elif isinstance(item, str | os.PathLike):
            out.append(load_rule_pack(item))
        else:
            raise RulePackError(
                f"rules must be rule packs or paths, not {type(item).__name__}",
                hint="use load_rule_pack(path) or builtin_rule_packs()",
            )
    return out


def resolve_rules(
    rules: RuleSource | Iterable[RuleSource] | None,
) -> tuple[tuple[RulePack, ...], tuple[tuple[Rule, RulePack], ...]]:
    """Combine packs in order; a later rule replaces an earlier one only with ``override``.

    Returns:
        The packs and the enabled ``(rule, pack)`` pairs, in order.

    Raises:
        RulePackError: a rule id repeats without ``override: true``, an ``override`` rule
            replaces nothing, or a pack name repeats.
    """
    packs = _as_packs(rules)
    chosen: dict[str, tuple[Rule, RulePack]] = {}
    names: set[str] = set()
    for pack in packs:
        if pack.name in names:
            raise RulePackError(
                f"pack {pack.name!r} is given twice", source=pack.origin, field="$.name"
            )
        names.add(pack.name)
        for index, rule in enumerate(pack.rules):
            earlier = chosen.get(rule.id)
            where = json_path(("rules", index, "id"))
            if earlier is not None and not rule.override:
                raise RulePackError(
                    f"rule {rule.id!r} is already defined by pack {earlier[1].name!r}",
                    source=pack.origin,
                    field=where,
                    hint="set 'override: true' on this rule to replace the earlier one",
                )
            if earlier is None and rule.override:
                raise RulePackError(
                    f"rule {rule.id!r} has 'override: true' but no earlier pack defines it",
                    source=pack.origin,
                    field=where,
                    hint="check the id, and pass the built-in packs before yours",
                )
            chosen[rule.id] = (rule, pack)
    enabled = tuple(pair for pair in chosen.values() if pair[0].enabled)
    return tuple(packs), enabled
