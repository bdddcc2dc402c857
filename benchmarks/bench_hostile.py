"""Time and memory of every loader and parser on hostile inputs under 1 MB (issue 20).

Each (target, input) pair runs in a fresh child process (``fork`` after the imports, so the
child starts warm and alone): the input is built and written inside the child, the peak
resident memory is reset (``/proc/self/clear_refs``), the target runs once, and the child
reports wall time, CPU time, the growth of peak resident memory over what it held before the
call (C allocations by libyaml, ``json`` or ``cryptography`` included), and how the call ended:
a result, a typed error (``OpenModelGovError``) or anything else ("untyped": the contract is
broken). The bounds of issue 20, per input under 1 MB: at most 1 s and 256 MB.

The inputs are the reproducers of issue 20 plus generated hostile inputs: deep nesting (flow,
block, JSON), many keys and items, alias bombs, long scalars and keys, many numbers between
strings, bad and unsafe tags, non-finite floats, bad encodings (Latin-1, UTF-16, invalid UTF-8,
lone surrogates, NUL, NEL), hostile license expressions, PEM keys and DSSE envelopes, and
odd records for the PII file readers (a pattern-only double stands in for the NER model, so
the readers are measured, not spaCy).

Usage::

    python benchmarks/bench_hostile.py                 # every target, every input (minutes)
    python benchmarks/bench_hostile.py --target yaml   # targets whose name contains "yaml"
    python benchmarks/bench_hostile.py --list          # the targets and inputs
    python benchmarks/bench_hostile.py --details       # one line per (target, input)

Prints the load average first: on a busy machine wall time overstates, so CPU time is shown
beside it. Exit status 1 if any input broke a bound or escaped the error tree.
"""

from __future__ import annotations

import argparse
import base64
import contextlib
import gc
import io
import itertools
import json
import os
import resource
import sys
import tempfile
import time
import warnings
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from openmodel_gov import audit, cards, compliance, licenses, manifests, pii
from openmodel_gov._cli import main as cli_main
from openmodel_gov._core._io import load_json_document, load_json_value, load_yaml_document
from openmodel_gov.errors import OpenModelGovError

MB = 1 << 20
LIMIT_S = 1.0
LIMIT_MB = 256.0
Payload = str | bytes

# -- inputs ----------------------------------------------------------------------------------


