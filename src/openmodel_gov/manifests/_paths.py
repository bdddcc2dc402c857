"""Canonical relative POSIX paths for manifests (STYLE rule 9).

A manifest path is relative, uses ``/``, has no empty, ``.`` or ``..`` segment, and holds no
NUL, control character or backslash -- so that its ``sha256sum`` line is exactly
``<hex>  <path>`` with no escaping, on every platform.
"""

from __future__ import annotations

import re

__all__ = ["check_relative_path", "control_free", "name_problem", "path_problem"]

_CONTROL = re.compile(r"[\x00-\x1f\x7f\\]")
_SURROGATE = re.compile("[\ud800-\udfff]")


def path_problem(path: str) -> str | None:
    """Say what is wrong with ``path`` as a manifest path, or ``None`` when it is fine.

    >>> path_problem("data/train.jsonl") is None
    True
    >>> path_problem("../etc/passwd")
    "path leaves the root ('..' segment)"
    >>> path_problem("/etc/passwd")
    'path is absolute'
    """
    if not path:
        return "path is empty"
    if "\x00" in path:
        return "path holds a NUL byte"
    if not path.isascii() and _SURROGATE.search(path):
        return "path is not valid UTF-8 (it holds a lone surrogate)"
    if path.startswith("/") or re.match(r"^[A-Za-z]:", path):
        return "path is absolute"
    match = _CONTROL.search(path)
    if match:
        char = match.group()
        what = "a backslash" if char == "\\" else f"control character {char!r}"
        return f"path holds {what}; manifest paths are POSIX and sha256sum-safe"
    segments = path.split("/")
    if ".." in segments:
        return "path leaves the root ('..' segment)"
    if any(seg in ("", ".") for seg in segments):
        return "path is not canonical (empty or '.' segment); write it like 'dir/file.txt'"
    return None


def control_free(text: str) -> bool:
    """True when ``text`` holds no NUL, control character or backslash.

    >>> control_free("a/b c"), control_free("a\\tb")
    (True, False)
    """
    return _CONTROL.search(text) is None


def name_problem(name: str) -> str | None:
    """What is wrong with one folder entry's ``name`` inside a manifest path (fast path).

    Names from ``os.listdir`` are never empty, ``.`` or ``..``, so only characters matter.

    >>> name_problem("train.jsonl") is None, name_problem("a\\b") is not None
    (True, True)
    """
    if (name.isprintable() and "\\" not in name) or _CONTROL.search(name) is None:
        return None
    return path_problem(name)


def check_relative_path(path: str) -> str:
    """Return ``path`` unchanged if it is a canonical manifest path, else raise ``ValueError``.

    >>> check_relative_path("a/b.txt")
    'a/b.txt'
    """
    problem = path_problem(path)
    if problem is not None:
        raise ValueError(f"{problem}: {path!r}")
    return path
