"""The audit policy file: thresholds the audit must meet (the *policy gate*)."""

from __future__ import annotations

import os
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Final, Literal

from pydantic import ConfigDict, Field, JsonValue, ValidationError

from openmodel_gov._core import ROMAN, Frozen, RiskLevel, risk_rank
from openmodel_gov.audit._model import (
    AuditReport,
    Headline,
    LicenseClass,
    PolicyResult,
    PolicyViolation,
)

if TYPE_CHECKING:
    from openmodel_gov._core._io import LoadedDocument

__all__ = [
    "POLICY_FORMAT",
    "POLICY_RULES",
    "LicenseClass",
    "Policy",
    "evaluate_policy",
    "load_policy",
    "parse_policy",
    "policy_json_schema",
]

POLICY_FORMAT: Final = "openmodel-gov/audit-policy/v1"
CardField = Literal[
    "intended_use", "out_of_scope_use", "limitations", "bias_risks", "license", "eval_results"
]


class Policy(Frozen):
    """Thresholds an audit must meet; every key is optional (absent: not checked).

    >>> p = Policy(min_openness_score=6, max_risk_level="Medium")
    >>> p.min_openness_score, p.rules()
    (6, ('min_openness_score', 'max_risk_level'))
    """

    model_config = ConfigDict(populate_by_name=True, strict=False)

    schema_: Literal["openmodel-gov/audit-policy/v1"] = Field(
        default=POLICY_FORMAT, alias="schema", description="Format marker."
    )
    name: str | None = Field(default=None, description="A name for reports.")
    use: Literal["commercial", "research"] | None = Field(
        default=None,
        description="The intended use the licenses and the compliance matrix are checked for "
        "(wins over the use given to the audit; default commercial).",
    )
    min_openness_score: int | None = Field(
        default=None, ge=0, le=10, description="Minimum openness score (0-10)."
    )
    min_mof_class: Literal["I", "II", "III"] | None = Field(
        default=None,
        description="Least demanding acceptable MOF class (III is the lowest, I the highest).",
    )
    allowed_license_classes: (
        tuple[LicenseClass, ...]
        | dict[Literal["commercial", "research"], tuple[LicenseClass, ...]]
        | None
    ) = Field(
        default=None,
        description="License classes the card's license may fall in: a list, or a list per "
        "intended use ({commercial: [...], research: [...]}; a use not listed is not checked).",
    )
    require_license_verdict: Literal["compatible", "needs_review"] | None = Field(
        default=None,
        description="Worst acceptable verdict of the license checks (card, base models, "
        "dataset mix): 'compatible' fails on needs_review too.",
    )
    forbid_unredacted_pii: tuple[str, ...] = Field(
        default=(),
        description="Presidio entity types (EMAIL_ADDRESS, US_SSN, ...) that must not remain "
        "unredacted in any dataset; '*' means any type.",
    )
    max_risk_level: RiskLevel | None = Field(
        default=None, description="Highest acceptable compliance risk level."
    )
    require_manifest_verified: bool = Field(
        default=False, description="Every dataset manifest must verify against its data."
    )
    require_card_fields: tuple[CardField, ...] = Field(
        default=(), description="Card fields that must be filled in."
    )
    require_verified_signature: bool = Field(
        default=False,
        description="Every dataset manifest must carry a signature (<manifest>.sig.json) that "
        "verifies with the public key given to the audit (--public-key).",
    )

    def rules(self) -> tuple[str, ...]:
        """The names of the rules this policy sets (in file order of the schema)."""
        out: list[str] = []
        for name in type(self).model_fields:
            if name in {"schema_", "name", "use"}:
                continue
            value = getattr(self, name)
            if value not in (None, False, ()):
                out.append(name)
        return tuple(out)


