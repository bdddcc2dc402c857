"""Use and derivative verdicts: clauses decided by :class:`UseFacts`.

Each clause kind has one rule here; which licenses have which clauses is data
(``license-facts.yaml``).
"""

from __future__ import annotations

import functools
from collections.abc import Mapping

from openmodel_gov.licenses import _data
from openmodel_gov.licenses._classify import citation_for, facts_for, leaf_category
from openmodel_gov.licenses._engine import (
    RANK,
    Eval,
    against_outbound,
    as_facts,
    clause_reason,
    eval_tree,
    finish,
    obligations_of,
    open_question_reason,
    reason,
    uniq,
    worst,
)
from openmodel_gov.licenses._expr import Lic, Node, lic_ids, parse, render
from openmodel_gov.licenses._results import Reason, UseFacts, Verdict, VerdictKind

__all__ = ["derivative_verdict", "naming", "pass_on", "use_leaf", "use_verdict"]

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


def _tri(
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


def use_leaf(lic: Lic, facts: UseFacts, *, distributing: bool = False) -> Eval:
    """May ``lic`` be used as ``facts`` describe (and, if ``distributing``, released)?"""
    entry = facts_for(lic)
    name = render(lic)
    if entry is None:
        leaf = leaf_category(lic)
        if leaf.category in ("permissive", "copyleft"):
            msg = f"{leaf.category} licenses do not restrict use (only distribution)"
            return Eval(
                "compatible",
                [reason("category", "compatible", name, msg, leaf.reasons[0].citation)],
            )
        msg = f"no clause facts for {name} (category {leaf.category})"
        return Eval(
            "needs_review",
            [reason("no-facts", "needs_review", name, msg, leaf.reasons[0].citation)],
        )
    if entry.derivatives == "review":
        return Eval(
            "needs_review",
            [clause_reason("not-identified", "needs_review", lic, entry.clauses[0])],
        )
    result = Eval("compatible")
    parts: list[tuple[VerdictKind, Reason | None]] = []
    making_available = facts.hosted_service is True or distributing or facts.commercial is True
    for clause in entry.clauses:
        kind = clause.kind
        if clause.commercial_only and facts.commercial is False:
            continue
        if clause.end_user_exemption and facts.end_user_only:
            msg = "end users of an integrated product are exempt from: " + clause.text
            cite = citation_for(entry, clause.end_user_exemption)
            parts.append(("compatible", reason("end-user", "compatible", name, msg, cite)))
            continue
        if distributing and kind in _OUTPUT_KINDS and not facts.outputs_train_other_models:
            continue  # a derivative's own relation to the base is judged in _derivative_leaf
        if kind == "non-commercial":
            parts.append(
                _tri(
                    lic,
                    clause,
                    facts.commercial,
                    bad=True,
                    code="non-commercial",
                    ask="whether the use is commercial",
                )
            )
        elif kind == "mau-cap":
            verdict, why, cond = _size(
                lic, clause, facts.monthly_active_users, "monthly active users"
            )
            parts.append((verdict, why))
            result.conditions += [cond] if cond else []
        elif kind == "revenue-cap":
            verdict, why, cond = _size(
                lic, clause, facts.annual_revenue_usd, "annual revenue (USD)"
            )
            parts.append((verdict, why))
            result.conditions += [cond] if cond else []
        elif kind == "no-outputs-to-improve-other-models":
            parts.append(
                _tri(
                    lic,
                    clause,
                    facts.outputs_train_other_models,
                    bad=True,
                    code="outputs",
                    ask="whether outputs train other models",
                )
            )
        elif kind == "competing-model-outputs" and facts.outputs_train_other_models is not False:
            ctx = (
                "outputs may train other models"
                if facts.outputs_train_other_models
                else "outputs_train_other_models not known"
            )
            parts.append(("needs_review", open_question_reason("competing-model", name, ctx)))
        elif kind == "eu-multimodal-exclusion":
            parts.append(_eu(lic, clause, facts))
        elif kind == "attribution-display" and making_available:
            if facts.attribution_displayed is False:
                parts.append(
                    (
                        "incompatible",
                        clause_reason("display", "incompatible", lic, clause, "not displayed: "),
                    )
                )
            elif facts.attribution_displayed is None:
                result.obligations += obligations_of(lic, frozenset({kind}))
        elif kind == "naming-prefix" and clause.covers_outputs and facts.outputs_train_other_models:
            parts.append(naming(lic, clause, facts, result))
        elif kind == "distillation-is-derivative" and (
            facts.outputs_train_other_models or facts.distilled
        ):
            parts.append(
                (
                    "compatible",
                    clause_reason(
                        "distillation",
                        "compatible",
                        lic,
                        clause,
                        "a model trained on these outputs is a derivative: ",
                    ),
                )
            )
            parts.append(pass_on(lic, facts, result))
        elif kind in ("use-restrictions", "guardrails", "computational-use-only", "registration"):
            if kind != "registration" or facts.commercial is not False:
                result.obligations += obligations_of(lic, frozenset({kind}))
        elif kind == "network-source" and facts.hosted_service:
            result.obligations += obligations_of(lic, frozenset({kind}))
    if distributing:
        result.obligations += obligations_of(lic)
    verdicts = [v for v, _ in parts]
    result.verdict = max(verdicts, key=RANK.__getitem__) if verdicts else "compatible"
    result.reasons = [r for _, r in parts if r is not None and r.verdict == result.verdict] or [
        r for _, r in parts if r is not None
    ]
    if not result.reasons:
        msg = f"{entry.name} permits this use; its obligations are listed"
        result.reasons = [reason("permitted", "compatible", name, msg, citation_for(entry, None))]
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
    if facts.derivative_name.startswith(prefix):
        return "compatible", clause_reason(
            "naming",
            "compatible",
            lic,
            clause,
            f"{facts.derivative_name!r} begins with {prefix!r}: ",
        )
    return "incompatible", clause_reason(
        "naming",
        "incompatible",
        lic,
        clause,
        f"{facts.derivative_name!r} does not begin with {prefix!r}: ",
    )


def pass_on(lic: Lic, facts: UseFacts, result: Eval) -> tuple[VerdictKind, Reason | None]:
    entry = facts_for(lic)
    assert entry is not None
    clause = entry.clauses_of("pass-on-use-restrictions")[0]
    result.obligations += obligations_of(
        lic, frozenset({"pass-on-use-restrictions", "license-copy", "notice-file"})
    )
    if facts.passes_use_restrictions is False:
        return "incompatible", clause_reason(
            "carry", "incompatible", lic, clause, "use restrictions not passed on: "
        )
    if facts.passes_use_restrictions is None:
        return "needs_review", clause_reason(
            "carry", "needs_review", lic, clause, "passes_use_restrictions not known: "
        )
    return "compatible", clause_reason(
        "carry", "compatible", lic, clause, "use restrictions passed on: "
    )


def use_verdict(license: str, *, facts: UseFacts | Mapping[str, object] | None) -> Verdict:  # noqa: A002
    """Implementation of :func:`openmodel_gov.licenses.check_use`."""
    return _use_verdict(license, as_facts(facts))


@functools.lru_cache(maxsize=4096)
def _use_verdict(license: str, use: UseFacts) -> Verdict:  # noqa: A002
    parsed = parse(license)
    result = eval_tree(parsed.tree, lambda lic: use_leaf(lic, use))
    return finish(f"use material under {parsed.canonical!r} as described", result)


def _derivative_leaf(base: Lic, out_tree: Node, facts: UseFacts) -> Eval:
    released = against_outbound(base, out_tree, facts)
    if facts.passes_use_restrictions is None and base in lic_ids(out_tree):
        # released under the base license itself: its restrictions travel by definition
        facts = facts.model_copy(update={"passes_use_restrictions": True})
    used = use_leaf(base, facts, distributing=True)
    entry = facts_for(base)
    extra: list[tuple[VerdictKind, Reason | None]] = []
    if entry is not None:
        for clause in entry.clauses:
            if clause.kind == "naming-prefix":
                extra.append(naming(base, clause, facts, released))
            elif (
                clause.kind == "no-outputs-to-improve-other-models"
                and facts.outputs_train_other_models is None
            ):
                extra.append(
                    _tri(
                        base,
                        clause,
                        facts.distilled,
                        bad=True,
                        code="distilled",
                        ask="whether the derivative was distilled from outputs",
                    )
                )
            elif clause.kind == "distillation-is-derivative" and facts.distilled:
                extra.append(
                    (
                        "compatible",
                        clause_reason(
                            "distillation",
                            "compatible",
                            base,
                            clause,
                            "the distilled model is a derivative: ",
                        ),
                    )
                )
    pieces = [released, used]
    if extra:
        pieces.append(
            Eval(
                max((v for v, _ in extra), key=RANK.__getitem__),
                [r for _, r in extra if r is not None],
            )
        )
    return worst(pieces)


def derivative_verdict(
    base: str, derivative: str, *, facts: UseFacts | Mapping[str, object] | None
) -> Verdict:
    """Implementation of :func:`openmodel_gov.licenses.check_derivative`."""
    return _derivative_verdict(base, derivative, as_facts(facts))


@functools.lru_cache(maxsize=4096)
def _derivative_verdict(base: str, derivative: str, use: UseFacts) -> Verdict:
    p_base, p_out = parse(base), parse(derivative)
    result = eval_tree(p_base.tree, lambda lic: _derivative_leaf(lic, p_out.tree, use))
    return finish(
        f"release a model derived from {p_base.canonical!r} under {p_out.canonical!r}", result
    )
