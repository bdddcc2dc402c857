"""``openmodel-gov manifest build|verify|diff|sign|verify-signature|keygen``."""

from __future__ import annotations

import argparse
import os
from pathlib import Path
from typing import TYPE_CHECKING, Any

from openmodel_gov._cli._common import (
    FINDING,
    OK,
    Output,
    add_output_options,
    fmt_table,
    key_encryption,
)

if TYPE_CHECKING:
    from openmodel_gov._core._io import PathKey
    from openmodel_gov.manifests import DatasetEntry, DatasetManifest

__all__ = ["register"]

_SOURCE_KINDS = ("web-crawl", "licensed", "public-dataset", "user-data", "synthetic", "other")


def register(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """Add the ``manifest`` command group."""
    man = sub.add_parser("manifest", help="dataset manifests: SHA-256 snapshots and signatures")
    group = man.add_subparsers(dest="manifest_command", metavar="ACTION", required=True)

    p = group.add_parser(
        "build",
        help="hash every file under ROOT into a manifest",
        description="Describe the dataset(s) with --datasets FILE (a YAML/JSON list of dataset "
        "entries, or an existing manifest whose datasets are reused) or with --name, --version, "
        "--license and --source-kind for a single dataset.",
    )
    p.add_argument("root", help="the dataset folder, or an s3:// gs:// az:// hf:// URL")
    p.add_argument("-o", "--output", required=True, help="manifest file to write (.yaml/.json)")
    p.add_argument(
        "--layout",
        choices=("rows", "columns"),
        default="rows",
        help="JSON file table: one object per file (rows) or parallel arrays (columns, smaller)",
    )
    p.add_argument("--datasets", help="YAML/JSON file listing the datasets (or a manifest)")
    p.add_argument("--name", help="dataset name (single-dataset shortcut)")
    p.add_argument("--version", dest="dataset_version", help="dataset version")
    p.add_argument("--license", help="SPDX expression or hf:<id>")
    p.add_argument("--source-kind", choices=_SOURCE_KINDS, default="other")
    p.add_argument("--exclude", action="append", default=[], help="glob to leave out (repeat)")
    p.add_argument(
        "--digest",
        choices=("sha256", "sha256-sharded", "blake3"),
        default="sha256",
        help="per-file digest: sha256 (default, as sha256sum), sha256-sharded (model-signing's "
        "shard layout, every core on one file) or blake3 (multi-threaded)",
    )
    p.add_argument(
        "--shard-size",
        type=int,
        help="bytes per shard with --digest sha256-sharded (default 1000000000)",
    )
    _add_hashing_options(p)
    add_output_options(p, top=False)
    p.set_defaults(func=_build)

    p = group.add_parser("verify", help="rehash ROOT and compare (exit 1 on any change)")
    p.add_argument("manifest")
    p.add_argument(
        "root", nargs="?", help="dataset folder or URL (default: the manifest's folder or URL)"
    )
    _add_hashing_options(p)
    add_output_options(p, top=False)
    p.set_defaults(func=_verify)

    p = group.add_parser("diff", help="what changed between two manifests (exit 1 if anything)")
    p.add_argument("old")
    p.add_argument("new")
    add_output_options(p, top=False)
    p.set_defaults(func=_diff)

    p = group.add_parser("sign", help="sign a manifest (DSSE envelope over an in-toto statement)")
    p.add_argument("manifest")
    p.add_argument("--key", required=True, help="private key (PEM)")
    p.add_argument("-o", "--output", help="envelope file (default: MANIFEST.sig.json)")
    p.add_argument("--password-env", help="environment variable holding the key's password")
    add_output_options(p, top=False)
    p.set_defaults(func=_sign)

    p = group.add_parser(
        "verify-signature", help="check a manifest's signature (exit 1 if it does not verify)"
    )
    p.add_argument("manifest")
    p.add_argument("--key", required=True, help="public key (PEM)")
    p.add_argument("--signature", help="envelope file (default: MANIFEST.sig.json)")
    add_output_options(p, top=False)
    p.set_defaults(func=_verify_signature)

    p = group.add_parser("keygen", help="generate a signing key pair (PEM files)")
    p.add_argument("--out", required=True, help="path prefix: writes PREFIX.key and PREFIX.pub")
    p.add_argument("--algorithm", choices=("ed25519", "ecdsa-p256-sha256"), default="ed25519")
    p.add_argument("--password-env", help="environment variable holding a password for the key")
    add_output_options(p, top=False)
    p.set_defaults(func=_keygen)


def _add_hashing_options(p: argparse.ArgumentParser) -> None:
    p.add_argument("--cache", help="stat-cache file: skip rehashing unchanged files")
    p.add_argument("--workers", type=int, help="hashing threads (default: automatic)")
    p.add_argument(
        "--processes", type=int, help="worker processes for small files (default: automatic)"
    )


def _progress(out: Output) -> bool:
    """A tqdm bar on stderr when it is a terminal and output is for humans."""
    return not out.quiet and not out.json_mode and out.stderr.isatty()


def _password(args: argparse.Namespace) -> bytes | None:
    from openmodel_gov.errors import InputError

    name: str | None = args.password_env
    if not name:
        return None
    value = os.environ.get(name)
    if value is None:
        raise InputError(f"environment variable {name} is not set", field="--password-env")
    return value.encode()


def _entry_errors(item: object, at: tuple[str | int, ...]) -> list[tuple[str, PathKey]]:
    """(message, key path) of each problem of one dataset entry (no input echoed)."""
    from pydantic import ValidationError

    from openmodel_gov.manifests import DatasetEntry

    try:
        DatasetEntry.model_validate(item)
    except ValidationError as exc:
        return [(str(e["msg"]), (*at, *e["loc"])) for e in exc.errors(include_input=False)]
    return []


def _datasets(args: argparse.Namespace) -> list[DatasetEntry]:
    from pydantic import ValidationError

    from openmodel_gov._core._io import YAML_LIMITS, Limits, json_path, read_document
    from openmodel_gov.errors import InputError, SchemaValidationError, ValidationIssue
    from openmodel_gov.manifests import MANIFEST_MAX_BYTES, DatasetEntry

    if args.datasets:
        path = str(args.datasets)
        # The file may be a whole manifest: the manifest loader's node budget (one node per
        # 4 characters, at least YAML's 250,000; docs/manifests.md), bounded by its size.
        size = os.path.getsize(path) if os.path.isfile(path) else 0
        limits = Limits(
            max_chars=MANIFEST_MAX_BYTES, max_nodes=max(YAML_LIMITS.max_nodes, size // 4)
        )
        doc = read_document(path, max_bytes=MANIFEST_MAX_BYTES, limits=limits)
        data: Any = doc.data
        prefix: tuple[str | int, ...] = ()
        if isinstance(data, dict) and "datasets" in data:
            data, prefix = data["datasets"], ("datasets",)
        if not isinstance(data, list):
            raise InputError(
                "expected a list of datasets (or a manifest)",
                source=path,
                line=doc.line_of(prefix),
                field="$.datasets",
            )
        try:
            return [DatasetEntry.model_validate(item) for item in data]
        except ValidationError as exc:
            entries = [
                e for index, item in enumerate(data) for e in _entry_errors(item, (*prefix, index))
            ]
            issues = [
                ValidationIssue(msg, field=json_path(loc), line=doc.line_of(loc), source=path)
                for msg, loc in entries
            ] or [ValidationIssue(str(exc.errors()[0]["msg"]), source=path)]
            raise SchemaValidationError(
                "invalid dataset entry", issues=issues, source=path
            ) from None
    missing = [
        flag
        for flag, value in (
            ("--name", args.name),
            ("--version", args.dataset_version),
            ("--license", args.license),
        )
        if not value
    ]
    if missing:
        raise InputError(
            "describe the dataset with --datasets FILE, or give " + ", ".join(missing),
            field=missing[0],
        )
    return [
        DatasetEntry(
            name=args.name,
            version=args.dataset_version,
            license=args.license,
            source_kind=args.source_kind,
            synthetic=args.source_kind == "synthetic",
        )
    ]


def _build(args: argparse.Namespace, out: Output) -> int:
    from openmodel_gov.manifests import build_manifest

    exclude = list(args.exclude)
    # A manifest written inside the folder it describes (and its signature) is not data.
    try:
        inside = Path(args.output).resolve().relative_to(Path(args.root).resolve()).as_posix()
    except ValueError:
        inside = None
    if inside is not None and "://" not in args.root:
        exclude += [inside, f"{inside}.sig.json"]
    manifest = build_manifest(
        args.root,
        datasets=_datasets(args),
        cache=args.cache,
        workers=args.workers,
        processes=args.processes,
        exclude=tuple(exclude),
        progress=_progress(out),
        digest=args.digest,
        shard_size=args.shard_size,
    )
    manifest.save(args.output, layout=args.layout)
    total = manifest.total_size
    out.result(
        f"wrote {args.output}: {len(manifest.files)} files, {total} bytes, "
        f"snapshot sha256:{manifest.snapshot_digest}",
        {
            "output": args.output,
            "files": len(manifest.files),
            "bytes": total,
            "snapshot_digest": manifest.snapshot_digest,
        },
    )
    return OK


def _load(path: str, out: Output) -> DatasetManifest:
    """``load_manifest(path)``, showing a "loading" line for big files on a terminal."""
    from openmodel_gov.manifests import load_manifest

    big = os.path.getsize(path) > (32 << 20) if os.path.isfile(path) else False
    if big and _progress(out):
        out.stderr.write(f"loading {path} ...\r")
        out.stderr.flush()
    manifest = load_manifest(path)
    if big and _progress(out):
        out.stderr.write(f"loading {path}: {len(manifest.files):,} files\n")
    return manifest


def _verify(args: argparse.Namespace, out: Output) -> int:
    from openmodel_gov.manifests import verify_manifest

    manifest = _load(args.manifest, out)
    root = args.root or manifest.source_url or str(Path(args.manifest).resolve().parent)
    report = verify_manifest(
        manifest,
        root,
        cache=args.cache,
        workers=args.workers,
        processes=args.processes,
        progress=_progress(out),
    )
    out.result(str(report), report.to_dict())
    return OK if report.ok else FINDING


def _diff(args: argparse.Namespace, out: Output) -> int:
    from openmodel_gov.manifests import diff_manifests

    result = diff_manifests(_load(args.old, out), _load(args.new, out))
    out.result(str(result), result.to_dict())
    return OK if result.unchanged else FINDING


def _sign(args: argparse.Namespace, out: Output) -> int:
    from openmodel_gov.signing import load_private_key, sign_manifest

    key = load_private_key(args.key, password=_password(args))
    envelope = sign_manifest(args.manifest, key)
    target = args.output or f"{args.manifest}.sig.json"
    envelope.save(target)
    out.result(f"wrote {target}", {"signature": target, "manifest": args.manifest})
    return OK


def _verify_signature(args: argparse.Namespace, out: Output) -> int:
    from openmodel_gov.signing import load_public_key, verify_manifest_signature

    envelope = args.signature or f"{args.manifest}.sig.json"
    check = verify_manifest_signature(args.manifest, envelope, load_public_key(args.key))
    out.result(str(check), {"ok": True, **check.to_dict()})
    return OK


def _keygen(args: argparse.Namespace, out: Output) -> int:
    from openmodel_gov.signing import generate_keypair, save_private_key, save_public_key

    pair = generate_keypair(args.algorithm)
    private, public = f"{args.out}.key", f"{args.out}.pub"
    save_private_key(pair.private_key, private, password=key_encryption(_password(args), out))
    save_public_key(pair.public_key, public)
    out.result(
        fmt_table(
            ["file", "what"],
            [[private, "private key (keep secret)"], [public, "public key (publish)"]],
        )
        + f"\nkey id: {pair.key_id}",
        {
            "private_key": private,
            "public_key": public,
            "key_id": pair.key_id,
            "algorithm": pair.algorithm,
        },
    )
    return OK
