"""improvement_plan: the smallest set of releases or license changes to reach a target."""

from __future__ import annotations

from collections.abc import Callable
from itertools import combinations
from typing import Any, Literal

from openmodel_gov._core import Frozen
from openmodel_gov.cards import AccessGating, Component, ModelCard, component_specs
from openmodel_gov.errors import ConfigError
from openmodel_gov.openness._data import ScoringPolicy, default_policy, mof_license_facts
from openmodel_gov.openness._input import CardLike, as_card
from openmodel_gov.openness._mof import CLASS_LABELS, MOFComponentStatus, classify_mof
from openmodel_gov.openness._score import score_openness
from openmodel_gov.openness._signals import read_signals

__all__ = ["ImprovementPlan", "Perspective", "PlanAction", "improvement_plan"]

_BANDS = ("not_open", "semi_open", "fully_open")
Target = Literal["next-band", "next-class", "not_open", "semi_open", "fully_open", 1, 2, 3]
_Edit = Callable[[dict[str, Any]], None]


#: Whom the plan speaks to: the model's provider, or a consumer evaluating someone else's model.
Perspective = Literal["consumer", "provider"]


class PlanAction(Frozen):
    """One thing to do: release a component, change or state a license, remove a gate, ..."""

    kind: Literal["release", "relicense", "state", "ungate", "integrate", "link"]
    component: str | None
    description: str
    license: str | None = None


class ImprovementPlan(Frozen):
    """The smallest set of actions that reaches ``target`` (checked by re-scoring).

    >>> from openmodel_gov.cards import load_card
    >>> plan = improvement_plan(load_card({"name": "m"}, format="openmodel-gov"), target=3)
    >>> plan.achievable, plan.after, len(plan.actions)
    (True, 'Class III - Open Model', 6)
    """

    name: str
    target: str
    before: str
    after: str
    already_met: bool
    achievable: bool
    actions: list[PlanAction]
    perspective: Perspective = "provider"

    def explain(self) -> str:
        """The plan as numbered steps."""
        if self.already_met:
            return f"{self.name}: already at {self.before} (target {self.target}); nothing to do"
        head = f"{self.name}: {self.before} -> {self.after} (target {self.target})"
        if not self.achievable:
            head += " - target not reachable by releasing components or changing licenses"
        steps = [f"  {i}. {a.description}" for i, a in enumerate(self.actions, 1)]
        return "\n".join([head, *steps])

    def __str__(self) -> str:
        return self.explain()

    def to_dict(self) -> dict[str, Any]:
        """Plain JSON-compatible data."""
        return self.model_dump(mode="json")

    def _repr_html_(self) -> str:
        from openmodel_gov._core._render import html_table

        rows = [
            [i, a.kind, a.component or "-", a.description] for i, a in enumerate(self.actions, 1)
        ]
        return html_table(
            ["#", "kind", "component", "action"],
            rows,
            caption=f"{self.name}: {self.before} -> {self.after}",
        )


def _suggest(content_type: str) -> str:
    lic: str = getattr(mof_license_facts().suggested_open_license, content_type)
    return lic


def _set_component(data: dict[str, Any], name: str, **changes: Any) -> None:
    comps = dict(data["components"])
    old = comps.get(name)
    base = old.model_dump() if isinstance(old, Component) else {}
    comps[name] = Component.model_validate({**base, **changes})
    data["components"] = comps


def _apply(card: ModelCard, edits: list[_Edit]) -> ModelCard:
    data: dict[str, Any] = dict(card.__dict__)
    for edit in edits:
        edit(data)
    return ModelCard.model_construct(**data)


def _release(name: str) -> tuple[PlanAction, _Edit]:
    lic = _suggest(component_specs()[name].content_type)
    action = PlanAction(
        kind="release",
        component=name,
        license=lic,
        description=f"release {name} under {lic} (or another open license)",
    )
    return action, lambda d: _set_component(d, name, included=True, license=lic)


def _relicense(name: str, current: str | None) -> tuple[PlanAction, _Edit]:
    lic = _suggest(component_specs()[name].content_type)
    was = f" from {current}" if current else ""
    action = PlanAction(
        kind="relicense",
        component=name,
        license=lic,
        description=f"license {name}{was} under {lic} (or another open license)",
    )
    return action, lambda d: _set_component(d, name, included=True, license=lic)


def _open_now(card: ModelCard, name: str) -> bool:
    from openmodel_gov.openness._licensing import open_in_mode, resolve_component_license

    comp = card.component(name)
    if comp.included is not True:
        return False
    resolved = resolve_component_license(card, name, component_specs()[name].content_type)
    if resolved.value is None or resolved.explicit_none:
        return False
    return open_in_mode(resolved.value, "normalized")[0]


