"""OpenSSF model-signing (``model_signing`` v1.0 predicate) compatible signatures.

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

from openmodel_gov._core import Frozen
from openmodel_gov.errors import (
    FileAccessError,
    InputError,
    InvalidSignatureError,
    MalformedSignatureError,
    TamperedPayloadError,
    UnsafePathError,
    WrongKeyError,
)

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
    "ModelSignatureCheck",
    "sign_manifest_files",
    "sign_model_folder",
    "verify_model_folder",
]

BUNDLE_MEDIA_TYPE = "application/vnd.dev.sigstore.bundle.v0.3+json"
MODEL_SIGNING_PREDICATE = "https://model_signing/signature/v1.0"
_PAYLOAD_TYPE = "application/vnd.in-toto+json"
_STATEMENT_TYPE = "https://in-toto.io/Statement/v1"
_GIT_PATHS = (".git", ".gitattributes", ".github", ".gitignore")
_DEFAULT_SIGNATURE = "model.sig"
_CHUNK = 1 << 20


class ModelSignatureCheck(Frozen):
    """The outcome of :func:`verify_model_folder`.

    Attributes:
        ok: the signature verifies and every file matches.
        model_name: the subject name recorded at signing (informative only).
        key_hint: the public key's SHA-256 (of its PEM) recorded in the bundle.
        files: how many files the signature covers.
        changed: files whose SHA-256 differs.
        missing: signed files no longer on disk.
        added: files on disk the signature does not cover.
    """

    ok: bool
    model_name: str
    key_hint: str | None
    files: int
    changed: tuple[str, ...] = ()
    missing: tuple[str, ...] = ()
    added: tuple[str, ...] = ()

    def to_dict(self) -> dict[str, Any]:
        """Plain JSON-ready data."""
        data: dict[str, Any] = self.model_dump(mode="json")
        return data

    def _repr_html_(self) -> str:
        from openmodel_gov._core._render import html_table

        rows: list[list[object]] = [
            ["verdict", "OK" if self.ok else "FAILED"],
            ["files signed", self.files],
            ["changed", ", ".join(self.changed) or "-"],
            ["missing", ", ".join(self.missing) or "-"],
            ["added", ", ".join(self.added) or "-"],
            ["key (SHA-256 of PEM)", self.key_hint or "-"],
        ]
        return html_table(["", ""], rows, caption=f"model signature: {self.model_name}")

    def __str__(self) -> str:
        if self.ok:
            return f"OK: {self.files} file(s) of {self.model_name} match the signature"
        parts = [
            f"{label}: {', '.join(items)}"
            for label, items in (
                ("changed", self.changed),
                ("missing", self.missing),
                ("added", self.added),
            )
            if items
        ]
        return f"FAILED: {self.model_name}: " + "; ".join(parts)


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


def _at(source: str, message: str) -> str:
    return f"{source}: {message}"


def _b64(value: object, *, field: str, source: str) -> bytes:
    if not isinstance(value, str):
        raise MalformedSignatureError(_at(source, f"{field} is not base64 text"))
    try:
        return base64.b64decode(value, validate=True)
    except ValueError:
        raise MalformedSignatureError(_at(source, f"{field} is not valid base64")) from None


def _read_bundle(path: Path) -> tuple[dict[str, Any], str]:
    source = str(path)
    try:
        raw = path.read_text(encoding="utf-8")
    except OSError as exc:
        raise FileAccessError(f"cannot read the signature: {exc.strerror}", source=source) from None
    except UnicodeDecodeError:
        raise MalformedSignatureError(_at(source, "the signature is not UTF-8 JSON")) from None
    try:
        data = json.loads(raw)
    except ValueError as exc:
        raise MalformedSignatureError(_at(source, f"the signature is not JSON: {exc}")) from None
    if not isinstance(data, dict) or data.get("mediaType") != BUNDLE_MEDIA_TYPE:
        raise MalformedSignatureError(
            _at(source, f"not a Sigstore bundle with media type {BUNDLE_MEDIA_TYPE}")
        )
    return data, source


def verify_model_folder(
    root: str | os.PathLike[str],
    public_key: str | os.PathLike[str] | EllipticCurvePublicKey,
    *,
    signature: str | os.PathLike[str] | None = None,
    ignore_unsigned_files: bool = False,
) -> ModelSignatureCheck:
    """Check a model-signing v1.0 bundle (ours or ``model_signing sign key``'s) and rehash.

    Args:
        root: the model folder.
        public_key: a PEM file or a loaded ECDSA public key.
        signature: the bundle (default ``ROOT/model.sig``).
        ignore_unsigned_files: do not report files the signature does not cover.

    Returns:
        A :class:`ModelSignatureCheck`; file differences are reported there, not raised.

    Raises:
        MalformedSignatureError: not a bundle, bad base64/JSON, wrong predicate or layout.
        WrongKeyError: the bundle names another key.
        InvalidSignatureError: the signature does not verify with ``public_key``.
        TamperedPayloadError: the statement's root digest does not match its resources.
    """
    from openmodel_gov._core._deps import require

    require("cryptography", extra="sign", feature="verify_model_folder")
    from cryptography.exceptions import InvalidSignature
    from cryptography.hazmat.primitives.asymmetric import ec

    from openmodel_gov.signing import load_public_key, pae

    folder = Path(root)
    if not folder.is_dir():
        raise FileAccessError(f"not a folder: {folder}", source=str(folder))
    key: object = (
        load_public_key(public_key) if isinstance(public_key, (str, os.PathLike)) else public_key
    )
    _check_curve(key, what="public_key")
    assert isinstance(key, ec.EllipticCurvePublicKey)
    sig_path = Path(signature) if signature is not None else folder / _DEFAULT_SIGNATURE
    bundle, source = _read_bundle(sig_path)
    material = bundle.get("verificationMaterial")
    hint = None
    if isinstance(material, dict) and isinstance(material.get("publicKey"), dict):
        hint = material["publicKey"].get("hint")
    if hint and hint != _key_hint(key):
        raise WrongKeyError(
            _at(source, "the bundle was signed with another key (public key hint differs)")
        )
    envelope = bundle.get("dsseEnvelope")
    if not isinstance(envelope, dict) or envelope.get("payloadType") != _PAYLOAD_TYPE:
        raise MalformedSignatureError(_at(source, "no in-toto DSSE envelope in the bundle"))
    payload = _b64(envelope.get("payload"), field="$.dsseEnvelope.payload", source=source)
    sigs = envelope.get("signatures")
    if not isinstance(sigs, list) or not sigs or not isinstance(sigs[0], dict):
        raise MalformedSignatureError(_at(source, "the envelope holds no signature"))
    sig = _b64(sigs[0].get("sig"), field="$.dsseEnvelope.signatures[0].sig", source=source)
    try:
        key.verify(sig, pae(_PAYLOAD_TYPE, payload), ec.ECDSA(_hash_for(key.curve.key_size)))
    except InvalidSignature:
        raise InvalidSignatureError(
            _at(source, "the signature does not verify with this key")
        ) from None
    statement = json.loads(payload)
    name, expected = _expected(statement, source)
    ignore = statement["predicate"]["serialization"].get("ignore_paths", [])
    actual = _walk(folder, [str(p).strip("/") for p in ignore])
    changed = tuple(sorted(n for n in expected if n in actual and actual[n] != expected[n]))
    missing = tuple(sorted(n for n in expected if n not in actual))
    added = () if ignore_unsigned_files else tuple(sorted(n for n in actual if n not in expected))
    return ModelSignatureCheck(
        ok=not (changed or missing or added),
        model_name=name,
        key_hint=hint if isinstance(hint, str) else None,
        files=len(expected),
        changed=changed,
        missing=missing,
        added=added,
    )


def _expected(statement: object, source: str) -> tuple[str, dict[str, str]]:
    if not isinstance(statement, dict) or statement.get("_type") != _STATEMENT_TYPE:
        raise MalformedSignatureError(_at(source, "the payload is not an in-toto Statement v1"))
    if statement.get("predicateType") != MODEL_SIGNING_PREDICATE:
        raise MalformedSignatureError(
            _at(source, f"not a model-signing v1.0 statement ({statement.get('predicateType')})")
        )
    try:
        (subject,) = statement["subject"]
        predicate = statement["predicate"]
        serialization = predicate["serialization"]
        method = (serialization["method"], serialization["hash_type"])
        resources = {str(r["name"]): str(r["digest"]) for r in predicate["resources"]}
        ordered = [bytes.fromhex(str(r["digest"])) for r in predicate["resources"]]
        name = str(subject["name"])
        recorded = subject["digest"]["sha256"]
    except (KeyError, TypeError, ValueError):
        raise MalformedSignatureError(
            _at(source, "the statement is not in the model-signing v1.0 layout")
        ) from None
    if method != ("files", "sha256"):
        raise MalformedSignatureError(
            _at(source, f"only the 'files' serialization with sha256 is supported, not {method}")
        )
    if hashlib.sha256(b"".join(ordered)).hexdigest() != recorded:
        raise TamperedPayloadError(
            _at(source, "the statement's root digest does not match its resources")
        )
    return name, resources
