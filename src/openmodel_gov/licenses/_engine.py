"""The verdict engine: combining trees, and pairs of licenses (inbound -> outbound).

Every decision is driven by a clause *kind* from ``license-facts.yaml`` or by an OSADL matrix
cell, never by a license name. Trees combine as documented in :mod:`openmodel_gov.licenses`:
``AND`` -> worst operand, ``OR`` -> best operand (the licensee may choose), ``-or-later`` -> a
choice of versions.
"""

from __future__ import annotations

import functools
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from typing import TypeVar

from openmodel_gov.licenses import _data
from openmodel_gov.licenses._classify import citation_for, facts_for, leaf_category
from openmodel_gov.licenses._expr import Lic, Node, Op, expand_or_later, parse, render
from openmodel_gov.licenses._names import described, name_of
from openmodel_gov.licenses._results import (
    Citation,
    Obligation,
    Reason,
    UseFacts,
    Verdict,
    VerdictKind,
)

__all__ = [
    "OBLIGATION_KINDS",
    "RANK",
    "Eval",
    "against_outbound",
    "as_facts",
    "best",
    "clause_reason",
    "eval_tree",
    "finish",
    "obligations_of",
    "open_question_reason",
    "outbound_verdict",
    "pair",
    "reason",
    "uniq",
    "worst",
]

_T = TypeVar("_T")
RANK: dict[VerdictKind, int] = {"compatible": 0, "needs_review": 1, "incompatible": 2}
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
        return _facts_from(())
    if isinstance(facts, UseFacts):
        return facts
    if isinstance(facts, Mapping):
        # the value's type is part of the key: True == 1, but strict validation tells them apart
        items = tuple(sorted((str(k), type(v).__name__, v) for k, v in facts.items()))
        try:
            return _facts_from(items)
        except TypeError:  # an unhashable value: validate without the cache (and fail there)
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


@functools.lru_cache(maxsize=1024)
def _facts_from(items: tuple[tuple[str, str, object], ...]) -> UseFacts:
    """Validated, frozen facts for a mapping's items (cached: the same facts are one object)."""
    return UseFacts(**{key: value for key, _, value in items})


@functools.lru_cache(maxsize=8192)
def reason(
    code: str, verdict: VerdictKind, lic: str | None, message: str, citation: Citation
) -> Reason:
    """Shorthand constructor (cached: equal reasons are one object); adds the human name."""
    return Reason(
        code=code,
        verdict=verdict,
        license=lic,
        message=message,
        citation=citation,
        license_name=name_of(lic) if lic else None,
    )


@functools.lru_cache(maxsize=1024)
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


def uniq(items: Iterable[_T]) -> list[_T]:
    """Drop repeats, keeping first-seen order.

    Reasons and obligations come from cached factories (:func:`reason`,
    :func:`clause_reason`, :func:`obligations_of`), so equal items are the same object and
    identity is enough (hashing pydantic models is the slow part of a verdict).
    """
    return list({id(item): item for item in items}.values())


def _merged(lists: Iterable[Iterable[_T]]) -> list[_T]:
    """Concatenate, dropping repeats by identity (see :func:`uniq`), first-seen order."""
    seen: set[int] = set()
    out: list[_T] = []
    for items in lists:
        for item in items:
            key = id(item)
            if key not in seen:
                seen.add(key)
                out.append(item)
    return out


_BY_RANK: tuple[VerdictKind, ...] = ("compatible", "needs_review", "incompatible")


def worst(evals: list[Eval]) -> Eval:
    """AND: every operand must hold (reasons: only those that lead to the verdict)."""
    verdict = _BY_RANK[max(RANK[e.verdict] for e in evals)]
    if verdict == "compatible":
        reasons = _merged(e.reasons for e in evals)
    else:
        reasons = _merged([r for r in e.reasons if r.verdict != "compatible"] for e in evals)
    return Eval(
        verdict,
        reasons,
        _merged(e.obligations for e in evals),
        list(dict.fromkeys(c for e in evals for c in e.conditions)),
        any(e.matrix for e in evals),
    )


def best(evals: list[Eval]) -> Eval:
    """OR: the best choice wins; if none is compatible, keep every reason."""
    top = min((e.verdict for e in evals), key=RANK.__getitem__)
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


@functools.lru_cache(maxsize=4096)
def obligations_of(lic: Lic, kinds: frozenset[str] = OBLIGATION_KINDS) -> tuple[Obligation, ...]:
    """The obligations of ``kinds`` that travel with ``lic`` (one shared object each)."""
    return tuple(o for o in _all_obligations(lic) if o.kind in kinds)


_EVERY_OBLIGATION = OBLIGATION_KINDS | {
    "use-restrictions",
    "guardrails",
    "computational-use-only",
    "registration",
    "network-source",
    "service-terms",
}


@functools.lru_cache(maxsize=2048)
def _all_obligations(lic: Lic) -> tuple[Obligation, ...]:
    entry = facts_for(lic)
    if entry is None:
        return ()
    name = render(lic)
    return tuple(
        Obligation(
            kind=c.kind,  # type: ignore[arg-type]
            license=name,
            text=c.text,
            value=str(c.value) if c.value is not None else None,
            citation=citation_for(entry, c.section),
            license_name=name_of(name),
        )
        for c in entry.clauses
        if c.kind in _EVERY_OBLIGATION
    )


