"""Pausing the cyclic garbage collector while a manifest is built, verified or parsed.

Building a manifest allocates a few container objects per file (a digest tuple, a stat key,
a ``FileEntry``) and keeps them all. Each allocation counts towards CPython's next collection,
and full collections walk every tracked object, so their cost grows with the number of files
already held: for 20,000 files the collector took about as long as the hashing itself, and it
grows faster than linearly beyond. None of these objects form reference cycles -- reference
counting frees them -- so the collector is paused for the duration of the call and resumed
afterwards (if it was running). The same is done for forked hashing workers.
"""

from __future__ import annotations

import gc
from collections.abc import Iterator
from contextlib import contextmanager

__all__ = ["paused_gc"]


@contextmanager
def paused_gc() -> Iterator[None]:
    """Run the block with the cyclic collector paused; restore its previous state after.

    >>> import gc
    >>> with paused_gc():
    ...     gc.isenabled()
    False
    >>> gc.isenabled()
    True
    """
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()
