"""Per-license facts and the category of an expression.

``AND`` takes the most restrictive operand (``unknown`` if any operand is unknown, since an
unknown license could be anything); ``OR`` takes the least restrictive *known* operand (the
licensee may choose it), and is ``unknown`` only if every operand is. Restrictiveness, least to
most: permissive < copyleft (weak) < copyleft (strong) < restricted < non-commercial.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass
from typing import Literal

from openmodel_gov.licenses import _data
from openmodel_gov.licenses._expr import Lic, Node, Op, expand_or_later, render
from openmodel_gov.licenses._results import Citation, LicenseClassification, LicenseFact

__all__ = ["Leaf", "classify", "classify_node", "facts_for", "label_for", "leaf_category"]

_RANK = {
    ("permissive", None): 0,
    ("copyleft", "weak"): 1,
    ("copyleft", "strong"): 2,
    ("restricted", None): 3,
    ("non-commercial", None): 4,
    ("non-commercial", "strong"): 4,
}
#: Clause kinds that justify each category (the "reasons" shown for it).
_CATEGORY_CLAUSES: dict[str, tuple[_data.ClauseKind, ...]] = {
    "non-commercial": ("non-commercial",),
    "copyleft": ("share-alike", "source-code"),
    "restricted": (
        "use-restrictions",
        "no-derivatives",
        "mau-cap",
        "revenue-cap",
        "computational-use-only",
        "no-outputs-to-improve-other-models",
        "eu-multimodal-exclusion",
        "guardrails",
        "no-hosting",
    ),
    "permissive": ("attribution", "license-copy", "notice-file", "results-unrestricted"),
    "unknown": ("family-tag", "no-facts"),
}


@dataclass(frozen=True)
class Leaf:
    """What we know about one license id."""

    category: _data.Category
    strength: Literal["strong", "weak"] | None
    reasons: tuple[LicenseFact, ...]
    facts: tuple[LicenseFact, ...]


def facts_for(lic: Lic) -> _data.LicenseFacts | None:
    """Our fact entry for ``lic``, following ``-or-later`` to its first version."""
    table = _data.facts_by_id()
    found = table.get(lic.id)
    if found is None:
        for version in expand_or_later(lic):
            found = table.get(version)
            if found is not None:
                break
    return found


def citation_for(entry: _data.LicenseFacts, section: str | None) -> Citation:
    """Citation of a section of ``entry``'s license text (one shared object per section)."""
    return _citation(entry.id, section)


@functools.lru_cache(maxsize=1024)
def _citation(license_id: str, section: str | None) -> Citation:
    entry = _data.facts_by_id()[license_id]
    return Citation(source=entry.name, section=section, url=entry.url)


def _fact(name: str, entry: _data.LicenseFacts, clause: _data.Clause) -> LicenseFact:
    return LicenseFact(
        license=name,
        kind=clause.kind,
        text=clause.text,
        citation=citation_for(entry, clause.section),
    )


@functools.cache
def _scancode_map() -> dict[str, _data.ScancodeCategory]:
    return {row.scancode: row for row in _data.license_facts().scancode_categories}


@functools.lru_cache(maxsize=2048)
def leaf_category(lic: Lic) -> Leaf:
    """Category and facts of one license id."""
    name = render(lic)
    entry = facts_for(lic)
    if entry is not None:
        facts = tuple(_fact(name, entry, c) for c in entry.clauses)
        wanted = _CATEGORY_CLAUSES[entry.category]
        reasons = tuple(f for f in facts if f.kind in wanted) or facts[:1]
        if lic.exception:
            extra = LicenseFact(
                license=name,
                kind="exception",
                text=f"{lic.exception} adds permissions to {lic.id}; read it before relying on "
                "the category of the base license",
                citation=Citation(source=f"SPDX License List {_data.spdx_list().list_version}"),
            )
            facts, reasons = (*facts, extra), (*reasons, extra)
        return Leaf(entry.category, entry.copyleft_strength, reasons, facts)
    spdx = _data.spdx_list()
    row = spdx.licenses.get(lic.id)
    scancode_key: str | None = None
    scancode_category: str | None = None
    if row is not None:
        scancode_key, scancode_category = row.scancode_key, row.scancode_category
    elif lic.id.startswith("LicenseRef-scancode-"):
        scancode_key = lic.id.removeprefix("LicenseRef-scancode-")
        scancode_category = _data.scancode_refs().refs.get(scancode_key)
    mapped = _scancode_map().get(scancode_category or "")
    if mapped is not None and scancode_key is not None:
        fact = LicenseFact(
            license=name,
            kind="scancode-category",
            text=f"ScanCode LicenseDB files {scancode_key!r} as {scancode_category!r}; "
            f"no clause facts of ours",
            citation=Citation(
                source="ScanCode LicenseDB (CC-BY-4.0)",
                section=scancode_key,
                url=f"https://scancode-licensedb.aboutcode.org/{scancode_key}.html",
            ),
        )
        return Leaf(mapped.category, mapped.copyleft_strength, (fact,), (fact,))
    fact = LicenseFact(
        license=name,
        kind="no-facts",
        text="no clause facts and no registry category for this id"
        + (
            "; it is your own LicenseRef, so only its text can say"
            if lic.id.startswith(("LicenseRef-", "DocumentRef-"))
            else ""
        ),
        citation=Citation(source=f"SPDX License List {spdx.list_version}"),
    )
    return Leaf("unknown", None, (fact,), (fact,))


