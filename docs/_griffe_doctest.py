"""Griffe extension (docs build only): render ``>>>`` doctest blocks as code.

The library's docstrings carry runnable ``>>>`` examples (checked by doctest). Markdown would
read their output lines (``['a', 'b']``, ``(True, 4)``) as text and link references; this
extension fences every doctest block as ``pycon`` code before mkdocstrings renders it. Used
from ``mkdocs.yml`` (``extensions: [docs/_griffe_doctest.py]``); the code is not changed.
"""

from __future__ import annotations

from typing import Any

import griffe

__all__ = ["DoctestFences", "fence_doctests"]


def fence_doctests(text: str) -> str:
    """Wrap each run of lines starting at a ``>>>`` prompt (up to a blank line) in a fence.

    >>> print(fence_doctests("Intro.\\n\\n>>> 1 + 1\\n2\\n\\nEnd."))
    Intro.
    <BLANKLINE>
    ```pycon
    >>> 1 + 1
    2
    ```
    <BLANKLINE>
    End.
    """
    out: list[str] = []
    in_fence = False
    in_doctest = False
    indent = ""
    for line in text.splitlines():
        stripped = line.strip()
        if stripped.startswith("```") and not in_doctest:
            in_fence = not in_fence
        if in_doctest and not stripped:
            out.append(f"{indent}```")
            in_doctest = False
        if not in_fence and not in_doctest and stripped.startswith(">>>"):
            indent = line[: len(line) - len(line.lstrip())]
            out.append(f"{indent}```pycon")
            in_doctest = True
        out.append(line)
    if in_doctest:
        out.append(f"{indent}```")
    return "\n".join(out)


class DoctestFences(griffe.Extension):
    """Fence doctest blocks in every docstring griffe loads."""

    def on_instance(self, *, obj: griffe.Object, **kwargs: Any) -> None:
        """Rewrite ``obj``'s docstring (called once per loaded object)."""
        if obj.docstring is not None and ">>>" in obj.docstring.value:
            obj.docstring.value = fence_doctests(obj.docstring.value)
