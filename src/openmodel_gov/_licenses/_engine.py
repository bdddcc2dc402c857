"""The verdict engine: pairs of licenses, uses, derivatives.

Every decision is driven by a clause *kind* from ``license-facts.yaml`` or by an OSADL matrix
cell, never by a license name. Trees combine as documented in :mod:`openmodel_gov.licenses`:
``AND`` -> worst operand, ``OR`` -> best operand (the licensee may choose), ``-or-later`` -> a
choice of versions.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from typing import TypeVar

from openmodel_gov._licenses import _data
from openmodel_gov._licenses._classify import citation_for, facts_for, leaf_category
from openmodel_gov._licenses._expr import Lic, Node, Op, expand_or_later, lic_ids, parse, render
from openmodel_gov._licenses._results import (
    Citation,
    Obligation,
    Reason,
    UseFacts,
    Verdict,
    VerdictKind,
)

__all__ = [
    "OBLIGATION_KINDS",
    "Eval",
    "as_facts",
    "best",
    "derivative_verdict",
    "eval_tree",
    "finish",
    "obligations_of",
    "open_question_reason",
    "outbound_verdict",
    "pair",
    "reason",
    "use_leaf",
    "use_verdict",
    "worst",
]

_T = TypeVar("_T")
_OUTPUT_KINDS = frozenset({"no-outputs-to-improve-other-models", "competing-model-outputs"})
_RANK: dict[VerdictKind, int] = {"compatible": 0, "needs_review": 1, "incompatible": 2}
#: Clause kinds that become obligations when the material is distributed.
OBLIGATION_KINDS: frozenset[str] = frozenset(
    {
        "attribution",
        "license-copy",
        "notice-file",
        "state-changes",
        "attribution-display",
        "naming-prefix",
        "naming-restriction",
        "pass-on-use-restrictions",
        "share-alike",
        "produced-work-notice",
        "source-code",
    }
)


@dataclass
class Eval:
    """A partial verdict while walking a tree."""

    verdict: VerdictKind
    reasons: list[Reason] = field(default_factory=list)
    obligations: list[Obligation] = field(default_factory=list)
    conditions: list[str] = field(default_factory=list)
    matrix: bool = False


def as_facts(facts: object) -> UseFacts:
    """Accept a :class:`UseFacts`, a mapping of its fields, or ``None``."""
    if facts is None:
        return UseFacts()
    if isinstance(facts, UseFacts):
        return facts
    if isinstance(facts, Mapping):
        return UseFacts(**{str(k): v for k, v in facts.items()})
    from openmodel_gov.errors import SchemaValidationError, ValidationIssue

    raise SchemaValidationError(
        "invalid use facts",
        issues=[
            ValidationIssue(
                f"expected UseFacts or a mapping, got {type(facts).__name__}", field="$"
            )
        ],
    )


def reason(
    code: str, verdict: VerdictKind, lic: str | None, message: str, citation: Citation
) -> Reason:
    """Shorthand constructor."""
    return Reason(code=code, verdict=verdict, license=lic, message=message, citation=citation)


def open_question_reason(qid: str, lic: str, context: str) -> Reason:
    """A needs_review reason quoting an unsettled question of law."""
    q = _data.open_question(qid)
    return reason(
        f"unsettled:{qid}",
        "needs_review",
        lic,
        f"{context}; unsettled: {q.question}",
        Citation(source=q.citation),
    )


def _uniq(items: Iterable[_T]) -> list[_T]:
    out: list[_T] = []
    for item in items:
        if item not in out:
            out.append(item)
    return out


def worst(evals: list[Eval]) -> Eval:
    """AND: every operand must hold (reasons: only those that lead to the verdict)."""
    verdict = max((e.verdict for e in evals), key=_RANK.__getitem__)
    keep = (lambda r: True) if verdict == "compatible" else (lambda r: r.verdict != "compatible")
    return Eval(
        verdict,
        _uniq(r for e in evals for r in e.reasons if keep(r)),
        _uniq(o for e in evals for o in e.obligations),
        _uniq(c for e in evals for c in e.conditions),
        any(e.matrix for e in evals),
    )


def best(evals: list[Eval]) -> Eval:
    """OR: the best choice wins; if none is compatible, keep every reason."""
    top = min((e.verdict for e in evals), key=_RANK.__getitem__)
    if top == "compatible":
        return next(e for e in evals if e.verdict == "compatible")
    combined = worst(evals)
    combined.verdict = top
    return combined


def eval_tree(node: Node, leaf: Callable[[Lic], Eval]) -> Eval:
    """Walk ``node``: AND -> worst, OR -> best, -or-later -> OR over versions."""
    if isinstance(node, Op):
        evals = [eval_tree(a, leaf) for a in node.args]
        return worst(evals) if node.op == "AND" else best(evals)
    versions = expand_or_later(node)
    if len(versions) > 1:
        return best([leaf(Lic(v, node.exception)) for v in versions])
    return leaf(node)


def obligations_of(lic: Lic, kinds: frozenset[str] = OBLIGATION_KINDS) -> list[Obligation]:
    """The obligations that travel with ``lic`` when it is distributed."""
    entry = facts_for(lic)
    if entry is None:
        return []
    name = render(lic)
    return [
        Obligation(
            kind=c.kind,  # type: ignore[arg-type]
            license=name,
            text=c.text,
            value=str(c.value) if c.value is not None else None,
            citation=citation_for(entry, c.section),
        )
        for c in entry.clauses
        if c.kind in kinds
    ]


def _clause_reason(
    code: str, verdict: VerdictKind, lic: Lic, clause: _data.Clause, prefix: str = ""
) -> Reason:
    entry = facts_for(lic)
    assert entry is not None
    return reason(
        code, verdict, render(lic), prefix + clause.text, citation_for(entry, clause.section)
    )


def _matrix_cell(inbound: Lic, outbound: Lic) -> tuple[str, str, str] | None:
    matrix, _ = _data.osadl_matrix()
    key_in, key_out = render(inbound), render(outbound)
    row = matrix.get(key_out)
    if row is None or key_in not in matrix:
        return None
    return key_in, key_out, row.get(key_in, "")


_CELLS: dict[str, VerdictKind] = {"Yes": "compatible", "Same": "compatible", "No": "incompatible"}


def pair(inbound: Lic, outbound: Lic, facts: UseFacts) -> Eval:
    """Can material under the single license ``inbound`` be released under ``outbound``?"""
    name_in, name_out = render(inbound), render(outbound)
    entry = facts_for(inbound)
    carried = obligations_of(inbound)
    out_entry = facts_for(outbound)
    for lic, ent in ((inbound, entry), (outbound, out_entry)):
        if ent is not None and ent.derivatives == "review":
            clause = ent.clauses[0]
            return Eval(
                "needs_review", [_clause_reason("not-identified", "needs_review", lic, clause)]
            )
    if inbound == outbound:
        return Eval(
            "compatible",
            [
                reason(
                    "same-license",
                    "compatible",
                    name_in,
                    "released under the same license",
                    _self_citation(inbound),
                )
            ],
            carried,
        )
    if entry is not None and entry.derivatives == "none":
        clause = entry.clauses_of("no-derivatives")[0]
        return Eval(
            "incompatible", [_clause_reason("no-derivatives", "incompatible", inbound, clause)]
        )
    if entry is not None and entry.derivatives == "listed":
        allowed = (entry.id, *entry.compatible_outbound)
        deciding = (
            entry.clauses_of("share-alike")
            or entry.clauses_of("non-commercial")
            or entry.clauses_of("license-copy")
        )[0]
        if outbound.id in allowed and outbound.exception is None:
            msg = f"{name_out} is an allowed license for adapted material: "
            return Eval(
                "compatible",
                [_clause_reason("listed", "compatible", inbound, deciding, msg)],
                carried,
            )
        msg = f"{name_out} is not {' or '.join(allowed)}: "
        return Eval(
            "incompatible", [_clause_reason("not-listed", "incompatible", inbound, deciding, msg)]
        )
    cell = _matrix_cell(inbound, outbound)
    if cell is not None:
        key_in, key_out, value = cell
        verdict = _CELLS.get(value, "needs_review")
        _, label = _data.osadl_matrix()
        msg = f"OSADL matrix: leading (outbound) {key_out}, inbound {key_in}: {value or 'absent'}"
        return Eval(
            verdict,
            [
                reason(
                    "osadl",
                    verdict,
                    name_in,
                    msg,
                    Citation(source=label, section=f"{key_out} / {key_in}"),
                )
            ],
            carried if verdict == "compatible" else [],
            matrix=True,
        )
    if entry is not None and entry.derivatives == "carry-restrictions":
        clause = entry.clauses_of("pass-on-use-restrictions")[0]
        if facts.passes_use_restrictions is True:
            msg = f"{name_out} terms carry the use restrictions and a copy of the license: "
            return Eval(
                "compatible", [_clause_reason("carry", "compatible", inbound, clause, msg)], carried
            )
        if facts.passes_use_restrictions is False:
            msg = f"{name_out} terms do not carry the use restrictions: "
            return Eval(
                "incompatible", [_clause_reason("carry", "incompatible", inbound, clause, msg)]
            )
        msg = (
            f"{name_out} does not on its face carry this license's use restrictions; "
            "say passes_use_restrictions=True if your terms include them: "
        )
        return Eval(
            "needs_review", [_clause_reason("carry", "needs_review", inbound, clause, msg)], carried
        )
    if entry is not None and entry.derivatives == "any":
        msg = f"may be relicensed under {name_out}, keeping its notices"
        return Eval(
            "compatible",
            [reason("permits-relicensing", "compatible", name_in, msg, _self_citation(inbound))],
            carried,
        )
    leaf = leaf_category(inbound)
    msg = f"no OSADL matrix cell and no clause facts for releasing {name_in} under {name_out}"
    return Eval(
        "needs_review", [reason("no-facts", "needs_review", name_in, msg, leaf.reasons[0].citation)]
    )


def _self_citation(lic: Lic) -> Citation:
    entry = facts_for(lic)
    if entry is not None:
        return citation_for(entry, None)
    return leaf_category(lic).reasons[0].citation


def finish(question: str, result: Eval) -> Verdict:
    """Freeze an :class:`Eval` into a :class:`Verdict`."""
    label = _data.osadl_matrix()[1] if result.matrix else None
    return Verdict(
        question=question,
        verdict=result.verdict,
        reasons=tuple(result.reasons),
        obligations=tuple(result.obligations),
        conditions=tuple(result.conditions),
        matrix=label,
    )


def _against_outbound(inbound: Lic, out_tree: Node, facts: UseFacts) -> Eval:
    """Outbound side: OR -> every choice must work, AND -> one operand suffices."""
    if isinstance(out_tree, Op):
        evals = [_against_outbound(inbound, a, facts) for a in out_tree.args]
        return worst(evals) if out_tree.op == "OR" else best(evals)
    return pair(inbound, out_tree, facts)


def outbound_verdict(
    inbound: str, outbound: str, *, facts: UseFacts | Mapping[str, object] | None
) -> Verdict:
    """Implementation of :func:`openmodel_gov.licenses.check_outbound`."""
    use = as_facts(facts)
    p_in, p_out = parse(inbound), parse(outbound)
    result = eval_tree(p_in.tree, lambda lic: _against_outbound(lic, p_out.tree, use))
    return finish(f"release material under {p_in.canonical!r} under {p_out.canonical!r}", result)


# --------------------------------------------------------------------------- use clauses
def _size(
    lic: Lic, clause: _data.Clause, value: float | None, unit: str
) -> tuple[VerdictKind, Reason | None, str | None]:
    cap = clause.value
    assert isinstance(cap, int)
    if value is None:
        return (
            "compatible",
            None,
            f"{render(lic)}: {unit} must not exceed {cap:,} (section {clause.section})",
        )
    if value > cap:
        return (
            "incompatible",
            _clause_reason("cap", "incompatible", lic, clause, f"{unit} {value:,} > {cap:,}: "),
            None,
        )
    return (
        "compatible",
        _clause_reason("cap", "compatible", lic, clause, f"{unit} {value:,} <= {cap:,}: "),
        None,
    )


def _tri(
    lic: Lic, clause: _data.Clause, fact: bool | None, *, bad: bool, code: str, ask: str
) -> tuple[VerdictKind, Reason]:
    """A clause decided by one boolean fact: ``bad`` value -> incompatible, None -> review."""
    if fact is None:
        return "needs_review", _clause_reason(
            code, "needs_review", lic, clause, f"{ask} is not known: "
        )
    if fact is bad:
        return "incompatible", _clause_reason(code, "incompatible", lic, clause)
    return "compatible", _clause_reason(code, "compatible", lic, clause, "does not apply: ")


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
            [_clause_reason("not-identified", "needs_review", lic, entry.clauses[0])],
        )
    result = Eval("compatible")
    parts: list[tuple[VerdictKind, Reason | None]] = []
    making_available = facts.hosted_service is True or distributing or facts.commercial is True
    for clause in entry.clauses:
        kind = clause.kind
        if clause.commercial_only and facts.commercial is False:
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
                        _clause_reason("display", "incompatible", lic, clause, "not displayed: "),
                    )
                )
            elif facts.attribution_displayed is None:
                result.obligations += obligations_of(lic, frozenset({kind}))
        elif kind == "naming-prefix" and clause.covers_outputs and facts.outputs_train_other_models:
            parts.append(_naming(lic, clause, facts, result))
        elif kind == "distillation-is-derivative" and (
            facts.outputs_train_other_models or facts.distilled
        ):
            parts.append(
                (
                    "compatible",
                    _clause_reason(
                        "distillation",
                        "compatible",
                        lic,
                        clause,
                        "a model trained on these outputs is a derivative: ",
                    ),
                )
            )
            parts.append(_pass_on(lic, facts, result))
        elif kind in ("use-restrictions", "guardrails", "computational-use-only", "registration"):
            if kind != "registration" or facts.commercial is not False:
                result.obligations += obligations_of(lic, frozenset({kind}))
        elif kind == "network-source" and facts.hosted_service:
            result.obligations += obligations_of(lic, frozenset({kind}))
    if distributing:
        result.obligations += obligations_of(lic)
    verdicts = [v for v, _ in parts]
    result.verdict = max(verdicts, key=_RANK.__getitem__) if verdicts else "compatible"
    result.reasons = [r for _, r in parts if r is not None and r.verdict == result.verdict] or [
        r for _, r in parts if r is not None
    ]
    if not result.reasons:
        msg = f"{entry.name} permits this use; its obligations are listed"
        result.reasons = [reason("permitted", "compatible", name, msg, citation_for(entry, None))]
    result.obligations = _uniq(result.obligations)
    return result


def _eu(lic: Lic, clause: _data.Clause, facts: UseFacts) -> tuple[VerdictKind, Reason]:
    if facts.end_user_only is True:
        return "compatible", _clause_reason(
            "eu", "compatible", lic, clause, "end users of a product are exempt: "
        )
    if facts.multimodal is False or facts.licensee_in_eu is False:
        return "compatible", _clause_reason("eu", "compatible", lic, clause, "does not apply: ")
    if facts.multimodal and facts.licensee_in_eu:
        return "incompatible", _clause_reason(
            "eu", "incompatible", lic, clause, "EU-domiciled licensee, multimodal model: "
        )
    return "needs_review", _clause_reason(
        "eu", "needs_review", lic, clause, "multimodal / licensee_in_eu / end_user_only not known: "
    )


def _naming(
    lic: Lic, clause: _data.Clause, facts: UseFacts, result: Eval
) -> tuple[VerdictKind, Reason | None]:
    prefix = str(clause.value)
    if facts.derivative_name is None:
        result.obligations += obligations_of(lic, frozenset({"naming-prefix"}))
        return "compatible", None
    if facts.derivative_name.startswith(prefix):
        return "compatible", _clause_reason(
            "naming",
            "compatible",
            lic,
            clause,
            f"{facts.derivative_name!r} begins with {prefix!r}: ",
        )
    return "incompatible", _clause_reason(
        "naming",
        "incompatible",
        lic,
        clause,
        f"{facts.derivative_name!r} does not begin with {prefix!r}: ",
    )


def _pass_on(lic: Lic, facts: UseFacts, result: Eval) -> tuple[VerdictKind, Reason | None]:
    entry = facts_for(lic)
    assert entry is not None
    clause = entry.clauses_of("pass-on-use-restrictions")[0]
    result.obligations += obligations_of(
        lic, frozenset({"pass-on-use-restrictions", "license-copy", "notice-file"})
    )
    if facts.passes_use_restrictions is False:
        return "incompatible", _clause_reason(
            "carry", "incompatible", lic, clause, "use restrictions not passed on: "
        )
    if facts.passes_use_restrictions is None:
        return "needs_review", _clause_reason(
            "carry", "needs_review", lic, clause, "passes_use_restrictions not known: "
        )
    return "compatible", _clause_reason(
        "carry", "compatible", lic, clause, "use restrictions passed on: "
    )


def use_verdict(license: str, *, facts: UseFacts | Mapping[str, object] | None) -> Verdict:  # noqa: A002
    """Implementation of :func:`openmodel_gov.licenses.check_use`."""
    use = as_facts(facts)
    parsed = parse(license)
    result = eval_tree(parsed.tree, lambda lic: use_leaf(lic, use))
    return finish(f"use material under {parsed.canonical!r} as described", result)


def _derivative_leaf(base: Lic, out_tree: Node, facts: UseFacts) -> Eval:
    released = _against_outbound(base, out_tree, facts)
    if facts.passes_use_restrictions is None and base in lic_ids(out_tree):
        # released under the base license itself: its restrictions travel by definition
        facts = facts.model_copy(update={"passes_use_restrictions": True})
    used = use_leaf(base, facts, distributing=True)
    entry = facts_for(base)
    extra: list[tuple[VerdictKind, Reason | None]] = []
    if entry is not None:
        for clause in entry.clauses:
            if clause.kind == "naming-prefix":
                extra.append(_naming(base, clause, facts, released))
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
                        _clause_reason(
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
                max((v for v, _ in extra), key=_RANK.__getitem__),
                [r for _, r in extra if r is not None],
            )
        )
    return worst(pieces)


def derivative_verdict(
    base: str, derivative: str, *, facts: UseFacts | Mapping[str, object] | None
) -> Verdict:
    """Implementation of :func:`openmodel_gov.licenses.check_derivative`."""
    use = as_facts(facts)
    p_base, p_out = parse(base), parse(derivative)
    result = eval_tree(p_base.tree, lambda lic: _derivative_leaf(lic, p_out.tree, use))
    return finish(
        f"release a model derived from {p_base.canonical!r} under {p_out.canonical!r}", result
    )
