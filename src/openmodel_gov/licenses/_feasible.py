"""Feasible release licenses: which known licenses satisfy every input at once?

A candidate is every license of our clause facts that names one license (family tags,
placeholders and entries we cannot judge are left out), plus one conjunction: the inputs
whose terms must travel with every copy (``carry-restrictions``) joined by ``AND``. Each
candidate is checked with the same engine as an explicit outbound license, so a candidate is
listed only when that check says ``compatible``. Candidates are ranked by category
(permissive first), then by how many obligations they bring, then by id.
"""

from __future__ import annotations

import functools
from collections.abc import Callable

from openmodel_gov.licenses import _data
from openmodel_gov.licenses._classify import classify_node
from openmodel_gov.licenses._engine import Eval, finish, reason, uniq, worst
from openmodel_gov.licenses._expr import Node, lic_ids, parse
from openmodel_gov.licenses._names import name_of
from openmodel_gov.licenses._results import Citation, FeasibleLicense, Reason, Verdict

__all__ = ["candidates", "feasible", "feasible_verdict"]

_RANK = {"permissive": 0, "copyleft": 1, "restricted": 3, "non-commercial": 4, "unknown": 9}
_EXTRA = ("GPL-3.0-only", "LGPL-3.0-only")


@functools.cache
def candidates() -> tuple[str, ...]:
    """Every single-license candidate (canonical ids), in data-file order."""
    out: list[str] = []
    for entry in _data.license_facts().licenses:
        if entry.kind in ("family", "placeholder") or entry.derivatives == "review":
            continue
        out.append(entry.id)
    out += [lid for lid in _EXTRA if lid not in out]
    return tuple(out)


def _carried(trees: list[Node]) -> list[str]:
    """Input licenses whose terms must travel (joined by AND they form one candidate)."""
    found: list[str] = []
    for tree in trees:
        for lic in lic_ids(tree):
            entry = _data.facts_by_id().get(lic.id)
            if entry is not None and entry.derivatives == "carry-restrictions":
                found.append(lic.id)
    return list(dict.fromkeys(found))


def _own_duties(expr: str) -> int:
    """How many obligation clauses the candidate itself brings (fewer = more permissive)."""
    from openmodel_gov.licenses._engine import OBLIGATION_KINDS

    total = 0
    for lic in lic_ids(parse(expr).tree):
        entry = _data.facts_by_id().get(lic.id)
        if entry is not None:
            total += sum(1 for c in entry.clauses if c.kind in OBLIGATION_KINDS)
    return total


def _rank_key(item: tuple[str, Eval]) -> tuple[int, int, int, int, str]:
    expr, result = item
    leaf = classify_node(parse(expr).tree)
    strength = 1 if leaf.strength == "strong" else 0
    return (
        _RANK.get(leaf.category, 9),
        strength,
        len(result.obligations),
        _own_duties(expr),
        expr,
    )


def feasible(
    trees: list[Node], check: Callable[[str], Eval]
) -> tuple[list[tuple[str, Eval]], dict[str, Eval]]:
    """Candidates that ``check`` finds compatible (ranked) and the verdict of every candidate."""
    tried: dict[str, Eval] = {}
    pool = list(candidates())
    carried = _carried(trees)
    if len(carried) > 1:
        pool.append(" AND ".join(carried))
    for expr in pool:
        tried[expr] = check(expr)
    good = [(e, r) for e, r in tried.items() if r.verdict == "compatible"]
    if not good:  # none works as is: those that work once an open question is settled
        good = [(e, r) for e, r in tried.items() if r.verdict == "needs_review"]
    return sorted(good, key=_rank_key), tried


def as_feasible(items: list[tuple[str, Eval]]) -> tuple[FeasibleLicense, ...]:
    """Freeze ranked candidates as :class:`FeasibleLicense` rows."""
    out = []
    for expr, result in items:
        parsed = parse(expr)
        names = [name_of(lic.id) or lic.id for lic in lic_ids(parsed.tree)]
        out.append(
            FeasibleLicense(
                license=parsed.canonical,
                name=" AND ".join(names),
                category=classify_node(parsed.tree).category,
                obligations=tuple(result.obligations),
                conditions=tuple(result.conditions),
                open_questions=tuple(
                    f"{r.message} ({r.citation})"
                    for r in result.reasons
                    if r.verdict == "needs_review"
                ),
            )
        )
    return tuple(out)


def feasible_verdict(
    question: str, trees: list[Node], inputs: list[str], check: Callable[[str], Eval]
) -> Verdict:
    """Compatible with the feasible set when it is not empty, else incompatible and why."""
    good, tried = feasible(trees, check)
    cite = Citation(source="openmodel-gov license facts", section="feasible release licenses")
    if good:
        rows = as_feasible(good)
        best = rows[0]
        if good[0][1].verdict == "compatible":
            msg = (
                f"{len(good)} known license(s) satisfy every input; the most permissive is "
                f"{best.name} ({best.license})"
            )
            result = Eval("compatible", [reason("feasible", "compatible", None, msg, cite)])
        else:
            msg = (
                f"no known license satisfies every input as the facts stand; {len(good)} "
                "would once the questions listed with them are settled"
            )
            asks = uniq(r for _, e in good for r in e.reasons if r.verdict == "needs_review")
            result = Eval(
                "needs_review", [reason("feasible", "needs_review", None, msg, cite), *asks]
            )
        return finish(question, result).model_copy(update={"feasible": rows})
    # why nothing works: each input rejects the others' own licenses
    why: list[Reason] = []
    for expr in inputs:
        attempt = tried.get(expr)
        if attempt is not None:
            why += [r for r in attempt.reasons if r.verdict != "compatible"]
    if not why:
        why = [r for e in tried.values() for r in e.reasons if r.verdict == "incompatible"][:6]
    msg = "no known license satisfies every input at once"
    head = reason("infeasible", "incompatible", None, msg, cite)
    result = worst([Eval("incompatible", [head, *uniq(why)])])
    return finish(question, result)
