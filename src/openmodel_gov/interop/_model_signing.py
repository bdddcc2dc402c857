"""OpenSSF model-signing (``model_signing`` v1.0 predicate) compatible signatures: signing.

A Sigstore bundle (``application/vnd.dev.sigstore.bundle.v0.3+json``) holding a DSSE envelope
over an in-toto Statement v1 with predicate type ``https://model_signing/signature/v1.0``:
one subject (the folder name and the SHA-256 over every file digest, in path order) and a
predicate listing each file's SHA-256 under ``resources`` and the serialization used
(``files``, ``sha256``, no symlinks, the ignored paths). The key is an ECDSA key (P-256 with
SHA-256; P-384/P-521 as ``model_signing`` accepts); the public key is identified by the
SHA-256 of its PEM, as ``model_signing sign key`` writes it. ``model_signing verify key``
accepts these bundles, and :func:`verify_model_folder` accepts the ones it writes.
"""

from __future__ import annotations

import base64
import hashlib
import json
import os
import stat
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

from openmodel_gov.errors import (
    FileAccessError,
    InputError,
    UnsafePathError,
)
from openmodel_gov.interop._common import require_sha256_files

if TYPE_CHECKING:
    from cryptography.hazmat.primitives.asymmetric.ec import (
        EllipticCurvePrivateKey,
        EllipticCurvePublicKey,
    )
    from cryptography.hazmat.primitives.hashes import HashAlgorithm

    from openmodel_gov.manifests import DatasetManifest

__all__ = [
    "BUNDLE_MEDIA_TYPE",
    "MODEL_SIGNING_PREDICATE",
    "sign_manifest_files",
    "sign_model_folder",
]

BUNDLE_MEDIA_TYPE = "application/vnd.dev.sigstore.bundle.v0.3+json"
MODEL_SIGNING_PREDICATE = "https://model_signing/signature/v1.0"
_PAYLOAD_TYPE = "application/vnd.in-toto+json"
_STATEMENT_TYPE = "https://in-toto.io/Statement/v1"
_GIT_PATHS = (".git", ".gitattributes", ".github", ".gitignore")
_DEFAULT_SIGNATURE = "model.sig"
_CHUNK = 1 << 20


def _ignored(rel: str, ignore: Sequence[str]) -> bool:
    return any(rel == p or rel.startswith(p + "/") for p in ignore)


