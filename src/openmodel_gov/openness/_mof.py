"""Model Openness Framework classes, computed as the Model Openness Tool (MOT) computes them.

Reference: ``lfai/model_openness_tool`` ``web/modules/mof/src/ModelEvaluator.php``
(``evaluate``, ``resolveLicense``, ``getProgress``, ``getClassification``) at commit
``a5f00fad``; checked against the tool's own ``Test_Data/expected_results.json``
(see ``tests/test_openness_mot_reference.py``). This is an independent implementation.
"""

from __future__ import annotations

import html
from typing import Any, Literal

from openmodel_gov._core import ROMAN, Evidence, Frozen, mof_class_label
from openmodel_gov.cards import COMPONENT_NAMES, ModelCard, component_specs
from openmodel_gov.errors import ConfigError
from openmodel_gov.openness._input import CardLike, as_card
from openmodel_gov.openness._licensing import (
    LicenseOrigin,
    is_type_appropriate,
    open_in_mode,
    resolve_component_license,
)

__all__ = [
    "CLASS_LABELS",
    "MOFComponentStatus",
    "MOFDifference",
    "MOFResult",
    "classify_mof",
]

Mode = Literal["strict", "normalized"]
Status = Literal["missing", "open", "not-open", "unlicensed"]
MofClass = Literal[1, 2, 3]

_NAMES = {1: "Open Science Model", 2: "Open Tooling Model", 3: "Open Model"}
#: Labels the MOT shows (``ModelEvaluator::getClassLabel``).
CLASS_LABELS: dict[int | None, str] = {
    None: mof_class_label(None),
    **{c: f"{mof_class_label(c)} - {n}" for c, n in _NAMES.items()},
}
_REPORT = "Technical report"
_PAPER = "Research paper"


class MOFComponentStatus(Frozen):
    """How one of the 17 components fares in the MOF evaluation.

    Attributes:
        status: ``missing`` (not included), ``open`` (included under an open license),
            ``not-open`` (included under a license that is not open) or ``unlicensed``
            (included with no license, or explicitly ``unlicensed``).
        license: the license evaluated (after inheritance), None when there is none.
        license_origin: where it came from: the component, the global license for its content
            type, the distribution license, the card's declared license, or nowhere.
        field: JSON path of the card field the license was read from.
        normalized_license: the canonical form (``mode="normalized"`` only).
        type_appropriate: whether the MOT lists the license for the component's content type.
        stands_in_for: set on the research paper when it replaces the technical report.
        inferred: True when the component was read from a Hub card, not declared.
        evidence: where in the card it was seen (inferred components).
    """

    name: str
    mof_class: MofClass | None
    content_type: str
    status: Status
    license: str | None
    license_origin: LicenseOrigin
    field: str
    normalized_license: str | None = None
    type_appropriate: bool | None = None
    stands_in_for: str | None = None
    reason: str
    inferred: bool = False
    evidence: tuple[Evidence, ...] = ()


class MOFDifference(Frozen):
    """A component whose status differs between strict and normalized license matching."""

    component: str
    license: str
    normalized_license: str | None
    strict_status: Status
    normalized_status: Status


