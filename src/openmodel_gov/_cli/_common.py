"""Shared plumbing of the command line: output modes, exit codes, progress bars.

Every command handler has the signature ``(args, out) -> int`` and returns an exit code:
:data:`OK` (0), :data:`FINDING` (1: a finding or a policy violation) or :data:`USAGE`
(2: bad usage or bad input).
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, TextIO

from openmodel_gov._core._io import json_safe

__all__ = [
    "FINDING",
    "OK",
    "USAGE",
    "Handler",
    "Output",
    "ProgressBar",
    "add_output_options",
    "card_path",
    "describe_error",
    "fmt_table",
    "key_encryption",
    "license_argument",
]

OK = 0
FINDING = 1
USAGE = 2


@dataclass
class Output:
    """Where and how a command prints: human text, ``--json`` or ``--quiet``.

    >>> import io
    >>> buf = io.StringIO()
    >>> out = Output(json_mode=True, stdout=buf)
    >>> out.result("human text", {"ok": True})
    >>> buf.getvalue()
    '{\\n  "ok": true\\n}\\n'
    """

    json_mode: bool = False
    quiet: bool = False
    debug: bool = False
    stdout: TextIO = field(default_factory=lambda: sys.stdout)
    stderr: TextIO = field(default_factory=lambda: sys.stderr)

    def result(self, human: str, data: Mapping[str, Any] | Sequence[Any]) -> None:
        """Print the result of a command: ``data`` as JSON, or ``human`` unless quiet."""
        if self.json_mode:
            safe = json_safe(data)  # Infinity/NaN as strings: --json is always valid JSON
            text = json.dumps(safe, indent=2, ensure_ascii=False, allow_nan=False, default=str)
            self.stdout.write(text + "\n")
        elif not self.quiet and human:
            self.stdout.write(human.rstrip("\n") + "\n")

    def info(self, message: str) -> None:
        """A side note for humans (stderr), silenced by ``--quiet`` and ``--json``."""
        if not self.quiet and not self.json_mode:
            self.stderr.write(message.rstrip("\n") + "\n")

    def error(self, message: str) -> None:
        """An error line (always printed, on stderr)."""
        self.stderr.write(f"error: {message}\n")

    def progress(self, label: str) -> ProgressBar:
        """A progress bar on stderr, shown only on a terminal and when not quiet."""
        show = not self.quiet and not self.json_mode and self.stderr.isatty()
        return ProgressBar(label, stream=self.stderr if show else None)


Handler = Callable[[argparse.Namespace, Output], int]


class ProgressBar:
    """A tiny dependency-free progress bar, usable as the ``progress`` callback of primitives.

    Called as ``bar(done, total)``; draws at most ten times a second, nothing when ``stream``
    is ``None``.

    >>> with ProgressBar("hashing", stream=None) as bar:
    ...     bar(1, 2)
    """

    def __init__(self, label: str, *, stream: TextIO | None) -> None:
        self.label = label
        self.stream = stream
        self._last = 0.0
        self._drawn = False

    def __call__(self, done: int, total: int | None = None) -> None:
        if self.stream is None:
            return
        now = time.monotonic()
        if now - self._last < 0.1 and (total is None or done < total):
            return
        self._last = now
        if total:
            width = 30
            filled = int(width * min(done, total) / total)
            text = f"\r{self.label} [{'#' * filled}{'.' * (width - filled)}] {done}/{total}"
        else:
            text = f"\r{self.label} {done}"
        self.stream.write(text)
        self.stream.flush()
        self._drawn = True

    def close(self) -> None:
        """End the bar's line."""
        if self.stream is not None and self._drawn:
            self.stream.write("\n")
            self.stream.flush()

    def __enter__(self) -> ProgressBar:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


