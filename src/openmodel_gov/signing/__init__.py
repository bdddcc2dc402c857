"""Signatures for dataset manifests: DSSE envelopes over in-toto Statement v1.

:func:`sign_manifest` signs a manifest *file*: the statement's subjects are the file's SHA-256
and the dataset snapshot digest, so the envelope is a few hundred bytes however many files the
snapshot holds. Ed25519 is the default; ECDSA P-256 (SHA-256) is supported. Needs the
``[sign]`` extra (``cryptography``), imported only when a function here is called.

>>> import pathlib, tempfile
>>> from openmodel_gov.manifests import DatasetEntry, DatasetManifest
>>> tmp = tempfile.TemporaryDirectory()
>>> folder = pathlib.Path(tmp.name)
>>> DatasetManifest(datasets=[DatasetEntry(name="d", version="1", source_kind="other",
...                 license="MIT")], files=[]).save(folder / "manifest.yaml")
>>> keys = generate_keypair()
>>> envelope = sign_manifest(folder / "manifest.yaml", keys.private_key)
>>> envelope.statement["subject"][1]["name"]
'dataset-snapshot'
>>> verify_manifest_signature(folder / "manifest.yaml", envelope, keys.public_key).ok
True
>>> _ = (folder / "manifest.yaml").write_text("datasets: []\\n")
>>> verify_manifest_signature(folder / "manifest.yaml", envelope, keys.public_key)
Traceback (most recent call last):
...
openmodel_gov.errors.TamperedManifestError: ...manifest.yaml: the manifest changed after it was signed ...
>>> tmp.cleanup()
"""

from __future__ import annotations

import os
from typing import Any

from openmodel_gov.signing import _dsse as _dsse
from openmodel_gov.signing import _sigkeys as _keys
from openmodel_gov.signing._dsse import (
    IN_TOTO_PAYLOAD_TYPE,
    PREDICATE_TYPE,
    DsseEnvelope,
    DsseSignature,
    SignatureCheck,
    load_envelope,
    pae,
)
from openmodel_gov.signing._sigkeys import (
    KeyPair,
    KeySigner,
    KeyVerifier,
    PrivateKey,
    PublicKey,
    SignatureAlgorithm,
    Signer,
    Verifier,
    key_fingerprint,
    load_private_key,
    load_public_key,
    save_private_key,
    save_public_key,
)

__all__ = [
    "IN_TOTO_PAYLOAD_TYPE",
    "PREDICATE_TYPE",
    "DsseEnvelope",
    "DsseSignature",
    "KeyPair",
    "KeySigner",
    "KeyVerifier",
    "SignatureAlgorithm",
    "SignatureCheck",
    "Signer",
    "Verifier",
    "generate_keypair",
    "key_fingerprint",
    "load_envelope",
    "load_private_key",
    "load_public_key",
    "pae",
    "save_private_key",
    "save_public_key",
    "sign_manifest",
    "verify_manifest_signature",
]


def generate_keypair(algorithm: SignatureAlgorithm = "ed25519") -> KeyPair:
    """Generate a key pair: ``"ed25519"`` (default) or ``"ecdsa-p256-sha256"``.

    Raises:
        MissingDependencyError: the ``[sign]`` extra is not installed.
        ConfigError: unknown ``algorithm``.

    >>> generate_keypair("ecdsa-p256-sha256").algorithm
    'ecdsa-p256-sha256'
    """
    return _keys.generate_keypair(algorithm)


def sign_manifest(
    manifest_path: str | os.PathLike[str], private_key: PrivateKey | Signer
) -> DsseEnvelope:
    """Sign a manifest file; returns a DSSE envelope over an in-toto Statement v1.

    The manifest is parsed and validated first, so only a well-formed manifest is signed.
    Save the result with :meth:`DsseEnvelope.save` (e.g. ``manifest.yaml.sig.json``).

    Args:
        manifest_path: the saved manifest (YAML or JSON).
        private_key: an Ed25519 or ECDSA P-256 private key, or any :class:`Signer`.

    Returns:
        The envelope: subjects are the manifest file (its SHA-256) and the snapshot digest.

    Raises:
        MissingDependencyError: the ``[sign]`` extra is not installed.
        FileAccessError, ParseError, SchemaValidationError: the manifest cannot be read.
        ConfigError: an unsupported key type.

    >>> import pathlib, tempfile
    >>> from openmodel_gov.manifests import DatasetEntry, DatasetManifest
    >>> tmp = tempfile.TemporaryDirectory()
    >>> p = pathlib.Path(tmp.name) / "m.json"
    >>> DatasetManifest(datasets=[DatasetEntry(name="d", version="1", source_kind="other",
    ...                 license="MIT")], files=[]).save(p)
    >>> sign_manifest(p, generate_keypair().private_key).payload_type
    'application/vnd.in-toto+json'
    >>> tmp.cleanup()
    """
    return _dsse.sign(manifest_path, private_key)


def verify_manifest_signature(
    manifest_path: str | os.PathLike[str],
    envelope: DsseEnvelope | str | os.PathLike[str] | dict[str, Any],
    public_key: PublicKey | Verifier,
) -> SignatureCheck:
    """Check that ``envelope`` is a valid signature of the manifest file by ``public_key``.

    Args:
        manifest_path: the manifest file as it is now.
        envelope: the envelope, a path to its JSON file, or its parsed JSON.
        public_key: an Ed25519 or ECDSA P-256 public key, or any :class:`Verifier`.

    Returns:
        A :class:`SignatureCheck` naming the manifest digest, snapshot digest and key.

    Raises:
        WrongKeyError: the envelope was signed by another key.
        AlgorithmMismatchError: the key's algorithm is not the envelope's.
        MalformedSignatureError: truncated or re-encoded signature, or not a DSSE envelope.
        TamperedPayloadError: the signed statement was edited.
        InvalidSignatureError: the signature bytes were edited.
        TamperedManifestError: the manifest file changed after signing.
        MissingDependencyError: the ``[sign]`` extra is not installed.

    >>> import pathlib, tempfile
    >>> from openmodel_gov.manifests import DatasetEntry, DatasetManifest
    >>> tmp = tempfile.TemporaryDirectory()
    >>> p = pathlib.Path(tmp.name) / "m.json"
    >>> DatasetManifest(datasets=[DatasetEntry(name="d", version="1", source_kind="other",
    ...                 license="MIT")], files=[]).save(p)
    >>> env = sign_manifest(p, generate_keypair().private_key)
    >>> verify_manifest_signature(p, env, generate_keypair().public_key)
    Traceback (most recent call last):
    ...
    openmodel_gov.errors.WrongKeyError: the envelope was signed by key ..., not by the given key ...
    >>> tmp.cleanup()
    """
    return _dsse.verify(manifest_path, envelope, public_key)


from openmodel_gov._core._public import publish as _publish  # noqa: E402

_publish(__name__, globals(), __all__)