def policy_json_schema() -> dict[str, Any]:
    """The JSON Schema of policy files (also shipped as ``data/policy/audit-policy.schema.json``).

    >>> policy_json_schema()["properties"]["schema"]["const"]
    'openmodel-gov/audit-policy/v1'
    """
    schema = Policy.model_json_schema(by_alias=True)
    schema["$schema"] = "https://json-schema.org/draft/2020-12/schema"
    schema["$id"] = "https://openmodel-gov.dev/schemas/audit-policy-v1.json"
    schema["title"] = "openmodel-gov audit policy"
    schema["description"] = (
        "Thresholds an openmodel-gov audit must meet (the policy gate). Every key is optional; "
        "an absent key is not checked. See docs/policy.md."
    )
    schema["additionalProperties"] = False
    return schema


def parse_policy(
    data: object, *, source: str | None = None, positions: LoadedDocument | None = None
) -> Policy:
    """Validate parsed policy data.

    Raises:
        PolicyError: a wrong key or value; the message lists every problem with its field.
    """
    from openmodel_gov._core._io import MAX_REPORTED_ISSUES, json_path
    from openmodel_gov.errors import PolicyError

    if not isinstance(data, dict):
        raise PolicyError("a policy must be a mapping of rule -> threshold", source=source)
    try:
        return Policy.model_validate(data)
    except ValidationError as exc:
        doc = positions
        problems: list[str] = []
        first_field: str | None = None
        first_line: int | None = None
        errors = exc.errors(include_url=False, include_input=False)
        for err in errors[:MAX_REPORTED_ISSUES]:
            loc: tuple[str | int, ...] = tuple(err["loc"])
            if loc and loc[0] == "schema_":
                loc = ("schema", *loc[1:])
            field = json_path(loc)
            line = doc.line_of(loc) if doc else None
            first_field = first_field or field
            first_line = first_line or line
            where = f"line {line}: " if line else ""
            problems.append(f"{where}{field}: {err['msg']}")
        if len(errors) > MAX_REPORTED_ISSUES:
            problems.append(f"and {len(errors) - MAX_REPORTED_ISSUES} more")
        text = (
            f"invalid policy: {errors[0]['msg']}"
            if len(errors) == 1
            else "invalid policy: " + "; ".join(problems)
        )
        raise PolicyError(
            text,
            source=source,
            line=first_line,
            field=first_field,
            hint="see docs/policy.md for the keys and values a policy accepts",
        ) from None


def load_policy(path: str | os.PathLike[str]) -> Policy:
    """Load and validate a policy file (YAML or JSON).

    Args:
        path: the policy file.

    Returns:
        The validated :class:`Policy`.

    Raises:
        FileAccessError: the file cannot be read.
        ParseError: not valid YAML/JSON.
        PolicyError: unknown keys or wrong values (every problem, with field and line).

    >>> import pathlib, tempfile
    >>> tmp = tempfile.TemporaryDirectory()
    >>> p = pathlib.Path(tmp.name) / "policy.yaml"
    >>> _ = p.write_text("min_openness_score: 7\\nmax_risk_level: High\\n")
    >>> load_policy(p).rules()
    ('min_openness_score', 'max_risk_level')
    >>> _ = p.write_text("min_openness_score: 70\\n")
    >>> load_policy(p)  # doctest: +ELLIPSIS
    Traceback (most recent call last):
    ...
    openmodel_gov.errors.PolicyError: ...policy.yaml:1: $.min_openness_score: invalid policy: ...
    >>> tmp.cleanup()
    """
    from openmodel_gov._core._io import read_document

    source = os.fspath(path)
    doc = read_document(path, format="json" if source.endswith(".json") else "yaml")
    return parse_policy(doc.data, source=source, positions=doc)


_MOF_RANK: Final[dict[str, int]] = {roman: rank for rank, roman in ROMAN.items()}
_NOT_REACHED = len(ROMAN) + 1  # below class III


@dataclass(frozen=True)
class _Outcome:
    """What one policy rule found: a violation, or the comparison that passed."""

    violation: PolicyViolation | None
    explanation: str


def _fail(
    rule: str,
    message: str,
    expected: str | int | bool | Sequence[str] | None,
    actual: str | int | bool | Sequence[str] | None,
) -> _Outcome:
    violation = PolicyViolation(
        rule=rule, message=message, expected=_json(expected), actual=_json(actual)
    )
    return _Outcome(violation, f"{rule}: {message}")