def add_output_options(parser: argparse.ArgumentParser, *, top: bool) -> None:
    """Add ``--json``, ``--quiet`` and ``--debug`` (accepted before or after the subcommand)."""
    default: Any = False if top else argparse.SUPPRESS
    group = parser.add_argument_group("output")
    group.add_argument(
        "--json", action="store_true", default=default, help="print machine-readable JSON"
    )
    group.add_argument(
        "-q", "--quiet", action="store_true", default=default, help="print nothing but errors"
    )
    group.add_argument(
        "--debug", action="store_true", default=default, help="show tracebacks on errors"
    )


def fmt_table(headers: Sequence[str], rows: Sequence[Sequence[object]]) -> str:
    """A plain-text table with aligned columns.

    >>> print(fmt_table(["a", "bb"], [["x", 1], ["yyy", 22]]))
    a    bb
    ---  --
    x    1
    yyy  22
    """
    cells = [[str(h) for h in headers], *[[str(c) for c in row] for row in rows]]
    widths = [max(len(r[i]) for r in cells) for i in range(len(headers))]
    lines = ["  ".join(c.ljust(w) for c, w in zip(r, widths, strict=True)).rstrip() for r in cells]
    lines.insert(1, "  ".join("-" * w for w in widths))
    return "\n".join(lines)


def _pydantic_message(exc: Exception) -> str:
    """One line from a pydantic ``ValidationError``: field paths and messages, no input echo."""
    errors = getattr(exc, "errors", None)
    parts: list[str] = []
    if callable(errors):
        for err in errors(include_url=False, include_input=False)[:5]:
            loc = ".".join(str(part) for part in err.get("loc", ())) or "value"
            parts.append(f"{loc}: {str(err.get('msg', '')).removeprefix('Value error, ')}")
    title = getattr(exc, "title", "input")
    return f"invalid {title}: " + ("; ".join(parts) or "see --debug")


def describe_error(exc: BaseException) -> tuple[str, int]:
    """The one-line message and exit code the CLI shows for an exception (no traceback).

    Our errors print as they are; pydantic validation errors, encoding errors and OS errors
    are rewritten into one line that names the field or file, never echoing raw input.

    >>> describe_error(UnicodeDecodeError("utf-8", b"caf\\xe9", 3, 4, "invalid byte"))
    ('not valid UTF-8: byte 0xe9 at offset 3 (save the file as UTF-8)', 2)
    >>> describe_error(FileNotFoundError(2, "No such file or directory", "card.md"))
    ('card.md: No such file or directory', 2)
    """
    from openmodel_gov.errors import IntegrityError, OpenModelGovError

    if isinstance(exc, OpenModelGovError):
        return str(exc), FINDING if isinstance(exc, IntegrityError) else USAGE
    if type(exc).__name__ == "ValidationError" and type(exc).__module__.startswith("pydantic"):
        return _pydantic_message(exc), USAGE  # type: ignore[arg-type]
    if isinstance(exc, UnicodeDecodeError):
        byte = exc.object[exc.start : exc.start + 1].hex()
        where = f"byte 0x{byte} at offset {exc.start}"
        return f"not valid UTF-8: {where} (save the file as UTF-8)", USAGE
    if isinstance(exc, UnicodeError):
        return "text that cannot be encoded (a lone surrogate or an unsupported character)", USAGE
    if isinstance(exc, OSError):
        name = exc.filename if exc.filename is not None else ""
        reason = exc.strerror or type(exc).__name__
        return (f"{name}: {reason}" if name else reason), USAGE
    first = (str(exc).splitlines() or [""])[0][:200]
    return f"unexpected {type(exc).__name__}: {first} (rerun with --debug for details)", USAGE


