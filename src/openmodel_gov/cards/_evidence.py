"""The card evidence layer: what a model card (and its folder) actually says, and where.

:func:`read_card_evidence` reads a loaded :class:`~openmodel_gov.cards.ModelCard` -- its front
matter, its Markdown body (parsed with markdown-it-py, line numbers kept) and, for a model folder,
the files beside it -- into one frozen :class:`CardEvidence`. Every fact carries an
:class:`~openmodel_gov.results.Evidence` (file, line, section, snippet, ``certainty``).

Public API (stable; the openness and license checks read it):

- ``CardEvidence``: ``sections``, ``links``, ``datasets``, ``training_code``,
  ``config_blocks``, ``eval_tables``, ``licenses``, ``disclosures``, ``gate``, ``files`` (model
  folders), and helpers ``section(key)``, ``sections_of(key)``, ``links_of(*kinds)``,
  ``disclosed(*topics)``, ``dataset_ids()``.
- ``CardSection``: a heading normalised to the model-card template's keys (``uses``,
  ``direct-use``, ``out-of-scope-use``, ``bias-risks-limitations``, ``training-data``,
  ``training-procedure``, ``evaluation``, ``environmental-impact``, ``citation``, ``license`` ...;
  see ``data/cards/card-sections.yaml``) with its text and lines.
- ``CardLink``: a link with its ``kind`` (code-repository, training-recipe, paper, dataset,
  dataset-card, license-text, evaluation-harness, leaderboard, community, demo, model, other),
  ``topic`` (training-code, data-preprocessing, evaluation-code, checkpoints, training-logs,
  inference-code) and ``hub_id`` for Hub models/datasets.
- ``DatasetMention``: a dataset named in front matter, a link or prose, matched against
  :func:`known_datasets` (``dataset_id``, ``hub_id``, ``license`` as the dataset states it).
- ``TrainingCodeMention``: training code stated in the card: a repository labelled as training
  code, a bare ``Repository:`` URL, a named recipe or trainer (alignment-handbook,
  open-instruct, Megatron-LLM, axolotl ...), an embedded training configuration, a training
  script in the folder.
- ``ConfigBlock``: an embedded configuration (code block or hyperparameter list) with the
  training keys it sets.
- ``EvalTable``: an evaluation table from Markdown/HTML in the body or from ``model-index``.
- ``LicenseStatement``: a license named in the body ("licensed under BigCode OpenRAIL-M",
  "**Model License:** ..."), with its scope (model, code, data) when the label says it.
- ``Disclosure``: what the body discloses for openness (training code and how strongly,
  code stated closed, data named / described / vague, papers, evaluation, inference code,
  architecture, checkpoints, preprocessing code, sample outputs, component links).
- ``GateInfo``: the access gate from ``extra_gated_*``: ``none``, ``click-through``
  (acknowledgement only), ``access-request`` (a form: the field names are listed) or
  ``discretionary`` (the provider approves each request).
- ``FolderEvidence``: files of a model folder (LICENSE texts, ``config.json``, safetensors
  headers, weight files, training scripts/configs).

>>> from openmodel_gov.cards import load_card_text, read_card_evidence
>>> card = load_card_text(
...     "---\\nlicense: mit\\n---\\n# M\\n\\n## Training Data\\n\\n"
...     "Trained on 250B tokens of Falcon RefinedWeb and SlimPajama.\\n\\n"
...     "- **Repository:** https://github.com/huggingface/alignment-handbook\\n")
>>> ev = read_card_evidence(card)
>>> [s.key for s in ev.sections], sorted(ev.dataset_ids())
([None, 'training-data', 'model-sources'], ['refinedweb', 'slimpajama'])
>>> ev.training_code[0].project, ev.training_code[0].evidence[0].line
('alignment-handbook', 10)
"""

from __future__ import annotations

from typing import Annotated, Any, Literal

from pydantic import BeforeValidator

from openmodel_gov._core import Certainty, Evidence, Frozen, tupleize
from openmodel_gov.cards._facts import DatasetKind, LinkKind, LinkTopic

__all__ = [
    "CardEvidence",
    "CardLink",
    "CardSection",
    "ConfigBlock",
    "DatasetMention",
    "Disclosure",
    "DisclosureTopic",
    "EvalTable",
    "FolderEvidence",
    "FolderFile",
    "GateInfo",
    "GateKind",
    "LicenseStatement",
    "SafetensorsInfo",
    "TrainingCodeMention",
]

_T = BeforeValidator(tupleize)
_Strs = Annotated[tuple[str, ...], _T]
_Evs = Annotated[tuple[Evidence, ...], _T]

#: ``none``: not gated; ``click-through``: an acknowledgement only; ``access-request``: a form
#: to fill (name, country, affiliation ...), approved automatically; ``discretionary``: the
#: provider decides on each request (``gated: manual``, or the gate text says so).
GateKind = Literal["none", "click-through", "access-request", "discretionary"]