class MOFResult(Frozen):
    """The MOF class of a model card, with progress per class and per-component reasons.

    >>> from openmodel_gov.cards import load_card
    >>> card = load_card({"name": "demo", "components": {"Model card": {"included": True,
    ...                   "license": "CC-BY-4.0"}}}, format="openmodel-gov")
    >>> result = classify_mof(card)
    >>> result.mof_class, result.label, round(result.progress[3], 1)
    (None, 'Unclassified', 16.7)
    """

    name: str
    mode: Mode
    mof_class: MofClass | None
    label: str
    progress: dict[int, float]
    overall_progress: float
    components: dict[str, MOFComponentStatus]
    paper_substitutes_report: bool
    warnings: list[str]
    differences: list[MOFDifference]
    inferred: bool = False

    @property
    def present(self) -> list[str]:
        """Components included (declared, or seen in a Hub card), open or not."""
        return [n for n, s in self.components.items() if s.status != "missing"]

    @property
    def missing_licenses(self) -> list[str]:
        """Components that are present but carry no license (not open until one is stated)."""
        return [n for n, s in self.components.items() if s.status == "unlicensed"]

    def requirements(self, target: int, *, perspective: Perspective = "provider") -> list[str]:
        """What must change for class ``target`` (1-3), one line per component.

        ``perspective="provider"`` says what the provider must state or open;
        ``"consumer"`` what to ask the provider for (or to look for in another model).
        Empty when the class is already reached.
        """
        if self.mof_class is not None and self.mof_class <= target:
            return []
        out: list[str] = []
        for name, status in self.components.items():
            if status.mof_class is None or status.mof_class < target or status.status == "open":
                continue
            if name in (_REPORT, _PAPER):
                continue
            out.append(_requirement(name, status, perspective))
        report, paper = self.components[_REPORT], self.components[_PAPER]
        if target == 1 and paper.status != "open":
            out.append(_requirement(_PAPER, paper, perspective))
        elif target > 1 and "open" not in (report.status, paper.status):
            # either document will do: the one already there, else a technical report
            doc = paper if paper.status != "missing" and report.status == "missing" else report
            out.append(
                _requirement(doc.name, doc, perspective) + " (or the other of "
                "technical report / research paper)"
            )
        return out

    def explain(self) -> str:
        """A multi-line explanation: class, progress per class, and every component's status."""
        lines = [
            f"{self.name}: {self.label} (MOF, {self.mode} license matching)",
            "progress: "
            + ", ".join(f"class {ROMAN[c]} {self.progress[c]:.1f}%" for c in (3, 2, 1))
            + f"; overall {self.overall_progress:.1f}%",
        ]
        for cls in (3, 2, 1, None):
            title = f"class {ROMAN[cls]} components" if cls else "optional components"
            rows = [s for s in self.components.values() if s.mof_class == cls]
            lines.append(f"{title}:")
            lines.extend(f"  [{s.status}] {s.name}: {s.reason}" for s in rows)
        if self.paper_substitutes_report:
            lines.append("the research paper stands in for the technical report (classes III, II)")
        lines.extend(f"warning: {w}" for w in self.warnings)
        for d in self.differences:
            lines.append(
                f"strict vs normalized: {d.component}: {d.license!r} -> {d.normalized_license!r}: "
                f"{d.strict_status} vs {d.normalized_status}"
            )
        return "\n".join(lines)

    def __str__(self) -> str:
        return (
            f"{self.name}: {self.label} (III {self.progress[3]:.0f}%, II {self.progress[2]:.0f}%,"
            f" I {self.progress[1]:.0f}%)"
        )

    def to_dict(self) -> dict[str, Any]:
        """Plain JSON-compatible data (progress keys as strings ``"1"``/``"2"``/``"3"``)."""
        data = self.model_dump(mode="json")
        data["progress"] = {str(k): v for k, v in self.progress.items()}
        return data

    def _repr_html_(self) -> str:
        from openmodel_gov._core._render import RAG_COLORS, html_table

        colors = {
            "open": RAG_COLORS["green"],
            "not-open": RAG_COLORS["red"],
            "unlicensed": RAG_COLORS["amber"],
            "missing": None,
        }
        rows = [
            [
                s.name,
                ROMAN.get(s.mof_class, "optional") if s.mof_class else "optional",
                s.status,
                s.license or "-",
                s.reason,
            ]
            for s in self.components.values()
        ]
        cell_colors = [[None, None, colors[s.status], None, None] for s in self.components.values()]
        caption = (
            f"{self.name}: {self.label} - III {self.progress[3]:.1f}%, II {self.progress[2]:.1f}%,"
            f" I {self.progress[1]:.1f}%"
        )
        table = html_table(
            ["component", "class", "status", "license", "reason"],
            rows,
            caption=caption,
            cell_colors=cell_colors,
        )
        notes = "".join(f"<li>{html.escape(w)}</li>" for w in self.warnings)
        return table + (f"<ul>{notes}</ul>" if notes else "")


Perspective = Literal["consumer", "provider"]


def _requirement(name: str, status: MOFComponentStatus, perspective: Perspective) -> str:
    if status.status == "unlicensed":
        if perspective == "provider":
            return f"state an open license for {name} (present, but no license is given)"
        return f"ask the provider which open license covers {name} (present, license not stated)"
    if status.status == "not-open":
        if perspective == "provider":
            return f"release {name} under an open license instead of {status.license}"
        return (
            f"ask the provider to release {name} under an open license (now {status.license}),"
            " or prefer a model that does"
        )
    if perspective == "provider":
        return f"publish {name} under an open license"
    return f"ask the provider to publish {name} under an open license, or prefer a model that does"