def key_encryption(password: bytes | None, out: Output) -> bytes | None:
    """How ``keygen`` protects a private key: the password to encrypt it with, or ``None``.

    For the ``keygen`` handler (``save_private_key(..., password=key_encryption(pw, out))``):
    with a password source (``--password-env VAR``) the key is always encrypted; without one
    the key is written in the clear after a loud warning on stderr, shown even with
    ``--quiet``/``--json`` (an unencrypted private key is never written silently).

    >>> import io
    >>> err = io.StringIO()
    >>> key_encryption(b"pw", Output(stderr=err)), err.getvalue()
    (b'pw', '')
    >>> key_encryption(None, Output(stderr=err, quiet=True))
    >>> "UNENCRYPTED" in err.getvalue()
    True
    """
    if password:
        return password
    out.stderr.write(
        "WARNING: writing an UNENCRYPTED private key: anyone who can read the file can sign "
        "as you. Pass --password-env VAR to encrypt it; keep the file out of version control.\n"
    )
    return None


def license_argument(text: str, out: Output) -> str:
    """A license expression from the command line, reading bare Hub ids as ``hf:<id>``.

    ``llama2`` is no SPDX id but is a Hugging Face license id: rather than refuse with
    "write hf:llama2", the CLI reads it as ``hf:llama2`` and says so on stderr (a note, hidden
    by ``--quiet``/``--json``). Anything else is returned unchanged, so the command reports
    the original error.

    >>> import io
    >>> err = io.StringIO()
    >>> license_argument("llama2 OR MIT", Output(stderr=err))
    'hf:llama2 OR MIT'
    >>> print(err.getvalue().strip())
    note: read 'llama2 OR MIT' as 'hf:llama2 OR MIT' (a bare Hugging Face license id is taken as hf:<id>)
    >>> license_argument("Apache-2.0", Output(stderr=err)), license_argument("nope-1", Output(stderr=err))
    ('Apache-2.0', 'nope-1')
    """
    import re

    from openmodel_gov.errors import OpenModelGovError, UnknownLicenseError
    from openmodel_gov.licenses import normalize_license

    try:
        normalize_license(text)
    except UnknownLicenseError as exc:
        fixed = text
        for license_id in exc.unknown:
            if license_id.startswith(("hf:", "LicenseRef-")):
                return text
            candidate = f"hf:{license_id}"
            try:
                normalize_license(candidate)
            except OpenModelGovError:
                return text
            pattern = rf"(?<![\w:.+-]){re.escape(license_id)}(?![\w.+-])"
            fixed = re.sub(pattern, candidate, fixed)
        if fixed != text:
            out.info(
                f"note: read {text!r} as {fixed!r} (a bare Hugging Face license id is taken "
                "as hf:<id>)"
            )
        return fixed
    except OpenModelGovError:
        return text
    return text


#: Card files looked for, in order, when a command is given a model folder.
CARD_FILES = ("README.md", "model.yml", "model.yaml", "card.yaml", "card.json")


def card_path(argument: str, out: Output) -> Path:
    """The card file a command argument names: always a path, never card text.

    A folder with a ``README.md`` is handed to ``load_card`` as a model folder (README.md plus
    LICENSE, config.json, weights); else its ``model.yml``/``card.yaml`` ... is read (a note
    says which); a missing path or a folder without a card is a
    :class:`~openmodel_gov.errors.FileAccessError` (exit 2), so a typo in a CI path can never
    pass as a valid card.

    >>> import tempfile
    >>> with tempfile.TemporaryDirectory() as folder:
    ...     card_path(folder + "/README.md", Output())
    Traceback (most recent call last):
    ...
    openmodel_gov.errors.FileAccessError: .../README.md: no such file
    """
    from openmodel_gov.errors import FileAccessError

    path = Path(argument)
    if path.is_dir():
        if (path / "README.md").is_file():  # a model folder: load_card reads README.md + files
            out.info(f"note: reading the model folder {path} (README.md and the files beside it)")
            return path
        for name in CARD_FILES:
            if (path / name).is_file():
                out.info(f"note: reading {path / name}")
                return path / name
        raise FileAccessError(
            "is a folder without a model card (" + ", ".join(CARD_FILES) + ")",
            source=argument,
        )
    if not path.exists():
        raise FileAccessError("no such file", source=argument)
    return path
