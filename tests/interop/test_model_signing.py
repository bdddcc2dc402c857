"""model-signing v1.0 bundles: accepted by `model_signing verify key`, rejected after a byte flip;
bundles written by `model_signing sign key` verified by us."""

from __future__ import annotations

import base64
import json
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec, ed25519

from openmodel_gov.errors import (
    FileAccessError,
    InputError,
    InvalidSignatureError,
    MalformedSignatureError,
    TamperedPayloadError,
    UnsafePathError,
    WrongKeyError,
)
from openmodel_gov.interop import (
    MODEL_SIGNING_PREDICATE,
    ModelSignatureCheck,
    sign_manifest_files,
    sign_model_folder,
    verify_model_folder,
)


def _keys(
    folder: Path, name: str = "key", curve: ec.EllipticCurve | None = None
) -> tuple[Path, Path]:
    key = ec.generate_private_key(curve or ec.SECP256R1())
    private = folder / f"{name}.pem"
    public = folder / f"{name}.pub"
    private.write_bytes(
        key.private_bytes(
            serialization.Encoding.PEM,
            serialization.PrivateFormat.PKCS8,
            serialization.NoEncryption(),
        )
    )
    public.write_bytes(
        key.public_key().public_bytes(
            serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo
        )
    )
    return private, public


@pytest.fixture
def model(tmp_path: Path) -> Path:
    root = tmp_path / "tiny-model"
    (root / "tokenizer").mkdir(parents=True)
    (root / "config.json").write_text('{"layers": 2}\n', encoding="utf-8")
    (root / "model.safetensors").write_bytes(bytes(range(256)) * 64)
    (root / "tokenizer" / "vocab.txt").write_text("a\nb\n", encoding="utf-8")
    (root / "tokenizer.json").write_text("{}", encoding="utf-8")  # sorts between the folder parts
    (root / ".gitattributes").write_text("*.safetensors filter=lfs\n", encoding="utf-8")
    return root


def model_signing(*args: str) -> subprocess.CompletedProcess[str]:
    """The `model_signing` command of the installed `model-signing` package."""
    return subprocess.run(
        [sys.executable, "-m", "model_signing", *args],
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )


def flip_byte(path: Path, at: int = 100) -> None:
    data = bytearray(path.read_bytes())
    data[at] ^= 0x01
    path.write_bytes(bytes(data))


def test_model_signing_verifies_our_bundle_and_rejects_a_flipped_byte(
    model: Path, tmp_path: Path
) -> None:
    private, public = _keys(tmp_path)
    sig = sign_model_folder(model, private)
    assert sig == model / "model.sig"
    ok = model_signing(
        "verify", "key", str(model), "--signature", str(sig), "--public_key", str(public)
    )
    assert ok.returncode == 0, ok.stdout + ok.stderr
    assert "Verification succeeded" in ok.stdout
    assert verify_model_folder(model, public).ok
    flip_byte(model / "model.safetensors")
    bad = model_signing(
        "verify", "key", str(model), "--signature", str(sig), "--public_key", str(public)
    )
    assert bad.returncode != 0
    assert "model.safetensors" in bad.stdout + bad.stderr
    check = verify_model_folder(model, public)
    assert not check.ok
    assert check.changed == ("model.safetensors",)
    assert "changed: model.safetensors" in str(check)


def test_model_signing_rejects_our_bundle_under_another_key(model: Path, tmp_path: Path) -> None:
    private, _ = _keys(tmp_path, "a")
    _, other = _keys(tmp_path, "b")
    sig = sign_model_folder(model, private, signature=tmp_path / "out.sig")
    bad = model_signing(
        "verify", "key", str(model), "--signature", str(sig), "--public_key", str(other)
    )
    assert bad.returncode != 0
    with pytest.raises(WrongKeyError):
        verify_model_folder(model, other, signature=sig)


def test_we_verify_what_model_signing_signed(model: Path, tmp_path: Path) -> None:
    private, public = _keys(tmp_path)
    sig = model / "model.sig"
    made = model_signing(
        "sign", "key", str(model), "--signature", str(sig), "--private_key", str(private)
    )
    assert made.returncode == 0, made.stdout + made.stderr
    check = verify_model_folder(model, public)
    assert check.ok, str(check)
    assert check.model_name == "tiny-model"
    assert check.files == 4  # .gitattributes and the signature are ignored
    (model / "tokenizer" / "extra.txt").write_text("new", encoding="utf-8")
    (model / "config.json").unlink()
    check = verify_model_folder(model, public)
    assert (check.missing, check.added) == (("config.json",), ("tokenizer/extra.txt",))
    assert verify_model_folder(model, public, ignore_unsigned_files=True).added == ()
    flip_byte(model / "model.safetensors", at=0)
    assert verify_model_folder(model, public).changed == ("model.safetensors",)