def _hash_file(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        while chunk := handle.read(_CHUNK):
            digest.update(chunk)
    return digest.hexdigest()


def _walk(root: Path, ignore: Sequence[str]) -> dict[str, str]:
    """Relative POSIX path -> SHA-256 hex of every regular file (symlinks refused)."""
    out: dict[str, str] = {}
    stack = [root]
    while stack:
        folder = stack.pop()
        try:
            names = sorted(os.listdir(folder))
        except OSError as exc:
            raise FileAccessError(
                f"cannot list {folder}: {exc.strerror}", source=str(folder)
            ) from None
        for name in names:
            full = folder / name
            rel = full.relative_to(root).as_posix()
            if _ignored(rel, ignore):
                continue
            info = full.lstat()
            if stat.S_ISLNK(info.st_mode):
                raise UnsafePathError(
                    "symlinks are not signed (model_signing's default refuses them too)",
                    source=str(full),
                )
            if stat.S_ISDIR(info.st_mode):
                stack.append(full)
            elif stat.S_ISREG(info.st_mode):
                out[rel] = _hash_file(full)
    return out


def _order(path: str) -> list[str]:
    # model_signing sorts resources as pathlib paths: component by component
    return path.split("/")


def _statement(name: str, digests: dict[str, str], ignore: Sequence[str]) -> dict[str, Any]:
    names = sorted(digests, key=_order)
    root = hashlib.sha256(b"".join(bytes.fromhex(digests[n]) for n in names)).hexdigest()
    serialization: dict[str, Any] = {
        "method": "files",
        "hash_type": "sha256",
        "allow_symlinks": False,
    }
    if ignore:
        serialization["ignore_paths"] = list(ignore)
    return {
        "_type": _STATEMENT_TYPE,
        "subject": [{"name": name, "digest": {"sha256": root}}],
        "predicateType": MODEL_SIGNING_PREDICATE,
        "predicate": {
            "serialization": serialization,
            "resources": [{"name": n, "algorithm": "sha256", "digest": digests[n]} for n in names],
        },
    }


def _hash_for(curve_bits: int) -> HashAlgorithm:
    from cryptography.hazmat.primitives import hashes

    if curve_bits == 256:
        return hashes.SHA256()
    if curve_bits == 384:
        return hashes.SHA384()
    return hashes.SHA512()


def _key_hint(public_key: EllipticCurvePublicKey) -> str:
    from cryptography.hazmat.primitives import serialization

    pem = public_key.public_bytes(
        serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo
    )
    return hashlib.sha256(pem).hexdigest()


def _check_curve(key: object, *, what: str) -> None:
    from cryptography.hazmat.primitives.asymmetric import ec

    curve = getattr(key, "curve", None)
    if not isinstance(key, (ec.EllipticCurvePrivateKey, ec.EllipticCurvePublicKey)) or (
        curve is None or curve.name not in {"secp256r1", "secp384r1", "secp521r1"}
    ):
        raise InputError(
            f"{what} must be an ECDSA key on P-256 (or P-384/P-521), as model_signing "
            "'sign key' uses; Ed25519 keys sign our own manifest envelopes instead",
            field=what,
        )


def _ignore_list(
    root: Path, signature: Path, ignore_paths: Sequence[str], ignore_git_paths: bool
) -> list[str]:
    ignore = [p.strip("/") for p in ignore_paths if p.strip("/")]
    try:
        rel_sig = signature.resolve().relative_to(root.resolve()).as_posix()
    except ValueError:
        rel_sig = None
    if rel_sig:
        ignore.append(rel_sig)
    if ignore_git_paths:
        ignore.extend(_GIT_PATHS)
    return sorted(dict.fromkeys(ignore))


def sign_model_folder(
    root: str | os.PathLike[str],
    private_key: str | os.PathLike[str] | EllipticCurvePrivateKey,
    *,
    signature: str | os.PathLike[str] | None = None,
    password: bytes | None = None,
    ignore_paths: Sequence[str] = (),
    ignore_git_paths: bool = True,
    model_name: str | None = None,
) -> Path:
    """Sign every file under ``root`` as an OpenSSF model-signing v1.0 Sigstore bundle.

    Equivalent to ``model_signing sign key ROOT --private_key KEY --signature SIG``: the
    signature file itself and (unless ``ignore_git_paths=False``) ``.git``,
    ``.gitattributes``, ``.github`` and ``.gitignore`` are left out and recorded as
    ignored, so ``model_signing verify key`` checks exactly what was signed. Signatures are
    deterministic ECDSA (RFC 6979): same files and key, same bundle bytes.

    Args:
        root: the model (or dataset) folder.
        private_key: a PEM file or a loaded ECDSA private key (P-256 recommended).
        signature: where to write the bundle (default ``ROOT/model.sig``).
        password: the PEM file's password, if encrypted.
        ignore_paths: more relative paths (files or folders) to leave out.
        ignore_git_paths: leave out the git files, as ``model_signing`` does by default.
        model_name: the subject name (default: the folder's name; informative only).

    Returns:
        The path of the written bundle.

    Raises:
        MissingDependencyError: ``cryptography`` is missing (extra ``[sign]``).
        FileAccessError: ``root`` is not a folder.
        UnsafePathError: a symlink inside ``root``.
        InputError: not an ECDSA key.
    """
    from openmodel_gov._core._deps import require

    require("cryptography", extra="sign", feature="sign_model_folder")
    folder = Path(root)
    if not folder.is_dir():
        raise FileAccessError(f"not a folder: {folder}", source=str(folder))
    key = _private_key(private_key, password)
    sig_path = Path(signature) if signature is not None else folder / _DEFAULT_SIGNATURE
    ignore = _ignore_list(folder, sig_path, ignore_paths, ignore_git_paths)
    digests = _walk(folder, ignore)
    name = model_name or folder.resolve().name
    _write_bundle(sig_path, key, name, digests, ignore)
    return sig_path


def _private_key(
    private_key: str | os.PathLike[str] | EllipticCurvePrivateKey, password: bytes | None
) -> EllipticCurvePrivateKey:
    from cryptography.hazmat.primitives.asymmetric import ec

    from openmodel_gov.signing import load_private_key

    key: object = (
        load_private_key(private_key, password=password)
        if isinstance(private_key, (str, os.PathLike))
        else private_key
    )
    _check_curve(key, what="private_key")
    assert isinstance(key, ec.EllipticCurvePrivateKey)
    return key


def _write_bundle(
    sig_path: Path,
    key: EllipticCurvePrivateKey,
    name: str,
    digests: dict[str, str],
    ignore: Sequence[str],
) -> None:
    from cryptography.hazmat.primitives.asymmetric import ec

    from openmodel_gov._core._io import atomic_write_text
    from openmodel_gov.signing import pae

    payload = json.dumps(
        _statement(name, digests, ignore), sort_keys=True, separators=(",", ":")
    ).encode("utf-8")
    algorithm = ec.ECDSA(_hash_for(key.curve.key_size), deterministic_signing=True)
    sig = key.sign(pae(_PAYLOAD_TYPE, payload), algorithm)
    bundle = {
        "mediaType": BUNDLE_MEDIA_TYPE,
        "verificationMaterial": {
            "publicKey": {"hint": _key_hint(key.public_key())},
            "tlogEntries": [],
        },
        "dsseEnvelope": {
            "payload": base64.b64encode(payload).decode("ascii"),
            "payloadType": _PAYLOAD_TYPE,
            "signatures": [{"sig": base64.b64encode(sig).decode("ascii"), "keyid": ""}],
        },
    }
    atomic_write_text(sig_path, json.dumps(bundle, indent=2, sort_keys=True) + "\n")


def sign_manifest_files(
    manifest: DatasetManifest,
    private_key: str | os.PathLike[str] | EllipticCurvePrivateKey,
    *,
    signature: str | os.PathLike[str],
    name: str,
    password: bytes | None = None,
    ignore_paths: Sequence[str] = (),
) -> Path:
    """Sign the files a dataset manifest records, as a model-signing v1.0 bundle.

    No file is read: the manifest's SHA-256 digests are signed as they stand, so the bundle
    says "this folder holds exactly these files" and ``model_signing verify key FOLDER``
    (or :func:`verify_model_folder`) checks it against the folder the manifest was built
    from. Write the bundle outside that folder, or name it in ``ignore_paths``; the
    manifest's ``excluded`` entries are recorded as ignored paths, so they must be plain
    relative paths (``model_signing`` ignores paths, not glob patterns).

    Args:
        manifest: a manifest from :func:`~openmodel_gov.manifests.build_manifest`.
        private_key: a PEM file or a loaded ECDSA private key.
        signature: where to write the bundle.
        name: the subject name (``model_signing`` uses the folder's name; informative only).
        password: the PEM file's password, if encrypted.
        ignore_paths: more relative paths the verifier should skip (e.g. the bundle itself).

    Returns:
        The path of the written bundle.

    Raises:
        InputError: an ``excluded`` glob pattern, symlinks followed, or not an ECDSA key.
    """
    from openmodel_gov._core._deps import require
    from openmodel_gov.manifests import DatasetManifest

    require("cryptography", extra="sign", feature="sign_manifest_files")
    if not isinstance(manifest, DatasetManifest):
        raise InputError(
            f"sign_manifest_files needs a DatasetManifest, got {type(manifest).__name__}"
        )
    require_sha256_files(manifest, feature="sign_manifest_files")
    globs = [p for p in manifest.excluded if any(ch in p for ch in "*?[")]
    if globs:
        raise InputError(
            f"the manifest excludes glob patterns ({', '.join(globs)}); model_signing ignores "
            "plain paths only, so a verifier would see those files as unsigned",
            field="excluded",
        )
    if manifest.follow_symlinks:
        raise InputError(
            "the manifest followed symlinks; model-signing bundles are signed without them",
            field="follow_symlinks",
        )
    key = _private_key(private_key, password)
    ignore = sorted({p.strip("/") for p in (*manifest.excluded, *ignore_paths) if p.strip("/")})
    digests = {f.path: f.sha256 for f in manifest.files}
    sig_path = Path(signature)
    _write_bundle(sig_path, key, name, digests, ignore)
    return sig_path
