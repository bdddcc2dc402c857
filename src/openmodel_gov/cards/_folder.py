"""Model folders and Hugging Face cache snapshots: the card plus what the files show.

A folder is read as the Hub shows a model repository: ``README.md`` is the card; LICENSE /
NOTICE / USE_POLICY files, ``config.json`` (architecture), weight files (``*.safetensors``
headers give the parameter count and dtypes, read without loading a tensor) and training
scripts or configurations become :class:`~openmodel_gov.cards.FolderEvidence`. A Hugging Face
cache entry (``models--org--name``, or one of its ``snapshots/<revision>`` folders) names the
repository and revision.
"""

from __future__ import annotations

import os
import re
import struct
from collections.abc import Callable
from pathlib import Path
from typing import Any

from openmodel_gov._core import Evidence
from openmodel_gov._core._io import Limits, decode_utf8, load_json_value
from openmodel_gov.cards._evidence import FolderEvidence, FolderFile, SafetensorsInfo
from openmodel_gov.cards._fill import fill_from_body
from openmodel_gov.cards._model import ModelCard
from openmodel_gov.errors import FileAccessError

__all__ = ["CARD_NAMES", "find_card_file", "load_folder", "read_folder", "read_safetensors_header"]

#: Card file names, in the order they are looked for (the Hub reads README.md).
CARD_NAMES = ("README.md", "readme.md", "Readme.md", "README.markdown", "MODEL_CARD.md")
#: Bounds: files listed, folder depth, bytes of a license text, bytes of a safetensors header
#: (the format's own limit is 100 MB), bytes of config.json.
MAX_FILES = 5000
MAX_DEPTH = 3
MAX_TEXT = 512 * 1024
MAX_HEADER = 100 * 1024 * 1024
MAX_CONFIG = 4 * 1024 * 1024
#: JSON headers and configs: the front door's depth bound; strings bounded by the file bounds
#: (its string pre-scan would count a long run of numbers between two strings as one string).
_LIMITS = Limits(max_chars=MAX_HEADER, max_scalar=MAX_HEADER)

_ROLES: tuple[tuple[str, re.Pattern[str]], ...] = (
    ("license", re.compile(r"^(licen[cs]e|copying)([-_. ].*)?$", re.I)),
    ("notice", re.compile(r"^notice([-_.].*)?$", re.I)),
    ("use-policy", re.compile(r"(^|[-_])(acceptable[-_ ])?use[-_ ]policy|^responsible[-_ ]use", re.I)),
    ("config", re.compile(r"^(config|generation_config|adapter_config|params|tokenizer_config)\.json$", re.I)),
    ("weights", re.compile(
        r"\.(safetensors|gguf|ggml|bin|pt|pth|ckpt|h5|msgpack|onnx|tflite|npz|mlmodel|nemo)$", re.I
    )),
    ("training", re.compile(
        r"^(trainer_state\.json|training_args\.bin|all_results\.json|train_results\.json)$"
        r"|(^|[-_])(train|training|finetune|fine[-_]tune|sft|dpo|pretrain|pre[-_]train)([-_.][\w.-]*)?"
        r"\.(py|sh|ya?ml|json|toml|cfg|ipynb)$",
        re.I,
    )),
)  # fmt: skip
_NOT_WEIGHTS = re.compile(r"^(training_args|optimizer|scheduler|rng_state.*)\.(bin|pt|pth)$", re.I)
_SNAPSHOT = re.compile(r"^models--(?P<org>[^/]+?)--(?P<name>[^/]+)$")
_DTYPE_BYTES = {"F64": 8, "F32": 4, "F16": 2, "BF16": 2, "I64": 8, "I32": 4, "I16": 2, "I8": 1, "U8": 1, "BOOL": 1, "F8_E4M3": 1, "F8_E5M2": 1}  # fmt: skip


def find_card_file(folder: Path) -> Path | None:
    """The README of ``folder`` (see :data:`CARD_NAMES`), or ``None``."""
    for name in CARD_NAMES:
        candidate = folder / name
        if candidate.is_file():
            return candidate
    return None