def _fill(unit: str, size: int = MB - 4096) -> str:
    """``unit`` repeated to just under ``size`` characters."""
    return unit * max(1, size // max(1, len(unit)))


def _alias_bomb(width: int, levels: int) -> str:
    names = [chr(ord("a") + i) for i in range(levels)]
    lines = [f"{names[0]}: &{names[0]} [" + ",".join(["x"] * width) + "]"]
    for prev, name in itertools.pairwise(names):
        lines.append(f"{name}: &{name} [" + ",".join([f"*{prev}"] * width) + "]")
    return "\n".join(lines) + "\n"


def _block_nest(levels: int) -> str:
    return "".join(" " * i + f"k{i}:\n" for i in range(levels)) + " " * levels + "v\n"


def doc_inputs() -> dict[str, Callable[[], Payload]]:
    """YAML/JSON documents (text) and raw bytes for the document loaders."""
    k = 1024
    return {
        # issue 20 reproducers
        "issue:nest493": lambda: "a: " + "[" * 493 + "]" * 493,
        "issue:!!bool x": lambda: "a: !!bool x",
        "issue:!!float": lambda: "a: !!float",
        "issue:!!int": lambda: "a: !!int",
        "issue:!!timestamp x": lambda: "a: !!timestamp x",
        "issue:.inf": lambda: "d: .inf",
        "issue:alias 9^6": lambda: _alias_bomb(9, 6),
        "issue:model-index results 1.5": lambda: "model-index: [{results: 1.5}]",
        "issue:dataset float": lambda: "dataset: 1.5",
        "issue:ecosystem [1]": lambda: "openmodel-gov: {ecosystem: [1], training: [1]}",
        "issue:MOT non-string key": lambda: "framework: {name: MOF}\nrelease: {1: x}\n",
        "issue:1M keys (cut to 1 MB)": lambda: "".join(f"k{i}: v\n" for i in range(100_000)),
        # nesting
        "deep flow [ x100k": lambda: "[" * 100_000,
        "deep flow [ x500k ] x500k": lambda: "[" * 500_000 + "]" * 500_000,
        "deep block mapping x1400": lambda: _block_nest(1400),
        "deep '- ' on one line": lambda: "- " * 400_000 + "x",
        'deep json {"a": x100k': lambda: '{"a":' * 100_000 + "1" + "}" * 100_000,
        "deep 199 x many": lambda: _fill("[" * 199 + "]" * 199 + ",", 900 * k).join("[]"),
        # many keys / items / numbers
        "many keys json": lambda: json.dumps({f"k{i}": i for i in range(60_000)}),
        "many keys flow": lambda: "{" + ",".join(f"k{i}: {i}" for i in range(70_000)) + "}",
        "many items block": lambda: _fill("- 1\n"),
        "many numbers json": lambda: json.dumps(list(range(130_000))),
        "numbers between strings": lambda: json.dumps(
            {"path": ["a"], "size": list(range(120_000)), "sha256": ["b"]}
        ),
        "many floats json": lambda: json.dumps([1.5e300] * 100_000),
        "many anchors": lambda: "".join(f"k{i}: &a{i} v\n" for i in range(55_000)),
        "many aliases": lambda: "a: &a x\nb: [" + ",".join(["*a"] * 250_000) + "]\n",
        "alias fan 100x4": lambda: _alias_bomb(100, 4),
        "alias mapping bomb": lambda: (
            "a: &a {x: 1, y: 2, z: 3}\n"
            + "".join(
                f"b{i}: &b{i} [*{'a' if i == 0 else f'b{i - 1}'}, *{'a' if i == 0 else f'b{i - 1}'}]\n"
                for i in range(40)
            )
        ),
        # long scalars and keys
        "long plain scalar": lambda: "a: " + "x" * (MB - 100),
        "long quoted escapes": lambda: 'a: "' + "\\u0041" * 170_000 + '"',
        "long block literal": lambda: "a: |\n" + _fill("  line of text\n", MB - 200),
        "long key": lambda: "x" * (MB - 100) + ": 1",
        "long json string": lambda: '{"a": "' + "x" * (MB - 100) + '"}',
        'json escaped quotes \\"': lambda: '{"a": "' + '\\"' * 500_000 + '"}',
        "long multi-line plain": lambda: "a: " + _fill("word\n  ", MB - 100),
        "many colons one line": lambda: "a: " + _fill("x: "),
        "long number json": lambda: "[1." + "1" * (MB - 100) + "]",
        "long int json": lambda: "[" + "7" * (MB - 100) + "]",
        "long int yaml": lambda: "a: " + "7" * (MB - 100),
        "many comments": lambda: _fill("# comment\n") + "a: 1\n",
        "many documents": lambda: _fill("---\na: 1\n"),
        "many complex keys": lambda: _fill("? [a]\n: 1\n"),
        # tags and non-finite numbers
        "!!python/object": lambda: "a: !!python/object/apply:os.system ['true']",
        "!!binary big": lambda: "a: !!binary " + base64.b64encode(b"x" * 700_000).decode(),
        "!!set": lambda: "a: !!set {x, y}",
        "many !!str tags": lambda: _fill("- !!str x\n"),
        "non-finite mix": lambda: "a: [.inf, -.Inf, .NaN, 1e999]",
        "json NaN Infinity": lambda: '{"a": NaN, "b": -Infinity}',
        "json 1e999": lambda: '{"a": 1e999}',
        # encodings (bytes)
        "bytes latin-1": lambda: b"name: caf\xe9\n" * 1000,
        "bytes utf-16 bom": lambda: "name: x\n".encode("utf-16"),
        "bytes invalid utf-8": lambda: b"a: \xff\xfe\xc3(\n" * 1000,
        "bytes NUL": lambda: b"a: b\x00c\n" + b"\x00" * 500_000,
        "lone surrogate escape": lambda: 'a: "\\ud800"\nb: ["\\udfff"]',
        "json lone surrogate": lambda: '{"a": "\\ud800"}',
        "bom + NEL + LS": lambda: "\ufeffa: 1\x85b: 2\u2028c: 3\n" * 1000,
        "control chars": lambda: "a: \x01\x02\x1b[31m\n",
        # broken syntax
        "unclosed flow": lambda: "{" * 1000 + "a: [1, 2",
        "unclosed quote": lambda: 'a: "' + "x" * 500_000,
        "tabs": lambda: "a:\n\t- x\n\t- y\n",
        "yaml directive": lambda: "%YAML 1.1\n%TAG ! tag:x,2000:\n---\na: !x 1\n",
        "empty": lambda: "",
        "whitespace 1 MB": lambda: " " * (MB - 100),
    }


def expression_inputs() -> dict[str, Callable[[], Payload]]:
    """License expressions."""
    return {
        "issue:(((": lambda: "(((",
        "issue:['MIT'] (not a string)": lambda: "@list:MIT",
        "parens x100k": lambda: "(" * 100_000 + "MIT" + ")" * 100_000,
        "open parens 900k": lambda: "(" * 900_000,
        "AND chain": lambda: " AND ".join(["MIT"] * 110_000),
        "OR chain": lambda: " OR ".join(["MIT", "Apache-2.0"] * 49_000),
        "WITH chain": lambda: " WITH ".join(["GPL-2.0"] * 75_000),
        "long LicenseRef": lambda: "LicenseRef-" + "a" * (MB - 100),
        "long word": lambda: "x" * (MB - 100),
        "hf: long": lambda: "hf:" + "l" * (MB - 100),
        "unicode noise": lambda: "\u0410\ud800\x00 " * 130_000,
        "plus chain": lambda: "GPL-2.0" + "+" * 900_000,
    }


def key_inputs() -> dict[str, Callable[[], Payload]]:
    """PEM keys (bytes)."""
    body = base64.encodebytes(os.urandom(700_000)).decode()
    return {
        "issue:unknown algorithm": lambda: _pem("PUBLIC KEY", bytes.fromhex("300b300506032a0304030200")),
        "garbage 1 MB": lambda: os.urandom(MB - 100),
        "pem big body": lambda: _pem_text("PUBLIC KEY", body),
        "pem private big": lambda: _pem_text("PRIVATE KEY", body),
        "pem headers x20k": lambda: b"-----BEGIN PUBLIC KEY-----\n" * 20_000,
        "pem deep DER": lambda: _pem("PUBLIC KEY", b"\x30\x82\xff\xff" * 190_000),
    }  # fmt: skip


def envelope_inputs() -> dict[str, Callable[[], Payload]]:
    """DSSE envelopes (JSON text)."""
    sig = {"keyid": "k", "sig": base64.b64encode(b"s" * 64).decode()}
    return {
        "issue:payloadType surrogate": lambda: json.dumps(
            {"payloadType": "\ud800", "payload": "", "signatures": [sig]}
        ),
        "big payload": lambda: json.dumps(
            {
                "payloadType": "x",
                "payload": base64.b64encode(b"p" * 700_000).decode(),
                "signatures": [sig],
            }
        ),
        "many signatures": lambda: json.dumps(
            {"payloadType": "x", "payload": "", "signatures": [sig] * 9_000}
        ),
        "deep": lambda: '{"payloadType": ' + "[" * 100_000,
        "bad base64": lambda: json.dumps(
            {"payloadType": "x", "payload": "%%%" * 300_000, "signatures": [sig]}
        ),
        "wrong types": lambda: json.dumps({"payloadType": 1, "payload": [], "signatures": "x"}),
    }


def record_inputs() -> dict[str, Callable[[], Payload]]:
    """Record files for the PII readers: ``.jsonl`` unless the name ends in ``csv``."""
    return {
        "issue:jsonl long field": lambda: json.dumps({"text": "word " * 200_000}) + "\n",
        "issue:jsonl \\ud800": lambda: '{"text": "\\ud800 a@b.co"}\n{"text": "ok"}\n',
        "issue:jsonl deep": lambda: '{"text": ' + "[" * 100_000 + "\n",
        "issue:jsonl duplicate key": lambda: '{"text": "x", "text": "secret"}\n',
        "issue:csv long field": lambda: "text\n" + '"' + "x" * 900_000 + '"\n',
        "issue:csv unclosed quote": lambda: 'text\n"abc\nmore\n' + "row\n" * 100_000,
        "jsonl many records": lambda: '{"text": "a@b.co"}\n' * 45_000,
        "jsonl non-object lines": lambda: '1\n[]\nnull\n"x"\n' * 50_000,
        "jsonl bad utf-8": lambda: b'{"text": "caf\xe9"}\n' * 30_000,
        "jsonl NUL": lambda: b'{"text": "a\x00b"}\n' + b"\x00" * 500_000,
        "jsonl one huge line": lambda: '{"text": "a", "x": [' + "1," * 450_000 + "1]}\n",
        "csv many columns": lambda: ",".join(f"c{i}" for i in range(100_000)) + ",text\n",
        "csv latin-1": lambda: b"text\ncaf\xe9\n" * 50_000,
        "csv NUL": lambda: b"text\na\x00b\n" * 50_000,
    }


def _pem_text(label: str, body: str) -> bytes:
    return f"-----BEGIN {label}-----\n{body}-----END {label}-----\n".encode()


def _pem(label: str, der: bytes) -> bytes:
    body = base64.encodebytes(der).decode()
    return f"-----BEGIN {label}-----\n{body}-----END {label}-----\n".encode()


# -- targets ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class Target:
    name: str
    inputs: Callable[[], dict[str, Callable[[], Payload]]]
    run: Callable[[Path, Payload], object]


def _text(payload: Payload) -> str:
    return payload if isinstance(payload, str) else payload.decode("utf-8", "surrogateescape")


def _file(folder: Path, name: str, payload: Payload) -> Path:
    path = folder / name
    data = payload if isinstance(payload, bytes) else payload.encode("utf-8", "surrogatepass")
    path.write_bytes(data)
    return path


def _json_positions(_: Path, payload: Payload) -> object:
    doc = load_json_document(_text(payload), source="p.json")
    return doc.line_of(("a", 0))  # forces the lazy positions pass (validation errors use it)


class _Double:
    """A pattern-free PII detector: the readers are measured, not a model."""

    entities = ("EMAIL_ADDRESS",)
    model_name = None

    def detect(self, texts: Sequence[str]) -> list[list[Any]]:
        return [[] for _ in texts]


def _scan_records(folder: Path, name: str, payload: Payload) -> object:
    path = _file(folder, name, payload)
    return pii.scan_file(path, fields=["text"], detector=_Double(), workers=1)


def _redact_records(folder: Path, name: str, payload: Payload) -> object:
    path = _file(folder, name, payload)
    return pii.redact_file(
        path, folder / ("out" + path.suffix), fields=["text"], detector=_Double(), workers=1
    )


def _license(func: Callable[[Any], object]) -> Callable[[Path, Payload], object]:
    def run(_: Path, payload: Payload) -> object:
        text = _text(payload)
        return func([text[6:]] if text.startswith("@list:") else text)

    return run


def _cli(argv: list[str], name: str) -> Callable[[Path, Payload], object]:
    def run(folder: Path, payload: Payload) -> object:
        path = _file(folder, name, payload)
        err = io.StringIO()
        with contextlib.redirect_stdout(io.StringIO()), contextlib.redirect_stderr(err):
            code = cli_main([*argv, str(path)])
        if "Traceback" in err.getvalue() or "error: unexpected" in err.getvalue():
            raise RuntimeError(f"the CLI printed an unexpected error: {err.getvalue()[-300:]}")
        return code

    return run


def targets() -> list[Target]:
    from openmodel_gov import signing

    def yaml_or_json_file(suffix: str, loader: Callable[[Path], object]) -> Callable[..., object]:
        return lambda folder, payload: loader(_file(folder, "doc" + suffix, payload))

    return [
        Target("core.load_yaml_document", doc_inputs,
               lambda _, p: load_yaml_document(_text(p), source="d.yaml")),
        Target("core.load_json_document", doc_inputs,
               lambda _, p: load_json_document(_text(p), source="d.json")),
        Target("core.load_json_document+positions", doc_inputs, _json_positions),
        Target("core.load_json_value (JSON lines)", doc_inputs,
               lambda _, p: load_json_value(_text(p), source="d.jsonl", line=3)),
        Target("cards.load_card_text", doc_inputs, lambda _, p: cards.load_card_text(_text(p))),
        Target("cards.load_card README.md", doc_inputs,
               lambda f, p: cards.load_card(_file(f, "README.md", "---\n" + _text(p) + "\n---\n# x\n"))),
        Target("cards.load_card card.json", doc_inputs, yaml_or_json_file(".json", cards.load_card)),
        Target("manifests.load_manifest .json", doc_inputs,
               yaml_or_json_file(".json", manifests.load_manifest)),
        Target("manifests.load_manifest .yaml", doc_inputs,
               yaml_or_json_file(".yaml", manifests.load_manifest)),
        Target("audit.load_policy", doc_inputs, yaml_or_json_file(".yaml", audit.load_policy)),
        Target("compliance.load_rule_pack", doc_inputs,
               yaml_or_json_file(".yaml", compliance.load_rule_pack)),
        Target("cli card validate", doc_inputs, _cli(["card", "validate"], "card.yaml")),
        Target("licenses.normalize_license", expression_inputs,
               _license(licenses.normalize_license)),
        Target("licenses.classify_license", expression_inputs, _license(licenses.classify_license)),
        Target("licenses.check_derivative", expression_inputs,
               _license(lambda e: licenses.check_derivative(e, "MIT"))),
        Target("signing.load_public_key", key_inputs,
               lambda f, p: signing.load_public_key(_file(f, "k.pub", p))),
        Target("signing.load_private_key", key_inputs,
               lambda f, p: signing.load_private_key(_file(f, "k.key", p))),
        Target("signing.load_envelope", envelope_inputs,
               lambda f, p: signing.load_envelope(_file(f, "e.json", p))),
        Target("pii.scan_file", record_inputs,
               lambda f, p: _scan_records(f, "r.csv" if _is_csv(p) else "r.jsonl", p)),
        Target("pii.redact_file", record_inputs,
               lambda f, p: _redact_records(f, "r.csv" if _is_csv(p) else "r.jsonl", p)),
    ]  # fmt: skip


#: The name of the input the (forked) child runs: record files are CSV when it says so.
_CURRENT = {"input": ""}


def _is_csv(_: Payload) -> bool:
    return "csv" in _CURRENT["input"]


# -- measuring -------------------------------------------------------------------------------


def _status_kb(field: str) -> int:
    with open("/proc/self/status", encoding="ascii") as fh:
        for line in fh:
            if line.startswith(field + ":"):
                return int(line.split()[1])
    return 0  # pragma: no cover - not Linux


def _child(target: Target, name: str, make: Callable[[], Payload], folder: Path, out: int) -> None:
    """Run one input in this (forked) process and write the measurement to ``out``."""
    _CURRENT["input"] = name
    payload = make()
    gc.collect()
    rss_before = _status_kb("VmRSS")
    try:  # reset the peak resident memory to the current one (Linux >= 4.0)
        with open("/proc/self/clear_refs", "w", encoding="ascii") as fh:
            fh.write("5")
    except OSError:  # pragma: no cover - then VmHWM is the process-lifetime peak
        pass
    cpu0 = resource.getrusage(resource.RUSAGE_SELF)
    start = time.perf_counter()
    outcome, detail = "ok", ""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        try:
            target.run(folder, payload)
        except OpenModelGovError as exc:
            outcome, detail = "typed", type(exc).__name__
        except BaseException as exc:
            outcome, detail = "UNTYPED", f"{type(exc).__name__}: {str(exc)[:160]}"
    wall = time.perf_counter() - start
    cpu1 = resource.getrusage(resource.RUSAGE_SELF)
    cpu = (cpu1.ru_utime - cpu0.ru_utime) + (cpu1.ru_stime - cpu0.ru_stime)
    peak_mb = max(0, _status_kb("VmHWM") - rss_before) / 1024
    size = len(payload)
    record = {"wall": wall, "cpu": cpu, "mb": peak_mb, "outcome": outcome, "detail": detail,
              "size": size}  # fmt: skip
    os.write(out, json.dumps(record).encode())


def measure(
    target: Target, name: str, make: Callable[[], Payload], timeout: float
) -> dict[str, Any]:
    """Fork, run one input in the child, collect its record (a hung child is killed)."""
    read, write = os.pipe()
    with tempfile.TemporaryDirectory(prefix="omg-hostile-") as tmp:
        pid = os.fork()
        if pid == 0:  # the child
            os.close(read)
            code = 0
            try:
                _child(target, name, make, Path(tmp), write)
            except BaseException:
                code = 3
            os._exit(code)
        os.close(write)
        deadline = time.monotonic() + timeout
        while True:
            done, status = os.waitpid(pid, os.WNOHANG)
            if done:
                break
            if time.monotonic() > deadline:
                os.kill(pid, 9)
                os.waitpid(pid, 0)
                os.close(read)
                return {"wall": timeout, "cpu": timeout, "mb": 0.0, "outcome": "TIMEOUT",
                        "detail": f"killed after {timeout:.0f} s", "size": 0}  # fmt: skip
            time.sleep(0.005)
        chunks = []
        while chunk := os.read(read, 65536):
            chunks.append(chunk)
        os.close(read)
    if not chunks:
        return {"wall": 0.0, "cpu": 0.0, "mb": 0.0, "outcome": "CRASHED",
                "detail": f"child exit status {status}", "size": 0}  # fmt: skip
    record: dict[str, Any] = json.loads(b"".join(chunks))
    return record


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--target", default="", help="only targets whose name contains this")
    parser.add_argument("--input", default="", help="only inputs whose name contains this")
    parser.add_argument("--list", action="store_true", help="list targets and inputs, run none")
    parser.add_argument("--details", action="store_true", help="one line per (target, input)")
    parser.add_argument("--timeout", type=float, default=60.0, help="seconds before a kill")
    args = parser.parse_args(argv)
    chosen = [t for t in targets() if args.target in t.name]
    if args.list:
        for t in chosen:
            print(t.name, "<-", ", ".join(t.inputs()))
        return 0
    print(f"load average at start: {os.getloadavg()[0]:.2f} on {os.cpu_count()} CPUs; "
          f"bounds per input under 1 MB: {LIMIT_S:.0f} s and {LIMIT_MB:.0f} MB")  # fmt: skip
    header = f"{'target':38} {'inputs':>6} {'max wall s':>10} {'max cpu s':>9} {'max MB':>7}  worst input (cpu / MB)"
    print(header)
    broken = 0
    total = 0
    for target in chosen:
        rows = []
        for name, make in target.inputs().items():
            if args.input not in name:
                continue
            record = measure(target, name, make, args.timeout)
            rows.append((name, record))
            if args.details:
                print(f"    {name:34} {record['size']:>8} B {record['wall']:7.3f} s "
                      f"{record['cpu']:7.3f} cpu {record['mb']:7.1f} MB  {record['outcome']} "
                      f"{record['detail']}")  # fmt: skip
        if not rows:
            continue
        total += len(rows)
        by_cpu = max(rows, key=lambda r: r[1]["cpu"])
        by_mb = max(rows, key=lambda r: r[1]["mb"])
        max_wall = max(r[1]["wall"] for r in rows)
        print(f"{target.name:38} {len(rows):>6} {max_wall:10.3f} {by_cpu[1]['cpu']:9.3f} "
              f"{by_mb[1]['mb']:7.1f}  {by_cpu[0]} / {by_mb[0]}")  # fmt: skip
        for name, record in rows:
            over = record["cpu"] > LIMIT_S or record["mb"] > LIMIT_MB
            if over or record["outcome"] in ("UNTYPED", "TIMEOUT", "CRASHED"):
                broken += 1
                print(f"    OVER {name}: {record['outcome']} {record['detail']} "
                      f"({record['wall']:.3f} s wall, {record['cpu']:.3f} s cpu, "
                      f"{record['mb']:.1f} MB)")  # fmt: skip
    print(f"{total} runs; {broken} over a bound or outside the error tree")
    return 1 if broken else 0


if __name__ == "__main__":
    sys.exit(main())
