"""The audit policy file: thresholds the audit must meet (the *policy gate*)."""

from __future__ import annotations

import os
from typing import Any, Final, Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError

from openmodel_gov.audit._model import AuditReport, PolicyResult, PolicyViolation

__all__ = [
    "POLICY_FORMAT",
    "LicenseClass",
    "Policy",
    "evaluate_policy",
    "load_policy",
    "parse_policy",
    "policy_json_schema",
]

POLICY_FORMAT: Final = "openmodel-gov/audit-policy/v1"
LicenseClass = Literal["permissive", "copyleft", "non-commercial", "restricted", "unknown"]
RiskLevel = Literal["Low", "Medium", "High", "Critical"]
CardField = Literal[
    "intended_use", "out_of_scope_use", "limitations", "bias_risks", "license", "eval_results"
]
_RISKS: tuple[str, ...] = ("Low", "Medium", "High", "Critical")
_MOF_RANK = {"III": 3, "II": 2, "I": 1}


class Policy(BaseModel):
    """Thresholds an audit must meet; every key is optional (absent: not checked).

    >>> p = Policy(min_openness_score=6, max_risk_level="Medium")
    >>> p.min_openness_score, p.rules()
    (6, ('min_openness_score', 'max_risk_level'))
    """

    model_config = ConfigDict(frozen=True, extra="forbid", populate_by_name=True)

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


def parse_policy(data: object, *, source: str | None = None, positions: Any = None) -> Policy:
    """Validate parsed policy data.

    Raises:
        PolicyError: a wrong key or value; the message lists every problem with its field.
    """
    from openmodel_gov._core._io import LoadedDocument, json_path
    from openmodel_gov.errors import PolicyError

    if not isinstance(data, dict):
        raise PolicyError("a policy must be a mapping of rule -> threshold", source=source)
    try:
        return Policy.model_validate(data)
    except ValidationError as exc:
        doc = positions if isinstance(positions, LoadedDocument) else None
        problems: list[str] = []
        first_field: str | None = None
        first_line: int | None = None
        for err in exc.errors():
            loc: tuple[str | int, ...] = tuple(err["loc"])
            if loc and loc[0] == "schema_":
                loc = ("schema", *loc[1:])
            field = json_path(loc)
            line = doc.line_of(loc) if doc else None
            first_field = first_field or field
            first_line = first_line or line
            where = f"line {line}: " if line else ""
            problems.append(f"{where}{field}: {err['msg']}")
        errors = exc.errors()
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
    from openmodel_gov._core._io import (
        decode_utf8,
        load_json_document,
        load_yaml_document,
        read_bytes,
    )

    source = os.fspath(path)
    text = decode_utf8(read_bytes(path), source=source)
    loader = load_json_document if source.endswith(".json") else load_yaml_document
    doc = loader(text, source=source)
    return parse_policy(doc.data, source=source, positions=doc)


def _headline(report: AuditReport, key: str) -> Any:
    return report.headline.get(key)


def evaluate_policy(report: AuditReport, policy: Policy, *, name: str = "policy") -> PolicyResult:
    """Check an audit report against a policy; every violated rule is listed.

    A rule whose fact the audit could not establish (e.g. no openness score because the card
    did not load that far) is violated, never silently passed.

    Args:
        report: the audit report (its ``headline`` facts are compared).
        policy: the thresholds.
        name: how the policy is named in messages (its file name).

    Returns:
        A :class:`PolicyResult` with ``passed`` and the violations.
    """
    violations: list[PolicyViolation] = []

    def fail(rule: str, message: str, expected: Any, actual: Any) -> None:
        violations.append(
            PolicyViolation(rule=rule, message=message, expected=expected, actual=actual)
        )

    if policy.min_openness_score is not None:
        score = _headline(report, "openness_score")
        if score is None:
            fail(
                "min_openness_score",
                "the openness score could not be computed",
                policy.min_openness_score,
                None,
            )
        elif int(score) < policy.min_openness_score:
            fail(
                "min_openness_score",
                f"openness score {score}/10 is below the minimum {policy.min_openness_score}",
                policy.min_openness_score,
                score,
            )
    if policy.min_mof_class is not None:
        mof = _headline(report, "mof_class")
        rank = _MOF_RANK.get(str(mof), 99) if mof else 99
        if rank > _MOF_RANK[policy.min_mof_class]:
            fail(
                "min_mof_class",
                f"MOF class {mof or 'unclassified'} does not reach class {policy.min_mof_class}",
                policy.min_mof_class,
                mof,
            )
    raw = policy.allowed_license_classes
    use = "research" if _headline(report, "use") == "research" else "commercial"
    allowed: tuple[LicenseClass, ...] | None
    if isinstance(raw, dict):
        allowed = raw.get("research") if use == "research" else raw.get("commercial")
    else:
        allowed = raw
    if allowed is not None:
        category = _headline(report, "license_category")
        if category not in allowed:
            fail(
                "allowed_license_classes",
                f"license class {category or 'unknown (not checked)'} is not one of "
                f"{', '.join(allowed)} (for {use} use)",
                list(allowed),
                category,
            )
    if policy.require_license_verdict is not None:
        verdict = _headline(report, "license_verdict")
        acceptable = (
            ("compatible",)
            if policy.require_license_verdict == "compatible"
            else ("compatible", "needs_review")
        )
        if verdict not in acceptable:
            fail(
                "require_license_verdict",
                f"license verdict {verdict or 'unknown (not checked)'} is worse than "
                f"{policy.require_license_verdict}",
                policy.require_license_verdict,
                verdict,
            )
    if policy.forbid_unredacted_pii:
        found = _headline(report, "unredacted_pii")
        if found is None:
            fail(
                "forbid_unredacted_pii",
                "no PII scan result: no dataset was scanned or carries a PII summary",
                list(policy.forbid_unredacted_pii),
                None,
            )
        else:
            types = sorted(str(t) for t in found) if isinstance(found, list) else []
            bad = (
                types
                if "*" in policy.forbid_unredacted_pii
                else [t for t in types if t in policy.forbid_unredacted_pii]
            )
            if bad:
                fail(
                    "forbid_unredacted_pii",
                    f"unredacted PII of forbidden types: {', '.join(bad)}",
                    list(policy.forbid_unredacted_pii),
                    bad,
                )
    if policy.max_risk_level is not None:
        risk = _headline(report, "max_risk")
        if risk is None:
            fail(
                "max_risk_level",
                "the compliance risk could not be assessed",
                policy.max_risk_level,
                None,
            )
        elif _RISKS.index(str(risk)) > _RISKS.index(policy.max_risk_level):
            fail(
                "max_risk_level",
                f"compliance risk {risk} is above the maximum {policy.max_risk_level}",
                policy.max_risk_level,
                risk,
            )
    if policy.require_manifest_verified:
        verified = _headline(report, "manifests_verified")
        if verified is not True:
            fail(
                "require_manifest_verified",
                "no dataset manifest was verified"
                if verified is None
                else "a dataset does not match its manifest",
                True,
                verified,
            )
    if policy.require_card_fields:
        missing_fields = _headline(report, "missing_card_fields")
        present = set(missing_fields) if isinstance(missing_fields, list) else set()
        missing = [f for f in policy.require_card_fields if f in present]
        if missing:
            fail(
                "require_card_fields",
                f"the card does not fill in: {', '.join(missing)}",
                list(policy.require_card_fields),
                missing,
            )
    return PolicyResult(
        policy=policy.name or name,
        passed=not violations,
        checked=policy.rules(),
        violations=tuple(violations),
    )