def _snapshot(folder: Path) -> tuple[Path, str | None, str | None]:
    """``(folder to read, repo id, revision)``; a cache entry resolves to its snapshot."""
    match = _SNAPSHOT.match(folder.name)
    if match is not None:
        ref = folder / "refs" / "main"
        revision = ref.read_text(encoding="utf-8").strip() if ref.is_file() else None
        snapshots = folder / "snapshots"
        if revision is None and snapshots.is_dir():
            revisions = sorted(p.name for p in snapshots.iterdir() if p.is_dir())
            revision = revisions[-1] if revisions else None
        target = snapshots / revision if revision else folder
        return target, f"{match['org']}/{match['name']}", revision
    if folder.parent.name == "snapshots":
        match = _SNAPSHOT.match(folder.parent.parent.name)
        if match is not None:
            return folder, f"{match['org']}/{match['name']}", folder.name
    return folder, None, None


def read_safetensors_header(path: Path) -> SafetensorsInfo:
    """Tensor count, parameter count and dtypes from a ``.safetensors`` header.

    The file starts with an 8-byte little-endian header length and a JSON header naming each
    tensor's dtype and shape; no tensor data is read.

    Raises:
        ValueError: the header is malformed or over :data:`MAX_HEADER` bytes.
        OSError: the file cannot be read.
    """
    with path.open("rb") as fh:
        head = fh.read(8)
        if len(head) != 8:
            raise ValueError("shorter than the 8-byte header length")
        (length,) = struct.unpack("<Q", head)
        if length == 0 or length > MAX_HEADER:
            raise ValueError(f"header length {length} out of bounds")
        raw = fh.read(length)
    if len(raw) != length:
        raise ValueError("file ends inside the header")
    # The bounded front door (ParseError is a ValueError): depth, duplicate keys, NaN, UTF-8.
    header = load_json_value(decode_utf8(raw, source=path.name), source=path.name, limits=_LIMITS)
    if not isinstance(header, dict):
        raise ValueError("header is not a JSON object")
    metadata = header.pop("__metadata__", None) or {}
    dtypes: dict[str, int] = {}
    parameters = 0
    for name, entry in header.items():
        if not isinstance(entry, dict):
            raise ValueError(f"tensor {name!r}: entry is not an object")
        dtype, shape = entry.get("dtype"), entry.get("shape")
        if not isinstance(dtype, str) or not isinstance(shape, list):
            raise ValueError(f"tensor {name!r}: no dtype/shape")
        count = 1
        for dim in shape:
            if not isinstance(dim, int) or isinstance(dim, bool) or dim < 0:
                raise ValueError(f"tensor {name!r}: bad shape {shape!r}")
            count *= dim
        parameters += count
        dtypes[dtype] = dtypes.get(dtype, 0) + count
    return SafetensorsInfo(
        file=path.name,
        tensors=len(header),
        parameters=parameters,
        dtypes=dtypes,
        metadata={str(k): str(v) for k, v in metadata.items()}
        if isinstance(metadata, dict)
        else {},
    )


def _walk(root: Path) -> list[tuple[str, Path]]:
    """Files under ``root`` (relative POSIX path, path), hidden folders skipped, bounded."""
    found: list[tuple[str, Path]] = []
    for current, dirs, files in os.walk(root, followlinks=False):
        depth = len(Path(current).relative_to(root).parts)
        dirs[:] = sorted(d for d in dirs if not d.startswith(".") and depth < MAX_DEPTH)
        for name in sorted(files):
            path = Path(current) / name
            found.append((path.relative_to(root).as_posix(), path))
            if len(found) >= MAX_FILES:
                return found
    return found


def _role(name: str) -> str | None:
    for role, pattern in _ROLES:
        if pattern.search(name):
            if role == "weights" and _NOT_WEIGHTS.match(name):
                return "training"
            return role
    return None


def _read_text(path: Path) -> str | None:
    try:
        with path.open("rb") as fh:
            data = fh.read(MAX_TEXT)
    except OSError:
        return None
    return data.decode("utf-8", "replace")