_RANK: dict[str, int] = {"stated": 3, "read": 2, "inferred": 1, "guessed": 0}


def certainty_rank(certainty: Certainty) -> int:
    """3 for stated down to 0 for guessed."""
    return _RANK[certainty]


class CardSection(Frozen):
    """A section of the card body under one heading.

    Attributes:
        key: the model-card template's section key, or ``None`` when the heading is not one.
        heading: the heading as written (Markdown removed).
        level: 1 for ``#`` .. 6.
        line: the heading's line in the card file.
        end_line: the section's last line (sub-sections included).
        text: the section's plain text (sub-sections included; code blocks left out).
        parent: the key of the nearest enclosing section that has one.
        from_label: the "heading" is a bold label opening a paragraph (``**Intended Use
            Cases** ...``, ``- **Out-of-scope:** ...``), as many cards write sub-sections.
    """

    key: str | None
    heading: str
    level: int
    line: int
    end_line: int
    text: str
    parent: str | None = None
    from_label: bool = False

    @property
    def evidence(self) -> Evidence:
        """Where the section is, as evidence."""
        return Evidence(
            kind="body", line=self.line, path=self.key or self.heading, snippet=self.heading
        )


class CardLink(Frozen):
    """A link in the body, classified.

    Attributes:
        text: the link text ("" for a bare URL).
        url: the target as written.
        kind: what the link points to (see :data:`LinkKind`).
        topic: what the text or label says it is about (training code, data preparation ...).
        label: the ``Label:`` written before it ("Repository", "Trainer", "Code").
        section: the key of the section it sits in.
        hub_id: ``org/name`` for Hugging Face model and dataset links.
        evidence: where it was seen and how sure the classification is.
    """

    text: str
    url: str
    kind: LinkKind
    topic: LinkTopic | None = None
    label: str = ""
    section: str | None = None
    hub_id: str | None = None
    evidence: Evidence


class DatasetMention(Frozen):
    """A dataset the card names.

    Attributes:
        name: as written (a Hub id, a link text or the words in prose).
        dataset_id: the id in :func:`known_datasets`, when it is a known corpus.
        hub_id: the Hub dataset id, when known.
        license: the license as the dataset states it (from :func:`known_datasets`).
        license_note: what else applies (per-source licenses, terms of a generating service).
        kind: pretraining, instruction, preference ... (known datasets only).
        source: ``front-matter`` (``datasets:``), ``link``, ``prose`` or ``folder``.
        role: ``training`` (front matter, training sections), ``evaluation`` (only seen in
            evaluation sections) or ``unknown``.
        evidence: every place it was seen (best certainty first).
    """

    name: str
    dataset_id: str | None = None
    hub_id: str | None = None
    license: str | None = None
    license_note: str | None = None
    kind: DatasetKind | None = None
    source: Literal["front-matter", "link", "prose", "folder"]
    role: Literal["training", "evaluation", "unknown"] = "unknown"
    evidence: _Evs

    @property
    def certainty(self) -> Certainty:
        """The best certainty among the places it was seen."""
        return self.evidence[0].certainty


class TrainingCodeMention(Frozen):
    """A statement that training code (or a training recipe/framework) is available.

    Attributes:
        kind: ``repository`` (a repo said to hold training code, or the model's repository),
            ``recipe`` / ``framework`` (a named, known project), ``config`` (an embedded
            training configuration), ``script`` (a training file in the model folder).
        url: the link, when there is one.
        name: the repository (``org/name``), project or file name.
        project: the id of a known recipe/framework (``data/cards/card-links.yaml``).
        evidence: where and how sure.
    """

    kind: Literal["repository", "recipe", "framework", "config", "script"]
    url: str | None = None
    name: str
    project: str | None = None
    evidence: _Evs

    @property
    def certainty(self) -> Certainty:
        """The best certainty among the places it was seen."""
        return self.evidence[0].certainty


class ConfigBlock(Frozen):
    """An embedded configuration: a code block or a ``key: value`` hyperparameter list."""

    language: str
    keys: _Strs
    training_keys: _Strs
    section: str | None = None
    evidence: Evidence


class EvalTable(Frozen):
    """An evaluation table (body Markdown/HTML, or the front matter's ``model-index``)."""

    source: Literal["markdown", "html", "model-index"]
    header: _Strs
    rows: Annotated[tuple[tuple[str, ...], ...], BeforeValidator(lambda v: tuple(map(tuple, v)))]
    section: str | None = None
    evidence: Evidence


