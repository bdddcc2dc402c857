"""One rule per clause kind: what each clause of a license does to a use (the table
:data:`_HANDLERS`), and the naming / pass-on rules a release shares with the dataset checks.

Which licenses have which clauses is data (``license-facts.yaml``).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

from openmodel_gov.licenses import _data
from openmodel_gov.licenses._classify import citation_for, facts_for, leaf_category
from openmodel_gov.licenses._engine import (
    RANK,
    Eval,
    clause_reason,
    obligations_of,
    open_question_reason,
    reason,
    uniq,
)
from openmodel_gov.licenses._expr import Lic, render
from openmodel_gov.licenses._names import fold_name, starts_with_name
from openmodel_gov.licenses._results import Reason, UseFacts, VerdictKind

__all__ = ["condition", "naming", "pass_on", "tri", "use_leaf"]

_OUTPUT_KINDS = frozenset({"no-outputs-to-improve-other-models", "competing-model-outputs"})


def _size(
    lic: Lic, clause: _data.Clause, value: float | None, unit: str
) -> tuple[VerdictKind, Reason | None, str | None]:
    cap = clause.value
    assert isinstance(cap, int)
    if value is None:
        return (
            "compatible",
            None,
            f"{render(lic)}: {unit} must not exceed {cap:,} (§{clause.section})",
        )
    if value > cap:
        return (
            "incompatible",
            clause_reason("cap", "incompatible", lic, clause, f"{unit} {value:,} > {cap:,}: "),
            None,
        )
    return (
        "compatible",
        clause_reason("cap", "compatible", lic, clause, f"{unit} {value:,} <= {cap:,}: "),
        None,
    )


def tri(
    lic: Lic, clause: _data.Clause, fact: bool | None, *, bad: bool, code: str, ask: str
) -> tuple[VerdictKind, Reason]:
    """A clause decided by one boolean fact: ``bad`` value -> incompatible, None -> review."""
    if fact is None:
        return "needs_review", clause_reason(
            code, "needs_review", lic, clause, f"{ask} is not known: "
        )
    if fact is bad:
        return "incompatible", clause_reason(code, "incompatible", lic, clause)
    return "compatible", clause_reason(code, "compatible", lic, clause, "does not apply: ")


@dataclass
class _Ctx:
    """One license leaf being checked against the facts of a use."""

    lic: Lic
    entry: _data.LicenseFacts
    facts: UseFacts
    distributing: bool
    result: Eval
    parts: list[tuple[VerdictKind, Reason | None]] = field(default_factory=list)

    @property
    def making_available(self) -> bool:
        f = self.facts
        return f.hosted_service is True or self.distributing or f.commercial is True

    def oblige(self, kind: str) -> None:
        self.result.obligations += obligations_of(self.lic, frozenset({kind}))


def _non_commercial(ctx: _Ctx, clause: _data.Clause) -> None:
    if ctx.distributing and ctx.facts.commercial is None:
        # releasing under terms that keep the restriction: the release itself must stay
        # non-commercial, which the releaser controls (a stated condition, not an open question)
        ctx.result.conditions.append(
            condition(ctx.lic, clause, "the release and its use must stay non-commercial")
        )
        return
    ctx.parts.append(
        tri(
            ctx.lic,
            clause,
            ctx.facts.commercial,
            bad=True,
            code="non-commercial",
            ask="whether the use is commercial",
        )
    )


def _cap(ctx: _Ctx, clause: _data.Clause) -> None:
    value: float | None
    if clause.kind == "mau-cap":
        value, unit = ctx.facts.monthly_active_users, "monthly active users"
    else:
        value, unit = ctx.facts.annual_revenue_usd, "annual revenue (USD)"
    verdict, why, cond = _size(ctx.lic, clause, value, unit)
    ctx.parts.append((verdict, why))
    ctx.result.conditions += [cond] if cond else []


def condition(lic: Lic, clause: _data.Clause, what: str) -> str:
    """A condition the licensee knows about itself (outputs, domicile), stated with its clause."""
    entry = facts_for(lic)
    assert entry is not None
    return f"{render(lic)}: {what} ({citation_for(entry, clause.section)})"


def _no_outputs(ctx: _Ctx, clause: _data.Clause) -> None:
    if ctx.facts.outputs_train_other_models is None:
        ctx.result.conditions.append(
            condition(ctx.lic, clause, f"outputs must not train or improve {clause.value}")
        )
        return
    ctx.parts.append(
        tri(
            ctx.lic,
            clause,
            ctx.facts.outputs_train_other_models,
            bad=True,
            code="outputs",
            ask="whether outputs train other models",
        )
    )


def _competing(ctx: _Ctx, clause: _data.Clause) -> None:
    trains = ctx.facts.outputs_train_other_models
    if trains is False:
        return
    ctx_text = (
        "outputs may train other models" if trains else "outputs_train_other_models not known"
    )
    ctx.parts.append(
        ("needs_review", open_question_reason("competing-model", render(ctx.lic), ctx_text))
    )


def _eu_rule(ctx: _Ctx, clause: _data.Clause) -> None:
    verdict, why = _eu(ctx.lic, clause, ctx.facts)
    if verdict == "needs_review":  # who the licensee is, the licensee knows: a condition
        ctx.result.conditions.append(
            condition(
                ctx.lic,
                clause,
                "for a multimodal model, not granted to individuals domiciled or companies "
                "based in the EU (end users of a product are exempt)",
            )
        )
        return
    ctx.parts.append((verdict, why))


def _display(ctx: _Ctx, clause: _data.Clause) -> None:
    if not ctx.making_available:
        return
    if ctx.facts.attribution_displayed is False:
        why = clause_reason("display", "incompatible", ctx.lic, clause, "not displayed: ")
        ctx.parts.append(("incompatible", why))
    elif ctx.facts.attribution_displayed is None:
        ctx.oblige("attribution-display")


def _naming_outputs(ctx: _Ctx, clause: _data.Clause) -> None:
    if clause.covers_outputs and ctx.facts.outputs_train_other_models:
        ctx.parts.append(naming(ctx.lic, clause, ctx.facts, ctx.result))


def _distillation(ctx: _Ctx, clause: _data.Clause) -> None:
    if not (ctx.facts.outputs_train_other_models or ctx.facts.distilled):
        return
    msg = "a model trained on these outputs is a derivative: "
    ctx.parts.append(
        ("compatible", clause_reason("distillation", "compatible", ctx.lic, clause, msg))
    )
    ctx.parts.append(pass_on(ctx.lic, ctx.facts, ctx.result))


def _plain_obligation(ctx: _Ctx, clause: _data.Clause) -> None:
    ctx.oblige(clause.kind)


def _registration(ctx: _Ctx, clause: _data.Clause) -> None:
    if ctx.facts.commercial is not False:
        ctx.oblige(clause.kind)


def _network_source(ctx: _Ctx, clause: _data.Clause) -> None:
    if ctx.facts.hosted_service:
        ctx.oblige(clause.kind)


def _service_terms(ctx: _Ctx, clause: _data.Clause) -> None:
    """A hosted service must bind its users to the use restrictions (OpenRAIL §III.4(a), ...)."""
    if not ctx.facts.hosted_service:
        return
    binds = ctx.facts.passes_use_restrictions
    if binds is False:
        msg = "hosted service whose terms do not bind users to the use restrictions: "
        ctx.parts.append(
            ("incompatible", clause_reason("service", "incompatible", ctx.lic, clause, msg))
        )
    elif binds is None:
        ctx.oblige(clause.kind)
        section = citation_for(ctx.entry, clause.section)
        ctx.result.conditions.append(
            f"{render(ctx.lic)}: the service's terms must include the use restrictions ({section})"
        )
    else:
        msg = "the service's terms bind users to the use restrictions: "
        ctx.parts.append(
            ("compatible", clause_reason("service", "compatible", ctx.lic, clause, msg))
        )


def _no_hosting(ctx: _Ctx, clause: _data.Clause) -> None:
    """Offering the model as a shared / managed service needs a separate license."""
    hosted = ctx.facts.hosted_service
    if hosted is None:
        ctx.result.conditions.append(
            condition(ctx.lic, clause, "not offered as a hosted (shared or managed) service")
        )
    elif hosted:
        msg = "hosted service without the separate license the clause requires: "
        ctx.parts.append(
            ("incompatible", clause_reason("hosting", "incompatible", ctx.lic, clause, msg))
        )


#: What each clause kind does to a use verdict; kinds not listed here do not restrict use
#: (they bind distribution and are judged by the release path: share-alike, no-derivatives,
#: license-copy, notices, naming of derivatives, listed outbound licenses).
_HANDLERS: dict[str, Callable[[_Ctx, _data.Clause], None]] = {
    "non-commercial": _non_commercial,
    "mau-cap": _cap,
    "revenue-cap": _cap,
    "no-outputs-to-improve-other-models": _no_outputs,
    "competing-model-outputs": _competing,
    "eu-multimodal-exclusion": _eu_rule,
    "attribution-display": _display,
    "naming-prefix": _naming_outputs,
    "distillation-is-derivative": _distillation,
    "use-restrictions": _plain_obligation,
    "guardrails": _plain_obligation,
    "computational-use-only": _plain_obligation,
    "registration": _registration,
    "network-source": _network_source,
    "service-terms": _service_terms,
    "no-hosting": _no_hosting,
}


def _without_facts(lic: Lic) -> Eval:
    leaf = leaf_category(lic)
    name = render(lic)
    if leaf.category in ("permissive", "copyleft"):
        msg = f"{leaf.category} licenses do not restrict use (only distribution)"
        return Eval(
            "compatible", [reason("category", "compatible", name, msg, leaf.reasons[0].citation)]
        )
    msg = f"no clause facts for {name} (category {leaf.category})"
    return Eval(
        "needs_review", [reason("no-facts", "needs_review", name, msg, leaf.reasons[0].citation)]
    )


def _skipped(ctx: _Ctx, clause: _data.Clause) -> bool:
    """Clauses that do not bind this use (commercial-only caps, end users, outputs)."""
    facts = ctx.facts
    if clause.commercial_only and facts.commercial is False:
        return True
    if clause.end_user_exemption and facts.end_user_only:
        msg = "end users of an integrated product are exempt from: " + clause.text
        cite = citation_for(ctx.entry, clause.end_user_exemption)
        ctx.parts.append(
            ("compatible", reason("end-user", "compatible", render(ctx.lic), msg, cite))
        )
        return True
    # a derivative's own relation to the base is judged in _derivative_leaf
    return (
        ctx.distributing and clause.kind in _OUTPUT_KINDS and not facts.outputs_train_other_models
    )


def use_leaf(lic: Lic, facts: UseFacts, *, distributing: bool = False) -> Eval:
    """May ``lic`` be used as ``facts`` describe (and, if ``distributing``, released)?"""
    entry = facts_for(lic)
    if entry is None:
        return _without_facts(lic)
    if entry.derivatives == "review":
        return Eval(
            "needs_review",
            [clause_reason("not-identified", "needs_review", lic, entry.clauses[0])],
        )
    ctx = _Ctx(lic, entry, facts, distributing, Eval("compatible"))
    for clause in entry.clauses:
        handler = _HANDLERS.get(clause.kind)
        if handler is not None and not _skipped(ctx, clause):
            handler(ctx, clause)
    result = ctx.result
    if distributing:
        result.obligations += obligations_of(lic)
    verdicts = [v for v, _ in ctx.parts]
    result.verdict = max(verdicts, key=RANK.__getitem__) if verdicts else "compatible"
    result.reasons = [r for _, r in ctx.parts if r is not None and r.verdict == result.verdict] or [
        r for _, r in ctx.parts if r is not None
    ]
    if not result.reasons:
        msg = f"{entry.name} permits this use; its obligations are listed"
        result.reasons = [
            reason("permitted", "compatible", render(lic), msg, citation_for(entry, None))
        ]
    result.obligations = uniq(result.obligations)
    return result


def _eu(lic: Lic, clause: _data.Clause, facts: UseFacts) -> tuple[VerdictKind, Reason]:
    if facts.end_user_only is True:
        return "compatible", clause_reason(
            "eu", "compatible", lic, clause, "end users of a product are exempt: "
        )
    if facts.multimodal is False or facts.licensee_in_eu is False:
        return "compatible", clause_reason("eu", "compatible", lic, clause, "does not apply: ")
    if facts.multimodal and facts.licensee_in_eu:
        return "incompatible", clause_reason(
            "eu", "incompatible", lic, clause, "EU-domiciled licensee, multimodal model: "
        )
    return "needs_review", clause_reason(
        "eu", "needs_review", lic, clause, "multimodal / licensee_in_eu / end_user_only not known: "
    )


def naming(
    lic: Lic, clause: _data.Clause, facts: UseFacts, result: Eval
) -> tuple[VerdictKind, Reason | None]:
    prefix = str(clause.value)
    if facts.derivative_name is None:
        result.obligations += obligations_of(lic, frozenset({"naming-prefix"}))
        return "compatible", None
    compared = (
        f"{facts.derivative_name!r} (read as {fold_name(facts.derivative_name)!r}) "
        f"against {prefix!r} (read as {fold_name(prefix)!r}), case and separators "
        "(space, '-', '_') ignored"
    )
    if starts_with_name(facts.derivative_name, prefix):
        return "compatible", clause_reason(
            "naming", "compatible", lic, clause, f"name begins with the prefix: {compared}: "
        )
    return "incompatible", clause_reason(
        "naming", "incompatible", lic, clause, f"name does not begin with the prefix: {compared}: "
    )


def pass_on(
    lic: Lic, facts: UseFacts, result: Eval, *, outbound_carries: bool | None = None
) -> tuple[VerdictKind, Reason | None]:
    """The derivative must carry ``lic``'s use restrictions.

    ``outbound_carries``: whether the release's license expression includes ``lic`` (``None``
    when no release license is named: the duty is then an obligation).
    """
    entry = facts_for(lic)
    assert entry is not None
    clause = entry.clauses_of("pass-on-use-restrictions")[0]
    result.obligations += obligations_of(
        lic, frozenset({"pass-on-use-restrictions", "license-copy", "notice-file"})
    )
    passes = facts.passes_use_restrictions
    if passes is None and outbound_carries is not None:
        passes = outbound_carries
    if passes is False:
        msg = (
            "use restrictions not passed on (the release license does not include this one): "
            if outbound_carries is False and facts.passes_use_restrictions is None
            else "use restrictions not passed on: "
        )
        return "incompatible", clause_reason("carry", "incompatible", lic, clause, msg)
    if passes is None:
        return "compatible", None
    return "compatible", clause_reason(
        "carry", "compatible", lic, clause, "use restrictions passed on: "
    )