def read_folder(
    folder: Path, *, repo_id: str | None = None, revision: str | None = None
) -> FolderEvidence:
    """The file evidence of a model folder (never loads weights; every read is bounded)."""
    files: list[FolderFile] = []
    safetensors: list[SafetensorsInfo] = []
    warnings: list[str] = []
    architectures: tuple[str, ...] = ()
    model_type: str | None = None
    listing = _walk(folder)
    if len(listing) >= MAX_FILES:
        warnings.append(f"more than {MAX_FILES} files: only the first {MAX_FILES} were listed")
    for rel, path in listing:
        name = path.name
        role = "card" if rel in CARD_NAMES else _role(name)
        if role is None:
            continue
        try:
            size = path.stat().st_size
        except OSError:
            continue
        text = _read_text(path) if role in ("license", "notice", "use-policy") else None
        files.append(FolderFile(path=rel, role=role, size=size, text=text))  # type: ignore[arg-type]
        if role == "weights" and name.lower().endswith(".safetensors"):
            try:
                safetensors.append(read_safetensors_header(path))
            except (OSError, ValueError, UnicodeDecodeError) as exc:
                warnings.append(f"{rel}: unreadable safetensors header ({exc})")
        if rel == "config.json":
            arch, mtype, problem = _config(path)
            architectures, model_type = arch, mtype
            if problem:
                warnings.append(f"config.json: {problem}")
    dtypes: dict[str, int] = {}
    for info in safetensors:
        for dtype, count in info.dtypes.items():
            dtypes[dtype] = dtypes.get(dtype, 0) + count
    return FolderEvidence(
        root=str(folder),
        repo_id=repo_id,
        revision=revision,
        files=tuple(files),
        architectures=architectures,
        model_type=model_type,
        safetensors=tuple(safetensors),
        parameters=sum(i.parameters for i in safetensors) if safetensors else None,
        dtypes=dtypes,
        warnings=tuple(warnings),
    )


def _config(path: Path) -> tuple[tuple[str, ...], str | None, str | None]:
    try:
        if path.stat().st_size > MAX_CONFIG:
            return (), None, "larger than the bound; not read"
        text = decode_utf8(path.read_bytes(), source=str(path))
        data: Any = load_json_value(text, source=str(path), limits=_LIMITS)
    except (OSError, ValueError) as exc:
        return (), None, f"not readable JSON ({exc.__class__.__name__})"
    if not isinstance(data, dict):
        return (), None, "not a JSON object"
    arch = data.get("architectures")
    architectures = tuple(a for a in arch if isinstance(a, str)) if isinstance(arch, list) else ()
    mtype = data.get("model_type")
    return architectures, mtype if isinstance(mtype, str) else None, None


def load_folder(
    folder: Path,
    *,
    format: str,  # noqa: A002
    max_bytes: int,
    load_file: Callable[[Path, str, int], ModelCard],
) -> ModelCard:
    """Load the card of a model folder (its README.md) with the folder's file evidence.

    Args:
        folder: the model folder, a cache entry or one of its snapshots.
        format: the card file's format (as for ``load_card``).
        max_bytes: the bound on the card file.
        load_file: reads one card file (the loader passes its own; no import cycle).

    Raises:
        FileAccessError: the folder holds neither a card nor model files.
    """
    root, repo_id, revision = _snapshot(folder)
    folder_ev = read_folder(root, repo_id=repo_id, revision=revision)
    card_file = find_card_file(root)
    if card_file is not None:
        card = load_file(card_file, format, max_bytes)
    elif folder_ev.has_weights or folder_ev.of_role("config"):
        name = repo_id or root.name
        card = ModelCard(
            name=name,
            inferred=["name"],
            warnings=[
                "no README.md in the model folder: the card is empty; only the files were read"
            ],
            source_format="hf-readme",
            source_path=str(root),
        )
    else:
        raise FileAccessError(
            "is a folder with no model card (README.md) and no model files; "
            "pass a card file or a model folder",
            source=str(folder),
        )
    update: dict[str, object] = {}
    if repo_id and not card.huggingface:
        update["huggingface"] = f"https://huggingface.co/{repo_id}"
    if folder_ev.architectures and not card.architecture:
        update["architecture"] = ", ".join(folder_ev.architectures)
        update["inferred"] = sorted({*card.inferred, "architecture"})
        update["field_evidence"] = {
            **card.field_evidence,
            "architecture": Evidence(
                kind="file",
                file=str(root / "config.json"),
                path="$.architectures",
                snippet=update["architecture"],  # type: ignore[arg-type]
                note="read from config.json",
            ),
        }
    warnings = [*card.warnings, *folder_ev.warnings]
    if warnings != card.warnings:
        update["warnings"] = list(dict.fromkeys(warnings))
    if update:
        card = card.model_copy(update=update)
    card._folder = folder_ev
    card._evidence_cache = None
    return fill_from_body(card) if card_file is None else card