def _status_of(
    card: ModelCard, name: str, content_type: str, mode: Mode
) -> tuple[MOFComponentStatus, MOFDifference | None]:
    spec = component_specs()[name]
    comp = card.component(name)
    base: dict[str, Any] = {"name": name, "mof_class": spec.mof_class, "content_type": content_type}
    if comp.included is not True:
        why = "not included" if comp.included is False else "not stated"
        return MOFComponentStatus(
            **base,
            status="missing",
            license=None,
            license_origin="none",
            field=f"$.components['{name}'].included",
            reason=f"component {why}",
        ), None
    resolved = resolve_component_license(card, name, content_type)
    where = {
        "component": "own license",
        "global": f"global {content_type} license",
        "distribution": "distribution license",
        "declared": "card's declared license",
        "none": "no license",
    }[resolved.origin]
    if resolved.value is None or resolved.explicit_none:
        reason = (
            "explicitly released as 'unlicensed' (blocks inheriting a global license)"
            if resolved.explicit_none
            else "included, but no license on the component, for its content type or globally"
        )
        return MOFComponentStatus(
            **base,
            status="unlicensed",
            license=resolved.value,
            license_origin=resolved.origin,
            field=resolved.field,
            reason=reason,
        ), None
    lic = resolved.value
    strict_open, _ = open_in_mode(lic, "strict")
    strict_status: Status = "open" if strict_open else "not-open"
    normalized: str | None = None
    status = strict_status
    diff = None
    if mode == "normalized":
        norm_open, normalized = open_in_mode(lic, "normalized")
        status = "open" if norm_open else "not-open"
        if status != strict_status or (normalized is not None and normalized != lic):
            diff = MOFDifference(
                component=name,
                license=lic,
                normalized_license=normalized,
                strict_status=strict_status,
                normalized_status=status,
            )
    judged = normalized if (mode == "normalized" and normalized) else lic
    appropriate = is_type_appropriate(judged, content_type)
    if status == "open":
        reason = f"{judged} ({where}) is an open license"
        if not appropriate:
            reason += f"; not one the MOT lists for {content_type} (warning only)"
    else:
        reason = (
            f"{lic!r} ({where}) is not an open license "
            "(neither OSI-approved nor FSF-libre per SPDX, nor an open-data license)"
        )
    return MOFComponentStatus(
        **base,
        status=status,
        license=lic,
        license_origin=resolved.origin,
        field=resolved.field,
        normalized_license=normalized,
        type_appropriate=appropriate,
        reason=reason,
    ), diff


def _progress(
    required: dict[int, list[str]], counts: dict[int, int], report_open: bool, paper_open: bool
) -> dict[int, float]:
    """Progress per class (MOT ``getProgress``): 0 unless every less demanding class is complete."""
    out: dict[int, float] = {}
    for cls in (3, 2, 1):
        total = 0
        included = 0
        blocked = False
        for level in range(3, cls - 1, -1):
            total += len(required[level])
            included = counts[level]
            if included < total:
                blocked = level > cls  # a less demanding class is incomplete
                break
        if blocked:
            out[cls] = 0.0
            continue
        if cls == 1 and not report_open and paper_open:
            total -= 1  # the paper replaces the report: one fewer required component
        out[cls] = min(included / total * 100.0, 100.0)
    return out


def _check_mode(mode: str) -> None:
    if mode not in ("strict", "normalized"):
        raise ConfigError(
            f"unknown MOF mode {mode!r}",
            field="mode",
            hint="use mode='strict' (exact SPDX ids, as the MOT) or mode='normalized'",
        )


def _infer_components(
    card: ModelCard, infer: bool | None
) -> tuple[ModelCard, dict[str, tuple[Evidence, ...]]]:
    """The card with the components its README shows (when inferring), and their evidence;
    declared components always win."""
    if not (infer if infer is not None else card.source_format == "hf-readme"):
        return card, {}
    from openmodel_gov.openness._mof_evidence import with_inferred_components

    declared = set(card.components)
    card, inferred = with_inferred_components(card)
    return card, {k: v for k, v in inferred.items() if k not in declared}


def _component_statuses(
    card: ModelCard, mode: Mode, inferred: dict[str, tuple[Evidence, ...]]
) -> tuple[dict[str, MOFComponentStatus], list[MOFDifference]]:
    """The status of every MOF component, in MOT order, and where ``mode`` changes one."""
    specs = component_specs()
    statuses: dict[str, MOFComponentStatus] = {}
    differences: list[MOFDifference] = []
    for name in COMPONENT_NAMES:
        status, diff = _status_of(card, name, specs[name].content_type, mode)
        if name in inferred:
            update: dict[str, Any] = {"inferred": True, "evidence": inferred[name]}
            if status.status == "unlicensed":
                update["reason"] = "seen in the card, but the card states no license for it"
            status = status.model_copy(update=update)
        statuses[name] = status
        if diff is not None:
            differences.append(diff)
    return statuses, differences