def _rank(leaf: Leaf) -> int:
    return _RANK.get((leaf.category, leaf.strength), _RANK.get((leaf.category, None), 99))


def _expand(node: Node) -> Node:
    if isinstance(node, Lic):
        versions = expand_or_later(node)
        if len(versions) > 1:
            return Op("OR", tuple(Lic(v, node.exception) for v in versions))
        return node
    return Op(node.op, tuple(_expand(a) for a in node.args))


def classify_node(node: Node) -> Leaf:
    """Combine leaves: AND -> most restrictive (unknown wins), OR -> least restrictive known."""
    node = _expand(node) if not isinstance(node, Lic) else node
    if isinstance(node, Lic):
        expanded = _expand(node)
        if isinstance(expanded, Op):
            return classify_node(expanded)
        return leaf_category(node)
    leaves = [classify_node(a) for a in node.args]
    facts = tuple(f for leaf in leaves for f in leaf.facts)
    known = [leaf for leaf in leaves if leaf.category != "unknown"]
    if node.op == "AND":
        if len(known) < len(leaves):
            chosen = next(leaf for leaf in leaves if leaf.category == "unknown")
        else:
            chosen = max(leaves, key=_rank)
    elif known:
        chosen = min(known, key=_rank)
    else:
        chosen = leaves[0]
    return Leaf(chosen.category, chosen.strength, chosen.reasons, facts)


#: What a clause kind means for a reader, in a few words (for :func:`label_for`).
_LABEL_WORDS: dict[str, str] = {
    "mau-cap": "monthly-active-user cap",
    "revenue-cap": "revenue cap",
    "use-restrictions": "acceptable-use policy / use restrictions",
    "attribution-display": "attribution display",
    "naming-prefix": "naming rule for derivatives",
    "registration": "registration",
    "guardrails": "keep safety guardrails",
    "eu-multimodal-exclusion": "EU exclusion for multimodal models",
    "no-outputs-to-improve-other-models": "outputs may not improve other models",
    "competing-model-outputs": "outputs may not train competing models",
    "pass-on-use-restrictions": "restrictions travel with derivatives",
    "no-derivatives": "no sharing of adaptations",
    "computational-use-only": "computational use only",
    "no-hosting": "no hosted service without a separate license",
}


def label_for(leaf: Leaf) -> str:
    """What a category means for this license, in words (not the category's example text).

    ``restricted`` licenses that allow commercial use say so, with their conditions;
    ``non-commercial`` ones say no commercial use.
    """
    kinds = list(dict.fromkeys(f.kind for f in leaf.facts))
    conditions = [_LABEL_WORDS[k] for k in kinds if k in _LABEL_WORDS]
    if leaf.category == "non-commercial":
        return "non-commercial: no commercial use (non-commercial or research purposes only)"
    if leaf.category == "restricted":
        if "family-tag" in kinds or "no-facts" in kinds:
            return "restricted: terms vary or are not identified; read the license text"
        tail = f" -- {', '.join(conditions)}" if conditions else ""
        return f"restricted: commercial use allowed under conditions{tail}"
    if leaf.category == "copyleft":
        strength = leaf.strength or "strong"
        return (
            f"copyleft ({strength}): commercial use allowed; derivatives shared under the same "
            "license"
        )
    if leaf.category == "permissive":
        return (
            "permissive: commercial use, modification and redistribution allowed, keeping notices"
        )
    return "unknown: terms not identified"


def classify(expr: str) -> LicenseClassification:
    """Category, human name and label of a parsed expression (no fallbacks)."""
    from openmodel_gov.licenses._expr import lic_ids, parse
    from openmodel_gov.licenses._names import name_of

    parsed = parse(expr)
    leaf = classify_node(parsed.tree)
    tree = parsed.tree
    name: str | None = None
    if isinstance(tree, Lic):
        name = name_of(tree.id)
    elif all(isinstance(a, Lic) for a in tree.args):
        name = f" {tree.op} ".join(name_of(lic.id) or render(lic) for lic in lic_ids(tree))
    return LicenseClassification(
        expression=parsed.canonical,
        category=leaf.category,
        copyleft_strength=leaf.strength if leaf.category == "copyleft" else None,
        reasons=leaf.reasons,
        facts=leaf.facts,
        name=name,
        label=label_for(leaf),
    )