def _json(value: str | int | bool | Sequence[str] | None) -> JsonValue:
    if value is None or isinstance(value, str | int | bool):
        return value
    return [str(v) for v in value]


def _ok(text: str) -> _Outcome:
    return _Outcome(None, text)


def _check_openness(policy: Policy, h: Headline) -> _Outcome:
    minimum = policy.min_openness_score
    assert minimum is not None
    if h.openness_score is None:
        return _fail(
            "min_openness_score", "the openness score could not be computed", minimum, None
        )
    if h.openness_score < minimum:
        return _fail(
            "min_openness_score",
            f"openness score {h.openness_score}/10 is below the minimum {minimum}",
            minimum,
            h.openness_score,
        )
    return _ok(f"min_openness_score: openness score {h.openness_score}/10 >= {minimum}")


def _check_mof(policy: Policy, h: Headline) -> _Outcome:
    wanted = policy.min_mof_class
    assert wanted is not None
    rank = _MOF_RANK[h.mof_class] if h.mof_class else _NOT_REACHED
    if rank > _MOF_RANK[wanted]:
        return _fail(
            "min_mof_class",
            f"MOF class {h.mof_class or 'unclassified'} does not reach class {wanted}",
            wanted,
            h.mof_class,
        )
    return _ok(f"min_mof_class: MOF class {h.mof_class} reaches class {wanted}")


def _allowed_classes(policy: Policy, use: str) -> tuple[LicenseClass, ...] | None:
    raw = policy.allowed_license_classes
    if isinstance(raw, dict):
        return raw.get("research") if use == "research" else raw.get("commercial")
    return raw


def _check_license_class(policy: Policy, h: Headline) -> _Outcome:
    allowed = _allowed_classes(policy, h.use)
    assert allowed is not None
    if h.license_category not in allowed:
        return _fail(
            "allowed_license_classes",
            f"license class {h.license_category or 'unknown (not checked)'} is not one of "
            f"{', '.join(allowed)} (for {h.use} use)",
            list(allowed),
            h.license_category,
        )
    return _ok(f"allowed_license_classes: {h.license_category} is allowed for {h.use} use")


def _check_license_verdict(policy: Policy, h: Headline) -> _Outcome:
    wanted = policy.require_license_verdict
    assert wanted is not None
    acceptable = ("compatible",) if wanted == "compatible" else ("compatible", "needs_review")
    if h.license_verdict not in acceptable:
        return _fail(
            "require_license_verdict",
            f"license verdict {h.license_verdict or 'unknown (not checked)'} is worse than "
            f"{wanted}",
            wanted,
            h.license_verdict,
        )
    return _ok(f"require_license_verdict: verdict {h.license_verdict} is no worse than {wanted}")


def _check_pii(policy: Policy, h: Headline) -> _Outcome:
    forbidden = list(policy.forbid_unredacted_pii)
    if h.unredacted_pii is None:
        return _fail(
            "forbid_unredacted_pii",
            "no PII scan result: no dataset was scanned or carries a PII summary",
            forbidden,
            None,
        )
    found = sorted(h.unredacted_pii)
    bad = found if "*" in forbidden else [t for t in found if t in forbidden]
    if bad:
        return _fail(
            "forbid_unredacted_pii",
            f"unredacted PII of forbidden types: {', '.join(bad)}",
            forbidden,
            bad,
        )
    return _ok(f"forbid_unredacted_pii: none of {', '.join(forbidden)} left unredacted")


def _check_risk(policy: Policy, h: Headline) -> _Outcome:
    maximum = policy.max_risk_level
    assert maximum is not None
    if h.max_risk is None:
        return _fail("max_risk_level", "the compliance risk could not be assessed", maximum, None)
    if risk_rank(h.max_risk) > risk_rank(maximum):
        return _fail(
            "max_risk_level",
            f"compliance risk {h.max_risk} is above the maximum {maximum}",
            maximum,
            h.max_risk,
        )
    return _ok(
        f"max_risk_level: decided compliance risk {h.max_risk} <= {maximum}"
        + (f" ({h.open_questions} open question(s) not counted)" if h.open_questions else "")
    )