def test_same_layout_as_model_signing(model: Path, tmp_path: Path) -> None:
    """Same files, same key: our statement equals model_signing's (resource order, digest)."""
    private, _ = _keys(tmp_path)
    ours = sign_model_folder(model, private, signature=tmp_path / "ours.sig")
    theirs = tmp_path / "theirs.sig"
    made = model_signing(
        "sign", "key", str(model), "--signature", str(theirs), "--private_key", str(private)
    )
    assert made.returncode == 0, made.stderr

    def statement(path: Path) -> dict[str, object]:
        bundle = json.loads(path.read_text(encoding="utf-8"))
        payload: dict[str, object] = json.loads(base64.b64decode(bundle["dsseEnvelope"]["payload"]))
        return payload

    a, b = statement(ours), statement(theirs)
    assert a["predicateType"] == b["predicateType"] == MODEL_SIGNING_PREDICATE
    assert a["subject"] == b["subject"]
    pa, pb = a["predicate"], b["predicate"]
    assert isinstance(pa, dict)
    assert isinstance(pb, dict)
    assert pa["resources"] == pb["resources"]
    ours_bundle = json.loads(ours.read_text(encoding="utf-8"))
    theirs_bundle = json.loads(theirs.read_text(encoding="utf-8"))
    assert (
        ours_bundle["verificationMaterial"]["publicKey"]
        == theirs_bundle["verificationMaterial"]["publicKey"]
    )
    assert ours_bundle["mediaType"] == theirs_bundle["mediaType"]


def test_deterministic_signatures(model: Path, tmp_path: Path) -> None:
    private, _ = _keys(tmp_path)
    one = sign_model_folder(model, private, signature=tmp_path / "1.sig").read_bytes()
    two = sign_model_folder(model, private, signature=tmp_path / "2.sig").read_bytes()
    assert one == two


def test_p384_and_loaded_keys(model: Path, tmp_path: Path) -> None:
    key = ec.generate_private_key(ec.SECP384R1())
    sig = sign_model_folder(
        model, key, ignore_git_paths=False, ignore_paths=["tokenizer/"], model_name="m"
    )
    check = verify_model_folder(model, key.public_key(), signature=sig)
    assert check.ok
    assert check.files == 4  # config, safetensors, tokenizer.json, .gitattributes


def test_tampering_with_the_bundle(model: Path, tmp_path: Path) -> None:
    private, public = _keys(tmp_path)
    sig = sign_model_folder(model, private)
    bundle = json.loads(sig.read_text(encoding="utf-8"))
    payload = json.loads(base64.b64decode(bundle["dsseEnvelope"]["payload"]))

    def write(data: object) -> None:
        sig.write_text(json.dumps(data), encoding="utf-8")

    edited = json.loads(json.dumps(bundle))
    payload["predicate"]["resources"][0]["digest"] = "0" * 64
    edited["dsseEnvelope"]["payload"] = base64.b64encode(json.dumps(payload).encode()).decode()
    write(edited)
    with pytest.raises(InvalidSignatureError):
        verify_model_folder(model, public)
    sig_bytes = bytearray(base64.b64decode(bundle["dsseEnvelope"]["signatures"][0]["sig"]))
    sig_bytes[-1] ^= 1
    edited = json.loads(json.dumps(bundle))
    edited["dsseEnvelope"]["signatures"][0]["sig"] = base64.b64encode(bytes(sig_bytes)).decode()
    write(edited)
    with pytest.raises(InvalidSignatureError):
        verify_model_folder(model, public)
    broken: object
    for broken in (
        {"mediaType": "x"},
        {**bundle, "dsseEnvelope": {"payloadType": "text/plain"}},
        {**bundle, "dsseEnvelope": {**bundle["dsseEnvelope"], "payload": "%%%"}},
        {**bundle, "dsseEnvelope": {**bundle["dsseEnvelope"], "payload": 5}},
        {**bundle, "dsseEnvelope": {**bundle["dsseEnvelope"], "signatures": []}},
        [],
    ):
        write(broken)
        with pytest.raises(MalformedSignatureError):
            verify_model_folder(model, public)
    sig.write_text("not json", encoding="utf-8")
    with pytest.raises(MalformedSignatureError, match="not JSON"):
        verify_model_folder(model, public)
    sig.write_bytes(b"\xff\xfe")
    with pytest.raises(MalformedSignatureError, match="UTF-8"):
        verify_model_folder(model, public)


def _signed_statement(
    model: Path, key: ec.EllipticCurvePrivateKey, statement: dict[str, object]
) -> Path:
    from openmodel_gov.signing import pae

    payload = json.dumps(statement).encode()
    sig = key.sign(pae("application/vnd.in-toto+json", payload), ec.ECDSA(hashes.SHA256()))
    path = model / "model.sig"
    path.write_text(
        json.dumps(
            {
                "mediaType": "application/vnd.dev.sigstore.bundle.v0.3+json",
                "verificationMaterial": {"tlogEntries": []},
                "dsseEnvelope": {
                    "payload": base64.b64encode(payload).decode(),
                    "payloadType": "application/vnd.in-toto+json",
                    "signatures": [{"sig": base64.b64encode(sig).decode()}],
                },
            }
        ),
        encoding="utf-8",
    )
    return path