class LicenseStatement(Frozen):
    """A license named in the body (the license checks map ``name`` to an id).

    Attributes:
        name: the license as written ("BigCode OpenRAIL-M", "LLAMA 2 COMMUNITY LICENSE").
        license_id: the license it stands for (an SPDX id or ``hf:<Hub id>``), when the name is
            a known one (``data/cards/card-disclosures.yaml``).
        url: its link, when there is one.
        scope: ``model``, ``code``, ``data`` or ``weights`` when the label says so.
        how: ``label`` (``**License:** X``), ``phrase`` ("licensed under X"), ``section``
            (the first words of a License section) or ``link`` (a link to a license text).
        section: the key of the section it sits in.
        evidence: where and how sure.
    """

    name: str
    license_id: str | None = None
    url: str | None = None
    scope: Literal["model", "code", "data", "weights"] | None = None
    how: Literal["label", "phrase", "section", "link"]
    section: str | None = None
    evidence: Evidence


#: What a :class:`Disclosure` shows (``data/cards/card-disclosures.yaml``).
DisclosureTopic = Literal[
    "training-code",
    "training-code-closed",
    "datasets",
    "data-described",
    "data-vague",
    "paper",
    "evaluation-results",
    "evaluation-code",
    "inference-code",
    "architecture",
    "intermediate-checkpoints",
    "preprocessing-code",
    "sample-outputs",
    "component-link",
]


class Disclosure(Frozen):
    """A statement in the body about what is released (or that something is not).

    Attributes:
        topic: what it discloses (see :data:`DisclosureTopic`): ``training-code`` (strength 2:
            the code that trained the model is linked or stated; 1: part of the pipeline -- a
            project repository, a named trainer or merge tool, a training command),
            ``training-code-closed`` (the card says its code is not released), ``datasets``
            (training data identified; ``name`` is the Hub dataset id when there is one),
            ``data-described`` / ``data-vague``, ``paper`` (a paper or report about the model),
            ``evaluation-results``, ``evaluation-code``, ``inference-code``, ``architecture``,
            ``intermediate-checkpoints``, ``preprocessing-code``, ``sample-outputs``, and
            ``component-link`` (a link whose text or URL discloses the MOF component ``name``).
        strength: 2 or 1 (training code); 1 otherwise.
        name: the Hub dataset id (``datasets``) or the MOF component (``component-link``).
        evidence: where it was seen, the words, and how sure the reading is.

    >>> from openmodel_gov.cards import load_card_text, read_card_evidence
    >>> card = load_card_text(
    ...     "---\\nlicense: mit\\n---\\n# M\\n\\nTraining code: https://github.com/org/train-repo\\n",
    ...     format="hf-readme",
    ... )
    >>> found = read_card_evidence(card).disclosed("training-code")
    >>> sorted({(d.topic, d.strength, d.evidence.line) for d in found})
    [('training-code', 2, 6)]
    """

    topic: DisclosureTopic
    strength: Literal[1, 2] = 1
    name: str | None = None
    evidence: Evidence


class GateInfo(Frozen):
    """The access gate on the weights, read from ``gated`` and ``extra_gated_*``.

    Attributes:
        kind: none, click-through, access-request or discretionary (see :data:`GateKind`).
        fields: the names of the form fields asked for.
        field_types: the Hub field type of each field (``text``, ``checkbox``, ``country`` ...).
        approval: the Hub's ``gated`` value (``auto``, ``manual``, ``True``) if given.
        eu_disallowed: ``extra_gated_eu_disallowed``.
        reasons: why this kind, in words.
        evidence: the keys and phrases it rests on.
    """

    kind: GateKind = "none"
    fields: _Strs = ()
    field_types: _Strs = ()
    approval: str | None = None
    eu_disallowed: bool | None = None
    reasons: _Strs = ()
    evidence: _Evs = ()

    @property
    def at_provider_discretion(self) -> bool:
        """True only when access depends on the provider's decision (Table-11 "gated")."""
        return self.kind == "discretionary"


class SafetensorsInfo(Frozen):
    """What a ``.safetensors`` header says (read without loading any tensor)."""

    file: str
    tensors: int
    parameters: int
    dtypes: Annotated[dict[str, int], BeforeValidator(dict)]
    metadata: Annotated[dict[str, str], BeforeValidator(dict)]


class FolderFile(Frozen):
    """A file of a model folder that says something (LICENSE, config, script, weights)."""

    path: str
    role: Literal[
        "card", "license", "notice", "use-policy", "config", "weights", "training", "other"
    ]
    size: int
    text: str | None = None  # LICENSE / NOTICE / USE_POLICY texts (bounded)


