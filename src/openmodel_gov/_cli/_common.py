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
from typing import Any, TextIO

__all__ = [
    "FINDING",
    "OK",
    "USAGE",
    "Handler",
    "Output",
    "ProgressBar",
    "add_output_options",
    "fmt_table",
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
            self.stdout.write(json.dumps(data, indent=2, ensure_ascii=False, default=str) + "\n")
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