def _open_counts(
    statuses: dict[str, MOFComponentStatus],
) -> tuple[dict[int, list[str]], dict[int, int]]:
    """The components each class requires, and how many of the cumulative set are open."""
    specs = component_specs()
    required: dict[int, list[str]] = {3: [], 2: [], 1: []}
    for name in COMPONENT_NAMES:
        spec_class = specs[name].mof_class
        if spec_class is not None:
            required[spec_class].append(name)
    counts: dict[int, int] = {}
    cumulative: list[str] = []
    for level in (3, 2, 1):
        cumulative = cumulative + required[level]
        counts[level] = sum(1 for n in cumulative if statuses[n].status == "open")
    return required, counts


def _warnings(statuses: dict[str, MOFComponentStatus]) -> list[str]:
    warnings = [
        f"{s.name}: {s.normalized_license or s.license} is open but not a type-appropriate "
        f"license for {s.content_type} (MOT conditional pass; it still counts)"
        for s in statuses.values()
        if s.status == "open" and s.type_appropriate is False
    ]
    warnings.extend(
        f"{s.name}: included without a license"
        for s in statuses.values()
        if s.status == "unlicensed"
    )
    return warnings


def classify_mof(card: CardLike, *, mode: Mode = "strict", infer: bool | None = None) -> MOFResult:
    """Classify a card under the Model Openness Framework, as the Model Openness Tool does.

    Args:
        card: the model card (or a path or mapping, read with ``load_card``; for card text use ``load_card_text``); a
            component counts when ``included`` is ``True``.
        mode: ``"strict"`` (default, as the MOT) matches exact, case-sensitive SPDX ids, so
            ``"Apache 2.0"`` is not open; ``"normalized"`` canonicalizes licenses first and
            lists in :attr:`MOFResult.differences` where that changes an answer.
        infer: read the components a Hugging Face README shows (model card, hosted weights,
            evaluation results, linked training code, papers, datasets, ...) with their
            evidence; declared components always win. Default: for Hub READMEs only, so
            Model Openness Tool files keep their exact results.

    Returns:
        :class:`MOFResult` with ``mof_class`` 3 (Open Model), 2 (Open Tooling), 1 (Open
        Science) or None (Unclassified), progress per class, and a reason per component.

    Raises:
        ConfigError: ``mode`` is not ``"strict"`` or ``"normalized"`` (a ``ValueError``).

    >>> from openmodel_gov.cards import load_card
    >>> names = ["Model architecture", "Model parameters (Final)", "Evaluation results",
    ...          "Model card", "Data card", "Research paper"]
    >>> card = load_card({"name": "m", "licenses": {"distribution": "Apache-2.0"},
    ...                   "components": {n: {"included": True} for n in names}},
    ...                  format="openmodel-gov")
    >>> r = classify_mof(card)
    >>> r.label, r.paper_substitutes_report, r.progress[3]
    ('Class III - Open Model', True, 100.0)
    """
    _check_mode(mode)
    card, inferred = _infer_components(as_card(card), infer)
    statuses, differences = _component_statuses(card, mode, inferred)
    required, counts = _open_counts(statuses)
    report_open = statuses[_REPORT].status == "open"
    paper = statuses[_PAPER]
    substitute = not report_open and paper.status != "missing"
    if substitute:
        for level in (3, 2):
            counts[level] += paper.status == "open"
        statuses[_PAPER] = paper.model_copy(update={"stands_in_for": _REPORT})
    progress = _progress(required, counts, report_open, paper.status == "open")
    mof_class: MofClass | None = None
    classes: tuple[MofClass, ...] = (3, 2, 1)
    for cls in classes:
        if progress[cls] == 100.0:
            mof_class = cls
    overall = sum(progress.values()) / 3.0
    return MOFResult(
        name=card.name,
        mode=mode,
        mof_class=mof_class,
        label=CLASS_LABELS[mof_class],
        progress=progress,
        overall_progress=overall,
        components=statuses,
        paper_substitutes_report=substitute,
        warnings=_warnings(statuses),
        differences=differences,
        inferred=bool(inferred),
    )