class FolderEvidence(Frozen):
    """What the files of a model folder (or a Hub cache snapshot) show.

    Attributes:
        root: the folder.
        repo_id: ``org/name`` when the folder is a Hugging Face cache snapshot.
        revision: the snapshot's revision (commit hash) when it is one.
        files: the files that say something, by role.
        architectures: ``config.json`` ``architectures``.
        model_type: ``config.json`` ``model_type``.
        safetensors: the headers of the ``.safetensors`` files.
        parameters: total parameter count from the safetensors headers (``None``: none read).
        dtypes: parameter count per dtype.
        license_texts: LICENSE-like files and their text, for license identification.
        warnings: what could not be read.
    """

    root: str
    repo_id: str | None = None
    revision: str | None = None
    files: Annotated[tuple[FolderFile, ...], _T] = ()
    architectures: _Strs = ()
    model_type: str | None = None
    safetensors: Annotated[tuple[SafetensorsInfo, ...], _T] = ()
    parameters: int | None = None
    dtypes: Annotated[dict[str, int], BeforeValidator(dict)] = {}  # noqa: RUF012 - frozen
    warnings: _Strs = ()

    def of_role(self, role: str) -> tuple[FolderFile, ...]:
        """The files with ``role``."""
        return tuple(f for f in self.files if f.role == role)

    @property
    def has_weights(self) -> bool:
        """True when weight files are present."""
        return any(f.role == "weights" for f in self.files)


class CardEvidence(Frozen):
    """Everything a card says, each fact with where it was seen and how sure the reading is.

    Build it with :func:`openmodel_gov.cards.read_card_evidence`.
    """

    file: str | None = None
    sections: Annotated[tuple[CardSection, ...], _T] = ()
    links: Annotated[tuple[CardLink, ...], _T] = ()
    datasets: Annotated[tuple[DatasetMention, ...], _T] = ()
    training_code: Annotated[tuple[TrainingCodeMention, ...], _T] = ()
    config_blocks: Annotated[tuple[ConfigBlock, ...], _T] = ()
    eval_tables: Annotated[tuple[EvalTable, ...], _T] = ()
    licenses: Annotated[tuple[LicenseStatement, ...], _T] = ()
    disclosures: Annotated[tuple[Disclosure, ...], _T] = ()
    gate: GateInfo = GateInfo()
    files: FolderEvidence | None = None

    def section(self, key: str) -> CardSection | None:
        """The first section with ``key`` (``None`` when the card has none)."""
        return next((s for s in self.sections if s.key == key), None)

    def sections_of(self, *keys: str) -> tuple[CardSection, ...]:
        """Every section whose key is one of ``keys``."""
        return tuple(s for s in self.sections if s.key in keys)

    def disclosed(self, *topics: str) -> tuple[Disclosure, ...]:
        """Every disclosure whose topic is one of ``topics``."""
        return tuple(d for d in self.disclosures if d.topic in topics)

    def links_of(self, *kinds: str) -> tuple[CardLink, ...]:
        """Every link whose kind is one of ``kinds``."""
        return tuple(link for link in self.links if link.kind in kinds)

    def dataset_ids(self, *, role: str | None = None) -> frozenset[str]:
        """Known dataset ids (or Hub ids for unknown ones) the card names (of ``role``)."""
        return frozenset(
            d.dataset_id or d.hub_id or d.name
            for d in self.datasets
            if role is None or d.role == role
        )

    def to_dict(self) -> dict[str, Any]:
        """Plain JSON-ready data."""
        return self.model_dump(mode="json")

    def summary(self) -> str:
        """A short human-readable summary (one fact a line)."""
        keys = sorted({s.key for s in self.sections if s.key})
        lines = [
            f"sections: {', '.join(keys) or '-'}",
            f"links: {len(self.links)}",
            "datasets: " + (", ".join(sorted(self.dataset_ids())) or "-"),
            "training code: "
            + (", ".join(f"{t.name} ({t.certainty})" for t in self.training_code) or "-"),
            f"configuration blocks: {len(self.config_blocks)}",
            f"evaluation tables: {len(self.eval_tables)}",
            "licenses in the body: " + (", ".join(s.name for s in self.licenses) or "-"),
            "disclosures: " + (", ".join(sorted({d.topic for d in self.disclosures})) or "-"),
            f"gate: {self.gate.kind}"
            + (f" (fields: {', '.join(self.gate.fields)})" if self.gate.fields else ""),
        ]
        if self.files is not None:
            lines.append(
                f"folder: {len(self.files.files)} files, weights: "
                + ("yes" if self.files.has_weights else "no")
                + (f", {self.files.parameters:,} parameters" if self.files.parameters else "")
            )
        return "\n".join(lines)

    def __str__(self) -> str:
        return self.summary()

    def _repr_html_(self) -> str:
        from openmodel_gov._core._render import html_table

        rows: list[list[object]] = [
            [line.split(": ", 1)[0], line.split(": ", 1)[1]] for line in self.summary().split("\n")
        ]
        return html_table(["fact", "value"], rows, caption="Card evidence")