def test_signed_but_inconsistent_statements(model: Path) -> None:
    key = ec.generate_private_key(ec.SECP256R1())
    good: dict[str, Any] = {
        "_type": "https://in-toto.io/Statement/v1",
        "subject": [{"name": "m", "digest": {"sha256": "0" * 64}}],
        "predicateType": MODEL_SIGNING_PREDICATE,
        "predicate": {
            "serialization": {"method": "files", "hash_type": "sha256", "allow_symlinks": False},
            "resources": [{"name": "a", "algorithm": "sha256", "digest": "1" * 64}],
        },
    }
    _signed_statement(model, key, good)
    with pytest.raises(TamperedPayloadError):
        verify_model_folder(model, key.public_key())
    _signed_statement(model, key, {**good, "predicateType": "https://model_signing/Digests/v0.1"})
    with pytest.raises(MalformedSignatureError, match=r"v1\.0"):
        verify_model_folder(model, key.public_key())
    shards = {
        **good,
        "predicate": {
            **good["predicate"],
            "serialization": {"method": "shards", "hash_type": "sha256"},
        },
    }
    _signed_statement(model, key, shards)
    with pytest.raises(MalformedSignatureError, match="files"):
        verify_model_folder(model, key.public_key())
    _signed_statement(model, key, {**good, "subject": []})
    with pytest.raises(MalformedSignatureError, match="layout"):
        verify_model_folder(model, key.public_key())
    _signed_statement(model, key, {"_type": "x"})
    with pytest.raises(MalformedSignatureError, match="in-toto"):
        verify_model_folder(model, key.public_key())


def test_bad_inputs(model: Path, tmp_path: Path) -> None:
    ed = ed25519.Ed25519PrivateKey.generate()
    with pytest.raises(InputError, match="ECDSA"):
        sign_model_folder(model, ed)  # type: ignore[arg-type]
    with pytest.raises(InputError, match="ECDSA"):
        verify_model_folder(model, ed.public_key())  # type: ignore[arg-type]
    key = ec.generate_private_key(ec.SECP256R1())
    with pytest.raises(FileAccessError):
        sign_model_folder(tmp_path / "absent", key)
    with pytest.raises(FileAccessError):
        verify_model_folder(tmp_path / "absent", key.public_key())
    with pytest.raises(FileAccessError):
        verify_model_folder(model, key.public_key(), signature=tmp_path / "absent.sig")
    (model / "link").symlink_to(model / "config.json")
    with pytest.raises(UnsafePathError, match="symlink"):
        sign_model_folder(model, key)


def test_check_str_when_ok() -> None:
    check = ModelSignatureCheck(ok=True, model_name="m", key_hint=None, files=2)
    assert str(check) == "OK: 2 file(s) of m match the signature"
    assert check.to_dict()["files"] == 2
    bad = check.model_copy(update={"ok": False, "changed": ("<a>",)})
    assert "&lt;a&gt;" in bad._repr_html_()


def test_a_signed_manifest_verifies_with_model_signing(tmp_path: Path) -> None:
    from openmodel_gov.manifests import DatasetEntry, build_manifest

    data = tmp_path / "data"
    (data / "train").mkdir(parents=True)
    (data / "train" / "a.jsonl").write_text('{"t": 1}\n', encoding="utf-8")
    (data / "README.md").write_text("# data\n", encoding="utf-8")
    (data / "notes.tmp").write_text("scratch", encoding="utf-8")
    entry = DatasetEntry(name="d", version="1", source_kind="other", license="MIT")
    manifest = build_manifest(data, datasets=[entry], exclude=["notes.tmp"], progress=False)
    private, public = _keys(tmp_path)
    sig = sign_manifest_files(manifest, private, signature=tmp_path / "data.sig", name="data")
    ok = model_signing(
        "verify", "key", str(data), "--signature", str(sig), "--public_key", str(public)
    )
    assert ok.returncode == 0, ok.stdout + ok.stderr
    assert verify_model_folder(data, public, signature=sig).ok
    flip_byte(data / "README.md", at=0)
    bad = model_signing(
        "verify", "key", str(data), "--signature", str(sig), "--public_key", str(public)
    )
    assert bad.returncode != 0
    assert verify_model_folder(data, public, signature=sig).changed == ("README.md",)


def test_sign_manifest_files_refuses_what_model_signing_cannot_express(tmp_path: Path) -> None:
    from openmodel_gov.manifests import DatasetEntry, DatasetManifest

    entry = DatasetEntry(name="d", version="1", source_kind="other", license="MIT")
    key = ec.generate_private_key(ec.SECP256R1())
    globbed = DatasetManifest(datasets=(entry,), files=(), excluded=("*.tmp",))
    with pytest.raises(InputError, match="glob"):
        sign_manifest_files(globbed, key, signature=tmp_path / "s", name="d")
    followed = DatasetManifest(datasets=(entry,), files=(), follow_symlinks=True)
    with pytest.raises(InputError, match="symlinks"):
        sign_manifest_files(followed, key, signature=tmp_path / "s", name="d")
    with pytest.raises(InputError, match="DatasetManifest"):
        sign_manifest_files("m.yaml", key, signature=tmp_path / "s", name="d")  # type: ignore[arg-type]
