"""The one parsing front door for YAML and JSON, with limits enforced while parsing.

Every loader (cards, manifests, policies, rule packs, CLI inputs, JSON lines) reaches its data
through :func:`load_yaml_document` or :func:`load_json_document` (re-exported by ``_core._io``).
The guarantees, for any input:

- **No recursion, no unbounded work.** YAML is read as a stream of parser events (libyaml when
  PyYAML has it, else PyYAML's pure parser, which is iterative too) and built by a loop with an
  explicit stack: nesting deeper than :attr:`Limits.max_depth` is refused *before* it is built,
  so 500 nested ``[`` give :class:`InputTooLargeError`, never ``RecursionError``. Nodes are
  counted as they are built, aliases by the size of what they expand to, so an alias bomb is
  refused at its first over-budget alias, long before its expansion exists.
- **Only safe tags**: ``str``, ``int``, ``float``, ``bool``, ``null``, ``seq``, ``map``,
  ``binary`` and ``timestamp`` (kept as the string the author wrote). Any other tag, and any
  value its tag cannot read (``!!bool x``, an empty ``!!int``), is a :class:`ParseError` with the
  line and column of the value.
- **Finite numbers only**: ``.inf``, ``.nan``, ``1e999``, JSON ``Infinity``/``NaN`` are refused
  at load, so whatever was loaded serialises as valid JSON.
- **Typed errors only**: every failure is a :class:`ParseError` (or its
  :class:`InputTooLargeError`), naming source, line and column where they are known.

JSON goes through the C ``json`` decoder (fast) after a linear pre-scan that tokenizes strings
exactly (escaped quotes included) and bounds the length of every string literal and the nesting
depth outside strings; float literals are bounded as they are decoded, integers by Python's
4,300-digit bound; duplicate keys are refused.

Source positions (for error messages of later validation) are computed lazily, on the first
:meth:`LoadedDocument.line_of`, by a second bounded pass: loading a large, valid manifest does
not pay for them.
"""

from __future__ import annotations

from openmodel_gov._core._document import (
    DEFAULT_MAX_BYTES,
    JSON_LIMITS,
    YAML_LIMITS,
    Limits,
    LoadedDocument,
    PathKey,
    json_path,
)
from openmodel_gov._core._json import load_json_document, load_json_value
from openmodel_gov._core._yaml import load_yaml_document

__all__ = [
    "DEFAULT_MAX_BYTES",
    "JSON_LIMITS",
    "YAML_LIMITS",
    "Limits",
    "LoadedDocument",
    "PathKey",
    "json_path",
    "load_json_document",
    "load_json_value",
    "load_yaml_document",
]
