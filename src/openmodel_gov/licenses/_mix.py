"""Dataset-mix verdicts: may these datasets (and model outputs) be combined for a use?"""

from __future__ import annotations

import functools
from collections.abc import Mapping, Sequence

from openmodel_gov._core import Citation
from openmodel_gov.errors import ConfigError
from openmodel_gov.licenses import _data
from openmodel_gov.licenses._classify import citation_for, facts_for, leaf_category
from openmodel_gov.licenses._clauses import naming, pass_on, use_leaf
from openmodel_gov.licenses._data import LicenseFacts
from openmodel_gov.licenses._datasets import DatasetLike
from openmodel_gov.licenses._engine import (
    Eval,
    against_outbound,
    as_facts,
    clause_reason,
    eval_tree,
    finish,
    obligations_of,
    open_question_reason,
    reason,
    worst,
)
from openmodel_gov.licenses._expr import Lic, Node, lic_ids, parse, render
from openmodel_gov.licenses._names import described
from openmodel_gov.licenses._results import LicenseSource, OutputsOf, Reason, UseFacts, Verdict

__all__ = ["dataset_mix_verdict"]

_USES = ("commercial-training", "research-training", "publish-dataset", "distribute-model")
_TRAINING = ("commercial-training", "research-training")


def _unsettled(qid: str, lic: str, context: str) -> Eval:
    """A needs_review partial verdict resting on one unsettled question of law."""
    return Eval("needs_review", [open_question_reason(qid, lic, context)])


