"""Use and derivative verdicts over license trees (the clause rules are in ``_clauses``)."""

from __future__ import annotations

import functools
from collections.abc import Mapping

from openmodel_gov.licenses._classify import facts_for
from openmodel_gov.licenses._clauses import condition, naming, tri, use_leaf
from openmodel_gov.licenses._engine import (
    RANK,
    Eval,
    against_outbound,
    as_facts,
    clause_reason,
    eval_tree,
    finish,
    worst,
)
from openmodel_gov.licenses._expr import Lic, Node, lic_ids, parse, render
from openmodel_gov.licenses._names import described
from openmodel_gov.licenses._results import Reason, UseFacts, Verdict, VerdictKind

__all__ = ["derivative_verdict", "use_verdict"]


def use_verdict(license: str, *, facts: UseFacts | Mapping[str, object] | None) -> Verdict:  # noqa: A002
    """Implementation of :func:`openmodel_gov.licenses.check_use`."""
    return _use_verdict(license, as_facts(facts))


@functools.lru_cache(maxsize=4096)
def _use_verdict(license: str, use: UseFacts) -> Verdict:  # noqa: A002
    parsed = parse(license)
    result = eval_tree(parsed.tree, lambda lic: use_leaf(lic, use))
    return finish(f"use material under {described(parsed.canonical)} as described", result)


def _derivative_leaf(base: Lic, out_tree: Node, facts: UseFacts) -> Eval:
    entry = facts_for(base)
    if entry is not None and entry.derivatives == "none":
        clause = entry.clauses_of("no-derivatives")[0]
        msg = "an adaptation may not be shared under any license, this one included: "
        return Eval(
            "incompatible", [clause_reason("no-derivatives", "incompatible", base, clause, msg)]
        )
    released = against_outbound(base, out_tree, facts)
    if facts.passes_use_restrictions is None and base in lic_ids(out_tree):
        # released under the base license itself: its restrictions travel by definition
        facts = facts.model_copy(update={"passes_use_restrictions": True})
    used = use_leaf(base, facts, distributing=True)
    extra: list[tuple[VerdictKind, Reason | None]] = []
    if entry is not None:
        for clause in entry.clauses:
            if clause.kind == "naming-prefix":
                extra.append(naming(base, clause, facts, released))
            elif (
                clause.kind == "pass-on-use-restrictions" and facts.passes_use_restrictions is False
            ):
                msg = "the derivative's terms do not carry the use restrictions: "
                extra.append(
                    ("incompatible", clause_reason("carry", "incompatible", base, clause, msg))
                )
            elif (
                clause.kind == "no-outputs-to-improve-other-models"
                and facts.outputs_train_other_models is None
            ):
                if facts.distilled is None:
                    released.conditions.append(
                        condition(
                            base,
                            clause,
                            f"the derivative must not be trained on outputs to improve "
                            f"{clause.value}",
                        )
                    )
                else:
                    extra.append(
                        tri(
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
    base: str, derivative: str | None, *, facts: UseFacts | Mapping[str, object] | None
) -> Verdict:
    """Implementation of :func:`openmodel_gov.licenses.check_derivative`."""
    if derivative is None:
        return _derivative_options(base, as_facts(facts))
    return _derivative_verdict(base, derivative, as_facts(facts))


@functools.lru_cache(maxsize=1024)
def _derivative_options(base: str, use: UseFacts) -> Verdict:
    from openmodel_gov.licenses._feasible import feasible_verdict

    p_base = parse(base)

    def check(candidate: str) -> Eval:
        out = parse(candidate).tree
        return eval_tree(p_base.tree, lambda lic: _derivative_leaf(lic, out, use))

    question = (
        f"release a model derived from {described(p_base.canonical)}: which licenses could it take?"
    )
    inputs = [render(lic) for lic in lic_ids(p_base.tree)]
    return feasible_verdict(question, [p_base.tree], inputs, check)


@functools.lru_cache(maxsize=4096)
def _derivative_verdict(base: str, derivative: str, use: UseFacts) -> Verdict:
    p_base, p_out = parse(base), parse(derivative)
    result = eval_tree(p_base.tree, lambda lic: _derivative_leaf(lic, p_out.tree, use))
    question = (
        f"release a model derived from {described(p_base.canonical)} "
        f"under {described(p_out.canonical)}"
    )
    return finish(question, result)
