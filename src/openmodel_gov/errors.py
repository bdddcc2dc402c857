"""The one error tree of openmodel-gov.

Every error raised on purpose by this library derives from :class:`OpenModelGovError`, and
each leaf also subclasses the matching built-in, so ``except ValueError`` keeps working for
callers that do not know this library::

    OpenModelGovError
    ├── MissingDependencyError (ImportError)    an optional extra is not installed
    ├── FileAccessError (OSError)                a file cannot be read or written
    │   ├── PathNotFoundError (FileNotFoundError) the path names nothing on disk
    │   └── OutputLockedError                    another job is writing the same output
    ├── WorkerError (RuntimeError)               worker processes could not start or died
    ├── InputError (ValueError)                  bad input; carries source/line/field
    │   ├── ParseError                           not parseable: YAML/JSON syntax, encoding,
    │   │   │                                    duplicate keys, alias bombs
    │   │   └── InputTooLargeError               over a documented size bound
    │   ├── SchemaValidationError                parsed, but fields are wrong (all issues)
    │   ├── LicenseExpressionError               a license expression or id is not valid
    │   │   └── UnknownLicenseError              well-formed, but an id nobody knows
    │   ├── UnsafePathError                      "..", absolute, NUL, duplicate or symlink path
    │   ├── RulePackError                        a compliance rule pack is broken
    │   ├── PolicyError                          an audit policy file is broken
    │   └── ConfigError                          an options object is inconsistent
    └── IntegrityError (ValueError)              data does not match what was recorded
        └── SignatureError                       a signature does not verify
            ├── WrongKeyError                    signed by another key
            ├── TamperedManifestError            the manifest bytes changed after signing
            ├── TamperedPayloadError             the signed statement was edited
            ├── MalformedSignatureError          truncated or re-encoded signature / envelope
            ├── AlgorithmMismatchError           key type differs from the envelope's
            └── InvalidSignatureError            signature bytes edited (payload intact)

Errors carry structured fields -- :attr:`InputError.source` (file), :attr:`InputError.line`,
:attr:`InputError.column`, :attr:`InputError.field` (a JSON path such as
``$.components['Model card'].license``) and :attr:`InputError.hint` (how to fix it) -- and
their message reads well on its own:

>>> err = ParseError("duplicate key 'license'", source="README.md", line=4, field="$.license")
>>> print(err)
README.md:4: $.license: duplicate key 'license'
>>> isinstance(err, ValueError), err.line
(True, 4)
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

__all__ = [
    "AlgorithmMismatchError",
    "ConfigError",
    "FileAccessError",
    "InputError",
    "InputTooLargeError",
    "IntegrityError",
    "InvalidSignatureError",
    "LicenseExpressionError",
    "MalformedSignatureError",
    "MissingDependencyError",
    "OpenModelGovError",
    "OutputLockedError",
    "ParseError",
    "PathNotFoundError",
    "PolicyError",
    "RulePackError",
    "SchemaValidationError",
    "SignatureError",
    "TamperedManifestError",
    "TamperedPayloadError",
    "UnknownLicenseError",
    "UnsafePathError",
    "ValidationIssue",
    "WorkerError",
    "WrongKeyError",
]


class OpenModelGovError(Exception):
    """Root of every error this library raises on purpose."""


class MissingDependencyError(OpenModelGovError, ImportError):
    """An optional dependency (an *extra*) is needed but not installed.

    Attributes:
        package: the import name that failed, e.g. ``"presidio_analyzer"``.
        extra: the extra that provides it, e.g. ``"pii"``.
        feature: what the caller was trying to do.

    >>> e = MissingDependencyError(package="jsonschema", extra="schema", feature="validate_card_file")
    >>> print(e)
    validate_card_file needs 'jsonschema', which is not installed; run: pip install 'openmodel-gov[schema]'
    """

    def __init__(self, *, package: str, extra: str, feature: str) -> None:
        self.package = package
        self.extra = extra
        self.feature = feature
        self.install_command = f"pip install 'openmodel-gov[{extra}]'"
        super().__init__(
            f"{feature} needs {package!r}, which is not installed; run: {self.install_command}",
            name=package,
        )


class FileAccessError(OpenModelGovError, OSError):
    """A file or folder cannot be read or written (missing, permissions, not a file).

    >>> print(FileAccessError("no such file", source="card.yaml"))
    card.yaml: no such file
    """

    def __init__(self, message: str, *, source: str | None = None) -> None:
        self.source = source
        self.message = message
        super().__init__(f"{source}: {message}" if source else message)

    def __str__(self) -> str:
        return f"{self.source}: {self.message}" if self.source else self.message


class PathNotFoundError(FileAccessError, FileNotFoundError):
    """A path given as input names no file or folder.

    >>> err = PathNotFoundError("no such file or folder", source="README")
    >>> isinstance(err, FileNotFoundError), str(err)
    (True, 'README: no such file or folder')
    """


class OutputLockedError(FileAccessError):
    """Another job holds the lock on this output (two jobs must not write one file)."""


class WorkerError(OpenModelGovError, RuntimeError):
    """Worker processes could not start, or died; the message says how to fix the cause."""


def _location(source: str | None, line: int | None, column: int | None, field: str | None) -> str:
    parts: list[str] = []
    if source is not None:
        where = source
        if line is not None:
            where += f":{line}"
            if column is not None:
                where += f":{column}"
        parts.append(where)
    elif line is not None:
        parts.append(f"line {line}" + (f", column {column}" if column is not None else ""))
    if field:
        parts.append(field)
    return ": ".join(parts)


class InputError(OpenModelGovError, ValueError):
    """Input that this library cannot accept.

    Attributes:
        message: what is wrong, without the location prefix.
        source: the file (or ``"<string>"``) the input came from, if known.
        line: 1-based line in ``source``, if known.
        column: 1-based column, if known.
        field: JSON path of the offending field (``$.a.b[0]``), if known.
        hint: how to fix it, if there is something useful to say.
    """

    def __init__(
        self,
        message: str,
        *,
        source: str | None = None,
        line: int | None = None,
        column: int | None = None,
        field: str | None = None,
        hint: str | None = None,
    ) -> None:
        self.message = message
        self.source = source
        self.line = line
        self.column = column
        self.field = field
        self.hint = hint
        super().__init__(self._render())

    def _render(self) -> str:
        loc = _location(self.source, self.line, self.column, self.field)
        text = f"{loc}: {self.message}" if loc else self.message
        if self.hint:
            text += f" (hint: {self.hint})"
        return text

    def __str__(self) -> str:
        return self._render()


class ParseError(InputError):
    """The input is not well-formed (syntax, encoding, duplicate keys, aliases)."""


class InputTooLargeError(ParseError):
    """The input exceeds a documented size bound (bytes, nodes, nesting depth)."""


@dataclass(frozen=True)
class ValidationIssue:
    """One problem found while validating a document.

    >>> print(ValidationIssue(message="expected a boolean", field="$.components['Model card'].included", line=12))
    line 12: $.components['Model card'].included: expected a boolean
    """

    message: str
    field: str = "$"
    line: int | None = None
    column: int | None = None
    source: str | None = None

    def __str__(self) -> str:
        loc = _location(self.source, self.line, self.column, self.field)
        return f"{loc}: {self.message}" if loc else self.message


class SchemaValidationError(InputError):
    """A parsed document has fields of the wrong type or value.

    Attributes:
        issues: every problem found, not just the first (each has its field path and line).
    """

    def __init__(
        self,
        message: str,
        *,
        issues: Sequence[ValidationIssue] = (),
        source: str | None = None,
        hint: str | None = None,
    ) -> None:
        self.issues: tuple[ValidationIssue, ...] = tuple(issues)
        first = self.issues[0] if self.issues else None
        super().__init__(
            message,
            source=source,
            line=first.line if first else None,
            column=first.column if first else None,
            field=first.field if first else None,
            hint=hint,
        )

    def _render(self) -> str:
        head = f"{self.source}: {self.message}" if self.source else self.message
        if not self.issues:
            return head
        lines = [head, *(f"  - {_strip_source(issue, self.source)}" for issue in self.issues)]
        if self.hint:
            lines.append(f"  hint: {self.hint}")
        return "\n".join(lines)


def _strip_source(issue: ValidationIssue, source: str | None) -> str:
    if issue.source == source:
        return str(ValidationIssue(issue.message, issue.field, issue.line, issue.column))
    return str(issue)


class LicenseExpressionError(InputError):
    """A license expression cannot be parsed (syntax, nesting, size)."""


class UnknownLicenseError(LicenseExpressionError):
    """A well-formed expression names license ids that no registry knows.

    Attributes:
        unknown: the unknown ids, in order of appearance.
    """

    def __init__(
        self,
        message: str,
        *,
        unknown: Sequence[str],
        source: str | None = None,
        field: str | None = None,
        hint: str | None = None,
    ) -> None:
        self.unknown: tuple[str, ...] = tuple(unknown)
        super().__init__(message, source=source, field=field, hint=hint)


class UnsafePathError(InputError):
    """A path leaves its root, is absolute, holds a NUL byte, repeats, or is a refused symlink."""


class RulePackError(InputError):
    """A compliance rule pack is not valid (names the file, rule id and field)."""


class PolicyError(InputError):
    """An audit policy file is not valid."""


class ConfigError(InputError):
    """An options object (``PiiConfig``, a scoring policy, ...) is inconsistent."""


class IntegrityError(OpenModelGovError, ValueError):
    """Data does not match what was recorded for it."""


class SignatureError(IntegrityError):
    """A signature envelope does not verify."""


class WrongKeyError(SignatureError):
    """The envelope was signed by a different key than the one given."""


class TamperedManifestError(SignatureError):
    """The manifest file's bytes no longer match the digest in the signed statement."""


class TamperedPayloadError(SignatureError):
    """The signed payload was edited after signing."""


class MalformedSignatureError(SignatureError):
    """The envelope or signature is truncated, re-encoded or not a DSSE envelope."""


class AlgorithmMismatchError(SignatureError):
    """The key's algorithm differs from the algorithm recorded in the envelope."""


class InvalidSignatureError(SignatureError):
    """The signature does not verify although key, algorithm and payload look intact."""