@functools.lru_cache(maxsize=8192)
def clause_reason(
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


def _review(inbound: Lic, outbound: Lic) -> Eval | None:
    """Family tags and placeholders on either side: nothing can be concluded."""
    for lic in (inbound, outbound):
        ent = facts_for(lic)
        if ent is not None and ent.derivatives == "review":
            clause = ent.clauses[0]
            return Eval(
                "needs_review", [clause_reason("not-identified", "needs_review", lic, clause)]
            )
    return None


def _no_derivatives(
    inbound: Lic,
    outbound: Lic,
    entry: _data.LicenseFacts,
    facts: UseFacts,
    carried: list[Obligation],
) -> Eval:
    clause = entry.clauses_of("no-derivatives")[0]
    return Eval("incompatible", [clause_reason("no-derivatives", "incompatible", inbound, clause)])


def _listed(
    inbound: Lic,
    outbound: Lic,
    entry: _data.LicenseFacts,
    facts: UseFacts,
    carried: list[Obligation],
) -> Eval:
    allowed = (entry.id, *entry.compatible_outbound)
    deciding = (
        entry.clauses_of("share-alike")
        or entry.clauses_of("non-commercial")
        or entry.clauses_of("license-copy")
    )[0]
    name_out = render(outbound)
    if outbound.id in allowed and outbound.exception is None:
        msg = f"{name_out} is an allowed license for adapted material: "
        return Eval(
            "compatible", [clause_reason("listed", "compatible", inbound, deciding, msg)], carried
        )
    msg = f"{name_out} is not {' or '.join(allowed)}: "
    return Eval(
        "incompatible", [clause_reason("not-listed", "incompatible", inbound, deciding, msg)]
    )


def _carry(
    inbound: Lic,
    outbound: Lic,
    entry: _data.LicenseFacts,
    facts: UseFacts,
    carried: list[Obligation],
) -> Eval:
    clause = entry.clauses_of("pass-on-use-restrictions")[0]
    name_in, name_out = render(inbound), render(outbound)
    if facts.passes_use_restrictions is True:
        msg = f"{name_out} terms carry the use restrictions and a copy of the license: "
        return Eval(
            "compatible", [clause_reason("carry", "compatible", inbound, clause, msg)], carried
        )
    if facts.passes_use_restrictions is False:
        msg = f"{name_out} terms do not carry the use restrictions: "
        return Eval("incompatible", [clause_reason("carry", "incompatible", inbound, clause, msg)])
    msg = (
        f"{name_out} does not carry this license, whose terms must travel with every copy "
        "(a permissive label cannot replace them); release under an expression that "
        f"includes {name_in}, or say passes_use_restrictions=True if your terms add its "
        "use restrictions and a copy of it: "
    )
    return Eval("incompatible", [clause_reason("carry", "incompatible", inbound, clause, msg)])


_Rule = Callable[[Lic, Lic, _data.LicenseFacts, UseFacts, list[Obligation]], Eval]
#: How each ``derivatives`` rule of our facts decides a pair before the OSADL matrix is read.
_PAIR_RULES: dict[str, _Rule] = {
    "none": _no_derivatives,
    "listed": _listed,
    "carry-restrictions": _carry,
}


def _matrix(inbound: Lic, outbound: Lic, carried: list[Obligation]) -> Eval | None:
    cell = _matrix_cell(inbound, outbound)
    if cell is None:
        return None
    key_in, key_out, value = cell
    verdict = _CELLS.get(value, "needs_review")
    _, label = _data.osadl_matrix()
    msg = f"OSADL matrix: leading (outbound) {key_out}, inbound {key_in}: {value or 'absent'}"
    why = reason(
        "osadl",
        verdict,
        render(inbound),
        msg,
        Citation(source=label, section=f"{key_out} / {key_in}"),
    )
    return Eval(verdict, [why], carried if verdict == "compatible" else [], matrix=True)


def pair(inbound: Lic, outbound: Lic, facts: UseFacts) -> Eval:
    """Can material under the single license ``inbound`` be released under ``outbound``?"""
    name_in, name_out = render(inbound), render(outbound)
    entry = facts_for(inbound)
    carried = list(obligations_of(inbound))
    review = _review(inbound, outbound)
    if review is not None:
        return review
    if inbound == outbound:
        msg = "released under the same license"
        why = reason("same-license", "compatible", name_in, msg, _self_citation(inbound))
        return Eval("compatible", [why], carried)
    rule = _PAIR_RULES.get(entry.derivatives) if entry is not None else None
    if entry is not None and rule is not None:
        return rule(inbound, outbound, entry, facts, carried)
    from_matrix = _matrix(inbound, outbound, carried)
    if from_matrix is not None:
        return from_matrix
    if entry is not None and entry.derivatives == "any":
        msg = f"may be relicensed under {name_out}, keeping its notices"
        why = reason("permits-relicensing", "compatible", name_in, msg, _self_citation(inbound))
        return Eval("compatible", [why], carried)
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


def against_outbound(inbound: Lic, out_tree: Node, facts: UseFacts) -> Eval:
    """Outbound side: OR -> every choice must work, AND -> one operand suffices."""
    if isinstance(out_tree, Op):
        evals = [against_outbound(inbound, a, facts) for a in out_tree.args]
        return worst(evals) if out_tree.op == "OR" else best(evals)
    return pair(inbound, out_tree, facts)


def outbound_verdict(
    inbound: str, outbound: str, *, facts: UseFacts | Mapping[str, object] | None
) -> Verdict:
    """Implementation of :func:`openmodel_gov.licenses.check_outbound`."""
    return _outbound_verdict(inbound, outbound, as_facts(facts))


@functools.lru_cache(maxsize=4096)
def _outbound_verdict(inbound: str, outbound: str, use: UseFacts) -> Verdict:
    p_in, p_out = parse(inbound), parse(outbound)
    result = eval_tree(p_in.tree, lambda lic: against_outbound(lic, p_out.tree, use))
    question = (
        f"release material under {described(p_in.canonical)} under {described(p_out.canonical)}"
    )
    return finish(question, result)