def _band_candidates(card: ModelCard, current: dict[str, int]) -> list[tuple[PlanAction, _Edit]]:
    final = "Model parameters (Final)"
    out: list[tuple[PlanAction, _Edit]] = []
    comp = card.component(final)
    if current["weights"] < 2 and not _open_now(card, final):
        out.append(_release(final) if not comp.included else _relicense(final, comp.license))
    if read_signals(card).gate == "discretionary":
        out.append(
            (
                PlanAction(
                    kind="ungate",
                    component=final,
                    description="remove the access gate on the weights",
                ),
                lambda d: d.__setitem__("gating", AccessGating()),
            )
        )
    for name in (
        "Data card",
        "Datasets",
        "Data preprocessing code",
        "Training code",
        "Evaluation code",
    ):
        if _open_now(card, name):
            continue
        c = card.component(name)
        out.append(_release(name) if not c.included else _relicense(name, c.license))
    if current["license"] < 2:
        out.append(
            (
                PlanAction(
                    kind="relicense",
                    component=None,
                    license="Apache-2.0",
                    description="license the model under a permissive license (Apache-2.0 or MIT)",
                ),
                lambda d: d.update(license="Apache-2.0", license_name=None),
            )
        )
    if not (card.ecosystem.library_name or card.ecosystem.integrations):
        out.append(
            (
                PlanAction(
                    kind="integrate",
                    component=None,
                    description="integrate with a maintained library "
                    "(set ecosystem.library_name, e.g. transformers)",
                ),
                lambda d: d.__setitem__(
                    "ecosystem", d["ecosystem"].model_copy(update={"library_name": "transformers"})
                ),
            )
        )
    if not (card.repository or card.ecosystem.community_channels):
        out.append(
            (
                PlanAction(
                    kind="link",
                    component=None,
                    description="link a public repository or community channel",
                ),
                lambda d: d.__setitem__("repository", "https://example.invalid/repo"),
            )
        )
    return out


def _band_plan(card: ModelCard, target: str, policy: ScoringPolicy) -> ImprovementPlan:
    before = score_openness(card, policy=policy)
    goal = next(b for b in policy.bands if b.name == target)
    if before.total >= goal.min:
        return ImprovementPlan(
            name=card.name,
            target=target,
            before=before.band,
            after=before.band,
            already_met=True,
            achievable=True,
            actions=[],
        )
    candidates = _band_candidates(card, {n: d.score for n, d in before.dimensions.items()})
    for size in range(1, len(candidates) + 1):
        best: tuple[int, tuple[int, ...]] | None = None
        for combo in combinations(range(len(candidates)), size):
            trial = _apply(card, [candidates[i][1] for i in combo])
            total = score_openness(trial, policy=policy).total
            if total >= goal.min and (best is None or total > best[0]):
                best = (total, combo)
        if best is not None:
            after = policy.band_for(best[0]).name
            return ImprovementPlan(
                name=card.name,
                target=target,
                before=f"{before.band} ({before.total}/10)",
                after=f"{after} ({best[0]}/10)",
                already_met=False,
                achievable=True,
                actions=[candidates[i][0] for i in best[1]],
            )
    everything = _apply(card, [c[1] for c in candidates])
    reach = score_openness(everything, policy=policy)
    return ImprovementPlan(
        name=card.name,
        target=target,
        before=f"{before.band} ({before.total}/10)",
        after=f"{reach.band} ({reach.total}/10)",
        already_met=False,
        achievable=False,
        actions=[c[0] for c in candidates],
    )


def _open_up(name: str, component: MOFComponentStatus) -> tuple[PlanAction, _Edit]:
    """Publish a missing component, or relicense one released under a non-open license."""
    if component.status == "missing":
        return _release(name)
    if component.status == "unlicensed":
        lic = _suggest(component_specs()[name].content_type)
        action = PlanAction(
            kind="state",
            component=name,
            license=lic,
            description=f"state an open license for {name} (present, but no license is given;"
            f" e.g. {lic})",
        )
        return action, lambda d: _set_component(d, name, included=True, license=lic)
    return _relicense(name, component.license)


def _class_plan(card: ModelCard, target: int) -> ImprovementPlan:
    before = classify_mof(card)
    label = CLASS_LABELS[target]
    if before.mof_class is not None and before.mof_class <= target:
        return ImprovementPlan(
            name=card.name,
            target=label,
            before=before.label,
            after=before.label,
            already_met=True,
            achievable=True,
            actions=[],
        )
    status = before.components
    report, paper = "Technical report", "Research paper"
    needed: list[tuple[PlanAction, _Edit]] = []
    for name, spec in component_specs().items():
        if spec.mof_class is None or spec.mof_class < target or name in (report, paper):
            continue
        if status[name].status != "open":
            needed.append(_open_up(name, status[name]))
    paper_open = status[paper].status == "open"
    if target == 1 and not paper_open:
        needed.append(_open_up(paper, status[paper]))
    elif target > 1 and status[report].status != "open" and not paper_open:
        # either document stands in: change whichever is already there, else publish a report
        if status[report].status != "missing":
            needed.append(_open_up(report, status[report]))
        elif status[paper].status != "missing":
            needed.append(_open_up(paper, status[paper]))
        else:
            needed.append(_release(report))
    after = classify_mof(_apply(card, [n[1] for n in needed]))
    return ImprovementPlan(
        name=card.name,
        target=label,
        before=before.label,
        after=after.label,
        already_met=False,
        achievable=after.mof_class is not None and after.mof_class <= target,
        actions=[n[0] for n in needed],
    )