def _check_manifests(policy: Policy, h: Headline) -> _Outcome:
    if h.manifests_verified is not True:
        return _fail(
            "require_manifest_verified",
            "no dataset manifest was verified"
            if h.manifests_verified is None
            else "a dataset does not match its manifest",
            True,
            h.manifests_verified,
        )
    return _ok(f"require_manifest_verified: {len(h.manifests)} manifest(s) match their data")


def _check_card_fields(policy: Policy, h: Headline) -> _Outcome:
    missing = [f for f in policy.require_card_fields if f in h.missing_card_fields]
    if missing:
        return _fail(
            "require_card_fields",
            f"the card does not fill in: {', '.join(missing)}",
            list(policy.require_card_fields),
            missing,
        )
    return _ok(f"require_card_fields: {', '.join(policy.require_card_fields)} filled in")


def _check_signatures(policy: Policy, h: Headline) -> _Outcome:
    rule = "require_verified_signature"
    if not h.manifests:
        return _fail(rule, "no dataset manifest was given, so no signature was checked", True, None)
    bad = [m for m in h.manifests if m.signature != "verified"]
    if bad:
        return _fail(
            rule,
            "; ".join(f"{m.path}: {m.signature_label}" for m in bad),
            True,
            [m.signature for m in bad],
        )
    keys = sorted({f"sha256:{(m.key_fingerprint or '')[:16]}…" for m in h.manifests})
    return _ok(
        f"{rule}: {len(h.manifests)} manifest signature(s) verify with key {', '.join(keys)}"
    )


@dataclass(frozen=True)
class _PolicyRule:
    """A row of the policy table: when the policy sets the rule, how it is checked."""

    name: str
    check: Callable[[Policy, Headline], _Outcome]
    applies: Callable[[Policy, Headline], bool] = lambda policy, h: True


#: The policy as a table: each rule the policy sets is checked over the typed headline.
POLICY_RULES: Final[tuple[_PolicyRule, ...]] = (
    _PolicyRule("min_openness_score", _check_openness),
    _PolicyRule("min_mof_class", _check_mof),
    _PolicyRule(
        "allowed_license_classes",
        _check_license_class,
        lambda policy, h: _allowed_classes(policy, h.use) is not None,
    ),
    _PolicyRule("require_license_verdict", _check_license_verdict),
    _PolicyRule("forbid_unredacted_pii", _check_pii),
    _PolicyRule("max_risk_level", _check_risk),
    _PolicyRule("require_manifest_verified", _check_manifests),
    _PolicyRule("require_card_fields", _check_card_fields),
    _PolicyRule("require_verified_signature", _check_signatures),
)


def evaluate_policy(report: AuditReport, policy: Policy, *, name: str = "policy") -> PolicyResult:
    """Check an audit report against a policy; every violated rule is listed.

    A rule whose fact the audit could not establish (e.g. no openness score because the card
    did not load that far) is violated, never silently passed. Each rule is a row of
    :data:`POLICY_RULES`, checked over the typed :class:`Headline`.

    Args:
        report: the audit report (its ``headline`` facts are compared).
        policy: the thresholds.
        name: how the policy is named in messages (its file name).

    Returns:
        A :class:`PolicyResult` with ``passed``, the violations, and what each rule compared.
    """
    checked = set(policy.rules())
    outcomes = [
        rule.check(policy, report.headline)
        for rule in POLICY_RULES
        if rule.name in checked and rule.applies(policy, report.headline)
    ]
    violations = tuple(o.violation for o in outcomes if o.violation is not None)
    return PolicyResult(
        policy=policy.name or name,
        passed=not violations,
        checked=policy.rules(),
        violations=violations,
        explanations=tuple(o.explanation for o in outcomes),
    )