def _data_leaf(lic: Lic, use: str, out_tree: Node | None, facts: UseFacts) -> Eval:
    name = render(lic)
    entry = facts_for(lic)
    if use == "publish-dataset":
        assert out_tree is not None
        return against_outbound(lic, out_tree, facts)
    if entry is None:
        leaf = leaf_category(lic)
        if leaf.category == "permissive" or (leaf.category == "copyleft" and use in _TRAINING):
            msg = f"{leaf.category} license: training on it is allowed"
            return Eval(
                "compatible",
                [reason("category", "compatible", name, msg, leaf.reasons[0].citation)],
            )
        if leaf.category == "copyleft":
            return _unsettled(
                "copyleft-training-data", name, "copyleft material in the training set"
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
    if entry.kind == "model":
        commercial = True if use == "commercial-training" else facts.commercial
        return use_leaf(lic, facts.model_copy(update={"commercial": commercial}))
    if use in _TRAINING:
        return _training_data(lic, entry, use, facts)
    return _model_release_data(lic, entry, out_tree, facts)


def _training_data(lic: Lic, entry: LicenseFacts, use: str, facts: UseFacts) -> Eval:
    result = Eval("compatible")
    for clause in entry.clauses:
        if clause.kind == "non-commercial":
            if use == "commercial-training":
                return Eval(
                    "incompatible",
                    [
                        clause_reason(
                            "non-commercial", "incompatible", lic, clause, "commercial training: "
                        )
                    ],
                )
            result.reasons.append(
                clause_reason(
                    "non-commercial",
                    "compatible",
                    lic,
                    clause,
                    "research training is non-commercial: ",
                )
            )
            result.conditions.append(
                f"{render(lic)}: the research must stay non-commercial ({citation_for(entry, clause.section)})"
            )
        elif clause.kind == "no-derivatives":
            result.reasons.append(
                clause_reason(
                    "no-derivatives",
                    "compatible",
                    lic,
                    clause,
                    "adapted material may be produced but not shared: ",
                )
            )
        elif clause.kind in ("computational-use-only", "results-unrestricted"):
            result.reasons.append(clause_reason(clause.kind, "compatible", lic, clause))
    if not result.reasons:
        msg = f"{entry.name} places no condition on training that is not met"
        result.reasons.append(
            reason("permitted", "compatible", render(lic), msg, citation_for(entry, None))
        )
    return result


def _model_release_data(
    lic: Lic, entry: LicenseFacts, out_tree: Node | None, facts: UseFacts
) -> Eval:
    assert out_tree is not None
    name = render(lic)
    unrestricted = entry.clauses_of("results-unrestricted")
    if unrestricted:
        return Eval(
            "compatible",
            [
                clause_reason(
                    "results", "compatible", lic, unrestricted[0], "a trained model is a Result: "
                )
            ],
        )
    if entry.clauses_of("produced-work-notice"):
        return _unsettled("produced-work", name, "model trained on an ODbL database")
    if entry.clauses_of("no-derivatives"):
        return _unsettled(
            "model-as-adaptation", name, "no-derivatives material in the training set"
        )
    if entry.clauses_of("non-commercial"):
        if facts.commercial is False:
            clause = entry.clauses_of("non-commercial")[0]
            return Eval(
                "compatible",
                [
                    clause_reason(
                        "non-commercial", "compatible", lic, clause, "non-commercial release: "
                    )
                ],
            )
        return _unsettled(
            "model-as-adaptation",
            name,
            "non-commercial material in the training set of a model released commercially (or commercial not stated)",
        )
    if entry.derivatives == "listed":
        if against_outbound(lic, out_tree, facts).verdict == "compatible":
            return Eval(
                "compatible",
                [
                    clause_reason(
                        "share-alike",
                        "compatible",
                        lic,
                        entry.clauses_of("share-alike")[0],
                        "the model's license satisfies share-alike: ",
                    )
                ],
            )
        return _unsettled(
            "model-as-adaptation",
            name,
            "share-alike material in the training set, model under another license",
        )
    if entry.derivatives == "matrix":
        return _unsettled("copyleft-training-data", name, "copyleft code in the training set")
    msg = f"{entry.name} lets adapted material be licensed freely, keeping attribution"
    return Eval(
        "compatible",
        [reason("permissive-data", "compatible", name, msg, citation_for(entry, None))],
        list(obligations_of(lic, frozenset({"attribution"}))),
    )


def _outputs_without_facts(lic: Lic) -> Eval:
    name = render(lic)
    leaf = leaf_category(lic)
    if leaf.category == "permissive":
        msg = "a permissive license places no terms on outputs"
        return Eval(
            "compatible", [reason("outputs", "compatible", name, msg, leaf.reasons[0].citation)]
        )
    msg = f"the license ({leaf.category}) does not say how outputs may be used"
    return Eval(
        "needs_review", [reason("outputs", "needs_review", name, msg, leaf.reasons[0].citation)]
    )


_OUTPUT_TERMS = (
    "outputs-unrestricted",
    "no-outputs-to-improve-other-models",
    "competing-model-outputs",
)


def _outputs_clause(
    lic: Lic,
    clause: _data.Clause,
    use: str,
    *,
    out_tree: Node | None,
    facts: UseFacts,
    result: Eval,
) -> Eval | bool:
    """One clause on outputs: an Eval ends the leaf; True means the clause decided something."""
    kind = clause.kind
    training = use != "publish-dataset"
    if kind == "no-outputs-to-improve-other-models" and training:
        msg = f"training a model on these outputs (allowed only for {clause.value}): "
        return Eval("incompatible", [clause_reason("outputs", "incompatible", lic, clause, msg)])
    if kind == "competing-model-outputs" and training:
        return _unsettled("competing-model", render(lic), clause.text)
    if kind == "naming-prefix" and clause.covers_outputs and use == "distribute-model":
        verdict, why = naming(lic, clause, facts, result)
        if verdict != "compatible":
            return Eval(verdict, [why] if why else [])
        result.reasons += [why] if why else []
        return True
    if kind == "distillation-is-derivative" and use == "distribute-model":
        carries = lic in lic_ids(out_tree) if out_tree is not None else None
        verdict, why = pass_on(lic, facts, result, outbound_carries=carries)
        msg = "the trained model is a derivative: "
        result.reasons.append(clause_reason("distillation", verdict, lic, clause, msg))
        result.reasons += [why] if why else []
        result.verdict = verdict
        return True
    if kind in _OUTPUT_TERMS:
        result.reasons.append(clause_reason("outputs", "compatible", lic, clause))
        return True
    return False


def _outputs_leaf(lic: Lic, use: str, out_tree: Node | None, facts: UseFacts) -> Eval:
    entry = facts_for(lic)
    if entry is None or entry.derivatives == "review":
        return _outputs_without_facts(lic)
    result = Eval("compatible")
    decided = False
    for clause in entry.clauses:
        step = _outputs_clause(lic, clause, use, out_tree=out_tree, facts=facts, result=result)
        if isinstance(step, Eval):
            return step
        decided = decided or step
    if decided:
        return result
    name = render(lic)
    if entry.category == "permissive":
        msg = f"{entry.name} places no terms on outputs"
        result.reasons.append(reason("outputs", "compatible", name, msg, citation_for(entry, None)))
        return result
    msg = f"{entry.name} does not say how outputs may be used"
    return Eval(
        "needs_review", [reason("outputs", "needs_review", name, msg, citation_for(entry, None))]
    )


def as_list(licenses: object) -> list[str | OutputsOf | DatasetLike]:
    """Check the shape of a dataset list (ConfigError names what is wrong).

    A dataset manifest (anything with a ``datasets`` list of entries that have ``name`` and
    ``license``) stands for its entries.
    """
    entries = getattr(licenses, "datasets", None)
    if isinstance(entries, Sequence) and not isinstance(entries, str):
        licenses = list(entries)
    if isinstance(licenses, (str, OutputsOf)) or not isinstance(licenses, Sequence):
        raise ConfigError(
            "licenses must be a list of license expressions / outputs_of(...) / dataset ids",
            field="licenses",
        )
    if not licenses:
        raise ConfigError("licenses is empty: give one license per dataset", field="licenses")
    for item in licenses:
        if not isinstance(item, (str, OutputsOf, DatasetLike)):
            raise ConfigError(
                f"dataset entry of type {type(item).__name__}",
                field="licenses",
                hint="use a string, outputs_of(...) or a manifest's dataset entry",
            )
    return list(licenses)


def dataset_mix_verdict(
    licenses: Sequence[str | OutputsOf | DatasetLike] | object,
    *,
    use: str,
    outbound: str | None,
    facts: UseFacts | Mapping[str, object] | None,
    datasets: Mapping[str, str] | None = None,
) -> Verdict:
    """Implementation of :func:`openmodel_gov.licenses.check_dataset_mix`."""
    if use not in _USES:
        raise ConfigError(f"unknown use {use!r}", field="use", hint=f"one of {', '.join(_USES)}")
    items = as_list(licenses)
    from openmodel_gov.licenses._datasets import resolve_items

    resolved, sources = resolve_items(items, datasets or {})
    known = tuple(item for item in resolved if item is not None)
    unknown = [src for src in sources if src.license is None]
    if not known:
        return Verdict(
            question=f"{use} with datasets [{'; '.join(str(i) for i in items)}]",
            verdict="needs_review",
            reasons=tuple(_unknown_reason(src) for src in unknown),
            sources=tuple(sources),
        )
    verdict = _mix(known, use, outbound, as_facts(facts))
    if not sources:
        return verdict
    reasons = verdict.reasons
    final = verdict.verdict
    if unknown:
        extra = tuple(_unknown_reason(src) for src in unknown)
        if final == "compatible":
            final, reasons = "needs_review", extra + reasons
        else:
            reasons = reasons + extra
    return verdict.model_copy(
        update={"verdict": final, "reasons": reasons, "sources": tuple(sources)}
    )


def _unknown_reason(src: LicenseSource) -> Reason:
    return reason(
        "unknown-dataset",
        "needs_review",
        None,
        f"{src.subject}: {src.note}",
        Citation(source="known-datasets data", section="dataset ids"),
    )


def _evaluate(
    licenses: tuple[str | OutputsOf, ...], use: str, out_tree: Node | None, info: UseFacts
) -> tuple[list[str], list[Eval]]:
    evals: list[Eval] = []
    names: list[str] = []
    for item in licenses:
        if isinstance(item, OutputsOf):
            parsed = parse(item.license)
            names.append(f"outputs of {described(parsed.canonical)}")
            evals.append(
                eval_tree(parsed.tree, lambda lic: _outputs_leaf(lic, use, out_tree, info))
            )
        else:
            parsed = parse(item)
            names.append(described(parsed.canonical))
            evals.append(eval_tree(parsed.tree, lambda lic: _data_leaf(lic, use, out_tree, info)))
    return names, evals


@functools.lru_cache(maxsize=2048)
def _mix(
    licenses: tuple[str | OutputsOf, ...], use: str, outbound: str | None, info: UseFacts
) -> Verdict:
    if outbound is None and use in ("publish-dataset", "distribute-model"):
        return _mix_feasible(licenses, use, info)
    out_tree = parse(outbound).tree if outbound is not None else None
    names, evals = _evaluate(licenses, use, out_tree, info)
    tail = f" under {described(parse(outbound).canonical)}" if outbound is not None else ""
    return finish(f"{use} with datasets [{'; '.join(names)}]{tail}", worst(evals))


def _mix_feasible(licenses: tuple[str | OutputsOf, ...], use: str, info: UseFacts) -> Verdict:
    from openmodel_gov.licenses._feasible import feasible_verdict

    trees = [parse(i.license if isinstance(i, OutputsOf) else i).tree for i in licenses]
    names, _ = _evaluate(licenses, "research-training", None, info)

    def check(candidate: str) -> Eval:
        return worst(_evaluate(licenses, use, parse(candidate).tree, info)[1])

    what = "the merged dataset" if use == "publish-dataset" else "the trained model"
    question = f"{use} with datasets [{'; '.join(names)}]: which licenses could {what} take?"
    inputs = [render(lic) for t in trees for lic in lic_ids(t)]
    return feasible_verdict(question, trees, inputs, check)