def _for_consumer(action: PlanAction) -> PlanAction:
    """The same action, said to someone evaluating the model rather than to its provider."""
    name, lic = action.component, action.license
    text = {
        "release": f"ask the provider to release {name} under an open license (e.g. {lic}),"
        " or prefer a model that does",
        "relicense": f"ask the provider to license {name} under an open license (e.g. {lic}),"
        f" or prefer a model whose {name} is openly licensed",
        "state": f"ask the provider which open license covers {name} (present, license not"
        " stated); until then treat it as not open",
        "ungate": "ask the provider for access (the weights are released at their discretion),"
        " or prefer a model whose weights anyone can download",
        "integrate": "prefer a model integrated with a maintained library (e.g. transformers),"
        " or ask the provider to add one",
        "link": "ask the provider for a public repository or community channel, or prefer a"
        " model that has one",
    }[action.kind]
    if action.kind == "relicense" and name is None:
        text = (
            "prefer a model under a permissive license (Apache-2.0 or MIT), or ask the provider"
            " to relicense the model"
        )
    return action.model_copy(update={"description": text})


def improvement_plan(
    card: CardLike,
    *,
    target: Target = "next-band",
    policy: ScoringPolicy | None = None,
    perspective: Perspective = "provider",
) -> ImprovementPlan:
    """The smallest set of components to release, or licenses to change, to reach ``target``.

    Band targets are searched exhaustively over the candidate actions (smallest set first,
    ties broken by the higher resulting score), and every plan is checked by scoring or
    classifying the card with the actions applied.

    Args:
        card: the model card (or a path or mapping, read with ``load_card``).
        target: ``"next-band"`` (default), ``"next-class"``, a band name (``"semi_open"``,
            ``"fully_open"``) or a MOF class (``3``, ``2``, ``1``).
        policy: scoring policy for band targets (default :func:`default_policy`).
        perspective: ``"provider"`` (default: a plan is what the model's provider would do)
            words each action as a release, license statement or change; ``"consumer"`` as
            what someone evaluating the model should ask the provider for, or look for in
            another model. The actions and the result are the same either way.

    Returns:
        :class:`ImprovementPlan` with the ordered actions and the result after them.

    Raises:
        ConfigError: ``target`` or ``perspective`` is not one of the accepted values.

    >>> from openmodel_gov.cards import load_card
    >>> plan = improvement_plan(load_card({"name": "m", "license": "MIT"}, format="openmodel-gov"))
    >>> plan.before, plan.after
    ('not_open (2/10)', 'semi_open (4/10)')
    >>> consumer = improvement_plan(load_card({"name": "m", "license": "MIT"}), perspective="consumer")
    >>> consumer.actions[0].description.startswith("ask the provider")
    True
    """
    plan = _improvement_plan(card, target=target, policy=policy)
    if perspective == "provider":
        return plan
    if perspective != "consumer":
        raise ConfigError(
            f"unknown perspective {perspective!r}",
            field="perspective",
            hint="use perspective='provider' or perspective='consumer'",
        )
    return plan.model_copy(
        update={"actions": [_for_consumer(a) for a in plan.actions], "perspective": "consumer"}
    )


def _improvement_plan(
    card: CardLike, *, target: Target = "next-band", policy: ScoringPolicy | None = None
) -> ImprovementPlan:
    card = as_card(card)
    pol = policy if policy is not None else default_policy()
    if target == "next-class":
        current = classify_mof(card).mof_class
        goal = 3 if current is None else max(current - 1, 1)
        return _class_plan(card, goal)
    if target in (1, 2, 3) and not isinstance(target, bool):
        return _class_plan(card, int(target))
    if target == "next-band":
        band = score_openness(card, policy=pol).band
        index = _BANDS.index(band)
        return _band_plan(card, _BANDS[min(index + 1, 2)], pol)
    if target in _BANDS:
        return _band_plan(card, str(target), pol)
    raise ConfigError(
        f"unknown improvement target {target!r}",
        field="target",
        hint=f"use 'next-band', 'next-class', one of {_BANDS} or a MOF class 1, 2 or 3",
    )
